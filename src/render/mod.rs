//! The only user of Tera: loads the templates (site first, then theme) and renders every
//! output file of a [`Site`] in parallel.

mod asset_urls;
mod card_template;
pub(crate) mod component_templates;
pub(crate) mod context;
pub(crate) mod filters;
mod fingerprint;
pub(crate) mod i18n;
mod inputs;
pub(crate) mod last_build;
mod lists;
mod llms;
mod nav;
pub(crate) mod seo;
mod template_error;
pub(crate) mod theme;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::cards::{CARD_TEMPLATE, CardDrawer, CardJob, CardMemo};
use crate::config::{Config, Language};
use crate::data::SiteData;
use crate::error::{Error, Location, Result};
use crate::site::feeds::{FeedFormat, FeedOf};
use crate::site::{Site, order};
use lists::{redirect_page, taxonomy_value};
use seo::{HeadInput, HeadOf, SocialImage};
use template_error::template_error;
pub(crate) use theme::ThemeFiles;

/// Prefix under which theme templates are registered; Tera falls back to it when the site has
/// no template of that name, which is how site templates override theme ones.
const THEME_PREFIX: &str = "__theme/";

/// What each output file was rendered from, by output path: equal fingerprints mean equal
/// bytes.
pub(crate) type Fingerprints = crate::hash::FastMap<String, u64>;

/// Templates every site needs.
pub(crate) const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
    "atom.xml",
    "rss.xml",
    "sitemap.xml",
    "robots.txt",
];

/// The search page's template, needed when search is on.
pub(crate) const SEARCH_TEMPLATE: &str = "search.html";

/// The template of the pages listing every article that links to one, needed when an
/// article has more backlinks than it shows ([`context::BACKLINKS_SHOWN`]).
pub(crate) const BACKLINKS_TEMPLATE: &str = "backlinks.html";

/// Loaded templates, ready to render sites.
pub struct Renderer {
    tera: Tera,
    sources: HashMap<String, (PathBuf, String)>,
    searched: Vec<PathBuf>,
    cards: Arc<CardDrawer>,
    components: crate::markdown::component_calls::SharedComponents,
    /// The files `asset_url` hashes: those of the site being rendered.
    assets: asset_urls::SharedAssets,
    /// `site.data`: the site's data files.
    data: Value,
    /// The hash of the data files, in the fingerprint of the pages whose templates read them.
    data_print: u64,
    /// Whether HTML pages are minified.
    minify: bool,
    /// Renders for the live preview: asset addresses without hashes.
    preview: bool,
    /// The site-wide fingerprint of the last render that kept fingerprints: a partial render
    /// whose site-wide values differ from it renders everything that changed instead.
    last_global: Option<u64>,
    /// The articles' entries of `llms.txt` and `llms-full.txt` from the last render.
    llms: llms::Memos,
}

/// One output file to produce.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job {
    Page(usize),
    SectionPager(usize, usize),
    TaxonomyList(usize),
    TermPager(usize, usize, usize),
    /// List page `k` of the articles linking to a page (only for pages with more backlinks
    /// than they show).
    Backlinks(usize, usize),
    Alias(usize),
    NotFound,
    /// A feed in one format.
    Feed(FeedOf, FeedFormat),
    Sitemap,
    Robots,
    SearchPage(Language),
    /// `llms.txt` of a language: its articles by section, as links.
    LlmsTxt(Language),
    /// `llms-full.txt` of a language: its articles' Markdown.
    LlmsFull(Language),
}

impl Job {
    /// The template this job renders with: the one its front matter names, or the default of
    /// its kind; `None` for a redirect and the texts for language models, which kbsite writes
    /// itself (in `Renderer::render_job`). Rendering and
    /// fingerprinting both ask here, so they never disagree on it.
    pub(crate) fn template(self, site: &Site) -> Option<&str> {
        Some(match self {
            Job::Page(id) => site.pages[id]
                .doc
                .meta
                .template
                .as_deref()
                .unwrap_or("page.html"),
            Job::SectionPager(id, _) => {
                let s = &site.sections[id];
                let default = if s.parent.is_none() {
                    "index.html"
                } else {
                    "section.html"
                };
                s.doc
                    .as_ref()
                    .and_then(|d| d.meta.template.as_deref())
                    .unwrap_or(default)
            }
            Job::TaxonomyList(_) => "taxonomy_list.html",
            Job::TermPager(..) => "taxonomy_term.html",
            Job::Backlinks(..) => BACKLINKS_TEMPLATE,
            Job::Alias(_) => return None,
            Job::NotFound => "404.html",
            Job::Feed(_, format) => format.file_name(),
            Job::Sitemap => "sitemap.xml",
            Job::Robots => "robots.txt",
            Job::SearchPage(_) => SEARCH_TEMPLATE,
            Job::LlmsTxt(_) | Job::LlmsFull(_) => return None,
        })
    }
}

impl Renderer {
    /// Parses every template; a syntax error is reported with its file and line. `data` is
    /// what templates and components see as `site.data`.
    pub(crate) fn new(config: &Config, theme: &ThemeFiles, data: &SiteData) -> Result<Renderer> {
        let mut tera = Tera::default();
        // Social card templates are SVG: XML, escaped like HTML.
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        tera.set_fallback_prefixes([THEME_PREFIX])
            .map_err(|e| template_error(e, &HashMap::new(), None))?;
        let assets = asset_urls::SharedAssets::default();
        filters::register(&mut tera, config, &assets);
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
                .join(crate::sources::TEMPLATES),
        ];
        let cards = Arc::new(card_template::card_drawer(config, theme, &sources, &tera));
        let data_value = Value::from_serializable(&data.value);
        let components = component_templates::TeraComponents::shared(
            &tera,
            &sources,
            theme,
            [
                context::strings_value(Language::Pl),
                context::strings_value(Language::En),
            ],
            (&data_value, data.print),
        );
        Ok(Renderer {
            tera,
            sources,
            searched,
            cards,
            components,
            assets,
            data: data_value,
            data_print: data.print,
            minify: config.minify,
            preview: false,
            last_global: None,
            llms: llms::Memos::default(),
        })
    }

    /// Makes this renderer render for the live preview (`kbsite serve`): `asset_url` gives
    /// addresses without hashes, so an edited stylesheet is swapped into open pages rather
    /// than rendering every page again.
    pub fn for_preview(mut self) -> Renderer {
        self.preview = true;
        self
    }

    /// What renders the component calls of Markdown with these templates, for the site
    /// model, which renders Markdown before any page is rendered.
    pub fn components(&self) -> crate::markdown::component_calls::SharedComponents {
        self.components.clone()
    }

    /// The social cards `site` needs, one per article without its own `image`, in page order.
    pub fn social_cards(&self, site: &Site) -> Vec<CardJob> {
        (0..site.pages.len())
            .into_par_iter()
            .filter_map(|id| self.cards.job(site, id))
            .collect()
    }

    /// [`Renderer::social_cards`] for a preview that rebuilds often: only titles `memo` has
    /// not seen are laid out. `memo` must be new for each renderer.
    pub fn social_cards_remembered<'m>(
        &self,
        site: &Site,
        memo: &'m mut CardMemo,
    ) -> Vec<&'m CardJob> {
        self.cards.jobs_remembered(site, memo)
    }

    /// [`Renderer::social_cards_remembered`] for article `id` only.
    pub fn social_card_remembered<'m>(
        &self,
        site: &Site,
        id: usize,
        memo: &'m mut CardMemo,
    ) -> Option<&'m CardJob> {
        self.cards.job_remembered(site, id, memo)
    }

    /// Draws one card: its template with the card's text (as `card`), then the SVG to PNG.
    pub fn draw_card(&self, job: &CardJob) -> Result<Vec<u8>> {
        self.cards.draw(job)
    }

    /// What draws this renderer's cards, for a preview that draws them later, when asked.
    pub fn card_drawer(&self) -> Arc<CardDrawer> {
        self.cards.clone()
    }

    /// The social picture of article `id`: its own `image`, else its card.
    fn page_image(&self, site: &Site, id: usize) -> Option<SocialImage> {
        let p = &site.pages[id];
        let alt = p
            .doc
            .meta
            .image_alt
            .clone()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| p.title.clone());
        if let Some(image) = &p.image {
            return Some(SocialImage {
                url: site.image_url(image),
                size: image.size,
                alt,
            });
        }
        self.cards.job(site, id).map(|job| SocialImage {
            url: site.permalink(&job.path),
            size: Some((crate::cards::WIDTH, crate::cards::HEIGHT)),
            alt,
        })
    }

    /// The `seo` value of a page of `lang` at output path `path`.
    fn seo(&self, site: &Site, head: HeadOf, path: &str, lang: Language) -> Value {
        let image = match head {
            HeadOf::Page(id) => self.page_image(site, id),
            _ => None,
        };
        seo::seo_value(
            head,
            HeadInput {
                site,
                path,
                lang,
                image,
            },
        )
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
        let search = site.config.search.then_some(&SEARCH_TEMPLATE);
        let backlinks = site
            .pages
            .iter()
            .any(|p| p.backlinks.len() > context::BACKLINKS_SHOWN)
            .then_some(&BACKLINKS_TEMPLATE);
        for name in REQUIRED_TEMPLATES.iter().chain(search).chain(backlinks) {
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

    /// How many files [`Renderer::render_site`] produces for `site`.
    pub fn job_count(&self, site: &Site) -> usize {
        jobs(site).len()
    }

    /// Renders every output file of `site` and hands each to `write` (output path, bytes).
    /// Files are produced in parallel; all errors are returned together.
    pub fn render_site(
        &mut self,
        site: &Site,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<()> {
        self.render_selected(site, None, write, &|_| Ok(true))
            .map(|_| ())
    }

    /// Renders the output files of `site`, except those an earlier build into the same
    /// folder rendered from the same inputs (their fingerprints are in `previous`), which
    /// `keep` carries over from that build's output; `keep` answers `false` when it cannot
    /// (the file went or was changed), and the file is rendered after all. Returns the
    /// fingerprints of every output file, for the next build.
    pub fn render_reusing(
        &mut self,
        site: &Site,
        previous: &Fingerprints,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
        keep: &(dyn Fn(&str) -> Result<bool> + Sync),
    ) -> Result<Fingerprints> {
        self.render_selected(site, Some(previous), write, keep)
    }

    /// Renders only the output files whose inputs changed since the render that produced
    /// `previous` (see [`fingerprint`]), and returns the fingerprints of every output file of
    /// `site`. Files missing from the result are no longer part of the site.
    pub fn render_changed(
        &mut self,
        site: &Site,
        previous: &Fingerprints,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<Fingerprints> {
        self.render_selected(site, Some(previous), write, &|_| Ok(true))
    }

    /// Renders again only what shows the bodies of `pages` (their own pages, their lists, the
    /// home page, the feeds and the texts for language models), after a rebuild that changed nothing but those bodies
    /// ([`Site::with_new_bodies`]). Updates `fingerprints` in place and returns the output
    /// paths that are no longer made.
    pub fn render_pages(
        &mut self,
        site: &Site,
        pages: &[usize],
        scope: Scope,
        fingerprints: &mut Fingerprints,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<Vec<String>> {
        // The terms of the changed pages, found once rather than per list page.
        let terms: std::collections::HashSet<(usize, usize)> = site
            .taxonomies
            .iter()
            .enumerate()
            .flat_map(|(t, tax)| {
                tax.terms
                    .iter()
                    .enumerate()
                    .filter(|(_, term)| term.pages.iter().any(|p| pages.contains(p)))
                    .map(move |(i, _)| (t, i))
            })
            .collect();
        let shows = |job: &Job| match *job {
            // A page shows its related pages' summaries too.
            Job::Page(id) => {
                pages.contains(&id) || site.pages[id].related.iter().any(|r| pages.contains(r))
            }
            Job::SectionPager(s, _) => pages.iter().any(|&p| {
                let home = site.sections[s].parent.is_none()
                    && site.sections[s].tree == site.pages[p].lang;
                home || site.pages[p].section == s
            }),
            Job::TermPager(t, term, _) => terms.contains(&(t, term)),
            // Its list names the linking articles and the sentences around their links.
            Job::Backlinks(id, _) => {
                pages.contains(&id)
                    || site.pages[id]
                        .backlinks
                        .iter()
                        .any(|b| pages.contains(&b.from))
            }
            Job::Feed(FeedOf::Site(lang), _) | Job::LlmsTxt(lang) | Job::LlmsFull(lang) => {
                pages.iter().any(|&p| site.pages[p].lang == lang)
            }
            Job::Feed(FeedOf::Section(s), _) => pages
                .iter()
                .any(|&p| site.section_holds(s, site.pages[p].section)),
            Job::Feed(FeedOf::Term(t, term), _) => terms.contains(&(t, term)),
            _ => false,
        };
        let selected = |job: &Job| scope.takes(job) && shows(job);
        self.render_some(site, fingerprints, &selected, write)
    }

    /// Renders again what may show the front matter of `pages`, after a rebuild that changed
    /// nothing but that front matter, in place ([`Site::with_new_front_matter`]; `relabelled`
    /// as it says): every job is fingerprinted but the pages of articles that show nothing of
    /// them ([`fingerprint::pages_reading`]), which are most of a big site's jobs. Updates
    /// `fingerprints` in place and returns the output paths that are no longer made (a term
    /// list's last page, when an article left the term).
    pub fn render_front_matter(
        &mut self,
        site: &Site,
        pages: &[usize],
        relabelled: bool,
        scope: Scope,
        fingerprints: &mut Fingerprints,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<Vec<String>> {
        let reading = fingerprint::pages_reading(site, pages, relabelled);
        let shows = |job: &Job| {
            scope.takes(job)
                && match *job {
                    Job::Page(id) => reading[id],
                    _ => true,
                }
        };
        self.render_some(site, fingerprints, &shows, write)
    }

    /// Fingerprints the jobs `selected` keeps (every job when the site-wide values changed
    /// since the last render) and renders those whose fingerprint is not in `fingerprints`,
    /// which are updated; returns the output paths that are no longer made. Every job not
    /// selected must be one `fingerprints` was made with, with what it shows unchanged.
    fn render_some(
        &mut self,
        site: &Site,
        fingerprints: &mut Fingerprints,
        selected: &dyn Fn(&Job) -> bool,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<Vec<String>> {
        let assets = self.set_assets(site);
        let shared = Shared::new(site, &self.data);
        let global = fingerprint::global(
            site,
            &shared.plain_sites,
            &self.sources,
            assets,
            self.data_print,
        );
        self.tera
            .global_context()
            .insert_value("site", shared.sites[0].clone());
        let prints = fingerprint::Prints::new(&shared, global, &self.sources, self.data_print);
        let all = self.last_global != Some(global);
        let every_job = jobs(site);
        let jobs: Vec<Job> = every_job
            .iter()
            .copied()
            .filter(|job| all || selected(job))
            .collect();
        let fresh = self.render_jobs(
            &shared,
            Some(&prints),
            Some(fingerprints),
            &jobs,
            write,
            &|_| Ok(true),
        )?;
        // Only a render that succeeded is remembered.
        fingerprints.extend(fresh);
        self.last_global = Some(global);
        // Every job's file is in `fingerprints` now; more files mean some went away (a term's
        // last list page, when an article left the term).
        let mut gone = Vec::new();
        if fingerprints.len() > every_job.len() {
            let paths: crate::hash::FastSet<String> =
                every_job.iter().map(|&job| job_path(site, job)).collect();
            fingerprints.retain(|path, _| {
                let keep = paths.contains(path);
                if !keep {
                    gone.push(path.clone());
                }
                keep
            });
        }
        gone.sort_unstable();
        Ok(gone)
    }

    fn render_selected(
        &mut self,
        site: &Site,
        previous: Option<&Fingerprints>,
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
        keep: &(dyn Fn(&str) -> Result<bool> + Sync),
    ) -> Result<Fingerprints> {
        self.check_templates(site)?;
        let assets = self.set_assets(site);
        let shared = Shared::new(site, &self.data);
        let global = previous.map(|_| {
            fingerprint::global(
                site,
                &shared.plain_sites,
                &self.sources,
                assets,
                self.data_print,
            )
        });
        self.tera
            .global_context()
            .insert_value("site", shared.sites[0].clone());
        self.tera
            .global_context()
            .insert("kbsite_version", env!("CARGO_PKG_VERSION"));
        let prints =
            global.map(|g| fingerprint::Prints::new(&shared, g, &self.sources, self.data_print));
        let jobs = jobs(site);
        let fresh = self.render_jobs(&shared, prints.as_ref(), previous, &jobs, write, keep)?;
        self.last_global = global;
        Ok(fresh.into_iter().collect())
    }

    /// Renders `jobs` in parallel, except those whose fingerprint equals the one in
    /// `previous` and whose file `keep` keeps; returns every job's output path and
    /// fingerprint (0 without `prints`), or all the errors together.
    fn render_jobs(
        &self,
        shared: &Shared<'_>,
        prints: Option<&fingerprint::Prints>,
        previous: Option<&Fingerprints>,
        jobs: &[Job],
        write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
        keep: &(dyn Fn(&str) -> Result<bool> + Sync),
    ) -> Result<Vec<(String, u64)>> {
        let results: Vec<(String, u64, Option<Error>)> = jobs
            .par_iter()
            .map(|&job| {
                let path = job_path(shared.site, job);
                let fp = prints.map_or(0, |p| fingerprint::job(shared, p, job));
                let unchanged = previous.is_some_and(|p| p.get(&path) == Some(&fp));
                let kept = if unchanged { keep(&path) } else { Ok(false) };
                let error = match kept {
                    Ok(true) => None,
                    Ok(false) => self
                        .render_job(shared, job)
                        .and_then(|(path, bytes)| write(&path, &bytes))
                        .err(),
                    Err(e) => Some(e),
                };
                (path, fp, error)
            })
            .collect();
        let mut errors = Vec::new();
        let mut fresh = Vec::with_capacity(results.len());
        for (path, fp, error) in results {
            errors.extend(error);
            fresh.push((path, fp));
        }
        Error::collect(errors)?;
        Ok(fresh)
    }

    /// Makes `asset_url` hash the files of `site`; returns the fingerprint of the hashes the
    /// templates can show.
    fn set_assets(&self, site: &Site) -> u64 {
        let table = Arc::new(asset_urls::AssetTable::new(site, self.preview));
        let print = table.print(&self.sources);
        match self.assets.write() {
            Ok(mut t) => *t = table,
            Err(poisoned) => *poisoned.into_inner() = table,
        }
        print
    }

    fn render(&self, template: &str, ctx: &Context, what: &str) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| template_error(e, &self.sources, Some(what.to_string())))?;
        if template.ends_with(".xml") || template.ends_with(".svg") {
            drop_xml_forbidden(&mut out);
        }
        if self.minify && (template.ends_with(".html") || template.ends_with(".htm")) {
            out = crate::minify::minify_html(&out);
        }
        Ok(out)
    }

    /// Renders one output file: its context is the [`inputs::Base`] and the values of the
    /// job's declared inputs, nothing else (see [`inputs`]).
    fn render_job(&self, shared: &Shared<'_>, job: Job) -> Result<(String, Vec<u8>)> {
        let site = shared.site;
        let path = job_path(site, job);
        let Some(template) = job.template(site) else {
            let bytes = match job {
                Job::LlmsTxt(lang) => llms::index(site, lang, &self.llms).into_bytes(),
                Job::LlmsFull(lang) => {
                    let components: Option<&dyn crate::markdown::component_calls::Components> =
                        Some(&*self.components.engine);
                    llms::full(site, lang, components, &self.llms).into_bytes()
                }
                // A redirect: the same small page for every alias, no template.
                Job::Alias(i) => redirect_page(site, &site.aliases[i].to_path).into_bytes(),
                _ => redirect_page(site, "").into_bytes(),
            };
            return Ok((path, bytes));
        };
        let base = job.base(site);
        let mut ctx = shared.base_context(base.lang, base.tree, &base.path);
        for input in job.inputs(site) {
            if let Some((name, value)) = input.value(self, shared, &base) {
                ctx.insert_value(name, value);
            }
        }
        let bytes = self.render(template, &ctx, &job.source_name(site, &base))?;
        Ok((path, bytes))
    }
}

/// Which files a partial render makes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every file that shows the change.
    Everything,
    /// Only the articles' pages: the preview shows the page being written at once and renders
    /// the lists, term pages, feeds, sitemap and texts for language models right after, with
    /// [`Scope::Rest`], which on a large site take most of the time.
    ArticlesFirst,
    /// Every file but the articles' pages: the second half of [`Scope::ArticlesFirst`].
    Rest,
}

impl Scope {
    /// Whether `job` is rendered under this scope.
    fn takes(self, job: &Job) -> bool {
        match self {
            Scope::Everything => true,
            Scope::ArticlesFirst => matches!(job, Job::Page(_)),
            Scope::Rest => !matches!(job, Job::Page(_)),
        }
    }
}

impl Job {
    /// What an error while rendering this job names: the Markdown file of an article or a
    /// section, else the page's address.
    fn source_name(self, site: &Site, base: &inputs::Base) -> String {
        match self {
            Job::Page(id) | Job::Backlinks(id, _) => {
                site.pages[id].doc.display_path.display().to_string()
            }
            Job::SectionPager(id, _) => site.sections[id].doc.as_ref().map_or_else(
                || "the home page".to_string(),
                |d| d.display_path.display().to_string(),
            ),
            _ => base.path.clone(),
        }
    }
}

/// Values shared by every job of one render.
pub(crate) struct Shared<'s> {
    pub(crate) site: &'s Site,
    /// `page_summary` of each page, made when a job first needs it.
    summaries: Vec<OnceLock<Value>>,
    /// `taxonomy` of each taxonomy, shared by its list and term pages.
    taxonomies: Vec<Value>,
    /// The sidebar's order and shared parts.
    nav: nav::NavTree,
    strings: [Value; 2],
    /// `site` for each language of the site, in [`Site::languages`] order: the first is the
    /// global one, the others replace it in their language's pages.
    pub(crate) sites: Vec<Value>,
    /// The same without `site.data`, for the site-wide fingerprint.
    plain_sites: Vec<Value>,
    /// `languages` of each language's pages without translations: links to the homes.
    home_links: Vec<Value>,
}

impl<'s> Shared<'s> {
    fn new(site: &'s Site, data: &Value) -> Shared<'s> {
        let mut shared = Shared {
            site,
            summaries: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            taxonomies: Vec::new(),
            nav: nav::NavTree::new(site),
            strings: [
                context::strings_value(Language::Pl),
                context::strings_value(Language::En),
            ],
            sites: site
                .languages()
                .iter()
                .map(|&lang| context::site_value(site, lang, Some(data)))
                .collect(),
            plain_sites: site
                .languages()
                .iter()
                .map(|&lang| context::site_value(site, lang, None))
                .collect(),
            home_links: site
                .languages()
                .iter()
                .map(|&lang| context::language_links(site, lang, std::iter::empty()))
                .collect(),
        };
        // Built once: every term page of a taxonomy shows the same list of terms.
        shared.taxonomies = (0..site.taxonomies.len())
            .map(|t| taxonomy_value(&shared, t))
            .collect();
        shared
    }

    /// The position of `tree` in [`Site::languages`] (the site's language when absent).
    fn lang_index(&self, tree: Language) -> usize {
        self.site
            .languages()
            .iter()
            .position(|&l| l == tree)
            .unwrap_or(0)
    }

    /// The summary of page `id` that lists show.
    pub(crate) fn summary(&self, id: usize) -> Value {
        self.summaries[id]
            .get_or_init(|| context::page_summary(self.site, id))
            .clone()
    }

    /// The context every template of a file in `lang`, in `tree`'s part of the site, starts
    /// from.
    fn base_context(&self, lang: Language, tree: Language, path: &str) -> Context {
        let mut ctx = Context::new();
        let i = self.lang_index(tree);
        if i > 0 {
            ctx.insert_value("site", self.sites[i].clone());
        }
        ctx.insert("lang", lang.code());
        let strings = match lang {
            Language::Pl => &self.strings[0],
            Language::En => &self.strings[1],
        };
        ctx.insert_value("t", strings.clone());
        // The language switch of a page without translations leads to the homes.
        if self.site.languages().len() > 1 {
            ctx.insert_value("languages", self.home_links[i].clone());
        }
        ctx.insert("current_url", &self.site.url(path));
        ctx.insert("current_permalink", &self.site.permalink(path));
        ctx
    }
}

/// The output file of a job.
fn job_path(site: &Site, job: Job) -> String {
    match job {
        Job::Page(id) => crate::paths::page_file(&site.pages[id].path),
        Job::SectionPager(id, k) => {
            format!(
                "{}index.html",
                order::pager_path(&site.sections[id].path, k)
            )
        }
        Job::TaxonomyList(t) => format!("{}index.html", site.taxonomies[t].path()),
        Job::Backlinks(id, k) => format!(
            "{}index.html",
            order::pager_path(&crate::paths::backlinks_path(&site.pages[id].path), k)
        ),
        Job::TermPager(t, term, k) => {
            let tax = &site.taxonomies[t];
            let base = tax.term_path(&tax.terms[term]);
            format!("{}index.html", order::pager_path(&base, k))
        }
        Job::Alias(i) => site.aliases[i].file.clone(),
        Job::NotFound => "404.html".into(),
        Job::Feed(feed, format) => site.feed_path_of(feed, format),
        Job::Sitemap => "sitemap.xml".into(),
        Job::Robots => "robots.txt".into(),
        Job::SearchPage(lang) => format!("{}index.html", site.search_dir(lang)),
        Job::LlmsTxt(lang) => format!("{}{}", site.lang_prefix(lang), crate::site::feeds::LLMS_TXT),
        Job::LlmsFull(lang) => format!(
            "{}{}",
            site.lang_prefix(lang),
            crate::site::feeds::LLMS_FULL_TXT
        ),
    }
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (id, p) in site.pages.iter().enumerate() {
        if p.backlinks.len() > context::BACKLINKS_SHOWN {
            let count = order::pager_count(p.backlinks.len(), context::BACKLINKS_PER_PAGE);
            jobs.extend((1..=count).map(|k| Job::Backlinks(id, k)));
        }
    }
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
    if !site
        .pages
        .iter()
        .any(|p| p.path == crate::content::meta::NOT_FOUND_ADDRESS)
    {
        // A site's own `404.md` (at `404.html`) replaces the theme's page.
        jobs.push(Job::NotFound);
    }
    jobs.extend([Job::Sitemap, Job::Robots]);
    for feed in site.feeds() {
        jobs.extend(FeedFormat::ALL.map(|format| Job::Feed(feed, format)));
    }
    for &lang in site.languages() {
        if site.config.search {
            jobs.push(Job::SearchPage(lang));
        }
        if site.config.llms_txt {
            jobs.push(Job::LlmsTxt(lang));
        }
        if site.writes_llms_full() {
            jobs.push(Job::LlmsFull(lang));
        }
    }
    jobs
}
/// Drops what XML 1.0 forbids even escaped: control characters but tab and line ends, and
/// U+FFFE and U+FFFF. One in a title (YAML's `"\a"`) would make a whole feed unreadable. The
/// controls are single bytes that never occur inside a multi-byte UTF-8 character, and the
/// two non-characters are whole three-byte sequences, so what stays is still UTF-8.
fn drop_xml_forbidden(out: &mut Vec<u8>) {
    out.retain(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'));
    let forbidden = |w: &[u8]| matches!(w, [0xEF, 0xBF, 0xBE | 0xBF]);
    if out.windows(3).any(forbidden) {
        let mut kept = Vec::with_capacity(out.len());
        let mut i = 0;
        while i < out.len() {
            if out.get(i..i + 3).is_some_and(forbidden) {
                i += 3;
            } else {
                kept.push(out[i]);
                i += 1;
            }
        }
        *out = kept;
    }
}
