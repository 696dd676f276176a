//! The only user of Tera: loads the templates (site first, then theme) and renders every
//! output file of a [`Site`] in parallel.

pub mod context;
pub mod filters;
pub mod i18n;
pub mod theme;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::{Config, Language};
use crate::error::{Error, Location, Result};
use crate::markdown::highlight::escape_into;
use crate::site::{Site, order};
use context::map;
pub use theme::ThemeFiles;

/// Prefix under which theme templates are registered; Tera falls back to it when the site has
/// no template of that name, which is how site templates override theme ones.
const THEME_PREFIX: &str = "__theme/";

/// Templates every site needs.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
];

/// Loaded templates, ready to render sites.
pub struct Renderer {
    tera: Tera,
    sources: HashMap<String, (PathBuf, String)>,
    searched: Vec<PathBuf>,
}

/// One output file to produce.
#[derive(Debug, Clone, Copy)]
enum Job {
    Page(usize),
    SectionPager(usize, usize),
    TaxonomyList(usize),
    TermPager(usize, usize, usize),
    Alias(usize),
    NotFound,
    Feed,
    Sitemap,
    Robots,
}

impl Renderer {
    /// Parses every template; a syntax error is reported with its file and line.
    pub fn new(config: &Config, theme: &ThemeFiles) -> Result<Renderer> {
        let mut tera = Tera::default();
        tera.set_fallback_prefixes([THEME_PREFIX])
            .map_err(|e| template_error(e, &HashMap::new(), None))?;
        filters::register(&mut tera, config);
        let mut sources = HashMap::new();
        let mut batch = Vec::new();
        for t in &theme.templates {
            let name = if t.from_site {
                t.name.clone()
            } else {
                format!("{THEME_PREFIX}{}", t.name)
            };
            sources.insert(name.clone(), (t.display_path.clone(), t.source.clone()));
            batch.push((name, t.source.clone()));
        }
        tera.add_raw_templates(batch)
            .map_err(|e| template_error(e, &sources, None))?;
        let searched = vec![
            PathBuf::from("templates"),
            PathBuf::from("themes")
                .join(&config.theme)
                .join("templates"),
        ];
        Ok(Renderer {
            tera,
            sources,
            searched,
        })
    }

    fn missing(&self, name: &str, wanted_by: Option<Location>) -> Error {
        Error::MissingTemplate {
            name: name.to_string(),
            searched: self.searched.clone(),
            wanted_by: wanted_by.map(Box::new),
        }
    }

    /// Checks that every template the site will ask for exists, before any rendering.
    fn check_templates(&self, site: &Site) -> Result<()> {
        let mut errors = Vec::new();
        for name in REQUIRED_TEMPLATES {
            if !self.tera.contains_template(name) {
                errors.push(self.missing(name, None));
            }
        }
        let docs = site
            .pages
            .iter()
            .map(|p| &p.doc)
            .chain(site.sections.iter().filter_map(|s| s.doc.as_ref()));
        for doc in docs {
            if let Some(name) = &doc.meta.template
                && !self.tera.contains_template(name)
            {
                let line = doc
                    .text
                    .lines()
                    .position(|l| l.starts_with("template:"))
                    .map_or(1, |i| i + 1);
                let at = Location::from_line_col(&doc.display_path, &doc.text, line, 11);
                errors.push(self.missing(name, Some(at)));
            }
        }
        Error::collect(errors)
    }

    /// Renders every output file of `site` and hands each to `write` (output path, bytes).
    /// Files are produced in parallel; all errors are returned together.
    pub fn render_site(
        &mut self,
        site: &Site,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<()> {
        self.check_templates(site)?;
        self.tera
            .global_context()
            .insert_value("site", context::site_value(site));
        self.tera
            .global_context()
            .insert("kbsite_version", env!("CARGO_PKG_VERSION"));
        let summaries: Vec<Value> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| context::page_summary(site, i))
            .collect();
        let shared = Shared {
            site,
            summaries,
            strings: [
                context::strings_value(Language::Pl),
                context::strings_value(Language::En),
            ],
        };
        let jobs = jobs(site);
        let renderer = &*self;
        let errors: Vec<Error> = jobs
            .par_iter()
            .filter_map(|job| {
                let result = renderer
                    .render_job(&shared, *job)
                    .and_then(|(path, bytes)| write(&path, &bytes));
                result.err()
            })
            .collect();
        Error::collect(errors)
    }

    fn render(&self, template: &str, ctx: &Context, what: &str) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| template_error(e, &self.sources, Some(what.to_string())))?;
        Ok(out)
    }

    fn render_job(&self, shared: &Shared<'_>, job: Job) -> Result<(String, Vec<u8>)> {
        let site = shared.site;
        match job {
            Job::Page(id) => {
                let p = &site.pages[id];
                let mut ctx = shared.base_context(p.lang, &p.path);
                ctx.insert_value("page", context::page_full(site, id));
                let template = p.doc.meta.template.as_deref().unwrap_or("page.html");
                let what = p.doc.display_path.display().to_string();
                Ok((
                    format!("{}index.html", p.path),
                    self.render(template, &ctx, &what)?,
                ))
            }
            Job::SectionPager(id, k) => {
                let s = &site.sections[id];
                let base = order::pager_path(&s.path, k);
                let mut ctx = shared.base_context(s.lang, &base);
                let items: Vec<Value> = s
                    .pages
                    .iter()
                    .map(|&p| shared.summaries[p].clone())
                    .collect();
                ctx.insert_value("section", context::section_value(site, id));
                ctx.insert_value(
                    "paginator",
                    context::paginator(site, &s.path, &items, s.paginate_by, k),
                );
                let default = if id == 0 {
                    "index.html"
                } else {
                    "section.html"
                };
                if id == 0 {
                    ctx.insert_value("home", home_value(shared));
                }
                let template = s
                    .doc
                    .as_ref()
                    .and_then(|d| d.meta.template.as_deref())
                    .unwrap_or(default);
                let what = s.doc.as_ref().map_or_else(
                    || "the home page".to_string(),
                    |d| d.display_path.display().to_string(),
                );
                Ok((
                    format!("{base}index.html"),
                    self.render(template, &ctx, &what)?,
                ))
            }
            Job::TaxonomyList(t) => {
                let tax = &site.taxonomies[t];
                let mut ctx = shared.base_context(site.config.language, &tax.path());
                ctx.insert_value("taxonomy", taxonomy_value(shared, t));
                Ok((
                    format!("{}index.html", tax.path()),
                    self.render("taxonomy_list.html", &ctx, &tax.path())?,
                ))
            }
            Job::TermPager(t, term_id, k) => {
                let tax = &site.taxonomies[t];
                let term = &tax.terms[term_id];
                let base = tax.term_path(term);
                let path = order::pager_path(&base, k);
                let mut ctx = shared.base_context(site.config.language, &path);
                let items: Vec<Value> = term
                    .pages
                    .iter()
                    .map(|&p| shared.summaries[p].clone())
                    .collect();
                ctx.insert_value("taxonomy", taxonomy_value(shared, t));
                ctx.insert_value(
                    "term",
                    map(vec![
                        ("name", Value::from(term.name.as_str())),
                        ("slug", Value::from(term.slug.as_str())),
                        ("url", Value::from(site.url(&base))),
                        ("permalink", Value::from(site.permalink(&base))),
                        ("count", Value::from(term.pages.len())),
                    ]),
                );
                ctx.insert_value(
                    "paginator",
                    context::paginator(site, &base, &items, site.config.paginate_by, k),
                );
                Ok((
                    format!("{path}index.html"),
                    self.render("taxonomy_term.html", &ctx, &path)?,
                ))
            }
            Job::Alias(i) => {
                let alias = &site.aliases[i];
                Ok((
                    alias.file.clone(),
                    redirect_page(site, &alias.to_path).into_bytes(),
                ))
            }
            Job::NotFound => {
                let ctx = shared.base_context(site.config.language, "404.html");
                Ok((
                    "404.html".into(),
                    self.render("404.html", &ctx, "404.html")?,
                ))
            }
            Job::Feed => {
                let mut ctx = shared.base_context(site.config.language, "atom.xml");
                ctx.insert_value("feed", feed_value(shared));
                Ok((
                    "atom.xml".into(),
                    self.render("atom.xml", &ctx, "atom.xml")?,
                ))
            }
            Job::Sitemap => {
                let mut ctx = shared.base_context(site.config.language, "sitemap.xml");
                ctx.insert_value("entries", sitemap_entries(site));
                Ok((
                    "sitemap.xml".into(),
                    self.render("sitemap.xml", &ctx, "sitemap.xml")?,
                ))
            }
            Job::Robots => {
                let ctx = shared.base_context(site.config.language, "robots.txt");
                Ok((
                    "robots.txt".into(),
                    self.render("robots.txt", &ctx, "robots.txt")?,
                ))
            }
        }
    }
}

/// Values shared by every job of one render.
struct Shared<'s> {
    site: &'s Site,
    summaries: Vec<Value>,
    strings: [Value; 2],
}

impl Shared<'_> {
    fn base_context(&self, lang: Language, path: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", lang.code());
        let strings = match lang {
            Language::Pl => &self.strings[0],
            Language::En => &self.strings[1],
        };
        ctx.insert_value("t", strings.clone());
        ctx.insert("current_url", &self.site.url(path));
        ctx.insert("current_permalink", &self.site.permalink(path));
        ctx
    }
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (id, s) in site.sections.iter().enumerate() {
        jobs.extend((1..=s.pager_count()).map(|k| Job::SectionPager(id, k)));
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyList(t));
        for (i, term) in tax.terms.iter().enumerate() {
            let count = order::pager_count(term.pages.len(), site.config.paginate_by);
            jobs.extend((1..=count).map(|k| Job::TermPager(t, i, k)));
        }
    }
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    jobs.extend([Job::NotFound, Job::Feed, Job::Sitemap, Job::Robots]);
    jobs
}

fn taxonomy_value(shared: &Shared<'_>, t: usize) -> Value {
    let site = shared.site;
    let tax = &site.taxonomies[t];
    let terms: Vec<Value> = tax
        .terms
        .iter()
        .map(|term| {
            map(vec![
                ("name", Value::from(term.name.as_str())),
                ("slug", Value::from(term.slug.as_str())),
                ("url", Value::from(site.url(&tax.term_path(term)))),
                ("count", Value::from(term.pages.len())),
            ])
        })
        .collect();
    map(vec![
        ("name", Value::from(tax.name.as_str())),
        (
            "title",
            Value::from(context::taxonomy_title(&tax.name, site.config.language)),
        ),
        ("url", Value::from(site.url(&tax.path()))),
        ("terms", Value::from(terms)),
    ])
}

fn home_value(shared: &Shared<'_>) -> Value {
    let site = shared.site;
    let mut ids: Vec<usize> = (1..site.sections.len()).collect();
    ids.sort_by_key(|&i| (order::title_key(&site.sections[i].title), i));
    let sections: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            let s = &site.sections[id];
            let mut newest = s.pages.clone();
            newest.sort_by(|a, b| {
                let key = |p: usize| order::SortKey {
                    date: site.pages[p].doc.meta.date.as_ref(),
                    weight: None,
                    title: &site.pages[p].title,
                    path: &site.pages[p].doc.rel_path,
                };
                order::compare(crate::content::SortBy::Date, &key(*a), &key(*b))
            });
            newest.truncate(5);
            map(vec![
                ("title", Value::from(s.title.as_str())),
                ("url", Value::from(site.url(&s.path))),
                (
                    "description",
                    s.doc
                        .as_ref()
                        .and_then(|d| d.meta.description.clone())
                        .map_or_else(Value::none, Value::from),
                ),
                ("pages_count", Value::from(s.pages.len())),
                (
                    "newest",
                    Value::from(
                        newest
                            .iter()
                            .map(|&p| shared.summaries[p].clone())
                            .collect::<Vec<_>>(),
                    ),
                ),
            ])
        })
        .collect();
    let tags = site.taxonomies.iter().find(|t| t.name == "tags");
    let cloud: Vec<Value> = match tags {
        None => Vec::new(),
        Some(tax) => {
            let counts: Vec<usize> = tax.terms.iter().map(|t| t.pages.len()).collect();
            let (min, max) = (
                counts.iter().min().copied().unwrap_or(0),
                counts.iter().max().copied().unwrap_or(0),
            );
            tax.terms
                .iter()
                .map(|term| {
                    let n = term.pages.len();
                    let weight = if max > min {
                        1 + 4 * (n - min) / (max - min)
                    } else {
                        3
                    };
                    map(vec![
                        ("name", Value::from(term.name.as_str())),
                        ("slug", Value::from(term.slug.as_str())),
                        ("url", Value::from(site.url(&tax.term_path(term)))),
                        ("count", Value::from(n)),
                        ("weight", Value::from(weight)),
                    ])
                })
                .collect()
        }
    };
    map(vec![
        ("sections", Value::from(sections)),
        ("tags", Value::from(cloud)),
    ])
}

fn feed_value(shared: &Shared<'_>) -> Value {
    let site = shared.site;
    let mut dated: Vec<usize> = (0..site.pages.len())
        .filter(|&p| site.pages[p].doc.meta.date.is_some())
        .collect();
    dated.sort_by(|a, b| {
        let key = |p: usize| order::SortKey {
            date: site.pages[p].doc.meta.date.as_ref(),
            weight: None,
            title: &site.pages[p].title,
            path: &site.pages[p].doc.rel_path,
        };
        order::compare(crate::content::SortBy::Date, &key(*a), &key(*b))
    });
    dated.truncate(site.config.feed_limit);
    let mut updated = String::from("1970-01-01T00:00:00Z");
    let pages: Vec<Value> = dated
        .iter()
        .map(|&p| {
            let meta = &site.pages[p].doc.meta;
            let published = meta.date.map(|d| d.rfc3339()).unwrap_or_default();
            let changed = meta
                .updated
                .or(meta.date)
                .map(|d| d.rfc3339())
                .unwrap_or_default();
            if changed > updated {
                updated = changed.clone();
            }
            let mut fields: std::collections::BTreeMap<&'static str, Value> = shared.summaries[p]
                .as_map()
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| k.as_str().and_then(static_key).map(|k| (k, v.clone())))
                .collect();
            fields.insert("content", Value::from(site.pages[p].rendered.html.as_str()));
            fields.insert("date_rfc3339", Value::from(published));
            fields.insert("updated_rfc3339", Value::from(changed));
            Value::from(fields)
        })
        .collect();
    map(vec![
        ("url", Value::from(site.permalink("atom.xml"))),
        ("updated", Value::from(updated)),
        ("pages", Value::from(pages)),
    ])
}

/// Summary keys as `'static` strings (Tera map keys borrow from the value).
fn static_key(key: &str) -> Option<&'static str> {
    const KEYS: &[&str] = &[
        "title",
        "url",
        "permalink",
        "date",
        "updated",
        "description",
        "summary",
        "word_count",
        "reading_time",
        "tags",
        "section",
    ];
    KEYS.iter().find(|k| **k == key).copied()
}

fn sitemap_entries(site: &Site) -> Value {
    let newest = |pages: &[usize]| {
        pages
            .iter()
            .filter_map(|&p| {
                let m = &site.pages[p].doc.meta;
                m.updated.or(m.date)
            })
            .max()
            .map(|d| d.iso())
    };
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for p in &site.pages {
        let m = &p.doc.meta;
        entries.push((
            site.permalink(&p.path),
            m.updated.or(m.date).map(|d| d.iso()),
        ));
    }
    for s in &site.sections {
        entries.push((site.permalink(&s.path), newest(&s.pages)));
        for k in 2..=s.pager_count() {
            entries.push((site.permalink(&order::pager_path(&s.path, k)), None));
        }
    }
    for tax in &site.taxonomies {
        entries.push((site.permalink(&tax.path()), None));
        for term in &tax.terms {
            entries.push((site.permalink(&tax.term_path(term)), newest(&term.pages)));
        }
    }
    entries.sort();
    Value::from(
        entries
            .into_iter()
            .map(|(permalink, lastmod)| {
                map(vec![
                    ("permalink", Value::from(permalink)),
                    ("lastmod", lastmod.map_or_else(Value::none, Value::from)),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

fn redirect_page(site: &Site, to_path: &str) -> String {
    let lang = site.config.language;
    let mut url = String::new();
    escape_into(&mut url, &site.url(to_path));
    let mut permalink = String::new();
    escape_into(&mut permalink, &site.permalink(to_path));
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p>{text} <a href=\"{url}\">{permalink}</a></p>\n</body>\n</html>\n",
        code = lang.code(),
        title = i18n::text(lang, "redirecting"),
        text = i18n::text(lang, "redirect_text"),
    )
}

/// Turns a Tera error into an error naming the template file, line and column.
fn template_error(
    err: tera::Error,
    sources: &HashMap<String, (PathBuf, String)>,
    rendering: Option<String>,
) -> Error {
    let locate = |name: &str, line: usize, col: usize| -> Location {
        match sources.get(name) {
            Some((path, text)) => Location::from_line_col(path, text, line, col),
            None => Location::file(&PathBuf::from(
                name.strip_prefix(THEME_PREFIX).unwrap_or(name),
            )),
        }
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let mut at = locate(report.filename(), span.start_line, span.start_col + 1);
            if span.start_line == span.end_line {
                at.span = span.end_col.saturating_sub(span.start_col).max(1);
            }
            Error::Template {
                at: at.into(),
                message: report.message().to_string(),
                rendering,
            }
        }
        tera::ErrorKind::TemplateNotFound(name) => Error::MissingTemplate {
            name: name.strip_prefix(THEME_PREFIX).unwrap_or(name).to_string(),
            searched: vec![PathBuf::from("templates")],
            wanted_by: None,
        },
        tera::ErrorKind::MissingParent { current, parent } => Error::MissingTemplate {
            name: parent
                .strip_prefix(THEME_PREFIX)
                .unwrap_or(parent)
                .to_string(),
            searched: vec![PathBuf::from("templates")],
            wanted_by: Some(locate(current, 1, 1).into()),
        },
        tera::ErrorKind::Msg(text) if text.contains("--> ") => {
            // Validation of filter and function names comes as pre-rendered reports; take
            // each `error: …` with its `--> name:LINE:COL` apart.
            let mut errors = Vec::new();
            let mut message = String::new();
            for line in text.lines() {
                let trimmed = line.trim();
                if let Some(m) = trimmed.strip_prefix("error: ") {
                    message = m.to_string();
                } else if let Some(place) = trimmed.strip_prefix("--> ") {
                    let mut parts = place.rsplitn(3, ':');
                    let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
                    let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(1);
                    let name = parts.next().unwrap_or(place);
                    errors.push(Error::Template {
                        at: locate(name, line_no, col.max(1)).into(),
                        message: message.clone(),
                        rendering: rendering.clone(),
                    });
                }
            }
            Error::collect(errors)
                .err()
                .unwrap_or_else(|| Error::Template {
                    at: Location::file(&PathBuf::from("templates")).into(),
                    message: text.clone(),
                    rendering,
                })
        }
        _ => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            Error::Template {
                at: Location::file(&PathBuf::from("templates")).into(),
                message: message.replace(THEME_PREFIX, ""),
                rendering,
            }
        }
    }
}
