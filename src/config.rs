//! `kbsite.yaml`: the site's settings, checked key by key so a typo is caught with its line.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Complaint, Error, Location, ProblemKind, Result};
use crate::yaml;

/// The name of the config file that marks a site's root folder.
pub const CONFIG_FILE: &str = "kbsite.yaml";

/// The language of the site's interface and of its text analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Polish, the default: Polish UI strings, dates and quotes.
    Pl,
    /// English.
    En,
}

impl Language {
    /// Parses `pl` or `en` (any case), the only codes the interface is translated into.
    pub fn parse(code: &str) -> Option<Language> {
        match code.trim().to_ascii_lowercase().as_str() {
            "pl" | "pl-pl" | "pl_pl" => Some(Language::Pl),
            "en" | "en-us" | "en-gb" | "en_us" | "en_gb" => Some(Language::En),
            _ => None,
        }
    }

    /// The two-letter code, as used in `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Language::Pl => "pl",
            Language::En => "en",
        }
    }
}

/// One entry of the header menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The text of the link.
    pub name: String,
    /// Where it goes: a site-relative path (`/tagi/`) or a full URL.
    pub url: String,
    /// Order in the menu, smaller first.
    #[serde(default)]
    pub weight: i64,
}

/// Search-engine and social-sharing settings (`seo:` in `kbsite.yaml`): what the `<head>` of
/// every page and the structured data say about the site beyond its title.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SeoConfig {
    /// How `<title>` reads on every page but the home page: `{title}` is the page's title,
    /// `{site}` the site's.
    pub title_pattern: String,
    /// The organisation named as publisher in structured data; empty means the site title.
    pub publisher: String,
    /// The publisher's logo (a site path such as `/logo.png`, or a full URL), which Google
    /// shows beside articles.
    pub logo: Option<String>,
    /// The site's X (Twitter) account, `@name`, for `twitter:site`.
    pub twitter: Option<String>,
    /// Whether articles without `image` get a generated 1200x630 social card.
    pub social_cards: bool,
    /// Where `logo:` is written in `kbsite.yaml`, for the error when no file has that path.
    #[serde(skip)]
    pub logo_at: Option<Location>,
}

impl Default for SeoConfig {
    fn default() -> Self {
        SeoConfig {
            title_pattern: "{title} · {site}".into(),
            publisher: String::new(),
            logo: None,
            twitter: None,
            social_cards: true,
            logo_at: None,
        }
    }
}

/// What one language's part of the site is called (`languages: {en: {title: ...}}`): an
/// English reader's home page should not greet them with the Polish site name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// The site's name in that language.
    pub title: Option<String>,
    /// The site's description in that language.
    pub description: Option<String>,
    /// The header menu of that language's pages, in place of `menu`.
    pub menu: Option<Vec<MenuItem>>,
}

/// Pictures of articles (`images:` in `kbsite.yaml`): whether a build makes smaller copies of
/// them for `srcset`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImagesConfig {
    /// Make smaller copies of JPEG, PNG and WebP images; unset means on when `widths` is
    /// given. See [`ImagesConfig::resize_widths`].
    pub resize: Option<bool>,
    /// The widths of the copies in pixels; only those narrower than a picture are made.
    pub widths: Option<Vec<u32>>,
}

/// The widths of resized copies when `images.widths` does not say.
pub const DEFAULT_IMAGE_WIDTHS: &[u32] = &[480, 960, 1440];

/// The narrowest and widest copy `images.widths` may ask for.
const IMAGE_WIDTH_RANGE: std::ops::RangeInclusive<u32> = 16..=8192;

impl ImagesConfig {
    /// The widths a build resizes images to, narrowest first; empty when resizing is off.
    pub fn resize_widths(&self) -> Vec<u32> {
        if !self.resize.unwrap_or(self.widths.is_some()) {
            return Vec::new();
        }
        let mut widths = self
            .widths
            .clone()
            .unwrap_or_else(|| DEFAULT_IMAGE_WIDTHS.to_vec());
        widths.sort_unstable();
        widths.dedup();
        widths
    }

    fn validate(&self) -> Result<(), Complaint> {
        let Some(widths) = &self.widths else {
            return Ok(());
        };
        if widths.is_empty() {
            return Err(Complaint::new("`images.widths` is empty").with_hint(
                "list one width or more, e.g. `widths: [480, 960, 1440]`, or set `resize: false`",
            ));
        }
        if let Some(w) = widths.iter().find(|w| !IMAGE_WIDTH_RANGE.contains(w)) {
            return Err(Complaint::new(format!(
                "`images.widths`: {w} is not a width between {} and {} pixels",
                IMAGE_WIDTH_RANGE.start(),
                IMAGE_WIDTH_RANGE.end()
            ))
            .with_hint("for example `widths: [480, 960, 1440]`"));
        }
        Ok(())
    }
}

/// A privacy-friendly analytics script (Plausible, Umami and the like), off unless configured
/// and never part of the live preview, so authors' visits are not counted.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// The script's URL.
    pub script: String,
    /// `data-domain`, as Plausible expects.
    #[serde(default)]
    pub domain: Option<String>,
    /// `data-website-id`, as Umami expects.
    #[serde(default)]
    pub website_id: Option<String>,
}

/// Where the value of `key`, nested under the top-level key on line `block.0` (its block
/// ending before line `block.1`), is written: the first line of the block that starts with
/// `key:`, else the top-level key (a flow mapping such as `seo: {logo: x}`).
fn value_location(
    path: &Path,
    text: &str,
    block: (usize, Option<usize>),
    key: &str,
    value: &str,
) -> Location {
    let (from, end) = block;
    let lines = end.map_or(usize::MAX, |end| end - 1 - from);
    let found = text
        .lines()
        .enumerate()
        .skip(from)
        .take(lines)
        .find_map(|(i, line)| {
            let rest = line.trim_start().strip_prefix(key)?.strip_prefix(':')?;
            let column = line.len() - rest.trim_start().len();
            Some((i + 1, line[..column].chars().count() + 1))
        });
    let (line, column) = found.unwrap_or_else(|| {
        let line = text.lines().nth(from - 1).unwrap_or("");
        (from, line.len() - line.trim_start().len() + 1)
    });
    let mut at = Location::from_line_col(path, text, line, column);
    at.span = value.chars().count().max(1);
    at
}

/// The parsed `kbsite.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The site's name, shown in the header and in `<title>`.
    pub title: String,
    /// The absolute URL the site is published at, always ending in `/`.
    pub base_url: String,
    /// The default language of pages.
    pub language: Language,
    /// One sentence about the site (home page, feed).
    pub description: String,
    /// The default author (feed).
    pub author: String,
    /// The theme folder name under `themes/`; `default` also exists inside the binary.
    pub theme: String,
    /// Taxonomy names; each is a front matter field listing terms.
    pub taxonomies: Vec<String>,
    /// The output folder, relative to the site root.
    pub output_dir: String,
    /// Articles per list page; 0 turns pagination off.
    pub paginate_by: usize,
    /// How many articles each feed holds (Atom and RSS, the site's and each section's or
    /// term's).
    pub feed_limit: usize,
    /// What a feed carries of each article: its whole text, or its summary only.
    pub feed_content: FeedContent,
    /// Whether each section and each term of a taxonomy gets its own feeds, for readers who
    /// follow one topic of a large knowledge base.
    pub section_feeds: bool,
    /// Whether the build writes `llms.txt` and `llms-full.txt` for language models.
    pub llms_txt: bool,
    /// The most bytes `llms-full.txt` may hold, in millions: whole articles that would take it
    /// over are left out (llms.txt still lists them), so the file stays something a model
    /// can read and the output of a large site does not grow by its whole text again. 0
    /// writes no `llms-full.txt`.
    pub llms_full_max_mb: u64,
    /// The header menu, in weight order.
    pub menu: Vec<MenuItem>,
    /// Whether the build writes the search index and the search page.
    pub search: bool,
    /// Polish typography (non-breaking spaces after one-letter words, „…” quotes); unset
    /// means on for Polish pages. See [`Config::typography`].
    pub typography: Option<bool>,
    /// Whether HTML written in Markdown reaches the pages as HTML (the default, as Markdown
    /// authors expect); `false` shows it as text, for sites whose content comes from many
    /// hands, and drops `javascript:`, `vbscript:` and `data:` link addresses.
    pub raw_html: bool,
    /// Search-engine and social-sharing settings.
    pub seo: SeoConfig,
    /// The analytics script, if any.
    pub analytics: Option<AnalyticsConfig>,
    /// Where each source file can be edited: a URL holding `{path}`, which becomes the file's
    /// path relative to `content/`.
    pub edit_url: Option<String>,
    /// What a build does with the pictures of articles.
    pub images: ImagesConfig,
    /// Whether HTML pages and CSS files (static ones and compiled Sass) are minified.
    pub minify: bool,
    /// What a broken link does to a build: stop it (the default), or warn while a moved-in
    /// tree's links are being fixed.
    pub broken_links: LinkPolicy,
    /// The site's name and description in its other languages.
    pub languages: std::collections::BTreeMap<Language, LanguageConfig>,
    /// The site's own copy of Mermaid, as the output path of a file the site copies
    /// (`static/mermaid.min.js` is `mermaid.min.js`): pages with diagrams load it, and
    /// nothing is fetched from elsewhere. Unset, diagrams show as code.
    pub mermaid: Option<String>,
    /// Where `mermaid:` is written in `kbsite.yaml`, for the warning when no file has that
    /// path.
    pub mermaid_at: Option<Location>,
    /// Whether articles without `updated` (or `date`) in their front matter take the date of
    /// the last (or first) commit of their file from the site's git history.
    pub git_dates: bool,
    /// Free-form values passed to templates as `site.extra`.
    pub extra: Map<String, Value>,
}

/// Every key `kbsite.yaml` accepts; anything else is a typo worth stopping the build for.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "description",
    "author",
    "theme",
    "taxonomies",
    "output_dir",
    "paginate_by",
    "feed_limit",
    "feed_content",
    "section_feeds",
    "llms_txt",
    "llms_full_max_mb",
    "menu",
    "search",
    "typography",
    "raw_html",
    "seo",
    "analytics",
    "edit_url",
    "images",
    "minify",
    "broken_links",
    "languages",
    "mermaid",
    "git_dates",
    "extra",
];

/// What a link to a page, anchor or file that does not exist does to a build. `warn` is how
/// Zola's `internal_level = "warn"` and Docusaurus' `onBrokenLinks: 'warn'` let a site that
/// is moved in from another generator build while its links are fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    /// A broken link is an error: nothing is written.
    #[default]
    Error,
    /// A broken link is a warning (an error with `--strict`); the link keeps its address.
    Warn,
}

/// What feeds carry of each article (`feed_content:`): its whole text, which readers read in
/// their feed reader, or its summary, which sends them to the site and keeps feeds small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeedContent {
    /// The whole article (Atom `<content>` beside the summary; RSS `<description>`).
    #[default]
    Full,
    /// The description, else the summary paragraph (Atom `<summary>`; RSS `<description>`).
    Summary,
}

impl FeedContent {
    /// Reads `full` or `summary`, as `kbsite.yaml` writes it.
    pub fn parse(text: &str) -> Option<FeedContent> {
        match text {
            "full" => Some(FeedContent::Full),
            "summary" => Some(FeedContent::Summary),
            _ => None,
        }
    }

    /// The value as `kbsite.yaml` writes it, which templates see as `feed.content`.
    pub fn name(self) -> &'static str {
        match self {
            FeedContent::Full => "full",
            FeedContent::Summary => "summary",
        }
    }
}

impl LinkPolicy {
    /// Reads `error` or `warn`, as the command line writes it.
    pub fn parse(text: &str) -> Option<LinkPolicy> {
        match text {
            "error" => Some(LinkPolicy::Error),
            "warn" => Some(LinkPolicy::Warn),
            _ => None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            base_url: "http://localhost/".into(),
            language: Language::Pl,
            description: String::new(),
            author: String::new(),
            theme: "default".into(),
            taxonomies: vec!["tags".into(), "categories".into()],
            output_dir: "public".into(),
            paginate_by: 10,
            feed_limit: 20,
            feed_content: FeedContent::Full,
            section_feeds: false,
            llms_txt: true,
            llms_full_max_mb: 10,
            menu: Vec::new(),
            search: true,
            typography: None,
            raw_html: true,
            seo: SeoConfig::default(),
            analytics: None,
            edit_url: None,
            images: ImagesConfig::default(),
            minify: false,
            broken_links: LinkPolicy::Error,
            languages: std::collections::BTreeMap::new(),
            mermaid: None,
            mermaid_at: None,
            git_dates: false,
            extra: Map::new(),
        }
    }
}

impl Config {
    /// Whether pages get the typography of their language: on unless `typography: false`
    /// (it only changes Polish pages).
    pub fn typography(&self) -> bool {
        self.typography.unwrap_or(true)
    }

    /// The site's name as readers of `lang` see it: its `languages` entry, else `title`.
    pub fn title_in(&self, lang: Language) -> &str {
        self.languages
            .get(&lang)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description as readers of `lang` see it: its `languages` entry, else
    /// `description`.
    pub fn description_in(&self, lang: Language) -> &str {
        self.languages
            .get(&lang)
            .and_then(|l| l.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// The header menu of `lang`'s pages: its `languages` entry's, else `menu`.
    pub fn menu_in(&self, lang: Language) -> &[MenuItem] {
        self.languages
            .get(&lang)
            .and_then(|l| l.menu.as_deref())
            .unwrap_or(&self.menu)
    }

    /// Reads and checks `kbsite.yaml` in `root`; `display_path` is how errors name the file.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => Error::NotUtf8 { path: path.clone() },
            _ => Error::io("read", &path, e),
        })?;
        Config::parse(&text, Path::new(CONFIG_FILE))
    }

    /// Parses config text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let entries = yaml::parse_mapping(text).map_err(|e| {
            Error::problem(
                ProblemKind::Config,
                crate::codes::CONFIG_YAML,
                Location::from_line_col(path, text, e.line, e.column),
                format!("invalid YAML: {}", e.message),
                Some(e.hint()),
            )
        })?;
        let mut config = Config::default();
        let mut errors = Vec::new();
        for entry in &entries {
            if let Err(complaint) = config.apply(entry) {
                let at = Location::from_line_col(path, text, entry.line, entry.column);
                let code = if KNOWN_KEYS.contains(&entry.key.as_str()) {
                    crate::codes::CONFIG_VALUE
                } else {
                    crate::codes::CONFIG_UNKNOWN_KEY
                };
                errors.push(complaint.locate(
                    ProblemKind::Config,
                    code,
                    Location {
                        span: entry.key.chars().count(),
                        ..at
                    },
                ));
            }
        }
        Error::collect(errors)?;
        config.menu.sort_by_key(|m| m.weight);
        for names in config.languages.values_mut() {
            if let Some(menu) = &mut names.menu {
                menu.sort_by_key(|m| m.weight);
            }
        }
        if let (Some(logo), Some(seo)) = (&config.seo.logo, entries.iter().find(|e| e.key == "seo"))
        {
            // The `seo:` block ends where the next top-level key starts.
            let end = entries
                .iter()
                .map(|e| e.line)
                .filter(|&l| l > seo.line)
                .min();
            config.seo.logo_at = Some(value_location(path, text, (seo.line, end), "logo", logo));
        }
        if let Some(entry) = entries.iter().find(|e| e.key == "mermaid") {
            let at = Location::from_line_col(path, text, entry.line, entry.column);
            config.mermaid_at = Some(Location {
                span: entry.key.chars().count(),
                ..at
            });
        }
        Ok(config)
    }

    fn apply(&mut self, entry: &yaml::Entry) -> Result<(), Complaint> {
        let v = &entry.value;
        match entry.key.as_str() {
            "title" => self.title = typed(entry)?,
            "base_url" => self.base_url = normalize_base_url(&typed::<String>(entry)?)?,
            "language" => {
                let code: String = typed(entry)?;
                self.language = Language::parse(&code).ok_or_else(|| {
                    Complaint::new(format!("unknown language `{code}`"))
                        .with_hint("use `pl` or `en`")
                })?;
            }
            "description" => self.description = typed(entry)?,
            "author" => self.author = typed(entry)?,
            "theme" => {
                let theme: String = typed(entry)?;
                if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
                    return Err(
                        Complaint::new(format!("`{theme}` is not a theme folder name"))
                            .with_hint("write the name of a folder under themes/, e.g. `default`"),
                    );
                }
                self.theme = theme;
            }
            "taxonomies" => {
                let names: Vec<String> = typed(entry)?;
                for name in &names {
                    let ok = !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    if !ok {
                        return Err(Complaint::new(format!(
                            "taxonomy name `{name}` must be ASCII letters, digits, `_` or `-`"
                        ))
                        .with_hint("it becomes both a front matter field and a URL folder"));
                    }
                }
                self.taxonomies = names;
            }
            "output_dir" => self.output_dir = typed(entry)?,
            "paginate_by" => self.paginate_by = typed(entry)?,
            "feed_limit" => self.feed_limit = typed(entry)?,
            "feed_content" => {
                let text: String = typed(entry)?;
                self.feed_content = FeedContent::parse(&text).ok_or_else(|| {
                    Complaint::new(format!("unknown value `{text}` for `feed_content`")).with_hint(
                        "write `feed_content: full` (the default: each article's whole text) or `feed_content: summary`",
                    )
                })?;
            }
            "section_feeds" => self.section_feeds = typed(entry)?,
            "llms_txt" => self.llms_txt = typed(entry)?,
            "llms_full_max_mb" => self.llms_full_max_mb = typed(entry)?,
            "menu" => self.menu = typed(entry)?,
            "search" => self.search = typed(entry)?,
            "minify" => self.minify = typed(entry)?,
            "broken_links" => {
                let text: String = typed(entry)?;
                self.broken_links = LinkPolicy::parse(&text).ok_or_else(|| {
                    Complaint::new(format!("unknown policy `{text}` for `broken_links`")).with_hint(
                        "write `broken_links: error` (the default) or `broken_links: warn`",
                    )
                })?;
            }
            "languages" => {
                let by_code: std::collections::BTreeMap<String, LanguageConfig> = typed(entry)?;
                self.languages.clear();
                for (code, names) in by_code {
                    let lang = Language::parse(&code).ok_or_else(|| {
                        Complaint::new(format!("unknown language `{code}` in `languages`"))
                            .with_hint("use `pl` or `en`, e.g. `languages: {en: {title: \"Small business marketing\"}}`")
                    })?;
                    self.languages.insert(lang, names);
                }
            }
            "typography" => self.typography = Some(typed(entry)?),
            "raw_html" => self.raw_html = typed(entry)?,
            "git_dates" => self.git_dates = typed(entry)?,
            "seo" => {
                self.seo = typed(entry)?;
                if !self.seo.title_pattern.contains("{title}") {
                    return Err(Complaint::new("`seo.title_pattern` must contain `{title}`")
                        .with_hint("for example `title_pattern: \"{title} · {site}\"`"));
                }
            }
            "analytics" => {
                let analytics: AnalyticsConfig = typed(entry)?;
                let script = analytics.script.trim();
                if !(script.starts_with("https://") || script.starts_with('/'))
                    || script.contains(['"', '<', '>', ' '])
                {
                    return Err(Complaint::new(format!(
                        "`analytics.script` `{script}` is not an https URL or site path"
                    ))
                    .with_hint(
                        "write the script address, e.g. `https://plausible.io/js/script.js`",
                    ));
                }
                self.analytics = Some(analytics);
            }
            "edit_url" => self.edit_url = Some(check_edit_url(&typed::<String>(entry)?)?),
            "mermaid" => {
                self.mermaid = match v {
                    Value::Null => None,
                    _ => Some(mermaid_path(&typed::<String>(entry)?)?),
                }
            }
            "images" => {
                let images: ImagesConfig = typed(entry)?;
                images.validate()?;
                self.images = images;
            }
            "extra" => {
                self.extra = match v {
                    Value::Null => Map::new(),
                    Value::Object(m) => m.clone(),
                    _ => {
                        return Err(Complaint::new(
                            "`extra` must be a mapping of names to values",
                        ));
                    }
                }
            }
            unknown => {
                let hint = match crate::suggest::closest(unknown, KNOWN_KEYS.iter().copied()) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("known keys: {}", KNOWN_KEYS.join(", ")),
                };
                return Err(
                    Complaint::new(format!("unknown key `{unknown}` in kbsite.yaml"))
                        .with_hint(hint),
                );
            }
        }
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        let rest = &self.base_url[after_scheme..];
        rest.find('/').map_or("/", |i| &rest[i..])
    }

    /// Replaces `base_url` (the `--base-url` flag), with the same checks as the file.
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        self.base_url = normalize_base_url(url).map_err(|complaint| Error::Usage {
            message: format!("--base-url: {}", complaint.message),
            hint: complaint.hint,
        })?;
        Ok(())
    }

    /// The folder the site is written to.
    pub fn output_path(&self, root: &Path) -> PathBuf {
        root.join(&self.output_dir)
    }
}

/// Converts one entry's value to a Rust type, phrasing serde's complaint for an author.
fn typed<T: DeserializeOwned>(entry: &yaml::Entry) -> Result<T, Complaint> {
    serde_json::from_value(entry.value.clone()).map_err(|e| {
        Complaint::new(format!("`{}`: {e}", entry.key)).with_hint(format!(
            "{} is written as {}",
            entry.key,
            describe_value(&entry.value)
        ))
    })
}

/// Names a value's shape the way an author thinks of it.
pub fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::Null => "an empty value",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn normalize_base_url(url: &str) -> Result<String, Complaint> {
    let url = url.trim();
    let refuse = |why: &str| {
        Err(Complaint::new(format!("`{url}` {why}")).with_hint(
            "write a full URL such as `https://example.org/` or `https://example.org/kb/`",
        ))
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return refuse("is not an absolute URL");
    };
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.starts_with('/') {
        return refuse("is not an http(s) URL with a host");
    }
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return refuse("may not contain a query, fragment, space or quote");
    }
    let mut url = url.to_string();
    if !url[scheme.len() + 3..].contains('/') || !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// Checks `edit_url`: an http(s) URL with a host that holds `{path}` and nothing a link
/// attribute cannot hold.
fn check_edit_url(url: &str) -> Result<String, Complaint> {
    let url = url.trim();
    let hint = "write the address of the editor with `{path}` where the file's path goes, e.g. \
                `https://github.com/firma/baza/edit/main/content/{path}`";
    let refuse =
        |why: &str| Err(Complaint::new(format!("`edit_url` `{url}` {why}")).with_hint(hint));
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    if host.is_none_or(|h| h.is_empty() || h.starts_with(['/', '{'])) {
        return refuse("is not an http(s) URL with a host");
    }
    if !url.contains("{path}") {
        return refuse("does not contain `{path}`");
    }
    if url.contains(['"', '<', '>', ' ', '\\']) || url.chars().any(char::is_control) {
        return refuse("may not contain spaces, quotes or `<`, `>`");
    }
    Ok(url.to_string())
}

/// The output path of the Mermaid file `mermaid:` names: a file of `static/` written from the
/// site root (`static/mermaid.min.js`) or as its address (`/mermaid.min.js`), both
/// `mermaid.min.js`.
fn mermaid_path(text: &str) -> Result<String, Complaint> {
    let text = text.trim();
    let refuse =
        |why: &str| {
            Err(Complaint::new(format!("`mermaid: {text}` {why}")).with_hint(
            "download mermaid.min.js into static/ and write `mermaid: static/mermaid.min.js`",
        ))
        };
    if text.contains("://") || text.starts_with("//") {
        return refuse("is an address elsewhere; pages load Mermaid only from the site");
    }
    if text.contains(['"', '<', '>', '\\']) || text.chars().any(char::is_control) {
        return refuse("may not contain quotes, `<`, `>` or `\\`");
    }
    let rest = text
        .strip_prefix(crate::sources::STATIC)
        .and_then(|r| r.strip_prefix('/'))
        .or_else(|| text.strip_prefix('/'))
        .unwrap_or(text);
    // A path inside the site: no `..`, no empty or `.` parts kept.
    let parts: Vec<&str> = rest
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return refuse("is not a file inside the site");
    }
    let path = parts.join("/");
    if !path.to_ascii_lowercase().ends_with(".js") {
        return refuse("is not a JavaScript file (`.js`)");
    }
    Ok(path)
}

/// Finds the site root: `start` itself or the nearest folder above it holding `kbsite.yaml`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = std::fs::canonicalize(start).map_err(|e| Error::io("open folder", start, e))?;
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(Error::ConfigNotFound { start })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("kbsite.yaml"))
    }

    #[test]
    fn the_logo_is_found_inside_its_own_block_only() {
        let at = |text: &str| {
            let at = parse(text).unwrap().seo.logo_at.unwrap();
            (at.line, at.column)
        };
        assert_eq!(
            at("title: X\nseo:\n  twitter: \"@x\"\n  logo: /l.png\n"),
            (4, 9)
        );
        // A flow mapping: the `seo` key itself, never a `logo:` of another block.
        assert_eq!(at("seo: {logo: /l.png}\nextra:\n  logo: inna\n"), (1, 1));
    }

    #[test]
    fn mermaid_names_a_file_the_site_copies() {
        for (text, path) in [
            ("static/mermaid.min.js", "mermaid.min.js"),
            ("/js/mermaid.min.js", "js/mermaid.min.js"),
            ("mermaid.min.js", "mermaid.min.js"),
        ] {
            let c = parse(&format!("title: X\nmermaid: {text}\n")).unwrap();
            assert_eq!(c.mermaid.as_deref(), Some(path), "{text}");
            assert_eq!(c.mermaid_at.as_ref().map(|at| at.line), Some(2));
        }
        assert_eq!(parse("title: X\n").unwrap().mermaid, None);
        for bad in [
            "https://cdn.jsdelivr.net/npm/mermaid/dist/mermaid.min.js",
            "../mermaid.min.js",
            "static/mermaid.css",
        ] {
            let err = parse(&format!("mermaid: {bad}\n")).unwrap_err();
            assert_eq!(err.code(), crate::codes::CONFIG_VALUE, "{bad}");
            assert!(
                err.hint().unwrap().contains("static/mermaid.min.js"),
                "{bad}"
            );
        }
    }

    #[test]
    fn defaults_fill_missing_keys() {
        let c = parse("title: X\n").unwrap();
        assert_eq!(c.language, Language::Pl);
        assert_eq!(c.taxonomies, ["tags", "categories"]);
        assert_eq!(c.output_dir, "public");
    }

    #[test]
    fn unknown_key_names_line_and_closest_key() {
        let err = parse("title: X\nbase_ur: https://e.org\n").unwrap_err();
        let Error::Problem(problem) = err else {
            panic!("wrong error")
        };
        let Problem {
            kind: ProblemKind::Config,
            at,
            message,
            hint,
            ..
        } = *problem
        else {
            panic!("wrong error")
        };
        assert_eq!(at.line, 2);
        assert!(message.contains("base_ur"));
        assert_eq!(hint.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn wrong_type_is_reported_at_its_key() {
        let err = parse("title: X\n\npaginate_by: many\n").unwrap_err();
        assert_eq!(err.location().unwrap().line, 3);
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn base_url_gets_a_trailing_slash_and_a_path() {
        let c = parse("base_url: https://example.org/kb\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/kb/");
        assert_eq!(c.base_path(), "/kb/");
        let c = parse("base_url: https://example.org\n").unwrap();
        assert_eq!(c.base_path(), "/");
        assert!(parse("base_url: example.org\n").is_err());
    }

    #[test]
    fn edit_url_needs_a_host_and_a_path_placeholder() {
        let c = parse("edit_url: \"https://github.com/f/b/edit/main/content/{path}\"\n").unwrap();
        assert_eq!(
            c.edit_url.as_deref(),
            Some("https://github.com/f/b/edit/main/content/{path}")
        );
        for bad in [
            "https://github.com/f/b/edit/main/content/",
            "ftp://example.org/{path}",
            "/edit/{path}",
            "https://{path}",
            "https://example.org/a b/{path}",
        ] {
            let err = parse(&format!("title: X\nedit_url: \"{bad}\"\n")).unwrap_err();
            let Error::Problem(problem) = &err else {
                panic!("wrong error for {bad}")
            };
            let Problem {
                kind: ProblemKind::Config,
                code,
                at,
                ..
            } = problem.as_ref()
            else {
                panic!("wrong error for {bad}")
            };
            assert_eq!(
                (*code, at.line, at.column),
                (crate::codes::CONFIG_VALUE, 2, 1),
                "{bad}"
            );
            assert_eq!(err.exit_code(), 2);
        }
    }

    #[test]
    fn languages_name_the_site_in_each_language() {
        let c = Config::parse(
            "title: Marketing\nlanguages:\n  en:\n    title: Small business marketing\n",
            Path::new("kbsite.yaml"),
        )
        .unwrap();
        assert_eq!(c.title_in(Language::En), "Small business marketing");
        assert_eq!(c.title_in(Language::Pl), "Marketing");
        assert_eq!(c.description_in(Language::En), "");
        let c = Config::parse(
            "menu:\n  - {name: Tagi, url: /tags/}\nlanguages:\n  en:\n    menu:\n      - {name: B, url: /en/b/, weight: 2}\n      - {name: Tags, url: /en/tags/, weight: 1}\n",
            Path::new("kbsite.yaml"),
        )
        .unwrap();
        let names = |lang| {
            c.menu_in(lang)
                .iter()
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(Language::En), ["Tags", "B"]);
        assert_eq!(names(Language::Pl), ["Tagi"]);
        let err = Config::parse("languages:\n  de: {title: X}\n", Path::new("kbsite.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown language `de`"), "{err}");
    }

    #[test]
    fn feed_content_is_full_or_summary_and_anything_else_is_located() {
        let c = parse("title: X\n").unwrap();
        assert_eq!(
            (
                c.feed_content,
                c.section_feeds,
                c.llms_txt,
                c.llms_full_max_mb
            ),
            (FeedContent::Full, false, true, 10)
        );
        let c = parse("feed_content: summary\nsection_feeds: true\nllms_txt: false\n").unwrap();
        assert_eq!(c.feed_content, FeedContent::Summary);
        assert!(c.section_feeds && !c.llms_txt);
        let err = parse("title: X\nfeed_content: excerpt\n").unwrap_err();
        let Error::Problem(problem) = &err else {
            panic!("wrong error")
        };
        assert_eq!(
            (problem.code, problem.at.line, problem.at.column),
            (crate::codes::CONFIG_VALUE, 2, 1)
        );
        assert!(problem.message.contains("`excerpt`"), "{}", problem.message);
        assert!(err.hint().unwrap().contains("feed_content: summary"));
        assert_eq!(err.exit_code(), 2);
        // A value of the wrong type is located the same way.
        let err = parse("llms_full_max_mb: dużo\n").unwrap_err();
        assert_eq!(err.location().unwrap().line, 1);
    }

    #[test]
    fn menu_is_sorted_by_weight() {
        let c = parse(
            "menu:\n  - {name: B, url: /b/, weight: 2}\n  - {name: A, url: /a/, weight: 1}\n",
        )
        .unwrap();
        assert_eq!(c.menu[0].name, "A");
    }
}
