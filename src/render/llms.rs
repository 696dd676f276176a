//! `llms.txt` and `llms-full.txt` (<https://llmstxt.org/>): what a language model reads to
//! know a knowledge base. `llms.txt` is the site's name and description, then one `##` part
//! per section with a link and a description of each of its articles; `llms-full.txt` is the
//! articles' Markdown, each under its title and address. Both list the same articles in the
//! same order: the sections as the sidebar orders them (the articles at the top first), each
//! section's articles in its own order; no `noindex` or `search: false` article.
//!
//! kbsite writes them itself, with no template: their format is fixed by the convention. What
//! each reads is hashed beside it ([`hash`]), so the preview writes them
//! again exactly when they change.

use std::hash::Hash;

use crate::config::Language;
use crate::content::SortBy;
use crate::hash::Fingerprinter;
use crate::markdown::component_calls::Components;
use crate::render::{i18n, seo};
use crate::site::feeds::{LLMS_FULL_TXT, LLMS_TXT};
use crate::site::{Site, order};

/// The sections of `lang`'s part of the site that `llms.txt` lists, in its order (the home
/// first, then every section before the sections inside it, each level as the sidebar orders
/// it), each with its articles, in the section's order; sections with no article to list are
/// left out.
fn listed(site: &Site, lang: Language) -> Vec<(usize, Vec<usize>)> {
    let folded: Vec<String> = site
        .sections
        .iter()
        .map(|s| order::title_key(&s.title))
        .collect();
    let key = |id: usize| {
        let s = &site.sections[id];
        order::SortKey {
            date: None,
            weight: s.doc.as_ref().and_then(|d| d.meta.weight),
            title: &s.title,
            folded: &folded[id],
            path: &s.rel_dir,
        }
    };
    let mut out = Vec::new();
    let mut todo = vec![site.home(lang)];
    while let Some(id) = todo.pop() {
        let pages: Vec<usize> = site.sections[id]
            .pages
            .iter()
            .copied()
            .filter(|&p| site.in_llms(p))
            .collect();
        if !pages.is_empty() {
            out.push((id, pages));
        }
        let mut subs = site.sections[id].subsections.clone();
        subs.sort_by(|&a, &b| order::compare(SortBy::Weight, &key(a), &key(b)));
        todo.extend(subs.into_iter().rev());
    }
    out
}

/// The `##` heading of a section: its title, after those of the sections it is in; the
/// articles at the top of the site are "Artykuły" / "Articles".
fn section_heading(site: &Site, id: usize, lang: Language) -> String {
    let titles: Vec<&str> = site
        .ancestry(id)
        .into_iter()
        .skip(1)
        .map(|s| site.sections[s].title.as_str())
        .collect();
    if titles.is_empty() {
        i18n::text(lang, "articles").to_string()
    } else {
        one_line(&titles.join(" › "))
    }
}

/// `text` on one line, its white space collapsed: a title or description can hold line ends.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for the inside of a Markdown link's brackets.
fn link_text(text: &str) -> String {
    one_line(text).replace('[', "\\[").replace(']', "\\]")
}

/// An absolute URL as a Markdown link destination: kbsite's addresses are percent-encoded
/// but for what a front matter `url` may hold.
fn destination(url: &str) -> String {
    url.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// The header both files start with: `# name` and `> description`.
fn header(site: &Site, lang: Language) -> String {
    let mut out = format!("# {}\n", one_line(site.config.title_in(lang)));
    let description = one_line(site.config.description_in(lang));
    if !description.is_empty() {
        out.push_str(&format!("\n> {description}\n"));
    }
    out
}

/// `llms.txt` of `lang`'s part of the site.
pub(super) fn index(site: &Site, lang: Language) -> String {
    let mut out = header(site, lang);
    let mut notes = Vec::new();
    if site.writes_llms_full() {
        let full = site.permalink(&format!("{}{LLMS_FULL_TXT}", site.lang_prefix(lang)));
        notes.push(format!(
            "{}: [{LLMS_FULL_TXT}]({})",
            i18n::text(lang, "llms_full"),
            destination(&full)
        ));
    }
    for &other in site.languages().iter().filter(|&&l| l != lang) {
        let url = site.permalink(&format!("{}{LLMS_TXT}", site.lang_prefix(other)));
        notes.push(format!(
            "{}: [{LLMS_TXT}]({})",
            i18n::text(other, "language_name"),
            destination(&url)
        ));
    }
    for note in notes {
        out.push_str(&format!("\n{note}\n"));
    }
    for (section, pages) in listed(site, lang) {
        out.push_str(&format!(
            "\n## {}\n\n",
            section_heading(site, section, lang)
        ));
        for p in pages {
            let page = &site.pages[p];
            out.push_str(&format!(
                "- [{}]({})",
                link_text(&page.title),
                destination(&site.permalink(&page.path))
            ));
            let description = one_line(&seo::page_description(page));
            if !description.is_empty() {
                out.push_str(": ");
                out.push_str(&description);
            }
            out.push('\n');
        }
    }
    out
}

/// `llms-full.txt` of `lang`'s part of the site: after the header, each article's Markdown
/// ([`crate::markdown::source_text`]) under its title and address, apart by `---` lines.
/// Articles that would take the articles' text over `llms_full_max_mb` are left out, and the
/// header says how many are in. `components` reads the files articles include.
pub(super) fn full(site: &Site, lang: Language, components: Option<&dyn Components>) -> String {
    let limit = usize::try_from(site.config.llms_full_max_mb)
        .unwrap_or(usize::MAX)
        .saturating_mul(1_000_000);
    let base_path = site.config.base_path();
    let origin = &site.config.base_url[..site.config.base_url.len() - base_path.len()];
    let mut articles = String::new();
    let (mut total, mut kept) = (0, 0);
    for (_, pages) in listed(site, lang) {
        for p in pages {
            total += 1;
            let page = &site.pages[p];
            let body = crate::markdown::source_text::source_text(
                page.doc.body(),
                &page.rendered.links,
                origin,
                page.doc.meta.title.is_none(),
                components,
            );
            let entry = format!(
                "\n---\n\n# {}\n\nURL: {}\n\n{body}\n",
                one_line(&page.title),
                site.permalink(&page.path)
            );
            if articles.len() + entry.len() <= limit {
                articles.push_str(&entry);
                kept += 1;
            }
        }
    }
    let mut out = header(site, lang);
    if kept < total {
        let index = site.permalink(&format!("{}{LLMS_TXT}", site.lang_prefix(lang)));
        out.push_str(&format!(
            "\n{} {kept}/{total} (llms_full_max_mb: {}). {}: [{LLMS_TXT}]({})\n",
            i18n::text(lang, "llms_full_kept"),
            site.config.llms_full_max_mb,
            i18n::text(lang, "llms_full_all"),
            destination(&index)
        ));
    }
    out.push_str(&articles);
    out
}

/// Hashes what [`index`] and [`full`] show of `lang`'s part of the site besides the config:
/// the languages, each listed section's heading, and each article's title and address with
/// its document (its Markdown, description, exclusions) and rendered Markdown (where its
/// links lead, what it includes, the summary its description may come from).
pub(super) fn hash(site: &Site, lang: Language, h: &mut Fingerprinter) {
    (lang, site.languages()).hash(h);
    for (section, pages) in listed(site, lang) {
        section_heading(site, section, lang).hash(h);
        for p in pages {
            let page = &site.pages[p];
            (&page.title, &page.path).hash(h);
            page.doc.fingerprint.hash(h);
            page.rendered.fingerprint.hash(h);
        }
    }
}
