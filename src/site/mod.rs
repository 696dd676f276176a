//! The site model: pages and sections with their URLs, taxonomies, aliases and files to copy,
//! built from loaded content, with every link resolved and checked.
//!
//! Steps of [`Site::build`]:
//! 1. sort documents into sections (folders with `_index.md`) and pages; drop drafts;
//! 2. give each an output path, refusing two sources for one path;
//! 3. collect taxonomy terms, pagination pages and aliases, so every output path is known;
//! 4. render Markdown in parallel, rewriting links to content files to their URLs;
//! 5. order sections, set previous/next, and check every link and anchor.

mod added;
mod check;
pub(crate) mod feeds;
pub(crate) mod folder_pages;
pub(crate) mod links;
pub(crate) mod order;
/// SEO advice that only `kbsite check` gives (titles and descriptions too long for search
/// results, duplicates, images without alt text), kept apart from the build's own checks so
/// a build never pays for it.
pub(crate) mod seo_lint;
pub(crate) mod taxonomy;
pub(crate) mod trees;

pub(crate) use added::NewArticle;
pub(crate) use added::walk_key;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::codes;
use crate::config::{Config, Language};
use crate::content::{Content, DocKind, Document, SortBy};
use crate::error::{Diagnostic, Error, Location, ProblemKind, Result};
use crate::images;
use crate::markdown::{self, Rendered};
use crate::output::{CopiedFile, FileSource};
use crate::paths;
use links::{ContentTarget, LinkIndex, LinkSignature};
pub(crate) use taxonomy::Taxonomy;

/// Choices that change what a build contains.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// What renders `{{ component() }}` calls in Markdown; none leaves them as text.
    pub components: Option<markdown::component_calls::SharedComponents>,
    /// Include drafts.
    pub drafts: bool,
    /// Include articles whose `publish_date` is still ahead or whose `expiry_date` has passed
    /// (Hugo's `--buildFuture` and `--buildExpired`).
    pub future: bool,
    /// The day `publish_date` and `expiry_date` are compared with; today when not set.
    pub today: Option<chrono::NaiveDate>,
    /// A wiki link naming no article is a warning, not an error (the live preview).
    pub wiki_warnings: bool,
    /// Every broken link is a warning, not an error (the editors' report).
    pub link_warnings: bool,
    /// Images get smaller copies for `srcset` when `images` in the config asks for them (a
    /// build; the live preview shows pictures as they are).
    pub resize_images: bool,
    /// Highlighted code from the build cache, kept across the preview's rebuilds; empty
    /// (in memory only) unless the caller opened the site's cache.
    pub highlights: Arc<markdown::Highlights>,
}

impl SiteOptions {
    /// A build (`kbsite build`, `check`, `watch`): broken links as `link_warnings` says (the
    /// config's policy or `--broken-links`), pictures resized for `srcset`.
    pub fn for_build(
        drafts: bool,
        future: bool,
        link_warnings: bool,
        components: markdown::component_calls::SharedComponents,
    ) -> SiteOptions {
        SiteOptions {
            components: Some(components),
            drafts,
            future,
            today: None,
            wiki_warnings: false,
            link_warnings,
            resize_images: true,
            highlights: Arc::default(),
        }
    }

    /// The live preview: it shows every page while its links are being written or fixed
    /// (broken links and unknown wiki names are warnings), and pictures as they are.
    pub fn for_preview(
        drafts: bool,
        future: bool,
        components: markdown::component_calls::SharedComponents,
    ) -> SiteOptions {
        SiteOptions {
            wiki_warnings: true,
            resize_images: false,
            ..SiteOptions::for_build(drafts, future, true, components)
        }
    }
}

/// The folder of the search page and index under the output.
pub(crate) const SEARCH_DIR: &str = "search";

/// An article.
#[derive(Debug, Clone)]
pub struct Page {
    /// The source file and front matter.
    pub doc: Arc<Document>,
    /// The title (front matter, else first `# heading`, else file name).
    pub title: String,
    /// The title folded for sorting (`order::title_key`).
    pub sort_title: String,
    /// The output folder relative to the base path (`seo/podstawy-seo/`).
    pub path: String,
    /// The language.
    pub lang: Language,
    /// The section it belongs to.
    pub section: usize,
    /// The rendered body.
    pub rendered: Arc<Rendered>,
    /// The neighbours in the section's order.
    pub previous: Option<usize>,
    /// The neighbours in the section's order.
    pub next: Option<usize>,
    /// The articles that link to this one, ordered by their title.
    pub backlinks: Vec<Backlink>,
    /// The most closely related articles, closest first (set after the model is built, from
    /// the analysed words of search).
    pub related: Vec<usize>,
    /// The picture named by `image:`, found among the site's files.
    pub image: Option<images::PageImage>,
    /// The same article in other languages (`cennik.en.md` beside `cennik.md`), in page order.
    pub translations: Vec<usize>,
}

/// An article that links to another one: what a "Linked from" list shows, with the sentence
/// around the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Backlink {
    /// The linking page.
    pub from: usize,
    /// Its first link to the page, an index into its `rendered.links`.
    pub link: usize,
}

/// A section: a folder with `_index.md`, or the home page.
#[derive(Debug, Clone)]
pub struct Section {
    /// The `_index.md` (none for a home page without one).
    pub doc: Option<Arc<Document>>,
    /// The folder inside `content/` (empty for home).
    pub rel_dir: String,
    /// The title.
    pub title: String,
    /// The output folder relative to the base path (empty for home).
    pub path: String,
    /// The language its text is in.
    pub lang: Language,
    /// The language whose part of the site it belongs to.
    pub tree: Language,
    /// The enclosing section (none for a home).
    pub parent: Option<usize>,
    /// Sections directly inside, in title order.
    pub subsections: Vec<usize>,
    /// Its own pages, in the section's order.
    pub pages: Vec<usize>,
    /// The order of `pages`.
    pub sort_by: SortBy,
    /// Pages per list page (0: all on one).
    pub paginate_by: usize,
    /// The sections of the same folder in the other languages' parts of the site.
    pub translations: Vec<usize>,
    /// The rendered body of `_index.md`.
    pub rendered: Arc<Rendered>,
}

impl Page {
    /// An article at its output path in its section, before titles, orders, links and
    /// pictures are worked out: what a build and a new article in the preview start from.
    fn placed(
        doc: Arc<Document>,
        path: String,
        lang: Language,
        section: usize,
        rendered: Arc<Rendered>,
    ) -> Page {
        Page {
            doc,
            title: String::new(),
            sort_title: String::new(),
            path,
            lang,
            section,
            rendered,
            previous: None,
            next: None,
            backlinks: Vec::new(),
            related: Vec::new(),
            image: None,
            translations: Vec::new(),
        }
    }
}

impl Section {
    /// How many list pages the section has.
    pub fn pager_count(&self) -> usize {
        order::pager_count(self.pages.len(), self.paginate_by)
    }
}

/// A redirect from an old path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The file written (`stare/adres/index.html`).
    pub file: String,
    /// Where it redirects (output path of the page).
    pub to_path: String,
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Published articles, in source path order.
    pub pages: Vec<Page>,
    /// Sections; index 0 is home.
    pub sections: Vec<Section>,
    /// One per configured taxonomy, in config order.
    pub taxonomies: Vec<Taxonomy>,
    /// Redirect pages.
    pub aliases: Vec<Alias>,
    /// Files to copy (content files beside articles, `static/`, theme files).
    pub files: Vec<CopiedFile>,
    /// The publisher's logo (`seo.logo`), found among `files` when it is part of the site.
    pub logo: Option<images::PageImage>,
    /// The output path of the site's copy of Mermaid (`mermaid:`), when it is among `files`:
    /// pages with diagrams load it; without it their diagrams stay code.
    pub mermaid: Option<String>,
    /// Problems that do not stop the build, in source order.
    pub warnings: Vec<Diagnostic>,
    /// The signature of the link index the Markdown was rendered with, so the next build can
    /// tell whether cached Markdown still has the right links.
    pub link_signature: Option<LinkSignature>,
    /// The pictures Markdown shows: their sizes and smaller copies.
    pub images: Arc<images::ImageTable>,
    /// What a rebuild of changed bodies needs besides the model templates see.
    rebuild: RebuildState,
    /// Every page id, newest first: sorted once, then read by the feed, "newest" lists and
    /// every sort by date (through `newest_rank`), which a live rebuild of 10,000 pages
    /// would otherwise pay for on every save.
    newest: Vec<usize>,
    /// The position of each page in `newest`.
    newest_rank: Vec<usize>,
    /// The most recently changed pages of each language of `languages`, see
    /// [`Site::recently_updated`]; dates only change with front matter, which a body-only
    /// rebuild never changes.
    recent: Vec<Vec<usize>>,
    /// The languages with their own part of the site, its own language first.
    languages: Vec<Language>,
    /// The home section of each language of `languages`.
    homes: Vec<usize>,
}

/// The bookkeeping of [`Site::with_new_bodies`]: the links and the warnings they gave, kept
/// apart from the fields templates see.
#[derive(Debug, Clone, Default)]
struct RebuildState {
    /// The link index the Markdown was rendered with.
    links: Arc<LinkIndex>,
    /// For each document of `linking_docs`, the pages it links to, each with the index of the
    /// link in its `rendered.links`.
    link_targets: Vec<Vec<(usize, usize)>>,
    /// Warnings of the content and the model, before the editorial ones that depend on links.
    base_warnings: Vec<Diagnostic>,
    /// For each document of `linking_docs`, the warnings of its links.
    link_warnings: Vec<Vec<Diagnostic>>,
    /// How many documents have a wiki link: while none has, a new title or article changes
    /// no link (a preview of 10,000 articles need not look at every link to know).
    wiki_docs: usize,
}

/// The longest "recently updated" list the model keeps.
pub(crate) const RECENT_MAX: usize = 50;

/// How many list pages each term of `tax` has, by slug.
fn pager_counts(tax: &Taxonomy, paginate_by: usize) -> crate::hash::FastMap<&str, usize> {
    tax.terms
        .iter()
        .map(|t| {
            (
                t.slug.as_str(),
                order::pager_count(t.pages.len(), paginate_by),
            )
        })
        .collect()
}

/// Adds the paths of list pages `from + 1` to `to` of term `slug` of `tax` to `paths`, and the
/// term's feeds when it has feeds (`feeds`) and `from` is 0: a term with no list page has none.
fn extend_pager_paths(
    paths: &mut crate::hash::FastSet<String>,
    tax: &Taxonomy,
    slug: &str,
    (from, to): (usize, usize),
    feeds: bool,
) {
    let base = tax.slug_path(slug);
    for k in from + 1..=to {
        paths.insert(order::pager_path(&base, k));
    }
    if feeds && from == 0 && to > 0 {
        paths.extend(feeds::feed_files(&base));
    }
}

/// Whether the terms of `new` keep what `old` said of the terms both have (their names,
/// which are first spellings, and their clashing spellings), and no term that came or went
/// has clashing spellings: the warnings of clashes are then the same.
fn terms_kept(old: &[Taxonomy], new: &[Taxonomy]) -> bool {
    fn slug_indexes(terms: &[taxonomy::Term]) -> crate::hash::FastMap<&str, usize> {
        terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.as_str(), i))
            .collect()
    }
    old.len() == new.len()
        && old.iter().zip(new).all(|(old, new)| {
            let (olds, news) = (slug_indexes(&old.terms), slug_indexes(&new.terms));
            let gone_quietly = old
                .terms
                .iter()
                .all(|o| news.contains_key(o.slug.as_str()) || o.clashes.is_empty());
            gone_quietly
                && new.terms.iter().all(|n| match olds.get(n.slug.as_str()) {
                    Some(&i) => old.terms[i].name == n.name && old.terms[i].clashes == n.clashes,
                    None => n.clashes.is_empty(),
                })
        })
}

/// The `RECENT_MAX` most recently changed pages of `pages` in `lang`, see [`Site::recently_updated`].
fn most_recent(pages: &[Page], newest_rank: &[usize], lang: Language) -> Vec<usize> {
    let changed = |p: usize| recent_date(&pages[p]);
    let mut dated: Vec<usize> = (0..pages.len())
        .filter(|&p| pages[p].lang == lang && changed(p).is_some())
        .collect();
    let order = recent_order(pages, newest_rank);
    if dated.len() > RECENT_MAX {
        dated.select_nth_unstable_by(RECENT_MAX, &order);
        dated.truncate(RECENT_MAX);
    }
    dated.sort_by(order);
    dated
}

/// The date a page was last changed, for [`most_recent`]: `updated`, else `date`.
fn recent_date(page: &Page) -> Option<crate::content::date::PageDate> {
    page.doc.meta.updated.or(page.doc.meta.date)
}

/// The order of [`most_recent`]: latest change first, then newest first.
fn recent_order<'a>(
    pages: &'a [Page],
    newest_rank: &'a [usize],
) -> impl Fn(&usize, &usize) -> std::cmp::Ordering + 'a {
    move |a: &usize, b: &usize| {
        recent_date(&pages[*b])
            .cmp(&recent_date(&pages[*a]))
            .then(newest_rank[*a].cmp(&newest_rank[*b]))
    }
}

/// [`most_recent`] of each of `languages` once page `at` is new: `before` (the lists made
/// before it came, in the ids of then) moved up past it, with the new page put in its place,
/// instead of a pass over every page. Adding a page keeps the order of the others.
fn recent_with_new(
    pages: &[Page],
    newest_rank: &[usize],
    languages: &[Language],
    before: &[Vec<usize>],
    at: usize,
) -> Vec<Vec<usize>> {
    let order = recent_order(pages, newest_rank);
    let lists: Vec<Vec<usize>> = languages
        .iter()
        .zip(before)
        .map(|(&lang, list)| {
            let mut list: Vec<usize> = list
                .iter()
                .map(|&id| if id >= at { id + 1 } else { id })
                .collect();
            if pages[at].lang == lang && recent_date(&pages[at]).is_some() {
                let place = list.partition_point(|id| order(id, &at).is_lt());
                list.insert(place, at);
                list.truncate(RECENT_MAX);
            }
            list
        })
        .collect();
    debug_assert!(
        languages
            .iter()
            .zip(&lists)
            .all(|(&lang, list)| *list == most_recent(pages, newest_rank, lang)),
        "the newest pages moved in place differ from a pass over every page"
    );
    lists
}

/// What step 1 of [`Site::build`] hands on: the documents sorted into sections and published
/// pages, with each page's version name and language.
struct SortedDocs {
    /// `_index.md` files and the articles that stand for their folder.
    sections: Vec<Arc<Document>>,
    /// Published articles, in source order.
    pages: Vec<Arc<Document>>,
    /// For each of `pages`: the name shared by its translations, and its language.
    names: Vec<(String, Language)>,
    /// Folders with an `index.md`: a `README.md` beside it is an article of its own.
    index_dirs: crate::hash::FastSet<String>,
}

/// Step 1 of [`Site::build`]: sorts documents into sections and pages, and leaves out drafts
/// and articles outside their publishing dates (remembered in `index`, so a link to one says
/// why it is missing).
fn sort_documents(
    config: &Config,
    documents: Vec<Arc<Document>>,
    options: &SiteOptions,
    index: &mut LinkIndex,
) -> SortedDocs {
    // Drafts count as versions too: publishing the English one first keeps it English.
    let all_pages: Vec<&Arc<Document>> = documents
        .iter()
        .filter(|d| matches!(d.kind, DocKind::Page))
        .collect();
    let folder_pages = folder_pages::folder_pages(&documents);
    let index_dirs: crate::hash::FastSet<String> = documents
        .iter()
        .filter(|d| d.kind == DocKind::Page && d.language_suffix().0 == "index")
        .map(|d| d.rel_dir().to_string())
        .collect();
    let versions = VersionNames::new(
        all_pages
            .into_iter()
            .filter(|d| !folder_pages.contains(&d.rel_path)),
    );
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut sections = Vec::new();
    let mut pages = Vec::new();
    for doc in &documents {
        match doc.kind {
            DocKind::Section => sections.push(doc.clone()),
            DocKind::Page if folder_pages.contains(&doc.rel_path) => sections.push(doc.clone()),
            DocKind::Page if doc.meta.draft && !options.drafts => {
                index.drafts.insert(doc.rel_path.clone());
            }
            DocKind::Page if !options.future && !published_on(&doc.meta, today) => {
                index.drafts.insert(doc.rel_path.clone());
            }
            DocKind::Page => pages.push(doc.clone()),
        }
    }
    let names = pages
        .iter()
        .map(|doc| {
            let (name, suffix_lang) = versions.of(doc);
            (
                name,
                doc.meta.lang.or(suffix_lang).unwrap_or(config.language),
            )
        })
        .collect();
    SortedDocs {
        sections,
        pages,
        names,
        index_dirs,
    }
}

/// Step 2 of [`Site::build`]: the section trees of each language and the pages in them, each
/// with its output path (claimed, so two sources for one path are an error) and entered in
/// the link index; translations linked, and each section's list of pages.
fn place_documents(
    config: &Config,
    sorted: SortedDocs,
    claims: &mut Claims,
    index: &mut LinkIndex,
) -> (Vec<Section>, Vec<Language>, Vec<Page>) {
    let SortedDocs {
        sections: section_docs,
        pages: page_docs,
        names,
        index_dirs,
    } = sorted;
    let page_places: Vec<(Language, &str)> = page_docs
        .iter()
        .zip(&names)
        .map(|(doc, (name, lang))| {
            // A bundle (`poradnik/index.md` alone with its pictures) is an article of the
            // folder above, never a section of its own.
            let dir = doc.rel_dir();
            match dir.rsplit_once('/') {
                _ if !is_bundle(name, dir, &index_dirs) => (*lang, dir),
                Some((parent, _)) => (*lang, parent),
                None => (*lang, ""),
            }
        })
        .collect();
    let trees = trees::Trees::new(config, section_docs, &page_places);
    let section_of_page: Vec<usize> = page_places
        .iter()
        .map(|(lang, dir)| trees.section_of(*lang, dir))
        .collect();
    drop(page_places);
    let trees::Trees {
        mut sections,
        languages,
        duplicates,
        ..
    } = trees;
    for s in &sections {
        let display = trees::section_owner(s);
        claims.claim(&s.path, &display, || Location::file(&display));
    }
    for (id, s) in sections.iter().enumerate() {
        if let Some(doc) = &s.doc {
            index.content.insert(
                doc.rel_path.clone(),
                (ContentTarget::Section(id), s.path.clone()),
            );
        }
    }
    // `_index.md` beside `_index.pl.md` in a Polish site: both would be one section.
    for (doc, path) in &duplicates {
        claims.claim(path, &doc.display_path, || {
            Location::file(&doc.display_path)
        });
    }

    let mut pages: Vec<Page> = Vec::with_capacity(page_docs.len());
    let mut version_names = Vec::with_capacity(page_docs.len());
    for ((doc, (version_name, lang)), section) in
        page_docs.into_iter().zip(names).zip(section_of_page)
    {
        let path = format!(
            "{}{}",
            trees::lang_prefix(config, lang),
            page_path(&doc, &version_name, &index_dirs)
        );
        let path = match &doc.meta.url {
            Some((address, _)) => address.clone(),
            None => path,
        };
        version_names.push(version_name);
        claims.claim(&path, &doc.display_path, || slug_location(&doc));
        index.content.insert(
            doc.rel_path.clone(),
            (ContentTarget::Page(pages.len()), path.clone()),
        );
        index.page_paths.insert(path.clone(), pages.len());
        index.add_wiki_names(&doc, &path, lang, pages.len());
        pages.push(Page::placed(doc, path, lang, section, Arc::default()));
    }
    link_translations(&mut pages, &version_names);
    for (i, p) in pages.iter().enumerate() {
        if p.path != crate::content::meta::NOT_FOUND_ADDRESS {
            sections[p.section].pages.push(i);
        }
    }
    (sections, languages, pages)
}

/// Part of step 3 of [`Site::build`]: the terms of every configured taxonomy in every
/// language, with their pages.
fn collect_taxonomies(config: &Config, languages: &[Language], pages: &[Page]) -> Vec<Taxonomy> {
    languages
        .iter()
        .flat_map(|&lang| {
            let prefix = trees::lang_prefix(config, lang);
            config.taxonomies.iter().map(move |name| {
                let terms: Vec<(usize, &[String])> = pages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.lang == lang)
                    .filter_map(|(i, p)| p.doc.meta.taxonomies.get(name).map(|t| (i, t.as_slice())))
                    .collect();
                taxonomy::collect(name, lang, &prefix, &terms)
            })
        })
        .collect()
}

/// Part of step 3 of [`Site::build`]: claims the taxonomies' pages, every list page after
/// the first (`page/2/`) and, with `section_feeds`, the feeds of sections and terms, so an
/// article at one of those paths is refused.
fn claim_list_pages(
    config: &Config,
    taxonomies: &[Taxonomy],
    sections: &[Section],
    claims: &mut Claims,
) {
    let taxonomy_owner = PathBuf::from(crate::config::CONFIG_FILE);
    for tax in taxonomies {
        claims.claim(&tax.path(), &taxonomy_owner, || {
            Location::file(&taxonomy_owner)
        });
        for term in &tax.terms {
            let count = order::pager_count(term.pages.len(), config.paginate_by);
            for k in 1..=count {
                claims.claim(
                    &order::pager_path(&tax.term_path(term), k),
                    &taxonomy_owner,
                    || Location::file(&taxonomy_owner),
                );
            }
            if config.section_feeds {
                for file in feeds::feed_files(&tax.term_path(term)) {
                    claims.claim(&file, &taxonomy_owner, || Location::file(&taxonomy_owner));
                }
            }
        }
    }
    for s in sections {
        let owner = trees::section_owner(s);
        for k in 2..=s.pager_count() {
            claims.claim(&order::pager_path(&s.path, k), &owner, || {
                Location::file(&owner)
            });
        }
        if config.section_feeds && s.parent.is_some() {
            for file in feeds::feed_files(&s.path) {
                claims.claim(&file, &owner, || Location::file(&owner));
            }
        }
    }
}

/// Part of step 3 of [`Site::build`]: claims the files kbsite writes itself (sitemap, robots,
/// the not-found page, each language's feeds, texts for language models and search folder). They and the files of
/// `static/` take their paths before aliases and content files, so a collision names the
/// file that came later.
fn claim_generated_files(
    config: &Config,
    languages: &[Language],
    pages: &[Page],
    claims: &mut Claims,
) {
    for special in ["sitemap.xml", "robots.txt", "404.html"] {
        if special == crate::content::meta::NOT_FOUND_ADDRESS
            && pages.iter().any(|p| p.path == special)
        {
            // The site's own `404.md` with `permalink: 404.html` is its not-found page.
            continue;
        }
        let what = if special == crate::content::meta::NOT_FOUND_ADDRESS {
            "not-found page"
        } else {
            special
        };
        claims.claim_generated(special, what);
    }
    for &lang in languages {
        let prefix = trees::lang_prefix(config, lang);
        for file in feeds::language_files(config, &prefix) {
            let name = file.rsplit('/').next().unwrap_or(&file).to_string();
            claims.claim_generated(&file, &name);
        }
        if config.search {
            claims.claim_generated(&format!("{prefix}{SEARCH_DIR}/"), "search page");
        }
    }
}

/// Part of step 3 of [`Site::build`]: the files of `static/` and the theme by output path,
/// each path claimed.
fn static_files_of(
    static_files: Vec<CopiedFile>,
    claims: &mut Claims,
) -> BTreeMap<String, CopiedFile> {
    let mut files: BTreeMap<String, CopiedFile> = BTreeMap::new();
    for f in static_files {
        files.insert(f.path.clone(), f);
    }
    for path in files.keys() {
        let display = PathBuf::from("static").join(path);
        claims.claim(path, &display, || Location::file(&display));
    }
    files
}

/// Part of step 3 of [`Site::build`]: the files of `content/` that are not Markdown (pictures
/// beside articles), copied beside their articles' pages and entered in the link index so
/// links to them resolve.
fn add_attachments(
    attachments: Vec<crate::content::Attachment>,
    files: &mut BTreeMap<String, CopiedFile>,
    claims: &mut Claims,
    index: &mut LinkIndex,
) {
    for attachment in attachments {
        let (dir, name) = attachment
            .rel_path
            .rsplit_once('/')
            .unwrap_or(("", &attachment.rel_path));
        let out = format!("{}{name}", paths::dir_url_path(dir));
        index.content.insert(
            attachment.rel_path.clone(),
            (ContentTarget::Attachment, out.clone()),
        );
        let display = PathBuf::from(crate::sources::CONTENT).join(&attachment.rel_path);
        claims.claim(&out, &display, || Location::file(&display));
        files.insert(
            out.clone(),
            CopiedFile {
                path: out,
                source: FileSource::File(attachment.source),
            },
        );
    }
}

/// Step 4 of [`Site::build`]: the Markdown of every page and section, in parallel (from
/// `cache` when the document and its links are unchanged), and the titles it gives. Returns
/// the errors of component calls, reported with the link errors so one build lists every
/// problem.
fn render_markdown(
    pages: &mut [Page],
    sections: &mut [Section],
    index: &LinkIndex,
    cache: &RenderCache,
    image_table: &images::ImageTable,
) -> Vec<Error> {
    let signature = index.rewrite_signature();
    let rendered_pages: Vec<Arc<Rendered>> = pages
        .par_iter()
        .map(|p| cache.render(&p.doc, p.lang, &p.path, index, signature, image_table))
        .collect();
    for (page, rendered) in pages.iter_mut().zip(rendered_pages) {
        page.rendered = rendered;
        set_title(page);
    }
    let rendered_sections: Vec<Option<Arc<Rendered>>> = sections
        .par_iter()
        .map(|s| {
            s.doc
                .as_ref()
                .map(|d| cache.render(d, s.lang, &s.path, index, signature, image_table))
        })
        .collect();
    for (section, rendered) in sections.iter_mut().zip(rendered_sections) {
        if let Some(r) = rendered {
            if section.doc.as_ref().is_some_and(|d| d.meta.title.is_none())
                && let Some(h1) = &r.first_h1
            {
                section.title = h1.clone();
            }
            section.rendered = r;
        }
    }

    pages
        .iter()
        .map(|p| (&p.doc, &p.rendered))
        .chain(
            sections
                .iter()
                .filter_map(|s| s.doc.as_ref().map(|d| (d, &s.rendered))),
        )
        .flat_map(|(doc, rendered)| body_errors(doc, rendered))
        .collect()
}

/// A page's title (its front matter's, else its Markdown's first heading, else its file or
/// folder name) and the key it sorts by.
fn set_title(page: &mut Page) {
    page.title = page
        .doc
        .meta
        .title
        .clone()
        .or_else(|| page.rendered.first_h1.clone())
        .unwrap_or_else(|| {
            // A bundle (`jak-zaczac/index.md`) is named after its folder.
            let name = match page.doc.stem() {
                stem if folder_pages::is_folder_page_name(stem) => {
                    page.doc.rel_dir().rsplit('/').next().unwrap_or(stem)
                }
                stem => stem,
            };
            humanize(name)
        });
    page.sort_title = order::title_key(&page.title);
}

/// Step 5 of [`Site::build`]: every section's pages in its order with previous and next,
/// subsections by title, terms' pages newest first, and the warnings of terms that share a
/// page. Returns every page id newest first and each page's rank in that list.
fn order_everything(
    sections: &mut [Section],
    pages: &mut [Page],
    taxonomies: &mut [Taxonomy],
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<usize>, Vec<usize>) {
    for s in sections.iter_mut() {
        let sort_by = s.sort_by;
        s.pages
            .sort_by(|a, b| order::compare(sort_by, &sort_key(&pages[*a]), &sort_key(&pages[*b])));
    }
    let titles: Vec<String> = sections
        .iter()
        .map(|s| order::title_key(&s.title))
        .collect();
    for s in sections.iter_mut() {
        s.subsections
            .sort_by(|a, b| titles[*a].cmp(&titles[*b]).then(a.cmp(b)));
    }
    for s in sections.iter() {
        for (i, &p) in s.pages.iter().enumerate() {
            pages[p].previous = i.checked_sub(1).map(|j| s.pages[j]);
            pages[p].next = s.pages.get(i + 1).copied();
        }
    }
    for tax in taxonomies.iter() {
        for term in &tax.terms {
            for (name, page) in &term.clashes {
                let doc = &pages[*page].doc;
                warnings.push(Diagnostic::warning(
                    codes::TERM_COLLISION,
                    Location::from_line_col(&doc.display_path, &doc.text, 1, 1),
                    format!(
                        "{} `{name}` and `{}` share one page, /{}",
                        tax.name,
                        term.name,
                        tax.term_path(term)
                    ),
                    Some("rename one of them so each gets its own page".into()),
                ));
            }
        }
    }
    let mut newest: Vec<usize> = (0..pages.len()).collect();
    newest
        .sort_by(|a, b| order::compare(SortBy::Date, &sort_key(&pages[*a]), &sort_key(&pages[*b])));
    let mut newest_rank = vec![0; pages.len()];
    for (rank, &p) in newest.iter().enumerate() {
        newest_rank[p] = rank;
    }
    for tax in taxonomies.iter_mut() {
        for term in &mut tax.terms {
            term.pages.sort_by_key(|&p| newest_rank[p]);
        }
    }
    (newest, newest_rank)
}

/// The redirects of step 3 of [`Site::build`]: each page's `aliases` (an alias with a `#`
/// part, one shadowing a folder's list page or one another page has already are warnings and
/// are skipped; one outside the site is an error), and the old address of a Jekyll post
/// (`blog/2013/06/05/why-react.html`) when nothing else has it. Each claims its output path.
fn aliases_of(
    pages: &[Page],
    sections: &[Section],
    claims: &mut Claims,
    warnings: &mut Vec<Diagnostic>,
    errors: &mut Vec<Error>,
) -> Vec<Alias> {
    let mut aliases = Vec::new();
    let mut alias_owners: HashMap<String, PathBuf> = HashMap::new();
    for page in pages {
        let mut own: Vec<String> = vec![page.path.to_lowercase()];
        for (alias, line) in &page.doc.meta.aliases {
            let at = Location::from_line_col(&page.doc.display_path, &page.doc.text, *line + 1, 1);
            if alias.contains('#') && !alias.contains("://") {
                // Jekyll's `redirect_from` lists old anchors too; the part after `#`
                // never reaches the server, so there is no file to write for it.
                warnings.push(Diagnostic::warning(
                    codes::ALIAS_ANCHOR,
                    at,
                    format!("alias `{alias}` has a `#` part, which no redirect can match"),
                    Some("remove it from `aliases`, or write the path without `#…`".into()),
                ));
                continue;
            }
            match paths::alias_output_file(alias) {
                Some(file) => {
                    let dir = file.strip_suffix("index.html").unwrap_or(&file).to_string();
                    // An alias that is the page's own address (Hugo's docs list the
                    // lower-cased one), or one written twice, needs no redirect.
                    if own.contains(&dir.to_lowercase()) {
                        continue;
                    }
                    if sections.iter().any(|s| s.doc.is_none() && s.path == dir) {
                        // Jekyll sites redirect `docs/` to their first page; here the
                        // folder has its own list page, which the alias would hide.
                        warnings.push(Diagnostic::warning(
                            codes::ALIAS_SHADOWED,
                            at,
                            format!("alias `{alias}` is the address of the section of folder `{}`; the section's list page stays there", dir.trim_end_matches('/')),
                            Some("remove the alias, or give the folder an `_index.md` that links to this page".into()),
                        ));
                        continue;
                    }
                    own.push(dir.to_lowercase());
                    if let Some(first) = alias_owners.get(&dir) {
                        // Two pages keep the same old address (Hugo lets the last one
                        // have it): the first keeps it, and the second is told.
                        warnings.push(Diagnostic::warning(
                            codes::DUPLICATE_ALIAS,
                            at,
                            format!("alias `{alias}` is an alias of {} already", first.display()),
                            Some(
                                "remove it here, or there, so one page keeps the old address"
                                    .into(),
                            ),
                        ));
                        continue;
                    }
                    alias_owners.insert(dir.clone(), page.doc.display_path.clone());
                    claims.claim(&dir, &page.doc.display_path, || at);
                    aliases.push(Alias {
                        file,
                        to_path: page.path.clone(),
                    });
                }
                None => errors.push(Error::unsafe_path(
                    at,
                    format!("alias `{alias}` is not a path inside the site"),
                )),
            }
        }
    }
    // A Jekyll post (`blog/2013-06-05-why-react.md`) was at `blog/2013/06/05/why-react.html`;
    // old links and bookmarks reach it there, unless something else has that address.
    for page in pages {
        let dated = crate::content::meta::date_in_file_name(page.doc.language_suffix().0);
        if let (Some(date), Some(Ok((_, name)))) = (page.doc.meta.file_date, dated) {
            // Jekyll's `:title` is the file name as written (`react-v0.11`), not a slug.
            let file = format!(
                "{}{}{name}.html",
                paths::dir_url_path(page.doc.rel_dir()),
                date.date.format("%Y/%m/%d/")
            );
            if !claims.owners.contains_key(&file) && page.path != file {
                claims.claim(&file, &page.doc.display_path, || {
                    Location::file(&page.doc.display_path)
                });
                aliases.push(Alias {
                    file,
                    to_path: page.path.clone(),
                });
            }
        }
    }
    aliases
}

/// The folder part of a `/`-separated content path.
fn parent_dir(rel_dir: &str) -> Option<&str> {
    if rel_dir.is_empty() {
        None
    } else {
        Some(rel_dir.rsplit_once('/').map_or("", |(p, _)| p))
    }
}

fn humanize(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

/// Output paths and who claimed them, to report two sources writing one file.
#[derive(Default)]
struct Claims {
    owners: crate::hash::FastMap<String, PathBuf>,
    errors: Vec<Error>,
}

impl Claims {
    /// Claims an output path; `x/index.html` and the page folder `x/` are the same claim.
    /// `at` is only worked out for a collision: finding a line in a file costs a scan.
    fn claim(&mut self, path: &str, owner: &std::path::Path, at: impl FnOnce() -> Location) {
        let path = claim_key(path);
        if let Some(first) = self.owners.get(path) {
            let at = at();
            let hint = if first.to_string_lossy().starts_with(GENERATED) {
                "kbsite writes this address itself: move or rename the file, or remove the alias"
            } else if at.source_line.starts_with("aliases") {
                "remove the alias or point it at a path no page uses"
            } else if owner
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("_index."))
            {
                "a folder has one section file per language, and `_index.md` is in the site's language: keep one of the two"
            } else if owner.ends_with("index.md") {
                "the folder has `_index.md`, its section page, and `index.md` would be a second one: keep one of the two"
            } else {
                "give one of them another `slug`, or rename the file (slugs ignore case and Polish letters)"
            };
            self.errors.push(Error::problem(
                ProblemKind::Conflict,
                codes::DUPLICATE_URL,
                at,
                format!(
                    "`/{path}` would be written twice: by {} and by {}",
                    first.display(),
                    owner.display()
                ),
                Some(hint.into()),
            ));
        } else {
            self.owners.insert(path.to_string(), owner.to_path_buf());
        }
    }

    /// Claims an output path for a file kbsite writes itself (`what`: `search page`,
    /// `sitemap.xml`). Such a file has no source to point at, so a source that took the path
    /// first is the place of the problem, and the message says the address is kbsite's own.
    fn claim_generated(&mut self, path: &str, what: &str) {
        let path = claim_key(path);
        let Some(first) = self.owners.get(path) else {
            self.owners.insert(
                path.to_string(),
                PathBuf::from(format!("{GENERATED}{what}")),
            );
            return;
        };
        // A section folder without its own `_index.md` is owned by `content`: name the folder.
        let source = if first == std::path::Path::new(crate::sources::CONTENT) {
            PathBuf::from(crate::sources::CONTENT).join(path)
        } else {
            first.clone()
        };
        self.errors.push(Error::problem(
            ProblemKind::Conflict,
            codes::DUPLICATE_URL,
            Location::file(&source),
            format!(
                "`/{path}` is the address of kbsite's {what}: {} cannot be published there",
                source.display()
            ),
            Some(
                "rename the folder or file, or give the page another `slug`; kbsite writes this address itself"
                    .into(),
            ),
        ));
    }
}

/// How the owner of a file kbsite writes itself begins (`kbsite's search page`).
const GENERATED: &str = "kbsite's ";

/// The key of an output path in [`Claims`]: `x/index.html` and the page folder `x/` are the
/// same claim.
fn claim_key(path: &str) -> &str {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => path,
    }
}

/// Markdown rendered by an earlier build of the same site. A document is not rendered again
/// when it is the very same document (the same `Arc`: its file was not read again), at the
/// same address, in the same language, and every link in it still resolves to the same
/// address. This is what makes a rebuild after one edit cheap.
#[derive(Debug, Clone, Default)]
pub struct RenderCache {
    entries: crate::hash::FastMap<String, CachedRender>,
    /// The link index the entries were rendered with (see `LinkIndex::rewrite_signature`).
    links: Option<LinkSignature>,
    /// The signature of the components the entries were rendered with: entries that call
    /// components are rendered again when it changes.
    components: Option<u64>,
    /// The signature of the data files the entries were rendered with: entries that call a
    /// component reading `site.data` are rendered again when it changes.
    data: Option<u64>,
}

#[derive(Debug, Clone)]
struct CachedRender {
    doc: Arc<Document>,
    lang: Language,
    path: String,
    rendered: Arc<Rendered>,
}

impl RenderCache {
    /// Brings the cache to the rendered Markdown of every page and section of `site`, by
    /// updating it: only entries whose document, address or Markdown changed are written
    /// again, so a rebuild that changed one article does not copy ten thousand paths.
    pub fn refresh(&mut self, site: &Site) {
        let pages = site
            .pages
            .iter()
            .map(|p| (&p.doc, p.lang, &p.path, &p.rendered));
        let sections = site
            .sections
            .iter()
            .filter_map(|s| s.doc.as_ref().map(|d| (d, s.lang, &s.path, &s.rendered)));
        let mut count = 0;
        for (doc, lang, path, rendered) in pages.chain(sections) {
            count += 1;
            let fresh = || CachedRender {
                doc: doc.clone(),
                lang,
                path: path.clone(),
                rendered: rendered.clone(),
            };
            match self.entries.get_mut(&doc.rel_path) {
                Some(c)
                    if Arc::ptr_eq(&c.doc, doc)
                        && Arc::ptr_eq(&c.rendered, rendered)
                        && c.lang == lang
                        && c.path == *path => {}
                Some(c) => *c = fresh(),
                None => {
                    self.entries.insert(doc.rel_path.clone(), fresh());
                }
            }
        }
        if self.entries.len() != count {
            // Documents that went away.
            let present: crate::hash::FastSet<&str> = site
                .pages
                .iter()
                .map(|p| p.doc.rel_path.as_str())
                .chain(
                    site.sections
                        .iter()
                        .filter_map(|s| s.doc.as_ref().map(|d| d.rel_path.as_str())),
                )
                .collect();
            self.entries.retain(|k, _| present.contains(k.as_str()));
        }
        self.links = site.link_signature;
        self.components = site.rebuild.links.components.as_ref().map(|c| c.signature);
        self.data = site
            .rebuild
            .links
            .components
            .as_ref()
            .map(|c| c.data_signature);
    }

    /// Takes the rendered Markdown of `pages` of `site` after a change to nothing but those
    /// pages (their bodies, or their front matter in place), with the link index's signature,
    /// which a title edit changes.
    pub fn update(&mut self, site: &Site, pages: &[usize]) {
        self.links = site.link_signature;
        for &id in pages {
            let p = &site.pages[id];
            self.entries.insert(
                p.doc.rel_path.clone(),
                CachedRender {
                    doc: p.doc.clone(),
                    lang: p.lang,
                    path: p.path.clone(),
                    rendered: p.rendered.clone(),
                },
            );
        }
    }

    fn render(
        &self,
        doc: &Arc<Document>,
        lang: Language,
        path: &str,
        index: &LinkIndex,
        signature: LinkSignature,
        images: &images::ImageTable,
    ) -> Arc<Rendered> {
        let paths_same = self.links.map(|s| s.paths) == Some(signature.paths);
        let wiki_same = self.links.map(|s| s.wiki) == Some(signature.wiki);
        if let Some(c) = self.entries.get(&doc.rel_path)
            && Arc::ptr_eq(&c.doc, doc)
            && c.lang == lang
            && c.path == path
            && (!c.rendered.uses_components
                || self.components == index.components.as_ref().map(|c| c.signature))
            && index.components.as_ref().is_none_or(|now| {
                self.data == Some(now.data_signature)
                    || !c
                        .rendered
                        .features
                        .components
                        .iter()
                        .any(|name| now.engine.reads_site_data(name))
            })
            && c.rendered.links.iter().all(|l| {
                (if l.wiki { wiki_same } else { paths_same })
                    || index.rewrite_link(l, doc.rel_dir(), path, lang) == l.rewritten
            })
            && c.rendered.links.iter().all(|l| {
                l.image_attrs.is_none()
                    || l.image_attrs.as_ref()
                        == Some(&image_attrs(&l.dest, doc.rel_dir(), path, index, images))
            })
        {
            return c.rendered.clone();
        }
        Arc::new(render_doc(doc, lang, path, index, images))
    }
}

/// What [`Site::with_new_bodies`] made of a change to article bodies.
#[derive(Debug)]
pub enum BodyUpdate {
    /// The model with the new bodies, and the pages whose output may have changed.
    Updated {
        /// The updated model (boxed: it is large, the other outcomes are small).
        site: Box<Site>,
        /// Pages to render again: the changed ones and the ones their links touch.
        pages: Vec<usize>,
    },
    /// A new body broke something (a component, a link). The model was spent: build it
    /// from the content again.
    Failed(Error),
    /// The change is more than bodies (front matter, a title from the first heading): the
    /// model is handed back unchanged for a full rebuild.
    NotOnlyBodies(Arc<Site>),
}

/// What [`Site::with_new_front_matter`] made of a change to articles' front matter.
#[derive(Debug)]
pub enum FrontMatterUpdate {
    /// The model with the new front matter.
    Updated {
        /// The updated model (boxed: it is large).
        site: Box<Site>,
        /// The articles whose front matter changed, by id (the same ids as before).
        pages: Vec<usize>,
        /// Whether one of them may show differently in its section's sidebar or take another
        /// place there (its title, short title or date changed): the articles around it show it.
        relabelled: bool,
    },
    /// The change reaches further than titles, dates, tags and descriptions of existing
    /// articles: the model is handed back for a full rebuild.
    NotInPlace(Arc<Site>),
}

/// Whether two front matters differ only in fields that [`Site::with_new_front_matter`]
/// updates in place: title (while there is one), description, summary, dates, taxonomy
/// terms, authors, the picture's text, the short title and `extra`. Every other field moves
/// the page, changes what it is rendered with or is written with its line number.
fn same_place(old: &crate::content::Meta, new: &crate::content::Meta) -> bool {
    let strip = |m: &crate::content::Meta| {
        let mut m = m.clone();
        m.title = m.title.map(|_| String::new());
        m.description = None;
        m.summary = None;
        m.date = None;
        m.updated = None;
        m.taxonomies = BTreeMap::new();
        m.authors = Vec::new();
        m.image_alt = None;
        m.short_title = None;
        m.extra = Default::default();
        m
    };
    strip(old) == strip(new)
}

impl Site {
    /// The highlighted code this model was rendered with, to be saved to the build cache.
    pub fn highlights(&self) -> &Arc<markdown::Highlights> {
        &self.rebuild.links.highlights
    }

    /// Builds the model from loaded content and the files to copy (`static/`, theme files).
    pub fn build(
        config: Config,
        content: Content,
        static_files: Vec<CopiedFile>,
        options: SiteOptions,
    ) -> Result<Site> {
        Site::build_cached(
            config,
            content,
            static_files,
            options,
            &RenderCache::default(),
        )
    }

    /// [`Site::build`], reusing Markdown an earlier build rendered.
    pub fn build_cached(
        config: Config,
        content: Content,
        static_files: Vec<CopiedFile>,
        options: SiteOptions,
        cache: &RenderCache,
    ) -> Result<Site> {
        let mut index = LinkIndex {
            base_path: config.base_path().to_string(),
            typography: config.typography(),
            raw_html: config.raw_html,
            wiki_warnings: options.wiki_warnings,
            link_warnings: options.link_warnings,
            components: options.components.clone(),
            highlights: options.highlights.clone(),
            ..LinkIndex::default()
        };
        let mut warnings = content.warnings;
        for doc in &content.documents {
            warnings.extend(doc.warnings.iter().cloned());
        }

        // Step 1: sections and pages apart, drafts dropped.
        let sorted = sort_documents(&config, content.documents, &options, &mut index);
        // Step 2: the sections' and pages' output paths.
        let mut claims = Claims::default();
        let (mut sections, languages, mut pages) =
            place_documents(&config, sorted, &mut claims, &mut index);
        // Step 3: every other output path.
        let taxonomies = collect_taxonomies(&config, &languages, &pages);
        claim_list_pages(&config, &taxonomies, &sections, &mut claims);
        claim_generated_files(&config, &languages, &pages, &mut claims);
        let mut errors = Vec::new();
        let mut files = static_files_of(static_files, &mut claims);
        let aliases = aliases_of(&pages, &sections, &mut claims, &mut warnings, &mut errors);
        add_attachments(content.attachments, &mut files, &mut claims, &mut index);
        for page in &mut pages {
            match images::resolve(&page.doc, &files) {
                Ok(image) => page.image = image,
                Err(e) => errors.push(e),
            }
        }
        let logo = images::resolve_logo(&config, &files).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let mermaid = config
            .mermaid
            .clone()
            .filter(|path| files.contains_key(path));
        errors.append(&mut claims.errors);
        Error::collect(errors)?;
        index.paths = claims.owners.into_keys().collect();
        index.paths.extend(files.keys().cloned());

        // Step 4: Markdown, in parallel.
        let widths = if options.resize_images {
            config.images.resize_widths()
        } else {
            Vec::new()
        };
        let image_table = images::ImageTable::new(&files, widths, &index.base_path);
        let signature = index.remember_signature();
        // Reported together with the link errors, so one build lists every problem.
        let mut calls = render_markdown(&mut pages, &mut sections, &index, cache, &image_table);

        // Step 5: order, neighbours, term page order; then every link is checked.
        let mut taxonomies = taxonomies;
        let (newest, newest_rank) =
            order_everything(&mut sections, &mut pages, &mut taxonomies, &mut warnings);

        let recent = languages
            .iter()
            .map(|&lang| most_recent(&pages, &newest_rank, lang))
            .collect();
        let homes = languages
            .iter()
            .map(|&lang| {
                sections
                    .iter()
                    .position(|s| s.tree == lang && s.parent.is_none())
                    .unwrap_or(0)
            })
            .collect();
        let mut site = Site {
            config,
            pages,
            sections,
            taxonomies,
            aliases,
            files: files.into_values().collect(),
            logo,
            mermaid,
            warnings: Vec::new(),
            link_signature: Some(signature),
            images: Arc::new(image_table),
            rebuild: RebuildState::default(),
            recent,
            newest,
            newest_rank,
            languages,
            homes,
        };
        let checked = match site.check_links(&index) {
            Ok(checked) if calls.is_empty() => checked,
            other => {
                calls.extend(other.err());
                return Err(Error::all(calls));
            }
        };
        site.rebuild.base_warnings = warnings;
        site.rebuild.links = Arc::new(index);
        site.rebuild.link_targets = checked.targets;
        site.rebuild.link_warnings = checked.warnings;
        site.rebuild.wiki_docs = site
            .linking_docs()
            .iter()
            .filter(|(_, _, r)| has_wiki_link(r))
            .count();
        site.set_backlinks();
        site.warnings = site.all_warnings();
        Ok(site)
    }

    /// The site after only the bodies of some articles changed: same front matter, same
    /// files, same title. Everything else of the model stays; the changed bodies are rendered,
    /// their links and the links pointing at them are checked again. When the change is more
    /// than that (a title taken from a changed first heading, a section's file) the model comes
    /// back as [`BodyUpdate::NotOnlyBodies`] for a full build. The model is taken over rather
    /// than copied when nothing else holds it, so after [`BodyUpdate::Failed`] it is gone:
    /// build again from the content.
    pub fn with_new_bodies(self: Arc<Site>, changed: &[Arc<Document>]) -> BodyUpdate {
        let mut ids = Vec::new();
        let mut updates = Vec::new();
        for doc in changed {
            let Some((ContentTarget::Page(id), _)) = self.rebuild.links.content.get(&doc.rel_path)
            else {
                return BodyUpdate::NotOnlyBodies(self);
            };
            let id = *id;
            let old = &self.pages[id];
            let same_front =
                old.doc.text.get(..old.doc.body_offset) == doc.text.get(..doc.body_offset);
            if !same_front || old.doc.kind != doc.kind {
                return BodyUpdate::NotOnlyBodies(self);
            }
            let rendered = render_doc(doc, old.lang, &old.path, &self.rebuild.links, &self.images);
            if doc.meta.title.is_none() && rendered.first_h1 != old.rendered.first_h1 {
                return BodyUpdate::NotOnlyBodies(self);
            }
            if let Err(e) = Error::collect(body_errors(doc, &rendered)) {
                return BodyUpdate::Failed(e);
            }
            updates.push((id, doc.clone(), Arc::new(rendered)));
            ids.push(id);
        }
        // Links of the changed pages, and links to them (their anchors may have changed).
        let docs = self.linking_docs();
        let mut which: Vec<usize> = (0..docs.len())
            .filter(|&d| {
                ids.contains(&d)
                    || self.rebuild.link_targets[d]
                        .iter()
                        .any(|t| ids.contains(&t.0))
            })
            .collect();
        which.sort_unstable();
        drop(docs);
        // The model is taken over rather than copied when nothing else holds it.
        let mut site = Arc::unwrap_or_clone(self);
        for (id, doc, rendered) in updates {
            let page = &mut site.pages[id];
            site.rebuild.wiki_docs = (site.rebuild.wiki_docs
                + usize::from(has_wiki_link(&rendered)))
            .saturating_sub(usize::from(has_wiki_link(&page.rendered)));
            page.doc = doc;
            page.rendered = rendered;
        }
        let docs = site.linking_docs();
        let checked = site.check_docs(&site.rebuild.links, &docs, &which);
        if let Err(e) = Error::collect(checked.errors) {
            return BodyUpdate::Failed(e);
        }
        let before = site.linked(&site.rebuild.link_targets);
        // Pages linked from a changed page, before or after: their "linked from" lists show it.
        let mut shown: Vec<usize> = ids.clone();
        let mut warnings_changed = false;
        for ((d, t), w) in which.into_iter().zip(checked.targets).zip(checked.warnings) {
            if ids.contains(&d) {
                shown.extend(site.rebuild.link_targets[d].iter().map(|t| t.0));
                shown.extend(t.iter().map(|t| t.0));
            }
            site.rebuild.link_targets[d] = t;
            warnings_changed |= site.rebuild.link_warnings[d] != w;
            site.rebuild.link_warnings[d] = w;
        }
        shown.sort_unstable();
        shown.dedup();
        site.set_backlinks_of(&shown);
        // The editorial warnings depend on the bodies only through which pages are linked.
        if warnings_changed || site.linked(&site.rebuild.link_targets) != before {
            site.warnings = site.all_warnings();
        }
        BodyUpdate::Updated {
            site: Box::new(site),
            pages: shown,
        }
    }

    /// The taxonomies after article `id` changed its terms from `old` (its front matter's
    /// `taxonomies` before), its new terms being in the model: [`taxonomy::with_page_terms`]
    /// for each taxonomy of its language whose terms it changed. `None` when that cannot be
    /// done in place (spellings that clash).
    fn retagged_taxonomies(
        &self,
        id: usize,
        old: &BTreeMap<String, Vec<String>>,
    ) -> Option<Vec<Taxonomy>> {
        let page = &self.pages[id];
        fn terms_of<'m>(meta: &'m crate::content::Meta, name: &str) -> &'m [String] {
            meta.taxonomies.get(name).map_or(&[][..], Vec::as_slice)
        }
        self.taxonomies
            .iter()
            .map(|tax| {
                let before = old.get(&tax.name).map_or(&[][..], Vec::as_slice);
                let now = terms_of(&page.doc.meta, &tax.name);
                if tax.lang != page.lang || before == now {
                    return Some(tax.clone());
                }
                let pages_terms = |p: usize| terms_of(&self.pages[p].doc.meta, &tax.name);
                taxonomy::with_page_terms(tax, id, before, now, &pages_terms)
            })
            .collect()
    }

    /// Brings the output paths the link index knows to the term list pages of `taxonomies`,
    /// which replace the site's after a front-matter edit made or emptied a term, or moved a
    /// term's list onto more or fewer pages. `false` (nothing changed) when that cannot be
    /// done in place: a new page would take a path something else has (the full build reports
    /// the collision), or some link points into a taxonomy's folder (it may now resolve, or
    /// break). So no link's target changes, and Markdown rendered with the index stays valid.
    fn move_term_pages(&mut self, taxonomies: &[Taxonomy]) -> bool {
        let paginate_by = self.config.paginate_by;
        let feeds = self.config.section_feeds;
        // The list pages (and feeds) of the terms whose number of list pages differs, in old
        // and new.
        let mut old = crate::hash::FastSet::default();
        let mut new = crate::hash::FastSet::default();
        for (was, is) in self.taxonomies.iter().zip(taxonomies) {
            let (was_counts, is_counts) = (
                pager_counts(was, paginate_by),
                pager_counts(is, paginate_by),
            );
            for (slug, &count) in &was_counts {
                let now = is_counts.get(slug).copied().unwrap_or(0);
                extend_pager_paths(&mut old, was, slug, (now, count), feeds);
            }
            for (slug, &count) in &is_counts {
                let before = was_counts.get(slug).copied().unwrap_or(0);
                extend_pager_paths(&mut new, is, slug, (before, count), feeds);
            }
        }
        if old.is_empty() && new.is_empty() {
            return true;
        }
        let folders: Vec<String> = taxonomies.iter().map(|t| format!("{}/", t.name)).collect();
        let into_taxonomies = |links: &[markdown::Link]| {
            links.iter().any(|l| {
                let to = l.rewritten.as_deref().unwrap_or(&l.dest);
                folders.iter().any(|f| to.contains(f.as_str()))
            })
        };
        let rendered = self.pages.iter().map(|p| &p.rendered);
        if rendered
            .chain(self.sections.iter().map(|s| &s.rendered))
            .any(|r| into_taxonomies(&r.links))
        {
            return false;
        }
        let Some(index) = Arc::get_mut(&mut self.rebuild.links) else {
            return false;
        };
        if new.difference(&old).any(|p| index.paths.contains(p)) {
            return false;
        }
        for path in old.difference(&new) {
            index.remove_path(path);
        }
        for path in new.difference(&old) {
            index.add_path(path.clone());
        }
        true
    }

    /// The site after only the front matter of some articles changed in ways that move no
    /// file: titles, dates, tags and descriptions (see [`same_place`]), with the same bodies.
    /// The pages keep their ids, addresses, Markdown, links and related articles; titles,
    /// taxonomies (with terms made or emptied, see [`Site::move_term_pages`]), every order and
    /// the newest lists are made again,
    /// which a preview of 10,000 articles does in milliseconds instead of rebuilding the
    /// model. Anything else comes back as [`FrontMatterUpdate::NotInPlace`].
    pub fn with_new_front_matter(self: Arc<Site>, changed: &[Arc<Document>]) -> FrontMatterUpdate {
        // A title is a wiki name: with wiki links in the site, a new one may change links.
        let wiki_links = || self.rebuild.wiki_docs > 0;
        let mut updates = Vec::with_capacity(changed.len());
        for doc in changed {
            let Some((ContentTarget::Page(id), _)) = self.rebuild.links.content.get(&doc.rel_path)
            else {
                return FrontMatterUpdate::NotInPlace(self);
            };
            let old = &self.pages[*id].doc;
            let in_place = old.kind == doc.kind
                && old.body() == doc.body()
                && old.warnings == doc.warnings
                && same_place(&old.meta, &doc.meta);
            if !in_place || (old.meta.title != doc.meta.title && wiki_links()) {
                return FrontMatterUpdate::NotInPlace(self);
            }
            updates.push((*id, doc.clone()));
        }
        if updates.is_empty() {
            return FrontMatterUpdate::NotInPlace(self);
        }
        // The model is taken over rather than copied when nothing else holds it.
        let mut site = Arc::unwrap_or_clone(self);
        let titles_changed = updates
            .iter()
            .any(|(id, doc)| site.pages[*id].doc.meta.title != doc.meta.title);
        let terms_changed = updates
            .iter()
            .any(|(id, doc)| site.pages[*id].doc.meta.taxonomies != doc.meta.taxonomies);
        if titles_changed && Arc::get_mut(&mut site.rebuild.links).is_none() {
            // The link index is shared: its wiki names cannot be made again here.
            return FrontMatterUpdate::NotInPlace(Arc::new(site));
        }
        let pages: Vec<usize> = updates.iter().map(|(id, _)| *id).collect();
        // The one article whose terms changed, with its terms before, when only one did: its
        // terms are then moved in place rather than collected again from every article.
        let mut retagged = updates
            .iter()
            .filter(|(id, doc)| site.pages[*id].doc.meta.taxonomies != doc.meta.taxonomies);
        let retagged = match (retagged.next(), retagged.next()) {
            (Some((id, _)), None) => Some((*id, site.pages[*id].doc.meta.taxonomies.clone())),
            _ => None,
        };
        let relabelled = updates.iter().any(|(id, doc)| {
            let (old, new) = (&site.pages[*id].doc.meta, &doc.meta);
            old.title != new.title || old.short_title != new.short_title || old.date != new.date
        });
        for (id, doc) in updates {
            if titles_changed && let Some(index) = Arc::get_mut(&mut site.rebuild.links) {
                // Wiki names follow titles.
                let p = &site.pages[id];
                index.retitle_wiki_name(
                    p.doc.meta.title.as_deref(),
                    doc.meta.title.as_deref(),
                    &p.path,
                    p.lang,
                    id,
                );
            }
            site.pages[id].doc = doc;
            set_title(&mut site.pages[id]);
        }
        // Terms keep their pages (and names, which are first spellings) when no article's
        // terms changed; their order by date is made again below either way.
        let mut taxonomies = if terms_changed {
            // Terms moved in place involve no clashing spellings; collected ones are checked.
            let moved = retagged.and_then(|(id, old)| site.retagged_taxonomies(id, &old));
            let taxonomies = match moved {
                Some(moved) => moved,
                None => {
                    let collected = collect_taxonomies(&site.config, &site.languages, &site.pages);
                    if !terms_kept(&site.taxonomies, &collected) {
                        return FrontMatterUpdate::NotInPlace(Arc::new(site));
                    }
                    collected
                }
            };
            if !site.move_term_pages(&taxonomies) {
                return FrontMatterUpdate::NotInPlace(Arc::new(site));
            }
            taxonomies
        } else {
            std::mem::take(&mut site.taxonomies)
        };
        if titles_changed {
            // Paths did not change, names did.
            let wiki = site.rebuild.links.wiki_signature();
            site.link_signature = site.link_signature.map(|s| LinkSignature { wiki, ..s });
        }
        // Term collisions were checked unchanged above, so their warnings are too.
        let mut clash_warnings = Vec::new();
        let (newest, newest_rank) = order_everything(
            &mut site.sections,
            &mut site.pages,
            &mut taxonomies,
            &mut clash_warnings,
        );
        site.taxonomies = taxonomies;
        site.recent = site
            .languages
            .iter()
            .map(|&lang| most_recent(&site.pages, &newest_rank, lang))
            .collect();
        site.newest = newest;
        site.newest_rank = newest_rank;
        site.warnings = site.all_warnings();
        FrontMatterUpdate::Updated {
            site: Box::new(site),
            pages,
            relabelled,
        }
    }

    /// The id of the article whose file is `rel_path` (relative to `content/`), if it is one.
    pub fn page_of(&self, rel_path: &str) -> Option<usize> {
        match self.rebuild.links.content.get(rel_path) {
            Some((ContentTarget::Page(id), _)) => Some(*id),
            _ => None,
        }
    }

    /// The absolute path of an output path (`seo/` -> `/kb/seo/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_path())
    }

    /// The absolute URL of an output path (`seo/` -> `https://example.org/kb/seo/`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    /// The absolute URL of a picture: its own address when hosted elsewhere, else its output
    /// path percent-encoded under `base_url`, as crawlers need it.
    pub fn image_url(&self, image: &images::PageImage) -> String {
        if image.external {
            image.path.clone()
        } else {
            self.permalink(&paths::url_path(&image.path))
        }
    }

    /// Sorts page ids newest first (undated last, then by title and path), the order of
    /// feeds, "newest" lists and term pages.
    pub fn sort_newest_first(&self, ids: &mut [usize]) {
        ids.sort_unstable_by_key(|&p| self.newest_rank[p]);
    }

    /// Puts warnings found outside the model (the theme's) before its own, where they stay
    /// when a body-only rebuild recomputes the warnings that depend on links.
    pub fn prepend_warnings(&mut self, warnings: &[Diagnostic]) {
        self.warnings.splice(0..0, warnings.iter().cloned());
        self.rebuild
            .base_warnings
            .splice(0..0, warnings.iter().cloned());
    }

    /// Sets each page's related pages (by page id, closest first), which are made from the
    /// analysed words that search builds later on, outside the model.
    pub fn set_related(&mut self, related: Vec<Vec<usize>>) {
        for (page, related) in self.pages.iter_mut().zip(related) {
            page.related = related;
        }
    }

    /// The warnings of the model, the links and the editorial ones, in that order.
    fn all_warnings(&self) -> Vec<Diagnostic> {
        let mut warnings = self.rebuild.base_warnings.clone();
        warnings.extend(self.rebuild.link_warnings.iter().flatten().cloned());
        let linked = self.linked(&self.rebuild.link_targets);
        warnings.extend(self.editorial_warnings(&linked));
        warnings.extend(self.diagram_warning());
        warnings
    }

    /// Each page's backlinks, from the links found by the last check.
    fn set_backlinks(&mut self) {
        let all: Vec<usize> = (0..self.pages.len()).collect();
        self.set_backlinks_of(&all);
    }

    /// The backlinks of the pages `which` (sorted page ids), from the links found by the
    /// last check; one pass over the links, so a body edit does not rebuild every list.
    fn set_backlinks_of(&mut self, which: &[usize]) {
        let mut lists: Vec<Vec<Backlink>> = vec![Vec::new(); which.len()];
        for (from, targets) in self
            .rebuild
            .link_targets
            .iter()
            .enumerate()
            .take(self.pages.len())
        {
            for &(to, link) in targets {
                if let Ok(slot) = which.binary_search(&to) {
                    let list = &mut lists[slot];
                    if !list.iter().any(|b| b.from == from) {
                        list.push(Backlink { from, link });
                    }
                }
            }
        }
        for (slot, mut list) in lists.into_iter().enumerate() {
            list.sort_by(|a, b| {
                self.pages[a.from]
                    .sort_title
                    .cmp(&self.pages[b.from].sort_title)
                    .then(a.from.cmp(&b.from))
            });
            self.pages[which[slot]].backlinks = list;
        }
    }

    /// For each page, how many other documents (articles and section pages) link to it.
    pub fn incoming_links(&self) -> Vec<usize> {
        let mut counts = vec![0; self.pages.len()];
        for targets in &self.rebuild.link_targets {
            let mut seen: Vec<usize> = targets.iter().map(|t| t.0).collect();
            seen.sort_unstable();
            seen.dedup();
            for p in seen {
                counts[p] += 1;
            }
        }
        counts
    }

    /// The position of page `id` in [`Site::newest`].
    pub fn newest_rank(&self, id: usize) -> usize {
        self.newest_rank[id]
    }

    /// Every page id, newest first (undated last, then by title and path).
    pub fn newest(&self) -> &[usize] {
        &self.newest
    }

    /// The `limit` most recently changed pages of `lang` (by `updated`, else `date`), newest
    /// first; ties in the order of [`Site::newest`]. Undated pages are left out. Up to
    /// [`RECENT_MAX`].
    pub fn recently_updated(&self, lang: Language, limit: usize) -> &[usize] {
        let recent = self
            .languages
            .iter()
            .position(|&l| l == lang)
            .map_or(&[][..], |i| &self.recent[i][..]);
        &recent[..limit.min(recent.len())]
    }

    /// The languages with their own part of the site (home page, lists, tag pages, feed,
    /// search index), the site's own language first.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// The home section of `lang`'s part of the site (the site's home for a language
    /// without one).
    pub fn home(&self, lang: Language) -> usize {
        self.languages
            .iter()
            .position(|&l| l == lang)
            .map_or(0, |i| self.homes[i])
    }

    /// The output folder of `lang`'s part of the site: empty for the site's language, `en/`
    /// for English.
    pub fn lang_prefix(&self, lang: Language) -> String {
        trees::lang_prefix(&self.config, lang)
    }

    /// The folder of `lang`'s search page and index (`search/`, `en/search/`).
    pub fn search_dir(&self, lang: Language) -> String {
        format!("{}{SEARCH_DIR}/", self.lang_prefix(lang))
    }

    /// The sections from home down to `section`, inclusive.
    pub fn ancestry(&self, section: usize) -> Vec<usize> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(parent) = self.sections[cur].parent {
            chain.push(parent);
            cur = parent;
        }
        chain.reverse();
        chain
    }
}

/// Which file names are versions of one article. A name ending in a language code
/// (`cennik.en.md`) is a translation only beside another version of the same article
/// (`cennik.md`, `cennik.de.md`): `allegro.pl.md` alone is an article about allegro.pl.
struct VersionNames<'a> {
    /// How many articles of each folder share each name without its language code.
    bases: crate::hash::FastMap<(&'a str, &'a str), usize>,
    /// Every folder and whole file name.
    stems: crate::hash::FastSet<(&'a str, &'a str)>,
}

impl<'a> VersionNames<'a> {
    fn new(docs: impl Iterator<Item = &'a Arc<Document>>) -> Self {
        let mut bases = crate::hash::FastMap::default();
        let mut stems = crate::hash::FastSet::default();
        for doc in docs {
            *bases
                .entry((doc.rel_dir(), doc.language_suffix().0))
                .or_default() += 1;
            stems.insert((doc.rel_dir(), doc.stem()));
        }
        VersionNames { bases, stems }
    }

    /// The name `doc` shares with its other versions, and the language its file name gives.
    fn of(&self, doc: &Document) -> (String, Option<Language>) {
        let (base, lang) = doc.language_suffix();
        let key = (doc.rel_dir(), base);
        let has_sibling = self.bases.get(&key).is_some_and(|&n| n > 1) || self.stems.contains(&key);
        match lang {
            Some(lang) if has_sibling => (base.to_string(), Some(lang)),
            _ => (doc.stem().to_string(), None),
        }
    }
}

/// Links the articles that are one text in several languages: files of one folder whose names
/// differ only by a language suffix (`cennik.md`, `cennik.en.md`), each in its own language.
fn link_translations(pages: &mut [Page], version_names: &[String]) {
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        groups
            .entry((p.doc.rel_dir(), version_names[i].as_str()))
            .or_default()
            .push(i);
    }
    let links: Vec<(usize, Vec<usize>)> = groups
        .into_values()
        .filter(|ids| ids.len() > 1)
        .flat_map(|ids| {
            let pages = &*pages;
            ids.iter()
                .map(|&i| {
                    let others = ids
                        .iter()
                        .copied()
                        .filter(|&o| o != i && pages[o].lang != pages[i].lang)
                        .collect();
                    (i, others)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (i, others) in links {
        pages[i].translations = others;
    }
}

/// Whether an article is out on `today`: not before its `publish_date`, not from its
/// `expiry_date` on.
fn published_on(meta: &crate::content::Meta, today: chrono::NaiveDate) -> bool {
    meta.publish_date.is_none_or(|d| d.date <= today)
        && meta.expiry_date.is_none_or(|d| d.date > today)
}

/// Whether the article named `name` (without its language code) in folder `dir` is a bundle
/// standing for that folder's name: `index.md`, and `README.md` unless `index_dirs` says the
/// folder has an `index.md` too.
fn is_bundle(name: &str, dir: &str, index_dirs: &crate::hash::FastSet<String>) -> bool {
    name == "index" || (name.eq_ignore_ascii_case("readme") && !index_dirs.contains(dir))
}

/// The output path of an article from its file:
/// `seo/podstawy.md` -> `seo/podstawy/`; `seo/bundle/index.md` -> `seo/bundle/`; a `slug` in
/// front matter replaces the last part. `name` is the file name without its language code
/// when the file is a translation (`cennik.en.md` -> `cennik`).
fn page_path(doc: &Document, name: &str, index_dirs: &crate::hash::FastSet<String>) -> String {
    let is_bundle = is_bundle(name, doc.rel_dir(), index_dirs);
    if is_bundle && doc.rel_dir().is_empty() && doc.meta.slug.is_none() {
        // `content/index.md` would be the home page: let the collision with it be reported.
        return String::new();
    }
    let (dir, own) = if is_bundle {
        let dir = doc.rel_dir();
        let (parent, last) = dir.rsplit_once('/').unwrap_or(("", dir));
        (parent.to_string(), last.to_string())
    } else {
        (doc.rel_dir().to_string(), name.to_string())
    };
    let slug = doc.meta.slug.clone().unwrap_or_else(|| {
        let s = crate::slug::slugify(&own);
        if s.is_empty() { "strona".into() } else { s }
    });
    format!("{}{slug}/", paths::dir_url_path(&dir))
}

fn slug_location(doc: &Document) -> Location {
    if let Some((_, line)) = &doc.meta.url {
        return Location::from_line_col(&doc.display_path, &doc.text, line + 1, 1);
    }
    let line = doc
        .text
        .lines()
        .position(|l| l.starts_with("slug:"))
        .map_or(1, |i| i + 1);
    Location::from_line_col(&doc.display_path, &doc.text, line, 1)
}

/// What sorting needs to know of a page.
pub(crate) fn sort_key(page: &Page) -> order::SortKey<'_> {
    order::SortKey {
        date: page.doc.meta.date.as_ref(),
        weight: page.doc.meta.weight,
        title: &page.title,
        folded: &page.sort_title,
        path: &page.doc.rel_path,
    }
}

/// Whether Markdown has a `[[wiki link]]`.
fn has_wiki_link(rendered: &Rendered) -> bool {
    rendered.links.iter().any(|l| l.wiki)
}

/// The component calls of `doc` that failed and its formulas that do not parse, as errors at
/// their place.
fn body_errors(doc: &Document, rendered: &Rendered) -> Vec<Error> {
    let line_starts = std::cell::OnceCell::new();
    let components = rendered.component_errors.iter().map(|e| {
        Error::problem(
            ProblemKind::Component,
            e.failure.code,
            doc.body_location(e.offset, e.len, &line_starts),
            e.failure.message.clone(),
            e.failure.hint.clone(),
        )
    });
    let formulas = rendered.math_errors.iter().map(|e| {
        Error::problem(
            ProblemKind::Markdown,
            crate::codes::MATH_SYNTAX,
            doc.body_location(e.offset, e.len, &line_starts),
            format!(
                "the formula `{}` does not parse: {}",
                markdown::math::shown(&e.formula),
                e.message
            ),
            Some(markdown::math::HINT.into()),
        )
    });
    components.chain(formulas).collect()
}

/// What the `<img>` of an image written as `dest` in a file of folder `doc_dir` (its page at
/// `url_path`) carries: the size and copies of the picture when it is a file of the site.
fn image_attrs(
    dest: &str,
    doc_dir: &str,
    url_path: &str,
    index: &LinkIndex,
    images: &images::ImageTable,
) -> markdown::ImageAttrs {
    let path = match index.resolve(dest, doc_dir, url_path) {
        links::Resolved::Content {
            target: ContentTarget::Attachment,
            url,
            ..
        } => url
            .strip_prefix(index.base_path.as_str())
            .map(|p| p.split(['?', '#']).next().unwrap_or(p).to_string()),
        links::Resolved::SitePath { path, .. } => Some(path),
        _ => None,
    };
    path.map(|p| images.attrs(&p)).unwrap_or_default()
}

fn render_doc(
    doc: &Document,
    lang: Language,
    url_path: &str,
    index: &LinkIndex,
    images: &images::ImageTable,
) -> Rendered {
    let dir = doc.rel_dir();
    let rewrite = |dest: &str| index.rewrite(dest, dir, url_path);
    let wiki = |text: &str| index.resolve_wiki(text, lang);
    let image = |dest: &str| image_attrs(dest, dir, url_path, index, images);
    markdown::render(
        doc.body(),
        &markdown::Options {
            lang,
            drop_title_heading: doc.meta.title.is_none(),
            rewrite_link: &rewrite,
            resolve_wiki: &wiki,
            typography: index.typography,
            raw_html: index.raw_html,
            components: index
                .components
                .as_ref()
                .map(|c| &*c.engine as &dyn markdown::component_calls::Components),
            image_attrs: &image,
            highlights: &index.highlights,
        },
    )
}

/// A site built from `(path under content/, file text)` pairs with the default config, for
/// unit tests of what is worked out from the model.
#[cfg(test)]
pub(crate) fn test_site(files: &[(&str, &str)], options: SiteOptions) -> Site {
    let documents = files
        .iter()
        .map(|(rel, text)| {
            let doc = crate::content::load::parse_document(
                rel,
                std::path::Path::new("content").join(rel),
                text.to_string(),
                &[],
            )
            .unwrap_or_else(|e| panic!("{rel}: {e:?}"));
            Arc::new(doc)
        })
        .collect();
    let content = Content {
        documents,
        ..Default::default()
    };
    Site::build(Config::default(), content, Vec::new(), options).expect("site builds")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanized_file_names() {
        assert_eq!(humanize("podstawy-seo"), "Podstawy seo");
    }
}
