//! The demo's pilot group (issue 16): « Conseil de quartier des Vignes »,
//! a few demo residents in it, and an idea box private to it with a couple
//! of proposals. One member signs in with a password written here, so that
//! the browser suite (`tests/browser/private.mjs`) opens the private box
//! as a member without the admin's scarce recovery codes: a demo's
//! resident, who can do nothing a sign-up could not.

use super::DemoError;
use crate::domain::accounts::{self, AccountError, AccountId, NewAccount, Role};
use crate::domain::audit::Actor;
use crate::domain::groups::{self, Process};
use crate::domain::ids::BoxId;
use crate::domain::proposals::{self, IdeaBox, NewProposal, Supporters};
use crate::store::Store;

pub const GROUP: &str = "Conseil de quartier des Vignes";
pub const MEMBER_EMAIL: &str = "membre.vignes@saint-exemple.test";
pub const MEMBER_PASSWORD: &str = "conseil-des-vignes-demo";
pub const BOX_TITLE: &str = "Pilote : la place des Vignes";

/// Writes the group, its members (`members` and the known member), the
/// private box and its proposals; nothing when a group exists already.
pub fn pilot_group(store: &Store, admin: AccountId, members: &[AccountId]) -> Result<(), DemoError> {
    if !groups::all(&*store.read()?)?.is_empty() {
        return Ok(());
    }
    let hash = accounts::hash_password(MEMBER_PASSWORD).map_err(DemoError::Residents)?;
    let member = store
        .writer()
        .write_blocking(move |tx| {
            let new = NewAccount {
                email: MEMBER_EMAIL.into(),
                display_name: "Camille des Vignes".into(),
                role: Role::Resident,
                password_hash: hash.clone(),
                must_change_password: false,
                language: crate::i18n::Lang::Fr,
                neighbourhood: None,
            };
            match accounts::create(tx, &new) {
                Ok(id) => Ok(id),
                Err(AccountError::EmailTaken) => {
                    accounts::find_by_email_in(tx, MEMBER_EMAIL)?.map(|a| a.id).ok_or(AccountError::NotFound)
                }
                Err(e) => Err(e),
            }
        })
        .map_err(DemoError::Residents)?;
    let now = crate::domain::now_unix();
    let people: Vec<AccountId> = std::iter::once(member).chain(members.iter().take(4).copied()).collect();
    let staff = Actor::person(admin, "127.0.0.1");
    let b = IdeaBox {
        id: BoxId(0),
        title: BOX_TITLE.into(),
        description: "Le conseil de quartier teste la boîte à idées avant son ouverture à tous : \
                      comment réaménager la place des Vignes ?"
            .into(),
        categories: vec!["Aménagement".into()],
        opens_at: now - 7 * 86_400,
        closes_at: now + 60 * 86_400,
        supporters: Supporters::Residents,
        threshold: 10,
        created_by: admin,
        created_at: now - 8 * 86_400,
    };
    store
        .writer()
        .write_blocking(move |tx| {
            let group = groups::create(tx, &staff, GROUP, now)?;
            let token = groups::create_link(tx, &staff, group, now + 365 * 86_400, now)?;
            for who in &people {
                groups::accept(tx, &Actor::person(*who, "127.0.0.1"), &token, now)?;
            }
            let id = proposals::create_box(tx, b.clone()).map_err(|e| demo_store(e.to_string()))?;
            groups::make_private(tx, &staff, Process::IdeaBox(id), group, now)?;
            let ideas = [
                (
                    people[0],
                    "Des bancs à l'ombre du tilleul",
                    "Trois bancs sous le grand tilleul, pour les anciens du quartier.",
                ),
                (
                    people[people.len() - 1],
                    "Une fontaine à eau potable",
                    "L'été, la place est brûlante : une fontaine ferait du bien.",
                ),
            ];
            for (author, title, body) in ideas {
                let new =
                    NewProposal { box_id: id, author, title: title.into(), body: body.into(), ..Default::default() };
                proposals::post(tx, &new, now - 86_400).map_err(|e| demo_store(e.to_string()))?;
            }
            Ok::<_, groups::GroupError>(())
        })
        .map_err(DemoError::Groups)
}

fn demo_store(text: String) -> groups::GroupError {
    groups::GroupError::Store(crate::store::StoreError::Invalid(text))
}
