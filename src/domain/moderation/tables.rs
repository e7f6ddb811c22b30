//! Tables of the moderation concept.

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::{Report, State};
use crate::domain::ids::AccountId;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// (ContentKind tag, content id) → State, for every piece of content that was
/// ever held, reported or decided on. No row means "published, never reported".
pub const MODERATION_BY_TARGET: TableDefinition<(u8, u64), &[u8]> = TableDefinition::new("moderation_by_target");
/// (queued at, ContentKind tag, content id) → (): the queue, oldest first. An
/// item is here exactly while it is held or has open reports.
pub const MODERATION_QUEUE_BY_TIME: TableDefinition<(i64, u8, u64), ()> =
    TableDefinition::new("moderation_queue_by_time");
/// FlagId (u64) → Report.
pub const REPORT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("report_by_id");
/// (ContentKind tag, content id, FlagId) → (): the reports of a piece of content.
pub const REPORT_ID_BY_TARGET: TableDefinition<(u8, u64, u64), ()> = TableDefinition::new("report_id_by_target");
/// (ContentKind tag, content id, AccountId) → FlagId: the latest report of
/// one person on one piece of content (one open report per person).
pub const REPORT_ID_BY_TARGET_ACCOUNT: TableDefinition<(u8, u64, u64), u64> =
    TableDefinition::new("report_id_by_target_account");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(MODERATION_BY_TARGET),
        table_info!(MODERATION_QUEUE_BY_TIME),
        table_info!(REPORT_BY_ID),
        table_info!(REPORT_ID_BY_TARGET),
        table_info!(REPORT_ID_BY_TARGET_ACCOUNT),
    ]
}

/// Cross-checks the queue and the report indexes against the states and reports.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let states = tx.open_table(MODERATION_BY_TARGET)?;
    let queue = tx.open_table(MODERATION_QUEUE_BY_TIME)?;
    let reports = tx.open_table(REPORT_BY_ID)?;
    let by_target = tx.open_table(REPORT_ID_BY_TARGET)?;
    let by_account = tx.open_table(REPORT_ID_BY_TARGET_ACCOUNT)?;

    // Open reports per target, counted from the reports themselves.
    let mut open: BTreeMap<(u8, u64), u32> = BTreeMap::new();
    for row in reports.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        match decode::<Report>(bytes.value()) {
            Ok(r) => {
                let key = (r.target.kind.tag(), r.target.id);
                if r.open {
                    *open.entry(key).or_default() += 1;
                }
                if by_target.get((key.0, key.1, id))?.is_none() {
                    problems.push(format!("report {id} is missing from the index by content"));
                }
                if states.get(key)?.is_none() {
                    problems.push(format!("report {id} is about content with no moderation state"));
                }
            }
            Err(e) => problems.push(format!("report {id}: {e}")),
        }
    }
    for row in by_target.iter()? {
        let (key, _) = row?;
        let (_, _, id) = key.value();
        if reports.get(id)?.is_none() {
            problems.push(format!("the index by content names missing report {id}"));
        }
    }
    for row in by_account.iter()? {
        let (key, id) = row?;
        let (kind, target, account) = key.value();
        match reports.get(id.value())? {
            Some(bytes) => {
                let r: Report = decode(bytes.value())?;
                if r.reporter != AccountId(account) || r.target.kind.tag() != kind || r.target.id != target {
                    problems.push(format!("the index by person points to report {} of someone else", id.value()));
                }
            }
            None => problems.push(format!("the index by person names missing report {}", id.value())),
        }
    }

    let mut queued = 0u64;
    for row in states.iter()? {
        let (key, bytes) = row?;
        let (kind, id) = key.value();
        match decode::<State>(bytes.value()) {
            Ok(s) => {
                let expected = open.get(&(kind, id)).copied().unwrap_or(0);
                if s.open_reports != expected {
                    problems.push(format!(
                        "content {kind}/{id} says {} open reports, there are {expected}",
                        s.open_reports
                    ));
                }
                match (s.waiting(), s.queued_at) {
                    (true, Some(at)) => {
                        queued += 1;
                        if queue.get((at, kind, id))?.is_none() {
                            problems.push(format!("content {kind}/{id} waits but is missing from the queue"));
                        }
                    }
                    (true, None) => problems.push(format!("content {kind}/{id} waits with no time in the queue")),
                    (false, Some(_)) => problems.push(format!("content {kind}/{id} is decided but keeps a queue time")),
                    (false, None) => {}
                }
            }
            Err(e) => problems.push(format!("moderation state of {kind}/{id}: {e}")),
        }
    }
    let in_queue = redb::ReadableTableMetadata::len(&queue)?;
    if in_queue != queued {
        problems.push(format!("the queue has {in_queue} entries for {queued} waiting items"));
    }
    Ok(problems)
}
