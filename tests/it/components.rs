//! Components in Markdown: the default theme's (figure, youtube, vimeo, callout, toc), the
//! site's own, included snippets, and the errors of calls that cannot be made.

use scraper::{Html, Selector};

use crate::fixture::{Site, article, article_body, assert_has};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector).collect()
}

fn attr(e: &scraper::ElementRef<'_>, name: &str) -> String {
    e.value().attr(name).unwrap_or_default().to_string()
}

/// A site whose article `a.md` has `body`.
fn site_with(body: &str) -> Site {
    Site::new()
        .file("content/a.md", &article("Artykuł", "2024-01-01", "", body))
        .file("static/wykres.png", "nie-do-pokazania")
        .file("snippets/cennik.md", "Cennik: **od 100 zł**, [o nas](/).\n")
}

#[test]
fn the_default_components_render_where_they_are_called() {
    let site = site_with(
        "{{ toc() }}\n\n## Wstęp\n\n{{ youtube(id=\"dQw4w9WgXcQ\", title=\"Jak zacząć\") }}\n\n\
         {{ vimeo(id=\"76979871\") }}\n\n\
         {% figure(src=\"/wykres.png\", alt=\"Wykres sprzedaży\") %}\nSprzedaż w **2024**.\n{% end %}\n\n\
         {% callout(kind=\"warning\", title=\"Uwaga na koszty\") %}\nSprawdź [cennik](#wstep).\n{% end %}\n\n\
         Kod: `{{ youtube(id=\"x\") }}`.\n",
    );
    site.build(&["-q"]);
    let html = site.read("a/index.html");
    let doc = Html::parse_document(&html);

    let toc = select(&doc, "main nav.toc--inline a");
    assert_eq!(toc.len(), 1);
    assert_eq!(attr(&toc[0], "href"), "#wstep");

    // Nothing is loaded from the film services until the reader clicks.
    assert!(select(&doc, "iframe").is_empty());
    let videos = select(&doc, "main div.video");
    assert_eq!(videos.len(), 2);
    assert_eq!(
        attr(&videos[0], "data-video-src"),
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    );
    assert_eq!(
        attr(&videos[1], "data-video-src"),
        "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"
    );
    let play: String = select(&doc, "main .video__play")[0].text().collect();
    assert!(play.contains("Odtwórz film: Jak zacząć"), "{play}");
    assert!(
        site.output("video.js").exists(),
        "the click-to-load script is published"
    );

    let figure = select(&doc, "main figure.figure");
    assert_eq!(figure.len(), 1);
    let img = select(&doc, "main figure.figure img")[0];
    assert_eq!(attr(&img, "src"), "/wykres.png");
    assert_eq!(attr(&img, "alt"), "Wykres sprzedaży");
    let caption = select(&doc, "main figure.figure figcaption strong");
    assert_eq!(caption[0].text().collect::<String>(), "2024");

    let callout = select(&doc, "main div.callout.callout-warning");
    let text: String = callout[0].text().collect();
    assert!(
        text.contains("Uwaga na koszty") && text.contains("Sprawdź cennik"),
        "{text}"
    );

    // Code shows the call as written.
    let code: String = select(&doc, "main p code")[0].text().collect();
    assert_eq!(code, "{{ youtube(id=\"x\") }}");
}

#[test]
fn a_site_component_overrides_the_theme_and_new_ones_can_be_added() {
    let site = site_with("{{ youtube(id=\"abc\") }}\n\n{{ cena(kwota=100, waluta=\"zł\") }}\n")
        .file(
            "templates/components/youtube.html",
            "<p class=\"moj-film\">{{ id }}</p>",
        )
        .file(
            "templates/components/cena.html",
            "<p class=\"cena\">{{ kwota }} {{ waluta }} ({{ lang }})</p>",
        );
    site.build(&["-q"]);
    let doc = Html::parse_document(&site.read("a/index.html"));
    let own: String = select(&doc, "main p.moj-film")[0].text().collect();
    assert_eq!(own, "abc");
    let price: String = select(&doc, "main p.cena")[0].text().collect();
    assert_eq!(price, "100 zł (pl)");
}

#[test]
fn snippets_are_included_as_markdown() {
    let site = site_with("Przed.\n\n{{ include(path=\"snippets/cennik.md\") }}\n\nPo.\n");
    site.build(&["-q"]);
    let doc = Html::parse_document(&site.read("a/index.html"));
    let paragraphs: Vec<String> = select(&doc, "main .prose p")
        .iter()
        .map(|p| p.text().collect::<String>().replace('\u{a0}', " "))
        .collect();
    assert_eq!(paragraphs, ["Przed.", "Cennik: od 100 zł, o nas.", "Po."]);
    assert_eq!(select(&doc, "main .prose p strong").len(), 1);
    assert_eq!(attr(&select(&doc, "main .prose p a")[0], "href"), "/");
    // Its words are the article's: search finds them.
    let run = site.run(&["search", "cennik", "--json"]);
    let hits: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(hits[0]["title"], "Artykuł", "{}", run.stdout);
}

#[test]
fn calls_that_cannot_be_made_are_errors_at_their_line() {
    let site = Site::new()
        .file(
            "content/a.md",
            &article(
                "A",
                "2024-01-01",
                "",
                "Tekst.\n\n{{ yutube(id=\"x\") }}\n\n{{ figure(src=\"brak.png\", alt=\"x\") }}\n\n{{ youtube(id=bez_cudzyslowu) }}\n\n{{ include(path=\"snippets/petla.md\") }}\n\n{{ include(path=\"../kbsite.yaml\") }}\n\n{% callout(kind=\"tip\") %}\nbez końca\n",
            ),
        )
        .file(
            "snippets/petla.md",
            "{{ include(path=\"snippets/petla.md\") }}\n",
        );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    // The body starts on line 6 of the file.
    assert_has(&diags, "unknown-component", "content/a.md", 8, 1);
    assert_has(&diags, "missing-file", "content/a.md", 10, 1);
    assert_has(&diags, "component-syntax", "content/a.md", 12, 1);
    assert_has(&diags, "include-cycle", "content/a.md", 14, 1);
    assert_has(&diags, "missing-include", "content/a.md", 16, 1);
    assert_has(&diags, "component-syntax", "content/a.md", 18, 1);
    let unknown = diags
        .iter()
        .find(|d| d.code == "unknown-component")
        .unwrap();
    assert!(unknown.message.contains("yutube"), "{}", unknown.message);
    assert!(!site.path().join("public").exists(), "nothing is written");
}

#[test]
fn a_component_with_a_body_and_a_figure_render_as_in_the_snapshots() {
    let site = site_with(
        "{% callout(kind=\"tip\", title=\"Na skróty\") %}\nZaplanuj posty na **cały tydzień**.\n{% end %}\n\n\
         {% figure(src=\"/wykres.png\", alt=\"Wykres sprzedaży\") %}\nSprzedaż w 2024 roku.\n{% end %}\n",
    );
    site.build(&["-q"]);
    let html = site.read("a/index.html");
    insta::assert_snapshot!(article_body(&html));
}
