//! Photos uploaded from the field (sign inspections, finished work): size-limited, and only
//! kept if they decode as JPEG, PNG or WebP within a pixel budget, so that a renamed
//! executable, a truncated file or a decompression bomb is refused before it is stored.

use std::io::Cursor;

/// Largest photo accepted, in bytes (a phone's full-size JPEG is 3–8 MB).
pub const MAX_BYTES: usize = 12 * 1024 * 1024;
/// Largest photo accepted, in pixels (a 48-megapixel phone camera fits).
pub const MAX_PIXELS: u64 = 50_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("照片为空")]
    Empty,
    #[error("照片过大：{0} 字节，上限 {MAX_BYTES} 字节（12 MB）")]
    TooLarge(usize),
    #[error("不是 JPEG、PNG 或 WebP 图片")]
    NotAnImage,
    #[error("照片像素过多：{0}×{1}，上限 5000 万像素")]
    TooManyPixels(u32, u32),
    #[error("图片已损坏，无法解码：{0}")]
    Corrupt(String),
}

/// Checks `bytes` and returns the photo's media type.
pub fn check(bytes: &[u8]) -> Result<&'static str, PhotoError> {
    use image::{ImageFormat, ImageReader, Limits};
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge(bytes.len()));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::NotAnImage)?;
    let media = match reader.format() {
        Some(ImageFormat::Jpeg) => "image/jpeg",
        Some(ImageFormat::Png) => "image/png",
        Some(ImageFormat::WebP) => "image/webp",
        _ => return Err(PhotoError::NotAnImage),
    };
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels(w, h));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::NotAnImage)?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + (16 << 20));
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    Ok(media)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 80, 160]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn real_images_pass_and_impostors_do_not() {
        assert_eq!(check(&png(40, 30)), Ok("image/png"));
        assert_eq!(check(b""), Err(PhotoError::Empty));
        assert_eq!(
            check(b"MZ\x90\x00 not a photo"),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(
            check(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(PhotoError::NotAnImage)
        );
        let mut cut = png(40, 30);
        cut.truncate(cut.len() / 2);
        assert!(matches!(check(&cut), Err(PhotoError::Corrupt(_))));
        assert_eq!(
            check(&vec![0u8; MAX_BYTES + 1]),
            Err(PhotoError::TooLarge(MAX_BYTES + 1))
        );
    }

    #[test]
    fn a_decompression_bomb_is_refused_by_its_header() {
        // A PNG whose header claims 20000 × 20000 pixels.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        assert!(matches!(
            check(&bomb),
            Err(PhotoError::TooManyPixels(20_000, 20_000) | PhotoError::Corrupt(_))
        ));
    }
}
