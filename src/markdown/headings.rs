//! Heading ids and the table of contents.
//!
//! An author can name a heading's id, so links to it survive a change of its text. Besides
//! the `{#id}` that pulldown-cmark reads, sites moved from other tools write it as MDX does
//! (`{/*id*/}`, or `{/* #id */}` as Docusaurus writes it) or as MkDocs does (`{: #id }`);
//! [`foreign_attributes`] reads those.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::slug::slugify;

/// One heading of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute, unique within the page.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
}

/// A table of contents entry with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    /// The anchor.
    pub id: String,
    /// The text.
    pub title: String,
    /// Deeper headings until the next one of this level or higher.
    pub children: Vec<TocEntry>,
}

/// Hands out unique ids: `slug`, then `slug-1`, `slug-2`… for repeats.
#[derive(Debug, Default)]
pub(crate) struct IdAllocator {
    used: HashSet<String>,
    /// The next suffix to try per base id, so a page with thousands of equal headings stays
    /// linear instead of re-probing `-1`, `-2`, … for every one of them.
    next_suffix: HashMap<String, usize>,
    /// Ids written by the author (`{#id}`, `{/*id*/}`, `{: #id }`) or taken by footnotes:
    /// generated ids avoid them.
    reserved: HashSet<String>,
}

impl IdAllocator {
    /// Reserves an id an author wrote (`{#id}`) or derives one from the heading text.
    pub(crate) fn allocate(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = match explicit {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let slug = slugify(text);
                if slug.is_empty() {
                    "sekcja".to_string()
                } else {
                    slug
                }
            }
        };
        let explicit_free = explicit.is_some_and(|e| e == base && !self.used.contains(&base));
        if explicit_free {
            self.used.insert(base.clone());
            return base;
        }
        let mut id = base.clone();
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        while self.used.contains(&id) || self.reserved.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        self.used.insert(id.clone());
        id
    }

    /// Keeps `id` for its owner (an explicit `{#id}` further down, a footnote): generated ids
    /// never take it.
    pub(crate) fn reserve(&mut self, id: &str) {
        self.reserved.insert(id.to_string());
    }
}

/// What the end of a heading says about its HTML element: the id, classes and other
/// attributes of an attribute block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HeadingAttributes {
    /// The id the author chose.
    pub id: Option<String>,
    /// `.class` names.
    pub classes: Vec<String>,
    /// `key=value` pairs and bare keys, as pulldown-cmark gives them.
    pub attrs: Vec<(String, Option<String>)>,
}

/// Reads an id block other tools write at the end of a heading from the heading's source (an
/// ATX heading with its optional closing `#`s, or a setext heading with its underline):
/// MDX's `{/*id*/}` (or `{/* #id */}`; a comment of several words without `#` names no id)
/// and MkDocs' `{: #id .class }`. `None` for any other ending, including pulldown-cmark's
/// own `{#id .class}`, which the parser reads itself.
pub(crate) fn foreign_attributes(heading_source: &str) -> Option<HeadingAttributes> {
    let body = heading_text_end(heading_source).strip_suffix('}')?;
    if let Some(open) = body.rfind("{/*")
        && let Some(comment) = body[open + 3..].strip_suffix("*/")
        && !comment.contains("*/")
    {
        return Some(HeadingAttributes {
            id: comment_id(comment),
            ..HeadingAttributes::default()
        });
    }
    let inner = &body[body.rfind('{')? + 1..];
    // The characters that keep pulldown-cmark from reading a block as attributes.
    if inner.contains(['{', '}', '<', '>', '\\', '\n', '\r']) {
        return None;
    }
    Some(parse_attribute_block(inner.strip_prefix(':')?))
}

/// The end of a heading's text: without the line ending, an ATX heading's closing `#`s or a
/// setext heading's underline.
fn heading_text_end(source: &str) -> &str {
    let source = source.trim_end();
    let start = source.trim_start();
    let after_hashes = start.trim_start_matches('#');
    let is_atx = (1..=6).contains(&(start.len() - after_hashes.len()))
        && (after_hashes.is_empty() || after_hashes.starts_with([' ', '\t']));
    let line = if is_atx {
        source
    } else {
        source
            .rfind('\n')
            .map_or(source, |i| source[..i].trim_end())
    };
    let without_closing = line.trim_end_matches('#');
    if without_closing.len() < line.len() && without_closing.ends_with([' ', '\t']) {
        without_closing.trim_end()
    } else {
        line
    }
}

/// The id an MDX comment names: the first word when it starts with `#` (Docusaurus), else the
/// whole comment when it is one word (react.dev).
fn comment_id(comment: &str) -> Option<String> {
    let comment = comment.trim();
    let id = match comment.strip_prefix('#') {
        Some(rest) => rest.split_whitespace().next().unwrap_or(""),
        None if !comment.contains(char::is_whitespace) => comment,
        None => "",
    };
    (!id.is_empty()).then(|| id.to_string())
}

/// Reads `#id .class key=value` the way pulldown-cmark reads its own attribute blocks.
fn parse_attribute_block(inner: &str) -> HeadingAttributes {
    let mut attributes = HeadingAttributes::default();
    for token in inner.split_ascii_whitespace() {
        if let Some(id) = token.strip_prefix('#') {
            if !id.is_empty() {
                attributes.id = Some(id.to_string());
            }
        } else if let Some(class) = token.strip_prefix('.') {
            if !class.is_empty() {
                attributes.classes.push(class.to_string());
            }
        } else if let Some((key, value)) = token.split_once('=') {
            attributes
                .attrs
                .push((key.to_string(), Some(value.to_string())));
        } else {
            attributes.attrs.push((token.to_string(), None));
        }
    }
    attributes
}

/// Nests headings: each heading holds the deeper ones that follow it.
pub(crate) fn build_toc(headings: &[Heading]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if last.level < entry.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut toc = Vec::new();
    for h in headings {
        insert(
            &mut toc,
            TocEntry {
                level: h.level,
                id: h.id.clone(),
                title: h.title.clone(),
                children: Vec::new(),
            },
        );
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_transliterated() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate(None, "Słowa kluczowe"), "slowa-kluczowe");
        assert_eq!(ids.allocate(None, "Słowa kluczowe"), "slowa-kluczowe-1");
        assert_eq!(ids.allocate(Some("wlasne"), "x"), "wlasne");
        assert_eq!(ids.allocate(None, "???"), "sekcja");
    }

    #[test]
    fn many_equal_headings_stay_fast() {
        let mut ids = IdAllocator::default();
        for _ in 0..50_000 {
            ids.allocate(None, "a");
        }
        assert_eq!(ids.allocate(None, "a"), "a-50000");
        assert!(ids.used.contains("a-49999"));
    }

    #[test]
    fn reserved_ids_are_left_to_their_owners() {
        let mut ids = IdAllocator::default();
        ids.reserve("wstep");
        assert_eq!(ids.allocate(None, "Wstęp"), "wstep-1");
        assert_eq!(ids.allocate(Some("wstep"), "Inne"), "wstep");
    }

    #[test]
    fn mdx_comments_name_ids() {
        let id = |source: &str| foreign_attributes(source).and_then(|a| a.id);
        assert_eq!(
            id("## Skąd wziąć klucze {/*where-to-get-your-key*/}\n").as_deref(),
            Some("where-to-get-your-key")
        );
        assert_eq!(
            id("### A {/* #docusaurus-id */}").as_deref(),
            Some("docusaurus-id")
        );
        assert_eq!(id("### A {/*  spaced  */}   ").as_deref(), Some("spaced"));
        assert_eq!(id("## A {/* x */} ##\n").as_deref(), Some("x"));
        assert_eq!(id("A {/*setext*/}\n===\n").as_deref(), Some("setext"));
        let plain = foreign_attributes("## A {/* do poprawy później */}").unwrap();
        assert_eq!(plain, HeadingAttributes::default(), "a remark names no id");
        assert_eq!(
            foreign_attributes("## A {/**/}"),
            Some(HeadingAttributes::default())
        );
    }

    #[test]
    fn mkdocs_blocks_name_ids() {
        let attrs = |source: &str| foreign_attributes(source);
        assert_eq!(attrs("## A {: #x }").unwrap().id.as_deref(), Some("x"));
        assert_eq!(attrs("## A {:#x}").unwrap().id.as_deref(), Some("x"));
        let both = attrs("## A {:  #x   .wide }\n").unwrap();
        assert_eq!(
            (both.id.as_deref(), both.classes),
            (Some("x"), vec!["wide".to_string()])
        );
        assert_eq!(
            attrs("Tytuł {: #s }\n-----\n").unwrap().id.as_deref(),
            Some("s")
        );
        assert_eq!(
            attrs("#hasztag {: #h }\n===\n").unwrap().id.as_deref(),
            Some("h")
        );
    }

    #[test]
    fn other_endings_are_left_to_the_parser() {
        for source in [
            "## A {#x}",
            "## A { #x }",
            "## A",
            "## A }",
            "## A {: <b> }",
            "## {}",
            "##",
            "",
        ] {
            assert_eq!(foreign_attributes(source), None, "{source:?}");
        }
    }

    #[test]
    fn toc_nests_deeper_levels() {
        let h = |level, id: &str| Heading {
            level,
            id: id.into(),
            title: id.into(),
        };
        let toc = build_toc(&[h(2, "a"), h(3, "b"), h(3, "c"), h(2, "d"), h(4, "e")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "e");
    }

    proptest::proptest! {
        #[test]
        fn reading_any_heading_never_panics(source in "\\PC{0,80}") {
            if let Some(HeadingAttributes { id: Some(id), .. }) = foreign_attributes(&source) {
                proptest::prop_assert!(!id.is_empty());
                proptest::prop_assert!(!id.contains(|c: char| c.is_ascii_whitespace()));
            }
        }
    }
}
