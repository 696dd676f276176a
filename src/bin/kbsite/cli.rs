//! The command line: clap types only; `main.rs` turns them into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// kbsite builds fast, searchable knowledge bases from Markdown.
#[derive(Debug, Parser)]
#[command(name = "kbsite", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Format {
    /// Source snippets for people; coloured on a terminal.
    #[default]
    Human,
    /// One JSON object per line on standard output.
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub(crate) struct RootArg {
    /// The site folder (with kbsite.yaml); default: the nearest one at or above the current folder.
    #[arg(long, value_name = "DIR", global = true)]
    pub root: Option<PathBuf>,
}

/// Options of commands that load the whole site.
#[derive(Debug, Args, Clone)]
pub(crate) struct SiteArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Publish under this URL instead of the config's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// What a link to a missing page, anchor or file does: `error` stops the build, `warn`
    /// reports it and writes the site; default: `broken_links` of kbsite.yaml.
    #[arg(long, value_name = "POLICY", value_parser = ["error", "warn"])]
    pub broken_links: Option<String>,
    /// Include articles before their `publish_date` or after their `expiry_date`.
    #[arg(long)]
    pub future: bool,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print only errors and warnings.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print the time of each stage.
    #[arg(long, short)]
    pub verbose: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into public/ (or --output).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Write the site here instead of the config's output_dir.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Stop with an error instead of waiting when another kbsite is writing the output.
        #[arg(long)]
        no_wait: bool,
    },
    /// Check everything a build checks, without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Also check links to other sites (http and https).
        #[arg(long)]
        external: bool,
    },
    /// Report for editors: articles per section and tag, orphan articles, the most linked-to
    /// articles, broken links, articles without a description, words in total.
    Stats {
        #[command(flatten)]
        root: RootArg,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Search the built site like its readers do (builds it first when it has no index).
    Search {
        #[command(flatten)]
        root: RootArg,
        /// What to look for, as a reader would type it.
        query: String,
        /// How many results to show.
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// Print a JSON array of {title, url, path, section, score, snippet}.
        #[arg(long)]
        json: bool,
        /// The built site to search instead of the config's output_dir.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Also list the index files the query read (what a browser downloads for it).
        #[arg(long)]
        files: bool,
        /// Search the articles of this language (`pl`, `en`): each language has its own
        /// index. The site's language by default.
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
    },
    /// Preview the site while writing: build it in memory, serve it, rebuild and reload the
    /// browser on every save. Never touches the output folder.
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// The port to listen on (0: any free port).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 or ::1 exposes the preview to
        /// other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles before their `publish_date` or after their `expiry_date`.
        #[arg(long)]
        future: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Build the site into public/ (or --output), then rebuild what changed on every save.
    Watch {
        #[command(flatten)]
        root: RootArg,
        /// Write the site here instead of the config's output_dir.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles before their `publish_date` or after their `expiry_date`.
        #[arg(long)]
        future: bool,
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
