//! `kbsite serve` and `kbsite watch`: the real binary on temp sites, spoken to over real HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::{Site, article};

use crate::preview::{Running, eventually, get, request};

/// A running `kbsite serve` and its port.
struct Server {
    running: Running,
    port: u16,
}

fn start(site: &Site) -> Server {
    start_with(site, &[])
}

/// `kbsite serve --port 0` with more arguments.
fn start_with(site: &Site, args: &[&str]) -> Server {
    let (running, port) = crate::preview::serve(site, args);
    Server { running, port }
}

fn small_site() -> Site {
    Site::new()
        .file("content/porady/_index.md", "---\ntitle: \"Porady\"\n---\n")
        .file(
            "content/porady/pierwszy.md",
            &article(
                "Pierwszy",
                "2024-01-02",
                "tags: [seo]\n",
                "Stary tekst artykułu.",
            ),
        )
}

#[test]
fn edits_creations_and_deletions_reach_the_served_site() {
    let site = small_site();
    let server = start(&site);
    let page = "/porady/pierwszy/";
    let reply = get(server.port, page);
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("Stary tekst"));
    assert!(reply.head.contains("text/html; charset=utf-8"));
    assert!(
        reply.body.contains("/__kbsite/live.js"),
        "served pages get the reload script"
    );

    site.write(
        "content/porady/pierwszy.md",
        &article(
            "Pierwszy",
            "2024-01-02",
            "tags: [seo]\n",
            "Nowy tekst artykułu.",
        ),
    );
    eventually("the edit is served", || {
        get(server.port, page).body.contains("Nowy tekst")
    });

    site.write(
        "content/porady/drugi.md",
        &article("Drugi artykuł", "2024-02-02", "tags: [nowosci]\n", "Treść."),
    );
    eventually("the new article is served", || {
        get(server.port, "/porady/drugi/").status == 200
    });
    assert!(get(server.port, "/porady/").body.contains("Drugi artykuł"));
    assert!(
        get(server.port, "/tags/nowosci/")
            .body
            .contains("Drugi artykuł")
    );

    std::fs::remove_file(site.path().join("content/porady/drugi.md")).unwrap();
    eventually("the deleted article is gone", || {
        get(server.port, "/porady/drugi/").status == 404
    });
    assert!(!get(server.port, "/porady/").body.contains("Drugi artykuł"));
    assert_eq!(get(server.port, "/tags/nowosci/").status, 404);
}

/// The search fragment at `path`, unpacked (index files are stored packed with gzip).
fn fragment(port: u16, path: &str) -> String {
    let reply = get(port, path);
    // Served as stored, for search.js to unpack: no Content-Encoding, no JSON type.
    let head = reply.head.to_ascii_lowercase();
    assert!(!head.contains("content-encoding"), "{head}");
    assert!(
        reply.status != 200 || head.contains("application/octet-stream"),
        "{head}"
    );
    kbsite::search::format::unpack(&reply.bytes)
        .map(|json| String::from_utf8_lossy(&json).into_owned())
        .unwrap_or_default()
}

/// Reads Server-Sent Events until `want` arrives; returns everything read.
#[test]
fn a_second_language_is_served_with_its_own_lists_and_search_index() {
    let site = small_site().file(
        "content/porady/pierwszy.en.md",
        &article("First", "2024-01-03", "tags: [seo]\n", "Old English text."),
    );
    let server = start(&site);
    let port = server.port;
    assert_eq!(get(port, "/en/porady/pierwszy/").status, 200);
    assert!(get(port, "/en/porady/").body.contains("First"));
    assert!(!get(port, "/porady/").body.contains("First"));
    eventually("the English index is served", || {
        fragment(port, "/en/search/f/0.json.gz").contains("Old English text")
    });
    assert!(!fragment(port, "/search/f/0.json.gz").contains("English"));

    site.write(
        "content/porady/pierwszy.en.md",
        &article(
            "First",
            "2024-01-03",
            "tags: [seo]\n",
            "New newsletter text.",
        ),
    );
    eventually("the edit reaches the English index", || {
        fragment(port, "/en/search/f/0.json.gz").contains("New newsletter text")
    });
    assert!(
        get(port, "/en/porady/pierwszy/")
            .body
            .contains("New newsletter text")
    );

    std::fs::remove_file(site.path().join("content/porady/pierwszy.en.md")).unwrap();
    eventually("the English part is gone", || {
        get(port, "/en/porady/pierwszy/").status == 404
            && get(port, "/en/search/meta.json").status == 404
    });
    assert_eq!(get(port, "/porady/pierwszy/").status, 200);
    assert_eq!(get(port, "/search/meta.json").status, 200);
}

fn read_events_until(stream: &mut TcpStream, want: &str) -> String {
    let start = Instant::now();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < Duration::from_secs(10) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
                if seen.contains(want) {
                    return seen;
                }
            }
            Err(_) => {}
        }
    }
    panic!("no `{want}` on the reload channel; got:\n{seen}");
}

/// Connects to the reload channel; returns the stream and what was read with the head.
fn open_events(port: u16) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let request = format!(
        "GET /__kbsite/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let head = read_events_until(&mut stream, "200 OK");
    (stream, head)
}

#[test]
fn a_broken_file_keeps_the_last_good_page_and_reports_where() {
    let site = small_site();
    let server = start(&site);
    let (mut events, _) = open_events(server.port);
    site.write(
        "content/porady/pierwszy.md",
        "---\ntitle: \"Pierwszy\"\ntags: [seo\n---\n\nZepsuty.\n",
    );
    let seen = read_events_until(&mut events, "event: build-error");
    assert!(seen.contains("content/porady/pierwszy.md:3:"), "{seen}");
    let reply = get(server.port, "/porady/pierwszy/");
    assert_eq!(reply.status, 200, "the last good page stays");
    assert!(reply.body.contains("Stary tekst"));

    // A page opened now learns about the error at once.
    let (mut late, head) = open_events(server.port);
    if !head.contains("event: build-error") {
        read_events_until(&mut late, "event: build-error");
    }

    site.write(
        "content/porady/pierwszy.md",
        &article("Pierwszy", "2024-01-02", "", "Naprawiony tekst."),
    );
    let seen = read_events_until(&mut events, "event: reload");
    assert!(seen.contains("event: build-ok"), "{seen}");
    assert!(
        get(server.port, "/porady/pierwszy/")
            .body
            .contains("Naprawiony")
    );
}

/// The `data` of every `reload` event in `seen`, in order.
fn reload_data(seen: &str) -> Vec<String> {
    seen.split("event: reload\n")
        .skip(1)
        .filter_map(|rest| rest.lines().next()?.strip_prefix("data: "))
        .map(str::to_string)
        .collect()
}

/// A new article is served and its page reloaded first; the lists that show it (its section,
/// its tag) follow in a second reload that names only the pages that changed.
#[test]
fn a_new_article_reloads_its_page_first_and_then_the_lists_that_show_it() {
    let site = small_site();
    let server = start(&site);
    let (mut events, _) = open_events(server.port);
    site.write(
        "content/porady/nowy.md",
        &article("Nowy artykuł", "2024-03-01", "tags: [seo]\n", "Treść."),
    );
    let seen = read_events_until(&mut events, "\"/tags/seo/\"");
    let reloads = reload_data(&seen);
    assert!(reloads.len() >= 2, "{seen}");
    let first: Vec<String> = serde_json::from_str(&reloads[0]).unwrap();
    assert!(first.contains(&"/porady/nowy/".to_string()), "{first:?}");
    assert!(
        !first.contains(&"/porady/".to_string()),
        "the list follows the page: {first:?}"
    );
    let later: Vec<String> = serde_json::from_str(reloads.last().unwrap()).unwrap();
    assert!(later.contains(&"/porady/".to_string()), "{later:?}");
    assert!(!later.contains(&"/porady/nowy/".to_string()), "{later:?}");
    assert!(get(server.port, "/porady/").body.contains("Nowy artykuł"));
    assert!(get(server.port, "/tags/seo/").body.contains("Nowy artykuł"));
}

#[test]
fn a_css_change_swaps_stylesheets_without_a_reload() {
    let site = small_site().file("static/extra.css", "body { color: red; }\n");
    let server = start(&site);
    let (mut events, _) = open_events(server.port);
    site.write("static/extra.css", "body { color: blue; }\n");
    let seen = read_events_until(&mut events, "event: css");
    assert!(!seen.contains("event: reload"), "{seen}");
    let reply = get(server.port, "/extra.css");
    assert!(reply.body.contains("blue"));
    assert!(reply.head.contains("text/css; charset=utf-8"));
}

#[test]
fn nothing_outside_the_site_is_ever_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    let site = small_site();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/link.txt"),
    )
    .unwrap();
    let server = start(&site);
    let secret_rel = outside.path().join("secret.txt");
    let absolute = secret_rel.display().to_string();
    let paths = [
        "/../secret.txt".to_string(),
        "/../../../../etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd".to_string(),
        "/porady/..%2f..%2f..%2fetc%2fpasswd".to_string(),
        "/..%5c..%5cetc%5cpasswd".to_string(),
        "/porady\\..\\..\\etc\\passwd".to_string(),
        format!("/{absolute}"),
        format!("//{absolute}"),
        "/link.txt".to_string(),
        "/kbsite.yaml".to_string(),
        "/content/porady/pierwszy.md".to_string(),
        "/%00".to_string(),
    ];
    for path in &paths {
        let reply = get(server.port, path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("TOP SECRET"), "{path} leaked a file");
        assert!(!reply.body.contains("root:"), "{path} leaked /etc/passwd");
    }
    let reply = get(server.port, "/nie-ma-takiej-strony/");
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("404"), "the theme's 404 page");
}

#[test]
fn foreign_hosts_and_origins_are_refused() {
    let site = small_site();
    let server = start(&site);
    let reply = request(server.port, "GET", "/", &[("Host", "attacker.example:80")]);
    assert_eq!(reply.status, 403, "DNS rebinding");
    let reply = request(
        server.port,
        "GET",
        "/",
        &[("Host", &format!("localhost:{}", server.port))],
    );
    assert_eq!(reply.status, 200);
    let reply = request(
        server.port,
        "GET",
        "/__kbsite/events",
        &[("Origin", "http://attacker.example")],
    );
    assert_eq!(reply.status, 403);
    let reply = request(server.port, "POST", "/", &[]);
    assert_eq!(reply.status, 405);
}

#[test]
fn head_requests_types_and_folder_redirects() {
    let site = small_site();
    let server = start(&site);
    let head = request(server.port, "HEAD", "/porady/pierwszy/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let length: usize = head
        .head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap();
    assert_eq!(length, get(server.port, "/porady/pierwszy/").body.len());
    let redirect = get(server.port, "/porady/pierwszy");
    assert_eq!(redirect.status, 308);
    assert!(redirect.head.contains("location: /porady/pierwszy/"));
    assert!(
        get(server.port, "/atom.xml")
            .head
            .contains("application/xml; charset=utf-8")
    );
    // The index is built once the server listens, beside its first answers.
    eventually("the search index is served as JSON", || {
        get(server.port, "/search/meta.json")
            .head
            .contains("application/json")
    });
    // The site is served under the local address, not the config's base_url.
    assert!(
        get(server.port, "/")
            .body
            .contains(&format!("http://127.0.0.1:{}/", server.port))
    );
}

#[test]
fn a_burst_of_saves_leaves_the_server_up_and_right() {
    let site = small_site();
    let server = start(&site);
    // 200 saves about 8 ms apart: a burst of 2 seconds or so (not asserted: machines differ).
    for i in 0..200 {
        site.write(
            "content/porady/pierwszy.md",
            &article("Pierwszy", "2024-01-02", "", &format!("Wersja numer {i}.")),
        );
        // Editors' leftovers along the way.
        if i % 50 == 0 {
            site.write("content/porady/.pierwszy.md.swp", "swap");
            site.write("content/porady/pierwszy.md~", "backup");
        }
        std::thread::sleep(Duration::from_millis(8));
    }
    eventually("the last save is served", || {
        get(server.port, "/porady/pierwszy/")
            .body
            .contains("Wersja numer 199.")
    });
    assert_eq!(get(server.port, "/porady/.pierwszy.md.swp").status, 404);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = small_site();
    let run = site.run(&["serve", "--port", &port]);
    run.assert_code(2);
    assert!(run.stderr.contains("already in use"), "{}", run.stderr);
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
}

/// `kbsite watch` on `site`, with the lines it prints.
fn spawn_watch(site: &Site) -> (Child, std::io::Lines<BufReader<std::process::ChildStdout>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbsite"))
        .arg("watch")
        .current_dir(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    (child, BufReader::new(stdout).lines())
}

#[test]
fn watch_writes_changes_into_the_output_folder() {
    let site = small_site();
    let (mut child, mut lines) = spawn_watch(&site);
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("Built into"), "{first}");
    // Each "Rebuilt" line is printed once every file of that rebuild is written.
    let (rebuilt_tx, rebuilt) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if line.starts_with("Rebuilt") {
                let _ = rebuilt_tx.send(line);
            }
        }
    });
    let page = site.path().join("public/porady/pierwszy/index.html");
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("Stary tekst")
    );
    site.write(
        "content/porady/pierwszy.md",
        &article("Pierwszy", "2024-01-02", "", "Tekst po zapisie."),
    );
    eventually("the output folder has the edit", || {
        std::fs::read_to_string(&page).is_ok_and(|t| t.contains("Tekst po zapisie"))
    });
    rebuilt
        .recv_timeout(Duration::from_secs(10))
        .expect("watch reports the rebuild once it is written");
    // A save can reach the watcher as two bursts (two rebuilds): wait until rebuilds stop.
    while rebuilt.recv_timeout(Duration::from_millis(1500)).is_ok() {}
    let built = std::fs::read_to_string(&page).unwrap();
    assert!(
        !built.contains("__kbsite"),
        "built pages never get the reload script"
    );
    let _ = child.kill();
    let _ = child.wait();
    // What watch left equals a clean build, social cards included.
    let watched = site.tree("public");
    assert!(watched.keys().any(|p| p.starts_with("social/")));
    site.build(&["-q"]);
    let built = site.tree("public");
    let differ: Vec<&String> = watched
        .keys()
        .chain(built.keys())
        .filter(|k| watched.get(*k) != built.get(*k))
        .collect();
    assert!(differ.is_empty(), "watch and build differ in {differ:?}");
}

#[test]
fn chromium_reloads_the_page_after_an_edit_and_keeps_the_scroll_position() {
    let long_body: String = (0..80)
        .map(|i| format!("Akapit numer {i} z tekstem, który wydłuża stronę.\n\n"))
        .collect();
    let site = small_site().file(
        "content/porady/dlugi.md",
        &article(
            "Długi",
            "2024-01-03",
            "",
            &format!("Stary wstęp.\n\n{long_body}"),
        ),
    );
    let server = start(&site);
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/reload_e2e.mjs");
    let out = Command::new("node")
        .arg(script)
        .args([
            "--url",
            &format!("http://127.0.0.1:{}/porady/dlugi/", server.port),
        ])
        .args([
            "--file",
            &site
                .path()
                .join("content/porady/dlugi.md")
                .display()
                .to_string(),
        ])
        .args(["--from", "Stary wstęp.", "--to", "Nowy wstęp po edycji."])
        .output()
        .expect("node is needed for the browser tests (Debian packages nodejs and chromium)");
    assert!(
        out.status.success(),
        "browser run failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["reloaded"], true);
    assert!(
        report["text"]
            .as_str()
            .unwrap()
            .contains("Nowy wstęp po edycji.")
    );
    let before = report["scrollBefore"].as_f64().unwrap();
    let after = report["scrollAfter"].as_f64().unwrap();
    assert!(before > 500.0, "the page scrolled: {before}");
    assert!(
        (after - before).abs() < 50.0,
        "scroll kept: {before} -> {after}"
    );
    assert_eq!(
        report["errors"],
        serde_json::Value::Array(vec![]),
        "{report}"
    );
}

#[test]
fn saves_by_rename_and_folder_moves_are_followed() {
    let site = small_site();
    let server = start(&site);
    // Editors that write a temporary file and rename it over the original.
    let temp = site.path().join("content/porady/.pierwszy.md.kbtmp");
    std::fs::write(
        &temp,
        article("Pierwszy", "2024-01-02", "", "Zapisane przez zmianę nazwy."),
    )
    .unwrap();
    std::fs::rename(&temp, site.path().join("content/porady/pierwszy.md")).unwrap();
    eventually("the renamed save is served", || {
        get(server.port, "/porady/pierwszy/")
            .body
            .contains("Zapisane przez zmianę nazwy.")
    });
    // A whole folder moved elsewhere, then removed.
    std::fs::rename(
        site.path().join("content/porady"),
        site.path().join("content/rady"),
    )
    .unwrap();
    eventually("the moved folder is served at its new place", || {
        get(server.port, "/rady/pierwszy/").status == 200
            && get(server.port, "/porady/pierwszy/").status == 404
    });
    std::fs::remove_dir_all(site.path().join("content/rady")).unwrap();
    eventually("the removed folder is gone", || {
        get(server.port, "/rady/pierwszy/").status == 404
    });
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = small_site();
    let mut server = start(&site);
    assert_eq!(get(server.port, "/").status, 200);
    // An open page keeps its reload channel open; it must not keep the server alive.
    let (_events, _) = open_events(server.port);
    let status = Command::new("kill")
        .args(["-INT", &server.running.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(exit) = server.running.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(exit.code(), Some(0));
    assert!(
        TcpStream::connect(("127.0.0.1", server.port)).is_err(),
        "the port is free again"
    );
}

#[test]
fn the_preview_never_loads_the_analytics_script() {
    let site = Site::empty()
        .file(
            "kbsite.yaml",
            &format!(
                "{}analytics:\n  script: \"https://plausible.io/js/script.js\"\n  domain: \"example.org\"\n",
                crate::fixture::MINIMAL_CONFIG
            ),
        )
        .file(
            "content/porady/pierwszy.md",
            &article("Pierwszy", "2024-01-02", "", "Tekst."),
        );
    site.build(&["-q"]);
    assert!(
        site.read("porady/pierwszy/index.html")
            .contains(r#"<script defer src="https://plausible.io/js/script.js" data-domain="example.org"></script>"#),
        "the published site counts visits"
    );
    let server = start(&site);
    let page = get(server.port, "/porady/pierwszy/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Pierwszy"));
    assert!(
        !page.body.contains("plausible"),
        "the preview must not count the author's visits"
    );
    drop(server);
    // `watch` writes what a build would: the script stays.
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbsite"))
        .arg("watch")
        .current_dir(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("Built into"), "{first}");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        site.read("porady/pierwszy/index.html")
            .contains("plausible.io/js/script.js")
    );
}

#[test]
fn the_preview_draws_a_social_card_when_it_is_asked_for() {
    let site = Site::new().file(
        "content/porady/pierwszy.md",
        &article("Pierwszy", "2024-01-02", "", "Tekst."),
    );
    let server = start(&site);
    let page = get(server.port, "/porady/pierwszy/");
    let html = scraper::Html::parse_document(&page.body);
    let selector = scraper::Selector::parse(r#"meta[property="og:image"]"#).unwrap();
    let card = html
        .select(&selector)
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("the page names its card")
        .to_string();
    let path = &card[card.find("/social/").expect("a card URL")..];
    let cache = site.path().join(".kbsite-cache").join(&path[1..]);
    assert!(!cache.exists(), "nothing is drawn before it is asked for");
    let reply = get(server.port, path);
    assert_eq!(reply.status, 200, "{}", reply.head);
    assert!(
        reply.head.to_ascii_lowercase().contains("image/png"),
        "{}",
        reply.head
    );
    assert!(reply.body.contains("IHDR"), "a PNG");
    assert!(cache.exists(), "the drawn card is kept for the next build");
}

#[test]
fn a_card_that_cannot_be_drawn_is_an_error_naming_the_article() {
    let site = Site::new()
        .file(
            "templates/social_card.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><text>{{ card.title | safe }}</text></svg>\n",
        )
        .file(
            "content/porady/pierwszy.md",
            &article("A <b", "2024-01-02", "", "Tekst."),
        );
    let server = start(&site);
    let page = get(server.port, "/porady/pierwszy/");
    assert_eq!(page.status, 200, "the page itself is served");
    let at = page.body.find("/social/").expect("a card URL");
    let path = &page.body[at..at + "/social/".len() + 32 + ".png".len()];
    let reply = get(server.port, path);
    assert_eq!(reply.status, 500, "{}", reply.head);
    assert!(
        reply
            .body
            .contains("the social card of content/porady/pierwszy.md"),
        "{}",
        reply.body
    );
}

#[test]
fn a_site_that_does_not_build_yet_is_served_and_shows_why() {
    let site = Site::new().file("content/a.md", "---\ntitle: [A\n---\n\nx\n");
    let server = start(&site);
    let reply = get(server.port, "/a/");
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(reply.body.contains("content/a.md:2:"), "{}", reply.body);
    assert!(
        reply.body.contains("/__kbsite/live.js"),
        "it reloads once fixed"
    );
    site.write(
        "content/a.md",
        &article("A", "2024-01-01", "", "Naprawione."),
    );
    eventually("the fixed site is served", || {
        get(server.port, "/a/").body.contains("Naprawione")
    });
}

#[test]
fn broken_links_are_warnings_in_the_preview() {
    let site = Site::new().file(
        "content/a.md",
        &article("A", "2024-01-01", "", "Zobacz [brak](/nie-ma/)."),
    );
    let server = start(&site);
    let reply = get(server.port, "/a/");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains(r#"href="/nie-ma/""#));
    // A broken link written now is shown beside the page, and gone once fixed.
    let (mut events, _) = open_events(server.port);
    site.write(
        "content/a.md",
        &article("A", "2024-01-01", "", "Zobacz [inny](/tez-nie-ma/)."),
    );
    let seen = read_events_until(&mut events, "warning[missing-page]");
    assert!(seen.contains("event: build-warnings"), "{seen}");
    assert!(seen.contains("content/a.md:6:"), "{seen}");
    assert_eq!(get(server.port, "/a/").status, 200);
    site.write(
        "content/a.md",
        &article("A", "2024-01-01", "", "Naprawione."),
    );
    let seen = read_events_until(&mut events, "event: build-warnings");
    assert!(!seen.contains("warning["), "{seen}");
}

#[test]
fn watch_waits_for_a_fix_when_the_first_build_fails() {
    let site = Site::new().file("content/a.md", "---\ntitle: [A\n---\n\nx\n");
    let (mut child, mut lines) = spawn_watch(&site);
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("Watching for changes"), "{first}");
    std::thread::spawn(move || for _ in lines {});
    assert!(!site.path().join("public").exists());
    site.write(
        "content/a.md",
        &article("A", "2024-01-01", "", "Naprawione."),
    );
    let page = site.path().join("public/a/index.html");
    eventually("the output is written once the site builds", || {
        std::fs::read_to_string(&page).is_ok_and(|t| t.contains("Naprawione"))
    });
    assert!(
        site.path().join("public/404.html").exists(),
        "the whole site"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_legacy_react_docs_are_served() {
    let site = Site::legacy_corpus();
    let server = start(&site);
    let page = get(server.port, "/docs/jsx-in-depth.html");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("JSX w szczegółach"));
    let post = get(server.port, "/blog/why-react/");
    assert_eq!(post.status, 200);
    // The docs section is big: its sidebar shows the articles around the page, the page
    // itself marked, and links to the section's whole list.
    let marked = page
        .body
        .find("aria-current=\"page\"")
        .expect("the page is marked");
    assert!(page.body[marked..].contains("docs-nav__more"));
    let section = get(server.port, "/docs/");
    assert_eq!(section.status, 200);
    assert!(section.body.contains("docs-nav__more"));
}

/// Moves `content/` away and back, then replaces it with a copy, as `git checkout` and
/// editors do; `served` says whether the site shows `text` at the article's address.
fn move_content_away_and_back(site: &Site, served: &dyn Fn(&str) -> bool) {
    let content = site.path().join("content");
    let away = site.path().join("content.x");
    std::fs::rename(&content, &away).unwrap();
    eventually("the moved folder empties the site", || {
        !served("Stary tekst")
    });
    std::fs::rename(&away, &content).unwrap();
    eventually("the folder moved back is read again", || {
        served("Stary tekst")
    });
    site.write(
        "content/porady/pierwszy.md",
        &article("Pierwszy", "2024-01-02", "", "Po powrocie folderu."),
    );
    eventually("saves after the move are followed", || {
        served("Po powrocie folderu.")
    });
    // Replaced by a copy: deleted, then made again file by file.
    let copy = site.path().join("content.copy");
    std::fs::create_dir_all(copy.join("porady")).unwrap();
    std::fs::write(
        copy.join("porady/_index.md"),
        std::fs::read(content.join("porady/_index.md")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        copy.join("porady/pierwszy.md"),
        article("Pierwszy", "2024-01-02", "", "Z kopii folderu."),
    )
    .unwrap();
    std::fs::remove_dir_all(&content).unwrap();
    std::fs::rename(&copy, &content).unwrap();
    eventually("the copy is read", || served("Z kopii folderu."));
    site.write(
        "content/porady/pierwszy.md",
        &article("Pierwszy", "2024-01-02", "", "Zapis w kopii."),
    );
    eventually("saves in the copy are followed", || {
        served("Zapis w kopii.")
    });
}

#[test]
fn serve_follows_content_moved_away_and_back_or_replaced() {
    let site = small_site();
    let server = start(&site);
    move_content_away_and_back(&site, &|text| {
        let reply = get(server.port, "/porady/pierwszy/");
        reply.status == 200 && reply.body.contains(text)
    });
}

#[test]
fn watch_follows_content_moved_away_and_back_or_replaced() {
    let site = small_site();
    let (mut child, mut lines) = spawn_watch(&site);
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("Built into"), "{first}");
    std::thread::spawn(move || for _ in lines {});
    let page = site.path().join("public/porady/pierwszy/index.html");
    move_content_away_and_back(&site, &|text| {
        std::fs::read_to_string(&page).is_ok_and(|t| t.contains(text))
    });
    assert!(site.path().join("public/.kbsite-output").exists());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_preview_exposed_with_bind_answers_other_machines_by_address_only() {
    let site = small_site();
    let server = start_with(&site, &["--bind", "0.0.0.0"]);
    // Another machine writes this machine's address (a documentation address here).
    let lan = format!("192.0.2.10:{}", server.port);
    let reply = request(server.port, "GET", "/", &[("Host", &lan)]);
    assert_eq!(reply.status, 200, "{}", reply.head);
    let reply = request(
        server.port,
        "GET",
        "/",
        &[("Host", &format!("[2001:db8::1]:{}", server.port))],
    );
    assert_eq!(reply.status, 200, "{}", reply.head);
    // A name is still refused (DNS rebinding), and so is another port.
    let reply = request(
        server.port,
        "GET",
        "/",
        &[("Host", &format!("attacker.example:{}", server.port))],
    );
    assert_eq!(reply.status, 403);
    let reply = request(server.port, "GET", "/", &[("Host", "192.0.2.10:1")]);
    assert_eq!(reply.status, 403);
    // The local preview keeps refusing addresses it was not started on.
    let local = start(&site);
    let reply = request(
        local.port,
        "GET",
        "/",
        &[("Host", &format!("192.0.2.10:{}", local.port))],
    );
    assert_eq!(reply.status, 403);
}

#[test]
fn a_log_written_into_the_site_folder_is_no_change_of_the_site() {
    let site = small_site();
    for command in ["serve", "watch"] {
        let log = site.path().join(format!("{command}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_kbsite"))
            .args(if command == "serve" {
                &["serve", "--port", "0"][..]
            } else {
                &["watch"][..]
            })
            .current_dir(site.path())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        eventually("it starts", || {
            std::fs::read_to_string(&log).is_ok_and(|t| !t.is_empty())
        });
        // One real change, then quiet: the log of that rebuild must not set off another.
        std::thread::sleep(Duration::from_millis(300));
        site.write(
            "content/porady/pierwszy.md",
            &article("Pierwszy", "2024-01-01", "", "Po zmianie."),
        );
        std::thread::sleep(Duration::from_millis(1500));
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&log).unwrap();
        let rebuilds = text.matches("Rebuilt").count();
        assert!(
            (1..=2).contains(&rebuilds),
            "{command}: {rebuilds} rebuilds:\n{}",
            &text[..text.len().min(2000)]
        );
    }
}
