//! Data files (`data/**/*.{yaml,yml,json,toml,csv}`): every format reaches page templates and
//! components as `site.data`, nested folders nest, a file that does not parse stops the build
//! at its line and column, two files of one name are an error naming both, and the preview
//! renders again only the pages whose templates or components read the data.

use std::path::Path;

use kbsite::live::LiveSite;
use kbsite::pipeline::BuildOptions;

use crate::fixture::{Site, article, assert_has};

/// A page template that prints one value of each data file.
const PAGE: &str = "{{ page.title }}|\
    {{ site.data.cennik.pakiety[0].nazwa }}={{ site.data.cennik.pakiety[0].cena }}|\
    {{ site.data.lista[1] }}|\
    {{ site.data.opcje.waluta }}/{{ site.data.opcje.tabela.vat }}/{{ site.data.opcje.od }}|\
    {{ site.data.biuro.miasto }}|\
    {% for o in site.data.zespol.osoby %}{{ o.imie }}:{{ o.rola }};{% endfor %}|\
    {% for k, v in site.data.cennik %}{{ k }},{% endfor %}";

fn data_site() -> Site {
    Site::new()
        .file("templates/page.html", PAGE)
        .file("content/a.md", &article("A", "2024-01-01", "", "Tekst."))
        .file(
            "data/cennik.yaml",
            "waluta: zł\npakiety:\n  - nazwa: Start\n    cena: 490\n  - nazwa: Pro\n    cena: 990\n",
        )
        .file("data/lista.yml", "- pierwszy\n- drugi\n")
        .file(
            "data/opcje.toml",
            "waluta = \"PLN\"\nod = 2024-03-01\n\n[tabela]\nvat = 23\n",
        )
        .file("data/biuro.json", "{\"miasto\": \"Łódź\", \"ulica\": \"Piotrkowska\"}")
        .file(
            "data/zespol/osoby.csv",
            "imie;rola\nAnna;redakcja\n\"Piotr\";\"SEO; reklama\"\n",
        )
}

#[test]
fn every_format_reaches_the_templates_under_its_path() {
    let site = data_site();
    site.build(&["-q"]);
    assert_eq!(
        site.read("a/index.html"),
        "A|Start=490|drugi|PLN/23/2024-03-01|Łódź|Anna:redakcja;Piotr:SEO; reklama;|waluta,pakiety,"
    );
}

#[test]
fn components_read_site_data_too() {
    let site = data_site()
        .file(
            "templates/components/cena.html",
            "<b>{{ site.data.cennik.pakiety[1].cena }} {{ site.data.cennik.waluta }}</b>",
        )
        .file(
            "content/b.md",
            &article(
                "B",
                "2024-01-02",
                "template: wpis.html\n",
                "Pakiet Pro: {{ cena() }}.\n\n{{ data_table(source=\"zespol.osoby\", caption=\"Zespół\") }}\n",
            ),
        )
        .file("templates/wpis.html", "{{ page.content | safe }}");
    site.build(&["-q"]);
    let page = site.read("b/index.html");
    assert!(page.contains("Pakiet Pro: <b>990 zł</b>."), "{page}");
    let table = scraper::Html::parse_document(&page);
    let cells: Vec<String> = table
        .select(&scraper::Selector::parse("table tbody tr > *").unwrap())
        .map(|c| c.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(cells, ["Anna", "redakcja", "Piotr", "SEO; reklama"]);
    assert!(page.contains("<caption>Zespół</caption>"));
}

#[test]
fn a_data_table_naming_missing_data_fails_at_its_call() {
    let site = data_site().file(
        "content/b.md",
        &article(
            "B",
            "2024-01-02",
            "",
            "{{ data_table(source=\"cennik.brak\") }}\n",
        ),
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_has(&diags, "component-error", "content/b.md", 6, 1);
    assert!(
        run.stderr.contains("site.data has no `cennik.brak`"),
        "{}",
        run.stderr
    );
}

#[test]
fn syntax_errors_are_at_their_line_and_column_in_every_format() {
    let cases = [
        (
            "yaml",
            "data/cennik.yaml",
            "waluta: zł\npakiety: [Start, Pro\nuwagi: brak\n",
            2,
            10,
        ),
        (
            "json",
            "data/biuro.json",
            "{\n  \"miasto\": \"Łódź\",\n  \"ulica\": Piotrkowska\n}\n",
            3,
            12,
        ),
        (
            "toml",
            "data/opcje.toml",
            "waluta = \"PLN\"\nvat = 23%\n",
            2,
            7,
        ),
        (
            "csv",
            "data/zespol/osoby.csv",
            "imie,rola\nAnna,redakcja\nPiotr\n",
            3,
            1,
        ),
    ];
    for (format, path, text, line, column) in cases {
        let site = data_site().file(path, text);
        let (run, diags) = site.diagnose(&["build"]);
        run.assert_code(1);
        assert_has(&diags, "data-syntax", path, line, column);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].hint.is_some(), "a hint is given");
        assert!(!site.path().join("public").exists());
        insta::assert_snapshot!(format!("data_syntax_{format}"), site.redact(&run.stderr));
    }
}

#[test]
fn two_files_of_one_name_are_an_error_naming_both() {
    let site = data_site().file("data/cennik.json", "{\"waluta\": \"EUR\"}");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "data-duplicate");
    assert!(
        diags[0]
            .message
            .contains("data/cennik.json and data/cennik.yaml would both be `site.data.cennik`"),
        "{diags:?}"
    );
    // A folder and a file of one name, too.
    let site = data_site().file("data/zespol.yaml", "a: 1\n");
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    assert!(
        diags[0]
            .message
            .contains("data/zespol/ and data/zespol.yaml would both be `site.data.zespol`"),
        "{diags:?}"
    );
}

#[test]
fn the_output_folder_may_not_be_inside_data() {
    let site = data_site();
    let run = site.run(&["build", "--output", "data/out"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("overlaps the site's sources"),
        "{}",
        run.stderr
    );
}

/// The preview: a site where one page template reads `site.data`, one component does, and the
/// rest read neither.
fn preview_site() -> Site {
    let mut site = Site::new()
        .file("data/cennik.yaml", "start: 490\npro: 990\n")
        .file(
            "templates/cennik.html",
            "{% extends \"page.html\" %}{% block content %}Cena: {{ site.data.cennik.start }}{% endblock content %}",
        )
        .file(
            "templates/components/pro.html",
            "<b class=\"pro\">{{ site.data.cennik.pro }} zł</b>",
        )
        .file(
            "content/oferta/cennik.md",
            &article("Cennik", "2024-02-01", "template: cennik.html\n", "Ceny."),
        )
        .file(
            "content/oferta/pro.md",
            &article("Pakiet Pro", "2024-02-02", "", "Kosztuje {{ pro() }} miesięcznie."),
        );
    for i in 0..6 {
        site = site.file(
            &format!("content/porady/p{i}.md"),
            &article(
                &format!("Porada {i}"),
                &format!("2024-01-0{}", i + 1),
                "",
                "Tekst.",
            ),
        );
    }
    site
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    }
}

#[test]
fn an_edited_data_file_renders_again_only_the_pages_that_read_it() {
    let site = preview_site();
    let mut live = LiveSite::open(options(site.path())).unwrap();
    let page = |live: &LiveSite, path: &str| {
        String::from_utf8(live.get(path).unwrap().read().unwrap().into_owned()).unwrap()
    };
    assert!(page(&live, "oferta/cennik/index.html").contains("Cena: 490"));
    assert!(page(&live, "oferta/pro/index.html").contains("<b class=\"pro\">990 zł</b>"));

    site.write("data/cennik.yaml", "start: 590\npro: 1090\n");
    let rebuilt = live.apply(&[site.path().join("data/cennik.yaml")]).unwrap();
    assert!(page(&live, "oferta/cennik/index.html").contains("Cena: 590"));
    assert!(page(&live, "oferta/pro/index.html").contains("<b class=\"pro\">1090 zł</b>"));
    // The page whose template reads the data, the page whose Markdown calls a component
    // that does, and what shows that Markdown (its section's list, the home page's newest, the
    // feed, its tags); no article of `porady/`, no other page.
    let rendered: Vec<&str> = rebuilt.rendered.iter().map(String::as_str).collect();
    assert!(
        rendered.contains(&"oferta/cennik/index.html"),
        "{rendered:?}"
    );
    assert!(rendered.contains(&"oferta/pro/index.html"), "{rendered:?}");
    for path in &rendered {
        assert!(
            !path.starts_with("porady/"),
            "{path} was rendered again: {rendered:?}"
        );
    }
    assert!(
        rebuilt.rendered.len() < live.paths().len() / 2,
        "{rendered:?}"
    );
    for path in ["oferta/cennik/index.html", "oferta/pro/index.html"] {
        assert!(
            rebuilt.changed.iter().any(|p| p == path),
            "{:?}",
            rebuilt.changed
        );
    }
    for path in &rebuilt.changed {
        assert!(
            rebuilt.rendered.contains(path),
            "{path} changed without a render"
        );
    }
    // The same as a build from scratch.
    live.rebuild_search();
    let clean = LiveSite::open(options(site.path())).unwrap();
    assert_eq!(live.paths(), clean.paths());
    for path in clean.paths() {
        let (a, b) = (live.get(path).unwrap(), clean.get(path).unwrap());
        assert!(a.read().unwrap() == b.read().unwrap(), "{path} differs");
    }

    // A new data file that nothing shows: the page whose template reads `site.data` renders
    // again (the data files are one input), to the same bytes; the Markdown calling the
    // component renders again to the same HTML, so its page does not. A broken data file
    // keeps the last good site and says where it is broken.
    site.write("data/inne.json", "{\"a\": 1}");
    let rebuilt = live.apply(&[site.path().join("data/inne.json")]).unwrap();
    assert_eq!(rebuilt.rendered, ["oferta/cennik/index.html"]);
    assert!(rebuilt.changed.is_empty(), "{:?}", rebuilt.changed);
    site.write("data/cennik.yaml", "start: [590\n");
    let error = live
        .apply(&[site.path().join("data/cennik.yaml")])
        .unwrap_err();
    assert_eq!(error.code(), "data-syntax");
    assert_eq!(error.location().unwrap().line, 1);
    assert!(page(&live, "oferta/cennik/index.html").contains("Cena: 590"));
}
