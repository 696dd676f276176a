//! Walks `content/` (and `static/`) and reads every file in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::codes;
use crate::content::front_matter::{self, FrontMatterFormat, SplitError};
use crate::content::meta::{DocKind, Meta, Source};
use crate::content::{Attachment, Content, Document};
use crate::error::{Diagnostic, Error, Location, ProblemKind, Result};
use crate::yaml;

/// Names that editors, operating systems and version control leave behind; never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", ".kate-swp"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// A file found by the walk: its path relative to the walked folder and on disk.
#[derive(Debug, Clone)]
pub struct Found {
    /// `/`-separated path relative to the walked folder.
    pub rel_path: String,
    /// The path to read.
    pub path: PathBuf,
}

/// Lists the files under `dir` in a stable order, skipping ignored names. Symbolic links are
/// followed only when they stay inside `site_root`, so a contributor cannot publish files from
/// elsewhere on the machine by linking to them.
pub fn walk(dir: &Path, site_root: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Vec<Found>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let root =
        std::fs::canonicalize(site_root).map_err(|e| Error::io("open folder", site_root, e))?;
    let mut found = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(
                "read folder",
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("loop in folder links")),
            )
        })?;
        let display = entry.path().strip_prefix(site_root).unwrap_or(entry.path());
        let file_type = if entry.file_type().is_symlink() {
            match follow_symlink(entry.path(), &root) {
                Ok(file_type) => file_type,
                Err((code, message)) => {
                    warnings.push(Diagnostic::warning(
                        code,
                        Location::file(display),
                        message,
                        Some("copy the file into the site instead of linking to it".into()),
                    ));
                    continue;
                }
            }
        } else {
            entry.file_type()
        };
        if !file_type.is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let Some(rel_path) = rel_to_slash(rel) else {
            // Said and skipped: one odd name must not hide every other problem of the site.
            warnings.push(Diagnostic::warning(
                codes::FILE_NAME_NOT_UTF8,
                Location::file(display),
                "the file name is not valid UTF-8; the file is skipped",
                Some("rename it with a name in UTF-8 (any letters, Polish ones too)".into()),
            ));
            continue;
        };
        found.push(Found {
            rel_path,
            path: entry.path().to_path_buf(),
        });
    }
    Ok(found)
}

/// Where a symbolic link leads, if kbsite may follow it: only to a file inside the site.
fn follow_symlink(link: &Path, root: &Path) -> Result<std::fs::FileType, (&'static str, String)> {
    let target = std::fs::canonicalize(link).map_err(|e| {
        (
            codes::BROKEN_SYMLINK,
            format!("symbolic link cannot be followed ({e}); skipped"),
        )
    })?;
    if !target.starts_with(root) {
        return Err((
            codes::SYMLINK_OUTSIDE,
            format!(
                "symbolic link points outside the site, to {}; not followed",
                target.display()
            ),
        ));
    }
    // `.git/config` holds CI's token, `.env` holds keys: a hidden file or folder is never
    // published, whatever the link to it is called.
    let inside = target.strip_prefix(root).unwrap_or(&target);
    if inside
        .components()
        .any(|c| c.as_os_str().to_str().is_none_or(is_ignored_name))
    {
        return Err((
            codes::SYMLINK_HIDDEN,
            format!(
                "symbolic link points to {}, a hidden or editor file; not followed",
                inside.display()
            ),
        ));
    }
    let file_type = std::fs::metadata(&target)
        .map_err(|e| {
            (
                codes::BROKEN_SYMLINK,
                format!("symbolic link cannot be followed ({e}); skipped"),
            )
        })?
        .file_type();
    if file_type.is_dir() {
        // Linked folders would need their own walk and cycle checks.
        return Err((
            codes::SYMLINK_FOLDER,
            "symbolic links to folders are not followed".to_string(),
        ));
    }
    Ok(file_type)
}

/// What a walk of `content/` finds at `rel` (a `/`-separated path below it): the file, if the
/// walk would list it (an ignored name anywhere on the way, a folder, or a symbolic link it
/// refuses give nothing), with the warnings the walk would give. Lets a rebuild look at one
/// changed path instead of walking the whole folder.
pub fn find_one(
    content_dir: &Path,
    site_root: &Path,
    rel: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Found>> {
    if rel.is_empty() || rel.split('/').any(|c| c.is_empty() || is_ignored_name(c)) {
        return Ok(None);
    }
    let path = content_dir.join(rel);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Ok(None);
    };
    let file_type = if meta.file_type().is_symlink() {
        let root =
            std::fs::canonicalize(site_root).map_err(|e| Error::io("open folder", site_root, e))?;
        match follow_symlink(&path, &root) {
            Ok(file_type) => file_type,
            Err((code, message)) => {
                let display = path.strip_prefix(site_root).unwrap_or(&path);
                warnings.push(Diagnostic::warning(
                    code,
                    Location::file(display),
                    message,
                    Some("copy the file into the site instead of linking to it".into()),
                ));
                return Ok(None);
            }
        }
    } else {
        meta.file_type()
    };
    Ok(file_type.is_file().then(|| Found {
        rel_path: rel.to_string(),
        path,
    }))
}

/// Every file a walk of `content/` finds under the folder `rel`, with paths relative to
/// `content/`.
pub fn walk_under(
    content_dir: &Path,
    site_root: &Path,
    rel: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Found>> {
    if rel.split('/').any(|c| c.is_empty() || is_ignored_name(c)) {
        return Ok(Vec::new());
    }
    let mut found = walk(&content_dir.join(rel), site_root, warnings)?;
    for f in &mut found {
        f.rel_path = format!("{rel}/{}", f.rel_path);
    }
    Ok(found)
}

fn rel_to_slash(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// Loads `content/` of the site at `root`: reads and checks every Markdown file in parallel and
/// lists every other file as an asset. All errors of all files are returned together.
pub fn load_content(root: &Path, taxonomy_names: &[String]) -> Result<Content> {
    let content_dir = root.join(crate::sources::CONTENT);
    let mut warnings = Vec::new();
    let files = walk(&content_dir, root, &mut warnings)?;
    let (markdown, others): (Vec<Found>, Vec<Found>) =
        files.into_iter().partition(|f| f.rel_path.ends_with(".md"));
    let results: Vec<Result<Document, Vec<Error>>> = markdown
        .par_iter()
        .map(|f| read_document(f, taxonomy_names))
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(doc) => documents.push(std::sync::Arc::new(doc)),
            Err(errs) => errors.extend(errs),
        }
    }
    Error::collect(errors)?;
    let attachments = others
        .into_iter()
        .map(|f| Attachment {
            rel_path: f.rel_path,
            source: f.path,
        })
        .collect();
    Ok(Content {
        documents,
        attachments,
        warnings,
    })
}

/// Reads one Markdown file; `display` paths start at `content/`.
pub fn read_document(found: &Found, taxonomy_names: &[String]) -> Result<Document, Vec<Error>> {
    let display_path = Path::new(crate::sources::CONTENT).join(&found.rel_path);
    let bytes =
        std::fs::read(&found.path).map_err(|e| vec![Error::io("read", &display_path, e)])?;
    let text = String::from_utf8(bytes).map_err(|_| {
        vec![Error::NotUtf8 {
            path: display_path.clone(),
        }]
    })?;
    parse_document(&found.rel_path, display_path, text, taxonomy_names)
}

/// Parses one Markdown file's text: split, YAML or TOML, typed fields.
pub fn parse_document(
    rel_path: &str,
    display_path: PathBuf,
    mut text: String,
    taxonomy_names: &[String],
) -> Result<Document, Vec<Error>> {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let is_section = name == "_index.md"
        || name
            .strip_prefix("_index.")
            .and_then(|n| n.strip_suffix(".md"))
            .is_some_and(|code| code.len() == 2 && crate::config::Language::parse(code).is_some());
    let kind = if is_section {
        DocKind::Section
    } else {
        DocKind::Page
    };
    let split = front_matter::split(&text).map_err(|e| {
        let SplitError::Unclosed(format) = e;
        let delimiter = format.delimiter();
        vec![Error::problem(
            ProblemKind::FrontMatter,
            codes::FRONT_MATTER_UNCLOSED,
            Location::from_line_col(&display_path, &text, 1, 1),
            format!("front matter starts with `{delimiter}` but has no closing `{delimiter}` line"),
            Some(format!(
                "add a line with only `{delimiter}` after the last front matter field"
            )),
        )]
    })?;
    let parsed = match split.format {
        FrontMatterFormat::Yaml => yaml::parse_mapping(split.yaml).map_err(|e| (e.hint(), e)),
        FrontMatterFormat::Toml => {
            crate::toml::parse_mapping(split.yaml).map_err(|e| (crate::toml::hint(&e), e))
        }
    };
    let mut entries = parsed.map_err(|(hint, e)| {
        let code = match split.format {
            FrontMatterFormat::Yaml => codes::FRONT_MATTER_YAML,
            FrontMatterFormat::Toml => codes::FRONT_MATTER_TOML,
        };
        let name = split.format.name();
        vec![Error::problem(
            ProblemKind::FrontMatter,
            code,
            Location::from_line_col(
                &display_path,
                &text,
                split.yaml_first_line + e.line - 1,
                e.column,
            ),
            format!("invalid {name} in front matter: {}", e.message),
            Some(hint),
        )]
    })?;
    let zola_extra = match split.format {
        FrontMatterFormat::Toml => take_extra_table(&mut entries),
        FrontMatterFormat::Yaml => None,
    };
    let source = Source {
        path: &display_path,
        text: &text,
        yaml_first_line: split.yaml_first_line,
        separator: match split.format {
            FrontMatterFormat::Yaml => ':',
            FrontMatterFormat::Toml => '=',
        },
    };
    let (mut meta, warnings) = Meta::from_entries(entries, kind, taxonomy_names, &source)?;
    for (key, value) in zola_extra.into_iter().flatten() {
        meta.extra.entry(key).or_insert(value);
    }
    let body_offset = split.body_offset;
    let fingerprint = crate::hash::stable_hash(&[rel_path.as_bytes(), text.as_bytes()]);
    Ok(Document {
        fingerprint,
        rel_path: rel_path.to_string(),
        display_path,
        kind,
        text,
        body_offset,
        meta,
        warnings,
    })
}

/// Takes out the `[extra]` table of TOML front matter: Zola keeps an article's own fields
/// there, and templates of a migrated site read them as `page.extra.hero`, not
/// `page.extra.extra.hero`. Its keys are not kbsite fields, so they skip the field checks.
fn take_extra_table(
    entries: &mut Vec<crate::yaml::Entry>,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let at = entries
        .iter()
        .position(|e| e.key == "extra" && e.value.is_object())?;
    match entries.remove(at).value {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".hidden.md",
            "a.md~",
            ".#a.md",
            "#a.md#",
            "a.md.swp",
            "4913",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("a.md"));
        assert!(!is_ignored_name("_index.md"));
    }

    #[test]
    fn yaml_error_line_is_the_file_line() {
        let text = "---\ntitle: A\ntags: [a\n---\nbody\n".to_string();
        let errs = parse_document("a.md", "content/a.md".into(), text, &[]).unwrap_err();
        let at = errs[0].location().unwrap();
        assert!(at.line >= 3 && at.line <= 4, "{at}");
        assert_eq!(at.path, Path::new("content/a.md"));
    }

    #[test]
    fn unreadable_file_is_an_error_naming_it() {
        // Root can read files without permission bits, so the test removes the file between
        // the walk and the read, which fails the same way.
        let gone = Found {
            rel_path: "seo/znikniety.md".into(),
            path: PathBuf::from("/nonexistent/kbsite/znikniety.md"),
        };
        let errs = read_document(&gone, &[]).unwrap_err();
        assert_eq!(errs[0].code(), "io");
        let text = errs[0].to_string();
        assert!(
            text.starts_with("cannot read content/seo/znikniety.md: "),
            "{text}"
        );
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nbody\r\n".to_string();
        let doc = parse_document("a.md", "content/a.md".into(), text, &[]).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("A"));
        assert_eq!(doc.body(), "body\r\n");
    }

    fn parse_toml(text: &str) -> Result<Document, Vec<Error>> {
        let taxonomies = ["tags".to_string(), "categories".to_string()];
        parse_document("a.md", "content/a.md".into(), text.to_string(), &taxonomies)
    }

    #[test]
    fn toml_front_matter_reads_like_yaml() {
        let doc = parse_toml(
            "+++\ntitle = \"Jak zacząć\"\ndate = 2024-03-01T10:00:00+01:00\ndraft = false\n\
             tags = [\"SEO\"]\nhero = \"top.png\"\n\n[taxonomies]\ncategories = [\"Porady\"]\n\n\
             [extra]\nlead = \"Krótko\"\ntitle = \"nie tytuł\"\nhero = \"inny.png\"\n+++\nTreść.\n",
        )
        .unwrap();
        let meta = &doc.meta;
        assert_eq!(meta.title.as_deref(), Some("Jak zacząć"));
        assert_eq!(
            meta.date.map(|d| d.iso()).as_deref(),
            Some("2024-03-01T10:00:00+01:00")
        );
        assert!(!meta.draft);
        assert_eq!(meta.taxonomies["tags"], ["SEO"]);
        assert_eq!(meta.taxonomies["categories"], ["Porady"]);
        assert_eq!(
            meta.extra["lead"], "Krótko",
            "[extra] keys are page.extra keys"
        );
        assert_eq!(
            meta.extra["title"], "nie tytuł",
            "[extra] keys skip field checks"
        );
        assert_eq!(
            meta.extra["hero"], "top.png",
            "a top-level key wins over [extra]"
        );
        assert!(!meta.extra.contains_key("extra"));
        assert_eq!(doc.body(), "Treść.\n");
    }

    #[test]
    fn toml_syntax_error_is_at_its_file_line_and_column() {
        let errs =
            parse_toml("+++\ntitle = \"A\"\ndescription = \"bez końca\n+++\nx\n").unwrap_err();
        assert_eq!(errs[0].code(), codes::FRONT_MATTER_TOML);
        let at = errs[0].location().unwrap();
        assert_eq!((at.line, at.column), (3, 15), "{at}");
        assert!(
            errs[0].message().contains("invalid TOML"),
            "{}",
            errs[0].message()
        );
        assert!(errs[0].hint().unwrap().contains("quote"));
    }

    #[test]
    fn toml_field_errors_point_at_the_value() {
        let errs =
            parse_toml("+++\ntitle = \"A\"\ndraft = \"maybe\"\ndate = \"1 marca: rano\"\n+++\n")
                .unwrap_err();
        let at: Vec<_> = errs
            .iter()
            .map(|e| {
                let at = e.location().unwrap();
                (e.code(), at.line, at.column, at.span)
            })
            .collect();
        assert_eq!(
            at,
            [
                (codes::FRONT_MATTER_TYPE, 3, 9, 7),
                (codes::BAD_DATE, 4, 8, 15)
            ]
        );
        assert!(errs[0].message().contains("draft"));
    }

    #[test]
    fn toml_dates_are_read_as_written() {
        for (toml, iso) in [
            ("2024-03-01", "2024-03-01"),
            ("2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z"),
            ("2024-03-01 10:00:00+01:00", "2024-03-01T10:00:00+01:00"),
            ("2024-03-01T10:00:00.5-07:00", "2024-03-01T10:00:00-07:00"),
            ("2024-03-01T10:00:00", "2024-03-01T10:00:00"),
            ("2024-03-01T10:00", "2024-03-01T10:00:00"),
            ("\"2024-03-01 10:00\"", "2024-03-01T10:00:00"),
        ] {
            let doc = parse_toml(&format!("+++\ndate = {toml}\nupdated = {toml}\n+++\n"))
                .unwrap_or_else(|e| panic!("{toml}: {e:?}"));
            assert_eq!(
                doc.meta.date.map(|d| d.iso()).as_deref(),
                Some(iso),
                "{toml}"
            );
            assert_eq!(doc.meta.updated, doc.meta.date);
        }
        let errs = parse_toml("+++\ndate = 10:00:00\n+++\n").unwrap_err();
        assert_eq!(errs[0].code(), codes::BAD_DATE, "a time alone is no date");
    }

    #[test]
    fn unclosed_toml_names_its_delimiter() {
        let errs = parse_toml("+++\ntitle = \"A\"\n---\nbody\n").unwrap_err();
        assert_eq!(errs[0].code(), codes::FRONT_MATTER_UNCLOSED);
        assert!(errs[0].message().contains("`+++`"), "{}", errs[0].message());
        assert!(errs[0].hint().unwrap().contains("`+++`"));
    }

    #[test]
    fn toml_with_bom_and_crlf() {
        let doc = parse_toml("\u{feff}+++\r\ntitle = 'A'\r\n+++\r\nbody\r\n").unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("A"));
        assert_eq!(doc.body(), "body\r\n");
    }
}
