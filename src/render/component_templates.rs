//! Components in Markdown rendered with Tera: `{{ youtube(id="…") }}` renders
//! `templates/components/youtube.html` (the site's own, else the theme's) with the call's
//! arguments as variables, `body` (the HTML of a block call's Markdown), `lang`, `t` (the UI
//! strings), `toc` (the page's headings) and `site.data` (the site's data files). Included
//! files come from `snippets/`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Map, Value};
use tera::{Context, Tera};

use super::THEME_PREFIX;
use super::template_error::template_error;
use super::theme::ThemeFiles;
use crate::codes;
use crate::config::Language;
use crate::markdown::component_calls::{Components, Failure, PageInfo, SharedComponents};
use crate::sources::SNIPPETS;

/// The folder of component templates, under `templates/`.
pub(crate) const COMPONENTS_DIR: &str = "components/";

/// The components of one set of templates and snippets.
pub(crate) struct TeraComponents {
    tera: Tera,
    sources: HashMap<String, (PathBuf, String)>,
    /// Component names (`youtube`), sorted, for "did you mean".
    names: Vec<String>,
    snippets: HashMap<String, String>,
    /// The UI strings of each language, as templates see them.
    strings: [tera::Value; 2],
    /// `site` as components see it: only `site.data`.
    site: tera::Value,
    /// The components whose templates may read `site.data`, sorted.
    data_readers: Vec<String>,
}

impl TeraComponents {
    /// The components of `tera`'s templates (`sources` by the names Tera knows them under)
    /// and of the theme's snippets, with the signature that changes when any of them does;
    /// `data` is `site.data` with its hash, the signature of the Markdown that calls the
    /// components reading it.
    pub(super) fn shared(
        tera: &Tera,
        sources: &HashMap<String, (PathBuf, String)>,
        theme: &ThemeFiles,
        strings: [tera::Value; 2],
        data: (&tera::Value, u64),
    ) -> SharedComponents {
        let mut names: Vec<String> = sources
            .keys()
            .filter_map(|k| {
                k.strip_prefix(THEME_PREFIX)
                    .unwrap_or(k)
                    .strip_prefix(COMPONENTS_DIR)?
                    .strip_suffix(".html")
                    .map(str::to_string)
            })
            .collect();
        names.sort();
        names.dedup();
        // What the components render with: each one's templates (with what they include) and
        // every snippet. Page templates are left out, so editing them never renders Markdown
        // again.
        let mut parts: Vec<Vec<u8>> = Vec::new();
        for name in &names {
            for (n, found) in super::fingerprint::closure(sources, &component_template(name)) {
                parts.push(n.into_bytes());
                if let Some((key, source)) = found {
                    parts.push(key.as_bytes().to_vec());
                    parts.push(source.as_bytes().to_vec());
                }
            }
        }
        for (path, text) in &theme.snippets {
            parts.push(path.as_bytes().to_vec());
            parts.push(text.as_bytes().to_vec());
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let signature = crate::hash::stable_hash(&refs);
        let data_readers = names
            .iter()
            .filter(|name| super::fingerprint::reads_data(sources, &component_template(name)))
            .cloned()
            .collect();
        let (data, data_signature) = data;
        let site = super::context::map(vec![("data", data.clone())]);
        SharedComponents {
            engine: Arc::new(TeraComponents {
                tera: tera.clone(),
                sources: sources.clone(),
                names,
                snippets: theme.snippets.iter().cloned().collect(),
                strings,
                site,
                data_readers,
            }),
            signature,
            data_signature,
        }
    }
}

fn component_template(name: &str) -> String {
    format!("{COMPONENTS_DIR}{name}.html")
}

impl Components for TeraComponents {
    fn render(
        &self,
        name: &str,
        args: &Map<String, Value>,
        body: Option<&str>,
        page: &PageInfo<'_>,
    ) -> Result<String, Failure> {
        if self
            .names
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_err()
        {
            let hint = match crate::suggest::closest(name, self.names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None if self.names.is_empty() => {
                    "add a template templates/components/<name>.html".into()
                }
                None => format!("known components: {}", self.names.join(", ")),
            };
            return Err(Failure::new(
                codes::UNKNOWN_COMPONENT,
                format!("there is no component `{name}` (no templates/components/{name}.html)"),
                Some(&hint),
            ));
        }
        let mut ctx = Context::new();
        for (k, v) in args {
            ctx.insert(k.clone(), v);
        }
        if let Some(body) = body {
            ctx.insert("body", body);
        }
        ctx.insert("lang", page.lang.code());
        let strings = match page.lang {
            Language::Pl => &self.strings[0],
            Language::En => &self.strings[1],
        };
        ctx.insert_value("t", strings.clone());
        ctx.insert("toc", page.toc);
        ctx.insert_value("site", self.site.clone());
        self.tera
            .render(&component_template(name), &ctx)
            .map_err(|e| {
                let error = template_error(e, &self.sources, None);
                let args: Vec<&str> = args.keys().map(String::as_str).collect();
                Failure::new(
                    codes::COMPONENT_ERROR,
                    format!("component `{name}` failed: {error}"),
                    Some(&if args.is_empty() {
                        format!(
                            "the component may need arguments: {{{{ {name}(name=\"value\") }}}}"
                        )
                    } else {
                        format!(
                            "check the arguments ({}) against templates/components/{name}.html",
                            args.join(", ")
                        )
                    }),
                )
            })
    }

    fn reads_site_data(&self, name: &str) -> bool {
        self.data_readers
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    fn include(&self, path: &str) -> Result<String, Failure> {
        let normalized = crate::paths::join_normalized("", path);
        let inside = normalized
            .as_deref()
            .filter(|p| p.starts_with(&format!("{SNIPPETS}/")));
        let Some(path) = inside else {
            return Err(Failure::new(
                codes::MISSING_INCLUDE,
                format!("`{path}` is not a file of the site's {SNIPPETS}/ folder"),
                Some(
                    "put the fragment under snippets/ and write its path from the site root, e.g. `snippets/cennik.md`",
                ),
            ));
        };
        self.snippets.get(path).cloned().ok_or_else(|| {
            let close = crate::suggest::closest(path, self.snippets.keys().map(String::as_str));
            Failure::new(
                codes::MISSING_INCLUDE,
                format!("`{path}` does not exist"),
                Some(&match close {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("create {path} in the site root"),
                }),
            )
        })
    }
}
