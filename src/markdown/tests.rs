use super::*;

fn render_pl(text: &str) -> Rendered {
    render_with(text, true)
}

/// A Polish page with `raw_html` as given; links to `.md` files go to their folder.
fn render_with(text: &str, raw_html: bool) -> Rendered {
    let rewrite = |dest: &str| {
        dest.contains(".md")
            .then(|| format!("/{}", dest.replace(".md", "/")))
    };
    render(
        text,
        &Options {
            rewrite_link: &rewrite,
            raw_html,
            ..Options::for_tests(Language::Pl)
        },
    )
}

#[test]
fn headings_get_ids_and_a_toc() {
    let r = render_pl("## Słowa kluczowe\n\n### Jak zacząć?\n\n## Własne {#moje}\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["slowa-kluczowe", "jak-zaczac", "moje"]);
    assert!(r.html.contains("<h2 id=\"slowa-kluczowe\">Słowa kluczowe"));
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[0].children[0].id, "jak-zaczac");
}

#[test]
fn footnotes_are_numbered_and_linked_both_ways() {
    let r =
        render_pl("Google Plus.[^1] Tekst internetowym[^2].\n\n[^1]: Pierwszy.\n[^2]: Drugi.\n");
    assert!(
        r.html
            .contains("<sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"#fn-1\"")
    );
    assert!(
        r.html
            .contains("<li id=\"fn-2\"><p>Drugi. <a href=\"#fnref-2\"")
    );
    assert!(r.has_anchor("fn-1"));
    assert!(r.text.contains("internetowym"));
    assert!(
        !r.text.contains("Pierwszy"),
        "footnote text is not body text"
    );
}

#[test]
fn links_are_rewritten_and_recorded_with_offsets() {
    let src = "Zobacz [podstawy](seo/podstawy.md#slowa) i [x](https://e.org).\n";
    let r = render_pl(src);
    assert!(
        r.html.contains("href=\"/seo/podstawy/#slowa\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"https://e.org\""));
    assert_eq!(r.links.len(), 2);
    let l = &r.links[0];
    assert_eq!(&src[l.offset..l.offset + l.len], "seo/podstawy.md#slowa");
}

#[test]
fn polish_quotes_from_smart_punctuation() {
    let r = render_pl("Mówi \"tak\" i 'nie'.\n");
    assert!(r.html.contains("„tak”"), "{}", r.html);
    let en = render("Says \"yes\".\n", &Options::for_tests(Language::En));
    assert!(en.html.contains("“yes”"));
}

#[test]
fn code_is_highlighted_and_not_counted_as_words() {
    let r = render_pl("Jedno słowo.\n\n```yaml title=\"x\"\nklucz: wartość\n```\n");
    assert!(r.html.contains("class=\"language-yaml\""));
    assert_eq!(r.word_count, 2);
}

#[test]
fn summary_is_before_more_marker_else_first_paragraph() {
    let r = render_pl("Pierwszy.\n\nDrugi.\n\n<!-- more -->\n\nTrzeci.\n");
    let s = r.summary_html.unwrap();
    assert!(s.contains("Drugi") && !s.contains("Trzeci"));
    let r = render_pl("# Tytuł\n\nPierwszy akapit.\n\nDrugi.\n");
    assert_eq!(r.summary_html.as_deref(), Some("<p>Pierwszy akapit.</p>\n"));
}

#[test]
fn opening_h1_can_become_the_title() {
    let r = render(
        "# Mój tytuł\n\nTekst.\n",
        &Options {
            drop_title_heading: true,
            ..Options::for_tests(Language::Pl)
        },
    );
    assert_eq!(r.first_h1.as_deref(), Some("Mój tytuł"));
    assert!(!r.html.contains("<h1"));
}

#[test]
fn tables_tasks_and_strikethrough() {
    let r = render_pl("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] zrobione\n\n~~stare~~\n");
    assert!(r.html.contains("<table tabindex=\"0\">"));
    // A named box (axe's `label` rule), with its state.
    assert!(
        r.html.contains(
            "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Zadanie\"/>"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("<del>stare</del>"));
    let open = render_pl("- [ ] do zrobienia\n");
    assert!(
        open.html
            .contains("type=\"checkbox\" aria-label=\"Zadanie\"/>"),
        "{}",
        open.html
    );
}

#[test]
fn raw_attributes_on_headings_cannot_add_handlers() {
    let r = render_pl("## T {#t onclick=alert(1) data-x=y}\n");
    assert!(!r.html.contains("onclick"), "{}", r.html);
}

#[test]
fn more_marker_inside_a_block_never_cuts_it_open() {
    let r = render_pl("Pierwszy akapit. <!-- more --> dalej.\n\nDrugi.\n");
    assert_eq!(
        r.summary_html.as_deref(),
        Some("<p>Pierwszy akapit.  dalej.</p>\n")
    );
    let r = render_pl("- jeden\n- dwa <!-- more -->\n- trzy\n\nPotem.\n");
    let s = r.summary_html.unwrap();
    assert!(s.ends_with("</ul>\n"), "{s}");
    assert!(!s.contains("Potem"));
}

#[test]
fn autolinks_are_recorded_but_not_rewritten() {
    let r = render_pl("<https://example.org/a.md> i <jan@example.org>\n");
    assert_eq!(r.links.len(), 1);
    assert_eq!(r.links[0].rewritten, None);
    assert!(r.html.contains("href=\"https://example.org/a.md\""));
}

#[test]
fn explicit_and_footnote_ids_win_over_generated_ones() {
    let r = render_pl("## Wstęp\n\n## Inne {#wstep}\n\n## fn 1\n\nTekst[^1].\n\n[^1]: Przypis.\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["wstep-1", "wstep", "fn-1-1"]);
    assert_eq!(r.html.matches("id=\"fn-1\"").count(), 1);
}

#[test]
fn the_sentence_around_a_link_is_cut_at_sentence_ends_not_abbreviations() {
    let text =
        "Pierwsze zdanie. Drugie, np. z linkiem tutaj, ciągnie się dalej. Trzecie.\nNowy blok.";
    let at = text.find("tutaj").unwrap();
    assert_eq!(
        super::sentence_around(text, at),
        "Drugie, np. z linkiem tutaj, ciągnie się dalej."
    );
    let at = text.find("blok").unwrap();
    assert_eq!(super::sentence_around(text, at), "Nowy blok.");
    let long = format!("{}link{}", "słowo ".repeat(100), " dalej".repeat(100));
    let cut = super::sentence_around(&long, long.find("link").unwrap());
    assert!(
        cut.starts_with('…') && cut.ends_with('…') && cut.contains("link"),
        "{cut}"
    );
    assert!(cut.chars().count() <= 250);
}

proptest::proptest! {
    #[test]
    fn the_sentence_around_any_offset_is_text_of_its_block(
        text in "[a-zA-Ząę .!?\n…]{0,300}",
        at in 0usize..320,
    ) {
        let sentence = super::sentence_around(&text, at);
        let inner = sentence.trim_matches('…');
        proptest::prop_assert!(text.contains(inner), "{sentence:?} not in {text:?}");
        proptest::prop_assert!(!inner.contains('\n'));
    }

    #[test]
    fn long_sentences_are_cut_around_any_offset(
        text in "[ \n]{0,3}[a-ząęśżź ]{200,600}\\.?",
        at in 0usize..1300,
    ) {
        let sentence = super::sentence_around(&text, at);
        proptest::prop_assert!(sentence.chars().count() <= 242, "{sentence:?}");
        let inner = sentence.trim_matches('…');
        proptest::prop_assert!(text.contains(inner), "{sentence:?} not in {text:?}");
    }
}

#[test]
fn summary_text_keeps_words_apart_and_leaves_the_title_out() {
    let r = render_pl("# Tytuł\n\nPierwszy *pięk*ny akapit\nw dwóch liniach.\n\nDrugi.\n");
    assert_eq!(
        r.summary_text.as_deref(),
        Some("Pierwszy piękny akapit w dwóch liniach.")
    );
    let r =
        render_pl("Wstęp.\n\n- jeden\n- `dwa`[^1]\n\n<!-- more -->\n\nDalej.\n\n[^1]: Przypis.\n");
    assert_eq!(r.summary_text.as_deref(), Some("Wstęp. jeden dwa"));
    // Alt texts and headings are not sentences; a line break is a space.
    let r = render_pl(
        "Tytuł: tekst\n\n## Wstęp\n\n![Zrzut ekranu](a.png)<br>Pierwsze<br/>zdanie.\n\n<!-- more -->\n",
    );
    assert_eq!(
        r.summary_text.as_deref(),
        Some("Tytuł: tekst Pierwsze zdanie.")
    );
    let r = render_pl("![](a.png)\n\nTekst.\n");
    assert_eq!(r.summary_text.as_deref(), Some(""));
}

#[test]
fn mdx_comment_names_a_polish_heading_and_links_resolve() {
    let src = "## Skąd wziąć klucze {/*where-to-get-your-key*/}\n\nZobacz [klucze](#where-to-get-your-key).\n";
    let r = render_pl(src);
    assert_eq!(r.headings.len(), 1);
    assert_eq!(r.headings[0].id, "where-to-get-your-key");
    assert_eq!(r.headings[0].title, "Skąd wziąć klucze");
    assert_eq!(r.toc[0].title, "Skąd wziąć klucze");
    assert!(
        r.html
            .contains("<h2 id=\"where-to-get-your-key\">Skąd wziąć klucze <a"),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains("/*") && !r.text.contains("/*"),
        "{}",
        r.html
    );
    assert!(!r.text.contains("where"));
    assert!(r.has_anchor("where-to-get-your-key"));
    let link = &r.links[0];
    assert_eq!(link.dest, "#where-to-get-your-key");
    assert_eq!(&src[link.offset..link.offset + link.len], link.dest);
}

#[test]
fn docusaurus_comments_and_remarks_at_heading_ends() {
    let r = render_pl(
        "## Pierwszy {/* #pierwszy-id */}\n\n## Drugi {/* do poprawy później */}\n\n### Trzeci {/* #t */} ###\n",
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["pierwszy-id", "drugi", "t"]);
    let titles: Vec<_> = r.headings.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Pierwszy", "Drugi", "Trzeci"]);
    assert!(r.html.contains("<h2 id=\"drugi\">Drugi <a"), "{}", r.html);
    assert!(!r.html.contains("poprawy") && !r.html.contains("/*"));
}

#[test]
fn mkdocs_attribute_lists_name_headings() {
    let r = render_pl(
        "## Jeden {: #jeden-id }\n\n## Dwa { #dwa-id }\n\n## Trzy {:#trzy-id}\n\n## Cztery {:   #cztery-id   .szeroki }\n\nPięć {: #piec-id }\n----\n",
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["jeden-id", "dwa-id", "trzy-id", "cztery-id", "piec-id"]
    );
    let titles: Vec<_> = r.headings.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Jeden", "Dwa", "Trzy", "Cztery", "Pięć"]);
    assert!(!r.html.contains('{') && !r.html.contains(':'), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"cztery-id\" class=\"szeroki\">"));
}

#[test]
fn ids_from_other_tools_are_reserved_before_generated_ones() {
    let r = render_pl("## Klucze\n\n## Inne {/*klucze*/}\n\n## Wstęp\n\n## Potem {: #wstep }\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["klucze-1", "klucze", "wstep-1", "wstep"]);
}

#[test]
fn jsx_comments_are_dropped_from_html_text_and_summary() {
    let src = "Pierwszy {/* ukryty */} akapit{/*a*/}.\n\n{/*\nkomentarz\n\nna kilka *linii*\n*/}\n\nDrugi\n{/* w środku */}\nakapit [link](b.md).\n\n{/* sam */}\n";
    let r = render_pl(src);
    for hidden in [
        "ukryty",
        "komentarz",
        "linii",
        "środku",
        "sam",
        "{/",
        "/}",
        "<em>",
    ] {
        assert!(!r.html.contains(hidden), "{hidden} in {}", r.html);
        assert!(!r.text.contains(hidden), "{hidden} in {}", r.text);
    }
    assert!(!r.html.contains("<p></p>"), "{}", r.html);
    assert_eq!(r.html.matches("<p>").count(), 2, "{}", r.html);
    assert_eq!(r.summary_text.as_deref(), Some("Pierwszy akapit."));
    assert_eq!(r.word_count, 5);
    let link = &r.links[0];
    assert_eq!(&src[link.offset..link.offset + link.len], "b.md");
}

#[test]
fn jsx_comments_inside_headings_and_lists() {
    let r = render_pl("## Przed {/* x */} po\n\n- jeden {/* y */}\n- dwa\n\n> cytat {/*z*/}\n");
    assert_eq!(r.headings[0].title, "Przed  po");
    assert_eq!(r.headings[0].id, "przed-po");
    assert!(!r.html.contains("/*"), "{}", r.html);
    assert!(r.html.contains("<li>jeden </li>"), "{}", r.html);
}

#[test]
fn code_keeps_what_looks_like_comments() {
    let src = "Kod `{/* zostaje */}` i\n\n```jsx\n{/* też */}\n```\n\n    {/* wcięty */}\n\n<div>\n{/* surowy HTML */}\n</div>\n\nTu <span>{/* znika */}</span> zdaniu.\n";
    let r = render_pl(src);
    assert!(
        r.html.contains("<code>{/* zostaje */}</code>"),
        "{}",
        r.html
    );
    assert!(r.code_text.contains("{/* też */}"));
    assert!(r.code_text.contains("{/* wcięty */}"));
    assert!(
        r.html.contains("<div>\n{/* surowy HTML */}\n</div>"),
        "an HTML block is written as it is: {}",
        r.html
    );
    assert!(
        r.html.contains("Tu <span></span> zdaniu."),
        "text between inline tags is prose: {}",
        r.html
    );
}

#[derive(Debug, Clone)]
enum Piece {
    Word(String),
    Comment(String, String),
    CodeSpan(String),
    CodeBlock(String),
    Paragraph,
}

fn piece() -> impl proptest::strategy::Strategy<Value = Piece> {
    use proptest::prelude::*;
    let word = "[a-ząęó]{1,8}";
    prop_oneof![
        3 => word.prop_map(Piece::Word),
        1 => (word, word).prop_map(|(a, b)| Piece::Comment(a, b)),
        1 => word.prop_map(Piece::CodeSpan),
        1 => word.prop_map(Piece::CodeBlock),
        1 => Just(Piece::Paragraph),
    ]
}

proptest::proptest! {
    #[test]
    fn stripping_comments_never_panics(text in "[a-z {}/*#:`\n\\-=<>!]{0,120}") {
        let r = render_pl(&text);
        proptest::prop_assert!(r.word_count <= text.len());
    }

    #[test]
    fn comments_go_and_code_stays_as_written(pieces in proptest::collection::vec(piece(), 0..24)) {
        let mut text = String::new();
        let mut spans = Vec::new();
        let mut blocks = Vec::new();
        for piece in &pieces {
            match piece {
                Piece::Word(w) => text.push_str(&format!("{w} ")),
                Piece::Comment(a, b) => text.push_str(&format!("{{/* {a}\n{b} */}} ")),
                Piece::CodeSpan(w) => {
                    let code = format!("{{/* {w} */}}");
                    text.push_str(&format!("`{code}` "));
                    spans.push(code);
                }
                Piece::CodeBlock(w) => {
                    let code = format!("{{/* {w} */}}\n");
                    text.push_str(&format!("\n\n```\n{code}```\n\n"));
                    blocks.push(code);
                }
                Piece::Paragraph => text.push_str("\n\n"),
            }
        }
        let r = render_pl(&text);
        for code in &spans {
            let html = format!("<code>{code}</code>");
            proptest::prop_assert!(r.html.contains(&html), "{} not in {}", html, r.html);
        }
        for code in &blocks {
            proptest::prop_assert!(r.code_text.contains(code.as_str()), "{code:?} not in {:?}", r.code_text);
        }
        proptest::prop_assert_eq!(r.html.matches("{/*").count(), spans.len() + blocks.len(), "{}", r.html);
        proptest::prop_assert_eq!(r.code_text.len(), blocks.iter().map(String::len).sum::<usize>());
    }
}

#[test]
fn inline_scripts_and_styles_are_passed_on_as_written() {
    let r = render_pl(
        "Przed <script>alert('raw'); if (a && b) {}</script> i po 'cytacie' w tekście.\n\nStyl <style>p::before { content: \"a b\"; }</style> z.\n",
    );
    assert!(
        r.html
            .contains("<script>alert('raw'); if (a && b) {}</script>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<style>p::before { content: \"a b\"; }</style>"),
        "{}",
        r.html
    );
    // Text around them keeps its typography.
    assert!(r.html.contains("‚cytacie’"), "{}", r.html);
    assert!(r.html.contains("w\u{a0}tekście"), "{}", r.html);
}

#[test]
fn control_characters_never_reach_the_page_or_its_text() {
    let r = render_pl("Tekst a\0b <b>c\u{7}d</b>\n\n<div>e\0f</div>\n");
    assert!(
        !r.html.bytes().any(crate::yaml::is_forbidden_control),
        "{:?}",
        r.html
    );
    assert!(
        !r.text.bytes().any(crate::yaml::is_forbidden_control),
        "{:?}",
        r.text
    );
    assert!(
        r.html.contains("<b>cd</b>") && r.html.contains("<div>ef</div>"),
        "{}",
        r.html
    );
}

#[test]
fn code_written_as_html_keeps_its_quotes_dashes_and_dots() {
    let r = render_pl(
        "Wpisz <code>echo 'a' \"b\" -- ...</code>, <kbd>'x'</kbd> i <pre>'p'</pre> -- a 'tu' tak.\n",
    );
    assert!(
        r.html.contains("<code>echo 'a' \"b\" -- ...</code>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<kbd>'x'</kbd>"), "{}", r.html);
    assert!(r.html.contains("<pre>'p'</pre>"), "{}", r.html);
    // Outside them smart punctuation goes on.
    assert!(r.html.contains("– a\u{a0}‚tu’ tak"), "{}", r.html);
    assert!(
        r.text.contains("echo 'a'"),
        "searchable as written: {}",
        r.text
    );
}

#[test]
fn without_raw_html_html_is_shown_as_text_and_script_links_are_dropped() {
    let r = render_with(
        "Tekst <img src=x onerror=alert(1)> i <b>pogrubienie</b>.\n\n<script>alert(2)</script>\n\n<iframe src=\"https://x.example\"></iframe>\n\n[klik](javascript:alert(3)) [k2](JaVaScRiPt:alert(4)) [d](data:text/html,<script>x</script>) [ok](https://example.com) <javascript:alert(5)>\n\n![obraz](data:image/png;base64,AAAA)\n\nPrzed\n\n<!-- more -->\n\nPo.\n",
        false,
    );
    let html = &r.html;
    for raw in [
        "<img src=x",
        "<b>",
        "<script>",
        "<iframe",
        "href=\"javascript:",
        "href=\"JaVa",
        "data:text",
    ] {
        assert!(!html.contains(raw), "{raw} in {html}");
    }
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(
        html.contains("<p>&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("href=\"https://example.com\""), "{html}");
    assert!(
        html.contains("src=\"data:image/png;base64,AAAA\""),
        "a picture stays: {html}"
    );
    assert!(
        r.summary_html.is_some(),
        "the more marker still ends the summary"
    );
}

#[test]
fn raw_html_is_passed_by_default() {
    let r = render_pl(
        "Tekst <b>pogrubienie</b>.\n\n<div class=\"x\">blok</div>\n\n[k](javascript:void(0))\n",
    );
    assert!(r.html.contains("<b>pogrubienie</b>"), "{}", r.html);
    assert!(r.html.contains("<div class=\"x\">blok</div>"), "{}", r.html);
    assert!(r.html.contains("href=\"javascript:void(0)\""), "{}", r.html);
}
