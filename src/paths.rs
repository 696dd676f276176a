//! Output paths: `/`-separated, relative to the site's base path, never leaving it.
//!
//! Every path the site model hands to the writer passes through here, so a hostile slug,
//! alias or link (`../../etc`) can never name a file outside the output folder.

/// Decodes `%XX` escapes (as UTF-8); text that does not decode is kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), |c| c.into_owned())
}

#[cfg(test)]
use crate::output::is_safe_output_path;
use crate::slug::slugify;

/// Characters a URL path cannot hold as they are: controls, spaces, quotes, brackets and the
/// characters that would start a query or fragment; `%` too, since output paths are decoded.
const PATH_ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// An output path as it is written in a URL: file names keep what their authors wrote
/// (`okładka ze zdjęciem.png`), while the addresses crawlers read from `og:image` must be
/// percent-encoded, non-ASCII letters as UTF-8 bytes.
pub(crate) fn url_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_ESCAPED).to_string()
}

/// The file a page at output path `path` is written to: `index.html` inside a folder page's
/// folder (`seo/podstawy/`), or the file itself for a page whose address names one
/// (`docs/jsx-in-depth.html`, from a Jekyll `permalink`).
pub(crate) fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Where the list of every article linking to the page at `path` lives (for a page with more
/// backlinks than the page itself shows): `backlinks/` inside a folder page's folder, or
/// beside a page written as a file (`docs/jsx-in-depth/backlinks/` for
/// `docs/jsx-in-depth.html`).
pub(crate) fn backlinks_path(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        return format!("{path}backlinks/");
    }
    let stem = path
        .strip_suffix(".html")
        .or_else(|| path.strip_suffix(".htm"))
        .unwrap_or(path);
    format!("{stem}/backlinks/")
}

/// The folder a page's relative links start from: the page's own folder, or the folder of
/// the file a page is written as (`docs/` for `docs/jsx-in-depth.html`).
pub(crate) fn url_dir(path: &str) -> &str {
    if path.is_empty() || path.ends_with('/') {
        path
    } else {
        path.rsplit_once('/')
            .map_or("", |(dir, _)| &path[..dir.len() + 1])
    }
}

/// Joins `rel` onto the folder `base` and resolves `.` and `..`; `None` when `..` would climb
/// above the root. Both are `/`-separated and relative (a leading `/` on `rel` means the root).
pub(crate) fn join_normalized(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let base = if rel.starts_with('/') { "" } else { base };
    for part in base.split('/').chain(rel.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if rel.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// The URL folder of a content folder: each component slugified (`Media Społeczne/2024` ->
/// `media-spoleczne/2024/`); empty for the content root.
pub(crate) fn dir_url_path(rel_dir: &str) -> String {
    let mut path = String::new();
    for part in rel_dir.split('/').filter(|p| !p.is_empty()) {
        let slug = slugify(part);
        path.push_str(if slug.is_empty() { "x" } else { &slug });
        path.push('/');
    }
    path
}

/// The output file an alias (`/stare/adres/`, `stary.html`) becomes, or `None` when it is not a
/// safe path inside the site.
pub(crate) fn alias_output_file(alias: &str) -> Option<String> {
    let trimmed = alias.trim();
    if trimmed.is_empty()
        || trimmed.contains("://")
        || trimmed.contains('\\')
        || trimmed.contains('\0')
        || trimmed.contains(['?', '#'])
        || trimmed.split('/').any(|p| p.starts_with('.'))
    {
        // `..` climbs out; `.kbsite-output` and other hidden names are kbsite's own files or
        // files servers keep private.
        return None;
    }
    let path = join_normalized("", trimmed)?;
    if path.is_empty() {
        return None;
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || !last.contains('.') {
        let dir = path.trim_end_matches('/');
        Some(format!("{dir}/index.html"))
    } else {
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_decode_and_the_rest_stays() {
        assert_eq!(percent_decode("M%C3%B3j%20Wykres.png"), "Mój Wykres.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn backlinks_pages_sit_under_their_page() {
        assert_eq!(backlinks_path("seo/podstawy/"), "seo/podstawy/backlinks/");
        assert_eq!(backlinks_path(""), "backlinks/");
        assert_eq!(
            backlinks_path("docs/jsx-in-depth.html"),
            "docs/jsx-in-depth/backlinks/"
        );
    }
    #[test]
    fn url_paths_encode_what_a_url_cannot_hold() {
        assert_eq!(
            super::url_path("poradniki/okladka.png"),
            "poradniki/okladka.png"
        );
        assert_eq!(
            super::url_path("zdjęcia/okładka 50%#1?.png"),
            "zdj%C4%99cia/ok%C5%82adka%2050%25%231%3F.png"
        );
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn joins_and_normalizes() {
        assert_eq!(
            join_normalized("seo/a/", "../b/").as_deref(),
            Some("seo/b/")
        );
        assert_eq!(
            join_normalized("seo/a/", "../../x/y/").as_deref(),
            Some("x/y/")
        );
        assert_eq!(
            join_normalized("seo", "img.png").as_deref(),
            Some("seo/img.png")
        );
        assert_eq!(join_normalized("seo", "/tags/").as_deref(), Some("tags/"));
        assert_eq!(join_normalized("seo", "../../x"), None);
    }

    #[test]
    fn aliases_become_index_files() {
        assert_eq!(
            alias_output_file("/stare/podstawy-seo/").as_deref(),
            Some("stare/podstawy-seo/index.html")
        );
        assert_eq!(
            alias_output_file("stary.html").as_deref(),
            Some("stary.html")
        );
        assert_eq!(alias_output_file("/../../etc/passwd"), None);
        assert_eq!(alias_output_file("https://evil.example/"), None);
        assert_eq!(alias_output_file("/"), None);
        assert_eq!(alias_output_file("/?p=123"), None, "a query is not a file");
        assert_eq!(alias_output_file("/stary#x"), None);
        assert_eq!(
            alias_output_file("/.kbsite-output"),
            None,
            "kbsite's marker"
        );
        assert_eq!(alias_output_file("/.well-known/x"), None);
    }

    #[test]
    fn pages_named_as_files_are_written_as_those_files() {
        assert_eq!(page_file("seo/podstawy/"), "seo/podstawy/index.html");
        assert_eq!(page_file(""), "index.html");
        assert_eq!(page_file("docs/jsx.html"), "docs/jsx.html");
        assert_eq!(url_dir("docs/jsx.html"), "docs/");
        assert_eq!(url_dir("jsx.html"), "");
        assert_eq!(url_dir("seo/podstawy/"), "seo/podstawy/");
    }

    #[test]
    fn dirs_are_slugified() {
        assert_eq!(
            dir_url_path("Media Społeczne/2024"),
            "media-spoleczne/2024/"
        );
        assert_eq!(dir_url_path(""), "");
    }

    proptest! {
        #[test]
        fn normalized_paths_stay_inside(base in "[a-z/.]{0,12}", rel in "[a-z/.]{0,24}") {
            if let Some(p) = join_normalized(&base, &rel) {
                prop_assert!(!p.split('/').any(|c| c == ".." || c == "."));
                prop_assert!(!p.starts_with('/'));
            }
        }

        #[test]
        fn alias_files_are_always_safe(alias in "\\PC{0,30}") {
            if let Some(p) = alias_output_file(&alias) {
                prop_assert!(is_safe_output_path(&p), "{}", p);
            }
        }
    }
}
