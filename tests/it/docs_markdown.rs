//! What writers of documentation expect from Markdown, on built sites: formulas as MathML and
//! their errors, code blocks with titles and marked lines, the tabs component with and
//! without JavaScript, Mermaid diagrams with and without the site's copy of Mermaid, the
//! scripts each page loads, and search over all of it.

use scraper::{Html, Selector};

use crate::fixture::{Site, article, assert_has, browser_report};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector).collect()
}

/// The `src` of every script of a page.
fn scripts(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    select(&doc, "script[src]")
        .iter()
        .map(|s| s.value().attr("src").unwrap_or_default().to_string())
        .map(|src| src.split('?').next().unwrap_or_default().to_string())
        .collect()
}

const TABS: &str = "Wybierz platformę.\n\n\
{% tabs(group=\"platforma\", label=\"Platforma\") %}\n\
{% tab(label=\"Facebook\") %}\nOtwórz **Meta Business Suite** i kliknij Zaplanuj.\n{% end %}\n\
{% tab(label=\"Instagram\") %}\nDodaj zdjęcie, bez niego nie ma posta.\n{% end %}\n\
{% tab(label=\"LinkedIn\") %}\nKliknij ikonę zegara obok przycisku Opublikuj.\n{% end %}\n\
{% end %}\n";

const CODE: &str = "Plik konfiguracyjny:\n\n\
```yaml title=\"kbsite.yaml\" linenos hl_lines=\"2\"\ntitle: \"Baza\"\nlanguage: pl\nsearch: true\n```\n";

const MATH: &str = "Wskaźnik liczymy tak:\n\n\
$$\\text{ROAS} = \\frac{\\text{przychód}}{\\text{koszt reklamy}}$$\n\n\
Cena 50 $ miesięcznie to nie wzór, $x^2$ już tak.\n\n\
Wzór szerszy niż telefon przewija się w bok:\n\n\
$$\\text{CLV} = \\sum_{t=1}^{T} \\frac{(\\text{przychód}_t - \\text{koszt obsługi}_t) \\cdot \\text{retencja}^{t}}{(1 + \\text{stopa dyskontowa})^{t}} - \\text{koszt pozyskania klienta}$$\n";

const DIAGRAM: &str = "Lejek:\n\n```mermaid\ngraph LR\n  Post --> Klik --> Zakup\n```\n";

/// A site with one article of each kind, linked to each other.
fn features_site() -> Site {
    let links =
        "\n\nZobacz [taby](taby.md), [kod](kod.md), [wzór](wzor.md), [diagram](diagram.md).\n";
    Site::new()
        .file(
            "content/porady/taby.md",
            &article("Taby", "2024-01-01", "", &format!("{TABS}{links}")),
        )
        .file(
            "content/porady/kod.md",
            &article("Kod", "2024-01-02", "", &format!("{CODE}{links}")),
        )
        .file(
            "content/porady/wzor.md",
            &article("Wzór", "2024-01-03", "", &format!("{MATH}{links}")),
        )
        .file(
            "content/porady/diagram.md",
            &article("Diagram", "2024-01-04", "", &format!("{DIAGRAM}{links}")),
        )
        .file(
            "content/porady/zwykly.md",
            &article("Zwykły", "2024-01-05", "", &format!("Sam tekst.{links}")),
        )
}

#[test]
fn each_page_loads_only_the_scripts_of_what_it_holds() {
    let site = features_site();
    site.build(&["-q"]);
    let has = |rel: &str, script: &str| scripts(&site.read(rel)).iter().any(|s| s == script);
    assert!(has("porady/kod/index.html", "/code.js"));
    assert!(!has("porady/kod/index.html", "/tabs.js"));
    assert!(has("porady/taby/index.html", "/tabs.js"));
    assert!(!has("porady/taby/index.html", "/code.js"));
    for rel in ["porady/wzor/index.html", "porady/zwykly/index.html"] {
        let all = scripts(&site.read(rel));
        assert_eq!(all, ["/site.js"], "{rel}: MathML needs no script");
    }
    // No copy of Mermaid: the diagram stays code and nothing is loaded for it.
    let diagram = scripts(&site.read("porady/diagram/index.html"));
    assert_eq!(diagram, ["/site.js"]);
    // The copy button speaks the page's language.
    let code = site.read("porady/kod/index.html");
    assert!(code.contains("data-copy=\"Kopiuj\" data-copied=\"Skopiowano\""));
}

#[test]
fn formulas_are_mathml_without_scripts_or_fonts() {
    let site = features_site();
    site.build(&["-q"]);
    let html = site.read("porady/wzor/index.html");
    let doc = Html::parse_document(&html);
    let block = select(
        &doc,
        "main .math-display[tabindex=\"0\"] > math[display=block]",
    );
    assert_eq!(block.len(), 2, "{html}");
    assert_eq!(select(&doc, "main math[display=inline]").len(), 1);
    assert!(html.contains("<mtext>koszt reklamy</mtext>"));
    assert!(
        html.contains("Cena 50 $ miesięcznie"),
        "the dollar stays text"
    );
    let css = site.read("style.css");
    assert!(!css.contains("@font-face"), "no web fonts");
}

#[test]
fn a_formula_that_does_not_parse_stops_the_build_at_its_line() {
    let body = "Pierwszy akapit.\n\nKoszt: $\\frac{a}{b}$ i zły wzór $a^b^c$ w tekście.\n";
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", body));
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    // Front matter is 5 lines; the body's third line is line 8.
    assert_has(&diags, "math-syntax", "content/a.md", 8, 33);
    assert!(
        diags[0].message.contains("`a^b^c`"),
        "the formula is shown: {diags:?}"
    );
    insta::assert_snapshot!(site.redact(&run.stderr));
}

#[test]
fn code_blocks_keep_their_text_for_search_and_copying() {
    let site = features_site();
    site.build(&["-q"]);
    let html = site.read("porady/kod/index.html");
    let doc = Html::parse_document(&html);
    let title: String = select(&doc, "main .code-block .code-block__title")[0]
        .text()
        .collect();
    assert_eq!(title, "kbsite.yaml");
    let lines = select(&doc, "main pre.code--linenos .line");
    assert_eq!(lines.len(), 3);
    let marked: Vec<String> = select(&doc, "main .line--hl")
        .iter()
        .map(|l| l.value().attr("data-n").unwrap_or_default().to_string())
        .collect();
    assert_eq!(marked, ["2"]);
    // The code's text, without numbers, is what a copy takes.
    let text: String = select(&doc, "main pre.code code")[0].text().collect();
    assert_eq!(text, "title: \"Baza\"\nlanguage: pl\nsearch: true\n");
    let run = site.run(&["search", "--json", "language"]);
    run.assert_ok();
    assert!(run.stdout.contains("porady/kod.md"), "{}", run.stdout);
}

#[test]
fn tabs_show_every_panel_under_its_label_without_javascript() {
    let site = features_site();
    site.build(&["-q"]);
    let html = site.read("porady/taby/index.html");
    let doc = Html::parse_document(&html);
    let tabs = select(&doc, "main div.tabs");
    assert_eq!(tabs.len(), 1);
    assert_eq!(tabs[0].value().attr("data-group"), Some("platforma"));
    let panels = select(&doc, "main div.tabs > div.tabs__panel");
    let labels: Vec<String> = panels
        .iter()
        .map(|p| p.value().attr("data-label").unwrap_or_default().to_string())
        .collect();
    assert_eq!(labels, ["Facebook", "Instagram", "LinkedIn"]);
    for panel in &panels {
        assert!(panel.value().attr("hidden").is_none(), "all panels show");
        let label: String = select(&Html::parse_fragment(&panel.html()), "p.tabs__label")[0]
            .text()
            .collect();
        assert_eq!(Some(label.as_str()), panel.value().attr("data-label"));
    }
    let tabs_html = tabs[0].html();
    insta::assert_snapshot!(tabs_html);
    // Search finds the text of every panel, not only the first.
    for (word, found) in [("Business", true), ("zdjęcie", true), ("zegara", true)] {
        let run = site.run(&["search", "--json", word]);
        run.assert_ok();
        assert_eq!(run.stdout.contains("porady/taby.md"), found, "{word}");
    }
}

#[test]
fn a_diagram_without_mermaid_is_code_and_check_says_how_to_add_it() {
    let site = features_site();
    let (run, diags) = site.diagnose(&["check"]);
    run.assert_ok();
    let warning = diags
        .iter()
        .find(|d| d.code == "mermaid-missing")
        .expect("a mermaid-missing warning");
    assert_eq!(warning.severity, "warning");
    assert_eq!(warning.file.as_deref(), Some("content/porady/diagram.md"));
    assert_eq!(warning.line, Some(8), "at the fence");
    assert!(
        run.stderr.contains("mermaid: static/mermaid.min.js"),
        "the hint says how: {}",
        run.stderr
    );
    site.build(&["-q"]);
    let html = site.read("porady/diagram/index.html");
    assert!(html.contains(
        "<div class=\"diagram\" data-diagram=\"mermaid\"><pre class=\"code diagram__source\""
    ));
    assert!(html.contains("Post --&gt; Klik --&gt; Zakup"));
}

#[test]
fn a_diagram_with_the_sites_mermaid_loads_it_and_nothing_else_does() {
    let site = features_site()
        .file(
            "kbsite.yaml",
            "title: \"Test\"\nbase_url: \"https://example.org/kb/\"\nmermaid: static/js/mermaid.min.js\n",
        )
        .file("static/js/mermaid.min.js", "window.mermaid = {};\n");
    let (run, diags) = site.diagnose(&["check"]);
    run.assert_ok();
    assert!(
        !diags.iter().any(|d| d.code == "mermaid-missing"),
        "{diags:?}"
    );
    site.build(&["-q"]);
    let diagram = scripts(&site.read("porady/diagram/index.html"));
    assert_eq!(
        diagram,
        ["/kb/js/mermaid.min.js", "/kb/diagrams.js", "/kb/site.js"]
    );
    for rel in ["porady/kod/index.html", "porady/wzor/index.html"] {
        let all = scripts(&site.read(rel));
        assert!(!all.iter().any(|s| s.contains("mermaid")), "{rel}: {all:?}");
    }
}

#[test]
fn a_mermaid_key_naming_no_file_is_a_warning_at_the_key() {
    let site = Site::new()
        .file(
            "kbsite.yaml",
            "title: \"Test\"\nbase_url: \"https://example.org/\"\nmermaid: static/mermaid.min.js\n",
        )
        .file(
            "content/a.md",
            &article("A", "2024-01-01", "description: \"Opis.\"\n", DIAGRAM),
        );
    let (run, diags) = site.diagnose(&["check"]);
    run.assert_ok();
    let warning = diags.iter().find(|d| d.code == "mermaid-missing").unwrap();
    assert_eq!(warning.file.as_deref(), Some("kbsite.yaml"));
    assert_eq!(warning.line, Some(3));
}

#[test]
fn copy_buttons_and_tabs_work_in_chromium() {
    let site = features_site()
        .file(
            "kbsite.yaml",
            "title: \"Test\"\nbase_url: \"https://example.org/\"\nmermaid: static/mermaid.min.js\n",
        )
        // A stand-in for Mermaid: draws an <svg> holding the source, as the real one would.
        .file(
            "static/mermaid.min.js",
            "window.mermaid = { initialize: function () {}, render: function (id, text) {\n\
             return Promise.resolve({ svg: '<svg id=\"' + id + '\" role=\"img\" aria-label=\"diagram\"><text>' + text.length + '</text></svg>' }); } };\n",
        )
        .file(
            "content/porady/taby-2.md",
            &article("Taby drugie", "2024-01-06", "", &format!("{TABS}\n\n[taby](taby.md)\n")),
        );
    site.build(&["-q"]);
    let report = browser_report(
        "content_e2e.mjs",
        &site,
        &[
            "--code",
            "/porady/kod/",
            "--tabs",
            "/porady/taby/",
            "--tabs2",
            "/porady/taby-2/",
            "--diagram",
            "/porady/diagram/",
        ],
    );
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    assert_eq!(
        report["copied"], "title: \"Baza\"\nlanguage: pl\nsearch: true\n",
        "{report}"
    );
    assert_eq!(
        report["copy_label"],
        serde_json::json!(["Kopiuj", "Skopiowano"])
    );
    let tabs = &report["tabs"];
    assert_eq!(
        tabs["roles"],
        serde_json::json!(["tab", "tab", "tab"]),
        "{report}"
    );
    assert_eq!(
        tabs["keys"],
        serde_json::json!([
            ["Instagram", "Instagram"],
            ["LinkedIn", "LinkedIn"],
            ["Facebook", "Facebook"],
            ["LinkedIn", "LinkedIn"],
            ["Facebook", "Facebook"]
        ]),
        "ArrowRight, ArrowRight (wraps), End, Home: the focused tab and the shown panel; {report}"
    );
    assert_eq!(tabs["remembered"], "Instagram", "{report}");
    assert_eq!(tabs["without_js"], serde_json::json!([3, 3]), "{report}");
    assert_eq!(
        report["diagram"],
        serde_json::json!({"drawn": true, "source_hidden": true})
    );
}

#[test]
fn axe_finds_nothing_on_pages_with_tabs_code_formulas_and_diagrams() {
    let site = features_site();
    site.build(&["-q"]);
    let pages = [
        "/porady/taby/",
        "/porady/kod/",
        "/porady/wzor/",
        "/porady/diagram/",
    ];
    let report = browser_report("axe.mjs", &site, &pages);
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    let found: Vec<String> = report
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, v)| *name != "errors" && v.as_array().is_some_and(|v| !v.is_empty()))
        .map(|(name, v)| format!("{name}: {v}"))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}
