//! Pictures: which ones the site has and how big they are (`table`: an article's social
//! picture, `srcset` sizes for pictures in Markdown), their smaller copies (`resize`, the one
//! home of the `image` crate) and the build cache of those copies (`cache`).

pub mod cache;
pub mod resize;
mod svg_size;
pub mod table;

pub use cache::{ImageCounts, write_images};
pub use table::{ImageTable, PageImage, ResizeJob, ResizedCopy, resolve, resolve_logo};
