//! What pages weigh, held as budgets: output sizes are deterministic, so they can be tests.
//! A site with sections of 500, 2,000 and 2,500 articles and a hub article all 5,000 link to
//! must give pages no heavier than a small site's, because nothing on a page may list a whole
//! section, every article linking to it, or the whole site.

use std::collections::BTreeMap;

use crate::fixture::{MINIMAL_CONFIG, Site};

/// The budgets, in one place.
mod budget {
    /// The heaviest article page, in bytes: about 11.5 KB here (1 KB of text; head, header,
    /// a sidebar with a window of 11 articles of its section, footer), so twice that leaves
    /// room for the theme to grow. A sidebar listing all 2,000 articles of the section made it
    /// over 250 KB.
    pub(super) const ARTICLE_PAGE: usize = 24 * 1024;
    /// The heaviest list page (a section's, a tag's, the home page): about 20 KB here, ten
    /// summaries, pagination links and the sidebar. It must not grow with the section.
    pub(super) const LIST_PAGE: usize = 40 * 1024;
    /// Output bytes per article, everything but social cards (off here; a card is a PNG of
    /// about 40 KB): the article's page, its share of list pages, the feed, the sitemap and the
    /// search index. About 16 KB here; a whole-section sidebar made it about 140 KB.
    pub(super) const PER_ARTICLE: usize = 24 * 1024;
}

const SECTIONS: [(&str, usize); 3] = [("porady", 500), ("poradnik", 2_000), ("notatki", 2_500)];

/// A site with the sections of [`SECTIONS`], each article a few sentences with tags and a
/// link to the hub, `slowniczek.md`.
fn big_site() -> Site {
    let mut site = Site::empty()
        .file(
            "kbsite.yaml",
            &format!("{MINIMAL_CONFIG}seo:\n  social_cards: false\n"),
        )
        .file(
            "content/slowniczek.md",
            "---\ntitle: \"Słowniczek\"\ndate: 2024-01-01\n---\n\nPojęcia marketingu.\n",
        );
    for (section, count) in SECTIONS {
        site = site.file(
            &format!("content/{section}/_index.md"),
            &format!("---\ntitle: \"Dział {section}\"\n---\n\nOpis działu.\n"),
        );
        for i in 0..count {
            let body = format!(
                "Artykuł numer {i} o marketingu w małej firmie. Klienci, sprzedaż i reklama w \
                 sieci to tematy, które wracają w każdym tekście tego działu.\n\n## Plan\n\n\
                 Zacznij od celu, potem wybierz kanał i zmierz wynik po miesiącu. Pojęcia \
                 wyjaśnia [słowniczek](/slowniczek/).\n"
            );
            site = site.file(
                &format!("content/{section}/artykul-{i:04}.md"),
                &format!(
                    "---\ntitle: \"Artykuł {i:04} o marketingu w dziale {section}\"\ndate: 2024-01-{:02}\ndescription: \"Krótki opis artykułu {i}.\"\ntags: [marketing, t{}]\n---\n\n{body}",
                    i % 28 + 1,
                    i % 40
                ),
            );
        }
    }
    site
}

/// The path and size of the largest output file that `pick` accepts.
fn largest(tree: &BTreeMap<String, Vec<u8>>, pick: impl Fn(&str) -> bool) -> (&str, usize) {
    tree.iter()
        .filter(|(path, _)| pick(path))
        .map(|(path, bytes)| (path.as_str(), bytes.len()))
        .max_by_key(|(_, len)| *len)
        .expect("some page")
}

#[test]
fn pages_stay_within_their_budgets_however_big_the_section() {
    let site = big_site();
    site.build(&["-q"]);
    let tree = site.tree("public");
    let articles: usize = SECTIONS.iter().map(|(_, n)| n).sum();
    let is_article = |p: &str| p.contains("/artykul-") && p.ends_with("index.html");
    let is_list =
        |p: &str| p.ends_with("index.html") && !is_article(p) && !p.starts_with("search/");
    let (article, article_bytes) = largest(&tree, is_article);
    let (list, list_bytes) = largest(&tree, is_list);
    let total: usize = tree.values().map(Vec::len).sum();
    eprintln!(
        "{articles} articles: largest article page {article} {article_bytes} B, largest list \
         page {list} {list_bytes} B, {} files, {total} B in all, {} B per article",
        tree.len(),
        total / articles
    );
    assert!(
        article_bytes <= budget::ARTICLE_PAGE,
        "{article}: {article_bytes} bytes"
    );
    assert!(
        list_bytes <= budget::LIST_PAGE,
        "{list}: {list_bytes} bytes"
    );
    assert!(
        total / articles <= budget::PER_ARTICLE,
        "{} bytes per article",
        total / articles
    );
    // The hub lists its first backlinks and links to pages that list them all, fifty each.
    let hub = String::from_utf8_lossy(&tree["slowniczek/index.html"]).into_owned();
    assert_eq!(hub.matches("class=\"backlinks__item\"").count(), 20);
    assert!(
        hub.contains("href=\"/slowniczek/backlinks/\"") && hub.contains(&format!("({articles})")),
        "{}",
        &hub[hub.find("backlinks").unwrap_or(0)..]
    );
    let pages: Vec<&String> = tree
        .keys()
        .filter(|p| p.starts_with("slowniczek/backlinks/"))
        .collect();
    assert_eq!(pages.len(), articles.div_ceil(50), "{pages:?}");
    let listed: usize = pages
        .iter()
        .map(|p| {
            String::from_utf8_lossy(&tree[*p])
                .matches("class=\"backlinks__item\"")
                .count()
        })
        .sum();
    assert_eq!(listed, articles, "every linking article is listed once");
}
