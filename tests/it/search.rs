//! Search: the index a build writes, `kbsite search`, the browser runtime over the same index
//! (parity), and the header box in real headless Chromium.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::fixture::{Site, article, browser_report};

const SEED: &str = "media-spolecznosciowe/social-media-marketing-w-malej-firmie.md";

/// `kbsite search --json` in `site`; the parsed array.
#[track_caller]
fn search(site: &Site, query: &str, limit: usize) -> Vec<Value> {
    let run = site.run(&["search", "--json", "-n", &limit.to_string(), query]);
    run.assert_ok();
    match serde_json::from_str(&run.stdout) {
        Ok(Value::Array(hits)) => hits,
        other => panic!("not a JSON array: {other:?}\n{}", run.stdout),
    }
}

fn paths(hits: &[Value]) -> Vec<&str> {
    hits.iter()
        .map(|h| h["path"].as_str().unwrap_or(""))
        .collect()
}

/// Queries as Polish readers type them (no diacritics, other inflected forms, typos, words cut
/// short) and the article each must put first.
const SAMPLE_QUERIES: &[(&str, &str)] = &[
    ("spolecznosciowych", SEED),
    ("media społecznościowe", SEED),
    ("lojalnosc klientow", SEED),
    ("personalizacja tresci", SEED),
    ("interaktywnosc", SEED),
    ("dwukierunkowsc", SEED),
    ("internetowym", SEED),
    ("google plus", SEED),
    ("badanie slow kluczowych", "seo/badanie-slow-kluczowych.md"),
    ("frazy kluczowe", "seo/badanie-slow-kluczowych.md"),
    ("profil firmy google", "seo/profil-firmy-w-google.md"),
    (
        "opinie klientow",
        "media-spolecznosciowe/opinie-klientow.md",
    ),
    (
        "negatywne opinie",
        "media-spolecznosciowe/opinie-klientow.md",
    ),
    (
        "zbieranie recenzji",
        "media-spolecznosciowe/opinie-klientow.md",
    ),
    ("newsletter", "e-mail-i-tresci/newsletter-od-podstaw.md"),
    (
        "lista adresow mailowych",
        "e-mail-i-tresci/newsletter-od-podstaw.md",
    ),
    (
        "content marketing",
        "e-mail-i-tresci/content-marketing-w-malej-firmie.md",
    ),
    (
        "teksty blogowe",
        "e-mail-i-tresci/content-marketing-w-malej-firmie.md",
    ),
    ("marketing lokalny", "seo/marketing-lokalny.md"),
    ("klienci z okolicy", "seo/marketing-lokalny.md"),
    (
        "optymalizacja strony pod wyszukiwarki",
        "seo/podstawy-seo.md",
    ),
    ("pozycjonowanie strony", "seo/podstawy-seo.md"),
];

#[test]
fn sample_queries_find_their_article_first() {
    let site = Site::sample();
    site.build(&["-q"]);
    let mut wrong = Vec::new();
    for (query, expected) in SAMPLE_QUERIES {
        let hits = search(&site, query, 5);
        if paths(&hits).first() != Some(expected) {
            wrong.push(format!(
                "{query:?}: {:?}, expected {expected}",
                paths(&hits)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // A word being typed finds every article with a longer form of it: the seed only has
    // `wyszukiwarkach`. (The SEO articles, about search engines, rightly come first.)
    let hits = search(&site, "wyszukiwark", 10);
    assert!(paths(&hits).contains(&SEED), "{:?}", paths(&hits));
    assert!(paths(&hits)[0].starts_with("seo/"));
}

#[test]
fn results_carry_title_address_section_snippet_and_anchor() {
    let site = Site::sample();
    let hits = search(&site, "spolecznosciowych", 3);
    let first = &hits[0];
    for key in ["title", "url", "path", "section", "score", "snippet"] {
        assert!(first.get(key).is_some(), "no `{key}` in {first}");
    }
    assert_eq!(first["title"], "Social media marketing w małej firmie");
    assert_eq!(first["path"], SEED);
    assert!(first["score"].as_u64().unwrap() > hits[1]["score"].as_u64().unwrap());
    let snippet = first["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>społecznościowych</mark>"),
        "{snippet}"
    );
    // A match under a heading links to that heading, and the anchor exists on the page.
    let hits = search(&site, "mapy wyszukiwarka pobliżu", 1);
    let url = hits[0]["url"].as_str().unwrap();
    let (page, anchor) = url.split_once('#').expect("url has an anchor");
    let html = site.read(&format!("{}index.html", page.trim_start_matches('/')));
    assert!(html.contains(&format!("id=\"{anchor}\"")), "{url}");
}

#[test]
fn the_human_output_lists_results_and_says_when_there_are_none() {
    let site = Site::sample();
    let run = site.run(&["search", "lojalnosc klientow"]);
    run.assert_ok();
    assert!(
        run.stdout
            .starts_with(" 1. Social media marketing w małej firmie"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("lojalność klientów"), "{}", run.stdout);
    let run = site.run(&["search", "zzzqqq"]);
    run.assert_ok();
    assert!(run.stdout.contains("No results for \"zzzqqq\""));
}

#[test]
fn search_builds_the_site_when_it_has_no_index() {
    let site = Site::sample();
    assert!(!site.output("search/meta.json").exists());
    let hits = search(&site, "spolecznosciowych", 1);
    assert_eq!(paths(&hits), [SEED]);
    assert!(site.output("search/meta.json").exists());
}

#[test]
fn hostile_queries_get_answers_or_clear_messages() {
    let site = Site::sample();
    site.build(&["-q"]);
    let run = site.run(&["search", ""]);
    run.assert_code(2);
    assert!(run.stderr.contains("no words"), "{}", run.stderr);
    let run = site.run(&["search", "  .*( [] \\ ?! "]);
    run.assert_code(2);
    let long = "spolecznosciowych ".repeat(600);
    assert_eq!(paths(&search(&site, &long, 1)), [SEED]);
    assert!(search(&site, &"a".repeat(10_000), 3).is_empty());
    let hits = search(&site, "<script>alert(1)</script> media", 5);
    assert!(!hits.is_empty());
    for h in &hits {
        let bare = h["snippet"]
            .as_str()
            .unwrap()
            .replace("<mark>", "")
            .replace("</mark>", "");
        assert!(!bare.contains(['<', '>']), "{h}");
    }
}

#[test]
fn page_text_never_injects_html_into_snippets() {
    let site = Site::new().file(
        "content/a.md",
        &article(
            "Artykuł",
            "2024-01-01",
            "",
            "Tekst `<img src=x onerror=alert(1)>` i &lt;script&gt;alert(1)&lt;/script&gt; szkodliwy \"cytat\" & 'apostrof'.",
        ),
    );
    let hits = search(&site, "szkodliwy", 1);
    let snippet = hits[0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("alert(1)&lt;/script&gt;"), "{snippet}");
    assert!(snippet.contains("<mark>szkodliwy</mark>"), "{snippet}");
    let bare = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(!bare.contains(['<', '>']), "{snippet}");
}

#[test]
fn footnote_markers_glued_to_words_do_not_spoil_them() {
    let site = Site::new().file(
        "content/a.md",
        &article(
            "Artykuł",
            "2024-01-01",
            "",
            "Kontrola nad przekazem internetowym2. Konto w Google Plus.1 Koniec.",
        ),
    );
    assert_eq!(search(&site, "internetowy", 1).len(), 1);
    let hits = search(&site, "internetowym", 1);
    assert!(
        hits[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>internetowym2</mark>")
    );
    assert_eq!(search(&site, "plus", 1).len(), 1);
}

#[test]
fn pages_can_opt_out_and_sites_can_turn_search_off() {
    let site = Site::new()
        .file(
            "content/a.md",
            &article("Widoczny", "2024-01-01", "", "Wspólne słowo rabarbar."),
        )
        .file(
            "content/b.md",
            &article(
                "Ukryty",
                "2024-01-01",
                "search: false\n",
                "Wspólne słowo rabarbar.",
            ),
        );
    assert_eq!(paths(&search(&site, "rabarbar", 10)), ["a.md"]);
    let fragments = site.tree("public/search/f");
    assert_eq!(fragments.len(), 1);

    let off = Site::empty()
        .file(
            "kbsite.yaml",
            &format!("{}search: false\n", crate::fixture::MINIMAL_CONFIG),
        )
        .file(
            "content/a.md",
            &article("Widoczny", "2024-01-01", "", "Słowo."),
        );
    off.build(&["-q"]);
    assert!(!off.output("search").exists());
    assert!(!off.read("a/index.html").contains("kb-search-input"));
    let run = off.run(&["search", "słowo"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("search is turned off"),
        "{}",
        run.stderr
    );
}

#[test]
fn index_files_are_stored_as_gzip_that_the_cli_reads() {
    let site = Site::sample();
    site.build(&["-q"]);
    let first = site.tree("public/search");
    let meta = &first["meta.json"];
    assert!(
        meta.starts_with(b"{\"version\":3,"),
        "meta.json stays plain JSON"
    );
    let mut packed = [0; 3];
    for (file, bytes) in &first {
        if file == "meta.json" || file == "index.html" {
            continue;
        }
        assert!(file.ends_with(".json.gz"), "{file}");
        assert!(bytes.starts_with(&[0x1f, 0x8b]), "{file} is not gzip");
        // Any gzip reader unpacks it to JSON.
        let mut json = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut json)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        serde_json::from_slice::<Value>(&json).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            bytes.len() < json.len(),
            "{file}: {} >= {}",
            bytes.len(),
            json.len()
        );
        packed[["d/", "p/", "f/"]
            .iter()
            .position(|d| file.starts_with(d))
            .unwrap()] += 1;
    }
    assert!(packed.iter().all(|&n| n > 0), "{packed:?}");
    // The CLI reads the packed files and finds the article.
    assert_eq!(paths(&search(&site, "spolecznosciowych", 1)), [SEED]);
    // A host or tool that unpacked the files leaves an index that is still read.
    let run = site.run(&["search", "--files", "-n", "1", "spolecznosciowych"]);
    run.assert_ok();
    let seed = run
        .stdout
        .lines()
        .find_map(|l| l.split_once("search/f/").map(|(_, f)| f.trim().to_string()))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let fragment = site.output(&format!("search/f/{seed}"));
    let bytes = std::fs::read(&fragment).unwrap();
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut json).unwrap();
    std::fs::write(&fragment, json).unwrap();
    assert_eq!(paths(&search(&site, "spolecznosciowych", 1)), [SEED]);
    // A damaged file is a clear error.
    std::fs::write(&fragment, &bytes[..bytes.len() / 2]).unwrap();
    let run = site.run(&["search", "spolecznosciowych"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains(&format!("f/{seed}: corrupt gzip")),
        "{}",
        run.stderr
    );
    // Building again gives the same bytes.
    site.build(&["-q"]);
    assert_eq!(site.tree("public/search"), first);
}

#[test]
fn a_page_claiming_the_search_folder_is_a_conflict() {
    let site = Site::new().file(
        "content/search.md",
        &article("Szukaj", "2024-01-01", "", "x"),
    );
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("search/"), "{}", run.stderr);
}

#[test]
fn missing_corrupt_and_foreign_index_files_are_clear_errors() {
    let site = Site::sample();
    site.build(&["-q"]);
    for (file, _) in site.tree("public/search/p") {
        std::fs::remove_file(site.output(&format!("search/p/{file}"))).unwrap();
    }
    let run = site.run(&["search", "spolecznosciowych"]);
    run.assert_code(1);
    assert!(run.stderr.contains("search/p/"), "{}", run.stderr);
    assert!(run.stderr.contains(".json.gz: missing"), "{}", run.stderr);
    assert!(run.stderr.contains("kbsite build"), "{}", run.stderr);

    site.build(&["-q"]);
    std::fs::write(
        site.output("search/meta.json"),
        "{\"version\": 1, \"docs\": ",
    )
    .unwrap();
    let run = site.run(&["search", "spolecznosciowych"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("search/meta.json: corrupt"),
        "{}",
        run.stderr
    );

    std::fs::write(
        site.output("search/meta.json"),
        r#"{"version": 99, "docs": 1, "dict": [""], "post": [0]}"#,
    )
    .unwrap();
    let run = site.run(&["search", "spolecznosciowych"]);
    run.assert_code(1);
    assert!(run.stderr.contains("version 99"), "{}", run.stderr);
}

// ---- The browser runtime over the same index ----

/// Runs `queries` through `themes/default/static/search.js` in Node over `index`.
fn browser_answers(index: &Path, queries: &[String], limit: usize) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/run_queries.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .arg(index)
        .arg(limit.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node is needed for the browser search tests (Debian package nodejs)");
    let input = serde_json::to_vec(queries).unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &input).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout) {
        Ok(Value::Array(a)) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn browser_and_cli_rank_identically_over_one_index() {
    let site = Site::sample()
        .file(
            "content/en/search-basics.md",
            "---\ntitle: \"Searching the knowledge base\"\nlang: en\ntags: [search]\n---\n\nReaders searching for marketers, marketing and markets find running examples.\n\n## Typing\n\nPrefixes and typos are tolerated.\n",
        )
        .file(
            "content/seo/kod.md",
            &article(
                "Kod i znaczniki",
                "2024-02-02",
                "description: \"Opis z <b>HTML</b> & cudzysłowami \\\"tu\\\"\"\n",
                "Przykład:\n\n```html\n<meta name=\"description\" content=\"opis\">\n```\n\nŁódź, Gdańsk i Kraków; żółć, źdźbło.\n",
            ),
        );
    // Enough articles that some words are in most of them (and are left out of longer queries).
    for i in 0..620 {
        site.write(
            &format!("content/zbior/a{i}.md"),
            &article(
                &format!("Notatka {i}"),
                "2024-03-03",
                "",
                &format!("Wspólny tekst i numer {i} oraz słowo{} w zbiorze.", i % 7),
            ),
        );
    }
    site.build(&["-q"]);
    let mut queries: Vec<String> = SAMPLE_QUERIES.iter().map(|(q, _)| q.to_string()).collect();
    queries.extend(
        [
            "wyszukiwark",
            "s",
            "se",
            "seo",
            "marketing",
            "markets running",
            "searching typo",
            "tolerated prefixe",
            "lodz gdansk krakow",
            "zolc zdzblo",
            "ŻÓŁĆ",
            "meta description",
            "opis html",
            "cudzyslowami",
            "klientow klientow klienci",
            "internetowym2",
            "<img src=x onerror=alert(1)>",
            ".*(",
            "",
            "zzzzqqqq",
            "dwukierunkowsc komunikacji",
            "marketingowe dzialania w mediach",
            "wspolny tekst slowo3",
            "i numer 17",
            "tekst",
            "notatka 5 w zbiorze",
        ]
        .map(String::from),
    );
    queries.push("marketing ".repeat(2000));
    let compared = compare_browser_and_cli(&site, None, &queries);
    assert!(compared >= 40, "{compared}");
    // English articles have an index of their own, with English stemming.
    let english: Vec<String> = [
        "markets running",
        "searching typo",
        "tolerated prefixe",
        "marketer",
        "knowledge",
        "spolecznosciowych",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(
        compare_browser_and_cli(&site, Some("en"), &english),
        english.len()
    );
    let hits = search_in(&site, "markets running", Some("en"));
    assert_eq!(paths(&hits)[0], "en/search-basics.md");
    assert!(
        paths(&hits)
            .iter()
            .all(|p| p.contains(".en.md") || p.starts_with("en/"))
    );
    assert!(search_in(&site, "spolecznosciowych", Some("en")).is_empty());
}

/// `kbsite search` in the index of `lang` (the site's language when `None`).
fn search_in(site: &Site, query: &str, lang: Option<&str>) -> Vec<Value> {
    let mut args = vec!["search", "--json", query];
    args.extend(lang.iter().flat_map(|l| ["--lang", *l]));
    let run = site.run(&args);
    run.assert_ok();
    match serde_json::from_str(&run.stdout) {
        Ok(Value::Array(hits)) => hits,
        other => panic!("not a JSON array: {other:?}"),
    }
}

/// Runs `queries` in the browser runtime and in `kbsite search` over the index of `lang`;
/// asserts equal results and equal files read; returns how many queries were compared.
fn compare_browser_and_cli(site: &Site, lang: Option<&str>, queries: &[String]) -> usize {
    let dir = lang.map_or_else(|| "search".to_string(), |l| format!("{l}/search"));
    let answers = browser_answers(&site.output(&dir), queries, 10);
    assert_eq!(answers.len(), queries.len());
    let mut compared = 0;
    for (query, browser) in queries.iter().zip(&answers) {
        let mut args = vec!["search", "--json", "--files", "-n", "10", query];
        args.extend(lang.iter().flat_map(|l| ["--lang", *l]));
        let run = site.run(&args);
        if query.trim().is_empty() || query == ".*(" {
            run.assert_code(2);
            assert_eq!(browser["hits"], Value::Array(vec![]), "{query:?}");
            continue;
        }
        run.assert_ok();
        let (json, files) = run
            .stdout
            .split_once("\nread ")
            .map(|(j, f)| (j.to_string(), format!("read {f}")))
            .unwrap_or((run.stdout.clone(), String::new()));
        let cli: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(cli, browser["hits"], "results differ for {query:?}");
        let mut cli_files: Vec<String> = files
            .lines()
            .filter_map(|l| l.rsplit_once("search/").map(|(_, f)| f.to_string()))
            .collect();
        let mut js_files: Vec<String> = browser["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect();
        cli_files.sort();
        cli_files.dedup();
        js_files.sort();
        assert_eq!(cli_files, js_files, "files read differ for {query:?}");
        compared += 1;
    }
    compared
}

#[test]
fn javascript_unit_tests_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    let out = Command::new("node")
        .arg("--test")
        .arg(&dir)
        .output()
        .expect("node is needed for the browser search tests (Debian package nodejs)");
    assert!(
        out.status.success(),
        "node --test tests/js failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---- The header box in real headless Chromium ----

#[test]
fn chromium_finds_the_seed_article_from_the_header_box() {
    let site = Site::sample();
    site.build(&["-q", "--base-url", "http://localhost/docs/"]);
    let report = browser_report(
        "search_e2e.mjs",
        &site,
        &["--base", "/docs/", "--query", "spolecznosciowych"],
    );
    assert_eq!(report["focused"], true, "`/` focuses the search box");
    let results = report["results"].as_array().unwrap();
    assert_eq!(
        results[0]["title"], "Social media marketing w małej firmie",
        "{report}"
    );
    let first_href = results[0]["href"].as_str().unwrap();
    assert!(
        first_href.starts_with("/docs/media-spolecznosciowe/"),
        "{first_href}"
    );
    assert!(
        results[0]["snippetHtml"]
            .as_str()
            .unwrap()
            .contains("<mark>społecznościowych</mark>")
    );
    // The popup's results are options with nothing interactive inside (ARIA listbox).
    assert_eq!(results[0]["role"], "option", "{report}");
    assert_eq!(results[0]["links"], 0, "{report}");
    // The count is announced with the right Polish form; Escape closes and keeps the query,
    // a second Escape clears it; Tab closes; `/` mid-page does not move the page.
    let keys = &report["keys"];
    let count = keys["typed"]["announced"].as_str().unwrap();
    let n: u64 = count.split(' ').next().unwrap().parse().unwrap();
    let form = match (n % 10, n % 100) {
        _ if n == 1 => "wynik",
        (2..=4, m) if !(12..=14).contains(&m) => "wyniki",
        _ => "wyników",
    };
    assert_eq!(count, format!("{n} {form}"), "{keys}");
    assert_eq!(keys["typed"]["open"], true, "{keys}");
    assert_eq!(keys["selectedStyled"], true, "{keys}");
    assert_eq!(keys["escape1"]["open"], false, "{keys}");
    assert_eq!(keys["escape1"]["value"], keys["typed"]["value"], "{keys}");
    assert_eq!(keys["escape2"]["value"], "", "{keys}");
    assert_eq!(keys["tab"]["open"], false, "{keys}");
    assert_eq!(keys["slash"]["scrollY"], 400, "{keys}");
    assert_eq!(
        report["navigatedTo"], first_href,
        "ArrowDown + Enter opens it"
    );
    let page_results = &report["searchPage"]["results"];
    assert_eq!(
        page_results[0]["title"], "Social media marketing w małej firmie",
        "the search page answers ?q="
    );
    // The search page lists links, not options.
    assert_eq!(page_results[0]["role"], Value::Null, "{report}");
    assert_eq!(page_results[0]["links"], 1, "{report}");
    let status = report["searchPage"]["status"].as_str().unwrap();
    assert!(
        status.ends_with(" wynik") || status.ends_with(" wyniki") || status.ends_with(" wyników"),
        "{status}"
    );
    // The page fetched the index as stored: meta.json plain, the rest gzip ...
    assert_eq!(report["stored"]["meta"], serde_json::json!([b'{', b'"']));
    assert_eq!(report["stored"]["dict"], serde_json::json!([0x1f, 0x8b]));
    assert_eq!(
        report["stored"]["fragment"],
        serde_json::json!([0x1f, 0x8b])
    );
    // ... and a host that sends the .gz files with Content-Encoding: gzip (the browser hands
    // search.js plain JSON) works too.
    assert_eq!(report["encodedStored"]["fragment"][0], b'{', "{report}");
    assert_eq!(
        report["encodedHost"][0]["title"], "Social media marketing w małej firmie",
        "{report}"
    );
    for hostile in report["hostile"].as_array().unwrap() {
        assert!(hostile["error"].is_null(), "{hostile}");
        assert_eq!(hostile["injected"], false, "{hostile}");
    }
    assert_eq!(
        report["errors"],
        Value::Array(vec![]),
        "the page logged errors"
    );
}
