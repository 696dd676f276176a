//! Smaller copies of pictures for `srcset`: decode once, resize to each width with a
//! Lanczos filter, encode again in the picture's own format. Pure: bytes in, bytes out, the
//! same bytes for the same input (no timestamps, no threads inside one picture).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
// Named apart from the `png` crate, which the social cards use.
use image::codecs::png as png_codec;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageEncoder, ImageFormat};

/// The formats kbsite resizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// JPEG, copies encoded at [`JPEG_QUALITY`].
    Jpeg,
    /// PNG, copies lossless.
    Png,
    /// WebP, copies lossless (the only WebP encoding the encoder has).
    WebP,
}

/// The JPEG quality of resized copies.
pub(crate) const JPEG_QUALITY: u8 = 82;

/// Everything about how copies are made that changes their bytes: part of the build cache's
/// key, so a change here makes new copies rather than reusing old ones.
pub(crate) const ENCODER_SETTINGS: &str = "lanczos3;jpeg-q82;png-best-adaptive;webp-lossless;v1";

impl Format {
    /// The file name extension of copies.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::WebP => ImageFormat::WebP,
        }
    }
}

/// The height of a copy `width` pixels wide of a picture of `size`, keeping its proportions.
pub(crate) fn scaled_height(size: (u32, u32), width: u32) -> u32 {
    let (w, h) = (u64::from(size.0.max(1)), u64::from(size.1));
    ((h * u64::from(width) + w / 2) / w).max(1) as u32
}

/// Decodes `bytes` (a picture in `format`) and returns a copy for each of `widths`, in order,
/// each encoded in `format`.
pub(crate) fn resize(bytes: &[u8], format: Format, widths: &[u32]) -> Result<Vec<Vec<u8>>, String> {
    let picture = image::load_from_memory_with_format(bytes, format.image_format())
        .map_err(|e| e.to_string())?;
    let size = (picture.width(), picture.height());
    widths
        .iter()
        .map(|&width| {
            let copy =
                picture.resize_exact(width, scaled_height(size, width), FilterType::Lanczos3);
            encode(&copy, format).map_err(|e| e.to_string())
        })
        .collect()
}

fn encode(picture: &DynamicImage, format: Format) -> image::ImageResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let (w, h) = (picture.width(), picture.height());
    match format {
        Format::Jpeg => {
            // JPEG has no alpha; grey pictures stay grey.
            let picture = match picture {
                DynamicImage::ImageLuma8(_) => picture.clone(),
                _ => DynamicImage::ImageRgb8(picture.to_rgb8()),
            };
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(
                picture.as_bytes(),
                w,
                h,
                picture.color().into(),
            )?;
        }
        Format::Png => {
            png_codec::PngEncoder::new_with_quality(
                &mut out,
                png_codec::CompressionType::Best,
                png_codec::FilterType::Adaptive,
            )
            .write_image(picture.as_bytes(), w, h, picture.color().into())?;
        }
        Format::WebP => {
            let picture = if picture.color().has_alpha() {
                DynamicImage::ImageRgba8(picture.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(picture.to_rgb8())
            };
            WebPEncoder::new_lossless(&mut out).write_image(
                picture.as_bytes(),
                w,
                h,
                picture.color().into(),
            )?;
        }
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(format: Format) -> Vec<u8> {
        let img = image::RgbImage::from_fn(200, 100, |x, y| {
            image::Rgb([(x % 256) as u8, (y * 2 % 256) as u8, ((x + y) % 256) as u8])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, format.image_format())
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn copies_have_the_asked_widths_and_the_same_bytes_every_time() {
        for format in [Format::Jpeg, Format::Png, Format::WebP] {
            let source = picture(format);
            let copies = resize(&source, format, &[50, 120]).unwrap();
            for (copy, width) in copies.iter().zip([50, 120]) {
                let decoded =
                    image::load_from_memory_with_format(copy, format.image_format()).unwrap();
                assert_eq!((decoded.width(), decoded.height()), (width, width / 2));
            }
            assert_eq!(copies, resize(&source, format, &[50, 120]).unwrap());
        }
    }

    #[test]
    fn heights_keep_proportions() {
        assert_eq!(scaled_height((2000, 1333), 480), 320);
        assert_eq!(scaled_height((3000, 1), 480), 1);
    }

    #[test]
    fn broken_pictures_are_errors() {
        assert!(resize(b"not a picture", Format::Png, &[10]).is_err());
    }
}
