//! Accounts on the web: sign-up, sign-in with two-factor, sign-out, password
//! and address changes, re-authentication, sessions, two-factor enrolment.

pub mod data;
pub mod email;
pub mod notification_settings;
pub mod notifications;
pub mod password;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
pub mod two_factor;

use std::sync::OnceLock;

use poem::web::Redirect;
use poem::{IntoResponse, Response};

use super::auth::{add_cookie, Viewer};
use super::chrome::Flash;
use super::errors::AppError;
use super::Lang;
use crate::app::AppState;
use crate::domain::accounts::{self, PasswordProblem};
use crate::ratelimit::Turn;

/// A turn for a password hash or check (argon2id: 19 MiB each), taken by a
/// handler *before* its rate-limit check, so that a request turned away as
/// busy (503) has used none of the person's attempts.
pub async fn heavy_turn(state: &AppState) -> Result<Turn, AppError> {
    Ok(state.heavy.start().await?)
}

/// Hashes a password off the async threads (argon2 takes tens of
/// milliseconds), holding its turn until done.
pub async fn hash(turn: Turn, password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        accounts::hash_password(&password)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::from)
}

/// Checks a password off the async threads. Without an account, a dummy hash
/// is checked so that the answer takes as long either way.
pub async fn password_ok(turn: Turn, password: String, phc: Option<String>) -> Result<bool, AppError> {
    let phc = match phc {
        Some(p) => p,
        None => dummy_hash()?,
    };
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        accounts::password_matches(&password, &phc)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}

fn dummy_hash() -> Result<String, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = accounts::hash_password(&accounts::one_time_password()?)?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

/// The translated message for a refused new password, if it is refused.
pub fn password_error(lang: Lang, password: &str, personal: &[&str]) -> Option<String> {
    accounts::password_problem(password, personal).map(|p| match p {
        PasswordProblem::TooShort => {
            lang.ta("password-too-short", &[("min", crate::i18n::Arg::from(accounts::MIN_PASSWORD_CHARS as u64))])
        }
        PasswordProblem::TooLong => lang.t("password-too-long"),
        PasswordProblem::TooGuessable => lang.t("password-too-guessable"),
    })
}

/// The page for a used or expired emailed link (410), with the way forward.
pub fn invalid_link_page(chrome: &super::chrome::Chrome, next_href: &str, next_key: &str) -> Response {
    use maud::html;
    let title = chrome.t("link-invalid-title");
    let mut resp = super::layout::page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("link-invalid-text")) }
            p { a href=(next_href) { (chrome.t(next_key)) } }
        },
    )
    .into_response();
    resp.set_status(poem::http::StatusCode::GONE);
    resp
}

/// An absolute link for an email, from the public URL.
pub fn link(state: &AppState, path: &str) -> String {
    let base = state.config.server.public_url.as_str().trim_end_matches('/');
    format!("{base}{path}")
}

/// Only a path of this site is a place to go back to (no open redirect).
///
/// Browsers drop tabs and line breaks from a `Location` and read `\` as `/`,
/// so `/<TAB>/evil.example` went to evil.example; a CR LF made the header
/// impossible and the 303 went out without it. A path is therefore accepted
/// only when it is made of the characters a URL path and query may hold as
/// they are (RFC 3986: unreserved, sub-delims, `:@/?%`), starts with one `/`
/// and not two; anything else goes home.
pub fn local_path(next: &str) -> &str {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?%".contains(c);
    if next.starts_with('/') && !next.starts_with("//") && next.chars().all(safe) {
        next
    } else {
        "/"
    }
}

/// A 303 redirect with a flash message for the next page.
pub fn redirect_with(state: &AppState, to: &str, flash: Flash) -> Response {
    let mut resp = Redirect::see_other(to).into_response();
    add_cookie(&mut resp, &flash.to_cookie(state.is_https()));
    resp
}

/// Sensitive changes need a sign-in or re-authentication less than ten minutes old.
pub fn require_recent(viewer: &Viewer, here: &str) -> Result<(), AppError> {
    if viewer.recently_authenticated(crate::domain::now_unix()) {
        Ok(())
    } else {
        Err(AppError::ReauthRequired(here.to_string()))
    }
}
