//! `GET /signalements/tableau-de-bord`: the staff's dashboard — open
//! reports per category and service with their age, the median time to
//! fix per category, and where reports come from: per neighbourhood, and
//! a heat map drawn here in SVG over the commune's bounds (no script, no
//! outside service), filtered by state, category and dates, with the
//! densest cells and their nearest address in a table beside it (the
//! map's text alternative).

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Query};
use serde::Deserialize;

use super::category_name;
use crate::app::AppState;
use crate::domain::addresses;
use crate::domain::now_unix;
use crate::domain::reports::{self, HeatFilter, HeatMap, OpenAges, CELL_MICRODEGREES};
use crate::i18n::Arg;
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::components::{select, table_head, FormErrors, Input};
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

/// The heat map's filters, as the dashboard's query gives them.
#[derive(Deserialize, Default)]
pub struct HeatQuery {
    /// "tous": every status; anything else, the open ones.
    #[serde(default)]
    etat: String,
    #[serde(default)]
    categorie: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

impl HeatQuery {
    /// A date that does not parse filters nothing rather than failing.
    fn filter(&self) -> HeatFilter {
        const DAY: i64 = 24 * 3600;
        HeatFilter {
            open_only: self.etat != "tous",
            category: Some(self.categorie.clone()).filter(|c| !c.is_empty()),
            from: super::date_from(&self.du),
            to: super::date_from(&self.au).map(|t| t + DAY),
        }
    }
}

/// The most cells drawn along a side: a larger commune draws blocks of
/// cells, so that the map stays readable on a phone.
const MAX_SIDE: i32 = 40;
/// The side of a cell in the SVG's units, north–south.
const UNIT: f64 = 12.0;
/// The colours of the classes, light to dark (0: no report).
const COLOURS: [&str; 5] = ["#f3f3f3", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"];

/// The upper count of each class from 1 (a quarter of the densest cell's
/// count each); a class whose range is empty is skipped by the legend.
fn classes(max: u64) -> [u64; 4] {
    [1, 2, 3, 4].map(|k| (k * max).div_ceil(4))
}

fn class_of(count: u64, tops: &[u64; 4]) -> usize {
    if count == 0 {
        return 0;
    }
    tops.iter().position(|top| count <= *top).map_or(4, |i| i + 1)
}

/// The map's cells as drawn: blocks of `factor` × `factor` grid cells,
/// keyed by (row, column) from the south-west, with their count.
struct Blocks {
    factor: i32,
    rows: i32,
    cols: i32,
    counts: std::collections::BTreeMap<(i32, i32), u64>,
}

fn blocks(h: &HeatMap) -> Blocks {
    let (rows, cols) = ((h.rows.1 - h.rows.0 + 1).max(1), (h.cols.1 - h.cols.0 + 1).max(1));
    let factor = ((rows.max(cols) + MAX_SIDE - 1) / MAX_SIDE).max(1);
    let mut counts = std::collections::BTreeMap::new();
    for ((r, c), n) in &h.counts {
        *counts.entry(((r - h.rows.0) / factor, (c - h.cols.0) / factor)).or_default() += n;
    }
    Blocks { factor, rows: (rows + factor - 1) / factor, cols: (cols + factor - 1) / factor, counts }
}

/// The centre of a block, in degrees.
fn centre(h: &HeatMap, b: &Blocks, (row, col): (i32, i32)) -> (f64, f64) {
    let size = f64::from(CELL_MICRODEGREES * b.factor);
    let lat = (f64::from(h.rows.0 * CELL_MICRODEGREES) + (f64::from(row) + 0.5) * size) / 1e6;
    let lon = (f64::from(h.cols.0 * CELL_MICRODEGREES) + (f64::from(col) + 0.5) * size) / 1e6;
    (lat, lon)
}

/// The heat map: one rectangle per block, north up, a block as wide as it
/// is on the ground (narrower than tall away from the equator), each with
/// its `<title>`; the legend under it. The table beside it says the same
/// in text, for those who cannot see it.
fn heat_svg(chrome: &Chrome, h: &HeatMap) -> Markup {
    let b = blocks(h);
    let max = b.counts.values().copied().max().unwrap_or(0);
    let tops = classes(max);
    let mid_lat = (f64::from((h.rows.0 + h.rows.1) * CELL_MICRODEGREES) / 2e6).to_radians();
    let (w, hgt) = (UNIT * mid_lat.cos().max(0.2), UNIT);
    let (width, height) = (w * f64::from(b.cols), hgt * f64::from(b.rows));
    let cell_title = |count: u64, (lat, lon): (f64, f64)| {
        chrome.lang.ta(
            "dashboard-heat-cell",
            &[("place", Arg::from(format!("{lat:.4}, {lon:.4}"))), ("count", Arg::from(count))],
        )
    };
    let mut legend: Vec<(usize, String)> = vec![(0, chrome.t("dashboard-heat-none"))];
    let mut low = 1;
    for (i, top) in tops.iter().enumerate() {
        if *top >= low {
            let range = if *top == low { top.to_string() } else { format!("{low}–{top}") };
            legend.push((i + 1, chrome.lang.ta("dashboard-heat-class", &[("range", Arg::from(range))])));
            low = top + 1;
        }
    }
    html! {
        figure.heat-map {
            svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="heat-title heat-desc"
                viewBox={ "0 0 " (format!("{width:.1}")) " " (format!("{height:.1}")) }
                width=(format!("{:.0}", width.max(240.0))) height=(format!("{:.0}", height * width.max(240.0) / width)) {
                title #heat-title { (chrome.t("dashboard-heat-title")) }
                desc #heat-desc { (chrome.t("dashboard-heat-desc")) }
                @for row in 0..b.rows {
                    @for col in 0..b.cols {
                        @let count = b.counts.get(&(row, col)).copied().unwrap_or(0);
                        // Row 0 is the southernmost: drawn at the bottom.
                        rect x=(format!("{:.1}", w * f64::from(col))) y=(format!("{:.1}", hgt * f64::from(b.rows - 1 - row)))
                            width=(format!("{w:.1}")) height=(format!("{hgt:.1}"))
                            fill=(COLOURS[class_of(count, &tops)]) stroke="#ffffff" stroke-width="0.5" {
                            title { (cell_title(count, centre(h, &b, (row, col)))) }
                        }
                    }
                }
            }
            figcaption {
                p { (chrome.t("dashboard-heat-legend")) }
                ul.heat-legend {
                    @for (class, label) in &legend {
                        li {
                            svg width="14" height="14" aria-hidden="true" focusable="false" {
                                rect width="14" height="14" fill=(COLOURS[*class]) stroke="#505050" stroke-width="1" {}
                            }
                            " " (label)
                        }
                    }
                }
            }
        }
    }
}

/// The densest blocks, with the nearest address of the commune's list
/// (when one is within reach) to say where they are in words.
fn densest_table(chrome: &Chrome, tx: &crate::store::ReadTx, h: &HeatMap) -> Result<Markup, AppError> {
    let b = blocks(h);
    let mut cells: Vec<((i32, i32), u64)> = b.counts.iter().map(|(k, v)| (*k, *v)).collect();
    cells.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut rows = Vec::new();
    for (cell, count) in cells.into_iter().take(MAX_CELLS) {
        let (lat, lon) = centre(h, &b, cell);
        let near = addresses::nearest(tx, lat, lon)?.map(|(a, _)| a.label());
        rows.push((format!("{lat:.4}, {lon:.4}"), count, near));
    }
    Ok(html! {
        @if rows.is_empty() {
            p { (chrome.t("dashboard-heat-empty")) }
        } @else {
            table {
                caption { (chrome.lang.ta("dashboard-by-cell", &[("count", Arg::from(rows.len() as u64))])) }
                (table_head(chrome, &["dashboard-cell", "dashboard-reports", "dashboard-nearest-address"]))
                tbody {
                    @for (place, count, near) in &rows {
                        tr { th scope="row" { (place) } td { (count) } td { (near.clone().unwrap_or_default()) } }
                    }
                }
            }
        }
    })
}

fn heat_filters(chrome: &Chrome, q: &HeatQuery) -> Markup {
    let config = chrome.config();
    let mut categories = vec![(String::new(), chrome.t("filter-all"))];
    categories.extend(config.reports.categories.iter().map(|c| (c.code.clone(), c.name.clone())));
    let states =
        vec![(String::new(), chrome.t("dashboard-heat-open")), ("tous".to_string(), chrome.t("dashboard-heat-all"))];
    let etat = if q.etat == "tous" { "tous" } else { "" };
    let none = FormErrors::default();
    html! {
        form.filters method="get" action="/signalements/tableau-de-bord#carte" {
            (select(chrome, &none, "etat", &chrome.t("dashboard-heat-which"), None, &states, etat))
            (select(chrome, &none, "categorie", &chrome.t("problem-field-category"), None, &categories, &q.categorie))
            (Input::new("du", chrome.t("reports-filter-from"), &q.du).kind("date").optional().render(chrome, &none))
            (Input::new("au", chrome.t("reports-filter-to"), &q.au).kind("date").optional().render(chrome, &none))
            button.button.button-secondary type="submit" { (chrome.t("filter-apply")) }
        }
    }
}

/// `GET /signalements/tableau-de-bord`.
#[poem::handler]
pub async fn index(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(_viewer): Staff,
    Query(q): Query<HeatQuery>,
) -> Result<Markup, AppError> {
    let config = chrome.config();
    let settings = &config.reports;
    let tx = state.store.read()?;
    let d = reports::dashboard(&tx, settings, now_unix())?;
    let heat = reports::heat_map(&tx, settings, &q.filter())?;
    let densest = densest_table(&chrome, &tx, &heat)?;
    drop(tx);
    let categories: Vec<(String, &OpenAges)> =
        d.by_category.iter().map(|(code, a)| (category_name(config, code), a)).collect();
    let services: Vec<(String, &OpenAges)> = d
        .by_service
        .iter()
        .map(|(code, a)| (settings.service(code).map(|s| s.name.clone()).unwrap_or_else(|| code.clone()), a))
        .collect();
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
            h3 #carte { (chrome.t("dashboard-heat-heading")) }
            (heat_filters(&chrome, &q))
            div.heat {
                (heat_svg(&chrome, &heat))
                (densest)
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_count_falls_in_the_class_the_legend_gives_it() {
        let tops = classes(10);
        assert_eq!(tops, [3, 5, 8, 10]);
        assert_eq!([0, 1, 3, 4, 5, 6, 9, 10].map(|n| class_of(n, &tops)), [0, 1, 1, 2, 2, 3, 4, 4]);
        // One report at most: every non-empty class is that one.
        assert_eq!(classes(1), [1, 1, 1, 1]);
        assert_eq!(class_of(1, &classes(1)), 1);
    }

    #[test]
    fn a_large_commune_is_drawn_in_blocks_of_cells() {
        let mut h = HeatMap { rows: (0, 99), cols: (10, 49), ..HeatMap::default() };
        h.counts.insert((0, 10), 2);
        h.counts.insert((2, 12), 1);
        h.counts.insert((99, 49), 5);
        let b = blocks(&h);
        assert_eq!((b.factor, b.rows, b.cols), (3, 34, 14));
        assert_eq!(b.counts.get(&(0, 0)), Some(&3), "the two first cells share a block");
        assert_eq!(b.counts.get(&(33, 13)), Some(&5));
    }
}
