//! A copy of everything Parvis holds on one person (GDPR articles 15 and
//! 20), gathered next to the erasure (`erase`), which removes the same data:
//! the account, its security history, the mail sent to the person, their
//! comments and proposals, the proposals they support and follow, their
//! reports, their "useful" votes, their notifications, and their answers
//! and drafts to consultations.
//!
//! The site's page and its JSON file are both built from one
//! [`PersonalData`], so they cannot differ; its serialised form is the file.
//! Each concept's data is read through that concept's own functions, in the
//! caller's one read transaction, so the copy is consistent.
//!
//! What is left out, and why:
//! - mail bodies: mail is listed by subject, date and state, never by body,
//!   since bodies hold single-use links that may still work;
//! - the address (IP) of a member of the town hall's team who acted on the
//!   person (a moderator hiding their comment, an admin blocking them): it is
//!   the team member's personal data, not the person's; the log keeps it for
//!   the town hall. The person's own addresses, and those of anonymous
//!   attempts on their account (a failed sign-in), stay: they are how the
//!   person recognises a sign-in that was not theirs;
//! - a held or hidden proposal's title when it is only named (supported,
//!   followed, reported): it is not the person's own words.

use redb::{ReadTransaction, WriteTransaction};
use serde::Serialize;

use super::{Account, AccountId};
use crate::domain::audit::{self, Action, Actor, Filter};
use crate::domain::changes::{ContentKind, Target};
use crate::domain::comments::{self, CommentId};
use crate::domain::ids::ProposalId;
use crate::domain::notifications::{self, Event};
use crate::domain::{consultations, moderation, proposals, sessions, two_factor};
use crate::mail::outbox;
use crate::store::{ReadTx, StoreError};

/// What the copy needs from outside the database.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Unix seconds: the copy's date, and the clock that tells open sessions.
    pub now: i64,
    pub sessions: sessions::Lifetime,
    /// The commune's name, which the mail subjects carry.
    pub commune: &'a str,
    /// The keys that open the mail sent to the person.
    pub keys: &'a crate::crypto::Keys,
    /// The page of a piece of content on the site (a path). The web layer
    /// knows its addresses; the copy only repeats them.
    pub address: fn(Target) -> String,
}

/// Everything Parvis holds on one person. Times are UTC, RFC 3339.
///
/// The keys are the file's format, read by people and by tools: they are in
/// English and stable (new data comes under new keys).
#[derive(Serialize, Debug)]
pub struct PersonalData {
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
    /// The problem reports the person filed (a street light out, a
    /// pothole), newest first.
    pub problem_reports: Vec<ProblemReportData>,
    /// The problem reports the person follows, newest report first.
    pub problem_report_follows: Vec<crate::domain::ids::ReportId>,
    /// The problem reports the person said "me too" on, most recent first.
    pub problem_report_supports: Vec<ProblemReportSupportData>,
    /// The comments the person marked "useful", most recent vote first.
    pub useful_votes: Vec<UsefulVoteData>,
    /// The person's notifications on the site, newest first (the copies sent
    /// by email are under `mail`).
    pub notifications: Vec<NotificationData>,
    /// The consultations the person answered, began to answer (a draft
    /// kept between pages) or follows, newest consultation first.
    pub consultations: Vec<ConsultationData>,
    /// The person's registrations to meetings and workshops, in the order
    /// the meetings take place.
    pub meeting_registrations: Vec<MeetingRegistrationData>,
    /// Each time the person agreed to receive the newsletter, and withdrew,
    /// oldest first: the proof of consent the town hall keeps.
    pub newsletter_consent: Vec<NewsletterConsentData>,
    /// How and when the town hall verified the account as a resident's.
    pub verification: Option<VerificationData>,
    /// A letter with a verification code asked for and not used yet.
    pub verification_letter: Option<VerificationLetterData>,
}

#[derive(Serialize, Debug)]
pub struct NewsletterConsentData {
    pub given_at: String,
    /// "sign-up", "account" or "link".
    pub given_via: String,
    pub withdrawn_at: Option<String>,
    pub withdrawn_via: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct VerificationData {
    /// "counter", "post" or "list".
    pub method: String,
    /// At the counter: the kind of document checked (never its number).
    pub document: Option<String>,
    /// `YYYY-MM-DD`, kept encrypted, for minimum ages.
    pub birth_date: Option<String>,
    pub verified_at: String,
}

#[derive(Serialize, Debug)]
pub struct VerificationLetterData {
    pub requested_at: String,
    /// Whether the address is still kept (until the letter is printed).
    pub address_kept: bool,
    pub printed_at: Option<String>,
    pub code_expires_at: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct MeetingRegistrationData {
    /// Kind "meeting".
    pub meeting: TargetData,
    /// The code given at registration.
    pub code: String,
    pub registered_at: String,
    /// "seated", "waiting" or "cancelled".
    pub spot: String,
    /// Whether staff marked them as having come.
    pub attended: bool,
}

#[derive(Serialize, Debug)]
pub struct ConsultationData {
    /// Kind "consultation".
    pub consultation: TargetData,
    /// The answer sent, if any.
    pub answer: Option<ConsultationAnswerData>,
    /// What was typed and not sent yet, if anything.
    pub draft: Option<ConsultationDraftData>,
    /// Whether the person follows it (mailed its outcome and updates).
    pub following: bool,
    /// Whether the person asked, when answering, to be mailed the results.
    pub asked_for_results: bool,
}

#[derive(Serialize, Debug)]
pub struct ConsultationAnswerData {
    /// The reference shown on the confirmation page.
    pub receipt: String,
    pub at: String,
    pub answers: Vec<QuestionAnswerData>,
}

#[derive(Serialize, Debug)]
pub struct ConsultationDraftData {
    pub saved_at: String,
    pub answers: Vec<QuestionAnswerData>,
}

/// A question and what the person answered, in words (an option's label).
#[derive(Serialize, Debug)]
pub struct QuestionAnswerData {
    pub question: String,
    pub answer: Vec<String>,
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
    pub by: By,
    /// The address the request came from ("cli" for the command line), when
    /// the person acted or nobody signed in did; empty when the town hall
    /// acted (see the module comment).
    pub ip: String,
    pub detail: String,
}

/// Who acted, as the file says it.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    /// The person.
    You,
    /// A member of the town hall's team (a moderator, staff, an admin).
    TownHall,
    /// Nobody signed in: an attempt without an account, the command line.
    Unknown,
}

impl By {
    /// As in the file; for translation keys (`data-by-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            By::You => "you",
            By::TownHall => "town-hall",
            By::Unknown => "unknown",
        }
    }
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
pub struct ProblemReportData {
    pub id: crate::domain::ids::ReportId,
    /// The category's code in the commune's configuration.
    pub category: String,
    pub latitude: f64,
    pub longitude: f64,
    pub address: Option<String>,
    pub neighbourhood: Option<String>,
    pub description: String,
    /// How many photos it shows (the files are re-encoded, without metadata).
    pub photos: usize,
    /// Whether the person's name is shown on it.
    pub show_name: bool,
    /// The status's code in the commune's configuration.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, Debug)]
pub struct ProblemReportSupportData {
    pub report: crate::domain::ids::ReportId,
    pub at: String,
}

#[derive(Serialize, Debug)]
pub struct ReportData {
    pub id: moderation::FlagId,
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
    /// "threshold-reached", "status-changed", "answered", "report-updated",
    /// "consultation-outcome", "consultation-update", "meeting-changed",
    /// "meeting-cancelled", "area-report" (a followed neighbourhood's or
    /// category's report) or "meeting-minutes".
    pub kind: String,
    /// The proposal it is about, and its title when the notification was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal_id: Option<proposals::ProposalId>,
    /// The problem report it is about (its title is then its category).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_id: Option<crate::domain::ids::ReportId>,
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

/// Everything Parvis holds on account `id`, read in the caller's one
/// transaction; `None` for no such account, or the tombstone of an erased
/// one (nothing of the person is left in it to give).
pub fn of(tx: &ReadTx, id: AccountId, cx: &Context) -> Result<Option<PersonalData>, StoreError> {
    let found = super::get(tx, id).map_err(|e| match e {
        super::AccountError::Store(e) => e,
        other => StoreError::Internal(other.to_string()),
    })?;
    let Some(a) = found.filter(|a| !a.is_erased()) else {
        return Ok(None);
    };
    let (verification, letter) = crate::domain::verification::of_account(tx, id)?;
    Ok(Some(PersonalData {
        generated_at: rfc3339(cx.now),
        two_factor: TwoFactorData {
            enabled: two_factor::is_enabled(tx, id)?,
            recovery_codes_left: two_factor::recovery_codes_left(tx, id)?,
        },
        sessions: sessions_of(tx, id, cx)?,
        events: events_of(tx, id)?,
        mail: mail_to(tx, &a.email, cx)?,
        comments: comments::of_author(tx, id, usize::MAX)?
            .into_iter()
            .map(|c| comment_data(tx, c, cx))
            .collect::<Result<_, _>>()?,
        proposals: proposals::of_author(tx, id)?
            .into_iter()
            .map(|p| proposal_data(tx, p, cx))
            .collect::<Result<_, _>>()?,
        supports: proposals::supports_of(tx, id)?
            .into_iter()
            .map(|(proposal, at)| {
                let proposal = target_data(tx, Target::new(ContentKind::Proposal, proposal.get()), cx)?;
                Ok::<_, StoreError>(SupportData { proposal, at: rfc3339(at) })
            })
            .collect::<Result<_, _>>()?,
        follows: proposals::followed_by(tx, id)?
            .into_iter()
            .map(|proposal| target_data(tx, Target::new(ContentKind::Proposal, proposal.get()), cx))
            .collect::<Result<_, _>>()?,
        reports: moderation::reports_by(tx, id)?
            .into_iter()
            .map(|r| {
                Ok::<_, StoreError>(ReportData {
                    id: r.id,
                    target: target_data(tx, r.target, cx)?,
                    reason: r.reason.code().to_string(),
                    text: r.text,
                    at: rfc3339(r.at),
                    state: if r.open { "open" } else { "closed" }.to_string(),
                })
            })
            .collect::<Result<_, _>>()?,
        problem_reports: crate::domain::reports::of_author(tx, id)?
            .into_iter()
            .map(|r| {
                let (latitude, longitude) = r.position();
                ProblemReportData {
                    id: r.id,
                    category: r.category,
                    latitude,
                    longitude,
                    address: r.address,
                    neighbourhood: r.neighbourhood,
                    description: r.description,
                    photos: r.photos.len(),
                    show_name: r.show_name,
                    status: r.status,
                    created_at: rfc3339(r.created_at),
                    updated_at: rfc3339(r.updated_at),
                }
            })
            .collect(),
        problem_report_follows: crate::domain::reports::followed_by(tx, id)?,
        problem_report_supports: crate::domain::reports::supports_of(tx, id)?
            .into_iter()
            .map(|(report, at)| ProblemReportSupportData { report, at: rfc3339(at) })
            .collect(),
        useful_votes: comments::useful_votes_of(tx, id)?
            .into_iter()
            .map(|(comment, at)| {
                let comment = target_data(tx, Target::new(ContentKind::Comment, comment.get()), cx)?;
                Ok::<_, StoreError>(UsefulVoteData { comment, at: rfc3339(at) })
            })
            .collect::<Result<_, _>>()?,
        notifications: notifications::recent(tx, id, usize::MAX)?
            .into_iter()
            .map(|(_, n)| notification_data(n))
            .collect(),
        consultations: consultations::of_account(tx, id)?.into_iter().map(|t| consultation_data(t, cx)).collect(),
        meeting_registrations: crate::domain::meetings::of_account(tx, id)?
            .into_iter()
            .map(|t| MeetingRegistrationData {
                meeting: TargetData {
                    kind: ContentKind::Meeting.code().to_string(),
                    id: t.meeting.id.get(),
                    title: Some(t.meeting.title.clone()),
                    url: (cx.address)(t.meeting.target()),
                },
                code: t.registration.code,
                registered_at: rfc3339(t.registration.at),
                spot: t.registration.spot.code().to_string(),
                attended: t.registration.attended,
            })
            .collect(),
        newsletter_consent: crate::domain::newsletters::consent::log(tx, id)?
            .periods
            .into_iter()
            .map(|p| NewsletterConsentData {
                given_at: rfc3339(p.given_at),
                given_via: p.given_via.code().to_string(),
                withdrawn_at: p.withdrawn_at.map(rfc3339),
                withdrawn_via: p.withdrawn_via.map(|v| v.code().to_string()),
            })
            .collect(),
        verification: verification.map(|v| VerificationData {
            method: v.method.code().to_string(),
            document: v.document.map(|d| d.code().to_string()),
            birth_date: v.birth_date.map(|d| d.to_string()),
            verified_at: rfc3339(v.verified_at),
        }),
        verification_letter: letter.map(|l| VerificationLetterData {
            requested_at: rfc3339(l.requested_at),
            address_kept: l.address.is_some(),
            printed_at: l.printed_at.map(rfc3339),
            code_expires_at: l.expires_at.map(rfc3339),
        }),
        account: account_data(a),
    }))
}

/// One consultation's answer and draft, each question named by its words.
fn consultation_data(t: consultations::Theirs, cx: &Context) -> ConsultationData {
    let c = &t.consultation;
    let answer = t.answer.map(|a| ConsultationAnswerData {
        receipt: a.receipt,
        at: rfc3339(a.at),
        answers: c
            .questions
            .iter()
            .filter_map(|q| {
                let v = a.values.get(&q.id)?;
                Some(QuestionAnswerData { question: q.label.clone(), answer: consultations::answer_words(q, v) })
            })
            .collect(),
    });
    let draft = t.draft.map(|d| ConsultationDraftData {
        saved_at: rfc3339(d.at),
        answers: c
            .questions
            .iter()
            .filter_map(|q| {
                let words = consultations::draft_words(q, d.fields.get(&q.id)?);
                (!words.is_empty()).then(|| QuestionAnswerData { question: q.label.clone(), answer: words })
            })
            .collect(),
    });
    let consultation = TargetData {
        kind: ContentKind::Consultation.code().to_string(),
        id: c.id.get(),
        title: Some(c.title.clone()),
        url: (cx.address)(c.target()),
    };
    ConsultationData {
        consultation,
        answer,
        draft,
        following: t.told & consultations::FOLLOWS != 0,
        asked_for_results: t.told & consultations::ASKED != 0,
    }
}

fn account_data(a: Account) -> AccountData {
    AccountData {
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
    }
}

/// The sessions still open at `cx.now`.
fn sessions_of(tx: &ReadTransaction, id: AccountId, cx: &Context) -> Result<Vec<SessionData>, StoreError> {
    Ok(sessions::list(tx, id, cx.sessions, cx.now)?
        .into_iter()
        .map(|(_, s)| SessionData {
            device: s.device,
            ip: s.ip,
            signed_in_at: rfc3339(s.created_at),
            last_seen_at: rfc3339(s.last_seen_at),
        })
        .collect())
}

/// The security log's events where the person acted or was acted upon,
/// without the address of a team member who acted (see the module comment).
fn events_of(tx: &ReadTransaction, id: AccountId) -> Result<Vec<EventData>, StoreError> {
    let filter = Filter { account: Some(id), ..Filter::default() };
    Ok(audit::list(tx, &filter, None, usize::MAX)?
        .into_iter()
        .map(|(_, e)| {
            let by = match e.actor {
                Some(actor) if actor == id => By::You,
                Some(_) => By::TownHall,
                None => By::Unknown,
            };
            EventData {
                at: rfc3339(e.at),
                action: e.action.code().to_string(),
                by,
                ip: if by == By::TownHall { String::new() } else { e.ip },
                detail: e.detail,
            }
        })
        .collect())
}

/// The mail sent, or waiting to be sent, to `address`.
fn mail_to(tx: &ReadTransaction, address: &str, cx: &Context) -> Result<Vec<MailData>, StoreError> {
    // The outbox has no index by recipient: it is read whole, which is fine
    // since it keeps finished messages for 30 days only.
    Ok(outbox::recent(tx, cx.keys, usize::MAX, cx.commune)?
        .into_iter()
        .filter(|m| m.to.eq_ignore_ascii_case(address))
        .map(|m| MailData { at: rfc3339(m.created_at), subject: m.subject, state: m.state.as_str().to_string() })
        .collect())
}

/// A moderation state's reason code, when the content is hidden.
fn hidden_reason(state: Option<moderation::State>) -> Option<String> {
    state.filter(|s| s.status == moderation::Status::Hidden).and_then(|s| s.reason).map(|r| r.code().to_string())
}

fn comment_data(tx: &ReadTransaction, c: comments::Comment, cx: &Context) -> Result<CommentData, StoreError> {
    let state = moderation::state(tx, c.target_of_self())?;
    let status = state.as_ref().map(|s| s.status).unwrap_or(moderation::Status::Published);
    Ok(CommentData {
        id: c.id,
        target: target_data(tx, c.target, cx)?,
        url: (cx.address)(c.target_of_self()),
        in_reply_to: c.in_reply_to,
        body: c.body,
        stance: c.stance.map(|s| s.code().to_string()),
        created_at: rfc3339(c.created_at),
        edited_at: c.edited_at.map(rfc3339),
        deleted_at: c.deleted_at.map(rfc3339),
        moderation: status.code().to_string(),
        hidden_reason: hidden_reason(state),
    })
}

/// A piece of content named in the copy: its title while everyone may read
/// it (a proposal's; a held or hidden one's is not repeated) and its address.
fn target_data(tx: &ReadTransaction, target: Target, cx: &Context) -> Result<TargetData, StoreError> {
    let title = match target.kind {
        ContentKind::Proposal if moderation::is_public(tx, target)? => {
            proposals::get(tx, ProposalId(target.id))?.map(|p| p.title)
        }
        _ => None,
    };
    Ok(TargetData { kind: target.kind.code().to_string(), id: target.id, title, url: (cx.address)(target) })
}

fn proposal_data(tx: &ReadTransaction, p: proposals::Proposal, cx: &Context) -> Result<ProposalData, StoreError> {
    let state = moderation::state(tx, p.target())?;
    let status = state.as_ref().map(|s| s.status).unwrap_or(moderation::Status::Published);
    // A proposal keeps its own "held" flag besides the moderation state.
    let moderation = if p.held && status == moderation::Status::Published { moderation::Status::Held } else { status };
    let idea_box =
        IdeaBoxData { id: p.box_id, title: proposals::get_box(tx, p.box_id)?.map(|b| b.title).unwrap_or_default() };
    Ok(ProposalData {
        id: p.id,
        url: (cx.address)(p.target()),
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
        hidden_reason: hidden_reason(state),
        has_photo: p.photo.is_some(),
        photo_description: p.photo.map(|photo| photo.alt),
    })
}

fn notification_data(n: notifications::Notification) -> NotificationData {
    let (kind, proposal_id, report_id, title, status) = match &n.event {
        Event::ThresholdReached { proposal, title } => ("threshold-reached", Some(*proposal), None, title, None),
        Event::StatusChanged { proposal, title, status } => {
            ("status-changed", Some(*proposal), None, title, Some(status))
        }
        Event::Answered { proposal, title } => ("answered", Some(*proposal), None, title, None),
        Event::ReportUpdated { report, category, status, .. } => {
            ("report-updated", None, Some(*report), category, status.as_ref())
        }
        Event::ConsultationOutcome { title, update: false, .. } => ("consultation-outcome", None, None, title, None),
        Event::ConsultationOutcome { title, update: true, .. } => ("consultation-update", None, None, title, None),
        Event::MeetingChanged { title, cancelled: false, .. } => ("meeting-changed", None, None, title, None),
        Event::MeetingChanged { title, cancelled: true, .. } => ("meeting-cancelled", None, None, title, None),
        Event::AreaReport { report, category, status, .. } => {
            ("area-report", None, Some(*report), category, status.as_ref())
        }
        Event::MinutesPublished { title, .. } => ("meeting-minutes", None, None, title, None),
    };
    NotificationData {
        at: rfc3339(n.at),
        kind: kind.to_string(),
        proposal_id: proposal_id.map(ProposalId),
        report_id: report_id.map(crate::domain::ids::ReportId),
        title: title.clone(),
        status: status.cloned(),
        url: n.event.path(),
        read: n.read,
        event: n.event,
    }
}

/// Records that the person downloaded their data (the town hall can show
/// when a person received a copy of it).
pub fn record_download(tx: &WriteTransaction, actor: &Actor, now: i64) -> Result<(), StoreError> {
    actor.record(tx, Action::DataExported, actor.account, "json", now).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::{self, erase};
    use crate::domain::audit::{Action, Event as AuditEvent};
    use crate::store::Store;

    use crate::domain::accounts::tests::new;

    fn cx() -> Context<'static> {
        fn address(target: Target) -> String {
            format!("/{}/{}", target.kind.code(), target.id)
        }
        Context {
            now: 1_000,
            sessions: sessions::Lifetime { idle_secs: 1 << 40, absolute_secs: 1 << 40 },
            commune: "Testville",
            // Leaked once per test: a test's context lives as long as the test.
            keys: Box::leak(Box::new(crate::crypto::Keys::for_tests())),
            address,
        }
    }

    fn event(action: Action, actor: Option<AccountId>, subject: AccountId, ip: &str) -> AuditEvent {
        AuditEvent { at: 10, action, actor, subject: Some(subject), ip: ip.into(), detail: String::new() }
    }

    #[tokio::test]
    async fn the_security_history_leaves_out_the_address_of_the_team_member_who_acted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (camille, moderator, other) = store
            .write(|tx| {
                let camille = accounts::create(tx, &new("camille@x.fr"))?;
                let moderator = accounts::create(tx, &new("moderation@x.fr"))?;
                let other = accounts::create(tx, &new("other@x.fr"))?;
                audit::record(tx, &event(Action::SignIn, Some(camille), camille, "198.51.100.23"))?;
                audit::record(tx, &event(Action::SignInFailed, None, camille, "192.0.2.9"))?;
                audit::record(tx, &event(Action::ContentHidden, Some(moderator), camille, "203.0.113.77"))?;
                audit::record(tx, &event(Action::SignIn, Some(other), other, "192.0.2.50"))?;
                Ok::<_, accounts::AccountError>((camille, moderator, other))
            })
            .await
            .unwrap();
        let tx = store.read().unwrap();
        let data = of(&tx, camille, &cx()).unwrap().unwrap();
        let seen: Vec<(&str, By, &str)> =
            data.events.iter().map(|e| (e.action.as_str(), e.by, e.ip.as_str())).collect();
        assert_eq!(
            seen,
            [
                ("content-hidden", By::TownHall, ""),
                ("sign-in-failed", By::Unknown, "192.0.2.9"),
                ("sign-in", By::You, "198.51.100.23"),
            ],
            "newest first, nobody else's"
        );
        let json = serde_json::to_value(&data).unwrap();
        assert_eq!(json["events"][0]["by"], "town-hall", "the file's words");
        assert_eq!(json["events"][0]["ip"], "", "the same keys, the address left out");

        // The moderator's own copy keeps their address: there they acted.
        let theirs = of(&tx, moderator, &cx()).unwrap().unwrap();
        assert_eq!(theirs.events.len(), 1);
        assert_eq!((theirs.events[0].by, theirs.events[0].ip.as_str()), (By::You, "203.0.113.77"));
        assert_eq!(of(&tx, other, &cx()).unwrap().unwrap().events.len(), 1);
    }

    #[tokio::test]
    async fn nothing_for_a_missing_or_erased_account() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let camille = store.write(|tx| accounts::create(tx, &new("camille@x.fr"))).await.unwrap();
        let data = of(&store.read().unwrap(), camille, &cx()).unwrap().unwrap();
        assert_eq!((data.account.email.as_str(), data.generated_at.as_str()), ("camille@x.fr", "1970-01-01T00:16:40Z"));
        store.write(move |tx| erase::erase(tx, &crate::crypto::Keys::for_tests(), camille, 500)).await.unwrap();
        assert!(of(&store.read().unwrap(), camille, &cx()).unwrap().is_none(), "a tombstone has nothing to give");
        assert!(of(&store.read().unwrap(), AccountId(camille.get() + 100), &cx()).unwrap().is_none());
    }
}
