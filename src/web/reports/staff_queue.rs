//! `GET /signalements/a-traiter`: the staff's queue of open reports, their
//! own services' first, oldest first, with their age; filtered by
//! category, status and service.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Query};
use serde::Deserialize;

use super::{category_name, date, place, status_badge, status_label};
use crate::app::AppState;
use crate::config::StatusKind;
use crate::domain::accounts::AccountId;
use crate::domain::now_unix;
use crate::domain::reports::{self, QueueFilter, Queued};
use crate::i18n::Arg;
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::components::{select, table_head, FormErrors};
use crate::web::errors::AppError;
use crate::web::layout::page;

/// The most rows a group shows: past it, the page says to filter (the
/// oldest are shown, which are the ones to handle first).
pub const MAX_ROWS: usize = 200;

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    categorie: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    service: String,
    /// "moi": only the reports assigned to the viewer.
    #[serde(default)]
    attribue: String,
}

impl QueueQuery {
    fn filter(&self, viewer: AccountId) -> QueueFilter {
        let given = |v: &str| Some(v.to_string()).filter(|v| !v.is_empty());
        QueueFilter {
            category: given(&self.categorie),
            status: given(&self.statut),
            service: given(&self.service),
            assignee: (self.attribue == "moi").then_some(viewer),
        }
    }
}

fn filters(chrome: &Chrome, q: &QueueQuery) -> Markup {
    let settings = &chrome.config().reports;
    let all = || vec![(String::new(), chrome.t("filter-all"))];
    let mut categories = all();
    categories.extend(settings.categories.iter().map(|c| (c.code.clone(), c.name.clone())));
    let mut statuses = all();
    statuses.extend(
        settings
            .statuses
            .iter()
            .filter(|s| s.kind == StatusKind::Open)
            .map(|s| (s.code.clone(), status_label(chrome, &s.code))),
    );
    let mut services = all();
    services.extend(settings.services.iter().map(|s| (s.code.clone(), s.name.clone())));
    let none = FormErrors::default();
    html! {
        form.filters method="get" action="/signalements/a-traiter" {
            (select(chrome, &none, "categorie", &chrome.t("problem-field-category"), None, &categories, &q.categorie))
            (select(chrome, &none, "statut", &chrome.t("field-status"), None, &statuses, &q.statut))
            (select(chrome, &none, "service", &chrome.t("staff-queue-service"), None, &services, &q.service))
            (checkbox("attribue", &chrome.t("staff-queue-assigned-to-me"), q.attribue == "moi"))
            button.button.button-secondary type="submit" { (chrome.t("filter-apply")) }
        }
    }
}

/// The "assigned to me" box (its value is the query's word).
fn checkbox(name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.form-group.checkbox {
            input type="checkbox" id=(name) name=(name) value="moi" checked[checked];
            label for=(name) { (label) }
        }
    }
}

/// How long a report has waited, in whole days.
fn age(chrome: &Chrome, created_at: i64, now: i64) -> String {
    let days = (now - created_at).max(0) / 86_400;
    chrome.lang.ta("staff-queue-age", &[("days", Arg::from(days))])
}

/// One group of the queue as a table (a caption names it for screen readers).
fn table(chrome: &Chrome, caption: &str, rows: &[&Queued], now: i64) -> Markup {
    let config = chrome.config();
    let lang = chrome.lang;
    html! {
        @if rows.is_empty() {
            p { (chrome.t("staff-queue-none")) }
        } @else {
            table {
                caption { (caption) }
                (table_head(chrome, &["staff-queue-report", "staff-queue-service", "field-status", "problem-place", "staff-queue-filed", "staff-queue-age-heading"]))
                tbody {
                    @for q in rows.iter().take(MAX_ROWS) {
                        @let r = &q.report;
                        tr {
                            td { a href={ "/signalements/" (r.id) } { (lang.ta("problem-number", &[("number", Arg::from(r.id.get()))])) } " — " (category_name(config, &r.category)) }
                            td { (q.service.as_deref().and_then(|s| config.reports.service(s)).map(|s| s.name.as_str()).unwrap_or("—")) }
                            td { (status_badge(chrome, &r.status)) }
                            td { (place(r)) }
                            td { (date(r.created_at)) }
                            td { (age(chrome, r.created_at, now)) }
                        }
                    }
                }
            }
            @if rows.len() > MAX_ROWS {
                p.hint { (lang.ta("staff-queue-more", &[("shown", Arg::from(MAX_ROWS as u64)), ("count", Arg::from(rows.len() as u64))])) }
            }
        }
    }
}

/// `GET /signalements/a-traiter`.
#[poem::handler]
pub async fn index(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Markup, AppError> {
    let settings = &state.config.reports;
    let mine = reports::services_of(settings, &viewer.account.email);
    let queued = reports::queue(&state.store.read()?, settings, &q.filter(viewer.account.id), &mine)?;
    let now = now_unix();
    let (own, others): (Vec<&Queued>, Vec<&Queued>) = queued.iter().partition(|q| q.mine);
    let title = chrome.t("staff-queue-title");
    let lang = chrome.lang;
    Ok(page(
        &chrome,
        &title,
        html! {
            p.breadcrumb { a href="/signalements" { (chrome.t("reports-title")) } }
            h1 { (title) }
            p.lead { (chrome.t("staff-queue-lead")) }
            p { a href="/signalements/tableau-de-bord" { (chrome.t("dashboard-title")) } }
            (filters(&chrome, &q))
            @if mine.is_empty() {
                h2 { (lang.ta("staff-queue-all", &[("count", Arg::from(others.len() as u64))])) }
                (table(&chrome, &title, &others, now))
            } @else {
                h2 { (lang.ta("staff-queue-mine", &[("count", Arg::from(own.len() as u64))])) }
                (table(&chrome, &chrome.t("staff-queue-mine-caption"), &own, now))
                h2 { (lang.ta("staff-queue-others", &[("count", Arg::from(others.len() as u64))])) }
                (table(&chrome, &chrome.t("staff-queue-others-caption"), &others, now))
            }
        },
    ))
}

/// The link to the queue, for staff on the reports' pages.
pub fn link(chrome: &Chrome) -> Markup {
    html! { p { a href="/signalements/a-traiter" { (chrome.t("staff-queue-link")) } } }
}
