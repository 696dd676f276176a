//! Embeds the default theme (`themes/default/`) into the binary, so `kbsite init` sites and
//! sites without a `themes/` folder build anywhere, and names the build of kbsite
//! (`KBSITE_BUILD_ID`): a hash of its sources, theme, locked dependencies and target, which the
//! build cache keys entries with whose meaning may change with any line of kbsite.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            collect(&path, root, out);
        } else {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let theme = manifest.join("themes").join("default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The default theme's files: (path inside the theme, bytes).\npub(super) static FILES: &[(&str, &[u8])] = &[\n",
    );
    for rel in &files {
        let rel_slash: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel_slash = rel_slash.join("/");
        let abs = theme.join(rel);
        writeln!(
            code,
            "    ({rel_slash:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("write to String");
        println!("cargo:rerun-if-changed={}", abs.display());
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("default_theme.rs");
    std::fs::write(out, code).expect("write generated theme table");
    build_id(&manifest, &theme, &files);
}

/// Sets `KBSITE_BUILD_ID`: the same sources, theme, `Cargo.lock` and target give the same id.
fn build_id(manifest: &Path, theme: &Path, theme_files: &[PathBuf]) {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    let mut sources = Vec::new();
    collect(&manifest.join("src"), manifest, &mut sources);
    sources.sort();
    let inputs = sources
        .iter()
        .map(|rel| manifest.join(rel))
        .chain(theme_files.iter().map(|rel| theme.join(rel)))
        .chain([manifest.join("Cargo.lock"), manifest.join("Cargo.toml")]);
    for path in inputs {
        h.write(
            path.strip_prefix(manifest)
                .unwrap_or(&path)
                .to_string_lossy()
                .as_bytes(),
        );
        h.write(&std::fs::read(&path).unwrap_or_default());
    }
    for var in ["TARGET", "CARGO_CFG_TARGET_FEATURE", "CARGO_PKG_VERSION"] {
        h.write(std::env::var(var).unwrap_or_default().as_bytes());
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rustc-env=KBSITE_BUILD_ID={:016x}", h.finish());
}
