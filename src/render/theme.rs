//! Finding the theme's templates and static files: the site's `themes/<name>/` on disk, or
//! the default theme built into the binary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::content::load::walk;
use crate::error::{Diagnostic, Error, Location, ProblemKind, Result};
use crate::output::CopiedFile;
use crate::output::FileSource;
use crate::sources;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// One template and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name templates use (`page.html`, `partials/toc.html`).
    pub name: String,
    /// Site templates override theme templates of the same name.
    pub from_site: bool,
    /// The path errors show.
    pub display_path: PathBuf,
    /// The text.
    pub source: String,
}

/// The templates and static files a build uses.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Site templates and theme templates.
    pub templates: Vec<TemplateFile>,
    /// Theme static files, then the site's `static/` (later ones win).
    pub static_files: Vec<CopiedFile>,
    /// Font files (`fonts/*.ttf`, `*.otf`) social cards are drawn with: the theme's own, else
    /// the bundled ones of the default theme.
    pub fonts: Vec<Vec<u8>>,
    /// Markdown fragments of the site's `snippets/` folder that articles `include`, by path
    /// from the site root (`snippets/cennik.md`).
    pub snippets: Vec<(String, String)>,
    /// Files that were skipped (symbolic links out of the site).
    pub warnings: Vec<Diagnostic>,
}

fn is_font(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".ttf") || lower.ends_with(".otf")
}

fn read_text(path: &Path, display: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", display, e))?;
    String::from_utf8(bytes).map_err(|_| Error::NotUtf8 {
        path: display.to_path_buf(),
    })
}

/// Adds `dir/templates/**` and `dir/static/**`; `display` prefixes the paths errors show.
fn add_folder(
    files: &mut ThemeFiles,
    root: &Path,
    dir: &Path,
    display: &Path,
    from_site: bool,
) -> Result<()> {
    for f in walk(&dir.join(sources::TEMPLATES), root, &mut files.warnings)? {
        let display = display.join(sources::TEMPLATES).join(&f.rel_path);
        files.templates.push(TemplateFile {
            source: read_text(&f.path, &display)?,
            name: f.rel_path,
            from_site,
            display_path: display,
        });
    }
    for f in walk(&dir.join(sources::STATIC), root, &mut files.warnings)? {
        files.static_files.push(CopiedFile {
            path: f.rel_path,
            source: FileSource::File(f.path),
        });
    }
    if !from_site {
        for f in walk(&dir.join("fonts"), root, &mut files.warnings)? {
            if is_font(&f.rel_path) {
                let display = display.join("fonts").join(&f.rel_path);
                files
                    .fonts
                    .push(std::fs::read(&f.path).map_err(|e| Error::io("read", &display, e))?);
            }
        }
    }
    Ok(())
}

/// Templates kbsite added after themes of their own were written: a theme without one gets
/// the built-in one, so a new output does not stop the build of a site whose theme predates it.
const BUILT_IN_FALLBACKS: &[&str] = &["rss.xml"];

/// Adds the built-in template of each of [`BUILT_IN_FALLBACKS`] that neither the theme nor the
/// site has (the default theme has them all already).
fn add_missing_builtins(files: &mut ThemeFiles, config: &Config) {
    if config.theme == "default" {
        return;
    }
    for name in BUILT_IN_FALLBACKS {
        if files.templates.iter().any(|t| t.name == *name) {
            continue;
        }
        let path = format!("templates/{name}");
        if let Some((_, bytes)) = embedded::FILES.iter().find(|(p, _)| *p == path) {
            files.templates.push(TemplateFile {
                name: (*name).to_string(),
                from_site: false,
                display_path: PathBuf::from(format!("themes/default/{path} (built-in)")),
                source: String::from_utf8_lossy(bytes).into_owned(),
            });
        }
    }
}

/// Collects templates and static files for the site at `root`.
pub(crate) fn load(root: &Path, config: &Config) -> Result<ThemeFiles> {
    let mut files = ThemeFiles::default();
    let theme_dir = root.join(sources::THEMES).join(&config.theme);
    let theme_display = PathBuf::from("themes").join(&config.theme);
    // The built-in default theme is the base layer; a `themes/default/` folder on disk only
    // overrides the files it has, so copying one template to change it is enough.
    if config.theme == "default" {
        for (path, bytes) in embedded::FILES {
            if let Some(name) = path.strip_prefix("templates/") {
                files.templates.push(TemplateFile {
                    name: name.to_string(),
                    from_site: false,
                    display_path: PathBuf::from(format!(
                        "themes/default/templates/{name} (built-in)"
                    )),
                    source: String::from_utf8_lossy(bytes).into_owned(),
                });
            } else if let Some(name) = path.strip_prefix("static/") {
                files.static_files.push(CopiedFile {
                    path: name.to_string(),
                    source: FileSource::Embedded(bytes),
                });
            } else if path.starts_with("fonts/") && is_font(path) {
                files.fonts.push(bytes.to_vec());
            }
        }
    }
    if theme_dir.is_dir() {
        add_folder(&mut files, root, &theme_dir, &theme_display, false)?;
    } else if config.theme != "default" {
        return Err(Error::problem(
            ProblemKind::Config,
            crate::codes::THEME_NOT_FOUND,
            Location::file(Path::new(crate::config::CONFIG_FILE)),
            format!(
                "theme `{}` not found: no folder {}",
                config.theme,
                theme_display.display()
            ),
            Some("create the folder, or set `theme: default` to use the built-in theme".into()),
        ));
    }
    if files.fonts.is_empty() {
        // Cards of a theme without fonts of its own are still drawn, with Polish letters, in
        // the bundled fonts. A theme with fonts keeps only its own, which measure its titles.
        files.fonts.extend(
            embedded::FILES
                .iter()
                .filter(|(path, _)| path.starts_with("fonts/") && is_font(path))
                .map(|(_, bytes)| bytes.to_vec()),
        );
    }
    add_folder(&mut files, root, root, Path::new(""), true)?;
    add_missing_builtins(&mut files, config);
    if config.minify {
        for f in &mut files.static_files {
            if f.path.ends_with(".css") {
                let bytes = match &f.source {
                    FileSource::File(p) => std::fs::read(p).map_err(|e| Error::io("read", p, e))?,
                    FileSource::Embedded(b) => b.to_vec(),
                    FileSource::Generated(b) => b.to_vec(),
                };
                f.source = FileSource::Generated(Arc::new(crate::minify::minify_css(&bytes)));
            }
        }
    }
    // Compiled Sass comes last, so it wins over a static file of the same name.
    for (path, css) in crate::sass::compile_sass(root, config.minify, &mut files.warnings)? {
        files.static_files.push(CopiedFile {
            path,
            source: FileSource::Generated(Arc::new(css)),
        });
    }
    for f in walk(&root.join(sources::SNIPPETS), root, &mut files.warnings)? {
        let display = Path::new(sources::SNIPPETS).join(&f.rel_path);
        files.snippets.push((
            format!("{}/{}", sources::SNIPPETS, f.rel_path),
            read_text(&f.path, &display)?,
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_can_draw_cards_with_the_bundled_fonts() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("themes/own/templates")).unwrap();
        let config = Config {
            theme: "own".into(),
            ..Config::default()
        };
        let own = load(root.path(), &config).unwrap();
        let default = load(root.path(), &Config::default()).unwrap();
        assert!(!own.fonts.is_empty());
        assert_eq!(own.fonts, default.fonts);
        // A theme with a font of its own draws with that one alone.
        let regular = default.fonts.last().unwrap().clone();
        std::fs::create_dir_all(root.path().join("themes/own/fonts")).unwrap();
        std::fs::write(root.path().join("themes/own/fonts/Own.ttf"), &regular).unwrap();
        let with_font = load(root.path(), &config).unwrap();
        assert_eq!(with_font.fonts, [regular]);
    }
}
