//! Formulas (`$…$` and `$$…$$`, pulldown-cmark's math syntax) as MathML, made at build time:
//! browsers draw MathML themselves, so a page with formulas needs no script and no web font.
//!
//! The LaTeX is read by `pulldown-latex`. A formula it cannot read is an error at its place
//! (see [`MathError`]); its page shows the formula's source as code until it is fixed.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

/// How to fix a formula that does not parse: the two reasons authors meet.
pub(crate) const HINT: &str = "fix the LaTeX of the formula; a dollar sign that is not math is written `\\$` (`\\$5 i \\$10`)";

/// A formula that does not parse, where it is in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    /// Byte offset of the formula, dollar signs included, in the Markdown body.
    pub offset: usize,
    /// Byte length of the formula, dollar signs included.
    pub len: usize,
    /// The formula as written between its dollar signs.
    pub formula: String,
    /// What the LaTeX reader found wrong.
    pub message: String,
}

/// A formula as an error message shows it: on one line, and cut after 80 characters (the
/// source line below the message shows where it is).
pub(crate) fn shown(formula: &str) -> String {
    let one_line = formula.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// How the renderer writes a space of `\ ` or `~`: `&nbsp;` escaped once too often.
const ESCAPED_SPACE: &str = "<mtext>&amp;nbsp;</mtext>";

/// The MathML of the LaTeX `source`, inline (`$…$`) or as a block (`$$…$$`); `Err` carries
/// what is wrong with the first thing that does not parse.
pub(crate) fn to_mathml(source: &str, display: bool) -> Result<String, String> {
    if let Some(problem) = first_problem(source) {
        return Err(problem);
    }
    let storage = Storage::new();
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut mathml = String::with_capacity(source.len() * 8 + 32);
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pulldown_latex::push_mathml(&mut mathml, Parser::new(source, &storage), config)
    }));
    match rendered {
        // The renderer writes the spaces `\ ` and `~` as text `&nbsp;` and then escapes it.
        Ok(Ok(())) => Ok(escape_text(&mathml).replace(ESCAPED_SPACE, "<mtext>&nbsp;</mtext>")),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the formula could not be rendered".into()),
    }
}

/// What is wrong with the first part of `source` that does not parse, if any. The reader's
/// own message carries a drawing of the context; the kind alone is kept, since the error
/// shows the formula at its line.
fn first_problem(source: &str) -> Option<String> {
    let storage = Storage::new();
    let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Parser::new(source, &storage)
            .find_map(Result::err)
            .map(|e| {
                std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string)
            })
    }));
    first.unwrap_or_else(|_| Some("the formula could not be read".into()))
}

/// Escapes what the renderer writes unescaped between tags: operators such as `<` and `&`
/// come out as `<mo><</mo>` and `<mi>&</mi>`, which HTML parsers read wrongly or not at all.
/// A `<` opens a tag only before a letter or `/`; an `&` starts a reference only when a name
/// or number and `;` follow; a `>` outside a tag is text.
fn escape_text(mathml: &str) -> String {
    let bytes = mathml.as_bytes();
    let mut out = String::with_capacity(mathml.len() + 16);
    let mut in_tag = false;
    let mut quote: Option<char> = None;
    for (i, c) in mathml.char_indices() {
        if in_tag {
            match (c, quote) {
                ('"' | '\'', None) => quote = Some(c),
                (c, Some(q)) if c == q => quote = None,
                ('>', None) => in_tag = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '<' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/') =>
            {
                in_tag = true;
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if !starts_reference(&mathml[i + 1..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `rest` (after an `&`) is the rest of a character reference: `nbsp;`, `#8203;`.
fn starts_reference(rest: &str) -> bool {
    let name = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    name > 0 && rest.as_bytes().get(name) == Some(&b';')
}

/// The words of a formula for search: its source without LaTeX commands, braces and
/// script marks, so `\frac{\text{przychód}}{\text{koszt}}` is found as `przychód koszt`
/// and not as `frac` or `text`.
pub(crate) fn search_words(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            // A command is a run of letters; `\{`, `\%`, `\,` are one character.
            if chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                while chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    chars.next();
                }
            } else {
                chars.next();
            }
            out.push(' ');
        } else if matches!(c, '{' | '}' | '^' | '_' | '&' | '$' | '~') {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_block_formulas_become_mathml() {
        let inline = to_mathml("E = mc^2", false).unwrap();
        assert_eq!(
            inline,
            "<math display=\"inline\"><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></math>"
        );
        let block = to_mathml("\\frac{a}{b}", true).unwrap();
        assert!(block.starts_with("<math display=\"block\">"), "{block}");
        assert!(block.contains("<mfrac>"), "{block}");
    }

    #[test]
    fn operators_are_escaped_as_html_needs() {
        let html = to_mathml("a < b > c \\& d", false).unwrap();
        assert!(html.contains("<mo>&lt;</mo>"), "{html}");
        assert!(html.contains("<mo>&gt;</mo>"), "{html}");
        assert!(html.contains("<mi>&amp;</mi>"), "{html}");
        let text = to_mathml("\\text{<b>&nbsp;}", false).unwrap();
        assert!(text.contains("&lt;b&gt;&amp;nbsp;"), "{text}");
        assert!(!text.contains("<b>"), "{text}");
    }

    #[test]
    fn spaces_and_decimal_commas_read_as_written() {
        let html = to_mathml("6000\\ \\text{zł} = 0,4", false).unwrap();
        assert!(html.contains("<mtext>&nbsp;</mtext>"), "{html}");
        assert!(!html.contains("&amp;"), "{html}");
        assert!(html.contains("<mn>0,4</mn>"), "{html}");
    }

    #[test]
    fn a_formula_that_does_not_parse_says_why() {
        let err = to_mathml("\\frac{a}{", false).unwrap_err();
        assert!(err.contains("unbalanced group"), "{err}");
        assert!(!err.contains('╭'), "only the kind of the problem: {err}");
        assert!(to_mathml("\\nieznane{x}", false).is_err());
        assert!(to_mathml("a^b^c", false).is_err());
    }

    #[test]
    fn the_same_formula_gives_the_same_markup() {
        let src = "\\sum_{i=1}^{n} x_i \\cdot \\sqrt{2}";
        assert_eq!(to_mathml(src, true), to_mathml(src, true));
    }

    #[test]
    fn search_sees_the_words_of_a_formula_without_commands() {
        assert_eq!(
            search_words("\\mathrm{ROAS} = \\frac{\\text{przychód}}{\\text{koszt reklamy}}"),
            "ROAS = przychód koszt reklamy"
        );
        assert_eq!(search_words("x_i^2 + 10\\%"), "x i 2 + 10");
    }
}
