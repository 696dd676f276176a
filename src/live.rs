//! A site kept in memory between builds, rebuilt after each change from what changed: the
//! engine of `kbsite serve` and `kbsite watch`.
//!
//! A rebuild reads again only the files that changed, renders again only the Markdown of
//! documents that changed (or whose links now lead elsewhere, see `RenderCache`), and
//! renders again only the output files whose inputs changed (see `render::fingerprint`). The
//! model in between (sections, taxonomies, links) is rebuilt whole, which keeps every rule of
//! a clean build in one place. The result equals a clean build byte for byte; the tests check
//! that after random sequences of edits.

use std::collections::{BTreeMap, BTreeSet};

use crate::hash::FastMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cards::{CardDrawer, CardJob, CardMemo};
use crate::config::{CONFIG_FILE, Config};
use crate::content::git_dates::GitDates;
use crate::content::load::{Found, find_one, read_document, walk_under};
use crate::content::{Attachment, Content, Document};
use crate::error::{Diagnostic, Error, Result};
use crate::output::FileSource;
use crate::pipeline::{BuildOptions, assemble, load_config, load_templates};
use crate::render::{Fingerprints, Renderer, Scope, ThemeFiles};
use crate::site::{
    BodyUpdate, FrontMatterUpdate, NewArticle, RenderCache, Site, SiteOptions, walk_key,
};
use crate::sources;

/// The bytes of one output file.
#[derive(Debug, Clone)]
pub enum Body {
    /// Made by kbsite.
    Bytes(Arc<Vec<u8>>),
    /// A rendered page made by kbsite, kept packed (see [`Packed`]).
    Packed(Arc<Packed>),
    /// Copied from a file (read when needed, so it is always the current one).
    File(PathBuf),
    /// Built into the binary.
    Embedded(&'static [u8]),
    /// A social card, drawn when first read (or taken from the build cache): a preview
    /// that is never shared does not wait for pictures no one looks at.
    Card(Arc<LazyCard>),
}

impl From<&FileSource> for Body {
    /// A copied file is served from where a build copies it: the file itself (read at each
    /// request, so always the current one), the binary, or bytes the build made.
    fn from(source: &FileSource) -> Body {
        match source {
            FileSource::File(p) => Body::File(p.clone()),
            FileSource::Embedded(b) => Body::Embedded(b),
            FileSource::Generated(b) => Body::Bytes(b.clone()),
        }
    }
}

/// The bytes of a rendered file packed with LZ4, unpacked at each read. The preview of
/// 10,000 articles holds some 300 MB of HTML, of which an author reads a few pages: packed,
/// it takes 2.3 times less memory, for about 0.6 s of one core's time while the site opens
/// (spread over the threads that render) and some 10 µs for each page served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    /// The LZ4 block, the length of the unpacked bytes first.
    block: Vec<u8>,
}

impl Packed {
    /// Files smaller than this are kept as they are: packing them saves too little.
    const SMALLEST: usize = 1024;

    /// `bytes` as [`Body::Packed`] when that makes them smaller (by a tenth at least), else
    /// as [`Body::Bytes`]. The same bytes always give the same body.
    fn body(bytes: &[u8]) -> Body {
        if bytes.len() >= Packed::SMALLEST {
            let block = lz4_flex::block::compress_prepend_size(bytes);
            if block.len() < bytes.len() - bytes.len() / 10 {
                return Body::Packed(Arc::new(Packed { block }));
            }
        }
        Body::Bytes(Arc::new(bytes.to_vec()))
    }

    /// The bytes as they were given.
    fn unpack(&self) -> std::io::Result<Vec<u8>> {
        lz4_flex::block::decompress_size_prepended(&self.block).map_err(std::io::Error::other)
    }

    /// The size kept in memory, in bytes.
    pub fn packed_len(&self) -> usize {
        self.block.len()
    }
}

/// A social card the site needs and how to draw it. Once drawn it is read from the build
/// cache, so thousands of cards are never held in memory.
#[derive(Debug)]
pub struct LazyCard {
    job: CardJob,
    drawer: Arc<CardDrawer>,
    root: PathBuf,
}

impl LazyCard {
    fn bytes(&self) -> std::io::Result<Vec<u8>> {
        let (bytes, _) =
            crate::cards::card_bytes(&self.root, &self.drawer, &self.job).map_err(|e| {
                let text = match e.location() {
                    Some(at) => format!("{at}: {}", e.message()),
                    None => e.message(),
                };
                std::io::Error::other(text)
            })?;
        Ok(bytes)
    }
}

impl Body {
    /// The bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match self {
            Body::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
            Body::Packed(p) => std::borrow::Cow::Owned(p.unpack()?),
            Body::File(p) => std::borrow::Cow::Owned(std::fs::read(p)?),
            Body::Embedded(b) => std::borrow::Cow::Borrowed(b),
            Body::Card(card) => std::borrow::Cow::Owned(card.bytes()?),
        })
    }
}

/// What a rebuild changed.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// Output paths whose bytes changed, were added or were removed, sorted.
    pub changed: Vec<String>,
    /// Output paths whose templates were rendered again, sorted: those of `changed` that are
    /// pages, and pages rendered again to the same bytes (after a change of `kbsite.yaml`,
    /// which builds everything again, every file kbsite made). What a rebuild spent its
    /// rendering on, for tests and measurements.
    pub rendered: Vec<String>,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// How long the rebuild took.
    pub elapsed: Duration,
    /// How the model followed the change: what `serve -v` and the tests look at.
    pub model: ModelUpdate,
}

/// How a rebuild brought the model to the files: in place, which a preview of 10,000
/// articles does in milliseconds, or built again from the content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ModelUpdate {
    /// Built again from every document (or nothing was built: the change did not build).
    #[default]
    Built,
    /// Only the bodies of articles changed ([`Site::with_new_bodies`]).
    Bodies,
    /// Only front matter that moves no file ([`Site::with_new_front_matter`]).
    FrontMatter,
    /// One new article ([`Site::with_new_article`]).
    NewArticle,
}

impl Rebuilt {
    /// Whether only stylesheets changed, so a page can swap them instead of reloading.
    pub fn only_css(&self) -> bool {
        !self.changed.is_empty() && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

/// Work left for when saves pause: the search index and the related articles, both made
/// from the analysed words of every article. The model it comes from, and a hash of its inputs.
pub struct SearchWork {
    site: Arc<Site>,
    inputs: u64,
    /// The analysis of the first build, whose related articles are already set.
    analysis: Option<crate::search::index::Analysis>,
}

/// What [`SearchWork::build`] made.
pub struct SearchFiles {
    /// The index files (none when search is off).
    files: Vec<(String, Vec<u8>)>,
    /// Every page's related pages.
    related: Vec<Vec<usize>>,
}

impl SearchWork {
    /// The index files and related articles (the slow part, a second on 10,000 articles;
    /// needs no lock).
    pub fn build(&self) -> SearchFiles {
        let site = &self.site;
        if let Some(analysis) = &self.analysis {
            return SearchFiles {
                files: packed(|sink| crate::search::index::files(site, analysis, sink)),
                related: site.pages.iter().map(|p| p.related.clone()).collect(),
            };
        }
        let all = crate::search::index::analyze_site(site, true);
        let related = crate::search::related::related(site, &all);
        let files = if !site.config.search {
            Vec::new()
        } else if all.len() == site.pages.len() && crate::search::index::all_searchable(site) {
            packed(|sink| crate::search::index::files(site, &all, sink))
        } else {
            packed(|sink| crate::search::index::build(site, sink))
        };
        SearchFiles { files, related }
    }
}

/// The index files `make` hands over, as the preview serves them: (output path, bytes).
fn packed(
    make: impl FnOnce(crate::search::index::Sink<'_>) -> Result<()>,
) -> Vec<(String, Vec<u8>)> {
    let files = std::sync::Mutex::new(Vec::new());
    let kept = make(&|file| {
        let bytes = file.bytes();
        if let Ok(mut files) = files.lock() {
            files.push((file.path, bytes));
        }
        Ok(())
    });
    // Keeping a file in memory cannot fail.
    debug_assert!(kept.is_ok());
    files.into_inner().unwrap_or_default()
}

/// One file found under `content/`.
#[derive(Debug, Clone)]
enum Entry {
    Document(Arc<Document>),
    /// Read errors, kept as diagnostics (errors hold I/O errors, which cannot be copied).
    Broken(Vec<Diagnostic>),
    Attachment(Attachment),
}

/// A site in memory, with what it takes to rebuild it after a change.
pub struct LiveSite {
    options: BuildOptions,
    config: Config,
    renderer: Renderer,
    /// The cards `renderer` laid out, by what they show.
    card_memo: CardMemo,
    /// How many articles show each card of the output, by its path.
    card_users: FastMap<String, usize>,
    theme: ThemeFiles,
    /// The dates of the site's git history (`git_dates`), read when the site is opened: a
    /// commit made while the preview runs shows after the next start (or config change).
    git: GitDates,
    /// Files under `content/`, keyed so that their order is the order of a walk.
    entries: BTreeMap<String, Entry>,
    /// Warnings of the walk (symbolic links skipped), by path.
    walk_warnings: BTreeMap<String, Vec<Diagnostic>>,
    cache: RenderCache,
    /// Highlighted code, from the build cache and kept across rebuilds.
    highlights: Arc<crate::markdown::Highlights>,
    fingerprints: Fingerprints,
    search_inputs: u64,
    output: FastMap<String, Body>,
    site: Option<Arc<Site>>,
    /// The analysis made for the related articles of the first build, kept for its search
    /// index so that opening a site analyses its words once.
    first_analysis: Option<crate::search::index::Analysis>,
    pending_config: bool,
    pending_theme: bool,
    pending_touched: BTreeSet<String>,
    pending_content: BTreeSet<String>,
    /// Output paths rendered since the current [`LiveSite::apply`] began.
    rendered: Vec<String>,
    /// Entries read again since the last successful build, and whether files came or went
    /// (or something else than an article changed): decides whether a body-only rebuild will do.
    dirty: BTreeSet<String>,
    /// What a rebuild renders before it returns (see [`LiveSite::render_articles_first`]).
    scope: Scope,
    /// What the files other than articles' pages wait for [`LiveSite::catch_up`] to render.
    behind: Option<Behind>,
    /// How the last rebuild brought the model to the files.
    model_update: ModelUpdate,
    /// Keys of `dirty` that are articles new to the content, when nothing else was added or
    /// went away: one alone may be added to the model in place.
    added: BTreeSet<String>,
    structure_changed: bool,
}

impl LiveSite {
    /// Loads and builds the whole site in memory.
    pub fn open(options: BuildOptions) -> Result<LiveSite> {
        match LiveSite::open_lenient(options)? {
            (live, None) => Ok(live),
            (_, Some(error)) => Err(error),
        }
    }

    /// [`LiveSite::open`] that keeps the site open when its content does not build yet (a
    /// YAML error in one imported file): the error comes back beside it, the preview starts
    /// and shows it, and the first save that fixes it builds everything. A config or theme
    /// that cannot be read is still an error.
    pub fn open_lenient(options: BuildOptions) -> Result<(LiveSite, Option<Error>)> {
        LiveSite::open_with(options, true)
    }

    /// [`LiveSite::open_lenient`] without the search index, for a caller that builds it in
    /// the background ([`LiveSite::search_work`]): the preview serves its first page without
    /// waiting for an index of every article, which takes a second or more on a big site.
    pub fn open_without_search(options: BuildOptions) -> Result<(LiveSite, Option<Error>)> {
        LiveSite::open_with(options, false)
    }

    fn open_with(options: BuildOptions, search_now: bool) -> Result<(LiveSite, Option<Error>)> {
        let highlights = crate::pipeline::open_highlights(&options.root);
        let config = load_config(&options)?;
        let (theme, renderer) = load_templates(&options, &config)?;
        let git = if config.git_dates {
            GitDates::read(&options.root)
        } else {
            GitDates::default()
        };
        let mut live = LiveSite {
            options,
            config,
            renderer,
            card_memo: CardMemo::default(),
            card_users: FastMap::default(),
            theme,
            git,
            entries: BTreeMap::new(),
            walk_warnings: BTreeMap::new(),
            cache: RenderCache::default(),
            highlights,
            fingerprints: Fingerprints::default(),
            search_inputs: 0,
            output: FastMap::default(),
            site: None,
            first_analysis: None,
            pending_config: false,
            pending_theme: false,
            pending_touched: BTreeSet::new(),
            pending_content: BTreeSet::new(),
            rendered: Vec::new(),
            dirty: BTreeSet::new(),
            added: BTreeSet::new(),
            scope: Scope::Everything,
            behind: None,
            model_update: ModelUpdate::Built,
            structure_changed: false,
        };
        let first = live
            .refresh_content("")
            .and_then(|()| live.rebuild(&BTreeSet::new()));
        match first {
            Ok(_) => {
                live.highlights.save();
                if search_now {
                    live.rebuild_search();
                }
                Ok((live, None))
            }
            Err(error) => {
                // Nothing is served yet; the next save that fixes the content builds it all.
                live.structure_changed = true;
                Ok((live, Some(error)))
            }
        }
    }

    /// The output file at `path` (`seo/index.html`), if the site has it.
    pub fn get(&self, path: &str) -> Option<&Body> {
        self.output.get(path)
    }

    /// A copy of every output file (bodies are shared, not copied), for the preview to serve
    /// while the next rebuild changes this site: requests never wait for a rebuild.
    pub fn output_snapshot(&self) -> FastMap<String, Body> {
        self.output.clone()
    }

    /// Every output path, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.output.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// The social cards in the output, to be drawn together (in parallel) rather than one
    /// by one as they are read.
    pub fn card_jobs(&self) -> Vec<&CardJob> {
        let mut jobs: Vec<&CardJob> = self
            .output
            .values()
            .filter_map(|b| match b {
                Body::Card(card) => Some(&card.job),
                _ => None,
            })
            .collect();
        jobs.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        jobs
    }

    /// What draws the cards of the current templates.
    pub fn card_drawer(&self) -> Arc<CardDrawer> {
        self.renderer.card_drawer()
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The last model built.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_deref()
    }

    /// Rebuilds after changes to `paths` (absolute, or relative to the site root). On an
    /// error the site stays as it was: the last good output keeps being served.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Rebuilt> {
        let start = Instant::now();
        self.first_analysis = None;
        self.rendered.clear();
        let root = self.options.root.clone();
        let canonical_root = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        let mut content = BTreeSet::new();
        let mut config_changed = false;
        let mut theme_changed = false;
        let mut touched = BTreeSet::new();
        for path in paths {
            let rel = path
                .strip_prefix(&root)
                .or_else(|_| path.strip_prefix(&canonical_root))
                .unwrap_or(path);
            let parts: Vec<&str> = rel
                .components()
                .filter_map(|c| c.as_os_str().to_str())
                .collect();
            match parts.first().copied() {
                Some(sources::CONTENT) => {
                    content.insert(parts[1..].join("/"));
                }
                Some(CONFIG_FILE) if parts.len() == 1 => config_changed = true,
                // Data files are read with the templates (`pipeline::load_templates`); the
                // fingerprints render again only the pages whose templates or components read
                // `site.data`.
                Some(
                    sources::TEMPLATES
                    | sources::THEMES
                    | sources::STATIC
                    | sources::SNIPPETS
                    | sources::SASS
                    | sources::DATA,
                ) => {
                    theme_changed = true;
                    // The output path of a static file: `static/a/b.css` and
                    // `themes/<name>/static/a/b.css` are both `a/b.css`.
                    let in_static = match parts.as_slice() {
                        [sources::STATIC, rest @ ..] => rest.join("/"),
                        [sources::THEMES, _, sources::STATIC, rest @ ..] => rest.join("/"),
                        _ => String::new(),
                    };
                    if !in_static.is_empty() {
                        touched.insert(in_static);
                    }
                }
                _ => {}
            }
        }
        // What failed to load stays pending and is tried again with the next change, so the
        // site in memory always follows the files on disk.
        self.pending_config |= config_changed;
        self.pending_theme |= theme_changed;
        self.pending_touched.extend(touched);
        self.pending_content.extend(content);
        if self.pending_config {
            let fresh = LiveSite::open(self.options.clone())?;
            let changed = diff_outputs(&self.output, &fresh.output);
            *self = fresh;
            let mut rendered: Vec<String> = self
                .output
                .iter()
                .filter(|(_, body)| matches!(body, Body::Bytes(_) | Body::Packed(_)))
                .map(|(path, _)| path.clone())
                .collect();
            rendered.sort_unstable();
            return Ok(Rebuilt {
                changed,
                rendered,
                warnings: self.warnings(),
                elapsed: start.elapsed(),
                model: ModelUpdate::Built,
            });
        }
        // The files the last rebuild left come first: the rebuilds below render what shows a
        // change on top of a current output.
        let caught_up = self.catch_up()?;
        if self.pending_theme {
            let (theme, renderer) = load_templates(&self.options, &self.config)?;
            self.renderer = renderer;
            self.card_memo = CardMemo::default();
            self.theme = theme;
            // Fingerprints cover each job's templates: only pages using a changed one render
            // (after a full pass over the model, which the body-only path does not make).
            self.pending_theme = false;
            self.structure_changed = true;
        }
        while let Some(rel) = self.pending_content.first().cloned() {
            self.refresh_content(&rel)?;
            self.pending_content.remove(&rel);
        }
        let touched = std::mem::take(&mut self.pending_touched);
        match self.rebuild(&touched) {
            Ok(mut changed) => {
                changed.extend(caught_up);
                changed.sort_unstable();
                changed.dedup();
                let mut rendered = std::mem::take(&mut self.rendered);
                rendered.sort_unstable();
                rendered.dedup();
                Ok(Rebuilt {
                    changed,
                    rendered,
                    warnings: self.warnings(),
                    elapsed: start.elapsed(),
                    model: self.model_update,
                })
            }
            Err(e) => {
                self.pending_touched = touched;
                Err(e)
            }
        }
    }

    /// Makes every later rebuild after an edit of articles (bodies, front matter, a new
    /// article) render only the articles' pages that show it before it returns, and leave the
    /// lists, term pages, feeds, sitemap and texts for language models to
    /// [`LiveSite::catch_up`]: the preview serves the page being written at once (a new
    /// article in a section of 500 moves about 200 list pages) and the rest right after, as
    /// Hugo's fast render mode does. Until `catch_up` has run, those files are the previous
    /// ones; every method that renders catches up first.
    pub fn render_articles_first(&mut self) {
        self.scope = Scope::ArticlesFirst;
    }

    /// Whether the last rebuild left files for [`LiveSite::catch_up`].
    pub fn is_behind(&self) -> bool {
        self.behind.is_some()
    }

    /// Renders what the last rebuild left (see [`LiveSite::render_articles_first`]); returns
    /// the output paths that changed. After a failure the next rebuild builds the model again.
    pub fn catch_up(&mut self) -> Result<Vec<String>> {
        let Some(behind) = self.behind.take() else {
            return Ok(Vec::new());
        };
        let Some(site) = self.site.clone() else {
            return Ok(Vec::new());
        };
        let fingerprints = &mut self.fingerprints;
        let result = collecting(|write| match &behind {
            Behind::Bodies(pages) => {
                self.renderer
                    .render_pages(&site, pages, Scope::Rest, fingerprints, write)
            }
            Behind::FrontMatter(pages, relabelled) => self.renderer.render_front_matter(
                &site,
                pages,
                *relabelled,
                Scope::Rest,
                fingerprints,
                write,
            ),
        });
        match result {
            Ok((gone, rendered)) => {
                let mut changed = self.put_rendered(gone, rendered);
                changed.sort_unstable();
                changed.dedup();
                Ok(changed)
            }
            Err(e) => {
                self.structure_changed = true;
                Err(e)
            }
        }
    }

    /// Brings the search index up to date with the last rebuild; returns the output paths it
    /// changed. Kept apart from [`LiveSite::apply`] so the edited page can be served first.
    pub fn rebuild_search(&mut self) -> Vec<String> {
        match self.search_work() {
            Some(work) => {
                let built = work.build();
                self.install_search(work, built)
            }
            None => Vec::new(),
        }
    }

    /// What the search index needs rebuilding from, if anything changed since it was built:
    /// a snapshot of the model, so the index can be built without holding the site. Right
    /// after the first build (`open`) it hands over that build's analysis of every article's
    /// words, which is of this very model: the preview's first index does not analyse the
    /// site a second time (on 10,000 articles a second of work and some 270 MB of memory
    /// beside the first answers).
    pub fn search_work(&mut self) -> Option<SearchWork> {
        let site = self.site.clone()?;
        let inputs = search_inputs(&site);
        let current = inputs == self.search_inputs
            && (!site.config.search || self.output.contains_key("search/meta.json"));
        (!current).then(|| SearchWork {
            site,
            inputs,
            analysis: self.first_analysis.take(),
        })
    }

    /// Puts a built index in place, unless the site changed again meanwhile (the next
    /// rebuild brings its own). Returns the output paths it changed.
    pub fn install_search(&mut self, work: SearchWork, built: SearchFiles) -> Vec<String> {
        let latest = self
            .site
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s, &work.site));
        if !latest {
            return Vec::new();
        }
        self.search_inputs = work.inputs;
        drop(work);
        let mut changed = self.install_related(built.related);
        let fresh: FastMap<String, Body> = built
            .files
            .into_iter()
            .map(|(path, bytes)| (path, Body::Bytes(Arc::new(bytes))))
            .collect();
        self.output.retain(|path, _| {
            let stale = crate::search::index::is_index_path(path) && !fresh.contains_key(path);
            if stale {
                changed.push(path.clone());
            }
            !stale
        });
        for (path, body) in fresh {
            if !same_body(self.output.get(&path), &body) {
                changed.push(path.clone());
                self.output.insert(path, body);
            }
        }
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// Sets the related articles made after the last rebuild and renders the pages whose list
    /// changed; returns the output paths that changed.
    fn install_related(&mut self, related: Vec<Vec<usize>>) -> Vec<String> {
        // Rendering what shows some pages needs every other file current.
        let mut changed = self.catch_up().unwrap_or_default();
        let Some(site) = self.site.take() else {
            return Vec::new();
        };
        let ids: Vec<usize> = site
            .pages
            .iter()
            .zip(&related)
            .enumerate()
            .filter(|(_, (page, fresh))| page.related != **fresh)
            .map(|(id, _)| id)
            .collect();
        if ids.is_empty() {
            self.site = Some(site);
            return changed;
        }
        let mut site = Arc::unwrap_or_clone(site);
        site.set_related(related);
        changed.extend(
            self.render_into_output(&site, &ids, Scope::Everything)
                .unwrap_or_default(),
        );
        self.site = Some(Arc::new(site));
        changed
    }

    /// Renders what shows `pages` and puts what changed in the output; returns those paths.
    fn render_into_output(
        &mut self,
        site: &Site,
        pages: &[usize],
        scope: Scope,
    ) -> Result<Vec<String>> {
        let (gone, rendered) = collecting(|write| {
            self.renderer
                .render_pages(site, pages, scope, &mut self.fingerprints, write)
        })?;
        self.behind = (scope == Scope::ArticlesFirst).then(|| Behind::Bodies(pages.to_vec()));
        // Bodies and related lists never change what a card shows (title, section,
        // language, own image): the cards stay as they are.
        Ok(self.put_rendered(gone, rendered))
    }

    /// Takes the files a partial render no longer makes out of the output and puts the
    /// rendered files whose bytes changed in it; returns the paths of both.
    fn put_rendered(&mut self, gone: Vec<String>, rendered: WrittenFiles) -> Vec<String> {
        for path in &gone {
            self.output.remove(path);
        }
        let mut changed = gone;
        self.rendered
            .extend(rendered.iter().map(|(path, _)| path.clone()));
        for (path, body) in rendered {
            if !same_body(self.output.get(&path), &body) {
                changed.push(path.clone());
                self.output.insert(path, body);
            }
        }
        changed
    }

    /// Gives article `id` the card it needs now in place of `old`, the one it needed before
    /// its front matter changed: a card no other article shows goes, a new one comes (drawn
    /// when first read). Returns the paths that came or went.
    fn swap_card(&mut self, site: &Site, id: usize, old: Option<String>) -> Vec<String> {
        let new = self
            .renderer
            .social_card_remembered(site, id, &mut self.card_memo)
            .cloned();
        if new.as_ref().map(|j| &j.path) == old.as_ref() {
            return Vec::new();
        }
        let mut changed = Vec::new();
        if let Some(old) = old
            && let Some(users) = self.card_users.get_mut(&old)
        {
            *users -= 1;
            if *users == 0 {
                self.card_users.remove(&old);
                self.output.remove(&old);
                changed.push(old);
            }
        }
        if let Some(job) = new {
            let users = self.card_users.entry(job.path.clone()).or_default();
            *users += 1;
            if *users == 1 {
                changed.push(job.path.clone());
                let card = LazyCard {
                    drawer: self.renderer.card_drawer(),
                    root: self.options.root.clone(),
                    job: job.clone(),
                };
                self.output.insert(job.path, Body::Card(Arc::new(card)));
            }
        }
        changed
    }

    /// Makes the output hold exactly the cards `site` needs: new ones are added (drawn when
    /// first read), those no article needs any more go. Returns the paths that came or went.
    /// A card's name hashes what it shows, so one already there is the same picture.
    fn sync_cards(&mut self, site: &Site) -> Vec<String> {
        let jobs = self
            .renderer
            .social_cards_remembered(site, &mut self.card_memo);
        let mut users: FastMap<String, usize> = FastMap::default();
        for job in &jobs {
            *users.entry(job.path.clone()).or_default() += 1;
        }
        let mut changed = Vec::new();
        let drawer = self.renderer.card_drawer();
        self.output.retain(|path, body| {
            let keep = !matches!(body, Body::Card(_)) || users.contains_key(path.as_str());
            if !keep {
                changed.push(path.clone());
            }
            keep
        });
        for job in jobs {
            if !self.output.contains_key(&job.path) {
                changed.push(job.path.clone());
                let card = LazyCard {
                    drawer: drawer.clone(),
                    root: self.options.root.clone(),
                    job: job.clone(),
                };
                self.output
                    .insert(job.path.clone(), Body::Card(Arc::new(card)));
            }
        }
        self.card_users = users;
        changed
    }

    fn warnings(&self) -> Vec<Diagnostic> {
        self.site
            .as_ref()
            .map(|s| s.warnings.clone())
            .unwrap_or_default()
    }

    /// Reads again what is at `rel` under `content/` ("" for all of it): a file, a folder, or
    /// nothing any more.
    fn refresh_content(&mut self, rel: &str) -> Result<()> {
        let content_dir = self.options.root.join(sources::CONTENT);
        let key = walk_key(rel);
        let below = format!("{key}\0");
        let inside = |k: &String| rel.is_empty() || *k == key || k.starts_with(&below);
        // Keys under `key` sort right after it, so only that range is looked at.
        let remove: Vec<String> = self
            .entries
            .range(key.clone()..)
            .map(|(k, _)| k)
            .take_while(|k| rel.is_empty() || k.starts_with(&key))
            .filter(|k| inside(k))
            .cloned()
            .collect();
        for k in &remove {
            self.entries.remove(k);
        }
        let removed: BTreeSet<String> = remove.into_iter().collect();
        self.walk_warnings.retain(|k, _| !inside(k));
        let mut warnings = Vec::new();
        let path = content_dir.join(rel);
        let is_folder = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        let found: Vec<Found> = if rel.is_empty() {
            crate::content::load::walk(&content_dir, &self.options.root, &mut warnings)?
        } else if is_folder {
            walk_under(&content_dir, &self.options.root, rel, &mut warnings)?
        } else {
            find_one(&content_dir, &self.options.root, rel, &mut warnings)?
                .into_iter()
                .collect()
        };
        // Warnings are kept by the file they are about, so refreshing that file clears them.
        let warnings_empty = warnings.is_empty();
        for w in warnings {
            let file = w
                .location
                .as_ref()
                .and_then(|at| at.path.strip_prefix(sources::CONTENT).ok())
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            self.walk_warnings
                .entry(walk_key(&file))
                .or_default()
                .push(w);
        }
        let taxonomies = &self.config.taxonomies;
        let git = &self.git;
        let read_one = |f: &Found| {
            let entry = if f.rel_path.ends_with(".md") {
                match read_document(f, taxonomies) {
                    Ok(mut doc) => {
                        git.apply(&mut doc);
                        Entry::Document(Arc::new(doc))
                    }
                    Err(errors) => {
                        Entry::Broken(errors.iter().flat_map(Error::diagnostics).collect())
                    }
                }
            } else {
                Entry::Attachment(Attachment {
                    rel_path: f.rel_path.clone(),
                    source: f.path.clone(),
                })
            };
            (walk_key(&f.rel_path), entry)
        };
        // One file (the usual save) is read on this thread: handed to the pool, it would wait
        // for a worker, which the search index may be keeping busy.
        let read: Vec<(String, Entry)> = match found.as_slice() {
            [one] => vec![read_one(one)],
            _ => {
                use rayon::prelude::*;
                found.par_iter().map(read_one).collect()
            }
        };
        let inserted: BTreeSet<String> = read.iter().map(|(k, _)| k.clone()).collect();
        let only_articles = read.iter().all(
            |(_, e)| matches!(e, Entry::Document(d) if d.kind == crate::content::DocKind::Page),
        );
        let new_articles = inserted.len() > removed.len() && removed.is_subset(&inserted);
        if !only_articles || !warnings_empty || (inserted != removed && !new_articles) {
            self.structure_changed = true;
        } else if new_articles {
            self.added.extend(inserted.difference(&removed).cloned());
        }
        self.dirty.extend(inserted);
        self.entries.extend(read);
        Ok(())
    }

    /// The content as a clean build loads it, in walk order.
    fn content(&self) -> Result<Content> {
        let mut documents = Vec::new();
        let mut attachments = Vec::new();
        let mut errors = Vec::new();
        for entry in self.entries.values() {
            match entry {
                Entry::Document(doc) => documents.push(doc.clone()),
                Entry::Broken(diagnostics) => errors.extend(
                    diagnostics
                        .iter()
                        .map(|d| Error::Denied(Box::new(d.clone()))),
                ),
                Entry::Attachment(a) => attachments.push(a.clone()),
            }
        }
        Error::collect(errors)?;
        let notice = self.git.notice().cloned();
        Ok(Content {
            documents,
            attachments,
            warnings: notice
                .into_iter()
                .chain(self.walk_warnings.values().flatten().cloned())
                .collect(),
        })
    }

    /// Builds the model and renders what changed; `touched` are theme and static paths that
    /// changed (their bytes may differ under the same output path). Returns changed paths.
    fn rebuild(&mut self, touched: &BTreeSet<String>) -> Result<Vec<String>> {
        self.model_update = ModelUpdate::Built;
        if touched.is_empty() && !self.structure_changed {
            if !self.added.is_empty() {
                if let Some(result) = self.rebuild_new_article() {
                    return result;
                }
            } else {
                if let Some(result) = self.rebuild_bodies() {
                    return result;
                }
                if let Some(result) = self.rebuild_front_matter() {
                    return result;
                }
            }
        }
        let changed = self.rebuild_all(touched)?;
        self.dirty.clear();
        self.added.clear();
        self.structure_changed = false;
        Ok(changed)
    }

    /// The rebuild after one new article and nothing else ([`Site::with_new_article`]): the
    /// model is updated, not rebuilt, then every job's fingerprint says what to render, as
    /// after a front-matter edit of that article. `None` when that does not apply.
    fn rebuild_new_article(&mut self) -> Option<Result<Vec<String>>> {
        if self.added.len() != 1 || self.dirty != self.added {
            return None;
        }
        let key = self.added.first()?;
        let Some(Entry::Document(doc)) = self.entries.get(key) else {
            return None;
        };
        let doc = doc.clone();
        let site = self.site.take()?;
        let (site, page) = match site.with_new_article(&doc) {
            NewArticle::Added { site, page } => (*site, page),
            NewArticle::NotInPlace(site) => {
                self.site = Some(site);
                return None;
            }
        };
        let mut changed = match self.render_in_place(&site, &[page], true) {
            Ok(changed) => changed,
            Err(e) => return Some(Err(e)),
        };
        changed.extend(self.swap_card(&site, page, None));
        self.cache.update(&site, &[page]);
        let old_site = self.site.replace(Arc::new(site));
        drop_later(old_site);
        self.dirty.clear();
        self.added.clear();
        self.model_update = ModelUpdate::NewArticle;
        Some(Ok(changed))
    }

    /// The rebuild after changes to article bodies only: the model is updated, not rebuilt,
    /// and only what shows those bodies is rendered. `None` when that does not apply.
    fn rebuild_bodies(&mut self) -> Option<Result<Vec<String>>> {
        let docs = self.dirty_documents()?;
        // The model is handed over (and given back when the rebuild cannot be done this way),
        // so it is not copied.
        let site = self.site.take()?;
        let (site, ids) = match site.with_new_bodies(&docs) {
            BodyUpdate::Updated { site, pages } => (*site, pages),
            BodyUpdate::Failed(e) => {
                // The model was spent; the next rebuild builds it from the content again.
                self.structure_changed = true;
                return Some(Err(e));
            }
            BodyUpdate::NotOnlyBodies(site) => {
                self.site = Some(site);
                return None;
            }
        };
        if self.options.strict
            && let Err(e) = Error::deny(&site.warnings)
        {
            return Some(Err(e));
        }
        let changed = match self.render_into_output(&site, &ids, self.scope) {
            Ok(changed) => changed,
            Err(e) => return Some(Err(e)),
        };
        self.cache.update(&site, &ids);
        self.site = Some(Arc::new(site));
        self.dirty.clear();
        self.model_update = ModelUpdate::Bodies;
        Some(Ok(changed))
    }

    /// The rebuild after changes to the front matter of existing articles that move no file
    /// ([`Site::with_new_front_matter`]): the model is updated, not rebuilt, then every job's
    /// fingerprint says what to render. `None` when that does not apply.
    fn rebuild_front_matter(&mut self) -> Option<Result<Vec<String>>> {
        let docs = self.dirty_documents()?;
        let site = self.site.take()?;
        // The cards the articles showed, to put away if they need others now (an update in
        // place keeps the ids).
        let old_cards: Vec<(usize, Option<String>)> = docs
            .iter()
            .filter_map(|d| site.page_of(&d.rel_path))
            .map(|id| {
                let card = self
                    .renderer
                    .social_card_remembered(&site, id, &mut self.card_memo)
                    .map(|job| job.path.clone());
                (id, card)
            })
            .collect();
        let (site, pages, relabelled) = match site.with_new_front_matter(&docs) {
            FrontMatterUpdate::Updated {
                site,
                pages,
                relabelled,
            } => (*site, pages, relabelled),
            FrontMatterUpdate::NotInPlace(site) => {
                self.site = Some(site);
                return None;
            }
        };
        let mut changed = match self.render_in_place(&site, &pages, relabelled) {
            Ok(changed) => changed,
            Err(e) => return Some(Err(e)),
        };
        for (id, old) in old_cards {
            changed.extend(self.swap_card(&site, id, old));
        }
        self.cache.update(&site, &pages);
        let old_site = self.site.replace(Arc::new(site));
        drop_later(old_site);
        self.dirty.clear();
        self.model_update = ModelUpdate::FrontMatter;
        Some(Ok(changed))
    }

    /// After the model was updated in place to `site` (the front matter of `pages` changed,
    /// or one of them is new; `relabelled` as [`FrontMatterUpdate::Updated`] says): renders
    /// what may show them under the rebuild's scope and puts it in the output; returns the
    /// output paths that changed. After a failure (or warnings under `--strict`) the model in
    /// memory no longer matches the files: the next rebuild builds it again.
    fn render_in_place(
        &mut self,
        site: &Site,
        pages: &[usize],
        relabelled: bool,
    ) -> Result<Vec<String>> {
        let result = if self.options.strict {
            Error::deny(&site.warnings)
        } else {
            Ok(())
        }
        .and_then(|()| {
            collecting(|write| {
                self.renderer.render_front_matter(
                    site,
                    pages,
                    relabelled,
                    self.scope,
                    &mut self.fingerprints,
                    write,
                )
            })
        });
        let (gone, rendered) = match result {
            Ok(done) => done,
            Err(e) => {
                self.structure_changed = true;
                return Err(e);
            }
        };
        self.behind = (self.scope == Scope::ArticlesFirst)
            .then(|| Behind::FrontMatter(pages.to_vec(), relabelled));
        Ok(self.put_rendered(gone, rendered))
    }

    /// The documents read again since the last build, when every one of them is a document
    /// (none went away and nothing else changed).
    fn dirty_documents(&self) -> Option<Vec<Arc<Document>>> {
        let docs: Vec<Arc<Document>> = self
            .dirty
            .iter()
            .filter_map(|k| match self.entries.get(k) {
                Some(Entry::Document(d)) => Some(d.clone()),
                _ => None,
            })
            .collect();
        (docs.len() == self.dirty.len()).then_some(docs)
    }

    fn rebuild_all(&mut self, touched: &BTreeSet<String>) -> Result<Vec<String>> {
        let content = self.content()?;
        let site_options = SiteOptions {
            highlights: self.highlights.clone(),
            ..SiteOptions::for_preview(
                self.options.drafts,
                self.options.future,
                self.renderer.components(),
            )
        };
        let mut site = assemble(
            self.config.clone(),
            content,
            &self.theme,
            site_options,
            self.options.strict,
            &self.cache,
        )?;
        // Related articles come with the search index once saves pause; until then each page
        // keeps the list it had. The first build makes them at once.
        match &self.site {
            Some(previous) => carry_related(previous, &mut site),
            None => {
                let analysis = crate::pipeline::relate(&mut site);
                // Kept for the search index only while opening: later models differ from it.
                if self.search_inputs == 0 {
                    self.first_analysis = analysis;
                }
            }
        }
        self.install(site, touched)
    }

    /// Renders every output file of `site` whose fingerprint changed, brings the output in
    /// memory, the cards and the Markdown cache up to it and keeps `site` as the model;
    /// returns the output paths that changed. `touched` are theme and static paths that
    /// changed (their bytes may differ under the same output path).
    fn install(&mut self, site: Site, touched: &BTreeSet<String>) -> Result<Vec<String>> {
        let (fingerprints, rendered) = collecting(|write| {
            self.renderer
                .render_changed(&site, &self.fingerprints, write)
        })?;

        // Everything the site has now: rendered pages, copied files, the search index.
        let mut changed = Vec::new();
        let copied: FastMap<&str, &FileSource> = site
            .files
            .iter()
            .map(|f| (f.path.as_str(), &f.source))
            .collect();
        self.output.retain(|path, body| {
            let keep = fingerprints.contains_key(path)
                || matches!(body, Body::Card(_))
                || copied.contains_key(path.as_str())
                || (site.config.search && crate::search::index::is_index_file(&site, path));
            if !keep {
                changed.push(path.clone());
            }
            keep
        });
        self.rendered
            .extend(rendered.iter().map(|(path, _)| path.clone()));
        for (path, body) in rendered {
            if !same_body(self.output.get(&path), &body) {
                changed.push(path.clone());
                self.output.insert(path, body);
            }
        }
        for (path, source) in copied {
            let body = Body::from(source);
            let is_new = !same_source(self.output.get(path), &body);
            let touched = touched.contains(path)
                || matches!(&body, Body::File(p) if p.starts_with(self.options.root.join(sources::CONTENT)));
            if is_new || touched {
                changed.push(path.to_string());
            }
            self.output.insert(path.to_string(), body);
        }
        changed.extend(self.sync_cards(&site));
        let old_prints = std::mem::replace(&mut self.fingerprints, fingerprints);
        self.cache.refresh(&site);
        let old_site = self.site.replace(Arc::new(site));
        drop_later((old_site, old_prints));
        Ok(changed)
    }
}

/// What a rebuild rendered with [`Scope::ArticlesFirst`] left for [`LiveSite::catch_up`]: the
/// same render with [`Scope::Rest`].
#[derive(Debug, Clone)]
enum Behind {
    /// After the bodies of these articles changed.
    Bodies(Vec<usize>),
    /// After the front matter of these articles changed (or one was added), and whether
    /// they were relabelled.
    FrontMatter(Vec<usize>, bool),
}

/// Files a render wrote: output path and body (packed when that pays, see [`Packed::body`]).
type WrittenFiles = Vec<(String, Body)>;

/// Runs `render` with a writer that keeps every file it is given; returns what `render`
/// returned and those files (output path, body). Each file is packed by the thread that
/// rendered it.
fn collecting<T>(
    render: impl FnOnce(&(dyn Fn(&str, &[u8]) -> Result<()> + Sync)) -> Result<T>,
) -> Result<(T, WrittenFiles)> {
    let rendered = std::sync::Mutex::new(Vec::new());
    let result = render(&|path, bytes| {
        let body = Packed::body(bytes);
        if let Ok(mut r) = rendered.lock() {
            r.push((path.to_string(), body));
        }
        Ok(())
    })?;
    Ok((result, rendered.into_inner().unwrap_or_default()))
}

/// Frees the previous model of a site on a thread of its own: dropping ten thousand pages
/// takes milliseconds that the author waiting for the edited page need not wait.
fn drop_later<T: Send + 'static>(value: T) {
    // Without a thread (none can be started), it is freed here; the closure owns it.
    let _ = std::thread::Builder::new()
        .name("kbsite-free".into())
        .spawn(move || drop(value));
}

fn same_body(old: Option<&Body>, new: &Body) -> bool {
    match (old, new) {
        (Some(Body::Bytes(a)), Body::Bytes(b)) => a == b,
        // Packing is deterministic: the same bytes give the same block.
        (Some(Body::Packed(a)), Body::Packed(b)) => a == b,
        // Card names hash the picture.
        (Some(Body::Card(_)), Body::Card(_)) => true,
        _ => false,
    }
}

fn same_source(old: Option<&Body>, new: &Body) -> bool {
    match (old, new) {
        (Some(Body::File(a)), Body::File(b)) => a == b,
        (Some(Body::Embedded(a)), Body::Embedded(b)) => a.as_ptr() == b.as_ptr(),
        (Some(Body::Bytes(a)), Body::Bytes(b)) => a == b,
        _ => false,
    }
}

fn diff_outputs(old: &FastMap<String, Body>, new: &FastMap<String, Body>) -> Vec<String> {
    let mut changed: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .chain(
            new.iter()
                .filter(|(k, b)| !same_body(old.get(*k), b))
                .map(|(k, _)| k),
        )
        .cloned()
        .collect();
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// What the search index is made from: every indexed page's document and rendered text.
/// Gives each page of `site` the related pages it had in `previous` (matched by address),
/// leaving out pages that are gone.
fn carry_related(previous: &Site, site: &mut Site) {
    let same_pages = previous.pages.len() == site.pages.len()
        && previous
            .pages
            .iter()
            .zip(&site.pages)
            .all(|(old, new)| old.path == new.path);
    if same_pages {
        // The common case (an edit that added, moved or removed no article): the ids are the
        // same, so the lists are too.
        let related = previous.pages.iter().map(|p| p.related.clone()).collect();
        site.set_related(related);
        return;
    }
    let ids: FastMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(id, p)| (p.path.as_str(), id))
        .collect();
    let old: FastMap<&str, &Vec<usize>> = previous
        .pages
        .iter()
        .map(|p| (p.path.as_str(), &p.related))
        .collect();
    let related: Vec<Vec<usize>> = site
        .pages
        .iter()
        .map(|p| {
            old.get(p.path.as_str())
                .map(|list| {
                    list.iter()
                        .filter_map(|&r| ids.get(previous.pages[r].path.as_str()).copied())
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    site.set_related(related);
}

fn search_inputs(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::fingerprinter();
    site.config.search.hash(&mut h);
    // Each language has an index, even one without articles yet.
    site.languages().hash(&mut h);
    for p in &site.pages {
        p.doc.fingerprint.hash(&mut h);
        p.rendered.fingerprint.hash(&mut h);
        p.title.hash(&mut h);
        p.path.hash(&mut h);
        p.section.hash(&mut h);
        site.sections[p.section].title.hash(&mut h);
        p.lang.hash(&mut h);
    }
    h.finish()
}
