//! `/admin/tableau-de-bord`: the staff's dashboard, its printable summary
//! for the municipal council and its CSV downloads.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Query};
use poem::Response;

use super::{Audience, Chart, RangeQuery, View};
use crate::app::AppState;
use crate::domain::{metrics, satisfaction};
use crate::web::assets;
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;
use crate::web::layout::{page, page_with_head};

const BASE: &str = "/admin/tableau-de-bord";

fn view<'a>(chrome: &'a Chrome, state: &'a AppState, q: &RangeQuery) -> Result<View<'a>, AppError> {
    let period = q.period(crate::domain::now_unix());
    let tx = state.store.read()?;
    let dashboard = metrics::dashboard(&tx, period)?;
    let satisfaction = satisfaction::scores(&tx)?;
    Ok(View { chrome, config: &state.config, audience: Audience::Staff, period, dashboard, base: BASE, satisfaction })
}

/// `GET /admin/tableau-de-bord`.
#[poem::handler]
pub async fn show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Query(q): Query<RangeQuery>,
) -> Result<Markup, AppError> {
    let v = view(&chrome, &state, &q)?;
    let title = chrome.t("metrics-staff-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            h1 { (title) }
            p.lead { (chrome.t("metrics-staff-lead")) }
            p { a href={ (BASE) "/synthese?du=" (super::date(v.period.from)) "&au=" (super::date(v.period.to)) } { (chrome.t("metrics-summary-link")) } }
            (v.body(BASE))
            (crate::web::opendata::staff_section(&chrome))
            (crate::web::satisfaction::section(&chrome, v.figure(Chart::Satisfaction))?)
        },
    ))
}

/// `GET /admin/tableau-de-bord/synthese`: one printable page (A4, the
/// consultations' summary stylesheet), figures and tables, no chart script.
#[poem::handler]
pub async fn summary(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Query(q): Query<RangeQuery>,
) -> Result<Markup, AppError> {
    let v = view(&chrome, &state, &q)?;
    let title = chrome.t("metrics-summary-title");
    let head = html! { link rel="stylesheet" href=(assets::url("css/summary.css")); };
    Ok(page_with_head(
        &chrome,
        &title,
        head,
        html! {
            article.summary.metrics-summary {
                h1 { (title) }
                (v.period_line())
                (v.headline())
                (v.score())
                (v.impact())
                @for chart in [Chart::Contributions, Chart::Neighbourhoods, Chart::Ages] {
                    (v.figure(chart))
                }
            }
        },
    ))
}

/// `GET /admin/tableau-de-bord/donnees.csv?chart=…`.
#[poem::handler]
pub async fn csv(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let chart = q.chart.as_deref().and_then(Chart::from_code).ok_or(AppError::NotFound)?;
    view(&chrome, &state, &q)?.csv_response(chart)
}
