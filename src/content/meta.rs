//! Typed front matter: the fields kbsite knows, checked one by one with the line they are on;
//! every other key is kept for templates as `extra`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::codes;
use crate::config::{Language, describe_value};
use crate::content::date::{ACCEPTED_FORMS, PageDate};
use crate::error::{Complaint, Diagnostic, Error, Location, ProblemKind};
use crate::yaml::Entry;

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Newest first; undated pages last, by title.
    #[default]
    Date,
    /// Alphabetical, Polish-aware.
    Title,
    /// Smallest `weight` first.
    Weight,
}

/// Whether a file is an article or a section's `_index.md`: they accept different fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An article.
    Page,
    /// A section's `_index.md`.
    Section,
}

/// The parsed front matter of one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `date`.
    pub date: Option<PageDate>,
    /// `updated`.
    pub updated: Option<PageDate>,
    /// `draft`.
    pub draft: bool,
    /// `slug`, already slugified.
    pub slug: Option<String>,
    /// Terms per taxonomy name (`tags`, `categories`, custom ones).
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// `authors`.
    pub authors: Vec<String>,
    /// `weight`.
    pub weight: Option<i64>,
    /// `aliases`: old paths that redirect here.
    pub aliases: Vec<(String, usize)>,
    /// `summary`: overrides the generated one.
    pub summary: Option<String>,
    /// `lang`.
    pub lang: Option<Language>,
    /// `template`.
    pub template: Option<String>,
    /// `sort_by` (sections).
    pub sort_by: Option<SortBy>,
    /// `paginate_by` (sections).
    pub paginate_by: Option<usize>,
    /// `search` (pages can opt out of the search index).
    pub search: Option<bool>,
    /// `image`: the picture shared on social media, with the front matter line it is on.
    pub image: Option<(String, usize)>,
    /// `image_alt`: what `image` shows, for readers who cannot see it.
    pub image_alt: Option<String>,
    /// `noindex`: keeps the page out of search engines and the sitemap.
    pub noindex: bool,
    /// `url` (`permalink` in Jekyll, a `slug` starting with `/` in Docusaurus): the page's
    /// whole address inside the site, already checked to stay inside it, with its line.
    pub url: Option<(String, usize)>,
    /// `short_title` (`linkTitle` in Hugo, `sidebar_label` in Docusaurus): the name
    /// navigation shows when the title is too long for it.
    pub short_title: Option<String>,
    /// `publish_date` (`publishDate` in Hugo): the article stays out before this day.
    pub publish_date: Option<PageDate>,
    /// `expiry_date` (`expiryDate` in Hugo): the article stays out from this day on.
    pub expiry_date: Option<PageDate>,
    /// The date a file name starts with (`2013-06-05-why-react.md`), as Jekyll names posts.
    pub file_date: Option<PageDate>,
    /// Every other key.
    pub extra: Map<String, Value>,
}

/// Front matter keys kbsite reads on articles.
pub(crate) const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "tags",
    "categories",
    "authors",
    "weight",
    "aliases",
    "summary",
    "lang",
    "template",
    "search",
    "taxonomies",
    "image",
    "image_alt",
    "noindex",
    "url",
    "short_title",
    "publish_date",
    "expiry_date",
];

/// Keys other generators write for what a kbsite key means, folded to lower case (Hugo reads
/// keys without regard to case), with the kbsite key they stand for. The kbsite key wins when
/// a file has both; list keys (`aliases`) take the items of both.
pub(crate) const FOREIGN_SYNONYMS: &[(&str, &str)] = &[
    ("author", "authors"),
    ("permalink", "url"),
    ("redirect_from", "aliases"),
    ("linktitle", "short_title"),
    ("sidebar_label", "short_title"),
    ("nav_title", "short_title"),
    ("sidebar_position", "weight"),
    ("nav_order", "weight"),
    ("order", "weight"),
    ("lastmod", "updated"),
    ("last_update", "updated"),
    ("last_modified_at", "updated"),
    ("modified", "updated"),
    ("publishdate", "publish_date"),
    ("pubdate", "publish_date"),
    ("expirydate", "expiry_date"),
    ("unpublishdate", "expiry_date"),
];

/// Keys that mean something only to another generator or theme (layouts, menus, sidebars,
/// comments). They are kept in `page.extra` for templates that want them, without the typo
/// warning a misspelt kbsite key gets: an imported tree has them on every file.
pub(crate) const FOREIGN_KEYS: &[&str] = &[
    "layout",
    "type",
    "id",
    "keywords",
    "sidebar",
    "hide_title",
    "hide_table_of_contents",
    "sidebar_class_name",
    "sidebar_custom_props",
    "displayed_sidebar",
    "pagination_label",
    "pagination_next",
    "pagination_prev",
    "custom_edit_url",
    "unlisted",
    "toc",
    "toc_min_heading_level",
    "toc_max_heading_level",
    "menu",
    "menus",
    "images",
    "series",
    "hidden",
    "parent",
    "grand_parent",
    "has_children",
    "nav_exclude",
    "redirect_to",
    "excerpt",
    "comments",
    "categories",
    "canonical_url",
    "canonicalurl",
    "translationkey",
    "headless",
    "outputs",
    "build",
    "_build",
    "cascade",
    "params",
    "prev",
    "next",
    "sidebardepth",
    "headerdepth",
    "outline",
    "head",
    "math",
    "mermaid",
    "icon",
    "status",
    "hero",
    "features",
    "extra",
    "tagline",
    "excerpt_separator",
    "render_with_liquid",
    "published",
    "aliases_on_page",
];

/// The kbsite key a key from another generator stands for (`lastmod` -> `updated`).
pub(crate) fn synonym_of(key: &str) -> Option<&'static str> {
    let folded = key.to_ascii_lowercase();
    FOREIGN_SYNONYMS
        .iter()
        .find(|(foreign, _)| *foreign == folded)
        .map(|(_, own)| *own)
}

/// Whether `key` is a field another generator uses, read or kept quietly.
fn is_foreign_key(key: &str) -> bool {
    let folded = key.to_ascii_lowercase();
    FOREIGN_KEYS.contains(&folded.as_str())
}

/// Extra keys sections accept.
pub(crate) const SECTION_KEYS: &[&str] = &["sort_by", "paginate_by"];

/// Where the front matter sits in its file, to turn YAML lines into file lines.
pub struct Source<'a> {
    /// The file as errors name it.
    pub path: &'a Path,
    /// The whole file text (without BOM).
    pub text: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_first_line: usize,
    /// What separates a key from its value: `:` in YAML, `=` in TOML. Errors point at the
    /// value after it.
    pub separator: char,
}

impl Source<'_> {
    fn at(&self, entry: &Entry) -> Location {
        let line = self.yaml_first_line + entry.line - 1;
        let at = Location::from_line_col(self.path, self.text, line, entry.column);
        // Point at the value when it is on the key's line, else at the key.
        let value_col = at
            .source_line
            .find(self.separator)
            .map(|i| {
                let rest = &at.source_line[i + 1..];
                let skipped = rest.len() - rest.trim_start().len();
                at.source_line[..i + 1 + skipped].chars().count() + 1
            })
            .filter(|col| *col <= at.source_line.chars().count());
        match value_col {
            Some(column) => Location {
                column,
                span: at.source_line.chars().count() + 1 - column,
                ..at
            },
            None => Location {
                span: entry.key.chars().count(),
                ..at
            },
        }
    }
}

impl Meta {
    /// Reads the entries of one front matter block; returns every wrong field, not just the
    /// first, so an author fixes the file in one pass.
    pub fn from_entries(
        entries: Vec<Entry>,
        kind: DocKind,
        taxonomy_names: &[String],
        source: &Source<'_>,
    ) -> Result<(Meta, Vec<Diagnostic>), Vec<Error>> {
        let mut meta = Meta::default();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut zola_taxonomies = None;
        let own_keys: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
        for mut entry in entries {
            // Errors name the key as the author wrote it (`permalink`, not `url`).
            let written_key = entry.key.clone();
            // `lastmod:` is read as `updated:` unless the file has `updated:` too; list
            // synonyms (`redirect_from:`) add to the kbsite key instead.
            if let Some(own) = synonym_of(&entry.key)
                && (own == "aliases" || !own_keys.iter().any(|k| k == own))
                // `order: asc` in some themes is no weight.
                && (own != "weight" || entry.value.is_i64())
            {
                meta.extra.insert(entry.key.clone(), entry.value.clone());
                entry.key = own.to_string();
                if own == "updated"
                    && let Some(date) = entry.value.get("date").cloned()
                {
                    // Docusaurus writes `last_update: {date: …, author: …}`.
                    entry.value = date;
                }
            }
            if entry.key.eq_ignore_ascii_case("published") && entry.value == Value::Bool(false) {
                // Jekyll's `published: false` is a draft.
                meta.draft = true;
            }
            let key = entry.key.as_str();
            let result = if taxonomy_names.iter().any(|t| t == key) {
                string_list(&entry.value).map(|terms| {
                    meta.taxonomies.insert(entry.key.clone(), terms);
                })
            } else if (kind == DocKind::Section || may_be_folder_page(source.path))
                && SECTION_KEYS.contains(&key)
            {
                meta.apply_section_field(&entry)
            } else if key == "taxonomies" && entry.value.is_object() {
                zola_taxonomies = Some(entry.value.clone());
                Ok(())
            } else if PAGE_KEYS.contains(&key) {
                meta.apply_page_field(&entry)
            } else {
                if !is_foreign_key(key)
                    && let Some(known) = likely_typo(key, kind, taxonomy_names)
                {
                    let mut at = Location::from_line_col(
                        source.path,
                        source.text,
                        source.yaml_first_line + entry.line - 1,
                        entry.column,
                    );
                    at.span = key.chars().count();
                    warnings.push(Diagnostic::warning(
                        codes::FRONT_MATTER_TYPO,
                        at,
                        format!("`{key}` is not a field kbsite knows; it is kept in `page.extra`"),
                        Some(format!("did you mean `{known}`?")),
                    ));
                }
                meta.extra.insert(entry.key.clone(), entry.value.clone());
                Ok(())
            };
            if let Err(complaint) = result {
                let code = match key {
                    "date" | "updated" | "publish_date" | "expiry_date" => codes::BAD_DATE,
                    "slug" | "aliases" | "template" | "url" => codes::BAD_PATH,
                    _ => codes::FRONT_MATTER_TYPE,
                };
                errors.push(Error::problem(
                    ProblemKind::FrontMatter,
                    code,
                    source.at(&entry),
                    format!("`{written_key}`: {}", complaint.message),
                    complaint.hint,
                ));
            }
        }
        // Sites migrated from Zola keep terms under `taxonomies:`; read them when the
        // top-level field is absent.
        if let Some(Value::Object(map)) = zola_taxonomies {
            for (name, terms) in map {
                if taxonomy_names.contains(&name)
                    && !meta.taxonomies.contains_key(&name)
                    && let Ok(terms) = string_list(&terms)
                {
                    meta.taxonomies.insert(name, terms);
                }
            }
        }
        if let Err(e) = meta.apply_file_name(source) {
            errors.push(e);
        }
        if is_headless(&meta.extra) {
            // Hugo's headless pages (`headless: true`, `build: {render: never}`) are parts
            // other pages include, never pages of their own: left out like drafts.
            meta.draft = true;
        }
        if meta
            .url
            .as_ref()
            .is_some_and(|(u, _)| u == NOT_FOUND_ADDRESS)
        {
            // The site's own not-found page (Jekyll's `404.md`): never in search results,
            // search engines or the sitemap.
            meta.noindex = true;
            meta.search = Some(false);
        }
        if errors.is_empty() {
            Ok((meta, warnings))
        } else {
            Err(errors)
        }
    }

    fn apply_page_field(&mut self, entry: &Entry) -> Result<(), Complaint> {
        let v = &entry.value;
        match entry.key.as_str() {
            "title" => self.title = optional_text(v)?,
            "description" => self.description = optional_text(v)?,
            "summary" => self.summary = optional_text(v)?,
            "date" => self.date = optional_date(v)?,
            "updated" => self.updated = optional_date(v)?,
            "publish_date" => self.publish_date = optional_date(v)?,
            "expiry_date" => self.expiry_date = optional_date(v)?,
            "short_title" => self.short_title = optional_text(v)?.filter(|t| !t.trim().is_empty()),
            "url" => {
                self.url = match optional_text(v)? {
                    Some(raw) => Some((site_address(&raw)?, entry.line)),
                    None => None,
                }
            }
            "draft" => self.draft = boolean(v)?,
            "search" => self.search = Some(boolean(v)?),
            "noindex" => self.noindex = boolean(v)?,
            "image_alt" => self.image_alt = optional_text(v)?,
            "image" => {
                self.image = optional_text(v)?
                    .filter(|i| !i.trim().is_empty())
                    .map(|i| (i.trim().to_string(), entry.line))
            }
            "slug" => {
                if let Some(raw) = optional_text(v)? {
                    if raw.starts_with('/') {
                        // Docusaurus: a slug from the site root is the page's whole address.
                        self.url = Some((site_address(&raw)?, entry.line));
                        return Ok(());
                    }
                    if raw.contains(['/', '\\']) || raw.contains("..") {
                        return Err(Complaint::new(format!("`{raw}` is not a single URL segment"))
                            .with_hint("a slug names one page: letters, digits and hyphens, no `/` or `..`"));
                    }
                    let slug = crate::slug::slugify(&raw);
                    if slug.is_empty() {
                        return Err(Complaint::new(format!(
                            "`{raw}` has no letters or digits to make a URL from"
                        ))
                        .with_hint("use letters, digits and hyphens, e.g. `moj-artykul`"));
                    }
                    self.slug = Some(slug);
                }
            }
            "authors" => self.authors = author_list(v)?,
            "weight" => {
                self.weight = match v {
                    Value::Null => None,
                    Value::Number(n) if n.is_i64() => n.as_i64(),
                    other => return Err(expected("a whole number", other)),
                }
            }
            "aliases" => {
                // `redirect_from:` beside `aliases:` adds to it.
                let more = string_list(v)?;
                self.aliases
                    .extend(more.into_iter().map(|a| (a, entry.line)));
            }
            "lang" => {
                self.lang = match optional_text(v)? {
                    None => None,
                    Some(code) => Some(Language::parse(&code).ok_or_else(|| {
                        Complaint::new(format!("unknown language `{code}`"))
                            .with_hint("use `pl` or `en`")
                    })?),
                }
            }
            "template" => {
                let name = optional_text(v)?;
                if let Some(n) = &name
                    && (n.contains("..") || n.starts_with('/') || n.contains('\\'))
                {
                    return Err(Complaint::new(format!("`{n}` is not a template name"))
                        .with_hint("name a file of templates/, e.g. `landing.html`"));
                }
                self.template = name;
            }
            _ => {
                // `tags`/`categories` when the site configures other taxonomies: keep them.
                self.extra.insert(entry.key.clone(), v.clone());
            }
        }
        Ok(())
    }

    fn apply_section_field(&mut self, entry: &Entry) -> Result<(), Complaint> {
        match entry.key.as_str() {
            "sort_by" => {
                let text = optional_text(&entry.value)?.unwrap_or_default();
                self.sort_by = Some(match text.as_str() {
                    "date" => SortBy::Date,
                    "title" => SortBy::Title,
                    "weight" => SortBy::Weight,
                    other => {
                        return Err(Complaint::new(format!("unknown order `{other}`"))
                            .with_hint("use `date`, `title` or `weight`"));
                    }
                });
            }
            _ => {
                self.paginate_by = match &entry.value {
                    Value::Number(n) if n.is_u64() => n.as_u64().map(|n| n as usize),
                    other => {
                        return Err(expected("a whole number (0 turns pagination off)", other));
                    }
                }
            }
        }
        Ok(())
    }
}

impl Meta {
    /// What a Jekyll post's file name says (`2013-06-05-why-react.md`): the date, when the
    /// front matter has none, and the slug without the date.
    fn apply_file_name(&mut self, source: &Source<'_>) -> Result<(), Error> {
        let Some(stem) = source
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".md"))
        else {
            return Ok(());
        };
        match date_in_file_name(stem) {
            None => Ok(()),
            Some(Ok((date, rest))) => {
                self.file_date = Some(date);
                if self.date.is_none() {
                    self.date = Some(date);
                }
                if self.slug.is_none() && self.url.is_none() {
                    // `2014-07-17-react-v0.11.md` keeps its language suffix rule: the rest of
                    // the name is slugified like any file name.
                    let rest = match rest.rsplit_once('.') {
                        Some((base, code))
                            if code.len() == 2 && Language::parse(code).is_some() =>
                        {
                            base
                        }
                        _ => rest,
                    };
                    let slug = crate::slug::slugify(rest);
                    if !slug.is_empty() {
                        self.slug = Some(slug);
                    }
                }
                Ok(())
            }
            Some(Err(())) => {
                let at = Location::file(source.path);
                Err(Error::problem(
                    ProblemKind::FrontMatter,
                    codes::BAD_DATE,
                    at,
                    format!(
                        "the file name starts with `{}`, which is not a date",
                        stem.splitn(4, '-').take(3).collect::<Vec<_>>().join("-")
                    ),
                    Some(
                        "name dated posts YYYY-MM-DD-title.md with a real day, or rename the file"
                            .into(),
                    ),
                ))
            }
        }
    }
}

/// The known field an unknown key is probably a misspelling of (`tittle` -> `title`).
fn likely_typo(key: &str, kind: DocKind, taxonomy_names: &[String]) -> Option<String> {
    let section_keys: &[&str] = if kind == DocKind::Section {
        SECTION_KEYS
    } else {
        &[]
    };
    let known = PAGE_KEYS
        .iter()
        .chain(section_keys)
        .copied()
        .chain(taxonomy_names.iter().map(String::as_str))
        .filter(|k| *k != "taxonomies");
    crate::suggest::closest(key, known)
        .filter(|k| *k != key)
        .map(str::to_string)
}

/// Whether Hugo would render no page for this front matter: `headless: true`, or
/// `build`/`_build` with `render: never` (or `false`).
fn is_headless(extra: &Map<String, Value>) -> bool {
    let never = |v: Option<&Value>| {
        matches!(v, Some(Value::Bool(false))) || v.and_then(Value::as_str) == Some("never")
    };
    extra.get("headless") == Some(&Value::Bool(true))
        || ["build", "_build"]
            .iter()
            .any(|k| never(extra.get(*k).and_then(|b| b.get("render"))))
}

/// The address of the page a server shows for a missing one. A site's own page there replaces
/// the theme's and is no article of its section.
pub(crate) const NOT_FOUND_ADDRESS: &str = "404.html";

/// The names of files that may stand for their folder (`index.md`, `README.md`, with or
/// without a language code), which take a section's fields too.
pub(crate) const FOLDER_PAGE_NAMES: [&str; 2] = ["index", "readme"];

/// Whether `path` names a file that may be its folder's page (see [`FOLDER_PAGE_NAMES`]).
fn may_be_folder_page(path: &Path) -> bool {
    let Some(stem) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = stem.strip_suffix(".md").unwrap_or(stem);
    let base = match stem.rsplit_once('.') {
        Some((base, code)) if code.len() == 2 && Language::parse(code).is_some() => base,
        _ => stem,
    };
    FOLDER_PAGE_NAMES
        .iter()
        .any(|n| base.eq_ignore_ascii_case(n))
}

/// A page address written in front matter (`docs/jsx-in-depth.html`, `/o-nas/`) as an output
/// path: relative to the site root, `/`-separated, ending in `/` for a folder page or in
/// `.html` for a page written as that very file. `..`, queries, other sites and backslashes
/// are refused, so an address can never name a file outside the output folder.
pub(crate) fn site_address(raw: &str) -> Result<String, Complaint> {
    let trimmed = raw.trim();
    let refuse = |why: &str| {
        Err(Complaint::new(format!("`{raw}` {why}")).with_hint(
            "write a path inside the site, such as `/docs/wprowadzenie/` or `docs/wprowadzenie.html`",
        ))
    };
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return refuse("is another site's address");
    }
    if trimmed.contains(['\\', '\0', '?', '#']) {
        return refuse("is not a plain path");
    }
    if trimmed.split('/').any(|p| p == ".." || p == ".") {
        return refuse("climbs out of the site with `..`");
    }
    if trimmed.split('/').any(|p| p.starts_with('.')) {
        return refuse("names a hidden file, which kbsite keeps for itself");
    }
    if trimmed
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"<>^`{}|".contains(c))
    {
        return refuse("holds a space or a character an address cannot hold");
    }
    let path: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty()).collect();
    let mut path = path.join("/");
    // `docs/index.html` is the folder page `docs/`, as a server would answer it.
    if path == "index.html" || path.ends_with("/index.html") {
        path.truncate(path.len() - "index.html".len());
        return Ok(path);
    }
    if path.is_empty() {
        return Ok(String::new());
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        return Ok(path);
    }
    Ok(format!("{}/", path.trim_end_matches('/')))
}

/// A date at the start of a file name, as Jekyll names posts (`2013-06-05-why-react.md`),
/// with the rest of the name; `Err` for a name shaped like a date that is none
/// (`2013-13-45-x.md`), `None` for any other name.
pub(crate) fn date_in_file_name(stem: &str) -> Option<Result<(PageDate, &str), ()>> {
    // Jekyll also takes months and days of one digit (`2013-10-3-x.md`).
    let mut parts = stem.splitn(4, '-');
    let (year, month, day, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2)) || rest.is_empty() {
        return None;
    }
    let date = format!("{year}-{month:0>2}-{day:0>2}");
    Some(PageDate::parse(&date).map(|d| (d, rest)).ok_or(()))
}

fn expected(what: &str, got: &Value) -> Complaint {
    Complaint::new(format!("expected {what}, found {}", describe_value(got)))
}

fn optional_text(v: &Value) -> Result<Option<String>, Complaint> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(expected("text", other)),
    }
}

fn boolean(v: &Value) -> Result<bool, Complaint> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        other => Err(Complaint::new(format!(
            "expected true or false, found {}",
            describe_value(other)
        ))
        .with_hint("write `true` or `false` without quotes")),
    }
}

fn string_list(v: &Value) -> Result<Vec<String>, Complaint> {
    let hint = "write a list: `[a, b]` or one `- item` per line";
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(Complaint::new(format!(
                    "list items must be text, found {}",
                    describe_value(other)
                ))
                .with_hint(hint)),
            })
            .collect(),
        other => Err(Complaint::new(format!(
            "expected a list of text, found {}",
            describe_value(other)
        ))
        .with_hint(hint)),
    }
}

/// Authors as text, or as Docusaurus' objects with a `name`.
fn author_list(v: &Value) -> Result<Vec<String>, Complaint> {
    match v {
        Value::Object(o) => o
            .get("name")
            .map(string_list)
            .unwrap_or_else(|| Err(expected("a list of names", v))),
        Value::Array(items) => {
            let mut names = Vec::new();
            for item in items {
                names.extend(author_list(item)?);
            }
            Ok(names)
        }
        other => string_list(other),
    }
}

fn optional_date(v: &Value) -> Result<Option<PageDate>, Complaint> {
    let text = match v {
        Value::Null => return Ok(None),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return Err(expected("a date", other)),
    };
    PageDate::parse(&text).map(Some).ok_or_else(|| {
        Complaint::new(format!("`{text}` is not a date"))
            .with_hint(format!("write it as {ACCEPTED_FORMS}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_mapping;

    fn meta(yaml: &str, kind: DocKind) -> Result<Meta, Vec<Error>> {
        meta_and_warnings(yaml, kind).map(|(m, _)| m)
    }

    fn meta_and_warnings(yaml: &str, kind: DocKind) -> Result<(Meta, Vec<Diagnostic>), Vec<Error>> {
        let text = format!("---\n{yaml}---\nbody\n");
        let source = Source {
            path: Path::new("a.md"),
            text: &text,
            yaml_first_line: 2,
            separator: ':',
        };
        Meta::from_entries(
            parse_mapping(yaml).unwrap(),
            kind,
            &["tags".into(), "categories".into()],
            &source,
        )
    }

    #[test]
    fn known_fields_are_typed_and_the_rest_is_extra() {
        let m = meta(
            "title: T\ndate: 2024-03-01\ntags: [a, b]\ndraft: true\nhero: x.png\n",
            DocKind::Page,
        )
        .unwrap();
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.taxonomies["tags"], ["a", "b"]);
        assert!(m.draft);
        assert_eq!(m.extra["hero"], "x.png");
    }

    #[test]
    fn wrong_type_points_at_the_value_in_the_file() {
        let errs = meta("title: T\ndraft: maybe\n", DocKind::Page).unwrap_err();
        let at = errs[0].location().unwrap();
        assert_eq!((at.line, at.column), (3, 8));
        assert!(errs[0].message().contains("draft"));
    }

    #[test]
    fn bad_date_says_which_forms_work() {
        let errs = meta("date: 1 marca\n", DocKind::Page).unwrap_err();
        assert!(errs[0].hint().unwrap().contains("YYYY-MM-DD"));
    }

    #[test]
    fn section_fields_only_on_sections() {
        let m = meta("sort_by: title\n", DocKind::Section).unwrap();
        assert_eq!(m.sort_by, Some(SortBy::Title));
        let m = meta("sort_by: title\n", DocKind::Page).unwrap();
        assert_eq!(m.extra["sort_by"], "title");
    }

    #[test]
    fn misspelt_keys_are_warned_about() {
        let (m, warnings) = meta_and_warnings(
            "tittle: A\ntag: [x]\ncategoreis: [y]\nhero: z\n",
            DocKind::Page,
        )
        .unwrap();
        let hints: Vec<_> = warnings.iter().map(|w| w.hint.clone().unwrap()).collect();
        assert_eq!(
            hints,
            [
                "did you mean `title`?",
                "did you mean `tags`?",
                "did you mean `categories`?"
            ]
        );
        assert_eq!(warnings[1].location.as_ref().unwrap().line, 3);
        assert_eq!(
            m.extra["hero"], "z",
            "a key close to nothing is silently extra"
        );
    }

    #[test]
    fn synonyms_of_other_generators_are_read_and_lists_add_up() {
        let m = meta(
            "aliases: [/a/]\nredirect_from: [/b/]\nlastmod: 2024-05-01\nLinkTitle: Krótko\nsidebar_position: 3\nauthor: Anna\npublishDate: 2030-01-01\n",
            DocKind::Page,
        )
        .unwrap();
        let aliases: Vec<&str> = m.aliases.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(aliases, ["/a/", "/b/"]);
        assert_eq!(m.updated.map(|d| d.iso()).as_deref(), Some("2024-05-01"));
        assert_eq!(m.short_title.as_deref(), Some("Krótko"));
        assert_eq!(m.weight, Some(3));
        assert_eq!(m.authors, ["Anna"]);
        assert!(m.publish_date.is_some());
        // The kbsite key wins over its synonym.
        let m = meta(
            "weight: 1\norder: 9\nupdated: 2024-01-01\nlastmod: 2020-01-01\n",
            DocKind::Page,
        )
        .unwrap();
        assert_eq!(m.weight, Some(1));
        assert_eq!(m.updated.map(|d| d.iso()).as_deref(), Some("2024-01-01"));
        // `order: asc` is not a weight, and no error.
        assert_eq!(meta("order: asc\n", DocKind::Page).unwrap().weight, None);
    }

    #[test]
    fn hugo_headless_pages_are_left_out() {
        assert!(meta("headless: true\n", DocKind::Page).unwrap().draft);
        assert!(
            meta("_build: {render: never}\n", DocKind::Page)
                .unwrap()
                .draft
        );
        assert!(
            meta("build:\n  render: false\n", DocKind::Page)
                .unwrap()
                .draft
        );
        assert!(
            !meta("build: {render: always}\n", DocKind::Page)
                .unwrap()
                .draft
        );
    }

    #[test]
    fn addresses_stay_inside_the_site() {
        assert_eq!(site_address("docs/jsx.html").unwrap(), "docs/jsx.html");
        assert_eq!(site_address("/o-nas").unwrap(), "o-nas/");
        assert_eq!(site_address("x//y//").unwrap(), "x/y/");
        assert_eq!(site_address("/docs/index.html").unwrap(), "docs/");
        assert_eq!(site_address("index.html").unwrap(), "");
        assert_eq!(
            site_address("/o-firmie/usługi").unwrap(),
            "o-firmie/usługi/"
        );
        assert!(site_address("o nas/").is_err());
        assert!(site_address("/.kbsite-output").is_err());
        assert!(site_address("a\"b").is_err());
        assert!(
            site_address("//cdn.example/x").is_err(),
            "protocol-relative"
        );
        for bad in ["../x/", "a/../../b", "https://e.org/", "a?b", "a#b", "a\\b"] {
            assert!(site_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_in_file_names() {
        let (date, rest) = date_in_file_name("2013-06-05-why-react").unwrap().unwrap();
        assert_eq!((date.iso().as_str(), rest), ("2013-06-05", "why-react"));
        assert!(date_in_file_name("2013-13-45-x").unwrap().is_err());
        let (date, rest) = date_in_file_name("2013-10-3-roundup-9").unwrap().unwrap();
        assert_eq!((date.iso().as_str(), rest), ("2013-10-03", "roundup-9"));
        assert!(
            date_in_file_name("2013-06-05").is_none(),
            "a date alone is a name"
        );
        assert!(date_in_file_name("podstawy-seo").is_none());
    }

    proptest::proptest! {
        #[test]
        fn addresses_never_climb_out(raw in "\\PC{0,40}") {
            if let Ok(path) = site_address(&raw) {
                proptest::prop_assert!(!path.split('/').any(|p| p == ".." || p == "."));
                proptest::prop_assert!(!path.starts_with('/'));
                proptest::prop_assert!(!path.contains("://"));
            }
        }

        #[test]
        fn file_name_dates_never_panic(stem in "[0-9-]{0,14}[a-z.]{0,6}") {
            let _ = date_in_file_name(&stem);
        }
    }

    #[test]
    fn zola_style_taxonomies_are_read() {
        let m = meta("taxonomies:\n  tags: [x]\n", DocKind::Page).unwrap();
        assert_eq!(m.taxonomies["tags"], ["x"]);
    }
}
