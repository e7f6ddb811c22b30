//! Tables of the newsletters concept.

use redb::{ReadableTable, TableDefinition};

use crate::store::schema::{table_info, TableInfo};

/// NewsletterId → Newsletter.
pub const NEWSLETTER_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("newsletter_by_id");
/// (sent at, NewsletterId) → (): the sent newsletters by date, for the
/// archive; kept in step by `write`.
pub const NEWSLETTER_ID_BY_SENT: TableDefinition<(i64, u64), ()> = TableDefinition::new("newsletter_id_by_sent");
/// Counter name → value: `next_newsletter`.
pub const NEWSLETTER_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("newsletter_counter_by_name");
/// AccountId → ConsentLog: every time the person said yes or no, kept as
/// proof (RGPD art. 7.1: the town hall must be able to show the consent).
pub const NEWSLETTER_CONSENT_BY_ACCOUNT: TableDefinition<u64, &[u8]> =
    TableDefinition::new("newsletter_consent_by_account");
/// AccountId → (): the people who consent now, what a send reads; kept in
/// step with the log by `consent::write`.
pub const NEWSLETTER_SUBSCRIBER_BY_ACCOUNT: TableDefinition<u64, ()> =
    TableDefinition::new("newsletter_subscriber_by_account");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(NEWSLETTER_BY_ID),
        table_info!(NEWSLETTER_ID_BY_SENT),
        table_info!(NEWSLETTER_COUNTER_BY_NAME),
        table_info!(NEWSLETTER_CONSENT_BY_ACCOUNT),
        table_info!(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT),
    ]
}

/// The archive index holds exactly the sent newsletters at their dates, and
/// the subscribers are exactly the people whose last consent is not withdrawn.
pub(crate) fn verify(tx: &redb::ReadTransaction) -> Result<Vec<String>, crate::store::StoreError> {
    use std::collections::BTreeSet;
    let mut problems = Vec::new();
    let mut expected = BTreeSet::new();
    for row in tx.open_table(NEWSLETTER_BY_ID)?.iter()? {
        let (id, bytes) = row?;
        let letter: super::Newsletter = crate::store::decode(bytes.value())?;
        if letter.id.get() != id.value() {
            problems.push(format!("newsletter {} is stored under {}", letter.id, id.value()));
        }
        if let Some(sent) = &letter.sent {
            expected.insert((sent.at, letter.id.get()));
        }
    }
    let mut indexed = BTreeSet::new();
    for row in tx.open_table(NEWSLETTER_ID_BY_SENT)?.iter()? {
        indexed.insert(row?.0.value());
    }
    for (at, id) in expected.symmetric_difference(&indexed) {
        problems.push(format!("newsletter {id} ({at}): the archive index and the newsletter disagree"));
    }
    let mut consenting = BTreeSet::new();
    for row in tx.open_table(NEWSLETTER_CONSENT_BY_ACCOUNT)?.iter()? {
        let (id, bytes) = row?;
        let log: super::consent::ConsentLog = crate::store::decode(bytes.value())?;
        if log.is_given() {
            consenting.insert(id.value());
        }
    }
    let mut subscribers = BTreeSet::new();
    for row in tx.open_table(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT)?.iter()? {
        subscribers.insert(row?.0.value());
    }
    for id in consenting.symmetric_difference(&subscribers) {
        problems.push(format!("account {id}: the newsletter subscribers and the consent log disagree"));
    }
    Ok(problems)
}
