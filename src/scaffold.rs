//! `kbsite init` and `kbsite new`: a new site that builds at once, and new articles with their
//! front matter filled in.

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use crate::config::CONFIG_FILE;
use crate::error::{Error, Location, Result};
use crate::slug::slugify;

const INIT_CONFIG: &str = r#"# kbsite configuration: every key is documented at https://kbsite.dev/configuration/
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
    std::fs::create_dir_all(dir.join(crate::sources::STATIC))
        .map_err(|e| Error::io("create folder", dir, e))?;
    Ok(written)
}

/// The longest file name `kbsite new` makes from a title, in characters: file systems refuse
/// names over 255 bytes, and an address of a hundred characters helps nobody.
const MAX_SLUG: usize = 80;

/// `slug` cut to [`MAX_SLUG`] characters at a hyphen, so no word is cut in half.
fn short_slug(slug: String) -> String {
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let cut = slug[..MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
    slug[..cut].to_string()
}

/// Where `kbsite new ARG` puts the article, and its title. `ARG` is a title (`Jak zacząć`), a
/// title in a folder (`seo/Jak zacząć`) or a path (`seo/jak-zaczac.md`). A `/` in a title
/// names a folder only when `is_folder` says `content/` has it (or `ARG` ends in `.md`), so
/// "Ceny 2024/2025 w małej firmie" stays one title.
pub fn plan_new(arg: &str, is_folder: &dyn Fn(&str) -> bool) -> Result<(PathBuf, String)> {
    let arg = arg.trim();
    let (dir, last) = match arg.rsplit_once('/') {
        Some((dir, last))
            if arg.ends_with(".md")
                || arg.starts_with('/')
                || dir.split('/').any(|p| p.trim() == ".." || p.trim() == ".")
                || is_folder(dir) =>
        {
            (dir, last)
        }
        _ => ("", arg),
    };
    let bad_dir = Path::new(dir)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)));
    if bad_dir || arg.starts_with('/') || arg.contains('\\') {
        return Err(Error::unsafe_path(
            Location::file(Path::new(arg)),
            format!("`{arg}` must be a path inside content/"),
        ));
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
        None => (short_slug(slugify(last)), last.to_string()),
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
    let content = root.join(crate::sources::CONTENT);
    let is_folder = |dir: &str| {
        content.join(dir).is_dir() || {
            let slugged: Vec<String> = dir.split('/').map(slugify).collect();
            content.join(slugged.join("/")).is_dir()
        }
    };
    let (rel, title) = plan_new(arg, &is_folder)?;
    let rel = Path::new(crate::sources::CONTENT).join(rel);
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

    /// The new site's config points at the manual's page of every key, which exists.
    #[test]
    fn the_new_config_names_the_manual_page_of_its_keys() {
        let url = format!("{}configuration/", crate::codes::MANUAL_URL);
        assert!(INIT_CONFIG.lines().next().unwrap().ends_with(&url));
        let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/content/configuration/_index.md");
        assert!(page.is_file(), "{}", page.display());
    }

    /// A site whose content/ has the folders `seo` and `c-10-porad`.
    fn plan(arg: &str) -> Result<(PathBuf, String)> {
        plan_new(arg, &|dir| ["seo", "C++: 10 porad "].contains(&dir))
    }

    #[test]
    fn titles_paths_and_folders() {
        let (p, t) = plan("Social media marketing w małej firmie").unwrap();
        assert_eq!(p, Path::new("social-media-marketing-w-malej-firmie.md"));
        assert_eq!(t, "Social media marketing w małej firmie");
        let (p, t) = plan("seo/Jak zacząć?").unwrap();
        assert_eq!(p, Path::new("seo/jak-zaczac.md"));
        assert_eq!(t, "Jak zacząć?");
        let (p, _) = plan("C++: 10 porad / część 2").unwrap();
        assert_eq!(p, Path::new("c-10-porad/czesc-2.md"));
        let (p, t) = plan("seo/podstawy-seo.md").unwrap();
        assert_eq!(p, Path::new("seo/podstawy-seo.md"));
        assert_eq!(t, "Podstawy seo");
    }

    #[test]
    fn a_slash_in_a_title_names_no_folder_that_does_not_exist() {
        let (p, t) = plan("Ceny 2024/2025 w małej firmie").unwrap();
        assert_eq!(p, Path::new("ceny-2024-2025-w-malej-firmie.md"));
        assert_eq!(t, "Ceny 2024/2025 w małej firmie");
        let (p, _) = plan("Co dalej... i jak").unwrap();
        assert_eq!(p, Path::new("co-dalej-i-jak.md"));
    }

    #[test]
    fn long_titles_give_short_file_names() {
        let title = "Bardzo długi tytuł artykułu o marketingu ".repeat(8);
        let (p, t) = plan(&title).unwrap();
        let name = p.to_str().unwrap();
        assert!(name.len() <= MAX_SLUG + 3, "{name}");
        assert!(name.ends_with(".md") && !name.contains("-.md"), "{name}");
        assert_eq!(t, title.trim());
    }

    #[test]
    fn hostile_paths_are_refused() {
        assert!(plan("../etc/x.md").is_err());
        assert!(plan("/etc/x.md").is_err());
        assert!(plan("a/../../x").is_err());
        assert!(plan("???").is_err());
    }
}
