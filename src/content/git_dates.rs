//! Dates from the site's git history (`git_dates: true` in `kbsite.yaml`): an article without
//! `updated` in its front matter takes the date of the last commit that changed its file, and
//! one without `date` the date of the first, so "last updated" stays true without anyone
//! editing front matter.
//!
//! The whole history of `content/` is read with one `git log` (with rename detection, so the
//! first date survives a move) and parsed once here, never one git call per file: on 10,000
//! articles that is the difference between a fraction of a second and minutes. Dates are
//! committer dates with the committer's UTC offset (`%cI`), which the same commit always has,
//! so the output stays the same for the same commit.
//!
//! Without a history to read (no git, no repository, a shallow clone) the front matter is all
//! there is: the site builds as it would without `git_dates`, and a single `git-dates` warning
//! says why.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::codes;
use crate::content::date::PageDate;
use crate::content::{Content, DocKind, Document};
use crate::error::{Diagnostic, Location, Severity};

/// The dates of one file: its first commit and its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileDates {
    /// The committer date of the oldest commit of the file (following renames).
    pub(crate) first: PageDate,
    /// The committer date of the newest commit that changed it (a rename counts).
    pub(crate) last: PageDate,
}

/// What the history says about the files under `content/`, read once per build (and once when
/// the preview starts).
#[derive(Debug, Clone, Default)]
pub(crate) struct GitDates {
    /// By path relative to `content/`, `/`-separated, as [`Document::rel_path`].
    files: HashMap<String, FileDates>,
    /// Why there is no history to read, when there is none.
    notice: Option<Diagnostic>,
}

impl GitDates {
    /// Reads the history of `root`'s `content/` with one `git log`. Never fails: without a
    /// history, the dates are empty and [`GitDates::notice`] says why.
    pub(crate) fn read(root: &Path) -> GitDates {
        match history(root) {
            Ok(files) => GitDates {
                files,
                notice: None,
            },
            Err(why) => GitDates {
                files: HashMap::new(),
                notice: Some(Diagnostic {
                    severity: Severity::Warning,
                    code: codes::GIT_DATES,
                    location: Some(Location::file(Path::new(crate::config::CONFIG_FILE))),
                    message: format!(
                        "`git_dates` is on, but {why}: dates come from front matter only"
                    ),
                    hint: Some(
                        "build from a full clone with git installed (on GitHub Actions: \
                         `fetch-depth: 0` for actions/checkout), or set `git_dates: false`"
                            .into(),
                    ),
                }),
            },
        }
    }

    /// The one warning of a build whose history could not be read.
    pub(crate) fn notice(&self) -> Option<&Diagnostic> {
        self.notice.as_ref()
    }

    /// [`GitDates::apply`] to every document of a loaded `content/` (whose documents nothing
    /// else holds yet, so none is copied), with the notice first among its warnings.
    pub(crate) fn apply_all(&self, content: &mut Content) {
        for doc in &mut content.documents {
            if self.files.contains_key(&doc.rel_path) {
                self.apply(std::sync::Arc::make_mut(doc));
            }
        }
        if let Some(notice) = &self.notice {
            content.warnings.insert(0, notice.clone());
        }
    }

    /// Gives an article the dates its front matter lacks: `date` from its first commit,
    /// `updated` from its last. Front matter (and a date in the file name) always wins; a file
    /// without commits (new, untracked) keeps what it has. The document's fingerprint takes the
    /// dates in, so a rebuild notices a date that changed with no edit of the file.
    pub(crate) fn apply(&self, doc: &mut Document) {
        if doc.kind != DocKind::Page {
            return;
        }
        let Some(dates) = self.files.get(&doc.rel_path) else {
            return;
        };
        let meta = &mut doc.meta;
        if meta.date.is_some() && meta.updated.is_some() {
            return;
        }
        let date = *meta.date.get_or_insert(dates.first);
        let updated = *meta.updated.get_or_insert(dates.last);
        doc.fingerprint = crate::hash::stable_hash(&[
            &doc.fingerprint.to_le_bytes(),
            date.iso().as_bytes(),
            updated.iso().as_bytes(),
        ]);
    }
}

/// Runs git in `root` with `args`; its standard output, or why it could not be read.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "git is not installed (no `git` on PATH)".to_string(),
            _ => format!("git could not be run ({e})"),
        })?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(if stderr.contains("not a git repository") {
        "the site is not in a git repository".to_string()
    } else {
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        format!("git failed: {}", first.trim())
    })
}

/// The dates of every file under `content/` with a commit, by path relative to `content/`.
fn history(root: &Path) -> Result<HashMap<String, FileDates>, String> {
    let probe = git(
        root,
        &["rev-parse", "--is-shallow-repository", "--show-prefix"],
    )?;
    let probe = String::from_utf8_lossy(&probe);
    let mut lines = probe.lines();
    if lines.next() == Some("true") {
        return Err(
            "the repository is a shallow clone, whose history misses the older commits".into(),
        );
    }
    // Where the site is inside the repository (`docs/` for a site in `docs/`, empty at the
    // top): git names files from the repository's top.
    let prefix = lines.next().unwrap_or("").trim();
    let log = git(
        root,
        &[
            // Names as they are (`-z` leaves them unquoted), and no signatures in the log.
            "-c",
            "core.quotePath=false",
            "-c",
            "log.showSignature=false",
            "log",
            "-z",
            "-M",
            "--no-follow",
            "--name-status",
            "--format=%x01%cI",
            "--",
            crate::sources::CONTENT,
        ],
    )?;
    Ok(parse_log(
        &log,
        &format!("{prefix}{}/", crate::sources::CONTENT),
    ))
}

/// One change of a commit, as `git log --name-status -z` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change<'a> {
    /// Added (`A`), or copied to `path` (`C`): the file starts here.
    Added(&'a str),
    /// Modified, or its type changed (`M`, `T`, and anything else git may say).
    Modified(&'a str),
    /// Deleted (`D`).
    Deleted(&'a str),
    /// Renamed (`R<score>`), with or without changes.
    Renamed(&'a str, &'a str),
}

impl<'a> Change<'a> {
    /// The path the change leaves in the tree, if any.
    fn path(&self) -> Option<&'a str> {
        match *self {
            Change::Added(p) | Change::Modified(p) | Change::Renamed(_, p) => Some(p),
            Change::Deleted(_) => None,
        }
    }
}

/// Reads the output of `git log -z -M --name-status --format=%x01%cI`, newest commit first,
/// into the first and last date of each file that exists at the newest commit, following
/// renames back to where each file was added. `prefix` is `content/` as the repository names
/// it; the keys of the result are paths below it.
///
/// Each commit is a `\x01` and its date, then NUL-separated fields: a status (`M`, `A`, `D`,
/// `T`, `R100`, `C075`…, the first after the header following a newline) and one path, or
/// two for a rename or a copy. Anything else (a path that is not UTF-8, a date that does not
/// parse) is skipped: the worst a strange log can do is leave a file without git dates.
fn parse_log(log: &[u8], prefix: &str) -> HashMap<String, FileDates> {
    let mut commits: Vec<(Option<PageDate>, Vec<Change<'_>>)> = Vec::new();
    let mut fields = log.split(|&b| b == 0);
    while let Some(field) = fields.next() {
        let field = field.strip_prefix(b"\n").unwrap_or(field);
        let Some(&status) = field.first() else {
            continue;
        };
        if status == 1 {
            let date = std::str::from_utf8(&field[1..])
                .ok()
                .and_then(|d| PageDate::parse(d.trim()));
            commits.push((date, Vec::new()));
            continue;
        }
        let change = match status {
            b'R' | b'C' => {
                let (old, new) = (path(fields.next()), path(fields.next()));
                match (status, old, new) {
                    (b'R', Some(old), Some(new)) => Change::Renamed(old, new),
                    (_, _, Some(new)) => Change::Added(new),
                    _ => continue,
                }
            }
            b'A' => match path(fields.next()) {
                Some(p) => Change::Added(p),
                None => continue,
            },
            b'D' => match path(fields.next()) {
                Some(p) => Change::Deleted(p),
                None => continue,
            },
            _ => match path(fields.next()) {
                Some(p) => Change::Modified(p),
                None => continue,
            },
        };
        if let Some((_, changes)) = commits.last_mut() {
            changes.push(change);
        }
    }
    // Walking back in time, the name each file had then, mapped to its name at the newest
    // commit; `None` for a name whose older history belongs to no file of today (a file
    // added there after an older one of that name was deleted, or renamed away).
    let mut names: HashMap<&str, Option<&str>> = HashMap::new();
    let mut dates: HashMap<&str, FileDates> = HashMap::new();
    for (date, changes) in &commits {
        if let Some(date) = date {
            apply_commit(*date, changes, &mut names, &mut dates);
        }
    }
    dates
        .into_iter()
        .filter_map(|(path, d)| Some((path.strip_prefix(prefix)?.to_string(), d)))
        .collect()
}

/// A path field of the log, when there is one and it is UTF-8 (a file whose name is not is
/// skipped by the walk of `content/` too).
fn path(field: Option<&[u8]>) -> Option<&str> {
    field.and_then(|p| std::str::from_utf8(p).ok())
}

/// Applies one commit, walking back in time: every file it leaves in the tree gets its date
/// (as the newest so far when it has none yet, as the oldest always), then the names are moved
/// to what they were before the commit. Names are looked up before any is moved, so two files
/// that swap names in one commit keep their own histories.
fn apply_commit<'a>(
    date: PageDate,
    changes: &[Change<'a>],
    names: &mut HashMap<&'a str, Option<&'a str>>,
    dates: &mut HashMap<&'a str, FileDates>,
) {
    let resolved: Vec<Option<&'a str>> = changes
        .iter()
        .map(|c| {
            c.path()
                .and_then(|p| names.get(p).copied().unwrap_or(Some(p)))
        })
        .collect();
    for now in resolved.iter().flatten() {
        dates
            .entry(now)
            .and_modify(|d| d.first = date)
            .or_insert(FileDates {
                first: date,
                last: date,
            });
    }
    let renamed_from = |name: &str| {
        changes
            .iter()
            .any(|c| matches!(c, Change::Renamed(old, _) if *old == name))
    };
    // A name the commit made (added, or the new name of a rename) was no file before it,
    // unless another rename of the commit moved a file away from it.
    for change in changes {
        match *change {
            Change::Added(path) | Change::Renamed(_, path) if !renamed_from(path) => {
                names.insert(path, None);
            }
            Change::Deleted(path) => {
                // Before the deletion the name was a file that is gone now, unless a newer
                // commit already said whose it is.
                names.entry(path).or_insert(None);
            }
            _ => {}
        }
    }
    for (change, now) in changes.iter().zip(&resolved) {
        if let Change::Renamed(old, _) = *change {
            names.insert(old, *now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(n: u32) -> String {
        format!("2024-01-{:02}T10:00:00+01:00", n)
    }

    /// A log as git writes it, newest commit first: each commit a date and its changes.
    fn log(commits: &[(u32, &[Change<'_>])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (date, changes) in commits {
            out.extend_from_slice(format!("\x01{}\0\n", day(*date)).as_bytes());
            for change in *changes {
                let fields: Vec<&str> = match *change {
                    Change::Added(p) => vec!["A", p],
                    Change::Modified(p) => vec!["M", p],
                    Change::Deleted(p) => vec!["D", p],
                    Change::Renamed(a, b) => vec!["R087", a, b],
                };
                for f in fields {
                    out.extend_from_slice(f.as_bytes());
                    out.push(0);
                }
            }
        }
        out
    }

    fn dates_of(parsed: &HashMap<String, FileDates>, path: &str) -> Option<(String, String)> {
        parsed
            .get(path)
            .map(|d| (d.first.date.to_string(), d.last.date.to_string()))
    }

    fn dates(first: u32, last: u32) -> Option<(String, String)> {
        Some((format!("2024-01-{first:02}"), format!("2024-01-{last:02}")))
    }

    #[test]
    fn first_and_last_commit_of_each_file() {
        use Change::*;
        let text = log(&[
            (5, &[Modified("site/content/a.md")]),
            (
                3,
                &[Added("site/content/b.md"), Modified("site/content/a.md")],
            ),
            (1, &[Added("site/content/a.md")]),
        ]);
        let parsed = parse_log(&text, "site/content/");
        assert_eq!(dates_of(&parsed, "a.md"), dates(1, 5));
        assert_eq!(dates_of(&parsed, "b.md"), dates(3, 3));
        assert_eq!(parsed.len(), 2);
        let time = parsed["a.md"].last;
        assert_eq!(
            time.iso(),
            "2024-01-05T10:00:00+01:00",
            "committer time and zone"
        );
    }

    #[test]
    fn a_renamed_file_keeps_its_first_date_and_polish_names_are_read() {
        use Change::*;
        let text = log(&[
            (9, &[Modified("content/seo/żółw.md")]),
            (7, &[Renamed("content/stary.md", "content/seo/żółw.md")]),
            (4, &[Modified("content/stary.md")]),
            (2, &[Added("content/stary.md")]),
        ]);
        let parsed = parse_log(&text, "content/");
        assert_eq!(dates_of(&parsed, "seo/żółw.md"), dates(2, 9));
        assert_eq!(
            dates_of(&parsed, "stary.md"),
            None,
            "the old name is no file now"
        );
    }

    #[test]
    fn a_name_used_again_after_a_deletion_starts_anew() {
        use Change::*;
        let text = log(&[
            (8, &[Added("content/a.md")]),
            (6, &[Deleted("content/a.md"), Deleted("content/gone.md")]),
            (2, &[Added("content/a.md"), Added("content/gone.md")]),
        ]);
        let parsed = parse_log(&text, "content/");
        assert_eq!(dates_of(&parsed, "a.md"), dates(8, 8));
        assert_eq!(dates_of(&parsed, "gone.md"), None);
    }

    #[test]
    fn files_outside_content_and_unreadable_fields_are_skipped() {
        let mut text = log(&[(3, &[Change::Modified("README.md")])]);
        text.extend_from_slice(b"\x01not a date\0\nM\0content/x.md\0");
        text.extend_from_slice(b"\x012024-01-01T00:00:00Z\0\nM\0content/\xff.md\0Q\0");
        let parsed = parse_log(&text, "content/");
        assert!(parsed.is_empty(), "{parsed:?}");
    }

    /// What a history did, operation by operation: the model the parser must agree with.
    #[derive(Debug, Clone)]
    enum Op {
        Add(u8),
        Modify(u8),
        Rename(u8, u8),
        Delete(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..6u8).prop_map(Op::Add),
            (0..6u8).prop_map(Op::Modify),
            (0..6u8, 0..6u8).prop_map(|(a, b)| Op::Rename(a, b)),
            (0..6u8).prop_map(Op::Delete),
        ]
    }

    proptest! {
        /// Any history of adds, edits, renames (one file at a time) and deletions, one commit
        /// each: the parsed dates are those of the files that exist at the end, from the
        /// commit that added each (under whatever name) to the last that touched it.
        #[test]
        fn parsed_dates_follow_every_file_through_its_history(ops in proptest::collection::vec(op(), 1..28)) {
            let name = |n: u8| format!("content/f{n}.md");
            // Each file of the tree: its first and last commit.
            let mut tree: HashMap<String, (u32, u32)> = HashMap::new();
            // Each commit: its day and its changes (status, path, new path of a rename).
            type Commit = (u32, Vec<(char, String, String)>);
            let mut commits: Vec<Commit> = Vec::new();
            for (i, op) in ops.iter().enumerate() {
                let day = i as u32 + 1;
                let change = match *op {
                    Op::Add(n) if !tree.contains_key(&name(n)) => {
                        tree.insert(name(n), (day, day));
                        ('A', name(n), String::new())
                    }
                    Op::Modify(n) if tree.contains_key(&name(n)) => {
                        tree.entry(name(n)).and_modify(|d| d.1 = day);
                        ('M', name(n), String::new())
                    }
                    Op::Rename(a, b) if a != b && tree.contains_key(&name(a)) && !tree.contains_key(&name(b)) => {
                        let (first, _) = tree.remove(&name(a)).unwrap();
                        tree.insert(name(b), (first, day));
                        ('R', name(a), name(b))
                    }
                    Op::Delete(n) if tree.contains_key(&name(n)) => {
                        tree.remove(&name(n));
                        ('D', name(n), String::new())
                    }
                    _ => continue,
                };
                commits.push((day, vec![change]));
            }
            let mut text = Vec::new();
            for (d, changes) in commits.iter().rev() {
                text.extend_from_slice(format!("\x01{}\0\n", day(*d)).as_bytes());
                for (status, a, b) in changes {
                    let fields: Vec<&str> = match status {
                        'R' => vec!["R100", a, b],
                        'A' => vec!["A", a],
                        'M' => vec!["M", a],
                        _ => vec!["D", a],
                    };
                    for f in fields {
                        text.extend_from_slice(f.as_bytes());
                        text.push(0);
                    }
                }
            }
            let parsed = parse_log(&text, "content/");
            let got: HashMap<String, (u32, u32)> = parsed
                .iter()
                .map(|(path, d)| (format!("content/{path}"), (d.first.date.format("%d").to_string().parse().unwrap(), d.last.date.format("%d").to_string().parse().unwrap())))
                .collect();
            prop_assert_eq!(got, tree);
        }

        /// Whatever bytes git could print, parsing never panics.
        #[test]
        fn any_log_parses_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse_log(&bytes, "content/");
        }
    }

    #[test]
    fn two_files_swapping_names_in_one_commit_keep_their_histories() {
        use Change::*;
        let text = log(&[
            (
                5,
                &[
                    Renamed("content/a.md", "content/b.md"),
                    Renamed("content/b.md", "content/a.md"),
                ],
            ),
            (3, &[Added("content/b.md")]),
            (1, &[Added("content/a.md")]),
        ]);
        let parsed = parse_log(&text, "content/");
        assert_eq!(
            dates_of(&parsed, "b.md"),
            dates(1, 5),
            "was a.md, added on day 1"
        );
        assert_eq!(
            dates_of(&parsed, "a.md"),
            dates(3, 5),
            "was b.md, added on day 3"
        );
    }
}
