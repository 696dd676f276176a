//! Search for Polish (and English) knowledge bases.
//!
//! `analyze` is the text analysis that indexing and querying share: word segmentation,
//! folding of diacritics (including `ł`, which Unicode does not decompose) and stemming, so a
//! reader who types `spolecznosciowych` finds `społecznościowe`. The index and the browser
//! runtime are built on it.
//!
//! `index` builds the index files from the site model ([`format`](mod@format) says what they hold),
//! [`query`] answers queries from them exactly as the browser runtime does, and `snippet`
//! cuts the text shown under a result.

pub(crate) mod analyze;
pub mod format;
pub(crate) mod index;
pub mod query;
pub(crate) mod related;
pub(crate) mod snippet;
