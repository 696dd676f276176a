//! What each output file's template sees, said once per job.
//!
//! A job ([`Job`]) lists its [`Input`]s: the parts of the model its template reads, each of
//! which is one variable of the template's context (`page`, `nav`, `seo`, `paginator`…).
//! Rendering builds the context from these inputs and nothing else, and fingerprinting hashes
//! the same inputs, so a value cannot be shown without being part of the fingerprint: a part
//! left out of a job's inputs is missing from its page too. Within one input, what its value
//! shows ([`Input::value`]) and what its fingerprint covers ([`Input::hash`]) are written side
//! by side; the random-edit property test of the live rebuild checks that they agree.

use std::hash::Hash;

use tera::Value;

use super::fingerprint::{self, Prints};
use super::nav::Current;
use super::seo::HeadOf;
use super::{Job, Renderer, Shared, context, lists};
use crate::config::Language;
use crate::hash::Fingerprinter;
use crate::paths;
use crate::site::feeds::FeedOf;
use crate::site::{Site, order};

/// What every page of a job starts from: its language, the language of the part of the site
/// it belongs to (they differ only for a home page of another language), and its address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Base {
    /// The language of the page (`lang`, the interface strings `t`).
    pub(crate) lang: Language,
    /// The language whose `site` value and home links the page shows.
    pub(crate) tree: Language,
    /// The output path the page is at (`current_url`, `current_permalink`).
    pub(crate) path: String,
}

/// One part of the model a job's template reads; each is one context variable.
#[derive(Debug, Clone)]
pub(crate) enum Input<'s> {
    /// `page`: an article with everything `page.html` shows of it.
    Page(usize),
    /// `page`: only an article's title and address (its backlinks pages).
    PageLink(usize),
    /// `languages`: the other versions of an article.
    PageVersions(usize),
    /// `section`: a section with its ancestry and subsections.
    Section(usize),
    /// `languages`: the other versions of a section.
    SectionVersions(usize),
    /// `nav`: the sidebar as seen from a page or section.
    Nav(Current),
    /// `seo`: what the head tells search engines and social networks.
    Seo(HeadOf),
    /// `paginator`: list page `k` of `items`, whose list pages start at `base`.
    Paginator {
        /// The address of the list's first page.
        base: String,
        /// Every item of the list, in order.
        items: &'s [usize],
        /// Items per list page (0: all on one).
        per_page: usize,
        /// The list page, from 1.
        k: usize,
    },
    /// `home`: a home page's sections with their newest articles, and the tag cloud.
    Home(usize),
    /// `taxonomy`: a taxonomy with its list of terms.
    Taxonomy(usize),
    /// `taxonomy` on a term's page: the same value, fingerprinted as far as the term
    /// template reads it (see [`Prints`]).
    TermTaxonomy(usize),
    /// `term`: one term of a taxonomy.
    Term(usize, usize),
    /// `backlinks`: list page `k` of the articles linking to an article.
    BacklinksPager(usize, usize),
    /// `feed`: the newest articles of a language, a section or a term.
    Feed(FeedOf),
    /// `entries`: every address of the sitemap.
    Sitemap,
    /// A redirect page (no template): where alias `i` leads.
    Redirect(usize),
    /// `llms.txt` of a language (no template): its sections and their articles' links.
    LlmsIndex(Language),
    /// `llms-full.txt` of a language (no template): its articles' Markdown.
    LlmsFull(Language),
}

impl Job {
    /// The language and address every page of this job starts from.
    pub(crate) fn base(self, site: &Site) -> Base {
        let (lang, tree, path) = match self {
            Job::Page(id) => {
                let p = &site.pages[id];
                (p.lang, p.lang, p.path.clone())
            }
            Job::SectionPager(id, k) => {
                let s = &site.sections[id];
                (s.lang, s.tree, order::pager_path(&s.path, k))
            }
            Job::TaxonomyList(t) => {
                let tax = &site.taxonomies[t];
                (tax.lang, tax.lang, tax.path())
            }
            Job::TermPager(t, term, k) => {
                let tax = &site.taxonomies[t];
                let base = tax.term_path(&tax.terms[term]);
                (tax.lang, tax.lang, order::pager_path(&base, k))
            }
            Job::Backlinks(id, k) => {
                let p = &site.pages[id];
                let base = paths::backlinks_path(&p.path);
                (p.lang, p.lang, order::pager_path(&base, k))
            }
            Job::Alias(i) => {
                let lang = site.config.language;
                (lang, lang, site.aliases[i].file.clone())
            }
            Job::NotFound => (
                site.config.language,
                site.config.language,
                "404.html".into(),
            ),
            Job::Feed(feed, format) => {
                let lang = site.feed_lang(feed);
                (lang, lang, site.feed_path_of(feed, format))
            }
            Job::Sitemap => (
                site.config.language,
                site.config.language,
                "sitemap.xml".into(),
            ),
            Job::Robots => (
                site.config.language,
                site.config.language,
                "robots.txt".into(),
            ),
            Job::SearchPage(lang) => (lang, lang, site.search_dir(lang)),
            Job::LlmsTxt(lang) | Job::LlmsFull(lang) => (lang, lang, super::job_path(site, self)),
        };
        Base { lang, tree, path }
    }

    /// Everything this job's template reads besides the site-wide values (`site`, `t`, the
    /// config) and its [`Base`]: rendering and fingerprinting both take the context from here.
    pub(crate) fn inputs(self, site: &Site) -> Vec<Input<'_>> {
        match self {
            Job::Page(id) => {
                let mut inputs = Vec::with_capacity(4);
                if !site.pages[id].translations.is_empty() {
                    inputs.push(Input::PageVersions(id));
                }
                inputs.extend([
                    Input::Page(id),
                    Input::Nav(Current::Page(id)),
                    Input::Seo(HeadOf::Page(id)),
                ]);
                inputs
            }
            Job::SectionPager(id, k) => {
                let s = &site.sections[id];
                let mut inputs = Vec::with_capacity(6);
                if !s.translations.is_empty() {
                    inputs.push(Input::SectionVersions(id));
                }
                inputs.extend([
                    Input::Section(id),
                    Input::Nav(Current::Section(id)),
                    Input::Seo(HeadOf::Section(id, k)),
                    Input::Paginator {
                        base: s.path.clone(),
                        items: &s.pages,
                        per_page: s.paginate_by,
                        k,
                    },
                ]);
                if s.parent.is_none() {
                    inputs.push(Input::Home(id));
                }
                inputs
            }
            Job::TaxonomyList(t) => vec![Input::Taxonomy(t), Input::Seo(HeadOf::TaxonomyList(t))],
            Job::TermPager(t, term, k) => {
                let tax = &site.taxonomies[t];
                let term_value = &tax.terms[term];
                vec![
                    Input::TermTaxonomy(t),
                    Input::Seo(HeadOf::Term(t, term, k)),
                    Input::Term(t, term),
                    Input::Paginator {
                        base: tax.term_path(term_value),
                        items: &term_value.pages,
                        per_page: site.config.paginate_by,
                        k,
                    },
                ]
            }
            Job::Backlinks(id, k) => vec![
                Input::PageLink(id),
                Input::BacklinksPager(id, k),
                Input::Seo(HeadOf::Backlinks(id, k)),
            ],
            Job::Alias(i) => vec![Input::Redirect(i)],
            Job::NotFound => vec![Input::Seo(HeadOf::NotFound)],
            Job::Feed(feed, _) => vec![Input::Feed(feed)],
            Job::Sitemap => vec![Input::Sitemap],
            Job::Robots => Vec::new(),
            Job::SearchPage(lang) => vec![Input::Seo(HeadOf::Search(lang))],
            Job::LlmsTxt(lang) => vec![Input::LlmsIndex(lang)],
            Job::LlmsFull(lang) => vec![Input::LlmsFull(lang)],
        }
    }
}

impl Input<'_> {
    /// The context variable this input is and its value, for the page at `base`; none for a
    /// redirect, which has no template.
    pub(super) fn value(
        &self,
        renderer: &Renderer,
        shared: &Shared<'_>,
        base: &Base,
    ) -> Option<(&'static str, Value)> {
        let site = shared.site;
        Some(match *self {
            Input::Page(id) => ("page", context::page_full(site, id, &|r| shared.summary(r))),
            Input::PageLink(id) => ("page", context::page_link(site, id)),
            Input::PageVersions(id) => {
                let p = &site.pages[id];
                let versions = p.translations.iter().map(|&t| &site.pages[t]);
                let versions = versions.map(|v| (v.lang, v.path.as_str()));
                ("languages", context::language_links(site, p.lang, versions))
            }
            Input::Section(id) => ("section", context::section_value(site, id)),
            Input::SectionVersions(id) => {
                let s = &site.sections[id];
                let versions = s.translations.iter().map(|&t| &site.sections[t]);
                let versions = versions.map(|v| (v.tree, v.path.as_str()));
                ("languages", context::language_links(site, s.tree, versions))
            }
            Input::Nav(current) => ("nav", shared.nav.value(site, current)),
            Input::Seo(head) => ("seo", renderer.seo(site, head, &base.path, base.lang)),
            Input::Paginator {
                ref base,
                items,
                per_page,
                k,
            } => (
                "paginator",
                context::paginator(site, base, items, &|p| shared.summary(p), per_page, k),
            ),
            Input::Home(id) => ("home", lists::home_value(shared, id)),
            Input::Taxonomy(t) | Input::TermTaxonomy(t) => {
                ("taxonomy", shared.taxonomies[t].clone())
            }
            Input::Term(t, term) => {
                let tax = &site.taxonomies[t];
                let term = &tax.terms[term];
                let base = tax.term_path(term);
                (
                    "term",
                    context::map(vec![
                        ("name", Value::from(term.name.as_str())),
                        ("slug", Value::from(term.slug.as_str())),
                        ("url", Value::from(site.url(&base))),
                        ("permalink", Value::from(site.permalink(&base))),
                        ("count", Value::from(term.pages.len())),
                    ]),
                )
            }
            Input::BacklinksPager(id, k) => {
                let base = paths::backlinks_path(&site.pages[id].path);
                ("backlinks", context::backlinks_pager(site, id, &base, k))
            }
            Input::Feed(feed) => ("feed", lists::feed_value(shared, feed, &base.path)),
            Input::Sitemap => ("entries", lists::sitemap_entries(site)),
            Input::Redirect(_) | Input::LlmsIndex(_) | Input::LlmsFull(_) => return None,
        })
    }

    /// Hashes what [`Input::value`] shows, from the model objects it is made of (documents
    /// and rendered Markdown by their own fingerprints, so no text is hashed again).
    pub(super) fn hash(&self, shared: &Shared<'_>, prints: &Prints, h: &mut Fingerprinter) {
        let site = shared.site;
        std::mem::discriminant(self).hash(h);
        match *self {
            Input::Page(id) => fingerprint::page_full(site, prints, id, h),
            Input::PageLink(id) => {
                let p = &site.pages[id];
                (&p.title, &p.path).hash(h);
            }
            Input::PageVersions(id) => {
                let p = &site.pages[id];
                p.lang.hash(h);
                for &t in &p.translations {
                    let v = &site.pages[t];
                    (v.lang, &v.path).hash(h);
                }
            }
            Input::Section(id) => fingerprint::section(site, prints, id, h),
            Input::SectionVersions(id) => {
                let s = &site.sections[id];
                s.tree.hash(h);
                for &t in &s.translations {
                    let v = &site.sections[t];
                    (v.tree, &v.path).hash(h);
                }
            }
            Input::Nav(current) => shared.nav.hash_for(site, current, h),
            Input::Seo(head) => fingerprint::head(site, prints, head, h),
            Input::Paginator {
                ref base,
                items,
                per_page,
                k,
            } => {
                base.hash(h);
                fingerprint::pager_items(site, prints, items, per_page, k, h);
            }
            Input::Home(id) => fingerprint::home(shared, prints, site.sections[id].tree, h),
            Input::Taxonomy(t) => prints.taxonomy(t).hash(h),
            Input::TermTaxonomy(t) => prints.term_taxonomy(site, t).hash(h),
            Input::Term(t, term) => {
                let term = &site.taxonomies[t].terms[term];
                (&term.name, &term.slug, term.pages.len()).hash(h);
            }
            Input::BacklinksPager(id, k) => fingerprint::backlinks_pager(site, prints, id, k, h),
            Input::Feed(feed) => fingerprint::feed(site, prints, feed, h),
            Input::Sitemap => fingerprint::sitemap(site, h),
            Input::Redirect(i) => (&site.aliases[i].file, &site.aliases[i].to_path).hash(h),
            Input::LlmsIndex(lang) | Input::LlmsFull(lang) => super::llms::hash(site, lang, h),
        }
    }
}
