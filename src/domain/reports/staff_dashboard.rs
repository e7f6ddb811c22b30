//! The staff's dashboard: what is open and for how long, per category and
//! per service; how long a category takes to be fixed; where reports come
//! from (per neighbourhood and per cell of the grid index). One pass over
//! the reports and one over the timelines: a staff page, not a public one.

use std::collections::BTreeMap;

use redb::ReadableTable;

use super::*;
use crate::config::ReportSettings;
use crate::store::{decode, Tx};

/// Open reports of a group, and their ages in seconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenAges {
    pub open: u64,
    pub oldest: i64,
    pub median: i64,
}

/// How long a category's reports took to be fixed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeToFix {
    /// Reports that reached a fixed status at least once.
    pub fixed: u64,
    /// Median seconds from filing to the first fixed status.
    pub median: i64,
}

/// The dashboard's figures; maps are keyed by code (category, service),
/// neighbourhood name (`None`: not given) or grid cell (row, column).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dashboard {
    pub by_category: BTreeMap<String, OpenAges>,
    pub by_service: BTreeMap<String, OpenAges>,
    pub time_to_fix: BTreeMap<String, TimeToFix>,
    /// Every report (open or not) per neighbourhood.
    pub by_neighbourhood: BTreeMap<Option<String>, u64>,
    /// Every report per grid cell (`reports::CELL_MICRODEGREES`).
    pub by_cell: BTreeMap<(i32, i32), u64>,
}

/// The middle value (the lower one of an even count), 0 for none.
fn median(values: &mut [i64]) -> i64 {
    if values.is_empty() {
        return 0;
    }
    values.sort_unstable();
    values[(values.len() - 1) / 2]
}

fn ages(values: &mut [i64]) -> OpenAges {
    let m = median(values);
    OpenAges { open: values.len() as u64, oldest: values.iter().copied().max().unwrap_or(0), median: m }
}

/// The dashboard at `now`. A report counts as open as `is_open` says; its
/// service is its category's as configured now (a removed category has none).
pub fn dashboard(tx: &impl Tx, settings: &ReportSettings, now: i64) -> Result<Dashboard, StoreError> {
    let reports = tx.open(PROBLEM_REPORT_BY_ID)?;
    let mut out = Dashboard::default();
    let mut open_by_category: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut open_by_service: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut filed: BTreeMap<u64, (String, i64)> = BTreeMap::new();
    for row in reports.iter()? {
        let r: ProblemReport = decode(row?.1.value())?;
        // A report waiting for its author's confirmation is nobody's work yet.
        if !r.confirmed {
            continue;
        }
        *out.by_neighbourhood.entry(r.neighbourhood.clone()).or_default() += 1;
        *out.by_cell.entry(cell_of(r.lat, r.lon)).or_default() += 1;
        filed.insert(r.id.get(), (r.category.clone(), r.created_at));
        if r.is_open(settings) {
            let age = (now - r.created_at).max(0);
            open_by_category.entry(r.category.clone()).or_default().push(age);
            if let Some(c) = settings.category(&r.category) {
                open_by_service.entry(c.service.clone()).or_default().push(age);
            }
        }
    }
    out.by_category = open_by_category.into_iter().map(|(k, mut v)| (k, ages(&mut v))).collect();
    out.by_service = open_by_service.into_iter().map(|(k, mut v)| (k, ages(&mut v))).collect();

    // The timelines in key order: each report's updates together, oldest
    // first, so the first fixed status met is the one that counts.
    let fixed_kind = |code: &str| settings.status(code).is_some_and(|s| s.kind == crate::config::StatusKind::Fixed);
    let mut took: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut done: Option<u64> = None;
    for row in tx.open(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?.iter()? {
        let (key, bytes) = row?;
        let id = key.value().0;
        if done == Some(id) {
            continue;
        }
        let u: Update = decode(bytes.value())?;
        if u.status.as_deref().is_some_and(fixed_kind) {
            done = Some(id);
            if let Some((category, created)) = filed.get(&id) {
                took.entry(category.clone()).or_default().push((u.at - created).max(0));
            }
        }
    }
    out.time_to_fix =
        took.into_iter().map(|(k, mut v)| (k, TimeToFix { fixed: v.len() as u64, median: median(&mut v) })).collect();
    Ok(out)
}
