//! Ordering of pages in sections and lists, and pagination arithmetic.

use std::cmp::Ordering;

use crate::content::SortBy;
use crate::content::date::PageDate;

/// What sorting needs to know of a page.
pub(crate) struct SortKey<'a> {
    /// `date`.
    pub date: Option<&'a PageDate>,
    /// `weight`.
    pub weight: Option<i64>,
    /// The title.
    pub title: &'a str,
    /// The title folded by [`title_key`], worked out once per page rather than per comparison.
    pub folded: &'a str,
    /// The source path: the last tie-breaker, so order never depends on load order.
    pub path: &'a str,
}

/// A title folded for sorting: Polish letters sort beside their base letters, case ignored.
pub(crate) fn title_key(title: &str) -> String {
    deunicode::deunicode(title).to_lowercase()
}

/// Compares two pages for a section sorted by `sort_by`. Dates sort newest first with undated
/// pages last; weights smallest first with unweighted last; ties fall back to title, then path.
pub(crate) fn compare(sort_by: SortBy, a: &SortKey<'_>, b: &SortKey<'_>) -> Ordering {
    let primary = match sort_by {
        SortBy::Date => match (a.date, b.date) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        SortBy::Weight => match (a.weight, b.weight) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        SortBy::Title => Ordering::Equal,
    };
    primary
        .then_with(|| a.folded.cmp(b.folded))
        .then_with(|| a.title.cmp(b.title))
        .then_with(|| a.path.cmp(b.path))
}

/// How many list pages `count` items make with `per_page` on each (0 = no pagination).
pub(crate) fn pager_count(count: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        count.div_ceil(per_page).max(1)
    }
}

/// The URL path of list page `index` (1-based) of a list at `base` (`seo/` -> `seo/page/2/`).
pub(crate) fn pager_path(base: &str, index: usize) -> String {
    if index <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{index}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(date: Option<&'a PageDate>, title: &'a str) -> SortKey<'a> {
        SortKey {
            date,
            weight: None,
            title,
            folded: Box::leak(title_key(title).into_boxed_str()),
            path: title,
        }
    }

    #[test]
    fn dates_newest_first_undated_last() {
        let d1 = PageDate::parse("2024-01-01").unwrap();
        let d2 = PageDate::parse("2025-01-01").unwrap();
        let mut keys = [key(None, "a"), key(Some(&d1), "b"), key(Some(&d2), "c")];
        keys.sort_by(|a, b| compare(SortBy::Date, a, b));
        let order: Vec<_> = keys.iter().map(|k| k.title).collect();
        assert_eq!(order, ["c", "b", "a"]);
    }

    #[test]
    fn polish_titles_sort_beside_their_base_letters() {
        let mut keys = [
            key(None, "Żaba"),
            key(None, "Łódź"),
            key(None, "Lato"),
            key(None, "Zebra"),
        ];
        keys.sort_by(|a, b| compare(SortBy::Title, a, b));
        let order: Vec<_> = keys.iter().map(|k| k.title).collect();
        assert_eq!(order, ["Lato", "Łódź", "Żaba", "Zebra"]);
    }

    #[test]
    fn pagination_paths() {
        assert_eq!(pager_count(0, 10), 1);
        assert_eq!(pager_count(21, 10), 3);
        assert_eq!(pager_count(21, 0), 1);
        assert_eq!(pager_path("seo/", 1), "seo/");
        assert_eq!(pager_path("seo/", 3), "seo/page/3/");
    }
}
