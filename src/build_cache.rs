//! The build cache (`.kbsite-cache/` in the site root): work an earlier build did that a later
//! one can reuse, each entry named by a hash of its inputs. That is the social cards, which
//! take milliseconds each to draw (a site of thousands of articles draws only the cards of new
//! or renamed articles), and the resized copies of pictures, which take tens of milliseconds
//! each.
//!
//! The cache is an optimisation only: an entry that cannot be read is drawn again, one that
//! cannot be written is skipped.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::output::FileSource;
use crate::output::StagedOutput;
use crate::render::{CardDrawer, CardJob};
use crate::site::images::{ResizeJob, ResizedCopy};

/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".kbsite-cache";

/// How the cards of one build were made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardCounts {
    /// Drawn by this build.
    pub drawn: usize,
    /// Copied from the cache.
    pub cached: usize,
    /// Kept from the previous output as they were.
    pub kept: usize,
}

/// Where the cache keeps a card.
fn cached_path(root: &Path, job: &CardJob) -> PathBuf {
    let name = job.path.rsplit('/').next().unwrap_or(&job.path);
    root.join(CACHE_DIR).join("social").join(name)
}

/// Puts every card into the output: kept from the previous output, else copied from the
/// cache, else drawn (and stored in the cache).
pub fn write_cards(
    root: &Path,
    drawer: &CardDrawer,
    jobs: &[&CardJob],
    staged: &StagedOutput,
) -> Result<CardCounts> {
    // Two articles of one title in one section share a card: it is made once.
    let mut unique: Vec<&CardJob> = jobs.to_vec();
    unique.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    unique.dedup_by(|a, b| a.path == b.path);
    let results: Vec<Result<u8>> = unique
        .par_iter()
        .map(|job| {
            if staged.keep(&job.path)? {
                return Ok(0);
            }
            let (bytes, drawn) = card_bytes(root, drawer, job)?;
            staged.write(&job.path, &bytes)?;
            Ok(if drawn { 2 } else { 1 })
        })
        .collect();
    let mut counts = CardCounts::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(0) => counts.kept += 1,
            Ok(1) => counts.cached += 1,
            Ok(_) => counts.drawn += 1,
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    Ok(counts)
}

/// The PNG of one card: from the cache when it has it, else drawn and stored there. The
/// flag tells whether it was drawn.
pub fn card_bytes(root: &Path, drawer: &CardDrawer, job: &CardJob) -> Result<(Vec<u8>, bool)> {
    let cached = cached_path(root, job);
    if let Ok(bytes) = std::fs::read(&cached) {
        return Ok((bytes, false));
    }
    let bytes = drawer.draw(job)?;
    store(&cached, &bytes);
    Ok((bytes, true))
}

/// Writes a cache entry under a temporary name and renames it, so a build running at the same
/// time never reads half a card.
fn store(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&temp, bytes).is_ok() && std::fs::rename(&temp, path).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}

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
pub fn write_images(root: &Path, jobs: &[ResizeJob], staged: &StagedOutput) -> Result<ImageCounts> {
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
    let copies = crate::picture::resize(&bytes, job.format, &widths).map_err(|message| {
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
