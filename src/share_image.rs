//! The share image (issue 16): the 1200 × 630 picture a social network or
//! a messaging app shows beside a shared link (`og:image`), in the
//! commune's colour, with its name, its logo when it is a bitmap, the
//! process's title and the site's address. It holds nothing personal:
//! only what the public page shows in its title.
//!
//! The text is drawn with the Liberation Sans Bold font embedded in the
//! binary (SIL Open Font License, `assets/fonts/`), its glyphs rasterised
//! by `ab_glyph`; accented letters are its own precomposed glyphs, so
//! French text is written as typed. The commune's logo is also what the
//! posters print ([`logo`]): decoded with a memory limit, flattened on
//! white, scaled down, so a logo's hidden metadata never travels on.

use std::io::Cursor;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use image::imageops::FilterType;
use image::{ImageEncoder, ImageFormat, ImageReader, Limits, Rgb, RgbImage};
use unicode_normalization::UnicodeNormalization;

use crate::pdf::Colour;

/// The size the networks ask for (Open Graph's and X's large card).
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Liberation Sans Bold, version 2 (Debian's `fonts-liberation2`).
const FONT: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

/// The left and right margin, in pixels.
const MARGIN: f32 = 80.0;
/// The white band at the bottom, where the site's address stands.
pub const BAND: u32 = 96;

/// What a share image shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Card<'a> {
    pub commune: &'a str,
    pub colour: Colour,
    /// The process's or page's title.
    pub title: &'a str,
    /// The site's address as typed, without its scheme (`participer.ville.fr`).
    pub host: &'a str,
    /// The commune's logo, already read by [`logo`].
    pub logo: Option<&'a RgbImage>,
}

#[derive(Debug, thiserror::Error)]
pub enum ShareImageError {
    #[error("the embedded font cannot be read")]
    Font,
    #[error("the PNG cannot be written: {0}")]
    Encode(String),
}

/// The commune's logo as a bitmap no larger than `max_side` pixels, on
/// white; `None` for an SVG (which needs a renderer Parvis does not carry),
/// or a file that is not a PNG, JPEG or WebP image.
pub fn logo(bytes: &[u8], max_side: u32) -> Option<RgbImage> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP)) {
        return None;
    }
    // A logo is at most 2 MiB on disk (checked at start-up); its pixels
    // are bounded too, against a small file of huge dimensions.
    let mut limits = Limits::default();
    limits.max_alloc = Some(64 * 1024 * 1024);
    limits.max_image_width = Some(8000);
    limits.max_image_height = Some(8000);
    reader.limits(limits);
    let decoded = reader.decode().ok()?;
    let scaled = if decoded.width() > max_side || decoded.height() > max_side {
        decoded.resize(max_side, max_side, FilterType::Triangle)
    } else {
        decoded
    };
    let rgba = scaled.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = u16::from(p.0[3]);
        let on_white = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        out.put_pixel(x, y, Rgb([on_white(p.0[0]), on_white(p.0[1]), on_white(p.0[2])]));
    }
    Some(out)
}

/// The width of `text` in pixels at `size`, with the font's kerning.
fn measure(font: &FontRef, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous: Option<GlyphId> = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Draws `text` on one line, its baseline at `y`, from `x`, in `ink`.
fn draw(img: &mut RgbImage, font: &FontRef, size: f32, x: f32, y: f32, ink: Colour, text: &str) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut caret = x;
    let mut previous: Option<GlyphId> = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(size, point(caret, y));
        caret += scaled.h_advance(id);
        previous = Some(id);
        let Some(outlined) = font.outline_glyph(glyph) else { continue };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let (px, py) = (bounds.min.x as i64 + i64::from(gx), bounds.min.y as i64 + i64::from(gy));
            if px < 0 || py < 0 || px >= i64::from(img.width()) || py >= i64::from(img.height()) {
                return;
            }
            let pixel = img.get_pixel_mut(px as u32, py as u32);
            let cov = coverage.clamp(0.0, 1.0);
            let mix = |under: u8, over: u8| (f32::from(under) * (1.0 - cov) + f32::from(over) * cov).round() as u8;
            *pixel = Rgb([mix(pixel.0[0], ink.0), mix(pixel.0[1], ink.1), mix(pixel.0[2], ink.2)]);
        });
    }
}

/// `text` in lines no wider than `max` pixels at `size` (a word longer
/// than a line stands alone).
fn wrap(font: &FontRef, size: f32, max: f32, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && measure(font, size, &candidate) > max {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The title's lines and size: as large as it fits in three lines, down
/// to a size that takes four; a longer title is cut with "…".
fn title_lines(font: &FontRef, max: f32, title: &str) -> (f32, Vec<String>) {
    for (size, keep) in [(76.0, 3), (64.0, 3), (56.0, 4)] {
        let lines = wrap(font, size, max, title);
        if lines.len() <= keep && lines.iter().all(|l| measure(font, size, l) <= max) {
            return (size, lines);
        }
    }
    let size = 56.0;
    let mut lines = wrap(font, size, max, title);
    lines.truncate(4);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && measure(font, size, &format!("{last} …")) > max {
            last.pop();
        }
        last.push_str(" …");
    }
    (size, lines)
}

/// A line shortened with "…" until it fits `max` pixels.
fn fit(font: &FontRef, size: f32, max: f32, text: &str) -> String {
    if measure(font, size, text) <= max {
        return text.to_string();
    }
    let mut out: String = text.to_string();
    while !out.is_empty() && measure(font, size, &format!("{out}…")) > max {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// The PNG of `card`.
pub fn render(card: &Card) -> Result<Vec<u8>, ShareImageError> {
    let font = FontRef::try_from_slice(FONT).map_err(|_| ShareImageError::Font)?;
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([card.colour.0, card.colour.1, card.colour.2]));
    let width = WIDTH as f32 - 2.0 * MARGIN;

    // Top: the logo on a white square, then the commune's name.
    let mut name_x = MARGIN;
    if let Some(logo) = card.logo {
        const SQUARE: u32 = 120;
        const INSIDE: u32 = 104;
        let (left, top) = (MARGIN as u32, 56);
        for y in top..top + SQUARE {
            for x in left..left + SQUARE {
                img.put_pixel(x, y, Rgb([255, 255, 255]));
            }
        }
        let logo = if logo.width() > INSIDE || logo.height() > INSIDE {
            // Fitted in the square, its proportions kept.
            let (w, h) = (logo.width().max(1), logo.height().max(1));
            let (fw, fh) = if w >= h { (INSIDE, (INSIDE * h / w).max(1)) } else { ((INSIDE * w / h).max(1), INSIDE) };
            std::borrow::Cow::Owned(image::imageops::resize(logo, fw, fh, FilterType::Triangle))
        } else {
            std::borrow::Cow::Borrowed(logo)
        };
        let (dx, dy) = (left + (SQUARE - logo.width()) / 2, top + (SQUARE - logo.height()) / 2);
        image::imageops::replace(&mut img, logo.as_ref(), i64::from(dx), i64::from(dy));
        name_x += SQUARE as f32 + 28.0;
    }
    let commune = card.commune.nfc().collect::<String>();
    let name_size = 44.0;
    let commune = fit(&font, name_size, WIDTH as f32 - MARGIN - name_x, &commune);
    let name_baseline = if card.logo.is_some() { 132.0 } else { 112.0 };
    draw(&mut img, &font, name_size, name_x, name_baseline, Colour::WHITE, &commune);

    // Middle: the title, centred in the room between the name and the band.
    let title = card.title.nfc().collect::<String>();
    let (size, lines) = title_lines(&font, width, &title);
    let leading = size * 1.18;
    let (room_top, room_bottom) = (200.0, (HEIGHT - BAND) as f32 - 36.0);
    let block = leading * lines.len() as f32;
    let scaled = font.as_scaled(PxScale::from(size));
    let mut baseline = room_top + ((room_bottom - room_top - block) / 2.0).max(0.0) + scaled.ascent();
    for line in &lines {
        draw(&mut img, &font, size, MARGIN, baseline, Colour::WHITE, line);
        baseline += leading;
    }

    // Bottom: a white band with the site's address in the colour.
    for y in HEIGHT - BAND..HEIGHT {
        for x in 0..WIDTH {
            img.put_pixel(x, y, Rgb([255, 255, 255]));
        }
    }
    let host_size = 36.0;
    let host = fit(&font, host_size, width, card.host);
    draw(&mut img, &font, host_size, MARGIN, (HEIGHT - BAND / 2) as f32 + 13.0, card.colour, &host);

    let mut out = Vec::with_capacity(64 * 1024);
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
        .map_err(|e| ShareImageError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card<'a>(title: &'a str, logo: Option<&'a RgbImage>) -> Card<'a> {
        Card { commune: "Testville", colour: Colour(0x1d, 0x4f, 0x91), title, host: "participer.testville.fr", logo }
    }

    fn decode(png: &[u8]) -> RgbImage {
        image::load_from_memory_with_format(png, ImageFormat::Png).unwrap().to_rgb8()
    }

    #[test]
    fn a_card_is_1200_by_630_in_the_colour_with_a_white_band() {
        let png = render(&card("Le vélo en ville : où mettre les arceaux ?", None)).unwrap();
        let img = decode(&png);
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        assert_eq!(img.get_pixel(10, 10), &Rgb([0x1d, 0x4f, 0x91]));
        assert_eq!(img.get_pixel(1190, 400), &Rgb([0x1d, 0x4f, 0x91]));
        assert_eq!(img.get_pixel(1190, 620), &Rgb([255, 255, 255]));
        // The title is written: white pixels in its room.
        let white = (200..500)
            .flat_map(|y| (80..1120).map(move |x| (x, y)))
            .filter(|(x, y)| img.get_pixel(*x, *y).0 == [255, 255, 255])
            .count();
        assert!(white > 2000, "{white}");
    }

    #[test]
    fn titles_differ_and_accents_are_drawn() {
        let a = render(&card("Budget participatif 2027", None)).unwrap();
        let b = render(&card("Réaménagement de la place de l'Église", None)).unwrap();
        assert_ne!(a, b);
        // "E" and "É" differ: the accent is a glyph of its own.
        assert_ne!(render(&card("E", None)).unwrap(), render(&card("É", None)).unwrap());
        // NFD input (e + combining accent) is drawn like NFC.
        assert_eq!(render(&card("É", None)).unwrap(), render(&card("E\u{301}", None)).unwrap());
    }

    #[test]
    fn a_long_title_is_cut_within_four_lines() {
        let font = FontRef::try_from_slice(FONT).unwrap();
        let long = "Une très longue consultation sur l'avenir des mobilités douces ".repeat(6);
        let (size, lines) = title_lines(&font, 1040.0, &long);
        assert!(lines.len() <= 4 && lines.last().unwrap().ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| measure(&font, size, l) <= 1040.0));
        let (size, short) = title_lines(&font, 1040.0, "Le vélo");
        assert_eq!((size, short), (76.0, vec!["Le vélo".to_string()]));
    }

    #[test]
    fn a_bitmap_logo_is_drawn_on_white_and_an_svg_is_not_read() {
        let mut red = RgbImage::from_pixel(300, 150, Rgb([200, 0, 0]));
        red.put_pixel(0, 0, Rgb([0, 0, 0]));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(red.as_raw(), 300, 150, image::ExtendedColorType::Rgb8)
            .unwrap();
        let logo = logo(&png, 400).unwrap();
        assert_eq!(logo.dimensions(), (300, 150));
        let img = decode(&render(&card("Titre", Some(&logo))).unwrap());
        // The square's white, and the logo's red in its middle.
        assert_eq!(img.get_pixel(82, 58), &Rgb([255, 255, 255]));
        assert_eq!(img.get_pixel(140, 116), &Rgb([200, 0, 0]));
        assert!(super::logo(b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", 400).is_none());
        assert!(super::logo(&png, 100).unwrap().width() <= 100);
    }
}
