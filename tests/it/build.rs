//! Features of the build, each on a small fixture site.

use crate::fixture::{Site, article, main_of};

fn blog() -> Site {
    Site::new()
        .file("content/_index.md", "---\ntitle: \"Start\"\n---\nWitaj.\n")
        .file(
            "content/blog/_index.md",
            "---\ntitle: \"Blog\"\nsort_by: date\npaginate_by: 2\n---\n",
        )
        .file(
            "content/blog/a.md",
            &article(
                "Artykuł A",
                "2024-01-01",
                "tags: [\"SEO\"]\n",
                "Tekst A. Link do [B](b.md#druga).",
            ),
        )
        .file(
            "content/blog/b.md",
            &article(
                "Artykuł B",
                "2024-02-01",
                "tags: [\"seo\", \"Mała firma\"]\n",
                "## Druga\n\nTekst B.",
            ),
        )
        .file(
            "content/blog/c.md",
            &article("Artykuł C", "2024-03-01", "", "Tekst C [home](../../)."),
        )
}

#[test]
fn site_under_a_sub_path() {
    let site = blog();
    site.build(&["--base-url", "https://example.org/kb"]);
    let a = site.read("blog/a/index.html");
    assert!(
        a.contains("href=\"/kb/blog/b/#druga\""),
        "md link under base path"
    );
    assert!(
        a.contains("href=\"/kb/style.css?h="),
        "assets under base path"
    );
    assert!(a.contains("rel=\"canonical\" href=\"https://example.org/kb/blog/a/\""));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/kb/blog/a/</loc>"));
    assert!(!sitemap.contains("<loc>https://example.org/blog/"));
    assert!(
        site.read("tags/seo/index.html")
            .contains("href=\"/kb/blog/b/\"")
    );
}

#[test]
fn drafts_only_with_the_flag() {
    let site = blog().file(
        "content/blog/szkic.md",
        &article("Szkic", "2024-04-01", "draft: true\n", "W toku."),
    );
    site.build(&[]);
    assert!(!site.output("blog/szkic/index.html").exists());
    assert!(!site.read("sitemap.xml").contains("szkic"));
    assert!(!site.read("atom.xml").contains("Szkic"));
    site.build(&["--drafts"]);
    assert!(site.output("blog/szkic/index.html").exists());
}

#[test]
fn sections_paginate_newest_first() {
    let site = blog();
    site.build(&[]);
    let first = site.read("blog/index.html");
    let second = site.read("blog/page/2/index.html");
    // The listed articles (the sidebar lists every article of the section on every page).
    let cards = |html: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(html);
        let title = scraper::Selector::parse("main article.card .card__title").unwrap();
        doc.select(&title)
            .map(|t| t.text().collect::<String>().trim().to_string())
            .collect()
    };
    assert_eq!(cards(&first), ["Artykuł C", "Artykuł B"], "newest first");
    assert_eq!(cards(&second), ["Artykuł A"]);
    assert!(
        first.contains("href=\"/blog/page/2/\""),
        "link to the next list page"
    );
}

#[test]
fn taxonomy_spellings_merge_into_one_term() {
    let site = blog();
    site.build(&[]);
    let seo = site.read("tags/seo/index.html");
    assert!(seo.contains("Artykuł A") && seo.contains("Artykuł B"));
    assert!(site.output("tags/mala-firma/index.html").exists());
}

#[test]
fn site_templates_override_the_theme() {
    let site = blog()
        .file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }} / {{ page.reading_time }} min</p>{% endblock content %}")
        .file("templates/partials/extra.html", "EXTRA")
        .file("content/blog/d.md", &article("Artykuł D", "2024-05-01", "template: special.html\n", "Tekst D."))
        .file("templates/special.html", "<html><body>special {{ page.title }} {% include \"partials/extra.html\" %}</body></html>");
    site.build(&[]);
    let a = site.read("blog/a/index.html");
    assert!(
        a.contains("<p class=\"custom\">Artykuł A / 1 min</p>"),
        "site page.html used"
    );
    assert!(a.contains("<header"), "theme base.html still extended");
    assert_eq!(
        site.read("blog/d/index.html"),
        "<html><body>special Artykuł D EXTRA</body></html>"
    );
}

#[test]
fn same_input_gives_byte_identical_output() {
    let site = Site::sample();
    site.build(&[]);
    let first = site.tree("public");
    // The second build starts fresh, the third recycles the first tree: all must agree.
    for _ in 0..2 {
        site.build(&[]);
        let again = site.tree("public");
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            again.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &first {
            assert!(bytes == &again[path], "{path} differs between builds");
        }
    }
}

#[test]
fn rebuilds_after_edits_equal_a_clean_build() {
    let site = Site::sample();
    let seed = "content/media-spolecznosciowe/social-media-marketing-w-malej-firmie.md";
    let original = std::fs::read_to_string(site.path().join(seed)).unwrap();
    let edits: [(&str, Option<String>); 4] = [
        (
            seed,
            Some(original.replace(
                "Social media marketing w małej firmie",
                "Media społecznościowe w firmie",
            )),
        ),
        (
            "content/seo/nowy.md",
            Some(article(
                "Nowy",
                "2026-01-01",
                "tags: [\"nowy tag\"]\n",
                "[seed](../media-spolecznosciowe/social-media-marketing-w-malej-firmie.md)",
            )),
        ),
        ("content/seo/nowy.md", None),
        (seed, Some(original.clone())),
    ];
    for (path, text) in edits {
        match text {
            Some(text) => site.write(path, &text),
            None => std::fs::remove_file(site.path().join(path)).unwrap(),
        }
        let run = site.build(&[]);
        let fresh = site.run(&["build", "--output", "fresh"]);
        fresh.assert_ok();
        assert_eq!(
            site.tree("public"),
            site.tree("fresh"),
            "after editing {path}"
        );
        std::fs::remove_dir_all(site.path().join("fresh")).unwrap();
        assert!(
            run.stdout.contains(" changed) written to public"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn files_beside_articles_and_static_files_are_copied() {
    let site = Site::new()
        .file(
            "content/poradniki/_index.md",
            "---\ntitle: Poradniki\n---\n",
        )
        .file(
            "content/poradniki/wpis.md",
            &article(
                "Wpis",
                "2024-01-01",
                "",
                "![Wykres](wykres.png) i [PDF](cennik.pdf).",
            ),
        )
        .file("content/poradniki/wykres.png", "PNG")
        .file("content/poradniki/cennik.pdf", "PDF")
        .file("content/poradniki/.ukryty.md", "---\ntitle: [\n")
        .file("content/poradniki/wpis.md~", "backup")
        .file("content/poradniki/.wpis.md.swp", "swap")
        .file("static/favicon.ico", "ICO");
    site.build(&[]);
    let html = site.read("poradniki/wpis/index.html");
    assert!(
        html.contains("src=\"/poradniki/wykres.png\""),
        "image link rewritten to its URL"
    );
    assert!(html.contains("href=\"/poradniki/cennik.pdf\""));
    assert_eq!(site.read("poradniki/wykres.png"), "PNG");
    assert_eq!(site.read("favicon.ico"), "ICO");
    let files = site.tree("public");
    assert!(
        !files
            .keys()
            .any(|k| k.contains("ukryty") || k.ends_with('~') || k.ends_with(".swp")),
        "hidden and backup files ignored: {:?}",
        files.keys()
    );
}

#[test]
fn front_matter_variants() {
    let site = Site::new()
        .file(
            "content/bom.md",
            "\u{feff}---\r\ntitle: \"Z BOM\"\r\ndate: 2024/03/01\r\n---\r\n\r\nTreść.\r\n",
        )
        .file(
            "content/bez-naglowka.md",
            "# Tytuł z nagłówka\n\nTreść.\n\n---\n\nPo linii.\n",
        )
        .file("content/pusty.md", "---\n# tylko komentarz\n---\nTreść.\n")
        .file(
            "content/czas.md",
            "---\ntitle: Czas\ndate: 2024-03-01 10:30 +0100\nsposob: ekstra\n---\nTreść.\n",
        );
    site.build(&[]);
    let bom = site.read("bom/index.html");
    assert!(bom.contains("<h1 class=\"article__title\">Z BOM</h1>"));
    assert!(bom.contains("datetime=\"2024-03-01\""));
    let h1 = site.read("bez-naglowka/index.html");
    assert!(
        h1.contains("<title>Tytuł z nagłówka"),
        "title from the first heading"
    );
    assert!(h1.contains("<hr />"), "a later --- is a rule");
    assert_eq!(
        main_of(&h1).matches("<h1").count(),
        1,
        "the heading became the title, not a second h1"
    );
    assert!(
        site.read("pusty/index.html").contains("<title>Pusty"),
        "title from the file name"
    );
    assert!(
        site.read("czas/index.html")
            .contains("datetime=\"2024-03-01T10:30:00+01:00\"")
    );
}

#[test]
fn heading_ids_are_unique_and_transliterated() {
    let site = Site::new().file(
        "content/a.md",
        &article("A", "2024-01-01", "", "## Słowa kluczowe\n\nx\n\n## Słowa kluczowe\n\ny\n\n## Własny {#moj-id}\n\n[link](#moj-id)"),
    );
    site.build(&[]);
    let html = site.read("a/index.html");
    assert!(html.contains("id=\"slowa-kluczowe\"") && html.contains("id=\"slowa-kluczowe-1\""));
    assert!(html.contains("id=\"moj-id\""));
    assert!(
        html.contains("href=\"#slowa-kluczowe-1\""),
        "table of contents links the second heading"
    );
}

#[test]
fn output_flag_and_config_output_dir() {
    let site = blog().file(
        "kbsite.yaml",
        &format!("{}output_dir: dist\n", crate::fixture::MINIMAL_CONFIG),
    );
    site.build(&[]);
    assert!(site.path().join("dist/blog/a/index.html").exists());
    site.build(&["--output", "elsewhere"]);
    assert!(site.path().join("elsewhere/blog/a/index.html").exists());
}

#[test]
fn english_site_uses_english_strings_and_dates() {
    let site = Site::empty()
        .file(
            "kbsite.yaml",
            "title: KB\nbase_url: https://example.org/\nlanguage: en\n",
        )
        .file(
            "content/a.md",
            &article("A", "2026-11-27", "", "Says \"yes\"."),
        );
    site.build(&[]);
    let html = site.read("a/index.html");
    assert!(html.contains("27 November 2026"));
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("“yes”"));
}

#[test]
fn polish_dates_in_templates() {
    let site = Site::new().file("content/a.md", &article("A", "2026-11-27", "", "Tekst."));
    site.build(&[]);
    assert!(site.read("a/index.html").contains("27 listopada 2026"));
}

#[test]
fn queries_escapes_and_autolinks_in_links() {
    let site = Site::new()
        .file("content/seo/moja strona.md", &article("Moja", "2024-01-01", "", "x"))
        .file("content/seo/Mój Wykres.png", "PNG")
        .file(
            "content/seo/a.md",
            &article("A", "2024-01-01", "", "[m](moja%20strona.md?utm=1#x) ![w](M%C3%B3j%20Wykres.png) [t](/tags/?s=1) <https://example.org/x.md>"),
        );
    // `#x` is not a heading of the target: the anchor is still checked after decoding.
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("heading `#x` not found in content/seo/moja strona.md"),
        "{}",
        run.stderr
    );
    site.write(
        "content/seo/a.md",
        &article("A", "2024-01-01", "", "[m](moja%20strona.md?utm=1) ![w](M%C3%B3j%20Wykres.png) [t](/tags/?s=1) <https://example.org/x.md>"),
    );
    site.build(&[]);
    let html = site.read("seo/a/index.html");
    assert!(html.contains("href=\"/seo/moja-strona/?utm=1\""), "{html}");
    assert!(
        html.contains("src=\"/seo/M%C3%B3j%20Wykres.png\"")
            || html.contains("src=\"/seo/Mój Wykres.png\""),
        "{html}"
    );
    assert!(html.contains("href=\"/tags/?s=1\""));
    assert!(
        html.contains("href=\"https://example.org/x.md\""),
        "autolinks are never rewritten"
    );
}

#[test]
fn a_partial_default_theme_folder_overrides_only_its_files() {
    let site = Site::new()
        .file("content/a.md", &article("A", "2024-01-01", "", "x"))
        .file("themes/default/templates/page.html", "{% extends \"base.html\" %}{% block content %}<p>moja strona {{ page.title }}</p>{% endblock content %}");
    site.build(&[]);
    let html = site.read("a/index.html");
    assert!(html.contains("<p>moja strona A</p>"));
    assert!(
        html.contains("class=\"site-header") || html.contains("<header"),
        "base.html still from the built-in theme"
    );
    assert!(site.output("style.css").exists());
}

#[test]
fn bundle_without_title_is_named_after_its_folder() {
    let site = Site::new().file(
        "content/seo/jak-zaczac-z-seo/index.md",
        "Tekst bez tytułu.\n",
    );
    site.build(&[]);
    assert!(
        site.read("seo/jak-zaczac-z-seo/index.html")
            .contains("<title>Jak zaczac z seo")
    );
}

#[test]
fn sitemap_dates_with_a_time_carry_a_zone() {
    let site = Site::new().file(
        "content/a.md",
        "---\ntitle: A\ndate: 2024-03-01 10:30\n---\nx\n",
    );
    site.build(&[]);
    assert!(
        site.read("sitemap.xml")
            .contains("<lastmod>2024-03-01T10:30:00Z</lastmod>")
    );
}

/// A small site of `n` articles, built once; returns it with its clean output.
fn built_site(n: usize) -> (Site, std::collections::BTreeMap<String, Vec<u8>>) {
    let mut site = Site::new();
    for i in 0..n {
        site = site.file(
            &format!("content/porady/artykul-{i}.md"),
            &article(&format!("Artykuł {i}"), "2024-01-01", "", "Tekst."),
        );
    }
    site.build(&["-q"]);
    let clean = site.tree("public");
    (site, clean)
}

fn start_kbsite(site: &Site, args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_kbsite"))
        .args(args)
        .current_dir(site.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start kbsite")
}

/// Pseudo-random numbers below `bound` from a seed (the seed is printed on failure).
fn offsets(seed: u64, count: usize, bound: u64) -> Vec<u64> {
    let mut x = seed | 1;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % bound
        })
        .collect()
}

/// A fresh seed per run, or the one in `KBSITE_TEST_SEED` to replay a failure.
fn seed() -> u64 {
    if let Some(seed) = std::env::var("KBSITE_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return seed;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kbsite-staging"))
        .collect()
}

#[test]
fn two_builds_of_one_site_at_once_both_succeed_and_leave_a_whole_site() {
    let (site, clean) = built_site(40);
    let seed = seed();
    // Offsets from "at once" to "the first is swapping in its output"; every other second
    // build refuses to wait instead.
    for (run, offset_ms) in offsets(seed, 12, 150).into_iter().enumerate() {
        let no_wait = run % 2 == 1;
        let first = start_kbsite(&site, &["build", "-q"]);
        std::thread::sleep(std::time::Duration::from_millis(offset_ms));
        let second_args: &[&str] = if no_wait {
            &["build", "-q", "--no-wait"]
        } else {
            &["build", "-q"]
        };
        let second = start_kbsite(&site, second_args);
        let first = first.wait_with_output().expect("wait for kbsite");
        let second = second.wait_with_output().expect("wait for kbsite");
        let context = format!("seed {seed}, offset {offset_ms} ms, --no-wait {no_wait}");
        assert!(
            first.status.success(),
            "{context}: {}",
            String::from_utf8_lossy(&first.stderr)
        );
        let second_err = String::from_utf8_lossy(&second.stderr);
        assert!(
            second.status.success()
                || (no_wait
                    && second.status.code() == Some(2)
                    && second_err.contains("output-locked")
                    && second_err.contains("another kbsite is writing")),
            "{context}: {second_err}"
        );
        assert_eq!(
            site.tree("public"),
            clean,
            "{context}: the output is a whole build"
        );
        assert!(site.output(".kbsite-output").exists(), "{context}");
        assert!(
            leftovers(&site).is_empty(),
            "{context}: {:?}",
            leftovers(&site)
        );
    }
}

#[test]
fn a_build_refuses_to_wait_for_another_writer_with_no_wait_and_waits_without() {
    let (site, _) = built_site(3);
    // Another writer: the lock beside the output, held by this test.
    let lock = std::fs::File::options()
        .write(true)
        .open(site.path().join(".public.kbsite-lock"))
        .expect("the lock file is made by the first build");
    lock.lock().unwrap();
    let refused = site.run(&["build", "--no-wait"]);
    refused.assert_code(2);
    assert!(
        refused.stderr.contains("output-locked"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("--no-wait"),
        "the hint says how to wait"
    );

    let mut waiting = start_kbsite(&site, &["build", "-q"]);
    let mut stderr = waiting.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        text
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "the build waits for the lock"
    );
    lock.unlock().unwrap();
    assert!(waiting.wait().unwrap().success());
    assert!(
        reader
            .join()
            .unwrap()
            .contains("Waiting for another kbsite")
    );
}

#[test]
fn after_a_killed_build_the_next_one_keeps_the_files_and_their_times() {
    let (site, _) = built_site(150);
    site.build(&["-q"]);
    let page = "porady/artykul-7/index.html";
    let stamp = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let set_time = |rel: &str| {
        std::fs::File::options()
            .write(true)
            .open(site.output(rel))
            .unwrap()
            .set_modified(stamp)
            .unwrap();
    };
    let seed = seed();
    let unchanged = site.read(page);
    for offset_ms in offsets(seed, 4, 400) {
        set_time(page);
        site.write(
            "content/porady/artykul-1.md",
            &article(
                "Artykuł 1",
                "2024-01-01",
                "",
                // A word no other article has: the change must not touch what other
                // pages show about this one (related articles match shared words).
                &format!("Zmiana q{offset_ms}z."),
            ),
        );
        let mut build = start_kbsite(&site, &["build", "-q"]);
        std::thread::sleep(std::time::Duration::from_millis(offset_ms));
        let _ = build.kill();
        let _ = build.wait();
        site.build(&["-q"]);
        let context = format!("seed {seed}, killed after {offset_ms} ms");
        assert!(leftovers(&site).is_empty(), "{context}");
        assert!(site.output(".kbsite-output").exists(), "{context}");
        assert!(
            site.read("porady/artykul-1/index.html")
                .contains(&format!("Zmiana q{offset_ms}z.")),
            "{context}"
        );
        assert_eq!(
            site.read(page),
            unchanged,
            "{context}: the page is unchanged"
        );
        let time = std::fs::metadata(site.output(page))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(time, stamp, "{context}: an unchanged page keeps its time");
    }
    let again = site.tree("public");
    site.build(&["-q"]);
    assert_eq!(site.tree("public"), again);
}

#[test]
fn raw_html_false_shows_html_as_text_on_pages_and_in_the_feed() {
    let body = "Tekst <img src=x onerror=alert(1)> i [link](javascript:alert(2)).\n\n<script>alert(3)</script>\n";
    let site = Site::new()
        .file("content/a.md", &article("Artykuł", "2024-01-01", "", body))
        .file(
            "content/b.md",
            &article("Drugi", "2024-01-02", "", "Z <b>HTML</b>.\n"),
        );
    site.build(&["-q"]);
    let page = site.read("a/index.html");
    assert!(
        page.contains("<script>alert(3)</script>"),
        "passed by default"
    );
    assert!(page.contains("href=\"javascript:alert(2)\""));

    site.write(
        "kbsite.yaml",
        &format!("{}raw_html: false\n", crate::fixture::MINIMAL_CONFIG),
    );
    site.build(&["-q"]);
    let page = main_of(&site.read("a/index.html")).to_string();
    assert!(!page.contains("<script>alert(3)"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(!page.contains("javascript:"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(3)&lt;/script&gt;"),
        "{page}"
    );
    let feed = site.read("atom.xml");
    assert!(
        !feed.contains("&lt;script&gt;alert(3)"),
        "the feed escapes it once more"
    );
    assert!(feed.contains("&amp;lt;script&amp;gt;alert(3)"), "{feed}");
    assert!(
        site.read("b/index.html")
            .contains("Z &lt;b&gt;HTML&lt;/b&gt;.")
    );
}

/// The `-v` line about rendered files: (rendered, carried over).
fn rendered_and_carried(run: &crate::fixture::Run) -> (usize, usize) {
    let line = run
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("templates: "))
        .unwrap_or_else(|| panic!("no templates line in:\n{}", run.stdout));
    let numbers: Vec<usize> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    (numbers[0], numbers[1])
}

#[test]
fn a_build_renders_only_what_changed_since_the_last_build_into_its_folder() {
    let site = blog();
    let first = site.build(&["-v"]);
    let (all, none) = rendered_and_carried(&first);
    assert_eq!(none, 0, "nothing to carry over yet");
    assert!(all > 10, "{}", first.stdout);

    let second = site.build(&["-v"]);
    assert_eq!(rendered_and_carried(&second), (0, all), "nothing changed");
    let clean = site.tree("public");

    // An edited body renders its page and what shows it, not the rest.
    let a = std::fs::read_to_string(site.path().join("content/blog/a.md")).unwrap();
    site.write(
        "content/blog/a.md",
        &a.replace("Tekst A.", "Tekst A, poprawiony."),
    );
    let edited = site.build(&["-v"]);
    let (rendered, carried) = rendered_and_carried(&edited);
    // Here: the page, its neighbours and related pages, the lists, tags and feed showing
    // it; the other articles' pages are carried over.
    assert!(rendered >= 1 && carried >= 1, "{}", edited.stdout);
    assert_eq!(rendered + carried, all);
    assert!(site.read("blog/a/index.html").contains("poprawiony"));

    // A page changed by hand in the output is rendered again, not carried over.
    let b = site.output("blog/b/index.html");
    std::fs::write(&b, "zepsute").unwrap();
    let repaired = site.build(&["-v"]);
    assert_eq!(rendered_and_carried(&repaired), (1, all - 1));
    site.write("content/blog/a.md", &a);
    site.build(&[]);
    assert_eq!(site.tree("public"), clean, "back to the first output");

    // Another output folder starts with nothing to carry over, and gets the same bytes.
    let other = site.build(&["-v", "--output", "other"]);
    assert_eq!(rendered_and_carried(&other), (all, 0));
    assert_eq!(site.tree("other"), clean);
}
