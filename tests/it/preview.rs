//! What the tests of `kbsite serve` and `kbsite watch` share: starting the real binary, raw
//! HTTP/1.1 requests, and waiting for the preview to catch up.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::Site;

/// A running `kbsite serve` or `kbsite watch`; killed when dropped (also when a test fails).
pub(crate) struct Running {
    pub child: Child,
    /// Its first line of output ("Serving … at http://127.0.0.1:PORT/", "Built into …").
    pub first_line: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Starts `command` (kbsite, perhaps wrapped in a shell), reads its first line, and keeps
    /// reading the rest so it never blocks on a full pipe.
    pub(crate) fn start(mut command: Command) -> Running {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kbsite");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first_line = lines
            .next()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("{command:?} printed nothing"));
        std::thread::spawn(move || for _ in lines {});
        Running { child, first_line }
    }

    /// The port a `kbsite serve` listens on, from its first line.
    pub(crate) fn port(&self) -> u16 {
        self.first_line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {:?}", self.first_line))
    }
}

/// `kbsite <args>` in the site.
pub(crate) fn kbsite(site: &Site, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kbsite"));
    command.args(args).current_dir(site.path());
    command
}

/// `kbsite serve --port 0` with more arguments, and its port.
pub(crate) fn serve(site: &Site, args: &[&str]) -> (Running, u16) {
    let mut command = kbsite(site, &["serve", "--port", "0"]);
    command.args(args);
    let running = Running::start(command);
    let port = running.port();
    (running, port)
}

/// A raw HTTP/1.1 exchange, so the path goes out exactly as written.
pub(crate) struct Reply {
    pub status: u16,
    pub head: String,
    /// The body as text (lossy).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

/// `method path` on a fresh connection, with `Host: 127.0.0.1:PORT` unless `headers` name
/// one.
pub(crate) fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut text = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        text.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).expect("send");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&raw[..split])
        .trim_end()
        .to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let bytes = raw[split..].to_vec();
    Reply {
        status,
        head,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// `GET path`.
pub(crate) fn get(port: u16, path: &str) -> Reply {
    request(port, "GET", path, &[])
}

/// Polls `check` until it holds, or panics after `limit`.
#[track_caller]
pub(crate) fn eventually_within(what: &str, limit: Duration, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("timed out waiting until {what}");
}

/// [`eventually_within`] 10 s.
#[track_caller]
pub(crate) fn eventually(what: &str, check: impl FnMut() -> bool) {
    eventually_within(what, Duration::from_secs(10), check);
}
