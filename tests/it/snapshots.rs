//! Snapshots of rendered HTML (`<main>` of each page type) and of diagnostics, paired with
//! assertions on the values that matter.

use crate::fixture::{Site, article, main_of};

#[test]
fn main_of_each_page_type() {
    let site = Site::sample();
    site.build(&[]);
    for (name, rel) in [
        ("home", "index.html"),
        ("section", "seo/index.html"),
        (
            "article",
            "media-spolecznosciowe/social-media-marketing-w-malej-firmie/index.html",
        ),
        ("tag_list", "tags/index.html"),
        ("tag_term", "tags/mala-firma/index.html"),
        ("not_found", "404.html"),
    ] {
        let html = site.read(rel);
        let main = main_of(&html);
        assert!(main.contains("<h1"), "{rel} has a heading");
        insta::assert_snapshot!(name, main);
    }
}

#[test]
fn diagnostic_for_broken_front_matter() {
    let site = Site::new().file(
        "content/a.md",
        "---\ntitle: \"A\"\ntags: [a, b\n---\nTekst.\n",
    );
    let run = site.run(&["build"]);
    run.assert_code(1);
    insta::assert_snapshot!(site.redact(&run.stderr));
}

#[test]
fn diagnostic_for_broken_link() {
    let site = Site::new().file(
        "content/blog/a.md",
        &article("A", "2024-01-01", "", "Zobacz [to](../seo/brak.md#x)."),
    );
    let run = site.run(&["build"]);
    run.assert_code(1);
    insta::assert_snapshot!(site.redact(&run.stderr));
}
