//! The operations that turn two-factor authentication on or off, with what
//! goes with them: the person is told by mail in their language (a change
//! they did not make is how an intrusion shows), and the change is recorded
//! in the security log.

use crate::store::WriteTx;

use super::{confirm_enrolment, disable, new_recovery_codes, TwoFactorError};
use crate::crypto::Keys;
use crate::domain::accounts::{self, Account, AccountId, Role};
use crate::domain::audit::{Action, Actor};
use crate::domain::sessions;
use crate::mail::Template;

/// The account a change is about, refused when it is gone.
fn account(tx: &WriteTx, id: AccountId) -> Result<Account, TwoFactorError> {
    match accounts::get_in(tx, id) {
        Ok(Some(a)) if !a.is_erased() => Ok(a),
        Ok(_) => Err(TwoFactorError::NoAccount),
        Err(accounts::AccountError::Store(e)) => Err(TwoFactorError::Store(e)),
        Err(e) => Err(TwoFactorError::Store(crate::store::StoreError::Internal(e.to_string()))),
    }
}

/// The signed-in person acting on their own account.
fn own_account(tx: &WriteTx, actor: &Actor) -> Result<Account, TwoFactorError> {
    account(tx, actor.account.ok_or(TwoFactorError::NotAllowed)?)
}

fn tell(tx: &WriteTx, a: &Account, enabled: bool) -> Result<(), TwoFactorError> {
    accounts::tell(tx, a, Template::TwoFactorChanged { name: a.display_name.clone(), enabled })?;
    Ok(())
}

/// Turns it on for the person acting, with the first code of the enrolment
/// they started; returns the recovery codes to show them once.
pub fn enable(tx: &WriteTx, keys: &Keys, actor: &Actor, code: &str, now: i64) -> Result<Vec<String>, TwoFactorError> {
    let a = own_account(tx, actor)?;
    let codes = confirm_enrolment(tx, keys, a.id, code, now)?;
    tell(tx, &a, true)?;
    actor.record(tx, Action::TwoFactorEnabled, Some(a.id), "", now)?;
    Ok(codes)
}

/// New recovery codes for the person acting; the old ones stop working.
pub fn renew_recovery_codes(tx: &WriteTx, actor: &Actor, now: i64) -> Result<Vec<String>, TwoFactorError> {
    let a = own_account(tx, actor)?;
    let codes = new_recovery_codes(tx, a.id)?;
    actor.record(tx, Action::RecoveryCodesRenewed, Some(a.id), "", now)?;
    Ok(codes)
}

/// Turns it off for the person acting; returns whether it was on. The town
/// hall's team (moderators, staff, admins) must keep it: their accounts can
/// hide contributions and read personal data.
pub fn turn_off(tx: &WriteTx, actor: &Actor, now: i64) -> Result<bool, TwoFactorError> {
    let a = own_account(tx, actor)?;
    if a.role >= Role::Moderator {
        return Err(TwoFactorError::Required);
    }
    if !disable(tx, a.id)? {
        return Ok(false);
    }
    tell(tx, &a, false)?;
    actor.record(tx, Action::TwoFactorDisabled, Some(a.id), "by the person", now)?;
    Ok(true)
}

/// What [`reset`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct Reset {
    pub account: Account,
    /// `None` when two-factor was not on: nothing was changed or sent.
    pub sessions_ended: Option<usize>,
}

/// Turns it off for someone who lost both phone and recovery codes, by an
/// admin or from the command line (`parvis admin reset-2fa`). Every session
/// of theirs ends, since one may be an intruder's, and they are told. A
/// member of the team enrols again at their next sign-in (their role
/// requires it).
pub fn reset(tx: &WriteTx, actor: &Actor, target: AccountId, now: i64) -> Result<Reset, TwoFactorError> {
    if !actor.is_command_line() {
        let admin = account(tx, actor.account.ok_or(TwoFactorError::NotAllowed)?)?;
        if admin.role < Role::Admin || admin.blocked {
            return Err(TwoFactorError::NotAllowed);
        }
    }
    let a = account(tx, target)?;
    if !disable(tx, a.id)? {
        return Ok(Reset { account: a, sessions_ended: None });
    }
    let ended = sessions::revoke_all(tx, a.id)?;
    let detail = if actor.is_command_line() {
        actor.record(tx, Action::CommandLine, Some(a.id), "admin reset-2fa", now)?;
        "2FA reset from the command line"
    } else {
        "reset by an admin"
    };
    actor.record(tx, Action::TwoFactorDisabled, Some(a.id), detail, now)?;
    tell(tx, &a, false)?;
    Ok(Reset { account: a, sessions_ended: Some(ended) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit;
    use crate::domain::two_factor::{begin_enrolment, code_at, is_enabled};
    use crate::i18n::Lang;
    use crate::mail::outbox;
    use crate::store::Store;

    const NOW: i64 = 1_800_000_000;

    use crate::domain::accounts::tests::person as new;

    /// An account with two-factor on, enrolled through [`enable`].
    async fn enrolled(store: &Store, email: &str, role: Role, language: Lang) -> AccountId {
        let new = new(email, role, language);
        let id = store.write(move |tx| accounts::create(tx, &new)).await.unwrap();
        let keys = store.keys().clone();
        let k = keys.clone();
        let secret = store.write(move |tx| begin_enrolment(tx, &k, id, NOW)).await.unwrap();
        let code = code_at(&secret, NOW).unwrap();
        let actor = Actor::person(id, "192.0.2.1");
        let codes = store.write(move |tx| enable(tx, &keys, &actor, &code, NOW)).await.unwrap();
        assert_eq!(codes.len(), super::super::RECOVERY_CODES);
        id
    }

    fn events(store: &Store, action: Action) -> Vec<audit::Event> {
        let filter = audit::Filter { action: Some(action), ..Default::default() };
        audit::list(&store.read().unwrap(), &filter, None, 100).unwrap().into_iter().map(|(_, e)| e).collect()
    }

    fn mail(store: &Store) -> Vec<outbox::OutgoingMail> {
        outbox::due(&store.read().unwrap(), &crate::crypto::Keys::for_tests(), i64::MAX, 100).unwrap()
    }

    #[tokio::test]
    async fn enabling_and_turning_off_tell_the_person_in_their_language_and_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let id = enrolled(&store, "camille@x.fr", Role::Resident, Lang::En).await;
        assert!(is_enabled(&store.read().unwrap(), id).unwrap());
        let sent = mail(&store);
        assert_eq!(sent.len(), 1);
        assert_eq!((sent[0].to.as_str(), sent[0].lang), ("camille@x.fr", Lang::En));
        assert!(matches!(sent[0].template, Template::TwoFactorChanged { enabled: true, .. }));
        assert_eq!(events(&store, Action::TwoFactorEnabled).len(), 1);

        let actor = Actor::person(id, "192.0.2.1");
        assert!(store.write(move |tx| turn_off(tx, &actor, NOW)).await.unwrap());
        assert!(!is_enabled(&store.read().unwrap(), id).unwrap());
        let sent = mail(&store);
        assert_eq!(sent.len(), 2);
        assert!(matches!(sent[1].template, Template::TwoFactorChanged { enabled: false, .. }));
        let off = events(&store, Action::TwoFactorDisabled);
        assert_eq!((off.len(), off[0].actor, off[0].subject), (1, Some(id), Some(id)));
        // Already off: nothing more is sent or recorded.
        let actor = Actor::person(id, "192.0.2.1");
        assert!(!store.write(move |tx| turn_off(tx, &actor, NOW)).await.unwrap());
        assert_eq!((mail(&store).len(), events(&store, Action::TwoFactorDisabled).len()), (2, 1));
    }

    #[tokio::test]
    async fn the_team_keeps_two_factor_and_only_an_admin_or_the_command_line_resets_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let staff = enrolled(&store, "staff@x.fr", Role::Staff, Lang::Fr).await;
        let moderator = enrolled(&store, "mod@x.fr", Role::Moderator, Lang::Fr).await;
        let admin = enrolled(&store, "admin@x.fr", Role::Admin, Lang::Fr).await;
        let session = crate::domain::sessions::tests::session(staff, NOW);
        store.write(move |tx| sessions::create(tx, "t", &session)).await.unwrap();
        let before = mail(&store).len();

        let actor = Actor::person(staff, "192.0.2.1");
        let refused = store.write(move |tx| turn_off(tx, &actor, NOW)).await;
        assert!(matches!(refused, Err(TwoFactorError::Required)), "{refused:?}");
        let actor = Actor::person(moderator, "192.0.2.2");
        let refused = store.write(move |tx| reset(tx, &actor, staff, NOW)).await;
        assert!(matches!(refused, Err(TwoFactorError::NotAllowed)), "{refused:?}");
        let refused = store.write(move |tx| reset(tx, &Actor::command_line(), AccountId(999), NOW)).await;
        assert!(matches!(refused, Err(TwoFactorError::NoAccount)), "{refused:?}");
        assert!(is_enabled(&store.read().unwrap(), staff).unwrap());
        assert_eq!(mail(&store).len(), before, "refusals send nothing");

        let done = store.write(move |tx| reset(tx, &Actor::command_line(), staff, NOW)).await.unwrap();
        assert_eq!((done.account.id, done.sessions_ended), (staff, Some(1)));
        assert!(!is_enabled(&store.read().unwrap(), staff).unwrap());
        assert_eq!(mail(&store).len(), before + 1);
        let off = events(&store, Action::TwoFactorDisabled);
        assert_eq!((off[0].ip.as_str(), off[0].detail.as_str()), ("cli", "2FA reset from the command line"));
        assert_eq!(events(&store, Action::CommandLine).len(), 1);
        let again = store.write(move |tx| reset(tx, &Actor::command_line(), staff, NOW)).await.unwrap();
        assert_eq!(again.sessions_ended, None);
        assert_eq!(mail(&store).len(), before + 1);

        let actor = Actor::person(admin, "192.0.2.3");
        let done = store.write(move |tx| reset(tx, &actor, moderator, NOW)).await.unwrap();
        assert_eq!(done.sessions_ended, Some(0));
        let off = events(&store, Action::TwoFactorDisabled);
        assert_eq!((off[0].actor, off[0].detail.as_str()), (Some(admin), "reset by an admin"));
    }
}
