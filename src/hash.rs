//! Fingerprints: hashes that say whether an input changed between two builds of one run of
//! kbsite, so a rebuild redoes only what changed.

use std::hash::Hasher;

/// A hash of `parts` (each length-prefixed, so `["ab", "c"]` and `["a", "bc"]` differ), the
/// same for the same input in every run of one kbsite binary.
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for p in parts {
        h.write_usize(p.len());
        h.write(p);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited() {
        assert_ne!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"a", b"bc"]));
        assert_eq!(stable_hash(&[b"x"]), stable_hash(&[b"x"]));
    }
}
