//! Checking every link of every page once all pages are rendered (so anchors are known), with
//! a "did you mean" for each broken one.

use rayon::prelude::*;

use crate::codes;
use crate::content::Document;
use crate::error::{Diagnostic, Error, Location, ProblemKind, Result};
use crate::markdown::{self, Rendered};
use crate::site::Site;
use crate::site::links::{ContentTarget, LinkIndex, Resolved};

/// What checking the links of some documents found.
#[derive(Debug, Default)]
pub(super) struct Checked {
    /// For each document, the pages it links to, with the index of the link.
    pub targets: Vec<Vec<(usize, usize)>>,
    /// Broken links.
    pub errors: Vec<Error>,
    /// For each document, its warnings (wiki links naming no article, in the live preview).
    pub warnings: Vec<Vec<Diagnostic>>,
}

impl Site {
    /// The documents whose links are checked, in order: pages, then sections with a file.
    pub(super) fn linking_docs(&self) -> Vec<(&Document, &str, &Rendered)> {
        self.pages
            .iter()
            .map(|p| (p.doc.as_ref(), p.path.as_str(), p.rendered.as_ref()))
            .chain(self.sections.iter().filter_map(|s| {
                s.doc
                    .as_ref()
                    .map(|d| (d.as_ref(), s.path.as_str(), s.rendered.as_ref()))
            }))
            .collect()
    }

    /// Checks every link; returns, for each document of [`Site::linking_docs`], the other
    /// pages it links to and its warnings.
    pub(super) fn check_links(&self, index: &LinkIndex) -> Result<Checked> {
        let docs = self.linking_docs();
        let all: Vec<usize> = (0..docs.len()).collect();
        let mut checked = self.check_docs(index, &docs, &all);
        Error::collect(std::mem::take(&mut checked.errors))?;
        Ok(checked)
    }

    /// Checks the links of the documents `which` (indexes into `docs`), in parallel; returns
    /// their targets and warnings in the same order and every broken link, in document order.
    pub(super) fn check_docs(
        &self,
        index: &LinkIndex,
        docs: &[(&Document, &str, &Rendered)],
        which: &[usize],
    ) -> Checked {
        type One = (Vec<(usize, usize)>, Vec<Error>, Vec<Diagnostic>);
        let checked: Vec<One> = which
            .par_iter()
            .map(|&d| {
                let (doc, path, rendered) = docs[d];
                let line_starts = std::cell::OnceCell::new();
                let mut targets = Vec::new();
                let mut errors = Vec::new();
                let mut warnings = Vec::new();
                for (l, link) in rendered.links.iter().enumerate() {
                    // A wiki link is checked as the URL it resolved to.
                    let dest = match (link.wiki, &link.rewritten) {
                        (false, _) => link.dest.as_str(),
                        (true, Some(url)) => url.as_str(),
                        (true, None) => {
                            let error = self.unresolved_wiki(index, doc, path, link, &line_starts);
                            if index.wiki_warnings || index.link_warnings {
                                warnings.extend(error.diagnostics().into_iter().map(|mut w| {
                                    w.severity = crate::error::Severity::Warning;
                                    w
                                }));
                            } else {
                                errors.push(error);
                            }
                            continue;
                        }
                    };
                    // Resolved once, for the target and for the check.
                    let resolved = index.resolve(dest, doc.rel_dir(), path);
                    let target = match &resolved {
                        Resolved::Content {
                            target: ContentTarget::Page(p),
                            ..
                        } => Some(*p),
                        Resolved::SitePath { path, .. } => index.page_paths.get(path).copied(),
                        _ => None,
                    };
                    if let Some(p) = target
                        && self.pages[p].doc.rel_path != doc.rel_path
                    {
                        targets.push((p, l));
                    }
                    let error = self.check_link(index, docs[d], link, resolved, &line_starts);
                    match error {
                        Some(e) if index.link_warnings => {
                            warnings.extend(e.diagnostics().into_iter().map(|mut w| {
                                w.severity = crate::error::Severity::Warning;
                                w
                            }))
                        }
                        other => errors.extend(other),
                    }
                }
                (targets, errors, warnings)
            })
            .collect();
        let mut all = Checked::default();
        for (targets, errors, warnings) in checked {
            all.targets.push(targets);
            all.errors.extend(errors);
            all.warnings.push(warnings);
        }
        all
    }

    /// The error of a wiki link that names no article, with the closest title as a hint.
    fn unresolved_wiki(
        &self,
        index: &LinkIndex,
        doc: &Document,
        path: &str,
        link: &markdown::Link,
        line_starts: &std::cell::OnceCell<crate::error::LineIndex>,
    ) -> Error {
        let lang = index
            .page_paths
            .get(path)
            .map_or(self.config.language, |&p| self.pages[p].lang);
        let at = doc.body_location(link.offset, link.len, line_starts);
        let name = crate::slug::slugify(link.dest.split('#').next().unwrap_or(""));
        let hint = crate::suggest::closest(&name, index.wiki.keys().map(String::as_str))
            .and_then(|close| {
                let path = index.wiki_target(close, lang)?;
                let page = index.page_paths.get(path)?;
                Some(format!("did you mean [[{}]]?", self.pages[*page].title))
            })
            .or_else(|| {
                Some("write an article's title or its slug, as in [[podstawy-seo]]".into())
            });
        Error::problem(
            ProblemKind::BrokenLink,
            codes::WIKI_LINK,
            at,
            format!("wiki link [[{}]] names no article", link.dest),
            hint,
        )
    }

    /// Whether each page is linked to from another document.
    pub(super) fn linked(&self, targets: &[Vec<(usize, usize)>]) -> Vec<bool> {
        let mut linked = vec![false; self.pages.len()];
        for &(p, _) in targets.iter().flatten() {
            linked[p] = true;
        }
        linked
    }

    /// Warnings about the site as a whole: articles nothing links to (in any of their
    /// languages), articles without a
    /// description, sections without articles.
    pub(super) fn editorial_warnings(&self, linked: &[bool]) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        for id in 0..self.pages.len() {
            self.page_editorial_warnings(id, linked, &mut warnings);
        }
        for section in self.sections.iter().filter(|s| s.parent.is_some()) {
            if section.pages.is_empty() && section.subsections.is_empty() {
                let path = section.doc.as_ref().map_or_else(
                    || std::path::PathBuf::from(crate::sources::CONTENT),
                    |d| d.display_path.clone(),
                );
                warnings.push(Diagnostic::warning(
                    codes::EMPTY_SECTION,
                    Location::file(&path),
                    format!("section `{}` has no published articles", section.title),
                    Some("add an article to the folder or remove the section".into()),
                ));
            }
        }
        warnings
    }

    /// The warnings of [`Site::editorial_warnings`] about page `id`, added to `warnings`.
    pub(super) fn page_editorial_warnings(
        &self,
        id: usize,
        linked: &[bool],
        warnings: &mut Vec<Diagnostic>,
    ) {
        let page = &self.pages[id];
        let at = || Location::from_line_col(&page.doc.display_path, &page.doc.text, 1, 1);
        // A translation is found through the language switch of a linked version.
        let reachable = linked[id] || page.translations.iter().any(|&t| linked[t]);
        if !reachable {
            warnings.push(Diagnostic::warning(
                codes::ORPHAN_PAGE,
                at(),
                "no other article links to this one",
                Some("link to it from a related article so readers can find it".into()),
            ));
        }
        if page
            .doc
            .meta
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
        {
            warnings.push(Diagnostic::warning(
                codes::NO_DESCRIPTION,
                at(),
                "the article has no `description`",
                Some("add one sentence as `description:` for lists and search engines".into()),
            ));
        }
    }

    /// The warning that Mermaid diagrams show as code: the site has diagrams and names no
    /// copy of Mermaid, or `mermaid:` names a file the site does not have. One warning for
    /// the site, at the first diagram or at the key, saying how to add the file.
    pub(super) fn diagram_warning(&self) -> Option<Diagnostic> {
        const DOWNLOAD: &str = "download mermaid.min.js (from https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.min.js or the mermaid npm package)";
        if self.mermaid.is_some() {
            return None;
        }
        // The documents of `linking_docs`, without making a list of every one.
        let sections = self
            .sections
            .iter()
            .filter_map(|s| s.doc.as_ref().map(|d| (d, &s.rendered)));
        let with_diagrams: Vec<&Document> = self
            .pages
            .iter()
            .map(|p| (&p.doc, &p.rendered))
            .chain(sections)
            .filter(|(_, r)| r.features.diagrams)
            .map(|(d, _)| d.as_ref())
            .collect();
        let pages = match with_diagrams.len() {
            1 => "1 page has diagrams".to_string(),
            n => format!("{n} pages have diagrams"),
        };
        if let Some(path) = &self.config.mermaid {
            let at = self.config.mermaid_at.clone().unwrap_or_else(|| {
                Location::file(std::path::Path::new(crate::config::CONFIG_FILE))
            });
            return Some(Diagnostic::warning(
                codes::MERMAID_MISSING,
                at,
                format!(
                    "`mermaid` names /{path}, which is no file of the site: diagrams show as code ({pages})"
                ),
                Some(format!("{DOWNLOAD} and save it as static/{path}")),
            ));
        }
        let first = with_diagrams.first()?;
        let line = first
            .text
            .lines()
            .position(|l| {
                let fence = l.trim_start().trim_start_matches(['`', '~']);
                fence.len() < l.trim_start().len()
                    && fence
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("mermaid")
            })
            .map_or(1, |i| i + 1);
        Some(Diagnostic::warning(
            codes::MERMAID_MISSING,
            Location::from_line_col(&first.display_path, &first.text, line, 1),
            format!(
                "Mermaid diagrams show as code: the site provides no copy of Mermaid ({pages})"
            ),
            Some(format!(
                "{DOWNLOAD} into static/ and add `mermaid: static/mermaid.min.js` to kbsite.yaml"
            )),
        ))
    }

    /// The error of `link` in the document `source`, if any, from where it `resolved` to.
    fn check_link(
        &self,
        index: &LinkIndex,
        source: (&Document, &str, &Rendered),
        link: &markdown::Link,
        resolved: Resolved,
        line_starts: &std::cell::OnceCell<crate::error::LineIndex>,
    ) -> Option<Error> {
        let (doc, _, rendered) = source;
        // Locating costs a scan of the file: only done for broken links.
        let at = || doc.body_location(link.offset, link.len, line_starts);
        let what = if link.is_image { "image" } else { "link" };
        let broken = |code: &'static str, message: String, hint: Option<String>| {
            Error::problem(ProblemKind::BrokenLink, code, at(), message, hint)
        };
        let anchor_error = |target: &Rendered, anchor: &str, target_name: &str| {
            if has_anchor_like(target, anchor) {
                return None;
            }
            let ids = target.headings.iter().map(|h| h.id.as_str());
            let hint = match crate::suggest::closest(anchor, ids) {
                Some(id) => format!("did you mean `#{id}`?"),
                None if target.headings.is_empty() => format!("{target_name} has no headings"),
                None => format!(
                    "headings there: {}",
                    target
                        .headings
                        .iter()
                        .map(|h| format!("#{}", h.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            Some(broken(
                codes::MISSING_ANCHOR,
                format!("heading `#{anchor}` not found in {target_name}"),
                Some(hint),
            ))
        };
        match resolved {
            Resolved::External => None,
            Resolved::SamePage { anchor } => anchor_error(rendered, &anchor, "this file"),
            Resolved::Content { target, anchor, .. } => {
                let anchor = anchor?;
                match target {
                    ContentTarget::Page(p) => {
                        let page = &self.pages[p];
                        anchor_error(
                            &page.rendered,
                            &anchor,
                            &page.doc.display_path.display().to_string(),
                        )
                    }
                    ContentTarget::Section(s) => {
                        let section = &self.sections[s];
                        anchor_error(
                            &section.rendered,
                            &anchor,
                            &format!("section {}", section.title),
                        )
                    }
                    ContentTarget::Attachment => None,
                }
            }
            Resolved::SitePath { path, anchor, .. } => {
                let anchor = anchor?;
                let page = &self.pages[*index.page_paths.get(&path)?];
                anchor_error(
                    &page.rendered,
                    &anchor,
                    &page.doc.display_path.display().to_string(),
                )
            }
            Resolved::MissingContent { rel_path } => {
                let known = index
                    .content
                    .keys()
                    .filter(|k| k.ends_with(".md"))
                    .map(String::as_str);
                let hint = crate::suggest::closest(&rel_path, known)
                    .map(|k| format!("did you mean `{}`?", relative_from(doc.rel_dir(), k)))
                    .or_else(|| {
                        Some("links to articles are relative to this file's folder".into())
                    });
                Some(broken(
                    codes::MISSING_ARTICLE,
                    format!("{what} to a missing article: content/{rel_path} does not exist"),
                    hint,
                ))
            }
            Resolved::Draft { rel_path } => Some(broken(
                codes::DRAFT_LINK,
                format!("{what} to content/{rel_path}, which is not published in this build"),
                Some("it is a draft or dated outside `publish_date`..`expiry_date`: publish it, remove the link, or build with --drafts or --future".into()),
            )),
            Resolved::MissingPath { path } => {
                let hint = crate::suggest::closest(&path, index.paths.iter().map(String::as_str))
                    .map(|p| format!("did you mean `{}{p}`?", self.config.base_path()));
                Some(broken(
                    if link.is_image {
                        codes::MISSING_FILE
                    } else {
                        codes::MISSING_PAGE
                    },
                    format!("{what} to `{}`, but the site has no /{path}", link.dest),
                    hint,
                ))
            }
            Resolved::Escapes => Some(Error::unsafe_path(
                at(),
                format!("{what} `{}` climbs out of the site with `..`", link.dest),
            )),
        }
    }
}

/// Whether `target` has the anchor a link names, also when the link writes it with other
/// capitals, percent-encoded, or as the heading's words (`#Skąd-wziąć-klucze`).
fn has_anchor_like(target: &Rendered, anchor: &str) -> bool {
    if target.has_anchor(anchor) {
        return true;
    }
    let decoded = crate::paths::percent_decode(anchor);
    target.has_anchor(&decoded)
        || target.has_anchor(&decoded.to_lowercase())
        || target.has_anchor(&crate::slug::slugify(&decoded))
}

fn relative_from(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative_from;

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative_from("blog", "seo/a.md"), "../seo/a.md");
        assert_eq!(relative_from("seo", "seo/a.md"), "a.md");
        assert_eq!(relative_from("", "seo/a.md"), "seo/a.md");
    }
}
