// A minimal Chrome DevTools Protocol client for the browser tests, without npm packages.
//
// Chromium is started with --remote-debugging-pipe: it reads commands from its fd 3 and
// writes replies and events to its fd 4, each message being JSON followed by a NUL byte.
// A pipe (rather than a WebSocket port) needs no free port, no HTTP handshake and no
// WebSocket code, and Chromium exits by itself when the pipe closes.
//
//   const browser = await launch();
//   const page = await browser.newPage();
//   await page.goto('http://127.0.0.1:8000/docs/');
//   await page.press('/');
//   await page.type('query');
//   await page.waitFor('document.querySelector("li")', 5000);
//   console.log(await page.evaluate('document.title'), page.errors);
//   await browser.close();

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_TIMEOUT_MS = 10_000;

const FLAGS = [
  '--headless',
  '--no-sandbox', // the tests may run as root, where the sandbox refuses to start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--remote-debugging-pipe',
];

// Keys the tests press. `text` makes Chromium produce the keypress/input side of a
// real key stroke; without it '/' would type nothing and Enter would not submit a form.
const KEYS = {
  '/': { key: '/', code: 'Slash', windowsVirtualKeyCode: 191, text: '/' },
  ArrowDown: { key: 'ArrowDown', code: 'ArrowDown', windowsVirtualKeyCode: 40 },
  ArrowUp: { key: 'ArrowUp', code: 'ArrowUp', windowsVirtualKeyCode: 38 },
  ArrowLeft: { key: 'ArrowLeft', code: 'ArrowLeft', windowsVirtualKeyCode: 37 },
  ArrowRight: { key: 'ArrowRight', code: 'ArrowRight', windowsVirtualKeyCode: 39 },
  Home: { key: 'Home', code: 'Home', windowsVirtualKeyCode: 36 },
  End: { key: 'End', code: 'End', windowsVirtualKeyCode: 35 },
  Enter: { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' },
  Escape: { key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 },
  Backspace: { key: 'Backspace', code: 'Backspace', windowsVirtualKeyCode: 8 },
  Tab: { key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 },
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Rejects with `message` unless `promise` settles within `ms`; `onTimeout` lets the caller
// drop whatever bookkeeping would otherwise wait forever.
function withTimeout(promise, ms, message, onTimeout) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`timed out after ${ms} ms: ${message}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// What every browser script starts with: `fail` prints `name: message`, kills the browser
// `current()` returns (when there is one) and exits 1; `watchdog` fails the run after
// `timeoutMs` (clear it once the run is done); `sleep` waits.
export function harness(name, timeoutMs, current) {
  function fail(message) {
    process.stderr.write(`${name}: ${message}\n`);
    current()?.killNow();
    process.exit(1);
  }
  const watchdog = setTimeout(() => fail('watchdog: the run took too long'), timeoutMs);
  return { fail, watchdog, sleep };
}

/**
 * Starts headless Chromium and connects to it.
 * Options: `executable` (default: env CHROMIUM or /usr/bin/chromium), `timeoutMs` for
 * start-up and for each command, `args` extra command-line flags.
 */
export async function launch(options = {}) {
  const executable = options.executable ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const userDataDir = mkdtempSync(join(tmpdir(), 'kbsite-chromium-'));
  const args = [...FLAGS, `--user-data-dir=${userDataDir}`, ...(options.args ?? []), 'about:blank'];

  // `detached` gives Chromium its own process group, so close() can end the renderer and
  // helper processes too, not only the browser process.
  const proc = spawn(executable, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const browser = new Browser(proc, userDataDir, timeoutMs);
  try {
    await withTimeout(
      Promise.race([browser.send('Browser.getVersion'), browser.exited.then((err) => { throw err; })]),
      timeoutMs,
      `waiting for ${executable} to answer on the DevTools pipe`,
    );
  } catch (err) {
    await browser.close();
    throw new Error(`could not start Chromium (${executable}): ${err.message}${browser.stderrTail()}`);
  }
  return browser;
}

class Browser {
  constructor(proc, userDataDir, timeoutMs) {
    this.proc = proc;
    this.userDataDir = userDataDir;
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
    this.pending = new Map(); // command id -> {resolve, reject, method}
    this.sessions = new Map(); // sessionId -> event handler
    this.stderr = '';
    this.closed = false;

    // Chromium's stderr is kept (the end of it) only to explain a failed start or a crash.
    proc.stdio[2].setEncoding('utf8');
    proc.stdio[2].on('data', (s) => { this.stderr = (this.stderr + s).slice(-4000); });

    this.writer = proc.stdio[3];
    this.writer.on('error', () => {}); // EPIPE after a crash; reported through `exited`
    let buffered = [];
    proc.stdio[4].on('error', () => {});
    proc.stdio[4].on('data', (chunk) => {
      // Split on NUL bytes before decoding, so a UTF-8 character cut between two chunks
      // is never decoded in halves.
      let start = 0;
      for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
        buffered.push(chunk.subarray(start, end));
        this.dispatch(JSON.parse(Buffer.concat(buffered).toString('utf8')));
        buffered = [];
        start = end + 1;
      }
      if (start < chunk.length) buffered.push(chunk.subarray(start));
    });

    // Settles (never rejects) when the process ends; every waiting command fails then,
    // instead of waiting for its timeout.
    this.exited = new Promise((resolve) => {
      const onEnd = (code, signal) => {
        this.closed = true;
        const err = new Error(`Chromium exited (code ${code}, signal ${signal})${this.stderrTail()}`);
        for (const { reject } of this.pending.values()) reject(err);
        this.pending.clear();
        resolve(err);
      };
      proc.once('exit', onEnd);
      proc.once('error', (err) => {
        // Not started at all (no such file, not executable): no 'exit' follows.
        this.closed = true;
        const failure = new Error(`cannot run it: ${err.message}`);
        for (const { reject } of this.pending.values()) reject(failure);
        this.pending.clear();
        resolve(failure);
      });
    });

    // If the test script dies, the browser and its profile must not outlive it.
    this.onProcessExit = () => this.killNow();
    process.once('exit', this.onProcessExit);
  }

  stderrTail() {
    const tail = this.stderr.trim().split('\n').slice(-8).join('\n');
    return tail ? `\nChromium stderr (end):\n${tail}` : '';
  }

  dispatch(msg) {
    if (msg.id !== undefined) {
      const call = this.pending.get(msg.id);
      if (!call) return; // answer to a command that already timed out
      this.pending.delete(msg.id);
      if (msg.error) call.reject(new Error(`${call.method}: ${msg.error.message} (${msg.error.code})`));
      else call.resolve(msg.result);
    } else if (msg.sessionId) {
      this.sessions.get(msg.sessionId)?.(msg.method, msg.params);
    }
  }

  /** Sends one CDP command; `sessionId` addresses a page attached with flatten:true. */
  send(method, params = {}, sessionId, timeoutMs = this.timeoutMs) {
    if (this.closed) return Promise.reject(new Error(`${method}: the browser is closed`));
    const id = this.nextId++;
    const reply = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
    this.writer.write(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }) + '\0');
    return withTimeout(reply, timeoutMs, `no answer to ${method}`, () => this.pending.delete(id));
  }

  /** Opens a new tab and returns a Page attached to it. */
  async newPage() {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId, targetId);
    this.sessions.set(sessionId, (method, params) => page.onEvent(method, params));
    await page.init();
    return page;
  }

  // Synchronous last resort, also used from process 'exit' where nothing async runs.
  killNow() {
    try { process.kill(-this.proc.pid, 'SIGKILL'); } catch { /* already gone */ }
    try { rmSync(this.userDataDir, { recursive: true, force: true }); } catch { /* best effort */ }
  }

  /** Ends Chromium (and its helper processes) and removes the temporary profile. */
  async close() {
    process.removeListener('exit', this.onProcessExit);
    if (!this.closed) {
      // A polite Browser.close lets Chromium flush and exit cleanly; the group kill
      // below still runs in case it does not.
      await this.send('Browser.close', {}, undefined, 2000).catch(() => {});
      await Promise.race([this.exited, sleep(2000)]);
    }
    try { process.kill(-this.proc.pid, 'SIGKILL'); } catch { /* already gone */ }
    await Promise.race([this.exited, sleep(2000)]);
    // Helper processes may still hold files in the profile for a moment.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        rmSync(this.userDataDir, { recursive: true, force: true });
        break;
      } catch {
        await sleep(100);
      }
    }
  }
}

class Page {
  constructor(browser, sessionId, targetId) {
    this.browser = browser;
    this.sessionId = sessionId;
    this.targetId = targetId;
    /** Problems seen by the page, as strings: exceptions, console errors, failed requests. */
    this.errors = [];
    this.waiters = new Set(); // {method, predicate, resolve}
    this.requestUrls = new Map(); // requestId -> url, to name the request of a loadingFailed
  }

  send(method, params) {
    return this.browser.send(method, params, this.sessionId);
  }

  async init() {
    await Promise.all([
      this.send('Page.enable'),
      this.send('Runtime.enable'),
      this.send('Log.enable'),
      this.send('Network.enable'),
      // Headless windows are not always "focused"; without this, focus/blur and
      // document.hasFocus() would not behave as for a user at the keyboard.
      this.send('Emulation.setFocusEmulationEnabled', { enabled: true }),
    ]);
    await this.browser.send('Target.activateTarget', { targetId: this.targetId });
  }

  // Messages can quote what the page was given (a 10,000-character query, say); the
  // start of one is enough to recognise it.
  addError(message) {
    this.errors.push(message.length > 500 ? `${message.slice(0, 500)}… (${message.length} characters)` : message);
  }

  onEvent(method, params) {
    switch (method) {
      case 'Runtime.exceptionThrown': {
        const d = params.exceptionDetails;
        const text = d.exception?.description ?? d.text;
        // A stack trace already names the script; a bare message does not.
        const where = d.url && !text.includes(d.url) ? ` (${d.url}:${d.lineNumber + 1}:${d.columnNumber + 1})` : '';
        this.addError(`exception: ${text}${where}`);
        break;
      }
      case 'Runtime.consoleAPICalled':
        if (params.type === 'error' || params.type === 'assert') {
          const text = params.args.map((a) => a.value ?? a.description ?? a.type).join(' ');
          this.addError(`console.${params.type}: ${text}`);
        }
        break;
      case 'Log.entryAdded':
        // Failed requests also appear here as "Failed to load resource"; the Network
        // events below already report them with their address, so they are not doubled.
        if (params.entry.level === 'error' && params.entry.source !== 'network') {
          const url = params.entry.url ? ` (${params.entry.url})` : '';
          this.addError(`log(${params.entry.source}): ${params.entry.text}${url}`);
        }
        break;
      case 'Network.requestWillBeSent':
        this.requestUrls.set(params.requestId, params.request.url);
        break;
      case 'Network.responseReceived':
        if (params.response.status >= 400) {
          this.addError(`HTTP ${params.response.status}: ${params.response.url}`);
        }
        break;
      case 'Network.loadingFailed':
        // Cancelled requests are the page's own doing (navigating away, aborted fetches).
        if (!params.canceled && params.errorText !== 'net::ERR_ABORTED') {
          const url = this.requestUrls.get(params.requestId) ?? params.requestId;
          this.addError(`request failed: ${params.errorText}: ${url}`);
        }
        break;
      case 'Page.javascriptDialogOpening':
        // An open alert() blocks the page and every later evaluate, so it is recorded
        // (it usually means injected script ran) and dismissed at once.
        this.addError(`dialog ${params.type}: ${params.message}`);
        this.send('Page.handleJavaScriptDialog', { accept: params.type === 'beforeunload' }).catch(() => {});
        break;
    }
    for (const w of this.waiters) {
      if (w.method.includes(method) && w.predicate(params)) w.resolve({ method, params });
    }
  }

  /** Resolves with the next event named in `methods` (a name or a list) that passes `predicate`. */
  waitForEvent(methods, timeoutMs = this.browser.timeoutMs, predicate = () => true) {
    const w = { method: [methods].flat(), predicate };
    const event = new Promise((resolve) => { w.resolve = resolve; });
    this.waiters.add(w);
    return withTimeout(
      Promise.race([event, this.browser.exited.then((err) => { throw err; })]),
      timeoutMs,
      `waiting for ${w.method.join(' or ')}`,
    ).finally(() => this.waiters.delete(w));
  }

  /**
   * Resolves when the main frame has navigated: a new document has loaded, or the
   * address changed within the same document (a #fragment). Call it before the action
   * that navigates, and await it after.
   */
  waitForNavigation(timeoutMs = this.browser.timeoutMs) {
    return this.waitForEvent(
      ['Page.loadEventFired', 'Page.navigatedWithinDocument'],
      timeoutMs,
      (p) => p.frameId === undefined || p.frameId === this.targetId, // main frame id == target id
    );
  }

  /** Opens `url` and waits for its load event. */
  async goto(url, timeoutMs = this.browser.timeoutMs) {
    const loaded = this.waitForEvent('Page.loadEventFired', timeoutMs);
    loaded.catch(() => {}); // may be abandoned below; its rejection is not an error then
    const nav = await this.send('Page.navigate', { url });
    if (nav.errorText) throw new Error(`cannot open ${url}: ${nav.errorText}`);
    // Without a loaderId the navigation stayed in the same document: no load event comes.
    if (nav.loaderId) {
      await loaded.catch((err) => { throw new Error(`opening ${url}: ${err.message}`); });
    }
  }

  /** Evaluates a JavaScript expression in the page; awaits a returned promise. */
  async evaluate(expression) {
    const r = await this.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(`evaluate failed: ${d.exception?.description ?? d.text}\n  in: ${expression.slice(0, 200)}`);
    }
    return r.result.value;
  }

  /** Polls `expression` until it is truthy, returning its value; fails after `timeoutMs`. */
  async waitFor(expression, timeoutMs = this.browser.timeoutMs, intervalMs = 50) {
    const deadline = Date.now() + timeoutMs;
    let lastError = null;
    for (;;) {
      try {
        const value = await this.evaluate(expression);
        if (value) return value;
        lastError = null;
      } catch (err) {
        // A navigation may destroy the context mid-poll; that resolves itself, so only
        // a browser that is gone ends the wait early.
        if (this.browser.closed) throw err;
        lastError = err;
      }
      if (Date.now() >= deadline) {
        const why = lastError ? ` (last error: ${lastError.message})` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}${why}`);
      }
      await sleep(intervalMs);
    }
  }

  /** Presses and releases one of the keys in KEYS, sent to the focused element. */
  async press(name) {
    const k = KEYS[name];
    if (!k) throw new Error(`press: unknown key ${JSON.stringify(name)}; known: ${Object.keys(KEYS).join(', ')}`);
    const { text, ...key } = k;
    // 'keyDown' with text produces keypress and input; 'rawKeyDown' is a key without text.
    await this.send('Input.dispatchKeyEvent', text ? { type: 'keyDown', ...key, text, unmodifiedText: text } : { type: 'rawKeyDown', ...key });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
  }

  /** Types `text` one character at a time, so each character fires its own key and input events. */
  async type(text) {
    for (const ch of text) {
      await this.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch });
      await this.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
    }
  }

  /** Inserts `text` at once, like a paste: one input event, no key events. */
  async insertText(text) {
    await this.send('Input.insertText', { text });
  }
}
