//! `/compte/notifications/reglages`: how a person hears of each kind of
//! notification (at once, daily or weekly digest, never); and
//! `/compte/notifications/arreter?compte=…&type=…&cle=…`, the link in every
//! notification and digest mail that stops a kind without signing in. GET
//! shows what it stops and a button; POST does it — also the one-click POST
//! a mail client sends from `List-Unsubscribe` (RFC 8058), which carries no
//! CSRF token: the middleware lets this path through (`is_one_click`), the
//! link's signature being what authorises it.

use std::collections::HashMap;
use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Query};
use poem::Response;
use serde::Deserialize;

use super::redirect_with;
use crate::app::AppState;
use crate::domain::accounts::AccountId;
use crate::domain::notifications::{self, Delivery, Kind, Stop, StopError, STOP_PATH};
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit};
use crate::web::errors::{AppError, Refusal};
use crate::web::layout::page;

impl From<StopError> for AppError {
    fn from(e: StopError) -> Self {
        match e {
            StopError::LinkInvalid => Refusal::LinkInvalid.into(),
            StopError::Store(e) => e.into(),
        }
    }
}

/// Whether `path` is the stop link's, whose POST needs no CSRF token.
pub fn is_one_click(path: &str) -> bool {
    path == STOP_PATH
}

fn kind_key(kind: Kind) -> String {
    format!("notif-kind-{}", kind.code())
}

fn delivery_key(delivery: Delivery) -> String {
    format!("notif-delivery-{}", delivery.code())
}

/// `GET /compte/notifications/reglages`: one fieldset of labelled radios per kind.
#[poem::handler]
pub async fn show(chrome: Chrome, SignedIn(viewer): SignedIn) -> Result<Markup, AppError> {
    let current = notifications::settings(&*chrome.state.store.read()?, viewer.account.id)?;
    let title = chrome.t("notif-settings-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("notif-settings-lead")) }
            form method="post" action=(notifications::SETTINGS_PATH) {
                (csrf_field(&chrome))
                @for kind in Kind::OFFERED {
                    @let hint = format!("{}-aide", kind.code());
                    fieldset.fieldset aria-describedby=(hint) {
                        legend { (chrome.t(&kind_key(kind))) }
                        p.hint id=(hint) { (chrome.t(&format!("{}-hint", kind_key(kind)))) }
                        @for delivery in Delivery::ALL {
                            @let id = format!("{}-{}", kind.code(), delivery.code());
                            div.radio {
                                input type="radio" id=(id) name=(kind.code()) value=(delivery.code())
                                    checked[current.delivery(kind) == delivery];
                                label for=(id) { (chrome.t(&delivery_key(delivery))) }
                            }
                        }
                    }
                }
                (submit(&chrome.t("notif-settings-save")))
            }
            // Meetings' and answers' mails are transactional, not news one
            // follows: said here, so that nobody looks for them above.
            h2 { (chrome.t("notif-settings-not-here-title")) }
            p { (chrome.t("notif-settings-not-here")) }
            p { a href="/compte/notifications" { (chrome.t("notifications-title")) } }
        },
    ))
}

/// `POST /compte/notifications/reglages`: saves the kinds sent (a word
/// that names no delivery is ignored: the form only offers valid ones).
#[poem::handler]
pub async fn save(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let choices: Vec<(Kind, Delivery)> = Kind::OFFERED
        .into_iter()
        .filter_map(|k| fields.get(k.code()).and_then(|v| Delivery::from_code(v)).map(|d| (k, d)))
        .collect();
    let id = viewer.account.id;
    state.store.write(move |tx| notifications::save_settings(tx, id, &choices)).await?;
    Ok(redirect_with(&state, notifications::SETTINGS_PATH, Flash::success("flash-notif-settings-saved")))
}

/// The words of a stop link.
#[derive(Deserialize, Default)]
pub struct Link {
    #[serde(default)]
    compte: u64,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    cle: String,
}

impl Link {
    fn stop(&self) -> Result<Stop, AppError> {
        Stop::from_code(&self.kind).ok_or_else(|| Refusal::LinkInvalid.into())
    }
}

/// `GET`: what the link stops, and the button (a link scanner that opens
/// every link stops nothing).
#[poem::handler]
pub async fn stop_show(chrome: Chrome, Query(link): Query<Link>) -> Result<Markup, AppError> {
    let stop = link.stop()?;
    if !notifications::stop_valid(&chrome.state.store.read()?, AccountId(link.compte), stop, &link.cle) {
        return Err(Refusal::LinkInvalid.into());
    }
    let what = match stop {
        Stop::Kind(kind) => chrome.t(&kind_key(kind)),
        Stop::Digests => chrome.t("notif-stop-digests"),
    };
    let title = chrome.t("notif-stop-title");
    let action = format!("{STOP_PATH}?compte={}&type={}&cle={}", link.compte, stop.code(), link.cle);
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("notif-stop-lead")) " " strong { (what) } }
            form method="post" action=(action) {
                (csrf_field(&chrome))
                button.button type="submit" { (chrome.t("notif-stop-confirm")) }
            }
        },
    ))
}

/// `POST`: sets the kind (or every digest's kind) to "never" if the link
/// is signed for that person and kind.
#[poem::handler]
pub async fn stop_post(state: Data<&Arc<AppState>>, Query(link): Query<Link>) -> Result<Response, AppError> {
    let what = link.stop()?;
    let (account, sig) = (AccountId(link.compte), link.cle);
    state.store.write(move |tx| notifications::stop(tx, account, what, &sig).map_err(AppError::from)).await?;
    Ok(redirect_with(&state, "/", Flash::info("flash-notif-stopped")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_stop_links_path_skips_the_csrf_token() {
        assert!(super::is_one_click("/compte/notifications/arreter"));
        assert!(!super::is_one_click("/compte/notifications/reglages"));
        assert!(!super::is_one_click("/compte/notifications"));
    }
}
