//! The quarterly satisfaction survey's web side: the banner offered to
//! residents who took part in the quarter (put away with a plain form, no
//! script needed), staff's one button that starts the quarter's survey, and
//! the scores on the dashboard. The rules are `domain::satisfaction`'s.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path};
use poem::Response;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::satisfaction::{self, quarter_label, SatisfactionError, SCORE_FROM};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, SignedIn, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::csrf_field;
use crate::web::errors::AppError;

/// Where staff start the quarter's survey.
pub const CREATE_PATH: &str = "/admin/tableau-de-bord/satisfaction";

/// The banner for the signed-in person, or nothing: not signed in, not
/// active in the quarter, already answered or put away, no survey open.
pub fn banner(chrome: &Chrome) -> Result<Markup, AppError> {
    let Some(viewer) = &chrome.viewer else { return Ok(html! {}) };
    let tx = chrome.state.store.read()?;
    let Some(offer) = satisfaction::offer(&tx, viewer.account.id, now_unix())? else { return Ok(html! {}) };
    let quarter = quarter_label(offer.quarter);
    Ok(html! {
        aside.panel.satisfaction-banner aria-labelledby="satisfaction-banner-h" {
            h2 #satisfaction-banner-h { (chrome.t("satisfaction-banner-title")) }
            p { (chrome.lang.ta("satisfaction-banner-text", &[("quarter", Arg::from(quarter))])) }
            p { a.button href={ "/consultations/" (offer.consultation) } { (chrome.t("satisfaction-banner-answer")) } }
            form method="post" action={ "/enquete-satisfaction/" (offer.quarter) "/masquer" } {
                (csrf_field(chrome))
                button.button-secondary type="submit" { (chrome.t("satisfaction-banner-dismiss")) }
            }
        }
    })
}

/// `POST /enquete-satisfaction/:quarter/masquer`: the banner is put away
/// for good (for that quarter), then back to the home page.
#[poem::handler]
pub async fn dismiss(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Path(quarter): Path<u32>,
) -> Result<Response, AppError> {
    let account = viewer.account.id;
    let done = state.store.write(move |tx| satisfaction::dismiss(tx, account, quarter, now_unix())).await;
    match done {
        Ok(()) => Ok(redirect_with(&state, "/", Flash::success("satisfaction-dismissed"))),
        Err(e) => Err(refusal(e)),
    }
}

/// `POST /admin/tableau-de-bord/satisfaction`: a draft of this quarter's
/// survey, then its staff page to review and publish it.
#[poem::handler]
pub async fn create(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let now = now_unix();
    let quarter = satisfaction::quarter_of(now);
    let actor = Actor::person(viewer.account.id, ip);
    let made = state.store.write(move |tx| satisfaction::create_survey(tx, &actor, quarter, now)).await;
    match made {
        Ok(id) => {
            Ok(redirect_with(&state, &format!("/admin/consultations/{id}"), Flash::success("satisfaction-created")))
        }
        Err(SatisfactionError::AlreadyDone) => {
            Ok(redirect_with(&state, "/admin/tableau-de-bord#satisfaction", Flash::info("satisfaction-already")))
        }
        Err(e) => Err(refusal(e)),
    }
}

fn refusal(e: SatisfactionError) -> AppError {
    match e {
        SatisfactionError::NotFound => AppError::NotFound,
        SatisfactionError::AlreadyDone => crate::web::errors::Refusal::AlreadyDone.into(),
        SatisfactionError::Consultation(e) => e.into(),
        SatisfactionError::Store(e) => e.into(),
    }
}

/// The dashboard's section: the button, the score's trend (`trend`, the
/// dashboard's chart with its table and CSV), each quarter's score (mean
/// and distribution, none under five answers) oldest first as a table,
/// then the free comments: where staff read and tag them, and the count of
/// each tag.
pub fn section(chrome: &Chrome, trend: Markup) -> Result<Markup, AppError> {
    let tx = chrome.state.store.read()?;
    let scores = satisfaction::scores(&tx)?;
    let comments = satisfaction::comments(&tx)?;
    let this_quarter = satisfaction::quarter_of(now_unix());
    let made = satisfaction::survey_of(&tx, this_quarter)?;
    drop(tx);
    let values: Vec<u8> = (SCORE_FROM..=satisfaction::SCORE_TO).collect();
    Ok(html! {
        section #satisfaction aria-labelledby="satisfaction-h" {
            h2 #satisfaction-h { (chrome.t("satisfaction-title")) }
            p { (chrome.t("satisfaction-lead")) }
            @match made {
                Some(id) => p { a href={ "/admin/consultations/" (id) } {
                    (chrome.lang.ta("satisfaction-this-quarter", &[("quarter", Arg::from(quarter_label(this_quarter)))])) } },
                None => form method="post" action=(CREATE_PATH) {
                    (csrf_field(chrome))
                    button.button type="submit" {
                        (chrome.lang.ta("satisfaction-create", &[("quarter", Arg::from(quarter_label(this_quarter)))]))
                    }
                },
            }
            @if scores.is_empty() {
                p { (chrome.t("satisfaction-none")) }
            } @else {
                (trend)
                table.data-table {
                    caption { (chrome.t("satisfaction-scores")) }
                    thead { tr {
                        th scope="col" { (chrome.t("satisfaction-quarter")) }
                        th scope="col" { (chrome.t("satisfaction-answers")) }
                        th scope="col" { (chrome.t("satisfaction-mean")) }
                        @for v in &values { th scope="col" { (v) } }
                    } }
                    tbody {
                        @for s in &scores {
                            tr {
                                th scope="row" { (quarter_label(s.quarter)) }
                                td { (s.answered) }
                                @match (s.mean, s.distribution) {
                                    (Some(mean), Some(d)) => {
                                        td { (format!("{mean:.1}")) }
                                        @for n in d { td { (n) } }
                                    }
                                    _ => td colspan=(values.len() + 1) { (chrome.t("metrics-fewer-than-five")) },
                                }
                            }
                        }
                    }
                }
            }
            @for c in comments.iter().rev() {
                (comments_of(chrome, c))
            }
        }
    })
}

/// One quarter's free comments: how many, the link to read and tag them
/// (the consultation's written answers page, where staff make tags and
/// tick the comments each fits), and each tag's count.
fn comments_of(chrome: &Chrome, c: &satisfaction::Comments) -> Markup {
    let quarter = quarter_label(c.quarter);
    let id = format!("satisfaction-comments-{}", c.quarter);
    html! {
        section aria-labelledby=(id) {
            h3 id=(id) { (chrome.lang.ta("satisfaction-comments-title", &[("quarter", Arg::from(quarter.clone()))])) }
            p {
                (chrome.lang.ta("satisfaction-comments-count", &[("count", Arg::from(c.written))])) " "
                a href={ "/consultations/" (c.consultation) "/resultats/" (c.question) } {
                    (chrome.t("satisfaction-comments-read"))
                }
            }
            @if c.tags.is_empty() {
                p.hint { (chrome.t("satisfaction-comments-no-tags")) }
            } @else {
                table.data-table {
                    caption { (chrome.lang.ta("satisfaction-tags-caption", &[("quarter", Arg::from(quarter))])) }
                    thead { tr {
                        th scope="col" { (chrome.t("satisfaction-tag")) }
                        th scope="col" { (chrome.t("satisfaction-tag-count")) }
                    } }
                    tbody {
                        @for t in &c.tags {
                            tr { th scope="row" { (t.code.label) } td { (t.count) } }
                        }
                    }
                }
            }
        }
    }
}
