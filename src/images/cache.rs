//! Resized copies of pictures kept in the build cache (`.kbsite-cache/images/`), each named
//! by a hash of the picture, its width and the encoder settings: resizing takes tens of
//! milliseconds a picture, so a build resizes only new or changed pictures.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::resize;
use super::table::{ResizeJob, ResizedCopy};
use crate::build_cache::{CACHE_DIR, store};
use crate::error::{Error, Result};
use crate::output::{FileSource, StagedOutput};

/// How the resized copies of pictures of one build were made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageCounts {
    /// Resized by this build.
    pub resized: usize,
    /// Copied from the cache.
    pub cached: usize,
    /// Kept from the previous output as they were.
    pub kept: usize,
}

/// Where the cache keeps a resized copy.
fn cached_copy_path(root: &Path, copy: &ResizedCopy, ext: &str) -> PathBuf {
    root.join(CACHE_DIR)
        .join("images")
        .join(format!("{:032x}.{ext}", copy.key))
}

/// Puts every resized copy into the output: kept from the previous output, else copied from
/// the cache, else made (and stored in the cache). Pictures are resized in parallel, each
/// decoded once for all its missing widths; every copy has a path of its own, so the output
/// does not depend on the order they finish in.
pub(crate) fn write_images(
    root: &Path,
    jobs: &[ResizeJob],
    staged: &StagedOutput,
) -> Result<ImageCounts> {
    let results: Vec<Result<ImageCounts>> = jobs
        .par_iter()
        .map(|job| write_copies(root, job, staged))
        .collect();
    let mut counts = ImageCounts::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(c) => {
                counts.resized += c.resized;
                counts.cached += c.cached;
                counts.kept += c.kept;
            }
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    Ok(counts)
}

fn write_copies(root: &Path, job: &ResizeJob, staged: &StagedOutput) -> Result<ImageCounts> {
    let ext = job.format.extension();
    let mut counts = ImageCounts::default();
    let mut missing: Vec<&ResizedCopy> = Vec::new();
    for copy in &job.copies {
        if staged.keep(&copy.path)? {
            counts.kept += 1;
        } else if let Ok(bytes) = std::fs::read(cached_copy_path(root, copy, ext)) {
            staged.write(&copy.path, &bytes)?;
            counts.cached += 1;
        } else {
            missing.push(copy);
        }
    }
    if missing.is_empty() {
        return Ok(counts);
    }
    let (bytes, from) = match &job.source {
        FileSource::File(p) => (
            std::fs::read(p).map_err(|e| Error::io("read", p, e))?,
            p.clone(),
        ),
        FileSource::Embedded(b) => (b.to_vec(), PathBuf::from(&job.path)),
        FileSource::Generated(b) => (b.to_vec(), PathBuf::from(&job.path)),
    };
    let widths: Vec<u32> = missing.iter().map(|c| c.width).collect();
    let copies = resize::resize(&bytes, job.format, &widths).map_err(|message| {
        Error::io(
            "resize",
            &from,
            std::io::Error::new(std::io::ErrorKind::InvalidData, message),
        )
    })?;
    for (copy, bytes) in missing.into_iter().zip(copies) {
        staged.write(&copy.path, &bytes)?;
        store(&cached_copy_path(root, copy, ext), &bytes);
        counts.resized += 1;
    }
    Ok(counts)
}
