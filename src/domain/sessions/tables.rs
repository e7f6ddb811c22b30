//! Tables of the sessions concept.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::Session;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// SHA-256 of the session token → Session. The token itself is never stored:
/// a copy of the database does not give anyone a live session.
pub const SESSION_BY_TOKEN_HASH: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("session_by_token_hash");
/// (AccountId, token hash) → (): the sessions of a person, to list and revoke them.
pub const SESSION_HASH_BY_ACCOUNT: TableDefinition<(u64, &[u8; 32]), ()> =
    TableDefinition::new("session_hash_by_account");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(SESSION_BY_TOKEN_HASH), table_info!(SESSION_HASH_BY_ACCOUNT)]
}

/// Every session is in the account index and the index points only to sessions.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let sessions = tx.open_table(SESSION_BY_TOKEN_HASH)?;
    let by_account = tx.open_table(SESSION_HASH_BY_ACCOUNT)?;
    for row in sessions.iter()? {
        let (hash, bytes) = row?;
        let hash = *hash.value();
        match decode::<Session>(bytes.value()) {
            Ok(s) => {
                if by_account.get((s.account.get(), &hash))?.is_none() {
                    problems.push(format!("a session of account {} is missing from the index", s.account));
                }
            }
            Err(e) => problems.push(format!("session: {e}")),
        }
    }
    if by_account.len()? != sessions.len()? {
        problems.push(format!("{} index entries for {} sessions", by_account.len()?, sessions.len()?));
    }
    Ok(problems)
}
