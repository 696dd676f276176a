//! The search index as files: what is written under `search/` and read back by the browser
//! runtime and by `kbsite search`.
//!
//! The index is split so that a query downloads only what it needs:
//! - `meta.json`: the chunk boundaries, a few hundred bytes per thousand articles;
//! - `d/N.json.gz`: dictionary chunks, the sorted word forms and keys of a range of strings.
//!   A query word needs the chunks of its first three letters (prefixes and typos are looked
//!   for there);
//! - `p/N.json.gz`: postings chunks, the articles of a range of keys with precomputed scores;
//! - `f/N.json.gz`: one fragment per article, its title, address and text for the snippet.
//!
//! Every file but `meta.json` is JSON packed with gzip ([`gzip`]): the index is a large part
//! of a big site (93 MB of JSON at 10,000 articles, 41 MB packed). Hosts serve the `.gz` files
//! as they are and the browser runtime unpacks them itself (`DecompressionStream`), so no
//! `Content-Encoding` setting is needed; a host that does send the files with
//! `Content-Encoding: gzip` hands over plain JSON, which the readers take as well ([`unpack`]).
//! `meta.json` stays plain: a few kilobytes, read first by every search.
//!
//! Every number the ranking uses is an integer computed here, so the browser and the Rust
//! search add and multiply the same integers and rank identically.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;

use flate2::{Compress, Compression, FlushCompress, Status};
use serde::{Deserialize, Serialize};

/// The format version; the runtime refuses an index of another version. 2: the chunks and
/// fragments are packed with gzip. 3: postings say where in the article a key is
/// ([`Place`]).
pub const VERSION: u32 = 3;

/// Folder of the index under the output.
pub const DIR: &str = crate::site::SEARCH_DIR;

/// The root file of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// [`VERSION`].
    pub version: u32,
    /// Indexed articles.
    pub docs: u32,
    /// The first string of each dictionary chunk, sorted: chunk `i` holds the strings from
    /// `dict[i]` up to `dict[i + 1]`.
    pub dict: Vec<String>,
    /// The first key id of each postings chunk.
    pub post: Vec<u32>,
}

/// A word form as it appears in text, folded, with the keys it was indexed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form(pub String, pub Vec<u32>);

/// An index key (a stem) with its id and the number of articles that have it, which lets a
/// query skip downloading the postings of words nearly every article has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key(pub String, pub u32, pub u32);

/// One dictionary chunk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DictChunk {
    /// Forms, sorted.
    pub forms: Vec<Form>,
    /// Keys, sorted by string (ids rise with the string).
    pub keys: Vec<Key>,
}

/// The articles of one key: its id, its inverse document frequency (×100), and for each
/// article three or four numbers:
/// - the article id, delta-coded;
/// - the term's BM25F score ×100;
/// - its first position + 1, or 0 when the key is only in headings, tags, description or
///   code; written as `-1 − position` when a fourth number follows (a sign costs one byte,
///   and only where there is a place). Title words come first: a position up to the title's
///   length is the key's place in the title;
/// - only when the key is in the title, a heading or the section's title: [`Place`] (the
///   title's length, the first heading holding the key with its length, the section title's
///   length). Most postings are of words of the text alone and go without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postings(pub u32, pub u32, pub Vec<i32>);

/// Title and heading lengths above this are stored as this: no query is that long.
pub const LENGTH_MAX: u32 = 63;
/// Section titles longer than this are stored as this long.
pub const SECTION_MAX: u32 = 7;
/// Headings past this one are stored as this one.
pub const HEADING_MAX: u32 = 1023;

/// Where in an article a key is: the fourth number of a posting, as
/// `title_len + 64 × (section_len + 8 × (heading_len + 64 × heading))`, below 2^26. The parts
/// most postings have are in the low digits, so the number is short: a title word's is its
/// title's length, a section word's is below 512.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    /// Words of the article's title when the key is in it; 0 when not (at most
    /// [`LENGTH_MAX`]).
    pub title_len: u32,
    /// 1 + the index of the first heading holding the key; 0: none (at most
    /// [`HEADING_MAX`]).
    pub heading: u32,
    /// Words of that heading (at most [`LENGTH_MAX`]).
    pub heading_len: u32,
    /// Words of the title of the article's section when the key is in it; 0 when not (at
    /// most [`SECTION_MAX`]).
    pub section_len: u32,
}

const LENGTH_STEP: u32 = LENGTH_MAX + 1;
const SECTION_STEP: u32 = SECTION_MAX + 1;

impl Place {
    /// The number stored.
    pub fn number(self) -> u32 {
        let heading =
            self.heading_len.min(LENGTH_MAX) + LENGTH_STEP * self.heading.min(HEADING_MAX);
        let section = self.section_len.min(SECTION_MAX) + SECTION_STEP * heading;
        self.title_len.min(LENGTH_MAX) + LENGTH_STEP * section
    }

    /// Reads the number [`Place::number`] made.
    pub fn of(number: u32) -> Place {
        let section = number / LENGTH_STEP;
        let heading = section / SECTION_STEP;
        Place {
            title_len: number % LENGTH_STEP,
            section_len: section % SECTION_STEP,
            heading_len: heading % LENGTH_STEP,
            heading: heading / LENGTH_STEP,
        }
    }
}

/// The earlier of two 1-based places (a position, a heading) where 0 means none: what the
/// index keeps of a word seen several times, and what a query keeps of a word's keys.
pub fn first_place(a: u32, b: u32) -> u32 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (x, y) => x.min(y),
    }
}

/// One postings chunk: postings of consecutive key ids.
pub type PostChunk = Vec<Postings>;

/// What a result shows about one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// The title.
    pub title: String,
    /// The address, under the base path.
    pub url: String,
    /// The title of its section ("" at the top level).
    pub section: String,
    /// The source file relative to `content/`.
    pub path: String,
    /// The description, shown when the text has no match.
    pub description: String,
    /// The text in parts, each under the heading anchor it follows ("" before the first).
    pub parts: Vec<(String, String)>,
    /// For each part, how many of its first words are its heading's (0 before the first
    /// heading): a match there makes the result link to that heading.
    pub heads: Vec<u32>,
}

/// Path of dictionary chunk `i`, relative to the index folder.
pub fn dict_file(i: usize) -> String {
    format!("d/{i}.json.gz")
}

/// Path of postings chunk `i`.
pub fn post_file(i: usize) -> String {
    format!("p/{i}.json.gz")
}

/// Path of the fragment of article `i`.
pub fn fragment_file(i: usize) -> String {
    format!("f/{i}.json.gz")
}

/// The compression level of the packed files. Measured on the fragments and postings of a
/// 10,000-article site (92 MB of JSON): level 1 packs them to 46 MB in 0.9 s of CPU, level 2
/// to 41 MB in 1.3 s, level 6 to 38 MB in 3.9 s (the postings, lists of numbers, are slow at
/// the higher levels). Level 2 keeps most of the gain for a small part of a build's time.
pub const GZIP_LEVEL: u32 = 2;

/// The first bytes of a gzip file.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The gzip header of every packed file, up to the hash of its contents: deflate, the
/// FEXTRA flag and no other (no file name), modification time 0, no extra flags, operating
/// system "unknown", then one extra field (RFC 1952, 2.3.1.1) of [`HASH_FIELD_LEN`] bytes. So
/// the same JSON gives the same bytes on every machine and in every build.
const GZIP_HEADER: [u8; 16] = [
    0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 255, // ID1 ID2 CM FLG MTIME(4) XFL OS
    20, 0, // XLEN: the extra field below
    b'k', b'b', 16, 0, // SI1 SI2 LEN: kbsite's content hash, 16 bytes
];

/// The length of the extra field's data: the XXH3-128 of the packed JSON.
const HASH_FIELD_LEN: usize = 16;

/// The hash a packed file carries for `json`: a build that finds it in the file it would
/// replace knows the file holds the same JSON, and keeps it instead of packing it again.
pub fn content_hash(json: &[u8]) -> u128 {
    crate::hash::content_hash(&[json])
}

/// The content hash a packed file of [`gzip`] carries, if `bytes` is one.
pub fn packed_hash(bytes: &[u8]) -> Option<u128> {
    let rest = bytes.strip_prefix(&GZIP_HEADER)?;
    let hash = rest.get(..HASH_FIELD_LEN)?;
    Some(u128::from_le_bytes(hash.try_into().ok()?))
}

/// `json` packed as a gzip file (RFC 1952): `GZIP_HEADER` with the [`content_hash`] of
/// `json`, the deflate stream at [`GZIP_LEVEL`], and the CRC-32 and length of `json`. The
/// same input always gives the same bytes.
///
/// Each thread keeps one compressor and resets it between files instead of making one per
/// file (as `flate2::GzBuilder` does): the tables of a new compressor cost more than packing a
/// fragment of a few kilobytes, and a reset compressor gives the same bytes as a new one.
pub fn gzip(json: &[u8]) -> Vec<u8> {
    thread_local! {
        static DEFLATE: RefCell<(Compress, Vec<u8>)> =
            RefCell::new((Compress::new(Compression::new(GZIP_LEVEL), false), Vec::new()));
    }
    DEFLATE.with(|cell| {
        let (deflate, stream) = &mut *cell.borrow_mut();
        deflate.reset();
        stream.clear();
        loop {
            // The output only ever needs room: each round gives more.
            stream.reserve(json.len() / 2 + 64);
            let consumed = usize::try_from(deflate.total_in()).unwrap_or(json.len());
            let input = json.get(consumed..).unwrap_or_default();
            match deflate.compress_vec(input, stream, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(Status::Ok | Status::BufError) => {}
                // Deflate of bytes in memory has no failure; should one come, the file is
                // stored plain, which every reader takes.
                Err(_) => return json.to_vec(),
            }
        }
        let mut crc = flate2::Crc::new();
        crc.update(json);
        let mut out = Vec::with_capacity(GZIP_HEADER.len() + HASH_FIELD_LEN + stream.len() + 8);
        out.extend_from_slice(&GZIP_HEADER);
        out.extend_from_slice(&content_hash(json).to_le_bytes());
        out.extend_from_slice(stream);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        // ISIZE: the length modulo 2^32.
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out
    })
}

/// The JSON of an index file as read: unpacked when it is gzip, as it is otherwise (plain
/// `meta.json`, or a file a host or tool has already unpacked). A damaged gzip file (bad
/// checksum, cut short) is an error.
pub fn unpack(bytes: &[u8]) -> std::io::Result<Cow<'_, [u8]>> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut json = Vec::with_capacity(bytes.len().saturating_mul(3));
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut json)?;
    Ok(Cow::Owned(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_back_as_stored_and_fit_a_u32() {
        let most = Place {
            title_len: LENGTH_MAX,
            heading: HEADING_MAX,
            heading_len: LENGTH_MAX,
            section_len: SECTION_MAX,
        };
        assert_eq!(Place::of(most.number()), most);
        let some = Place {
            title_len: 4,
            heading: 7,
            heading_len: 2,
            section_len: 0,
        };
        assert_eq!(Place::of(some.number()), some);
        let capped = Place {
            title_len: 500,
            ..some
        };
        assert_eq!(Place::of(capped.number()).title_len, LENGTH_MAX);
        assert!(most.number() < (1 << 26));
        // What most postings with a place hold stays short.
        let section_word = Place {
            section_len: 3,
            ..Place::default()
        };
        assert!(section_word.number() < 512);
    }

    #[test]
    fn packed_files_are_gzip_that_unpacks_to_the_json_and_never_varies() {
        let fragment = Fragment {
            title: "Lojalność klientów".into(),
            url: "/lojalnosc/".into(),
            section: "Marketing".into(),
            path: "marketing/lojalnosc.md".into(),
            description: "Jak ją budować".into(),
            parts: vec![
                (String::new(), "Lojalność klientów rośnie. ".repeat(200)),
                ("zakupy".into(), "Klient kupuje.".into()),
            ],
            heads: vec![0, 1],
        };
        let json = serde_json::to_vec(&fragment).unwrap();
        let packed = gzip(&json);
        assert!(packed.starts_with(&GZIP_MAGIC));
        assert!(
            packed.len() * 4 < json.len(),
            "{} of {}",
            packed.len(),
            json.len()
        );
        // Deflate, only the extra field (no file name), modification time 0; the extra
        // field names the JSON.
        assert_eq!(packed[2..8], [8, 4, 0, 0, 0, 0]);
        assert_eq!(packed_hash(&packed), Some(content_hash(&json)));
        assert_eq!(packed_hash(&json), None);

        // A gzip decoder other than ours reads it, checksum and length included.
        let mut read = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut read)
            .unwrap();
        assert_eq!(read, json);
        let unpacked: Fragment = serde_json::from_slice(&unpack(&packed).unwrap()).unwrap();
        assert_eq!(unpacked, fragment);

        // The same bytes every time, whatever the thread packed before, and on a fresh thread.
        let other = gzip(&serde_json::to_vec(&vec![Postings(3, 140, vec![1, 2, 3])]).unwrap());
        assert_ne!(other, packed);
        assert_eq!(gzip(&json), packed);
        let json2 = json.clone();
        let elsewhere = std::thread::spawn(move || gzip(&json2)).join().unwrap();
        assert_eq!(elsewhere, packed);

        // Empty and incompressible input pack and unpack too.
        assert_eq!(unpack(&gzip(b"")).unwrap().as_ref(), b"");
        let noise: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(unpack(&gzip(&noise)).unwrap().as_ref(), &noise[..]);
    }

    #[test]
    fn plain_json_is_read_as_it_is_and_damaged_gzip_is_an_error() {
        let meta = br#"{"version":2,"docs":0,"dict":[""],"post":[0]}"#;
        assert!(matches!(unpack(meta).unwrap(), Cow::Borrowed(_)));
        assert_eq!(unpack(meta).unwrap().as_ref(), meta);
        let mut packed = gzip(&meta.repeat(50));
        let last = packed.len() - 9;
        packed[last] ^= 0xff;
        assert!(
            unpack(&packed).is_err(),
            "a wrong checksum or stream is refused"
        );
        let packed = gzip(&meta.repeat(50));
        assert!(unpack(&packed[..packed.len() / 2]).is_err(), "cut short");
    }

    #[test]
    fn only_meta_json_is_plain() {
        assert_eq!(dict_file(3), "d/3.json.gz");
        assert_eq!(post_file(0), "p/0.json.gz");
        assert_eq!(fragment_file(12), "f/12.json.gz");
    }
}
