//! `hide`: staff take a report out of public view (abusive text, a photo
//! of someone's face or plate, a report filed by mistake): its page is
//! refused to everyone but staff, it leaves the lists, the nearby offer and
//! the exports, and its photos are no longer served. Staff can show it
//! again; nothing is deleted.
//!
//! `hide_photo` does the same for one photo (a face, a number plate) while
//! the report stays public: the photo leaves its page, the Open311 answer
//! and, unless another shown report uses the same file, its URL.

use redb::{ReadTransaction, ReadableTable};

use super::update::get_in;
use super::*;
use crate::domain::audit::{Action, Actor};
use crate::store::decode;
use crate::store::Tx;

/// Hides (`hidden`) or shows again `id`; asking for what already is, is
/// `AlreadyDone`. Audited as moderation's hide and restore are.
pub fn hide(
    tx: &crate::store::WriteTx,
    staff: &Actor,
    id: ReportId,
    hidden: bool,
    now: i64,
) -> Result<(), ReportError> {
    let report = get_in(tx, id)?;
    let mut table = tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    if table.get(id.get())?.is_some() == hidden {
        return Err(ReportError::AlreadyDone);
    }
    if hidden {
        table.insert(id.get(), now)?;
        // The open-data archive made before holds it: stale.
        crate::domain::opendata::withdrawn(tx)?;
    } else {
        table.remove(id.get())?;
    }
    drop(table);
    // Out of the nearby offer while hidden, back in when shown.
    super::move_place(tx, Some((&report, !hidden)), Some((&report, hidden)))?;
    // The log hears of it so that what reads it (search, feeds) drops it.
    crate::domain::changes::record(tx, Target::new(ContentKind::Report, id.get()))?;
    let action = if hidden { Action::ContentHidden } else { Action::ContentRestored };
    staff.record(tx, action, None, format!("problem report {id}"), now)?;
    Ok(())
}

/// A photo staff hid, and why (kept for staff, written in the audit log).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct HiddenPhoto {
    pub at: i64,
    pub reason: String,
}

impl Record for HiddenPhoto {
    const NAME: &'static str = "hidden report photo";
    const VERSION: u8 = 1;
}

/// The longest reason for hiding a photo, in characters.
pub const MAX_HIDE_REASON: usize = 500;

/// Hides (`hidden`, with a `reason` that may not be empty) or shows again
/// the photo `file` of report `id`; a file the report does not show is
/// `NotFound`, asking for what already is `AlreadyDone`. Audited as hiding
/// the report is, with the reason.
pub fn hide_photo(
    tx: &crate::store::WriteTx,
    staff: &Actor,
    id: ReportId,
    file: &str,
    hidden: bool,
    reason: &str,
    now: i64,
) -> Result<(), ReportError> {
    let r = get_in(tx, id)?;
    // A report waiting for its author shows nothing yet, and the hourly
    // pass may delete it: nothing to hide there.
    if !r.confirmed || !r.photos.iter().any(|p| p == file) {
        return Err(ReportError::NotFound);
    }
    let reason = reason.trim();
    let mut table = tx.open_table(PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE)?;
    if table.get((id.get(), file))?.is_some() == hidden {
        return Err(ReportError::AlreadyDone);
    }
    if hidden {
        // Staff answer for what they take out of view: the reason is what
        // a colleague, or the author who asks, will read.
        if reason.is_empty() {
            return Err(ReportError::Empty);
        }
        if reason.chars().count() > MAX_HIDE_REASON {
            return Err(ReportError::TooLong);
        }
        let record = HiddenPhoto { at: now, reason: reason.to_string() };
        table.insert((id.get(), file), encode(&record)?.as_slice())?;
        // The open-data archive made before lists the photo: stale.
        crate::domain::opendata::withdrawn(tx)?;
    } else {
        table.remove((id.get(), file))?;
    }
    drop(table);
    crate::domain::changes::record(tx, Target::new(ContentKind::Report, id.get()))?;
    let (action, detail) = if hidden {
        (Action::ContentHidden, format!("problem report {id} photo {file}: {reason}"))
    } else {
        (Action::ContentRestored, format!("problem report {id} photo {file}"))
    };
    staff.record(tx, action, None, detail, now)?;
    Ok(())
}

/// The photos of `r` staff hid, with why, in the report's order.
pub fn hidden_photos(tx: &impl Tx, r: &ProblemReport) -> Result<Vec<(String, HiddenPhoto)>, StoreError> {
    let table = tx.open(PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE)?;
    let mut out = Vec::new();
    for file in &r.photos {
        if let Some(bytes) = table.get((r.id.get(), file.as_str()))? {
            out.push((file.clone(), decode(bytes.value())?));
        }
    }
    Ok(out)
}

/// The photos of `r` anyone may see: all but those staff hid.
pub fn shown_photos(tx: &impl Tx, r: &ProblemReport) -> Result<Vec<String>, StoreError> {
    let table = tx.open(PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE)?;
    let mut out = Vec::new();
    for file in &r.photos {
        if table.get((r.id.get(), file.as_str()))?.is_none() {
            out.push(file.clone());
        }
    }
    Ok(out)
}

/// Whether staff hid the photo `file` of report `id`.
pub(super) fn photo_hidden(tx: &impl Tx, id: u64, file: &str) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE)?.get((id, file))?.is_some())
}

pub fn is_hidden(tx: &impl Tx, id: ReportId) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?.get(id.get())?.is_some())
}

/// Every hidden report exists (for `tables::verify`).
pub(super) fn verify(tx: &ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let reports = tx.open_table(PROBLEM_REPORT_BY_ID)?;
    for row in tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?.iter()? {
        let id = row?.0.value();
        if reports.get(id)?.is_none() {
            problems.push(format!("report {id} is hidden but missing"));
        }
    }
    // Every hidden photo is one its report shows.
    let by_photo = tx.open_table(PROBLEM_REPORT_ID_BY_PHOTO)?;
    for row in tx.open_table(PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE)?.iter()? {
        let row = row?;
        let (id, file) = row.0.value();
        if by_photo.get((file, id))?.is_none() {
            problems.push(format!("photo {file} of report {id} is hidden but the report does not show it"));
        }
    }
    Ok(())
}
