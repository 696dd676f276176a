//! Prints library errors for people: `file:LINE:COL`, the source line with the problem
//! underlined, and a hint. Colour only on a terminal.

use std::io::IsTerminal;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use kbsite::Error;

/// Renders one error (all of them, for `Error::Many`) to a string.
pub fn render(error: &Error, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let all = error.flatten();
    let mut out = String::new();
    const SHOWN: usize = 50;
    for e in all.iter().take(SHOWN) {
        out.push_str(&render_one(e, &renderer));
        out.push('\n');
    }
    if all.len() > SHOWN {
        out.push_str(&format!(
            "… and {} more errors not shown\n",
            all.len() - SHOWN
        ));
    }
    if all.len() > 1 {
        out.push_str(&format!("error: build failed with {} errors\n", all.len()));
    }
    out
}

fn render_one(error: &Error, renderer: &Renderer) -> String {
    let message = error.message();
    let hint = error.hint();
    let mut groups = Vec::new();
    match error.location() {
        Some(at) if !at.source_line.is_empty() => {
            let path = at.path.display().to_string();
            let line = &at.source_line;
            let start = line
                .char_indices()
                .nth(at.column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
            let end = line[start..]
                .char_indices()
                .nth(at.span)
                .map_or(line.len(), |(i, _)| start + i)
                .max((start + 1).min(line.len()));
            let title = Level::ERROR.primary_title(message.clone()).element(
                Snippet::source(line.as_str())
                    .line_start(at.line)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
            groups.push(title);
        }
        Some(at) => {
            groups.push(Group::with_title(
                Level::ERROR.primary_title(format!("{}: {message}", at.path.display())),
            ));
        }
        None => groups.push(Group::with_title(Level::ERROR.primary_title(message))),
    }
    if let Some(h) = hint {
        groups.push(Group::with_title(Level::HELP.secondary_title(h)));
    }
    let mut text = String::new();
    // The first line names the place in the form editors and CI parse: file:LINE:COL: message.
    if let Some(at) = error.location() {
        text.push_str(&format!("{at}: {}\n", error.message()));
    }
    text.push_str(&renderer.render(&groups));
    text.push('\n');
    text
}

/// Whether standard error is a terminal that wants colour.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
