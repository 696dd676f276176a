//! Splits a Markdown file into its front matter and its body, keeping the line numbers of
//! both so that every later error can point at the real line of the file.
//!
//! Front matter is YAML between `---` lines, or TOML between `+++` lines as Hugo and Zola
//! sites write it, so such sites can move to kbsite without rewriting every article.

/// Which language a front matter block is written in, told by its delimiter lines, so the
/// block goes to the parser that can read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterFormat {
    /// Between `---` lines (closed by `---` or `...`).
    Yaml,
    /// Between `+++` lines.
    Toml,
}

impl FrontMatterFormat {
    /// The delimiter line, for messages that tell an author what to write.
    pub fn delimiter(self) -> &'static str {
        match self {
            FrontMatterFormat::Yaml => "---",
            FrontMatterFormat::Toml => "+++",
        }
    }

    /// The language's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            FrontMatterFormat::Yaml => "YAML",
            FrontMatterFormat::Toml => "TOML",
        }
    }
}

/// The two parts of a Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter text between the delimiter lines (empty when there is none), in the
    /// language `format` names: the field keeps its name from when YAML was the only one.
    pub yaml: &'a str,
    /// The language of `yaml`.
    pub format: FrontMatterFormat,
    /// 1-based line of the file where `yaml` starts.
    pub yaml_first_line: usize,
    /// The Markdown after the closing delimiter line.
    pub body: &'a str,
    /// Byte offset of `body` in the (BOM-less) file text.
    pub body_offset: usize,
}

/// Why a file's front matter cannot be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// An opening `---` (or `+++`) line without a closing one.
    Unclosed(FrontMatterFormat),
}

/// Removes a UTF-8 byte order mark, which Windows editors still write.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Splits `text` (already without BOM). Front matter exists only when the very first line is
/// `---` (YAML) or `+++` (TOML); a `---` further down is a Markdown thematic break. A YAML
/// block ends at the next line that is `---` or `...`, a TOML block at the next `+++`. CRLF
/// line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let no_front_matter = Split {
        yaml: "",
        format: FrontMatterFormat::Yaml,
        yaml_first_line: 1,
        body: text,
        body_offset: 0,
    };
    let mut lines = LineIter { text, pos: 0 };
    let Some((first, _, after_first)) = lines.next() else {
        return Ok(no_front_matter);
    };
    let format = match first.trim_end() {
        "---" => FrontMatterFormat::Yaml,
        "+++" => FrontMatterFormat::Toml,
        _ => return Ok(no_front_matter),
    };
    let closes = |line: &str| match format {
        FrontMatterFormat::Yaml => matches!(line, "---" | "..."),
        FrontMatterFormat::Toml => line == "+++",
    };
    let start = after_first;
    for (line, line_start, end) in lines {
        if closes(line.trim_end()) {
            return Ok(Split {
                yaml: &text[start..line_start],
                format,
                yaml_first_line: 2,
                body: &text[end..],
                body_offset: end,
            });
        }
    }
    Err(SplitError::Unclosed(format))
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
    fn unclosed_blocks_are_errors() {
        assert_eq!(
            split("---\ntitle: A\n"),
            Err(SplitError::Unclosed(FrontMatterFormat::Yaml))
        );
        assert_eq!(
            split("+++\ntitle = 'A'\n"),
            Err(SplitError::Unclosed(FrontMatterFormat::Toml))
        );
        assert_eq!(
            split("+++\ntitle = 'A'\n---\nbody\n"),
            Err(SplitError::Unclosed(FrontMatterFormat::Toml)),
            "`---` does not close TOML"
        );
    }

    #[test]
    fn splits_toml_and_body() {
        let s = split("+++\ntitle = \"A\"\n[extra]\nx = 1\n+++\n# Body\n").unwrap();
        assert_eq!(s.format, FrontMatterFormat::Toml);
        assert_eq!(s.yaml, "title = \"A\"\n[extra]\nx = 1\n");
        assert_eq!(s.yaml_first_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_offset, 34);
    }

    #[test]
    fn toml_with_crlf_and_trailing_spaces() {
        let s = split("+++ \r\ntitle = 'A'\r\n+++\t\r\nx").unwrap();
        assert_eq!(s.format, FrontMatterFormat::Toml);
        assert_eq!(s.yaml, "title = 'A'\r\n");
        assert_eq!(s.body, "x");
        let s = split("+++\n+++\n").unwrap();
        assert_eq!((s.yaml, s.body), ("", ""));
    }

    #[test]
    fn dots_do_not_close_toml_and_plus_does_not_close_yaml() {
        let s = split("+++\na = 1\n...\n+++\nb").unwrap();
        assert_eq!((s.yaml, s.body), ("a = 1\n...\n", "b"));
        let s = split("---\na: 1\n+++\n---\nb").unwrap();
        assert_eq!((s.format, s.yaml), (FrontMatterFormat::Yaml, "a: 1\n+++\n"));
    }

    #[test]
    fn a_later_plus_line_is_not_front_matter() {
        let text = "# T\n\n+++\na = 1\n+++\n";
        let s = split(text).unwrap();
        assert_eq!((s.yaml, s.body), ("", text));
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
        fn toml_and_body_are_the_file_minus_delimiters(
            toml_lines in proptest::collection::vec("[a-z]{1,8} = \"[a-zA-Z0-9 ]{0,10}\"", 0..5),
            body in "[^\\r]{0,200}",
            crlf in any::<bool>(),
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            let toml: String = toml_lines.iter().map(|l| format!("{l}{nl}")).collect();
            let text = format!("+++{nl}{toml}+++{nl}{body}");
            let s = split(&text).unwrap();
            prop_assert_eq!(s.format, FrontMatterFormat::Toml);
            prop_assert_eq!(s.yaml, toml.as_str());
            prop_assert_eq!(s.body, body.as_str());
            prop_assert_eq!(&text[s.body_offset..], body.as_str());
        }

        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let _ = split(&text);
            let _ = split(&format!("+++\n{text}"));
        }
    }
}
