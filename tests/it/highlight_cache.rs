//! The highlight cache: a build whose code blocks were all highlighted before never loads the
//! syntax definitions, and the cache never changes a byte of the output.

use crate::fixture::{Site, article};

const CACHE_FILE: &str = ".kbsite-cache/highlight.bin";

fn with_code() -> Site {
    Site::new()
        .file(
            "content/a.md",
            &article(
                "Konfiguracja",
                "2024-01-01",
                "",
                "Plik:\n\n```yaml\n# komentarz\nklucz: \"wartość\"\n```\n\nI to samo z numerami:\n\n```yaml linenos hl_lines=\"2\"\n# komentarz\nklucz: \"wartość\"\n```\n",
            ),
        )
        .file(
            "content/b.md",
            &article(
                "Skrypt",
                "2024-01-02",
                "",
                "```js\nconst x = 1; // jeden\n```\n\n```nieznany\n<b>tekst</b>\n```\n\n```\nbez języka\n```\n",
            ),
        )
}

/// The `-v` line about code blocks.
fn code_line(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|l| l.trim_start().starts_with("code blocks:"))
        .unwrap_or_else(|| panic!("no code blocks line in:\n{stdout}"))
        .trim()
}

#[test]
fn a_second_build_with_unchanged_code_never_loads_the_syntax_definitions() {
    let site = with_code();
    let first = site.build(&["-v"]);
    // The same YAML twice is highlighted once; a block without a language needs nothing.
    assert_eq!(
        code_line(&first.stdout),
        "code blocks: 1 from the highlight cache, 3 highlighted; syntax definitions loaded"
    );
    let second = site.build(&["-v"]);
    assert_eq!(
        code_line(&second.stdout),
        "code blocks: 4 from the highlight cache, 0 highlighted; syntax definitions not loaded"
    );

    // A changed block is highlighted again, and only it.
    let text = std::fs::read_to_string(site.path().join("content/b.md")).unwrap();
    site.write("content/b.md", &text.replace("const x = 1", "let y = 2"));
    let third = site.build(&["-v"]);
    assert_eq!(
        code_line(&third.stdout),
        "code blocks: 3 from the highlight cache, 1 highlighted; syntax definitions loaded"
    );
    assert!(
        site.read("b/index.html").contains("hl-"),
        "still highlighted"
    );
}

#[test]
fn cached_uncached_and_spoilt_caches_give_the_same_bytes() {
    let site = with_code();
    site.build(&["--output", "uncached"]);
    let uncached = site.tree("uncached");
    site.build(&["--output", "cached", "-v"]);
    let cached = site.build(&["--output", "cached", "-v"]);
    assert!(code_line(&cached.stdout).contains(" 0 highlighted"));
    assert_eq!(site.tree("cached"), uncached);
    assert!(
        uncached["a/index.html"]
            .windows(b"hl-comment".len())
            .any(|w| w == b"hl-comment"),
        "the YAML comment is highlighted"
    );

    // A cut-short or foreign cache file is ignored without a word, and written again.
    let cache = site.path().join(CACHE_FILE);
    let whole = std::fs::read(&cache).unwrap();
    for spoilt in [&whole[..whole.len() / 2], b"not a cache".as_slice()] {
        std::fs::write(&cache, spoilt).unwrap();
        let run = site.build(&["--output", "spoilt", "-v"]);
        assert!(!run.stderr.contains("cache"), "{}", run.stderr);
        assert!(
            code_line(&run.stdout).contains(" 3 highlighted"),
            "{}",
            run.stdout
        );
        assert_eq!(site.tree("spoilt"), uncached);
        assert_eq!(std::fs::read(&cache).unwrap(), whole, "written again");
    }
}
