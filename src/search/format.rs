//! The search index as files: what is written under `search/` and read back by the browser
//! runtime and by `kbsite search`.
//!
//! The index is split so that a query downloads only what it needs:
//! - `meta.json`: the chunk boundaries, a few hundred bytes per thousand articles;
//! - `d/N.json`: dictionary chunks, the sorted word forms and keys of a range of strings. A
//!   query word needs the chunks of its first three letters (prefixes and typos are looked
//!   for there);
//! - `p/N.json`: postings chunks, the articles of a range of keys with precomputed scores;
//! - `f/N.json`: one fragment per article, its title, address and text for the snippet.
//!
//! Every number the ranking uses is an integer computed here, so the browser and the Rust
//! search add and multiply the same integers and rank identically.

use serde::{Deserialize, Serialize};

/// The format version; the runtime refuses an index of another version.
pub const VERSION: u32 = 1;

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

/// The articles of one key: its id, its inverse document frequency (×100), and triples of (article id, delta-coded; term score ×100; first
/// position + 1, or 0 when the key is only in tags, description or code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postings(pub u32, pub u32, pub Vec<u32>);

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
}

/// Path of dictionary chunk `i`, relative to the index folder.
pub fn dict_file(i: usize) -> String {
    format!("d/{i}.json")
}

/// Path of postings chunk `i`.
pub fn post_file(i: usize) -> String {
    format!("p/{i}.json")
}

/// Path of the fragment of article `i`.
pub fn fragment_file(i: usize) -> String {
    format!("f/{i}.json")
}
