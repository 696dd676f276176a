//! kbsite: a static site generator for marketing knowledge bases.
//!
//! The build pipeline, one module per step:
//! 1. [`config`] reads `kbsite.yaml` (through `yaml`, the only user of the YAML parser).
//! 2. [`content`] walks `content/`, splits front matter and checks every field.
//! 3. [`markdown`] turns each body into HTML, headings, links and text (pure).
//! 4. `site` builds the model: URLs, sections, taxonomies, pagination, and checks links.
//! 5. `render` applies the Tera templates (site first, then theme, then the embedded theme).
//! 6. [`output`] writes everything into a staging folder and swaps it in atomically.
//!
//! [`pipeline`] runs the steps in order and times them; [`scaffold`] creates new sites and
//! articles.

pub(crate) mod build_cache;
pub mod cards;
pub mod codes;
pub mod config;
pub mod content;
pub(crate) mod data;
pub mod error;
pub mod external;
pub(crate) mod hash;
pub(crate) mod images;
pub mod live;
pub mod markdown;
pub(crate) mod minify;
pub mod output;
pub(crate) mod paths;
pub mod pipeline;
pub(crate) mod render;
pub(crate) mod sass;
pub mod scaffold;
pub mod search;
pub mod serve;
pub(crate) mod site;
pub(crate) mod slug;
pub(crate) mod sources;
pub mod stats;
pub(crate) mod suggest;
pub(crate) mod toml;
pub(crate) mod yaml;

pub use error::{Error, Location, Result};
