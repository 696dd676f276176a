//! The incremental rebuild after one article edit, measured in-process on the engine of
//! `kbsite serve`: the time from the changed path reaching the site kept in memory to every
//! output file that depends on it being rendered again.
//!
//!     cargo bench --bench rebuild -- CORPUS_DIR [--runs 9] [--only body|front|new]
//!
//! CORPUS_DIR is made by `gen_corpus.py`. The article edited is the first one of
//! `corpus.json`. The site renders articles first, as `kbsite serve` does
//! (`LiveSite::render_articles_first`): two times are measured for each edit, until the
//! edited article's page (and every article page showing the change) is rendered, and until
//! every other file (lists, term pages, feeds, sitemap) is too (`LiveSite::catch_up`).
//! Four kinds of edit are measured, `--runs` times each; the first three
//! alternate between two versions of the file so that every run changes something:
//! - `body`: a word in the first paragraph (the common case while writing);
//! - `front matter`: the title (the article moves in lists, its section and tags re-render);
//! - `new tag`: a tag added to the front matter (a new tag page, the tag cloud changes);
//! - `new article`: a copy of the article under a new file name and title (a new page in its
//!   section, its tags and lists), removed again after each run without being timed.
//!
//! Prints the median, minimum and maximum of each, in milliseconds, as a Markdown table, and
//! how the model followed the edit (in place, or built again).

use std::path::{Path, PathBuf};
use std::time::Instant;

use kbsite::live::LiveSite;
use kbsite::pipeline::BuildOptions;

/// Makes the edited text of the article from its original and the run number.
type Edit = fn(&str, usize) -> String;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut corpus = None;
    let mut runs = 9usize;
    let mut only: Option<String> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| fail("--runs needs a positive number"))
            }
            "--only" => only = args.next(),
            _ if corpus.is_none() => corpus = Some(PathBuf::from(arg)),
            _ => fail(&format!("unexpected argument {arg}")),
        }
    }
    let corpus =
        corpus.unwrap_or_else(|| fail("usage: rebuild CORPUS_DIR [--runs N] [--only EDIT]"));
    let article = first_article(&corpus);
    let original = std::fs::read_to_string(&article)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", article.display())));

    let opened = Instant::now();
    let mut live = LiveSite::open(BuildOptions {
        root: corpus.clone(),
        output: None,
        base_url: Some("http://127.0.0.1:1111".into()),
        preview: true,
        ..BuildOptions::default()
    })
    .unwrap_or_else(|e| fail(&format!("the corpus does not build: {e}")));
    live.render_articles_first();
    let pages = live.site().map_or(0, |s| s.pages.len());
    eprintln!(
        "[bench] {pages} articles in memory after {:.2} s",
        opened.elapsed().as_secs_f64()
    );

    let edits: [(&str, Edit); 3] = [
        ("body", edit_body),
        ("front matter (title)", edit_title),
        ("new tag", edit_tags),
    ];
    println!(
        "| edit | page median ms | min ms | max ms | every file median ms | min ms | max ms | output files changed (last run) | model |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (name, edit) in edits {
        if only.as_deref().is_some_and(|o| !name.starts_with(o)) {
            continue;
        }
        let mut times = Times::default();
        for run in 0..runs {
            write(&article, &edit(&original, run));
            times.measure(&mut live, &article);
        }
        write(&article, &original);
        live.apply(std::slice::from_ref(&article))
            .unwrap_or_else(|e| fail(&format!("rebuild failed: {e}")));
        settle(&mut live);
        times.print(name);
    }
    if only.as_deref().is_none_or(|o| "new article".starts_with(o)) {
        let mut times = Times::default();
        for run in 0..runs {
            // A copy of the article under a new name and title, taken away again untimed.
            let new = article.with_file_name(format!("kbsite-bench-new-{run}.md"));
            write(&new, &edit_title(&original, run));
            times.measure(&mut live, &new);
            std::fs::remove_file(&new)
                .unwrap_or_else(|e| fail(&format!("cannot remove {}: {e}", new.display())));
            live.apply(std::slice::from_ref(&new))
                .unwrap_or_else(|e| fail(&format!("rebuild failed: {e}")));
            settle(&mut live);
        }
        times.print("new article");
    }
}

/// The times of the runs of one kind of edit.
#[derive(Default)]
struct Times {
    /// Until the articles' pages were rendered, ms.
    page: Vec<f64>,
    /// Until every file was, ms.
    every: Vec<f64>,
    /// Output files the last run changed.
    changed: usize,
    /// How the model followed the last run.
    model: Option<kbsite::live::ModelUpdate>,
}

impl Times {
    /// Applies the change of `path` and renders what it left, timing both.
    fn measure(&mut self, live: &mut LiveSite, path: &Path) {
        let rebuilt = live
            .apply(&[path.to_path_buf()])
            .unwrap_or_else(|e| fail(&format!("rebuild failed: {e}")));
        let started = Instant::now();
        let rest = live
            .catch_up()
            .unwrap_or_else(|e| fail(&format!("rebuild failed: {e}")));
        let page = rebuilt.elapsed.as_secs_f64() * 1000.0;
        self.page.push(page);
        self.every
            .push(page + started.elapsed().as_secs_f64() * 1000.0);
        let mut changed = rebuilt.changed;
        changed.extend(rest);
        changed.sort_unstable();
        changed.dedup();
        self.changed = changed.len();
        self.model = Some(rebuilt.model);
    }

    /// Prints the median, minimum and maximum of both times as a row of the table.
    fn print(mut self, name: &str) {
        let stats = |times: &mut Vec<f64>| {
            times.sort_by(f64::total_cmp);
            format!(
                "{:.1} | {:.1} | {:.1}",
                times[times.len() / 2],
                times[0],
                times[times.len() - 1]
            )
        };
        println!(
            "| {name} | {} | {} | {} | {:?} |",
            stats(&mut self.page),
            stats(&mut self.every),
            self.changed,
            self.model.unwrap_or_default()
        );
    }
}

/// Renders what an untimed rebuild left, so the next timed one starts from a current output.
fn settle(live: &mut LiveSite) {
    live.catch_up()
        .unwrap_or_else(|e| fail(&format!("rebuild failed: {e}")));
}

/// A new word in the first paragraph after the front matter.
fn edit_body(original: &str, run: usize) -> String {
    let (front, body) = split_front(original);
    format!("{front}Wersja{run} {body}")
}

/// A different title.
fn edit_title(original: &str, run: usize) -> String {
    let (front, body) = split_front(original);
    let front = front.replacen("title: ", &format!("title: Wersja{run} "), 1);
    format!("{front}{body}")
}

/// One more tag, new to the site.
fn edit_tags(original: &str, run: usize) -> String {
    let (front, body) = split_front(original);
    let tag = format!("nowytag{run}");
    let front = front.replacen("\ntags:\n", &format!("\ntags:\n  - \"{tag}\"\n"), 1);
    if !front.contains(&tag) {
        fail("the article has no block list of tags to add to");
    }
    format!("{front}{body}")
}

/// The front matter with its closing line, and the body.
fn split_front(text: &str) -> (&str, &str) {
    let end = text
        .match_indices("\n---\n")
        .next()
        .map(|(i, _)| i + 5)
        .unwrap_or(0);
    text.split_at(end)
}

/// The file of the first article listed in `corpus.json`.
fn first_article(corpus: &Path) -> PathBuf {
    let listing = std::fs::read_to_string(corpus.join("corpus.json"))
        .unwrap_or_else(|e| fail(&format!("cannot read corpus.json: {e}")));
    let listing: serde_json::Value =
        serde_json::from_str(&listing).unwrap_or_else(|e| fail(&format!("corpus.json: {e}")));
    let article = &listing["articles"][0];
    match (article["section"].as_str(), article["slug"].as_str()) {
        (Some(section), Some(slug)) => corpus
            .join("content")
            .join(section)
            .join(format!("{slug}.md")),
        _ => fail("corpus.json lists no article with a section and a slug"),
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("[bench] error: {message}");
    std::process::exit(1)
}
