//! What the info string of a fenced code block asks for, with Zola's names:
//! ```` ```yaml title="config.yaml" linenos linenostart=10 hl_lines="2 4-6" ````.
//!
//! The first word is the language. Other words are read where kbsite knows them and left
//! alone otherwise, so the info strings of other tools (`rust,ignore`, `jsx {1,3}`,
//! `js src/App.js active`) keep their language and nothing breaks.

/// How a fenced block is shown besides its code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct CodeAttrs {
    /// The language that chooses the highlighting: the first word of the info string.
    pub(crate) language: Option<String>,
    /// A caption above the block, usually a file name (`title="config.yaml"`).
    pub(crate) title: Option<String>,
    /// Whether lines are numbered (`linenos`).
    pub(crate) linenos: bool,
    /// The number of the first line (`linenostart=10`), 1 unless given.
    pub(crate) linenostart: usize,
    /// Lines to highlight, as 1-based inclusive ranges of the block's own lines
    /// (`hl_lines="2 4-6"`), whatever number the first line shows.
    pub(crate) hl_lines: Vec<(usize, usize)>,
}

/// The language a fence names that is drawn as a diagram rather than shown as code.
pub(crate) const MERMAID: &str = "mermaid";

impl CodeAttrs {
    /// Reads an info string.
    pub(crate) fn parse(info: &str) -> CodeAttrs {
        let language = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .filter(|w| !w.is_empty() && !w.contains('='))
            .map(str::to_string);
        let mut attrs = CodeAttrs {
            language,
            linenostart: 1,
            ..CodeAttrs::default()
        };
        for (key, value) in words(info) {
            match (key, value) {
                ("title", Some(title)) if !title.trim().is_empty() => {
                    attrs.title = Some(title.trim().to_string());
                }
                ("linenos", None) => attrs.linenos = true,
                ("linenostart", Some(n)) => {
                    if let Ok(n) = n.trim().parse::<usize>() {
                        attrs.linenostart = n;
                    }
                }
                ("hl_lines", Some(lines)) => attrs.hl_lines = line_ranges(lines),
                _ => {}
            }
        }
        attrs
    }

    /// Whether the block shows more than highlighted code: numbers, marked lines or a title.
    pub(crate) fn decorated(&self) -> bool {
        self.linenos || !self.hl_lines.is_empty() || self.title.is_some()
    }

    /// Whether line `n` (1-based, of the block's own lines) is highlighted.
    pub(crate) fn highlighted(&self, n: usize) -> bool {
        self.hl_lines.iter().any(|&(a, b)| (a..=b).contains(&n))
    }

    /// Whether the fence is a Mermaid diagram.
    pub(crate) fn is_mermaid(&self) -> bool {
        self.language
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(MERMAID))
    }
}

/// The `key` and `key=value` words of an info string after its language; a value may be
/// quoted with `"` or `'` and then hold spaces.
fn words(info: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let mut rest = info;
    // The language, unless the string starts with an attribute.
    if let Some(first) = rest.split_whitespace().next()
        && !first.contains('=')
    {
        rest = rest.trim_start()[first.len()..].trim_start();
    }
    while !rest.is_empty() {
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = &rest[key_len..];
        if let Some(after) = rest.strip_prefix('=') {
            let (value, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(end) => (&after[1..1 + end], &after[end + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            out.push((key, Some(value)));
            rest = tail;
        } else if !key.is_empty() {
            out.push((key, None));
        }
        rest = rest.trim_start();
    }
    out
}

/// Reads `2 4-6` (spaces or commas between) as ranges; what does not read is skipped.
fn line_ranges(text: &str) -> Vec<(usize, usize)> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter_map(|part| {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a >= 1 && a <= b).then_some((a, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zolas_attributes_are_read() {
        let a = CodeAttrs::parse("yaml title=\"config.yaml\" linenos hl_lines=\"2 4-6\"");
        assert_eq!(a.language.as_deref(), Some("yaml"));
        assert_eq!(a.title.as_deref(), Some("config.yaml"));
        assert!(a.linenos);
        assert_eq!(a.linenostart, 1);
        assert_eq!(a.hl_lines, vec![(2, 2), (4, 6)]);
        assert!(a.highlighted(5) && !a.highlighted(3));
        assert!(a.decorated());
    }

    #[test]
    fn a_title_may_hold_spaces_and_single_quotes() {
        let a = CodeAttrs::parse("sh title='Skrypt wdrożenia.sh' linenostart=10");
        assert_eq!(a.title.as_deref(), Some("Skrypt wdrożenia.sh"));
        assert_eq!(a.linenostart, 10);
        assert!(!a.linenos);
    }

    #[test]
    fn other_tools_info_strings_keep_their_language() {
        for (info, lang) in [
            ("rust,ignore", Some("rust")),
            ("jsx {1,3}", Some("jsx")),
            ("js src/App.js active", Some("js")),
            ("", None),
            ("title=\"a.txt\"", None),
        ] {
            let a = CodeAttrs::parse(info);
            assert_eq!(a.language.as_deref(), lang, "{info}");
            assert!(a.hl_lines.is_empty(), "{info}");
        }
        assert_eq!(
            CodeAttrs::parse("title=\"a.txt\"").title.as_deref(),
            Some("a.txt")
        );
        assert!(!CodeAttrs::parse("yaml").decorated());
    }

    #[test]
    fn bad_line_lists_are_skipped_not_fatal() {
        let a = CodeAttrs::parse("py hl_lines=\"x 3-1 0 2,5-5\" title=\"unclosed");
        assert_eq!(a.hl_lines, vec![(2, 2), (5, 5)]);
        assert_eq!(a.title.as_deref(), Some("unclosed"));
    }

    #[test]
    fn mermaid_is_a_diagram_in_any_case() {
        assert!(CodeAttrs::parse("mermaid").is_mermaid());
        assert!(CodeAttrs::parse("Mermaid title=\"x\"").is_mermaid());
        assert!(!CodeAttrs::parse("yaml").is_mermaid());
    }
}
