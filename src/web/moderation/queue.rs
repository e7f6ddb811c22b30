//! `/admin/moderation`: the queue of reported and held content, one item's
//! page with its reports, and the moderators' decisions: hide (the author is
//! told why by mail), publish (approve, restore, or keep and close the
//! reports), and block the author. Every handler takes a `Moderator`, which
//! requires two-factor authentication; every decision is audited in its
//! transaction.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::Response;
use serde::Deserialize;

use super::{describe, kind_key, reason_key, reason_options, Described};
use crate::app::AppState;
use crate::domain::accounts::{self, AccountId, Blocked};
use crate::domain::audit::Actor;
use crate::domain::changes::{ContentKind, Target};
use crate::domain::moderation::{self, ModerationError, Reason, State, Status, MAX_TEXT_CHARS};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::markdown;
use crate::web::account::settings::when;
use crate::web::account::{link, redirect_with};
use crate::web::admin::{person_name, PAGE_SIZE};

/// The last page of the moderation queue that is read (far past any real queue).
const MAX_QUEUE_PAGE: usize = 10_000;
use crate::web::auth::{ClientIp, Moderator, Viewer};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, facts, select, table_head, FormErrors};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// The address of an item's page.
pub fn item_url(target: Target) -> String {
    format!("/admin/moderation/{}/{}", target.kind.code(), target.id)
}

fn status_key(status: Status) -> &'static str {
    match status {
        Status::Published => "moderation-status-published",
        Status::Held => "moderation-status-held",
        Status::Hidden => "moderation-status-hidden",
    }
}

/// A short excerpt of resident text, for the queue's table.
fn excerpt(text: &str) -> String {
    let plain = markdown::plain(text);
    let mut out: String = plain.chars().take(140).collect();
    if plain.chars().count() > 140 {
        out.push('…');
    }
    out
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    page: String,
}

/// `GET /admin/moderation`: what waits for a decision, oldest first.
#[poem::handler]
pub async fn list(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Moderator(_viewer): Moderator,
    Query(q): Query<QueueQuery>,
) -> Result<Markup, AppError> {
    // Bounded: a page number past any queue must not overflow the offset.
    let page_no: usize = q.page.parse().unwrap_or(1).clamp(1, MAX_QUEUE_PAGE);
    let tx = state.store.read()?;
    let total = moderation::queue_len(&tx)?;
    let items = moderation::queue(&tx, (page_no - 1) * PAGE_SIZE, PAGE_SIZE)?;
    let mut rows = Vec::new();
    for w in items {
        let reports = moderation::reports_of(&tx, w.target)?;
        let described = describe(&tx, w.target)?;
        rows.push((w, reports, described));
    }
    drop(tx);
    let more = (page_no * PAGE_SIZE) < total as usize;
    let title = chrome.t("moderation-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("moderation-queue-lead", &[("count", Arg::from(total))])) }
            @if rows.is_empty() {
                p { (chrome.t("moderation-queue-empty")) }
            } @else {
                table {
                    caption { (chrome.t("moderation-queue-caption")) }
                    (table_head(&chrome, &["moderation-content", "moderation-excerpt", "moderation-status", "moderation-open-reports", "moderation-since"]))
                    tbody {
                        @for (w, reports, described) in &rows {
                            tr {
                                th scope="row" {
                                    a href=(item_url(w.target)) { (chrome.t(kind_key(w.target.kind))) " n° " (w.target.id) }
                                }
                                td {
                                    @if let Some(t) = described.as_ref().and_then(|d| d.title.as_deref()) { strong { (t) } " " }
                                    @match described.as_ref().and_then(|d| d.body.as_deref()) {
                                        Some(body) => (excerpt(body)),
                                        None => "—",
                                    }
                                }
                                td { (chrome.t(status_key(w.state.status))) }
                                td {
                                    (w.state.open_reports)
                                    @let reasons: Vec<String> = reports.iter().filter(|r| r.open).map(|r| chrome.t(reason_key(r.reason))).collect();
                                    @if !reasons.is_empty() { " (" (reasons.join(", ")) ")" }
                                }
                                td { (w.state.queued_at.map(when).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
            @if page_no > 1 || more {
                nav aria-label=(chrome.t("admin-pagination")) {
                    ul.actions {
                        @if page_no > 1 { li { a href={ "/admin/moderation?page=" (page_no - 1) } { (chrome.t("comments-previous")) } } }
                        @if more { li { a href={ "/admin/moderation?page=" (page_no + 1) } { (chrome.t("admin-next-page")) } } }
                    }
                }
            }
        },
    ))
}

fn target_from(kind: &str, id: u64) -> Result<Target, AppError> {
    ContentKind::from_code(kind).map(|k| Target::new(k, id)).ok_or(AppError::NotFound)
}

#[derive(Deserialize, Default, Clone)]
pub struct HideForm {
    #[serde(default)]
    motif: String,
    #[serde(default)]
    message: String,
}

struct Item {
    target: Target,
    state: Option<State>,
    reports: Vec<moderation::Report>,
    described: Described,
    reporters: Vec<String>,
}

fn load(chrome: &Chrome, state: &AppState, target: Target) -> Result<Item, AppError> {
    let tx = state.store.read()?;
    let described = describe(&tx, target)?.ok_or(AppError::NotFound)?;
    let reports = moderation::reports_of(&tx, target)?;
    let mut reporters = Vec::new();
    for r in &reports {
        reporters.push(person_name(chrome, accounts::get(&tx, r.reporter)?.as_ref()));
    }
    Ok(Item { target, state: moderation::state(&tx, target)?, reports, described, reporters })
}

fn item_page(chrome: &Chrome, viewer: &Viewer, item: &Item, hide: &HideForm, errors: &FormErrors) -> Markup {
    let target = item.target;
    let status = item.state.as_ref().map(|s| s.status).unwrap_or(Status::Published);
    let title = format!("{} n° {}", chrome.t(kind_key(target.kind)), target.id);
    let author = item.described.author.as_ref();
    let author_name = author.map(|a| person_name(chrome, Some(a))).unwrap_or_else(|| "—".into());
    let status_text = chrome.t(status_key(status));
    let waiting = item.state.as_ref().is_some_and(|s| s.waiting());
    let publish_key = match status {
        Status::Held => Some("moderation-approve"),
        Status::Hidden => Some("moderation-restore"),
        Status::Published if waiting => Some("moderation-dismiss"),
        Status::Published => None,
    };
    let can_block = author
        .is_some_and(|a| !a.blocked && !a.is_erased() && accounts::may_block(viewer.account.role, a.role))
        && author.map(|a| a.id) != Some(viewer.account.id);
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p { a href="/admin/moderation" { (chrome.t("moderation-back")) } }
            h1 { (title) }
            (facts(chrome, &[
                (&chrome.t("moderation-status"), Some(status_text.as_str())),
                (&chrome.t("moderation-author"), Some(author_name.as_str())),
            ]))
            @if let Some(s) = &item.state {
                @if let (Status::Hidden, Some(reason)) = (s.status, s.reason) {
                    p { (chrome.lang.ta("moderation-hidden-because", &[("reason", Arg::from(chrome.t(reason_key(reason))))])) }
                }
            }
            p { a href=(item.described.link) { (chrome.t("moderation-see-in-place")) } }
            h2 { (chrome.t("moderation-the-content")) }
            @if let Some(t) = &item.described.title { p { strong { (t) } } }
            @match &item.described.body {
                Some(body) => blockquote.comment-text { (markdown::render(body)) },
                None => p { em { (chrome.t("moderation-no-text")) } },
            }
            h2 { (chrome.t("moderation-reports")) }
            @if item.reports.is_empty() {
                p { (chrome.t("moderation-no-reports")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("moderation-reports")) }
                    (table_head(chrome, &["moderation-report-date", "report-reason", "report-details", "moderation-reporter", "moderation-status"]))
                    tbody {
                        @for (r, who) in item.reports.iter().zip(&item.reporters) {
                            tr {
                                td { (when(r.at)) }
                                td { (chrome.t(reason_key(r.reason))) }
                                td { (if r.text.is_empty() { "—" } else { r.text.as_str() }) }
                                td { (who) }
                                td { (chrome.t(if r.open { "moderation-report-open" } else { "moderation-report-closed" })) }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("moderation-decide")) }
            @if let Some(key) = publish_key {
                form method="post" action={ (item_url(target)) "/publier" } {
                    (csrf_field(chrome))
                    button.button type="submit" { (chrome.t(key)) }
                }
            }
            @if status != Status::Hidden {
                h3 { (chrome.t("moderation-hide-title")) }
                form method="post" action={ (item_url(target)) "/masquer" } novalidate {
                    (csrf_field(chrome))
                    (select(chrome, errors, "motif", &chrome.t("moderation-hide-reason"), None, &reason_options(chrome), &hide.motif))
                    @let error = errors.get("message");
                    div class=(if error.is_some() { "form-group form-group-error" } else { "form-group" }) {
                        label for="message" { (chrome.t("moderation-hide-message")) }
                        div.hint id="message-hint" { (chrome.t("moderation-hide-message-hint")) }
                        @if let Some(e) = error {
                            p.error-message id="message-error" { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                        }
                        textarea id="message" name="message" rows="4" maxlength=(MAX_TEXT_CHARS)
                            aria-describedby=(if error.is_some() { "message-hint message-error" } else { "message-hint" }) { (hide.message) }
                    }
                    button.button.button-secondary type="submit" { (chrome.t("moderation-hide-submit")) }
                }
            }
            @if can_block {
                h3 { (chrome.t("moderation-block-title")) }
                p { (chrome.t("moderation-block-text")) }
                form method="post" action={ (item_url(target)) "/bloquer" } {
                    (csrf_field(chrome))
                    button.button.button-secondary type="submit" { (chrome.t("moderation-block-submit")) }
                }
            } @else if author.is_some_and(|a| a.blocked) {
                p { (chrome.t("moderation-author-blocked")) }
            }
        },
    )
}

/// `GET /admin/moderation/:kind/:id`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Moderator(viewer): Moderator,
    Path((kind, id)): Path<(String, u64)>,
) -> Result<Markup, AppError> {
    let item = load(&chrome, &state, target_from(&kind, id)?)?;
    Ok(item_page(&chrome, &viewer, &item, &HideForm::default(), &FormErrors::default()))
}

/// `POST /admin/moderation/:kind/:id/masquer`: hides the content and tells
/// its author why, by mail, in their language.
#[poem::handler]
pub async fn hide_content(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Moderator(viewer): Moderator,
    ClientIp(ip): ClientIp,
    Path((kind, id)): Path<(String, u64)>,
    Form(form): Form<HideForm>,
) -> Result<Response, AppError> {
    let target = target_from(&kind, id)?;
    let mut errors = FormErrors::default();
    let reason = Reason::from_code(&form.motif);
    if reason.is_none() {
        errors.add("motif", chrome.t("report-error-reason"));
    }
    if form.message.trim().chars().count() > MAX_TEXT_CHARS {
        errors.add("message", chrome.lang.ta("report-error-too-long", &[("max", Arg::from(MAX_TEXT_CHARS as u64))]));
    }
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        let item = load(&chrome, &state, target)?;
        return Ok(refused(item_page(&chrome, &viewer, &item, &form, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let actor = Actor::person(viewer.account.id, ip);
    let message = form.message.trim().to_string();
    let place = link(&state, &crate::web::comments::target_url(target));
    state.store.write(move |tx| moderation::hide(tx, &actor, target, reason, &message, &place, now_unix())).await?;
    Ok(redirect_with(&state, &item_url(target), Flash::success("flash-content-hidden")))
}

/// `POST /admin/moderation/:kind/:id/publier`: approve held content,
/// restore hidden content, or keep reported content and close its reports.
#[poem::handler]
pub async fn publish(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Moderator(viewer): Moderator,
    ClientIp(ip): ClientIp,
    Path((kind, id)): Path<(String, u64)>,
) -> Result<Response, AppError> {
    let target = target_from(&kind, id)?;
    // The page 404s for content that does not exist, before any write.
    load(&chrome, &state, target)?;
    let actor = Actor::person(viewer.account.id, ip);
    let outcome = state.store.write(move |tx| moderation::publish(tx, &actor, target, now_unix()).map(Some)).await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(ModerationError::NothingToDecide) => None,
        Err(e) => return Err(e.into()),
    };
    let flash = match outcome.map(|o| o.before) {
        None => Flash::info("flash-nothing-changed"),
        Some(Status::Held) => Flash::success("flash-content-approved"),
        Some(Status::Hidden) => Flash::success("flash-content-restored"),
        Some(Status::Published) => Flash::success("flash-reports-dismissed"),
    };
    Ok(redirect_with(&state, &item_url(target), flash))
}

/// `POST /admin/moderation/:kind/:id/bloquer`: blocks the author: they are
/// signed out everywhere at once and told by mail, as when an admin blocks
/// an account. Members of the town hall's team are blocked by an admin only.
#[poem::handler]
pub async fn block_author(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Moderator(viewer): Moderator,
    ClientIp(ip): ClientIp,
    Path((kind, id)): Path<(String, u64)>,
) -> Result<Response, AppError> {
    let target = target_from(&kind, id)?;
    let item = load(&chrome, &state, target)?;
    let author: AccountId = item.described.author.as_ref().map(|a| a.id).ok_or(AppError::NotFound)?;
    let actor = Actor::person(viewer.account.id, ip);
    let context = format!("by moderation of {} {}", target.kind.code(), target.id);
    let blocked = state.store.write(move |tx| accounts::block(tx, &actor, author, Some(&context), now_unix())).await?;
    let flash = match blocked {
        Blocked::Already => Flash::info("flash-nothing-changed"),
        Blocked::Now { .. } => Flash::success("flash-account-blocked"),
    };
    Ok(redirect_with(&state, &item_url(target), flash))
}
