//! Tables of the launch campaign: the campaign's plan (one record) and the
//! ideas the jury of the launch contest chose.

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use crate::store::schema::{table_info, TableInfo};
use crate::store::StoreError;

/// Name (`campaign`) → Campaign: the one launch campaign of the commune.
pub const LAUNCH_CAMPAIGN_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("launch_campaign_by_name");
/// (BoxId, ProposalId) → when (unix seconds) the jury marked the idea « primée ».
pub const LAUNCH_AWARD_BY_BOX_PROPOSAL: TableDefinition<(u64, u64), i64> =
    TableDefinition::new("launch_award_by_box_proposal");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![table_info!(LAUNCH_CAMPAIGN_BY_NAME), table_info!(LAUNCH_AWARD_BY_BOX_PROPOSAL)]
}

/// The campaign decodes, and each idea marked « primée » is an idea of the
/// box it is filed under.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    for row in tx.open_table(LAUNCH_CAMPAIGN_BY_NAME)?.iter()? {
        let (name, bytes) = row?;
        if crate::store::decode::<super::Campaign>(bytes.value()).is_err() {
            problems.push(format!("launch: the record {} does not decode", name.value()));
        }
    }
    for row in tx.open_table(LAUNCH_AWARD_BY_BOX_PROPOSAL)?.iter()? {
        let (box_id, proposal) = row?.0.value();
        match crate::domain::proposals::get(tx, crate::domain::ids::ProposalId(proposal))? {
            Some(p) if p.box_id.get() == box_id => {}
            Some(p) => problems.push(format!(
                "launch: idea {proposal} is marked primée under box {box_id} but is in box {}",
                p.box_id.get()
            )),
            None => problems.push(format!("launch: idea {proposal} is marked primée but does not exist")),
        }
    }
    Ok(problems)
}
