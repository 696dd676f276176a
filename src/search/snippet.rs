//! The snippet of a result: the window of text where the most query words meet, escaped, with
//! the matched words in `<mark>`. The browser runtime builds the same string the same way.

use std::collections::HashMap;

use super::analyze::{fold, glued_marker, word_indices};
use super::format::Fragment;
use crate::markdown::highlight::escape_into;

/// Words a snippet shows.
pub(crate) const WINDOW: usize = 24;
/// Words shown before the first match in the window.
pub(crate) const LEAD: usize = 4;

/// A snippet as text, with the byte ranges of its matched words: the HTML the browser shows
/// and the lines `kbsite search` prints are both made from it, so neither has to take the
/// other apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The anchor of the part the snippet comes from ("" for the top of the page).
    pub anchor: String,
    /// The words of the window, with single spaces between them and `…` where text is cut.
    pub text: String,
    /// The matched words in `text`, in order.
    pub marks: Vec<std::ops::Range<usize>>,
}

impl Snippet {
    /// Escaped text with the matched words in `<mark>`.
    pub fn html(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 13 * self.marks.len());
        let mut at = 0;
        for mark in &self.marks {
            escape_into(&mut out, &self.text[at..mark.start]);
            out.push_str("<mark>");
            escape_into(&mut out, &self.text[mark.clone()]);
            out.push_str("</mark>");
            at = mark.end;
        }
        escape_into(&mut out, &self.text[at..]);
        out
    }
}

/// The anchor of the part the snippet comes from ("" for the top of the page) and the
/// snippet's HTML. The window with the most query words wins; between equals, one whose
/// match is in a heading, so that the result links to that heading. `hit_forms` maps folded forms to the query words they match (bit `i` for
/// word `i`).
#[cfg(test)]
pub(crate) fn snippet(fragment: &Fragment, hit_forms: &HashMap<String, u32>) -> (String, String) {
    let found = snippet_of(fragment, hit_forms);
    let html = found.html();
    (found.anchor, html)
}

/// The [`Snippet`] of [`snippet`].
pub(crate) fn snippet_of(fragment: &Fragment, hit_forms: &HashMap<String, u32>) -> Snippet {
    let mut parts: Vec<(&str, &str)> = fragment
        .parts
        .iter()
        .map(|(a, t)| (a.as_str(), t.as_str()))
        .collect();
    if !fragment.description.is_empty() {
        parts.push(("", fragment.description.as_str()));
    }
    // (query words in the window ×2, +1 when the match is in the part's heading; part; start)
    let mut best: Option<(u32, usize, usize)> = None;
    let mut tokenized = Vec::with_capacity(parts.len());
    for (p, (_, text)) in parts.iter().enumerate() {
        let words: Vec<(usize, &str)> = word_indices(text).collect();
        let masks: Vec<u32> = words.iter().map(|(_, w)| word_mask(w, hit_forms)).collect();
        for h in (0..words.len()).filter(|&h| masks[h] != 0) {
            let start = h.saturating_sub(LEAD);
            let end = (start + WINDOW).min(words.len());
            let covered = masks[start..end].iter().fold(0, |a, m| a | m).count_ones();
            let in_heading = fragment.heads.get(p).is_some_and(|&n| h < n as usize);
            let value = covered * 2 + u32::from(in_heading);
            if best.is_none_or(|b| value > b.0) {
                best = Some((value, p, start));
            }
        }
        let hits: Vec<bool> = masks.iter().map(|&m| m != 0).collect();
        tokenized.push((words, hits));
    }
    let (part, start) = match best {
        Some((_, p, s)) => (p, s),
        None if !fragment.description.is_empty() => (parts.len() - 1, 0),
        None if !parts.is_empty() => (0, 0),
        None => return Snippet::default(),
    };
    let (anchor, text) = parts[part];
    let (words, hits) = &tokenized[part];
    let end = (start + WINDOW).min(words.len());
    let mut out = String::new();
    let mut marks = Vec::new();
    if start > 0 {
        out.push_str("… ");
    }
    for k in start..end {
        let (at, word) = words[k];
        if k > start {
            let (prev_at, prev) = words[k - 1];
            push_gap(&mut out, &text[prev_at + prev.len()..at]);
        }
        if hits[k] {
            marks.push(out.len()..out.len() + word.len());
        }
        out.push_str(word);
    }
    if end < words.len() {
        out.push_str(" …");
    }
    Snippet {
        anchor: anchor.to_string(),
        text: out,
        marks,
    }
}

/// The query words `word` matches, as bits.
fn word_mask(word: &str, hit_forms: &HashMap<String, u32>) -> u32 {
    let own = hit_forms.get(&fold(word)).copied().unwrap_or(0);
    let unglued = glued_marker(word)
        .and_then(|w| hit_forms.get(&fold(w)).copied())
        .unwrap_or(0);
    own | unglued
}

/// Text between two words, with runs of spaces and line breaks as one space.
fn push_gap(out: &mut String, gap: &str) {
    let mut in_space = false;
    for c in gap.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            in_space = false;
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(parts: &[(&str, &str)], description: &str) -> Fragment {
        Fragment {
            title: "T".into(),
            url: "/t/".into(),
            section: String::new(),
            path: "t.md".into(),
            description: description.into(),
            parts: parts
                .iter()
                .map(|(a, t)| (a.to_string(), t.to_string()))
                .collect(),
            heads: vec![0; parts.len()],
        }
    }

    /// Each form a query word of its own.
    fn forms(words: &[&str]) -> HashMap<String, u32> {
        words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.to_string(), 1 << i))
            .collect()
    }

    #[test]
    fn the_window_where_most_query_words_meet_wins() {
        let f = fragment(
            &[
                ("a", "klient klienta klientem klienci"),
                ("b", "lojalność klientów"),
            ],
            "",
        );
        let mut hit = forms(&["lojalnosc", "klientow"]);
        for form in ["klient", "klienta", "klientem", "klienci"] {
            hit.insert(form.into(), 2);
        }
        let (anchor, html) = snippet(&f, &hit);
        assert_eq!(anchor, "b");
        assert_eq!(html, "<mark>lojalność</mark> <mark>klientów</mark>");
    }

    #[test]
    fn a_match_in_a_heading_links_to_that_heading() {
        let mut f = fragment(
            &[
                ("", "Stan komponentu zmienia się w pętli zdarzeń."),
                ("inne", "Inny tekst."),
                ("stan", "Stan komponentu\nOpis bez tych słów."),
            ],
            "",
        );
        let hit = forms(&["stan", "komponentu"]);
        // Without heading lengths the first window with both words wins.
        assert_eq!(snippet(&f, &hit).0, "");
        f.heads = vec![0, 1, 2];
        let (anchor, html) = snippet(&f, &hit);
        assert_eq!(anchor, "stan");
        assert!(
            html.starts_with("<mark>Stan</mark> <mark>komponentu</mark>"),
            "{html}"
        );
    }

    #[test]
    fn marks_matches_and_points_at_their_heading() {
        let f = fragment(
            &[
                ("", "Wstęp bez słów kluczowych."),
                (
                    "lojalnosc",
                    "Lojalność klientów rośnie,\n gdy marka odpowiada.",
                ),
            ],
            "",
        );
        let (anchor, html) = snippet(&f, &forms(&["lojalnosc", "klientow"]));
        assert_eq!(anchor, "lojalnosc");
        assert_eq!(
            html,
            "<mark>Lojalność</mark> <mark>klientów</mark> rośnie, gdy marka odpowiada"
        );
    }

    #[test]
    fn page_text_cannot_inject_html() {
        let f = fragment(
            &[("", "<img src=x onerror=alert(1)> & \"szkoda\" 'x' <b>")],
            "",
        );
        let (_, html) = snippet(&f, &forms(&["img", "szkoda"]));
        let bare = html.replace("<mark>", "").replace("</mark>", "");
        assert!(!bare.contains(['<', '>']), "{html}");
        assert!(
            html.contains("<mark>img</mark> src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(html.contains("&quot;<mark>szkoda</mark>&quot;"), "{html}");
    }

    #[test]
    fn the_text_form_keeps_the_characters_and_marks_the_words() {
        let f = fragment(&[("", "<b>Cena</b> & „szkoda”\n\n  tak")], "");
        let found = snippet_of(&f, &forms(&["cena", "szkoda"]));
        // From the first word on, every character as written, whitespace made single spaces.
        assert_eq!(found.text, "b>Cena</b> & „szkoda” tak");
        let marked: Vec<&str> = found.marks.iter().map(|m| &found.text[m.clone()]).collect();
        assert_eq!(marked, ["Cena", "szkoda"]);
        // The HTML is the same text escaped, with the marks around the same words.
        assert_eq!(snippet(&f, &forms(&["cena", "szkoda"])).1, found.html());
        assert_eq!(
            found.html(),
            "b&gt;<mark>Cena</mark>&lt;/b&gt; &amp; „<mark>szkoda</mark>” tak"
        );
    }

    #[test]
    fn long_text_is_cut_around_the_densest_window() {
        let text = (0..100)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let f = fragment(&[("", &text)], "");
        let (_, html) = snippet(&f, &forms(&["w50", "w52", "w90"]));
        assert!(html.starts_with("… w46 w47"), "{html}");
        assert!(html.ends_with(" …"), "{html}");
        assert_eq!(html.matches("<mark>").count(), 2);
    }

    #[test]
    fn without_matches_the_description_or_the_start_is_shown() {
        let f = fragment(&[("", "Początek tekstu.")], "Opis strony");
        assert_eq!(snippet(&f, &forms(&["nic"])).1, "Opis strony");
        let f = fragment(&[("", "Początek tekstu.")], "");
        assert_eq!(snippet(&f, &forms(&["nic"])).1, "Początek tekstu");
        assert_eq!(snippet(&fragment(&[], ""), &forms(&[])).1, "");
    }
}
