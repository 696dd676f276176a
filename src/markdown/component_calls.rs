//! Components in Markdown (what Hugo calls shortcodes): `{{ youtube(id="…") }}` on its own or
//! inside a line, `{% figure(src="a.png") %}Markdown body{% end %}` around Markdown, and
//! `{{ include(path="snippets/cennik.md") }}`, which puts another file's Markdown in place.
//!
//! Calls are found before the Markdown is parsed, never inside code spans or fences. An
//! include is replaced by its text (so its headings, links and words belong to the page); every
//! other call is replaced by an HTML comment marker that passes through the Markdown parser
//! untouched, and after rendering the marker (with the body's HTML between a block's two
//! markers) is replaced by what the component's template makes of it. The templates are not
//! this module's business: they are behind [`Components`].

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde_json::{Map, Value};

use super::TocEntry;
use crate::codes;
use crate::config::Language;

/// Components and the signature of what they render with (templates, included files), which
/// decides when cached Markdown must be rendered again.
#[derive(Clone)]
pub struct SharedComponents {
    /// Renders the calls.
    pub engine: std::sync::Arc<dyn Components + Send + Sync>,
    /// Changes whenever a component template or an includable file changes.
    pub signature: u64,
    /// Changes whenever the site's data files (`site.data`) change: Markdown that calls a
    /// component reading them ([`Components::reads_site_data`]) is rendered again then, and
    /// no other.
    pub data_signature: u64,
}

impl std::fmt::Debug for SharedComponents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedComponents")
            .field("signature", &self.signature)
            .field("data_signature", &self.data_signature)
            .finish_non_exhaustive()
    }
}

/// Renders components and reads included files, for [`super::render`].
pub trait Components: Sync {
    /// The HTML of component `name` called with `args`, with `body` (HTML) for a block call.
    /// `page` carries what the page knows when it is rendered: its language and headings.
    fn render(
        &self,
        name: &str,
        args: &Map<String, Value>,
        body: Option<&str>,
        page: &PageInfo<'_>,
    ) -> Result<String, Failure>;

    /// The Markdown text of the file `path` names (relative to the site root).
    fn include(&self, path: &str) -> Result<String, Failure>;

    /// Whether component `name` may show the site's data files (`site.data`), so that the
    /// Markdown calling it depends on them.
    fn reads_site_data(&self, _name: &str) -> bool {
        false
    }
}

/// What a component may show of the page it is on.
pub struct PageInfo<'a> {
    /// The page language.
    pub lang: Language,
    /// The page's headings, nested: what a table of contents shows.
    pub toc: &'a [TocEntry],
}

/// Why a call could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The stable diagnostic code (`unknown-component`, `component-syntax`).
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Failure {
    /// A failure of kind `code`.
    pub fn new(code: &'static str, message: impl Into<String>, hint: Option<&str>) -> Failure {
        Failure {
            code,
            message: message.into(),
            hint: hint.map(str::to_string),
        }
    }
}

/// A call that failed, where it is in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentError {
    /// Byte offset of the call in the Markdown body.
    pub offset: usize,
    /// Byte length of the call.
    pub len: usize,
    /// What went wrong and how to fix it.
    pub failure: Failure,
}

/// Includes may nest this deep; deeper is taken for a cycle nobody meant.
const MAX_INCLUDE_DEPTH: usize = 8;

/// One component call of the expanded text.
#[derive(Debug)]
struct Call {
    name: String,
    args: Map<String, Value>,
    /// Whether it has a body (`{% name() %}…{% end %}`).
    block: bool,
    /// Where the call is in the original body, for errors.
    at: Range<usize>,
}

/// A piece of the expanded text that replaced a piece of the original body.
#[derive(Debug, Clone)]
struct Edit {
    /// The replaced range in the original body.
    original: Range<usize>,
    /// The range of the replacement in the expanded text.
    expanded: Range<usize>,
}

/// The body with includes put in place and calls replaced by markers, ready to parse.
pub(super) struct Expanded {
    /// The text to parse.
    pub text: String,
    calls: Vec<Call>,
    edits: Vec<Edit>,
    /// Marks this document's markers apart from any text an author could write.
    nonce: String,
    /// Calls that could not be read (syntax, unknown end, include problems).
    pub errors: Vec<ComponentError>,
}

/// Arguments that name a file or a page (`src`, `href`): found and rewritten like the
/// destinations of Markdown links and images, so a missing picture is an error at the call.
const LINK_ARGS: &[&str] = &["src", "href"];

impl Expanded {
    /// Rewrites the link arguments of every call with `rewrite` and returns them as links of
    /// the page (at their call), for the link checks.
    /// A picture (`src`) of the site also gets its `width` and `height` and, when smaller
    /// copies are made, `srcset` and `sizes`, unless the call gives them.
    pub(super) fn rewrite_links(
        &mut self,
        rewrite: &(dyn Fn(&str) -> Option<String> + Sync),
        image_attrs: &(dyn Fn(&str) -> super::ImageAttrs + Sync),
    ) -> Vec<super::Link> {
        let mut links = Vec::new();
        for call in &mut self.calls {
            for key in LINK_ARGS {
                let Some(Value::String(dest)) = call.args.get(*key) else {
                    continue;
                };
                let dest = dest.clone();
                let rewritten = rewrite(&dest);
                if let Some(url) = &rewritten {
                    call.args
                        .insert((*key).to_string(), Value::String(url.clone()));
                }
                let is_image = *key == "src";
                let attrs = is_image.then(|| image_attrs(&dest));
                if let Some((width, height)) = attrs.as_ref().and_then(|a| a.size) {
                    let url = rewritten.clone().unwrap_or_else(|| dest.clone());
                    let srcset = attrs.as_ref().map(|a| &a.srcset).filter(|s| !s.is_empty());
                    let mut extra = vec![
                        ("width", Value::from(width)),
                        ("height", Value::from(height)),
                    ];
                    if let Some(copies) = srcset {
                        let mut list: Vec<String> =
                            copies.iter().map(|(u, w)| format!("{u} {w}w")).collect();
                        list.push(format!("{url} {width}w"));
                        extra.push(("srcset", Value::from(list.join(", "))));
                        extra.push(("sizes", Value::from(super::IMAGE_SIZES)));
                    }
                    for (k, v) in extra {
                        call.args.entry(k).or_insert(v);
                    }
                }
                let alt_missing = is_image
                    && call
                        .args
                        .get("alt")
                        .and_then(Value::as_str)
                        .is_none_or(|a| a.trim().is_empty());
                links.push(super::Link {
                    dest,
                    rewritten,
                    offset: call.at.start,
                    len: call.at.len(),
                    is_image,
                    wiki: false,
                    text_at: None,
                    alt_missing,
                    image_attrs: attrs,
                });
            }
        }
        links
    }

    /// The offset in the original body of `offset` in the expanded text: a place inside a
    /// replacement (an included file, a marker) is the call that made it.
    pub(super) fn original_offset(&self, offset: usize) -> (usize, Option<usize>) {
        let mut shift: isize = 0;
        for e in &self.edits {
            if offset < e.expanded.start {
                break;
            }
            if offset < e.expanded.end {
                return (e.original.start, Some(e.original.len()));
            }
            shift = e.expanded.end as isize - e.original.end as isize;
        }
        ((offset as isize - shift).max(0) as usize, None)
    }

    /// The names of the components called, sorted, each once: what the page's template
    /// loads scripts for (`tabs`).
    pub(super) fn component_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.calls.iter().map(|c| c.name.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The expanded text without its markers: included files in place, calls gone, and the
    /// Markdown a block call holds kept where it was, under its `label` or `title` in bold
    /// when it has one (a tab's name). What a reader of the source gets of a body whose
    /// components only the site can show.
    pub(super) fn text_without_calls(&self) -> String {
        let prefix = format!("<!--kbsite-{}-", self.nonce);
        let mut out = String::with_capacity(self.text.len());
        let mut rest = self.text.as_str();
        while let Some(at) = rest.find(&prefix) {
            out.push_str(&rest[..at]);
            let after = &rest[at + prefix.len()..];
            match parse_marker(after) {
                Some((kind, n, len)) => {
                    let name = self.calls.get(n).filter(|_| kind == b'o').and_then(|call| {
                        ["label", "title"]
                            .iter()
                            .find_map(|k| call.args.get(*k).and_then(Value::as_str))
                    });
                    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
                        out.push_str(&format!("**{name}**\n\n"));
                    }
                    rest = &after[len..];
                }
                None => {
                    out.push_str(&prefix);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn marker(&self, kind: &str, n: usize) -> String {
        format!("<!--kbsite-{}-{kind}{n}-->", self.nonce)
    }

    /// Replaces every marker of `html` with its component's output. Failures are added to
    /// `errors`; their markers are removed. One pass over `html`, whatever the number of
    /// calls: a block's body is what its markers enclose, with the calls inside it already
    /// made. A block with only one of its markers here (a summary cut inside it) keeps its
    /// content and loses the marker.
    pub(super) fn apply(
        &self,
        html: &str,
        components: &dyn Components,
        page: &PageInfo<'_>,
        errors: &mut Vec<ComponentError>,
    ) -> String {
        let prefix = format!("<!--kbsite-{}-", self.nonce);
        if !html.contains(&prefix) {
            return html.to_string();
        }
        let mut render = |n: usize, body: Option<&str>| -> String {
            let Some(call) = self.calls.get(n) else {
                return String::new();
            };
            components
                .render(&call.name, &call.args, body, page)
                .unwrap_or_else(|failure| {
                    errors.push(ComponentError {
                        offset: call.at.start,
                        len: call.at.len(),
                        failure,
                    });
                    String::new()
                })
        };
        // The open blocks, innermost last, each with what it holds so far; the bottom one is
        // the page.
        let mut open: Vec<(Option<usize>, String)> =
            vec![(None, String::with_capacity(html.len()))];
        let mut rest = html;
        while let Some(at) = rest.find(&prefix) {
            let (text, marker) = rest.split_at(at);
            push_text(&mut open, text);
            let Some((kind, n, len)) = parse_marker(&marker[prefix.len()..]) else {
                push_text(&mut open, &marker[..prefix.len()]);
                rest = &marker[prefix.len()..];
                continue;
            };
            rest = &marker[prefix.len() + len..];
            match kind {
                b'i' if self.calls.get(n).is_some_and(|c| !c.block) => {
                    let made = render(n, None);
                    push_text(&mut open, made.trim_end());
                }
                b'o' => open.push((Some(n), String::new())),
                b'c' if open.len() > 1 && open.last().is_some_and(|(m, _)| *m == Some(n)) => {
                    let (_, body) = open.pop().unwrap_or_default();
                    let made = render(n, Some(body.trim_matches('\n')));
                    push_text(&mut open, made.trim_end());
                }
                // A close without its open: the marker goes, the content stays.
                _ => {}
            }
        }
        push_text(&mut open, rest);
        // Opens without their close: their content stays, unmade.
        while open.len() > 1 {
            let (_, body) = open.pop().unwrap_or_default();
            push_text(&mut open, &body);
        }
        open.pop().map(|(_, page)| page).unwrap_or_default()
    }
}

/// Adds `text` to the innermost open block (or the page).
fn push_text(open: &mut [(Option<usize>, String)], text: &str) {
    if let Some((_, buffer)) = open.last_mut() {
        buffer.push_str(text);
    }
}

/// Reads `{kind}{n}-->` at the start of `text`: the kind (`i`, `o`, `c`), the call number and
/// the length read.
fn parse_marker(text: &str) -> Option<(u8, usize, usize)> {
    let kind = *text.as_bytes().first()?;
    if !matches!(kind, b'i' | b'o' | b'c') {
        return None;
    }
    let digits = text[1..].bytes().take_while(u8::is_ascii_digit).count();
    let n = text.get(1..1 + digits)?.parse().ok()?;
    text[1 + digits..]
        .starts_with("-->")
        .then_some((kind, n, 1 + digits + 3))
}

/// Finds the calls of `body`, puts included files in place and replaces the rest by markers.
/// `None` when the body calls nothing (the common case, which costs one search).
pub(super) fn expand(body: &str, components: &dyn Components) -> Option<Expanded> {
    if !body.contains("{{") && !body.contains("{%") {
        return None;
    }
    let nonce = format!("{:016x}", crate::hash::stable_hash(&[body.as_bytes()]));
    let mut out = Expanded {
        text: String::with_capacity(body.len()),
        calls: Vec::new(),
        edits: Vec::new(),
        nonce,
        errors: Vec::new(),
    };
    let mut open_blocks: Vec<usize> = Vec::new();
    expand_into(
        body,
        components,
        &mut out,
        &mut open_blocks,
        &mut Vec::new(),
        None,
    );
    for n in open_blocks {
        let at = out.calls[n].at.clone();
        out.errors.push(ComponentError {
            offset: at.start,
            len: at.len(),
            failure: Failure::new(
                codes::COMPONENT_SYNTAX,
                format!("`{}` is opened here but never closed", out.calls[n].name),
                Some("end the block with `{% end %}` on a line of its own"),
            ),
        });
    }
    Some(out)
}

/// Appends `text` to `out.text`, expanded. `included_at` is the call (in the original body)
/// that included `text`, if it is an included file; `stack` holds the files being included.
fn expand_into(
    text: &str,
    components: &dyn Components,
    out: &mut Expanded,
    open_blocks: &mut Vec<usize>,
    stack: &mut Vec<String>,
    included_at: Option<&Range<usize>>,
) {
    let code = code_ranges(text);
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = text[i..].find(['{']) {
        let start = i + found;
        i = start + 1;
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let Some(parsed) = parse_call(&text[start..]) else {
            continue;
        };
        let here = start..start + parsed.len;
        let at = included_at.cloned().unwrap_or_else(|| here.clone());
        let error = |out: &mut Expanded, failure: Failure| {
            out.errors.push(ComponentError {
                offset: at.start,
                len: at.len(),
                failure,
            });
        };
        let call = match parsed.call {
            Ok(call) => call,
            Err(failure) => {
                error(out, failure);
                i = here.end;
                continue;
            }
        };
        out.text.push_str(&text[copied..start]);
        let expanded_start = out.text.len();
        match call {
            Parsed::End => match open_blocks.pop() {
                Some(n) => {
                    let marker = out.marker("c", n);
                    out.text.push_str(&marker);
                }
                None => error(
                    out,
                    Failure::new(
                        codes::COMPONENT_SYNTAX,
                        "`{% end %}` closes no block",
                        Some("remove it, or open the block with `{% name(…) %}`"),
                    ),
                ),
            },
            Parsed::Call { name, args, block } if name == "include" && !block => {
                include(components, &args, out, stack, &at, error);
            }
            Parsed::Call { name, args, block } => {
                let n = out.calls.len();
                out.calls.push(Call {
                    name,
                    args,
                    block,
                    at: at.clone(),
                });
                let marker = out.marker(if block { "o" } else { "i" }, n);
                out.text.push_str(&marker);
                if block {
                    open_blocks.push(n);
                }
            }
        }
        if included_at.is_none() {
            out.edits.push(Edit {
                original: here.clone(),
                expanded: expanded_start..out.text.len(),
            });
        }
        copied = here.end;
        i = here.end;
    }
    out.text.push_str(&text[copied..]);
}

/// Puts the file an `include` call names in place, expanded in turn.
fn include(
    components: &dyn Components,
    args: &Map<String, Value>,
    out: &mut Expanded,
    stack: &mut Vec<String>,
    at: &Range<usize>,
    error: impl Fn(&mut Expanded, Failure),
) {
    let Some(path) = args.get("path").and_then(Value::as_str) else {
        error(
            out,
            Failure::new(
                codes::COMPONENT_SYNTAX,
                "`include` needs a `path`",
                Some("write `{{ include(path=\"snippets/cennik.md\") }}`"),
            ),
        );
        return;
    };
    if stack.iter().any(|p| p == path) || stack.len() >= MAX_INCLUDE_DEPTH {
        let chain = stack
            .iter()
            .map(String::as_str)
            .chain([path])
            .collect::<Vec<_>>()
            .join(" -> ");
        error(
            out,
            Failure::new(
                codes::INCLUDE_CYCLE,
                format!("`{path}` includes itself: {chain}"),
                Some("remove one of the includes so that no file includes itself"),
            ),
        );
        return;
    }
    match components.include(path) {
        Ok(text) => {
            stack.push(path.to_string());
            // Blocks opened inside an included file must close there.
            let mut inner_blocks = Vec::new();
            expand_into(&text, components, out, &mut inner_blocks, stack, Some(at));
            stack.pop();
            if !inner_blocks.is_empty() {
                error(
                    out,
                    Failure::new(
                        codes::COMPONENT_SYNTAX,
                        format!("`{path}` opens a block it never closes"),
                        Some("end the block with `{% end %}` inside the included file"),
                    ),
                );
            }
            // Separates the included text from what follows, as a file ends with a line end.
            if !out.text.ends_with('\n') {
                out.text.push('\n');
            }
        }
        Err(failure) => error(out, failure),
    }
}

/// Byte ranges of code spans and code blocks, where `{{` is text.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(text, super::cmark_options()).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

/// A call read at the start of a string.
struct ParsedCall {
    /// Bytes the call takes, `{{`/`{%` to `}}`/`%}`.
    len: usize,
    call: Result<Parsed, Failure>,
}

enum Parsed {
    Call {
        name: String,
        args: Map<String, Value>,
        block: bool,
    },
    End,
}

/// Reads `{{ name(args) }}`, `{% name(args) %}` or `{% end %}` at the start of `s`. `None`
/// when `s` does not start with a call at all (`{{ zmienna }}` in prose stays text); a
/// call whose arguments do not read is an error.
fn parse_call(s: &str) -> Option<ParsedCall> {
    let (block, close) = if s.starts_with("{{") {
        (false, "}}")
    } else if s.starts_with("{%") {
        (true, "%}")
    } else {
        return None;
    };
    let inner_start = 2;
    let rest = &s[inner_start..];
    let trimmed = rest.trim_start();
    let name_start = inner_start + (rest.len() - trimmed.len());
    let name_len = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(trimmed.len());
    let name = &trimmed[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let after_name = &s[name_start + name_len..];
    if block && name == "end" {
        let t = after_name.trim_start();
        return t.starts_with(close).then(|| ParsedCall {
            len: s.len() - t.len() + close.len(),
            call: Ok(Parsed::End),
        });
    }
    let t = after_name.trim_start();
    if !t.starts_with('(') {
        return None;
    }
    let args_start = s.len() - t.len() + 1;
    let mut reader = ArgReader { s, at: args_start };
    let args = reader.args();
    // The call ends at the closing `}}`/`%}` after the arguments, or, when they do not read,
    // at the first closing mark on the same line, so the error covers the call.
    let end = match &args {
        Ok(_) => {
            let t = s[reader.at..].trim_start();
            if !t.starts_with(close) {
                let line_end = s.find('\n').unwrap_or(s.len());
                let end = s[..line_end]
                    .find(close)
                    .map_or(line_end, |i| i + close.len());
                return Some(ParsedCall {
                    len: end,
                    call: Err(Failure::new(
                        codes::COMPONENT_SYNTAX,
                        format!("the call of `{name}` does not end with `{close}`"),
                        Some(
                            "write it as `{{ name(key=\"value\") }}` or `{% name(key=\"value\") %}`",
                        ),
                    )),
                });
            }
            s.len() - t.len() + close.len()
        }
        Err(_) => {
            let line_end = s.find('\n').unwrap_or(s.len());
            s[..line_end]
                .find(close)
                .map_or(line_end, |i| i + close.len())
        }
    };
    Some(ParsedCall {
        len: end,
        call: args.map(|args| Parsed::Call {
            name: name.to_string(),
            args,
            block,
        }),
    })
}

/// Reads `key=value, …)` from `s` at `at`.
struct ArgReader<'a> {
    s: &'a str,
    at: usize,
}

impl ArgReader<'_> {
    fn rest(&self) -> &str {
        &self.s[self.at..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn bad(&self, what: &str) -> Failure {
        Failure::new(
            codes::COMPONENT_SYNTAX,
            format!("bad arguments: {what}"),
            Some(
                "arguments are `name=value` pairs separated by commas; values are \"text\", numbers, true, false or [lists]",
            ),
        )
    }

    fn args(&mut self) -> Result<Map<String, Value>, Failure> {
        let mut args = Map::new();
        loop {
            self.skip_spaces();
            if self.rest().starts_with(')') {
                self.at += 1;
                return Ok(args);
            }
            let rest = self.rest();
            let key_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if key_len == 0 {
                return Err(self.bad("expected an argument name"));
            }
            let key = rest[..key_len].to_string();
            self.at += key_len;
            self.skip_spaces();
            if !self.rest().starts_with('=') {
                return Err(self.bad(&format!("`{key}` has no `=value`")));
            }
            self.at += 1;
            self.skip_spaces();
            let value = self.value()?;
            if args.insert(key.clone(), value).is_some() {
                return Err(self.bad(&format!("`{key}` is given twice")));
            }
            self.skip_spaces();
            if self.rest().starts_with(',') {
                self.at += 1;
            } else if !self.rest().starts_with(')') {
                return Err(self.bad("expected `,` or `)`"));
            }
        }
    }

    fn value(&mut self) -> Result<Value, Failure> {
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return Err(self.bad("a value is missing"));
        };
        match first {
            '"' | '\'' => {
                let mut text = String::new();
                let mut chars = rest.char_indices().skip(1);
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some((_, 'n')) => text.push('\n'),
                            Some((_, c)) => text.push(c),
                            None => break,
                        },
                        '\n' => break,
                        c if c == first => {
                            self.at += i + 1;
                            return Ok(Value::String(text));
                        }
                        c => text.push(c),
                    }
                }
                Err(self.bad("a text value is not closed with its quote"))
            }
            '[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_spaces();
                    if self.rest().starts_with(']') {
                        self.at += 1;
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.skip_spaces();
                    if self.rest().starts_with(',') {
                        self.at += 1;
                    } else if !self.rest().starts_with(']') {
                        return Err(self.bad("expected `,` or `]` in a list"));
                    }
                }
            }
            _ => {
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')))
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                let value = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        if let Ok(n) = word.parse::<i64>() {
                            Value::from(n)
                        } else if let Some(n) = word
                            .parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                        {
                            Value::Number(n)
                        } else {
                            return Err(self.bad(&format!(
                                "`{word}` is not a value (text needs quotes: \"{word}\")"
                            )));
                        }
                    }
                };
                self.at += len;
                Ok(value)
            }
        }
    }
}

#[cfg(test)]
mod tests;
