//! Which articles get a social card, what each card shows and where it is published; drawing
//! it from the theme's `social_card.svg` template.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::card::{CardText, Fonts};
use crate::config::Config;
use crate::render::ThemeFiles;
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

/// The card settings of one set of templates and fonts.
pub(crate) struct Cards {
    pub(crate) fonts: Fonts,
    /// A hash of the card template's source and of every template it includes, imports or
    /// extends; `None` when cards are off or there is no card template.
    template_digest: Option<u128>,
}

impl Cards {
    /// `sources` are the templates by the name Tera knows them under, with path and source.
    pub(crate) fn new(
        config: &Config,
        theme: &ThemeFiles,
        sources: &HashMap<String, (PathBuf, String)>,
    ) -> Cards {
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
        Cards {
            fonts: Fonts::new(theme.fonts.clone()),
            template_digest,
        }
    }

    /// The card of article `id`, unless it has its own `image` or cards are off.
    pub(crate) fn job(&self, site: &Site, id: usize) -> Option<CardJob> {
        let digest = self.template_digest?;
        let p = &site.pages[id];
        if p.image.is_some() {
            return None;
        }
        let section = if p.section == 0 {
            ""
        } else {
            site.sections[p.section].title.as_str()
        };
        let text = CardText::new(
            &self.fonts,
            &p.title,
            &site.config.title,
            section,
            p.lang.code(),
        );
        let name = text.name(digest, &self.fonts);
        Some(CardJob {
            path: format!("{}/{name}.png", crate::card::DIR),
            text,
            article: p.doc.display_path.clone(),
        })
    }
}
