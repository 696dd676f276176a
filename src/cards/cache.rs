//! Social cards kept in the build cache (`.kbsite-cache/social/`) under their published
//! names, which hash everything drawn: a site of thousands of articles draws only the cards
//! of new or renamed articles.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::jobs::{CardDrawer, CardJob};
use crate::build_cache::{CACHE_DIR, store};
use crate::error::{Error, Result};
use crate::output::StagedOutput;

/// How the cards of one build were made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardCounts {
    /// Drawn by this build.
    pub drawn: usize,
    /// Linked or copied from the cache.
    pub cached: usize,
    /// Kept from the previous output as they were.
    pub kept: usize,
}

/// Where the cache keeps a card.
fn cached_path(root: &Path, job: &CardJob) -> PathBuf {
    let name = job.path.rsplit('/').next().unwrap_or(&job.path);
    root.join(CACHE_DIR).join("social").join(name)
}

/// Puts every card into the output: kept from the previous output, else linked (or copied)
/// from the cache, else drawn, stored in the cache and linked from there.
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
            // The cache's file, linked: one file fewer to create than a copy.
            staged.link_or_write(&job.path, &cached_path(root, job), &bytes)?;
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
