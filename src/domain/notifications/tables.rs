//! Tables of the notifications concept.

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// (AccountId, sequence) → Notification: a person's notifications, oldest first.
pub const NOTIFICATION_BY_ACCOUNT_SEQ: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("notification_by_account_seq");

/// AccountId → how many of their notifications are unread: the header
/// shows it on every page, so it is kept with the notifications rather than
/// counted. No row: none unread.
pub const NOTIFICATION_UNREAD_BY_ACCOUNT: TableDefinition<u64, u64> =
    TableDefinition::new("notification_unread_by_account");

/// AccountId → Settings: how a person wants to hear of each kind of
/// notification by email. No row: the defaults.
pub const NOTIFICATION_SETTINGS_BY_ACCOUNT: TableDefinition<u64, &[u8]> =
    TableDefinition::new("notification_settings_by_account");

/// (AccountId, sequence) → DigestItem: what waits for a person's next
/// daily or weekly digest.
pub const NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("notification_digest_item_by_account_seq");

/// (cadence, at, AccountId, sequence) → (): the waiting digest items by
/// cadence (0 daily, 1 weekly) and time, so a digest pass reads only what
/// is due.
pub const NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ: TableDefinition<(u8, i64, u64, u64), ()> =
    TableDefinition::new("notification_digest_due_by_cadence_at_account_seq");

/// JobId → FanOut: an event to tell a whole audience (a proposal's
/// followers), written by the business operation and expanded after its
/// commit in batches, each remembering the last account told.
pub const NOTIFICATION_FANOUT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("notification_fanout_by_id");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(NOTIFICATION_BY_ACCOUNT_SEQ),
        table_info!(NOTIFICATION_UNREAD_BY_ACCOUNT),
        table_info!(NOTIFICATION_SETTINGS_BY_ACCOUNT),
        table_info!(NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ),
        table_info!(NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ),
        table_info!(NOTIFICATION_FANOUT_BY_ID),
    ]
}

/// `parvis verify`: each unread counter equals its person's unread
/// notifications, and each waiting digest item has its row in the due index
/// (and no due row points at nothing).
pub fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mut counted = std::collections::BTreeMap::<u64, u64>::new();
    for row in tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?.iter()? {
        let (k, v) = row?;
        if !decode::<super::Notification>(v.value())?.read {
            *counted.entry(k.value().0).or_default() += 1;
        }
    }
    let mut kept = std::collections::BTreeMap::<u64, u64>::new();
    for row in tx.open_table(NOTIFICATION_UNREAD_BY_ACCOUNT)?.iter()? {
        let (k, v) = row?;
        kept.insert(k.value(), v.value());
    }
    kept.retain(|_, n| *n > 0);
    if counted != kept {
        problems.push(format!("unread counters {kept:?} differ from the unread notifications {counted:?}"));
    }
    let items = tx.open_table(NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ)?;
    let due = tx.open_table(NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ)?;
    let mut expected = std::collections::BTreeSet::new();
    for row in items.iter()? {
        let (k, v) = row?;
        let (account, seq) = k.value();
        let item: super::digest::DigestItem = decode(v.value())?;
        expected.insert((item.cadence.index(), item.at, account, seq));
    }
    let mut found = std::collections::BTreeSet::new();
    for row in due.iter()? {
        found.insert(row?.0.value());
    }
    if expected != found {
        problems.push(format!(
            "the digest's due index has {} rows for {} waiting items, or they disagree",
            found.len(),
            expected.len()
        ));
    }
    Ok(problems)
}
