//! The social card's template (`social_card.svg`) rendered with the site's templates: the part
//! of social cards that needs Tera, handed to [`crate::cards`] as a [`CardTemplate`].

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, Tera};

use super::THEME_PREFIX;
use super::template_error::template_error;
use crate::cards::{CARD_TEMPLATE, CardDrawer, CardTemplate, CardText, Fonts};
use crate::config::Config;
use crate::error::Result;
use crate::render::ThemeFiles;

/// The card template as Tera resolves it, with its own copy of the templates.
struct TeraCardTemplate {
    tera: Tera,
    /// The templates by the name Tera knows them under, with path and source.
    sources: HashMap<String, (PathBuf, String)>,
}

impl CardTemplate for TeraCardTemplate {
    fn svg(&self, text: &CardText, what: &str) -> Result<String> {
        let mut ctx = Context::new();
        ctx.insert("card", text);
        self.tera
            .render(CARD_TEMPLATE, &ctx)
            .map_err(|e| template_error(e, &self.sources, Some(what.to_string())))
    }

    fn file(&self) -> PathBuf {
        self.sources
            .get(CARD_TEMPLATE)
            .or_else(|| self.sources.get(&format!("{THEME_PREFIX}{CARD_TEMPLATE}")))
            .map_or_else(|| PathBuf::from(CARD_TEMPLATE), |(path, _)| path.clone())
    }
}

/// The card drawer of a renderer: the theme's fonts, and its card template when cards are on
/// and the theme has one. `sources` are the templates by the name `tera` knows them under.
pub(super) fn card_drawer(
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
    let template = (config.seo.social_cards && has_template).then(|| {
        let template: Box<dyn CardTemplate> = Box::new(TeraCardTemplate {
            tera: tera.clone(),
            sources: sources.clone(),
        });
        (template, crate::hash::content_hash(&parts))
    });
    CardDrawer::new(Fonts::new(theme.fonts.clone()), template)
}
