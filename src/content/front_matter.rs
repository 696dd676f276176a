//! Splits a Markdown file into its YAML front matter and its body, keeping the line numbers of
//! both so that every later error can point at the real line of the file.

/// The two parts of a Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines (empty when there is no front matter).
    pub yaml: &'a str,
    /// 1-based line of the file where `yaml` starts.
    pub yaml_first_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Byte offset of `body` in the (BOM-less) file text.
    pub body_offset: usize,
}

/// Why a file's front matter cannot be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// An opening `---` without a closing one.
    Unclosed,
    /// The file starts with TOML front matter (`+++`), which kbsite does not read.
    Toml,
}

/// Removes a UTF-8 byte order mark, which Windows editors still write.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Splits `text` (already without BOM). Front matter exists only when the very first line is
/// `---`; a `---` further down is a Markdown thematic break. The block ends at the next line
/// that is `---` or `...`. CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let no_front_matter = Split {
        yaml: "",
        yaml_first_line: 1,
        body: text,
        body_offset: 0,
    };
    let mut lines = LineIter { text, pos: 0 };
    let Some((first, _, after_first)) = lines.next() else {
        return Ok(no_front_matter);
    };
    match first.trim_end() {
        "---" => {}
        "+++" => return Err(SplitError::Toml),
        _ => return Ok(no_front_matter),
    }
    let yaml_start = after_first;
    for (line, start, end) in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return Ok(Split {
                yaml: &text[yaml_start..start],
                yaml_first_line: 2,
                body: &text[end..],
                body_offset: end,
            });
        }
    }
    Err(SplitError::Unclosed)
}

/// Iterates lines as (line without its ending, start offset, offset after the ending).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, consumed) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos = start + consumed;
        Some((line.strip_suffix('\r').unwrap_or(line), start, self.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_yaml_and_body() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_offset, 17);
    }

    #[test]
    fn crlf_and_dots_close_the_block() {
        let s = split("---\r\ntitle: A\r\n...\r\nx").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "x");
    }

    #[test]
    fn a_later_rule_is_not_front_matter() {
        let text = "# T\n\n---\n\nmore\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, text);
    }

    #[test]
    fn unclosed_and_toml_are_errors() {
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("+++\ntitle = 'A'\n+++\n"), Err(SplitError::Toml));
    }

    #[test]
    fn bom_is_stripped() {
        assert_eq!(strip_bom("\u{feff}---\n"), "---\n");
    }

    proptest! {
        #[test]
        fn yaml_and_body_are_the_file_minus_delimiters(
            yaml_lines in proptest::collection::vec("[a-z]{1,8}: [a-zA-Z0-9 ]{0,10}", 0..5),
            body in "[^\\r]{0,200}",
            crlf in any::<bool>(),
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            let yaml: String = yaml_lines.iter().map(|l| format!("{l}{nl}")).collect();
            let text = format!("---{nl}{yaml}---{nl}{body}");
            let s = split(&text).unwrap();
            prop_assert_eq!(s.yaml, yaml.as_str());
            prop_assert_eq!(s.body, body.as_str());
            prop_assert_eq!(&text[s.body_offset..], body.as_str());
        }

        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let _ = split(&text);
        }
    }
}
