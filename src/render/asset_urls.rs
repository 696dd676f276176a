//! `asset_url(path="style.css")`: the address of an output file with a hash of its bytes
//! (`/style.css?h=1a2b3c4d`), so browsers fetch it again exactly when it changed.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use crate::output::FileSource;
use crate::site::Site;

/// The files templates may ask for (the copied and generated files of a site), with their
/// hashes worked out when first asked for.
#[derive(Default)]
pub(crate) struct AssetTable {
    files: HashMap<String, FileSource>,
    /// The live preview: addresses carry no hash (the preview reloads stylesheets itself),
    /// so a stylesheet edit changes no page and is swapped in place.
    preview: bool,
    hashes: Mutex<HashMap<String, Option<String>>>,
}

/// The table of the render in progress, shared with the template function.
pub(crate) type SharedAssets = Arc<RwLock<Arc<AssetTable>>>;

impl AssetTable {
    /// The files of `site`; `preview` leaves the hashes out.
    pub(crate) fn new(site: &Site, preview: bool) -> AssetTable {
        AssetTable {
            preview,
            files: site
                .files
                .iter()
                .map(|f| (f.path.clone(), f.source.clone()))
                .collect(),
            hashes: Mutex::new(HashMap::new()),
        }
    }

    /// The table of a shared handle, as it is now.
    pub(crate) fn current(shared: &SharedAssets) -> Arc<AssetTable> {
        match shared.read() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The first 8 hex digits of the content hash of output file `path` (empty in the
    /// preview), or none when the output has no such file (or it cannot be read).
    pub(crate) fn hash(&self, path: &str) -> Option<String> {
        if self.preview {
            return self.files.contains_key(path).then(String::new);
        }
        let mut memo = match self.hashes.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        memo.entry(path.to_string())
            .or_insert_with(|| {
                let bytes = match self.files.get(path)? {
                    FileSource::File(p) => std::fs::read(p).ok()?,
                    FileSource::Embedded(b) => b.to_vec(),
                    FileSource::Generated(b) => b.to_vec(),
                };
                let hash = crate::hash::content_hash(&[&bytes]);
                Some(format!("{hash:032x}")[..8].to_string())
            })
            .clone()
    }

    /// A fingerprint of the hashes `sources` can show: of the paths named literally in
    /// `asset_url(path="…")` calls, or of every file when a call names one otherwise.
    pub(crate) fn print(&self, sources: &HashMap<String, (PathBuf, String)>) -> u64 {
        let mut paths = Vec::new();
        let mut all = false;
        for (_, source) in sources.values() {
            for (at, _) in source.match_indices("asset_url(") {
                match literal_path(&source[at + "asset_url(".len()..]) {
                    Some(p) => paths.push(p.trim_start_matches('/').to_string()),
                    None => all = true,
                }
            }
        }
        if all {
            paths = self.files.keys().cloned().collect();
        }
        paths.sort_unstable();
        paths.dedup();
        let mut h = DefaultHasher::new();
        for p in &paths {
            (p, self.hash(p)).hash(&mut h);
        }
        h.finish()
    }
}

/// The `path` of a call's arguments when it is a quoted literal (`path="style.css"`).
fn literal_path(args: &str) -> Option<&str> {
    let args = &args[..args.find(')')?];
    let rest = args.trim_start().strip_prefix("path")?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(&value[..end])
}

#[cfg(test)]
mod tests {
    use super::literal_path;

    #[test]
    fn literal_paths_are_found() {
        assert_eq!(literal_path("path=\"style.css\") }}"), Some("style.css"));
        assert_eq!(
            literal_path(" path = 'a/b.js', absolute=true)"),
            Some("a/b.js")
        );
        assert_eq!(literal_path("path=name) }}"), None);
        assert_eq!(literal_path("absolute=true, path=\"x\")"), None);
    }
}
