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

/// What a key rotation did to verification.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    /// Verifications whose birth date and identity were sealed again and
    /// whose person key was computed again with the new key.
    pub verifications: u64,
    /// Letters whose address waiting to be printed was sealed again.
    pub letters: u64,
    /// Printed codes made void: only their hash was kept, which the new key
    /// cannot compute again; the residents ask for a new letter.
    pub codes_voided: u64,
    /// Rows of the imported list deleted, for the same reason: staff import
    /// it again.
    pub list_rows: u64,
}

fn sealed_again(
    old: &crate::crypto::Keys,
    new: &crate::crypto::Keys,
    context: &str,
    sealed: &crate::crypto::Sealed,
) -> Result<(crate::crypto::Sealed, Vec<u8>), crate::store::StoreError> {
    let what = "verification";
    let clear = old.open(context, sealed).map_err(|source| crate::store::StoreError::Sealed { what, source })?;
    let again = new.seal(context, &clear).map_err(|source| crate::store::StoreError::Sealed { what, source })?;
    Ok((again, clear))
}

/// Seals every verification value again with `new` (`parvis rotate-key`),
/// rebuilds the person index with the new key's hashes, voids the printed
/// codes and deletes the imported list (hashes that only the old key
/// computes). A value that does not open with `old` stops the rotation.
pub(crate) fn reseal(
    tx: &redb::WriteTransaction,
    old: &crate::crypto::Keys,
    new: &crate::crypto::Keys,
) -> Result<Resealed, crate::store::StoreError> {
    use crate::store::{decode, encode};
    use redb::ReadableTable;
    let mut done = Resealed::default();
    let mut verifications = Vec::new();
    for row in tx.open_table(VERIFICATION_BY_ACCOUNT)?.iter()? {
        verifications.push(decode::<super::Verification>(row?.1.value())?);
    }
    tx.delete_table(VERIFICATION_ACCOUNT_BY_PERSON)?;
    let mut by_person = tx.open_table(VERIFICATION_ACCOUNT_BY_PERSON)?;
    let mut table = tx.open_table(VERIFICATION_BY_ACCOUNT)?;
    for mut v in verifications {
        if let Some(sealed) = &v.birth_date {
            v.birth_date = Some(sealed_again(old, new, super::BIRTH_DATE, sealed)?.0);
        }
        if let Some(sealed) = &v.identity {
            let (again, clear) = sealed_again(old, new, super::IDENTITY, sealed)?;
            let text = String::from_utf8(clear)
                .map_err(|_| crate::store::StoreError::Invalid("a sealed identity is not text".into()))?;
            let key = new.lookup(super::PERSON, &text);
            by_person.insert(&key, v.account.get())?;
            v.person = Some(key);
            v.identity = Some(again);
        }
        table.insert(v.account.get(), encode(&v)?.as_slice())?;
        done.verifications += 1;
    }
    drop((by_person, table));
    let mut letters = Vec::new();
    for row in tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?.iter()? {
        letters.push(decode::<super::Letter>(row?.1.value())?);
    }
    tx.delete_table(VERIFICATION_ACCOUNT_BY_CODE)?;
    tx.open_table(VERIFICATION_ACCOUNT_BY_CODE)?;
    let mut table = tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?;
    for mut l in letters {
        if let Some(sealed) = &l.address {
            l.address = Some(sealed_again(old, new, super::letters::ADDRESS, sealed)?.0);
            done.letters += 1;
        }
        if l.code.take().is_some() {
            done.codes_voided += 1;
        }
        table.insert(l.account.get(), encode(&l)?.as_slice())?;
    }
    drop(table);
    done.list_rows = super::list::clear(tx)?;
    Ok(done)
}

/// Opens every sealed verification value with `keys`; returns how many
/// (after a rotation).
pub(crate) fn open_all(
    tx: &redb::ReadTransaction,
    keys: &crate::crypto::Keys,
) -> Result<u64, crate::store::StoreError> {
    use crate::store::decode;
    use redb::ReadableTable;
    let open = |context: &str, sealed: &crate::crypto::Sealed| {
        keys.open(context, sealed).map_err(|source| crate::store::StoreError::Sealed { what: "verification", source })
    };
    let mut n = 0;
    for row in tx.open_table(VERIFICATION_BY_ACCOUNT)?.iter()? {
        let v: super::Verification = decode(row?.1.value())?;
        for (context, sealed) in [(super::BIRTH_DATE, &v.birth_date), (super::IDENTITY, &v.identity)] {
            if let Some(sealed) = sealed {
                open(context, sealed)?;
                n += 1;
            }
        }
    }
    for row in tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?.iter()? {
        let l: super::Letter = decode(row?.1.value())?;
        if let Some(sealed) = &l.address {
            open(super::letters::ADDRESS, sealed)?;
            n += 1;
        }
    }
    Ok(n)
}
