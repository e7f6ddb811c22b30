//! The documents of a meeting's minutes: listed in the « Compte rendu » of
//! the public page (name, type, size), served by
//! `/rendez-vous/:id/documents/:number`, added and removed by staff from
//! the meeting's staff page. One form takes a PDF or an image: a PDF is
//! known by its content, anything else goes through the photo pipeline,
//! which re-encodes an image and refuses the rest.

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, HeaderValue, StatusCode};
use poem::web::{Data, Path};
use poem::Response;

use super::after::{After, MinutesForm};
use super::is_staff;
use super::staff::meeting_page;
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::{check_pdf, PdfProblem, MAX_PDF};
use crate::domain::meetings::{self, Document, DocumentKind, MeetingError, MeetingId, NewDocument, MAX_DOCUMENT_NAME};
use crate::domain::now_unix;
use crate::i18n::{Arg, Lang};
use crate::photos::PhotoError;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::consultations::documents::size_text;
use crate::web::errors::{refused, AppError};
use crate::web::middleware::BodyTooLarge;
use crate::web::uploads::{store_photo, PhotoRefused};

fn href(d: &Document) -> String {
    format!("/rendez-vous/{}/documents/{}", d.meeting, d.number)
}

/// « Diaporama (PDF, 1,2 Mo) »: the type and weight are in the link, so
/// that a screen reader says them before it is followed.
fn link_text(lang: Lang, d: &Document) -> String {
    lang.ta(
        "meeting-document-link",
        &[
            ("name", Arg::from(d.name.as_str())),
            ("kind", Arg::from(lang.t(&format!("meeting-document-kind-{}", d.kind.code())))),
            ("size", Arg::from(size_text(lang, d.size))),
        ],
    )
}

/// The documents in the public « Compte rendu »: nothing when there are none.
pub fn public_list(chrome: &Chrome, docs: &[Document]) -> Markup {
    html! {
        @if !docs.is_empty() {
            h3 { (chrome.t("meeting-documents")) }
            ul.documents { @for d in docs { li { a href=(href(d)) download { (link_text(chrome.lang, d)) } } } }
        }
    }
}

/// The staff's panel of the minutes' documents: the list with a remove
/// button each, and the form that adds one (the name as typed and the
/// errors when it was refused).
pub fn staff_panel(chrome: &Chrome, docs: &[Document], m: MeetingId, typed: &str, errors: &FormErrors) -> Markup {
    let base = format!("/admin/rendez-vous/{m}/documents");
    let group = if errors.get("document").is_some() { "form-group form-group-error" } else { "form-group" };
    html! {
        section.panel aria-labelledby="documents" {
            h2 #documents { (chrome.t("meeting-documents")) }
            @if docs.is_empty() {
                p { (chrome.t("meeting-documents-none")) }
            } @else {
                ul.documents {
                    @for d in docs {
                        li {
                            a href=(href(d)) download { (link_text(chrome.lang, d)) }
                            " "
                            form.inline-form method="post" action={ (base) "/" (d.number) "/retirer" } {
                                (csrf_field(chrome))
                                button.button.button-secondary type="submit" { (chrome.lang.ta("meeting-document-remove", &[("name", Arg::from(d.name.as_str()))])) }
                            }
                        }
                    }
                }
            }
            form method="post" enctype="multipart/form-data" novalidate action=(base) {
                // First: the CSRF middleware reads only the first field.
                (csrf_field(chrome))
                div class=(group) {
                    label for="document" { (chrome.t("meeting-document-file")) }
                    div.hint id="document-hint" { (chrome.t("meeting-document-file-hint")) }
                    @if let Some(e) = errors.get("document") {
                        p.error-message id="document-error" { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
                    }
                    input id="document" type="file" name="document" accept="application/pdf,.pdf,image/jpeg,image/png,image/webp" aria-describedby="document-hint";
                }
                (Input::new("document_name", chrome.t("meeting-document-name"), typed).hint(chrome.t("meeting-document-name-hint")).render(chrome, errors))
                (submit(&chrome.t("meeting-document-add")))
            }
        }
    }
}

fn load(state: &AppState, id: u64) -> Result<meetings::Meeting, AppError> {
    meetings::get(&state.store.read()?, MeetingId(id))?.ok_or(AppError::NotFound)
}

/// `GET /rendez-vous/:id/documents/:number`: a PDF as a download, an image
/// as itself; a draft's only to staff.
#[poem::handler]
pub async fn download(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path((id, number)): Path<(u64, u32)>,
) -> Result<Response, AppError> {
    let (m, doc) = {
        let tx = state.store.read()?;
        let m = meetings::get(&tx, MeetingId(id))?.ok_or(AppError::NotFound)?;
        let doc = meetings::document(&tx, m.id, number)?.ok_or(AppError::NotFound)?;
        (m, doc)
    };
    if !m.is_public() && !is_staff(&chrome) {
        return Err(AppError::NotFound);
    }
    let path = crate::photos::dir(&state.config.data_dir).join(&doc.file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NotFound,
        _ => AppError::Internal(format!("{}: {e}", path.display())),
    })?;
    let (content_type, extension) = match doc.kind {
        DocumentKind::Pdf => ("application/pdf", "pdf"),
        DocumentKind::Image => ("image/jpeg", "jpg"),
    };
    let mut resp = Response::builder().content_type(content_type).body(bytes);
    let disposition = HeaderValue::from_str(&content_disposition(&doc.name, extension))
        .map_err(|e| AppError::Internal(format!("content-disposition: {e}")))?;
    resp.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    // Never guessed into something a browser runs.
    resp.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    // A removed document must leave caches soon.
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=600"));
    Ok(resp)
}

/// A download named after the document: in plain ASCII for every client,
/// and exactly (RFC 6266 `filename*`, percent-encoded UTF-8).
fn content_disposition(name: &str, extension: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    let ascii = ascii.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let ascii: String = if ascii.is_empty() { "document".into() } else { ascii.chars().take(80).collect() };
    let encoded: String = format!("{name}.{extension}")
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}.{extension}\"; filename*=UTF-8''{encoded}")
}

/// The staff's page again, with the name typed and why the file was
/// refused (422).
fn refused_page(
    chrome: &Chrome,
    state: &AppState,
    m: &meetings::Meeting,
    typed: String,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let minutes = meetings::minutes(&state.store.read()?, m.id)?;
    let after = After { minutes: MinutesForm::of(minutes.as_ref()), document_name: typed, ..After::default() };
    Ok(refused(meeting_page(chrome, state, m, None, &after, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
}

/// `POST /admin/rendez-vous/:id/documents`: a PDF or an image attached to
/// the minutes.
#[poem::handler]
pub async fn add(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    let m = load(&state, id)?;
    let too_large = req.extensions().get::<BodyTooLarge>().cloned();
    let limit = |name: &str| (name == "document_name").then_some(4 * MAX_DOCUMENT_NAME as u64);
    let mut parts = crate::web::multipart::read_with_document(multipart, too_large, 8, 0, MAX_PDF, limit).await?;
    let typed = parts.take("document_name");
    let mut errors = FormErrors::default();
    let n = typed.trim().chars().count();
    if n == 0 {
        errors.add("document_name", chrome.t("meeting-document-error-name"));
    } else if n > MAX_DOCUMENT_NAME {
        errors.add(
            "document_name",
            chrome.lang.ta("meeting-document-error-name-long", &[("max", Arg::from(MAX_DOCUMENT_NAME as u64))]),
        );
    }
    let Some(bytes) = parts.document.take() else {
        errors.add("document", chrome.t("meeting-document-error-missing"));
        return refused_page(&chrome, &state, &m, typed, &errors);
    };
    if !m.is_past(now_unix()) {
        errors.add("document", chrome.t("meeting-document-error-not-over"));
    }
    let is_pdf = bytes.starts_with(b"%PDF-");
    if is_pdf && check_pdf(&bytes) == Err(PdfProblem::TooLarge) {
        errors.add("document", chrome.t("meeting-document-error-too-large"));
    }
    if !errors.is_empty() {
        return refused_page(&chrome, &state, &m, typed, &errors);
    }
    let (kind, file, size) = if is_pdf {
        if state.store.disk_full() {
            return Err(AppError::DiskFull);
        }
        let (data_dir, min_free) = (state.config.data_dir.clone(), state.config.min_free_bytes);
        let size = bytes.len() as u64;
        let stored = tokio::task::spawn_blocking(move || crate::photos::save_as(&data_dir, &bytes, "pdf", min_free))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let file = match stored {
            Ok(file) => file,
            Err(PhotoError::DiskFull) => return Err(AppError::DiskFull),
            Err(
                e @ (PhotoError::Io(_) | PhotoError::TooLarge | PhotoError::NotAnImage | PhotoError::TooManyPixels),
            ) => {
                // `save_as` only writes: it never decodes, so only I/O fails it.
                return Err(AppError::Internal(format!("saving a PDF: {e}")));
            }
        };
        (DocumentKind::Pdf, file, size)
    } else {
        match store_photo(&state, bytes).await? {
            Ok((file, size)) => (DocumentKind::Image, file, size),
            Err(refusal) => {
                let key = match refusal {
                    PhotoRefused::TooLarge => "meeting-document-error-too-large",
                    PhotoRefused::NotAnImage => "meeting-document-error-format",
                };
                errors.add("document", chrome.t(key));
                return refused_page(&chrome, &state, &m, typed, &errors);
            }
        }
    };
    let actor = Actor::person(viewer.account.id, ip);
    let new = NewDocument { kind, file, name: typed.clone(), size };
    let outcome = state
        .store
        .write(move |tx| match meetings::add_document(tx, &actor, MeetingId(id), &new, now_unix()) {
            Ok(number) => Ok(Ok(number)),
            Err(e @ (MeetingError::TooManyDocuments | MeetingError::NotOver | MeetingError::BadDocumentName)) => {
                Ok(Err(e))
            }
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    if let Err(e) = outcome {
        // The file stays stored, unnamed: as a refused photo's, it costs
        // only disk space, and the same file sent again is not written twice.
        let (field, key) = match e {
            MeetingError::TooManyDocuments => ("document", "meeting-document-error-too-many"),
            MeetingError::NotOver => ("document", "meeting-document-error-not-over"),
            _ => ("document_name", "meeting-document-error-name"),
        };
        errors.add(field, chrome.t(key));
        return refused_page(&chrome, &state, &m, typed, &errors);
    }
    Ok(redirect_with(
        &state,
        &format!("/admin/rendez-vous/{id}#documents"),
        Flash::success("flash-meeting-document-added"),
    ))
}

/// `POST /admin/rendez-vous/:id/documents/:number/retirer`.
#[poem::handler]
pub async fn remove(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number)): Path<(u64, u32)>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    state
        .store
        .write(move |tx| {
            meetings::remove_document(tx, &actor, MeetingId(id), number, now_unix()).map_err(AppError::from)
        })
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/admin/rendez-vous/{id}#documents"),
        Flash::success("flash-meeting-document-removed"),
    ))
}
