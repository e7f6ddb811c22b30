//! What the residents' pages read besides the process and its projects:
//! who voted, grouped by neighbourhood and age bracket, for the
//! "participation" section of the results (compared with the census by
//! `consultations::representation`, as a consultation's respondents are).
//!
//! The roll keeps no group: each voter's comes from their account as it is
//! now (the neighbourhood and age bracket they consented to give). Only
//! counts leave this function; nothing of a ballot is read.

use std::collections::BTreeMap;

use redb::ReadableTable;

use super::*;
use crate::domain::accounts;
use crate::domain::consultations::{CellCounts, Group};

/// How many people the roll holds per (neighbourhood, age bracket).
pub fn participation(tx: &impl Tx, id: ProcessId) -> Result<BTreeMap<Group, CellCounts>, StoreError> {
    let table = tx.open(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
    let mut cells: BTreeMap<Group, CellCounts> = BTreeMap::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        let (key, _) = row?;
        let account = AccountId(key.value().1);
        let group = match accounts::get_without_address(tx, account).map_err(|e| StoreError::Internal(e.to_string()))? {
            Some(a) => Group { neighbourhood: a.neighbourhood, age_bracket: a.age_bracket },
            // An account erased since: counted, group not known.
            None => Group::default(),
        };
        cells.entry(group).or_default().respondents += 1;
    }
    Ok(cells)
}
