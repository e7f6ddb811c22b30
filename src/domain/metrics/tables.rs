//! Tables of the metrics concept: the daily roll-up the dashboards read.
//! Days are counted from 1970-01-01 in the commune's time (Europe/Paris);
//! months as `year × 12 + month − 1`. An empty string stands for a
//! neighbourhood or age bracket nobody gave.

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use crate::store::schema::{table_info, TableInfo};
use crate::store::StoreError;

/// (day, kind code, neighbourhood, age bracket) → count: contributions of a
/// kind that day by people of that group, and the distinct participants of
/// the day under the kind `participants`.
pub const METRICS_COUNT_BY_DAY_KIND_GROUP: TableDefinition<(i64, &str, &str, &str), u64> =
    TableDefinition::new("metrics_count_by_day_kind_group");
/// (day, kind code) → count: the same, all groups together, which is what
/// a dashboard over a year reads (a few thousand rows, not one per group).
pub const METRICS_COUNT_BY_DAY_KIND: TableDefinition<(i64, &str), u64> =
    TableDefinition::new("metrics_count_by_day_kind");
/// (month, AccountId) → (): who was active in a month, so that a day rolled
/// again adds nobody twice and a month's participants are distinct people.
pub const METRICS_ACTIVE_BY_MONTH_ACCOUNT: TableDefinition<(u32, u64), ()> =
    TableDefinition::new("metrics_active_by_month_account");
/// AccountId → month: the first month a person took part ("new" that month).
pub const METRICS_FIRST_MONTH_BY_ACCOUNT: TableDefinition<u64, u32> =
    TableDefinition::new("metrics_first_month_by_account");
/// (month, neighbourhood, age bracket) → (active, new): distinct participants
/// of the month and those of them taking part for the first time.
pub const METRICS_PARTICIPANTS_BY_MONTH_GROUP: TableDefinition<(u32, &str, &str), (u64, u64)> =
    TableDefinition::new("metrics_participants_by_month_group");
/// (measure code, month of the start, category, outcome code) → count: the
/// impact of proposals, reports and consultations by when they started.
pub const METRICS_IMPACT_BY_MEASURE_MONTH_CATEGORY_OUTCOME: TableDefinition<(&str, u32, &str, &str), u64> =
    TableDefinition::new("metrics_impact_by_measure_month_category_outcome");
/// (measure code, month of the start, category, whole days) → count: how long
/// each took (answer, fix, published outcome), kept as a histogram so that
/// a median over any range needs no per-record read.
pub const METRICS_DELAY_BY_MEASURE_MONTH_CATEGORY_DAYS: TableDefinition<(&str, u32, &str, u32), u64> =
    TableDefinition::new("metrics_delay_by_measure_month_category_days");
/// Name → value: `rolled_through`, the last day rolled up (absent: never,
/// the next roll-up back-fills every record); `generation`, the roll-ups
/// applied (a reading older than the last one applied is dropped).
pub const METRICS_STATE_BY_NAME: TableDefinition<&str, i64> = TableDefinition::new("metrics_state_by_name");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(METRICS_COUNT_BY_DAY_KIND_GROUP),
        table_info!(METRICS_COUNT_BY_DAY_KIND),
        table_info!(METRICS_ACTIVE_BY_MONTH_ACCOUNT),
        table_info!(METRICS_FIRST_MONTH_BY_ACCOUNT),
        table_info!(METRICS_PARTICIPANTS_BY_MONTH_GROUP),
        table_info!(METRICS_IMPACT_BY_MEASURE_MONTH_CATEGORY_OUTCOME),
        table_info!(METRICS_DELAY_BY_MEASURE_MONTH_CATEGORY_DAYS),
        table_info!(METRICS_STATE_BY_NAME),
    ]
}

/// Every month's active people have a first month, no later than that month.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let first = tx.open_table(METRICS_FIRST_MONTH_BY_ACCOUNT)?;
    for row in tx.open_table(METRICS_ACTIVE_BY_MONTH_ACCOUNT)?.iter()? {
        let (month, account) = row?.0.value();
        match first.get(account)?.map(|v| v.value()) {
            Some(f) if f <= month => {}
            Some(f) => problems.push(format!("metrics: account {account} active in month {month}, first in {f}")),
            None => problems.push(format!("metrics: account {account} active in month {month} has no first month")),
        }
    }
    Ok(problems)
}
