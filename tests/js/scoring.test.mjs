// oneEditApart() and combine(): src/search/query.rs one_edit_apart() and combine().
import test from "node:test";
import assert from "node:assert/strict";

import { search, prng } from "./support.mjs";

const { oneEditApart, combine } = search;

const ALPHABET = ["a", "b", "c"];

/** Every string one insertion, deletion, substitution or swap of neighbours from `a`, not `a`. */
function oneEditNeighbours(a) {
  const ca = Array.from(a);
  const near = new Set();
  for (let i = 0; i <= ca.length; i++) {
    for (const c of ALPHABET) {
      near.add([...ca.slice(0, i), c, ...ca.slice(i)].join(""));
      if (i < ca.length) near.add([...ca.slice(0, i), c, ...ca.slice(i + 1)].join(""));
    }
    if (i < ca.length) near.add([...ca.slice(0, i), ...ca.slice(i + 1)].join(""));
    if (i + 1 < ca.length) {
      const s = ca.slice();
      [s[i], s[i + 1]] = [s[i + 1], s[i]];
      near.add(s.join(""));
    }
  }
  near.delete(a);
  return near;
}

function allStrings(maxLength) {
  let level = [""];
  const out = [""];
  for (let n = 0; n < maxLength; n++) {
    level = level.flatMap((s) => ALPHABET.map((c) => s + c));
    out.push(...level);
  }
  return out;
}

test("oneEditApart: the Rust examples", () => {
  assert.equal(oneEditApart("dwukierunkowsc", "dwukierunkowosc"), true);
  assert.equal(oneEditApart("dwukierunkowosc", "dwukierunkowsc"), true);
  assert.equal(oneEditApart("kleint", "klient"), true);
  assert.equal(oneEditApart("klienta", "klienci"), false);
  assert.equal(oneEditApart("klient", "klienty"), true);
  assert.equal(oneEditApart("klient", "klient"), false);
  assert.equal(oneEditApart("abc", "cba"), false);
  assert.equal(oneEditApart("", "a"), true);
  assert.equal(oneEditApart("", ""), false);
  // Letters, not UTF-16 code units.
  assert.equal(oneEditApart("ab\u{10330}", "ab"), true);
  assert.equal(oneEditApart("\u{10330}\u{10331}", "\u{10331}\u{10330}"), true);
});

test("oneEditApart matches the brute-force definition on every pair up to 4 letters", () => {
  const strings = allStrings(4);
  for (const a of strings) {
    const near = oneEditNeighbours(a);
    for (const b of strings) {
      assert.equal(oneEditApart(a, b), near.has(b), `${JSON.stringify(a)} ${JSON.stringify(b)}`);
    }
  }
});

test("oneEditApart matches the brute-force definition on random pairs up to 6 letters (property)", () => {
  const rand = prng(42);
  const randomWord = () => Array.from({ length: rand.int(7) }, () => rand.pick(ALPHABET)).join("");
  for (let n = 0; n < 5000; n++) {
    const a = randomWord();
    const near = oneEditNeighbours(a);
    // Half the time a neighbour of `a`, so that true answers are frequent too.
    const b = n % 2 && near.size ? rand.pick([...near]) : randomWord();
    assert.equal(oneEditApart(a, b), near.has(b), `${JSON.stringify(a)} ${JSON.stringify(b)}`);
  }
});

/** WordScore of query.rs built from the scores of a word's keys: [best, position]. */
function word(scores, position) {
  const w = [0, 0];
  for (const s of scores) {
    if (s > w[0]) {
      w[0] = s;
      w[1] = position;
    }
  }
  return w;
}

/** Rust's combine(), written out independently. */
function reference(perWord) {
  const base = perWord.reduce((sum, [best]) => sum + best, 0);
  const matched = perWord.filter(([best]) => best > 0).length;
  const all = matched === perWord.length && perWord.length > 1;
  let near = 0;
  for (let i = 0; i + 1 < perWord.length; i++) {
    const [bestA, a] = perWord[i];
    const [bestB, b] = perWord[i + 1];
    if (bestA > 0 && bestB > 0 && a > 0 && b > a && b - a <= 3) near++;
  }
  return base * (10 + (all ? 5 : 0) + 3 * near);
}

test("combine: the Rust examples", () => {
  // Two words matched beat one word scoring the same sum.
  assert.ok(combine([word([50], 0), word([50], 0)]) > combine([word([100], 0), word([], 0)]));
  // Neighbours in the text count more than words far apart.
  assert.ok(combine([word([50], 3), word([50], 4)]) > combine([word([50], 3), word([50], 40)]));
  // Only the best key of a word counts.
  assert.equal(combine([word([50, 20], 1)]), combine([word([50], 1)]));
  assert.equal(combine([word([50], 1), word([30], 2)]), (50 + 30) * (10 + 5 + 3));
  assert.equal(combine([word([], 0)]), 0);
  assert.equal(combine([]), 0);
});

test("combine: the bonuses for all words and for near pairs", () => {
  // One word: no bonus for having matched every word.
  assert.equal(combine([[70, 1]]), 700);
  // All of two words, far apart: +5.
  assert.equal(combine([[70, 1], [30, 9]]), 100 * 15);
  // One of two words: no bonus.
  assert.equal(combine([[70, 1], [0, 0]]), 70 * 10);
  // Near: the second word after the first, within three words.
  assert.equal(combine([[70, 1], [30, 4]]), 100 * 18);
  assert.equal(combine([[70, 1], [30, 5]]), 100 * 15, "four words apart is not near");
  assert.equal(combine([[70, 4], [30, 1]]), 100 * 15, "the wrong order is not near");
  assert.equal(combine([[70, 2], [30, 2]]), 100 * 15, "the same position is not near");
  assert.equal(combine([[70, 0], [30, 2]]), 100 * 15, "position 0 (no position) is never near");
  // Each neighbouring pair counts: three words in a row.
  assert.equal(combine([[10, 1], [20, 2], [30, 3]]), 60 * (10 + 5 + 6));
  // Only neighbouring query words make a pair.
  assert.equal(combine([[10, 1], [0, 0], [30, 2]]), 40 * 10);
});

test("combine agrees with the Rust formula on random scores (property)", () => {
  const rand = prng(1234);
  for (let n = 0; n < 5000; n++) {
    const perWord = Array.from({ length: 1 + rand.int(12) }, () => {
      const best = rand() < 0.3 ? 0 : rand.int(1_000_000);
      return [best, best ? rand.int(12) : 0];
    });
    assert.equal(combine(perWord), reference(perWord), JSON.stringify(perWord));
  }
});
