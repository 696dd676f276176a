//! The picture an article is shared with (`image:` in front matter): where it is published and
//! how big it is. Social networks lay out a link preview from `og:image:width`/`height`
//! before they fetch the picture, so the size is read from the file at build time.

use std::collections::BTreeMap;

use crate::content::Document;
use crate::error::{Error, Location};
use crate::output::AssetSource;
use crate::site::CopiedFile;
use crate::site::paths::{dir_url_path, join_normalized};

/// An article's own social image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageImage {
    /// The output path under the base path, or the full URL of a picture hosted elsewhere.
    pub path: String,
    /// Whether `path` is a full URL on another site (its size is then unknown).
    pub external: bool,
    /// Pixel size, when the picture is part of the site.
    pub size: Option<(u32, u32)>,
}

/// Finds the file `image:` names among the files the site copies: a full URL, a site path
/// (`/obrazy/okladka.png`, from `static/`) or a path relative to the article's folder
/// (`okladka.png` beside it).
pub fn resolve(
    doc: &Document,
    files: &BTreeMap<String, CopiedFile>,
) -> Result<Option<PageImage>, Error> {
    let Some((image, line)) = &doc.meta.image else {
        return Ok(None);
    };
    if image.starts_with("https://") || image.starts_with("http://") {
        return Ok(Some(PageImage {
            path: image.clone(),
            external: true,
            size: None,
        }));
    }
    let at = || {
        let file_line = line + 1;
        let text_line = doc.text.lines().nth(file_line - 1).unwrap_or("");
        let column = text_line.find(':').map_or(1, |i| {
            let rest = &text_line[i + 1..];
            text_line[..i + 1 + rest.len() - rest.trim_start().len()]
                .chars()
                .count()
                + 1
        });
        let mut at = Location::from_line_col(&doc.display_path, &doc.text, file_line, column);
        at.span = image.chars().count().max(1);
        Box::new(at)
    };
    let base = dir_url_path(doc.rel_dir());
    let decoded = crate::site::links::percent_decode(image);
    let Some(path) = join_normalized(&base, &decoded).filter(|p| !p.is_empty()) else {
        return Err(Error::FrontMatter {
            code: "bad-path",
            at: at(),
            message: format!("`image: {image}` leaves the site"),
            hint: Some("name a file beside the article or under static/".into()),
        });
    };
    let Some(file) = files.get(&path) else {
        return Err(Error::FrontMatter {
            code: "missing-image",
            at: at(),
            message: format!("`image: {image}` names no file of the site (looked for /{path})"),
            hint: Some(
                "put the picture beside the article or under static/, or write its full https:// address"
                    .into(),
            ),
        });
    };
    let size = match &file.source {
        AssetSource::File(p) => imagesize::size(p),
        AssetSource::Embedded(bytes) => imagesize::blob_size(bytes),
    };
    match size {
        Ok(s) => Ok(Some(PageImage {
            path,
            external: false,
            size: Some((s.width as u32, s.height as u32)),
        })),
        Err(e) => Err(Error::FrontMatter {
            code: "bad-image",
            at: at(),
            message: format!("`image: {image}` is not a picture kbsite can read: {e}"),
            hint: Some("use a JPEG, PNG, WebP or GIF file".into()),
        }),
    }
}
