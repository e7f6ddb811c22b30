//! Tables of the comments concept.

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::Comment;
use crate::domain::ids::CommentId;
use crate::domain::moderation::{self, Status};
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// CommentId (u64, increasing with time) → Comment.
pub const COMMENT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("comment_by_id");
/// (ContentKind tag, target id, CommentId) → (): the top-level comments of a
/// target in the order they were posted.
pub const COMMENT_TOP_BY_TARGET: TableDefinition<(u8, u64, u64), ()> = TableDefinition::new("comment_top_by_target");
/// (ContentKind tag, target id, u64::MAX − useful votes, CommentId) → (): the
/// top-level comments of a target, most useful first, then oldest first.
pub const COMMENT_TOP_BY_TARGET_USEFUL: TableDefinition<(u8, u64, u64, u64), ()> =
    TableDefinition::new("comment_top_by_target_useful");
/// (parent CommentId, CommentId) → (): the replies to a comment, oldest first.
pub const COMMENT_REPLY_BY_PARENT: TableDefinition<(u64, u64), ()> = TableDefinition::new("comment_reply_by_parent");
/// (AccountId, CommentId) → (): the comments of a person (personal data, moderation).
pub const COMMENT_ID_BY_AUTHOR: TableDefinition<(u64, u64), ()> = TableDefinition::new("comment_id_by_author");
/// (CommentId, AccountId) → Unix seconds: who found a comment useful, and when.
pub const USEFUL_BY_COMMENT_ACCOUNT: TableDefinition<(u64, u64), i64> =
    TableDefinition::new("useful_by_comment_account");
/// (ContentKind tag, target id) → (public comments, top-level comments):
/// "public" leaves out deleted, held and hidden comments; "top-level" counts
/// them all (they keep their place in the pages of the thread).
pub const COMMENT_TOTALS_BY_TARGET: TableDefinition<(u8, u64), (u64, u64)> =
    TableDefinition::new("comment_totals_by_target");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(COMMENT_BY_ID),
        table_info!(COMMENT_TOP_BY_TARGET),
        table_info!(COMMENT_TOP_BY_TARGET_USEFUL),
        table_info!(COMMENT_REPLY_BY_PARENT),
        table_info!(COMMENT_ID_BY_AUTHOR),
        table_info!(USEFUL_BY_COMMENT_ACCOUNT),
        table_info!(COMMENT_TOTALS_BY_TARGET),
    ]
}

/// Cross-checks the indexes, the useful counts and the totals against the comments.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let comments = tx.open_table(COMMENT_BY_ID)?;
    let top = tx.open_table(COMMENT_TOP_BY_TARGET)?;
    let top_useful = tx.open_table(COMMENT_TOP_BY_TARGET_USEFUL)?;
    let replies = tx.open_table(COMMENT_REPLY_BY_PARENT)?;
    let by_author = tx.open_table(COMMENT_ID_BY_AUTHOR)?;
    let useful = tx.open_table(USEFUL_BY_COMMENT_ACCOUNT)?;
    let totals = tx.open_table(COMMENT_TOTALS_BY_TARGET)?;

    let mut votes: BTreeMap<u64, u64> = BTreeMap::new();
    for row in useful.iter()? {
        let (k, _) = row?;
        *votes.entry(k.value().0).or_default() += 1;
    }
    let mut expected: BTreeMap<(u8, u64), (u64, u64)> = BTreeMap::new();
    let mut n = 0u64;
    for row in comments.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        n += 1;
        let c: Comment = match decode(bytes.value()) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("comment {id}: {e}"));
                continue;
            }
        };
        let t = (c.target.kind.tag(), c.target.id);
        if c.id != CommentId(id) {
            problems.push(format!("comment under key {id} says it is {}", c.id));
        }
        if !(1..=super::MAX_DEPTH).contains(&c.depth) || (c.depth == 1) != c.parent.is_none() {
            problems.push(format!("comment {id} has depth {} and parent {:?}", c.depth, c.parent));
        }
        let n_votes = votes.get(&id).copied().unwrap_or(0);
        if u64::from(c.useful) != n_votes {
            problems.push(format!("comment {id} counts {} useful votes, {n_votes} are recorded", c.useful));
        }
        if by_author.get((c.author.get(), id))?.is_none() {
            problems.push(format!("comment {id} is missing from its author's index"));
        }
        let entry = expected.entry(t).or_default();
        match c.parent {
            None => {
                entry.1 += 1;
                if top.get((t.0, t.1, id))?.is_none() {
                    problems.push(format!("top-level comment {id} is missing from its target's index"));
                }
                if top_useful.get((t.0, t.1, u64::MAX - u64::from(c.useful), id))?.is_none() {
                    problems.push(format!("top-level comment {id} is missing from the most-useful index"));
                }
            }
            Some(parent) => {
                if replies.get((parent.get(), id))?.is_none() {
                    problems.push(format!("reply {id} is missing from the replies of {parent}"));
                }
                if comments.get(parent)?.is_none() {
                    problems.push(format!("reply {id} answers missing comment {parent}"));
                }
            }
        }
        if c.deleted_at.is_none() && moderation::status(tx, c.target_of_self())? == Status::Published {
            entry.0 += 1;
        }
    }
    for (id, n_votes) in &votes {
        if comments.get(*id)?.is_none() {
            problems.push(format!("{n_votes} useful votes for missing comment {id}"));
        }
    }
    let top_len = redb::ReadableTableMetadata::len(&top)?;
    let top_useful_len = redb::ReadableTableMetadata::len(&top_useful)?;
    let top_count: u64 = expected.values().map(|v| v.1).sum();
    if top_len != top_count || top_useful_len != top_count {
        problems.push(format!(
            "the top-level indexes have {top_len} and {top_useful_len} entries for {top_count} top-level comments"
        ));
    }
    let replies_len = redb::ReadableTableMetadata::len(&replies)?;
    if replies_len + top_count != n {
        problems.push(format!("the replies index has {replies_len} entries for {} replies", n - top_count));
    }
    if redb::ReadableTableMetadata::len(&by_author)? != n {
        problems.push("the index by author does not match the comments".into());
    }
    for row in totals.iter()? {
        let (k, v) = row?;
        let (kind, id) = k.value();
        let found = v.value();
        let wanted = expected.remove(&(kind, id)).unwrap_or((0, 0));
        if found != wanted {
            problems.push(format!("the totals of {kind}/{id} say {found:?}, the comments give {wanted:?}"));
        }
    }
    for ((kind, id), wanted) in expected {
        problems.push(format!("the totals of {kind}/{id} are missing (the comments give {wanted:?})"));
    }
    Ok(problems)
}
