//! The version of a proposal's public page: a counter that every write of
//! what a visitor's page of the proposal shows moves, in the same
//! transaction as the change. The web layer keeps the page it rendered for
//! visitors with the version its read transaction saw, and serves it again
//! only while a later snapshot holds the same version (with the accounts'
//! names version, `accounts::names_version`, for the authors' names).
//!
//! What moves it: the proposal's record (edit, status, answer, milestones,
//! supports, held flag: `write`), its moderation status and its comments'
//! (`moderation::save`), and its comments' records (post, edit, delete,
//! useful marks: `comments::write`). A new kind of change that a visitor
//! sees on the page must move it too; the integration tests
//! (`tests/it/proposal_page.rs`) fetch the page as a visitor before and
//! after each kind.
//!
//! An idea box is never changed once opened (only its dates pass, which the
//! kept page's end follows); an operation that edits a box must move the
//! page version of each of its proposals, or a version of the box's own.
//!
//! Kept in `PROPOSAL_COUNTER_BY_NAME` beside the boxes' list versions (one
//! row per proposal changed since the database was made; no migration).

use redb::{ReadableTable, WriteTransaction};

use super::tables::PROPOSAL_COUNTER_BY_NAME;
use super::ProposalId;
use crate::store::{StoreError, Tx};

/// The name, in `PROPOSAL_COUNTER_BY_NAME`, of the version of `id`'s page.
fn name(id: ProposalId) -> String {
    format!("page_version:{id}")
}

/// Moves the version of proposal `id`'s page, in the caller's transaction.
pub fn page_changed(tx: &WriteTransaction, id: ProposalId) -> Result<(), StoreError> {
    let mut counters = tx.open_table(PROPOSAL_COUNTER_BY_NAME)?;
    let name = name(id);
    let version = counters.get(name.as_str())?.map(|v| v.value()).unwrap_or(0);
    counters.insert(name.as_str(), version + 1)?;
    Ok(())
}

/// The version of proposal `id`'s page in `tx`'s snapshot (0 before any change).
pub fn page_version(tx: &impl Tx, id: ProposalId) -> Result<u64, StoreError> {
    Ok(tx.open(PROPOSAL_COUNTER_BY_NAME)?.get(name(id).as_str())?.map(|v| v.value()).unwrap_or(0))
}
