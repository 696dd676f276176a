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

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::config::Language;
use crate::hash::Fingerprinter;
use crate::markdown::component_calls::Components;
use crate::render::{i18n, seo};
use crate::site::Site;
use crate::site::feeds::{LLMS_FULL_TXT, LLMS_TXT};

/// The sections of `lang`'s part of the site that `llms.txt` lists, in its order (the home
/// first, then every section before the sections inside it, each level as the sidebar orders
/// it), each with its articles, in the section's order; sections with no article to list are
/// left out.
fn listed(site: &Site, lang: Language) -> Vec<(usize, Vec<usize>)> {
    let subsections = super::nav::subsections_in_order(site);
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
        todo.extend(subsections[id].iter().rev());
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

/// `llms.txt` of `lang`'s part of the site; `memos` keeps its lines for the next render.
pub(super) fn index(site: &Site, lang: Language, memos: &Memos) -> String {
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
    let mut memo = memos.take(false, lang);
    let mut remembered = Memo::default();
    for (section, pages) in listed(site, lang) {
        out.push_str(&format!(
            "\n## {}\n\n",
            section_heading(site, section, lang)
        ));
        for p in pages {
            let key = entry_key(site, p);
            let line = match memo.remove(&key) {
                Some(Entry::Text(line)) => line,
                _ => Arc::from(index_line(site, p)),
            };
            out.push_str(&line);
            remembered.insert(key, Entry::Text(line));
        }
    }
    memos.put(false, lang, remembered);
    out
}

/// The list item of article `p` in `llms.txt`, with its line end.
fn index_line(site: &Site, p: usize) -> String {
    let page = &site.pages[p];
    let mut line = format!(
        "- [{}]({})",
        link_text(&page.title),
        destination(&site.permalink(&page.path))
    );
    let description = one_line(&seo::page_description(page));
    if !description.is_empty() {
        line.push_str(": ");
        line.push_str(&description);
    }
    line.push('\n');
    line
}

/// `llms-full.txt` of `lang`'s part of the site: after the header, each article's Markdown
/// ([`crate::markdown::source_text`]) under its title and address, apart by `---` lines.
/// Articles that would take the articles' text over `llms_full_max_mb` are left out, and the
/// header says how many are in. `components` reads the files articles include; `memos` keeps
/// the text of each article in the file (and the size of each left out) for the next render,
/// so a save in the preview makes only the edited article's text again.
pub(super) fn full(
    site: &Site,
    lang: Language,
    components: Option<&dyn Components>,
    memos: &Memos,
) -> String {
    let limit = usize::try_from(site.config.llms_full_max_mb)
        .unwrap_or(usize::MAX)
        .saturating_mul(1_000_000);
    let base_path = site.config.base_path();
    let origin = &site.config.base_url[..site.config.base_url.len() - base_path.len()];
    let entry_of = |p: usize| -> Arc<str> {
        let page = &site.pages[p];
        let body = crate::markdown::source_text::source_text(
            page.doc.body(),
            &page.rendered.links,
            origin,
            page.doc.meta.title.is_none(),
            components,
        );
        Arc::from(format!(
            "\n---\n\n# {}\n\nURL: {}\n\n{body}\n",
            one_line(&page.title),
            site.permalink(&page.path)
        ))
    };
    let mut memo = memos.take(true, lang);
    let mut remembered = Memo::default();
    let mut articles = String::new();
    let (mut total, mut kept) = (0, 0);
    for (_, pages) in listed(site, lang) {
        for p in pages {
            total += 1;
            let key = entry_key(site, p);
            let (size, text) = match memo.remove(&key) {
                Some(Entry::Text(text)) => (text.len(), Some(text)),
                Some(Entry::Size(size)) => (size, None),
                None => {
                    let text = entry_of(p);
                    (text.len(), Some(text))
                }
            };
            if articles.len() + size <= limit {
                let text = text.unwrap_or_else(|| entry_of(p));
                articles.push_str(&text);
                kept += 1;
                remembered.insert(key, Entry::Text(text));
            } else {
                // Only the size of an article left out is kept: the memory stays the file's.
                remembered.insert(key, Entry::Size(size));
            }
        }
    }
    memos.put(true, lang, remembered);
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

/// What an article's entry in either file is made of, as one key: its document, its rendered
/// Markdown, its title and address, and the site's address.
fn entry_key(site: &Site, p: usize) -> u64 {
    let page = &site.pages[p];
    let mut h = crate::hash::fingerprinter();
    (page.doc.fingerprint, page.rendered.fingerprint).hash(&mut h);
    (&page.title, &page.path, &site.config.base_url).hash(&mut h);
    h.finish()
}

/// An article's entry as a render left it: its text, or only its size when `llms-full.txt`
/// left it out.
enum Entry {
    Text(Arc<str>),
    Size(usize),
}

/// The entries of one file, by [`entry_key`].
type Memo = crate::hash::FastMap<u64, Entry>;

/// The entries of each file (`llms-full.txt` or `llms.txt`, and language) from the last
/// render, which the next render reuses for the articles that did not change: a save in the
/// preview of a site of 10,000 articles then makes one entry again instead of all of them.
/// Each render keeps only the entries it used, so what is kept is at most the files
/// themselves.
#[derive(Default)]
pub(crate) struct Memos {
    files: Mutex<crate::hash::FastMap<(bool, Language), Memo>>,
}

impl Memos {
    /// The entries of a file, taken out while it is rendered (the files render in parallel).
    fn take(&self, full: bool, lang: Language) -> Memo {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.remove(&(full, lang)).unwrap_or_default()
    }

    /// Keeps the entries a render of a file used, for the next.
    fn put(&self, full: bool, lang: Language, memo: Memo) {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert((full, lang), memo);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{SiteOptions, test_site};

    fn site(a_body: &str, b_body: &str) -> Site {
        let a = format!("---\ntitle: A\n---\n\n{a_body}\n");
        let b = format!("---\ntitle: B\n---\n\n{b_body}\n");
        let mut site = test_site(&[("a.md", &a), ("b.md", &b)], SiteOptions::default());
        site.config.llms_full_max_mb = 1;
        site
    }

    #[test]
    fn remembered_entries_give_what_a_first_render_gives() {
        let long = "Zdanie o marketingu. ".repeat(30_000);
        let memos = Memos::default();
        let both = |site: &Site| {
            let fresh = (
                index(site, Language::Pl, &Memos::default()),
                full(site, Language::Pl, None, &Memos::default()),
            );
            let remembered = (
                index(site, Language::Pl, &memos),
                full(site, Language::Pl, None, &memos),
            );
            assert_eq!(fresh, remembered);
            fresh.1
        };
        // B does not fit beside A: only its size is remembered.
        let first = both(&site(&long, &long));
        assert!(
            first.contains("1/2") && !first.contains("# B\n"),
            "{}",
            &first[..200]
        );
        assert_eq!(both(&site(&long, &long)), first);
        // A shrinks: B fits now, and its text is made from its size alone.
        let second = both(&site("Krótko.", &long));
        assert!(second.contains("# A\n") && second.contains("# B\n"));
        assert!(!second.contains("1/2"));
        // An edited article shows its new text.
        let third = both(&site("Inaczej.", &long));
        assert!(third.contains("Inaczej.") && !third.contains("Krótko."));
    }
}
