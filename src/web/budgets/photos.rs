//! A budget project's photos for residents: the file itself
//! (`/budgets/:id/projets/:n/photos/:file`), the photos on the project's
//! page with their text, and the small first photo of a project's card and
//! ballot line.

use std::sync::Arc;

use maud::{html, Markup};
use poem::web::{Data, Path};
use poem::Response;

use super::load_public;
use crate::app::AppState;
use crate::domain::budgets::{self, Process, Project};
use crate::web::chrome::Chrome;
use crate::web::errors::AppError;

/// The size a thumbnail is drawn at (CSS pixels, 4:3): written on the
/// image so that the page does not move when it arrives.
const THUMB: (u32, u32) = (96, 72);

pub fn href(p: &Process, pr: &Project, file: &str) -> String {
    format!("/budgets/{}/projets/{}/photos/{file}", p.id, pr.number)
}

/// `GET /budgets/:id/projets/:n/photos/:file`: a photo the project shows
/// (re-encoded, named by its content), to whoever may see the project: a
/// draft's to staff only, never kept by a shared cache. Only a file the
/// project names, by a name that cannot leave the files' folder.
#[poem::handler]
pub async fn serve(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path((id, n, file)): Path<(u64, u64, String)>,
) -> Result<Response, AppError> {
    let p = load_public(&chrome, &state, id)?;
    let pr = budgets::project(&state.store.read()?, p.id, n)?.ok_or(AppError::NotFound)?;
    if !crate::photos::valid_name(&file) || !pr.photos.iter().any(|ph| ph.file == file) {
        return Err(AppError::NotFound);
    }
    let path = crate::photos::dir(&state.config.data_dir).join(&file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NotFound,
        // A photo that is there but cannot be read is the server's fault: logged.
        _ => AppError::Internal(format!("{}: {e}", path.display())),
    })?;
    // An hour, as the other photos: one removed or replaced leaves shared
    // caches soon (a replaced one has a new name, so it shows at once).
    let cache = if p.is_public() { "public, max-age=3600" } else { "private, no-store" };
    Ok(Response::builder().content_type("image/jpeg").header(poem::http::header::CACHE_CONTROL, cache).body(bytes))
}

/// The project's photos, each with its text, in the staff's order.
pub fn gallery(chrome: &Chrome, p: &Process, pr: &Project) -> Markup {
    html! {
        @if !pr.photos.is_empty() {
            section aria-labelledby="photos" {
                h2 #photos { (chrome.t("budget-photos-heading")) }
                ul.budget-photos {
                    @for (i, photo) in pr.photos.iter().enumerate() {
                        li {
                            // The first is near the top: fetched at once.
                            img src=(href(p, pr, &photo.file)) alt=(photo.alt) loading=[(i > 0).then_some("lazy")];
                        }
                    }
                }
            }
        }
    }
}

/// The project's first photo, small, with its text; nothing when it has
/// none. Lazy: a ballot of sixty projects loads only what is seen.
pub fn thumbnail(p: &Process, pr: &Project) -> Markup {
    html! {
        @if let Some(photo) = pr.photos.first() {
            img.budget-thumb src=(href(p, pr, &photo.file)) alt=(photo.alt) width=(THUMB.0) height=(THUMB.1) loading="lazy";
        }
    }
}
