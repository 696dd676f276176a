//! Staged, atomic writing of the output folder, without paying to recreate unchanged files.
//!
//! A build writes into a staging folder beside the output and swaps it in with two renames,
//! so readers never see a half-written site. Creating tens of thousands of files and folders
//! (and deleting the previous tree) costs seconds of system time on a large site, so the tree
//! that was swapped out is kept as `.<name>.kbsite-previous` and becomes the next build's
//! staging folder: unchanged files are left as they are (same bytes, same modification time,
//! which also keeps `rsync` deploys small), changed ones are overwritten in place, and files no
//! longer produced are removed before the swap.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Location, Result};
use crate::output::FileSource;
use crate::output::is_safe_output_path;

/// The file that marks a folder as kbsite's output, safe to replace.
pub const MARKER_FILE: &str = ".kbsite-output";
const MARKER_TEXT: &[u8] = b"This folder is written by kbsite; it is replaced on every build.\n";

/// The right to write an output folder: an OS lock on a file beside it
/// (`.public.kbsite-lock`), so two builds, or a build and `kbsite watch`, never write one
/// folder at once, and neither removes the staging folder the other is filling. The system
/// releases it when the process ends, however it ends, so a killed build never blocks the
/// next one.
#[derive(Debug)]
pub(super) struct OutputLock {
    _file: fs::File,
}

/// What a writer does when another one holds the output's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockWait {
    /// Wait for it (a build started while `kbsite watch` writes).
    #[default]
    Wait,
    /// Stop with [`Error::OutputLocked`] (`--no-wait`, for scripts that must not hang).
    Refuse,
}

impl OutputLock {
    /// Takes the lock of `target`, waiting for the writer that holds it; `on_wait` is called
    /// once before waiting, so a person knows why nothing happens.
    pub(super) fn acquire(target: &Path, on_wait: &dyn Fn()) -> Result<OutputLock> {
        OutputLock::acquire_with(target, LockWait::Wait, on_wait)
    }

    /// [`OutputLock::acquire`] with a choice of waiting or refusing.
    pub(super) fn acquire_with(
        target: &Path,
        wait: LockWait,
        on_wait: &dyn Fn(),
    ) -> Result<OutputLock> {
        let parent = target.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        let path = sibling(target, "lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("open", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) if wait == LockWait::Refuse => {
                return Err(Error::OutputLocked {
                    path: target.to_path_buf(),
                });
            }
            Err(fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(|e| Error::io("lock", &path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
        }
        // The lock is ours: whatever a killed writer left half done is put right first.
        recover_interrupted_swap(target)?;
        Ok(OutputLock { _file: file })
    }
}

/// Puts the last complete output back when a writer was killed between the two renames of
/// its swap (the output moved aside, the new one not yet in place).
fn recover_interrupted_swap(target: &Path) -> Result<()> {
    let previous = sibling(target, "previous");
    if fs::symlink_metadata(target).is_err() && has_marker(&previous) {
        fs::rename(&previous, target).map_err(|e| Error::io("restore", target, e))?;
        sync_parent(target);
    }
    Ok(())
}

/// An output folder being built.
#[derive(Debug)]
pub struct StagedOutput {
    /// Held until the new output is in place (or the build is abandoned).
    _lock: OutputLock,
    staging: PathBuf,
    target: PathBuf,
    /// The staging folder started as an older tree: stale files must be swept.
    recycled: bool,
    /// That tree was a complete output, so a file named by a hash of its bytes holds them
    /// whole (a killed build's staging folder may hold half a file under its final name).
    trusted: bool,
    produced: Mutex<HashSet<String>>,
    files: AtomicUsize,
    changed: AtomicUsize,
    committed: bool,
}

fn sibling(target: &Path, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.kbsite-{kind}"))
}

fn has_marker(dir: &Path) -> bool {
    dir.join(MARKER_FILE).is_file()
}

/// Whether `dir` is a folder kbsite may replace: absent, empty, or carrying the marker.
pub fn check_replaceable(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("inspect", dir, e)),
        Ok(meta) if !meta.is_dir() => Err(Error::ForeignOutput {
            path: dir.to_path_buf(),
        }),
        Ok(_) => {
            if has_marker(dir) {
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
    /// Starts a build of `target`: checks it may be replaced, clears staging folders of killed
    /// builds, and prepares a staging folder (the previous output when there is one).
    pub fn begin(target: &Path) -> Result<StagedOutput> {
        StagedOutput::begin_waiting(target, &|| {})
    }

    /// [`StagedOutput::begin`], calling `on_wait` when another writer holds the output's
    /// lock and this build waits for it.
    pub fn begin_waiting(target: &Path, on_wait: &dyn Fn()) -> Result<StagedOutput> {
        StagedOutput::begin_with(target, LockWait::Wait, on_wait)
    }

    /// [`StagedOutput::begin_waiting`], or refusing to wait with [`LockWait::Refuse`].
    pub fn begin_with(target: &Path, wait: LockWait, on_wait: &dyn Fn()) -> Result<StagedOutput> {
        let lock = OutputLock::acquire_with(target, wait, on_wait)?;
        check_replaceable(target)?;
        let staging = sibling(target, &format!("staging-{}", std::process::id()));
        let previous = sibling(target, "previous");
        // With the lock held no other build is writing: every staging folder is a killed
        // build's. The newest is the tree to recycle when no previous output is kept: it
        // holds the previous output's files, and rewriting them all would give every file a
        // new modification time.
        let mut stale = stale_staging(target);
        let trusted = has_marker(&previous) && fs::rename(&previous, &staging).is_ok();
        let recycled = trusted
            || stale
                .pop()
                .is_some_and(|newest| fs::rename(newest, &staging).is_ok());
        for dir in stale {
            remove_tree(&dir);
        }
        if !recycled {
            if previous.exists() {
                remove_tree(&previous);
            }
            fs::create_dir(&staging).map_err(|e| Error::io("create folder", &staging, e))?;
            fs::write(staging.join(MARKER_FILE), MARKER_TEXT)
                .map_err(|e| Error::io("write", &staging, e))?;
        }
        Ok(StagedOutput {
            _lock: lock,
            staging,
            target: target.to_path_buf(),
            recycled,
            trusted,
            produced: Mutex::new(HashSet::from([MARKER_FILE.to_string()])),
            files: AtomicUsize::new(0),
            changed: AtomicUsize::new(0),
            committed: false,
        })
    }

    fn checked_path(&self, rel: &str) -> Result<PathBuf> {
        if !is_safe_output_path(rel) {
            return Err(Error::unsafe_path(
                Location::file(Path::new(rel)),
                format!("refusing to write `{rel}`: it would leave the output folder"),
            ));
        }
        Ok(self.staging.join(rel))
    }

    /// The bytes of `rel` in the output this build replaces, if it has that file: what a
    /// build carries over instead of making again.
    pub fn published(&self, rel: &str) -> Option<Vec<u8>> {
        if !is_safe_output_path(rel) {
            return None;
        }
        fs::read(self.target.join(rel)).ok()
    }

    fn record(&self, rel: &str) {
        if self.recycled
            && let Ok(mut produced) = self.produced.lock()
        {
            produced.insert(rel.to_string());
        }
        self.files.fetch_add(1, Ordering::Relaxed);
    }

    /// Writes one file (`rel` is `/`-separated, relative to the output root). A file that
    /// already holds these bytes is left alone.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_as(rel, bytes, false)
    }

    /// Puts at `rel` the bytes the output being replaced holds there (read with
    /// [`StagedOutput::published`]): [`StagedOutput::write`] without reading the published
    /// file again to keep its time, since these are its bytes.
    pub fn carry(&self, rel: &str, published: &[u8]) -> Result<()> {
        self.write_as(rel, published, true)
    }

    /// Writes `bytes` at `rel`; `published` says they are the published file's own.
    fn write_as(&self, rel: &str, bytes: &[u8], published: bool) -> Result<()> {
        let path = self.checked_path(rel)?;
        self.record(rel);
        let known = (!published).then_some(bytes);
        if self.recycled && fs::read(&path).is_ok_and(|old| old == bytes) {
            self.keep_time(rel, &path, known);
            return Ok(());
        }
        self.put(rel, &path, bytes, known)
    }

    /// Writes the file `rel` made by `make`, unless the recycled tree's file there already
    /// holds what `make` would give (`same` says so from its bytes): for files dearer to make
    /// than to recognise, such as packed search index files, which name their contents.
    pub fn write_unless_same(
        &self,
        rel: &str,
        same: impl Fn(&[u8]) -> bool,
        make: impl FnOnce() -> Vec<u8>,
    ) -> Result<()> {
        let path = self.checked_path(rel)?;
        self.record(rel);
        if self.recycled
            && let Ok(old) = fs::read(&path)
            && same(&old)
        {
            self.keep_time(rel, &path, Some(&old));
            return Ok(());
        }
        let bytes = make();
        self.put(rel, &path, &bytes, Some(&bytes))
    }

    /// Writes changed bytes at `rel` (checked as `path`); `known` as in
    /// [`StagedOutput::keep_time`].
    fn put(&self, rel: &str, path: &Path, bytes: &[u8], known: Option<&[u8]>) -> Result<()> {
        self.changed.fetch_add(1, Ordering::Relaxed);
        if self.recycled {
            unshare(path);
        }
        if fs::write(path, bytes).is_err() {
            // Folders are made only when missing: one failed open is cheaper than a `mkdir`
            // per file on a tree that mostly exists already. A recycled tree may also hold a
            // file where a folder is needed now, or the other way round.
            self.clear_way(rel)?;
            fs::write(path, bytes).map_err(|e| Error::io("write", path, e))?;
        }
        self.keep_time(rel, path, known);
        Ok(())
    }

    /// Gives the staged file `rel` the modification time of the same file in the current
    /// output when both hold the same bytes (`bytes`, or, when `None`, bytes known equal:
    /// from the file's name, or read from the published file itself), so a deploy that compares times (`rsync`) sends only what
    /// changed, whichever older tree this build recycled. Two `stat`s per file; the current
    /// output is read only when the times differ.
    fn keep_time(&self, rel: &str, staged: &Path, bytes: Option<&[u8]>) {
        let current = self.target.join(rel);
        let Ok(published) = fs::metadata(&current).and_then(|m| m.modified()) else {
            return;
        };
        if fs::metadata(staged)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t == published)
        {
            return;
        }
        let same = match bytes {
            Some(bytes) => fs::read(&current).is_ok_and(|old| old == bytes),
            None => true,
        };
        if same && let Ok(file) = fs::File::options().write(true).open(staged) {
            let _ = file.set_modified(published);
        }
    }

    /// Puts `bytes`, which the file `source` holds, at `rel` as a second name (hard link) of
    /// `source` instead of a second copy: a first build makes one file less per social card.
    /// Falls back to [`StagedOutput::write`] when the tree is recycled (a file may stand
    /// there) or the link cannot be made (another file system, no hard links).
    ///
    /// Neither name can change the other's bytes: the build cache replaces its files by
    /// renaming new ones over them, and [`StagedOutput::write`] unlinks a shared file before
    /// writing in its place.
    pub fn link_or_write(&self, rel: &str, source: &Path, bytes: &[u8]) -> Result<()> {
        if self.recycled {
            return self.write(rel, bytes);
        }
        let path = self.checked_path(rel)?;
        let linked = fs::hard_link(source, &path).is_ok()
            || (self.clear_way(rel).is_ok() && fs::hard_link(source, &path).is_ok());
        if !linked {
            return self.write(rel, bytes);
        }
        self.record(rel);
        self.changed.fetch_add(1, Ordering::Relaxed);
        self.keep_time(rel, &path, Some(bytes));
        Ok(())
    }

    /// Keeps `rel` from the previous build when it is there, for files whose name says what
    /// they hold (a hash of their inputs): nothing is read or written. Returns whether it was.
    pub fn keep(&self, rel: &str) -> Result<bool> {
        let path = self.checked_path(rel)?;
        if self.trusted && fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            self.record(rel);
            self.keep_time(rel, &path, None);
            return Ok(true);
        }
        Ok(false)
    }

    /// Makes `rel`'s parent folders exist and removes whatever stands in their or its place.
    fn clear_way(&self, rel: &str) -> Result<()> {
        let mut dir = self.staging.clone();
        let parts: Vec<&str> = rel.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            dir.push(part);
            // Other threads create the same folders at the same time: "already exists" as a
            // folder is success, whoever made it.
            match fs::create_dir(&dir) {
                Ok(()) => continue,
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io("create folder", &dir, e)),
            }
            if fs::metadata(&dir).is_ok_and(|m| m.is_dir()) {
                continue;
            }
            // A file of an older build stands where a folder is needed now.
            match fs::remove_file(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", &dir, e)),
            }
            match fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(Error::io("create folder", &dir, e)),
            }
        }
        let path = self.staging.join(rel);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&path).map_err(|e| Error::io("remove", &path, e))?;
        }
        Ok(())
    }

    /// Copies one file into the output.
    pub fn copy(&self, rel: &str, source: &FileSource) -> Result<()> {
        match source {
            FileSource::Embedded(bytes) => self.write(rel, bytes),
            FileSource::Generated(bytes) => self.write(rel, bytes),
            FileSource::File(from) => {
                let bytes = fs::read(from).map_err(|e| Error::io("read", from, e))?;
                self.write(rel, &bytes)
            }
        }
    }

    /// Files in the output.
    pub fn files_written(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Files whose bytes changed (all of them on a first build).
    pub fn files_changed(&self) -> usize {
        self.changed.load(Ordering::Relaxed)
    }

    /// Removes what the previous output had and this build did not produce.
    fn sweep(&self) -> Result<()> {
        let produced = self.produced.lock().map_err(|_| {
            Error::io(
                "sweep",
                &self.staging,
                std::io::Error::other("a writer panicked"),
            )
        })?;
        sweep_dir(&self.staging, "", &produced)?;
        Ok(())
    }

    /// Swaps the staging folder in place of the target; the old output is kept to be
    /// recycled by the next build. Returns the number of files in the output.
    pub fn commit(mut self) -> Result<usize> {
        if self.recycled {
            self.sweep()?;
        }
        // Check again: something may have been put there while the site was building.
        check_replaceable(&self.target)?;
        // Every staged byte reaches the disk before the swap: after a power cut the output
        // is the old site or the new one, never new names over empty files.
        sync_tree(&self.staging)?;
        let previous = sibling(&self.target, "previous");
        let had_old = self.target.exists();
        if had_old {
            if previous.exists() {
                remove_tree(&previous);
            }
            fs::rename(&self.target, &previous)
                .map_err(|e| Error::io("move aside", &self.target, e))?;
        }
        // Killed here, the next writer finds no output and the previous one beside it, and
        // puts it back before anything else (`recover_interrupted_swap`).
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&previous, &self.target);
            }
            return Err(Error::io("move into place", &self.staging, e));
        }
        sync_parent(&self.target);
        self.committed = true;
        Ok(self.files_written())
    }
}

/// Flushes the file system holding `dir` (one `syncfs` on Linux: the files were written by
/// many threads, and one call costs less than a `fsync` per file).
#[cfg(target_os = "linux")]
fn sync_tree(dir: &Path) -> Result<()> {
    use std::os::fd::AsRawFd;
    let handle = fs::File::open(dir).map_err(|e| Error::io("open", dir, e))?;
    // SAFETY: `handle` is an open descriptor for the whole call; syncfs only reads it.
    if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
        return Err(Error::io("flush", dir, std::io::Error::last_os_error()));
    }
    Ok(())
}

/// Flushes what `dir` holds, where there is no `syncfs`: its folder entry at least.
#[cfg(not(target_os = "linux"))]
fn sync_tree(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    let _ = dir;
    Ok(())
}

/// Removes `path` when it is one of several names of a file (a card linked from the build
/// cache), so writing in its place gives it a file of its own instead of changing the others.
fn unshare(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.nlink() > 1) {
            let _ = fs::remove_file(path);
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Makes a rename in `path`'s parent folder durable (its entry list is flushed).
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent()
        && let Ok(dir) = fs::File::open(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
    {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Removes a tree of kbsite's, making read-only folders writable first when that is what
/// stops it: a build that failed in a read-only output must not leave its staging folder
/// behind for good.
fn remove_tree(dir: &Path) {
    if fs::remove_dir_all(dir).is_ok() || !dir.exists() {
        return;
    }
    make_writable(dir);
    let _ = fs::remove_dir_all(dir);
}

/// Gives the owner write permission on `dir` and every folder under it.
fn make_writable(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let mut permissions = meta.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        permissions.set_mode(permissions.mode() | 0o700);
    }
    #[cfg(not(unix))]
    permissions.set_readonly(false);
    let _ = fs::set_permissions(dir, permissions);
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        make_writable(&entry.path());
    }
}

/// Removes files not in `produced` under `dir` (output path prefix `rel`), and folders left
/// empty. Returns whether `dir` is now empty.
fn sweep_dir(dir: &Path, rel: &str, produced: &HashSet<String>) -> Result<bool> {
    let mut empty = true;
    let entries = fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read folder", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let child_rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            if sweep_dir(&path, &child_rel, produced)? {
                fs::remove_dir(&path).map_err(|e| Error::io("remove", &path, e))?;
            } else {
                empty = false;
            }
        } else if produced.contains(&child_rel) {
            empty = false;
        } else {
            fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
        }
    }
    Ok(empty)
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.staging);
        }
    }
}

/// The staging folders (with kbsite's marker) that builds killed before their swap left
/// beside `target`, oldest first.
fn stale_staging(target: &Path) -> Vec<PathBuf> {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = format!(".{name}.kbsite-staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .filter(|p| has_marker(p))
        .map(|p| {
            let time = fs::metadata(&p)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (time, p)
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_for_the_lock_and_gets_it_when_the_first_ends() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = OutputLock::acquire(&target, &|| panic!("nobody holds it yet")).unwrap();
        let waited = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let got = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (w, g, t) = (waited.clone(), got.clone(), target.clone());
        let second = std::thread::spawn(move || {
            let lock = OutputLock::acquire(&t, &|| w.store(true, Ordering::SeqCst)).unwrap();
            g.store(true, Ordering::SeqCst);
            drop(lock);
        });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !waited.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(
            waited.load(Ordering::SeqCst),
            "the second writer was told to wait"
        );
        assert!(!got.load(Ordering::SeqCst), "and did not get the lock");
        drop(first);
        second.join().unwrap();
        assert!(got.load(Ordering::SeqCst));
    }

    fn build(target: &Path, files: &[(&str, &str)]) -> (usize, usize) {
        let out = StagedOutput::begin(target).unwrap();
        for (rel, text) in files {
            out.write(rel, text.as_bytes()).unwrap();
        }
        let changed = out.files_changed();
        (out.commit().unwrap(), changed)
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut all = Vec::new();
        fn walk(dir: &Path, rel: &str, all: &mut Vec<String>) {
            for e in fs::read_dir(dir).unwrap().flatten() {
                let name = format!("{rel}{}", e.file_name().to_string_lossy());
                if e.file_type().unwrap().is_dir() {
                    walk(&e.path(), &format!("{name}/"), all);
                } else {
                    all.push(name);
                }
            }
        }
        walk(dir, "", &mut all);
        all.sort();
        all
    }

    #[test]
    fn a_linked_file_and_its_source_never_change_each_other() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let source = tmp.path().join("cache.png");
        fs::write(&source, b"card").unwrap();
        let out = StagedOutput::begin(&target).unwrap();
        out.link_or_write("social/a.png", &source, b"card").unwrap();
        assert_eq!(out.files_written(), 1);
        out.commit().unwrap();
        assert_eq!(fs::read(target.join("social/a.png")).unwrap(), b"card");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(
                fs::metadata(&source).unwrap().nlink(),
                2,
                "linked, not copied"
            );
        }
        // Two builds later the first output is recycled: writing other bytes at that name
        // leaves the source alone.
        build(&target, &[("social/a.png", "card")]);
        build(&target, &[("social/a.png", "other")]);
        assert_eq!(fs::read(target.join("social/a.png")).unwrap(), b"other");
        assert_eq!(fs::read(&source).unwrap(), b"card");
        // And the source replaced by a rename (as the build cache does) leaves the output alone.
        let out = StagedOutput::begin(&tmp.path().join("fresh")).unwrap();
        out.link_or_write("a.png", &source, b"card").unwrap();
        out.commit().unwrap();
        fs::write(tmp.path().join("new.png"), b"new").unwrap();
        fs::rename(tmp.path().join("new.png"), &source).unwrap();
        assert_eq!(fs::read(tmp.path().join("fresh/a.png")).unwrap(), b"card");
        // A source that is missing is written as a copy.
        let out = StagedOutput::begin(&tmp.path().join("copied")).unwrap();
        out.link_or_write("b.png", &tmp.path().join("missing.png"), b"bytes")
            .unwrap();
        out.commit().unwrap();
        assert_eq!(fs::read(tmp.path().join("copied/b.png")).unwrap(), b"bytes");
    }

    #[test]
    fn commit_swaps_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("a/index.html", "one")]);
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");

        let out = StagedOutput::begin(&target).unwrap();
        out.write("b.html", b"two").unwrap();
        drop(out);
        assert!(target.join("a/index.html").exists(), "old output kept");
        assert!(!target.join("b.html").exists());
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.to_string_lossy().contains("staging")),
            "{names:?}"
        );
    }

    #[test]
    fn recycled_builds_equal_fresh_builds_and_skip_unchanged_files() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let v1 = [
            ("a/index.html", "A1"),
            ("b/index.html", "B1"),
            ("old/x/index.html", "X"),
        ];
        let v2 = [
            ("a/index.html", "A1"),
            ("b/index.html", "B2"),
            ("c/index.html", "C"),
        ];
        let v3 = [
            ("a/index.html", "A1"),
            ("b/index.html", "B2"),
            ("c/index.html", "C3"),
        ];
        assert_eq!(build(&target, &v1), (3, 3));
        assert_eq!(
            build(&target, &v2),
            (3, 3),
            "no previous tree yet: all written"
        );
        // The third build recycles the first tree: `old/` is swept, `a` is left alone and
        // keeps the time the published `a` has.
        let stamp = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_500_000_000);
        set_time(&target.join("a/index.html"), stamp);
        assert_eq!(build(&target, &v3), (3, 2));
        assert_eq!(
            listing(&target),
            [
                ".kbsite-output",
                "a/index.html",
                "b/index.html",
                "c/index.html"
            ]
        );
        assert_eq!(
            fs::read_to_string(target.join("c/index.html")).unwrap(),
            "C3"
        );
        assert_eq!(
            fs::metadata(target.join("a/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            stamp,
            "unchanged file untouched"
        );
        assert_eq!(
            build(&target, &v3),
            (3, 1),
            "recycling v2's tree: only c changed"
        );
    }

    #[test]
    fn a_file_recognised_as_the_same_is_kept_without_being_made() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let write = |content: &'static str| {
            let staged = StagedOutput::begin(&target).unwrap();
            let made = std::cell::Cell::new(false);
            staged
                .write_unless_same(
                    "x.gz",
                    |old| old.starts_with(content.as_bytes()),
                    || {
                        made.set(true);
                        format!("{content}, packed").into_bytes()
                    },
                )
                .unwrap();
            assert_eq!(staged.commit().unwrap(), 1);
            made.get()
        };
        assert!(write("A"), "nothing to recycle");
        assert!(write("A"), "the first tree is not recycled yet");
        assert!(!write("A"), "the recycled tree holds it");
        assert_eq!(
            fs::read_to_string(target.join("x.gz")).unwrap(),
            "A, packed"
        );
        assert!(write("B"), "other contents are made");
        assert_eq!(
            fs::read_to_string(target.join("x.gz")).unwrap(),
            "B, packed"
        );
    }

    fn set_time(path: &Path, time: std::time::SystemTime) {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(time)
            .unwrap();
    }

    fn time_of(path: &Path) -> std::time::SystemTime {
        fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn files_equal_to_the_published_ones_keep_their_times_in_a_fresh_tree_too() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("a.html", "A"), ("b.html", "B")]);
        let stamp = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_400_000_000);
        set_time(&target.join("a.html"), stamp);
        set_time(&target.join("b.html"), stamp);
        // No previous tree to recycle: both files are written anew.
        assert_eq!(build(&target, &[("a.html", "A"), ("b.html", "B2")]), (2, 2));
        assert_eq!(
            time_of(&target.join("a.html")),
            stamp,
            "same bytes, same time"
        );
        assert_ne!(
            time_of(&target.join("b.html")),
            stamp,
            "new bytes, new time"
        );
    }

    #[test]
    fn a_swap_cut_between_its_renames_is_put_right_by_the_next_writer() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        build(&target, &[("a.html", "one")]);
        build(&target, &[("a.html", "two")]);
        // Killed after moving the output aside, before moving the new one in.
        let previous = sibling(&target, "previous");
        remove_tree(&previous);
        fs::rename(&target, &previous).unwrap();
        let out = StagedOutput::begin(&target).unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a.html")).unwrap(),
            "two",
            "restored before anything else"
        );
        drop(out);
        assert!(has_marker(&target));
        // The same for watch's writes in place.
        fs::rename(&target, &previous).unwrap();
        crate::output::update_in_place(&target, &["b.html".into()], &|_| Some(Ok(b"b".to_vec())))
            .unwrap();
        assert_eq!(listing(&target), [".kbsite-output", "a.html", "b.html"]);
    }

    #[test]
    fn a_killed_builds_staging_folder_is_recycled_not_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let files: Vec<(String, String)> = (0..20)
            .map(|i| (format!("p{i}/index.html"), format!("page {i}")))
            .collect();
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (&a[..], &b[..])).collect();
        build(&target, &files);
        build(&target, &files);
        // A build killed while writing: it had taken the previous tree as its staging
        // folder and written half a file under a final name.
        let killed = sibling(&target, "staging-4000000");
        fs::rename(sibling(&target, "previous"), &killed).unwrap();
        fs::write(killed.join("p3/index.html"), "pa").unwrap();
        fs::write(killed.join("half.css"), "bo").unwrap();
        let out = StagedOutput::begin(&target).unwrap();
        assert!(!killed.exists(), "taken as this build's staging folder");
        assert!(
            !out.keep("half.css").unwrap(),
            "a killed build's files are not trusted by name"
        );
        for (rel, text) in &files {
            out.write(rel, text.as_bytes()).unwrap();
        }
        assert_eq!(out.files_changed(), 1, "only the half-written page");
        out.commit().unwrap();
        assert_eq!(listing(&target).len(), 21);
        assert_eq!(
            fs::read_to_string(target.join("p3/index.html")).unwrap(),
            "page 3"
        );
    }

    #[test]
    fn staging_folders_in_read_only_trees_are_made_writable_and_removed() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("stuck");
            fs::create_dir_all(dir.join("a/b")).unwrap();
            fs::write(dir.join("a/b/x.html"), "x").unwrap();
            for d in [dir.join("a/b"), dir.join("a"), dir.clone()] {
                fs::set_permissions(&d, fs::Permissions::from_mode(0o555)).unwrap();
            }
            make_writable(&dir);
            for d in [dir.join("a/b"), dir.join("a"), dir.clone()] {
                let mode = fs::metadata(&d).unwrap().permissions().mode();
                assert_eq!(mode & 0o700, 0o700, "{}", d.display());
            }
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
            remove_tree(&dir);
            assert!(!dir.exists());
        }
    }

    #[test]
    fn a_writer_told_not_to_wait_is_refused_with_the_folder_named() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let held = OutputLock::acquire(&target, &|| {}).unwrap();
        let refused = StagedOutput::begin_with(&target, LockWait::Refuse, &|| {
            panic!("a refusing writer does not wait")
        });
        assert!(matches!(refused, Err(Error::OutputLocked { ref path }) if path == &target));
        drop(held);
        assert!(StagedOutput::begin_with(&target, LockWait::Refuse, &|| {}).is_ok());
    }

    #[test]
    fn a_file_can_become_a_folder_and_back() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let file = [("x", "file")];
        let folder = [("x/index.html", "folder")];
        for round in [&file[..], &folder, &file, &folder, &file] {
            build(&target, round);
            assert_eq!(listing(&target)[1], round[0].0);
        }
    }

    #[test]
    fn parallel_writers_share_folders() {
        // Regression: two threads creating `tags/` at once made a fresh build fail.
        use rayon::prelude::*;
        for _ in 0..20 {
            let tmp = tempfile::tempdir().unwrap();
            let out = StagedOutput::begin(&tmp.path().join("public")).unwrap();
            (0..64).into_par_iter().for_each(|i| {
                out.write(&format!("tags/t{i}/index.html"), b"x").unwrap();
                out.write(&format!("tags/t{i}/page/2/index.html"), b"y")
                    .unwrap();
            });
            assert_eq!(out.commit().unwrap(), 128);
        }
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
