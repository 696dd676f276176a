//! Interface strings and date formats in Polish and English.
//!
//! Templates never hard-code words: they read `t.<key>`, so one theme serves both languages and
//! a page in English on a Polish site gets English labels.

use chrono::{Datelike, NaiveDate};

use crate::config::Language;

const PL: &[(&str, &str)] = &[
    ("skip_to_content", "Przejdź do treści"),
    ("home", "Strona główna"),
    ("sections", "Działy"),
    ("tags", "Tagi"),
    ("categories", "Kategorie"),
    ("table_of_contents", "Spis treści"),
    ("reading_time", "min czytania"),
    ("published", "Opublikowano"),
    ("updated", "Zaktualizowano"),
    ("previous", "Poprzedni"),
    ("next", "Następny"),
    ("newer", "Nowsze"),
    ("older", "Starsze"),
    ("page_n", "Strona"),
    ("of", "z"),
    ("articles", "Artykuły"),
    ("backlinks", "Linkują tutaj"),
    ("backlinks_all", "Wszystkie artykuły linkujące tutaj"),
    ("related", "Powiązane artykuły"),
    ("recently_updated", "Ostatnio zaktualizowane"),
    ("last_updated", "Ostatnia aktualizacja"),
    ("edit_page", "Edytuj tę stronę"),
    ("docs_nav", "Spis treści bazy wiedzy"),
    ("docs_nav_all", "Wszystkie artykuły działu"),
    ("all_articles", "Wszystkie artykuły"),
    ("read_more", "Czytaj dalej"),
    ("footnotes", "Przypisy"),
    ("not_found_title", "Nie znaleziono strony"),
    (
        "not_found_text",
        "Strona, której szukasz, nie istnieje albo została przeniesiona.",
    ),
    ("back_home", "Wróć na stronę główną"),
    ("all_tags", "Wszystkie tagi"),
    ("articles_count", "artykułów"),
    ("article_one", "artykuł"),
    ("article_few", "artykuły"),
    ("feed", "Kanał Atom"),
    ("rss_feed", "Kanał RSS"),
    ("llms_full", "Pełna treść artykułów w Markdownie"),
    ("llms_full_kept", "Artykuły w tym pliku:"),
    ("llms_full_all", "Pełna lista"),
    ("menu", "Menu"),
    ("theme_auto", "Motyw: jak w systemie"),
    ("theme_light", "Motyw: jasny"),
    ("theme_dark", "Motyw: ciemny"),
    ("newest_articles", "Najnowsze artykuły"),
    ("no_articles", "Nie ma jeszcze artykułów."),
    ("breadcrumbs", "Ścieżka"),
    ("pagination", "Strony"),
    ("redirecting", "Przekierowanie"),
    ("language_name", "Polski"),
    ("languages", "Języki"),
    ("redirect_text", "Ta strona została przeniesiona:"),
    ("search_label", "Szukaj"),
    ("search_title", "Wyszukiwanie"),
    ("search_placeholder", "Szukaj w bazie wiedzy"),
    ("search_results", "Wyniki wyszukiwania"),
    ("search_results_count", "wyników"),
    ("search_result_one", "wynik"),
    ("search_result_few", "wyniki"),
    ("search_no_results", "Brak wyników dla"),
    ("search_error", "Wyszukiwarka jest chwilowo niedostępna."),
    ("search_noscript", "Wyszukiwarka wymaga JavaScriptu."),
    ("video_play", "Odtwórz film"),
    ("code_copy", "Kopiuj"),
    ("code_copied", "Skopiowano"),
    ("code_copy_failed", "Nie udało się skopiować"),
    (
        "video_consent",
        "Film wczyta się z serwisu {service} dopiero po kliknięciu.",
    ),
];

const EN: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to content"),
    ("home", "Home"),
    ("sections", "Sections"),
    ("tags", "Tags"),
    ("categories", "Categories"),
    ("table_of_contents", "Contents"),
    ("reading_time", "min read"),
    ("published", "Published"),
    ("updated", "Updated"),
    ("previous", "Previous"),
    ("next", "Next"),
    ("newer", "Newer"),
    ("older", "Older"),
    ("page_n", "Page"),
    ("of", "of"),
    ("articles", "Articles"),
    ("backlinks", "Linked from"),
    ("backlinks_all", "All articles linking here"),
    ("related", "Related articles"),
    ("recently_updated", "Recently updated"),
    ("last_updated", "Last updated"),
    ("edit_page", "Edit this page"),
    ("docs_nav", "Knowledge base contents"),
    ("docs_nav_all", "All articles of the section"),
    ("all_articles", "All articles"),
    ("read_more", "Read more"),
    ("footnotes", "Footnotes"),
    ("not_found_title", "Page not found"),
    (
        "not_found_text",
        "The page you are looking for does not exist or has moved.",
    ),
    ("back_home", "Back to the home page"),
    ("all_tags", "All tags"),
    ("articles_count", "articles"),
    ("article_one", "article"),
    ("article_few", "articles"),
    ("feed", "Atom feed"),
    ("rss_feed", "RSS feed"),
    ("llms_full", "The full text of the articles in Markdown"),
    ("llms_full_kept", "Articles in this file:"),
    ("llms_full_all", "The full list"),
    ("menu", "Menu"),
    ("theme_auto", "Theme: as the system"),
    ("theme_light", "Theme: light"),
    ("theme_dark", "Theme: dark"),
    ("newest_articles", "Newest articles"),
    ("no_articles", "No articles yet."),
    ("breadcrumbs", "Breadcrumbs"),
    ("pagination", "Pages"),
    ("redirecting", "Redirecting"),
    ("language_name", "English"),
    ("languages", "Languages"),
    ("redirect_text", "This page has moved to:"),
    ("search_label", "Search"),
    ("search_title", "Search"),
    ("search_placeholder", "Search the knowledge base"),
    ("search_results", "Search results"),
    ("search_results_count", "results"),
    ("search_result_one", "result"),
    ("search_result_few", "results"),
    ("search_no_results", "No results for"),
    ("search_error", "Search is unavailable at the moment."),
    ("search_noscript", "Search needs JavaScript."),
    ("video_play", "Play video"),
    ("code_copy", "Copy"),
    ("code_copied", "Copied"),
    ("code_copy_failed", "Could not copy"),
    (
        "video_consent",
        "The video loads from {service} only when you click.",
    ),
];

/// The interface strings of a language, as `(key, text)` pairs.
pub(crate) fn strings(lang: Language) -> &'static [(&'static str, &'static str)] {
    match lang {
        Language::Pl => PL,
        Language::En => EN,
    }
}

/// One interface string.
pub(crate) fn text(lang: Language, key: &str) -> &'static str {
    strings(lang)
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, v)| v)
}

/// Which plural form a count takes: Polish has three (1 artykuł, 2 artykuły, 5 artykułów;
/// 22 artykuły but 12 artykułów), English two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PluralForm {
    /// Exactly one.
    One,
    /// Polish 2-4, 22-24, … (not 12-14).
    Few,
    /// Everything else.
    Many,
}

/// The plural form of `n` in `lang`.
pub(crate) fn plural_form(n: u64, lang: Language) -> PluralForm {
    match lang {
        _ if n == 1 => PluralForm::One,
        Language::Pl if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => {
            PluralForm::Few
        }
        _ => PluralForm::Many,
    }
}

const PL_MONTHS_GENITIVE: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Writes the day of an ISO date (`2026-11-27`, or with a time) for readers: `27 listopada
/// 2026` / `27 November 2026`, or short: `27.11.2026` / `2026-11-27`. `None` when the text does
/// not start with a date.
pub(crate) fn format_date(iso: &str, lang: Language, short: bool) -> Option<String> {
    let date = NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()?;
    let month = date.month0() as usize;
    Some(match (lang, short) {
        (Language::Pl, false) => format!(
            "{} {} {}",
            date.day(),
            PL_MONTHS_GENITIVE[month],
            date.year()
        ),
        (Language::En, false) => format!("{} {} {}", date.day(), EN_MONTHS[month], date.year()),
        (Language::Pl, true) => date.format("%d.%m.%Y").to_string(),
        (Language::En, true) => date.format("%Y-%m-%d").to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        assert_eq!(
            format_date("2026-11-27", Language::Pl, false).as_deref(),
            Some("27 listopada 2026")
        );
        assert_eq!(
            format_date("2026-11-27T10:00:00Z", Language::En, false).as_deref(),
            Some("27 November 2026")
        );
        assert_eq!(
            format_date("2026-03-01", Language::Pl, true).as_deref(),
            Some("01.03.2026")
        );
        assert_eq!(format_date("wczoraj", Language::Pl, false), None);
    }

    #[test]
    fn polish_plurals() {
        let forms: Vec<_> = [1, 2, 4, 5, 12, 14, 22, 25, 101, 104]
            .iter()
            .map(|n| plural_form(*n, Language::Pl))
            .collect();
        use PluralForm::*;
        assert_eq!(
            forms,
            [One, Few, Few, Many, Many, Many, Few, Many, Many, Few]
        );
        assert_eq!(plural_form(2, Language::En), Many);
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let pl: Vec<_> = PL.iter().map(|(k, _)| k).collect();
        let en: Vec<_> = EN.iter().map(|(k, _)| k).collect();
        assert_eq!(pl, en);
    }
}
