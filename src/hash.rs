//! Fingerprints: hashes that say whether an input changed between two builds of one run of
//! kbsite, so a rebuild redoes only what changed.

use std::hash::{BuildHasher, Hasher};

/// The hasher of fingerprints and of hash maps over a whole site's words: aHash, several times
/// faster than std's SipHash on the short strings kbsite hashes by the million, with fixed
/// seeds, so it is the same in every run of one binary. Its values never leave the process
/// (and every order that reaches the output is sorted first), so they need no stability
/// beyond it.
pub(crate) type Fingerprinter = ahash::AHasher;

/// What builds [`Fingerprinter`]s, for `HashMap::with_hasher`.
pub(crate) type FixedState = ahash::RandomState;

/// A hash map hashed with aHash: for the maps a build or a rebuild fills with every path or
/// page of a site, where SipHash was a tenth of a rebuild's time. Its order is never shown.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, FixedState>;

/// A hash set hashed with aHash, see [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, FixedState>;

/// The one [`FixedState`].
pub(crate) fn fixed_state() -> FixedState {
    ahash::RandomState::with_seeds(0x6b62, 0x7369, 0x7465, 0x2d66)
}

/// A new [`Fingerprinter`].
pub(crate) fn fingerprinter() -> Fingerprinter {
    fixed_state().build_hasher()
}

/// A hash of `parts` (each length-prefixed, so `["ab", "c"]` and `["a", "bc"]` differ), the
/// same for the same input in every run of one kbsite binary.
pub(crate) fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h = fingerprinter();
    for p in parts {
        h.write_usize(p.len());
        h.write(p);
    }
    h.finish()
}

/// A hash of `parts` that never changes between builds, machines or versions of kbsite (XXH3,
/// 128 bits): for names of generated files and of entries in the build cache, which outlive
/// one run.
pub(crate) fn content_hash(parts: &[&[u8]]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited() {
        assert_ne!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"a", b"bc"]));
        assert_eq!(stable_hash(&[b"x"]), stable_hash(&[b"x"]));
        assert_ne!(content_hash(&[b"ab", b"c"]), content_hash(&[b"a", b"bc"]));
    }

    #[test]
    fn content_hashes_are_fixed_forever() {
        // Cached cards are found by this value: it must not drift with the toolchain.
        let parts: &[&[u8]] = &[b"kbsite"];
        let mut framed = 6u64.to_le_bytes().to_vec();
        framed.extend_from_slice(b"kbsite");
        assert_eq!(content_hash(parts), xxhash_rust::xxh3::xxh3_128(&framed));
        assert_eq!(content_hash(&[]), xxhash_rust::xxh3::xxh3_128(b""));
    }
}
