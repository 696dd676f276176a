//! `kbsite init` and `kbsite new`: a new site that builds at once, and new articles with their
//! front matter filled in.

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use crate::config::CONFIG_FILE;
use crate::error::{Error, Location, Result};
use crate::slug::slugify;

const INIT_CONFIG: &str = r#"# kbsite configuration: every key is documented in the README.
title: "Moja baza wiedzy"
base_url: "https://example.org/"
language: pl
description: "Poradniki i odpowiedzi na pytania naszych klientów."
author: "Zespół marketingu"
# theme: default        # the built-in theme; put your own in themes/<name>/
# paginate_by: 10
# menu:
#   - { name: "Tagi", url: "/tags/", weight: 1 }
"#;

const INIT_HOME: &str = "---\ntitle: \"Moja baza wiedzy\"\n---\n\nWitaj w bazie wiedzy. Artykuły znajdziesz w działach poniżej.\n";

const INIT_SECTION: &str = "---\ntitle: \"Poradniki\"\ndescription: \"Praktyczne poradniki krok po kroku.\"\nsort_by: date\n---\n\nPoradniki dla zespołu i klientów.\n";

const INIT_ARTICLE: &str = "---\ntitle: \"Pierwszy artykuł\"\ndate: 2026-01-15\ndescription: \"Od czego zacząć pracę z bazą wiedzy.\"\ntags: [\"na start\"]\ncategories: [\"Poradniki\"]\n---\n\nTo jest przykładowy artykuł. Edytuj go albo utwórz nowy poleceniem `kbsite new \"Tytuł artykułu\"`.\n\n## Jak pisać\n\nArtykuły to pliki Markdown w folderze `content/`. Każdy folder z plikiem `_index.md` jest działem.\n";

const INIT_GITIGNORE: &str = "# The built site and kbsite's working copies of it.\n/public/\n/.public.kbsite-*\n# Social cards drawn by earlier builds: keep this folder in CI's cache, not in git.\n/.kbsite-cache/\n";

/// Creates a new site in `dir`; refuses a folder that is not empty. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage {
                message: format!("{} is not empty", dir.display()),
                hint: Some(
                    "choose a new or empty folder; kbsite init never overwrites files".into(),
                ),
            });
        }
    }
    let files = [
        (PathBuf::from(CONFIG_FILE), INIT_CONFIG),
        (PathBuf::from("content/_index.md"), INIT_HOME),
        (PathBuf::from("content/poradniki/_index.md"), INIT_SECTION),
        (
            PathBuf::from("content/poradniki/pierwszy-artykul.md"),
            INIT_ARTICLE,
        ),
        (PathBuf::from(".gitignore"), INIT_GITIGNORE),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))?;
        written.push(rel);
    }
    std::fs::create_dir_all(dir.join("static")).map_err(|e| Error::io("create folder", dir, e))?;
    Ok(written)
}

/// Where `kbsite new ARG` puts the article, and its title. `ARG` is a title (`Jak zacząć`), a
/// title in a folder (`seo/Jak zacząć`) or a path (`seo/jak-zaczac.md`).
pub fn plan_new(arg: &str) -> Result<(PathBuf, String)> {
    let arg = arg.trim();
    let (dir, last) = match arg.rsplit_once('/') {
        Some((dir, last)) => (dir, last),
        None => ("", arg),
    };
    let bad_dir = Path::new(dir)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)));
    if bad_dir || arg.starts_with('/') || arg.contains('\\') {
        return Err(Error::UnsafePath {
            at: Location::file(Path::new(arg)).into(),
            message: format!("`{arg}` must be a path inside content/"),
        });
    }
    let (file, title) = match last.strip_suffix(".md") {
        Some(stem) => {
            let slug = slugify(stem);
            let title = stem.replace(['-', '_'], " ");
            let mut chars = title.chars();
            let title = match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            };
            (slug, title)
        }
        None => (slugify(last), last.to_string()),
    };
    if file.is_empty() {
        return Err(Error::Usage {
            message: format!("`{arg}` gives no file name"),
            hint: Some("write a title with letters, e.g. kbsite new \"Jak zacząć\"".into()),
        });
    }
    // Folders become URL segments: slug them like the file name.
    let mut path = PathBuf::new();
    for part in dir.split('/').filter(|p| !p.trim().is_empty()) {
        let slug = slugify(part);
        if slug.is_empty() {
            return Err(Error::Usage {
                message: format!("folder `{part}` gives no name"),
                hint: Some("use letters or digits in folder names".into()),
            });
        }
        path.push(slug);
    }
    Ok((path.join(format!("{file}.md")), title))
}

/// Writes a new draft article under `root/content/`; refuses to overwrite. Returns its path
/// relative to the site root.
pub fn new_article(root: &Path, arg: &str, today: NaiveDate) -> Result<PathBuf> {
    let (rel, title) = plan_new(arg)?;
    let rel = Path::new("content").join(rel);
    let path = root.join(&rel);
    if path.exists() {
        return Err(Error::Usage {
            message: format!("{} already exists", rel.display()),
            hint: Some("choose another title, or edit the existing article".into()),
        });
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    }
    let quoted = serde_json::to_string(&title).unwrap_or_else(|_| "\"\"".into());
    let text = format!(
        "---\ntitle: {quoted}\ndate: {}\ndraft: true\ndescription: \"\"\ntags: []\n---\n\n",
        today.format("%Y-%m-%d")
    );
    std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_paths_and_folders() {
        let (p, t) = plan_new("Social media marketing w małej firmie").unwrap();
        assert_eq!(p, Path::new("social-media-marketing-w-malej-firmie.md"));
        assert_eq!(t, "Social media marketing w małej firmie");
        let (p, t) = plan_new("seo/Jak zacząć?").unwrap();
        assert_eq!(p, Path::new("seo/jak-zaczac.md"));
        assert_eq!(t, "Jak zacząć?");
        let (p, _) = plan_new("C++: 10 porad / część 2").unwrap();
        assert_eq!(p, Path::new("c-10-porad/czesc-2.md"));
        let (p, t) = plan_new("seo/podstawy-seo.md").unwrap();
        assert_eq!(p, Path::new("seo/podstawy-seo.md"));
        assert_eq!(t, "Podstawy seo");
    }

    #[test]
    fn hostile_paths_are_refused() {
        assert!(plan_new("../etc/x.md").is_err());
        assert!(plan_new("/etc/x.md").is_err());
        assert!(plan_new("a/../../x").is_err());
        assert!(plan_new("???").is_err());
    }
}
