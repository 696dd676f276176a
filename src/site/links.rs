//! Link resolution: what a Markdown destination points at, and whether it exists.
//!
//! One [`LinkIndex`] answers for every page, first while Markdown is rendered (to rewrite
//! `../seo/podstawy.md` into its final URL) and again afterwards, when headings are known, to
//! check anchors. Both passes use the same [`LinkIndex::resolve`], so what is rewritten and
//! what is checked can never disagree.

use crate::hash::{FastMap, FastSet, stable_hash};

use crate::paths::{join_normalized, percent_decode};

/// What a content file became in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentTarget {
    /// An article (index into `Site::pages`).
    Page(usize),
    /// A section index (index into `Site::sections`).
    Section(usize),
    /// A file beside the articles that is copied as it is.
    Attachment,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// Another site, `mailto:` and the like: not checked here.
    External,
    /// `#anchor` on the same page.
    SamePage {
        /// The anchor, without `#`.
        anchor: String,
    },
    /// A content file (`.md` or a file beside an article).
    Content {
        /// What it is.
        target: ContentTarget,
        /// The URL to write instead of the destination.
        url: String,
        /// The anchor, without `#`.
        anchor: Option<String>,
    },
    /// A URL of the site written as a path (`../slug/`, `/tags/`).
    SitePath {
        /// The output path relative to the base path.
        path: String,
        /// A rewritten URL when the written one needed the base path.
        url: Option<String>,
        /// The anchor, without `#`.
        anchor: Option<String>,
    },
    /// A `.md` file that does not exist (`content/…` path).
    MissingContent {
        /// The content path that was looked for.
        rel_path: String,
    },
    /// An article that is a draft, left out of this build.
    Draft {
        /// Its content path.
        rel_path: String,
    },
    /// A site path that nothing is written to.
    MissingPath {
        /// The output path that was looked for.
        path: String,
    },
    /// A relative path that climbs above the site.
    Escapes,
}

/// Everything link resolution needs to know about the site.
#[derive(Debug, Default)]
pub(crate) struct LinkIndex {
    /// Content path (`seo/podstawy.md`) to its target and output path (`seo/podstawy/`).
    pub content: FastMap<String, (ContentTarget, String)>,
    /// Every output path: page folders (`seo/podstawy/`) and files (`style.css`).
    pub paths: FastSet<String>,
    /// Output folder paths of pages, to check anchors of links written as URLs.
    pub page_paths: FastMap<String, usize>,
    /// Content paths of drafts left out of this build.
    pub drafts: FastSet<String>,
    /// The site's base path, `/` or `/kb/`.
    pub base_path: String,
    /// What wiki links (`[[Tytuł]]`, `[[slug|etykieta]]`) name, as slugs of page titles and
    /// of the last part of page paths, with every page that claims the name in page order:
    /// the first page of each language keeps the name for that language (`cennik.md` and
    /// `cennik.en.md` are both `cennik`). Later claims are kept so that a title edit can give
    /// the name to the next page without going through every page again.
    pub(crate) wiki: FastMap<String, Vec<WikiClaim>>,
    /// The sum of the hashes of every claim in `wiki` (see [`LinkIndex::rewrite_signature`]),
    /// kept as claims come and go.
    pub(crate) wiki_sum: u64,
    /// Whether Markdown gets the typography of its language (from the config).
    pub typography: bool,
    /// Whether HTML written in Markdown passes as HTML (`raw_html` of the config).
    pub raw_html: bool,
    /// Whether a wiki link naming no article is a warning rather than an error (the live
    /// preview, where a half-typed link must not stop the page from showing).
    pub wiki_warnings: bool,
    /// Whether every broken link is a warning rather than an error (the editors' report,
    /// which lists them instead of stopping at them).
    pub link_warnings: bool,
    /// What renders component calls in Markdown.
    pub components: Option<crate::markdown::component_calls::SharedComponents>,
    /// Highlighted code of earlier blocks and builds.
    pub highlights: std::sync::Arc<crate::markdown::Highlights>,
    /// `paths` and `content` by their lower-cased form, made when a link first needs them.
    pub(crate) folded: std::sync::OnceLock<Folded>,
    /// The sums [`LinkIndex::rewrite_signature`] is made of, once
    /// [`LinkIndex::remember_signature`] made them, kept as paths come and go: a new article
    /// in a site of 10,000 then costs a few hashes instead of hashing every path again.
    pub(crate) sums: Option<EntrySums>,
}

/// The order-free sums of the entries a [`LinkSignature`] covers, and their counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct EntrySums {
    sum: u64,
    content: u64,
    paths: u64,
}

impl EntrySums {
    fn content(&mut self, rel: &str, out: &str, added: bool) {
        self.change(stable_hash(&[b"c", rel.as_bytes(), out.as_bytes()]), added);
        self.content = if added {
            self.content + 1
        } else {
            self.content - 1
        };
    }

    fn path(&mut self, path: &str, added: bool) {
        self.change(stable_hash(&[b"p", path.as_bytes()]), added);
        self.paths = if added {
            self.paths + 1
        } else {
            self.paths - 1
        };
    }

    fn change(&mut self, hash: u64, added: bool) {
        self.sum = if added {
            self.sum.wrapping_add(hash)
        } else {
            self.sum.wrapping_sub(hash)
        };
    }
}

/// Output and content paths by their lower-cased form, for links that differ from an address
/// only in letter case (`/docs/StrictMode` for `docs/strictmode/`). When two paths fold alike
/// the first in sorted order answers, so the choice never depends on hashing. Every path of
/// a fold is kept, so a path can come or go without folding every path again (a new article
/// in the live preview).
#[derive(Debug, Default)]
pub(crate) struct Folded {
    paths: FastMap<String, Vec<String>>,
    content: FastMap<String, Vec<String>>,
}

impl Folded {
    fn new(index: &LinkIndex) -> Folded {
        fn fold<'a>(keys: impl Iterator<Item = &'a String>) -> FastMap<String, Vec<String>> {
            let mut keys: Vec<&String> = keys.collect();
            keys.sort_unstable();
            let mut map: FastMap<String, Vec<String>> =
                FastMap::with_capacity_and_hasher(keys.len(), Default::default());
            for key in keys {
                map.entry(key.to_lowercase()).or_default().push(key.clone());
            }
            map
        }
        Folded {
            paths: fold(index.paths.iter()),
            content: fold(index.content.keys()),
        }
    }

    /// The path that answers for `lower`, a lower-cased path.
    fn first<'m>(map: &'m FastMap<String, Vec<String>>, lower: &str) -> Option<&'m String> {
        map.get(lower).and_then(|all| all.first())
    }

    fn add(map: &mut FastMap<String, Vec<String>>, key: &str) {
        let all = map.entry(key.to_lowercase()).or_default();
        if let Err(at) = all.binary_search_by(|k| k.as_str().cmp(key)) {
            all.insert(at, key.to_string());
        }
    }

    fn remove(map: &mut FastMap<String, Vec<String>>, key: &str) {
        let lower = key.to_lowercase();
        if let Some(all) = map.get_mut(&lower) {
            all.retain(|k| k != key);
            if all.is_empty() {
                map.remove(&lower);
            }
        }
    }
}

/// A page's claim to a wiki name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WikiClaim {
    /// The page's language.
    pub(crate) lang: crate::config::Language,
    /// The page's output path, where a wiki link with the name goes.
    pub(crate) path: String,
    /// The page's id: claims are in page order.
    pub(crate) page: usize,
}

/// What the rewriting of links depends on, in two parts: a title edit changes what wiki links
/// name but not where path links go, so it checks only the wiki links of cached Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSignature {
    /// Content paths, output paths, drafts, base path and typography.
    pub paths: u64,
    /// The names wiki links may use, base path and typography.
    pub wiki: u64,
}

fn has_scheme(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

impl LinkIndex {
    /// Resolves `dest` written in the file whose folder is `doc_dir` (inside `content/`) and
    /// whose page lives at `url_path` (relative to the base path, ending in `/`).
    pub(crate) fn resolve(&self, dest: &str, doc_dir: &str, url_path: &str) -> Resolved {
        let url_path = crate::paths::url_dir(url_path);
        let dest = dest.trim();
        if dest.is_empty() || has_scheme(dest) {
            return Resolved::External;
        }
        let (before_anchor, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, (!a.is_empty()).then(|| a.to_string())),
            None => (dest, None),
        };
        let (raw_path, query) = match before_anchor.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (before_anchor, None),
        };
        // Editors write `moja%20strona.md`; the file is `moja strona.md`.
        let decoded = percent_decode(raw_path);
        let path = decoded.as_str();
        if path.is_empty() && query.is_none() {
            return match anchor {
                Some(anchor) => Resolved::SamePage { anchor },
                None => Resolved::External,
            };
        }
        let with_anchor = |url: String| {
            let mut url = url;
            if let Some(q) = query {
                url.push('?');
                url.push_str(q);
            }
            if let Some(a) = &anchor {
                url.push('#');
                url.push_str(a);
            }
            url
        };
        // 1. A content file, relative to the Markdown file (or to content/ when absolute).
        let absolute = path.starts_with('/');
        let content_rel = if absolute {
            join_normalized("", path)
        } else {
            join_normalized(doc_dir, path)
        };
        match content_rel.map(|r| r.trim_end_matches('/').to_string()) {
            Some(rel) => {
                // Exact first: other letter case is looked up only for what is not found, so
                // the links of a site written for kbsite never pay for it.
                let found = match self.content.get(&rel) {
                    Some(found) => Some(found),
                    None if path.ends_with(".md") && !self.drafts.contains(&rel) => {
                        self.content_file(&rel)
                    }
                    None => None,
                };
                if let Some((target, out_path)) = found {
                    return Resolved::Content {
                        target: *target,
                        url: with_anchor(format!("{}{out_path}", self.base_path)),
                        anchor,
                    };
                }
                if self.drafts.contains(&rel) {
                    return Resolved::Draft { rel_path: rel };
                }
                if path.ends_with(".md") {
                    return Resolved::MissingContent { rel_path: rel };
                }
            }
            None if path.ends_with(".md") => return Resolved::Escapes,
            // Not a content file; it may still be a URL relative to the page (`../../x/`).
            None => {}
        }
        // 2. A URL of the site, relative to the page's URL or to the base path.
        let (site_path, rewritten) = if absolute {
            match path.strip_prefix(self.base_path.as_str()) {
                Some(inside) => (join_normalized("", inside), false),
                // `/tags/` on a site at `/kb/`: the author meant the site's own `/kb/tags/`.
                None => (join_normalized("", path), true),
            }
        } else {
            (join_normalized(url_path, path), false)
        };
        let Some(site_path) = site_path else {
            return Resolved::Escapes;
        };
        match self.find_path(&site_path) {
            Some(found) => {
                // A link that reaches a page only once normalised is written as the page's
                // own address, so readers land there without a redirect.
                let exact = found == site_path;
                Resolved::SitePath {
                    url: (rewritten || !exact)
                        .then(|| with_anchor(format!("{}{found}", self.base_path))),
                    path: found,
                    anchor,
                }
            }
            None => {
                // `intro` for `intro.md`, as Docusaurus and GitHub let authors write.
                if !absolute
                    && !path.ends_with('/')
                    && let Some(rel) = join_normalized(doc_dir, &format!("{path}.md"))
                    && let Some((target, out_path)) = self.content_file(&rel)
                {
                    return Resolved::Content {
                        target: *target,
                        url: with_anchor(format!("{}{out_path}", self.base_path)),
                        anchor,
                    };
                }
                Resolved::MissingPath { path: site_path }
            }
        }
    }

    /// A content file by its path, or by the path in other letter case.
    fn content_file(&self, rel: &str) -> Option<&(ContentTarget, String)> {
        self.content.get(rel).or_else(|| {
            let folded = Folded::first(&self.folded().content, &rel.to_lowercase())?;
            self.content.get(folded)
        })
    }

    fn folded(&self) -> &Folded {
        self.folded.get_or_init(|| Folded::new(self))
    }

    /// Adds an output path, keeping the folded paths and the signature's sums when they are
    /// made.
    pub(crate) fn add_path(&mut self, path: String) {
        if let Some(folded) = self.folded.get_mut() {
            Folded::add(&mut folded.paths, &path);
        }
        if let Some(sums) = &mut self.sums
            && !self.paths.contains(&path)
        {
            sums.path(&path, true);
        }
        self.paths.insert(path);
    }

    /// Takes an output path away, keeping the folded paths and the signature's sums when
    /// they are made.
    pub(crate) fn remove_path(&mut self, path: &str) {
        if let Some(folded) = self.folded.get_mut() {
            Folded::remove(&mut folded.paths, path);
        }
        if self.paths.remove(path)
            && let Some(sums) = &mut self.sums
        {
            sums.path(path, false);
        }
    }

    /// Adds a content file, keeping the folded paths and the signature's sums when they are
    /// made.
    pub(crate) fn add_content(&mut self, rel_path: String, target: (ContentTarget, String)) {
        if let Some(folded) = self.folded.get_mut() {
            Folded::add(&mut folded.content, &rel_path);
        }
        if let Some(sums) = &mut self.sums {
            sums.content(&rel_path, &target.1, true);
        }
        if let Some((_, old)) = self.content.insert(rel_path.clone(), target)
            && let Some(sums) = &mut self.sums
        {
            sums.content(&rel_path, &old, false);
        }
    }

    /// The output path a site path written in a link names, the way kbsite makes addresses:
    /// with or without the trailing slash, `index.html` or a `.html` suffix, in any letter
    /// case, or with each folder written as the words its slug is made of.
    fn find_path(&self, path: &str) -> Option<String> {
        if self.paths.contains(path) {
            return Some(path.to_string());
        }
        let trimmed = ["index.html", "index.htm"]
            .iter()
            .find_map(|i| {
                path.strip_suffix(i)
                    .filter(|d| d.is_empty() || d.ends_with('/'))
            })
            .unwrap_or(path);
        if trimmed.is_empty() {
            return Some(String::new());
        }
        let bare = trimmed.trim_end_matches('/');
        let mut candidates = vec![
            trimmed.to_string(),
            format!("{bare}/"),
            bare.to_string(),
            // A page written as a file (`permalink: docs/intro.html`) linked without `.html`.
            format!("{bare}.html"),
        ];
        for suffix in [".html", ".htm", ".md"] {
            if let Some(stem) = bare.strip_suffix(suffix).filter(|s| !s.is_empty()) {
                candidates.push(format!("{stem}/"));
            }
        }
        if let Some(found) = candidates.iter().find(|c| self.paths.contains(*c)) {
            return Some(found.clone());
        }
        let folded = &self.folded().paths;
        if let Some(found) = candidates
            .iter()
            .find_map(|c| Folded::first(folded, &c.to_lowercase()))
        {
            return Some(found.clone());
        }
        // `/docs/Getting Started` for `docs/getting-started/`.
        let slugged: Vec<String> = bare
            .split('/')
            .map(|part| {
                let part = [".html", ".htm", ".md"]
                    .iter()
                    .find_map(|s| part.strip_suffix(s))
                    .unwrap_or(part);
                crate::slug::slugify(part)
            })
            .collect();
        let slugged = format!("{}/", slugged.join("/"));
        self.paths.contains(&slugged).then_some(slugged)
    }

    /// A hash of everything [`LinkIndex::rewrite`] reads: two indexes with the same signature
    /// rewrite every link alike, so Markdown rendered with one is valid with the other.
    ///
    /// Made from the sums [`LinkIndex::remember_signature`] keeps when there are any (the
    /// same value: debug builds check it), else from every entry.
    pub(crate) fn rewrite_signature(&self) -> LinkSignature {
        let Some(sums) = self.sums else {
            return self.signature_of(self.entry_sums());
        };
        debug_assert_eq!(sums, self.entry_sums(), "the kept sums missed a change");
        self.signature_of(sums)
    }

    /// [`LinkIndex::rewrite_signature`], made from every entry, with its sums kept from now
    /// on: every later change to `content` and `paths` must go through
    /// [`LinkIndex::add_path`], [`LinkIndex::remove_path`] or [`LinkIndex::add_content`].
    pub(crate) fn remember_signature(&mut self) -> LinkSignature {
        let sums = self.entry_sums();
        self.sums = Some(sums);
        self.signature_of(sums)
    }

    /// The sums of every entry; a sum of entry hashes does not depend on the maps' order.
    fn entry_sums(&self) -> EntrySums {
        let mut sum = 0u64;
        for (rel, (_, out)) in &self.content {
            sum = sum.wrapping_add(stable_hash(&[b"c", rel.as_bytes(), out.as_bytes()]));
        }
        for path in &self.paths {
            sum = sum.wrapping_add(stable_hash(&[b"p", path.as_bytes()]));
        }
        for draft in &self.drafts {
            sum = sum.wrapping_add(stable_hash(&[b"d", draft.as_bytes()]));
        }
        EntrySums {
            sum,
            content: self.content.len() as u64,
            paths: self.paths.len() as u64,
        }
    }

    fn signature_of(&self, sums: EntrySums) -> LinkSignature {
        let common_bytes = self.common_bytes();
        LinkSignature {
            paths: stable_hash(&[
                &sums.sum.to_le_bytes(),
                &sums.content.to_le_bytes(),
                &sums.paths.to_le_bytes(),
                self.base_path.as_bytes(),
                common_bytes.as_slice(),
            ]),
            wiki: self.wiki_signature(),
        }
    }

    /// The part of [`LinkIndex::rewrite_signature`] that wiki names make: all a title edit
    /// changes.
    pub(crate) fn wiki_signature(&self) -> u64 {
        stable_hash(&[
            &self.wiki_sum.to_le_bytes(),
            self.base_path.as_bytes(),
            &self.common_bytes(),
        ])
    }

    /// What every rewritten link depends on besides paths and names.
    fn common_bytes(&self) -> Vec<u8> {
        let mut common = vec![u8::from(self.typography), u8::from(self.raw_html)];
        // Component templates and included files change what Markdown renders to.
        if let Some(c) = &self.components {
            common.extend_from_slice(&c.signature.to_le_bytes());
        }
        common
    }

    /// Registers the names wiki links may use for page `page` (of `doc`, in `lang`, at
    /// output `path`): the slug of its title and the last part of its path. Pages are
    /// registered in page order.
    pub(crate) fn add_wiki_names(
        &mut self,
        doc: &crate::content::Document,
        path: &str,
        lang: crate::config::Language,
        page: usize,
    ) {
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let title = doc.meta.title.as_deref().map(crate::slug::slugify);
        for name in title.into_iter().chain([last.to_string()]) {
            self.claim_wiki_name(name, path, lang, page);
        }
    }

    /// Moves page `page`'s claim from the slug of its old title to the slug of its new one,
    /// after a title edit, keeping every name's claims in page order.
    pub(crate) fn retitle_wiki_name(
        &mut self,
        old_title: Option<&str>,
        new_title: Option<&str>,
        path: &str,
        lang: crate::config::Language,
        page: usize,
    ) {
        let old = old_title.map(crate::slug::slugify);
        let new = new_title.map(crate::slug::slugify);
        if old == new {
            return;
        }
        if let Some(name) = old.filter(|n| !n.is_empty())
            && let Some(claims) = self.wiki.get_mut(&name)
            && let Some(at) = claims.iter().position(|c| c.page == page)
        {
            let claim = claims.remove(at);
            self.wiki_sum = self
                .wiki_sum
                .wrapping_sub(claim_hash(&name, claim.lang, &claim.path));
            if claims.is_empty() {
                self.wiki.remove(&name);
            }
        }
        if let Some(name) = new {
            self.claim_wiki_name(name, path, lang, page);
        }
    }

    fn claim_wiki_name(
        &mut self,
        name: String,
        path: &str,
        lang: crate::config::Language,
        page: usize,
    ) {
        if name.is_empty() {
            return;
        }
        self.wiki_sum = self.wiki_sum.wrapping_add(claim_hash(&name, lang, path));
        let claims = self.wiki.entry(name).or_default();
        let at = claims.partition_point(|c| c.page <= page);
        claims.insert(
            at,
            WikiClaim {
                lang,
                path: path.to_string(),
                page,
            },
        );
    }

    /// The output path of the page a wiki link's `name` (a slug) names for a page in `lang`:
    /// the page of that language, else the first page of another language.
    pub(crate) fn wiki_target(&self, name: &str, lang: crate::config::Language) -> Option<&str> {
        let claims = self.wiki.get(name)?;
        claims
            .iter()
            .find(|c| c.lang == lang)
            .or(claims.first())
            .map(|c| c.path.as_str())
    }

    /// The URL of the page a wiki link in a page of `lang` names (`Tytuł artykułu`, `slug`,
    /// either with `#kotwica`): titles and slugs compare as slugs, so case and diacritics do
    /// not matter; a name both languages have is the page in the linking page's language.
    pub(crate) fn resolve_wiki(&self, text: &str, lang: crate::config::Language) -> Option<String> {
        let (name, anchor) = match text.split_once('#') {
            Some((name, anchor)) => (name, Some(anchor)),
            None => (text, None),
        };
        let path = self.wiki_target(&crate::slug::slugify(name.trim()), lang)?;
        Some(match anchor {
            Some(anchor) => {
                // Written like a heading (`Słowa kluczowe`) or as its id (`slowa-kluczowe`).
                let anchor = anchor.trim();
                let is_id = anchor
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
                let anchor = if is_id {
                    anchor.to_string()
                } else {
                    crate::slug::slugify(anchor)
                };
                format!("{}{path}#{anchor}", self.base_path)
            }
            None => format!("{}{path}", self.base_path),
        })
    }

    /// What a recorded link is rewritten to now: [`LinkIndex::rewrite`] for Markdown links,
    /// [`LinkIndex::resolve_wiki`] for wiki links.
    pub(crate) fn rewrite_link(
        &self,
        link: &crate::markdown::Link,
        doc_dir: &str,
        url_path: &str,
        lang: crate::config::Language,
    ) -> Option<String> {
        if link.wiki {
            self.resolve_wiki(&link.dest, lang)
        } else {
            self.rewrite(&link.dest, doc_dir, url_path)
        }
    }

    /// The URL a Markdown destination should be rewritten to, if any.
    pub(crate) fn rewrite(&self, dest: &str, doc_dir: &str, url_path: &str) -> Option<String> {
        match self.resolve(dest, doc_dir, url_path) {
            Resolved::Content { url, .. } => Some(url),
            Resolved::SitePath { url, .. } => url,
            _ => None,
        }
    }
}

/// The hash of one claim to a wiki name, summed into the wiki signature.
fn claim_hash(name: &str, lang: crate::config::Language, path: &str) -> u64 {
    crate::hash::stable_hash(&[
        b"w",
        name.as_bytes(),
        lang.code().as_bytes(),
        path.as_bytes(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut idx = LinkIndex {
            base_path: "/kb/".into(),
            ..LinkIndex::default()
        };
        idx.content.insert(
            "seo/podstawy.md".into(),
            (ContentTarget::Page(0), "seo/podstawy/".into()),
        );
        idx.content.insert(
            "seo/wykres.png".into(),
            (ContentTarget::Attachment, "seo/wykres.png".into()),
        );
        idx.paths.extend([
            "seo/podstawy/".to_string(),
            "tags/".into(),
            "seo/wykres.png".into(),
        ]);
        idx.drafts.insert("seo/szkic.md".into());
        idx
    }

    #[test]
    fn a_retitled_page_gives_its_name_to_the_next_page_that_claims_it() {
        use crate::config::Language::Pl;
        let claims = |titles: &[(&str, &str)]| {
            let mut idx = index();
            for (page, (title, path)) in titles.iter().enumerate() {
                idx.claim_wiki_name(crate::slug::slugify(title), path, Pl, page);
            }
            idx
        };
        let before = [("Cennik", "a/"), ("Cennik", "b/"), ("Inny", "c/")];
        let mut idx = claims(&before);
        assert_eq!(idx.wiki_target("cennik", Pl), Some("a/"));
        idx.retitle_wiki_name(Some("Cennik"), Some("Nowy cennik"), "a/", Pl, 0);
        assert_eq!(idx.wiki_target("cennik", Pl), Some("b/"));
        assert_eq!(idx.wiki_target("nowy-cennik", Pl), Some("a/"));
        // The index a build with the new titles makes, signature included.
        let after = claims(&[("Nowy cennik", "a/"), ("Cennik", "b/"), ("Inny", "c/")]);
        assert_eq!(idx.wiki, after.wiki);
        assert_eq!(idx.wiki_signature(), after.wiki_signature());
        // Back: the first page takes the name again, ahead of the second.
        idx.retitle_wiki_name(Some("Nowy cennik"), Some("Cennik"), "a/", Pl, 0);
        assert_eq!(idx.wiki_target("cennik", Pl), Some("a/"));
        assert!(!idx.wiki.contains_key("nowy-cennik"));
        assert_eq!(idx.wiki, claims(&before).wiki);
        assert_eq!(idx.wiki_signature(), claims(&before).wiki_signature());
    }

    #[test]
    fn md_links_resolve_relative_to_the_file() {
        let r = index().resolve("../seo/podstawy.md#slowa", "blog", "blog/wpis/");
        assert_eq!(
            r,
            Resolved::Content {
                target: ContentTarget::Page(0),
                url: "/kb/seo/podstawy/#slowa".into(),
                anchor: Some("slowa".into())
            }
        );
        assert_eq!(
            index().rewrite("wykres.png", "seo", "seo/x/").as_deref(),
            Some("/kb/seo/wykres.png")
        );
    }

    #[test]
    fn missing_drafts_and_escapes_are_told_apart() {
        let idx = index();
        assert!(matches!(
            idx.resolve("brak.md", "seo", "seo/x/"),
            Resolved::MissingContent { .. }
        ));
        assert!(matches!(
            idx.resolve("szkic.md", "seo", "seo/x/"),
            Resolved::Draft { .. }
        ));
        assert_eq!(
            idx.resolve("../../../etc/passwd", "seo", "seo/x/"),
            Resolved::Escapes
        );
        assert_eq!(
            idx.resolve("../../../x.md", "seo", "seo/x/"),
            Resolved::Escapes
        );
        // Climbing out of the file's folder is fine when the page URL is deeper.
        let deeper = idx.resolve("../../seo/podstawy/", "blog", "blog/wpis/");
        assert!(matches!(deeper, Resolved::SitePath { .. }), "{deeper:?}");
    }

    #[test]
    fn url_links_resolve_relative_to_the_page_url() {
        let idx = index();
        assert!(matches!(
            idx.resolve("../podstawy/", "seo", "seo/x/"),
            Resolved::SitePath { url: None, .. }
        ));
        assert!(matches!(
            idx.resolve("/kb/tags/", "", ""),
            Resolved::SitePath { url: None, .. }
        ));
        assert!(matches!(
            idx.resolve("../brak/", "seo", "seo/x/"),
            Resolved::MissingPath { .. }
        ));
        match idx.resolve("/tags/", "", "") {
            Resolved::SitePath { url, .. } => assert_eq!(url.as_deref(), Some("/kb/tags/")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn queries_are_kept_and_escapes_decoded() {
        let mut idx = index();
        idx.content.insert(
            "seo/moja strona.md".into(),
            (ContentTarget::Page(1), "seo/moja-strona/".into()),
        );
        assert_eq!(
            idx.rewrite("podstawy.md?utm=1#slowa", "seo", "seo/x/")
                .as_deref(),
            Some("/kb/seo/podstawy/?utm=1#slowa")
        );
        assert_eq!(
            idx.rewrite("moja%20strona.md", "seo", "seo/x/").as_deref(),
            Some("/kb/seo/moja-strona/")
        );
    }

    #[test]
    fn links_resolve_the_way_addresses_are_made() {
        let mut idx = index();
        idx.content.insert(
            "react/StrictMode.md".into(),
            (ContentTarget::Page(2), "react/strictmode/".into()),
        );
        idx.content.insert(
            "docs/jsx.md".into(),
            (ContentTarget::Page(3), "docs/jsx.html".into()),
        );
        idx.paths.extend([
            "react/strictmode/".to_string(),
            "docs/jsx.html".into(),
            "seo/jak-zaczac/".into(),
        ]);
        let to = |dest: &str| idx.rewrite(dest, "seo", "seo/x/");
        for dest in [
            "/kb/react/StrictMode",
            "/kb/react/strictmode",
            "/kb/React/StrictMode/index.html",
            "/kb/react/strictmode.html",
            "/react/strictmode.md",
            "../react/StrictMode.md",
            "/kb/react/Strict%4Dode",
        ] {
            assert_eq!(to(dest).as_deref(), Some("/kb/react/strictmode/"), "{dest}");
        }
        assert_eq!(to("/kb/docs/jsx").as_deref(), Some("/kb/docs/jsx.html"));
        assert_eq!(
            to("/kb/seo/Jak Zacząć/").as_deref(),
            Some("/kb/seo/jak-zaczac/")
        );
        // A relative link without `.md` reaches the file beside the article.
        assert_eq!(
            idx.rewrite("podstawy", "seo", "seo/x/").as_deref(),
            Some("/kb/seo/podstawy/")
        );
        // An exact link is left as written.
        assert_eq!(to("/kb/react/strictmode/"), None);
        assert!(matches!(
            idx.resolve("/kb/react/nie-ma/", "seo", "seo/x/"),
            Resolved::MissingPath { .. }
        ));
    }

    #[test]
    fn pages_written_as_files_resolve_from_their_folder() {
        let mut idx = index();
        idx.paths.insert("docs/b.html".into());
        assert!(matches!(
            idx.resolve("b.html", "docs", "docs/a.html"),
            Resolved::SitePath { .. }
        ));
    }

    #[test]
    fn external_and_anchor_only() {
        let idx = index();
        assert_eq!(
            idx.resolve("https://e.org/x.md", "", ""),
            Resolved::External
        );
        assert_eq!(idx.resolve("mailto:a@b.pl", "", ""), Resolved::External);
        assert_eq!(
            idx.resolve("#sekcja", "", ""),
            Resolved::SamePage {
                anchor: "sekcja".into()
            }
        );
    }

    #[test]
    fn kept_sums_follow_paths_that_come_and_go() {
        let mut kept = index();
        let first = kept.remember_signature();
        assert_eq!(first, index().rewrite_signature());
        kept.add_path("seo/nowy/".into());
        kept.add_path("seo/nowy/".into());
        kept.add_content(
            "seo/nowy.md".into(),
            (ContentTarget::Page(7), "seo/nowy/".into()),
        );
        // A content file moved to another output path replaces its entry.
        kept.add_content(
            "seo/nowy.md".into(),
            (ContentTarget::Page(7), "seo/nowszy/".into()),
        );
        kept.remove_path("seo/podstawy/");
        kept.remove_path("nie/ma/");
        let moved = kept.rewrite_signature();
        assert_ne!(moved, first);
        // The same index without kept sums hashes every entry again.
        let mut fresh = index();
        fresh.paths.insert("seo/nowy/".into());
        fresh.content.insert(
            "seo/nowy.md".into(),
            (ContentTarget::Page(7), "seo/nowszy/".into()),
        );
        fresh.paths.remove("seo/podstawy/");
        assert!(fresh.sums.is_none());
        assert_eq!(moved, fresh.rewrite_signature());
        kept.remove_path("seo/nowy/");
        assert_ne!(kept.rewrite_signature(), moved);
    }
}
