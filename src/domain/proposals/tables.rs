//! Tables of the proposals concept (idea boxes, proposals, supports, follows).

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::{Proposal, Summary};
use crate::domain::ids::ProposalId;
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// IdeaBoxId → IdeaBox.
pub const IDEA_BOX_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("idea_box_by_id");
/// ProposalId → Proposal.
pub const PROPOSAL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_by_id");
/// ProposalId → Summary: what a list shows of a proposal and filters it by,
/// kept beside the full record by the one function that writes proposals,
/// so that a page of a list decodes no body, answer or follow-up.
pub const PROPOSAL_SUMMARY_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_summary_by_id");
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
/// (photo file name, ProposalId) → (): the proposals that show a stored
/// photo, so that the file is served only while one of them may be seen.
/// A name is a content hash: the same picture posted twice is one file.
pub const PROPOSAL_ID_BY_PHOTO: TableDefinition<(&str, u64), ()> = TableDefinition::new("proposal_id_by_photo");
/// (photo file name, AccountId) → uploaded at (Unix seconds): photos a
/// person uploaded with a proposal form not yet posted. A form may name
/// only a photo its author uploaded; posting it takes the entry away.
pub const PHOTO_UPLOAD_BY_FILE_ACCOUNT: TableDefinition<(&str, u64), i64> =
    TableDefinition::new("photo_upload_by_file_account");
/// Counter name → value: `next_box`, `next_proposal`.
pub const PROPOSAL_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("proposal_counter_by_name");

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
        table_info!(PROPOSAL_ID_BY_PHOTO),
        table_info!(PHOTO_UPLOAD_BY_FILE_ACCOUNT),
        table_info!(PROPOSAL_SUMMARY_BY_ID),
    ]
}

/// Each proposal's support counter equals its support rows, both indexes
/// hold exactly one entry per proposal, with its current box, date and
/// count, its summary says what the record says, each support is in the
/// per-person index, and the id counters are ahead of every id given.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let proposals = tx.open_table(PROPOSAL_BY_ID)?;
    let by_created = tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
    let by_supports = tx.open_table(PROPOSAL_ID_BY_BOX_SUPPORTS)?;
    let supports = tx.open_table(SUPPORT_BY_PROPOSAL_ACCOUNT)?;
    let by_account = tx.open_table(SUPPORT_BY_ACCOUNT_PROPOSAL)?;
    let by_photo = tx.open_table(PROPOSAL_ID_BY_PHOTO)?;
    let summaries = tx.open_table(PROPOSAL_SUMMARY_BY_ID)?;
    let counters = tx.open_table(PROPOSAL_COUNTER_BY_NAME)?;
    let next_of = |name: &str| -> Result<u64, StoreError> { Ok(counters.get(name)?.map(|v| v.value()).unwrap_or(1)) };
    let next_proposal = next_of("next_proposal")?;
    let mut with_photo = 0u64;
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
        if p.id != ProposalId(id) {
            problems.push(format!("proposal under key {id} says it is {}", p.id));
        }
        if id >= next_proposal {
            problems.push(format!("proposal {id} is not below the next proposal id {next_proposal}"));
        }
        let counted = supports.range((id, 0)..=(id, u64::MAX))?.count() as u64;
        if counted != p.supports {
            problems.push(format!("proposal {id} says {} supports, {counted} are recorded", p.supports));
        }
        if by_created.get((p.box_id.get(), p.created_at, id))?.is_none() {
            problems.push(format!("proposal {id} is missing from the by-date index"));
        }
        if let Some(photo) = &p.photo {
            with_photo += 1;
            if by_photo.get((photo.file.as_str(), id))?.is_none() {
                problems.push(format!("proposal {id} is missing from the by-photo index"));
            }
        }
        match summaries.get(id)?.map(|bytes| decode::<Summary>(bytes.value())) {
            None => problems.push(format!("proposal {id} has no summary")),
            Some(Err(e)) => problems.push(format!("proposal {id}'s summary: {e}")),
            Some(Ok(s)) if s != Summary::of(&p) => problems.push(format!("proposal {id}'s summary is stale")),
            Some(Ok(_)) => {}
        }
        if by_supports.get((p.box_id.get(), p.supports, id))?.is_none() {
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
    for row in supports.iter()? {
        let (id, account) = row?.0.value();
        if by_account.get((account, id))?.is_none() {
            problems.push(format!("the support of {account} for proposal {id} is missing from the per-person index"));
        }
    }
    let next_box = next_of("next_box")?;
    for row in tx.open_table(IDEA_BOX_BY_ID)?.iter()? {
        let id = row?.0.value();
        if id >= next_box {
            problems.push(format!("idea box {id} is not below the next box id {next_box}"));
        }
    }
    if summaries.len()? != n {
        problems.push(format!("{n} proposals, {} summaries", summaries.len()?));
    }
    if by_photo.len()? != with_photo {
        problems.push(format!("{with_photo} proposals with a photo, {} by-photo index entries", by_photo.len()?));
    }
    if supports.len()? != by_account.len()? {
        problems.push(format!("{} supports but {} in the per-person index", supports.len()?, by_account.len()?));
    }
    Ok(problems)
}
