//! The picture an article is shared with (`image:` in front matter): where it is published and
//! how big it is. Social networks lay out a link preview from `og:image:width`/`height`
//! before they fetch the picture, so the size is read from the file at build time.

use std::collections::BTreeMap;
use std::path::Path;

use crate::codes;
use crate::config::Config;
use crate::content::Document;
use crate::error::{Error, Location, ProblemKind};
use crate::output::CopiedFile;
use crate::output::FileSource;
use crate::paths::{dir_url_path, join_normalized};

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
pub(crate) fn resolve(
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
        at
    };
    let base = dir_url_path(doc.rel_dir());
    let decoded = crate::paths::percent_decode(image);
    let Some(path) = join_normalized(&base, &decoded).filter(|p| !p.is_empty()) else {
        return Err(Error::problem(
            ProblemKind::FrontMatter,
            codes::BAD_PATH,
            at(),
            format!("`image: {image}` leaves the site"),
            Some("name a file beside the article or under static/".into()),
        ));
    };
    let Some(file) = files.get(&path) else {
        return Err(Error::problem(
            ProblemKind::FrontMatter,
            codes::MISSING_IMAGE,
            at(),
            format!("`image: {image}` names no file of the site (looked for /{path})"),
            Some(
                "put the picture beside the article or under static/, or write its full https:// address"
                    .into(),
            ),
        ));
    };
    match pixel_size(file) {
        Ok(size) => Ok(Some(PageImage {
            path,
            external: false,
            size: Some(size),
        })),
        Err(e) => Err(Error::problem(
            ProblemKind::FrontMatter,
            codes::BAD_IMAGE,
            at(),
            format!("`image: {image}` is not a picture kbsite can read: {e}"),
            Some("use a JPEG, PNG, WebP or GIF file".into()),
        )),
    }
}

/// Reads the width and height from the file's header.
fn pixel_size(file: &CopiedFile) -> Result<(u32, u32), imagesize::ImageError> {
    let size = match &file.source {
        FileSource::File(p) => imagesize::size(p),
        FileSource::Embedded(bytes) => imagesize::blob_size(bytes),
        FileSource::Generated(bytes) => imagesize::blob_size(bytes),
    }?;
    Ok((size.width as u32, size.height as u32))
}

/// Finds `seo.logo` among the files the site copies (a site path such as `/logo.png`), or
/// takes a full URL as it is. The size is read when the file can be: it is the picture of
/// pages without one of their own, whose previews need it, and a logo that is not a picture
/// is still a logo to structured data.
pub(crate) fn resolve_logo(
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
        config
            .seo
            .logo_at
            .clone()
            .unwrap_or_else(|| Location::file(Path::new(crate::config::CONFIG_FILE)))
    };
    let decoded = crate::paths::percent_decode(logo);
    let path = join_normalized("", &decoded).filter(|p| !p.is_empty());
    let Some(file) = path.as_ref().and_then(|p| files.get(p)) else {
        return Err(Error::problem(
            ProblemKind::Config,
            codes::MISSING_LOGO,
            at(),
            format!(
                "`seo.logo: {logo}` names no file of the site (looked for /{})",
                path.unwrap_or_default()
            ),
            Some(
                "put the logo under static/ and write its site path (`/logo.png`), or its full https:// address"
                    .into(),
            ),
        ));
    };
    Ok(Some(PageImage {
        path: file.path.clone(),
        external: false,
        size: pixel_size(file).ok(),
    }))
}

/// A smaller copy of a picture, for `srcset`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResizedCopy {
    /// The output path, beside the picture's (`seo/okladka-480w.1a2b3c4d.jpg`).
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// The build cache's key: a hash of the picture's bytes, the width, the format and the
    /// encoder's settings (its first 8 hex digits are part of `path`).
    pub key: u128,
}

/// One picture to resize: where it is, its format and the copies it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResizeJob {
    /// The picture's own output path.
    pub path: String,
    /// Where its bytes are.
    pub source: FileSource,
    /// Its format, which the copies keep.
    pub format: crate::images::resize::Format,
    /// The copies, narrowest first.
    pub copies: Vec<ResizedCopy>,
}

/// What a picture's `<img>` says, read once per build.
#[derive(Debug, Clone, Default)]
struct Facts {
    size: Option<(u32, u32)>,
    format: Option<crate::images::resize::Format>,
    copies: Vec<ResizedCopy>,
}

/// The pictures among the site's files, each read (its header, or all of it when it is to be
/// resized) the first time an image of the Markdown shows it.
#[derive(Debug, Default)]
pub struct ImageTable {
    /// The widths copies are made at, narrowest first; empty when resizing is off.
    widths: Vec<u32>,
    /// The site's base path, for the URLs of copies.
    base_path: String,
    /// Output path of each picture, its source and what was read of it.
    files: BTreeMap<String, (FileSource, std::sync::OnceLock<Facts>)>,
}

/// File name extensions of pictures whose size can be read.
const PICTURE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "webp", "gif", "avif", "bmp", "ico", "tif", "tiff", "svg",
];

impl ImageTable {
    /// The pictures of `files`; copies at `widths` (none when empty).
    pub fn new(files: &BTreeMap<String, CopiedFile>, widths: Vec<u32>, base_path: &str) -> Self {
        let files = files
            .iter()
            .filter(|(path, _)| {
                path.rsplit_once('.').is_some_and(|(_, ext)| {
                    PICTURE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
                })
            })
            .map(|(path, f)| (path.clone(), (f.source.clone(), std::sync::OnceLock::new())))
            .collect();
        ImageTable {
            widths,
            base_path: base_path.to_string(),
            files,
        }
    }

    /// What the `<img>` of the picture at output path `path` carries; nothing for a path that
    /// is no picture of the site.
    pub fn attrs(&self, path: &str) -> crate::markdown::ImageAttrs {
        let Some((source, facts)) = self.files.get(path) else {
            return crate::markdown::ImageAttrs::default();
        };
        let facts = facts.get_or_init(|| self.read(path, source));
        crate::markdown::ImageAttrs {
            size: facts.size,
            srcset: facts
                .copies
                .iter()
                .map(|c| (format!("{}{}", self.base_path, c.path), c.width))
                .collect(),
        }
    }

    fn read(&self, path: &str, source: &FileSource) -> Facts {
        if self.widths.is_empty() && !path.to_ascii_lowercase().ends_with(".svg") {
            // The header is enough.
            let size = match source {
                FileSource::File(p) => imagesize::size(p),
                FileSource::Embedded(bytes) => imagesize::blob_size(bytes),
                FileSource::Generated(bytes) => imagesize::blob_size(bytes),
            };
            return Facts {
                size: size.ok().map(|s| (s.width as u32, s.height as u32)),
                ..Facts::default()
            };
        }
        let bytes = match source {
            FileSource::File(p) => match std::fs::read(p) {
                Ok(bytes) => std::borrow::Cow::Owned(bytes),
                Err(_) => return Facts::default(),
            },
            FileSource::Embedded(bytes) => std::borrow::Cow::Borrowed(*bytes),
            FileSource::Generated(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
        };
        if path.to_ascii_lowercase().ends_with(".svg") {
            return Facts {
                size: super::svg_size::svg_size(&bytes),
                ..Facts::default()
            };
        }
        let Ok(size) = imagesize::blob_size(&bytes) else {
            return Facts::default();
        };
        let size = (size.width as u32, size.height as u32);
        use crate::images::resize::Format;
        let format = match imagesize::image_type(&bytes) {
            Ok(imagesize::ImageType::Jpeg) => Some(Format::Jpeg),
            Ok(imagesize::ImageType::Png) => Some(Format::Png),
            Ok(imagesize::ImageType::Webp) => Some(Format::WebP),
            _ => None,
        };
        let copies = match format {
            Some(format) => copies_of(path, &bytes, format, size.0, &self.widths),
            None => Vec::new(),
        };
        Facts {
            size: Some(size),
            format,
            copies,
        }
    }

    /// The pictures Markdown showed that need copies, in path order.
    pub fn resize_jobs(&self) -> Vec<ResizeJob> {
        self.files
            .iter()
            .filter_map(|(path, (source, facts))| {
                let facts = facts.get()?;
                let format = facts.format?;
                (!facts.copies.is_empty()).then(|| ResizeJob {
                    path: path.clone(),
                    source: source.clone(),
                    format,
                    copies: facts.copies.clone(),
                })
            })
            .collect()
    }
}

/// The copies of a picture `width` pixels wide: one per configured width narrower than it.
fn copies_of(
    path: &str,
    bytes: &[u8],
    format: crate::images::resize::Format,
    width: u32,
    widths: &[u32],
) -> Vec<ResizedCopy> {
    let (dir, name) = match path.rsplit_once('/') {
        Some((dir, name)) => (format!("{dir}/"), name),
        None => (String::new(), path),
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let ext = format.extension();
    widths
        .iter()
        .filter(|&&w| w < width)
        .map(|&w| {
            let key = crate::hash::content_hash(&[
                b"kbsite-image",
                bytes,
                &w.to_le_bytes(),
                ext.as_bytes(),
                crate::images::resize::ENCODER_SETTINGS.as_bytes(),
            ]);
            let hash = format!("{key:032x}");
            ResizedCopy {
                path: format!("{dir}{stem}-{w}w.{}.{ext}", &hash[..8]),
                width: w,
                key,
            }
        })
        .collect()
}
