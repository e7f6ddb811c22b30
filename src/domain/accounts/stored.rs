//! How accounts and their links are stored: a resident's address is sealed
//! with the database key (see `crate::crypto`) in the account record and in
//! a pending change of address, and an account is found by a keyed hash of
//! its address, so that neither a stolen database file nor a backup holds an
//! address in clear.
//!
//! The domain keeps its plain [`Account`] and [`EmailToken`]; only the
//! functions here turn them into what is stored and back, with the keys the
//! transaction carries ([`crate::store::Keyed`]).

use serde::{Deserialize, Serialize};

use super::{Account, AccountId, EmailToken, TokenPurpose};
use crate::crypto::{Keys, Sealed};
use crate::store::{decode, encode, Record, StoreError};

/// What the lookup hash of an address is computed for (a label, so that the
/// same address hashed for another purpose gives another value).
const LOOKUP_PURPOSE: &str = "account.email";

/// The keyed hash an account is found by: HMAC-SHA256 of the normalised
/// address with the lookup key. Without the key, a list of known addresses
/// cannot be tested against a stolen database.
pub fn email_lookup(keys: &Keys, normalised: &str) -> [u8; 32] {
    keys.lookup(LOOKUP_PURPOSE, normalised)
}

/// Each sealed address is bound to its account: one copied onto another
/// account does not open.
fn email_context(id: AccountId) -> String {
    format!("account.email:{}", id.get())
}

fn pending_context(id: AccountId) -> String {
    format!("email_token.new_email:{}", id.get())
}

fn sealed(what: &'static str) -> impl Fn(crate::crypto::CryptoError) -> StoreError {
    move |source| StoreError::Sealed { what, source }
}

/// An account as stored since addresses are sealed (format 2).
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredAccount {
    /// The account with its `email` left empty.
    pub(crate) rest: Account,
    /// The sealed address; `None` for an erased account's tombstone.
    pub(crate) email: Option<Sealed>,
    /// The key of the address index (`None` for a tombstone), kept in the
    /// record so that `parvis verify` can check the index without the key.
    pub(crate) lookup: Option<[u8; 32]>,
}

impl Record for StoredAccount {
    const NAME: &'static str = "account";
    const VERSION: u8 = 2;
}

/// An account as versions before sealed addresses stored it (format 1):
/// read only to seal it.
#[derive(Serialize, Deserialize)]
pub(crate) struct ClearAccount(pub(crate) Account);

impl Record for ClearAccount {
    const NAME: &'static str = "account (before encryption)";
    const VERSION: u8 = 1;
}

impl StoredAccount {
    pub(crate) fn seal(keys: &Keys, account: &Account) -> Result<StoredAccount, StoreError> {
        let (email, lookup) = match account.email.as_str() {
            "" => (None, None),
            address => (
                Some(keys.seal_str(&email_context(account.id), address).map_err(sealed("account address"))?),
                Some(email_lookup(keys, address)),
            ),
        };
        Ok(StoredAccount { rest: Account { email: String::new(), ..account.clone() }, email, lookup })
    }

    pub(crate) fn open(self, keys: &Keys) -> Result<Account, StoreError> {
        let email = match &self.email {
            Some(sealed_email) => {
                keys.open_string(&email_context(self.rest.id), sealed_email).map_err(sealed("account address"))?
            }
            None => String::new(),
        };
        Ok(Account { email, ..self.rest })
    }
}

/// Reads a stored account, its address opened.
pub(crate) fn read_account(keys: &Keys, bytes: &[u8]) -> Result<Account, StoreError> {
    decode::<StoredAccount>(bytes)?.open(keys)
}

/// What is stored for `account`: its address sealed, with its lookup hash.
pub(crate) fn account_bytes(keys: &Keys, account: &Account) -> Result<Vec<u8>, StoreError> {
    encode(&StoredAccount::seal(keys, account)?)
}

/// The purpose of a link as stored: the new address of a change sealed.
#[derive(Serialize, Deserialize)]
pub(crate) enum StoredPurpose {
    ConfirmEmail,
    ResetPassword,
    ChangeEmail { new_email: Sealed },
    Invitation,
}

/// A link's token as stored since addresses are sealed (format 2).
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredToken {
    pub(crate) account: AccountId,
    pub(crate) purpose: StoredPurpose,
    pub(crate) expires_at: i64,
}

impl Record for StoredToken {
    const NAME: &'static str = "email token";
    const VERSION: u8 = 2;
}

/// A link's token as versions before sealed addresses stored it (format 1).
#[derive(Serialize, Deserialize)]
pub(crate) struct ClearToken(pub(crate) EmailToken);

impl Record for ClearToken {
    const NAME: &'static str = "email token (before encryption)";
    const VERSION: u8 = 1;
}

pub(crate) fn token_bytes(keys: &Keys, token: &EmailToken) -> Result<Vec<u8>, StoreError> {
    let purpose = match &token.purpose {
        TokenPurpose::ConfirmEmail => StoredPurpose::ConfirmEmail,
        TokenPurpose::ResetPassword => StoredPurpose::ResetPassword,
        TokenPurpose::ChangeEmail { new_email } => StoredPurpose::ChangeEmail {
            new_email: keys
                .seal_str(&pending_context(token.account), new_email)
                .map_err(sealed("new address of a pending change"))?,
        },
        TokenPurpose::Invitation => StoredPurpose::Invitation,
    };
    encode(&StoredToken { account: token.account, purpose, expires_at: token.expires_at })
}

pub(crate) fn read_token(keys: &Keys, bytes: &[u8]) -> Result<EmailToken, StoreError> {
    let stored: StoredToken = decode(bytes)?;
    let purpose = match stored.purpose {
        StoredPurpose::ConfirmEmail => TokenPurpose::ConfirmEmail,
        StoredPurpose::ResetPassword => TokenPurpose::ResetPassword,
        StoredPurpose::ChangeEmail { new_email } => TokenPurpose::ChangeEmail {
            new_email: keys
                .open_string(&pending_context(stored.account), &new_email)
                .map_err(sealed("new address of a pending change"))?,
        },
        StoredPurpose::Invitation => TokenPurpose::Invitation,
    };
    Ok(EmailToken { account: stored.account, purpose, expires_at: stored.expires_at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::Role;

    #[test]
    fn a_stored_account_holds_its_address_sealed_and_bound_to_its_id() {
        let keys = Keys::for_tests();
        let mut account = crate::domain::accounts::tests::account(AccountId(4), "camille@example.fr", Role::Resident);
        let bytes = account_bytes(&keys, &account).unwrap();
        assert!(!bytes.windows(8).any(|w| w == b"camille@"), "the address is not in clear");
        assert_eq!(read_account(&keys, &bytes).unwrap(), account);
        // The same record under another id does not open.
        let mut moved: StoredAccount = decode(&bytes).unwrap();
        moved.rest.id = AccountId(5);
        assert!(matches!(moved.open(&keys), Err(StoreError::Sealed { .. })));
        // A tombstone has no address to seal nor to index.
        account.email.clear();
        let tomb: StoredAccount = decode(&account_bytes(&keys, &account).unwrap()).unwrap();
        assert!(tomb.email.is_none() && tomb.lookup.is_none());
    }
}
