//! PNG encoding of a drawn card, made for speed: most of a card's rows repeat the row above,
//! and most of the others differ from it in a few places only; only those places are looked
//! at pixel by pixel.
//!
//! A card is a few flat colours and the anti-aliased edges between them, which nearly always
//! fit a palette of 256: then each pixel is one byte, stored unfiltered, and
//! [`super::deflate`] packs runs and copies of the row above (a row that repeats the row above
//! is one copy, made without looking at it). Otherwise it is stored as RGB filtered with
//! `Paeth`, which turns flat areas and smooth gradients into runs of zeros.

use std::ops::Range;

use resvg::tiny_skia;

use super::CardError;
use super::deflate;
use super::paint::Known;

/// The PNG filters rows are stored with: none for palette indices (whose differences mean
/// nothing), `Paeth` for colours.
const NONE: u8 = 0;
const PAETH: u8 = 4;
/// Slots of the colour lookup table; a power of two, well above the 256 colours it holds.
const SLOTS: usize = 1024;
/// Pixels compared with the ones above at a time.
const BLOCK: usize = 64;

/// Buffers kept between cards: allocating them anew costs page faults every time.
#[derive(Default)]
pub(super) struct Buffers {
    /// The rows as the PNG stores them: each its filter type, then the palette index of each
    /// pixel.
    indices: Vec<u8>,
    changes: Changes,
    /// The tokens of the zlib stream.
    tokens: Vec<u32>,
}

/// Where each row differs from the row above.
#[derive(Default)]
struct Changes {
    /// For each row, the range of `blocks` listing the blocks of `BLOCK` pixels that differ
    /// (none: the row repeats the row above), or `None` when all of it is taken as differing.
    rows: Vec<Option<Range<usize>>>,
    /// Block numbers, in order within each row.
    blocks: Vec<usize>,
}

impl Changes {
    fn clear(&mut self) {
        self.rows.clear();
        self.blocks.clear();
    }

    /// Whether each row repeats the row above.
    fn repeats(&self) -> Vec<bool> {
        let repeats = |r: &Option<Range<usize>>| r.as_ref().is_some_and(Range::is_empty);
        self.rows.iter().map(repeats).collect()
    }

    /// The bytes of row `y` (of `stride` bytes, `bpp` a pixel) that may filter to something
    /// other than zeros: from the first block that differs from the row above to the pixel
    /// after the last one (whose left neighbour changed); empty when the row repeats the row
    /// above, `None` when all of it is taken as differing.
    fn filtered(&self, y: usize, stride: usize, bpp: usize) -> Option<Range<usize>> {
        let blocks = &self.blocks[self.rows.get(y)?.clone()?];
        Some(match (blocks.first(), blocks.last()) {
            (Some(first), Some(last)) => {
                first * BLOCK * bpp..((last + 1) * BLOCK * bpp + bpp).min(stride)
            }
            _ => 0..0,
        })
    }
}

/// Encodes an opaque picture as a PNG: indexed when it has at most 256 colours, else RGB.
/// What is `known` of the picture saves looking at its pixels, never changes the bytes.
pub(super) fn encode_png(
    pixmap: &tiny_skia::Pixmap,
    known: Option<Known<'_>>,
    buffers: &mut Buffers,
) -> Result<Vec<u8>, CardError> {
    let Buffers {
        indices,
        changes,
        tokens,
    } = buffers;
    let (width, height) = (pixmap.width(), pixmap.height());
    let mut out = Vec::with_capacity(32 * 1024);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    // The image data is written as one chunk made here, not through `write_image_data`.
    encoder.validate_sequence(false);
    let stream = match palette_indices(pixmap, known, indices, changes) {
        Some(palette) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette.concat());
            let repeats = changes.repeats();
            deflate::zlib(indices, width as usize + 1, &repeats, tokens)
        }
        None => {
            encoder.set_color(png::ColorType::Rgb);
            let stride = width as usize * 3;
            let rgb: Vec<u8> = pixmap.pixels().iter().flat_map(rgb).collect();
            changes.clear();
            let rows = rgb.chunks_exact(stride);
            changes.rows.push(None);
            let repeated = rows
                .clone()
                .zip(rows.skip(1))
                .map(|(above, row)| above == row);
            changes.rows.extend(repeated.map(|r| r.then_some(0..0)));
            compress_rgb(&rgb, stride, changes, tokens)
        }
    };
    let png_error = |e: png::EncodingError| CardError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer
        .write_chunk(png::chunk::IDAT, &stream)
        .map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

/// The colour of a pixel without premultiplied alpha (the background is opaque, so alpha is
/// always 255 on a card; a picture without one still gets its true colours).
fn rgb(p: &tiny_skia::PremultipliedColorU8) -> [u8; 3] {
    let c = p.demultiply();
    [c.red(), c.green(), c.blue()]
}

/// Fills `indices` with the rows as the PNG stores them unfiltered (filter type, then the
/// palette index of each pixel), and `changes` with where each row differs from the row
/// above. Returns the palette (colours in the order they first appear), or `None` when there
/// are more than 256 colours.
///
/// Rows are compared with the row above in blocks of `BLOCK` pixels: a row starts as a copy of
/// the row above, and in a block that differs, only the pixels that differ are looked up. (A
/// colour's first appearance is never in a pixel equal to the one above, so the palette is the
/// same as pixel by pixel.) Where the background is `known` to repeat, only blocks drawn over
/// are compared.
fn palette_indices(
    pixmap: &tiny_skia::Pixmap,
    known: Option<Known<'_>>,
    indices: &mut Vec<u8>,
    changes: &mut Changes,
) -> Option<Vec<[u8; 3]>> {
    let width = pixmap.width() as usize;
    let stride = width + 1;
    indices.resize(pixmap.height() as usize * stride, 0);
    changes.clear();
    let mut palette = Palette::new();
    let blocks = Blocks::new(pixmap.data(), width * 4);
    let mut areas: Vec<(usize, usize, usize, usize)> = known
        .as_ref()
        .map(|k| k.changed.iter().map(|a| (a.x0, a.x1, a.y0, a.y1)).collect())
        .unwrap_or_default();
    areas.sort_unstable();
    for (y, pixels) in pixmap.pixels().chunks_exact(width).enumerate() {
        let start = y * stride;
        if y == 0 {
            indices[0] = NONE;
            palette.index_all(pixels, &mut indices[1..stride])?;
            changes.rows.push(None);
            continue;
        }
        indices.copy_within(start - stride..start, start);
        let first = changes.blocks.len();
        let mut compare = |block| {
            if blocks.differs(y, block) {
                changes.blocks.push(block);
            }
        };
        if known.as_ref().and_then(|k| k.repeats.get(y)) == Some(&true) {
            for_blocks_drawn_over(&areas, y, width, compare);
        } else {
            (0..width.div_ceil(BLOCK)).for_each(&mut compare);
        }
        changes.rows.push(Some(first..changes.blocks.len()));
        if first == changes.blocks.len() {
            continue;
        }
        let out = &mut indices[start + 1..start + stride];
        let (row, above) = (blocks.row(y), blocks.row(y - 1));
        for &block in &changes.blocks[first..] {
            let range = block * BLOCK..((block + 1) * BLOCK).min(width);
            let bytes = range.start * 4..range.end * 4;
            let (row, above) = (&row[bytes.clone()], &above[bytes]);
            palette.index_changed(row, above, &pixels[range.clone()], &mut out[range])?;
        }
    }
    Some(palette.colours)
}

/// Calls `each` with the number of every block of row `y` under an area drawn over the
/// background (`areas` as left, right, top and bottom, sorted), once each and in order.
fn for_blocks_drawn_over(
    areas: &[(usize, usize, usize, usize)],
    y: usize,
    width: usize,
    mut each: impl FnMut(usize),
) {
    let blocks = width.div_ceil(BLOCK);
    let mut next = 0;
    for &(x0, x1, y0, y1) in areas {
        // Row `y` is compared with row `y - 1`: an area on either counts.
        if y0 <= y && y <= y1 && x0 < x1 {
            let (start, end) = (x0 / BLOCK, x1.div_ceil(BLOCK).min(blocks));
            (start.max(next)..end).for_each(&mut each);
            next = next.max(end);
        }
    }
}

/// The rows of a picture (as bytes) in blocks of `BLOCK` pixels, for comparing a block with
/// the one above: as arrays of a fixed size, xor-ed word by word, which compiles to a few
/// vector instructions instead of a call to `memcmp`.
struct Blocks<'a> {
    data: &'a [u8],
    stride: usize,
}

impl<'a> Blocks<'a> {
    fn new(data: &'a [u8], stride: usize) -> Blocks<'a> {
        Blocks { data, stride }
    }

    /// Row `y` as bytes.
    fn row(&self, y: usize) -> &'a [u8] {
        &self.data[y * self.stride..(y + 1) * self.stride]
    }

    /// Whether block `block` of row `y` (at least 1) differs from the block above it.
    fn differs(&self, y: usize, block: usize) -> bool {
        let (blocks, tail) = self.row(y).as_chunks::<{ BLOCK * 4 }>();
        let (blocks_above, tail_above) = self.row(y - 1).as_chunks::<{ BLOCK * 4 }>();
        match (blocks.get(block), blocks_above.get(block)) {
            (Some(a), Some(b)) => {
                // 16-byte words xor-ed together, with no early exit to mispredict.
                let (a, b) = (a.as_chunks::<16>().0, b.as_chunks::<16>().0);
                let word = |w: &[u8; 16]| u128::from_ne_bytes(*w);
                a.iter()
                    .zip(b)
                    .fold(0, |acc, (a, b)| acc | (word(a) ^ word(b)))
                    != 0
            }
            _ => tail != tail_above,
        }
    }
}

/// Colours seen so far, found again by the premultiplied pixel through a small hash table
/// (mostly in the first slot tried: the few colours of a card are far apart in it).
struct Palette {
    colours: Vec<[u8; 3]>,
    /// Pixel (as `u32`) and index, by a hash of the pixel; open addressing.
    slots: Vec<Option<(u32, u8)>>,
}

impl Palette {
    fn new() -> Palette {
        Palette {
            colours: Vec::with_capacity(256),
            slots: vec![None; SLOTS],
        }
    }

    /// Sets the index of each pixel; `None` once a 257th colour turns up.
    fn index_all(
        &mut self,
        pixels: &[tiny_skia::PremultipliedColorU8],
        out: &mut [u8],
    ) -> Option<()> {
        for (pixel, index) in pixels.iter().zip(out) {
            *index = self.index(pixel)?;
        }
        Some(())
    }

    /// Sets the index of each pixel (`row` as bytes, `pixels` as pixels) that differs from the
    /// pixel above it (`above` as bytes); `out` holds the indices of the pixels above, right
    /// for the others. Pixels are compared four at a time (16 bytes, a vector instruction),
    /// then two at a time in the four that differ.
    fn index_changed(
        &mut self,
        row: &[u8],
        above: &[u8],
        pixels: &[tiny_skia::PremultipliedColorU8],
        out: &mut [u8],
    ) -> Option<()> {
        let (quads, _) = row.as_chunks::<16>();
        let (quads_above, _) = above.as_chunks::<16>();
        for (q, (quad, quad_above)) in quads.iter().zip(quads_above).enumerate() {
            if quad != quad_above {
                self.index_pairs(quad, quad_above, 4 * q, pixels, out)?;
            }
        }
        let done = quads.len().min(quads_above.len()) * 16;
        self.index_pairs(&row[done..], &above[done..], done / 4, pixels, out)
    }

    /// [`Palette::index_changed`] two pixels at a time (as 8-byte words), for the pixels from
    /// `first` on.
    fn index_pairs(
        &mut self,
        row: &[u8],
        above: &[u8],
        first: usize,
        pixels: &[tiny_skia::PremultipliedColorU8],
        out: &mut [u8],
    ) -> Option<()> {
        let (words, tail) = row.as_chunks::<8>();
        let (words_above, _) = above.as_chunks::<8>();
        for (pair, (word, word_above)) in words.iter().zip(words_above).enumerate() {
            let differences = u64::from_le_bytes(*word) ^ u64::from_le_bytes(*word_above);
            if differences == 0 {
                continue;
            }
            // The first pixel of the pair is the low half of the word.
            let i = first + 2 * pair;
            for (half, i) in [(differences as u32, i), ((differences >> 32) as u32, i + 1)] {
                if half != 0
                    && let (Some(pixel), Some(index)) = (pixels.get(i), out.get_mut(i))
                {
                    *index = self.index(pixel)?;
                }
            }
        }
        // A last pixel without a partner.
        let i = first + words.len() * 2;
        if !tail.is_empty()
            && above.get(words.len() * 8..) != Some(tail)
            && let (Some(pixel), Some(index)) = (pixels.get(i), out.get_mut(i))
        {
            *index = self.index(pixel)?;
        }
        Some(())
    }

    /// The index of `pixel`'s colour, added if new; `None` once a 257th colour turns up.
    #[inline]
    fn index(&mut self, pixel: &tiny_skia::PremultipliedColorU8) -> Option<u8> {
        let key = u32::from_le_bytes([pixel.red(), pixel.green(), pixel.blue(), pixel.alpha()]);
        let slot = (key.wrapping_mul(0x9e37_79b1) >> 22) as usize % SLOTS;
        match self.slots[slot] {
            Some((k, index)) if k == key => Some(index),
            _ => self.lookup(key, slot, pixel),
        }
    }

    /// The index of a pixel not in its first slot: further slots, else the palette.
    #[cold]
    fn lookup(
        &mut self,
        key: u32,
        mut slot: usize,
        pixel: &tiny_skia::PremultipliedColorU8,
    ) -> Option<u8> {
        loop {
            match self.slots[slot] {
                Some((k, index)) if k == key => return Some(index),
                Some(_) => slot = (slot + 1) % SLOTS,
                None => break,
            }
        }
        // Two premultiplied pixels can share a colour: the palette holds each colour once.
        let colour = rgb(pixel);
        let index = match self.colours.iter().position(|c| *c == colour) {
            Some(i) => i,
            None if self.colours.len() < 256 => {
                self.colours.push(colour);
                self.colours.len() - 1
            }
            None => return None,
        } as u8;
        self.slots[slot] = Some((key, index));
        Some(index)
    }
}

/// The zlib stream of RGB rows of `stride` bytes, each filtered with `Paeth`. Only the parts
/// of a row that differ from the row above (`changes`) are filtered; the rest filters to
/// zeros.
fn compress_rgb(data: &[u8], stride: usize, changes: &Changes, tokens: &mut Vec<u32>) -> Vec<u8> {
    let mut rows = Vec::with_capacity(data.len() + data.len() / stride);
    let mut filtered = vec![0; stride];
    let zeros = vec![0; stride];
    // The row above, which for a repeated row is the last row that differs.
    let mut above: Option<&[u8]> = None;
    for (y, row) in data.chunks_exact(stride).enumerate() {
        let range = match above {
            Some(_) => changes.filtered(y, stride, 3),
            None => None,
        }
        .unwrap_or(0..stride);
        filtered.fill(0);
        if !range.is_empty() {
            paeth(row, above.unwrap_or(&zeros), 3, range, &mut filtered);
            above = Some(row);
        }
        rows.push(PAETH);
        rows.extend_from_slice(&filtered);
    }
    deflate::zlib(&rows, stride + 1, &[], tokens)
}

/// Filters the bytes `range` of `row` with `Paeth` (PNG, section 9.4) into the same bytes of
/// `out`: each byte less the one of its left, upper and upper-left neighbours it is predicted
/// by. Written without branches on the bytes so the compiler can vectorise it.
fn paeth(row: &[u8], above: &[u8], bpp: usize, range: Range<usize>, out: &mut [u8]) {
    // The first pixel has no left neighbours: its prediction is the byte above.
    let first = range.start.max(bpp).min(range.end);
    for i in range.start..first {
        out[i] = row[i].wrapping_sub(above[i]);
    }
    if first < bpp {
        return;
    }
    let (left, up_left) = (
        &row[first - bpp..range.end - bpp],
        &above[first - bpp..range.end - bpp],
    );
    let neighbours = left.iter().zip(&above[first..range.end]).zip(up_left);
    let current = row[first..range.end].iter().zip(&mut out[first..range.end]);
    for (((&a, &b), &c), (&x, out)) in neighbours.zip(current) {
        let (a, b, c) = (i16::from(a), i16::from(b), i16::from(c));
        let pa = (b - c).abs();
        let pb = (a - c).abs();
        let pc = (a + b - 2 * c).abs();
        let by_b = if pb <= pc { b } else { c };
        let predicted = if pa <= pb && pa <= pc { a } else { by_b };
        *out = x.wrapping_sub(predicted as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook Paeth predictor, one byte at a time.
    fn paeth_predictor(a: u8, b: u8, c: u8) -> u8 {
        let p = i16::from(a) + i16::from(b) - i16::from(c);
        let (pa, pb, pc) = (
            (p - i16::from(a)).abs(),
            (p - i16::from(b)).abs(),
            (p - i16::from(c)).abs(),
        );
        if pa <= pb && pa <= pc {
            a
        } else if pb <= pc {
            b
        } else {
            c
        }
    }

    #[test]
    fn paeth_matches_the_textbook_predictor() {
        let mut seed = 7u32;
        let mut random = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as u8
        };
        for bpp in [1, 3] {
            let above: Vec<u8> = (0..60).map(|_| random()).collect();
            let row: Vec<u8> = (0..60).map(|_| random()).collect();
            let mut out = vec![0; 60];
            paeth(&row, &above, bpp, 0..60, &mut out);
            for i in 0..60 {
                let a = if i >= bpp { row[i - bpp] } else { 0 };
                let c = if i >= bpp { above[i - bpp] } else { 0 };
                assert_eq!(out[i], row[i].wrapping_sub(paeth_predictor(a, above[i], c)));
            }
        }
    }

    /// A picture's pixels back from its PNG, as RGB.
    fn decode(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let color = reader.info().color_type;
        let mut out = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut out).unwrap();
        (color, out)
    }

    #[test]
    fn pictures_decode_to_their_pixels() {
        for colours in [3u32, 256, 257, 5000] {
            let mut pixmap = tiny_skia::Pixmap::new(131, 47).unwrap();
            for (i, p) in pixmap.pixels_mut().iter_mut().enumerate() {
                // Bands of repeated rows, and rows of changing colours.
                let i = if (i / 131) % 5 == 0 { i % 131 } else { i } as u32 % colours;
                let c = i.wrapping_mul(2_654_435_761);
                *p = tiny_skia::PremultipliedColorU8::from_rgba(
                    c as u8,
                    (c >> 8) as u8,
                    (c >> 16) as u8,
                    255,
                )
                .unwrap();
            }
            let png = encode_png(&pixmap, None, &mut Buffers::default()).unwrap();
            let (color, pixels) = decode(&png);
            let expected = if colours <= 256 {
                png::ColorType::Indexed
            } else {
                png::ColorType::Rgb
            };
            assert_eq!(color, expected, "{colours} colours");
            let rgb: Vec<u8> = pixmap.pixels().iter().flat_map(rgb).collect();
            assert!(pixels == rgb, "{colours} colours");
        }
    }
}
