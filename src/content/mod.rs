//! Loading the knowledge base: walk `content/`, read every file, split and check front matter.
//!
//! Nothing here knows about URLs or templates; the result is a list of [`Document`]s and
//! [`Attachment`]s that the site model turns into pages and sections.

pub(crate) mod date;
pub mod front_matter;
pub(crate) mod git_dates;
pub mod load;
pub(crate) mod meta;

use std::path::PathBuf;
use std::sync::Arc;

use crate::error::Diagnostic;

pub use meta::{DocKind, Meta, SortBy};

/// One Markdown file with its checked front matter.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to `content/`, `/`-separated (`seo/podstawy-seo.md`).
    pub rel_path: String,
    /// The path errors show (`content/seo/podstawy-seo.md`).
    pub display_path: PathBuf,
    /// Article or section index.
    pub kind: DocKind,
    /// The whole file, without BOM, so body offsets map to file lines.
    pub text: String,
    /// Where the Markdown body starts in `text`.
    pub body_offset: usize,
    /// The front matter.
    pub meta: Meta,
    /// Problems that do not stop the build (a misspelt front matter key).
    pub warnings: Vec<Diagnostic>,
    /// A hash of the path and the whole text: everything the document says, with the dates
    /// git gave it (`git_dates`). Incremental rebuilds compare it instead of the text.
    pub fingerprint: u64,
}

impl Document {
    /// Where `len` bytes at `offset` in the body are in the file, for a diagnostic. The line
    /// starts are found once per file and kept in `line_starts`, as most files need none.
    pub fn body_location(
        &self,
        offset: usize,
        len: usize,
        line_starts: &std::cell::OnceCell<crate::error::LineIndex>,
    ) -> crate::error::Location {
        let starts = line_starts.get_or_init(|| crate::error::LineIndex::new(&self.text));
        crate::error::Location::from_offset_in(
            &self.display_path,
            &self.text,
            starts,
            self.body_offset + offset,
            len,
        )
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The folder of the file inside `content/` (`seo` for `seo/podstawy-seo.md`, empty at the
    /// top).
    pub fn rel_dir(&self) -> &str {
        self.rel_path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The language a file name ends in (`cennik.en.md` is English) and the name without it:
    /// `cennik.en.md` and `cennik.md` in one folder are translations of each other.
    pub fn language_suffix(&self) -> (&str, Option<crate::config::Language>) {
        let stem = self.stem();
        match stem.rsplit_once('.') {
            Some((base, code)) if !base.is_empty() => match crate::config::Language::parse(code) {
                Some(lang) if code.len() == 2 => (base, Some(lang)),
                _ => (stem, None),
            },
            _ => (stem, None),
        }
    }

    /// The file name without `.md`.
    pub fn stem(&self) -> &str {
        let name = self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path);
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// A file that is copied to the output as it is (an image beside an article, a PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Path relative to its source folder, `/`-separated.
    pub rel_path: String,
    /// Where to read it from.
    pub source: PathBuf,
}

/// Everything found under `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Articles and section indexes, in path order.
    pub documents: Vec<Arc<Document>>,
    /// Other files, in path order.
    pub attachments: Vec<Attachment>,
    /// Problems that do not stop the build (skipped links).
    pub warnings: Vec<Diagnostic>,
}
