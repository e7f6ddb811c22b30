//! `/adresses/…`: the commune's address list, as JSON for the scripts of the
//! report form (the address field's suggestions, the pin picker's "nearest
//! address"). These two URLs and their answers are a contract with
//! `assets/js`: change them together.
//!
//! - `GET /adresses/suggestions?q=12+rue+de+l%27egl` →
//!   `[{"label":"12 Rue de l'Église, 69999 Saint-Exemple","lat":45.78,"lon":4.60}, …]`
//!   (at most 8; `[]` for fewer than 3 letters or digits, or no match);
//! - `GET /adresses/plus-proche?lat=45.7772&lon=4.6121` →
//!   `{"label":…,"lat":…,"lon":…,"distance_m":12.3}`, or 404
//!   `{"error":"not_found"}` when no address is within about 2 km, or 400
//!   `{"error":"bad_request"}` for a position that is not one.
//!
//! Both read a bounded number of rows whatever the size of the list (see
//! `domain::addresses`), so they need no limit of their own beyond the
//! length of what is typed. The form works without them: it posts the typed
//! address, which the server geocodes with the same list.

use std::sync::Arc;

use poem::http::{header, StatusCode};
use poem::web::{Data, Query};
use poem::{handler, Response};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::domain::addresses::{self, Address};
use crate::web::AppError;

/// The most suggestions the field shows: more do not fit on a phone.
pub const SUGGESTIONS: usize = 8;

/// Fewer letters and digits than this select too much to be useful.
const MIN_TYPED: usize = 3;

#[derive(Deserialize)]
pub struct SuggestionsQuery {
    q: Option<String>,
}

#[derive(Deserialize)]
pub struct NearestQuery {
    lat: Option<String>,
    lon: Option<String>,
}

/// One address as the scripts receive it.
#[derive(Serialize, Debug, PartialEq)]
pub struct Suggestion {
    pub label: String,
    pub lat: f64,
    pub lon: f64,
}

impl From<Address> for Suggestion {
    fn from(a: Address) -> Suggestion {
        Suggestion { label: a.label(), lat: a.lat, lon: a.lon }
    }
}

#[derive(Serialize, Debug, PartialEq)]
pub struct Nearest {
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    /// Rounded to the decimetre: more would only be noise.
    pub distance_m: f64,
}

fn json(status: StatusCode, body: &impl Serialize) -> Result<Response, AppError> {
    let bytes = serde_json::to_vec(body).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        // What is typed is in the address: no shared cache keeps it.
        .header(header::CACHE_CONTROL, "private, max-age=300")
        .body(bytes))
}

fn error(status: StatusCode, code: &str) -> Result<Response, AppError> {
    json(status, &serde_json::json!({ "error": code }))
}

#[handler]
pub async fn suggestions(
    state: Data<&Arc<AppState>>,
    Query(query): Query<SuggestionsQuery>,
) -> Result<Response, AppError> {
    let typed = query.q.unwrap_or_default();
    let significant = typed.chars().filter(|c| c.is_alphanumeric()).take(MIN_TYPED).count();
    if significant < MIN_TYPED {
        return json(StatusCode::OK, &Vec::<Suggestion>::new());
    }
    let found = addresses::suggest(&state.store.read()?, &typed, SUGGESTIONS)?;
    json(StatusCode::OK, &found.into_iter().map(Suggestion::from).collect::<Vec<_>>())
}

#[handler]
pub async fn nearest(state: Data<&Arc<AppState>>, Query(query): Query<NearestQuery>) -> Result<Response, AppError> {
    let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite());
    let (Some(lat), Some(lon)) = (number(query.lat), number(query.lon)) else {
        return error(StatusCode::BAD_REQUEST, "bad_request");
    };
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return error(StatusCode::BAD_REQUEST, "bad_request");
    }
    match addresses::nearest(&state.store.read()?, lat, lon)? {
        Some((a, d)) => json(
            StatusCode::OK,
            &Nearest { label: a.label(), lat: a.lat, lon: a.lon, distance_m: (d * 10.0).round() / 10.0 },
        ),
        None => error(StatusCode::NOT_FOUND, "not_found"),
    }
}
