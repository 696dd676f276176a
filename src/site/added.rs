//! A new article put into the model in place, for the live preview: a file saved for the first
//! time in a folder that has its section already, with front matter that moves nothing else.
//!
//! Page ids are positions in the source order of the articles, so the new article's id is its
//! place in that order and every id after it moves up by one (see [`Site::make_room`]). The
//! model then equals what [`Site::build`] makes of the same content, which the preview's
//! property test holds; a rebuild of a 10,000-article model is avoided.

use std::sync::Arc;

use crate::codes;
use crate::content::{DocKind, Document};
use crate::error::Diagnostic;
use crate::hash::FastSet;

use super::links::ContentTarget;
use super::taxonomy::{self, Taxonomy};
use super::{Page, Site, folder_pages, order, trees};

/// What [`Site::with_new_article`] made of a new article.
#[derive(Debug)]
pub(crate) enum NewArticle {
    /// The model with the article in it.
    Added {
        /// The updated model (boxed: it is large).
        site: Box<Site>,
        /// The new article's id.
        page: usize,
    },
    /// The article reaches further than its own page, its section and its terms (a new
    /// folder, a translation, an alias, a draft, a link that may now resolve…): the model is
    /// handed back for a full rebuild. Its ids are consistent, so related articles can be
    /// carried over from it.
    NotInPlace(Arc<Site>),
}

/// The order of content paths in a walk of `content/`: folder by folder, names in order.
/// Pages are kept in this order, so it is also the order of page ids.
pub(crate) fn walk_key(rel: &str) -> String {
    rel.replace('/', "\0")
}

impl Site {
    /// The site with `doc`, an article new to it, added in place: its page, its place in its
    /// section and in the terms of its taxonomies, its links and the backlinks they give,
    /// every order and the warnings. Anything that could change another page's Markdown or
    /// output path (a folder page, a translation, an alias, a wiki link anywhere, a broken
    /// link that may now resolve, a new section or list page colliding) comes back as
    /// [`NewArticle::NotInPlace`].
    pub(crate) fn with_new_article(self: Arc<Site>, doc: &Arc<Document>) -> NewArticle {
        let Some(place) = self.place_of_new(doc) else {
            return NewArticle::NotInPlace(self);
        };
        let NewPlace {
            at,
            section,
            path,
            rendered,
        } = place;
        let lang = self.sections[section].tree;
        // The terms with the article in them, made before anything changes, so that a clash of
        // spellings or a list page colliding leaves the model as it was.
        let Some(taxonomies) = self.taxonomies_with(at, doc, lang) else {
            return NewArticle::NotInPlace(self);
        };
        let new_section_pager = {
            let s = &self.sections[section];
            let (before, after) = (
                order::pager_count(s.pages.len(), s.paginate_by),
                order::pager_count(s.pages.len() + 1, s.paginate_by),
            );
            (before + 1..=after)
                .filter(|&k| k >= 2)
                .map(|k| order::pager_path(&s.path, k))
                .collect::<Vec<_>>()
        };
        if new_section_pager
            .iter()
            .any(|p| self.rebuild.links.paths.contains(p))
        {
            return NewArticle::NotInPlace(self);
        }

        let mut site = Arc::unwrap_or_clone(self);
        if Arc::get_mut(&mut site.rebuild.links).is_none() {
            return NewArticle::NotInPlace(Arc::new(site));
        }
        site.make_room(at);
        let mut page = Page::placed(doc.clone(), path.clone(), lang, section, Arc::new(rendered));
        super::set_title(&mut page);
        site.pages.insert(at, page);
        site.sections[section].pages.push(at);
        if let Some(index) = Arc::get_mut(&mut site.rebuild.links) {
            index.add_content(
                doc.rel_path.clone(),
                (ContentTarget::Page(at), path.clone()),
            );
            index.page_paths.insert(path.clone(), at);
            index.add_path(path.clone());
            for pager in new_section_pager {
                index.add_path(pager);
            }
            index.add_wiki_names(doc, &path, lang, at);
        }

        // Its links: the pages they reach get a backlink.
        let docs = site.linking_docs();
        let mut checked = site.check_docs(&site.rebuild.links, &docs, &[at]);
        drop(docs);
        if !checked.errors.is_empty() {
            // The full build reports them.
            return NewArticle::NotInPlace(Arc::new(site));
        }
        let targets = checked.targets.pop().unwrap_or_default();
        let warnings = checked.warnings.pop().unwrap_or_default();
        let mut reached: Vec<usize> = targets.iter().map(|t| t.0).collect();
        reached.sort_unstable();
        reached.dedup();
        site.rebuild.link_targets.insert(at, targets);
        site.rebuild.link_warnings.insert(at, warnings);
        site.set_backlinks_of(&reached);

        if !site.move_term_pages(&taxonomies) {
            return NewArticle::NotInPlace(Arc::new(site));
        }
        let mut taxonomies = taxonomies;
        site.order_new_page(at, &mut taxonomies);
        site.taxonomies = taxonomies;
        site.recent = super::recent_with_new(
            &site.pages,
            &site.newest_rank,
            &site.languages,
            &site.recent,
            at,
        );
        site.link_signature = Some(site.rebuild.links.rewrite_signature());
        let before = std::mem::take(&mut site.warnings);
        site.warnings = match site.warnings_with_new(at, &reached, before) {
            Some(warnings) => warnings,
            None => site.all_warnings(),
        };
        NewArticle::Added {
            site: Box::new(site),
            page: at,
        }
    }

    /// [`Site::all_warnings`] once page `at` is new and links to the pages `reached`, made from
    /// the warnings `before` it came instead of a pass over every page: the pages it links to
    /// and their translations are no longer orphans, and its own editorial warnings go in at
    /// its place among the pages'. `None` when more may change: warnings about its links, its
    /// section's first article, diagrams on it.
    fn warnings_with_new(
        &self,
        at: usize,
        reached: &[usize],
        before: Vec<Diagnostic>,
    ) -> Option<Vec<Diagnostic>> {
        let page = &self.pages[at];
        // The other pages' links have no warning (`place_of_new` left those to the full build).
        if self
            .rebuild
            .link_warnings
            .get(at)
            .is_some_and(|w| !w.is_empty())
            || page.rendered.features.diagrams
            || self.sections[page.section].pages.len() < 2
        {
            return None;
        }
        let linked = self.linked(&self.rebuild.link_targets);
        let now_linked: FastSet<&std::path::Path> = reached
            .iter()
            .flat_map(|&id| std::iter::once(id).chain(self.pages[id].translations.iter().copied()))
            .filter(|&id| id != at)
            .map(|id| self.pages[id].doc.display_path.as_path())
            .collect();
        let mut own = Vec::new();
        self.page_editorial_warnings(at, &linked, &mut own);
        // Page warnings come in page order (the order of `walk_key`), after the model's own
        // (no link has a warning) and before the sections' and the site's.
        let before_new = |w: &Diagnostic| {
            matches!(w.code, codes::ORPHAN_PAGE | codes::NO_DESCRIPTION)
                && w.location.as_ref().is_some_and(|l| {
                    walk_order(&l.path, &page.doc.display_path) == std::cmp::Ordering::Less
                })
        };
        let start = self.rebuild.base_warnings.len();
        let mut warnings = Vec::with_capacity(before.len() + own.len());
        let mut own = Some(own);
        for (i, w) in before.into_iter().enumerate() {
            if i >= start {
                if own.is_some() && !before_new(&w) {
                    warnings.extend(own.take().into_iter().flatten());
                }
                let freed = w.code == codes::ORPHAN_PAGE
                    && w.location
                        .as_ref()
                        .is_some_and(|l| now_linked.contains(l.path.as_path()));
                if freed {
                    continue;
                }
            }
            warnings.push(w);
        }
        warnings.extend(own.into_iter().flatten());
        debug_assert_eq!(
            warnings,
            self.all_warnings(),
            "the warnings moved in place differ from a pass over every page"
        );
        Some(warnings)
    }

    /// Where `doc` goes, when it can be added in place: its id, section, output path and
    /// rendered Markdown. `None` when it cannot (see [`Site::with_new_article`]).
    fn place_of_new(&self, doc: &Arc<Document>) -> Option<NewPlace> {
        let meta = &doc.meta;
        let plain = doc.kind == DocKind::Page
            && doc.warnings.is_empty()
            && folder_pages::folder_page_rank(doc).is_none()
            && doc.language_suffix().1.is_none()
            && meta.lang.is_none()
            && !meta.draft
            && meta.publish_date.is_none()
            && meta.expiry_date.is_none()
            && meta.file_date.is_none()
            && meta.aliases.is_empty()
            && meta.url.is_none()
            && meta.image.is_none()
            && meta.template.is_none();
        let index = &self.rebuild.links;
        if !plain
            || index.content.contains_key(&doc.rel_path)
            || index.drafts.contains(&doc.rel_path)
        {
            return None;
        }
        let dir = doc.rel_dir();
        let stem = doc.stem();
        let lang = self.config.language;
        let section = self
            .sections
            .iter()
            .position(|s| s.tree == lang && s.rel_dir == dir)?;
        // Another file of the same name with a language code would become its translation.
        let folder = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        // Language codes are read in any letter case (`cennik.EN.md`).
        let versions = ["pl", "en", "PL", "EN", "Pl", "pL", "En", "eN"]
            .iter()
            .any(|code| {
                let rel = format!("{folder}{stem}.{code}.md");
                index.content.contains_key(&rel) || index.drafts.contains(&rel)
            });
        // A folder page (`README.md`, `index.md`) above it with no article below it yet would
        // become its folder's section page; with articles in the section already, none can.
        let reshapes = self.sections[section].pages.is_empty()
            && self.pages.iter().any(|p| {
                let p_dir = p.doc.rel_dir();
                let above = p_dir.is_empty()
                    || (dir.starts_with(p_dir)
                        && matches!(dir.as_bytes().get(p_dir.len()), None | Some(b'/')));
                above && folder_pages::folder_page_rank(&p.doc).is_some()
            });
        // A new wiki name may change where a wiki link goes, and a broken link may now
        // resolve: both change other pages' Markdown.
        if versions
            || reshapes
            || self.rebuild.wiki_docs > 0
            || self.rebuild.link_warnings.iter().any(|w| !w.is_empty())
        {
            return None;
        }
        let path = format!(
            "{}{}",
            trees::lang_prefix(&self.config, lang),
            super::page_path(doc, stem, &FastSet::default())
        );
        if path.is_empty() || index.paths.contains(&path) || index.page_paths.contains_key(&path) {
            return None;
        }
        let rendered = super::render_doc(doc, lang, &path, index, &self.images);
        if super::has_wiki_link(&rendered) || !super::body_errors(doc, &rendered).is_empty() {
            return None;
        }
        let key = walk_key(&doc.rel_path);
        let at = self
            .pages
            .partition_point(|p| walk_key(&p.doc.rel_path) < key);
        Some(NewPlace {
            at,
            section,
            path,
            rendered,
        })
    }

    /// The taxonomies once the article `doc`, of language `lang`, is page `at`: its terms
    /// moved in place ([`taxonomy::with_page_terms`]) on ids made room for. `None` when its
    /// spellings clash with others or a term's new list page or feed would take a path
    /// something else has.
    fn taxonomies_with(
        &self,
        at: usize,
        doc: &Document,
        lang: crate::config::Language,
    ) -> Option<Vec<Taxonomy>> {
        let terms_of = |meta: &'_ crate::content::Meta, name: &str| -> Vec<String> {
            meta.taxonomies.get(name).cloned().unwrap_or_default()
        };
        let moved: Vec<Taxonomy> = self
            .taxonomies
            .iter()
            .map(|tax| {
                let mut tax = tax.clone();
                for term in &mut tax.terms {
                    term.pages.iter_mut().for_each(|p| *p = shifted(*p, at));
                    term.clashes.iter_mut().for_each(|c| c.1 = shifted(c.1, at));
                }
                let now = terms_of(&doc.meta, &tax.name);
                if tax.lang != lang || now.is_empty() {
                    return Some(tax);
                }
                let empty: &[String] = &[];
                let pages_terms = |p: usize| -> &[String] {
                    let meta = match p.cmp(&at) {
                        std::cmp::Ordering::Less => &self.pages[p].doc.meta,
                        std::cmp::Ordering::Equal => &doc.meta,
                        std::cmp::Ordering::Greater => &self.pages[p - 1].doc.meta,
                    };
                    meta.taxonomies.get(&tax.name).map_or(empty, Vec::as_slice)
                };
                taxonomy::with_page_terms(&tax, at, &[], &now, &pages_terms)
            })
            .collect::<Option<_>>()?;
        // Term list pages (and feeds) that come with the article must not collide.
        let mut fresh = FastSet::default();
        let paginate_by = self.config.paginate_by;
        for (was, is) in self.taxonomies.iter().zip(&moved) {
            let was_counts = super::pager_counts(was, paginate_by);
            for (slug, count) in super::pager_counts(is, paginate_by) {
                let before = was_counts.get(slug).copied().unwrap_or(0);
                super::extend_pager_paths(
                    &mut fresh,
                    is,
                    slug,
                    (before, count),
                    self.config.section_feeds,
                );
            }
        }
        if fresh.iter().any(|p| self.rebuild.links.paths.contains(p)) {
            return None;
        }
        Some(moved)
    }

    /// Puts new page `at` in its place in every order, as [`super::order_everything`] would:
    /// its section's list (where it was put last) with its neighbours, the newest pages, and
    /// the lists of its terms (`taxonomies`, whose other lists keep their order: the ids
    /// around it moved up together). Orders are total, so a place found by bisection is the
    /// place a sort gives.
    fn order_new_page(&mut self, at: usize, taxonomies: &mut [Taxonomy]) {
        use std::cmp::Ordering;
        let pages = &mut self.pages;
        let section = &mut self.sections[pages[at].section];
        section.pages.retain(|&p| p != at);
        let sort_by = section.sort_by;
        let key = super::sort_key(&pages[at]);
        let place = section.pages.partition_point(|&p| {
            order::compare(sort_by, &super::sort_key(&pages[p]), &key) == Ordering::Less
        });
        section.pages.insert(place, at);
        let previous = place.checked_sub(1).map(|i| section.pages[i]);
        let next = section.pages.get(place + 1).copied();
        pages[at].previous = previous;
        pages[at].next = next;
        if let Some(p) = previous {
            pages[p].next = Some(at);
        }
        if let Some(n) = next {
            pages[n].previous = Some(at);
        }

        self.newest.iter_mut().for_each(|p| *p = shifted(*p, at));
        let key = super::sort_key(&pages[at]);
        let place = self.newest.partition_point(|&p| {
            order::compare(
                crate::content::SortBy::Date,
                &super::sort_key(&pages[p]),
                &key,
            ) == Ordering::Less
        });
        self.newest.insert(place, at);
        self.newest_rank = vec![0; pages.len()];
        for (rank, &p) in self.newest.iter().enumerate() {
            self.newest_rank[p] = rank;
        }
        let rank = &self.newest_rank;
        for term in taxonomies.iter_mut().flat_map(|t| t.terms.iter_mut()) {
            if let Some(i) = term.pages.iter().position(|&p| p == at) {
                term.pages.remove(i);
                let place = term.pages.partition_point(|&p| rank[p] < rank[at]);
                term.pages.insert(place, at);
            }
        }
    }

    /// Moves every page id from `at` on up by one, in every part of the model that holds
    /// one, leaving room for a new page `at`. The lists made from the ids afterwards (orders,
    /// the newest pages) are made again by the caller.
    fn make_room(&mut self, at: usize) {
        let up = |id: &mut usize| *id = shifted(*id, at);
        for p in &mut self.pages {
            p.previous.iter_mut().for_each(up);
            p.next.iter_mut().for_each(up);
            p.backlinks.iter_mut().for_each(|b| up(&mut b.from));
            p.related.iter_mut().for_each(up);
            p.translations.iter_mut().for_each(up);
        }
        for s in &mut self.sections {
            s.pages.iter_mut().for_each(up);
        }
        for tax in &mut self.taxonomies {
            for term in &mut tax.terms {
                term.pages.iter_mut().for_each(up);
                term.clashes.iter_mut().for_each(|c| up(&mut c.1));
            }
        }
        for targets in &mut self.rebuild.link_targets {
            targets.iter_mut().for_each(|t| up(&mut t.0));
        }
        if let Some(index) = Arc::get_mut(&mut self.rebuild.links) {
            for (target, _) in index.content.values_mut() {
                if let ContentTarget::Page(id) = target {
                    up(id);
                }
            }
            index.page_paths.values_mut().for_each(up);
            for claims in index.wiki.values_mut() {
                claims.iter_mut().for_each(|c| up(&mut c.page));
            }
        }
    }
}

/// Where a new article goes: see [`Site::place_of_new`].
struct NewPlace {
    at: usize,
    section: usize,
    path: String,
    rendered: crate::markdown::Rendered,
}

/// How two files' paths compare in the walk of `content/` ([`walk_key`]): folder by folder,
/// names in order, without making the keys.
fn walk_order(a: &std::path::Path, b: &std::path::Path) -> std::cmp::Ordering {
    a.components()
        .map(|c| c.as_os_str())
        .cmp(b.components().map(|c| c.as_os_str()))
}

/// Page id `id` once a page is put in at `at`.
fn shifted(id: usize, at: usize) -> usize {
    if id >= at { id + 1 } else { id }
}
