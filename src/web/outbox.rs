//! `/admin/courriels`: the messages Parvis sent or is trying to send.
//!
//! Message bodies hold single-use links (password resets): an admin who could
//! read them could take over any account. So bodies are shown only in demo
//! mode, where no mail leaves the machine and reading it is the point.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::Data;

use super::account::settings::when;
use super::auth::Admin;
use super::chrome::Chrome;
use super::errors::AppError;
use super::layout::page;
use crate::app::AppState;
use crate::mail::{outbox, MailState};
use crate::web::components::table_head;

/// `GET /admin/courriels`.
#[poem::handler]
pub async fn list(chrome: Chrome, state: Data<&Arc<AppState>>, _admin: Admin) -> Result<Markup, AppError> {
    let config = &state.config;
    let tx = state.store.read()?;
    let mails = outbox::recent(&tx, state.store.keys(), 100, &config.commune.name)?;
    let backlog = outbox::backlog(&tx)?;
    let failed = outbox::failed_count(&tx)?;
    let title = chrome.t("outbox-title");
    let lang = chrome.lang;
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            @if config.demo {
                p.lead { (chrome.t("outbox-demo")) }
            } @else if config.smtp.host.is_none() {
                p.warning-text { (chrome.t("outbox-no-smtp")) }
            }
            p { (lang.ta("outbox-counts", &[("pending", backlog.into()), ("failed", failed.into())])) }
            @if mails.is_empty() {
                p { (chrome.t("outbox-empty")) }
            } @else {
                table {
                    caption.visually-hidden { (title) }
                    (table_head(&chrome, &["outbox-date", "outbox-to", "outbox-subject", "outbox-state"]))
                    tbody {
                        @for m in &mails {
                            tr {
                                td { (when(m.created_at)) }
                                td { (m.to) }
                                td {
                                    @if config.demo {
                                        details {
                                            summary { (m.subject) }
                                            pre.mail-text { (m.text) }
                                        }
                                    } @else {
                                        (m.subject)
                                    }
                                }
                                td {
                                    @match &m.state {
                                        MailState::Pending { attempts, last_error, .. } => {
                                            (lang.ta("outbox-pending", &[("attempts", u64::from(*attempts).into())]))
                                            @if let Some(e) = last_error { br; small { (e) } }
                                        }
                                        MailState::Sent { at, .. } => { (chrome.t("outbox-sent")) " " (when(*at)) }
                                        MailState::Failed { last_error, .. } => { strong { (chrome.t("outbox-failed")) } br; small { (last_error) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
