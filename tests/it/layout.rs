//! The default theme's layout in real headless Chromium (tests/browser/layout.mjs), on a site
//! of 20 sections, one of them big: the header's height must not grow with the sections, no
//! page may scroll sideways, and the current article shows in the sidebar (in the menu on a
//! phone).

use crate::fixture::{Site, article, browser_report};

/// The tallest header allowed, in CSS pixels, at any width: on a 390x844 phone that leaves
/// six sevenths of the first screen to the page.
const HEADER_MAX_PX: i64 = 120;

/// Sections with long Polish names (what made the old header wrap to many rows), the eighth
/// one with 60 articles so that its sidebar is longer than a screen.
fn many_sections() -> Site {
    let mut site = Site::empty().file(
        "kbsite.yaml",
        "title: \"Baza wiedzy dla małych firm\"\nbase_url: \"http://localhost/\"\nlanguage: pl\n",
    );
    for s in 0..20 {
        let dir = format!("content/dzial-{s:02}");
        site = site.file(
            &format!("{dir}/_index.md"),
            &format!("---\ntitle: \"Marketing i sprzedaż, dział {s}\"\n---\n"),
        );
        let count = if s == 7 { 60 } else { 2 };
        for a in 0..count {
            site = site.file(
                &format!("{dir}/artykul-{a:03}.md"),
                &article(
                    &format!("Jak zaplanować kampanię numer {a} w dziale {s}"),
                    &format!("2024-01-{:02}", a % 28 + 1),
                    "",
                    "Treść artykułu o planowaniu kampanii w małej firmie.",
                ),
            );
        }
    }
    site
}

#[test]
fn the_header_stays_short_and_the_current_article_shows_at_both_widths() {
    let site = many_sections();
    site.build(&["-q"]);
    let report = browser_report("layout.mjs", &site, &["--page", "/dzial-07/artykul-030/"]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    for width in ["phone", "desktop"] {
        for scheme in ["light", "dark"] {
            let seen = &report[format!("{width}_{scheme}")];
            for page in ["article", "home"] {
                let m = &seen[page];
                let viewport = m["viewport"].as_i64().unwrap();
                assert!(
                    m["header_height"].as_i64().unwrap() <= HEADER_MAX_PX,
                    "{width} {scheme} {page}: header {m}"
                );
                assert_eq!(
                    m["title_left"], m["content_left"],
                    "{width} {scheme} {page}: the header and the page start at one edge: {m}"
                );
                assert!(
                    m["widest_right"].as_i64().unwrap() <= viewport
                        && m["scroll_width"].as_i64().unwrap() <= viewport,
                    "{width} {scheme} {page}: wider than the screen: {m}"
                );
            }
            // "/" after every crumb but the last, none before any.
            let separators = seen["article"]["separators"].as_array().unwrap();
            assert!(separators.len() >= 3, "{seen}");
            for (i, pair) in separators.iter().enumerate() {
                assert_eq!(pair[0], "none", "{pair}");
                let last = i + 1 == separators.len();
                assert_eq!(pair[1] == "none", last, "{pair}");
            }
            let current = &seen["article"]["current"];
            assert!(current.is_object(), "{width}: {seen}");
            assert_eq!(current["found"], true, "{width}: {current}");
            assert_eq!(current["shown"], true, "{width}: {current}");
            // On a phone the sidebar is in the opened menu; on a desktop it is beside the page.
            assert_eq!(current["in_menu"], width == "phone", "{width}: {current}");
        }
    }
    // The switch: system (light here), light, dark, still dark on the next page, system.
    let theme = report["theme"].as_array().unwrap();
    let modes: Vec<&str> = theme.iter().map(|t| t[0].as_str().unwrap()).collect();
    assert_eq!(modes, ["auto", "light", "dark", "dark", "auto"], "{report}");
    let background = |i: usize| theme[i][1].as_str().unwrap();
    assert_eq!(background(0), "rgb(255, 255, 255)");
    assert_eq!(background(1), background(0));
    assert_ne!(background(2), background(0), "dark is dark");
    assert_eq!(background(3), background(2), "the choice is kept");
    assert_eq!(background(4), background(0));
    assert_eq!(
        theme[2][2], "Motyw: ciemny",
        "the button says what is chosen"
    );
    // The search popup opened over the page without moving its title.
    assert_eq!(
        report["popup"],
        serde_json::json!({"open": true, "h1_moved": 0}),
        "{report}"
    );
    // The current page's group: open, folded by its button, open again.
    assert_eq!(
        report["folding"],
        serde_json::json!([
            ["true", false, true],
            ["false", true, false],
            ["true", false, true]
        ]),
        "{report}"
    );
}

#[test]
fn a_contents_list_shows_from_two_headings() {
    let one = "## Zobacz też\n\nTekst.";
    let two = "## Wstęp\n\nTekst.\n\n## Koniec\n\nTekst.";
    let nested = "## Wstęp\n\n### Szczegóły\n\nTekst.";
    let site = Site::new()
        .file(
            "content/porady/jeden.md",
            &article("Jeden", "2024-01-01", "", one),
        )
        .file(
            "content/porady/dwa.md",
            &article("Dwa", "2024-01-02", "", two),
        )
        .file(
            "content/porady/trzy.md",
            &article("Trzy", "2024-01-03", "", nested),
        );
    site.build(&["-q"]);
    let has_toc = |rel: &str| site.read(rel).contains("class=\"article__toc\"");
    assert!(!has_toc("porady/jeden/index.html"));
    assert!(has_toc("porady/dwa/index.html"));
    assert!(has_toc("porady/trzy/index.html"));
}

/// Runs tests/browser/axe.mjs on a built site and returns every check that found violations.
fn axe_violations(site: &Site, pages: &[&str], popup: Option<(&str, &str)>) -> Vec<String> {
    let mut args = pages.to_vec();
    if let Some((page, query)) = popup {
        args.extend(["--popup", page, "--query", query]);
    }
    let report = browser_report("axe.mjs", site, &args);
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    let checks = report.as_object().unwrap();
    assert!(
        checks.len() > pages.len() * 4,
        "every page at both widths in both schemes"
    );
    checks
        .iter()
        .filter(|(name, found)| {
            *name != "errors" && found.as_array().is_some_and(|v| !v.is_empty())
        })
        .map(|(name, found)| format!("{name}: {found}"))
        .collect()
}

#[test]
fn axe_finds_nothing_on_the_samples_pages_in_both_schemes_and_widths() {
    let site = Site::sample();
    site.build(&["-q"]);
    let pages = [
        "/",
        "/seo/",
        "/seo/podstawy-seo/",
        "/media-spolecznosciowe/social-media-marketing-w-malej-firmie/",
        "/tags/seo/",
        // A warning callout (its title's contrast) and the English seed article.
        "/seo/profil-firmy-w-google/",
        "/en/media-spolecznosciowe/social-media-marketing-w-malej-firmie/",
        "/en/",
        "/404.html",
        // Tabs, formulas, and a titled code block with numbered, marked lines.
        "/media-spolecznosciowe/planowanie-postow/",
        "/media-spolecznosciowe/zwrot-z-reklamy-roas/",
        "/seo/marketing-lokalny/",
    ];
    for page in pages {
        let rel = page.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        assert!(
            site.output(&file).is_file(),
            "{page} is a page of the sample"
        );
    }
    let found = axe_violations(&site, &pages, None);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_home_pages_recent_list_says_which_date_it_shows() {
    let site = Site::new()
        .file(
            "content/porady/nowy.md",
            &article("Nowy", "2024-01-01", "updated: 2024-03-05\n", "Tekst."),
        )
        .file(
            "content/porady/stary.md",
            &article("Stary", "2024-01-02", "", "Tekst."),
        );
    site.build(&["-q"]);
    let home = site.read("index.html");
    let item = |title: &str| {
        let start = home.find(&format!(">{title}</a>")).unwrap();
        let end = start + home[start..].find("</li>").unwrap();
        home[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        item("Nowy")
            .contains("Zaktualizowano <time datetime=\"2024-03-05\">5 marca 2024</time> · Porady"),
        "{}",
        item("Nowy")
    );
    assert!(
        item("Stary")
            .contains("Opublikowano <time datetime=\"2024-01-02\">2 stycznia 2024</time> · Porady"),
        "{}",
        item("Stary")
    );
}

#[test]
fn axe_finds_nothing_on_the_search_page_and_the_open_popup() {
    let site = Site::sample();
    site.build(&["-q"]);
    let found = axe_violations(
        &site,
        &["/search/?q=spolecznosciowych"],
        Some(("/seo/", "spolecznosciowych")),
    );
    assert!(found.is_empty(), "{found:#?}");
}
