//! Stylesheets and pages as a browser gets them: Sass compiled to CSS, minified HTML and CSS,
//! and asset URLs that carry a hash of the file's bytes.

use kbsite::live::LiveSite;
use kbsite::pipeline::BuildOptions;
use scraper::{Html, Selector};

use crate::fixture::{MINIMAL_CONFIG, Site, article};

const VARS: &str = "$accent: #c0392b;\n$pad: 4px;\n";
const MAIN: &str =
    "@use \"vars\";\n\n.btn {\n  color: vars.$accent;\n  .icon { padding: vars.$pad * 2; }\n}\n";

fn sass_site(config: &str) -> Site {
    Site::new()
        .file("kbsite.yaml", config)
        .file("sass/_vars.scss", VARS)
        .file("sass/main.scss", MAIN)
        .file("sass/docs/extra.sass", ".note\n  margin: 0\n")
        .file(
            "static/own.css",
            "/* own */\n.own  {\n  color :  red ;\n}\n",
        )
        .file(
            "content/a.md",
            &article(
                "Pierwszy artykuł",
                "2024-03-01",
                "",
                "Treść   z <b>pogrubieniem</b>.\n\n```\nkod  z\n   wcięciem\n```\n",
            ),
        )
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn sass_is_compiled_with_its_partials_and_partials_are_not_emitted() {
    let site = sass_site(MINIMAL_CONFIG);
    site.build(&["-q"]);
    let css = site.read("main.css");
    assert!(css.contains(".btn {\n  color: #c0392b;\n}"), "{css}");
    assert!(css.contains(".btn .icon {\n  padding: 8px;\n}"), "{css}");
    assert!(
        site.read("docs/extra.css")
            .contains(".note {\n  margin: 0;\n}")
    );
    assert!(!site.output("_vars.css").exists());
    assert!(!site.output("vars.css").exists());
    assert!(!site.output("main.scss").exists());
}

#[test]
fn a_sass_error_names_file_line_and_column_and_fails_the_build() {
    let site = Site::new()
        .file(
            "sass/main.scss",
            ".a {\n  color: red;\n  width: 1px +;\n}\n",
        )
        .file("content/a.md", &article("A", "2024-03-01", "", "x"));
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("sass/main.scss:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("sass-error"), "{}", run.stderr);
    assert!(!site.output("main.css").exists());
    // An error in an imported partial is reported in the partial.
    site.write("sass/main.scss", "@use \"vars\";\n");
    site.write("sass/_vars.scss", "$a: 1;\n$b: ;\n");
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("sass/_vars.scss:2:"), "{}", run.stderr);
}

#[test]
fn minified_html_and_css_are_smaller_and_still_correct() {
    let plain = sass_site(MINIMAL_CONFIG);
    plain.build(&["-q"]);
    let min = sass_site(&format!("{MINIMAL_CONFIG}minify: true\n"));
    min.build(&["-q"]);
    for file in [
        "a/index.html",
        "index.html",
        "search/index.html",
        "main.css",
        "own.css",
        "style.css",
    ] {
        let (a, b) = (plain.read(file), min.read(file));
        assert!(b.len() < a.len(), "{file}: {} !< {}", b.len(), a.len());
    }
    assert!(min.read("main.css").contains(".btn{color:#c0392b}"));
    assert!(min.read("own.css").contains(".own{color:red"));
    let page = min.read("a/index.html");
    assert!(
        page.contains("</body>"),
        "the live script goes before </body>"
    );
    let html = Html::parse_document(&page);
    let pre = select(&html, "pre code");
    assert_eq!(pre[0].text().collect::<String>(), "kod  z\n   wcięciem\n");
    let p = select(&html, "article p, main p");
    assert!(
        p.iter().any(
            |p| p.text().collect::<String>() == "Treść z\u{a0}pogrubieniem."
                || p.text().collect::<String>() == "Treść z pogrubieniem."
        ),
        "{page}"
    );
    assert_eq!(select(&html, "link[rel=stylesheet]").len(), 1);
    // The search page keeps what search.js looks for.
    let search = Html::parse_document(&min.read("search/index.html"));
    assert_eq!(select(&search, "#kb-search-page-input").len(), 1);
    assert_eq!(select(&search, "#kb-search-page-results").len(), 1);
    assert_eq!(
        select(&search, "form.site-search[data-index][data-script]").len(),
        1
    );
}

#[test]
fn minified_builds_are_byte_identical() {
    let site = sass_site(&format!("{MINIMAL_CONFIG}minify: true\n"));
    site.build(&["-q"]);
    let first = site.tree("public");
    site.build(&["-q"]);
    assert_eq!(first, site.tree("public"));
}

fn stylesheet_href(site: &Site, page: &str) -> String {
    let html = Html::parse_document(&site.read(page));
    select(&html, "link[rel=stylesheet]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string()
}

#[test]
fn asset_urls_carry_a_hash_that_follows_the_file() {
    let site = Site::new()
        .file("static/style.css", "body { color: red; }\n")
        .file("content/a.md", &article("A", "2024-03-01", "", "x"));
    site.build(&["-q"]);
    let before = stylesheet_href(&site, "a/index.html");
    let hash = before.strip_prefix("/style.css?h=").expect(&before);
    assert_eq!(hash.len(), 8);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(stylesheet_href(&site, "index.html"), before);
    site.write("static/style.css", "body { color: blue; }\n");
    site.build(&["-q"]);
    let after = stylesheet_href(&site, "a/index.html");
    assert_ne!(before, after);
    assert!(after.starts_with("/style.css?h="));
    let script = Html::parse_document(&site.read("a/index.html"));
    let data = select(&script, "form.site-search")[0]
        .value()
        .attr("data-script")
        .unwrap()
        .to_string();
    assert!(data.starts_with("/search.js?h="), "{data}");
}

#[test]
fn a_missing_asset_is_an_error_naming_the_template() {
    let site = Site::new()
        .file(
            "templates/page.html",
            "{{ asset_url(path=\"nie-ma.css\") }}\n",
        )
        .file("content/a.md", &article("A", "2024-03-01", "", "x"));
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(run.stderr.contains("templates/page.html"), "{}", run.stderr);
    assert!(run.stderr.contains("nie-ma.css"), "{}", run.stderr);
}

#[test]
fn the_live_site_recompiles_sass_and_shows_the_new_hash() {
    let site = sass_site(MINIMAL_CONFIG);
    site.write(
        "templates/page.html",
        "<link rel=\"stylesheet\" href=\"{{ asset_url(path=\"main.css\") }}\">\n",
    );
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut live = LiveSite::open(options.clone()).unwrap();
    let page_before = live.get("a/index.html").unwrap().read().unwrap().to_vec();
    site.write("sass/_vars.scss", "$accent: #27ae60;\n$pad: 4px;\n");
    let rebuilt = live.apply(&[site.path().join("sass/_vars.scss")]).unwrap();
    assert!(
        rebuilt.changed.iter().any(|p| p == "main.css"),
        "{:?}",
        rebuilt.changed
    );
    assert!(
        rebuilt.changed.iter().any(|p| p == "a/index.html"),
        "{:?}",
        rebuilt.changed
    );
    let css = live.get("main.css").unwrap().read().unwrap();
    assert!(String::from_utf8_lossy(&css).contains("#27ae60"));
    assert_ne!(
        live.get("a/index.html").unwrap().read().unwrap().to_vec(),
        page_before
    );
    // A broken save keeps the last good site; the fix brings it back, equal to a clean build.
    site.write("sass/main.scss", ".a { color: ; }\n");
    assert!(live.apply(&[site.path().join("sass/main.scss")]).is_err());
    assert!(live.get("main.css").is_some());
    site.write("sass/main.scss", MAIN);
    live.apply(&[site.path().join("sass/main.scss")]).unwrap();
    let clean = LiveSite::open(options).unwrap();
    assert_eq!(live.paths(), clean.paths());
    for path in clean.paths() {
        let a = live.get(path).unwrap().read().unwrap();
        let b = clean.get(path).unwrap().read().unwrap();
        assert!(a == b, "{path} differs");
    }
}
