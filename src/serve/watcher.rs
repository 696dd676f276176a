//! Watching the site's sources: `content/`, `templates/`, `themes/`, `static/`, `sass/` and
//! `kbsite.yaml`, through a debouncer, so a burst of saves (or an editor's write-to-temp-and-
//! rename dance) becomes one rebuild with every path that changed.

use std::path::{Path, PathBuf};

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::content::load::is_ignored_name;
use crate::error::{Error, Result};

/// Keeps watching while it lives.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Calls `on_change` with the changed paths after each burst of changes under `root`.
/// Editor leftovers (swap and backup files) are left out; a burst of nothing else is no change.
pub fn watch(root: &Path, on_change: impl Fn(Vec<PathBuf>) + Send + 'static) -> Result<Watcher> {
    // Events about the watched folders themselves (their times change when files inside do)
    // are not changes of the site.
    let folders: Vec<PathBuf> = [
        "content",
        "templates",
        "themes",
        "static",
        "snippets",
        "sass",
    ]
    .iter()
    .map(|d| root.join(d))
    .collect();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else {
            return;
        };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.paths.iter().cloned())
            .filter(|p| !(folders.contains(p) && p.is_dir()))
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
    for dir in [
        "content",
        "templates",
        "themes",
        "static",
        "snippets",
        "sass",
    ] {
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
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

fn watch_error(path: &Path, e: notify_debouncer_full::notify::Error) -> Error {
    Error::io("watch", path, std::io::Error::other(e.to_string()))
}
