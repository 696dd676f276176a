//! Related articles: for each article, the few others closest to it in content and tags.
//!
//! Content is compared over the analysed words of search (folded and stemmed, so Polish
//! inflections of one word count as one), each weighted by BM25 × IDF. Each article keeps its
//! most telling words; two articles are as close as the cosine of those weights, plus a bonus
//! per shared tag. All arithmetic is on integers, so the lists are the same on every machine,
//! and ties go to the newer article, then the earlier path.

use rayon::prelude::*;

use super::index::Analysis;
use crate::site::Site;

/// Related articles shown under an article, at most.
pub(crate) const MAX_RELATED: usize = 5;

/// The words of an article that take part, at most: its most telling ones. More adds little
/// but cost.
const TERMS_PER_ARTICLE: usize = 20;

/// Articles a telling word may have and still be followed to them, at least (see `crowded`).
const CROWDED_MIN: usize = 64;

/// The closeness of two articles with the same words, on the integer scale used here.
const SAME: u64 = 1_000_000;

/// What one shared tag adds: a fifth of being the same text.
const TAG_BONUS: u64 = SAME / 5;

/// A tag shared by more articles than this only adds its bonus to articles found by their
/// words: listing all of its articles as candidates says nothing and costs much.
const TAG_CANDIDATES_MAX: usize = 200;

/// Up to [`MAX_RELATED`] related pages of every page, by page id, each in the page's own
/// language. `analysis` is of every
/// page (from `analyze_site(site, true)`); pages it leaves out get related pages by tags only.
pub(crate) fn related(site: &Site, analysis: &Analysis) -> Vec<Vec<usize>> {
    let n = site.pages.len();
    let mut position = vec![usize::MAX; n];
    for (d, &p) in analysis.pages.iter().enumerate() {
        position[p] = d;
    }
    // Each page's telling words, with weights scaled to a unit vector of length 1000.
    let common = (analysis.len() / 10).max(10) as u32;
    let vectors: Vec<Vec<(u32, u64)>> = (0..n)
        .into_par_iter()
        .map(|p| match position[p] {
            usize::MAX => Vec::new(),
            d => telling_words(analysis, d, common),
        })
        .collect();
    let mut postings: Vec<Vec<(u32, u64)>> = Vec::new();
    for (p, vector) in vectors.iter().enumerate() {
        for &(key, weight) in vector {
            let key = key as usize;
            if postings.len() <= key {
                postings.resize_with(key + 1, Vec::new);
            }
            postings[key].push((p as u32, weight));
        }
    }
    // A telling word of very many articles finds candidates that its weight then barely tells
    // apart, at a cost growing with the square of the site: it counts in each article's
    // weights but is not followed to other articles.
    let crowded = CROWDED_MIN + n / 100;
    // Tags of each page, as (taxonomy, term) indexes, and each term's pages.
    // Every language has its own tags.
    let terms: Vec<&[usize]> = site
        .taxonomies
        .iter()
        .filter(|t| t.name == "tags")
        .flat_map(|t| t.terms.iter().map(|term| term.pages.as_slice()))
        .collect();
    let mut page_tags: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (term, pages) in terms.iter().enumerate() {
        for &p in *pages {
            page_tags[p].push(term);
        }
    }
    let term_pages = |term: usize| -> &[usize] { terms[term] };

    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0u64; n], Vec::<usize>::new()),
            |(scores, touched), p| {
                for &(key, weight) in &vectors[p] {
                    let posting = &postings[key as usize];
                    if posting.len() > crowded {
                        continue;
                    }
                    for &(other, w) in posting {
                        let other = other as usize;
                        if scores[other] == 0 {
                            touched.push(other);
                        }
                        scores[other] += weight * w;
                    }
                }
                for &term in &page_tags[p] {
                    let pages = term_pages(term);
                    for &other in pages {
                        if scores[other] == 0 && pages.len() > TAG_CANDIDATES_MAX {
                            continue;
                        }
                        if scores[other] == 0 {
                            touched.push(other);
                        }
                        scores[other] += TAG_BONUS;
                    }
                }
                let mut ranked: Vec<(u64, usize)> = touched
                    .iter()
                    .filter(|&&other| other != p && site.pages[other].lang == site.pages[p].lang)
                    .map(|&other| (scores[other], other))
                    .collect();
                for &other in touched.iter() {
                    scores[other] = 0;
                }
                touched.clear();
                let newest = |q: usize| site.newest_rank(q);
                let order = |a: &(u64, usize), b: &(u64, usize)| {
                    b.0.cmp(&a.0)
                        .then_with(|| newest(a.1).cmp(&newest(b.1)))
                        .then(a.1.cmp(&b.1))
                };
                // Only the best few are needed: selected first, then sorted.
                if ranked.len() > MAX_RELATED {
                    ranked.select_nth_unstable_by(MAX_RELATED, order);
                    ranked.truncate(MAX_RELATED);
                }
                ranked.sort_unstable_by(order);
                ranked.into_iter().map(|(_, other)| other).collect()
            },
        )
        .collect()
}

/// The most telling words of analysed article `d`: BM25 × IDF, leaving out words that only
/// it has and words most articles have; scaled so that the squares sum to 1000².
fn telling_words(analysis: &Analysis, d: usize, common: u32) -> Vec<(u32, u64)> {
    let mut words: Vec<(u32, u64)> = analysis
        .terms(d)
        .filter(|&(key, _)| {
            let df = analysis.df(key);
            df > 1 && df <= common
        })
        .map(|(key, score)| (key, u64::from(score) * u64::from(analysis.idf(key))))
        .collect();
    words.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    words.truncate(TERMS_PER_ARTICLE);
    let norm = words
        .iter()
        .map(|&(_, w)| (w as f64) * (w as f64))
        .sum::<f64>()
        .sqrt();
    if norm == 0.0 {
        return Vec::new();
    }
    words
        .into_iter()
        .map(|(key, w)| (key, ((w as f64) * 1000.0 / norm).round() as u64))
        .filter(|&(_, w)| w > 0)
        .collect()
}
