//! Watching the site's sources (the folders of [`crate::sources::ALL`] and `kbsite.yaml`)
//! through a debouncer, so a burst of saves (or an editor's write-to-temp-and-
//! rename dance) becomes one rebuild with every path that changed.

use std::path::{Path, PathBuf};

use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::content::load::is_ignored_name;
use crate::error::{Error, Result};

type SharedDebouncer =
    std::sync::Arc<std::sync::Mutex<Option<Debouncer<RecommendedWatcher, RecommendedCache>>>>;

/// Keeps watching while it lives.
pub(super) struct Watcher {
    _debouncer: SharedDebouncer,
}

/// Calls `on_change` with the changed paths after each burst of changes under `root`.
/// Editor leftovers (swap and backup files) are left out; a burst of nothing else is no change.
///
/// A source folder that is moved away and back, or deleted and made again (`git checkout`,
/// `git stash`, an editor's "save all"), is a new folder to the operating system: its watch is
/// set up again, and the folder itself is reported so that the site is read again from what
/// is on disk.
pub(super) fn watch(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher> {
    let folders: Vec<PathBuf> = crate::sources::ALL.iter().map(|d| root.join(d)).collect();
    let config = root.join(crate::config::CONFIG_FILE);
    // The site folder itself is watched for its config only: a log file, the output or its
    // lock written there is no change of the site (and a rebuild that logs into the site
    // folder would otherwise set off the next one, for ever).
    let is_source = move |p: &Path| *p == config || folders.iter().any(|f| p.starts_with(f));
    let folders: Vec<PathBuf> = crate::sources::ALL.iter().map(|d| root.join(d)).collect();
    let shared: SharedDebouncer = SharedDebouncer::default();
    let rearm = shared.clone();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else {
            return;
        };
        // A source folder that appeared (again) is watched anew and read whole.
        let mut appeared: Vec<PathBuf> = events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
                )
            })
            .flat_map(|e| e.paths.iter())
            .filter(|p| folders.contains(p) && p.is_dir())
            .cloned()
            .collect();
        appeared.sort();
        appeared.dedup();
        if !appeared.is_empty()
            && let Ok(mut guard) = rearm.lock()
            && let Some(debouncer) = guard.as_mut()
        {
            for folder in &appeared {
                let _ = debouncer.unwatch(folder);
                let _ = debouncer.watch(folder, RecursiveMode::Recursive);
            }
        }
        // Other events about the watched folders themselves (their times change when files
        // inside do) are not changes of the site.
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.paths.iter().cloned())
            .filter(|p| is_source(p))
            .filter(|p| !(folders.contains(p) && p.is_dir()) || appeared.contains(p))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_none_or(|n| !is_ignored_name(n))
            })
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            on_change(paths);
        }
    };
    let mut debouncer =
        new_debouncer(super::DEBOUNCE, None, handler).map_err(|e| watch_error(root, e))?;
    for dir in crate::sources::ALL {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, e))?;
        }
    }
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(root, e))?;
    if let Ok(mut slot) = shared.lock() {
        *slot = Some(debouncer);
    }
    Ok(Watcher { _debouncer: shared })
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // The handler holds the debouncer too; take it out and let it go outside the lock, so
        // a handler waiting for the lock is never waited for in turn.
        let debouncer = self._debouncer.lock().ok().and_then(|mut d| d.take());
        drop(debouncer);
    }
}

fn watch_error(path: &Path, e: notify_debouncer_full::notify::Error) -> Error {
    Error::io("watch", path, std::io::Error::other(e.to_string()))
}
