//! The person's own data (GDPR articles 15, 17 and 20): `/compte/mes-donnees`
//! shows everything Parvis holds on them, `/compte/mes-donnees.json` gives
//! the same as a file, and `/compte/supprimer` erases the account. The file
//! holds the account, its security history, the mail sent to the person and
//! their comments.
//!
//! The page and the file are built from one [`Export`], so they cannot
//! differ. Mail is listed by subject, date and state, never by body: bodies
//! hold single-use links that may still work.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, StatusCode};
use poem::web::{Data, Form};
use poem::Response;
use serde::{Deserialize, Serialize};

use super::settings::{role_key, when};
use super::{audit_record, event, redirect_with, require_recent};
use crate::domain::accounts::erase::{self, EraseError};
use crate::domain::accounts::AccountId;
use crate::domain::audit::{self, Action, Filter};
use crate::domain::changes::ContentKind;
use crate::domain::comments::{self, CommentId};
use crate::domain::{moderation, now_unix, proposals, sessions, two_factor};
use crate::mail::outbox;
use crate::server::AppState;
use crate::web::auth::{add_cookie, clear_session_cookie, ClientIp, SignedIn, Viewer};
use crate::web::chrome::{Chrome, Flash};
use crate::web::comments::target_url;
use crate::web::components::{checkbox, csrf_field, facts, FormErrors};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// Everything Parvis holds on one person. Times are UTC, RFC 3339.
#[derive(Serialize, Debug)]
pub struct Export {
    pub generated_at: String,
    pub account: AccountData,
    pub two_factor: TwoFactorData,
    pub sessions: Vec<SessionData>,
    /// The security log's events where the person acted or was acted upon.
    pub events: Vec<EventData>,
    /// Messages sent or waiting to be sent to the person's address.
    pub mail: Vec<MailData>,
    /// The person's comments, newest first, deleted and hidden ones included.
    pub comments: Vec<CommentData>,
}

#[derive(Serialize, Debug)]
pub struct AccountData {
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub service: Option<String>,
    pub language: String,
    pub neighbourhood: Option<String>,
    pub age_bracket: Option<String>,
    pub created_at: String,
    pub email_confirmed: bool,
    pub last_sign_in_at: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct TwoFactorData {
    pub enabled: bool,
    pub recovery_codes_left: usize,
}

#[derive(Serialize, Debug)]
pub struct SessionData {
    pub device: String,
    pub ip: String,
    pub signed_in_at: String,
    pub last_seen_at: String,
}

#[derive(Serialize, Debug)]
pub struct EventData {
    pub at: String,
    pub action: String,
    /// "you", "town-hall" (a member of the town hall's team) or "unknown"
    /// (an attempt without an account, the command line).
    pub by: String,
    pub ip: String,
    pub detail: String,
}

#[derive(Serialize, Debug)]
pub struct MailData {
    pub at: String,
    pub subject: String,
    /// "pending", "sent" or "failed".
    pub state: String,
}

#[derive(Serialize, Debug)]
pub struct CommentData {
    pub id: CommentId,
    pub target: TargetData,
    /// The comment's lasting address on the site (a path).
    pub url: String,
    /// The comment it answers, for a reply.
    pub in_reply_to: Option<CommentId>,
    /// The text as written (Markdown); empty once deleted.
    pub body: String,
    /// On a proposal: "for", "against" or "neutral".
    pub stance: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub deleted_at: Option<String>,
    /// "published", "held" (waiting for a moderator: only its author and the
    /// moderators see it) or "hidden" (by a moderator).
    pub moderation: String,
    /// Why a moderator hid it (a reason code), when hidden.
    pub hidden_reason: Option<String>,
}

/// What a comment is about.
#[derive(Serialize, Debug)]
pub struct TargetData {
    /// "proposal", "consultation", "report", "meeting"…
    pub kind: String,
    pub id: u64,
    /// Its title, while everyone may read it (a hidden proposal's is not repeated).
    pub title: Option<String>,
    pub url: String,
}

fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix).map(|t| t.to_string()).unwrap_or_default()
}

/// Gathers the export of the signed-in person.
pub fn gather(state: &AppState, viewer: &Viewer) -> Result<Export, AppError> {
    let now = now_unix();
    let tx = state.store.read()?;
    let a = crate::domain::accounts::get(&tx, viewer.account.id)?.ok_or(AppError::NotFound)?;
    let sessions = sessions::list(&tx, a.id, state.config.sessions, now)?
        .into_iter()
        .map(|(_, s)| SessionData {
            device: s.device,
            ip: s.ip,
            signed_in_at: rfc3339(s.created_at),
            last_seen_at: rfc3339(s.last_seen_at),
        })
        .collect();
    let events = audit::list(&tx, &Filter { account: Some(a.id), ..Filter::default() }, None, usize::MAX)?
        .into_iter()
        .map(|(_, e)| EventData {
            at: rfc3339(e.at),
            action: e.action.code().to_string(),
            by: match e.actor {
                Some(id) if id == a.id => "you",
                Some(_) => "town-hall",
                None => "unknown",
            }
            .to_string(),
            ip: e.ip,
            detail: e.detail,
        })
        .collect();
    // The outbox has no index by recipient: it is read whole, which is fine
    // since it keeps finished messages for 30 days only.
    let mail = outbox::recent(&tx, usize::MAX, &state.config.commune.name)?
        .into_iter()
        .filter(|m| m.to.eq_ignore_ascii_case(&a.email))
        .map(|m| MailData { at: rfc3339(m.created_at), subject: m.subject, state: m.state.as_str().to_string() })
        .collect();
    let comments = comments::of_author(&tx, a.id, usize::MAX)?
        .into_iter()
        .map(|c| comment_data(&tx, c))
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Export {
        generated_at: rfc3339(now),
        two_factor: TwoFactorData {
            enabled: two_factor::is_enabled(&tx, a.id)?,
            recovery_codes_left: two_factor::recovery_codes_left(&tx, a.id)?,
        },
        account: AccountData {
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            role: a.role.as_str().to_string(),
            service: a.service,
            language: a.language,
            neighbourhood: a.neighbourhood,
            age_bracket: a.age_bracket,
            created_at: rfc3339(a.created_at),
            email_confirmed: a.email_confirmed,
            last_sign_in_at: a.last_sign_in_at.map(rfc3339),
        },
        sessions,
        events,
        mail,
        comments,
    })
}

fn comment_data(tx: &crate::store::ReadTx, c: comments::Comment) -> Result<CommentData, AppError> {
    let state = moderation::state(tx, c.target_of_self())?;
    let status = state.as_ref().map(|s| s.status).unwrap_or(moderation::Status::Published);
    let title = match c.target.kind {
        ContentKind::Proposal if moderation::is_public(tx, c.target)? => {
            proposals::get(tx, c.target.id)?.map(|p| p.title)
        }
        _ => None,
    };
    Ok(CommentData {
        id: c.id,
        target: TargetData {
            kind: c.target.kind.code().to_string(),
            id: c.target.id,
            title,
            url: target_url(c.target),
        },
        url: target_url(c.target_of_self()),
        in_reply_to: c.in_reply_to,
        body: c.body,
        stance: c.stance.map(|s| s.code().to_string()),
        created_at: rfc3339(c.created_at),
        edited_at: c.edited_at.map(rfc3339),
        deleted_at: c.deleted_at.map(rfc3339),
        moderation: status.code().to_string(),
        hidden_reason: state
            .filter(|s| s.status == moderation::Status::Hidden)
            .and_then(|s| s.reason)
            .map(|r| r.code().to_string()),
    })
}

/// The translation key of a comment's state on the page.
fn comment_state_key(c: &CommentData) -> &'static str {
    match (c.deleted_at.is_some(), c.moderation.as_str()) {
        (true, _) => "comments-deleted",
        (false, "hidden") => "comments-hidden",
        (false, "held") => "comments-pending",
        _ => "moderation-status-published",
    }
}

/// An RFC 3339 time back in the commune's time zone, for the page.
fn local(rfc: &str) -> String {
    rfc.parse::<jiff::Timestamp>().map(|t| when(t.as_second())).unwrap_or_default()
}

/// `GET /compte/mes-donnees`.
#[poem::handler]
pub async fn show(chrome: Chrome, state: Data<&Arc<AppState>>, SignedIn(viewer): SignedIn) -> Result<Markup, AppError> {
    let x = gather(&state, &viewer)?;
    let a = &x.account;
    let yes = chrome.t("admin-yes");
    let no = chrome.t("admin-no");
    let yn = |b: bool| if b { yes.as_str() } else { no.as_str() };
    let role = crate::web::admin::role_from(&a.role).map(|r| chrome.t(role_key(r))).unwrap_or_default();
    let age = a.age_bracket.as_ref().map(|b| chrome.t(&format!("age-{b}")));
    let created = local(&a.created_at);
    let last = a.last_sign_in_at.as_deref().map(local);
    let two_factor = if x.two_factor.enabled {
        chrome.lang.ta("data-two-factor-on", &[("count", (x.two_factor.recovery_codes_left as u64).into())])
    } else {
        chrome.t("account-2fa-off")
    };
    let title = chrome.t("data-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("data-lead")) }
            p { a.button href="/compte/mes-donnees.json" download="parvis-mes-donnees.json" { (chrome.t("data-download")) } }
            h2 { (chrome.t("data-account")) }
            (facts(&chrome, &[
                (&chrome.t("field-display-name"), Some(a.display_name.as_str())),
                (&chrome.t("field-email"), Some(a.email.as_str())),
                (&chrome.t("admin-email-confirmed"), Some(yn(a.email_confirmed))),
                (&chrome.t("account-role"), Some(role.as_str())),
                (&chrome.t("account-service"), Some(a.service.as_deref().unwrap_or("—"))),
                (&chrome.t("admin-language"), Some(crate::web::Lang::from_code(&a.language).unwrap_or_default().native_name())),
                (&chrome.t("field-neighbourhood"), Some(a.neighbourhood.as_deref().unwrap_or("—"))),
                (&chrome.t("field-age-bracket"), Some(age.as_deref().unwrap_or("—"))),
                (&chrome.t("admin-created"), Some(created.as_str())),
                (&chrome.t("admin-last-sign-in"), Some(last.as_deref().unwrap_or("—"))),
                (&chrome.t("account-2fa"), Some(two_factor.as_str())),
            ]))
            p { (chrome.t("data-password-note")) }
            h2 { (chrome.t("sessions-title")) }
            table {
                caption.visually-hidden { (chrome.t("sessions-title")) }
                thead { tr {
                    th scope="col" { (chrome.t("sessions-device")) }
                    th scope="col" { (chrome.t("sessions-ip")) }
                    th scope="col" { (chrome.t("sessions-started")) }
                    th scope="col" { (chrome.t("sessions-last-seen")) }
                } }
                tbody {
                    @for s in &x.sessions {
                        tr { td { (s.device) } td { (s.ip) } td { (local(&s.signed_in_at)) } td { (local(&s.last_seen_at)) } }
                    }
                }
            }
            h2 { (chrome.t("data-events")) }
            p { (chrome.lang.ta("data-events-lead", &[("days", u64::from(state.config.retention.audit_days).into())])) }
            @if x.events.is_empty() {
                p { (chrome.t("admin-journal-none")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("data-events")) }
                    thead { tr {
                        th scope="col" { (chrome.t("admin-journal-when")) }
                        th scope="col" { (chrome.t("admin-journal-action")) }
                        th scope="col" { (chrome.t("admin-journal-actor")) }
                        th scope="col" { (chrome.t("sessions-ip")) }
                        th scope="col" { (chrome.t("admin-journal-detail")) }
                    } }
                    tbody {
                        @for e in &x.events {
                            tr {
                                td { (local(&e.at)) }
                                td { (chrome.t(&format!("audit-action-{}", e.action))) }
                                td { (chrome.t(&format!("data-by-{}", e.by))) }
                                td { (e.ip) }
                                td { (e.detail) }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("data-mail")) }
            p { (chrome.t("data-mail-lead")) }
            @if x.mail.is_empty() {
                p { (chrome.t("data-mail-none")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("data-mail")) }
                    thead { tr {
                        th scope="col" { (chrome.t("admin-journal-when")) }
                        th scope="col" { (chrome.t("data-mail-subject")) }
                        th scope="col" { (chrome.t("admin-status")) }
                    } }
                    tbody {
                        @for m in &x.mail {
                            tr { td { (local(&m.at)) } td { (m.subject) } td { (chrome.t(&format!("data-mail-{}", m.state))) } }
                        }
                    }
                }
            }
            h2 { (chrome.t("data-comments")) }
            @if x.comments.is_empty() {
                p { (chrome.t("data-comments-none")) }
            } @else {
                table.data-comments {
                    caption.visually-hidden { (chrome.t("data-comments")) }
                    thead { tr {
                        th scope="col" { (chrome.t("admin-journal-when")) }
                        th scope="col" { (chrome.t("data-comments-on")) }
                        th scope="col" { (chrome.t("data-comments-text")) }
                        th scope="col" { (chrome.t("data-comments-stance")) }
                        th scope="col" { (chrome.t("admin-status")) }
                    } }
                    tbody {
                        @for c in &x.comments {
                            tr {
                                td { a href=(c.url) { (local(&c.created_at)) } }
                                td {
                                    a href=(c.target.url) {
                                        @match &c.target.title {
                                            Some(title) => (title),
                                            None => (target_label(&chrome, &c.target)),
                                        }
                                    }
                                }
                                td.data-comment-text { (c.body) }
                                td { (chrome.t(&format!("comment-stance-{}", c.stance.as_deref().unwrap_or("none")))) }
                                td {
                                    (chrome.t(comment_state_key(c)))
                                    @if let Some(edited) = &c.edited_at { br; (chrome.t("comments-edited")) " " (local(edited)) }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("delete-title")) }
            p { a href="/compte/supprimer" { (chrome.t("delete-link")) } }
        },
    ))
}

/// "la proposition n° 12", for content whose title is not shown.
fn target_label(chrome: &Chrome, target: &TargetData) -> String {
    let kind = ContentKind::from_code(&target.kind).map(|k| chrome.t(crate::web::moderation::kind_key(k)));
    chrome.lang.ta("data-comments-target", &[("kind", kind.unwrap_or_default().into()), ("id", target.id.into())])
}

/// `GET /compte/mes-donnees.json`: the same as the page, as a file. Audited:
/// the town hall can show when a person received a copy of their data.
#[poem::handler]
pub async fn download(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let export = gather(&state, &viewer)?;
    let json = serde_json::to_string_pretty(&export).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = viewer.account.id;
    state
        .store
        .write(move |tx| audit_record(tx, &event(Action::DataExported, Some(id), Some(id), &ip, "json")))
        .await?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, "attachment; filename=\"parvis-mes-donnees.json\"")
        .header(header::CACHE_CONTROL, "no-store")
        .body(json))
}

#[derive(Deserialize, Default)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: Option<String>,
}

fn delete_page(chrome: &Chrome, errors: &FormErrors) -> Markup {
    let title = chrome.t("delete-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("delete-lead")) }
            h2 { (chrome.t("delete-erased-title")) }
            ul {
                li { (chrome.t("delete-erased-account")) }
                li { (chrome.t("delete-erased-security")) }
            }
            h2 { (chrome.t("delete-kept-title")) }
            ul {
                li { (chrome.t("delete-kept-contributions")) }
                li { (chrome.lang.ta("delete-kept-log", &[("days", u64::from(chrome.config().retention.audit_days).into())])) }
                li { (chrome.t("delete-kept-mail")) }
                li { (chrome.t("delete-kept-backups")) }
            }
            p { a href="/compte/mes-donnees" { (chrome.t("delete-download-first")) } }
            form method="post" action="/compte/supprimer" novalidate {
                (csrf_field(chrome))
                @if let Some(e) = errors.get("confirm") {
                    div.form-group-error {
                        p.error-message id="confirm-error" { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                        (checkbox("confirm", &chrome.t("delete-confirm"), false))
                    }
                } @else {
                    (checkbox("confirm", &chrome.t("delete-confirm"), false))
                }
                p { (chrome.t("delete-reauth-note")) }
                button.button type="submit" { (chrome.t("delete-submit")) }
            }
        },
    )
}

/// `GET /compte/supprimer`: what is erased, what is kept, and the button.
#[poem::handler]
pub async fn delete_show(chrome: Chrome, SignedIn(_viewer): SignedIn) -> Markup {
    delete_page(&chrome, &FormErrors::default())
}

/// `POST /compte/supprimer`: after a recent password (and code), erases the
/// account in one transaction; the last administrator is refused.
#[poem::handler]
pub async fn delete(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    require_recent(&viewer, "/compte/supprimer")?;
    let fail = |field: &str, key: &str| {
        let mut errors = FormErrors::default();
        errors.add(field, chrome.t(key));
        refused(delete_page(&chrome, &errors), StatusCode::UNPROCESSABLE_ENTITY)
    };
    if form.confirm.is_none() {
        return Ok(fail("confirm", "delete-error-confirm"));
    }
    let id = viewer.account.id;
    let outcome = state
        .store
        .write(move |tx| match erase::erase(tx, id, now_unix()) {
            Ok(_) => {
                audit_record(tx, &event(Action::AccountDeleted, Some(id), Some(id), &ip, "by the person"))?;
                Ok(Ok(()))
            }
            Err(EraseError::Store(e)) => Err(AppError::from(e)),
            Err(refusal) => Ok(Err(refusal)),
        })
        .await?;
    match outcome {
        Ok(()) => {
            let mut resp = redirect_with(&state, "/", Flash::success("flash-account-deleted"));
            add_cookie(&mut resp, &clear_session_cookie(&state));
            Ok(resp)
        }
        Err(EraseError::LastAdmin) => Ok(fail("confirm", "delete-error-last-admin")),
        Err(_) => Err(AppError::NotFound),
    }
}
