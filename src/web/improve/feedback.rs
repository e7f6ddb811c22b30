//! « Cette page vous a-t-elle été utile ? »: the form at the bottom of
//! every public page (a plain POST and a redirect back with a thank-you;
//! the script sends it in place), and the back-office page that reads the
//! answers, with its CSV.

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::{header, StatusCode};
use poem::web::{Data, Form};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::improve::feedback::{self, FeedbackError, MAX_REMARK};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::ratelimit::Quota;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, FormErrors};
use crate::web::csv::text_cell;
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::{page, page_with_errors};
use crate::web::proposals::date;

/// Where the form is sent.
pub const POST_PATH: &str = "/avis-page";
/// The back-office page and its CSV.
pub const ADMIN_PATH: &str = "/admin/pages-utiles";
pub const CSV_PATH: &str = "/admin/pages-utiles.csv";
/// Sent by the page's script, which shows the thank-you in place.
const INLINE_HEADER: &str = "x-parvis-inline";
/// The comments shown for each page on the back-office page.
const REMARKS_SHOWN: usize = 50;

/// What the form sends.
#[derive(Deserialize, Default, Clone)]
pub struct FeedbackForm {
    #[serde(default)]
    pub page: String,
    /// « oui » or « non »; empty when neither was chosen.
    #[serde(default)]
    pub utile: String,
    #[serde(default)]
    pub commentaire: String,
}

/// The form at the bottom of a page, or nothing when `chrome.path` is not
/// a public page (the back office, the account pages, an unknown path).
pub fn footer_form(chrome: &Chrome) -> Markup {
    match feedback::normalise(&chrome.path) {
        Some(path) => form(chrome, &FeedbackForm { page: path, ..FeedbackForm::default() }, &FormErrors::default()),
        None => html! {},
    }
}

/// The form itself: a fieldset of two radio buttons with its legend, an
/// optional comment, the button. Ids start with `page-feedback-`, which no
/// other page uses.
fn form(chrome: &Chrome, f: &FeedbackForm, errors: &FormErrors) -> Markup {
    let useful_error = errors.get("page-feedback-yes");
    let comment_error = errors.get("page-feedback-comment");
    let hint = chrome.lang.ta("page-feedback-comment-hint", &[("max", Arg::from(MAX_REMARK as u64))]);
    html! {
        section.page-feedback aria-labelledby="page-feedback-h" {
            form #page-feedback method="post" action=(POST_PATH) data-thanks=(chrome.t("page-feedback-thanks")) {
                (csrf_field(chrome))
                input type="hidden" name="page" value=(f.page);
                div class=(if useful_error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                    fieldset aria-describedby=[useful_error.map(|_| "page-feedback-yes-error")] {
                        legend { h2 #page-feedback-h { (chrome.t("page-feedback-question")) } }
                        @if let Some(e) = useful_error { p.error-message #page-feedback-yes-error { (e) } }
                        div.radios.radios-inline {
                            div.radio {
                                input type="radio" id="page-feedback-yes" name="utile" value="oui" checked[f.utile == "oui"];
                                label for="page-feedback-yes" { (chrome.t("page-feedback-yes")) }
                            }
                            div.radio {
                                input type="radio" id="page-feedback-no" name="utile" value="non" checked[f.utile == "non"];
                                label for="page-feedback-no" { (chrome.t("page-feedback-no")) }
                            }
                        }
                    }
                }
                div class=(if comment_error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                    label for="page-feedback-comment" { (chrome.t("page-feedback-comment")) }
                    p.hint #page-feedback-comment-hint { (hint) }
                    @if let Some(e) = comment_error { p.error-message #page-feedback-comment-error { (e) } }
                    textarea #page-feedback-comment name="commentaire" rows="2" maxlength=(MAX_REMARK)
                        aria-describedby=(if comment_error.is_some() { "page-feedback-comment-hint page-feedback-comment-error" } else { "page-feedback-comment-hint" }) {
                        (f.commentaire)
                    }
                }
                button.button.button-secondary type="submit" { (chrome.t("page-feedback-send")) }
            }
        }
    }
}

/// `POST /avis-page`: the answer counted, then back to the page with a
/// thank-you (the script's request gets a 204). Without a choice, or with a comment too long, the form comes
/// back on a page of its own with what was typed.
#[poem::handler]
pub async fn answer(
    req: &poem::Request,
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(f): Form<FeedbackForm>,
) -> Result<Response, AppError> {
    let Some(path) = feedback::normalise(&f.page) else { return Err(AppError::BadRequest("page")) };
    let mut errors = FormErrors::default();
    let useful = match f.utile.as_str() {
        "oui" => Some(true),
        "non" => Some(false),
        _ => {
            errors.add("page-feedback-yes", chrome.t("page-feedback-error-choose"));
            None
        }
    };
    if f.commentaire.trim().chars().count() > MAX_REMARK {
        let text = chrome.lang.ta("page-feedback-error-long", &[("max", Arg::from(MAX_REMARK as u64))]);
        errors.add("page-feedback-comment", text);
    }
    let Some(useful) = useful.filter(|_| errors.is_empty()) else {
        return Ok(refused(form_page(&chrome, &f, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    // Counted per address, after the form is found fine: a slip does not
    // use up an answer.
    if let Err(wait) = state.limiter.take(Quota::PageFeedback, &format!("ip:{ip}"), Instant::now()) {
        let text = chrome.t("page-feedback-too-many");
        return Ok(too_many(
            page(&chrome, &text, html! { h1 { (text) } p { a href=(path) { (chrome.t("page-feedback-back")) } } }),
            wait,
        ));
    }
    let comment = f.commentaire.clone();
    let page_path = path.clone();
    let counted = state
        .store
        .write(move |tx| match feedback::answer(tx, &page_path, useful, &comment, now_unix()) {
            Ok(p) => Ok(Ok(p)),
            Err(FeedbackError::Store(e)) => Err(AppError::from(e)),
            Err(e) => Ok(Err(e)),
        })
        .await?;
    match counted {
        // The page's script says thank you itself: no redirect, no flash
        // left for the next page.
        Ok(_) if req.headers().contains_key(INLINE_HEADER) => Ok(StatusCode::NO_CONTENT.into_response()),
        Ok(page) => Ok(redirect_with(&state, &page, Flash::success("page-feedback-thanks"))),
        Err(e) => Err(AppError::from(e)),
    }
}

/// The form again, alone, with its errors.
fn form_page(chrome: &Chrome, f: &FeedbackForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("page-feedback-question");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p { (chrome.t("page-feedback-about")) " " a href=(f.page) { (f.page) } }
            (form(chrome, f, errors))
        },
    )
}

/// `GET /admin/pages-utiles`: the pages by number of answers, with the
/// share of « oui », then each page's comments, newest first.
#[poem::handler]
pub async fn admin(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Markup, AppError> {
    let tx = state.store.read()?;
    let pages = feedback::totals(&*tx)?;
    let mut remarks = Vec::new();
    for p in pages.iter().filter(|p| p.remarks > 0) {
        remarks.push((p.path.clone(), feedback::remarks_of(&*tx, &p.path, REMARKS_SHOWN)?));
    }
    drop(tx);
    let title = chrome.t("page-feedback-admin-title");
    let lang = chrome.lang;
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href="/admin" { (chrome.t("admin-title")) } }
            h1 { (title) }
            p.lead { (chrome.t("page-feedback-admin-lead")) }
            p { a href=(CSV_PATH) download { (chrome.t("page-feedback-csv")) } }
            @if pages.is_empty() {
                p { (chrome.t("page-feedback-admin-none")) }
            } @else {
                table.data-table {
                    caption { (chrome.t("page-feedback-admin-caption")) }
                    thead { tr {
                        th scope="col" { (chrome.t("page-feedback-col-page")) }
                        th scope="col" { (chrome.t("page-feedback-col-answers")) }
                        th scope="col" { (chrome.t("page-feedback-col-yes")) }
                        th scope="col" { (chrome.t("page-feedback-col-no")) }
                        th scope="col" { (chrome.t("page-feedback-col-share")) }
                        th scope="col" { (chrome.t("page-feedback-col-comments")) }
                    } }
                    tbody {
                        @for p in &pages {
                            tr {
                                th scope="row" { a href=(p.path) { (p.path) } }
                                td { (p.answers()) }
                                td { (p.yes) }
                                td { (p.no) }
                                td { (p.yes_percent()) " %" }
                                td { (p.remarks) }
                            }
                        }
                    }
                }
            }
            @if !remarks.is_empty() {
                h2 { (chrome.t("page-feedback-admin-comments")) }
                @for (path, list) in &remarks {
                    section.panel {
                        h3 { (path) }
                        ul {
                            @for r in list {
                                li {
                                    strong { (chrome.t(if r.useful { "page-feedback-yes" } else { "page-feedback-no" })) }
                                    " · " (date(r.day * 86_400 + 43_200)) " — " (r.text)
                                }
                            }
                        }
                    }
                }
                p.hint { (lang.ta("page-feedback-admin-shown", &[("count", Arg::from(REMARKS_SHOWN as u64))])) }
            }
        },
    ))
}

/// `GET /admin/pages-utiles.csv`: one line per page (`;`, a BOM for Excel).
#[poem::handler]
pub async fn csv(chrome: Chrome, state: Data<&Arc<AppState>>, _staff: Staff) -> Result<Response, AppError> {
    let pages = feedback::totals(&*state.store.read()?)?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    let bad = |e: ::csv::Error| AppError::Internal(format!("CSV export: {e}"));
    {
        let mut w =
            ::csv::WriterBuilder::new().delimiter(b';').terminator(::csv::Terminator::CRLF).from_writer(&mut out);
        let head = [
            "page-feedback-col-page",
            "page-feedback-col-answers",
            "page-feedback-col-yes",
            "page-feedback-col-no",
            "page-feedback-col-share",
            "page-feedback-col-comments",
        ]
        .map(|k| text_cell(&chrome.t(k)));
        w.write_record(&head).map_err(bad)?;
        for p in &pages {
            let row = [
                text_cell(&p.path),
                p.answers().to_string(),
                p.yes.to_string(),
                p.no.to_string(),
                p.yes_percent().to_string(),
                p.remarks.to_string(),
            ];
            w.write_record(&row).map_err(bad)?;
        }
        w.flush().map_err(|e| AppError::Internal(format!("CSV export: {e}")))?;
    }
    Ok(Response::builder()
        .content_type("text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, "attachment; filename=\"pages-utiles.csv\"")
        .body(out))
}
