//! Parsing a card's SVG one top-level element at a time, so that the elements every card
//! repeats (the background, the section and site names) are parsed once, not for every card.
//!
//! Turning text into outlines is most of the cost of parsing a card, and the section and site
//! names are a third of its text. An element is parsed as a document of its own: the root
//! element's start tag, the element, the end tag. That gives the element what the whole
//! document would, as long as nothing in the document can refer to another element or style
//! it from afar; a document that could (anything but plain shapes, text and groups, any
//! `url(…)` or link, a DTD, a root `background-color`) is parsed whole instead.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use resvg::usvg;
use usvg::roxmltree;

/// Trees kept for reuse, at most (a site has a few dozen section names).
const MAX_KEPT: usize = 1024;
/// Elements seen once are remembered up to this many (mostly titles, which never recur), then
/// forgotten all together.
const MAX_SEEN: usize = 1 << 16;
/// What a document that is parsed element by element may hold.
const ELEMENTS: [&str; 10] = [
    "g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan",
];

/// The trees of elements seen more than once, shared by the threads drawing cards.
#[derive(Default)]
pub(super) struct Pieces {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    trees: HashMap<u128, Arc<usvg::Tree>>,
    /// Elements seen once, whose trees are kept when they turn up again.
    seen: HashSet<u128>,
}

impl Pieces {
    /// The tree of each top-level element of `svg`, in order, each parsed as a document with
    /// the root element alone around it; `None` when `svg` must be parsed whole (it does not
    /// parse, has no elements, or holds what is not parsed apart).
    pub(super) fn parse(
        &self,
        svg: &str,
        options: &usvg::Options<'_>,
    ) -> Option<Vec<Arc<usvg::Tree>>> {
        let doc = roxmltree::Document::parse(svg).ok()?;
        let root = doc.root_element();
        let unprefixed = svg.get(root.range().start..).is_some_and(|tag| {
            tag.starts_with("<svg") && tag[4..].starts_with([' ', '\t', '\r', '\n', '>'])
        });
        if !unprefixed || root.has_attribute("background-color") || !parts_alone(root) {
            return None;
        }
        let head = svg.get(..root.first_child()?.range().start)?;
        let mut trees = Vec::new();
        for element in root.children().filter(roxmltree::Node::is_element) {
            let source = svg.get(element.range())?;
            trees.push(self.tree(head, source, options)?);
        }
        (!trees.is_empty()).then_some(trees)
    }

    /// The tree of one element (`source`) in a document that starts with `head`.
    fn tree(
        &self,
        head: &str,
        source: &str,
        options: &usvg::Options<'_>,
    ) -> Option<Arc<usvg::Tree>> {
        let key = crate::hash::content_hash(&[head.as_bytes(), source.as_bytes()]);
        if let Some(tree) = self.lock().trees.get(&key) {
            return Some(tree.clone());
        }
        let document = format!("{head}{source}</svg>");
        let tree = Arc::new(usvg::Tree::from_str(&document, options).ok()?);
        let mut kept = self.lock();
        if kept.seen.len() >= MAX_SEEN {
            kept.seen.clear();
        }
        if !kept.seen.insert(key) && kept.trees.len() < MAX_KEPT {
            kept.trees.insert(key, tree.clone());
        }
        Some(tree)
    }

    /// The kept trees; a thread that panicked holding them left them whole (each change is
    /// one insert), so a poisoned lock is used as it is.
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether every element under `root` is one that draws from its own attributes and those of
/// its ancestors only: shapes, text and groups, with no `url(…)` (gradients, clip paths,
/// masks, filters, markers) and no link to another element.
fn parts_alone(root: roxmltree::Node<'_, '_>) -> bool {
    let referring = |node: &roxmltree::Node<'_, '_>| {
        node.attributes()
            .any(|a| a.name() == "href" || a.value().contains("url("))
    };
    !referring(&root)
        && root
            .descendants()
            .skip(1)
            .filter(roxmltree::Node::is_element)
            .all(|node| {
                let tag = node.tag_name();
                tag.namespace() == root.tag_name().namespace()
                    && ELEMENTS.contains(&tag.name())
                    && !referring(&node)
            })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::samples::{bundled, sample_svgs};

    #[test]
    fn elements_are_parsed_apart_only_when_nothing_refers_across() {
        let fonts = bundled();
        let pieces = Pieces::default();
        let parse = |svg: &str| pieces.parse(svg, &fonts.options).map(|trees| trees.len());
        let svg = &sample_svgs(&fonts, 1)[0];
        assert_eq!(parse(svg), Some(6));
        const HEAD: &str =
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">"##;
        for body in [
            r##"<defs><linearGradient id="g"/></defs><rect width="9" height="9" fill="url(#g)"/>"##,
            r##"<rect width="9" height="9" style="fill:url(#g)"/>"##,
            r##"<rect id="r" width="9" height="9"/><use href="#r"/>"##,
            r##"<style>rect { fill: red }</style><rect width="9" height="9"/>"##,
            r##"<g><image width="9" height="9"/></g>"##,
            "",
        ] {
            assert_eq!(parse(&format!("{HEAD}{body}</svg>")), None, "{body}");
        }
        let background = r##"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9" background-color="red"><rect width="1" height="1"/></svg>"##;
        assert_eq!(parse(background), None);
        assert_eq!(parse("<svg"), None);
    }

    #[test]
    fn elements_seen_twice_are_kept() {
        let fonts = bundled();
        let pieces = Pieces::default();
        let svgs = sample_svgs(&fonts, 8);
        for svg in svgs.iter().chain(&svgs) {
            pieces.parse(svg, &fonts.options).unwrap();
        }
        // The background, the stripe, the bar, 4 sections, 2 site names and 8 titles seen
        // twice.
        assert_eq!(pieces.lock().trees.len(), 3 + 4 + 2 + 8);
    }
}
