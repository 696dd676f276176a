//! The only module that names `serde_yaml`, so the YAML parser can be swapped in one place.
//!
//! Config files and front matter are both "a top-level YAML mapping whose keys we check one by
//! one". This module turns such a document into [`Entry`] values: the key, its value as
//! `serde_json::Value` (the neutral type the rest of kbsite and the templates use) and the line
//! the key is written on, so a wrong value can be reported at its real line.

use serde_json::Value;

/// One top-level `key: value` pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as written.
    pub key: String,
    /// The value, converted to JSON's data model.
    pub value: Value,
    /// 1-based line of the key inside the YAML text.
    pub line: usize,
    /// 1-based column of the key inside the YAML text.
    pub column: usize,
}

/// Why a YAML text could not be read, with a 1-based position inside that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// What the parser said, without its own position suffix.
    pub message: String,
    /// 1-based line inside the YAML text.
    pub line: usize,
    /// 1-based column inside the YAML text.
    pub column: usize,
}

impl SyntaxError {
    /// How to fix it, chosen by what the parser said, in words an author understands.
    pub(crate) fn hint(&self) -> String {
        let m = self.message.as_str();
        let hint = if m.contains("repetition limit") {
            "anchors and aliases (`&a`, `*a`) expand into too much data; write the values out"
        } else if m.contains("recursion limit") {
            "the value is nested too deeply; flatten it"
        } else if m.contains("flow sequence") {
            "close the list with `]`, or quote an item that contains `,`, `[` or `]`"
        } else if m.contains("flow mapping") {
            "close the mapping with `}`, or quote a value that contains `,` or `}`"
        } else if m.contains("quoted scalar") {
            "end the quoted text with the same quote it starts with"
        } else if m.contains("written twice") {
            "keep one of the two lines"
        } else if m.contains("mapping values are not allowed") {
            "quote a value that contains `: `, e.g. title: \"SEO: podstawy\""
        } else if m.contains("more than one document") {
            "start every top-level field at the beginning of its line, without spaces"
        } else if m.contains("tab") {
            "indent with spaces, not tabs"
        } else {
            "check the indentation, and quote values that contain `: ` or `#` or start with `[`, `{`, `*`, `&` or `@`"
        };
        hint.to_string()
    }
}

/// The deepest nesting of `[` and `{` a document may have. The parser stops at 128 levels too,
/// but only after work that grows with the square of the text; this limit is checked in one
/// pass first.
pub(crate) const MAX_FLOW_DEPTH: usize = 100;

/// The place where `[`/`{` nesting first goes deeper than [`MAX_FLOW_DEPTH`], if it does:
/// one pass over the text, skipping quoted text and comments.
fn too_deep(text: &str) -> Option<SyntaxError> {
    let mut depth = 0usize;
    for (l, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (c, ch) in line.chars().enumerate() {
            match quote {
                Some(q) if ch == q => quote = None,
                Some(_) => {}
                None => match ch {
                    '"' | '\'' if matches!(previous, ' ' | '[' | '{' | ',' | ':') => {
                        quote = Some(ch)
                    }
                    '#' if previous.is_whitespace() => break,
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some(SyntaxError {
                                message: format!(
                                    "recursion limit exceeded: lists and mappings nested more than {MAX_FLOW_DEPTH} deep"
                                ),
                                line: l + 1,
                                column: c + 1,
                            });
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            previous = ch;
        }
    }
    None
}

/// Parses a YAML document that must be a mapping (or empty, or only comments).
pub(crate) fn parse_mapping(text: &str) -> Result<Vec<Entry>, SyntaxError> {
    if let Some(error) = too_deep(text) {
        return Err(error);
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| syntax_error(e, text))?;
    let mapping = match value {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Mapping(m) => m,
        other => {
            return Err(SyntaxError {
                message: format!("expected `key: value` lines, found {}", describe(&other)),
                line: first_content_line(text),
                column: 1,
            });
        }
    };
    let positions = top_level_key_positions(text);
    let mut entries = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = scalar_to_string(&key);
        let (line, column) = positions
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or((first_content_line(text), 1), |(_, l, c)| (*l, *c));
        entries.push(Entry {
            key,
            value: to_json(value),
            line,
            column,
        });
    }
    Ok(entries)
}

/// Parses a whole YAML document of any shape into `T`: a data file (a mapping or a list, its
/// keys in the order `T` keeps them), with the checks and located errors of
/// [`parse_mapping`]. An empty document is YAML's null.
pub(crate) fn parse_document<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, SyntaxError> {
    if let Some(error) = too_deep(text) {
        return Err(error);
    }
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    }) {
        return serde_yaml::from_str("~").map_err(|e| syntax_error(e, text));
    }
    serde_yaml::from_str(text).map_err(|e| syntax_error(e, text))
}

fn syntax_error(err: serde_yaml::Error, text: &str) -> SyntaxError {
    let (mut line, mut column) = err
        .location()
        .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    let full = err.to_string();
    // serde_yaml writes "<problem> at line X column Y[, while parsing|scanning <what> at line
    // A column B]".
    let (problem, context) = match full.split_once(", while ") {
        Some((p, c)) => (
            p,
            Some(
                c.trim_start_matches("parsing ")
                    .trim_start_matches("scanning "),
            ),
        ),
        None => (full.as_str(), None),
    };
    let mut message = problem
        .split(" at line ")
        .next()
        .unwrap_or(problem)
        .to_string();
    if let Some(context) = context {
        let (what, place) = context.split_once(" at line ").unwrap_or((context, ""));
        message = format!("{message} (while reading {what})");
        // An unclosed list, mapping or quote is found only where the parser gives up, often
        // lines later; its start is where the author has to look.
        let unclosed = what.contains("flow") || what.contains("quoted") || what.contains("scalar");
        if unclosed || line > text.lines().count() {
            let mut numbers = place
                .split(" column ")
                .map(|n| n.trim().parse::<usize>().ok());
            if let (Some(Some(l)), Some(Some(c))) = (numbers.next(), numbers.next()) {
                (line, column) = (l, c);
            }
        }
    }
    if let Some(key) = message.strip_prefix("duplicate entry with key ") {
        let key = key.trim_matches('"');
        let positions = top_level_key_positions(text);
        if let Some((_, l, c)) = positions.iter().filter(|(k, _, _)| k == key).nth(1) {
            (line, column) = (*l, *c);
        }
        message = format!("`{key}` is written twice");
    }
    SyntaxError {
        message,
        line,
        column,
    }
}

fn describe(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::String(_) => "a single text",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::Bool(_) => "a boolean",
        _ => "a single value",
    }
}

/// The first line of a front matter block or config that is neither blank nor a comment
/// (`#` starts one in YAML and TOML alike): where an error with no better place points.
pub(crate) fn first_content_line(text: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map_or(1, |i| i + 1)
}

/// Finds where each top-level key is written: a line that starts at column 1 with a key
/// followed by `:`. Block-style mappings (the only style front matter and configs use in
/// practice) always look like this; for anything else the caller falls back to line 1.
fn top_level_key_positions(text: &str) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '{' | '[' | '}' | ']') {
            continue;
        }
        if let Some(key) = leading_key(line) {
            found.push((key, i + 1, 1));
        }
    }
    found
}

fn leading_key(line: &str) -> Option<String> {
    let line = line.trim_end();
    if let Some(quote @ ('"' | '\'')) = line.chars().next() {
        let rest = &line[1..];
        let end = rest.find(quote)?;
        let after = rest[end + 1..].trim_start();
        return after.starts_with(':').then(|| rest[..end].to_string());
    }
    let colon = line
        .find(": ")
        .or_else(|| line.ends_with(':').then(|| line.len() - 1))?;
    Some(line[..colon].trim_end().to_string())
}

fn scalar_to_string(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Null => "null".into(),
        serde_yaml::Value::Tagged(t) => scalar_to_string(&t.value),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Text without control characters other than tab and line ends: a NUL or bell that YAML's
/// `"\0"` or a stray byte put in a title must not reach pages, feeds or search results, where
/// HTML and XML forbid them.
pub(crate) fn without_controls(text: String) -> String {
    if text.bytes().any(is_forbidden_control) {
        text.chars()
            .filter(|&c| !c.is_ascii_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect()
    } else {
        text
    }
}

/// Whether a byte is a control character that HTML and XML text may not hold.
pub(crate) fn is_forbidden_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f
}

fn to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(without_controls(s)),
        serde_yaml::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect())
        }
        serde_yaml::Value::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (scalar_to_string(&k), to_json(v)))
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => to_json(t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_from_text_values() {
        let e = parse_mapping("title: \"A\\0B\\aC\\tD\"\n").unwrap();
        assert_eq!(e[0].value, "ABC\tD");
    }

    #[test]
    fn deep_nesting_is_refused_in_one_pass_at_its_place() {
        let deep = format!("a: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
        let e = parse_mapping(&deep).unwrap_err();
        assert_eq!((e.line, e.column), (1, 4 + MAX_FLOW_DEPTH));
        assert!(e.hint().contains("nested too deeply"), "{}", e.hint());
        // Brackets inside quotes and comments do not count; ordinary nesting is fine.
        let quoted = format!(
            "a: \"{}\"\nb: [[1, 2], {{c: [3]}}] # {}\n",
            "[".repeat(500),
            "{".repeat(500)
        );
        assert_eq!(parse_mapping(&quoted).unwrap().len(), 2);
    }

    #[test]
    fn entries_carry_their_lines() {
        let entries = parse_mapping("# c\ntitle: A\n\ntags:\n  - x\n'odd key': 1\n").unwrap();
        let lines: Vec<_> = entries.iter().map(|e| (e.key.as_str(), e.line)).collect();
        assert_eq!(lines, vec![("title", 2), ("tags", 4), ("odd key", 6)]);
        assert_eq!(entries[1].value, serde_json::json!(["x"]));
    }

    #[test]
    fn empty_and_comment_only_documents_are_empty_mappings() {
        assert!(parse_mapping("").unwrap().is_empty());
        assert!(parse_mapping("# only a comment\n").unwrap().is_empty());
    }

    #[test]
    fn syntax_errors_have_positions_inside_the_text() {
        let err = parse_mapping("title: A\ntags: [a, b\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 7), "{err:?}");
        assert!(!err.message.contains(" at line "));
        assert!(err.message.contains("flow sequence"));
        let err = parse_mapping("title: \"Jak zacząć\ndate: 2024-01-01\n").unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (1, 8),
            "unclosed quote points at its start: {err:?}"
        );
        let err = parse_mapping("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (3, "`a` is written twice")
        );
    }

    #[test]
    fn a_list_is_not_a_mapping() {
        let err = parse_mapping("- a\n- b\n").unwrap_err();
        assert!(err.message.contains("a list"));
    }

    #[test]
    fn dates_stay_text() {
        let entries = parse_mapping("date: 2024-03-01\n").unwrap();
        assert_eq!(entries[0].value, Value::String("2024-03-01".into()));
    }
}
