//! Problem reports (« signalements »): a resident reports a broken street
//! light, a pothole or an overflowing bin, in a category the commune
//! configured; the report is routed by mail to the category's service, and
//! followed on its public page until it is fixed (the model is FixMyStreet).
//!
//! Each operation is one function (`file`, `change_status`, `add_update`,
//! `follow`, `unfollow`, `me_too`) run in the caller's write transaction;
//! every record goes through [`write`], which keeps the indexes and the
//! change log in step, and `tables::verify` checks them.

mod alerts;
mod confirm;
mod file;
mod follow;
mod followup;
pub mod open311;
mod query;
mod search;
pub mod send;
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

pub use self::alerts::{
    area_followers_after, areas_followed, follow_area, follows_area, unfollow_area, unsubscribe, unsubscribe_path,
    unsubscribe_valid, Area,
};
pub use self::confirm::{confirm, peek as peek_confirmation, purge_unconfirmed, Published, UNCONFIRMED_KEPT_SECS};
pub use self::file::{
    answers, check_answers, file, save_generated, Answer, AnswerProblem, Answers, Filed, Filer, NewReport,
    CONFIRMATION_LIFETIME_SECS, MAX_ANSWER, MAX_VISITOR_NAME,
};
pub use self::follow::{follow, is_following, me_too, supported, unfollow, unfollow_all, MeToo};
pub use self::followup::{
    answer_followup, answer_visitor_followup, ask_fixed_followups, check_followup, check_visitor_followup,
    followup_path, visitor_followup_path, Followup, FollowupAnswer,
};
pub use self::query::{
    followed_by, get, get_public, list, nearby, nearest, of_author, supports_of, timeline, Filter, Nearby, Nearest,
    Page, MAX_PAGE,
};
pub use self::search::{all_ids, search_document, SearchNames, SEARCH_STATUS_PREFIX};
pub use self::staff_assign::{add_note, assign, assignee, notes, Note};
pub use self::staff_dashboard::{dashboard, heat_map, Dashboard, HeatFilter, HeatMap, OpenAges, TimeToFix};
pub use self::staff_duplicate::mark_duplicate;
pub use self::staff_hide::{hidden_photos, hide, hide_photo, is_hidden, shown_photos, HiddenPhoto, MAX_HIDE_REASON};
pub use self::staff_queue::{queue, services_of, QueueFilter, Queued};
pub use self::staff_reassign::{reassign, Reassigned};
pub use self::staff_redact::{redact, redactions, Redaction, DESCRIPTION};
pub use self::update::{add_update, change_status, followers_after};
use super::accounts::AccountId;
use super::changes::{self, ContentKind, Target};
use crate::config::{ReportSettings, StatusKind};
use crate::crypto::Sealed;
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
    pub author: Author,
    /// Whether the author's name is shown on the public page.
    pub show_name: bool,
    /// Whether the report is public. One filed without an account waits
    /// for its author to follow the link mailed to them: until then it is
    /// in no list, no index but [`tables::PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED`],
    /// and no service has heard of it (anyone can type someone else's
    /// address; the link proves it is theirs).
    pub confirmed: bool,
    /// The code of its status in `[[reports.statuses]]`.
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub followers: u64,
    /// Residents who said "me too" (the author is not counted).
    pub supports: u64,
}

/// Who filed a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Author {
    /// A signed-in resident.
    Account(AccountId),
    /// Someone without an account: the name they gave, and their address
    /// sealed with the database key and bound to the report (see
    /// [`visitor_email_context`]), so that neither a stolen file nor a
    /// backup holds it in clear.
    Visitor { name: String, email: Sealed },
    /// Another system, through the Open311 API: the client's name in
    /// `[[open311.clients]]`.
    Open311 { client: String },
}

impl Author {
    /// The account that filed it, if an account did.
    pub fn account(&self) -> Option<AccountId> {
        match self {
            Author::Account(id) => Some(*id),
            Author::Visitor { .. } | Author::Open311 { .. } => None,
        }
    }

    /// Whether `account` filed it.
    pub fn is(&self, account: AccountId) -> bool {
        self.account() == Some(account)
    }
}

/// What a visitor's sealed address is bound to: copied onto another
/// report, it does not open.
pub(crate) fn visitor_email_context(id: ReportId) -> String {
    format!("problem_report.visitor_email:{}", id.get())
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
        is_open_status(settings, &self.status)
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
    /// The category it moved the report to, when staff reassigned it.
    pub category: Option<String>,
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
    /// A visitor's address does not look like one.
    #[error("the email address is not valid")]
    BadEmail,
    /// A visitor's name is empty or too long.
    #[error("the name is empty or too long")]
    BadName,
    #[error("the description or update is empty")]
    Empty,
    #[error("the text is too long")]
    TooLong,
    #[error("too many photos")]
    TooManyPhotos,
    /// An answer to an extra question of the category is missing or wrong.
    #[error("the answer to the question {question} is refused: {problem:?}")]
    BadAnswer { question: String, problem: AnswerProblem },
    /// "Me too" on a report that is fixed or closed: file a new one.
    #[error("the report is not open")]
    Closed,
    /// The system gave no random bytes for a link's secret.
    #[error("no randomness for a link: {0}")]
    Random(String),
    /// An answer link ("is it really fixed?") that was forged, or is of an
    /// older round.
    #[error("the link is not valid")]
    LinkInvalid,
    /// The question of this link was already answered.
    #[error("already answered")]
    AlreadyAnswered,
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

/// Whether a status code is an open one (a code unknown to the current
/// configuration counts as open: nobody closed it).
pub fn is_open_status(settings: &ReportSettings, code: &str) -> bool {
    settings.status(code).is_none_or(|s| s.kind == StatusKind::Open)
}

/// The size of a cell of the nearby offer's index, in millionths of a
/// degree: 0.001° is about 111 m north–south and 78 m east–west at 45° N,
/// so the cells read for 250 m cover little more than the circle (the
/// 0.005° cells of [`CELL_MICRODEGREES`] would read six times its area).
pub const PLACE_CELL_MICRODEGREES: i32 = 1_000;

/// The nearby offer's cell of a position.
pub fn place_cell_of(lat: i32, lon: i32) -> (i32, i32) {
    (lat.div_euclid(PLACE_CELL_MICRODEGREES), lon.div_euclid(PLACE_CELL_MICRODEGREES))
}

/// A report's row in [`tables::PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL`]:
/// a public report that staff did not hide has one. Closed ones keep
/// theirs, with their status: which statuses are open is the
/// configuration's to say, and it may change between two starts, while the
/// index is written by migrations and checked by `verify`, which see none.
type PlaceRow<'a> = ((&'a str, i32, i32, u64), (i32, i32, &'a str));

fn place_row(r: &ProblemReport, hidden: bool) -> Option<PlaceRow<'_>> {
    if !r.confirmed || hidden {
        return None;
    }
    let (row, col) = place_cell_of(r.lat, r.lon);
    Some(((r.category.as_str(), row, col, r.id.get()), (r.lat, r.lon, r.status.as_str())))
}

/// Moves a report's row of the nearby index from what it was (`pre`, with
/// whether it was hidden) to what it becomes: the one function that keeps
/// the index, called by [`write`] (publication, status, category) and by
/// `hide` (the hidden flag), and by the deletions (with `post` `None`).
fn move_place(
    tx: &WriteTransaction,
    pre: Option<(&ProblemReport, bool)>,
    post: Option<(&ProblemReport, bool)>,
) -> Result<(), StoreError> {
    let old = pre.and_then(|(r, hidden)| place_row(r, hidden));
    let new = post.and_then(|(r, hidden)| place_row(r, hidden));
    if old == new {
        return Ok(());
    }
    let mut table = tx.open_table(PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL)?;
    if let Some((key, _)) = old {
        table.remove(key)?;
    }
    if let Some((key, value)) = new {
        table.insert(key, value)?;
    }
    Ok(())
}

/// Degrees to millionths of a degree (the caller checked the range).
pub fn to_micro(degrees: f64) -> i32 {
    (degrees * 1e6).round() as i32
}

pub fn from_micro(micro: i32) -> f64 {
    f64::from(micro) / 1e6
}

/// Whether a report shows the stored photo `file`, public or not, or a
/// refused filing form keeps it: such a file is never deleted as another
/// form's forgotten upload.
pub fn names_photo(tx: &impl crate::store::Tx, file: &str) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_ID_BY_PHOTO)?.range((file, 0)..=(file, u64::MAX))?.next().is_some()
        || tx.open(PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE)?.get(file)?.is_some())
}

/// How long a photo of a refused filing form waits for the form to be sent
/// again: a day, as for a proposal's.
pub const UPLOAD_KEPT_SECS: i64 = 24 * 3600;

/// Keeps the photos `files` of a refused filing form (each re-encoded and
/// stored), and forgets in the same write the ones kept more than
/// [`UPLOAD_KEPT_SECS`] ago and never filed: returns the files nothing
/// names any more, for the caller to delete once this has committed.
pub fn keep_uploads(tx: &WriteTransaction, files: &[String], now: i64) -> Result<Vec<String>, StoreError> {
    let mut kept = tx.open_table(PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE)?;
    for file in files {
        kept.insert(file.as_str(), now)?;
    }
    let mut old = Vec::new();
    for row in kept.iter()? {
        let (file, at) = row?;
        if at.value() < now - UPLOAD_KEPT_SECS {
            old.push(file.value().to_string());
        }
    }
    for file in &old {
        kept.remove(file.as_str())?;
    }
    drop(kept);
    let mut unused = Vec::new();
    for file in old {
        // A name is a content hash: a report or a proposal may show the same picture.
        if !names_photo(tx, &file)? && !crate::domain::proposals::names_photo(tx, &file)? {
            unused.push(file);
        }
    }
    Ok(unused)
}

/// Whether the photo `file` is kept for a refused filing form (and so
/// still on disk).
pub fn is_kept_upload(tx: &impl crate::store::Tx, file: &str) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE)?.get(file)?.is_some())
}

/// Whether a public report shows the stored photo `file`: it may then be
/// served to anyone. A report waiting for its author's confirmation shows
/// nothing yet, a hidden one nothing any more, and none shows a photo
/// staff hid on it (another shown report may still show the same file).
pub fn shows_photo(tx: &impl crate::store::Tx, file: &str) -> Result<bool, StoreError> {
    let reports = tx.open(PROBLEM_REPORT_BY_ID)?;
    let hidden = tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    for row in tx.open(PROBLEM_REPORT_ID_BY_PHOTO)?.range((file, 0)..=(file, u64::MAX))? {
        let id = row?.0.value().1;
        if hidden.get(id)?.is_some() || staff_hide::photo_hidden(tx, id, file)? {
            continue;
        }
        if let Some(bytes) = reports.get(id)? {
            if crate::store::decode::<ProblemReport>(bytes.value())?.confirmed {
                return Ok(true);
            }
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
    // A report not yet confirmed is in none of the public indexes, only in
    // the list the hourly pass deletes from; each index moves from the key
    // `pre` had (if it was in it) to the key `post` has (if it belongs).
    let public = |r: &ProblemReport| r.confirmed;
    {
        let mut by_status = tx.open_table(PROBLEM_REPORT_ID_BY_STATUS_CREATED)?;
        if let Some(pre) = pre.filter(|p| public(p)) {
            by_status.remove((pre.status.as_str(), pre.created_at, id))?;
        }
        if public(post) {
            by_status.insert((post.status.as_str(), post.created_at, id), ())?;
        }
    }
    {
        let mut by_category = tx.open_table(PROBLEM_REPORT_ID_BY_CATEGORY_CREATED)?;
        if let Some(pre) = pre.filter(|p| public(p)) {
            by_category.remove((pre.category.as_str(), pre.created_at, id))?;
        }
        if public(post) {
            by_category.insert((post.category.as_str(), post.created_at, id), ())?;
        }
    }
    {
        let mut by_cell = tx.open_table(PROBLEM_REPORT_ID_BY_CELL)?;
        if let Some(pre) = pre.filter(|p| public(p)) {
            let (row, col) = cell_of(pre.lat, pre.lon);
            by_cell.remove((row, col, id))?;
        }
        if public(post) {
            let (row, col) = cell_of(post.lat, post.lon);
            by_cell.insert((row, col, id), ())?;
        }
    }
    {
        let mut by_neighbourhood = tx.open_table(PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED)?;
        if let Some(pre) = pre.filter(|p| public(p)) {
            if let Some(n) = pre.neighbourhood.as_deref() {
                by_neighbourhood.remove((n, pre.created_at, id))?;
            }
        }
        if let Some(n) = post.neighbourhood.as_deref().filter(|_| public(post)) {
            by_neighbourhood.insert((n, post.created_at, id), ())?;
        }
    }
    if pre.is_some_and(public) || public(post) {
        // Hiding is not a write of the record: the flag is as it was.
        let hidden = tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?.get(id)?.is_some();
        move_place(tx, pre.map(|p| (p, hidden)), Some((post, hidden)))?;
    }
    {
        let mut unconfirmed = tx.open_table(PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED)?;
        if let Some(pre) = pre.filter(|p| !public(p)) {
            unconfirmed.remove((pre.created_at, id))?;
        }
        if !public(post) {
            unconfirmed.insert((post.created_at, id), ())?;
        }
    }
    {
        let mut by_author = tx.open_table(PROBLEM_REPORT_ID_BY_AUTHOR)?;
        if let Some(account) = pre.and_then(|p| p.author.account()) {
            by_author.remove((account.get(), id))?;
        }
        if let Some(account) = post.author.account() {
            by_author.insert((account.get(), id), ())?;
        }
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
    // The log is the one way the search index hears of a report.
    changes::record(tx, post.target())?;
    Ok(())
}

#[cfg(test)]
mod tests;
