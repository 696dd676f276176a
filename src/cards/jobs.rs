//! Which articles get a social card, what each card shows and where it is published, and
//! drawing a card from its template. The template itself (the theme's `social_card.svg`) is
//! laid out by the renderer, which owns the templates: it hands a [`CardTemplate`] over.

use crate::hash::FastMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{CardText, Fonts};
use crate::error::{Error, Location, Result};
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
    jobs: FastMap<MemoKey, CardJob>,
}

/// Lays out the SVG of a card from its text: the theme's card template, rendered by the
/// templates' owner. Errors name the template and `what` (the card's article).
pub trait CardTemplate: Send + Sync {
    /// The SVG of a card showing `text`.
    fn svg(&self, text: &CardText, what: &str) -> Result<String>;
    /// The template file, named when its SVG cannot be drawn.
    fn file(&self) -> PathBuf;
}

/// The card template and fonts of one renderer, with its own copy of the templates so that
/// a preview can draw a card when it is first asked for, while the renderer moves on.
pub struct CardDrawer {
    pub(crate) fonts: Fonts,
    /// The template, when cards are on.
    template: Option<Box<dyn CardTemplate>>,
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
    /// A drawer with `fonts` and, when cards are on, the template with the digest of its
    /// sources (which ends up in every card's published name).
    pub fn new(fonts: Fonts, template: Option<(Box<dyn CardTemplate>, u128)>) -> CardDrawer {
        let (template, template_digest) = match template {
            Some((template, digest)) => (Some(template), Some(digest)),
            None => (None, None),
        };
        CardDrawer {
            fonts,
            template,
            template_digest,
        }
    }

    /// Draws one card: its template with the card's text, then the SVG to PNG.
    pub fn draw(&self, job: &CardJob) -> Result<Vec<u8>> {
        let what = format!("the social card of {}", job.article.display());
        let Some(template) = &self.template else {
            return Err(Error::Template {
                at: Location::file(Path::new(CARD_TEMPLATE)).into(),
                message: "social cards are off".into(),
                rendering: Some(what),
            });
        };
        let svg = template.svg(&job.text, &what)?;
        self.fonts.draw(&svg).map_err(|e| Error::Template {
            at: Location::file(&template.file()).into(),
            message: e.to_string(),
            rendering: Some(what),
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

    /// [`CardDrawer::jobs_remembered`] for one article: its card, laid out only when `memo`
    /// has not seen what it shows.
    pub(crate) fn job_remembered<'m>(
        &self,
        site: &Site,
        id: usize,
        memo: &'m mut CardMemo,
    ) -> Option<&'m CardJob> {
        let key = self.key(site, id)?;
        if !memo.jobs.contains_key(&key) {
            let job = self.job(site, id)?;
            memo.jobs.insert(key.clone(), job);
        }
        memo.jobs.get(&key)
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
            path: format!("{}/{name}.png", super::DIR),
            text,
            article: p.doc.display_path.clone(),
        })
    }
}
