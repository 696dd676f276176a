//! CSV data files, the only user of the `csv` crate: a file is a list of rows, each a mapping
//! from the names in its first line to its fields, in the columns' order. Fields are text
//! (`{{ row.cena | int }}` makes a number of one), without the spaces around them.
//!
//! The separator is `,`, or `;` (what a spreadsheet set to Polish saves, since `,` is its
//! decimal point) or a tab when the first line holds more of those.

use super::{DataValue, Unreadable};

/// The separator of a CSV text: the one its first line holds most of, outside quotes (`,` on
/// a tie, and for a single column).
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(s, _)| *s == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .fold((b',', 0), |best, &c| if c.1 > best.1 { c } else { best })
        .0
}

/// The rows of a CSV text (without a byte order mark).
pub(super) fn rows(text: &str) -> Result<DataValue, Unreadable> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| problem(&e))?.clone();
    for (i, name) in header.iter().enumerate() {
        let column = i + 1;
        if name.is_empty() {
            return Err(Unreadable {
                message: format!("column {column} of the first line has no name"),
                line: 1,
                column: 1,
                hint: "the first line names the columns: give every column a name".into(),
            });
        }
        if header.iter().take(i).any(|n| n == name) {
            return Err(Unreadable {
                message: format!("the first line names two columns `{name}`"),
                line: 1,
                column: 1,
                hint: "give every column its own name: they are the keys of each row".into(),
            });
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| problem(&e))?;
        let row = header
            .iter()
            .zip(record.iter())
            .map(|(name, field)| (name.to_string(), DataValue::Text(field.to_string())))
            .collect();
        rows.push(DataValue::Map(row));
    }
    Ok(DataValue::List(rows))
}

/// What the reader said, at the line of the row it was reading.
fn problem(e: &csv::Error) -> Unreadable {
    let line = e
        .position()
        .map_or(1, |p| usize::try_from(p.line()).unwrap_or(1).max(1));
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Unreadable {
            message: format!(
                "this row has {len} {}, the first line names {expected_len} columns",
                if *len == 1 { "field" } else { "fields" }
            ),
            line,
            column: 1,
            hint: "give every row as many fields as there are columns, and quote a field that holds the separator: \"12,50 zł\"".into(),
        },
        _ => Unreadable {
            message: e.to_string(),
            line,
            column: 1,
            hint: "write one row a line, fields separated by `,` (or `;`), text with the separator in double quotes".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> String {
        serde_json::to_string(&rows(text).unwrap()).unwrap()
    }

    #[test]
    fn rows_are_mappings_in_the_columns_order() {
        assert_eq!(
            json("pakiet, cena\nStart, 490\n\n\"Pro, z reklamą\",\"1 290\"\n"),
            r#"[{"pakiet":"Start","cena":"490"},{"pakiet":"Pro, z reklamą","cena":"1 290"}]"#
        );
        assert_eq!(json("a\n"), "[]", "a header alone is no row");
    }

    #[test]
    fn a_semicolon_or_tab_separated_file_is_read_as_such() {
        assert_eq!(
            json("pakiet;cena\nStart;12,50 zł\n"),
            r#"[{"pakiet":"Start","cena":"12,50 zł"}]"#
        );
        assert_eq!(json("a\tb\n1\t2\n"), r#"[{"a":"1","b":"2"}]"#);
        assert_eq!(
            separator("\"a;b\",c\n"),
            b',',
            "quoted separators do not count"
        );
    }

    #[test]
    fn bad_rows_and_headers_say_where() {
        let e = rows("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(
            e.message
                .contains("has 1 field, the first line names 2 columns"),
            "{e:?}"
        );
        assert!(
            rows("a,,c\n1,2,3\n")
                .unwrap_err()
                .message
                .contains("column 2")
        );
        assert!(
            rows("a,a\n1,2\n")
                .unwrap_err()
                .message
                .contains("two columns `a`")
        );
    }
}
