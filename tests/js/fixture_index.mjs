// A small search index written by hand in the file format of src/search/format.rs, for the
// Searcher tests. Five articles:
//   0 "Lojalność klientów"   1 "Klient w sklepie"   2 "Media społecznościowe"
//   3 "Dwukierunkowość"      4 "Marketing e-mail"
//
// Keys (stems) with their ids, sorted by string as the index writes them:
//   0 dwukierunkow  1 dwukierunkowosc  2 klient  3 klientow  4 komunikacj  5 lojalnosc
//   6 mail  7 marketing  8 media  9 spolecznosciow
//
// Dictionary chunks (forms and keys merged in one sorted list, cut into chunks):
//   d/0 from "dwukierunkow", d/1 from "klient", d/2 from "komunikacj", d/3 from "mail",
//   d/4 from "spolecznosciow".
// Postings chunks: p/0 keys 0-2, p/1 keys 3-5, p/2 keys 6-8, p/3 key 9.

const FILES = {
  "meta.json": {
    version: 3,
    docs: 5,
    dict: ["dwukierunkow", "klient", "komunikacj", "mail", "spolecznosciow"],
    post: [0, 3, 6, 9],
  },
  "d/0.json.gz": {
    forms: [
      ["dwukierunkowa", [0]],
      ["dwukierunkowosc", [0, 1]],
    ],
    keys: [
      ["dwukierunkow", 0],
      ["dwukierunkowosc", 1],
    ],
  },
  "d/1.json.gz": {
    forms: [
      ["klient", [2]],
      ["klienta", [2]],
      ["klientow", [2, 3]],
    ],
    keys: [
      ["klient", 2],
      ["klientow", 3],
    ],
  },
  "d/2.json.gz": {
    forms: [
      ["komunikacji", [4]],
      ["lojalnosc", [5]],
    ],
    keys: [
      ["komunikacj", 4],
      ["lojalnosc", 5],
    ],
  },
  "d/3.json.gz": {
    forms: [
      ["mail", [6]],
      ["marketing", [7]],
      ["marketingu", [7]],
      ["media", [8]],
    ],
    keys: [
      ["mail", 6],
      ["marketing", 7],
      ["media", 8],
    ],
  },
  "d/4.json.gz": {
    forms: [["spolecznosciowe", [9]]],
    keys: [["spolecznosciow", 9]],
  },
  // [key id, idf ×100, [doc delta, score ×100, position + 1, ...]]: no posting has a
  // place (see Postings in format.rs), so every article is in the lowest tier; these tests
  // are about scores within one tier, tiers have tests of their own in query.rs.
  "p/0.json.gz": [
    [0, 120, [3, 150, 2]],
    [1, 150, [3, 140, 2]],
    [2, 100, [0, 80, 3, 1, 120, 1]],
  ],
  "p/1.json.gz": [
    [3, 200, [0, 90, 3]],
    [4, 140, [3, 70, 3]],
    [5, 140, [0, 150, 1]],
  ],
  "p/2.json.gz": [
    [6, 100, [4, 100, 5]],
    [7, 90, [0, 40, 20, 4, 160, 1]],
    [8, 100, [1, 100, 7, 1, 130, 1]],
  ],
  "p/3.json.gz": [[9, 140, [2, 130, 2]]],
  "f/0.json.gz": {
    title: "Lojalność klientów",
    url: "/lojalnosc/",
    section: "Marketing",
    path: "marketing/lojalnosc.md",
    description: "Jak budować lojalność.",
    parts: [
      ["", "Lojalność klientów rośnie, gdy marka odpowiada."],
      ["program", "Program lojalnościowy nagradza stałych klientów."],
    ],
  },
  "f/1.json.gz": {
    title: "Klient w sklepie",
    url: "/klient/",
    section: "",
    path: "klient.md",
    description: "",
    parts: [
      ["", "Każdy klient jest ważny."],
      ["zakupy", "Klient kupuje, a klienta trzeba słuchać."],
    ],
  },
  "f/2.json.gz": {
    title: "Media społecznościowe",
    url: "/media/",
    section: "Kanały",
    path: "kanaly/media.md",
    description: "Media w marketingu.",
    parts: [["", "Media społecznościowe łączą ludzi."]],
  },
  "f/3.json.gz": {
    title: "Dwukierunkowość",
    url: "/dwukierunkowosc/",
    section: "",
    path: "dwukierunkowosc.md",
    description: "",
    parts: [["", "Dwukierunkowość komunikacji z klientem."]],
  },
  "f/4.json.gz": {
    title: "Marketing e-mail",
    url: "/mail/",
    section: "Kanały",
    path: "kanaly/mail.md",
    description: "Newsletter i mail.",
    parts: [],
  },
};

/** A fresh copy of the index files, by name. */
export function indexFiles() {
  return structuredClone(FILES);
}

/**
 * A loader over `files`. `async` makes it return promises (as fetch does) instead of values;
 * `fail` maps a file name to "throw" (throws when called) or "reject" (returns a rejected
 * promise). A file missing from `files` is rejected like a 404.
 */
export function loader(files, { async = true, fail = {} } = {}) {
  return (name) => {
    if (fail[name] === "throw") throw new Error(`cannot load ${name}`);
    if (fail[name] === "reject") return Promise.reject(new Error(`cannot load ${name}`));
    if (!(name in files)) return Promise.reject(new Error(`${name}: 404`));
    const value = structuredClone(files[name]);
    return async ? Promise.resolve(value) : value;
  };
}
