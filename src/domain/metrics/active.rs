//! Who took part in a range of months, as the roll-up counted them: what
//! other concepts ask when they address « residents active this quarter »
//! (the satisfaction survey), so that participation means one thing.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use redb::ReadableTable;

use super::tables::METRICS_ACTIVE_BY_MONTH_ACCOUNT;
use crate::domain::accounts::AccountId;
use crate::store::{StoreError, Tx};

/// Whether `account` took part in any of `months` (as the tables key months).
pub fn was_active(tx: &impl Tx, account: AccountId, months: RangeInclusive<u32>) -> Result<bool, StoreError> {
    let table = tx.open(METRICS_ACTIVE_BY_MONTH_ACCOUNT)?;
    for month in months {
        if table.get((month, account.get()))?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Everyone who took part in any of `months`, each once.
pub fn active_in(tx: &impl Tx, months: RangeInclusive<u32>) -> Result<BTreeSet<AccountId>, StoreError> {
    let table = tx.open(METRICS_ACTIVE_BY_MONTH_ACCOUNT)?;
    let (first, last) = (*months.start(), *months.end());
    let mut out = BTreeSet::new();
    for row in table.range((first, 0)..=(last, u64::MAX))? {
        out.insert(AccountId(row?.0.value().1));
    }
    Ok(out)
}
