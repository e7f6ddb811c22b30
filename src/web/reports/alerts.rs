//! Alerts of the problem reports: follow a neighbourhood or a category
//! from the list page filtered by it (`POST /signalements/alertes`), see
//! and stop them on the account's notifications page, or stop one from
//! the link of its mail (`/signalements/alertes/arreter`, a page that
//! confirms by POST, so that a link scanner stops nothing).

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Form, Query};
use poem::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::AccountId;
use crate::domain::now_unix;
use crate::domain::reports::{self, Area, ReportError};
use crate::i18n::Arg;
use crate::web::account::redirect_with;
use crate::web::auth::SignedIn;
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::csrf_field;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// The list page's control for the neighbourhood or category it is
/// filtered by: follow it, or stop; a visitor is offered to sign in.
pub fn follow_controls(chrome: &Chrome, areas: &[Area]) -> Result<Markup, AppError> {
    if areas.is_empty() {
        return Ok(html! {});
    }
    let Some(viewer) = chrome.viewer.as_ref() else {
        return Ok(html! {
            p.alerts { a href={ "/connexion?suivant=/signalements" } { (chrome.t("alerts-sign-in")) } }
        });
    };
    let tx = chrome.state.store.read()?;
    let mut forms = Vec::new();
    for area in areas {
        let following = reports::follows_area(&tx, viewer.account.id, area)?;
        let key = match (area, following) {
            (Area::Category(_), false) => "alerts-follow-category",
            (Area::Neighbourhood(_), false) => "alerts-follow-neighbourhood",
            (Area::Category(_), true) => "alerts-unfollow-category",
            (Area::Neighbourhood(_), true) => "alerts-unfollow-neighbourhood",
        };
        forms.push(html! {
            form.inline-form method="post" action="/signalements/alertes" {
                (csrf_field(chrome))
                input type="hidden" name="type" value=(area.kind());
                input type="hidden" name="code" value=(area.code());
                input type="hidden" name="suivre" value=(if following { "non" } else { "oui" });
                button.button.button-secondary type="submit" { (chrome.t(key)) }
            }
        });
    }
    Ok(html! { div.alerts { @for f in &forms { (f) } } })
}

/// The account page's list of alerts, each with its stop button.
pub fn account_section(chrome: &Chrome, account: AccountId) -> Result<Markup, AppError> {
    let areas = reports::areas_followed(&chrome.state.store.read()?, chrome.config(), account)?;
    Ok(html! {
        section aria-labelledby="alertes" {
            h2 #alertes { (chrome.t("alerts-title")) }
            @if areas.is_empty() { p { (chrome.t("alerts-none")) } }
            @else {
                p { (chrome.t("alerts-lead")) }
                ul {
                    @for area in &areas {
                        li {
                            (area.name(chrome.config())) " "
                            form.inline-form method="post" action="/signalements/alertes" {
                                (csrf_field(chrome))
                                input type="hidden" name="type" value=(area.kind());
                                input type="hidden" name="code" value=(area.code());
                                input type="hidden" name="suivre" value="non";
                                input type="hidden" name="retour" value="compte";
                                button.link-button.link-button-dark type="submit" { (chrome.t("alerts-stop")) " " span.visually-hidden { (area.name(chrome.config())) } }
                            }
                        }
                    }
                }
            }
        }
    })
}

#[derive(Deserialize, Default)]
pub struct FollowForm {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    suivre: String,
    /// "compte" to come back to the account's notifications page.
    #[serde(default)]
    retour: String,
}

/// `POST /signalements/alertes`.
#[poem::handler]
pub async fn follow(
    state: Data<&Arc<AppState>>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<FollowForm>,
) -> Result<Response, AppError> {
    let area = Area::parse(&form.kind, &form.code).ok_or(AppError::from(ReportError::UnknownCategory))?;
    let want = form.suivre != "non";
    let (account, config, a) = (viewer.account.id, state.config.clone(), area.clone());
    state
        .store
        .write(move |tx| {
            if want {
                reports::follow_area(tx, &config, account, &a, now_unix())
            } else {
                reports::unfollow_area(tx, account, &a)
            }
            .map_err(AppError::from)
        })
        .await?;
    let back = match form.retour.as_str() {
        "compte" => "/compte/notifications".to_string(),
        _ => {
            let q = url::form_urlencoded::Serializer::new(String::new()).append_pair(area.kind(), area.code()).finish();
            format!("/signalements?{q}")
        }
    };
    let flash = if want { Flash::success("flash-alert-following") } else { Flash::info("flash-alert-stopped") };
    Ok(redirect_with(&state, &back, flash))
}

/// The words of an unsubscribe link, and of the form that confirms it.
#[derive(Deserialize, Default, Clone)]
pub struct Stop {
    #[serde(default)]
    compte: u64,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    cle: String,
}

/// `GET /signalements/alertes/arreter`: what the link stops, and the button.
#[poem::handler]
pub async fn stop_show(chrome: Chrome, Query(s): Query<Stop>) -> Result<Markup, AppError> {
    let area = Area::parse(&s.kind, &s.code).ok_or(AppError::from(ReportError::LinkInvalid))?;
    if !reports::unsubscribe_valid(&chrome.state.store.read()?, AccountId(s.compte), &area, &s.cle) {
        return Err(ReportError::LinkInvalid.into());
    }
    let title = chrome.t("alerts-stop-title");
    let name = area.name(chrome.config());
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.lang.ta("alerts-stop-lead", &[("area", Arg::from(name.as_str()))])) }
            form method="post" action="/signalements/alertes/arreter" {
                (csrf_field(&chrome))
                input type="hidden" name="compte" value=(s.compte);
                input type="hidden" name="type" value=(s.kind);
                input type="hidden" name="code" value=(s.code);
                input type="hidden" name="cle" value=(s.cle);
                button.button type="submit" { (chrome.t("alerts-stop")) }
            }
        },
    ))
}

/// `POST /signalements/alertes/arreter`: stops it if the link is signed
/// for that account and area.
#[poem::handler]
pub async fn stop(state: Data<&Arc<AppState>>, Form(s): Form<Stop>) -> Result<Response, AppError> {
    let area = Area::parse(&s.kind, &s.code).ok_or(AppError::from(ReportError::LinkInvalid))?;
    state
        .store
        .write(move |tx| reports::unsubscribe(tx, AccountId(s.compte), &area, &s.cle).map_err(AppError::from))
        .await?;
    Ok(redirect_with(&state, "/signalements", Flash::info("flash-alert-stopped")))
}
