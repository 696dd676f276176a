//! `seo`: everything a page's `<head>` tells search engines and social networks, worked out
//! here once so the default theme and custom templates print the same correct values with one
//! include (`partials/seo.html`): the title, description, canonical URL, robots rule, Open
//! Graph and X card tags, alternate feeds and JSON-LD structured data.

use serde_json::json;
use tera::Value;

use crate::config::Language;
use crate::render::context::{map, taxonomy_title};
use crate::render::i18n;
use crate::site::Site;
use crate::site::feeds::{FeedFormat, FeedOf};

/// The longest description search engines show; longer ones are cut at a word before it.
pub(crate) const DESCRIPTION_MAX: usize = 160;

/// Which page a head is for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum HeadOf {
    /// An article.
    Page(usize),
    /// A section's list page `k` (1-based); a section without a parent is a home page.
    Section(usize, usize),
    /// The list of a taxonomy's terms.
    TaxonomyList(usize),
    /// A term's list page `k`.
    Term(usize, usize, usize),
    /// List page `k` of the articles linking to an article.
    Backlinks(usize, usize),
    /// The search page of a language.
    Search(Language),
    /// The "not found" page.
    NotFound,
}

/// The social picture of a page: where it is and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SocialImage {
    /// The absolute URL.
    pub url: String,
    /// Pixel size, when known.
    pub size: Option<(u32, u32)>,
    /// What it shows.
    pub alt: String,
}

/// Cuts `text` (whitespace collapsed) to at most `max` characters at a word boundary, with `…`
/// when something was left out.
pub(crate) fn cut_at_word(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= max {
        return whole;
    }
    let mut out = String::new();
    for word in words {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        // One place is kept for the ellipsis.
        if out.chars().count() + extra + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // A single word longer than the limit is cut inside.
        out = whole.chars().take(max.saturating_sub(1)).collect();
    }
    let trimmed = out.trim_end_matches([',', ';', ':', '-', '–', '—']);
    format!("{trimmed}…")
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are written as `\u`
/// escapes, so no title (not even one containing `</script>`) can end the script early, and the
/// JSON still parses to the same text.
pub(crate) fn script_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn locale(lang: Language) -> &'static str {
    match lang {
        Language::Pl => "pl_PL",
        Language::En => "en_US",
    }
}

fn bcp47(lang: Language) -> &'static str {
    match lang {
        Language::Pl => "pl-PL",
        Language::En => "en-US",
    }
}

/// The page title the pattern makes: `{title}` and `{site}` (in `tree`'s language) replaced.
fn titled(site: &Site, tree: Language, title: &str) -> String {
    site.config
        .seo
        .title_pattern
        .replace("{site}", site.config.title_in(tree))
        .replace("{title}", title)
}

/// The `hreflang` links of a page whose versions are `versions` (language, output path; the
/// page itself among them), and the `og:locale:alternate` values of the others: every version
/// lists all versions, and names the one in the site's language as the default for readers
/// of other languages.
fn alternates_of(
    site: &Site,
    mut versions: Vec<(Language, &str)>,
    own: Language,
) -> (Vec<Value>, Vec<Value>) {
    let mut alternates = Vec::new();
    let mut locales = Vec::new();
    if versions.len() < 2 {
        return (alternates, locales);
    }
    versions.sort_by_key(|(lang, path)| (lang.code(), *path));
    for &(lang, path) in &versions {
        alternates.push(map(vec![
            ("hreflang", Value::from(lang.code())),
            ("href", Value::from(site.permalink(path))),
        ]));
        if lang != own {
            locales.push(Value::from(locale(lang)));
        }
    }
    if let Some((_, path)) = versions.iter().find(|(l, _)| *l == site.config.language) {
        alternates.push(map(vec![
            ("hreflang", Value::from("x-default")),
            ("href", Value::from(site.permalink(path))),
        ]));
    }
    (alternates, locales)
}

fn with_page_number(title: String, lang: Language, k: usize) -> String {
    if k > 1 {
        format!("{title} – {} {k}", i18n::text(lang, "page_n"))
    } else {
        title
    }
}

fn publisher(site: &Site) -> serde_json::Value {
    let c = &site.config;
    let name = if c.seo.publisher.trim().is_empty() {
        &c.title
    } else {
        &c.seo.publisher
    };
    let mut org = json!({"@type": "Organization", "name": name, "url": c.base_url});
    if let Some(logo) = &site.logo {
        org["logo"] = json!({"@type": "ImageObject", "url": site.image_url(logo)});
    }
    org
}

/// `BreadcrumbList` of `(name, permalink)` steps, the home page first.
fn breadcrumbs(steps: &[(String, String)]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = steps
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    json!({"@type": "BreadcrumbList", "itemListElement": items})
}

/// The breadcrumb steps down to section `id` (its language's home first).
fn section_steps(site: &Site, id: usize, lang: Language) -> Vec<(String, String)> {
    let chain = site.ancestry(id);
    let mut steps = vec![(
        i18n::text(lang, "home").to_string(),
        site.permalink(&site.sections[chain[0]].path),
    )];
    for s in chain.into_iter().skip(1) {
        let section = &site.sections[s];
        steps.push((section.title.clone(), site.permalink(&section.path)));
    }
    steps
}

/// Everything one head needs beyond the kind of page.
pub(crate) struct HeadInput<'a> {
    /// The site.
    pub site: &'a Site,
    /// The page's output path.
    pub path: &'a str,
    /// The page's language.
    pub lang: Language,
    /// The article's own picture or social card (articles only).
    pub image: Option<SocialImage>,
}

/// The `seo` value of one page: what the kind of page decides (titles, description, robots
/// rule, structured data, translations), then the groups of values every head prints.
pub(crate) fn seo_value(head: HeadOf, input: HeadInput<'_>) -> Value {
    let common = Common::new(input.site, head, input.path, input.lang);
    let image = input.image;
    let parts = match head {
        HeadOf::Page(id) => page_parts(&common, id, image.as_ref()),
        HeadOf::Section(id, k) => section_parts(&common, id, k),
        HeadOf::TaxonomyList(t) => taxonomy_list_parts(&common, t),
        HeadOf::Term(t, term, k) => term_parts(&common, t, term, k),
        HeadOf::Backlinks(id, k) => backlinks_parts(&common, id, k),
        HeadOf::Search(_) => named_parts(&common, "search_title", common.site_description.clone()),
        HeadOf::NotFound => named_parts(&common, "not_found_title", String::new()),
    };
    // The value sorts its keys, so the groups may come in any order; the canonical URL is
    // moved into the last one. The groups are arrays, so the entries are gathered with one
    // allocation.
    let social = social_entries(
        &common,
        parts.short_title,
        parts.og_type,
        parts.article,
        image,
    );
    let links = link_entries(&common, head, parts.alternates, parts.alternate_locales);
    let structured_data = ("json_ld", json_ld(parts.graph));
    let search = search_entries(
        parts.title,
        parts.description,
        common.canonical,
        parts.noindex,
    );
    let entries = social
        .into_iter()
        .chain(links)
        .chain([structured_data])
        .chain(search);
    map(entries.collect())
}

/// What every kind of head starts from, worked out once: the page's address and the part of
/// the site (the language tree) it is in, whose name, home and description the head shows.
struct Common<'a> {
    site: &'a Site,
    /// The page's language.
    lang: Language,
    /// The language whose part of the site the page is in: its site name and description.
    tree: Language,
    /// The page's absolute URL.
    canonical: String,
    /// The site's title in `tree`.
    site_title: String,
    /// The absolute URL of `tree`'s home page.
    home_url: String,
    /// The site's description in `tree`, trimmed.
    site_description: String,
}

impl<'a> Common<'a> {
    /// The common values of the head of `head`, at output path `path` in language `lang`.
    fn new(site: &'a Site, head: HeadOf, path: &str, lang: Language) -> Self {
        let c = &site.config;
        let tree = match head {
            HeadOf::Page(id) | HeadOf::Backlinks(id, _) => site.pages[id].lang,
            HeadOf::Section(id, _) => site.sections[id].tree,
            HeadOf::TaxonomyList(t) | HeadOf::Term(t, _, _) => site.taxonomies[t].lang,
            HeadOf::Search(lang) => lang,
            HeadOf::NotFound => c.language,
        };
        Common {
            site,
            lang,
            tree,
            canonical: site.permalink(path),
            site_title: c.title_in(tree).to_string(),
            home_url: site.permalink(&site.sections[site.home(tree)].path),
            site_description: c.description_in(tree).trim().to_string(),
        }
    }
}

/// What the kind of page decides about its head; the rest is the same for every page.
struct Parts {
    /// The `<title>`, made by the site's title pattern.
    title: String,
    /// The title without the site's name, for Open Graph.
    short_title: String,
    description: String,
    noindex: bool,
    /// `article` or `website`.
    og_type: &'static str,
    /// The `article:*` Open Graph values (articles only).
    article: Vec<(&'static str, Value)>,
    /// The JSON-LD objects of the page's `@graph`.
    graph: Vec<serde_json::Value>,
    /// The `hreflang` links to the page's translations.
    alternates: Vec<Value>,
    /// The `og:locale:alternate` values of the page's translations.
    alternate_locales: Vec<Value>,
}

impl Parts {
    /// The parts of a list or utility page that search engines are kept from: a website
    /// without translations or article values.
    fn noindexed(
        title: String,
        short_title: String,
        description: String,
        graph: Vec<serde_json::Value>,
    ) -> Self {
        Parts {
            title,
            short_title,
            description,
            noindex: true,
            og_type: "website",
            article: Vec::new(),
            graph,
            alternates: Vec::new(),
            alternate_locales: Vec::new(),
        }
    }
}

/// The head of an article: a description that is never empty, the `article:*` Open Graph
/// values, the `Article` and breadcrumb JSON-LD, and the links to its translations.
fn page_parts(common: &Common<'_>, id: usize, image: Option<&SocialImage>) -> Parts {
    let site = common.site;
    let p = &site.pages[id];
    let m = &p.doc.meta;
    let description = page_description(p);
    let facts = ArticleFacts::of(site, p);
    let mut graph = vec![article_ld(common, p, &description, &facts, image)];
    let versions = std::iter::once(id)
        .chain(p.translations.iter().copied())
        .map(|v| (site.pages[v].lang, site.pages[v].path.as_str()))
        .collect();
    let (alternates, alternate_locales) = alternates_of(site, versions, p.lang);
    let mut steps = section_steps(site, p.section, p.lang);
    steps.push((p.title.clone(), common.canonical.clone()));
    graph.push(breadcrumbs(&steps));
    Parts {
        title: titled(site, common.tree, &p.title),
        short_title: p.title.clone(),
        description,
        noindex: m.noindex,
        og_type: "article",
        article: open_graph_article(m, facts),
        graph,
        alternates,
        alternate_locales,
    }
}

/// An article's description, cut for search results: the front matter's `description`, else
/// its `summary`, else the text of its summary, else the start of its text.
pub(crate) fn page_description(p: &crate::site::Page) -> String {
    let m = &p.doc.meta;
    m.description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .or(m.summary.as_deref().filter(|s| !s.trim().is_empty()))
        .or(p.rendered.summary_text.as_deref().filter(|s| !s.is_empty()))
        .map_or_else(
            || cut_at_word(&p.rendered.text, DESCRIPTION_MAX),
            |d| cut_at_word(d, DESCRIPTION_MAX),
        )
}

/// What an article's Open Graph values and its `Article` JSON-LD both say about it, worked
/// out once for both.
struct ArticleFacts {
    /// When it was published (RFC 3339).
    published: Option<String>,
    /// When it last changed, else when it was published (RFC 3339).
    modified: Option<String>,
    /// Its tags, trimmed, empty ones left out.
    tags: Vec<String>,
    /// The title of its section, unless that is a home page.
    section: Option<String>,
}

impl ArticleFacts {
    /// The facts of article `p`.
    fn of(site: &Site, p: &crate::site::Page) -> Self {
        let m = &p.doc.meta;
        let tags = m
            .taxonomies
            .get("tags")
            .into_iter()
            .flatten()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let section = site.sections[p.section]
            .parent
            .is_some()
            .then(|| site.sections[p.section].title.clone());
        ArticleFacts {
            published: m.date.map(|d| d.rfc3339()),
            modified: m.updated.or(m.date).map(|d| d.rfc3339()),
            tags,
            section,
        }
    }
}

/// The `article:*` Open Graph values: `modified_time` only when the article says when it
/// changed, unlike the JSON-LD, which falls back to the publication date.
fn open_graph_article(m: &crate::content::Meta, facts: ArticleFacts) -> Vec<(&'static str, Value)> {
    vec![
        (
            "published_time",
            facts.published.map_or_else(Value::none, Value::from),
        ),
        (
            "modified_time",
            m.updated
                .map(|d| d.rfc3339())
                .map_or_else(Value::none, Value::from),
        ),
        ("tags", Value::from(facts.tags)),
        (
            "section",
            facts.section.map_or_else(Value::none, Value::from),
        ),
    ]
}

/// The `Article` JSON-LD of article `p`: what search engines show of it in rich results.
fn article_ld(
    common: &Common<'_>,
    p: &crate::site::Page,
    description: &str,
    facts: &ArticleFacts,
    image: Option<&SocialImage>,
) -> serde_json::Value {
    let site = common.site;
    let canonical = &common.canonical;
    let mut ld = json!({
        "@type": "Article",
        "headline": p.title,
        "description": description,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "inLanguage": bcp47(p.lang),
        "author": authors(site, &p.doc.meta),
        "publisher": publisher(site),
    });
    if let Some(d) = &facts.published {
        ld["datePublished"] = json!(d);
    }
    if let Some(d) = &facts.modified {
        ld["dateModified"] = json!(d);
    }
    if let Some(img) = image {
        ld["image"] = json!([img.url]);
    }
    if !facts.tags.is_empty() {
        ld["keywords"] = json!(facts.tags.join(", "));
    }
    if let Some(s) = &facts.section {
        ld["articleSection"] = json!(s);
    }
    ld
}

/// The authors of an article for JSON-LD, which requires one: its own, else the site's
/// author, else the publishing organisation.
fn authors(site: &Site, m: &crate::content::Meta) -> Vec<serde_json::Value> {
    if m.authors.is_empty() {
        if site.config.author.trim().is_empty() {
            vec![publisher(site)]
        } else {
            vec![json!({"@type": "Person", "name": site.config.author})]
        }
    } else {
        m.authors
            .iter()
            .map(|a| json!({"@type": "Person", "name": a}))
            .collect()
    }
}

/// The head of list page `k` of a section: a home page presents the whole website, another
/// section is a collection inside it; later list pages are kept out of search engines.
fn section_parts(common: &Common<'_>, id: usize, k: usize) -> Parts {
    let site = common.site;
    let lang = common.lang;
    let s = &site.sections[id];
    let meta = s.doc.as_ref().map(|d| &d.meta);
    let description = meta
        .and_then(|m| m.description.clone())
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| common.site_description.clone());
    let description = cut_at_word(&description, DESCRIPTION_MAX);
    let versions = std::iter::once(id)
        .chain(s.translations.iter().copied())
        .map(|v| (site.sections[v].tree, site.sections[v].path.as_str()))
        .collect();
    let (alternates, alternate_locales) = alternates_of(site, versions, s.tree);
    let site_title = &common.site_title;
    let (title, short_title, graph) = if s.parent.is_none() {
        let title = if k > 1 {
            with_page_number(site_title.clone(), lang, k)
        } else if s.title.is_empty() || s.title == *site_title {
            site_title.clone()
        } else {
            titled(site, common.tree, &s.title)
        };
        (title, site_title.clone(), vec![website_ld(common)])
    } else {
        let collection = json!({
            "@type": "CollectionPage",
            "name": s.title,
            "url": common.canonical,
            "inLanguage": bcp47(lang),
        });
        (
            titled(
                site,
                common.tree,
                &with_page_number(s.title.clone(), lang, k),
            ),
            s.title.clone(),
            vec![collection, breadcrumbs(&section_steps(site, id, lang))],
        )
    };
    Parts {
        title,
        short_title,
        description,
        noindex: k > 1 || meta.is_some_and(|m| m.noindex),
        og_type: "website",
        article: Vec::new(),
        graph,
        alternates,
        alternate_locales,
    }
}

/// The `WebSite` JSON-LD of a home page: the site's name, publisher and, when it has search,
/// the search box search engines may show for it.
fn website_ld(common: &Common<'_>) -> serde_json::Value {
    let site = common.site;
    let mut website = json!({
        "@type": "WebSite",
        "name": common.site_title,
        "url": common.home_url,
        "inLanguage": bcp47(common.lang),
        "publisher": publisher(site),
    });
    if !common.site_description.is_empty() {
        website["description"] = json!(common.site_description);
    }
    if site.config.search {
        website["potentialAction"] = json!({
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!("{}?q={{search_term_string}}", site.permalink(&site.search_dir(common.tree))),
            },
            "query-input": "required name=search_term_string",
        });
    }
    website
}

/// The head of the list of a taxonomy's terms, with breadcrumbs from the home page.
fn taxonomy_list_parts(common: &Common<'_>, t: usize) -> Parts {
    let site = common.site;
    let tax = &site.taxonomies[t];
    let name = taxonomy_title(&tax.name, common.lang);
    let graph = vec![breadcrumbs(&[
        (
            i18n::text(common.lang, "home").to_string(),
            common.home_url.clone(),
        ),
        (name.clone(), site.permalink(&tax.path())),
    ])];
    let title = titled(site, common.tree, &name);
    Parts::noindexed(title, name, common.site_description.clone(), graph)
}

/// The head of list page `k` of a taxonomy term, with breadcrumbs through the taxonomy.
fn term_parts(common: &Common<'_>, t: usize, term: usize, k: usize) -> Parts {
    let site = common.site;
    let lang = common.lang;
    let tax = &site.taxonomies[t];
    let term = &tax.terms[term];
    let tax_name = taxonomy_title(&tax.name, lang);
    let name = format!("{} – {tax_name}", term.name);
    let graph = vec![breadcrumbs(&[
        (
            i18n::text(lang, "home").to_string(),
            common.home_url.clone(),
        ),
        (tax_name, site.permalink(&tax.path())),
        (term.name.clone(), site.permalink(&tax.term_path(term))),
    ])];
    let title = titled(site, common.tree, &with_page_number(name.clone(), lang, k));
    Parts::noindexed(title, name, common.site_description.clone(), graph)
}

/// The head of list page `k` of the articles linking to article `id`, with breadcrumbs
/// through that article.
fn backlinks_parts(common: &Common<'_>, id: usize, k: usize) -> Parts {
    let site = common.site;
    let lang = common.lang;
    let p = &site.pages[id];
    let name = format!("{}: {}", i18n::text(lang, "backlinks"), p.title);
    let graph = vec![breadcrumbs(&[
        (
            i18n::text(lang, "home").to_string(),
            common.home_url.clone(),
        ),
        (p.title.clone(), site.permalink(&p.path)),
    ])];
    let title = titled(site, common.tree, &with_page_number(name.clone(), lang, k));
    Parts::noindexed(title, name, common.site_description.clone(), graph)
}

/// The head of a page named by an interface text (`key`), such as the search page or the
/// "not found" page: nothing in it for search engines to index.
fn named_parts(common: &Common<'_>, key: &str, description: String) -> Parts {
    let name = i18n::text(common.lang, key).to_string();
    let title = titled(common.site, common.tree, &name);
    Parts::noindexed(title, name, description, Vec::new())
}

/// What search engines read first: the title, description, canonical URL and robots rule.
fn search_entries(
    title: String,
    description: String,
    canonical: String,
    noindex: bool,
) -> [(&'static str, Value); 5] {
    let robots = if noindex {
        "noindex, follow"
    } else {
        "index, follow, max-image-preview:large"
    };
    [
        ("title", Value::from(title)),
        ("description", Value::from(description)),
        ("canonical", Value::from(canonical)),
        ("robots", Value::from(robots)),
        ("noindex", Value::from(noindex)),
    ]
}

/// What social networks show of a shared link: the Open Graph and X card values, with the
/// page's own picture shown large, else the site's logo shown small.
fn social_entries(
    common: &Common<'_>,
    short_title: String,
    og_type: &'static str,
    article: Vec<(&'static str, Value)>,
    image: Option<SocialImage>,
) -> [(&'static str, Value); 8] {
    let site = common.site;
    let large_image = image.is_some();
    let image = image.or_else(|| {
        site.logo.as_ref().map(|logo| SocialImage {
            url: site.image_url(logo),
            size: logo.size,
            alt: common.site_title.clone(),
        })
    });
    let twitter_card = if large_image {
        "summary_large_image"
    } else {
        "summary"
    };
    let twitter_site = site.config.seo.twitter.as_deref();
    let article = if article.is_empty() {
        Value::none()
    } else {
        map(article)
    };
    [
        ("og_title", Value::from(short_title)),
        ("og_type", Value::from(og_type)),
        ("locale", Value::from(locale(common.lang))),
        ("site_name", Value::from(common.site_title.as_str())),
        ("image", image_value(image.as_ref())),
        ("twitter_card", Value::from(twitter_card)),
        (
            "twitter_site",
            twitter_site.map_or_else(Value::none, Value::from),
        ),
        ("article", article),
    ]
}

/// The social picture as templates read it: URL, size (none when unknown) and alt text.
fn image_value(image: Option<&SocialImage>) -> Value {
    image.map_or_else(Value::none, |img| {
        map(vec![
            ("url", Value::from(img.url.as_str())),
            (
                "width",
                img.size.map_or_else(Value::none, |(w, _)| Value::from(w)),
            ),
            (
                "height",
                img.size.map_or_else(Value::none, |(_, h)| Value::from(h)),
            ),
            ("alt", Value::from(img.alt.as_str())),
        ])
    })
}

/// The `<link>`s to other versions of the page: its translations (`hreflang`, with their
/// Open Graph locales) and the feeds to announce: a section's or a term's own first when it
/// has them, then those of its part of the site, Atom then RSS.
fn link_entries(
    common: &Common<'_>,
    head: HeadOf,
    alternates: Vec<Value>,
    alternate_locales: Vec<Value>,
) -> [(&'static str, Value); 3] {
    let site = common.site;
    let own = match head {
        HeadOf::Section(id, _) if site.section_has_feed(id) => {
            Some((FeedOf::Section(id), site.sections[id].title.clone()))
        }
        HeadOf::Term(t, term, _) if site.config.section_feeds => Some((
            FeedOf::Term(t, term),
            site.taxonomies[t].terms[term].name.clone(),
        )),
        _ => None,
    };
    let announced = own
        .into_iter()
        .chain([(FeedOf::Site(common.tree), common.site_title.clone())]);
    let mut feeds = Vec::with_capacity(4);
    for (feed, name) in announced {
        for format in FeedFormat::ALL {
            let kind = match format {
                FeedFormat::Atom => "feed",
                FeedFormat::Rss => "rss_feed",
            };
            feeds.push(map(vec![
                ("type", Value::from(format.media_type())),
                (
                    "title",
                    Value::from(format!("{name} – {}", i18n::text(common.lang, kind))),
                ),
                (
                    "href",
                    Value::from(site.permalink(&site.feed_path_of(feed, format))),
                ),
            ]));
        }
    }
    [
        ("alternates", Value::from(alternates)),
        ("alternate_locales", Value::from(alternate_locales)),
        ("feeds", Value::from(feeds)),
    ]
}

/// The page's JSON-LD as one `@graph`, ready for a `<script>`; none when the page has no
/// structured data.
fn json_ld(graph: Vec<serde_json::Value>) -> Value {
    if graph.is_empty() {
        Value::none()
    } else {
        Value::from(script_json(
            &json!({"@context": "https://schema.org", "@graph": graph}),
        ))
    }
}

/// Whether a page is kept out of search engines, and so out of the sitemap.
pub(crate) fn page_noindex(site: &Site, id: usize) -> bool {
    site.pages[id].doc.meta.noindex
}

/// Whether a section's first list page is kept out of search engines.
pub(crate) fn section_noindex(site: &Site, id: usize) -> bool {
    site.sections[id]
        .doc
        .as_ref()
        .is_some_and(|d| d.meta.noindex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_cut_at_a_word_under_the_limit() {
        let text = "Media społecznościowe pomagają małym firmom dotrzeć do klientów. ".repeat(5);
        let cut = cut_at_word(&text, DESCRIPTION_MAX);
        assert!(cut.chars().count() <= DESCRIPTION_MAX, "{cut}");
        assert!(cut.ends_with('…'));
        let kept = cut.trim_end_matches('…');
        assert!(text.starts_with(kept), "cut inside a word: {kept}");
        assert!(text[kept.len()..].starts_with(' '));
        assert_eq!(cut_at_word("  krótki\n opis ", 160), "krótki opis");
        assert_eq!(cut_at_word(&"ż".repeat(200), 10).chars().count(), 10);
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"headline": "A </script><script>alert(1)</script> & \"q\" \u{2028}"});
        let text = script_json(&v);
        assert!(!text.contains("</"), "{text}");
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
