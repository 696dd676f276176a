//! Sass compiled to CSS: every `sass/**/*.scss` file that is not a partial becomes a
//! stylesheet of the site, with errors at their file, line and column. The one home of
//! `grass`; the output is deterministic.

use std::path::Path;

use crate::content::load::walk;
use crate::error::{Diagnostic, Error, Location, Result, Severity};

/// Compiles every `sass/**/*.scss` and `*.sass` file whose name does not start with `_` (a
/// partial, only imported) to `<same path>.css`: returns output paths and bytes, in path
/// order. `compressed` writes the CSS minified. Errors name the file, line and column.
pub(crate) fn compile_sass(
    root: &Path,
    compressed: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let dir = root.join(crate::sources::SASS);
    let style = if compressed {
        grass::OutputStyle::Compressed
    } else {
        grass::OutputStyle::Expanded
    };
    let options = grass::Options::default()
        .style(style)
        .quiet(true)
        .logger(&grass::NullLogger)
        .load_path(&dir);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for f in walk(&dir, root, warnings)? {
        let Some(stem) = f
            .rel_path
            .strip_suffix(".scss")
            .or_else(|| f.rel_path.strip_suffix(".sass"))
        else {
            continue;
        };
        let name = stem.rsplit('/').next().unwrap_or(stem);
        if name.starts_with('_') {
            continue;
        }
        match grass::from_path(&f.path, &options) {
            Ok(css) => out.push((format!("{stem}.css"), css.into_bytes())),
            Err(e) => errors.push(sass_error(root, &f.rel_path, *e)),
        }
    }
    Error::collect(errors)?;
    Ok(out)
}

/// A Sass error at the place grass gives (which may be in an imported partial).
fn sass_error(root: &Path, rel_path: &str, e: grass::Error) -> Error {
    let entry = Path::new(crate::sources::SASS).join(rel_path);
    let (at, message) = match e.kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let file = Path::new(loc.file.name());
            let shown = file
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .or_else(|_| {
                    std::fs::canonicalize(root)
                        .ok()
                        .and_then(|r| file.strip_prefix(r).ok().map(Path::to_path_buf))
                        .ok_or(())
                })
                .unwrap_or_else(|_| file.to_path_buf());
            let at = Location::from_line_col(
                &shown,
                loc.file.source(),
                loc.begin.line + 1,
                loc.begin.column + 1,
            );
            (at, message)
        }
        grass::ErrorKind::IoError(io) => (Location::file(&entry), io.to_string()),
        grass::ErrorKind::FromUtf8Error(text) => (Location::file(&entry), text),
        _ => (Location::file(&entry), "cannot compile".to_string()),
    };
    Error::Denied(Box::new(Diagnostic {
        severity: Severity::Error,
        code: crate::codes::SASS_ERROR,
        location: Some(at),
        message: format!("Sass: {message}"),
        hint: Some(format!(
            "fix the stylesheet; {} is not written",
            entry.display()
        )),
    }))
}
