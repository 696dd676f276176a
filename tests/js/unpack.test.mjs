// unpack(): the index files as fetched (gzip as stored, or plain JSON when a host sent them with
// Content-Encoding and the browser unpacked them) become the parsed JSON.
import test from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";

import { search, within } from "./support.mjs";

const { unpack } = search;
const value = { title: "Lojalność klientów", parts: [["", "Każdy klient ".repeat(100)]] };
const json = new TextEncoder().encode(JSON.stringify(value));

test("gzip bytes are unpacked and parsed", async () => {
  assert.deepEqual(await within(unpack(new Uint8Array(gzipSync(json)))), value);
});

test("plain JSON is parsed as it is", async () => {
  assert.deepEqual(await within(unpack(json)), value);
  assert.deepEqual(await within(unpack(new TextEncoder().encode("[]"))), []);
});

test("damaged gzip or JSON rejects, and never throws synchronously", async () => {
  const packed = new Uint8Array(gzipSync(json));
  for (const bytes of [packed.slice(0, packed.length >> 1), new Uint8Array([0x1f, 0x8b]), new Uint8Array(), json.slice(0, 10)]) {
    const result = unpack(bytes);
    assert.ok(result instanceof Promise);
    await assert.rejects(within(result));
  }
});
