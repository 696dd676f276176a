// snippet(): src/search/snippet.rs snippet(). Expected strings are those of the Rust unit tests.
import test from "node:test";
import assert from "node:assert/strict";

import { search, forms } from "./support.mjs";

const { snippet } = search;

function fragment(parts, description = "") {
  return { title: "T", url: "/t/", section: "", path: "t.md", description, parts };
}

test("marks matches and points at their heading", () => {
  const f = fragment([
    ["", "Wstęp bez słów kluczowych."],
    ["lojalnosc", "Lojalność klientów rośnie,\n gdy marka odpowiada."],
  ]);
  const [anchor, html] = snippet(f, forms(["lojalnosc", "klientow"]));
  assert.equal(anchor, "lojalnosc");
  assert.equal(html, "<mark>Lojalność</mark> <mark>klientów</mark> rośnie, gdy marka odpowiada");
});

test("a match in a heading links to that heading", () => {
  const f = fragment([
    ["", "Stan komponentu zmienia się w pętli zdarzeń."],
    ["inne", "Inny tekst."],
    ["stan", "Stan komponentu\nOpis bez tych słów."],
  ]);
  const hit = forms(["stan", "komponentu"]);
  assert.equal(snippet(f, hit)[0], "");
  f.heads = [0, 1, 2];
  const [anchor, html] = snippet(f, hit);
  assert.equal(anchor, "stan");
  assert.ok(html.startsWith("<mark>Stan</mark> <mark>komponentu</mark>"), html);
});

test("the window where most query words meet wins", () => {
  const f = fragment([
    ["a", "klient klienta klientem klienci"],
    ["b", "lojalność klientów"],
  ]);
  const hit = forms(["lojalnosc", "klientow"]);
  for (const form of ["klient", "klienta", "klientem", "klienci"]) hit.set(form, 2);
  const [anchor, html] = snippet(f, hit);
  assert.equal(anchor, "b");
  assert.equal(html, "<mark>lojalność</mark> <mark>klientów</mark>");
});

test("on a tie the first window wins", () => {
  const f = fragment([
    ["a", "Pierwszy klient."],
    ["b", "Drugi klient."],
  ]);
  const [anchor, html] = snippet(f, forms(["klient"]));
  assert.equal(anchor, "a");
  assert.equal(html, "Pierwszy <mark>klient</mark>");
});

test("a word with a glued footnote marker matches both as written and without the marker", () => {
  const f = fragment([
    ["a", "przekaz internetowym teraz"],
    ["b", "przekazem internetowym2."],
  ]);
  // "internetowym2" is one query word, "internetowym" another: part b has both in one word.
  const [anchor, html] = snippet(f, forms(["internetowym2", "internetowym"]));
  assert.equal(anchor, "b");
  assert.equal(html, "przekazem <mark>internetowym2</mark>");
  // A glued word is marked for the form without its marker alone.
  assert.equal(snippet(fragment([["", "Plus internetowym2"]]), forms(["internetowym"]))[1],
    "Plus <mark>internetowym2</mark>");
});

test("words are matched folded, whatever their case and diacritics", () => {
  const f = fragment([["", "ŁÓDŹ, Łódź i lodz."]]);
  assert.equal(snippet(f, forms(["lodz"]))[1], "<mark>ŁÓDŹ</mark>, <mark>Łódź</mark> i <mark>lodz</mark>");
});

test("page text cannot inject HTML", () => {
  const f = fragment([["", "<img src=x onerror=alert(1)> & \"szkoda\" 'x' <b>"]]);
  const [, html] = snippet(f, forms(["img", "szkoda"]));
  const bare = html.replaceAll("<mark>", "").replaceAll("</mark>", "");
  assert.ok(!bare.includes("<") && !bare.includes(">"), html);
  assert.ok(html.includes("<mark>img</mark> src=x onerror=alert(1)&gt;"), html);
  assert.ok(html.includes("&quot;<mark>szkoda</mark>&quot;"), html);
  assert.equal(
    html,
    "<mark>img</mark> src=x onerror=alert(1)&gt; &amp; &quot;<mark>szkoda</mark>&quot; &#39;x&#39; &lt;b",
  );
});

test("hostile text stays escaped in descriptions and in fallbacks too", () => {
  const hostile = "<script>alert('x')</script> & <img src=x onerror=alert(1)>";
  for (const f of [fragment([], hostile), fragment([["", hostile]]), fragment([["", "nic"]], hostile)]) {
    for (const hit of [forms(["script", "img"]), forms(["brak"])]) {
      const [, html] = snippet(f, hit);
      const bare = html.replaceAll("<mark>", "").replaceAll("</mark>", "");
      assert.ok(!bare.includes("<") && !bare.includes(">"), html);
    }
  }
});

test("spaces and line breaks between words become one space", () => {
  const f = fragment([["", "jeden \t\n\r  dwa\n\ntrzy"]]);
  assert.equal(snippet(f, forms(["dwa"]))[1], "jeden <mark>dwa</mark> trzy");
});

test("long text is cut around the densest window", () => {
  const text = Array.from({ length: 100 }, (_, i) => `w${i}`).join(" ");
  const [anchor, html] = snippet(fragment([["", text]]), forms(["w50", "w52", "w90"]));
  assert.equal(anchor, "");
  assert.ok(html.startsWith("… w46 w47"), html);
  assert.ok(html.endsWith(" …"), html);
  assert.equal(html.split("<mark>").length - 1, 2);
  // 24 words from four before the first match of the best window.
  const shown = Array.from({ length: 24 }, (_, i) => 46 + i)
    .map((i) => (i === 50 || i === 52 ? `<mark>w${i}</mark>` : `w${i}`))
    .join(" ");
  assert.equal(html, `… ${shown} …`);
});

test("a window at the start has no leading ellipsis, one at the end no trailing one", () => {
  const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
  const start = snippet(fragment([["", text]]), forms(["w2"]))[1];
  assert.ok(start.startsWith("w0 w1 <mark>w2</mark>"), start);
  assert.ok(start.endsWith("w23 …"), start);
  const end = snippet(fragment([["", text]]), forms(["w28"]))[1];
  assert.ok(end.startsWith("… w24 w25"), end);
  assert.ok(end.endsWith("<mark>w28</mark> w29"), end);
});

test("without matches the description or the start is shown", () => {
  assert.equal(snippet(fragment([["", "Początek tekstu."]], "Opis strony"), forms(["nic"]))[1], "Opis strony");
  assert.deepEqual(snippet(fragment([["x", "Początek tekstu."]], "Opis strony"), forms(["nic"])), ["", "Opis strony"]);
  assert.deepEqual(snippet(fragment([["x", "Początek tekstu."]]), forms(["nic"])), ["x", "Początek tekstu"]);
  assert.deepEqual(snippet(fragment([]), forms([])), ["", ""]);
});

test("a match in the description is shown with the top of the page", () => {
  const f = fragment([["sekcja", "Tekst bez dopasowania."]], "Opis o lojalności klientów.");
  assert.deepEqual(snippet(f, forms(["lojalnosci"])), ["", "Opis o <mark>lojalności</mark> klientów"]);
  // The text wins a tie with the description.
  const g = fragment([["sekcja", "Lojalności uczy tekst."]], "Opis o lojalności.");
  assert.deepEqual(snippet(g, forms(["lojalnosci"])), ["sekcja", "<mark>Lojalności</mark> uczy tekst"]);
});
