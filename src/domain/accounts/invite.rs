//! Inviting a member of the town hall's team, and the invitation accepted;
//! changing someone's role and service.
//!
//! An invited account exists from the invitation on, with a password nobody
//! knows, so that its role and service show in the list; it can be used only
//! once the emailed link has been followed and a password chosen.

use crate::store::WriteTx;

use super::{
    create, find_by_email_in, get_in, issue_token, take_token, update, Account, AccountError, AccountId, NewAccount,
    Role, TokenPurpose,
};
use crate::domain::audit::{Action, Actor};
use crate::i18n::Lang;
use crate::mail::{outbox, NewMail, Template};

impl Account {
    /// Invited, link not followed yet: inviting the address again is allowed
    /// (a lost message, a wrong role).
    pub fn invitation_pending(&self) -> bool {
        self.must_change_password && !self.email_confirmed && self.last_sign_in_at.is_none() && !self.is_erased()
    }
}

/// What an admin fills in to invite someone.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub service: Option<String>,
    /// The invited person's language is not known yet: the commune's.
    pub language: Lang,
    /// A hash of a password nobody knows: a real argon2 hash keeps every
    /// check uniform.
    pub unusable_password_hash: String,
}

fn admin(tx: &WriteTx, actor: &Actor) -> Result<Account, AccountError> {
    let id = actor.account.ok_or(AccountError::NotAllowed)?;
    get_in(tx, id)?.filter(|a| a.role == Role::Admin && !a.blocked && !a.is_erased()).ok_or(AccountError::NotAllowed)
}

/// Creates (or updates, when still pending) the invited account and mails
/// the link. An address that already has an active account is refused
/// with [`AccountError::EmailTaken`].
pub fn invite(
    tx: &WriteTx,
    actor: &Actor,
    invitation: &Invitation,
    link: &str,
    now: i64,
) -> Result<AccountId, AccountError> {
    let inviter = admin(tx, actor)?;
    let i = invitation;
    let name = i.display_name.trim().to_string();
    let id = match find_by_email_in(tx, &i.email)? {
        Some(a) if a.invitation_pending() => {
            update(tx, a.id, |a| {
                a.display_name = name.clone();
                a.role = i.role;
                a.service = i.service.clone();
            })?;
            a.id
        }
        Some(_) => return Err(AccountError::EmailTaken),
        None => {
            let new = NewAccount {
                email: i.email.clone(),
                display_name: name.clone(),
                role: i.role,
                password_hash: i.unusable_password_hash.clone(),
                must_change_password: true,
                language: i.language,
                neighbourhood: None,
            };
            let id = create(tx, &new)?;
            // Unproved until the link is followed.
            update(tx, id, |a| {
                a.email_confirmed = false;
                a.service = i.service.clone();
            })?;
            id
        }
    };
    let to = get_in(tx, id)?.ok_or(AccountError::NotFound)?;
    let token = issue_token(tx, id, TokenPurpose::Invitation, now)?;
    outbox::enqueue(
        tx,
        NewMail {
            to: to.email.clone(),
            lang: i.language,
            template: Template::StaffInvitation {
                inviter: inviter.display_name.clone(),
                role: i.role.as_str().to_string(),
                service: i.service.clone(),
                link: format!("{link}{token}"),
            },
        },
    )?;
    let detail = format!("role: {}; service: {}", i.role.as_str(), i.service.as_deref().unwrap_or("—"));
    actor.record(tx, Action::StaffInvited, Some(id), detail, now)?;
    Ok(id)
}

/// Accepts an invitation: the person's name and password are set and the
/// address is proved; the token is used up. `None` when the token is not a
/// valid invitation or the account was deleted meanwhile (the token is
/// used up all the same).
pub fn accept_invitation(
    tx: &WriteTx,
    actor: &Actor,
    token: &str,
    display_name: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<AccountId>, AccountError> {
    let token = match take_token(tx, token, now) {
        Ok(t) if t.purpose == TokenPurpose::Invitation => t,
        Ok(_) | Err(AccountError::TokenInvalid) => return Ok(None),
        Err(e) => return Err(e),
    };
    if get_in(tx, token.account)?.is_none_or(|a| a.is_erased()) {
        return Ok(None);
    }
    update(tx, token.account, |a| {
        a.display_name = display_name.trim().to_string();
        a.password_hash = password_hash.to_string();
        a.must_change_password = false;
        a.email_confirmed = true;
    })?;
    Actor::person(token.account, actor.ip.clone()).record(
        tx,
        Action::InvitationAccepted,
        Some(token.account),
        "",
        now,
    )?;
    Ok(Some(token.account))
}

/// "role: resident → staff; service: — → voirie": only what changed.
pub fn change_detail(before: &Account, after: &Account) -> String {
    let mut parts = Vec::new();
    if before.role != after.role {
        parts.push(format!("role: {} → {}", before.role.as_str(), after.role.as_str()));
    }
    if before.service != after.service {
        let shown = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
        parts.push(format!("service: {} → {}", shown(&before.service), shown(&after.service)));
    }
    parts.join("; ")
}

/// Sets someone's role and service (an admin's act); returns whether
/// anything changed. An admin cannot lower their own role: the commune
/// could be left without an administrator.
pub fn change_role(
    tx: &WriteTx,
    actor: &Actor,
    target: AccountId,
    role: Role,
    service: Option<String>,
    now: i64,
) -> Result<bool, AccountError> {
    let me = admin(tx, actor)?;
    if me.id == target && role < Role::Admin {
        return Err(AccountError::OwnAccount);
    }
    let before = get_in(tx, target)?.ok_or(AccountError::NotFound)?;
    if before.is_erased() {
        return Err(AccountError::Erased);
    }
    let service = service.filter(|s| !s.is_empty());
    let after = update(tx, target, |a| {
        a.role = role;
        a.service = service.clone();
    })?;
    let detail = change_detail(&before, &after);
    if detail.is_empty() {
        return Ok(false);
    }
    actor.record(tx, Action::RoleChanged, Some(target), detail, now)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts;
    use crate::domain::audit;
    use crate::store::Store;

    const LINK: &str = "https://participer.example.fr/invitation?jeton=";

    fn account(role: Role, service: Option<&str>) -> Account {
        Account {
            id: AccountId(1),
            email: "a@b.fr".into(),
            display_name: "A".into(),
            role,
            password_hash: String::new(),
            must_change_password: false,
            language: Lang::Fr,
            neighbourhood: None,
            age_bracket: None,
            created_at: 0,
            email_confirmed: true,
            blocked: false,
            service: service.map(String::from),
            last_sign_in_at: None,
            erased_at: None,
        }
    }

    #[test]
    fn the_detail_of_a_change_names_only_what_changed() {
        let a = account(Role::Resident, None);
        let b = account(Role::Staff, Some("voirie"));
        assert_eq!(change_detail(&a, &b), "role: resident → staff; service: — → voirie");
        assert_eq!(change_detail(&b, &account(Role::Staff, None)), "service: voirie → —");
        assert_eq!(change_detail(&a, &a), "");
    }

    fn invitation(email: &str, role: Role) -> Invitation {
        Invitation {
            email: email.into(),
            display_name: "Sam Mairie".into(),
            role,
            service: Some("voirie".into()),
            language: Lang::Fr,
            unusable_password_hash: "x".into(),
        }
    }

    #[tokio::test]
    async fn an_invitation_mails_one_link_is_accepted_once_and_only_admins_invite_and_change_roles() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let admin_new = NewAccount {
            email: "admin@x.fr".into(),
            display_name: "Admin".into(),
            role: Role::Admin,
            password_hash: "x".into(),
            must_change_password: false,
            language: Lang::Fr,
            neighbourhood: None,
        };
        let admin_id = store.write(move |tx| accounts::create(tx, &admin_new)).await.unwrap();
        let by = Actor::person(admin_id, "192.0.2.1");

        let (a, i) = (by.clone(), invitation("sam@x.fr", Role::Staff));
        let id = store.write(move |tx| invite(tx, &a, &i, LINK, 10)).await.unwrap();
        let sent = outbox::due(&store.read().unwrap(), &crate::crypto::Keys::for_tests(), i64::MAX, 10).unwrap();
        assert_eq!(sent.len(), 1);
        let Template::StaffInvitation { link, role, .. } = &sent[0].template else { panic!("{:?}", sent[0]) };
        assert_eq!(role, "staff");
        let token = link.strip_prefix(LINK).unwrap().to_string();
        // Only an admin invites.
        let (a, i) = (Actor::person(id, "192.0.2.1"), invitation("other@x.fr", Role::Staff));
        assert!(matches!(store.write(move |tx| invite(tx, &a, &i, LINK, 10)).await, Err(AccountError::NotAllowed)));

        let (a, t) = (Actor::anonymous("192.0.2.2"), token.clone());
        assert_eq!(store.write(move |tx| accept_invitation(tx, &a, &t, " Sam ", "h", 20)).await.unwrap(), Some(id));
        let sam = accounts::get(&store.read().unwrap(), id).unwrap().unwrap();
        assert!(sam.email_confirmed && !sam.invitation_pending() && sam.display_name == "Sam");
        let a = Actor::anonymous("192.0.2.2");
        let again = store.write(move |tx| accept_invitation(tx, &a, &token, "Sam", "h", 21)).await;
        assert_eq!(again.unwrap(), None);
        // An active account cannot be invited again.
        let (a, i) = (by.clone(), invitation("sam@x.fr", Role::Admin));
        assert!(matches!(store.write(move |tx| invite(tx, &a, &i, LINK, 30)).await, Err(AccountError::EmailTaken)));

        let a = by.clone();
        let demoted = store.write(move |tx| change_role(tx, &a, admin_id, Role::Staff, None, 40)).await;
        assert!(matches!(demoted, Err(AccountError::OwnAccount)));
        let a = by.clone();
        assert!(store.write(move |tx| change_role(tx, &a, id, Role::Moderator, None, 40)).await.unwrap());
        let a = by.clone();
        assert!(!store
            .write(move |tx| change_role(tx, &a, id, Role::Moderator, Some(String::new()), 41))
            .await
            .unwrap());
        let filter = audit::Filter { action: Some(Action::RoleChanged), ..Default::default() };
        let changes = audit::list(&store.read().unwrap(), &filter, None, 10).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].1.detail, "role: staff → moderator; service: voirie → —");
    }
}
