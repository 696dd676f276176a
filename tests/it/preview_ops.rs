//! `kbsite serve` and `kbsite watch` under random sequences of operations on the files of a
//! small site (new, edited, deleted and renamed articles, `content/` moved away and back or
//! replaced by a copy, `kbsite.yaml` deleted and made again, pauses between them): once the
//! files stop changing, the preview converges to what a clean build of the same files makes.
//! The real binary, real file-system events, real HTTP.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;

use crate::fixture::{Site, article, copy_tree};
use crate::preview::{Running, get, kbsite, serve};

const SECTIONS: [&str; 2] = ["porady", "seo"];
/// Article numbers: `artykul-{n}.md` in one of the sections.
const ARTICLES: usize = 6;
/// A site never has fewer articles than this (a delete that would go below is skipped).
const MIN_ARTICLES: usize = 3;
const TITLES: [&str; 2] = ["Test", "Baza wiedzy"];
const TAGS: [&str; 3] = ["[seo]", "[seo, klienci]", "[porady]"];
/// Article bodies; the last one is written only by the probe that ends every sequence.
const BODIES: [&str; 5] = [
    "Krótki tekst o klientach.",
    "Dłuższy tekst.\n\n## Nagłówek\n\nAkapit z linkiem do [działu porad](/porady/).",
    "Tekst z przypisem[^1].\n\n[^1]: Przypis.",
    "Lista:\n\n- pierwszy punkt\n- drugi punkt",
    "Zapis po ostatniej operacji.",
];
const PROBE_BODY: usize = BODIES.len() - 1;
/// How long the preview may take to converge once the files stop changing.
const CONVERGE: Duration = Duration::from_secs(20);
/// The tag the preview adds to every HTML page (`src/serve/http.rs`, `inject_script`).
const LIVE_TAG: &[u8] = b"<script src=\"/__kbsite/live.js\"></script>";

#[derive(Debug, Clone)]
enum Op {
    /// Writes article `n` (front matter and body) into section `s`, moving it there if it
    /// lives in the other one.
    Write {
        n: usize,
        s: usize,
        body: usize,
    },
    /// Rewrites the body of article `n`, keeping its front matter.
    EditBody {
        n: usize,
        body: usize,
    },
    Delete(usize),
    /// Renames article `from` to `to` in its section, when `to` does not exist.
    Rename {
        from: usize,
        to: usize,
    },
    /// `mv content content.x; sleep; mv content.x content`.
    MoveContentAwayAndBack {
        pause_ms: u64,
    },
    /// `cp -r content content.copy`, the copy maybe changed (article `n` gets body `b`),
    /// then `rm -rf content && cp -r content.copy content; rm -rf content.copy`.
    ReplaceContentWithCopy {
        change: Option<(usize, usize)>,
    },
    /// `rm kbsite.yaml; sleep;` and the config written again with title `title`.
    RecreateConfig {
        title: usize,
        pause_ms: u64,
    },
    /// `rm kbsite.yaml`: the site does not build until [`Op::WriteConfig`], a later step.
    DeleteConfig,
    WriteConfig {
        title: usize,
    },
}

fn pause() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0u64), 0..300u64]
}

fn folder_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        pause().prop_map(|pause_ms| Op::MoveContentAwayAndBack { pause_ms }),
        proptest::option::of((0..ARTICLES, 0..PROBE_BODY))
            .prop_map(|change| Op::ReplaceContentWithCopy { change }),
    ]
}

fn config_op() -> impl Strategy<Value = Op> {
    (0..TITLES.len(), pause()).prop_map(|(title, pause_ms)| Op::RecreateConfig { title, pause_ms })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..ARTICLES, 0..SECTIONS.len(), 0..PROBE_BODY)
            .prop_map(|(n, s, body)| Op::Write { n, s, body }),
        3 => (0..ARTICLES, 0..PROBE_BODY).prop_map(|(n, body)| Op::EditBody { n, body }),
        2 => (0..ARTICLES).prop_map(Op::Delete),
        2 => (0..ARTICLES, 0..ARTICLES).prop_map(|(from, to)| Op::Rename { from, to }),
        1 => folder_op(),
        1 => config_op(),
    ]
}

/// Up to six operations, each followed by a pause: always one that moves or replaces
/// `content/`, and the config deleted and later written again (with the operations between
/// done while the site cannot build), among up to three others.
fn steps() -> impl Strategy<Value = Vec<(Op, u64)>> {
    (
        proptest::collection::vec((op(), pause()), 0..4),
        (folder_op(), pause()),
        (pause(), 0..TITLES.len(), pause()),
        any::<[proptest::sample::Index; 3]>(),
    )
        .prop_map(
            |(mut steps, folder, (deleted, title, written), [at_folder, at_delete, at_write])| {
                steps.insert(at_folder.index(steps.len() + 1), folder);
                let delete = at_delete.index(steps.len() + 1);
                steps.insert(delete, (Op::DeleteConfig, deleted));
                let write = delete + 1 + at_write.index(steps.len() - delete);
                steps.insert(write, (Op::WriteConfig { title }, written));
                steps
            },
        )
}

fn config_text(title: usize) -> String {
    format!(
        "title: \"{}\"\nbase_url: \"https://example.org/\"\nlanguage: pl\n",
        TITLES[title]
    )
}

fn article_text(n: usize, body: usize) -> String {
    article(
        &format!("Artykuł {n}"),
        &format!("2024-0{}-1{n}", 1 + n % 6),
        &format!("tags: {}\n", TAGS[(n + body) % TAGS.len()]),
        BODIES[body],
    )
}

/// Four articles in two sections.
fn start_site() -> Site {
    let site = Site::empty()
        .file("kbsite.yaml", &config_text(0))
        .file(
            "content/porady/_index.md",
            "---\ntitle: \"Porady\"\n---\n\nOpis.\n",
        )
        .file(
            "content/seo/_index.md",
            "---\ntitle: \"SEO\"\n---\n\nOpis.\n",
        );
    for n in 0..4 {
        site.write(
            &format!("content/{}/artykul-{n}.md", SECTIONS[n % 2]),
            &article_text(n, n % PROBE_BODY),
        );
    }
    site
}

/// Where article `n` lives under `content`, if anywhere.
fn find_article(content: &Path, n: usize) -> Option<PathBuf> {
    SECTIONS
        .iter()
        .map(|s| content.join(s).join(format!("artykul-{n}.md")))
        .find(|p| p.exists())
}

fn article_count(content: &Path) -> usize {
    (0..ARTICLES)
        .filter(|n| find_article(content, *n).is_some())
        .count()
}

fn write_article(content: &Path, n: usize, s: usize, body: usize) {
    let target = content.join(SECTIONS[s]).join(format!("artykul-{n}.md"));
    if let Some(old) = find_article(content, n)
        && old != target
    {
        std::fs::remove_file(old).unwrap();
    }
    std::fs::write(target, article_text(n, body)).unwrap();
}

fn edit_body(content: &Path, n: usize, body: usize) {
    if let Some(path) = find_article(content, n) {
        let text = std::fs::read_to_string(&path).unwrap();
        let end = text.find("\n---\n").map_or(0, |i| i + 5);
        std::fs::write(&path, format!("{}\n{}\n", &text[..end], BODIES[body])).unwrap();
    }
}

fn sleep_ms(ms: u64) {
    if ms > 0 {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

fn apply_op(root: &Path, op: &Op) {
    let content = root.join("content");
    match *op {
        Op::Write { n, s, body } => write_article(&content, n, s, body),
        Op::EditBody { n, body } => edit_body(&content, n, body),
        Op::Delete(n) => {
            if article_count(&content) > MIN_ARTICLES
                && let Some(path) = find_article(&content, n)
            {
                std::fs::remove_file(path).unwrap();
            }
        }
        Op::Rename { from, to } => {
            if let (Some(path), None) = (find_article(&content, from), find_article(&content, to)) {
                std::fs::rename(&path, path.with_file_name(format!("artykul-{to}.md"))).unwrap();
            }
        }
        Op::MoveContentAwayAndBack { pause_ms } => {
            let away = root.join("content.x");
            std::fs::rename(&content, &away).unwrap();
            sleep_ms(pause_ms);
            std::fs::rename(&away, &content).unwrap();
        }
        Op::ReplaceContentWithCopy { change } => {
            let copy = root.join("content.copy");
            copy_tree(&content, &copy);
            if let Some((n, body)) = change {
                match find_article(&copy, n) {
                    Some(_) => edit_body(&copy, n, body),
                    None => write_article(&copy, n, 0, body),
                }
            }
            std::fs::remove_dir_all(&content).unwrap();
            copy_tree(&copy, &content);
            std::fs::remove_dir_all(&copy).unwrap();
        }
        Op::RecreateConfig { title, pause_ms } => {
            apply_op(root, &Op::DeleteConfig);
            sleep_ms(pause_ms);
            apply_op(root, &Op::WriteConfig { title });
        }
        Op::DeleteConfig => {
            let config = root.join("kbsite.yaml");
            if config.exists() {
                std::fs::remove_file(config).unwrap();
            }
        }
        Op::WriteConfig { title } => {
            std::fs::write(root.join("kbsite.yaml"), config_text(title)).unwrap();
        }
    }
}

/// Runs the steps, then the probe: a save after the last operation, which a watcher that
/// lost `content/` (not watched again after it was moved or replaced) never sees.
fn run_steps(root: &Path, steps: &[(Op, u64)]) {
    for (op, pause_ms) in steps {
        apply_op(root, op);
        sleep_ms(*pause_ms);
    }
    apply_op(
        root,
        &Op::Write {
            n: 0,
            s: 0,
            body: PROBE_BODY,
        },
    );
}

/// A clean `kbsite build` of the site's files as they are now into a new folder outside it.
fn clean_build(site: &Site, extra: &[&str]) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("out");
    let target_arg = target.display().to_string();
    let mut args = vec!["build", "-q", "--output", target_arg.as_str()];
    args.extend_from_slice(extra);
    site.run(&args).assert_ok();
    let files = tree(&target);
    (out, files)
}

/// Every file under `root`, relative path -> bytes (empty when `root` is missing).
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_file()
            && let Ok(bytes) = std::fs::read(entry.path())
        {
            let rel = entry.path().strip_prefix(root).unwrap();
            files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    files
}

/// Polls `check` (which says what still differs) until it passes, or panics after
/// [`CONVERGE`] with the last difference.
#[track_caller]
fn converges(what: &str, mut check: impl FnMut() -> Result<(), String>) {
    let start = Instant::now();
    loop {
        match check() {
            Ok(()) => return,
            Err(why) if start.elapsed() > CONVERGE => {
                panic!("{what} did not converge in {CONVERGE:?}: {why}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Where two versions of a file first differ, for failure messages.
fn first_difference(got: &[u8], want: &[u8]) -> String {
    let got = String::from_utf8_lossy(got);
    let want = String::from_utf8_lossy(want);
    match got
        .lines()
        .zip(want.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        Some((i, (a, b))) => format!("line {}:\n  got:  {a}\n  want: {b}", i + 1),
        None => format!(
            "{} lines, want {} lines",
            got.lines().count(),
            want.lines().count()
        ),
    }
}

/// What differs between two trees, or `Ok` when they are equal.
fn same_tree(
    got: &BTreeMap<String, Vec<u8>>,
    want: &BTreeMap<String, Vec<u8>>,
) -> Result<(), String> {
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(format!("missing {missing:?}, extra {extra:?}"));
    }
    match want.iter().find(|(path, bytes)| got[*path] != **bytes) {
        Some((path, bytes)) => Err(format!(
            "{path} differs at {}",
            first_difference(&got[path], bytes)
        )),
        None => Ok(()),
    }
}

/// The address of an output file: `a/index.html` is `/a/`.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{path}"),
    }
}

/// A page as served, without the live script the preview adds (exactly once).
fn without_live_script(body: &[u8]) -> Result<Vec<u8>, String> {
    let found: Vec<usize> = body
        .windows(LIVE_TAG.len())
        .enumerate()
        .filter(|(_, w)| *w == LIVE_TAG)
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [at] => Ok([&body[..*at], &body[at + LIVE_TAG.len()..]].concat()),
        _ => Err(format!("the live script is there {} times", found.len())),
    }
}

/// A built page as the preview renders it: asset addresses without their content hash
/// (`/style.css?h=1a2b3c4d` is `/style.css`, see `src/render/asset_urls.rs`).
fn without_asset_hashes(page: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(page.len());
    let mut i = 0;
    while i < page.len() {
        let hash = page.get(i..i + 11);
        if let Some(h) = hash
            && h.starts_with(b"?h=")
            && h[3..].iter().all(u8::is_ascii_hexdigit)
        {
            i += 11;
            continue;
        }
        out.push(page[i]);
        i += 1;
    }
    out
}

/// Every file a clean build has is served with the same bytes (a page once the live script
/// is taken out, and compared with the built page without its asset hashes), and every
/// article, tag and section page the build lacks answers 404.
fn served_equals(port: u16, clean: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    // The output folder's mark is not a page of the site.
    for (path, bytes) in clean.iter().filter(|(p, _)| *p != ".kbsite-output") {
        let url = url_of(path);
        let reply = get(port, &url);
        let (status, body) = (reply.status, reply.bytes);
        if status != 200 {
            return Err(format!("{url} answers {status}"));
        }
        let (body, want) = if path.ends_with(".html") {
            let body = without_live_script(&body).map_err(|e| format!("{url}: {e}"))?;
            (body, without_asset_hashes(bytes))
        } else {
            (body, bytes.clone())
        };
        if body != want {
            return Err(format!(
                "{url} differs at {}",
                first_difference(&body, &want)
            ));
        }
    }
    let articles =
        (0..ARTICLES).flat_map(|n| SECTIONS.map(|s| format!("{s}/artykul-{n}/index.html")));
    let tags = ["seo", "klienci", "porady"].map(|t| format!("tags/{t}/index.html"));
    let sections = SECTIONS.map(|s| format!("{s}/index.html"));
    for path in articles.chain(tags).chain(sections) {
        if !clean.contains_key(&path) {
            let url = url_of(&path);
            let status = get(port, &url).status;
            if status != 404 {
                return Err(format!("{url} is gone from the site but answers {status}"));
            }
        }
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 4,
        failure_persistence: None,
        // Each case runs the real binary for seconds: a failure is shrunk a little only.
        max_shrink_iters: 16,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn serve_converges_to_a_clean_build_after_random_operations(steps in steps()) {
        let site = start_site();
        let (server, port) = serve(&site, &[]);
        run_steps(site.path(), &steps);
        let base_url = format!("http://127.0.0.1:{port}/");
        let (_out, clean) = clean_build(&site, &["--base-url", &base_url]);
        prop_assert!(clean.contains_key("porady/artykul-0/index.html"));
        converges("the served site", || served_equals(port, &clean));
        drop(server);
    }

    #[test]
    fn watch_converges_to_a_clean_build_after_random_operations(steps in steps()) {
        let site = start_site();
        let watcher = Running::start(kbsite(&site, &["watch"]));
        let first = &watcher.first_line;
        prop_assert!(first.starts_with("Built into"), "{}", first);
        run_steps(site.path(), &steps);
        let (_out, clean) = clean_build(&site, &[]);
        prop_assert!(clean.contains_key("porady/artykul-0/index.html"));
        let public = site.path().join("public");
        converges("public/", || same_tree(&tree(&public), &clean));
        drop(watcher);
    }
}
