//! What templates see: the values built from the site model for each kind of page.
//!
//! Values are built once where they are shared (a page's summary appears in its section, its
//! terms and the feed) and cloned cheaply (Tera values are reference-counted), instead of
//! serialising the whole site into every page.

use std::collections::BTreeMap;

use tera::Value;

use crate::config::Language;
use crate::markdown::reading_time;
use crate::render::i18n;
use crate::site::feeds::{FeedFormat, FeedOf};
use crate::site::{Page, Site, order};

/// Builds a map value from `(key, value)` pairs (sorted by key, so output is stable).
pub(crate) fn map(entries: Vec<(&'static str, Value)>) -> Value {
    Value::from(entries.into_iter().collect::<BTreeMap<_, _>>())
}

fn opt_str(s: Option<String>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

fn json(value: &impl serde::Serialize) -> Value {
    Value::from_serializable(value)
}

/// `{title, url}` of a section.
pub(crate) fn section_link(site: &Site, id: usize) -> Value {
    let s = &site.sections[id];
    map(vec![
        ("title", Value::from(s.title.as_str())),
        ("url", Value::from(site.url(&s.path))),
    ])
}

/// `{title, url}` of a page.
/// How many articles linking to a page the page itself lists: a hub that thousands of
/// articles link to ("Słowniczek", "Zacznij tutaj") must weigh what any page weighs. The
/// rest are on the page's backlinks pages, [`BACKLINKS_PER_PAGE`] each.
pub(crate) const BACKLINKS_SHOWN: usize = 20;

/// How many linking articles one backlinks page lists (each with the sentence around its
/// link, about 400 bytes).
pub(crate) const BACKLINKS_PER_PAGE: usize = 50;

/// `{title, url}` of an article.
pub(crate) fn page_link(site: &Site, id: usize) -> Value {
    let p = &site.pages[id];
    map(vec![
        ("title", Value::from(p.title.as_str())),
        ("url", Value::from(site.url(&p.path))),
    ])
}

/// Lists of `{name, slug, url}` per taxonomy for a page.
fn page_terms(site: &Site, page: &Page) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for tax in site.taxonomies.iter().filter(|t| t.lang == page.lang) {
        let names = page.doc.meta.taxonomies.get(&tax.name);
        let mut list = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for name in names.into_iter().flatten() {
            let slug = crate::site::taxonomy::term_slug(name.trim());
            if name.trim().is_empty() || !seen.insert(slug.clone()) {
                continue;
            }
            list.push(map(vec![
                ("name", Value::from(name.trim())),
                ("url", Value::from(site.url(&tax.slug_path(&slug)))),
                ("slug", Value::from(slug)),
            ]));
        }
        out.insert(tax.name.clone(), Value::from(list));
    }
    out
}

/// The short form of a page used in lists, cards and the feed.
pub(crate) fn page_summary(site: &Site, id: usize) -> Value {
    map(summary_fields(site, id, &page_terms(site, &site.pages[id])))
}

fn summary_fields(
    site: &Site,
    id: usize,
    terms: &BTreeMap<String, Value>,
) -> Vec<(&'static str, Value)> {
    let p = &site.pages[id];
    let meta = &p.doc.meta;
    let summary = meta
        .summary
        .clone()
        .map(|s| {
            let mut html = String::from("<p>");
            crate::markdown::highlight::escape_into(&mut html, &s);
            html.push_str("</p>");
            html
        })
        .or_else(|| p.rendered.summary_html.clone());
    vec![
        ("title", Value::from(p.title.as_str())),
        ("url", Value::from(site.url(&p.path))),
        ("permalink", Value::from(site.permalink(&p.path))),
        ("date", opt_str(meta.date.map(|d| d.iso()))),
        ("updated", opt_str(meta.updated.map(|d| d.iso()))),
        ("description", opt_str(meta.description.clone())),
        ("summary", opt_str(summary)),
        ("word_count", Value::from(p.rendered.word_count)),
        (
            "reading_time",
            Value::from(reading_time(p.rendered.word_count)),
        ),
        (
            "tags",
            terms
                .get("tags")
                .cloned()
                .unwrap_or_else(|| Value::from(Vec::<Value>::new())),
        ),
        ("section", section_link(site, p.section)),
    ]
}

/// Everything `page.html` sees as `page`.
/// `summary` gives what lists show of another page (for related articles).
pub(crate) fn page_full(site: &Site, id: usize, summary: &dyn Fn(usize) -> Value) -> Value {
    let p = &site.pages[id];
    let meta = &p.doc.meta;
    let terms = page_terms(site, p);
    let mut fields: BTreeMap<&'static str, Value> =
        summary_fields(site, id, &terms).into_iter().collect();
    let slug = p
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    let ancestors: Vec<Value> = site
        .ancestry(p.section)
        .into_iter()
        .map(|s| section_link(site, s))
        .collect();
    fields.insert("slug", Value::from(slug));
    fields.insert("lang", Value::from(p.lang.code()));
    fields.insert("draft", Value::from(meta.draft));
    fields.insert("weight", meta.weight.map_or_else(Value::none, Value::from));
    fields.insert("content", Value::from(p.rendered.html.as_str()));
    fields.insert("features", features_value(&p.rendered.features));
    fields.insert("toc", json(&p.rendered.toc));
    fields.insert("headings", json(&p.rendered.headings));
    fields.insert(
        "categories",
        terms
            .get("categories")
            .cloned()
            .unwrap_or_else(|| Value::from(Vec::<Value>::new())),
    );
    fields.insert("taxonomies", Value::from(terms));
    fields.insert("authors", json(&meta.authors));
    fields.insert(
        "aliases",
        json(&meta.aliases.iter().map(|(a, _)| a).collect::<Vec<_>>()),
    );
    fields.insert("ancestors", Value::from(ancestors));
    fields.insert(
        "previous",
        p.previous.map_or_else(Value::none, |i| page_link(site, i)),
    );
    fields.insert(
        "next",
        p.next.map_or_else(Value::none, |i| page_link(site, i)),
    );
    fields.insert("extra", json(&meta.extra));
    let versions = p.translations.iter().map(|&t| &site.pages[t]);
    fields.insert(
        "translations",
        translation_links(
            site,
            versions.map(|o| (o.lang, o.title.as_str(), o.path.as_str())),
        ),
    );
    fields.insert("source_path", Value::from(p.doc.rel_path.as_str()));
    fields.insert("edit_url", edit_url(site, &p.doc.rel_path));
    fields.insert(
        "last_updated",
        opt_str(meta.updated.or(meta.date).map(|d| d.iso())),
    );
    fields.insert(
        "backlinks",
        Value::from(
            p.backlinks
                .iter()
                .take(BACKLINKS_SHOWN)
                .map(|b| backlink(site, b))
                .collect::<Vec<_>>(),
        ),
    );
    // All of them, and where they are listed when the page shows only the first ones.
    fields.insert("backlinks_count", Value::from(p.backlinks.len()));
    fields.insert(
        "backlinks_url",
        if p.backlinks.len() > BACKLINKS_SHOWN {
            Value::from(site.url(&crate::paths::backlinks_path(&p.path)))
        } else {
            Value::none()
        },
    );
    fields.insert(
        "related",
        Value::from(p.related.iter().map(|&r| summary(r)).collect::<Vec<_>>()),
    );
    Value::from(fields)
}

/// `features` of a page or section: what its body holds that the theme loads a script or
/// style for (`code`, `math`, `diagrams`, and `components`, the names of the components it
/// calls), so a page without code never loads the copy buttons' script.
fn features_value(features: &crate::markdown::Features) -> Value {
    map(vec![
        ("code", Value::from(features.code)),
        ("math", Value::from(features.math)),
        ("diagrams", Value::from(features.diagrams)),
        (
            "components",
            Value::from(
                features
                    .components
                    .iter()
                    .map(|c| Value::from(c.as_str()))
                    .collect::<Vec<_>>(),
            ),
        ),
    ])
}

/// `translations` of a page or section: `{lang, title, url}` of each other version, given as
/// (language, title, output path).
fn translation_links<'a>(
    site: &Site,
    versions: impl Iterator<Item = (Language, &'a str, &'a str)>,
) -> Value {
    let links: Vec<Value> = versions
        .map(|(lang, title, path)| {
            map(vec![
                ("lang", Value::from(lang.code())),
                ("title", Value::from(title)),
                ("url", Value::from(site.url(path))),
            ])
        })
        .collect();
    Value::from(links)
}

/// List page `k` of the articles linking to page `id` (whose backlinks pages start at
/// `base`), as `backlinks.html` sees it: `{pages, current_index, number_pagers, total,
/// previous, next}`, each of `pages` as `page.backlinks` shows them.
pub(crate) fn backlinks_pager(site: &Site, id: usize, base: &str, k: usize) -> Value {
    let all = &site.pages[id].backlinks;
    let count = order::pager_count(all.len(), BACKLINKS_PER_PAGE);
    let start = ((k - 1) * BACKLINKS_PER_PAGE).min(all.len());
    let end = (k * BACKLINKS_PER_PAGE).min(all.len());
    let shown: Vec<Value> = all[start..end].iter().map(|b| backlink(site, b)).collect();
    let (previous, next) = neighbour_pagers(site, base, k, count);
    map(vec![
        ("pages", Value::from(shown)),
        ("current_index", Value::from(k)),
        ("number_pagers", Value::from(count)),
        ("total", Value::from(all.len())),
        ("previous", previous),
        ("next", next),
    ])
}

/// The addresses of list pages `k - 1` and `k + 1` of the `count` pages of a list at `base`,
/// none where there is no such page.
fn neighbour_pagers(site: &Site, base: &str, k: usize, count: usize) -> (Value, Value) {
    let pager_url = |k: usize| Value::from(site.url(&order::pager_path(base, k)));
    let previous = if k > 1 {
        pager_url(k - 1)
    } else {
        Value::none()
    };
    let next = if k < count {
        pager_url(k + 1)
    } else {
        Value::none()
    };
    (previous, next)
}

/// An article linking to this one: its title, address, section and the sentence around the
/// link.
fn backlink(site: &Site, b: &crate::site::Backlink) -> Value {
    let from = &site.pages[b.from];
    let context = from
        .rendered
        .links
        .get(b.link)
        .and_then(|l| l.text_at)
        .map(|at| crate::markdown::sentence_around(&from.rendered.text, at))
        .unwrap_or_default();
    map(vec![
        ("title", Value::from(from.title.as_str())),
        ("url", Value::from(site.url(&from.path))),
        ("section", section_link(site, from.section)),
        ("context", Value::from(context)),
    ])
}

/// Everything `section.html` and `index.html` see as `section`.
pub(crate) fn section_value(site: &Site, id: usize) -> Value {
    let s = &site.sections[id];
    let meta = s.doc.as_ref().map(|d| &d.meta);
    let description = meta.and_then(|m| m.description.clone()).or_else(|| {
        s.parent
            .is_none()
            .then(|| site.config.description_in(s.tree).to_string())
    });
    let mut ancestors: Vec<Value> = site
        .ancestry(id)
        .into_iter()
        .map(|a| section_link(site, a))
        .collect();
    ancestors.pop();
    let subsections: Vec<Value> = s
        .subsections
        .iter()
        .map(|&sub| {
            let ss = &site.sections[sub];
            map(vec![
                ("title", Value::from(ss.title.as_str())),
                ("url", Value::from(site.url(&ss.path))),
                (
                    "description",
                    opt_str(ss.doc.as_ref().and_then(|d| d.meta.description.clone())),
                ),
                ("pages_count", Value::from(ss.pages.len())),
            ])
        })
        .collect();
    map(vec![
        ("title", Value::from(s.title.as_str())),
        ("description", opt_str(description)),
        ("url", Value::from(site.url(&s.path))),
        ("permalink", Value::from(site.permalink(&s.path))),
        ("content", Value::from(s.rendered.html.as_str())),
        ("features", features_value(&s.rendered.features)),
        (
            "extra",
            meta.map_or_else(
                || Value::from(BTreeMap::<String, Value>::new()),
                |m| json(&m.extra),
            ),
        ),
        ("lang", Value::from(s.lang.code())),
        (
            "translations",
            translation_links(
                site,
                s.translations.iter().map(|&t| {
                    let o = &site.sections[t];
                    (o.tree, o.title.as_str(), o.path.as_str())
                }),
            ),
        ),
        ("ancestors", Value::from(ancestors)),
        ("pages_count", Value::from(s.pages.len())),
        ("subsections", Value::from(subsections)),
        (
            "edit_url",
            s.doc
                .as_ref()
                .map_or_else(Value::none, |d| edit_url(site, &d.rel_path)),
        ),
    ])
}

/// Where the source file `rel_path` (relative to `content/`) can be edited, from the
/// config's `edit_url`, or none. The path is percent-encoded where a URL cannot hold it as
/// it is (`Porady SEO/Łódź.md` -> `Porady%20SEO/%C5%81%C3%B3d%C5%BA.md`).
pub(crate) fn edit_url(site: &Site, rel_path: &str) -> Value {
    site.config
        .edit_url
        .as_ref()
        .map_or_else(Value::none, |url| {
            Value::from(url.replace("{path}", &crate::paths::url_path(rel_path)))
        })
}

/// One list page of a paginated list at `base` (output path).
pub(crate) fn paginator(
    site: &Site,
    base: &str,
    items: &[usize],
    summary: &dyn Fn(usize) -> Value,
    per_page: usize,
    index: usize,
) -> Value {
    let count = order::pager_count(items.len(), per_page);
    let (start, end) = if per_page == 0 {
        (0, items.len())
    } else {
        ((index - 1) * per_page, (index * per_page).min(items.len()))
    };
    // Only the items of this page are made: a list of thousands renders one page at a time.
    let shown: Vec<Value> = items[start.min(items.len())..end]
        .iter()
        .map(|&p| summary(p))
        .collect();
    let pager_url = |k: usize| Value::from(site.url(&order::pager_path(base, k)));
    let (previous, next) = neighbour_pagers(site, base, index, count);
    map(vec![
        ("pages", Value::from(shown)),
        ("current_index", Value::from(index)),
        ("number_pagers", Value::from(count)),
        ("paginate_by", Value::from(per_page)),
        ("total_pages", Value::from(items.len())),
        ("first", pager_url(1)),
        ("last", pager_url(count)),
        ("previous", previous),
        ("next", next),
    ])
}

/// The translated title of a taxonomy.
pub(crate) fn taxonomy_title(name: &str, lang: Language) -> String {
    match name {
        "tags" | "categories" => i18n::text(lang, name).to_string(),
        other => {
            let mut chars = other.replace(['-', '_'], " ").chars().collect::<Vec<_>>();
            if let Some(first) = chars.first_mut() {
                *first = first.to_ascii_uppercase();
            }
            chars.into_iter().collect()
        }
    }
}

/// `site`: configuration and navigation, the same for every page of `lang`'s part of the
/// site, with the data files as `site.data` when `data` is given (the site-wide fingerprint
/// is made without them: only the pages whose templates read them depend on them).
pub(crate) fn site_value(site: &Site, lang: Language, data: Option<&Value>) -> Value {
    let c = &site.config;
    let base_path = c.base_path();
    let menu: Vec<Value> = c
        .menu_in(lang)
        .iter()
        .map(|m| {
            let url = if m.url.contains("://")
                || m.url.starts_with("mailto:")
                || m.url.starts_with(base_path)
            {
                m.url.clone()
            } else {
                format!("{base_path}{}", m.url.trim_start_matches('/'))
            };
            map(vec![
                ("name", Value::from(m.name.as_str())),
                ("url", Value::from(url)),
                ("weight", Value::from(m.weight)),
            ])
        })
        .collect();
    let home = site.home(lang);
    let sections: Vec<Value> = site.sections[home]
        .subsections
        .iter()
        .map(|&id| {
            let s = &site.sections[id];
            // Not the number of articles: every page carries `site`, so a new article would
            // change every page of the site, which the preview renders again.
            map(vec![
                ("title", Value::from(s.title.as_str())),
                ("url", Value::from(site.url(&s.path))),
            ])
        })
        .collect();
    let taxonomies: Vec<Value> = site
        .taxonomies
        .iter()
        .filter(|t| t.lang == lang)
        .map(|t| {
            map(vec![
                ("name", Value::from(t.name.as_str())),
                ("title", Value::from(taxonomy_title(&t.name, lang))),
                ("url", Value::from(site.url(&t.path()))),
            ])
        })
        .collect();
    // Every language's home, for a language switcher; empty on a site of one language.
    let languages = if site.languages().len() > 1 {
        language_links(site, lang, std::iter::empty())
    } else {
        Value::from(Vec::<Value>::new())
    };
    let mut entries = vec![
        ("title", Value::from(c.title_in(lang))),
        ("description", Value::from(c.description_in(lang))),
        ("author", Value::from(c.author.as_str())),
        ("language", Value::from(c.language.code())),
        ("lang", Value::from(lang.code())),
        ("languages", languages),
        ("home_url", Value::from(site.url(&site.sections[home].path))),
        (
            "feed_url",
            Value::from(site.url(&site.feed_path_of(FeedOf::Site(lang), FeedFormat::Atom))),
        ),
        (
            "rss_url",
            Value::from(site.url(&site.feed_path_of(FeedOf::Site(lang), FeedFormat::Rss))),
        ),
        ("base_url", Value::from(c.base_url.as_str())),
        ("base_path", Value::from(base_path)),
        ("menu", Value::from(menu)),
        ("sections", Value::from(sections)),
        ("taxonomies", Value::from(taxonomies)),
        ("search", search_value(site, lang)),
        (
            "mermaid",
            site.mermaid
                .as_deref()
                .map_or_else(Value::none, |path| Value::from(site.url(path))),
        ),
        (
            "analytics",
            c.analytics.as_ref().map_or_else(Value::none, |a| {
                map(vec![
                    ("script", Value::from(a.script.trim())),
                    ("domain", opt_str(a.domain.clone())),
                    ("website_id", opt_str(a.website_id.clone())),
                ])
            }),
        ),
        ("extra", json(&c.extra)),
    ];
    if let Some(data) = data {
        entries.push(("data", data.clone()));
    }
    map(entries)
}

/// `languages`: a link to each language's version of a page in `tree`'s part of the site:
/// its translation among `versions` (language, output path), else that language's home page.
pub(crate) fn language_links<'a>(
    site: &Site,
    tree: Language,
    versions: impl Iterator<Item = (Language, &'a str)>,
) -> Value {
    let versions: Vec<(Language, &str)> = versions.collect();
    let links: Vec<Value> = site
        .languages()
        .iter()
        .map(|&l| {
            let version = versions.iter().find(|(v, _)| *v == l);
            let path = version.map_or(site.sections[site.home(l)].path.as_str(), |(_, p)| p);
            map(vec![
                ("code", Value::from(l.code())),
                ("name", Value::from(i18n::text(l, "language_name"))),
                ("url", Value::from(site.url(path))),
                ("current", Value::from(l == tree)),
                ("translated", Value::from(version.is_some())),
            ])
        })
        .collect();
    Value::from(links)
}

/// `site.search`: whether search is on, the search page, the index folder and the script the
/// header box loads when it is first focused.
fn search_value(site: &Site, lang: Language) -> Value {
    let dir = site.search_dir(lang);
    map(vec![
        ("enabled", Value::from(site.config.search)),
        ("url", Value::from(site.url(&dir))),
        ("index", Value::from(site.url(&dir))),
        ("script", Value::from(site.url("search.js"))),
    ])
}

/// The interface strings of `lang` as a map.
pub(crate) fn strings_value(lang: Language) -> Value {
    map(i18n::strings(lang)
        .iter()
        .map(|(k, v)| (*k, Value::from(*v)))
        .collect())
}
