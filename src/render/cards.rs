//! Which articles get a social card, what each card shows and where it is published; drawing
//! it from the theme's `social_card.svg` template.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, Tera};

use super::THEME_PREFIX;
use super::template_error::template_error;
use crate::card::{CardText, Fonts};
use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::render::ThemeFiles;
use rayon::prelude::*;

use crate::site::Site;

/// The template a card is drawn from (SVG, escaped like HTML).
pub const CARD_TEMPLATE: &str = "social_card.svg";

/// One card the site needs: its output path and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardJob {
    /// Output path (`social/<hash>.png`); the hash covers everything drawn, so a file of this
    /// name from an earlier build holds the same picture.
    pub path: String,
    /// The text the template lays out.
    pub text: CardText,
    /// The article it shows, named in errors.
    pub article: PathBuf,
}

/// What a card shows of its article: title, section title and language.
type MemoKey = (String, String, &'static str);

/// The cards of earlier rebuilds by what they show, so a rebuild of a preview lays out only
/// titles it has not seen. Belongs to one [`CardDrawer`]: a new one starts empty.
#[derive(Debug, Default)]
pub struct CardMemo {
    jobs: HashMap<MemoKey, CardJob>,
}

/// The card template and fonts of one renderer, with its own copy of the templates so that
/// a preview can draw a card when it is first asked for, while the renderer moves on.
pub struct CardDrawer {
    pub(crate) fonts: Fonts,
    /// The templates, when cards are on.
    tera: Option<Tera>,
    sources: HashMap<String, (PathBuf, String)>,
    /// A hash of the card template's source and of every template it includes, imports or
    /// extends; `None` when cards are off or there is no card template.
    template_digest: Option<u128>,
}

impl std::fmt::Debug for CardDrawer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardDrawer")
            .field("template_digest", &self.template_digest)
            .finish_non_exhaustive()
    }
}

impl CardDrawer {
    /// `sources` are the templates by the name `tera` knows them under, with path and source.
    pub(crate) fn new(
        config: &Config,
        theme: &ThemeFiles,
        sources: &HashMap<String, (PathBuf, String)>,
        tera: &Tera,
    ) -> CardDrawer {
        let closure = super::fingerprint::closure(sources, CARD_TEMPLATE);
        let has_template = closure.first().is_some_and(|(_, found)| found.is_some());
        // Names and sources as Tera resolves them (the site's own template wins over the
        // theme's), hashed with a stable hash: the digest ends up in published URLs.
        let parts: Vec<&[u8]> = closure
            .iter()
            .flat_map(|(name, found)| {
                let (key, source) = found.unwrap_or(("", ""));
                [name.as_bytes(), key.as_bytes(), source.as_bytes()]
            })
            .collect();
        let template_digest =
            (config.seo.social_cards && has_template).then(|| crate::hash::content_hash(&parts));
        CardDrawer {
            fonts: Fonts::new(theme.fonts.clone()),
            tera: template_digest.map(|_| tera.clone()),
            sources: if template_digest.is_some() {
                sources.clone()
            } else {
                HashMap::new()
            },
            template_digest,
        }
    }

    /// Draws one card: its template with the card's text (as `card`), then the SVG to PNG.
    pub fn draw(&self, job: &CardJob) -> Result<Vec<u8>> {
        let what = format!("the social card of {}", job.article.display());
        let Some(tera) = &self.tera else {
            return Err(Error::Template {
                at: Location::file(std::path::Path::new(CARD_TEMPLATE)).into(),
                message: "social cards are off".into(),
                rendering: Some(what),
            });
        };
        let mut ctx = Context::new();
        ctx.insert("card", &job.text);
        let svg = tera
            .render(CARD_TEMPLATE, &ctx)
            .map_err(|e| template_error(e, &self.sources, Some(what.clone())))?;
        self.fonts.draw(&svg).map_err(|e| {
            let file = self
                .sources
                .get(CARD_TEMPLATE)
                .or_else(|| self.sources.get(&format!("{THEME_PREFIX}{CARD_TEMPLATE}")))
                .map_or_else(|| PathBuf::from(CARD_TEMPLATE), |(path, _)| path.clone());
            Error::Template {
                at: Location::file(&file).into(),
                message: e.to_string(),
                rendering: Some(what),
            }
        })
    }

    /// What the card of article `id` shows, as a key: none when it has its own `image` or
    /// cards are off.
    fn key(&self, site: &Site, id: usize) -> Option<MemoKey> {
        self.template_digest?;
        let p = &site.pages[id];
        if p.image.is_some() {
            return None;
        }
        let section = if site.sections[p.section].parent.is_none() {
            ""
        } else {
            site.sections[p.section].title.as_str()
        };
        Some((p.title.clone(), section.to_string(), p.lang.code()))
    }

    /// The cards of every article of `site`, laying out only titles `memo` has not seen.
    pub(crate) fn jobs_remembered<'m>(
        &self,
        site: &Site,
        memo: &'m mut CardMemo,
    ) -> Vec<&'m CardJob> {
        let keys: Vec<Option<MemoKey>> =
            (0..site.pages.len()).map(|id| self.key(site, id)).collect();
        let missing: Vec<usize> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.as_ref().is_some_and(|k| !memo.jobs.contains_key(k)))
            .map(|(id, _)| id)
            .collect();
        if memo.jobs.len() + missing.len() > 2 * site.pages.len() + 64 {
            // Titles that went away are forgotten now and then.
            memo.jobs
                .retain(|k, _| keys.iter().flatten().any(|key| key == k));
        }
        let made: Vec<(usize, Option<CardJob>)> = missing
            .into_par_iter()
            .map(|id| (id, self.job(site, id)))
            .collect();
        for (id, job) in made {
            if let (Some(key), Some(job)) = (keys[id].clone(), job) {
                memo.jobs.insert(key, job);
            }
        }
        let memo = &*memo;
        keys.iter()
            .flatten()
            .filter_map(|k| memo.jobs.get(k))
            .collect()
    }

    /// The card of article `id`, unless it has its own `image` or cards are off.
    pub(crate) fn job(&self, site: &Site, id: usize) -> Option<CardJob> {
        let digest = self.template_digest?;
        let (title, section, lang) = self.key(site, id)?;
        let p = &site.pages[id];
        let site_title = site.config.title_in(p.lang);
        let text = CardText::new(&self.fonts, &title, site_title, &section, lang);
        let name = text.name(digest, &self.fonts);
        Some(CardJob {
            path: format!("{}/{name}.png", crate::card::DIR),
            text,
            article: p.doc.display_path.clone(),
        })
    }
}
