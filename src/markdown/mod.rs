//! Markdown to HTML: pure text in, [`Rendered`] out.
//!
//! The steps, in the order one pass over pulldown-cmark's events takes them:
//! 1. Headings get unique, transliterated ids (`{#id}` wins, as do MDX's `{/*id*/}` and
//!    MkDocs' `{: #id }`) and are collected for the TOC.
//! 2. Fenced code is highlighted with CSS classes (first word of the info string), with the
//!    title, line numbers and marked lines the rest of the info string asks for; Mermaid
//!    fences become diagram containers.
//! 3. Footnote citations are numbered; definitions move to a section at the bottom.
//! 4. Link and image destinations pass through the caller's rewrite function (that is how
//!    `../seo/podstawy.md` becomes `/seo/podstawy/`) and are recorded with their offsets.
//! 5. Smart punctuation uses Polish quotes („…”) on Polish pages.
//! 6. The plain text, word count and summary are gathered along the way.
//! 7. MDX comments (`{/* … */}`) are dropped wherever they are in prose.
//! 8. Formulas (`$…$`, `$$…$$`) become MathML; one that does not parse is an error.
//!
//! Nothing here knows about the site: link checking happens in `site::links`.

mod callouts;
mod code_attrs;
pub(crate) mod component_calls;
pub(crate) mod footnotes;
pub(crate) mod headings;
pub(crate) mod highlight;
mod highlight_cache;
mod jsx_comments;
pub(crate) mod math;
pub(crate) mod source_text;
pub(crate) mod typography;

use std::collections::HashSet;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options as CmarkOptions, Parser, Tag,
    TagEnd,
};

use crate::config::Language;
use code_attrs::CodeAttrs;
pub use headings::{Heading, TocEntry};
pub use highlight_cache::{HighlightCounts, Highlights};

/// How to render one document.
pub struct Options<'a> {
    /// The page language: chooses quotes and the footnote labels.
    pub lang: Language,
    /// Drop a level-1 heading that opens the body (it became the page title).
    pub drop_title_heading: bool,
    /// Rewrites a link or image destination; `None` keeps it as written.
    pub rewrite_link: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// The URL of a wiki link's target (`[[Tytuł artykułu]]`, `[[slug|label]]`); `None` when
    /// no article has that title or slug.
    pub resolve_wiki: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Typography of the language: in Polish a one-letter word (`w`, `z`, `i`…) is bound to
    /// the next word with a non-breaking space, so it never ends a line, and quotes are „…”.
    pub typography: bool,
    /// Whether HTML written in the Markdown passes as HTML; `false` shows it as text and
    /// drops script-running link addresses (`raw_html: false` in the config).
    pub raw_html: bool,
    /// Renders `{{ component() }}` calls and reads `include`d files; `None` leaves calls as
    /// text.
    pub components: Option<&'a dyn component_calls::Components>,
    /// What an image's `<img>` carries besides `src` and `alt`, from the image's destination
    /// as written: its size and smaller copies (see [`ImageAttrs`]).
    pub image_attrs: &'a (dyn Fn(&str) -> ImageAttrs + Sync),
    /// Highlighted code of earlier blocks and builds, and where new blocks are kept.
    pub highlights: &'a Highlights,
}

#[cfg(test)]
impl Options<'static> {
    /// A page of `lang` with nothing to resolve (no link rewritten, no wiki name, no picture
    /// sizes, no components), with typography and raw HTML on: what the tests of Markdown
    /// alone start from.
    pub(crate) fn for_tests(lang: Language) -> Options<'static> {
        Options {
            lang,
            drop_title_heading: false,
            rewrite_link: &|_| None,
            resolve_wiki: &|_| None,
            image_attrs: &|_| Default::default(),
            typography: true,
            raw_html: true,
            components: None,
            highlights: Highlights::for_tests(),
        }
    }
}

/// What the `<img>` of one image says about the picture, besides where it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ImageAttrs {
    /// Width and height in pixels, when the picture is a file of the site that could be read:
    /// the browser reserves the space before the picture arrives.
    pub size: Option<(u32, u32)>,
    /// Smaller copies of the picture, each as its URL and width in pixels, narrowest first;
    /// the picture itself is added as the widest candidate of `srcset`.
    pub srcset: Vec<(String, u32)>,
}

/// How wide an image is shown, for the browser to pick from `srcset`: the full width of a
/// narrow screen, else the width of an article's text.
pub const IMAGE_SIZES: &str = "(max-width: 48rem) 100vw, 48rem";

/// A link or image found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// What it was rewritten to, if anything.
    pub rewritten: Option<String>,
    /// Byte offset of the destination in the Markdown text (of the link when not found).
    pub offset: usize,
    /// Byte length of the destination.
    pub len: usize,
    /// An image rather than a link.
    pub is_image: bool,
    /// A wiki link (`[[…]]`): `dest` is the text between the brackets.
    pub wiki: bool,
    /// Where the link's text starts in the page's plain text (none inside footnotes), for the
    /// sentence around it that backlinks show.
    pub text_at: Option<usize>,
    /// An image whose alt text is empty or only spaces (`![](foto.png)`), which screen
    /// readers and search engines cannot describe: `kbsite check` warns about it. Always
    /// false for links.
    pub alt_missing: bool,
    /// What the image's `<img>` was given besides `src` and `alt` (none for links), so that
    /// rendered Markdown is reused only while its pictures stay the same.
    pub image_attrs: Option<ImageAttrs>,
}

/// An image being rendered: its `<img>` is written when it ends, with the alt text gathered
/// from the events in between.
struct OpenImage {
    src: String,
    title: String,
    alt: String,
    attrs: ImageAttrs,
}

/// The result of rendering one document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body HTML, footnotes included.
    pub html: String,
    /// HTML before `<!-- more -->`, else of the first top-level paragraph.
    pub summary_html: Option<String>,
    /// The summary as plain text, blocks separated by spaces: the description search engines
    /// and social sites show when the front matter gives none.
    pub summary_text: Option<String>,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Headings nested.
    pub toc: Vec<TocEntry>,
    /// Every link and image.
    pub links: Vec<Link>,
    /// Plain text of the body without code blocks and footnotes.
    pub text: String,
    /// Where each heading's text starts in `text` (byte offset, index into `headings`), so
    /// search can point a match at its closest heading.
    pub text_anchors: Vec<(usize, usize)>,
    /// Plain text of the code blocks, indexed by search with a low weight.
    pub code_text: String,
    /// Words in `text`.
    pub word_count: usize,
    /// A hash of the HTML, the summary and the headings: what pages show of this document.
    pub fingerprint: u64,
    /// The text of the first level-1 heading, a title for files without one.
    pub first_h1: Option<String>,
    /// Other ids the page defines (footnotes), valid link anchors.
    pub extra_ids: Vec<String>,
    /// Every id on the page, for constant-time anchor checks on pages with many headings.
    anchors: HashSet<String>,
    /// Component calls that failed, where they are in the body.
    pub component_errors: Vec<component_calls::ComponentError>,
    /// Whether the body calls components (or includes files): its HTML depends on their
    /// templates and on the included files.
    pub uses_components: bool,
    /// Formulas that do not parse, where they are in the body.
    pub math_errors: Vec<math::MathError>,
    /// What the body holds that the theme supports with a script or a style of its own, so
    /// a page loads only what it needs.
    pub features: Features,
}

/// What a body holds besides text, for the page's template to load what it needs: the copy
/// buttons' script with code, Mermaid with diagrams, the tabs' script with tabs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Features {
    /// A code block (fenced or indented), a diagram's source aside.
    pub code: bool,
    /// A formula.
    pub math: bool,
    /// A Mermaid diagram.
    pub diagrams: bool,
    /// The names of the components the body calls, sorted, each once.
    pub components: Vec<String>,
}

impl Rendered {
    /// Whether `#id` exists on the page.
    pub fn has_anchor(&self, id: &str) -> bool {
        self.anchors.contains(id)
    }
}

/// Whether a tag sits inside a line of text rather than starting a block.
fn is_inline(tag: &Tag<'_>) -> bool {
    ends_inline(&tag.to_end())
}

fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
        | CmarkOptions::ENABLE_SMART_PUNCTUATION
        | CmarkOptions::ENABLE_WIKILINKS
        | CmarkOptions::ENABLE_GFM
        | CmarkOptions::ENABLE_MATH
}

struct HeadingState<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
    events: Vec<Event<'a>>,
    text: String,
    /// Byte offset in the page's plain text where the heading starts.
    text_start: usize,
}

/// The sentence of `text` (a page's plain text) around byte offset `at`: what a backlink
/// shows of the linking article. Long sentences are cut to about 240 characters around `at`.
pub fn sentence_around(text: &str, at: usize) -> String {
    let at = (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let block_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let block_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let block: Vec<(usize, char)> = text[block_start..block_end]
        .char_indices()
        .map(|(i, c)| (block_start + i, c))
        .collect();
    // A sentence ends with `.`, `!`, `?` or `…` followed by a space and a capital letter, a
    // digit or a quote, so that `np. tak` or `m.in. to` do not end one.
    let ends_at = |k: usize| -> bool {
        let (_, c) = block[k];
        if !matches!(c, '.' | '!' | '?' | '…') {
            return false;
        }
        match (block.get(k + 1), block.get(k + 2)) {
            (None, _) => true,
            (Some(&(_, space)), Some(&(_, next))) if space.is_whitespace() => {
                next.is_uppercase() || next.is_ascii_digit() || matches!(next, '„' | '"' | '«')
            }
            _ => false,
        }
    };
    let here = block.partition_point(|&(i, _)| i < at);
    let start = (0..here)
        .rev()
        .find(|&k| ends_at(k))
        .map_or(block_start, |k| block[k].0 + block[k].1.len_utf8());
    let end = (here..block.len())
        .find(|&k| ends_at(k))
        .map_or(block_end, |k| block[k].0 + block[k].1.len_utf8());
    let raw = &text[start..end];
    let sentence = raw.trim();
    const MAX: usize = 240;
    if sentence.chars().count() <= MAX {
        return sentence.to_string();
    }
    // Cut around the link at word boundaries; `offset` is the link's place in `sentence`.
    let leading = raw.len() - raw.trim_start().len();
    let offset = at.saturating_sub(start + leading).min(sentence.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| sentence.is_char_boundary(i))
        .unwrap_or(0);
    let from = sentence[..offset]
        .char_indices()
        .rev()
        .nth(MAX / 3)
        .map_or(0, |(i, _)| i);
    let from = sentence[from..].find(' ').map_or(from, |i| from + i + 1);
    let rest = &sentence[from..];
    let cut = rest.char_indices().nth(MAX).map_or(rest.len(), |(i, _)| i);
    let cut = rest[..cut].rfind(' ').unwrap_or(cut);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(rest[..cut].trim());
    if cut < rest.len() {
        out.push('…');
    }
    out
}

/// Renders Markdown `text` to HTML with the given options.
pub fn render(text: &str, options: &Options<'_>) -> Rendered {
    let mut expanded = options
        .components
        .and_then(|c| component_calls::expand(text, c));
    let call_links = expanded
        .as_mut()
        .map(|e| e.rewrite_links(options.rewrite_link, options.image_attrs))
        .unwrap_or_default();
    let text = expanded.as_ref().map_or(text, |e| e.text.as_str());
    let mut r = Renderer {
        expanded: expanded.as_ref(),
        call_links,
        options,
        out: Vec::new(),
        heading: None,
        code: None,
        footnote: None,
        footnotes: footnotes::Footnotes::default(),
        ids: headings::IdAllocator::default(),
        rendered: Rendered::default(),
        depth: 0,
        more_at: None,
        more_pending: false,
        first_paragraph: None,
        paragraph_start: None,
        dropping_title: false,
        in_image: 0,
        image_alts: Vec::new(),
        images: Vec::new(),
        bound_word_pending: false,
        previous_char: None,
        raw_code: 0,
        raw_script: 0,
        comments: jsx_comments::JsxComments::find(text),
    };
    reserve_ids(text, &mut r.ids);
    for (event, range) in Parser::new_ext(text, cmark_options()).into_offset_iter() {
        r.event(event, text, range);
    }
    r.finish()
}

struct Renderer<'o, 'a> {
    options: &'o Options<'o>,
    /// The body with its component calls replaced by markers, when it has any.
    expanded: Option<&'o component_calls::Expanded>,
    /// The link arguments of component calls (`src`, `href`), already rewritten.
    call_links: Vec<Link>,
    out: Vec<Event<'a>>,
    heading: Option<HeadingState<'a>>,
    /// The open code block: what its info string asks for, and its code so far.
    code: Option<(CodeAttrs, String)>,
    footnote: Option<(String, Vec<Event<'a>>)>,
    footnotes: footnotes::Footnotes<'a>,
    ids: headings::IdAllocator,
    rendered: Rendered,
    depth: usize,
    more_at: Option<usize>,
    more_pending: bool,
    first_paragraph: Option<(usize, usize)>,
    paragraph_start: Option<usize>,
    dropping_title: bool,
    in_image: usize,
    /// The open images (nested ones too), each as its index in `rendered.links` and whether
    /// text of its alt has been seen, to record [`Link::alt_missing`] at its end.
    image_alts: Vec<(usize, bool)>,
    /// The open images, outermost first: events inside them become the outermost one's alt
    /// text, as pulldown-cmark writes it.
    images: Vec<OpenImage>,
    /// The last text emitted ended with a one-letter word, so a line break after it becomes
    /// a non-breaking space.
    bound_word_pending: bool,
    /// The last character of text seen in the current block, to tell where words start.
    previous_char: Option<char>,
    /// Inside `<code>`, `<kbd>`, `<samp>` or `<pre>` written as inline HTML: how deep.
    raw_code: usize,
    /// Inside `<script>` or `<style>` written as inline HTML: how deep. Their text is code
    /// for the browser, passed on exactly as written.
    raw_script: usize,
    /// The MDX comments of the text, whose events are dropped.
    comments: Option<jsx_comments::JsxComments>,
}

impl<'o, 'a> Renderer<'o, 'a> {
    fn emit(&mut self, event: Event<'a>) {
        // A NUL or other control character in the source (raw HTML passes them on) never
        // reaches the page, its summary or its search text.
        let event = match event {
            Event::Text(t) if t.bytes().any(crate::yaml::is_forbidden_control) => {
                Event::Text(CowStr::from(crate::yaml::without_controls(t.into_string())))
            }
            Event::Html(t) if t.bytes().any(crate::yaml::is_forbidden_control) => {
                Event::Html(CowStr::from(crate::yaml::without_controls(t.into_string())))
            }
            Event::InlineHtml(t) if t.bytes().any(crate::yaml::is_forbidden_control) => {
                Event::InlineHtml(CowStr::from(crate::yaml::without_controls(t.into_string())))
            }
            other => other,
        };
        if let Some(image) = self.images.first_mut() {
            match &event {
                Event::Text(t)
                | Event::Code(t)
                | Event::InlineMath(t)
                | Event::DisplayMath(t)
                | Event::InlineHtml(t) => image.alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
                _ => {}
            }
            return;
        }
        if let Some(h) = &mut self.heading {
            h.events.push(event);
        } else if let Some((_, events)) = &mut self.footnote {
            events.push(event);
        } else {
            self.out.push(event);
        }
    }

    fn in_body_text(&self) -> bool {
        self.footnote.is_none()
    }

    /// Handles one event of pulldown-cmark: drops MDX comments, turns HTML into text when raw
    /// HTML is off, then hands the event to the handler of its kind.
    fn event(&mut self, event: Event<'a>, source: &'a str, range: std::ops::Range<usize>) {
        let event = match &self.comments {
            Some(comments) => match comments.filter(event, &range, source) {
                Some(event) => event,
                None => return,
            },
            None => event,
        };
        let event = if self.options.raw_html {
            event
        } else {
            html_as_text(event)
        };
        if !self.image_alts.is_empty() {
            self.note_alt_text(&event);
        }
        match event {
            Event::Start(tag) => self.start_tag(tag, source, &range),
            Event::End(tag) => self.end_tag(tag),
            Event::Text(t) => self.text(t, source, range),
            Event::Code(t) => self.inline_code(t),
            Event::InlineMath(t) => self.math(t, false, range),
            Event::DisplayMath(t) => self.math(t, true, range),
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(&h) => self.more_marker(),
            Event::FootnoteReference(label) => {
                let html = self.footnotes.cite(&label);
                self.emit(Event::InlineHtml(CowStr::from(html)));
            }
            Event::TaskListMarker(done) => self.task_list_marker(done),
            Event::SoftBreak | Event::HardBreak => self.line_break(event),
            Event::InlineHtml(ref h) => {
                self.track_raw_code(h);
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    /// Opens a tag. Headings, code blocks, footnote definitions and images are held back
    /// until their end, links have their destination rewritten and recorded; other tags open
    /// a block (or an inline element) as written, callouts getting their markup.
    fn start_tag(&mut self, tag: Tag<'a>, source: &'a str, range: &std::ops::Range<usize>) {
        match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let attributes = heading_attributes(id, &classes, &attrs, source, range);
                self.start_heading(level, attributes);
            }
            Tag::CodeBlock(kind) => {
                let attrs = match kind {
                    CodeBlockKind::Fenced(info) => CodeAttrs::parse(&info),
                    CodeBlockKind::Indented => CodeAttrs::default(),
                };
                self.code = Some((attrs, String::new()));
            }
            Tag::FootnoteDefinition(label) => {
                self.footnote = Some((label.to_string(), Vec::new()));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let dest_url = self.link(link_type, dest_url, source, range, false);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id: _,
            } => self.start_image(link_type, dest_url, title, source, range),
            tag => {
                self.block_start(&tag);
                self.emit(callouts::start(tag, self.options.lang));
            }
        }
    }

    /// Opens a heading: its events are gathered until its end, when its id (which needs its
    /// text) is known. A level-1 heading opening the body is dropped when it became the title.
    fn start_heading(&mut self, level: HeadingLevel, attributes: headings::HeadingAttributes) {
        let at_top = self.out.is_empty() && self.footnote.is_none();
        self.dropping_title =
            self.options.drop_title_heading && level == HeadingLevel::H1 && at_top;
        self.heading = Some(HeadingState {
            level,
            id: attributes.id,
            classes: attributes.classes,
            attrs: attributes.attrs,
            events: Vec::new(),
            text: String::new(),
            text_start: self.rendered.text.len(),
        });
    }

    /// Opens an image: its destination is rewritten and recorded with what its `<img>` will
    /// carry, and the `<img>` waits for the alt text, which the events up to its end make.
    fn start_image(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        source: &str,
        range: &std::ops::Range<usize>,
    ) {
        self.in_image += 1;
        let attrs = (self.options.image_attrs)(&dest_url);
        let dest_url = self.link(link_type, dest_url, source, range, true);
        let link = self.rendered.links.len() - 1;
        self.rendered.links[link].image_attrs = Some(attrs.clone());
        self.image_alts.push((link, false));
        self.images.push(OpenImage {
            src: dest_url.to_string(),
            title: title.to_string(),
            alt: String::new(),
            attrs,
        });
    }

    /// Closes a tag: what its start held back is written now; other blocks end as written,
    /// and the summary ends after the top-level block that held the `<!-- more -->` marker.
    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::CodeBlock => {
                if let Some((attrs, code)) = self.code.take() {
                    let html = if attrs.is_mermaid() {
                        self.rendered.features.diagrams = true;
                        highlight::diagram_block(&code, &attrs)
                    } else {
                        self.rendered.features.code = true;
                        highlight::code_block(&code, &attrs, self.options.highlights)
                    };
                    self.emit(Event::Html(CowStr::from(html)));
                }
            }
            TagEnd::FootnoteDefinition => {
                if let Some((label, events)) = self.footnote.take() {
                    self.footnotes.define(label, events);
                }
            }
            TagEnd::Image => self.end_image(),
            tag => {
                self.block_end(&tag);
                self.emit(callouts::end(tag));
                if self.more_pending && self.depth == 0 && self.footnote.is_none() {
                    self.more_pending = false;
                    self.more_at = Some(self.out.len());
                }
            }
        }
    }

    /// Closes an image: records whether it had alt text, and writes its `<img>` unless it
    /// sits inside another image's alt text, to which it adds only its text.
    fn end_image(&mut self) {
        self.in_image = self.in_image.saturating_sub(1);
        if let Some((link, has_alt)) = self.image_alts.pop() {
            self.rendered.links[link].alt_missing = !has_alt;
        }
        if self.images.len() == 1
            && let Some(image) = self.images.pop()
        {
            self.emit(Event::InlineHtml(CowStr::from(image_html(&image))));
        } else {
            self.images.pop();
        }
    }

    /// Text: gathered for highlighting in a code block, passed on as written inside
    /// `<script>` or `<style>`, kept as typed inside code written as HTML; elsewhere it gets
    /// the language's quotes and bound one-letter words, and joins the page's plain text.
    fn text(&mut self, t: CowStr<'a>, source: &'a str, range: std::ops::Range<usize>) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(&t);
            if self.in_body_text() {
                self.rendered.code_text.push_str(&t);
            }
        } else if self.raw_script > 0 {
            // The source as written: no smart quotes, no escaping, no bound words.
            self.emit(Event::InlineHtml(CowStr::Borrowed(&source[range])));
        } else if self.raw_code > 0
            && let Some(written) = source
                .get(range)
                .filter(|s| s.bytes().all(|b| matches!(b, b'\'' | b'"' | b'-' | b'.')))
        {
            // Quotes, dashes and dots that smart punctuation changed, inside `<code>`,
            // `<pre>`, `<kbd>` or `<samp>` written as HTML: code keeps them as written.
            self.collect_text(written);
            self.emit(Event::Text(CowStr::Borrowed(written)));
        } else {
            let t = self.localize_quotes(t);
            self.collect_text(&t);
            let t = self.bind_short_words(t);
            self.emit(Event::Text(t));
        }
    }

    /// Inline code: passed on as written; it ends any one-letter word before it, and its
    /// text joins the page's plain text.
    fn inline_code(&mut self, t: CowStr<'a>) {
        self.previous_char = t.chars().next_back();
        self.bound_word_pending = false;
        self.collect_text(&t);
        self.emit(Event::Code(t));
    }

    /// A formula: its MathML, which never joins the page's text (summaries, descriptions and
    /// backlink sentences show no LaTeX); its words are searched with the code's weight. One
    /// that does not parse is recorded as an error and shown as its source, in code.
    fn math(&mut self, source: CowStr<'a>, display: bool, range: std::ops::Range<usize>) {
        // Inside an image the formula is alt text, which pulldown-cmark writes as its source.
        if !self.images.is_empty() {
            let event = if display {
                Event::DisplayMath(source)
            } else {
                Event::InlineMath(source)
            };
            self.emit(event);
            return;
        }
        self.previous_char = None;
        self.bound_word_pending = false;
        self.rendered.features.math = true;
        if self.in_body_text() {
            let words = math::search_words(&source);
            if !words.is_empty() {
                self.rendered.code_text.push_str(&words);
                self.rendered.code_text.push('\n');
            }
        }
        let html = match math::to_mathml(&source, display) {
            // A block formula sits in a paragraph: a `span` that the theme can let scroll
            // sideways, never a `div`, which a paragraph cannot hold. Focusable, as code
            // blocks are, so that keyboard readers can scroll a formula wider than the screen.
            Ok(mathml) if display => {
                format!("<span class=\"math-display\" tabindex=\"0\">{mathml}</span>")
            }
            Ok(mathml) => mathml,
            Err(message) => {
                self.rendered.math_errors.push(math::MathError {
                    offset: range.start,
                    len: range.len(),
                    formula: source.to_string(),
                    message,
                });
                let mut code = String::from("<code class=\"math-error\">");
                highlight::escape_into(&mut code, &source);
                code.push_str("</code>");
                code
            }
        };
        self.emit(Event::InlineHtml(CowStr::from(html)));
    }

    /// The `<!-- more -->` marker: the summary ends with the top-level block holding it, so
    /// it never cuts a paragraph or list in half. Only the first marker in the body counts.
    fn more_marker(&mut self) {
        if self.more_at.is_none() && self.heading.is_none() && self.footnote.is_none() {
            self.more_pending = true;
        }
    }

    /// A task's box shows its state; a box needs a name for screen readers, and the item's
    /// text follows it.
    fn task_list_marker(&mut self, done: bool) {
        let name = match self.options.lang {
            Language::Pl => "Zadanie",
            Language::En => "Task",
        };
        let checked = if done { " checked=\"\"" } else { "" };
        self.emit(Event::InlineHtml(CowStr::from(format!(
            "<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{name}\"/>\n"
        ))));
    }

    /// A line break separates words like a space; a soft one after a one-letter word becomes
    /// a non-breaking space, so the word stays with the next one.
    fn line_break(&mut self, event: Event<'a>) {
        self.previous_char = Some(' ');
        self.collect_text(" ");
        if matches!(event, Event::SoftBreak) && std::mem::take(&mut self.bound_word_pending) {
            self.emit(Event::Text(CowStr::from("\u{a0}")));
        } else {
            self.bound_word_pending = false;
            self.emit(event);
        }
    }

    /// Marks the open images as having alt text when `event`, inside them, is text that
    /// becomes their `alt` attribute (as pulldown-cmark writes it) and is not only spaces.
    fn note_alt_text(&mut self, event: &Event<'a>) {
        let has_text = match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => !t.trim().is_empty(),
            Event::FootnoteReference(_) | Event::InlineMath(_) | Event::DisplayMath(_) => true,
            _ => false,
        };
        if has_text {
            for (_, has_alt) in &mut self.image_alts {
                *has_alt = true;
            }
        }
    }

    fn block_start(&mut self, tag: &Tag<'a>) {
        if !is_inline(tag) {
            self.previous_char = None;
            self.bound_word_pending = false;
            self.raw_code = 0;
            self.raw_script = 0;
        }
        if matches!(tag, Tag::Paragraph)
            && self.depth == 0
            && self.footnote.is_none()
            && self.first_paragraph.is_none()
        {
            self.paragraph_start = Some(self.out.len());
        }
        if is_container(tag) {
            self.depth += 1;
        }
    }

    fn block_end(&mut self, tag: &TagEnd) {
        if matches!(tag, TagEnd::Paragraph)
            && let (Some(start), None) = (self.paragraph_start.take(), self.first_paragraph)
        {
            self.first_paragraph = Some((start, self.out.len() + 1));
        }
        if is_container_end(tag) {
            self.depth = self.depth.saturating_sub(1);
        }
        if matches!(
            tag,
            TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)
        ) && self.in_body_text()
        {
            self.rendered.text.push('\n');
        }
    }

    fn collect_text(&mut self, t: &str) {
        let cleaned;
        let t = if t.bytes().any(crate::yaml::is_forbidden_control) {
            cleaned = crate::yaml::without_controls(t.to_string());
            cleaned.as_str()
        } else {
            t
        };
        if let Some(h) = &mut self.heading {
            h.text.push_str(t);
        }
        if self.in_body_text() && self.in_image == 0 {
            self.rendered.text.push_str(t);
        }
    }

    /// Follows code elements written as inline HTML, whose text must stay as typed.
    fn track_raw_code(&mut self, html: &str) {
        let tag = html.trim_start().to_ascii_lowercase();
        let is = |name: &str, closing: bool| {
            let prefix = if closing {
                format!("</{name}")
            } else {
                format!("<{name}")
            };
            tag.strip_prefix(&prefix)
                .is_some_and(|rest| rest.starts_with(['>', ' ', '\t', '\n', '/']))
        };
        for name in ["code", "kbd", "samp", "pre"] {
            if is(name, false) && !tag.ends_with("/>") {
                self.raw_code += 1;
            } else if is(name, true) {
                self.raw_code = self.raw_code.saturating_sub(1);
            }
        }
        for name in ["script", "style"] {
            if is(name, false) && !tag.ends_with("/>") {
                self.raw_script += 1;
            } else if is(name, true) {
                self.raw_script = self.raw_script.saturating_sub(1);
            }
        }
    }

    /// Binds one-letter words to the next word with a non-breaking space (Polish typography):
    /// only in text, so code, URLs and attributes are never touched.
    fn bind_short_words(&mut self, t: CowStr<'a>) -> CowStr<'a> {
        // An image's text becomes its `alt` attribute, which stays as typed; code written as
        // HTML stays as typed too.
        if !self.options.typography
            || self.options.lang != Language::Pl
            || self.in_image > 0
            || self.raw_code > 0
        {
            return t;
        }
        let pending = std::mem::take(&mut self.bound_word_pending);
        let (bound, ends_bound) =
            typography::bind_one_letter_words(&t, self.previous_char, pending);
        self.previous_char = t.chars().next_back().or(self.previous_char);
        self.bound_word_pending = ends_bound;
        match bound {
            Some(text) => CowStr::from(text),
            None => t,
        }
    }

    fn localize_quotes(&self, t: CowStr<'a>) -> CowStr<'a> {
        if !self.options.typography {
            return t;
        }
        if self.options.lang == Language::Pl && t.contains(['\u{201c}', '\u{2018}']) {
            CowStr::from(
                t.replace('\u{201c}', "\u{201e}")
                    .replace('\u{2018}', "\u{201a}"),
            )
        } else {
            t
        }
    }

    fn link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        source: &str,
        range: &std::ops::Range<usize>,
        is_image: bool,
    ) -> CowStr<'a> {
        if link_type == LinkType::Email {
            return dest;
        }
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        // `<https://…>` is recorded (so external links are checked) but never rewritten.
        let rewritten = match link_type {
            LinkType::Autolink => None,
            LinkType::WikiLink { .. } => (self.options.resolve_wiki)(&dest),
            _ => (self.options.rewrite_link)(&dest),
        };
        let (offset, len) = match source.get(range.clone()).and_then(|s| s.find(&*dest)) {
            Some(i) if !dest.is_empty() => (range.start + i, dest.len()),
            _ => (range.start, range.len()),
        };
        let text_at = self.in_body_text().then_some(self.rendered.text.len());
        self.rendered.links.push(Link {
            dest: dest.to_string(),
            rewritten: rewritten.clone(),
            offset,
            len,
            is_image,
            wiki,
            text_at,
            alt_missing: false,
            image_attrs: None,
        });
        match rewritten {
            Some(url) => CowStr::from(url),
            // A picture's address never runs code; a `data:` picture stays.
            None if !self.options.raw_html && !is_image && runs_script(&dest) => {
                CowStr::Borrowed("")
            }
            None => dest,
        }
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let title = h.text.trim().to_string();
        if h.level == HeadingLevel::H1 && self.rendered.first_h1.is_none() {
            self.rendered.first_h1 = Some(title.clone());
        }
        if std::mem::take(&mut self.dropping_title) {
            return;
        }
        let id = self.ids.allocate(h.id.as_deref(), &title);
        let level = h.level as u8;
        let mut open = format!("<h{level} id=\"");
        highlight::escape_into(&mut open, &id);
        open.push('"');
        if !h.classes.is_empty() {
            open.push_str(" class=\"");
            highlight::escape_into(&mut open, &h.classes.join(" "));
            open.push('"');
        }
        for (k, v) in &h.attrs {
            if k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !k.starts_with("on")
            {
                open.push(' ');
                open.push_str(k);
                if let Some(v) = v {
                    open.push_str("=\"");
                    highlight::escape_into(&mut open, v);
                    open.push('"');
                }
            }
        }
        open.push('>');
        self.emit(Event::Html(CowStr::from(open)));
        for e in h.events {
            self.emit(e);
        }
        // A link a keyboard reaches, named by its heading (the `#` itself is not read out).
        let mut close = String::from(HEADING_CLOSE_START);
        highlight::escape_into(&mut close, &id);
        close.push_str("\" aria-labelledby=\"");
        highlight::escape_into(&mut close, &id);
        close.push_str(&format!(
            "\"><span aria-hidden=\"true\">#</span></a></h{level}>\n"
        ));
        self.emit(Event::Html(CowStr::from(close)));
        if self.footnote.is_none() {
            self.rendered.text.push('\n');
            self.rendered
                .text_anchors
                .push((h.text_start, self.rendered.headings.len()));
        }
        self.rendered.headings.push(Heading { level, id, title });
    }

    fn finish(mut self) -> Rendered {
        let mut rendered = std::mem::take(&mut self.rendered);
        let mut html = String::with_capacity(self.out.len() * 24);
        let summary_range = match (self.more_at, self.first_paragraph) {
            (Some(end), _) => Some((0, end)),
            (None, Some((start, end))) => Some((start, end)),
            _ => None,
        };
        if let Some((start, end)) = summary_range {
            let mut summary = String::new();
            let end = end.min(self.out.len());
            pulldown_cmark::html::push_html(&mut summary, self.out[start..end].iter().cloned());
            rendered.summary_html = Some(focusable_tables(summary));
            rendered.summary_text = Some(plain_text(&self.out[start..end]));
        }
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        let mut html = focusable_tables(html);
        rendered.extra_ids = self.footnotes.ids();
        for id in &rendered.extra_ids {
            self.ids.reserve(id);
        }
        let (title, back) = match self.options.lang {
            Language::Pl => ("Przypisy", "Wróć do tekstu"),
            Language::En => ("Footnotes", "Back to text"),
        };
        html.push_str(&self.footnotes.render(title, back));
        rendered.html = html;
        if let (Some(expanded), Some(components)) = (self.expanded, self.options.components) {
            let toc = headings::build_toc(&rendered.headings);
            let page = component_calls::PageInfo {
                lang: self.options.lang,
                toc: &toc,
            };
            let mut errors = expanded.errors.clone();
            rendered.html = expanded.apply(&rendered.html, components, &page, &mut errors);
            rendered.summary_html = rendered
                .summary_html
                .map(|s| expanded.apply(&s, components, &page, &mut Vec::new()));
            for link in &mut rendered.links {
                let (offset, len) = expanded.original_offset(link.offset);
                link.offset = offset;
                if let Some(len) = len {
                    link.len = len;
                }
            }
            rendered.links.append(&mut self.call_links);
            rendered.links.sort_by_key(|l| l.offset);
            for error in &mut rendered.math_errors {
                let (offset, len) = expanded.original_offset(error.offset);
                error.offset = offset;
                if let Some(len) = len {
                    error.len = len;
                }
            }
            rendered.features.components = expanded.component_names();
            errors.sort_by_key(|e| e.offset);
            errors.dedup();
            rendered.component_errors = errors;
            rendered.uses_components = true;
        }
        rendered.word_count = count_words(&rendered.text);
        rendered.fingerprint = crate::hash::stable_hash(&[
            rendered.html.as_bytes(),
            rendered.summary_html.as_deref().unwrap_or("\0").as_bytes(),
            rendered.first_h1.as_deref().unwrap_or("\0").as_bytes(),
            &rendered.word_count.to_le_bytes(),
            &crate::hash::stable_hash(&[format!("{:?}", rendered.features).as_bytes()])
                .to_le_bytes(),
        ]);
        rendered.toc = headings::build_toc(&rendered.headings);
        rendered.anchors = rendered
            .headings
            .iter()
            .map(|h| h.id.clone())
            .chain(rendered.extra_ids.iter().cloned())
            .collect();
        rendered
    }
}

/// Tables that keyboard readers can scroll sideways, as code blocks: a table wider than a
/// phone scrolls, and an element that scrolls must take the focus. pulldown-cmark writes a
/// table's start as `<table>`, attributes and alignments being on its cells.
fn focusable_tables(html: String) -> String {
    if html.contains("<table>") {
        html.replace("<table>", "<table tabindex=\"0\">")
    } else {
        html
    }
}

/// The `<img>` of an image: `src` and `alt` as pulldown-cmark writes them, then the size,
/// the smaller copies and lazy loading, which keeps pictures below the fold from delaying
/// the page.
fn image_html(image: &OpenImage) -> String {
    let mut html = String::from("<img src=\"");
    escape_url_into(&mut html, &image.src);
    html.push_str("\" alt=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut html, &image.alt);
    html.push('"');
    if !image.title.is_empty() {
        html.push_str(" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut html, &image.title);
        html.push('"');
    }
    if let Some((width, height)) = image.attrs.size {
        html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        if !image.attrs.srcset.is_empty() {
            html.push_str(" srcset=\"");
            for (url, w) in &image.attrs.srcset {
                escape_url_into(&mut html, url);
                html.push_str(&format!(" {w}w, "));
            }
            escape_url_into(&mut html, &image.src);
            html.push_str(&format!(" {width}w\" sizes=\"{IMAGE_SIZES}\""));
        }
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\" />");
    html
}

/// Writes a URL into an attribute as pulldown-cmark does: unsafe characters percent-encoded,
/// `&` and `'` escaped.
fn escape_url_into(out: &mut String, url: &str) {
    let _ = pulldown_cmark_escape::escape_href(out, url);
}

/// The id, classes and attributes of a heading: those pulldown-cmark read from `{#id .cls}`,
/// unless the heading ends the way another tool names its id (`{/*id*/}`, `{: #id }`).
fn heading_attributes(
    id: Option<CowStr<'_>>,
    classes: &[CowStr<'_>],
    attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
    source: &str,
    range: &std::ops::Range<usize>,
) -> headings::HeadingAttributes {
    headings::foreign_attributes(source.get(range.clone()).unwrap_or("")).unwrap_or_else(|| {
        headings::HeadingAttributes {
            id: id.map(|s| s.to_string()),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                .collect(),
        }
    })
}

/// Whether `text` may name a heading's id (`{#id}`, `{ #id }`, `{: #id }`, `{/*id*/}`), so
/// that texts without one are parsed once.
fn may_name_heading_ids(text: &str) -> bool {
    text.match_indices('{').any(|(i, _)| {
        let rest = text[i + 1..].trim_start_matches([' ', '\t', ':']);
        rest.starts_with('#') || rest.starts_with("/*")
    })
}

/// Reserves the ids that headings met later (`{#id}` and the forms of other tools) and
/// footnotes will need, so that a generated heading id never takes them. Both scans run only
/// when the text has such syntax.
fn reserve_ids(text: &str, ids: &mut headings::IdAllocator) {
    if may_name_heading_ids(text) {
        for (event, range) in Parser::new_ext(text, cmark_options()).into_offset_iter() {
            if let Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) = event
                && let Some(id) = heading_attributes(id, &classes, &attrs, text, &range).id
            {
                ids.reserve(&id);
            }
        }
    }
    if text.contains("[^") {
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("[^")
                && let Some(end) = rest.find("]:")
            {
                let id = footnotes::label_id(&rest[..end]);
                ids.reserve(&format!("fn-{id}"));
                ids.reserve(&format!("fnref-{id}"));
            }
        }
    }
}

/// HTML written in the Markdown as text (`raw_html: false`): a block of HTML becomes a
/// paragraph of its text, inline HTML its text; the `<!-- more -->` marker keeps its meaning.
fn html_as_text(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(h) | Event::InlineHtml(h) if !is_more_marker(&h) => Event::Text(h),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        other => other,
    }
}

/// Whether a link address runs code when followed (`javascript:`, `vbscript:`, `data:`),
/// as browsers read it: letter case, and spaces and control characters before the scheme
/// or inside it, are ignored.
fn runs_script(dest: &str) -> bool {
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take_while(|&c| c != ':')
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = dest.contains(':');
    has_colon && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

fn is_more_marker(html: &str) -> bool {
    let compact: String = html.chars().filter(|c| !c.is_whitespace()).collect();
    compact == "<!--more-->"
}

fn is_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::Table(_) | Tag::FootnoteDefinition(_)
    )
}

fn is_container_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::FootnoteDefinition
    )
}

/// Counts words: runs of characters separated by white space that hold a letter or digit.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Minutes to read `words` at 200 words a minute, at least one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

/// The words of `events` as a description reads them: text and code as written; headings,
/// image alt texts, HTML and footnote references left out; and a space wherever a line or
/// block breaks, so two paragraphs never run together.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    // Inside a heading or an image (nested images count).
    let mut hidden = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::Image { .. }) => hidden += 1,
            // Headings are emitted as HTML of their own (with id and anchor).
            Event::Html(h) if is_heading_open(h) => hidden += 1,
            Event::Html(h) if h.starts_with(HEADING_CLOSE_START) => {
                hidden = hidden.saturating_sub(1);
                text.push(' ');
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Image) => {
                hidden = hidden.saturating_sub(1);
                text.push(' ');
            }
            Event::Text(t) | Event::Code(t) if hidden == 0 => text.push_str(t),
            Event::Start(tag) if !is_inline(tag) => text.push(' '),
            Event::End(end) if !ends_inline(end) => text.push(' '),
            Event::SoftBreak | Event::HardBreak | Event::Html(_) => text.push(' '),
            Event::InlineHtml(h) if h.starts_with("<br") => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How the HTML closing a heading starts: its anchor link.
const HEADING_CLOSE_START: &str = " <a class=\"heading-anchor\" href=\"#";

/// Whether `html` opens a heading (`<h2 id="…">`).
fn is_heading_open(html: &str) -> bool {
    let b = html.as_bytes();
    b.len() > 3 && b[0] == b'<' && b[1] == b'h' && (b'1'..=b'6').contains(&b[2]) && b[3] == b' '
}

/// Whether a tag's end sits inside a line of text, so its edges are not word breaks.
fn ends_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod feature_tests;
#[cfg(test)]
mod tests;
