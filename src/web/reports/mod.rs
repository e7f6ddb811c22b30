//! Problem reports on the web (`/signalements`): filing one in two steps
//! (what and where, then "is it one of these?" and the details), its public
//! page with the timeline, following and "me too", the staff's status
//! change, and the filtered list with its points as text.

pub mod alerts;
pub mod confirm;
pub mod dashboard;
pub mod export;
pub mod feeds;
pub mod followup;
pub mod list;
pub mod new;
pub mod page;
pub mod staff;
pub mod staff_actions;
pub mod staff_assign;
pub mod staff_queue;
pub mod staff_redact;

use maud::{html, Markup};

use crate::app::AppState;
use crate::config::{Config, StatusKind};
use crate::domain::notifications::Notifier;
use crate::domain::reports::ProblemReport;
use crate::web::chrome::Chrome;

pub use crate::web::proposals::date;
pub use crate::web::proposals::parse_date as date_from;

/// The notifier for messages sent from these pages.
pub fn notifier(state: &AppState) -> Notifier {
    Notifier { base_url: state.config.server.public_url.as_str().to_string() }
}

/// A status's name: the commune's own, else Parvis's translation of a
/// default status, else its code (a status removed from the configuration).
pub fn status_label(chrome: &Chrome, code: &str) -> String {
    match chrome.config().reports.status(code) {
        Some(s) => match &s.name {
            Some(name) => name.clone(),
            None => chrome.lang.try_t(&format!("problem-status-{code}")).unwrap_or_else(|| code.to_string()),
        },
        None => code.to_string(),
    }
}

/// A status as a labelled badge coloured by its kind (the word is the cue,
/// the colour only repeats it).
pub fn status_badge(chrome: &Chrome, code: &str) -> Markup {
    let kind = match chrome.config().reports.status(code).map(|s| s.kind) {
        Some(StatusKind::Fixed) => "fixed",
        Some(StatusKind::Closed) => "closed",
        Some(StatusKind::Open) | None => "open",
    };
    html! { span class={ "badge badge-report-" (kind) } { (status_label(chrome, code)) } }
}

/// A category's name as the commune wrote it (its code if it was removed).
pub fn category_name(config: &Config, code: &str) -> String {
    config.reports.category(code).map(|c| c.name.clone()).unwrap_or_else(|| code.to_string())
}

/// Where a report is, in words: its address, else its coordinates.
pub fn place(r: &ProblemReport) -> String {
    let (lat, lon) = r.position();
    match &r.address {
        Some(a) => a.clone(),
        None => format!("{lat:.5}, {lon:.5}"),
    }
}

/// The map of a page: Leaflet draws the points listed in text on the same
/// page (`data-point-lat`/`data-point-lon`), which are its alternative.
pub fn map(chrome: &Chrome, lat: f64, lon: f64, zoom: u8) -> Markup {
    map_labelled(chrome, lat, lon, zoom, &chrome.t("reports-map-label"))
}

/// [`map`] with its own label, for a page of another concept (a meeting's place).
pub fn map_labelled(chrome: &Chrome, lat: f64, lon: f64, zoom: u8, label: &str) -> Markup {
    let config = chrome.config();
    html! {
        (crate::web::tiles::leaflet())
        script src=(crate::web::assets::url("js/map.js")) defer {}
        // Tiles through this site (`web::tiles`): none with no base map,
        // and the page keeps its text list.
        div #map.map role="region" aria-label=(label)
            data-lat=(lat) data-lon=(lon) data-zoom=(zoom)
            data-tiles=[crate::web::tiles::template(&chrome.state)] data-attribution=(config.map.attribution) {}
    }
}
