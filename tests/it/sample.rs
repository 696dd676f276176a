//! The bundled sample knowledge base builds completely and correctly.

use crate::fixture::Site;

const SEED: &str = "media-spolecznosciowe/social-media-marketing-w-malej-firmie/index.html";

fn built() -> Site {
    let site = Site::sample();
    site.build(&[]);
    site
}

#[test]
fn every_article_and_section_gets_a_page() {
    let site = built();
    let mut expected = 0;
    for entry in walkdir::WalkDir::new(site.path().join("content")) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(site.path().join("content"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !rel.ends_with(".md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // English versions (`x.en.md`, `_index.en.md`) live under `en/`.
        let (prefix, rel) = match rel.strip_suffix(".en.md") {
            Some(stem) => ("en/", format!("{stem}.md")),
            None => ("", rel.clone()),
        };
        let out = if rel.ends_with("_index.md") {
            format!("{prefix}{}", rel.trim_end_matches("_index.md"))
        } else {
            format!("{prefix}{}/", rel.trim_end_matches(".md"))
        };
        let path = site.output(&format!("{out}index.html"));
        if text.contains("\ndraft: true") {
            assert!(!path.exists(), "draft {rel} must not be published");
        } else {
            assert!(path.exists(), "{rel} has no page at {}", path.display());
            expected += 1;
        }
    }
    assert!(
        expected >= 10,
        "the sample has sections and 7+ articles, found {expected}"
    );
    for file in [
        "404.html",
        "atom.xml",
        "rss.xml",
        "llms.txt",
        "llms-full.txt",
        "sitemap.xml",
        "robots.txt",
        "style.css",
        "tags/index.html",
        "categories/index.html",
        "en/atom.xml",
        "en/rss.xml",
        "en/llms.txt",
        "en/search/meta.json",
        "en/tags/index.html",
    ] {
        assert!(site.output(file).exists(), "{file} missing");
    }
}

#[test]
fn seed_article_has_real_footnotes() {
    let site = built();
    let html = site.read(SEED);
    assert!(
        html.contains("Google Plus.<sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"#fn-1\""),
        "footnote 1 glued to `Plus.`"
    );
    assert!(
        html.contains("internetowym<sup class=\"footnote-ref\" id=\"fnref-2\"><a href=\"#fn-2\""),
        "footnote 2 glued to `internetowym`"
    );
    assert!(
        !html.contains("Plus.1") && !html.contains("internetowym2"),
        "no bare markers left"
    );
    let notes = &html[html
        .find("<section class=\"footnotes\"")
        .expect("footnotes section")..];
    assert!(notes.contains("<li id=\"fn-1\">") && notes.contains("<li id=\"fn-2\">"));
    assert!(notes.contains("href=\"#fnref-1\"") && notes.contains("href=\"#fnref-2\""));
    assert!(
        notes.contains("nie podaje"),
        "definitions say the source gives no text"
    );
    assert!(html.contains("„podróżach”"), "Polish quotes kept");
    assert!(html.contains("<title>Social media marketing w małej firmie"));
}

#[test]
fn md_links_are_rewritten_to_final_urls() {
    let site = built();
    for (rel, html) in site.tree("public") {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(html).unwrap();
        assert!(
            !html.contains(".md\"") && !html.contains(".md#"),
            "{rel} still links to a .md file"
        );
    }
    let html = site.read("seo/badanie-slow-kluczowych/index.html");
    assert!(
        html.contains("href=\"/seo/podstawy-seo/#slowa-kluczowe\""),
        "anchor link rewritten"
    );
    let target = site.read("seo/podstawy-seo/index.html");
    assert!(
        target.contains("id=\"slowa-kluczowe\""),
        "the anchor exists on the target page"
    );
}

#[test]
fn tag_and_category_pages_list_their_articles() {
    let site = built();
    let tag = site.read("tags/social-media/index.html");
    assert!(tag.contains("href=\"/media-spolecznosciowe/social-media-marketing-w-malej-firmie/\""));
    let index = site.read("tags/index.html");
    assert!(
        index.contains("href=\"/tags/mala-firma/\""),
        "term index links to `mała firma`"
    );
    assert!(index.contains("mała firma"));
    let categories = site.read("categories/index.html");
    assert!(categories.contains("/categories/poradniki/"));
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    let mut reader = quick_xml::Reader::from_str(&sitemap);
    let mut locs = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("sitemap is well-formed XML") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"loc" => in_loc = true,
            quick_xml::events::Event::Text(t) if in_loc => {
                locs.push(t.unescape().unwrap().into_owned());
                in_loc = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    // Exactly the pages search engines may index are listed: aliases, the search page,
    // taxonomy pages and list pages after the first say `noindex` and stay out.
    let robots = scraper::Selector::parse(r#"meta[name="robots"]"#).unwrap();
    let mut indexable = 0;
    for (rel, bytes) in site.tree("public") {
        if !rel.ends_with("index.html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
        let rule = html
            .select(&robots)
            .next()
            .and_then(|m| m.value().attr("content"))
            .unwrap_or_else(|| panic!("{rel} has no robots meta"))
            .to_string();
        let url = format!("https://example.org/{}", rel.trim_end_matches("index.html"));
        if rule.contains("noindex") {
            assert!(!locs.contains(&url), "{url} is noindex but in the sitemap");
        } else {
            indexable += 1;
            assert!(locs.contains(&url), "{url} missing from sitemap");
        }
    }
    assert_eq!(locs.len(), indexable, "{locs:?}");
    assert!(locs.iter().any(|l| l.ends_with("/seo/podstawy-seo/")));
    assert!(!locs.iter().any(|l| l.contains("/tags/")));
    assert!(locs.iter().all(|l| l.starts_with("https://example.org/")));
    assert!(!locs.iter().any(|l| l.contains("/search/")));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn atom_feed_is_valid_and_newest_first() {
    let site = built();
    let feed = site.read("atom.xml");
    let mut reader = quick_xml::Reader::from_str(&feed);
    let mut path = Vec::new();
    let mut updated = Vec::new();
    let mut entries = 0;
    let mut root = String::new();
    loop {
        match reader.read_event().expect("feed is well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if path.is_empty() {
                    root = name.clone();
                    let ns = e.try_get_attribute("xmlns").unwrap().expect("xmlns");
                    assert_eq!(ns.value.as_ref(), b"http://www.w3.org/2005/Atom");
                }
                if name == "entry" {
                    entries += 1;
                }
                path.push(name);
            }
            quick_xml::events::Event::End(_) => {
                path.pop();
            }
            quick_xml::events::Event::Text(t)
                if path.last().map(String::as_str) == Some("published") =>
            {
                updated.push(t.unescape().unwrap().into_owned());
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(root, "feed");
    assert!(entries >= 7, "feed has the dated articles, found {entries}");
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted, "entries newest first");
    assert!(
        updated.iter().all(|d| d.len() == 20 && d.ends_with('Z')),
        "RFC 3339 dates: {updated:?}"
    );
    assert!(feed.contains(
        "<id>https://example.org/media-spolecznosciowe/social-media-marketing-w-malej-firmie/</id>"
    ));
}

#[test]
fn alias_redirects_to_its_article() {
    let site = built();
    let html = site.read("stare/podstawy-seo/index.html");
    assert!(html.contains("http-equiv=\"refresh\" content=\"0; url=/seo/podstawy-seo/\""));
    assert!(html.contains("rel=\"canonical\" href=\"https://example.org/seo/podstawy-seo/\""));
}

#[test]
fn code_and_tables_are_rendered() {
    let site = built();
    let all: String = site
        .tree("public")
        .into_iter()
        .filter(|(rel, _)| rel.ends_with("index.html"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(
        all.contains("<table tabindex=\"0\">"),
        "a table in the sample, which a keyboard can scroll"
    );
    assert!(
        all.contains("<pre class=\"code\" tabindex=\"0\" data-lang="),
        "a fenced code block in the sample"
    );
    assert!(all.contains("class=\"hl-"), "highlighted at build time");
}

#[test]
fn seed_article_shows_who_links_to_it_and_related_articles() {
    let site = built();
    let html = site.read(SEED);
    let backlinks = &html[html
        .find("<section class=\"backlinks\"")
        .expect("backlinks")..];
    let backlinks = &backlinks[..backlinks.find("</section>").unwrap()];
    // Every article of the sample that links to the seed, each with its sentence.
    for linking in [
        "/seo/badanie-slow-kluczowych/",
        "/e-mail-i-tresci/content-marketing-w-malej-firmie/",
        "/seo/marketing-lokalny/",
        "/e-mail-i-tresci/newsletter-od-podstaw/",
        "/media-spolecznosciowe/opinie-klientow/",
        "/media-spolecznosciowe/planowanie-postow/",
    ] {
        assert!(
            backlinks.contains(&format!("href=\"{linking}\"")),
            "{linking}"
        );
    }
    assert_eq!(backlinks.matches("backlinks__context").count(), 6);
    let related = &html[html.find("<section class=\"related\"").expect("related")..];
    let related = &related[..related.find("</section>").unwrap()];
    let count = related.matches("<li class=\"related__item\">").count();
    assert!((3..=5).contains(&count), "{related}");
    assert!(!related.contains("social-media-marketing-w-malej-firmie"));
}

#[test]
fn the_seed_article_is_shared_with_its_own_card() {
    let site = built();
    let html = scraper::Html::parse_document(&site.read(SEED));
    let og_image = scraper::Selector::parse(r#"meta[property="og:image"]"#).unwrap();
    let url = html
        .select(&og_image)
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("og:image")
        .to_string();
    let rel = url
        .strip_prefix("https://example.org/")
        .expect("absolute under base_url");
    assert!(rel.starts_with("social/") && rel.ends_with(".png"), "{url}");
    let bytes = std::fs::read(site.output(rel)).expect("the card is in the output");
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    // Cards are usually stored with a palette: read them as RGB.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    assert_eq!((reader.info().width, reader.info().height), (1200, 630));
    // The title is drawn: the card's middle band holds white letter pixels on the dark
    // background, and not a single one would be there if the font had no glyphs.
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).unwrap();
    let (color, _) = reader.output_color_type();
    assert_eq!(color, png::ColorType::Rgb);
    let white = pixels[200 * 1200 * 3..460 * 1200 * 3]
        .chunks_exact(3)
        .filter(|p| p.iter().all(|&c| c > 240))
        .count();
    assert!(white > 20_000, "only {white} white pixels: no title drawn");
}

#[test]
fn the_sample_uses_a_callout() {
    let site = built();
    let html = site.read("seo/profil-firmy-w-google/index.html");
    let doc = scraper::Html::parse_document(&html);
    let callout = scraper::Selector::parse("div.callout.callout-warning[role=note]").unwrap();
    let found: Vec<String> = doc
        .select(&callout)
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("Ostrzeżenie") && found[0].contains("drugiego profilu"));
}

#[test]
fn the_sample_uses_a_component_with_a_picture() {
    let site = built();
    let html = site.read("seo/badanie-slow-kluczowych/index.html");
    let doc = scraper::Html::parse_document(&html);
    let img = scraper::Selector::parse("main figure.figure img").unwrap();
    let img = doc
        .select(&img)
        .next()
        .expect("the figure component is rendered");
    let src = img.value().attr("src").unwrap();
    assert_eq!(src, "/seo/ruch-z-wyszukiwarki.svg");
    assert!(site.output(src.trim_start_matches('/')).exists());
    // The size the SVG file declares (width="640" height="320"), so the page does not jump.
    assert_eq!(img.value().attr("width"), Some("640"));
    assert_eq!(img.value().attr("height"), Some("320"));
    let caption = scraper::Selector::parse("main figure.figure figcaption").unwrap();
    let caption: String = doc
        .select(&caption)
        .flat_map(|c| c.text())
        .collect::<String>()
        .replace('\u{a0}', " ");
    assert!(caption.contains("Ruch z wyszukiwarki"), "{caption}");
}

#[test]
fn the_sample_builds_without_warnings_in_both_languages() {
    let site = Site::sample();
    let run = site.build(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(!run.stdout.contains("warning"), "{}", run.stdout);
    // The seed article's English version is published in the English part of the site.
    let en = site.read("en/media-spolecznosciowe/social-media-marketing-w-malej-firmie/index.html");
    assert!(en.contains("<html lang=\"en\""));
    assert!(en.contains(&format!("href=\"/{SEED}\"").replace("index.html", "")));
}
