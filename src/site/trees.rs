//! One tree of sections per language: the site's own language at the root of the output, each
//! other language under its code (`en/`), so every language gets its own home page, section
//! lists, tag pages, feed and search index.
//!
//! A folder is a section of a language's tree when it has that language's `_index.<code>.md`
//! or the site language's `_index.md`, or when it is a top-level folder holding articles of
//! that language (Hugo's rule, so trees moved in without `_index.md` keep their folders); another language's tree holds only the sections its
//! articles need (and their parents), so a Polish site with three English articles does not
//! grow an English copy of every empty section. A section without its own `_index.en.md`
//! borrows the title and order of the `_index.md` beside it until it is translated.

use std::collections::{BTreeMap, BTreeSet};

use crate::hash::FastMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Section, humanize, parent_dir};
use crate::config::{Config, Language};
use crate::content::Document;
use crate::paths;

/// The output folder of `lang`'s tree: empty for the site's language, `en/` for English.
pub(crate) fn lang_prefix(config: &Config, lang: Language) -> String {
    if lang == config.language {
        String::new()
    } else {
        format!("{}/", lang.code())
    }
}

/// The section trees of a site, before any page joins them.
pub(super) struct Trees {
    /// Every section, the site language's home first (index 0), then its sections in folder
    /// order, then each other language's home and sections.
    pub sections: Vec<Section>,
    /// The languages that have a tree, the site's first.
    pub languages: Vec<Language>,
    /// The section of each (tree language, folder).
    of: FastMap<(Language, String), usize>,
    /// The folders that are sections in each language's tree.
    dirs: FastMap<Language, BTreeSet<String>>,
    /// Section files that claim a folder another file of the same language already has
    /// (`_index.md` and `_index.pl.md` in a Polish site), with the output path they would
    /// take.
    pub duplicates: Vec<(Arc<Document>, String)>,
}

impl Trees {
    /// Sorts `section_docs` (every `_index*.md`) into trees for the languages of `pages`
    /// (each article's language and folder).
    pub(super) fn new(
        config: &Config,
        section_docs: Vec<Arc<Document>>,
        pages: &[(Language, &str)],
    ) -> Trees {
        let site_lang = config.language;
        let mut docs: BTreeMap<(Language, String), Arc<Document>> = BTreeMap::new();
        let mut duplicates = Vec::new();
        for doc in section_docs {
            let lang = doc.language_suffix().1.unwrap_or(site_lang);
            let key = (lang, doc.rel_dir().to_string());
            match docs.entry(key) {
                std::collections::btree_map::Entry::Occupied(e) => {
                    let path = section_path(config, e.key().0, &e.key().1);
                    duplicates.push((doc, path));
                }
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(doc);
                }
            }
        }
        let mut languages: Vec<Language> = std::iter::once(site_lang)
            .chain(pages.iter().map(|(l, _)| *l))
            .chain(docs.keys().map(|(l, _)| *l))
            .collect();
        languages.sort_by_key(|&l| (l != site_lang, l));
        languages.dedup();

        let mut trees = Trees {
            sections: Vec::new(),
            languages: languages.clone(),
            of: FastMap::default(),
            dirs: FastMap::default(),
            duplicates,
        };
        for &lang in &languages {
            // Folders that may be sections of this tree: its own files and the site language's,
            // and, as in Hugo, every top-level folder that holds its articles, so a tree moved
            // in without `_index.md` files still gets a section (and a list page) per folder.
            let top_level: BTreeSet<&str> = pages
                .iter()
                .filter(|(l, _)| *l == lang)
                .map(|(_, dir)| dir.split('/').next().unwrap_or(""))
                .filter(|top| !top.is_empty())
                .collect();
            let candidates: BTreeSet<&str> = docs
                .keys()
                .filter(|(l, _)| *l == lang || *l == site_lang)
                .map(|(_, d)| d.as_str())
                .chain(top_level)
                .collect();
            let nearest = |dir: &str| nearest_in(&candidates, dir).to_string();
            let mut wanted: BTreeSet<String> = BTreeSet::from([String::new()]);
            if lang == site_lang {
                wanted.extend(candidates.iter().map(|d| d.to_string()));
            } else {
                let own = docs
                    .keys()
                    .filter(|(l, _)| *l == lang)
                    .map(|(_, d)| d.clone());
                let needed = pages
                    .iter()
                    .filter(|(l, _)| *l == lang)
                    .map(|(_, d)| nearest(d));
                for mut dir in own.chain(needed) {
                    while !dir.is_empty() && wanted.insert(dir.clone()) {
                        dir = nearest(parent_dir(&dir).unwrap_or(""));
                    }
                }
            }
            for dir in &wanted {
                let own = docs.get(&(lang, dir.clone())).cloned();
                let fallback = docs.get(&(site_lang, dir.clone())).cloned();
                let id = trees.sections.len();
                trees.of.insert((lang, dir.clone()), id);
                trees.sections.push(new_section(
                    config,
                    dir.clone(),
                    own,
                    fallback.as_deref(),
                    lang,
                ));
            }
            for dir in wanted.iter().filter(|d| !d.is_empty()) {
                let parent = nearest(parent_dir(dir).unwrap_or(""));
                let (id, parent) = (trees.of[&(lang, dir.clone())], trees.of[&(lang, parent)]);
                trees.sections[id].parent = Some(parent);
                trees.sections[parent].subsections.push(id);
            }
            trees.dirs.insert(lang, wanted);
        }
        // A section is translated by the section of the same folder in another tree.
        let mut by_dir: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (id, s) in trees.sections.iter().enumerate() {
            by_dir.entry(s.rel_dir.as_str()).or_default().push(id);
        }
        let translations: Vec<(usize, Vec<usize>)> = by_dir
            .values()
            .flat_map(|ids| {
                ids.iter()
                    .map(|&i| (i, ids.iter().copied().filter(|&o| o != i).collect()))
            })
            .collect();
        for (id, others) in translations {
            trees.sections[id].translations = others;
        }
        trees
    }

    /// The section an article of `lang` in folder `dir` belongs to: the nearest folder above
    /// it that is a section of its language's tree.
    pub(super) fn section_of(&self, lang: Language, dir: &str) -> usize {
        let Some(dirs) = self.dirs.get(&lang) else {
            return 0;
        };
        let mut d = Some(dir);
        while let Some(cur) = d {
            if dirs.contains(cur) {
                return self.of[&(lang, cur.to_string())];
            }
            d = parent_dir(cur);
        }
        self.of.get(&(lang, String::new())).copied().unwrap_or(0)
    }
}

/// The nearest folder of `candidates` at or above `dir` (the root when none is).
fn nearest_in<'a>(candidates: &BTreeSet<&str>, dir: &'a str) -> &'a str {
    let mut d = Some(dir);
    while let Some(cur) = d {
        if candidates.contains(cur) {
            return cur;
        }
        d = parent_dir(cur);
    }
    ""
}

/// A section of `tree`'s tree for folder `rel_dir`: from its own `_index` file, else with the
/// title and order of the site language's one (`fallback`).
fn new_section(
    config: &Config,
    rel_dir: String,
    doc: Option<Arc<Document>>,
    fallback: Option<&Document>,
    tree: Language,
) -> Section {
    let meta = doc.as_ref().map(|d| &d.meta).or(fallback.map(|d| &d.meta));
    // Another language's home without its own `_index` file is named by `languages` in the
    // config, not by the home page of the site's language.
    let borrowed_home = rel_dir.is_empty() && doc.is_none() && tree != config.language;
    let title = if borrowed_home {
        None
    } else {
        meta.and_then(|m| m.title.clone())
    };
    let title = title.unwrap_or_else(|| {
        if rel_dir.is_empty() {
            config.title_in(tree).to_string()
        } else {
            humanize(rel_dir.rsplit('/').next().unwrap_or(&rel_dir))
        }
    });
    let own = doc.as_ref().map(|d| &d.meta);
    Section {
        lang: own.and_then(|m| m.lang).unwrap_or(tree),
        tree,
        sort_by: meta.and_then(|m| m.sort_by).unwrap_or_default(),
        paginate_by: meta
            .and_then(|m| m.paginate_by)
            .unwrap_or(config.paginate_by),
        path: section_path(config, tree, &rel_dir),
        title,
        rel_dir,
        doc,
        parent: None,
        subsections: Vec::new(),
        pages: Vec::new(),
        translations: Vec::new(),
        rendered: Arc::default(),
    }
}

/// The output folder of the section of folder `rel_dir` in `lang`'s part of the site.
fn section_path(config: &Config, lang: Language, rel_dir: &str) -> String {
    format!(
        "{}{}",
        lang_prefix(config, lang),
        paths::dir_url_path(rel_dir)
    )
}

/// Where a section's problems are reported: its `_index` file, else the content folder.
pub(super) fn section_owner(s: &Section) -> PathBuf {
    s.doc.as_ref().map_or_else(
        || PathBuf::from(crate::sources::CONTENT),
        |d| d.display_path.clone(),
    )
}
