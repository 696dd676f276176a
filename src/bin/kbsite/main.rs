//! The `kbsite` binary: parses the command line, calls the library, reports once.
//! Exit codes: 0 success, 1 content or template errors, 2 usage or config errors.

mod cli;
mod progress;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use kbsite::config::find_root;
use kbsite::error::Diagnostic;
use kbsite::pipeline::{self, BuildOptions};
use kbsite::{Error, scaffold};

use cli::{Cli, Command, Format, RootArg, SiteArgs};

/// The static Linux release binaries link musl, whose allocator takes one lock for the whole
/// process: threads building pages in parallel queue on it (about 45% more CPU time than the
/// glibc binary on 1,000 articles). mimalloc brings that down to about 15%.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn site_root(arg: &RootArg) -> Result<PathBuf, Error> {
    match &arg.root {
        Some(dir) => {
            if dir.join(kbsite::config::CONFIG_FILE).is_file() {
                Ok(dir.clone())
            } else {
                Err(Error::ConfigNotFound { start: dir.clone() })
            }
        }
        None => find_root(
            &std::env::current_dir()
                .map_err(|e| Error::io("read current folder", Path::new("."), e))?,
        ),
    }
}

fn options(site: &SiteArgs, output: Option<PathBuf>) -> Result<BuildOptions, Error> {
    Ok(BuildOptions {
        root: site_root(&site.root)?,
        output,
        base_url: site.base_url.clone(),
        drafts: site.drafts,
        future: site.future,
        strict: site.strict,
        lenient_links: false,
        broken_links: site
            .broken_links
            .as_deref()
            .and_then(kbsite::config::LinkPolicy::parse),
        preview: false,
        lock_wait: kbsite::output::LockWait::Wait,
    })
}

/// What a successful run leaves to report: warnings, and the lines to print.
struct Outcome {
    warnings: Vec<Diagnostic>,
    lines: Vec<String>,
}

/// Runs one command: each has a function of its own.
fn run(command: Command) -> Result<Outcome, Error> {
    match command {
        Command::Build {
            site,
            output,
            no_wait,
        } => build(site, output, no_wait),
        Command::Check { site, external } => check(site, external),
        Command::Stats { root, drafts, json } => stats(root, drafts, json),
        Command::Search {
            root,
            query,
            limit,
            json,
            output,
            files,
            lang,
        } => search(root, query, limit, json, output, files, lang),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            future,
            open,
        } => serve(root, port, bind, drafts, future, open),
        Command::Watch {
            root,
            output,
            drafts,
            future,
        } => watch(root, output, drafts, future),
        Command::Init { dir } => init(dir),
        Command::New {
            root,
            path_or_title,
        } => new_article(root, path_or_title),
    }
}

/// Builds the site into its output folder and says what was written.
fn build(site: SiteArgs, output: Option<PathBuf>, no_wait: bool) -> Result<Outcome, Error> {
    let mut options = options(&site, output)?;
    if no_wait {
        options.lock_wait = kbsite::output::LockWait::Refuse;
    }
    let progress = progress::Bar::new(!site.quiet && site.format == Format::Human);
    let report = pipeline::build_with_progress(&options, &progress)?;
    let mut lines = Vec::new();
    if site.verbose {
        for (stage, time) in &report.timings {
            lines.push(format!(
                "  {stage:<10} {:>8.1} ms",
                time.as_secs_f64() * 1000.0
            ));
        }
        lines.push(format!(
            "  templates: {} files rendered, {} carried over from the last build",
            report.rendered, report.carried_over
        ));
        let h = report.highlights;
        lines.push(format!(
            "  code blocks: {} from the highlight cache, {} highlighted; syntax definitions {}",
            h.cached,
            h.highlighted,
            if report.syntaxes_loaded {
                "loaded"
            } else {
                "not loaded"
            }
        ));
    }
    let mut terms: String = report
        .terms
        .iter()
        .map(|(name, n)| format!(", {n} {name}"))
        .collect();
    if report.cards.drawn > 0 {
        let n = report.cards.drawn;
        let plural = if n == 1 { "" } else { "s" };
        terms.push_str(&format!(", {n} social card{plural} drawn"));
    }
    if report.images.resized > 0 {
        let n = report.images.resized;
        let copies = if n == 1 { "copy" } else { "copies" };
        terms.push_str(&format!(", {n} image {copies} resized"));
    }
    let output = std::env::current_dir()
        .ok()
        .and_then(|cwd| report.output.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| report.output.clone());
    if !site.quiet {
        lines.push(format!(
            "Built {} pages, {} sections{terms}: {} files ({} changed) written to {} in {} ms",
            report.pages,
            report.sections,
            report.files_written,
            report.files_changed,
            output.display(),
            report.elapsed.as_millis()
        ));
    }
    Ok(Outcome {
        warnings: report.warnings,
        lines,
    })
}

/// Checks everything a build checks (and external links when asked), writing nothing.
fn check(site: SiteArgs, external: bool) -> Result<Outcome, Error> {
    let options = options(&site, None)?;
    let (loaded, mut report) = pipeline::check(&options)?;
    if external {
        let checked = kbsite::external::check_site(
            &loaded.site,
            kbsite::external::ExternalOptions::default(),
        );
        report.external_links = checked.checked;
        Error::collect(checked.errors)?;
        if site.strict {
            Error::deny(&checked.warnings)?;
        }
        report.warnings.extend(checked.warnings);
    }
    let mut lines = Vec::new();
    if !site.quiet {
        let external = if external {
            format!(", {} external links", report.external_links)
        } else {
            String::new()
        };
        lines.push(format!(
            "Checked {} pages{external}: {} warnings",
            report.pages,
            report.warnings.len()
        ));
    }
    Ok(Outcome {
        warnings: report.warnings,
        lines,
    })
}

/// The editors' report, as text or JSON.
fn stats(root: RootArg, drafts: bool, json: bool) -> Result<Outcome, Error> {
    let options = BuildOptions {
        root: site_root(&root)?,
        drafts,
        ..BuildOptions::default()
    };
    let stats = kbsite::stats::stats(&options)?;
    let lines = if json {
        vec![serde_json::to_string_pretty(&stats).unwrap_or_default()]
    } else {
        stats.lines()
    };
    Ok(Outcome {
        warnings: Vec::new(),
        lines,
    })
}

/// Searches the built site as its readers do; lists the index files read with `--files`.
fn search(
    root: RootArg,
    query: String,
    limit: usize,
    json: bool,
    output: Option<PathBuf>,
    files: bool,
    lang: Option<String>,
) -> Result<Outcome, Error> {
    let options = BuildOptions {
        root: site_root(&root)?,
        output,
        ..BuildOptions::default()
    };
    let lang = match lang {
        None => None,
        Some(code) => Some(
            kbsite::config::Language::parse(&code).ok_or_else(|| Error::Usage {
                message: format!("unknown language `{code}`"),
                hint: Some("use `--lang pl` or `--lang en`".into()),
            })?,
        ),
    };
    let report = pipeline::search(&options, &query, limit, lang)?;
    let mut lines = if json {
        vec![serde_json::to_string_pretty(&report.hits).unwrap_or_default()]
    } else {
        search_lines(&query, &report.hits)
    };
    if files {
        lines.extend(
            report
                .files
                .iter()
                .map(|f| format!("read {}", report.index.join(f).display())),
        );
    }
    Ok(Outcome {
        warnings: Vec::new(),
        lines,
    })
}

/// Serves the live preview until Ctrl-C.
fn serve(
    root: RootArg,
    port: u16,
    bind: std::net::IpAddr,
    drafts: bool,
    future: bool,
    open: bool,
) -> Result<Outcome, Error> {
    let options = kbsite::serve::ServeOptions {
        root: site_root(&root)?,
        bind,
        port,
        drafts,
        future,
    };
    kbsite::serve::serve(options, reporter(open))?;
    Ok(Outcome {
        warnings: Vec::new(),
        lines: vec!["Stopped.".into()],
    })
}

/// Writes the site on every save until Ctrl-C.
fn watch(
    root: RootArg,
    output: Option<PathBuf>,
    drafts: bool,
    future: bool,
) -> Result<Outcome, Error> {
    let options = BuildOptions {
        root: site_root(&root)?,
        output,
        drafts,
        future,
        ..BuildOptions::default()
    };
    kbsite::serve::watch(options, reporter(false))?;
    Ok(Outcome {
        warnings: Vec::new(),
        lines: vec!["Stopped.".into()],
    })
}

/// Creates a new site.
fn init(dir: PathBuf) -> Result<Outcome, Error> {
    let files = scaffold::init(&dir)?;
    Ok(Outcome {
        warnings: Vec::new(),
        lines: vec![
            format!(
                "Created a new site in {} ({} files).",
                dir.display(),
                files.len()
            ),
            format!("Next: cd {} && kbsite build", dir.display()),
        ],
    })
}

/// Creates a draft article.
fn new_article(root: RootArg, path_or_title: String) -> Result<Outcome, Error> {
    let root = site_root(&root)?;
    let today = chrono::Local::now().date_naive();
    let rel = scaffold::new_article(&root, &path_or_title, today)?;
    Ok(Outcome {
        warnings: Vec::new(),
        lines: vec![format!("Created {}", rel.display())],
    })
}

/// Prints what `serve` and `watch` do: one line per rebuild, errors with their source.
fn reporter(open_browser: bool) -> kbsite::serve::Reporter {
    use kbsite::serve::Report;
    use std::io::Write;
    std::sync::Arc::new(move |event: Report<'_>| {
        match event {
            Report::Listening(url) => {
                println!("Serving {url} (Ctrl-C to stop)");
                if open_browser {
                    open_in_browser(&url);
                }
            }
            Report::Watching(dir) => println!(
                "Built into {}; rebuilding on every change (Ctrl-C to stop)",
                dir.display()
            ),
            Report::WaitingForFix(dir) => println!(
                "Watching for changes; {} is written once the site builds (Ctrl-C to stop)",
                dir.display()
            ),
            Report::ExposedWarning(ip) => eprintln!(
                "warning: listening on {ip}: other machines can reach this preview; use --bind 127.0.0.1 to keep it local"
            ),
            Report::Rebuilt(rebuilt) => println!(
                "Rebuilt in {} ms: {} files changed",
                rebuilt.elapsed.as_millis(),
                rebuilt.changed.len()
            ),
            Report::Failed(error) => {
                report::print(&error.diagnostics(), Format::Human);
                eprintln!("The last good version stays; save a fix to rebuild.");
            }
            Report::Warnings(warnings) => report::print(warnings, Format::Human),
        }
        let _ = std::io::stdout().flush();
    })
}

fn open_in_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser ({program}); open {url} yourself");
    }
}

/// Results for a terminal: title, section, address and the snippet with matches in bold.
fn search_lines(query: &str, hits: &[kbsite::search::query::Hit]) -> Vec<String> {
    if hits.is_empty() {
        return vec![format!("No results for \"{query}\".")];
    }
    let bold = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut lines = Vec::new();
    for (i, hit) in hits.iter().enumerate() {
        let section = if hit.section.is_empty() {
            String::new()
        } else {
            format!("  ({})", hit.section)
        };
        lines.push(format!("{:>2}. {}{section}", i + 1, hit.title));
        lines.push(format!("    {}", hit.url));
        let (on, off) = if bold {
            ("\x1b[1m", "\x1b[0m")
        } else {
            ("", "")
        };
        let text = &hit.text;
        let mut snippet = String::with_capacity(text.text.len());
        let mut at = 0;
        for mark in &text.marks {
            snippet.push_str(&text.text[at..mark.start]);
            snippet.push_str(on);
            snippet.push_str(&text.text[mark.clone()]);
            snippet.push_str(off);
            at = mark.end;
        }
        snippet.push_str(&text.text[at..]);
        lines.push(format!("    {snippet}"));
    }
    lines
}

/// The site root as seen from the current folder (`docs` for `--root docs`), so that paths
/// in diagnostics, which are relative to the site root, can be shown relative to where the
/// command runs: editors and CI annotations resolve them from there.
fn root_prefix(command: &Command) -> Option<PathBuf> {
    let root = match command {
        Command::Build { site, .. } | Command::Check { site, .. } => &site.root,
        Command::New { root, .. }
        | Command::Search { root, .. }
        | Command::Stats { root, .. }
        | Command::Serve { root, .. }
        | Command::Watch { root, .. } => root,
        Command::Init { .. } => return None,
    };
    let root = std::fs::canonicalize(site_root(root).ok()?).ok()?;
    let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
    let rel = root.strip_prefix(&cwd).ok()?;
    (!rel.as_os_str().is_empty()).then(|| rel.to_path_buf())
}

fn relocate(diagnostics: &mut [Diagnostic], prefix: Option<&Path>) {
    let Some(prefix) = prefix else { return };
    for d in diagnostics {
        if let Some(at) = &mut d.location
            && at.path.is_relative()
        {
            at.path = prefix.join(&at.path);
        }
    }
}

fn format_of(command: &Command) -> Format {
    match command {
        Command::Build { site, .. } | Command::Check { site, .. } => site.format,
        _ => Format::Human,
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let format = format_of(&cli.command);
    let prefix = root_prefix(&cli.command);
    match run(cli.command) {
        Ok(mut outcome) => {
            relocate(&mut outcome.warnings, prefix.as_deref());
            report::print(&outcome.warnings, format);
            for line in outcome.lines {
                if format == Format::Human {
                    println!("{line}");
                } else {
                    eprintln!("{line}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            let mut diagnostics = error.diagnostics();
            relocate(&mut diagnostics, prefix.as_deref());
            report::print(&diagnostics, format);
            ExitCode::from(error.exit_code())
        }
    }
}
