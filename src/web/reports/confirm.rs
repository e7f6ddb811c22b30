//! `/signalements/confirmer`: the link mailed to someone who reported
//! without an account. The GET shows a button (mail scanners that open
//! links must not publish anything); the POST publishes the report, routes
//! it to its service, and offers an account with the address just proved.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Query};
use poem::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::now_unix;
use crate::domain::reports::{self, Published};
use crate::i18n::Arg;
use crate::web::auth::ClientIp;
use crate::web::chrome::Chrome;
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::AppError;
use crate::web::layout::page;

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    jeton: String,
}

fn invalid_link_page(chrome: &Chrome) -> Response {
    crate::web::account::invalid_link_page(chrome, "/signalements/nouveau", "problem-new-title")
}

/// `GET /signalements/confirmer?jeton=…`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<TokenForm>,
) -> Result<Response, AppError> {
    let Some(id) = reports::peek_confirmation(&state.store.read()?, &q.jeton, now_unix())? else {
        return Ok(invalid_link_page(&chrome));
    };
    let title = chrome.t("problem-confirm-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("problem-confirm-text", &[("number", Arg::from(id.get()))])) }
            form method="post" action="/signalements/confirmer" {
                (csrf_field(&chrome))
                input type="hidden" name="jeton" value=(q.jeton);
                (submit(&chrome.t("problem-confirm-submit")))
            }
        },
    )
    .into_response())
}

/// `POST /signalements/confirmer`: the page says where the report went and
/// offers an account (shown here, not after a redirect: the address it
/// prefills must not travel in a URL or a cookie).
#[poem::handler]
pub async fn confirm(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Form(q): Form<TokenForm>,
) -> Result<Response, AppError> {
    let (state2, notifier) = (state.0.clone(), super::notifier(&state));
    let actor = Actor::anonymous(ip);
    let published = state
        .store
        .write(move |tx| {
            reports::confirm(tx, &state2.config, &notifier, &actor, &q.jeton, now_unix()).map_err(AppError::from)
        })
        .await?;
    match published {
        Some(p) => Ok(published_page(&chrome, &p).into_response()),
        None => Ok(invalid_link_page(&chrome)),
    }
}

fn published_page(chrome: &Chrome, p: &Published) -> Markup {
    let title = chrome.t("problem-published-title");
    let number = Arg::from(p.id.get());
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("problem-published-text", &[("number", number), ("service", Arg::from(p.service.as_str()))])) }
            p { a href={ "/signalements/" (p.id) } { (chrome.t("problem-published-link")) } }
            @if chrome.viewer.is_none() { (account_offer(chrome, p)) }
        },
    )
}

/// The sign-up form with the name and the address the report gave: one
/// password away from an account to follow this report and the next ones.
fn account_offer(chrome: &Chrome, p: &Published) -> Markup {
    let errors = FormErrors::default();
    html! {
        section.panel aria-labelledby="compte" {
            h2 #compte { (chrome.t("problem-account-offer-title")) }
            p { (chrome.lang.ta("problem-account-offer-text", &[("email", Arg::from(p.email.as_str()))])) }
            form method="post" action="/inscription" novalidate {
                (csrf_field(chrome))
                input type="hidden" name="display_name" value=(p.name);
                input type="hidden" name="email" value=(p.email);
                (Input::new("password", chrome.t("field-new-password"), "")
                    .kind("password").autocomplete("new-password").hint(chrome.t("field-new-password-hint")).render(chrome, &errors))
                (submit(&chrome.t("problem-account-offer-submit")))
            }
        }
    }
}
