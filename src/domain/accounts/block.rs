//! Blocking and unblocking an account: one operation for the admin's account
//! page and the moderator's queue, so that both end the person's sessions,
//! tell them and record it the same way.
//!
//! A blocked person cannot sign in, and every session they hold ends in the
//! same transaction as the block: there is no moment when the account is
//! blocked and a browser still acts for it.

use crate::store::WriteTx;

use super::{get_in, tell, update, AccountError, AccountId, Role};
use crate::domain::audit::{Action, Actor};
use crate::domain::sessions;
use crate::mail::Template;

/// What a block changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// The account is blocked now; this many sessions ended.
    Now { sessions_ended: usize },
    /// It was blocked already: nothing was changed, recorded or sent.
    Already,
}

/// Whether someone with the role `actor` may block or unblock a person with
/// the role `target` (pages use it to offer the button). Moderators block
/// residents whose contributions break the charter; only an admin blocks a
/// member of the town hall's team (moderator, staff, admin), so that a
/// moderator cannot lock out the people who oversee them.
pub fn may_block(actor: Role, target: Role) -> bool {
    let needed = if target >= Role::Moderator { Role::Admin } else { Role::Moderator };
    actor >= needed
}

/// The checks of [`block`] and [`unblock`], read in the transaction. Besides
/// [`may_block`], nobody blocks themselves: an admin could lock the commune
/// out of its own site.
fn check(tx: &WriteTx, actor: &Actor, target: AccountId) -> Result<super::Account, AccountError> {
    let actor_id = actor.account.ok_or(AccountError::NotAllowed)?;
    if actor_id == target {
        return Err(AccountError::OwnAccount);
    }
    let acting = get_in(tx, actor_id)?.filter(|a| !a.is_erased() && !a.blocked).ok_or(AccountError::NotAllowed)?;
    let person = get_in(tx, target)?.ok_or(AccountError::NotFound)?;
    if person.is_erased() {
        return Err(AccountError::Erased);
    }
    if !may_block(acting.role, person.role) {
        return Err(AccountError::NotAllowed);
    }
    Ok(person)
}

/// Blocks `target`: ends all their sessions, tells them by mail in their
/// language and records the block. `context` says what led to it when it is
/// not the account page ("by moderation of comment 12"); Parvis writes it,
/// never a form.
pub fn block(
    tx: &WriteTx,
    actor: &Actor,
    target: AccountId,
    context: Option<&str>,
    now: i64,
) -> Result<Blocked, AccountError> {
    let person = check(tx, actor, target)?;
    if person.blocked {
        return Ok(Blocked::Already);
    }
    let a = update(tx, target, |a| a.blocked = true)?;
    let ended = sessions::revoke_all(tx, target)?;
    tell(tx, &a, Template::AccountBlocked { name: a.display_name.clone() })?;
    let detail = match context {
        Some(c) => format!("{c}; {ended} session(s) ended"),
        None => format!("{ended} session(s) ended"),
    };
    actor.record(tx, Action::AccountBlocked, Some(target), detail, now)?;
    Ok(Blocked::Now { sessions_ended: ended })
}

/// Unblocks `target`; returns whether they were blocked. The person may sign
/// in again (no mail: they learn it by trying, or from the town hall).
pub fn unblock(tx: &WriteTx, actor: &Actor, target: AccountId, now: i64) -> Result<bool, AccountError> {
    let person = check(tx, actor, target)?;
    if !person.blocked {
        return Ok(false);
    }
    update(tx, target, |a| a.blocked = false)?;
    actor.record(tx, Action::AccountUnblocked, Some(target), "", now)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts;
    use crate::domain::audit;
    use crate::domain::sessions::Session;
    use crate::i18n::Lang;
    use crate::mail::outbox;
    use crate::store::Store;

    use crate::domain::accounts::tests::person as new;

    fn session(account: AccountId) -> Session {
        crate::domain::sessions::tests::session(account, 1)
    }

    struct People {
        admin: AccountId,
        moderator: AccountId,
        resident: AccountId,
        staff: AccountId,
    }

    async fn people(store: &Store) -> People {
        store
            .write(|tx| {
                let p = People {
                    admin: accounts::create(tx, &new("admin@x.fr", Role::Admin, Lang::Fr))?,
                    moderator: accounts::create(tx, &new("mod@x.fr", Role::Moderator, Lang::Fr))?,
                    resident: accounts::create(tx, &new("camille@x.fr", Role::Resident, Lang::En))?,
                    staff: accounts::create(tx, &new("staff@x.fr", Role::Staff, Lang::Fr))?,
                };
                for (i, id) in [p.resident, p.resident, p.staff].into_iter().enumerate() {
                    sessions::create(tx, &format!("token{i}"), &session(id))?;
                }
                Ok::<_, AccountError>(p)
            })
            .await
            .unwrap()
    }

    fn events(store: &Store, action: Action) -> Vec<audit::Event> {
        let filter = audit::Filter { action: Some(action), ..Default::default() };
        audit::list(&store.read().unwrap(), &filter, None, 100).unwrap().into_iter().map(|(_, e)| e).collect()
    }

    #[tokio::test]
    async fn blocking_ends_every_session_queues_one_mail_in_their_language_and_records_one_event() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let p = people(&store).await;
        let actor = Actor::person(p.moderator, "192.0.2.9");
        let (resident, by) = (p.resident, actor.clone());
        let done = store.write(move |tx| block(tx, &by, resident, Some("by moderation of comment 3"), 50)).await;
        assert_eq!(done.unwrap(), Blocked::Now { sessions_ended: 2 });

        let tx = store.read().unwrap();
        assert!(accounts::get(&tx, p.resident).unwrap().unwrap().blocked);
        let life = sessions::Lifetime { idle_secs: 1 << 40, absolute_secs: 1 << 40 };
        assert!(sessions::list(&tx, p.resident, life, 2).unwrap().is_empty());
        assert_eq!(sessions::list(&tx, p.staff, life, 2).unwrap().len(), 1, "others keep their sessions");
        let mail = outbox::due(&tx, &crate::crypto::Keys::for_tests(), i64::MAX, 10).unwrap();
        assert_eq!(mail.len(), 1);
        assert_eq!((mail[0].to.as_str(), mail[0].lang), ("camille@x.fr", Lang::En));
        assert!(matches!(mail[0].template, Template::AccountBlocked { .. }));
        drop(tx);
        let recorded = events(&store, Action::AccountBlocked);
        assert_eq!(recorded.len(), 1);
        let e = &recorded[0];
        assert_eq!((e.actor, e.subject, e.ip.as_str(), e.at), (Some(p.moderator), Some(p.resident), "192.0.2.9", 50));
        assert_eq!(e.detail, "by moderation of comment 3; 2 session(s) ended");

        // Again: nothing more is sent or recorded.
        let by = actor.clone();
        assert_eq!(store.write(move |tx| block(tx, &by, resident, None, 60)).await.unwrap(), Blocked::Already);
        assert_eq!(outbox::backlog(&store.read().unwrap()).unwrap(), 1);
        assert_eq!(events(&store, Action::AccountBlocked).len(), 1);

        // Unblocking records one event and sends nothing.
        let by = Actor::person(p.admin, "192.0.2.10");
        assert!(store.write(move |tx| unblock(tx, &by, resident, 70)).await.unwrap());
        assert!(!accounts::get(&store.read().unwrap(), p.resident).unwrap().unwrap().blocked);
        assert_eq!(events(&store, Action::AccountUnblocked).len(), 1);
        assert_eq!(outbox::backlog(&store.read().unwrap()).unwrap(), 1);
        assert!(store.verify().unwrap().is_ok());
    }

    #[tokio::test]
    async fn nobody_blocks_themselves_an_erased_account_or_above_their_rank() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let p = people(&store).await;
        let try_block = |actor: Actor, target: AccountId| {
            let store = store.clone();
            async move { store.write(move |tx| block(tx, &actor, target, None, 1)).await }
        };
        let admin = Actor::person(p.admin, "192.0.2.1");
        let moderator = Actor::person(p.moderator, "192.0.2.2");
        assert!(matches!(try_block(admin.clone(), p.admin).await, Err(AccountError::OwnAccount)));
        assert!(matches!(try_block(moderator.clone(), p.staff).await, Err(AccountError::NotAllowed)));
        assert!(matches!(try_block(Actor::person(p.resident, "x"), p.staff).await, Err(AccountError::NotAllowed)));
        assert!(matches!(try_block(Actor::anonymous("x"), p.resident).await, Err(AccountError::NotAllowed)));
        assert!(matches!(try_block(admin.clone(), AccountId(999)).await, Err(AccountError::NotFound)));
        let resident = p.resident;
        store
            .write(move |tx| accounts::erase::erase(tx, &crate::crypto::Keys::for_tests(), resident, 5))
            .await
            .unwrap();
        assert!(matches!(try_block(admin.clone(), p.resident).await, Err(AccountError::Erased)));
        // Refusals change nothing.
        assert_eq!(outbox::backlog(&store.read().unwrap()).unwrap(), 0);
        assert!(events(&store, Action::AccountBlocked).is_empty());
        // An admin blocks a member of the team.
        assert_eq!(try_block(admin, p.staff).await.unwrap(), Blocked::Now { sessions_ended: 1 });
    }
}
