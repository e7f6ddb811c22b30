//! `/chiffres`: the same figures for everyone, less anything personal —
//! every count of people under 5 is shown as « moins de 5 », and the budget
//! votes are left out while a vote is open.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Query};
use poem::Response;

use super::{Audience, Chart, RangeQuery, View};
use crate::app::AppState;
use crate::domain::{budgets, metrics, satisfaction};
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::layout::page;

const BASE: &str = "/chiffres";

fn view<'a>(chrome: &'a Chrome, state: &'a AppState, q: &RangeQuery) -> Result<View<'a>, AppError> {
    let now = crate::domain::now_unix();
    let period = q.period(now);
    let tx = state.store.read()?;
    let mut vote_open = false;
    for p in budgets::list(&*tx)?.iter().filter(|p| p.phase(now) == budgets::Phase::Vote) {
        // A pilot group's vote changes nothing the public reads.
        vote_open |= crate::domain::groups::is_public(&*tx, crate::domain::groups::Process::Budget(p.id))?;
    }
    let dashboard = metrics::dashboard(&*tx, period)?;
    let satisfaction = satisfaction::public_scores(&*tx, now)?;
    Ok(View {
        chrome,
        config: &state.config,
        audience: Audience::Public { vote_open },
        period,
        dashboard,
        base: BASE,
        satisfaction,
    })
}

/// `GET /chiffres`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<RangeQuery>,
) -> Result<Markup, AppError> {
    let v = view(&chrome, &state, &q)?;
    let title = chrome.t("metrics-public-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("metrics-public-lead")) }
            p { a href=(crate::web::impact::PATH) { (chrome.t("impact-link")) } }
            (v.body(BASE))
            section aria-labelledby="metrics-satisfaction" {
                h2 #metrics-satisfaction { (chrome.t("satisfaction-title")) }
                p { (chrome.t("satisfaction-public-lead")) }
                (v.figure(Chart::Satisfaction))
            }
            (crate::web::opendata::public_link(chrome.lang))
        },
    ))
}

/// `GET /chiffres/donnees.csv?chart=…`.
#[poem::handler]
pub async fn csv(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let chart = q.chart.as_deref().and_then(Chart::from_code).ok_or(AppError::NotFound)?;
    view(&chrome, &state, &q)?.csv_response(chart)
}
