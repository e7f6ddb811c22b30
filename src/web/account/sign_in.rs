//! `/connexion`: password, then the two-factor code when enabled; sign-out;
//! extending a session before it expires.
//!
//! A failed sign-in says the same thing whether the address exists or not,
//! and takes as long (a dummy hash is checked for unknown addresses).

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Query, Redirect};
use poem::{IntoResponse, Request, Response};
use serde::Deserialize;

use super::{heavy_turn, local_path, password_ok, redirect_with};
use crate::app::AppState;
use crate::domain::accounts;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::sessions::{self, Session};
use crate::domain::two_factor::{self, Passed, TwoFactorError};
use crate::ratelimit::Action as Limit;
use crate::web::auth::{add_cookie, clear_session_cookie, session_cookie, ClientIp, Device, PendingSignIn, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::page_with_errors;

#[derive(Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    suivant: String,
}

#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    suivant: String,
}

fn form_page(chrome: &Chrome, email: &str, next: &str, errors: &FormErrors) -> Markup {
    let title = chrome.t("sign-in-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            form method="post" action="/connexion" novalidate {
                (csrf_field(chrome))
                input type="hidden" name="suivant" value=(next);
                (Input::new("email", chrome.t("field-email"), email).kind("email").autocomplete("username").render(chrome, errors))
                (Input::new("password", chrome.t("field-password"), "").kind("password").autocomplete("current-password").render(chrome, errors))
                (submit(&chrome.t("sign-in-submit")))
            }
            p { a href="/mot-de-passe-oublie" { (chrome.t("forgot-title")) } }
            p { (chrome.t("sign-in-no-account")) " " a href="/inscription" { (chrome.t("sign-up-title")) } }
        },
    )
}

/// `GET /connexion`.
#[poem::handler]
pub async fn show(chrome: Chrome, Query(next): Query<Next>) -> Response {
    if chrome.viewer.is_some() {
        return Redirect::see_other(local_path(&next.suivant)).into_response();
    }
    form_page(&chrome, "", &next.suivant, &FormErrors::default()).into_response()
}

/// `POST /connexion`.
#[poem::handler]
pub async fn submit_form(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Device(device): Device,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let lang = chrome.lang;
    let email = accounts::normalise_email(&form.email).unwrap_or_else(|_| form.email.trim().to_lowercase());
    // The address is counted only together with the IP it is tried from: a
    // stranger failing on purpose for someone's address, from elsewhere,
    // cannot keep that person's own sign-in delayed. The IP alone is counted
    // too (password spraying), with a larger allowance for shared networks.
    let ip_and_email = format!("{ip}|{email}");
    let tries = [(Limit::SignIn, ip_and_email.as_str()), (Limit::SignInFromIp, ip.as_str())];
    let turn = heavy_turn(&state).await?;
    // Checked and counted in one step before the slow check: parallel
    // attempts cannot all pass before any is counted. A success gives its
    // attempt back below, so only failures stay counted.
    if let Err(wait) = state.limiter.attempt_each(&tries, Instant::now()) {
        let mut errors = FormErrors::default();
        errors.add("email", lang.ta("error-too-many", &[("seconds", wait.secs().into())]));
        let page = form_page(&chrome, &form.email, &form.suivant, &errors);
        return Ok(too_many(page, wait));
    }
    let account = accounts::find_by_email(&state.store.read()?, &email)?;
    let matches = password_ok(turn, form.password.clone(), account.as_ref().map(|a| a.password_hash.clone())).await?;
    let account = match account {
        Some(a) if matches => a,
        other => {
            let subject = other.map(|a| a.id);
            let actor = Actor::anonymous(ip.clone());
            state.store.write(move |tx| sessions::sign_in_failed(tx, &actor, subject, now_unix())).await?;
            let mut errors = FormErrors::default();
            errors.add("email", lang.t("error-sign-in"));
            let page = form_page(&chrome, &form.email, &form.suivant, &errors);
            return Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    // The password was right: not a failure, whatever comes next.
    state.limiter.refund_each(&tries);
    state.limiter.clear(Limit::SignIn, &ip_and_email);
    if account.blocked {
        let mut errors = FormErrors::default();
        errors.add("email", lang.t("error-account-blocked"));
        return Ok(refused(form_page(&chrome, &form.email, &form.suivant, &errors), StatusCode::FORBIDDEN));
    }
    if !account.email_confirmed {
        return Ok(super::email::unconfirmed_page(&chrome, &account.email).into_response());
    }
    let needs_code = two_factor::is_enabled(&*state.store.read()?, account.id)?;
    let token = sessions::new_token()?;
    let now = now_unix();
    let session = Session {
        account: account.id,
        created_at: now,
        last_seen_at: now,
        two_factor_pending: needs_code,
        authenticated_at: now,
        device,
        ip: ip.clone(),
    };
    let t = token.clone();
    state.store.write(move |tx| sessions::start(tx, &t, &session)).await?;
    // A one-time password (first admin from `parvis init`) is replaced first.
    let next = if account.must_change_password {
        "/compte/mot-de-passe".to_string()
    } else {
        local_path(&form.suivant).to_string()
    };
    let target = if needs_code {
        format!("/connexion/code?suivant={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
    } else {
        next
    };
    let mut resp = Redirect::see_other(target).into_response();
    add_cookie(&mut resp, &session_cookie(&state, &token));
    Ok(resp)
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    suivant: String,
}

fn code_page(chrome: &Chrome, next: &str, errors: &FormErrors) -> Markup {
    let title = chrome.t("sign-in-code-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("sign-in-code-lead")) }
            form method="post" action="/connexion/code" novalidate {
                (csrf_field(chrome))
                input type="hidden" name="suivant" value=(next);
                (Input::new("code", chrome.t("field-code"), "").autocomplete("one-time-code")
                    .hint(chrome.t("field-code-hint")).render(chrome, errors))
                (submit(&chrome.t("sign-in-code-submit")))
            }
            form method="post" action="/deconnexion" {
                (csrf_field(chrome))
                button.button.button-secondary type="submit" { (chrome.t("sign-in-code-cancel")) }
            }
        },
    )
}

/// `GET /connexion/code`.
#[poem::handler]
pub async fn code_show(chrome: Chrome, _pending: PendingSignIn, Query(next): Query<Next>) -> Markup {
    code_page(&chrome, &next.suivant, &FormErrors::default())
}

/// `POST /connexion/code`: the second step. A new session token replaces the
/// one given after the password.
#[poem::handler]
pub async fn code_submit(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    pending: PendingSignIn,
    ClientIp(ip): ClientIp,
    Device(device): Device,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let lang = chrome.lang;
    let key = format!("account:{}", pending.account.id);
    // Checked and counted before the code is looked at (see `submit_form`):
    // a burst of guesses gets no more than the free attempts. Counted per
    // account only: the guesses are against this account's secret, and only
    // someone who knows its password gets here, while an IP address may be
    // a whole town hall's network whose residents would lock each other out.
    let keys = [key.as_str()];
    if let Err(wait) = state.limiter.attempt(Limit::TwoFactor, &keys, Instant::now()) {
        let mut errors = FormErrors::default();
        errors.add("code", lang.ta("error-too-many", &[("seconds", wait.secs().into())]));
        return Ok(too_many(code_page(&chrome, &form.suivant, &errors), wait));
    }
    let pending_hash = pending.token_hash;
    let code = form.code.clone();
    let token = sessions::new_token()?;
    let t = token.clone();
    let now = now_unix();
    let session = Session {
        account: pending.account.id,
        created_at: now,
        last_seen_at: now,
        two_factor_pending: false,
        authenticated_at: now,
        device,
        ip,
    };
    let secrets = state.store.keys().clone();
    let outcome = state
        .store
        .write(move |tx| sessions::second_factor(tx, &secrets, &pending_hash, &code, &t, &session))
        .await
        .inspect_err(|_| state.limiter.refund(Limit::TwoFactor, &keys))?;
    match outcome {
        Ok(passed) => {
            state.limiter.refund(Limit::TwoFactor, &keys);
            state.limiter.clear(Limit::TwoFactor, &key);
            let next =
                if pending.account.must_change_password { "/compte/mot-de-passe" } else { local_path(&form.suivant) };
            let mut resp = match passed {
                Passed::RecoveryCode { left } if left <= 3 => {
                    redirect_with(&state, "/compte/double-authentification", Flash::info("flash-recovery-codes-low"))
                }
                _ => Redirect::see_other(next).into_response(),
            };
            add_cookie(&mut resp, &session_cookie(&state, &token));
            Ok(resp)
        }
        Err(refusal) => {
            let mut errors = FormErrors::default();
            let message = match refusal {
                TwoFactorError::Replayed => lang.t("error-code-replayed"),
                _ => lang.t("error-code"),
            };
            errors.add("code", message);
            Ok(refused(code_page(&chrome, &form.suivant, &errors), StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /deconnexion`: ends this session (or a pending one).
#[poem::handler]
pub async fn sign_out(
    state: Data<&Arc<AppState>>,
    req: &Request,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let viewer = req.extensions().get::<crate::web::auth::Viewer>().map(|v| (v.token_hash, v.account.id));
    let pending = req.extensions().get::<PendingSignIn>().map(|p| (p.token_hash, p.account.id));
    if let Some((hash, id)) = viewer.or(pending) {
        let actor = Actor::person(id, ip);
        state.store.write(move |tx| sessions::sign_out(tx, &actor, &hash, now_unix())).await?;
    }
    let mut resp = redirect_with(&state, "/", Flash::success("flash-signed-out"));
    add_cookie(&mut resp, &clear_session_cookie(&state));
    Ok(resp)
}

#[derive(Deserialize, Default)]
pub struct ExtendForm {
    #[serde(default)]
    next: String,
}

/// `POST /session/prolonger`: the person is still there. Answers 204 to the
/// page's script, or sends back to the page without it.
#[poem::handler]
pub async fn extend(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    req: &Request,
    Form(form): Form<ExtendForm>,
) -> Result<Response, AppError> {
    let hash = viewer.token_hash;
    let now = now_unix();
    state.store.write(move |tx| sessions::update(tx, &hash, |s| s.last_seen_at = now)).await?;
    if req.header("x-parvis-fetch").is_some() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Redirect::see_other(local_path(&form.next)).into_response())
}
