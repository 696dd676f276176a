//! Drawing a card's tree as a white canvas and `resvg::render` draw it, reusing what earlier
//! cards drew.
//!
//! The cards of a site differ in little: every card draws the same background, most draw one
//! of a few section names and site names, and only the title is new. So each top-level element
//! of the picture is drawn on its own, in order, and the pixels of its area are kept once the
//! same drawing has turned up twice; a later card pastes them instead of drawing. An element's
//! pixels depend on the element and on what lies under it, so a kept area is named by a hash of
//! both: what the element draws (outlines, paints, transform) and what each element drawn
//! before it draws in the same area. Elements this module cannot describe (pictures, patterns,
//! clip paths, masks, filters, group opacity) are always drawn, and so is what overlaps them.
//!
//! Plain text is painted from glyph masks (`glyphs`), which puts some anti-aliased pixels
//! along glyph edges a little off `resvg`'s; everything else is exactly `resvg`'s pixels. The
//! result never depends on what was kept, so cards stay byte-identical whatever order threads
//! draw them in; `tests::painting_looks_like_resvg_render` holds both.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use resvg::{tiny_skia, usvg};

use super::glyphs::{Coverage, Glyphs};

/// At most this many bytes of pixels are kept per theme (the background alone is 3 MB).
const MAX_KEPT_BYTES: usize = 64 << 20;
/// Drawings seen once are remembered up to this many (mostly titles, which never recur),
/// then forgotten all together.
const MAX_SEEN: usize = 1 << 16;
/// Pixels added around an element's bounding box: anti-aliasing touches the pixels an edge
/// passes through, and `resvg` pads its layers by as much.
const PAD: f32 = 2.0;

/// The areas kept for reuse, shared by the threads drawing cards.
#[derive(Default)]
pub(super) struct Painter {
    kept: Mutex<Kept>,
    /// The masks of the glyphs earlier cards painted.
    glyphs: Glyphs,
}

#[derive(Default)]
struct Kept {
    areas: HashMap<u128, Arc<Patch>>,
    /// Drawings seen once, whose pixels are kept when they turn up again.
    seen: HashSet<u128>,
    bytes: usize,
}

/// A rectangle of the canvas, in pixels, right and bottom edges excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Area {
    pub(super) x0: usize,
    pub(super) y0: usize,
    pub(super) x1: usize,
    pub(super) y1: usize,
}

/// The pixels of an area after an element was drawn.
struct Patch {
    area: Area,
    /// Premultiplied RGBA rows of the area.
    pixels: Vec<u8>,
    /// For a patch of the whole canvas (a background), whether each row equals the row above.
    repeats: Vec<bool>,
}

/// How one top-level element is drawn.
struct Step {
    area: Area,
    /// What the element draws, `None` for what is not described here.
    drawing: Option<u128>,
    /// The drawing and everything under it: the name of its kept pixels.
    key: Option<u128>,
}

/// The canvas a thread draws cards on, kept from one card to the next with what is known
/// of its pixels: when the next card has the same background, only the areas the last card
/// drew over it are pasted back (a card is 3 MB, which takes longer to copy than its text
/// takes to draw).
pub(super) struct Canvas {
    pixmap: tiny_skia::Pixmap,
    /// The background pasted first, if the picture is one.
    background: Option<Arc<Patch>>,
    /// Where the picture may differ from the background.
    changed: Vec<Area>,
    /// The coverage of the text being painted.
    coverage: Coverage,
}

/// What the encoder may take as known about a picture: outside `changed`, it is the
/// background, whose rows repeat the row above where `repeats` says so.
pub(super) struct Known<'a> {
    pub(super) repeats: &'a [bool],
    pub(super) changed: &'a [Area],
}

impl Canvas {
    pub(super) fn new(width: u32, height: u32) -> Option<Canvas> {
        Some(Canvas {
            pixmap: tiny_skia::Pixmap::new(width, height)?,
            background: None,
            changed: Vec::new(),
            coverage: Coverage::default(),
        })
    }

    pub(super) fn pixmap(&self) -> &tiny_skia::Pixmap {
        &self.pixmap
    }

    /// What is known of the picture drawn last.
    pub(super) fn known(&self) -> Option<Known<'_>> {
        self.background.as_ref().map(|b| Known {
            repeats: &b.repeats,
            changed: &self.changed,
        })
    }

    /// Starts a picture from `background` (a patch of the whole canvas).
    fn start_from(&mut self, background: &Arc<Patch>) {
        match &self.background {
            Some(b) if Arc::ptr_eq(b, background) => {
                for &area in &self.changed {
                    background.paste_within(&mut self.pixmap, area);
                }
            }
            _ => {
                background.paste_within(&mut self.pixmap, background.area);
                self.background = Some(background.clone());
            }
        }
        self.changed.clear();
    }

    /// Starts a picture from white.
    fn start_blank(&mut self) {
        self.pixmap.fill(tiny_skia::Color::WHITE);
        self.background = None;
        self.changed.clear();
    }
}

impl Painter {
    /// Draws `tree` with `transform` (a scale) on `canvas`: the pixels a canvas filled with
    /// white and `resvg::render` give, but for text painted from glyph masks.
    pub(super) fn paint(
        &self,
        tree: &usvg::Tree,
        transform: tiny_skia::Transform,
        canvas: &mut Canvas,
    ) {
        let nodes: Vec<&usvg::Node> = tree.root().children().iter().collect();
        if !self.paint_nodes(&nodes, transform, tree.fontdb(), canvas) {
            canvas.start_blank();
            resvg::render(tree, transform, &mut canvas.pixmap.as_mut());
        }
    }

    /// Draws `nodes` (the top-level elements of a picture, in order) as [`Painter::paint`]
    /// draws a tree of them; `false`, drawing nothing, when they must be drawn by
    /// `resvg::render` as a whole.
    pub(super) fn paint_nodes(
        &self,
        nodes: &[&usvg::Node],
        transform: tiny_skia::Transform,
        fontdb: &usvg::fontdb::Database,
        canvas: &mut Canvas,
    ) -> bool {
        let Some(steps) = plan(nodes, transform, &canvas.pixmap) else {
            return false;
        };
        // A first element covering the canvas, kept, is the background.
        let whole = Area::whole(&canvas.pixmap);
        let background = steps
            .first()
            .and_then(|step| self.kept(step.key?))
            .filter(|patch| patch.area == whole);
        let skip = match &background {
            Some(background) => {
                canvas.start_from(background);
                1
            }
            None => {
                canvas.start_blank();
                0
            }
        };
        for (node, step) in nodes.iter().zip(&steps).skip(skip) {
            canvas.changed.push(step.area);
            if let Some(patch) = step.key.and_then(|key| self.kept(key)) {
                patch.paste_within(&mut canvas.pixmap, patch.area);
                continue;
            }
            let Canvas {
                pixmap, coverage, ..
            } = canvas;
            if !self
                .glyphs
                .paint_text(node, transform, step.area, fontdb, coverage, pixmap)
            {
                draw_node(node, transform, pixmap);
            }
            if let Some(key) = step.key
                && self.recurs(key)
            {
                self.keep(key, Patch::copy(&canvas.pixmap, step.area));
            }
        }
        true
    }

    fn kept(&self, key: u128) -> Option<Arc<Patch>> {
        self.lock().areas.get(&key).cloned()
    }

    /// Whether the drawing `key` was seen before (and is not kept yet): then it is worth
    /// keeping. Remembers it as seen.
    fn recurs(&self, key: u128) -> bool {
        let mut kept = self.lock();
        if kept.areas.contains_key(&key) || kept.bytes >= MAX_KEPT_BYTES {
            return false;
        }
        if kept.seen.len() >= MAX_SEEN {
            kept.seen.clear();
        }
        !kept.seen.insert(key)
    }

    fn keep(&self, key: u128, patch: Patch) {
        let mut kept = self.lock();
        if !kept.areas.contains_key(&key) && kept.bytes + patch.pixels.len() <= MAX_KEPT_BYTES {
            kept.bytes += patch.pixels.len();
            kept.areas.insert(key, Arc::new(patch));
        }
    }

    /// The kept areas; a thread that panicked holding them left them whole (each change is
    /// one insert), so a poisoned lock is used as it is.
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Each top-level element's area, drawing and key; `None` when the tree must be drawn whole
/// (a transform other than a scale, or an element `resvg::render_node` would not draw).
fn plan(
    nodes: &[&usvg::Node],
    transform: tiny_skia::Transform,
    canvas: &tiny_skia::Pixmap,
) -> Option<Vec<Step>> {
    if transform.has_skew() || transform.tx != 0.0 || transform.ty != 0.0 {
        return None;
    }
    let mut steps: Vec<Step> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let area = Area::of(node, transform, canvas)?;
        let drawing = drawing(node, transform, area);
        let key = drawing.and_then(|drawing| {
            let mut under = vec![drawing.to_le_bytes()];
            for earlier in steps.iter().filter(|s| s.area.overlaps(area)) {
                under.push(earlier.drawing?.to_le_bytes());
            }
            let parts: Vec<&[u8]> = under.iter().map(|d| d.as_slice()).collect();
            Some(crate::hash::content_hash(&parts))
        });
        steps.push(Step { area, drawing, key });
    }
    Some(steps)
}

/// Draws one top-level element as `resvg::render` does. `resvg::render_node` draws an element
/// moved to the corner of its bounding box (to draw it alone); the transform given moves it
/// back, exactly: with a scale `s`, `s·(-x) + s·x` is 0 in floating point.
fn draw_node(node: &usvg::Node, transform: tiny_skia::Transform, canvas: &mut tiny_skia::Pixmap) {
    let Some(bbox) = node.abs_layer_bounding_box() else {
        return;
    };
    let moved_back = transform.pre_translate(bbox.x(), bbox.y());
    resvg::render_node(node, moved_back, &mut canvas.as_mut());
}

impl Area {
    /// Pixels across.
    pub(super) fn width(self) -> usize {
        self.x1.saturating_sub(self.x0)
    }

    /// Pixels down.
    pub(super) fn height(self) -> usize {
        self.y1.saturating_sub(self.y0)
    }

    fn whole(canvas: &tiny_skia::Pixmap) -> Area {
        Area {
            x0: 0,
            y0: 0,
            x1: canvas.width() as usize,
            y1: canvas.height() as usize,
        }
    }

    /// The pixels an element may change: its bounding box with stroke (and filters, for a
    /// group), padded, within the canvas. `None` for an element `resvg::render_node` skips
    /// though `resvg::render` may draw it (a horizontal or vertical line).
    fn of(
        node: &usvg::Node,
        transform: tiny_skia::Transform,
        canvas: &tiny_skia::Pixmap,
    ) -> Option<Area> {
        let layer = node.abs_layer_bounding_box()?;
        let stroke = node.abs_stroke_bounding_box();
        let bbox = tiny_skia::Rect::from_ltrb(
            layer.left().min(stroke.left()),
            layer.top().min(stroke.top()),
            layer.right().max(stroke.right()),
            layer.bottom().max(stroke.bottom()),
        )?
        .transform(transform)?;
        let clamp = |v: f32, max: u32| v.clamp(0.0, max as f32) as usize;
        let (width, height) = (canvas.width(), canvas.height());
        Some(Area {
            x0: clamp((bbox.left() - PAD).floor(), width),
            y0: clamp((bbox.top() - PAD).floor(), height),
            x1: clamp((bbox.right() + PAD).ceil(), width),
            y1: clamp((bbox.bottom() + PAD).ceil(), height),
        })
    }

    fn intersection(self, other: Area) -> Option<Area> {
        self.overlaps(other).then(|| Area {
            x0: self.x0.max(other.x0),
            y0: self.y0.max(other.y0),
            x1: self.x1.min(other.x1),
            y1: self.y1.min(other.y1),
        })
    }

    /// Whether the two areas share a pixel.
    fn overlaps(self, other: Area) -> bool {
        !self.is_empty()
            && !other.is_empty()
            && self.x0 < other.x1
            && other.x0 < self.x1
            && self.y0 < other.y1
            && other.y0 < self.y1
    }

    fn is_empty(self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }

    /// The byte range of each of the area's rows in a canvas `width` pixels wide.
    fn rows(self, width: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
        (self.y0..self.y1.max(self.y0))
            .map(move |y| (y * width + self.x0) * 4..(y * width + self.x1.max(self.x0)) * 4)
    }
}

impl Patch {
    fn copy(canvas: &tiny_skia::Pixmap, area: Area) -> Patch {
        let width = canvas.width() as usize;
        let data = canvas.data();
        let mut pixels = Vec::new();
        for row in area.rows(width) {
            pixels.extend_from_slice(&data[row]);
        }
        let mut repeats = Vec::new();
        if area == Area::whole(canvas) {
            let rows = pixels.chunks_exact(width * 4);
            repeats.push(false);
            repeats.extend(
                rows.clone()
                    .zip(rows.skip(1))
                    .map(|(above, row)| above == row),
            );
        }
        Patch {
            area,
            pixels,
            repeats,
        }
    }

    /// Pastes the part of the patch inside `within`.
    fn paste_within(&self, canvas: &mut tiny_skia::Pixmap, within: Area) {
        let width = canvas.width() as usize;
        let Some(area) = self.area.intersection(within) else {
            return;
        };
        let patch_width = self.area.x1 - self.area.x0;
        let data = canvas.data_mut();
        for (row, y) in area.rows(width).zip(area.y0..) {
            let from = ((y - self.area.y0) * patch_width + area.x0 - self.area.x0) * 4;
            data[row.clone()].copy_from_slice(&self.pixels[from..from + row.len()]);
        }
    }
}

/// A hash of everything `resvg` draws an element from, or `None` when it draws from more
/// than this describes. (Only this run of kbsite sees it.)
fn drawing(node: &usvg::Node, transform: tiny_skia::Transform, area: Area) -> Option<u128> {
    let mut description = Vec::with_capacity(16 * 1024);
    put_transform(&mut description, transform);
    let _ = write!(description, "{area:?}");
    put_node(&mut description, node)?;
    Some(crate::hash::content_hash(&[&description]))
}

fn put_node(out: &mut Vec<u8>, node: &usvg::Node) -> Option<()> {
    match node {
        usvg::Node::Group(group) => put_group(out, group),
        usvg::Node::Path(path) => put_path(out, path),
        // Text is drawn as the outlines it was turned into.
        usvg::Node::Text(text) => {
            out.extend_from_slice(b"text");
            put_group(out, text.flattened())
        }
        usvg::Node::Image(_) => None,
    }
}

/// A group drawn straight onto the canvas: its transform and children. An isolated group
/// (opacity, blending, clip path, mask, filters) is not described.
fn put_group(out: &mut Vec<u8>, group: &usvg::Group) -> Option<()> {
    if group.should_isolate() {
        return None;
    }
    let _ = write!(out, "group{}", group.children().len());
    put_transform(out, group.transform());
    for child in group.children() {
        put_node(out, child)?;
    }
    Some(())
}

/// A path as `resvg` draws it: visibility, paint order, anti-aliasing, fill and stroke of
/// flat colour or gradient (patterns are not described), and the outline.
fn put_path(out: &mut Vec<u8>, path: &usvg::Path) -> Option<()> {
    let _ = write!(
        out,
        "path{:?}{:?}{:?}",
        path.is_visible(),
        path.paint_order(),
        path.rendering_mode()
    );
    match path.fill() {
        Some(fill) => {
            put_paint(out, fill.paint())?;
            let _ = write!(out, "fill{:?}{:?}", fill.opacity().get(), fill.rule());
        }
        None => out.extend_from_slice(b"nofill"),
    }
    match path.stroke() {
        Some(s) => {
            put_paint(out, s.paint())?;
            let _ = write!(
                out,
                "stroke{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
                s.opacity().get(),
                s.width().get(),
                s.miterlimit().get(),
                s.linecap(),
                s.linejoin(),
                s.dasharray(),
                s.dashoffset()
            );
        }
        None => out.extend_from_slice(b"nostroke"),
    }
    put_outline(out, path.data());
    Some(())
}

/// A paint in full (a gradient's `Debug` lists every value it is drawn from); `None` for a
/// pattern, which is a tree of its own.
fn put_paint(out: &mut Vec<u8>, paint: &usvg::Paint) -> Option<()> {
    match paint {
        usvg::Paint::Pattern(_) => None,
        paint => {
            let _ = write!(out, "{paint:?}");
            Some(())
        }
    }
}

fn put_outline(out: &mut Vec<u8>, data: &tiny_skia::Path) {
    out.extend_from_slice(&(data.verbs().len() as u64).to_le_bytes());
    out.extend(data.verbs().iter().map(|v| match v {
        usvg::tiny_skia_path::PathVerb::Move => 0,
        usvg::tiny_skia_path::PathVerb::Line => 1,
        usvg::tiny_skia_path::PathVerb::Quad => 2,
        usvg::tiny_skia_path::PathVerb::Cubic => 3,
        usvg::tiny_skia_path::PathVerb::Close => 4,
    }));
    for p in data.points() {
        out.extend_from_slice(&p.x.to_bits().to_le_bytes());
        out.extend_from_slice(&p.y.to_bits().to_le_bytes());
    }
}

fn put_transform(out: &mut Vec<u8>, t: tiny_skia::Transform) {
    for v in [t.sx, t.kx, t.ky, t.sy, t.tx, t.ty] {
        out.extend_from_slice(&v.to_bits().to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::samples::{assert_looks_the_same, bundled, sample_svgs};

    /// The card as the drawer before this module drew it: white, then the whole tree.
    fn rendered(tree: &usvg::Tree) -> tiny_skia::Pixmap {
        let mut pixmap = tiny_skia::Pixmap::new(1200, 630).unwrap();
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        pixmap
    }

    /// Paints every SVG three times over (seen, kept, pasted) on one canvas and checks each
    /// picture: it looks like `resvg::render`'s, and is the same bytes every round.
    fn assert_painted_as_rendered(svgs: &[String]) {
        let fonts = bundled();
        let painter = Painter::default();
        let mut canvas = Canvas::new(1200, 630).unwrap();
        let mut first: Vec<Vec<u8>> = Vec::new();
        for round in 0..3 {
            for (i, svg) in svgs.iter().enumerate() {
                let tree = usvg::Tree::from_str(svg, &fonts.options).unwrap();
                painter.paint(&tree, tiny_skia::Transform::default(), &mut canvas);
                let what = format!("round {round}, picture {i}: {svg}");
                assert_looks_the_same(canvas.pixmap.data(), rendered(&tree).data(), 4, &what);
                match first.get(i) {
                    Some(pixels) => assert!(canvas.pixmap.data() == pixels, "{what}"),
                    None => first.push(canvas.pixmap.data().to_vec()),
                }
            }
        }
    }

    /// What is not text is drawn as `resvg` draws it, exactly.
    #[test]
    fn shapes_are_painted_exactly_as_resvg_renders_them() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#14213d"/><circle cx="600" cy="300" r="100.3" fill="#fff" stroke="#fca311" stroke-width="7.5"/><rect x="80.4" y="520.2" width="80" height="6" fill="#fca311"/></svg>"##;
        let fonts = bundled();
        let painter = Painter::default();
        let mut canvas = Canvas::new(1200, 630).unwrap();
        for _ in 0..3 {
            let tree = usvg::Tree::from_str(svg, &fonts.options).unwrap();
            painter.paint(&tree, tiny_skia::Transform::default(), &mut canvas);
            assert!(canvas.pixmap.data() == rendered(&tree).data());
        }
    }

    #[test]
    fn painting_looks_like_resvg_render() {
        let svgs = sample_svgs(&bundled(), 24);
        assert_painted_as_rendered(&svgs);
        // Kept: the background, the stripe, sections, site names, the bar, and titles
        // painted three times.
        assert!(painter_keeps_something(&svgs));
    }

    fn painter_keeps_something(svgs: &[String]) -> bool {
        let fonts = bundled();
        let painter = Painter::default();
        let mut canvas = Canvas::new(1200, 630).unwrap();
        for svg in svgs.iter().chain(svgs) {
            let tree = usvg::Tree::from_str(svg, &fonts.options).unwrap();
            painter.paint(&tree, tiny_skia::Transform::default(), &mut canvas);
        }
        let kept = painter.lock();
        kept.areas.len() >= 4 && kept.bytes >= 1200 * 630 * 4
    }

    #[test]
    fn elements_not_described_are_drawn_and_what_overlaps_them_too() {
        const HEAD: &str =
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">"##;
        let gradient = r##"<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#f0a"/></linearGradient><pattern id="p" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#0f0"/></pattern></defs>"##;
        let bodies = [
            // A gradient background, a pattern, a group with opacity over text.
            r##"<rect width="1200" height="630" fill="url(#g)"/><rect x="100" y="100" width="300" height="200" fill="url(#p)"/><text x="80" y="300" font-family="DejaVu Sans" font-size="60" fill="#fff">Zażółć gęślą jaźń</text><g opacity="0.5"><rect x="60" y="250" width="500" height="80" fill="#123"/></g>"##,
            // A horizontal line, which `render_node` does not draw: the tree is drawn whole.
            r##"<rect width="1200" height="630" fill="#14213d"/><line x1="80" y1="500" x2="600" y2="500" stroke="#fca311" stroke-width="6"/><text x="80" y="300" font-family="DejaVu Sans" font-size="60" fill="#fff">Łódź</text>"##,
            // A stroke wider than the fill's box, and text drawn over other text.
            r##"<rect width="1200" height="630" fill="#14213d"/><circle cx="600" cy="300" r="100" fill="#fff" stroke="#fca311" stroke-width="40"/><text x="500" y="320" font-family="DejaVu Sans" font-weight="bold" font-size="72" fill="#e5e5e5">Tytuł</text><text x="520" y="330" font-family="DejaVu Sans" font-size="72" fill="#fca311" fill-opacity="0.6">Tytuł</text>"##,
            // Nothing at all.
            "",
        ];
        let svgs: Vec<String> = bodies
            .iter()
            .map(|body| format!("{HEAD}{gradient}{body}</svg>"))
            .collect();
        assert_painted_as_rendered(&svgs);
    }

    #[test]
    fn areas_overlap_only_when_they_share_a_pixel() {
        let a = Area {
            x0: 0,
            y0: 0,
            x1: 10,
            y1: 10,
        };
        assert!(a.overlaps(Area {
            x0: 9,
            y0: 9,
            x1: 20,
            y1: 20
        }));
        assert!(!a.overlaps(Area {
            x0: 10,
            y0: 0,
            x1: 20,
            y1: 10
        }));
        assert!(!a.overlaps(Area {
            x0: 3,
            y0: 3,
            x1: 3,
            y1: 8
        }));
    }
}
