//! The manual in `docs/`, a kbsite site itself: it builds with `--strict` and no warning,
//! every page has a description, and the command-line reference holds exactly what
//! `kbsite --help` and each command's `--help` print.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The page with the help text of every command, relative to the repository.
const REFERENCE: &str = "docs/content/reference/command-line.md";

/// Set to `1` to rewrite the help blocks of [`REFERENCE`] from the binary.
const UPDATE_VAR: &str = "KBSITE_UPDATE_MANUAL";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `kbsite` in the repository root. Help text is made the same everywhere: clap wraps
/// at `COLUMNS` when built with `wrap_help` (and at 100 columns without it), and colours
/// only what `NO_COLOR` and `CLICOLOR_FORCE` allow.
fn kbsite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbsite"))
        .args(args)
        .current_dir(repo())
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run kbsite")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What `kbsite <command> --help` prints, without trailing spaces on its lines (which a
/// Markdown editor would strip) and without the final newline.
fn help(command: Option<&str>) -> String {
    let mut args: Vec<&str> = command.into_iter().collect();
    args.push("--help");
    let out = kbsite(&args);
    assert!(
        out.status.success(),
        "kbsite {} failed:\n{}",
        args.join(" "),
        text(&out.stderr)
    );
    let printed = text(&out.stdout);
    let lines: Vec<&str> = printed.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}

/// The commands the top-level help lists under `Commands:`, without clap's own `help`.
fn commands(top_help: &str) -> Vec<String> {
    top_help
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The title of a help block for `command` (`None`: the top-level help).
fn block_title(command: Option<&str>) -> String {
    match command {
        Some(name) => format!("kbsite {name} --help"),
        None => "kbsite --help".to_string(),
    }
}

/// A fenced ```` ```text title="…" ```` block of the reference page: its title and the
/// lines it spans (the opening fence, the closing fence).
#[derive(Debug)]
struct Block {
    title: String,
    open: usize,
    close: usize,
}

impl Block {
    fn body(&self, lines: &[&str]) -> String {
        lines[self.open + 1..self.close].join("\n")
    }
}

/// Every help block of the page: a `text` fence whose title is a `kbsite … --help` line.
fn help_blocks(lines: &[&str]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let title = lines[at]
            .strip_prefix("```text title=\"")
            .and_then(|rest| rest.strip_suffix('"'))
            .filter(|t| t.starts_with("kbsite ") && t.ends_with(" --help"));
        if let Some(title) = title {
            let close = (at + 1..lines.len())
                .find(|&i| lines[i].trim_end() == "```")
                .unwrap_or_else(|| {
                    panic!("{REFERENCE}:{}: the block `{title}` is not closed", at + 1)
                });
            blocks.push(Block {
                title: title.to_string(),
                open: at,
                close,
            });
            at = close;
        }
        at += 1;
    }
    blocks
}

/// The page with every help block holding `expected` (title, help text): stale blocks are
/// rewritten, missing ones added at the end under a heading of their own, and blocks of
/// commands that no longer exist removed (their prose is left for a person to delete).
fn updated_page(page: &str, expected: &[(String, String)]) -> String {
    let lines: Vec<&str> = page.lines().collect();
    let blocks = help_blocks(&lines);
    let mut out: Vec<String> = Vec::new();
    let mut at = 0;
    for block in &blocks {
        out.extend(lines[at..block.open].iter().map(|l| l.to_string()));
        if let Some((_, help)) = expected.iter().find(|(t, _)| *t == block.title) {
            out.push(lines[block.open].to_string());
            out.extend(help.lines().map(str::to_string));
            out.push("```".to_string());
        }
        at = block.close + 1;
    }
    out.extend(lines[at..].iter().map(|l| l.to_string()));
    for (title, help) in expected {
        if blocks.iter().all(|b| b.title != *title) {
            let heading = title.trim_end_matches(" --help");
            out.push(String::new());
            out.push(format!("## {heading}"));
            out.push(String::new());
            out.push(format!("```text title=\"{title}\""));
            out.extend(help.lines().map(str::to_string));
            out.push("```".to_string());
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Where a help block (whose fence is on line `fence` of the page) first differs from the
/// help text, as one message.
fn first_difference(title: &str, fence: usize, body: &str, help: &str) -> String {
    let page: Vec<&str> = body.lines().collect();
    let printed: Vec<&str> = help.lines().collect();
    let at = (0..page.len().max(printed.len()))
        .find(|&i| page.get(i) != printed.get(i))
        .unwrap_or(0);
    let show = |line: Option<&&str>| line.map_or("(nothing)".to_string(), |l| format!("`{l}`"));
    format!(
        "the block `{title}` differs from what the binary prints, at line {} of the page:\n  page:   {}\n  binary: {}",
        fence + 1 + at,
        show(page.get(at)),
        show(printed.get(at))
    )
}

#[test]
fn the_command_line_reference_is_what_help_prints() {
    let top = help(None);
    let names = commands(&top);
    assert!(
        names.iter().any(|n| n == "build") && names.iter().any(|n| n == "new"),
        "no commands found in `kbsite --help`:\n{top}"
    );
    let mut expected = vec![(block_title(None), top.clone())];
    for name in &names {
        expected.push((block_title(Some(name)), help(Some(name))));
    }

    let path = repo().join(REFERENCE);
    let page = std::fs::read_to_string(&path).expect("read the command-line reference");
    let lines: Vec<&str> = page.lines().collect();
    let blocks = help_blocks(&lines);
    let mut problems = Vec::new();
    for (title, help) in &expected {
        match blocks.iter().find(|b| b.title == *title) {
            None => problems.push(format!("no ```text title=\"{title}\"``` block")),
            Some(block) if block.body(&lines) != *help => {
                let body = block.body(&lines);
                problems.push(first_difference(title, block.open + 1, &body, help));
            }
            Some(_) => {}
        }
    }
    for block in &blocks {
        if expected.iter().all(|(title, _)| *title != block.title) {
            problems.push(format!(
                "the block `{}` (line {}) names no command of `kbsite --help`",
                block.title,
                block.open + 1
            ));
        }
    }
    for pair in blocks.windows(2) {
        if pair[0].title == pair[1].title {
            problems.push(format!("the block `{}` is there twice", pair[1].title));
        }
    }
    if problems.is_empty() {
        return;
    }
    if std::env::var(UPDATE_VAR).is_ok_and(|v| v == "1") {
        std::fs::write(&path, updated_page(&page, &expected)).expect("write the reference");
        eprintln!(
            "rewrote the help blocks of {REFERENCE}; describe any new command or option there"
        );
        return;
    }
    panic!(
        "{REFERENCE} does not match the command line:\n\n{}\n\nRun `{UPDATE_VAR}=1 cargo test \
         --test it manual::` to rewrite its help blocks from the binary, then describe any new \
         command or option in the page's prose.",
        problems.join("\n\n")
    );
}

/// Asserts that a run succeeded without printing a single diagnostic (`--format json`
/// prints one line per problem on standard output).
#[track_caller]
fn assert_clean(out: &Output, what: &str) {
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{what} failed:\n{stdout}\n{stderr}");
    let problems: Vec<&str> = stdout.lines().filter(|l| l.starts_with('{')).collect();
    assert!(
        problems.is_empty(),
        "{what} reported problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_manual_builds_strictly_without_a_warning() {
    let check = kbsite(&["check", "--strict", "--root", "docs", "--format", "json"]);
    assert_clean(&check, "kbsite check --strict --root docs");

    let out = tempfile::tempdir().expect("temp dir");
    let site = out.path().join("manual");
    let site_arg = site.to_str().expect("UTF-8 temp path");
    let build = kbsite(&[
        "build", "--strict", "--root", "docs", "--format", "json", "--output", site_arg,
    ]);
    assert_clean(&build, "kbsite build --strict --root docs");
    for page in [
        "index.html",
        "reference/command-line/index.html",
        "404.html",
    ] {
        assert!(site.join(page).is_file(), "the manual has no {page}");
    }
}

/// Every Markdown file under `dir`, sorted.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("walk docs/content"))
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_page_of_the_manual_has_a_description() {
    let root = repo().join("docs");
    let config = kbsite::config::Config::load(&root).expect("docs/kbsite.yaml loads");
    let content = kbsite::content::load::load_content(&root, &config.taxonomies)
        .unwrap_or_else(|e| panic!("docs/content does not load: {e}"));
    // Every Markdown file is a document kbsite reads: none is skipped by the check below.
    assert_eq!(
        content.documents.len(),
        markdown_files(&root.join("content")).len(),
        "kbsite read another number of pages than docs/content holds"
    );
    let missing: Vec<&str> = content
        .documents
        .iter()
        .filter(|doc| {
            doc.meta
                .description
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
        })
        .map(|doc| doc.rel_path.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "pages of the manual without a `description:` in their front matter: {missing:?}"
    );
}

#[test]
fn a_stale_reference_is_rewritten_from_the_help() {
    let page = "intro\n\n```text title=\"kbsite --help\"\nold\n```\n\nprose\n\n\
                ```text title=\"kbsite gone --help\"\nold\n```\n";
    let expected = vec![
        ("kbsite --help".to_string(), "new\ntext".to_string()),
        ("kbsite fresh --help".to_string(), "fresh help".to_string()),
    ];
    let updated = updated_page(page, &expected);
    assert_eq!(
        updated,
        "intro\n\n```text title=\"kbsite --help\"\nnew\ntext\n```\n\nprose\n\n\n\
         ## kbsite fresh\n\n```text title=\"kbsite fresh --help\"\nfresh help\n```\n"
    );
    let lines: Vec<&str> = updated.lines().collect();
    let titles: Vec<String> = help_blocks(&lines).into_iter().map(|b| b.title).collect();
    assert_eq!(titles, ["kbsite --help", "kbsite fresh --help"]);
}
