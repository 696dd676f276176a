//! An article's Markdown as a reader of plain text gets it (`llms-full.txt`): the source the
//! author wrote, not HTML, with what only makes sense inside the site taken care of. Links and
//! pictures that lead into the site get absolute addresses (a relative `../seo/a.md` means
//! nothing outside it), included files are put in place, component calls are dropped while a
//! block call keeps the Markdown it holds, MDX comments and the `<!-- more -->` marker go, and
//! a level-1 heading that became the title is dropped, as on the page.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::Link;
use super::component_calls::{self, Components};
use super::jsx_comments::JsxComments;

/// The Markdown `body` of a document as plain text. `links` are the links its rendering
/// found (offsets in `body`), `origin` is the scheme and host of the site
/// (`https://example.org`), which the addresses links were rewritten to (`/kb/seo/a/`) are
/// under; `drop_title_heading` as the document was rendered with; `components` reads the
/// files `include` calls name (without it, calls stay as written).
pub(crate) fn source_text(
    body: &str,
    links: &[Link],
    origin: &str,
    drop_title_heading: bool,
    components: Option<&dyn Components>,
) -> String {
    let mut edits: Vec<(Range<usize>, String)> = links
        .iter()
        .filter_map(|link| link_edit(body, link, origin))
        .collect();
    if let Some(comments) = JsxComments::find(body) {
        edits.extend(comments.ranges().iter().map(|r| (r.clone(), String::new())));
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut text = String::with_capacity(body.len());
    let mut at = 0;
    for (range, with) in edits {
        if range.start < at {
            continue;
        }
        text.push_str(&body[at..range.start]);
        text.push_str(&with);
        at = range.end;
    }
    text.push_str(&body[at..]);
    if let Some(expanded) = components.and_then(|c| component_calls::expand(&text, c)) {
        text = expanded.text_without_calls();
    }
    if drop_title_heading && let Some(range) = opening_title(&text) {
        text.replace_range(range, "");
    }
    tidy(&text)
}

/// What to write instead of `link` in `body`, when it leads into the site: its absolute
/// address; a wiki link (`[[Tytuł]]`, `[[slug|tekst]]`) becomes a Markdown link.
fn link_edit(body: &str, link: &Link, origin: &str) -> Option<(Range<usize>, String)> {
    let range = link.offset..link.offset + link.len;
    if body.get(range.clone())? != link.dest || link.dest.is_empty() {
        // Not found where it was written (a link of an included file, of a component call,
        // a reference): left as it is.
        return None;
    }
    if link.wiki {
        let url = absolute(link.rewritten.as_deref()?, origin)?;
        let start = link.offset.checked_sub(2)?;
        if body.get(start..link.offset)? != "[[" {
            return None;
        }
        let close = range.end + body[range.end..].find("]]")?;
        let inner = &body[link.offset..close];
        if inner.contains('\n') {
            return None;
        }
        let label = inner
            .split_once('|')
            .map_or(inner, |(_, label)| label)
            .trim();
        return Some((start..close + 2, format!("[{}]({url})", escape_text(label))));
    }
    let url = absolute(link.rewritten.as_deref().unwrap_or(&link.dest), origin)?;
    // The destination stands right after `(` or `(<`: where the link's text holds the same
    // words (`[/kb/x/](/kb/x/)`), the rendering found those, and it is further on its line.
    let after_paren =
        |at: usize| matches!(body.as_bytes().get(at.wrapping_sub(1)), Some(b'(' | b'<'));
    let start = if after_paren(range.start) {
        range.start
    } else {
        let line_end = body[range.end..]
            .find('\n')
            .map_or(body.len(), |i| range.end + i);
        let line = &body[range.end..line_end];
        let at = ["(", "(<"]
            .iter()
            .filter_map(|open| {
                line.find(&format!("{open}{}", link.dest))
                    .map(|i| i + open.len())
            })
            .min()?;
        range.end + at
    };
    Some((start..start + link.len, url))
}

/// The absolute URL of an address from the site's root (`/kb/seo/`), none for any other.
fn absolute(url: &str, origin: &str) -> Option<String> {
    (url.starts_with('/') && !url.starts_with("//")).then(|| format!("{origin}{url}"))
}

/// Link text with the brackets that would end it escaped.
fn escape_text(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

/// The range of a level-1 heading that opens `text`, with the blank lines after it.
fn opening_title(text: &str) -> Option<Range<usize>> {
    let mut events = Parser::new_ext(text, super::cmark_options()).into_offset_iter();
    let (first, range) = events.next()?;
    match first {
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) => {
            let end = events
                .find(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(range.end, |(_, r)| r.end.max(range.end));
            let blank = text[end..].len() - text[end..].trim_start_matches(['\n', '\r']).len();
            Some(range.start..end + blank)
        }
        _ => None,
    }
}

/// Line ends as `\n`, no `<!-- more -->` line, at most one blank line in a row outside code,
/// no blank lines around the text.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_lines = 0;
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with(['`', '~']) {
            let marker = &trimmed[..trimmed.len() - trimmed.trim_start_matches(['`', '~']).len()];
            match &fence {
                Some(open) if marker.starts_with(open.as_str()) => fence = None,
                None if marker.len() >= 3 => fence = Some(marker.to_string()),
                _ => {}
            }
        }
        if fence.is_none() && trimmed.starts_with("<!--") && super::is_more_marker(line) {
            continue;
        }
        if line.trim().is_empty() && fence.is_none() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;
    use crate::markdown::{Options, render};

    /// Renders `body` as a page at `/kb/…` whose relative links resolve to `/kb/seo/a/`, then
    /// gives its source text.
    fn source(body: &str, drop_title: bool) -> String {
        let rewrite = |dest: &str| {
            (dest.ends_with(".md") || dest.starts_with("../")).then(|| "/kb/seo/a/".to_string())
        };
        let wiki = |name: &str| (name == "Słowa kluczowe").then(|| "/kb/seo/slowa/".to_string());
        let options = Options {
            drop_title_heading: drop_title,
            rewrite_link: &rewrite,
            resolve_wiki: &wiki,
            ..Options::for_tests(Language::Pl)
        };
        let rendered = render(body, &options);
        source_text(
            body,
            &rendered.links,
            "https://example.org",
            drop_title,
            None,
        )
    }

    #[test]
    fn links_into_the_site_become_absolute_and_the_rest_stays() {
        let text = source(
            "Zobacz [podstawy](../seo/a.md), [[Słowa kluczowe]], [[Słowa kluczowe|słowa]], \
             [[Brak]], [zewnętrzny](https://example.com/x) i ![wykres](/kb/img/w.png).\n",
            false,
        );
        assert_eq!(
            text,
            "Zobacz [podstawy](https://example.org/kb/seo/a/), \
             [Słowa kluczowe](https://example.org/kb/seo/slowa/), \
             [słowa](https://example.org/kb/seo/slowa/), [[Brak]], \
             [zewnętrzny](https://example.com/x) i ![wykres](https://example.org/kb/img/w.png)."
        );
        // The destination is rewritten, never the same words in the link's text.
        assert_eq!(
            source("[/kb/x/](/kb/x/)\n", false),
            "[/kb/x/](https://example.org/kb/x/)"
        );
    }

    #[test]
    fn the_title_heading_comments_and_the_more_marker_go() {
        let body = "# Tytuł\n\n\nWstęp {/* notatka */}dalej.\n\n<!-- more -->\n\n\n\n## Dalej\r\n\r\nTekst.\n\n```\n\n\nkod\n```\n";
        assert_eq!(
            source(body, true),
            "Wstęp dalej.\n\n## Dalej\n\nTekst.\n\n```\n\n\nkod\n```"
        );
        // A heading that did not become the title stays.
        assert!(source(body, false).starts_with("# Tytuł\n\nWstęp"));
        assert_eq!(
            source("Tekst.\n\n# Nagłówek\n", true),
            "Tekst.\n\n# Nagłówek"
        );
    }
}
