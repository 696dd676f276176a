//! Fonts, titles and SVGs for the tests of cards.

use super::{CardText, Fonts};

/// The bundled fonts of the default theme.
pub(super) fn bundled() -> Fonts {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/fonts");
    Fonts::new(vec![
        std::fs::read(dir.join("DejaVuSans.ttf")).unwrap(),
        std::fs::read(dir.join("DejaVuSans-Bold.ttf")).unwrap(),
    ])
}

/// Titles (Polish with diacritics, long enough to wrap to three lines or be cut, quotes and
/// markup), sections and sites, `count` of them: titles differ, sections and sites recur.
pub(super) fn samples(count: usize) -> Vec<(String, String, String)> {
    const TITLES: [&str; 6] = [
        "Newsletter od podstaw",
        "Źródła ruchu w małej firmie: jak zdobyć pierwszych klientów z wyszukiwarki",
        "Żółta kartka dla gęślą jaźń – „cytat” <i> & znaki, które XML ucieka",
        "Bardzo długi tytuł o zażółconej gęśli, który nie mieści się w trzech wierszach karty \
         i musi zostać ucięty wielokropkiem, bo ma za dużo słów: ąęćńóśźż ĄĘĆŃÓŚŹŻ",
        "SEO",
        "Social media marketing in a small business",
    ];
    const SECTIONS: [&str; 4] = ["", "SEO i widoczność lokalna", "E-mail i treści", "Media"];
    const SITES: [&str; 2] = ["Marketing małej firmy", "Small business marketing"];
    (0..count)
        .map(|i| {
            (
                format!("{} {i}", TITLES[i % TITLES.len()]),
                SECTIONS[i % SECTIONS.len()].to_string(),
                SITES[i % SITES.len()].to_string(),
            )
        })
        .collect()
}

/// The SVG of a card as the default theme's `social_card.svg` lays it out, written out here
/// (templates are the business of `render`): a background, a stripe, the section, the title,
/// a bar and the site's name.
pub(super) fn svg(text: &CardText) -> String {
    let line_height = text.title_size as f32 * 1.22;
    let first = 330.0 - (text.title_lines.len() as f32 - 1.0) * line_height / 2.0;
    let lines: String = text
        .title_lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let y = first + i as f32 * line_height;
            format!(r#"<tspan x="80" y="{y}">{}</tspan>"#, escape(line))
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<rect width="1200" height="630" fill="#14213d"/>
<rect x="0" y="0" width="20" height="630" fill="#fca311"/>
<text x="80" y="110" font-family="DejaVu Sans" font-size="30" fill="#fca311">{section}</text>
<text font-family="DejaVu Sans" font-weight="bold" font-size="{size}" fill="#ffffff">{lines}</text>
<rect x="80" y="520" width="80" height="6" fill="#fca311"/>
<text x="80" y="570" font-family="DejaVu Sans" font-size="30" fill="#e5e5e5">{site}</text>
</svg>"##,
        section = escape(&text.section),
        size = text.title_size,
        site = escape(&text.site),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The SVGs of `count` sample cards.
pub(super) fn sample_svgs(fonts: &Fonts, count: usize) -> Vec<String> {
    samples(count)
        .iter()
        .map(|(title, section, site)| svg(&CardText::new(fonts, title, site, section, "pl")))
        .collect()
}

/// The most a channel of a card may differ from `resvg`'s drawing of the same SVG. Glyphs are
/// painted from masks rasterised at positions rounded to a quarter of a pixel (see `glyphs`);
/// tiny-skia's scan converter samples four rows a pixel and puts edges on quarters of a
/// pixel, so a moved edge changes a pixel's coverage by at most a quarter, and a pixel where a
/// vertical and a horizontal edge meet by two quarters: half of the full range, 128 of 255
/// (white on the default theme's navy comes to 87 at most on the bench's cards).
pub(super) const MAX_CHANNEL_DIFFERENCE: u8 = 128;
/// The most pixels of a card that may differ from `resvg`'s at all: only anti-aliased pixels
/// along glyph edges do (about 0.5% on the bench's cards, three lines of 72 px text).
pub(super) const MAX_DIFFERING_SHARE: f64 = 0.02;

/// Asserts that two pictures of the same size (`channels` bytes a pixel) look the same: no
/// channel differs by more than [`MAX_CHANNEL_DIFFERENCE`], at most [`MAX_DIFFERING_SHARE`]
/// of the pixels differ at all.
pub(super) fn assert_looks_the_same(drawn: &[u8], expected: &[u8], channels: usize, what: &str) {
    assert_eq!(drawn.len(), expected.len(), "{what}");
    let mut differing = 0;
    for (a, b) in drawn.chunks(channels).zip(expected.chunks(channels)) {
        let worst = a
            .iter()
            .zip(b)
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        assert!(
            worst <= MAX_CHANNEL_DIFFERENCE,
            "a pixel differs by {worst}: {what}"
        );
        differing += usize::from(worst > 0);
    }
    let share = differing as f64 / (drawn.len() / channels) as f64;
    assert!(
        share <= MAX_DIFFERING_SHARE,
        "{share} of the pixels differ: {what}"
    );
}
