//! Sharing a page (issue 16): the share links every process page shows
//! ([`links`]), which carry no tracker, and the share image its Open
//! Graph tags point to ([`image`], `GET /partage/<kind>/<id>.png`).
//!
//! The links are plain addresses of each network's own share page, with
//! only the page's address and title in them: no script, no image, nothing
//! fetched from elsewhere when the page is read, so a network learns of a
//! visit only when the resident chooses to share.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use maud::{html, Markup};
use poem::http::{header, StatusCode};
use poem::web::{Data, Path};
use poem::{Request, Response};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::domain::promotion::{self, Target};
use crate::i18n::{Arg, Lang};
use crate::pdf::Colour;
use crate::share_image::{self, Card};
use crate::web::auth::Staff;
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;

/// The address of `target`'s share image, from the site's root.
pub fn image_path(target: Target) -> String {
    let (kind, id) = target.key();
    format!("/partage/{kind}/{id}.png")
}

/// The process a public page is about, from its path (`/idees/3`,
/// `/idees/3/carte`); the platform for every other page.
pub fn target_of_path(path: &str) -> Target {
    let mut parts = path.trim_start_matches('/').split('/');
    let (Some(section), Some(id)) = (parts.next(), parts.next()) else {
        return Target::Platform;
    };
    let Ok(id) = id.parse::<u64>() else {
        return Target::Platform;
    };
    let kind = match section {
        "idees" => "idea-box",
        "consultations" => "consultation",
        "budgets" => "budget",
        "rendez-vous" => "meeting",
        _ => return Target::Platform,
    };
    Target::from_key(kind, id).unwrap_or(Target::Platform)
}

/// `text` for a URL's query: every byte but the unreserved ones escaped,
/// spaces as `%20` (a `mailto:` body shows a `+` as it is).
fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>().replace('+', "%20")
}

/// The share links of the page at `path` titled `title`: by email, the
/// address to copy, and the networks' plain share pages.
pub fn links(chrome: &Chrome, title: &str, path: &str) -> Markup {
    let url = format!("{}{}", chrome.config().server.public_url.as_str().trim_end_matches('/'), path);
    let (u, t) = (encode(&url), encode(title));
    let networks = [
        ("Facebook", format!("https://www.facebook.com/sharer/sharer.php?u={u}")),
        ("X (Twitter)", format!("https://x.com/intent/tweet?text={t}&url={u}")),
        ("LinkedIn", format!("https://www.linkedin.com/sharing/share-offsite/?url={u}")),
        ("WhatsApp", format!("https://wa.me/?text={}", encode(&format!("{title} {url}")))),
    ];
    html! {
        section.share aria-labelledby="partager" {
            h2 #partager { (chrome.t("share-title")) }
            ul.share-links {
                li { a href={ "mailto:?subject=" (t) "&body=" (u) } { (chrome.t("share-email")) } }
                @for (name, href) in &networks {
                    li { a href=(href) rel="noopener noreferrer" { (name) span.visually-hidden { " " (chrome.t("share-on-network")) } } }
                }
            }
            p.share-copy {
                label for="share-url" { (chrome.t("share-copy-label")) }
                " "
                input #share-url type="text" readonly value=(url) size="40"
                    data-copy-label=(chrome.t("share-copy-button")) data-copied-label=(chrome.t("share-copied"));
            }
        }
    }
}

/// Rendered images by their ETag (what they show, hashed): a network asks
/// for the same few images again and again. Bounded: emptied when full.
fn rendered() -> &'static Mutex<HashMap<String, Arc<Vec<u8>>>> {
    static RENDERED: OnceLock<Mutex<HashMap<String, Arc<Vec<u8>>>>> = OnceLock::new();
    RENDERED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The most images kept (each 20–60 kB).
const KEPT: usize = 256;

/// What a share image of `target` shows, in `lang`; `None` for a process
/// that does not exist.
fn title_of(state: &AppState, lang: Lang, target: Target) -> Result<Option<String>, AppError> {
    if target == Target::Platform {
        let commune = state.config.commune.name.as_str();
        return Ok(Some(lang.ta("poster-platform-title", &[("commune", Arg::from(commune))])));
    }
    Ok(promotion::describe(&*state.store.read()?, target)?.map(|d| d.title))
}

/// `GET /partage/:kind/:file`: the share image (`<id>.png`, `platform/0.png`
/// for the platform) of a process everyone may see; staff also get a
/// draft's, for the bulletin block. Answers 304 to a network that has it.
#[poem::handler]
pub async fn image(
    req: &Request,
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    staff: Option<Staff>,
    Path((kind, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = file.strip_suffix(".png").and_then(|id| id.parse::<u64>().ok()).ok_or(AppError::NotFound)?;
    let target = Target::from_key(&kind, id).ok_or(AppError::NotFound)?;
    let public = promotion::is_public(&*state.store.read()?, target)?;
    if !public && staff.is_none() {
        return Err(AppError::NotFound);
    }
    let title = title_of(&state, chrome.lang, target)?.ok_or(AppError::NotFound)?;
    let config = &state.config;
    let colour = Colour::from_hex(&config.commune.colour).unwrap_or(Colour(0x1d, 0x4f, 0x91));
    let host = config.server.public_url.as_str();
    let host = host.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_string();
    let logo_file = state.logo.as_ref().map(|l| l.file.clone()).unwrap_or_default();
    let etag = {
        let mut h = Sha256::new();
        for part in [config.commune.name.as_str(), &config.commune.colour, &title, &host, &logo_file] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        format!("\"{}\"", hex::encode(&h.finalize()[..12]))
    };
    // A draft's image is for staff only: never kept by a shared cache.
    let cache = if public { "public, max-age=3600" } else { "private, no-store" };
    if req.header(header::IF_NONE_MATCH).is_some_and(|v| v.split(',').any(|t| t.trim() == etag)) {
        return Ok(Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(header::ETAG, etag)
            .header(header::CACHE_CONTROL, cache)
            .finish());
    }
    let kept = rendered().lock().unwrap_or_else(|e| e.into_inner()).get(&etag).cloned();
    let png = match kept {
        Some(png) => png,
        None => {
            let state = state.0.clone();
            let commune = config.commune.name.clone();
            let png = tokio::task::spawn_blocking(move || {
                let logo = state.logo.as_ref().and_then(|l| share_image::logo(&l.bytes, 240));
                share_image::render(&Card {
                    commune: &commune,
                    colour,
                    title: &title,
                    host: &host,
                    logo: logo.as_ref(),
                })
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
            let png = Arc::new(png);
            let mut all = rendered().lock().unwrap_or_else(|e| e.into_inner());
            if all.len() >= KEPT {
                all.clear();
            }
            all.insert(etag.clone(), png.clone());
            png
        }
    };
    Ok(Response::builder()
        .content_type("image/png")
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, cache)
        .body(png.as_ref().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::BoxId;

    #[test]
    fn a_page_leads_to_its_process_image_or_the_platform_one() {
        assert_eq!(target_of_path("/idees/3"), Target::IdeaBox(BoxId(3)));
        assert_eq!(target_of_path("/idees/3/carte"), Target::IdeaBox(BoxId(3)));
        assert_eq!(image_path(target_of_path("/rendez-vous/7")), "/partage/meeting/7.png");
        for path in ["/", "/idees", "/actualites/4", "/propositions/2", "/idees/x"] {
            assert_eq!(target_of_path(path), Target::Platform, "{path}");
        }
        assert_eq!(image_path(Target::Platform), "/partage/platform/0.png");
    }

    #[test]
    fn a_query_value_is_escaped() {
        assert_eq!(encode("Le vélo & la ville"), "Le%20v%C3%A9lo%20%26%20la%20ville");
        assert_eq!(encode("https://x.test/p?a=1"), "https%3A%2F%2Fx.test%2Fp%3Fa%3D1");
        assert_eq!(encode("1+1"), "1%2B1");
    }
}
