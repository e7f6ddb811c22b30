//! Tables of the verification concept. Nothing here holds a name or a birth
//! date in clear: people are keys (keyed hashes, see `person_key`), birth
//! dates and postal addresses are sealed.

use redb::TableDefinition;

use crate::store::schema::{table_info, TableInfo};

/// AccountId → Verification: the accounts the town hall verified, how and when.
pub const VERIFICATION_BY_ACCOUNT: TableDefinition<u64, &[u8]> = TableDefinition::new("verification_by_account");
/// Person key (keyed hash of normalised names + birth date) → AccountId:
/// one person, one verified account. Kept in step by `verification::write`.
pub const VERIFICATION_ACCOUNT_BY_PERSON: TableDefinition<&[u8; 32], u64> =
    TableDefinition::new("verification_account_by_person");
/// AccountId → Letter: a code asked for by post, until it is used or expires.
pub const VERIFICATION_LETTER_BY_ACCOUNT: TableDefinition<u64, &[u8]> =
    TableDefinition::new("verification_letter_by_account");
/// Code hash (keyed) → AccountId: the codes printed and not yet used.
pub const VERIFICATION_ACCOUNT_BY_CODE: TableDefinition<&[u8; 32], u64> =
    TableDefinition::new("verification_account_by_code");
/// Keyed hash of a row of the commune's list (names + birth date, birth or
/// usage name) → the person key of that row (its birth name's hash).
pub const VERIFICATION_PERSON_BY_LIST_HASH: TableDefinition<&[u8; 32], &[u8; 32]> =
    TableDefinition::new("verification_person_by_list_hash");
/// "current" → ListInfo: the imported list's size and deletion date.
pub const VERIFICATION_LIST_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("verification_list_by_name");
/// AccountId → (day number, failed tries that day): the list's and the
/// codes' wrong tries, so that nobody tries names and dates by the thousand.
pub const VERIFICATION_TRIES_BY_ACCOUNT: TableDefinition<u64, (i64, u32)> =
    TableDefinition::new("verification_tries_by_account");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(VERIFICATION_BY_ACCOUNT),
        table_info!(VERIFICATION_ACCOUNT_BY_PERSON),
        table_info!(VERIFICATION_LETTER_BY_ACCOUNT),
        table_info!(VERIFICATION_ACCOUNT_BY_CODE),
        table_info!(VERIFICATION_PERSON_BY_LIST_HASH),
        table_info!(VERIFICATION_LIST_BY_NAME),
        table_info!(VERIFICATION_TRIES_BY_ACCOUNT),
    ]
}

/// The person index holds exactly the verified accounts' person keys, and
/// the code index exactly the letters' codes.
pub(crate) fn verify(tx: &redb::ReadTransaction) -> Result<Vec<String>, crate::store::StoreError> {
    use redb::ReadableTable;
    use std::collections::BTreeSet;
    let mut problems = Vec::new();
    let mut persons = BTreeSet::new();
    for row in tx.open_table(VERIFICATION_BY_ACCOUNT)?.iter()? {
        let (id, bytes) = row?;
        let v: super::Verification = crate::store::decode(bytes.value())?;
        if v.account.get() != id.value() {
            problems.push(format!("verification of account {} is stored under {}", v.account, id.value()));
        }
        if let Some(p) = v.person {
            persons.insert((p, id.value()));
        }
    }
    let mut indexed = BTreeSet::new();
    for row in tx.open_table(VERIFICATION_ACCOUNT_BY_PERSON)?.iter()? {
        let (p, id) = row?;
        indexed.insert((*p.value(), id.value()));
    }
    if persons != indexed {
        problems.push(format!(
            "the verified persons' index holds {} entries for {} verified persons",
            indexed.len(),
            persons.len()
        ));
    }
    let mut codes = BTreeSet::new();
    for row in tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?.iter()? {
        let (id, bytes) = row?;
        let l: super::Letter = crate::store::decode(bytes.value())?;
        if let Some(c) = l.code {
            codes.insert((c, id.value()));
        }
    }
    let mut indexed = BTreeSet::new();
    for row in tx.open_table(VERIFICATION_ACCOUNT_BY_CODE)?.iter()? {
        let (c, id) = row?;
        indexed.insert((*c.value(), id.value()));
    }
    if codes != indexed {
        problems.push(format!("the codes' index holds {} entries for {} printed letters", indexed.len(), codes.len()));
    }
    Ok(problems)
}
