//! Moderation: reports from residents, the queue, moderators' decisions,
//! and the held words that keep a contribution back until a moderator has
//! read it.
//!
//! Moderation works on any [`Target`] (a comment, a proposal, …): it keeps a
//! [`State`] per piece of content that was ever held, reported or decided
//! on, and other concepts ask [`status`] or [`is_public`] before showing
//! their content. Whoever changes whether content is public records a change
//! (`changes::record`) in the same transaction, so search follows at once.
//!
//! Counters of visible content belong to their concept; a decision here tells
//! the concept in the same transaction (see [`decide`]).

pub mod decisions;
pub mod screen;
pub mod tables;

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::accounts::AccountId;
use super::changes::{self, ContentKind, Target};
use crate::domain::ids::{CommentId, ProposalId};
use crate::store::{decode, encode, Record, StoreError, Tx};
pub use decisions::{hide, kind_key, publish, reason_key};
pub use screen::{screen, HeldWords};
use tables::{
    MODERATION_BY_TARGET, MODERATION_QUEUE_BY_TIME, REPORT_BY_ID, REPORT_ID_BY_TARGET, REPORT_ID_BY_TARGET_ACCOUNT,
};

/// Whether a piece of content may be shown to everyone.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Published,
    /// Kept back by the held words until a moderator approves it: only its
    /// author and the moderators see it.
    Held,
    /// Hidden by a moderator: a public placeholder stands in its place.
    Hidden,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Held => "held",
            Status::Hidden => "hidden",
        }
    }
}

/// Why a resident reports content (and why a moderator hides it).
///
/// Stored with postcard, which records the variant's position: add new
/// reasons at the end only.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Spam,
    /// Insults, harassment, discrimination.
    Abuse,
    OffTopic,
    /// Someone's address, phone number, health…: personal data of others.
    PersonalData,
    /// Anything against the law (defamation, incitement…).
    Illegal,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 6] =
        [Reason::Spam, Reason::Abuse, Reason::OffTopic, Reason::PersonalData, Reason::Illegal, Reason::Other];

    /// A stable code, for forms and translation keys (`moderation-reason-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Reason::Spam => "spam",
            Reason::Abuse => "abuse",
            Reason::OffTopic => "off-topic",
            Reason::PersonalData => "personal-data",
            Reason::Illegal => "illegal",
            Reason::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The moderation state of one piece of content.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct State {
    pub status: Status,
    /// The reason of the last decision to hide.
    pub reason: Option<Reason>,
    /// The moderator's words to the author when hiding.
    pub message: String,
    pub decided_by: Option<AccountId>,
    pub decided_at: Option<i64>,
    /// Reports not yet dealt with by a decision.
    pub open_reports: u32,
    /// When the item entered the queue; `None` while nothing waits.
    pub queued_at: Option<i64>,
}

impl Record for State {
    const NAME: &'static str = "moderation state";
    const VERSION: u8 = 1;
}

impl State {
    fn new() -> State {
        State {
            status: Status::Published,
            reason: None,
            message: String::new(),
            decided_by: None,
            decided_at: None,
            open_reports: 0,
            queued_at: None,
        }
    }

    /// Whether a moderator has something to decide.
    pub fn waiting(&self) -> bool {
        self.status == Status::Held || self.open_reports > 0
    }
}

pub use crate::domain::ids::FlagId;

/// A resident's report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Report {
    pub id: FlagId,
    pub target: Target,
    pub reporter: AccountId,
    pub reason: Reason,
    /// What the resident added (optional, plain text).
    pub text: String,
    pub at: i64,
    /// Until a moderator decides on the content.
    pub open: bool,
}

impl Record for Report {
    const NAME: &'static str = "report";
    const VERSION: u8 = 1;
}

/// The longest text a report or a moderator's message may have.
pub const MAX_TEXT_CHARS: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("this person has already reported this content")]
    AlreadyReported,
    #[error("no such content")]
    NotFound,
    #[error("the text is too long")]
    TooLong,
    #[error("nothing to decide on this content")]
    NothingToDecide,
    /// Only a signed-in moderator decides.
    #[error("only a moderator may decide on content")]
    NotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(ModerationError);

fn key(target: Target) -> (u8, u64) {
    (target.kind.tag(), target.id)
}

fn target_of(kind: u8, id: u64) -> Option<Target> {
    ContentKind::from_tag(kind).map(|k| Target::new(k, id))
}

/// The moderation state of `target`, if it was ever held, reported or decided on.
pub fn state(tx: &impl Tx, target: Target) -> Result<Option<State>, StoreError> {
    let table = tx.open(MODERATION_BY_TARGET)?;
    let found = table.get(key(target))?;
    Ok(match found {
        Some(bytes) => Some(decode(bytes.value())?),
        None => None,
    })
}

/// Whether `target` is published, held or hidden.
pub fn status(tx: &impl Tx, target: Target) -> Result<Status, StoreError> {
    Ok(state(tx, target)?.map(|s| s.status).unwrap_or(Status::Published))
}

/// Whether everyone may see `target` (neither held nor hidden).
pub fn is_public(tx: &impl Tx, target: Target) -> Result<bool, StoreError> {
    Ok(status(tx, target)? == Status::Published)
}

/// Whether a moderator hid `target`.
pub fn is_hidden(tx: &impl Tx, target: Target) -> Result<bool, StoreError> {
    Ok(status(tx, target)? == Status::Hidden)
}

/// The moderation states of many targets, read through one open table: a
/// page of a list asks for twenty, and opening a table costs more than a
/// look-up in it.
pub struct States {
    table: redb::ReadOnlyTable<(u8, u64), &'static [u8]>,
}

impl States {
    pub fn open(tx: &redb::ReadTransaction) -> Result<States, StoreError> {
        Ok(States { table: tx.open_table(MODERATION_BY_TARGET)? })
    }

    /// Whether `target` is published, held or hidden (as [`status`]).
    pub fn status(&self, target: Target) -> Result<Status, StoreError> {
        let found = self.table.get(key(target))?;
        Ok(match found {
            Some(bytes) => decode::<State>(bytes.value())?.status,
            None => Status::Published,
        })
    }

    /// Whether a moderator hid `target`; a state that cannot be read counts
    /// as hidden, for lists that leave such content out rather than show
    /// what may have been hidden.
    pub fn hidden_or_unreadable(&self, target: Target) -> bool {
        self.status(target).map_or(true, |s| s == Status::Hidden)
    }
}

/// The ids of `kind`'s contents a moderator hid, or whose state cannot be
/// read (left out too, as [`States::hidden_or_unreadable`] does): read in
/// one pass, for a list kept in memory (`proposals::Lists`).
pub fn hidden_or_unreadable(
    tx: &redb::ReadTransaction,
    kind: ContentKind,
) -> Result<std::collections::HashSet<u64>, StoreError> {
    let table = tx.open_table(MODERATION_BY_TARGET)?;
    let mut hidden = std::collections::HashSet::new();
    for row in table.range((kind.tag(), 0)..=(kind.tag(), u64::MAX))? {
        let (key, bytes) = row?;
        if decode::<State>(bytes.value()).map_or(true, |s| s.status == Status::Hidden) {
            hidden.insert(key.value().1);
        }
    }
    Ok(hidden)
}

/// Saves a state and moves its queue entry to match: in the queue exactly
/// while something waits, keeping its place when it already waited.
fn save(
    tx: &WriteTransaction,
    target: Target,
    before: Option<&State>,
    mut after: State,
    now: i64,
) -> Result<(), StoreError> {
    let mut queue = tx.open_table(MODERATION_QUEUE_BY_TIME)?;
    let (kind, id) = key(target);
    let was = before.and_then(|b| b.queued_at);
    after.queued_at = match (after.waiting(), was) {
        (true, Some(at)) => Some(at),
        (true, None) => Some(now),
        (false, _) => None,
    };
    if let Some(at) = was.filter(|at| after.queued_at != Some(*at)) {
        queue.remove((at, kind, id))?;
    }
    if let Some(at) = after.queued_at.filter(|at| was != Some(*at)) {
        queue.insert((at, kind, id), ())?;
    }
    tx.open_table(MODERATION_BY_TARGET)?.insert((kind, id), encode(&after)?.as_slice())?;
    let status_before = before.map_or(Status::Published, |b| b.status);
    if target.kind == ContentKind::Proposal && status_before != after.status {
        // Whether it may be listed changed: its box's kept list is read again.
        super::proposals::listing_changed(tx, ProposalId(target.id))?;
    }
    if status_before == Status::Published && after.status != Status::Published {
        // Published, now held or hidden: the open-data archive made before
        // holds it and is made again before it is served.
        super::opendata::withdrawn(tx)?;
    }
    if status_before != after.status {
        // Whether visitors see it changed: the page that shows it (a
        // proposal's own, or the one of a comment's discussion) is
        // rendered again instead of served as kept.
        match target.kind {
            ContentKind::Proposal => super::proposals::page_changed(tx, ProposalId(target.id))?,
            ContentKind::Comment => super::comments::page_changed(tx, CommentId(target.id))?,
            _ => {}
        }
    }
    Ok(())
}

/// Holds a new or edited contribution for review (the held words matched).
/// Returns whether it was public before: the caller adjusts its own counters.
/// Search drops it through the change recorded here.
pub fn hold(tx: &WriteTransaction, target: Target, now: i64) -> Result<bool, StoreError> {
    let before = state(tx, target)?;
    let mut after = before.clone().unwrap_or_else(State::new);
    let was_public = after.status == Status::Published;
    if after.status == Status::Hidden {
        // Hidden content stays hidden; there is nothing to review.
        return Ok(false);
    }
    after.status = Status::Held;
    save(tx, target, before.as_ref(), after, now)?;
    changes::record(tx, target)?;
    Ok(was_public)
}

/// Whether residents may report `target`: it exists and everyone sees it
/// (held content already waits for the moderators; a deleted comment has
/// nothing left to report). Existence is asked of the concept that owns it.
pub fn reportable(tx: &impl Tx, target: Target) -> Result<bool, StoreError> {
    if !is_public(tx, target)? {
        return Ok(false);
    }
    Ok(match target.kind {
        ContentKind::Comment => super::comments::get(tx, CommentId(target.id))?.is_some_and(|c| c.deleted_at.is_none()),
        ContentKind::Proposal => super::proposals::get(tx, ProposalId(target.id))?.is_some_and(|p| !p.held),
        _ => false,
    })
}

/// Files a report on content residents may report ([`reportable`]). A
/// person has at most one open report on a piece of content: the checks
/// and the write are one transaction, so a double click files one report,
/// and content hidden meanwhile is not reported.
pub fn report(
    tx: &WriteTransaction,
    target: Target,
    reporter: AccountId,
    reason: Reason,
    text: &str,
    now: i64,
) -> Result<FlagId, ModerationError> {
    if !reportable(tx, target)? {
        return Err(ModerationError::NotFound);
    }
    let text = text.trim();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ModerationError::TooLong);
    }
    let (kind, id) = key(target);
    let mut by_account = tx.open_table(REPORT_ID_BY_TARGET_ACCOUNT)?;
    let mut reports = tx.open_table(REPORT_BY_ID)?;
    let previous = by_account.get((kind, id, reporter.get()))?.map(|v| v.value());
    if let Some(previous) = previous {
        let open = match reports.get(previous)? {
            Some(bytes) => decode::<Report>(bytes.value())?.open,
            None => false,
        };
        if open {
            return Err(ModerationError::AlreadyReported);
        }
    }
    let report_id = reports.last()?.map(|(k, _)| k.value() + 1).unwrap_or(1);
    let report =
        Report { id: FlagId(report_id), target, reporter, reason, text: text.to_string(), at: now, open: true };
    reports.insert(report_id, encode(&report)?.as_slice())?;
    tx.open_table(REPORT_ID_BY_TARGET)?.insert((kind, id, report_id), ())?;
    by_account.insert((kind, id, reporter.get()), report_id)?;
    drop((reports, by_account));
    let before = state(tx, target)?;
    let mut after = before.clone().unwrap_or_else(State::new);
    after.open_reports += 1;
    save(tx, target, before.as_ref(), after, now)?;
    Ok(FlagId(report_id))
}

/// The reports of `target`, oldest first.
pub fn reports_of(tx: &impl Tx, target: Target) -> Result<Vec<Report>, StoreError> {
    let (kind, id) = key(target);
    let index = tx.open(REPORT_ID_BY_TARGET)?;
    let reports = tx.open(REPORT_BY_ID)?;
    let mut out = Vec::new();
    for row in index.range((kind, id, 0)..=(kind, id, u64::MAX))? {
        let (k, _) = row?;
        if let Some(bytes) = reports.get(k.value().2)? {
            out.push(decode(bytes.value())?);
        }
    }
    Ok(out)
}

/// The reports a person filed, newest first (personal data export). Reports
/// are indexed by content, not by reporter: they are read whole, which an
/// export can afford (there are far fewer reports than contributions).
pub fn reports_by(tx: &impl Tx, reporter: AccountId) -> Result<Vec<Report>, StoreError> {
    let table = tx.open(REPORT_BY_ID)?;
    let mut out = Vec::new();
    for row in table.iter()?.rev() {
        let report: Report = decode(row?.1.value())?;
        if report.reporter == reporter {
            out.push(report);
        }
    }
    Ok(out)
}

/// What a moderator decides.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Replace the content by a public placeholder; the author is told why.
    Hide { reason: Reason, message: String },
    /// Publish: approve held content, restore hidden content, or keep
    /// reported content as it is (the reports are dismissed).
    Publish,
}

/// What a decision changed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub before: Status,
    pub after: Status,
    /// Open reports closed by this decision.
    pub reports_closed: u32,
}

/// Applies a moderator's decision to `target`: its status, its open reports
/// (closed), its place in the queue (left), the concept's counters and the
/// change log, all in the caller's transaction.
pub fn decide(
    tx: &WriteTransaction,
    target: Target,
    decision: &Decision,
    moderator: AccountId,
    now: i64,
) -> Result<Outcome, ModerationError> {
    let before = state(tx, target)?;
    let mut after = before.clone().unwrap_or_else(State::new);
    let was = after.status;
    if let Decision::Hide { message, .. } = decision {
        if message.trim().chars().count() > MAX_TEXT_CHARS {
            return Err(ModerationError::TooLong);
        }
    }
    if *decision == Decision::Publish && !after.waiting() && was == Status::Published {
        return Err(ModerationError::NothingToDecide);
    }
    let closed = close_reports(tx, target)?;
    match decision {
        Decision::Hide { reason, message } => {
            after.status = Status::Hidden;
            after.reason = Some(*reason);
            after.message = message.trim().to_string();
        }
        Decision::Publish => {
            after.status = Status::Published;
        }
    }
    after.open_reports = 0;
    after.decided_by = Some(moderator);
    after.decided_at = Some(now);
    let now_status = after.status;
    save(tx, target, before.as_ref(), after, now)?;
    let was_public = was == Status::Published;
    let is_public = now_status == Status::Published;
    if was_public != is_public {
        changes::record(tx, target)?;
        visibility_changed(tx, target, is_public)?;
    }
    Ok(Outcome { before: was, after: now_status, reports_closed: closed })
}

/// Tells the concept that owns `target` that it became public or stopped
/// being public, so that its counters follow in the same transaction.
fn visibility_changed(tx: &WriteTransaction, target: Target, public: bool) -> Result<(), StoreError> {
    match target.kind {
        ContentKind::Comment => super::comments::visibility_changed(tx, CommentId(target.id), public),
        ContentKind::Proposal => {
            if public {
                // Proposals keep their own "held" flag: approving clears it.
                match super::proposals::release(tx, ProposalId(target.id)) {
                    Ok(()) | Err(super::proposals::ProposalError::NotFound) => {}
                    Err(super::proposals::ProposalError::Store(e)) => return Err(e),
                    Err(e) => return Err(StoreError::Internal(e.to_string())),
                }
            }
            super::comments::target_visibility_changed(tx, target)
        }
        // Comments are found in search only with their content.
        _ => super::comments::target_visibility_changed(tx, target),
    }
}

/// Closes the open reports of `target`; returns how many.
fn close_reports(tx: &WriteTransaction, target: Target) -> Result<u32, StoreError> {
    let (kind, id) = key(target);
    let ids: Vec<u64> = tx
        .open_table(REPORT_ID_BY_TARGET)?
        .range((kind, id, 0)..=(kind, id, u64::MAX))?
        .map(|r| r.map(|(k, _)| k.value().2))
        .collect::<Result<_, _>>()?;
    let mut reports = tx.open_table(REPORT_BY_ID)?;
    let mut closed = 0;
    for report_id in ids {
        let found = reports.get(report_id)?.map(|b| decode::<Report>(b.value()));
        if let Some(report) = found {
            let mut report = report?;
            if report.open {
                report.open = false;
                reports.insert(report_id, encode(&report)?.as_slice())?;
                closed += 1;
            }
        }
    }
    Ok(closed)
}

/// The author withdrew the content (deleted it): nothing is left to decide,
/// so it leaves the queue and its reports are closed.
pub fn withdrawn(tx: &WriteTransaction, target: Target, now: i64) -> Result<(), StoreError> {
    let Some(before) = state(tx, target)? else { return Ok(()) };
    close_reports(tx, target)?;
    let mut after = before.clone();
    after.open_reports = 0;
    if after.status == Status::Held {
        after.status = Status::Published;
    }
    save(tx, target, Some(&before), after, now)
}

/// One item of the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub target: Target,
    pub state: State,
}

/// The queue, oldest first: `limit` items from position `offset`.
pub fn queue(tx: &impl Tx, offset: usize, limit: usize) -> Result<Vec<Waiting>, StoreError> {
    let index = tx.open(MODERATION_QUEUE_BY_TIME)?;
    let mut out = Vec::new();
    for row in index.iter()?.skip(offset).take(limit) {
        let (k, _) = row?;
        let (_, kind, id) = k.value();
        let Some(target) = target_of(kind, id) else { continue };
        if let Some(state) = state(tx, target)? {
            out.push(Waiting { target, state });
        }
    }
    Ok(out)
}

/// How many items wait for a moderator.
pub fn queue_len(tx: &impl Tx) -> Result<u64, StoreError> {
    Ok(tx.open(MODERATION_QUEUE_BY_TIME)?.len()?)
}

/// The author of a piece of content, asked of the concept that owns it.
pub fn author_of(tx: &impl Tx, target: Target) -> Result<Option<AccountId>, StoreError> {
    match target.kind {
        ContentKind::Comment => Ok(super::comments::get(tx, CommentId(target.id))?.map(|c| c.author)),
        // `proposals::get` reads from a read transaction only: the web layer
        // looks their author up before writing (an author never changes).
        _ => Ok(None),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::Store;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        (dir, store)
    }

    /// A proposal (by account 5) in an open box, to report or decide on.
    pub(crate) async fn proposal(store: &Store) -> Target {
        use super::super::proposals::{self, IdeaBox, NewProposal};
        let id = store
            .write(|tx| {
                let b = IdeaBox {
                    title: "Idées".into(),
                    closes_at: i64::MAX,
                    created_by: AccountId(1),
                    ..IdeaBox::default()
                };
                let box_id = proposals::create_box(tx, b)?;
                proposals::post(
                    tx,
                    &NewProposal { box_id, author: AccountId(5), title: "Bancs".into(), ..NewProposal::default() },
                    1,
                )
            })
            .await
            .unwrap();
        Target::new(ContentKind::Proposal, id.get())
    }

    #[tokio::test]
    async fn only_existing_public_content_is_reported() {
        let (_dir, store) = store();
        let missing = Target::new(ContentKind::Proposal, 99);
        let refused = store.write(move |tx| report(tx, missing, AccountId(1), Reason::Spam, "", 100)).await;
        assert!(matches!(refused, Err(ModerationError::NotFound)));
        let t = proposal(&store).await;
        let hide = Decision::Hide { reason: Reason::Spam, message: String::new() };
        store.write(move |tx| decide(tx, t, &hide, AccountId(9), 110)).await.unwrap();
        let hidden = store.write(move |tx| report(tx, t, AccountId(1), Reason::Spam, "", 120)).await;
        assert!(matches!(hidden, Err(ModerationError::NotFound)), "hidden content is not reported");
        assert_eq!(queue_len(&store.read().unwrap()).unwrap(), 0);
    }

    #[tokio::test]
    async fn a_report_queues_the_content_once_per_person_and_a_decision_empties_the_queue() {
        let (_dir, store) = store();
        let t = proposal(&store).await;
        store.write(move |tx| report(tx, t, AccountId(1), Reason::Spam, "pub", 100)).await.unwrap();
        let again = store.write(move |tx| report(tx, t, AccountId(1), Reason::Abuse, "", 101)).await;
        assert!(matches!(again, Err(ModerationError::AlreadyReported)));
        store.write(move |tx| report(tx, t, AccountId(2), Reason::Abuse, "", 102)).await.unwrap();
        {
            let tx = store.read().unwrap();
            let q = queue(&tx, 0, 10).unwrap();
            assert_eq!(q.len(), 1);
            assert_eq!(q[0].state.open_reports, 2);
            assert_eq!(q[0].state.queued_at, Some(100));
            assert_eq!(reports_of(&tx, t).unwrap().len(), 2);
            assert!(is_public(&tx, t).unwrap());
        }
        let hide = Decision::Hide { reason: Reason::Spam, message: "publicité".into() };
        let out = store.write(move |tx| decide(tx, t, &hide, AccountId(9), 200)).await.unwrap();
        assert_eq!(out, Outcome { before: Status::Published, after: Status::Hidden, reports_closed: 2 });
        {
            let tx = store.read().unwrap();
            assert!(is_hidden(&tx, t).unwrap());
            assert_eq!(queue_len(&tx).unwrap(), 0);
            assert!(reports_of(&tx, t).unwrap().iter().all(|r| !r.open));
        }
        // Restored, then reported again by the same person: once decided,
        // their report is closed and they may file another.
        let out = store.write(move |tx| decide(tx, t, &Decision::Publish, AccountId(9), 300)).await.unwrap();
        assert_eq!((out.before, out.after, out.reports_closed), (Status::Hidden, Status::Published, 0));
        store.write(move |tx| report(tx, t, AccountId(1), Reason::Other, "", 310)).await.unwrap();
        let out = store.write(move |tx| decide(tx, t, &Decision::Publish, AccountId(9), 400)).await.unwrap();
        assert_eq!((out.before, out.after, out.reports_closed), (Status::Published, Status::Published, 1));
        let nothing = store.write(move |tx| decide(tx, t, &Decision::Publish, AccountId(9), 500)).await;
        assert!(matches!(nothing, Err(ModerationError::NothingToDecide)));
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap());
    }

    #[tokio::test]
    async fn held_content_waits_until_approved_and_hidden_content_is_not_held_again() {
        let (_dir, store) = store();
        let t = Target::new(ContentKind::Proposal, 3);
        assert!(store.write(move |tx| hold(tx, t, 10)).await.unwrap());
        assert_eq!(status(&store.read().unwrap(), t).unwrap(), Status::Held);
        assert_eq!(queue_len(&store.read().unwrap()).unwrap(), 1);
        store.write(move |tx| decide(tx, t, &Decision::Publish, AccountId(9), 20)).await.unwrap();
        assert_eq!(status(&store.read().unwrap(), t).unwrap(), Status::Published);
        let hide = Decision::Hide { reason: Reason::Abuse, message: String::new() };
        store.write(move |tx| decide(tx, t, &hide, AccountId(9), 30)).await.unwrap();
        assert!(!store.write(move |tx| hold(tx, t, 40)).await.unwrap());
        assert_eq!(status(&store.read().unwrap(), t).unwrap(), Status::Hidden);
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap());
    }
}
