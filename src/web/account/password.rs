//! Passwords: forgotten (emailed single-use link), reset, and changed from
//! the account page. Every session ends when a password changes; a reset does
//! not sign in, so it never bypasses two-factor authentication.

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Query, Redirect};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{hash, heavy_turn, link, password_error, password_ok, redirect_with, require_recent};
use crate::app::AppState;
use crate::domain::accounts::{self, TokenPurpose};
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::sessions::{self, Session};
use crate::ratelimit::Action as Limit;
use crate::web::auth::{add_cookie, session_cookie, ClientIp, Device, SignedIn, Viewer};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::{page, page_with_errors};

#[derive(Deserialize, Default)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

fn forgot_page(chrome: &Chrome, email: &str, errors: &FormErrors) -> Markup {
    let title = chrome.t("forgot-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("forgot-lead")) }
            form method="post" action="/mot-de-passe-oublie" novalidate {
                (csrf_field(chrome))
                (Input::new("email", chrome.t("field-email"), email).kind("email").autocomplete("email").render(chrome, errors))
                (submit(&chrome.t("forgot-submit")))
            }
        },
    )
}

/// `GET /mot-de-passe-oublie`.
#[poem::handler]
pub async fn forgot_show(chrome: Chrome) -> Markup {
    forgot_page(&chrome, "", &FormErrors::default())
}

/// `POST /mot-de-passe-oublie`: the same answer whether the address has an account or not.
#[poem::handler]
pub async fn forgot(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let Ok(email) = accounts::normalise_email(&form.email) else {
        let mut errors = FormErrors::default();
        errors.add("email", chrome.t("error-email"));
        return Ok(refused(forgot_page(&chrome, &form.email, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    // Every request counts (each sends a mail): checked and counted at once.
    if let Err(wait) = state.limiter.attempt(Limit::PasswordReset, &[&ip, &email], Instant::now()) {
        let mut errors = FormErrors::default();
        errors.add("email", chrome.lang.ta("error-too-many", &[("seconds", wait.secs().into())]));
        return Ok(too_many(forgot_page(&chrome, &form.email, &errors), wait));
    }
    let base = link(&state, "/mot-de-passe/nouveau?jeton=");
    let actor = Actor::anonymous(ip);
    state.store.write(move |tx| accounts::request_password_reset(tx, &actor, &email, &base, now_unix())).await?;
    Ok(Redirect::see_other("/mot-de-passe-oublie/envoye").into_response())
}

/// `GET /mot-de-passe-oublie/envoye`.
#[poem::handler]
pub async fn forgot_sent(chrome: Chrome) -> Markup {
    let title = chrome.t("forgot-sent-title");
    page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("forgot-sent-text")) }
            p { (chrome.t("sign-up-sent-spam")) }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    jeton: String,
    #[serde(default)]
    password: String,
}

fn reset_page(chrome: &Chrome, token: &str, errors: &FormErrors) -> Markup {
    let title = chrome.t("reset-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            form method="post" action="/mot-de-passe/nouveau" novalidate {
                (csrf_field(chrome))
                input type="hidden" name="jeton" value=(token);
                (Input::new("password", chrome.t("field-new-password"), "").kind("password").autocomplete("new-password")
                    .hint(chrome.t("field-new-password-hint")).render(chrome, errors))
                (submit(&chrome.t("reset-submit")))
            }
        },
    )
}

fn invalid(chrome: &Chrome) -> Response {
    super::invalid_link_page(chrome, "/mot-de-passe-oublie", "forgot-again")
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    jeton: String,
}

/// `GET /mot-de-passe/nouveau?jeton=…`.
#[poem::handler]
pub async fn reset_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    match accounts::peek_token(&state.store.read()?, &q.jeton, now_unix())? {
        Some(t) if t.purpose == TokenPurpose::ResetPassword => {
            Ok(reset_page(&chrome, &q.jeton, &FormErrors::default()).into_response())
        }
        _ => Ok(invalid(&chrome)),
    }
}

/// `POST /mot-de-passe/nouveau`: sets the password, ends every session, and
/// asks the person to sign in (with their second factor, if any).
#[poem::handler]
pub async fn reset(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    let now = now_unix();
    let Some(token) = accounts::peek_token(&state.store.read()?, &form.jeton, now)?
        .filter(|t| t.purpose == TokenPurpose::ResetPassword)
    else {
        return Ok(invalid(&chrome));
    };
    let account = accounts::get(&state.store.read()?, token.account)?.ok_or(AppError::NotFound)?;
    let personal = [account.email.as_str(), account.display_name.as_str(), chrome.config().commune.name.as_str()];
    if let Some(message) = password_error(chrome.lang, &form.password, &personal) {
        let mut errors = FormErrors::default();
        errors.add("password", message);
        return Ok(refused(reset_page(&chrome, &form.jeton, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    }
    let password_hash = hash(heavy_turn(&state).await?, form.password.clone()).await?;
    let jeton = form.jeton.clone();
    let actor = Actor::anonymous(ip);
    let done = state
        .store
        .write(move |tx| accounts::reset_password(tx, &actor, &jeton, &password_hash, now).map(|id| id.is_some()))
        .await?;
    if !done {
        return Ok(invalid(&chrome));
    }
    Ok(redirect_with(&state, "/connexion", Flash::success("flash-password-reset")))
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
}

/// Whether the change must be confirmed with the current password: always,
/// except right after signing in with a one-time password (which the person
/// did not choose, and the sign-in just checked).
fn asks_current(viewer: &Viewer) -> bool {
    !viewer.account.must_change_password
}

fn change_page(chrome: &Chrome, errors: &FormErrors) -> Markup {
    let title = chrome.t("change-password-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            @if chrome.viewer.as_ref().is_some_and(|v| v.account.must_change_password) {
                p.warning-text { (chrome.t("change-password-one-time")) }
            }
            p { (chrome.t("change-password-lead")) }
            form method="post" action="/compte/mot-de-passe" novalidate {
                (csrf_field(chrome))
                @if chrome.viewer.as_ref().is_some_and(asks_current) {
                    (Input::new("current_password", chrome.t("field-current-password"), "").kind("password")
                        .autocomplete("current-password").render(chrome, errors))
                }
                (Input::new("password", chrome.t("field-new-password"), "").kind("password").autocomplete("new-password")
                    .hint(chrome.t("field-new-password-hint")).render(chrome, errors))
                (submit(&chrome.t("change-password-submit")))
            }
        },
    )
}

/// `GET /compte/mot-de-passe`.
#[poem::handler]
pub async fn change_show(chrome: Chrome, SignedIn(viewer): SignedIn) -> Result<Markup, AppError> {
    require_recent(&viewer, "/compte/mot-de-passe")?;
    Ok(change_page(&chrome, &FormErrors::default()))
}

/// `POST /compte/mot-de-passe`: every session ends; this browser gets a new one.
#[poem::handler]
pub async fn change(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Device(device): Device,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    require_recent(&viewer, "/compte/mot-de-passe")?;
    let a = &viewer.account;
    let personal = [a.email.as_str(), a.display_name.as_str(), chrome.config().commune.name.as_str()];
    if let Some(message) = password_error(chrome.lang, &form.password, &personal) {
        let mut errors = FormErrors::default();
        errors.add("password", message);
        return Ok(refused(change_page(&chrome, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    }
    if asks_current(&viewer) {
        // A session left open (a shared computer) must not be enough to take
        // the account over: the current password is asked, and guesses are
        // counted with the re-authentication's, per account.
        let key = format!("account:{}", a.id);
        let turn = heavy_turn(&state).await?;
        if let Err(wait) = state.limiter.attempt(Limit::SignIn, &[&key], Instant::now()) {
            let mut errors = FormErrors::default();
            errors.add("current_password", chrome.lang.ta("error-too-many", &[("seconds", wait.secs().into())]));
            return Ok(too_many(change_page(&chrome, &errors), wait));
        }
        if !password_ok(turn, form.current_password.clone(), Some(a.password_hash.clone())).await? {
            let mut errors = FormErrors::default();
            errors.add("current_password", chrome.t("error-password"));
            return Ok(refused(change_page(&chrome, &errors), StatusCode::UNPROCESSABLE_ENTITY));
        }
        state.limiter.refund(Limit::SignIn, &[&key]);
    }
    let password_hash = hash(heavy_turn(&state).await?, form.password.clone()).await?;
    let token = sessions::new_token()?;
    let t = token.clone();
    let now = now_unix();
    let actor = Actor::person(a.id, ip.clone());
    let session = Session {
        account: a.id,
        created_at: now,
        last_seen_at: now,
        two_factor_pending: false,
        authenticated_at: now,
        device,
        ip,
    };
    state.store.write(move |tx| accounts::change_password(tx, &actor, &password_hash, &t, &session, now)).await?;
    let mut resp = redirect_with(&state, "/compte", Flash::success("flash-password-changed"));
    add_cookie(&mut resp, &session_cookie(&state, &token));
    Ok(resp)
}
