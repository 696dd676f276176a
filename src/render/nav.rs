//! The navigation sidebar (`nav`): the whole tree of sections, and the articles of only the
//! sections on the way to the page being rendered, each level ordered by `weight` (smaller
//! first, unset last), then title.
//!
//! A page shows the articles of its own section and of the sections above it, never every
//! article of the site; and of a section with more than [`WHOLE_SECTION_MAX`] articles only
//! a window of [`WINDOW`] around the page (its first ones on any other page), with a link to
//! the section's list, which every reader can follow without JavaScript. So what a sidebar
//! weighs, and how many pages one title edit renders again, never grows with the section.
//! The parts that are the same for every page (a collapsed section with everything below
//! it, one article's link) are made once per render and shared.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use tera::Value;

use super::context::map;
use crate::content::SortBy;
use crate::hash::{Fingerprinter, fingerprinter};
use crate::site::{Site, order, sort_key};

/// A section with at most this many articles is listed whole: a reader sees it all, and
/// 25 short links weigh about 3 KB.
pub(crate) const WHOLE_SECTION_MAX: usize = 25;

/// How many articles of a bigger section a sidebar shows: the page with the articles before
/// and after it (the first ones on a page outside the section), then a link to all of them.
pub(crate) const WINDOW: usize = 11;

/// Which articles of a section of `total` the sidebar shows (a range of its sidebar order):
/// all of a small section, else [`WINDOW`] around `at` (the position of the current page),
/// or the first ones when the page is not in the section.
fn shown_range(total: usize, at: Option<usize>) -> std::ops::Range<usize> {
    if total <= WHOLE_SECTION_MAX {
        return 0..total;
    }
    let start = at.map_or(0, |at| at.saturating_sub(WINDOW / 2).min(total - WINDOW));
    start..start + WINDOW
}

/// What a sidebar is rendered for: the current page is marked in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Current {
    /// An article.
    Page(usize),
    /// A section's list page (a home page is a section without a parent).
    Section(usize),
}

/// The sidebar's order and its shared parts, worked out once per render.
pub(crate) struct NavTree {
    /// Each section's subsections in sidebar order.
    sections: Vec<Vec<usize>>,
    /// Each section's articles in sidebar order.
    pages: Vec<Vec<usize>>,
    /// Each section as shown when not on the current path, made when first needed.
    collapsed: Vec<OnceLock<Value>>,
    /// Each article's link when it is not the current page.
    links: Vec<OnceLock<Value>>,
    /// Each article's place in its section's sidebar order.
    positions: Vec<usize>,
    /// A hash of what each article's link shows, made when first needed: every sidebar of
    /// the section hashes it again.
    link_prints: Vec<OnceLock<u64>>,
    /// A hash of the tree of sections as every sidebar shows it.
    tree_print: u64,
}

/// Each section's subsections in sidebar order (by weight, then title): the one order of
/// sections, which the sidebar and `llms.txt` both follow.
pub(crate) fn subsections_in_order(site: &Site) -> Vec<Vec<usize>> {
    let folded: Vec<String> = site
        .sections
        .iter()
        .map(|s| order::title_key(&s.title))
        .collect();
    let section_key = |id: usize| {
        let s = &site.sections[id];
        order::SortKey {
            date: None,
            weight: s.doc.as_ref().and_then(|d| d.meta.weight),
            title: &s.title,
            folded: &folded[id],
            path: &s.rel_dir,
        }
    };
    site.sections
        .iter()
        .map(|s| {
            let mut subs = s.subsections.clone();
            subs.sort_by(|&a, &b| order::compare(SortBy::Weight, &section_key(a), &section_key(b)));
            subs
        })
        .collect()
}

impl NavTree {
    /// The sidebar order of `site`.
    pub(crate) fn new(site: &Site) -> NavTree {
        let sections = subsections_in_order(site);
        let pages = site
            .sections
            .iter()
            .map(|s| {
                let mut pages = s.pages.clone();
                pages.sort_by(|&a, &b| {
                    order::compare(
                        SortBy::Weight,
                        &sort_key(&site.pages[a]),
                        &sort_key(&site.pages[b]),
                    )
                });
                pages
            })
            .collect();
        let mut positions: Vec<usize> = vec![0; site.pages.len()];
        for section in &pages as &Vec<Vec<usize>> {
            for (at, &p) in section.iter().enumerate() {
                positions[p] = at;
            }
        }
        let mut tree = NavTree {
            sections,
            pages,
            positions,
            collapsed: (0..site.sections.len()).map(|_| OnceLock::new()).collect(),
            links: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            link_prints: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            tree_print: 0,
        };
        let mut h = fingerprinter();
        for &lang in site.languages() {
            tree.hash_sections(site, site.home(lang), &mut h);
        }
        tree.tree_print = h.finish();
        tree
    }

    fn hash_sections(&self, site: &Site, id: usize, h: &mut Fingerprinter) {
        let s = &site.sections[id];
        (section_label(site, id), &s.path, self.sections[id].len()).hash(h);
        for &sub in &self.sections[id] {
            self.hash_sections(site, sub, h);
        }
    }

    /// The sections from home down to the one holding `current`.
    fn path(site: &Site, current: Current) -> Vec<usize> {
        match current {
            Current::Page(id) => site.ancestry(site.pages[id].section),
            Current::Section(id) => site.ancestry(id),
        }
    }

    /// Hashes everything the sidebar of `current` shows besides `current` itself: the tree
    /// of sections, and the order, titles and addresses of the articles of the sections on
    /// its path.
    pub(crate) fn hash_for(&self, site: &Site, current: Current, h: &mut Fingerprinter) {
        self.tree_print.hash(h);
        for s in NavTree::path(site, current) {
            site.sections[s].path.hash(h);
            let shown = self.shown(site, s, current);
            (shown.len() < self.pages[s].len()).hash(h);
            for &p in shown {
                self.link_prints[p]
                    .get_or_init(|| {
                        let mut h = fingerprinter();
                        (page_label(site, p), &site.pages[p].path).hash(&mut h);
                        h.finish()
                    })
                    .hash(h);
            }
        }
    }

    /// The articles of section `id` that the sidebar of `current` shows.
    fn shown(&self, site: &Site, id: usize, current: Current) -> &[usize] {
        let pages = &self.pages[id];
        let at = match current {
            Current::Page(p) if site.pages[p].section == id => Some(self.positions[p]),
            _ => None,
        };
        &pages[shown_range(pages.len(), at)]
    }

    /// The `nav` value of `current`: the node of the home of its language.
    pub(crate) fn value(&self, site: &Site, current: Current) -> Value {
        let path = NavTree::path(site, current);
        self.open_node(site, path[0], &path, current)
    }

    /// A section on the current path: expanded, with its articles.
    fn open_node(&self, site: &Site, id: usize, path: &[usize], current: Current) -> Value {
        let s = &site.sections[id];
        let sections: Vec<Value> = self.sections[id]
            .iter()
            .map(|&sub| {
                if path.contains(&sub) {
                    self.open_node(site, sub, path, current)
                } else {
                    self.collapsed_node(site, sub)
                }
            })
            .collect();
        let shown = self.shown(site, id, current);
        let pages: Vec<Value> = shown
            .iter()
            .map(|&p| {
                if current == Current::Page(p) {
                    page_link(site, p, true)
                } else {
                    self.links[p]
                        .get_or_init(|| page_link(site, p, false))
                        .clone()
                }
            })
            .collect();
        map(vec![
            ("title", Value::from(section_label(site, id))),
            ("url", Value::from(site.url(&s.path))),
            ("current", Value::from(current == Current::Section(id))),
            ("expanded", Value::from(true)),
            ("sections", Value::from(sections)),
            ("pages", Value::from(pages)),
            // Whether the sidebar shows only some of the section's articles, for a link to its
            // list. Not their number: a new article would then change every sidebar of the
            // section, which the preview renders again.
            ("more", Value::from(shown.len() < self.pages[id].len())),
        ])
    }

    /// A section off the current path: its subsections (collapsed too), none of its articles.
    fn collapsed_node(&self, site: &Site, id: usize) -> Value {
        self.collapsed[id]
            .get_or_init(|| {
                let s = &site.sections[id];
                let sections: Vec<Value> = self.sections[id]
                    .iter()
                    .map(|&sub| self.collapsed_node(site, sub))
                    .collect();
                map(vec![
                    ("title", Value::from(section_label(site, id))),
                    ("url", Value::from(site.url(&s.path))),
                    ("current", Value::from(false)),
                    ("expanded", Value::from(false)),
                    ("sections", Value::from(sections)),
                    ("pages", Value::from(Vec::<Value>::new())),
                    ("more", Value::none()),
                ])
            })
            .clone()
    }
}

/// The name an article has in the sidebar: its `short_title` (Hugo's `linkTitle`,
/// Docusaurus' `sidebar_label`), else its title.
fn page_label(site: &Site, id: usize) -> &str {
    let p = &site.pages[id];
    p.doc.meta.short_title.as_deref().unwrap_or(&p.title)
}

/// The name a section has in the sidebar, as [`page_label`] for its own file.
fn section_label(site: &Site, id: usize) -> &str {
    let s = &site.sections[id];
    s.doc
        .as_ref()
        .and_then(|d| d.meta.short_title.as_deref())
        .unwrap_or(&s.title)
}

fn page_link(site: &Site, id: usize, current: bool) -> Value {
    let p = &site.pages[id];
    map(vec![
        ("title", Value::from(page_label(site, id))),
        ("url", Value::from(site.url(&p.path))),
        ("current", Value::from(current)),
    ])
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn site_of(files: &[(&str, &str)]) -> Site {
        crate::site::test_site(files, crate::site::SiteOptions::default())
    }

    fn json(v: &Value) -> serde_json::Value {
        serde_json::to_value(v).unwrap()
    }

    fn titles(list: &serde_json::Value) -> Vec<&str> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|v| v["title"].as_str().unwrap())
            .collect()
    }

    fn sample() -> Site {
        site_of(&[
            ("a/_index.md", "---\ntitle: Zeta\nweight: 1\n---\n"),
            ("b/_index.md", "---\ntitle: Alfa\n---\n"),
            ("b/c/_index.md", "---\ntitle: Głęboki\n---\n"),
            ("a/x.md", "---\ntitle: Żaba\n---\n"),
            ("a/y.md", "---\ntitle: Łódź\n---\n"),
            ("a/z.md", "---\ntitle: Ostatni z wagą\nweight: 5\n---\n"),
            ("a/w.md", "---\ntitle: Pierwszy\nweight: -2\n---\n"),
            ("b/q.md", "---\ntitle: Q\n---\n"),
            ("b/c/r.md", "---\ntitle: R\n---\n"),
        ])
    }

    #[test]
    fn weight_first_then_polish_title_order() {
        let site = sample();
        let tree = NavTree::new(&site);
        let x = site.pages.iter().position(|p| p.title == "Żaba").unwrap();
        let nav = json(&tree.value(&site, Current::Page(x)));
        // `Zeta` has a weight, so it comes before `Alfa`.
        assert_eq!(titles(&nav["sections"]), ["Zeta", "Alfa"]);
        let a = &nav["sections"][0];
        assert_eq!(
            titles(&a["pages"]),
            ["Pierwszy", "Ostatni z wagą", "Łódź", "Żaba"]
        );
        assert_eq!(a["expanded"], true);
        let current: Vec<bool> = a["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["current"] == true)
            .collect();
        assert_eq!(current, [false, false, false, true]);
    }

    #[test]
    fn only_the_path_holds_articles_but_every_section_is_listed() {
        let site = sample();
        let tree = NavTree::new(&site);
        let r = site.pages.iter().position(|p| p.title == "R").unwrap();
        let nav = json(&tree.value(&site, Current::Page(r)));
        let (zeta, alfa) = (&nav["sections"][0], &nav["sections"][1]);
        assert_eq!(zeta["expanded"], false);
        assert_eq!(zeta["pages"], serde_json::json!([]));
        assert_eq!(alfa["expanded"], true);
        assert_eq!(titles(&alfa["pages"]), ["Q"]);
        assert_eq!(titles(&alfa["sections"][0]["pages"]), ["R"]);
        // A section's own page marks the section and expands it, not what is below it.
        let b = site
            .sections
            .iter()
            .position(|s| s.title == "Alfa")
            .unwrap();
        let nav = json(&tree.value(&site, Current::Section(b)));
        let alfa = &nav["sections"][1];
        assert_eq!(alfa["current"], true);
        assert_eq!(alfa["sections"][0]["title"], "Głęboki");
        assert_eq!(alfa["sections"][0]["pages"], serde_json::json!([]));
    }

    #[test]
    fn a_big_section_shows_a_window_around_the_page_and_says_more_are_left_out() {
        assert_eq!(
            shown_range(WHOLE_SECTION_MAX, Some(3)),
            0..WHOLE_SECTION_MAX
        );
        assert_eq!(shown_range(500, None), 0..WINDOW);
        assert_eq!(shown_range(500, Some(0)), 0..WINDOW);
        assert_eq!(shown_range(500, Some(250)), 245..256);
        assert_eq!(shown_range(500, Some(499)), 489..500);
        for at in 0..100 {
            let r = shown_range(100, Some(at));
            assert!(
                r.contains(&at) && r.len() == WINDOW && r.end <= 100,
                "{at}: {r:?}"
            );
        }

        let mut files = vec![(
            "a/_index.md".to_string(),
            "---\ntitle: A\n---\n".to_string(),
        )];
        for i in 0..200 {
            files.push((
                format!("a/p{i:03}.md"),
                format!("---\ntitle: Artykuł {i:03}\n---\n"),
            ));
        }
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (&a[..], &b[..])).collect();
        let site = site_of(&files);
        let tree = NavTree::new(&site);
        let id = |title: &str| site.pages.iter().position(|p| p.title == title).unwrap();
        let nav = json(&tree.value(&site, Current::Page(id("Artykuł 100"))));
        let a = &nav["sections"][0];
        assert_eq!(
            titles(&a["pages"]),
            (95..106)
                .map(|i| format!("Artykuł {i:03}"))
                .collect::<Vec<_>>()
        );
        assert_eq!(a["more"], true);
        // The section's own list page shows its first articles.
        let section = site.sections.iter().position(|s| s.title == "A").unwrap();
        let nav = json(&tree.value(&site, Current::Section(section)));
        assert_eq!(titles(&nav["sections"][0]["pages"])[0], "Artykuł 000");
        // A page far from another's window does not hash what that one shows.
        let print = |title: &str| {
            let mut h = fingerprinter();
            tree.hash_for(&site, Current::Page(id(title)), &mut h);
            h.finish()
        };
        assert_ne!(print("Artykuł 100"), print("Artykuł 101"));
        // One more article far from a page's window leaves that page's sidebar as it was.
        let mut more = files.clone();
        more.push(("a/p999.md", "---\ntitle: Artykuł 999\n---\n"));
        let bigger = site_of(&more);
        let bigger_tree = NavTree::new(&bigger);
        let at = bigger
            .pages
            .iter()
            .position(|p| p.title == "Artykuł 100")
            .unwrap();
        let mut h = fingerprinter();
        bigger_tree.hash_for(&bigger, Current::Page(at), &mut h);
        assert_eq!(h.finish(), print("Artykuł 100"));
    }

    #[test]
    fn the_print_changes_with_what_the_sidebar_shows() {
        let print = |site: &Site, title: &str| {
            let id = site.pages.iter().position(|p| p.title == title).unwrap();
            let mut h = fingerprinter();
            NavTree::new(site).hash_for(site, Current::Page(id), &mut h);
            h.finish()
        };
        let base = sample();
        let mut reweighted = sample();
        let y = reweighted
            .pages
            .iter()
            .position(|p| p.title == "Łódź")
            .unwrap();
        reweighted.pages[y] = {
            let mut p = reweighted.pages[y].clone();
            let mut doc = (*p.doc).clone();
            doc.meta.weight = Some(-10);
            p.doc = Arc::new(doc);
            p
        };
        // A sibling moved: the sidebar of its section changes, another section's does not.
        assert_ne!(print(&base, "Żaba"), print(&reweighted, "Żaba"));
        assert_eq!(print(&base, "Q"), print(&reweighted, "Q"));
    }
}
