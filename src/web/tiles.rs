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
use crate::i18n::Arg;
use crate::tiles::TileId;
use crate::web::Chrome;

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

/// What a form with a location fieldset needs for its map, address
/// suggestions and "use my position" button: Leaflet, `js/location.js`, and
/// the script's translated texts and settings (on a hidden element, so that
/// the form's own markup stays the contract below). Put it once in the page,
/// anywhere; the fieldset is
///
/// ```html
/// <fieldset class="location" data-location-picker data-lat="…" data-lon="…" data-zoom="…">
///   <legend>…</legend>
///   <label for="address">…</label>
///   <input type="text" id="address" name="address" autocomplete="off">
///   <input type="hidden" name="lat"> <input type="hidden" name="lon">
/// </fieldset>
/// ```
///
/// Without JavaScript, or without this, the address field works alone.
pub fn location_picker(chrome: &Chrome) -> Markup {
    let lang = chrome.lang;
    let config = chrome.config();
    html! {
        (leaflet())
        script src=(crate::web::assets::url("js/location.js")) defer {}
        div hidden data-location-texts
            data-tiles=[template(&chrome.state)]
            data-attribution=(config.map.attribution)
            data-suggestions-url="/adresses/suggestions"
            data-nearest-url="/adresses/plus-proche"
            data-suggestions-label=(lang.t("location-suggestions-label"))
            data-results-none=(lang.t("location-results-none"))
            data-results-one=(lang.t("location-results-one"))
            // The script puts the count in place of {n}, the address in place of {address}.
            data-results-many=(lang.ta("location-results-many", &[("n", Arg::from("{n}"))]))
            data-placed=(lang.ta("location-placed", &[("address", Arg::from("{address}"))]))
            data-placed-no-address=(lang.t("location-placed-no-address"))
            data-locate=(lang.t("location-locate"))
            data-locating=(lang.t("location-locating"))
            data-locate-failed=(lang.t("location-locate-failed"))
            data-map-label=(lang.t("location-map-label"))
            data-map-hint=(lang.t("location-map-hint"))
            data-marker=(lang.t("location-marker")) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_texts_keep_their_placeholders_in_both_languages() {
        for lang in crate::i18n::Lang::ALL {
            let many = lang.ta("location-results-many", &[("n", Arg::from("{n}"))]);
            let placed = lang.ta("location-placed", &[("address", Arg::from("{address}"))]);
            assert!(many.contains("{n}") && placed.contains("{address}"), "{many} / {placed}");
        }
    }

    #[test]
    fn coordinates_are_plain_digits() {
        assert_eq!(number("0"), Some(0));
        assert_eq!(number("524287"), Some(524_287));
        for wrong in ["", "+1", "-1", " 1", "1 ", "0x1", "1.0", "99999999", "١"] {
            assert_eq!(number(wrong), None, "{wrong:?}");
        }
    }
}
