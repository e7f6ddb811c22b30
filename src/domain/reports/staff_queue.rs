//! The staff's queue: the open reports, the reports of the viewer's own
//! services first (a service names its staff accounts in
//! `[[reports.services]]`), then every other, oldest first within each, so
//! that what waits longest is handled first (FixMyStreet's staff list).

use redb::ReadableTable;

use super::*;
use crate::config::ReportSettings;
use crate::store::{decode, Tx};

/// Which open reports the queue shows; `None` lets all through.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    pub category: Option<String>,
    /// An open status.
    pub status: Option<String>,
    /// A service's code: the reports of the categories it handles.
    pub service: Option<String>,
    /// Only the reports assigned to this staff member.
    pub assignee: Option<AccountId>,
}

/// One report of the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Queued {
    pub report: ProblemReport,
    /// The code of the service its category is routed to (`None`: the
    /// category was removed from the configuration).
    pub service: Option<String>,
    /// One of the viewer's own services.
    pub mine: bool,
    /// The staff member it is assigned to.
    pub assignee: Option<AccountId>,
}

/// The codes of the services that name `email` among their staff (an
/// address compares without regard to case, as accounts are found).
pub fn services_of(settings: &ReportSettings, email: &str) -> Vec<String> {
    settings
        .services
        .iter()
        .filter(|s| s.staff.iter().any(|a| a.trim().eq_ignore_ascii_case(email.trim())))
        .map(|s| s.code.clone())
        .collect()
}

/// The open reports that `filter` keeps: those of `mine` (service codes)
/// first, each group oldest first. Each open status's index is read from
/// its oldest entry; closed reports are never read.
pub fn queue(
    tx: &impl Tx,
    settings: &ReportSettings,
    filter: &QueueFilter,
    mine: &[String],
) -> Result<Vec<Queued>, StoreError> {
    let by_status = tx.open(PROBLEM_REPORT_ID_BY_STATUS_CREATED)?;
    let reports = tx.open(PROBLEM_REPORT_BY_ID)?;
    let assignees = tx.open(PROBLEM_REPORT_ASSIGNEE_BY_REPORT)?;
    let service_of = |category: &str| settings.category(category).map(|c| c.service.clone());
    let mut out = Vec::new();
    // A status unknown to the configuration counts as open (`is_open`), but
    // has no index key to walk to: only configured open statuses are read.
    let open = settings.statuses.iter().filter(|s| s.kind == crate::config::StatusKind::Open);
    for status in open {
        if filter.status.as_ref().is_some_and(|s| *s != status.code) {
            continue;
        }
        let key = status.code.as_str();
        for row in by_status.range((key, i64::MIN, 0)..=(key, i64::MAX, u64::MAX))? {
            let id = row?.0.value().2;
            let Some(bytes) = reports.get(id)? else { continue };
            let r: ProblemReport = decode(bytes.value())?;
            if filter.category.as_ref().is_some_and(|c| *c != r.category) {
                continue;
            }
            let service = service_of(&r.category);
            if filter.service.is_some() && filter.service != service {
                continue;
            }
            let assignee = assignees.get(id)?.map(|v| AccountId(v.value()));
            if filter.assignee.is_some() && filter.assignee != assignee {
                continue;
            }
            let own = service.as_ref().is_some_and(|s| mine.contains(s));
            out.push(Queued { report: r, service, mine: own, assignee });
        }
    }
    out.sort_by_key(|q| (!q.mine, q.report.created_at, q.report.id.get()));
    Ok(out)
}
