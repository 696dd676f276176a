//! What search engines and social networks read: the `<head>` of each kind of page (parsed as
//! HTML, never matched with patterns), JSON-LD, the sitemap, robots.txt and social cards.

use std::collections::BTreeMap;

use scraper::{Html, Selector};
use serde_json::Value;

use crate::fixture::{Site, png};

/// A title that breaks naive templates: quotes, `<`, `&` and a closing script tag.
const HOSTILE_TITLE: &str = r#"Cytat "x" <b>&</b> </script><script>alert(1)</script> ł"#;

const CONFIG: &str = r#"title: "Baza & <wiedza>"
base_url: "https://example.org/kb/"
language: pl
description: "Opis całej bazy wiedzy."
author: "Zespół"
paginate_by: 1
seo:
  publisher: "Firma Sp. z o.o."
  logo: /logo.png
  twitter: "@firma"
"#;

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn seo_site() -> Site {
    let site = Site::empty()
        .file("kbsite.yaml", CONFIG)
        .file(
            "content/poradniki/_index.md",
            "---\ntitle: Poradniki\ndescription: Praktyczne poradniki.\n---\n",
        )
        .file(
            "content/poradniki/trudny.md",
            &format!(
                "---\ntitle: {}\ndescription: {}\ndate: 2024-03-01\nupdated: 2024-05-02T10:00:00+02:00\ntags: [SEO, Social media]\nauthors: [Anna Nowak]\n---\n\nTreść artykułu o [okładce](z-obrazem.md).\n",
                yaml_string(HOSTILE_TITLE),
                yaml_string(r#"Opis z "cudzysłowem" & <tagiem> </script>"#)
            ),
        )
        .file(
            "content/poradniki/z-obrazem.md",
            "---\ntitle: Z obrazem\ndescription: Ma własną okładkę.\ndate: 2024-02-01\nimage: okładka poradnika.png\nimage_alt: Okładka poradnika\n---\n\nTekst.\n",
        )
        .file(
            "content/poradniki/bez-opisu.md",
            &format!(
                "---\ntitle: Bez opisu\ndate: 2024-01-01\n---\n\n{}\n",
                "Media społecznościowe pomagają małym firmom rozmawiać z klientami każdego dnia. "
                    .repeat(6)
            ),
        )
        .file(
            "content/poradniki/z-naglowkiem.md",
            "---\ntitle: Z nagłówkiem\ndate: 2024-01-02\n---\n\n## Wprowadzenie\n\nPierwszy *krótki* akapit\nw dwóch liniach.\n\nDrugi akapit.\n",
        )
        .file(
            "content/ukryty.md",
            "---\ntitle: Ukryty\ndate: 2024-01-05\nnoindex: true\n---\n\nTylko dla klientów.\n",
        )
        .file(
            "content/english.md",
            "---\ntitle: In English\nlang: en\ndate: 2024-01-06\ndescription: An English page.\n---\n\nText.\n",
        );
    std::fs::write(
        site.path().join("content/poradniki/okładka poradnika.png"),
        png(800, 420),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/logo.png"), png(512, 512)).unwrap();
    site
}

/// The `<head>` of a built page, as name/property -> every content value.
struct Head {
    html: Html,
    raw: String,
}

impl Head {
    fn of(site: &Site, rel: &str) -> Head {
        let raw = site.read(rel);
        Head {
            html: Html::parse_document(&raw),
            raw,
        }
    }

    fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap();
        self.html.select(&selector).collect()
    }

    fn title(&self) -> String {
        let titles = self.select("head > title");
        assert_eq!(titles.len(), 1, "one <title>");
        titles[0].text().collect()
    }

    /// Every `content` of `<meta name=key>` or `<meta property=key>`.
    fn metas(&self, key: &str) -> Vec<String> {
        self.select(&format!(
            r#"head meta[name="{key}"], head meta[property="{key}"]"#
        ))
        .iter()
        .filter_map(|m| m.value().attr("content").map(str::to_string))
        .collect()
    }

    #[track_caller]
    fn meta(&self, key: &str) -> String {
        let all = self.metas(key);
        assert_eq!(all.len(), 1, "{key}: {all:?}");
        all[0].clone()
    }

    fn link(&self, rel: &str) -> Vec<BTreeMap<String, String>> {
        self.select(&format!(r#"head link[rel="{rel}"]"#))
            .iter()
            .map(|l| {
                l.value()
                    .attrs()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    }

    fn canonical(&self) -> String {
        let links = self.link("canonical");
        assert_eq!(links.len(), 1);
        links[0]["href"].clone()
    }

    /// The JSON-LD graph, parsed.
    fn json_ld(&self) -> Vec<Value> {
        let scripts = self.select(r#"script[type="application/ld+json"]"#);
        assert_eq!(scripts.len(), 1, "one JSON-LD script");
        let text: String = scripts[0].text().collect();
        let value: Value = serde_json::from_str(&text).expect("JSON-LD parses");
        assert_eq!(value["@context"], "https://schema.org");
        value["@graph"].as_array().expect("a @graph").clone()
    }
}

fn of_type<'a>(graph: &'a [Value], kind: &str) -> &'a Value {
    graph
        .iter()
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {graph:#?}"))
}

fn crumbs(graph: &[Value]) -> Vec<(String, String)> {
    let list = of_type(graph, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .clone();
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            assert_eq!(item["position"], i + 1);
            (
                item["name"].as_str().unwrap().to_string(),
                item["item"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_article_head_has_every_tag_escaped() {
    let site = seo_site();
    site.build(&["-q"]);
    let head = Head::of(&site, "poradniki/trudny/index.html");
    // Escaping: the hostile text never becomes markup, yet reads back exactly.
    assert!(!head.raw.contains("<script>alert(1)"), "title broke out");
    assert!(!head.raw.contains("<b>&</b>"));
    assert_eq!(head.title(), format!("{HOSTILE_TITLE} · Baza & <wiedza>"));
    let description = r#"Opis z "cudzysłowem" & <tagiem> </script>"#;
    assert_eq!(head.meta("description"), description);
    let url = "https://example.org/kb/poradniki/trudny/";
    assert_eq!(head.canonical(), url);
    assert_eq!(
        head.meta("robots"),
        "index, follow, max-image-preview:large"
    );
    // Open Graph.
    assert_eq!(head.meta("og:type"), "article");
    assert_eq!(head.meta("og:title"), HOSTILE_TITLE);
    assert_eq!(head.meta("og:description"), description);
    assert_eq!(head.meta("og:url"), url);
    assert_eq!(head.meta("og:locale"), "pl_PL");
    assert_eq!(head.meta("og:site_name"), "Baza & <wiedza>");
    let image = head.meta("og:image");
    let card = image
        .strip_prefix("https://example.org/kb/social/")
        .and_then(|n| n.strip_suffix(".png"))
        .unwrap_or_else(|| panic!("not a card URL: {image}"));
    assert!(card.len() == 32 && card.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(head.meta("og:image:width"), "1200");
    assert_eq!(head.meta("og:image:height"), "630");
    assert_eq!(head.meta("og:image:alt"), HOSTILE_TITLE);
    assert_eq!(head.meta("article:published_time"), "2024-03-01T00:00:00Z");
    assert_eq!(
        head.meta("article:modified_time"),
        "2024-05-02T10:00:00+02:00"
    );
    assert_eq!(head.metas("article:tag"), ["SEO", "Social media"]);
    assert_eq!(head.meta("article:section"), "Poradniki");
    // X card.
    assert_eq!(head.meta("twitter:card"), "summary_large_image");
    assert_eq!(head.meta("twitter:site"), "@firma");
    // X falls back to Open Graph for the title, description and picture, so only the
    // picture's alt text is repeated for it.
    assert!(head.metas("twitter:title").is_empty());
    assert!(head.metas("twitter:image").is_empty());
    assert_eq!(head.meta("twitter:image:alt"), HOSTILE_TITLE);
    // Feed autodiscovery, absolute.
    let feeds = head.link("alternate");
    assert!(
        feeds.iter().any(|l| l["type"] == "application/atom+xml"
            && l["href"] == "https://example.org/kb/atom.xml"),
        "{feeds:?}"
    );
    // JSON-LD.
    let graph = head.json_ld();
    let article = of_type(&graph, "Article");
    assert_eq!(article["headline"], HOSTILE_TITLE);
    assert_eq!(article["description"], description);
    assert_eq!(article["datePublished"], "2024-03-01T00:00:00Z");
    assert_eq!(article["dateModified"], "2024-05-02T10:00:00+02:00");
    assert_eq!(article["author"][0]["@type"], "Person");
    assert_eq!(article["author"][0]["name"], "Anna Nowak");
    assert_eq!(article["image"][0], image);
    assert_eq!(article["inLanguage"], "pl-PL");
    assert_eq!(article["mainEntityOfPage"]["@id"], url);
    let publisher = &article["publisher"];
    assert_eq!(publisher["@type"], "Organization");
    assert_eq!(publisher["name"], "Firma Sp. z o.o.");
    assert_eq!(publisher["logo"]["url"], "https://example.org/kb/logo.png");
    assert_eq!(
        crumbs(&graph),
        [
            ("Strona główna".into(), "https://example.org/kb/".into()),
            (
                "Poradniki".into(),
                "https://example.org/kb/poradniki/".into()
            ),
            (HOSTILE_TITLE.to_string(), url.to_string()),
        ]
    );
}

#[test]
fn own_images_descriptions_languages_and_noindex_come_from_front_matter() {
    let site = seo_site();
    site.write(
        "content/poradniki/od-obrazu.md",
        "---\ntitle: Od obrazu\ndate: 2024-01-03\n---\n\n![Zrzut ekranu](/logo.png)\n\nTekst po obrazie.\n",
    );
    site.build(&["-q"]);
    // A summary of only a picture says nothing: the text it stands before does.
    let from_text = Head::of(&site, "poradniki/od-obrazu/index.html");
    assert_eq!(from_text.meta("description"), "Tekst po obrazie.");
    let with_image = Head::of(&site, "poradniki/z-obrazem/index.html");
    assert_eq!(
        with_image.meta("og:image"),
        "https://example.org/kb/poradniki/ok%C5%82adka%20poradnika.png"
    );
    assert_eq!(with_image.meta("og:image:width"), "800");
    assert_eq!(with_image.meta("og:image:height"), "420");
    assert_eq!(with_image.meta("og:image:alt"), "Okładka poradnika");

    // No description: the text, cut at a word under 160 characters.
    let no_description = Head::of(&site, "poradniki/bez-opisu/index.html");
    let cut = no_description.meta("description");
    assert!(cut.chars().count() <= 160, "{cut}");
    let kept = cut.strip_suffix('…').expect("ends with an ellipsis");
    assert!(
        "Media społecznościowe pomagają małym firmom rozmawiać z klientami każdego dnia. "
            .repeat(6)
            .starts_with(&format!("{kept} ")),
        "cut inside a word: {cut}"
    );
    // The summary, not the whole text: no heading glued to the paragraph, no later paragraphs.
    let from_summary = Head::of(&site, "poradniki/z-naglowkiem/index.html");
    assert_eq!(
        from_summary.meta("description"),
        "Pierwszy krótki akapit w dwóch liniach."
    );

    let english = Head::of(&site, "en/english/index.html");
    assert_eq!(english.meta("og:locale"), "en_US");
    assert_eq!(english.json_ld()[0]["inLanguage"], "en-US");

    let hidden = Head::of(&site, "ukryty/index.html");
    assert_eq!(hidden.meta("robots"), "noindex, follow");
    assert!(!site.read("sitemap.xml").contains("/ukryty/"));
}

#[test]
fn section_tag_home_and_search_heads() {
    let site = seo_site();
    site.build(&["-q"]);
    // A section's first page is indexed; later list pages are not.
    let section = Head::of(&site, "poradniki/index.html");
    assert_eq!(section.title(), "Poradniki · Baza & <wiedza>");
    assert_eq!(section.meta("description"), "Praktyczne poradniki.");
    assert_eq!(section.canonical(), "https://example.org/kb/poradniki/");
    assert_eq!(
        section.meta("robots"),
        "index, follow, max-image-preview:large"
    );
    assert_eq!(section.meta("og:type"), "website");
    let graph = section.json_ld();
    assert_eq!(of_type(&graph, "CollectionPage")["name"], "Poradniki");
    assert_eq!(crumbs(&graph).len(), 2);
    let second = Head::of(&site, "poradniki/page/2/index.html");
    assert_eq!(second.meta("robots"), "noindex, follow");
    assert_eq!(second.title(), "Poradniki – Strona 2 · Baza & <wiedza>");
    assert_eq!(
        second.canonical(),
        "https://example.org/kb/poradniki/page/2/"
    );

    // Tag pages are kept out of search engines.
    let tag = Head::of(&site, "tags/seo/index.html");
    assert_eq!(tag.meta("robots"), "noindex, follow");
    assert_eq!(tag.title(), "SEO – Tagi · Baza & <wiedza>");
    assert_eq!(tag.canonical(), "https://example.org/kb/tags/seo/");
    assert_eq!(
        crumbs(&tag.json_ld()).last().unwrap().1,
        "https://example.org/kb/tags/seo/"
    );
    assert_eq!(
        Head::of(&site, "tags/index.html").meta("robots"),
        "noindex, follow"
    );

    // The home page: the site's own name, and a WebSite with its search.
    let home = Head::of(&site, "index.html");
    assert_eq!(home.title(), "Baza & <wiedza>");
    assert_eq!(home.meta("description"), "Opis całej bazy wiedzy.");
    assert_eq!(home.canonical(), "https://example.org/kb/");
    assert_eq!(home.meta("og:type"), "website");
    assert_eq!(home.meta("og:image"), "https://example.org/kb/logo.png");
    let website = home.json_ld();
    let website = of_type(&website, "WebSite");
    assert_eq!(website["url"], "https://example.org/kb/");
    assert_eq!(website["name"], "Baza & <wiedza>");
    let action = &website["potentialAction"];
    assert_eq!(action["@type"], "SearchAction");
    assert_eq!(
        action["target"]["urlTemplate"],
        "https://example.org/kb/search/?q={search_term_string}"
    );
    assert_eq!(action["query-input"], "required name=search_term_string");

    let search = Head::of(&site, "search/index.html");
    assert_eq!(search.meta("robots"), "noindex, follow");
}

#[test]
fn sitemap_and_robots_use_absolute_urls_and_last_changes() {
    let site = seo_site();
    site.build(&["-q"]);
    let sitemap = site.read("sitemap.xml");
    let mut reader = quick_xml::Reader::from_str(&sitemap);
    let mut entries: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut field = String::new();
    loop {
        match reader.read_event().expect("well-formed sitemap") {
            quick_xml::events::Event::Start(e) => {
                field = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            }
            quick_xml::events::Event::Text(t) => {
                let text = t.unescape().unwrap().into_owned();
                match field.as_str() {
                    "loc" => {
                        entries.insert(text.clone(), None);
                        current = Some(text);
                    }
                    "lastmod" => {
                        entries.insert(current.clone().unwrap(), Some(text));
                    }
                    _ => {}
                }
            }
            quick_xml::events::Event::End(_) => field.clear(),
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(
        entries
            .keys()
            .all(|u| u.starts_with("https://example.org/kb/")),
        "{entries:?}"
    );
    assert_eq!(
        entries["https://example.org/kb/poradniki/trudny/"].as_deref(),
        Some("2024-05-02T10:00:00+02:00")
    );
    assert_eq!(
        entries["https://example.org/kb/poradniki/z-obrazem/"].as_deref(),
        Some("2024-02-01")
    );
    assert!(entries.contains_key("https://example.org/kb/"));
    assert!(!entries.keys().any(|u| u.contains("/tags/")
        || u.contains("/page/")
        || u.contains("/search/")
        || u.contains("/ukryty/")));
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/kb/sitemap.xml"));
}

/// The card files of a built site.
fn cards(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.tree("public")
        .into_iter()
        .filter(|(p, _)| p.starts_with("social/"))
        .collect()
}

#[test]
fn social_cards_are_valid_deterministic_and_drawn_once() {
    let site = seo_site();
    let first = site.build(&[]);
    assert!(
        first.stdout.contains("5 social cards drawn"),
        "{}",
        first.stdout
    );
    let built = cards(&site);
    // Every article without its own image has a card; the one with an image has none.
    assert_eq!(built.len(), 5, "{:?}", built.keys());
    for (path, bytes) in &built {
        let reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap_or_else(|e| panic!("{path} is not a PNG: {e}"));
        assert_eq!((reader.info().width, reader.info().height), (1200, 630));
    }
    let head = Head::of(&site, "poradniki/trudny/index.html");
    let card = head.meta("og:image");
    assert!(built.contains_key(card.trim_start_matches("https://example.org/kb/")));

    // Nothing changed: nothing is drawn again.
    let second = site.build(&[]);
    assert!(!second.stdout.contains("drawn"), "{}", second.stdout);
    assert!(cards(&site) == built, "the cards are kept as they were");

    // A fresh output folder takes the cards from the cache: a cached card planted in place of
    // the real one shows it was not drawn again.
    let cache = site.path().join(".kbsite-cache/social");
    let name = card.rsplit('/').next().unwrap();
    let planted = png(1200, 630);
    std::fs::write(cache.join(name), &planted).unwrap();
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    let _ = std::fs::remove_dir_all(site.path().join(".public.kbsite-previous"));
    let third = site.build(&[]);
    assert!(!third.stdout.contains("drawn"), "{}", third.stdout);
    assert!(
        cards(&site)[&format!("social/{name}")] == planted,
        "the planted card from the cache is served"
    );

    // Without the cache the same bytes are drawn again: cards are deterministic.
    std::fs::remove_dir_all(site.path().join(".kbsite-cache")).unwrap();
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    let _ = std::fs::remove_dir_all(site.path().join(".public.kbsite-previous"));
    site.build(&["-q"]);
    assert!(cards(&site) == built, "drawing again gives the same bytes");

    // A new title is a new card under a new name; the old one leaves the output.
    let text = std::fs::read_to_string(site.path().join("content/ukryty.md")).unwrap();
    site.write(
        "content/ukryty.md",
        &text.replace("title: Ukryty", "title: Ukryty inaczej"),
    );
    let fourth = site.build(&[]);
    assert!(
        fourth.stdout.contains("1 social card drawn"),
        "{}",
        fourth.stdout
    );
    let now = cards(&site);
    assert_eq!(now.len(), 5);
    assert!(now != built, "the renamed article has a new card");
}

#[test]
fn cards_can_be_turned_off() {
    let site = seo_site();
    site.write("kbsite.yaml", &format!("{CONFIG}  social_cards: false\n"));
    site.build(&["-q"]);
    assert!(cards(&site).is_empty());
    let head = Head::of(&site, "poradniki/trudny/index.html");
    // The logo stands in with its own size, and the X card falls back to the small one.
    assert_eq!(head.meta("og:image"), "https://example.org/kb/logo.png");
    assert_eq!(head.meta("og:image:width"), "512");
    assert_eq!(head.meta("twitter:card"), "summary");
    let with_image = Head::of(&site, "poradniki/z-obrazem/index.html");
    assert_eq!(with_image.meta("twitter:card"), "summary_large_image");
}

#[test]
fn a_logo_that_is_not_there_is_an_error_at_its_line() {
    let site = seo_site();
    std::fs::remove_file(site.path().join("static/logo.png")).unwrap();
    let (run, diags) = site.diagnose(&["build"]);
    // A setting of kbsite.yaml, like every configuration error.
    run.assert_code(2);
    crate::fixture::assert_has(&diags, "missing-logo", "kbsite.yaml", 9, 9);
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_missing_image_is_an_error_at_its_line() {
    let site = seo_site();
    site.write(
        "content/brak.md",
        "---\ntitle: Brak\nimage: nie-ma.png\n---\n\nTekst.\n",
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    crate::fixture::assert_has(&diags, "missing-image", "content/brak.md", 3, 8);
    assert!(run.stderr.contains("nie-ma.png"), "{}", run.stderr);
    assert!(!site.output("index.html").exists(), "nothing is written");
}

#[test]
fn analytics_are_off_by_default_and_on_when_configured() {
    let site = seo_site();
    site.build(&["-q"]);
    assert!(!site.read("index.html").contains("plausible"));
    site.write(
        "kbsite.yaml",
        &format!(
            "{CONFIG}analytics:\n  script: \"https://plausible.io/js/script.js\"\n  domain: \"example.org\"\n"
        ),
    );
    site.build(&["-q"]);
    let head = Head::of(&site, "poradniki/trudny/index.html");
    let scripts = head.select(r#"head script[src="https://plausible.io/js/script.js"]"#);
    assert_eq!(scripts.len(), 1);
    assert_eq!(scripts[0].value().attr("data-domain"), Some("example.org"));
    assert!(scripts[0].value().attr("defer").is_some());
}

#[test]
fn bad_seo_settings_name_the_key() {
    let site = seo_site();
    site.write(
        "kbsite.yaml",
        &format!("{CONFIG}analytics:\n  script: \"javascript:alert(1)\"\n"),
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(2);
    crate::fixture::assert_has(&diags, "config-value", "kbsite.yaml", 11, 1);
    site.write(
        "kbsite.yaml",
        &CONFIG.replace("  twitter:", "  titel_pattern: \"x\"\n  twitter:"),
    );
    let (run, _) = site.diagnose(&["build"]);
    run.assert_code(2);
    assert!(run.stderr.contains("titel_pattern"), "{}", run.stderr);
}

#[test]
fn translations_link_each_other_with_hreflang() {
    let site = seo_site();
    site.write(
        "content/poradniki/cennik.md",
        "---\ntitle: Cennik\ndate: 2024-01-01\ndescription: Ceny usług.\n---\n\nCeny.\n",
    );
    site.write(
        "content/poradniki/cennik.en.md",
        "---\ntitle: Pricing\ndate: 2024-01-01\ndescription: Our prices.\n---\n\nPrices.\n",
    );
    site.build(&["-q"]);
    let pages: Vec<String> = site
        .tree("public")
        .into_keys()
        .filter(|p| {
            let p = p.trim_start_matches("en/");
            p.starts_with("poradniki/cennik") && p.ends_with("index.html")
        })
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    let mut seen = Vec::new();
    for rel in &pages {
        let head = Head::of(&site, rel);
        let expected_lang = if head.title().starts_with("Pricing") {
            "en"
        } else {
            "pl"
        };
        assert_eq!(
            head.meta("og:locale"),
            if expected_lang == "en" {
                "en_US"
            } else {
                "pl_PL"
            }
        );
        let alternates: Vec<(String, String)> = head
            .link("alternate")
            .into_iter()
            .filter(|l| l.contains_key("hreflang"))
            .map(|l| (l["hreflang"].clone(), l["href"].clone()))
            .collect();
        let urls: Vec<String> = pages
            .iter()
            .map(|p| {
                format!(
                    "https://example.org/kb/{}",
                    p.trim_end_matches("index.html")
                )
            })
            .collect();
        // Both versions, itself included, and the Polish one as the default.
        assert_eq!(alternates.len(), 3, "{alternates:?}");
        let pl = alternates
            .iter()
            .find(|(l, _)| l == "pl")
            .unwrap()
            .1
            .clone();
        let en = alternates
            .iter()
            .find(|(l, _)| l == "en")
            .unwrap()
            .1
            .clone();
        assert!(urls.contains(&pl) && urls.contains(&en) && pl != en);
        assert!(alternates.contains(&("x-default".to_string(), pl.clone())));
        let other = if expected_lang == "en" {
            "pl_PL"
        } else {
            "en_US"
        };
        assert_eq!(head.meta("og:locale:alternate"), other);
        // The page links to its translation.
        let own = head.canonical();
        let target = if own == pl { &en } else { &pl };
        let path = target.trim_start_matches("https://example.org");
        assert!(
            head.raw.contains(&format!("href=\"{path}\" hreflang=")),
            "{rel}"
        );
        seen.push(expected_lang);
    }
    seen.sort();
    assert_eq!(seen, ["en", "pl"]);
    // An article without translations has no hreflang links.
    let single = Head::of(&site, "poradniki/trudny/index.html");
    assert!(
        single
            .link("alternate")
            .iter()
            .all(|l| !l.contains_key("hreflang"))
    );
}

#[test]
fn a_language_code_in_a_lone_file_name_is_just_a_name() {
    let site = seo_site().file(
        "content/sklepy/allegro.en.md",
        "---\ntitle: Sklep na Allegro\ndate: 2024-01-01\n---\n\nTekst.\n",
    );
    site.build(&["-q"]);
    let rel = site
        .tree("public")
        .into_keys()
        .find(|p| p.starts_with("sklepy/allegro") && p.ends_with("index.html"))
        .expect("the article is published");
    let head = Head::of(&site, &rel);
    assert_eq!(head.meta("og:locale"), "pl_PL");
    assert!(
        head.link("alternate")
            .iter()
            .all(|l| !l.contains_key("hreflang"))
    );
}

#[test]
fn a_translation_stays_in_its_language_while_the_original_is_a_draft() {
    let site = seo_site()
        .file(
            "content/oferta/cennik.md",
            "---\ntitle: Cennik\ndate: 2024-01-01\ndraft: true\n---\n\nCeny.\n",
        )
        .file(
            "content/oferta/cennik.en.md",
            "---\ntitle: Pricing\ndate: 2024-01-01\n---\n\nPrices.\n",
        )
        .file(
            "content/oferta/allegro.pl.md",
            "---\ntitle: Allegro\ndate: 2024-01-01\n---\n\nSklep.\n",
        )
        .file(
            "content/oferta/allegro.pl.en.md",
            "---\ntitle: Allegro in English\ndate: 2024-01-01\n---\n\nShop.\n",
        );
    site.build(&["-q"]);
    let pages: BTreeMap<String, Head> = site
        .tree("public")
        .into_keys()
        .filter(|p| {
            let p = p.trim_start_matches("en/");
            // The folder is a section of each language (with list pages); its articles only.
            p.starts_with("oferta/")
                && p.ends_with("/index.html")
                && p != "oferta/index.html"
                && !p.starts_with("oferta/page/")
        })
        .map(|p| {
            let head = Head::of(&site, &p);
            (head.meta("og:title"), head)
        })
        .collect();
    assert_eq!(pages.len(), 3, "{:?}", pages.keys());
    assert_eq!(pages["Pricing"].meta("og:locale"), "en_US");
    assert_eq!(pages["Allegro"].meta("og:locale"), "pl_PL");
    assert_eq!(pages["Allegro in English"].meta("og:locale"), "en_US");
    let hreflangs = |title: &str| -> Vec<String> {
        pages[title]
            .link("alternate")
            .into_iter()
            .filter_map(|l| l.get("hreflang").cloned())
            .collect()
    };
    // The draft is not published, so nothing links to it.
    assert!(hreflangs("Pricing").is_empty());
    let mut pair = hreflangs("Allegro in English");
    pair.sort();
    assert_eq!(pair, ["en", "pl", "x-default"]);
}

#[test]
fn the_hostile_title_is_escaped_in_the_feed_and_on_the_card() {
    let site = seo_site();
    let run = site.build(&[]);
    assert!(run.stdout.contains("social cards drawn"), "{}", run.stdout);
    let feed = site.read("atom.xml");
    let mut reader = quick_xml::Reader::from_str(&feed);
    let mut titles = Vec::new();
    let mut in_title = false;
    loop {
        match reader.read_event().expect("the feed stays well-formed XML") {
            quick_xml::events::Event::Start(e) => in_title = e.name().as_ref() == b"title",
            quick_xml::events::Event::Text(t) if in_title => {
                titles.push(t.unescape().unwrap().into_owned())
            }
            quick_xml::events::Event::End(_) => in_title = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(titles.iter().any(|t| t == HOSTILE_TITLE), "{titles:?}");
    // The card of that article was drawn from SVG the title could not break.
    let head = Head::of(&site, "poradniki/trudny/index.html");
    let card = head.meta("og:image");
    let rel = card.trim_start_matches("https://example.org/kb/");
    let bytes = std::fs::read(site.output(rel)).unwrap();
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    assert_eq!(reader.info().width, 1200);
}

#[test]
fn custom_templates_keep_their_blocks_or_take_the_whole_head_in_one_include() {
    let site = seo_site();
    // A page template overriding the title block, as sites made for earlier versions do.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block title %}Własny: {{ page.title }}{% endblock title %}\n{% block content %}{{ page.content | safe }}{% endblock content %}\n",
    );
    // A landing page with its own layout that takes every head tag from one include.
    site.write(
        "templates/landing.html",
        "<!doctype html>\n<html><head>\n{% include \"partials/seo.html\" %}\n</head><body>{{ page.content | safe }}</body></html>\n",
    );
    site.write(
        "content/oferta.md",
        "---\ntitle: Oferta\ndescription: Nasza oferta.\ntemplate: landing.html\n---\n\nTekst.\n",
    );
    site.build(&["-q"]);
    let page = Head::of(&site, "poradniki/z-obrazem/index.html");
    assert_eq!(page.title(), "Własny: Z obrazem");
    assert_eq!(page.meta("og:type"), "article");
    let landing = Head::of(&site, "oferta/index.html");
    assert_eq!(landing.title(), "Oferta · Baza & <wiedza>");
    assert_eq!(landing.meta("description"), "Nasza oferta.");
    assert_eq!(landing.meta("og:type"), "article");
    assert_eq!(landing.canonical(), "https://example.org/kb/oferta/");
    assert_eq!(of_type(&landing.json_ld(), "Article")["headline"], "Oferta");
    assert!(landing.meta("og:image").contains("/social/"));
}

#[test]
fn a_card_template_made_of_parts_draws_again_when_a_part_changes() {
    let site = seo_site()
        .file(
            "templates/social_card.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">{% include \"card_background.svg\" %}<text x=\"10\" y=\"100\" font-family=\"DejaVu Sans\" font-size=\"40\">{{ card.title }}</text></svg>\n",
        )
        .file(
            "templates/card_background.svg",
            "<rect width=\"1200\" height=\"630\" fill=\"#ff0000\"/>",
        );
    site.build(&["-q"]);
    let red = cards(&site);
    assert_eq!(red.len(), 5);
    site.write(
        "templates/card_background.svg",
        "<rect width=\"1200\" height=\"630\" fill=\"#0000ff\"/>",
    );
    let again = site.build(&[]);
    assert!(
        again.stdout.contains("5 social cards drawn"),
        "{}",
        again.stdout
    );
    let blue = cards(&site);
    assert!(
        red.keys().all(|name| !blue.contains_key(name)),
        "every card has a new name: {:?} then {:?}",
        red.keys(),
        blue.keys()
    );
    let head = Head::of(&site, "poradniki/trudny/index.html");
    let card = head.meta("og:image");
    assert!(blue.contains_key(card.trim_start_matches("https://example.org/kb/")));
}

#[test]
fn control_characters_in_a_title_never_break_the_card_or_the_feed() {
    let site = seo_site().file(
        "content/dzwonek.md",
        "---\ntitle: \"Dzwonek\\a i\\ttabulator\\uFFFF\"\ndate: 2024-06-01\n---\n\nTekst.\n",
    );
    site.build(&["-q"]);
    let head = Head::of(&site, "dzwonek/index.html");
    let rel = head
        .meta("og:image")
        .trim_start_matches("https://example.org/kb/")
        .to_string();
    let bytes = std::fs::read(site.output(&rel)).unwrap();
    png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("the card is drawn");
    let feed = site.read("atom.xml");
    let mut reader = quick_xml::Reader::from_str(&feed);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the feed is not XML: {e}"),
        }
    }
    assert!(!feed.contains('\u{7}'), "XML cannot hold a bell character");
    assert!(!feed.contains('\u{ffff}'), "nor U+FFFF");
    assert!(
        feed.contains("Dzwonek i\ttabulator"),
        "the rest of the title stays"
    );
}

#[test]
fn a_card_template_that_breaks_names_the_article() {
    let site = seo_site()
        .file(
            "templates/social_card.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><text>{{ card.title | safe }}</text></svg>\n",
        );
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("the social card of content/poradniki/trudny.md"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("social_card.svg"), "{}", run.stderr);
}

#[test]
fn articles_of_one_title_in_one_section_share_one_card_made_once() {
    let site = seo_site()
        .file(
            "content/poradniki/pierwszy.md",
            "---\ntitle: Ten sam tytuł\ndate: 2024-06-01\n---\n\nJeden.\n",
        )
        .file(
            "content/poradniki/drugi.md",
            "---\ntitle: Ten sam tytuł\ndate: 2024-06-02\n---\n\nDwa.\n",
        );
    let run = site.build(&[]);
    // Five cards of the other articles, one for both of these.
    assert!(
        run.stdout.contains("6 social cards drawn"),
        "{}",
        run.stdout
    );
    assert_eq!(cards(&site).len(), 6);
    let first = Head::of(&site, "poradniki/pierwszy/index.html").meta("og:image");
    let second = Head::of(&site, "poradniki/drugi/index.html").meta("og:image");
    assert_eq!(first, second);
}
