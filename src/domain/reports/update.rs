//! The public timeline: staff change the status with a public text (or a
//! response template's), residents add updates; followers are told.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::config::Config;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::fanout::Audience;
use crate::domain::notifications::{self, Event, Notifier};
use crate::store::{decode, WriteTx};

/// A report that must exist.
pub(super) fn get_in(tx: &WriteTransaction, id: ReportId) -> Result<ProblemReport, ReportError> {
    super::get(tx, id)?.ok_or(ReportError::NotFound)
}

fn checked_text(text: &str) -> Result<String, ReportError> {
    let text = text.trim();
    if text.chars().count() > MAX_UPDATE {
        return Err(ReportError::TooLong);
    }
    Ok(text.to_string())
}

/// Appends `update` to the timeline of `id`.
pub(super) fn append(tx: &WriteTransaction, id: ReportId, update: &Update) -> Result<(), StoreError> {
    let mut table = tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    let next = table
        .range((id.get(), 0)..=(id.get(), u64::MAX))?
        .next_back()
        .transpose()?
        .map(|(k, _)| k.value().1 + 1)
        .unwrap_or(1);
    table.insert((id.get(), next), encode(update)?.as_slice())?;
    Ok(())
}

/// Tells the followers of `id`, but `except` (who wrote the update), of
/// `event` after the commit: one fan-out job whatever their number
/// (`notifications::fanout`), so that a report many follow does not hold
/// the staff's write for as long as it takes to tell them all. No job when
/// nobody else follows: one read, and no wake-up for the worker.
pub(super) fn tell_followers(
    tx: &WriteTransaction,
    id: ReportId,
    except: Option<AccountId>,
    event: Event,
    now: i64,
) -> Result<(), StoreError> {
    let anyone = {
        let table = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
        let mut rows = table.range((id.get(), 0)..=(id.get(), u64::MAX))?;
        rows.any(|row| row.is_ok_and(|(k, _)| Some(AccountId(k.value().1)) != except))
    };
    if anyone {
        notifications::fanout::record(tx, Audience::ReportFollowers { report: id, except }, event, now)?;
    }
    Ok(())
}

/// The followers of `id`, but `except`, read in the caller's write: for
/// marking a duplicate, whose followers are moved to the original in the
/// same transaction (a job run after the commit would find none left).
pub(super) fn followers(
    tx: &WriteTransaction,
    id: ReportId,
    except: Option<AccountId>,
) -> Result<Vec<AccountId>, StoreError> {
    let table = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        let account = AccountId(row?.0.value().1);
        if Some(account) != except {
            out.push(account);
        }
    }
    Ok(out)
}

/// The followers of `id` after `after`, in increasing order, at most
/// `limit` (the fan-out's batches).
pub fn followers_after(
    tx: &impl crate::store::Tx,
    id: ReportId,
    after: Option<AccountId>,
    limit: usize,
) -> Result<Vec<AccountId>, StoreError> {
    let after = after.map(|a| a.get());
    Ok(crate::store::keys_after(tx, PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT, id.get(), after, limit)?
        .into_iter()
        .map(AccountId)
        .collect())
}

/// Staff change the status of a report: a public update with the text
/// (empty: the template's text when `template` names one), the followers
/// told by mail and in the app, the audit log records who did it. Setting
/// the same status again with a text posts the text alone.
#[allow(clippy::too_many_arguments)]
pub fn change_status(
    tx: &WriteTx,
    config: &Config,
    // Unused since followers and areas are told after the commit (notifications::fanout); kept so callers need no change.
    _notifier: &Notifier,
    staff: &Actor,
    id: ReportId,
    status: &str,
    text: &str,
    template: Option<&str>,
    now: i64,
) -> Result<ProblemReport, ReportError> {
    let settings = &config.reports;
    let by = staff.account.unwrap_or_default();
    let new_status = settings.status(status).ok_or(ReportError::UnknownStatus)?;
    let mut text = checked_text(text)?;
    if text.is_empty() {
        if let Some(t) = template.and_then(|code| settings.template(code)) {
            text = t.text.clone();
        }
    }
    let pre = get_in(tx, id)?;
    let changed = pre.status != new_status.code;
    if !changed && text.is_empty() {
        return Err(ReportError::Empty);
    }
    let mut post = pre.clone();
    post.status = new_status.code.clone();
    post.updated_at = now;
    write(tx, Some(&pre), &post)?;
    super::followup::status_changed(tx, settings, &pre, &post, now)?;
    let status = changed.then(|| new_status.code.clone());
    append(tx, id, &Update { at: now, by, staff: true, status: status.clone(), category: None, text })?;
    let category = settings.category(&post.category).map(|c| c.name.clone()).unwrap_or_else(|| post.category.clone());
    let event = Event::ReportUpdated {
        report: id.get(),
        category,
        status: status.clone(),
        status_name: new_status.name.clone().filter(|_| changed),
    };
    tell_followers(tx, id, Some(by), event, now)?;
    if changed {
        super::alerts::alert(tx, config, &post, Some(&post.status), Some(by), now)?;
    }
    let detail = format!("report {id}: {} → {}", pre.status, post.status);
    staff.record(tx, Action::ReportStatusChanged, None, detail, now)?;
    Ok(post)
}

/// A resident adds a public update to a report's timeline (it is still
/// there, it got worse); the other followers are told.
pub fn add_update(
    tx: &WriteTx,
    config: &Config,
    // Unused since followers are told after the commit (notifications::fanout); kept so callers need no change.
    _notifier: &Notifier,
    author: AccountId,
    id: ReportId,
    text: &str,
    now: i64,
) -> Result<(), ReportError> {
    let text = checked_text(text)?;
    if text.is_empty() {
        return Err(ReportError::Empty);
    }
    let pre = get_in(tx, id)?;
    // A report staff hid is not there for residents.
    if super::is_hidden(tx, id)? {
        return Err(ReportError::NotFound);
    }
    let mut post = pre.clone();
    post.updated_at = now;
    write(tx, Some(&pre), &post)?;
    append(tx, id, &Update { at: now, by: author, staff: false, status: None, category: None, text })?;
    let category =
        config.reports.category(&post.category).map(|c| c.name.clone()).unwrap_or_else(|| post.category.clone());
    let event = Event::ReportUpdated { report: id.get(), category, status: None, status_name: None };
    tell_followers(tx, id, Some(author), event, now)?;
    Ok(())
}

/// Decodes a timeline row (for `query::timeline`).
pub(super) fn decode_update(bytes: &[u8]) -> Result<Update, StoreError> {
    decode(bytes)
}
