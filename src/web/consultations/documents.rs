//! A consultation's documents and images: shown on its public page (PDFs
//! as download links with their size, images with their text
//! alternative), served by `/consultations/:id/documents/:number`, and
//! managed by staff on `/admin/consultations/:id/documents` (add a PDF,
//! add an image, remove either; each audited by the domain).

use std::sync::Arc;

use maud::{html, Markup};
use poem::http::{header, HeaderValue, StatusCode};
use poem::web::{Data, Path};
use poem::Response;

use super::is_staff;
use crate::app::AppState;
use crate::domain::audit::Actor;
use crate::domain::consultations::{
    self, Consultation, ConsultationId, Document, DocumentKind, NewDocument, PdfProblem, Phase, MAX_DOCUMENT_TITLE,
    MAX_PDF,
};
use crate::domain::now_unix;
use crate::i18n::{Arg, Lang};
use crate::photos::PhotoError;
use crate::web::account::redirect_with;
use crate::web::auth::{ClientIp, Staff};
use crate::web::chrome::{Chrome, Flash};
use crate::web::components::{csrf_field, submit, FormErrors, Input};
use crate::web::errors::{refused, AppError};
use crate::web::layout::page_with_errors;
use crate::web::middleware::BodyTooLarge;
use crate::web::uploads::{store_photo, PhotoRefused};

/// A file's size as people read it: « 1,2 Mo », « 350 ko » (« 1.2 MB » in English).
pub fn size_text(lang: Lang, bytes: u64) -> String {
    const KB: u64 = 1000;
    let (number, key) = if bytes >= KB * KB {
        let tenths = (bytes + KB * KB / 20) / (KB * KB / 10);
        let text = format!("{}.{}", tenths / 10, tenths % 10);
        (if lang == Lang::Fr { text.replace('.', ",") } else { text }, "consultation-size-mb")
    } else {
        (bytes.div_ceil(KB).max(1).to_string(), "consultation-size-kb")
    };
    lang.ta(key, &[("size", Arg::from(number))])
}

fn document_href(d: &Document) -> String {
    format!("/consultations/{}/documents/{}", d.consultation, d.number)
}

/// The documents and images on a consultation's public page: nothing when
/// it has none.
pub fn public_section(chrome: &Chrome, docs: &[Document]) -> Markup {
    let images: Vec<&Document> = docs.iter().filter(|d| d.kind == DocumentKind::Image).collect();
    let pdfs: Vec<&Document> = docs.iter().filter(|d| d.kind == DocumentKind::Pdf).collect();
    html! {
        @if !images.is_empty() {
            div.consultation-images {
                @for d in &images {
                    img.consultation-image src=(document_href(d)) alt=(d.title) loading="lazy";
                }
            }
        }
        @if !pdfs.is_empty() {
            section.panel aria-labelledby="documents" {
                h2 #documents { (chrome.t("consultation-documents-title")) }
                ul {
                    @for d in &pdfs {
                        li { a href=(document_href(d)) download { (pdf_link_text(chrome.lang, d)) } }
                    }
                }
            }
        }
    }
}

/// « Plan de la place (PDF, 1,2 Mo) »: what the file is and weighs is in
/// the link, so that a screen reader says it before it is followed.
fn pdf_link_text(lang: Lang, d: &Document) -> String {
    lang.ta(
        "consultation-document-link",
        &[("title", Arg::from(d.title.as_str())), ("size", Arg::from(size_text(lang, d.size)))],
    )
}

/// The download's file name: the title in plain ASCII (for every client),
/// and exactly (RFC 6266 `filename*`, percent-encoded UTF-8).
fn content_disposition(title: &str) -> String {
    let ascii: String = title
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            _ => '-',
        })
        .collect();
    let ascii = ascii.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let ascii = if ascii.is_empty() { "document".to_string() } else { ascii.chars().take(80).collect() };
    let encoded: String = format!("{title}.pdf")
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}.pdf\"; filename*=UTF-8''{encoded}")
}

/// `GET /consultations/:id/documents/:number`: a PDF as a download, an
/// image as itself; a draft's only to staff.
#[poem::handler]
pub async fn download(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Path((id, number)): Path<(u64, u32)>,
) -> Result<Response, AppError> {
    let (c, doc) = {
        let tx = state.store.read()?;
        let c = consultations::get(&tx, ConsultationId(id))?.ok_or(AppError::NotFound)?;
        (c.clone(), consultations::document(&tx, c.id, number)?.ok_or(AppError::NotFound)?)
    };
    let draft = c.phase(now_unix()) == Phase::Draft;
    if draft && !is_staff(&chrome) {
        return Err(AppError::NotFound);
    }
    let path = crate::photos::dir(&state.config.data_dir).join(&doc.file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NotFound,
        // There but unreadable: the server's fault, logged.
        _ => AppError::Internal(format!("{}: {e}", path.display())),
    })?;
    let mut resp = match doc.kind {
        DocumentKind::Pdf => {
            let mut resp = Response::builder().content_type("application/pdf").body(bytes);
            let disposition = HeaderValue::from_str(&content_disposition(&doc.title))
                .map_err(|e| AppError::Internal(format!("content-disposition: {e}")))?;
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
            resp
        }
        DocumentKind::Image => Response::builder().content_type("image/jpeg").body(bytes),
    };
    // Said here too, not only by the middleware: a PDF must never be
    // guessed into something a browser runs.
    resp.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    // A removed document must leave caches soon; a draft's is never kept.
    let cache = if draft { "no-store" } else { "public, max-age=600" };
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(resp)
}

/// What staff typed in the two forms, given back when one is refused.
#[derive(Default)]
pub struct Typed {
    pub document_title: String,
    pub alt: String,
}

fn error_group(errors: &FormErrors, name: &str) -> &'static str {
    if errors.get(name).is_some() {
        "form-group form-group-error"
    } else {
        "form-group"
    }
}

/// A file field with its label, hint and error.
fn file_field(chrome: &Chrome, errors: &FormErrors, name: &str, label: &str, hint: &str, accept: &str) -> Markup {
    html! {
        div class=(error_group(errors, name)) {
            label for=(name) { (chrome.t(label)) }
            div.hint id={ (name) "-hint" } { (chrome.t(hint)) }
            @if let Some(e) = errors.get(name) {
                p.error-message id={ (name) "-error" } { span.visually-hidden { (chrome.t("form-error-prefix")) " " } (e) }
            }
            input id=(name) type="file" name=(name) accept=(accept) aria-describedby={ (name) "-hint" };
        }
    }
}

/// The staff's page of a consultation's documents.
fn staff_page(chrome: &Chrome, c: &Consultation, docs: &[Document], typed: &Typed, errors: &FormErrors) -> Markup {
    let title = chrome.lang.ta("consultation-documents-staff-title", &[("title", Arg::from(c.title.as_str()))]);
    let base = format!("/admin/consultations/{}", c.id);
    page_with_errors(
        chrome,
        &title,
        errors,
        html! {
            p.breadcrumb { a href=(base) { (c.title) } }
            h1 { (title) }
            @if docs.is_empty() {
                p { (chrome.t("consultation-documents-none")) }
            } @else {
                ul.documents {
                    @for d in docs {
                        li {
                            @match d.kind {
                                DocumentKind::Pdf => a href=(document_href(d)) download { (pdf_link_text(chrome.lang, d)) },
                                DocumentKind::Image => {
                                    // A thumbnail: the alternative is written beside it.
                                    img.photo-preview src=(document_href(d)) alt="" width="160";
                                    " " (chrome.lang.ta("consultation-image-alt-is", &[("alt", Arg::from(d.title.as_str()))]))
                                },
                            }
                            " "
                            form.inline-form method="post" action={ (base) "/documents/" (d.number) "/retirer" } {
                                (csrf_field(chrome))
                                button.button.button-secondary type="submit" { (chrome.t("consultation-document-remove")) }
                            }
                        }
                    }
                }
            }
            section.panel aria-labelledby="ajouter-document" {
                h2 #ajouter-document { (chrome.t("consultation-document-add")) }
                form method="post" enctype="multipart/form-data" novalidate action={ (base) "/documents" } {
                    // First: the CSRF middleware reads only the first field.
                    (csrf_field(chrome))
                    (file_field(chrome, errors, "document", "consultation-document-file", "consultation-document-file-hint", "application/pdf,.pdf"))
                    (Input::new("document_title", chrome.t("consultation-document-title"), &typed.document_title).hint(chrome.t("consultation-document-title-hint")).render(chrome, errors))
                    (submit(&chrome.t("consultation-document-add")))
                }
            }
            section.panel aria-labelledby="ajouter-image" {
                h2 #ajouter-image { (chrome.t("consultation-image-add")) }
                form method="post" enctype="multipart/form-data" novalidate action={ (base) "/images" } {
                    (csrf_field(chrome))
                    (file_field(chrome, errors, "photo", "consultation-image-file", "consultation-image-file-hint", "image/jpeg,image/png,image/webp"))
                    (Input::new("alt", chrome.t("consultation-image-alt"), &typed.alt).hint(chrome.t("consultation-image-alt-hint")).render(chrome, errors))
                    (submit(&chrome.t("consultation-image-add")))
                }
            }
        },
    )
}

fn load(state: &AppState, id: u64) -> Result<(Consultation, Vec<Document>), AppError> {
    let tx = state.store.read()?;
    let c = consultations::get(&tx, ConsultationId(id))?.ok_or(AppError::NotFound)?;
    let docs = consultations::documents(&tx, c.id)?;
    Ok((c, docs))
}

/// `GET /admin/consultations/:id/documents`.
#[poem::handler]
pub async fn staff_show(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    _staff: Staff,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let (c, docs) = load(&state, id)?;
    Ok(staff_page(&chrome, &c, &docs, &Typed::default(), &FormErrors::default()))
}

/// The page again with what was typed and why it was refused (422).
fn refused_page(
    chrome: &Chrome,
    state: &AppState,
    id: u64,
    typed: &Typed,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let (c, docs) = load(state, id)?;
    Ok(refused(staff_page(chrome, &c, &docs, typed, errors), StatusCode::UNPROCESSABLE_ENTITY))
}

/// The title or text alternative typed, checked.
fn check_title(chrome: &Chrome, errors: &mut FormErrors, field: &str, value: &str, empty_key: &str) {
    let n = value.trim().chars().count();
    if n == 0 {
        errors.add(field, chrome.t(empty_key));
    } else if n > MAX_DOCUMENT_TITLE {
        errors.add(
            field,
            chrome.lang.ta("consultation-document-error-title-long", &[("max", Arg::from(MAX_DOCUMENT_TITLE as u64))]),
        );
    }
}

/// A file saved under `<data>/files/`, or why not.
fn saved(result: Result<String, PhotoError>) -> Result<Result<String, PhotoError>, AppError> {
    match result {
        Ok(name) => Ok(Ok(name)),
        Err(PhotoError::DiskFull) => Err(AppError::DiskFull),
        Err(PhotoError::Io(e)) => Err(AppError::Internal(e.to_string())),
        Err(e @ (PhotoError::TooLarge | PhotoError::NotAnImage | PhotoError::TooManyPixels)) => Ok(Err(e)),
    }
}

/// Attaches the stored file to the consultation, then back to the page.
async fn attach(state: &AppState, actor: Actor, id: u64, new: NewDocument, flash: &str) -> Result<Response, AppError> {
    state
        .store
        .write(move |tx| {
            consultations::add_document(tx, &actor, ConsultationId(id), &new, now_unix()).map_err(AppError::from)
        })
        .await?;
    Ok(redirect_with(state, &format!("/admin/consultations/{id}/documents"), Flash::success(flash)))
}

/// `POST /admin/consultations/:id/documents`: a PDF, checked by its content.
#[poem::handler]
pub async fn add_pdf(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    load(&state, id)?;
    let too_large = req.extensions().get::<BodyTooLarge>().cloned();
    let limit = |name: &str| (name == "document_title").then_some(4 * MAX_DOCUMENT_TITLE as u64);
    let mut parts = crate::web::multipart::read_with_document(multipart, too_large, 8, 0, MAX_PDF, limit).await?;
    let typed = Typed { document_title: parts.take("document_title"), ..Typed::default() };
    let mut errors = FormErrors::default();
    let problem = match &parts.document {
        None => Some(PdfProblem::Empty),
        Some(bytes) => consultations::check_pdf(bytes).err(),
    };
    match problem {
        None => {}
        Some(PdfProblem::Empty) => errors.add("document", chrome.t("consultation-document-error-missing")),
        Some(PdfProblem::TooLarge) => errors.add("document", chrome.t("consultation-document-error-too-large")),
        Some(PdfProblem::NotAPdf) => errors.add("document", chrome.t("consultation-document-error-not-pdf")),
    }
    check_title(&chrome, &mut errors, "document_title", &typed.document_title, "consultation-document-error-title");
    let Some(bytes) = parts.document.take().filter(|_| errors.is_empty()) else {
        return refused_page(&chrome, &state, id, &typed, &errors);
    };
    if state.store.disk_full() {
        return Err(AppError::DiskFull);
    }
    let (data_dir, min_free) = (state.config.data_dir.clone(), state.config.min_free_bytes);
    let size = bytes.len() as u64;
    let stored = tokio::task::spawn_blocking(move || crate::photos::save_as(&data_dir, &bytes, "pdf", min_free))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let file = match saved(stored)? {
        Ok(file) => file,
        // `save_as` only writes: it never decodes, so it refuses nothing for its content.
        Err(e) => return Err(AppError::Internal(format!("saving a PDF: {e}"))),
    };
    let new = NewDocument { kind: DocumentKind::Pdf, file, title: typed.document_title, size };
    attach(&state, Actor::person(viewer.account.id, ip), id, new, "flash-consultation-document-added").await
}

/// `POST /admin/consultations/:id/images`: an image, through the photo
/// pipeline (re-encoded, metadata dropped), with its text alternative.
#[poem::handler]
pub async fn add_image(
    chrome: Chrome,
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<u64>,
    req: &poem::Request,
    multipart: poem::web::Multipart,
) -> Result<Response, AppError> {
    load(&state, id)?;
    let too_large = req.extensions().get::<BodyTooLarge>().cloned();
    let limit = |name: &str| (name == "alt").then_some(4 * MAX_DOCUMENT_TITLE as u64);
    let mut parts = crate::web::multipart::read(multipart, too_large, 8, 1, limit).await?;
    let typed = Typed { alt: parts.take("alt"), ..Typed::default() };
    let mut errors = FormErrors::default();
    if parts.photos.is_empty() {
        errors.add("photo", chrome.t("consultation-image-error-missing"));
    }
    check_title(&chrome, &mut errors, "alt", &typed.alt, "consultation-image-error-alt");
    let Some(bytes) = parts.photos.pop().filter(|_| errors.is_empty()) else {
        return refused_page(&chrome, &state, id, &typed, &errors);
    };
    let (file, size) = match store_photo(&state, bytes).await? {
        Ok(done) => done,
        Err(refusal) => {
            let key = match refusal {
                PhotoRefused::TooLarge => "error-photo-too-large",
                PhotoRefused::NotAnImage => "error-photo-format",
            };
            errors.add("photo", chrome.t(key));
            return refused_page(&chrome, &state, id, &typed, &errors);
        }
    };
    let new = NewDocument { kind: DocumentKind::Image, file, title: typed.alt, size };
    attach(&state, Actor::person(viewer.account.id, ip), id, new, "flash-consultation-image-added").await
}

/// `POST /admin/consultations/:id/documents/:number/retirer`.
#[poem::handler]
pub async fn remove(
    state: Data<&Arc<AppState>>,
    Staff(viewer): Staff,
    ClientIp(ip): ClientIp,
    Path((id, number)): Path<(u64, u32)>,
) -> Result<Response, AppError> {
    let actor = Actor::person(viewer.account.id, ip);
    let file = state
        .store
        .write(move |tx| {
            consultations::remove_document(tx, &actor, ConsultationId(id), number, now_unix()).map_err(AppError::from)
        })
        .await?;
    // After the commit: a file is never gone while a record still names it.
    if let Some(file) = file {
        consultations::remove_file(&state.config.data_dir, &file);
    }
    Ok(redirect_with(
        &state,
        &format!("/admin/consultations/{id}/documents"),
        Flash::success("flash-consultation-document-removed"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_text(Lang::Fr, 1_234_567), "1,2 Mo");
        assert_eq!(size_text(Lang::En, 1_234_567), "1.2 MB");
        assert_eq!(size_text(Lang::Fr, 350_000), "350 ko");
        assert_eq!(size_text(Lang::Fr, 12), "1 ko");
    }

    #[test]
    fn the_download_name_is_plain_ascii_and_exact_in_utf8() {
        let d = content_disposition("Plan de la place, été \"2027\"");
        assert!(d.starts_with("attachment; filename=\"Plan-de-la-place-ete-2027.pdf\"; "), "{d}");
        assert!(d.ends_with("filename*=UTF-8''Plan%20de%20la%20place%2C%20%C3%A9t%C3%A9%20%222027%22.pdf"), "{d}");
    }
}
