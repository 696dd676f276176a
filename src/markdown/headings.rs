//! Heading ids and the table of contents.

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
pub struct IdAllocator {
    used: HashSet<String>,
    /// The next suffix to try per base id, so a page with thousands of equal headings stays
    /// linear instead of re-probing `-1`, `-2`, … for every one of them.
    next_suffix: HashMap<String, usize>,
    /// Ids written by the author (`{#id}`) or taken by footnotes: generated ids avoid them.
    reserved: HashSet<String>,
}

impl IdAllocator {
    /// Reserves an id an author wrote (`{#id}`) or derives one from the heading text.
    pub fn allocate(&mut self, explicit: Option<&str>, text: &str) -> String {
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
    pub fn reserve(&mut self, id: &str) {
        self.reserved.insert(id.to_string());
    }
}

/// Nests headings: each heading holds the deeper ones that follow it.
pub fn build_toc(headings: &[Heading]) -> Vec<TocEntry> {
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
}
