//! GitHub-style alerts rendered as callouts: each kind with its label in the page's language,
//! Markdown inside them, plain quotes and code left alone.

use scraper::{Html, Selector};

use crate::fixture::{Site, article, article_body};

const ALL_KINDS: &str = "> [!NOTE]\n> Zwykła *notatka*.\n\n\
> [!TIP]\n> Użyj [skrótu](#).\n\n\
> [!IMPORTANT]\n> Ważne.\n\n\
> [!WARNING]\n> Ostrożnie.\n\n\
> [!CAUTION]\n> Nie rób tego.\n\n\
> Zwykły cytat.\n\n\
```\n> [!NOTE]\n> w kodzie\n```\n";

/// `(kind class, label, text)` of every callout of a page, in order.
fn callouts(html: &str) -> Vec<(String, String, String)> {
    let doc = Html::parse_document(html);
    let callout = Selector::parse("main div.callout").unwrap();
    let title = Selector::parse("p.callout-title").unwrap();
    doc.select(&callout)
        .map(|c| {
            assert_eq!(c.value().attr("role"), Some("note"));
            let kind = c
                .value()
                .classes()
                .find(|k| k.starts_with("callout-"))
                .unwrap()
                .to_string();
            let label = c.select(&title).next().unwrap().text().collect::<String>();
            let whole = c.text().collect::<String>();
            let text = whole
                .trim()
                .strip_prefix(&label)
                .expect("the label comes first");
            (kind, label, text.trim().to_string())
        })
        .collect()
}

#[test]
fn every_alert_kind_is_a_labelled_callout() {
    let site = Site::new()
        .file(
            "content/porady.md",
            &article("Porady", "2024-01-01", "", ALL_KINDS),
        )
        .file(
            "content/tips.md",
            &article(
                "Tips",
                "2024-01-02",
                "lang: en\n",
                "> [!CAUTION]\n> Careful.\n",
            ),
        );
    site.build(&["-q"]);
    let html = site.read("porady/index.html");
    assert_eq!(
        callouts(&html),
        [
            ("callout-note", "Notatka", "Zwykła notatka."),
            ("callout-tip", "Wskazówka", "Użyj skrótu."),
            ("callout-important", "Ważne", "Ważne."),
            ("callout-warning", "Ostrzeżenie", "Ostrożnie."),
            ("callout-caution", "Uwaga", "Nie rób tego."),
        ]
        .map(|(k, l, t)| (k.to_string(), l.to_string(), t.to_string()))
    );
    let doc = Html::parse_document(&html);
    let em = Selector::parse("div.callout-note em").unwrap();
    assert_eq!(doc.select(&em).count(), 1, "Markdown inside a callout");
    let quote = Selector::parse("main blockquote").unwrap();
    let quotes: Vec<String> = doc
        .select(&quote)
        .map(|q| q.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(quotes, ["Zwykły cytat."], "a plain quote stays a quote");
    let code = Selector::parse("main pre code").unwrap();
    let code_text: String = doc.select(&code).flat_map(|c| c.text()).collect();
    assert!(code_text.contains("[!NOTE]"), "code is never a callout");

    let english = site.read("en/tips/index.html");
    assert_eq!(callouts(&english)[0].1, "Caution");
}

#[test]
fn a_callout_renders_as_in_the_snapshot() {
    let site = Site::new().file(
        "content/porada.md",
        &article(
            "Porada",
            "2024-01-01",
            "",
            "Wstęp.\n\n> [!TIP]\n> Zaplanuj posty na **cały tydzień**:\n>\n> - poniedziałek\n> - środa\n",
        ),
    );
    site.build(&["-q"]);
    let html = site.read("porada/index.html");
    insta::assert_snapshot!(article_body(&html));
}
