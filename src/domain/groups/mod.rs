//! Pilot groups and private processes (issue 16).
//!
//! Staff name groups of residents ("Conseil de quartier des Vignes") and
//! let people join them by an emailed invitation (single use) or by an
//! invitation link staff share (used by many, until the date staff chose or
//! until revoked). Any process — idea box, consultation, budget, meeting —
//! may be made private to one group: its members and staff see it and take
//! part as usual; for everyone else it does not exist.
//!
//! [`may_see`] is the one rule of who sees a private process; the pages,
//! the listings, search, feeds and `domain::publication` (hence the API and
//! the open-data export) all ask it. A private process is opened to
//! everyone, keeping its contributions, only after its contributors were
//! told ([`announce_opening`], then [`open`]).

pub mod tables;
#[cfg(test)]
mod tests;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::domain::accounts::{self, AccountId};
use crate::domain::audit::{Action, Actor};
use crate::domain::budgets::ProcessId;
use crate::domain::changes::{self, ContentKind};
use crate::domain::consultations::ConsultationId;
use crate::domain::ids::{BoxId, CommentId, MeetingId, ProposalId};
use crate::i18n::{Arg, Lang};
use crate::mail::{outbox, NewMail, Template};
use crate::store::{decode, encode, Record, StoreError, Tx, WriteTx};
use tables::*;

/// The longest group name accepted.
pub const MAX_NAME: usize = 120;

/// A group's number.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(transparent)]
pub struct GroupId(pub u64);

impl GroupId {
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for GroupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A named group of residents.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub created_at: i64,
    pub created_by: Option<AccountId>,
}

impl Record for Group {
    const NAME: &'static str = "group";
    const VERSION: u8 = 1;
}

/// How an invitation reaches people. Stored by position: add at the end.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum InvitationKind {
    /// Mailed to one address; used once.
    Email { email: String },
    /// A link staff share (a meeting, a letter); used by anyone holding it.
    /// The token is kept so that staff can copy the link again: it is meant
    /// to be handed round, unlike an emailed one.
    Link { token: String },
}

/// An invitation to join a group.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Invitation {
    pub group: GroupId,
    pub kind: InvitationKind,
    pub created_at: i64,
    pub created_by: Option<AccountId>,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    /// An emailed invitation: who accepted it, when.
    pub used: Option<(AccountId, i64)>,
    /// How many people joined through it.
    pub joined: u64,
}

impl Record for Invitation {
    const NAME: &'static str = "group invitation";
    const VERSION: u8 = 1;
}

impl Invitation {
    /// Why it can no longer be used at `now`, if it cannot.
    pub fn refusal(&self, now: i64) -> Option<GroupError> {
        if self.revoked_at.is_some() {
            Some(GroupError::InvitationRevoked)
        } else if self.used.is_some() {
            Some(GroupError::InvitationUsed)
        } else if self.expires_at < now {
            Some(GroupError::InvitationExpired)
        } else {
            None
        }
    }
}

/// A private process whose opening to everyone was announced.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Opening {
    pub announced_at: i64,
    /// When it becomes public (the worker opens it then; staff may open it
    /// sooner, the announcement being sent).
    pub opens_at: i64,
    pub announced_by: Option<AccountId>,
    /// How many contributors were told.
    pub told: u64,
}

impl Record for Opening {
    const NAME: &'static str = "process opening";
    const VERSION: u8 = 1;
}

/// A process that may be private.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Process {
    IdeaBox(BoxId),
    Consultation(ConsultationId),
    Budget(ProcessId),
    Meeting(MeetingId),
}

impl Process {
    pub const KINDS: [&'static str; 4] = ["idea-box", "consultation", "budget", "meeting"];

    /// (kind code, id): the tables' key.
    pub fn key(self) -> (&'static str, u64) {
        match self {
            Process::IdeaBox(id) => ("idea-box", id.0),
            Process::Consultation(id) => ("consultation", id.0),
            Process::Budget(id) => ("budget", id.0),
            Process::Meeting(id) => ("meeting", id.0),
        }
    }

    pub fn from_key(kind: &str, id: u64) -> Option<Process> {
        Some(match kind {
            "idea-box" => Process::IdeaBox(BoxId(id)),
            "consultation" => Process::Consultation(ConsultationId(id)),
            "budget" => Process::Budget(ProcessId(id)),
            "meeting" => Process::Meeting(MeetingId(id)),
            _ => return None,
        })
    }

    /// Its public page, from the site's root.
    pub fn path(self) -> String {
        match self {
            Process::IdeaBox(id) => format!("/idees/{}", id.0),
            Process::Consultation(id) => format!("/consultations/{}", id.0),
            Process::Budget(id) => format!("/budgets/{}", id.0),
            Process::Meeting(id) => format!("/rendez-vous/{}", id.0),
        }
    }

    /// Its title; `None` when it does not exist.
    pub fn title(self, tx: &impl Tx) -> Result<Option<String>, StoreError> {
        Ok(match self {
            Process::IdeaBox(id) => crate::domain::proposals::get_box(tx, id)?.map(|b| b.title),
            Process::Consultation(id) => crate::domain::consultations::get(tx, id)?.map(|c| c.title),
            Process::Budget(id) => crate::domain::budgets::get(tx, id)?.map(|b| b.title),
            Process::Meeting(id) => crate::domain::meetings::get(tx, id)?.map(|m| m.title),
        })
    }

    /// The accounts that contributed to it, each once, in id order: those
    /// told before it is opened to everyone.
    pub fn contributors(self, tx: &impl Tx) -> Result<Vec<AccountId>, StoreError> {
        let mut out = std::collections::BTreeSet::new();
        match self {
            Process::IdeaBox(id) => {
                for p in crate::domain::proposals::all_ids_in(tx)? {
                    if let Some(p) = crate::domain::proposals::get(tx, p)? {
                        if p.box_id == id && p.origin.is_none() {
                            out.insert(p.author);
                        }
                    }
                }
            }
            Process::Consultation(id) => out.extend(crate::domain::consultations::respondent_accounts(tx, id)?),
            Process::Budget(id) => out.extend(crate::domain::budgets::contributor_accounts(tx, id)?),
            Process::Meeting(id) => out.extend(crate::domain::meetings::registered_accounts(tx, id)?),
        }
        Ok(out.into_iter().collect())
    }
}

/// Who is looking: what [`may_see`] decides on. Built by the pages from the
/// session, by the API and the export as [`Viewer::PUBLIC`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    pub account: Option<AccountId>,
    /// Staff and admins (with two-factor authentication) see every process.
    pub staff: bool,
}

impl Viewer {
    /// A visitor, the API, the open-data export, a feed reader, a search
    /// engine: the public.
    pub const PUBLIC: Viewer = Viewer { account: None, staff: false };

    pub fn person(account: AccountId, staff: bool) -> Viewer {
        Viewer { account: Some(account), staff }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    #[error("no such group")]
    NotFound,
    #[error("a name is needed")]
    EmptyName,
    #[error("the name is too long")]
    NameTooLong,
    #[error("another group has this name")]
    NameTaken,
    #[error("not a valid email address")]
    InvalidEmail,
    #[error("the date is not in the future")]
    BadDate,
    #[error("no such invitation")]
    InvitationUnknown,
    #[error("the invitation has expired")]
    InvitationExpired,
    #[error("the invitation was revoked")]
    InvitationRevoked,
    #[error("the invitation was already used")]
    InvitationUsed,
    #[error("no such process")]
    NoProcess,
    #[error("the process is public")]
    AlreadyPublic,
    #[error("the opening was not announced to the contributors")]
    NotAnnounced,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<redb::TableError> for GroupError {
    fn from(e: redb::TableError) -> GroupError {
        GroupError::Store(e.into())
    }
}

impl From<redb::StorageError> for GroupError {
    fn from(e: redb::StorageError) -> GroupError {
        GroupError::Store(e.into())
    }
}

impl From<accounts::AccountError> for GroupError {
    fn from(e: accounts::AccountError) -> GroupError {
        match e {
            accounts::AccountError::Store(s) => GroupError::Store(s),
            accounts::AccountError::InvalidEmail => GroupError::InvalidEmail,
            other => GroupError::Store(StoreError::Invalid(other.to_string())),
        }
    }
}

// ---------------------------------------------------------------- audience

/// The group `process` is private to; `None` when it is public.
pub fn audience_of(tx: &impl Tx, process: Process) -> Result<Option<GroupId>, StoreError> {
    let table = tx.open(GROUP_ID_BY_PROCESS)?;
    let found = table.get(process.key())?;
    Ok(found.map(|g| GroupId(g.value())))
}

/// Whether everyone may see `process` (it is private to no group).
pub fn is_public(tx: &impl Tx, process: Process) -> Result<bool, StoreError> {
    Ok(audience_of(tx, process)?.is_none())
}

/// The rule: a public process is everyone's; a private one is seen only by
/// staff and by its group's members. Everyone else must find no trace of
/// it: the pages answer 404 (not 403, which would say it exists).
pub fn may_see(tx: &impl Tx, viewer: Viewer, process: Process) -> Result<bool, StoreError> {
    match audience_of(tx, process)? {
        None => Ok(true),
        Some(_) if viewer.staff => Ok(true),
        Some(group) => match viewer.account {
            Some(account) => is_member(tx, group, account),
            None => Ok(false),
        },
    }
}

/// The process a piece of content belongs to: a proposal's box, a
/// comment's discussion's; `None` for what belongs to none (a report, a page).
pub fn process_of(tx: &impl Tx, target: changes::Target) -> Result<Option<Process>, StoreError> {
    Ok(match target.kind {
        ContentKind::Proposal => {
            crate::domain::proposals::get(tx, ProposalId(target.id))?.map(|p| Process::IdeaBox(p.box_id))
        }
        ContentKind::Consultation => Some(Process::Consultation(ConsultationId(target.id))),
        ContentKind::Meeting => Some(Process::Meeting(MeetingId(target.id))),
        ContentKind::Comment => match crate::domain::comments::get(tx, CommentId(target.id))? {
            Some(c) if c.target.kind != ContentKind::Comment => process_of(tx, c.target)?,
            Some(_) | None => None,
        },
        ContentKind::Report | ContentKind::Page => None,
    })
}

/// Whether `viewer` may see a piece of content: search asks it of every
/// document it loads (with [`Viewer::PUBLIC`]: the index is the public's).
pub fn may_see_content(tx: &impl Tx, viewer: Viewer, target: changes::Target) -> Result<bool, StoreError> {
    match process_of(tx, target)? {
        Some(p) => may_see(tx, viewer, p),
        None => Ok(true),
    }
}

/// The process's content changed audience: search loads each piece again
/// (and drops or adds it), through the change log.
fn audience_changed(tx: &WriteTransaction, process: Process) -> Result<(), StoreError> {
    let mut targets = Vec::new();
    match process {
        Process::IdeaBox(b) => {
            for id in crate::domain::proposals::all_ids_in(tx)? {
                if crate::domain::proposals::get(tx, id)?.is_some_and(|p| p.box_id == b) {
                    targets.push(changes::Target::new(ContentKind::Proposal, id.get()));
                }
            }
        }
        Process::Consultation(c) => targets.push(changes::Target::new(ContentKind::Consultation, c.0)),
        Process::Meeting(m) => targets.push(changes::Target::new(ContentKind::Meeting, m.0)),
        Process::Budget(_) => {}
    }
    for t in targets {
        changes::record(tx, t)?;
        for c in crate::domain::comments::ids_of_target(tx, t)? {
            changes::record(tx, changes::Target::new(ContentKind::Comment, c.get()))?;
        }
    }
    Ok(())
}

/// Every private process, with its group.
pub fn private_processes(tx: &impl Tx) -> Result<Vec<(Process, GroupId)>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(GROUP_ID_BY_PROCESS)?.iter()? {
        let (key, group) = row?;
        let (kind, id) = key.value();
        if let Some(p) = Process::from_key(kind, id) {
            out.push((p, GroupId(group.value())));
        }
    }
    Ok(out)
}

/// Staff make `process` private to `group` (a pilot). Making a process
/// public again is [`open`], after [`announce_opening`].
pub fn make_private(
    tx: &WriteTransaction,
    actor: &Actor,
    process: Process,
    group: GroupId,
    now: i64,
) -> Result<(), GroupError> {
    get(tx, group)?.ok_or(GroupError::NotFound)?;
    if process.title(tx)?.is_none() {
        return Err(GroupError::NoProcess);
    }
    tx.open_table(GROUP_ID_BY_PROCESS)?.insert(process.key(), group.get())?;
    audience_changed(tx, process)?;
    // An open-data archive made before holds it: the next download makes
    // the archive again without it.
    crate::domain::opendata::withdrawn(tx)?;
    let (kind, id) = process.key();
    actor.record(tx, Action::GroupChanged, None, format!("{kind} {id} made private to group {group}"), now)?;
    Ok(())
}

// ---------------------------------------------------------------- groups

pub fn get(tx: &impl Tx, id: GroupId) -> Result<Option<Group>, StoreError> {
    crate::store::record(tx, GROUP_BY_ID, id.get())
}

/// Every group, by number.
pub fn all(tx: &impl Tx) -> Result<Vec<Group>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(GROUP_BY_ID)?.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// Staff create a group. Audited.
pub fn create(tx: &WriteTransaction, actor: &Actor, name: &str, now: i64) -> Result<GroupId, GroupError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(GroupError::EmptyName);
    }
    if name.chars().count() > MAX_NAME {
        return Err(GroupError::NameTooLong);
    }
    if all(tx)?.iter().any(|g| g.name.to_lowercase() == name.to_lowercase()) {
        return Err(GroupError::NameTaken);
    }
    let mut counters = tx.open_table(GROUP_COUNTER_BY_NAME)?;
    let id = counters.get("next_group")?.map(|v| v.value()).unwrap_or(1);
    counters.insert("next_group", id + 1)?;
    let group = Group { id: GroupId(id), name: name.clone(), created_at: now, created_by: actor.account };
    tx.open_table(GROUP_BY_ID)?.insert(id, encode(&group)?.as_slice())?;
    actor.record(tx, Action::GroupChanged, None, format!("group {id} created: {name}"), now)?;
    Ok(GroupId(id))
}

pub fn is_member(tx: &impl Tx, group: GroupId, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open(GROUP_MEMBER_BY_GROUP_ACCOUNT)?.get((group.get(), account.get()))?.is_some())
}

/// A group's members with the date they joined, by account number.
pub fn members(tx: &impl Tx, group: GroupId) -> Result<Vec<(AccountId, i64)>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(GROUP_MEMBER_BY_GROUP_ACCOUNT)?.range((group.get(), 0)..=(group.get(), u64::MAX))? {
        let (key, at) = row?;
        out.push((AccountId(key.value().1), at.value()));
    }
    Ok(out)
}

/// Adds `account` to `group` (nothing when already a member).
fn add_member(tx: &WriteTransaction, group: GroupId, account: AccountId, now: i64) -> Result<bool, StoreError> {
    let mut table = tx.open_table(GROUP_MEMBER_BY_GROUP_ACCOUNT)?;
    if table.get((group.get(), account.get()))?.is_some() {
        return Ok(false);
    }
    table.insert((group.get(), account.get()), now)?;
    Ok(true)
}

/// Staff remove a member: they no longer see the group's private
/// processes (what they posted there stays). Audited.
pub fn remove_member(
    tx: &WriteTransaction,
    actor: &Actor,
    group: GroupId,
    account: AccountId,
    now: i64,
) -> Result<(), GroupError> {
    get(tx, group)?.ok_or(GroupError::NotFound)?;
    if tx.open_table(GROUP_MEMBER_BY_GROUP_ACCOUNT)?.remove((group.get(), account.get()))?.is_none() {
        return Err(GroupError::NotFound);
    }
    actor.record(tx, Action::GroupChanged, Some(account), format!("removed from group {group}"), now)?;
    Ok(())
}

// ---------------------------------------------------------------- invitations

fn hash_token(token: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("parvis-group-invitation:{}", token.trim()).as_bytes()).into()
}

fn new_token() -> Result<String, GroupError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| GroupError::Store(StoreError::Invalid(e.to_string())))?;
    Ok(hex::encode(bytes))
}

fn save_invitation(tx: &WriteTransaction, hash: &[u8; 32], i: &Invitation) -> Result<(), StoreError> {
    tx.open_table(GROUP_INVITATION_BY_HASH)?.insert(hash, encode(i)?.as_slice())?;
    tx.open_table(GROUP_INVITATION_HASH_BY_GROUP)?.insert((i.group.get(), hash), ())?;
    Ok(())
}

/// The address of the page an invitation token leads to, from the site's root.
pub fn invitation_path(token: &str) -> String {
    format!("/groupes/rejoindre/{token}")
}

/// Staff invite `email` to `group`: a single-use link, valid `days` days,
/// mailed through the outbox in `lang`. Returns the token.
#[allow(clippy::too_many_arguments)]
pub fn invite_by_email(
    tx: &WriteTransaction,
    actor: &Actor,
    group: GroupId,
    email: &str,
    days: u32,
    base_url: &str,
    lang: Lang,
    now: i64,
) -> Result<String, GroupError> {
    let g = get(tx, group)?.ok_or(GroupError::NotFound)?;
    let email = accounts::normalise_email(email)?;
    let token = new_token()?;
    let expires_at = now + i64::from(days) * 86_400;
    let invitation = Invitation {
        group,
        kind: InvitationKind::Email { email: email.clone() },
        created_at: now,
        created_by: actor.account,
        expires_at,
        revoked_at: None,
        used: None,
        joined: 0,
    };
    save_invitation(tx, &hash_token(&token), &invitation)?;
    let args = [("group", Arg::from(g.name.as_str())), ("days", Arg::from(u64::from(days)))];
    let link = format!("{}{}", base_url.trim_end_matches('/'), invitation_path(&token));
    outbox::enqueue_at(
        tx,
        NewMail {
            to: email,
            lang,
            template: Template::Notification {
                name: String::new(),
                subject: lang.ta("group-mail-invitation-subject", &args),
                text: lang.ta("group-mail-invitation-text", &args),
                link: Some(link),
            },
        },
        now,
    )?;
    actor.record(tx, Action::GroupChanged, None, format!("invitation to group {group} mailed"), now)?;
    Ok(token)
}

/// Staff create an invitation link to `group`, valid until `expires_at`
/// (a date they choose). Returns the token.
pub fn create_link(
    tx: &WriteTransaction,
    actor: &Actor,
    group: GroupId,
    expires_at: i64,
    now: i64,
) -> Result<String, GroupError> {
    get(tx, group)?.ok_or(GroupError::NotFound)?;
    if expires_at <= now {
        return Err(GroupError::BadDate);
    }
    let token = new_token()?;
    let invitation = Invitation {
        group,
        kind: InvitationKind::Link { token: token.clone() },
        created_at: now,
        created_by: actor.account,
        expires_at,
        revoked_at: None,
        used: None,
        joined: 0,
    };
    save_invitation(tx, &hash_token(&token), &invitation)?;
    actor.record(tx, Action::GroupChanged, None, format!("invitation link to group {group} created"), now)?;
    Ok(token)
}

/// A group's invitations, newest first, each with the hex of its key (what
/// the revoke form names).
pub fn invitations(tx: &impl Tx, group: GroupId) -> Result<Vec<(String, Invitation)>, StoreError> {
    let index = tx.open(GROUP_INVITATION_HASH_BY_GROUP)?;
    let table = tx.open(GROUP_INVITATION_BY_HASH)?;
    let mut out = Vec::new();
    for row in index.range((group.get(), &[0u8; 32])..=(group.get(), &[0xffu8; 32]))? {
        let hash = *row?.0.value().1;
        if let Some(bytes) = table.get(&hash)? {
            out.push((hex::encode(hash), decode::<Invitation>(bytes.value())?));
        }
    }
    out.sort_by_key(|(_, i)| std::cmp::Reverse(i.created_at));
    Ok(out)
}

/// Staff revoke an invitation (a link handed round too widely, a wrong
/// address); whoever follows it then is told so. Audited.
pub fn revoke(tx: &WriteTransaction, actor: &Actor, group: GroupId, key_hex: &str, now: i64) -> Result<(), GroupError> {
    let mut hash = [0u8; 32];
    hex::decode_to_slice(key_hex, &mut hash).map_err(|_| GroupError::InvitationUnknown)?;
    let mut invitation: Invitation = {
        let table = tx.open_table(GROUP_INVITATION_BY_HASH)?;
        let found = table.get(&hash)?;
        found.map(|b| decode(b.value())).transpose()?.ok_or(GroupError::InvitationUnknown)?
    };
    if invitation.group != group {
        return Err(GroupError::InvitationUnknown);
    }
    if invitation.revoked_at.is_none() {
        invitation.revoked_at = Some(now);
        save_invitation(tx, &hash, &invitation)?;
        actor.record(tx, Action::GroupChanged, None, format!("invitation to group {group} revoked"), now)?;
    }
    Ok(())
}

/// The invitation `token` names and its group, if it may still be used;
/// else why not. Reads only: the page a link leads to shows this.
pub fn check_invitation(tx: &impl Tx, token: &str, now: i64) -> Result<(Invitation, Group), GroupError> {
    let invitation: Invitation = {
        let table = tx.open(GROUP_INVITATION_BY_HASH)?;
        let found = table.get(&hash_token(token))?;
        found.map(|b| decode(b.value())).transpose()?.ok_or(GroupError::InvitationUnknown)?
    };
    if let Some(refusal) = invitation.refusal(now) {
        return Err(refusal);
    }
    let group = get(tx, invitation.group)?.ok_or(GroupError::InvitationUnknown)?;
    Ok((invitation, group))
}

/// A signed-in resident accepts an invitation and joins its group (an
/// emailed one is used up, whoever accepts it: the link is the proof).
/// Joining twice is not an error. Audited.
pub fn accept(tx: &WriteTransaction, actor: &Actor, token: &str, now: i64) -> Result<GroupId, GroupError> {
    let account = actor.account.ok_or(GroupError::InvitationUnknown)?;
    let (mut invitation, group) = check_invitation(tx, token, now)?;
    if matches!(invitation.kind, InvitationKind::Email { .. }) {
        invitation.used = Some((account, now));
    }
    if add_member(tx, group.id, account, now)? {
        invitation.joined += 1;
        actor.record(tx, Action::GroupJoined, Some(account), format!("joined group {}", group.id), now)?;
    }
    save_invitation(tx, &hash_token(token), &invitation)?;
    Ok(group.id)
}

// ---------------------------------------------------------------- opening

/// The announced opening of `process`, if any.
pub fn opening_of(tx: &impl Tx, process: Process) -> Result<Option<Opening>, StoreError> {
    let table = tx.open(GROUP_OPENING_BY_PROCESS)?;
    let found = table.get(process.key())?;
    found.map(|b| decode(b.value())).transpose()
}

/// Staff announce that private `process` becomes public at `opens_at`:
/// each contributor is mailed, in their language, before anything of
/// theirs is shown to everyone. Announcing again (a new date) mails again.
pub fn announce_opening(
    tx: &WriteTx,
    actor: &Actor,
    process: Process,
    opens_at: i64,
    base_url: &str,
    now: i64,
) -> Result<u64, GroupError> {
    if is_public(&**tx, process)? {
        return Err(GroupError::AlreadyPublic);
    }
    if opens_at < now {
        return Err(GroupError::BadDate);
    }
    let title = process.title(&**tx)?.ok_or(GroupError::NoProcess)?;
    let link = format!("{}{}", base_url.trim_end_matches('/'), process.path());
    let date = jiff::Timestamp::from_second(opens_at)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC)))
        .map(|z| z.strftime("%d/%m/%Y").to_string())
        .unwrap_or_default();
    let mut told = 0;
    for account in process.contributors(&**tx)? {
        let Some(a) = accounts::get(tx, account)? else { continue };
        if a.is_erased() || a.blocked {
            continue;
        }
        let lang = a.language;
        let args = [("title", Arg::from(title.as_str())), ("date", Arg::from(date.as_str()))];
        outbox::enqueue_at(
            tx,
            NewMail {
                to: a.email.clone(),
                lang,
                template: Template::Notification {
                    name: a.display_name.clone(),
                    subject: lang.ta("group-mail-opening-subject", &args),
                    text: lang.ta("group-mail-opening-text", &args),
                    link: Some(link.clone()),
                },
            },
            now,
        )?;
        told += 1;
    }
    let opening = Opening { announced_at: now, opens_at, announced_by: actor.account, told };
    tx.open_table(GROUP_OPENING_BY_PROCESS)?.insert(process.key(), encode(&opening)?.as_slice())?;
    let (kind, id) = process.key();
    actor.record(tx, Action::GroupChanged, None, format!("opening of {kind} {id} announced to {told}"), now)?;
    Ok(told)
}

/// Opens `process` to everyone, keeping all its contributions: refused
/// unless its opening was announced. Audited.
pub fn open(tx: &WriteTransaction, actor: &Actor, process: Process, now: i64) -> Result<(), GroupError> {
    if is_public(tx, process)? {
        return Err(GroupError::AlreadyPublic);
    }
    if opening_of(tx, process)?.is_none() {
        return Err(GroupError::NotAnnounced);
    }
    tx.open_table(GROUP_ID_BY_PROCESS)?.remove(process.key())?;
    tx.open_table(GROUP_OPENING_BY_PROCESS)?.remove(process.key())?;
    audience_changed(tx, process)?;
    let (kind, id) = process.key();
    actor.record(tx, Action::GroupChanged, None, format!("{kind} {id} opened to everyone"), now)?;
    Ok(())
}

/// The worker's pass: opens every process whose announced date has come.
/// Returns how many.
pub fn open_due(tx: &WriteTransaction, actor: &Actor, now: i64) -> Result<usize, GroupError> {
    let mut due = Vec::new();
    for row in tx.open_table(GROUP_OPENING_BY_PROCESS)?.iter()? {
        let (key, bytes) = row?;
        let (kind, id) = key.value();
        let opening: Opening = decode(bytes.value())?;
        if opening.opens_at <= now {
            if let Some(p) = Process::from_key(kind, id) {
                due.push(p);
            }
        }
    }
    for p in &due {
        open(tx, actor, *p, now)?;
    }
    Ok(due.len())
}

// ---------------------------------------------------------------- feedback

/// At the end of a pilot, staff ask its participants a short feedback
/// questionnaire: a draft consultation from the satisfaction template,
/// titled after the pilot and private to the same group (staff adjust and
/// publish it as any draft). Returns the new consultation.
pub fn pilot_feedback(
    tx: &WriteTransaction,
    actor: &Actor,
    process: Process,
    lang: Lang,
    now: i64,
) -> Result<ConsultationId, GroupError> {
    let group = audience_of(tx, process)?.ok_or(GroupError::AlreadyPublic)?;
    let title = process.title(tx)?.ok_or(GroupError::NoProcess)?;
    let consultation = |e: crate::domain::consultations::ConsultationError| match e {
        crate::domain::consultations::ConsultationError::Store(s) => GroupError::Store(s),
        other => GroupError::Store(StoreError::Invalid(other.to_string())),
    };
    let templates = crate::domain::consultations::QUARTERLY_SATISFACTION;
    let id = crate::domain::consultations::create_from_template(tx, actor, templates, now).map_err(consultation)?;
    let draft = crate::domain::consultations::get(tx, id)?.ok_or(GroupError::NoProcess)?;
    let details = crate::domain::consultations::Details {
        title: lang.ta("group-feedback-title", &[("title", Arg::from(title.as_str()))]),
        summary: lang.ta("group-feedback-summary", &[("title", Arg::from(title.as_str()))]),
        body: draft.body,
        neighbourhood: None,
        audience: draft.audience,
    };
    crate::domain::consultations::update(tx, &[], actor, id, &details, now).map_err(consultation)?;
    make_private(tx, actor, Process::Consultation(id), group, now)?;
    Ok(id)
}
