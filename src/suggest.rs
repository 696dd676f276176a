//! "Did you mean …?" for misspelt names: config keys, front matter fields, template names.

/// The known name closest to `wrong`, if it is close enough to be a likely typo.
///
/// Closeness is Damerau-Levenshtein distance on lower-cased names (so a swapped pair of letters,
/// `categoreis`, counts as one edit), accepted up to a third of the name's length; a known name
/// that the wrong one is a prefix or plural of also counts (`tag` -> `tags`).
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let limit = (wrong_lower.chars().count() / 3).max(1);
    known
        .into_iter()
        .filter_map(|candidate| {
            let c = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&wrong_lower, &c);
            let plural = c.strip_suffix('s') == Some(wrong_lower.as_str());
            (distance <= limit || plural).then_some((distance, candidate))
        })
        .min()
        .map(|(_, candidate)| candidate)
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
}
