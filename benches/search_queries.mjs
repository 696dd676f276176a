// What a reader's browser does for each query on a built site: which index files it downloads
// (and how many bytes, gzipped as a web server sends them, search code included) and how long
// the query takes once those files are loaded.
//
//   node benches/search_queries.mjs PUBLIC_DIR "query one" "query two" ...
//
// Prints one Markdown table row per query.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const { Searcher, unpack } = require("../themes/default/static/search.js");

const [site, ...queries] = process.argv.slice(2);
const gz = (bytes) => gzipSync(bytes).length;
const code = gz(readFileSync(join(site, "search.js")));

for (const query of queries) {
  const sizes = {};
  const load = (name) => {
    const bytes = readFileSync(join(site, "search", name));
    // Index files stored as gzip are sent as they are; meta.json is gzipped by the server.
    sizes[name] = bytes[0] === 0x1f && bytes[1] === 0x8b ? bytes.length : gz(bytes);
    return unpack(bytes);
  };
  const searcher = new Searcher(load);
  await searcher.open();
  const hits = await searcher.search(query, 10);
  const bytes = Object.values(sizes).reduce((a, b) => a + b, 0) + code;
  // Answer time with the data loaded (parsed files cached), median of 15.
  const times = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await searcher.search(query, 10);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const files = Object.keys(sizes).length;
  console.log(
    `| ${query} | ${hits.length} | ${files} | ${(bytes / 1024).toFixed(1)} KB | ${times[7].toFixed(1)} ms |`
  );
}
