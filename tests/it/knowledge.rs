//! Knowledge-base features: backlinks with their sentence, related articles, wiki links,
//! breadcrumbs, previous/next, the recently updated list, Polish typography and
//! `kbsite stats`.

use kbsite::live::LiveSite;
use kbsite::pipeline::BuildOptions;

use crate::fixture::{Site, article, assert_has, json_diagnostics};

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The titles of the links in `html`, in order.
fn link_titles(html: &str, class: &str) -> Vec<String> {
    html.split(&format!("class=\"{class}\""))
        .skip(1)
        .filter_map(|s| {
            let s = &s[s.find('>')? + 1..];
            Some(s[..s.find("</a>")?].to_string())
        })
        .collect()
}

fn related_titles(html: &str) -> Vec<String> {
    let section = between(html, "<section class=\"related\"", "</section>");
    section
        .split("<li class=\"related__item\"><a href=\"")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            s[..s.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn backlinks_name_the_linking_articles_with_the_sentence_around_the_link() {
    let site = Site::new()
        .file(
            "content/porady/cel.md",
            &article(
                "Cel",
                "2025-01-01",
                "description: \"x\"\n",
                "Artykuł, do którego prowadzą linki. Link do siebie: [tu](cel.md).",
            ),
        )
        .file(
            "content/porady/zrodlo.md",
            &article(
                "Źródło po ścieżce",
                "2025-01-02",
                "description: \"x\"\n",
                "Pierwsze zdanie. Więcej o tym piszemy w [artykule o celu](cel.md), np. w drugiej części. Ostatnie zdanie.\n\nDrugi akapit z [kolejnym linkiem](cel.md).",
            ),
        )
        .file(
            "content/inne/adres.md",
            &article(
                "Adres URL",
                "2025-01-03",
                "description: \"x\"\n",
                "Zobacz [cel](/porady/cel/) na stronie.",
            ),
        )
        .file(
            "content/inne/bez.md",
            &article("Bez linku", "2025-01-04", "description: \"x\"\n", "Nic."),
        );
    site.build(&[]).assert_ok();
    let html = site.read("porady/cel/index.html");
    let section = between(&html, "<section class=\"backlinks\"", "</section>");
    assert!(section.contains("Linkują tutaj"), "{section}");
    // Both kinds of link count, each article once, ordered by title; never the page itself.
    assert_eq!(
        link_titles(section, "backlinks__link"),
        ["Adres URL", "Źródło po ścieżce"]
    );
    // The sentence around the first link, not cut at `np.`, and the one written as a URL.
    assert!(
        section.contains(
            "<p class=\"backlinks__context\">Więcej o tym piszemy w artykule o celu, np. w drugiej części.</p>"
        ),
        "{section}"
    );
    assert!(
        section.contains("<p class=\"backlinks__context\">Zobacz cel na stronie.</p>"),
        "{section}"
    );
    assert!(section.contains("href=\"/inne/adres/\""), "{section}");
    // A page nothing links to has no such list.
    assert!(
        !site
            .read("inne/bez/index.html")
            .contains("class=\"backlinks\"")
    );
}

#[test]
fn english_pages_say_linked_from() {
    let site = Site::new()
        .file(
            "content/a.md",
            &article("A", "2025-01-01", "lang: en\ndescription: \"x\"\n", "Text."),
        )
        .file(
            "content/b.md",
            &article("B", "2025-01-01", "description: \"x\"\n", "See [a](a.md)."),
        );
    site.build(&[]).assert_ok();
    assert!(site.read("en/a/index.html").contains(">Linked from</h2>"));
}

/// A body about one subject, in words that differ per `variant` so inflection is exercised.
fn body(subject: &[&str], variant: usize) -> String {
    let mut text = String::new();
    for n in 0..6 {
        let word = subject[(n + variant) % subject.len()];
        text.push_str(&format!(
            "Akapit {n} mówi o tym, jak {word} pomaga firmie. Temat {word} wraca często.\n\n"
        ));
    }
    text
}

/// One article of a fixture: path, title, date, front matter, subject words, variant.
type Fixture<'a> = (&'a str, &'a str, &'a str, &'a str, &'a [&'a str], usize);

#[test]
fn the_article_sharing_most_words_and_tags_is_related_first() {
    let social = [
        "instagram",
        "instagramie",
        "relacje",
        "influencerzy",
        "influencerów",
        "hasztagi",
    ];
    let tax = [
        "podatek",
        "faktura",
        "faktury",
        "księgowość",
        "księgowej",
        "VAT",
    ];
    let both_tags = "description: \"x\"\ntags: [\"social media\", \"instagram\"]\n";
    // (path, title, date, front matter, subject words, variant)
    let articles: [Fixture; 4] = [
        (
            "a/cel",
            "Instagram w małej firmie",
            "2025-01-01",
            both_tags,
            &social,
            0,
        ),
        (
            "b/blizniak",
            "Relacje i influencerzy",
            "2025-01-02",
            both_tags,
            &social,
            1,
        ),
        (
            "b/slowa",
            "Hasztagi bez tagów",
            "2025-01-03",
            "description: \"x\"\n",
            &social,
            2,
        ),
        (
            "b/tag",
            "Tylko wspólny tag",
            "2025-01-04",
            "description: \"x\"\ntags: [\"social media\"]\n",
            &tax,
            0,
        ),
    ];
    let mut site = Site::new();
    for (path, title, date, front, words, variant) in articles {
        site = site.file(
            &format!("content/{path}.md"),
            &article(title, date, front, &body(words, variant)),
        );
    }
    for n in 0..4 {
        site = site.file(
            &format!("content/c/podatki-{n}.md"),
            &article(
                &format!("Podatki {n}"),
                "2025-01-05",
                "description: \"x\"\n",
                &body(&tax, n),
            ),
        );
    }
    site.build(&[]).assert_ok();
    let first = site.read("a/cel/index.html");
    let related = related_titles(&first);
    assert_eq!(
        related[..3],
        [
            "Relacje i influencerzy",
            "Hasztagi bez tagów",
            "Tylko wspólny tag"
        ],
        "{related:?}"
    );
    assert!(related.len() <= 5);
    assert!(!related.contains(&"Instagram w małej firmie".to_string()));
    // Deterministic: a second build writes the same bytes.
    let before = site.tree("public");
    site.build(&[]).assert_ok();
    assert_eq!(before, site.tree("public"));
}

#[test]
fn wiki_links_resolve_by_title_or_slug_and_unknown_ones_are_errors_with_their_place() {
    let site = Site::new()
        .file(
            "content/seo/podstawy-seo.md",
            &article(
                "Podstawy SEO dla małej firmy",
                "2025-01-01",
                "description: \"x\"\n",
                "## Słowa kluczowe\n\nTreść.",
            ),
        )
        .file(
            "content/porady/linki.md",
            &article(
                "Linki",
                "2025-01-02",
                "description: \"x\"\n",
                "Po tytule: [[Podstawy SEO dla małej firmy]].\n\nBez znaków: [[podstawy seo dla malej FIRMY]].\n\nPo slugu: [[podstawy-seo|zacznij tutaj]].\n\nZ kotwicą: [[podstawy-seo#slowa-kluczowe]] i [[podstawy-seo#Słowa kluczowe|jak nagłówek]].\n\nW kodzie: `[[Nie link]]`.",
            ),
        );
    site.build(&[]).assert_ok();
    let page = site.read("porady/linki/index.html");
    let html = between(&page, "article__body", "</div>");
    assert_eq!(
        html.matches("<a href=\"/seo/podstawy-seo/\">").count(),
        3,
        "{html}"
    );
    assert!(html.contains("<a href=\"/seo/podstawy-seo/\">zacznij tutaj</a>"));
    assert_eq!(
        html.matches("<a href=\"/seo/podstawy-seo/#slowa-kluczowe\">")
            .count(),
        2,
        "{html}"
    );
    assert!(html.contains("<code>[[Nie link]]</code>"));
    // The wiki links count as links: the target shows them as backlinks.
    assert!(
        site.read("seo/podstawy-seo/index.html")
            .contains("class=\"backlinks\"")
    );

    // An unknown name or anchor stops the build at its place.
    let path = "content/porady/zle.md";
    site.write(
        path,
        &article(
            "Złe",
            "2025-01-03",
            "description: \"x\"\n",
            "Zobacz [[Podstawy SEO dla malej frmy]].\n\nI [[podstawy-seo#brak]].",
        ),
    );
    let run = site.run(&["build", "--format", "json"]);
    run.assert_code(1);
    let diags = json_diagnostics(&run.stdout);
    assert_has(&diags, "wiki-link", path, 7, 10);
    assert_has(&diags, "missing-anchor", path, 9, 0);
    let wiki = diags.iter().find(|d| d.code == "wiki-link").unwrap();
    assert!(
        wiki.message
            .contains("[[Podstawy SEO dla malej frmy]] names no article"),
        "{wiki:?}"
    );
    let human = site.run(&["build"]);
    assert!(
        human
            .stderr
            .contains("did you mean [[Podstawy SEO dla małej firmy]]?"),
        "{}",
        human.stderr
    );

    // In the live preview it is a warning: the page still shows.
    site.write(
        path,
        &article(
            "Złe",
            "2025-01-03",
            "description: \"x\"\n",
            "Zobacz [[Nieznany]].",
        ),
    );
    let live = LiveSite::open(BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .expect("the preview builds despite the wiki link");
    let warnings = &live.site().unwrap().warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.code == "wiki-link" && w.location.as_ref().is_some_and(|l| l.line == 7)),
        "{warnings:?}"
    );
    assert!(live.get("porady/zle/index.html").is_some());
}

#[test]
fn breadcrumbs_follow_the_section_tree_and_neighbours_the_section_order() {
    let site = Site::new()
        .file(
            "content/marketing/_index.md",
            "---\ntitle: \"Marketing\"\n---\n",
        )
        .file(
            "content/marketing/lokalny/_index.md",
            "---\ntitle: \"Lokalny\"\nsort_by: \"title\"\n---\n",
        );
    for title in ["Alfa", "Beta", "Gamma"] {
        site.write(
            &format!("content/marketing/lokalny/{}.md", title.to_lowercase()),
            &article(title, "2025-01-01", "description: \"x\"\n", "Tekst."),
        );
    }
    site.build(&[]).assert_ok();
    let html = site.read("marketing/lokalny/beta/index.html");
    let crumbs = between(&html, "<nav class=\"breadcrumbs\"", "</nav>");
    let order: Vec<usize> = [
        "<a href=\"/\">Strona główna</a>",
        "<a href=\"/marketing/\">Marketing</a>",
        "<a href=\"/marketing/lokalny/\">Lokalny</a>",
        "<span aria-current=\"page\">Beta</span>",
    ]
    .iter()
    .map(|c| {
        crumbs
            .find(c)
            .unwrap_or_else(|| panic!("{c} missing in {crumbs}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{crumbs}");
    let nav = between(&html, "<nav class=\"page-nav\"", "</nav>");
    assert!(
        nav.contains("href=\"/marketing/lokalny/alfa/\" rel=\"prev\""),
        "{nav}"
    );
    assert!(
        nav.contains("href=\"/marketing/lokalny/gamma/\" rel=\"next\""),
        "{nav}"
    );
    let first = site.read("marketing/lokalny/alfa/index.html");
    assert!(!first.contains("rel=\"prev\""));
}

#[test]
fn the_home_page_lists_recent_updates_and_counts_tags() {
    let site = Site::new()
        .file(
            "content/stary.md",
            &article(
                "Stary, świeżo poprawiony",
                "2020-01-01",
                "updated: 2025-06-01\ndescription: \"x\"\ntags: [\"seo\", \"porady\"]\n",
                "A.",
            ),
        )
        .file(
            "content/nowy.md",
            &article(
                "Nowy",
                "2025-03-01",
                "description: \"x\"\ntags: [\"seo\"]\n",
                "B.",
            ),
        )
        .file(
            "content/bez-daty.md",
            "---\ntitle: \"Bez daty\"\ndescription: \"x\"\n---\n\nC.\n",
        );
    site.build(&[]).assert_ok();
    let home = site.read("index.html");
    let recent = between(&home, "<ol class=\"recent-list\">", "</ol>");
    let stary = recent
        .find("Stary, świeżo poprawiony")
        .expect("updated article listed");
    let nowy = recent.find(">Nowy<").expect("dated article listed");
    assert!(
        stary < nowy,
        "updated 2025-06 comes before dated 2025-03: {recent}"
    );
    assert!(recent.contains("1 czerwca 2025"), "Polish dates: {recent}");
    assert!(!recent.contains("Bez daty"));
    let cloud = between(&home, "<ul class=\"tag-cloud\">", "</ul>");
    assert!(
        cloud.contains("href=\"/tags/seo/\">seo <span class=\"tag-cloud__count\">2"),
        "{cloud}"
    );
    assert!(site.read("categories/index.html").contains("<html"));
}

#[test]
fn one_letter_words_are_bound_to_the_next_word_but_never_in_code_or_urls() {
    let body = "Kot w domu i pies z budy.\nJadę w\ngóry.\nKot\nw sieni, <kbd>a b</kbd> i <code>w x</code> z kotem.\n\n![kot w domu](kot.png)\n\n`i to kod` oraz <https://example.org/a/w/b> i [link w tekście](https://example.org/?q=a+w).\n\n```\nw kodzie i tak zostaje\n```";
    let site = Site::new()
        .file(
            "content/pl.md",
            &article("Pl", "2025-01-01", "description: \"x\"\n", body),
        )
        .file(
            "content/en.md",
            &article(
                "En",
                "2025-01-01",
                "lang: en\ndescription: \"x\"\n",
                "A cat is a pet.",
            ),
        )
        .file("content/kot.png", "not really a picture");
    site.build(&[]).assert_ok();
    let html = site.read("pl/index.html");
    let nbsp = '\u{a0}';
    for bound in [
        format!("w{nbsp}domu i{nbsp}pies z{nbsp}budy"),
        format!("Jadę w{nbsp}góry"),
        format!(
            "oraz <a href=\"https://example.org/a/w/b\">https://example.org/a/w/b</a> i{nbsp}<a"
        ),
        format!("link w{nbsp}tekście"),
        format!("Kot\nw{nbsp}sieni"),
        format!("</code> z{nbsp}kotem"),
    ] {
        assert!(html.contains(&bound), "{bound:?} missing in {html}");
    }
    assert!(html.contains("<code>i to kod</code>"));
    assert!(
        html.contains("<kbd>a b</kbd>") && html.contains("<code>w x</code>"),
        "{html}"
    );
    assert!(
        html.contains("alt=\"kot w domu\""),
        "alt text is an attribute: {html}"
    );
    assert!(html.contains("w kodzie i tak zostaje"));
    assert!(
        html.contains("href=\"https://example.org/?q=a+w\""),
        "{html}"
    );
    // English pages keep their spaces.
    assert!(site.read("en/en/index.html").contains("A cat is a pet."));

    // Switched off in kbsite.yaml, nothing is bound and quotes stay as typed.
    site.write(
        "kbsite.yaml",
        "title: \"Test\"\nbase_url: \"https://example.org/\"\nlanguage: pl\ntypography: false\n",
    );
    site.build(&[]).assert_ok();
    assert!(!site.read("pl/index.html").contains(nbsp));
}

#[test]
fn stats_report_what_editors_need_to_see() {
    let site = Site::new()
        .file("content/seo/_index.md", "---\ntitle: \"SEO\"\n---\n")
        .file(
            "content/seo/a.md",
            &article(
                "Artykuł A",
                "2025-01-01",
                "description: \"x\"\ntags: [\"seo\", \"porady\"]\n",
                "Jeden dwa trzy. Zobacz [B](b.md) i [brak](brak.md).",
            ),
        )
        .file(
            "content/seo/b.md",
            &article(
                "Artykuł B",
                "2025-01-02",
                "tags: [\"seo\"]\n",
                "Cztery pięć. Wróć do [A](a.md).",
            ),
        )
        .file(
            "content/c.md",
            &article(
                "Sierota",
                "2025-01-03",
                "description: \"x\"\n",
                "Sześć siedem osiem dziewięć.",
            ),
        );
    // The build stops at the broken link; the report lists it.
    site.run(&["build"]).assert_code(1);
    let run = site.run(&["stats", "--json"]);
    run.assert_ok();
    let stats: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    assert_eq!(stats["articles"], 3);
    assert!(stats["words"].as_u64().unwrap() >= 15, "{stats}");
    assert_eq!(stats["sections"][0]["name"], "SEO");
    assert_eq!(stats["sections"][0]["articles"], 2);
    let tags = &stats["taxonomies"][0];
    assert_eq!(tags["taxonomy"], "tags");
    assert_eq!(tags["terms"][0]["name"], "seo");
    assert_eq!(tags["terms"][0]["articles"], 2);
    let orphans: Vec<&str> = stats["orphans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(orphans, ["Sierota"]);
    assert_eq!(stats["most_linked"].as_array().unwrap().len(), 2);
    assert_eq!(stats["most_linked"][0]["linked_from"], 1);
    let broken = &stats["broken_links"];
    assert_eq!(broken.as_array().unwrap().len(), 1, "{broken}");
    assert_eq!(broken[0]["file"], "content/seo/a.md");
    assert_eq!(broken[0]["line"], 8);
    assert_eq!(broken[0]["code"], "missing-article");
    assert_eq!(stats["without_description"][0]["title"], "Artykuł B");

    let human = site.run(&["stats"]);
    human.assert_ok();
    for line in [
        "3 articles, ",
        "Orphan articles, nothing links to them (1):",
        "Broken links (1):",
        "content/seo/a.md:8:",
        "Articles without a description (1):",
    ] {
        assert!(human.stdout.contains(line), "{line:?} in {}", human.stdout);
    }
}
