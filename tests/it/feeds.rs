//! Feeds: RSS 2.0 beside Atom for each language, `feed_content`, and the feeds of sections and
//! terms with `section_feeds`, each parsed as XML and checked field by field.

use crate::fixture::{Site, article, json_diagnostics};

/// An XML element as the tests read it: its name, attributes, text and children.
#[derive(Debug, Clone, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    /// Parses a whole document; panics when it is not well-formed XML.
    fn parse(xml: &str) -> Element {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut stack = vec![Element::default()];
        let start = |e: &quick_xml::events::BytesStart<'_>| Element {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.expect("well-formed attribute");
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().expect("attribute escapes").into_owned(),
                    )
                })
                .collect(),
            ..Element::default()
        };
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => stack.push(start(&e)),
                Event::Empty(e) => stack.last_mut().unwrap().children.push(start(&e)),
                Event::End(_) => {
                    let done = stack.pop().unwrap();
                    stack.last_mut().unwrap().children.push(done);
                }
                Event::Text(t) => stack
                    .last_mut()
                    .unwrap()
                    .text
                    .push_str(&t.unescape().expect("text escapes")),
                Event::CData(t) => stack
                    .last_mut()
                    .unwrap()
                    .text
                    .push_str(std::str::from_utf8(&t).unwrap()),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(stack.len(), 1, "every element is closed");
        let mut root = stack.pop().unwrap();
        assert_eq!(root.children.len(), 1, "one root element");
        root.children.pop().unwrap()
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    #[track_caller]
    fn one(&self, name: &str) -> &Element {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "one <{name}> in <{}>", self.name);
        found[0]
    }

    #[track_caller]
    fn text_of(&self, name: &str) -> String {
        self.one(name).text.trim().to_string()
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

const CONFIG: &str = "title: \"Baza & wiedza\"\nbase_url: \"https://example.org/kb/\"\nlanguage: pl\ndescription: \"Porady <dla> małych firm\"\n";

/// A site with a nested section, tags, an English article, and articles feeds leave out: an
/// undated one, a draft and a `noindex` one.
fn feeds_site(extra_config: &str) -> Site {
    Site::empty()
        .file("kbsite.yaml", &format!("{CONFIG}{extra_config}"))
        .file(
            "content/porady/_index.md",
            "---\ntitle: \"Porady\"\ndescription: \"Krótkie porady\"\n---\n",
        )
        .file(
            "content/porady/zaawansowane/_index.md",
            "---\ntitle: \"Zaawansowane\"\n---\n",
        )
        .file(
            "content/porady/a.md",
            &article(
                "Pierwszy & <najstarszy>",
                "2024-03-01 10:30 +01:00",
                "description: \"Opis z <b> & ampersandem\"\ntags: [SEO, \"Mała firma\"]\n",
                "Tekst **pierwszy** artykułu.\n\n## Dalej\n\nWięcej treści.",
            ),
        )
        .file(
            "content/porady/zaawansowane/b.md",
            &article(
                "Drugi",
                "2024-05-05",
                "updated: 2024-06-01\ntags: [seo]\n",
                "Streszczenie drugiego.\n\n<!-- more -->\n\nReszta drugiego.",
            ),
        )
        .file(
            "content/porady/bez-daty.md",
            "---\ntitle: \"Bez daty\"\ntags: [seo]\n---\n\nTekst.\n",
        )
        .file(
            "content/porady/szkic.md",
            &article(
                "Szkic",
                "2024-07-01",
                "draft: true\ntags: [seo]\n",
                "Tekst.",
            ),
        )
        .file(
            "content/porady/ukryty.md",
            &article(
                "Ukryty",
                "2024-07-02",
                "noindex: true\ntags: [seo]\n",
                "Tekst.",
            ),
        )
        .file(
            "content/porady/english.en.md",
            &article(
                "In English",
                "2024-04-04",
                "lang: en\ntags: [seo]\n",
                "English text.",
            ),
        )
}

fn titles(channel: &Element, item: &str) -> Vec<String> {
    channel
        .all(item)
        .iter()
        .map(|i| i.text_of("title"))
        .collect()
}

#[test]
fn rss_is_valid_rss_2_field_by_field() {
    let site = feeds_site("");
    site.build(&["-q"]);
    let rss = Element::parse(&site.read("rss.xml"));
    assert_eq!(rss.name, "rss");
    assert_eq!(rss.attr("version"), Some("2.0"));
    assert_eq!(rss.attr("xmlns:atom"), Some("http://www.w3.org/2005/Atom"));
    let channel = rss.one("channel");
    assert_eq!(channel.text_of("title"), "Baza & wiedza");
    assert_eq!(channel.text_of("link"), "https://example.org/kb/");
    assert_eq!(channel.text_of("description"), "Porady <dla> małych firm");
    assert_eq!(channel.text_of("language"), "pl");
    // The newest date of its articles (`updated` of the second), never the clock.
    assert_eq!(
        channel.text_of("lastBuildDate"),
        "Sat, 01 Jun 2024 00:00:00 +0000"
    );
    let this = channel.one("atom:link");
    assert_eq!(this.attr("href"), Some("https://example.org/kb/rss.xml"));
    assert_eq!(this.attr("rel"), Some("self"));
    assert_eq!(this.attr("type"), Some("application/rss+xml"));
    // Newest first; no undated, draft, noindex or English article.
    assert_eq!(
        titles(channel, "item"),
        ["Drugi", "Pierwszy & <najstarszy>"]
    );
    let items = channel.all("item");
    let first = items[1];
    let url = "https://example.org/kb/porady/a/";
    assert_eq!(first.text_of("link"), url);
    assert_eq!(first.text_of("guid"), url);
    assert_eq!(first.one("guid").attr("isPermaLink"), Some("true"));
    let published = chrono::DateTime::parse_from_rfc2822(&first.text_of("pubDate"))
        .expect("pubDate is RFC 822");
    assert_eq!(published.to_rfc3339(), "2024-03-01T10:30:00+01:00");
    let categories: Vec<String> = first
        .all("category")
        .iter()
        .map(|c| c.text.clone())
        .collect();
    assert_eq!(categories, ["SEO", "Mała firma"]);
    // `feed_content: full` (the default): the article's HTML, escaped once for XML.
    let description = first.text_of("description");
    assert!(
        description.starts_with("<p>Tekst <strong>pierwszy</strong> artykułu.</p>"),
        "{description}"
    );
    assert!(description.contains("Więcej treści."), "{description}");
    // The English part of the site has its own.
    let en = Element::parse(&site.read("en/rss.xml"));
    let en = en.one("channel");
    assert_eq!(titles(en, "item"), ["In English"]);
    assert_eq!(en.text_of("language"), "en");
    assert_eq!(
        en.one("atom:link").attr("href"),
        Some("https://example.org/kb/en/rss.xml")
    );
    // The Atom feed lists the same articles with the same text.
    let atom = Element::parse(&site.read("atom.xml"));
    assert_eq!(atom.attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
    assert_eq!(atom.text_of("title"), "Baza & wiedza");
    assert_eq!(atom.text_of("subtitle"), "Porady <dla> małych firm");
    assert_eq!(atom.text_of("updated"), "2024-06-01T00:00:00Z");
    assert_eq!(titles(&atom, "entry"), ["Drugi", "Pierwszy & <najstarszy>"]);
    let entry = atom.all("entry")[1];
    assert_eq!(entry.text_of("id"), url);
    assert_eq!(entry.text_of("published"), "2024-03-01T10:30:00+01:00");
    // The description is text: as HTML it is escaped, and XML escapes that again.
    assert_eq!(
        entry.text_of("summary"),
        "Opis z &lt;b&gt; &amp; ampersandem"
    );
    assert_eq!(entry.text_of("content"), description);
    let terms: Vec<&str> = entry
        .all("category")
        .iter()
        .filter_map(|c| c.attr("term"))
        .collect();
    assert_eq!(terms, ["SEO", "Mała firma"]);
}

#[test]
fn feed_content_summary_keeps_only_the_summary_in_both_formats() {
    let site = feeds_site("feed_content: summary\n");
    site.build(&["-q"]);
    let rss = Element::parse(&site.read("rss.xml"));
    let items = rss.one("channel").all("item");
    // The description when there is one (text, escaped as HTML), else the summary.
    assert_eq!(
        items[0].text_of("description"),
        "<p>Streszczenie drugiego.</p>"
    );
    assert_eq!(
        items[1].text_of("description"),
        "Opis z &lt;b&gt; &amp; ampersandem"
    );
    let atom = Element::parse(&site.read("atom.xml"));
    for entry in atom.all("entry") {
        assert!(entry.all("content").is_empty(), "no content: {entry:?}");
        assert_eq!(entry.all("summary").len(), 1);
    }
    assert_eq!(
        atom.all("entry")[0].text_of("summary"),
        "<p>Streszczenie drugiego.</p>"
    );
    // The full build has the whole text where this one has the summary.
    let full = feeds_site("");
    full.build(&["-q"]);
    assert!(full.read("rss.xml").contains("Reszta drugiego."));
    assert!(!site.read("rss.xml").contains("Reszta drugiego."));
    assert!(!site.read("atom.xml").contains("Reszta drugiego."));
}

/// The `<link rel="alternate">` feeds of a page's head: (type, href).
fn announced(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let links = scraper::Selector::parse("head link[rel=alternate][type]").unwrap();
    doc.select(&links)
        .map(|l| {
            let v = l.value();
            (
                v.attr("type").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

fn site_feeds(prefix: &str) -> Vec<(String, String)> {
    vec![
        (
            "application/atom+xml".into(),
            format!("https://example.org/kb/{prefix}atom.xml"),
        ),
        (
            "application/rss+xml".into(),
            format!("https://example.org/kb/{prefix}rss.xml"),
        ),
    ]
}

#[test]
fn sections_and_terms_have_feeds_only_with_section_feeds() {
    let off = feeds_site("");
    off.build(&["-q"]);
    for file in [
        "porady/rss.xml",
        "porady/atom.xml",
        "tags/seo/rss.xml",
        "tags/seo/atom.xml",
        "en/tags/seo/rss.xml",
    ] {
        assert!(!off.output(file).exists(), "{file} without section_feeds");
    }
    assert_eq!(announced(&off.read("index.html")), site_feeds(""));
    assert_eq!(announced(&off.read("porady/index.html")), site_feeds(""));
    assert_eq!(announced(&off.read("tags/seo/index.html")), site_feeds(""));

    let on = feeds_site("section_feeds: true\n");
    on.build(&["-q"]);
    // A section's feed holds the articles of the sections inside it too.
    let porady = Element::parse(&on.read("porady/rss.xml"));
    let channel = porady.one("channel");
    assert_eq!(
        titles(channel, "item"),
        ["Drugi", "Pierwszy & <najstarszy>"]
    );
    assert_eq!(channel.text_of("title"), "Baza & wiedza – Porady");
    assert_eq!(channel.text_of("description"), "Krótkie porady");
    assert_eq!(channel.text_of("link"), "https://example.org/kb/porady/");
    let nested = Element::parse(&on.read("porady/zaawansowane/atom.xml"));
    assert_eq!(titles(&nested, "entry"), ["Drugi"]);
    let this: Vec<&str> = nested
        .all("link")
        .iter()
        .filter(|l| l.attr("rel") == Some("self"))
        .filter_map(|l| l.attr("href"))
        .collect();
    assert_eq!(
        this,
        ["https://example.org/kb/porady/zaawansowane/atom.xml"]
    );
    // A term's feed: the articles with that term (`SEO` and `seo` are one term).
    let seo = Element::parse(&on.read("tags/seo/rss.xml"));
    let channel = seo.one("channel");
    assert_eq!(
        titles(channel, "item"),
        ["Drugi", "Pierwszy & <najstarszy>"]
    );
    assert_eq!(channel.text_of("title"), "Baza & wiedza – Tagi: SEO");
    assert_eq!(channel.text_of("link"), "https://example.org/kb/tags/seo/");
    let small = Element::parse(&on.read("tags/mala-firma/atom.xml"));
    assert_eq!(titles(&small, "entry"), ["Pierwszy & <najstarszy>"]);
    let en = Element::parse(&on.read("en/tags/seo/rss.xml"));
    assert_eq!(titles(en.one("channel"), "item"), ["In English"]);
    let en = Element::parse(&on.read("en/porady/atom.xml"));
    assert_eq!(titles(&en, "entry"), ["In English"]);
    // Heads announce the page's own feeds first, then the site's; the home only the site's.
    assert_eq!(announced(&on.read("index.html")), site_feeds(""));
    let mut porady_feeds = site_feeds("porady/");
    porady_feeds.extend(site_feeds(""));
    assert_eq!(announced(&on.read("porady/index.html")), porady_feeds);
    let mut term_feeds = site_feeds("tags/seo/");
    term_feeds.extend(site_feeds(""));
    assert_eq!(announced(&on.read("tags/seo/index.html")), term_feeds);
    assert_eq!(announced(&on.read("porady/a/index.html")), site_feeds(""));
    // Only the feeds are new: every other file is the same.
    let (before, after) = (off.tree("public"), on.tree("public"));
    for (path, bytes) in &before {
        let announces = path.ends_with("porady/index.html")
            || path.ends_with("porady/zaawansowane/index.html")
            || path.contains("tags/")
                && path.ends_with("/index.html")
                && path.matches('/').count() >= 2;
        if !announces && path != ".kbsite-output" {
            assert!(after.get(path) == Some(bytes), "{path} changed");
        }
    }
    let new: Vec<&String> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(
        new.iter()
            .all(|p| p.ends_with("/atom.xml") || p.ends_with("/rss.xml")),
        "{new:?}"
    );
}

#[test]
fn a_file_at_a_feed_address_is_a_duplicate_url() {
    let site = feeds_site("section_feeds: true\n").file("static/porady/rss.xml", "<rss/>");
    let run = site.run(&["build", "--format", "json"]);
    assert_ne!(run.code, 0);
    let diags = json_diagnostics(&run.stdout);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "duplicate-url" && d.message.contains("/porady/rss.xml")),
        "{diags:#?}"
    );
    // Without section feeds the address is the file's.
    let free = feeds_site("").file("static/porady/rss.xml", "<rss/>");
    free.build(&["-q"]);
    assert_eq!(free.read("porady/rss.xml"), "<rss/>");
}

#[test]
fn a_bad_feed_content_is_an_error_at_its_line() {
    let site = feeds_site("feed_content: excerpt\n");
    let (run, diags) = site.diagnose(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    crate::fixture::assert_has(&diags, "config-value", "kbsite.yaml", 5, 1);
    assert!(run.stderr.contains("`excerpt`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("feed_content: summary"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_theme_of_its_own_without_rss_xml_gets_the_built_in_one() {
    let site = feeds_site("theme: wlasny\n");
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&theme) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&theme).unwrap();
        if entry.file_type().is_file() && rel != std::path::Path::new("templates/rss.xml") {
            let to = site.path().join("themes/wlasny").join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
    site.build(&["-q"]);
    let rss = Element::parse(&site.read("rss.xml"));
    assert_eq!(titles(rss.one("channel"), "item").len(), 2);
}

#[test]
fn feeds_snapshot() {
    let site = Site::empty()
        .file("kbsite.yaml", CONFIG)
        .file(
            "content/porady/a.md",
            &article(
                "Pierwszy & <najstarszy>",
                "2024-03-01 10:30 +01:00",
                "description: \"Opis\"\ntags: [SEO]\n",
                "Tekst z [linkiem](../porady/b.md).",
            ),
        )
        .file(
            "content/porady/b.md",
            &article(
                "Drugi",
                "2024-05-05",
                "",
                "Streszczenie.\n\n<!-- more -->\n\nReszta.",
            ),
        );
    site.build(&["-q"]);
    let version = format!("kbsite {}", env!("CARGO_PKG_VERSION"));
    let redact = |text: String| {
        text.replace(&version, "kbsite [version]").replace(
            &format!("version=\"{}\"", env!("CARGO_PKG_VERSION")),
            "version=\"[version]\"",
        )
    };
    insta::assert_snapshot!("rss", redact(site.read("rss.xml")));
    insta::assert_snapshot!("atom", redact(site.read("atom.xml")));
}
