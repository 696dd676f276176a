//! Front matter dates, in the forms real sites use (including those migrated from Jekyll and
//! Hugo), kept with the precision the author wrote so output shows no invented times.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// A date, optionally with a time and a UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageDate {
    /// The calendar day.
    pub date: NaiveDate,
    /// The time of day, when written.
    pub time: Option<NaiveTime>,
    /// The UTC offset in seconds, when written.
    pub offset_seconds: Option<i32>,
}

/// The forms [`PageDate::parse`] accepts, for error messages.
pub(crate) const ACCEPTED_FORMS: &str = "YYYY-MM-DD, YYYY/MM/DD, YYYY-MM-DD HH:MM[:SS] [+HH:MM|Z], or RFC 3339 (2024-03-01T10:00:00+01:00)";

impl PageDate {
    /// Parses one of [`ACCEPTED_FORMS`].
    pub fn parse(text: &str) -> Option<PageDate> {
        let text = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Some(Self::from_fixed(dt));
        }
        for format in ["%Y-%m-%d", "%Y/%m/%d"] {
            if let Ok(date) = NaiveDate::parse_from_str(text, format) {
                return Some(PageDate {
                    date,
                    time: None,
                    offset_seconds: None,
                });
            }
        }
        let (date_time, zone) = split_zone(text);
        let date_time = date_time.trim();
        for format in [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y/%m/%d %H:%M:%S",
            "%Y/%m/%d %H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
        ] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(date_time, format) {
                let offset_seconds = match zone {
                    None => None,
                    Some(z) => Some(parse_offset(z)?),
                };
                return Some(PageDate {
                    date: naive.date(),
                    time: Some(naive.time()),
                    offset_seconds,
                });
            }
        }
        None
    }

    fn from_fixed(dt: DateTime<FixedOffset>) -> PageDate {
        PageDate {
            date: dt.date_naive(),
            time: Some(dt.time()),
            offset_seconds: Some(dt.offset().local_minus_utc()),
        }
    }

    /// ISO 8601 with the precision written: `2024-03-01` or `2024-03-01T10:00:00+01:00`.
    pub fn iso(&self) -> String {
        match self.time {
            None => self.date.format("%Y-%m-%d").to_string(),
            Some(time) => {
                let base = format!(
                    "{}T{}",
                    self.date.format("%Y-%m-%d"),
                    time.format("%H:%M:%S")
                );
                match self.offset_seconds {
                    Some(o) => format!("{base}{}", format_offset(o)),
                    None => base,
                }
            }
        }
    }

    /// The W3C datetime sitemaps accept: the day alone, or a full time with its zone (UTC when
    /// none was written).
    pub fn sitemap_date(&self) -> String {
        match self.time {
            None => self.date.format("%Y-%m-%d").to_string(),
            Some(_) => self.rfc3339(),
        }
    }

    /// Full RFC 3339 as feeds and sitemaps require: a missing time is midnight, a missing
    /// offset is UTC.
    pub fn rfc3339(&self) -> String {
        let time = self.time.unwrap_or(NaiveTime::MIN).format("%H:%M:%S");
        let offset = format_offset(self.offset_seconds.unwrap_or(0));
        format!("{}T{time}{offset}", self.date.format("%Y-%m-%d"))
    }

    /// The RFC 822 date RSS requires (`Fri, 01 Mar 2024 10:00:00 +0100`, with the four-digit
    /// year of RFC 2822): a missing time is midnight, a missing offset is UTC (`+0000`).
    pub fn rfc822(&self) -> String {
        let time = self.time.unwrap_or(NaiveTime::MIN).format("%H:%M:%S");
        let seconds = self.offset_seconds.unwrap_or(0);
        let sign = if seconds < 0 { '-' } else { '+' };
        let s = seconds.abs();
        format!(
            "{} {time} {sign}{:02}{:02}",
            self.date.format("%a, %d %b %Y"),
            s / 3600,
            (s % 3600) / 60
        )
    }
}

fn split_zone(text: &str) -> (&str, Option<&str>) {
    if let Some(rest) = text.strip_suffix('Z') {
        return (rest, Some("Z"));
    }
    if let Some(rest) = text.strip_suffix(" UTC") {
        return (rest, Some("Z"));
    }
    // An offset is the last `+` or a `-` after the time's colon.
    let time_start = text.find(':').unwrap_or(text.len());
    match text[time_start..].rfind(['+', '-']) {
        Some(i) => {
            let at = time_start + i;
            (&text[..at], Some(&text[at..]))
        }
        None => (text, None),
    }
}

fn parse_offset(zone: &str) -> Option<i32> {
    if zone == "Z" {
        return Some(0);
    }
    let sign = match zone.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

fn format_offset(seconds: i32) -> String {
    if seconds == 0 {
        return "Z".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

#[cfg(test)]
mod tests {
    use super::PageDate;

    fn iso(text: &str) -> Option<String> {
        PageDate::parse(text).map(|d| d.iso())
    }

    #[test]
    fn accepts_the_common_forms() {
        assert_eq!(iso("2024-03-01").as_deref(), Some("2024-03-01"));
        assert_eq!(iso("2024/03/01").as_deref(), Some("2024-03-01"));
        assert_eq!(
            iso("2024-03-01 10:30").as_deref(),
            Some("2024-03-01T10:30:00")
        );
        assert_eq!(
            iso("2024-03-01 10:30:15 +0100").as_deref(),
            Some("2024-03-01T10:30:15+01:00")
        );
        assert_eq!(
            iso("2024-03-01T10:30:00+01:00").as_deref(),
            Some("2024-03-01T10:30:00+01:00")
        );
        assert_eq!(
            iso("2024-03-01T10:30:00Z").as_deref(),
            Some("2024-03-01T10:30:00Z")
        );
        assert_eq!(
            iso("2024-03-01 10:30:00 -05:00").as_deref(),
            Some("2024-03-01T10:30:00-05:00")
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(iso("2024-02-30"), None);
        assert_eq!(iso("1 marca 2024"), None);
        assert_eq!(iso("2024-03-01 25:00"), None);
    }

    #[test]
    fn rfc3339_fills_midnight_utc() {
        let d = PageDate::parse("2024-03-01").unwrap();
        assert_eq!(d.rfc3339(), "2024-03-01T00:00:00Z");
    }

    #[test]
    fn rfc822_names_the_weekday_and_keeps_the_offset() {
        let rfc822 = |text: &str| PageDate::parse(text).unwrap().rfc822();
        assert_eq!(rfc822("2024-03-01"), "Fri, 01 Mar 2024 00:00:00 +0000");
        assert_eq!(
            rfc822("2024-03-01 10:30:15 +0100"),
            "Fri, 01 Mar 2024 10:30:15 +0100"
        );
        assert_eq!(
            rfc822("2023-12-31T23:59:00-05:30"),
            "Sun, 31 Dec 2023 23:59:00 -0530"
        );
        // Every written date gives a date the RFC 2822 parser reads back to the same instant.
        let d = PageDate::parse("2024-07-14 08:05 +02:00").unwrap();
        let back = chrono::DateTime::parse_from_rfc2822(&d.rfc822()).unwrap();
        assert_eq!(back.to_rfc3339(), "2024-07-14T08:05:00+02:00");
    }
}
