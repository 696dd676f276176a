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

/// The terms of `tax` after page `page` changed its terms from `old` to `new`, made from the
/// terms as they are rather than from every page, as [`collect`] would; `pages_terms` gives
/// any page's terms of this taxonomy (to name a term after its next first spelling). `None`
/// when a spelling clash is involved (the caller collects again), so the result always
/// equals what `collect` makes, term page lists aside: those are sorted afterwards either way.
pub(crate) fn with_page_terms<'a>(
    tax: &Taxonomy,
    page: usize,
    old: &[String],
    new: &[String],
    pages_terms: &dyn Fn(usize) -> &'a [String],
) -> Option<Taxonomy> {
    let fold = |s: &str| deunicode::deunicode(s).to_lowercase();
    // A page's spellings by slug, the first of each; two unlike spellings of one slug clash.
    let spellings = |terms: &[String]| -> Option<BTreeMap<String, String>> {
        let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
        for t in terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            match by_slug.get(&term_slug(t)) {
                Some(first) if fold(first) != fold(t) => return None,
                Some(_) => {}
                None => {
                    by_slug.insert(term_slug(t), t.to_string());
                }
            }
        }
        Some(by_slug)
    };
    let (old, new) = (spellings(old)?, spellings(new)?);
    let mut tax = tax.clone();
    if tax.terms.iter().any(|t| !t.clashes.is_empty()) {
        return None;
    }
    for slug in old.keys().filter(|s| !new.contains_key(*s)) {
        let at = tax.terms.iter().position(|t| &t.slug == slug)?;
        let term = &mut tax.terms[at];
        term.pages.retain(|&p| p != page);
        // The name is the first spelling by page order: the next page's when it was this one's.
        let Some(&first) = term.pages.iter().min() else {
            tax.terms.remove(at);
            continue;
        };
        if first > page {
            term.name = spellings(pages_terms(first))?.remove(slug)?;
        }
    }
    for (slug, spelling) in new {
        match tax.terms.iter_mut().find(|t| t.slug == slug) {
            Some(term) => {
                if fold(&term.name) != fold(&spelling) {
                    return None;
                }
                let first = term.pages.iter().min().copied();
                if !term.pages.contains(&page) {
                    term.pages.push(page);
                }
                if first.is_none_or(|f| page <= f) {
                    term.name = spelling;
                }
            }
            None => tax.terms.push(Term {
                name: spelling,
                slug,
                pages: vec![page],
                clashes: Vec::new(),
            }),
        }
    }
    tax.terms.sort_by(|a, b| {
        crate::site::order::title_key(&a.name)
            .cmp(&crate::site::order::title_key(&b.name))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    Some(tax)
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

    proptest::proptest! {
        #[test]
        fn terms_of_one_page_changed_in_place_are_what_collect_makes(
            pages in proptest::collection::vec(proptest::collection::vec(0usize..6, 0..4), 1..8),
            edited in 0usize..8,
            terms in proptest::collection::vec(0usize..6, 0..4),
        ) {
            // Spellings of four words, two of them in two cases (one term each).
            let words = ["SEO", "seo", "mała firma", "Mała Firma", "e-mail", "Lokalny"];
            let spell = |ids: &Vec<usize>| -> Vec<String> { ids.iter().map(|&i| words[i].to_string()).collect() };
            let mut lists: Vec<Vec<String>> = pages.iter().map(spell).collect();
            let edited = edited % lists.len();
            let as_pages = |lists: &[Vec<String>]| -> Vec<(usize, Vec<String>)> {
                lists.iter().cloned().enumerate().collect()
            };
            let collected = |lists: &[Vec<String>]| {
                let owned = as_pages(lists);
                let refs: Vec<(usize, &[String])> = owned.iter().map(|(i, t)| (*i, t.as_slice())).collect();
                let mut t = collect("tags", Language::Pl, "", &refs);
                for term in &mut t.terms {
                    term.pages.sort_unstable();
                }
                t
            };
            let before = collected(&lists);
            let old = lists[edited].clone();
            lists[edited] = spell(&terms);
            let after = collected(&lists);
            let lookup = lists.clone();
            let pages_terms = |p: usize| -> &[String] { &lookup[p] };
            if let Some(mut updated) = with_page_terms(&before, edited, &old, &lists[edited], &pages_terms) {
                for term in &mut updated.terms {
                    term.pages.sort_unstable();
                }
                proptest::prop_assert_eq!(updated, after);
            }
        }
    }
}
