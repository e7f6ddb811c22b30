//! One error type for handlers, turned into a status and a translated page in
//! one place ([`crate::web::middleware::errors`]). The person sees a message
//! and a request id; the log gets the detail.
//!
//! Every domain error becomes an [`AppError`] through an exhaustive `match`
//! (no catch-all): a refusal (not found, closed, not allowed, already done)
//! is a 4xx page that says what to do; only a real failure (storage, I/O) is
//! a 5xx. A new variant in a domain error fails to compile here until someone
//! decides which it is.

use maud::Markup;
use poem::error::ResponseError;
use poem::http::{header, HeaderValue, StatusCode};
use poem::{IntoResponse, Response};

use crate::domain::accounts::erase::EraseError;
use crate::domain::accounts::AccountError;
use crate::domain::comments::CommentError;
use crate::domain::launch::LaunchError;
use crate::domain::moderation::ModerationError;
use crate::domain::proposals::ProposalError;
use crate::domain::reports::ReportError;
use crate::domain::two_factor::TwoFactorError;
use crate::ratelimit::{Busy, RetryAfter};
use crate::search::SearchError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A form came without a valid CSRF token (expired page, or forged request).
    #[error("invalid or missing CSRF token")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A refusal that "not found" or "not allowed" would not explain: its
    /// own status and a page that says what to do.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The page needs a signed-in person: go to the sign-in page, then back here.
    #[error("sign-in required")]
    SignInRequired(String),
    /// A sensitive change needs a fresh proof of identity: confirm, then back here.
    #[error("re-authentication required")]
    ReauthRequired(String),
    /// A back-office page needs two-factor authentication first.
    #[error("two-factor authentication required")]
    TwoFactorRequired,
    /// The person signed in with a one-time password: it is replaced first.
    #[error("password change required")]
    PasswordChangeRequired,
    /// The request, or one of its form's fields, is larger than the form
    /// accepts: refused before it is read whole (413).
    #[error("request too large")]
    TooLarge,
    /// The disk is full: nothing can be saved for now.
    #[error("disk full")]
    DiskFull,
    /// The store is briefly unavailable.
    #[error("temporarily unavailable")]
    Unavailable,
    /// Too many password checks or photo decodes are running: come back in
    /// a moment (503 with Retry-After). Nothing was done or counted.
    #[error("busy with heavy work")]
    Busy,
    /// An internal failure: the text goes to the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Why a request was refused, when the generic 404 and 403 pages would not
/// tell the person what to do next. Handlers usually answer these refusals
/// on the form itself; this page is for the ones that reach `?` (a second
/// tab, a double click, a race with another person).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The idea box, discussion or comment no longer takes contributions.
    Closed,
    /// Only residents whose account the town hall verified may do this here.
    VerifiedOnly,
    /// It was already done (reported twice, decided by another moderator).
    AlreadyDone,
    /// The comment was deleted by its author.
    Deleted,
    /// The delay to edit a comment has passed.
    EditWindowPassed,
    /// A link from a mail (confirmation, reset, invitation) is not valid any more.
    LinkInvalid,
    /// Another account already uses this email address.
    EmailTaken,
    /// The last administrator cannot go: the commune would have none.
    LastAdmin,
    /// The two-factor code is wrong.
    CodeInvalid,
    /// The two-factor code was already used.
    CodeReplayed,
    /// Two-factor authentication is not set up, or its setup was not started.
    TwoFactorNotSetUp,
    /// What was sent does not pass the rules of the form (empty, too long):
    /// the form itself says which field, this page only says to go back.
    Invalid,
}

impl Refusal {
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::Closed
            | Refusal::AlreadyDone
            | Refusal::EmailTaken
            | Refusal::LastAdmin
            | Refusal::CodeReplayed
            | Refusal::TwoFactorNotSetUp => StatusCode::CONFLICT,
            // The same status as the edit form's own "too late" page.
            Refusal::VerifiedOnly | Refusal::EditWindowPassed => StatusCode::FORBIDDEN,
            Refusal::Deleted | Refusal::LinkInvalid => StatusCode::GONE,
            Refusal::CodeInvalid | Refusal::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The translation keys of the page's title and text.
    pub fn message_keys(self) -> (&'static str, &'static str) {
        match self {
            Refusal::Closed => ("error-closed-title", "error-closed-text"),
            Refusal::VerifiedOnly => ("error-verified-only-title", "error-verified-only-text"),
            Refusal::AlreadyDone => ("error-already-done-title", "error-already-done-text"),
            Refusal::Deleted => ("error-deleted-title", "error-deleted-text"),
            Refusal::EditWindowPassed => ("error-edit-window-title", "error-edit-window-text"),
            Refusal::LinkInvalid => ("error-link-invalid-title", "error-link-invalid-text"),
            Refusal::EmailTaken => ("error-email-taken-title", "error-email-taken-text"),
            Refusal::LastAdmin => ("error-last-admin-title", "delete-error-last-admin"),
            Refusal::CodeInvalid => ("error-code-title", "error-code"),
            Refusal::CodeReplayed => ("error-code-title", "error-code-replayed"),
            Refusal::TwoFactorNotSetUp => ("error-two-factor-off-title", "error-two-factor-off-text"),
            Refusal::Invalid => ("error-400-title", "error-400-text"),
        }
    }
}

impl ResponseError for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Refused(r) => r.status(),
            AppError::SignInRequired(_)
            | AppError::ReauthRequired(_)
            | AppError::TwoFactorRequired
            | AppError::PasswordChangeRequired => StatusCode::SEE_OTHER,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Unavailable | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<Busy> for AppError {
    fn from(_: Busy) -> Self {
        AppError::Busy
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::Refused(r)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::DiskFull => AppError::DiskFull,
            // Reopening after an I/O error, or closing as the server stops:
            // the same request a moment later (or on the next start) works.
            StoreError::Unavailable | StoreError::Closed => AppError::Unavailable,
            StoreError::Locked { .. }
            | StoreError::NewerSchema { .. }
            | StoreError::Io { .. }
            | StoreError::Database(_)
            | StoreError::Codec { .. }
            | StoreError::FormatVersion { .. }
            | StoreError::UnknownTable(_)
            | StoreError::Invalid(_)
            | StoreError::WrongKey { .. }
            | StoreError::Key(_)
            | StoreError::Sealed { .. }
            | StoreError::Internal(_) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<TwoFactorError> for AppError {
    fn from(e: TwoFactorError) -> Self {
        match e {
            TwoFactorError::InvalidCode => Refusal::CodeInvalid.into(),
            TwoFactorError::Replayed => Refusal::CodeReplayed.into(),
            TwoFactorError::NotEnabled | TwoFactorError::NoEnrolment => Refusal::TwoFactorNotSetUp.into(),
            TwoFactorError::Store(s) => AppError::from(s),
            TwoFactorError::NoAccount => AppError::NotFound,
            TwoFactorError::Required | TwoFactorError::NotAllowed => AppError::Forbidden,
        }
    }
}

impl From<CommentError> for AppError {
    fn from(e: CommentError) -> Self {
        match e {
            // Held or hidden content must look absent to whoever reaches it.
            CommentError::NotFound | CommentError::TargetClosed => AppError::NotFound,
            CommentError::NotAuthor | CommentError::NotVotable => AppError::Forbidden,
            CommentError::Empty | CommentError::TooLong => Refusal::Invalid.into(),
            CommentError::ParentClosed => Refusal::Closed.into(),
            CommentError::EditWindowPassed => Refusal::EditWindowPassed.into(),
            CommentError::Deleted => Refusal::Deleted.into(),
            CommentError::Store(s) => AppError::from(s),
        }
    }
}

impl From<ModerationError> for AppError {
    fn from(e: ModerationError) -> Self {
        match e {
            ModerationError::NotFound => AppError::NotFound,
            ModerationError::AlreadyReported | ModerationError::NothingToDecide => Refusal::AlreadyDone.into(),
            ModerationError::TooLong => Refusal::Invalid.into(),
            ModerationError::NotAllowed => AppError::Forbidden,
            ModerationError::Store(s) => AppError::from(s),
        }
    }
}

impl From<ProposalError> for AppError {
    fn from(e: ProposalError) -> Self {
        match e {
            // Held or hidden content must look absent to whoever acts on it.
            ProposalError::NotFound | ProposalError::NoBox | ProposalError::NotPublic => AppError::NotFound,
            ProposalError::Closed => Refusal::Closed.into(),
            ProposalError::NotVerified => Refusal::VerifiedOnly.into(),
            ProposalError::ReasonRequired | ProposalError::PhotoNotUploaded => Refusal::Invalid.into(),
            ProposalError::Store(s) => AppError::from(s),
            // The milestone form is offered on accepted proposals only.
            ProposalError::NotFollowedUp => AppError::BadRequest("status"),
        }
    }
}

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::NotFound => AppError::NotFound,
            // The forms check these first and say which field: reaching
            // here means a tampered or outdated form.
            ReportError::UnknownCategory
            | ReportError::UnknownStatus
            | ReportError::UnknownNeighbourhood
            | ReportError::OutsideCommune
            | ReportError::Empty
            | ReportError::TooLong
            | ReportError::TooManyPhotos
            | ReportError::BadAnswer { .. }
            | ReportError::BadEmail
            | ReportError::BadName
            | ReportError::SameReport
            | ReportError::NoSuchOriginal
            | ReportError::NotStaff => Refusal::Invalid.into(),
            ReportError::Closed => Refusal::Closed.into(),
            ReportError::AlreadyDone => Refusal::AlreadyDone.into(),
            ReportError::Random(e) => AppError::Internal(e),
            ReportError::LinkInvalid => Refusal::LinkInvalid.into(),
            ReportError::AlreadyAnswered => Refusal::AlreadyDone.into(),
            ReportError::Store(s) => AppError::from(s),
        }
    }
}

impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound | AccountError::Erased => AppError::NotFound,
            AccountError::OwnAccount | AccountError::NotAllowed => AppError::Forbidden,
            AccountError::EmailTaken => Refusal::EmailTaken.into(),
            AccountError::InvalidEmail => Refusal::Invalid.into(),
            AccountError::TokenInvalid => Refusal::LinkInvalid.into(),
            // argon2 refusing its own parameters is a bug, not a refusal.
            AccountError::Hash(_) => AppError::Internal(e.to_string()),
            AccountError::Store(s) => AppError::from(s),
        }
    }
}

impl From<EraseError> for AppError {
    fn from(e: EraseError) -> Self {
        match e {
            EraseError::NotFound => AppError::NotFound,
            EraseError::LastAdmin => Refusal::LastAdmin.into(),
            EraseError::Store(s) => AppError::from(s),
        }
    }
}

impl From<crate::domain::improve::ImproveError> for AppError {
    fn from(e: crate::domain::improve::ImproveError) -> Self {
        use crate::domain::improve::ImproveError;
        match e {
            ImproveError::NotFound => AppError::NotFound,
            // Only a workshop's page shows the checkbox: a forged form.
            ImproveError::NotAWorkshop => AppError::BadRequest("not a workshop"),
            ImproveError::Store(e) => e.into(),
        }
    }
}

impl From<crate::domain::improve::feedback::FeedbackError> for AppError {
    fn from(e: crate::domain::improve::feedback::FeedbackError) -> Self {
        use crate::domain::improve::feedback::FeedbackError;
        match e {
            // The handler checks both before writing: a forged form.
            FeedbackError::NotAPage => AppError::BadRequest("page"),
            FeedbackError::TooLong => Refusal::Invalid.into(),
            FeedbackError::Store(e) => e.into(),
        }
    }
}

impl From<LaunchError> for AppError {
    fn from(e: LaunchError) -> Self {
        match e {
            // The launch page's forms say which field; this is for a second tab.
            LaunchError::EndBeforeLaunch
            | LaunchError::UnknownNeighbourhood(_)
            | LaunchError::TargetTooLarge
            | LaunchError::NoContest => AppError::Refused(Refusal::Invalid),
            LaunchError::NoSuchBox | LaunchError::NotInContest => AppError::NotFound,
            LaunchError::Store(s) => AppError::from(s),
        }
    }
}

impl From<SearchError> for AppError {
    fn from(e: SearchError) -> Self {
        match e {
            // The index comes back by itself: the same search works later.
            SearchError::NotReady | SearchError::Cancelled => AppError::Unavailable,
            SearchError::Store(s) => AppError::from(s),
            SearchError::Index(_) | SearchError::Io { .. } | SearchError::Task(_) => AppError::Internal(e.to_string()),
        }
    }
}

/// A form shown again because it was refused, with what was typed and the
/// errors (a page built by [`crate::web::layout::page_with_errors`]): 422
/// for what the person can fix, 403 for a refusal.
pub fn refused(page: Markup, status: StatusCode) -> Response {
    let mut resp = page.into_response();
    resp.set_status(status);
    resp
}

/// A form shown again because too many were sent: 429, and how many seconds
/// to wait in `Retry-After` (the page says it in words).
pub fn too_many(page: Markup, wait: RetryAfter) -> Response {
    let mut resp = refused(page, StatusCode::TOO_MANY_REQUESTS);
    if let Ok(v) = HeaderValue::from_str(&wait.secs().to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// The translation keys of the title and text of an error page: the
/// error's own when it has some, else those of its status.
pub fn message_keys(status: StatusCode, error: Option<&AppError>) -> (&'static str, &'static str) {
    match error {
        Some(AppError::Csrf) => return ("error-csrf-title", "error-csrf-text"),
        Some(AppError::Busy) => return ("error-busy-title", "error-busy-text"),
        Some(AppError::TooLarge) => return ("error-too-large-title", "error-too-large-text"),
        Some(AppError::Refused(r)) => return r.message_keys(),
        _ => {}
    }
    match status.as_u16() {
        404 => ("error-404-title", "error-404-text"),
        403 => ("error-403-title", "error-403-text"),
        405 => ("error-405-title", "error-405-text"),
        400 | 413 | 415 | 422 => ("error-400-title", "error-400-text"),
        429 => ("error-429-title", "error-429-text"),
        503 => ("error-503-title", "error-503-text"),
        507 => ("error-507-title", "error-507-text"),
        _ => ("error-500-title", "error-500-text"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn status(e: impl Into<AppError>) -> u16 {
        e.into().status().as_u16()
    }

    /// Each refusal a person can meet is a 4xx; only storage and bugs are 5xx.
    #[test]
    fn refusals_are_4xx_and_only_failures_are_5xx() {
        let refusals = [
            status(CommentError::Deleted),
            status(CommentError::EditWindowPassed),
            status(CommentError::ParentClosed),
            status(CommentError::Empty),
            status(ModerationError::AlreadyReported),
            status(ModerationError::NothingToDecide),
            status(ModerationError::TooLong),
            status(ProposalError::Closed),
            status(ProposalError::NotVerified),
            status(ProposalError::ReasonRequired),
            status(AccountError::EmailTaken),
            status(AccountError::InvalidEmail),
            status(AccountError::TokenInvalid),
            status(AccountError::NotFound),
            status(TwoFactorError::InvalidCode),
            status(TwoFactorError::Replayed),
            status(TwoFactorError::NotEnabled),
            status(TwoFactorError::NoEnrolment),
            status(EraseError::LastAdmin),
            status(ReportError::OutsideCommune),
            status(ReportError::Closed),
            status(ReportError::NotFound),
        ];
        assert!(refusals.iter().all(|s| (400..500).contains(s)), "{refusals:?}");
        assert_eq!(status(ProposalError::Closed), 409);
        assert_eq!(status(ModerationError::AlreadyReported), 409);
        assert_eq!(status(ProposalError::NotVerified), 403);
        assert_eq!(status(CommentError::Deleted), 410);
        assert_eq!(status(AccountError::NotFound), 404);
        assert_eq!(status(CommentError::Store(StoreError::DiskFull)), 507);
        assert_eq!(status(ProposalError::Store(StoreError::Unavailable)), 503);
        assert_eq!(status(StoreError::Closed), 503);
        assert_eq!(status(SearchError::NotReady), 503);
        assert_eq!(status(AccountError::Hash("bad parameters".into())), 500);
        assert_eq!(status(StoreError::Database("corrupt page".into())), 500);
    }

    /// A refusal's page names messages both languages hold.
    #[test]
    fn every_refusal_page_is_translated() {
        let all = [
            Refusal::Closed,
            Refusal::VerifiedOnly,
            Refusal::AlreadyDone,
            Refusal::Deleted,
            Refusal::EditWindowPassed,
            Refusal::LinkInvalid,
            Refusal::EmailTaken,
            Refusal::LastAdmin,
            Refusal::CodeInvalid,
            Refusal::CodeReplayed,
            Refusal::TwoFactorNotSetUp,
            Refusal::Invalid,
        ];
        for r in all {
            let (title, text) = r.message_keys();
            for lang in Lang::ALL {
                assert!(lang.try_t(title).is_some() && lang.try_t(text).is_some(), "{r:?} in {lang:?}");
            }
            assert_eq!(message_keys(r.status(), Some(&AppError::Refused(r))), (title, text));
        }
        assert_eq!(message_keys(StatusCode::FORBIDDEN, Some(&AppError::Csrf)).0, "error-csrf-title");
        assert_eq!(message_keys(StatusCode::FORBIDDEN, Some(&AppError::Forbidden)).0, "error-403-title");
        let (title, text) = message_keys(StatusCode::SERVICE_UNAVAILABLE, Some(&AppError::Busy));
        assert!(Lang::ALL.iter().all(|l| l.try_t(title).is_some() && l.try_t(text).is_some()));
    }
}
