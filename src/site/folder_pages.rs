//! Folder pages as other generators write them: `index.md` (MkDocs, Docusaurus, Next.js,
//! Hugo's leaf bundles) or `README.md` (GitHub, mdBook) standing for a folder.
//!
//! kbsite's own section file is `_index.md`. A tree written for another tool has none, so:
//! - `content/index.md` is the home page when the site has no `content/_index.md`;
//! - a folder's `index.md` or `README.md` is that folder's section page when articles sit
//!   beside it or below it and the folder has no `_index.md` of the same language;
//! - an `index.md` alone with its pictures stays a page bundle, named after its folder.
//!
//! The choice depends on the other files of the folder, so it is made here, over all
//! documents at once, and again at every rebuild; the document itself never changes kind.

use crate::hash::FastSet;
use std::sync::Arc;

use crate::content::{DocKind, Document};

use crate::content::meta::FOLDER_PAGE_NAMES;

/// Whether a file name without `.md` is a folder page's (`index`, `README`).
pub(crate) fn is_folder_page_name(stem: &str) -> bool {
    FOLDER_PAGE_NAMES
        .iter()
        .any(|n| stem.eq_ignore_ascii_case(n))
}

/// Whether a file is named like a folder page (`index.md`, `README.md`, `index.en.md`), and
/// so may stand for its folder; the rank says which name wins (`index` first).
pub(crate) fn folder_page_rank(doc: &Document) -> Option<usize> {
    let base = doc.language_suffix().0.to_ascii_lowercase();
    FOLDER_PAGE_NAMES.iter().position(|n| *n == base)
}

/// The articles of `documents` that stand for their folder, by content path: each becomes
/// that folder's section page instead of an article.
pub(crate) fn folder_pages(documents: &[Arc<Document>]) -> FastSet<String> {
    // Folders (with their language) that already have a section file.
    let mut taken: FastSet<(String, Option<&str>)> = documents
        .iter()
        .filter(|d| d.kind == DocKind::Section)
        .map(|d| (d.rel_dir().to_string(), lang_code(d)))
        .collect();
    // Folders at or above which other articles live.
    let mut with_articles: FastSet<&str> = FastSet::default();
    for doc in documents.iter().filter(|d| d.kind == DocKind::Page) {
        if folder_page_rank(doc).is_some() {
            continue;
        }
        let mut dir = doc.rel_dir();
        loop {
            if !with_articles.insert(dir) || dir.is_empty() {
                break;
            }
            dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    let mut candidates: Vec<(&Arc<Document>, usize)> = documents
        .iter()
        .filter(|d| d.kind == DocKind::Page)
        .filter_map(|d| folder_page_rank(d).map(|rank| (d, rank)))
        .collect();
    // `index.md` before `README.md` of the same folder, then path order for stable results.
    candidates.sort_by(|(a, ra), (b, rb)| {
        (a.rel_dir(), ra, &a.rel_path).cmp(&(b.rel_dir(), rb, &b.rel_path))
    });
    let mut chosen = FastSet::default();
    for (doc, _) in candidates {
        let dir = doc.rel_dir();
        let stands_for_folder = dir.is_empty() || with_articles.contains(dir);
        if stands_for_folder && taken.insert((dir.to_string(), lang_code(doc))) {
            chosen.insert(doc.rel_path.clone());
        }
    }
    chosen
}

/// The language code a file name ends in, as section files of one folder are told apart.
fn lang_code(doc: &Document) -> Option<&'static str> {
    doc.language_suffix().1.map(|l| l.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::meta::Meta;

    fn doc(rel_path: &str) -> Arc<Document> {
        let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
        let kind = if name.starts_with("_index") {
            DocKind::Section
        } else {
            DocKind::Page
        };
        Arc::new(Document {
            rel_path: rel_path.into(),
            display_path: format!("content/{rel_path}").into(),
            kind,
            text: String::new(),
            body_offset: 0,
            meta: Meta::default(),
            warnings: Vec::new(),
            fingerprint: 0,
        })
    }

    fn chosen(paths: &[&str]) -> Vec<String> {
        let docs: Vec<_> = paths.iter().map(|p| doc(p)).collect();
        let mut out: Vec<String> = folder_pages(&docs).into_iter().collect();
        out.sort();
        out
    }

    #[test]
    fn the_root_index_is_home_without_an_index_file() {
        assert_eq!(chosen(&["index.md", "a.md"]), ["index.md"]);
        assert_eq!(chosen(&["index.md"]), ["index.md"]);
        assert!(chosen(&["_index.md", "index.md", "a.md"]).is_empty());
    }

    #[test]
    fn a_folder_index_beside_articles_is_the_folder_page() {
        assert_eq!(
            chosen(&["docs/index.md", "docs/a.md", "docs/b.md"]),
            ["docs/index.md"]
        );
        assert_eq!(
            chosen(&["docs/README.md", "docs/deep/a.md"]),
            ["docs/README.md"]
        );
    }

    #[test]
    fn a_lone_index_stays_a_bundle() {
        assert!(chosen(&["poradnik/index.md"]).is_empty());
        assert!(chosen(&["poradnik/README.md", "inne.md"]).is_empty());
    }

    #[test]
    fn index_wins_over_readme_and_an_index_file_over_both() {
        assert_eq!(
            chosen(&["docs/README.md", "docs/index.md", "docs/a.md"]),
            ["docs/index.md"]
        );
        assert!(chosen(&["docs/_index.md", "docs/index.md", "docs/a.md"]).is_empty());
    }

    #[test]
    fn each_language_has_its_own_folder_page() {
        assert_eq!(
            chosen(&["docs/index.md", "docs/index.en.md", "docs/a.md"]),
            ["docs/index.en.md", "docs/index.md"]
        );
    }
}
