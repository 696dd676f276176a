//! Social cards: the 1200x630 picture a link preview on Facebook, LinkedIn or X shows for an
//! article that has no `image` of its own.
//!
//! A card is an SVG drawn by `resvg` with fonts the theme bundles, never the machine's, so the
//! same card gives the same PNG bytes everywhere. Text is wrapped here, with the font's own
//! glyph widths, because SVG has no line breaking. Each card is named by a hash of everything
//! that shapes it, so an unchanged card is found again instead of drawn.
//!
//! A build draws thousands of cards that differ in their title only, so drawing reuses what
//! the cards before parsed and drew (`pieces`: the background, section and site names are
//! parsed once; `paint`: and pasted, not drawn) and the PNG encoder looks only at what
//! differs from the row above (`encode`, `deflate`). Text is painted from glyph masks
//! rasterised once (`glyphs`), which moves glyphs by at most an eighth of a pixel. A card is
//! the same bytes however many were drawn before it, and on whichever thread.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};
use serde::Serialize;

pub(crate) mod cache;
mod deflate;
mod encode;
mod glyphs;
pub(crate) mod jobs;
mod paint;
mod pieces;

pub use cache::{CardCounts, card_bytes, write_cards};
pub use jobs::{CARD_TEMPLATE, CardDrawer, CardJob, CardMemo, CardTemplate};

/// Width of a card in pixels, as Open Graph recommends.
pub const WIDTH: u32 = 1200;
/// Height of a card in pixels.
pub const HEIGHT: u32 = 630;
/// The output folder of cards.
pub const DIR: &str = "social";
/// Lines the title may take before it is cut with `…`.
pub const MAX_TITLE_LINES: usize = 3;
/// The width the title is wrapped to: the card less its margins.
pub const TITLE_WIDTH: f32 = 1040.0;
/// Title sizes tried in turn, largest first, until the title fits in `MAX_TITLE_LINES`.
const TITLE_SIZES: [u32; 3] = [72, 62, 54];
/// Bumped whenever drawing changes in a way the hash of the inputs would not show.
/// 3: the same pictures as 2, encoded by `encode` (other PNG bytes than zlib's).
/// 4: the same pictures, palette indices unfiltered, with copies of the row above.
/// 5: text painted from glyph masks (`glyphs`): some edge pixels differ from 4's.
const DRAWING_VERSION: &[u8] = b"kbsite-card-5";

/// Why a card could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The SVG the template produced does not parse.
    #[error("the card template gave SVG that does not parse: {0}")]
    Svg(String),
    /// The PNG could not be encoded.
    #[error("could not encode the card as PNG: {0}")]
    Png(String),
}

/// The fonts cards are drawn with, loaded once per theme.
pub struct Fonts {
    options: usvg::Options<'static>,
    /// The widths of the font titles are measured with (the first bold face, else the first
    /// face).
    title_face: Option<Advances>,
    digest: u128,
    /// What earlier cards drew, for later ones to reuse.
    painter: paint::Painter,
    /// The elements earlier cards parsed, for later ones to reuse.
    pieces: pieces::Pieces,
}

impl Fonts {
    /// Loads font files (TrueType or OpenType bytes); the first bold one measures titles.
    pub fn new(files: Vec<Vec<u8>>) -> Fonts {
        let mut options = usvg::Options::default();
        let mut loaded: Vec<Arc<Vec<u8>>> = Vec::new();
        let mut title_face: Option<(bool, Arc<Vec<u8>>)> = None;
        for bytes in files {
            let Ok(face) = ttf_parser::Face::parse(&bytes, 0) else {
                continue;
            };
            let bold = face.is_bold();
            let bytes = Arc::new(bytes);
            loaded.push(bytes.clone());
            if title_face.as_ref().is_none_or(|(b, _)| bold && !b) {
                title_face = Some((bold, bytes.clone()));
            }
            options.fontdb_mut().load_font_data(bytes.as_ref().clone());
        }
        let parts: Vec<&[u8]> = loaded.iter().map(|b| b.as_slice()).collect();
        Fonts {
            options,
            title_face: title_face.and_then(|(_, f)| Advances::of(f)),
            digest: crate::hash::content_hash(&parts),
            painter: paint::Painter::default(),
            pieces: pieces::Pieces::default(),
        }
    }

    /// A hash of every font, part of each card's name.
    pub fn digest(&self) -> u128 {
        self.digest
    }

    /// How wide `text` is at `size` pixels in the title font (kerning left out).
    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        let Some(advances) = &self.title_face else {
            return text.chars().count() as f32 * size * 0.6;
        };
        let advance: u32 = text.chars().map(|c| u32::from(advances.of_char(c))).sum();
        advance as f32 * size / advances.units_per_em
    }

    /// Wraps `text` into lines no wider than `width` at `size`; a word wider than a line is
    /// split between letters.
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.text_width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word too long for a line of its own is split where it overflows.
            for c in word.chars() {
                line.push(c);
                if self.text_width(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Lays the title out: the largest size at which it fits `MAX_TITLE_LINES` lines, else the
    /// smallest size with the last line cut and ended with `…`.
    pub fn title_layout(&self, title: &str) -> (Vec<String>, u32) {
        let smallest = TITLE_SIZES[TITLE_SIZES.len() - 1];
        for size in TITLE_SIZES {
            let lines = self.wrap(title, size as f32, TITLE_WIDTH);
            if lines.len() <= MAX_TITLE_LINES {
                return (lines, size);
            }
        }
        let size = smallest as f32;
        let mut lines = self.wrap(title, size, TITLE_WIDTH);
        lines.truncate(MAX_TITLE_LINES);
        if let Some(last) = lines.last_mut() {
            // The last line is cut after a whole word where one fits, else inside the word.
            loop {
                let cut = format!("{}…", last.trim_end_matches([' ', ',', ';', ':', '-', '–']));
                if self.text_width(&cut, size) <= TITLE_WIDTH || last.is_empty() {
                    *last = cut;
                    break;
                }
                match last.trim_end().rsplit_once(' ') {
                    Some((head, _)) if !head.trim().is_empty() => *last = head.to_string(),
                    _ => {
                        last.pop();
                    }
                }
            }
        }
        (lines, smallest)
    }

    /// Draws `svg` into a PNG of `WIDTH`x`HEIGHT`. The same SVG and fonts give the same bytes,
    /// whatever was drawn before and on whichever thread (each thread keeps a canvas).
    pub fn draw(&self, svg: &str) -> Result<Vec<u8>, CardError> {
        let parse =
            || usvg::Tree::from_str(svg, &self.options).map_err(|e| CardError::Svg(e.to_string()));
        let scale = |size: usvg::Size| {
            tiny_skia::Transform::from_scale(
                WIDTH as f32 / size.width(),
                HEIGHT as f32 / size.height(),
            )
        };
        // Each element parsed apart, most of them parsed before, else the whole document.
        let pieces = self.pieces.parse(svg, &self.options);
        let whole = match &pieces {
            Some(_) => None,
            None => Some(parse()?),
        };
        SCRATCH.with_borrow_mut(|scratch| {
            let canvas = match &mut scratch.canvas {
                Some(canvas) => canvas,
                empty => empty.insert(
                    paint::Canvas::new(WIDTH, HEIGHT)
                        .ok_or_else(|| CardError::Png("no memory for the picture".into()))?,
                ),
            };
            let painted = match (&pieces, &whole) {
                (Some(trees), _) => trees.first().is_some_and(|first| {
                    let nodes: Vec<&usvg::Node> =
                        trees.iter().flat_map(|t| t.root().children()).collect();
                    self.painter.paint_nodes(
                        &nodes,
                        scale(first.size()),
                        &self.options.fontdb,
                        canvas,
                    )
                }),
                (None, Some(tree)) => {
                    self.painter.paint(tree, scale(tree.size()), canvas);
                    true
                }
                (None, None) => false,
            };
            if !painted {
                let tree = parse()?;
                self.painter.paint(&tree, scale(tree.size()), canvas);
            }
            encode::encode_png(canvas.pixmap(), canvas.known(), &mut scratch.buffers)
        })
    }
}

/// The advance widths of a font, read once: a title is measured dozens of times while it is
/// wrapped, and parsing the font for each measure cost more than all the rest of the layout.
struct Advances {
    units_per_em: f32,
    /// By character of the Basic Multilingual Plane (where titles' letters are); `None` for a
    /// character without a glyph.
    plane: Vec<Option<u16>>,
    /// The width of a character without a glyph: that of `?`.
    fallback: u16,
    /// The font, for characters beyond the plane.
    bytes: Arc<Vec<u8>>,
}

impl Advances {
    fn of(bytes: Arc<Vec<u8>>) -> Option<Advances> {
        let face = ttf_parser::Face::parse(&bytes, 0).ok()?;
        let mut plane = vec![None; 0x10000];
        let subtables = face.tables().cmap.into_iter().flat_map(|c| c.subtables);
        for subtable in subtables.filter(|s| s.is_unicode()) {
            subtable.codepoints(|code| {
                if let Some(c) = char::from_u32(code)
                    && let Some(slot) = plane.get_mut(code as usize)
                {
                    *slot = advance(&face, c);
                }
            });
        }
        Some(Advances {
            units_per_em: f32::from(face.units_per_em()),
            plane,
            fallback: advance(&face, '?').unwrap_or(0),
            bytes,
        })
    }

    fn of_char(&self, c: char) -> u16 {
        let found = match self.plane.get(c as usize) {
            Some(advance) => *advance,
            None => ttf_parser::Face::parse(&self.bytes, 0)
                .ok()
                .and_then(|face| advance(&face, c)),
        };
        found.unwrap_or(self.fallback)
    }
}

/// The advance width of `c`'s glyph in `face`, if it has one.
fn advance(face: &ttf_parser::Face<'_>, c: char) -> Option<u16> {
    face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g))
}

/// Buffers a thread keeps between cards: a new 3 MB canvas for every card would cost more
/// in page faults than drawing the title.
#[derive(Default)]
struct Scratch {
    canvas: Option<paint::Canvas>,
    buffers: encode::Buffers,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// What one card shows: the values its template sees.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CardText {
    /// The article's title, whole.
    pub title: String,
    /// The title wrapped for the card.
    pub title_lines: Vec<String>,
    /// The title's font size in pixels.
    pub title_size: u32,
    /// The site's name.
    pub site: String,
    /// The article's section (empty for articles at the top).
    pub section: String,
    /// The article's language code.
    pub lang: &'static str,
}

/// `text` as one line an SVG can hold: control characters (which XML forbids, and which a
/// title in quotes may carry as `\u0007`) and line breaks become spaces, runs of spaces one.
fn drawable(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl CardText {
    /// The card of an article, laid out with `fonts`.
    pub fn new(
        fonts: &Fonts,
        title: &str,
        site: &str,
        section: &str,
        lang: &'static str,
    ) -> CardText {
        let title = drawable(title);
        let (title_lines, title_size) = fonts.title_layout(&title);
        CardText {
            title,
            title_lines,
            title_size,
            site: drawable(site),
            section: drawable(section),
            lang,
        }
    }

    /// The card's name: a hash of the text, the template and the fonts, so anything that
    /// changes the picture changes the name (and the URL social networks cache it by).
    pub fn name(&self, template_digest: u128, fonts: &Fonts) -> String {
        let template = template_digest.to_le_bytes();
        let fonts = fonts.digest().to_le_bytes();
        let size = self.title_size.to_le_bytes();
        let mut parts: Vec<&[u8]> = vec![DRAWING_VERSION, &template, &fonts, &size];
        parts.extend(
            [self.title.as_str(), &self.site, &self.section, self.lang]
                .into_iter()
                .chain(self.title_lines.iter().map(String::as_str))
                .map(str::as_bytes),
        );
        format!("{:032x}", crate::hash::content_hash(&parts))
    }
}

#[cfg(test)]
mod samples;

#[cfg(test)]
mod tests {
    use super::samples::{assert_looks_the_same, bundled, sample_svgs};
    use super::*;

    #[test]
    fn characters_xml_forbids_never_reach_the_card() {
        assert_eq!(
            drawable("Dzwonek\u{7} i\ttab\r\nnowa\u{ffff} linia"),
            "Dzwonek i tab nowa linia"
        );
    }

    #[test]
    fn titles_wrap_within_the_width_and_keep_every_word() {
        let fonts = bundled();
        let title = "Social media marketing w małej firmie: jak zacząć, co mierzyć i czego unikać";
        let (lines, size) = fonts.title_layout(title);
        assert!(
            lines.len() > 1 && lines.len() <= MAX_TITLE_LINES,
            "{lines:?}"
        );
        for line in &lines {
            assert!(fonts.text_width(line, size as f32) <= TITLE_WIDTH, "{line}");
        }
        assert_eq!(lines.join(" "), title);
    }

    #[test]
    fn a_title_too_long_for_three_lines_is_cut_with_an_ellipsis() {
        let fonts = bundled();
        let title = "Bardzo długi tytuł ".repeat(20);
        let (lines, size) = fonts.title_layout(&title);
        assert_eq!(lines.len(), MAX_TITLE_LINES);
        assert_eq!(size, TITLE_SIZES[TITLE_SIZES.len() - 1]);
        assert!(lines[2].ends_with('…'));
        // Cut after a whole word of the title.
        let kept = lines[2].trim_end_matches('…');
        assert!(title.contains(&format!("{kept} ")), "{kept}");
        assert!(fonts.text_width(&lines[2], size as f32) <= TITLE_WIDTH);
    }

    #[test]
    fn a_word_wider_than_a_line_is_split() {
        let fonts = bundled();
        let word = "Ż".repeat(40);
        let lines = fonts.wrap(&word, 72.0, 400.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn polish_letters_have_their_own_glyphs_in_the_bundled_fonts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/fonts");
        for file in ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] {
            let bytes = std::fs::read(dir.join(file)).unwrap();
            let face = ttf_parser::Face::parse(&bytes, 0).unwrap();
            for c in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”–…".chars() {
                assert!(face.glyph_index(c).is_some(), "{file} lacks {c}");
            }
        }
    }

    #[test]
    fn cards_are_the_same_bytes_whatever_was_drawn_before_and_on_any_thread() {
        use rayon::prelude::*;
        let mut svgs = sample_svgs(&bundled(), 30);
        // Titles seen again, so their pixels are kept and pasted too.
        svgs.extend(sample_svgs(&bundled(), 10));
        // Each card drawn alone, by fonts that drew nothing before.
        let expected: Vec<Vec<u8>> = svgs
            .iter()
            .map(|svg| bundled().draw(svg).unwrap())
            .collect();
        let fonts = bundled();
        for round in 0..2 {
            let mut order: Vec<usize> = (0..svgs.len()).collect();
            if round == 1 {
                order.reverse();
            }
            let drawn: Vec<(usize, Vec<u8>)> = order
                .par_iter()
                .map(|&i| (i, fonts.draw(&svgs[i]).unwrap()))
                .collect();
            for (i, card) in drawn {
                assert!(card == expected[i], "card {i} differs in round {round}");
            }
        }
    }

    /// A PNG's pixels as RGB.
    fn decoded(png: &[u8]) -> Vec<u8> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut out = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut out).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        out.truncate(info.buffer_size());
        out
    }

    #[test]
    fn cards_decode_to_pixels_that_look_like_resvg_draws() {
        let fonts = bundled();
        let svgs = sample_svgs(&fonts, 12);
        // Twice: parsed and drawn afresh, then from what the first round kept.
        for svg in svgs.iter().chain(&svgs) {
            let tree = usvg::Tree::from_str(svg, &fonts.options).unwrap();
            let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).unwrap();
            pixmap.fill(tiny_skia::Color::WHITE);
            resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
            let rgb: Vec<u8> = pixmap
                .pixels()
                .iter()
                .flat_map(|p| {
                    let c = p.demultiply();
                    [c.red(), c.green(), c.blue()]
                })
                .collect();
            assert_looks_the_same(&decoded(&fonts.draw(svg).unwrap()), &rgb, 3, svg);
        }
    }

    #[test]
    fn drawing_is_deterministic_and_gives_a_card_sized_png() {
        let fonts = bundled();
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#123"/><text x="80" y="300" font-family="DejaVu Sans" font-weight="bold" font-size="64" fill="#fff">Zażółć gęślą jaźń</text></svg>"##;
        let a = fonts.draw(svg).unwrap();
        let b = fonts.draw(svg).unwrap();
        assert_eq!(a, b);
        let decoder = png::Decoder::new(std::io::Cursor::new(&a));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        assert!(fonts.draw("<svg").is_err());
    }

    #[test]
    fn pictures_of_many_colours_are_stored_as_rgb() {
        let fonts = bundled();
        let flat = fonts
            .draw(r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#123"/></svg>"##)
            .unwrap();
        let gradient = fonts
            .draw(r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#f0a"/></linearGradient></defs><rect width="1200" height="630" fill="url(#g)"/><rect y="300" width="1200" height="330" fill="url(#g)" transform="rotate(10)"/></svg>"##)
            .unwrap();
        let colour = |bytes: &[u8]| {
            let reader = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()))
                .read_info()
                .unwrap();
            reader.info().color_type
        };
        assert_eq!(colour(&flat), png::ColorType::Indexed);
        assert_eq!(colour(&gradient), png::ColorType::Rgb);
    }

    #[test]
    fn names_change_with_what_the_card_shows() {
        let fonts = bundled();
        let a = CardText::new(&fonts, "Tytuł", "Strona", "Dział", "pl");
        let b = CardText::new(&fonts, "Tytuł 2", "Strona", "Dział", "pl");
        assert_eq!(a.name(1, &fonts), a.clone().name(1, &fonts));
        assert_ne!(a.name(1, &fonts), b.name(1, &fonts));
        assert_ne!(a.name(1, &fonts), a.name(2, &fonts));
        assert_eq!(a.name(1, &fonts).len(), 32);
    }
}
