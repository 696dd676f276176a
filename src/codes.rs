//! The stable codes of problems: what `--format json` prints, what CI annotations carry and
//! what the manual documents, one page per code (`docs/content/diagnostics/<code>.md`) and a
//! table of them all on the section page. Each code is written here once; the tests below
//! hold this list, that table and those pages together.

/// The address of the manual, which is the `base_url` of `docs/kbsite.yaml` (a test of
/// `tests/it` holds the two together): every diagnostic ends with the address of its code's page, so that
/// a reader gets from a message to its explanation, example and fix in one click.
pub const MANUAL_URL: &str = "https://kbsite.dev/";

/// The address of the manual's page about `code` (`https://kbsite.dev/diagnostics/not-utf8/`):
/// the one place that builds it, for the help line, JSON and CI annotations alike.
pub fn page_url(code: &str) -> String {
    format!("{MANUAL_URL}diagnostics/{code}/")
}

/// `kbsite.yaml` is not valid YAML.
pub const CONFIG_YAML: &str = "config-yaml";
/// `kbsite.yaml` has a key kbsite does not know.
pub const CONFIG_UNKNOWN_KEY: &str = "config-unknown-key";
/// A value in `kbsite.yaml` has the wrong type or is out of range.
pub const CONFIG_VALUE: &str = "config-value";
/// The configured theme is neither under `themes/` nor built in.
pub const THEME_NOT_FOUND: &str = "theme-not-found";
/// No `kbsite.yaml` at or above the starting folder.
pub const CONFIG_NOT_FOUND: &str = "config-not-found";
/// `seo.logo` names no file of the site.
pub const MISSING_LOGO: &str = "missing-logo";
/// Front matter that is not valid YAML.
pub const FRONT_MATTER_YAML: &str = "front-matter-yaml";
/// Front matter opened with `---` and never closed.
pub const FRONT_MATTER_UNCLOSED: &str = "front-matter-unclosed";
/// Front matter between `+++` lines that is not valid TOML.
pub const FRONT_MATTER_TOML: &str = "front-matter-toml";
/// A front matter field of the wrong type.
pub const FRONT_MATTER_TYPE: &str = "front-matter-type";
/// A date kbsite cannot read, in front matter or a file name.
pub const BAD_DATE: &str = "bad-date";
/// A `slug`, `url`, `template` or `image` in front matter that is not a plain path inside the
/// site.
pub const BAD_PATH: &str = "bad-path";
/// An `image` in front matter that names no file.
pub const MISSING_IMAGE: &str = "missing-image";
/// An `image` in front matter that is no picture kbsite can read.
pub const BAD_IMAGE: &str = "bad-image";
/// A link to an article that does not exist.
pub const MISSING_ARTICLE: &str = "missing-article";
/// A link to a heading the target page does not have.
pub const MISSING_ANCHOR: &str = "missing-anchor";
/// A link to an address no page or file of the site has.
pub const MISSING_PAGE: &str = "missing-page";
/// A picture (`![…](…)`, or a component's `src`) naming a file that does not exist.
pub const MISSING_FILE: &str = "missing-file";
/// A `[[wiki link]]` that names no article.
pub const WIKI_LINK: &str = "wiki-link";
/// A link to a draft, or to an article not published yet.
pub const DRAFT_LINK: &str = "draft-link";
/// An `http(s)` link that does not answer (`check --external`).
pub const EXTERNAL_LINK: &str = "external-link";
/// A host that still answers 429 after two retries (`check --external`).
pub const EXTERNAL_RATE_LIMITED: &str = "external-rate-limited";
/// Links `check --external` did not reach within its time limit.
pub const EXTERNAL_UNCHECKED: &str = "external-unchecked";
/// Two sources that would write the same page, or an alias that is another page.
pub const DUPLICATE_URL: &str = "duplicate-url";
/// A template that does not parse or fails while rendering.
pub const TEMPLATE_ERROR: &str = "template-error";
/// A template a page asks for that neither the site nor the theme has.
pub const MISSING_TEMPLATE: &str = "missing-template";
/// A Sass file that does not compile.
pub const SASS_ERROR: &str = "sass-error";
/// A link, picture, alias or path that would leave the site or the output folder.
pub const UNSAFE_PATH: &str = "unsafe-path";
/// A source file that is not UTF-8.
pub const NOT_UTF8: &str = "not-utf8";
/// A file or folder that cannot be read or written.
pub const IO: &str = "io";
/// An output folder kbsite did not create, which it will not replace.
pub const FOREIGN_OUTPUT: &str = "foreign-output";
/// Another kbsite is writing the output (`build --no-wait`).
pub const OUTPUT_LOCKED: &str = "output-locked";
/// A wrong command line.
pub const USAGE: &str = "usage";
/// A component call naming no component.
pub const UNKNOWN_COMPONENT: &str = "unknown-component";
/// A component call that does not parse.
pub const COMPONENT_SYNTAX: &str = "component-syntax";
/// A component whose template fails.
pub const COMPONENT_ERROR: &str = "component-error";
/// An `include` naming no file of `snippets/`.
pub const MISSING_INCLUDE: &str = "missing-include";
/// Includes that include each other.
pub const INCLUDE_CYCLE: &str = "include-cycle";
/// A formula (`$…$`, `$$…$$`) that does not parse.
pub const MATH_SYNTAX: &str = "math-syntax";
/// Mermaid diagrams on a site that provides no copy of Mermaid: they show as code.
pub const MERMAID_MISSING: &str = "mermaid-missing";
/// A front matter key that looks like a misspelt field (`tittle`).
pub const FRONT_MATTER_TYPO: &str = "front-matter-typo";
/// An alias with a `#` part, which no redirect can match.
pub const ALIAS_ANCHOR: &str = "alias-anchor";
/// An alias that is the address of a folder's list page, which stays there.
pub const ALIAS_SHADOWED: &str = "alias-shadowed";
/// An alias two pages claim: the first keeps it.
pub const DUPLICATE_ALIAS: &str = "duplicate-alias";
/// Two terms that make the same address (`C++` and `c`).
pub const TERM_COLLISION: &str = "term-collision";
/// An article no other article links to.
pub const ORPHAN_PAGE: &str = "orphan-page";
/// An article without a description.
pub const NO_DESCRIPTION: &str = "no-description";
/// A section without articles.
pub const EMPTY_SECTION: &str = "empty-section";
/// A title longer than search engines show (`check`).
pub const LONG_TITLE: &str = "long-title";
/// A description longer than search engines show (`check`).
pub const LONG_DESCRIPTION: &str = "long-description";
/// A picture without alternative text (`check`).
pub const IMAGE_ALT: &str = "image-alt";
/// Two pages with the same title (`check`).
pub const DUPLICATE_TITLE: &str = "duplicate-title";
/// Two pages with the same description (`check`).
pub const DUPLICATE_DESCRIPTION: &str = "duplicate-description";
/// A file whose name is not UTF-8: skipped.
pub const FILE_NAME_NOT_UTF8: &str = "file-name-not-utf8";
/// A symbolic link out of the site: not followed.
pub const SYMLINK_OUTSIDE: &str = "symlink-outside";
/// A symbolic link to a hidden file or folder (`.git/`, `.env`): not followed.
pub const SYMLINK_HIDDEN: &str = "symlink-hidden";
/// A symbolic link to a folder: not followed.
pub const SYMLINK_FOLDER: &str = "symlink-folder";
/// A symbolic link to nothing.
pub const BROKEN_SYMLINK: &str = "broken-symlink";
/// `git_dates` is on but the site's git history cannot be read (no git, no repository, a
/// shallow clone): dates come from front matter only.
pub const GIT_DATES: &str = "git-dates";
/// A data file (`data/*.yaml`, `.json`, `.toml`, `.csv`) that does not parse.
pub const DATA_SYNTAX: &str = "data-syntax";
/// Two data files that would be the same `site.data` value (`cennik.yaml` and `cennik.json`).
pub const DATA_DUPLICATE: &str = "data-duplicate";
/// A search index file that is missing, unreadable or of another format version, for
/// `kbsite search` (error).
pub const SEARCH_INDEX: &str = "search-index";
/// Several problems reported together: never shown itself, each problem inside is (see
/// `Error::Many`).
pub const MANY: &str = "many";

/// Every code a reader of the output can meet, in the order of the manual's table of codes
/// (`docs/content/diagnostics/_index.md`), which groups them by what they are about.
pub const ALL: &[&str] = &[
    CONFIG_NOT_FOUND,
    CONFIG_YAML,
    CONFIG_UNKNOWN_KEY,
    CONFIG_VALUE,
    THEME_NOT_FOUND,
    MISSING_LOGO,
    NOT_UTF8,
    IO,
    FILE_NAME_NOT_UTF8,
    SYMLINK_OUTSIDE,
    SYMLINK_HIDDEN,
    SYMLINK_FOLDER,
    BROKEN_SYMLINK,
    GIT_DATES,
    FRONT_MATTER_YAML,
    FRONT_MATTER_UNCLOSED,
    FRONT_MATTER_TOML,
    FRONT_MATTER_TYPE,
    FRONT_MATTER_TYPO,
    BAD_DATE,
    BAD_PATH,
    MISSING_IMAGE,
    BAD_IMAGE,
    DATA_SYNTAX,
    DATA_DUPLICATE,
    UNKNOWN_COMPONENT,
    COMPONENT_SYNTAX,
    COMPONENT_ERROR,
    MISSING_INCLUDE,
    INCLUDE_CYCLE,
    MATH_SYNTAX,
    MERMAID_MISSING,
    DUPLICATE_URL,
    ALIAS_ANCHOR,
    ALIAS_SHADOWED,
    DUPLICATE_ALIAS,
    TERM_COLLISION,
    MISSING_ARTICLE,
    MISSING_ANCHOR,
    MISSING_PAGE,
    MISSING_FILE,
    WIKI_LINK,
    DRAFT_LINK,
    UNSAFE_PATH,
    TEMPLATE_ERROR,
    MISSING_TEMPLATE,
    SASS_ERROR,
    USAGE,
    FOREIGN_OUTPUT,
    OUTPUT_LOCKED,
    SEARCH_INDEX,
    ORPHAN_PAGE,
    NO_DESCRIPTION,
    EMPTY_SECTION,
    LONG_TITLE,
    LONG_DESCRIPTION,
    IMAGE_ALT,
    DUPLICATE_TITLE,
    DUPLICATE_DESCRIPTION,
    EXTERNAL_LINK,
    EXTERNAL_RATE_LIMITED,
    EXTERNAL_UNCHECKED,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// The manual's folder of diagnostics pages.
    fn pages_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content/diagnostics")
    }

    /// The manual's section page of diagnostics.
    fn index_page() -> String {
        std::fs::read_to_string(pages_dir().join("_index.md"))
            .expect("the manual has docs/content/diagnostics/_index.md")
    }

    /// The codes in the first column of the manual's tables of codes, in order: each cell is
    /// a link to the code's page, ``[`config-yaml`](config-yaml.md)``.
    fn table_codes(page: &str) -> Vec<String> {
        let mut codes = Vec::new();
        for table in page.split("| code | severity | meaning |").skip(1) {
            for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
                let first = row.split('|').nth(1).unwrap_or("").trim();
                let shown = first.split('`').nth(1).unwrap_or("");
                let target = first
                    .split_once("](")
                    .and_then(|(_, rest)| rest.split_once(".md)"))
                    .map_or("", |(target, _)| target);
                assert_eq!(
                    shown, target,
                    "the row `{row}` must link its code to the code's page"
                );
                codes.push(shown.to_string());
            }
        }
        codes
    }

    #[test]
    fn the_manuals_table_of_codes_is_every_code_in_order() {
        let documented = table_codes(&index_page());
        for code in ALL {
            assert!(
                documented.iter().any(|d| d == code),
                "`{code}` is missing from the manual's table of codes"
            );
        }
        for code in &documented {
            assert!(
                ALL.contains(&code.as_str()),
                "the manual's table names `{code}`, which is no code of kbsite"
            );
        }
        assert_eq!(
            documented, ALL,
            "the table lists the codes in the order of ALL"
        );
        assert!(
            !documented.iter().any(|d| d == MANY),
            "`many` is never shown"
        );
    }

    #[test]
    fn every_code_has_a_page_and_every_page_names_a_code() {
        for code in ALL {
            assert!(
                pages_dir().join(format!("{code}.md")).is_file(),
                "`{code}` has no page docs/content/diagnostics/{code}.md"
            );
        }
        let entries = std::fs::read_dir(pages_dir()).expect("the diagnostics folder");
        let mut pages = 0;
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "_index.md" {
                continue;
            }
            let code = name
                .strip_suffix(".md")
                .unwrap_or_else(|| panic!("{name} in the diagnostics folder is not a page"));
            assert!(
                ALL.contains(&code),
                "the page {name} names `{code}`, which is no code of kbsite"
            );
            let text = std::fs::read_to_string(&path).expect("a page");
            assert!(
                text.starts_with(&format!("---\ntitle: \"{code}\"\n")),
                "the title of {name} is its code"
            );
            assert!(
                text.contains(&format!("error[{code}]"))
                    || text.contains(&format!("warning[{code}]")),
                "{name} shows what kbsite prints for `{code}`"
            );
            pages += 1;
        }
        assert_eq!(pages, ALL.len(), "one page per code");
    }

    #[test]
    fn a_page_address_is_under_the_manual() {
        assert_eq!(
            page_url(NOT_UTF8),
            "https://kbsite.dev/diagnostics/not-utf8/"
        );
        for code in ALL {
            let url = page_url(code);
            assert!(url.starts_with(MANUAL_URL) && url.ends_with(&format!("/{code}/")));
        }
    }

    #[test]
    fn codes_are_distinct_lowercase_words() {
        for (i, code) in ALL.iter().enumerate() {
            assert!(!ALL[..i].contains(code), "{code} twice");
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit())
            );
        }
    }
}
