//! Tera errors turned into kbsite errors that name the template file, line and column.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::{Error, Location};
use crate::render::THEME_PREFIX;

/// Turns a Tera error into an error naming the template file, line and column.
pub(super) fn template_error(
    err: tera::Error,
    sources: &HashMap<String, (PathBuf, String)>,
    rendering: Option<String>,
) -> Error {
    let locate = |name: &str, line: usize, col: usize| -> Location {
        match sources.get(name) {
            Some((path, text)) => Location::from_line_col(path, text, line, col),
            None => Location::file(&PathBuf::from(
                name.strip_prefix(THEME_PREFIX).unwrap_or(name),
            )),
        }
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let mut at = locate(report.filename(), span.start_line, span.start_col + 1);
            if span.start_line == span.end_line {
                at.span = span.end_col.saturating_sub(span.start_col).max(1);
            }
            Error::Template {
                at: at.into(),
                message: report.message().to_string(),
                rendering,
            }
        }
        tera::ErrorKind::TemplateNotFound(name) => Error::MissingTemplate {
            name: name.strip_prefix(THEME_PREFIX).unwrap_or(name).to_string(),
            searched: vec![PathBuf::from("templates")],
            wanted_by: None,
        },
        tera::ErrorKind::MissingParent { current, parent } => Error::MissingTemplate {
            name: parent
                .strip_prefix(THEME_PREFIX)
                .unwrap_or(parent)
                .to_string(),
            searched: vec![PathBuf::from("templates")],
            wanted_by: Some(locate(current, 1, 1).into()),
        },
        tera::ErrorKind::Msg(text) if text.contains("--> ") => {
            // Validation of filter and function names comes as pre-rendered reports; take
            // each `error: …` with its `--> name:LINE:COL` apart.
            let mut errors = Vec::new();
            let mut message = String::new();
            for line in text.lines() {
                let trimmed = line.trim();
                if let Some(m) = trimmed.strip_prefix("error: ") {
                    message = m.to_string();
                } else if let Some(place) = trimmed.strip_prefix("--> ") {
                    let mut parts = place.rsplitn(3, ':');
                    let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
                    let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(1);
                    let name = parts.next().unwrap_or(place);
                    errors.push(Error::Template {
                        at: locate(name, line_no, col.max(1)).into(),
                        message: message.clone(),
                        rendering: rendering.clone(),
                    });
                }
            }
            Error::collect(errors)
                .err()
                .unwrap_or_else(|| Error::Template {
                    at: Location::file(&PathBuf::from("templates")).into(),
                    message: text.clone(),
                    rendering,
                })
        }
        _ => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            Error::Template {
                at: Location::file(&PathBuf::from("templates")).into(),
                message: message.replace(THEME_PREFIX, ""),
                rendering,
            }
        }
    }
}
