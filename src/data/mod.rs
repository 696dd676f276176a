//! Data files: `data/**/*.{yaml,yml,json,toml,csv}` under the site root, read once per build
//! and offered to templates and components as `site.data`. `data/cennik.yaml` is
//! `site.data.cennik`, `data/zespol/osoby.csv` is `site.data.zespol.osoby`; a CSV file is a
//! list of rows, each a mapping from the header's names to the row's fields.
//!
//! Each file becomes one value under its path without the extension, so two files of one name
//! (`cennik.yaml` and `cennik.json`), or a file and a folder of one name (`zespol.yaml` and
//! `zespol/`), would be one value twice: that is an error naming both. A file that does not
//! parse is an error at its `file:LINE:COL` with a hint, as front matter is. Other files under
//! `data/` are left alone.

mod csv_rows;
mod value;

use std::path::{Path, PathBuf};

use crate::codes;
use crate::error::{Diagnostic, Error, Location, ProblemKind, Result};
use crate::sources;

pub(crate) use value::DataValue;

/// Every data file of a site, as one tree of values.
#[derive(Debug, Clone)]
pub(crate) struct SiteData {
    /// `site.data`: a mapping of each file's name (without extension) and each folder's to
    /// their values, in the order of a walk of `data/`.
    pub(crate) value: DataValue,
    /// A hash of every data file's path and text: what a page that reads `site.data` depends
    /// on besides its own inputs.
    pub(crate) print: u64,
}

impl Default for SiteData {
    fn default() -> SiteData {
        SiteData {
            value: DataValue::Map(Vec::new()),
            print: crate::hash::stable_hash(&[]),
        }
    }
}

/// The formats a data file may be written in, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
    Toml,
    Csv,
}

impl Format {
    /// The format of a file name and the name without its extension.
    fn of(file_name: &str) -> Option<(&str, Format)> {
        let (stem, extension) = file_name.rsplit_once('.')?;
        let format = match extension.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Format::Yaml,
            "json" => Format::Json,
            "toml" => Format::Toml,
            "csv" => Format::Csv,
            _ => return None,
        };
        (!stem.is_empty()).then_some((stem, format))
    }

    fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
            Format::Toml => "TOML",
            Format::Csv => "CSV",
        }
    }
}

/// Why a data file could not be read: where in its text, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unreadable {
    message: String,
    /// 1-based line in the file.
    line: usize,
    /// 1-based column in the file.
    column: usize,
    hint: String,
}

impl From<crate::yaml::SyntaxError> for Unreadable {
    fn from(e: crate::yaml::SyntaxError) -> Unreadable {
        Unreadable {
            hint: e.hint(),
            message: e.message,
            line: e.line,
            column: e.column,
        }
    }
}

/// Reads one data file's text.
fn parse(format: Format, text: &str) -> Result<DataValue, Unreadable> {
    match format {
        Format::Yaml => Ok(crate::yaml::parse_document(text)?),
        Format::Toml => crate::toml::parse_document(text).map_err(|e| Unreadable {
            hint: crate::toml::hint(&e),
            message: e.message,
            line: e.line,
            column: e.column,
        }),
        Format::Json => serde_json::from_str(text).map_err(|e| json_problem(&e)),
        Format::Csv => csv_rows::rows(text),
    }
}

/// What serde_json said, without its own position suffix, with a hint in an author's words.
fn json_problem(e: &serde_json::Error) -> Unreadable {
    let full = e.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string();
    let m = message.as_str();
    let hint = if m.contains("trailing comma") {
        "remove the `,` after the last item: JSON allows none there"
    } else if m.contains("key must be a string") {
        "write every key in double quotes: {\"nazwa\": \"Start\"}"
    } else if m.contains("written twice") {
        "keep one of the two keys"
    } else if m.contains("EOF while parsing") {
        "close every `{`, `[` and `\"` the file opens"
    } else if m.contains("expected `,` or") {
        "separate the items with `,`"
    } else if m.contains("control character") {
        "text cannot span lines in JSON: write a line break as \\n"
    } else if m.contains("expected value") {
        "write a value: text in double quotes, a number, true, false, null, a list [ ] or an object { }"
    } else {
        "JSON writes keys and text in double quotes, `,` between items and none after the last"
    };
    Unreadable {
        message,
        line: e.line().max(1),
        column: e.column().max(1),
        hint: hint.to_string(),
    }
}

/// Where a value came from, for the error when another file claims its name.
struct Origin {
    /// The path of the value under `site.data` (`zespol/osoby`).
    key: String,
    /// The file, or the folder, that made it (`data/zespol/osoby.csv`, `data/zespol/`).
    source: PathBuf,
    /// Whether a folder made it: another file may add to it.
    folder: bool,
}

impl SiteData {
    /// Reads every data file under `root`'s `data/` folder (skipped symbolic links are
    /// `warnings`). Every file that does not parse, and every name two files claim, is an
    /// error, all of them together.
    pub(crate) fn load(root: &Path, warnings: &mut Vec<Diagnostic>) -> Result<SiteData> {
        let dir = root.join(sources::DATA);
        let found = crate::content::load::walk(&dir, root, warnings)?;
        let mut tree: Vec<(String, DataValue)> = Vec::new();
        let mut origins: Vec<Origin> = Vec::new();
        let mut hashed: Vec<Vec<u8>> = Vec::new();
        let mut errors = Vec::new();
        for f in found {
            let (folders, file_name) = match f.rel_path.rsplit_once('/') {
                Some((folders, name)) => (folders, name),
                None => ("", f.rel_path.as_str()),
            };
            let Some((stem, format)) = Format::of(file_name) else {
                continue;
            };
            let display = Path::new(sources::DATA).join(&f.rel_path);
            let bytes = std::fs::read(&f.path).map_err(|e| Error::io("read", &display, e))?;
            let Ok(text) = String::from_utf8(bytes) else {
                errors.push(Error::NotUtf8 { path: display });
                continue;
            };
            hashed.push(f.rel_path.clone().into_bytes());
            hashed.push(text.clone().into_bytes());
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let value = match parse(format, text) {
                Ok(value) => value,
                Err(bad) => {
                    errors.push(Error::problem(
                        ProblemKind::Data,
                        codes::DATA_SYNTAX,
                        Location::from_line_col(&display, text, bad.line, bad.column),
                        format!("invalid {} in a data file: {}", format.name(), bad.message),
                        Some(bad.hint),
                    ));
                    continue;
                }
            };
            let mut path: Vec<&str> = folders.split('/').filter(|p| !p.is_empty()).collect();
            path.push(stem);
            if let Err(e) = insert(&mut tree, &mut origins, &path, value, &display) {
                errors.push(e);
            }
        }
        Error::collect(errors)?;
        let parts: Vec<&[u8]> = hashed.iter().map(Vec::as_slice).collect();
        Ok(SiteData {
            value: DataValue::Map(tree),
            print: crate::hash::stable_hash(&parts),
        })
    }
}

/// Puts `value` at `path` (folders, then the file's name) in `tree`, making the folders'
/// mappings on the way; a name another file or folder already holds is an error naming both.
fn insert(
    tree: &mut Vec<(String, DataValue)>,
    origins: &mut Vec<Origin>,
    path: &[&str],
    value: DataValue,
    file: &Path,
) -> Result<()> {
    let mut level = tree;
    for (depth, part) in path.iter().enumerate() {
        let key = path[..=depth].join("/");
        let is_file = depth + 1 == path.len();
        let taken = origins.iter().find(|o| o.key == key);
        let clash = match taken {
            // A folder of this name is fine for a folder; anything else is two things in one
            // place.
            Some(o) if is_file || !o.folder => Some(o),
            _ => None,
        };
        if let Some(other) = clash {
            let name = format!("site.data.{}", path[..=depth].join("."));
            let this = if is_file {
                file.to_path_buf()
            } else {
                folder_display(&path[..=depth])
            };
            return Err(Error::problem(
                ProblemKind::Data,
                codes::DATA_DUPLICATE,
                Location::file(&this),
                format!(
                    "{} and {} would both be `{name}`",
                    slash(&other.source),
                    slash(&this)
                ),
                Some("keep one of them, or rename one: each data file is one value".into()),
            ));
        }
        if is_file {
            origins.push(Origin {
                key,
                source: file.to_path_buf(),
                folder: false,
            });
            level.push((part.to_string(), value));
            return Ok(());
        }
        if taken.is_none() {
            origins.push(Origin {
                key,
                source: folder_display(&path[..=depth]),
                folder: true,
            });
            level.push((part.to_string(), DataValue::Map(Vec::new())));
        }
        let Some((_, DataValue::Map(next))) = level.iter_mut().find(|(k, _)| k == part) else {
            // A folder's mapping is always there once its origin is.
            return Ok(());
        };
        level = next;
    }
    Ok(())
}

/// How errors name a folder of `data/`: `data/zespol/`.
fn folder_display(path: &[&str]) -> PathBuf {
    PathBuf::from(format!("{}/{}/", sources::DATA, path.join("/")))
}

/// A path with `/` between its parts on every system, as errors show paths of the site.
fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn load(files: &[(&str, &str)]) -> Result<SiteData> {
        let dir = site(files);
        SiteData::load(dir.path(), &mut Vec::new())
    }

    fn json(data: &SiteData) -> String {
        serde_json::to_string(&data.value).unwrap()
    }

    #[test]
    fn every_format_lands_under_its_path_in_the_order_written() {
        let data = load(&[
            (
                "data/cennik.yaml",
                "waluta: zł\npakiety:\n  - {nazwa: Start, cena: 490}\n",
            ),
            (
                "data/zespol/osoby.csv",
                "imię,rola\nAnna,redakcja\nPiotr,SEO\n",
            ),
            (
                "data/zespol/biuro.json",
                "{\"miasto\": \"Łódź\", \"kod\": \"90-001\"}",
            ),
            (
                "data/opcje.toml",
                "z = 1\na = 2024-03-01\n[tabela]\nklucz = true\n",
            ),
            ("data/inne.yml", "- 1\n- 2\n"),
            ("data/notatki.txt", "nie dane"),
        ])
        .unwrap();
        assert_eq!(
            json(&data),
            concat!(
                r#"{"cennik":{"waluta":"zł","pakiety":[{"nazwa":"Start","cena":490}]},"#,
                r#""inne":[1,2],"opcje":{"z":1,"a":"2024-03-01","tabela":{"klucz":true}},"#,
                r#""zespol":{"biuro":{"miasto":"Łódź","kod":"90-001"},"#,
                r#""osoby":[{"imię":"Anna","rola":"redakcja"},{"imię":"Piotr","rola":"SEO"}]}}"#
            )
        );
        let other = load(&[("data/cennik.yaml", "waluta: EUR\n")]).unwrap();
        assert_ne!(data.print, other.print);
        assert_eq!(
            SiteData::load(Path::new("/nonexistent"), &mut Vec::new())
                .unwrap()
                .value,
            DataValue::Map(Vec::new())
        );
    }

    #[test]
    fn two_files_of_one_name_are_an_error_naming_both() {
        let e = load(&[("data/cennik.json", "{}"), ("data/cennik.yaml", "a: 1\n")]).unwrap_err();
        assert_eq!(e.code(), codes::DATA_DUPLICATE);
        assert_eq!(
            e.message(),
            "data/cennik.json and data/cennik.yaml would both be `site.data.cennik`"
        );
        let e = load(&[
            ("data/zespol.yaml", "a: 1\n"),
            ("data/zespol/osoby.csv", "a\n1\n"),
        ])
        .unwrap_err();
        assert_eq!(
            e.message(),
            "data/zespol/ and data/zespol.yaml would both be `site.data.zespol`"
        );
    }

    #[test]
    fn syntax_errors_are_at_their_line_and_column_in_each_format() {
        let cases = [
            ("data/a.yaml", "ok: 1\nlista: [1, 2\n", 2, 8),
            ("data/a.json", "{\n  \"a\": 1,\n}\n", 3, 1),
            ("data/a.toml", "a = 1\nb = \"bez końca\n", 2, 5),
            ("data/a.csv", "a,b\n1,2\n3\n", 3, 1),
        ];
        for (path, text, line, column) in cases {
            let e = load(&[(path, text)]).unwrap_err();
            assert_eq!(e.code(), codes::DATA_SYNTAX, "{path}");
            let at = e.location().unwrap();
            assert_eq!(
                (at.path.to_str().unwrap(), at.line, at.column),
                (path, line, column),
                "{path}: {e}"
            );
            assert!(e.hint().is_some_and(|h| !h.is_empty()));
        }
    }
}
