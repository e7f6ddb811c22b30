//! Tables of the two-factor concept.

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::TotpRecord;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// AccountId → TOTP secret and state (pending enrolment or enabled).
pub const TOTP_BY_ACCOUNT: TableDefinition<u64, &[u8]> = TableDefinition::new("totp_by_account");
/// AccountId → an enrolment waiting for its first code (replaced on restart).
pub const PENDING_BY_ACCOUNT: TableDefinition<u64, &[u8]> = TableDefinition::new("totp_pending_by_account");
/// (AccountId, SHA-256 of a recovery code) → (): the unused recovery codes.
pub const RECOVERY_CODE_BY_ACCOUNT_HASH: TableDefinition<(u64, &[u8; 32]), ()> =
    TableDefinition::new("recovery_code_by_account_hash");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(TOTP_BY_ACCOUNT), table_info!(PENDING_BY_ACCOUNT), table_info!(RECOVERY_CODE_BY_ACCOUNT_HASH)]
}

/// Recovery codes belong to accounts with two-factor enabled.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let totp = tx.open_table(TOTP_BY_ACCOUNT)?;
    let codes = tx.open_table(RECOVERY_CODE_BY_ACCOUNT_HASH)?;
    for row in totp.iter()? {
        let (id, bytes) = row?;
        if let Err(e) = decode::<TotpRecord>(bytes.value()) {
            problems.push(format!("two-factor record of account {}: {e}", id.value()));
        }
    }
    for row in codes.iter()? {
        let (key, _) = row?;
        let account = key.value().0;
        let enabled = match totp.get(account)? {
            Some(bytes) => decode::<TotpRecord>(bytes.value())?.enabled_at.is_some(),
            None => false,
        };
        if !enabled {
            problems.push(format!("account {account} has recovery codes but no two-factor authentication"));
        }
    }
    Ok(problems)
}
