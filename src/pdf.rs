//! Printable documents (PDF): pages of text placed in millimetres from the
//! top-left corner, as a letter or a poster is laid out. Used for the
//! residents' verification letters and the promotion kit's posters
//! (issue 16), which add bands of colour and a QR code drawn as squares.
//!
//! Written with `pdf-writer` (the typst project's low-level writer, four
//! small pure-Rust dependencies). The text uses the standard Helvetica
//! fonts that every PDF reader and printer has, in the Windows-1252
//! ("WinAnsi") encoding, which holds all of French (accents, œ, «», €):
//! nothing is embedded, so a letter weighs about a kilobyte a page. A
//! character outside it is printed without its accent, or as `?`.
//! A picture (the commune's logo on a poster) is embedded as a JPEG image
//! XObject, re-encoded from decoded pixels ([`Picture::from_rgb`]).

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use unicode_normalization::UnicodeNormalization;

/// Points per millimetre (a point is 1/72 inch).
const PT_PER_MM: f32 = 72.0 / 25.4;

/// A4 portrait, in millimetres.
pub const A4: (f32, f32) = (210.0, 297.0);
/// A5 portrait (a flyer: half an A4), in millimetres.
pub const A5: (f32, f32) = (148.0, 210.0);

/// The weight of a line of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    fn font(self) -> Name<'static> {
        match self {
            Weight::Regular => Name(b"F1"),
            Weight::Bold => Name(b"F2"),
        }
    }
}

/// A colour, red, green and blue from 0 to 255.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    pub const BLACK: Colour = Colour(0, 0, 0);
    pub const WHITE: Colour = Colour(255, 255, 255);

    /// `#rrggbb` (the config's colours), `None` otherwise.
    pub fn from_hex(hex: &str) -> Option<Colour> {
        let hex = hex.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Colour(byte(0)?, byte(2)?, byte(4)?))
    }

    fn parts(self) -> (f32, f32, f32) {
        (f32::from(self.0) / 255.0, f32::from(self.1) / 255.0, f32::from(self.2) / 255.0)
    }
}

/// A run of text on one line, its baseline `y` millimetres from the top.
#[derive(Clone, Debug, PartialEq)]
struct Text {
    x: f32,
    y: f32,
    size: f32,
    weight: Weight,
    text: String,
    colour: Colour,
}

/// A filled rectangle, its top-left corner `x`, `y` mm from the page's.
#[derive(Clone, Debug, PartialEq)]
struct Block {
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    colour: Colour,
}

/// A bitmap to print: baseline JPEG bytes of RGB pixels, and its size in
/// pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    jpeg: Vec<u8>,
    width: u32,
    height: u32,
}

impl Picture {
    /// `img` as a JPEG (quality 92: a logo's flat colours stay clean);
    /// `None` if it cannot be encoded (an empty image).
    pub fn from_rgb(img: &image::RgbImage) -> Option<Picture> {
        use image::ImageEncoder;
        if img.width() == 0 || img.height() == 0 {
            return None;
        }
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
            .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8)
            .ok()?;
        Some(Picture { jpeg, width: img.width(), height: img.height() })
    }

    /// Its size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
}

/// A picture placed on the page, its top-left corner `x`, `y` mm from the page's.
#[derive(Clone, Debug, PartialEq)]
struct Placed {
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    picture: Picture,
}

/// One page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    width: f32,
    height: f32,
    /// Drawn first, under the text.
    blocks: Vec<Block>,
    /// Drawn over the blocks, under the text.
    pictures: Vec<Placed>,
    texts: Vec<Text>,
    /// The colour of the text added next.
    ink: Colour,
}

impl Page {
    /// A blank page of `width` × `height` millimetres.
    pub fn new((width, height): (f32, f32)) -> Page {
        Page { width, height, blocks: Vec::new(), pictures: Vec::new(), texts: Vec::new(), ink: Colour::BLACK }
    }

    /// The page's size in millimetres.
    pub fn size(&self) -> (f32, f32) {
        (self.width, self.height)
    }

    /// The colour of the text added from now on (black at first).
    pub fn ink(&mut self, colour: Colour) -> &mut Page {
        self.ink = colour;
        self
    }

    /// A filled rectangle whose top-left corner is `x`, `y` mm from the
    /// page's: a band of colour, or a QR code's module.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, colour: Colour) -> &mut Page {
        self.blocks.push(Block { x, y, width, height, colour });
        self
    }

    /// `picture` stretched to `width` × `height` mm, its top-left corner
    /// `x`, `y` mm from the page's (keep its proportions: see [`Picture::size`]).
    pub fn picture(&mut self, x: f32, y: f32, width: f32, height: f32, picture: &Picture) -> &mut Page {
        self.pictures.push(Placed { x, y, width, height, picture: picture.clone() });
        self
    }

    /// One line of text whose baseline is `y` mm from the top, starting `x`
    /// mm from the left, in `size` points.
    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, text: &str) -> &mut Page {
        self.texts.push(Text { x, y, size, weight, text: text.to_string(), colour: self.ink });
        self
    }

    /// A QR code of `text`, `side` mm wide with its quiet zone (four
    /// modules, left white), its top-left corner at `x`, `y`: black
    /// squares drawn as vectors, sharp at any print size. Each run of dark
    /// modules in a row is one rectangle, which keeps the file small.
    /// Returns `false`, drawing nothing, for a text too long for a QR code.
    pub fn qr_code(&mut self, x: f32, y: f32, side: f32, text: &str) -> bool {
        // Medium correction (15 %): enough for a poster a little scuffed,
        // and fewer modules than Quartile, so larger ones for a phone far off.
        let Ok(qr) = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium) else {
            return false;
        };
        const QUIET: i32 = 4;
        let n = qr.size();
        let module = side / (n + 2 * QUIET) as f32;
        let (left, top) = (x + QUIET as f32 * module, y + QUIET as f32 * module);
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if !qr.get_module(col, row) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && qr.get_module(col, row) {
                    col += 1;
                }
                let (cx, cy) = (left + start as f32 * module, top + row as f32 * module);
                self.rect(cx, cy, (col - start) as f32 * module, module, Colour::BLACK);
            }
        }
        true
    }

    /// One line of text centred on the page's width (a poster's title).
    pub fn centred(&mut self, y: f32, size: f32, weight: Weight, text: &str) -> &mut Page {
        let x = ((self.width - width(text, size, weight)) / 2.0).max(0.0);
        self.text(x, y, size, weight, text)
    }

    /// `text` wrapped at word boundaries to `width` mm, lines 1.3 × `size`
    /// apart, the first baseline at `y`; returns the baseline after the
    /// last line.
    pub fn paragraph(&mut self, x: f32, y: f32, width: f32, size: f32, weight: Weight, text: &str) -> f32 {
        let leading = size * 1.3 / PT_PER_MM;
        let mut y = y;
        for line in wrap(text, width, size, weight) {
            self.text(x, y, size, weight, &line);
            y += leading;
        }
        y
    }
}

/// A document: pages and a title.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    title: String,
    pages: Vec<Page>,
}

impl Document {
    pub fn new(title: &str) -> Document {
        Document { title: title.to_string(), pages: Vec::new() }
    }

    pub fn push(&mut self, page: Page) {
        self.pages.push(page);
    }

    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// The PDF file. A document without pages gets one blank A4 page: a
    /// PDF must have one.
    pub fn to_bytes(&self) -> Vec<u8> {
        let blank = [Page::new(A4)];
        let pages: &[Page] = if self.pages.is_empty() { &blank } else { &self.pages };
        let mut pdf = Pdf::new();
        let (catalog, tree, info, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
        let first = 6;
        let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(first + 2 * i as i32)).collect();
        // The pictures' objects, after every page's two.
        let mut next_picture = first + 2 * pages.len() as i32;
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
        pdf.document_info(info).title(TextStr(&self.title)).producer(TextStr("Parvis"));
        pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
        for (page, id) in pages.iter().zip(&page_ids) {
            let content_id = Ref::new(id.get() + 1);
            let (w, h) = (page.width * PT_PER_MM, page.height * PT_PER_MM);
            let mut p = pdf.page(*id);
            p.parent(tree).media_box(Rect::new(0.0, 0.0, w, h)).contents(content_id);
            let mut resources = p.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Weight::Regular.font(), regular);
            fonts.pair(Weight::Bold.font(), bold);
            fonts.finish();
            let picture_ids: Vec<Ref> = page
                .pictures
                .iter()
                .map(|_| {
                    next_picture += 1;
                    Ref::new(next_picture - 1)
                })
                .collect();
            if !picture_ids.is_empty() {
                let mut objects = resources.x_objects();
                for (i, id) in picture_ids.iter().enumerate() {
                    objects.pair(Name(format!("Im{i}").as_bytes()), *id);
                }
                objects.finish();
            }
            resources.finish();
            p.finish();
            let mut content = Content::new();
            for b in &page.blocks {
                let (r, g, bl) = b.colour.parts();
                content.set_fill_rgb(r, g, bl).rect(
                    b.x * PT_PER_MM,
                    h - (b.y + b.height) * PT_PER_MM,
                    b.width * PT_PER_MM,
                    b.height * PT_PER_MM,
                );
                content.fill_nonzero();
            }
            for (i, placed) in page.pictures.iter().enumerate() {
                content.save_state().transform([
                    placed.width * PT_PER_MM,
                    0.0,
                    0.0,
                    placed.height * PT_PER_MM,
                    placed.x * PT_PER_MM,
                    h - (placed.y + placed.height) * PT_PER_MM,
                ]);
                content.x_object(Name(format!("Im{i}").as_bytes())).restore_state();
            }
            for t in &page.texts {
                let (r, g, b) = t.colour.parts();
                content.set_fill_rgb(r, g, b);
                content
                    .begin_text()
                    .set_font(t.weight.font(), t.size)
                    .next_line(t.x * PT_PER_MM, h - t.y * PT_PER_MM)
                    .show(Str(&win_ansi(&t.text)))
                    .end_text();
            }
            // Letters are small: the content stays uncompressed, readable
            // by any tool.
            pdf.stream(content_id, &content.finish());
            for (placed, id) in page.pictures.iter().zip(picture_ids) {
                let picture = &placed.picture;
                let mut image = pdf.image_xobject(id, &picture.jpeg);
                image.filter(Filter::DctDecode);
                image.width(picture.width as i32).height(picture.height as i32);
                image.color_space().device_rgb();
                image.bits_per_component(8);
                image.finish();
            }
        }
        pdf.finish()
    }
}

/// `text` in Windows-1252: each character as is when it has a byte there,
/// else without its accent, else `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let byte = |c: char| {
            let mut one = [0u8; 4];
            let (bytes, _, errors) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut one));
            (!errors && bytes.len() == 1).then(|| bytes[0])
        };
        // Letters with a stroke have no decomposition: spelled by hand.
        let stroked = || match c {
            'Ł' => Some(b'L'),
            'ł' => Some(b'l'),
            'Đ' => Some(b'D'),
            'đ' => Some(b'd'),
            'ı' => Some(b'i'),
            _ => None,
        };
        let folded = || {
            c.encode_utf8(&mut buf).nfd().find(|c| !unicode_normalization::char::is_combining_mark(*c)).and_then(byte)
        };
        out.push(byte(c).or_else(folded).or_else(stroked).unwrap_or(b'?'));
    }
    out
}

/// Helvetica's widths (thousandths of the size) of the printable ASCII
/// characters, from its Adobe font metrics.
const WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 to 9
    278, 278, 584, 584, 584, 556, 1015, // : to @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
    667, 667, 611, // A to Z
    278, 278, 278, 469, 556, 333, // [ to `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, // a to z
    334, 260, 334, 584, // { to ~
];

/// Helvetica-Bold's widths, likewise. A poster's bold lines are centred
/// with them: bold taken as regular plus 10 % set them visibly off-centre.
const BOLD_WIDTHS: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 to 9
    333, 333, 584, 584, 584, 611, 975, // : to @
    722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
    667, 667, 611, // A to Z
    333, 278, 333, 584, 556, 333, // [ to `
    556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, // a to z
    389, 280, 389, 584, // { to ~
];

/// The width of `text` in millimetres at `size` points. Accented letters
/// count as their base letter.
pub fn width(text: &str, size: f32, weight: Weight) -> f32 {
    let table = match weight {
        Weight::Regular => &WIDTHS,
        Weight::Bold => &BOLD_WIDTHS,
    };
    let units: u32 = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c as u32 {
            n @ 32..=126 => u32::from(table[(n - 32) as usize]),
            _ => 556,
        })
        .sum();
    units as f32 / 1000.0 * size / PT_PER_MM
}

/// `text` in lines of at most `max` mm (a word longer than a line stands alone).
pub fn wrap(text: &str, max: f32, size: f32, weight: Weight) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if !line.is_empty() && width(&candidate, size, weight) > max {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_has_its_pages_and_its_text_in_win_ansi() {
        let mut doc = Document::new("Essai");
        for i in 0..3 {
            let mut page = Page::new(A4);
            page.text(20.0, 20.0, 12.0, Weight::Bold, &format!("Page {i} : « Œuvre » à l'été"));
            doc.push(page);
        }
        let bytes = doc.to_bytes();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count(), 3, "{text}");
        assert!(text.contains("/Count 3"), "{text}");
        assert!(text.contains("/BaseFont /Helvetica-Bold"));
        assert!(Document::new("vide").to_bytes().starts_with(b"%PDF-"));
    }

    #[test]
    fn french_text_keeps_its_accents_and_other_letters_lose_theirs() {
        assert_eq!(win_ansi("é à ç œ Œ « » €"), b"\xE9 \xE0 \xE7 \x9C \x8C \xAB \xBB \x80");
        assert_eq!(win_ansi("Łódź"), b"L\xF3dz", "Ł spelled by hand, ó kept, ź folded");
        assert_eq!(win_ansi("漢"), b"?");
    }

    #[test]
    fn centred_text_has_as_much_room_on_either_side() {
        let mut page = Page::new(A4);
        page.centred(50.0, 20.0, Weight::Bold, "Réunion publique");
        let t = &page.texts[0];
        let right = A4.0 - t.x - width("Réunion publique", 20.0, Weight::Bold);
        assert!((t.x - right).abs() < 0.01 && t.x > 0.0, "{} {right}", t.x);
    }

    #[test]
    fn a_qr_code_is_drawn_as_runs_of_black_squares_inside_its_square() {
        let mut page = Page::new(A5);
        assert!(page.qr_code(30.0, 40.0, 80.0, "https://participer.example.fr/p/velo"));
        assert!(!page.blocks.is_empty());
        for b in &page.blocks {
            assert_eq!(b.colour, Colour::BLACK);
            assert!(b.x >= 30.0 && b.y >= 40.0 && b.x + b.width <= 110.01 && b.y + b.height <= 120.01, "{b:?}");
        }
        let text = String::from_utf8_lossy(&{
            let mut doc = Document::new("QR");
            doc.push(page.clone());
            doc.to_bytes()
        })
        .into_owned();
        assert_eq!(text.matches(" re").count(), page.blocks.len());
        assert!(!Page::new(A5).qr_code(0.0, 0.0, 50.0, &"x".repeat(8000)), "too long for a QR code");
        assert_eq!(Colour::from_hex("#1d4e89"), Some(Colour(0x1d, 0x4e, 0x89)));
        assert_eq!(Colour::from_hex("1d4e89"), None);
    }

    #[test]
    fn a_picture_is_an_image_xobject_drawn_on_its_page() {
        let img = image::RgbImage::from_pixel(40, 20, image::Rgb([200, 0, 0]));
        let picture = Picture::from_rgb(&img).unwrap();
        assert_eq!(picture.size(), (40, 20));
        let mut page = Page::new(A5);
        page.picture(10.0, 10.0, 40.0, 20.0, &picture);
        let mut doc = Document::new("Logo");
        doc.push(page);
        let bytes = doc.to_bytes();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Subtype /Image") && text.contains("/DCTDecode"), "{text}");
        assert!(text.contains("/Im0 Do"), "drawn on the page");
        assert!(Picture::from_rgb(&image::RgbImage::new(0, 0)).is_none());
    }

    #[test]
    fn text_wraps_within_its_width() {
        let text = "Pour confirmer que vous habitez la commune, tapez ce code sur la page de votre compte.";
        let lines = wrap(text, 60.0, 11.0, Weight::Regular);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 11.0, Weight::Regular) <= 60.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }
}
