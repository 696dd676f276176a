//! URL slugs: ASCII, lower case, hyphen-separated, safe as one path segment.
//!
//! Polish letters are transliterated (`ł` -> `l`, `ż` -> `z`), which Unicode decomposition alone
//! does not do for `ł`; `deunicode` covers it and every other script an author might paste.

/// Turns any text into a slug: `Social media marketing w małej firmie` ->
/// `social-media-marketing-w-malej-firmie`. Never contains `/`, `.` or `..`; may be empty.
pub(crate) fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;
    use proptest::prelude::*;

    #[test]
    fn transliterates_polish() {
        assert_eq!(
            slugify("Social media marketing w małej firmie"),
            "social-media-marketing-w-malej-firmie"
        );
        assert_eq!(slugify("Zażółć gęślą jaźń"), "zazolc-gesla-jazn");
        assert_eq!(slugify("ŁÓDŹ — „Śródmieście”?"), "lodz-srodmiescie");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("  "), "");
    }

    proptest! {
        #[test]
        fn slugs_are_a_safe_charset(text in "\\PC{0,40}") {
            let s = slugify(&text);
            prop_assert!(s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!s.starts_with('-') && !s.ends_with('-'));
            prop_assert!(!s.contains("--"));
            prop_assert_eq!(slugify(&s), s.clone());
        }
    }
}
