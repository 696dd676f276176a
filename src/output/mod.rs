//! The only module that writes files.
//!
//! A build writes into a staging folder beside the output and swaps it in only after
//! everything succeeded, so a failed build leaves the previous site untouched. kbsite marks the
//! folders it creates and refuses to replace a folder without its mark.

mod disk;

pub use disk::{MARKER_FILE, StagedOutput, check_replaceable as check_replaceable_output};

use std::path::PathBuf;

/// Where the bytes of a copied file come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetSource {
    /// A file on disk.
    File(PathBuf),
    /// A file built into the binary (the default theme).
    Embedded(&'static [u8]),
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
