//! The person's own data (GDPR articles 15, 17 and 20): `/compte/mes-donnees`
//! shows everything Parvis holds on them, `/compte/mes-donnees.json` gives
//! the same as a file, and `/compte/supprimer` erases the account. The file
//! holds the account, its security history, the mail sent to the person,
//! their comments and proposals, the proposals they support and follow,
//! their reports, their "useful" votes and their notifications.
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
use crate::app::AppState;
use crate::domain::accounts::erase::{self, EraseError};
use crate::domain::accounts::AccountId;
use crate::domain::audit::{self, Action, Filter};
use crate::domain::changes::{ContentKind, Target};
use crate::domain::comments::{self, CommentId};
use crate::domain::notifications::{self, Event};
use crate::domain::{moderation, now_unix, proposals, sessions, two_factor};
use crate::mail::outbox;
use crate::web::auth::{add_cookie, clear_session_cookie, ClientIp, SignedIn, Viewer};
use crate::web::chrome::{Chrome, Flash};
use crate::web::comments::target_url;
use crate::web::components::{checkbox, csrf_field, facts, table_head, FormErrors};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

/// Everything Parvis holds on one person. Times are UTC, RFC 3339.
///
/// The keys are the file's format, read by people and by tools: they are in
/// English and stable (new data comes under new keys).
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
    /// The person's proposals, newest first, held and hidden ones included.
    pub proposals: Vec<ProposalData>,
    /// The proposals the person supports, most recent support first.
    pub supports: Vec<SupportData>,
    /// The proposals the person follows (their own ones are followed from the
    /// start), newest proposal first. Kind "proposal" each.
    pub follows: Vec<TargetData>,
    /// The reports ("signalements") the person filed, newest first.
    pub reports: Vec<ReportData>,
    /// The comments the person marked "useful", most recent vote first.
    pub useful_votes: Vec<UsefulVoteData>,
    /// The person's notifications on the site, newest first (the copies sent
    /// by email are under `mail`).
    pub notifications: Vec<NotificationData>,
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

#[derive(Serialize, Debug)]
pub struct ProposalData {
    pub id: proposals::ProposalId,
    /// The proposal's page on the site (a path).
    pub url: String,
    pub idea_box: IdeaBoxData,
    pub title: String,
    /// The text as written (Markdown).
    pub body: String,
    pub category: Option<String>,
    pub neighbourhood: Option<String>,
    /// The place it is about, if one was given.
    pub place: Option<PlaceData>,
    /// The town hall's answer: "submitted", "under-study", "accepted",
    /// "rejected", "in-progress" or "done".
    pub status: String,
    /// The town hall's public answer, once written.
    pub answer: Option<AnswerData>,
    /// How many people support it.
    pub supports: u64,
    pub created_at: String,
    pub updated_at: String,
    /// "published", "held" (waiting for a moderator: only its author and the
    /// moderators see it) or "hidden" (by a moderator).
    pub moderation: String,
    /// Why a moderator hid it (a reason code), when hidden.
    pub hidden_reason: Option<String>,
    /// Whether a photo goes with it (the file itself is on the proposal's page).
    pub has_photo: bool,
    /// The description written for the photo, when there is a photo.
    pub photo_description: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct IdeaBoxData {
    pub id: proposals::BoxId,
    pub title: String,
}

/// Decimal degrees (WGS 84).
#[derive(Serialize, Debug)]
pub struct PlaceData {
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Serialize, Debug)]
pub struct AnswerData {
    /// Markdown.
    pub text: String,
    pub at: String,
}

#[derive(Serialize, Debug)]
pub struct SupportData {
    /// Kind "proposal".
    pub proposal: TargetData,
    pub at: String,
}

#[derive(Serialize, Debug)]
pub struct ReportData {
    pub id: moderation::ReportId,
    /// What was reported.
    pub target: TargetData,
    /// "spam", "abuse", "off-topic", "personal-data", "illegal" or "other".
    pub reason: String,
    /// What the person added (may be empty).
    pub text: String,
    pub at: String,
    /// "open" (waiting for a moderator) or "closed" (a moderator decided on
    /// the content, or its author withdrew it: which one is not recorded per
    /// report).
    pub state: String,
}

#[derive(Serialize, Debug)]
pub struct UsefulVoteData {
    /// Kind "comment"; its text is its author's, so only its address is given.
    pub comment: TargetData,
    pub at: String,
}

#[derive(Serialize, Debug)]
pub struct NotificationData {
    pub at: String,
    /// "threshold-reached", "status-changed" or "answered".
    pub kind: String,
    /// The proposal it is about, and its title when the notification was made.
    pub proposal_id: proposals::ProposalId,
    pub title: String,
    /// The new status, for "status-changed" (codes as in `proposals`).
    pub status: Option<String>,
    /// Where it leads on the site (a path).
    pub url: String,
    /// Whether the person has marked it read.
    pub read: bool,
    /// The event itself, for the page's wording (the file has it in the fields above).
    #[serde(skip)]
    pub event: Event,
}

/// What a comment, a report or a vote is about.
#[derive(Serialize, Debug)]
pub struct TargetData {
    /// "proposal", "comment", "consultation", "report", "meeting"…
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
    let proposals = proposals::of_author(&tx, a.id)?
        .into_iter()
        .map(|p| proposal_data(&tx, p))
        .collect::<Result<Vec<_>, AppError>>()?;
    let supports = proposals::supports_of(&tx, a.id)?
        .into_iter()
        .map(|(id, at)| {
            let proposal = target_data(&tx, Target::new(ContentKind::Proposal, id))?;
            Ok(SupportData { proposal, at: rfc3339(at) })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let follows = proposals::followed_by(&tx, a.id)?
        .into_iter()
        .map(|id| target_data(&tx, Target::new(ContentKind::Proposal, id)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let reports = moderation::reports_by(&tx, a.id)?
        .into_iter()
        .map(|r| {
            Ok(ReportData {
                id: r.id,
                target: target_data(&tx, r.target)?,
                reason: r.reason.code().to_string(),
                text: r.text,
                at: rfc3339(r.at),
                state: if r.open { "open" } else { "closed" }.to_string(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let useful_votes = comments::useful_votes_of(&tx, a.id)?
        .into_iter()
        .map(|(id, at)| {
            Ok(UsefulVoteData { comment: target_data(&tx, Target::new(ContentKind::Comment, id))?, at: rfc3339(at) })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let notifications =
        notifications::recent(&tx, a.id, usize::MAX)?.into_iter().map(|(_, n)| notification_data(n)).collect();
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
            language: a.language.code().to_string(),
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
        proposals,
        supports,
        follows,
        reports,
        useful_votes,
        notifications,
    })
}

fn comment_data(tx: &crate::store::ReadTx, c: comments::Comment) -> Result<CommentData, AppError> {
    let state = moderation::state(tx, c.target_of_self())?;
    let status = state.as_ref().map(|s| s.status).unwrap_or(moderation::Status::Published);
    Ok(CommentData {
        id: c.id,
        target: target_data(tx, c.target)?,
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

/// A piece of content named in the export: its title while everyone may read
/// it (a proposal's; a held or hidden one's is not repeated) and its address.
fn target_data(tx: &crate::store::ReadTx, target: Target) -> Result<TargetData, AppError> {
    let title = match target.kind {
        ContentKind::Proposal if moderation::is_public(tx, target)? => proposals::get(tx, target.id)?.map(|p| p.title),
        _ => None,
    };
    Ok(TargetData { kind: target.kind.code().to_string(), id: target.id, title, url: target_url(target) })
}

fn proposal_data(tx: &crate::store::ReadTx, p: proposals::Proposal) -> Result<ProposalData, AppError> {
    let state = moderation::state(tx, p.target())?;
    let status = state.as_ref().map(|s| s.status).unwrap_or(moderation::Status::Published);
    // A proposal keeps its own "held" flag besides the moderation state.
    let moderation = if p.held && status == moderation::Status::Published { moderation::Status::Held } else { status };
    let idea_box =
        IdeaBoxData { id: p.box_id, title: proposals::get_box(tx, p.box_id)?.map(|b| b.title).unwrap_or_default() };
    Ok(ProposalData {
        id: p.id,
        url: target_url(p.target()),
        idea_box,
        title: p.title,
        body: p.body,
        category: p.category,
        neighbourhood: p.neighbourhood,
        place: p.location.map(|(latitude, longitude)| PlaceData { latitude, longitude }),
        status: p.status.code().to_string(),
        answer: p.answer.map(|a| AnswerData { text: a.text, at: rfc3339(a.at) }),
        supports: p.supports,
        created_at: rfc3339(p.created_at),
        updated_at: rfc3339(p.updated_at),
        moderation: moderation.code().to_string(),
        hidden_reason: state
            .filter(|s| s.status == moderation::Status::Hidden)
            .and_then(|s| s.reason)
            .map(|r| r.code().to_string()),
        has_photo: p.photo.is_some(),
        photo_description: p.photo.map(|photo| photo.alt),
    })
}

fn notification_data(n: notifications::Notification) -> NotificationData {
    let (kind, proposal_id, title, status) = match &n.event {
        Event::ThresholdReached { proposal, title } => ("threshold-reached", *proposal, title, None),
        Event::StatusChanged { proposal, title, status } => ("status-changed", *proposal, title, Some(status)),
        Event::Answered { proposal, title } => ("answered", *proposal, title, None),
    };
    NotificationData {
        at: rfc3339(n.at),
        kind: kind.to_string(),
        proposal_id,
        title: title.clone(),
        status: status.cloned(),
        url: n.event.path(),
        read: n.read,
        event: n.event,
    }
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
                (&chrome.t("admin-language"), Some(crate::i18n::Lang::from_code(&a.language).unwrap_or_default().native_name())),
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
                (table_head(&chrome, &["sessions-device", "sessions-ip", "sessions-started", "sessions-last-seen"]))
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
                    (table_head(&chrome, &["admin-journal-when", "admin-journal-action", "admin-journal-actor", "sessions-ip", "admin-journal-detail"]))
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
                    (table_head(&chrome, &["admin-journal-when", "data-mail-subject", "admin-status"]))
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
                    (table_head(&chrome, &["admin-journal-when", "data-comments-on", "data-comments-text", "data-comments-stance", "admin-status"]))
                    tbody {
                        @for c in &x.comments {
                            tr {
                                td { a href=(c.url) { (local(&c.created_at)) } }
                                td { (target_link(&chrome, &c.target)) }
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
            h2 { (chrome.t("data-proposals")) }
            @if x.proposals.is_empty() {
                p { (chrome.t("data-proposals-none")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("data-proposals")) }
                    (table_head(&chrome, &["admin-journal-when", "data-proposal", "data-comments-text", "admin-status"]))
                    tbody {
                        @for p in &x.proposals {
                            tr {
                                td {
                                    a href=(p.url) { (local(&p.created_at)) }
                                    @if p.updated_at != p.created_at {
                                        br; (chrome.lang.ta("data-proposal-updated", &[("date", local(&p.updated_at).into())]))
                                    }
                                }
                                td { (proposal_details(&chrome, p)) }
                                td.data-text { (p.body) }
                                td { (proposal_state(&chrome, p)) }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("data-supports")) }
            @if x.supports.is_empty() {
                p { (chrome.t("data-supports-none")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("data-supports")) }
                    (table_head(&chrome, &["admin-journal-when", "data-proposal"]))
                    tbody {
                        @for s in &x.supports {
                            tr { td { (local(&s.at)) } td { (target_link(&chrome, &s.proposal)) } }
                        }
                    }
                }
            }
            h2 { (chrome.t("data-follows")) }
            p { (chrome.t("data-follows-lead")) }
            @if x.follows.is_empty() {
                p { (chrome.t("data-follows-none")) }
            } @else {
                // One value each: a list reads better than a one-column table.
                ul {
                    @for f in &x.follows { li { (target_link(&chrome, f)) } }
                }
            }
            h2 { (chrome.t("data-reports")) }
            @if x.reports.is_empty() {
                p { (chrome.t("data-reports-none")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("data-reports")) }
                    (table_head(&chrome, &["admin-journal-when", "data-reports-content", "data-reports-reason", "admin-status"]))
                    tbody {
                        @for r in &x.reports {
                            tr {
                                td { (local(&r.at)) }
                                td { (target_link(&chrome, &r.target)) }
                                // What the person added goes with the reason: one column
                                // less on a phone, where this table is the widest.
                                td {
                                    (chrome.t(&format!("moderation-reason-{}", r.reason)))
                                    @if !r.text.is_empty() { br; span.data-text { (r.text) } }
                                }
                                td { (chrome.t(&format!("data-reports-{}", r.state))) }
                            }
                        }
                    }
                }
            }
            h2 { (chrome.t("data-useful")) }
            @if x.useful_votes.is_empty() {
                p { (chrome.t("data-useful-none")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("data-useful")) }
                    (table_head(&chrome, &["admin-journal-when", "data-useful-comment"]))
                    tbody {
                        @for v in &x.useful_votes {
                            tr { td { (local(&v.at)) } td { (target_link(&chrome, &v.comment)) } }
                        }
                    }
                }
            }
            h2 { (chrome.t("data-notifications")) }
            @if x.notifications.is_empty() {
                p { (chrome.t("data-notifications-none")) }
            } @else {
                table {
                    caption.visually-hidden { (chrome.t("data-notifications")) }
                    (table_head(&chrome, &["admin-journal-when", "data-notifications-what", "data-notifications-read"]))
                    tbody {
                        @for n in &x.notifications {
                            tr {
                                td { (local(&n.at)) }
                                td { a href=(n.url) { (n.event.render(chrome.lang).0) } }
                                td { (yn(n.read)) }
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
                li { (chrome.t("delete-erased-personal")) }
            }
            h2 { (chrome.t("delete-kept-title")) }
            ul {
                li { (chrome.t("delete-kept-contributions")) }
                li { (chrome.t("delete-kept-votes")) }
                li { (chrome.t("delete-kept-reports")) }
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
        Err(e) => Err(e.into()),
    }
}
