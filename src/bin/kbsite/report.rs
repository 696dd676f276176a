//! Prints diagnostics in the three formats: for people (source line with the span underlined,
//! coloured only on a terminal), JSON lines, and GitHub Actions annotations. Build, check and
//! every other command go through here. Each format gives the address of the code's page in
//! the manual: at the end of the `help:` line, in `url`, at the end of the annotation.

use std::io::IsTerminal;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use kbsite::error::{Diagnostic, Severity};

use crate::cli::Format;

/// How many diagnostics of one run are printed in the human format before a summary line.
const SHOWN: usize = 50;

/// Prints diagnostics: human to standard error, JSON and GitHub to standard output.
pub(crate) fn print(diagnostics: &[Diagnostic], format: Format) {
    match format {
        Format::Human => eprint!("{}", human(diagnostics, stderr_color())),
        Format::Json => {
            for d in diagnostics {
                println!("{}", json(d));
            }
        }
        Format::Github => {
            for d in diagnostics {
                println!("{}", github(d));
            }
        }
    }
    if format != Format::Human && diagnostics.len() > 1 {
        // Machine formats keep standard output to one record per line.
        eprintln!("{}", summary(diagnostics));
    }
}

/// The human format, all diagnostics.
pub(crate) fn human(diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for d in diagnostics.iter().take(SHOWN) {
        out.push_str(&human_one(d, &renderer));
        out.push_str("\n\n");
    }
    if diagnostics.len() > SHOWN {
        out.push_str(&format!(
            "… and {} more not shown\n",
            diagnostics.len() - SHOWN
        ));
    }
    if diagnostics.len() > 1 {
        out.push_str(&summary(diagnostics));
        out.push('\n');
    }
    out
}

/// One line that counts the diagnostics by severity and code, most frequent code first
/// (`867 errors: 481 missing-page, 333 missing-anchor, …`): what someone importing a tree
/// reads first, when hundreds of messages have scrolled past.
pub(crate) fn summary(diagnostics: &[Diagnostic]) -> String {
    let mut parts = Vec::new();
    for (severity, one, many) in [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
    ] {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for d in diagnostics.iter().filter(|d| d.severity == severity) {
            *counts.entry(d.code).or_default() += 1;
        }
        let total: usize = counts.values().sum();
        if total == 0 {
            continue;
        }
        let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let codes: Vec<String> = by_count.iter().map(|(c, n)| format!("{n} {c}")).collect();
        let noun = if total == 1 { one } else { many };
        parts.push(format!("{total} {noun} ({})", codes.join(", ")));
    }
    parts.join(", ")
}

fn human_one(d: &Diagnostic, renderer: &Renderer) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut groups = Vec::new();
    let title = level.primary_title(d.message.as_str()).id(d.code);
    match &d.location {
        Some(at) if !at.source_line.is_empty() => {
            let line = at.source_line.as_str();
            let start = line
                .char_indices()
                .nth(at.column.saturating_sub(1 + at.source_start))
                .map_or(line.len(), |(i, _)| i);
            let end = line[start..]
                .char_indices()
                .nth(at.span)
                .map_or(line.len(), |(i, _)| start + i)
                .max((start + 1).min(line.len()));
            let snippet = Snippet::source(line)
                .line_start(at.line)
                .annotation(AnnotationKind::Primary.span(start..end));
            groups.push(if at.source_start == 0 {
                title.element(snippet.path(at.path.display().to_string()))
            } else {
                // A window of a long line: the place is said whole, the window shown.
                title
                    .element(
                        Origin::path(at.path.display().to_string())
                            .line(at.line)
                            .char_column(at.column),
                    )
                    .element(snippet)
            });
        }
        Some(at) => {
            groups.push(title.element(Level::NOTE.message(format!("in {}", at.path.display()))));
        }
        None => groups.push(Group::with_title(title)),
    }
    groups.push(Group::with_title(Level::HELP.secondary_title(d.help())));
    renderer.render(&groups)
}

/// One diagnostic as a JSON object: `{severity, code, file, line, column, message, hint, url}`,
/// `url` being the address of the code's page in the manual.
pub(crate) fn json(d: &Diagnostic) -> String {
    let at = d.location.as_ref();
    serde_json::json!({
        "severity": d.severity,
        "code": d.code,
        "file": at.map(|a| a.path.display().to_string()),
        "line": at.map(|a| a.line),
        "column": at.map(|a| a.column),
        "message": d.message,
        "hint": d.hint,
        "url": d.url(),
    })
    .to_string()
}

/// Escapes text for a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes text for a workflow command's property.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One diagnostic as a GitHub Actions workflow command (`::error file=…,line=…::…`), its
/// message ending with the address of the code's page.
pub(crate) fn github(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(at) = &d.location {
        properties.push(format!(
            "file={}",
            escape_property(&at.path.display().to_string())
        ));
        properties.push(format!("line={}", at.line));
        properties.push(format!("col={}", at.column));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("kbsite {}", d.code))
    ));
    let mut message = d.message.clone();
    if let Some(h) = &d.hint {
        message.push_str(&format!(" ({h})"));
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&d.with_url(&message))
    )
}

/// Whether standard error is a terminal that wants colour.
pub(crate) fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kbsite::Location;
    use std::path::Path;

    fn sample() -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: kbsite::codes::MISSING_ARTICLE,
            location: Some(Location::from_line_col(
                Path::new("content/a,b.md"),
                "x\n[a](b.md)\n",
                2,
                5,
            )),
            message: "link to a missing article: 100%\nreally".into(),
            hint: Some("did you mean `c.md`?".into()),
        }
    }

    #[test]
    fn github_commands_escape_their_parts() {
        assert_eq!(
            github(&sample()),
            "::error file=content/a%2Cb.md,line=2,col=5,title=kbsite missing-article::link to a missing article: 100%25%0Areally (did you mean `c.md`?) — see https://kbsite.dev/diagnostics/missing-article/"
        );
    }

    #[test]
    fn json_lines_have_every_field() {
        let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], kbsite::codes::MISSING_ARTICLE);
        assert_eq!(v["file"], "content/a,b.md");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(2), Some(5))
        );
        assert_eq!(v["hint"], "did you mean `c.md`?");
        assert_eq!(v["url"], "https://kbsite.dev/diagnostics/missing-article/");
    }

    #[test]
    fn human_shows_code_place_line_and_hint() {
        let text = human(&[sample()], false);
        assert!(
            text.contains("error[missing-article]: link to a missing article"),
            "{text}"
        );
        assert!(text.contains("--> content/a,b.md:2:5"), "{text}");
        assert!(text.contains("2 | [a](b.md)"), "{text}");
        assert!(
            text.contains(
                "help: did you mean `c.md`? — see https://kbsite.dev/diagnostics/missing-article/\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn without_a_hint_the_help_line_is_the_address_of_the_page() {
        let d = Diagnostic {
            hint: None,
            ..sample()
        };
        let text = human(std::slice::from_ref(&d), false);
        assert!(
            text.contains("help: see https://kbsite.dev/diagnostics/missing-article/\n"),
            "{text}"
        );
        assert!(
            github(&d).ends_with("really — see https://kbsite.dev/diagnostics/missing-article/")
        );
        let v: serde_json::Value = serde_json::from_str(&json(&d)).unwrap();
        assert_eq!(v["hint"], serde_json::Value::Null);
        assert_eq!(v["url"], "https://kbsite.dev/diagnostics/missing-article/");
    }
}
