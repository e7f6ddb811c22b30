//! Problem reports (« signalements »): a resident reports a broken street
//! light, a pothole or an overflowing bin, in a category the commune
//! configured; the report is routed by mail to the category's service, and
//! followed on its public page until it is fixed (the model is FixMyStreet).
//!
//! Each operation is one function (`file`, `change_status`, `add_update`,
//! `follow`, `unfollow`, `me_too`) run in the caller's write transaction;
//! every record goes through [`write`], which keeps the indexes and the
//! change log in step, and `tables::verify` checks them.

mod file;
mod follow;
mod query;
mod staff_assign;
mod staff_dashboard;
mod staff_duplicate;
mod staff_hide;
mod staff_queue;
mod staff_reassign;
mod staff_redact;
pub mod tables;
mod update;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

pub use self::file::{file, save_generated, Filed, NewReport};
pub use self::follow::{follow, is_following, me_too, supported, unfollow, MeToo};
pub use self::query::{get, list, nearby, timeline, Filter, Nearby, Page, MAX_PAGE};
pub use self::staff_assign::{add_note, assign, assignee, notes, Note};
pub use self::staff_dashboard::{dashboard, Dashboard, OpenAges, TimeToFix};
pub use self::staff_duplicate::mark_duplicate;
pub use self::staff_hide::{hide, is_hidden};
pub use self::staff_queue::{queue, services_of, QueueFilter, Queued};
pub use self::staff_reassign::{reassign, Reassigned};
pub use self::staff_redact::{redact, redactions, Redaction, DESCRIPTION};
pub use self::update::{add_update, change_status};
use super::accounts::AccountId;
use super::changes::{self, ContentKind, Target};
use crate::config::{ReportSettings, StatusKind};
pub use crate::domain::ids::ReportId;
use crate::store::{encode, Record, StoreError};
use tables::*;

/// The most photos a report carries.
pub const MAX_PHOTOS: usize = 3;
/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION: usize = 5_000;
/// The longest update text accepted, in characters.
pub const MAX_UPDATE: usize = 5_000;
/// The longest address label kept.
pub const MAX_ADDRESS: usize = 200;

/// A problem report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ProblemReport {
    pub id: ReportId,
    /// The code of its category in `[[reports.categories]]`.
    pub category: String,
    /// Latitude and longitude in millionths of a degree (about 11 cm): exact
    /// integers in keys and comparisons, where floats would drift.
    pub lat: i32,
    pub lon: i32,
    /// The address the resident typed or the map gave, if any.
    pub address: Option<String>,
    /// One of `commune.neighbourhoods`, when the resident chose one.
    pub neighbourhood: Option<String>,
    pub description: String,
    /// Stored photo files (`<data>/files/<hash>.jpg`), at most [`MAX_PHOTOS`].
    pub photos: Vec<String>,
    pub author: AccountId,
    /// Whether the author's name is shown on the public page.
    pub show_name: bool,
    /// The code of its status in `[[reports.statuses]]`.
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub followers: u64,
    /// Residents who said "me too" (the author is not counted).
    pub supports: u64,
}

impl Record for ProblemReport {
    const NAME: &'static str = "problem report";
    const VERSION: u8 = 1;
}

impl ProblemReport {
    pub fn target(&self) -> Target {
        Target::new(ContentKind::Report, self.id.get())
    }

    /// Latitude and longitude in degrees.
    pub fn position(&self) -> (f64, f64) {
        (from_micro(self.lat), from_micro(self.lon))
    }

    /// Whether the report is still open (a status unknown to the current
    /// configuration counts as open: nobody closed it).
    pub fn is_open(&self, settings: &ReportSettings) -> bool {
        settings.status(&self.status).is_none_or(|s| s.kind == StatusKind::Open)
    }
}

/// One entry of a report's public timeline.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Update {
    pub at: i64,
    pub by: AccountId,
    /// Written by the town hall's staff (else by a resident).
    pub staff: bool,
    /// The status it set, when it changed the status.
    pub status: Option<String>,
    pub text: String,
}

impl Record for Update {
    const NAME: &'static str = "problem report update";
    const VERSION: u8 = 1;
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("no such report")]
    NotFound,
    #[error("the category is not one of the configured categories")]
    UnknownCategory,
    #[error("the status is not one of the configured statuses")]
    UnknownStatus,
    /// The place is outside `reports.bounds_*`: the commune cannot act there.
    #[error("the place is outside the commune")]
    OutsideCommune,
    #[error("the neighbourhood is not one of the commune's")]
    UnknownNeighbourhood,
    #[error("the description or update is empty")]
    Empty,
    #[error("the text is too long")]
    TooLong,
    #[error("too many photos")]
    TooManyPhotos,
    /// "Me too" on a report that is fixed or closed: file a new one.
    #[error("the report is not open")]
    Closed,
    /// A report marked as a duplicate of itself.
    #[error("a report cannot be a duplicate of itself")]
    SameReport,
    /// The report a duplicate would point to does not exist.
    #[error("no such original report")]
    NoSuchOriginal,
    /// A report can only be assigned to a staff account.
    #[error("the account is not a staff member's")]
    NotStaff,
    /// Already so: already a duplicate, already in that category.
    #[error("already done")]
    AlreadyDone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(ReportError);

/// The size of a cell of the grid index, in millionths of a degree: 0.005°
/// is about 555 m north–south and 390 m east–west at 45° N, so a search
/// within the default 250 m reads at most 3 × 3 cells.
pub const CELL_MICRODEGREES: i32 = 5_000;

/// The grid cell of a position.
pub fn cell_of(lat: i32, lon: i32) -> (i32, i32) {
    (lat.div_euclid(CELL_MICRODEGREES), lon.div_euclid(CELL_MICRODEGREES))
}

/// Degrees to millionths of a degree (the caller checked the range).
pub fn to_micro(degrees: f64) -> i32 {
    (degrees * 1e6).round() as i32
}

pub fn from_micro(micro: i32) -> f64 {
    f64::from(micro) / 1e6
}

/// Whether a report that is not hidden shows the stored photo `file`: the
/// photo may then be served to anyone.
pub fn names_photo(tx: &impl crate::store::Tx, file: &str) -> Result<bool, StoreError> {
    let hidden = tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    for row in tx.open(PROBLEM_REPORT_ID_BY_PHOTO)?.range((file, 0)..=(file, u64::MAX))? {
        if hidden.get(row?.0.value().1)?.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn next_id(tx: &WriteTransaction) -> Result<ReportId, StoreError> {
    let mut counters = tx.open_table(PROBLEM_REPORT_COUNTER_BY_NAME)?;
    let id = counters.get("next_report")?.map(|v| v.value()).unwrap_or(1);
    counters.insert("next_report", id + 1)?;
    Ok(ReportId(id))
}

/// The one function that writes a report record: `pre` as it was (`None`
/// for a new one), `post` as it becomes. Each index moves from the key
/// `pre` had to the key `post` has, and the change is logged, in the
/// caller's transaction (kanidm's `entry_index(pre, post)`).
fn write(tx: &WriteTransaction, pre: Option<&ProblemReport>, post: &ProblemReport) -> Result<(), StoreError> {
    tx.open_table(PROBLEM_REPORT_BY_ID)?.insert(post.id.get(), encode(post)?.as_slice())?;
    let id = post.id.get();
    {
        let mut by_status = tx.open_table(PROBLEM_REPORT_ID_BY_STATUS_CREATED)?;
        if let Some(pre) = pre.filter(|p| (&p.status, p.created_at) != (&post.status, post.created_at)) {
            by_status.remove((pre.status.as_str(), pre.created_at, id))?;
        }
        by_status.insert((post.status.as_str(), post.created_at, id), ())?;
    }
    {
        let mut by_category = tx.open_table(PROBLEM_REPORT_ID_BY_CATEGORY_CREATED)?;
        if let Some(pre) = pre.filter(|p| (&p.category, p.created_at) != (&post.category, post.created_at)) {
            by_category.remove((pre.category.as_str(), pre.created_at, id))?;
        }
        by_category.insert((post.category.as_str(), post.created_at, id), ())?;
    }
    {
        let mut by_cell = tx.open_table(PROBLEM_REPORT_ID_BY_CELL)?;
        let cell = cell_of(post.lat, post.lon);
        if let Some(pre) = pre.filter(|p| cell_of(p.lat, p.lon) != cell) {
            let (row, col) = cell_of(pre.lat, pre.lon);
            by_cell.remove((row, col, id))?;
        }
        by_cell.insert((cell.0, cell.1, id), ())?;
    }
    {
        let mut by_author = tx.open_table(PROBLEM_REPORT_ID_BY_AUTHOR)?;
        if let Some(pre) = pre.filter(|p| p.author != post.author) {
            by_author.remove((pre.author.get(), id))?;
        }
        by_author.insert((post.author.get(), id), ())?;
    }
    if pre.is_none_or(|p| p.photos != post.photos) {
        let mut by_photo = tx.open_table(PROBLEM_REPORT_ID_BY_PHOTO)?;
        for file in pre.map(|p| p.photos.as_slice()).unwrap_or_default() {
            by_photo.remove((file.as_str(), id))?;
        }
        for file in &post.photos {
            by_photo.insert((file.as_str(), id), ())?;
        }
    }
    // Reports are not searched yet (`search::sources` loads none), but the
    // log is the one way the index hears of content: it must not miss them
    // when it learns to.
    changes::record(tx, post.target())?;
    Ok(())
}

#[cfg(test)]
mod tests;
