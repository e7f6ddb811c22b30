//! Addresses: confirming one by its emailed link, sending the link again, and
//! changing one's address (confirmed at the new address, the old one told).

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Query, Redirect};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{link, redirect_with, require_recent};
use crate::app::AppState;
use crate::domain::accounts::{self, Confirmed, TokenPurpose};
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::ratelimit::Action as Limit;
use crate::web::auth::{ClientIp, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::{page, page_with_errors};

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    jeton: String,
}

/// After a correct password on an unconfirmed account: explain, offer a new link.
pub fn unconfirmed_page(chrome: &Chrome, email: &str) -> Markup {
    let title = chrome.t("unconfirmed-title");
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("unconfirmed-text")) }
            form method="post" action="/compte/renvoyer-confirmation" {
                (csrf_field(chrome))
                input type="hidden" name="email" value=(email);
                (submit(&chrome.t("unconfirmed-resend")))
            }
        },
    )
}

fn invalid_link_page(chrome: &Chrome) -> Response {
    super::invalid_link_page(chrome, "/connexion", "sign-in-title")
}

/// `GET /compte/confirmer?jeton=…`: a button, not an action: mail scanners
/// that open links must not use up the single-use token.
#[poem::handler]
pub async fn confirm_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let Some(token) = accounts::peek_token(&state.store.read()?, &q.jeton, now_unix())? else {
        return Ok(invalid_link_page(&chrome));
    };
    let (title, text) = match token.purpose {
        TokenPurpose::ChangeEmail { new_email } => {
            (chrome.t("confirm-change-title"), chrome.lang.ta("confirm-change-text", &[("email", new_email.into())]))
        }
        _ => (chrome.t("confirm-title"), chrome.t("confirm-text")),
    };
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (text) }
            form method="post" action="/compte/confirmer" {
                (csrf_field(&chrome))
                input type="hidden" name="jeton" value=(q.jeton);
                (submit(&chrome.t("confirm-submit")))
            }
        },
    )
    .into_response())
}

/// `POST /compte/confirmer`.
#[poem::handler]
pub async fn confirm(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(q): Form<TokenQuery>,
) -> Result<Response, AppError> {
    let actor = Actor::anonymous(ip);
    let jeton = q.jeton.clone();
    let outcome = state
        .store
        .write(move |tx| match accounts::confirm_address(tx, &actor, &jeton, now_unix()) {
            Ok(Confirmed::Address) => Ok(Some("flash-email-confirmed")),
            Ok(Confirmed::Changed) => Ok(Some("flash-email-changed")),
            Ok(Confirmed::AddressTaken) => Ok(Some("flash-email-taken")),
            Ok(Confirmed::Invalid) => Ok(None),
            Err(e) => Err(e),
        })
        .await?;
    match outcome {
        Some(flash) => {
            let to = if chrome.viewer.is_some() { "/compte" } else { "/connexion" };
            Ok(redirect_with(&state, to, Flash::success(flash)))
        }
        None => Ok(invalid_link_page(&chrome)),
    }
}

#[derive(Deserialize, Default)]
pub struct ResendForm {
    #[serde(default)]
    email: String,
}

/// `POST /compte/renvoyer-confirmation`: same answer whatever the address.
#[poem::handler]
pub async fn resend(
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(form): Form<ResendForm>,
) -> Result<Response, AppError> {
    let email = form.email.trim().to_lowercase();
    if state.limiter.attempt(Limit::PasswordReset, &[&ip, &email], Instant::now()).is_ok() {
        let base = link(&state, "/compte/confirmer?jeton=");
        state.store.write(move |tx| accounts::resend_confirmation(tx, &email, &base, now_unix())).await?;
    }
    Ok(Redirect::see_other("/inscription/envoye").into_response())
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    email: String,
}

fn change_page(chrome: &Chrome, email: &str, errors: &FormErrors) -> Markup {
    let title = chrome.t("change-email-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            @if let Some(v) = &chrome.viewer { p { (chrome.lang.ta("change-email-current", &[("email", v.account.email.clone().into())])) } }
            form method="post" action="/compte/courriel" novalidate {
                (csrf_field(chrome))
                (Input::new("email", chrome.t("field-new-email"), email).kind("email").autocomplete("email")
                    .hint(chrome.t("field-new-email-hint")).render(chrome, errors))
                (submit(&chrome.t("change-email-submit")))
            }
        },
    )
}

/// `GET /compte/courriel`.
#[poem::handler]
pub async fn change_show(chrome: Chrome, SignedIn(viewer): SignedIn) -> Result<Markup, AppError> {
    require_recent(&viewer, "/compte/courriel")?;
    Ok(change_page(&chrome, "", &FormErrors::default()))
}

/// `POST /compte/courriel`: the link goes to the new address; the change is
/// made when it is followed.
#[poem::handler]
pub async fn change(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    require_recent(&viewer, "/compte/courriel")?;
    let Ok(new_email) = accounts::normalise_email(&form.email) else {
        let mut errors = FormErrors::default();
        errors.add("email", chrome.t("error-email"));
        return Ok(refused(change_page(&chrome, &form.email, &errors), StatusCode::UNPROCESSABLE_ENTITY));
    };
    // Each request mails a link to the address typed: counted per account
    // and per address, so nobody can use the form to send mail to anyone.
    let account_key = format!("account:{}", viewer.account.id);
    let target_key = format!("to:{new_email}");
    if let Err(wait) = state.limiter.attempt(Limit::EmailChange, &[&account_key, &target_key], Instant::now()) {
        let mut errors = FormErrors::default();
        errors.add("email", chrome.lang.ta("error-too-many", &[("seconds", wait.secs().into())]));
        return Ok(too_many(change_page(&chrome, &form.email, &errors), wait));
    }
    let base = link(&state, "/compte/confirmer?jeton=");
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| accounts::request_email_change(tx, &actor, &new_email, &base, now_unix())).await?;
    Ok(redirect_with(&state, "/compte", Flash::info("flash-email-change-sent")))
}
