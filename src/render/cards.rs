//! Which articles get a social card, what each card shows and where it is published; drawing
//! it from the theme's `social_card.svg` template.

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
}

/// The card settings of one set of templates and fonts.
pub(crate) struct Cards {
    pub(crate) fonts: Fonts,
    /// A hash of the card template's source; `None` when cards are off or the theme has no
    /// card template.
    template_digest: Option<u128>,
}

impl Cards {
    pub(crate) fn new(config: &Config, theme: &ThemeFiles) -> Cards {
        // The site's own template wins over the theme's, as for every template.
        let template = theme
            .templates
            .iter()
            .filter(|t| t.name == CARD_TEMPLATE)
            .max_by_key(|t| t.from_site);
        let template_digest = template
            .filter(|_| config.seo.social_cards)
            .map(|t| crate::hash::content_hash(&[t.source.as_bytes()]));
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
        })
    }
}
