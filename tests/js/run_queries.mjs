// Runs queries through the browser search runtime over a built index on disk, for the
// Rust/JavaScript parity test: `node run_queries.mjs INDEX_DIR LIMIT < queries.json` prints a
// JSON array with the results of each query, or {"error": message} for a query that failed.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { Searcher, unpack } = require("../../themes/default/static/search.js");

const [dir, limit] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(0, "utf8"));
const out = [];
for (const query of queries) {
  // A fresh searcher per query, as a reader opening the page would have.
  // The files as stored, unpacked by the runtime's own unpack(), as the browser does.
  const searcher = new Searcher((name) => unpack(readFileSync(join(dir, name))));
  try {
    await searcher.open();
    const hits = await searcher.search(query, Number(limit));
    out.push({ hits, files: searcher.loaded });
  } catch (e) {
    out.push({ error: String(e && e.message) });
  }
}
process.stdout.write(JSON.stringify(out));
