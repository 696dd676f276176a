//! `kbsite check`: validation without output, warnings, `--strict`, the CI formats, and
//! `--external` against a local HTTP server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::fixture::{Site, article, assert_has, json_diagnostics};

#[test]
fn sample_site_checks_clean() {
    let site = Site::sample();
    let run = site.run(&["check"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("Checked ") && run.stdout.contains(": 0 warnings"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "no warnings printed: {}", run.stderr);
    let json = site.run(&["check", "--format", "json", "--strict"]);
    json.assert_ok();
    assert!(json_diagnostics(&json.stdout).is_empty());
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn sample_site_with_a_broken_link_fails_with_its_place() {
    let site = Site::sample();
    let path = "content/seo/podstawy-seo.md";
    let mut text = std::fs::read_to_string(site.path().join(path)).unwrap();
    text.push_str("\nZobacz też [nowy poradnik](nowy-poradnik.md).\n");
    site.write(path, &text);
    let line = text.lines().count() as u64;
    let run = site.run(&["check", "--format", "json"]);
    run.assert_code(1);
    let diags = json_diagnostics(&run.stdout);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_has(&diags, "missing-article", path, line, 28);
}

#[test]
fn github_format_annotates_the_line() {
    let site = Site::new().file(
        "content/a.md",
        &article("A", "2024-01-01", "description: d\n", "[x](brak.md)"),
    );
    let run = site.run(&["check", "--format", "github"]);
    run.assert_code(1);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("::error file=content/a.md,line=7,col=5,title=kbsite missing-article::link to a missing article")),
        "{}",
        run.stdout
    );
}

fn warned_site() -> Site {
    Site::new()
        .file(
            "content/a.md",
            &article(
                "A",
                "2024-01-01",
                "description: Opis.\ntittle: x\n",
                "[b](b.md)",
            ),
        )
        .file("content/b.md", &article("B", "2024-01-01", "", "[a](a.md)"))
        .file(
            "content/samotny.md",
            &article(
                "Samotny",
                "2024-01-01",
                "description: Nikt tu nie linkuje.\n",
                "x",
            ),
        )
        .file("content/pusty/_index.md", "---\ntitle: Pusty\n---\n")
}

#[test]
fn editorial_warnings_do_not_fail_unless_strict() {
    let site = warned_site();
    let run = site.run(&["check", "--format", "json"]);
    run.assert_ok();
    let diags = json_diagnostics(&run.stdout);
    assert!(diags.iter().all(|d| d.severity == "warning"));
    assert_has(&diags, "front-matter-typo", "content/a.md", 5, 1);
    assert_has(&diags, "no-description", "content/b.md", 1, 1);
    assert_has(&diags, "orphan-page", "content/samotny.md", 1, 1);
    assert_has(&diags, "empty-section", "content/pusty/_index.md", 1, 1);
    assert_eq!(diags.len(), 4, "{diags:?}");
    let human = site.run(&["check"]);
    human.assert_ok();
    assert!(
        human.stderr.contains("warning[orphan-page]"),
        "{}",
        human.stderr
    );
    assert!(human.stderr.contains("did you mean `title`?"));

    site.run(&["check", "--strict"]).assert_code(1);
    let build = site.run(&["build", "--strict"]);
    build.assert_code(1);
    assert!(
        !site.path().join("public").exists(),
        "a strict failure writes nothing"
    );
    let build = site.run(&["build"]);
    build.assert_ok();
    assert!(
        build.stderr.contains("warning[empty-section]"),
        "build prints warnings too"
    );
}

/// A local server: `/ok` answers 200, anything else 404. Returns its base URL.
fn serve_locally() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
            }
            let status = if request.split(' ').nth(1) == Some("/ok") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let base = serve_locally();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let body = format!(
        "[dobry]({base}/ok) [zly]({base}/brak#x) [znowu zly]({base}/brak) [zamknięty](http://{closed}/) <{base}/auto>"
    );
    let site = Site::new().file(
        "content/a.md",
        &article("A", "2024-01-01", "description: d\n", &body),
    );
    site.run(&["check"]).assert_ok();
    let run = site.run(&["check", "--external", "--format", "json"]);
    run.assert_code(1);
    let diags = json_diagnostics(&run.stdout);
    let broken: Vec<_> = diags.iter().filter(|d| d.code == "external-link").collect();
    assert_eq!(broken.len(), 4, "{diags:?}");
    assert!(
        broken.iter().any(|d| d.message.contains("/auto failed")),
        "autolinks are checked too"
    );
    assert!(
        broken
            .iter()
            .any(|d| d.message.contains("/brak failed: HTTP status 404"))
    );
    assert!(
        broken
            .iter()
            .any(|d| d.message.contains(&closed.to_string()))
    );
    assert!(!diags.iter().any(|d| d.message.contains("/ok")));
}

/// The codes of the SEO warnings only `kbsite check` gives.
const SEO_CODES: &[&str] = &[
    "long-title",
    "long-description",
    "image-alt",
    "duplicate-title",
    "duplicate-description",
];

/// A site with one of each SEO problem, and articles right at the limits that have none.
fn seo_site() -> Site {
    let long_title = "Jak napisać tytuł artykułu, który przyciągnie ludzi z sieci?!";
    let limit_title = "Zażółć gęślą jaźń: tytuł równo na granicy sześćdziesięciu zn";
    let long_description = "Opis, który ciągnie się i ciągnie: najpierw o słowach kluczowych, potem o linkach, potem o szybkości strony, a na końcu jeszcze o mediach i płatnych reklamach!!!";
    let limit_description = "Ten opis ma dokładnie sto sześćdziesiąt znaków, liczonych jako litery, a nie bajty: zażółć gęślą jaźń, żółw, źdźbło, łąka, ćma i pięść, więc mieści się w nim...";
    assert_eq!(long_title.chars().count(), 61);
    assert_eq!(limit_title.chars().count(), 60);
    assert!(limit_title.len() > 60, "Polish letters take more bytes");
    assert_eq!(long_description.chars().count(), 161);
    assert_eq!(limit_description.chars().count(), 160);
    let described = |d: &str| format!("description: \"{d}\"\n");
    Site::new()
        .file(
            "content/dlugi-tytul.md",
            &article(long_title, "2024-01-01", &described("Tytuł za długi."), "x"),
        )
        .file(
            "content/dlugi-opis.md",
            &article(
                "Długi opis",
                "2024-01-02",
                &described(long_description),
                "x",
            ),
        )
        .file(
            "content/na-granicy.md",
            &article(
                limit_title,
                "2024-01-03",
                &described(limit_description),
                "x",
            ),
        )
        .file(
            "content/obrazy.md",
            &article(
                "Obrazy",
                "2024-01-04",
                &described("O obrazach."),
                "Zrzut: ![](foto.png) i ![Wykres ruchu](wykres.png), a w kodzie `![](x.png)`.",
            ),
        )
        .file("content/foto.png", "png")
        .file("content/wykres.png", "png")
        .file(
            "content/poradniki/_index.md",
            "---\ntitle: Poradniki\n---\n\nBaner: ![ ](baner.png)\n",
        )
        .file("content/poradniki/baner.png", "png")
        .file(
            "content/poradniki/a.md",
            &article(
                "Jak zacząć z SEO",
                "2024-01-05",
                &described("Pierwszy."),
                "x",
            ),
        )
        .file(
            "content/poradniki/b.md",
            &article(
                " jak zacząć z seo ",
                "2024-01-06",
                &described("Drugi."),
                "x",
            ),
        )
        .file(
            "content/poradniki/c.md",
            &article("Trzeci", "2024-01-07", &described("Wspólny opis."), "x"),
        )
        .file(
            "content/poradniki/d.md",
            &article("Czwarty", "2024-01-08", &described("wspólny  OPIS."), "x"),
        )
}

#[test]
fn check_warns_about_seo_problems_where_they_are() {
    let site = seo_site();
    let run = site.run(&["check", "--format", "json"]);
    run.assert_ok();
    let diags = json_diagnostics(&run.stdout);
    // Front matter lines: 2 is `title: "…"` (value at column 8), 4 is `description: "…"`
    // (value at column 14); the body starts on line 7.
    assert_has(&diags, "long-title", "content/dlugi-tytul.md", 2, 8);
    assert_has(&diags, "long-description", "content/dlugi-opis.md", 4, 14);
    assert_has(&diags, "image-alt", "content/obrazy.md", 7, 12);
    assert_has(&diags, "image-alt", "content/poradniki/_index.md", 5, 13);
    assert_has(&diags, "duplicate-title", "content/poradniki/b.md", 2, 8);
    assert_has(
        &diags,
        "duplicate-description",
        "content/poradniki/d.md",
        4,
        14,
    );
    let seo: Vec<_> = diags
        .iter()
        .filter(|d| SEO_CODES.contains(&d.code.as_str()))
        .collect();
    assert_eq!(
        seo.len(),
        6,
        "one warning per problem, nothing else: {seo:#?}"
    );
    assert!(seo.iter().all(|d| d.severity == "warning"));
    let message = |code: &str| &seo.iter().find(|d| d.code == code).unwrap().message;
    assert!(message("long-title").contains("61 characters"));
    assert!(message("long-description").contains("161 characters"));
    assert!(message("image-alt").contains("foto.png"));
    assert!(message("duplicate-title").contains("content/poradniki/a.md"));
    assert!(message("duplicate-description").contains("content/poradniki/c.md"));
    for clean in [
        "content/na-granicy.md",
        "content/poradniki/a.md",
        "content/poradniki/c.md",
    ] {
        assert!(
            !seo.iter().any(|d| d.file.as_deref() == Some(clean)),
            "{clean} has no SEO problem: {seo:#?}"
        );
    }

    // Human output, with a hint; the same warnings in the same order on every run.
    let human = site.run(&["check"]);
    human.assert_ok();
    assert!(
        human.stderr.contains("warning[image-alt]") && human.stderr.contains("help: describe"),
        "{}",
        human.stderr
    );
    assert_eq!(site.run(&["check", "--format", "json"]).stdout, run.stdout);
    site.run(&["check", "--strict"]).assert_code(1);
}

#[test]
fn build_does_not_give_seo_warnings() {
    let site = seo_site();
    let json = site.run(&["build", "--format", "json"]);
    json.assert_ok();
    let diags = json_diagnostics(&json.stdout);
    assert!(
        diags.iter().any(|d| d.code == "orphan-page"),
        "build reports its own warnings: {diags:#?}"
    );
    assert!(
        !diags.iter().any(|d| SEO_CODES.contains(&d.code.as_str())),
        "{diags:#?}"
    );
    let human = site.run(&["build"]);
    human.assert_ok();
    for code in SEO_CODES {
        assert!(
            !human.stderr.contains(code) && !human.stdout.contains(code),
            "build printed `{code}`:\n{}",
            human.stderr
        );
    }
}
