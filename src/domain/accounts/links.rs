//! The operations that send a person a link or a notice: signing up, sending
//! the confirmation again, confirming an address, changing it, asking for a
//! new password and setting it, changing one's password. Each issues its
//! single-use token, queues the mail in the person's language and records
//! its audit event in the caller's transaction.
//!
//! `link` is the address a token is appended to
//! (`https://…/compte/confirmer?jeton=`): the web layer owns its routes.

use redb::ReadableTable;

use super::tables::EMAIL_TOKEN_BY_HASH;
use super::{
    find_by_email_in, get_in, issue_token, sign_up, take_token, tell, update, AccountError, AccountId, EmailToken,
    SignUp, TokenPurpose,
};
use crate::domain::audit::{Action, Actor};
use crate::domain::sessions::{self, Session};
use crate::mail::{outbox, NewMail, Template};
use crate::store::{Keyed, StoreError, WriteTx};

/// Creates a resident's account and mails the link that confirms the
/// address. `None` when the address already has an account: the caller
/// answers as for a new address, so that nothing tells a stranger whether an
/// address is registered, and nothing is sent.
pub fn register(
    tx: &WriteTx,
    actor: &Actor,
    form: &SignUp,
    link: &str,
    now: i64,
) -> Result<Option<AccountId>, AccountError> {
    let id = match sign_up(tx, form, now) {
        Ok(id) => id,
        Err(AccountError::EmailTaken) => return Ok(None),
        Err(e) => return Err(e),
    };
    let a = get_in(tx, id)?.ok_or(AccountError::NotFound)?;
    let token = issue_token(tx, id, TokenPurpose::ConfirmEmail, now)?;
    tell(tx, &a, Template::ConfirmEmail { name: a.display_name.clone(), link: format!("{link}{token}") })?;
    Actor::person(id, actor.ip.clone()).record(tx, Action::SignUp, Some(id), "", now)?;
    Ok(Some(id))
}

/// Sends a new confirmation link to an address whose account is not
/// confirmed yet; any other address gets nothing (and the caller answers
/// the same).
pub fn resend_confirmation(tx: &WriteTx, email: &str, link: &str, now: i64) -> Result<bool, AccountError> {
    let Some(a) = find_by_email_in(tx, email)?.filter(|a| !a.email_confirmed && !a.is_erased()) else {
        return Ok(false);
    };
    let token = issue_token(tx, a.id, TokenPurpose::ConfirmEmail, now)?;
    tell(tx, &a, Template::ConfirmEmail { name: a.display_name.clone(), link: format!("{link}{token}") })?;
    Ok(true)
}

/// What following an address link did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// The address given at sign-up is proved.
    Address,
    /// The new address replaced the old one, which was told.
    Changed,
    /// Someone else took the new address meanwhile: nothing changed.
    AddressTaken,
    /// The link is unknown, expired, used or not an address link. The token
    /// is removed all the same (an answer, not an error, so that the removal
    /// is committed).
    Invalid,
}

/// Uses an address link (sign-up confirmation or change of address). The
/// token is used up whatever happens; a token of another purpose is
/// [`Confirmed::Invalid`]. The person acting is the link's owner, whoever is
/// signed in.
pub fn confirm_address(tx: &WriteTx, actor: &Actor, token: &str, now: i64) -> Result<Confirmed, AccountError> {
    let token = match take_token(tx, token, now) {
        Ok(t) => t,
        Err(AccountError::TokenInvalid) => return Ok(Confirmed::Invalid),
        Err(e) => return Err(e),
    };
    let by = Actor::person(token.account, actor.ip.clone());
    match token.purpose {
        TokenPurpose::ConfirmEmail => {
            update(tx, token.account, |a| a.email_confirmed = true)?;
            by.record(tx, Action::EmailConfirmed, Some(token.account), "", now)?;
            Ok(Confirmed::Address)
        }
        TokenPurpose::ChangeEmail { new_email } => {
            let Some(old) = get_in(tx, token.account)?.filter(|a| !a.is_erased()) else {
                return Ok(Confirmed::Invalid);
            };
            match update(tx, token.account, |a| a.email = new_email.clone()) {
                Ok(_) => {}
                Err(AccountError::EmailTaken) => return Ok(Confirmed::AddressTaken),
                Err(e) => return Err(e),
            }
            // To the old address: if the change was not theirs, they learn it there.
            tell(tx, &old, Template::EmailChanged { name: old.display_name.clone(), new_email })?;
            by.record(tx, Action::EmailChanged, Some(token.account), "", now)?;
            Ok(Confirmed::Changed)
        }
        TokenPurpose::ResetPassword | TokenPurpose::Invitation => Ok(Confirmed::Invalid),
    }
}

/// Asks for a change of address: the link goes to the new address (which it
/// proves); the change is made when it is followed.
pub fn request_email_change(
    tx: &WriteTx,
    actor: &Actor,
    new_email: &str,
    link: &str,
    now: i64,
) -> Result<(), AccountError> {
    let id = actor.account.ok_or(AccountError::NotAllowed)?;
    let a = get_in(tx, id)?.filter(|a| !a.is_erased()).ok_or(AccountError::NotFound)?;
    let new_email = super::normalise_email(new_email)?;
    let token = issue_token(tx, id, TokenPurpose::ChangeEmail { new_email: new_email.clone() }, now)?;
    outbox::enqueue(
        tx,
        NewMail {
            to: new_email,
            lang: a.language,
            template: Template::ConfirmEmail { name: a.display_name.clone(), link: format!("{link}{token}") },
        },
    )?;
    actor.record(tx, Action::EmailChangeRequested, Some(id), "", now)?;
    Ok(())
}

/// Mails a link to choose a new password to the account with this address,
/// unless it is blocked or there is none (the caller answers the same).
pub fn request_password_reset(
    tx: &WriteTx,
    actor: &Actor,
    email: &str,
    link: &str,
    now: i64,
) -> Result<bool, AccountError> {
    let Some(a) = find_by_email_in(tx, email)?.filter(|a| !a.blocked && !a.is_erased()) else {
        return Ok(false);
    };
    let token = issue_token(tx, a.id, TokenPurpose::ResetPassword, now)?;
    tell(tx, &a, Template::ResetPassword { name: a.display_name.clone(), link: format!("{link}{token}") })?;
    actor.record(tx, Action::PasswordResetRequested, Some(a.id), "", now)?;
    Ok(true)
}

/// Sets a new password with a reset link: every session ends (one may be an
/// intruder's) and the person is told. Following the link proves the
/// address. `None` when the link is not a valid reset link; the token
/// presented is used up all the same.
pub fn reset_password(
    tx: &WriteTx,
    actor: &Actor,
    token: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<AccountId>, AccountError> {
    let token = match take_token(tx, token, now) {
        Ok(t) if t.purpose == TokenPurpose::ResetPassword => t,
        Ok(_) | Err(AccountError::TokenInvalid) => return Ok(None),
        Err(e) => return Err(e),
    };
    let a = update(tx, token.account, |a| {
        a.password_hash = password_hash.to_string();
        a.must_change_password = false;
        a.email_confirmed = true;
    })?;
    sessions::revoke_all(tx, a.id)?;
    revoke_takeover_links(tx, a.id)?;
    tell(tx, &a, Template::PasswordChanged { name: a.display_name.clone() })?;
    Actor::person(a.id, actor.ip.clone()).record(tx, Action::PasswordReset, Some(a.id), "emailed link", now)?;
    Ok(Some(a.id))
}

/// Changes the password of the person acting: every other session ends and
/// `session` (under the token `session_token`) replaces the one they used,
/// so that they stay signed in here; they are told by mail.
pub fn change_password(
    tx: &WriteTx,
    actor: &Actor,
    password_hash: &str,
    session_token: &str,
    session: &Session,
    now: i64,
) -> Result<(), AccountError> {
    let id = actor.account.filter(|id| *id == session.account).ok_or(AccountError::NotAllowed)?;
    let a = update(tx, id, |a| {
        a.password_hash = password_hash.to_string();
        a.must_change_password = false;
    })?;
    sessions::revoke_all(tx, id)?;
    revoke_takeover_links(tx, id)?;
    sessions::create(tx, session_token, session)?;
    tell(tx, &a, Template::PasswordChanged { name: a.display_name.clone() })?;
    actor.record(tx, Action::PasswordChanged, Some(id), "from the account page", now)?;
    Ok(())
}

/// Removes the person's pending links that would hand their account to
/// whoever holds them: password resets, and changes of address (the link
/// goes to the *new* address, which an intruder who had a session may have
/// chosen). Called when the password changes, which is how a person takes
/// their account back: every session ends, and no older link may undo it.
/// A confirmation link is harmless and stays. Returns how many went.
pub fn revoke_takeover_links(tx: &WriteTx, account: AccountId) -> Result<usize, StoreError> {
    remove_tokens_where(tx, usize::MAX, |t| {
        t.account == account && matches!(t.purpose, TokenPurpose::ResetPassword | TokenPurpose::ChangeEmail { .. })
    })
}

/// Removes at most `max` links expired before `now` (they can no longer be
/// used, and each holds an account id and perhaps a new address); returns
/// how many. Run by the hourly retention pass.
pub fn purge_expired_tokens(tx: &WriteTx, now: i64, max: usize) -> Result<usize, StoreError> {
    remove_tokens_where(tx, max, |t| t.expires_at < now)
}

/// Tokens are keyed by the hash of the secret, so finding a person's or the
/// expired ones reads the table: it stays small, since every link lives a
/// week at most and expired ones are purged every hour.
fn remove_tokens_where(tx: &WriteTx, max: usize, matches: impl Fn(&EmailToken) -> bool) -> Result<usize, StoreError> {
    let mut table = tx.open_table(EMAIL_TOKEN_BY_HASH)?;
    let mut gone = Vec::new();
    for row in table.iter()? {
        let (hash, bytes) = row?;
        if matches(&super::stored::read_token(tx.keys(), bytes.value())?) {
            gone.push(*hash.value());
            if gone.len() >= max {
                break;
            }
        }
    }
    for hash in &gone {
        table.remove(hash)?;
    }
    Ok(gone.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::{self, peek_token};
    use crate::domain::audit;
    use crate::i18n::Lang;
    use crate::mail::OutgoingMail;
    use crate::store::Store;

    const LINK: &str = "https://participer.example.fr/compte/confirmer?jeton=";
    const NOW: i64 = 1_800_000_000;

    fn form(email: &str, language: Lang) -> SignUp {
        SignUp {
            email: email.into(),
            display_name: " Camille Martin ".into(),
            password_hash: "x".into(),
            language,
            neighbourhood: None,
            age_bracket: None,
        }
    }

    fn mail(store: &Store) -> Vec<OutgoingMail> {
        outbox::due(&store.read().unwrap(), &crate::crypto::Keys::for_tests(), i64::MAX, 100).unwrap()
    }

    fn events(store: &Store) -> Vec<audit::Event> {
        audit::list(&store.read().unwrap(), &audit::Filter::default(), None, 100)
            .unwrap()
            .into_iter()
            .map(|(_, e)| e)
            .collect()
    }

    /// The token in the link of a message.
    fn token_in(m: &OutgoingMail) -> String {
        match &m.template {
            Template::ConfirmEmail { link, .. } | Template::ResetPassword { link, .. } => {
                link.rsplit('=').next().unwrap().to_string()
            }
            other => panic!("no link in {other:?}"),
        }
    }

    #[tokio::test]
    async fn signing_up_mails_one_link_in_the_persons_language_and_a_taken_address_gets_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let actor = Actor::anonymous("192.0.2.1");
        let (a, f) = (actor.clone(), form("camille@x.fr", Lang::En));
        let id = store.write(move |tx| register(tx, &a, &f, LINK, NOW)).await.unwrap().unwrap();
        let sent = mail(&store);
        assert_eq!(sent.len(), 1);
        assert_eq!((sent[0].to.as_str(), sent[0].lang), ("camille@x.fr", Lang::En));
        let token = token_in(&sent[0]);
        assert!(
            matches!(&sent[0].template, Template::ConfirmEmail { link, name } if link.starts_with(LINK) && name == "Camille Martin")
        );
        let logged = events(&store);
        assert_eq!(logged.len(), 1);
        assert_eq!((logged[0].action, logged[0].actor, logged[0].ip.as_str()), (Action::SignUp, Some(id), "192.0.2.1"));

        let (a, f) = (actor.clone(), form("CAMILLE@x.fr", Lang::Fr));
        assert_eq!(store.write(move |tx| register(tx, &a, &f, LINK, NOW)).await.unwrap(), None);
        assert_eq!((mail(&store).len(), events(&store).len()), (1, 1), "a taken address: nothing sent or recorded");

        let a = actor.clone();
        let done = store.write(move |tx| confirm_address(tx, &a, &token, NOW)).await.unwrap();
        assert_eq!(done, Confirmed::Address);
        assert!(accounts::get(&store.read().unwrap(), id).unwrap().unwrap().email_confirmed);
        assert_eq!(events(&store)[0].action, Action::EmailConfirmed);
        // Confirmed: asking again sends nothing.
        assert!(!store.write(move |tx| resend_confirmation(tx, "camille@x.fr", LINK, NOW)).await.unwrap());
        assert_eq!(mail(&store).len(), 1);
    }

    #[tokio::test]
    async fn a_reset_link_goes_only_to_an_active_account_and_ends_every_session() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let actor = Actor::anonymous("192.0.2.1");
        let (a, f) = (actor.clone(), form("camille@x.fr", Lang::Fr));
        let id = store.write(move |tx| register(tx, &a, &f, LINK, NOW)).await.unwrap().unwrap();
        let session = crate::domain::sessions::tests::session(id, NOW);
        store.write(move |tx| sessions::create(tx, "t", &session)).await.unwrap();

        let a = actor.clone();
        let nobody = store.write(move |tx| request_password_reset(tx, &a, "personne@x.fr", LINK, NOW)).await;
        assert!(!nobody.unwrap());
        let a = actor.clone();
        assert!(store.write(move |tx| request_password_reset(tx, &a, "camille@x.fr", LINK, NOW)).await.unwrap());
        let sent = mail(&store);
        assert_eq!(sent.len(), 2);
        assert!(matches!(sent[1].template, Template::ResetPassword { .. }));
        let token = token_in(&sent[1]);
        assert_eq!(peek_token(&store.read().unwrap(), &token, NOW).unwrap().unwrap().account, id);

        // A confirmation link does not set a password.
        let confirm = token_in(&sent[0]);
        let a = actor.clone();
        let wrong = store.write(move |tx| reset_password(tx, &a, &confirm, "h", NOW)).await;
        assert_eq!(wrong.unwrap(), None);
        assert!(peek_token(&store.read().unwrap(), &token_in(&sent[0]), NOW).unwrap().is_none(), "used up");

        let (a, t) = (actor.clone(), token.clone());
        assert_eq!(store.write(move |tx| reset_password(tx, &a, &t, "new-hash", NOW)).await.unwrap(), Some(id));
        let tx = store.read().unwrap();
        let after = accounts::get(&tx, id).unwrap().unwrap();
        assert_eq!(after.password_hash, "new-hash");
        let life = sessions::Lifetime { idle_secs: 1 << 40, absolute_secs: 1 << 40 };
        assert!(sessions::list(&tx, id, life, NOW).unwrap().is_empty());
        drop(tx);
        assert!(matches!(mail(&store).last().unwrap().template, Template::PasswordChanged { .. }));
        let a = actor.clone();
        let again = store.write(move |tx| reset_password(tx, &a, &token, "other", NOW)).await;
        assert_eq!(again.unwrap(), None, "a link works once");

        // A blocked account gets no reset link.
        store.write(move |tx| update(tx, id, |a| a.blocked = true)).await.unwrap();
        let a = actor.clone();
        assert!(!store.write(move |tx| request_password_reset(tx, &a, "camille@x.fr", LINK, NOW)).await.unwrap());
        assert_eq!(mail(&store).len(), 3);
    }

    #[tokio::test]
    async fn a_change_of_address_is_confirmed_at_the_new_one_and_told_at_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, f) = (Actor::anonymous("192.0.2.1"), form("camille@x.fr", Lang::En));
        let id = store.write(move |tx| register(tx, &a, &f, LINK, NOW)).await.unwrap().unwrap();
        let me = Actor::person(id, "192.0.2.1");
        let m = me.clone();
        store.write(move |tx| request_email_change(tx, &m, " New@X.fr ", LINK, NOW)).await.unwrap();
        let sent = mail(&store);
        assert_eq!((sent[1].to.as_str(), sent[1].lang), ("new@x.fr", Lang::En));
        let token = token_in(&sent[1]);
        let m = me.clone();
        assert_eq!(store.write(move |tx| confirm_address(tx, &m, &token, NOW)).await.unwrap(), Confirmed::Changed);
        let sent = mail(&store);
        assert_eq!(sent.len(), 3);
        assert_eq!(sent[2].to, "camille@x.fr");
        assert!(matches!(&sent[2].template, Template::EmailChanged { new_email, .. } if new_email == "new@x.fr"));
        assert_eq!(accounts::get(&store.read().unwrap(), id).unwrap().unwrap().email, "new@x.fr");
        assert!(store.verify().unwrap().is_ok());
    }

    /// The tokens of every link sent so far, in order.
    fn tokens(store: &Store) -> Vec<String> {
        mail(store)
            .iter()
            .filter(|m| matches!(m.template, Template::ConfirmEmail { .. } | Template::ResetPassword { .. }))
            .map(token_in)
            .collect()
    }

    fn live(store: &Store, token: &str) -> bool {
        peek_token(&store.read().unwrap(), token, NOW).unwrap().is_some()
    }

    #[tokio::test]
    async fn a_new_password_revokes_the_older_reset_and_address_links() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let anon = Actor::anonymous("192.0.2.1");
        let mut ids = Vec::new();
        for email in ["camille@x.fr", "sam@x.fr"] {
            let (a, f) = (anon.clone(), form(email, Lang::Fr));
            ids.push(store.write(move |tx| register(tx, &a, &f, LINK, NOW)).await.unwrap().unwrap());
        }
        let (camille, sam) = (ids[0], ids[1]);
        let me = Actor::person(camille, "192.0.2.1");
        // Two reset links, a change of address (perhaps an intruder's) and Sam's reset link.
        for email in ["camille@x.fr", "camille@x.fr", "sam@x.fr"] {
            let a = anon.clone();
            store.write(move |tx| request_password_reset(tx, &a, email, LINK, NOW)).await.unwrap();
        }
        let m = me.clone();
        store.write(move |tx| request_email_change(tx, &m, "intrus@y.fr", LINK, NOW)).await.unwrap();
        let t = tokens(&store);
        let (confirm, reset_1, reset_2, sams, change) = (&t[0], &t[2], &t[3], &t[4], &t[5]);
        assert!([confirm, reset_1, reset_2, sams, change].iter().all(|t| live(&store, t)));

        let session = Session {
            account: camille,
            created_at: NOW,
            last_seen_at: NOW,
            two_factor_pending: false,
            authenticated_at: NOW,
            device: "Firefox".into(),
            ip: "192.0.2.1".into(),
        };
        let m = me.clone();
        store.write(move |tx| change_password(tx, &m, "new-hash", "t", &session, NOW)).await.unwrap();
        assert!(!live(&store, reset_1) && !live(&store, reset_2), "an older reset link would undo the change");
        assert!(!live(&store, change), "so would a change of address to someone else's mailbox");
        assert!(live(&store, confirm), "a confirmation link is harmless");
        assert!(live(&store, sams), "other people's links stay");

        // The same after a reset: the other reset link no longer works.
        for _ in 0..2 {
            let a = anon.clone();
            store.write(move |tx| request_password_reset(tx, &a, "sam@x.fr", LINK, NOW)).await.unwrap();
        }
        let t = tokens(&store);
        let (used, other) = (t[t.len() - 2].clone(), t[t.len() - 1].clone());
        let a = anon.clone();
        assert_eq!(store.write(move |tx| reset_password(tx, &a, &used, "h", NOW)).await.unwrap(), Some(sam));
        assert!(!live(&store, &other) && !live(&store, sams));
    }

    #[tokio::test]
    async fn expired_links_are_purged_and_valid_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, f) = (Actor::anonymous("192.0.2.1"), form("camille@x.fr", Lang::Fr));
        let id = store.write(move |tx| register(tx, &a, &f, LINK, NOW)).await.unwrap().unwrap();
        let a = Actor::anonymous("192.0.2.1");
        store.write(move |tx| request_password_reset(tx, &a, "camille@x.fr", LINK, NOW)).await.unwrap();
        let t = tokens(&store);
        // An hour and a bit later the reset link has expired, the confirmation link not.
        let later = NOW + accounts::token_lifetime(&TokenPurpose::ResetPassword) + 1;
        assert_eq!(store.write(move |tx| purge_expired_tokens(tx, later, 100)).await.unwrap(), 1);
        let tx = store.read().unwrap();
        assert!(peek_token(&tx, &t[0], NOW).unwrap().is_some_and(|k| k.account == id));
        assert_eq!(tx.open_table(EMAIL_TOKEN_BY_HASH).unwrap().iter().unwrap().count(), 1, "the reset link is gone");
        drop(tx);
        // Bounded: two expired, one removed per call.
        for _ in 0..2 {
            let a = Actor::anonymous("192.0.2.1");
            store.write(move |tx| request_password_reset(tx, &a, "camille@x.fr", LINK, NOW)).await.unwrap();
        }
        assert_eq!(store.write(move |tx| purge_expired_tokens(tx, later, 1)).await.unwrap(), 1);
        assert_eq!(store.write(move |tx| purge_expired_tokens(tx, later, 1)).await.unwrap(), 1);
        assert_eq!(store.write(move |tx| purge_expired_tokens(tx, later, 1)).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn an_expired_link_is_refused_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, f) = (Actor::anonymous("192.0.2.1"), form("camille@x.fr", Lang::Fr));
        store.write(move |tx| register(tx, &a, &f, LINK, NOW)).await.unwrap().unwrap();
        let token = token_in(&mail(&store)[0]);
        let later = NOW + accounts::token_lifetime(&TokenPurpose::ConfirmEmail) + 1;
        let (a, t) = (Actor::anonymous("192.0.2.1"), token.clone());
        assert_eq!(store.write(move |tx| confirm_address(tx, &a, &t, later)).await.unwrap(), Confirmed::Invalid);
        assert!(peek_token(&store.read().unwrap(), &token, NOW).unwrap().is_none(), "removed, not left behind");
    }
}
