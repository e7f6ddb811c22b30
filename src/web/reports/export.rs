//! The reports as data, with the list's filters applied: CSV for a
//! spreadsheet (`GET /signalements/export.csv`) and GeoJSON for a map tool
//! (`GET /signalements/export.geojson`). Both hold what the public pages
//! show and no personal data: no author, no name.

use std::sync::Arc;

use poem::http::header;
use poem::web::{Data, Query};
use poem::Response;

use super::list::ListQuery;
use super::{category_name, status_label};
use crate::app::AppState;
use crate::domain::reports::{self, Page, ProblemReport};
use crate::web::chrome::Chrome;
use crate::web::csv::text_cell;
use crate::web::errors::AppError;

/// The most reports one export holds (every report of a large town; past
/// it, the filters narrow it down).
pub const MAX_EXPORT: usize = 100_000;

fn matching(state: &AppState, q: &ListQuery) -> Result<Vec<ProblemReport>, AppError> {
    let (items, _) =
        reports::list(&state.store.read()?, &q.filter(&state.config), Page { number: 0, size: MAX_EXPORT })?;
    Ok(items)
}

/// A date and time as French spreadsheets read them, in the commune's time.
fn french_time(unix: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(unix) else { return String::new() };
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    ts.to_zoned(tz).strftime("%d/%m/%Y %H:%M").to_string()
}

fn attachment(body: Vec<u8>, content_type: &'static str, filename: &'static str) -> Response {
    Response::builder()
        .content_type(content_type)
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\""))
        .body(body)
}

/// `GET /signalements/export.csv`: UTF-8 with a byte order mark, `;`
/// between fields and CRLF between lines, decimal commas and French dates,
/// which is what French Excel opens without an import dialog (LibreOffice
/// reads it too).
#[poem::handler]
pub async fn csv(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let items = matching(&state, &q)?;
    let config = chrome.config();
    let base = config.server.public_url.as_str().trim_end_matches('/').to_string();
    // Staff also get a column per extra question (`[[reports.questions]]`)
    // of the categories exported: the answers are for the services.
    let staff = chrome.viewer.as_ref().is_some_and(|v| v.account.role >= crate::domain::accounts::Role::Staff);
    let only = q.filter(&state.config).category;
    let questions: Vec<(&str, &crate::config::Question)> = if staff {
        config
            .reports
            .categories
            .iter()
            .filter(|c| only.as_deref().is_none_or(|only| only == c.code))
            .flat_map(|c| c.questions.iter().map(move |question| (c.code.as_str(), question)))
            .collect()
    } else {
        Vec::new()
    };
    let tx = state.store.read()?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    let bad = |e: ::csv::Error| AppError::Internal(format!("CSV export: {e}"));
    {
        let mut w =
            ::csv::WriterBuilder::new().delimiter(b';').terminator(::csv::Terminator::CRLF).from_writer(&mut out);
        let heads = [
            "export-number",
            "export-category",
            "export-status",
            "export-address",
            "export-neighbourhood",
            "export-latitude",
            "export-longitude",
            "export-filed",
            "export-updated",
            "export-supports",
            "export-description",
            "export-link",
        ];
        let heads = heads.iter().map(|k| chrome.t(k));
        w.write_record(heads.chain(questions.iter().map(|(_, question)| text_cell(&question.label)))).map_err(bad)?;
        for r in &items {
            let (lat, lon) = r.position();
            let answers = if questions.is_empty() { Vec::new() } else { reports::answers(&tx, r.id)? };
            let answer_cells = questions.iter().map(|(category, question)| {
                let answer = answers.iter().find(|a| *category == r.category && a.code == question.code);
                text_cell(answer.map(|a| a.value.as_str()).unwrap_or_default())
            });
            let cells = [
                r.id.get().to_string(),
                category_name(config, &r.category),
                status_label(&chrome, &r.status),
                text_cell(r.address.as_deref().unwrap_or_default()),
                r.neighbourhood.clone().unwrap_or_default(),
                format!("{lat:.6}").replace('.', ","),
                format!("{lon:.6}").replace('.', ","),
                french_time(r.created_at),
                french_time(r.updated_at),
                r.supports.to_string(),
                text_cell(&r.description),
                format!("{base}/signalements/{}", r.id),
            ];
            w.write_record(cells.into_iter().chain(answer_cells)).map_err(bad)?;
        }
        w.flush().map_err(|e| AppError::Internal(format!("CSV export: {e}")))?;
    }
    Ok(attachment(out, "text/csv; charset=utf-8", "signalements.csv"))
}

/// `GET /signalements/export.geojson`: a FeatureCollection of points in
/// [longitude, latitude] order (RFC 7946), with the id, category, status,
/// dates (RFC 3339) and page of each report.
#[poem::handler]
pub async fn geojson(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    // A map tool downloads the same export again and again (a week of one
    // category is a megabyte): it is kept while the change log stays.
    let key = format!("geojson {} {}", chrome.lang.code(), q.link(0));
    let seq = crate::domain::changes::last_seq(&*state.store.read()?)?;
    if let Some(body) = state.kept_answers.get(&key, seq) {
        return Ok(attachment(body.as_ref().clone(), "application/geo+json", "signalements.geojson"));
    }
    let items = matching(&state, &q)?;
    let body = geojson_body(&chrome, &items).map_err(|e| AppError::Internal(format!("GeoJSON export: {e}")))?;
    state.kept_answers.keep(key, seq, Arc::new(body.clone()));
    Ok(attachment(body, "application/geo+json", "signalements.geojson"))
}

/// One feature of the GeoJSON export, serialized as it is borrowed: a
/// week of one category is over a thousand of them, and a tree of
/// `serde_json::Value` per feature cost more than reading the reports.
#[derive(serde::Serialize)]
struct Feature<'a> {
    r#type: &'static str,
    geometry: Point,
    properties: Properties<'a>,
}

#[derive(serde::Serialize)]
struct Point {
    r#type: &'static str,
    coordinates: [f64; 2],
}

#[derive(serde::Serialize)]
struct Properties<'a> {
    id: u64,
    category: &'a str,
    category_name: &'a str,
    status: &'a str,
    status_name: &'a str,
    created: String,
    updated: String,
    url: String,
}

#[derive(serde::Serialize)]
struct Collection<'a> {
    r#type: &'static str,
    features: Vec<Feature<'a>>,
}

/// The names of the codes met so far: a few categories and statuses
/// repeat over every feature, each named once.
struct Names(Vec<(String, String)>);

impl Names {
    fn get(&mut self, code: &str, name: impl FnOnce() -> String) -> usize {
        match self.0.iter().position(|(c, _)| c == code) {
            Some(i) => i,
            None => {
                self.0.push((code.to_string(), name()));
                self.0.len() - 1
            }
        }
    }
}

fn geojson_body(chrome: &Chrome, items: &[ProblemReport]) -> Result<Vec<u8>, serde_json::Error> {
    let config = chrome.config();
    let base = config.server.public_url.as_str().trim_end_matches('/');
    let rfc3339 = |t: i64| jiff::Timestamp::from_second(t).map(|t| t.to_string()).unwrap_or_default();
    let (mut categories, mut statuses) = (Names(Vec::new()), Names(Vec::new()));
    let named: Vec<(usize, usize)> = items
        .iter()
        .map(|r| {
            (
                categories.get(&r.category, || category_name(config, &r.category)),
                statuses.get(&r.status, || status_label(chrome, &r.status)),
            )
        })
        .collect();
    let features = items
        .iter()
        .zip(named)
        .map(|(r, (c, s))| {
            let (lat, lon) = r.position();
            Feature {
                r#type: "Feature",
                geometry: Point { r#type: "Point", coordinates: [lon, lat] },
                properties: Properties {
                    id: r.id.get(),
                    category: &r.category,
                    category_name: &categories.0[c].1,
                    status: &r.status,
                    status_name: &statuses.0[s].1,
                    created: rfc3339(r.created_at),
                    updated: rfc3339(r.updated_at),
                    url: format!("{base}/signalements/{}", r.id),
                },
            }
        })
        .collect();
    // About 600 bytes a feature: one allocation for the answer.
    let mut out = Vec::with_capacity(64 + items.len() * 640);
    serde_json::to_writer(&mut out, &Collection { r#type: "FeatureCollection", features })?;
    Ok(out)
}

/// The export links under the list, with its filters (`query` starts with `?`).
pub fn links(chrome: &Chrome, query: &str) -> maud::Markup {
    maud::html! {
        p.meta {
            (chrome.t("export-download")) " "
            a href={ "/signalements/export.csv" (query) } download { (chrome.t("export-csv")) } " · "
            a href={ "/signalements/export.geojson" (query) } download { (chrome.t("export-geojson")) }
        }
    }
}
