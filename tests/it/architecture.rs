//! The dependency direction of the library's modules, checked on the source: a module may use
//! only modules of a lower layer (or its own). This keeps the pipeline readable from the
//! bottom up and each outside crate in its one home module.

use std::collections::BTreeMap;
use std::path::Path;

/// Layers, lowest first. Modules of one layer may not use each other.
const LAYERS: &[&[&str]] = &[
    &["codes", "sources"],
    &["error", "suggest", "slug", "hash"],
    &["yaml", "output", "build_cache"],
    &["config", "toml", "paths"],
    &["content", "markdown"],
    &["images", "data"],
    &["site", "sass", "minify"],
    &["cards"],
    &["render", "external", "search"],
    &["pipeline", "scaffold"],
    &["live", "stats"],
    &["serve"],
];

/// Outside crates and the one module allowed to name each.
const HOMES: &[(&str, &str)] = &[
    ("serde_yaml", "yaml"),
    ("toml_edit", "toml"),
    ("pulldown_cmark", "markdown"),
    ("pulldown_cmark_escape", "markdown"),
    ("syntect", "markdown"),
    ("pulldown_latex", "markdown"),
    ("tera", "render"),
    ("walkdir", "content"),
    ("ureq", "external"),
    ("pagefind_stem", "search"),
    ("unicode_segmentation", "search"),
    ("ahash", "hash"),
    ("notify_debouncer_full", "serve"),
    ("axum", "serve"),
    ("hyper", "serve"),
    ("hyper_util", "serve"),
    ("tokio", "serve"),
    ("socket2", "serve"),
    ("resvg", "cards"),
    ("png", "cards"),
    ("ttf_parser", "cards"),
    ("imagesize", "images"),
    ("image", "images"),
    ("xxhash_rust", "hash"),
    ("grass", "sass"),
    ("minifier", "minify"),
    ("csv", "data"),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn library_files() -> BTreeMap<String, (String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        // The binary (src/bin/) is not part of the library's layers.
        if !rel.ends_with(".rs") || rel == "lib.rs" || rel.starts_with("bin/") {
            continue;
        }
        let module = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        files.insert(
            rel,
            (module, std::fs::read_to_string(entry.path()).unwrap()),
        );
    }
    files
}

#[test]
fn modules_only_use_lower_layers() {
    let mut violations = Vec::new();
    for (rel, (module, text)) in library_files() {
        let Some(own) = layer_of(&module) else {
            violations.push(format!(
                "{rel}: module `{module}` has no layer in this test"
            ));
            continue;
        };
        for (i, _) in text.match_indices("crate::") {
            let used: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(layer) if layer < own => {}
                _ => violations.push(format!("{rel}: `{module}` uses `crate::{used}`")),
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward or sideways imports:\n{}",
        violations.join("\n")
    );
}

#[test]
fn outside_crates_live_in_one_module() {
    let mut violations = Vec::new();
    for (rel, (module, text)) in library_files() {
        for (krate, home) in HOMES {
            if module != *home
                && (text.contains(&format!("{krate}::")) || text.contains(&format!("use {krate}")))
            {
                violations.push(format!("{rel} names `{krate}`, which belongs to `{home}`"));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
