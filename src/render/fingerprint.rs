//! What each output file is made from, as a hash: a rebuild renders again only the files
//! whose fingerprint changed.
//!
//! A fingerprint covers the site-wide values (config, the `site` navigation, the templates),
//! the job's template, its base (language and address) and every input the job declares
//! ([`super::inputs`]), which are the same inputs its context is made from. Here are the
//! hashes of the model objects those inputs show (a page's document and rendered Markdown,
//! a section's ancestry, a list's items, neighbours' titles, list items' summaries).
//! Documents and rendered Markdown carry their own fingerprints, so no text is hashed again.
//! The incremental property test compares every output of a rebuild with a clean build,
//! which catches a hash that misses part of what its input shows.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use tera::Value;

use super::seo::HeadOf;
use super::{Job, Shared};
use crate::config::Language;
use crate::hash::{Fingerprinter, fingerprinter};
use crate::site::Site;
use crate::site::feeds::FeedOf;

/// The variable and its field through which templates read the site's data files
/// (`site.data`): a page renders again after a data file changed only when its templates may
/// read them ([`reads_data`]).
const DATA: (&str, &str) = ("site", "data");

/// Fingerprints shared by many jobs, worked out once per render.
pub(super) struct Prints {
    /// Everything every output file depends on.
    global: u64,
    /// The templates of each template name a job renders with, by name.
    templates: crate::hash::FastMap<&'static str, u64>,
    /// The same for templates named in front matter.
    custom: std::sync::Mutex<HashMap<String, u64>>,
    sources: HashMap<String, (PathBuf, String)>,
    /// The hash of the data files, part of the fingerprint of each template that reads them.
    data: u64,
    /// What lists show of each page, worked out when first needed.
    summaries: Vec<std::sync::OnceLock<u64>>,
    /// Each taxonomy's list of terms.
    taxonomies: Vec<u64>,
    /// Each section's breadcrumbs: the sections from its home page down to it.
    ancestries: Vec<u64>,
    /// Whether term pages show the list of all terms (`taxonomy.terms`): when they do not, a
    /// new term, or a count that changed, does not render every term page again.
    term_pages_list_terms: bool,
}

impl Prints {
    /// The shared fingerprints of the render of `shared`.
    pub(super) fn new(
        shared: &Shared<'_>,
        global: u64,
        sources: &HashMap<String, (PathBuf, String)>,
        data: u64,
    ) -> Prints {
        let site = shared.site;
        let summaries = (0..site.pages.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let taxonomies = shared
            .taxonomies
            .iter()
            .map(|t| {
                let mut h = fingerprinter();
                format!("{t:?}").hash(&mut h);
                h.finish()
            })
            .collect();
        // The card's template is read by every article's head.
        let names = super::REQUIRED_TEMPLATES.iter().chain([
            &super::SEARCH_TEMPLATE,
            &super::BACKLINKS_TEMPLATE,
            &super::CARD_TEMPLATE,
        ]);
        let term_pages_list_terms = !reads_only(
            sources,
            "taxonomy_term.html",
            "taxonomy",
            &["name", "title", "url"],
        );
        let ancestries = (0..site.sections.len())
            .map(|id| {
                let mut h = fingerprinter();
                for a in site.ancestry(id) {
                    section_link(site, a, &mut h);
                }
                h.finish()
            })
            .collect();
        Prints {
            global,
            summaries,
            ancestries,
            term_pages_list_terms,
            taxonomies,
            templates: names
                .map(|n| (*n, template_print(sources, n, data)))
                .collect(),
            custom: std::sync::Mutex::new(HashMap::new()),
            sources: sources.clone(),
            data,
        }
    }

    /// Taxonomy `t` with its list of terms.
    pub(super) fn taxonomy(&self, t: usize) -> u64 {
        self.taxonomies[t]
    }

    /// `taxonomy` as term pages read it: the whole list of terms when their template shows
    /// it, else only what `taxonomy.name`, `.title` and `.url` are made from (besides the
    /// config), so a new term, or a count that changed, does not render every term page
    /// again.
    pub(super) fn term_taxonomy(&self, site: &Site, t: usize) -> u64 {
        if self.term_pages_list_terms {
            self.taxonomies[t]
        } else {
            let mut h = fingerprinter();
            site.taxonomies[t].name.hash(&mut h);
            h.finish()
        }
    }

    /// The fingerprint of the templates behind template `name`.
    fn template(&self, name: &str) -> u64 {
        if let Some(fp) = self.templates.get(name) {
            return *fp;
        }
        let mut custom = match self.custom.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        *custom
            .entry(name.to_string())
            .or_insert_with(|| template_print(&self.sources, name, self.data))
    }

    /// What lists show of page `id`.
    pub(super) fn summary(&self, site: &Site, id: usize) -> u64 {
        *self.summaries[id].get_or_init(|| {
            let mut h = fingerprinter();
            summary(site, id, &mut h);
            h.finish()
        })
    }
}

/// Everything every output file depends on (templates are per job, see [`templates`]),
/// including the hashes `asset_url` shows (`assets`) and every template that defines a
/// component: Tera lets any template use those without naming the file, so when one of them
/// may read `site.data`, every file depends on the data files (`data`) too. `site_values` are
/// the `site` values without `site.data`, which only the templates that read it depend on.
pub(super) fn global(
    site: &Site,
    site_values: &[Value],
    sources: &HashMap<String, (PathBuf, String)>,
    assets: u64,
    data: u64,
) -> u64 {
    let mut h = fingerprinter();
    format!("{:?}", site.config).hash(&mut h);
    // The hashes `asset_url` shows.
    assets.hash(&mut h);
    site.logo.hash(&mut h);
    for value in site_values {
        format!("{value:?}").hash(&mut h);
    }
    env!("CARGO_PKG_VERSION").hash(&mut h);
    let mut components: Vec<(&String, &String)> = sources
        .iter()
        .filter(|(_, (_, source))| defines_component(source))
        .map(|(name, (_, source))| (name, source))
        .collect();
    components.sort();
    components.hash(&mut h);
    if components
        .iter()
        .any(|(_, source)| may_read_field(&tag_code(source), DATA.0, DATA.1))
    {
        data.hash(&mut h);
    }
    h.finish()
}

fn defines_component(source: &str) -> bool {
    source.split("{%").skip(1).any(|tag| {
        tag.trim_start_matches('-')
            .trim_start()
            .starts_with("component")
    })
}

/// A hash of the template `name` as Tera resolves it (the site's own, else the theme's) and of
/// every template it extends, includes or imports, so that changing one template renders again
/// only the pages that use it.
pub(super) fn templates(sources: &HashMap<String, (PathBuf, String)>, name: &str) -> u64 {
    let mut h = fingerprinter();
    for (name, resolved) in closure(sources, name) {
        name.hash(&mut h);
        if let Some((key, source)) = resolved {
            key.hash(&mut h);
            source.hash(&mut h);
        }
    }
    h.finish()
}

/// [`templates`] of `name`, with the hash of the data files (`data`) when those templates may
/// read `site.data`: editing a price list renders again the pages that show it, no others.
fn template_print(sources: &HashMap<String, (PathBuf, String)>, name: &str, data: u64) -> u64 {
    let own = templates(sources, name);
    if reads_data(sources, name) {
        let mut h = fingerprinter();
        (own, data).hash(&mut h);
        h.finish()
    } else {
        own
    }
}

/// Whether the templates behind `name` (with what they extend, include and import) may read
/// `site.data`.
pub(super) fn reads_data(sources: &HashMap<String, (PathBuf, String)>, name: &str) -> bool {
    closure(sources, name)
        .into_iter()
        .filter_map(|(_, resolved)| resolved)
        .any(|(_, source)| may_read_field(&tag_code(source), DATA.0, DATA.1))
}

/// The code of a template: what its `{{ … }}` and `{% … %}` tags hold, one tag a line, with
/// the text of each string literal blanked out and comments (`{# … #}`) left out, so that a
/// name in the page's text, in a CSS class (`site-header`) or in a quoted path (`site.js`) is
/// no use of a variable.
fn tag_code(source: &str) -> String {
    let mut code = String::new();
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => {
                rest = after.find("#}").map_or("", |end| &after[end + 2..]);
                continue;
            }
            _ => {
                rest = after;
                continue;
            }
        };
        let body = &after[1..];
        let mut quote: Option<char> = None;
        let mut end = body.len();
        for (i, ch) in body.char_indices() {
            match quote {
                Some(q) => {
                    if ch == q {
                        quote = None;
                    }
                    code.push(' ');
                }
                None if body[i..].starts_with(close) => {
                    end = i;
                    break;
                }
                None if matches!(ch, '"' | '\'' | '`') => {
                    quote = Some(ch);
                    code.push(' ');
                }
                None => code.push(ch),
            }
        }
        code.push('\n');
        rest = body.get(end + close.len()..).unwrap_or("");
    }
    code
}

/// Whether template code (see [`tag_code`]) may read `var.field`: it names the variable
/// `var` followed by `.field`, or uses it in any way but through another field (`var.other`):
/// whole (`site | json_encode`), by index (`site["data"]`), under another name
/// (`{% set s = site %}`).
fn may_read_field(code: &str, var: &str, field: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(var).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = &code[at + var.len()..];
        // `x.site` is a field of another value, `my_site` another name.
        if before.is_some_and(|c| is_ident(c) || c == '.')
            || after.chars().next().is_some_and(is_ident)
        {
            return false;
        }
        match after.strip_prefix('.') {
            Some(rest) => {
                let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
                name.is_empty() || name == field
            }
            None => true,
        }
    })
}

/// Template `name` and every template it extends, includes or imports, each with the name
/// and source Tera resolves it to (none for a name with no template).
pub(super) fn closure<'a>(
    sources: &'a HashMap<String, (PathBuf, String)>,
    name: &str,
) -> Vec<(String, Option<(&'a str, &'a str)>)> {
    let mut found: Vec<(String, Option<(&str, &str)>)> = Vec::new();
    let mut todo = vec![name.to_string()];
    while let Some(name) = todo.pop() {
        if found.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let resolved = [name.clone(), format!("{}{name}", super::THEME_PREFIX)]
            .into_iter()
            .find_map(|n| sources.get_key_value(&n));
        let resolved = resolved.map(|(key, (_, source))| (key.as_str(), source.as_str()));
        if let Some((_, source)) = resolved {
            todo.extend(referenced_templates(source));
        }
        found.push((name, resolved));
    }
    found
}

/// Whether the templates behind `name` read variable `var` only through the fields
/// `fields` (`taxonomy.title`, never `taxonomy.terms` or `taxonomy` whole), so a fingerprint
/// may leave the rest of it out. Any other mention, even in plain text, counts as a use.
fn reads_only(
    sources: &HashMap<String, (PathBuf, String)>,
    name: &str,
    var: &str,
    fields: &[&str],
) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    closure(sources, name)
        .into_iter()
        .filter_map(|(_, resolved)| resolved)
        .all(|(_, source)| {
            source.match_indices(var).all(|(at, _)| {
                let before = source[..at].chars().next_back();
                let after = &source[at + var.len()..];
                let standalone =
                    !before.is_some_and(is_ident) && !after.chars().next().is_some_and(is_ident);
                !standalone
                    || after.strip_prefix('.').is_some_and(|rest| {
                        fields.iter().any(|f| {
                            rest.strip_prefix(f)
                                .is_some_and(|r| !r.chars().next().is_some_and(is_ident))
                        })
                    })
            })
        })
}

/// The names in `{% extends "…" %}`, `{% include "…" %}` and `{% import "…" %}` tags.
fn referenced_templates(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in source.split("{%").skip(1) {
        let tag = tag.trim_start_matches('-').trim_start();
        let is_reference = ["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k));
        if !is_reference {
            continue;
        }
        let quoted = tag.split(['"', '\'']).nth(1);
        if let Some(name) = quoted {
            names.push(name.to_string());
        }
    }
    names
}

/// A page as itself: its document, its Markdown, its title, address and language.
fn page(site: &Site, id: usize, h: &mut Fingerprinter) {
    let p = &site.pages[id];
    p.doc.fingerprint.hash(h);
    p.rendered.fingerprint.hash(h);
    p.title.hash(h);
    p.path.hash(h);
    p.lang.hash(h);
}

/// What a list shows of a page: the page and the section it links to.
fn summary(site: &Site, id: usize, h: &mut Fingerprinter) {
    page(site, id, h);
    section_link(site, site.pages[id].section, h);
}

fn section_link(site: &Site, id: usize, h: &mut Fingerprinter) {
    let s = &site.sections[id];
    s.title.hash(h);
    s.path.hash(h);
}

/// The sections from the home page down to `section`, as breadcrumbs show them.
fn ancestry(prints: &Prints, section: usize, h: &mut Fingerprinter) {
    prints.ancestries[section].hash(h);
}

/// `page` of `page.html`: the article, its breadcrumbs, its neighbours, the first of its
/// backlinks with the sentence around each link (its text is in the rendered fingerprint),
/// its related articles and its other versions.
pub(super) fn page_full(site: &Site, prints: &Prints, id: usize, h: &mut Fingerprinter) {
    page(site, id, h);
    let p = &site.pages[id];
    p.doc.rel_path.hash(h);
    ancestry(prints, p.section, h);
    for neighbour in [p.previous, p.next] {
        neighbour.is_some().hash(h);
        if let Some(n) = neighbour {
            site.pages[n].title.hash(h);
            site.pages[n].path.hash(h);
        }
    }
    p.backlinks.len().hash(h);
    for b in p.backlinks.iter().take(super::context::BACKLINKS_SHOWN) {
        prints.summary(site, b.from).hash(h);
        b.link.hash(h);
    }
    p.related.len().hash(h);
    for &r in &p.related {
        prints.summary(site, r).hash(h);
    }
    for &t in &p.translations {
        let v = &site.pages[t];
        (v.lang, &v.title, &v.path).hash(h);
    }
}

/// Which articles' own pages may show something of the articles `changed` after an edit to
/// nothing but their front matter that moved no file (`Site::with_new_front_matter`): the
/// changed ones and every page whose [`page_full`], [`head`] or sidebar
/// ([`super::nav::NavTree::hash_for`]) hashes a part of them. Those read other articles
/// through their section and the sections above it (neighbours, the sidebar's articles),
/// their backlinks, related articles and other versions, so nothing else can change. Keep
/// this beside the functions it follows: a page missing here keeps its old fingerprint and
/// its old bytes, which the live rebuild's property test catches.
///
/// When no title, short title or date changed (`relabelled` false), the sidebars and
/// neighbours around them show and order them as before, so their sections are not followed.
pub(super) fn pages_reading(site: &Site, changed: &[usize], relabelled: bool) -> Vec<bool> {
    let mut is_changed = vec![false; site.pages.len()];
    let mut sections_changed = vec![false; site.sections.len()];
    for &id in changed {
        is_changed[id] = true;
        sections_changed[site.pages[id].section] = relabelled;
    }
    // A sidebar and a page's neighbours show the articles of its section and of every section
    // above it.
    let section_shows: Vec<bool> = (0..site.sections.len())
        .map(|s| site.ancestry(s).iter().any(|&a| sections_changed[a]))
        .collect();
    site.pages
        .iter()
        .enumerate()
        .map(|(id, p)| {
            is_changed[id]
                || section_shows[p.section]
                || p.related.iter().any(|&r| is_changed[r])
                || p.backlinks.iter().any(|b| is_changed[b.from])
                || p.translations.iter().any(|&t| is_changed[t])
        })
        .collect()
}

/// A section as itself and as its list pages show it.
pub(super) fn section(site: &Site, prints: &Prints, id: usize, h: &mut Fingerprinter) {
    let s = &site.sections[id];
    s.doc.as_ref().map(|d| d.fingerprint).hash(h);
    s.rendered.fingerprint.hash(h);
    s.lang.hash(h);
    s.pages.len().hash(h);
    // The head links every translation.
    for &t in &s.translations {
        (&site.sections[t].title, &site.sections[t].path).hash(h);
    }
    ancestry(prints, id, h);
    for &sub in &s.subsections {
        section_link(site, sub, h);
        site.sections[sub]
            .doc
            .as_ref()
            .map(|d| d.fingerprint)
            .hash(h);
        site.sections[sub].pages.len().hash(h);
    }
}

/// `seo` of a page: what its head is made from.
pub(super) fn head(site: &Site, prints: &Prints, head: HeadOf, h: &mut Fingerprinter) {
    match head {
        HeadOf::Page(id) => {
            page(site, id, h);
            let p = &site.pages[id];
            ancestry(prints, p.section, h);
            for &t in &p.translations {
                (site.pages[t].lang, &site.pages[t].path).hash(h);
            }
            // The social picture: the article's own, or its card (whose name hashes what it
            // shows and its template).
            p.image.hash(h);
            prints.template(super::CARD_TEMPLATE).hash(h);
        }
        HeadOf::Section(id, k) => {
            section(site, prints, id, h);
            k.hash(h);
        }
        HeadOf::TaxonomyList(t) => {
            let tax = &site.taxonomies[t];
            (&tax.name, tax.lang).hash(h);
        }
        HeadOf::Term(t, term, k) => {
            let tax = &site.taxonomies[t];
            let term = &tax.terms[term];
            (&tax.name, tax.lang, &term.name, &term.slug, k).hash(h);
        }
        HeadOf::Backlinks(id, k) => {
            let p = &site.pages[id];
            (&p.title, &p.path, p.lang, k).hash(h);
        }
        HeadOf::Search(lang) => lang.hash(h),
        HeadOf::NotFound => {}
    }
}

/// List page `k` of the articles linking to page `id`.
pub(super) fn backlinks_pager(
    site: &Site,
    prints: &Prints,
    id: usize,
    k: usize,
    h: &mut Fingerprinter,
) {
    let p = &site.pages[id];
    (k, p.backlinks.len()).hash(h);
    let per_page = super::context::BACKLINKS_PER_PAGE;
    for b in p.backlinks.iter().skip((k - 1) * per_page).take(per_page) {
        prints.summary(site, b.from).hash(h);
        b.link.hash(h);
    }
}

/// The items of page `k` of a list of `items`.
pub(super) fn pager_items(
    site: &Site,
    prints: &Prints,
    items: &[usize],
    per_page: usize,
    k: usize,
    h: &mut Fingerprinter,
) {
    items.len().hash(h);
    per_page.hash(h);
    k.hash(h);
    let (start, end) = if per_page == 0 {
        (0, items.len())
    } else {
        ((k - 1) * per_page, (k * per_page).min(items.len()))
    };
    for &p in &items[start.min(items.len())..end] {
        prints.summary(site, p).hash(h);
    }
}

/// The fingerprint of one output file: the site-wide values, its template, its [`Base`] and
/// every input it declares ([`Job::inputs`]), the same ones its context is made from.
///
/// [`Base`]: super::inputs::Base
pub(super) fn job(shared: &Shared<'_>, prints: &Prints, job: Job) -> u64 {
    let site = shared.site;
    let mut h = fingerprinter();
    prints.global.hash(&mut h);
    // The same template rendering uses (see `Job::template`).
    if let Some(template) = job.template(site) {
        prints.template(template).hash(&mut h);
    }
    job.base(site).hash(&mut h);
    for input in job.inputs(site) {
        input.hash(shared, prints, &mut h);
    }
    h.finish()
}

/// What the sitemap lists ([`super::lists::sitemap_list`]), from the model rather than from
/// the list: its permalinks and formatted dates cost a string each, for every page of the site,
/// on every rebuild. Every value the list is made from is hashed, in page order (which only
/// makes the hash stricter than the sorted list).
pub(super) fn sitemap(site: &Site, h: &mut Fingerprinter) {
    let date = |p: &crate::site::Page| p.doc.meta.updated.or(p.doc.meta.date);
    for (id, p) in site.pages.iter().enumerate() {
        if !super::seo::page_noindex(site, id) {
            (&p.path, date(p)).hash(h);
        }
    }
    for (id, s) in site.sections.iter().enumerate() {
        if !super::seo::section_noindex(site, id) {
            let newest = s.pages.iter().filter_map(|&p| date(&site.pages[p])).max();
            (&s.path, newest).hash(h);
        }
    }
}

/// What a feed shows ([`super::lists::feed_value`]): what it is about (its section's title
/// and file, its term's names; the site's names are in the config) and what lists show of
/// each of its articles, whose document and Markdown hold their dates, description, tags and
/// text.
pub(super) fn feed(site: &Site, prints: &Prints, feed: FeedOf, h: &mut Fingerprinter) {
    // What the feed is of, not its index among terms, which a new term shifts.
    std::mem::discriminant(&feed).hash(h);
    match feed {
        FeedOf::Site(lang) => (lang, &site.sections[site.home(lang)].path).hash(h),
        FeedOf::Section(id) => {
            section_link(site, id, h);
            site.sections[id]
                .doc
                .as_ref()
                .map(|d| d.fingerprint)
                .hash(h);
        }
        FeedOf::Term(t, term) => {
            let tax = &site.taxonomies[t];
            let term = &tax.terms[term];
            (&tax.name, tax.lang, &term.name, &term.slug).hash(h);
        }
    }
    for p in site.feed_pages(feed) {
        prints.summary(site, p).hash(h);
    }
}

/// What the home page of `lang` shows besides its own list: every section of its language
/// with its newest articles, and the tag cloud.
pub(super) fn home(shared: &Shared<'_>, prints: &Prints, lang: Language, h: &mut Fingerprinter) {
    let site = shared.site;
    let sections = site.sections.iter().enumerate();
    for (id, s) in sections.filter(|(_, s)| s.tree == lang && s.parent.is_some()) {
        section_link(site, id, h);
        s.doc.as_ref().map(|d| d.fingerprint).hash(h);
        s.pages.len().hash(h);
        let mut newest = s.pages.clone();
        site.sort_newest_first(&mut newest);
        newest.truncate(5);
        for p in newest {
            prints.summary(site, p).hash(h);
        }
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        if tax.name == "tags" && tax.lang == lang {
            prints.taxonomies[t].hash(h);
        }
    }
    for &p in site.recently_updated(lang, super::lists::RECENTLY_UPDATED) {
        prints.summary(site, p).hash(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(pairs: &[(&str, &str)]) -> HashMap<String, (PathBuf, String)> {
        pairs
            .iter()
            .map(|(n, s)| (n.to_string(), (PathBuf::from(n), s.to_string())))
            .collect()
    }

    #[test]
    fn a_template_covers_what_it_extends_and_includes() {
        let a = sources(&[
            (
                "__theme/base.html",
                "<html>{% block c %}{% endblock c %}</html>",
            ),
            (
                "__theme/page.html",
                "{% extends \"base.html\" %}{%- include 'partials/x.html' %}",
            ),
            ("__theme/partials/x.html", "x"),
            ("__theme/atom.xml", "<feed/>"),
        ]);
        let mut b = a.clone();
        b.insert(
            "partials/x.html".into(),
            (PathBuf::new(), "site's own x".into()),
        );
        assert_ne!(templates(&a, "page.html"), templates(&b, "page.html"));
        assert_eq!(templates(&a, "atom.xml"), templates(&b, "atom.xml"));
        assert_eq!(
            referenced_templates("{%- extends \"base.html\" -%}{% include \"a.html\" %}{% if x %}"),
            ["base.html", "a.html"]
        );
        assert!(defines_component(
            "{%- component card(title) %}x{% endcomponent %}"
        ));
        assert!(!defines_component("{{<card />}}"));
    }

    #[test]
    fn templates_reading_site_data_are_found_in_their_code_only() {
        let reads = |page: &str| {
            let src = sources(&[
                (
                    "__theme/base.html",
                    "<header class=\"site-header\">{{ site.title }}</header>{% block c %}{% endblock c %}",
                ),
                ("__theme/page.html", page),
                (
                    "partials/ceny.html",
                    "{% for p in site.data.cennik.pakiety %}{{ p.nazwa }}{% endfor %}",
                ),
            ]);
            reads_data(&src, "page.html")
        };
        assert!(!reads(
            "{% extends \"base.html\" %}<p>Our site. {{ site.menu }}</p>"
        ));
        assert!(!reads(
            "{{ asset_url(path=\"site.js\") }}{# site.data #}{{ page.site }}{{ my_site }}"
        ));
        assert!(reads("{{ site.data.cennik.waluta }}"));
        assert!(
            reads("{% include \"partials/ceny.html\" %}"),
            "through an include"
        );
        assert!(
            reads("{% set s = site %}{{ s.data }}"),
            "under another name"
        );
        assert!(reads("{{ site[\"data\"] }}"));
        assert!(reads("{{ site | json_encode }}"));
        assert_eq!(
            tag_code("a {{ x(p='}}') }} b {% if y %}{# z #}c"),
            " x(p=    ) \n if y \n"
        );
    }

    #[test]
    fn a_variable_read_only_through_some_fields_is_told_apart() {
        let fields = &["name", "title", "url"];
        let only = |term: &str| {
            let src = sources(&[
                ("__theme/base.html", "<title>{{ taxonomy.title }}</title>"),
                ("__theme/taxonomy_term.html", term),
            ]);
            reads_only(&src, "taxonomy_term.html", "taxonomy", fields)
        };
        assert!(only(
            "{% extends \"base.html\" %}<a href=\"{{ taxonomy.url }}\">{{ taxonomy.name }}</a>"
        ));
        // `taxonomy_list.html` and `my_taxonomy` are other names.
        assert!(only("{% if my_taxonomy %}{{ taxonomy_list }}{% endif %}"));
        assert!(!only(
            "{% for t in taxonomy.terms %}{{ t.name }}{% endfor %}"
        ));
        assert!(!only("{{ taxonomy | json_encode }}"));
        assert!(!only("{{ taxonomy.titles }}"));
        assert!(!only("{{ taxonomy[\"terms\"] }}"));
        // What an included template does counts too.
        let included = sources(&[
            ("__theme/taxonomy_term.html", "{% include \"cloud.html\" %}"),
            ("cloud.html", "{{ taxonomy.terms | length }}"),
        ]);
        assert!(!reads_only(
            &included,
            "taxonomy_term.html",
            "taxonomy",
            fields
        ));
    }
}
