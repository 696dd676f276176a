//! Builds the search index from the site model: the same rendered text the pages show, so
//! search never disagrees with what a reader sees.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::analyze::{Analyzer, fold, words};
use super::format::{
    DIR, DictChunk, Form, Fragment, Key, Meta, PostChunk, Postings, VERSION, dict_file,
    fragment_file, post_file,
};
use crate::config::Language;
use crate::site::Site;

/// How much one occurrence counts, ×10, by where it is: the title says most about an article,
/// code blocks least.
mod weight {
    pub const TITLE: u32 = 60;
    pub const TAG: u32 = 40;
    pub const HEADING: u32 = 30;
    pub const DESCRIPTION: u32 = 20;
    pub const BODY: u32 = 10;
    pub const CODE: u32 = 3;
}

/// BM25 saturation and length normalisation, the usual values.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Approximate size of one chunk file before compression: small enough that a query word
/// loads a few kilobytes, large enough that a big site does not need tens of thousands of files.
const DICT_CHUNK_BYTES: usize = 16 * 1024;
const POST_CHUNK_BYTES: usize = 12 * 1024;

/// Body positions start after the title's, with a gap so that the last word of the title and
/// the first of the body never count as near each other.
const BODY_POSITION_GAP: u32 = 8;

/// Per key of one article: (weighted term frequency ×10, first position + 1).
type DocTerms = HashMap<u32, (u32, u32)>;

/// One word occurrence of an article: the word lower-cased, its weight, its position + 1 (0
/// for fields without positions).
struct Token {
    word: String,
    weight: u32,
    position: u32,
}

/// The files of the index, as (path under the output, bytes), in a fixed order.
pub fn build(site: &Site) -> Vec<(String, Vec<u8>)> {
    let docs: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].doc.meta.search != Some(false))
        .collect();
    let tokens: Vec<Vec<Token>> = docs.par_iter().map(|&i| tokens(site, i)).collect();

    // Each distinct word is analysed once per language, in parallel.
    let mut distinct: BTreeSet<(Language, &str)> = BTreeSet::new();
    for (d, toks) in docs.iter().zip(&tokens) {
        let lang = site.pages[*d].lang;
        distinct.extend(toks.iter().map(|t| (lang, t.word.as_str())));
    }
    let distinct: Vec<(Language, &str)> = distinct.into_iter().collect();
    let analyzers = [Analyzer::new(Language::Pl), Analyzer::new(Language::En)];
    let analysed: Vec<Vec<String>> = distinct
        .par_iter()
        .map(|(lang, w)| analyzers[*lang as usize].index_keys(w))
        .collect();

    let key_ids: BTreeMap<&str, u32> = analysed
        .iter()
        .flatten()
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .zip(0..)
        .collect();
    let mut word_keys: HashMap<(Language, &str), Vec<u32>> = HashMap::new();
    let mut forms: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for ((lang, w), keys) in distinct.iter().zip(&analysed) {
        let ids: Vec<u32> = keys.iter().map(|k| key_ids[k.as_str()]).collect();
        forms.entry(fold(w)).or_default().extend(&ids);
        word_keys.insert((*lang, w), ids);
    }

    // Term statistics per article.
    let per_doc: Vec<(DocTerms, f64)> = docs
        .par_iter()
        .zip(&tokens)
        .map(|(d, toks)| {
            let lang = site.pages[*d].lang;
            let mut terms = DocTerms::new();
            let mut length = 0u64;
            for t in toks {
                length += u64::from(t.weight);
                for &k in &word_keys[&(lang, t.word.as_str())] {
                    let entry = terms.entry(k).or_insert((0, 0));
                    entry.0 += t.weight;
                    if entry.1 == 0 || (t.position != 0 && t.position < entry.1) {
                        entry.1 = t.position;
                    }
                }
            }
            (terms, length as f64 / 10.0)
        })
        .collect();
    let total_length: f64 = per_doc.iter().map(|(_, l)| l).sum();
    let average_length = if docs.is_empty() {
        1.0
    } else {
        (total_length / docs.len() as f64).max(1.0)
    };

    let mut postings: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); key_ids.len()];
    for (d, (terms, length)) in per_doc.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * length / average_length);
        for (&k, &(tf10, position)) in terms {
            let tf = f64::from(tf10) / 10.0;
            let score = (100.0 * tf * (K1 + 1.0) / (tf + norm)).round().max(1.0) as u32;
            postings[k as usize].push((d as u32, score, position));
        }
    }
    postings.par_iter_mut().for_each(|p| p.sort_unstable());
    let n = docs.len() as f64;
    let idf: Vec<u32> = postings
        .iter()
        .map(|p| {
            let df = p.len() as f64;
            (100.0 * (1.0 + (n - df + 0.5) / (df + 0.5)).ln())
                .round()
                .max(1.0) as u32
        })
        .collect();

    let mut files = Vec::new();
    let dict = dict_chunks(&forms, &key_ids);
    let post = post_chunks(&postings, &idf);
    let meta = Meta {
        version: VERSION,
        docs: docs.len() as u32,
        dict: dict.iter().map(|(first, _)| first.clone()).collect(),
        post: post.iter().map(|(first, _)| *first).collect(),
    };
    files.push((format!("{DIR}/meta.json"), json(&meta)));
    for (i, (_, chunk)) in dict.iter().enumerate() {
        files.push((format!("{DIR}/{}", dict_file(i)), json(chunk)));
    }
    for (i, (_, chunk)) in post.iter().enumerate() {
        files.push((format!("{DIR}/{}", post_file(i)), json(chunk)));
    }
    let fragments: Vec<(String, Vec<u8>)> = docs
        .par_iter()
        .enumerate()
        .map(|(d, &page)| {
            (
                format!("{DIR}/{}", fragment_file(d)),
                json(&fragment(site, page)),
            )
        })
        .collect();
    files.extend(fragments);
    files
}

fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// The weighted words of article `i`, with positions for title and body.
fn tokens(site: &Site, i: usize) -> Vec<Token> {
    let page = &site.pages[i];
    let meta = &page.doc.meta;
    let rendered = &page.rendered;
    let mut out = Vec::with_capacity(rendered.word_count * 2 + 16);
    let mut push = |text: &str, weight: u32, first_position: Option<u32>| {
        let mut last = first_position.unwrap_or(0);
        for (n, w) in words(text).enumerate() {
            let position = first_position.map_or(0, |p| p + n as u32 + 1);
            last = last.max(position);
            out.push(Token {
                word: w.to_lowercase(),
                weight,
                position,
            });
        }
        last
    };
    let title_end = push(&page.title, weight::TITLE, Some(0));
    push(
        &rendered.text,
        weight::BODY,
        Some(title_end + BODY_POSITION_GAP),
    );
    for h in &rendered.headings {
        push(&h.title, weight::HEADING, None);
    }
    for terms in meta.taxonomies.values() {
        for term in terms {
            push(term, weight::TAG, None);
        }
    }
    if let Some(d) = &meta.description {
        push(d, weight::DESCRIPTION, None);
    }
    push(&rendered.code_text, weight::CODE, None);
    out
}

/// What a result shows of article `i`: its text cut at its headings.
fn fragment(site: &Site, i: usize) -> Fragment {
    let page = &site.pages[i];
    let rendered = &page.rendered;
    let text = &rendered.text;
    let mut parts = Vec::new();
    let mut start = 0;
    let mut anchor = String::new();
    for &(offset, heading) in &rendered.text_anchors {
        let piece = text.get(start..offset).unwrap_or("").trim();
        if !piece.is_empty() {
            parts.push((anchor.clone(), piece.to_string()));
        }
        start = offset;
        anchor = rendered.headings[heading].id.clone();
    }
    let piece = text.get(start..).unwrap_or("").trim();
    if !piece.is_empty() {
        parts.push((anchor, piece.to_string()));
    }
    let section = if page.section == 0 {
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
        parts,
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
    key_ids: &BTreeMap<&str, u32>,
) -> Vec<(String, DictChunk)> {
    let mut merged: BTreeMap<&str, DictEntry<'_>> = BTreeMap::new();
    for (form, keys) in forms {
        merged.entry(form.as_str()).or_default().form = Some(keys);
    }
    for (&key, &id) in key_ids {
        merged.entry(key).or_default().key = Some(id);
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
            chunk.keys.push(Key(s.to_string(), id));
            size += s.len() + 16;
        }
    }
    if chunks.is_empty() {
        chunks.push((String::new(), DictChunk::default()));
    }
    chunks
}

fn post_chunks(postings: &[Vec<(u32, u32, u32)>], idf: &[u32]) -> Vec<(u32, PostChunk)> {
    let mut chunks: Vec<(u32, PostChunk)> = Vec::new();
    let mut size = usize::MAX;
    for (id, list) in postings.iter().enumerate() {
        if size >= POST_CHUNK_BYTES {
            chunks.push((id as u32, Vec::new()));
            size = 0;
        }
        let mut flat = Vec::with_capacity(list.len() * 3);
        let mut previous = 0;
        for &(doc, score, position) in list {
            flat.extend([doc - previous, score, position]);
            previous = doc;
        }
        size += 8 + flat.len() * 3;
        if let Some((_, chunk)) = chunks.last_mut() {
            chunk.push(Postings(id as u32, idf[id], flat));
        }
    }
    if chunks.is_empty() {
        chunks.push((0, Vec::new()));
    }
    chunks
}
