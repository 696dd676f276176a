//! Highlighted code kept between builds in `.kbsite-cache/highlight.bin`, keyed by a hash of
//! (language, code). Code blocks rarely change, while loading the syntax definitions and
//! compiling each language's regular expressions is most of a small site's build: a build
//! whose code blocks are all in the cache never loads them.
//!
//! The entry is the highlighter's HTML of the code only; the block around it (title, line
//! numbers, marked lines) is made fresh by `highlight`, so options never need a key of their
//! own. The file names the highlighter (its version and the class prefix) in its header: a
//! file written by another one is ignored as a whole. A file that cannot be read or does not
//! parse is ignored too, and written again after the build.
//!
//! Bounded: an entry no build used for [`KEEP_UNUSED`] builds that wrote the file is dropped,
//! and the file never holds more than [`MAX_BYTES`] of HTML (the most recently used kept).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::build_cache::{CACHE_DIR, store};
use crate::hash::FastMap;

/// The cache file, under the cache folder.
const FILE: &str = "highlight.bin";

/// What the file starts with: its format, and the highlighter whose HTML it holds. The
/// syntect version is checked against Cargo.lock by a test, so an upgrade cannot keep
/// serving the old version's HTML.
const HEADER: &str = concat!(
    "kbsite highlight cache 1\nsyntect 5.3.0\nclasses ",
    "hl-",
    "\n"
);

/// Builds an unused entry survives: long enough for a branch switched away from and back,
/// short enough that deleted snippets do not stay for ever.
const KEEP_UNUSED: u32 = 16;

/// The most HTML the file keeps: about 25,000 typical blocks, far more than a 50,000-article
/// knowledge base holds, so only a pathological site ever reaches it.
const MAX_BYTES: usize = 64 << 20;

/// An entry of the file.
#[derive(Debug, Clone)]
struct Entry {
    html: Arc<str>,
    /// The generation (see [`Highlights::generation`]) of the last build that used it.
    used_in: u32,
}

/// How a build's code blocks were highlighted, for `kbsite build -v` and for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HighlightCounts {
    /// Blocks whose HTML came from the cache (of this build or of an earlier one).
    pub cached: usize,
    /// Blocks highlighted now.
    pub highlighted: usize,
}

/// The highlighted code of one site: what the cache file held when the build started, and
/// what this build used or made, written back by [`Highlights::save`].
#[derive(Debug, Default)]
pub struct Highlights {
    /// The cache file; `None` keeps everything in memory (tests, `kbsite check`).
    file: Option<PathBuf>,
    /// What the file held.
    stored: FastMap<u128, Entry>,
    /// The number of builds that wrote the file.
    generation: u32,
    /// Whether the file was missing, unreadable or from another highlighter.
    cold: bool,
    /// What this build used or made, by key.
    used: Mutex<FastMap<u128, Arc<str>>>,
    cached: AtomicUsize,
    highlighted: AtomicUsize,
}

impl Highlights {
    /// Highlights of the site at `root`, read from its build cache. A missing or unreadable
    /// file gives an empty store: the cache is an optimisation, never an error.
    pub fn open(root: &Path) -> Highlights {
        let file = root.join(CACHE_DIR).join(FILE);
        let parsed = std::fs::read(&file).ok().and_then(|bytes| parse(&bytes));
        let cold = parsed.is_none();
        let (generation, stored) = parsed.unwrap_or_default();
        Highlights {
            file: Some(file),
            stored,
            generation,
            cold,
            ..Highlights::default()
        }
    }

    /// One store shared by the unit tests of Markdown, which render without a site.
    #[cfg(test)]
    pub(crate) fn for_tests() -> &'static Highlights {
        static SHARED: std::sync::OnceLock<Highlights> = std::sync::OnceLock::new();
        SHARED.get_or_init(Highlights::default)
    }

    /// Whether nothing was cached for this site: every code block will be highlighted now.
    pub fn is_cold(&self) -> bool {
        self.cold
    }

    /// The HTML of `code` in `language`: from the cache, or made by `highlight` and kept.
    pub(crate) fn get(
        &self,
        language: &str,
        code: &str,
        highlight: impl FnOnce() -> String,
    ) -> Arc<str> {
        let key = key(language, code);
        let found = self
            .used
            .lock()
            .ok()
            .and_then(|used| used.get(&key).cloned());
        let found = found.or_else(|| self.stored.get(&key).map(|e| e.html.clone()));
        let html = match found {
            Some(html) => {
                self.cached.fetch_add(1, Ordering::Relaxed);
                html
            }
            None => {
                self.highlighted.fetch_add(1, Ordering::Relaxed);
                Arc::from(highlight())
            }
        };
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, html.clone());
        }
        html
    }

    /// How this store's blocks were highlighted so far.
    pub fn counts(&self) -> HighlightCounts {
        HighlightCounts {
            cached: self.cached.load(Ordering::Relaxed),
            highlighted: self.highlighted.load(Ordering::Relaxed),
        }
    }

    /// Writes the cache file when it would change: a block was highlighted, an entry went
    /// unused, or the file was missing or unreadable. Failing to write is not an error.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let Ok(used) = self.used.lock() else { return };
        let unchanged = !self.cold
            && used.len() == self.stored.len()
            && used.keys().all(|k| self.stored.contains_key(k));
        if unchanged {
            return;
        }
        let generation = self.generation.wrapping_add(1);
        let mut entries: Vec<(u128, Entry)> = used
            .iter()
            .map(|(k, html)| {
                let entry = Entry {
                    html: html.clone(),
                    used_in: generation,
                };
                (*k, entry)
            })
            .collect();
        entries.extend(
            self.stored
                .iter()
                .filter(|(k, e)| {
                    !used.contains_key(*k) && generation.wrapping_sub(e.used_in) <= KEEP_UNUSED
                })
                .map(|(k, e)| (*k, e.clone())),
        );
        store(file, &serialize(generation, entries));
    }
}

/// The key of `code` in `language`: stable across runs and versions (XXH3-128).
fn key(language: &str, code: &str) -> u128 {
    crate::hash::content_hash(&[language.as_bytes(), code.as_bytes()])
}

/// The file's bytes: the header, the generation, then each entry as its key, the generation
/// that last used it, and its HTML's length and bytes, most recently used first (key order
/// among equals, so the same entries give the same bytes), cut at [`MAX_BYTES`].
fn serialize(generation: u32, mut entries: Vec<(u128, Entry)>) -> Vec<u8> {
    entries.sort_unstable_by(|(ka, a), (kb, b)| {
        let age = |e: &Entry| generation.wrapping_sub(e.used_in);
        age(a).cmp(&age(b)).then(ka.cmp(kb))
    });
    let mut total = 0;
    entries.retain(|(_, e)| {
        total += e.html.len();
        total <= MAX_BYTES
    });
    let size: usize = entries.iter().map(|(_, e)| 24 + e.html.len()).sum();
    let mut out = Vec::with_capacity(HEADER.len() + 8 + size);
    out.extend_from_slice(HEADER.as_bytes());
    out.extend_from_slice(&generation.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (key, entry) in &entries {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&entry.used_in.to_le_bytes());
        out.extend_from_slice(&(entry.html.len() as u32).to_le_bytes());
        out.extend_from_slice(entry.html.as_bytes());
    }
    out
}

/// The generation and entries of a cache file; `None` when it is not one this kbsite wrote
/// whole (another format or highlighter, cut short, not UTF-8).
fn parse(bytes: &[u8]) -> Option<(u32, FastMap<u128, Entry>)> {
    let mut rest = bytes.strip_prefix(HEADER.as_bytes())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let generation = u32::from_le_bytes(take(4)?.try_into().ok()?);
    let count = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
    let mut entries = FastMap::default();
    for _ in 0..count {
        let key = u128::from_le_bytes(take(16)?.try_into().ok()?);
        let used_in = u32::from_le_bytes(take(4)?.try_into().ok()?);
        let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let html = std::str::from_utf8(take(len)?).ok()?;
        entries.insert(
            key,
            Entry {
                html: Arc::from(html),
                used_in,
            },
        );
    }
    take(1).is_none().then_some((generation, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    fn highlight_once(store: &Highlights, lang: &str, code: &str) -> String {
        store
            .get(lang, code, || format!("<b>{lang}:{code}</b>"))
            .to_string()
    }

    #[test]
    fn a_second_store_of_the_site_answers_from_the_file() {
        let dir = site();
        let first = Highlights::open(dir.path());
        assert!(first.is_cold());
        assert_eq!(
            highlight_once(&first, "yaml", "a: 1\n"),
            "<b>yaml:a: 1\n</b>"
        );
        assert_eq!(
            first.counts(),
            HighlightCounts {
                cached: 0,
                highlighted: 1
            }
        );
        first.save();
        let second = Highlights::open(dir.path());
        assert!(!second.is_cold());
        let html = second.get("yaml", "a: 1\n", || panic!("highlighted again"));
        assert_eq!(&*html, "<b>yaml:a: 1\n</b>");
        // Another language is another entry.
        highlight_once(&second, "toml", "a: 1\n");
        assert_eq!(
            second.counts(),
            HighlightCounts {
                cached: 1,
                highlighted: 1
            }
        );
    }

    #[test]
    fn an_unchanged_build_does_not_write_the_file() {
        let dir = site();
        let first = Highlights::open(dir.path());
        highlight_once(&first, "yaml", "a: 1\n");
        first.save();
        let file = dir.path().join(CACHE_DIR).join(FILE);
        let before = std::fs::read(&file).expect("written");
        let stamp = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
        let second = Highlights::open(dir.path());
        highlight_once(&second, "yaml", "a: 1\n");
        second.save();
        assert_eq!(std::fs::read(&file).expect("kept"), before);
        assert_eq!(
            std::fs::metadata(&file).and_then(|m| m.modified()).ok(),
            stamp
        );
    }

    #[test]
    fn a_corrupt_or_foreign_file_is_ignored_and_written_again() {
        let dir = site();
        let first = Highlights::open(dir.path());
        highlight_once(&first, "yaml", "a: 1\n");
        first.save();
        let file = dir.path().join(CACHE_DIR).join(FILE);
        let good = std::fs::read(&file).expect("written");
        for bad in [
            good[..good.len() - 3].to_vec(),
            [&good[..], b"x"].concat(),
            good.replace_header("syntect 5.3.0", "syntect 9.9.9"),
            b"garbage".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&file, &bad).expect("spoil");
            let store = Highlights::open(dir.path());
            assert!(store.is_cold());
            assert_eq!(
                highlight_once(&store, "yaml", "a: 1\n"),
                "<b>yaml:a: 1\n</b>"
            );
            assert_eq!(store.counts().highlighted, 1);
            store.save();
            assert_eq!(std::fs::read(&file).expect("rewritten").len(), good.len());
            assert!(!Highlights::open(dir.path()).is_cold());
        }
    }

    trait ReplaceHeader {
        fn replace_header(&self, from: &str, to: &str) -> Vec<u8>;
    }

    impl ReplaceHeader for Vec<u8> {
        fn replace_header(&self, from: &str, to: &str) -> Vec<u8> {
            let header = HEADER.replace(from, to);
            [header.as_bytes(), &self[HEADER.len()..]].concat()
        }
    }

    #[test]
    fn entries_unused_for_many_builds_are_dropped() {
        let dir = site();
        let store = Highlights::open(dir.path());
        highlight_once(&store, "yaml", "old: 1\n");
        store.save();
        for build in 1..=KEEP_UNUSED + 1 {
            let store = Highlights::open(dir.path());
            highlight_once(&store, "yaml", &format!("new: {build}\n"));
            store.save();
            let kept = Highlights::open(dir.path());
            let old = kept.stored.contains_key(&key("yaml", "old: 1\n"));
            assert_eq!(old, build <= KEEP_UNUSED, "after {build} builds");
        }
    }

    #[test]
    fn the_file_keeps_the_most_recently_used_within_its_size() {
        let big = |n: u32| Entry {
            html: Arc::from("x".repeat(MAX_BYTES / 2 - 1)),
            used_in: n,
        };
        let bytes = serialize(10, vec![(1, big(8)), (2, big(10)), (3, big(9))]);
        let (generation, entries) = parse(&bytes).expect("parses");
        assert_eq!(generation, 10);
        let mut keys: Vec<u128> = entries.keys().copied().collect();
        keys.sort();
        assert_eq!(keys, vec![2, 3]);
    }

    #[test]
    fn the_header_names_the_syntect_of_cargo_lock() {
        let lock = include_str!("../../Cargo.lock");
        let version = lock
            .split("\n[[package]]\n")
            .find(|p| p.starts_with("name = \"syntect\"\n"))
            .and_then(|p| p.lines().nth(1))
            .and_then(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .expect("syntect in Cargo.lock");
        assert!(
            HEADER.contains(&format!("\nsyntect {version}\n")),
            "update HEADER in highlight_cache.rs to syntect {version}"
        );
        assert!(HEADER.contains(&format!(
            "\nclasses {}\n",
            super::super::highlight::CLASS_PREFIX
        )));
    }
}
