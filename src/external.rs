//! Checking links to other sites (`kbsite check --external`): each URL once, a bounded number
//! of requests at a time, each with a timeout, and the whole check within a deadline, so a slow
//! server cannot hang a CI job. Redirects are followed by hand, only to `http(s)` addresses, so a
//! server cannot send the checker to `file:///etc/passwd`; a host that answers 429 is asked again
//! after its `Retry-After` and, if it keeps refusing, reported as rate limited, not as broken.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::codes;
use crate::error::{Diagnostic, Error, Location, ProblemKind, Severity};
use crate::site::Site;

/// The code of a link that does not answer, answers with an error status, or redirects where
/// the checker does not follow: an error, because readers who click it get nothing.
pub const BROKEN_CODE: &str = codes::EXTERNAL_LINK;
/// The code of a link whose host kept answering 429 Too Many Requests: a warning, because the
/// page may well be there and only this checker was turned away.
pub const RATE_LIMITED_CODE: &str = codes::EXTERNAL_RATE_LIMITED;
/// The code of the one warning that counts the links left unchecked when the deadline passed:
/// a warning, because nothing is known to be wrong with them.
pub const UNCHECKED_CODE: &str = codes::EXTERNAL_UNCHECKED;

/// How many times a URL answering 429 is asked again.
const MAX_RETRIES: usize = 2;
/// How many redirects one request follows before its link is called broken.
const MAX_REDIRECTS: usize = 5;
/// How long to wait before asking again after a 429 without a usable `Retry-After`.
const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);

/// Limits for external checks.
#[derive(Debug, Clone, Copy)]
pub struct ExternalOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time allowed for one request, connection included.
    pub timeout: Duration,
    /// Time allowed for the whole check, so many slow hosts cannot add up to a hung CI job;
    /// links not checked by then are counted in one warning.
    pub deadline: Duration,
    /// The longest single wait a `Retry-After` header is honoured for, so a host asking for an
    /// hour does not stall the check.
    pub max_retry_wait: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(30),
            max_retry_wait: Duration::from_secs(5),
        }
    }
}

/// What an external check found: the binary turns errors into a failed run and prints the
/// warnings beside the site's own, so the check needs to hand back both.
#[derive(Debug, Default)]
pub struct ExternalReport {
    /// How many URLs were asked to the end (broken and rate-limited ones included).
    pub checked: usize,
    /// One error per place a broken URL is written.
    pub errors: Vec<Error>,
    /// Rate-limited links (one per place), and one warning counting the links left unchecked.
    pub warnings: Vec<Diagnostic>,
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
        let line_starts: std::cell::OnceCell<crate::error::LineIndex> = std::cell::OnceCell::new();
        for link in &rendered.links {
            if !is_http(&link.dest) {
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

/// Checks every external link of the site: errors for broken links, warnings for rate-limited
/// ones and for those the deadline left unchecked.
pub fn check_site(site: &Site, options: ExternalOptions) -> ExternalReport {
    let links = external_links(site);
    let urls: Vec<&str> = links.keys().map(String::as_str).collect();
    let outcomes = probe_all(&urls, options);
    report(&links, &outcomes, options)
}

/// What probing one URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// It answered with a success or redirect status.
    Fine,
    /// It is broken: why, and how to fix it.
    Broken { reason: String, hint: &'static str },
    /// Its host still answered 429 after every retry.
    RateLimited,
    /// The deadline passed before it was checked to the end.
    Unchecked,
}

impl Outcome {
    /// A broken link whose fix is on the other site (or in removing the link).
    fn unreachable(reason: String) -> Outcome {
        Outcome::Broken {
            reason,
            hint: "fix or remove the link; check again later if the site is only down",
        }
    }
}

/// Probes each URL on a few threads until all are done or the deadline passes; URLs no
/// thread reached in time are [`Outcome::Unchecked`].
fn probe_all(urls: &[&str], options: ExternalOptions) -> Vec<Outcome> {
    let prober = Prober::new(options);
    let next = AtomicUsize::new(0);
    let outcomes: Vec<OnceLock<Outcome>> = urls.iter().map(|_| OnceLock::new()).collect();
    let workers = options.concurrency.clamp(1, 64).min(urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while !prober.out_of_time() {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let (Some(url), Some(slot)) = (urls.get(i), outcomes.get(i)) else {
                        break;
                    };
                    let _ = slot.set(prober.probe(url));
                }
            });
        }
    });
    outcomes
        .into_iter()
        .map(|slot| slot.into_inner().unwrap_or(Outcome::Unchecked))
        .collect()
}

/// Turns the outcome of each URL into errors and warnings at the places it is written.
fn report(
    links: &BTreeMap<String, Vec<Location>>,
    outcomes: &[Outcome],
    options: ExternalOptions,
) -> ExternalReport {
    let mut report = ExternalReport::default();
    let mut unchecked = 0;
    for ((url, places), outcome) in links.iter().zip(outcomes) {
        match outcome {
            Outcome::Fine => {}
            Outcome::Broken { reason, hint } => report
                .errors
                .extend(places.iter().map(|at| broken(url, reason, hint, at))),
            Outcome::RateLimited => report
                .warnings
                .extend(places.iter().map(|at| rate_limited(url, at))),
            Outcome::Unchecked => {
                unchecked += 1;
                continue;
            }
        }
        report.checked += 1;
    }
    if unchecked > 0 {
        report
            .warnings
            .push(unchecked_warning(unchecked, links.len(), options.deadline));
    }
    report
}

/// The error at one place a broken URL is written.
fn broken(url: &str, reason: &str, hint: &str, at: &Location) -> Error {
    Error::problem(
        ProblemKind::BrokenLink,
        BROKEN_CODE,
        at.clone(),
        format!("link to {url} failed: {reason}"),
        Some(hint.into()),
    )
}

/// The warning at one place a rate-limited URL is written.
fn rate_limited(url: &str, at: &Location) -> Diagnostic {
    Diagnostic::warning(
        RATE_LIMITED_CODE,
        at.clone(),
        format!(
            "link to {url} was not checked: its host rate-limits the checker \
             (HTTP status 429 Too Many Requests, {MAX_RETRIES} retries)"
        ),
        Some(
            "check again later; the host turned away the checker, not necessarily its readers"
                .into(),
        ),
    )
}

/// The one warning that counts the URLs the deadline left unchecked; it has no place, since
/// it is about the run, not about one link.
fn unchecked_warning(unchecked: usize, total: usize, deadline: Duration) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        code: UNCHECKED_CODE,
        location: None,
        message: format!(
            "{unchecked} of {total} external links were not checked: the check stops after {} s",
            deadline.as_secs_f64()
        ),
        hint: Some(
            "some hosts answer slowly or not at all; run `kbsite check --external` again later"
                .into(),
        ),
    }
}

/// Which request to send: HEAD first, GET for servers that refuse HEAD.
#[derive(Debug, Clone, Copy)]
enum Method {
    Head,
    Get,
}

/// The last answer of a chain of redirects.
#[derive(Debug)]
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
}

/// Asks URLs with one shared HTTP agent, within the per-request timeout and the deadline.
struct Prober {
    agent: ureq::Agent,
    options: ExternalOptions,
    deadline: Instant,
}

impl Prober {
    /// An agent that follows no redirect itself (they are checked hop by hop) and returns
    /// every status as a response (a 429's `Retry-After` is needed).
    fn new(options: ExternalOptions) -> Prober {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!(
                "kbsite/",
                env!("CARGO_PKG_VERSION"),
                " link checker"
            ))
            .build()
            .into();
        Prober {
            agent,
            options,
            deadline: Instant::now() + options.deadline,
        }
    }

    /// Whether the deadline has passed.
    fn out_of_time(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Checks one URL, asking again after a 429 as long as retries and the deadline allow.
    fn probe(&self, url: &str) -> Outcome {
        for retry in 0..=MAX_RETRIES {
            let answer = match self.answer(url) {
                Ok(answer) => answer,
                Err(outcome) => return outcome,
            };
            if answer.status != 429 {
                return status_outcome(answer.status);
            }
            let wait = answer
                .retry_after
                .unwrap_or(DEFAULT_RETRY_WAIT)
                .min(self.options.max_retry_wait);
            if retry == MAX_RETRIES || Instant::now() + wait >= self.deadline {
                break;
            }
            std::thread::sleep(wait);
        }
        Outcome::RateLimited
    }

    /// The final answer for a URL: HEAD, or GET when the server refuses HEAD.
    fn answer(&self, url: &str) -> Result<Answer, Outcome> {
        let answer = self.follow(Method::Head, url)?;
        // Some servers refuse HEAD; ask again with GET before calling the link broken.
        if matches!(answer.status, 403 | 405 | 501) {
            self.follow(Method::Get, url)
        } else {
            Ok(answer)
        }
    }

    /// Sends a request and follows its redirects, at most [`MAX_REDIRECTS`], each only to an
    /// `http(s)` address.
    fn follow(&self, method: Method, url: &str) -> Result<Answer, Outcome> {
        let mut current = url.to_string();
        for _ in 0..=MAX_REDIRECTS {
            let response = self.send(method, &current)?;
            let status = response.status();
            let header = |name: &str| response.headers().get(name)?.to_str().ok();
            match header("location").filter(|_| status.is_redirection()) {
                Some(location) => current = next_hop(&current, location)?,
                None => {
                    return Ok(Answer {
                        status: status.as_u16(),
                        retry_after: header("retry-after")
                            .and_then(|value| retry_after(value, SystemTime::now())),
                    });
                }
            }
        }
        Err(Outcome::unreachable(format!(
            "more than {MAX_REDIRECTS} redirects"
        )))
    }

    /// One request, with the per-request timeout cut short by the deadline; a request cut
    /// short that times out is unchecked, not broken.
    fn send(&self, method: Method, url: &str) -> Result<ureq::http::Response<ureq::Body>, Outcome> {
        let budget = self
            .deadline
            .saturating_duration_since(Instant::now())
            .min(self.options.timeout);
        if budget.is_zero() {
            return Err(Outcome::Unchecked);
        }
        let request = match method {
            Method::Head => self.agent.head(url),
            Method::Get => self.agent.get(url),
        };
        match request.config().timeout_global(Some(budget)).build().call() {
            Ok(response) => Ok(response),
            Err(ureq::Error::Timeout(_)) if budget < self.options.timeout => {
                Err(Outcome::Unchecked)
            }
            Err(e) => Err(Outcome::unreachable(e.to_string())),
        }
    }
}

/// A success or redirect status is fine; any other is broken.
fn status_outcome(status: u16) -> Outcome {
    if status >= 400 {
        Outcome::unreachable(format!("HTTP status {status}"))
    } else {
        Outcome::Fine
    }
}

/// The address a redirect leads to, when it may be followed: only `http(s)` addresses are,
/// since anything else (`file:`, `ftp:`, `javascript:`) is no page a reader's browser opens.
fn next_hop(from: &str, location: &str) -> Result<String, Outcome> {
    let target = resolve_location(from, location);
    if is_http(&target) {
        Ok(target)
    } else {
        Err(Outcome::Broken {
            reason: format!(
                "it redirects to {target}, which is not an http(s) address (not followed)"
            ),
            hint: "link to the address the site should show, or remove the link",
        })
    }
}

/// Whether `url` is an `http` or `https` address, whatever its case.
fn is_http(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Whether `reference` starts with a URI scheme (`file:`, `HTTP:`), as RFC 3986 spells one.
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The absolute address a `Location` header means, resolved against the address that
/// answered with it (RFC 3986, section 5.2), without its fragment.
fn resolve_location(base: &str, location: &str) -> String {
    let location = location.trim();
    let location = location.split('#').next().unwrap_or(location);
    if has_scheme(location) {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(authority_end);
    if let Some(network_path) = location.strip_prefix("//") {
        return format!("{scheme}://{network_path}");
    }
    let base_path = path_and_query.split(['?', '#']).next().unwrap_or("");
    let (path, query) = match location.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (location, None),
    };
    let merged = if path.starts_with('/') {
        path.to_string()
    } else if path.is_empty() {
        base_path.to_string()
    } else {
        let dir_end = base_path.rfind('/').map_or(0, |i| i + 1);
        format!("/{}{path}", base_path[..dir_end].trim_start_matches('/'))
    };
    let query = match query {
        Some(query) => format!("?{query}"),
        None if path.is_empty() => base_query(path_and_query),
        None => String::new(),
    };
    format!(
        "{scheme}://{authority}{}{query}",
        remove_dot_segments(&merged)
    )
}

/// The `?query` of a path, or nothing.
fn base_query(path_and_query: &str) -> String {
    let without_fragment = path_and_query.split('#').next().unwrap_or("");
    without_fragment
        .find('?')
        .map_or(String::new(), |i| without_fragment[i..].to_string())
}

/// A path without `.` and `..` segments, which some servers refuse.
fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *part {
            "." | ".." => {
                if *part == ".." {
                    segments.pop();
                }
                if last {
                    segments.push("");
                }
            }
            other => segments.push(other),
        }
    }
    format!("/{}", segments.join("/"))
}

/// How long a `Retry-After` value asks to wait: delay-seconds or an HTTP date (any of the
/// three forms RFC 9110 makes recipients accept); `None` when it is neither.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = http_date(value)?;
    Some(
        (at - DateTime::<Utc>::from(now))
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// An HTTP date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or the obsolete RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms.
fn http_date(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc2822(value) {
        return Some(at.with_timezone(&Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .map(|at| at.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1994-11-06 08:49:37 UTC, the date of RFC 9110's examples.
    fn example_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777)
    }

    #[test]
    fn retry_after_takes_seconds() {
        let now = example_time();
        assert_eq!(retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-3", now), None);
        assert_eq!(retry_after("", now), None);
    }

    #[test]
    fn retry_after_takes_the_three_http_date_forms() {
        let now = example_time() - Duration::from_secs(30);
        for date in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                retry_after(date, now),
                Some(Duration::from_secs(30)),
                "{date}"
            );
        }
    }

    #[test]
    fn a_retry_after_date_in_the_past_means_now() {
        let later = example_time() + Duration::from_secs(3600);
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT", later),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn locations_resolve_against_the_answering_address() {
        let base = "https://example.org/docs/a/page?x=1";
        for (location, expected) in [
            ("https://other.org/x", "https://other.org/x"),
            ("//cdn.example.org/y", "https://cdn.example.org/y"),
            ("/root", "https://example.org/root"),
            ("sibling", "https://example.org/docs/a/sibling"),
            ("../up?q=2", "https://example.org/docs/up?q=2"),
            ("./here/", "https://example.org/docs/a/here/"),
            ("?q=3", "https://example.org/docs/a/page?q=3"),
            ("#frag", "https://example.org/docs/a/page?x=1"),
            ("/a/../../b", "https://example.org/b"),
        ] {
            assert_eq!(resolve_location(base, location), expected, "{location}");
        }
        assert_eq!(
            resolve_location("http://127.0.0.1:8080", "next"),
            "http://127.0.0.1:8080/next"
        );
    }

    #[test]
    fn redirects_leave_http_never() {
        let from = "http://example.org/a";
        assert_eq!(
            next_hop(from, "HTTPS://example.org/b"),
            Ok("HTTPS://example.org/b".to_string())
        );
        for target in [
            "file:///etc/passwd",
            "ftp://example.org/x",
            "javascript:alert(1)",
        ] {
            match next_hop(from, target) {
                Err(Outcome::Broken { reason, .. }) => {
                    assert!(reason.contains(target), "{reason}");
                }
                other => panic!("{target} was followed: {other:?}"),
            }
        }
    }

    #[test]
    fn only_http_statuses_below_400_are_fine() {
        assert_eq!(status_outcome(200), Outcome::Fine);
        assert_eq!(status_outcome(304), Outcome::Fine);
        assert!(matches!(status_outcome(404), Outcome::Broken { .. }));
    }

    #[test]
    fn unchecked_links_are_one_warning_without_a_place() {
        let at = Location::file(std::path::Path::new("content/a.md"));
        let links: BTreeMap<String, Vec<Location>> = ["http://a/", "http://b/", "http://c/"]
            .into_iter()
            .map(|u| (u.to_string(), vec![at.clone(), at.clone()]))
            .collect();
        let outcomes = [Outcome::Fine, Outcome::Unchecked, Outcome::Unchecked];
        let report = report(&links, &outcomes, ExternalOptions::default());
        assert_eq!(report.checked, 1);
        assert!(report.errors.is_empty());
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        let warning = &report.warnings[0];
        assert_eq!(warning.code, UNCHECKED_CODE);
        assert_eq!(warning.location, None);
        assert!(
            warning.message.starts_with("2 of 3 "),
            "{}",
            warning.message
        );
    }

    #[test]
    fn rate_limited_links_are_warnings_at_each_place() {
        let at = Location::file(std::path::Path::new("content/a.md"));
        let links = BTreeMap::from([("http://a/".to_string(), vec![at.clone(), at])]);
        let report = report(&links, &[Outcome::RateLimited], ExternalOptions::default());
        assert!(report.errors.is_empty());
        assert_eq!(report.warnings.len(), 2);
        assert!(report.warnings.iter().all(|w| w.code == RATE_LIMITED_CODE
            && w.severity == Severity::Warning
            && w.message.contains("rate-limits")));
    }
}
