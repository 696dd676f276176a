// pluralForm(): the noun's form for a count, the same table as plural_form in
// src/render/i18n.rs, so that the search page says "22 wyniki" and "12 wyników".
import test from "node:test";
import assert from "node:assert/strict";

import { search } from "./support.mjs";

const { pluralForm } = search;

test("Polish counts take one, few or many", () => {
  const forms = [1, 2, 4, 5, 12, 14, 22, 25, 101, 104, 0].map((n) => pluralForm(n, "pl"));
  assert.deepEqual(forms, ["one", "few", "few", "many", "many", "many", "few", "many", "many", "few", "many"]);
});

test("English counts take one or many", () => {
  assert.deepEqual([1, 2, 22, 0].map((n) => pluralForm(n, "en")), ["one", "many", "many", "many"]);
});
