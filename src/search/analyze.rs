//! Text analysis shared by the index and the query side.
//!
//! A word of a document is indexed under one key: the stem of the word as written, folded
//! (`klientów` -> `klient`). The Snowball stemmers only know Polish suffixes with their
//! diacritics (`-ów`), so the stem is taken before folding. The query side never stems (the
//! browser has no stemmer): it meets these keys through the folded forms the index lists and
//! through stems followed by an inflectional ending (see `query`).

use pagefind_stem::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::config::Language;

/// Lower-cases and removes diacritics, Polish letters included (`Łódź` -> `lodz`), and
/// apostrophes (`don’t` -> `dont`). Latin
/// letters fold to ASCII; other scripts stay as they are, so a Greek or Cyrillic word is still
/// one word. Folding again changes nothing. The browser runtime folds with a table generated
/// from this function ([`fold_table`]), which keeps both sides identical.
pub(crate) fn fold(word: &str) -> String {
    let mut lower = word.to_lowercase();
    // Apostrophes inside a word go (`don't` -> `dont`): readers rarely type them.
    if lower.contains('\'') {
        lower.retain(|c| c != '\'');
    }
    if lower.is_ascii() {
        return lower;
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c == '\u{2019}' {
            // A typographic apostrophe inside a word (`don’t`) goes, like the ASCII one.
        } else if c.is_ascii() {
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
#[cfg(test)]
pub(crate) fn fold_table() -> String {
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
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    word_indices(text).flat_map(|(_, word)| std::iter::once(word).chain(glued_marker(word)))
}

/// Calls `f` with each word of `text` as [`words`] gives them, without the iterator
/// adapters: the hot loop of indexing millions of words.
pub(crate) fn each_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    for chunk in text.split_ascii_whitespace() {
        let core = chunk.trim_matches(is_outer_punctuation);
        if core.is_empty() {
            continue;
        }
        let mut word = |w: &'t str| {
            f(w);
            if let Some(bare) = glued_marker(w) {
                f(bare);
            }
        };
        if core.chars().all(is_simple_letter) {
            word(core);
        } else {
            for w in chunk.unicode_words() {
                word(w);
            }
        }
    }
}

/// The words of `text` with their byte offsets, exactly as Unicode word segmentation
/// (UAX #29, `unicode_word_indices`) gives them, but several times faster on ordinary text:
/// a space-separated chunk that is Latin letters and digits, with at most some ASCII
/// punctuation around them, is one word by the standard's rules; only other chunks go
/// through the full segmenter.
pub(crate) fn word_indices(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_ascii_whitespace().flat_map(move |chunk| {
        let at = chunk.as_ptr() as usize - text.as_ptr() as usize;
        let core = chunk.trim_matches(is_outer_punctuation);
        let simple = !core.is_empty() && core.chars().all(is_simple_letter);
        let (fast, slow) = if simple {
            let start = at + (core.as_ptr() as usize - chunk.as_ptr() as usize);
            (Some((start, core)), None)
        } else {
            let words = chunk.unicode_word_indices().map(move |(i, w)| (at + i, w));
            (None, Some(words))
        };
        fast.into_iter().chain(slow.into_iter().flatten())
    })
}

/// ASCII punctuation that never joins a word when nothing but a word's letters stands on its
/// other side (`_` joins, so it is not one of them).
fn is_outer_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() && c != '_'
}

/// Letters and digits that segmentation always keeps together (ALetter and Numeric).
fn is_simple_letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (('\u{c0}'..='\u{24f}').contains(&c) && c != '\u{d7}' && c != '\u{f7}')
        || ('\u{1e00}'..='\u{1eff}').contains(&c)
}

/// The word without a footnote marker glued to its end (`internetowym2` -> `internetowym`):
/// one or two digits after four letters or more. Short words keep their digits (`mp3`).
pub(crate) fn glued_marker(word: &str) -> Option<&str> {
    if !word.as_bytes().last().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let trimmed = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = word.len() - trimmed.len();
    let glued = (1..=2).contains(&digits)
        && trimmed.chars().count() >= 4
        && trimmed.chars().all(char::is_alphabetic);
    glued.then_some(trimmed)
}

/// The parts of an identifier written as one word: `useState` -> `use`, `State`;
/// `getDerivedStateFromProps` -> `get`, `Derived`, `State`, `From`, `Props`; `HTMLElement` ->
/// `HTML`, `Element`; `React.memo` -> `React`, `memo`; `max_width` -> `max`, `width`. Documents
/// index an identifier whole and by these parts, so `usestate` and `use state` both find it.
/// Empty for an ordinary word (one part): a capital first letter or an all-capital word is
/// not an identifier.
pub(crate) fn identifier_parts(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if c == '_' || c == '.' {
            if at > start {
                parts.push(&word[start..at]);
            }
            start = at + c.len_utf8();
            continue;
        }
        let Some(&(_, previous)) = i.checked_sub(1).map(|j| &chars[j]) else {
            continue;
        };
        let next_lower = chars.get(i + 1).is_some_and(|&(_, n)| n.is_lowercase());
        // `eS` in `useState`, and `LE` in `HTMLElement` (the last capital starts a word).
        let boundary = c.is_uppercase()
            && (previous.is_lowercase() || (previous.is_uppercase() && next_lower));
        if boundary && at > start {
            parts.push(&word[start..at]);
            start = at;
        }
    }
    if start < word.len() && !parts.is_empty() {
        parts.push(&word[start..]);
    }
    if parts.len() < 2 {
        parts.clear();
    }
    parts
}

/// Stems and folds words of one language.
pub(crate) struct Analyzer {
    stemmer: Stemmer,
}

impl Analyzer {
    /// An analyzer for `lang`.
    pub(crate) fn new(lang: Language) -> Analyzer {
        let algorithm = match lang {
            Language::Pl => Algorithm::Polish,
            Language::En => Algorithm::English,
        };
        Analyzer {
            stemmer: Stemmer::create(algorithm),
        }
    }

    /// The key one word of a document is indexed under.
    pub(crate) fn index_key(&self, word: &str) -> String {
        fold(&self.stemmer.stem(&word.to_lowercase()))
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
        assert_eq!(fold("Don't"), "dont");
        assert_eq!(fold("don’t"), "dont");
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

    #[test]
    fn identifiers_split_into_their_words() {
        assert_eq!(identifier_parts("useState"), ["use", "State"]);
        assert_eq!(
            identifier_parts("getDerivedStateFromProps"),
            ["get", "Derived", "State", "From", "Props"]
        );
        assert_eq!(identifier_parts("HasSuffix"), ["Has", "Suffix"]);
        assert_eq!(identifier_parts("HTMLElement"), ["HTML", "Element"]);
        assert_eq!(identifier_parts("React.memo"), ["React", "memo"]);
        assert_eq!(identifier_parts("max_width"), ["max", "width"]);
        assert_eq!(identifier_parts("ŁódźKaliska"), ["Łódź", "Kaliska"]);
        for plain in [
            "Marketing",
            "SEO",
            "marketing",
            "mp3",
            "COVID19",
            "_x",
            "a.",
        ] {
            assert!(identifier_parts(plain).is_empty(), "{plain}");
        }
    }

    #[test]
    fn inflected_forms_share_a_key() {
        let a = Analyzer::new(Language::Pl);
        for (x, y) in [
            ("klientów", "klienta"),
            ("społecznościowych", "społecznościowe"),
            ("lojalność", "lojalności"),
            ("wyszukiwarkach", "wyszukiwarka"),
            ("marketingu", "marketing"),
        ] {
            assert_eq!(a.index_key(x), a.index_key(y), "{x} {y}");
        }
        assert_eq!(a.index_key("Klientów"), "klient");
    }

    #[test]
    fn english_pages_stem_in_english() {
        let a = Analyzer::new(Language::En);
        assert_eq!(a.index_key("running"), "run");
        assert_eq!(a.index_key("Marketers"), a.index_key("marketer"));
    }

    proptest! {
        #[test]
        fn fast_words_equal_unicode_segmentation(
            text in "[a-zA-Z0-9ąćęłńóśźżĄŁ ß.,:;'’_!?()\"„”\\-\n\t0-9日本語\u{301}\u{200d}ᄀ-]{0,60}"
        ) {
            let fast: Vec<_> = word_indices(&text).collect();
            let full: Vec<_> = text.unicode_word_indices().collect();
            prop_assert_eq!(fast, full);
            let mut each = Vec::new();
            each_word(&text, |w| each.push(w));
            prop_assert_eq!(each, words(&text).collect::<Vec<_>>());
        }

        #[test]
        fn identifier_parts_are_pieces_of_the_word_in_order(word in "[a-zA-ZąęŁ_.0-9]{0,16}") {
            let parts = identifier_parts(&word);
            prop_assert!(parts.len() != 1);
            let joined: String = parts.concat();
            let letters: String = word.chars().filter(|c| *c != '_' && *c != '.').collect();
            if !parts.is_empty() {
                prop_assert_eq!(joined, letters);
                prop_assert!(parts.iter().all(|p| !p.is_empty()));
            }
        }

        #[test]
        fn folding_is_idempotent_and_leaves_no_polish_letters(word in "\\PC{0,20}") {
            let once = fold(&word);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)));
        }
    }
}
