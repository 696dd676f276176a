// Layout of the default theme as a reader meets it, measured in headless Chromium with
// getBoundingClientRect (never by comparing pictures).
//
//   node tests/browser/layout.mjs --site public --page /dzial-07/artykul-030/
//
// Serves the built site at the root and opens `--page` (an article with a sidebar) and the
// home page at 390x844 (a phone) and 1280x900, in light and dark. Prints one JSON object:
// for each width and scheme, the header's height, the widest element against the viewport,
// where the sidebar is and whether its current link shows inside whatever scrolls it (the
// sidebar on a desktop, the opened menu on a phone). Judging is left to the caller: the
// script exits non-zero (with a message on stderr) only when it could not observe the site.
//
// Env CHROMIUM overrides the browser executable.

import { parseArgs } from 'node:util';
import { harness, launch } from './cdp.mjs';
import { serve } from './serve.mjs';

const { values: opts } = parseArgs({
  options: {
    site: { type: 'string' },
    page: { type: 'string' },
    timeout: { type: 'string', default: '60000' },
  },
});

let browser = null;
const { fail, watchdog, sleep } = harness('layout', Number(opts.timeout), () => browser);

// What one page looks like, measured in the page.
const MEASURE = `(() => {
  const width = document.documentElement.clientWidth;
  let widest = { right: 0, what: '' };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // Inside something that scrolls sideways on purpose (code, tables), overflow is fine.
    let scrolls = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') { scrolls = true; break; }
    }
    if (!scrolls && r.right > widest.right) widest = { right: Math.round(r.right), what: el.tagName + '.' + el.className };
  }
  const header = document.querySelector('header.site-header').getBoundingClientRect();
  const edge = (selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    // The left edge of its content: inside its padding.
    return Math.round(el.getBoundingClientRect().left + parseFloat(getComputedStyle(el).paddingLeft));
  };
  // Breadcrumb separators end an item (a wrapped line never starts with "/").
  const crumbs = [...document.querySelectorAll('.breadcrumbs li')];
  const separators = crumbs.map((li) => [
    getComputedStyle(li, '::before').content,
    getComputedStyle(li, '::after').content,
  ]);
  return {
    separators,
    // Where the site's name and the page's first column start: one left edge.
    title_left: edge('.site-title'),
    content_left: edge('.docs-layout') ?? edge('.site-main .wrap'),
    viewport: width,
    header_height: Math.round(header.height),
    widest_right: widest.right,
    widest: widest.what,
    scroll_width: document.documentElement.scrollWidth,
  };
})()`;

// Whether the current page's link is inside the visible part of the box that scrolls it.
const CURRENT_SHOWN = `(() => {
  const a = document.querySelector('nav.docs-nav a[aria-current=page]');
  if (!a) return { found: false };
  let box = a.parentElement;
  while (box && box !== document.body) {
    const s = getComputedStyle(box);
    if ((s.overflowY === 'auto' || s.overflowY === 'scroll') && box.scrollHeight > box.clientHeight) break;
    box = box.parentElement;
  }
  const r = a.getBoundingClientRect();
  const v = box && box !== document.body
    ? box.getBoundingClientRect()
    : { top: 0, bottom: window.innerHeight };
  const inMenu = !!a.closest('details.site-menu');
  return {
    found: true,
    in_menu: inMenu,
    box: box && box !== document.body ? box.className : 'page',
    shown: r.top >= v.top && r.bottom <= v.bottom && r.top < window.innerHeight && r.bottom > 0,
  };
})()`;

try {
  const server = await serve(opts.site, '/');
  browser = await launch();
  const page = await browser.newPage();
  const report = {};
  for (const [name, width, height] of [['phone', 390, 844], ['desktop', 1280, 900]]) {
    for (const scheme of ['light', 'dark']) {
      await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: width < 500 });
      await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
      const key = `${name}_${scheme}`;
      await page.goto(`${server.url}${opts.page}`);
      await sleep(200);
      const article = await page.evaluate(MEASURE);
      if (name === 'phone') await page.evaluate('document.querySelector("details.site-menu").open = true');
      await sleep(200);
      article.current = await page.evaluate(CURRENT_SHOWN);
      await page.goto(`${server.url}/`);
      await sleep(200);
      report[key] = { article, home: await page.evaluate(MEASURE) };
    }
  }
  // The colour scheme switch: system -> light -> dark, kept across a reload (applied before
  // the page's first paint), and back to the system's.
  await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'light' }] });
  await page.goto(`${server.url}${opts.page}`);
  const scheme = () => page.evaluate(`[document.documentElement.dataset.theme || "auto",
    getComputedStyle(document.body).backgroundColor,
    document.querySelector("button.theme-switch").getAttribute("aria-label")]`);
  const theme = [await scheme()];
  await page.evaluate('document.querySelector("button.theme-switch").click()');
  theme.push(await scheme());
  await page.evaluate('document.querySelector("button.theme-switch").click()');
  theme.push(await scheme());
  await page.goto(`${server.url}/`);
  theme.push(await scheme());
  await page.evaluate('document.querySelector("button.theme-switch").click()');
  theme.push(await scheme());
  report.theme = theme;
  // The search popup opens over the page: the title below it does not move.
  await page.goto(`${server.url}${opts.page}`);
  const h1Top = 'Math.round(document.querySelector("h1").getBoundingClientRect().top)';
  const before = await page.evaluate(h1Top);
  await page.evaluate(`(() => { const i = document.querySelector("#kb-search-input"); i.focus();
    i.value = "kampania"; i.dispatchEvent(new Event("input", { bubbles: true })); })()`);
  let popupOpen = false;
  for (let i = 0; i < 50 && !popupOpen; i++) {
    await sleep(100);
    popupOpen = await page.evaluate('!document.querySelector("#kb-search-results").hidden');
  }
  report.popup = { open: popupOpen, h1_moved: (await page.evaluate(h1Top)) - before };
  // A sidebar group folds and unfolds with the button beside its link.
  await page.goto(`${server.url}${opts.page}`);
  const fold = `(() => { const b = document.querySelector(".docs-nav__toggle");
    if (!b) return null;
    const list = document.getElementById(b.getAttribute("aria-controls"));
    return [b.getAttribute("aria-expanded"), list.hidden, list.getBoundingClientRect().height > 0]; })()`;
  const folding = [await page.evaluate(fold)];
  await page.evaluate('document.querySelector(".docs-nav__toggle").click()');
  folding.push(await page.evaluate(fold));
  await page.evaluate('document.querySelector(".docs-nav__toggle").click()');
  folding.push(await page.evaluate(fold));
  report.folding = folding;
  report.errors = page.errors ?? [];
  process.stdout.write(JSON.stringify(report) + '\n');
  clearTimeout(watchdog);
  await browser.close();
  await server.close();
} catch (e) {
  fail(e.stack || String(e));
}
