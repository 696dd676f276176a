//! The build cache (`.kbsite-cache/` in the site root): work an earlier build did that a later
//! one can reuse, each entry named by a hash of its inputs. Its users keep their own entries
//! (social cards in `cards::cache`, resized pictures in `images::cache`); this is the folder
//! and the safe way to write an entry.
//!
//! The cache is an optimisation only: an entry that cannot be read is made again, one that
//! cannot be written is skipped.

use std::path::Path;

/// The cache folder, relative to the site root.
pub(crate) const CACHE_DIR: &str = ".kbsite-cache";

/// Writes a cache entry under a temporary name and renames it, so a build running at the same
/// time never reads half an entry.
pub(crate) fn store(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&temp, bytes).is_ok() && std::fs::rename(&temp, path).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}
