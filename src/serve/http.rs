//! The preview's HTTP side: pages from memory, the reload channel, the checks that keep a
//! development server on a laptop safe (no file outside the site, no foreign `Host`), and the
//! accept loop that keeps slow or idle clients from holding it (timeouts, a connection cap).

use crate::hash::FastMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Body as HttpBody;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Semaphore, broadcast};

use crate::error::{Error, Result};
use crate::live::{Body, LiveSite};

/// Where the page script listens for rebuilds.
pub(crate) const EVENTS_PATH: &str = "/__kbsite/events";
/// The page script that reloads after a rebuild.
pub(crate) const SCRIPT_PATH: &str = "/__kbsite/live.js";

/// The script every served page gets: reloads after a rebuild (keeping the scroll position),
/// swaps stylesheets after a CSS-only change, and shows build errors over the page.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What the reload channel tells pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Message {
    /// Something every page may show changed: reload.
    Reload,
    /// Only these pages changed (their addresses, `/seo/podstawy/`): each open page reloads
    /// when it is one of them, so the lists a rebuild renders after the edited article's page
    /// reload only where they changed.
    ReloadPages(Arc<[String]>),
    /// Only stylesheets changed: swap them.
    Css,
    /// The last rebuild failed: show this.
    Failed(String),
    /// The site builds again.
    Fixed,
    /// The broken links the last change left (empty: none), shown beside the page.
    Warnings(String),
}

/// Everything a request can see, published whole: the output of the last good build and
/// what open pages are told about the last change. A rebuild works on the [`LiveSite`] and
/// publishes a new `Served` once it is done, so a request never waits for one, and never sees
/// a half-made site.
#[derive(Clone, Default)]
pub(crate) struct Served {
    /// Every output file of the last good build (none before the site first builds).
    pub files: Arc<FastMap<String, Body>>,
    /// Whether the site has built once.
    pub built: bool,
    /// The error pages should show now, for pages that connect after it happened.
    pub failure: Option<String>,
    /// The broken links written since the preview started, for pages that connect after
    /// they were (a reload).
    pub warnings: Option<String>,
}

impl Served {
    /// The files of `site` as they are now: a copy of its map, whose bodies are shared.
    pub(crate) fn files_of(site: &LiveSite) -> Arc<FastMap<String, Body>> {
        Arc::new(site.output_snapshot())
    }
}

/// What the server shares with the rebuild loop.
pub(crate) struct AppState {
    /// The site being rebuilt: only the rebuild and the search worker lock it, never a
    /// request. Whoever holds it is the only one publishing to `served`.
    pub site: Mutex<LiveSite>,
    /// What requests see; see [`AppState::served`] and [`AppState::publish`].
    pub served: RwLock<Arc<Served>>,
    /// The site root, for checking that a copied file still lies inside it.
    pub root: PathBuf,
    /// Rebuild news for open pages.
    pub events: broadcast::Sender<Message>,
    /// The warnings of the first build, as `warning_key`s: known when the preview started.
    pub first_warnings: std::collections::HashSet<u64>,
    /// `Host` header values this server answers to.
    pub hosts: Vec<String>,
    /// The port, when the preview listens on an address other machines reach (`--bind
    /// 0.0.0.0`): then it also answers a `Host` that is an IP address with this port, as
    /// another machine writes it. A name is still refused, so DNS rebinding stays shut out.
    pub exposed_port: Option<u16>,
    /// Asks the search worker to bring the index up to date.
    pub search: std::sync::mpsc::Sender<()>,
}

impl AppState {
    /// What a request sees now. The lock is held only to clone an `Arc`, so a request never
    /// waits for a rebuild; a panic elsewhere cannot poison what is already published.
    pub(crate) fn served(&self) -> Arc<Served> {
        self.served
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Publishes what `change` makes of the current view. Callers hold `site` (the
    /// [`LiveSite`] passed is the proof), which keeps publications in the order the site
    /// changed; heavy work (copying the file map) is done before, outside the lock requests
    /// take.
    pub(crate) fn publish(&self, _site: &LiveSite, change: impl FnOnce(&mut Served)) {
        let mut served = self
            .served
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut next = Served::clone(&served);
        change(&mut next);
        *served = Arc::new(next);
    }
}

/// Answers every request.
pub(crate) async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    if !host_allowed(request.headers(), &state.hosts, state.exposed_port) {
        return plain(
            StatusCode::FORBIDDEN,
            "this preview answers only to localhost and its own address",
        );
    }
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let raw_path = request.uri().path().to_string();
    if raw_path == EVENTS_PATH {
        return events(&state, request.headers());
    }
    if raw_path == SCRIPT_PATH {
        return with_body(
            &method,
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            LIVE_SCRIPT.as_bytes().to_vec(),
        );
    }
    let Some(key) = output_key(&raw_path) else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    let lookup = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.clone()
    };
    let served = state.served();
    // A social card is drawn on first request (milliseconds of CPU): away from the server's
    // thread.
    if let Some(card @ Body::Card(_)) = served.files.get(&lookup) {
        let card = card.clone();
        let drawn =
            tokio::task::spawn_blocking(move || card.read().map(std::borrow::Cow::into_owned))
                .await;
        return match drawn {
            Ok(Ok(bytes)) => with_body(&method, StatusCode::OK, content_type(&lookup), bytes),
            Ok(Err(e)) => with_body(
                &method,
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain; charset=utf-8",
                format!("the social card could not be drawn: {e}\n").into_bytes(),
            ),
            Err(_) => plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the social card could not be drawn",
            ),
        };
    }
    if let Some(body) = served.files.get(&lookup) {
        if !stays_inside(body, &state.root) {
            return plain(StatusCode::NOT_FOUND, "not found");
        }
        return match body.read() {
            Ok(bytes) => {
                let kind = content_type(&lookup);
                let bytes = if kind.starts_with("text/html") {
                    inject_script(&bytes)
                } else {
                    bytes.into_owned()
                };
                with_body(&method, StatusCode::OK, kind, bytes)
            }
            Err(_) => plain(StatusCode::NOT_FOUND, "not found"),
        };
    }
    if !lookup.ends_with("index.html") && served.files.contains_key(&format!("{key}/index.html")) {
        let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(location) = HeaderValue::from_str(&format!("{raw_path}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    if !served.built
        && let Some(text) = &served.failure
    {
        // The site has never built: a page that shows why, and reloads once it does.
        return with_body(
            &method,
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            inject_script(not_built_page(text).as_bytes()),
        );
    }
    let page = served
        .files
        .get("404.html")
        .and_then(|b| b.read().ok().map(|b| inject_script(&b)))
        .unwrap_or_else(|| b"not found".to_vec());
    with_body(
        &method,
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        page,
    )
}

/// What the preview shows before the site has built once: the errors, as text, with the
/// live script that replaces it by the page once a save fixes them.
fn not_built_page(errors: &str) -> String {
    let escaped = escape_html(errors);
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kbsite: the site does not build yet</title></head><body><h1>The site does not build yet</h1><pre>{escaped}</pre></body></html>"
    )
}

/// Escapes text for HTML (`<`, `>`, `&`, `"`).
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The output path a request path names, or `None` for a path that could climb out of the
/// site: `..` or `.` segments (also when percent-encoded), backslashes, NUL, or bytes that are
/// not UTF-8. Only paths of files the site produced are ever served, so this is a second
/// fence, not the only one.
pub(crate) fn output_key(raw_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    let rest = &decoded[1..];
    if rest.split('/').any(|s| s == ".." || s == ".") || rest.starts_with('/') {
        return None;
    }
    Some(rest.to_string())
}

/// Whether a copied file still lies inside the site: the file was checked when the site was
/// built, but it may have been replaced by a symbolic link since.
fn stays_inside(body: &Body, root: &std::path::Path) -> bool {
    let Body::File(path) = body else {
        return true;
    };
    match (std::fs::canonicalize(path), std::fs::canonicalize(root)) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => false,
    }
}

fn host_allowed(headers: &HeaderMap, hosts: &[String], exposed_port: Option<u16>) -> bool {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| {
            hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(h))
                || exposed_port.is_some_and(|port| is_ip_host(h, port))
        })
}

/// Whether `host` is an IP address (not a name) with `port`: how another machine on the
/// network reaches an exposed preview.
fn is_ip_host(host: &str, port: u16) -> bool {
    host.parse::<std::net::SocketAddr>()
        .is_ok_and(|address| address.port() == port)
}

/// The reload channel: Server-Sent Events, only for pages of this site (DNS rebinding and
/// other origins are refused).
fn events(state: &Arc<AppState>, headers: &HeaderMap) -> Response {
    let origin_ok = match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => true,
        Some(origin) => {
            state
                .hosts
                .iter()
                .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")))
                || state.exposed_port.is_some_and(|port| {
                    origin
                        .strip_prefix("http://")
                        .is_some_and(|h| is_ip_host(h, port))
                })
        }
    };
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v != "same-origin" && v != "none");
    if !origin_ok || cross_site {
        return plain(
            StatusCode::FORBIDDEN,
            "the reload channel is for this site's pages",
        );
    }
    // Subscribed before reading the current failure, so nothing falls in between (news is
    // sent after it is published).
    let receiver = state.events.subscribe();
    let served = state.served();
    let initial = futures_util::stream::iter(
        served
            .failure
            .clone()
            .map(Message::Failed)
            .into_iter()
            .chain(served.warnings.clone().map(Message::Warnings))
            .map(|m| Ok(event(&m))),
    );
    let updates = futures_util::stream::unfold(receiver, |mut rx| async move {
        let message = match rx.recv().await {
            Ok(message) => message,
            // Missed news: a reload shows whatever the site is now.
            Err(broadcast::error::RecvError::Lagged(_)) => Message::Reload,
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok::<Event, Infallible>(event(&message)), rx))
    });
    Sse::new(futures_util::StreamExt::chain(initial, updates))
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn event(message: &Message) -> Event {
    match message {
        Message::Reload => Event::default().event("reload").data("reload"),
        Message::ReloadPages(pages) => Event::default()
            .event("reload")
            .data(serde_json::to_string(&pages[..]).unwrap_or_else(|_| "reload".into())),
        Message::Css => Event::default().event("css").data("css"),
        Message::Failed(text) => Event::default().event("build-error").data(text),
        Message::Fixed => Event::default().event("build-ok").data("ok"),
        Message::Warnings(text) => Event::default().event("build-warnings").data(text),
    }
}

/// Adds the live script before the last `</body>` (or at the end).
fn inject_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The `Content-Type` of an output path, with the charset for text.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

fn with_body(method: &Method, status: StatusCode, kind: &'static str, bytes: Vec<u8>) -> Response {
    let length = bytes.len();
    let body = if method == Method::HEAD {
        HttpBody::empty()
    } else {
        HttpBody::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_body(
        &Method::GET,
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

/// How long a client may take to send a request's headers, and how long a kept-alive
/// connection may wait idle for its next request. hyper's header timer covers both: it starts
/// when a connection is accepted and again each time a response is done and the connection
/// goes idle (hyper 1.x, `proto/h1/conn.rs`: `State::idle` asks for a read, which starts the
/// timer), so a client that sends nothing, trickles its headers (slowloris) or keeps a
/// connection idle is let go after this. A response being sent is never cut: the reload
/// channel stays open for as long as its page is. Tests check both.
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// For tests only: the header and idle timeout in milliseconds instead of
/// [`HEADER_TIMEOUT`], so that they need not wait ten seconds.
pub(crate) const HEADER_TIMEOUT_ENV: &str = "KBSITE_HEADER_TIMEOUT_MS";

/// The most connections served at once: far more than a browser with many tabs opens (a
/// reload channel a tab, and six more to the site), so the cap is only met by a flood. A connection
/// costs a file descriptor and a few kilobytes; at the cap the server stops accepting and
/// new connections wait in the listen queue until one ends.
pub(crate) const MAX_CONNECTIONS: usize = 10_000;

/// For tests only: a lower connection cap than [`MAX_CONNECTIONS`], to see what happens at it.
pub(crate) const MAX_CONNECTIONS_ENV: &str = "KBSITE_MAX_CONNECTIONS";

/// The open-file limit the preview asks for at start, when the hard limit allows it: room
/// for [`MAX_CONNECTIONS`] and everything else, and no more (as Go's runtime does).
const OPEN_FILES_WANTED: u64 = 65_536;

/// How the accept loop treats clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// See [`HEADER_TIMEOUT`].
    pub header_timeout: Duration,
    /// The most connections served at once.
    pub max_connections: usize,
}

impl Limits {
    /// The limits for this process: raises its open-file limit first (see
    /// [`raise_open_file_limit`]) and caps connections below it; the test-only variables
    /// [`HEADER_TIMEOUT_ENV`] and [`MAX_CONNECTIONS_ENV`] lower them.
    pub(crate) fn for_this_process() -> Result<Limits> {
        let header_timeout =
            number_from_env(HEADER_TIMEOUT_ENV)?.map_or(HEADER_TIMEOUT, Duration::from_millis);
        let cap = connection_cap(raise_open_file_limit());
        let max_connections = match number_from_env(MAX_CONNECTIONS_ENV)? {
            Some(wanted) => usize::try_from(wanted).unwrap_or(usize::MAX).clamp(1, cap),
            None => cap,
        };
        Ok(Limits {
            header_timeout,
            max_connections,
        })
    }
}

/// A whole number from the environment variable `name`, `None` when it is not set; anything
/// else is a usage error naming it.
fn number_from_env(name: &'static str) -> Result<Option<u64>> {
    let bad = |value: String| Error::Usage {
        message: format!("{name} is {value:?}, not a whole number"),
        hint: Some(format!("unset {name}; it is meant for kbsite's own tests")),
    };
    match std::env::var(name) {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(value)) => Err(bad(value.to_string_lossy().into())),
        Ok(value) => value.trim().parse().map(Some).map_err(|_| bad(value)),
    }
}

/// The connection cap for an open-file limit (`None`: no such limit): [`MAX_CONNECTIONS`],
/// lowered to leave a reserve of descriptors for the watcher, file reads, the build's threads
/// and the standard streams, so that at the cap connections wait instead of a file failing
/// to open. At least one connection is always served.
pub(crate) fn connection_cap(open_files: Option<u64>) -> usize {
    let Some(limit) = open_files else {
        return MAX_CONNECTIONS;
    };
    let reserve = (limit / 4).clamp(64, 1024);
    let room = usize::try_from(limit.saturating_sub(reserve)).unwrap_or(usize::MAX);
    room.clamp(1, MAX_CONNECTIONS)
}

/// Raises the soft open-file limit to the hard one, up to [`OPEN_FILES_WANTED`], as Go's
/// runtime does at start: each connection holds a descriptor, and shells start programs
/// with a soft limit of 1,024 (256 on macOS) whatever the hard one allows. Returns the soft
/// limit now in force; a limit that cannot be raised is kept as it is.
#[cfg(unix)]
pub(crate) fn raise_open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    // macOS refuses more than OPEN_MAX (10,240) even under an unlimited hard limit: then
    // that is asked for. (Both fit any platform's `rlim_t`.)
    let asked = [OPEN_FILES_WANTED as libc::rlim_t, 10_240 as libc::rlim_t];
    for wanted in asked.map(|w| w.min(limit.rlim_max)) {
        if wanted <= limit.rlim_cur {
            break;
        }
        let raised = libc::rlimit {
            rlim_cur: wanted,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: setrlimit only reads the struct it is given.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit.rlim_cur = wanted;
            break;
        }
    }
    // `rlim_t` is `u64` here but `i64` on some BSDs, where it is never negative ("unlimited"
    // is its largest value).
    #[allow(clippy::unnecessary_cast)]
    let soft = limit.rlim_cur as u64;
    Some(soft)
}

/// No open-file limit to raise outside unix.
#[cfg(not(unix))]
pub fn raise_open_file_limit() -> Option<u64> {
    None
}

/// Serves `app` on `listener` until the future is dropped (Ctrl-C). Written with hyper
/// directly because `axum::serve` has no header timeout and no cap: each connection waits for
/// a free slot before it is accepted, gets the header and idle timeout of `limits`, and gives
/// its slot back when it ends.
pub(crate) async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    loop {
        // Taken before accepting: at the cap, new connections wait in the listen queue.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                wait_after_accept_error(&e).await;
                continue;
            }
        };
        // Small writes (an event on the reload channel) go out at once.
        let _ = stream.set_nodelay(true);
        let io = hyper_util::rt::TokioIo::new(stream);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(io, service);
        tokio::spawn(async move {
            // A client that goes away or times out ends only its own connection.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// After a failed accept: an error about that one connection (the client gave up first) is
/// passed over at once; any other (no descriptors or memory left) lasts a while, so the loop
/// waits a little rather than spinning, as `axum::serve` does.
async fn wait_after_accept_error(e: &std::io::Error) {
    use std::io::ErrorKind;
    let about_one_connection = matches!(
        e.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    );
    if !about_one_connection {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_climb_out_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fetc",
            "/a%5c..%5c..%5cetc",
            "/a\\..\\etc",
            "/%00",
            "//etc/passwd",
            "/./a",
            "/%ff",
        ] {
            assert_eq!(output_key(bad), None, "{bad}");
        }
        assert_eq!(
            output_key("/seo/podstawy/").as_deref(),
            Some("seo/podstawy/")
        );
        assert_eq!(
            output_key("/%C5%82%C3%B3d%C5%BA/").as_deref(),
            Some("łódź/")
        );
        assert_eq!(output_key("/").as_deref(), Some(""));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject_script(html)).unwrap();
        assert!(out.ends_with("<script src=\"/__kbsite/live.js\"></script></body></html>"));
        let out = String::from_utf8(inject_script(b"<p>no body</p>")).unwrap();
        assert!(out.ends_with("</script>"));
    }

    #[test]
    fn the_connection_cap_leaves_descriptors_for_the_rest() {
        // A usual hard limit, raised to: the full cap.
        assert_eq!(connection_cap(Some(65_536)), MAX_CONNECTIONS);
        // A limit that could not be raised: a quarter kept back.
        assert_eq!(connection_cap(Some(1_024)), 768);
        assert_eq!(connection_cap(Some(256)), 192);
        // Never below one connection, never above the cap.
        assert_eq!(connection_cap(Some(10)), 1);
        assert_eq!(connection_cap(Some(u64::MAX)), MAX_CONNECTIONS);
        assert_eq!(connection_cap(None), MAX_CONNECTIONS);
    }

    #[test]
    fn text_types_say_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search/meta.json"), "application/json");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }
}
