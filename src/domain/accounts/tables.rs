//! Tables of the accounts concept.

use redb::{
    ReadTransaction, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction,
};

use super::stored::{email_lookup, read_account, read_token, token_bytes, ClearAccount, ClearToken, StoredAccount};
use super::Account;
use crate::crypto::Keys;
use crate::domain::ids::AccountId;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, encode, Keyed, ReadTx, StoreError};

/// AccountId (u64) → Account, its address sealed (`stored::StoredAccount`).
pub const ACCOUNT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("account_by_id");
/// Keyed hash of the normalised email (`stored::email_lookup`) → AccountId.
pub const ACCOUNT_ID_BY_EMAIL_LOOKUP: TableDefinition<&[u8; 32], u64> =
    TableDefinition::new("account_id_by_email_lookup");
/// The index of versions before sealed addresses: normalised email in clear
/// → AccountId. Only [`seal_clear`] reads it, then deletes it.
const CLEAR_ACCOUNT_ID_BY_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("account_id_by_email");
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
        table_info!(ACCOUNT_ID_BY_EMAIL_LOOKUP),
        table_info!(ACCOUNT_COUNTER_BY_NAME),
        table_info!(EMAIL_TOKEN_BY_HASH),
        table_info!(INACTIVITY_WARNING_BY_ACCOUNT),
    ]
}

/// Cross-checks the email index and the counters against the accounts.
/// Without the key it checks that each account's recorded lookup hash leads
/// to it; [`verify_keyed`] checks that the hash is its address's.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let accounts = tx.open_table(ACCOUNT_BY_ID)?;
    let by_email = tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
    let counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME)?;
    let mut max_id = 0;
    let mut n = 0u64;
    let mut erased = 0u64;
    for row in accounts.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        n += 1;
        max_id = max_id.max(id);
        match decode::<StoredAccount>(bytes.value()) {
            Ok(stored) => {
                let account = &stored.rest;
                if account.id != AccountId(id) {
                    problems.push(format!("account under key {id} says it is {}", account.id));
                }
                if !account.email.is_empty() {
                    problems.push(format!("account {id} holds its address in clear"));
                }
                // An erased account is a tombstone: no address, so no index entry.
                if account.erased_at.is_some() {
                    erased += 1;
                    if stored.email.is_some() || stored.lookup.is_some() || !account.password_hash.is_empty() {
                        problems.push(format!("erased account {id} still holds an address or a password"));
                    }
                    continue;
                }
                let Some(lookup) = stored.lookup.filter(|_| stored.email.is_some()) else {
                    problems.push(format!("account {id} has no address"));
                    continue;
                };
                match by_email.get(&lookup)?.map(|v| v.value()) {
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
        let (_, id) = row?;
        if accounts.get(id.value())?.is_none() {
            problems.push(format!("an email points to missing account {}", id.value()));
        }
    }
    let warnings = tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?;
    for row in warnings.iter()? {
        let (id, _) = row?;
        let id = id.value();
        let kept_for_a_person = match accounts.get(id)? {
            Some(bytes) => decode::<StoredAccount>(bytes.value()).is_ok_and(|a| a.rest.erased_at.is_none()),
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

/// What only the key can check: each address opens, and the index finds
/// the account by its address (a hash made with another key, or for another
/// address, would leave the person unable to sign in).
pub(crate) fn verify_keyed(tx: &ReadTx) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let by_email = tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
    for row in tx.open_table(ACCOUNT_BY_ID)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        let account = match read_account(tx.keys(), bytes.value()) {
            Ok(a) => a,
            Err(e) => {
                problems.push(format!("account {id}: {e}"));
                continue;
            }
        };
        if account.erased_at.is_none()
            && by_email.get(&email_lookup(tx.keys(), &account.email))?.map(|v| v.value()) != Some(id)
        {
            problems.push(format!("the address of account {id} does not find it in the index"));
        }
    }
    Ok(problems)
}

/// Whether the database still holds addresses in clear (an upgrade from a
/// version before sealed addresses): the old index is there until
/// [`seal_clear`] has run.
pub(crate) fn holds_clear_addresses<D: ReadableDatabase>(db: &D) -> Result<bool, StoreError> {
    match db.begin_read()?.open_table(CLEAR_ACCOUNT_ID_BY_EMAIL) {
        Ok(_) => Ok(true),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Seals every address an older version stored in clear — the accounts'
/// and the pending changes' — builds the keyed index and deletes the clear
/// one, in the caller's transaction. Returns how many accounts it sealed.
pub(crate) fn seal_clear(tx: &WriteTransaction, keys: &Keys) -> Result<u64, StoreError> {
    match tx.delete_table(CLEAR_ACCOUNT_ID_BY_EMAIL) {
        Ok(true) => {}
        Ok(false) => return Ok(0),
        Err(e) => return Err(e.into()),
    }
    let open = |bytes: &[u8]| -> Result<Account, StoreError> {
        match bytes.first() {
            Some(&v) if v == <ClearAccount as crate::store::Record>::VERSION => Ok(decode::<ClearAccount>(bytes)?.0),
            _ => read_account(keys, bytes),
        }
    };
    let open_token = |bytes: &[u8]| match bytes.first() {
        Some(&v) if v == <ClearToken as crate::store::Record>::VERSION => Ok(decode::<ClearToken>(bytes)?.0),
        _ => read_token(keys, bytes),
    };
    rewrite(tx, keys, open, open_token)
}

/// Seals every address again with `new`, and rebuilds the index with the
/// new key's hashes (`parvis rotate-key`); returns how many accounts. An
/// address that does not open with `old` stops the rotation.
pub(crate) fn reseal(tx: &WriteTransaction, old: &Keys, new: &Keys) -> Result<u64, StoreError> {
    rewrite(tx, new, |bytes| read_account(old, bytes), |bytes| read_token(old, bytes))
}

/// Opens every address with `keys`; returns how many (after a rotation).
pub(crate) fn open_all(tx: &ReadTransaction, keys: &Keys) -> Result<u64, StoreError> {
    let mut n = 0;
    for row in tx.open_table(ACCOUNT_BY_ID)?.iter()? {
        read_account(keys, row?.1.value())?;
        n += 1;
    }
    for row in tx.open_table(super::tables::EMAIL_TOKEN_BY_HASH)?.iter()? {
        read_token(keys, row?.1.value())?;
    }
    Ok(n)
}

/// Writes every account and link again sealed with `keys`, read with
/// `open` and `open_token`, and the address index anew from them.
fn rewrite(
    tx: &WriteTransaction,
    keys: &Keys,
    open: impl Fn(&[u8]) -> Result<Account, StoreError>,
    open_token: impl Fn(&[u8]) -> Result<super::EmailToken, StoreError>,
) -> Result<u64, StoreError> {
    let mut table = tx.open_table(ACCOUNT_BY_ID)?;
    let mut accounts = Vec::new();
    for row in table.iter()? {
        accounts.push(open(row?.1.value())?);
    }
    let mut index = tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
    index.retain(|_, _| false)?;
    for account in &accounts {
        let stored = StoredAccount::seal(keys, account)?;
        if let Some(lookup) = &stored.lookup {
            index.insert(lookup, account.id.get())?;
        }
        table.insert(account.id.get(), encode(&stored)?.as_slice())?;
    }
    let mut tokens = tx.open_table(EMAIL_TOKEN_BY_HASH)?;
    let mut all = Vec::new();
    for row in tokens.iter()? {
        let (hash, bytes) = row?;
        all.push((*hash.value(), open_token(bytes.value())?));
    }
    for (hash, token) in all {
        tokens.insert(&hash, token_bytes(keys, &token)?.as_slice())?;
    }
    Ok(accounts.len() as u64)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `parvis verify` finds an address index that does not lead to its
    /// account: without the key by the hash the record keeps, with the key
    /// by the hash of the address itself.
    #[tokio::test]
    async fn verify_checks_the_address_index_with_and_without_the_key() {
        use crate::domain::accounts::{self, stored::StoredAccount};
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let new = accounts::tests::new("camille@example.fr");
        let id = store.write(move |tx| accounts::create(tx, &new)).await.unwrap();
        assert!(store.verify().unwrap().is_ok());
        // The record's hash and the index agree, but not with the address:
        // only the key can tell.
        let wrong = [7u8; 32];
        store
            .write(move |tx| {
                let mut table = tx.open_table(ACCOUNT_BY_ID)?;
                let mut stored: StoredAccount = decode(table.get(id.get())?.unwrap().value())?;
                let mut index = tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
                index.remove(&stored.lookup.unwrap())?;
                index.insert(&wrong, id.get())?;
                stored.lookup = Some(wrong);
                table.insert(id.get(), encode(&stored)?.as_slice())?;
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        let keyless = verify(&store.read().unwrap()).unwrap();
        assert!(keyless.is_empty(), "{keyless:?}");
        let problems = store.verify().unwrap().problems;
        assert!(problems.iter().any(|p| p.contains("does not find it")), "{problems:?}");
        // An index entry gone: seen without the key.
        store
            .write(move |tx| {
                Ok::<_, StoreError>(tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?.remove(&wrong).map(|_| ())?)
            })
            .await
            .unwrap();
        let keyless = verify(&store.read().unwrap()).unwrap();
        assert!(keyless.iter().any(|p| p.contains("missing from the index")), "{keyless:?}");
    }

    /// Writes `account` as versions before sealed addresses did: the record
    /// in clear, the clear index and the counters (upgrade tests).
    pub(crate) fn insert_clear(tx: &WriteTransaction, account: &Account) {
        let id = account.id.get();
        let bytes = encode(&ClearAccount(account.clone())).unwrap();
        tx.open_table(ACCOUNT_BY_ID).unwrap().insert(id, bytes.as_slice()).unwrap();
        tx.open_table(CLEAR_ACCOUNT_ID_BY_EMAIL).unwrap().insert(account.email.as_str(), id).unwrap();
        let mut counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME).unwrap();
        let count = counters.get("count").unwrap().map(|v| v.value()).unwrap_or(0);
        counters.insert("count", count + 1).unwrap();
        let next = counters.get("next_id").unwrap().map(|v| v.value()).unwrap_or(1).max(id + 1);
        counters.insert("next_id", next).unwrap();
    }
}
