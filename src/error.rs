//! The one error type of the library.
//!
//! Every failure a user can cause points at the file, line and column that caused it and says
//! how to fix it, because the person reading it is an author in a hurry, not a Rust developer.
//! The binary renders these errors once (with a source snippet); the library never prints.
//!
//! Most errors have one shape, a [`Problem`] of some [`ProblemKind`]. A check of a lone value,
//! which does not know where the value is written, returns a [`Complaint`] that its caller
//! turns into a problem at the right place.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a source file, 1-based line and column, with the text of that line so that a
/// reporter can show it even when the file is not on disk (an embedded theme template).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user should see it (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line number in the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The text of that line, without its line ending; empty when unknown.
    pub source_line: String,
    /// How many characters from `column` the problem spans (at least 1).
    pub span: usize,
    /// How many characters of the line come before `source_line`: a very long line is kept
    /// as a window around the problem, so thousands of problems on one line of a megabyte
    /// cost kilobytes, not gigabytes. Zero for a whole line.
    pub source_start: usize,
}

/// Lines longer than this many characters are kept as a window around the problem.
const LONG_LINE: usize = 400;
/// How many characters of a long line are kept before the problem.
const WINDOW_BEFORE: usize = 80;
/// How many characters of a long line are kept from the problem on.
const WINDOW_AFTER: usize = 160;

/// What finding the line and column of many offsets in one file needs, worked out once: the
/// byte offset where each line starts, and how many characters come before each block of
/// `LineIndex::BLOCK` bytes. A lookup then costs at most one block of counting, so
/// thousands of problems on one line of a megabyte stay linear in the file.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    chars_before_block: Vec<usize>,
}

impl LineIndex {
    /// Bytes per block of the character counts.
    const BLOCK: usize = 4096;

    /// Indexes `source`.
    pub fn new(source: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut chars_before_block = Vec::with_capacity(source.len() / Self::BLOCK + 1);
        let mut total = 0;
        for block in source.as_bytes().chunks(Self::BLOCK) {
            chars_before_block.push(total);
            total += count_chars(block);
        }
        LineIndex {
            starts,
            chars_before_block,
        }
    }

    /// Characters of `source` before byte `offset` (a character boundary).
    fn chars_before(&self, source: &str, offset: usize) -> usize {
        let block = offset / Self::BLOCK;
        let counted = self.chars_before_block.get(block).copied().unwrap_or(0);
        counted + count_chars(&source.as_bytes()[(block * Self::BLOCK).min(offset)..offset])
    }
}

/// The characters in UTF-8 bytes: every byte that does not continue a character starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// The byte offset `n` characters before `offset` in `text`, not before `floor`.
fn back_chars(text: &str, offset: usize, n: usize, floor: usize) -> usize {
    text[floor..offset]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(offset, |(i, _)| floor + i)
}

/// The byte offset `n` characters after `offset` in `text`, not after `ceiling`.
fn forward_chars(text: &str, offset: usize, n: usize, ceiling: usize) -> usize {
    text[offset..ceiling]
        .char_indices()
        .nth(n)
        .map_or(ceiling, |(i, _)| offset + i)
}

impl Location {
    /// [`Location::from_offset`] with the file's [`LineIndex`] made once, so reporting
    /// thousands of problems in one file stays linear.
    pub fn from_offset_in(
        path: &Path,
        source: &str,
        index: &LineIndex,
        offset: usize,
        span_bytes: usize,
    ) -> Location {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let starts = &index.starts;
        let line_index = starts.partition_point(|&start| start <= offset).max(1) - 1;
        let line_start = starts.get(line_index).copied().unwrap_or(0);
        let line_end = starts
            .get(line_index + 1)
            .map_or(source.len(), |&next| next - 1);
        let column =
            index.chars_before(source, offset) - index.chars_before(source, line_start) + 1;
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let text_end = line_start + line_text.len();
        let span_end = floor_char_boundary(source, (offset + span_bytes).min(line_end));
        let span = source[offset..span_end].chars().count().max(1);
        let (source_line, source_start) = if line_text.len() > LONG_LINE {
            let from = back_chars(source, offset.min(text_end), WINDOW_BEFORE, line_start);
            let to = forward_chars(
                source,
                offset.min(text_end),
                span.max(WINDOW_AFTER),
                text_end,
            );
            let skipped = index.chars_before(source, from) - index.chars_before(source, line_start);
            (source[from..to].to_string(), skipped)
        } else {
            (line_text.to_string(), 0)
        };
        Location {
            path: path.to_path_buf(),
            line: line_index + 1,
            column,
            source_line,
            span,
            source_start,
        }
    }

    /// Builds a location from a byte offset into `source`, so callers never count lines by hand.
    pub fn from_offset(path: &Path, source: &str, offset: usize, span_bytes: usize) -> Location {
        Location::from_offset_in(path, source, &LineIndex::new(source), offset, span_bytes)
    }

    /// Builds a location from a 1-based line and column of `source`.
    pub fn from_line_col(path: &Path, source: &str, line: usize, column: usize) -> Location {
        let source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        Location {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            source_line,
            span: 1,
            source_start: 0,
        }
    }

    /// A location naming only a file, for problems that belong to the whole file.
    pub fn file(path: &Path) -> Location {
        Location {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            source_line: String::new(),
            span: 1,
            source_start: 0,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; stops the build only under `--strict`.
    Warning,
}

/// One problem as reporters show it: the same shape for errors and warnings, for the human,
/// JSON and GitHub formats alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code (`missing-article`, `orphan-page`), documented on its page of the
    /// manual (see [`Diagnostic::url`]).
    pub code: &'static str,
    /// Where, when the problem has a place in a file.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A warning at a place.
    pub fn warning(
        code: &'static str,
        location: Location,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code,
            location: Some(location),
            message: message.into(),
            hint,
        }
    }

    /// The address of the manual's page about this diagnostic's code, which explains it
    /// with an example and the fix.
    pub fn url(&self) -> String {
        crate::codes::page_url(self.code)
    }

    /// `text` followed by the address of the code's page: `text — see https://…/`. The
    /// address stands last, apart from the text and with nothing glued to its end, so
    /// terminals and GitHub make exactly the address a link.
    pub fn with_url(&self, text: &str) -> String {
        format!("{text} — see {}", self.url())
    }

    /// What the `help:` line says: the hint, if any, and the address of the code's page.
    /// Every diagnostic has one, so a reader always has a way on.
    pub fn help(&self) -> String {
        match &self.hint {
            Some(hint) => self.with_url(hint),
            None => format!("see {}", self.url()),
        }
    }
}

/// The codes of links to pages, anchors and files that do not exist: what `broken_links: warn`
/// turns into warnings, and what the preview shows beside the page.
pub const BROKEN_LINK_CODES: &[&str] = &[
    crate::codes::MISSING_PAGE,
    crate::codes::MISSING_ANCHOR,
    crate::codes::MISSING_FILE,
    crate::codes::MISSING_ARTICLE,
    crate::codes::WIKI_LINK,
    crate::codes::DRAFT_LINK,
];

/// Whether `code` is one of [`BROKEN_LINK_CODES`].
pub fn is_broken_link_code(code: &str) -> bool {
    BROKEN_LINK_CODES.contains(&code)
}

/// What a [`Problem`] is about. Every kind carries the same fields, so the kind is a value
/// rather than a variant of [`Error`]; it decides the exit code (see [`Error::exit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// `kbsite.yaml` is not valid YAML, a value has the wrong type, or it names something the
    /// site does not have (a theme, a logo); the problem is at its place in kbsite.yaml.
    Config,
    /// A front matter block is not valid YAML, or a field has the wrong type or value; the
    /// problem is at its place in the Markdown file.
    FrontMatter,
    /// A link in Markdown points at an article, file or heading that does not exist; the
    /// problem is where the link is written.
    BrokenLink,
    /// A component call in Markdown (`{{ youtube(id="…") }}`, `{{ include(…) }}`) that cannot
    /// be made: unknown name, bad arguments, a template that fails, an include cycle; the
    /// problem is where the call is written.
    Component,
    /// Markdown that cannot be rendered as written (a formula that does not parse); the
    /// problem is where it is written.
    Markdown,
    /// Two things would be written to the same output file; the problem is at the later of
    /// the two sources.
    Conflict,
    /// A path from user input would leave the folder it belongs in; the problem is where the
    /// path is written. Made by [`Error::unsafe_path`], which gives it its code and hint.
    UnsafePath,
    /// A data file under `data/` does not parse, or two data files would be one value of
    /// `site.data`; the problem is at its place in the data file.
    Data,
}

/// A problem an author caused at one place in a file, with its stable code and a way out:
/// the shape most errors share, kept in one struct so that reporters read every one of them
/// the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What the problem is about; decides the exit code.
    pub kind: ProblemKind,
    /// The stable diagnostic code (`missing-article`).
    pub code: &'static str,
    /// Where in which file.
    pub at: Location,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// What a check of one value found wrong, and how to fix it, before anyone knows where the
/// value is written: the checks of config values and front matter fields look at a value
/// alone, and their caller, which knows the file, line and key, turns the complaint into a
/// located [`Problem`] (see [`Complaint::locate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// What is wrong with the value.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Complaint {
    /// A complaint without a hint yet.
    pub fn new(message: impl Into<String>) -> Complaint {
        Complaint {
            message: message.into(),
            hint: None,
        }
    }

    /// The same complaint with a way out.
    pub fn with_hint(self, hint: impl Into<String>) -> Complaint {
        Complaint {
            hint: Some(hint.into()),
            ..self
        }
    }

    /// The error this complaint is once its place is known.
    pub fn locate(self, kind: ProblemKind, code: &'static str, at: Location) -> Error {
        Error::problem(kind, code, at, self.message, self.hint)
    }
}

/// Everything that can go wrong, each variant carrying where and a way out.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No `kbsite.yaml` at or above the starting folder.
    #[error("no kbsite.yaml found in {} or any folder above it", start.display())]
    ConfigNotFound {
        /// Where the search started.
        start: PathBuf,
    },
    /// A problem at a place in a file, of one of the [`ProblemKind`]s. Boxed, so that
    /// results of the library stay small.
    #[error("{}: {}", .0.at, .0.message)]
    Problem(Box<Problem>),
    /// A template does not parse or fails while rendering.
    #[error("{at}: {message}")]
    Template {
        /// Where in the template file.
        at: Box<Location>,
        /// What Tera said.
        message: String,
        /// The page being rendered, if any.
        rendering: Option<String>,
    },
    /// A template the site needs exists neither in the site nor in the theme.
    #[error("template `{name}` not found (looked in {})", searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    MissingTemplate {
        /// The template name.
        name: String,
        /// The folders that were searched.
        searched: Vec<PathBuf>,
        /// What asked for it.
        wanted_by: Option<Box<Location>>,
    },
    /// A file or folder could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What kbsite was doing.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A file is not UTF-8 text.
    #[error("{} is not UTF-8 text", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// The output folder holds files kbsite did not write; kbsite refuses to replace it.
    #[error("{} exists and was not created by kbsite; refusing to replace it", path.display())]
    ForeignOutput {
        /// The output folder.
        path: PathBuf,
    },
    /// Another kbsite is writing the output folder and this one was told not to wait.
    #[error("another kbsite is writing {} right now", path.display())]
    OutputLocked {
        /// The output folder.
        path: PathBuf,
    },
    /// The built search index is missing, unreadable or of another version.
    #[error("{}: {message}", path.display())]
    SearchIndex {
        /// The index file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The command line asks for something impossible.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// A warning turned into an error by `--strict`.
    #[error("{}", .0.message)]
    Denied(Box<Diagnostic>),
    /// Several independent problems, all reported at once so an author fixes them in one go.
    #[error("{} errors", .0.len())]
    Many(Vec<Error>),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A [`Problem`] of `kind` at `at`, as an error.
    pub fn problem(
        kind: ProblemKind,
        code: &'static str,
        at: Location,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Error {
        Error::Problem(Box::new(Problem {
            kind,
            code,
            at,
            message: message.into(),
            hint,
        }))
    }

    /// A path from user input that would leave the folder it belongs in, at `at`: every such
    /// problem has the same code and the same way out.
    pub fn unsafe_path(at: Location, message: impl Into<String>) -> Error {
        Error::problem(
            ProblemKind::UnsafePath,
            crate::codes::UNSAFE_PATH,
            at,
            message,
            Some("use a path inside the site, without `..` or a leading drive".into()),
        )
    }

    /// Wraps an I/O error with what kbsite was doing and on which path.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Several errors as one: one is itself, more become `Many`, so a build reports every
    /// problem it found rather than the first.
    pub fn all(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }

    /// Collapses a list of errors: none is `Ok`, else [`Error::all`].
    pub fn collect(errors: Vec<Error>) -> Result<()> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::all(errors))
        }
    }

    /// The exit code the binary uses: 2 for configuration and usage problems, 1 for content and
    /// template problems, so CI scripts can tell "fix the command" from "fix the articles".
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::ConfigNotFound { .. }
            | Error::ForeignOutput { .. }
            | Error::OutputLocked { .. }
            | Error::Usage { .. } => 2,
            Error::Problem(problem) => match problem.kind {
                ProblemKind::Config => 2,
                ProblemKind::FrontMatter
                | ProblemKind::BrokenLink
                | ProblemKind::Component
                | ProblemKind::Markdown
                | ProblemKind::Conflict
                | ProblemKind::UnsafePath
                | ProblemKind::Data => 1,
            },
            Error::Many(all) => all.iter().map(Error::exit_code).max().unwrap_or(1),
            _ => 1,
        }
    }

    /// Where the problem is, when it has a place in a file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Problem(problem) => Some(&problem.at),
            Error::Template { at, .. } => Some(at.as_ref()),
            Error::MissingTemplate { wanted_by, .. } => wanted_by.as_deref(),
            Error::Denied(d) => d.location.as_ref(),
            _ => None,
        }
    }

    /// The message without the location prefix, for reporters that show the location apart.
    pub fn message(&self) -> String {
        match self {
            Error::Problem(problem) => problem.message.clone(),
            Error::Denied(d) => d.message.clone(),
            Error::Template {
                message, rendering, ..
            } => match rendering {
                Some(what) => format!("{message} (while rendering {what})"),
                None => message.clone(),
            },
            other => other.to_string(),
        }
    }

    /// How to fix the problem, in one sentence.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Problem(problem) => problem.hint.clone(),
            Error::Usage { hint, .. } => hint.clone(),
            Error::ConfigNotFound { .. } => Some(
                "run kbsite inside a site folder, pass --root DIR, or create a site with `kbsite init DIR`"
                    .into(),
            ),
            Error::MissingTemplate { name, .. } => Some(format!(
                "create templates/{name} in the site, or fix the name in the `template` field"
            )),
            Error::ForeignOutput { .. } => Some(
                "choose another --output folder, or move that folder away; kbsite only replaces folders it built"
                    .into(),
            ),
            Error::OutputLocked { .. } => Some(
                "run again when it is done, or leave out --no-wait to wait for it".into(),
            ),
            Error::NotUtf8 { .. } => Some("save the file as UTF-8".into()),
            Error::SearchIndex { .. } => Some(
                "rebuild the index with `kbsite build` (or delete the output folder and search again)"
                    .into(),
            ),
            Error::Denied(d) => d.hint.clone(),
            _ => None,
        }
    }

    /// The stable code of the problem, for `--format json`, CI annotations and the address of
    /// its page in the manual.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Problem(problem) => problem.code,
            Error::ConfigNotFound { .. } => crate::codes::CONFIG_NOT_FOUND,
            Error::Template { .. } => crate::codes::TEMPLATE_ERROR,
            Error::MissingTemplate { .. } => crate::codes::MISSING_TEMPLATE,
            Error::Io { .. } => crate::codes::IO,
            Error::NotUtf8 { .. } => crate::codes::NOT_UTF8,
            Error::ForeignOutput { .. } => crate::codes::FOREIGN_OUTPUT,
            Error::OutputLocked { .. } => crate::codes::OUTPUT_LOCKED,
            Error::Usage { .. } => crate::codes::USAGE,
            Error::SearchIndex { .. } => crate::codes::SEARCH_INDEX,
            Error::Denied(d) => d.code,
            Error::Many(_) => crate::codes::MANY,
        }
    }

    /// Every problem inside, as diagnostics for the reporters.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.flatten()
            .into_iter()
            .map(|e| Diagnostic {
                severity: Severity::Error,
                code: e.code(),
                location: e.location().cloned(),
                message: e.message(),
                hint: e.hint(),
            })
            .collect()
    }

    /// Turns warnings into errors, for `--strict`.
    pub fn deny(warnings: &[Diagnostic]) -> Result<()> {
        let errors = warnings
            .iter()
            .map(|w| {
                Error::Denied(Box::new(Diagnostic {
                    severity: Severity::Error,
                    ..w.clone()
                }))
            })
            .collect();
        Error::collect(errors)
    }

    /// The errors inside, flattened, so a reporter prints each on its own.
    pub fn flatten(&self) -> Vec<&Error> {
        match self {
            Error::Many(all) => all.iter().flat_map(Error::flatten).collect(),
            one => vec![one],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_from_offset_counts_lines_and_characters() {
        let src = "a\nżółw x\nc";
        let offset = src.find('x').unwrap();
        let at = Location::from_offset(Path::new("f.md"), src, offset, 1);
        assert_eq!((at.line, at.column), (2, 6));
        assert_eq!(at.source_line, "żółw x");
        assert_eq!(at.to_string(), "f.md:2:6");
    }

    /// The location as counted the plain way: lines and characters from the start.
    fn counted(source: &str, offset: usize, span_bytes: usize) -> (usize, usize, usize, String) {
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        let line_end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i);
        let span_end = floor_char_boundary(source, (offset + span_bytes).min(line_end));
        let span = source[offset..span_end].chars().count().max(1);
        let text = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        (line, column, span, text)
    }

    proptest::proptest! {
        #[test]
        fn indexed_locations_equal_counting_from_the_start(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[a-z ]{0,900}").unwrap(),
                    proptest::string::string_regex("[żółw€😀 x]{0,300}").unwrap(),
                    proptest::prop_oneof![
                        proptest::strategy::Just("\n".to_string()),
                        proptest::strategy::Just("\r\n".to_string())
                    ],
                ],
                0..30,
            ),
            picks in proptest::collection::vec(0.0f64..1.0, 1..20),
            span in 0usize..12,
        ) {
            let source: String = pieces.concat();
            let index = LineIndex::new(&source);
            for pick in picks {
                let offset = floor_char_boundary(&source, (pick * source.len() as f64) as usize);
                let at = Location::from_offset_in(Path::new("f"), &source, &index, offset, span);
                let (line, column, chars, text) = counted(&source, offset, span);
                proptest::prop_assert_eq!((at.line, at.column, at.span), (line, column, chars));
                // The line shown is the whole line, or the window of it that starts
                // `source_start` characters in.
                let shown: String = text.chars().skip(at.source_start).take(at.source_line.chars().count()).collect();
                proptest::prop_assert_eq!(&at.source_line, &shown);
                proptest::prop_assert!(at.source_start < column || column == 1 && at.source_start == 0);
                proptest::prop_assert_eq!(at, Location::from_offset(Path::new("f"), &source, offset, span));
            }
        }
    }

    #[test]
    fn exit_code_of_many_is_the_worst() {
        let content = Error::problem(
            ProblemKind::BrokenLink,
            crate::codes::MISSING_ARTICLE,
            Location::file(Path::new("a.md")),
            "x",
            None,
        );
        let config = Error::Usage {
            message: "y".into(),
            hint: None,
        };
        assert_eq!(content.exit_code(), 1);
        assert_eq!(Error::Many(vec![content, config]).exit_code(), 2);
    }

    #[test]
    fn a_problem_reads_the_same_through_every_accessor() {
        let at = Location::from_line_col(Path::new("kbsite.yaml"), "title: X\nbad: 1\n", 2, 1);
        let config = Complaint::new("unknown key `bad`")
            .with_hint("did you mean `base_url`?")
            .locate(ProblemKind::Config, crate::codes::CONFIG_UNKNOWN_KEY, at);
        assert_eq!(config.to_string(), "kbsite.yaml:2:1: unknown key `bad`");
        assert_eq!(config.message(), "unknown key `bad`");
        assert_eq!(config.hint().as_deref(), Some("did you mean `base_url`?"));
        assert_eq!(config.code(), crate::codes::CONFIG_UNKNOWN_KEY);
        assert_eq!(config.location().map(|at| at.line), Some(2));
        assert_eq!(config.exit_code(), 2);

        let escape = Error::unsafe_path(Location::file(Path::new("../x")), "`../x` leaves");
        assert_eq!(escape.to_string(), "../x:1:1: `../x` leaves");
        assert_eq!(escape.code(), crate::codes::UNSAFE_PATH);
        assert_eq!(
            escape.hint().as_deref(),
            Some("use a path inside the site, without `..` or a leading drive")
        );
        assert_eq!(escape.exit_code(), 1);
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn a_long_line_is_kept_as_a_window_around_the_problem() {
        let line: String = (0..20_000).map(|i| format!("[x](/b{i}/) ")).collect();
        let source = format!("# T\n\n{line}\n");
        let starts = LineIndex::new(&source);
        let offset = source.find("[x](/b19000/)").unwrap() + 4;
        let at = Location::from_offset_in(Path::new("a.md"), &source, &starts, offset, 8);
        assert_eq!(at.line, 3);
        assert_eq!(at.column, line.find("/b19000/").unwrap() + 1);
        assert!(at.source_line.chars().count() <= WINDOW_BEFORE + WINDOW_AFTER);
        let shown: String = at
            .source_line
            .chars()
            .skip(at.column - 1 - at.source_start)
            .take(at.span)
            .collect();
        assert_eq!(shown, "/b19000/");
        // A short line is kept whole.
        let short = Location::from_offset(Path::new("a.md"), "ab [x](y)\n", 7, 1);
        assert_eq!(
            (short.source_line.as_str(), short.source_start),
            ("ab [x](y)", 0)
        );
    }
}
