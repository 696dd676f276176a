//! A zlib stream (RFC 1950 around one RFC 1951 block) made for the rows of flat pictures such
//! as cards.
//!
//! A card is a few flat colours: most of a row is runs of one byte, most rows repeat the row
//! above, and the rest (the anti-aliased edges of letters) hardly repeats at all. So the only
//! repeats looked for are a copy of the byte before (a run) and a copy of the row above, found
//! by comparing bytes many at a time instead of searching a dictionary, and the Huffman codes
//! are counted from the picture itself. On the cards of the bench that takes about 0.3 ms and
//! gives 17.4 KB a card (unfiltered palette indices). The general compressor at hand,
//! `miniz_oxide` (behind `flate2` and `png`), searches every repeat: on the same data it needs
//! level 4, 3 ms a card, for 18.6 KB and level 9, 13 ms, for 16.5 KB; its fast level 1
//! (0.5 ms) gives 29.8 KB, its RLE strategy (3 ms) 21.8 KB. Compressing only the rows a title
//! covers, with the rest compressed once and reused, still takes it 1.5 ms for 18.5 KB.

use std::ops::Range;

/// The literal/length symbol that ends a block.
const END_OF_BLOCK: usize = 256;
/// Literal/length symbols: 256 bytes, the end of the block, 29 lengths.
const SYMBOLS: usize = 286;
/// The longest code of literals and lengths deflate allows.
const MAX_CODE_LENGTH: usize = 15;
/// The longest code of the code that codes the code lengths.
const MAX_LENGTH_CODE_LENGTH: usize = 7;
/// The order the lengths of the code-length code are written in (RFC 1951, 3.2.7).
const LENGTH_CODE_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
/// The shortest length of each length symbol from 257, and its extra bits (RFC 1951, 3.2.5).
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// The shortest distance of each distance symbol (RFC 1951, 3.2.5); symbol `s` from 2 on has
/// `s / 2 - 1` extra bits.
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
/// The shortest and longest copy deflate allows.
const MIN_COPY: usize = 3;
const MAX_COPY: usize = 258;
/// The shortest copy of the row above worth a token: its distance costs about 10 bits more
/// than a run's, and a short copy takes the place of a run that would save more (measured
/// on cards: 14 to 18 give the smallest files, 5% smaller than 6).
const MIN_ROW_COPY: usize = 16;
/// The longest row that is copied from: its distance has at most 10 extra bits, so a whole
/// token fits the 32 bits `Bits::put_tokens` adds at a time.
pub(super) const MAX_ROW: usize = 4096;
/// The symbol of each copy length from 3 to 258, with the length it starts at.
const LENGTH_SYMBOLS: [(u16, u16); 256] = length_symbols();
/// The bit of a token that marks a copy of the row above (else a copy is of the byte before).
const ROW_COPY: u32 = 1 << 9;

const fn length_symbols() -> [(u16, u16); 256] {
    let mut table = [(0, 0); 256];
    let mut symbol = 0;
    let mut len = 3;
    while len <= MAX_COPY {
        if symbol + 1 < LENGTH_BASE.len() && LENGTH_BASE[symbol + 1] as usize <= len {
            symbol += 1;
        }
        table[len - 3] = (257 + symbol as u16, LENGTH_BASE[symbol]);
        len += 1;
    }
    table
}

/// The modulus of Adler-32.
const ADLER_MOD: u64 = 65521;

/// The zlib stream of `data`, rows of `row` bytes each (filter types included), where row `y`
/// is the same as the row above when `repeats[y]` says so (rows past `repeats` are looked at).
/// `tokens` is a buffer kept between streams. Rows longer than [`MAX_ROW`] are never copied
/// from.
///
/// Rows that repeat the row above are not read: the tokens of the first of them are made
/// again for the others (each such row stands alone, no copy crossing into or out of it).
pub(super) fn zlib(data: &[u8], row: usize, repeats: &[bool], tokens: &mut Vec<u32>) -> Vec<u8> {
    let copied = (2..=MAX_ROW).contains(&row).then_some(row);
    tokens.clear();
    let mut adler = Adler::default();
    // The start of the rows not yet turned into tokens, and the row looked at.
    let (mut start, mut y) = (0, 1);
    while row > 0 && (y + 1) * row <= data.len() {
        let repeated = repeats.iter().skip(y).take_while(|&&r| r).count();
        if repeated == 0 {
            y += 1;
            continue;
        }
        let (from, to) = (y * row, ((y + repeated) * row).min(data.len() / row * row));
        tokenize(data, start..from, copied, tokens);
        adler.update(&data[start..from]);
        let first = tokens.len();
        tokenize(data, from..from + row, copied, tokens);
        let once = tokens.len();
        for _ in 1..(to - from) / row {
            tokens.extend_from_within(first..once);
        }
        adler.repeat(&data[from..from + row], (to - from) / row);
        (start, y) = (to, to / row + 1);
    }
    tokenize(data, start..data.len(), copied, tokens);
    adler.update(&data[start..]);
    tokens.push(END_OF_BLOCK as u32);
    // Symbols are below 512: tables of 512 need no bounds checks.
    let mut counts = [0u32; 512];
    for &token in tokens.iter() {
        counts[(token & 0x1ff) as usize] += 1;
    }
    let lengths = code_lengths(&counts[..SYMBOLS], MAX_CODE_LENGTH);
    let codes = canonical_codes(&lengths);
    // Distance 1 has the one-bit code 0, the row's distance the one-bit code 1.
    let row_distance = copied.map_or((1, 0, 0), distance_symbol);
    let mut distance_lengths = vec![0u8; usize::from(row_distance.0) + 1];
    distance_lengths[0] = 1;
    distance_lengths[usize::from(row_distance.0)] = 1;
    // Each symbol's code with the distance after it (a copy's length's extra bits go in
    // between), where those extra bits go, and how many bits it all takes; copies of the row
    // from `ROW_COPY` on.
    let mut table = [(0u32, 0u32, 0u32); 1024];
    for (s, (&code, &length)) in codes.iter().zip(&lengths).enumerate() {
        let (code, length) = (u32::from(code), u32::from(length));
        let Some(extra) = s.checked_sub(257).map(|l| u32::from(LENGTH_EXTRA[l])) else {
            table[s] = (code, length, length);
            continue;
        };
        let after = length + extra;
        table[s] = (code, length, after + 1);
        let (_, bits, value) = row_distance;
        table[s | ROW_COPY as usize] = (code | (1 | value << 1) << after, length, after + 1 + bits);
    }
    let mut out = Bits::with_capacity(tokens.len() / 2 + 256);
    // CMF: deflate with a 32 KB window; FLG: the fastest level, and the check bits.
    out.bytes(&[0x78, 0x01]);
    // The last block, with codes of its own.
    out.put(0b101, 3);
    write_code_lengths(&mut out, &lengths, &distance_lengths);
    out.put_tokens(tokens, &table);
    let mut bytes = out.finish();
    bytes.extend_from_slice(&adler.value().to_be_bytes());
    bytes
}

/// Turns the bytes `range` of `data` into tokens: at each byte the longer of a run of the byte
/// before and a copy of the row above (`row` bytes before), else a literal. Lengths are
/// compared up to the longest copy, and a run wins a tie, being the shorter code. Copies end
/// with the range.
///
/// Each length is measured to its end once and carried on by the copies that follow, so every
/// byte is read about twice.
fn tokenize(data: &[u8], range: Range<usize>, row: Option<usize>, tokens: &mut Vec<u32>) {
    let data = &data[..range.end];
    // With no row to copy, the row above is never there.
    let row = row.unwrap_or(usize::MAX);
    let mut copy = Copy::default();
    // The run and the copy of the row above that start at `i`; `UNKNOWN` until measured.
    const UNKNOWN: usize = usize::MAX;
    let (mut run, mut above) = (UNKNOWN, UNKNOWN);
    let mut i = range.start;
    while let Some(&byte) = data.get(i) {
        let before = i.checked_sub(1).map(|b| data[b]);
        let up = i.checked_sub(row).map(|u| data[u]);
        if before != Some(byte) && up != Some(byte) {
            // Around letters most bytes are literals, differing from both.
            copy.flush(tokens);
            tokens.push(u32::from(byte));
            (run, above) = (UNKNOWN, UNKNOWN);
            i += 1;
            continue;
        }
        if run == UNKNOWN {
            run = match before == Some(byte) {
                true => run_length(&data[i..], byte),
                false => 0,
            };
        }
        if above == UNKNOWN {
            above = match up == Some(byte) {
                true => common_length(&data[i..], &data[i - row..]),
                false => 0,
            };
        }
        let (capped_run, capped_above) = (run.min(MAX_COPY), above.min(MAX_COPY));
        let (kind, n) = if capped_run >= MIN_COPY && capped_run >= capped_above {
            (0, capped_run)
        } else if capped_above >= MIN_ROW_COPY {
            (ROW_COPY, capped_above)
        } else {
            copy.flush(tokens);
            tokens.push(u32::from(byte));
            (run, above) = (UNKNOWN, UNKNOWN);
            i += 1;
            continue;
        };
        if copy.len > 0 && copy.kind != kind {
            copy.flush(tokens);
        }
        copy.kind = kind;
        copy.len += n;
        // A length that ends exactly here is 0 after it (the next byte differs); one that
        // ends before is not known.
        let after = |len: usize| if len >= n { len - n } else { UNKNOWN };
        (run, above) = (after(run), after(above));
        i += n;
    }
    copy.flush(tokens);
}

/// A copy under way: `len` bytes (none when 0) of a run (`kind` 0) or of the row above
/// (`ROW_COPY`), not yet turned into tokens, so that copies chosen one after the other make
/// tokens as long as they can be.
#[derive(Default)]
struct Copy {
    kind: u32,
    len: usize,
}

impl Copy {
    /// Turns the copy into tokens of at most 258 bytes, none shorter than 3.
    #[inline]
    fn flush(&mut self, tokens: &mut Vec<u32>) {
        while self.len > 0 {
            let n = match self.len {
                ..=MAX_COPY => self.len,
                len if len - MAX_COPY < MIN_COPY => len - MIN_COPY,
                _ => MAX_COPY,
            };
            let (symbol, base) = LENGTH_SYMBOLS[n - MIN_COPY];
            tokens.push(u32::from(symbol) | self.kind | u32::from(n as u16 - base) << 16);
            self.len -= n;
        }
    }
}

/// The two sums of Adler-32.
struct Adler {
    a: u64,
    b: u64,
}

impl Default for Adler {
    fn default() -> Adler {
        Adler { a: 1, b: 0 }
    }
}

impl Adler {
    /// Adds `data`.
    fn update(&mut self, data: &[u8]) {
        for block in data.chunks(BLOCK) {
            let (n, sum, weighted) = block_sums(block);
            self.add(n, sum, weighted);
        }
    }

    /// Adds `row` `times` times, reading it once.
    fn repeat(&mut self, row: &[u8], times: usize) {
        let sums: Vec<(u64, u64, u64)> = row.chunks(BLOCK).map(block_sums).collect();
        for _ in 0..times {
            for &(n, sum, weighted) in &sums {
                self.add(n, sum, weighted);
            }
        }
    }

    /// Adds a block of `n` bytes, whose bytes sum to `sum` and whose `(n - i) * byte[i]` sum
    /// to `weighted`: the first sum grows by `sum`, the second by `n` times the first and
    /// `weighted`.
    fn add(&mut self, n: u64, sum: u64, weighted: u64) {
        self.b = (self.b + n % ADLER_MOD * self.a + weighted) % ADLER_MOD;
        self.a = (self.a + sum) % ADLER_MOD;
    }

    fn value(&self) -> u32 {
        (self.b << 16 | self.a) as u32
    }
}

/// The lanes of [`block_sums`]: alone in a function of its own, where the compiler keeps them
/// in vector registers (inlined into a larger one, it may not).
#[inline(never)]
fn lanes(chunks: &[[u8; 16]]) -> ([u32; 16], [u32; 16]) {
    let (mut sums, mut weighted) = ([0u32; 16], [0u32; 16]);
    for chunk in chunks {
        for (sum, &byte) in sums.iter_mut().zip(chunk) {
            *sum += u32::from(byte);
        }
        for (weighted, &sum) in weighted.iter_mut().zip(&sums) {
            *weighted += sum;
        }
    }
    (sums, weighted)
}

/// Bytes summed at a time: 4096 times 16 keep the sums of [`block_sums`] below 2^32.
const BLOCK: usize = 16 * 4096;

/// The length of `block` (at most [`BLOCK`] bytes), the sum of its bytes and the sum of
/// `(n - i) * block[i]`, reduced modulo 65521: in 16 lanes the compiler turns into vector
/// instructions. Lane `k` sums the bytes at `k` of each 16 (`sums`), and those sums after
/// each 16 (`weighted`); over `m` times 16 bytes, the weighted sum is the sum over lanes of
/// `16 * weighted[k] - k * sums[k]`.
fn block_sums(block: &[u8]) -> (u64, u64, u64) {
    let (chunks, tail) = block.as_chunks::<16>();
    let (sums, weighted) = lanes(chunks);
    let (mut sum, mut total) = (0u64, 0u64);
    for k in 0..16 {
        sum += u64::from(sums[k]);
        total += 16 * u64::from(weighted[k]) - k as u64 * u64::from(sums[k]);
    }
    // The tail: each byte once more for every byte after it.
    let tail_len = tail.len() as u64;
    total += sum * tail_len;
    for (i, &byte) in tail.iter().enumerate() {
        sum += u64::from(byte);
        total += (tail_len - i as u64) * u64::from(byte);
    }
    (block.len() as u64, sum % ADLER_MOD, total % ADLER_MOD)
}

/// The distance symbol of `distance` (from 2 to [`MAX_ROW`]), its extra bits and their value.
fn distance_symbol(distance: usize) -> (u8, u32, u32) {
    let symbol = DISTANCE_BASE
        .iter()
        .rposition(|&base| usize::from(base) <= distance)
        .unwrap_or(0);
    let bits = (symbol / 2).saturating_sub(1) as u32;
    let value = (distance - usize::from(DISTANCE_BASE[symbol])) as u32;
    (symbol as u8, bits, value)
}

/// How many bytes `data` starts with are `byte`.
fn run_length(data: &[u8], byte: u8) -> usize {
    let word = u64::from_le_bytes([byte; 8]);
    let blocks = |from: usize| {
        let (blocks, _) = data[from..].as_chunks::<32>();
        blocks.iter().take_while(|&b| *b == [byte; 32]).count()
    };
    let n = longest_prefix(data.len(), |at| word_at(data, at) ^ word, blocks);
    n + data[n..].iter().take_while(|&&b| b == byte).count()
}

/// How many bytes `a` and `b` start with in common.
fn common_length(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    let blocks = |from: usize| {
        let (blocks, _) = a[from..].as_chunks::<32>();
        let (blocks_b, _) = b[from..].as_chunks::<32>();
        blocks
            .iter()
            .zip(blocks_b)
            .take_while(|(x, y)| x == y)
            .count()
    };
    let n = longest_prefix(len, |at| word_at(a, at) ^ word_at(b, at), blocks);
    n + a[n..]
        .iter()
        .zip(&b[n..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes two byte strings of `len` bytes start with in common, less up to seven at
/// the end: `difference(at)` xors their eight bytes from `at`, `blocks(from)` counts the
/// blocks of 32 bytes from `from` that are the same. Most common starts are short, so the
/// first 32 bytes are compared eight at a time; then 32 at a time, which compiles to a few
/// vector instructions.
fn longest_prefix(
    len: usize,
    difference: impl Fn(usize) -> u64,
    blocks: impl Fn(usize) -> usize,
) -> usize {
    let mut n = 0;
    while n + 8 <= len {
        let differs = difference(n);
        if differs != 0 {
            return n + (differs.trailing_zeros() / 8) as usize;
        }
        n += 8;
        if n == 32 {
            n += blocks(n) * 32;
        }
    }
    n
}

/// The eight bytes of `data` from `at` as a little-endian word (all ones past the end, which
/// only shortens a copy).
#[inline]
fn word_at(data: &[u8], at: usize) -> u64 {
    data.get(at..)
        .and_then(|rest| rest.first_chunk::<8>())
        .map_or(u64::MAX, |w| u64::from_le_bytes(*w))
}

/// Writes the block's dynamic header: the code-length code, then the lengths of the
/// literal/length code and of the distance code, run-length coded (RFC 1951, 3.2.7).
fn write_code_lengths(out: &mut Bits, lengths: &[u8], distance_lengths: &[u8]) {
    let literals = lengths
        .iter()
        .rposition(|&l| l > 0)
        .map_or(257, |last| (last + 1).max(257));
    let mut all = lengths[..literals].to_vec();
    all.extend_from_slice(distance_lengths);
    let runs = run_lengths(&all);
    let mut counts = [0u32; 19];
    for &(symbol, _) in &runs {
        counts[usize::from(symbol)] += 1;
    }
    let length_lengths = code_lengths(&counts, MAX_LENGTH_CODE_LENGTH);
    let length_codes = canonical_codes(&length_lengths);
    let written = LENGTH_CODE_ORDER
        .iter()
        .rposition(|&s| length_lengths[s] > 0)
        .map_or(4, |last| (last + 1).max(4));
    out.put((literals - 257) as u32, 5);
    out.put((distance_lengths.len() - 1) as u32, 5);
    out.put((written - 4) as u32, 4);
    for &s in &LENGTH_CODE_ORDER[..written] {
        out.put(u32::from(length_lengths[s]), 3);
    }
    for (symbol, extra) in runs {
        let s = usize::from(symbol);
        out.put(u32::from(length_codes[s]), u32::from(length_lengths[s]));
        let extra_bits = match symbol {
            16 => 2,
            17 => 3,
            18 => 7,
            _ => 0,
        };
        out.put(u32::from(extra), extra_bits);
    }
}

/// Code lengths as the symbols of the code-length alphabet, with their extra bits: 16 repeats
/// the length before 3 to 6 times, 17 and 18 stand for 3 to 10 and 11 to 138 zeros.
fn run_lengths(lengths: &[u8]) -> Vec<(u8, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lengths.len() {
        let length = lengths[i];
        let mut run = lengths[i..].iter().take_while(|&&l| l == length).count();
        i += run;
        if length == 0 {
            while run >= 11 {
                let n = run.min(138);
                out.push((18, (n - 11) as u8));
                run -= n;
            }
            if run >= 3 {
                out.push((17, (run - 3) as u8));
                run = 0;
            }
        } else {
            out.push((length, 0));
            run -= 1;
            while run >= 3 {
                let n = run.min(6);
                out.push((16, (n - 3) as u8));
                run -= n;
            }
        }
        out.extend(std::iter::repeat_n((length, 0), run));
    }
    out
}

/// Huffman code lengths for symbols occurring `counts` times, none longer than `limit`. Every
/// code is complete (as some decoders require): a lone symbol gets a one-bit partner.
fn code_lengths(counts: &[u32], limit: usize) -> Vec<u8> {
    let mut lengths = vec![0u8; counts.len()];
    // The symbols that occur, rarest first (ties by symbol, so the code is always the same).
    let mut used: Vec<usize> = (0..counts.len()).filter(|&s| counts[s] > 0).collect();
    if used.len() < 2 {
        let lone = used.first().copied().unwrap_or(0);
        lengths[lone] = 1;
        lengths[usize::from(lone == 0)] = 1;
        return lengths;
    }
    used.sort_by_key(|&s| (counts[s], s));
    let depths = huffman_depths(&used.iter().map(|&s| counts[s]).collect::<Vec<_>>());
    // How many codes have each length, the deepest pulled up to `limit` and the tree mended.
    let mut per_length = vec![0u32; limit + 1];
    for &d in &depths {
        per_length[d.min(limit)] += 1;
    }
    let full = 1u32 << limit;
    let mut kraft: u32 = (1..=limit).map(|l| per_length[l] << (limit - l)).sum();
    while kraft > full {
        // A code at the limit goes; a shorter one splits in two to make room for it.
        per_length[limit] -= 1;
        // There is one: a code has fewer symbols than `2^limit`.
        if let Some(l) = (1..limit).rev().find(|&l| per_length[l] > 0) {
            per_length[l] -= 1;
            per_length[l + 1] += 2;
        }
        kraft -= 1;
    }
    // The rarest symbols take the longest codes.
    let mut symbols = used.iter();
    for length in (1..=limit).rev() {
        for _ in 0..per_length[length] {
            if let Some(&s) = symbols.next() {
                lengths[s] = length as u8;
            }
        }
    }
    lengths
}

/// The depth of each leaf of a Huffman tree over `weights` (sorted, lightest first): the two
/// lightest trees are joined until one is left, new trees queued after the leaves.
fn huffman_depths(weights: &[u32]) -> Vec<usize> {
    let n = weights.len();
    // Nodes: leaves 0..n, then joined trees in the order they are made.
    let mut weight: Vec<u64> = weights.iter().map(|&w| u64::from(w)).collect();
    let mut parent = vec![0usize; 2 * n - 1];
    let (mut leaf, mut joined) = (0, n);
    for made in n..2 * n - 1 {
        let mut lightest = || {
            let take_leaf = leaf < n && (joined >= made || weight[leaf] <= weight[joined]);
            let node = if take_leaf { leaf } else { joined };
            if take_leaf {
                leaf += 1;
            } else {
                joined += 1;
            }
            node
        };
        let (a, b) = (lightest(), lightest());
        weight.push(weight[a] + weight[b]);
        parent[a] = made;
        parent[b] = made;
    }
    // Depths from the root (the last node made) down.
    let mut depth = vec![0usize; 2 * n - 1];
    for node in (0..2 * n - 2).rev() {
        depth[node] = depth[parent[node]] + 1;
    }
    depth.truncate(n);
    depth
}

/// The canonical code of each symbol from its length (RFC 1951, 3.2.2), bit-reversed as
/// deflate writes codes from their last bit.
fn canonical_codes(lengths: &[u8]) -> Vec<u16> {
    let mut per_length = [0u16; 16];
    for &l in lengths {
        per_length[usize::from(l)] += 1;
    }
    per_length[0] = 0;
    let mut next = [0u16; 16];
    for l in 1..16 {
        next[l] = (next[l - 1] + per_length[l - 1]) << 1;
    }
    lengths
        .iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let code = next[usize::from(l)];
            next[usize::from(l)] += 1;
            code.reverse_bits() >> (16 - l)
        })
        .collect()
}

/// Bits written from the lowest, as deflate packs them.
struct Bits {
    out: Vec<u8>,
    pending: u64,
    count: u32,
}

impl Bits {
    fn with_capacity(bytes: usize) -> Bits {
        Bits {
            out: Vec::with_capacity(bytes),
            pending: 0,
            count: 0,
        }
    }

    /// Whole bytes, at a byte boundary.
    fn bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.count, 0);
        self.out.extend_from_slice(bytes);
    }

    /// The low `count` bits of `value` (at most 32).
    #[inline]
    fn put(&mut self, value: u32, count: u32) {
        self.pending |= u64::from(value) << self.count;
        self.count += count;
        if self.count >= 32 {
            self.out
                .extend_from_slice(&(self.pending as u32).to_le_bytes());
            self.pending >>= 32;
            self.count -= 32;
        }
    }

    /// The codes of `tokens` (symbol and `ROW_COPY` in the low bits, a length's extra bits from
    /// bit 16) from `table` (code with the distance's bits, where a length's extra bits go, bits
    /// in all), kept in registers for the loop.
    fn put_tokens(&mut self, tokens: &[u32], table: &[(u32, u32, u32); 1024]) {
        let (mut pending, mut count) = (self.pending, self.count);
        for &token in tokens {
            let (code, shift, size) = table[(token & 0x3ff) as usize];
            pending |= u64::from(code | (token >> 16) << shift) << count;
            count += size;
            if count >= 32 {
                self.out.extend_from_slice(&(pending as u32).to_le_bytes());
                pending >>= 32;
                count -= 32;
            }
        }
        (self.pending, self.count) = (pending, count);
    }

    /// The bytes, the last one padded with zero bits.
    fn finish(mut self) -> Vec<u8> {
        let bytes = self.count.div_ceil(8) as usize;
        self.out
            .extend_from_slice(&self.pending.to_le_bytes()[..bytes]);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inflates a zlib stream, checking its Adler-32 too.
    fn inflate(zlib: &[u8]) -> Vec<u8> {
        use std::io::Read as _;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(zlib)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// Rows of one length, compressed and inflated, with and without being told which rows
    /// repeat the row above.
    fn round_trip(rows: &[Vec<u8>]) {
        let row = rows.first().map_or(0, Vec::len);
        let data = rows.concat();
        let mut repeats = vec![false];
        repeats.extend(rows.windows(2).map(|w| w[0] == w[1]));
        for repeats in [&repeats[..], &[]] {
            let stream = zlib(&data, row, repeats, &mut Vec::new());
            assert!(inflate(&stream) == data, "{} rows of {row}", rows.len());
        }
    }

    /// Pseudo-random bytes, `zeros` in `of` of them zero.
    fn noise(seed: &mut u32, n: usize, zeros: u32, of: u32) -> Vec<u8> {
        (0..n)
            .map(|_| {
                *seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let r = *seed >> 16;
                if r % of < zeros { 0 } else { (r >> 8) as u8 }
            })
            .collect()
    }

    #[test]
    fn streams_decode_to_what_went_in() {
        round_trip(&[vec![0; 1000], vec![0; 1000]]);
        round_trip(&[vec![7; 300], vec![7; 300], vec![7; 300]]);
        round_trip(&[(0..=255).collect(), (0..=255).rev().collect()]);
        round_trip(&[]);
        // Runs of every length around the limits of the length codes, and rows that repeat
        // the row above in part: copies of either kind, within rows and across them.
        let mut row = Vec::new();
        for run in 0..600 {
            row.extend(std::iter::repeat_n((run % 3) as u8, run));
            row.push((run % 255) as u8 + 1);
        }
        let mut changed = row.clone();
        for i in (0..changed.len()).step_by(97) {
            changed[i] ^= 0x55;
        }
        let rows = [&row, &row, &changed, &row, &row, &row, &changed];
        round_trip(&rows.map(|r| r.clone()));
        // Pseudo-random bytes, mostly zero, so codes get long and are limited; rows too long
        // to copy from; rows of one byte.
        let mut seed = 1u32;
        let mut rows: Vec<Vec<u8>> = Vec::new();
        for i in 0..50 {
            let next = match rows.last() {
                Some(last) if i % 7 == 3 => last.clone(),
                _ => noise(&mut seed, 997, 2, 3),
            };
            rows.push(next);
        }
        round_trip(&rows);
        let long = noise(&mut seed, MAX_ROW + 10, 1, 2);
        round_trip(&[long.clone(), long.clone(), long]);
        round_trip(&[vec![9], vec![9], vec![9], vec![1]]);
    }

    #[test]
    fn adler_32_is_the_textbook_one() {
        let mut seed = 5u32;
        let inputs = [
            noise(&mut seed, 200_000, 1, 4),
            vec![255; 70_000],
            vec![],
            vec![1, 2, 3],
        ];
        for data in &inputs {
            let (mut a, mut b) = (1u64, 0u64);
            for &byte in data {
                a = (a + u64::from(byte)) % ADLER_MOD;
                b = (b + a) % ADLER_MOD;
            }
            let mut adler = Adler::default();
            adler.update(data);
            assert_eq!(adler.value(), (b << 16 | a) as u32, "{} bytes", data.len());
            // Twice over, the second time as a repeat.
            for _ in 0..3 {
                for &byte in data {
                    a = (a + u64::from(byte)) % ADLER_MOD;
                    b = (b + a) % ADLER_MOD;
                }
            }
            adler.repeat(data, 3);
            assert_eq!(adler.value(), (b << 16 | a) as u32, "{} bytes", data.len());
        }
    }

    #[test]
    fn codes_are_complete_and_limited() {
        // Counts like Fibonacci numbers make a Huffman tree as deep as it gets.
        let mut counts = vec![1u32, 1];
        while counts.len() < 30 {
            counts.push(counts[counts.len() - 1] + counts[counts.len() - 2]);
        }
        for limit in [7, 15] {
            let lengths = code_lengths(&counts, limit);
            assert!(lengths.iter().all(|&l| (1..=limit as u8).contains(&l)));
            let kraft: u32 = lengths.iter().map(|&l| 1u32 << (limit as u8 - l)).sum();
            assert_eq!(kraft, 1 << limit);
        }
        assert_eq!(code_lengths(&[0, 5, 0], 15), [1, 1, 0]);
        assert_eq!(code_lengths(&[3, 0, 0], 15), [1, 1, 0]);
    }
}
