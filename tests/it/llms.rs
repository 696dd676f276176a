//! `llms.txt` and `llms-full.txt`: read back as the llmstxt.org format says (a `#` name, a
//! `>` description, paragraphs, then `##` parts holding `- [title](url): description` lists),
//! every link an article the build wrote, and the articles left out that should be.

use crate::fixture::{Site, article};

const CONFIG: &str = "title: \"Baza wiedzy\"\nbase_url: \"https://example.org/kb/\"\nlanguage: pl\ndescription: \"Marketing dla małych firm.\"\n";

/// A site with articles at the top and in nested sections, one in English, a component call
/// and an included snippet, and the articles llms.txt leaves out: a draft, a `noindex` one
/// and a `search: false` one.
fn llms_site(extra_config: &str) -> Site {
    Site::empty()
        .file("kbsite.yaml", &format!("{CONFIG}{extra_config}"))
        .file("content/_index.md", "---\ntitle: \"Start\"\n---\n\nWitaj.\n")
        // Titled by its first heading, which its text then drops, as its page does.
        .file("content/o-nas.md", "# O nas\n\nKim jesteśmy.\n")
        .file("content/seo/_index.md", "---\ntitle: \"SEO\"\n---\n")
        .file(
            "content/seo/techniczne/_index.md",
            "---\ntitle: \"Techniczne [SEO]\"\n---\n",
        )
        .file("snippets/cennik.md", "Cena: **100 zł**.\n")
        .file(
            "content/seo/podstawy.md",
            &article(
                "Podstawy SEO",
                "2024-01-01",
                "description: \"Od czego zacząć.\"\n",
                "Zobacz [mapę strony](techniczne/mapa.md#plik) i [[Mapa strony]].\n\n{% tabs(label=\"Platforma\") %}\n{% tab(label=\"Google\") %}\nKrok w Google.\n{% end %}\n{% end %}\n\n{{ include(path=\"snippets/cennik.md\") }}\n\n{{ youtube(id=\"abc\") }}\n\n<!-- more -->\n\nKoniec.",
            ),
        )
        .file(
            "content/seo/techniczne/mapa.md",
            &article(
                "Mapa strony",
                "2024-02-02",
                "",
                "Pierwszy akapit o mapie.\n\n## Plik\n\nTreść o pliku.",
            ),
        )
        .file(
            "content/seo/szkic.md",
            &article("Szkic", "2024-03-03", "draft: true\n", "Tekst szkicu."),
        )
        .file(
            "content/seo/ukryty.md",
            &article("Ukryty", "2024-03-03", "noindex: true\n", "Tekst ukrytego."),
        )
        .file(
            "content/seo/poza-wyszukiwarka.md",
            &article("Poza wyszukiwarką", "2024-03-03", "search: false\n", "Tekst."),
        )
        .file(
            "content/seo/podstawy.en.md",
            &article("SEO basics", "2024-01-01", "", "Where to start."),
        )
}

/// One `- [title](url): description` line of llms.txt.
#[derive(Debug, PartialEq)]
struct Entry {
    title: String,
    url: String,
    description: Option<String>,
}

/// llms.txt read back as its format says.
struct Llms {
    name: String,
    description: String,
    paragraphs: Vec<String>,
    /// Each `##` part with its entries.
    parts: Vec<(String, Vec<Entry>)>,
}

/// Reads llms.txt; panics where the text does not follow the format.
fn parse_llms(text: &str) -> Llms {
    let mut lines = text.lines().peekable();
    let name = lines
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .expect("the first line is `# name`")
        .to_string();
    let mut description = String::new();
    let mut paragraphs = Vec::new();
    let mut parts: Vec<(String, Vec<Entry>)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if let Some(title) = line.strip_prefix("## ") {
            parts.push((title.to_string(), Vec::new()));
        } else if let Some((_, entries)) = parts.last_mut() {
            let rest = line
                .strip_prefix("- [")
                .unwrap_or_else(|| panic!("not a list item under a part: {line}"));
            // The title ends at the first `](` not escaped.
            let end = rest
                .match_indices("](")
                .map(|(i, _)| i)
                .find(|&i| !rest[..i].ends_with('\\'))
                .expect("`](` after the title");
            let title = rest[..end].replace("\\[", "[").replace("\\]", "]");
            let rest = &rest[end + 2..];
            let close = rest.find(')').expect("`)` after the URL");
            let url = rest[..close].to_string();
            let description = match &rest[close + 1..] {
                "" => None,
                more => Some(
                    more.strip_prefix(": ")
                        .unwrap_or_else(|| panic!("`: description` after the link: {line}"))
                        .to_string(),
                ),
            };
            entries.push(Entry {
                title,
                url,
                description,
            });
        } else if let Some(quote) = line.strip_prefix("> ") {
            assert!(
                description.is_empty() && paragraphs.is_empty(),
                "one blockquote, right after the name"
            );
            description = quote.to_string();
        } else {
            assert!(
                !line.starts_with('#'),
                "only `##` parts after the name: {line}"
            );
            paragraphs.push(line.to_string());
        }
    }
    Llms {
        name,
        description,
        paragraphs,
        parts,
    }
}

#[test]
fn llms_txt_lists_every_article_by_section_in_the_format() {
    let site = llms_site("");
    site.build(&["-q"]);
    let text = site.read("llms.txt");
    let Llms {
        name,
        description,
        paragraphs,
        parts,
    } = parse_llms(&text);
    assert_eq!(name, "Baza wiedzy");
    assert_eq!(description, "Marketing dla małych firm.");
    assert_eq!(
        paragraphs,
        [
            "Pełna treść artykułów w Markdownie: [llms-full.txt](https://example.org/kb/llms-full.txt)",
            "English: [llms.txt](https://example.org/kb/en/llms.txt)",
        ]
    );
    let headings: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(headings, ["Artykuły", "SEO", "SEO › Techniczne [SEO]"]);
    let listed: Vec<&Entry> = parts.iter().flat_map(|(_, e)| e).collect();
    let titles: Vec<&str> = listed.iter().map(|e| e.title.as_str()).collect();
    // No draft, `noindex` or `search: false` article, and no English one.
    assert_eq!(titles, ["O nas", "Podstawy SEO", "Mapa strony"]);
    assert_eq!(
        listed[1].description.as_deref(),
        Some("Od czego zacząć."),
        "the front matter's description"
    );
    assert_eq!(
        listed[2].description.as_deref(),
        Some("Pierwszy akapit o mapie."),
        "else the summary"
    );
    for entry in &listed {
        let path = entry
            .url
            .strip_prefix("https://example.org/kb/")
            .unwrap_or_else(|| panic!("absolute URL under base_url: {}", entry.url));
        assert!(
            site.output(&format!("{path}index.html")).is_file(),
            "{} is a page of the build",
            entry.url
        );
    }
    // The English part has its own, pointing back.
    let Llms {
        name,
        description,
        paragraphs,
        parts,
    } = parse_llms(&site.read("en/llms.txt"));
    assert_eq!(
        (name.as_str(), description.as_str()),
        ("Baza wiedzy", "Marketing dla małych firm.")
    );
    assert_eq!(
        paragraphs[1],
        "Polski: [llms.txt](https://example.org/kb/llms.txt)"
    );
    let en: Vec<&str> = parts
        .iter()
        .flat_map(|(_, e)| e)
        .map(|e| e.url.as_str())
        .collect();
    assert_eq!(en, ["https://example.org/kb/en/seo/podstawy/"]);
    assert!(site.output("en/llms-full.txt").is_file());
}

#[test]
fn llms_full_holds_each_articles_markdown_under_its_title_and_url() {
    let site = llms_site("");
    site.build(&["-q"]);
    let full = site.read("llms-full.txt");
    let mut articles = full.split("\n---\n\n");
    let header = articles.next().unwrap();
    assert_eq!(header, "# Baza wiedzy\n\n> Marketing dla małych firm.\n");
    let articles: Vec<&str> = articles.collect();
    assert_eq!(articles.len(), 3, "{full}");
    assert!(
        articles[0].starts_with("# O nas\n\nURL: https://example.org/kb/o-nas/\n\nKim jesteśmy.\n")
    );
    let basics = articles[1];
    assert_eq!(
        basics,
        "# Podstawy SEO\n\nURL: https://example.org/kb/seo/podstawy/\n\n\
         Zobacz [mapę strony](https://example.org/kb/seo/techniczne/mapa/#plik) i \
         [Mapa strony](https://example.org/kb/seo/techniczne/mapa/).\n\n\
         **Platforma**\n\n**Google**\n\nKrok w Google.\n\nCena: **100 zł**.\n\nKoniec.\n"
    );
    assert!(
        !full.contains("title:") && !full.contains("date:"),
        "no front matter"
    );
    assert!(!full.contains("<p>") && !full.contains("<!--"), "no HTML");
    for left_out in ["Szkic", "Ukryty", "Poza wyszukiwarką", "SEO basics"] {
        assert!(!full.contains(left_out), "{left_out}");
    }
    assert!(site.read("en/llms-full.txt").contains(
        "# SEO basics\n\nURL: https://example.org/kb/en/seo/podstawy/\n\nWhere to start.\n"
    ));
}

#[test]
fn llms_full_keeps_whole_articles_up_to_its_limit() {
    let big = "Zdanie o marketingu w małej firmie. ".repeat(12_000);
    let site = Site::empty()
        .file("kbsite.yaml", &format!("{CONFIG}llms_full_max_mb: 1\n"))
        .file("content/a.md", &article("A", "2024-01-01", "", &big))
        .file("content/b.md", &article("B", "2024-01-02", "", &big))
        .file("content/c.md", &article("C", "2024-01-03", "", &big));
    site.build(&["-q"]);
    let full = site.read("llms-full.txt");
    assert!(full.len() <= 1_000_000 + 1_000, "{} bytes", full.len());
    assert_eq!(full.matches("\nURL: ").count(), 2);
    assert!(
        full.contains("Artykuły w tym pliku: 2/3 (llms_full_max_mb: 1). Pełna lista: [llms.txt](https://example.org/kb/llms.txt)"),
        "{}",
        &full[..300]
    );
    let parts = parse_llms(&site.read("llms.txt")).parts;
    assert_eq!(parts[0].1.len(), 3, "llms.txt lists every article");
}

#[test]
fn llms_files_can_be_turned_off() {
    let off = llms_site("llms_txt: false\n");
    off.build(&["-q"]);
    for file in [
        "llms.txt",
        "llms-full.txt",
        "en/llms.txt",
        "en/llms-full.txt",
    ] {
        assert!(!off.output(file).exists(), "{file}");
    }
    let index_only = llms_site("llms_full_max_mb: 0\n");
    index_only.build(&["-q"]);
    assert!(!index_only.output("llms-full.txt").exists());
    let paragraphs = parse_llms(&index_only.read("llms.txt")).paragraphs;
    assert_eq!(
        paragraphs,
        ["English: [llms.txt](https://example.org/kb/en/llms.txt)"]
    );
}
