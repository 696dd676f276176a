//! Embeds the default theme (`themes/default/`) into the binary, so `kbsite init` sites and
//! sites without a `themes/` folder build anywhere.

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
}
