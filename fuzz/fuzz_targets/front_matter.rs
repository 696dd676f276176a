//! The front matter splitter and YAML reader: any bytes give a document or located errors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = kbsite::content::front_matter::split(text);
    if let Err(errors) = kbsite::content::load::parse_document(
        "a.md",
        "content/a.md".into(),
        text.to_string(),
        &["tags".to_string()],
    ) {
        for e in errors {
            assert!(e.location().is_some(), "front matter error without a place: {e}");
        }
    }
});
