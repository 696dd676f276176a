//! Build-time syntax highlighting of fenced code, as CSS classes (`hl-*`) so pages need no
//! JavaScript and the theme decides the colours for light and dark schemes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The class prefix of highlighted tokens; the theme's CSS styles `.hl-comment`, `.hl-string`…
pub(crate) const CLASS_PREFIX: &str = "hl-";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The language of a fence: only the first word of the info string counts, so
/// ```` ```rust,ignore title="x" ```` is `rust`.
pub(crate) fn fence_language(info: &str) -> Option<&str> {
    let first = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("");
    (!first.is_empty()).then_some(first)
}

/// Highlighted HTML by (language, code).
type BlockCache = HashMap<(String, String), Arc<str>>;

/// Highlighted blocks by (language, code): knowledge bases repeat snippets (configuration
/// templates, the same command in many how-tos), and highlighting is the most expensive step
/// of Markdown rendering. Bounded so a huge site cannot grow it without limit.
fn cache() -> &'static Mutex<BlockCache> {
    static CACHE: OnceLock<Mutex<BlockCache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

const CACHE_LIMIT: usize = 4096;

/// Renders a code block: highlighted when the language is known, escaped text otherwise.
pub(crate) fn code_block(code: &str, language: Option<&str>) -> String {
    let key = (language.unwrap_or("").to_string(), code.to_string());
    if let Some(hit) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit.to_string();
    }
    let html = render_block(code, language);
    if let Ok(mut c) = cache().lock()
        && c.len() < CACHE_LIMIT
    {
        c.insert(key, Arc::from(html.as_str()));
    }
    html
}

fn render_block(code: &str, language: Option<&str>) -> String {
    let mut html = String::with_capacity(code.len() * 2 + 64);
    // Focusable, so that keyboard readers can scroll a long line sideways.
    html.push_str("<pre class=\"code\" tabindex=\"0\"");
    if let Some(lang) = language {
        html.push_str(" data-lang=\"");
        escape_into(&mut html, lang);
        html.push('"');
    }
    html.push_str("><code");
    if let Some(lang) = language {
        html.push_str(" class=\"language-");
        escape_into(&mut html, lang);
        html.push('"');
    }
    html.push('>');
    match language.and_then(highlight) {
        Some(highlighted) => html.push_str(&highlighted(code)),
        None => escape_into(&mut html, code),
    }
    html.push_str("</code></pre>\n");
    html
}

fn highlight(language: &str) -> Option<impl Fn(&str) -> String> {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(language)
        .or_else(|| set.find_syntax_by_token(&language.to_ascii_lowercase()))?;
    Some(move |code: &str| {
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            set,
            ClassStyle::SpacedPrefixed {
                prefix: CLASS_PREFIX,
            },
        );
        for line in LinesWithEndings::from(code) {
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                let mut plain = String::new();
                escape_into(&mut plain, code);
                return plain;
            }
        }
        generator.finalize()
    })
}

/// HTML-escapes text into `out` (text and attribute safe).
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_word_is_the_language() {
        assert_eq!(fence_language("rust,ignore"), Some("rust"));
        assert_eq!(fence_language("yaml title=\"x\""), Some("yaml"));
        assert_eq!(fence_language(""), None);
    }

    #[test]
    fn known_languages_get_classes_and_unknown_are_escaped() {
        let html = code_block("# komentarz\nkey: \"wartość\"\n", Some("yaml"));
        assert!(html.contains("hl-comment"), "{html}");
        assert!(html.contains("data-lang=\"yaml\""));
        let plain = code_block("<b>", Some("nope\"x"));
        assert!(plain.contains("&lt;b&gt;"));
        assert!(plain.contains("language-nope&quot;x"));
    }
}
