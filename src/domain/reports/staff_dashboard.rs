//! The staff's dashboard: what is open and for how long, per category and
//! per service; how long a category takes to be fixed; where reports come
//! from (per neighbourhood and per cell of the grid index). One pass over
//! the reports and one over the timelines: a staff page, not a public one.
//!
//! The heat map (`heat_map`) counts from index keys only: which reports
//! it counts from the status and category indexes, where they are from the
//! grid index, nothing decoded.

use std::collections::{BTreeMap, HashSet};

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

/// Which reports the heat map counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeatFilter {
    /// Only those open now (else every status).
    pub open_only: bool,
    pub category: Option<String>,
    /// Filed at or after `from`, before `to` (Unix seconds).
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// Public reports per cell of the grid index over the commune's bounds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeatMap {
    /// The cells covered: rows south to north, columns west to east.
    pub rows: (i32, i32),
    pub cols: (i32, i32),
    /// The cells with at least one report counted.
    pub counts: BTreeMap<(i32, i32), u64>,
}

/// Counts the public, shown reports `filter` selects per grid cell within
/// `settings.bounds` (a report outside them was filed before the bounds
/// changed: it is off the map). Reads the keys of two or three indexes.
pub fn heat_map(tx: &impl Tx, settings: &ReportSettings, filter: &HeatFilter) -> Result<HeatMap, StoreError> {
    let b = &settings.bounds;
    let (south, west) = cell_of(to_micro(b.south), to_micro(b.west));
    let (north, east) = cell_of(to_micro(b.north), to_micro(b.east));
    let in_dates = |created: i64| filter.from.is_none_or(|f| created >= f) && filter.to.is_none_or(|t| created < t);
    // A status unknown to the configuration counts as open, as `is_open` says.
    let open = |code: &str| settings.status(code).is_none_or(|s| s.kind == crate::config::StatusKind::Open);
    let mut counted: HashSet<u64> = HashSet::new();
    for row in tx.open(PROBLEM_REPORT_ID_BY_STATUS_CREATED)?.iter()? {
        let key = row?.0;
        let (status, created, id) = key.value();
        if (!filter.open_only || open(status)) && in_dates(created) {
            counted.insert(id);
        }
    }
    if let Some(category) = &filter.category {
        let mut of_category = HashSet::new();
        let range = (category.as_str(), i64::MIN, 0)..=(category.as_str(), i64::MAX, u64::MAX);
        for row in tx.open(PROBLEM_REPORT_ID_BY_CATEGORY_CREATED)?.range(range)? {
            of_category.insert(row?.0.value().2);
        }
        counted.retain(|id| of_category.contains(id));
    }
    // Staff hid them: they are nobody's problem to map.
    for row in tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?.iter()? {
        counted.remove(&row?.0.value());
    }
    let mut counts: BTreeMap<(i32, i32), u64> = BTreeMap::new();
    for row in tx.open(PROBLEM_REPORT_ID_BY_CELL)?.range((south, west, 0)..=(north, east, u64::MAX))? {
        let (r, c, id) = row?.0.value();
        if (west..=east).contains(&c) && counted.contains(&id) {
            *counts.entry((r, c)).or_default() += 1;
        }
    }
    Ok(HeatMap { rows: (south, north), cols: (west, east), counts })
}
