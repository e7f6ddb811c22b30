//! Reading reports: one, its timeline, a filtered page, and the open ones
//! nearby.

use redb::ReadableTable;

use super::update::decode_update;
use super::*;
use crate::config::ReportSettings;
use crate::store::{self, decode, Tx};

/// A public report: one waiting for its author's confirmation is not
/// found (its page, "me too", updates and status changes all start here).
pub fn get(tx: &impl Tx, id: ReportId) -> Result<Option<ProblemReport>, StoreError> {
    Ok(store::record::<ProblemReport>(tx, PROBLEM_REPORT_BY_ID, id.get())?.filter(|r| r.confirmed))
}

/// The public timeline of a report, oldest first.
pub fn timeline(tx: &impl Tx, id: ReportId) -> Result<Vec<Update>, StoreError> {
    let table = tx.open(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        out.push(decode_update(row?.1.value())?);
    }
    Ok(out)
}

/// Which reports to list; every field left `None` lets all through.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub category: Option<String>,
    /// Any of these categories (a service's queue: its categories).
    pub categories: Option<Vec<String>>,
    pub status: Option<String>,
    pub neighbourhood: Option<String>,
    /// Filed at or after (Unix seconds).
    pub from: Option<i64>,
    /// Filed before (Unix seconds).
    pub to: Option<i64>,
}

impl Filter {
    fn keeps(&self, r: &ProblemReport) -> bool {
        self.category.as_ref().is_none_or(|c| *c == r.category)
            && self.categories.as_ref().is_none_or(|cs| cs.contains(&r.category))
            && self.status.as_ref().is_none_or(|s| *s == r.status)
            && self.neighbourhood.as_ref().is_none_or(|n| r.neighbourhood.as_ref() == Some(n))
            && self.from.is_none_or(|f| r.created_at >= f)
            && self.to.is_none_or(|t| r.created_at < t)
    }
}

/// The deepest page a list goes to (as proposals' `MAX_PAGE`).
pub const MAX_PAGE: usize = 1_000;

/// Which page, counted from 0, of `size` reports.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub number: usize,
    pub size: usize,
}

/// One page of reports, newest first, and whether there is another. A
/// category, neighbourhood or status filter walks its own index (newest
/// first, within the dates); otherwise every report, newest id first.
pub fn list(tx: &impl Tx, filter: &Filter, page: Page) -> Result<(Vec<ProblemReport>, bool), StoreError> {
    let reports = tx.open(PROBLEM_REPORT_BY_ID)?;
    let hidden = tx.open(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
    let skip = page.number.min(MAX_PAGE).saturating_mul(page.size);
    let mut out = Vec::with_capacity(page.size.min(100));
    let mut seen = 0usize;
    let mut consider = |id: u64, out: &mut Vec<ProblemReport>| -> Result<bool, StoreError> {
        let Some(bytes) = reports.get(id)? else { return Ok(true) };
        // Hidden by staff: out of every list.
        if hidden.get(id)?.is_some() {
            return Ok(true);
        }
        let r: ProblemReport = decode(bytes.value())?;
        if !r.confirmed || !filter.keeps(&r) {
            return Ok(true);
        }
        seen += 1;
        if seen <= skip {
            return Ok(true);
        }
        if out.len() == page.size {
            return Ok(false);
        }
        out.push(r);
        Ok(true)
    };
    let (from, to) = (filter.from.unwrap_or(i64::MIN), filter.to.unwrap_or(i64::MAX).saturating_sub(1));
    let mut more = false;
    // The category's index first, then the neighbourhood's, then the
    // status's: the fewer reports an index holds, the fewer are decoded
    // and left (a status such as « new » can hold most of them).
    let index = match (&filter.category, &filter.neighbourhood, &filter.status) {
        (Some(c), _, _) => Some((PROBLEM_REPORT_ID_BY_CATEGORY_CREATED, c.as_str())),
        (None, Some(n), _) => Some((PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED, n.as_str())),
        (None, None, Some(s)) => Some((PROBLEM_REPORT_ID_BY_STATUS_CREATED, s.as_str())),
        (None, None, None) => None,
    };
    match index {
        Some((def, key)) if from <= to => {
            let table = tx.open(def)?;
            for row in table.range((key, from, 0)..=(key, to, u64::MAX))?.rev() {
                if !consider(row?.0.value().2, &mut out)? {
                    more = true;
                    break;
                }
            }
        }
        Some(_) => {}
        None => {
            // Walked lazily, newest first: the first page reads its twenty
            // reports, not every id of the table (100,000 in a large town).
            for row in reports.iter()?.rev() {
                if !consider(row?.0.value(), &mut out)? {
                    more = true;
                    break;
                }
            }
        }
    }
    Ok((out, more))
}

/// An open report near a place, and how far.
#[derive(Clone, Debug, PartialEq)]
pub struct Nearby {
    pub report: ProblemReport,
    pub metres: f64,
}

/// What the report form offers at its nearby step: the nearest open
/// reports, and how many more there are within the radius.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Nearest {
    pub reports: Vec<Nearby>,
    pub more: usize,
}

/// Metres in a degree of latitude, a little under the Earth's 111,195: the
/// cells read are never too few (the distance itself is exact).
const METRES_PER_DEGREE: f64 = 111_000.0;

/// The `limit` open reports of `category` nearest to (`lat`, `lon`) in
/// degrees within `radius_m` metres, nearest first (the lower number first
/// at the same distance), and how many more are within it. Only the
/// nearby index's cells that the circle touches are read, each row giving
/// the place and status: no report is decoded but the ones returned.
pub fn nearest(
    tx: &impl Tx,
    settings: &ReportSettings,
    category: &str,
    lat: f64,
    lon: f64,
    radius_m: f64,
    limit: usize,
) -> Result<Nearest, StoreError> {
    let places = tx.open(PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL)?;
    let dlat = radius_m / METRES_PER_DEGREE;
    // A degree of longitude is shortest at the circle's edge farthest from
    // the equator: the columns read are counted there.
    let narrowest = (lat.abs() + dlat).min(89.0).to_radians().cos();
    let (row_min, _) = place_cell_of(to_micro(lat - dlat), 0);
    let (row_max, _) = place_cell_of(to_micro(lat + dlat), 0);
    let mut found: Vec<(f64, u64)> = Vec::new();
    for row in row_min..=row_max {
        // The circle is narrower in the rows away from its centre: each row
        // reads the columns its nearest edge needs.
        let south = from_micro(row.saturating_mul(PLACE_CELL_MICRODEGREES));
        let north = from_micro(row.saturating_add(1).saturating_mul(PLACE_CELL_MICRODEGREES));
        let dy = (south - lat).max(lat - north).max(0.0);
        if dy > dlat {
            continue;
        }
        let dlon = (dlat * dlat - dy * dy).sqrt() / narrowest.max(0.01);
        let (_, col_min) = place_cell_of(0, to_micro(lon - dlon));
        let (_, col_max) = place_cell_of(0, to_micro(lon + dlon));
        for entry in places.range((category, row, col_min, 0)..=(category, row, col_max, u64::MAX))? {
            let (key, value) = entry?;
            let (r_lat, r_lon, status) = value.value();
            if !is_open_status(settings, status) {
                continue;
            }
            let metres = crate::domain::addresses::distance_m(lat, lon, from_micro(r_lat), from_micro(r_lon));
            if metres <= radius_m {
                found.push((metres, key.value().3));
            }
        }
    }
    let by_distance = |a: &(f64, u64), b: &(f64, u64)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if found.len() > limit {
        found.select_nth_unstable_by(limit, by_distance);
    }
    let more = found.len().saturating_sub(limit);
    found.truncate(limit);
    found.sort_by(by_distance);
    let reports = tx.open(PROBLEM_REPORT_BY_ID)?;
    let mut out = Vec::with_capacity(found.len());
    for (metres, id) in found {
        if let Some(bytes) = reports.get(id)? {
            out.push(Nearby { report: decode(bytes.value())?, metres });
        }
    }
    Ok(Nearest { reports: out, more })
}

/// Every open report of `category` within `radius_m` metres of (`lat`,
/// `lon`), nearest first ([`nearest`] without a limit).
pub fn nearby(
    tx: &impl Tx,
    settings: &ReportSettings,
    category: &str,
    lat: f64,
    lon: f64,
    radius_m: f64,
) -> Result<Vec<Nearby>, StoreError> {
    Ok(nearest(tx, settings, category, lat, lon, radius_m, usize::MAX)?.reports)
}

/// The reports a person filed, newest first (personal data export).
pub fn of_author(tx: &impl Tx, author: AccountId) -> Result<Vec<ProblemReport>, StoreError> {
    let index = tx.open(PROBLEM_REPORT_ID_BY_AUTHOR)?;
    let mut out = Vec::new();
    for row in index.range((author.get(), 0)..=(author.get(), u64::MAX))?.rev() {
        if let Some(r) = get(tx, ReportId(row?.0.value().1))? {
            out.push(r);
        }
    }
    Ok(out)
}

/// The reports a person follows, newest report first (personal data
/// export). Follows are keyed by report, to reach its followers: the table
/// is read whole, which an export, rare and for one person, can afford.
pub fn followed_by(tx: &impl Tx, account: AccountId) -> Result<Vec<ReportId>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?.iter()? {
        let (id, follower) = row?.0.value();
        if follower == account.get() {
            out.push(ReportId(id));
        }
    }
    out.reverse();
    Ok(out)
}

/// The reports a person said « me too » on, with when, most recent first
/// (personal data export; read whole, as [`followed_by`]).
pub fn supports_of(tx: &impl Tx, account: AccountId) -> Result<Vec<(ReportId, i64)>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?.iter()? {
        let (key, at) = row?;
        let (id, by) = key.value();
        if by == account.get() {
            out.push((ReportId(id), at.value()));
        }
    }
    out.sort_by_key(|(id, at)| std::cmp::Reverse((*at, *id)));
    Ok(out)
}

/// A report as the public may see it: published and not hidden by staff
/// (`get` gives staff the hidden ones too). For feeds and the Open311 API.
pub fn get_public(tx: &impl Tx, id: ReportId) -> Result<Option<ProblemReport>, StoreError> {
    if super::is_hidden(tx, id)? {
        return Ok(None);
    }
    get(tx, id)
}
