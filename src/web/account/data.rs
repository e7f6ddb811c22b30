//! The person's own data (GDPR articles 15, 17 and 20): `/compte/mes-donnees`
//! shows everything Parvis holds on them, `/compte/mes-donnees.json` gives
//! the same as a file, and `/compte/supprimer` erases the account.
//!
//! What the copy holds, and leaves out, is decided next to the erasure, in
//! [`crate::domain::accounts::export`]: these handlers load it and render it
//! as a page or a file, so the two cannot differ.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, StatusCode};
use poem::web::{Data, Form};
use poem::Response;
use serde::Deserialize;

use super::settings::{role_key, when};
use super::{redirect_with, require_recent};
use crate::app::AppState;
use crate::domain::accounts::erase::{self, EraseError};
use crate::domain::accounts::export::{
    self, CommentData, ConsultationData, EventData, MailData, NotificationData, PersonalData, ProposalData, ReportData,
    SessionData, SupportData, TargetData, UsefulVoteData,
};
use crate::domain::audit::Actor;
use crate::domain::changes::{ContentKind, Target};
use crate::domain::now_unix;
use crate::i18n::Arg;
use crate::web::auth::{add_cookie, clear_session_cookie, ClientIp, SignedIn, Viewer};
use crate::web::chrome::{Chrome, Flash};
use crate::web::comments::target_url;
use crate::web::components::{checkbox, csrf_field, facts, table_head, FormErrors};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// The page of something the copy names: a consultation's and a
/// meeting's own page (their discussion pages are not theirs), else where
/// comments lead.
fn page_url(target: Target) -> String {
    match target.kind {
        ContentKind::Consultation => format!("/consultations/{}", target.id),
        ContentKind::Meeting => format!("/rendez-vous/{}", target.id),
        ContentKind::Proposal | ContentKind::Comment | ContentKind::Report | ContentKind::Page => target_url(target),
    }
}

/// The signed-in person's data, read in one transaction.
fn load(state: &AppState, viewer: &Viewer) -> Result<PersonalData, AppError> {
    let tx = state.store.read()?;
    let cx = export::Context {
        now: now_unix(),
        sessions: state.config.sessions,
        commune: &state.config.commune.name,
        keys: state.store.keys(),
        address: page_url,
    };
    export::of(&tx, viewer.account.id, &cx)?.ok_or(AppError::NotFound)
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
    let x = load(&state, &viewer)?;
    let title = chrome.t("data-title");
    let audit_days = u64::from(state.config.retention.audit_days);
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("data-lead")) }
            p { a.button href="/compte/mes-donnees.json" download="parvis-mes-donnees.json" { (chrome.t("data-download")) } }
            (account_section(&chrome, &x))
            (sessions_section(&chrome, &x.sessions))
            (events_section(&chrome, &x.events, audit_days))
            (mail_section(&chrome, &x.mail))
            (comments_section(&chrome, &x.comments))
            (proposals_section(&chrome, &x.proposals))
            (supports_section(&chrome, &x.supports))
            (follows_section(&chrome, &x.follows))
            (reports_section(&chrome, &x.reports))
            (useful_votes_section(&chrome, &x.useful_votes))
            (notifications_section(&chrome, &x.notifications))
            (consultations_section(&chrome, &x.consultations))
            (meetings_section(&chrome, &x.meeting_registrations))
            (newsletter_section(&chrome, &x.newsletter_consent))
            (crate::web::verification::data_section(&chrome, x.verification.as_ref(), x.verification_letter.as_ref()))
            h2 { (chrome.t("delete-title")) }
            p { a href="/compte/supprimer" { (chrome.t("delete-link")) } }
        },
    ))
}

/// A section of the page: its heading and lead, then its content, or the
/// line (`none`) that says there is nothing.
fn section(chrome: &Chrome, key: &str, lead: Option<String>, none: &str, empty: bool, content: Markup) -> Markup {
    html! {
        h2 { (chrome.t(key)) }
        @if let Some(lead) = lead { p { (lead) } }
        @if empty { p { (chrome.t(none)) } } @else { (content) }
    }
}

/// A table whose caption, for screen readers, repeats its section's heading.
fn data_table(chrome: &Chrome, caption: &str, class: Option<&str>, head: &[&str], rows: Markup) -> Markup {
    html! {
        table class=[class] {
            caption.visually-hidden { (chrome.t(caption)) }
            (table_head(chrome, head))
            tbody { (rows) }
        }
    }
}

fn yes_no(chrome: &Chrome, value: bool) -> String {
    chrome.t(if value { "admin-yes" } else { "admin-no" })
}

fn account_section(chrome: &Chrome, x: &PersonalData) -> Markup {
    let a = &x.account;
    let confirmed = yes_no(chrome, a.email_confirmed);
    let role = crate::web::admin::role_from(&a.role).map(|r| chrome.t(role_key(r))).unwrap_or_default();
    let age = a.age_bracket.as_ref().map(|b| chrome.t(&format!("age-{b}")));
    let created = local(&a.created_at);
    let last = a.last_sign_in_at.as_deref().map(local);
    let two_factor = if x.two_factor.enabled {
        chrome.lang.ta("data-two-factor-on", &[("count", (x.two_factor.recovery_codes_left as u64).into())])
    } else {
        chrome.t("account-2fa-off")
    };
    html! {
        h2 { (chrome.t("data-account")) }
        (facts(chrome, &[
            (&chrome.t("field-display-name"), Some(a.display_name.as_str())),
            (&chrome.t("field-email"), Some(a.email.as_str())),
            (&chrome.t("admin-email-confirmed"), Some(confirmed.as_str())),
            (&chrome.t("account-role"), Some(role.as_str())),
            (&chrome.t("account-service"), Some(a.service.as_deref().unwrap_or("—"))),
            (&chrome.t("admin-language"), Some(crate::i18n::Lang::from_code(&a.language).unwrap_or_default().native_name())),
            (&chrome.t("field-neighbourhood"), Some(a.neighbourhood.as_deref().unwrap_or("—"))),
            (&chrome.t("field-age-bracket"), Some(age.as_deref().unwrap_or("—"))),
            (&chrome.t("admin-created"), Some(created.as_str())),
            (&chrome.t("admin-last-sign-in"), Some(last.as_deref().unwrap_or("—"))),
            (&chrome.t("account-2fa"), Some(two_factor.as_str())),
        ]))
        p { (chrome.t("data-password-note")) }
    }
}

fn sessions_section(chrome: &Chrome, sessions: &[SessionData]) -> Markup {
    let head = ["sessions-device", "sessions-ip", "sessions-started", "sessions-last-seen"];
    // The page is only shown to a signed-in person: there is always a session.
    html! {
        h2 { (chrome.t("sessions-title")) }
        (data_table(chrome, "sessions-title", None, &head, html! {
            @for s in sessions {
                tr { td { (s.device) } td { (s.ip) } td { (local(&s.signed_in_at)) } td { (local(&s.last_seen_at)) } }
            }
        }))
    }
}

fn events_section(chrome: &Chrome, events: &[EventData], audit_days: u64) -> Markup {
    let lead = chrome.lang.ta("data-events-lead", &[("days", audit_days.into())]);
    let head =
        ["admin-journal-when", "admin-journal-action", "admin-journal-actor", "sessions-ip", "admin-journal-detail"];
    let rows = html! {
        @for e in events {
            tr {
                td { (local(&e.at)) }
                td { (chrome.t(&format!("audit-action-{}", e.action))) }
                td { (chrome.t(&format!("data-by-{}", e.by.code()))) }
                // Empty when the town hall acted: see accounts::export.
                td { @if e.ip.is_empty() { "—" } @else { (e.ip) } }
                td { (e.detail) }
            }
        }
    };
    let table = data_table(chrome, "data-events", None, &head, rows);
    section(chrome, "data-events", Some(lead), "admin-journal-none", events.is_empty(), table)
}

fn mail_section(chrome: &Chrome, mail: &[MailData]) -> Markup {
    let rows = html! {
        @for m in mail {
            tr { td { (local(&m.at)) } td { (m.subject) } td { (chrome.t(&format!("data-mail-{}", m.state))) } }
        }
    };
    let table =
        data_table(chrome, "data-mail", None, &["admin-journal-when", "data-mail-subject", "admin-status"], rows);
    section(chrome, "data-mail", Some(chrome.t("data-mail-lead")), "data-mail-none", mail.is_empty(), table)
}

fn comments_section(chrome: &Chrome, comments: &[CommentData]) -> Markup {
    let head = ["admin-journal-when", "data-comments-on", "data-comments-text", "data-comments-stance", "admin-status"];
    let rows = html! {
        @for c in comments {
            tr {
                td { a href=(c.url) { (local(&c.created_at)) } }
                td { (target_link(chrome, &c.target)) }
                td.data-comment-text { (c.body) }
                td { (chrome.t(&format!("comment-stance-{}", c.stance.as_deref().unwrap_or("none")))) }
                td {
                    (chrome.t(comment_state_key(c)))
                    @if let Some(edited) = &c.edited_at { br; (chrome.t("comments-edited")) " " (local(edited)) }
                }
            }
        }
    };
    let table = data_table(chrome, "data-comments", Some("data-comments"), &head, rows);
    section(chrome, "data-comments", None, "data-comments-none", comments.is_empty(), table)
}

fn proposals_section(chrome: &Chrome, proposals: &[ProposalData]) -> Markup {
    let head = ["admin-journal-when", "data-proposal", "data-comments-text", "admin-status"];
    let rows = html! {
        @for p in proposals {
            tr {
                td {
                    a href=(p.url) { (local(&p.created_at)) }
                    @if p.updated_at != p.created_at {
                        br; (chrome.lang.ta("data-proposal-updated", &[("date", local(&p.updated_at).into())]))
                    }
                }
                td { (proposal_details(chrome, p)) }
                td.data-text { (p.body) }
                td { (proposal_state(chrome, p)) }
            }
        }
    };
    let table = data_table(chrome, "data-proposals", None, &head, rows);
    section(chrome, "data-proposals", None, "data-proposals-none", proposals.is_empty(), table)
}

fn supports_section(chrome: &Chrome, supports: &[SupportData]) -> Markup {
    let rows = html! {
        @for s in supports {
            tr { td { (local(&s.at)) } td { (target_link(chrome, &s.proposal)) } }
        }
    };
    let table = data_table(chrome, "data-supports", None, &["admin-journal-when", "data-proposal"], rows);
    section(chrome, "data-supports", None, "data-supports-none", supports.is_empty(), table)
}

fn follows_section(chrome: &Chrome, follows: &[TargetData]) -> Markup {
    // One value each: a list reads better than a one-column table.
    let list = html! { ul { @for f in follows { li { (target_link(chrome, f)) } } } };
    section(chrome, "data-follows", Some(chrome.t("data-follows-lead")), "data-follows-none", follows.is_empty(), list)
}

fn reports_section(chrome: &Chrome, reports: &[ReportData]) -> Markup {
    let head = ["admin-journal-when", "data-reports-content", "data-reports-reason", "admin-status"];
    let rows = html! {
        @for r in reports {
            tr {
                td { (local(&r.at)) }
                td { (target_link(chrome, &r.target)) }
                // What the person added goes with the reason: one column
                // less on a phone, where this table is the widest.
                td {
                    (chrome.t(&format!("moderation-reason-{}", r.reason)))
                    @if !r.text.is_empty() { br; span.data-text { (r.text) } }
                }
                td { (chrome.t(&format!("data-reports-{}", r.state))) }
            }
        }
    };
    let table = data_table(chrome, "data-reports", None, &head, rows);
    section(chrome, "data-reports", None, "data-reports-none", reports.is_empty(), table)
}

/// Each consultation answered or begun: the answer sent and the draft kept,
/// question by question, as the file has them.
fn consultations_section(chrome: &Chrome, list: &[ConsultationData]) -> Markup {
    let answers = |answers: &[export::QuestionAnswerData]| {
        html! {
            dl.data-answers {
                @for a in answers { dt { (a.question) } dd { (a.answer.join(" ; ")) } }
            }
        }
    };
    let content = html! {
        @for c in list {
            h3 { (target_link(chrome, &c.consultation)) }
            @if let Some(a) = &c.answer {
                p { (chrome.lang.ta("consultation-data-answer", &[("date", Arg::from(local(&a.at))), ("receipt", Arg::from(a.receipt.as_str()))])) }
                (answers(&a.answers))
            }
            @if let Some(d) = &c.draft {
                p { (chrome.lang.ta("consultation-data-draft", &[("date", Arg::from(local(&d.saved_at)))])) }
                (answers(&d.answers))
            }
        }
    };
    section(chrome, "consultation-data", None, "consultation-data-none", list.is_empty(), content)
}

/// Each registration to a meeting, with its code and where it stands.
fn meetings_section(chrome: &Chrome, list: &[export::MeetingRegistrationData]) -> Markup {
    let content = html! {
        ul {
            @for r in list {
                li {
                    (target_link(chrome, &r.meeting)) " — "
                    (chrome.lang.ta("meeting-data-row", &[
                        ("date", Arg::from(local(&r.registered_at))),
                        ("code", Arg::from(r.code.as_str())),
                        ("spot", Arg::from(r.spot.as_str())),
                    ]))
                }
            }
        }
    };
    section(chrome, "meeting-data", None, "meeting-data-none", list.is_empty(), content)
}

fn newsletter_section(chrome: &Chrome, list: &[export::NewsletterConsentData]) -> Markup {
    let content = html! {
        ul {
            @for p in list {
                li {
                    (chrome.lang.ta("newsletters-data-given", &[("date", Arg::from(local(&p.given_at)))]))
                    @if let Some(at) = &p.withdrawn_at {
                        " — " (chrome.lang.ta("newsletters-data-withdrawn", &[("date", Arg::from(local(at)))]))
                    }
                }
            }
        }
    };
    section(chrome, "newsletters-data", None, "newsletters-data-none", list.is_empty(), content)
}

fn useful_votes_section(chrome: &Chrome, votes: &[UsefulVoteData]) -> Markup {
    let rows = html! {
        @for v in votes {
            tr { td { (local(&v.at)) } td { (target_link(chrome, &v.comment)) } }
        }
    };
    let table = data_table(chrome, "data-useful", None, &["admin-journal-when", "data-useful-comment"], rows);
    section(chrome, "data-useful", None, "data-useful-none", votes.is_empty(), table)
}

fn notifications_section(chrome: &Chrome, notifications: &[NotificationData]) -> Markup {
    let head = ["admin-journal-when", "data-notifications-what", "data-notifications-read"];
    let rows = html! {
        @for n in notifications {
            tr {
                td { (local(&n.at)) }
                td { a href=(n.url) { (n.event.render(chrome.lang).0) } }
                td { (yes_no(chrome, n.read)) }
            }
        }
    };
    let table = data_table(chrome, "data-notifications", None, &head, rows);
    section(chrome, "data-notifications", None, "data-notifications-none", notifications.is_empty(), table)
}

/// A link to a piece of content: its title, or "la proposition n° 12".
fn target_link(chrome: &Chrome, target: &TargetData) -> Markup {
    html! {
        a href=(target.url) {
            @match &target.title {
                Some(title) => (title),
                None => (target_label(chrome, target)),
            }
        }
    }
}

/// A proposal's title and what was given with it: box, category,
/// neighbourhood, place, photo.
fn proposal_details(chrome: &Chrome, p: &ProposalData) -> Markup {
    let line = |key: &str, value: &str| chrome.lang.ta(key, &[("value", value.into())]);
    let photo = match (p.has_photo, p.photo_description.as_deref()) {
        (false, _) => chrome.t("data-proposal-no-photo"),
        (true, Some(alt)) if !alt.is_empty() => line("data-proposal-photo", alt),
        (true, _) => chrome.t("data-proposal-photo-undescribed"),
    };
    html! {
        strong { (p.title) }
        br; (line("data-proposal-box", &p.idea_box.title))
        @if let Some(c) = &p.category { br; (line("data-proposal-category", c)) }
        @if let Some(n) = &p.neighbourhood { br; (line("data-proposal-neighbourhood", n)) }
        @if let Some(place) = &p.place {
            br; (line("data-proposal-place", &format!("{:.5}, {:.5}", place.latitude, place.longitude)))
        }
        br; (photo)
    }
}

/// A proposal's status, its moderation if not published, and the answer.
fn proposal_state(chrome: &Chrome, p: &ProposalData) -> Markup {
    html! {
        (chrome.t(&format!("status-{}", p.status)))
        @match (p.moderation.as_str(), p.hidden_reason.as_deref()) {
            ("held", _) => { br; (chrome.t("data-proposal-held")) }
            ("hidden", Some(reason)) => {
                br; (chrome.lang.ta("data-proposal-hidden", &[("value", chrome.t(&format!("moderation-reason-{reason}")).into())]))
            }
            ("hidden", None) => { br; (chrome.t("comments-hidden")) }
            _ => {}
        }
        @if let Some(answer) = &p.answer {
            br; (chrome.lang.ta("data-proposal-answer", &[("date", local(&answer.at).into())]))
            span.data-text { " " (answer.text) }
        }
    }
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
    let export = load(&state, &viewer)?;
    let json = serde_json::to_string_pretty(&export).map_err(|e| AppError::Internal(e.to_string()))?;
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| export::record_download(tx, &actor, now_unix())).await?;
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
                li { (chrome.t("delete-erased-personal")) }
            }
            h2 { (chrome.t("delete-kept-title")) }
            ul {
                li { (chrome.t("delete-kept-contributions")) }
                li { (chrome.t("delete-kept-votes")) }
                li { (chrome.t("delete-kept-reports")) }
                li { (chrome.t("delete-kept-consultations")) }
                li { (chrome.t("delete-kept-meetings")) }
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
    let actor = Actor::person(viewer.account.id, ip);
    let keys = state.store.keys().clone();
    let outcome = state
        .store
        .write(move |tx| match erase::delete_own(tx, &keys, &actor, now_unix()) {
            Ok(_) => Ok(Ok(())),
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
        Err(e) => Err(e.into()),
    }
}
