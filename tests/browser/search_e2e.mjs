// End-to-end check of the site's search UI in headless Chromium.
//
//   node tests/browser/search_e2e.mjs --site public --base /docs/ --query spolecznosciowych
//
// Serves the built site under the base path, drives the header search box and the search
// page like a user at the keyboard, and prints one JSON object on stdout describing what
// the browser saw. Judging that output is left to the caller: this script exits 0 whenever
// it could observe the site, and non-zero (with a message on stderr, nothing on stdout)
// only when the driver itself failed: Chromium did not start, or a step timed out.
//
// Options: --site DIR (required), --base PATH (default /docs/), --query TEXT (default
// spolecznosciowych), --step-timeout MS per wait (default 5000), --timeout MS for the
// whole run (default 40000). Env CHROMIUM overrides the browser executable.
//
// The index files are served as stored (gzip, `application/octet-stream`), as most static
// hosts do; one more header search goes through a host that sends the `.gz` files with
// `Content-Encoding: gzip`, so that the browser has unpacked them before search.js sees them.

import { existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from './cdp.mjs';
import { serve } from './serve.mjs';

const { values: opts } = parseArgs({
  options: {
    site: { type: 'string' },
    base: { type: 'string', default: '/docs/' },
    query: { type: 'string', default: 'spolecznosciowych' },
    'step-timeout': { type: 'string', default: '5000' },
    timeout: { type: 'string', default: '40000' },
  },
});
const STEP_MS = Number(opts['step-timeout']);
const TOTAL_MS = Number(opts.timeout);
const BASE_DIR = opts.base.replace(/^\/+|\/+$/g, '');
const BASE = BASE_DIR ? `/${BASE_DIR}/` : '/'; // "/docs/" whichever way it was written
const QUERY = opts.query;

const HOSTILE = ['<img src=x onerror=alert(1)>', '.*(', 'a'.repeat(10_000), ''];

let browser = null;
let server = null;
let encodingHost = null;
let page = null;

function fail(message, code = 1) {
  process.stderr.write(`search_e2e: ${message}\n`);
  browser?.killNow(); // synchronous: the process exits right after
  process.exit(code);
}

// The last line of defence against a hang: every wait below has its own timeout, but
// nothing may keep the run (and a CI job) waiting forever.
const watchdog = setTimeout(() => fail(`watchdog: the run took longer than ${TOTAL_MS} ms`, 2), TOTAL_MS);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const js = (value) => JSON.stringify(value); // a value as a JavaScript literal

// Names the step in any error, so a timeout says what the driver was doing.
async function step(name, fn) {
  try {
    return await fn();
  } catch (err) {
    err.message = `${name}: ${err.message}`;
    throw err;
  }
}

// The results of a list following the DOM contract, as plain data.
// The header's popup holds options (`li[role=option]`, their address in data-url, no link
// inside); the search page holds links. `role` and `links` say which each result had.
const collect = (listId) => `[...(document.getElementById(${js(listId)})?.querySelectorAll('li') ?? [])]
  .filter((li) => li.querySelector('.kb-result__title'))
  .map((li) => ({
    title: li.querySelector('.kb-result__title')?.textContent.trim() ?? null,
    href: li.dataset.url ?? li.querySelector('a')?.getAttribute('href') ?? null,
    snippetHtml: li.querySelector('.kb-result__snippet')?.innerHTML.trim() ?? null,
    role: li.getAttribute('role'),
    links: li.querySelectorAll('a').length,
  }))`;

// A host in front of `target` (an origin) that sends every `.gz` file with
// `Content-Encoding: gzip` (as some hosts do for that extension), the bytes unchanged.
async function contentEncodingHost(target) {
  const host = createServer((req, res) => {
    const upstream = request(target + req.url, { method: req.method, headers: req.headers }, (reply) => {
      const headers = { ...reply.headers };
      if (new URL(req.url, target).pathname.endsWith('.gz')) {
        headers['content-encoding'] = 'gzip';
        headers['content-type'] = 'application/json';
      }
      res.writeHead(reply.statusCode, headers);
      reply.pipe(res);
    });
    upstream.on('error', (err) => res.destroy(err));
    req.pipe(upstream);
  });
  await new Promise((ok, fail) => {
    host.once('error', fail);
    host.listen(0, '127.0.0.1', ok);
  });
  return {
    url: `http://127.0.0.1:${host.address().port}`,
    close: () => new Promise((ok) => { host.close(() => ok()); host.closeAllConnections(); }),
  };
}

// The first bytes of index files as the page fetches them: meta.json plain, the rest gzip.
const storedIndex = `(async () => {
  const base = document.querySelector('form.site-search').dataset.index;
  const head = async (name) => {
    const bytes = new Uint8Array(await (await fetch(base + name)).arrayBuffer());
    return Array.from(bytes.slice(0, 2));
  };
  return { meta: await head('meta.json'), dict: await head('d/0.json.gz'), fragment: await head('f/0.json.gz') };
})()`;

// The search UI marks a list with data-query once it has answered that exact query.
const answered = (listId, query) => `document.getElementById(${js(listId)})?.dataset.query === ${js(query)}`;

async function main() {
  if (!(STEP_MS > 0 && TOTAL_MS > 0)) fail('--step-timeout and --timeout take a number of milliseconds');
  if (!opts.site) fail('missing --site <built site directory>');
  if (!existsSync(join(opts.site, 'index.html'))) fail(`no index.html in ${opts.site}; build the site first`);

  server = await serve(opts.site, BASE);
  const home = `${server.url}${BASE}`;
  browser = await launch({ timeoutMs: 10_000 });
  page = await browser.newPage();

  // Presses '/' and reports whether it focused the header box. If it did not, the box is
  // focused directly, so that the later checks still say something about the search.
  async function focusBox() {
    await page.press('/');
    const focused = await page.evaluate(`document.activeElement?.id === 'kb-search-input'`);
    if (!focused) await page.evaluate(`document.getElementById('kb-search-input')?.focus()`);
    return focused;
  }

  // 1. '/' then typing in the header box.
  const { focused, results } = await step('header search', async () => {
    await page.goto(home, STEP_MS);
    const focused = await focusBox();
    await page.type(QUERY);
    await page.waitFor(answered('kb-search-results', QUERY), STEP_MS);
    return { focused, results: await page.evaluate(collect('kb-search-results')) };
  });

  // 1b. What the keyboard does with the results open: the live region's count, the first
  // Escape (closes, keeps the query), the second (clears), Tab (closes).
  const keys = await step('Escape, Tab and the count', async () => {
    const state = `(() => ({
      open: !document.getElementById('kb-search-results').hidden,
      value: document.getElementById('kb-search-input').value,
      announced: document.getElementById('kb-search-status')?.textContent ?? null,
      scrollY: window.scrollY,
    }))()`;
    const seen = { typed: await page.evaluate(state) };
    // The option the arrow key is on looks different from the others.
    await page.press('ArrowDown');
    seen.selectedStyled = await page.evaluate(`(() => {
      const options = [...document.querySelectorAll('#kb-search-results [role=option]')];
      const chosen = options.find((o) => o.getAttribute('aria-selected') === 'true');
      const other = options.find((o) => o !== chosen);
      if (!chosen || !other) return null;
      const look = (e) => { const s = getComputedStyle(e); return [s.backgroundColor, s.boxShadow].join('|'); };
      return look(chosen) !== look(other);
    })()`);
    await page.press('Escape');
    seen.escape1 = await page.evaluate(state);
    await page.press('Escape');
    seen.escape2 = await page.evaluate(state);
    await page.type(QUERY);
    await page.waitFor(answered('kb-search-results', QUERY), STEP_MS);
    await page.press('Tab');
    seen.tab = await page.evaluate(state);
    // '/' in the middle of a long page focuses the box without moving the page.
    await page.evaluate(`document.activeElement.blur(); window.scrollTo(0, 400)`);
    await page.press('/');
    seen.slash = await page.evaluate(state);
    await page.evaluate(`window.scrollTo(0, 0)`);
    await page.evaluate(`document.getElementById('kb-search-input').focus()`);
    await page.type('x');
    await page.press('Backspace');
    await page.waitFor(answered('kb-search-results', QUERY), STEP_MS);
    return seen;
  });

  // 2. Keyboard choice of the first result.
  const navigatedTo = await step('ArrowDown + Enter', async () => {
    const navigation = page.waitForNavigation(STEP_MS);
    navigation.catch(() => {}); // awaited below; avoids an unhandled rejection meanwhile
    await page.press('ArrowDown');
    await page.press('Enter');
    await navigation;
    // waitFor rather than evaluate: the new document's context may still be settling.
    return page.waitFor('location.pathname + location.hash', STEP_MS);
  });

  // 3. The search page opened directly, as from a shared link or with JavaScript-less submit.
  const searchPage = await step('search page', async () => {
    await page.goto(`${home}search/?q=${encodeURIComponent(QUERY)}`, STEP_MS);
    await page.waitFor(answered('kb-search-page-results', QUERY), STEP_MS);
    return {
      results: await page.evaluate(collect('kb-search-page-results')),
      status: await page.evaluate(`document.getElementById('kb-search-page-status').textContent`),
    };
  });

  // 4. Hostile input, each on a fresh home page. A query the UI fails to answer is a
  // finding about the site, recorded in `error`, not a failure of the driver.
  const hostile = [];
  for (const query of HOSTILE) {
    await step(`hostile query ${js(query.slice(0, 40))}`, () => page.goto(home, STEP_MS));
    const errorsBefore = page.errors.length;
    let error = null;
    try {
      await focusBox();
      if (query === '') {
        // Emptying the box is the only way to "type" an empty query: answer a real query
        // first, then select everything and delete it.
        await page.type(QUERY);
        await page.waitFor(answered('kb-search-results', QUERY), STEP_MS);
        await page.evaluate(`document.getElementById('kb-search-input').select()`);
        await page.press('Backspace');
        // An emptied box may be answered with data-query="" or simply by closing the list.
        await page.waitFor(`(() => {
          const list = document.getElementById('kb-search-results');
          return list.dataset.query === '' ||
            ![...list.querySelectorAll('li[role="option"]')].some((li) => li.getClientRects().length);
        })()`, STEP_MS);
      } else {
        // 10,000 key strokes would take long and would mostly test key handling; a long
        // query arrives in practice by pasting, which insertText reproduces.
        if (query.length > 100) await page.insertText(query);
        else await page.type(query);
        // Compared with the box's value, in case a maxlength shortened what was typed.
        await page.waitFor(`(() => {
          const list = document.getElementById('kb-search-results');
          return list.dataset.query === document.getElementById('kb-search-input').value;
        })()`, STEP_MS);
      }
    } catch (err) {
      error = err.message.length > 300 ? err.message.slice(0, 300) + '…' : err.message;
    }
    await sleep(200); // lets a late exception or a stale answer show up before looking
    const state = await page.evaluate(`(() => {
      const list = document.getElementById('kb-search-results');
      return {
        count: list ? [...list.querySelectorAll('li[role="option"]')].filter((li) => li.getClientRects().length).length : 0,
        injected: !!list?.querySelector('img'),
      };
    })()`);
    const newErrors = page.errors.slice(errorsBefore);
    if (newErrors.length) error = [...newErrors, ...(error ? [error] : [])].join('\n');
    hostile.push({ query, count: state.count, error, injected: state.injected });
  }

  // 5. The index as the host sends it, and a host that sends it with Content-Encoding.
  const stored = await step('index files as stored', async () => {
    await page.goto(home, STEP_MS);
    return page.evaluate(storedIndex);
  });
  encodingHost = await contentEncodingHost(server.url);
  const encodedHost = await step('header search through a host with Content-Encoding', async () => {
    await page.goto(`${encodingHost.url}${BASE}`, STEP_MS);
    await focusBox();
    await page.type(QUERY);
    await page.waitFor(answered('kb-search-results', QUERY), STEP_MS);
    return page.evaluate(collect('kb-search-results'));
  });
  // What the page got from that host: JSON the browser has already unpacked.
  const encodedStored = await step('index files through the host with Content-Encoding', () =>
    page.evaluate(storedIndex));

  const report = {
    focused, results, keys, navigatedTo, searchPage, hostile, stored, encodedHost, encodedStored, errors: page.errors,
  };
  await new Promise((resolve) => process.stdout.write(JSON.stringify(report, null, 2) + '\n', resolve));
}

try {
  await main();
} catch (err) {
  // What the page reported so far often explains a timeout (a script that 404s, say).
  const seen = page?.errors.length ? `\npage errors so far:\n  ${page.errors.join('\n  ')}` : '';
  fail(err.message + seen);
} finally {
  clearTimeout(watchdog);
  await browser?.close();
  await encodingHost?.close();
  await server?.close();
}
