//! Where a site's sources are under its root: the one list that loading, the theme, the
//! preview's watcher and rebuilds, and the check that the output folder stays clear of the
//! sources all read.

/// Articles, sections and their pictures.
pub(crate) const CONTENT: &str = "content";
/// The site's own templates, which win over the theme's.
pub(crate) const TEMPLATES: &str = "templates";
/// Themes, one folder each (`themes/<name>/templates`, `themes/<name>/static`).
pub(crate) const THEMES: &str = "themes";
/// Files copied into the output as they are.
pub(crate) const STATIC: &str = "static";
/// Markdown fragments that articles include (`{{ include(path="snippets/x.md") }}`).
pub(crate) const SNIPPETS: &str = "snippets";
/// Sass stylesheets, compiled into the output.
pub(crate) const SASS: &str = "sass";
/// Data files (YAML, JSON, TOML, CSV) that templates and components read as `site.data`.
pub(crate) const DATA: &str = "data";

/// Every source folder: the preview watches each with everything below it, and no output
/// folder may lie inside one.
pub(crate) const ALL: [&str; 7] = [CONTENT, TEMPLATES, THEMES, STATIC, SNIPPETS, SASS, DATA];
