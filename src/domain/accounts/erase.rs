//! Erasing an account at its owner's request (GDPR article 17), or by the
//! retention rules (`retention.rs`: unused for years after a warning, or
//! never confirmed), which go through the same function and keep its rules.
//!
//! The record is not removed: it becomes a tombstone with its id and dates
//! only, so that contributions already published keep their author id and
//! show "Participant supprimé", and the audit log's ids still lead somewhere.
//! Everything that identifies or authenticates the person goes, in one
//! transaction: address and its index entry, name, password hash, statistics
//! answers, service, sessions, emailed tokens, two-factor secret and recovery
//! codes, the record of an inactivity warning (`retention.rs`), and the mail still waiting in the outbox for the person's address
//! (or for the new address of a change not yet confirmed): it holds their
//! name and links, and nobody should receive it after the account is gone.
//! Mail already sent stays in the outbox until its usual purge. The account
//! counter counts people, so it goes down by one.
//!
//! What served only the person goes in the same transaction: their in-app
//! notifications, and the proposals they follow, so that a later answer or
//! status change generates nothing for the tombstone.
//!
//! What the person gave to the commune's public life stays:
//! - their proposals and comments, shown as "Participant supprimé";
//! - their supports, counted. A proposal's public count must not drop when
//!   somebody leaves: it may already have reached the box's threshold and
//!   put the proposal on the town hall's agenda, and people who compared
//!   counts, or campaigned for supports, would see a number change for no
//!   reason they can see. This holds even while the box is still open: the
//!   support was given freely at the time, like a signature on a petition,
//!   and withdrawing it was the person's to do before leaving. The support
//!   rows keep the tombstone's id, which leads to no name, address or
//!   anything else: keeping them keeps the counter equal to its rows, which
//!   `parvis verify` checks, and one support per account still holds.
//! - their "useful" votes on comments, counted, for the same reasons: they
//!   order threads ("most useful first"), and a thread should not reorder
//!   itself when a voter leaves. The vote rows keep the tombstone's id too
//!   (dropping them would need a separate count of orphan votes, and the
//!   check that each comment's count equals its votes would be lost);
//! - their answers to consultations, anonymised and counted as before
//!   (`consultations/personal.rs` says why); their drafts go;
//! - their registrations to meetings, without their person: a past
//!   meeting's attendance stays counted, a coming one's seat is freed
//!   (`meetings/personal.rs` says why);
//! - their reports of content, which belong to the moderators' work, not to
//!   the person, and the audit log, which keeps ids only.

use redb::ReadableTable;

use super::stored::{account_bytes, email_lookup, read_account, read_token};
use super::tables::{
    ACCOUNT_BY_ID, ACCOUNT_COUNTER_BY_NAME, ACCOUNT_ID_BY_EMAIL_LOOKUP, EMAIL_TOKEN_BY_HASH,
    INACTIVITY_WARNING_BY_ACCOUNT,
};
use super::{Account, AccountId, EmailToken, Role, TokenPurpose};
use crate::crypto::Keys;
use crate::domain::audit::{Action, Actor};
use crate::domain::{notifications, proposals, sessions, two_factor};
use crate::mail::outbox;
use crate::store::{Keyed, StoreError, WriteTx};

#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    /// The commune would be left without anyone able to administer Parvis.
    #[error("this is the last administrator: name another administrator before deleting this account")]
    LastAdmin,
    #[error("no such account, or already deleted")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(EraseError);

impl Account {
    /// Whether this record is the tombstone of a deleted account.
    pub fn is_erased(&self) -> bool {
        self.erased_at.is_some()
    }
}

/// Whether an administrator other than `except` can still sign in and act:
/// not erased, not blocked, and with a confirmed address (an invited admin
/// who never followed the link cannot sign in yet).
pub fn other_admin_exists(tx: &WriteTx, except: AccountId) -> Result<bool, StoreError> {
    let table = tx.open_table(ACCOUNT_BY_ID)?;
    for row in table.iter()? {
        let (id, bytes) = row?;
        if id.value() == except.get() {
            continue;
        }
        let a = read_account(tx.keys(), bytes.value())?;
        if a.role == Role::Admin && !a.blocked && a.email_confirmed && a.erased_at.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Erases account `id` at `now`, in the caller's transaction (which also
/// records the audit event). Refused for the last administrator who can act.
/// Returns the account as it was, for the caller's messages.
pub fn erase(tx: &WriteTx, keys: &Keys, id: AccountId, now: i64) -> Result<Account, EraseError> {
    let before: Account = {
        let table = tx.open_table(ACCOUNT_BY_ID)?;
        let found = table.get(id)?;
        match found {
            Some(bytes) => read_account(tx.keys(), bytes.value())?,
            None => return Err(EraseError::NotFound),
        }
    };
    if before.is_erased() {
        return Err(EraseError::NotFound);
    }
    if before.role == Role::Admin && !before.blocked && !other_admin_exists(tx, id)? {
        return Err(EraseError::LastAdmin);
    }
    tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?.remove(&email_lookup(tx.keys(), &before.email))?;
    sessions::revoke_all(tx, id)?;
    two_factor::disable(tx, id)?;
    let pending_addresses = remove_tokens(tx, id)?;
    for address in std::iter::once(&before.email).chain(&pending_addresses) {
        outbox::cancel_pending_to(tx, keys, address)?;
    }
    notifications::remove_all(tx, id)?;
    proposals::unfollow_all(tx, id)?;
    crate::domain::reports::unfollow_all(tx, id)?;
    proposals::expire_uploads_of(tx, id)?;
    crate::domain::consultations::forget_account(tx, id)?;
    crate::domain::meetings::forget_account(tx, id, now)?;
    crate::domain::newsletters::consent::forget_account(tx, id)?;
    crate::domain::verification::forget_account(tx, id)?;
    tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?.remove(id)?;
    // Supports and "useful" votes are kept, counted: see the module comment.
    let tombstone = Account {
        id,
        email: String::new(),
        display_name: String::new(),
        role: Role::Resident,
        password_hash: String::new(),
        must_change_password: false,
        language: before.language,
        neighbourhood: None,
        age_bracket: None,
        created_at: before.created_at,
        email_confirmed: false,
        // Nothing can sign in without an address and a password; blocked
        // says so to every check that looks only at this flag.
        blocked: true,
        service: None,
        last_sign_in_at: None,
        erased_at: Some(now),
    };
    tx.open_table(ACCOUNT_BY_ID)?.insert(id, account_bytes(tx.keys(), &tombstone)?.as_slice())?;
    let mut counters = tx.open_table(ACCOUNT_COUNTER_BY_NAME)?;
    let count = counters.get("count")?.map(|v| v.value()).unwrap_or(0);
    counters.insert("count", count.saturating_sub(1))?;
    drop(counters);
    // Their contributions now show « Participant supprimé ».
    super::names_changed(tx)?;
    Ok(before)
}

/// A person deletes their own account: the erasure and its audit event.
pub fn delete_own(tx: &WriteTx, keys: &Keys, actor: &Actor, now: i64) -> Result<Account, EraseError> {
    let id = actor.account.ok_or(EraseError::NotFound)?;
    let before = erase(tx, keys, id, now)?;
    actor.record(tx, Action::AccountDeleted, Some(id), "by the person", now)?;
    Ok(before)
}

/// Removes the emailed tokens of an account (an old reset link must not
/// outlive it). Tokens are keyed by hash, so this reads them all: they are
/// few, since each lives at most a week. Returns the new addresses of the
/// address changes that were waiting for confirmation.
fn remove_tokens(tx: &WriteTx, id: AccountId) -> Result<Vec<String>, StoreError> {
    let mut table = tx.open_table(EMAIL_TOKEN_BY_HASH)?;
    let mut theirs = Vec::new();
    let mut new_addresses = Vec::new();
    for row in table.iter()? {
        let (hash, bytes) = row?;
        let token: EmailToken = read_token(tx.keys(), bytes.value())?;
        if token.account == id {
            theirs.push(*hash.value());
            if let TokenPurpose::ChangeEmail { new_email } = token.purpose {
                new_addresses.push(new_email);
            }
        }
    }
    for hash in &theirs {
        table.remove(hash)?;
    }
    Ok(new_addresses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::{self, NewAccount, TokenPurpose};
    use crate::domain::sessions::Session;
    use crate::store::Store;

    fn new(email: &str, role: Role) -> NewAccount {
        NewAccount {
            email: email.into(),
            display_name: "Camille Martin".into(),
            role,
            password_hash: "x".into(),
            must_change_password: false,
            language: crate::i18n::Lang::Fr,
            neighbourhood: Some("Centre".into()),
        }
    }

    fn session(account: AccountId) -> Session {
        crate::domain::sessions::tests::session(account, 1)
    }

    #[tokio::test]
    async fn erasing_leaves_a_tombstone_and_consistent_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (admin, camille, other) = store
            .write(|tx| {
                let admin = accounts::create(tx, &new("admin@x.fr", Role::Admin))?;
                let camille = accounts::create(tx, &new("camille@x.fr", Role::Resident))?;
                let other = accounts::create(tx, &new("other@x.fr", Role::Resident))?;
                sessions::create(tx, "t1", &session(camille))?;
                sessions::create(tx, "t2", &session(other))?;
                accounts::issue_token(tx, camille, TokenPurpose::ResetPassword, 1)?;
                accounts::issue_token(tx, other, TokenPurpose::ResetPassword, 1)?;
                two_factor::begin_enrolment(tx, &crate::crypto::Keys::for_tests(), camille, 1)?;
                Ok::<_, accounts::AccountError>((admin, camille, other))
            })
            .await
            .unwrap();
        let before = store.write(move |tx| erase(tx, &Keys::for_tests(), camille, 500)).await.unwrap();
        assert_eq!(before.email, "camille@x.fr");

        let tx = store.read().unwrap();
        let tomb = accounts::get(&tx, camille).unwrap().unwrap();
        assert!(tomb.is_erased() && tomb.blocked);
        assert_eq!((tomb.email.as_str(), tomb.display_name.as_str(), tomb.password_hash.as_str()), ("", "", ""));
        assert_eq!(tomb.neighbourhood, None);
        assert!(accounts::find_by_email(&tx, "camille@x.fr").unwrap().is_none());
        assert_eq!(accounts::count(&tx).unwrap(), 2);
        let life = sessions::Lifetime { idle_secs: 1 << 40, absolute_secs: 1 << 40 };
        assert!(sessions::list(&tx, camille, life, 2).unwrap().is_empty());
        assert_eq!(sessions::list(&tx, other, life, 2).unwrap().len(), 1, "others keep their sessions");
        assert_eq!(tx.open_table(EMAIL_TOKEN_BY_HASH).unwrap().iter().unwrap().count(), 1);
        assert!(two_factor::pending_secret(&tx, store.keys(), camille).unwrap().is_none());
        let listed = accounts::search(&tx, &accounts::Search::default(), None, 10).unwrap();
        assert_eq!(listed.iter().map(|a| a.id).collect::<Vec<_>>(), vec![other, admin]);
        drop(tx);
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);

        // The address can be used again; the counter follows.
        let again = new("camille@x.fr", Role::Resident);
        store.write(move |tx| accounts::create(tx, &again)).await.unwrap();
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
        assert!(matches!(
            store.write(move |tx| erase(tx, &Keys::for_tests(), camille, 600)).await,
            Err(EraseError::NotFound)
        ));
    }

    #[tokio::test]
    async fn the_last_admin_who_can_act_cannot_be_erased() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, b) = store
            .write(|tx| {
                let a = accounts::create(tx, &new("a@x.fr", Role::Admin))?;
                let b = accounts::create(tx, &new("b@x.fr", Role::Admin))?;
                accounts::update(tx, b, |acc| acc.blocked = true)?;
                // Invited, link not followed yet: cannot sign in.
                let c = accounts::create(tx, &new("c@x.fr", Role::Admin))?;
                accounts::update(tx, c, |acc| acc.email_confirmed = false)?;
                Ok::<_, accounts::AccountError>((a, b))
            })
            .await
            .unwrap();
        assert!(matches!(store.write(move |tx| erase(tx, &Keys::for_tests(), a, 1)).await, Err(EraseError::LastAdmin)));
        store.write(move |tx| accounts::update(tx, b, |acc| acc.blocked = false)).await.unwrap();
        store.write(move |tx| erase(tx, &Keys::for_tests(), a, 1)).await.unwrap();
        assert!(matches!(store.write(move |tx| erase(tx, &Keys::for_tests(), b, 2)).await, Err(EraseError::LastAdmin)));
        assert!(store.verify().unwrap().is_ok());
    }
}
