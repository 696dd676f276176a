//! Taxonomies (tags, categories, custom ones): terms grouped by slug, with their pages.

use std::collections::BTreeMap;

use crate::config::Language;
use crate::hash::FastMap;
use crate::slug::slugify;

/// One term of a taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The name as first written (by source path order).
    pub name: String,
    /// The URL segment; spellings that slugify alike (`SEO`, `seo`) are one term.
    pub slug: String,
    /// Pages with this term, newest first.
    pub pages: Vec<usize>,
    /// Other names that made the same slug without being the same word (`C++` beside `c`),
    /// each with the first page that used it: worth a warning.
    pub clashes: Vec<(String, usize)>,
}

/// One taxonomy of one language with its terms in name order: each language of a site has
/// its own tag pages, so an English reader never lands on a list of Polish articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    /// The front matter field and URL folder (`tags`).
    pub name: String,
    /// The language of its articles.
    pub lang: Language,
    /// The output folder of that language (`en/`; empty for the site's language).
    pub prefix: String,
    /// Terms, sorted by folded name.
    pub terms: Vec<Term>,
}

impl Taxonomy {
    /// The output path of the taxonomy's list of terms (`tags/`, `en/tags/`).
    pub fn path(&self) -> String {
        format!("{}{}/", self.prefix, self.name)
    }

    /// The output path of one term's pages (`tags/mala-firma/`).
    pub fn term_path(&self, term: &Term) -> String {
        self.slug_path(&term.slug)
    }

    /// The output path of the term with slug `slug`.
    pub fn slug_path(&self, slug: &str) -> String {
        format!("{}{}/{slug}/", self.prefix, self.name)
    }
}

/// The slug of a term name; a name with nothing to slugify (`???`) still gets a folder.
pub(crate) fn term_slug(name: &str) -> String {
    let slug = slugify(name);
    if slug.is_empty() { "-".into() } else { slug }
}

/// Groups the terms of `pages` (given as (page index, terms) in source order) for one taxonomy
/// of language `lang`, published under `prefix`. Page lists come out in the order of `pages`,
/// which the caller sorts newest first.
pub(crate) fn collect(
    name: &str,
    lang: Language,
    prefix: &str,
    pages: &[(usize, &[String])],
) -> Taxonomy {
    let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
    // A site names a few hundred terms thousands of times: each spelling is slugged and
    // folded once (`spelling` indexes `slug_and_fold`).
    let mut spelling: FastMap<&str, usize> = FastMap::default();
    let mut slug_and_fold: Vec<(String, String)> = Vec::new();
    for (page, terms) in pages {
        for term_name in terms.iter() {
            let trimmed = term_name.trim();
            if trimmed.is_empty() {
                continue;
            }
            let known = *spelling.entry(trimmed).or_insert_with(|| {
                let folded = deunicode::deunicode(trimmed).to_lowercase();
                slug_and_fold.push((term_slug(trimmed), folded));
                slug_and_fold.len() - 1
            });
            let (slug, folded) = &slug_and_fold[known];
            if !by_slug.contains_key(slug) {
                let term = Term {
                    name: trimmed.to_string(),
                    slug: slug.clone(),
                    pages: Vec::new(),
                    clashes: Vec::new(),
                };
                by_slug.insert(slug.clone(), term);
            }
            let Some(term) = by_slug.get_mut(slug) else {
                continue;
            };
            // The term's name is its first spelling, folded above.
            let first = spelling
                .get(term.name.as_str())
                .map(|&s| slug_and_fold[s].1.as_str());
            if first != Some(folded.as_str()) && !term.clashes.iter().any(|(n, _)| n == trimmed) {
                term.clashes.push((trimmed.to_string(), *page));
            }
            if term.pages.last() != Some(page) {
                term.pages.push(*page);
            }
        }
    }
    let mut terms: Vec<Term> = by_slug.into_values().collect();
    terms.sort_by(|a, b| {
        crate::site::order::title_key(&a.name)
            .cmp(&crate::site::order::title_key(&b.name))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    Taxonomy {
        name: name.to_string(),
        lang,
        prefix: prefix.to_string(),
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_merge_and_terms_sort_by_name() {
        let a = vec!["SEO".to_string(), "mała firma".to_string()];
        let b = vec!["seo".to_string(), "Lokalny".to_string()];
        let t = collect("tags", Language::Pl, "", &[(0, &a), (1, &b)]);
        let names: Vec<_> = t.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Lokalny", "mała firma", "SEO"]);
        assert_eq!(t.terms[2].pages, [0, 1]);
        assert_eq!(t.term_path(&t.terms[1]), "tags/mala-firma/");
        assert!(
            t.terms.iter().all(|t| t.clashes.is_empty()),
            "case and accents are one word"
        );
    }

    #[test]
    fn different_words_with_one_slug_are_noted() {
        let a = vec!["c".to_string()];
        let b = vec!["C++".to_string()];
        let t = collect("tags", Language::En, "en/", &[(0, &a), (1, &b)]);
        assert_eq!(t.terms.len(), 1);
        assert_eq!(t.term_path(&t.terms[0]), "en/tags/c/");
        assert_eq!(t.terms[0].clashes, [("C++".to_string(), 1)]);
    }
}
