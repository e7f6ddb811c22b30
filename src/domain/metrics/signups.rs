//! Sign-ups per day and neighbourhood (issue 16, the launch campaign), as
//! the daily roll-up counted them (kind `sign-up`): read from its rows,
//! never from the accounts, so that the launch page and the public
//! objectives cost a few hundred rows whatever the number of residents.
//!
//! A sign-up is a resident's account created that day, counted under the
//! neighbourhood the person gives (empty when none); an account deleted
//! before its day was rolled up is not counted.

use std::collections::BTreeMap;

use redb::ReadableTable;

use super::tables::METRICS_COUNT_BY_DAY_KIND_GROUP;
use super::Kind;
use crate::store::{StoreError, Tx};

/// Day → neighbourhood → sign-ups, for the days `from..=to`.
pub fn by_day(tx: &impl Tx, from: i64, to: i64) -> Result<BTreeMap<i64, BTreeMap<String, u64>>, StoreError> {
    let mut out: BTreeMap<i64, BTreeMap<String, u64>> = BTreeMap::new();
    let code = Kind::SignUp.code();
    for row in
        tx.open(METRICS_COUNT_BY_DAY_KIND_GROUP)?.range((from, "", "", "")..(to.saturating_add(1), "", "", ""))?
    {
        let (key, n) = row?;
        let (day, kind, neighbourhood, _) = key.value();
        if kind == code {
            *out.entry(day).or_default().entry(neighbourhood.to_string()).or_default() += n.value();
        }
    }
    Ok(out)
}

/// Neighbourhood → sign-ups up to `to`, every day before included.
pub fn by_neighbourhood(tx: &impl Tx, to: i64) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for per_day in by_day(tx, i64::MIN, to)?.into_values() {
        for (n, count) in per_day {
            *out.entry(n).or_default() += count;
        }
    }
    Ok(out)
}
