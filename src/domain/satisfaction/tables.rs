//! Tables of the satisfaction concept: which consultation is the survey of
//! which quarter, and who put its banner away. Quarters are numbered
//! `year × 4 + quarter − 1` (2026 T1 is 8104).

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};

use crate::store::schema::{table_info, TableInfo};
use crate::store::StoreError;

/// Quarter → ConsultationId: the satisfaction survey about that quarter.
pub const SATISFACTION_SURVEY_BY_QUARTER: TableDefinition<u32, u64> =
    TableDefinition::new("satisfaction_survey_by_quarter");
/// ConsultationId → quarter: the same, read the other way (is this
/// consultation a satisfaction survey?).
pub const SATISFACTION_QUARTER_BY_SURVEY: TableDefinition<u64, u32> =
    TableDefinition::new("satisfaction_quarter_by_survey");
/// (AccountId, quarter) → when: this person put the quarter's banner away.
pub const SATISFACTION_DISMISSED_BY_ACCOUNT_QUARTER: TableDefinition<(u64, u32), i64> =
    TableDefinition::new("satisfaction_dismissed_by_account_quarter");

/// (quarter, AccountId) → when: this person was mailed the invitation to
/// the quarter's survey (written with the queued mail: never twice).
pub const SATISFACTION_INVITED_BY_QUARTER_ACCOUNT: TableDefinition<(u32, u64), i64> =
    TableDefinition::new("satisfaction_invited_by_quarter_account");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(SATISFACTION_SURVEY_BY_QUARTER),
        table_info!(SATISFACTION_QUARTER_BY_SURVEY),
        table_info!(SATISFACTION_DISMISSED_BY_ACCOUNT_QUARTER),
        table_info!(SATISFACTION_INVITED_BY_QUARTER_ACCOUNT),
    ]
}

/// The two directions of the quarter ↔ survey index agree.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let back = tx.open_table(SATISFACTION_QUARTER_BY_SURVEY)?;
    let forth = tx.open_table(SATISFACTION_SURVEY_BY_QUARTER)?;
    for row in forth.iter()? {
        let (q, c) = row?;
        let (q, c) = (q.value(), c.value());
        if back.get(c)?.map(|v| v.value()) != Some(q) {
            problems.push(format!("satisfaction: quarter {q}'s survey {c} is not indexed back"));
        }
    }
    if back.len()? != forth.len()? {
        problems.push("satisfaction: the survey index has rows without their quarter".to_string());
    }
    Ok(problems)
}
