//! Polish typography: a one-letter word (a conjunction or preposition such as `w`, `z`, `i`,
//! `o`, `u`, `a`) must not end a line, so it is bound to the next word with a non-breaking
//! space, as Polish typesetting rules require.

/// Whether a byte is a letter that forms a one-letter word in Polish.
fn is_one_letter_word(b: u8) -> bool {
    matches!(
        b,
        b'a' | b'i' | b'o' | b'u' | b'w' | b'z' | b'A' | b'I' | b'O' | b'U' | b'W' | b'Z'
    )
}

/// The non-breaking space.
const NBSP: char = '\u{a0}';

/// Characters after which a word starts (besides spaces and the start of a block).
fn opens_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | '[' | '„' | '"' | '«' | '‚' | '\'' | '—' | '–')
}

/// Binds the one-letter words of `text` to the next word. `before` is the character before
/// `text` in the same block; `pending` says that text ended with a one-letter word, so a
/// space opening `text` is bound too. Returns the new text (`None` when nothing changed) and
/// whether `text` ends with a one-letter word.
pub(crate) fn bind_one_letter_words(
    text: &str,
    before: Option<char>,
    pending: bool,
) -> (Option<String>, bool) {
    let bytes = text.as_bytes();
    // Byte offsets of the spaces to replace. One-letter words and spaces are ASCII, so the
    // scan is over bytes; a character before a letter is decoded only when it is not ASCII.
    let mut spaces: Vec<usize> = Vec::new();
    if pending && bytes.first() == Some(&b' ') {
        spaces.push(0);
    }
    let char_before = |i: usize| -> Option<char> {
        if i == 0 {
            return before;
        }
        match bytes[i - 1] {
            b if b.is_ascii() => Some(b as char),
            _ => text[..i].chars().next_back(),
        }
    };
    let is_word = |i: usize| is_one_letter_word(bytes[i]) && char_before(i).is_none_or(opens_word);
    // Each space after a one-letter word, found from the spaces (far fewer than letters).
    spaces.extend(
        bytes
            .iter()
            .enumerate()
            .skip(1)
            .filter(|&(i, &b)| b == b' ' && is_word(i - 1))
            .map(|(i, _)| i),
    );
    let ends_bound = !bytes.is_empty() && is_word(bytes.len() - 1);
    if spaces.is_empty() {
        return (None, ends_bound);
    }
    let mut out = String::with_capacity(text.len() + spaces.len());
    let mut from = 0;
    for at in spaces {
        out.push_str(&text[from..at]);
        out.push(NBSP);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    (Some(out), ends_bound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bind(text: &str) -> String {
        bind_one_letter_words(text, None, false)
            .0
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn one_letter_words_are_bound_to_the_next_word() {
        assert_eq!(bind("Kot w domu i pies"), "Kot w\u{a0}domu i\u{a0}pies");
        assert_eq!(
            bind("W sklepie a potem z nami"),
            "W\u{a0}sklepie a\u{a0}potem z\u{a0}nami"
        );
        assert_eq!(bind("i w domu"), "i\u{a0}w\u{a0}domu");
        assert_eq!(
            bind("(w nawiasie) „o tym”"),
            "(w\u{a0}nawiasie) „o\u{a0}tym”"
        );
    }

    #[test]
    fn letters_inside_words_and_other_letters_stay() {
        assert_eq!(bind("kawa woda"), "kawa woda");
        assert_eq!(bind("x y b c"), "x y b c");
        assert_eq!(bind("punkt a."), "punkt a.");
        assert!(bind_one_letter_words("bez zmian", None, false).0.is_none());
    }

    #[test]
    fn a_word_at_the_end_binds_what_comes_next() {
        assert_eq!(bind_one_letter_words("idę w", None, false), (None, true));
        let (text, _) = bind_one_letter_words(" domu", Some('w'), true);
        assert_eq!(text.as_deref(), Some("\u{a0}domu"));
        // A letter ending a longer word is not a word of its own.
        assert!(!bind_one_letter_words("ba", None, false).1);
        assert!(!bind_one_letter_words("a", Some('b'), false).1);
    }

    proptest! {
        #[test]
        fn only_spaces_change_and_only_to_nbsp(text in "[aiowzAWkot ,.(„”)]{0,40}") {
            let bound = bind(&text);
            prop_assert_eq!(bound.chars().count(), text.chars().count());
            for (a, b) in text.chars().zip(bound.chars()) {
                prop_assert!(a == b || (a == ' ' && b == NBSP));
            }
            // Binding twice changes nothing more.
            prop_assert_eq!(bind(&bound), bound.clone());
        }
    }
}
