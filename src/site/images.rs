//! The picture an article is shared with (`image:` in front matter): where it is published and
//! how big it is. Social networks lay out a link preview from `og:image:width`/`height`
//! before they fetch the picture, so the size is read from the file at build time.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
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
    match pixel_size(file) {
        Ok(size) => Ok(Some(PageImage {
            path,
            external: false,
            size: Some(size),
        })),
        Err(e) => Err(Error::FrontMatter {
            code: "bad-image",
            at: at(),
            message: format!("`image: {image}` is not a picture kbsite can read: {e}"),
            hint: Some("use a JPEG, PNG, WebP or GIF file".into()),
        }),
    }
}

/// Reads the width and height from the file's header.
fn pixel_size(file: &CopiedFile) -> Result<(u32, u32), imagesize::ImageError> {
    let size = match &file.source {
        AssetSource::File(p) => imagesize::size(p),
        AssetSource::Embedded(bytes) => imagesize::blob_size(bytes),
        AssetSource::Generated(bytes) => imagesize::blob_size(bytes),
    }?;
    Ok((size.width as u32, size.height as u32))
}

/// Finds `seo.logo` among the files the site copies (a site path such as `/logo.png`), or
/// takes a full URL as it is. The size is read when the file can be: it is the picture of
/// pages without one of their own, whose previews need it, and a logo that is not a picture
/// is still a logo to structured data.
pub fn resolve_logo(
    config: &Config,
    files: &BTreeMap<String, CopiedFile>,
) -> Result<Option<PageImage>, Error> {
    let Some(logo) = &config.seo.logo else {
        return Ok(None);
    };
    if logo.starts_with("https://") || logo.starts_with("http://") {
        return Ok(Some(PageImage {
            path: logo.clone(),
            external: true,
            size: None,
        }));
    }
    let at = || {
        Box::new(
            config
                .seo
                .logo_at
                .clone()
                .unwrap_or_else(|| Location::file(Path::new(crate::config::CONFIG_FILE))),
        )
    };
    let decoded = crate::site::links::percent_decode(logo);
    let path = join_normalized("", &decoded).filter(|p| !p.is_empty());
    let Some(file) = path.as_ref().and_then(|p| files.get(p)) else {
        return Err(Error::Config {
            code: "missing-logo",
            at: at(),
            message: format!(
                "`seo.logo: {logo}` names no file of the site (looked for /{})",
                path.unwrap_or_default()
            ),
            hint: Some(
                "put the logo under static/ and write its site path (`/logo.png`), or its full https:// address"
                    .into(),
            ),
        });
    };
    Ok(Some(PageImage {
        path: file.path.clone(),
        external: false,
        size: pixel_size(file).ok(),
    }))
}
