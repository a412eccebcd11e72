//! Image files on disk: what an upload really is (read from its bytes, never from its
//! name), and the WebP variants.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::ImageFormat;

/// Largest picture we decode (width × height), so a small file cannot expand into
/// gigabytes of memory.
const MAX_PIXELS: u64 = 40_000_000;

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
    let (width, height) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| "The image is damaged and cannot be read.".to_string())?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width == 0 || height == 0 {
        return Err(format!(
            "The image is {width}×{height} pixels; the most we accept is 40 megapixels."
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

/// Makes the WebP variants narrower than the original; returns their widths.
pub fn make_variants(original: &[u8], folder: &Path) -> Result<Vec<u32>, String> {
    let picture = image::load_from_memory(original)
        .map_err(|e| format!("The image could not be decoded: {e}"))?;
    let mut made = Vec::new();
    for width in super::VARIANT_WIDTHS {
        if width >= picture.width() {
            break;
        }
        let height =
            (u64::from(picture.height()) * u64::from(width) / u64::from(picture.width())).max(1);
        let resized = picture.resize(width, height as u32, image::imageops::FilterType::Triangle);
        let mut webp = Vec::new();
        resized
            .to_rgba8()
            .write_to(&mut Cursor::new(&mut webp), ImageFormat::WebP)
            .map_err(|e| format!("The {width}px version could not be made: {e}"))?;
        std::fs::write(folder.join(format!("w{width}.webp")), webp)
            .map_err(|e| format!("The {width}px version could not be written: {e}"))?;
        made.push(width);
    }
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

    #[test]
    fn variants_are_narrower_webp_files() {
        let dir = std::env::temp_dir().join(format!("bizosaas-variants-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let made = make_variants(&png(700, 350), &dir).unwrap();
        assert_eq!(made, vec![320, 640]);
        let small = std::fs::read(dir.join("w320.webp")).unwrap();
        assert_eq!(image::guess_format(&small).unwrap(), ImageFormat::WebP);
        assert_eq!(image::load_from_memory(&small).unwrap().width(), 320);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
