//! The in-memory site behind `serve` and `watch`: after any sequence of edits, creates,
//! renames and deletes, a rebuild from the changes equals a clean build, byte for byte.

use std::path::{Path, PathBuf};

use kbsite::live::{Body, LiveSite};
use kbsite::pipeline::BuildOptions;
use proptest::prelude::*;

use crate::fixture::{Site, article, live_page};

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    }
}

/// Asserts both sites have the same output files with the same bytes.
#[track_caller]
fn assert_same_output(live: &LiveSite, clean: &LiveSite) {
    assert_eq!(live.paths(), clean.paths(), "output files differ");
    for path in clean.paths() {
        let a = live.get(path).unwrap().read().unwrap();
        let b = clean.get(path).unwrap().read().unwrap();
        assert!(
            a == b,
            "{path} differs:\n--- rebuilt\n{}\n--- clean\n{}",
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b)
        );
    }
}

/// Asserts that `live` holds the files of `site`'s built output, with the same bytes.
fn assert_same_files(live: &LiveSite, site: &Site) {
    let disk = site.tree("public");
    let on_disk: Vec<&str> = disk
        .keys()
        .map(String::as_str)
        .filter(|p| *p != ".kbsite-output")
        .collect();
    assert_eq!(live.paths(), on_disk);
    for (path, bytes) in &disk {
        if let Some(body) = live.get(path) {
            assert!(body.read().unwrap().as_ref() == bytes.as_slice(), "{path}");
        }
    }
}

#[test]
fn the_site_in_memory_equals_the_built_site_on_disk() {
    let site = Site::sample();
    site.build(&["-q"]);
    let live = LiveSite::open(options(site.path())).unwrap();
    assert_same_files(&live, &site);
}

/// Rendered pages are held packed in memory, and read back as the build writes them.
#[test]
fn rendered_pages_are_kept_packed_and_read_back_byte_for_byte() {
    let site = Site::sample();
    site.build(&["-q"]);
    let live = LiveSite::open(options(site.path())).unwrap();
    let mut packed = 0;
    for (path, bytes) in &site.tree("public") {
        let Some(body) = live.get(path) else {
            continue;
        };
        if path.ends_with(".html") && bytes.len() >= 1024 {
            let Body::Packed(p) = body else {
                panic!("{path} ({} bytes) is not packed", bytes.len());
            };
            assert!(p.packed_len() < bytes.len(), "{path}");
            packed += 1;
        }
        assert!(body.read().unwrap().as_ref() == bytes.as_slice(), "{path}");
    }
    assert!(packed >= 10, "{packed} pages packed");
}

/// The preview opens without its search index and builds it afterwards from the analysis the
/// first build made for the related articles: the index and every page equal a build's.
#[test]
fn the_search_index_built_after_opening_equals_the_built_one() {
    let site = Site::sample();
    site.build(&["-q"]);
    let (mut live, error) = LiveSite::open_without_search(options(site.path())).unwrap();
    assert!(error.is_none(), "{error:?}");
    assert!(live.get("search/meta.json").is_none());
    let work = live.search_work().expect("the index is still to be built");
    let built = work.build();
    assert!(!live.install_search(work, built).is_empty());
    assert_same_files(&live, &site);
    // Built once, the index is current until the next change.
    assert!(live.search_work().is_none());
}

const SECTIONS: [&str; 3] = ["porady", "seo", "nowy"];

#[derive(Debug, Clone)]
enum Op {
    /// Writes article `n` in section `s` with variants of title, date, tags, body and draft.
    Write {
        n: usize,
        s: usize,
        title: usize,
        date: usize,
        tags: usize,
        body: usize,
        draft: bool,
    },
    /// Rewrites only the body of article `n`, keeping its front matter.
    EditBody(usize, usize),
    Delete(usize),
    Rename(usize, usize),
    SectionTitle(usize, usize),
    DeleteSection(usize),
    Css(usize),
    Image(bool),
    BreakFrontMatter(usize),
    /// Writes (variant 1..) or removes (0) the English version of article `n`.
    Translate(usize, usize),
    /// Writes or removes the English `_index.en.md` of a section.
    SectionTranslation(usize, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..6usize, 0..3usize, 0..3usize, 0..3usize, 0..4usize, 0..4usize, proptest::bool::weighted(0.15))
            .prop_map(|(n, s, title, date, tags, body, draft)| Op::Write { n, s, title, date, tags, body, draft }),
        3 => (0..6usize, 0..5usize).prop_map(|(n, b)| Op::EditBody(n, b)),
        1 => (0..6usize).prop_map(Op::Delete),
        1 => (0..6usize, 0..6usize).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (0..3usize, 0..3usize).prop_map(|(s, t)| Op::SectionTitle(s, t)),
        1 => (1..3usize).prop_map(Op::DeleteSection),
        1 => (0..3usize).prop_map(Op::Css),
        1 => any::<bool>().prop_map(Op::Image),
        1 => (0..6usize).prop_map(Op::BreakFrontMatter),
        2 => (0..6usize, 0..3usize).prop_map(|(n, v)| Op::Translate(n, v)),
        1 => (0..2usize, any::<bool>()).prop_map(|(s, on)| Op::SectionTranslation(s, on)),
    ]
}

/// Where article `n` lives now, if anywhere.
fn find_article(root: &Path, n: usize) -> Option<PathBuf> {
    SECTIONS
        .iter()
        .map(|s| root.join("content").join(s).join(format!("artykul-{n}.md")))
        .find(|p| p.exists())
}

fn article_text(
    n: usize,
    title: usize,
    date: usize,
    tags: usize,
    body: usize,
    draft: bool,
) -> String {
    let titles = [
        "Pierwszy tytuł",
        "Drugi tytuł",
        "Tytuł z „cudzysłowem” & <znakiem>",
    ];
    let dates = ["2024-01-01", "2024-05-05", "2023-12-31"];
    let tag_sets = ["[]", "[seo]", "[seo, porady]", "[Porady, nowości]"];
    let bodies = [
        "Krótki tekst o klientach.".to_string(),
        "Długi tekst.\n\n## Nagłówek\n\nAkapit z linkiem do [strony głównej](/).".to_string(),
        format!(
            "Odnośnik do [innego artykułu](../porady/artykul-{}.md).",
            (n + 1) % 6
        ),
        "Tekst z przypisem[^1].\n\n[^1]: Przypis.".to_string(),
    ];
    format!(
        "---\ntitle: \"{} {n}\"\ndate: {}\ntags: {}\ndraft: {draft}\n---\n\n{}\n",
        titles[title].replace('"', "\\\""),
        dates[date],
        tag_sets[tags],
        bodies[body]
    )
}

/// Applies `op` to the files; returns the paths it touched.
fn apply_op(root: &Path, op: &Op) -> Vec<PathBuf> {
    let write = |path: &Path, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    match op {
        Op::Write {
            n,
            s,
            title,
            date,
            tags,
            body,
            draft,
        } => {
            let mut touched = Vec::new();
            let target = root
                .join("content")
                .join(SECTIONS[*s])
                .join(format!("artykul-{n}.md"));
            if let Some(old) = find_article(root, *n)
                && old != target
            {
                std::fs::remove_file(&old).unwrap();
                touched.push(old);
            }
            write(
                &target,
                &article_text(*n, *title, *date, *tags, *body, *draft),
            );
            touched.push(target);
            touched
        }
        Op::EditBody(n, b) => find_article(root, *n)
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                let end = text.find("\n---\n").map_or(0, |i| i + 5);
                let bodies = [
                    "Nowa treść bez nagłówków.",
                    "# Tytuł z nagłówka\n\nTreść pod nim.",
                    "## Inny nagłówek\n\nTekst z linkiem do [działu](/porady/).",
                    "Link do [sekcji](../seo/) i [kotwicy](#inny-naglowek).",
                    "Odnośnik do [innego artykułu](../porady/artykul-0.md#naglowek).",
                ];
                write(&p, &format!("{}\n{}\n", &text[..end], bodies[*b]));
                vec![p]
            })
            .unwrap_or_default(),
        Op::Delete(n) => find_article(root, *n)
            .map(|p| {
                std::fs::remove_file(&p).unwrap();
                vec![p]
            })
            .unwrap_or_default(),
        Op::Rename(a, b) => match (find_article(root, *a), find_article(root, *b)) {
            (Some(from), None) => {
                let to = from.with_file_name(format!("artykul-{b}.md"));
                std::fs::rename(&from, &to).unwrap();
                vec![from, to]
            }
            _ => Vec::new(),
        },
        Op::SectionTitle(s, t) => {
            let path = root.join("content").join(SECTIONS[*s]).join("_index.md");
            let titles = ["Porady", "Sekcja druga", "Nowa nazwa"];
            write(
                &path,
                &format!(
                    "---\ntitle: \"{}\"\npaginate_by: 2\n---\n\nOpis działu.\n",
                    titles[*t]
                ),
            );
            vec![path]
        }
        Op::DeleteSection(s) => {
            let dir = root.join("content").join(SECTIONS[*s]);
            if dir.exists() {
                std::fs::remove_dir_all(&dir).unwrap();
                vec![dir]
            } else {
                Vec::new()
            }
        }
        Op::Css(v) => {
            let path = root.join("static/extra.css");
            write(&path, &format!("body {{ margin: {v}px; }}\n"));
            vec![path]
        }
        Op::Image(present) => {
            let path = root.join("content/porady/obraz.png");
            if *present {
                write(&path, "not really a png");
            } else if path.exists() {
                std::fs::remove_file(&path).unwrap();
            }
            vec![path]
        }
        Op::Translate(n, v) => find_article(root, *n)
            .map(|p| {
                let en = p.with_file_name(format!("artykul-{n}.en.md"));
                if *v == 0 {
                    if en.exists() {
                        std::fs::remove_file(&en).unwrap();
                    }
                } else {
                    let tags = ["[seo]", "[guides, seo]"][*v - 1];
                    write(
                        &en,
                        &format!(
                            "---\ntitle: \"English {n} {v}\"\ndate: 2024-0{v}-02\ntags: {tags}\n---\n\nText about customers, version {v}.\n"
                        ),
                    );
                }
                vec![en]
            })
            .unwrap_or_default(),
        Op::SectionTranslation(s, on) => {
            let path = root.join("content").join(SECTIONS[*s]).join("_index.en.md");
            if *on {
                write(&path, "---\ntitle: \"Tips\"\n---\n\nAbout tips.\n");
            } else if path.exists() {
                std::fs::remove_file(&path).unwrap();
            }
            vec![path]
        }
        Op::BreakFrontMatter(n) => find_article(root, *n)
            .map(|p| {
                write(&p, "---\ntitle: [niezamknięta\n---\n\nTekst.\n");
                vec![p]
            })
            .unwrap_or_default(),
    }
}

fn start_site() -> Site {
    let site = Site::new()
        // Section and term feeds on, so rebuilds are checked to keep them too.
        .file("kbsite.yaml", "title: \"Test\"\nbase_url: \"https://example.org/kb/\"\nlanguage: pl\npaginate_by: 2\nsection_feeds: true\n")
        .file("content/_index.md", "---\ntitle: \"Start\"\n---\n\nWitaj.\n")
        .file("content/porady/_index.md", "---\ntitle: \"Porady\"\npaginate_by: 2\n---\n\nOpis.\n")
        .file("content/seo/_index.md", "---\ntitle: \"SEO\"\n---\n\nOpis.\n");
    for n in 0..4 {
        site.write(
            &format!("content/{}/artykul-{n}.md", SECTIONS[n % 2]),
            &article_text(n, n % 3, n % 3, n % 4, [0, 1, 3, 0][n], false),
        );
    }
    site
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn rebuilding_from_changes_equals_a_clean_build(
        ops in proptest::collection::vec(op(), 1..10),
        articles_first in any::<bool>(),
    ) {
        let site = start_site();
        let mut live = LiveSite::open(options(site.path())).unwrap();
        if articles_first {
            // As `kbsite serve` does: lists and feeds are rendered by `catch_up`.
            live.render_articles_first();
        }
        for op in &ops {
            let touched = apply_op(site.path(), op);
            let rebuilt = live.apply(&touched);
            let rebuilt = rebuilt.and_then(|r| live.catch_up().map(|_| r));
            let clean = LiveSite::open(options(site.path()));
            match clean {
                Err(_) => prop_assert!(rebuilt.is_err(), "clean build failed but rebuild passed after {op:?}"),
                Ok(clean) => {
                    prop_assert!(rebuilt.is_ok(), "rebuild failed after {op:?}: {:?}", rebuilt.err());
                    live.rebuild_search();
                    assert_same_output(&live, &clean);
                }
            }
        }
    }
}

/// A new article in a folder with a section goes into the model in place
/// (`Site::with_new_article`): first, last and between others in source order, with a term
/// new to the site, a link to another article (whose backlinks then name it) and a section
/// that gains a list page. One in a folder without a section, or a draft, takes the full
/// rebuild. Either way the output is what a clean build makes.
#[test]
fn new_articles_give_what_a_clean_build_gives() {
    use kbsite::live::ModelUpdate;
    let site = start_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    let text = |title: &str, tags: &str, body: &str| {
        format!("---\ntitle: \"{title}\"\ndate: 2024-03-03\ntags: {tags}\n---\n\n{body}\n")
    };
    let steps = [
        (
            "porady/aaa-pierwszy.md",
            text("Pierwszy", "[seo]", "Krótko."),
            ModelUpdate::NewArticle,
        ),
        (
            "porady/artykul-1b.md",
            text(
                "Między",
                "[zupełnie nowy]",
                "Zobacz [artykuł](artykul-0.md).",
            ),
            ModelUpdate::NewArticle,
        ),
        (
            "seo/zzz-ostatni.md",
            text("Ostatni", "[]", "Na [start](/)."),
            ModelUpdate::NewArticle,
        ),
        (
            "porady/artykul-0a.md",
            text("Czwarty", "[Porady]", "Tekst."),
            ModelUpdate::NewArticle,
        ),
        (
            "nowy/bez-dzialu.md",
            text("Bez działu", "[]", "Tekst."),
            ModelUpdate::Built,
        ),
        (
            "porady/szkic.md",
            "---\ntitle: \"Szkic\"\ndraft: true\n---\n\nTekst.\n".to_string(),
            ModelUpdate::Built,
        ),
        // Alone, `oferta.EN.md` is an article about itself; beside `oferta.md` it becomes its
        // translation, which the full rebuild works out (as it does for any language code).
        (
            "porady/oferta.EN.md",
            text("Offer", "[]", "Text."),
            ModelUpdate::Built,
        ),
        (
            "porady/oferta.md",
            text("Oferta", "[]", "Tekst."),
            ModelUpdate::Built,
        ),
        // With a wiki link in the site, a new title may be what it names.
        (
            "seo/z-wiki.md",
            text("Z wiki", "[]", "Zobacz [[Pierwszy]]."),
            ModelUpdate::Built,
        ),
        (
            "seo/jeszcze-jeden.md",
            text("Jeszcze jeden", "[]", "Tekst."),
            ModelUpdate::Built,
        ),
    ];
    for (rel, text, expected) in steps {
        site.write(&format!("content/{rel}"), &text);
        let rebuilt = live
            .apply(&[site.path().join("content").join(rel)])
            .unwrap();
        assert_eq!(rebuilt.model, expected, "after adding {rel}");
        let clean = LiveSite::open(options(site.path())).unwrap();
        live.rebuild_search();
        assert_same_output(&live, &clean);
    }
}

/// With articles first (`kbsite serve`), an edit renders the edited article's page before
/// `apply` returns and leaves its section's list for `catch_up`, which brings the output to
/// what a clean build makes.
#[test]
fn articles_first_leaves_the_lists_for_catch_up() {
    let site = start_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    live.render_articles_first();
    let text = "---\ntitle: \"Nowy na liście\"\ndate: 2024-06-01\ntags: [seo]\n---\n\nTekst.\n";
    site.write("content/porady/nowy-na-liscie.md", text);
    let rebuilt = live
        .apply(&[site.path().join("content/porady/nowy-na-liscie.md")])
        .unwrap();
    let page = "porady/nowy-na-liscie/index.html";
    assert!(
        rebuilt.changed.iter().any(|p| p == page),
        "{:?}",
        rebuilt.changed
    );
    assert!(live.is_behind());
    assert!(
        !live_page(&live, "porady/index.html").contains("Nowy na liście"),
        "the list waits"
    );
    assert!(!rebuilt.changed.iter().any(|p| p == "porady/index.html"));
    let rest = live.catch_up().unwrap();
    assert!(rest.iter().any(|p| p == "porady/index.html"), "{rest:?}");
    assert!(rest.iter().any(|p| p == "tags/seo/index.html"), "{rest:?}");
    assert!(live_page(&live, "porady/index.html").contains("Nowy na liście"));
    assert!(!live.is_behind());
    assert!(live.catch_up().unwrap().is_empty(), "nothing is left");
    let clean = LiveSite::open(options(site.path())).unwrap();
    live.rebuild_search();
    assert_same_output(&live, &clean);
}

/// Titles, dates and tags among the terms the site has change the model in place
/// (`Site::with_new_front_matter`); one that empties a term takes the full rebuild. Either
/// way the output is what a clean build makes.
#[test]
fn front_matter_edits_give_what_a_clean_build_gives() {
    let site = start_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    // (article, title, date, tags), bodies kept: tag sets are [], [seo], [seo, porady] and
    // [Porady, nowości]: after article 3 leaves `nowości`, article 2's last edit empties it.
    let edits = [
        (1, 1, 0, 1),
        (1, 2, 1, 2),
        (2, 0, 2, 1),
        (0, 1, 2, 2),
        (2, 2, 0, 3),
        (3, 0, 1, 2),
        (2, 1, 1, 1),
    ];
    let bodies = [0, 1, 3, 0];
    for (n, title, date, tags) in edits {
        let path = find_article(site.path(), n).unwrap();
        std::fs::write(&path, article_text(n, title, date, tags, bodies[n], false)).unwrap();
        live.apply(std::slice::from_ref(&path)).unwrap();
        let clean = LiveSite::open(options(site.path())).unwrap();
        live.rebuild_search();
        assert_same_output(&live, &clean);
    }
}

/// The preview renders again only the articles whose pages can show an edited front matter
/// (its sidebar neighbours, the sections below, its backlinks): a section longer than the
/// sidebar shows whole, a subsection whose sidebar lists its parent's first articles, and a
/// link to another section. Bodies share no words, so no article is related to another and each of those
/// reaches must be followed on its own.
#[test]
fn front_matter_edits_reach_sidebars_neighbours_and_backlinks() {
    // A word of its own for each article: syllables spelling its number.
    let word = |i: usize| {
        let syllables = ["ka", "lo", "mi", "nu", "pe", "ro", "su", "ty"];
        format!(
            "{}{}{}",
            syllables[i / 8 % 8],
            syllables[i % 8],
            syllables[(i / 3) % 8]
        )
    };
    let text = |i: usize, title: &str| {
        let link = if i == 5 {
            " Zobacz [inny](a20.md)."
        } else {
            ""
        };
        format!(
            "---\ntitle: \"{title}\"\ndate: 2024-01-{:02}\n---\n\n{} {}.{link}\n",
            i % 28 + 1,
            word(i),
            word(i + 40)
        )
    };
    let mut site = Site::new()
        .file(
            "kbsite.yaml",
            "title: \"Test\"\nbase_url: \"https://example.org/\"\nlanguage: pl\n",
        )
        .file(
            "content/_index.md",
            "---\ntitle: \"Start\"\n---\n\nWitaj.\n",
        )
        .file(
            "content/porady/_index.md",
            "---\ntitle: \"Porady\"\n---\n\nOpis.\n",
        )
        .file(
            "content/porady/dalej/_index.md",
            "---\ntitle: \"Dalej\"\n---\n\nOpis.\n",
        )
        .file(
            "content/inne/_index.md",
            "---\ntitle: \"Inne\"\n---\n\nOpis.\n",
        )
        .file("content/inne/b.md", &text(40, "Cel odnośnika"));
    for i in 0..30 {
        site = site.file(
            &format!("content/porady/a{i:02}.md"),
            &text(i, &format!("Artykuł {i:02}")),
        );
    }
    for i in 30..33 {
        site = site.file(
            &format!("content/porady/dalej/a{i:02}.md"),
            &text(i, &format!("Artykuł {i:02}")),
        );
    }
    let mut live = LiveSite::open(options(site.path())).unwrap();
    // The first article (in the window of the subsection's sidebar), one in the middle (its
    // neighbours' windows), the linking one (its backlink), then back; last a date alone, which
    // moves an article among its neighbours (the section is newest first).
    let edits = [
        (0, "Zupełnie nowy", "2024-01-01"),
        (15, "Środkowy", "2024-01-16"),
        (5, "Linkujący", "2024-01-06"),
        (0, "Artykuł 00", "2024-01-01"),
        (20, "Artykuł 20", "2023-06-01"),
    ];
    for (i, title, date) in edits {
        let path = site.path().join(format!("content/porady/a{i:02}.md"));
        let dated = text(i, title).replace(
            &format!("date: 2024-01-{:02}", i % 28 + 1),
            &format!("date: {date}"),
        );
        std::fs::write(&path, dated).unwrap();
        live.apply(std::slice::from_ref(&path)).unwrap();
        let clean = LiveSite::open(options(site.path())).unwrap();
        live.rebuild_search();
        assert_same_output(&live, &clean);
    }
    // Wiki links written after the edits find the articles by their new titles.
    let path = site.path().join("content/porady/a10.md");
    let linking = text(10, "Artykuł 10").replace(".\n", ". [[Środkowy]] i [[Linkujący|ten]].\n");
    std::fs::write(&path, linking).unwrap();
    live.apply(std::slice::from_ref(&path)).unwrap();
    let clean = LiveSite::open(options(site.path())).unwrap();
    live.rebuild_search();
    assert_same_output(&live, &clean);
    assert!(live_page(&live, "porady/a10/index.html").contains("href=\"/porady/a15/\""));
    // A new tag makes its page in place, and a link written to it afterwards finds it.
    let edits = [
        (
            "a07",
            text(7, "Artykuł 07").replace("---\n\n", "tags: [Nowy tag]\n---\n\n"),
        ),
        (
            "a11",
            text(11, "Artykuł 11").replace(".\n", ". [Tag](/tags/nowy-tag/).\n"),
        ),
        ("a07", text(7, "Artykuł 07")),
    ];
    for (name, text) in edits {
        let path = site.path().join(format!("content/porady/{name}.md"));
        std::fs::write(&path, text).unwrap();
        let rebuilt = live.apply(std::slice::from_ref(&path));
        match LiveSite::open(options(site.path())) {
            Ok(clean) => {
                rebuilt.unwrap();
                live.rebuild_search();
                assert_same_output(&live, &clean);
            }
            // Emptying the tag breaks the link: both refuse it.
            Err(_) => assert!(rebuilt.is_err(), "{name}"),
        }
        if name == "a11" {
            assert!(live.get("tags/nowy-tag/index.html").is_some());
        }
    }
}

#[test]
fn a_template_change_renders_again_only_the_pages_that_use_it() {
    let site = start_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    let theme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/taxonomy_term.html"),
    )
    .unwrap();
    let changed = theme.replacen(
        "{%- block content %}",
        "{%- block content %}<!-- własny -->",
        1,
    );
    assert_ne!(changed, theme, "the theme template has a content block");
    let path = site.path().join("templates/taxonomy_term.html");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &changed).unwrap();
    let rebuilt = live.apply(std::slice::from_ref(&path)).unwrap();
    assert!(!rebuilt.changed.is_empty());
    for p in &rebuilt.changed {
        assert!(
            p.starts_with("tags/") || p.starts_with("categories/"),
            "{p} was rendered again"
        );
    }
    assert!(live_page(&live, "tags/seo/index.html").contains("<!-- własny -->"));
    let clean = LiveSite::open(options(site.path())).unwrap();
    live.rebuild_search();
    assert_same_output(&live, &clean);
    // Removing the site's template brings the theme's back, on the same pages only.
    std::fs::remove_file(&path).unwrap();
    let rebuilt = live.apply(&[path]).unwrap();
    assert!(rebuilt.changed.iter().any(|p| p.starts_with("tags/")));
    assert!(
        rebuilt
            .changed
            .iter()
            .all(|p| p.starts_with("tags/") || p.starts_with("categories/"))
    );
}

#[test]
fn moving_the_whole_content_folder_away_empties_the_site() {
    let site = start_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    let content = site.path().join("content");
    std::fs::rename(&content, site.path().join("content-old")).unwrap();
    live.apply(std::slice::from_ref(&content)).unwrap();
    live.rebuild_search();
    let clean = LiveSite::open(options(site.path())).unwrap();
    assert_same_output(&live, &clean);
    assert!(live.get("porady/artykul-0/index.html").is_none());
}

#[test]
fn an_edited_theme_file_is_reported_under_its_output_path() {
    let site = start_site();
    let theme_css = site.path().join("themes/default/static/style.css");
    std::fs::create_dir_all(theme_css.parent().unwrap()).unwrap();
    std::fs::write(&theme_css, "body { color: red; }\n").unwrap();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    std::fs::write(&theme_css, "body { color: blue; }\n").unwrap();
    let rebuilt = live.apply(std::slice::from_ref(&theme_css)).unwrap();
    assert!(rebuilt.changed.iter().any(|p| p == "style.css"));
    // Pages show the stylesheet's hash (`asset_url`), so they change with it.
    assert!(rebuilt.changed.iter().any(|p| p == "index.html"));
    let clean = LiveSite::open(options(site.path())).unwrap();
    assert_same_output(&live, &clean);

    // The preview shows stylesheets without hashes: an edit is swapped in, no page changes.
    let preview = BuildOptions {
        preview: true,
        ..options(site.path())
    };
    let mut live = LiveSite::open(preview.clone()).unwrap();
    std::fs::write(&theme_css, "body { color: green; }\n").unwrap();
    let rebuilt = live.apply(std::slice::from_ref(&theme_css)).unwrap();
    assert_eq!(rebuilt.changed, ["style.css"]);
    assert!(rebuilt.only_css());
    assert!(live_page(&live, "index.html").contains("href=\"/kb/style.css\""));
    let clean = LiveSite::open(preview).unwrap();
    assert_same_output(&live, &clean);
}

fn related_site() -> Site {
    let front = |date: &str| {
        format!(
            "---\ntitle: \"T{date}\"\ndate: {date}\ndescription: \"x\"\ntags: [\"reklama\"]\n---\n\n"
        )
    };
    Site::new()
        .file(
            "templates/page.html",
            "{{ page.title }}:{% for r in page.related %} {{ r.title }}={{ r.word_count }}{% endfor %}",
        )
        .file(
            "content/a.md",
            &format!("{}Kampania reklamowa w internecie i reklama lokalna.\n", front("2025-01-01")),
        )
        .file(
            "content/b.md",
            &format!("{}Reklama lokalna i kampania reklamowa dla firmy.\n", front("2025-01-02")),
        )
}

#[test]
fn pages_showing_an_edited_article_as_related_follow_its_body() {
    let site = related_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    assert!(
        live_page(&live, "b/index.html").contains("T2025-01-01=7"),
        "{}",
        live_page(&live, "b/index.html")
    );
    let path = site.path().join("content/a.md");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write("content/a.md", &format!("{text}\nJeszcze trzy słowa.\n"));
    live.apply(&[path]).unwrap();
    // Before the search index and related lists are rebuilt: b shows a's new length already.
    assert!(
        live_page(&live, "b/index.html").contains("T2025-01-01=10"),
        "{}",
        live_page(&live, "b/index.html")
    );
    live.rebuild_search();
    assert_same_output(&live, &LiveSite::open(options(site.path())).unwrap());
}

#[test]
fn a_failed_rebuild_never_leaves_an_old_analysis_for_the_search_index() {
    let site = related_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    let path = site.path().join("content/a.md");
    let text = std::fs::read_to_string(&path).unwrap();
    // A broken link only warns in the preview; broken front matter fails the rebuild.
    site.write("content/a.md", "---\ntitle: [niedomknięte\n---\nx\n");
    assert!(live.apply(std::slice::from_ref(&path)).is_err());
    site.write("content/a.md", &text);
    live.apply(std::slice::from_ref(&path)).unwrap();
    live.rebuild_search();
    site.write(
        "content/a.md",
        &format!("{text}\nZupełnie nowe słowo: mikrokampania.\n"),
    );
    live.apply(std::slice::from_ref(&path)).unwrap();
    live.rebuild_search();
    assert_same_output(&live, &LiveSite::open(options(site.path())).unwrap());
}

#[test]
fn an_edited_snippet_or_component_shows_on_the_pages_that_use_them() {
    let site = start_site()
        .file("snippets/cennik.md", "Cena: 100 zł.\n")
        .file(
            "templates/components/cena.html",
            "<p class=\"cena\">{{ kwota }}</p>",
        )
        .file(
            "content/porady/oferta.md",
            &article(
                "Oferta",
                "2024-02-01",
                "",
                "{{ include(path=\"snippets/cennik.md\") }}\n\n{{ cena(kwota=5) }}\n",
            ),
        );
    let mut live = LiveSite::open(options(site.path())).unwrap();
    assert!(live_page(&live, "porady/oferta/index.html").contains("Cena: 100 zł."));
    site.write("snippets/cennik.md", "Cena: 120 zł.\n");
    let rebuilt = live
        .apply(&[site.path().join("snippets/cennik.md")])
        .unwrap();
    assert!(
        rebuilt
            .changed
            .iter()
            .any(|p| p == "porady/oferta/index.html")
    );
    assert!(live_page(&live, "porady/oferta/index.html").contains("Cena: 120 zł."));
    site.write(
        "templates/components/cena.html",
        "<p class=\"cena\">{{ kwota }} zł</p>",
    );
    live.apply(&[site.path().join("templates/components/cena.html")])
        .unwrap();
    assert!(live_page(&live, "porady/oferta/index.html").contains("<p class=\"cena\">5 zł</p>"));
    let clean = LiveSite::open(options(site.path())).unwrap();
    live.rebuild_search();
    assert_same_output(&live, &clean);
}
