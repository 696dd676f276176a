//! Live preview (`kbsite serve`) and rebuild-on-save (`kbsite watch`).
//!
//! Both watch the site's sources with a debouncer and rebuild a [`LiveSite`] from the changed
//! paths. `serve` keeps the site in memory and serves it over HTTP with a reload channel;
//! `watch` writes the changed files into the output folder. A failed rebuild keeps the last
//! good site and reports the error; the next save tries again.

pub(crate) mod http;
mod watcher;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::error::{Diagnostic, Error, Result};
use crate::live::{LiveSite, Rebuilt};
use crate::pipeline::BuildOptions;
use http::{AppState, Message, Served};

/// How `kbsite serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless told otherwise).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Include articles before their `publish_date` and after their `expiry_date`.
    pub future: bool,
}

/// Receives what happens while serving or watching (from the rebuild thread too).
pub type Reporter = Arc<dyn Fn(Report<'_>) + Send + Sync>;

/// What happens while serving or watching, for the terminal.
#[derive(Debug)]
pub enum Report<'a> {
    /// The first build is done and the site is served at this address.
    Listening(String),
    /// The first build of `watch` is written.
    Watching(PathBuf),
    /// The first build of `watch` failed: nothing is written until a save fixes it.
    WaitingForFix(PathBuf),
    /// Binding to an address other machines can reach.
    ExposedWarning(IpAddr),
    /// A rebuild succeeded.
    Rebuilt(&'a Rebuilt),
    /// A rebuild failed; the last good site stays.
    Failed(&'a Error),
    /// Warnings of the first build.
    Warnings(&'a [Diagnostic]),
}

/// Connections the system queues for the server before it accepts them. std's
/// `TcpListener::bind` asks for 128: a burst of new connections (a browser reopening many
/// tabs, a flood of half-open ones) overflows it, and every connection attempt dropped then
/// is retried by its client only a second later. nginx asks for 511, Go for the system's
/// maximum; the system caps the number at its own limit (`net.core.somaxconn`).
const LISTEN_BACKLOG: i32 = 4096;

/// Binds `address` as `TcpListener::bind` does (`SO_REUSEADDR` on Unix), with a queue of
/// [`LISTEN_BACKLOG`].
fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket.into())
}

/// Builds the site, serves it on `options.bind:port`, and rebuilds on every change until
/// Ctrl-C. `report` tells the terminal what happened.
pub fn serve(options: ServeOptions, report: Reporter) -> Result<()> {
    // First: a bad test variable is reported before the build, and the raised open-file
    // limit serves the build's reads too.
    let limits = http::Limits::for_this_process()?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = bind(address).map_err(|e| bind_error(address, e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io("listen on", &PathBuf::from(address.to_string()), e))?
        .port();
    if !options.bind.is_loopback() {
        report(Report::ExposedWarning(options.bind));
    }
    let host = match options.bind {
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{port}/");
    let build = BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: Some(url.clone()),
        drafts: options.drafts,
        future: options.future,
        strict: false,
        lenient_links: false,
        broken_links: None,
        preview: true,
        lock_wait: crate::output::LockWait::Wait,
    };
    // The search index is built by the search worker once the server listens.
    let (mut live, first_error) = LiveSite::open_without_search(build)?;
    live.render_articles_first();
    report(Report::Warnings(
        &live.site().map(|s| s.warnings.clone()).unwrap_or_default(),
    ));
    // The warnings the preview starts with are printed once; only later ones are shown in
    // the browser, so an imported tree's known broken links do not cover every page.
    let first_warnings = live
        .site()
        .map(|s| s.warnings.iter().map(warning_key).collect())
        .unwrap_or_default();
    let failure = first_error.map(|error| {
        report(Report::Failed(&error));
        overlay_text(&error)
    });
    let mut hosts = vec![
        format!("{host}:{port}"),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    if !options.bind.is_unspecified() {
        hosts.push(format!("{}:{port}", options.bind));
    }
    let (events, _) = broadcast::channel(64);
    let (search, search_requests) = std::sync::mpsc::channel();
    let served = Served {
        files: Served::files_of(&live),
        built: live.site().is_some(),
        failure,
        warnings: None,
    };
    let state = Arc::new(AppState {
        root: live.root().to_path_buf(),
        site: Mutex::new(live),
        served: RwLock::new(Arc::new(served)),
        events,
        first_warnings,
        hosts,
        exposed_port: (!options.bind.is_loopback()).then_some(port),
        search,
    });
    let indexed = state.clone();
    std::thread::spawn(move || search_worker(&indexed, &search_requests));
    // The first index, built beside the server's first answers.
    let _ = state.search.send(());

    let watched = state.clone();
    let on_rebuild = report.clone();
    let watcher = watcher::watch(&options.root, move |paths| {
        on_change(&watched, &paths, &on_rebuild);
    })?;
    report(Report::Listening(url));

    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("listen on", &PathBuf::from(address.to_string()), e))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Error::io(
                "start the server on",
                &PathBuf::from(address.to_string()),
                e,
            )
        })?;
    let served: std::io::Result<()> = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = axum::Router::new().fallback(http::handle).with_state(state);
        // Ctrl-C ends the server at once: open pages hold their reload channel forever, so
        // waiting for connections to finish would never end. Connections still open are
        // dropped with the runtime.
        let server = Box::pin(http::serve_connections(listener, app, limits));
        let stop = Box::pin(tokio::signal::ctrl_c());
        let _ = futures_util::future::select(server, stop).await;
        Ok(())
    });
    drop(watcher);
    served.map_err(|e| Error::io("serve on", &PathBuf::from(address.to_string()), e))
}

/// Rebuilds the search index and the related articles once saves pause for [`SEARCH_QUIET`],
/// without holding the site while it works, so it never competes with the rebuild of the page
/// being edited.
fn search_worker(state: &AppState, requests: &std::sync::mpsc::Receiver<()>) {
    // The first index, asked for at start, is built at once: no save is being typed yet.
    let mut first = true;
    while requests.recv().is_ok() {
        if !first {
            while requests.recv_timeout(SEARCH_QUIET).is_ok() {}
        }
        first = false;
        let work = match state.site.lock() {
            Ok(mut site) => site.search_work(),
            Err(_) => return,
        };
        if let Some(work) = work {
            let built = work.build();
            let changed = match state.site.lock() {
                Ok(mut site) => {
                    let changed = site.install_search(work, built);
                    if !changed.is_empty() {
                        let files = Served::files_of(&site);
                        state.publish(&site, |served| served.files = files);
                    }
                    changed
                }
                Err(_) => return,
            };
            // Pages whose related articles changed are shown again; the index itself is read
            // by the next search.
            if let Some(message) = reload_for(&changed) {
                let _ = state.events.send(message);
            }
        }
    }
}

/// Rebuilds after a change, publishes the result to requests, then tells open pages.
/// Requests go on being answered from the last published site meanwhile.
fn on_change(state: &AppState, paths: &[PathBuf], report: &Reporter) {
    // A panic in an earlier rebuild must not stop the preview: poisoned locks are used as they
    // are (the site stays the last good one).
    let mut site = state
        .site
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let before: std::collections::HashSet<u64> = site
        .site()
        .map(|s| s.warnings.iter().map(warning_key).collect())
        .unwrap_or_default();
    let result = site.apply(paths);
    let shown = state.served();
    let was_failing = shown.failure.is_some();
    match result {
        Ok(rebuilt) => {
            // What this change added is printed; the broken links written since the preview
            // started are shown beside the page until they are fixed.
            let (fresh, links) = site.site().map_or((Vec::new(), None), |s| {
                let fresh: Vec<Diagnostic> = s
                    .warnings
                    .iter()
                    .filter(|w| !before.contains(&warning_key(w)))
                    .cloned()
                    .collect();
                let since_start: Vec<Diagnostic> = s
                    .warnings
                    .iter()
                    .filter(|w| crate::error::is_broken_link_code(w.code))
                    .filter(|w| !state.first_warnings.contains(&warning_key(w)))
                    .cloned()
                    .collect();
                (fresh, broken_links_text(&since_start))
            });
            let files = Served::files_of(&site);
            let built = site.site().is_some();
            state.publish(&site, |served| {
                served.files = files;
                served.built = built;
                served.failure = None;
                served.warnings.clone_from(&links);
            });
            drop(site);
            report(Report::Rebuilt(&rebuilt));
            if !fresh.is_empty() {
                report(Report::Warnings(&fresh));
            }
            if shown.warnings != links {
                let _ = state
                    .events
                    .send(Message::Warnings(links.unwrap_or_default()));
            }
            if was_failing {
                let _ = state.events.send(Message::Fixed);
            }
            if rebuilt.only_css() {
                let _ = state.events.send(Message::Css);
            } else if was_failing {
                let _ = state.events.send(Message::Reload);
            } else if let Some(message) = reload_for(&rebuilt.changed) {
                let _ = state.events.send(message);
            }
            catch_up(state, report);
            // The search index follows the pages, which are already served, on its own
            // thread: the next save is not kept waiting for it.
            let _ = state.search.send(());
        }
        Err(error) => show_failure(state, site, report, &error),
    }
}

/// Keeps the files the last good ones and tells the terminal and the open pages what failed.
fn show_failure(
    state: &AppState,
    site: std::sync::MutexGuard<'_, LiveSite>,
    report: &Reporter,
    error: &Error,
) {
    let text = overlay_text(error);
    state.publish(&site, |served| served.failure = Some(text.clone()));
    drop(site);
    report(Report::Failed(error));
    let _ = state.events.send(Message::Failed(text));
}

/// Renders the files a rebuild left for after the edited articles' pages were served (lists,
/// term pages, feeds, the sitemap), publishes them and reloads the open pages among them.
fn catch_up(state: &AppState, report: &Reporter) {
    let mut site = state
        .site
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !site.is_behind() {
        return;
    }
    match site.catch_up() {
        Ok(changed) => {
            if changed.is_empty() {
                return;
            }
            let files = Served::files_of(&site);
            state.publish(&site, |served| served.files = files);
            drop(site);
            if let Some(message) = reload_for(&changed) {
                let _ = state.events.send(message);
            }
        }
        Err(error) => show_failure(state, site, report, &error),
    }
}

/// What open pages are told after `changed` output paths changed: nothing when none of them
/// is shown in a page (feeds, the sitemap, texts for language models, the search index, social
/// cards), the addresses of the pages when only pages changed, else a reload of every page
/// (a script, a picture or the not-found page may show anywhere).
fn reload_for(changed: &[String]) -> Option<Message> {
    let mut pages = Vec::new();
    for path in changed {
        if path == "404.html" {
            return Some(Message::Reload);
        }
        if let Some(dir) = path.strip_suffix("index.html")
            && (dir.is_empty() || dir.ends_with('/'))
        {
            pages.push(format!("/{dir}"));
        } else if path.ends_with(".html") || path.ends_with(".htm") {
            pages.push(format!("/{path}"));
        } else if !(path.ends_with(".xml")
            || path.ends_with(".txt")
            || crate::search::index::is_index_path(path)
            || path.starts_with(&format!("{}/", crate::cards::DIR)))
        {
            return Some(Message::Reload);
        }
    }
    (!pages.is_empty()).then(|| Message::ReloadPages(pages.into()))
}

/// A warning as a comparable key (a hash of its code, place and message): made for every
/// warning at every save, so it allocates nothing.
fn warning_key(w: &Diagnostic) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    w.code.hash(&mut h);
    if let Some(at) = &w.location {
        (&at.path, at.line, at.column).hash(&mut h);
    }
    w.message.hash(&mut h);
    h.finish()
}

/// The broken links among `warnings`, as the browser shows them beside the page (`None`
/// when there are none): the preview keeps serving, and the author sees what to fix.
fn broken_links_text(warnings: &[Diagnostic]) -> Option<String> {
    let mut out = String::new();
    for w in warnings
        .iter()
        .filter(|w| crate::error::is_broken_link_code(w.code))
    {
        if let Some(at) = &w.location {
            out.push_str(&format!(
                "{}:{}:{}\n",
                at.path.display(),
                at.line,
                at.column
            ));
        }
        out.push_str(&format!("warning[{}]: {}\n", w.code, w.message));
        out.push_str(&format!("help: {}\n", w.help()));
        out.push('\n');
    }
    (!out.is_empty()).then_some(out)
}

/// The error as the browser overlay shows it: one block per problem, with `file:LINE:COL`.
pub fn overlay_text(error: &Error) -> String {
    let mut out = String::from(
        "kbsite: the last change does not build; the page shows the last good version.\n\n",
    );
    for d in error.diagnostics() {
        if let Some(at) = &d.location {
            out.push_str(&format!(
                "{}:{}:{}\n",
                at.path.display(),
                at.line,
                at.column
            ));
            if !at.source_line.is_empty() {
                out.push_str(&format!("    {}\n", at.source_line));
            }
        }
        out.push_str(&format!("error[{}]: {}\n", d.code, d.message));
        out.push_str(&format!("help: {}\n", d.help()));
        out.push('\n');
    }
    out
}

fn bind_error(address: SocketAddr, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => Error::Usage {
            message: format!(
                "port {} on {} is already in use",
                address.port(),
                address.ip()
            ),
            hint: Some(format!(
                "stop the other server, or choose another port, e.g. --port {}",
                address.port().wrapping_add(1).max(1024)
            )),
        },
        std::io::ErrorKind::AddrNotAvailable => Error::Usage {
            message: format!("cannot listen on {}: no such address here", address.ip()),
            hint: Some("use --bind 127.0.0.1, or an address of this machine".into()),
        },
        _ => Error::Usage {
            message: format!("cannot listen on {address}: {e}"),
            hint: Some("choose another --port or --bind".into()),
        },
    }
}

/// Builds the site into its output folder, then writes every change into it until Ctrl-C.
pub fn watch(options: BuildOptions, report: Reporter) -> Result<()> {
    let config = crate::pipeline::load_config(&options)?;
    let output = crate::pipeline::output_dir(&options, &config)?;
    crate::output::check_replaceable_output(&output)?;
    let (live, first_error) = LiveSite::open_lenient(options.clone())?;
    let live = Arc::new(Mutex::new(live));
    // Whether the output holds a whole site yet: not when the first build failed.
    let written_once = std::sync::atomic::AtomicBool::new(first_error.is_none());
    // Held until the first output is written: changes seen meanwhile wait for it, and the
    // watcher starts before that write, so no save falls in between.
    let first = live
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let watched = live.clone();
    let target = output.clone();
    let on_rebuild = report.clone();
    // Paths whose write failed, tried again with the next change.
    let unwritten: Mutex<std::collections::BTreeSet<String>> = Mutex::default();
    let _watcher = watcher::watch(&options.root, move |paths| {
        let report = &on_rebuild;
        let mut site = watched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut unwritten = unwritten
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match site.apply(&paths) {
            Ok(rebuilt) if !written_once.load(std::sync::atomic::Ordering::SeqCst) => {
                // The first good build: the whole site, staged and swapped in like a build.
                site.rebuild_search();
                match write_all(&target, &site) {
                    Ok(()) => {
                        written_once.store(true, std::sync::atomic::Ordering::SeqCst);
                        report(Report::Rebuilt(&rebuilt));
                    }
                    Err(e) => report(Report::Failed(&e)),
                }
            }
            Ok(mut rebuilt) => {
                rebuilt.changed.extend(site.rebuild_search());
                unwritten.extend(rebuilt.changed.iter().cloned());
                let all: Vec<String> = unwritten.iter().cloned().collect();
                let written = crate::output::update_in_place(&target, &all, &|p| {
                    site.get(p).map(|b| b.read().map(|c| c.into_owned()))
                });
                match written {
                    Ok(()) => {
                        unwritten.clear();
                        report(Report::Rebuilt(&rebuilt));
                    }
                    Err(e) => report(Report::Failed(&e)),
                }
            }
            Err(e) => report(Report::Failed(&e)),
        }
    })?;
    report(Report::Warnings(
        &first.site().map(|s| s.warnings.clone()).unwrap_or_default(),
    ));
    let failed = first_error.is_some();
    match first_error {
        None => write_all(&output, &first)?,
        // Watching goes on; the output is written once a save fixes the content.
        Some(error) => report(Report::Failed(&error)),
    }
    drop(first);
    report(if failed {
        Report::WaitingForFix(output)
    } else {
        Report::Watching(output)
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("wait for Ctrl-C in", &options.root, e))?;
    runtime.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    Ok(())
}

/// Writes the whole site into `output` the way a build does: staged, then swapped in.
fn write_all(output: &std::path::Path, site: &LiveSite) -> Result<()> {
    let staged = crate::output::StagedOutput::begin(output)?;
    // Cards are drawn together, in parallel, or kept from the output being replaced.
    crate::cards::write_cards(site.root(), &site.card_drawer(), &site.card_jobs(), &staged)?;
    for path in site.paths() {
        if let Some(body) = site
            .get(path)
            .filter(|b| !matches!(b, crate::live::Body::Card(_)))
        {
            let bytes = body
                .read()
                .map_err(|e| Error::io("read", std::path::Path::new(path), e))?;
            staged.write(path, &bytes)?;
        }
    }
    staged.commit()?;
    Ok(())
}

/// How long saves must pause before the preview's search index is rebuilt.
pub const SEARCH_QUIET: Duration = Duration::from_millis(700);

/// How long the watcher waits after the last event of a burst before rebuilding.
pub const DEBOUNCE: Duration = Duration::from_millis(5);
