//! Signing in and out, as operations: each writes the session, the
//! account's last sign-in and the audit event in the caller's transaction,
//! so a handler calls one function per write (DESIGN.md, Operations).
//!
//! The password check (argon2, slow) happens before, outside the write; the
//! second factor is checked here, in the same transaction as the session it
//! opens, so a code is used up exactly when it signs someone in.

use super::{create, get_in, list_in, revoke, Lifetime, Session, TokenHash};
use crate::crypto::Keys;
use crate::domain::accounts::{self, AccountError, AccountId};
use crate::domain::audit::{Action, Actor};
use crate::domain::two_factor::{self, Passed, TwoFactorError};
use crate::store::{StoreError, WriteTx};

/// A refused code (the person's answer), or the failure that stopped the
/// write (the server's).
pub type CodeChecked<T> = Result<Result<T, TwoFactorError>, AccountError>;

/// Checks a code; a storage failure is the write's failure, anything else a refusal.
fn check_code(tx: &WriteTx, keys: &Keys, account: AccountId, code: &str, now: i64) -> CodeChecked<Passed> {
    match two_factor::verify(tx, keys, account, code, now) {
        Ok(passed) => Ok(Ok(passed)),
        Err(TwoFactorError::Store(e)) => Err(e.into()),
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// A wrong password (or an unknown address): only the audit event. The
/// actor is not signed in; `subject` is the account, when there is one.
pub fn sign_in_failed(tx: &WriteTx, actor: &Actor, subject: Option<AccountId>, now: i64) -> Result<(), StoreError> {
    actor.record(tx, Action::SignInFailed, subject, "", now).map(|_| ())
}

/// The right password: opens `session` under `token` (its `ip` and
/// `created_at` say where from and when). A session that still waits for its
/// second factor grants nothing yet, and is not a sign-in until
/// [`second_factor`] passes.
pub fn start(tx: &WriteTx, token: &str, session: &Session) -> Result<TokenHash, AccountError> {
    let hash = create(tx, token, session)?;
    if !session.two_factor_pending {
        let (id, now) = (session.account, session.created_at);
        accounts::update(tx, id, |a| a.last_sign_in_at = Some(now))?;
        Actor::person(id, session.ip.as_str()).record(tx, Action::SignIn, Some(id), "password", now)?;
    }
    Ok(hash)
}

/// The second step of a sign-in: when the code passes, the pending session
/// ends and `session` (fully signed in, from `session.ip`) starts under
/// `token`; when it does not, the failure is recorded and nothing else
/// changes.
pub fn second_factor(
    tx: &WriteTx,
    keys: &Keys,
    pending: &TokenHash,
    code: &str,
    token: &str,
    session: &Session,
) -> CodeChecked<Passed> {
    let (id, now, ip) = (session.account, session.created_at, session.ip.as_str());
    let passed = match check_code(tx, keys, id, code, now)? {
        Ok(passed) => passed,
        Err(refusal) => {
            Actor::anonymous(ip).record(tx, Action::TwoFactorFailed, Some(id), "", now)?;
            return Ok(Err(refusal));
        }
    };
    revoke(tx, pending)?;
    create(tx, token, session)?;
    accounts::update(tx, id, |a| a.last_sign_in_at = Some(now))?;
    let actor = Actor::person(id, ip);
    let how = match passed {
        Passed::Totp => "password + code".to_string(),
        Passed::RecoveryCode { left } => format!("password + recovery code ({left} left)"),
    };
    actor.record(tx, Action::SignIn, Some(id), how, now)?;
    if let Passed::RecoveryCode { .. } = passed {
        actor.record(tx, Action::RecoveryCodeUsed, Some(id), "", now)?;
    }
    Ok(Ok(passed))
}

/// Ends the session `hash` of the person acting (or a pending one).
pub fn sign_out(tx: &WriteTx, actor: &Actor, hash: &TokenHash, now: i64) -> Result<(), StoreError> {
    revoke(tx, hash)?;
    actor.record(tx, Action::SignOut, actor.account, "", now).map(|_| ())
}

/// The person proved again who they are (password checked before, and the
/// code here when `code` is given): the session moves to a new token, so a
/// token seen before (on a shared computer, in a log) no longer opens the
/// sensitive pages. The session keeps its start, hence its absolute limit.
pub fn reauthenticate(
    tx: &WriteTx,
    keys: &Keys,
    actor: &Actor,
    old: &TokenHash,
    code: Option<&str>,
    token: &str,
    now: i64,
) -> CodeChecked<TokenHash> {
    let Some(mut session) = get_in(tx, old)? else { return Err(AccountError::NotFound) };
    if actor.account != Some(session.account) {
        return Err(AccountError::NotAllowed);
    }
    if let Some(code) = code {
        if let Err(refusal) = check_code(tx, keys, session.account, code, now)? {
            return Ok(Err(refusal));
        }
    }
    revoke(tx, old)?;
    session.authenticated_at = now;
    session.last_seen_at = now;
    Ok(Ok(create(tx, token, &session)?))
}

/// Which of one's own sessions to end.
#[derive(Clone, Copy, Debug)]
pub enum Revoke<'a> {
    /// Every other live session.
    Others,
    /// The one whose token hash is this (hex), if it is one's own.
    One(&'a str),
}

/// Ends some of the acting person's other sessions (never `current`);
/// returns how many. Only one's own sessions can be named.
pub fn revoke_own(
    tx: &WriteTx,
    actor: &Actor,
    current: &TokenHash,
    which: Revoke<'_>,
    lifetime: Lifetime,
    now: i64,
) -> Result<usize, StoreError> {
    let Some(id) = actor.account else { return Ok(0) };
    let own = list_in(tx, id)?
        .into_iter()
        .filter(|(h, s)| h != current && !lifetime.is_expired(s, now))
        .map(|(h, _)| h)
        .filter(|h| match which {
            Revoke::Others => true,
            Revoke::One(hex_hash) => hex::encode(h) == hex_hash,
        })
        .collect::<Vec<_>>();
    for h in &own {
        revoke(tx, h)?;
    }
    if !own.is_empty() {
        actor.record(tx, Action::SessionRevoked, Some(id), format!("{} session(s)", own.len()), now)?;
    }
    Ok(own.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sessions::{find, new_token};
    use crate::store::Store;

    const LIFE: Lifetime = Lifetime { idle_secs: 600, absolute_secs: 3600 };

    use super::super::tests::session;

    #[tokio::test]
    async fn re_authentication_moves_the_session_to_a_new_token_and_keeps_its_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (old, new) = (new_token().unwrap(), new_token().unwrap());
        let o = old.clone();
        let old_hash = store.write(move |tx| create(tx, &o, &session(AccountId(7), 1000))).await.unwrap();
        // Someone else's actor cannot move it.
        let refused = store
            .write(move |tx| {
                Ok::<_, AccountError>(
                    reauthenticate(
                        tx,
                        &Keys::for_tests(),
                        &Actor::person(AccountId(8), "ip"),
                        &old_hash,
                        None,
                        "x",
                        1200,
                    )
                    .is_err(),
                )
            })
            .await
            .unwrap();
        assert!(refused);
        let n = new.clone();
        let moved = store
            .write(move |tx| {
                reauthenticate(tx, &Keys::for_tests(), &Actor::person(AccountId(7), "ip"), &old_hash, None, &n, 1200)
            })
            .await
            .unwrap();
        assert!(moved.is_ok());
        let tx = store.read().unwrap();
        assert!(find(&tx, &old, LIFE, 1200).unwrap().is_none(), "the old token is gone");
        let (_, s) = find(&tx, &new, LIFE, 1200).unwrap().unwrap();
        assert_eq!((s.created_at, s.authenticated_at), (1000, 1200), "same start, fresh proof");
        drop(tx);
        assert!(store.verify().unwrap().is_ok());
    }
}
