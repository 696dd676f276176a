//! The knowledge base sidebar, "edit this page" links and the last-updated line, read from
//! built pages as HTML.

use kbsite::live::LiveSite;
use kbsite::pipeline::BuildOptions;
use scraper::{ElementRef, Html, Selector};

use crate::fixture::{Site, assert_has};

const EDIT: &str = "https://github.com/firma/baza/edit/main/content/{path}";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The first child element of `e` named `name`.
fn first_child<'a>(e: ElementRef<'a>, name: &str) -> Option<ElementRef<'a>> {
    e.children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name() == name)
}

/// A site with three sections (one nested) whose order depends on weights and Polish titles.
fn docs_site() -> Site {
    Site::empty()
        .file(
            "kbsite.yaml",
            &format!(
                "title: \"Baza\"\nbase_url: \"https://example.org/kb/\"\nlanguage: pl\nedit_url: \"{EDIT}\"\n"
            ),
        )
        .file("content/_index.md", "---\ntitle: Baza\n---\n")
        .file("content/start.md", "---\ntitle: Start\n---\n\nWitaj.\n")
        .file(
            "content/seo/_index.md",
            "---\ntitle: SEO\nweight: 2\n---\n\nO SEO.\n",
        )
        .file(
            "content/social/_index.md",
            "---\ntitle: Social media\nweight: 1\n---\n",
        )
        .file("content/analityka/_index.md", "---\ntitle: Analityka\n---\n")
        .file(
            "content/seo/lokalne/_index.md",
            "---\ntitle: Lokalne SEO\n---\n",
        )
        .file(
            "content/seo/zolw.md",
            "---\ntitle: Żółw\ndate: 2024-01-10\n---\n\nTekst.\n",
        )
        .file(
            "content/seo/lodz.md",
            "---\ntitle: Łódź\ndate: 2024-01-11\nupdated: 2024-06-02\n---\n\nTekst.\n",
        )
        .file(
            "content/seo/ciezki.md",
            "---\ntitle: Ciężki\nweight: 10\n---\n\nTekst.\n",
        )
        .file(
            "content/seo/lekki.md",
            "---\ntitle: Zupełnie lekki\nweight: 1\n---\n\nTekst.\n",
        )
        .file("content/seo/lato.md", "---\ntitle: Lato\n---\n\nTekst.\n")
        .file(
            "content/seo/lokalne/mapy.md",
            "---\ntitle: Mapy Google\n---\n\nTekst.\n",
        )
        .file(
            "content/social/post.md",
            "---\ntitle: Pierwszy post\n---\n\nTekst.\n",
        )
        .file(
            "content/analityka/ga.md",
            "---\ntitle: Google Analytics\n---\n\nTekst.\n",
        )
}

/// The sidebar of a built page.
struct Nav {
    html: Html,
}

impl Nav {
    fn of(site: &Site, rel: &str) -> Nav {
        let html = Html::parse_document(&site.read(rel));
        let navs = html.select(&sel("nav.docs-nav")).count();
        assert_eq!(navs, 1, "{rel} has one sidebar");
        Nav { html }
    }

    fn nav(&self) -> ElementRef<'_> {
        self.html.select(&sel("nav.docs-nav")).next().unwrap()
    }

    /// The titles of the items directly inside the list of the sidebar item linking to `url`
    /// (the root list for `None`).
    fn children(&self, url: Option<&str>) -> Vec<String> {
        let list = match url {
            None => self.nav().select(&sel("ul.docs-nav__root")).next(),
            Some(url) => self
                .nav()
                .select(&sel("li"))
                .find(|li| first_child(*li, "a").and_then(|a| a.value().attr("href")) == Some(url))
                .and_then(|li| first_child(li, "ul")),
        };
        let Some(list) = list else {
            return Vec::new();
        };
        list.children()
            .filter_map(ElementRef::wrap)
            .filter_map(|li| first_child(li, "a"))
            .map(text)
            .collect()
    }

    fn links(&self) -> Vec<String> {
        self.nav()
            .select(&sel("a"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    }

    fn current(&self) -> Vec<String> {
        self.nav()
            .select(&sel("a[aria-current=\"page\"]"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    }

    fn expanded(&self) -> Vec<String> {
        self.nav()
            .select(&sel("li.is-expanded > a"))
            .map(text)
            .collect()
    }
}

#[test]
fn the_sidebar_orders_by_weight_then_polish_title() {
    let site = docs_site();
    site.build(&["-q"]);
    let nav = Nav::of(&site, "seo/lodz/index.html");
    // Home's own articles, then sections: weighted first, the rest by title.
    assert_eq!(
        nav.children(None),
        ["Start", "Social media", "SEO", "Analityka"]
    );
    // Weighted articles first (smaller first), then by title with Ł beside L and Ż after Z;
    // then the subsections.
    assert_eq!(
        nav.children(Some("/kb/seo/")),
        [
            "Zupełnie lekki",
            "Ciężki",
            "Lato",
            "Łódź",
            "Żółw",
            "Lokalne SEO"
        ]
    );
    let label = nav.nav().value().attr("aria-label").unwrap();
    assert_eq!(label, "Spis treści bazy wiedzy");
}

#[test]
fn the_current_page_is_marked_and_only_its_sections_show_their_articles() {
    let site = docs_site();
    site.build(&["-q"]);
    let nav = Nav::of(&site, "seo/lokalne/mapy/index.html");
    assert_eq!(nav.current(), ["/kb/seo/lokalne/mapy/"]);
    assert_eq!(nav.expanded(), ["SEO", "Lokalne SEO"]);
    assert_eq!(nav.children(Some("/kb/seo/lokalne/")), ["Mapy Google"]);
    let links = nav.links();
    // Every section is listed, but the articles of sections off the path are not.
    for section in [
        "/kb/social/",
        "/kb/analityka/",
        "/kb/seo/",
        "/kb/seo/lokalne/",
    ] {
        assert!(
            links.contains(&section.to_string()),
            "{section} in {links:?}"
        );
    }
    for other in ["/kb/social/post/", "/kb/analityka/ga/"] {
        assert!(!links.contains(&other.to_string()), "{other} in {links:?}");
    }
    assert!(nav.children(Some("/kb/social/")).is_empty());

    // An article of another section expands that one instead.
    let nav = Nav::of(&site, "social/post/index.html");
    assert_eq!(nav.expanded(), ["Social media"]);
    assert_eq!(nav.current(), ["/kb/social/post/"]);
    assert!(
        nav.children(Some("/kb/seo/"))
            .contains(&"Lokalne SEO".to_string())
    );
    assert!(!nav.links().contains(&"/kb/seo/lodz/".to_string()));

    // A section's page marks the section and lists its own articles.
    let nav = Nav::of(&site, "seo/index.html");
    assert_eq!(nav.current(), ["/kb/seo/"]);
    assert_eq!(nav.expanded(), ["SEO"]);
    assert!(nav.links().contains(&"/kb/seo/lodz/".to_string()));
    assert!(!nav.links().contains(&"/kb/seo/lokalne/mapy/".to_string()));
}

#[test]
fn edit_links_name_the_source_file_percent_encoded() {
    let site = docs_site()
        .file("content/Porady SEO/_index.md", "---\ntitle: Porady\n---\n")
        .file(
            "content/Porady SEO/Łódź i okolice.md",
            "---\ntitle: Okolice\nlang: en\n---\n\nText.\n",
        );
    site.build(&["-q"]);
    let edit = |rel: &str| {
        let html = Html::parse_document(&site.read(rel));
        html.select(&sel("a.edit-link"))
            .map(|a| (a.value().attr("href").unwrap().to_string(), text(a)))
            .collect::<Vec<_>>()
    };
    let base = "https://github.com/firma/baza/edit/main/content/";
    assert_eq!(
        edit("seo/lodz/index.html"),
        [(format!("{base}seo/lodz.md"), "Edytuj tę stronę".to_string())]
    );
    assert_eq!(
        edit("en/porady-seo/lodz-i-okolice/index.html"),
        [(
            format!("{base}Porady%20SEO/%C5%81%C3%B3d%C5%BA%20i%20okolice.md"),
            "Edit this page".to_string()
        )]
    );
    // Sections with an `_index.md` have one too.
    assert_eq!(
        edit("porady-seo/index.html"),
        [(
            format!("{base}Porady%20SEO/_index.md"),
            "Edytuj tę stronę".to_string()
        )]
    );
    // Without `edit_url` there are none.
    site.write(
        "kbsite.yaml",
        "title: \"Baza\"\nbase_url: \"https://example.org/kb/\"\n",
    );
    site.build(&["-q"]);
    assert!(edit("seo/lodz/index.html").is_empty());
}

#[test]
fn a_bad_edit_url_is_a_configuration_error_at_its_line() {
    for bad in [
        "https://github.com/firma/baza/edit/main/content/",
        "ftp://example.org/{path}",
        "github.com/firma/{path}",
    ] {
        let site = Site::empty()
            .file(
                "kbsite.yaml",
                &format!("title: \"Baza\"\n\nedit_url: \"{bad}\"\n"),
            )
            .file("content/a.md", "---\ntitle: A\n---\n\nTekst.\n");
        let (run, diags) = site.diagnose(&["build"]);
        run.assert_code(2);
        assert_has(&diags, "config-value", "kbsite.yaml", 3, 1);
        assert!(run.stderr.contains("edit_url"), "{}", run.stderr);
        assert!(!site.output("index.html").exists());
    }
    let site = Site::empty().file(
        "kbsite.yaml",
        "title: \"Baza\"\nedit_url: \"https://example.org/edit\"\n",
    );
    let run = site.run(&["build"]);
    run.assert_code(2);
    assert!(run.stderr.contains("kbsite.yaml:2:1"), "{}", run.stderr);
    assert!(run.stderr.contains("{path}"), "{}", run.stderr);
}

#[test]
fn articles_say_when_they_were_last_updated() {
    let site = docs_site().file(
        "content/social/en.md",
        "---\ntitle: In English\nlang: en\ndate: 2024-02-03\n---\n\nText.\n",
    );
    site.build(&["-q"]);
    let line = |rel: &str| {
        let html = Html::parse_document(&site.read(rel));
        html.select(&sel(".last-updated"))
            .map(|e| {
                let time = e.select(&sel("time")).next().expect("a <time>");
                (text(e), time.value().attr("datetime").unwrap().to_string())
            })
            .collect::<Vec<_>>()
    };
    // `updated` wins over `date`.
    assert_eq!(
        line("seo/lodz/index.html"),
        [(
            "Ostatnia aktualizacja: 2 czerwca 2024".to_string(),
            "2024-06-02".to_string()
        )]
    );
    assert_eq!(
        line("seo/zolw/index.html"),
        [(
            "Ostatnia aktualizacja: 10 stycznia 2024".to_string(),
            "2024-01-10".to_string()
        )]
    );
    assert_eq!(
        line("en/social/en/index.html"),
        [(
            "Last updated: 3 February 2024".to_string(),
            "2024-02-03".to_string()
        )]
    );
    // An undated article has no such line.
    assert!(line("seo/lato/index.html").is_empty());
}

#[test]
fn a_new_weight_renders_again_the_sidebars_that_show_it_and_no_others() {
    let site = docs_site();
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut live = LiveSite::open(options.clone()).unwrap();
    let path = site.path().join("content/seo/lato.md");
    std::fs::write(&path, "---\ntitle: Lato\nweight: 0\n---\n\nTekst.\n").unwrap();
    let rebuilt = live.apply(std::slice::from_ref(&path)).unwrap();
    for sibling in [
        "seo/zolw/index.html",
        "seo/lodz/index.html",
        "seo/index.html",
    ] {
        assert!(
            rebuilt.changed.iter().any(|p| p == sibling),
            "{sibling} not in {:?}",
            rebuilt.changed
        );
    }
    for other in ["social/post/index.html", "analityka/ga/index.html"] {
        assert!(
            !rebuilt.changed.iter().any(|p| p == other),
            "{other} in {:?}",
            rebuilt.changed
        );
    }
    let page = live.get("seo/zolw/index.html").unwrap().read().unwrap();
    let html = Html::parse_document(&String::from_utf8_lossy(&page));
    let first = html
        .select(&sel("nav.docs-nav li.is-expanded > ul > li > a"))
        .next()
        .map(text);
    assert_eq!(first.as_deref(), Some("Lato"));
    let clean = LiveSite::open(options).unwrap();
    live.rebuild_search();
    assert_eq!(live.paths(), clean.paths());
    for p in clean.paths() {
        let a = live.get(p).unwrap().read().unwrap();
        let b = clean.get(p).unwrap().read().unwrap();
        assert!(a == b, "{p} differs from a clean build");
    }
}

#[test]
fn the_header_menu_comes_from_the_config_in_weight_order() {
    let site = docs_site().file(
        "kbsite.yaml",
        "title: Baza\nbase_url: https://example.org/kb/\nmenu:\n  - {name: Tagi, url: /tags/, weight: 2}\n  - {name: Blog firmy, url: \"https://blog.example.org/\", weight: 3}\n  - {name: SEO, url: /seo/, weight: 1}\nlanguages:\n  en:\n    menu:\n      - {name: Tags, url: /en/tags/}\n",
    )
    .file(
        "content/social/en.md",
        "---\ntitle: In English\nlang: en\ndate: 2024-02-03\ntags: [x]\n---\n\nText.\n",
    );
    site.build(&["-q"]);
    let menu = |rel: &str| {
        let html = Html::parse_document(&site.read(rel));
        html.select(&sel(".site-nav a"))
            .map(|a| {
                (
                    text(a),
                    a.value().attr("href").unwrap().to_string(),
                    a.value().attr("aria-current").is_some()
                        || a.value().attr("class") == Some("is-active"),
                )
            })
            .collect::<Vec<_>>()
    };
    let on_seo = menu("seo/zolw/index.html");
    // Configured links first, by weight; site paths under the base path; then the sections
    // the menu does not name.
    assert_eq!(
        on_seo[..3],
        [
            ("SEO".to_string(), "/kb/seo/".to_string(), true),
            ("Tagi".to_string(), "/kb/tags/".to_string(), false),
            (
                "Blog firmy".to_string(),
                "https://blog.example.org/".to_string(),
                false
            ),
        ]
    );
    assert!(
        !on_seo[3..].iter().any(|(_, url, _)| url == "/kb/seo/"),
        "{on_seo:?}"
    );
    // English pages have their own menu.
    let on_en = menu("en/social/en/index.html");
    assert_eq!(
        on_en[0],
        ("Tags".to_string(), "/kb/en/tags/".to_string(), false)
    );
    assert!(
        !on_en.iter().any(|(name, _, _)| name == "Tagi"),
        "{on_en:?}"
    );
}
