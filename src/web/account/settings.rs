//! `/compte`: the person's account page, re-authentication before sensitive
//! changes, and the list of their sessions with revocation.

use std::sync::Arc;
use std::time::Instant;

use maud::{html, Markup};
use poem::http::StatusCode;
use poem::web::{Data, Form, Query, Redirect};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use super::{heavy_turn, local_path, password_ok, redirect_with};
use crate::app::AppState;
use crate::domain::accounts::Role;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::sessions::{self, Revoke};
use crate::domain::two_factor::TwoFactorError;
use crate::ratelimit::Action as Limit;
use crate::web::auth::{add_cookie, session_cookie, ClientIp, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, facts, submit, FormErrors, Input};
use crate::web::errors::{refused, too_many, AppError};
use crate::web::layout::{page, page_with_errors};

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Resident => "role-resident",
        Role::VerifiedResident => "role-verified-resident",
        Role::Moderator => "role-moderator",
        Role::Staff => "role-staff",
        Role::Admin => "role-admin",
    }
}

/// A date and time in the commune's time zone (Europe/Paris), for people.
pub fn when(unix: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(unix) else { return String::new() };
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    ts.to_zoned(tz).strftime("%d/%m/%Y %H:%M").to_string()
}

/// `GET /compte`.
#[poem::handler]
pub async fn overview(chrome: Chrome, SignedIn(viewer): SignedIn) -> Result<Markup, AppError> {
    let a = &viewer.account;
    let newsletter = crate::web::newsletters::consent_form(&chrome, a.id)?;
    let title = chrome.t("account-title");
    let two_factor = if viewer.two_factor { chrome.t("account-2fa-on") } else { chrome.t("account-2fa-off") };
    let role = chrome.t(role_key(a.role));
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            (facts(&chrome, &[
                (&chrome.t("field-display-name"), Some(a.display_name.as_str())),
                (&chrome.t("field-email"), Some(a.email.as_str())),
                (&chrome.t("account-role"), Some(role.as_str())),
                (&chrome.t("account-service"), a.service.as_deref().or(Some("—"))),
                (&chrome.t("account-2fa"), Some(two_factor.as_str())),
            ]))
            h2 { (chrome.t("account-security")) }
            ul {
                li { a href="/compte/mot-de-passe" { (chrome.t("change-password-title")) } }
                li { a href="/compte/courriel" { (chrome.t("change-email-title")) } }
                li { a href="/compte/double-authentification" { (chrome.t("two-factor-title")) } }
                li { a href="/compte/sessions" { (chrome.t("sessions-title")) } }
            }
            h2 { (chrome.t("account-activity")) }
            ul {
                li { a href="/compte/notifications" { (chrome.t("notifications-title")) } }
                li { a href="/compte/mes-donnees" { (chrome.t("account-my-data")) } }
                @if chrome.config().verification.any() { li { a href="/compte/verification" { (chrome.t("verification-title")) } } }
                li { a href="/compte/supprimer" { (chrome.t("account-delete")) } }
            }
            (newsletter)
            form method="post" action="/deconnexion" {
                (csrf_field(&chrome))
                button.button.button-secondary type="submit" { (chrome.t("sign-out")) }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct ReauthForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    suivant: String,
}

#[derive(Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    suivant: String,
}

fn reauth_page(chrome: &Chrome, next: &str, two_factor: bool, errors: &FormErrors) -> Markup {
    let title = chrome.t("reauth-title");
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("reauth-lead")) }
            form method="post" action="/compte/confirmer-identite" novalidate {
                (csrf_field(chrome))
                input type="hidden" name="suivant" value=(next);
                (Input::new("password", chrome.t("field-password"), "").kind("password").autocomplete("current-password").render(chrome, errors))
                @if two_factor {
                    (Input::new("code", chrome.t("field-code"), "").autocomplete("one-time-code").hint(chrome.t("field-code-hint")).render(chrome, errors))
                }
                (submit(&chrome.t("reauth-submit")))
            }
        },
    )
}

/// `GET /compte/confirmer-identite`.
#[poem::handler]
pub async fn reauth_show(chrome: Chrome, SignedIn(viewer): SignedIn, Query(next): Query<Next>) -> Markup {
    reauth_page(&chrome, &next.suivant, viewer.two_factor, &FormErrors::default())
}

/// `POST /compte/confirmer-identite`: password, and a code when two-factor is on.
#[poem::handler]
pub async fn reauth(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<ReauthForm>,
) -> Result<Response, AppError> {
    let lang = chrome.lang;
    let key = format!("account:{}", viewer.account.id);
    let form_again = |errors: FormErrors| reauth_page(&chrome, &form.suivant, viewer.two_factor, &errors);
    let turn = heavy_turn(&state).await?;
    // Checked and counted in one step before the slow checks; a success
    // gives its attempt back, so only failures stay counted.
    // Per account only: the person is signed in, and an IP address may be
    // shared by a whole town hall (see the two-factor code in sign_in.rs).
    let keys = [key.as_str()];
    if let Err(wait) = state.limiter.attempt(Limit::SignIn, &keys, Instant::now()) {
        let mut errors = FormErrors::default();
        errors.add("password", lang.ta("error-too-many", &[("seconds", wait.secs().into())]));
        return Ok(too_many(form_again(errors), wait));
    }
    if !password_ok(turn, form.password.clone(), Some(viewer.account.password_hash.clone())).await? {
        let mut errors = FormErrors::default();
        errors.add("password", lang.t("error-password"));
        return Ok(refused(form_again(errors), StatusCode::UNPROCESSABLE_ENTITY));
    }
    let old = viewer.token_hash;
    let code = Some(form.code.clone()).filter(|_| viewer.two_factor);
    let actor = Actor::person(viewer.account.id, ip);
    let token = sessions::new_token()?;
    let t = token.clone();
    let secrets = state.store.keys().clone();
    let outcome = state
        .store
        .write(move |tx| sessions::reauthenticate(tx, &secrets, &actor, &old, code.as_deref(), &t, now_unix()))
        .await
        .inspect_err(|_| state.limiter.refund(Limit::SignIn, &keys))?;
    if let Err(refusal) = outcome {
        let mut errors = FormErrors::default();
        let message = if matches!(refusal, TwoFactorError::Replayed) {
            lang.t("error-code-replayed")
        } else {
            lang.t("error-code")
        };
        errors.add("code", message);
        return Ok(refused(form_again(errors), StatusCode::UNPROCESSABLE_ENTITY));
    }
    state.limiter.refund(Limit::SignIn, &keys);
    state.limiter.clear(Limit::SignIn, &key);
    // The session moved to a new token: this browser gets it.
    let mut resp = Redirect::see_other(local_path(&form.suivant)).into_response();
    add_cookie(&mut resp, &session_cookie(&state, &token));
    Ok(resp)
}

/// `GET /compte/sessions`.
#[poem::handler]
pub async fn sessions_list(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
) -> Result<Markup, AppError> {
    let list = sessions::list(&*state.store.read()?, viewer.account.id, state.config.sessions, now_unix())?;
    let title = chrome.t("sessions-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p { (chrome.t("sessions-lead")) }
            table {
                caption.visually-hidden { (title) }
                thead { tr {
                    th scope="col" { (chrome.t("sessions-device")) }
                    th scope="col" { (chrome.t("sessions-ip")) }
                    th scope="col" { (chrome.t("sessions-started")) }
                    th scope="col" { (chrome.t("sessions-last-seen")) }
                    th scope="col" { span.visually-hidden { (chrome.t("sessions-action")) } }
                } }
                tbody {
                    @for (hash, s) in &list {
                        tr {
                            td { (s.device) }
                            td { (s.ip) }
                            td { (when(s.created_at)) }
                            td { (when(s.last_seen_at)) }
                            td {
                                @if *hash == viewer.token_hash {
                                    strong { (chrome.t("sessions-this-device")) }
                                } @else {
                                    form.inline-form method="post" action="/compte/sessions/revoquer" {
                                        (csrf_field(&chrome))
                                        input type="hidden" name="session" value=(hex::encode(hash));
                                        button.button.button-secondary type="submit" { (chrome.t("sessions-revoke")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if list.len() > 1 {
                form method="post" action="/compte/sessions/revoquer" {
                    (csrf_field(&chrome))
                    input type="hidden" name="session" value="others";
                    (submit(&chrome.t("sessions-revoke-others")))
                }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct RevokeForm {
    #[serde(default)]
    session: String,
}

/// `POST /compte/sessions/revoquer`: one session of one's own, or all the others.
#[poem::handler]
pub async fn revoke(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<RevokeForm>,
) -> Result<Response, AppError> {
    let mine = viewer.token_hash;
    let lifetime = state.config.sessions;
    let actor = Actor::person(viewer.account.id, ip);
    let target = form.session.clone();
    let n = state
        .store
        .write(move |tx| {
            let which = if target == "others" { Revoke::Others } else { Revoke::One(&target) };
            sessions::revoke_own(tx, &actor, &mine, which, lifetime, now_unix())
        })
        .await?;
    let flash = if n > 0 { Flash::success("flash-sessions-revoked") } else { Flash::info("flash-nothing-changed") };
    Ok(redirect_with(&state, "/compte/sessions", flash))
}
