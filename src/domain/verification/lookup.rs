//! Finding a person by who they are, for staff at a budget's paper polling
//! table: the names and birth date the person gives (or that staff read on
//! their document) are hashed as the list's rows and the verified accounts
//! are ([`person_key`]), never kept in clear, and lead to the account
//! verified as that person, or to the commune's list.

use redb::ReadableTable;

use super::tables::{VERIFICATION_ACCOUNT_BY_PERSON, VERIFICATION_PERSON_BY_LIST_HASH};
use super::{normalise_name, person_key, MAX_NAME};
use crate::domain::accounts::AccountId;
use crate::store::{Keyed, StoreError, Tx};

/// The keyed hash a person is known by (see [`person_key`]).
pub type PersonKey = [u8; 32];

/// Who the typed names and birth date are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// The account verified as this person (at the counter or against the
    /// list); `person` is its person key.
    Account { account: AccountId, person: PersonKey },
    /// A row of the imported list that no account is verified as yet.
    Listed(PersonKey),
    /// Neither: not on the list (or the list is deleted), and no account is
    /// verified as this person (an account verified by post is known by its
    /// address only: staff find it by its email).
    Nobody,
}

/// Finds the person with these names and birth date. A usage name (married
/// name) typed instead of the birth name leads, through the list, to the
/// birth name's key, which is the one a verification keeps. Names that
/// normalise to nothing, or longer than a name may be, find nobody.
pub fn find_person(
    tx: &impl Keyed,
    last_name: &str,
    first_names: &str,
    birth_date: jiff::civil::Date,
) -> Result<Found, StoreError> {
    if [last_name, first_names].iter().any(|n| n.chars().count() > MAX_NAME || normalise_name(n).is_empty()) {
        return Ok(Found::Nobody);
    }
    let Some(typed) = person_key(tx, last_name, first_names, birth_date) else { return Ok(Found::Nobody) };
    let listed = tx.open(VERIFICATION_PERSON_BY_LIST_HASH)?.get(&typed)?.map(|v| *v.value());
    let person = listed.unwrap_or(typed);
    let by_person = tx.open(VERIFICATION_ACCOUNT_BY_PERSON)?;
    // The list's key first; the typed one as well, for a person verified at
    // the counter under a name the list writes otherwise.
    for key in [person, typed] {
        if let Some(account) = by_person.get(&key)?.map(|v| v.value()) {
            return Ok(Found::Account { account: AccountId(account), person: key });
        }
    }
    Ok(match listed {
        Some(key) => Found::Listed(key),
        None => Found::Nobody,
    })
}

/// The person key of the account verified as someone, if any (`None` for
/// an account not verified, or verified by post).
pub fn person_of(tx: &impl Tx, account: AccountId) -> Result<Option<PersonKey>, StoreError> {
    Ok(super::status(tx, account)?.and_then(|v| v.person))
}
