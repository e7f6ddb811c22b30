//! `GET /signalements/tableau-de-bord`: the staff's dashboard — open
//! reports per category and service with their age, the median time to
//! fix per category, and where reports come from, as tables (the heat map
//! in text: per neighbourhood, and per cell of about 500 m).

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::Data;

use super::category_name;
use crate::app::AppState;
use crate::domain::now_unix;
use crate::domain::reports::{self, OpenAges, CELL_MICRODEGREES};
use crate::i18n::Arg;
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::components::table_head;
use crate::web::errors::AppError;
use crate::web::layout::page;

/// The busiest cells listed (the rest are few reports each).
pub const MAX_CELLS: usize = 20;

fn days(chrome: &Chrome, seconds: i64) -> String {
    chrome.lang.ta("staff-queue-age", &[("days", Arg::from(seconds.max(0) / 86_400))])
}

fn open_table(chrome: &Chrome, caption: &str, first: &str, rows: &[(String, &OpenAges)]) -> Markup {
    html! {
        @if rows.is_empty() {
            p { (chrome.t("staff-queue-none")) }
        } @else {
            table {
                caption { (caption) }
                (table_head(chrome, &[first, "dashboard-open", "dashboard-oldest", "dashboard-median-age"]))
                tbody {
                    @for (name, a) in rows {
                        tr { th scope="row" { (name) } td { (a.open) } td { (days(chrome, a.oldest)) } td { (days(chrome, a.median)) } }
                    }
                }
            }
        }
    }
}

/// `GET /signalements/tableau-de-bord`.
#[poem::handler]
pub async fn index(chrome: Chrome, state: Data<&Arc<AppState>>, Staff(_viewer): Staff) -> Result<Markup, AppError> {
    let config = chrome.config();
    let settings = &config.reports;
    let d = reports::dashboard(&state.store.read()?, settings, now_unix())?;
    let categories: Vec<(String, &OpenAges)> =
        d.by_category.iter().map(|(code, a)| (category_name(config, code), a)).collect();
    let services: Vec<(String, &OpenAges)> = d
        .by_service
        .iter()
        .map(|(code, a)| (settings.service(code).map(|s| s.name.clone()).unwrap_or_else(|| code.clone()), a))
        .collect();
    let mut cells: Vec<(&(i32, i32), &u64)> = d.by_cell.iter().collect();
    cells.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let half = f64::from(CELL_MICRODEGREES) / 2.0;
    let title = chrome.t("dashboard-title");
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href="/signalements/a-traiter" { (chrome.t("staff-queue-title")) } }
            h1 { (title) }
            h2 { (chrome.t("dashboard-open-heading")) }
            (open_table(&chrome, &chrome.t("dashboard-by-category"), "problem-field-category", &categories))
            (open_table(&chrome, &chrome.t("dashboard-by-service"), "staff-queue-service", &services))
            h2 { (chrome.t("dashboard-fix-heading")) }
            @if d.time_to_fix.is_empty() {
                p { (chrome.t("dashboard-none-fixed")) }
            } @else {
                table {
                    caption { (chrome.t("dashboard-fix-caption")) }
                    (table_head(&chrome, &["problem-field-category", "dashboard-fixed", "dashboard-median-fix"]))
                    tbody {
                        @for (code, t) in &d.time_to_fix {
                            tr { th scope="row" { (category_name(config, code)) } td { (t.fixed) } td { (days(&chrome, t.median)) } }
                        }
                    }
                }
            }
            h2 { (chrome.t("dashboard-where-heading")) }
            @if !config.commune.neighbourhoods.is_empty() {
                table {
                    caption { (chrome.t("dashboard-by-neighbourhood")) }
                    (table_head(&chrome, &["field-neighbourhood-place", "dashboard-reports"]))
                    tbody {
                        @for (n, count) in &d.by_neighbourhood {
                            tr { th scope="row" { (n.clone().unwrap_or_else(|| chrome.t("dashboard-no-neighbourhood"))) } td { (count) } }
                        }
                    }
                }
            }
            @if !cells.is_empty() {
                table {
                    caption { (chrome.lang.ta("dashboard-by-cell", &[("count", Arg::from(cells.len().min(MAX_CELLS) as u64))])) }
                    (table_head(&chrome, &["dashboard-cell", "dashboard-reports"]))
                    tbody {
                        @for ((row, col), count) in cells.iter().take(MAX_CELLS) {
                            @let lat = (f64::from(*row) * f64::from(CELL_MICRODEGREES) + half) / 1e6;
                            @let lon = (f64::from(*col) * f64::from(CELL_MICRODEGREES) + half) / 1e6;
                            tr { th scope="row" { (format!("{lat:.4}, {lon:.4}")) } td { (count) } }
                        }
                    }
                }
            }
        },
    ))
}
