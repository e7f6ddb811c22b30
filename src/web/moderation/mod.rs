//! Moderation on the web: residents report content (`/signaler`), and
//! moderators work through the queue (`/admin/moderation`, in `queue.rs`).
//! Every decision is audited in the transaction that makes it.

pub mod queue;

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Query};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::{self, Account};
use crate::domain::changes::{ContentKind, Target};
use crate::domain::moderation::{self, ModerationError, Reason, MAX_TEXT_CHARS};
use crate::domain::now_unix;
use crate::domain::{comments, proposals};
use crate::i18n::Arg;
use crate::ratelimit::Quota;
use crate::web::account::redirect_with;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::comments::{charter_link, parse_target, target_param, target_url};
use crate::web::components::{csrf_field, select, FormErrors};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::page_with_errors;

use crate::domain::ids::{CommentId, ProposalId};
pub use crate::domain::moderation::{kind_key, reason_key};

/// The options of a reason select, a first empty one asking to choose.
pub fn reason_options(chrome: &Chrome) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), chrome.t("moderation-reason-choose"))];
    options.extend(Reason::ALL.iter().map(|r| (r.code().to_string(), chrome.t(reason_key(*r)))));
    options
}

/// What moderators and reporters see of a piece of content.
pub struct Described {
    /// The title, for content that has one (proposals).
    pub title: Option<String>,
    /// Markdown of the content, when it has text left (not deleted).
    pub body: Option<String>,
    pub author: Option<Account>,
    /// Where the content is shown to everyone.
    pub link: String,
}

/// Looks the content up in the concept that owns it. `None` when it does
/// not exist (or cannot be looked up yet).
pub fn describe(tx: &crate::store::ReadTx, target: Target) -> Result<Option<Described>, AppError> {
    match target.kind {
        ContentKind::Comment => {
            let Some(c) = comments::get(tx, CommentId(target.id))? else { return Ok(None) };
            let author = accounts::get(tx, c.author)?;
            let body = (c.deleted_at.is_none()).then(|| c.body.clone());
            Ok(Some(Described { title: None, body, author, link: target_url(target) }))
        }
        ContentKind::Proposal => {
            let Some(p) = proposals::get(tx, ProposalId(target.id))? else { return Ok(None) };
            let author = accounts::get(tx, p.author)?;
            Ok(Some(Described { title: Some(p.title), body: Some(p.body), author, link: target_url(target) }))
        }
        _ => Ok(None),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ReportForm {
    #[serde(default)]
    cible: String,
    #[serde(default)]
    motif: String,
    #[serde(default)]
    precision: String,
}

fn report_page(chrome: &Chrome, target: Target, form: &ReportForm, errors: &FormErrors) -> Markup {
    let title = chrome.t("report-title");
    let error = errors.get("precision");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("report-lead", &[("kind", Arg::from(chrome.t(kind_key(target.kind))))])) }
            form method="post" action="/signaler" novalidate {
                (csrf_field(chrome))
                input type="hidden" name="cible" value=(target_param(target));
                (select(chrome, errors, "motif", &chrome.t("report-reason"), None, &reason_options(chrome), &form.motif))
                div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                    label for="precision" { (chrome.t("report-details")) }
                    div.hint id="precision-hint" { (chrome.lang.ta("report-details-hint", &[("max", Arg::from(MAX_TEXT_CHARS as u64))])) }
                    @if let Some(e) = error {
                        p.error-message id="precision-error" { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                    }
                    textarea id="precision" name="precision" rows="4" maxlength=(MAX_TEXT_CHARS)
                        aria-describedby=(if error.is_some() { "precision-hint precision-error" } else { "precision-hint" }) { (form.precision) }
                }
                (charter_link(chrome))
                button.button type="submit" { (chrome.t("report-submit")) }
            }
            p { a href=(target_url(target)) { (chrome.t("comments-back")) } }
        },
    )
}

/// `GET /signaler?cible=comment-12`.
#[poem::handler]
pub async fn report_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(_viewer): SignedIn,
    Query(form): Query<ReportForm>,
) -> Result<Markup, AppError> {
    let target = parse_target(&form.cible).ok_or(AppError::NotFound)?;
    if !moderation::reportable(&state.store.read()?, target)? {
        return Err(AppError::NotFound);
    }
    Ok(report_page(&chrome, target, &form, &FormErrors::default()))
}

/// `POST /signaler`: the report goes to the moderators' queue, within the
/// quota of reports ([`Quota::Report`]).
#[poem::handler]
pub async fn report(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let target = parse_target(&form.cible).ok_or(AppError::BadRequest("cible"))?;
    if !moderation::reportable(&state.store.read()?, target)? {
        return Err(AppError::NotFound);
    }
    let mut errors = FormErrors::default();
    let reason = Reason::from_code(&form.motif);
    if reason.is_none() {
        errors.add("motif", chrome.t("report-error-reason"));
    }
    if form.precision.trim().chars().count() > MAX_TEXT_CHARS {
        errors.add("precision", chrome.lang.ta("report-error-too-long", &[("max", Arg::from(MAX_TEXT_CHARS as u64))]));
    }
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        return Ok(refused(report_page(&chrome, target, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    if let Err(wait) = state.limiter.take(Quota::Report, &format!("account:{}", viewer.account.id), Instant::now()) {
        let minutes = wait.secs().div_ceil(60);
        errors.add("precision", chrome.lang.ta("report-error-too-many", &[("minutes", minutes.into())]));
        return Ok(too_many(report_page(&chrome, target, &form, &errors), wait));
    }
    let me = viewer.account.id;
    let text = form.precision.clone();
    let filed = state.store.write(move |tx| moderation::report(tx, target, me, reason, &text, now_unix())).await;
    let flash = match filed {
        Ok(_) => Flash::success("flash-report-sent"),
        Err(ModerationError::AlreadyReported) => Flash::info("flash-report-already"),
        Err(e) => return Err(e.into()),
    };
    Ok(redirect_with(&state, &target_url(target), flash))
}
