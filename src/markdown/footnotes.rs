//! Footnotes collected at the bottom of the page, numbered in the order they are first cited,
//! with links both ways (the layout readers know from Wikipedia and GitHub).

use std::collections::HashMap;

use pulldown_cmark::Event;

use crate::markdown::highlight::escape_into;
use crate::slug::slugify;

/// The footnotes of one page while it is being rendered.
#[derive(Debug, Default)]
pub(crate) struct Footnotes<'a> {
    numbers: HashMap<String, usize>,
    cited: Vec<String>,
    citations: HashMap<String, usize>,
    definitions: Vec<(String, Vec<Event<'a>>)>,
}

/// The anchor id of a footnote label (`1` -> `1`, `Źródło` -> `zrodlo`).
pub(crate) fn label_id(label: &str) -> String {
    let slug = slugify(label);
    if slug.is_empty() { "x".into() } else { slug }
}

impl<'a> Footnotes<'a> {
    /// The HTML of a citation `[^label]`, numbering the note on its first citation.
    pub(crate) fn cite(&mut self, label: &str) -> String {
        let next = self.numbers.len() + 1;
        let number = *self.numbers.entry(label.to_string()).or_insert_with(|| {
            self.cited.push(label.to_string());
            next
        });
        let count = self.citations.entry(label.to_string()).or_insert(0);
        *count += 1;
        let id = label_id(label);
        let ref_id = if *count == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{count}")
        };
        format!(
            "<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#fn-{id}\" role=\"doc-noteref\">{number}</a></sup>"
        )
    }

    /// Stores a definition's events to render them at the bottom.
    pub(crate) fn define(&mut self, label: String, events: Vec<Event<'a>>) {
        self.definitions.push((label, events));
    }

    /// Ids the page's footnotes use, so links to them count as valid anchors.
    pub(crate) fn ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for (label, _) in &self.definitions {
            ids.push(format!("fn-{}", label_id(label)));
        }
        for (label, n) in &self.citations {
            let id = label_id(label);
            ids.push(format!("fnref-{id}"));
            ids.extend((2..=*n).map(|k| format!("fnref-{id}-{k}")));
        }
        ids.sort();
        ids
    }

    /// The `<section class="footnotes">`, or nothing when the page has no footnotes.
    /// Cited notes come first in citation order; uncited definitions follow as written.
    pub(crate) fn render(self, heading: &str, back_label: &str) -> String {
        if self.definitions.is_empty() {
            return String::new();
        }
        let Footnotes {
            numbers,
            cited,
            definitions,
            ..
        } = self;
        let mut defs: HashMap<String, Vec<Event<'a>>> = HashMap::new();
        let mut uncited = Vec::new();
        for (label, events) in definitions {
            if !numbers.contains_key(&label) {
                uncited.push(label.clone());
            }
            defs.entry(label).or_insert(events);
        }
        let mut html = String::from(
            "<section class=\"footnotes\" role=\"doc-endnotes\">\n<h2 class=\"footnotes-title\">",
        );
        escape_into(&mut html, heading);
        html.push_str("</h2>\n<ol>\n");
        for label in cited.iter().chain(uncited.iter()) {
            let Some(events) = defs.remove(label) else {
                continue;
            };
            let id = label_id(label);
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, events.into_iter());
            let mut backref = String::new();
            if numbers.contains_key(label) {
                backref = format!(
                    " <a href=\"#fnref-{id}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\""
                );
                escape_into(&mut backref, back_label);
                backref.push_str("\">↩</a>");
            }
            let trimmed = body.trim_end();
            let body = match trimmed.strip_suffix("</p>") {
                Some(before) => format!("{before}{backref}</p>"),
                None => format!("{trimmed}{backref}"),
            };
            html.push_str(&format!("<li id=\"fn-{id}\">{body}</li>\n"));
        }
        html.push_str("</ol>\n</section>\n");
        html
    }
}
