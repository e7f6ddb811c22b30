//! `reassign`: staff move a report to another category, and so to that
//! category's service (a broken bench filed under roads belongs to the
//! parks): the new service is mailed as for a new report, and the timeline
//! says so in public, so that the resident knows who handles it now.

use super::update::{append, followers, get_in};
use super::*;
use crate::config::Config;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::{self, Event, Notifier};
use crate::i18n::Arg;

/// What a reassignment did.
#[derive(Clone, Debug, PartialEq)]
pub struct Reassigned {
    pub report: ProblemReport,
    /// The name of the service the routing mail went to.
    pub service: String,
}

/// Moves `id` to `category` with an optional public text from the staff:
/// a public update names the new category and service (the staff's text
/// first), the followers are told, the new category's service gets the
/// routing mail with a link, and the audit log records the move. The same
/// category again is `AlreadyDone`: nothing to route.
#[allow(clippy::too_many_arguments)]
pub fn reassign(
    tx: &crate::store::WriteTx,
    config: &Config,
    notifier: &Notifier,
    staff: &Actor,
    id: ReportId,
    category: &str,
    text: &str,
    now: i64,
) -> Result<Reassigned, ReportError> {
    let settings = &config.reports;
    let category = settings.category(category).ok_or(ReportError::UnknownCategory)?;
    // A category always names a declared service (checked at start-up).
    let service = settings.service(&category.service).ok_or(ReportError::UnknownCategory)?;
    let text = text.trim();
    if text.chars().count() > MAX_UPDATE {
        return Err(ReportError::TooLong);
    }
    let pre = get_in(tx, id)?;
    if pre.category == category.code {
        return Err(ReportError::AlreadyDone);
    }
    let by = staff.account.unwrap_or_default();
    let mut post = pre.clone();
    post.category = category.code.clone();
    post.updated_at = now;
    write(tx, Some(&pre), &post)?;

    // Stored in the commune's language, as the staff's own texts are.
    let moved = config.default_language.ta(
        "problem-reassigned",
        &[("category", Arg::from(category.name.as_str())), ("service", Arg::from(service.name.as_str()))],
    );
    let public = if text.is_empty() { moved } else { format!("{text}\n\n{moved}") };
    append(tx, id, &Update { at: now, by, staff: true, status: None, category: None, text: public })?;
    for follower in followers(tx, id, Some(by))? {
        let event =
            Event::ReportUpdated { report: id.get(), category: category.name.clone(), status: None, status_name: None };
        notifications::notify(tx, notifier, follower, event, now)?;
    }

    super::file::mail_service(tx, config, notifier, &post, category, service)?;
    let detail = format!("report {id}: {} → {} ({})", pre.category, post.category, service.code);
    staff.record(tx, Action::ReportReassigned, None, detail, now)?;
    Ok(Reassigned { report: post, service: service.name.clone() })
}
