//! Bad input: a clear message with file:LINE:COL, the right exit code, and nothing lost.
//! Each broken site has a snapshot of its human diagnostic and assertions on its JSON form.

use std::collections::BTreeMap;

use crate::fixture::{Diag, Run, Site, article, assert_has};

/// A site that builds; then `change` breaks it. The failed build must leave the output as it
/// was and no staging folder behind.
fn built_then(change: impl FnOnce(&Site)) -> (Site, Run, Vec<Diag>) {
    let site = Site::new()
        .file(
            "content/a.md",
            &article("A", "2024-01-01", "", "Tekst [b](b.md)."),
        )
        .file(
            "content/b.md",
            &article("B", "2024-01-02", "", "## Sekcja\n\nTekst [a](a.md)."),
        );
    site.build(&[]);
    let before = site.tree("public");
    change(&site);
    let (run, diags) = site.diagnose(&["build"]);
    assert_eq!(
        before,
        site.tree("public"),
        "a failed build must not touch the previous output"
    );
    no_staging_left(&site);
    (site, run, diags)
}

fn no_staging_left(site: &Site) {
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kbsite-staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

fn snapshot(name: &str, site: &Site, run: &Run) {
    insta::assert_snapshot!(name, site.redact(&run.stderr));
}

#[test]
fn broken_yaml() {
    let (site, run, diags) = built_then(|s| {
        s.write(
            "content/b.md",
            "---\ntitle: B\ntags: [a, b\ndate: 2024-01-01\n---\nTekst.\n",
        )
    });
    run.assert_code(1);
    assert_has(&diags, "front-matter-yaml", "content/b.md", 3, 7);
    assert!(diags[0].hint.is_some(), "a hint is given");
    snapshot("broken_yaml", &site, &run);
}

#[test]
fn wrong_field_type() {
    let (site, run, diags) = built_then(|s| {
        s.write(
            "content/b.md",
            "---\ntitle: B\n\ndraft: maybe\n---\nTekst.\n",
        )
    });
    run.assert_code(1);
    assert_has(&diags, "front-matter-type", "content/b.md", 4, 8);
    assert!(diags[0].message.contains("`draft`: expected true or false"));
    snapshot("wrong_field_type", &site, &run);
}

#[test]
fn bad_date() {
    let (site, run, diags) =
        built_then(|s| s.write("content/b.md", "---\ntitle: B\ndate: 31.12.2024\n---\n"));
    run.assert_code(1);
    assert_has(&diags, "bad-date", "content/b.md", 3, 7);
    assert!(run.stderr.contains("YYYY-MM-DD"));
    snapshot("bad_date", &site, &run);
}

#[test]
fn unknown_config_key() {
    let site = Site::empty().file("kbsite.yaml", "title: X\nbase_ur: https://example.org/\n");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(2);
    assert_has(&diags, "config-unknown-key", "kbsite.yaml", 2, 1);
    assert!(run.stderr.contains("did you mean `base_url`?"));
    snapshot("unknown_config_key", &site, &run);
}

#[test]
fn missing_template() {
    let (site, run, diags) = built_then(|s| {
        s.write(
            "content/b.md",
            "---\ntitle: B\ntemplate: nie-ma.html\n---\n",
        )
    });
    run.assert_code(1);
    assert_has(&diags, "missing-template", "content/b.md", 3, 0);
    assert!(run.stderr.contains("template `nie-ma.html` not found"));
    snapshot("missing_template", &site, &run);
}

#[test]
fn template_syntax_error() {
    let (site, run, diags) =
        built_then(|s| s.write("templates/page.html", "<html>\n{{ page.title \n</html>\n"));
    run.assert_code(1);
    assert_has(&diags, "template-error", "templates/page.html", 3, 1);
    snapshot("template_syntax_error", &site, &run);
}

#[test]
fn template_render_error() {
    let (site, run, diags) =
        built_then(|s| s.write("templates/page.html", "<p>\n{{ page.nope.deeper }}\n</p>\n"));
    run.assert_code(1);
    assert_has(&diags, "template-error", "templates/page.html", 2, 0);
    assert!(
        diags[0].message.contains("while rendering content/"),
        "{diags:?}"
    );
    snapshot("template_render_error", &site, &run);
}

#[test]
fn unknown_filter() {
    let (site, run, diags) = built_then(|s| {
        s.write(
            "templates/page.html",
            "<p>\n{{ page.title | nope }}\n</p>\n",
        )
    });
    run.assert_code(1);
    assert_has(&diags, "template-error", "templates/page.html", 2, 17);
    snapshot("unknown_filter", &site, &run);
}

#[test]
fn links_to_missing_article_and_heading() {
    let (site, run, diags) = built_then(|s| {
        s.write(
            "content/a.md",
            &article("A", "2024-01-01", "", "Zobacz [c](c.md) i [b](b.md#sekcj)."),
        );
    });
    run.assert_code(1);
    assert_has(&diags, "missing-article", "content/a.md", 6, 12);
    assert_has(&diags, "missing-anchor", "content/a.md", 6, 24);
    assert!(run.stderr.contains("did you mean `#sekcja`?"));
    snapshot("broken_links", &site, &run);
}

#[test]
fn link_to_a_draft() {
    let (site, run, diags) = built_then(|s| {
        s.write(
            "content/b.md",
            &article("B", "2024-01-02", "draft: true\n", "x"),
        )
    });
    run.assert_code(1);
    assert_has(&diags, "draft-link", "content/a.md", 6, 0);
    snapshot("draft_link", &site, &run);
}

#[test]
fn foreign_output_folder_is_left_alone() {
    let site = Site::new()
        .file("content/a.md", &article("A", "2024-01-01", "", "x"))
        .file("public/moja-praca.txt", "ważne");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(2);
    assert_eq!(diags[0].code, "foreign-output");
    assert!(
        run.stderr.contains("was not created by kbsite"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.output("moja-praca.txt")).unwrap(),
        "ważne"
    );
    assert_eq!(site.tree("public").len(), 1);
    snapshot("foreign_output", &site, &run);
}

#[test]
fn two_files_with_one_url() {
    let site = Site::new()
        .file(
            "content/Mała-Firma.md",
            &article("A", "2024-01-01", "", "x"),
        )
        .file(
            "content/mala-firma.md",
            &article("B", "2024-01-01", "", "y"),
        );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_eq!(diags[0].code, "duplicate-url");
    assert!(
        run.stderr.contains("`/mala-firma/` would be written twice"),
        "{}",
        run.stderr
    );
    snapshot("duplicate_url", &site, &run);
}

#[test]
fn hostile_alias_slug_and_link() {
    let cases = [
        (
            "aliases: [\"../../../etc/cron.d/x\"]\n",
            "x",
            "unsafe-path",
            4,
            1,
        ),
        ("", "[x](../../../../etc/passwd.md)", "unsafe-path", 6, 5),
        ("slug: ../../etc\n", "x", "bad-path", 4, 7),
        ("slug: /../abs\n", "x", "bad-path", 4, 7),
        ("permalink: ../../x.html\n", "x", "bad-path", 4, 12),
        ("url: https://evil.example/\n", "x", "bad-path", 4, 6),
    ];
    for (i, (front, body, code, line, column)) in cases.into_iter().enumerate() {
        let site = Site::new().file("content/a.md", &article("A", "2024-01-01", front, body));
        let (run, diags) = site.diagnose(&["build"]);
        run.assert_code(1);
        assert_has(&diags, code, "content/a.md", line, column);
        assert!(!site.path().join("public").exists());
        assert!(!site.path().join("etc").exists());
        no_staging_left(&site);
        snapshot(&format!("hostile_path_{i}"), &site, &run);
    }
}

#[test]
fn output_inside_the_sources_is_refused() {
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", "x"));
    // Every source folder, `snippets/` and `sass/` included.
    for output in [
        "content/out",
        ".",
        "content",
        "..",
        "snippets/out",
        "sass",
        "themes/x",
    ] {
        let (run, diags) = site.diagnose(&["build", "--output", output]);
        run.assert_code(2);
        assert_eq!(diags[0].code, "usage", "{output}");
        assert!(
            run.stderr.contains("overlaps the site's sources"),
            "{}",
            run.stderr
        );
        if output == "content/out" {
            snapshot("output_inside_sources", &site, &run);
        }
    }
    assert_eq!(site.tree("content").len(), 1, "content untouched");
}

#[test]
fn invalid_utf8_names_the_file() {
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", "x"));
    std::fs::write(site.path().join("content/zly.md"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_eq!(diags[0].code, "not-utf8");
    assert!(
        run.stderr.contains("content/zly.md is not UTF-8 text"),
        "{}",
        run.stderr
    );
    snapshot("not_utf8", &site, &run);
}

#[test]
fn no_config_found() {
    let site = Site::empty();
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(2);
    assert_eq!(diags[0].code, "config-not-found");
    assert!(
        run.stderr.contains("no kbsite.yaml found"),
        "{}",
        run.stderr
    );
    snapshot("no_config", &site, &run);
}

#[test]
fn symlinks_out_of_the_site_and_loops_are_skipped_with_a_warning() {
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("sekret.txt"), "hasło").unwrap();
    let site = Site::new().file(
        "content/a.md",
        &article("A", "2024-01-01", "description: d\n", "x"),
    );
    std::os::unix::fs::symlink(
        secret.path().join("sekret.txt"),
        site.path().join("content/sekret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("petla", site.path().join("content/petla")).unwrap();
    std::os::unix::fs::symlink("../content", site.path().join("content/folder")).unwrap();
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    assert_has(&diags, "symlink-outside", "content/sekret.txt", 1, 1);
    assert_has(&diags, "broken-symlink", "content/petla", 1, 1);
    assert_has(&diags, "symlink-folder", "content/folder", 1, 1);
    assert!(diags.iter().all(|d| d.severity == "warning"));
    assert!(!site.output("sekret.txt").exists(), "not followed");
    let stderr = site
        .redact(&run.stderr)
        .replace(&secret.path().display().to_string(), "[outside]");
    insta::assert_snapshot!("symlink_warnings", stderr);
    let strict = site.run(&["build", "--strict"]);
    strict.assert_code(1);
}

#[test]
fn never_closing_front_matter() {
    let site = Site::new().file("content/a.md", "---\ntitle: A\nbody without end\n");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "front-matter-unclosed", "content/a.md", 1, 1);
    snapshot("unclosed_front_matter", &site, &run);
}

#[test]
fn yaml_bomb_and_deep_nesting_are_errors_not_hangs() {
    let bomb = "---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n---\nx\n";
    let deep = format!(
        "---\nx: {}{}\n---\ny\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let site = Site::new()
        .file("content/bomb.md", bomb)
        .file("content/deep.md", &deep);
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert!(
        diags
            .iter()
            .any(|d| d.file.as_deref() == Some("content/bomb.md")),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.file.as_deref() == Some("content/deep.md")),
        "{diags:?}"
    );
    snapshot("yaml_bomb_and_nesting", &site, &run);
}

#[test]
fn huge_and_deeply_nested_articles_build() {
    let long_lines: String = (0..100_000)
        .map(|i| format!("Linia {i} tekstu.\n"))
        .collect();
    let nested_lists: String = (0..10_000)
        .map(|i| format!("{}- poziom {i}\n", "  ".repeat(i)))
        .collect();
    let nested_quotes = format!("{}cytat\n", "> ".repeat(10_000));
    let big: String = "Słowo ".repeat(50 * 1024 * 1024 / 7);
    let site = Site::new()
        .file(
            "content/dlugi.md",
            &article("Długi", "2024-01-01", "", &long_lines),
        )
        .file(
            "content/listy.md",
            &article("Listy", "2024-01-01", "", &nested_lists),
        )
        .file(
            "content/cytaty.md",
            &article("Cytaty", "2024-01-01", "", &nested_quotes),
        )
        .file("content/duzy.md", &article("Duży", "2024-01-01", "", &big));
    site.build(&["--quiet"]);
    assert!(
        site.read("dlugi/index.html")
            .contains("Linia 99999 tekstu.")
    );
    assert!(site.read("listy/index.html").contains("poziom 9999"));
    assert!(site.read("cytaty/index.html").contains("cytat"));
    assert!(site.output("duzy/index.html").metadata().unwrap().len() > 50_000_000);
    // No search fragment makes a reader download megabytes for one result.
    let largest = std::fs::read_dir(site.output("search/f"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .max()
        .unwrap();
    assert!(largest < 200 * 1024, "largest fragment: {largest} bytes");
}

#[test]
fn odd_file_names_build() {
    let site = Site::new()
        .file(
            "content/z odstępami i ąę.md",
            &article("Spacje", "2024-01-01", "", "[emoji](emoji-🚀.md)"),
        )
        .file(
            "content/emoji-🚀.md",
            &article("Emoji", "2024-01-01", "", "[a..b](a..b.md)"),
        )
        .file(
            "content/a..b.md",
            &article(
                "Kropki",
                "2024-01-01",
                "",
                "[spacje](<z odstępami i ąę.md>)",
            ),
        );
    site.build(&[]);
    let files: BTreeMap<String, Vec<u8>> = site.tree("public");
    assert!(
        files.contains_key("z-odstepami-i-ae/index.html"),
        "{:?}",
        files.keys()
    );
    assert!(
        files.contains_key("emoji-rocket/index.html"),
        "{:?}",
        files.keys()
    );
    assert!(files.contains_key("a-b/index.html"), "{:?}", files.keys());
    assert!(
        site.read("z-odstepami-i-ae/index.html")
            .contains("href=\"/emoji-rocket/\"")
    );
}

#[test]
fn alias_colliding_with_a_page() {
    let site = Site::new()
        .file(
            "content/a.md",
            &article("A", "2024-01-01", "aliases: [\"/b/\"]\n", "x"),
        )
        .file("content/b.md", &article("B", "2024-01-01", "", "y"));
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_eq!(diags[0].code, "duplicate-url");
    assert!(
        diags[0].message.contains("`/b/` would be written twice"),
        "{diags:?}"
    );
    snapshot("alias_collision", &site, &run);
}

#[test]
fn thousands_of_equal_headings_and_anchor_links() {
    let headings: String = (0..20_000).map(|_| "## a\n\n[tu](#a-19999)\n\n").collect();
    let site = Site::new().file("content/h.md", &article("H", "2024-01-01", "", &headings));
    site.build(&["--quiet"]);
    let html = site.read("h/index.html");
    assert!(html.contains("id=\"a-19999\""));
}

#[test]
fn static_files_and_aliases_cannot_replace_generated_pages() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "static/seo/index.html",
            "<p>statyczny</p>",
            "`/seo/` would be written twice",
        ),
        (
            "content/seo/a.md",
            "---\ntitle: A\naliases: [\"/404.html\"]\n---\nx\n",
            "`/404.html` would be written twice",
        ),
        (
            "static/sitemap.xml",
            "<x/>",
            "`/sitemap.xml` would be written twice",
        ),
    ];
    for (path, text, message) in cases {
        let site = Site::new()
            .file("content/seo/_index.md", "---\ntitle: SEO\n---\n")
            .file(path, text);
        let (run, diags) = site.diagnose(&["build"]);
        run.assert_code(1);
        assert_eq!(diags[0].code, "duplicate-url", "{path}: {diags:?}");
        assert!(diags[0].message.contains(message), "{path}: {diags:?}");
    }
}

#[test]
fn alias_with_a_query_is_refused() {
    let site = Site::new().file(
        "content/a.md",
        &article("A", "2024-01-01", "aliases: [\"/?p=123\"]\n", "x"),
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "unsafe-path", "content/a.md", 4, 1);
}

#[test]
fn diagnostics_are_relative_to_the_current_folder() {
    let site = Site::empty()
        .file("docs/kbsite.yaml", crate::fixture::MINIMAL_CONFIG)
        .file(
            "docs/content/a.md",
            &article("A", "2024-01-01", "description: d\n", "[x](brak.md)"),
        );
    let run = site.run(&["check", "--root", "docs", "--format", "github"]);
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("::error file=docs/content/a.md,line=7,col=5"),
        "{}",
        run.stdout
    );
}

#[test]
fn index_md_beside_index_file_at_the_root_is_not_silently_moved() {
    // `content/index.md` is the home page only when there is no `_index.md`.
    let site = Site::new()
        .file("content/_index.md", "---\ntitle: Dom\n---\nx\n")
        .file("content/index.md", "---\ntitle: Start\n---\nx\n");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_eq!(diags[0].code, "duplicate-url");
    assert!(run.stderr.contains("keep one of the two"), "{}", run.stderr);
}

#[test]
fn a_page_with_thousands_of_tags_stays_small() {
    let tags: Vec<String> = (0..2000).map(|i| format!("\"t{i}\"")).collect();
    let front = format!("tags: [{}]\n", tags.join(", "));
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", &front, "x"));
    site.build(&["--quiet"]);
    let total: usize = site.tree("public").values().map(Vec::len).sum();
    // Cards show a few tags, not all 2,000 on each of the 2,000 term pages.
    assert!(total < 40_000_000, "output is {total} bytes");
    assert!(site.output("tags/t1999/index.html").exists());
}

#[cfg(unix)]
#[test]
fn a_token_in_git_config_is_never_published_through_a_link() {
    const TOKEN: &str = "ghp_FAKE0123456789TOKEN";
    let site = Site::new()
        .file(
            ".git/config",
            &format!("[http]\n\textraheader = AUTHORIZATION: basic {TOKEN}\n"),
        )
        .file(".env", &format!("API_KEY={TOKEN}\n"))
        .file(
            "content/a.md",
            &article("A", "2024-01-01", "description: d\n", "Tekst."),
        );
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::create_dir_all(site.path().join("snippets")).unwrap();
    for (link, target) in [
        ("static/gitconfig.txt", "../.git/config"),
        ("content/konfiguracja.txt", "../.git/config"),
        ("content/srodowisko.md", "../.env"),
        ("snippets/stopka.md", "../.git/config"),
    ] {
        std::os::unix::fs::symlink(target, site.path().join(link)).unwrap();
    }
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    for link in [
        "static/gitconfig.txt",
        "content/konfiguracja.txt",
        "content/srodowisko.md",
        "snippets/stopka.md",
    ] {
        assert_has(&diags, "symlink-hidden", link, 1, 1);
    }
    for (path, bytes) in site.tree("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "{path} holds the token"
        );
    }
    // An article that includes the linked snippet fails, naming the include: nothing is read.
    site.write(
        "content/b.md",
        &article(
            "B",
            "2024-01-01",
            "",
            "{{ include(path=\"snippets/stopka.md\") }}",
        ),
    );
    let run = site.run(&["build", "-o", "out2"]);
    run.assert_code(1);
    assert!(!run.stderr.contains(TOKEN), "{}", run.stderr);
    assert!(!site.path().join("out2").exists());
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_skipped_and_hides_nothing_else() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::new()
        .file("content/a.md", &article("A", "2024-01-01", "", "x"))
        .file("content/zepsuty.md", "---\ntitle: [A\n---\nx\n");
    let name = std::ffi::OsStr::from_bytes(b"z\xffle.md");
    std::fs::write(
        site.path().join("content").join(name),
        "---\ntitle: Z\n---\n",
    )
    .unwrap();
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "front-matter-yaml", "content/zepsuty.md", 2, 0);
    site.write("content/zepsuty.md", &article("Z", "2024-01-01", "", "x"));
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_ok();
    assert!(diags.iter().any(|d| d.code == "file-name-not-utf8"));
}

#[test]
fn thousands_of_broken_links_on_one_line_keep_their_columns() {
    let links: Vec<String> = (0..1_500).map(|i| format!("[x](/brak-{i}/)")).collect();
    let line = links.join(" ");
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", &line));
    let json = site.run(&["build", "--broken-links", "warn", "--format", "json"]);
    json.assert_ok();
    let diags = crate::fixture::json_diagnostics(&json.stdout);
    let broken: Vec<_> = diags.iter().filter(|d| d.code == "missing-page").collect();
    assert_eq!(broken.len(), 1_500);
    for (i, d) in broken.iter().enumerate() {
        let expected = line.find(&format!("(/brak-{i}/)")).unwrap() as u64 + 2;
        assert_eq!((d.line, d.column), (Some(6), Some(expected)), "link {i}");
    }
    // The human report names the same place for a link far along the line.
    let human = site.run(&["build", "--broken-links", "warn"]);
    let far = broken[49].column.unwrap();
    assert!(
        human.stderr.contains(&format!("content/a.md:6:{far}")),
        "{}",
        &human.stderr[..human.stderr.len().min(3000)]
    );
    assert!(human.stderr.len() < 200_000, "{} bytes", human.stderr.len());
}

#[test]
fn the_manual_is_published_at_the_address_diagnostics_link_to() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let manual = kbsite::config::Config::load(&docs).expect("docs/kbsite.yaml loads");
    assert_eq!(manual.base_url, kbsite::codes::MANUAL_URL);
    assert!(
        kbsite::codes::page_url("io").starts_with(&manual.base_url),
        "page addresses are under the manual's base_url"
    );
}

#[test]
fn every_format_ends_with_the_address_of_the_codes_page() {
    let site = Site::new()
        .file(
            "content/a.md",
            &article(
                "A",
                "2024-01-01",
                "",
                "Zobacz [b](b.md#sekcj).\n\n![wykres](wykres.png)",
            ),
        )
        .file(
            "content/b.md",
            &article("B", "2024-01-02", "", "## Sekcja\n\nTekst [a](a.md)."),
        );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    let helps: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("help:"))
        .collect();
    assert_eq!(
        helps.len(),
        diags.len(),
        "one help line each: {}",
        run.stderr
    );
    // A hint, then the page; no hint, the page alone.
    assert!(
        helps.contains(
            &"help: did you mean `#sekcja`? — see https://kbsite.dev/diagnostics/missing-anchor/"
        ),
        "{}",
        run.stderr
    );
    let missing = diags.iter().find(|d| d.code == "missing-file").unwrap();
    assert_eq!(missing.hint, None, "{missing:?}");
    assert!(
        helps.contains(&"help: see https://kbsite.dev/diagnostics/missing-file/"),
        "{}",
        run.stderr
    );
    // JSON keeps the hint apart (the fixture checks `url` of every JSON line).
    let anchor = diags.iter().find(|d| d.code == "missing-anchor").unwrap();
    assert_eq!(anchor.hint.as_deref(), Some("did you mean `#sekcja`?"));

    let github = site.run(&["build", "--format", "github"]);
    let annotations: Vec<&str> = github
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert_eq!(annotations.len(), diags.len(), "{}", github.stdout);
    for line in annotations {
        let code = line
            .split("title=kbsite ")
            .nth(1)
            .and_then(|rest| rest.split("::").next())
            .unwrap_or_else(|| panic!("no code in {line}"));
        assert!(
            line.ends_with(&format!(" — see {}", kbsite::codes::page_url(code))),
            "{line}"
        );
    }
}

#[test]
fn a_folder_at_the_search_page_says_whose_address_it_is() {
    for (path, source) in [
        ("content/search/porady.md", "content/search/"),
        ("content/search.md", "content/search.md"),
    ] {
        let site = Site::new().file(path, &article("Szukanie", "2024-01-01", "", "x"));
        let (run, diags) = site.diagnose(&["build"]);
        run.assert_code(1);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].code, "duplicate-url");
        assert_eq!(diags[0].file.as_deref(), Some(source), "{diags:#?}");
        assert!(
            diags[0]
                .message
                .contains("`/search/` is the address of kbsite's search page")
                && diags[0].message.contains(source),
            "{diags:#?}"
        );
        assert!(!run.stderr.contains("generated file"), "{}", run.stderr);
        // Without a search page the address is free.
        site.write(
            "kbsite.yaml",
            &format!("{}search: false\n", crate::fixture::MINIMAL_CONFIG),
        );
        site.build(&[]);
    }
}
