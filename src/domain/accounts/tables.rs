//! Tables of the accounts concept.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::Account;
use crate::domain::ids::AccountId;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// AccountId (u64) → Account.
pub const ACCOUNT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("account_by_id");
/// Normalised email (lower case, trimmed) → AccountId.
pub const ACCOUNT_ID_BY_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("account_id_by_email");
/// Counter name → value: `next_id`, `count` (accounts not erased).
pub const ACCOUNT_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("account_counter_by_name");

/// SHA-256 of an emailed token → EmailToken (confirmation, reset, change of
/// address, invitation). Removed when used: every link works once.
pub const EMAIL_TOKEN_BY_HASH: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("email_token_by_hash");

/// AccountId → when (unix seconds) the person was told that their unused
/// account would be deleted (see `retention.rs`). Removed with the account;
/// a warning older than the person's last sign-in no longer counts.
pub const INACTIVITY_WARNING_BY_ACCOUNT: TableDefinition<u64, i64> =
    TableDefinition::new("inactivity_warning_by_account");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(ACCOUNT_BY_ID),
        table_info!(ACCOUNT_ID_BY_EMAIL),
        table_info!(ACCOUNT_COUNTER_BY_NAME),
        table_info!(EMAIL_TOKEN_BY_HASH),
        table_info!(INACTIVITY_WARNING_BY_ACCOUNT),
    ]
}

/// Cross-checks the email index and the counters against the accounts.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let accounts = tx.open_table(ACCOUNT_BY_ID)?;
    let by_email = tx.open_table(ACCOUNT_ID_BY_EMAIL)?;
    let counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME)?;
    let mut max_id = 0;
    let mut n = 0u64;
    let mut erased = 0u64;
    for row in accounts.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        n += 1;
        max_id = max_id.max(id);
        match decode::<Account>(bytes.value()) {
            Ok(account) => {
                if account.id != AccountId(id) {
                    problems.push(format!("account under key {id} says it is {}", account.id));
                }
                // An erased account is a tombstone: no address, so no index entry.
                if account.erased_at.is_some() {
                    erased += 1;
                    if !account.email.is_empty() || !account.password_hash.is_empty() {
                        problems.push(format!("erased account {id} still holds an address or a password"));
                    }
                    continue;
                }
                match by_email.get(account.email.as_str())?.map(|v| v.value()) {
                    Some(found) if found == id => {}
                    Some(other) => problems.push(format!("email of account {id} points to account {other}")),
                    None => problems.push(format!("email of account {id} is missing from the index")),
                }
            }
            Err(e) => problems.push(format!("account {id}: {e}")),
        }
    }
    let live = n - erased;
    if by_email.len()? != live {
        problems.push(format!("the email index has {} entries for {live} accounts", by_email.len()?));
    }
    for row in by_email.iter()? {
        let (email, id) = row?;
        if accounts.get(id.value())?.is_none() {
            problems.push(format!("email {} points to missing account {}", email.value(), id.value()));
        }
    }
    let warnings = tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?;
    for row in warnings.iter()? {
        let (id, _) = row?;
        let id = id.value();
        let kept_for_a_person = match accounts.get(id)? {
            Some(bytes) => decode::<Account>(bytes.value()).is_ok_and(|a| a.erased_at.is_none()),
            None => false,
        };
        if !kept_for_a_person {
            problems
                .push(format!("an inactivity warning is kept for account {id}, which does not exist or was deleted"));
        }
    }
    let count = counters.get("count")?.map(|v| v.value()).unwrap_or(0);
    if count != live {
        problems.push(format!("the account counter says {count}, there are {live} accounts"));
    }
    let next_id = counters.get("next_id")?.map(|v| v.value()).unwrap_or(1);
    if n > 0 && next_id <= max_id {
        problems.push(format!("next account id {next_id} is not above the highest id {max_id}"));
    }
    Ok(problems)
}
