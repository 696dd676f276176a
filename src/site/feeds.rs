//! Which feeds a site has, where each is written and which articles it lists, and which
//! articles `llms.txt` lists: said once here, for the claims of output paths, the render jobs,
//! their fingerprints and the `<link>`s of page heads alike.
//!
//! Every language has its feeds beside its home page (`atom.xml`, `rss.xml`, `en/atom.xml`…);
//! with `section_feeds: true` each section and each term of a taxonomy has its own in its
//! folder (`seo/rss.xml`, `tags/mala-firma/atom.xml`), as Zola lays them out.

use super::Site;
use crate::config::Language;

/// Which articles a feed lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FeedOf {
    /// The newest articles of a language's part of the site.
    Site(Language),
    /// The newest articles of a section and of every section inside it (never a home page,
    /// whose feed is its language's).
    Section(usize),
    /// The newest articles of term `.1` of taxonomy `.0`.
    Term(usize, usize),
}

/// The formats every feed is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FeedFormat {
    /// Atom 1.0 (`atom.xml`).
    Atom,
    /// RSS 2.0 (`rss.xml`).
    Rss,
}

impl FeedFormat {
    /// Both formats, in the order feeds are written and announced.
    pub(crate) const ALL: [FeedFormat; 2] = [FeedFormat::Atom, FeedFormat::Rss];

    /// The feed's file name in its folder, which is also the name of its template.
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
        }
    }

    /// The media type a `<link rel="alternate">` announces it with.
    pub(crate) fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Rss => "application/rss+xml",
        }
    }
}

/// The file names of the texts for language models, in each language's folder.
pub(crate) const LLMS_TXT: &str = "llms.txt";
/// See [`LLMS_TXT`].
pub(crate) const LLMS_FULL_TXT: &str = "llms-full.txt";

impl Site {
    /// Every feed of the site: each language's, then (with `section_feeds`) each section's
    /// and each term's, in model order. Each is written in every [`FeedFormat`].
    pub(crate) fn feeds(&self) -> Vec<FeedOf> {
        let mut feeds: Vec<FeedOf> = self.languages().iter().map(|&l| FeedOf::Site(l)).collect();
        if self.config.section_feeds {
            feeds.extend(
                (0..self.sections.len())
                    .filter(|&s| self.section_has_feed(s))
                    .map(FeedOf::Section),
            );
            for (t, tax) in self.taxonomies.iter().enumerate() {
                feeds.extend((0..tax.terms.len()).map(|term| FeedOf::Term(t, term)));
            }
        }
        feeds
    }

    /// Whether section `id` has feeds of its own: every section but the homes, when
    /// `section_feeds` is on.
    pub(crate) fn section_has_feed(&self, id: usize) -> bool {
        self.config.section_feeds && self.sections[id].parent.is_some()
    }

    /// The folder a feed is written in: its language's, its section's or its term's.
    pub(crate) fn feed_dir(&self, feed: FeedOf) -> String {
        match feed {
            FeedOf::Site(lang) => self.lang_prefix(lang),
            FeedOf::Section(id) => self.sections[id].path.clone(),
            FeedOf::Term(t, term) => {
                let tax = &self.taxonomies[t];
                tax.term_path(&tax.terms[term])
            }
        }
    }

    /// The output path of a feed in a format (`atom.xml`, `en/rss.xml`, `seo/atom.xml`).
    pub(crate) fn feed_path_of(&self, feed: FeedOf, format: FeedFormat) -> String {
        format!("{}{}", self.feed_dir(feed), format.file_name())
    }

    /// The language a feed is in.
    pub(crate) fn feed_lang(&self, feed: FeedOf) -> Language {
        match feed {
            FeedOf::Site(lang) => lang,
            FeedOf::Section(id) => self.sections[id].tree,
            FeedOf::Term(t, _) => self.taxonomies[t].lang,
        }
    }

    /// Whether article `id` may be in a feed: it has a date to be ordered and announced by,
    /// and is not kept from search engines (`noindex`), whose readers a feed serves as well.
    pub(crate) fn in_feeds(&self, id: usize) -> bool {
        let meta = &self.pages[id].doc.meta;
        meta.date.is_some() && !meta.noindex
    }

    /// The articles of a feed, newest first, up to `feed_limit`.
    pub(crate) fn feed_pages(&self, feed: FeedOf) -> Vec<usize> {
        let limit = self.config.feed_limit;
        match feed {
            FeedOf::Site(lang) => self
                .newest()
                .iter()
                .copied()
                .filter(|&p| self.pages[p].lang == lang && self.in_feeds(p))
                .take(limit)
                .collect(),
            FeedOf::Section(id) => self
                .newest()
                .iter()
                .copied()
                .filter(|&p| self.in_feeds(p) && self.section_holds(id, self.pages[p].section))
                .take(limit)
                .collect(),
            FeedOf::Term(t, term) => self.taxonomies[t].terms[term]
                .pages
                .iter()
                .copied()
                .filter(|&p| self.in_feeds(p))
                .take(limit)
                .collect(),
        }
    }

    /// Whether `inner` is section `outer` or a section inside it.
    pub(crate) fn section_holds(&self, outer: usize, inner: usize) -> bool {
        let mut cur = Some(inner);
        while let Some(s) = cur {
            if s == outer {
                return true;
            }
            cur = self.sections[s].parent;
        }
        false
    }

    /// Whether `llms.txt` and `llms-full.txt` list article `id`: not a page kept from search
    /// engines (`noindex`) or from the site's search (`search: false`), which the authors
    /// meant for people who land on it, not for an index.
    pub(crate) fn in_llms(&self, id: usize) -> bool {
        let meta = &self.pages[id].doc.meta;
        !meta.noindex && meta.search != Some(false)
    }

    /// Whether the build writes `llms-full.txt` beside `llms.txt`.
    pub(crate) fn writes_llms_full(&self) -> bool {
        self.config.llms_txt && self.config.llms_full_max_mb > 0
    }
}

/// The files kbsite writes in each language's folder besides its pages (`prefix` is that
/// folder): its feeds and, when on, the texts for language models.
pub(super) fn language_files(config: &crate::config::Config, prefix: &str) -> Vec<String> {
    let mut files: Vec<String> = FeedFormat::ALL
        .iter()
        .map(|f| format!("{prefix}{}", f.file_name()))
        .collect();
    if config.llms_txt {
        files.push(format!("{prefix}{LLMS_TXT}"));
        if config.llms_full_max_mb > 0 {
            files.push(format!("{prefix}{LLMS_FULL_TXT}"));
        }
    }
    files
}

/// The feed files of the folder `dir` of a section or a term.
pub(super) fn feed_files(dir: &str) -> [String; 2] {
    FeedFormat::ALL.map(|f| format!("{dir}{}", f.file_name()))
}
