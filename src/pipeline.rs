//! The build, stage by stage: config, theme, content, model, render, write. Each stage is
//! timed, so `--verbose` and the benchmarks can say where the time goes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Content;
use crate::content::git_dates::GitDates;
use crate::content::load::load_content;
use crate::data::SiteData;
use crate::error::{Diagnostic, Error, Result};
use crate::output::{StagedOutput, check_replaceable_output};
use crate::render::{Renderer, ThemeFiles, theme};
use crate::search::index::Analysis;
use crate::site::{RenderCache, Site, SiteOptions};

/// Receives progress of long stages, for a progress bar on a terminal.
pub trait Progress: Sync {
    /// A stage with `total` steps starts.
    fn start(&self, stage: &'static str, total: usize);
    /// One step of the current stage is done.
    fn advance(&self);
    /// The stage is over.
    fn finish(&self);
    /// Another kbsite is writing the output folder; this build waits for it to finish.
    fn waiting_for(&self, _output: &Path) {}
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &'static str, _: usize) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root (the folder with `kbsite.yaml`).
    pub root: PathBuf,
    /// Output folder; default: `output_dir` of the config under the root.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of the config.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Report broken links as warnings instead of stopping (the editors' report).
    pub lenient_links: bool,
    /// Replaces `broken_links` of the config (`--broken-links warn`).
    pub broken_links: Option<crate::config::LinkPolicy>,
    /// Include articles before their `publish_date` and after their `expiry_date`.
    pub future: bool,
    /// A local preview (`kbsite serve`): no analytics snippet, so an author's own visits are
    /// never counted. `kbsite watch` writes what a build would.
    pub preview: bool,
    /// Whether a build waits for another writer of its output (`--no-wait` refuses).
    pub lock_wait: crate::output::LockWait,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Published articles.
    pub pages: usize,
    /// Sections, home included.
    pub sections: usize,
    /// Terms of each taxonomy, in config order (`tags`: 12).
    pub terms: Vec<(String, usize)>,
    /// Files in the output folder.
    pub files_written: usize,
    /// Files whose bytes changed since the output was last built here.
    pub files_changed: usize,
    /// How the social cards were made.
    pub cards: crate::cards::CardCounts,
    /// How the resized copies of pictures were made.
    pub images: crate::images::ImageCounts,
    /// Files rendered from templates.
    pub rendered: usize,
    /// Rendered files carried over from the last build's output, their inputs unchanged.
    pub carried_over: usize,
    /// How the code blocks were highlighted.
    pub highlights: crate::markdown::HighlightCounts,
    /// Whether the build loaded the syntax definitions (a build whose code blocks were all
    /// in the highlight cache does not).
    pub syntaxes_loaded: bool,
    /// Where the site went.
    pub output: PathBuf,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// What a check found (errors come back as `Err`).
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Published articles checked.
    pub pages: usize,
    /// Links to other sites checked (with `external`).
    pub external_links: usize,
    /// Problems that do not fail the check (unless strict).
    pub warnings: Vec<Diagnostic>,
}

/// A loaded, checked site and the templates to render it.
pub struct LoadedSite {
    /// The model.
    pub site: Site,
    /// The templates.
    pub renderer: Renderer,
    /// The analysed words of the searchable articles, when the search index is on: made for
    /// the related articles and used again for the index.
    pub analysis: Option<Analysis>,
}

/// Sets every page's related articles; returns the analysis of the searchable articles for
/// the search index when it is the same one (every article searchable, search on).
pub fn relate(site: &mut Site) -> Option<Analysis> {
    let all = crate::search::index::analyze_site(site, true);
    site.set_related(crate::search::related::related(site, &all));
    crate::search::index::all_searchable(site).then_some(all)
}

struct Timer {
    start: Instant,
    last: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn new() -> Timer {
        let now = Instant::now();
        Timer {
            start: now,
            last: now,
            timings: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.last = now;
    }
}

/// Reads the config and applies command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    if options.preview {
        // An author's own visits to the preview are never counted.
        config.analytics = None;
        // The preview serves pages as written: easier to read, and quicker.
        config.minify = false;
    }
    Ok(config)
}

/// The theme of `config` and its templates, ready to render, with the site's data files
/// (`site.data`): the first stage of a build and of the preview (whose renderer writes asset
/// addresses without hashes).
pub fn load_templates(options: &BuildOptions, config: &Config) -> Result<(ThemeFiles, Renderer)> {
    let mut theme = theme::load(&options.root, config)?;
    let data = SiteData::load(&options.root, &mut theme.warnings)?;
    let renderer = Renderer::new(config, &theme, &data)?;
    let renderer = if options.preview {
        renderer.for_preview()
    } else {
        renderer
    };
    Ok((theme, renderer))
}

/// The model of a build or of the preview, assembled the same way for both: the site built
/// from `content` (reusing Markdown from `cache`), the theme's warnings first, and `--strict`
/// applied. What differs between them is all in `site_options`.
pub fn assemble(
    config: Config,
    content: Content,
    theme: &ThemeFiles,
    site_options: SiteOptions,
    strict: bool,
    cache: &RenderCache,
) -> Result<Site> {
    let mut site = Site::build_cached(
        config,
        content,
        theme.static_files.clone(),
        site_options,
        cache,
    )?;
    site.prepend_warnings(&theme.warnings);
    if strict {
        Error::deny(&site.warnings)?;
    }
    Ok(site)
}

/// The output folder, checked not to overlap the site's own sources.
pub fn output_dir(options: &BuildOptions, config: &Config) -> Result<PathBuf> {
    let out = match &options.output {
        Some(dir) => dir.clone(),
        None => config.output_path(&options.root),
    };
    let absolute = if out.is_absolute() {
        out
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io("read current folder", Path::new("."), e))?
            .join(out)
    };
    let normalized = normalize(&absolute);
    let root =
        normalize(&std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone()));
    let protected = crate::sources::ALL.map(|d| root.join(d));
    if root.starts_with(&normalized)
        || protected.iter().any(|p| normalized.starts_with(p))
        || normalized.parent().is_none()
    {
        return Err(Error::Usage {
            message: format!(
                "output folder {} overlaps the site's sources",
                normalized.display()
            ),
            hint: Some("use a folder of its own, such as `public`".into()),
        });
    }
    Ok(normalized)
}

/// Resolves `.` and `..` without touching the disk (the folder may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Whether a broken link is a warning in this build: the command line's `--broken-links`,
/// else `broken_links` of the config.
pub fn links_warn(options: &BuildOptions, config: &Config) -> bool {
    options.broken_links.unwrap_or(config.broken_links) == crate::config::LinkPolicy::Warn
}

/// The highlighted code of the site's build cache. When the cache has nothing for the site,
/// the syntax definitions start loading now, while the content is read.
pub fn open_highlights(root: &Path) -> std::sync::Arc<crate::markdown::Highlights> {
    let highlights = crate::markdown::Highlights::open(root);
    if highlights.is_cold() {
        crate::markdown::highlight::load_syntaxes_in_background();
    }
    std::sync::Arc::new(highlights)
}

/// Loads and checks everything, without writing: the shared front half of build and check.
pub fn load_site(options: &BuildOptions, config: Config) -> Result<LoadedSite> {
    let mut timer = Timer::new();
    load_site_timed(options, config, &mut timer)
}

fn load_site_timed(
    options: &BuildOptions,
    config: Config,
    timer: &mut Timer,
) -> Result<LoadedSite> {
    let (theme, renderer) = load_templates(options, &config)?;
    timer.lap("templates");
    let highlights = open_highlights(&options.root);
    let mut content = load_content(&options.root, &config.taxonomies)?;
    timer.lap("load");
    if config.git_dates {
        GitDates::read(&options.root).apply_all(&mut content);
        timer.lap("git");
    }
    let site_options = SiteOptions {
        highlights,
        ..SiteOptions::for_build(
            options.drafts,
            options.future,
            options.lenient_links || links_warn(options, &config),
            renderer.components(),
        )
    };
    let mut site = assemble(
        config,
        content,
        &theme,
        site_options,
        options.strict,
        &RenderCache::default(),
    )?;
    timer.lap("model");
    let analysis = relate(&mut site);
    timer.lap("related");
    Ok(LoadedSite {
        site,
        renderer,
        analysis,
    })
}

/// Builds the site into its output folder, atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_with_progress(options, &NoProgress)
}

/// [`build`], reporting the progress of writing files.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport> {
    let mut timer = Timer::new();
    let config = load_config(options)?;
    let output = output_dir(options, &config)?;
    check_replaceable_output(&output)?;
    timer.lap("config");
    let LoadedSite {
        site,
        mut renderer,
        analysis,
    } = load_site_timed(options, config, &mut timer)?;
    let staged = StagedOutput::begin_with(&output, options.lock_wait, &|| {
        progress.waiting_for(&output)
    })?;
    progress.start("render", renderer.job_count(&site) + site.files.len());
    // The search index is made while the pages render: both only read the model, and the
    // index has serial steps that the rendering fills the other cores around.
    let write_index = || -> Result<()> {
        if !site.config.search {
            return Ok(());
        }
        let write = |file: crate::search::index::IndexFile| {
            staged.write_unless_same(&file.path, |old| file.holds_same(old), || file.bytes())
        };
        match &analysis {
            Some(analysis) => crate::search::index::files(&site, analysis, &write),
            None => crate::search::index::build(&site, &write),
        }
    };
    // Cards are drawn while the pages render too: drawing them is most of a first build's
    // work, and it fills the cores around the serial steps of the other two.
    let card_jobs = renderer.social_cards(&site);
    let card_jobs: Vec<&crate::cards::CardJob> = card_jobs.iter().collect();
    let drawer = renderer.card_drawer();
    let draw_cards = || crate::cards::write_cards(&options.root, &drawer, &card_jobs, &staged);
    // Files the last build into this folder rendered from the same inputs are carried over
    // from its output instead of being rendered again.
    let last_build = crate::render::last_build::LastBuild::open(&options.root, &output);
    let carried = AtomicUsize::new(0);
    let rendered_files = AtomicUsize::new(0);
    let render = || {
        let write = |path: &str, bytes: &[u8]| {
            staged.write(path, bytes)?;
            last_build.wrote(path, bytes);
            rendered_files.fetch_add(1, Ordering::Relaxed);
            progress.advance();
            Ok(())
        };
        let keep = |path: &str| {
            let Some(bytes) = staged.published(path) else {
                return Ok(false);
            };
            if !last_build.holds_rendered(path, &bytes) {
                return Ok(false);
            }
            staged.carry(path, &bytes)?;
            carried.fetch_add(1, Ordering::Relaxed);
            progress.advance();
            Ok(true)
        };
        renderer.render_reusing(&site, &last_build.fingerprints(), &write, &keep)
    };
    let ((rendered, indexed), drawn) = rayon::join(|| rayon::join(render, write_index), draw_cards);
    let (fingerprints, card_counts) = match rendered.and_then(|f| Ok((f, indexed.and(drawn)?))) {
        Ok(done) => done,
        Err(e) => {
            progress.finish();
            return Err(e);
        }
    };
    timer.lap("render+search+cards");
    let image_counts =
        crate::images::write_images(&options.root, &site.images.resize_jobs(), &staged)?;
    timer.lap("images");
    let copy_errors: Vec<Error> = site
        .files
        .par_iter()
        .filter_map(|f| {
            let copied = staged.copy(&f.path, &f.source);
            progress.advance();
            copied.err()
        })
        .collect();
    progress.finish();
    Error::collect(copy_errors)?;
    timer.lap("copy");
    let files_changed = staged.files_changed();
    let files_written = staged.commit()?;
    timer.lap("swap");
    let highlights = site.highlights();
    highlights.save();
    last_build.save(&fingerprints);
    Ok(BuildReport {
        pages: site.pages.len(),
        sections: site.sections.len(),
        // Terms of every language together, per taxonomy in config order.
        terms: site
            .config
            .taxonomies
            .iter()
            .map(|name| {
                let count = site.taxonomies.iter().filter(|t| &t.name == name);
                (name.clone(), count.map(|t| t.terms.len()).sum())
            })
            .collect(),
        files_written,
        files_changed,
        cards: card_counts,
        images: image_counts,
        highlights: highlights.counts(),
        rendered: rendered_files.into_inner(),
        carried_over: carried.into_inner(),
        syntaxes_loaded: crate::markdown::highlight::syntaxes_requested(),
        output,
        elapsed: timer.start.elapsed(),
        timings: timer.timings,
        warnings: site.warnings,
    })
}

/// The index files of a built site, read from its output folder.
struct OutputIndex(PathBuf);

impl crate::search::query::IndexFiles for OutputIndex {
    fn read(&self, file: &str) -> Result<Vec<u8>> {
        let path = self.0.join(file);
        std::fs::read(&path).map_err(|e| Error::SearchIndex {
            path,
            message: match e.kind() {
                std::io::ErrorKind::NotFound => "missing".into(),
                _ => format!("cannot read: {e}"),
            },
        })
    }
}

/// What a search found, and which index files it read.
#[derive(Debug, Clone)]
pub struct SearchReport {
    /// Results, best first.
    pub hits: Vec<crate::search::query::Hit>,
    /// Index files read, relative to the index folder, in order.
    pub files: Vec<String>,
    /// The index folder.
    pub index: PathBuf,
}

/// Runs `query` against the site's built index, building the site first when it has none,
/// so that `kbsite search` answers what the browser answers.
/// `lang` picks the index of that language (the site's language when `None`).
pub fn search(
    options: &BuildOptions,
    query: &str,
    limit: usize,
    lang: Option<crate::config::Language>,
) -> Result<SearchReport> {
    let config = load_config(options)?;
    if !config.search {
        return Err(Error::Usage {
            message: "search is turned off in kbsite.yaml".into(),
            hint: Some("set `search: true` in kbsite.yaml and build again".into()),
        });
    }
    if crate::search::query::query_words(query).is_empty() {
        return Err(Error::Usage {
            message: "the query has no words to look for".into(),
            hint: Some(
                "type at least one word, e.g. kbsite search \"media społecznościowe\"".into(),
            ),
        });
    }
    let output = output_dir(options, &config)?;
    let prefix = crate::site::trees::lang_prefix(&config, lang.unwrap_or(config.language));
    let index = output.join(format!("{prefix}{}", crate::search::format::DIR));
    if !output.exists() {
        build(options)?;
    }
    let mut searcher = crate::search::query::Searcher::open(OutputIndex(index.clone()))?;
    let hits = searcher.search(query, limit)?;
    Ok(SearchReport {
        hits,
        files: searcher.loaded_files().to_vec(),
        index,
    })
}

/// Validates everything a build validates, templates included, without writing anything.
pub fn check(options: &BuildOptions) -> Result<(LoadedSite, CheckReport)> {
    let config = load_config(options)?;
    let LoadedSite {
        site,
        mut renderer,
        analysis,
    } = load_site(options, config)?;
    renderer.render_site(&site, &|_, _| Ok(()))?;
    let mut report = CheckReport {
        pages: site.pages.len(),
        external_links: 0,
        warnings: site.warnings.clone(),
    };
    report
        .warnings
        .extend(crate::site::seo_lint::seo_warnings(&site));
    Ok((
        LoadedSite {
            site,
            renderer,
            analysis,
        },
        report,
    ))
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    fn any_document() -> impl Strategy<Value = String> {
        let front = prop_oneof![
            Just(String::new()),
            "---\n[a-z]{1,6}: [^\n]{0,20}\n---\n",
            "---\n[^\n]{0,40}\n",
            "\u{feff}---\r\n[a-z]{1,6}: \\[[a-z, ]{0,10}\r\n---\r\n",
        ];
        (front, "\\PC{0,300}").prop_map(|(f, body)| format!("{f}{body}"))
    }

    proptest! {
        /// The whole Markdown path never panics: every file gives a page or located errors.
        #[test]
        fn any_file_gives_html_or_located_errors(text in any_document()) {
            match crate::content::load::parse_document("a.md", "content/a.md".into(), text, &["tags".into()]) {
                Ok(doc) => {
                    let rendered = crate::markdown::render(
                        doc.body(),
                        &crate::markdown::Options {
                            drop_title_heading: doc.meta.title.is_none(),
                            ..crate::markdown::Options::for_tests(crate::config::Language::Pl)
                        },
                    );
                    // Words come from the body: rendering never invents text.
                    prop_assert!(rendered.word_count <= doc.body().split_whitespace().count());
                    let ids: std::collections::HashSet<_> = rendered.headings.iter().map(|h| &h.id).collect();
                    prop_assert_eq!(ids.len(), rendered.headings.len(), "heading ids are unique");
                }
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for e in errors {
                        let at = e.location().expect("front matter errors have a location");
                        prop_assert_eq!(at.path.to_str(), Some("content/a.md"));
                        prop_assert!(at.line >= 1 && at.column >= 1);
                    }
                }
            }
        }
    }
}
