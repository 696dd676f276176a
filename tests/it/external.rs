//! `kbsite check --external` against local servers that rate-limit, redirect out of HTTP and
//! hang: retries after `Retry-After`, redirects followed only to `http(s)`, and an overall
//! deadline. The binary is run where its exit code and errors are the point; the library is
//! called where a shorter deadline or wait keeps the test fast, or where warnings are read.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kbsite::external::{self, ExternalOptions, ExternalReport};
use kbsite::pipeline::BuildOptions;

use crate::fixture::{Site, article, json_diagnostics};

/// A local server and the requests it received, as `METHOD /path`.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Answers every request with `answer(path, how many requests for that path came before)`,
    /// which returns the status line's code and reason plus any extra header lines.
    fn start(answer: impl Fn(&str, usize) -> String + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Some(request) = read_request(&stream) else {
                    continue;
                };
                let path = request.split(' ').nth(1).unwrap_or("").to_string();
                let before = {
                    let mut log = log.lock().unwrap();
                    let before = log
                        .iter()
                        .filter(|r| r.ends_with(&format!(" {path}")))
                        .count();
                    log.push(request);
                    before
                };
                let head = answer(&path, before);
                let _ = write!(
                    &stream,
                    "HTTP/1.1 {head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        Server { base, seen }
    }

    /// The requests received so far.
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// `METHOD /path` of one request, its headers read and dropped.
fn read_request(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    let mut parts = line.split(' ');
    Some(format!("{} {}", parts.next()?, parts.next()?))
}

/// A server that accepts connections and never answers. Returns its base URL.
fn hang() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<TcpStream> = listener.incoming().filter_map(Result::ok).collect();
        drop(held);
    });
    base
}

/// A site with one article linking to each URL.
fn site_linking(urls: &[String]) -> Site {
    let body: String = urls
        .iter()
        .enumerate()
        .map(|(i, url)| format!("[link {i}]({url})\n"))
        .collect();
    Site::new().file(
        "content/a.md",
        &article("A", "2024-01-01", "description: d\n", &body),
    )
}

/// The external check of a fixture site through the library, with `options`.
fn check_library(site: &Site, options: ExternalOptions) -> ExternalReport {
    let build = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let (loaded, _) = kbsite::pipeline::check(&build).unwrap();
    external::check_site(&loaded.site, options)
}

#[test]
fn a_429_with_retry_after_is_asked_again_and_passes() {
    let server = Server::start(|path, before| match (path, before) {
        ("/busy", 0) => "429 Too Many Requests\r\nRetry-After: 1".into(),
        _ => "200 OK".into(),
    });
    let site = site_linking(&[format!("{}/busy", server.base)]);
    let started = Instant::now();
    let run = site.run(&["check", "--external", "--format", "json"]);
    run.assert_ok();
    let diags = json_diagnostics(&run.stdout);
    assert!(
        !diags.iter().any(|d| d.code.starts_with("external-")),
        "{diags:?}"
    );
    assert_eq!(server.seen(), ["HEAD /busy", "HEAD /busy"]);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 is waited for"
    );
}

#[test]
fn a_host_that_keeps_answering_429_is_a_rate_limit_warning_not_a_broken_link() {
    let server = Server::start(|path, _| match path {
        "/always-busy" => "429 Too Many Requests\r\nRetry-After: 3600".into(),
        _ => "429 Too Many Requests\r\nRetry-After: 0".into(),
    });
    let url = format!("{}/always-busy", server.base);
    let site = site_linking(std::slice::from_ref(&url));
    let options = ExternalOptions {
        max_retry_wait: Duration::from_millis(200),
        ..ExternalOptions::default()
    };
    let started = Instant::now();
    let report = check_library(&site, options);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "an hour's Retry-After is capped"
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.checked, 1);
    let codes: Vec<_> = report.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [external::RATE_LIMITED_CODE]);
    assert!(
        report.warnings[0].message.contains(&url),
        "{:?}",
        report.warnings
    );
    assert_eq!(server.seen().len(), 3, "one request and two retries");
    // Not a broken link for the binary either (a host asking for no wait keeps the test fast).
    let site = site_linking(&[format!("{}/busy-briefly", server.base)]);
    let run = site.run(&["check", "--external", "--format", "json"]);
    run.assert_ok();
    assert!(
        !json_diagnostics(&run.stdout)
            .iter()
            .any(|d| d.code == external::BROKEN_CODE)
    );
}

#[test]
fn a_redirect_out_of_http_is_a_broken_link_and_never_fetched() {
    let server = Server::start(|path, _| match path {
        "/moved" => "302 Found\r\nLocation: file:///etc/passwd".into(),
        "/hop" => "301 Moved Permanently\r\nLocation: ok".into(),
        "/loop" => "302 Found\r\nLocation: /loop".into(),
        "/ok" => "200 OK".into(),
        _ => "404 Not Found".into(),
    });
    let urls = ["moved", "hop", "loop"].map(|p| format!("{}/{p}", server.base));
    let site = site_linking(&urls);
    let run = site.run(&["check", "--external", "--format", "json"]);
    run.assert_code(1);
    let diags = json_diagnostics(&run.stdout);
    let broken: Vec<_> = diags
        .iter()
        .filter(|d| d.code == external::BROKEN_CODE)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(broken.len(), 2, "{diags:?}");
    assert!(
        broken
            .iter()
            .any(|m| m.contains("/moved failed") && m.contains("redirects to file:///etc/passwd")),
        "{broken:?}"
    );
    assert!(
        broken
            .iter()
            .any(|m| m.contains("/loop failed: more than 5 redirects")),
        "{broken:?}"
    );
    let seen = server.seen();
    assert!(
        seen.iter().all(|r| !r.contains("passwd")),
        "the file: target is never asked for: {seen:?}"
    );
    assert!(
        seen.contains(&"HEAD /ok".to_string()),
        "a relative redirect is followed on the same host: {seen:?}"
    );
    assert_eq!(seen.iter().filter(|r| *r == "HEAD /loop").count(), 6);
}

#[test]
fn hanging_links_end_at_the_deadline_as_one_warning() {
    let base = hang();
    let urls: Vec<String> = (0..40).map(|i| format!("{base}/slow/{i}")).collect();
    let site = site_linking(&urls);
    let deadline = Duration::from_secs(2);
    let options = ExternalOptions {
        deadline,
        timeout: Duration::from_secs(30),
        ..ExternalOptions::default()
    };
    let started = Instant::now();
    let report = check_library(&site, options);
    let elapsed = started.elapsed();
    assert!(
        elapsed < deadline + Duration::from_secs(10),
        "the check ends soon after its deadline, in-flight requests too: {elapsed:?}"
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.checked, 0);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    let warning = &report.warnings[0];
    assert_eq!(warning.code, external::UNCHECKED_CODE);
    assert_eq!(warning.location, None);
    assert!(
        warning
            .message
            .starts_with("40 of 40 external links were not checked"),
        "{}",
        warning.message
    );
}
