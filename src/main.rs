//! The `kbsite` binary: parses the command line, calls the library, reports errors once.
//! Exit codes: 0 success, 1 content or template errors, 2 usage or config errors.

mod cli;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kbsite::config::find_root;
use kbsite::pipeline::{BuildOptions, build};
use kbsite::{Error, scaffold};

use cli::{Cli, Command, RootArg};

fn site_root(arg: &RootArg) -> Result<PathBuf, Error> {
    match &arg.root {
        Some(dir) => {
            if dir.join(kbsite::config::CONFIG_FILE).is_file() {
                Ok(dir.clone())
            } else {
                Err(Error::ConfigNotFound { start: dir.clone() })
            }
        }
        None => find_root(
            &std::env::current_dir()
                .map_err(|e| Error::io("read current folder", ".".as_ref(), e))?,
        ),
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            verbose,
        } => {
            let options = BuildOptions {
                root: site_root(&root)?,
                output,
                base_url,
                drafts,
            };
            let report = build(&options)?;
            if verbose {
                for (stage, time) in &report.timings {
                    eprintln!("  {stage:<10} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            let terms: String = report
                .terms
                .iter()
                .map(|(name, n)| format!(", {n} {name}"))
                .collect();
            let output = std::env::current_dir()
                .ok()
                .and_then(|cwd| {
                    report
                        .output
                        .strip_prefix(cwd)
                        .ok()
                        .map(|p| p.to_path_buf())
                })
                .unwrap_or_else(|| report.output.clone());
            println!(
                "Built {} pages, {} sections{terms}: {} files written to {} in {} ms",
                report.pages,
                report.sections,
                report.files_written,
                output.display(),
                report.elapsed.as_millis()
            );
        }
        Command::Init { dir } => {
            let files = scaffold::init(&dir)?;
            println!(
                "Created a new site in {} ({} files).",
                dir.display(),
                files.len()
            );
            println!("Next: cd {} && kbsite build", dir.display());
        }
        Command::New {
            root,
            path_or_title,
        } => {
            let root = site_root(&root)?;
            let today = chrono::Local::now().date_naive();
            let rel = scaffold::new_article(&root, &path_or_title, today)?;
            println!("Created {}", rel.display());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("{}", report::render(&error, report::stderr_color()));
            ExitCode::from(error.exit_code())
        }
    }
}
