//! The verification letters as one PDF, one letter a page, in each
//! resident's language, laid out for a French DL window envelope (window on
//! the right): an A4 sheet folded in three shows its address block through
//! a window about 110 mm from the sheet's left edge and 45–50 mm from its
//! top (La Poste's and AFNOR NF Z10-011's position).

use crate::app::AppState;
use crate::domain::accounts;
use crate::domain::verification::letters::shown;
use crate::domain::verification::Printed;
use crate::i18n::{Arg, Lang};
use crate::pdf::{Document, Page, Weight, A4};
use crate::web::errors::AppError;
use crate::web::proposals::date;

/// Where the address block starts: mm from the left, and the first line's
/// baseline in mm from the top (inside the window, with a margin above).
pub const ADDRESS_X: f32 = 110.0;
pub const ADDRESS_Y: f32 = 52.0;
/// Address lines 10 pt apart (about 4.2 mm, plus air): six lines fit the
/// window's 45 mm height with room for the envelope's play.
const ADDRESS_LEADING: f32 = 4.6;
/// The text's margins.
const LEFT: f32 = 20.0;
const WIDTH: f32 = 170.0;

/// One letter.
pub fn letter(lang: Lang, commune: &str, url: &str, printed: &Printed) -> Page {
    let mut page = Page::new(A4);
    page.text(LEFT, 20.0, 12.0, Weight::Bold, commune);
    page.text(LEFT, 26.0, 10.0, Weight::Regular, &lang.t("verification-letter-sender"));
    for (i, line) in printed.lines.iter().enumerate() {
        page.text(ADDRESS_X, ADDRESS_Y + i as f32 * ADDRESS_LEADING, 10.0, Weight::Regular, line);
    }
    page.text(LEFT, 105.0, 14.0, Weight::Bold, &lang.t("verification-letter-title"));
    let intro = lang.ta("verification-letter-intro", &[("commune", Arg::from(commune))]);
    let mut y = page.paragraph(LEFT, 118.0, WIDTH, 11.0, Weight::Regular, &intro);
    y += 4.0;
    page.text(LEFT, y, 11.0, Weight::Regular, &lang.t("verification-letter-step-page"));
    page.text(LEFT + 5.0, y + 7.0, 12.0, Weight::Bold, url);
    y += 18.0;
    page.text(LEFT, y, 11.0, Weight::Regular, &lang.t("verification-letter-step-code"));
    page.text(LEFT + 5.0, y + 12.0, 24.0, Weight::Bold, &shown(&printed.code));
    y += 28.0;
    let rules = lang.ta("verification-letter-rules", &[("date", Arg::from(date(printed.expires_at)))]);
    y = page.paragraph(LEFT, y, WIDTH, 11.0, Weight::Regular, &rules) + 4.0;
    page.paragraph(LEFT, y, WIDTH, 10.0, Weight::Regular, &lang.t("verification-letter-not-you"));
    page
}

/// Every printed letter, one a page.
pub fn document(state: &AppState, printed: &[Printed]) -> Result<Vec<u8>, AppError> {
    let commune = &state.config.commune.name;
    let url = format!("{}/compte/verification", state.config.server.public_url.as_str().trim_end_matches('/'));
    let tx = state.store.read()?;
    let mut doc = Document::new(&state.config.default_language.t("verification-letters-title"));
    for p in printed {
        let lang =
            accounts::get_without_address(&tx, p.account)?.map(|a| a.language).unwrap_or(state.config.default_language);
        doc.push(letter(lang, commune, &url, p));
    }
    Ok(doc.to_bytes())
}
