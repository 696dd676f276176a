//! Trees written for other generators: Hugo, Jekyll and MDX conventions in one site, the
//! broken-link policy, link normalisation, folder pages, aliases and the summary line.

use crate::fixture::{Site, article, assert_has, json_diagnostics};

/// A site with a Hugo-style, a Jekyll-style and an MDX-style folder that link across.
fn mixed_site() -> Site {
    Site::new()
        .file(
            "content/index.md",
            "---\ntitle: Witaj\n---\n\nStart: [Hugo](/hugo/start/), [JSX](/docs/jsx-in-depth.html), [React](/react/).\n",
        )
        .file("content/hugo/_index.md", "+++\ntitle = \"Hugo\"\n+++\n")
        .file(
            "content/hugo/szybki-start.md",
            "+++\ntitle = \"Szybki start z Hugo\"\nlinkTitle = \"Start\"\nurl = \"/hugo/start/\"\nlastmod = 2024-05-01\ndate = 2024-01-01\naliases = [\"/stary-start/\", \"/Hugo/Start\"]\ntype = \"docs\"\n+++\n\nZobacz [StrictMode](/React/StrictMode), [klucze](/react/strictmode/#Where-To-Get-Your-Key), [JSX](/docs/jsx-in-depth.html#Komponenty-Uzytkownika) i [post](/blog/2013/06/05/why-react.html).\n",
        )
        .file(
            "content/hugo/pozniej.md",
            "---\ntitle: Później\ndate: 2024-01-01\npublishDate: 2999-01-01\n---\n\nJeszcze nie.\n",
        )
        .file(
            "content/hugo/stare.md",
            "---\ntitle: Stare\ndate: 2024-01-01\nexpiryDate: 2001-01-01\n---\n\nJuż nie.\n",
        )
        .file(
            "content/docs/jsx-in-depth.md",
            "---\nid: jsx-in-depth\ntitle: JSX w szczegółach\nlayout: docs\npermalink: docs/jsx-in-depth.html\nredirect_from:\n  - \"docs/jsx-spread.html\"\n  - \"tips/if-else.html\"\nauthor: [petehunt]\n---\n\n## Komponenty użytkownika\n\nTekst o [Hooks](/react/usestate) i [starcie](/hugo/start).\n",
        )
        .file(
            "content/blog/2013-06-05-why-react.md",
            "---\ntitle: Why did we build React?\nauthor: petehunt\n---\n\nZobacz [JSX](/docs/jsx-in-depth.html) i [spread](/docs/jsx-spread.html).\n",
        )
        .file(
            "content/react/index.md",
            "---\ntitle: React\n---\n\nOpis folderu React.\n",
        )
        .file(
            "content/react/StrictMode.md",
            "---\ntitle: StrictMode\nsidebar_label: Strict\nsidebar_position: 2\nhide_title: true\n---\n\n{/* TODO: przetłumaczyć */}\n\n## Skąd wziąć klucze {/*where-to-get-your-key*/}\n\nZobacz [useState](./useState) i [start](/hugo/start/index.html).\n",
        )
        .file(
            "content/react/useState.md",
            "---\ntitle: useState\nsidebar_position: 1\n---\n\n## Użycie {#usage}\n\nZobacz [klucze](/react/StrictMode#where-to-get-your-key) i [JSX](/docs/jsx-in-depth).\n",
        )
}

#[test]
fn hugo_jekyll_and_mdx_folders_build_together_and_link_across() {
    let site = mixed_site();
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    assert!(
        !diags
            .iter()
            .any(|d| d.code == "front-matter-typo" || d.severity == "error"),
        "{diags:#?}"
    );
    // Addresses the articles define.
    let jsx = site.read("docs/jsx-in-depth.html");
    assert!(jsx.contains("JSX w szczegółach"));
    assert!(jsx.contains("petehunt"), "author: means authors");
    for (old, to) in [
        ("docs/jsx-spread.html", "/docs/jsx-in-depth.html"),
        ("tips/if-else.html", "/docs/jsx-in-depth.html"),
        ("stary-start/index.html", "/hugo/start/"),
        ("blog/2013/06/05/why-react.html", "/blog/why-react/"),
    ] {
        let redirect = site.read(old);
        assert!(redirect.contains(to), "{old}: {redirect}");
    }
    // The alias that is the page's own address in other letters is no redirect.
    assert!(!site.output("Hugo/Start/index.html").exists());
    // A dated file name gives the date and the slug.
    let post = site.read("blog/why-react/index.html");
    assert!(post.contains("2013-06-05"), "{post}");
    // Folder pages: the root `index.md` is home, `react/index.md` the folder's page.
    let home = site.read("index.html");
    assert!(home.contains("Witaj"));
    let react = site.read("react/index.html");
    assert!(react.contains("Opis folderu React"));
    assert!(
        react.contains("/react/strictmode/"),
        "the section lists its articles"
    );
    // Links that differ from an address in case, slash, `index.html` or `.md` reach it and
    // are written as its address.
    let start = site.read("hugo/start/index.html");
    assert!(start.contains(r#"href="/react/strictmode/""#), "{start}");
    let strict = site.read("react/strictmode/index.html");
    assert!(strict.contains(r#"href="/react/usestate/""#), "{strict}");
    assert!(strict.contains(r#"href="/hugo/start/""#), "{strict}");
    // MDX heading ids and comments never show.
    assert!(strict.contains(r#"id="where-to-get-your-key""#), "{strict}");
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(!html.contains("{/*"), "{path} shows an MDX comment");
        }
    }
    // The sidebar names articles by their short title, in their position order.
    let nav_start = strict.find("Strict<").expect("short title in the sidebar");
    let nav_use = strict.find(">useState<").expect("useState in the sidebar");
    assert!(nav_use < nav_start, "sidebar_position orders the sidebar");
    assert!(
        start.contains(">Start<"),
        "linkTitle names the page in the sidebar"
    );
    // `lastmod` is `updated`.
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/hugo/start/</loc><lastmod>2024-05-01</lastmod>")
            || sitemap.contains("<lastmod>2024-05-01</lastmod>"),
        "{sitemap}"
    );
    // Not yet published and expired articles stay out.
    assert!(!site.output("hugo/pozniej/index.html").exists());
    assert!(!site.output("hugo/stare/index.html").exists());
}

#[test]
fn future_and_expired_articles_are_built_with_future() {
    let site = mixed_site();
    site.build(&["-q", "--future"]);
    assert!(site.output("hugo/pozniej/index.html").exists());
    assert!(site.output("hugo/stare/index.html").exists());
}

#[test]
fn a_link_to_an_article_not_yet_published_says_so() {
    let site = Site::new()
        .file(
            "content/a.md",
            &article("A", "2024-01-01", "", "Zobacz [B](b.md)."),
        )
        .file(
            "content/b.md",
            &article("B", "2024-01-01", "publishDate: 2999-01-01\n", "B."),
        );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "draft-link", "content/a.md", 6, 12);
    assert!(run.stderr.contains("--future"), "{}", run.stderr);
    site.build(&["-q", "--future"]);
}

fn broken_site(config_extra: &str) -> Site {
    Site::empty()
        .file(
            "kbsite.yaml",
            &format!("title: Test\nbase_url: https://example.org/\nlanguage: pl\n{config_extra}"),
        )
        .file(
            "content/a.md",
            &article(
                "A",
                "2024-01-01",
                "",
                "Zobacz [brak](/nie-ma/), [B](b.md#nie-ma-takiej) i ![obraz](nie-ma.png).",
            ),
        )
        .file(
            "content/b.md",
            &article("B", "2024-01-01", "", "## Jest\n\nTekst."),
        )
}

#[test]
fn broken_links_stop_the_build_by_default() {
    let site = broken_site("");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "missing-page", "content/a.md", 6, 15);
    assert!(!site.output("index.html").exists());
    assert!(
        run.stderr
            .contains("3 errors (1 missing-anchor, 1 missing-file, 1 missing-page)"),
        "one summary line by code: {}",
        run.stderr
    );
}

#[test]
fn broken_links_warn_when_the_config_says_so() {
    let site = broken_site("broken_links: warn\n");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    for (code, column) in [
        ("missing-page", 15),
        ("missing-anchor", 30),
        ("missing-file", 61),
    ] {
        let d = diags
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {diags:#?}"));
        assert_eq!(d.severity, "warning");
        assert_eq!(
            (d.file.as_deref(), d.line, d.column),
            (Some("content/a.md"), Some(6), Some(column)),
            "{code}"
        );
    }
    // The links keep the address as written.
    let a = site.read("a/index.html");
    assert!(a.contains(r#"href="/nie-ma/""#), "{a}");
    assert!(a.contains(r#"src="nie-ma.png""#), "{a}");
    assert!(run.stderr.contains("1 missing-page"), "{}", run.stderr);
    // --strict still fails on them, and writes nothing new.
    let strict = site.run(&["build", "--strict", "-o", "strict-out"]);
    strict.assert_code(1);
    assert!(!site.path().join("strict-out").exists());
    // The command line wins over the config.
    site.run(&["check", "--broken-links", "error"])
        .assert_code(1);
}

#[test]
fn broken_links_warn_from_the_command_line() {
    let site = broken_site("");
    site.run(&["check", "--broken-links", "warn"]).assert_ok();
    site.run(&["build", "--broken-links", "warn", "-q"])
        .assert_ok();
    assert!(site.output("a/index.html").exists());
    let bad = site.run(&["build", "--broken-links", "maybe"]);
    bad.assert_code(2);
    let config = broken_site("broken_links: sometimes\n");
    let (run, diags) = config.diagnose(&["build"]);
    run.assert_code(2);
    assert_has(&diags, "config-value", "kbsite.yaml", 4, 0);
}

#[test]
fn a_date_in_a_file_name_that_is_no_date_is_an_error() {
    let site = Site::new().file(
        "content/blog/2013-13-45-zly.md",
        "---\ntitle: Zły\n---\n\nx\n",
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "bad-date", "content/blog/2013-13-45-zly.md", 1, 1);
    assert!(run.stderr.contains("YYYY-MM-DD"), "{}", run.stderr);
}

#[test]
fn an_alias_onto_another_page_names_both_files() {
    let site = Site::new()
        .file("content/a.md", &article("A", "2024-01-01", "", "x"))
        .file(
            "content/b.md",
            &article("B", "2024-01-01", "redirect_from: [\"/a/\"]\n", "y"),
        );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_eq!(diags[0].code, "duplicate-url", "{diags:#?}");
    assert!(
        run.stderr.contains("content/a.md") && run.stderr.contains("content/b.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_lone_index_is_a_bundle_and_readme_is_a_folder_page() {
    let site = Site::new()
        .file(
            "content/poradnik/index.md",
            "---\ntitle: Poradnik\n---\n\n![x](obraz.png)\n",
        )
        .file("content/poradnik/obraz.png", "png")
        .file(
            "content/instrukcje/README.md",
            "---\ntitle: Instrukcje\nsort_by: title\n---\n\nWszystkie instrukcje.\n",
        )
        .file(
            "content/instrukcje/b.md",
            &article("Beta", "2024-01-01", "", "x"),
        )
        .file(
            "content/instrukcje/a.md",
            &article("Alfa", "2024-01-02", "", "x"),
        );
    site.build(&["-q"]);
    let bundle = site.read("poradnik/index.html");
    assert!(bundle.contains("Poradnik"));
    assert!(site.output("poradnik/obraz.png").exists());
    let section = site.read("instrukcje/index.html");
    assert!(section.contains("Wszystkie instrukcje"));
    let (alfa, beta) = (
        section.find("/instrukcje/a/").unwrap(),
        section.find("/instrukcje/b/").unwrap(),
    );
    assert!(alfa < beta, "the README's sort_by orders the section");
    assert!(!site.output("instrukcje/readme/index.html").exists());
}

#[test]
fn a_readme_beside_a_folder_index_is_an_article_of_its_own() {
    let site = Site::new()
        .file(
            "content/docs/index.md",
            "---\ntitle: Dokumentacja\n---\n\nWstęp.\n",
        )
        .file(
            "content/docs/README.md",
            "---\ntitle: Przeczytaj\n---\n\nUwagi.\n",
        )
        .file("content/docs/a.md", &article("A", "2024-01-01", "", "x"));
    site.build(&["-q"]);
    assert!(site.read("docs/index.html").contains("Wstęp"));
    assert!(site.read("docs/readme/index.html").contains("Uwagi"));
}

#[test]
fn keys_of_other_generators_draw_no_typo_warning() {
    let site = Site::new().file(
        "content/a.md",
        &article(
            "A",
            "2024-01-01",
            "author: Anna\nlayout: post\nkeywords: [a, b]\nsidebar: docs\nhide_title: true\nnav_order: 3\ntittle: X\n",
            "x",
        ),
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    let typos: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "front-matter-typo")
        .collect();
    assert_eq!(typos.len(), 1, "only the real typo: {typos:#?}");
    assert!(typos[0].message.contains("tittle"));
    let json = json_diagnostics(&site.run(&["check", "--format", "json"]).stdout);
    assert!(!json.iter().any(|d| d.message.contains("`author`")));
}

#[test]
fn the_legacy_react_docs_build_with_few_broken_links_and_are_searchable() {
    let site = Site::legacy_corpus();
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    let broken = diags
        .iter()
        .filter(|d| kbsite::error::is_broken_link_code(&d.code))
        .count();
    // Its pictures are not part of the corpus; nearly all other links reach their page.
    assert!(broken < 150, "{broken} broken links");
    assert!(
        !diags.iter().any(|d| d.code == "front-matter-typo"),
        "author:, id:, layout: are known fields"
    );
    assert!(site.output("docs/jsx-in-depth.html").exists());
    assert!(site.output("blog/2013/06/05/why-react.html").exists());
    let search = site.run(&["search", "jsx w szczegolach", "--json"]);
    search.assert_ok();
    let hits: serde_json::Value = serde_json::from_str(&search.stdout).unwrap();
    let url = hits[0]["url"].as_str().unwrap_or_default();
    assert!(
        url.starts_with("/docs/jsx-in-depth.html"),
        "{}",
        search.stdout
    );
}

#[test]
fn a_sites_own_404_page_replaces_the_themes_and_is_no_article() {
    let site = Site::new()
        .file(
            "content/404.md",
            "---\ntitle: Nie ma takiej strony\npermalink: 404.html\n---\n\nSprawdź adres.\n",
        )
        .file(
            "content/blog/2013-10-3-przeglad.md",
            "---\ntitle: Przegląd\n---\n\nTekst.\n",
        );
    site.build(&["-q"]);
    let not_found = site.read("404.html");
    assert!(not_found.contains("Sprawdź adres"), "{not_found}");
    assert!(not_found.contains("noindex"));
    assert!(!site.read("index.html").contains("Nie ma takiej strony"));
    assert!(!site.read("sitemap.xml").contains("404"));
    let hits = site.run(&["search", "sprawdz adres", "--json"]);
    assert!(!hits.stdout.contains("404.html"), "{}", hits.stdout);
    // A one-digit day in a Jekyll file name is still a date.
    let post = site.read("blog/przeglad/index.html");
    assert!(post.contains("2013-10-03"), "{post}");
    assert!(site.output("blog/2013/10/03/przeglad.html").exists());
}

#[test]
fn two_pages_with_one_old_address_keep_it_for_the_first() {
    let site = Site::new()
        .file(
            "content/a.md",
            &article("A", "2024-01-01", "aliases: [\"/stary/\"]\n", "x"),
        )
        .file(
            "content/b.md",
            &article("B", "2024-01-01", "aliases: [\"/stary/\"]\n", "y"),
        );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    assert_has(&diags, "duplicate-alias", "content/b.md", 4, 1);
    assert!(site.read("stary/index.html").contains("/a/"));
}

#[test]
fn an_alias_or_address_cannot_name_kbsites_own_marker() {
    for front in [
        "aliases: [\"/.kbsite-output\"]\n",
        "permalink: .kbsite-output\n",
    ] {
        let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", "x"));
        site.build(&["-q"]);
        site.write("content/a.md", &article("A", "2024-01-01", front, "x"));
        let (run, diags) = site.diagnose(&["build"]);
        run.assert_code(1);
        assert!(
            diags
                .iter()
                .any(|d| d.code == "unsafe-path" || d.code == "bad-path"),
            "{diags:#?}"
        );
        // The earlier output, and its marker, are untouched.
        assert_eq!(
            std::fs::read_to_string(site.output(".kbsite-output"))
                .unwrap()
                .lines()
                .next(),
            Some("This folder is written by kbsite; it is replaced on every build.")
        );
    }
}
