//! Pictures in Markdown: the size and lazy loading of every `<img>`, and with `images` in the
//! config, smaller copies made at build time and offered in `srcset` (parsed as HTML, never
//! matched with patterns).

use std::collections::BTreeMap;
use std::io::Cursor;

use scraper::{ElementRef, Html, Selector};

use crate::fixture::{Site, article, assert_has, main_of, png};

/// A JPEG of `w`x`h` with some detail, so that resizing has work to do.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

fn put(site: &Site, rel: &str, bytes: &[u8]) {
    let path = site.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The attributes of each `<img>` in the `<main>` of a page, in order.
fn images_of(html: &str) -> Vec<BTreeMap<String, String>> {
    let doc = Html::parse_fragment(main_of(html));
    let img = Selector::parse("img").unwrap();
    doc.select(&img)
        .map(|e: ElementRef<'_>| {
            e.value()
                .attrs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn attr<'a>(img: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    img.get(name).map(String::as_str)
}

const RESIZE_CONFIG: &str = "title: \"Test\"\nbase_url: \"https://example.org/kb/\"\nlanguage: pl\nimages:\n  widths: [480, 960, 1440]\n";

/// A site whose article shows a 2000x1000 JPEG beside it and a 300x200 PNG from `static/`.
fn resize_site() -> Site {
    let site = Site::empty().file("kbsite.yaml", RESIZE_CONFIG).file(
        "content/porady/wpis.md",
        &article(
            "Wpis",
            "2024-01-01",
            "",
            "![Okładka](okladka.jpg)\n\n![Mały](/male.png)",
        ),
    );
    put(&site, "content/porady/okladka.jpg", &jpeg(2000, 1000));
    put(&site, "static/male.png", &png(300, 200));
    site
}

fn fresh_output(site: &Site) {
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    let _ = std::fs::remove_dir_all(site.path().join(".public.kbsite-previous"));
}

/// The copies of `okladka.jpg` in the output, by file name.
fn copies(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.tree("public/porady")
        .into_iter()
        .filter(|(path, _)| path.contains("okladka-"))
        .collect()
}

#[test]
fn local_images_get_their_size_and_lazy_loading() {
    let site = Site::new().file(
        "content/wpis.md",
        &article(
            "Wpis",
            "2024-01-01",
            "",
            "Tekst.\n\n![Wykres \"sprzedaży\" & <zysk>](wykres.png \"Tytuł\")\n\n![Logo](https://cdn.example.org/logo.png)",
        ),
    );
    put(&site, "content/wykres.png", &png(640, 360));
    site.build(&[]);
    let imgs = images_of(&site.read("wpis/index.html"));
    assert_eq!(imgs.len(), 2, "{imgs:?}");
    let local = &imgs[0];
    assert_eq!(attr(local, "src"), Some("/wykres.png"));
    assert_eq!(attr(local, "alt"), Some("Wykres „sprzedaży” & <zysk>"));
    assert_eq!(attr(local, "title"), Some("Tytuł"));
    assert_eq!(attr(local, "width"), Some("640"));
    assert_eq!(attr(local, "height"), Some("360"));
    assert_eq!(attr(local, "loading"), Some("lazy"));
    assert_eq!(attr(local, "decoding"), Some("async"));
    assert_eq!(
        attr(local, "srcset"),
        None,
        "no copies unless the config asks"
    );

    let external = &imgs[1];
    assert_eq!(
        attr(external, "src"),
        Some("https://cdn.example.org/logo.png")
    );
    assert_eq!(attr(external, "loading"), Some("lazy"));
    assert_eq!(attr(external, "decoding"), Some("async"));
    assert_eq!(attr(external, "width"), None);
    assert_eq!(attr(external, "height"), None);
}

#[test]
fn a_missing_image_stops_the_build_at_its_place() {
    let site = Site::new().file(
        "content/wpis.md",
        &article(
            "Wpis",
            "2024-01-01",
            "",
            "Tekst.\n\nA tu ![brak](brak.png).",
        ),
    );
    let (run, diags) = site.diagnose(&["build"]);
    run.assert_code(1);
    // Four lines of front matter, a blank line, `Tekst.`, a blank line: the image is on
    // line 8, its `brak.png` at column 14.
    assert_has(&diags, "missing-file", "content/wpis.md", 8, 14);
    assert!(!site.output("wpis/index.html").exists());
}

#[test]
fn resized_copies_are_listed_in_srcset_made_once_and_deterministic() {
    let site = resize_site();
    site.build(&[]);
    let imgs = images_of(&site.read("porady/wpis/index.html"));
    let cover = &imgs[0];
    assert_eq!(attr(cover, "src"), Some("/kb/porady/okladka.jpg"));
    assert_eq!(attr(cover, "width"), Some("2000"));
    assert_eq!(attr(cover, "height"), Some("1000"));
    assert!(attr(cover, "sizes").is_some_and(|s| s.contains("100vw")));
    let srcset: Vec<(String, u32)> = attr(cover, "srcset")
        .expect("a srcset")
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect();
    let widths: Vec<u32> = srcset.iter().map(|(_, w)| *w).collect();
    assert_eq!(widths, [480, 960, 1440, 2000], "{srcset:?}");
    assert_eq!(srcset[3].0, "/kb/porady/okladka.jpg");
    for (url, width) in &srcset[..3] {
        let rel = url.strip_prefix("/kb/").unwrap();
        let name = rel.rsplit('/').next().unwrap();
        assert!(
            name.starts_with(&format!("okladka-{width}w.")) && name.ends_with(".jpg"),
            "{name}"
        );
        let bytes = std::fs::read(site.output(rel)).unwrap();
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (*width, width / 2));
    }
    // A picture narrower than the narrowest copy is shown as it is.
    let small = &imgs[1];
    assert_eq!(attr(small, "width"), Some("300"));
    assert_eq!(attr(small, "srcset"), None);
    let first = copies(&site);
    assert_eq!(first.len(), 3);

    // A fresh output folder takes the copies from the cache: a planted entry shows that
    // nothing was resized again.
    let cache = site.path().join(".kbsite-cache/images");
    let entries: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 3, "{entries:?}");
    let planted = jpeg(480, 240);
    let entry_480 = entries
        .iter()
        .find(|p| image::image_dimensions(p).unwrap().0 == 480)
        .unwrap();
    std::fs::write(entry_480, &planted).unwrap();
    fresh_output(&site);
    site.build(&[]);
    let second = copies(&site);
    let name_480 = srcset[0].0.rsplit('/').next().unwrap();
    assert_eq!(second[name_480], planted, "the cached copy is used");

    // Without the cache the same bytes are made again.
    std::fs::remove_dir_all(site.path().join(".kbsite-cache")).unwrap();
    fresh_output(&site);
    site.build(&[]);
    assert_eq!(
        copies(&site),
        first,
        "copies are byte-identical across builds"
    );
}

#[test]
fn bad_images_config_is_a_config_error() {
    for (images, message) in [
        ("images:\n  widths: []\n", "empty"),
        ("images:\n  widths: [480, 0]\n", "0 is not a width"),
        ("images:\n  rezise: true\n", "rezise"),
        ("images: yes\n", "images"),
    ] {
        let site = Site::empty().file(
            "kbsite.yaml",
            &format!("{}{images}", crate::fixture::MINIMAL_CONFIG),
        );
        let (run, diags) = site.diagnose(&["build"]);
        run.assert_code(2);
        assert!(
            diags.iter().any(|d| d.code == "config-value"
                && d.file.as_deref() == Some("kbsite.yaml")
                && d.line == Some(4)
                && d.message.contains(message)),
            "{images}: {diags:#?}"
        );
    }
}

#[test]
fn resize_true_uses_the_default_widths() {
    let site = resize_site().file(
        "kbsite.yaml",
        "title: \"Test\"\nbase_url: \"https://example.org/\"\nimages: { resize: true }\n",
    );
    site.build(&[]);
    let imgs = images_of(&site.read("porady/wpis/index.html"));
    let srcset = attr(&imgs[0], "srcset").unwrap();
    assert_eq!(srcset.matches("w, ").count(), 3, "{srcset}");
}

#[test]
fn snapshot_of_an_image_with_srcset() {
    let site = resize_site();
    site.build(&[]);
    let html = site.read("porady/wpis/index.html");
    // The HTML as written, attributes in their order.
    let line = main_of(&html)
        .lines()
        .find(|l| l.contains("okladka-480w"))
        .unwrap();
    assert_eq!(images_of(&html).len(), 2);
    insta::assert_snapshot!(line);
}
