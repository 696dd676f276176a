//! Search relevance on stored query sets: how often the page a reader wants comes first
//! (@1), in the first three (@3), and the mean reciprocal rank of the first right answer
//! within ten results (MRR@10).
//!
//!     cargo bench --bench relevance [-- --misses] [--set NAME]
//!
//! Query sets are the `.tsv` files in `benches/relevance/`: `query<TAB>kind<TAB>path…`, where
//! `path` is the source file of an acceptable first answer, relative to `content/`, and
//! `kind` says what the query tries (no diacritics, inflection, typo, prefix, identifier,
//! question). A `# lang: CODE` line picks the index of another language than the site's. A
//! `# corpus: NAME` line says which site the set searches:
//! - `sample`: the bundled sample of this repository;
//! - `legacy`: the former Polish React documentation from `../shared/corpora/`
//!   (`KBSITE_SHARED` overrides where the shared folder is), built as a new user would
//!   import it: `language: pl` and `broken_links: warn`.
//!
//! Queries run through `kbsite::pipeline::search`, the code of `kbsite search`, which the
//! parity test keeps identical to the browser. Prints a Markdown table per set and per kind;
//! `--misses` also lists every query whose answer is not first, with the rank it got and the
//! page that came first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kbsite::pipeline::{BuildOptions, build, search};

/// Results looked at for MRR@10.
const DEPTH: usize = 10;

struct Query {
    text: String,
    kind: String,
    answers: Vec<String>,
}

struct QuerySet {
    name: String,
    corpus: String,
    /// The index searched (`# lang: en`); the site's language when not given.
    lang: Option<kbsite::config::Language>,
    queries: Vec<Query>,
}

/// Counts for one group of queries.
#[derive(Default, Clone, Copy)]
struct Score {
    queries: usize,
    at1: usize,
    at3: usize,
    reciprocal: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.queries += 1;
        if let Some(rank) = rank {
            self.at1 += usize::from(rank == 1);
            self.at3 += usize::from(rank <= 3);
            self.reciprocal += 1.0 / rank as f64;
        }
    }

    fn mrr(&self) -> f64 {
        self.reciprocal / self.queries.max(1) as f64
    }
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut misses = false;
    let mut only: Option<String> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--misses" => misses = true,
            "--set" => only = args.next(),
            _ => fail(&format!("unexpected argument {arg}")),
        }
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("KBSITE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared"));
    let sets = read_sets(&repo.join("benches/relevance"), only.as_deref());
    let work = tempfile::tempdir().unwrap_or_else(|e| fail(&format!("temp folder: {e}")));

    let mut sites: BTreeMap<String, BuildOptions> = BTreeMap::new();
    println!("| set | queries | @1 | @3 | MRR@10 |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut by_kind: Vec<(String, BTreeMap<String, Score>)> = Vec::new();
    let mut missed: Vec<String> = Vec::new();
    for set in &sets {
        let options = sites
            .entry(set.corpus.clone())
            .or_insert_with(|| site_for(&set.corpus, &repo, &shared, work.path()));
        let mut total = Score::default();
        let mut kinds: BTreeMap<String, Score> = BTreeMap::new();
        for q in &set.queries {
            let report = search(options, &q.text, DEPTH, set.lang)
                .unwrap_or_else(|e| fail(&format!("query {:?}: {e}", q.text)));
            let rank = report
                .hits
                .iter()
                .position(|h| q.answers.contains(&h.path))
                .map(|i| i + 1);
            total.add(rank);
            kinds.entry(q.kind.clone()).or_default().add(rank);
            if rank != Some(1) {
                let first = report.hits.first().map_or("nothing", |h| h.path.as_str());
                let rank = rank.map_or("-".to_string(), |r| r.to_string());
                missed.push(format!(
                    "| {} | `{}` | {} | {} | {rank} | {first} |",
                    set.name, q.text, q.kind, q.answers[0]
                ));
            }
        }
        println!(
            "| {} | {} | {} | {} | {:.3} |",
            set.name,
            total.queries,
            total.at1,
            total.at3,
            total.mrr()
        );
        by_kind.push((set.name.clone(), kinds));
    }
    println!();
    println!("| set | kind | queries | @1 | @3 | MRR@10 |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for (set, kinds) in &by_kind {
        for (kind, s) in kinds {
            println!(
                "| {set} | {kind} | {} | {} | {} | {:.3} |",
                s.queries,
                s.at1,
                s.at3,
                s.mrr()
            );
        }
    }
    if misses {
        println!();
        println!("| set | query | kind | wanted | rank | first |");
        println!("| --- | --- | --- | --- | ---: | --- |");
        for line in &missed {
            println!("{line}");
        }
    }
}

/// Reads every `.tsv` set of `dir` (or only the one named `only`), sorted by name.
fn read_sets(dir: &Path, only: Option<&str>) -> Vec<QuerySet> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let sets: Vec<QuerySet> = files
        .iter()
        .map(|p| read_set(p))
        .filter(|s| only.is_none_or(|o| s.name == o))
        .collect();
    if sets.is_empty() {
        fail("no query set to run");
    }
    sets
}

fn read_set(path: &Path) -> QuerySet {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut corpus = None;
    let mut lang = None;
    let mut queries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(c) = comment.trim().strip_prefix("corpus:") {
                corpus = Some(c.trim().to_string());
            }
            if let Some(code) = comment.trim().strip_prefix("lang:") {
                lang = Some(
                    kbsite::config::Language::parse(code.trim())
                        .unwrap_or_else(|| fail(&format!("{}: unknown language", path.display()))),
                );
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            fail(&format!(
                "{}:{}: expected query<TAB>kind<TAB>path",
                path.display(),
                n + 1
            ));
        }
        queries.push(Query {
            text: fields[0].to_string(),
            kind: fields[1].to_string(),
            answers: fields[2..].iter().map(|s| s.to_string()).collect(),
        });
    }
    let corpus =
        corpus.unwrap_or_else(|| fail(&format!("{}: no `# corpus:` line", path.display())));
    QuerySet {
        name,
        corpus,
        lang,
        queries,
    }
}

/// Builds the site a set searches and returns the options that reach its index.
fn site_for(corpus: &str, repo: &Path, shared: &Path, work: &Path) -> BuildOptions {
    let root = match corpus {
        "sample" => repo.to_path_buf(),
        "legacy" => {
            let tree = shared.join("corpora/pl-reactjs-legacy");
            let root = work.join("legacy");
            copy_tree(&tree, &root.join("content"));
            write(
                &root.join("kbsite.yaml"),
                "title: React po polsku\nbase_url: https://pl.legacy.reactjs.org\nlanguage: pl\nbroken_links: warn\n",
            );
            root
        }
        other => fail(&format!("unknown corpus {other} (sample or legacy)")),
    };
    let options = BuildOptions {
        root,
        output: Some(work.join(format!("{corpus}-out"))),
        ..BuildOptions::default()
    };
    build(&options).unwrap_or_else(|e| fail(&format!("the {corpus} site does not build: {e}")));
    options
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", from.display())));
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", target.display())));
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| fail(&format!("cannot copy {}: {e}", target.display())));
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("relevance: {message}");
    std::process::exit(2)
}
