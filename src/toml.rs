//! The only module that names `toml_edit`, so the TOML parser can be swapped in one place.
//!
//! Sites migrated from Hugo and Zola write front matter in TOML between `+++` lines. This
//! module turns such a block into the same [`Entry`] values YAML front matter gives (key,
//! value as `serde_json::Value`, and the line and column the key is written at), so every
//! field is checked, and every mistake reported, the same way whichever format the author
//! chose. `toml_edit` is used because it keeps the position of every key.

use serde_json::Value;
use toml_edit::{Item, Table};

pub(crate) use crate::yaml::{Entry, SyntaxError};

/// Parses a TOML document: its top-level keys (tables like `[extra]` included, as JSON
/// objects) in the order they are written. Dates and times become the text TOML writes them
/// as (`2024-03-01`, `2024-03-01T10:00:00+01:00`), which front matter dates accept.
pub(crate) fn parse_mapping(text: &str) -> Result<Vec<Entry>, SyntaxError> {
    let doc = toml_edit::Document::parse(text).map_err(|e| syntax_error(&e, text))?;
    let root = doc.as_table();
    let mut entries: Vec<(usize, Entry)> = root
        .iter()
        .map(|(key, item)| {
            let at = root
                .key(key)
                .and_then(toml_edit::Key::span)
                .map(|span| span.start);
            let (line, column) = match at {
                Some(offset) => line_column(text, offset),
                None => (crate::yaml::first_content_line(text), 1),
            };
            let entry = Entry {
                key: key.to_string(),
                value: item_to_json(item),
                line,
                column,
            };
            (at.unwrap_or(0), entry)
        })
        .collect();
    // Tables (`[extra]`) follow the plain keys in the parser's order; authors read top down.
    entries.sort_by_key(|(at, _)| *at);
    Ok(entries.into_iter().map(|(_, e)| e).collect())
}

/// Parses a whole TOML document into `T`: a data file, its tables in the order `T` keeps them
/// and its dates as the text they are written as, with [`parse_mapping`]'s located errors.
pub(crate) fn parse_document<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, SyntaxError> {
    let doc = toml_edit::Document::parse(text.to_string()).map_err(|e| syntax_error(&e, text))?;
    toml_edit::de::from_document(doc).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((crate::yaml::first_content_line(text), 1), |s| {
                line_column(text, s.start)
            });
        SyntaxError {
            message: e.message().to_string(),
            line,
            column,
        }
    })
}

/// How to fix a TOML syntax error, in words an author understands. The YAML hints of
/// [`SyntaxError::hint`] would send a TOML author the wrong way.
pub(crate) fn hint(error: &SyntaxError) -> String {
    let m = error.message.as_str();
    let hint = if m.contains("written twice") {
        "a key is written twice: keep one (a table like `[extra]` is also written only once)"
    } else if m.contains("is YAML") {
        "TOML writes `key = value`: title = \"…\" (or use YAML front matter between `---` lines)"
    } else if m.contains("string values must be quoted") {
        "quote text values: title = \"…\""
    } else if m.contains("unclosed array table") {
        "close the header of the list of tables with `]]`: [[name]]"
    } else if m.contains("inline table") {
        "close the table with `}` and separate its items with `,`: extra = { hero = \"a.png\" }"
    } else if m.contains("unclosed table") || m.contains("table open") {
        "close the table header with `]`: [extra]"
    } else if m.contains("array") {
        "close the list with `]` and separate its items with `,`: tags = [\"seo\", \"porady\"]"
    } else if m.starts_with("keys cannot") || m.contains("unquoted key") {
        "a bare key has only letters, digits, `-` and `_`: quote other keys, e.g. \"tytuł\" = \"…\""
    } else if m.contains("escaped value") || m.contains("unicode value") {
        "a `\\` in double quotes starts an escape: write `\\\\`, or use single quotes: 'C:\\pliki'"
    } else if m.contains("string") || m.contains("in quotes") {
        "end the text with the quote it starts with, on the same line (`\"\"\"` for text over several lines)"
    } else if m.contains("date") || m.contains("time") {
        "write dates as 2024-03-01 or 2024-03-01T10:00:00+01:00 (or quote the value)"
    } else if m.contains("boolean") {
        "write true or false, in lower case and without quotes"
    } else if m.contains("key with no value")
        || m.contains("missing value")
        || m.contains("missing assignment")
    {
        "write every field as key = value, each on its own line"
    } else if m.contains("unexpected key or value") || m.contains("unexpected content") {
        "put each key = value on its own line, and quote text values: title = \"…\""
    } else if m.contains("recursion") {
        "the value is nested too deeply; flatten it"
    } else if m.contains("number")
        || m.contains("integer")
        || m.contains("float")
        || m.contains("leading zero")
        || m.contains("digit")
    {
        "write numbers without leading zeros or quotes, e.g. weight = 10"
    } else {
        "every field is key = value: text in quotes (title = \"…\"), lists in `[ ]`, tables as `[name]`"
    };
    hint.to_string()
}

fn syntax_error(err: &toml_edit::TomlError, text: &str) -> SyntaxError {
    let span = err.span().unwrap_or(0..0);
    let mut offset = span.start.min(text.len());
    let raw = err.message();
    let mut message = raw
        .strip_suffix(", expected nothing")
        .unwrap_or(raw)
        .to_string();
    if raw == "duplicate key" {
        let key = text
            .get(span.clone())
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        message = format!("`{key}` is written twice");
    } else if raw.starts_with("key with no value")
        && let Some(colon) = yaml_style_colon(text, offset)
    {
        offset = colon;
        message = "`key: value` is YAML; TOML front matter writes `key = value`".to_string();
    } else if raw.starts_with("invalid ") && raw.contains("string") {
        // An unclosed quote is found only where its line (or the text) ends; its start is where
        // the author has to look.
        if let Some(start) = open_string_at(text, offset) {
            offset = start;
            message = "the text in quotes is not closed".to_string();
        }
    }
    let (line, column) = line_column(text, offset);
    SyntaxError {
        message,
        line,
        column,
    }
}

/// Where the `:` is when the line holding `offset` starts with `key:`, the YAML way of
/// writing a field.
fn yaml_style_colon(text: &str, offset: usize) -> Option<usize> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    let key_len = line
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(line.len());
    (key_len > 0 && line[key_len..].starts_with(':')).then_some(start + key_len)
}

/// Where the string still open at `offset` starts, if one is: a small scan of TOML's quotes
/// (basic, literal, and their multi-line forms) and comments from the beginning of the text.
fn open_string_at(text: &str, offset: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'#' => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            }
            quote @ (b'"' | b'\'') => {
                let start = i;
                let multi_line = bytes[i..].starts_with(&[quote; 3]);
                i += if multi_line { 3 } else { 1 };
                loop {
                    if i >= end {
                        return Some(start);
                    }
                    let b = bytes[i];
                    if quote == b'"' && b == b'\\' {
                        i += 2;
                    } else if multi_line && bytes[i..].starts_with(&[quote; 3]) {
                        i += 3;
                        break;
                    } else if !multi_line && b == quote {
                        i += 1;
                        break;
                    } else if !multi_line && b == b'\n' {
                        return (offset <= i).then_some(start);
                    } else {
                        i += 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn table_to_json(table: &Table) -> Value {
    Value::Object(
        table
            .iter()
            .map(|(k, item)| (k.to_string(), item_to_json(item)))
            .collect(),
    )
}

fn item_to_json(item: &Item) -> Value {
    match item {
        Item::None => Value::Null,
        Item::Value(v) => value_to_json(v),
        Item::Table(t) => table_to_json(t),
        Item::ArrayOfTables(tables) => Value::Array(tables.iter().map(table_to_json).collect()),
    }
}

fn value_to_json(value: &toml_edit::Value) -> Value {
    use toml_edit::Value as T;
    match value {
        T::String(s) => Value::String(crate::yaml::without_controls(s.value().clone())),
        T::Integer(i) => Value::from(*i.value()),
        // JSON has no NaN or infinity; like YAML's, such a value becomes null.
        T::Float(f) => serde_json::Number::from_f64(*f.value()).map_or(Value::Null, Value::Number),
        T::Boolean(b) => Value::Bool(*b.value()),
        T::Datetime(d) => Value::String(d.value().to_string()),
        T::Array(items) => Value::Array(items.iter().map(value_to_json).collect()),
        T::InlineTable(table) => Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.to_string(), value_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn value_of(text: &str, key: &str) -> Value {
        parse_mapping(text)
            .unwrap()
            .into_iter()
            .find(|e| e.key == key)
            .map(|e| e.value)
            .unwrap()
    }

    #[test]
    fn scalars_become_json() {
        let entries = parse_mapping(
            "title = \"Jak zacząć\"\nweight = 10\nratio = 1.5\ndraft = false\nslug = 'a\\b'\n",
        )
        .unwrap();
        let values: Vec<_> = entries.iter().map(|e| (e.key.as_str(), &e.value)).collect();
        assert_eq!(
            values,
            [
                ("title", &json!("Jak zacząć")),
                ("weight", &json!(10)),
                ("ratio", &json!(1.5)),
                ("draft", &json!(false)),
                ("slug", &json!("a\\b")),
            ]
        );
        assert_eq!(value_of("x = nan\n", "x"), Value::Null);
        assert_eq!(value_of("x = \"\"\"\nab\"\"\"\n", "x"), json!("ab"));
    }

    #[test]
    fn arrays_and_tables_become_lists_and_objects() {
        let text = "tags = [\"seo\", 'porady']\nauthors = [\n  \"Ala\",\n]\n\
                    seo.noindex = true\ncard = { hero = \"a.png\", size = [1, 2] }\n\n\
                    [taxonomies]\ntags = [\"x\"]\n\n[extra]\nhero = \"b.png\"\n\n[[faq]]\nq = \"?\"\n[[faq]]\nq = \"!\"\n";
        let entries = parse_mapping(text).unwrap();
        let keys: Vec<_> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "tags",
                "authors",
                "seo",
                "card",
                "taxonomies",
                "extra",
                "faq"
            ]
        );
        assert_eq!(entries[0].value, json!(["seo", "porady"]));
        assert_eq!(entries[1].value, json!(["Ala"]));
        assert_eq!(entries[2].value, json!({"noindex": true}));
        assert_eq!(entries[3].value, json!({"hero": "a.png", "size": [1, 2]}));
        assert_eq!(entries[4].value, json!({"tags": ["x"]}));
        assert_eq!(entries[5].value, json!({"hero": "b.png"}));
        assert_eq!(entries[6].value, json!([{"q": "?"}, {"q": "!"}]));
    }

    #[test]
    fn dates_become_the_text_they_are_written_as() {
        for (toml, expected) in [
            ("2024-03-01", "2024-03-01"),
            ("2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z"),
            ("2024-03-01 10:00:00+01:00", "2024-03-01T10:00:00+01:00"),
            ("2024-03-01t10:00:00z", "2024-03-01T10:00:00Z"),
            ("2024-03-01T10:00:00.5-07:00", "2024-03-01T10:00:00.5-07:00"),
            ("2024-03-01T10:00:00", "2024-03-01T10:00:00"),
            ("2024-03-01T10:00", "2024-03-01T10:00"),
            ("10:00:00", "10:00:00"),
        ] {
            let value = value_of(&format!("date = {toml}\n"), "date");
            assert_eq!(value, json!(expected));
        }
    }

    #[test]
    fn keys_carry_their_lines_and_columns() {
        let text = "# komentarz\ntitle = \"A\"\n\n  \"odd key\" = 1\ndate = 2024-01-01\n\n[extra]\nhero = \"x\"\n";
        let entries = parse_mapping(text).unwrap();
        let at: Vec<_> = entries
            .iter()
            .map(|e| (e.key.as_str(), e.line, e.column))
            .collect();
        assert_eq!(
            at,
            [
                ("title", 2, 1),
                ("odd key", 4, 3),
                ("date", 5, 1),
                ("extra", 7, 2)
            ]
        );
    }

    #[test]
    fn empty_and_comment_only_documents_are_empty() {
        assert!(parse_mapping("").unwrap().is_empty());
        assert!(parse_mapping("# tylko komentarz\r\n").unwrap().is_empty());
    }

    #[test]
    fn crlf_lines_count_like_lf() {
        let entries = parse_mapping("title = \"A\"\r\ndraft = true\r\n").unwrap();
        assert_eq!((entries[1].line, entries[1].column), (2, 1));
    }

    #[test]
    fn syntax_errors_have_positions_and_hints() {
        let err = parse_mapping("title = \"A\"\ndescription = \"Zażółć gęślą\ndate = 2024-01-01\n")
            .unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (2, 15),
            "unclosed quote points at its start: {err:?}"
        );
        assert!(hint(&err).contains("quote"), "{}", hint(&err));

        let err = parse_mapping("title = Jak zacząć\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 9));
        assert_eq!(hint(&err), "quote text values: title = \"…\"");

        let err = parse_mapping("title = \"A\"\n[extra\nhero = 1\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(hint(&err).contains("close the table header with `]`"));

        let err = parse_mapping("a = 1\nb = 2\na = 3\n").unwrap_err();
        assert_eq!(
            (err.line, err.column, err.message.as_str()),
            (3, 1, "`a` is written twice")
        );
        assert!(hint(&err).starts_with("a key is written twice: keep one"));

        let err = parse_mapping("[extra]\nx = 1\n[extra]\ny = 2\n").unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (3, "`extra` is written twice")
        );

        let err = parse_mapping("tags = [\"a\" \"b\"]\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 13));
        assert!(hint(&err).contains("close the list"));

        let err = parse_mapping("draft = True\n").unwrap_err();
        assert!(hint(&err).contains("true or false"));

        let err = parse_mapping("title = \"A\"\ndate = 2024-13-01\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 8));
        assert!(hint(&err).contains("2024-03-01"));

        let err = parse_mapping("title: \"A\"\n").unwrap_err();
        assert!(err.message.contains("is YAML"), "{err:?}");
        assert_eq!((err.line, err.column), (1, 6), "at the colon");
        assert!(hint(&err).contains("key = value"));
        assert!(!err.message.contains("expected nothing"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let err = parse_mapping("title = \"Zażółć\" gęślą\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 18), "{err:?}");
    }

    #[test]
    fn open_strings_are_found_after_comments_and_escapes() {
        let text = "# \"not a string\nt = \"a\\\"b\" # '\nu = 'x\n";
        let at = text.rfind('\'').unwrap();
        assert_eq!(open_string_at(text, text.len() - 1), Some(at));
        assert_eq!(open_string_at("t = \"\"\"\nab\n", 10), Some(4));
        assert_eq!(open_string_at("t = \"a\"\n", 7), None);
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,200}") {
            if let Err(e) = parse_mapping(&text) {
                prop_assert!(e.line >= 1 && e.column >= 1);
                let _ = hint(&e);
            }
        }

        #[test]
        fn parsing_toml_like_text_never_panics(
            lines in proptest::collection::vec("[a-z\"'=\\[\\]{},.#: 0-9\\\\-]{0,20}", 0..8),
        ) {
            let text = lines.join("\n");
            if let Err(e) = parse_mapping(&text) {
                prop_assert!(e.line <= lines.len().max(1) + 1, "{e:?}");
            }
        }

        #[test]
        fn key_value_lines_round_trip_with_their_lines(
            fields in proptest::collection::btree_map("[a-z][a-z0-9_-]{0,10}", "[a-zA-Z0-9 ąęłóśżź.,!?-]{0,20}", 0..8),
            gaps in proptest::collection::vec(0usize..3, 8),
            crlf in any::<bool>(),
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            let mut expected = Vec::new();
            let mut line = 1;
            for ((key, value), gap) in fields.iter().zip(&gaps) {
                for _ in 0..*gap {
                    text.push_str(&format!("# komentarz{nl}"));
                    line += 1;
                }
                text.push_str(&format!("{key} = \"{value}\"{nl}"));
                expected.push((key.clone(), json!(value), line, 1));
                line += 1;
            }
            let got: Vec<_> = parse_mapping(&text)
                .unwrap()
                .into_iter()
                .map(|e| (e.key, e.value, e.line, e.column))
                .collect();
            prop_assert_eq!(got, expected);
        }
    }
}
