//! Filters and functions kbsite adds to Tera: `date`, `slugify`, `reading_time`, `url`,
//! `asset_url`.

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::{Config, Language};
use crate::markdown::{count_words, reading_time};
use crate::render::asset_urls::{AssetTable, SharedAssets};
use crate::render::i18n::{PluralForm, format_date, plural_form};

fn state_lang(state: &State, fallback: Language) -> Language {
    state
        .get::<String>("lang")
        .ok()
        .flatten()
        .and_then(|code| Language::parse(&code))
        .unwrap_or(fallback)
}

/// Registers kbsite's filters and functions, closing over what they need of the config.
pub(crate) fn register(tera: &mut Tera, config: &Config, assets: &SharedAssets) {
    let site_lang = config.language;
    tera.register_filter(
        "date",
        move |value: Value, kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let Some(text) = value.as_str() else {
                return Ok(String::new());
            };
            let lang = match kwargs.get::<&str>("lang")? {
                Some(code) => Language::parse(code).unwrap_or(site_lang),
                None => state_lang(state, site_lang),
            };
            let short = kwargs.get::<&str>("format")? == Some("short");
            format_date(text, lang, short).ok_or_else(|| {
                tera::Error::message(format!("`date` filter: `{text}` is not an ISO date"))
            })
        },
    );
    tera.register_filter(
        "plural",
        move |n: u64, kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let one = kwargs.must_get::<&str>("one")?;
            let many = kwargs.must_get::<&str>("many")?;
            let few = kwargs.get::<&str>("few")?.unwrap_or(many);
            Ok(match plural_form(n, state_lang(state, site_lang)) {
                PluralForm::One => one,
                PluralForm::Few => few,
                PluralForm::Many => many,
            }
            .to_string())
        },
    );
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        crate::slug::slugify(value)
    });
    tera.register_filter(
        "reading_time",
        |value: Value, _: Kwargs, _: &State| -> usize {
            match value.as_u64() {
                Some(words) => reading_time(words as usize),
                None => reading_time(value.as_str().map_or(0, count_words)),
            }
        },
    );
    let base_path = config.base_path().to_string();
    let base_url = config.base_url.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
            let path = path.trim_start_matches('/');
            Ok(if absolute {
                format!("{base_url}{path}")
            } else {
                format!("{base_path}{path}")
            })
        },
    );
    let base_path = config.base_path().to_string();
    let base_url = config.base_url.clone();
    let assets = assets.clone();
    tera.register_function(
        "asset_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
            let rel = path.trim_start_matches('/');
            let hash = AssetTable::current(&assets).hash(rel).ok_or_else(|| {
                tera::Error::message(format!(
                    "`asset_url`: the output has no file `{rel}` (static/, the theme's static/, \
                     sass/ or content/)"
                ))
            })?;
            let prefix = if absolute { &base_url } else { &base_path };
            Ok(if hash.is_empty() {
                format!("{prefix}{rel}")
            } else {
                format!("{prefix}{rel}?h={hash}")
            })
        },
    );
}
