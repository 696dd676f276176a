//! Painting text from glyph coverage masks kept between cards, instead of filling every
//! glyph's outline again.
//!
//! Filling the outlines of a title was most of what a card cost, and a site's titles are
//! made of the same hundred letters at three sizes. So each glyph is rasterised once per
//! font, glyph, scale and position within a pixel, by the same anti-aliasing scan converter
//! `resvg` fills outlines with (tiny-skia's), into a mask of coverage; a text's glyphs are
//! added into one coverage buffer (as the scan converter adds the coverage of the parts of one
//! outline) and the buffer is painted with the fill colour once.
//!
//! Positions are rounded to a quarter of a pixel across ([`X_STEPS`]) and a 64th down
//! ([`Y_STEPS`]), so a glyph may sit up to an eighth of a pixel from where the outline would
//! put it. The scan converter samples four rows a pixel and places edges on quarters of a
//! pixel, so such a move changes only some anti-aliased pixels along the edges, each by at
//! most a quarter of coverage per edge (see the tests of `cards` for the bound). A mask depends on its key alone, so
//! cards stay the same bytes whatever was drawn before them and on whichever thread.
//!
//! Only plain text is painted here: anti-aliased, filled with a flat colour, no stroke, no
//! decoration, glyphs that are outlines (no colour, bitmap or SVG glyphs), not rotated or
//! skewed. Anything else is left to `resvg`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use resvg::{tiny_skia, usvg};
use usvg::fontdb;

use super::paint::Area;

/// Positions within a pixel a glyph is rasterised at, across.
const X_STEPS: f32 = 4.0;
/// Positions within a pixel a glyph is rasterised at, down: a card's baselines are few (the
/// same few on every card of a title size), so fine steps cost few masks.
const Y_STEPS: f32 = 64.0;
/// At most this many bytes of masks are kept per theme (a site's titles need a few MB);
/// past it, they are all forgotten and drawn again as needed.
const MAX_KEPT_BYTES: usize = 32 << 20;

/// Glyph masks kept for reuse, shared by the threads drawing cards.
#[derive(Default)]
pub(super) struct Glyphs {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    masks: HashMap<GlyphKey, Arc<GlyphMask>>,
    bytes: usize,
}

/// What a glyph's mask is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    font: fontdb::ID,
    glyph: u16,
    /// The scale of the outline (font units to pixels), as bits, across and down.
    scale: (u32, u32),
    /// The position within a pixel, in steps of `1 / X_STEPS` and `1 / Y_STEPS`.
    step: (u8, u8),
}

/// A glyph's coverage, 0 to 255 a pixel, placed relative to the pixel its origin rounds to.
struct GlyphMask {
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<u8>,
}

/// Scratch a thread keeps between cards: the coverage of the text being painted, all zeros
/// between texts (only what a text touched is painted and cleared again).
#[derive(Default)]
pub(super) struct Coverage {
    values: Vec<u8>,
    /// For each row of the area, the columns touched: first and past the last.
    touched: Vec<(usize, usize)>,
}

/// One glyph of a text, ready to be added to the coverage.
struct Placed {
    key: GlyphKey,
    x: i32,
    y: i32,
}

impl Glyphs {
    /// Paints `node` with `transform` onto `pixmap`, within `area` (which holds everything
    /// the node draws), when it is plain text; `false`, painting nothing, otherwise.
    pub(super) fn paint_text(
        &self,
        node: &usvg::Node,
        transform: tiny_skia::Transform,
        area: Area,
        fontdb: &fontdb::Database,
        coverage: &mut Coverage,
        pixmap: &mut tiny_skia::Pixmap,
    ) -> bool {
        let usvg::Node::Text(text) = node else {
            return false;
        };
        let Some(spans) = plain_spans(text, transform) else {
            return false;
        };
        // Every mask first: a glyph that cannot be drawn leaves the text to `resvg`, untouched.
        let mut masks = Vec::with_capacity(spans.iter().map(|(_, g)| g.len()).sum());
        for glyph in spans.iter().flat_map(|(_, glyphs)| glyphs) {
            let Some(mask) = self.mask(glyph.key, fontdb) else {
                return false;
            };
            masks.push(mask);
        }
        let mut masks = masks.iter();
        for (colour, glyphs) in spans {
            coverage.clear(area);
            for (glyph, mask) in glyphs.iter().zip(masks.by_ref()) {
                coverage.add(area, mask, glyph.x, glyph.y);
            }
            coverage.paint(area, colour, pixmap);
        }
        true
    }

    /// The mask of `key`, rasterised now if it is not kept.
    fn mask(&self, key: GlyphKey, fontdb: &fontdb::Database) -> Option<Arc<GlyphMask>> {
        if let Some(mask) = self.lock().masks.get(&key) {
            return Some(mask.clone());
        }
        let mask = Arc::new(GlyphMask::rasterise(key, fontdb)?);
        let mut kept = self.lock();
        if kept.bytes + mask.coverage.len() > MAX_KEPT_BYTES {
            kept.masks.clear();
            kept.bytes = 0;
        }
        kept.bytes += mask.coverage.len();
        kept.masks.insert(key, mask.clone());
        Some(mask)
    }

    /// The kept masks; a thread that panicked holding them left them whole (each change is
    /// one insert or a clear), so a poisoned lock is used as it is.
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The visible spans of `text` as a premultiplied colour and its glyphs, placed; `None` when
/// the text is not plain (see the module's comment).
fn plain_spans(
    text: &usvg::Text,
    transform: tiny_skia::Transform,
) -> Option<Vec<(tiny_skia::PremultipliedColorU8, Vec<Placed>)>> {
    let flattened = text.flattened();
    if flattened.should_isolate()
        || !flattened
            .children()
            .iter()
            .all(|child| matches!(child, usvg::Node::Path(path) if path.stroke().is_none() && path.rendering_mode().use_shape_antialiasing()))
    {
        return None;
    }
    let base = transform.pre_concat(flattened.transform());
    let mut spans = Vec::new();
    for span in text.layouted() {
        if span.underline.is_some()
            || span.overline.is_some()
            || span.line_through.is_some()
            || span.stroke.is_some()
        {
            return None;
        }
        if !span.visible || span.positioned_glyphs.is_empty() {
            continue;
        }
        let fill = span.fill.as_ref()?;
        let usvg::Paint::Color(c) = fill.paint() else {
            return None;
        };
        if fill.rule() != usvg::FillRule::NonZero {
            return None;
        }
        let colour = tiny_skia::ColorU8::from_rgba(c.red, c.green, c.blue, fill.opacity().to_u8())
            .premultiply();
        let mut glyphs = Vec::with_capacity(span.positioned_glyphs.len());
        for glyph in &span.positioned_glyphs {
            let t = base.pre_concat(glyph.outline_transform());
            if t.kx != 0.0 || t.ky != 0.0 || !t.sx.is_finite() || !t.sy.is_finite() {
                return None;
            }
            let (x, step_x) = snapped(t.tx, X_STEPS)?;
            let (y, step_y) = snapped(t.ty, Y_STEPS)?;
            glyphs.push(Placed {
                key: GlyphKey {
                    font: glyph.font,
                    glyph: glyph.id.0,
                    scale: (t.sx.to_bits(), t.sy.to_bits()),
                    step: (step_x, step_y),
                },
                x,
                y,
            });
        }
        spans.push((colour, glyphs));
    }
    Some(spans)
}

/// `v` rounded to the nearest `1 / steps` of a pixel: the whole pixel and the step within it.
fn snapped(v: f32, steps: f32) -> Option<(i32, u8)> {
    let at = (v * steps).round();
    if !at.is_finite() || at.abs() > 1e7 {
        return None;
    }
    let at = at as i64;
    let steps = steps as i64;
    Some((
        i32::try_from(at.div_euclid(steps)).ok()?,
        u8::try_from(at.rem_euclid(steps)).ok()?,
    ))
}

impl GlyphMask {
    /// Rasterises the glyph of `key`: its outline scaled and moved to its step within the
    /// pixel, filled by tiny-skia's anti-aliasing scan converter (non-zero rule). A glyph
    /// without an outline (a space) gives an empty mask; `None` when the font is missing.
    fn rasterise(key: GlyphKey, fontdb: &fontdb::Database) -> Option<GlyphMask> {
        let outline = fontdb.with_face_data(key.font, |data, index| {
            let face = ttf_parser::Face::parse(data, index).ok()?;
            let mut builder = Outline(tiny_skia::PathBuilder::new());
            face.outline_glyph(ttf_parser::GlyphId(key.glyph), &mut builder)?;
            builder.0.finish()
        })?;
        let empty = GlyphMask {
            left: 0,
            top: 0,
            width: 0,
            coverage: Vec::new(),
        };
        let placed = tiny_skia::Transform::from_row(
            f32::from_bits(key.scale.0),
            0.0,
            0.0,
            f32::from_bits(key.scale.1),
            f32::from(key.step.0) / X_STEPS,
            f32::from(key.step.1) / Y_STEPS,
        );
        let Some(path) = outline.and_then(|path| path.transform(placed)) else {
            return Some(empty);
        };
        let bounds = path.bounds();
        // A pixel of margin: the scan converter touches the pixels an edge passes through.
        let (left, top) = (bounds.left().floor() - 1.0, bounds.top().floor() - 1.0);
        let (right, bottom) = (bounds.right().ceil() + 1.0, bounds.bottom().ceil() + 1.0);
        let (width, height) = ((right - left) as u32, (bottom - top) as u32);
        if width > 4096 || height > 4096 {
            return None;
        }
        let Some(mut mask) = tiny_skia::Mask::new(width, height) else {
            return Some(empty);
        };
        mask.fill_path(
            &path,
            tiny_skia::FillRule::Winding,
            true,
            tiny_skia::Transform::from_translate(-left, -top),
        );
        Some(GlyphMask {
            left: left as i32,
            top: top as i32,
            width: width as usize,
            coverage: mask.data().to_vec(),
        })
    }
}

/// A glyph outline from `ttf_parser`, as a path.
struct Outline(tiny_skia::PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

impl Coverage {
    /// Makes the buffer the size of `area`, with no coverage.
    fn clear(&mut self, area: Area) {
        let size = area.width() * area.height();
        if self.values.len() < size {
            self.values.resize(size, 0);
        }
        self.touched.clear();
        self.touched.resize(area.height(), (usize::MAX, 0));
    }

    /// Adds `mask`, its origin at pixel (`x`, `y`) of the canvas, to the coverage of `area`
    /// (what falls outside is dropped), saturating at full coverage.
    fn add(&mut self, area: Area, mask: &GlyphMask, x: i32, y: i32) {
        if mask.width == 0 {
            return;
        }
        let width = area.width();
        let left = i64::from(x) + i64::from(mask.left) - area.x0 as i64;
        let top = i64::from(y) + i64::from(mask.top) - area.y0 as i64;
        // The mask's columns within the area, and where they go.
        let skip = (-left).max(0) as usize;
        let start = left.max(0) as usize;
        if start >= width || skip >= mask.width {
            return;
        }
        let len = (mask.width - skip).min(width - start);
        for (row, values) in mask.coverage.chunks_exact(mask.width).enumerate() {
            let Ok(cy) = usize::try_from(top + row as i64) else {
                continue;
            };
            let Some(touched) = self.touched.get_mut(cy) else {
                break;
            };
            *touched = (touched.0.min(start), touched.1.max(start + len));
            let out = &mut self.values[cy * width + start..cy * width + start + len];
            for (o, v) in out.iter_mut().zip(&values[skip..skip + len]) {
                *o = o.saturating_add(*v);
            }
        }
    }

    /// Paints `colour` (premultiplied) over the pixels of `area` as their coverage says, as
    /// tiny-skia's pipeline blends a flat colour: source over, then a mix with the pixel by
    /// the coverage, in the same integer arithmetic. Leaves the coverage cleared.
    fn paint(
        &mut self,
        area: Area,
        colour: tiny_skia::PremultipliedColorU8,
        pixmap: &mut tiny_skia::Pixmap,
    ) {
        let canvas_width = pixmap.width() as usize;
        let width = area.width();
        let pixels = pixmap.pixels_mut();
        let mut blend = Blend::new(colour);
        for (row, &(x0, x1)) in self.touched.iter().enumerate() {
            if x0 >= x1 {
                continue;
            }
            let values = &mut self.values[row * width + x0..row * width + x1];
            let at = (area.y0 + row) * canvas_width + area.x0;
            let line = &mut pixels[at + x0..at + x1];
            // Eight pixels at a time where nothing covers them (most of a line of text).
            let (chunks, _) = values.as_chunks_mut::<8>();
            let chunked = chunks.len() * 8;
            for (i, chunk) in chunks.iter_mut().enumerate() {
                if u64::from_ne_bytes(*chunk) == 0 {
                    continue;
                }
                for (pixel, c) in line[i * 8..i * 8 + 8].iter_mut().zip(chunk.iter_mut()) {
                    blend.apply(pixel, std::mem::take(c));
                }
            }
            for (pixel, c) in line[chunked..].iter_mut().zip(&mut values[chunked..]) {
                blend.apply(pixel, std::mem::take(c));
            }
        }
    }
}

/// A flat colour blended over pixels by coverage, as tiny-skia's pipeline blends it (source
/// over, then a mix with the pixel by the coverage, in the same integer arithmetic), with the
/// results for the last pixel colour met remembered: text mostly lies on one colour.
struct Blend {
    src: [u16; 4],
    /// The pixel the results are for, and the result by coverage (0: not worked out yet).
    under: u32,
    results: [u32; 256],
}

impl Blend {
    fn new(colour: tiny_skia::PremultipliedColorU8) -> Blend {
        Blend {
            src: [colour.red(), colour.green(), colour.blue(), colour.alpha()].map(u16::from),
            under: 0,
            results: [0; 256],
        }
    }

    #[inline]
    fn apply(&mut self, pixel: &mut tiny_skia::PremultipliedColorU8, cover: u8) {
        if cover == 0 {
            return;
        }
        let dst = [pixel.red(), pixel.green(), pixel.blue(), pixel.alpha()];
        let under = u32::from_le_bytes(dst);
        if under != self.under {
            self.under = under;
            self.results = [0; 256];
        }
        let cached = self.results[usize::from(cover)];
        if cached != 0 {
            let [r, g, b, a] = cached.to_le_bytes();
            if let Some(p) = tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a) {
                *pixel = p;
            }
            return;
        }
        let div255 = |v: u16| (v + 255) >> 8;
        let (src, cover) = (self.src, u16::from(cover));
        let dst = dst.map(u16::from);
        let mixed: [u8; 4] = std::array::from_fn(|i| {
            let over = src[i] + div255(dst[i] * (255 - src[3]));
            div255(dst[i] * (255 - cover) + over * cover) as u8
        });
        let [r, g, b, a] = mixed;
        if let Some(p) = tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a) {
            *pixel = p;
            // A transparent black result is worked out again each time (0 means unknown).
            self.results[usize::from(cover as u8)] = u32::from_le_bytes(mixed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_to_the_nearest_step_of_a_pixel() {
        assert_eq!(snapped(10.0, 4.0), Some((10, 0)));
        assert_eq!(snapped(10.3, 4.0), Some((10, 1)));
        assert_eq!(snapped(10.9, 4.0), Some((11, 0)));
        assert_eq!(snapped(-0.3, 4.0), Some((-1, 3)));
        assert_eq!(snapped(f32::NAN, 4.0), None);
        assert_eq!(snapped(1e30, 4.0), None);
    }
}
