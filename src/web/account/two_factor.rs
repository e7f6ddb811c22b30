//! `/compte/double-authentification`: enrolment with a QR code and the secret
//! in text, confirmation by a first code, recovery codes shown once, renewal,
//! and turning it off (never for roles that require it).

use std::sync::Arc;

use maud::{html, Markup, PreEscaped};
use poem::http::StatusCode;
use poem::web::{Data, Form, Redirect};
use poem::{IntoResponse, Response};
use qrcodegen::{QrCode, QrCodeEcc};
use serde::Deserialize;

use super::{redirect_with, require_recent};
use crate::app::AppState;
use crate::domain::accounts::Role;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::two_factor::{self, TwoFactorError};
use crate::web::auth::{ClientIp, SignedIn};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::{page, page_with_errors};

const HERE: &str = "/compte/double-authentification";

/// The QR code of an otpauth URL as inline SVG (no script, no style: allowed by the CSP).
fn qr_svg(text: &str) -> Option<String> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 4;
    let size = qr.size() + border * 2;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" aria-hidden=\"true\" focusable=\"false\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// `GET /compte/double-authentification`.
#[poem::handler]
pub async fn overview(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
) -> Result<Markup, AppError> {
    let title = chrome.t("two-factor-title");
    let left = two_factor::recovery_codes_left(&*state.store.read()?, viewer.account.id)?;
    let required = viewer.account.role >= Role::Moderator;
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("two-factor-lead")) }
            @if viewer.two_factor {
                p { strong { (chrome.t("two-factor-is-on")) } }
                p { (chrome.lang.ta("two-factor-codes-left", &[("count", (left as u64).into())])) }
                div.actions {
                    form.inline-form method="post" action="/compte/double-authentification/codes" {
                        (csrf_field(&chrome))
                        (submit(&chrome.t("two-factor-new-codes")))
                    }
                    @if !required {
                        form.inline-form method="post" action="/compte/double-authentification/desactiver" {
                            (csrf_field(&chrome))
                            button.button.button-secondary type="submit" { (chrome.t("two-factor-disable")) }
                        }
                    }
                }
                @if required { p { (chrome.t("two-factor-required-for-role")) } }
            } @else {
                @if required { p.warning-text { (chrome.t("two-factor-required-for-role")) } }
                p { (chrome.t("two-factor-how")) }
                form method="post" action="/compte/double-authentification/commencer" {
                    (csrf_field(&chrome))
                    (submit(&chrome.t("two-factor-start")))
                }
            }
        },
    ))
}

/// `POST /compte/double-authentification/commencer`.
#[poem::handler]
pub async fn start(state: Data<&Arc<AppState>>, SignedIn(viewer): SignedIn) -> Result<Response, AppError> {
    require_recent(&viewer, HERE)?;
    let id = viewer.account.id;
    let keys = state.store.keys().clone();
    state.store.write(move |tx| two_factor::begin_enrolment(tx, &keys, id, now_unix())).await?;
    Ok(Redirect::see_other("/compte/double-authentification/configurer").into_response())
}

fn setup_page(chrome: &Chrome, secret: &[u8], email: &str, errors: &FormErrors) -> Result<Markup, AppError> {
    let (url, text_secret) = two_factor::provisioning(secret, &chrome.config().commune.name, email)?;
    let grouped: Vec<String> =
        text_secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).to_string()).collect();
    let title = chrome.t("two-factor-setup-title");
    Ok(page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            h1 { (title) }
            ol {
                li { (chrome.t("two-factor-step-app")) }
                li {
                    (chrome.t("two-factor-step-scan"))
                    @if let Some(svg) = qr_svg(&url) { div { (PreEscaped(svg)) } }
                }
                li {
                    (chrome.t("two-factor-step-type"))
                    p.secret { code { (grouped.join(" ")) } }
                }
                li { (chrome.t("two-factor-step-code")) }
            }
            form method="post" action="/compte/double-authentification/configurer" novalidate {
                (csrf_field(chrome))
                (Input::new("code", chrome.t("field-code"), "").autocomplete("one-time-code").hint(chrome.t("field-code-hint")).render(chrome, errors))
                (submit(&chrome.t("two-factor-confirm")))
            }
        },
    ))
}

/// `GET /compte/double-authentification/configurer`.
#[poem::handler]
pub async fn setup(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, AppError> {
    match two_factor::pending_secret(&*state.store.read()?, state.store.keys(), viewer.account.id)? {
        Some(secret) => {
            Ok(setup_page(&chrome, &secret, &viewer.account.email, &FormErrors::default())?.into_response())
        }
        None => Ok(Redirect::see_other(HERE).into_response()),
    }
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn codes_page(chrome: &Chrome, codes: &[String]) -> Markup {
    let title = chrome.t("two-factor-codes-title");
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("two-factor-codes-lead")) }
            ul.codes { @for c in codes { li { code { (c) } } } }
            p.warning-text { (chrome.t("two-factor-codes-once")) }
            p { a.button href="/compte" { (chrome.t("two-factor-codes-done")) } }
        },
    )
}

/// `POST /compte/double-authentification/configurer`: the first code turns it on.
#[poem::handler]
pub async fn confirm(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    require_recent(&viewer, HERE)?;
    let actor = Actor::person(viewer.account.id, ip);
    let code = form.code.clone();
    let keys = state.store.keys().clone();
    let outcome = state
        .store
        .write(move |tx| match two_factor::enable(tx, &keys, &actor, &code, now_unix()) {
            Err(TwoFactorError::Store(e)) => Err(e),
            outcome => Ok(outcome),
        })
        .await?;
    match outcome {
        Ok(codes) => Ok(codes_page(&chrome, &codes).into_response()),
        Err(TwoFactorError::NoEnrolment) => Ok(Redirect::see_other(HERE).into_response()),
        Err(_) => {
            let Some(secret) =
                two_factor::pending_secret(&*state.store.read()?, state.store.keys(), viewer.account.id)?
            else {
                return Ok(Redirect::see_other(HERE).into_response());
            };
            let mut errors = FormErrors::default();
            errors.add("code", chrome.t("error-code"));
            Ok(refused(setup_page(&chrome, &secret, &viewer.account.email, &errors)?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /compte/double-authentification/codes`: new recovery codes, the old ones stop working.
#[poem::handler]
pub async fn renew_codes(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    require_recent(&viewer, HERE)?;
    if !viewer.two_factor {
        return Ok(Redirect::see_other(HERE).into_response());
    }
    let actor = Actor::person(viewer.account.id, ip);
    let codes = state.store.write(move |tx| two_factor::renew_recovery_codes(tx, &actor, now_unix())).await?;
    Ok(codes_page(&chrome, &codes).into_response())
}

/// `POST /compte/double-authentification/desactiver`: residents only.
#[poem::handler]
pub async fn disable(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    require_recent(&viewer, HERE)?;
    let actor = Actor::person(viewer.account.id, ip);
    state.store.write(move |tx| two_factor::turn_off(tx, &actor, now_unix())).await?;
    Ok(redirect_with(&state, HERE, Flash::success("flash-two-factor-disabled")))
}
