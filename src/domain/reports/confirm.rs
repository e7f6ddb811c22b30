//! Reports filed without an account: the link mailed to their author
//! publishes them (`confirm`), and those whose link was never followed are
//! deleted by the hourly pass (`purge_unconfirmed`).
//!
//! A link is a random secret of which only a hash is stored, used once (it
//! is removed whatever happens), by a POST (a mail scanner that opens every
//! link must not publish anything), and only for
//! [`file::CONFIRMATION_LIFETIME_SECS`](super::file::CONFIRMATION_LIFETIME_SECS):
//! the design of the accounts' links, with a table of its own since the
//! link names a report, not an account.

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::config::Config;
use crate::domain::audit::Actor;
use crate::domain::notifications::Notifier;
use crate::store::{self, Keyed, WriteTx};

/// How long an unconfirmed report is kept: as long as its link works.
pub const UNCONFIRMED_KEPT_SECS: i64 = super::file::CONFIRMATION_LIFETIME_SECS;

fn hash(token: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("parvis-report-confirmation:{token}").as_bytes()).into()
}

/// Issues the confirmation link's secret for report `id`; returns it.
pub(super) fn issue(tx: &WriteTransaction, id: ReportId, expires_at: i64) -> Result<String, ReportError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ReportError::Random(e.to_string()))?;
    let token = hex::encode(bytes);
    tx.open_table(PROBLEM_REPORT_CONFIRMATION_BY_HASH)?.insert(&hash(&token), (id.get(), expires_at))?;
    Ok(token)
}

/// The report a confirmation link would publish, without using the link
/// (to show the button it leads to); `None` when unknown or expired.
pub fn peek(tx: &impl crate::store::Tx, token: &str, now: i64) -> Result<Option<ReportId>, StoreError> {
    let found = tx.open(PROBLEM_REPORT_CONFIRMATION_BY_HASH)?.get(&hash(token.trim()))?.map(|v| v.value());
    Ok(found.filter(|(_, expires_at)| *expires_at >= now).map(|(id, _)| ReportId(id)))
}

/// A report published by its author's link.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    pub id: ReportId,
    /// The name of the service the routing mail went to.
    pub service: String,
    /// The author's address and name, opened, so that the page can offer an
    /// account with them.
    pub email: String,
    pub name: String,
}

/// Follows a report's confirmation link: the report becomes public and is
/// routed to its category's service, as a resident's is at filing. `None`
/// when the link is unknown, used or expired (an answer, not an error, so
/// that the removal of an expired link is committed).
pub fn confirm(
    tx: &WriteTx,
    config: &Config,
    notifier: &Notifier,
    actor: &Actor,
    token: &str,
    now: i64,
) -> Result<Option<Published>, ReportError> {
    let taken = tx.open_table(PROBLEM_REPORT_CONFIRMATION_BY_HASH)?.remove(&hash(token.trim()))?.map(|v| v.value());
    let Some((id, expires_at)) = taken else { return Ok(None) };
    if expires_at < now {
        return Ok(None);
    }
    let id = ReportId(id);
    let Some(pre) = store::record::<ProblemReport>(&**tx, PROBLEM_REPORT_BY_ID, id.get())? else {
        return Ok(None);
    };
    let Author::Visitor { name, email } = &pre.author else { return Ok(None) };
    if pre.confirmed {
        return Ok(None);
    }
    let email = tx
        .keys()
        .open_string(&visitor_email_context(id), email)
        .map_err(|source| StoreError::Sealed { what: "report author's address", source })?;
    let mut post = pre.clone();
    post.confirmed = true;
    post.updated_at = now;
    write(tx, Some(&pre), &post)?;
    super::file::route(tx, config, notifier, actor, &post, now)?;
    let service = config
        .reports
        .category(&post.category)
        .and_then(|c| config.reports.service(&c.service))
        .map(|s| s.name.clone())
        .unwrap_or_default();
    Ok(Some(Published { id, service, email, name: name.clone() }))
}

/// Deletes at most `max` reports filed before `before` whose link was
/// never followed, with their links; returns the photo files no report or
/// proposal names any more, for the caller to delete once this has
/// committed (a photo on disk is not in redb).
pub fn purge_unconfirmed(tx: &WriteTransaction, before: i64, max: usize) -> Result<Vec<String>, StoreError> {
    let old: Vec<(i64, u64)> = tx
        .open_table(PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED)?
        .range((i64::MIN, 0)..(before, 0))?
        .take(max)
        .map(|r| r.map(|(k, _)| k.value()))
        .collect::<Result<_, _>>()?;
    if old.is_empty() {
        return Ok(Vec::new());
    }
    let mut photos: Vec<String> = Vec::new();
    for (created_at, id) in &old {
        let report: Option<ProblemReport> = store::record(tx, PROBLEM_REPORT_BY_ID, *id)?;
        tx.open_table(PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED)?.remove((*created_at, *id))?;
        let Some(report) = report else { continue };
        tx.open_table(PROBLEM_REPORT_BY_ID)?.remove(*id)?;
        tx.open_table(PROBLEM_REPORT_ANSWERS_BY_REPORT)?.remove(*id)?;
        // An unconfirmed report has no row in the nearby index; the
        // deletion goes through the index's one function all the same, so
        // that deleting another kind of report one day leaves none behind.
        super::move_place(tx, Some((&report, false)), None)?;
        if let Some(account) = report.author.account() {
            tx.open_table(PROBLEM_REPORT_ID_BY_AUTHOR)?.remove((account.get(), *id))?;
        }
        let mut by_photo = tx.open_table(PROBLEM_REPORT_ID_BY_PHOTO)?;
        for file in &report.photos {
            by_photo.remove((file.as_str(), *id))?;
            photos.push(file.clone());
        }
        drop(by_photo);
        changes::record(tx, report.target())?;
    }
    // Their links: the table is small (three days of unconfirmed reports).
    let gone: Vec<u64> = old.iter().map(|(_, id)| *id).collect();
    let mut links = tx.open_table(PROBLEM_REPORT_CONFIRMATION_BY_HASH)?;
    let mut dead = Vec::new();
    for row in links.iter()? {
        let (hash, value) = row?;
        if gone.contains(&value.value().0) {
            dead.push(*hash.value());
        }
    }
    for hash in &dead {
        links.remove(hash)?;
    }
    drop(links);
    let mut unused = Vec::new();
    for file in photos {
        // A name is a content hash: another report or a proposal may show the same picture.
        if !names_photo(tx, &file)? && !crate::domain::proposals::names_photo(tx, &file)? && !unused.contains(&file) {
            unused.push(file);
        }
    }
    Ok(unused)
}
