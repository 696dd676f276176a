//! Search for Polish (and English) knowledge bases.
//!
//! [`analyze`] is the text analysis that indexing and querying share: word segmentation,
//! folding of diacritics (including `ł`, which Unicode does not decompose) and stemming, so a
//! reader who types `spolecznosciowych` finds `społecznościowe`. The index and the browser
//! runtime are built on it.

pub mod analyze;
