//! Builds the search index from the site model: the same rendered text the pages show, so
//! search never disagrees with what a reader sees.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::analyze::{Analyzer, each_word, fold, identifier_parts, word_indices};
use super::format::{
    DictChunk, Form, Fragment, HEADING_MAX, Key, LENGTH_MAX, Meta, Place, PostChunk, Postings,
    VERSION, dict_file, first_place, fragment_file, gzip, post_file,
};
use crate::config::Language;
use crate::hash::{FixedState, fixed_state};
use crate::site::Site;

/// How much one occurrence counts, ×10, by where it is: the title says most about an article,
/// code blocks least.
mod weight {
    pub(super) const TITLE: u32 = 60;
    pub(super) const TAG: u32 = 40;
    pub(super) const HEADING: u32 = 30;
    pub(super) const DESCRIPTION: u32 = 20;
    pub(super) const SECTION: u32 = 20;
    pub(super) const BODY: u32 = 10;
    pub(super) const CODE: u32 = 3;
}

/// BM25F saturation (the usual value) and length normalisation: lower than the usual 0.75,
/// so that a short page does not win on its length alone (see docs/content/searching/ranking.md).
const K1: f64 = 1.2;
const B: f64 = 0.5;

/// Approximate size of one chunk file before compression: small enough that a query word
/// loads a few kilobytes, large enough that a big site does not need tens of thousands of files.
const DICT_CHUNK_BYTES: usize = 16 * 1024;
const POST_CHUNK_BYTES: usize = 12 * 1024;

/// Body positions start after the title's, with a gap so that the last word of the title and
/// the first of the body never count as near each other.
const BODY_POSITION_GAP: u32 = 8;

/// Hash maps for the words of a whole knowledge base: a fast hash with fixed seeds (the keys
/// are the site's own words, and every order that reaches the output is sorted first).
type FastMap<K, V> = HashMap<K, V, FixedState>;

fn fast_map<K, V>(capacity: usize) -> FastMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, fixed_state())
}

/// One key of one article: what its posting holds. 16 bytes: a large site has millions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Term {
    key: u32,
    /// BM25F score ×100.
    score: u32,
    /// See [`WordStats`].
    position: u32,
    /// [`Place::number`] when the key is in the title, a heading or the section's title;
    /// 0 when not (then the posting has no fourth number).
    place: u32,
}

/// The indexed fields of one article, borrowed from the site model.
#[derive(Debug, Clone)]
pub(crate) struct SourceDoc<'a> {
    /// Which stemmer reads it.
    pub lang: Language,
    /// The title.
    pub title: &'a str,
    /// The plain text of the body.
    pub body: &'a str,
    /// The headings' text (also in the body; counted again for their weight).
    pub headings: Vec<&'a str>,
    /// Terms of every taxonomy.
    pub tags: Vec<&'a str>,
    /// The description.
    pub description: &'a str,
    /// The text of code blocks.
    pub code: &'a str,
    /// The title of its section ("" at the top level): readers search for a section by name.
    pub section: &'a str,
}

/// The index before it becomes files, whole: what tests look at (a build makes the files one
/// at a time).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Index {
    /// `meta.json`.
    pub meta: Meta,
    /// `d/N.json.gz`.
    pub dict: Vec<DictChunk>,
    /// `p/N.json.gz`.
    pub post: Vec<PostChunk>,
}

/// The analysed words of a set of articles: what the search index and the related articles
/// are both made from, so the costly counting of every word is done once per build.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The page id of each analysed article, in order.
    pub pages: Vec<usize>,
    /// Index keys (stems), sorted.
    keys: Vec<String>,
    /// Each folded form of a word with the keys it stems to.
    forms: BTreeMap<String, BTreeSet<u32>>,
    /// For each article, its terms sorted by key.
    per_doc: Vec<Vec<Term>>,
    /// Articles holding each key.
    df: Vec<u32>,
}

impl Analysis {
    /// Number of analysed articles.
    pub fn len(&self) -> usize {
        self.per_doc.len()
    }

    /// Whether no article was analysed.
    pub fn is_empty(&self) -> bool {
        self.per_doc.is_empty()
    }

    /// The terms of article `d` (a position in [`Analysis::pages`]): (key, BM25 score ×100),
    /// sorted by key.
    pub fn terms(&self, d: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.per_doc[d].iter().map(|t| (t.key, t.score))
    }

    /// How many analysed articles hold `key`.
    pub fn df(&self, key: u32) -> u32 {
        self.df[key as usize]
    }

    /// The inverse document frequency of `key` ×100, the value the index stores.
    pub fn idf(&self, key: u32) -> u32 {
        let n = self.per_doc.len() as f64;
        let df = f64::from(self.df(key));
        (100.0 * (1.0 + (n - df + 0.5) / (df + 0.5)).ln())
            .round()
            .max(1.0) as u32
    }
}

/// Analyses the site's searchable articles (all of them with `all`, for related articles).
pub(crate) fn analyze_site(site: &Site, all: bool) -> Analysis {
    analyze_pages(site, |i| {
        all || site.pages[i].doc.meta.search != Some(false)
    })
}

/// Analyses the pages `wanted` picks, in page order.
fn analyze_pages(site: &Site, wanted: impl Fn(usize) -> bool) -> Analysis {
    let pages: Vec<usize> = (0..site.pages.len()).filter(|&i| wanted(i)).collect();
    let docs: Vec<SourceDoc<'_>> = pages.iter().map(|&i| source_doc(site, i)).collect();
    let mut analysis = analyze(&docs);
    analysis.pages = pages;
    analysis
}

/// Whether the analysis of every article ([`analyze_site`] with `all`) is also the analysis
/// the search index needs: search is on, no article is left out of it, and the site has one
/// language (each language has an index of its own).
pub(crate) fn all_searchable(site: &Site) -> bool {
    site.config.search
        && site.languages().len() == 1
        && site.pages.iter().all(|p| p.doc.meta.search != Some(false))
}

/// Where index files go as they are made (a build writes each at once, so the JSON of a big
/// site's whole index is never held together).
pub(crate) type Sink<'a> = &'a (dyn Fn(IndexFile) -> crate::error::Result<()> + Sync);

/// Makes the files of every language's index and hands each to `sink`: `search/` for the
/// site's language, `en/search/` for English articles. All errors are returned together.
pub(crate) fn build(site: &Site, sink: Sink<'_>) -> crate::error::Result<()> {
    let errors: Vec<crate::error::Error> = site
        .languages()
        .iter()
        .filter_map(|&lang| {
            let analysis = analyze_pages(site, |i| {
                site.pages[i].lang == lang && site.pages[i].doc.meta.search != Some(false)
            });
            files_in(site, &analysis, &site.search_dir(lang), sink).err()
        })
        .collect();
    crate::error::Error::collect(errors)
}

/// Makes the files of the index of `analysis` (see [`all_searchable`]), under `search/`, and
/// hands each to `sink`.
pub(crate) fn files(site: &Site, analysis: &Analysis, sink: Sink<'_>) -> crate::error::Result<()> {
    files_in(site, analysis, &site.search_dir(site.config.language), sink)
}

/// A file of a search index, before it is packed: packing is most of the cost of writing an
/// index, and a build keeps a packed file of the previous output that names the same JSON
/// (see [`IndexFile::holds_same`]) instead of packing it again.
#[derive(Debug, Clone)]
pub(crate) struct IndexFile {
    /// The output path.
    pub path: String,
    json: Vec<u8>,
    /// Whether the file is written packed with gzip (all but `meta.json`).
    packed: bool,
}

impl IndexFile {
    fn plain(path: String, json: Vec<u8>) -> IndexFile {
        IndexFile {
            path,
            json,
            packed: false,
        }
    }

    fn packed<T: serde::Serialize>(path: String, value: &T) -> IndexFile {
        IndexFile {
            path,
            json: json(value),
            packed: true,
        }
    }

    /// The file's bytes as written.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        if self.packed {
            gzip(&self.json)
        } else {
            self.json.clone()
        }
    }

    /// Whether `old`, the bytes of a file written before, are what [`IndexFile::bytes`] gives,
    /// told from the content hash in a packed file's header without packing anything.
    pub(crate) fn holds_same(&self, old: &[u8]) -> bool {
        if self.packed {
            super::format::packed_hash(old) == Some(super::format::content_hash(&self.json))
        } else {
            old == self.json
        }
    }
}

/// Makes the files of the index of `analysis` under the folder `dir` (ending in `/`):
/// `meta.json` plain, the rest to be packed with gzip, in parallel (next to the rendering of
/// the pages during a build); hands each to `sink` as it is made.
fn files_in(
    site: &Site,
    analysis: &Analysis,
    dir: &str,
    sink: Sink<'_>,
) -> crate::error::Result<()> {
    let dict = dict_chunks(&analysis.forms, &analysis.keys, &analysis.df);
    let plan = PostingsPlan::of(analysis);
    let meta = Meta {
        version: VERSION,
        docs: analysis.per_doc.len() as u32,
        dict: dict.iter().map(|(first, _)| first.clone()).collect(),
        post: plan.firsts(),
    };
    let mut errors: Vec<crate::error::Error> = Vec::new();
    errors.extend(sink(IndexFile::plain(format!("{dir}meta.json"), json(&meta))).err());
    errors.par_extend(dict.par_iter().enumerate().filter_map(|(i, (_, chunk))| {
        sink(IndexFile::packed(format!("{dir}{}", dict_file(i)), chunk)).err()
    }));
    errors.par_extend((0..plan.chunks.len()).into_par_iter().filter_map(|c| {
        let chunk = plan.chunk(c, &analysis.per_doc);
        sink(IndexFile::packed(format!("{dir}{}", post_file(c)), &chunk)).err()
    }));
    drop(plan);
    errors.par_extend(
        analysis
            .pages
            .par_iter()
            .enumerate()
            .filter_map(|(d, &page)| {
                let fragment = fragment(site, page);
                sink(IndexFile::packed(
                    format!("{dir}{}", fragment_file(d)),
                    &fragment,
                ))
                .err()
            }),
    );
    crate::error::Error::collect(errors)
}

/// Whether output path `path` is a file of one of `site`'s search indexes (not a search
/// page).
pub(crate) fn is_index_file(site: &Site, path: &str) -> bool {
    !path.ends_with("index.html")
        && site
            .languages()
            .iter()
            .any(|&lang| path.starts_with(&site.search_dir(lang)))
}

/// Whether output path `path` is a file of a search index of any language, for code that
/// has no model at hand.
pub(crate) fn is_index_path(path: &str) -> bool {
    let dir = format!("{}/", crate::site::SEARCH_DIR);
    let in_index = path.starts_with(&dir)
        || path
            .split_once('/')
            .is_some_and(|(code, rest)| Language::parse(code).is_some() && rest.starts_with(&dir));
    in_index && !path.ends_with("index.html")
}

fn source_doc(site: &Site, i: usize) -> SourceDoc<'_> {
    let page = &site.pages[i];
    let meta = &page.doc.meta;
    SourceDoc {
        lang: page.lang,
        title: &page.title,
        body: &page.rendered.text,
        headings: page
            .rendered
            .headings
            .iter()
            .map(|h| h.title.as_str())
            .collect(),
        tags: meta
            .taxonomies
            .values()
            .flatten()
            .map(String::as_str)
            .collect(),
        description: meta.description.as_deref().unwrap_or(""),
        code: &page.rendered.code_text,
        section: if site.sections[page.section].parent.is_none() {
            ""
        } else {
            &site.sections[page.section].title
        },
    }
}

/// What one distinct lower-cased word of an article counts for.
#[derive(Debug, Clone, Copy, Default)]
struct WordStats {
    /// Weighted frequency ×10.
    tf: u32,
    /// First position + 1 (0: only in fields without positions). Title words come first,
    /// so a position up to the title's length is the word's place in the title.
    position: u32,
    /// 1 + the index of the first heading holding the word (0: none), at most
    /// [`HEADING_MAX`].
    heading: u16,
    /// The number of words of that heading, at most [`LENGTH_MAX`].
    heading_len: u8,
    /// Whether the word is in the title of the article's section.
    in_section: bool,
}

impl WordStats {
    fn merge(&mut self, other: WordStats) {
        self.tf += other.tf;
        self.in_section |= other.in_section;
        self.position = first_place(self.position, other.position);
        if other.heading != 0 && (self.heading == 0 || other.heading < self.heading) {
            self.heading = other.heading;
            self.heading_len = other.heading_len;
        }
    }
}

/// The words of one article with what each counts for, its weighted length, and the number
/// of words of its title.
struct DocWords<'a> {
    words: Vec<(Cow<'a, str>, WordStats)>,
    length: u64,
    title_len: u32,
    section_len: u32,
}

fn doc_words<'a>(doc: &SourceDoc<'a>) -> DocWords<'a> {
    let mut map: FastMap<Cow<'a, str>, WordStats> = fast_map(256);
    let mut length = 0u64;
    let mut add = |text: &'a str,
                   weight: u32,
                   first_position: Option<u32>,
                   heading: u32,
                   in_section: bool|
     -> u32 {
        let heading_len = if heading == 0 {
            0
        } else {
            let mut n = 0u32;
            each_word(text, |_| n += 1);
            n.min(LENGTH_MAX) as u8
        };
        let heading = heading.min(HEADING_MAX) as u16;
        let mut last = first_position.unwrap_or(0);
        let mut n = 0u32;
        each_word(text, |w| {
            let position = first_position.map_or(0, |p| p + n + 1);
            n += 1;
            last = last.max(position);
            length += u64::from(weight);
            let stats = WordStats {
                tf: weight,
                position,
                heading,
                heading_len,
                in_section,
            };
            map.entry(lower(w)).or_default().merge(stats);
            // An identifier is also found by its words, at its place; they do not make the
            // article longer.
            for part in identifier_parts(w) {
                map.entry(lower(part)).or_default().merge(stats);
            }
        });
        last
    };
    let title_len = add(doc.title, weight::TITLE, Some(0), 0, false);
    add(
        doc.body,
        weight::BODY,
        Some(title_len + BODY_POSITION_GAP),
        0,
        false,
    );
    for (i, h) in doc.headings.iter().enumerate() {
        add(h, weight::HEADING, None, i as u32 + 1, false);
    }
    for t in &doc.tags {
        add(t, weight::TAG, None, 0, false);
    }
    add(doc.description, weight::DESCRIPTION, None, 0, false);
    add(doc.code, weight::CODE, None, 0, false);
    add(doc.section, weight::SECTION, None, 0, true);
    let mut section_len = 0;
    each_word(doc.section, |_| section_len += 1);
    DocWords {
        words: map.into_iter().collect(),
        length,
        title_len,
        section_len,
    }
}

/// `w` lower-cased, borrowed when it already is (most words are lower-case ASCII or Polish,
/// checked by bytes first).
fn lower(w: &str) -> Cow<'_, str> {
    let has_upper = if w.is_ascii() {
        w.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        w.chars().any(char::is_uppercase)
    };
    if has_upper {
        Cow::Owned(w.to_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// Builds the index of `docs` (article ids are their positions).
#[cfg(test)]
pub(crate) fn build_index(docs: &[SourceDoc<'_>]) -> Index {
    index_of(&analyze(docs))
}

/// How many articles [`analyze`] counts the words of at a time: the word lists of a batch
/// (about 40 bytes a distinct word of an article) are turned into compact terms before the
/// next batch is counted, so analysing 10,000 articles never holds the word lists of all of
/// them (some 230 MB), only the terms (16 bytes each).
const ANALYSIS_BATCH: usize = 512;

/// The distinct words of one language seen so far, each with the id its key was given when
/// first seen.
type Vocabulary = FastMap<String, u32>;

/// Counts, folds and stems the words of `docs` (article ids are their positions).
fn analyze(docs: &[SourceDoc<'_>]) -> Analysis {
    analyze_in_batches(docs, ANALYSIS_BATCH)
}

/// [`analyze`], counting the words of `batch` articles at a time (the result does not depend
/// on it).
fn analyze_in_batches(docs: &[SourceDoc<'_>], batch: usize) -> Analysis {
    let analyzers = [Analyzer::new(Language::Pl), Analyzer::new(Language::En)];
    let slot = |lang: Language| match lang {
        Language::Pl => 0,
        Language::En => 1,
    };
    let mut vocabulary: [Vocabulary; 2] = [fast_map(1024), fast_map(1024)];
    // Keys in the order they were first seen (their ids until sorted), and each folded form
    // of a word with such an id.
    let mut seen_keys: Vec<String> = Vec::new();
    let mut key_ids: FastMap<String, u32> = fast_map(1024);
    let mut seen_forms: Vec<(String, u32)> = Vec::new();
    // Per article: its words merged by key (first-seen id), its length, title and section.
    let mut counted: Vec<Vec<(u32, WordStats)>> = Vec::with_capacity(docs.len());
    let mut lengths: Vec<(u64, u32, u32)> = Vec::with_capacity(docs.len());
    for batch in docs.chunks(batch.max(1)) {
        let stats: Vec<DocWords> = batch.par_iter().map(doc_words).collect();
        // The words no earlier batch had, in a fixed order, stemmed and folded in parallel.
        let mut new: Vec<(Language, &str)> = batch
            .par_iter()
            .zip(&stats)
            .flat_map_iter(|(doc, s)| {
                let known = &vocabulary[slot(doc.lang)];
                s.words
                    .iter()
                    .filter(move |(w, _)| !known.contains_key(w.as_ref()))
                    .map(move |(w, _)| (doc.lang, w.as_ref()))
            })
            .collect();
        new.par_sort_unstable();
        new.dedup();
        let stemmed: Vec<(String, String)> = new
            .par_iter()
            .map(|&(lang, w)| (analyzers[slot(lang)].index_key(w), fold(w)))
            .collect();
        for (&(lang, word), (key, form)) in new.iter().zip(stemmed) {
            let next = seen_keys.len() as u32;
            let id = *key_ids.entry(key).or_insert_with_key(|key| {
                seen_keys.push(key.clone());
                next
            });
            vocabulary[slot(lang)].insert(word.to_string(), id);
            seen_forms.push((form, id));
        }
        counted.par_extend(batch.par_iter().zip(&stats).map(|(doc, s)| {
            let known = &vocabulary[slot(doc.lang)];
            let mut terms: Vec<(u32, WordStats)> = s
                .words
                .iter()
                .map(|(w, stats)| (known.get(w.as_ref()).copied().unwrap_or(0), *stats))
                .collect();
            terms.sort_unstable_by_key(|t| t.0);
            merge_by_key(terms)
        }));
        lengths.extend(stats.iter().map(|s| (s.length, s.title_len, s.section_len)));
    }
    drop(key_ids);
    drop(vocabulary);

    // Key ids in sorted order.
    let mut order: Vec<u32> = (0..seen_keys.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| seen_keys[a as usize].cmp(&seen_keys[b as usize]));
    let mut sorted_id = vec![0u32; seen_keys.len()];
    for (i, &first_seen) in order.iter().enumerate() {
        sorted_id[first_seen as usize] = i as u32;
    }
    let mut keys: Vec<String> = Vec::with_capacity(seen_keys.len());
    let mut seen_keys: Vec<Option<String>> = seen_keys.into_iter().map(Some).collect();
    keys.extend(order.iter().filter_map(|&k| seen_keys[k as usize].take()));
    let mut forms: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for (form, id) in seen_forms {
        forms
            .entry(form)
            .or_default()
            .insert(sorted_id[id as usize]);
    }

    // Scores, article by article; each list is turned into its terms in place.
    let total_length: u64 = lengths.iter().map(|l| l.0).sum();
    let average_length = (total_length as f64 / 10.0 / docs.len().max(1) as f64).max(1.0);
    let per_doc: Vec<Vec<Term>> = counted
        .into_par_iter()
        .zip(&lengths)
        .map(|(words, &(length, title_len, section_len))| {
            let norm = K1 * (1.0 - B + B * (length as f64 / 10.0) / average_length);
            let mut terms: Vec<Term> = words
                .into_iter()
                .map(|(key, stats)| {
                    let tf = f64::from(stats.tf) / 10.0;
                    let in_title = stats.position >= 1 && stats.position <= title_len;
                    let place = if in_title || stats.heading != 0 || stats.in_section {
                        Place {
                            // Only title words need it: their places are checked against it.
                            title_len: if in_title { title_len } else { 0 },
                            heading: u32::from(stats.heading),
                            heading_len: u32::from(stats.heading_len),
                            section_len: if stats.in_section { section_len } else { 0 },
                        }
                        .number()
                    } else {
                        0
                    };
                    Term {
                        key: sorted_id[key as usize],
                        score: (100.0 * tf * (K1 + 1.0) / (tf + norm)).round().max(1.0) as u32,
                        position: stats.position,
                        place,
                    }
                })
                .collect();
            terms.sort_unstable_by_key(|t| t.key);
            terms
        })
        .collect();
    let mut df = vec![0u32; keys.len()];
    for terms in &per_doc {
        for t in terms {
            df[t.key as usize] += 1;
        }
    }
    Analysis {
        pages: (0..docs.len()).collect(),
        keys,
        forms,
        per_doc,
        df,
    }
}

/// `terms` (sorted by key) with the stats of words that share a key merged.
fn merge_by_key(terms: Vec<(u32, WordStats)>) -> Vec<(u32, WordStats)> {
    let mut merged = terms;
    merged.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1.merge(later.1);
        }
        same
    });
    merged.shrink_to_fit();
    merged
}

/// The index of an analysis, whole (a build makes its files one at a time, see `files_in`).
#[cfg(test)]
fn index_of(analysis: &Analysis) -> Index {
    let dict = dict_chunks(&analysis.forms, &analysis.keys, &analysis.df);
    let plan = PostingsPlan::of(analysis);
    Index {
        meta: Meta {
            version: VERSION,
            docs: analysis.per_doc.len() as u32,
            dict: dict.iter().map(|(first, _)| first.clone()).collect(),
            post: plan.firsts(),
        },
        dict: dict.into_iter().map(|(_, c)| c).collect(),
        post: (0..plan.chunks.len())
            .map(|c| plan.chunk(c, &analysis.per_doc))
            .collect(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// The most text of one article a fragment holds. Results show a snippet of it, which needs
/// the text, but a reader's browser must never download megabytes for one result: a 60 MB
/// article gives a fragment of this size, cut at a word, and is still found by every word of
/// it (the postings cover the whole text).
pub(crate) const FRAGMENT_TEXT_BYTES: usize = 128 * 1024;

/// Cuts `parts` so their text totals at most `budget` bytes: whole parts first, then the
/// words of the part that crosses the budget.
fn within_budget(parts: Vec<(String, String)>, mut budget: usize) -> Vec<(String, String)> {
    let mut kept = Vec::new();
    for (anchor, text) in parts {
        if text.len() <= budget {
            budget -= text.len();
            kept.push((anchor, text));
            continue;
        }
        let mut end = budget;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
        let piece = text[..cut].trim_end();
        if !piece.is_empty() {
            kept.push((anchor, format!("{piece} …")));
        }
        break;
    }
    kept
}

/// What a result shows of article `i`: its text cut at its headings (at most
/// [`FRAGMENT_TEXT_BYTES`] of it).
fn fragment(site: &Site, i: usize) -> Fragment {
    let page = &site.pages[i];
    let rendered = &page.rendered;
    let text = &rendered.text;
    let mut parts = Vec::new();
    let mut heads = Vec::new();
    let mut start = 0;
    let mut anchor = String::new();
    let mut head = 0;
    for &(offset, heading) in &rendered.text_anchors {
        let piece = text.get(start..offset).unwrap_or("").trim();
        if !piece.is_empty() {
            parts.push((anchor.clone(), piece.to_string()));
            heads.push(head);
        }
        start = offset;
        anchor = rendered.headings[heading].id.clone();
        // The heading's text runs from its offset to the end of its line.
        let line = text
            .get(offset..)
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("");
        head = word_indices(line).count() as u32;
    }
    let piece = text.get(start..).unwrap_or("").trim();
    if !piece.is_empty() {
        parts.push((anchor, piece.to_string()));
        heads.push(head);
    }
    let section = if site.sections[page.section].parent.is_none() {
        String::new()
    } else {
        site.sections[page.section].title.clone()
    };
    Fragment {
        title: page.title.clone(),
        url: site.url(&page.path),
        section,
        path: page.doc.rel_path.clone(),
        description: page.doc.meta.description.clone().unwrap_or_default(),
        parts: within_budget(parts, FRAGMENT_TEXT_BYTES),
        heads,
    }
}

/// Entry of the merged, sorted list of forms and keys.
#[derive(Default)]
struct DictEntry<'a> {
    form: Option<&'a BTreeSet<u32>>,
    key: Option<u32>,
}

fn dict_chunks(
    forms: &BTreeMap<String, BTreeSet<u32>>,
    keys: &[String],
    df: &[u32],
) -> Vec<(String, DictChunk)> {
    let mut merged: BTreeMap<&str, DictEntry<'_>> = BTreeMap::new();
    for (form, ids) in forms {
        merged.entry(form.as_str()).or_default().form = Some(ids);
    }
    for (id, key) in keys.iter().enumerate() {
        merged.entry(key.as_str()).or_default().key = Some(id as u32);
    }
    let mut chunks: Vec<(String, DictChunk)> = Vec::new();
    let mut size = usize::MAX;
    for (s, entry) in merged {
        if size >= DICT_CHUNK_BYTES {
            chunks.push((s.to_string(), DictChunk::default()));
            size = 0;
        }
        let Some((_, chunk)) = chunks.last_mut() else {
            continue;
        };
        if let Some(keys) = entry.form {
            chunk
                .forms
                .push(Form(s.to_string(), keys.iter().copied().collect()));
            size += s.len() + 8 + 6 * keys.len();
        }
        if let Some(id) = entry.key {
            chunk.keys.push(Key(s.to_string(), id, df[id as usize]));
            size += s.len() + 16;
        }
    }
    if chunks.is_empty() {
        chunks.push((String::new(), DictChunk::default()));
    }
    chunks
}

/// A posting's number as stored: every one is far below 2^31 (positions of a 60 MB article
/// reach 10^7).
fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// What the postings files are made from, one chunk at a time: a chunk's numbers are made
/// when its file is written, so the postings of a whole site (some 50 MB for 10,000 articles)
/// are never held as numbers all at once.
struct PostingsPlan {
    /// Each key's postings: (article, index of the term in its list), 8 bytes a posting.
    postings: Vec<Vec<(u32, u32)>>,
    /// Each key's IDF ×100.
    idf: Vec<u32>,
    /// The keys of each chunk, about [`POST_CHUNK_BYTES`] of postings each; one empty chunk
    /// when there are no keys.
    chunks: Vec<std::ops::Range<usize>>,
}

impl PostingsPlan {
    fn of(analysis: &Analysis) -> PostingsPlan {
        let mut postings: Vec<Vec<(u32, u32)>> = analysis
            .df
            .iter()
            .map(|&n| Vec::with_capacity(n as usize))
            .collect();
        for (d, terms) in analysis.per_doc.iter().enumerate() {
            for (i, t) in terms.iter().enumerate() {
                postings[t.key as usize].push((d as u32, i as u32));
            }
        }
        let idf: Vec<u32> = (0..analysis.keys.len() as u32)
            .map(|k| analysis.idf(k))
            .collect();
        let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
        let mut size = usize::MAX;
        for (id, list) in postings.iter().enumerate() {
            if size >= POST_CHUNK_BYTES {
                chunks.push(id..id);
                size = 0;
            }
            // The numbers of a posting: four with a place, else three (see `chunk`).
            let numbers: usize = list
                .iter()
                .map(|&(doc, i)| {
                    if analysis.per_doc[doc as usize][i as usize].place != 0 {
                        4
                    } else {
                        3
                    }
                })
                .sum();
            size += 8 + numbers * 3;
            if let Some(last) = chunks.last_mut() {
                last.end = id + 1;
            }
        }
        if chunks.is_empty() {
            chunks.push(0..0);
        }
        PostingsPlan {
            postings,
            idf,
            chunks,
        }
    }

    /// The first key id of each chunk (`meta.json`'s `post`).
    fn firsts(&self) -> Vec<u32> {
        self.chunks.iter().map(|c| c.start as u32).collect()
    }

    /// Chunk `c`, made from the terms of every article.
    fn chunk(&self, c: usize, per_doc: &[Vec<Term>]) -> PostChunk {
        let keys = self.chunks[c].clone();
        keys.map(|id| {
            let list = &self.postings[id];
            let mut flat = Vec::with_capacity(list.len() * 4);
            let mut previous = 0;
            for &(doc, i) in list {
                let t = &per_doc[doc as usize][i as usize];
                let delta = small(doc - previous);
                if t.place != 0 {
                    flat.extend([
                        delta,
                        small(t.score),
                        -1 - small(t.position),
                        small(t.place),
                    ]);
                } else {
                    flat.extend([delta, small(t.score), small(t.position)]);
                }
                previous = doc;
            }
            Postings(id as u32, self.idf[id], flat)
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_keep_whole_parts_then_words_up_to_their_budget() {
        let parts = |texts: &[&str]| -> Vec<(String, String)> {
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("h{i}"), t.to_string()))
                .collect()
        };
        let all = parts(&["ala ma", "kota i psa", "zółw"]);
        assert_eq!(within_budget(all.clone(), 100), all);
        assert_eq!(
            within_budget(all.clone(), 12),
            parts(&["ala ma", "kota …"]),
            "cut at a word"
        );
        // A budget inside a two-byte letter never splits it.
        let cut = within_budget(parts(&["ó".repeat(50).as_str()]), 7);
        assert!(cut.is_empty() || cut[0].1.starts_with('ó'), "{cut:?}");
        let total: usize = within_budget(parts(&[&"słowo ".repeat(100_000)]), 1000)
            .iter()
            .map(|(_, t)| t.len())
            .sum();
        assert!(total <= 1000 + " …".len(), "{total}");
    }

    /// Articles in both languages whose words recur across them in different forms, with
    /// headings, tags, code and section titles.
    fn mixed_docs() -> Vec<SourceDoc<'static>> {
        let texts: [(Language, &str, &str); 6] = [
            (
                Language::Pl,
                "Kampania reklamowa",
                "Kampanie reklamowe w sieci: reklama lokalna.",
            ),
            (
                Language::En,
                "Ad campaigns",
                "Campaigns and advertising; the campaign runs.",
            ),
            (
                Language::Pl,
                "Reklama lokalna",
                "Lokalne reklamy, kampanii nie ma. Żółć i łódź.",
            ),
            (
                Language::Pl,
                "Sklep internetowy",
                "Sklepy internetowe i sklep: getUserName.",
            ),
            (
                Language::En,
                "Local shops",
                "Shops, shopping and a local shop's campaign.",
            ),
            (
                Language::Pl,
                "Kampanie",
                "kampania KAMPANIA Kampanią kampaniami łódź",
            ),
        ];
        texts
            .iter()
            .enumerate()
            .map(|(i, &(lang, title, body))| SourceDoc {
                lang,
                title,
                body,
                headings: if i % 2 == 0 {
                    vec!["Reklama w sieci"]
                } else {
                    vec![]
                },
                tags: vec!["reklama", "sklep"][..i % 3].to_vec(),
                description: if i == 3 { "Opis sklepu" } else { "" },
                code: if i == 1 { "fn campaign_id() {}" } else { "" },
                section: if i < 3 { "Marketing" } else { "" },
            })
            .collect()
    }

    #[test]
    fn an_analysis_does_not_depend_on_how_many_articles_are_counted_at_a_time() {
        let docs = mixed_docs();
        let whole = analyze_in_batches(&docs, docs.len());
        let terms = |a: &Analysis| -> Vec<Vec<(u32, u32)>> {
            (0..a.len()).map(|d| a.terms(d).collect()).collect()
        };
        assert!(whole.keys.len() > 10, "{:?}", whole.keys);
        // Forms that stem alike share a key ("kampanie" and "kampanii").
        assert!(whole.forms.len() > whole.keys.len() / 2);
        for batch in [1, 2, 4, 5] {
            let batched = analyze_in_batches(&docs, batch);
            assert_eq!(batched.keys, whole.keys, "batch {batch}");
            assert_eq!(batched.forms, whole.forms, "batch {batch}");
            assert_eq!(batched.df, whole.df, "batch {batch}");
            assert_eq!(batched.per_doc, whole.per_doc, "batch {batch}");
            assert_eq!(terms(&batched), terms(&whole), "batch {batch}");
            assert_eq!(index_of(&batched), index_of(&whole), "batch {batch}");
        }
    }

    #[test]
    fn each_article_lists_every_key_once_in_key_order() {
        let docs = mixed_docs();
        let analysis = analyze_in_batches(&docs, 2);
        for (d, terms) in analysis.per_doc.iter().enumerate() {
            assert!(
                terms.windows(2).all(|w| w[0].key < w[1].key),
                "article {d}: {terms:?}"
            );
        }
        // Every key is held by the articles its document frequency says.
        for (key, &df) in analysis.df.iter().enumerate() {
            let holding = analysis
                .per_doc
                .iter()
                .filter(|terms| terms.iter().any(|t| t.key as usize == key))
                .count();
            assert_eq!(holding as u32, df, "{}", analysis.keys[key]);
        }
    }

    #[test]
    fn index_paths_of_every_language_are_told_from_pages() {
        assert!(is_index_path("search/meta.json"));
        assert!(is_index_path("en/search/d/0.json.gz"));
        assert!(!is_index_path("search/index.html"));
        assert!(!is_index_path("en/search/index.html"));
        assert!(!is_index_path("seo/search/meta.json"));
        assert!(!is_index_path("en/seo/meta.json"));
    }
}
