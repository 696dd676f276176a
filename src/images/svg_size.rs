//! The size an SVG picture declares, which pictures in Markdown get as `width` and `height`
//! like raster ones (whose headers give it), read with `roxmltree` (its one home).

/// The size in CSS pixels an SVG picture declares: its root's `width` and `height` (in px or
/// absolute units), else its `viewBox`. `None` when it declares neither, or in relative units
/// (`%`, `em`) whose size depends on where it is shown. So that a page does not jump when the
/// picture arrives, as it does not for a PNG or JPEG with a known size.
pub(super) fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return None;
    }
    let length = |name: &str| root.attribute(name).and_then(css_pixels);
    let view_box = || {
        let numbers: Vec<f64> = root
            .attribute("viewBox")?
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        match numbers.as_slice() {
            [_, _, w, h] if *w > 0.0 && *h > 0.0 => Some((*w, *h)),
            _ => None,
        }
    };
    let (w, h) = match (length("width"), length("height"), view_box()) {
        (Some(w), Some(h), _) => (w, h),
        // One side given: the other keeps the viewBox's proportions.
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(size)) => size,
        _ => return None,
    };
    let round = |v: f64| (v.round() >= 1.0 && v <= f64::from(u32::MAX)).then(|| v.round() as u32);
    Some((round(w)?, round(h)?))
}

/// A length in CSS pixels: a number with no unit or an absolute unit (CSS: 96 px an inch).
fn css_pixels(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| {
            !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')
        })
        .unwrap_or(value.len());
    // An exponent's `e` is part of the number; a unit's (`em`, `ex`) is not.
    let split = if value[..split].ends_with(['e', 'E']) {
        split - 1
    } else {
        split
    };
    let number: f64 = value[..split].parse().ok()?;
    let per_unit = match value[split..].trim() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    (number > 0.0 && number.is_finite()).then_some(number * per_unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_and_height_else_the_view_box() {
        let svg = |attrs: &str| {
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {attrs}><rect/></svg>")
        };
        assert_eq!(
            svg_size(svg("width=\"640\" height=\"320\"").as_bytes()),
            Some((640, 320))
        );
        assert_eq!(
            svg_size(svg("width=\"640px\" height=\"1in\"").as_bytes()),
            Some((640, 96))
        );
        assert_eq!(
            svg_size(svg("viewBox=\"0 0 300 150\"").as_bytes()),
            Some((300, 150))
        );
        assert_eq!(
            svg_size(svg("viewBox=\"0,0,300,150\" width=\"600\"").as_bytes()),
            Some((600, 300))
        );
        assert_eq!(
            svg_size(svg("width=\"1e2\" height=\"50\"").as_bytes()),
            Some((100, 50))
        );
        // Relative sizes depend on where the picture is shown: none is given.
        assert_eq!(
            svg_size(svg("width=\"100%\" height=\"50%\"").as_bytes()),
            None
        );
        assert_eq!(
            svg_size(svg("width=\"10em\" height=\"5em\"").as_bytes()),
            None
        );
        assert_eq!(svg_size(svg("").as_bytes()), None);
        assert_eq!(svg_size(svg("width=\"0\" height=\"10\"").as_bytes()), None);
        assert_eq!(svg_size(b"<html/>"), None);
        assert_eq!(svg_size(b"not xml <"), None);
        assert_eq!(svg_size(&[0xff, 0xfe]), None);
    }
}
