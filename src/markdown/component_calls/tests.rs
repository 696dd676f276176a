use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::markdown::{Options, Rendered, render};

/// Components that show what they were given: `<c-name a="…">body</c-name>`.
struct Echo {
    snippets: HashMap<&'static str, &'static str>,
}

impl Components for Echo {
    fn render(
        &self,
        name: &str,
        args: &Map<String, Value>,
        body: Option<&str>,
        page: &PageInfo<'_>,
    ) -> Result<String, Failure> {
        if name == "nope" {
            return Err(Failure::new(
                crate::codes::UNKNOWN_COMPONENT,
                "no such component",
                None,
            ));
        }
        if name == "toc" {
            let ids: Vec<&str> = page.toc.iter().map(|e| e.id.as_str()).collect();
            return Ok(format!("<c-toc>{}</c-toc>", ids.join(",")));
        }
        let args: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        Ok(format!(
            "<c-{name} {}>{}</c-{name}>",
            args.join(" "),
            body.unwrap_or("")
        ))
    }

    fn include(&self, path: &str) -> Result<String, Failure> {
        self.snippets
            .get(path)
            .map(|s| s.to_string())
            .ok_or_else(|| Failure::new(crate::codes::MISSING_INCLUDE, format!("no {path}"), None))
    }
}

fn echo() -> Echo {
    Echo {
        snippets: HashMap::from([
            (
                "snippets/cennik.md",
                "Cena: **100 zł**, [regulamin](regulamin.md).\n",
            ),
            ("snippets/a.md", "A {{ include(path=\"snippets/b.md\") }}\n"),
            ("snippets/b.md", "B {{ include(path=\"snippets/a.md\") }}\n"),
            ("snippets/wideo.md", "{{ youtube(id=\"x\") }}\n"),
        ]),
    }
}

fn with_components(text: &str) -> Rendered {
    let components = echo();
    render(
        text,
        &Options {
            lang: crate::config::Language::Pl,
            drop_title_heading: false,
            rewrite_link: &|_| None,
            resolve_wiki: &|_| None,
            typography: false,
            raw_html: true,
            components: Some(&components),
            // Only `a.png` is a picture of the site, 10x20 pixels.
            image_attrs: &|dest| crate::markdown::ImageAttrs {
                size: (dest == "a.png").then_some((10, 20)),
                srcset: Vec::new(),
            },
            highlights: crate::markdown::Highlights::for_tests(),
        },
    )
}

fn codes(r: &Rendered) -> Vec<(&'static str, usize, usize)> {
    r.component_errors
        .iter()
        .map(|e| (e.failure.code, e.offset, e.len))
        .collect()
}

#[test]
fn inline_and_standalone_calls_render_in_place() {
    let r = with_components(
        "Film: {{ youtube(id=\"abc\", start=30) }} tutaj.\n\n{{ youtube(id='d\\'e') }}\n",
    );
    assert!(
        r.html
            .contains("<p>Film: <c-youtube id=\"abc\" start=30></c-youtube> tutaj.</p>"),
        "{}",
        r.html
    );
    // Alone on its line it is a block of its own, not a paragraph.
    assert!(
        r.html.contains("\n<c-youtube id=\"d'e\"></c-youtube>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("<p><c-youtube id=\"d"), "{}", r.html);
    assert!(codes(&r).is_empty());
}

#[test]
fn code_and_prose_braces_stay_text() {
    let r = with_components(
        "`{{ youtube(id=\"a\") }}` i {{ zmienna }}\n\n```\n{% figure(src=\"a\") %}\n```\n",
    );
    assert!(
        r.html.contains("<code>{{ youtube(id=\"a\") }}</code>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("{{ zmienna }}"), "{}", r.html);
    assert!(
        r.html.contains("{% figure(src=&quot;a&quot;) %}"),
        "{}",
        r.html
    );
    assert!(codes(&r).is_empty());
}

#[test]
fn a_block_gets_its_markdown_body_as_html() {
    let r = with_components(
        "Przed.\n{% figure(src=\"a.png\") %}\nPodpis z **pogrubieniem**.\n{% end %}\nPo.\n",
    );
    assert!(
        r.html.contains(
            "<c-figure height=20 src=\"a.png\" width=10><p>Podpis z <strong>pogrubieniem</strong>.</p></c-figure>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<p>Przed.</p>") && r.html.contains("<p>Po.</p>"),
        "{}",
        r.html
    );
    // The body's words are the page's words.
    assert!(r.text.contains("Podpis z pogrubieniem"));
}

#[test]
fn nested_blocks_render_inside_out() {
    let r = with_components("{% a() %}\n{% b() %}\nW środku.\n{% end %}\n{% end %}\n");
    assert!(
        r.html.contains("<c-a ><c-b ><p>W środku.</p></c-b></c-a>"),
        "{}",
        r.html
    );
}

#[test]
fn the_toc_component_sees_the_headings() {
    let r = with_components("{{ toc() }}\n\n## Pierwszy\n\n## Drugi\n");
    assert!(
        r.html.contains("<c-toc>pierwszy,drugi</c-toc>"),
        "{}",
        r.html
    );
}

#[test]
fn failures_point_at_the_call() {
    let text = "Abc {{ nope() }} i {{ youtube(id=bez) }}\n\n{% end %}\n\n{% figure() %}\n";
    let r = with_components(text);
    let at = |s: &str| text.find(s).unwrap();
    assert_eq!(
        codes(&r),
        [
            (
                crate::codes::UNKNOWN_COMPONENT,
                at("{{ nope"),
                "{{ nope() }}".len()
            ),
            (
                crate::codes::COMPONENT_SYNTAX,
                at("{{ youtube"),
                "{{ youtube(id=bez) }}".len()
            ),
            (
                crate::codes::COMPONENT_SYNTAX,
                at("{% end"),
                "{% end %}".len()
            ),
            (
                crate::codes::COMPONENT_SYNTAX,
                at("{% figure"),
                "{% figure() %}".len()
            ),
        ]
    );
    let bare = &r.component_errors[1].failure;
    assert!(bare.message.contains("\"bez\""), "{}", bare.message);
}

#[test]
fn includes_put_markdown_in_place_and_links_point_at_the_call() {
    let text =
        "Wstęp [a](a.md).\n\n{{ include(path=\"snippets/cennik.md\") }}\n\nKoniec [b](b.md).\n";
    let r = with_components(text);
    assert!(
        r.html.contains("<p>Cena: <strong>100 zł</strong>"),
        "{}",
        r.html
    );
    let offsets: Vec<(String, usize, usize)> = r
        .links
        .iter()
        .map(|l| (l.dest.clone(), l.offset, l.len))
        .collect();
    let call = text.find("{{ include").unwrap();
    let call_len = "{{ include(path=\"snippets/cennik.md\") }}".len();
    assert_eq!(
        offsets,
        [
            ("a.md".to_string(), text.find("a.md").unwrap(), 4),
            ("regulamin.md".to_string(), call, call_len),
            ("b.md".to_string(), text.find("b.md").unwrap(), 4),
        ]
    );
    // Components inside an included file render too.
    let r = with_components("{{ include(path=\"snippets/wideo.md\") }}\n");
    assert!(r.html.contains("<c-youtube id=\"x\">"), "{}", r.html);
}

#[test]
fn include_cycles_and_missing_files_are_errors() {
    let r = with_components("{{ include(path=\"snippets/a.md\") }}\n");
    let (code, offset, _) = codes(&r)[0];
    assert_eq!((code, offset), (crate::codes::INCLUDE_CYCLE, 0));
    assert!(
        r.component_errors[0]
            .failure
            .message
            .contains("snippets/a.md -> snippets/b.md -> snippets/a.md"),
        "{}",
        r.component_errors[0].failure.message
    );
    let r = with_components("x {{ include(path=\"snippets/brak.md\") }}\n");
    assert_eq!(codes(&r)[0].0, crate::codes::MISSING_INCLUDE);
}

#[test]
fn argument_values_read_as_written() {
    let mut reader = ArgReader {
        s: "a=\"x\\\"y\", b=-1.5, c=true, d=[1, \"z\"], e='ł')",
        at: 0,
    };
    let args = reader.args().unwrap();
    assert_eq!(args["a"], "x\"y");
    assert_eq!(args["b"], -1.5);
    assert_eq!(args["c"], true);
    assert_eq!(args["d"], serde_json::json!([1, "z"]));
    assert_eq!(args["e"], "ł");
    for bad in ["a)", "a=)", "a=\"x)", "a=1 b=2)", "a=1, a=2)", "=1)"] {
        let mut reader = ArgReader { s: bad, at: 0 };
        assert!(reader.args().is_err(), "{bad}");
    }
}

proptest! {
    /// Any text, braces and all, renders: link offsets stay inside the body and every error
    /// points inside it.
    #[test]
    fn any_text_renders_with_offsets_in_the_body(
        text in "([a-z ]{0,6}|\\{\\{ ?[a-z]{0,5}\\(|\\{% ?(end|[a-z]{1,4})\\(?|[\"'=,)\\]\\[]|\\}\\}|%\\}|`|\\n|\\[l\\]\\(x\\.md\\)){0,40}"
    ) {
        let r = with_components(&text);
        for link in &r.links {
            prop_assert!(link.offset + link.len <= text.len(), "{:?} in {:?}", link, text);
        }
        for e in &r.component_errors {
            prop_assert!(e.offset + e.len <= text.len(), "{:?} in {:?}", e, text);
            prop_assert!(text.is_char_boundary(e.offset));
        }
        prop_assert!(!r.html.contains("<!--kbsite-"), "a marker was left: {}", r.html);
    }
}

#[test]
fn calls_inside_blocks_and_summaries_cut_inside_a_block_render_in_one_pass() {
    let r = with_components(
        "{% a() %}\nPrzed {{ youtube(id=\"1\") }} i {{ nope() }}.\n\n<!-- more -->\n\n{% b() %}\nW środku {{ youtube(id=\"2\") }}.\n{% end %}\n{% end %}\n",
    );
    assert!(
        r.html
            .contains("<c-a ><p>Przed <c-youtube id=\"1\"></c-youtube> i .</p>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<c-b ><p>W środku <c-youtube id=\"2\"></c-youtube>.</p></c-b></c-a>"),
        "{}",
        r.html
    );
    assert_eq!(codes(&r).len(), 1, "the unknown one: {:?}", codes(&r));
    // The summary ends inside block `a`: its content stays, no marker is left.
    let summary = r.summary_html.as_deref().unwrap();
    assert!(
        summary.contains("Przed <c-youtube id=\"1\"></c-youtube>"),
        "{summary}"
    );
    assert!(!summary.contains("kbsite-"), "{summary}");
}

#[test]
fn markers_are_read_only_when_whole() {
    assert_eq!(parse_marker("i12-->x"), Some((b'i', 12, 6)));
    assert_eq!(parse_marker("o0-->"), Some((b'o', 0, 5)));
    for bad in ["x1-->", "i-->", "i12->", "i", ""] {
        assert_eq!(parse_marker(bad), None, "{bad}");
    }
}

#[test]
fn without_calls_includes_stay_and_blocks_keep_their_markdown() {
    let components = echo();
    let body = "Wstęp {{ youtube(id=\"x\") }}koniec.\n\n{% figure(src=\"a.png\") %}\nPodpis **ważny**.\n{% end %}\n\n{% tab(label=\"Facebook\") %}\nKrok.\n{% end %}\n\n{{ include(path=\"snippets/cennik.md\") }}\n`{{ kod() }}` zostaje.\n";
    let expanded = expand(body, &components).expect("calls found");
    assert_eq!(
        expanded.text_without_calls(),
        "Wstęp koniec.\n\n\nPodpis **ważny**.\n\n\n**Facebook**\n\n\nKrok.\n\n\nCena: **100 zł**, [regulamin](regulamin.md).\n\n`{{ kod() }}` zostaje.\n"
    );
}
