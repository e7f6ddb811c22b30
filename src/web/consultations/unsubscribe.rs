//! `/consultations/:id/ne-plus-prevenir?compte=…&cle=…`: the link in each
//! outcome mail that stops that person being told of that consultation,
//! without signing in. GET shows what it stops and a button; POST does it
//! — also the one-click POST a mail client sends from the
//! `List-Unsubscribe` header (RFC 8058), which carries no CSRF token: the
//! middleware lets this path through (`is_one_click`), the link's
//! signature being what authorises it.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path, Query};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::AccountId;
use crate::domain::consultations::{self, ConsultationError, ConsultationId};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::csrf_field;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// Whether `path` is a stop link's, whose POST needs no CSRF token.
pub fn is_one_click(path: &str) -> bool {
    path.strip_prefix("/consultations/")
        .and_then(|rest| rest.strip_suffix("/ne-plus-prevenir"))
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The words of the link.
#[derive(Deserialize, Default)]
pub struct Link {
    #[serde(default)]
    compte: u64,
    #[serde(default)]
    cle: String,
}

/// `GET`: what the link stops, and the button.
#[poem::handler]
pub async fn show(chrome: Chrome, Path(id): Path<u64>, Query(link): Query<Link>) -> Result<Markup, AppError> {
    let tx = chrome.state.store.read()?;
    if !consultations::unsubscribe_valid(&tx, ConsultationId(id), AccountId(link.compte), &link.cle) {
        return Err(ConsultationError::LinkInvalid.into());
    }
    let c = consultations::get(&tx, ConsultationId(id))?.ok_or(AppError::NotFound)?;
    drop(tx);
    let title = chrome.t("consultation-unsubscribe-title");
    let action = format!("/consultations/{id}/ne-plus-prevenir?compte={}&cle={}", link.compte, link.cle);
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("consultation-unsubscribe-lead", &[("title", Arg::from(c.title.as_str()))])) }
            form method="post" action=(action) {
                (csrf_field(&chrome))
                button.button type="submit" { (chrome.t("consultation-unsubscribe-confirm")) }
            }
        },
    ))
}

/// `POST`: stops the mails if the link is signed for that person and
/// consultation.
#[poem::handler]
pub async fn stop(
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    Query(link): Query<Link>,
) -> Result<Response, AppError> {
    let (account, sig) = (AccountId(link.compte), link.cle);
    state
        .store
        .write(move |tx| consultations::unsubscribe(tx, ConsultationId(id), account, &sig).map_err(AppError::from))
        .await?;
    Ok(redirect_with(&state, &format!("/consultations/{id}"), Flash::info("flash-consultation-unsubscribed")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_stop_links_path_skips_the_csrf_token() {
        assert!(super::is_one_click("/consultations/12/ne-plus-prevenir"));
        assert!(!super::is_one_click("/consultations/12/suivi"));
        assert!(!super::is_one_click("/consultations//ne-plus-prevenir"));
        assert!(!super::is_one_click("/consultations/1/2/ne-plus-prevenir"));
    }
}
