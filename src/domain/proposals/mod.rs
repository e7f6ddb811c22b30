//! Ideas and proposals: the town hall opens an idea box (a theme, dates,
//! rules); residents post proposals and support them; the town hall answers
//! each one publicly and follows the accepted ones to completion.
//!
//! A support is checked and written in one transaction with the proposal's
//! counter and both indexes, so concurrent clicks never count twice.

mod page_version;
pub mod tables;

use std::collections::HashMap;
use std::sync::Arc;

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::accounts::{AccountId, Role};
use super::audit::{self, Action};
use super::changes::{self, ContentKind, Target};
use super::moderation::{self, HeldWords};
use super::notifications::fanout::Audience;
use super::notifications::{self, Event, Notifier};
use crate::store::{self, decode, encode, Record, StoreError, Tx, WriteTx};
use tables::*;

pub use crate::domain::ids::BoxId;
pub use crate::domain::ids::ProposalId;
pub use page_version::{page_changed, page_version};

/// Who may support the proposals of a box.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Supporters {
    #[default]
    Residents,
    VerifiedResidents,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct IdeaBox {
    pub id: BoxId,
    pub title: String,
    /// The theme and the rules, in Markdown.
    pub description: String,
    pub categories: Vec<String>,
    pub opens_at: i64,
    pub closes_at: i64,
    pub supporters: Supporters,
    /// Supports that put a proposal on the town hall's agenda (0: none).
    pub threshold: u64,
    pub created_by: AccountId,
    pub created_at: i64,
}

impl Record for IdeaBox {
    const NAME: &'static str = "idea box";
    const VERSION: u8 = 1;
}

impl IdeaBox {
    pub fn is_open(&self, now: i64) -> bool {
        now >= self.opens_at && now < self.closes_at
    }
}

/// Where a proposal stands in the town hall's answer.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Submitted,
    UnderStudy,
    Accepted,
    Rejected,
    InProgress,
    Done,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Submitted, Status::UnderStudy, Status::Accepted, Status::Rejected, Status::InProgress, Status::Done];

    pub fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::UnderStudy => "under-study",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::InProgress => "in-progress",
            Status::Done => "done",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Accepted proposals and what followed: shown on "what we did".
    pub fn is_followed_up(self) -> bool {
        matches!(self, Status::Accepted | Status::InProgress | Status::Done)
    }
}

/// A step of an accepted proposal's follow-up.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Milestone {
    pub at: i64,
    pub title: String,
    pub text: String,
    /// Progress after this step, 0–100.
    pub progress: u8,
}

/// The town hall's public answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Answer {
    pub text: String,
    pub by: AccountId,
    pub at: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Proposal {
    pub id: ProposalId,
    pub box_id: BoxId,
    pub author: AccountId,
    pub title: String,
    /// Markdown, rendered cleaned.
    pub body: String,
    pub category: Option<String>,
    pub neighbourhood: Option<String>,
    /// Latitude and longitude, when the proposal is about a place.
    pub location: Option<(f64, f64)>,
    pub status: Status,
    pub answer: Option<Answer>,
    pub supports: u64,
    pub threshold_reached_at: Option<i64>,
    pub milestones: Vec<Milestone>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Held for review by the moderators (a word of the configured list).
    pub held: bool,
    /// A photo (file name in `<data>/files/`) and its description.
    pub photo: Option<Photo>,
    /// Where it came from when its author did not post it online: a
    /// workshop's group, whose idea staff recorded (`None`: posted online).
    pub origin: Option<Origin>,
}

/// Where a proposal came from, when not from its author online.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// An idea of a workshop (« atelier de co-construction »), recorded by
    /// staff on behalf of the group: the workshop shows as its author, and
    /// it follows the same answer and follow-up path as an online one.
    Workshop(crate::domain::ids::MeetingId),
}

/// A re-encoded photo and the text that describes it to whoever cannot see it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Photo {
    pub file: String,
    pub alt: String,
}

impl Record for Proposal {
    const NAME: &'static str = "proposal";
    // 2: `origin` (schema step 27 wrote every version 1 record again).
    const VERSION: u8 = 2;
}

/// What a list or the map shows of a proposal and filters it by, kept
/// beside the full record (`PROPOSAL_SUMMARY_BY_ID`) by [`write`], in the
/// same transaction: a page of a list decodes twenty of these rather than
/// twenty bodies, answers and follow-ups (`tables::verify` checks that each
/// says what its record says).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Summary {
    pub id: ProposalId,
    pub box_id: BoxId,
    pub author: AccountId,
    pub title: String,
    pub status: Status,
    pub supports: u64,
    pub category: Option<String>,
    pub neighbourhood: Option<String>,
    pub location: Option<(f64, f64)>,
    pub held: bool,
    pub created_at: i64,
}

impl Record for Summary {
    const NAME: &'static str = "proposal summary";
    const VERSION: u8 = 1;
}

impl Summary {
    pub fn of(p: &Proposal) -> Summary {
        Summary {
            id: p.id,
            box_id: p.box_id,
            author: p.author,
            title: p.title.clone(),
            status: p.status,
            supports: p.supports,
            category: p.category.clone(),
            neighbourhood: p.neighbourhood.clone(),
            location: p.location,
            held: p.held,
            created_at: p.created_at,
        }
    }

    pub fn target(&self) -> Target {
        Target::new(ContentKind::Proposal, self.id.get())
    }
}

impl Proposal {
    /// Progress of the follow-up: the last milestone's, 100 when done.
    pub fn progress(&self) -> u8 {
        if self.status == Status::Done {
            return 100;
        }
        self.milestones.last().map(|m| m.progress).unwrap_or(0)
    }

    pub fn target(&self) -> Target {
        Target::new(ContentKind::Proposal, self.id.get())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProposalError {
    #[error("no such idea box")]
    NoBox,
    #[error("no such proposal")]
    NotFound,
    #[error("the idea box is closed")]
    Closed,
    #[error("only verified residents may support proposals in this box")]
    NotVerified,
    #[error("a rejection needs a reason")]
    ReasonRequired,
    #[error("only an accepted proposal has a follow-up")]
    NotFollowedUp,
    /// Held for review or hidden by a moderator: it takes no supports and
    /// no new followers until it is public again.
    #[error("the proposal is held or hidden")]
    NotPublic,
    /// The form names a photo its author did not upload (or one already
    /// posted): a proposal may not show another person's upload.
    #[error("the photo was not uploaded by this person")]
    PhotoNotUploaded,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(ProposalError);

fn next(tx: &WriteTransaction, counter: &str) -> Result<u64, StoreError> {
    let mut counters = tx.open_table(PROPOSAL_COUNTER_BY_NAME)?;
    let id = counters.get(counter)?.map(|v| v.value()).unwrap_or(1);
    counters.insert(counter, id + 1)?;
    Ok(id)
}

/// A member of the town hall acting, and where from: the audit log names both.
#[derive(Clone, Debug, PartialEq)]
pub struct Acting {
    pub account: AccountId,
    /// The address of the request ("cli" for the command line).
    pub ip: String,
}

impl Acting {
    pub fn new(account: AccountId, ip: impl Into<String>) -> Acting {
        Acting { account, ip: ip.into() }
    }

    /// Records `action` in the audit log, in the caller's transaction.
    fn audit(&self, tx: &WriteTransaction, action: Action, detail: String, now: i64) -> Result<(), StoreError> {
        let event =
            audit::Event { at: now, action, actor: Some(self.account), subject: None, ip: self.ip.clone(), detail };
        audit::record(tx, &event)?;
        Ok(())
    }
}

/// The town hall opens an idea box: the box and its audit event; returns its id.
pub fn open_box(tx: &WriteTransaction, b: IdeaBox, acting: &Acting, now: i64) -> Result<BoxId, ProposalError> {
    let id = create_box(tx, b)?;
    acting.audit(tx, Action::IdeaBoxOpened, format!("box {id}"), now)?;
    Ok(id)
}

/// Writes a new idea box; returns its id. The town hall opens boxes with
/// [`open_box`], which also records who did; this alone serves the demo
/// generator and tests that need a box.
pub fn create_box(tx: &WriteTransaction, mut b: IdeaBox) -> Result<BoxId, ProposalError> {
    b.id = BoxId(next(tx, "next_box")?);
    tx.open_table(IDEA_BOX_BY_ID)?.insert(b.id, encode(&b)?.as_slice())?;
    Ok(b.id)
}

pub fn get_box(tx: &impl Tx, id: BoxId) -> Result<Option<IdeaBox>, StoreError> {
    store::record(tx, IDEA_BOX_BY_ID, id.get())
}

/// An idea box that must exist (the checks of a support or a post).
fn box_in(tx: &WriteTransaction, id: BoxId) -> Result<IdeaBox, ProposalError> {
    get_box(tx, id)?.ok_or(ProposalError::NoBox)
}

/// Every idea box, most recently opened first.
pub fn boxes(tx: &ReadTransaction) -> Result<Vec<IdeaBox>, StoreError> {
    let table = tx.open_table(IDEA_BOX_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        out.push(decode::<IdeaBox>(row?.1.value())?);
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.opens_at));
    Ok(out)
}

/// What a resident posts.
#[derive(Clone, Debug, Default)]
pub struct NewProposal {
    pub box_id: BoxId,
    pub author: AccountId,
    pub title: String,
    pub body: String,
    pub category: Option<String>,
    pub neighbourhood: Option<String>,
    pub location: Option<(f64, f64)>,
    pub held: bool,
    pub photo: Option<Photo>,
}

/// A posted proposal, and whether the held words keep it back for review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posted {
    pub id: ProposalId,
    pub held: bool,
}

/// A resident posts a proposal: its title and text are screened for the
/// commune's held words (a match holds it for the moderators), then it is
/// posted as [`post`] does.
pub fn submit(
    tx: &WriteTransaction,
    new: &NewProposal,
    held_words: &HeldWords,
    now: i64,
) -> Result<Posted, ProposalError> {
    let held = new.held || moderation::screen(held_words, &format!("{} {}", new.title, new.body));
    let id = post(tx, &NewProposal { held, ..new.clone() }, now)?;
    Ok(Posted { id, held })
}

/// Posts a proposal in an open box, held when `new.held` says so; the
/// author follows it. Residents' proposals go through [`submit`], which
/// screens them first.
pub fn post(tx: &WriteTransaction, new: &NewProposal, now: i64) -> Result<ProposalId, ProposalError> {
    insert(tx, new, None, now)
}

/// Staff post an idea that came from elsewhere (a workshop) in an open box,
/// with its origin, as [`post`] does otherwise: the same statuses, supports
/// and answer. Nobody follows it: the member of staff who typed it is not
/// its author, and the group has no account.
pub fn post_from(
    tx: &WriteTransaction,
    new: &NewProposal,
    origin: Origin,
    now: i64,
) -> Result<ProposalId, ProposalError> {
    insert(tx, new, Some(origin), now)
}

fn insert(
    tx: &WriteTransaction,
    new: &NewProposal,
    origin: Option<Origin>,
    now: i64,
) -> Result<ProposalId, ProposalError> {
    let b = box_in(tx, new.box_id)?;
    if !b.is_open(now) {
        return Err(ProposalError::Closed);
    }
    if let Some(photo) = &new.photo {
        // The upload becomes the proposal's photo: it is no longer pending.
        let taken =
            tx.open_table(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?.remove((photo.file.as_str(), new.author.get()))?.is_some();
        if !taken {
            return Err(ProposalError::PhotoNotUploaded);
        }
    }
    let id = next(tx, "next_proposal")?;
    let p = Proposal {
        id: ProposalId(id),
        box_id: new.box_id,
        author: new.author,
        title: new.title.trim().to_string(),
        body: new.body.trim().to_string(),
        category: new.category.clone(),
        neighbourhood: new.neighbourhood.clone(),
        location: new.location,
        status: Status::Submitted,
        answer: None,
        supports: 0,
        threshold_reached_at: None,
        milestones: Vec::new(),
        created_at: now,
        updated_at: now,
        held: new.held,
        photo: new.photo.clone(),
        origin,
    };
    save_new(tx, &p)?;
    if p.held {
        // The moderators' queue lists it; approving it there releases it.
        moderation::hold(tx, p.target(), now)?;
    }
    if origin.is_none() {
        tx.open_table(FOLLOW_BY_PROPOSAL_ACCOUNT)?.insert((id, new.author.get()), ())?;
    }
    Ok(ProposalId(id))
}

/// Writes a new proposal with its indexes (also used by the demo generator).
pub fn save_new(tx: &WriteTransaction, p: &Proposal) -> Result<(), StoreError> {
    write(tx, None, p)
}

/// The one function that writes a proposal record: `pre` is the record as
/// it was (`None` for a new one), `post` as it becomes. Each index moves
/// from the key `pre` had to the key `post` has, and the change is logged
/// when something search shows or filters on changed, all in the caller's
/// transaction, so no write can leave an index or the search index behind
/// (kanidm's `entry_index(pre, post)`). `tables::verify` checks the result.
fn write(tx: &WriteTransaction, pre: Option<&Proposal>, post: &Proposal) -> Result<(), StoreError> {
    tx.open_table(PROPOSAL_BY_ID)?.insert(post.id, encode(post)?.as_slice())?;
    let summary = Summary::of(post);
    if pre.map(Summary::of).as_ref() != Some(&summary) {
        tx.open_table(PROPOSAL_SUMMARY_BY_ID)?.insert(post.id, encode(&summary)?.as_slice())?;
        // What a list shows changed: the box's kept list (see `Lists`) is
        // read again by the next request that sees this transaction.
        bump_list_version(tx, post.box_id)?;
        if let Some(old) = pre.map(|p| p.box_id).filter(|b| *b != post.box_id) {
            bump_list_version(tx, old)?;
        }
    }
    let by_created = |p: &Proposal| (p.box_id.get(), p.created_at, p.id.get());
    let by_supports = |p: &Proposal| (p.box_id.get(), p.supports, p.id.get());
    move_key(tx, PROPOSAL_ID_BY_BOX_CREATED, pre.map(by_created), by_created(post))?;
    move_key(tx, PROPOSAL_ID_BY_BOX_SUPPORTS, pre.map(by_supports), by_supports(post))?;
    let photo = |p: &Proposal| p.photo.as_ref().map(|ph| ph.file.clone());
    let (old, new) = (pre.and_then(photo), photo(post));
    if old != new {
        let mut by_photo = tx.open_table(PROPOSAL_ID_BY_PHOTO)?;
        if let Some(file) = old {
            by_photo.remove((file.as_str(), post.id.get()))?;
        }
        if let Some(file) = new {
            by_photo.insert((file.as_str(), post.id.get()), ())?;
        }
    }
    if pre.is_none_or(|pre| Searchable::of(pre) != Searchable::of(post)) {
        changes::record(tx, post.target())?;
    }
    // Whatever changed, the page shows the record: a visitor's kept page
    // (`web::proposals::page`) is rendered again.
    page_changed(tx, post.id)?;
    Ok(())
}

/// What of a proposal search shows, filters on or decides visibility by
/// ([`search_document`]), with its box and category: a change of any of
/// these is logged for the indexer. Supports, answers and milestones are
/// not searched, so changing them alone logs nothing.
#[derive(PartialEq)]
struct Searchable<'a> {
    box_id: BoxId,
    title: &'a str,
    body: &'a str,
    status: Status,
    category: Option<&'a str>,
    neighbourhood: Option<&'a str>,
    created_at: i64,
    held: bool,
}

impl<'a> Searchable<'a> {
    fn of(p: &'a Proposal) -> Self {
        Searchable {
            box_id: p.box_id,
            title: &p.title,
            body: &p.body,
            status: p.status,
            category: p.category.as_deref(),
            neighbourhood: p.neighbourhood.as_deref(),
            created_at: p.created_at,
            held: p.held,
        }
    }
}

/// Moves an index entry from the key the old record had to the new one's.
fn move_key<K>(
    tx: &WriteTransaction,
    index: redb::TableDefinition<K, ()>,
    pre: Option<K>,
    post: K,
) -> Result<(), StoreError>
where
    K: redb::Key + Copy + PartialEq + 'static + for<'a> std::borrow::Borrow<<K as redb::Value>::SelfType<'a>>,
{
    if pre == Some(post) {
        return Ok(());
    }
    let mut table = tx.open_table(index)?;
    if let Some(old) = pre {
        table.remove(old)?;
    }
    table.insert(post, ())?;
    Ok(())
}

/// The next proposal id, for bulk generators that build [`Proposal`]s themselves.
pub fn next_proposal_id(tx: &WriteTransaction) -> Result<ProposalId, StoreError> {
    next(tx, "next_proposal").map(ProposalId)
}

pub fn get(tx: &impl Tx, id: ProposalId) -> Result<Option<Proposal>, StoreError> {
    store::record(tx, PROPOSAL_BY_ID, id.get())
}

/// Whether everyone may see `p` whole and act on it: neither held for
/// review (its own flag) nor held or hidden by the moderators.
pub fn is_public(tx: &impl Tx, p: &Proposal) -> Result<bool, StoreError> {
    Ok(!p.held && moderation::is_public(tx, p.target())?)
}

/// Who may see a stored photo file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhotoViewers {
    /// A public proposal shows it: everyone.
    pub everyone: bool,
    /// Besides moderators, who else: the authors of the held proposals
    /// that show it (a hidden one's author is not: it was hidden from them
    /// too), and who uploaded it while their form is not yet posted.
    pub accounts: Vec<AccountId>,
}

/// Who may see the stored photo `file`; nobody but the moderators when no
/// proposal shows it and nobody uploaded it.
pub fn photo_viewers(tx: &impl Tx, file: &str) -> Result<PhotoViewers, StoreError> {
    let mut out = PhotoViewers::default();
    let ids: Vec<u64> = tx
        .open(PROPOSAL_ID_BY_PHOTO)?
        .range((file, 0)..=(file, u64::MAX))?
        .map(|r| r.map(|(k, _)| k.value().1))
        .collect::<Result<_, _>>()?;
    for id in ids {
        let Some(p) = get(tx, ProposalId(id))? else { continue };
        match moderation::status(tx, p.target())? {
            moderation::Status::Published if !p.held => {
                out.everyone = true;
                return Ok(out);
            }
            moderation::Status::Hidden => {}
            moderation::Status::Published | moderation::Status::Held => out.accounts.push(p.author),
        }
    }
    for row in tx.open(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?.range((file, 0)..=(file, u64::MAX))? {
        out.accounts.push(AccountId(row?.0.value().1));
    }
    Ok(out)
}

/// Whether a proposal shows the stored photo `file`, or someone's pending
/// upload is it (whatever their state): such a file must not be deleted.
pub fn names_photo(tx: &impl Tx, file: &str) -> Result<bool, StoreError> {
    let all = (file, 0)..=(file, u64::MAX);
    Ok(tx.open(PROPOSAL_ID_BY_PHOTO)?.range(all.clone())?.next().is_some()
        || tx.open(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?.range(all)?.next().is_some())
}

/// Records that `account` uploaded the stored photo `file` with a
/// proposal form: that person's next form may name it.
pub fn record_upload(tx: &WriteTransaction, file: &str, account: AccountId, now: i64) -> Result<(), StoreError> {
    tx.open_table(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?.insert((file, account.get()), now)?;
    Ok(())
}

/// A photo uploaded with a proposal form is kept for its uploader, and the
/// uploads older than a day are forgotten in the same write: returns the
/// files to delete once it has committed.
pub fn keep_upload(tx: &WriteTransaction, file: &str, account: AccountId, now: i64) -> Result<Vec<String>, StoreError> {
    record_upload(tx, file, account, now)?;
    forget_uploads(tx, now - UPLOAD_KEPT_SECS)
}

/// How long a photo uploaded with a refused form waits for the form to be
/// sent again: a day, time enough to come back to it that evening.
pub const UPLOAD_KEPT_SECS: i64 = 24 * 3600;

/// Forgets the uploads made before `before` and never posted; returns the
/// files no proposal or other upload names any more, for the caller to
/// delete once this has committed (a photo on disk is not in redb).
pub fn forget_uploads(tx: &WriteTransaction, before: i64) -> Result<Vec<String>, StoreError> {
    let mut uploads = tx.open_table(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?;
    let mut old = Vec::new();
    for row in uploads.iter()? {
        let (key, at) = row?;
        if at.value() < before {
            let (file, account) = key.value();
            old.push((file.to_string(), account));
        }
    }
    for (file, account) in &old {
        uploads.remove((file.as_str(), *account))?;
    }
    let by_photo = tx.open_table(PROPOSAL_ID_BY_PHOTO)?;
    let mut unused = Vec::new();
    for (file, _) in old {
        let all = (file.as_str(), 0)..=(file.as_str(), u64::MAX);
        // A report may show the same picture (a name is a content hash).
        let named = by_photo.range(all.clone())?.next().is_some()
            || uploads.range(all)?.next().is_some()
            || crate::domain::reports::names_photo(tx, &file)?;
        if !named && !unused.contains(&file) {
            unused.push(file);
        }
    }
    Ok(unused)
}

/// An erased person's pending uploads expire at once: the next
/// [`forget_uploads`] (hourly, or at anyone's next upload) removes them and
/// returns their files for deletion. Returns how many there were.
pub fn expire_uploads_of(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let mut uploads = tx.open_table(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?;
    let mut theirs = Vec::new();
    for row in uploads.iter()? {
        let (key, _) = row?;
        let (file, by) = key.value();
        if by == account.get() {
            theirs.push(file.to_string());
        }
    }
    for file in &theirs {
        uploads.insert((file.as_str(), account.get()), i64::MIN)?;
    }
    Ok(theirs.len())
}

/// Whether `account` uploaded `file` and has not posted it yet.
pub fn has_uploaded(tx: &impl Tx, file: &str, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?.get((file, account.get()))?.is_some())
}

/// A proposal that must exist.
fn get_in(tx: &WriteTransaction, id: ProposalId) -> Result<Proposal, ProposalError> {
    get(tx, id)?.ok_or(ProposalError::NotFound)
}

/// What a support click did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportOutcome {
    pub supported: bool,
    pub supports: u64,
    /// This support made the proposal reach the box's threshold.
    pub reached_threshold: bool,
}

/// Supports a proposal, or withdraws the support (`want = false`). Idempotent:
/// supporting twice counts once, the check and the write are one transaction.
#[allow(clippy::too_many_arguments)]
pub fn set_support(
    tx: &WriteTx,
    // Unused since followers are told after the commit (notifications::fanout); kept so callers need no change.
    _notifier: &Notifier,
    id: ProposalId,
    account: AccountId,
    role: Role,
    want: bool,
    now: i64,
) -> Result<SupportOutcome, ProposalError> {
    let pre = get_in(tx, id)?;
    // Held or hidden content takes no supports: a support would count
    // towards the threshold for what nobody may read. Withdrawing stays
    // possible (it only lowers the count).
    if want && !is_public(tx, &pre)? {
        return Err(ProposalError::NotPublic);
    }
    let mut p = pre.clone();
    let b = box_in(tx, p.box_id)?;
    // A support is final once the box closes.
    if !b.is_open(now) {
        return Err(ProposalError::Closed);
    }
    if b.supporters == Supporters::VerifiedResidents && role < Role::VerifiedResident {
        return Err(ProposalError::NotVerified);
    }
    let mut supports = tx.open_table(SUPPORT_BY_PROPOSAL_ACCOUNT)?;
    let has = supports.get((id.get(), account.get()))?.is_some();
    if has == want {
        return Ok(SupportOutcome { supported: has, supports: p.supports, reached_threshold: false });
    }
    let mut by_account = tx.open_table(SUPPORT_BY_ACCOUNT_PROPOSAL)?;
    if want {
        supports.insert((id.get(), account.get()), now)?;
        by_account.insert((account.get(), id.get()), ())?;
        p.supports += 1;
    } else {
        supports.remove((id.get(), account.get()))?;
        by_account.remove((account.get(), id.get()))?;
        p.supports = p.supports.saturating_sub(1);
    }
    drop((supports, by_account));
    let reached = want && b.threshold > 0 && p.supports >= b.threshold && p.threshold_reached_at.is_none();
    if reached {
        p.threshold_reached_at = Some(now);
        if p.status == Status::Submitted {
            p.status = Status::UnderStudy;
        }
        // Followers are told after the commit (one job, however many).
        notifications::fanout::record(
            tx,
            Audience::ProposalFollowers(id),
            Event::ThresholdReached { proposal: id.get(), title: p.title.clone() },
            now,
        )?;
    }
    p.updated_at = now;
    // Moves the by-support index; logs the change when the status moved.
    write(tx, Some(&pre), &p)?;
    Ok(SupportOutcome { supported: want, supports: p.supports, reached_threshold: reached })
}

pub fn has_supported(tx: &ReadTransaction, id: ProposalId, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open_table(SUPPORT_BY_PROPOSAL_ACCOUNT)?.get((id.get(), account.get()))?.is_some())
}

/// The proposals a person supports (personal data export).
pub fn supported_by(tx: &ReadTransaction, account: AccountId) -> Result<Vec<ProposalId>, StoreError> {
    let table = tx.open_table(SUPPORT_BY_ACCOUNT_PROPOSAL)?;
    let mut out = Vec::new();
    for row in table.range((account.get(), 0)..=(account.get(), u64::MAX))? {
        out.push(ProposalId(row?.0.value().1));
    }
    Ok(out)
}

/// The proposals a person supports, with when they supported each, most
/// recent first (personal data export).
pub fn supports_of(tx: &impl Tx, account: AccountId) -> Result<Vec<(ProposalId, i64)>, StoreError> {
    let index = tx.open(SUPPORT_BY_ACCOUNT_PROPOSAL)?;
    let supports = tx.open(SUPPORT_BY_PROPOSAL_ACCOUNT)?;
    let mut out = Vec::new();
    for row in index.range((account.get(), 0)..=(account.get(), u64::MAX))? {
        let id = ProposalId(row?.0.value().1);
        if let Some(at) = supports.get((id.get(), account.get()))? {
            out.push((id, at.value()));
        }
    }
    out.sort_by_key(|(id, at)| std::cmp::Reverse((*at, *id)));
    Ok(out)
}

/// The proposals a person posted, newest first, held ones included
/// (personal data export).
///
/// There is no index by author: every proposal is read and decoded. An
/// export is rare and asked for by one person at a time, where an index
/// would need a migration and a write on every post; should exports grow
/// slow in a large commune, that index is the fix.
pub fn of_author(tx: &impl Tx, author: AccountId) -> Result<Vec<Proposal>, StoreError> {
    let table = tx.open(PROPOSAL_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let p: Proposal = decode(row?.1.value())?;
        // A workshop's idea is the group's: the member of staff who typed
        // it in is not its author, in their copy of their data or anywhere.
        if p.author == author && p.origin.is_none() {
            out.push(p);
        }
    }
    out.sort_by_key(|p| std::cmp::Reverse((p.created_at, p.id)));
    Ok(out)
}

/// The proposals a person follows, newest proposal first (personal data
/// export). Follows are keyed by proposal, to reach its followers; the
/// table is read whole (two numbers a row) rather than indexed twice.
pub fn followed_by(tx: &impl Tx, account: AccountId) -> Result<Vec<ProposalId>, StoreError> {
    let table = tx.open(FOLLOW_BY_PROPOSAL_ACCOUNT)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let (id, follower) = row?.0.value();
        if follower == account.get() {
            out.push(ProposalId(id));
        }
    }
    out.reverse();
    Ok(out)
}

/// Follows or stops following a proposal.
pub fn set_follow(
    tx: &WriteTransaction,
    id: ProposalId,
    account: AccountId,
    want: bool,
) -> Result<bool, ProposalError> {
    let p = get_in(tx, id)?;
    // Nobody starts following what they may not read; its author follows
    // it from the start, and anyone may stop following.
    if want && p.author != account && !is_public(tx, &p)? {
        return Err(ProposalError::NotPublic);
    }
    let mut table = tx.open_table(FOLLOW_BY_PROPOSAL_ACCOUNT)?;
    if want {
        table.insert((id.get(), account.get()), ())?;
    } else {
        table.remove((id.get(), account.get()))?;
    }
    Ok(want)
}

/// Stops every follow of a person; returns how many there were. Used when
/// the account is erased, so that no later answer or status change
/// notifies the tombstone. Follows are keyed by proposal (see
/// [`followed_by`]): the table is read whole, which an erasure, rare and
/// one person at a time, can afford.
pub fn unfollow_all(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let mut removed = 0;
    tx.open_table(FOLLOW_BY_PROPOSAL_ACCOUNT)?.retain(|(_, follower), ()| {
        let theirs = follower == account.get();
        removed += usize::from(theirs);
        !theirs
    })?;
    Ok(removed)
}

pub fn is_following(tx: &ReadTransaction, id: ProposalId, account: AccountId) -> Result<bool, StoreError> {
    Ok(tx.open_table(FOLLOW_BY_PROPOSAL_ACCOUNT)?.get((id.get(), account.get()))?.is_some())
}

/// At most `limit` followers of `id` after account `after` (from the
/// first when `None`), in increasing order: the notifications' fan-out
/// tells them a batch at a time.
pub fn followers_after(
    tx: &impl Tx,
    id: ProposalId,
    after: Option<AccountId>,
    limit: usize,
) -> Result<Vec<AccountId>, StoreError> {
    let after = after.map(|a| a.get());
    Ok(crate::store::keys_after(tx, FOLLOW_BY_PROPOSAL_ACCOUNT, id.get(), after, limit)?
        .into_iter()
        .map(AccountId)
        .collect())
}

/// The town hall answers: a status and a public text. A rejection needs a
/// reason. Followers are told, and the audit log records who answered.
pub fn answer(
    tx: &WriteTx,
    _notifier: &Notifier,
    id: ProposalId,
    status: Status,
    text: &str,
    acting: &Acting,
    now: i64,
) -> Result<Proposal, ProposalError> {
    let by = acting.account;
    let pre = get_in(tx, id)?;
    let mut p = pre.clone();
    let text = text.trim();
    if status == Status::Rejected && text.is_empty() {
        return Err(ProposalError::ReasonRequired);
    }
    let changed = p.status != status;
    p.status = status;
    if !text.is_empty() {
        p.answer = Some(Answer { text: text.to_string(), by, at: now });
    }
    p.updated_at = now;
    write(tx, Some(&pre), &p)?;
    let event = if changed {
        Event::StatusChanged { proposal: id.get(), title: p.title.clone(), status: status.code().to_string() }
    } else {
        Event::Answered { proposal: id.get(), title: p.title.clone() }
    };
    // One job, told after the commit: the answer takes as long with ten
    // thousand followers as with one.
    notifications::fanout::record(tx, Audience::ProposalFollowers(id), event, now)?;
    acting.audit(tx, Action::ProposalAnswered, format!("proposal {id}: {}", status.code()), now)?;
    Ok(p)
}

/// Adds a follow-up step to an accepted proposal (status becomes "in
/// progress", or "done" at 100 %); a proposal the town hall has not
/// accepted has nothing to follow up. Followers are told of a new status,
/// and the audit log records who added the step.
pub fn add_milestone(
    tx: &WriteTx,
    _notifier: &Notifier,
    id: ProposalId,
    milestone: Milestone,
    acting: &Acting,
    now: i64,
) -> Result<Proposal, ProposalError> {
    let pre = get_in(tx, id)?;
    if !pre.status.is_followed_up() {
        return Err(ProposalError::NotFollowedUp);
    }
    let mut p = pre.clone();
    let progress = milestone.progress.min(100);
    p.milestones.push(Milestone { progress, ..milestone });
    let status = if progress >= 100 { Status::Done } else { Status::InProgress };
    let changed = p.status != status;
    p.status = status;
    p.updated_at = now;
    write(tx, Some(&pre), &p)?;
    if changed {
        let event =
            Event::StatusChanged { proposal: id.get(), title: p.title.clone(), status: status.code().to_string() };
        notifications::fanout::record(tx, Audience::ProposalFollowers(id), event, now)?;
    }
    acting.audit(tx, Action::ProposalAnswered, format!("proposal {id}: milestone {progress} %"), now)?;
    Ok(p)
}

/// Releases a proposal held for review (a moderator approved it).
pub fn release(tx: &WriteTransaction, id: ProposalId) -> Result<(), ProposalError> {
    let pre = get_in(tx, id)?;
    let p = Proposal { held: false, ..pre.clone() };
    Ok(write(tx, Some(&pre), &p)?)
}

/// How to order a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Recent,
    MostSupported,
    /// A shuffle fixed by the visitor's seed, so that the first proposals
    /// posted are not always seen first, and pages do not repeat.
    Random(u64),
}

/// Which proposals to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub category: Option<String>,
    pub neighbourhood: Option<String>,
    pub status: Option<Status>,
    /// Show held proposals of this author (their own) too.
    pub viewer: Option<AccountId>,
}

impl Filter {
    fn keeps(&self, p: &Summary, hidden: impl Fn(&Summary) -> bool) -> bool {
        self.category.as_ref().is_none_or(|c| p.category.as_ref() == Some(c))
            && self.neighbourhood.as_ref().is_none_or(|n| p.neighbourhood.as_ref() == Some(n))
            && self.status.is_none_or(|s| p.status == s)
            && (!p.held || self.viewer == Some(p.author))
            && !hidden(p)
    }
}

/// The deepest page a list goes to: 1,000 pages of 20 are 20,000
/// proposals, more than a person pages through, and each page deeper costs
/// a longer scan. A URL asking for more gets the last of these.
pub const MAX_PAGE: usize = 1_000;

/// Which page of a list, counted from 0, of `size` items.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub number: usize,
    pub size: usize,
}

/// One page of a box's proposals, as their summaries, and whether there is
/// another. Hidden proposals (moderation) are left out, and held ones but
/// for their author (`filter.viewer`).
///
/// Read from the box's list kept in memory ([`Lists`]) when it is the one
/// of `tx`'s snapshot; from the tables otherwise (while it is read again,
/// or for a box too large to keep).
pub fn list(
    tx: &ReadTransaction,
    lists: &Lists,
    box_id: BoxId,
    sort: Sort,
    filter: &Filter,
    page: Page,
) -> Result<(Vec<Arc<Summary>>, bool), StoreError> {
    match lists.of(tx, box_id)? {
        Some(kept) => Ok(kept.page(sort, filter, page)),
        None => {
            let states = moderation::States::open(tx)?;
            list_from_tables(tx, &lists.ids, box_id, sort, filter, page, |p| states.hidden_or_unreadable(p.target()))
        }
    }
}

/// [`list`] read from the tables: twenty summaries and twenty moderation
/// states at their places among all the others.
fn list_from_tables(
    tx: &ReadTransaction,
    ids: &BoxIds,
    box_id: BoxId,
    sort: Sort,
    filter: &Filter,
    page: Page,
    hidden: impl Fn(&Summary) -> bool,
) -> Result<(Vec<Arc<Summary>>, bool), StoreError> {
    let summaries = tx.open_table(PROPOSAL_SUMMARY_BY_ID)?;
    let mut walk = Walk::new(page);
    let consider = |id: u64, walk: &mut Walk| -> Result<bool, StoreError> {
        let Some(bytes) = summaries.get(id)? else { return Ok(true) };
        let p: Summary = decode(bytes.value())?;
        if !filter.keeps(&p, &hidden) {
            return Ok(true);
        }
        Ok(walk.take(|| Arc::new(p)))
    };
    match sort {
        Sort::Recent => {
            let index = tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
            for row in index.range((box_id.get(), i64::MIN, 0)..=(box_id.get(), i64::MAX, u64::MAX))?.rev() {
                if !consider(row?.0.value().2, &mut walk)? {
                    break;
                }
            }
        }
        Sort::MostSupported => {
            let index = tx.open_table(PROPOSAL_ID_BY_BOX_SUPPORTS)?;
            for row in index.range((box_id.get(), 0, 0)..=(box_id.get(), u64::MAX, u64::MAX))?.rev() {
                if !consider(row?.0.value().2, &mut walk)? {
                    break;
                }
            }
        }
        Sort::Random(seed) => {
            // The visitor's order is a keyed permutation of the positions
            // of the box's ids: page p needs only the positions before it,
            // never a shuffle key for each of 100,000 ids.
            let ids = ids.of(tx, box_id)?;
            let order = Shuffle::new(seed, ids.len());
            for position in 0..ids.len() {
                if !consider(ids[order.at(position)].get(), &mut walk)? {
                    break;
                }
            }
        }
    }
    Ok(walk.done())
}

/// The proposals a list keeps, skipping the pages before the one asked.
struct Walk {
    skip: usize,
    size: usize,
    seen: usize,
    out: Vec<Arc<Summary>>,
    more: bool,
}

impl Walk {
    fn new(page: Page) -> Walk {
        // Saturating: a page number from a URL must not overflow (callers
        // bound it too, see `MAX_PAGE`).
        let skip = page.number.saturating_mul(page.size);
        Walk { skip, size: page.size, seen: 0, out: Vec::with_capacity(page.size.min(100)), more: false }
    }

    /// Counts one proposal that passed the filter; whether to go on.
    fn take(&mut self, p: impl FnOnce() -> Arc<Summary>) -> bool {
        self.seen += 1;
        if self.seen <= self.skip {
            return true;
        }
        if self.out.len() == self.size {
            self.more = true;
            return false;
        }
        self.out.push(p());
        true
    }

    fn done(self) -> (Vec<Arc<Summary>>, bool) {
        (self.out, self.more)
    }
}

/// The name, in `PROPOSAL_COUNTER_BY_NAME`, of the version of a box's list.
fn list_version_name(box_id: BoxId) -> String {
    format!("list_version:{box_id}")
}

/// Moves the version of `box_id`'s list: in the transaction that changes
/// what the list shows, so that a snapshot's version says exactly which
/// list it holds.
fn bump_list_version(tx: &WriteTransaction, box_id: BoxId) -> Result<(), StoreError> {
    let mut counters = tx.open_table(PROPOSAL_COUNTER_BY_NAME)?;
    let name = list_version_name(box_id);
    let version = counters.get(name.as_str())?.map(|v| v.value()).unwrap_or(0);
    counters.insert(name.as_str(), version + 1)?;
    Ok(())
}

/// The version of `box_id`'s list in `tx`'s snapshot (0 before any change).
fn list_version(tx: &impl Tx, box_id: BoxId) -> Result<u64, StoreError> {
    Ok(tx.open(PROPOSAL_COUNTER_BY_NAME)?.get(list_version_name(box_id).as_str())?.map(|v| v.value()).unwrap_or(0))
}

/// The moderation of `id` changed whether it may be listed: its box's list
/// is read again (called by `moderation`, in the same transaction).
pub fn listing_changed(tx: &WriteTransaction, id: ProposalId) -> Result<(), StoreError> {
    let box_id = match tx.open_table(PROPOSAL_SUMMARY_BY_ID)?.get(id.get())? {
        Some(bytes) => decode::<Summary>(bytes.value())?.box_id,
        // Not written yet (held while being posted): its write moves the version.
        None => return Ok(()),
    };
    bump_list_version(tx, box_id)
}

/// Each box's list kept in memory: every summary with whether the
/// moderators hid it, in the order of posting, and the order by supports.
/// A page then reads twenty entries of a `Vec` instead of forty look-ups
/// at random places of the tables (a fifth of a page's time at 100,000
/// proposals).
///
/// A kept list is the one of exactly one version of its box, a counter
/// that [`write`] (when a summary changes) and the moderation (when a
/// proposal is hidden, held or published again, see [`listing_changed`])
/// move in the same transaction as the change: a reader whose snapshot
/// holds another version never uses it, so no list is ever stale nor ahead
/// of the reader's snapshot. The first reader that sees a new version reads
/// the box again (one pass over the summaries and the moderation states,
/// in key order); readers that come meanwhile read from the tables.
///
/// Bounded: at most [`KEPT_SUMMARIES`] summaries over all boxes (about
/// 250 bytes each with their texts: 100,000 took 25 MB). A box that does
/// not fit beside those kept is read from the tables, as every box was
/// before, until its next version: forgetting the others to make room
/// would read two large boxes again and again when visitors go from one to
/// the other.
pub struct Lists {
    boxes: std::sync::Mutex<HashMap<BoxId, Kept>>,
    /// The ids of the boxes read from the tables, for their random order.
    ids: BoxIds,
    /// The most summaries kept ([`KEPT_SUMMARIES`]; fewer in tests).
    room: usize,
}

impl Default for Lists {
    fn default() -> Lists {
        Lists::with_room(KEPT_SUMMARIES)
    }
}

/// A box's kept list, the version being read by one reader, or a box too
/// large to keep at that version.
enum Kept {
    Ready(Arc<BoxList>),
    Loading { previous: Option<Arc<BoxList>> },
    TooLarge { version: u64 },
}

/// The most summaries kept over all boxes.
pub const KEPT_SUMMARIES: usize = 150_000;

/// One box's list at one version.
pub struct BoxList {
    version: u64,
    /// Oldest first (as `PROPOSAL_ID_BY_BOX_CREATED`).
    items: Vec<Listed>,
    /// Positions in `items`, most supported first (as
    /// `PROPOSAL_ID_BY_BOX_SUPPORTS` read backwards).
    by_supports: Vec<u32>,
}

struct Listed {
    summary: Arc<Summary>,
    hidden: bool,
}

impl Lists {
    /// Lists that keep at most `room` summaries over all boxes.
    pub fn with_room(room: usize) -> Lists {
        Lists { boxes: Default::default(), ids: BoxIds::default(), room }
    }

    /// `box_id`'s list at `tx`'s version: kept, or read now; `None` when it
    /// is being read by another request or is too large to keep.
    fn of(&self, tx: &ReadTransaction, box_id: BoxId) -> Result<Option<Arc<BoxList>>, StoreError> {
        let version = list_version(tx, box_id)?;
        let room = {
            let mut boxes = self.boxes.lock().unwrap_or_else(|e| e.into_inner());
            match boxes.get(&box_id) {
                Some(Kept::Ready(list)) if list.version == version => return Ok(Some(list.clone())),
                // An older snapshot than the kept list's: read from the tables.
                Some(Kept::Ready(list)) if list.version > version => return Ok(None),
                Some(Kept::Loading { .. }) => return Ok(None),
                Some(Kept::TooLarge { version: at }) if *at == version => return Ok(None),
                Some(Kept::TooLarge { .. }) => {
                    boxes.insert(box_id, Kept::Loading { previous: None });
                }
                Some(Kept::Ready(list)) => {
                    let previous = Some(list.clone());
                    boxes.insert(box_id, Kept::Loading { previous });
                }
                None => {
                    boxes.insert(box_id, Kept::Loading { previous: None });
                }
            }
            self.room.saturating_sub(others(&boxes, box_id))
        };
        // This request reads the box; the others go on from the tables.
        let loaded = BoxList::read(tx, box_id, version, room);
        let mut boxes = self.boxes.lock().unwrap_or_else(|e| e.into_inner());
        let previous = match boxes.remove(&box_id) {
            Some(Kept::Loading { previous, .. }) => previous,
            Some(Kept::Ready(list)) => Some(list),
            Some(Kept::TooLarge { .. }) | None => None,
        };
        let list = match loaded {
            // Another box may have been kept meanwhile.
            Ok(Some(list)) if others(&boxes, box_id) + list.items.len() <= self.room => Arc::new(list),
            Ok(_) => {
                boxes.insert(box_id, Kept::TooLarge { version });
                return Ok(None);
            }
            Err(e) => {
                if let Some(previous) = previous {
                    boxes.insert(box_id, Kept::Ready(previous));
                }
                return Err(e);
            }
        };
        boxes.insert(box_id, Kept::Ready(list.clone()));
        Ok(Some(list))
    }
}

/// How many summaries the boxes other than `box_id` keep.
fn others(boxes: &HashMap<BoxId, Kept>, box_id: BoxId) -> usize {
    boxes.iter().filter(|(id, _)| **id != box_id).map(|(_, k)| k.len()).sum()
}

impl Kept {
    fn len(&self) -> usize {
        match self {
            Kept::Ready(list) => list.items.len(),
            Kept::Loading { previous, .. } => previous.as_ref().map_or(0, |l| l.items.len()),
            Kept::TooLarge { .. } => 0,
        }
    }
}

impl BoxList {
    /// Reads `box_id`'s list from `tx`; `None` when it has more than
    /// `room` proposals.
    fn read(tx: &ReadTransaction, box_id: BoxId, version: u64, room: usize) -> Result<Option<BoxList>, StoreError> {
        let index = tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
        if index.range((box_id.get(), i64::MIN, 0)..=(box_id.get(), i64::MAX, u64::MAX))?.nth(room).is_some() {
            return Ok(None);
        }
        let hidden = moderation::hidden_or_unreadable(tx, ContentKind::Proposal)?;
        let mut items = Vec::new();
        for row in tx.open_table(PROPOSAL_SUMMARY_BY_ID)?.iter()? {
            let (id, bytes) = row?;
            let summary: Summary = decode(bytes.value())?;
            if summary.box_id == box_id {
                items.push(Listed { hidden: hidden.contains(&id.value()), summary: Arc::new(summary) });
            }
        }
        items.sort_unstable_by_key(|l| (l.summary.created_at, l.summary.id));
        let mut by_supports: Vec<u32> = (0..items.len() as u32).collect();
        by_supports.sort_unstable_by(|a, b| {
            let (a, b) = (&items[*a as usize].summary, &items[*b as usize].summary);
            (b.supports, b.id).cmp(&(a.supports, a.id))
        });
        Ok(Some(BoxList { version, items, by_supports }))
    }

    fn page(&self, sort: Sort, filter: &Filter, page: Page) -> (Vec<Arc<Summary>>, bool) {
        let mut walk = Walk::new(page);
        let mut consider = |listed: &Listed| {
            if !filter.keeps(&listed.summary, |_| listed.hidden) {
                return true;
            }
            walk.take(|| listed.summary.clone())
        };
        match sort {
            Sort::Recent => {
                for listed in self.items.iter().rev() {
                    if !consider(listed) {
                        break;
                    }
                }
            }
            Sort::MostSupported => {
                for position in &self.by_supports {
                    if !consider(&self.items[*position as usize]) {
                        break;
                    }
                }
            }
            Sort::Random(seed) => {
                let order = Shuffle::new(seed, self.items.len());
                for position in 0..self.items.len() {
                    if !consider(&self.items[order.at(position)]) {
                        break;
                    }
                }
            }
        }
        walk.done()
    }
}

/// The ids of each box's proposals, kept between requests: the random order
/// needs them all for every visitor, and reading 100,000 index rows costs a
/// few milliseconds, against a fraction of one to shuffle them in memory.
///
/// An entry is valid for exactly the snapshot it was read from: it records
/// the length of the index table (`len()` is O(1) in redb), which only ever
/// grows, since a proposal is never removed nor moved to another box. A
/// reader on an older or newer snapshot sees another length and reads again.
/// [`write`] would move a proposal's index entries to another box, but no
/// operation does: one that did would keep the length and leave this cache
/// stale, so it would have to key the cache on something else.
#[derive(Default)]
pub struct BoxIds {
    boxes: std::sync::Mutex<HashMap<BoxId, BoxIdsEntry>>,
}

/// The index table's length when the ids were read, and the ids.
type BoxIdsEntry = (u64, Arc<Vec<ProposalId>>);

impl BoxIds {
    /// The ids of `box_id`'s proposals in `tx`'s snapshot, oldest first.
    pub fn of(&self, tx: &ReadTransaction, box_id: BoxId) -> Result<Arc<Vec<ProposalId>>, StoreError> {
        let index = tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
        let len = index.len()?;
        if let Some((at, ids)) = self.boxes.lock().unwrap_or_else(|e| e.into_inner()).get(&box_id) {
            if *at == len {
                return Ok(ids.clone());
            }
        }
        let mut ids = Vec::new();
        for row in index.range((box_id.get(), i64::MIN, 0)..=(box_id.get(), i64::MAX, u64::MAX))? {
            ids.push(ProposalId(row?.0.value().2));
        }
        let ids = Arc::new(ids);
        self.boxes.lock().unwrap_or_else(|e| e.into_inner()).insert(box_id, (len, ids.clone()));
        Ok(ids)
    }
}

/// A 64-bit mix (splitmix64).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A visitor's random order of `len` items: a permutation of `0..len`
/// keyed by the visitor's seed, computed one position at a time (a
/// four-round Feistel network on the smallest even number of bits that
/// covers `len`, walking the cycle until the value falls below `len`: at most
/// four steps on average). The same seed gives the same order; a new item
/// moves a few others, as a new proposal would in any shuffled list.
struct Shuffle {
    seed: u64,
    len: usize,
    /// Bits of each half of the network.
    half: u32,
}

impl Shuffle {
    fn new(seed: u64, len: usize) -> Shuffle {
        let bits = usize::BITS - len.saturating_sub(1).leading_zeros();
        Shuffle { seed, len, half: bits.div_ceil(2).max(1) }
    }

    /// The index shown at `position` (`position < len`).
    fn at(&self, position: usize) -> usize {
        let mut x = position as u64;
        loop {
            x = self.round_trip(x);
            if (x as usize) < self.len {
                return x as usize;
            }
        }
    }

    fn round_trip(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half) - 1;
        let (mut left, mut right) = (x >> self.half, x & mask);
        for round in 0..4u64 {
            let f = mix(self.seed ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ right) & mask;
            (left, right) = (right, left ^ f);
        }
        (left << self.half) | right
    }
}

/// Proposals with a place, newest first, for the map (at most `limit`).
pub fn located(
    tx: &ReadTransaction,
    box_id: BoxId,
    limit: usize,
    hidden: impl Fn(&Summary) -> bool,
) -> Result<Vec<Summary>, StoreError> {
    let summaries = tx.open_table(PROPOSAL_SUMMARY_BY_ID)?;
    let index = tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
    let mut out = Vec::new();
    for row in index.range((box_id.get(), i64::MIN, 0)..=(box_id.get(), i64::MAX, u64::MAX))?.rev() {
        let id = row?.0.value().2;
        let Some(bytes) = summaries.get(id)? else { continue };
        let p: Summary = decode(bytes.value())?;
        if p.location.is_some() && !p.held && !hidden(&p) {
            out.push(p);
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

/// Accepted proposals and their follow-up, across boxes ("what we did").
pub fn followed_up(tx: &ReadTransaction) -> Result<Vec<Proposal>, StoreError> {
    let table = tx.open_table(PROPOSAL_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let p: Proposal = decode(row?.1.value())?;
        if p.status.is_followed_up() && !p.held {
            out.push(p);
        }
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.updated_at));
    Ok(out)
}

/// Every proposal id (search rebuild).
pub fn all_ids(tx: &ReadTransaction) -> Result<Vec<ProposalId>, StoreError> {
    let table = tx.open_table(PROPOSAL_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        out.push(ProposalId(row?.0.value()));
    }
    Ok(out)
}

/// How many proposals exist.
pub fn count(tx: &ReadTransaction) -> Result<u64, StoreError> {
    use redb::ReadableTableMetadata;
    Ok(tx.open_table(PROPOSAL_BY_ID)?.len()?)
}

/// What the search index holds of a proposal; `None` when it must not be
/// found (held for review, hidden by the moderators, or gone).
pub fn search_document(tx: &ReadTransaction, id: ProposalId) -> Result<Option<crate::search::Document>, StoreError> {
    let Some(p) = get(tx, id)? else { return Ok(None) };
    if p.held || crate::domain::moderation::is_hidden(tx, p.target())? {
        return Ok(None);
    }
    // Markdown marks are not words: keep the text readable in snippets.
    let body: String = p.body.chars().filter(|c| !matches!(c, '*' | '_' | '#' | '`' | '>' | '[' | ']')).collect();
    Ok(Some(crate::search::Document {
        kind: ContentKind::Proposal,
        id: id.get(),
        title: p.title,
        body,
        status: Some(p.status.code().to_string()),
        neighbourhood: p.neighbourhood,
        created_at: p.created_at,
        url: format!("/propositions/{id}"),
    }))
}

/// Every proposal id, from either kind of transaction (the groups concept
/// reads a private box's authors before opening it).
pub fn all_ids_in(tx: &impl Tx) -> Result<Vec<ProposalId>, StoreError> {
    let table = tx.open(PROPOSAL_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        out.push(ProposalId(row?.0.value()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Pages of `per_page` until the last, as ids.
    fn all_pages(store: &Store, box_id: BoxId, sort: Sort, filter: &Filter, per_page: usize) -> Vec<u64> {
        pages_with(&Lists::default(), store, box_id, sort, filter, per_page).into_iter().map(ProposalId::get).collect()
    }

    fn pages_with(
        lists: &Lists,
        store: &Store,
        box_id: BoxId,
        sort: Sort,
        filter: &Filter,
        per_page: usize,
    ) -> Vec<ProposalId> {
        let tx = store.read().unwrap();
        let mut out = Vec::new();
        for page in 0.. {
            let (items, more) = list(&tx, lists, box_id, sort, filter, Page { number: page, size: per_page }).unwrap();
            out.extend(items.iter().map(|p| p.id));
            if !more {
                break;
            }
        }
        out
    }

    /// The newest entry of the change log, and its sequence number.
    fn last_change(store: &Store) -> (u64, Option<Target>) {
        let tx = store.read().unwrap();
        let seq = changes::last_seq(&tx).unwrap();
        (seq, changes::since(&tx, seq.saturating_sub(1), 1).unwrap().first().map(|(_, t)| *t))
    }

    #[tokio::test]
    async fn a_status_box_or_support_change_keeps_every_index_in_step_and_logs_what_search_sees() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, b, id) = store
            .write(|tx| {
                let open = IdeaBox { closes_at: i64::MAX, created_by: AccountId(1), ..IdeaBox::default() };
                let a = create_box(tx, IdeaBox { title: "A".into(), ..open.clone() })?;
                let b = create_box(tx, IdeaBox { title: "B".into(), ..open })?;
                let id = post(
                    tx,
                    &NewProposal { box_id: a, author: AccountId(1), title: "Bancs".into(), ..NewProposal::default() },
                    10,
                )?;
                Ok::<_, ProposalError>((a, b, id))
            })
            .await
            .unwrap();
        let in_step = |store: &Store| {
            let report = store.verify().unwrap();
            assert!(report.is_ok(), "{:?}", report.problems);
        };
        in_step(&store);
        let proposal = Some(Target::new(ContentKind::Proposal, id.get()));
        let (posted, _) = last_change(&store);

        // A status change: search filters on it.
        let notifier = Notifier { base_url: String::new() };
        let n = notifier.clone();
        store
            .write(move |tx| answer(tx, &n, id, Status::Accepted, "Oui", &Acting::new(AccountId(2), "test"), 20))
            .await
            .unwrap();
        in_step(&store);
        let (after_status, last) = last_change(&store);
        assert!(after_status > posted && last == proposal, "a status change is logged");

        // A move to another box: both indexes follow, and the change is logged.
        store
            .write(move |tx| {
                let pre = get_in(tx, id)?;
                write(tx, Some(&pre), &Proposal { box_id: b, ..pre.clone() })?;
                Ok::<_, ProposalError>(())
            })
            .await
            .unwrap();
        in_step(&store);
        let (after_move, last) = last_change(&store);
        assert!(after_move > after_status && last == proposal, "a change of box is logged");
        let listed = |box_id, sort| pages_with(&Lists::default(), &store, box_id, sort, &Filter::default(), 10);
        assert_eq!(listed(b, Sort::Recent), vec![id]);
        assert_eq!(listed(b, Sort::MostSupported), vec![id]);
        assert!(listed(a, Sort::Recent).is_empty() && listed(a, Sort::MostSupported).is_empty());

        // A support moves the by-support index; a count is not searched, so
        // nothing is logged.
        let n = notifier.clone();
        let out = store.write(move |tx| set_support(tx, &n, id, AccountId(3), Role::Resident, true, 30)).await.unwrap();
        assert_eq!(out.supports, 1);
        in_step(&store);
        assert_eq!(last_change(&store).0, after_move, "a support alone is not logged");
        {
            let tx = store.read().unwrap();
            let index = tx.open_table(PROPOSAL_ID_BY_BOX_SUPPORTS).unwrap();
            let keys: Vec<_> = index.iter().unwrap().map(|r| r.unwrap().0.value()).collect();
            assert_eq!(keys, vec![(b.get(), 1, id.get())]);
        }

        // A record written past this function is caught by verify.
        store
            .write(move |tx| {
                let stale = Proposal { supports: 5, ..get_in(tx, id)? };
                tx.open_table(PROPOSAL_BY_ID)?.insert(id, encode(&stale)?.as_slice())?;
                Ok::<_, ProposalError>(())
            })
            .await
            .unwrap();
        assert!(!store.verify().unwrap().is_ok(), "verify sees the stale index");
        store.close().await;
    }

    #[tokio::test]
    async fn the_town_halls_operations_record_who_acted_in_the_same_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let notifier = Notifier { base_url: String::new() };
        let staff = Acting::new(AccountId(7), "192.0.2.1");
        let (n, who) = (notifier.clone(), staff.clone());
        let id = store
            .write(move |tx| {
                let b = IdeaBox {
                    title: "Idées".into(),
                    closes_at: i64::MAX,
                    created_by: AccountId(7),
                    ..IdeaBox::default()
                };
                let box_id = open_box(tx, b, &who, 10)?;
                let id = post(
                    tx,
                    &NewProposal { box_id, author: AccountId(1), title: "Bancs".into(), ..NewProposal::default() },
                    11,
                )?;
                answer(tx, &n, id, Status::Accepted, "Oui", &who, 12)?;
                let step = Milestone { at: 13, title: "Commande".into(), text: String::new(), progress: 50 };
                add_milestone(tx, &n, id, step, &who, 13)?;
                Ok::<_, ProposalError>(id)
            })
            .await
            .unwrap();
        let tx = store.read().unwrap();
        let events = audit::list(&tx, &audit::Filter::default(), None, 10).unwrap();
        let seen: Vec<_> = events
            .iter()
            .map(|(_, e)| (e.action, e.actor.map(AccountId::get), e.ip.as_str(), e.detail.clone()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (Action::ProposalAnswered, Some(7), "192.0.2.1", format!("proposal {id}: milestone 50 %")),
                (Action::ProposalAnswered, Some(7), "192.0.2.1", format!("proposal {id}: accepted")),
                (Action::IdeaBoxOpened, Some(7), "192.0.2.1", "box 1".to_string()),
            ]
        );
        // A refused operation records nothing: each is one transaction.
        drop(tx);
        let refused = store.write(move |tx| answer(tx, &notifier, id, Status::Rejected, " ", &staff, 20)).await;
        assert!(matches!(refused, Err(ProposalError::ReasonRequired)));
        let n = Notifier { base_url: String::new() };
        let submitted = store
            .write(move |tx| {
                let b = get_in(tx, id)?.box_id;
                post(
                    tx,
                    &NewProposal { box_id: b, author: AccountId(1), title: "Arbres".into(), ..NewProposal::default() },
                    21,
                )
            })
            .await
            .unwrap();
        let step = Milestone { at: 22, title: "Commande".into(), text: String::new(), progress: 10 };
        let who = Acting::new(AccountId(7), "192.0.2.1");
        let early = store.write(move |tx| add_milestone(tx, &n, submitted, step.clone(), &who, 22)).await;
        assert!(matches!(early, Err(ProposalError::NotFollowedUp)), "no follow-up before the town hall accepts");
        assert_eq!(audit::list(&store.read().unwrap(), &audit::Filter::default(), None, 10).unwrap().len(), 3);
        store.close().await;
    }

    #[test]
    fn a_visitors_order_is_a_permutation_of_every_length_and_differs_by_seed() {
        for len in (0..130).chain([1000, 4097, 100_000]) {
            for seed in [0, 1, 42, u64::MAX] {
                let order = Shuffle::new(seed, len);
                let mut seen = vec![false; len];
                for position in 0..len {
                    let i = order.at(position);
                    assert!(i < len && !seen[i], "len {len} seed {seed}: {i} twice or out of range");
                    seen[i] = true;
                }
            }
        }
        let first: Vec<usize> = (0..50).map(|p| Shuffle::new(1, 50).at(p)).collect();
        let other: Vec<usize> = (0..50).map(|p| Shuffle::new(2, 50).at(p)).collect();
        assert_ne!(first, other, "another visitor, another order");
        assert_ne!(first, (0..50).collect::<Vec<_>>(), "not the order of posting");
    }

    #[tokio::test]
    async fn an_erased_persons_pending_uploads_are_forgotten_at_the_next_pass() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, b) = ("c".repeat(32) + ".jpg", "d".repeat(32) + ".jpg");
        let (fa, fb) = (a.clone(), b.clone());
        store
            .write(move |tx| {
                record_upload(tx, &fa, AccountId(1), 100)?;
                record_upload(tx, &fb, AccountId(2), 100)?;
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        assert_eq!(store.write(|tx| expire_uploads_of(tx, AccountId(1))).await.unwrap(), 1);
        // Both were uploaded at 100: only the erased person's is past its day.
        let unused = store.write(|tx| forget_uploads(tx, 50)).await.unwrap();
        assert_eq!(unused, vec![a.clone()]);
        let tx = store.read().unwrap();
        assert!(!has_uploaded(&tx, &a, AccountId(1)).unwrap() && has_uploaded(&tx, &b, AccountId(2)).unwrap());
    }

    #[tokio::test]
    async fn uploads_are_their_uploaders_and_forgotten_when_never_posted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, b) = ("a".repeat(32) + ".jpg", "b".repeat(32) + ".jpg");
        let (fa, fb) = (a.clone(), b.clone());
        let refused = store
            .write(move |tx| {
                let box_id =
                    create_box(tx, IdeaBox { closes_at: i64::MAX, created_by: AccountId(1), ..IdeaBox::default() })?;
                record_upload(tx, &fa, AccountId(1), 10)?;
                record_upload(tx, &fb, AccountId(1), 10)?;
                let new = |author, file: &str| NewProposal {
                    box_id,
                    author,
                    title: "Bancs".into(),
                    photo: Some(Photo { file: file.to_string(), alt: String::new() }),
                    ..NewProposal::default()
                };
                let refused = matches!(post(tx, &new(AccountId(2), &fa), 11), Err(ProposalError::PhotoNotUploaded));
                post(tx, &new(AccountId(1), &fa), 12)?;
                Ok::<_, ProposalError>(
                    refused && matches!(post(tx, &new(AccountId(1), &fa), 13), Err(ProposalError::PhotoNotUploaded)),
                )
            })
            .await
            .unwrap();
        assert!(refused, "another person's upload, or one already posted, is refused");
        let unused = store.write(|tx| forget_uploads(tx, 11)).await.unwrap();
        assert_eq!(unused, vec![b.clone()], "the posted photo stays, the forgotten one goes");
        let tx = store.read().unwrap();
        assert!(!has_uploaded(&tx, &b, AccountId(1)).unwrap());
        assert_eq!(photo_viewers(&tx, &a).unwrap(), PhotoViewers { everyone: true, accounts: vec![] });
        assert_eq!(photo_viewers(&tx, &b).unwrap(), PhotoViewers::default());
        drop(tx);
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap().problems);
        store.close().await;
    }

    #[tokio::test]
    async fn a_proposal_with_a_held_word_waits_for_the_moderators() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let words = HeldWords::new(&["arnaque".to_string()]);
        let (clean, held) = store
            .write(move |tx| {
                let b = IdeaBox {
                    title: "Idées".into(),
                    closes_at: i64::MAX,
                    created_by: AccountId(1),
                    ..IdeaBox::default()
                };
                let box_id = create_box(tx, b)?;
                let new = |title: &str| NewProposal {
                    box_id,
                    author: AccountId(1),
                    title: title.into(),
                    ..NewProposal::default()
                };
                let clean = submit(tx, &new("Des bancs"), &words, 10)?;
                let held = submit(tx, &new("Une ARNAQUE"), &words, 11)?;
                Ok::<_, ProposalError>((clean, held))
            })
            .await
            .unwrap();
        assert!(!clean.held && held.held);
        let tx = store.read().unwrap();
        assert!(get(&tx, held.id).unwrap().unwrap().held);
        assert_eq!(moderation::queue_len(&tx).unwrap(), 1, "the moderators have it in their queue");
        assert!(search_document(&tx, held.id).unwrap().is_none(), "search does not find it");
        assert!(search_document(&tx, clean.id).unwrap().is_some());
        drop(tx);
        store.close().await;
    }

    #[tokio::test]
    async fn a_visitors_shuffle_is_stable_and_its_pages_show_each_proposal_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let box_id = store
            .write(|tx| {
                let b = IdeaBox {
                    title: "Idées".into(),
                    closes_at: i64::MAX,
                    created_by: AccountId(1),
                    ..IdeaBox::default()
                };
                create_box(tx, b)
            })
            .await
            .unwrap();
        let more = |from: i64, to: i64| {
            store.write(move |tx| {
                for i in from..to {
                    let new = NewProposal {
                        box_id,
                        author: AccountId(1),
                        title: format!("Proposition {i}"),
                        // Only every seventh is in Les Vignes: a filter that
                        // keeps few of the first shuffled ones.
                        neighbourhood: Some(if i % 7 == 0 { "Les Vignes" } else { "Centre" }.to_string()),
                        ..NewProposal::default()
                    };
                    post(tx, &new, 100 + i)?;
                }
                Ok::<_, ProposalError>(())
            })
        };
        more(0, 60).await.unwrap();
        let everyone = Filter::default();
        let first = all_pages(&store, box_id, Sort::Random(42), &everyone, 7);
        let mut sorted = first.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (1..=60).collect::<Vec<u64>>(), "every proposal once, over all pages");
        assert_eq!(
            all_pages(&store, box_id, Sort::Random(42), &everyone, 7),
            first,
            "the same visitor, the same order"
        );
        assert_eq!(all_pages(&store, box_id, Sort::Random(42), &everyone, 60), first, "whatever the page size");
        let other = all_pages(&store, box_id, Sort::Random(43), &everyone, 7);
        assert_ne!(other, first, "another visitor, another order");
        assert_ne!(first, (1..=60).collect::<Vec<u64>>(), "not the order of posting");
        let vignes = Filter { neighbourhood: Some("Les Vignes".into()), ..Filter::default() };
        let filtered = all_pages(&store, box_id, Sort::Random(42), &vignes, 2);
        let expected: Vec<u64> = first.iter().copied().filter(|id| (id - 1) % 7 == 0).collect();
        assert_eq!(filtered, expected, "a filter keeps the visitor's order and loses none");

        // The ids kept between requests follow new proposals.
        let cache = Lists::default();
        let bare = |ids: Vec<ProposalId>| ids.into_iter().map(ProposalId::get).collect::<Vec<u64>>();
        assert_eq!(bare(pages_with(&cache, &store, box_id, Sort::Random(42), &everyone, 7)), first);
        more(60, 65).await.unwrap();
        let after = bare(pages_with(&cache, &store, box_id, Sort::Random(42), &everyone, 7));
        assert_eq!(after.len(), 65, "proposals posted since are listed");
        assert_eq!(after, all_pages(&store, box_id, Sort::Random(42), &everyone, 7));
        store.close().await;
    }

    /// Every page of every order, read from the kept list and from the
    /// tables: the same proposals in the same order.
    fn same_from_both(store: &Store, lists: &Lists, box_id: BoxId, filter: &Filter) -> Vec<Vec<u64>> {
        let tx = store.read().unwrap();
        let states = moderation::States::open(&tx).unwrap();
        let mut seen = Vec::new();
        for sort in [Sort::Recent, Sort::MostSupported, Sort::Random(7), Sort::Random(8)] {
            for size in [1, 3, 50] {
                let mut kept_all = Vec::new();
                for number in 0.. {
                    let page = Page { number, size };
                    let kept = lists.of(&tx, box_id).unwrap().expect("kept").page(sort, filter, page);
                    let tables = list_from_tables(&tx, &lists.ids, box_id, sort, filter, page, |p| {
                        states.hidden_or_unreadable(p.target())
                    })
                    .unwrap();
                    assert_eq!(kept, tables, "{sort:?}, page {number} of {size}");
                    kept_all.extend(kept.0.iter().map(|p| p.id.get()));
                    if !kept.1 {
                        break;
                    }
                }
                if size == 50 {
                    seen.push(kept_all);
                }
            }
        }
        seen
    }

    #[tokio::test]
    async fn a_kept_list_shows_each_change_on_the_next_listing_and_matches_the_tables() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (box_id, other_box) = store
            .write(|tx| {
                let open = IdeaBox { closes_at: i64::MAX, created_by: AccountId(1), ..IdeaBox::default() };
                let a = create_box(tx, IdeaBox { title: "A".into(), ..open.clone() })?;
                let b = create_box(tx, IdeaBox { title: "B".into(), ..open })?;
                for i in 0..12u64 {
                    let new = NewProposal {
                        box_id: if i == 11 { b } else { a },
                        author: AccountId(1 + i % 3),
                        title: format!("Proposition {i}"),
                        neighbourhood: Some(if i % 2 == 0 { "Centre" } else { "Les Vignes" }.to_string()),
                        held: i == 5,
                        ..NewProposal::default()
                    };
                    post(tx, &new, 100 + (i as i64 % 4))?;
                }
                Ok::<_, ProposalError>((a, b))
            })
            .await
            .unwrap();
        let lists = Lists::default();
        let everyone = Filter::default();
        let recent = |lists: &Lists, filter: &Filter| same_from_both(&store, lists, box_id, filter)[0].clone();
        let first = recent(&lists, &everyone);
        assert_eq!(first.len(), 10, "the held one is left out, the other box's too");
        assert!(!first.contains(&6) && !first.contains(&12));
        let summary = |id: u64| {
            let tx = store.read().unwrap();
            let kept = lists.of(&tx, box_id).unwrap().unwrap();
            kept.items.iter().find(|l| l.summary.id.get() == id).map(|l| (*l.summary).clone())
        };
        let version = || list_version(&store.read().unwrap(), box_id).unwrap();
        let mut was = version();

        // A support: the count and the order by supports.
        let n = Notifier { base_url: String::new() };
        let n2 = n.clone();
        store
            .write(move |tx| set_support(tx, &n2, ProposalId(3), AccountId(9), Role::Resident, true, 200))
            .await
            .unwrap();
        assert!(version() > was, "a support moves the version");
        was = version();
        assert_eq!(summary(3).unwrap().supports, 1, "the support shows on the next listing");
        assert_eq!(same_from_both(&store, &lists, box_id, &everyone)[1][0], 3, "first by supports");

        // An edit (a new title, through the one write function).
        store
            .write(|tx| {
                let pre = get_in(tx, ProposalId(4))?;
                write(tx, Some(&pre), &Proposal { title: "Un autre titre".into(), ..pre.clone() })?;
                Ok::<_, ProposalError>(())
            })
            .await
            .unwrap();
        assert!(version() > was);
        was = version();
        assert_eq!(summary(4).unwrap().title, "Un autre titre", "the edit shows on the next listing");

        // An answer: the status, and the status filter.
        let n2 = n.clone();
        store
            .write(move |tx| {
                answer(tx, &n2, ProposalId(2), Status::Accepted, "Oui", &Acting::new(AccountId(2), "t"), 300)
            })
            .await
            .unwrap();
        assert!(version() > was);
        was = version();
        assert_eq!(summary(2).unwrap().status, Status::Accepted, "the answer shows on the next listing");
        let accepted = Filter { status: Some(Status::Accepted), ..Filter::default() };
        assert_eq!(recent(&lists, &accepted), vec![2]);

        // A moderator hides one, then publishes it again.
        let target = Target::new(ContentKind::Proposal, 7);
        store
            .write(move |tx| {
                moderation::decide(
                    tx,
                    target,
                    &moderation::Decision::Hide { reason: moderation::Reason::Spam, message: String::new() },
                    AccountId(2),
                    400,
                )
            })
            .await
            .unwrap();
        assert!(version() > was, "a hide moves the version");
        was = version();
        assert!(!recent(&lists, &everyone).contains(&7), "the hidden one leaves the next listing");
        store
            .write(move |tx| moderation::decide(tx, target, &moderation::Decision::Publish, AccountId(2), 500))
            .await
            .unwrap();
        assert!(version() > was);
        was = version();
        assert!(recent(&lists, &everyone).contains(&7), "published again, listed again");

        // The held one: its author sees it; released, everyone does.
        let author = Filter { viewer: Some(AccountId(3)), ..Filter::default() };
        assert!(recent(&lists, &author).contains(&6));
        store.write(|tx| release(tx, ProposalId(6))).await.unwrap();
        assert!(version() > was);
        assert!(recent(&lists, &everyone).contains(&6), "released, listed");

        // A change elsewhere (a follow, another box) keeps the kept list.
        let kept = lists.of(&store.read().unwrap(), box_id).unwrap().unwrap();
        store.write(|tx| set_follow(tx, ProposalId(1), AccountId(8), true)).await.unwrap();
        let n2 = n.clone();
        store
            .write(move |tx| set_support(tx, &n2, ProposalId(12), AccountId(9), Role::Resident, true, 600))
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&kept, &lists.of(&store.read().unwrap(), box_id).unwrap().unwrap()), "not read again");
        assert_eq!(same_from_both(&store, &lists, other_box, &everyone)[0], vec![12]);

        // An older snapshot than the kept list reads from the tables, and
        // never sees the newer list.
        let old = store.read().unwrap();
        let n2 = n.clone();
        store
            .write(move |tx| set_support(tx, &n2, ProposalId(1), AccountId(9), Role::Resident, true, 700))
            .await
            .unwrap();
        assert_eq!(summary(1).unwrap().supports, 1);
        assert!(lists.of(&old, box_id).unwrap().is_none(), "an older snapshot: from the tables");
        drop(old);
        store.close().await;
    }

    #[tokio::test]
    async fn lists_keep_no_more_summaries_than_their_room_and_the_others_read_the_tables() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let (a, b) = store
            .write(|tx| {
                let open = IdeaBox { closes_at: i64::MAX, created_by: AccountId(1), ..IdeaBox::default() };
                let a = create_box(tx, IdeaBox { title: "A".into(), ..open.clone() })?;
                let b = create_box(tx, IdeaBox { title: "B".into(), ..open })?;
                for i in 0..7 {
                    let new = NewProposal {
                        box_id: if i < 4 { a } else { b },
                        author: AccountId(1),
                        title: format!("Proposition {i}"),
                        ..NewProposal::default()
                    };
                    post(tx, &new, 100 + i)?;
                }
                Ok::<_, ProposalError>((a, b))
            })
            .await
            .unwrap();
        let lists = Lists::with_room(5);
        let tx = store.read().unwrap();
        assert!(lists.of(&tx, a).unwrap().is_some(), "4 fit in 5");
        assert!(lists.of(&tx, b).unwrap().is_none(), "3 more do not: read from the tables");
        assert!(lists.of(&tx, a).unwrap().is_some(), "the first one stays kept");
        drop(tx);
        assert_eq!(
            pages_with(&lists, &store, b, Sort::Recent, &Filter::default(), 2),
            vec![ProposalId(7), ProposalId(6), ProposalId(5)]
        );
        assert_eq!(same_from_both(&store, &lists, a, &Filter::default())[0], vec![4, 3, 2, 1]);
        assert!(Lists::with_room(3).of(&store.read().unwrap(), a).unwrap().is_none(), "a box larger than the room");
        store.close().await;
    }
}
