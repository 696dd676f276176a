//! The command line: clap types only; `main.rs` turns them into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// kbsite builds fast, searchable knowledge bases from Markdown.
#[derive(Debug, Parser)]
#[command(name = "kbsite", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct RootArg {
    /// The site folder (with kbsite.yaml); default: the nearest one at or above the current folder.
    #[arg(long, value_name = "DIR", global = true)]
    pub root: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build {
        #[command(flatten)]
        root: RootArg,
        /// Write the site here instead of the config's output_dir.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish under this URL instead of the config's base_url.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print the time of each stage.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Create a new site in DIR (which must be empty or not exist).
    Init {
        /// Where to create the site.
        dir: PathBuf,
    },
    /// Create a draft article from a title (`"Jak zacząć"`, `"seo/Jak zacząć"`) or a path
    /// (`seo/jak-zaczac.md`) inside content/.
    New {
        #[command(flatten)]
        root: RootArg,
        /// The title or path of the article.
        path_or_title: String,
    },
}
