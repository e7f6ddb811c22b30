//! The results of a ranking, a matrix and a place on the map, from the
//! counts each answer moved (`consultations::ranking_items`, `matrix_rows`,
//! `point_cells`), never from the answers:
//!
//! - a ranking: a table of the items by mean position, with how many put
//!   each at each position, and a bar chart of the mean positions;
//! - a matrix: rows × columns with counts and row percentages, and each
//!   row's mean on a numeric scale;
//! - places: dots on the commune's bounds (the reports' map frame, drawn
//!   here in SVG) sized by how many fell in each cell of about 100 m, the
//!   busiest cells in a table, and each place with its address on the
//!   question's own page.

use maud::{html, Markup};

use crate::domain::consultations::{
    column_label, matrix_rows, point_cells, ranking_items, Kind, PointCell, Question, QuestionResult,
};
use crate::i18n::Arg;
use crate::web::chrome::Chrome;

/// The busiest cells listed beside the map.
const MAX_CELLS: usize = 20;

/// Whether `q`'s results are drawn here.
pub fn shows(q: &Question) -> bool {
    matches!(q.kind, Kind::Ranking { .. } | Kind::Matrix { .. } | Kind::Point)
}

/// The results of `q`; `written` lists the answers one by one (a place's
/// addresses), or links to the page that does.
pub fn body(chrome: &Chrome, q: &Question, r: &QuestionResult, written: Markup) -> Markup {
    match &q.kind {
        Kind::Ranking { items } => ranking(chrome, q, items, r),
        Kind::Matrix { .. } => matrix(chrome, q, r),
        Kind::Point => points(chrome, q, r, written),
        _ => written,
    }
}

/// A number the French way, to two decimals ("2,33").
fn decimal(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

fn percent_text(p: f64) -> String {
    format!("{p:.1} %").replace('.', ",")
}

fn ranking(chrome: &Chrome, q: &Question, items: &[String], r: &QuestionResult) -> Markup {
    let ranked = ranking_items(q, r);
    let n = items.len();
    const ROW: usize = 34;
    const WIDTH: f64 = 300.0;
    let height = ROW * ranked.len() + 4;
    let chart_id = format!("rank-{}", q.id);
    let name = |i: usize| items.get(i).cloned().unwrap_or_default();
    html! {
        div.result-chart {
            svg.chart xmlns="http://www.w3.org/2000/svg" width="100%" viewBox={ "0 0 560 " (height) }
                role="img" aria-labelledby={ (chart_id) "-title" } {
                title id={ (chart_id) "-title" } { (chrome.t("consultation-results-ranking-chart")) }
                @for (k, item) in ranked.iter().enumerate() {
                    @let y = k * ROW + 2;
                    @let mean = item.mean.unwrap_or(0.0);
                    @let w = WIDTH * mean / n.max(1) as f64;
                    text x="0" y=(y + 20) font-size="14" fill="currentColor" { (name(item.item).chars().take(28).collect::<String>()) }
                    rect x="200" y=(y + 4) width=(format!("{w:.1}")) height="22" fill="#1d4f91" {}
                    text x=(format!("{:.1}", 206.0 + w)) y=(y + 20) font-size="14" fill="currentColor" {
                        (item.mean.map(decimal).unwrap_or_else(|| "–".into()))
                    }
                }
            }
            // Up to 20 positions wide: scrolled sideways on a phone.
            div.table-scroll { table {
                caption.visually-hidden { (q.label) }
                thead { tr {
                    th scope="col" { (chrome.t("consultation-results-item")) }
                    th scope="col" { (chrome.t("consultation-results-mean-position")) }
                    @for p in 1..=n {
                        th scope="col" { (chrome.lang.ta("consultation-results-position", &[("position", Arg::from(p as u64))])) }
                    }
                } }
                tbody {
                    @for item in &ranked {
                        tr {
                            th scope="row" { (name(item.item)) }
                            td { (item.mean.map(decimal).unwrap_or_else(|| "–".into())) }
                            @for c in &item.positions { td { (c) } }
                        }
                    }
                }
            } }
        }
        p.hint { (chrome.lang.ta("consultation-results-ranking-note", &[("count", Arg::from(n as u64))])) }
    }
}

fn matrix(chrome: &Chrome, q: &Question, r: &QuestionResult) -> Markup {
    let Kind::Matrix { rows, columns, from, to, low, high } = &q.kind else { return html! {} };
    let scale = columns.is_empty();
    let data = matrix_rows(q, r);
    let head = |c: u8| -> String {
        match c {
            c if scale && c == *from && !low.is_empty() => format!("{c} – {low}"),
            c if scale && c == *to && !high.is_empty() => format!("{c} – {high}"),
            c => column_label(&q.kind, c),
        }
    };
    let values: Vec<u8> = data.first().map(|d| d.columns.iter().map(|(c, _)| *c).collect()).unwrap_or_default();
    html! {
        div.table-scroll {
            table.matrix-results {
                caption.visually-hidden { (q.label) }
                thead { tr {
                    th scope="col" { (chrome.t("consultation-results-row")) }
                    @for c in &values { th scope="col" { (head(*c)) } }
                    th scope="col" { (chrome.t("consultation-results-row-answered")) }
                    @if scale { th scope="col" { (chrome.t("consultation-results-row-average")) } }
                } }
                tbody {
                    @for row in &data {
                        tr {
                            th scope="row" { (rows.get(row.row).cloned().unwrap_or_default()) }
                            @for (_, count) in &row.columns {
                                td { (count) " " span.meta { "(" (percent_text(row.percent(*count))) ")" } }
                            }
                            td { (row.answered) }
                            @if scale { td { (row.average.map(decimal).unwrap_or_else(|| "–".into())) } }
                        }
                    }
                }
            }
        }
        p.hint { (chrome.t("consultation-results-matrix-note")) }
    }
}

/// The dots on the commune's frame (`reports.bounds`), north up and as
/// wide as it is on the ground; each dot's area follows its count.
fn map(chrome: &Chrome, q: &Question, cells: &[PointCell]) -> Markup {
    let b = &chrome.config().reports.bounds;
    let mid = ((b.south + b.north) / 2.0).to_radians().cos().max(0.2);
    let (dx, dy) = (((b.east - b.west) * mid).max(1e-6), (b.north - b.south).max(1e-6));
    let width = 560.0;
    let height = (width * dy / dx).clamp(120.0, 800.0);
    let max = cells.iter().map(|c| c.count).max().unwrap_or(1).max(1) as f64;
    let id = format!("points-{}", q.id);
    let inside: Vec<&PointCell> = cells.iter().filter(|c| b.contains(c.lat, c.lon)).collect();
    html! {
        figure.points-map {
            svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby={ (id) "-title " (id) "-desc" }
                viewBox={ "0 0 " (width) " " (format!("{height:.0}")) } width="100%" {
                title id={ (id) "-title" } { (chrome.t("consultation-results-points-title")) }
                desc id={ (id) "-desc" } { (chrome.t("consultation-results-points-desc")) }
                rect x="0" y="0" width=(width) height=(format!("{height:.0}")) fill="#f3f3f3" stroke="#505050" stroke-width="1" {}
                @for c in &inside {
                    @let x = (c.lon - b.west) / (b.east - b.west) * width;
                    @let y = (b.north - c.lat) / (b.north - b.south) * height;
                    @let radius = 3.0 + 9.0 * (c.count as f64 / max).sqrt();
                    circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{radius:.1}")) fill="#1d4f91" fill-opacity="0.7" {
                        title { (format!("{:.4}, {:.4}", c.lat, c.lon)) " : " (c.count) }
                    }
                }
            }
            @if inside.len() < cells.len() {
                figcaption { (chrome.lang.ta("consultation-results-points-outside", &[("count", Arg::from((cells.len() - inside.len()) as u64))])) }
            }
        }
    }
}

fn points(chrome: &Chrome, q: &Question, r: &QuestionResult, written: Markup) -> Markup {
    let config = chrome.config();
    let cells = point_cells(r, (config.map.center_lat, config.map.center_lon));
    html! {
        div.result-chart {
            (map(chrome, q, &cells))
            table {
                caption { (chrome.t("consultation-results-points-cells")) }
                thead { tr {
                    th scope="col" { (chrome.t("consultation-results-place")) }
                    th scope="col" { (chrome.t("consultation-results-count")) }
                } }
                tbody {
                    @for c in cells.iter().take(MAX_CELLS) {
                        tr { th scope="row" { (format!("{:.4}, {:.4}", c.lat, c.lon)) } td { (c.count) } }
                    }
                }
            }
        }
        h3 { (chrome.t("consultation-results-points-list")) }
        (written)
    }
}
