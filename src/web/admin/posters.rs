//! The promotion kit's posters (issue 16): for any process and for the
//! platform itself, an A4 poster and an A5 flyer as print-ready PDF, in
//! the commune's colour, with a large QR code to the process's short
//! address (`/p/velo`), or to its full address when it has none.
//!
//! The commune's logo (`commune.logo`) is printed in the top band when it
//! is a PNG, JPEG or WebP image; an SVG logo is not (a PDF cannot show
//! one without a converter Parvis does not carry), which the short
//! addresses' page tells staff, with the fix: give a PNG.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::header;
use poem::web::{Data, Path};
use poem::Response;

use crate::app::AppState;
use crate::domain::promotion::{self, Described, Target};
use crate::i18n::{Arg, Lang};
use crate::pdf::{self, Colour, Document, Page, Picture, Weight};
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::proposals::{date, date_time};
use crate::web::short_links::short_url;

/// The two formats: a poster for a notice board, a flyer to hand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    A4,
    A5,
}

impl Format {
    fn from_file(file: &str) -> Option<Format> {
        match file {
            "a4.pdf" => Some(Format::A4),
            "a5.pdf" => Some(Format::A5),
            _ => None,
        }
    }

    fn size(self) -> (f32, f32) {
        match self {
            Format::A4 => pdf::A4,
            Format::A5 => pdf::A5,
        }
    }
}

/// The address of `target`'s poster in `format` (`a4.pdf`, `a5.pdf`).
pub fn href(target: Target, file: &str) -> String {
    let (kind, id) = target.key();
    format!("/admin/affiches/{kind}/{id}/{file}")
}

/// The two download links and the bulletin block's page, for a process's
/// staff page and the list of short addresses.
pub fn links(chrome: &Chrome, target: Target) -> Markup {
    html! {
        a href=(href(target, "a4.pdf")) download { (chrome.t("poster-a4")) }
        " · "
        a href=(href(target, "a5.pdf")) download { (chrome.t("poster-a5")) }
        " · "
        a href=(crate::web::admin::bulletin::href(target)) { (chrome.t("bulletin-link")) }
    }
}

/// Whether the commune's logo is one a poster cannot print (an SVG).
pub fn logo_not_printed(state: &AppState) -> bool {
    state.logo.as_ref().is_some_and(|l| l.mime == "image/svg+xml")
}

/// The promotion line of a process's staff page: its poster, its flyer,
/// and its short address to choose or change.
pub fn staff_links(chrome: &Chrome, target: Target) -> Markup {
    let (kind, id) = target.key();
    html! {
        p.promotion-links {
            (chrome.t("poster-staff-label")) " "
            (links(chrome, target))
            " · "
            a href={ "/admin/liens-courts?kind=" (kind) "&id=" (id) } { (chrome.t("poster-staff-short-link")) }
        }
    }
}

/// What a poster prints.
#[derive(Clone, Debug, PartialEq)]
pub struct Poster {
    pub commune: String,
    pub colour: Colour,
    pub title: String,
    pub sentence: String,
    /// "Du 01/03/2027 au 30/04/2027", or empty.
    pub dates: String,
    /// "Scannez le code ou tapez l'adresse :"
    pub call: String,
    /// Where the QR code and the printed address lead.
    pub url: String,
    /// The commune's logo, when it is a bitmap.
    pub logo: Option<Picture>,
}

/// The commune's logo as a poster prints it: `None` without one, or for
/// an SVG logo. 600 pixels: sharp at 300 dpi on the band's 26 mm.
pub fn printed_logo(state: &AppState) -> Option<Picture> {
    let logo = state.logo.as_ref()?;
    Picture::from_rgb(&crate::share_image::logo(&logo.bytes, 600)?)
}

/// The poster of `target` in `lang`; `None` for a process that does not exist.
pub fn poster_of(state: &AppState, lang: Lang, target: Target) -> Result<Option<Poster>, AppError> {
    let tx = state.store.read()?;
    let commune = state.config.commune.name.clone();
    let described = match target {
        Target::Platform => Described {
            title: lang.ta("poster-platform-title", &[("commune", Arg::from(commune.as_str()))]),
            sentence: lang.t("poster-platform-sentence"),
            from: None,
            until: None,
        },
        _ => match promotion::describe(&*tx, target)? {
            Some(d) => d,
            None => return Ok(None),
        },
    };
    let dates = match (target, described.from, described.until) {
        (Target::Meeting(_), Some(at), _) => lang.ta("poster-dates-at", &[("when", Arg::from(date_time(at)))]),
        (_, Some(from), Some(until)) => {
            lang.ta("poster-dates-range", &[("from", Arg::from(date(from))), ("until", Arg::from(date(until)))])
        }
        _ => String::new(),
    };
    let url = match promotion::name_of(&*tx, target)? {
        Some(name) => short_url(state, &name),
        None => format!("{}{}", state.config.server.public_url.as_str().trim_end_matches('/'), target.path()),
    };
    Ok(Some(Poster {
        commune,
        colour: Colour::from_hex(&state.config.commune.colour).unwrap_or(Colour(0x1d, 0x4f, 0x91)),
        title: described.title,
        sentence: described.sentence,
        dates,
        call: lang.t("poster-call"),
        url,
        logo: printed_logo(state),
    }))
}

/// The lines of `text` wrapped to `max` mm, at most `keep`, the last one
/// ending in "…" when some were left out.
fn lines(text: &str, max: f32, size: f32, weight: Weight, keep: usize) -> Vec<String> {
    let mut all = pdf::wrap(text, max, size, weight);
    all.retain(|l| !l.is_empty());
    if all.len() > keep {
        all.truncate(keep);
        if let Some(last) = all.last_mut() {
            last.push_str(" …");
        }
    }
    all
}

/// The PDF of `poster` in `format`. Laid out on A4 in millimetres and
/// scaled for A5, so both print the same picture.
pub fn render(poster: &Poster, format: Format) -> Vec<u8> {
    let (w, h) = format.size();
    let s = w / pdf::A4.0;
    let mut page = Page::new((w, h));
    let margin = 18.0 * s;
    let text_width = w - 2.0 * margin;
    // The band at the top: the commune's name, white on its colour
    // (the config checks that colour holds 4.5:1 against white).
    page.rect(0.0, 0.0, w, 34.0 * s, poster.colour);
    match &poster.logo {
        None => {
            page.ink(Colour::WHITE).centred(22.0 * s, 24.0 * s, Weight::Bold, &poster.commune);
        }
        Some(logo) => {
            // The logo on a white square at the left of the band (a logo
            // drawn for a white page stays readable), the name centred in
            // the room to its right.
            let (square, pad) = (28.0 * s, 2.0 * s);
            let (left, top) = (10.0 * s, 3.0 * s);
            page.rect(left, top, square, square, Colour::WHITE);
            let (pw, ph) = logo.size();
            let inside = square - 2.0 * pad;
            let (lw, lh) = if pw >= ph {
                (inside, inside * ph as f32 / pw.max(1) as f32)
            } else {
                (inside * pw as f32 / ph.max(1) as f32, inside)
            };
            page.picture(left + (square - lw) / 2.0, top + (square - lh) / 2.0, lw, lh, logo);
            let room_left = left + square + 6.0 * s;
            let room = w - room_left - 10.0 * s;
            let mut size = 24.0 * s;
            while pdf::width(&poster.commune, size, Weight::Bold) > room && size > 10.0 {
                size -= 1.0;
            }
            let x = room_left + ((room - pdf::width(&poster.commune, size, Weight::Bold)) / 2.0).max(0.0);
            page.ink(Colour::WHITE).text(x, 22.0 * s, size, Weight::Bold, &poster.commune);
        }
    }
    page.ink(poster.colour);
    let mut y = 60.0 * s;
    let title_size = 30.0 * s;
    for line in lines(&poster.title, text_width, title_size, Weight::Bold, 3) {
        page.centred(y, title_size, Weight::Bold, &line);
        y += title_size * 1.25 / (72.0 / 25.4);
    }
    page.ink(Colour::BLACK);
    y += 4.0 * s;
    let text_size = 15.0 * s;
    for line in lines(&poster.sentence, text_width, text_size, Weight::Regular, 3) {
        page.centred(y, text_size, Weight::Regular, &line);
        y += text_size * 1.35 / (72.0 / 25.4);
    }
    if !poster.dates.is_empty() {
        y += 4.0 * s;
        page.centred(y, 17.0 * s, Weight::Bold, &poster.dates);
    }
    // The QR code, as large as the room left allows, up to 140 mm on A4
    // with its quiet zone (99 mm on A5): read by a phone from a metre or
    // two. Below it: the call, the address, the bottom band (48 mm).
    let qr_top = y + 4.0 * s;
    let side = (h - 48.0 * s - qr_top).min(140.0 * s);
    page.qr_code((w - side) / 2.0, qr_top, side, &poster.url);
    let mut y = qr_top + side + 6.0 * s;
    page.centred(y, 14.0 * s, Weight::Regular, &poster.call);
    y += 10.0 * s;
    // Printed as typed: without the scheme, nor the home page's final slash.
    let address = poster.url.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
    let mut url_size = 22.0 * s;
    while pdf::width(address, url_size, Weight::Bold) > text_width && url_size > 8.0 {
        url_size -= 1.0;
    }
    page.ink(poster.colour).centred(y, url_size, Weight::Bold, address);
    page.rect(0.0, h - 12.0 * s, w, 12.0 * s, poster.colour);
    let mut doc = Document::new(&poster.title);
    doc.push(page);
    doc.to_bytes()
}

/// `GET /admin/affiches/:kind/:id/:file`: the poster (`a4.pdf`) or flyer
/// (`a5.pdf`) of a process (`platform/0` for the platform), in the staff
/// member's language.
#[poem::handler]
pub async fn download(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path((kind, id, file)): Path<(String, u64, String)>,
) -> Result<Response, AppError> {
    let target = Target::from_key(&kind, id).ok_or(AppError::NotFound)?;
    let format = Format::from_file(&file).ok_or(AppError::NotFound)?;
    let poster = poster_of(&state, chrome.lang, target)?.ok_or(AppError::NotFound)?;
    let name = format!("affiche-{kind}-{id}-{}", file);
    Ok(Response::builder()
        .content_type("application/pdf")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))
        .body(render(&poster, format)))
}
