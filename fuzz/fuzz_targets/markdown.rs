//! The whole Markdown-to-HTML path: any text renders without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rewrite = |dest: &str| dest.strip_suffix(".md").map(|s| format!("/{s}/"));
    let rendered = kbsite::markdown::render(
        text,
        &kbsite::markdown::Options {
            lang: kbsite::config::Language::Pl,
            drop_title_heading: true,
            rewrite_link: &rewrite,
        },
    );
    assert!(rendered.word_count <= text.split_whitespace().count());
});
