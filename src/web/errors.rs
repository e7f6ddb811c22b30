//! One error type for handlers, turned into a status and a translated page in
//! one place ([`crate::web::middleware::errors`]). The person sees a message
//! and a request id; the log gets the detail.

use maud::Markup;
use poem::error::ResponseError;
use poem::http::{header, HeaderValue, StatusCode};
use poem::{IntoResponse, Response};

use crate::ratelimit::RetryAfter;

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
    /// The page needs a signed-in person: go to the sign-in page, then back here.
    #[error("sign-in required")]
    SignInRequired(String),
    /// A sensitive change needs a fresh proof of identity: confirm, then back here.
    #[error("re-authentication required")]
    ReauthRequired(String),
    /// A back-office page needs two-factor authentication first.
    #[error("two-factor authentication required")]
    TwoFactorRequired,
    /// The disk is full: nothing can be saved for now.
    #[error("disk full")]
    DiskFull,
    /// The store is briefly unavailable.
    #[error("temporarily unavailable")]
    Unavailable,
    /// An internal failure: the text goes to the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ResponseError for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::SignInRequired(_) | AppError::ReauthRequired(_) | AppError::TwoFactorRequired => {
                StatusCode::SEE_OTHER
            }
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::DiskFull => AppError::DiskFull,
            crate::store::StoreError::Unavailable => AppError::Unavailable,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<crate::domain::two_factor::TwoFactorError> for AppError {
    fn from(e: crate::domain::two_factor::TwoFactorError) -> Self {
        match e {
            crate::domain::two_factor::TwoFactorError::Store(s) => AppError::from(s),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// A comment refused for a reason the person cannot fix from the form.
impl From<crate::domain::comments::CommentError> for AppError {
    fn from(e: crate::domain::comments::CommentError) -> Self {
        use crate::domain::comments::CommentError;
        match e {
            CommentError::NotFound | CommentError::TargetClosed => AppError::NotFound,
            CommentError::NotAuthor | CommentError::NotVotable | CommentError::Deleted => AppError::Forbidden,
            CommentError::Store(s) => AppError::from(s),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<crate::domain::moderation::ModerationError> for AppError {
    fn from(e: crate::domain::moderation::ModerationError) -> Self {
        use crate::domain::moderation::ModerationError;
        match e {
            ModerationError::Store(s) => AppError::from(s),
            ModerationError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Handlers turn the refusals a resident can meet (a closed box, …) into
/// messages themselves; what reaches this is a missing item or storage.
impl From<crate::domain::proposals::ProposalError> for AppError {
    fn from(e: crate::domain::proposals::ProposalError) -> Self {
        use crate::domain::proposals::ProposalError;
        match e {
            ProposalError::Store(s) => AppError::from(s),
            ProposalError::NotFound | ProposalError::NoBox => AppError::NotFound,
            // The milestone form is offered on accepted proposals only.
            ProposalError::NotFollowedUp => AppError::BadRequest("status"),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<crate::domain::accounts::AccountError> for AppError {
    fn from(e: crate::domain::accounts::AccountError) -> Self {
        match e {
            crate::domain::accounts::AccountError::Store(s) => AppError::from(s),
            other => AppError::Internal(other.to_string()),
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

/// The translation keys of the title and text of an error page.
pub fn message_keys(status: StatusCode, csrf: bool) -> (&'static str, &'static str) {
    if csrf {
        return ("error-csrf-title", "error-csrf-text");
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
