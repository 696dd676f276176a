//! The preview's HTTP side: pages from memory, the reload channel, and the checks that keep a
//! development server on a laptop safe (no file outside the site, no foreign `Host`).

use std::convert::Infallible;
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Body as HttpBody;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use crate::live::LiveSite;

/// Where the page script listens for rebuilds.
pub const EVENTS_PATH: &str = "/__kbsite/events";
/// The page script that reloads after a rebuild.
pub const SCRIPT_PATH: &str = "/__kbsite/live.js";

/// The script every served page gets: reloads after a rebuild (keeping the scroll position),
/// swaps stylesheets after a CSS-only change, and shows build errors over the page.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What the reload channel tells pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The last rebuild failed: show this.
    Failed(String),
    /// The site builds again.
    Fixed,
    /// The broken links the last change left (empty: none), shown beside the page.
    Warnings(String),
}

/// What the server shares with the rebuild loop.
pub struct AppState {
    /// The site.
    pub site: RwLock<LiveSite>,
    /// Rebuild news for open pages.
    pub events: broadcast::Sender<Message>,
    /// The error pages should show now, for pages that connect after it happened.
    pub failure: Mutex<Option<String>>,
    /// The broken links written since the preview started, for pages that connect after
    /// they were (a reload).
    pub warnings: Mutex<Option<String>>,
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

/// Answers every request.
pub async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
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
    // A social card is drawn on first request (milliseconds of CPU): away from the server's
    // thread, with the site unlocked so rebuilds go on meanwhile.
    let card = match state
        .site
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&lookup)
    {
        Some(card @ crate::live::Body::Card(_)) => Some(card.clone()),
        _ => None,
    };
    if let Some(card) = card {
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
    let site = state
        .site
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(body) = site.get(&lookup) {
        if !stays_inside(body, site.root()) {
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
    if !lookup.ends_with("index.html") && site.get(&format!("{key}/index.html")).is_some() {
        let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(location) = HeaderValue::from_str(&format!("{raw_path}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    let failure = state
        .failure
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if site.site().is_none()
        && let Some(text) = failure
    {
        // The site has never built: a page that shows why, and reloads once it does.
        return with_body(
            &method,
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            inject_script(not_built_page(&text).as_bytes()),
        );
    }
    let page = site
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
pub fn output_key(raw_path: &str) -> Option<String> {
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
fn stays_inside(body: &crate::live::Body, root: &std::path::Path) -> bool {
    let crate::live::Body::File(path) = body else {
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
    // Subscribed before reading the current failure, so nothing falls in between.
    let receiver = state.events.subscribe();
    let first = state
        .failure
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let warnings = state
        .warnings
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let initial = futures_util::stream::iter(
        first
            .map(Message::Failed)
            .into_iter()
            .chain(warnings.map(Message::Warnings))
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
pub fn content_type(path: &str) -> &'static str {
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
    fn text_types_say_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search/meta.json"), "application/json");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }
}
