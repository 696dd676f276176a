//! A chainable fixture: write a site into a temp folder, run `kbsite`, read what it wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The result of one `kbsite` run.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn assert_ok(&self) -> &Run {
        assert_eq!(
            self.code, 0,
            "kbsite failed:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A site in a temp folder.
pub(crate) struct Site {
    dir: tempfile::TempDir,
}

pub(crate) const MINIMAL_CONFIG: &str =
    "title: \"Test\"\nbase_url: \"https://example.org/\"\nlanguage: pl\n";

impl Site {
    /// An empty folder.
    pub(crate) fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A site with a config and nothing else.
    pub(crate) fn new() -> Site {
        Site::empty().file("kbsite.yaml", MINIMAL_CONFIG)
    }

    /// A copy of the bundled sample knowledge base (its content, data files and config).
    pub(crate) fn sample() -> Site {
        let site = Site::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&repo.join("content"), &site.path().join("content"));
        copy_tree(&repo.join("data"), &site.path().join("data"));
        std::fs::copy(repo.join("kbsite.yaml"), site.path().join("kbsite.yaml"))
            .expect("copy config");
        site
    }

    /// The former Polish React documentation (`../shared/corpora/pl-reactjs-legacy`, a
    /// Gatsby tree with Jekyll conventions) copied in as `content/`, with `broken_links: warn`
    /// as the only setting besides the required ones. It is read where it lies, never kept in
    /// this repository.
    pub(crate) fn legacy_corpus() -> Site {
        let corpus =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/pl-reactjs-legacy");
        assert!(
            corpus.is_dir(),
            "the real docs tree is missing: {} (shared/ must lie beside the repository)",
            corpus.display()
        );
        let site = Site::empty().file(
            "kbsite.yaml",
            "title: React\nbase_url: https://example.org/\nlanguage: pl\nbroken_links: warn\n",
        );
        copy_tree(&corpus, &site.path().join("content"));
        site
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn file(self, rel: &str, text: &str) -> Site {
        self.write(rel, text);
        self
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_kbsite"))
            .args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .output()
            .expect("run kbsite");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `kbsite build` with extra arguments; panics on failure.
    pub(crate) fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        run.assert_ok();
        run
    }

    pub(crate) fn output(&self, rel: &str) -> PathBuf {
        self.path().join("public").join(rel)
    }

    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.output(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Every file of a folder under the site, path -> bytes.
    pub(crate) fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let root = self.path().join(rel);
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&root)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, std::fs::read(entry.path()).expect("read"));
            }
        }
        files
    }

    /// Replaces the temp path in text so snapshots do not depend on it.
    pub(crate) fn redact(&self, text: &str) -> String {
        text.replace(&self.path().display().to_string(), "[site]")
    }
}

/// Copies the folder `from` to `to`, which must not exist yet.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The `<main>` element of a page, for snapshots that ignore the layout around it.
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

/// The rendered Markdown of an article page: its body, without the layout around it, so
/// snapshots of Markdown features do not change with the theme's layout.
pub(crate) fn article_body(html: &str) -> &str {
    let start = html
        .find("<div class=\"prose article__body\">")
        .expect("page has an article body");
    let end = html[start..]
        .find("\n    </div>\n")
        .expect("the article body ends")
        + start;
    &html[start..end]
}

/// A grey PNG of `w`x`h` pixels, for pictures of fixture sites.
pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgb);
    let mut writer = e.write_header().unwrap();
    writer
        .write_image_data(&vec![160; (w * h * 3) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

/// Runs `tests/browser/<script>` with Node on a built site (`--site` is added) and returns
/// the JSON report it prints; a run that could not observe the pages fails the test with
/// what the script said.
pub(crate) fn browser_report(script: &str, site: &Site, args: &[&str]) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser")
        .join(script);
    let out = Command::new("node")
        .arg(path)
        .args(["--site", &site.output("").display().to_string()])
        .args(args)
        .output()
        .expect("node is needed for the browser tests (Debian packages nodejs and chromium)");
    assert!(
        out.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints one JSON object")
}

/// A minimal article with front matter.
pub(crate) fn article(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\n{extra}---\n\n{body}\n")
}

/// One diagnostic of `--format json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diag {
    pub severity: String,
    pub code: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
    pub hint: Option<String>,
}

/// Parses the JSON lines of a run.
pub(crate) fn json_diagnostics(stdout: &str) -> Vec<Diag> {
    stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}"));
            for key in [
                "severity", "code", "file", "line", "column", "message", "hint", "url",
            ] {
                assert!(v.get(key).is_some(), "JSON line lacks `{key}`: {l}");
            }
            let code = v["code"].as_str().unwrap();
            assert_eq!(
                v["url"].as_str(),
                Some(kbsite::codes::page_url(code).as_str()),
                "the url of a JSON line is its code's page in the manual: {l}"
            );
            Diag {
                severity: v["severity"].as_str().unwrap().to_string(),
                code: v["code"].as_str().unwrap().to_string(),
                file: v["file"].as_str().map(str::to_string),
                line: v["line"].as_u64(),
                column: v["column"].as_u64(),
                message: v["message"].as_str().unwrap().to_string(),
                hint: v["hint"].as_str().map(str::to_string),
            }
        })
        .collect()
}

impl Site {
    /// Runs `args` twice, as human and as JSON output; checks both agree on the exit code and
    /// returns the human run and the JSON diagnostics.
    pub(crate) fn diagnose(&self, args: &[&str]) -> (Run, Vec<Diag>) {
        let human = self.run(args);
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let json = self.run(&json_args);
        assert_eq!(human.code, json.code, "human and JSON runs disagree");
        (human, json_diagnostics(&json.stdout))
    }
}

/// Asserts that `diags` holds an error with `code` at `file:line:column` (column 0: any).
#[track_caller]
pub(crate) fn assert_has(diags: &[Diag], code: &str, file: &str, line: u64, column: u64) {
    let found = diags.iter().any(|d| {
        d.code == code
            && d.file.as_deref() == Some(file)
            && d.line == Some(line)
            && (column == 0 || d.column == Some(column))
    });
    assert!(found, "no `{code}` at {file}:{line}:{column} in {diags:#?}");
}

/// The text of output file `path` of a site kept in memory (`serve`'s and `watch`'s engine).
#[track_caller]
pub(crate) fn live_page(live: &kbsite::live::LiveSite, path: &str) -> String {
    let body = live
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not in the output"))
        .read()
        .unwrap();
    String::from_utf8_lossy(&body).into_owned()
}
