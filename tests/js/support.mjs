// Shared helpers for the unit tests of the browser search runtime. Not a test file itself:
// `node --test tests/js/` runs only the `*.test.mjs` files.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The runtime's exports: {fold, words, queryWords, oneEditApart, combine, snippet, Searcher, FOLD_TABLE}. */
export const search = require("../../themes/default/static/search.js");

/** A small seeded PRNG (mulberry32): the same sequence on every run, so failures reproduce. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (list) => list[next.int(list.length)];
  return next;
}

/** Rejects when `promise` does not settle within `ms`, so a hang fails the test instead of stalling the run. */
export function within(promise, ms = 2000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Calls `fn` and tells whether it threw synchronously or returned a value. */
export function callSync(fn) {
  try {
    return { threw: false, value: fn() };
  } catch (error) {
    return { threw: true, error };
  }
}

/** Folded forms to highlight, each the match of a query word of its own (bit i for word i). */
export function forms(list) {
  return new Map(list.map((w, i) => [w, 1 << i]));
}
