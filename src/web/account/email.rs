//! Addresses: confirming one by its emailed link, sending the link again, and
//! changing one's address (confirmed at the new address, the old one told).

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Query, Redirect};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{audit_record, event, link, redirect_with, require_recent};
use crate::app::AppState;
use crate::domain::accounts::{self, AccountError, TokenPurpose};
use crate::domain::audit::Action;
use crate::domain::now_unix;
use crate::mail::{outbox, NewMail, Template};
use crate::ratelimit::Action as Limit;
use crate::web::auth::{ClientIp, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::{refused, AppError};
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
    let jeton = q.jeton.clone();
    let outcome = state
        .store
        .write(move |tx| {
            let now = now_unix();
            let token = match accounts::take_token(tx, &jeton, now) {
                Ok(t) => t,
                Err(AccountError::TokenInvalid) => return Ok(None),
                Err(e) => return Err(e),
            };
            match token.purpose {
                TokenPurpose::ConfirmEmail => {
                    accounts::update(tx, token.account, |a| a.email_confirmed = true)?;
                    audit_record(
                        tx,
                        &event(Action::EmailConfirmed, Some(token.account), Some(token.account), &ip, ""),
                    )?;
                    Ok(Some("flash-email-confirmed"))
                }
                TokenPurpose::ChangeEmail { new_email } => {
                    let old = accounts::get_in(tx, token.account)?.ok_or(AccountError::NotFound)?;
                    match accounts::update(tx, token.account, |a| a.email = new_email.clone()) {
                        Ok(_) => {}
                        Err(AccountError::EmailTaken) => return Ok(Some("flash-email-taken")),
                        Err(e) => return Err(e),
                    }
                    outbox::enqueue(
                        tx,
                        NewMail {
                            to: old.email.clone(),
                            lang: old.language,
                            template: Template::EmailChanged {
                                name: old.display_name.clone(),
                                new_email: new_email.clone(),
                            },
                        },
                    )?;
                    audit_record(tx, &event(Action::EmailChanged, Some(token.account), Some(token.account), &ip, ""))?;
                    Ok(Some("flash-email-changed"))
                }
                // Other purposes have their own pages.
                _ => Ok(None),
            }
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
    if state.limiter.check(Limit::PasswordReset, &[&ip, &email], Instant::now()).is_ok() {
        state.limiter.record(Limit::PasswordReset, &[&ip, &email], Instant::now());
        let base = link(&state, "/compte/confirmer?jeton=");
        state
            .store
            .write(move |tx| {
                let now = now_unix();
                if let Some(account) = accounts::find_by_email_in(tx, &email)?.filter(|a| !a.email_confirmed) {
                    let token = accounts::issue_token(tx, account.id, TokenPurpose::ConfirmEmail, now)?;
                    outbox::enqueue(
                        tx,
                        NewMail {
                            to: account.email.clone(),
                            lang: account.language,
                            template: Template::ConfirmEmail {
                                name: account.display_name.clone(),
                                link: format!("{base}{token}"),
                            },
                        },
                    )?;
                }
                Ok::<_, AccountError>(())
            })
            .await?;
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
    let base = link(&state, "/compte/confirmer?jeton=");
    let account = viewer.account.clone();
    state
        .store
        .write(move |tx| {
            let now = now_unix();
            let token =
                accounts::issue_token(tx, account.id, TokenPurpose::ChangeEmail { new_email: new_email.clone() }, now)?;
            outbox::enqueue(
                tx,
                NewMail {
                    to: new_email.clone(),
                    lang: account.language,
                    template: Template::ConfirmEmail {
                        name: account.display_name.clone(),
                        link: format!("{base}{token}"),
                    },
                },
            )?;
            audit_record(tx, &event(Action::EmailChangeRequested, Some(account.id), Some(account.id), &ip, ""))?;
            Ok::<_, AccountError>(())
        })
        .await?;
    Ok(redirect_with(&state, "/compte", Flash::info("flash-email-change-sent")))
}
