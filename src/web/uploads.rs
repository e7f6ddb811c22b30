//! Storing a photo sent with a form: the one way the pages do it (proposals,
//! problem reports, consultations' images).

use crate::app::AppState;
use crate::photos::PhotoError;
use crate::web::errors::AppError;

/// Why a photo was refused for itself: the person sends another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoRefused {
    TooLarge,
    /// Not an image, or one of too many pixels to decode.
    NotAnImage,
}

/// Re-encodes `bytes` (metadata dropped) and stores the JPEG under
/// `<data>/files/`, on a blocking thread once a heavy-work turn is free (a
/// decode may take hundreds of MiB; 503 when busy): its file name and size,
/// or why the photo is refused. A full disk or an I/O failure is the page's
/// error.
pub async fn store_photo(state: &AppState, bytes: Vec<u8>) -> Result<Result<(String, u64), PhotoRefused>, AppError> {
    if state.store.disk_full() {
        return Err(AppError::DiskFull);
    }
    let (data_dir, min_free) = (state.config.data_dir.clone(), state.config.min_free_bytes);
    let turn = state.heavy.start().await?;
    let stored = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        crate::photos::reencode(&bytes).and_then(|jpeg| {
            let size = jpeg.len() as u64;
            crate::photos::save(&data_dir, &jpeg, min_free).map(|name| (name, size))
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    match stored {
        Ok(done) => Ok(Ok(done)),
        Err(PhotoError::TooLarge) => Ok(Err(PhotoRefused::TooLarge)),
        Err(PhotoError::NotAnImage | PhotoError::TooManyPixels) => Ok(Err(PhotoRefused::NotAnImage)),
        Err(PhotoError::DiskFull) => Err(AppError::DiskFull),
        Err(PhotoError::Io(e)) => Err(AppError::Internal(e.to_string())),
    }
}
