//! `kbsite stats`: how the knowledge base hangs together, for its editors. Articles per
//! section and tag, articles nothing links to, the most linked-to articles, broken links,
//! articles without a description and the number of words.
//!
//! The site is loaded like a build, except that broken links are listed rather than stopping
//! the report: an editor asks for it precisely to find them.

use serde::Serialize;

use crate::codes;
use crate::error::{Result, Severity};
use crate::pipeline::{BuildOptions, load_config, load_site};
use crate::site::Site;

/// Whether a diagnostic is a broken link for the report: the broken-link codes of a build,
/// and links whose path would leave the site.
fn is_broken_link(code: &str) -> bool {
    crate::error::is_broken_link_code(code) || code == codes::UNSAFE_PATH
}

/// How many of the most linked-to articles the report lists.
const MOST_LINKED: usize = 10;

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Published articles.
    pub articles: usize,
    /// Words in all articles.
    pub words: usize,
    /// Articles in each section (sections with a folder, in title order of the tree).
    pub sections: Vec<Count>,
    /// Articles under each term of each taxonomy, most first.
    pub taxonomies: Vec<TaxonomyCounts>,
    /// Articles no other page links to.
    pub orphans: Vec<ArticleRef>,
    /// The articles most pages link to, most first (only those linked at all).
    pub most_linked: Vec<Linked>,
    /// Links that lead nowhere.
    pub broken_links: Vec<BrokenLink>,
    /// Articles without a `description`.
    pub without_description: Vec<ArticleRef>,
}

/// A name and how many articles it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Section title or term name.
    pub name: String,
    /// Its address on the site.
    pub url: String,
    /// Articles.
    pub articles: usize,
}

/// The terms of one taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxonomyCounts {
    /// `tags`, `categories`, …
    pub taxonomy: String,
    /// Its terms, most articles first.
    pub terms: Vec<Count>,
}

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleRef {
    /// Title.
    pub title: String,
    /// Source file under `content/`.
    pub path: String,
    /// Address on the site.
    pub url: String,
}

/// An article and how many pages link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Linked {
    /// The article.
    #[serde(flatten)]
    pub article: ArticleRef,
    /// Pages linking to it.
    pub linked_from: usize,
}

/// A broken link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// Source file, relative to the site root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The diagnostic code (`missing-article`, `wiki-link`, …).
    pub code: String,
}

/// Loads the site at `options` and reports on it.
pub fn stats(options: &BuildOptions) -> Result<Stats> {
    let options = BuildOptions {
        lenient_links: true,
        strict: false,
        ..options.clone()
    };
    let config = load_config(&options)?;
    let loaded = load_site(&options, config)?;
    Ok(report(&loaded.site))
}

/// The report on a loaded site.
pub fn report(site: &Site) -> Stats {
    let article = |id: usize| {
        let p = &site.pages[id];
        ArticleRef {
            title: p.title.clone(),
            path: p.doc.rel_path.clone(),
            url: site.url(&p.path),
        }
    };
    let incoming = site.incoming_links();
    let mut linked: Vec<usize> = (0..site.pages.len()).filter(|&p| incoming[p] > 0).collect();
    linked.sort_by(|&a, &b| incoming[b].cmp(&incoming[a]).then(a.cmp(&b)));
    linked.truncate(MOST_LINKED);
    let sections = (0..site.sections.len())
        .filter(|&s| site.sections[s].parent.is_some())
        .map(|s| {
            let section = &site.sections[s];
            Count {
                name: section.title.clone(),
                url: site.url(&section.path),
                articles: section.pages.len(),
            }
        })
        .collect();
    let taxonomies = site
        .taxonomies
        .iter()
        .map(|tax| {
            let mut terms: Vec<Count> = tax
                .terms
                .iter()
                .map(|term| Count {
                    name: term.name.clone(),
                    url: site.url(&tax.term_path(term)),
                    articles: term.pages.len(),
                })
                .collect();
            terms.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.name.cmp(&b.name)));
            TaxonomyCounts {
                // Each language has its own terms.
                taxonomy: if tax.prefix.is_empty() {
                    tax.name.clone()
                } else {
                    format!("{} ({})", tax.name, tax.lang.code())
                },
                terms,
            }
        })
        .collect();
    let broken_links = site
        .warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning && is_broken_link(w.code))
        .map(|w| BrokenLink {
            file: w
                .location
                .as_ref()
                .map(|l| l.path.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default(),
            line: w.location.as_ref().map_or(0, |l| l.line),
            column: w.location.as_ref().map_or(0, |l| l.column),
            message: w.message.clone(),
            code: w.code.to_string(),
        })
        .collect();
    Stats {
        articles: site.pages.len(),
        words: site.pages.iter().map(|p| p.rendered.word_count).sum(),
        sections,
        taxonomies,
        // As `kbsite check` counts them: a translation of a linked article is found.
        orphans: (0..site.pages.len())
            .filter(|&p| {
                incoming[p] == 0 && site.pages[p].translations.iter().all(|&t| incoming[t] == 0)
            })
            .map(article)
            .collect(),
        most_linked: linked
            .into_iter()
            .map(|p| Linked {
                article: article(p),
                linked_from: incoming[p],
            })
            .collect(),
        broken_links,
        without_description: (0..site.pages.len())
            .filter(|&p| {
                site.pages[p]
                    .doc
                    .meta
                    .description
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty())
            })
            .map(article)
            .collect(),
    }
}

impl Stats {
    /// The report as text for a terminal.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!("{} articles, {} words", self.articles, self.words)];
        out.push(String::new());
        out.push("Articles per section:".into());
        for s in &self.sections {
            out.push(format!("  {:>5}  {}", s.articles, s.name));
        }
        for tax in &self.taxonomies {
            out.push(String::new());
            out.push(format!("Articles per term of {}:", tax.taxonomy));
            for t in &tax.terms {
                out.push(format!("  {:>5}  {}", t.articles, t.name));
            }
        }
        let list = |out: &mut Vec<String>, title: String, items: Vec<String>| {
            out.push(String::new());
            out.push(title);
            if items.is_empty() {
                out.push("  none".into());
            }
            out.extend(items.into_iter().map(|i| format!("  {i}")));
        };
        list(
            &mut out,
            format!("Most linked-to articles ({}):", self.most_linked.len()),
            self.most_linked
                .iter()
                .map(|l| {
                    format!(
                        "{:>5}  {} ({})",
                        l.linked_from, l.article.title, l.article.path
                    )
                })
                .collect(),
        );
        list(
            &mut out,
            format!(
                "Orphan articles, nothing links to them ({}):",
                self.orphans.len()
            ),
            self.orphans
                .iter()
                .map(|a| format!("{} ({})", a.title, a.path))
                .collect(),
        );
        list(
            &mut out,
            format!("Broken links ({}):", self.broken_links.len()),
            self.broken_links
                .iter()
                .map(|b| format!("{}:{}:{}: {}", b.file, b.line, b.column, b.message))
                .collect(),
        );
        list(
            &mut out,
            format!(
                "Articles without a description ({}):",
                self.without_description.len()
            ),
            self.without_description
                .iter()
                .map(|a| format!("{} ({})", a.title, a.path))
                .collect(),
        );
        out
    }
}
