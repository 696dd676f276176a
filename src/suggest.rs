//! "Did you mean …?" for misspelt names: config keys, front matter fields, template names.

/// The known name closest to `wrong`, if it is close enough to be a likely typo.
///
/// Closeness is Damerau-Levenshtein distance on lower-cased names (so a swapped pair of letters,
/// `categoreis`, counts as one edit), accepted up to a third of the name's length; a known name
/// that the wrong one is a prefix or plural of also counts (`tag` -> `tags`). Ties go to the
/// name that sorts first.
///
/// A site with thousands of pages asks this for every broken link, so candidates are first
/// ranked by a cheap lower bound of the distance (how many letters differ, counted by kind),
/// and the exact distance is computed only until the bound exceeds the best distance found.
pub(crate) fn closest<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let limit = (wrong_lower.chars().count() / 3).max(1);
    let wrong_counts = letter_counts(&wrong_lower);
    let mut candidates: Vec<(usize, std::borrow::Cow<'a, str>, &'a str)> = known
        .into_iter()
        .filter_map(|candidate| {
            let c = if candidate.chars().any(char::is_uppercase) {
                std::borrow::Cow::Owned(candidate.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(candidate)
            };
            let bound = lower_bound(&wrong_counts, &letter_counts(&c));
            (bound <= limit).then_some((bound, c, candidate))
        })
        .collect();
    candidates.sort_by_key(|(bound, _, _)| *bound);
    let mut best: Option<(usize, &'a str)> = None;
    for (bound, c, candidate) in candidates {
        if best.is_some_and(|(d, _)| bound > d) {
            break;
        }
        let distance = strsim::damerau_levenshtein(&wrong_lower, &c);
        let plural = c.strip_suffix('s') == Some(wrong_lower.as_str());
        if (distance <= limit || plural) && best.is_none_or(|b| (distance, candidate) < b) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// How many characters of each kind a name has, kinds folded into 64 buckets.
fn letter_counts(name: &str) -> [u16; 64] {
    let mut counts = [0u16; 64];
    for c in name.chars() {
        let slot = &mut counts[(c as usize) % 64];
        *slot = slot.saturating_add(1);
    }
    counts
}

/// A lower bound of the edit distance of two names from their letter counts: every edit
/// (insertion, deletion, substitution, transposition) changes at most one count up and one
/// down, and folding kinds together only hides differences.
fn lower_bound(a: &[u16; 64], b: &[u16; 64]) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_plurals() {
        let known = ["title", "tags", "categories", "base_url"];
        assert_eq!(closest("tittle", known), Some("title"));
        assert_eq!(closest("tag", known), Some("tags"));
        assert_eq!(closest("categoreis", known), Some("categories"));
        assert_eq!(closest("base_ur", known), Some("base_url"));
        assert_eq!(closest("baseurl", known), Some("base_url"));
        assert_eq!(closest("zzz", known), None);
    }

    /// The search as it was before the lower bound: every candidate's exact distance.
    fn every_distance<'a>(wrong: &str, known: &[&'a str]) -> Option<&'a str> {
        let wrong_lower = wrong.to_lowercase();
        let limit = (wrong_lower.chars().count() / 3).max(1);
        known
            .iter()
            .filter_map(|candidate| {
                let c = candidate.to_lowercase();
                let distance = strsim::damerau_levenshtein(&wrong_lower, &c);
                let plural = c.strip_suffix('s') == Some(wrong_lower.as_str());
                (distance <= limit || plural).then_some((distance, *candidate))
            })
            .min()
            .map(|(_, candidate)| candidate)
    }

    proptest::proptest! {
        #[test]
        fn the_lower_bound_never_changes_the_answer(
            wrong in "[a-eąłA-C/-]{0,12}",
            known in proptest::collection::vec("[a-eąłA-C/-]{0,12}", 0..30),
        ) {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(closest(&wrong, known.iter().copied()), every_distance(&wrong, &known));
        }
    }
}
