// words() and queryWords(): segmentation and the query words, as in src/search/analyze.rs
// words() and src/search/query.rs query_words().
import test from "node:test";
import assert from "node:assert/strict";

import { search } from "./support.mjs";

const { words, queryWords } = search;

test("footnote markers glued to words also yield the word without them", () => {
  const w = words("przekazem internetowym2. Google Plus.1 Internet mp3 COVID19");
  // The same list as Rust's words() gives for this text.
  assert.deepEqual(w, [
    "przekazem",
    "internetowym2",
    "internetowym",
    "Google",
    "Plus",
    "1",
    "Internet",
    "mp3",
    "COVID19",
    "COVID",
  ]);
});

test("only one or two digits after four letters or more are a marker", () => {
  assert.deepEqual(words("mp3"), ["mp3"], "short words keep their digits");
  assert.deepEqual(words("abc12"), ["abc12"]);
  assert.deepEqual(words("słowo12"), ["słowo12", "słowo"]);
  assert.deepEqual(words("słowo123"), ["słowo123"], "three digits are no marker");
  assert.deepEqual(words("a1b2c3d4"), ["a1b2c3d4"], "digits inside the word");
  assert.deepEqual(words("2024"), ["2024"]);
});

test("words split at punctuation and spaces, and keep inner apostrophes and dots", () => {
  assert.deepEqual(words("e-mail, SEO; don’t 3.14"), ["e", "mail", "SEO", "don’t", "3.14"]);
  assert.deepEqual(words(""), []);
  assert.deepEqual(words(" ,.;!? "), []);
});

test("query words are folded and each kept once, in order", () => {
  assert.deepEqual(queryWords("Lojalność klientów, lojalnosc!"), ["lojalnosc", "klientow"]);
  assert.deepEqual(queryWords("ŁÓDŹ łódź Lodz"), ["lodz"]);
  assert.deepEqual(queryWords("internetowym2"), ["internetowym2", "internetowym"]);
  assert.deepEqual(queryWords(""), []);
  assert.deepEqual(queryWords("  ,.;  "), []);
});

test("a query has at most 12 words", () => {
  const long = "słowo ".repeat(2000) + Array.from({ length: 30 }, (_, i) => `w${i}x `).join("");
  const q = queryWords(long);
  assert.equal(q.length, 12);
  assert.deepEqual(q, ["slowo", ...Array.from({ length: 11 }, (_, i) => `w${i}x`)]);
  const distinct = Array.from({ length: 20 }, (_, i) => `slowo${"abcdefghijklmnopqrst"[i]}`);
  assert.deepEqual(queryWords(distinct.join(" ")), distinct.slice(0, 12));
});

test("a query word has at most 40 letters, counted after folding", () => {
  assert.deepEqual(queryWords("a".repeat(10_000)), ["a".repeat(40)]);
  assert.deepEqual(queryWords("Ą".repeat(50)), ["a".repeat(40)]);
  assert.deepEqual(queryWords("ß".repeat(30)), ["s".repeat(40)]);
  // Letters, not UTF-16 code units: a Gothic letter is two code units.
  const gothic = "\u{10330}".repeat(50);
  const [w] = queryWords(gothic);
  assert.equal(Array.from(w).length, 40);
  // Words equal once cut are one word.
  assert.deepEqual(queryWords(`${"b".repeat(41)} ${"b".repeat(45)}`), ["b".repeat(40)]);
});

test("a 10,000-character query returns quickly", () => {
  const queries = [
    "a".repeat(10_000),
    "ą".repeat(10_000),
    "słowo ".repeat(1667),
    "1".repeat(9_999) + "a",
    "a1".repeat(5_000),
    ".*(".repeat(3_334),
    "<img src=x onerror=alert(1)>".repeat(358),
    "\u0301".repeat(10_000),
  ];
  for (const q of queries) {
    const started = performance.now();
    const out = queryWords(q);
    const ms = performance.now() - started;
    assert.ok(out.length <= 12, `${out.length} words`);
    assert.ok(out.every((w) => Array.from(w).length <= 40));
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms for ${JSON.stringify(q.slice(0, 12))}…`);
  }
});

test("regular expression characters and HTML in a query are plain text", () => {
  assert.deepEqual(queryWords(".*("), []);
  assert.deepEqual(queryWords("["), []);
  assert.deepEqual(queryWords("\\"), []);
  assert.deepEqual(queryWords("$^+?{}|)"), []);
  assert.deepEqual(queryWords(".*( <img> "), ["img"]);
  assert.deepEqual(queryWords("<img src=x onerror=alert(1)>"), [
    "img",
    "src",
    "x",
    "onerror",
    "alert",
    "1",
  ]);
});

test(
  "ideographs are one word each, as Rust's unicode_words() splits them",
  () => {
    assert.deepEqual(words("日本語テキスト"), ["日", "本", "語", "テキスト"]);
  },
);
