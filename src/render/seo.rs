//! `seo`: everything a page's `<head>` tells search engines and social networks, worked out
//! here once so the default theme and custom templates print the same correct values with one
//! include (`partials/seo.html`): the title, description, canonical URL, robots rule, Open
//! Graph and X card tags, alternate feeds and JSON-LD structured data.

use serde_json::json;
use tera::Value;

use crate::config::Language;
use crate::render::context::{map, taxonomy_title};
use crate::render::i18n;
use crate::site::Site;

/// The longest description search engines show; longer ones are cut at a word before it.
pub const DESCRIPTION_MAX: usize = 160;

/// Which page a head is for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum HeadOf {
    /// An article.
    Page(usize),
    /// A section's list page `k` (1-based); a section without a parent is a home page.
    Section(usize, usize),
    /// The list of a taxonomy's terms.
    TaxonomyList(usize),
    /// A term's list page `k`.
    Term(usize, usize, usize),
    /// List page `k` of the articles linking to an article.
    Backlinks(usize, usize),
    /// The search page of a language.
    Search(Language),
    /// The "not found" page.
    NotFound,
}

/// The social picture of a page: where it is and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SocialImage {
    /// The absolute URL.
    pub url: String,
    /// Pixel size, when known.
    pub size: Option<(u32, u32)>,
    /// What it shows.
    pub alt: String,
}

/// Cuts `text` (whitespace collapsed) to at most `max` characters at a word boundary, with `…`
/// when something was left out.
pub fn cut_at_word(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= max {
        return whole;
    }
    let mut out = String::new();
    for word in words {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        // One place is kept for the ellipsis.
        if out.chars().count() + extra + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // A single word longer than the limit is cut inside.
        out = whole.chars().take(max.saturating_sub(1)).collect();
    }
    let trimmed = out.trim_end_matches([',', ';', ':', '-', '–', '—']);
    format!("{trimmed}…")
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are written as `\u`
/// escapes, so no title (not even one containing `</script>`) can end the script early, and the
/// JSON still parses to the same text.
pub fn script_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn locale(lang: Language) -> &'static str {
    match lang {
        Language::Pl => "pl_PL",
        Language::En => "en_US",
    }
}

fn bcp47(lang: Language) -> &'static str {
    match lang {
        Language::Pl => "pl-PL",
        Language::En => "en-US",
    }
}

/// The page title the pattern makes: `{title}` and `{site}` (in `tree`'s language) replaced.
fn titled(site: &Site, tree: Language, title: &str) -> String {
    site.config
        .seo
        .title_pattern
        .replace("{site}", site.config.title_in(tree))
        .replace("{title}", title)
}

/// The `hreflang` links of a page whose versions are `versions` (language, output path; the
/// page itself among them), and the `og:locale:alternate` values of the others: every version
/// lists all versions, and names the one in the site's language as the default for readers
/// of other languages.
fn alternates_of(
    site: &Site,
    mut versions: Vec<(Language, &str)>,
    own: Language,
) -> (Vec<Value>, Vec<Value>) {
    let mut alternates = Vec::new();
    let mut locales = Vec::new();
    if versions.len() < 2 {
        return (alternates, locales);
    }
    versions.sort_by_key(|(lang, path)| (lang.code(), *path));
    for &(lang, path) in &versions {
        alternates.push(map(vec![
            ("hreflang", Value::from(lang.code())),
            ("href", Value::from(site.permalink(path))),
        ]));
        if lang != own {
            locales.push(Value::from(locale(lang)));
        }
    }
    if let Some((_, path)) = versions.iter().find(|(l, _)| *l == site.config.language) {
        alternates.push(map(vec![
            ("hreflang", Value::from("x-default")),
            ("href", Value::from(site.permalink(path))),
        ]));
    }
    (alternates, locales)
}

fn with_page_number(title: String, lang: Language, k: usize) -> String {
    if k > 1 {
        format!("{title} – {} {k}", i18n::text(lang, "page_n"))
    } else {
        title
    }
}

fn publisher(site: &Site) -> serde_json::Value {
    let c = &site.config;
    let name = if c.seo.publisher.trim().is_empty() {
        &c.title
    } else {
        &c.seo.publisher
    };
    let mut org = json!({"@type": "Organization", "name": name, "url": c.base_url});
    if let Some(logo) = &site.logo {
        org["logo"] = json!({"@type": "ImageObject", "url": site.image_url(logo)});
    }
    org
}

/// `BreadcrumbList` of `(name, permalink)` steps, the home page first.
fn breadcrumbs(steps: &[(String, String)]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = steps
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    json!({"@type": "BreadcrumbList", "itemListElement": items})
}

/// The breadcrumb steps down to section `id` (its language's home first).
fn section_steps(site: &Site, id: usize, lang: Language) -> Vec<(String, String)> {
    let chain = site.ancestry(id);
    let mut steps = vec![(
        i18n::text(lang, "home").to_string(),
        site.permalink(&site.sections[chain[0]].path),
    )];
    for s in chain.into_iter().skip(1) {
        let section = &site.sections[s];
        steps.push((section.title.clone(), site.permalink(&section.path)));
    }
    steps
}

/// Everything one head needs beyond the kind of page.
pub(crate) struct HeadInput<'a> {
    /// The site.
    pub site: &'a Site,
    /// The page's output path.
    pub path: &'a str,
    /// The page's language.
    pub lang: Language,
    /// The article's own picture or social card (articles only).
    pub image: Option<SocialImage>,
}

/// The `seo` value of one page.
pub(crate) fn seo_value(head: HeadOf, input: HeadInput<'_>) -> Value {
    let HeadInput {
        site,
        path,
        lang,
        image,
    } = input;
    let c = &site.config;
    let canonical = site.permalink(path);
    // The language whose part of the site the page is in: its site name and description.
    let tree = match head {
        HeadOf::Page(id) | HeadOf::Backlinks(id, _) => site.pages[id].lang,
        HeadOf::Section(id, _) => site.sections[id].tree,
        HeadOf::TaxonomyList(t) | HeadOf::Term(t, _, _) => site.taxonomies[t].lang,
        HeadOf::Search(lang) => lang,
        HeadOf::NotFound => c.language,
    };
    let site_title = c.title_in(tree).to_string();
    let home_url = site.permalink(&site.sections[site.home(tree)].path);
    let site_description = c.description_in(tree).trim().to_string();
    let mut og_type = "website";
    let noindex: bool;
    let mut article: Vec<(&'static str, Value)> = Vec::new();
    let mut graph: Vec<serde_json::Value> = Vec::new();
    let mut alternates: Vec<Value> = Vec::new();
    let mut alternate_locales: Vec<Value> = Vec::new();
    let (title, short_title, description) = match head {
        HeadOf::Page(id) => {
            let p = &site.pages[id];
            let m = &p.doc.meta;
            og_type = "article";
            noindex = m.noindex;
            let description = m
                .description
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .or(m.summary.as_deref().filter(|s| !s.trim().is_empty()))
                .or(p.rendered.summary_text.as_deref().filter(|s| !s.is_empty()))
                .map_or_else(
                    || cut_at_word(&p.rendered.text, DESCRIPTION_MAX),
                    |d| cut_at_word(d, DESCRIPTION_MAX),
                );
            let published = m.date.map(|d| d.rfc3339());
            let modified = m.updated.or(m.date).map(|d| d.rfc3339());
            let tags: Vec<String> = m
                .taxonomies
                .get("tags")
                .into_iter()
                .flatten()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            let section = site.sections[p.section]
                .parent
                .is_some()
                .then(|| site.sections[p.section].title.clone());
            article.push((
                "published_time",
                published.clone().map_or_else(Value::none, Value::from),
            ));
            article.push((
                "modified_time",
                m.updated
                    .map(|d| d.rfc3339())
                    .map_or_else(Value::none, Value::from),
            ));
            article.push(("tags", Value::from(tags.clone())));
            article.push((
                "section",
                section.clone().map_or_else(Value::none, Value::from),
            ));
            let authors: Vec<serde_json::Value> = if m.authors.is_empty() {
                if c.author.trim().is_empty() {
                    vec![publisher(site)]
                } else {
                    vec![json!({"@type": "Person", "name": c.author})]
                }
            } else {
                m.authors
                    .iter()
                    .map(|a| json!({"@type": "Person", "name": a}))
                    .collect()
            };
            let mut ld = json!({
                "@type": "Article",
                "headline": p.title,
                "description": description,
                "url": canonical,
                "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
                "inLanguage": bcp47(p.lang),
                "author": authors,
                "publisher": publisher(site),
            });
            if let Some(d) = &published {
                ld["datePublished"] = json!(d);
            }
            if let Some(d) = &modified {
                ld["dateModified"] = json!(d);
            }
            if let Some(img) = &image {
                ld["image"] = json!([img.url]);
            }
            if !tags.is_empty() {
                ld["keywords"] = json!(tags.join(", "));
            }
            if let Some(s) = &section {
                ld["articleSection"] = json!(s);
            }
            graph.push(ld);
            let versions = std::iter::once(id)
                .chain(p.translations.iter().copied())
                .map(|v| (site.pages[v].lang, site.pages[v].path.as_str()))
                .collect();
            (alternates, alternate_locales) = alternates_of(site, versions, p.lang);
            let mut steps = section_steps(site, p.section, p.lang);
            steps.push((p.title.clone(), canonical.clone()));
            graph.push(breadcrumbs(&steps));
            (titled(site, tree, &p.title), p.title.clone(), description)
        }
        HeadOf::Section(id, k) => {
            let s = &site.sections[id];
            let meta = s.doc.as_ref().map(|d| &d.meta);
            noindex = k > 1 || meta.is_some_and(|m| m.noindex);
            let description = meta
                .and_then(|m| m.description.clone())
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| site_description.clone());
            let description = cut_at_word(&description, DESCRIPTION_MAX);
            let versions = std::iter::once(id)
                .chain(s.translations.iter().copied())
                .map(|v| (site.sections[v].tree, site.sections[v].path.as_str()))
                .collect();
            (alternates, alternate_locales) = alternates_of(site, versions, s.tree);
            if s.parent.is_none() {
                let mut website = json!({
                    "@type": "WebSite",
                    "name": site_title,
                    "url": home_url,
                    "inLanguage": bcp47(lang),
                    "publisher": publisher(site),
                });
                if !site_description.is_empty() {
                    website["description"] = json!(site_description);
                }
                if c.search {
                    website["potentialAction"] = json!({
                        "@type": "SearchAction",
                        "target": {
                            "@type": "EntryPoint",
                            "urlTemplate": format!("{}?q={{search_term_string}}", site.permalink(&site.search_dir(tree))),
                        },
                        "query-input": "required name=search_term_string",
                    });
                }
                graph.push(website);
                let title = if s.title.is_empty() || s.title == site_title {
                    site_title.clone()
                } else {
                    titled(site, tree, &s.title)
                };
                let title = if k > 1 {
                    with_page_number(site_title.clone(), lang, k)
                } else {
                    title
                };
                (title, site_title.clone(), description)
            } else {
                graph.push(json!({
                    "@type": "CollectionPage",
                    "name": s.title,
                    "url": canonical,
                    "inLanguage": bcp47(lang),
                }));
                graph.push(breadcrumbs(&section_steps(site, id, lang)));
                (
                    titled(site, tree, &with_page_number(s.title.clone(), lang, k)),
                    s.title.clone(),
                    description,
                )
            }
        }
        HeadOf::TaxonomyList(t) => {
            noindex = true;
            let tax = &site.taxonomies[t];
            let name = taxonomy_title(&tax.name, lang);
            graph.push(breadcrumbs(&[
                (i18n::text(lang, "home").to_string(), home_url.clone()),
                (name.clone(), site.permalink(&tax.path())),
            ]));
            (titled(site, tree, &name), name, site_description.clone())
        }
        HeadOf::Term(t, term, k) => {
            noindex = true;
            let tax = &site.taxonomies[t];
            let term = &tax.terms[term];
            let tax_name = taxonomy_title(&tax.name, lang);
            let name = format!("{} – {tax_name}", term.name);
            graph.push(breadcrumbs(&[
                (i18n::text(lang, "home").to_string(), home_url.clone()),
                (tax_name, site.permalink(&tax.path())),
                (term.name.clone(), site.permalink(&tax.term_path(term))),
            ]));
            (
                titled(site, tree, &with_page_number(name.clone(), lang, k)),
                name,
                site_description.clone(),
            )
        }
        HeadOf::Backlinks(id, k) => {
            noindex = true;
            let p = &site.pages[id];
            let name = format!("{}: {}", i18n::text(lang, "backlinks"), p.title);
            graph.push(breadcrumbs(&[
                (i18n::text(lang, "home").to_string(), home_url.clone()),
                (p.title.clone(), site.permalink(&p.path)),
            ]));
            (
                titled(site, tree, &with_page_number(name.clone(), lang, k)),
                name,
                site_description.clone(),
            )
        }
        HeadOf::Search(_) => {
            noindex = true;
            let name = i18n::text(lang, "search_title").to_string();
            (titled(site, tree, &name), name, site_description.clone())
        }
        HeadOf::NotFound => {
            noindex = true;
            let name = i18n::text(lang, "not_found_title").to_string();
            (titled(site, tree, &name), name, String::new())
        }
    };
    // A page's own picture (or card) is shown large; the logo that stands in for it is small.
    let large_image = image.is_some();
    let image = image.or_else(|| {
        site.logo.as_ref().map(|logo| SocialImage {
            url: site.image_url(logo),
            size: logo.size,
            alt: site_title.clone(),
        })
    });
    let image_value = image.as_ref().map_or_else(Value::none, |img| {
        map(vec![
            ("url", Value::from(img.url.as_str())),
            (
                "width",
                img.size.map_or_else(Value::none, |(w, _)| Value::from(w)),
            ),
            (
                "height",
                img.size.map_or_else(Value::none, |(_, h)| Value::from(h)),
            ),
            ("alt", Value::from(img.alt.as_str())),
        ])
    });
    let feeds = vec![map(vec![
        ("type", Value::from("application/atom+xml")),
        (
            "title",
            Value::from(format!("{site_title} – {}", i18n::text(lang, "feed"))),
        ),
        ("href", Value::from(site.permalink(&site.feed_path(tree)))),
    ])];
    let json_ld = if graph.is_empty() {
        Value::none()
    } else {
        Value::from(script_json(
            &json!({"@context": "https://schema.org", "@graph": graph}),
        ))
    };
    map(vec![
        ("title", Value::from(title)),
        ("og_title", Value::from(short_title)),
        ("description", Value::from(description)),
        ("canonical", Value::from(canonical)),
        (
            "robots",
            Value::from(if noindex {
                "noindex, follow"
            } else {
                "index, follow, max-image-preview:large"
            }),
        ),
        ("noindex", Value::from(noindex)),
        ("og_type", Value::from(og_type)),
        ("locale", Value::from(locale(lang))),
        ("site_name", Value::from(site_title.as_str())),
        ("image", image_value),
        (
            "twitter_card",
            Value::from(if large_image {
                "summary_large_image"
            } else {
                "summary"
            }),
        ),
        (
            "twitter_site",
            c.seo
                .twitter
                .as_deref()
                .map_or_else(Value::none, Value::from),
        ),
        (
            "article",
            if article.is_empty() {
                Value::none()
            } else {
                map(article)
            },
        ),
        ("alternates", Value::from(alternates)),
        ("alternate_locales", Value::from(alternate_locales)),
        ("feeds", Value::from(feeds)),
        ("json_ld", json_ld),
    ])
}

/// Whether a page is kept out of search engines, and so out of the sitemap.
pub(crate) fn page_noindex(site: &Site, id: usize) -> bool {
    site.pages[id].doc.meta.noindex
}

/// Whether a section's first list page is kept out of search engines.
pub(crate) fn section_noindex(site: &Site, id: usize) -> bool {
    site.sections[id]
        .doc
        .as_ref()
        .is_some_and(|d| d.meta.noindex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_cut_at_a_word_under_the_limit() {
        let text = "Media społecznościowe pomagają małym firmom dotrzeć do klientów. ".repeat(5);
        let cut = cut_at_word(&text, DESCRIPTION_MAX);
        assert!(cut.chars().count() <= DESCRIPTION_MAX, "{cut}");
        assert!(cut.ends_with('…'));
        let kept = cut.trim_end_matches('…');
        assert!(text.starts_with(kept), "cut inside a word: {kept}");
        assert!(text[kept.len()..].starts_with(' '));
        assert_eq!(cut_at_word("  krótki\n opis ", 160), "krótki opis");
        assert_eq!(cut_at_word(&"ż".repeat(200), 10).chars().count(), 10);
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"headline": "A </script><script>alert(1)</script> & \"q\" \u{2028}"});
        let text = script_json(&v);
        assert!(!text.contains("</"), "{text}");
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
