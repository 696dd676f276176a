//! Build-time syntax highlighting of fenced code, as CSS classes (`hl-*`) so pages need no
//! JavaScript and the theme decides the colours for light and dark schemes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::code_attrs::CodeAttrs;
use super::highlight_cache::Highlights;

/// The class prefix of highlighted tokens; the theme's CSS styles `.hl-comment`, `.hl-string`…
pub(crate) const CLASS_PREFIX: &str = "hl-";

/// Whether this process asked for the syntax definitions: what `kbsite build -v` reports, so
/// a test can see that a build served from the cache never loads them.
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The syntax definitions, loaded on first use: deserialising them and compiling a language's
/// patterns is most of a small site's build, which the highlight cache avoids.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    REQUESTED.store(true, Ordering::Relaxed);
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Whether anything in this process needed the syntax definitions.
pub(crate) fn syntaxes_requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Starts loading the syntax definitions on another thread, for a build that knows it will
/// highlight (its cache is cold): the load then overlaps reading and parsing the content
/// instead of holding up the first code block.
pub(crate) fn load_syntaxes_in_background() {
    REQUESTED.store(true, Ordering::Relaxed);
    std::thread::spawn(|| {
        syntaxes();
    });
}

/// Renders a code block: highlighted when the language is known, escaped text otherwise,
/// with the title, line numbers and marked lines its info string asks for. The highlighted
/// code comes from `highlights` when an earlier block or build made it.
pub(crate) fn code_block(code: &str, attrs: &CodeAttrs, highlights: &Highlights) -> String {
    if attrs.decorated() {
        decorated_block(code, attrs, highlights)
    } else {
        render_block(code, attrs.language.as_deref(), highlights)
    }
}

fn render_block(code: &str, language: Option<&str>, highlights: &Highlights) -> String {
    let mut html = String::with_capacity(code.len() * 2 + 64);
    open_pre(&mut html, "code", language);
    html.push_str(&highlighted(code, language, highlights));
    html.push_str("</code></pre>\n");
    html
}

/// Opens `<pre class="{class}"><code>` for code in `language`.
fn open_pre(html: &mut String, class: &str, language: Option<&str>) {
    // Focusable, so that keyboard readers can scroll a long line sideways.
    html.push_str("<pre class=\"");
    html.push_str(class);
    html.push_str("\" tabindex=\"0\"");
    if let Some(lang) = language {
        html.push_str(" data-lang=\"");
        escape_into(html, lang);
        html.push('"');
    }
    html.push_str("><code");
    if let Some(lang) = language {
        html.push_str(" class=\"language-");
        escape_into(html, lang);
        html.push('"');
    }
    html.push('>');
}

/// The code's HTML: highlighted when the language is known, else escaped; a block with a
/// language goes through the cache either way, since finding out whether the language is
/// known needs the syntax definitions.
fn highlighted(code: &str, language: Option<&str>, highlights: &Highlights) -> Arc<str> {
    match language {
        Some(language) => highlights.get(language, code, || match self::highlight(language) {
            Some(highlight) => highlight(code),
            None => escaped(code),
        }),
        None => Arc::from(escaped(code)),
    }
}

fn escaped(code: &str) -> String {
    let mut plain = String::with_capacity(code.len() + 16);
    escape_into(&mut plain, code);
    plain
}

/// A block with a title, numbered or marked lines: a `div.code-block` holding the title and
/// the `<pre>`, each line a `span.line` (with its number in `data-n` for `linenos`, which
/// the theme shows with CSS, so copying the code never copies the numbers).
fn decorated_block(code: &str, attrs: &CodeAttrs, highlights: &Highlights) -> String {
    let language = attrs.language.as_deref();
    let mut html = String::with_capacity(code.len() * 3 + 128);
    html.push_str("<div class=\"code-block\">");
    title_into(&mut html, attrs);
    let lines = attrs.linenos || !attrs.hl_lines.is_empty();
    let class = match (lines, attrs.linenos) {
        (false, _) => "code",
        (true, false) => "code code--lines",
        (true, true) => "code code--lines code--linenos",
    };
    open_pre(&mut html, class, language);
    let body = highlighted(code, language, highlights);
    if lines {
        for (i, line) in balanced_lines(&body).iter().enumerate() {
            let n = i + 1;
            html.push_str("<span class=\"line");
            if attrs.highlighted(n) {
                html.push_str(" line--hl");
            }
            html.push('"');
            if attrs.linenos {
                html.push_str(&format!(" data-n=\"{}\"", attrs.linenostart + i));
            }
            html.push('>');
            html.push_str(line);
            html.push_str("</span>");
        }
    } else {
        html.push_str(&body);
    }
    html.push_str("</code></pre></div>\n");
    html
}

/// The title above a block, if it has one.
fn title_into(html: &mut String, attrs: &CodeAttrs) {
    if let Some(title) = &attrs.title {
        html.push_str("<p class=\"code-block__title\">");
        escape_into(html, title);
        html.push_str("</p>");
    }
}

/// A Mermaid fence: a `div.diagram` keeping the source as code, which the theme draws with
/// the site's copy of Mermaid and which stays readable code where there is none.
pub(crate) fn diagram_block(code: &str, attrs: &CodeAttrs) -> String {
    let mut html = String::with_capacity(code.len() + 160);
    html.push_str("<div class=\"diagram\" data-diagram=\"mermaid\">");
    title_into(&mut html, attrs);
    open_pre(
        &mut html,
        "code diagram__source",
        Some(super::code_attrs::MERMAID),
    );
    escape_into(&mut html, code);
    html.push_str("</code></pre></div>\n");
    html
}

/// Highlighted HTML cut into its lines, each ending with its line end and holding every
/// `<span>` it is inside: a token running over several lines (a long comment) is closed at
/// each line's end and opened again on the next, so each line is whole in itself.
fn balanced_lines(html: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    let mut line = String::new();
    // Whether `line` holds text yet, not only tags opened again or closed.
    let mut has_text = false;
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            open.push(&rest[..end]);
            line.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            open.pop();
            line.push_str("</span>");
            rest = after;
        } else if let Some(after) = rest.strip_prefix('\n') {
            for _ in &open {
                line.push_str("</span>");
            }
            line.push('\n');
            lines.push(std::mem::take(&mut line));
            has_text = false;
            for tag in &open {
                line.push_str(tag);
            }
            rest = after;
        } else {
            let next = rest.find(['<', '\n']).unwrap_or(rest.len()).max(1);
            let next = (next..=rest.len())
                .find(|&i| rest.is_char_boundary(i))
                .unwrap_or(rest.len());
            line.push_str(&rest[..next]);
            has_text = true;
            rest = &rest[next..];
        }
    }
    // Code that does not end with a line end has a last line of its own.
    if has_text {
        for _ in &open {
            line.push_str("</span>");
        }
        lines.push(line);
    }
    lines
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

    fn attrs(info: &str) -> CodeAttrs {
        CodeAttrs::parse(info)
    }

    fn code_block(code: &str, attrs: &CodeAttrs) -> String {
        super::code_block(code, attrs, &Highlights::default())
    }

    #[test]
    fn known_languages_get_classes_and_unknown_are_escaped() {
        let html = code_block("# komentarz\nkey: \"wartość\"\n", &attrs("yaml"));
        assert!(html.contains("hl-comment"), "{html}");
        assert!(html.contains("data-lang=\"yaml\""));
        let plain = code_block("<b>", &attrs("nope\"x"));
        assert!(plain.contains("&lt;b&gt;"));
        assert!(plain.contains("language-nope&quot;x"));
    }

    #[test]
    fn a_plain_block_has_no_wrapper_and_no_line_spans() {
        let html = code_block("a: 1\n", &attrs("yaml"));
        assert!(html.starts_with("<pre class=\"code\" tabindex=\"0\" data-lang=\"yaml\">"));
        assert!(!html.contains("class=\"line"), "{html}");
    }

    #[test]
    fn numbered_and_marked_lines_keep_the_code_as_text() {
        let code = "a: 1\nb: 2\nc: 3\n";
        let html = code_block(code, &attrs("yaml linenos linenostart=7 hl_lines=\"2\""));
        assert!(
            html.contains("class=\"code code--lines code--linenos\""),
            "{html}"
        );
        assert_eq!(html.matches("<span class=\"line").count(), 3, "{html}");
        assert!(
            html.contains("<span class=\"line line--hl\" data-n=\"8\">"),
            "{html}"
        );
        assert!(html.contains("data-n=\"7\""));
        // Without the tags, the text is the code as written.
        let text = strip_tags(&html);
        assert_eq!(text, code);
    }

    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.trim_end_matches('\n').to_string() + "\n"
    }

    #[test]
    fn a_token_over_several_lines_is_closed_and_reopened_on_each() {
        let lines = balanced_lines("<span class=\"a\">x\ny</span>z\n");
        assert_eq!(
            lines,
            vec![
                "<span class=\"a\">x</span>\n".to_string(),
                "<span class=\"a\">y</span>z\n".to_string()
            ]
        );
        let code = "/* jeden\ndwa */\nlet x = 1;\n";
        let html = code_block(code, &attrs("js hl_lines=\"1-2\""));
        for line in html.split("<span class=\"line").skip(1) {
            let line = &line[..line.find("\n").unwrap()];
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
        assert_eq!(strip_tags(&html), code);
    }

    #[test]
    fn a_title_is_escaped_above_the_code() {
        let html = code_block("x\n", &attrs("text title=\"<a>.yaml\""));
        assert!(
            html.starts_with("<div class=\"code-block\"><p class=\"code-block__title\">&lt;a&gt;.yaml</p><pre class=\"code\""),
            "{html}"
        );
    }

    #[test]
    fn a_diagram_keeps_its_source_as_code() {
        let html = diagram_block("graph TD\n  A-->B\n", &attrs("mermaid"));
        assert_eq!(
            html,
            "<div class=\"diagram\" data-diagram=\"mermaid\"><pre class=\"code diagram__source\" tabindex=\"0\" data-lang=\"mermaid\"><code class=\"language-mermaid\">graph TD\n  A--&gt;B\n</code></pre></div>\n"
        );
    }
}
