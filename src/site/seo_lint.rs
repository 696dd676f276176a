//! SEO warnings for `kbsite check`: what search engines and screen readers stumble over but a
//! build does not need to stop for. Titles and descriptions too long for a search result,
//! images without alt text, and articles that share a title or a description (a search engine
//! cannot tell them apart).
//!
//! These are editorial advice, so only `kbsite check` asks for them; `kbsite build` and the
//! live preview never pay for them or print them.

use std::collections::HashMap;
use std::path::Path;

use crate::content::{Document, front_matter};
use crate::error::{Diagnostic, Location};
use crate::markdown::Rendered;
use crate::site::Site;

/// The longest title, in characters, that search results show in full; longer ones are cut.
pub(crate) const TITLE_MAX: usize = 60;

/// The longest description, in characters, that search results show in full; longer ones are
/// cut.
pub(crate) const DESCRIPTION_MAX: usize = 160;

/// The SEO warnings of a site, so `kbsite check` can report them next to the editorial ones:
/// `long-title`, `long-description`, `duplicate-title`, `duplicate-description` and
/// `image-alt`.
///
/// The order is fixed: pages in the site's order, each with its front matter warnings first
/// (title, description, then duplicates) and its images in the order they appear, then the
/// images of sections' `_index.md` files.
pub(crate) fn seo_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    // The first page with each folded title and description.
    let mut first_title: HashMap<String, usize> = HashMap::new();
    let mut first_description: HashMap<String, usize> = HashMap::new();
    for (id, page) in site.pages.iter().enumerate() {
        let doc = &page.doc;
        let title_at = || match doc.meta.title {
            Some(_) => field_location(doc, "title"),
            None => Location::from_line_col(&doc.display_path, &doc.text, 1, 1),
        };
        let title = page.title.trim();
        let length = visible_len(title);
        if length > TITLE_MAX {
            let hint = if doc.meta.title.is_some() {
                format!(
                    "shorten the `title` to at most {TITLE_MAX} characters, with the most important words first"
                )
            } else {
                format!(
                    "the title comes from the first `# heading` or the file name: add a `title:` of at most {TITLE_MAX} characters to the front matter"
                )
            };
            warnings.push(Diagnostic::warning(
                crate::codes::LONG_TITLE,
                title_at(),
                format!(
                    "the title is {length} characters long; search results show about {TITLE_MAX}"
                ),
                Some(hint),
            ));
        }
        let description = doc
            .meta
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        // Pages kept out of search engines need no title or description of their own
        // (a missing description is `no-description`, an editorial warning of every check).
        let indexed = !doc.meta.noindex;
        if let Some(description) = description {
            let length = visible_len(description);
            if length > DESCRIPTION_MAX {
                warnings.push(Diagnostic::warning(
                    crate::codes::LONG_DESCRIPTION,
                    field_location(doc, "description"),
                    format!(
                        "the description is {length} characters long; search results cut it after about {DESCRIPTION_MAX}"
                    ),
                    Some(format!(
                        "shorten the `description` to one sentence of at most {DESCRIPTION_MAX} characters"
                    )),
                ));
            }
        }
        // Translations may share a title (a brand name): only one language competes with itself.
        let lang = page.lang.code();
        if !title.is_empty() && indexed {
            let first = *first_title
                .entry(format!("{lang}\0{}", fold(title)))
                .or_insert(id);
            if first != id {
                warnings.push(Diagnostic::warning(
                    crate::codes::DUPLICATE_TITLE,
                    title_at(),
                    format!(
                        "the title is the same as in {}",
                        site.pages[first].doc.display_path.display()
                    ),
                    Some(
                        "give each article its own title, so readers and search engines can tell them apart"
                            .into(),
                    ),
                ));
            }
        }
        if let Some(description) = description.filter(|_| indexed) {
            let first = *first_description
                .entry(format!("{lang}\0{}", fold(description)))
                .or_insert(id);
            if first != id {
                warnings.push(Diagnostic::warning(
                    crate::codes::DUPLICATE_DESCRIPTION,
                    field_location(doc, "description"),
                    format!(
                        "the description is the same as in {}",
                        site.pages[first].doc.display_path.display()
                    ),
                    Some(
                        "write a `description` that says what this article, and no other, is about"
                            .into(),
                    ),
                ));
            }
        }
        image_alt_warnings(doc, &page.rendered, &mut warnings);
    }
    for section in &site.sections {
        if let Some(doc) = &section.doc {
            image_alt_warnings(doc, &section.rendered, &mut warnings);
        }
    }
    warnings
}

/// Adds an `image-alt` warning for each image of `doc` without alt text.
fn image_alt_warnings(doc: &Document, rendered: &Rendered, warnings: &mut Vec<Diagnostic>) {
    let line_starts = std::cell::OnceCell::new();
    for link in rendered
        .links
        .iter()
        .filter(|l| l.is_image && l.alt_missing)
    {
        warnings.push(Diagnostic::warning(
            crate::codes::IMAGE_ALT,
            doc.body_location(link.offset, link.len, &line_starts),
            format!("the image `{}` has no alt text", link.dest),
            Some(format!(
                "describe the image between the brackets, as in `![Wykres ruchu z wyszukiwarki]({})`: screen readers read it aloud and search engines index it",
                link.dest
            )),
        ));
    }
}

/// Where the front matter field `key` of `doc` is: its value when it is on the key's line,
/// else the key (as front matter errors point), else the first line of the file.
fn field_location(doc: &Document, key: &str) -> Location {
    field_location_in(&doc.display_path, &doc.text, key)
        .unwrap_or_else(|| Location::from_line_col(&doc.display_path, &doc.text, 1, 1))
}

/// [`field_location`] of a file's text; `None` when the front matter has no `key`. Warnings
/// are rare, so the front matter is read again only for the files that have one.
fn field_location_in(path: &Path, text: &str, key: &str) -> Option<Location> {
    let split = front_matter::split(text).ok()?;
    let entries = match split.format {
        front_matter::FrontMatterFormat::Yaml => crate::yaml::parse_mapping(split.yaml),
        front_matter::FrontMatterFormat::Toml => crate::toml::parse_mapping(split.yaml),
    };
    let entry = entries.ok()?.into_iter().find(|e| e.key == key)?;
    let at = Location::from_line_col(
        path,
        text,
        split.yaml_first_line + entry.line - 1,
        entry.column,
    );
    let line_len = at.source_line.chars().count();
    let value_column = at.source_line.find(':').and_then(|i| {
        let rest = &at.source_line[i + 1..];
        let skipped = rest.len() - rest.trim_start().len();
        let column = at.source_line[..i + 1 + skipped].chars().count() + 1;
        (column <= line_len).then_some(column)
    });
    Some(match value_column {
        Some(column) => Location {
            column,
            span: line_len + 1 - column,
            ..at
        },
        None => Location {
            span: key.chars().count(),
            ..at
        },
    })
}

/// The length of `text` as a reader counts it: characters, not bytes, and a letter written
/// with a separate combining accent (`z` + U+0307, as some editors save `ż`) is one.
fn visible_len(text: &str) -> usize {
    text.chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .count()
}

/// `text` as duplicates are compared: case and spacing do not matter.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` characters of Polish text with a letter of every kind of accent, ending in a letter.
    fn polish(n: usize) -> String {
        let mut text: String = "Zażółć gęślą jaźń ".chars().cycle().take(n - 1).collect();
        text.push('ż');
        text
    }

    #[test]
    fn polish_letters_count_as_one_character() {
        let title = polish(TITLE_MAX);
        assert!(title.len() > TITLE_MAX, "the bytes are more than the limit");
        assert_eq!(visible_len(&title), TITLE_MAX);
        assert_eq!(visible_len(&polish(TITLE_MAX + 1)), TITLE_MAX + 1);
        // `ż` as `z` and a combining dot above is still one letter.
        assert_eq!(visible_len("z\u{307}o\u{301}łw"), 4);
    }

    /// A site of one article with `front` as its front matter and `body` as its body.
    fn one_article(front: &str, body: &str) -> Site {
        site_of(&[("a.md", &format!("---\n{front}---\n{body}"))])
    }

    fn site_of(files: &[(&str, &str)]) -> Site {
        // The images named in tests are not there.
        let options = crate::site::SiteOptions {
            link_warnings: true,
            ..Default::default()
        };
        crate::site::test_site(files, options)
    }

    fn codes(site: &Site) -> Vec<(&'static str, usize, usize)> {
        seo_warnings(site)
            .iter()
            .map(|d| {
                let at = d.location.as_ref().expect("every SEO warning has a place");
                (d.code, at.line, at.column)
            })
            .collect()
    }

    #[test]
    fn a_title_of_exactly_sixty_characters_is_fine_and_sixty_one_warn() {
        let fine = one_article(
            &format!("title: \"{}\"\ndescription: D\n", polish(TITLE_MAX)),
            "x",
        );
        assert_eq!(visible_len(&fine.pages[0].title), TITLE_MAX);
        assert_eq!(codes(&fine), []);
        let long = one_article(
            &format!(
                "date: 2024-01-01\ntitle: \"{}\"\ndescription: D\n",
                polish(TITLE_MAX + 1)
            ),
            "x",
        );
        assert_eq!(codes(&long), [(crate::codes::LONG_TITLE, 3, 8)]);
        let warning = &seo_warnings(&long)[0];
        assert!(
            warning.message.contains("61 characters"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn a_description_of_exactly_160_characters_is_fine_and_161_warn() {
        let fine = one_article(
            &format!("title: A\ndescription: \"{}\"\n", polish(DESCRIPTION_MAX)),
            "x",
        );
        assert_eq!(codes(&fine), []);
        let long = one_article(
            &format!(
                "title: A\ndescription:   \"{}\"\n",
                polish(DESCRIPTION_MAX + 1)
            ),
            "x",
        );
        assert_eq!(codes(&long), [(crate::codes::LONG_DESCRIPTION, 3, 16)]);
    }

    #[test]
    fn a_title_from_the_first_heading_points_at_the_first_line() {
        let site = one_article(
            "date: 2024-01-01\ndescription: D\n",
            &format!("# {}\n\nx\n", polish(TITLE_MAX + 1)),
        );
        assert_eq!(codes(&site), [(crate::codes::LONG_TITLE, 1, 1)]);
    }

    #[test]
    fn images_without_alt_text_warn_where_their_destination_is() {
        let body = "![](a.png) ![ ](b.png) ![Wykres](c.png) `![](d.png)`\n\n\
                    ```\n![](e.png)\n```\n\n![*![](f.png) wykres*](g.png) ![][ref]\n\n[ref]: h.png\n";
        let site = one_article("title: A\ndescription: D\n", body);
        let images: Vec<_> = site.pages[0]
            .rendered
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.alt_missing))
            .collect();
        assert_eq!(
            images,
            [
                ("a.png", true),
                ("b.png", true),
                ("c.png", false),
                ("g.png", false),
                ("f.png", true),
                ("h.png", true),
            ]
        );
        // Line 5 of the file is the first of the body; a reference image points at itself.
        assert_eq!(
            codes(&site),
            [
                (crate::codes::IMAGE_ALT, 5, 5),
                (crate::codes::IMAGE_ALT, 5, 17),
                (crate::codes::IMAGE_ALT, 11, 8),
                (crate::codes::IMAGE_ALT, 11, 31),
            ]
        );
    }

    #[test]
    fn translations_and_hidden_pages_may_share_a_title() {
        let site = site_of(&[
            ("a.md", "---\ntitle: Allegro\ndescription: Sklep.\n---\nx\n"),
            (
                "a.en.md",
                "---\ntitle: Allegro\ndescription: Sklep.\n---\nx\n",
            ),
            (
                "b.md",
                "---\ntitle: Allegro\ndescription: Sklep.\nnoindex: true\n---\nx\n",
            ),
        ]);
        assert_eq!(codes(&site), []);
    }

    #[test]
    fn duplicates_warn_after_the_first_naming_it() {
        let site = site_of(&[
            (
                "a.md",
                "---\ntitle: Jak zacząć\ndescription: Opis.\n---\nx\n",
            ),
            ("b.md", "---\ntitle: Inny\ndescription: Opis.\n---\nx\n"),
            (
                "c.md",
                "---\ntitle: \" jak  ZACZĄĆ \"\ndescription: Inny.\n---\nx\n",
            ),
        ]);
        assert_eq!(
            codes(&site),
            [
                (crate::codes::DUPLICATE_DESCRIPTION, 3, 14),
                (crate::codes::DUPLICATE_TITLE, 2, 8)
            ]
        );
        let warnings = seo_warnings(&site);
        assert!(
            warnings[0].message.ends_with("content/a.md"),
            "{}",
            warnings[0].message
        );
        let at = warnings[1].location.as_ref().unwrap();
        assert!(at.path.ends_with("c.md"), "{at}");
    }
}
