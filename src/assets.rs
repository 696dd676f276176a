//! Stylesheets and pages made smaller or made at all: Sass compiled to CSS, and the optional
//! minification of HTML pages and CSS files (`minify: true`). Everything here is
//! deterministic: the same input gives the same bytes.

use std::path::Path;

use crate::content::load::walk;
use crate::error::{Diagnostic, Error, Location, Result, Severity};

/// Compiles every `sass/**/*.scss` and `*.sass` file whose name does not start with `_` (a
/// partial, only imported) to `<same path>.css`: returns output paths and bytes, in path
/// order. `compressed` writes the CSS minified. Errors name the file, line and column.
pub fn compile_sass(
    root: &Path,
    compressed: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let dir = root.join(crate::sources::SASS);
    let style = if compressed {
        grass::OutputStyle::Compressed
    } else {
        grass::OutputStyle::Expanded
    };
    let options = grass::Options::default()
        .style(style)
        .quiet(true)
        .logger(&grass::NullLogger)
        .load_path(&dir);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for f in walk(&dir, root, warnings)? {
        let Some(stem) = f
            .rel_path
            .strip_suffix(".scss")
            .or_else(|| f.rel_path.strip_suffix(".sass"))
        else {
            continue;
        };
        let name = stem.rsplit('/').next().unwrap_or(stem);
        if name.starts_with('_') {
            continue;
        }
        match grass::from_path(&f.path, &options) {
            Ok(css) => out.push((format!("{stem}.css"), css.into_bytes())),
            Err(e) => errors.push(sass_error(root, &f.rel_path, *e)),
        }
    }
    Error::collect(errors)?;
    Ok(out)
}

/// A Sass error at the place grass gives (which may be in an imported partial).
fn sass_error(root: &Path, rel_path: &str, e: grass::Error) -> Error {
    let entry = Path::new(crate::sources::SASS).join(rel_path);
    let (at, message) = match e.kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let file = Path::new(loc.file.name());
            let shown = file
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .or_else(|_| {
                    std::fs::canonicalize(root)
                        .ok()
                        .and_then(|r| file.strip_prefix(r).ok().map(Path::to_path_buf))
                        .ok_or(())
                })
                .unwrap_or_else(|_| file.to_path_buf());
            let at = Location::from_line_col(
                &shown,
                loc.file.source(),
                loc.begin.line + 1,
                loc.begin.column + 1,
            );
            (at, message)
        }
        grass::ErrorKind::IoError(io) => (Location::file(&entry), io.to_string()),
        grass::ErrorKind::FromUtf8Error(text) => (Location::file(&entry), text),
        _ => (Location::file(&entry), "cannot compile".to_string()),
    };
    Error::Denied(Box::new(Diagnostic {
        severity: Severity::Error,
        code: crate::codes::SASS_ERROR,
        location: Some(at),
        message: format!("Sass: {message}"),
        hint: Some(format!(
            "fix the stylesheet; {} is not written",
            entry.display()
        )),
    }))
}

/// Minified CSS, or the CSS as it was when the minifier cannot read it.
pub fn minify_css(css: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(css) else {
        return css.to_vec();
    };
    match minifier::css::minify(text) {
        Ok(min) => min.to_string().into_bytes(),
        Err(_) => css.to_vec(),
    }
}

/// Elements whose content is kept exactly as written (`style` is minified as CSS).
const RAW: &[&str] = &["pre", "textarea", "script", "style"];

/// Elements around which spaces never show: whitespace next to their tags is dropped.
const BLOCK: &[&str] = &[
    "!doctype",
    "html",
    "head",
    "body",
    "meta",
    "link",
    "title",
    "script",
    "style",
    "noscript",
    "base",
    "div",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "nav",
    "header",
    "footer",
    "main",
    "section",
    "article",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "blockquote",
    "details",
    "summary",
    "pre",
    "textarea",
    "template",
    "option",
    "select",
];

/// The lower-cased name of the tag starting at `tag` (`<div ...`, `</div>`).
fn tag_name(tag: &[u8]) -> String {
    let rest = tag
        .strip_prefix(b"</")
        .or(tag.strip_prefix(b"<"))
        .unwrap_or(tag);
    rest.iter()
        .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'>' | b'/'))
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// Where the tag starting at `from` (`<`) ends, just past its `>`; quotes are respected.
fn tag_end(html: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, &b) in html.iter().enumerate().skip(from + 1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
    }
    html.len()
}

/// Finds `</name` (any case) at or after `from`.
fn find_close(html: &[u8], from: usize, name: &str) -> usize {
    let needle = format!("</{name}");
    html[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        .map_or(html.len(), |p| from + p)
}

/// A smaller page that renders the same: comments go, whitespace between tags goes where it
/// cannot show (beside block elements) and becomes one space elsewhere, runs of whitespace in
/// text become one space, and inline CSS is minified. Tags and their attributes, and the
/// contents of `pre`, `textarea` and `script`, are kept byte for byte.
pub fn minify_html(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    // Whether a space may be dropped because the previous tag was a block tag.
    let mut after_block = true;
    let mut i = 0;
    while i < html.len() {
        let b = html[i];
        if b == b'<' {
            if html[i..].starts_with(b"<!--") {
                let end = html[i + 4..]
                    .windows(3)
                    .position(|w| w == b"-->")
                    .map_or(html.len(), |p| i + 4 + p + 3);
                i = end;
                continue;
            }
            let end = tag_end(html, i);
            let tag = &html[i..end];
            let name = tag_name(tag);
            out.extend_from_slice(tag);
            after_block = BLOCK.contains(&name.as_str());
            i = end;
            let closing = tag.starts_with(b"</");
            if !closing && RAW.contains(&name.as_str()) {
                let close = find_close(html, i, &name);
                let body = &html[i..close];
                if name == "style" {
                    out.extend_from_slice(&minify_css(body));
                } else {
                    out.extend_from_slice(body);
                }
                i = close;
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            while i < html.len() && html[i].is_ascii_whitespace() {
                i += 1;
            }
            let next_block = html.get(i) == Some(&b'<') && {
                let end = tag_end(html, i);
                html[i..].starts_with(b"<!--") || BLOCK.contains(&tag_name(&html[i..end]).as_str())
            };
            if !(after_block || next_block || i == html.len()) {
                out.push(b' ');
            }
            continue;
        }
        out.push(b);
        after_block = false;
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min(html: &str) -> String {
        String::from_utf8(minify_html(html.as_bytes())).unwrap()
    }

    #[test]
    fn html_loses_only_invisible_whitespace() {
        assert_eq!(
            min(
                "<!doctype html>\n<html>\n  <body>\n    <p>a  <b>b</b>   <i>c</i>\n d</p>\n  </body>\n</html>\n"
            ),
            "<!doctype html><html><body><p>a <b>b</b> <i>c</i> d</p></body></html>"
        );
    }

    #[test]
    fn raw_elements_and_attributes_are_kept() {
        let html = "<div title=\"a  >  b\">\n<pre>x\n  y</pre>\n<script>if (a  < b) {}\n</script><!-- c --></div>";
        assert_eq!(
            min(html),
            "<div title=\"a  >  b\"><pre>x\n  y</pre><script>if (a  < b) {}\n</script></div>"
        );
        assert_eq!(
            min("<style>\n a { color : red ; }\n</style>"),
            "<style>a{color:red;}</style>"
        );
    }
}
