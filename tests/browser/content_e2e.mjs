// What the default theme's content scripts do in headless Chromium: the copy button of a code
// block (code.js), the tabs component (tabs.js) with the keyboard, across a group and without
// JavaScript, and a Mermaid diagram drawn by diagrams.js with the site's copy of Mermaid.
//
//   node tests/browser/content_e2e.mjs --site public --code /kod/ --tabs /taby/ \
//       --tabs2 /taby-2/ --diagram /diagram/
//
// Serves the built site at the root. Prints one JSON object: what was copied (through the
// real clipboard, or through a stand-in for navigator.clipboard when the browser refuses
// one: `clipboard` says which), the button's label before and after, the tabs' roles, the
// focused tab and the shown panel after each key, the tab remembered on the next page, the
// panels and labels shown without JavaScript, and whether the diagram was drawn. Judging is
// left to the caller; the script exits non-zero only when it could not observe the pages.

import { parseArgs } from 'node:util';
import { harness, launch } from './cdp.mjs';
import { serve } from './serve.mjs';

const { values: opts } = parseArgs({
  options: {
    site: { type: 'string' },
    code: { type: 'string' },
    tabs: { type: 'string' },
    tabs2: { type: 'string' },
    diagram: { type: 'string' },
    timeout: { type: 'string', default: '60000' },
  },
});

let browser = null;
const { fail, watchdog, sleep } = harness('content_e2e', Number(opts.timeout), () => browser);

// A real click (mouse down and up at the element's centre), which gives the page the user
// activation the clipboard asks for.
async function click(page, selector) {
  const at = await page.evaluate(`(() => { const e = document.querySelector(${JSON.stringify(selector)});
    e.scrollIntoView({ block: 'center', behavior: 'instant' }); const r = e.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`);
  for (const type of ['mousePressed', 'mouseReleased']) {
    await page.send('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', clickCount: 1 });
  }
}

// The focused tab's text and the label of the panel shown.
const TAB_STATE = `(() => {
  const box = document.querySelector('.tabs');
  const shown = [...box.querySelectorAll('[role=tabpanel]')].filter((p) => !p.hidden);
  return [document.activeElement.textContent, shown.map((p) => p.dataset.label).join('+')];
})()`;

try {
  const server = await serve(opts.site, '/');
  browser = await launch();
  const page = await browser.newPage();
  const report = {};
  const base = server.url;

  // Copy, through the real clipboard when the browser grants it.
  const origin = new URL(base).origin;
  let real = true;
  try {
    await browser.send('Browser.grantPermissions', {
      origin, permissions: ['clipboardReadWrite', 'clipboardSanitizedWrite'],
    });
  } catch {
    real = false;
  }
  await page.goto(`${base}${opts.code}`);
  await page.waitFor('document.querySelector(".code-copy")');
  const label = 'document.querySelector(".code-copy").textContent';
  const before = await page.evaluate(label);
  await click(page, '.code-copy');
  await page.waitFor(`${label} !== ${JSON.stringify(before)}`, 5000).catch(() => {});
  report.copy_label = [before, await page.evaluate(label)];
  let copied = null;
  if (real) {
    copied = await page.evaluate('navigator.clipboard.readText().catch(() => null)');
  }
  if (copied === null || report.copy_label[1] !== 'Skopiowano') {
    // The browser refused the clipboard: the same click with a stand-in for it.
    real = false;
    await page.goto(`${base}${opts.code}`);
    await page.evaluate(`Object.defineProperty(navigator, 'clipboard', { configurable: true,
      value: { writeText: (t) => { window.__copied = t; return Promise.resolve(); } } })`);
    await page.waitFor('document.querySelector(".code-copy")');
    await click(page, '.code-copy');
    await page.waitFor('window.__copied !== undefined', 5000);
    copied = await page.evaluate('window.__copied');
    report.copy_label = [before, await page.evaluate(label)];
  }
  report.copied = copied;
  report.clipboard = real ? 'real' : 'stub';

  // Tabs with the keyboard.
  await page.goto(`${base}${opts.tabs}`);
  await page.evaluate('localStorage.clear()');
  await page.goto(`${base}${opts.tabs}`);
  await page.waitFor('document.querySelector(".tabs--ready")');
  const tabs = {};
  tabs.roles = await page.evaluate('[...document.querySelectorAll(".tabs [role=tablist] > *")].map((t) => t.getAttribute("role"))');
  await page.evaluate('document.querySelector(".tabs [role=tab]").focus()');
  tabs.keys = [];
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'End', 'Home']) {
    await page.press(key);
    tabs.keys.push(await page.evaluate(TAB_STATE));
  }
  // Picking a tab of a group is remembered on the next page with that group.
  await click(page, '.tabs [role=tab]:nth-child(2)');
  await page.goto(`${base}${opts.tabs2}`);
  await page.waitFor('document.querySelector(".tabs--ready")');
  tabs.remembered = await page.evaluate('document.querySelector(".tabs [aria-selected=true]").textContent');
  // Without JavaScript every panel shows under its label.
  await page.send('Emulation.setScriptExecutionDisabled', { value: true });
  await page.goto(`${base}${opts.tabs}`);
  tabs.without_js = await page.evaluate(`[
    [...document.querySelectorAll('.tabs__panel')].filter((p) => p.getBoundingClientRect().height > 0).length,
    [...document.querySelectorAll('.tabs__label')].filter((l) => l.getBoundingClientRect().height > 0).length,
  ]`);
  await page.send('Emulation.setScriptExecutionDisabled', { value: false });
  report.tabs = tabs;

  // A diagram, drawn by the site's copy of Mermaid.
  if (opts.diagram) {
    await page.goto(`${base}${opts.diagram}`);
    await page.waitFor('document.querySelector(".diagram--drawn")', 5000).catch(() => {});
    report.diagram = await page.evaluate(`({
      drawn: !!document.querySelector('.diagram__drawing svg'),
      source_hidden: document.querySelector('.diagram pre').hidden,
    })`);
  }

  await sleep(100);
  report.errors = page.errors;
  process.stdout.write(JSON.stringify(report) + '\n');
  clearTimeout(watchdog);
  await browser.close();
  await server.close();
} catch (e) {
  fail(e.stack || String(e));
}
