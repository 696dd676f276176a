// Searcher: src/search/query.rs Searcher over the hand-written index of fixture_index.mjs.
// Expected scores are worked out by hand from the postings, the kind weights (exact 10, stem 8,
// prefix 7, typo 6) and combine().
import test from "node:test";
import assert from "node:assert/strict";

import { search, within, callSync } from "./support.mjs";
import { indexFiles, loader } from "./fixture_index.mjs";

const { Searcher } = search;

async function open(options = {}, files = indexFiles()) {
  const searcher = new Searcher(loader(files, options));
  const opened = await within(searcher.open());
  assert.equal(opened, searcher);
  return searcher;
}

const ranking = (hits) => hits.map((h) => [h.path, h.score]);

test("open() reads meta.json alone", async () => {
  const s = await open();
  assert.deepEqual(s.loaded, ["meta.json"]);
});

test("an exact match ranks the article with the higher score first", async () => {
  const s = await open();
  const hits = await within(s.search("klient", 10));
  // klient (key 2, idf 100): article 1 scores 120, article 0 scores 80.
  assert.deepEqual(ranking(hits), [
    ["klient.md", 10 * 100 * 120 * 10],
    ["marketing/lojalnosc.md", 10 * 100 * 80 * 10],
  ]);
  assert.deepEqual(hits[0], {
    title: "Klient w sklepie",
    url: "/klient/",
    path: "klient.md",
    section: "",
    score: 1_200_000,
    // Both parts have klient; on a tie the first part wins.
    snippet: "Każdy <mark>klient</mark> jest ważny",
  });
});

test("the snippet comes from the part where most query words meet, its anchor in the url", async () => {
  const s = await open();
  // "kupuje" is in no dictionary, but is still marked; only part "zakupy" has both words.
  const hits = await within(s.search("klient kupuje", 10));
  assert.deepEqual(ranking(hits), [
    ["klient.md", 1_200_000],
    ["marketing/lojalnosc.md", 800_000],
  ]);
  assert.equal(hits[0].url, "/klient/#zakupy");
  assert.equal(hits[0].snippet, "<mark>Klient</mark> <mark>kupuje</mark>, a <mark>klienta</mark> trzeba słuchać");
  // Every form of the dictionary that shares a key with the word is marked: klientów too.
  assert.equal(hits[1].url, "/lojalnosc/");
  assert.equal(hits[1].snippet, "Lojalność <mark>klientów</mark> rośnie, gdy marka odpowiada");
});

test("a prefix of a rarer key does not count as rarer than the word as typed", async () => {
  // "klient" is also a prefix of the form "klientow" (key 3, idf 200, article 0 scores 90):
  // uncapped, 7 * 200 * 90 would put article 0 first; capped at the idf of the exact key it
  // counts 7 * 100 * 90, below its exact 10 * 100 * 80.
  const s = await open();
  const hits = await within(s.search("klient", 10));
  assert.deepEqual(hits.map((h) => h.path), ["klient.md", "marketing/lojalnosc.md"]);
  assert.equal(hits[1].score, 800_000);
});

test("all words matched and near each other raise the score", async () => {
  const s = await open();
  const hits = await within(s.search("Lojalność klientów", 10));
  // Article 0: lojalnosc 10*140*150 at 1, klientow exact (key 3) 10*200*90 at 3:
  // every word matched (+5) and a near pair (+3).
  assert.deepEqual(ranking(hits), [
    ["marketing/lojalnosc.md", (210_000 + 180_000) * 18],
    ["klient.md", 120_000 * 10],
  ]);
  assert.equal(hits[0].url, "/lojalnosc/");
  assert.equal(hits[0].snippet, "<mark>Lojalność</mark> <mark>klientów</mark> rośnie, gdy marka odpowiada");
});

test("a typo of one edit in a word of five letters or more finds the form", async () => {
  const s = await open();
  // A swap: "klinet" is one edit from the form "klient".
  const swap = await within(s.search("klinet", 10));
  assert.deepEqual(ranking(swap), [
    ["klient.md", 6 * 100 * 120 * 10],
    ["marketing/lojalnosc.md", 6 * 100 * 80 * 10],
  ]);
  assert.equal(swap[0].snippet, "Każdy <mark>klient</mark> jest ważny");
  // A substitution: "medja" -> "media".
  assert.deepEqual(ranking(await within(s.search("medja", 10))), [
    ["kanaly/media.md", 6 * 100 * 130 * 10],
    ["klient.md", 6 * 100 * 100 * 10],
  ]);
  // A missing letter, the example of query.rs: "dwukierunkowsc" -> "dwukierunkowosc" (keys
  // 0 and 1); only the best key of the word counts.
  assert.deepEqual(ranking(await within(s.search("dwukierunkowsc", 10))), [
    ["dwukierunkowosc.md", 6 * 150 * 140 * 10],
  ]);
});

test("a typo in a word of four letters finds nothing", async () => {
  const s = await open();
  assert.deepEqual(await within(s.search("maix", 10)), []);
  assert.equal((await within(s.search("mail", 10)))[0].path, "kanaly/mail.md");
});

test("the last word is matched as a prefix, the others are not", async () => {
  const s = await open();
  // "market" -> marketing, marketingu (key 7, idf 90).
  assert.deepEqual(ranking(await within(s.search("market", 10))), [
    ["kanaly/mail.md", 7 * 90 * 160 * 10],
    ["marketing/lojalnosc.md", 7 * 90 * 40 * 10],
  ]);
  // Not last: "market" matches nothing, only "media" counts.
  assert.deepEqual(ranking(await within(s.search("market media", 10))), [
    ["kanaly/media.md", 10 * 100 * 130 * 10],
    ["klient.md", 10 * 100 * 100 * 10],
  ]);
  // Last again.
  assert.deepEqual(
    (await within(s.search("media market", 10))).map((h) => h.path),
    ["kanaly/media.md", "kanaly/mail.md", "klient.md", "marketing/lojalnosc.md"],
  );
  // Fewer than three letters: no prefix.
  assert.deepEqual(await within(s.search("ma", 10)), []);
});

test("a word that is a stem followed by an inflectional ending matches the stem", async () => {
  const s = await open();
  // The text has only "społecznościowe"; the key is "spolecznosciow", "ych" is an ending.
  const hits = await within(s.search("spolecznosciowych", 10));
  assert.deepEqual(ranking(hits), [["kanaly/media.md", 8 * 140 * 130 * 10]]);
  assert.equal(hits[0].snippet, "Media <mark>społecznościowe</mark> łączą ludzi");
  assert.equal(hits[0].url, "/media/");
  assert.equal(hits[0].section, "Kanały");
  // "xyz" is no ending; "sc" neither (dwukierunkowsc finds its article by the typo rule only).
  assert.deepEqual(await within(s.search("spolecznosciowxyz", 10)), []);
});

test("equal scores are ordered by article id", async () => {
  const s = await open();
  // "mail" finds article 4 first, "media" then article 1 with the same score.
  const hits = await within(s.search("mail media", 10));
  assert.deepEqual(ranking(hits), [
    ["kanaly/media.md", 1_300_000],
    ["klient.md", 1_000_000],
    ["kanaly/mail.md", 1_000_000],
  ]);
});

test("of two keys of a word with equal scores, the first one's position counts", async () => {
  // "beta" is indexed under keys 1 and 2, which score the same in article 0, at positions
  // 9 and 2. As in WordScore::add, only a higher score replaces the position, so the pair
  // "alfa" (position 1) "beta" (position 9) is not near: (50000 + 50000) * (10 + 5).
  const files = {
    "meta.json": { version: 3, docs: 1, dict: ["alfa"], post: [0] },
    "d/0.json.gz": {
      forms: [
        ["alfa", [0]],
        ["beta", [1, 2]],
      ],
      keys: [
        ["alfa", 0],
        ["bet", 1],
        ["beta", 2],
      ],
    },
    "p/0.json.gz": [
      [0, 100, [0, 50, 1]],
      [1, 100, [0, 50, 9]],
      [2, 100, [0, 50, 2]],
    ],
    "f/0.json.gz": { title: "A", url: "/a/", section: "", path: "a.md", description: "", parts: [["", "alfa beta"]] },
  };
  const s = new Searcher(loader(files));
  await within(s.open());
  const hits = await within(s.search("alfa beta", 10));
  assert.deepEqual(ranking(hits), [["a.md", 100_000 * 15]]);
  assert.equal(hits[0].snippet, "<mark>alfa</mark> <mark>beta</mark>");
});

test("a result without a match in its text shows its description, without an anchor", async () => {
  const s = await open();
  const [hit] = await within(s.search("mail", 10));
  assert.equal(hit.url, "/mail/");
  assert.equal(hit.snippet, "Newsletter i <mark>mail</mark>");
});

test("loaded lists only the files the query needed, in the order read", async () => {
  const s = await open();
  await within(s.search("klient", 1));
  // The dictionary range of "kli" may start in d/0 and runs through d/1; klient is key 2
  // (p/0), klientow key 3 (p/1); only the fragment of the single result.
  assert.deepEqual(s.loaded, ["meta.json", "d/0.json.gz", "d/1.json.gz", "p/0.json.gz", "p/1.json.gz", "f/1.json.gz"]);

  const t = await open();
  await within(t.search("lojalnosc klientow", 10));
  assert.deepEqual(t.loaded, [
    "meta.json",
    "d/2.json.gz",
    "d/0.json.gz",
    "d/1.json.gz",
    "p/1.json.gz",
    "p/0.json.gz",
    "f/0.json.gz",
    "f/1.json.gz",
  ]);

  const u = await open();
  await within(u.search("market", 10));
  assert.deepEqual(u.loaded, ["meta.json", "d/3.json.gz", "p/2.json.gz", "f/4.json.gz", "f/0.json.gz"]);
});

test("files already read are not read again", async () => {
  const s = await open();
  await within(s.search("klient", 10));
  const before = s.loaded.slice();
  await within(s.search("klienta klient", 10));
  assert.deepEqual(s.loaded, before);
  assert.equal(new Set(s.loaded).size, s.loaded.length);
});

test("a loader may return values instead of promises", async () => {
  const s = await open({ async: false });
  assert.deepEqual(ranking(await within(s.search("klient", 10))), [
    ["klient.md", 1_200_000],
    ["marketing/lojalnosc.md", 800_000],
  ]);
});

test("an empty query gives no results and reads nothing", async () => {
  const s = await open();
  for (const q of ["", "   ", ".*(", "[", "\\", "!?,"]) {
    assert.deepEqual(await within(s.search(q, 10)), [], JSON.stringify(q));
  }
  assert.deepEqual(s.loaded, ["meta.json"]);
});

test("hostile queries are answered, not thrown", async () => {
  const s = await open();
  for (const q of ["<img src=x onerror=alert(1)>", ".*( klient", "klient\\", "[klient]", "marketing ".repeat(2000)]) {
    const hits = await within(s.search(q, 10));
    assert.ok(Array.isArray(hits), q.slice(0, 20));
  }
  assert.equal((await within(s.search("[klient]", 10)))[0].path, "klient.md");
});

test("a meta.json of another version, or not an index, makes open() reject", async () => {
  for (const meta of [
    { version: 1, docs: 5, dict: ["a"], post: [0] },
    { version: 4, docs: 5, dict: ["a"], post: [0] },
    { version: "3", docs: 5, dict: ["a"], post: [0] },
    { version: 3, docs: 5 },
    null,
  ]) {
    const files = indexFiles();
    files["meta.json"] = meta;
    const s = new Searcher(loader(files));
    const call = callSync(() => s.open());
    assert.equal(call.threw, false, String(call.error));
    await assert.rejects(within(call.value), (e) => !/did not settle/.test(e.message), JSON.stringify(meta));
  }
});

test("a missing meta.json makes open() reject", async () => {
  const files = indexFiles();
  delete files["meta.json"];
  await assert.rejects(within(new Searcher(loader(files)).open()), /404/);
  const rejecting = new Searcher(loader(indexFiles(), { fail: { "meta.json": "reject" } }));
  await assert.rejects(within(rejecting.open()), /cannot load meta.json/);
});

test("a missing index file makes search() reject", async () => {
  for (const name of ["d/1.json.gz", "p/0.json.gz", "p/1.json.gz", "f/1.json.gz", "f/0.json.gz"]) {
    const s = await open({ fail: { [name]: "reject" } });
    const call = callSync(() => s.search("klient", 10));
    assert.equal(call.threw, false, name);
    await assert.rejects(within(call.value), new RegExp(`cannot load ${name}`), name);
  }
  const files = indexFiles();
  delete files["d/1.json.gz"];
  const s = await open({}, files);
  await assert.rejects(within(s.search("klient", 10)), /404/);
});

test("a loader that throws for a postings or fragment file makes search() reject", async () => {
  for (const name of ["p/0.json.gz", "f/1.json.gz"]) {
    const s = await open({ fail: { [name]: "throw" } });
    const call = callSync(() => s.search("klient", 10));
    assert.equal(call.threw, false, name);
    await assert.rejects(within(call.value), new RegExp(`cannot load ${name}`), name);
  }
});

test(
  "a loader that throws for meta.json makes open() reject",
  async () => {
    const s = new Searcher(loader(indexFiles(), { fail: { "meta.json": "throw" } }));
    const call = callSync(() => s.open());
    assert.equal(call.threw, false, `threw ${call.error}`);
    await assert.rejects(within(call.value), /cannot load meta.json/);
  },
);

test(
  "a loader that throws for a dictionary chunk makes search() reject",
  async () => {
    const s = await open({ fail: { "d/1.json.gz": "throw" } });
    const call = callSync(() => s.search("klient", 10));
    assert.equal(call.threw, false, `threw ${call.error}`);
    await assert.rejects(within(call.value), /cannot load d\/1.json/);
  },
);

test(
  "a file that failed once is read again by the next search",
  async () => {
    let failures = 1;
    const files = indexFiles();
    const load = loader(files);
    const s = new Searcher((name) => {
      if (name === "d/1.json.gz" && failures > 0) {
        failures--;
        return Promise.reject(new Error("network down"));
      }
      return load(name);
    });
    await within(s.open());
    await assert.rejects(within(s.search("klient", 10)), /network down/);
    const hits = await within(s.search("klient", 10));
    assert.equal(hits[0].path, "klient.md");
  },
);

test(
  "dictionary chunks are found in code point order, as the index sorts them",
  async () => {
    // Sorted by code points, as Rust writes meta.dict: "a" < "ｂ" (U+FF42) < "𐌰" (U+10330).
    const gothic = "\u{10330}\u{10331}\u{10332}";
    const files = {
      "meta.json": { version: 3, docs: 1, dict: ["a", "\uff42", gothic], post: [0] },
      "d/0.json.gz": { forms: [["a", [0]]], keys: [["a", 0]] },
      "d/1.json.gz": { forms: [["\uff42\uff42\uff42", [1]]], keys: [["\uff42\uff42\uff42", 1]] },
      "d/2.json.gz": { forms: [[gothic, [2]]], keys: [[gothic, 2]] },
      "p/0.json.gz": [
        [0, 100, [0, 100, 1]],
        [1, 100, [0, 100, 1]],
        [2, 100, [0, 100, 1]],
      ],
      "f/0.json.gz": { title: "G", url: "/g/", section: "", path: "g.md", description: "", parts: [["", gothic]] },
    };
    const s = new Searcher(loader(files));
    await within(s.open());
    const hits = await within(s.search(gothic, 10));
    assert.deepEqual(s.loaded.slice(0, 2), ["meta.json", "d/2.json.gz"]);
    assert.equal(hits.length, 1);
    assert.equal(hits[0].snippet, `<mark>${gothic}</mark>`);
  },
);

test("a word in most articles is left out next to rarer words, and kept alone", async () => {
  // 1,000 articles: "i" (key 0) is in all of them, "rzadkie" (key 1) only in article 7.
  const all = [];
  for (let d = 0; d < 1000; d++) all.push(d === 0 ? 0 : 1, 100, 1);
  const fragment = (d) => ({
    title: `doc ${d}`, url: `/${d}/`, section: "", path: `${d}.md`, description: "",
    parts: [["", d === 7 ? "i rzadkie" : "i"]],
  });
  const files = {
    "meta.json": { version: 3, docs: 1000, dict: ["i"], post: [0, 1] },
    "d/0.json.gz": { forms: [["i", [0]], ["rzadkie", [1]]], keys: [["i", 0, 1000], ["rzadkie", 1, 1]] },
    "p/0.json.gz": [[0, 7, all]],
    "p/1.json.gz": [[1, 700, [7, 100, 2]]],
  };
  for (let d = 0; d < 1000; d++) files[`f/${d}.json.gz`] = fragment(d);
  let s = new Searcher(loader(files));
  await within(s.open());
  const hits = await within(s.search("i rzadkie", 10));
  assert.deepEqual(hits.map((h) => h.path), ["7.md"]);
  assert.ok(!s.loaded.includes("p/0.json.gz"), `common postings were loaded: ${s.loaded}`);
  // The snippet marks only the words that counted.
  assert.equal(hits[0].snippet, "i <mark>rzadkie</mark>");
  s = new Searcher(loader(files));
  await within(s.open());
  assert.equal((await within(s.search("i", 3))).length, 3);
});

test("a common word stays when the rarer words match nothing", async () => {
  const all = [];
  for (let d = 0; d < 1000; d++) all.push(d === 0 ? 0 : 1, 100, 1);
  const files = {
    "meta.json": { version: 3, docs: 1000, dict: ["i"], post: [0] },
    "d/0.json.gz": { forms: [["i", [0]]], keys: [["i", 0, 1000]] },
    "p/0.json.gz": [[0, 7, all]],
  };
  for (let d = 0; d < 1000; d++) {
    files[`f/${d}.json.gz`] = { title: "", url: `/${d}/`, section: "", path: `${d}.md`, description: "", parts: [["", "i"]] };
  }
  const s = new Searcher(loader(files));
  await within(s.open());
  assert.equal((await within(s.search("nieznane i", 4))).length, 4);
});
