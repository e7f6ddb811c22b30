//! Following a report, and "me too": a resident who meets the same problem
//! supports the report and follows it, instead of filing it again.

use redb::{ReadableTable, WriteTransaction};

use super::update::get_in;
use super::*;
use crate::config::ReportSettings;
use crate::store::Tx;

/// Starts following a report; following twice is following once.
pub fn follow(tx: &WriteTransaction, id: ReportId, account: AccountId) -> Result<bool, ReportError> {
    set_follow(tx, id, account, true)
}

/// Stops following a report.
pub fn unfollow(tx: &WriteTransaction, id: ReportId, account: AccountId) -> Result<bool, ReportError> {
    set_follow(tx, id, account, false)
}

/// Adds or removes the follow row and moves the counter with it, in one
/// transaction: the counter is the rows' count (`tables::verify`).
fn set_follow(tx: &WriteTransaction, id: ReportId, account: AccountId, want: bool) -> Result<bool, ReportError> {
    let pre = get_in(tx, id)?;
    let mut table = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
    let has = table.get((id.get(), account.get()))?.is_some();
    if has == want {
        return Ok(want);
    }
    let mut post = pre.clone();
    if want {
        table.insert((id.get(), account.get()), ())?;
        post.followers += 1;
    } else {
        table.remove((id.get(), account.get()))?;
        post.followers = post.followers.saturating_sub(1);
    }
    drop(table);
    write(tx, Some(&pre), &post)?;
    Ok(want)
}

/// What a "me too" did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeToo {
    /// This account had already said so (or filed the report): nothing counted.
    pub already: bool,
    pub supports: u64,
}

/// "Me too": counted once per account, in the same transaction as the
/// check, so two parallel clicks count once; the person follows the
/// report. Its author is not counted (they filed it). Only an open report
/// takes it: a fixed or closed problem seen again is a new report.
pub fn me_too(
    tx: &WriteTransaction,
    settings: &ReportSettings,
    id: ReportId,
    account: AccountId,
    now: i64,
) -> Result<MeToo, ReportError> {
    let pre = get_in(tx, id)?;
    // A report staff hid is not there for residents.
    if super::is_hidden(tx, id)? {
        return Err(ReportError::NotFound);
    }
    if !pre.is_open(settings) {
        return Err(ReportError::Closed);
    }
    let mut supports = tx.open_table(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?;
    if pre.author.is(account) || supports.get((id.get(), account.get()))?.is_some() {
        return Ok(MeToo { already: true, supports: pre.supports });
    }
    supports.insert((id.get(), account.get()), now)?;
    drop(supports);
    let mut post = pre.clone();
    post.supports += 1;
    post.updated_at = now;
    write(tx, Some(&pre), &post)?;
    set_follow(tx, id, account, true)?;
    Ok(MeToo { already: false, supports: post.supports })
}

pub fn is_following(tx: &impl Tx, id: ReportId, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.get((id.get(), account.get()))?.is_some())
}

/// Whether `account` said "me too" on `id`.
pub fn supported(tx: &impl Tx, id: ReportId, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?.get((id.get(), account.get()))?.is_some())
}

/// Stops every follow of a person, each report's counter with it; returns
/// how many. Used when the account is erased, so that no later update
/// notifies the tombstone. Its « me too » stay counted, as proposals'
/// supports do.
pub fn unfollow_all(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let ids = super::followed_by(tx, account)?;
    for id in &ids {
        tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.remove((id.get(), account.get()))?;
        if let Some(pre) = super::get(tx, *id)? {
            let post = ProblemReport { followers: pre.followers.saturating_sub(1), ..pre.clone() };
            write(tx, Some(&pre), &post)?;
        }
    }
    Ok(ids.len())
}
