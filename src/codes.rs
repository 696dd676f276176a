//! The stable codes of problems: what `--format json` prints, what CI annotations carry and
//! what the README's table of codes documents. Each code is written here once; the test
//! below holds this list and that table together.

/// The address of the manual, which is the `base_url` of `docs/kbsite.yaml` (a test holds
/// the two together): every diagnostic ends with the address of its code's page, so that
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
/// A `slug`, `url` or alias that would leave the site or is not an address.
pub const BAD_PATH: &str = "bad-path";
/// An `image` in front matter that names no file.
pub const MISSING_IMAGE: &str = "missing-image";
/// An `image` in front matter that is no picture kbsite can read.
pub const BAD_IMAGE: &str = "bad-image";
/// A link to an article that does not exist.
pub const MISSING_ARTICLE: &str = "missing-article";
/// A link to a heading the target page does not have.
pub const MISSING_ANCHOR: &str = "missing-anchor";
/// A link to an address no page has.
pub const MISSING_PAGE: &str = "missing-page";
/// A link or picture naming a file that does not exist.
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
/// A path that would leave the site or the output folder.
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

/// Every code a reader of the output can meet, in the order of the README's table.
pub const ALL: &[&str] = &[
    CONFIG_YAML,
    CONFIG_UNKNOWN_KEY,
    CONFIG_VALUE,
    THEME_NOT_FOUND,
    CONFIG_NOT_FOUND,
    MISSING_LOGO,
    FRONT_MATTER_YAML,
    FRONT_MATTER_UNCLOSED,
    FRONT_MATTER_TOML,
    FRONT_MATTER_TYPE,
    BAD_DATE,
    BAD_PATH,
    MISSING_IMAGE,
    BAD_IMAGE,
    MISSING_ARTICLE,
    MISSING_ANCHOR,
    MISSING_PAGE,
    MISSING_FILE,
    WIKI_LINK,
    DRAFT_LINK,
    EXTERNAL_LINK,
    EXTERNAL_RATE_LIMITED,
    EXTERNAL_UNCHECKED,
    DUPLICATE_URL,
    TEMPLATE_ERROR,
    MISSING_TEMPLATE,
    SASS_ERROR,
    UNSAFE_PATH,
    NOT_UTF8,
    IO,
    FOREIGN_OUTPUT,
    OUTPUT_LOCKED,
    USAGE,
    UNKNOWN_COMPONENT,
    COMPONENT_SYNTAX,
    COMPONENT_ERROR,
    MISSING_INCLUDE,
    INCLUDE_CYCLE,
    MATH_SYNTAX,
    FRONT_MATTER_TYPO,
    MERMAID_MISSING,
    ALIAS_ANCHOR,
    ALIAS_SHADOWED,
    DUPLICATE_ALIAS,
    TERM_COLLISION,
    ORPHAN_PAGE,
    NO_DESCRIPTION,
    EMPTY_SECTION,
    LONG_TITLE,
    LONG_DESCRIPTION,
    IMAGE_ALT,
    DUPLICATE_TITLE,
    DUPLICATE_DESCRIPTION,
    FILE_NAME_NOT_UTF8,
    SYMLINK_OUTSIDE,
    SYMLINK_HIDDEN,
    SYMLINK_FOLDER,
    BROKEN_SYMLINK,
    GIT_DATES,
    DATA_SYNTAX,
    DATA_DUPLICATE,
    SEARCH_INDEX,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes in the first column of the README's table of codes.
    fn readme_codes() -> Vec<String> {
        let readme = include_str!("../README.md");
        let table = readme
            .split("| code | severity | meaning |")
            .nth(1)
            .expect("the README has a table of codes");
        table
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .flat_map(|row| {
                let first = row.split('|').nth(1).unwrap_or("");
                first
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn every_code_is_in_the_readme_table_and_every_row_is_a_code() {
        let documented = readme_codes();
        for code in ALL {
            assert!(
                documented.iter().any(|d| d == code),
                "`{code}` is missing from the README's table of codes"
            );
        }
        for code in &documented {
            assert!(
                ALL.contains(&code.as_str()),
                "the README's table names `{code}`, which is no code of kbsite"
            );
        }
        assert!(
            !documented.iter().any(|d| d == MANY),
            "`many` is never shown"
        );
    }

    #[test]
    fn the_manual_is_published_at_manual_url() {
        let manual = crate::config::Config::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs"),
        )
        .expect("docs/kbsite.yaml loads");
        assert_eq!(manual.base_url, MANUAL_URL);
        assert!(MANUAL_URL.ends_with('/'), "page addresses are joined to it");
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
