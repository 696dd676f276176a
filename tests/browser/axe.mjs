// Accessibility of built pages: axe-core (vendored in tests/browser/vendor) run inside each
// page in headless Chromium, WCAG 2.x A and AA rules (2.2 included).
//
//   node tests/browser/axe.mjs --site public --pages / /seo/ /seo/podstawy-seo/ [--popup /seo/ --query seo]
//
// Serves the built site at the root and checks each page at 390x844 and 1280x900, in light
// and dark. With --popup PAGE it also types --query into the header's search box on PAGE
// and checks the page with the results open. Prints one JSON object: for each page, width
// and scheme, the violations found ({id, impact, nodes: [target...]}). Judging is left to the
// caller; the script exits non-zero only when it could not observe the pages.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { harness, launch } from './cdp.mjs';
import { serve } from './serve.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    site: { type: 'string' },
    pages: { type: 'string', multiple: true, default: [] },
    popup: { type: 'string' },
    query: { type: 'string', default: 'seo' },
    timeout: { type: 'string', default: '120000' },
  },
});
const pages = [...opts.pages, ...positionals];

let browser = null;
const { fail, watchdog, sleep } = harness('axe', Number(opts.timeout), () => browser);

const here = dirname(fileURLToPath(import.meta.url));
const AXE = readFileSync(join(here, 'vendor', 'axe-core', 'axe.min.js'), 'utf8');
const RUN = `axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
}).then((r) => r.violations.map((v) => ({
  id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
})))`;

async function check(page) {
  await page.evaluate(AXE);
  return page.evaluate(RUN);
}

try {
  const server = await serve(opts.site, '/');
  browser = await launch();
  const page = await browser.newPage();
  const report = {};
  for (const [width, height] of [[390, 844], [1280, 900]]) {
    for (const scheme of ['light', 'dark']) {
      await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: width < 500 });
      await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
      for (const path of pages) {
        await page.goto(`${server.url}${path}`);
        await sleep(300);
        // The search page: checked with its results in.
        for (let i = 0; i < 50 && path.includes('?q='); i++) {
          if (await page.evaluate('!!document.querySelector("#kb-search-page-results li")')) break;
          await sleep(100);
        }
        report[`${path} ${width} ${scheme}`] = await check(page);
      }
      if (opts.popup) {
        await page.goto(`${server.url}${opts.popup}`);
        await page.evaluate('document.querySelector("#kb-search-input").focus()');
        await page.evaluate(`(() => { const i = document.querySelector("#kb-search-input");
          i.value = ${JSON.stringify(opts.query)}; i.dispatchEvent(new Event("input", { bubbles: true })); })()`);
        for (let i = 0; i < 50; i++) {
          await sleep(100);
          const open = await page.evaluate('!document.querySelector("#kb-search-results").hidden');
          if (open) break;
        }
        await page.evaluate(`document.querySelector("#kb-search-input").dispatchEvent(
          new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }))`);
        await sleep(200);
        report[`popup ${opts.popup} ${width} ${scheme}`] = await check(page);
      }
    }
  }
  report.errors = page.errors ?? [];
  process.stdout.write(JSON.stringify(report) + '\n');
  clearTimeout(watchdog);
  await browser.close();
  await server.close();
} catch (e) {
  fail(e.stack || String(e));
}
