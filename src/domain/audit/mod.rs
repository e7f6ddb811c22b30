//! The audit log: who did what, when (UTC), from where, for sign-ins, changes
//! of security settings, roles, blocks, exports and every admin action.
//!
//! An event is written in the same transaction as the change it records, so
//! the log cannot miss a change nor record one that did not happen. By
//! construction an event holds no password, token or code: it has no field
//! for one, and `detail` is composed by Parvis, never copied from a form.

pub mod tables;

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::accounts::AccountId;
use crate::store::{decode, encode, Record, StoreError};
use tables::AUDIT_EVENT_BY_ID;

/// What happened.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    SignOut,
    SignUp,
    EmailConfirmed,
    TwoFactorEnabled,
    TwoFactorDisabled,
    TwoFactorFailed,
    RecoveryCodeUsed,
    RecoveryCodesRenewed,
    PasswordChanged,
    PasswordReset,
    PasswordResetRequested,
    EmailChangeRequested,
    EmailChanged,
    SessionRevoked,
    RoleChanged,
    AccountBlocked,
    AccountUnblocked,
    StaffInvited,
    InvitationAccepted,
    DataExported,
    AccountDeleted,
    /// An admin action from the command line (`parvis admin …`).
    CommandLine,
    /// A moderator hid content (reported or not); the author is told why.
    ContentHidden,
    /// A moderator published hidden content again.
    ContentRestored,
    /// A moderator published content the held words had kept back.
    ContentApproved,
    /// A moderator kept reported content as it is and closed the reports.
    ReportsDismissed,
    /// Staff opened an idea box.
    IdeaBoxOpened,
    /// Staff answered a proposal, changed its status or recorded its follow-up.
    ProposalAnswered,
    /// A resident filed a problem report (routed to a service).
    ReportFiled,
    /// Staff changed a problem report's status (a public update).
    ReportStatusChanged,
    /// Staff marked a problem report as a duplicate of another (its
    /// followers moved to the other).
    ReportMarkedDuplicate,
    /// Staff moved a problem report to another category (and service).
    ReportReassigned,
    /// Staff assigned a problem report to a staff member (or to nobody).
    ReportAssigned,
    /// Staff added an internal note to a problem report.
    ReportNoteAdded,
    /// Staff redacted a problem report's description or update (the
    /// original is kept for staff).
    ReportRedacted,
    /// Staff created, changed, published or closed a consultation, or
    /// added, corrected, hid or moved one of its questions.
    ConsultationChanged,
    /// Staff published a closed consultation's outcome.
    ConsultationOutcomePublished,
    /// Staff added an update to a consultation's outcome.
    ConsultationOutcomeUpdated,
    /// Staff typed in a consultation answer from a paper form or an interview.
    ConsultationAnswerTyped,
    /// Staff wrote, corrected, published or withdrew a news post.
    NewsChanged,
    /// An admin saved or deleted one of the commune's pages.
    PageChanged,
    /// Staff added a code to a question's written answers, or applied one
    /// to answers or took it off them.
    ConsultationAnswersCoded,
    /// Staff created, changed, published or cancelled a meeting, or marked
    /// who came.
    MeetingChanged,
    /// An admin sent a newsletter (queued to everyone who consents).
    NewsletterSent,
    /// An account was verified as a resident's (at the counter, by a code
    /// sent by post, or against the commune's list).
    ResidentVerified,
    /// Staff revoked a resident's verification, saying why.
    VerificationRevoked,
    /// Staff printed the verification letters waiting.
    VerificationLettersPrinted,
    /// Staff imported or deleted the list residents are verified against,
    /// or it was deleted at its date.
    VerificationListChanged,
    /// Staff created, changed, published or closed a participatory budget,
    /// added or studied one of its projects, or typed a paper ballot.
    BudgetChanged,
    /// Staff set, renamed or removed a short address (`/p/<name>`).
    ShortLinkChanged,
    /// Staff changed the launch campaign: its checklist, days, targets,
    /// contest, or an idea the jury marked « primée ».
    LaunchChanged,
    /// Staff created a pilot group, invited to it, removed a member, made a
    /// process private to it, or announced or made its opening.
    GroupChanged,
    /// A resident joined a group through an invitation.
    GroupJoined,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::SignIn,
        Action::SignInFailed,
        Action::SignOut,
        Action::SignUp,
        Action::EmailConfirmed,
        Action::TwoFactorEnabled,
        Action::TwoFactorDisabled,
        Action::TwoFactorFailed,
        Action::RecoveryCodeUsed,
        Action::RecoveryCodesRenewed,
        Action::PasswordChanged,
        Action::PasswordReset,
        Action::PasswordResetRequested,
        Action::EmailChangeRequested,
        Action::EmailChanged,
        Action::SessionRevoked,
        Action::RoleChanged,
        Action::AccountBlocked,
        Action::AccountUnblocked,
        Action::StaffInvited,
        Action::InvitationAccepted,
        Action::DataExported,
        Action::AccountDeleted,
        Action::CommandLine,
        Action::ContentHidden,
        Action::ContentRestored,
        Action::ContentApproved,
        Action::ReportsDismissed,
        Action::IdeaBoxOpened,
        Action::ProposalAnswered,
        Action::ReportFiled,
        Action::ReportStatusChanged,
        Action::ReportMarkedDuplicate,
        Action::ReportReassigned,
        Action::ReportAssigned,
        Action::ReportNoteAdded,
        Action::ReportRedacted,
        Action::ConsultationChanged,
        Action::ConsultationOutcomePublished,
        Action::ConsultationOutcomeUpdated,
        Action::ConsultationAnswerTyped,
        Action::NewsChanged,
        Action::PageChanged,
        Action::ConsultationAnswersCoded,
        Action::MeetingChanged,
        Action::NewsletterSent,
        Action::ResidentVerified,
        Action::VerificationRevoked,
        Action::VerificationLettersPrinted,
        Action::VerificationListChanged,
        Action::BudgetChanged,
        Action::ShortLinkChanged,
        Action::LaunchChanged,
        Action::GroupChanged,
        Action::GroupJoined,
    ];

    /// A stable name, for filters and translation keys (`audit-action-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Action::SignIn => "sign-in",
            Action::SignInFailed => "sign-in-failed",
            Action::SignOut => "sign-out",
            Action::SignUp => "sign-up",
            Action::EmailConfirmed => "email-confirmed",
            Action::TwoFactorEnabled => "two-factor-enabled",
            Action::TwoFactorDisabled => "two-factor-disabled",
            Action::TwoFactorFailed => "two-factor-failed",
            Action::RecoveryCodeUsed => "recovery-code-used",
            Action::RecoveryCodesRenewed => "recovery-codes-renewed",
            Action::PasswordChanged => "password-changed",
            Action::PasswordReset => "password-reset",
            Action::PasswordResetRequested => "password-reset-requested",
            Action::EmailChangeRequested => "email-change-requested",
            Action::EmailChanged => "email-changed",
            Action::SessionRevoked => "session-revoked",
            Action::RoleChanged => "role-changed",
            Action::AccountBlocked => "account-blocked",
            Action::AccountUnblocked => "account-unblocked",
            Action::StaffInvited => "staff-invited",
            Action::InvitationAccepted => "invitation-accepted",
            Action::DataExported => "data-exported",
            Action::AccountDeleted => "account-deleted",
            Action::CommandLine => "command-line",
            Action::ContentHidden => "content-hidden",
            Action::ContentRestored => "content-restored",
            Action::ContentApproved => "content-approved",
            Action::ReportsDismissed => "reports-dismissed",
            Action::IdeaBoxOpened => "idea-box-opened",
            Action::ProposalAnswered => "proposal-answered",
            Action::ReportFiled => "report-filed",
            Action::ReportStatusChanged => "report-status-changed",
            Action::ReportMarkedDuplicate => "report-marked-duplicate",
            Action::ReportReassigned => "report-reassigned",
            Action::ReportAssigned => "report-assigned",
            Action::ReportNoteAdded => "report-note-added",
            Action::ReportRedacted => "report-redacted",
            Action::ConsultationChanged => "consultation-changed",
            Action::ConsultationOutcomePublished => "consultation-outcome-published",
            Action::ConsultationOutcomeUpdated => "consultation-outcome-updated",
            Action::ConsultationAnswerTyped => "consultation-answer-typed",
            Action::NewsChanged => "news-changed",
            Action::PageChanged => "page-changed",
            Action::ConsultationAnswersCoded => "consultation-answers-coded",
            Action::MeetingChanged => "meeting-changed",
            Action::NewsletterSent => "newsletter-sent",
            Action::ResidentVerified => "resident-verified",
            Action::VerificationRevoked => "verification-revoked",
            Action::VerificationLettersPrinted => "verification-letters-printed",
            Action::VerificationListChanged => "verification-list-changed",
            Action::BudgetChanged => "budget-changed",
            Action::ShortLinkChanged => "short-link-changed",
            Action::LaunchChanged => "launch-changed",
            Action::GroupChanged => "group-changed",
            Action::GroupJoined => "group-joined",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.code() == code)
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Event {
    /// Unix seconds, UTC.
    pub at: i64,
    pub action: Action,
    /// Who acted; `None` for an anonymous attempt (a failed sign-in).
    pub actor: Option<AccountId>,
    /// Whom or what it was done to (an account, an email address tried).
    pub subject: Option<AccountId>,
    /// The address the request came from ("cli" for the command line).
    pub ip: String,
    /// A short, Parvis-written detail ("role: resident → staff").
    pub detail: String,
}

impl Record for Event {
    const NAME: &'static str = "audit event";
    const VERSION: u8 = 1;
}

/// Who acted and from where, as a business operation receives it: the
/// operation records its own audit event with it, so no caller can forget the
/// event or write it apart from the change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// `None` for someone not signed in (a reset request, a sign-up) and for
    /// the command line.
    pub account: Option<AccountId>,
    /// The address the request came from; [`COMMAND_LINE`] for `parvis admin`.
    pub ip: String,
}

/// The "address" of actions taken on the server with `parvis admin …`.
pub const COMMAND_LINE: &str = "cli";

impl Actor {
    /// A signed-in person acting from a request.
    pub fn person(account: AccountId, ip: impl Into<String>) -> Actor {
        Actor { account: Some(account), ip: ip.into() }
    }

    /// Someone not signed in, known only by their address.
    pub fn anonymous(ip: impl Into<String>) -> Actor {
        Actor { account: None, ip: ip.into() }
    }

    /// Whoever runs `parvis admin …` on the server: they hold the database
    /// file itself, so no role limits them.
    pub fn command_line() -> Actor {
        Actor { account: None, ip: COMMAND_LINE.into() }
    }

    pub fn is_command_line(&self) -> bool {
        self.account.is_none() && self.ip == COMMAND_LINE
    }

    /// Records that this actor did `action` to `subject`, in the caller's transaction.
    pub fn record(
        &self,
        tx: &WriteTransaction,
        action: Action,
        subject: Option<AccountId>,
        detail: impl Into<String>,
        now: i64,
    ) -> Result<u64, StoreError> {
        record(tx, &Event { at: now, action, actor: self.account, subject, ip: self.ip.clone(), detail: detail.into() })
    }
}

/// Appends an event, in the caller's transaction.
pub fn record(tx: &WriteTransaction, event: &Event) -> Result<u64, StoreError> {
    let mut table = tx.open_table(AUDIT_EVENT_BY_ID)?;
    let next = table.last()?.map(|(k, _)| k.value() + 1).unwrap_or(1);
    table.insert(next, encode(event)?.as_slice())?;
    Ok(next)
}

/// Which events to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub action: Option<Action>,
    /// Events where this account acted or was acted upon.
    pub account: Option<AccountId>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Filter {
    fn matches(&self, e: &Event) -> bool {
        self.action.is_none_or(|a| a == e.action)
            && self.account.is_none_or(|id| e.actor == Some(id) || e.subject == Some(id))
            && self.since.is_none_or(|t| e.at >= t)
            && self.until.is_none_or(|t| e.at < t)
    }
}

/// Events matching `filter`, newest first, at most `limit`, starting below
/// the event id `before` (for pagination).
pub fn list(
    tx: &ReadTransaction,
    filter: &Filter,
    before: Option<u64>,
    limit: usize,
) -> Result<Vec<(u64, Event)>, StoreError> {
    let table = tx.open_table(AUDIT_EVENT_BY_ID)?;
    let mut out = Vec::new();
    let upper = before.unwrap_or(u64::MAX);
    for row in table.range(..upper)?.rev() {
        let (id, bytes) = row?;
        let event: Event = decode(bytes.value())?;
        if filter.since.is_some_and(|t| event.at < t.saturating_sub(60)) {
            break;
        }
        if filter.matches(&event) {
            out.push((id.value(), event));
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

/// Deletes the events older than `cutoff`; returns how many (retention).
pub fn purge_before(tx: &WriteTransaction, cutoff: i64, max: usize) -> Result<usize, StoreError> {
    let mut table = tx.open_table(AUDIT_EVENT_BY_ID)?;
    let mut old = Vec::new();
    for row in table.iter()? {
        let (id, bytes) = row?;
        if decode::<Event>(bytes.value())?.at >= cutoff || old.len() >= max {
            break;
        }
        old.push(id.value());
    }
    for id in &old {
        table.remove(id)?;
    }
    Ok(old.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn ev(at: i64, action: Action, actor: Option<u64>) -> Event {
        Event { at, action, actor: actor.map(AccountId), subject: None, ip: "192.0.2.1".into(), detail: String::new() }
    }

    #[tokio::test]
    async fn events_are_listed_newest_first_filtered_and_purged() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        store
            .write(|tx| {
                record(tx, &ev(100, Action::SignIn, Some(1)))?;
                record(tx, &ev(200, Action::SignInFailed, None))?;
                record(tx, &ev(300, Action::RoleChanged, Some(2)))?;
                record(tx, &ev(400, Action::SignIn, Some(2)))
            })
            .await
            .unwrap();
        let tx = store.read().unwrap();
        let all = list(&tx, &Filter::default(), None, 10).unwrap();
        assert_eq!(all.iter().map(|(_, e)| e.at).collect::<Vec<_>>(), vec![400, 300, 200, 100]);
        let sign_ins = list(&tx, &Filter { action: Some(Action::SignIn), ..Default::default() }, None, 10).unwrap();
        assert_eq!(sign_ins.len(), 2);
        let by_two = list(&tx, &Filter { account: Some(AccountId(2)), ..Default::default() }, None, 10).unwrap();
        assert_eq!(by_two.len(), 2);
        let page2 = list(&tx, &Filter::default(), Some(all[1].0), 10).unwrap();
        assert_eq!(page2.len(), 2);
        drop(tx);
        assert_eq!(store.write(|tx| purge_before(tx, 250, 1000)).await.unwrap(), 2);
        assert_eq!(list(&store.read().unwrap(), &Filter::default(), None, 10).unwrap().len(), 2);
        assert!(store.verify().unwrap().is_ok());
        assert_eq!(Action::from_code("role-changed"), Some(Action::RoleChanged));
    }
}
