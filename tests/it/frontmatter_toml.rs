//! TOML front matter (`+++`), as Hugo and Zola sites write it: read like YAML front matter,
//! and every mistake reported at its line and column of the file.

use crate::fixture::{Site, assert_has};

/// A Zola article: plain fields, a date, tags, and the author's own fields under `[extra]`.
const ZOLA_ARTICLE: &str = "+++\n\
title = \"Jak zacząć z SEO\"\n\
date = 2024-03-01\n\
draft = false\n\
tags = [\"Pozycjonowanie\"]\n\
template = \"okladka.html\"\n\
\n\
[extra]\n\
hero = \"okladka.png\"\n\
+++\n\
\n\
Treść artykułu.\n";

#[test]
fn a_toml_article_builds_with_its_title_tags_and_extra() {
    let hugo = "+++\ntitle = 'Drugi artykuł'\ndate = 2024-03-02T10:00:00+01:00\n\n[taxonomies]\ntags = [\"Pozycjonowanie\", \"Porady\"]\n+++\nTekst.\n";
    let site = Site::new()
        .file("content/seo/jak-zaczac.md", ZOLA_ARTICLE)
        .file("content/seo/drugi.md", hugo)
        .file(
            "templates/okladka.html",
            "<html><body><h1>{{ page.title }}</h1><img src=\"{{ page.extra.hero }}\"></body></html>",
        );
    site.build(&[]);
    assert_eq!(
        site.read("seo/jak-zaczac/index.html"),
        "<html><body><h1>Jak zacząć z SEO</h1><img src=\"okladka.png\"></body></html>",
        "the title and the [extra] fields reach the template"
    );
    let second = site.read("seo/drugi/index.html");
    assert!(second.contains("Drugi artykuł"), "{second}");
    assert!(
        second.contains("Pozycjonowanie"),
        "the tag is shown: {second}"
    );
    let tag = site.read("tags/pozycjonowanie/index.html");
    assert!(
        tag.contains("Jak zacząć z SEO") && tag.contains("Drugi artykuł"),
        "{tag}"
    );
    assert!(site.output("tags/porady/index.html").exists());
}

#[test]
fn a_toml_syntax_error_names_the_file_line_and_column() {
    let site = Site::new()
        .file(
            "content/dobry.md",
            ZOLA_ARTICLE.replace("okladka.html", "page.html").as_str(),
        )
        .file(
            "content/porady/zly.md",
            "+++\ndate = 2024-03-01\ntitle = \"unclosed\ntags = [\"seo\"]\n+++\nTekst.\n",
        );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "front-matter-toml", "content/porady/zly.md", 3, 9);
    assert!(
        run.stderr.contains("content/porady/zly.md:3:9"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("TOML"), "{}", run.stderr);
    assert!(diags[0].hint.is_some(), "a hint is given: {diags:#?}");
    assert!(!site.output("index.html").exists(), "nothing is written");
}

#[test]
fn a_wrong_type_is_located_at_its_line() {
    let site = Site::new().file(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-01\ndraft = \"maybe\"\n+++\nTekst.\n",
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "front-matter-type", "content/a.md", 4, 9);
    assert!(run.stderr.contains("draft"), "{}", run.stderr);
}

#[test]
fn an_unclosed_toml_block_says_which_line_is_missing() {
    let site = Site::new().file("content/a.md", "+++\ntitle = \"A\"\n---\nTekst.\n");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "front-matter-unclosed", "content/a.md", 1, 1);
    assert!(run.stderr.contains("`+++`"), "{}", run.stderr);
}
