//! MDX comments (`{/* … */}`), which docs written for Docusaurus or react.dev leave in their
//! text: they are dropped, as MDX drops them, so no reader, search result or summary shows
//! them.
//!
//! The source is never rewritten, so every offset (of links, of errors) stays that of the
//! file: the comments are found once as byte ranges, and the parser's events are filtered by
//! their ranges. A comment counts only where it starts and ends in prose, so code spans,
//! code blocks, raw HTML and link destinations keep `{/*` as written.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

/// The MDX comments of one Markdown text, as sorted, disjoint byte ranges of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct JsxComments {
    ranges: Vec<Range<usize>>,
}

impl JsxComments {
    /// Finds the comments of `text`; `None` when it has none, which keeps texts without them
    /// to one parse.
    pub(super) fn find(text: &str) -> Option<JsxComments> {
        if !text.contains("{/*") {
            return None;
        }
        let prose = prose_ranges(text);
        let in_prose = |at: usize| {
            let i = prose.partition_point(|r| r.end <= at);
            prose.get(i).is_some_and(|r| r.start <= at)
        };
        let mut ranges = Vec::new();
        let mut from = 0;
        while let Some(found) = text[from..].find("{/*") {
            let start = from + found;
            from = start + 1;
            if !in_prose(start) {
                continue;
            }
            let mut search = start + 3;
            while let Some(found) = text[search..].find("*/}") {
                let close = search + found;
                if in_prose(close + 2) {
                    ranges.push(start..close + 3);
                    from = close + 3;
                    break;
                }
                search = close + 1;
            }
        }
        (!ranges.is_empty()).then_some(JsxComments { ranges })
    }

    /// The comment ranges, for tests and callers that need to know what was dropped.
    pub(super) fn ranges(&self) -> &[Range<usize>] {
        &self.ranges
    }

    /// What is left of an event at `range` of `source` once the comments are gone: nothing
    /// for an event inside a comment (a whole block too, its start and its end) or for a
    /// paragraph that holds only comments; text without the commented part for text that
    /// runs into one; else the event unchanged.
    pub(super) fn filter<'a>(
        &self,
        event: Event<'a>,
        range: &Range<usize>,
        source: &'a str,
    ) -> Option<Event<'a>> {
        if range.is_empty() {
            return Some(event);
        }
        let overlapping = self.overlapping(range);
        if overlapping.is_empty() {
            return Some(event);
        }
        if overlapping
            .iter()
            .any(|c| c.start <= range.start && range.end <= c.end)
        {
            return None;
        }
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                if self.only_comments(range, source) =>
            {
                None
            }
            Event::Text(text) if source.get(range.clone()) == Some(&*text) => {
                let mut kept = String::with_capacity(text.len());
                let mut at = range.start;
                for comment in overlapping {
                    if comment.start > at {
                        kept.push_str(&source[at..comment.start]);
                    }
                    at = at.max(comment.end);
                }
                if at < range.end {
                    kept.push_str(&source[at..range.end]);
                }
                (!kept.is_empty()).then(|| Event::Text(CowStr::from(kept)))
            }
            other => Some(other),
        }
    }

    /// The comments that share a byte with `range`.
    fn overlapping(&self, range: &Range<usize>) -> &[Range<usize>] {
        let first = self.ranges.partition_point(|c| c.end <= range.start);
        let last = self.ranges.partition_point(|c| c.start < range.end);
        &self.ranges[first..last.max(first)]
    }

    /// Whether `range` of `source` holds nothing but comments and white space.
    fn only_comments(&self, range: &Range<usize>, source: &str) -> bool {
        let mut at = range.start;
        for comment in self.overlapping(range) {
            if comment.start > at && !source[at..comment.start].trim().is_empty() {
                return false;
            }
            at = at.max(comment.end);
        }
        at >= range.end || source[at..range.end].trim().is_empty()
    }
}

/// The byte ranges of the text events of `text` outside code blocks: where prose is.
fn prose_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(text, super::cmark_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(_) if !in_code_block => match ranges.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => ranges.push(range),
            },
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(text: &str) -> Vec<&str> {
        JsxComments::find(text).map_or(Vec::new(), |c| {
            c.ranges().iter().map(|r| &text[r.clone()]).collect()
        })
    }

    #[test]
    fn comments_in_prose_are_found() {
        assert_eq!(
            comments("Tekst {/*a*/} i {/* b */}.\n\n{/*\nc\n\nd\n*/}\n"),
            ["{/*a*/}", "{/* b */}", "{/*\nc\n\nd\n*/}"]
        );
        assert!(JsxComments::find("Bez komentarzy {/ * x */}\n").is_none());
        assert!(
            comments("Otwarty {/* bez końca\n").is_empty(),
            "an unclosed comment is text"
        );
    }

    #[test]
    fn comments_in_code_are_code() {
        let text = "`{/* span */}` i\n\n```js\n{/* block */}\n```\n\n    {/* indented */}\n";
        assert!(comments(text).is_empty());
        assert!(comments("[a](x{/*y*/}) <b title=\"{/*z*/}\">\n").is_empty());
    }

    #[test]
    fn a_close_inside_code_does_not_end_a_comment() {
        assert_eq!(
            comments("A {/* see `*/}` here */} b\n"),
            ["{/* see `*/}` here */}"]
        );
    }

    #[test]
    fn text_running_into_a_comment_keeps_the_rest() {
        let text = "Tekst {/* c */} dalej\n";
        let jsx = JsxComments::find(text).unwrap();
        let event = Event::Text(CowStr::Borrowed(&text[..8]));
        assert_eq!(
            jsx.filter(event, &(0..8), text),
            Some(Event::Text(CowStr::from("Tekst ")))
        );
        let event = Event::Text(CowStr::Borrowed(&text[13..21]));
        assert_eq!(
            jsx.filter(event, &(13..21), text),
            Some(Event::Text(CowStr::from(" dalej")))
        );
        assert_eq!(jsx.filter(Event::SoftBreak, &(8..9), text), None);
    }
}
