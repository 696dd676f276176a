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
            &article("Samotny", "2024-01-01", "description: Opis.\n", "x"),
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
