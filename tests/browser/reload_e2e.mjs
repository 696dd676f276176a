// The live preview in headless Chromium: opens a page served by `kbsite serve`, scrolls it,
// edits its Markdown file, and waits for the page to reload by itself with the new text and
// the same scroll position.
//
//   node tests/browser/reload_e2e.mjs --url http://127.0.0.1:PORT/a/ --file content/a.md \
//        --from "old text" --to "new text"
//
// Prints one JSON object: {reloaded, text, scrollBefore, scrollAfter, errors}. Exits non-zero
// only when the driver itself fails (Chromium does not start, a step times out).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launch } from './cdp.mjs';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    file: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
});

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(opts.url);
  // The reload channel is connected once the page script has run.
  await page.waitFor('document.querySelector(\'script[src="/__kbsite/live.js"]\') !== null');
  // Scrolled only once the page is laid out whole (stylesheet and fonts), or a busy machine
  // clamps the scroll to a page still being styled.
  await page.waitFor('document.readyState === "complete"', 10000);
  await page.evaluate('document.fonts ? document.fonts.ready.then(() => true) : true');
  await page.evaluate('window.scrollTo(0, 700); window.__kbsiteMarker = 1; true');
  await page.waitFor('Math.abs(window.scrollY - 700) < 5', 5000).catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  const scrollBefore = await page.evaluate('window.scrollY');
  const text = readFileSync(opts.file, 'utf8');
  writeFileSync(opts.file, text.replace(opts.from, opts.to));
  await page.waitFor(
    `window.__kbsiteMarker === undefined && document.body.innerText.includes(${JSON.stringify(opts.to)})`,
    10000,
  );
  // The page restores its position once it is laid out; give it that moment.
  await page
    .waitFor(`document.readyState === "complete" && Math.abs(window.scrollY - ${scrollBefore}) < 5`, 5000)
    .catch(() => {});
  const scrollAfter = await page.evaluate('window.scrollY');
  const bodyText = await page.evaluate('document.body.innerText');
  process.stdout.write(
    JSON.stringify({
      reloaded: true,
      text: bodyText.slice(0, 2000),
      scrollBefore,
      scrollAfter,
      errors: page.errors,
    }),
  );
} finally {
  await browser.close();
}
