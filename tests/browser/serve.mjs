// A tiny static file server for the browser tests: serves a built site under a URL
// sub-path (such as /docs/), the way it is published, so that links and scripts that
// forget the base path fail here as they would in production.
//
//   const server = await serve('public', '/docs/');
//   // ... open `${server.url}/docs/` ...
//   await server.close();

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * Serves directory `dir` at `basePath` on 127.0.0.1, on a random free port.
 * Resolves to `{url, close}`: `url` is the origin (`http://127.0.0.1:PORT`, no base path)
 * and `close()` stops the server.
 */
export async function serve(dir, basePath = '/') {
  const root = await realpath(resolve(dir));
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  const base = trimmed ? `/${trimmed}/` : '/'; // always "/docs/" or "/"

  const server = createServer((req, res) => {
    handle(req, res, root, base).catch((err) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `500 ${err.message}\n`, req);
      else res.destroy();
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    // closeAllConnections ends the browser's keep-alive sockets, which would otherwise
    // keep close() (and the test process) waiting.
    close: () => new Promise((ok) => { server.close(() => ok()); server.closeAllConnections(); }),
  };
}

function send(res, status, type, body, req, headers = {}) {
  const buf = Buffer.from(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, 'Cache-Control': 'no-store', ...headers });
  res.end(req.method === 'HEAD' ? undefined : buf);
}

async function notFound(req, res, root) {
  // The site's own 404 page, as a real host would show it.
  const page = await readFile(join(root, '404.html')).catch(() => null);
  if (page) send(res, 404, TYPES['.html'], page, req);
  else send(res, 404, 'text/plain; charset=utf-8', '404 Not Found\n', req);
}

async function handle(req, res, root, base) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'text/plain; charset=utf-8', '405 Method Not Allowed\n', req, { Allow: 'GET, HEAD' });
  }
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname + '/' === base) {
    return send(res, 301, 'text/plain; charset=utf-8', '', req, { Location: base + url.search });
  }
  if (!url.pathname.startsWith(base)) return notFound(req, res, root);

  let rel;
  try {
    rel = decodeURIComponent(url.pathname.slice(base.length));
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', '400 Bad Request\n', req);
  }
  if (rel.includes('\0')) return send(res, 400, 'text/plain; charset=utf-8', '400 Bad Request\n', req);

  // Refuse anything that resolves outside the root: "..", encoded "%2e%2e", and
  // symbolic links pointing elsewhere (hence the realpath check as well).
  const inRoot = (p) => p === root || p.startsWith(root + sep);
  let file = resolve(root, rel);
  if (!inRoot(file)) return send(res, 403, 'text/plain; charset=utf-8', '403 Forbidden\n', req);
  let info = await stat(file).catch(() => null);
  if (!info) return notFound(req, res, root);
  file = await realpath(file);
  if (!inRoot(file)) return send(res, 403, 'text/plain; charset=utf-8', '403 Forbidden\n', req);

  if (info.isDirectory()) {
    // Relative links in an index page only work if its address ends with "/".
    if (!url.pathname.endsWith('/')) {
      return send(res, 301, 'text/plain; charset=utf-8', '', req, { Location: url.pathname + '/' + url.search });
    }
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound(req, res, root);
  } else if (!info.isFile() || url.pathname.endsWith('/')) {
    return notFound(req, res, root);
  }

  res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') return res.end();
  await new Promise((ok, fail) => {
    createReadStream(file).on('error', fail).on('end', ok).pipe(res);
  });
}
