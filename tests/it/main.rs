//! Integration tests: real fixture sites in temp folders, built with the real `kbsite` binary.
//! One test binary (faster linking); one module per area.

mod architecture;
mod assets;
mod budgets;
mod build;
mod callouts;
mod check;
mod cli;
mod components;
mod data_files;
mod docs_markdown;
mod errors;
mod external;
mod feeds;
mod fixture;
mod frontmatter_toml;
mod git_dates;
mod highlight_cache;
mod hostile;
mod images;
mod imports;
mod knowledge;
mod layout;
mod live;
mod llms;
mod nav;
mod preview;
mod preview_ops;
mod release;
mod sample;
mod search;
mod seo;
mod serve;
mod serve_limits;
mod snapshots;
mod translations;
