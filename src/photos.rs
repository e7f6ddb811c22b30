//! Photos residents attach: decoded with memory limits, turned upright from
//! their EXIF orientation, shrunk, and re-encoded as JPEG. The result carries
//! no metadata at all (no GPS position, no camera serial), and nothing a
//! resident uploads is ever served as it came. Files live in
//! `<data>/files/<sha256>.jpg`, named by their content.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use sha2::{Digest, Sha256};

/// The largest upload accepted, in bytes (phone photos are 2–8 MB).
pub const MAX_UPLOAD: usize = 15 * 1024 * 1024;
/// The longest side of a stored photo, in pixels.
const MAX_SIDE: u32 = 1600;
/// Decoding is refused beyond this many pixels (a "decompression bomb").
const MAX_PIXELS: u64 = 50_000_000;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is larger than 15 MB")]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image is too large to be processed")]
    TooManyPixels,
    /// Less than the configured free space would be left on the disk.
    #[error("the disk is almost full")]
    DiskFull,
    #[error("cannot save the photo: {0}")]
    Io(#[from] std::io::Error),
}

/// Decodes, turns upright, shrinks and re-encodes an upload. Callers hold a
/// turn of [`crate::ratelimit::HeavyWork`] while it runs (decoding may take
/// up to `max_alloc`), so that parallel uploads cannot add up without bound.
pub fn reencode(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if bytes.len() > MAX_UPLOAD {
        return Err(PhotoError::TooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PhotoError::NotAnImage)?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::NotAnImage)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::NotAnImage)?;
    img.apply_orientation(orientation);
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 82).encode_image(&rgb).map_err(|_| PhotoError::NotAnImage)?;
    Ok(out)
}

/// The directory of stored files.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("files")
}

/// Stores a re-encoded photo; returns its name (content hash). Refused when
/// it would leave less than `min_free` bytes on the disk (the database's own
/// margin, `data.min_free_mib`): photos must not eat the room the database
/// needs to go on taking writes.
pub fn save(data_dir: &Path, jpeg: &[u8], min_free: u64) -> Result<String, PhotoError> {
    save_as(data_dir, jpeg, "jpg", min_free)
}

/// [`save`] for a file of another kind, named `<hash>.<extension>` (a
/// consultation's PDF documents, checked by their caller).
pub fn save_as(data_dir: &Path, bytes: &[u8], extension: &str, min_free: u64) -> Result<String, PhotoError> {
    let name = format!("{}.{extension}", hex::encode(&Sha256::digest(bytes)[..16]));
    let dir = dir(data_dir);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(&name);
    if !path.exists() {
        let needed = min_free.saturating_add(bytes.len() as u64);
        if min_free > 0 && crate::store::db::free_bytes(&dir).is_some_and(|free| free < needed) {
            return Err(PhotoError::DiskFull);
        }
        let partial = dir.join(format!("{name}.partial"));
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(name)
}

/// Deletes forgotten uploads (after the write that forgot them has
/// committed); a file that cannot be deleted only costs disk space, so it is
/// logged, not returned: `parvis verify` does not need it.
pub fn remove_forgotten(data_dir: &Path, names: &[String]) {
    for name in names {
        if let Err(e) = remove(data_dir, name) {
            tracing::warn!(file = %name, error = %e, "cannot delete a forgotten upload");
        }
    }
}

/// Deletes a stored photo no proposal or upload names any more; one
/// already gone is not an error.
pub fn remove(data_dir: &Path, name: &str) -> Result<(), PhotoError> {
    if !valid_name(name) {
        return Ok(());
    }
    match std::fs::remove_file(dir(data_dir).join(name)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(PhotoError::Io(e)),
        _ => Ok(()),
    }
}

/// Whether `name` is the name of a stored photo (no path tricks).
pub fn valid_name(name: &str) -> bool {
    name.len() == 36 && name.ends_with(".jpg") && name[..32].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn photos_are_shrunk_and_become_jpeg_without_metadata() {
        let jpeg = reencode(&png(3000, 1000)).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "JPEG");
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (1600, 533));
        assert!(!jpeg.windows(4).any(|w| w == b"Exif"), "no EXIF block");
    }

    #[test]
    fn anything_else_is_refused() {
        assert!(matches!(reencode(b"<svg onload=alert(1)>"), Err(PhotoError::NotAnImage)));
        assert!(matches!(reencode(&vec![0u8; MAX_UPLOAD + 1]), Err(PhotoError::TooLarge)));
    }

    #[test]
    fn names_are_content_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let a = save(dir.path(), b"one", 0).unwrap();
        assert_eq!(a, save(dir.path(), b"one", 0).unwrap());
        assert!(valid_name(&a));
        assert!(!valid_name("../../etc/passwd"));
        remove(dir.path(), &a).unwrap();
        assert!(!super::dir(dir.path()).join(&a).exists());
        remove(dir.path(), &a).unwrap();
    }

    #[test]
    fn a_photo_is_not_written_when_the_disk_is_near_full() {
        let dir = tempfile::tempdir().unwrap();
        let free = crate::store::db::free_bytes(dir.path()).unwrap();
        assert!(matches!(save(dir.path(), b"two", free + 1), Err(PhotoError::DiskFull)));
        assert_eq!(std::fs::read_dir(super::dir(dir.path())).unwrap().count(), 0, "nothing written");
        assert!(save(dir.path(), b"two", 1).is_ok(), "room enough");
    }
}
