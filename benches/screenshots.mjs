// Screenshots of the default theme for looking at, not for comparing: each page at 390x844
// (a phone) and 1280x900, in light and dark, and the header's search with its results open.
//
//   node benches/screenshots.mjs --site public --out DIR --article /seo/podstawy-seo/ \
//       --section /seo/ --tag /tags/seo/ --query seo
//
// Serves the built site at the root. Writes DIR/<page>-<width>-<scheme>.png (the first
// screen) and DIR/<page>-<width>-<scheme>-full.png (the whole page, up to 6,000 px).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from '../tests/browser/cdp.mjs';
import { serve } from '../tests/browser/serve.mjs';

const { values: opts } = parseArgs({
  options: {
    site: { type: 'string' },
    out: { type: 'string' },
    article: { type: 'string' },
    section: { type: 'string' },
    tag: { type: 'string' },
    query: { type: 'string', default: 'seo' },
  },
});
mkdirSync(opts.out, { recursive: true });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pages = [
  ['home', '/'],
  ['section', opts.section],
  ['article', opts.article],
  ['tag', opts.tag],
  ['search', `/search/?q=${encodeURIComponent(opts.query)}`],
].filter(([, path]) => path);

const server = await serve(opts.site, '/');
const browser = await launch();
const page = await browser.newPage();
async function shoot(name, full) {
  let clip;
  if (full) {
    const height = await page.evaluate('Math.min(document.documentElement.scrollHeight, 6000)');
    const width = await page.evaluate('document.documentElement.clientWidth');
    clip = { x: 0, y: 0, width, height, scale: 1 };
  }
  const shot = await page.send('Page.captureScreenshot', {
    format: 'png', ...(clip ? { clip, captureBeyondViewport: true } : {}),
  });
  writeFileSync(join(opts.out, `${name}.png`), Buffer.from(shot.data, 'base64'));
}
for (const [width, height] of [[390, 844], [1280, 900]]) {
  for (const scheme of ['light', 'dark']) {
    await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: width < 500 });
    await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
    for (const [name, path] of pages) {
      await page.goto(`${server.url}${path}`);
      await sleep(name === 'search' ? 1500 : 300);
      await shoot(`${name}-${width}-${scheme}`, false);
      await shoot(`${name}-${width}-${scheme}-full`, true);
    }
    // The header's search, results open, the first one selected.
    await page.goto(`${server.url}${opts.article || '/'}`);
    await page.evaluate(`(() => { const i = document.querySelector("#kb-search-input"); i.focus();
      i.value = ${JSON.stringify(opts.query)}; i.dispatchEvent(new Event("input", { bubbles: true })); })()`);
    await sleep(1500);
    await page.evaluate(`document.querySelector("#kb-search-input").dispatchEvent(
      new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }))`);
    await sleep(200);
    await shoot(`popup-${width}-${scheme}`, false);
    // The menu, open.
    await page.goto(`${server.url}${opts.article || '/'}`);
    await page.evaluate('document.querySelector("details.site-menu") && (document.querySelector("details.site-menu").open = true)');
    await sleep(300);
    await shoot(`menu-${width}-${scheme}`, false);
  }
}
if (page.errors?.length) process.stderr.write(`page errors:\n${page.errors.join('\n')}\n`);
await browser.close();
await server.close();
process.stdout.write(`screenshots written to ${opts.out}\n`);
