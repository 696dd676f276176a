//! Pages and stylesheets made smaller (`minify: true`): whitespace that does not show is
//! dropped from HTML, CSS goes through `minifier` (its one home). Deterministic: the same
//! input gives the same bytes.

/// Minified CSS, or the CSS as it was when the minifier cannot read it.
pub(crate) fn minify_css(css: &[u8]) -> Vec<u8> {
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
pub(crate) fn minify_html(html: &[u8]) -> Vec<u8> {
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
