//! What writers of documentation expect from Markdown: formulas, code-block attributes and
//! Mermaid fences, rendered through [`render`] as pages get them.

use super::*;

fn render_pl(text: &str) -> Rendered {
    render(text, &Options::for_tests(Language::Pl))
}

#[test]
fn inline_and_display_formulas_become_mathml() {
    let r = render_pl(
        "Wskaźnik $\\mathrm{ROAS}$ liczymy tak:\n\n\
         $$\\mathrm{ROAS} = \\frac{\\text{przychód}}{\\text{koszt reklamy}}$$\n",
    );
    assert!(r.math_errors.is_empty(), "{:?}", r.math_errors);
    assert!(r.features.math && !r.features.code);
    assert!(!r.html.contains('$'), "{}", r.html);
    insta::assert_snapshot!(r.html);
}

#[test]
fn formulas_are_not_page_text_but_their_words_are_searched() {
    let r = render_pl("Wzór $\\frac{\\text{przychód}}{\\text{koszt}}$ jest prosty.\n");
    assert_eq!(r.text.trim(), "Wzór  jest prosty.");
    assert_eq!(r.summary_text.as_deref(), Some("Wzór jest prosty."));
    assert_eq!(r.code_text, "przychód koszt\n");
    assert_eq!(r.word_count, 3);
}

#[test]
fn a_formula_that_does_not_parse_is_an_error_at_its_place() {
    let text = "# Tytuł\n\nDobry $x^2$, zły $a^b^c$ i dalej.\n\n$$\n\\nieznane{x}\n$$\n";
    let r = render_pl(text);
    assert_eq!(r.math_errors.len(), 2, "{:?}", r.math_errors);
    let first = &r.math_errors[0];
    assert_eq!(first.offset, text.find("$a^").unwrap());
    assert_eq!(&text[first.offset..first.offset + first.len], "$a^b^c$");
    assert_eq!(first.formula, "a^b^c");
    assert!(
        first.message.contains("superscript twice"),
        "{}",
        first.message
    );
    let second = &r.math_errors[1];
    assert_eq!(second.offset, text.find("$$").unwrap());
    assert!(
        second.message.contains("unknown primitive"),
        "{}",
        second.message
    );
    // The page shows the source until it is fixed.
    assert!(
        r.html.contains("<code class=\"math-error\">a^b^c</code>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<msup>"), "the good one is drawn");
}

#[test]
fn text_in_code_is_never_math() {
    let r = render_pl(
        "Zmienna `$x$` i `$$y$$`.\n\n```sh\necho \"$HOME $PATH\"\ncena=$5$\n```\n\n    $wciete$\n",
    );
    assert!(!r.features.math);
    assert!(r.math_errors.is_empty());
    assert!(!r.html.contains("<math"), "{}", r.html);
    assert!(r.html.contains("<code>$x$</code>"), "{}", r.html);
    assert!(r.code_text.contains("echo \"$HOME $PATH\""));
}

#[test]
fn dollar_signs_as_currency_are_text() {
    for text in [
        "Pakiet kosztuje 50 $ miesięcznie.",
        "Plany za $5 and $10 a month.",
        "Od $5 do $10 za kliknięcie.",
        "Cena: 5$ lub 10$ za sztukę.",
        "Budżet 100 $, a potem 200 $.",
        "Zapłać \\$5 i \\$10.",
        "Kurs: 1 $ = 4 zł.",
        "Stawka $20/h, a przy $x$ więcej.",
    ] {
        let r = render_pl(text);
        assert!(r.math_errors.is_empty(), "{text}: {:?}", r.math_errors);
        // An escaped `\$` shows as `$`.
        let dollars = text.matches('$').count();
        let kept = r.html.matches('$').count();
        if text.contains("$x$") {
            assert!(r.html.contains("<mi>x</mi>"), "{text}: {}", r.html);
            assert_eq!(kept, dollars - 2, "{text}: {}", r.html);
        } else {
            assert!(!r.html.contains("<math"), "{text}: {}", r.html);
            assert_eq!(kept, dollars, "{text}: {}", r.html);
        }
    }
}

#[test]
fn a_formula_in_alt_text_stays_its_source() {
    let r = render_pl("![Wykres $x^2$](wykres.png)\n");
    assert!(r.html.contains("alt=\"Wykres x^2\""), "{}", r.html);
    assert!(!r.html.contains("<math"));
}

#[test]
fn a_formula_in_a_heading_keeps_the_id_of_its_words() {
    let r = render_pl("## Wzór na $\\mathrm{ROAS}$\n");
    assert_eq!(r.headings[0].id, "wzor-na");
    assert!(
        r.html.contains("<h2 id=\"wzor-na\">Wzór na <math"),
        "{}",
        r.html
    );
}

#[test]
fn code_block_attributes_give_a_title_numbers_and_marked_lines() {
    let r = render_pl(
        "```yaml title=\"kbsite.yaml\" linenos hl_lines=\"2 4-5\"\n\
         title: \"Marketing\"\nlanguage: pl\n# menu\nmenu:\n  - { name: \"Tagi\", url: \"/tags/\" }\n\
         ```\n",
    );
    assert!(r.features.code && !r.features.math && !r.features.diagrams);
    assert_eq!(
        r.code_text,
        "title: \"Marketing\"\nlanguage: pl\n# menu\nmenu:\n  - { name: \"Tagi\", url: \"/tags/\" }\n"
    );
    insta::assert_snapshot!(r.html);
}

#[test]
fn a_fence_without_attributes_has_no_wrapper() {
    let r = render_pl("```yaml\na: 1\n```\n");
    assert!(
        r.html.starts_with(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"yaml\"><code class=\"language-yaml\">"
        ),
        "{}",
        r.html
    );
    assert!(!r.html.contains("code-block") && !r.html.contains("class=\"line"));
}

#[test]
fn a_mermaid_fence_is_a_diagram_that_keeps_its_source() {
    let r = render_pl("```mermaid\ngraph LR\n  Post --> Komentarz\n```\n");
    assert!(r.features.diagrams && !r.features.code);
    assert_eq!(r.code_text, "graph LR\n  Post --> Komentarz\n");
    insta::assert_snapshot!(r.html);
}

#[test]
fn the_same_body_renders_byte_identical() {
    let text = "$$\\sum_{i=1}^{n} x_i$$\n\n```rust linenos hl_lines=\"1\"\nfn main() {}\n```\n\n```mermaid\ngraph TD\n```\n";
    let a = render_pl(text);
    let b = render_pl(text);
    assert_eq!(a.html, b.html);
    assert_eq!(a.fingerprint, b.fingerprint);
    assert_eq!(a.features, b.features);
}
