//! Keeping accounts no longer than they serve (GDPR article 5.1.e, storage
//! limitation), as the privacy page promises.
//!
//! Once an hour the server runs [`run`], which in one transaction:
//! - warns, once, by mail, a person who has not signed in for
//!   `retention.inactive_account_days` minus [`WARNING_LEAD_DAYS`] days that
//!   their account will be deleted unless they sign in;
//! - erases, through [`erase`], an account unused for the whole period whose
//!   owner was warned at least the lead time before: nobody loses an account
//!   without the notice, even when the server was off on the day the warning
//!   was due or when this rule first runs on an old database (the warning
//!   then goes now and the deletion follows a lead time later);
//! - erases a sign-up whose address was never confirmed, once its
//!   confirmation link can no longer be used ([`UNCONFIRMED_DAYS`]);
//! - removes the emailed links that have expired.
//!
//! Signing in sets `last_sign_in_at`, which restarts the clock: a warning
//! older than the last sign-in no longer counts and is forgotten.
//!
//! Every account goes through [`erase`] and keeps its rules: what the person
//! gave to the commune's public life stays under "Participant supprimé", and
//! the last administrator who can act is never erased. The town hall's team
//! (moderators, staff, admins) is treated like everyone: a dormant
//! privileged account is an intruder's best target, and the GDPR applies to
//! its holder too. The one exception is the last administrator who can act:
//! they are warned like anyone, but [`erase`] refuses them and the pass
//! counts them in [`Report::kept_last_admin`] instead, since a commune left
//! with no administrator could not run Parvis at all.
//!
//! Pending staff invitations are left to the admins, who see them in the
//! list of accounts and can invite again: they are neither warned (nobody
//! can sign in to them) nor removed here.
//!
//! There is no index of accounts by last activity: each pass reads the
//! accounts table once. For a commune (even 500,000 accounts, a few tens of
//! megabytes) that is a fraction of a second once an hour, which is cheaper
//! to keep right than an index every sign-in would have to update. What a
//! pass *does* is bounded ([`Policy::max_per_pass`]): the first pass on an
//! old database may find thousands of accounts to warn, and one huge
//! transaction would hold the single writer (and flood the outbox); the rest
//! waits for the next hour.

use crate::crypto::Keys;
use redb::ReadableTable;

use super::erase::{erase, EraseError};
use super::tables::{ACCOUNT_BY_ID, EMAIL_TOKEN_BY_HASH, INACTIVITY_WARNING_BY_ACCOUNT};
use super::{tell, Account, AccountId, EmailToken, TokenPurpose};
use crate::domain::audit::{Action, Actor};
use crate::mail::Template;
use crate::store::{Keyed, WriteTx};

const DAY: i64 = 86_400;

/// How long before the deletion the person is warned. A month leaves time
/// to come back from a long holiday or a stay in hospital.
pub const WARNING_LEAD_DAYS: u32 = 30;

/// An unconfirmed sign-up is removed this long after it was made, unless a
/// confirmation link sent again is still valid. Equal to the life of the
/// confirmation link (checked by a test), so that no link outlives its account.
pub const UNCONFIRMED_DAYS: i64 = 7;

/// The "address" of the automatic deletions in the audit log, where a
/// person's actions show their IP address and the command line's `cli`.
pub const RETENTION: &str = "retention";

/// What the pass does, from the configuration.
#[derive(Clone, Debug)]
pub struct Policy {
    /// `retention.inactive_account_days`: an account unused this long is deleted.
    pub inactive_days: u32,
    /// The sign-in page, given in the warning.
    pub sign_in_link: String,
    /// At most this many warnings and deletions per pass.
    pub max_per_pass: usize,
}

impl Policy {
    pub fn new(inactive_days: u32, sign_in_link: impl Into<String>) -> Policy {
        // 100 an hour is 2,400 a day: an old database is brought in line in
        // days, and no pass holds the writer for long.
        Policy { inactive_days, sign_in_link: sign_in_link.into(), max_per_pass: 100 }
    }

    /// The warning's lead: [`WARNING_LEAD_DAYS`], or half the period when an
    /// admin set a period so short (the minimum is 30 days) that the warning
    /// would otherwise go at once.
    pub fn lead_days(&self) -> u32 {
        WARNING_LEAD_DAYS.min(self.inactive_days / 2)
    }
}

/// What a pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// People told that their unused account will be deleted.
    pub warned: usize,
    /// Unused accounts erased after their warning.
    pub erased_inactive: usize,
    /// Sign-ups erased because their address was never confirmed.
    pub erased_unconfirmed: usize,
    /// Unused, warned, due, but the last administrator who can act.
    pub kept_last_admin: usize,
    /// Expired emailed links removed.
    pub links_purged: usize,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        *self == Report::default()
    }
}

/// What the pass decided for one account.
enum Due {
    Warn(Account),
    EraseInactive(AccountId, i64),
    EraseUnconfirmed(AccountId),
}

/// When the person last used their account: their last sign-in, or the
/// account's creation for someone who never signed in (an account made by
/// `parvis init` or confirmed but never used).
fn last_active(a: &Account) -> i64 {
    a.last_sign_in_at.map_or(a.created_at, |at| at.max(a.created_at))
}

/// One pass of the retention rules at `now`, in the caller's transaction.
pub fn run(tx: &WriteTx, keys: &Keys, policy: &Policy, now: i64) -> Result<Report, EraseError> {
    let inactive_secs = i64::from(policy.inactive_days) * DAY;
    let lead_secs = i64::from(policy.lead_days()) * DAY;
    let unconfirmed_secs = UNCONFIRMED_DAYS * DAY;
    // Tokens are few (a week's worth at most, once purged hourly); the bound
    // only matters on the first pass over a database that never purged them.
    let links_purged = super::links::purge_expired_tokens(tx, now, 10_000)?;
    let awaiting_confirmation = accounts_with_a_valid_confirmation_link(tx, now)?;

    let mut due = Vec::new();
    let mut stale_warnings = Vec::new();
    {
        let accounts = tx.open_table(ACCOUNT_BY_ID)?;
        let warnings = tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?;
        for row in accounts.iter()? {
            let (_, bytes) = row?;
            let a: Account = super::stored::read_account(tx.keys(), bytes.value())?;
            if a.is_erased() || a.invitation_pending() {
                continue;
            }
            if !a.email_confirmed {
                if a.created_at + unconfirmed_secs <= now && !awaiting_confirmation.contains(&a.id) {
                    due.push(Due::EraseUnconfirmed(a.id));
                }
                continue;
            }
            let last = last_active(&a);
            let warned_at = warnings.get(a.id)?.map(|v| v.value());
            // A sign-in after the warning restarts the clock.
            let warned_at = match warned_at {
                Some(at) if at < last => {
                    stale_warnings.push(a.id);
                    None
                }
                other => other,
            };
            match warned_at {
                None if now >= last + inactive_secs - lead_secs => due.push(Due::Warn(a)),
                Some(at) if now >= last + inactive_secs && now >= at + lead_secs => {
                    due.push(Due::EraseInactive(a.id, (now - last) / DAY));
                }
                _ => {}
            }
        }
    }
    {
        let mut warnings = tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?;
        for id in stale_warnings {
            warnings.remove(id)?;
        }
    }

    let by = Actor { account: None, ip: RETENTION.into() };
    let mut report = Report { links_purged, ..Report::default() };
    let mut done = 0;
    for item in due {
        if done >= policy.max_per_pass {
            break;
        }
        match item {
            Due::Warn(a) => {
                let delete_in_days = policy.lead_days();
                let inactive_days = u32::try_from((now - last_active(&a)) / DAY).unwrap_or(u32::MAX);
                tell(
                    tx,
                    &a,
                    Template::InactiveAccount {
                        name: a.display_name.clone(),
                        inactive_days,
                        delete_in_days,
                        link: policy.sign_in_link.clone(),
                    },
                )?;
                tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?.insert(a.id, now)?;
                report.warned += 1;
            }
            Due::EraseInactive(id, days) => match erase(tx, keys, id, now) {
                Ok(_) => {
                    by.record(tx, Action::AccountDeleted, Some(id), format!("unused for {days} days"), now)?;
                    report.erased_inactive += 1;
                }
                // Kept, and tried again at every pass: once another admin
                // exists, or this one signs in, the question settles itself.
                Err(EraseError::LastAdmin) => {
                    report.kept_last_admin += 1;
                    continue;
                }
                Err(EraseError::NotFound) => continue,
                Err(e @ EraseError::Store(_)) => return Err(e),
            },
            Due::EraseUnconfirmed(id) => match erase(tx, keys, id, now) {
                Ok(_) => {
                    by.record(tx, Action::AccountDeleted, Some(id), "address never confirmed", now)?;
                    report.erased_unconfirmed += 1;
                }
                Err(EraseError::LastAdmin | EraseError::NotFound) => continue,
                Err(e @ EraseError::Store(_)) => return Err(e),
            },
        }
        done += 1;
    }
    Ok(report)
}

/// The accounts that hold a confirmation link still valid at `now`: a link
/// sent again keeps its sign-up until it expires. Tokens are few (each
/// lives a week at most), so they are read in full.
fn accounts_with_a_valid_confirmation_link(
    tx: &WriteTx,
    now: i64,
) -> Result<std::collections::HashSet<AccountId>, EraseError> {
    let table = tx.open_table(EMAIL_TOKEN_BY_HASH)?;
    let mut out = std::collections::HashSet::new();
    for row in table.iter()? {
        let (_, bytes) = row?;
        let token: EmailToken = super::stored::read_token(tx.keys(), bytes.value())?;
        if token.purpose == TokenPurpose::ConfirmEmail && token.expires_at >= now {
            out.insert(token.account);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::{self, links, token_lifetime, Role, SignUp};
    use crate::domain::audit;
    use crate::i18n::Lang;
    use crate::mail::{outbox, OutgoingMail};
    use crate::store::Store;

    const T0: i64 = 1_800_000_000;
    const LINK: &str = "https://participer.example.fr/connexion";

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        (dir, store)
    }

    fn policy() -> Policy {
        Policy::new(1095, LINK)
    }

    /// A confirmed account created at `at`, in `lang`.
    async fn person(store: &Store, email: &str, role: Role, lang: Lang, at: i64) -> AccountId {
        let new = accounts::NewAccount {
            email: email.into(),
            display_name: "Camille Martin".into(),
            role,
            password_hash: "x".into(),
            must_change_password: false,
            language: lang,
            neighbourhood: Some("Centre".into()),
        };
        store
            .write(move |tx| {
                let id = accounts::create(tx, &new)?;
                accounts::update(tx, id, |a| a.created_at = at)?;
                Ok::<_, accounts::AccountError>(id)
            })
            .await
            .unwrap()
    }

    async fn pass(store: &Store, policy: &Policy, now: i64) -> Report {
        let p = policy.clone();
        let keys = store.keys().clone();
        store.write(move |tx| run(tx, &keys, &p, now)).await.unwrap()
    }

    fn mail(store: &Store) -> Vec<OutgoingMail> {
        outbox::due(&store.read().unwrap(), store.keys(), i64::MAX, 100).unwrap()
    }

    fn erased(store: &Store, id: AccountId) -> bool {
        accounts::get(&store.read().unwrap(), id).unwrap().unwrap().is_erased()
    }

    fn deletions(store: &Store) -> Vec<audit::Event> {
        let filter = audit::Filter { action: Some(Action::AccountDeleted), ..Default::default() };
        audit::list(&store.read().unwrap(), &filter, None, 100).unwrap().into_iter().map(|(_, e)| e).collect()
    }

    #[tokio::test]
    async fn an_unused_account_is_warned_once_then_erased_a_month_later() {
        let (_dir, store) = store();
        let p = policy();
        let id = person(&store, "camille@x.fr", Role::Resident, Lang::En, T0).await;
        let warn_at = T0 + (1095 - 30) * DAY;

        assert!(pass(&store, &p, warn_at - 1).await.is_empty(), "not yet");
        assert!(mail(&store).is_empty());
        assert_eq!(pass(&store, &p, warn_at).await, Report { warned: 1, ..Default::default() });
        let sent = mail(&store);
        assert_eq!((sent.len(), sent[0].to.as_str(), sent[0].lang), (1, "camille@x.fr", Lang::En));
        assert_eq!(
            sent[0].template,
            Template::InactiveAccount {
                name: "Camille Martin".into(),
                inactive_days: 1065,
                delete_in_days: 30,
                link: LINK.into()
            }
        );
        assert!(pass(&store, &p, warn_at + 3600).await.is_empty(), "warned once");
        assert!(pass(&store, &p, T0 + 1095 * DAY - 1).await.is_empty());
        assert_eq!(mail(&store).len(), 1);
        assert!(!erased(&store, id));

        assert_eq!(pass(&store, &p, T0 + 1095 * DAY).await, Report { erased_inactive: 1, ..Default::default() });
        assert!(erased(&store, id));
        let logged = deletions(&store);
        assert_eq!(logged.len(), 1);
        assert_eq!((logged[0].subject, logged[0].actor, logged[0].ip.as_str()), (Some(id), None, RETENTION));
        assert_eq!(logged[0].detail, "unused for 1095 days");
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
        assert!(pass(&store, &p, T0 + 1096 * DAY).await.is_empty());

        // `parvis verify` notices a warning left for an account that is gone.
        store
            .write(move |tx| {
                tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?.insert(id, T0)?;
                Ok::<_, crate::store::StoreError>(())
            })
            .await
            .unwrap();
        let problems = store.verify().unwrap().problems;
        assert!(problems.iter().any(|p| p.contains("inactivity warning")), "{problems:?}");
    }

    #[tokio::test]
    async fn signing_in_restarts_the_clock_and_a_late_warning_still_gives_a_month() {
        let (_dir, store) = store();
        let p = policy();
        let id = person(&store, "camille@x.fr", Role::Resident, Lang::Fr, T0).await;
        let warn_at = T0 + (1095 - 30) * DAY;
        assert_eq!(pass(&store, &p, warn_at).await.warned, 1);
        // Signs in the next week: the warning no longer counts.
        let back = warn_at + 7 * DAY;
        store.write(move |tx| accounts::update(tx, id, |a| a.last_sign_in_at = Some(back))).await.unwrap();
        assert!(pass(&store, &p, T0 + 1095 * DAY).await.is_empty());
        assert!(!erased(&store, id));
        assert!(store.read().unwrap().open_table(INACTIVITY_WARNING_BY_ACCOUNT).unwrap().get(id).unwrap().is_none());

        // The server was off when the next warning was due: it goes late, and
        // the deletion waits a full month after it.
        let late = back + 1200 * DAY;
        assert_eq!(pass(&store, &p, late).await.warned, 1);
        assert_eq!(mail(&store).len(), 2);
        assert!(pass(&store, &p, late + 30 * DAY - 1).await.is_empty());
        assert!(!erased(&store, id));
        assert_eq!(pass(&store, &p, late + 30 * DAY).await.erased_inactive, 1);
        assert!(erased(&store, id));
    }

    #[tokio::test]
    async fn the_team_is_treated_alike_but_the_last_admin_who_can_act_is_kept() {
        let (_dir, store) = store();
        let p = policy();
        let admin = person(&store, "admin@x.fr", Role::Admin, Lang::Fr, T0).await;
        let staff = person(&store, "voirie@x.fr", Role::Staff, Lang::Fr, T0).await;
        let warn_at = T0 + (1095 - 30) * DAY;
        assert_eq!(pass(&store, &p, warn_at).await.warned, 2);
        let r = pass(&store, &p, T0 + 1095 * DAY).await;
        assert_eq!(r, Report { erased_inactive: 1, kept_last_admin: 1, ..Default::default() });
        assert!(erased(&store, staff) && !erased(&store, admin));
        // Kept at every pass, never warned twice.
        assert_eq!(pass(&store, &p, T0 + 1100 * DAY).await, Report { kept_last_admin: 1, ..Default::default() });
        // The staff member's unsent warning went with the account (erase cancels it).
        let to: Vec<_> = mail(&store).into_iter().map(|m| m.to).collect();
        assert_eq!(to, ["admin@x.fr"]);
        assert!(store.verify().unwrap().is_ok());
    }

    #[tokio::test]
    async fn a_pass_does_a_bounded_amount_of_work() {
        let (_dir, store) = store();
        let mut p = policy();
        p.max_per_pass = 2;
        for i in 0..5 {
            person(&store, &format!("p{i}@x.fr"), Role::Resident, Lang::Fr, T0).await;
        }
        let warn_at = T0 + (1095 - 30) * DAY;
        assert_eq!(pass(&store, &p, warn_at).await.warned, 2);
        assert_eq!(pass(&store, &p, warn_at + 3600).await.warned, 2);
        assert_eq!(pass(&store, &p, warn_at + 7200).await.warned, 1);
        assert_eq!(mail(&store).len(), 5);
    }

    #[test]
    fn a_short_period_still_warns_ahead() {
        assert_eq!(Policy::new(30, LINK).lead_days(), 15);
        assert_eq!(Policy::new(1095, LINK).lead_days(), 30);
    }

    fn sign_up_form(email: &str) -> SignUp {
        SignUp {
            email: email.into(),
            display_name: "Sam".into(),
            password_hash: "x".into(),
            language: Lang::Fr,
            neighbourhood: None,
            age_bracket: None,
        }
    }

    #[test]
    fn an_unconfirmed_sign_up_outlives_its_confirmation_link() {
        assert!(UNCONFIRMED_DAYS * DAY >= token_lifetime(&TokenPurpose::ConfirmEmail));
    }

    #[tokio::test]
    async fn a_sign_up_never_confirmed_is_erased_once_its_link_has_expired() {
        let (_dir, store) = store();
        let p = policy();
        let link = "https://participer.example.fr/compte/confirmer?jeton=";
        let anon = Actor::anonymous("192.0.2.1");
        let (a, f) = (anon.clone(), sign_up_form("sam@x.fr"));
        let sam = store.write(move |tx| links::register(tx, &a, &f, link, T0)).await.unwrap().unwrap();
        let (a, f) = (anon.clone(), sign_up_form("lou@x.fr"));
        let lou = store.write(move |tx| links::register(tx, &a, &f, link, T0)).await.unwrap().unwrap();
        // Lou asks for the link again on the sixth day: it lives a week from then.
        let resent = T0 + 6 * DAY;
        store.write(move |tx| links::resend_confirmation(tx, "lou@x.fr", link, resent)).await.unwrap();
        let confirmed = person(&store, "kim@x.fr", Role::Resident, Lang::Fr, T0).await;

        assert!(pass(&store, &p, T0 + 7 * DAY - 1).await.is_empty());
        let r = pass(&store, &p, T0 + 7 * DAY + 1).await;
        assert_eq!(r, Report { erased_unconfirmed: 1, links_purged: 2, ..Default::default() }, "Sam's and Lou's first");
        assert!(erased(&store, sam) && !erased(&store, lou) && !erased(&store, confirmed));
        assert!(accounts::find_by_email(&store.read().unwrap(), "sam@x.fr").unwrap().is_none(), "the address is free");
        assert_eq!(deletions(&store)[0].detail, "address never confirmed");
        let r = pass(&store, &p, resent + 7 * DAY + 1).await;
        assert_eq!((r.erased_unconfirmed, r.links_purged), (1, 1));
        assert_eq!(store.read().unwrap().open_table(EMAIL_TOKEN_BY_HASH).unwrap().iter().unwrap().count(), 0);
        assert!(erased(&store, lou) && !erased(&store, confirmed));
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
    }
}
