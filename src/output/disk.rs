//! Staged, atomic writing of the output folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Location, Result};
use crate::output::AssetSource;
use crate::output::is_safe_output_path;

/// The file that marks a folder as kbsite's output, safe to replace.
pub const MARKER_FILE: &str = ".kbsite-output";
const MARKER_TEXT: &[u8] = b"This folder is written by kbsite; it is replaced on every build.\n";

/// An output folder being built.
#[derive(Debug)]
pub struct StagedOutput {
    staging: PathBuf,
    target: PathBuf,
    files: AtomicUsize,
    committed: bool,
}

fn sibling(target: &Path, kind: &str, id: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.kbsite-{kind}{id}"))
}

/// Whether `dir` is a folder kbsite may replace: absent, empty, or carrying the marker.
pub fn check_replaceable(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("inspect", dir, e)),
        Ok(meta) if !meta.is_dir() => Err(Error::ForeignOutput {
            path: dir.to_path_buf(),
        }),
        Ok(_) => {
            if dir.join(MARKER_FILE).is_file() {
                return Ok(());
            }
            let mut entries = fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(Error::ForeignOutput {
                    path: dir.to_path_buf(),
                })
            }
        }
    }
}

impl StagedOutput {
    /// Starts a build of `target`: checks it may be replaced, clears stale staging folders of
    /// killed builds, and creates a fresh staging folder.
    pub fn begin(target: &Path) -> Result<StagedOutput> {
        check_replaceable(target)?;
        let parent = target.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        remove_stale(target);
        let staging = sibling(target, "staging-", &std::process::id().to_string());
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| Error::io("remove", &staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| Error::io("create folder", &staging, e))?;
        fs::write(staging.join(MARKER_FILE), MARKER_TEXT)
            .map_err(|e| Error::io("write", &staging, e))?;
        Ok(StagedOutput {
            staging,
            target: target.to_path_buf(),
            files: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// The folder being written.
    pub fn staging_dir(&self) -> &Path {
        &self.staging
    }

    fn checked_path(&self, rel: &str) -> Result<PathBuf> {
        if !is_safe_output_path(rel) {
            return Err(Error::UnsafePath {
                at: Location::file(Path::new(rel)).into(),
                message: format!("refusing to write `{rel}`: it would leave the output folder"),
            });
        }
        Ok(self.staging.join(rel))
    }

    /// Writes one file (`rel` is `/`-separated, relative to the output root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.checked_path(rel)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io("write", &path, e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Copies one file into the output.
    pub fn copy(&self, rel: &str, source: &AssetSource) -> Result<()> {
        match source {
            AssetSource::Embedded(bytes) => self.write(rel, bytes),
            AssetSource::File(from) => {
                let path = self.checked_path(rel)?;
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
                }
                fs::copy(from, &path).map_err(|e| Error::io("copy", from, e))?;
                self.files.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
        }
    }

    /// Files written so far.
    pub fn files_written(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Swaps the staging folder in place of the target; the old output is removed afterwards.
    pub fn commit(mut self) -> Result<usize> {
        // Check again: something may have been put there while the site was building.
        check_replaceable(&self.target)?;
        let old = sibling(&self.target, "old-", &std::process::id().to_string());
        let had_old = self.target.exists();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(|e| Error::io("remove", &old, e))?;
            }
            fs::rename(&self.target, &old).map_err(|e| Error::io("move aside", &self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io("move into place", &self.staging, e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(|e| Error::io("remove old output", &old, e))?;
        }
        Ok(self.files_written())
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Removes staging and old folders left by builds that were killed, if they carry the marker.
fn remove_stale(target: &Path) {
    let Some(parent) = target.parent() else {
        return;
    };
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = format!(".{name}.kbsite-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&prefix) && entry.path().join(MARKER_FILE).is_file() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_swaps_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let out = StagedOutput::begin(&target).unwrap();
        out.write("a/index.html", b"one").unwrap();
        out.commit().unwrap();
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");

        let out = StagedOutput::begin(&target).unwrap();
        out.write("b.html", b"two").unwrap();
        drop(out);
        assert!(target.join("a/index.html").exists(), "old output kept");
        assert!(!target.join("b.html").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left behind");
    }

    #[test]
    fn foreign_folders_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("docs");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("important.txt"), b"x").unwrap();
        assert!(matches!(
            StagedOutput::begin(&target),
            Err(Error::ForeignOutput { .. })
        ));
        assert!(target.join("important.txt").exists());
    }

    #[test]
    fn unsafe_paths_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = StagedOutput::begin(&tmp.path().join("public")).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
            assert!(out.write(bad, b"x").is_err(), "{bad}");
        }
    }
}
