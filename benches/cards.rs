//! What a social card costs: CPU time per card, drawn the way a build draws them (the default
//! theme's `social_card.svg` filled by Tera, then `Fonts::draw`), and the cards themselves for
//! comparing drawers.
//!
//!     cargo test --release --bench cards -- --ignored --nocapture card_cpu_time
//!
//! lays out, fills and draws 5 rounds of 200 cards of varied titles (short, long, Polish with
//! diacritics wrapped to three lines, cut with `…`) and prints the median CPU time per card of
//! the drawing thread (CPU time, not wall time: the machine may be shared). With
//! `KBSITE_CARD_DUMP=<dir>` it also writes a few cards there; two such folders are compared
//! pixel by pixel (how many pixels differ, by how much at most and on average) with
//!
//!     KBSITE_CARD_BEFORE=<dir> KBSITE_CARD_AFTER=<dir> \
//!         cargo test --release --bench cards -- --ignored --nocapture compare_card_dirs

use std::path::{Path, PathBuf};
use std::time::Duration;

use kbsite::cards::{CardText, Fonts};

/// Cards drawn per round.
const CARDS: usize = 200;
/// Rounds; the median is reported.
const ROUNDS: usize = 5;

fn theme_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

/// The bundled fonts of the default theme.
fn bundled() -> Fonts {
    let dir = theme_dir().join("fonts");
    Fonts::new(vec![
        std::fs::read(dir.join("DejaVuSans.ttf")).unwrap(),
        std::fs::read(dir.join("DejaVuSans-Bold.ttf")).unwrap(),
    ])
}

/// The default theme's card template, escaped as the renderer escapes it.
fn template() -> tera::Tera {
    let source = std::fs::read_to_string(theme_dir().join("templates/social_card.svg")).unwrap();
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".svg"]);
    tera.add_raw_template("social_card.svg", &source).unwrap();
    tera
}

/// The SVG of one card, as `CardDrawer::draw` fills it.
fn svg(tera: &tera::Tera, text: &CardText) -> String {
    let mut ctx = tera::Context::new();
    ctx.insert("card", text);
    tera.render("social_card.svg", &ctx).unwrap()
}

/// Titles, sections and sites of every shape a card meets, the same on every run.
fn samples(count: usize) -> Vec<(String, String, String)> {
    const WORDS: [&str; 24] = [
        "marketing",
        "małej",
        "firmy",
        "źródła",
        "ruchu",
        "Żółć",
        "gęślą",
        "jaźń",
        "opinie",
        "klientów",
        "SEO",
        "wizytówka",
        "sprzedaż",
        "„cytat”",
        "–",
        "newsletter",
        "Łódź",
        "Świętokrzyskie",
        "dwadzieścia",
        "QWERTY",
        "analityka",
        "konwersji",
        "ąęćńóśźż",
        "ŻÓŁTY",
    ];
    const SECTIONS: [&str; 4] = ["", "SEO i widoczność lokalna", "E-mail i treści", "Media"];
    const SITES: [&str; 2] = ["Marketing małej firmy", "Small business marketing"];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) % n as u64) as usize
    };
    (0..count)
        .map(|i| {
            // From 2 words to 40, so some titles fit one line and some are cut.
            let words = 2 + next(if i % 10 == 0 { 39 } else { 16 });
            let title: Vec<&str> = (0..words).map(|_| WORDS[next(WORDS.len())]).collect();
            (
                title.join(" "),
                SECTIONS[next(SECTIONS.len())].to_string(),
                SITES[next(SITES.len())].to_string(),
            )
        })
        .collect()
}

/// Titles to look at before and after a change to drawing, named by file.
fn showcase() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("short", "Newsletter od podstaw", "E-mail i treści"),
        (
            "polish-3-lines",
            "Źródła ruchu w małej firmie: jak zdobyć pierwszych klientów z wyszukiwarki \
             i poczty, gęślą jaźń",
            "SEO i widoczność lokalna",
        ),
        (
            "cut",
            "Bardzo długi tytuł o zażółconej gęśli, który nie mieści się w trzech wierszach \
             karty i musi zostać ucięty wielokropkiem, bo ma za dużo słów: ąęćńóśźż ĄĘĆŃÓŚŹŻ",
            "",
        ),
        (
            "quotes",
            "„Cytat” – <tag> & znaki, które XML ucieka",
            "Media",
        ),
        (
            "english",
            "Social media marketing in a small business",
            "Social media and reviews",
        ),
    ]
}

/// The CPU time this thread has used.
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Elsewhere, wall time since the first call (a poorer measure on a busy machine).
#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
#[ignore = "a benchmark: run with --release --ignored --nocapture"]
fn card_cpu_time() {
    let fonts = bundled();
    let tera = template();
    // Every round has titles of its own, as a build has: only backgrounds, sections and
    // site names recur.
    let all = samples(CARDS * ROUNDS);
    let (mut layout, mut fill, mut draw) = (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    for samples in all.chunks(CARDS) {
        let start = thread_cpu();
        let texts: Vec<CardText> = samples
            .iter()
            .map(|(t, s, site)| CardText::new(&fonts, t, site, s, "pl"))
            .collect();
        let laid = thread_cpu();
        let svgs: Vec<String> = texts.iter().map(|t| svg(&tera, t)).collect();
        let filled = thread_cpu();
        bytes = svgs
            .iter()
            .map(|s| fonts.draw(s).unwrap().len())
            .sum::<usize>();
        let drawn = thread_cpu();
        let per_card = |d: Duration| d.as_secs_f64() * 1000.0 / CARDS as f64;
        layout.push(per_card(laid - start));
        fill.push(per_card(filled - laid));
        draw.push(per_card(drawn - filled));
    }
    println!(
        "card CPU ms/card, median of {ROUNDS} rounds of {CARDS}: layout {:.3}, template {:.3}, \
         draw {:.3}; {} bytes/card",
        median(layout),
        median(fill),
        median(draw),
        bytes / CARDS,
    );
    if let Some(dir) = std::env::var_os("KBSITE_CARD_DUMP") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, title, section) in showcase() {
            let text = CardText::new(&fonts, title, "Marketing małej firmy", section, "pl");
            let png = fonts.draw(&svg(&tera, &text)).unwrap();
            println!("{name}: {} bytes, {:?}", png.len(), text.title_lines);
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
        for (i, (title, section, site)) in all[..CARDS].iter().enumerate() {
            let text = CardText::new(&fonts, title, site, section, "pl");
            let png = fonts.draw(&svg(&tera, &text)).unwrap();
            std::fs::write(dir.join(format!("sample-{i:03}.png")), png).unwrap();
        }
    }
}

/// A PNG's pixels as RGB, with its size.
fn decode_rgb(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    (info.width, info.height, pixels)
}

/// The most a channel may differ between two drawers' cards, and the largest share of a
/// card's pixels that may differ at all, as the unit tests of `cards` hold against `resvg`
/// (see `MAX_CHANNEL_DIFFERENCE` there for why).
const MAX_CHANNEL_DIFFERENCE: u8 = 128;
const MAX_DIFFERING_SHARE: f64 = 0.02;

/// Compares the cards of two `KBSITE_CARD_DUMP` folders pixel by pixel: how many pixels of each
/// card differ and by how much, and the mean difference of a channel over all cards. Fails
/// when two cards do not look the same (the bounds above).
#[test]
#[ignore = "a tool: compares two folders of cards"]
fn compare_card_dirs() {
    let (Some(before), Some(after)) = (
        std::env::var_os("KBSITE_CARD_BEFORE"),
        std::env::var_os("KBSITE_CARD_AFTER"),
    ) else {
        panic!("set KBSITE_CARD_BEFORE and KBSITE_CARD_AFTER");
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&before)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    names.sort();
    let (mut same, mut bytes_before, mut bytes_after) = (0, 0, 0);
    let (mut worst_of_all, mut total_difference, mut channels) = (0, 0u64, 0u64);
    let mut too_different = Vec::new();
    for path in &names {
        let other = Path::new(&after).join(path.file_name().unwrap());
        let (a, b) = (decode_rgb(path), decode_rgb(&other));
        assert_eq!((a.0, a.1), (b.0, b.1), "{}", path.display());
        let differing =
            a.2.chunks(3)
                .zip(b.2.chunks(3))
                .filter(|(x, y)| x != y)
                .count();
        let worst =
            a.2.iter()
                .zip(&b.2)
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap_or(0);
        total_difference +=
            a.2.iter()
                .zip(&b.2)
                .map(|(x, y)| u64::from(x.abs_diff(*y)))
                .sum::<u64>();
        channels += a.2.len() as u64;
        worst_of_all = worst_of_all.max(worst);
        if differing == 0 {
            same += 1;
        } else {
            println!(
                "{}: {differing} pixels differ, by up to {worst}",
                path.display()
            );
        }
        let share = differing as f64 / (a.2.len() / 3) as f64;
        if worst > MAX_CHANNEL_DIFFERENCE || share > MAX_DIFFERING_SHARE {
            too_different.push(path.display().to_string());
        }
        bytes_before += std::fs::metadata(path).unwrap().len();
        bytes_after += std::fs::metadata(&other).unwrap().len();
    }
    println!(
        "{same} of {} cards have the same pixels; a channel differs by up to {worst_of_all}, \
         {:.3} on average; {} bytes a card before, {} after",
        names.len(),
        total_difference as f64 / channels.max(1) as f64,
        bytes_before / names.len() as u64,
        bytes_after / names.len() as u64
    );
    assert!(
        too_different.is_empty(),
        "cards that look different: {too_different:?}"
    );
}
