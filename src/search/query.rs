//! Answers queries from the index files, exactly as the browser runtime
//! (`themes/default/static/search.js`) does: the same files loaded, the same candidates, the
//! same integer scores, the same ties. A change here needs the same change there; the parity
//! test runs both over one index.
//!
//! A query word is folded (never stemmed: the browser has no stemmer) and matched against the
//! dictionary range of its first three letters:
//! - exact: a form equal to the word gives its keys;
//! - stem: a key that the word starts with, followed by an inflectional ending
//!   ([`ENDINGS`]): `spolecznosciowych` meets the key `spolecznosciow` even when the text has
//!   only `społecznościowe`, while `dwukierunkowsc` does not meet `dwukierunkow` (`sc` ends no
//!   Polish word) and is left to the typo rule;
//! - prefix: for the last word, being typed, the first forms that start with it;
//! - typo: for words of five letters or more, forms one edit away (a letter added, dropped,
//!   changed, or two neighbours swapped).

use std::collections::{BTreeMap, HashMap};

use super::analyze::{fold, words};
use super::format::{DictChunk, Form, Fragment, Meta, Place, PostChunk, VERSION, first_place};
use super::snippet::{Snippet, snippet_of};
use crate::error::Result;

/// Words of a query looked at; the rest is ignored, so a pasted paragraph stays fast.
pub const MAX_WORDS: usize = 12;
/// Letters of a word looked at.
pub const MAX_WORD_CHARS: usize = 40;
/// Forms a prefix expands to, in sorted order.
pub const MAX_PREFIX_FORMS: usize = 50;
/// Endings of inflected Polish and English words, folded: what a typed word may have after a
/// stem of the index. The browser has no stemmer; this list lets it meet the stems of forms
/// the text does not contain.
pub const ENDINGS: &[&str] = &[
    "", "a", "e", "i", "o", "u", "y", "em", "om", "ow", "ia", "ie", "ii", "iu", "ym", "im", "ej",
    "ac", "ec", "ic", "mi", "ach", "ami", "ych", "ich", "ego", "emu", "owi", "owa", "owe", "owy",
    "ymi", "imi", "iem", "iom", "iej", "iach", "iami", "owie", "owej", "owym", "owych", "owego",
    "s", "es", "ed", "ing", "er", "ers", "ly", "ies", "ied",
];

/// A word is common when every key it matched is in more than half of the articles and in
/// more than this many: in a query with rarer words it is left out, which saves downloading
/// postings that would barely move the ranking (a stop list made from the site itself).
pub const COMMON_MIN_DOCS: u32 = 500;

/// How many letters select the dictionary range.
pub const RANGE_CHARS: usize = 3;

/// Words this long or longer also match forms one typo away.
pub const TYPO_MIN_CHARS: usize = 5;

/// How much each way of matching a word counts, against 10 for the word itself.
pub mod kind {
    /// The form itself.
    pub const EXACT: u64 = 10;
    /// A key the word starts with.
    pub const STEM: u64 = 8;
    /// A longer form of the word being typed.
    pub const PREFIX: u64 = 7;
    /// A form one typo away.
    pub const TYPO: u64 = 6;
}

/// Where the index files come from: the output folder, or anything else that has them.
pub trait IndexFiles {
    /// The bytes of `file` (`meta.json`, `d/0.json.gz`…) relative to the index folder, as
    /// stored (packed with gzip or not: the searcher unpacks them).
    fn read(&self, file: &str) -> Result<Vec<u8>>;
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    /// The article's title.
    pub title: String,
    /// Its address with the anchor of the heading closest to the match.
    pub url: String,
    /// The source file relative to `content/`.
    pub path: String,
    /// The title of its section.
    pub section: String,
    /// The score; higher is better.
    pub score: u64,
    /// HTML: escaped text with the matched words in `<mark>`.
    pub snippet: String,
    /// The same snippet as text with the ranges of the matched words, for a terminal (not in
    /// the JSON, which the browser's results match field for field).
    #[serde(skip)]
    pub text: Snippet,
}

/// A query word and the keys it matches, with the weight of the best way it matched each.
#[derive(Debug)]
struct Word {
    folded: String,
    /// The strings whose dictionary ranges were searched: the word itself, and the word with
    /// neighbours of its first three letters swapped when only a typo could match.
    ranges: Vec<String>,
    keys: BTreeMap<u32, u64>,
    /// Whether every key is in most articles (see [`COMMON_MIN_DOCS`]).
    common: bool,
}

/// A search over one index, loading files as queries need them and keeping them.
pub struct Searcher<F> {
    files: F,
    meta: Meta,
    dict: HashMap<usize, DictChunk>,
    post: HashMap<usize, HashMap<u32, (u64, Vec<i32>)>>,
    loaded: Vec<String>,
}

impl<F: IndexFiles> Searcher<F> {
    /// Opens the index: reads `meta.json` and checks its version.
    pub fn open(files: F) -> Result<Searcher<F>> {
        let meta: Meta = parse(&files, "meta.json")?;
        if meta.version != VERSION {
            return Err(files_error(
                &files,
                "meta.json",
                format!(
                    "the index has format version {}, this kbsite reads version {VERSION}",
                    meta.version
                ),
            ));
        }
        Ok(Searcher {
            files,
            meta,
            dict: HashMap::new(),
            post: HashMap::new(),
            loaded: vec!["meta.json".into()],
        })
    }

    /// Every index file read so far, in the order read: what a browser would have downloaded.
    pub fn loaded_files(&self) -> &[String] {
        &self.loaded
    }

    /// The best `limit` results for `query`, best first.
    pub fn search(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let folded = query_words(query);
        let mut words = Vec::with_capacity(folded.len());
        for (i, f) in folded.iter().enumerate() {
            let is_last = i + 1 == folded.len();
            words.push(self.candidates(f, is_last)?);
        }
        // Two words that the index also has as one form match that form too: `use state`
        // finds `useState`. The joined form lies in the range of the first word, loaded
        // already.
        for i in 1..words.len() {
            if folded[i - 1].chars().count() < RANGE_CHARS {
                continue;
            }
            let joined = format!("{}{}", folded[i - 1], folded[i]);
            for key in self.form_keys(&joined)? {
                for word in &mut words[i - 1..=i] {
                    word.keys.insert(key, kind::EXACT);
                }
            }
        }
        // Common words go when a rarer word matched something; otherwise they are all there is.
        if words.iter().any(|w| !w.common && !w.keys.is_empty()) {
            words.retain(|w| !w.common);
        }
        let ranked = self.rank(&words)?;
        let hit_forms = self.hit_forms(&words);
        let mut hits = Vec::new();
        for (doc, mut score) in ranked.into_iter().take(limit) {
            let fragment: Fragment = self.read_json(&super::format::fragment_file(doc as usize))?;
            // Within the exact-title tier, a title that is the query word for word (not an
            // inflected form of it) comes first: `archetypes` finds "Archetypes" before
            // "Archetype".
            if score / TIER_STEP == tier::EXACT_TITLE && query_words(&fragment.title) == folded {
                score += EXACT_WORDS_BONUS;
            }
            let found = snippet_of(&fragment, &hit_forms);
            let anchor = found.anchor.as_str();
            let url = if anchor.is_empty() {
                fragment.url.clone()
            } else {
                format!("{}#{anchor}", fragment.url)
            };
            hits.push(Hit {
                title: fragment.title,
                url,
                path: fragment.path,
                section: fragment.section,
                score,
                snippet: found.html(),
                text: found,
            });
        }
        // Stable: equal scores keep the order of article ids.
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        Ok(hits)
    }

    fn read_json<T: serde::de::DeserializeOwned>(&mut self, file: &str) -> Result<T> {
        self.loaded.push(file.to_string());
        parse(&self.files, file)
    }

    /// Indexes of the dictionary chunks holding the range of folded word `f`.
    fn dict_range(&self, f: &str) -> Vec<usize> {
        let (start, whole_range) = range_start(f);
        let starts = &self.meta.dict;
        let first = starts.partition_point(|s| s.as_str() <= start).max(1) - 1;
        let mut out = vec![first];
        if whole_range {
            let mut j = first + 1;
            while j < starts.len() && starts[j].starts_with(start) {
                out.push(j);
                j += 1;
            }
        }
        out
    }

    fn chunk(&mut self, i: usize) -> Result<&DictChunk> {
        if !self.dict.contains_key(&i) {
            let chunk: DictChunk = self.read_json(&super::format::dict_file(i))?;
            self.dict.insert(i, chunk);
        }
        Ok(&self.dict[&i])
    }

    /// The keys of the folded form `f`, when the dictionary has it.
    fn form_keys(&mut self, f: &str) -> Result<Vec<u32>> {
        for i in self.dict_range(f) {
            if let Some(form) = self.chunk(i)?.forms.iter().find(|form| form.0 == f) {
                return Ok(form.1.clone());
            }
        }
        Ok(Vec::new())
    }

    fn candidates(&mut self, f: &str, is_last: bool) -> Result<Word> {
        let mut keys: BTreeMap<u32, u64> = BTreeMap::new();
        let mut df: HashMap<u32, u32> = HashMap::new();
        self.match_range(f, f, is_last, &mut keys, &mut df)?;
        let mut ranges = vec![f.to_string()];
        // A typo in the first three letters moves the word to another range. Neighbours
        // swapped there (`fromularze`) are looked for in their ranges, only when nothing but
        // typos matched: two more ranges to load, for words that would find little.
        if f.chars().count() >= TYPO_MIN_CHARS && keys.values().all(|&w| w <= kind::TYPO) {
            for swapped in swaps_in_range(f) {
                self.match_range(f, &swapped, false, &mut keys, &mut df)?;
                ranges.push(swapped);
            }
        }
        let docs = self.meta.docs;
        let common = !keys.is_empty()
            && keys.keys().all(|k| {
                df.get(k)
                    .is_some_and(|&n| n > COMMON_MIN_DOCS && u64::from(n) * 2 > u64::from(docs))
            });
        Ok(Word {
            folded: f.to_string(),
            ranges,
            keys,
            common,
        })
    }

    /// Adds to `keys` what query word `f` matches in the dictionary range of `range` (`f`
    /// itself, or `f` with a typo in its first letters), with the articles of each key seen
    /// to `df`.
    fn match_range(
        &mut self,
        f: &str,
        range: &str,
        is_last: bool,
        keys: &mut BTreeMap<u32, u64>,
        df: &mut HashMap<u32, u32>,
    ) -> Result<()> {
        let (start, whole_range) = range_start(range);
        let in_range = |s: &str| {
            if whole_range {
                s.starts_with(start)
            } else {
                s == f
            }
        };
        let length = f.chars().count();
        let add = |keys: &mut BTreeMap<u32, u64>, id: u32, weight: u64| {
            let w = keys.entry(id).or_insert(0);
            *w = (*w).max(weight);
        };
        let chunk_ids = self.dict_range(range);
        for &i in &chunk_ids {
            self.chunk(i)?;
        }
        let chunks: Vec<&DictChunk> = chunk_ids.iter().filter_map(|i| self.dict.get(i)).collect();
        df.extend(
            chunks
                .iter()
                .flat_map(|c| c.keys.iter().map(|k| (k.1, k.2))),
        );
        let mut completions: Vec<(u32, &Form)> = Vec::new();
        for chunk in &chunks {
            for form in chunk.forms.iter().filter(|x| in_range(&x.0)) {
                let g = form.0.as_str();
                let weight = if g == f {
                    kind::EXACT
                } else if is_last && length >= RANGE_CHARS && g.starts_with(f) {
                    completions.push((form_df(form, df), form));
                    continue;
                } else if length >= TYPO_MIN_CHARS && one_edit_apart(f, g) {
                    kind::TYPO
                } else {
                    continue;
                };
                for &k in &form.1 {
                    add(keys, k, weight);
                }
            }
            for key in chunk.keys.iter().filter(|x| in_range(&x.0)) {
                let stem = key.0.as_str();
                let inflected = f
                    .strip_prefix(stem)
                    .is_some_and(|ending| ENDINGS.contains(&ending));
                if inflected && stem.chars().count() >= RANGE_CHARS {
                    add(keys, key.1, kind::STEM);
                }
            }
        }
        // The word being typed becomes its most common completions first.
        completions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.0.cmp(&b.1.0)));
        for (_, form) in completions.into_iter().take(MAX_PREFIX_FORMS) {
            for &k in &form.1 {
                add(keys, k, kind::PREFIX);
            }
        }
        Ok(())
    }

    /// The inverse document frequency of `key` and its postings.
    fn postings(&mut self, key: u32) -> Result<(u64, &[i32])> {
        let chunk = self.meta.post.partition_point(|&s| s <= key).max(1) - 1;
        if !self.post.contains_key(&chunk) {
            let lists: PostChunk = self.read_json(&super::format::post_file(chunk))?;
            let map = lists
                .into_iter()
                .map(|p| (p.0, (u64::from(p.1), p.2)))
                .collect();
            self.post.insert(chunk, map);
        }
        Ok(self.post[&chunk]
            .get(&key)
            .map_or((0, &[][..]), |(idf, list)| (*idf, list.as_slice())))
    }

    /// (article, score) of every article matching at least one word, best first.
    fn rank(&mut self, words: &[Word]) -> Result<Vec<(u32, u64)>> {
        let n = words.len();
        let mut per_doc: HashMap<u32, (u32, Vec<WordScore>)> = HashMap::new();
        for (i, word) in words.iter().enumerate() {
            // Longer forms and typos never count as rarer than the word as typed, when the
            // word itself is in the index: `marketing` must not rank an article by its many
            // `marketingowych` above one about marketing.
            let mut cap = None;
            for (&key, &weight) in &word.keys {
                if weight >= kind::STEM {
                    let idf = self.postings(key)?.0;
                    cap = Some(cap.map_or(idf, |c: u64| c.max(idf)));
                }
            }
            for (&key, &weight) in &word.keys {
                let (idf, list) = self.postings(key)?;
                let idf = match cap {
                    Some(c) if weight < kind::STEM => idf.min(c),
                    _ => idf,
                };
                let mut doc = 0u32;
                let mut at = 0;
                while at + 2 < list.len() {
                    doc = doc.wrapping_add(number(list[at]));
                    let score = weight * idf * u64::from(number(list[at + 1]));
                    let third = list[at + 2];
                    let (position, place) = match list.get(at + 3) {
                        Some(&place) if third < 0 => {
                            at += 4;
                            (number(-1 - third), Place::of(number(place)))
                        }
                        _ => {
                            at += 3;
                            (number(third), Place::default())
                        }
                    };
                    let entry = per_doc
                        .entry(doc)
                        .or_insert_with(|| (0, vec![WordScore::default(); n]));
                    // Only postings with a place carry the title's length.
                    entry.0 = entry.0.max(place.title_len);
                    entry.1[i].add(weight, score, position, place);
                }
            }
        }
        let mut ranked: Vec<(u32, u64)> = per_doc
            .into_iter()
            .map(|(doc, (title_len, per_word))| (doc, score(&per_word, title_len)))
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(ranked)
    }

    /// Folded forms to highlight, with the query words each matches (bit `i` for word `i`):
    /// the query words themselves and every form in their ranges that shares a key with what
    /// the word matched.
    fn hit_forms(&self, words: &[Word]) -> HashMap<String, u32> {
        let mut out: HashMap<String, u32> = HashMap::new();
        for (i, word) in words.iter().enumerate() {
            let bit = 1 << i;
            *out.entry(word.folded.clone()).or_default() |= bit;
            for range in &word.ranges {
                let (start, whole_range) = range_start(range);
                for chunk in self
                    .dict_range(range)
                    .iter()
                    .filter_map(|c| self.dict.get(c))
                {
                    for form in &chunk.forms {
                        let in_range = if whole_range {
                            form.0.starts_with(start)
                        } else {
                            form.0 == word.folded
                        };
                        if in_range && form.1.iter().any(|k| word.keys.contains_key(k)) {
                            *out.entry(form.0.clone()).or_default() |= bit;
                        }
                    }
                }
            }
        }
        out
    }
}

/// How well an article matched one query word: the score of its best key and that key's
/// position (only the best key counts, so a prefix that expands to many forms does not pile
/// up points in a long article that uses many of them), and where any of its keys stands in
/// the title and the headings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordScore {
    best: u64,
    position: u32,
    /// The first place in the title (1-based) of a key the word matched; 0: none.
    title: u32,
    /// The same for keys matched as the word itself or its stem (not a completion or typo).
    title_exact: u32,
    /// The first heading (1-based) holding a key the word matched; 0: none.
    heading: u32,
    /// The number of words of that heading.
    heading_len: u32,
    /// The words of the section's title when a key the word matched is in it; 0: none.
    section_len: u32,
}

impl WordScore {
    fn add(&mut self, kind: u64, score: u64, position: u32, place: Place) {
        if score > self.best {
            self.best = score;
            self.position = position;
        }
        if position >= 1 && position <= place.title_len {
            self.title = first_place(self.title, position);
            if kind >= kind::STEM {
                self.title_exact = first_place(self.title_exact, position);
            }
        }
        if place.heading != 0 && (self.heading == 0 || place.heading < self.heading) {
            self.heading = place.heading;
            self.heading_len = place.heading_len;
        }
        self.section_len = self.section_len.max(place.section_len);
    }
}

/// A number of a posting as the u32 it was written from (a damaged index gives nonsense
/// scores, never a panic).
fn number(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Where the query's words stand in an article, strongest first. A higher tier always ranks
/// above a lower one; the score orders articles within a tier.
pub mod tier {
    /// The title is the query, after folding: every query word is in the title as typed or
    /// inflected, and the title has no other word.
    pub const EXACT_TITLE: u64 = 5;
    /// The same, where a word matched as a completion of what is being typed or a typo.
    pub const WHOLE_TITLE: u64 = 4;
    /// Every query word is in the title, which has other words too.
    pub const TITLE: u64 = 3;
    /// Every query word is in one heading, which has no other word; or in the title of the
    /// article's section, which has no other word.
    pub const WHOLE_HEADING: u64 = 2;
    /// Every query word, two or more, is in one heading, or in the section's title.
    pub const HEADING: u64 = 1;
    /// Anything else.
    pub const BODY: u64 = 0;
}

/// Added to a result in the exact-title tier whose title is the query's words exactly
/// (see [`Searcher::search`]); keeps it in its tier.
pub const EXACT_WORDS_BONUS: u64 = TIER_STEP / 2;

/// Scores of one tier stay below this; the tier is multiplied by it. Below 2^53 in all,
/// so the browser adds and compares the same integers exactly.
pub const TIER_STEP: u64 = 1 << 40;

/// The tier of an article that matched the query words as `per_word` says, its title
/// having `title_len` words.
pub fn tier_of(per_word: &[WordScore], title_len: u32) -> u64 {
    let Some(first) = per_word.first() else {
        return tier::BODY;
    };
    // Whether the places cover the title: 1..=title_len, none missing (identifier parts
    // share the place of their identifier).
    let covers = |place: fn(&WordScore) -> u32| {
        let mut places: Vec<u32> = per_word.iter().map(place).collect();
        places.sort_unstable();
        places.dedup();
        places[0] > 0 && places.len() as u32 == title_len && places.last() == Some(&title_len)
    };
    if covers(|w| w.title_exact) {
        return tier::EXACT_TITLE;
    }
    if covers(|w| w.title) {
        return tier::WHOLE_TITLE;
    }
    if per_word.iter().all(|w| w.title > 0) {
        return tier::TITLE;
    }
    let n = per_word.len();
    let in_section = per_word.iter().all(|w| w.section_len > 0);
    let in_heading = first.heading > 0 && per_word.iter().all(|w| w.heading == first.heading);
    if (in_section && first.section_len as usize <= n)
        || (in_heading && first.heading_len as usize <= n)
    {
        return tier::WHOLE_HEADING;
    }
    // One word in some heading says little; several together in one say much.
    if n > 1 && (in_heading || in_section) {
        return tier::HEADING;
    }
    tier::BODY
}

/// The final score: [`tier_of`] × [`TIER_STEP`] plus [`combine`].
fn score(per_word: &[WordScore], title_len: u32) -> u64 {
    tier_of(per_word, title_len) * TIER_STEP + combine(per_word).min(TIER_STEP - 1)
}

/// The words' best scores summed, raised by half when every word of a longer query matched
/// and by 30% for each pair of neighbouring query words that stand within three words of
/// each other in the text.
fn combine(per_word: &[WordScore]) -> u64 {
    let base: u64 = per_word.iter().map(|w| w.best).sum();
    let matched = per_word.iter().filter(|w| w.best > 0).count();
    let all = matched == per_word.len() && per_word.len() > 1;
    let near = per_word
        .windows(2)
        .filter(|p| {
            let (a, b) = (p[0].position, p[1].position);
            p[0].best > 0 && p[1].best > 0 && a > 0 && b > a && b - a <= 3
        })
        .count() as u64;
    base * (10 + if all { 5 } else { 0 } + 3 * near)
}

/// How common a completion is: the most articles any of its keys is in.
fn form_df(form: &Form, df: &HashMap<u32, u32>) -> u32 {
    form.1
        .iter()
        .filter_map(|k| df.get(k))
        .copied()
        .max()
        .unwrap_or(0)
}

/// The folded words of a query, each once, in order, at most [`MAX_WORDS`] of at most
/// [`MAX_WORD_CHARS`] letters.
pub fn query_words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(query) {
        let f: String = fold(w).chars().take(MAX_WORD_CHARS).collect();
        if !out.contains(&f) {
            out.push(f);
        }
        if out.len() == MAX_WORDS {
            break;
        }
    }
    out
}

/// The string a word's dictionary range starts with, and whether the range is every string
/// with that start (words of three letters or more) or the word alone.
fn range_start(f: &str) -> (&str, bool) {
    match f.char_indices().nth(RANGE_CHARS) {
        Some((end, _)) => (&f[..end], true),
        None if f.chars().count() == RANGE_CHARS => (f, true),
        None => (f, false),
    }
}

/// `f` with two neighbours among its first three letters swapped (`fromularze` ->
/// `rfomularze`, `formularze`): the ranges where a typo there sends the word. Variants equal
/// to `f` are left out.
fn swaps_in_range(f: &str) -> Vec<String> {
    let chars: Vec<char> = f.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for i in 0..RANGE_CHARS.min(chars.len()).saturating_sub(1) {
        if chars[i] == chars[i + 1] {
            continue;
        }
        let mut c = chars.clone();
        c.swap(i, i + 1);
        let s: String = c.into_iter().collect();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Whether `a` and `b` are one insertion, deletion, substitution or swap of neighbours apart.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 || a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    if la == lb {
        ra[1..] == rb[1..]
            || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
    } else if la > lb {
        ra[1..] == *rb
    } else {
        *ra == rb[1..]
    }
}

fn parse<F: IndexFiles, T: serde::de::DeserializeOwned>(files: &F, file: &str) -> Result<T> {
    let bytes = files.read(file)?;
    let json = super::format::unpack(&bytes)
        .map_err(|e| files_error(files, file, format!("corrupt gzip: {e}")))?;
    serde_json::from_slice(&json).map_err(|e| files_error(files, file, format!("corrupt: {e}")))
}

fn files_error<F: IndexFiles>(_files: &F, file: &str, message: String) -> crate::error::Error {
    crate::error::Error::SearchIndex {
        path: std::path::Path::new(super::format::DIR).join(file),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_edit() {
        assert!(one_edit_apart("dwukierunkowsc", "dwukierunkowosc"));
        assert!(one_edit_apart("kleint", "klient"));
        assert!(!one_edit_apart("klienta", "klienci"));
        assert!(one_edit_apart("klient", "klienty"));
        assert!(!one_edit_apart("klient", "klient"));
        assert!(!one_edit_apart("abc", "cba"));
    }

    #[test]
    fn query_words_are_folded_once_and_capped() {
        assert_eq!(
            query_words("Lojalność klientów, lojalnosc!"),
            ["lojalnosc", "klientow"]
        );
        let long = "słowo ".repeat(2000) + &(0..30).map(|i| format!("w{i}x ")).collect::<String>();
        assert_eq!(query_words(&long).len(), MAX_WORDS);
        assert!(query_words(&"a".repeat(10_000))[0].len() == MAX_WORD_CHARS);
        assert!(query_words(".*( <img> ").iter().all(|w| w == "img"));
    }

    #[test]
    fn ranges_use_three_letters() {
        assert_eq!(range_start("spolecznosc"), ("spo", true));
        assert_eq!(range_start("seo"), ("seo", true));
        assert_eq!(range_start("ab"), ("ab", false));
        assert_eq!(range_start("żółw"), ("żół", true));
    }

    fn word(scores: &[u64], position: u32) -> WordScore {
        let mut w = WordScore::default();
        for &s in scores {
            w.add(kind::EXACT, s, position, Place::of(0));
        }
        w
    }

    #[test]
    fn every_query_word_and_pair_counts() {
        // Two words matched beat one word scoring the same sum.
        assert!(
            combine(&[word(&[50], 0), word(&[50], 0)]) > combine(&[word(&[100], 0), word(&[], 0)])
        );
        // Neighbours in the text count more than words far apart.
        assert!(
            combine(&[word(&[50], 3), word(&[50], 4)])
                > combine(&[word(&[50], 3), word(&[50], 40)])
        );
        // Only the best key of a word counts.
        assert_eq!(combine(&[word(&[50, 20], 1)]), combine(&[word(&[50], 1)]));
        assert_eq!(
            combine(&[word(&[50], 1), word(&[30], 2)]),
            (50 + 30) * (10 + 5 + 3)
        );
        assert_eq!(combine(&[WordScore::default()]), 0);
    }

    /// An index held in memory, as files.
    struct Memory(HashMap<String, Vec<u8>>);

    impl IndexFiles for Memory {
        fn read(&self, file: &str) -> Result<Vec<u8>> {
            self.0
                .get(file)
                .cloned()
                .ok_or_else(|| files_error(self, file, "missing".into()))
        }
    }

    fn memory_index(bodies: &[String]) -> Memory {
        let docs: Vec<(&str, &str, Vec<&str>)> =
            bodies.iter().map(|b| ("", b.as_str(), vec![])).collect();
        memory_site(&docs)
    }

    /// An index of articles given as (title, body, headings).
    fn memory_site(articles: &[(&str, &str, Vec<&str>)]) -> Memory {
        use super::super::format::{dict_file, fragment_file, gzip, post_file};
        use super::super::index::{SourceDoc, build_index};
        let bodies: Vec<String> = articles.iter().map(|a| a.1.to_string()).collect();
        let docs: Vec<SourceDoc<'_>> = articles
            .iter()
            .map(|(title, body, headings)| SourceDoc {
                lang: crate::config::Language::Pl,
                title,
                body,
                headings: headings.clone(),
                tags: vec![],
                description: "",
                code: "",
                section: "",
            })
            .collect();
        let index = build_index(&docs);
        // As a build writes them: meta.json plain, the rest packed.
        let plain = |v: &dyn erased::Json| v.bytes();
        let json = |v: &dyn erased::Json| gzip(&v.bytes());
        let mut files = HashMap::new();
        files.insert("meta.json".to_string(), plain(&index.meta));
        for (i, c) in index.dict.iter().enumerate() {
            files.insert(dict_file(i), json(c));
        }
        for (i, c) in index.post.iter().enumerate() {
            files.insert(post_file(i), json(c));
        }
        for (i, b) in bodies.iter().enumerate() {
            let title = articles[i].0;
            let fragment = Fragment {
                title: if title.is_empty() {
                    format!("doc {i}")
                } else {
                    title.to_string()
                },
                url: format!("/{i}/"),
                section: String::new(),
                path: format!("{i}.md"),
                description: String::new(),
                parts: vec![(String::new(), b.clone())],
                heads: vec![0],
            };
            files.insert(fragment_file(i), json(&fragment));
        }
        Memory(files)
    }

    mod erased {
        pub(super) trait Json {
            fn bytes(&self) -> Vec<u8>;
        }
        impl<T: serde::Serialize> Json for T {
            fn bytes(&self) -> Vec<u8> {
                serde_json::to_vec(self).unwrap()
            }
        }
    }

    #[test]
    fn words_in_most_articles_are_left_out_next_to_rarer_ones() {
        let mut bodies: Vec<String> = (0..1200).map(|i| format!("i tekst numer{i}")).collect();
        bodies[700] = "i rzadkie słowo".into();
        let mut s = Searcher::open(memory_index(&bodies)).unwrap();
        let hits = s.search("i rzadkie", 10).unwrap();
        assert_eq!(hits.len(), 1, "only the rare word counts");
        assert_eq!(hits[0].path, "700.md");
        let postings = s
            .loaded_files()
            .iter()
            .filter(|f| f.starts_with("p/"))
            .count();
        assert_eq!(postings, 1, "{:?}", s.loaded_files());
        // Alone, or next to words that match nothing, a common word is still searched for.
        let mut s = Searcher::open(memory_index(&bodies)).unwrap();
        assert_eq!(s.search("i", 5).unwrap().len(), 5);
        assert_eq!(s.search("nieznane i", 5).unwrap().len(), 5);
    }

    fn paths(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.path.as_str()).collect()
    }

    #[test]
    fn an_exact_title_beats_pages_that_mention_the_word_more() {
        let many = "archetypes ".repeat(30);
        let site = memory_site(&[
            ("Content", &many, vec![]),
            ("Archetype", "An archetype is a template.", vec![]),
            (
                "Archetypes",
                "Templates for new content, with front matter set.",
                vec![],
            ),
        ]);
        let mut s = Searcher::open(site).unwrap();
        let hits = s.search("archetypes", 5).unwrap();
        assert_eq!(paths(&hits)[0], "2.md", "{hits:?}");
        assert!(hits[0].score >= tier::EXACT_TITLE * TIER_STEP);
        assert!(hits.iter().all(|h| h.path != "0.md" || h.score < TIER_STEP));
    }

    #[test]
    fn a_title_that_starts_with_the_typed_prefix_comes_before_body_matches() {
        let many = "multilingual ".repeat(40);
        let site = memory_site(&[
            ("Languages", &many, vec![]),
            ("Multilingual sites", "Pages in several languages.", vec![]),
        ]);
        let mut s = Searcher::open(site).unwrap();
        assert_eq!(paths(&s.search("multiling", 5).unwrap()), ["1.md", "0.md"]);
    }

    #[test]
    fn identifiers_are_found_whole_joined_and_by_a_prefix() {
        let site = memory_site(&[
            (
                "Using state",
                "Use the state of a component; use state sparingly.",
                vec![],
            ),
            ("Hooks API", "It returns a pair.", vec!["useState"]),
        ]);
        let mut s = Searcher::open(site).unwrap();
        for query in ["usestate", "use state", "useSt", "useState"] {
            let hits = s.search(query, 5).unwrap();
            assert_eq!(paths(&hits)[0], "1.md", "{query}: {hits:?}");
        }
    }

    #[test]
    fn completions_are_the_most_common_forms_first() {
        // 60 rare forms sort before the common one; the common one must still be tried.
        let mut articles: Vec<(String, String)> = (0..60)
            .map(|i| (String::new(), format!("abca{i:02} tekst")))
            .collect();
        for _ in 0..5 {
            articles.push((String::new(), "abczz tekst".into()));
        }
        let borrowed: Vec<(&str, &str, Vec<&str>)> = articles
            .iter()
            .map(|(t, b)| (t.as_str(), b.as_str(), vec![]))
            .collect();
        let mut s = Searcher::open(memory_site(&borrowed)).unwrap();
        let hits = s.search("abc", 100).unwrap();
        assert!(hits.iter().any(|h| h.path == "60.md"), "{:?}", paths(&hits));
    }

    #[test]
    fn words_together_in_one_heading_rank_above_words_scattered_in_a_text() {
        let scattered = format!(
            "{} stan {} pętli {}",
            "inne słowa ".repeat(10),
            "dalej ".repeat(20),
            "koniec ".repeat(5)
        );
        let site = memory_site(&[
            ("Pętle", &format!("{scattered} stan stan pętli"), vec![]),
            (
                "Hooki",
                "Krótki tekst.",
                vec!["Stan wewnątrz pętli", "Inne"],
            ),
        ]);
        let mut s = Searcher::open(site).unwrap();
        let hits = s.search("stan wewnatrz petli", 5).unwrap();
        assert_eq!(paths(&hits)[0], "1.md", "{hits:?}");
        assert_eq!(hits[0].score / TIER_STEP, tier::WHOLE_HEADING);
    }

    #[test]
    fn a_typo_in_the_first_letters_still_finds_the_word() {
        let bodies = vec![
            "formularze kontaktowe".to_string(),
            "inny tekst".to_string(),
        ];
        let mut s = Searcher::open(memory_index(&bodies)).unwrap();
        assert_eq!(paths(&s.search("fromularze", 5).unwrap()), ["0.md"]);
        // The extra ranges are read only when nothing but a typo matched.
        let mut t = Searcher::open(memory_index(&bodies)).unwrap();
        t.search("formularze", 5).unwrap();
        let dict_reads = t
            .loaded_files()
            .iter()
            .filter(|f| f.starts_with("d/"))
            .count();
        assert_eq!(dict_reads, 1, "{:?}", t.loaded_files());
    }

    #[test]
    fn tiers_follow_where_the_words_stand() {
        let w = |title: u32, exact: bool, heading: u32, heading_len: u32| WordScore {
            best: 10,
            position: title.max(1),
            title,
            title_exact: if exact { title } else { 0 },
            heading,
            heading_len,
            section_len: 0,
        };
        let cases = [
            (
                vec![w(1, true, 0, 0), w(2, true, 0, 0)],
                2,
                tier::EXACT_TITLE,
            ),
            (
                vec![w(1, true, 0, 0), w(2, false, 0, 0)],
                2,
                tier::WHOLE_TITLE,
            ),
            (vec![w(1, true, 0, 0), w(3, true, 0, 0)], 3, tier::TITLE),
            (
                vec![w(0, false, 2, 2), w(0, false, 2, 2)],
                4,
                tier::WHOLE_HEADING,
            ),
            (vec![w(0, false, 2, 5), w(0, false, 2, 5)], 4, tier::HEADING),
            // One word in a heading says little.
            (vec![w(0, false, 2, 5)], 4, tier::BODY),
            (vec![w(0, false, 2, 2), w(0, false, 3, 2)], 4, tier::BODY),
        ];
        for (words, title_len, tier) in cases {
            assert_eq!(tier_of(&words, title_len), tier, "{words:?}");
        }
        assert_eq!(tier_of(&[], 4), tier::BODY);
    }

    #[test]
    fn a_stem_plus_an_ending_meets_forms_the_text_does_not_have() {
        let bodies = vec![
            "media społecznościowe".to_string(),
            "zupełnie inny tekst".to_string(),
        ];
        let mut s = Searcher::open(memory_index(&bodies)).unwrap();
        let hits = s.search("spolecznosciowych", 5).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].snippet, "media <mark>społecznościowe</mark>");
        // `sc` is no ending: `dwukierunkowsc` does not meet the stem of `dwukierunkowa`.
        let bodies = vec![
            "dwukierunkowa komunikacja".to_string(),
            "zupełnie inny tekst".to_string(),
        ];
        let mut s = Searcher::open(memory_index(&bodies)).unwrap();
        let hits = s.search("dwukierunkowsc tekst", 5).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].path, "1.md");
        assert_eq!(s.search("dwukierunkowy tekst", 5).unwrap().len(), 2);
    }

    /// Real Polish word pairs: a form in the text and another form a reader types, without
    /// diacritics. The reader's form must find the text.
    const PAIRS: &[(&str, &str)] = &[
        ("społecznościowych", "spolecznosciowe"),
        ("społecznościowe", "spolecznosciowych"),
        ("lojalność", "lojalnosci"),
        ("klientów", "klient"),
        ("klientów", "klientow"),
        ("klientom", "klientami"),
        ("personalizację", "personalizacja"),
        ("treści", "tresc"),
        ("interaktywność", "interaktywnosci"),
        ("wyszukiwarkach", "wyszukiwarka"),
        ("firmie", "firma"),
        ("internetowym", "internetowy"),
        ("reklamie", "reklame"),
        ("sprzedaży", "sprzedaz"),
        ("newslettera", "newsletter"),
        ("marketingu", "marketing"),
        ("komunikacji", "komunikacja"),
        ("stronie", "strony"),
        ("mediach", "media"),
        ("opinii", "opinie"),
        ("pracownikami", "pracownik"),
        ("zamówień", "zamowienia"),
        ("księgowości", "ksiegowosc"),
        ("przedsiębiorstwami", "przedsiebiorstwo"),
    ];

    #[test]
    fn readers_forms_find_the_forms_in_the_text() {
        let mut missed = Vec::new();
        for (in_text, typed) in PAIRS {
            let bodies = vec![format!("Tekst: {in_text}."), "inne zdanie".to_string()];
            let mut s = Searcher::open(memory_index(&bodies)).unwrap();
            // Not the last word, so no prefix matching helps: `typed` meets `in_text` as a
            // form, a stem with an ending, or a typo.
            let hits = s.search(&format!("{typed} zzz"), 5).unwrap();
            if hits.first().map(|h| h.path.as_str()) != Some("0.md") {
                missed.push(*typed);
            }
        }
        assert!(missed.is_empty(), "not found: {missed:?}");
    }

    proptest! {
        #[test]
        fn one_edit_matches_the_definition(a in "[a-c]{0,6}", b in "[a-c]{0,6}") {
            let ca: Vec<char> = a.chars().collect();
            let cb: Vec<char> = b.chars().collect();
            // Every string one edit from `a`, built by brute force.
            let mut near = std::collections::HashSet::new();
            for i in 0..=ca.len() {
                for c in ['a', 'b', 'c'] {
                    let mut s = ca.clone(); s.insert(i, c); near.insert(s);
                    if i < ca.len() { let mut s = ca.clone(); s[i] = c; near.insert(s); }
                }
                if i < ca.len() { let mut s = ca.clone(); s.remove(i); near.insert(s); }
                if i + 1 < ca.len() { let mut s = ca.clone(); s.swap(i, i + 1); near.insert(s); }
            }
            near.remove(&ca);
            prop_assert_eq!(one_edit_apart(&a, &b), near.contains(&cb));
        }
    }
}
