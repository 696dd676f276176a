//! What the last build into an output folder rendered, kept in the build cache so the next
//! build renders only the files whose inputs changed and carries the others over from the
//! output it replaces: most builds of a knowledge base follow a few edits, and rendering
//! pages nobody touched was most of their time.
//!
//! Each output file is recorded with its fingerprint (a hash of everything its template reads,
//! see `fingerprint`, the same the live preview renders again by) and a hash of the bytes
//! rendered. A file is carried over only when its fingerprint is the same now and the output
//! still holds exactly those bytes, so a file changed or removed by hand is rendered again, and
//! so is every file after an upgrade of kbsite: fingerprints are only comparable within one
//! build of kbsite, whose `KBSITE_BUILD_ID` names the record.
//!
//! An unreadable, cut-short or foreign record is ignored: everything is rendered.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Fingerprints;
use crate::build_cache::{CACHE_DIR, store};
use crate::hash::FastMap;

/// The build of kbsite (set by `build.rs`; documentation tests, which cargo compiles without
/// it, never build a site).
const BUILD_ID: &str = match option_env!("KBSITE_BUILD_ID") {
    Some(id) => id,
    None => "unnamed",
};

/// The record's first bytes: its format and the build of kbsite whose fingerprints it holds.
fn header() -> String {
    format!("kbsite rendered files 1\n{BUILD_ID}\n")
}

/// What one output file was rendered from, and what it held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    fingerprint: u64,
    bytes: u128,
}

/// The last build's record for one output folder, and this build's, made as files are
/// rendered or carried over.
#[derive(Debug)]
pub(crate) struct LastBuild {
    file: PathBuf,
    previous: FastMap<String, Record>,
    /// The hash of the bytes of each file this build wrote or kept.
    now: Mutex<FastMap<String, u128>>,
}

impl LastBuild {
    /// The record of the last build of the site at `root` into `output`.
    pub(crate) fn open(root: &Path, output: &Path) -> LastBuild {
        let name = crate::hash::content_hash(&[output.as_os_str().as_encoded_bytes()]);
        let file = root
            .join(CACHE_DIR)
            .join("rendered")
            .join(format!("{:016x}.bin", name as u64));
        let previous = std::fs::read(&file)
            .ok()
            .and_then(|bytes| parse(&bytes))
            .unwrap_or_default();
        LastBuild {
            file,
            previous,
            now: Mutex::new(FastMap::default()),
        }
    }

    /// The fingerprint of each file of the last build, for `Renderer::render_reusing`.
    pub(crate) fn fingerprints(&self) -> Fingerprints {
        self.previous
            .iter()
            .map(|(path, r)| (path.clone(), r.fingerprint))
            .collect()
    }

    /// Notes that this build wrote `bytes` at `path`.
    pub(crate) fn wrote(&self, path: &str, bytes: &[u8]) {
        let hash = content_hash(bytes);
        if let Ok(mut now) = self.now.lock() {
            now.insert(path.to_string(), hash);
        }
    }

    /// Whether `published`, the bytes of `path` in the output being replaced, are what the
    /// last build rendered there; when they are, this build keeps them.
    pub(crate) fn holds_rendered(&self, path: &str, published: &[u8]) -> bool {
        let Some(record) = self.previous.get(path) else {
            return false;
        };
        let hash = content_hash(published);
        if hash != record.bytes {
            return false;
        }
        if let Ok(mut now) = self.now.lock() {
            now.insert(path.to_string(), hash);
        }
        true
    }

    /// Writes this build's record: `fingerprints` of every rendered file, with the bytes each
    /// file now holds. Written only when it differs from the last one; a failure to write is
    /// not an error (the next build renders everything).
    pub(crate) fn save(&self, fingerprints: &Fingerprints) {
        let Ok(now) = self.now.lock() else { return };
        let records: FastMap<String, Record> = fingerprints
            .iter()
            .filter_map(|(path, &fingerprint)| {
                let bytes = *now.get(path)?;
                Some((path.clone(), Record { fingerprint, bytes }))
            })
            .collect();
        if records != self.previous {
            store(&self.file, &serialize(&records));
        }
    }
}

fn content_hash(bytes: &[u8]) -> u128 {
    crate::hash::content_hash(&[bytes])
}

/// The record's bytes: the header, the number of files, then each file's path (its length
/// and bytes), fingerprint and bytes' hash, in path order.
fn serialize(records: &FastMap<String, Record>) -> Vec<u8> {
    let mut sorted: Vec<(&String, &Record)> = records.iter().collect();
    sorted.sort_unstable_by_key(|(path, _)| *path);
    let size: usize = sorted.iter().map(|(p, _)| p.len() + 28).sum();
    let header = header();
    let mut out = Vec::with_capacity(header.len() + 4 + size);
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&(sorted.len() as u32).to_le_bytes());
    for (path, record) in sorted {
        out.extend_from_slice(&(path.len() as u32).to_le_bytes());
        out.extend_from_slice(path.as_bytes());
        out.extend_from_slice(&record.fingerprint.to_le_bytes());
        out.extend_from_slice(&record.bytes.to_le_bytes());
    }
    out
}

/// The records of a file [`serialize`] wrote whole with this build of kbsite.
fn parse(bytes: &[u8]) -> Option<FastMap<String, Record>> {
    let mut rest = bytes.strip_prefix(header().as_bytes())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let count = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
    let mut records = FastMap::default();
    for _ in 0..count {
        let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let path = std::str::from_utf8(take(len)?).ok()?.to_string();
        let fingerprint = u64::from_le_bytes(take(8)?.try_into().ok()?);
        let bytes = u128::from_le_bytes(take(16)?.try_into().ok()?);
        records.insert(path, Record { fingerprint, bytes });
    }
    take(1).is_none().then_some(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prints(entries: &[(&str, u64)]) -> Fingerprints {
        entries.iter().map(|(p, f)| (p.to_string(), *f)).collect()
    }

    #[test]
    fn a_file_is_kept_only_with_the_bytes_it_was_rendered_with() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = LastBuild::open(dir.path(), &out);
        assert!(first.fingerprints().is_empty());
        first.wrote("a/index.html", b"A");
        first.wrote("b/index.html", b"B");
        first.save(&prints(&[("a/index.html", 1), ("b/index.html", 2)]));

        let second = LastBuild::open(dir.path(), &out);
        assert_eq!(
            second.fingerprints(),
            prints(&[("a/index.html", 1), ("b/index.html", 2)])
        );
        assert!(second.holds_rendered("a/index.html", b"A"));
        assert!(!second.holds_rendered("b/index.html", b"B, edited by hand"));
        assert!(!second.holds_rendered("c/index.html", b"C"));
        second.wrote("b/index.html", b"B2");
        second.save(&prints(&[("a/index.html", 1), ("b/index.html", 3)]));

        let third = LastBuild::open(dir.path(), &out);
        assert!(third.holds_rendered("a/index.html", b"A"));
        assert!(third.holds_rendered("b/index.html", b"B2"));
        assert_eq!(third.fingerprints()["b/index.html"], 3);

        // Another output folder has a record of its own.
        assert!(
            LastBuild::open(dir.path(), &dir.path().join("other"))
                .fingerprints()
                .is_empty()
        );
    }

    #[test]
    fn a_spoilt_or_foreign_record_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = LastBuild::open(dir.path(), &out);
        first.wrote("a/index.html", b"A");
        first.save(&prints(&[("a/index.html", 1)]));
        let file = first.file.clone();
        let whole = std::fs::read(&file).unwrap();
        let foreign = [
            header().replace(BUILD_ID, "0000").as_bytes(),
            &whole[header().len()..],
        ]
        .concat();
        for spoilt in [&whole[..whole.len() - 1], &foreign[..], b"x"] {
            std::fs::write(&file, spoilt).unwrap();
            let again = LastBuild::open(dir.path(), &out);
            assert!(again.fingerprints().is_empty());
            assert!(!again.holds_rendered("a/index.html", b"A"));
        }
    }
}
