//! Tables of the two-factor concept.

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use serde::{Deserialize, Serialize};

use super::{open_secret, seal_secret, TotpRecord};
use crate::crypto::Keys;
use crate::domain::ids::AccountId;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, encode, Record, StoreError};

/// AccountId → TOTP secret (sealed) and state (pending enrolment or enabled).
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

/// A two-factor record as versions before encryption stored it: the secret
/// in clear. Read only to seal it.
#[derive(Serialize, Deserialize)]
struct ClearTotpRecord {
    secret: Vec<u8>,
    last_step: u64,
    created_at: i64,
    enabled_at: Option<i64>,
}

impl Record for ClearTotpRecord {
    const NAME: &'static str = "two-factor record (before encryption)";
    const VERSION: u8 = 1;
}

/// Seals the secrets an older version stored in clear, enabled and pending
/// (`store::encryption` calls it once, in the transaction that records the
/// key's fingerprint).
pub(crate) fn seal_clear(tx: &redb::WriteTransaction, keys: &Keys) -> Result<(), StoreError> {
    for def in [TOTP_BY_ACCOUNT, PENDING_BY_ACCOUNT] {
        let mut table = tx.open_table(def)?;
        let mut clear = Vec::new();
        for row in table.iter()? {
            let (id, bytes) = row?;
            if bytes.value().first() == Some(&ClearTotpRecord::VERSION) {
                clear.push((id.value(), decode::<ClearTotpRecord>(bytes.value())?));
            }
        }
        for (id, old) in clear {
            let record = TotpRecord {
                secret: seal_secret(keys, AccountId(id), &old.secret)?,
                last_step: old.last_step,
                created_at: old.created_at,
                enabled_at: old.enabled_at,
            };
            table.insert(id, encode(&record)?.as_slice())?;
        }
    }
    Ok(())
}

/// Seals every secret again with `new` (`parvis rotate-key`); returns how
/// many. A secret that does not open with `old` stops the rotation.
pub(crate) fn reseal(tx: &redb::WriteTransaction, old: &Keys, new: &Keys) -> Result<u64, StoreError> {
    let mut n = 0;
    for def in [TOTP_BY_ACCOUNT, PENDING_BY_ACCOUNT] {
        let mut table = tx.open_table(def)?;
        let mut records = Vec::new();
        for row in table.iter()? {
            let (id, bytes) = row?;
            records.push((id.value(), decode::<TotpRecord>(bytes.value())?));
        }
        for (id, mut record) in records {
            let secret = open_secret(old, AccountId(id), &record)?;
            record.secret = seal_secret(new, AccountId(id), &secret)?;
            table.insert(id, encode(&record)?.as_slice())?;
            n += 1;
        }
    }
    Ok(n)
}

/// Opens every secret with `keys`; returns how many (after a rotation).
pub(crate) fn open_all(tx: &ReadTransaction, keys: &Keys) -> Result<u64, StoreError> {
    let mut n = 0;
    for def in [TOTP_BY_ACCOUNT, PENDING_BY_ACCOUNT] {
        for row in tx.open_table(def)?.iter()? {
            let (id, bytes) = row?;
            open_secret(keys, AccountId(id.value()), &decode::<TotpRecord>(bytes.value())?)?;
            n += 1;
        }
    }
    Ok(n)
}
