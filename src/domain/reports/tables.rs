//! Tables of the problem reports concept (« signalements »). Moderation owns
//! `report_by_id` (a flag of content to the moderators): these are named
//! `problem_report_…`.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::{cell_of, place_cell_of, ProblemReport};
use crate::domain::ids::ReportId;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// ReportId → ProblemReport.
pub const PROBLEM_REPORT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("problem_report_by_id");
/// (status code, created_at, ReportId) → (): the reports of a status, oldest first.
pub const PROBLEM_REPORT_ID_BY_STATUS_CREATED: TableDefinition<(&str, i64, u64), ()> =
    TableDefinition::new("problem_report_id_by_status_created");
/// (category code, created_at, ReportId) → (): the reports of a category, oldest first.
pub const PROBLEM_REPORT_ID_BY_CATEGORY_CREATED: TableDefinition<(&str, i64, u64), ()> =
    TableDefinition::new("problem_report_id_by_category_created");
/// (cell row, cell column, ReportId) → (): the grid cell of each report
/// (see `reports::CELL_MICRODEGREES`), for "open reports nearby".
pub const PROBLEM_REPORT_ID_BY_CELL: TableDefinition<(i32, i32, u64), ()> =
    TableDefinition::new("problem_report_id_by_cell");
/// (category code, cell row, cell column, ReportId) → (latitude,
/// longitude, status code): the public reports not hidden by staff, in
/// cells of `reports::PLACE_CELL_MICRODEGREES`, with what the nearby offer
/// needs to keep or leave each one (place, status) without decoding it.
pub const PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL: TableDefinition<PlaceKey, PlaceValue> =
    TableDefinition::new("problem_report_place_by_category_cell");
/// (category code, cell row, cell column, ReportId).
pub type PlaceKey = (&'static str, i32, i32, u64);
/// (latitude, longitude, status code).
pub type PlaceValue = (i32, i32, &'static str);
/// (neighbourhood, created_at, ReportId) → (): the public reports of a
/// neighbourhood, oldest first.
pub const PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED: TableDefinition<(&str, i64, u64), ()> =
    TableDefinition::new("problem_report_id_by_neighbourhood_created");
/// (AccountId, ReportId) → (): the reports a person filed.
pub const PROBLEM_REPORT_ID_BY_AUTHOR: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("problem_report_id_by_author");
/// (ReportId, AccountId) → (): who follows a report.
pub const PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("problem_report_follow_by_report_account");
/// (ReportId, AccountId) → at (Unix seconds): "me too", once per account.
pub const PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT: TableDefinition<(u64, u64), i64> =
    TableDefinition::new("problem_report_support_by_report_account");
/// (ReportId, sequence from 1) → Update: a report's public timeline.
pub const PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("problem_report_update_by_report_seq");
/// (photo file name, ReportId) → (): the reports that show a stored photo,
/// so that the file is served while one of them may be seen, and never
/// deleted as a forgotten upload of another form.
pub const PROBLEM_REPORT_ID_BY_PHOTO: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("problem_report_id_by_photo");
/// (created_at, ReportId) → (): the reports filed without an account whose
/// emailed link was not followed yet, oldest first (the hourly pass deletes
/// those older than `reports::UNCONFIRMED_KEPT_SECS`).
pub const PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED: TableDefinition<(i64, u64), ()> =
    TableDefinition::new("problem_report_id_by_unconfirmed_created");
/// SHA-256 of a confirmation link's secret → (ReportId, expires_at): the
/// link that publishes a report filed without an account. Only the hash is
/// kept, so that a copy of the database cannot publish anything.
pub const PROBLEM_REPORT_CONFIRMATION_BY_HASH: TableDefinition<&[u8; 32], (u64, i64)> =
    TableDefinition::new("problem_report_confirmation_by_hash");
/// ReportId → Followup: the round of "is it really fixed?" of a report
/// that reached a fixed status (`followup.rs`).
pub const PROBLEM_REPORT_FOLLOWUP_BY_REPORT: TableDefinition<u64, &[u8]> =
    TableDefinition::new("problem_report_followup_by_report");
/// (fixed_at, ReportId) → (): the reports fixed and not asked yet, oldest first.
pub const PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED: TableDefinition<(i64, u64), ()> =
    TableDefinition::new("problem_report_followup_pending_by_fixed");
/// (area kind "quartier" or "categorie", its code, AccountId) → since
/// (Unix seconds): who follows a neighbourhood or a category (`alerts.rs`).
pub const PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT: TableDefinition<(&str, &str, u64), i64> =
    TableDefinition::new("problem_report_area_follow_by_area_account");
/// Counter name → value: `next_report`.
pub const PROBLEM_REPORT_COUNTER_BY_NAME: TableDefinition<&str, u64> =
    TableDefinition::new("problem_report_counter_by_name");

/// ReportId → AccountId: the staff member a report is assigned to.
pub const PROBLEM_REPORT_ASSIGNEE_BY_REPORT: TableDefinition<u64, u64> =
    TableDefinition::new("problem_report_assignee_by_report");
/// (AccountId, ReportId) → (): the reports assigned to a staff member.
pub const PROBLEM_REPORT_ID_BY_ASSIGNEE: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("problem_report_id_by_assignee");
/// (ReportId, sequence from 1) → Note: staff's internal notes, never public.
pub const PROBLEM_REPORT_NOTE_BY_REPORT_SEQ: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("problem_report_note_by_report_seq");
/// ReportId → when staff hid it (Unix seconds): a hidden report is out of
/// every public page, list, nearby offer and export, and its photos are
/// not served (unless a shown report uses the same file).
pub const PROBLEM_REPORT_HIDDEN_BY_REPORT: TableDefinition<u64, i64> =
    TableDefinition::new("problem_report_hidden_by_report");
/// (ReportId, item: 0 for the description, else the update's sequence) →
/// Redaction: the original text of what staff redacted, for staff only.
pub const PROBLEM_REPORT_REDACTION_BY_REPORT_ITEM: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("problem_report_redaction_by_report_item");
/// ReportId → Answers: the answers to its category's extra questions
/// (`[[reports.questions]]`), for a report that has any.
pub const PROBLEM_REPORT_ANSWERS_BY_REPORT: TableDefinition<u64, &[u8]> =
    TableDefinition::new("problem_report_answers_by_report");
/// Photo file name → when it was kept (Unix seconds): a photo uploaded
/// with a filing form that was refused, kept so that the form sent again
/// need not carry it again; forgotten after `reports::UPLOAD_KEPT_SECS`.
pub const PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE: TableDefinition<&str, i64> =
    TableDefinition::new("problem_report_kept_upload_by_file");
/// ReportId → Sending: where a report of a category sent by Open311 went
/// (`send.rs`).
pub const PROBLEM_REPORT_SENDING_BY_REPORT: TableDefinition<u64, &[u8]> =
    TableDefinition::new("problem_report_sending_by_report");
/// (due_at, ReportId) → (): the sendings waiting for their next step (a
/// POST to try, a token to ask about, a status to read), soonest first.
pub const PROBLEM_REPORT_SENDING_DUE_BY_AT: TableDefinition<(i64, u64), ()> =
    TableDefinition::new("problem_report_sending_due_by_at");

/// (ReportId, photo file name) → HiddenPhoto: one photo staff took out of
/// public view (a face, a plate), with why; the report itself stays public.
pub const PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE: TableDefinition<(u64, &str), &[u8]> =
    TableDefinition::new("problem_report_hidden_photo_by_report_file");

/// ReportId → (SHA-256 of the secret, round): the "is it really fixed?"
/// links of a report filed without an account (`followup.rs`); only the
/// hash is kept, a new round replaces it, an answer removes it.
pub const PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT: TableDefinition<u64, (&[u8; 32], u64)> =
    TableDefinition::new("problem_report_followup_link_by_report");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(PROBLEM_REPORT_BY_ID),
        table_info!(PROBLEM_REPORT_ID_BY_STATUS_CREATED),
        table_info!(PROBLEM_REPORT_ID_BY_CATEGORY_CREATED),
        table_info!(PROBLEM_REPORT_ID_BY_CELL),
        table_info!(PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL),
        table_info!(PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED),
        table_info!(PROBLEM_REPORT_ID_BY_AUTHOR),
        table_info!(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT),
        table_info!(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT),
        table_info!(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ),
        table_info!(PROBLEM_REPORT_ID_BY_PHOTO),
        table_info!(PROBLEM_REPORT_COUNTER_BY_NAME),
        table_info!(PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED),
        table_info!(PROBLEM_REPORT_CONFIRMATION_BY_HASH),
        table_info!(PROBLEM_REPORT_FOLLOWUP_BY_REPORT),
        table_info!(PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED),
        table_info!(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT),
        table_info!(PROBLEM_REPORT_ASSIGNEE_BY_REPORT),
        table_info!(PROBLEM_REPORT_ID_BY_ASSIGNEE),
        table_info!(PROBLEM_REPORT_NOTE_BY_REPORT_SEQ),
        table_info!(PROBLEM_REPORT_HIDDEN_BY_REPORT),
        table_info!(PROBLEM_REPORT_REDACTION_BY_REPORT_ITEM),
        table_info!(PROBLEM_REPORT_ANSWERS_BY_REPORT),
        table_info!(PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE),
        table_info!(PROBLEM_REPORT_SENDING_BY_REPORT),
        table_info!(PROBLEM_REPORT_SENDING_DUE_BY_AT),
        table_info!(PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE),
        table_info!(PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT),
    ]
}

/// Every public report is in each index under its current status,
/// category, cell, neighbourhood (if it has one) and author (an account's),
/// in the nearby index with its place and status unless hidden, every
/// unconfirmed one in the
/// unconfirmed list only, and nothing else is; every confirmation link
/// names an unconfirmed report; its follower and "me too" counters
/// equal their rows; every update belongs to a report; the id counter is
/// ahead of every id given.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let reports = tx.open_table(PROBLEM_REPORT_BY_ID)?;
    let by_status = tx.open_table(PROBLEM_REPORT_ID_BY_STATUS_CREATED)?;
    let by_category = tx.open_table(PROBLEM_REPORT_ID_BY_CATEGORY_CREATED)?;
    let by_cell = tx.open_table(PROBLEM_REPORT_ID_BY_CELL)?;
    let by_author = tx.open_table(PROBLEM_REPORT_ID_BY_AUTHOR)?;
    let by_place = tx.open_table(PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL)?;
    let by_neighbourhood = tx.open_table(PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED)?;
    let hidden = tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    let follows = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let supports = tx.open_table(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?;
    let updates = tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    let by_photo = tx.open_table(PROBLEM_REPORT_ID_BY_PHOTO)?;
    let unconfirmed = tx.open_table(PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED)?;
    let links = tx.open_table(PROBLEM_REPORT_CONFIRMATION_BY_HASH)?;
    let mut photos = 0u64;
    let (mut public, mut pending, mut by_accounts) = (0u64, 0u64, 0u64);
    let (mut shown, mut in_neighbourhoods) = (0u64, 0u64);
    let next = tx.open_table(PROBLEM_REPORT_COUNTER_BY_NAME)?.get("next_report")?.map(|v| v.value()).unwrap_or(1);
    for row in reports.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        let r: ProblemReport = match decode(bytes.value()) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("report {id}: {e}"));
                continue;
            }
        };
        if r.id != ReportId(id) {
            problems.push(format!("report under key {id} says it is {}", r.id));
        }
        if id >= next {
            problems.push(format!("report {id} is not below the next report id {next}"));
        }
        if r.confirmed {
            public += 1;
            if by_status.get((r.status.as_str(), r.created_at, id))?.is_none() {
                problems.push(format!("report {id} is missing from the by-status index (or under another status)"));
            }
            if by_category.get((r.category.as_str(), r.created_at, id))?.is_none() {
                problems.push(format!("report {id} is missing from the by-category index"));
            }
            let (row_, col) = cell_of(r.lat, r.lon);
            if by_cell.get((row_, col, id))?.is_none() {
                problems.push(format!("report {id} is missing from the grid index"));
            }
            if let Some(n) = r.neighbourhood.as_deref() {
                in_neighbourhoods += 1;
                if by_neighbourhood.get((n, r.created_at, id))?.is_none() {
                    problems.push(format!("report {id} is missing from the by-neighbourhood index"));
                }
            }
            if hidden.get(id)?.is_none() {
                shown += 1;
                let (row_, col) = place_cell_of(r.lat, r.lon);
                let place = by_place.get((r.category.as_str(), row_, col, id))?;
                let held = place.as_ref().map(|v| v.value());
                if held != Some((r.lat, r.lon, r.status.as_str())) {
                    problems.push(format!(
                        "report {id} is missing from the nearby index (or with another place or status)"
                    ));
                }
            }
        } else {
            pending += 1;
            if unconfirmed.get((r.created_at, id))?.is_none() {
                problems.push(format!("unconfirmed report {id} is missing from the unconfirmed list"));
            }
        }
        if let Some(account) = r.author.account() {
            by_accounts += 1;
            if by_author.get((account.get(), id))?.is_none() {
                problems.push(format!("report {id} is missing from the by-author index"));
            }
        }
        for photo in &r.photos {
            photos += 1;
            if by_photo.get((photo.as_str(), id))?.is_none() {
                problems.push(format!("report {id} is missing from the by-photo index"));
            }
        }
        let followers = follows.range((id, 0)..=(id, u64::MAX))?.count() as u64;
        if followers != r.followers {
            problems.push(format!("report {id} says {} followers, {followers} are recorded", r.followers));
        }
        let counted = supports.range((id, 0)..=(id, u64::MAX))?.count() as u64;
        if counted != r.supports {
            problems.push(format!("report {id} says {} « me too », {counted} are recorded", r.supports));
        }
    }
    for (name, n, len) in [
        ("public reports", public, by_status.len()?),
        ("public reports", public, by_category.len()?),
        ("public reports", public, by_cell.len()?),
        ("public reports not hidden", shown, by_place.len()?),
        ("public reports in a neighbourhood", in_neighbourhoods, by_neighbourhood.len()?),
        ("reports filed by accounts", by_accounts, by_author.len()?),
        ("unconfirmed reports", pending, unconfirmed.len()?),
    ] {
        if len != n {
            problems.push(format!("{n} {name} but {len} entries in their index"));
        }
    }
    for row in links.iter()? {
        let (_, value) = row?;
        let (report, _) = value.value();
        let waiting = match reports.get(report)? {
            Some(bytes) => decode::<ProblemReport>(bytes.value()).is_ok_and(|r| !r.confirmed),
            None => false,
        };
        if !waiting {
            problems.push(format!("a confirmation link names report {report}, which is not waiting for one"));
        }
    }
    if by_photo.len()? != photos {
        problems.push(format!("{photos} report photos, {} by-photo index entries", by_photo.len()?));
    }
    let mut orphans = 0u64;
    let mut last = None;
    for row in updates.iter()? {
        let (report, _) = row?.0.value();
        if last != Some(report) {
            last = Some(report);
            if reports.get(report)?.is_none() {
                orphans += 1;
            }
        }
    }
    if orphans > 0 {
        problems.push(format!("the updates of {orphans} missing report(s) are still stored"));
    }
    for row in tx.open_table(PROBLEM_REPORT_ANSWERS_BY_REPORT)?.iter()? {
        let (id, bytes) = row?;
        if reports.get(id.value())?.is_none() {
            problems.push(format!("the answers of the missing report {} are still stored", id.value()));
        } else if let Err(e) = decode::<super::Answers>(bytes.value()) {
            problems.push(format!("the answers of report {}: {e}", id.value()));
        }
    }
    // A report waiting for "is it really fixed?" has its round, fixed at
    // that time and not asked yet.
    let followups = tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?;
    for row in tx.open_table(PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED)?.iter()? {
        let (fixed_at, id) = row?.0.value();
        let f: Option<super::Followup> = match followups.get(id)? {
            Some(bytes) => Some(decode(bytes.value())?),
            None => None,
        };
        if !f.is_some_and(|f| f.fixed_at == fixed_at && f.asked_at.is_none()) {
            problems.push(format!("report {id} waits for its follow-up question but its round says otherwise"));
        }
    }
    super::staff_assign::verify(tx, &mut problems)?;
    super::staff_hide::verify(tx, &mut problems)?;
    super::followup::verify(tx, &mut problems)?;
    super::staff_redact::verify(tx, &mut problems)?;
    super::send::verify(tx, &mut problems)?;
    Ok(problems)
}
