// fold(): lower-case and remove diacritics as src/search/analyze.rs fold() does.
import test from "node:test";
import assert from "node:assert/strict";

import { search, prng } from "./support.mjs";

const { fold, FOLD_TABLE } = search;

const POLISH_LOWER = "ąćęłńóśźż";
const POLISH_UPPER = "ĄĆĘŁŃÓŚŹŻ";
const POLISH_ASCII = "acelnoszz";

test("every Polish letter, lower and upper case, folds to its ASCII letter", () => {
  for (let i = 0; i < POLISH_LOWER.length; i++) {
    assert.equal(fold(POLISH_LOWER[i]), POLISH_ASCII[i], POLISH_LOWER[i]);
    assert.equal(fold(POLISH_UPPER[i]), POLISH_ASCII[i], POLISH_UPPER[i]);
  }
  assert.equal(fold(`${POLISH_UPPER} ${POLISH_LOWER}`), "acelnoszz acelnoszz");
});

test("Łódź folds to lodz", () => {
  assert.equal(fold("Łódź"), "lodz");
  assert.equal(fold("ŁÓDŹ"), "lodz");
});

test("combining marks are dropped, so decomposed letters fold like precomposed ones", () => {
  assert.equal(fold("e\u0301"), "e");
  assert.equal(fold("E\u0301"), "e");
  assert.equal(fold("z\u0307o\u0301\u0142w"), "zolw"); // ż, ó decomposed; ł has no decomposition
  assert.equal(fold("\u0300\u036f"), "");
  assert.equal(fold("a\u036fb"), "ab");
});

test("ß and ẞ fold to ss, ligatures to their letters", () => {
  assert.equal(fold("ß"), "ss");
  assert.equal(fold("Straße"), "strasse");
  assert.equal(fold("ẞ"), "ss");
  assert.equal(fold("Æ"), "ae");
  assert.equal(fold("œ"), "oe");
});

test("other scripts are lower-cased but keep their letters", () => {
  assert.equal(fold("ΑΒΓ"), "αβγ");
  assert.equal(fold("ΟΔΟΣ"), "οδος"); // final sigma, as Rust's to_lowercase gives it
  assert.equal(fold("ПРИВЕТ"), "привет");
  assert.equal(fold("Mp3 ABC-def"), "mp3 abc-def");
});

test("the fold table maps single lower-case Latin letters to lower-case ASCII letters", () => {
  const entries = FOLD_TABLE.split(" ");
  assert.ok(entries.length > 200, `only ${entries.length} entries`);
  const seen = new Set();
  for (const entry of entries) {
    const [letter, ...rest] = Array.from(entry);
    const ascii = rest.join("");
    const cp = letter.codePointAt(0);
    assert.ok((cp >= 0xc0 && cp <= 0x24f) || (cp >= 0x1e00 && cp <= 0x1eff), entry);
    assert.match(ascii, /^[a-z]+$/, entry);
    assert.ok(!seen.has(letter), `${letter} twice`);
    seen.add(letter);
    assert.equal(fold(letter), ascii, entry);
  }
  for (const letter of POLISH_LOWER + "ß") assert.ok(seen.has(letter), letter);
});

// The alphabet of the property test: ASCII, Polish letters, the other Latin letters of
// U+00C0-U+024F, Greek, and combining marks.
function randomString(rand) {
  const length = rand.int(21);
  let out = "";
  for (let i = 0; i < length; i++) {
    switch (rand.int(5)) {
      case 0:
        out += String.fromCodePoint(0x20 + rand.int(0x7f - 0x20));
        break;
      case 1:
        out += rand.pick(Array.from(POLISH_LOWER + POLISH_UPPER));
        break;
      case 2:
        out += String.fromCodePoint(0xc0 + rand.int(0x250 - 0xc0));
        break;
      case 3:
        out += String.fromCodePoint(0x370 + rand.int(0x400 - 0x370));
        break;
      default:
        out += String.fromCodePoint(0x300 + rand.int(0x370 - 0x300));
    }
  }
  return out;
}

test("folding is idempotent and leaves no Polish letters, marks or capitals (property)", () => {
  const rand = prng(20240611);
  const polish = new Set(Array.from(POLISH_LOWER + POLISH_UPPER));
  for (let n = 0; n < 3000; n++) {
    const s = randomString(rand);
    const once = fold(s);
    assert.equal(fold(once), once, `not idempotent on ${JSON.stringify(s)}`);
    for (const ch of once) {
      const cp = ch.codePointAt(0);
      assert.ok(!polish.has(ch), `${JSON.stringify(s)} -> ${JSON.stringify(once)}`);
      assert.ok(!(cp >= 0x300 && cp <= 0x36f), `mark left in ${JSON.stringify(once)}`);
      assert.ok(!(ch >= "A" && ch <= "Z"), `capital left in ${JSON.stringify(once)}`);
    }
  }
});

test("folding a string folds each letter on its own (property)", () => {
  // Folding works letter by letter after lower-casing: the fold of a string without Greek
  // (whose final sigma depends on context) is the concatenation of the folds of its letters.
  const rand = prng(7);
  for (let n = 0; n < 2000; n++) {
    const s = Array.from(randomString(rand))
      .filter((c) => !(c.codePointAt(0) >= 0x370 && c.codePointAt(0) < 0x400))
      .join("");
    const byLetter = Array.from(s).map(fold).join("");
    assert.equal(fold(s), byLetter, JSON.stringify(s));
  }
});
