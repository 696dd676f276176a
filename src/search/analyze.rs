//! Text analysis shared by the index and the query side.
//!
//! A word becomes up to two keys: the stem of the word as written, folded (`klientów` ->
//! `klient`), and the stem of the folded word (`klientow` -> `klientow`). Documents are
//! indexed under both; a query word typed without diacritics produces the second kind of key
//! and, when it has diacritics, the first as well, so both ways of typing meet the text. The
//! Snowball stemmers only know Polish suffixes with their diacritics (`-ów`), which is why the
//! folded form is stemmed too instead of relying on either alone.

use pagefind_stem::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::config::Language;

/// Lower-cases and removes diacritics, Polish letters included (`Łódź` -> `lodz`). Latin
/// letters fold to ASCII; other scripts stay as they are, so a Greek or Cyrillic word is still
/// one word. Folding again changes nothing. The browser runtime folds with a table generated
/// from this function ([`fold_table`]), which keeps both sides identical.
pub fn fold(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if is_combining_mark(c) {
            // Decomposed input (`e` + U+0301) folds like the precomposed letter.
        } else if let Some(ascii) = fold_char(c) {
            out.push_str(ascii);
        } else {
            out.push(c);
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The ASCII letters a lower-case Latin letter folds to, if it has any.
fn fold_char(c: char) -> Option<&'static str> {
    let latin = ('\u{c0}'..='\u{24f}').contains(&c) || ('\u{1e00}'..='\u{1eff}').contains(&c);
    if !latin || !c.is_alphabetic() {
        return None;
    }
    let ascii = deunicode::deunicode_char(c)?;
    let letters = !ascii.is_empty() && ascii.bytes().all(|b| b.is_ascii_lowercase());
    letters.then_some(ascii)
}

/// Every folding [`fold`] does beyond ASCII, as the browser runtime embeds it: entries of a
/// letter followed by what it folds to, separated by spaces (`ąa łl ßss`).
pub fn fold_table() -> String {
    let ranges = ['\u{c0}'..='\u{24f}', '\u{1e00}'..='\u{1eff}'];
    let mut entries = Vec::new();
    for c in ranges.into_iter().flatten() {
        let stable = c.to_lowercase().eq(std::iter::once(c));
        if let (true, Some(ascii)) = (stable, fold_char(c)) {
            entries.push(format!("{c}{ascii}"));
        }
    }
    entries.join(" ")
}

/// The words of `text` by Unicode word boundaries: letters and digits, no punctuation. A
/// footnote marker glued to a word (`internetowym2`, from text without Markdown footnotes)
/// also yields the word without it, so the marker never spoils the word.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.unicode_words()
        .flat_map(|word| std::iter::once(word).chain(glued_marker(word)))
}

/// The word without a footnote marker glued to its end (`internetowym2` -> `internetowym`):
/// one or two digits after four letters or more. Short words keep their digits (`mp3`).
pub fn glued_marker(word: &str) -> Option<&str> {
    let trimmed = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = word.len() - trimmed.len();
    let glued = (1..=2).contains(&digits)
        && trimmed.chars().count() >= 4
        && trimmed.chars().all(char::is_alphabetic);
    glued.then_some(trimmed)
}

/// Stems and folds words of one language.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Analyzer {
    /// An analyzer for `lang`.
    pub fn new(lang: Language) -> Analyzer {
        let algorithm = match lang {
            Language::Pl => Algorithm::Polish,
            Language::En => Algorithm::English,
        };
        Analyzer {
            stemmer: Stemmer::create(algorithm),
        }
    }

    /// The keys one word of a document is indexed under (one or two, deduplicated).
    pub fn index_keys(&self, word: &str) -> Vec<String> {
        let lower = word.to_lowercase();
        let as_written = fold(&self.stemmer.stem(&lower));
        let folded = fold(&lower);
        let of_folded = self.stemmer.stem(&folded).into_owned();
        if as_written == of_folded {
            vec![as_written]
        } else {
            vec![as_written, of_folded]
        }
    }

    /// The keys a query word looks for: the stem of its folded form, and for a word typed with
    /// diacritics also the folded stem of the word as typed.
    pub fn query_keys(&self, word: &str) -> Vec<String> {
        let lower = word.to_lowercase();
        let folded = fold(&lower);
        let mut keys = vec![self.stemmer.stem(&folded).into_owned()];
        if folded != lower {
            let as_typed = fold(&self.stemmer.stem(&lower));
            if !keys.contains(&as_typed) {
                keys.push(as_typed);
            }
        }
        keys
    }

    /// Every index key of `text`, in order, with the position of its word.
    pub fn index_text(&self, text: &str) -> Vec<(usize, String)> {
        words(text)
            .enumerate()
            .flat_map(|(i, w)| self.index_keys(w).into_iter().map(move |k| (i, k)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_polish_letter_folds() {
        assert_eq!(fold("ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż"), "acelnoszz acelnoszz");
        assert_eq!(fold("Łódź"), "lodz");
    }

    #[test]
    fn the_browser_folds_with_this_table() {
        let js = include_str!("../../themes/default/static/search.js");
        let start = js.find("/* fold-table */ \"").map(|i| i + 18);
        let end = js.find("\" /* end */");
        let (Some(start), Some(end)) = (start, end) else {
            panic!("search.js lost its fold-table markers");
        };
        assert_eq!(
            &js[start..end],
            fold_table(),
            "paste the output of fold_table() into search.js between the markers"
        );
        assert!(fold_table().contains("łl") && fold_table().contains("ßss"));
    }

    #[test]
    fn glued_footnote_markers_do_not_spoil_words() {
        let w: Vec<_> =
            words("przekazem internetowym2. Google Plus.1 Internet mp3 COVID19").collect();
        assert!(w.contains(&"internetowym"), "{w:?}");
        assert!(w.contains(&"Plus"), "{w:?}");
        assert!(w.contains(&"mp3"), "short words keep their digits: {w:?}");
        assert!(w.contains(&"COVID19") && w.contains(&"COVID"), "{w:?}");
    }

    /// Real Polish word pairs: a form in the text and another form a reader types, without
    /// diacritics. They must share a key.
    const PAIRS: &[(&str, &str)] = &[
        ("społecznościowych", "spolecznosciowe"),
        ("społecznościowe", "spolecznosciowych"),
        ("lojalność", "lojalnosci"),
        ("klientów", "klient"),
        ("klientów", "klientow"),
        ("personalizację", "personalizacja"),
        ("treści", "tresc"),
        ("interaktywność", "interaktywnosci"),
        ("wyszukiwarkach", "wyszukiwarka"),
        ("firmie", "firma"),
        ("internetowym", "internetowy"),
        ("reklamie", "reklame"),
        ("sprzedaży", "sprzedaz"),
        ("newslettera", "newsletter"),
        ("marketingu", "marketing"),
        ("komunikacji", "komunikacja"),
        ("stronie", "strony"),
        ("mediach", "media"),
    ];

    #[test]
    fn inflected_forms_share_a_key() {
        let a = Analyzer::new(Language::Pl);
        for (in_text, typed) in PAIRS {
            let index = a.index_keys(in_text);
            let query = a.query_keys(typed);
            assert!(
                query.iter().any(|k| index.contains(k)),
                "`{typed}` should find `{in_text}`: index {index:?}, query {query:?}"
            );
        }
    }

    #[test]
    fn english_pages_stem_in_english() {
        let a = Analyzer::new(Language::En);
        assert!(
            a.query_keys("marketing").iter().any(
                |k| a.index_keys("marketers").contains(k) || a.index_keys("market").contains(k)
            )
        );
        assert_eq!(a.index_keys("running"), ["run"]);
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_leaves_no_polish_letters(word in "\\PC{0,20}") {
            let once = fold(&word);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)));
        }

        #[test]
        fn a_word_without_diacritics_finds_itself(word in "[a-ząćęłńóśźż]{1,14}") {
            let a = Analyzer::new(Language::Pl);
            let index = a.index_keys(&word);
            let typed = fold(&word);
            prop_assert!(a.query_keys(&typed).iter().any(|k| index.contains(k)), "{} {:?} {:?}", typed, index, a.query_keys(&typed));
            prop_assert!(a.query_keys(&word).iter().any(|k| index.contains(k)));
        }
    }
}
