//! `/admin/bulletin/:kind/:id`: the promotion kit's block for the
//! municipal bulletin (issue 16), next to the posters: for a process (or
//! `platform/0`), a short text ready to paste (title, one sentence, the
//! dates, the short address), as plain text and as HTML, and its share
//! image to download. Always in French: the bulletin is the commune's.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path};

use crate::app::AppState;
use crate::domain::promotion::Target;
use crate::i18n::{Arg, Lang};
use crate::web::admin::posters::{poster_of, Poster};
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::components::{textarea, FormErrors};
use crate::web::errors::AppError;
use crate::web::layout::page;
use crate::web::share::image_path;

/// The address of `target`'s bulletin block.
pub fn href(target: Target) -> String {
    let (kind, id) = target.key();
    format!("/admin/bulletin/{kind}/{id}")
}

/// The call to take part, then the address as a reader types it.
fn call(lang: Lang, poster: &Poster) -> String {
    lang.ta("bulletin-call", &[("url", Arg::from(shown(&poster.url)))])
}

/// An address as printed: without its scheme nor the home page's final slash.
fn shown(url: &str) -> &str {
    url.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/')
}

/// The block as plain text: one paragraph a line, a blank line after the title.
pub fn plain(lang: Lang, poster: &Poster) -> String {
    let mut out = format!("{}\n\n", poster.title);
    for line in [&poster.sentence, &poster.dates, &call(lang, poster)] {
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The block as HTML, for a bulletin made with a web tool.
pub fn rich(lang: Lang, poster: &Poster) -> Markup {
    html! {
        h2 { (poster.title) }
        @if !poster.sentence.is_empty() { p { (poster.sentence) } }
        @if !poster.dates.is_empty() { p { strong { (poster.dates) } } }
        p { (lang.t("bulletin-call-before")) " " a href=(poster.url) { (shown(&poster.url)) } }
    }
}

/// `GET /admin/bulletin/:kind/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path((kind, id)): Path<(String, u64)>,
) -> Result<Markup, AppError> {
    let target = Target::from_key(&kind, id).ok_or(AppError::NotFound)?;
    let poster = poster_of(&state, Lang::Fr, target)?.ok_or(AppError::NotFound)?;
    let html_block = rich(Lang::Fr, &poster);
    let image = image_path(target);
    let title = chrome.lang.ta("bulletin-title", &[("title", Arg::from(poster.title.as_str()))]);
    let no_errors = FormErrors::default();
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href="/admin/liens-courts" { (chrome.t("short-link-title")) } }
            h1 { (title) }
            p.lead { (chrome.t("bulletin-lead")) }
            h2 { (chrome.t("bulletin-text-title")) }
            (textarea(&chrome, &no_errors, "bulletin-text", "bulletin-text-label", &plain(Lang::Fr, &poster), 8))
            h2 { (chrome.t("bulletin-html-title")) }
            (textarea(&chrome, &no_errors, "bulletin-html", "bulletin-html-label", &html_block.0, 8))
            h3 { (chrome.t("bulletin-preview")) }
            div.bulletin-preview { (html_block) }
            h2 { (chrome.t("bulletin-image-title")) }
            p { (chrome.t("bulletin-image-text")) }
            p { img.share-preview src=(image) width="600" height="315" alt=(chrome.lang.ta("bulletin-image-alt", &[("title", Arg::from(poster.title.as_str()))])); }
            p {
                a href=(image) download={ "partage-" (kind) "-" (id) ".png" } { (chrome.t("bulletin-image-download")) }
                " · "
                (crate::web::admin::posters::links(&chrome, target))
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::Colour;

    fn poster(dates: &str) -> Poster {
        Poster {
            commune: "Testville".into(),
            colour: Colour(0, 0, 0),
            title: "Le vélo en ville".into(),
            sentence: "Proposez vos idées.".into(),
            dates: dates.into(),
            call: String::new(),
            url: "https://participer.testville.fr/p/velo".into(),
            logo: None,
        }
    }

    #[test]
    fn the_block_has_the_title_the_sentence_the_dates_and_the_address() {
        let text = plain(Lang::Fr, &poster("Du 01/03/2027 au 30/04/2027"));
        assert!(text.starts_with("Le vélo en ville\n\nProposez vos idées.\nDu 01/03/2027 au 30/04/2027\n"), "{text}");
        assert!(text.trim_end().ends_with("participer.testville.fr/p/velo"), "{text}");
        assert!(!plain(Lang::Fr, &poster("")).contains("\n\n\n"));
        let html = rich(Lang::Fr, &poster("")).0;
        assert!(html.contains("<h2>Le vélo en ville</h2>") && !html.contains("<strong>"), "{html}");
        assert!(html.contains("<a href=\"https://participer.testville.fr/p/velo\">participer.testville.fr/p/velo</a>"));
    }
}
