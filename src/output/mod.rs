//! The only module that writes files.
//!
//! A build writes into a staging folder beside the output and swaps it in only after
//! everything succeeded, so a failed build leaves the previous site untouched. kbsite marks the
//! folders it creates and refuses to replace a folder without its mark.

mod disk;

pub use disk::{
    LockWait, MARKER_FILE, StagedOutput, check_replaceable as check_replaceable_output,
};

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where the bytes of a copied file come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSource {
    /// A file on disk.
    File(PathBuf),
    /// A file built into the binary (the default theme).
    Embedded(&'static [u8]),
    /// Bytes made by the build (compiled Sass, minified CSS).
    Generated(std::sync::Arc<Vec<u8>>),
}

/// A file copied into the output as it is: a file of `static/` or of the theme, an
/// attachment, compiled Sass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFile {
    /// Output path.
    pub path: String,
    /// Where the bytes are.
    pub source: FileSource,
}

/// Whether `path` is a safe relative output path: no empty, `.` or `..` components, no
/// backslashes or NUL, not absolute.
pub fn is_safe_output_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// Updates a built output folder in place after a rebuild (`kbsite watch`): each of `changed`
/// is written with the bytes `get` gives, or removed when `get` gives nothing. Each file is
/// written to a temporary name and renamed, so no reader sees half a file. The folder must
/// carry kbsite's mark.
pub fn update_in_place(
    dir: &Path,
    changed: &[String],
    get: &dyn Fn(&str) -> Option<std::io::Result<Vec<u8>>>,
) -> Result<()> {
    // A build in another terminal swaps the folder whole; wait for it, then write into the
    // folder it left.
    let _lock = disk::OutputLock::acquire(dir, &|| {})?;
    check_replaceable_output(dir)?;
    for rel in changed {
        if !is_safe_output_path(rel) {
            continue;
        }
        let path = dir.join(rel);
        match get(rel) {
            Some(Ok(bytes)) => {
                if std::fs::read(&path).is_ok_and(|old| old == bytes) {
                    continue;
                }
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| Error::io("create folder", parent, e))?;
                }
                let temp = path.with_file_name(format!(
                    ".{}.kbsite-new",
                    path.file_name().and_then(|n| n.to_str()).unwrap_or("file")
                ));
                std::fs::write(&temp, &bytes).map_err(|e| Error::io("write", &temp, e))?;
                std::fs::rename(&temp, &path).map_err(|e| Error::io("write", &path, e))?;
            }
            Some(Err(e)) => return Err(Error::io("read", Path::new(rel), e)),
            None => {
                if path.is_file() {
                    std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
                }
                // Folders left empty go too, up to the output folder.
                let mut parent = path.parent();
                while let Some(p) = parent {
                    if p == dir || std::fs::remove_dir(p).is_err() {
                        break;
                    }
                    parent = p.parent();
                }
            }
        }
    }
    Ok(())
}
