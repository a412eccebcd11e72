//! Image files on disk: what an upload really is (read from its bytes, never from its
//! name), and the WebP variants.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat};

/// Largest picture we decode (width × height), so a small file cannot expand into
/// gigabytes of memory.
const MAX_PIXELS: u64 = 40_000_000;
/// The most memory one decoded picture may take (40 megapixels of 8-bit RGBA); a
/// 16-bit picture of as many pixels is refused, not decoded.
const DECODE_BUDGET_BYTES: u64 = MAX_PIXELS * 4;
/// Pictures larger than this once decoded are resized one at a time in the process, so
/// eight big uploads at once take the memory of one rather than eight.
const LARGE_DECODE_BYTES: u64 = 16 * 1024 * 1024;
static LARGE_DECODES: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// An accepted image: its type and size.
#[derive(Debug, PartialEq, Eq)]
pub struct Inspected {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Reads what the bytes are. SVG is refused (it can carry scripts); so is anything that
/// is not a JPEG, PNG, WebP or GIF, whatever its name says.
pub fn inspect(bytes: &[u8]) -> Result<Inspected, String> {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let text = start.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<svg") || (text.starts_with("<?xml") && start.contains("<svg")) {
        return Err(
            "SVG files are not accepted because they can contain scripts. Export the image as PNG or WebP."
                .into(),
        );
    }
    let not_an_image =
        || "This file is not an image we accept. Upload a JPEG, PNG, WebP or GIF.".to_string();
    let format = image::guess_format(bytes).map_err(|_| not_an_image())?;
    let content_type = match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        ImageFormat::WebP => "image/webp",
        ImageFormat::Gif => "image/gif",
        _ => return Err(not_an_image()),
    };
    let decoder = decoder(bytes, format)
        .map_err(|_| "The image is damaged and cannot be read.".to_string())?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width == 0 || height == 0 {
        return Err(format!(
            "The image is {width}×{height} pixels; the most we accept is 40 megapixels."
        ));
    }
    if decoder.total_bytes() > DECODE_BUDGET_BYTES {
        return Err(format!(
            "The image is {width}×{height} pixels of {} bits each, too large to work with; \
             save it with 8 bits per channel or fewer pixels.",
            decoder.color_type().bits_per_pixel()
        ));
    }
    Ok(Inspected {
        content_type,
        width,
        height,
    })
}

/// The folder of one file: `{media dir}/{tenant id}/{media id}`.
pub fn folder(media_dir: &Path, tenant_id: &str, id: &str) -> PathBuf {
    media_dir.join(tenant_id).join(id)
}

/// A decoder for `bytes` that refuses to allocate past the decode budget.
fn decoder(bytes: &[u8], format: ImageFormat) -> image::ImageResult<impl ImageDecoder + '_> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(DECODE_BUDGET_BYTES);
    reader.limits(limits);
    reader.into_decoder()
}

/// Makes the WebP variants narrower than the original; returns their widths. Memory:
/// the decoded original (at most the decode budget, one large one at a time) and the
/// variants; the largest variant is sampled from the original without a full-size
/// working copy, each smaller one resized from the one before.
pub fn make_variants(original: &[u8], folder: &Path) -> Result<Vec<u32>, String> {
    let failed = |e: image::ImageError| format!("The image could not be decoded: {e}");
    let format = image::guess_format(original).map_err(failed)?;
    let decoder = decoder(original, format).map_err(failed)?;
    if decoder.total_bytes() > DECODE_BUDGET_BYTES {
        return Err("The image is too large to decode.".into());
    }
    let _turn = (decoder.total_bytes() > LARGE_DECODE_BYTES)
        .then(|| LARGE_DECODES.lock().unwrap_or_else(|e| e.into_inner()));
    let picture = DynamicImage::from_decoder(decoder).map_err(failed)?;
    let widths: Vec<u32> = super::VARIANT_WIDTHS
        .into_iter()
        .filter(|w| *w < picture.width())
        .collect();
    let mut made = Vec::new();
    let mut source: Option<DynamicImage> = None;
    for &width in widths.iter().rev() {
        let from = source.as_ref().unwrap_or(&picture);
        let height =
            (u64::from(picture.height()) * u64::from(width) / u64::from(picture.width())).max(1);
        let resized = match source {
            Some(_) => from.resize_exact(width, height as u32, FilterType::Triangle),
            None => from.thumbnail_exact(width, height as u32),
        };
        let mut webp = Vec::new();
        resized
            .to_rgba8()
            .write_to(&mut Cursor::new(&mut webp), ImageFormat::WebP)
            .map_err(|e| format!("The {width}px version could not be made: {e}"))?;
        std::fs::write(folder.join(format!("w{width}.webp")), webp)
            .map_err(|e| format!("The {width}px version could not be written: {e}"))?;
        made.push(width);
        source = Some(resized);
    }
    made.reverse();
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 60]));
        let mut bytes = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn images_are_known_by_their_bytes() {
        let inspected = inspect(&png(40, 20)).unwrap();
        assert_eq!(
            inspected,
            Inspected {
                content_type: "image/png",
                width: 40,
                height: 20
            }
        );
        assert!(
            inspect(b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>")
                .unwrap_err()
                .contains("SVG")
        );
        assert!(inspect(b"<?xml version='1.0'?>\n<svg></svg>")
            .unwrap_err()
            .contains("SVG"));
        assert!(inspect(b"MZ\x90\x00 definitely an exe")
            .unwrap_err()
            .contains("JPEG, PNG"));
        let mut truncated = png(40, 20);
        truncated.truncate(20);
        assert!(inspect(&truncated).is_err());
    }

    /// The start of a PNG: its signature, a header claiming a size, and an empty data
    /// chunk (nothing decodes, but the size can be read).
    fn png_header(width: u32, height: u32, bit_depth: u8, colour: u8) -> Vec<u8> {
        let mut header = width.to_be_bytes().to_vec();
        header.extend(height.to_be_bytes());
        header.extend([bit_depth, colour, 0, 0, 0]);
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(b"IHDR", header), (b"IDAT", Vec::new())] {
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(&data);
            bytes.extend((data.len() as u32).to_be_bytes());
            bytes.extend(kind);
            bytes.extend(&data);
            bytes.extend(crc.sum().to_be_bytes());
        }
        bytes
    }

    #[test]
    fn pictures_too_large_to_decode_are_refused_from_their_header() {
        // 36 megapixels: 8-bit RGB is accepted, 16-bit RGBA (288 MB decoded) is not.
        let accepted = inspect(&png_header(6000, 6000, 8, 2));
        assert!(accepted.is_ok(), "{accepted:?}");
        let refused = inspect(&png_header(6000, 6000, 16, 6)).unwrap_err();
        assert!(refused.contains("too large to work with"), "{refused}");
        let refused = inspect(&png_header(6400, 6400, 8, 2)).unwrap_err();
        assert!(refused.contains("40 megapixels"), "{refused}");
    }

    #[test]
    fn variants_are_narrower_webp_files() {
        let dir = std::env::temp_dir().join(format!("bizosaas-variants-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let made = make_variants(&png(1100, 550), &dir).unwrap();
        assert_eq!(made, vec![320, 640, 1024]);
        for (width, height) in [(320, 160), (640, 320), (1024, 512)] {
            let file = std::fs::read(dir.join(format!("w{width}.webp"))).unwrap();
            assert_eq!(image::guess_format(&file).unwrap(), ImageFormat::WebP);
            let variant = image::load_from_memory(&file).unwrap();
            assert_eq!((variant.width(), variant.height()), (width, height));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
