//! Bad input: a clear message with file:LINE:COL, the right exit code, and nothing lost.

use crate::fixture::{MINIMAL_CONFIG, Site, article};

/// A site that builds, then a broken change: the failed build must leave the output as it was.
fn built_then(
    change: impl FnOnce(&Site),
) -> (
    Site,
    crate::fixture::Run,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let site = Site::new()
        .file(
            "content/a.md",
            &article("A", "2024-01-01", "", "Tekst [b](b.md)."),
        )
        .file(
            "content/b.md",
            &article("B", "2024-01-02", "", "## Sekcja\n\nTekst."),
        );
    site.build(&[]);
    let before = site.tree("public");
    change(&site);
    let run = site.run(&["build"]);
    let after = site.tree("public");
    (site, run, {
        assert_eq!(
            before, after,
            "a failed build must not touch the previous output"
        );
        before
    })
}

fn no_staging_left(site: &Site) {
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kbsite-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn broken_yaml_names_file_line_and_column() {
    let (site, run, _) = built_then(|s| {
        s.write(
            "content/b.md",
            "---\ntitle: B\ntags: [a, b\ndate: 2024-01-01\n---\nTekst.\n",
        )
    });
    run.assert_code(1);
    assert!(run.stderr.contains("content/b.md:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("invalid YAML"));
    assert!(run.stderr.contains("help:"), "a hint is given");
    no_staging_left(&site);
}

#[test]
fn wrong_field_type_points_at_the_value() {
    let (_, run, _) = built_then(|s| {
        s.write(
            "content/b.md",
            "---\ntitle: B\n\ndraft: maybe\n---\nTekst.\n",
        )
    });
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("content/b.md:4:8: `draft`: expected true or false"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("draft: maybe"),
        "the source line is shown"
    );
}

#[test]
fn bad_date_says_which_forms_are_accepted() {
    let (_, run, _) =
        built_then(|s| s.write("content/b.md", "---\ntitle: B\ndate: 31.12.2024\n---\n"));
    run.assert_code(1);
    assert!(run.stderr.contains("content/b.md:3:7"), "{}", run.stderr);
    assert!(run.stderr.contains("YYYY-MM-DD"));
}

#[test]
fn unknown_config_key_suggests_the_closest() {
    let site = Site::empty().file("kbsite.yaml", "title: X\nbase_ur: https://example.org/\n");
    let run = site.run(&["build"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("kbsite.yaml:2:1: unknown key `base_ur`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `base_url`?"));
}

#[test]
fn missing_template_names_the_article() {
    let (_, run, _) = built_then(|s| {
        s.write(
            "content/b.md",
            "---\ntitle: B\ntemplate: nie-ma.html\n---\n",
        )
    });
    run.assert_code(1);
    assert!(
        run.stderr.contains("template `nie-ma.html` not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/b.md:3:"), "{}", run.stderr);
}

#[test]
fn template_syntax_error_names_template_line() {
    let (_, run, _) =
        built_then(|s| s.write("templates/page.html", "<html>\n{{ page.title \n</html>\n"));
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("templates/page.html:3:1: Found `</` but expected }}"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_render_error_names_template_and_page() {
    let (_, run, _) =
        built_then(|s| s.write("templates/page.html", "<p>\n{{ page.nope.deeper }}\n</p>\n"));
    run.assert_code(1);
    assert!(
        run.stderr.contains("templates/page.html:2:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("while rendering content/"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_filter_is_found_before_rendering() {
    let (_, run, _) = built_then(|s| {
        s.write(
            "templates/page.html",
            "<p>\n{{ page.title | nope }}\n</p>\n",
        )
    });
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("templates/page.html:2:17: Unknown filter `nope`"),
        "{}",
        run.stderr
    );
}

#[test]
fn link_to_missing_article_and_heading() {
    let (_, run, _) = built_then(|s| {
        s.write(
            "content/a.md",
            &article("A", "2024-01-01", "", "Zobacz [c](c.md) i [b](b.md#sekcj)."),
        );
    });
    run.assert_code(1);
    assert!(run.stderr.contains("content/a.md:6:"), "{}", run.stderr);
    assert!(run.stderr.contains("content/c.md does not exist"));
    assert!(run.stderr.contains("heading `#sekcj` not found"));
    assert!(run.stderr.contains("did you mean `#sekcja`?"));
    assert!(run.stderr.contains("2 errors"));
}

#[test]
fn link_to_a_draft_is_an_error() {
    let (_, run, _) = built_then(|s| {
        s.write(
            "content/b.md",
            &article("B", "2024-01-02", "draft: true\n", "x"),
        )
    });
    run.assert_code(1);
    assert!(run.stderr.contains("which is a draft"), "{}", run.stderr);
}

#[test]
fn foreign_output_folder_is_left_alone() {
    let site = Site::new()
        .file("content/a.md", &article("A", "2024-01-01", "", "x"))
        .file("public/moja-praca.txt", "ważne");
    let run = site.run(&["build"]);
    run.assert_code(2);
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
}

#[test]
fn two_files_with_one_url_collide() {
    let site = Site::new()
        .file(
            "content/Mała-Firma.md",
            &article("A", "2024-01-01", "", "x"),
        )
        .file(
            "content/mala-firma.md",
            &article("B", "2024-01-01", "", "y"),
        );
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("`/mala-firma/` would be written twice"),
        "{}",
        run.stderr
    );
}

#[test]
fn hostile_alias_and_links_cannot_leave_the_site() {
    let site = Site::new().file(
        "content/a.md",
        &article(
            "A",
            "2024-01-01",
            "aliases: [\"../../../etc/cron.d/x\"]\n",
            "[x](../../../../etc/passwd.md)",
        ),
    );
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("alias `../../../etc/cron.d/x` is not a path inside the site"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public").exists());
    no_staging_left(&site);
}

#[test]
fn output_inside_the_sources_is_refused() {
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", "x"));
    let run = site.run(&["build", "--output", "content/out"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("overlaps the site's sources"),
        "{}",
        run.stderr
    );
    let run = site.run(&["build", "--output", "."]);
    run.assert_code(2);
}

#[test]
fn unreadable_file_is_reported_not_skipped() {
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", "x"));
    std::fs::write(site.path().join("content/zly.md"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("content/zly.md is not UTF-8 text"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_config_found_is_a_usage_error() {
    let site = Site::empty();
    let run = site.run(&["build"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("no kbsite.yaml found"),
        "{}",
        run.stderr
    );
    let _ = MINIMAL_CONFIG;
}

#[test]
fn symlink_out_of_the_site_is_refused() {
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("sekret.txt"), "hasło").unwrap();
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", "x"));
    std::os::unix::fs::symlink(
        secret.path().join("sekret.txt"),
        site.path().join("content/sekret.txt"),
    )
    .unwrap();
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("content/sekret.txt: symbolic link points outside the site"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public").exists());
}
