//! `GET /signalements`: the reports, newest first, filtered by category,
//! status, neighbourhood and dates, a page at a time; the map draws the
//! page's points, listed in text as its alternative.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Query};
use serde::Deserialize;

use super::new::excerpt;
use super::{category_name, date, map, place, status_badge, status_label};
use crate::app::AppState;
use crate::domain::accounts::Role;
use crate::domain::reports::{self, Filter, Page};
use crate::i18n::Arg;
use crate::web::chrome::Chrome;
use crate::web::components::{select, FormErrors, Input};
use crate::web::errors::AppError;
use crate::web::layout::page_with_head;

/// Reports on one page of the list.
pub const PER_PAGE: usize = 20;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    categorie: String,
    #[serde(default)]
    statut: String,
    /// A service's code: the reports of its categories (its queue).
    #[serde(default)]
    service: String,
    #[serde(default)]
    quartier: String,
    /// From this day (YYYY-MM-DD), included.
    #[serde(default)]
    du: String,
    /// To this day (YYYY-MM-DD), included.
    #[serde(default)]
    au: String,
    #[serde(default)]
    page: usize,
}

impl ListQuery {
    pub(super) fn link(&self, page: usize) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("categorie", &self.categorie),
            ("statut", &self.statut),
            ("service", &self.service),
            ("quartier", &self.quartier),
            ("du", &self.du),
            ("au", &self.au),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        if page > 0 {
            q.append_pair("page", &page.to_string());
        }
        format!("?{}", q.finish())
    }

    /// The feed of the reports this list shows (`feeds::list`): its
    /// category, status and neighbourhood, not its dates, since a feed
    /// follows what comes next.
    pub fn feed_link(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("categorie", &self.categorie), ("statut", &self.statut), ("quartier", &self.quartier)] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        match q.finish() {
            q if q.is_empty() => "/signalements/flux.atom".to_string(),
            q => format!("/signalements/flux.atom?{q}"),
        }
    }

    /// The neighbourhood and category the list is filtered by, which one
    /// may follow (`alerts::follow_controls`).
    pub fn areas(&self) -> Vec<crate::domain::reports::Area> {
        use crate::domain::reports::Area;
        let mut out = Vec::new();
        if !self.quartier.is_empty() {
            out.push(Area::Neighbourhood(self.quartier.clone()));
        }
        if !self.categorie.is_empty() {
            out.push(Area::Category(self.categorie.clone()));
        }
        out
    }

    /// The filter the query asks for; an unknown word or a date that does
    /// not parse filters nothing rather than failing the page.
    pub(super) fn filter(&self, config: &crate::config::Config) -> Filter {
        const DAY: i64 = 24 * 3600;
        let given = |v: &str| Some(v.to_string()).filter(|v| !v.is_empty());
        Filter {
            category: given(&self.categorie),
            // An unknown service lists nothing rather than everything.
            categories: given(&self.service).map(|service| {
                config.reports.categories.iter().filter(|c| c.service == service).map(|c| c.code.clone()).collect()
            }),
            status: given(&self.statut),
            neighbourhood: given(&self.quartier),
            from: super::super::proposals::parse_date(&self.du),
            // The whole last day: up to the next day's start (a day of a
            // clock change is an hour off, which a day filter can bear).
            to: super::super::proposals::parse_date(&self.au).map(|t| t + DAY),
        }
    }
}

fn filters(chrome: &Chrome, q: &ListQuery) -> Markup {
    let config = chrome.config();
    let all = || vec![(String::new(), chrome.t("filter-all"))];
    let mut categories = all();
    categories.extend(config.reports.categories.iter().map(|c| (c.code.clone(), c.name.clone())));
    let mut statuses = all();
    statuses.extend(config.reports.statuses.iter().map(|s| (s.code.clone(), status_label(chrome, &s.code))));
    let mut services = all();
    services.extend(config.reports.services.iter().map(|s| (s.code.clone(), s.name.clone())));
    let mut quartiers = all();
    quartiers.extend(config.commune.neighbourhoods.iter().map(|n| (n.clone(), n.clone())));
    let none = FormErrors::default();
    html! {
        form.filters method="get" action="/signalements" {
            (select(chrome, &none, "categorie", &chrome.t("problem-field-category"), None, &categories, &q.categorie))
            (select(chrome, &none, "statut", &chrome.t("field-status"), None, &statuses, &q.statut))
            @if config.reports.services.len() > 1 {
                (select(chrome, &none, "service", &chrome.t("problem-field-service"), None, &services, &q.service))
            }
            @if !config.commune.neighbourhoods.is_empty() {
                (select(chrome, &none, "quartier", &chrome.t("field-neighbourhood-place"), None, &quartiers, &q.quartier))
            }
            (Input::new("du", chrome.t("reports-filter-from"), &q.du).kind("date").optional().render(chrome, &none))
            (Input::new("au", chrome.t("reports-filter-to"), &q.au).kind("date").optional().render(chrome, &none))
            button.button.button-secondary type="submit" { (chrome.t("filter-apply")) }
        }
    }
}

/// `GET /signalements`.
#[poem::handler]
pub async fn index(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(mut q): Query<ListQuery>,
) -> Result<Markup, AppError> {
    q.page = q.page.min(reports::MAX_PAGE);
    let filter = q.filter(&state.config);
    let (items, more) = reports::list(&*state.store.read()?, &filter, Page { number: q.page, size: PER_PAGE })?;
    let config = chrome.config();
    let lang = chrome.lang;
    let title = chrome.t("reports-title");
    let feed = q.feed_link();
    let alerts = super::alerts::follow_controls(&chrome, &q.areas())?;
    Ok(page_with_head(
        &chrome,
        &title,
        super::feeds::alternate(&chrome.t("feed-reports-link"), &feed),
        html! {
            h1 { (title) }
            p.lead { (chrome.t("reports-lead")) }
            p { a.button href="/signalements/nouveau" { (chrome.t("problem-new-title")) } }
            @if chrome.viewer.as_ref().is_some_and(|v| v.account.role >= Role::Staff) { (super::staff_queue::link(&chrome)) }
            (filters(&chrome, &q))
            (alerts)
            (map(&chrome, config.map.center_lat, config.map.center_lon, config.map.zoom))
            h2 { (chrome.t("reports-list")) }
            (super::export::links(&chrome, &q.link(0)))
            @if items.is_empty() { p { (chrome.t("reports-none")) } }
            ol.report-list.map-points {
                @for r in &items {
                    @let (lat, lon) = r.position();
                    li.card data-point-lat=(lat) data-point-lon=(lon) {
                        h3 { a href={ "/signalements/" (r.id) } { (lang.ta("problem-number", &[("number", Arg::from(r.id.get()))])) " — " (category_name(config, &r.category)) } }
                        p.meta {
                            (status_badge(&chrome, &r.status)) " "
                            (place(r)) " · " (date(r.created_at))
                            @if let Some(n) = &r.neighbourhood { " · " (n) }
                            @if r.supports > 0 { " · " (lang.ta("problem-supports", &[("count", Arg::from(r.supports))])) }
                        }
                        p { (excerpt(&r.description)) }
                    }
                }
            }
            nav.pagination aria-label=(chrome.t("pagination-label")) {
                @if q.page > 0 { a href=(q.link(q.page - 1)) rel="prev" { (chrome.t("pagination-previous")) } " " }
                @if more && q.page < reports::MAX_PAGE { a href=(q.link(q.page + 1)) rel="next" { (chrome.t("pagination-next")) } }
            }
            p.feed-link { a href=(feed) type="application/atom+xml" { (chrome.t("feed-reports-link")) } }
        },
    ))
}
