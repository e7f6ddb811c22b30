//! Reading a multipart form (a form with photos) within bounds: poem does
//! not bound multipart fields itself. Each text is read only up to its
//! limit and a larger one refuses the form (413) rather than being read
//! whole and echoed back; unknown fields (and the CSRF token, checked by the
//! middleware) are skipped unread; past `max_fields` fields, or the whole
//! request's cap (`middleware::MAX_MULTIPART_BYTES`), the form is refused.

use std::collections::HashMap;

use tokio::io::AsyncReadExt;

use crate::web::errors::AppError;
use crate::web::middleware::BodyTooLarge;

/// What a multipart form carried.
#[derive(Default)]
pub struct Parts {
    texts: HashMap<String, String>,
    /// The photos sent (field `photo`, non-empty), at most `max_photos`;
    /// each read up to `photos::MAX_UPLOAD` + 1 bytes, so that `reencode`
    /// refuses a larger one as too large.
    pub photos: Vec<Vec<u8>>,
    /// More photos were sent than `max_photos`: the others were skipped.
    pub too_many_photos: bool,
    /// The file of field `document` (non-empty), read up to the limit
    /// [`read_with_document`] was given + 1 byte, so that its checker
    /// refuses a larger one as too large.
    pub document: Option<Vec<u8>>,
}

impl Parts {
    /// The text field `name` (empty when absent), taken out.
    pub fn take(&mut self, name: &str) -> String {
        self.texts.remove(name).unwrap_or_default()
    }
}

/// Reads `multipart`: the text fields `limit` gives a byte limit for, and
/// up to `max_photos` photos.
pub async fn read(
    multipart: poem::web::Multipart,
    too_large: Option<BodyTooLarge>,
    max_fields: usize,
    max_photos: usize,
    limit: impl Fn(&str) -> Option<u64>,
) -> Result<Parts, AppError> {
    read_with_document(multipart, too_large, max_fields, max_photos, 0, limit).await
}

/// [`read`], with also the file of field `document` up to `max_document`
/// bytes (a consultation's PDF; 0: the field is skipped unread).
pub async fn read_with_document(
    mut multipart: poem::web::Multipart,
    too_large: Option<BodyTooLarge>,
    max_fields: usize,
    max_photos: usize,
    max_document: usize,
    limit: impl Fn(&str) -> Option<u64>,
) -> Result<Parts, AppError> {
    // A read that fails after the cap was passed is a 413; otherwise the
    // client sent a broken form or went away.
    let failed = || {
        if too_large.as_ref().is_some_and(BodyTooLarge::is_set) {
            AppError::TooLarge
        } else {
            AppError::BadRequest("form")
        }
    };
    let mut parts = Parts::default();
    let mut fields = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err(failed()),
        };
        fields += 1;
        if fields > max_fields {
            return Err(AppError::TooLarge);
        }
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            if field.file_name().is_none_or(str::is_empty) {
                continue;
            }
            if parts.photos.len() == max_photos {
                parts.too_many_photos = true;
                continue;
            }
            let mut bytes = Vec::new();
            field
                .into_async_read()
                .take(crate::photos::MAX_UPLOAD as u64 + 1)
                .read_to_end(&mut bytes)
                .await
                .map_err(|_| failed())?;
            if !bytes.is_empty() {
                parts.photos.push(bytes);
            }
            continue;
        }
        if name == "document" {
            if max_document == 0 || field.file_name().is_none_or(str::is_empty) || parts.document.is_some() {
                continue;
            }
            let mut bytes = Vec::new();
            field
                .into_async_read()
                .take(max_document as u64 + 1)
                .read_to_end(&mut bytes)
                .await
                .map_err(|_| failed())?;
            parts.document = Some(bytes).filter(|b| !b.is_empty());
            continue;
        }
        let Some(limit) = limit(&name) else { continue };
        let mut bytes = Vec::new();
        field.into_async_read().take(limit + 1).read_to_end(&mut bytes).await.map_err(|_| failed())?;
        if bytes.len() as u64 > limit {
            return Err(AppError::TooLarge);
        }
        parts.texts.insert(name, String::from_utf8(bytes).map_err(|_| AppError::BadRequest("form"))?);
    }
    Ok(parts)
}
