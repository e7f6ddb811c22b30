//! `mark_duplicate`: staff say that a report is the same problem as
//! another, open one (FixMyStreet's "duplicate" state): the duplicate is
//! closed with a public update that links the original, and the people who
//! followed or supported it now follow and support the original instead,
//! so that they hear of the repair once, from the report that gets it.

use redb::{ReadableTable, WriteTransaction};

use super::update::{append, followers, get_in};
use super::*;
use crate::config::Config;
use crate::domain::audit::{Action, Actor};
use crate::domain::notifications::{self, Event, Notifier};
use crate::i18n::Arg;

/// The status code a duplicate takes (one of FixMyStreet's defaults; a
/// commune that removed it from `[[reports.statuses]]` cannot mark any).
pub const DUPLICATE: &str = "duplicate";

/// Marks `id` as a duplicate of `original`, with an optional public text
/// from the staff. The original must be open (a closed one would take
/// followers who never hear of it again). `id`'s followers are told of the
/// change, then move with its « me too » to `original`: each person counted
/// once there, and `id`'s author counted as a « me too » of the original,
/// since they reported the same problem. The original's timeline notes the
/// merge; its own followers are not mailed for it (nothing changed for them).
#[allow(clippy::too_many_arguments)]
pub fn mark_duplicate(
    tx: &crate::store::WriteTx,
    config: &Config,
    notifier: &Notifier,
    staff: &Actor,
    id: ReportId,
    original: ReportId,
    text: &str,
    now: i64,
) -> Result<ProblemReport, ReportError> {
    let settings = &config.reports;
    let status = settings.status(DUPLICATE).ok_or(ReportError::UnknownStatus)?;
    if id == original {
        return Err(ReportError::SameReport);
    }
    let text = text.trim();
    if text.chars().count() > MAX_UPDATE {
        return Err(ReportError::TooLong);
    }
    let pre = get_in(tx, id)?;
    if pre.status == status.code {
        return Err(ReportError::AlreadyDone);
    }
    let target = super::get(tx, original)?.ok_or(ReportError::NoSuchOriginal)?;
    // A hidden report is not there for residents: nobody may be sent to it.
    if super::is_hidden(tx, original)? {
        return Err(ReportError::NoSuchOriginal);
    }
    if !target.is_open(settings) {
        return Err(ReportError::Closed);
    }
    let by = staff.account.unwrap_or_default();
    // Stored in the commune's language, as the staff's own texts are.
    let lang = config.default_language;
    let link = lang.ta("problem-duplicate-of", &[("number", Arg::from(original.get().to_string()))]);
    let public = if text.is_empty() { link } else { format!("{text}\n\n{link}") };

    // The duplicate's followers hear of it first, on the report they follow.
    let category = settings.category(&pre.category).map(|c| c.name.clone()).unwrap_or_else(|| pre.category.clone());
    for follower in followers(tx, id, Some(by))? {
        let event = Event::ReportUpdated {
            report: id.get(),
            category: category.clone(),
            status: Some(status.code.clone()),
            status_name: status.name.clone(),
        };
        notifications::notify(tx, notifier, follower, event, now)?;
    }

    let moved = move_people(tx, &pre, &target, now)?;
    let mut post = pre.clone();
    post.status = status.code.clone();
    post.updated_at = now;
    post.followers = 0;
    post.supports = 0;
    write(tx, Some(&pre), &post)?;
    append(
        tx,
        id,
        &Update { at: now, by, staff: true, status: Some(status.code.clone()), category: None, text: public },
    )?;

    let mut merged = target.clone();
    merged.followers += moved.followers;
    merged.supports += moved.supports;
    merged.updated_at = now;
    write(tx, Some(&target), &merged)?;
    let note = lang.ta("problem-duplicate-merged", &[("number", Arg::from(id.get().to_string()))]);
    append(tx, original, &Update { at: now, by, staff: true, status: None, category: None, text: note })?;

    let detail = format!(
        "report {id} duplicate of {original}: {} follower(s), {} « me too » moved",
        moved.followers, moved.supports
    );
    staff.record(tx, Action::ReportMarkedDuplicate, None, detail, now)?;
    Ok(post)
}

/// How many follow and « me too » rows the original gained.
struct Moved {
    followers: u64,
    supports: u64,
}

/// Moves the follow and « me too » rows of `from` to `to`, each person
/// once: someone who already follows or supports `to`, or is its author,
/// adds nothing there. `from`'s author becomes a « me too » of `to`.
fn move_people(tx: &WriteTransaction, from: &ProblemReport, to: &ProblemReport, now: i64) -> Result<Moved, StoreError> {
    let (a, b) = (from.id.get(), to.id.get());
    let mut moved = Moved { followers: 0, supports: 0 };
    {
        let mut supports = tx.open_table(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?;
        let mut rows: Vec<(u64, i64)> = Vec::new();
        for row in supports.range((a, 0)..=(a, u64::MAX))? {
            let (k, at) = row?;
            rows.push((k.value().1, at.value()));
        }
        for (account, _) in &rows {
            supports.remove((a, *account))?;
        }
        // The author reported it at the report's filing: that is their "me too".
        // (A visitor or an Open311 client has no account to carry over.)
        if let Some(author) = from.author.account() {
            rows.push((author.get(), from.created_at.min(now)));
        }
        for (account, at) in rows {
            if !to.author.is(AccountId(account)) && supports.get((b, account))?.is_none() {
                supports.insert((b, account), at)?;
                moved.supports += 1;
            }
        }
    }
    {
        let mut follows = tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
        let mut accounts = Vec::new();
        for row in follows.range((a, 0)..=(a, u64::MAX))? {
            accounts.push(row?.0.value().1);
        }
        for account in &accounts {
            follows.remove((a, *account))?;
        }
        for account in accounts {
            if follows.get((b, account))?.is_none() {
                follows.insert((b, account), ())?;
                moved.followers += 1;
            }
        }
    }
    Ok(moved)
}
