//! Sites in two languages: each language's part of the site (its own home, section lists,
//! tag pages, feed and search index), translations linked with `hreflang`, and the
//! interface in the page's language.

use std::collections::BTreeSet;

use scraper::{Html, Selector};
use serde_json::Value;

use crate::fixture::{Site, main_of};

const CONFIG: &str = "title: Marketing małej firmy
base_url: https://example.org/kb/
description: Notatki o marketingu.
languages:
  en:
    title: Small business marketing
    description: Marketing notes.
";

fn bilingual_site() -> Site {
    Site::empty()
        .file("kbsite.yaml", CONFIG)
        .file("content/oferta/_index.md", "---\ntitle: Oferta\n---\n")
        .file("content/oferta/_index.en.md", "---\ntitle: Our offer\n---\n")
        .file(
            "content/oferta/cennik.md",
            "---\ntitle: Cennik usług\ndate: 2024-01-02\ndescription: Ceny.\ntags: [ceny]\n---\n\nNasze ceny usług dla małych firm i [inne usługi](inne.md).\n",
        )
        .file(
            "content/oferta/cennik.en.md",
            "---\ntitle: Price list\ndate: 2024-01-03\ndescription: Prices.\ntags: [prices]\n---\n\nOur prices for small businesses.\n",
        )
        .file(
            "content/oferta/inne.md",
            "---\ntitle: Inne usługi\ndate: 2024-01-01\ndescription: Inne.\ntags: [ceny]\n---\n\nProjektowanie ulotek i [cennik](cennik.md).\n",
        )
        .file("content/blog/_index.md", "---\ntitle: Blog\n---\n")
        .file(
            "content/blog/wpis.md",
            "---\ntitle: Wpis\ndate: 2024-02-01\ndescription: Wpis.\n---\n\nKrótki wpis o reklamie.\n",
        )
        .file("content/poradniki/_index.md", "---\ntitle: Poradniki\n---\n")
        .file(
            "content/poradniki/guide.md",
            "---\ntitle: English guide\nlang: en\ndate: 2024-02-02\ndescription: A guide.\n---\n\nA guide to newsletters.\n",
        )
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The addresses of the links in `<main>` of a built page.
fn main_links(site: &Site, rel: &str) -> BTreeSet<String> {
    let html = site.read(rel);
    let main = Html::parse_fragment(main_of(&html));
    main.select(&sel("a[href]"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

/// The titles of a feed's entries and its `xml:lang`.
fn feed(site: &Site, rel: &str) -> (String, Vec<String>) {
    let xml = site.read(rel);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut lang = String::new();
    let mut titles = Vec::new();
    let mut in_entry_title = false;
    let mut in_entry = false;
    loop {
        match reader.read_event().expect("the feed is XML") {
            quick_xml::events::Event::Start(e) => match e.name().as_ref() {
                b"feed" => {
                    let attr = e.try_get_attribute("xml:lang").unwrap().unwrap();
                    lang = String::from_utf8(attr.value.to_vec()).unwrap();
                }
                b"entry" => in_entry = true,
                b"title" => in_entry_title = in_entry,
                _ => {}
            },
            quick_xml::events::Event::Text(t) if in_entry_title => {
                titles.push(t.unescape().unwrap().to_string());
                in_entry_title = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    titles.sort();
    (lang, titles)
}

/// The source paths `kbsite search` finds for `query` in `lang`'s index.
fn found(site: &Site, query: &str, lang: Option<&str>) -> Vec<String> {
    let mut args = vec!["search", "--json", query];
    if let Some(lang) = lang {
        args.extend(["--lang", lang]);
    }
    let run = site.run(&args);
    run.assert_ok();
    match serde_json::from_str(&run.stdout) {
        Ok(Value::Array(hits)) => hits
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect(),
        other => panic!("not a JSON array: {other:?}"),
    }
}

#[test]
fn each_language_has_its_own_pages_lists_tags_feed_and_search() {
    let site = bilingual_site();
    site.build(&["-q"]);
    let files = site.tree("public");
    for rel in [
        "oferta/cennik/index.html",
        "en/oferta/cennik/index.html",
        "en/poradniki/guide/index.html",
        "en/index.html",
        "en/oferta/index.html",
        "en/poradniki/index.html",
        "en/tags/index.html",
        "en/tags/prices/index.html",
        "en/atom.xml",
        "en/search/index.html",
        "en/search/meta.json",
    ] {
        assert!(files.contains_key(rel), "{rel} is written");
    }
    // No English copy of a section without English articles, no Polish page for an English
    // tag, and a translation is not published under its file name.
    for rel in [
        "en/blog/index.html",
        "oferta/cennik-en/index.html",
        "poradniki/guide/index.html",
        "tags/prices/index.html",
        "en/tags/ceny/index.html",
    ] {
        assert!(!files.contains_key(rel), "{rel} is not written");
    }

    // Section lists and home pages hold their own language's articles only.
    let pl = main_links(&site, "oferta/index.html");
    assert!(pl.contains("/kb/oferta/cennik/") && pl.contains("/kb/oferta/inne/"));
    assert!(pl.iter().all(|l| !l.starts_with("/kb/en/")), "{pl:?}");
    let en = main_links(&site, "en/oferta/index.html");
    assert!(en.contains("/kb/en/oferta/cennik/"), "{en:?}");
    assert!(
        !en.iter()
            .any(|l| l == "/kb/oferta/cennik/" || l == "/kb/oferta/inne/"),
        "{en:?}"
    );
    let home = main_links(&site, "index.html");
    assert!(home.contains("/kb/blog/wpis/"), "{home:?}");
    assert!(home.iter().all(|l| !l.starts_with("/kb/en/")), "{home:?}");
    let en_home = main_links(&site, "en/index.html");
    assert!(en_home.contains("/kb/en/oferta/") && en_home.contains("/kb/en/poradniki/"));
    assert!(
        en_home.iter().all(|l| l.starts_with("/kb/en/")),
        "{en_home:?}"
    );

    // Tags: an English article's tags link to English tag pages.
    let page = site.read("en/oferta/cennik/index.html");
    assert!(page.contains("href=\"/kb/en/tags/prices/\""));
    let en_tags = main_links(&site, "en/tags/index.html");
    assert!(en_tags.contains("/kb/en/tags/prices/"), "{en_tags:?}");
    assert!(!en_tags.iter().any(|l| l.contains("ceny")), "{en_tags:?}");
    assert!(
        !main_links(&site, "tags/index.html")
            .iter()
            .any(|l| l.contains("prices"))
    );
    let ceny = main_links(&site, "tags/ceny/index.html");
    assert!(ceny.contains("/kb/oferta/cennik/") && ceny.contains("/kb/oferta/inne/"));

    // Feeds.
    assert_eq!(
        feed(&site, "atom.xml"),
        (
            "pl".to_string(),
            vec![
                "Cennik usług".to_string(),
                "Inne usługi".into(),
                "Wpis".into()
            ]
        )
    );
    assert_eq!(
        feed(&site, "en/atom.xml"),
        (
            "en".to_string(),
            vec!["English guide".to_string(), "Price list".into()]
        )
    );

    // Search: one index per language, queried as the browser does.
    assert_eq!(found(&site, "prices", Some("en")), ["oferta/cennik.en.md"]);
    assert_eq!(
        found(&site, "newsletter", Some("en")),
        ["poradniki/guide.md"]
    );
    assert!(found(&site, "prices", None).is_empty());
    assert!(found(&site, "newsletter", None).is_empty());
    assert_eq!(found(&site, "ceny uslug", None)[0], "oferta/cennik.md");
    assert!(found(&site, "ulotek", Some("en")).is_empty());
    let html = Html::parse_document(&page);
    let form = html.select(&sel("form.site-search")).next().unwrap();
    assert_eq!(form.value().attr("data-index"), Some("/kb/en/search/"));
    assert_eq!(form.value().attr("action"), Some("/kb/en/search/"));
    let run = site.run(&["search", "--lang", "de", "x"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("unknown language `de`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_interface_follows_the_language_of_each_part() {
    let site = bilingual_site();
    site.build(&["-q"]);
    for (rel, lang, skip, site_title, feed) in [
        (
            "en/oferta/cennik/index.html",
            "en",
            "Skip to content",
            "Small business marketing",
            "/kb/en/atom.xml",
        ),
        (
            "en/search/index.html",
            "en",
            "Skip to content",
            "Small business marketing",
            "/kb/en/atom.xml",
        ),
        (
            "en/tags/prices/index.html",
            "en",
            "Skip to content",
            "Small business marketing",
            "/kb/en/atom.xml",
        ),
        (
            "oferta/cennik/index.html",
            "pl",
            "Przejdź do treści",
            "Marketing małej firmy",
            "/kb/atom.xml",
        ),
        (
            "search/index.html",
            "pl",
            "Przejdź do treści",
            "Marketing małej firmy",
            "/kb/atom.xml",
        ),
    ] {
        let html = Html::parse_document(&site.read(rel));
        let root = html.root_element();
        assert_eq!(root.value().attr("lang"), Some(lang), "{rel}");
        let text = |css: &str| {
            html.select(&sel(css))
                .next()
                .unwrap_or_else(|| panic!("{css} in {rel}"))
                .text()
                .collect::<String>()
        };
        assert_eq!(text("a.skip-link"), skip, "{rel}");
        assert_eq!(text("a.site-title"), site_title, "{rel}");
        let home = if lang == "en" { "/kb/en/" } else { "/kb/" };
        let title = html.select(&sel("a.site-title")).next().unwrap();
        assert_eq!(title.value().attr("href"), Some(home), "{rel}");
        let feed_link = html.select(&sel("a.feed-link")).next().unwrap();
        assert_eq!(feed_link.value().attr("href"), Some(feed), "{rel}");
    }
    // The header lists the sections of the page's language.
    let header_links = |rel: &str| -> Vec<String> {
        let html = Html::parse_document(&site.read(rel));
        html.select(&sel(".site-nav a"))
            .map(|a| a.text().collect())
            .collect()
    };
    assert_eq!(
        header_links("en/oferta/cennik/index.html"),
        ["Our offer", "Poradniki"]
    );
    assert_eq!(
        header_links("oferta/cennik/index.html"),
        ["Blog", "Oferta", "Poradniki"]
    );
}

#[test]
fn sections_are_translated_by_their_index_files() {
    let site = bilingual_site();
    site.build(&["-q"]);
    let title = |rel: &str| {
        let html = Html::parse_document(&site.read(rel));
        let h1 = html.select(&sel("main h1")).next().unwrap();
        h1.text().collect::<String>().trim().to_string()
    };
    assert_eq!(title("en/oferta/index.html"), "Our offer");
    assert_eq!(title("oferta/index.html"), "Oferta");
    // Until it is translated, a section shows its Polish title in the English part.
    assert_eq!(title("en/poradniki/index.html"), "Poradniki");
    let hreflangs = |rel: &str| {
        let html = Html::parse_document(&site.read(rel));
        html.select(&sel("link[rel=alternate][hreflang]"))
            .map(|l| {
                (
                    l.value().attr("hreflang").unwrap().to_string(),
                    l.value().attr("href").unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let both = vec![
        (
            "en".to_string(),
            "https://example.org/kb/en/oferta/".to_string(),
        ),
        ("pl".into(), "https://example.org/kb/oferta/".into()),
        ("x-default".into(), "https://example.org/kb/oferta/".into()),
    ];
    assert_eq!(hreflangs("oferta/index.html"), both);
    assert_eq!(hreflangs("en/oferta/index.html"), both);
    // Home pages link each other; the English one is named in its own language.
    assert_eq!(hreflangs("en/index.html").len(), 3);
    let en_home = Html::parse_document(&site.read("en/index.html"));
    let head_title: String = en_home
        .select(&sel("title"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(head_title, "Small business marketing");
    assert!(hreflangs("blog/index.html").is_empty());
}

#[test]
fn a_translated_page_and_its_hreflang_links() {
    let site = bilingual_site();
    site.build(&["-q"]);
    let html = site.read("en/oferta/cennik/index.html");
    let doc = Html::parse_document(&html);
    let mut shown: Vec<String> = doc
        .select(&sel("html"))
        .map(|h| format!("<html lang=\"{}\">", h.value().attr("lang").unwrap()))
        .collect();
    for css in [
        "link[rel=alternate][hreflang]",
        "meta[property^='og:locale']",
        "nav.lang-switch",
        ".article__meta a[hreflang]",
    ] {
        shown.extend(doc.select(&sel(css)).map(|e| e.html()));
    }
    insta::assert_snapshot!(shown.join("\n"));
    // The Polish version links back.
    let pl = Html::parse_document(&site.read("oferta/cennik/index.html"));
    let switch: Vec<(String, Option<String>)> = pl
        .select(&sel("nav.lang-switch li > *"))
        .map(|e| {
            (
                e.text().collect(),
                e.value().attr("href").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        switch,
        [
            ("Polski".to_string(), None),
            (
                "English".to_string(),
                Some("/kb/en/oferta/cennik/".to_string())
            )
        ]
    );
    // A page without a translation offers the other language's home page.
    let other = Html::parse_document(&site.read("blog/wpis/index.html"));
    let to_en = other
        .select(&sel("nav.lang-switch a[hreflang=en]"))
        .next()
        .unwrap();
    assert_eq!(to_en.value().attr("href"), Some("/kb/en/"));
    assert_eq!(to_en.value().attr("rel"), None);
}

#[test]
fn one_language_sites_have_no_language_switcher() {
    let site = Site::empty()
        .file("kbsite.yaml", "title: KB\nbase_url: https://example.org/\n")
        .file(
            "content/a.md",
            "---\ntitle: A\ndate: 2024-01-01\n---\n\nTekst.\n",
        );
    site.build(&["-q"]);
    let files = site.tree("public");
    assert!(!site.read("a/index.html").contains("lang-switch"));
    assert!(
        !files.keys().any(|k| k.starts_with("en/")),
        "{:?}",
        files.keys()
    );
}

#[test]
fn two_section_files_of_one_language_are_an_error() {
    let site = bilingual_site().file("content/oferta/_index.pl.md", "---\ntitle: Oferta 2\n---\n");
    let (run, diags) = site.diagnose(&["build"]);
    assert_ne!(run.code, 0);
    let diag = diags
        .iter()
        .find(|d| d.code == "duplicate-url")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert!(diag.message.contains("_index.md") && diag.message.contains("_index.pl.md"));
    assert!(
        diag.file.as_deref() == Some("content/oferta/_index.pl.md"),
        "{diag:?}"
    );
    assert!(
        run.stderr.contains("one section file per language"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public").exists(), "nothing is written");
}

#[test]
fn an_unknown_language_in_the_config_is_an_error_at_its_line() {
    let site = bilingual_site().file(
        "kbsite.yaml",
        "title: KB\nbase_url: https://example.org/\nlanguages:\n  de:\n    title: Wissen\n",
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(2);
    crate::fixture::assert_has(&diags, "config-value", "kbsite.yaml", 3, 1);
    assert!(
        run.stderr.contains("unknown language `de`"),
        "{}",
        run.stderr
    );
}

#[test]
fn related_articles_are_in_the_reader_s_language() {
    let body = "Newsletter marketing: newsletter subscribers, newsletter campaigns and marketing automation.";
    let page = |title: &str, extra: &str| {
        format!("---\ntitle: {title}\ndate: 2024-01-01\ntags: [newsletter]\n{extra}---\n\n{body}\n")
    };
    let site = Site::empty()
        .file("kbsite.yaml", CONFIG)
        .file("content/a.md", &page("Pierwszy", ""))
        .file("content/b.md", &page("Drugi", ""))
        .file("content/c.md", &page("English one", "lang: en\n"))
        .file("content/d.md", &page("English two", "lang: en\n"));
    site.build(&["-q"]);
    let related = |rel: &str| {
        let html = Html::parse_document(&site.read(rel));
        html.select(&sel(".related__list a"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(related("a/index.html"), ["/kb/b/"]);
    assert_eq!(related("en/c/index.html"), ["/kb/en/d/"]);
}

#[test]
fn wiki_links_name_the_page_in_the_linking_page_s_language() {
    let site = bilingual_site()
        .file(
            "content/blog/wpis.md",
            "---\ntitle: Wpis\ndate: 2024-02-01\ndescription: Wpis.\n---\n\nZobacz [[cennik]] i [[English guide]].\n",
        )
        .file(
            "content/poradniki/guide.md",
            "---\ntitle: English guide\nlang: en\ndate: 2024-02-02\ndescription: A guide.\n---\n\nA guide to newsletters; see the [[cennik]].\n",
        );
    site.build(&["-q"]);
    let links = |rel: &str| main_links(&site, rel);
    // `cennik` is a name of both versions: each language links to its own.
    let pl = links("blog/wpis/index.html");
    assert!(pl.contains("/kb/oferta/cennik/"), "{pl:?}");
    assert!(!pl.contains("/kb/en/oferta/cennik/"), "{pl:?}");
    // A name only the other language has still resolves.
    assert!(pl.contains("/kb/en/poradniki/guide/"), "{pl:?}");
    let en = links("en/poradniki/guide/index.html");
    assert!(en.contains("/kb/en/oferta/cennik/"), "{en:?}");
}

#[test]
fn the_other_language_s_home_and_crumbs_are_its_own() {
    let site = bilingual_site().file(
        "content/_index.md",
        "---\ntitle: Marketing dla firm\n---\n\nWitaj.\n",
    );
    site.build(&["-q"]);
    let html = Html::parse_document(&site.read("en/index.html"));
    let text = |css: &str| {
        html.select(&sel(css))
            .next()
            .unwrap_or_else(|| panic!("{css}"))
            .text()
            .collect::<String>()
            .trim()
            .to_string()
    };
    // Without `_index.en.md`, the English home is named by `languages.en.title`.
    assert_eq!(text("title"), "Small business marketing");
    assert!(!site.read("en/index.html").contains("Marketing dla firm"));
    // Breadcrumbs of English pages start at the English home, called "Home".
    for rel in ["en/oferta/cennik/index.html", "en/tags/prices/index.html"] {
        let page = Html::parse_document(&site.read(rel));
        let first = page
            .select(&sel("nav.breadcrumbs a"))
            .next()
            .unwrap_or_else(|| panic!("crumbs in {rel}"));
        assert_eq!(first.value().attr("href"), Some("/kb/en/"), "{rel}");
        assert_eq!(first.text().collect::<String>(), "Home", "{rel}");
    }
}
