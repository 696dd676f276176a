//! Checking links to other sites (`kbsite check --external`): each URL once, a bounded number
//! of requests at a time, each with a timeout, so a slow server cannot hang a CI job.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::error::{Error, Location};
use crate::site::Site;

/// Limits for external checks.
#[derive(Debug, Clone, Copy)]
pub struct ExternalOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time allowed for one request, connection included.
    pub timeout: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            concurrency: 8,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Every `http(s)` link of the site, without its fragment, with the places it is written.
pub fn external_links(site: &Site) -> BTreeMap<String, Vec<Location>> {
    let mut links: BTreeMap<String, Vec<Location>> = BTreeMap::new();
    let docs = site.pages.iter().map(|p| (&p.doc, &p.rendered)).chain(
        site.sections
            .iter()
            .filter_map(|s| s.doc.as_ref().map(|d| (d, &s.rendered))),
    );
    for (doc, rendered) in docs {
        let line_starts: std::cell::OnceCell<Vec<usize>> = std::cell::OnceCell::new();
        for link in &rendered.links {
            let lower = link.dest.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                continue;
            }
            let url = link
                .dest
                .split('#')
                .next()
                .unwrap_or(&link.dest)
                .to_string();
            let at = doc.body_location(link.offset, link.len, &line_starts);
            links.entry(url).or_default().push(at);
        }
    }
    links
}

/// Why a URL failed, or `None` when it answered with a success or redirect status.
fn probe(agent: &ureq::Agent, url: &str) -> Option<String> {
    let status = match agent.head(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(ureq::Error::StatusCode(code)) => code,
        Err(e) => return Some(e.to_string()),
    };
    // Some servers refuse HEAD; ask again with GET before calling the link broken.
    let status = if matches!(status, 403 | 405 | 501) {
        match agent.get(url).call() {
            Ok(response) => response.status().as_u16(),
            Err(ureq::Error::StatusCode(code)) => code,
            Err(e) => return Some(e.to_string()),
        }
    } else {
        status
    };
    (status >= 400).then(|| format!("HTTP status {status}"))
}

/// Checks every external link; returns how many URLs were checked and an error per place a
/// broken URL is written.
pub fn check(site: &Site, options: ExternalOptions) -> (usize, Vec<Error>) {
    let links = external_links(site);
    let urls: Vec<&String> = links.keys().collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(true)
        .user_agent(concat!(
            "kbsite/",
            env!("CARGO_PKG_VERSION"),
            " link checker"
        ))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, 64).min(urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    if let Some(reason) = probe(&agent, url)
                        && let Ok(mut f) = failures.lock()
                    {
                        f.push((i, reason));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_default();
    failures.sort();
    let mut errors = Vec::new();
    for (i, reason) in failures {
        let url = urls[i];
        for at in &links[url] {
            errors.push(Error::BrokenLink {
                code: "external-link",
                at: Box::new(at.clone()),
                message: format!("link to {url} failed: {reason}"),
                hint: Some(
                    "fix or remove the link; check again later if the site is only down".into(),
                ),
            });
        }
    }
    (urls.len(), errors)
}
