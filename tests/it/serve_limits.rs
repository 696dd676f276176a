//! `kbsite serve` under load: a slow rebuild never blocks serving, half-open and idle
//! connections are closed after the header timeout, and connections are capped. The real
//! binary, spoken to over real TCP.
#![cfg(unix)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::fixture::{Site, article};
use crate::preview::{Running, eventually_within, get};

/// A running `kbsite serve` and its port.
struct Server {
    _running: Running,
    port: u16,
}

/// `kbsite serve --port 0` with `env` set, started with a soft open-file limit of
/// `soft_nofile` (as a default shell gives), which the server must raise itself.
fn start(site: &Site, env: &[(&str, &str)], soft_nofile: u32) -> Server {
    let script = format!("ulimit -Sn {soft_nofile} && exec \"$0\" serve --port 0");
    let mut command = Command::new("sh");
    command
        .args(["-c", &script, env!("CARGO_BIN_EXE_kbsite")])
        .envs(env.iter().copied())
        .current_dir(site.path());
    let running = Running::start(command);
    let port = running.port();
    Server {
        _running: running,
        port,
    }
}

/// Raises this test process's soft open-file limit to `want` (within the hard limit): it
/// holds thousands of connections.
fn raise_own_nofile(want: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        let target = (want as libc::rlim_t).min(limit.rlim_max);
        if limit.rlim_cur < target {
            limit.rlim_cur = target;
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
    }
}

/// [`get`] with how long it took.
fn timed_get(port: u16, path: &str) -> (u16, String, Duration) {
    let start = Instant::now();
    let reply = get(port, path);
    (reply.status, reply.body, start.elapsed())
}

fn small_site() -> Site {
    Site::new()
        .file("content/porady/_index.md", "---\ntitle: \"Porady\"\n---\n")
        .file(
            "content/porady/pierwszy.md",
            &article("Pierwszy", "2024-01-02", "", "Stary tekst artykułu."),
        )
        .file("static/plik.txt", "plik statyczny\n")
}

/// An article of about `bytes` bytes of ordinary Polish prose.
fn huge_article(bytes: usize) -> String {
    let mut body = String::with_capacity(bytes + 1000);
    let mut i = 0;
    while body.len() < bytes {
        for _ in 0..10 {
            body.push_str(&format!(
                "Zażółć gęślą jaźń, to zdanie o marketingu i SEO numer {i}. "
            ));
            i += 1;
        }
        body.push_str("\n\n");
    }
    article("Wielki", "2024-01-03", "", &body)
}

/// Whether the server closed `stream` (end of file or reset) within `limit`; what it sent
/// first (a 408) is read and dropped.
fn closed_within(mut stream: &TcpStream, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        stream.set_read_timeout(Some(left)).expect("timeout");
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
}

/// Whether `stream` is still open and silent now (nothing to read, no end of file).
fn still_open(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).expect("nonblocking");
    let mut buf = [0u8; 1];
    let open = matches!(
        (&*stream).read(&mut buf),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    );
    stream.set_nonblocking(false).expect("blocking");
    open
}

#[test]
fn a_slow_rebuild_never_blocks_pages_or_static_files() {
    let site = small_site();
    let server = start(&site, &[], 1024);
    let port = server.port;
    assert_eq!(get(port, "/porady/pierwszy/").status, 200);
    // A 24 MB article takes seconds to rebuild (a test build: about 8 s here). It is written
    // beside content/ and moved in, so the rebuild reads it whole, once.
    let staged = site.path().join("wielki.tmp");
    std::fs::write(&staged, huge_article(24_000_000)).expect("write the huge article");
    let saved = Instant::now();
    std::fs::rename(&staged, site.path().join("content/porady/wielki.md")).expect("move it in");
    // The watcher starts the rebuild within milliseconds.
    std::thread::sleep(Duration::from_millis(500));

    let (status, body, file_took) = timed_get(port, "/plik.txt");
    assert_eq!(status, 200);
    assert_eq!(body, "plik statyczny\n");
    let (status, body, page_took) = timed_get(port, "/porady/pierwszy/");
    assert_eq!(status, 200);
    assert!(body.contains("Stary tekst"), "the last good page is served");
    // Both were answered while the rebuild still ran: its page is not there yet.
    let (status, _, missing_took) = timed_get(port, "/porady/wielki/");
    assert_eq!(
        status, 404,
        "the requests waited for the rebuild ({file_took:?}, {page_took:?}, {missing_took:?})"
    );
    let answered = saved.elapsed();
    eventually_within(
        "the huge article is served",
        Duration::from_secs(180),
        || get(port, "/porady/wielki/").status == 200,
    );
    let rebuilt = saved.elapsed();
    eprintln!(
        "during the rebuild: static file {file_took:?}, page {page_took:?}, missing page \
         {missing_took:?}; all answered {answered:?} after the save, the rebuild done after \
         {rebuilt:?}"
    );
    for took in [file_took, page_took, missing_took] {
        assert!(took < Duration::from_secs(3), "a request took {took:?}");
    }
    assert!(
        answered + Duration::from_secs(1) < rebuilt,
        "answered {answered:?} after the save, rebuilt after {rebuilt:?}"
    );
}

#[test]
fn half_open_connections_neither_block_pages_nor_stay_open() {
    const HELD: usize = 3_000;
    // Long enough that all of them are still held when the page is asked for, even on a
    // machine so busy that opening them takes seconds.
    const TIMEOUT: Duration = Duration::from_secs(15);
    raise_own_nofile(2 * HELD as u64 + 256);
    let site = small_site();
    // Started with the soft limit a shell usually gives (1,024): holding 3,000 connections
    // needs the server to raise it.
    let server = start(&site, &[("KBSITE_HEADER_TIMEOUT_MS", "15000")], 1024);
    let port = server.port;
    let opening = Instant::now();
    let mut held = Vec::with_capacity(HELD);
    for i in 0..HELD {
        let mut stream = TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_secs(5),
        )
        .unwrap_or_else(|e| panic!("connection {i} refused: {e}"));
        // A request line and part of the headers, never finished.
        let partial = format!("GET /porady/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ");
        stream.write_all(partial.as_bytes()).expect("send");
        held.push(stream);
    }
    let opened = opening.elapsed();

    let (status, body, took) = timed_get(port, "/porady/pierwszy/");
    assert_eq!(status, 200);
    assert!(body.contains("Stary tekst"));
    let (status, _, file_took) = timed_get(port, "/plik.txt");
    assert_eq!(status, 200);
    let checked = opening.elapsed();
    let open = held.iter().filter(|s| still_open(s)).count();
    eprintln!(
        "{HELD} half-open connections opened in {opened:?}; then a page took {took:?}, a \
         file {file_took:?}; {open} still open"
    );
    assert!(took < Duration::from_secs(2), "the page took {took:?}");
    assert!(
        file_took < Duration::from_secs(2),
        "the file took {file_took:?}"
    );
    assert!(
        checked < TIMEOUT,
        "opening {HELD} connections took longer than the timeout: {checked:?}"
    );
    assert_eq!(open, HELD, "all half-open connections were held meanwhile");

    // Each is closed once it has not finished its headers for the timeout.
    let closed = held
        .iter()
        .filter(|s| closed_within(s, TIMEOUT + Duration::from_secs(15)))
        .count();
    let closing = opening.elapsed();
    eprintln!("{closed} closed by the server {closing:?} after the first was opened");
    assert_eq!(closed, HELD, "half-open connections the server kept open");
    assert!(closing >= TIMEOUT, "closed before the timeout: {closing:?}");
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_timeout() {
    let site = small_site();
    let server = start(&site, &[("KBSITE_HEADER_TIMEOUT_MS", "1000")], 1024);
    let port = server.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let request = format!("GET /plik.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    // Two requests on the same connection: it is kept alive between them.
    for _ in 0..2 {
        stream.write_all(request.as_bytes()).expect("send");
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !seen.ends_with(b"plik statyczny\n") {
            let n = stream.read(&mut buf).expect("a reply");
            assert!(n > 0, "closed before the reply");
            seen.extend_from_slice(&buf[..n]);
        }
        assert!(seen.starts_with(b"HTTP/1.1 200"));
        std::thread::sleep(Duration::from_millis(300));
    }
    let idle = Instant::now();
    assert!(
        closed_within(&stream, Duration::from_secs(10)),
        "the idle connection stays open"
    );
    let took = idle.elapsed();
    eprintln!("the idle connection was closed after {took:?} (300 ms idle before)");
    assert!(
        took >= Duration::from_millis(400),
        "closed at once: {took:?}"
    );
}

#[test]
fn the_reload_channel_outlives_the_header_timeout() {
    let site = small_site();
    let server = start(&site, &[("KBSITE_HEADER_TIMEOUT_MS", "300")], 1024);
    let port = server.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let request = format!(
        "GET /__kbsite/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut seen = String::new();
    let mut read_until = |want: &str, seen: &mut String| {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while start.elapsed() < Duration::from_secs(10) && !seen.contains(want) {
            match stream.read(&mut buf) {
                Ok(0) => panic!("the reload channel was closed; got:\n{seen}"),
                Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {}
            }
        }
        assert!(seen.contains(want), "no `{want}`; got:\n{seen}");
    };
    read_until("200 OK", &mut seen);
    // Many times the header timeout with nothing sent either way.
    std::thread::sleep(Duration::from_secs(2));
    site.write(
        "content/porady/pierwszy.md",
        &article("Pierwszy", "2024-01-02", "", "Nowy tekst artykułu."),
    );
    read_until("event: reload", &mut seen);
}

#[test]
fn at_the_connection_cap_the_next_waits_for_a_free_slot() {
    const CAP: usize = 8;
    let site = small_site();
    let server = start(
        &site,
        &[
            ("KBSITE_MAX_CONNECTIONS", "8"),
            ("KBSITE_HEADER_TIMEOUT_MS", "3000"),
        ],
        1024,
    );
    let port = server.port;
    let opening = Instant::now();
    let mut held = Vec::new();
    for _ in 0..CAP {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.write_all(b"GET / HTTP/1.1\r\n").expect("send");
        held.push(stream);
    }
    // One more, with a whole request: not taken while the others hold every slot, then
    // answered once the header timeout frees them.
    let mut next = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request =
        format!("GET /plik.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    next.write_all(request.as_bytes()).expect("send");
    next.set_read_timeout(Some(Duration::from_millis(1500)))
        .expect("timeout");
    let mut buf = [0u8; 4096];
    let early = next.read(&mut buf);
    assert!(
        early.is_err(),
        "answered while {CAP} connections held every slot: {early:?}"
    );
    next.set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    let mut reply = Vec::new();
    let _ = next.read_to_end(&mut reply);
    let waited = opening.elapsed();
    eprintln!("the connection over the cap was answered after {waited:?}");
    assert!(
        reply.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    assert!(waited >= Duration::from_millis(2500), "{waited:?}");
}
