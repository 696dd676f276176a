//! Values for the list-like outputs: taxonomies, the home page, the feeds and the sitemap,
//! plus the redirect pages of aliases.

use std::collections::BTreeMap;

use tera::Value;

use crate::config::FeedContent;
use crate::markdown::highlight::escape_into;
use crate::render::context::{self, map};
use crate::render::{Shared, i18n, seo};
use crate::site::feeds::FeedOf;
use crate::site::{Site, order};

pub(super) fn taxonomy_value(shared: &Shared<'_>, t: usize) -> Value {
    let site = shared.site;
    let tax = &site.taxonomies[t];
    let terms: Vec<Value> = tax
        .terms
        .iter()
        .map(|term| {
            map(vec![
                ("name", Value::from(term.name.as_str())),
                ("slug", Value::from(term.slug.as_str())),
                ("url", Value::from(site.url(&tax.term_path(term)))),
                ("count", Value::from(term.pages.len())),
            ])
        })
        .collect();
    map(vec![
        ("name", Value::from(tax.name.as_str())),
        (
            "title",
            Value::from(context::taxonomy_title(&tax.name, tax.lang)),
        ),
        ("url", Value::from(site.url(&tax.path()))),
        ("terms", Value::from(terms)),
    ])
}

/// Articles in the home page's "recently updated" list.
pub(super) const RECENTLY_UPDATED: usize = 6;

/// Tags in the home page's cloud: the most used ones, so the home page of a site with
/// thousands of tags weighs what a small site's does; the cloud links to the list of all.
pub(super) const HOME_TAGS: usize = 40;

/// The terms the home page's cloud shows: the [`HOME_TAGS`] with the most articles (the
/// earlier term on a tie), in the taxonomy's own order.
fn cloud_terms(counts: &[usize]) -> Vec<usize> {
    let mut ids: Vec<usize> = (0..counts.len()).collect();
    ids.sort_by_key(|&i| (std::cmp::Reverse(counts[i]), i));
    ids.truncate(HOME_TAGS);
    ids.sort_unstable();
    ids
}

/// `home` of the home page `home_id` (one per language): every section of its language with
/// its newest articles, the tag cloud and the recently updated articles.
pub(super) fn home_value(shared: &Shared<'_>, home_id: usize) -> Value {
    let site = shared.site;
    let lang = site.sections[home_id].tree;
    let mut ids: Vec<usize> = (0..site.sections.len())
        .filter(|&i| site.sections[i].tree == lang && site.sections[i].parent.is_some())
        .collect();
    ids.sort_by_key(|&i| (order::title_key(&site.sections[i].title), i));
    let sections: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            let s = &site.sections[id];
            let mut newest = s.pages.clone();
            site.sort_newest_first(&mut newest);
            newest.truncate(5);
            map(vec![
                ("title", Value::from(s.title.as_str())),
                ("url", Value::from(site.url(&s.path))),
                (
                    "description",
                    s.doc
                        .as_ref()
                        .and_then(|d| d.meta.description.clone())
                        .map_or_else(Value::none, Value::from),
                ),
                ("pages_count", Value::from(s.pages.len())),
                (
                    "newest",
                    Value::from(
                        newest
                            .iter()
                            .map(|&p| shared.summary(p))
                            .collect::<Vec<_>>(),
                    ),
                ),
            ])
        })
        .collect();
    let tags = site
        .taxonomies
        .iter()
        .find(|t| t.name == "tags" && t.lang == lang);
    let cloud: Vec<Value> = match tags {
        None => Vec::new(),
        Some(tax) => {
            let all: Vec<usize> = tax.terms.iter().map(|t| t.pages.len()).collect();
            let shown = cloud_terms(&all);
            let counts: Vec<usize> = shown.iter().map(|&i| all[i]).collect();
            let (min, max) = (
                counts.iter().min().copied().unwrap_or(0),
                counts.iter().max().copied().unwrap_or(0),
            );
            shown
                .iter()
                .map(|&i| &tax.terms[i])
                .map(|term| {
                    let n = term.pages.len();
                    let weight = if max > min {
                        1 + 4 * (n - min) / (max - min)
                    } else {
                        3
                    };
                    map(vec![
                        ("name", Value::from(term.name.as_str())),
                        ("slug", Value::from(term.slug.as_str())),
                        ("url", Value::from(site.url(&tax.term_path(term)))),
                        ("count", Value::from(n)),
                        ("weight", Value::from(weight)),
                    ])
                })
                .collect()
        }
    };
    let recent: Vec<Value> = site
        .recently_updated(lang, RECENTLY_UPDATED)
        .iter()
        .map(|&p| shared.summary(p))
        .collect();
    map(vec![
        ("sections", Value::from(sections)),
        ("tags", Value::from(cloud)),
        ("recent", Value::from(recent)),
    ])
}

/// `feed` of a feed at output path `path` (the same value for its Atom and RSS files but
/// that address): what it is about, and its newest articles with their dates in the forms
/// both formats need and their text as `feed_content` says.
pub(super) fn feed_value(shared: &Shared<'_>, feed: FeedOf, path: &str) -> Value {
    let site = shared.site;
    let lang = site.feed_lang(feed);
    let full = site.config.feed_content == FeedContent::Full;
    let base_path = site.config.base_path();
    let origin = &site.config.base_url[..site.config.base_url.len() - base_path.len()];
    let mut updated = String::from("1970-01-01T00:00:00Z");
    let mut updated_rfc822 = None;
    let pages: Vec<Value> = site
        .feed_pages(feed)
        .iter()
        .map(|&p| {
            let meta = &site.pages[p].doc.meta;
            let published = meta.date.map(|d| d.rfc3339()).unwrap_or_default();
            let changed_date = meta.updated.or(meta.date);
            let changed = changed_date.map(|d| d.rfc3339()).unwrap_or_default();
            if changed > updated {
                updated = changed.clone();
                updated_rfc822 = changed_date.map(|d| d.rfc822());
            }
            let summary = shared.summary(p);
            let mut fields: BTreeMap<&'static str, Value> = summary
                .as_map()
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| k.as_str().and_then(static_key).map(|k| (k, v.clone())))
                .collect();
            if full {
                let html = absolute_urls(&site.pages[p].rendered.html, origin);
                fields.insert("content", Value::from(html));
            }
            let summary = summary_html(meta, &fields, origin);
            fields.insert("summary_html", summary);
            fields.insert("date_rfc3339", Value::from(published));
            fields.insert("updated_rfc3339", Value::from(changed));
            fields.insert(
                "date_rfc822",
                meta.date
                    .map_or_else(Value::none, |d| Value::from(d.rfc822())),
            );
            Value::from(fields)
        })
        .collect();
    let (title, description, home) = feed_about(site, feed);
    map(vec![
        ("url", Value::from(site.permalink(path))),
        ("lang", Value::from(lang.code())),
        ("title", Value::from(title)),
        ("description", Value::from(description)),
        ("home", Value::from(site.permalink(&home))),
        ("content", Value::from(site.config.feed_content.name())),
        ("updated", Value::from(updated)),
        (
            "updated_rfc822",
            updated_rfc822.map_or_else(Value::none, Value::from),
        ),
        ("pages", Value::from(pages)),
    ])
}

/// A feed's title, its description (never empty: RSS requires one) and the output path of
/// the page it follows: its language's site, its section or its term.
fn feed_about(site: &Site, feed: FeedOf) -> (String, String, String) {
    let lang = site.feed_lang(feed);
    let site_title = site.config.title_in(lang);
    let site_description = site.config.description_in(lang).trim();
    let or_title = |d: &str, title: &str| {
        if d.trim().is_empty() {
            title.to_string()
        } else {
            d.trim().to_string()
        }
    };
    match feed {
        FeedOf::Site(_) => (
            site_title.to_string(),
            or_title(site_description, site_title),
            site.sections[site.home(lang)].path.clone(),
        ),
        FeedOf::Section(id) => {
            let s = &site.sections[id];
            let title = format!("{site_title} – {}", s.title);
            let own = s
                .doc
                .as_ref()
                .and_then(|d| d.meta.description.as_deref())
                .unwrap_or("");
            let description = or_title(own, &or_title(site_description, &title));
            (title, description, s.path.clone())
        }
        FeedOf::Term(t, term) => {
            let tax = &site.taxonomies[t];
            let term = &tax.terms[term];
            let title = format!(
                "{site_title} – {}: {}",
                context::taxonomy_title(&tax.name, lang),
                term.name
            );
            (title.clone(), title, tax.term_path(term))
        }
    }
}

/// What a feed shows as an article's summary, as HTML: its `description` (text, escaped),
/// else its summary paragraph (already HTML); none when it has neither.
fn summary_html(
    meta: &crate::content::Meta,
    fields: &BTreeMap<&'static str, Value>,
    origin: &str,
) -> Value {
    match meta.description.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => {
            let mut html = String::new();
            escape_into(&mut html, d);
            Value::from(html)
        }
        None => fields
            .get("summary")
            .and_then(Value::as_str)
            .map_or_else(Value::none, |s| Value::from(absolute_urls(s, origin))),
    }
}

/// `html` with the addresses of its links and pictures that start at the site's root
/// (`/kb/seo/`, as kbsite writes them) made absolute under `origin` (`https://example.org`):
/// a feed is read away from the site, and RSS has no base address to resolve them against.
fn absolute_urls(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = ATTRIBUTES
        .iter()
        .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
        .min()
    {
        let (start, len) = at;
        out.push_str(&rest[..start + len]);
        rest = &rest[start + len..];
        let end = rest.find('"').unwrap_or(rest.len());
        // One address, or a `srcset` list of them with their widths.
        for (i, candidate) in rest[..end].split(", ").enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if candidate.starts_with('/') && !candidate.starts_with("//") {
                out.push_str(origin);
            }
            out.push_str(candidate);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The attributes whose values [`absolute_urls`] reads, as HTML holds them.
const ATTRIBUTES: [&str; 3] = [" href=\"", " src=\"", " srcset=\""];

/// Summary keys as `'static` strings (Tera map keys borrow from the value).
fn static_key(key: &str) -> Option<&'static str> {
    const KEYS: &[&str] = &[
        "title",
        "url",
        "permalink",
        "date",
        "updated",
        "description",
        "summary",
        "word_count",
        "reading_time",
        "tags",
        "section",
    ];
    KEYS.iter().find(|k| **k == key).copied()
}

/// The sitemap's (permalink, last modified) pairs, sorted.
pub(super) fn sitemap_list(site: &Site) -> Vec<(String, Option<String>)> {
    let newest = |pages: &[usize]| {
        pages
            .iter()
            .filter_map(|&p| {
                let m = &site.pages[p].doc.meta;
                m.updated.or(m.date)
            })
            .max()
            .map(|d| d.sitemap_date())
    };
    // Only pages search engines may index: no `noindex` articles or sections, no list pages
    // after the first, no taxonomy pages.
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for (id, p) in site.pages.iter().enumerate() {
        if seo::page_noindex(site, id) {
            continue;
        }
        let m = &p.doc.meta;
        entries.push((
            site.permalink(&p.path),
            m.updated.or(m.date).map(|d| d.sitemap_date()),
        ));
    }
    for (id, s) in site.sections.iter().enumerate() {
        if !seo::section_noindex(site, id) {
            entries.push((site.permalink(&s.path), newest(&s.pages)));
        }
    }
    entries.sort();
    entries
}

pub(super) fn sitemap_entries(site: &Site) -> Value {
    Value::from(
        sitemap_list(site)
            .into_iter()
            .map(|(permalink, lastmod)| {
                map(vec![
                    ("permalink", Value::from(permalink)),
                    ("lastmod", lastmod.map_or_else(Value::none, Value::from)),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

pub(super) fn redirect_page(site: &Site, to_path: &str) -> String {
    let lang = site.config.language;
    let mut url = String::new();
    escape_into(&mut url, &site.url(to_path));
    let mut permalink = String::new();
    escape_into(&mut permalink, &site.permalink(to_path));
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p>{text} <a href=\"{url}\">{permalink}</a></p>\n</body>\n</html>\n",
        code = lang.code(),
        title = i18n::text(lang, "redirecting"),
        text = i18n::text(lang, "redirect_text"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_html_gets_absolute_addresses_for_the_sites_own() {
        let html = "<p><a href=\"/kb/a/\">a</a> <a href=\"https://x.org/\">x</a> <a href=\"#y\">y</a> \
                    <img src=\"/kb/p.png\" srcset=\"/kb/p-480.png 480w, /kb/p.png 960w\" alt=\"/kb/\"> \
                    <a href=\"//cdn.org/z\">z</a></p>";
        assert_eq!(
            absolute_urls(html, "https://e.org"),
            "<p><a href=\"https://e.org/kb/a/\">a</a> <a href=\"https://x.org/\">x</a> <a href=\"#y\">y</a> \
             <img src=\"https://e.org/kb/p.png\" srcset=\"https://e.org/kb/p-480.png 480w, https://e.org/kb/p.png 960w\" alt=\"/kb/\"> \
             <a href=\"//cdn.org/z\">z</a></p>"
        );
    }

    #[test]
    fn the_home_cloud_keeps_the_most_used_tags_in_their_order() {
        assert_eq!(cloud_terms(&[3, 1, 2]), [0, 1, 2]);
        let counts: Vec<usize> = (0..1000).map(|i| i % 97).collect();
        let shown = cloud_terms(&counts);
        assert_eq!(shown.len(), HOME_TAGS);
        assert!(
            shown.windows(2).all(|w| w[0] < w[1]),
            "in the taxonomy's order"
        );
        let least_shown = shown.iter().map(|&i| counts[i]).min().unwrap();
        assert!(
            counts
                .iter()
                .enumerate()
                .all(|(i, &c)| shown.contains(&i) || c <= least_shown),
            "no tag left out is used more than one shown"
        );
    }
}
