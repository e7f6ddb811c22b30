//! `GET /tuiles/{z}/{x}/{y}.png`: map tiles served from the commune's own
//! site (fetched and cached by [`crate::tiles`]), and the markup pages use
//! to draw maps with them.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::header::{self, HeaderValue};
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{IntoResponse, Response};

use crate::app::AppState;
use crate::tiles::TileId;

/// The template Leaflet fills in (`data-tiles`); `None` with no base map.
pub fn template(state: &AppState) -> Option<&'static str> {
    state.tiles.enabled().then_some("/tuiles/{z}/{x}/{y}.png")
}

/// A week in browsers' caches: a tile seldom changes, and a browser that
/// asks again asks the commune's server, not the tile server.
const TILE_CACHE: &str = "public, max-age=604800";

/// `GET /tuiles/:z/:x/:y.png`.
///
/// Anything but a tile of the grid, or a tile there is none to serve for,
/// is a bare 404 at once (not the HTML error page): a map asks for dozens of
/// tiles, and without them the page shows its text list.
#[poem::handler]
pub async fn tile(state: Data<&Arc<AppState>>, Path((z, x, file)): Path<(String, String, String)>) -> Response {
    let id = match (number(&z), number(&x), file.strip_suffix(".png").and_then(number)) {
        (Some(z), Some(x), Some(y)) => TileId::new(z, x, y),
        _ => None,
    };
    let Some(tile) = (match id {
        Some(id) => state.tiles.get(id).await,
        None => None,
    }) else {
        let mut resp = StatusCode::NOT_FOUND.into_response();
        // The tile server may be back in a minute: do not keep the refusal.
        resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return resp;
    };
    let mut resp = Response::builder().status(StatusCode::OK).content_type(tile.mime).body(tile.bytes);
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(TILE_CACHE));
    resp
}

/// A coordinate as tile URLs write it: digits only (no sign, no spaces),
/// short enough for any zoom up to 19.
fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 7 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Leaflet's stylesheet and script, for a page that draws a map. The marker
/// icons' hashed addresses ride on the script tag: the map scripts give them
/// to Leaflet, which would otherwise guess them from the stylesheet's path
/// (and get a redirect for each).
pub fn leaflet() -> Markup {
    use crate::web::assets::url;
    html! {
        link rel="stylesheet" href=(url("vendor/leaflet/leaflet.css"));
        script src=(url("vendor/leaflet/leaflet.js")) defer
            data-leaflet-icon=(url("vendor/leaflet/images/marker-icon.png"))
            data-leaflet-icon-2x=(url("vendor/leaflet/images/marker-icon-2x.png"))
            data-leaflet-shadow=(url("vendor/leaflet/images/marker-shadow.png")) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_plain_digits() {
        assert_eq!(number("0"), Some(0));
        assert_eq!(number("524287"), Some(524_287));
        for wrong in ["", "+1", "-1", " 1", "1 ", "0x1", "1.0", "99999999", "١"] {
            assert_eq!(number(wrong), None, "{wrong:?}");
        }
    }
}
