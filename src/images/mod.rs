//! Pictures: which ones the site has and how big they are (`table`: an article's social
//! picture, `srcset` sizes for pictures in Markdown), their smaller copies (`resize`, the one
//! home of the `image` crate) and the build cache of those copies (`cache`).

pub(crate) mod cache;
pub(crate) mod resize;
mod svg_size;
pub(crate) mod table;

pub(crate) use cache::{ImageCounts, write_images};
pub(crate) use table::{ImageTable, PageImage, resolve, resolve_logo};
