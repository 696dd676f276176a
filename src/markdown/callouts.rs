//! GitHub-style alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`) as
//! callouts: the same Markdown that reads well on GitHub renders as a labelled box here, with
//! the label in the page's language so screen readers announce what kind of box it is.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use crate::config::Language;

/// The class suffix and the visible label of a kind, in `lang`.
fn kind_label(kind: BlockQuoteKind, lang: Language) -> (&'static str, &'static str) {
    match (kind, lang) {
        (BlockQuoteKind::Note, Language::Pl) => ("note", "Notatka"),
        (BlockQuoteKind::Tip, Language::Pl) => ("tip", "Wskazówka"),
        (BlockQuoteKind::Important, Language::Pl) => ("important", "Ważne"),
        (BlockQuoteKind::Warning, Language::Pl) => ("warning", "Ostrzeżenie"),
        (BlockQuoteKind::Caution, Language::Pl) => ("caution", "Uwaga"),
        (BlockQuoteKind::Note, Language::En) => ("note", "Note"),
        (BlockQuoteKind::Tip, Language::En) => ("tip", "Tip"),
        (BlockQuoteKind::Important, Language::En) => ("important", "Important"),
        (BlockQuoteKind::Warning, Language::En) => ("warning", "Warning"),
        (BlockQuoteKind::Caution, Language::En) => ("caution", "Caution"),
    }
}

/// The event that opens `tag`: a callout's opening HTML for an alert, else the tag itself.
pub(super) fn start<'a>(tag: Tag<'a>, lang: Language) -> Event<'a> {
    match tag {
        Tag::BlockQuote(Some(kind)) => {
            let (class, label) = kind_label(kind, lang);
            // A note region named by its visible title, as the WAI patterns for asides do.
            Event::Html(CowStr::from(format!(
                "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\"><span class=\"callout-icon\" aria-hidden=\"true\"></span>{label}</p>\n"
            )))
        }
        tag => Event::Start(tag),
    }
}

/// The event that closes `end`: a callout's closing HTML for an alert, else the end itself.
pub(super) fn end<'a>(end: TagEnd) -> Event<'a> {
    match end {
        TagEnd::BlockQuote(Some(_)) => Event::Html(CowStr::Borrowed("</div>\n")),
        end => Event::End(end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_label_in_both_languages() {
        let kinds = [
            BlockQuoteKind::Note,
            BlockQuoteKind::Tip,
            BlockQuoteKind::Important,
            BlockQuoteKind::Warning,
            BlockQuoteKind::Caution,
        ];
        for lang in [Language::Pl, Language::En] {
            let labels: std::collections::HashSet<&str> =
                kinds.iter().map(|k| kind_label(*k, lang).1).collect();
            assert_eq!(labels.len(), kinds.len(), "labels differ in {lang:?}");
        }
        let Event::Html(html) = start(Tag::BlockQuote(Some(BlockQuoteKind::Warning)), Language::Pl)
        else {
            panic!("an alert opens with HTML");
        };
        assert!(html.contains("callout-warning") && html.contains("Ostrzeżenie"));
        assert!(matches!(
            start(Tag::BlockQuote(None), Language::Pl),
            Event::Start(Tag::BlockQuote(None))
        ));
    }
}
