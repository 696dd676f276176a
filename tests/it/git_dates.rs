//! Dates from git (`git_dates: true`): fixture repositories made here with commits at fixed
//! dates, built with the real binary. An article without `updated` takes the date of its last
//! commit, one without `date` that of its first (through renames); front matter wins; without
//! a readable history (no repository, no git, a shallow clone) the site builds from its front
//! matter with one `git-dates` warning.

use std::path::{Path, PathBuf};
use std::process::Command;

use kbsite::live::LiveSite;
use kbsite::pipeline::BuildOptions;

use crate::fixture::{Run, Site, json_diagnostics, live_page};

const CONFIG: &str =
    "title: \"Test\"\nbase_url: \"https://example.org/\"\nlanguage: pl\ngit_dates: true\n";

/// Runs git in `dir`, committing (when it commits) at `date` as the committer. The author date
/// is another, older one: kbsite reads committer dates. Global and system settings are left
/// out, so the machine's own git configuration cannot change what the tests see.
#[track_caller]
fn git(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2001-01-01T00:00:00+00:00")
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git is needed for these tests");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes `dir` a repository with a local committer.
fn init(dir: &Path) {
    let now = "2024-01-01T00:00:00+00:00";
    git(dir, now, &["init", "-q", "-b", "main"]);
    git(dir, now, &["config", "user.name", "Redakcja"]);
    git(dir, now, &["config", "user.email", "redakcja@example.org"]);
    git(dir, now, &["config", "commit.gpgsign", "false"]);
}

/// Commits everything in `dir` at `date`.
fn commit(dir: &Path, date: &str) {
    git(dir, date, &["add", "-A"]);
    git(dir, date, &["commit", "-q", "-m", date]);
}

/// `kbsite ARGS --format json` in `dir` with git unable to look above `ceiling` (so a
/// repository around the temp folder never counts) and with `path` as PATH when given.
fn kbsite(dir: &Path, ceiling: &Path, path: Option<&Path>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kbsite"));
    command
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", ceiling)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let out = command.output().expect("run kbsite");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Builds the site at `root` (inside `site`), asserting success; returns the JSON run.
#[track_caller]
fn build(site: &Site, root: &str) -> Run {
    let run = kbsite(
        &site.path().join(root),
        site.path().parent().unwrap(),
        None,
        &["build"],
    );
    run.assert_ok();
    run
}

fn read(site: &Site, root: &str, rel: &str) -> String {
    let path: PathBuf = site.path().join(root).join("public").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The `datetime` of the published and last-updated dates an article page shows.
fn shown_dates(page: &str) -> (Option<String>, Option<String>) {
    let after = |marker: &str| {
        let at = page.find(marker)?;
        let rest = &page[at..];
        let start = rest.find("datetime=\"")? + "datetime=\"".len();
        let end = rest[start..].find('"')?;
        Some(rest[start..start + end].to_string())
    };
    (after("Opublikowano"), after("class=\"last-updated\""))
}

fn text(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndescription: \"O {title}\"\n{front}---\n\n{body}\n")
}

#[test]
fn articles_take_the_dates_of_their_first_and_last_commit() {
    let site = Site::empty().file("kbsite.yaml", CONFIG).file(
        "content/porady/stary.md",
        &text("Stary", "", "Pierwsza wersja."),
    );
    init(site.path());
    commit(site.path(), "2024-01-10T09:30:00+01:00");
    site.write(
        "content/porady/nowy.md",
        &text("Nowy", "", "Zobacz [stary](stary.md)."),
    );
    commit(site.path(), "2024-02-01T12:00:00+01:00");
    site.write(
        "content/porady/stary.md",
        &text("Stary", "", "Druga wersja. Zobacz [nowy](nowy.md)."),
    );
    commit(site.path(), "2024-03-05T18:45:00+01:00");
    build(&site, "");

    let old = read(&site, "", "porady/stary/index.html");
    assert_eq!(
        shown_dates(&old),
        (
            Some("2024-01-10T09:30:00+01:00".into()),
            Some("2024-03-05T18:45:00+01:00".into())
        ),
        "first commit published, last commit updated (committer dates, not author dates)"
    );
    let new = read(&site, "", "porady/nowy/index.html");
    assert_eq!(
        shown_dates(&new),
        (
            Some("2024-02-01T12:00:00+01:00".into()),
            Some("2024-02-01T12:00:00+01:00".into())
        )
    );
    // Every place dates reach: JSON-LD, the sitemap, the feed and the section's order
    // (newest first by `date`).
    assert!(
        old.contains("\"dateModified\":\"2024-03-05T18:45:00+01:00\""),
        "{old}"
    );
    assert!(old.contains("\"datePublished\":\"2024-01-10T09:30:00+01:00\""));
    let sitemap = read(&site, "", "sitemap.xml");
    assert!(
        sitemap.contains("porady/stary/</loc>\n    <lastmod>2024-03-05T18:45:00+01:00</lastmod>"),
        "{sitemap}"
    );
    let feed = read(&site, "", "atom.xml");
    assert!(
        feed.contains("<updated>2024-03-05T18:45:00+01:00</updated>"),
        "{feed}"
    );
    let section = read(&site, "", "porady/index.html");
    let (first, second) = (
        section.find("/porady/nowy/"),
        section.find("/porady/stary/"),
    );
    assert!(first.unwrap() < second.unwrap(), "newest first");
}

#[test]
fn front_matter_wins_and_new_files_keep_what_they_have() {
    let site = Site::empty()
        .file("kbsite.yaml", CONFIG)
        .file(
            "content/oba.md",
            &text("Oba", "date: 2020-05-01\nupdated: 2021-06-01\n", "x"),
        )
        .file("content/data.md", &text("Data", "date: 2020-05-01\n", "x"))
        .file("content/2019-04-02-wpis.md", &text("Wpis", "", "x"));
    init(site.path());
    commit(site.path(), "2024-01-10T09:30:00+01:00");
    site.write(
        "content/nowy.md",
        &text("Nowy", "", "Jeszcze nie w repozytorium."),
    );
    site.write(
        "content/_index.md",
        "---\ntitle: \"Start\"\n---\n\nWitaj.\n",
    );
    let run = build(&site, "");
    assert!(
        json_diagnostics(&run.stdout)
            .iter()
            .all(|d| d.code != "git-dates"),
        "{}",
        run.stdout
    );
    assert_eq!(
        shown_dates(&read(&site, "", "oba/index.html")),
        (Some("2020-05-01".into()), Some("2021-06-01".into()))
    );
    assert_eq!(
        shown_dates(&read(&site, "", "data/index.html")),
        (
            Some("2020-05-01".into()),
            Some("2024-01-10T09:30:00+01:00".into())
        ),
        "only the missing `updated` comes from git"
    );
    assert_eq!(
        shown_dates(&read(&site, "", "wpis/index.html"))
            .0
            .as_deref(),
        Some("2019-04-02"),
        "a date in the file name wins over git, as front matter does"
    );
    assert_eq!(
        shown_dates(&read(&site, "", "nowy/index.html")),
        (None, None),
        "an uncommitted file has no commit dates"
    );
}

#[test]
fn a_renamed_file_keeps_its_first_date_in_a_site_below_the_repository_top() {
    let site = Site::empty()
        .file("README.md", "Repozytorium z bazą wiedzy w docs/.\n")
        .file("docs/kbsite.yaml", CONFIG)
        .file("docs/content/szkic.md", &text("Żółta kartka", "", "Szkic."));
    init(site.path());
    commit(site.path(), "2023-11-20T08:00:00+01:00");
    std::fs::create_dir_all(site.path().join("docs/content/porady")).unwrap();
    git(
        site.path(),
        "2024-01-01T00:00:00+00:00",
        &[
            "mv",
            "docs/content/szkic.md",
            "docs/content/porady/żółta-kartka.md",
        ],
    );
    site.write(
        "docs/content/porady/żółta-kartka.md",
        &text("Żółta kartka", "", "Szkic, już poprawiony."),
    );
    commit(site.path(), "2024-04-02T10:00:00+02:00");
    site.write("README.md", "Zmiana poza witryną.\n");
    commit(site.path(), "2024-06-01T10:00:00+02:00");
    build(&site, "docs");
    assert_eq!(
        shown_dates(&read(&site, "docs", "porady/zolta-kartka/index.html")),
        (
            Some("2023-11-20T08:00:00+01:00".into()),
            Some("2024-04-02T10:00:00+02:00".into())
        ),
        "the first date survives the move; commits outside content/ do not count"
    );
}

/// One `git-dates` warning and dates from front matter only, whatever the reason.
#[track_caller]
fn builds_from_front_matter_with_one_warning(run: &Run, site_dir: &Path, reason: &str) {
    run.assert_ok();
    let diags = json_diagnostics(&run.stdout);
    let notices: Vec<_> = diags.iter().filter(|d| d.code == "git-dates").collect();
    assert_eq!(notices.len(), 1, "{diags:#?}");
    assert_eq!(notices[0].severity, "warning");
    assert!(notices[0].message.contains(reason), "{:?}", notices[0]);
    assert_eq!(notices[0].file.as_deref(), Some("kbsite.yaml"));
    let page = |rel: &str| std::fs::read_to_string(site_dir.join("public").join(rel)).unwrap();
    assert_eq!(
        shown_dates(&page("a/index.html")),
        (Some("2022-02-02".into()), Some("2022-02-02".into())),
        "`updated` shows `date` when there is none"
    );
    assert_eq!(shown_dates(&page("b/index.html")), (None, None));
}

fn two_articles() -> Site {
    Site::empty()
        .file("kbsite.yaml", CONFIG)
        .file(
            "content/a.md",
            &text("A", "date: 2022-02-02\n", "Zobacz [b](b.md)."),
        )
        .file("content/b.md", &text("B", "", "Zobacz [a](a.md)."))
}

#[test]
fn a_shallow_clone_builds_from_front_matter_with_one_warning() {
    let origin = two_articles();
    init(origin.path());
    commit(origin.path(), "2024-01-10T09:30:00+01:00");
    origin.write("content/b.md", &text("B", "", "Zobacz [a](a.md). Więcej."));
    commit(origin.path(), "2024-02-10T09:30:00+01:00");
    let clones = Site::empty();
    let url = format!("file://{}", origin.path().display());
    git(
        clones.path(),
        "2024-01-01T00:00:00+00:00",
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let dir = clones.path().join("shallow");
    let run = kbsite(&dir, clones.path(), None, &["build"]);
    builds_from_front_matter_with_one_warning(&run, &dir, "shallow clone");
}

#[test]
fn no_repository_or_no_git_builds_from_front_matter_with_one_warning() {
    let site = two_articles();
    let ceiling = site.path().parent().unwrap();
    let run = kbsite(site.path(), ceiling, None, &["build"]);
    builds_from_front_matter_with_one_warning(&run, site.path(), "not in a git repository");
    // `check` says it the same way, once.
    let check = kbsite(site.path(), ceiling, None, &["check"]);
    let notices = json_diagnostics(&check.stdout)
        .into_iter()
        .filter(|d| d.code == "git-dates")
        .count();
    assert_eq!(notices, 1, "{}", check.stdout);

    init(site.path());
    commit(site.path(), "2024-01-10T09:30:00+01:00");
    let no_git = tempfile::tempdir().unwrap();
    let run = kbsite(site.path(), ceiling, Some(no_git.path()), &["build"]);
    builds_from_front_matter_with_one_warning(&run, site.path(), "git is not installed");
}

#[test]
fn the_preview_reads_the_history_once_and_keeps_the_dates_through_edits() {
    let site = two_articles();
    init(site.path());
    commit(site.path(), "2024-01-10T09:30:00+01:00");
    site.write("content/b.md", &text("B", "", "Zobacz [a](a.md). Więcej."));
    commit(site.path(), "2024-02-10T09:30:00+01:00");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut live = LiveSite::open(options.clone()).unwrap();
    assert_eq!(
        shown_dates(&live_page(&live, "b/index.html")),
        (
            Some("2024-01-10T09:30:00+01:00".into()),
            Some("2024-02-10T09:30:00+01:00".into())
        )
    );
    // An edit not committed yet keeps the dates of the history; the rebuilt site equals a
    // clean one.
    site.write(
        "content/b.md",
        &text("B", "", "Zobacz [a](a.md). Nowe zdanie."),
    );
    live.apply(&[site.path().join("content/b.md")]).unwrap();
    assert!(live_page(&live, "b/index.html").contains("Nowe zdanie."));
    assert_eq!(
        shown_dates(&live_page(&live, "b/index.html")).1.as_deref(),
        Some("2024-02-10T09:30:00+01:00")
    );
    // Removing `date` from an article's front matter hands it to git in place.
    site.write("content/a.md", &text("A", "", "Zobacz [b](b.md)."));
    live.apply(&[site.path().join("content/a.md")]).unwrap();
    live.rebuild_search();
    let clean = LiveSite::open(options).unwrap();
    assert_eq!(live.paths(), clean.paths());
    for path in clean.paths() {
        let (a, b) = (live.get(path).unwrap(), clean.get(path).unwrap());
        assert!(a.read().unwrap() == b.read().unwrap(), "{path} differs");
    }
    let a = String::from_utf8(
        live.get("a/index.html")
            .unwrap()
            .read()
            .unwrap()
            .into_owned(),
    )
    .unwrap();
    assert_eq!(
        shown_dates(&a).0.as_deref(),
        Some("2024-01-10T09:30:00+01:00")
    );
}
