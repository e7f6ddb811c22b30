//! Comments: the discussion under any piece of content (a proposal, a
//! report, a consultation…), named by its [`Target`].
//!
//! The rules of the commune's discussions:
//! - threads are three levels deep at most: a reply to a level-3 comment
//!   becomes another level-3 reply under the same parent, and remembers whom
//!   it answers ([`Comment::in_reply_to`]); deeper indentation is unreadable
//!   on a phone, and refusing the reply would cut the conversation;
//! - on proposals a comment may say whether its author is for, against or
//!   neutral ([`Stance`]);
//! - "useful" votes: one per person and comment, never on one's own,
//!   cancellable; the check and the write are one transaction, and the form
//!   says what it wants ("useful" or "not useful") rather than "toggle", so a
//!   burst of clicks counts once; a person who deletes their account leaves
//!   their votes counted, like supports (see [`crate::domain::accounts::erase`]);
//! - the author may edit for [`EDIT_WINDOW_SECS`] after posting: long enough
//!   to fix a typo, short enough that nobody rewrites what others answered;
//! - the author may delete: "message supprimé" stays in its place so the
//!   replies still make sense, and the text is erased;
//! - a comment with a held word waits for a moderator (see
//!   [`crate::domain::moderation`]): only its author and the moderators see it.
//!
//! Every comment record is written by one function, [`write`], which moves
//! its indexes and totals and records a change (`changes::record`) when
//! what search shows changed, so that search follows.

pub mod tables;

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::accounts::{self, AccountId, Role};
use super::changes::{self, ContentKind, Target};
use super::moderation::{self, HeldWords, Status};
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::{
    COMMENT_BY_ID, COMMENT_ID_BY_AUTHOR, COMMENT_REPLY_BY_PARENT, COMMENT_TOP_BY_TARGET, COMMENT_TOP_BY_TARGET_USEFUL,
    COMMENT_TOTALS_BY_TARGET, USEFUL_BY_COMMENT_ACCOUNT,
};

pub use crate::domain::ids::CommentId;
use crate::domain::ids::ProposalId;

/// The longest comment, in characters: about two pages of text.
pub const MAX_BODY_CHARS: usize = 5000;
/// How long the author may edit a comment after posting it.
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;
/// The deepest level of a thread (1 is a top-level comment).
pub const MAX_DEPTH: u8 = 3;
/// Top-level comments per page (their replies come with them).
pub const PAGE_SIZE: usize = 20;

/// Where the author of a comment on a proposal stands.
///
/// Stored with postcard, which records the variant's position: add new
/// variants at the end only.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stance {
    For,
    Against,
    Neutral,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::For, Stance::Against, Stance::Neutral];

    /// A stable code, for forms and translation keys (`comment-stance-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Stance::For => "for",
            Stance::Against => "against",
            Stance::Neutral => "neutral",
        }
    }

    pub fn from_code(code: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Comment {
    pub id: CommentId,
    /// What the discussion is about.
    pub target: Target,
    /// The comment this one hangs under; `None` at the top level.
    pub parent: Option<CommentId>,
    /// The comment the author clicked "reply" on: the parent, or a level-3
    /// comment whose reply went under the same parent.
    pub in_reply_to: Option<CommentId>,
    /// 1 for a top-level comment, up to [`MAX_DEPTH`].
    pub depth: u8,
    pub author: AccountId,
    /// Markdown; empty once deleted.
    pub body: String,
    pub stance: Option<Stance>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// How many people found it useful.
    pub useful: u32,
}

impl Record for Comment {
    const NAME: &'static str = "comment";
    const VERSION: u8 = 1;
}

impl Comment {
    /// The comment as content, for moderation, search and the change log.
    pub fn target_of_self(&self) -> Target {
        Target::new(ContentKind::Comment, self.id.get())
    }

    /// Whether its author may still edit it at `now`.
    pub fn editable(&self, now: i64) -> bool {
        self.deleted_at.is_none() && now - self.created_at <= EDIT_WINDOW_SECS
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("the comment is empty")]
    Empty,
    #[error("the comment is longer than {MAX_BODY_CHARS} characters")]
    TooLong,
    #[error("this content does not take comments")]
    TargetClosed,
    #[error("no such comment")]
    NotFound,
    #[error("the comment replied to cannot be answered (deleted, hidden or waiting for moderation)")]
    ParentClosed,
    #[error("only the author may do this")]
    NotAuthor,
    #[error("the delay to edit this comment has passed")]
    EditWindowPassed,
    #[error("the comment was deleted")]
    Deleted,
    #[error("this comment cannot be voted on")]
    NotVotable,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(CommentError);

fn tkey(target: Target) -> (u8, u64) {
    (target.kind.tag(), target.id)
}

/// Whether `target` takes comments: a kind whose page shows a discussion,
/// content that exists and that everyone may see (neither held nor hidden).
/// Existence is asked of the concept that owns the content; [`create`]
/// checks this in its own transaction.
pub fn target_open(tx: &impl Tx, target: Target) -> Result<bool, StoreError> {
    if !moderation::is_public(tx, target)? {
        return Ok(false);
    }
    Ok(match target.kind {
        ContentKind::Proposal => super::proposals::get(tx, ProposalId(target.id))?.is_some_and(|p| !p.held),
        _ => false,
    })
}

pub fn get(tx: &impl Tx, id: CommentId) -> Result<Option<Comment>, StoreError> {
    let table = tx.open(COMMENT_BY_ID)?;
    let found = table.get(id)?;
    Ok(match found {
        Some(bytes) => Some(decode(bytes.value())?),
        None => None,
    })
}

/// The one function that writes a comment record: `pre` is the record as it
/// was (`None` for a new one), `post` as it becomes. Each index moves from
/// the keys `pre` had to the keys `post` has, the target's totals take the
/// difference, and the change is logged when something search shows
/// changed, all in the caller's transaction (kanidm's `entry_index(pre,
/// post)`); `tables::verify` checks the result.
///
/// The public total counts a comment under its moderation status as it
/// stands when this runs: a moderation decision that changes that status
/// adjusts the total itself ([`visibility_changed`]).
fn write(tx: &WriteTransaction, pre: Option<&Comment>, post: &Comment) -> Result<(), StoreError> {
    tx.open_table(COMMENT_BY_ID)?.insert(post.id, encode(post)?.as_slice())?;
    let keys = |c: &Comment| {
        let (kind, tid) = tkey(c.target);
        Keys {
            top: c.parent.is_none().then_some((kind, tid, c.id.get())),
            top_useful: c.parent.is_none().then_some((kind, tid, u64::MAX - u64::from(c.useful), c.id.get())),
            reply: c.parent.map(|parent| (parent.get(), c.id.get())),
            author: (c.author.get(), c.id.get()),
        }
    };
    let old = pre.map(keys);
    let new = keys(post);
    move_key(tx, COMMENT_TOP_BY_TARGET, old.as_ref().and_then(|o| o.top), new.top)?;
    move_key(tx, COMMENT_TOP_BY_TARGET_USEFUL, old.as_ref().and_then(|o| o.top_useful), new.top_useful)?;
    move_key(tx, COMMENT_REPLY_BY_PARENT, old.as_ref().and_then(|o| o.reply), new.reply)?;
    move_key(tx, COMMENT_ID_BY_AUTHOR, old.as_ref().map(|o| o.author), Some(new.author))?;
    let (public, top) = totals_of(tx, post)?;
    match pre {
        None => add_totals(tx, post.target, public, top)?,
        Some(c) => {
            let (public_before, top_before) = totals_of(tx, c)?;
            if c.target != post.target {
                add_totals(tx, c.target, -public_before, -top_before)?;
                add_totals(tx, post.target, public, top)?;
            } else if (public_before, top_before) != (public, top) {
                add_totals(tx, post.target, public - public_before, top - top_before)?;
            }
        }
    }
    if pre.is_none_or(|c| Searchable::of(c) != Searchable::of(post)) {
        changes::record(tx, post.target_of_self())?;
    }
    // The page that shows the discussion shows every comment's record (its
    // text, stance, useful count, dates): a visitor's kept page of it is
    // rendered again.
    target_page_changed(tx, post.target)?;
    if let Some(old) = pre.map(|c| c.target).filter(|t| *t != post.target) {
        target_page_changed(tx, old)?;
    }
    Ok(())
}

/// Moves the version of the page that shows `target`'s discussion, for
/// the kinds whose page is kept for visitors (proposals).
fn target_page_changed(tx: &WriteTransaction, target: Target) -> Result<(), StoreError> {
    match target.kind {
        ContentKind::Proposal => super::proposals::page_changed(tx, ProposalId(target.id)),
        // Their pages are rendered for each request.
        _ => Ok(()),
    }
}

/// The moderators changed whether comment `id` is shown: the page of its
/// discussion moves its version (called by `moderation`, in the same
/// transaction).
pub(crate) fn page_changed(tx: &WriteTransaction, id: CommentId) -> Result<(), StoreError> {
    match get(tx, id)? {
        Some(c) => target_page_changed(tx, c.target),
        // Not written yet (held while being posted): its write moves it.
        None => Ok(()),
    }
}

/// The index keys of one comment: a top-level comment is in the two
/// indexes of its target, a reply in its parent's.
struct Keys {
    top: Option<(u8, u64, u64)>,
    top_useful: Option<(u8, u64, u64, u64)>,
    reply: Option<(u64, u64)>,
    author: (u64, u64),
}

/// What a comment adds to its target's totals: (public, top-level).
fn totals_of(tx: &WriteTransaction, c: &Comment) -> Result<(i64, i64), StoreError> {
    Ok((i64::from(counted(tx, c)?), i64::from(c.parent.is_none())))
}

/// What of a comment search shows or decides visibility by
/// ([`search_document`]): a change of any of these is logged for the
/// indexer. Useful votes and the stance are not searched.
#[derive(PartialEq)]
struct Searchable<'a> {
    target: Target,
    body: &'a str,
    created_at: i64,
    deleted: bool,
}

impl<'a> Searchable<'a> {
    fn of(c: &'a Comment) -> Self {
        Searchable { target: c.target, body: &c.body, created_at: c.created_at, deleted: c.deleted_at.is_some() }
    }
}

/// Moves an index entry from the key the old record had to the new one's
/// (either may be absent: a comment is in an index or not).
fn move_key<K>(
    tx: &WriteTransaction,
    index: redb::TableDefinition<K, ()>,
    pre: Option<K>,
    post: Option<K>,
) -> Result<(), StoreError>
where
    K: redb::Key + Copy + PartialEq + 'static + for<'a> std::borrow::Borrow<<K as redb::Value>::SelfType<'a>>,
{
    if pre == post {
        return Ok(());
    }
    let mut table = tx.open_table(index)?;
    if let Some(old) = pre {
        table.remove(old)?;
    }
    if let Some(new) = post {
        table.insert(new, ())?;
    }
    Ok(())
}

/// Adds `delta` to the public and top-level totals of a target.
fn add_totals(tx: &WriteTransaction, target: Target, public: i64, top: i64) -> Result<(), StoreError> {
    let mut totals = tx.open_table(COMMENT_TOTALS_BY_TARGET)?;
    let (p, t) = totals.get(tkey(target))?.map(|v| v.value()).unwrap_or((0, 0));
    let p = p.saturating_add_signed(public);
    let t = t.saturating_add_signed(top);
    totals.insert(tkey(target), (p, t))?;
    Ok(())
}

/// Whether a comment counts as public: not deleted, neither held nor hidden.
fn counted(tx: &impl Tx, c: &Comment) -> Result<bool, StoreError> {
    Ok(c.deleted_at.is_none() && moderation::is_public(tx, c.target_of_self())?)
}

/// Checks the text of a comment; returns it trimmed.
pub fn check_body(body: &str) -> Result<String, CommentError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(CommentError::Empty);
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(CommentError::TooLong);
    }
    Ok(body.to_string())
}

/// What is needed to post a comment.
#[derive(Clone, Debug)]
pub struct NewComment {
    pub target: Target,
    /// The comment answered, for a reply.
    pub reply_to: Option<CommentId>,
    pub author: AccountId,
    pub body: String,
    /// Kept only on proposals.
    pub stance: Option<Stance>,
}

/// A posted comment, and whether the held words keep it back for review.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Posted {
    pub id: CommentId,
    pub held: bool,
}

/// Posts a comment: the comment, its indexes, the totals, its moderation
/// hold and its change, in one transaction.
pub fn create(tx: &WriteTransaction, new: &NewComment, held: &HeldWords, now: i64) -> Result<Posted, CommentError> {
    let body = check_body(&new.body)?;
    let (target, parent, depth) = match new.reply_to {
        None => {
            if !target_open(tx, new.target)? {
                return Err(CommentError::TargetClosed);
            }
            (new.target, None, 1)
        }
        Some(answered) => {
            let a = get(tx, answered)?.ok_or(CommentError::NotFound)?;
            if a.target != new.target {
                return Err(CommentError::NotFound);
            }
            if a.deleted_at.is_some() || !moderation::is_public(tx, a.target_of_self())? {
                return Err(CommentError::ParentClosed);
            }
            if a.depth >= MAX_DEPTH {
                (a.target, a.parent, a.depth)
            } else {
                (a.target, Some(a.id), a.depth + 1)
            }
        }
    };
    let stance = new.stance.filter(|_| target.kind == ContentKind::Proposal);
    let id = tx.open_table(COMMENT_BY_ID)?.last()?.map(|(k, _)| k.value() + 1).unwrap_or(1);
    let comment = Comment {
        id: CommentId(id),
        target,
        parent,
        in_reply_to: new.reply_to,
        depth,
        author: new.author,
        body,
        stance,
        created_at: now,
        edited_at: None,
        deleted_at: None,
        useful: 0,
    };
    let held = moderation::screen(held, &comment.body);
    if held {
        // Held before it is written, so that it never counts as public.
        moderation::hold(tx, comment.target_of_self(), now)?;
    }
    write(tx, None, &comment)?;
    Ok(Posted { id: CommentId(id), held })
}

/// The author edits the text (and stance) within the delay. An edit that
/// brings in a held word holds the comment again; a hidden comment cannot
/// be edited (it would slip past the moderator's decision).
pub fn edit(
    tx: &WriteTransaction,
    id: CommentId,
    author: AccountId,
    body: &str,
    stance: Option<Stance>,
    held: &HeldWords,
    now: i64,
) -> Result<Posted, CommentError> {
    let pre = get(tx, id)?.ok_or(CommentError::NotFound)?;
    let mut c = pre.clone();
    if c.author != author {
        return Err(CommentError::NotAuthor);
    }
    if c.deleted_at.is_some() {
        return Err(CommentError::Deleted);
    }
    if !c.editable(now) || moderation::is_hidden(tx, c.target_of_self())? {
        return Err(CommentError::EditWindowPassed);
    }
    c.body = check_body(body)?;
    c.stance = stance.filter(|_| c.target.kind == ContentKind::Proposal);
    c.edited_at = Some(now);
    write(tx, Some(&pre), &c)?;
    let held = moderation::screen(held, &c.body);
    if held && moderation::hold(tx, c.target_of_self(), now)? {
        // Public until now: the moderation status changed, not the record.
        visibility_changed(tx, id, false)?;
    }
    Ok(Posted { id, held: held || moderation::status(tx, c.target_of_self())? == Status::Held })
}

/// The author deletes a comment: the text goes, "message supprimé" and the
/// replies stay. A held or reported comment leaves the moderation queue.
pub fn delete(tx: &WriteTransaction, id: CommentId, author: AccountId, now: i64) -> Result<Comment, CommentError> {
    let pre = get(tx, id)?.ok_or(CommentError::NotFound)?;
    if pre.author != author {
        return Err(CommentError::NotAuthor);
    }
    if pre.deleted_at.is_some() {
        return Err(CommentError::Deleted);
    }
    let c = Comment { deleted_at: Some(now), body: String::new(), stance: None, ..pre.clone() };
    // Written while its moderation status is still the one it was counted under.
    write(tx, Some(&pre), &c)?;
    moderation::withdrawn(tx, c.target_of_self(), now)?;
    Ok(c)
}

/// Records or cancels a person's "useful" vote; returns the new count. The
/// same request twice changes nothing the second time.
pub fn set_useful(
    tx: &WriteTransaction,
    id: CommentId,
    account: AccountId,
    useful: bool,
    now: i64,
) -> Result<u32, CommentError> {
    let pre = get(tx, id)?.ok_or(CommentError::NotFound)?;
    let mut c = pre.clone();
    if c.author == account || c.deleted_at.is_some() || !moderation::is_public(tx, c.target_of_self())? {
        return Err(CommentError::NotVotable);
    }
    let mut votes = tx.open_table(USEFUL_BY_COMMENT_ACCOUNT)?;
    let already = votes.get((id.get(), account.get()))?.is_some();
    if already == useful {
        return Ok(c.useful);
    }
    if useful {
        votes.insert((id.get(), account.get()), now)?;
        c.useful = c.useful.saturating_add(1);
    } else {
        votes.remove((id.get(), account.get()))?;
        c.useful = c.useful.saturating_sub(1);
    }
    drop(votes);
    // Moves the most-useful index; a count is not searched: nothing logged.
    write(tx, Some(&pre), &c)?;
    Ok(c.useful)
}

/// Moderation hid, restored or approved a comment: the public total follows.
pub(crate) fn visibility_changed(tx: &WriteTransaction, id: CommentId, public: bool) -> Result<(), StoreError> {
    let Some(c) = get(tx, id)? else { return Ok(()) };
    if c.deleted_at.is_none() {
        add_totals(tx, c.target, if public { 1 } else { -1 }, 0)?;
    }
    Ok(())
}

/// The ids of every comment under `target`, replies included.
pub fn ids_of_target(tx: &impl Tx, target: Target) -> Result<Vec<CommentId>, StoreError> {
    let (kind, tid) = tkey(target);
    let mut out: Vec<CommentId> = tx
        .open(COMMENT_TOP_BY_TARGET)?
        .range((kind, tid, 0)..=(kind, tid, u64::MAX))?
        .map(|r| r.map(|(k, _)| CommentId(k.value().2)))
        .collect::<Result<_, _>>()?;
    let replies = tx.open(COMMENT_REPLY_BY_PARENT)?;
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        for row in replies.range((parent.get(), 0)..=(parent.get(), u64::MAX))? {
            out.push(CommentId(row?.0.value().1));
        }
        i += 1;
    }
    Ok(out)
}

/// The content under discussion became public or stopped being public:
/// its comments change too for search (found only with their content).
pub(crate) fn target_visibility_changed(tx: &WriteTransaction, target: Target) -> Result<(), StoreError> {
    for id in ids_of_target(tx, target)? {
        changes::record(tx, Target::new(ContentKind::Comment, id.get()))?;
    }
    Ok(())
}

/// How many comments everyone can read under `target` (deleted, held and
/// hidden ones left out). Read from a counter, not by scanning.
pub fn count(tx: &impl Tx, target: Target) -> Result<u64, StoreError> {
    Ok(tx.open(COMMENT_TOTALS_BY_TARGET)?.get(tkey(target))?.map(|v| v.value().0).unwrap_or(0))
}

/// The comments of a person, newest first (at most `limit`).
pub fn of_author(tx: &impl Tx, author: AccountId, limit: usize) -> Result<Vec<Comment>, StoreError> {
    let index = tx.open(COMMENT_ID_BY_AUTHOR)?;
    let mut out = Vec::new();
    for row in index.range((author.get(), 0)..=(author.get(), u64::MAX))?.rev().take(limit) {
        let (k, _) = row?;
        if let Some(c) = get(tx, CommentId(k.value().1))? {
            out.push(c);
        }
    }
    Ok(out)
}

/// The comments a person found useful, with when, most recent first
/// (personal data export). Votes are keyed by comment, to count them; the
/// table is read whole (two numbers and a time a row) rather than indexed twice.
pub fn useful_votes_of(tx: &impl Tx, account: AccountId) -> Result<Vec<(CommentId, i64)>, StoreError> {
    let table = tx.open(USEFUL_BY_COMMENT_ACCOUNT)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let (k, at) = row?;
        let (id, voter) = k.value();
        if voter == account.get() {
            out.push((CommentId(id), at.value()));
        }
    }
    out.sort_by_key(|(id, at)| std::cmp::Reverse((*at, *id)));
    Ok(out)
}

/// Every comment id, for a full rebuild of the search index
/// ([`search_document`] still decides what is found).
pub fn all_ids(tx: &ReadTransaction) -> Result<Vec<CommentId>, StoreError> {
    tx.open_table(COMMENT_BY_ID)?
        .iter()?
        .map(|r| r.map(|(k, _)| CommentId(k.value())).map_err(StoreError::from))
        .collect()
}

/// The search document of comment `id`; `None` when it must not be found:
/// deleted, held or hidden, or under content that is not public itself.
/// Results link to the comment's lasting address, which leads to the page
/// of the thread that shows it.
pub fn search_document(tx: &ReadTransaction, id: CommentId) -> Result<Option<crate::search::Document>, StoreError> {
    let Some(c) = get(tx, id)? else { return Ok(None) };
    if c.deleted_at.is_some()
        || !moderation::is_public(tx, c.target_of_self())?
        || !moderation::is_public(tx, c.target)?
    {
        return Ok(None);
    }
    if c.target.kind == ContentKind::Proposal
        && super::proposals::get(tx, ProposalId(c.target.id))?.is_none_or(|p| p.held)
    {
        return Ok(None);
    }
    let body = crate::markdown::plain(&c.body);
    let mut title: String = body.chars().take(80).collect();
    if body.chars().count() > 80 {
        title.push('…');
    }
    Ok(Some(crate::search::Document {
        kind: ContentKind::Comment,
        id: id.get(),
        title,
        body,
        status: None,
        neighbourhood: None,
        created_at: c.created_at,
        url: format!("/commentaires/{id}"),
    }))
}

/// How the top-level comments are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Oldest,
    Newest,
    /// Most useful first; equal counts oldest first, so the order is stable.
    MostUseful,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Oldest, Sort::Newest, Sort::MostUseful];

    /// The word in URLs (`?tri=…`) and translation keys (`comment-sort-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Sort::Oldest => "anciens",
            Sort::Newest => "recents",
            Sort::MostUseful => "utiles",
        }
    }

    pub fn from_code(code: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Who reads the thread: held comments are shown to their author and to moderators only.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reader {
    pub account: Option<AccountId>,
    pub moderator: bool,
}

/// The author of a comment as the thread shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Author {
    /// `None` when the account was deleted ("Participant supprimé").
    pub name: Option<String>,
    /// A member of the town hall's staff: their answers are marked as such.
    pub town_hall: bool,
}

/// What the thread shows in place of a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The text; `held` when it waits for moderation (seen by its author
    /// and the moderators only).
    Text { held: bool },
    /// "Message supprimé".
    Deleted,
    /// "Masqué par la modération".
    Hidden,
    /// A held comment seen by someone else, kept as a placeholder only
    /// because replies hang under it.
    Pending,
}

/// One comment of a thread, with its replies.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub comment: Comment,
    pub shown: Shown,
    pub author: Author,
    /// The author of the comment answered, when it is not the parent
    /// (replies to level-3 comments).
    pub answers: Option<Author>,
    /// Whether the reader found it useful.
    pub mine_useful: bool,
    pub replies: Vec<Node>,
}

/// One page of the discussion of a target.
#[derive(Clone, Debug, PartialEq)]
pub struct Thread {
    pub target: Target,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    /// Public comments in the whole discussion.
    pub count: u64,
    pub items: Vec<Node>,
}

/// Reads one page of the discussion of `target` as `reader` sees it.
pub fn thread(
    tx: &ReadTransaction,
    target: Target,
    sort: Sort,
    page: u32,
    reader: Reader,
) -> Result<Thread, StoreError> {
    let (public, top) = tx.open(COMMENT_TOTALS_BY_TARGET)?.get(tkey(target))?.map(|v| v.value()).unwrap_or((0, 0));
    let pages = (top.div_ceil(PAGE_SIZE as u64)).max(1) as u32;
    let page = page.clamp(1, pages);
    let skip = (page as usize - 1) * PAGE_SIZE;
    let ids = top_ids(tx, target, sort, skip, PAGE_SIZE)?;
    let tables = ThreadTables::open(tx)?;
    let mut names = Names::default();
    let mut items = Vec::new();
    for id in ids {
        if let Some(node) = node(tx, &tables, id, reader, &mut names)? {
            items.push(node);
        }
    }
    Ok(Thread { target, sort, page, pages, count: public, items })
}

/// The tables a thread reads for each of its comments, opened once for the
/// page: opening a table costs more than a look-up in it, and a page of a
/// discussion makes four look-ups per comment.
struct ThreadTables {
    comments: redb::ReadOnlyTable<u64, &'static [u8]>,
    replies: redb::ReadOnlyTable<(u64, u64), ()>,
    useful: redb::ReadOnlyTable<(u64, u64), i64>,
    states: moderation::States,
}

impl ThreadTables {
    fn open(tx: &ReadTransaction) -> Result<ThreadTables, StoreError> {
        Ok(ThreadTables {
            comments: tx.open_table(COMMENT_BY_ID)?,
            replies: tx.open_table(COMMENT_REPLY_BY_PARENT)?,
            useful: tx.open_table(USEFUL_BY_COMMENT_ACCOUNT)?,
            states: moderation::States::open(tx)?,
        })
    }

    fn comment(&self, id: CommentId) -> Result<Option<Comment>, StoreError> {
        let found = self.comments.get(id.get())?;
        Ok(match found {
            Some(bytes) => Some(decode(bytes.value())?),
            None => None,
        })
    }
}

fn top_ids(tx: &impl Tx, target: Target, sort: Sort, skip: usize, take: usize) -> Result<Vec<CommentId>, StoreError> {
    let (kind, tid) = tkey(target);
    match sort {
        Sort::Oldest | Sort::Newest => {
            let index = tx.open(COMMENT_TOP_BY_TARGET)?;
            let range = index.range((kind, tid, 0)..=(kind, tid, u64::MAX))?;
            let keys: Vec<_> = if sort == Sort::Oldest {
                range.skip(skip).take(take).collect()
            } else {
                range.rev().skip(skip).take(take).collect()
            };
            keys.into_iter().map(|r| r.map(|(k, _)| CommentId(k.value().2)).map_err(StoreError::from)).collect()
        }
        Sort::MostUseful => {
            let index = tx.open(COMMENT_TOP_BY_TARGET_USEFUL)?;
            let range = index.range((kind, tid, 0, 0)..=(kind, tid, u64::MAX, u64::MAX))?;
            range
                .skip(skip)
                .take(take)
                .map(|r| r.map(|(k, _)| CommentId(k.value().3)).map_err(StoreError::from))
                .collect()
        }
    }
}

/// Authors looked up once per thread.
#[derive(Default)]
struct Names(BTreeMap<AccountId, Author>);

impl Names {
    fn of(&mut self, tx: &ReadTransaction, id: AccountId) -> Result<Author, StoreError> {
        if let Some(a) = self.0.get(&id) {
            return Ok(a.clone());
        }
        let account = accounts::get_without_address(tx, id).map_err(|e| match e {
            accounts::AccountError::Store(s) => s,
            other => StoreError::Internal(other.to_string()),
        })?;
        let author = match account {
            Some(a) if !a.is_erased() && !a.display_name.is_empty() => {
                Author { name: Some(a.display_name), town_hall: a.role >= Role::Staff }
            }
            _ => Author { name: None, town_hall: false },
        };
        self.0.insert(id, author.clone());
        Ok(author)
    }
}

/// A comment and its replies as `reader` sees them; `None` when nothing of
/// it is to be shown (a held comment of someone else, with no replies).
fn node(
    tx: &ReadTransaction,
    tables: &ThreadTables,
    id: CommentId,
    reader: Reader,
    names: &mut Names,
) -> Result<Option<Node>, StoreError> {
    let Some(comment) = tables.comment(id)? else { return Ok(None) };
    let status = tables.states.status(comment.target_of_self())?;
    let reply_ids: Vec<CommentId> = tables
        .replies
        .range((id.get(), 0)..=(id.get(), u64::MAX))?
        .map(|r| r.map(|(k, _)| CommentId(k.value().1)))
        .collect::<Result<_, _>>()?;
    let mut replies = Vec::new();
    for r in reply_ids {
        if let Some(n) = node(tx, tables, r, reader, names)? {
            replies.push(n);
        }
    }
    let may_see_held = reader.moderator || reader.account == Some(comment.author);
    let shown = if comment.deleted_at.is_some() {
        Shown::Deleted
    } else {
        match status {
            Status::Published => Shown::Text { held: false },
            Status::Hidden => Shown::Hidden,
            Status::Held if may_see_held => Shown::Text { held: true },
            Status::Held if replies.is_empty() => return Ok(None),
            Status::Held => Shown::Pending,
        }
    };
    let author = names.of(tx, comment.author)?;
    let answers = match comment.in_reply_to.filter(|a| Some(*a) != comment.parent) {
        Some(a) => match tables.comment(a)? {
            Some(answered) => Some(names.of(tx, answered.author)?),
            None => None,
        },
        None => None,
    };
    let mine_useful = match reader.account {
        Some(me) => tables.useful.get((id.get(), me.get()))?.is_some(),
        None => false,
    };
    Ok(Some(Node { comment, shown, author, answers, mine_useful, replies }))
}

/// The page of the thread (under `sort`) where comment `id` appears: the
/// page of its top-level ancestor. Used to come back to a comment after
/// acting on it.
pub fn page_of(tx: &impl Tx, id: CommentId, sort: Sort) -> Result<u32, StoreError> {
    let mut c = match get(tx, id)? {
        Some(c) => c,
        None => return Ok(1),
    };
    while let Some(parent) = c.parent {
        match get(tx, parent)? {
            Some(p) => c = p,
            None => break,
        }
    }
    let (kind, tid) = tkey(c.target);
    let before = match sort {
        Sort::Oldest => tx.open(COMMENT_TOP_BY_TARGET)?.range((kind, tid, 0)..(kind, tid, c.id.get()))?.count(),
        Sort::Newest => tx
            .open(COMMENT_TOP_BY_TARGET)?
            .range((kind, tid, c.id.get().saturating_add(1))..=(kind, tid, u64::MAX))?
            .count(),
        Sort::MostUseful => tx
            .open(COMMENT_TOP_BY_TARGET_USEFUL)?
            .range((kind, tid, 0, 0)..(kind, tid, u64::MAX - u64::from(c.useful), c.id.get()))?
            .count(),
    };
    Ok((before / PAGE_SIZE) as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn config(held: &[&str]) -> HeldWords {
        HeldWords::new(&held.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn proposal() -> Target {
        Target::new(ContentKind::Proposal, 1)
    }

    /// Proposal 1, in an open box: the content the tests' comments discuss.
    async fn with_proposal(store: &Store) {
        let id = store
            .write(|tx| {
                use super::super::proposals::{self, IdeaBox, NewProposal};
                let b = IdeaBox {
                    title: "Idées".into(),
                    closes_at: i64::MAX,
                    created_by: AccountId(1),
                    ..IdeaBox::default()
                };
                let box_id = proposals::create_box(tx, b)?;
                let p = NewProposal {
                    box_id,
                    author: AccountId(1),
                    title: "Des bancs".into(),
                    body: "Sur la place".into(),
                    ..NewProposal::default()
                };
                proposals::post(tx, &p, 1)
            })
            .await
            .unwrap();
        assert_eq!(Target::new(ContentKind::Proposal, id.get()), proposal());
    }

    /// A store holding proposal 1.
    async fn store_with_proposal(dir: &tempfile::TempDir) -> Store {
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        with_proposal(&store).await;
        store
    }

    fn new(reply_to: Option<CommentId>, author: AccountId, body: &str) -> NewComment {
        NewComment { target: proposal(), reply_to, author, body: body.into(), stance: Some(Stance::For) }
    }

    async fn post(store: &Store, n: NewComment, held: &[&str], now: i64) -> Result<Posted, CommentError> {
        let config = config(held);
        store.write(move |tx| create(tx, &n, &config, now)).await
    }

    #[tokio::test]
    async fn threads_stop_at_three_levels_and_replies_to_the_third_stay_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_proposal(&dir).await;
        let a = post(&store, new(None, AccountId(1), "un"), &[], 10).await.unwrap().id;
        let b = post(&store, new(Some(a), AccountId(2), "deux"), &[], 11).await.unwrap().id;
        let c = post(&store, new(Some(b), AccountId(1), "trois"), &[], 12).await.unwrap().id;
        let d = post(&store, new(Some(c), AccountId(2), "quatre"), &[], 13).await.unwrap().id;
        let tx = store.read().unwrap();
        let dc = get(&tx, d).unwrap().unwrap();
        assert_eq!((dc.depth, dc.parent, dc.in_reply_to), (3, Some(b), Some(c)));
        let t = thread(&tx, proposal(), Sort::Oldest, 1, Reader::default()).unwrap();
        assert_eq!(t.count, 4);
        assert_eq!(t.items.len(), 1);
        let level2 = &t.items[0].replies[0];
        assert_eq!(level2.replies.iter().map(|n| n.comment.id).collect::<Vec<_>>(), vec![c, d]);
        assert_eq!(level2.replies[1].answers.as_ref().map(|a| a.name.clone()), Some(None), "account 1 does not exist");
        drop(tx);
        let other = NewComment { target: Target::new(ContentKind::Meeting, 1), ..new(None, AccountId(1), "x") };
        let config = config(&[]);
        let closed = store.write(move |tx| create(tx, &other, &config, 1)).await;
        assert!(matches!(closed, Err(CommentError::TargetClosed)));
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap());
    }

    /// The sequence number of the newest change, and what changed.
    fn last_change(store: &Store) -> (u64, Option<Target>) {
        let tx = store.read().unwrap();
        let seq = changes::last_seq(&tx).unwrap();
        (seq, changes::since(&tx, seq.saturating_sub(1), 1).unwrap().first().map(|(_, t)| *t))
    }

    #[tokio::test]
    async fn every_write_keeps_the_indexes_and_totals_in_step_and_logs_what_search_sees() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_proposal(&dir).await;
        let in_step = |store: &Store| {
            let report = store.verify().unwrap();
            assert!(report.is_ok(), "{:?}", report.problems);
        };
        let a = post(&store, new(None, AccountId(1), "premier"), &[], 10).await.unwrap().id;
        let reply = post(&store, new(Some(a), AccountId(2), "réponse"), &[], 11).await.unwrap().id;
        in_step(&store);
        let (seq, last) = last_change(&store);
        assert_eq!(last, Some(Target::new(ContentKind::Comment, reply.get())), "a new comment is logged");

        // A useful vote moves the most-useful index; a count is not searched.
        store.write(move |tx| set_useful(tx, a, AccountId(3), true, 12)).await.unwrap();
        in_step(&store);
        assert_eq!(last_change(&store).0, seq, "a vote alone is not logged");
        {
            let tx = store.read().unwrap();
            let index = tx.open_table(COMMENT_TOP_BY_TARGET_USEFUL).unwrap();
            let keys: Vec<_> = index.iter().unwrap().map(|r| r.unwrap().0.value()).collect();
            assert_eq!(keys, vec![(1, 1, u64::MAX - 1, a.get())]);
        }

        // An edit changes the text search shows: logged.
        let cfg = config(&[]);
        store.write(move |tx| edit(tx, a, AccountId(1), "premier, corrigé", None, &cfg, 13)).await.unwrap();
        in_step(&store);
        let (after_edit, last) = last_change(&store);
        assert!(after_edit > seq && last == Some(Target::new(ContentKind::Comment, a.get())));

        // A deletion takes the comment out of the public total, and out of search.
        store.write(move |tx| delete(tx, a, AccountId(1), 14)).await.unwrap();
        in_step(&store);
        let (after_delete, last) = last_change(&store);
        assert!(after_delete > after_edit && last == Some(Target::new(ContentKind::Comment, a.get())));
        assert_eq!(count(&store.read().unwrap(), proposal()).unwrap(), 1);

        // A record written past this function is caught by verify.
        store
            .write(move |tx| {
                let c = get(tx, reply)?.unwrap();
                let moved = Comment { parent: None, depth: 1, ..c };
                tx.open_table(COMMENT_BY_ID)?.insert(reply, encode(&moved)?.as_slice())?;
                Ok::<_, CommentError>(())
            })
            .await
            .unwrap();
        assert!(!store.verify().unwrap().is_ok(), "verify sees the stale indexes");
    }

    #[tokio::test]
    async fn useful_votes_count_once_sort_the_thread_and_are_cancellable() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_proposal(&dir).await;
        let a = post(&store, new(None, AccountId(1), "a"), &[], 10).await.unwrap().id;
        let b = post(&store, new(None, AccountId(2), "b"), &[], 11).await.unwrap().id;
        for _ in 0..3 {
            assert_eq!(store.write(move |tx| set_useful(tx, b, AccountId(3), true, 20)).await.unwrap(), 1);
        }
        let own = store.write(move |tx| set_useful(tx, b, AccountId(2), true, 20)).await;
        assert!(matches!(own, Err(CommentError::NotVotable)));
        let tx = store.read().unwrap();
        let ids = |s| {
            thread(&tx, proposal(), s, 1, Reader::default())
                .unwrap()
                .items
                .iter()
                .map(|n| n.comment.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(Sort::MostUseful), vec![b, a]);
        assert_eq!(ids(Sort::Newest), vec![b, a]);
        assert_eq!(ids(Sort::Oldest), vec![a, b]);
        assert_eq!(page_of(&tx, a, Sort::MostUseful).unwrap(), 1);
        drop(tx);
        assert_eq!(store.write(move |tx| set_useful(tx, b, AccountId(3), false, 30)).await.unwrap(), 0);
        assert_eq!(store.write(move |tx| set_useful(tx, b, AccountId(3), false, 30)).await.unwrap(), 0);
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap());
    }

    #[tokio::test]
    async fn edits_within_the_delay_deletion_placeholders_and_held_words() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_proposal(&dir).await;
        let a = post(&store, new(None, AccountId(1), "premier"), &[], 100).await.unwrap().id;
        let _reply = post(&store, new(Some(a), AccountId(2), "réponse"), &[], 101).await.unwrap().id;
        let cfg = config(&["zut"]);
        let late =
            store.write(move |tx| edit(tx, a, AccountId(1), "corrigé", None, &cfg, 100 + EDIT_WINDOW_SECS + 1)).await;
        assert!(matches!(late, Err(CommentError::EditWindowPassed)));
        let cfg = config(&["zut"]);
        let someone = store.write(move |tx| edit(tx, a, AccountId(2), "corrigé", None, &cfg, 110)).await;
        assert!(matches!(someone, Err(CommentError::NotAuthor)));
        let cfg = config(&["zut"]);
        let held = store.write(move |tx| edit(tx, a, AccountId(1), "Zut alors", None, &cfg, 110)).await.unwrap();
        assert!(held.held);
        {
            let tx = store.read().unwrap();
            assert_eq!(count(&tx, proposal()).unwrap(), 1, "the held comment no longer counts");
            let public = thread(&tx, proposal(), Sort::Oldest, 1, Reader::default()).unwrap();
            assert_eq!(public.items[0].shown, Shown::Pending, "kept as a placeholder for its reply");
            let author =
                thread(&tx, proposal(), Sort::Oldest, 1, Reader { account: Some(AccountId(1)), moderator: false })
                    .unwrap();
            assert_eq!(author.items[0].shown, Shown::Text { held: true });
        }
        let gone = store.write(move |tx| delete(tx, a, AccountId(1), 120)).await.unwrap();
        assert!(gone.body.is_empty());
        let tx = store.read().unwrap();
        let t = thread(&tx, proposal(), Sort::Oldest, 1, Reader::default()).unwrap();
        assert_eq!(t.items[0].shown, Shown::Deleted);
        assert_eq!(t.items[0].replies.len(), 1);
        assert_eq!(t.count, 1);
        assert_eq!(moderation::queue_len(&tx).unwrap(), 0, "a deleted comment leaves the queue");
        drop(tx);
        let held = post(&store, new(None, AccountId(3), "ZUT"), &["zut"], 130).await.unwrap();
        assert!(held.held);
        let tx = store.read().unwrap();
        assert_eq!(thread(&tx, proposal(), Sort::Oldest, 1, Reader::default()).unwrap().items.len(), 1);
        assert_eq!(count(&tx, proposal()).unwrap(), 1);
        drop(tx);
        let id = held.id;
        store
            .write(move |tx| {
                moderation::decide(
                    tx,
                    Target::new(ContentKind::Comment, id.get()),
                    &moderation::Decision::Publish,
                    AccountId(9),
                    140,
                )
            })
            .await
            .unwrap();
        assert_eq!(count(&store.read().unwrap(), proposal()).unwrap(), 2);
        assert!(store.verify().unwrap().is_ok(), "{:?}", store.verify().unwrap());
    }

    #[tokio::test]
    async fn search_finds_public_comments_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        let shown = post(&store, new(None, AccountId(1), "Un **banc** ombragé"), &[], 10).await;
        assert!(matches!(shown, Err(CommentError::TargetClosed)), "proposal 1 does not exist yet");
        with_proposal(&store).await;
        let shown = post(&store, new(None, AccountId(1), "Un **banc** ombragé"), &[], 10).await.unwrap().id;
        let held = post(&store, new(None, AccountId(1), "zut"), &["zut"], 11).await.unwrap().id;
        let gone = post(&store, new(None, AccountId(1), "effacé"), &[], 12).await.unwrap().id;
        store.write(move |tx| delete(tx, gone, AccountId(1), 13)).await.unwrap();
        let tx = store.read().unwrap();
        assert_eq!(all_ids(&tx).unwrap(), vec![shown, held, gone]);
        let doc = search_document(&tx, shown).unwrap().unwrap();
        assert_eq!((doc.body.as_str(), doc.url.as_str()), ("Un banc ombragé", "/commentaires/1"));
        assert_eq!(search_document(&tx, held).unwrap(), None);
        assert_eq!(search_document(&tx, gone).unwrap(), None);
        drop(tx);
        // Comments are found only with their content.
        let hide = moderation::Decision::Hide { reason: moderation::Reason::OffTopic, message: String::new() };
        store.write(move |tx| moderation::decide(tx, proposal(), &hide, AccountId(9), 30)).await.unwrap();
        assert_eq!(search_document(&store.read().unwrap(), shown).unwrap(), None);
    }

    #[tokio::test]
    async fn pages_hold_twenty_top_level_comments() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_proposal(&dir).await;
        let mut ids = Vec::new();
        for i in 0..(PAGE_SIZE as i64 + 5) {
            ids.push(post(&store, new(None, AccountId(1), "x"), &[], i).await.unwrap().id);
        }
        let tx = store.read().unwrap();
        let p2 = thread(&tx, proposal(), Sort::Oldest, 2, Reader::default()).unwrap();
        assert_eq!((p2.page, p2.pages, p2.items.len()), (2, 2, 5));
        assert_eq!(p2.items[0].comment.id, ids[PAGE_SIZE]);
        assert_eq!(page_of(&tx, ids[PAGE_SIZE], Sort::Oldest).unwrap(), 2);
        assert_eq!(page_of(&tx, ids[PAGE_SIZE], Sort::Newest).unwrap(), 1);
        assert_eq!(thread(&tx, proposal(), Sort::Oldest, 99, Reader::default()).unwrap().page, 2);
    }
}
