//! `/compte/notifications`: what happened to the proposals one follows.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::Data;
use poem::Response;

use super::redirect_with;
use crate::app::AppState;
use crate::domain::notifications;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit};
use crate::web::errors::AppError;
use crate::web::layout::page;

/// `GET /compte/notifications`.
#[poem::handler]
pub async fn list(chrome: Chrome, state: Data<&Arc<AppState>>, SignedIn(viewer): SignedIn) -> Result<Markup, AppError> {
    let items = notifications::recent(&*state.store.read()?, viewer.account.id, 100)?;
    let title = chrome.t("notifications-title");
    let alerts = crate::web::reports::alerts::account_section(&chrome, viewer.account.id)?;
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            @if items.is_empty() { p { (chrome.t("notifications-none")) } }
            @else {
                ul.notifications {
                    @for (_, n) in &items {
                        @let (subject, text) = n.event.render(chrome.lang);
                        li class=(if n.read { "notification" } else { "notification unread" }) {
                            @if !n.read { span.visually-hidden { (chrome.t("notifications-unread")) " " } }
                            a href=(n.event.path()) { strong { (subject) } }
                            br;
                            (text) " — " (super::settings::when(n.at))
                        }
                    }
                }
                form method="post" action="/compte/notifications" {
                    (csrf_field(&chrome))
                    (submit(&chrome.t("notifications-mark-read")))
                }
            }
            (alerts)
        },
    ))
}

/// `POST /compte/notifications`: marks them all read.
#[poem::handler]
pub async fn mark_read(state: Data<&Arc<AppState>>, SignedIn(viewer): SignedIn) -> Result<Response, AppError> {
    let id = viewer.account.id;
    state.store.write(move |tx| notifications::mark_all_read(tx, id)).await?;
    Ok(redirect_with(&state, "/compte/notifications", Flash::success("flash-notifications-read")))
}
