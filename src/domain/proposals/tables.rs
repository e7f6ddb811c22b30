//! Tables of the proposals concept (idea boxes, proposals, supports, follows).

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction};

use super::Proposal;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// IdeaBoxId → IdeaBox.
pub const IDEA_BOX_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("idea_box_by_id");
/// ProposalId → Proposal.
pub const PROPOSAL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_by_id");
/// (IdeaBoxId, created_at, ProposalId) → (): a box's proposals, newest last.
pub const PROPOSAL_ID_BY_BOX_CREATED: TableDefinition<(u64, i64, u64), ()> =
    TableDefinition::new("proposal_id_by_box_created");
/// (IdeaBoxId, supports, ProposalId) → (): a box's proposals by support count.
pub const PROPOSAL_ID_BY_BOX_SUPPORTS: TableDefinition<(u64, u64, u64), ()> =
    TableDefinition::new("proposal_id_by_box_supports");
/// (ProposalId, AccountId) → supported at (Unix seconds).
pub const SUPPORT_BY_PROPOSAL_ACCOUNT: TableDefinition<(u64, u64), i64> =
    TableDefinition::new("support_by_proposal_account");
/// (AccountId, ProposalId) → (): what a person supports.
pub const SUPPORT_BY_ACCOUNT_PROPOSAL: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("support_by_account_proposal");
/// (ProposalId, AccountId) → (): who follows a proposal.
pub const FOLLOW_BY_PROPOSAL_ACCOUNT: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("follow_by_proposal_account");
/// Counter name → value: `next_box`, `next_proposal`.
pub const PROPOSAL_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("proposal_counter_by_name");

pub(crate) fn create(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(IDEA_BOX_BY_ID)?;
    tx.open_table(PROPOSAL_BY_ID)?;
    tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
    tx.open_table(PROPOSAL_ID_BY_BOX_SUPPORTS)?;
    tx.open_table(SUPPORT_BY_PROPOSAL_ACCOUNT)?;
    tx.open_table(SUPPORT_BY_ACCOUNT_PROPOSAL)?;
    tx.open_table(FOLLOW_BY_PROPOSAL_ACCOUNT)?;
    tx.open_table(PROPOSAL_COUNTER_BY_NAME)?;
    Ok(())
}

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(IDEA_BOX_BY_ID),
        table_info!(PROPOSAL_BY_ID),
        table_info!(PROPOSAL_ID_BY_BOX_CREATED),
        table_info!(PROPOSAL_ID_BY_BOX_SUPPORTS),
        table_info!(SUPPORT_BY_PROPOSAL_ACCOUNT),
        table_info!(SUPPORT_BY_ACCOUNT_PROPOSAL),
        table_info!(FOLLOW_BY_PROPOSAL_ACCOUNT),
        table_info!(PROPOSAL_COUNTER_BY_NAME),
    ]
}

/// Each proposal's support counter equals its support rows, and both
/// indexes hold exactly one entry per proposal, with the current count.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let proposals = tx.open_table(PROPOSAL_BY_ID)?;
    let by_created = tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
    let by_supports = tx.open_table(PROPOSAL_ID_BY_BOX_SUPPORTS)?;
    let supports = tx.open_table(SUPPORT_BY_PROPOSAL_ACCOUNT)?;
    let by_account = tx.open_table(SUPPORT_BY_ACCOUNT_PROPOSAL)?;
    for row in proposals.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        let p: Proposal = match decode(bytes.value()) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("proposal {id}: {e}"));
                continue;
            }
        };
        let counted = supports.range((id, 0)..=(id, u64::MAX))?.count() as u64;
        if counted != p.supports {
            problems.push(format!("proposal {id} says {} supports, {counted} are recorded", p.supports));
        }
        if by_created.get((p.box_id, p.created_at, id))?.is_none() {
            problems.push(format!("proposal {id} is missing from the by-date index"));
        }
        if by_supports.get((p.box_id, p.supports, id))?.is_none() {
            problems.push(format!("proposal {id} is missing from the by-support index (or with a stale count)"));
        }
    }
    let n = proposals.len()?;
    if by_created.len()? != n || by_supports.len()? != n {
        problems.push(format!(
            "{n} proposals, {} by-date and {} by-support index entries",
            by_created.len()?,
            by_supports.len()?
        ));
    }
    if supports.len()? != by_account.len()? {
        problems.push(format!("{} supports but {} in the per-person index", supports.len()?, by_account.len()?));
    }
    Ok(problems)
}
