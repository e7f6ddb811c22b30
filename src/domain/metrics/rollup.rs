//! The daily roll-up: what each day's contributions and participants were,
//! read once from the records of every concept and kept in the metrics
//! tables, so that the dashboards read a few hundred rows whatever the
//! number of records.
//!
//! It runs in two steps so that the long part never holds the writer:
//! [`collect`] reads every record in a read transaction, [`apply`] writes
//! the days it covers in one short write. Re-running a day replaces its rows
//! (idempotent); the first run, with no day given, back-fills everything.
//! The impact figures (answers, fixes, outcomes) are recomputed from every
//! record each time: their records change long after the day they started.

use std::collections::{BTreeMap, BTreeSet};

use redb::{ReadableTable, WriteTransaction};

use super::tables::*;
use super::{day_of, fixed_statuses, month_of_day, Kind, Measure};
use crate::config::Config;
use crate::domain::accounts::{self, AccountId};
use crate::domain::{comments, consultations, meetings, proposals, reports};
use crate::store::{decode, StoreError, Tx};

/// (neighbourhood, age bracket), empty when not given.
type Group = (String, String);

/// What one roll-up writes.
#[derive(Debug, Default)]
pub struct Collected {
    /// The days covered (inclusive); `None`: every day, the back-fill.
    pub days: Option<(i64, i64)>,
    /// (day, kind, group) → count.
    pub counts: BTreeMap<(i64, Kind, Group), u64>,
    /// day → the people active that day (for the months' distinct counts).
    pub active: BTreeMap<i64, BTreeSet<u64>>,
    /// Each active person's group, as they gave it.
    pub groups: BTreeMap<u64, Group>,
    /// (measure, month, category, outcome) → count.
    pub impact: BTreeMap<(Measure, u32, String, &'static str), u64>,
    /// (measure, month, category, days) → count.
    pub delays: BTreeMap<(Measure, u32, String, u32), u64>,
    /// The last day covered.
    pub through: i64,
    /// The roll-ups applied when this one read (`generation`): one applied
    /// since would be newer than this one's read, which is then dropped.
    pub generation: i64,
}

/// Reads every record for the days `days` (all days when `None`), up to `now`.
pub fn collect(tx: &impl Tx, config: &Config, days: Option<(i64, i64)>, now: i64) -> Result<Collected, StoreError> {
    let today = day_of(now);
    let generation = tx.open(METRICS_STATE_BY_NAME)?.get("generation")?.map_or(0, |v| v.value());
    let mut out = Collected { days, through: days.map_or(today, |d| d.1), generation, ..Collected::default() };
    let within = |day: i64| days.is_none_or(|(from, to)| (from..=to).contains(&day));
    let mut events: Vec<(i64, Kind, Option<u64>)> = Vec::new();
    let mut note = |at_day: i64, kind: Kind, who: Option<u64>| {
        if within(at_day) {
            events.push((at_day, kind, who));
        }
    };

    // A pilot group's private process is counted nowhere: the public
    // figures would tell of it (`domain::groups`).
    let private = |p: crate::domain::groups::Process| -> Result<bool, StoreError> {
        Ok(!crate::domain::groups::is_public(tx, p)?)
    };
    for row in tx.open(proposals::tables::PROPOSAL_BY_ID)?.iter()? {
        let p: proposals::Proposal = decode(row?.1.value())?;
        if private(crate::domain::groups::Process::IdeaBox(p.box_id))? {
            continue;
        }
        // A workshop's idea was typed by staff: it counts, and names nobody.
        let who = if p.origin.is_some() { None } else { Some(p.author.get()) };
        note(day_of(p.created_at), Kind::Proposal, who);
        if p.held {
            continue;
        }
        let (month, category) = (month_of_day(day_of(p.created_at)), p.category.clone().unwrap_or_default());
        *out.impact.entry((Measure::Proposals, month, category.clone(), "total")).or_default() += 1;
        if let Some(answer) = &p.answer {
            *out.impact.entry((Measure::Proposals, month, category.clone(), "answered")).or_default() += 1;
            *out.delays
                .entry((Measure::Proposals, month, category.clone(), whole_days(p.created_at, answer.at)))
                .or_default() += 1;
        }
        if let Some(at) = super::decisions::accepted_at(&p) {
            *out.impact.entry((Measure::Proposals, month, category.clone(), "accepted")).or_default() += 1;
            *out.delays
                .entry((Measure::ProposalsAccepted, month, category.clone(), whole_days(p.created_at, at)))
                .or_default() += 1;
        }
        if let Some(at) = super::decisions::done_at(&p) {
            *out.impact.entry((Measure::Proposals, month, category.clone(), "done")).or_default() += 1;
            *out.delays.entry((Measure::ProposalsDone, month, category, whole_days(p.created_at, at))).or_default() +=
                1;
        }
    }
    for row in tx.open(proposals::tables::SUPPORT_BY_PROPOSAL_ACCOUNT)?.iter()? {
        let (key, at) = row?;
        note(day_of(at.value()), Kind::Support, Some(key.value().1));
    }
    for row in tx.open(comments::tables::COMMENT_BY_ID)?.iter()? {
        let c: comments::Comment = decode(row?.1.value())?;
        note(day_of(c.created_at), Kind::Comment, Some(c.author.get()));
    }

    // Reports: filed (confirmed ones: an unconfirmed one is not public yet),
    // then fixed — the first fixed status of its timeline, as the services'
    // own dashboard counts it (`reports::dashboard`).
    let fixed = fixed_statuses(config);
    let mut filed: BTreeMap<u64, (i64, String)> = BTreeMap::new();
    for row in tx.open(reports::tables::PROBLEM_REPORT_BY_ID)?.iter()? {
        let r: reports::ProblemReport = decode(row?.1.value())?;
        if !r.confirmed {
            continue;
        }
        note(day_of(r.created_at), Kind::Report, r.author.account().map(|a| a.get()));
        let month = month_of_day(day_of(r.created_at));
        *out.impact.entry((Measure::Reports, month, r.category.clone(), "total")).or_default() += 1;
        filed.insert(r.id.get(), (r.created_at, r.category));
    }
    let mut done: Option<u64> = None;
    for row in tx.open(reports::tables::PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?.iter()? {
        let (key, bytes) = row?;
        let id = key.value().0;
        if done == Some(id) {
            continue;
        }
        let u: reports::Update = decode(bytes.value())?;
        if u.status.as_deref().is_some_and(|s| fixed.contains(s)) {
            done = Some(id);
            if let Some((created, category)) = filed.get(&id) {
                let month = month_of_day(day_of(*created));
                *out.impact.entry((Measure::Reports, month, category.clone(), "fixed")).or_default() += 1;
                *out.delays
                    .entry((Measure::Reports, month, category.clone(), whole_days(*created, u.at)))
                    .or_default() += 1;
            }
        }
    }

    for row in tx.open(consultations::tables::CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?.iter()? {
        let a: consultations::Answer = decode(row?.1.value())?;
        if private(crate::domain::groups::Process::Consultation(a.consultation))? {
            continue;
        }
        let who = if let consultations::Respondent::Account(id) = a.respondent { Some(id.get()) } else { None };
        note(day_of(a.at), Kind::Answer, who);
    }
    // A consultation's outcome is measured from its close; one still open
    // has nothing to publish yet and is left out.
    for row in tx.open(consultations::tables::CONSULTATION_BY_ID)?.iter()? {
        let c: consultations::Consultation = decode(row?.1.value())?;
        if private(crate::domain::groups::Process::Consultation(c.id))? {
            continue;
        }
        let Some(closed) = c.closes_at().filter(|at| *at <= now) else { continue };
        let month = month_of_day(day_of(closed));
        *out.impact.entry((Measure::Consultations, month, String::new(), "total")).or_default() += 1;
        if let Some(o) = consultations::outcome(tx, c.id)? {
            *out.impact.entry((Measure::Consultations, month, String::new(), "published")).or_default() += 1;
            *out.delays
                .entry((Measure::Consultations, month, String::new(), whole_days(closed, o.published_at)))
                .or_default() += 1;
        }
    }
    for row in tx.open(meetings::tables::MEETING_REGISTRATION_BY_MEETING_NUMBER)?.iter()? {
        let r: meetings::Registration = decode(row?.1.value())?;
        if private(crate::domain::groups::Process::Meeting(r.meeting))? {
            continue;
        }
        let who = if let Some(meetings::Registrant::Account(id)) = r.who { Some(id.get()) } else { None };
        note(day_of(r.at), Kind::Registration, who);
    }
    // The voter roll keeps who voted and the day only (the ballot box
    // keeps what, apart): the day is all a turnout needs.
    for row in tx.open(crate::domain::budgets::tables::BUDGET_ROLL_BY_PROCESS_ACCOUNT)?.iter()? {
        let (key, bytes) = row?;
        let entry: crate::domain::budgets::RollEntry = decode(bytes.value())?;
        if private(crate::domain::groups::Process::Budget(crate::domain::budgets::ProcessId(key.value().0)))? {
            continue;
        }
        let Some(day) = day_number(&entry.day) else { continue };
        note(day, Kind::BudgetVote, Some(key.value().1));
    }

    // Sign-ups (the launch campaign): residents' accounts created that
    // day, under their own group; a sign-up is not taking part, so it
    // makes nobody active.
    // The ids first: a write transaction (the command line's roll-up)
    // cannot open the table again while iterating it.
    let ids = tx
        .open(accounts::tables::ACCOUNT_BY_ID)?
        .iter()?
        .map(|r| r.map(|(k, _)| k.value()))
        .collect::<Result<Vec<u64>, _>>()?;
    for id in ids {
        let Some(a) = accounts::get_without_address(tx, AccountId(id)).map_err(|e| match e {
            accounts::AccountError::Store(e) => e,
            other => StoreError::Internal(other.to_string()),
        })?
        else {
            continue;
        };
        let day = day_of(a.created_at);
        if a.role != accounts::Role::Resident || a.is_erased() || !within(day) {
            continue;
        }
        let group = (a.neighbourhood.unwrap_or_default(), a.age_bracket.unwrap_or_default());
        *out.counts.entry((day, Kind::SignUp, group)).or_default() += 1;
    }

    for (day, kind, who) in events {
        let group = match who {
            Some(id) => {
                out.active.entry(day).or_default().insert(id);
                group_of(tx, &mut out.groups, id)?
            }
            None => Group::default(),
        };
        *out.counts.entry((day, kind, group)).or_default() += 1;
    }
    for (day, people) in &out.active {
        for id in people {
            let group = out.groups.get(id).cloned().unwrap_or_default();
            *out.counts.entry((*day, Kind::Participants, group)).or_default() += 1;
        }
    }
    Ok(out)
}

fn group_of(tx: &impl Tx, cache: &mut BTreeMap<u64, Group>, id: u64) -> Result<Group, StoreError> {
    if let Some(g) = cache.get(&id) {
        return Ok(g.clone());
    }
    let account = accounts::get_without_address(tx, AccountId(id)).map_err(|e| match e {
        accounts::AccountError::Store(e) => e,
        other => StoreError::Internal(other.to_string()),
    })?;
    let g =
        account.map(|a| (a.neighbourhood.unwrap_or_default(), a.age_bracket.unwrap_or_default())).unwrap_or_default();
    cache.insert(id, g.clone());
    Ok(g)
}

fn whole_days(from: i64, to: i64) -> u32 {
    u32::try_from((to - from).max(0) / 86_400).unwrap_or(u32::MAX)
}

/// The day number of a `YYYY-MM-DD` date.
fn day_number(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let z = d.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
    Some(z.timestamp().as_second().div_euclid(86_400))
}

/// Writes what [`collect`] read: the days it covers are replaced, the
/// months they touch recounted, the impact rows replaced. Returns `false`,
/// writing nothing, when another roll-up was applied after this one read:
/// its older reading must not replace the newer rows.
pub fn apply(tx: &WriteTransaction, c: &Collected) -> Result<bool, StoreError> {
    let mut state = tx.open_table(METRICS_STATE_BY_NAME)?;
    if state.get("generation")?.map_or(0, |v| v.value()) != c.generation {
        return Ok(false);
    }
    state.insert("generation", c.generation + 1)?;
    let before = state.get("rolled_through")?.map(|v| v.value());
    state.insert("rolled_through", before.map_or(c.through, |b| b.max(c.through)))?;
    drop(state);
    let mut counts = tx.open_table(METRICS_COUNT_BY_DAY_KIND_GROUP)?;
    match c.days {
        Some((from, to)) => counts.retain_in((from, "", "", "")..(to.saturating_add(1), "", "", ""), |_, _| false)?,
        None => counts.retain(|_, _| false)?,
    }
    let mut totals = tx.open_table(METRICS_COUNT_BY_DAY_KIND)?;
    match c.days {
        Some((from, to)) => totals.retain_in((from, "")..(to.saturating_add(1), ""), |_, _| false)?,
        None => totals.retain(|_, _| false)?,
    }
    let mut summed: BTreeMap<(i64, Kind), u64> = BTreeMap::new();
    for ((day, kind, (n, a)), count) in &c.counts {
        counts.insert((*day, kind.code(), n.as_str(), a.as_str()), *count)?;
        *summed.entry((*day, *kind)).or_default() += count;
    }
    for ((day, kind), count) in summed {
        totals.insert((day, kind.code()), count)?;
    }

    let mut active = tx.open_table(METRICS_ACTIVE_BY_MONTH_ACCOUNT)?;
    let mut first = tx.open_table(METRICS_FIRST_MONTH_BY_ACCOUNT)?;
    if c.days.is_none() {
        active.retain(|_, _| false)?;
        first.retain(|_, _| false)?;
    }
    let mut months = BTreeSet::new();
    for (day, people) in &c.active {
        let month = month_of_day(*day);
        months.insert(month);
        for id in people {
            active.insert((month, *id), ())?;
            let earlier = first.get(*id)?.map(|v| v.value());
            if earlier.is_none_or(|f| month < f) {
                first.insert(*id, month)?;
            }
        }
    }
    // A month's participants are recounted from everyone active in it, so
    // that a day rolled again, or a later day of the month, counts each
    // person once.
    let mut per_month = tx.open_table(METRICS_PARTICIPANTS_BY_MONTH_GROUP)?;
    if c.days.is_none() {
        per_month.retain(|_, _| false)?;
    }
    for month in months {
        let mut rows: BTreeMap<Group, (u64, u64)> = BTreeMap::new();
        for row in active.range((month, 0)..=(month, u64::MAX))? {
            let id = row?.0.value().1;
            let group = match c.groups.get(&id) {
                Some(g) => g.clone(),
                None => stored_group(tx, id)?,
            };
            let e = rows.entry(group).or_default();
            e.0 += 1;
            if first.get(id)?.map(|v| v.value()) == Some(month) {
                e.1 += 1;
            }
        }
        per_month.retain_in((month, "", "")..(month + 1, "", ""), |_, _| false)?;
        for ((n, a), v) in rows {
            per_month.insert((month, n.as_str(), a.as_str()), v)?;
        }
    }

    let mut impact = tx.open_table(METRICS_IMPACT_BY_MEASURE_MONTH_CATEGORY_OUTCOME)?;
    impact.retain(|_, _| false)?;
    for ((m, month, cat, outcome), n) in &c.impact {
        impact.insert((m.code(), *month, cat.as_str(), *outcome), *n)?;
    }
    let mut delays = tx.open_table(METRICS_DELAY_BY_MEASURE_MONTH_CATEGORY_DAYS)?;
    delays.retain(|_, _| false)?;
    for ((m, month, cat, days), n) in &c.delays {
        delays.insert((m.code(), *month, cat.as_str(), *days), *n)?;
    }
    Ok(true)
}

fn stored_group(tx: &WriteTransaction, id: u64) -> Result<Group, StoreError> {
    group_of(tx, &mut BTreeMap::new(), id)
}

/// The last day rolled up, if any.
pub fn rolled_through(tx: &impl Tx) -> Result<Option<i64>, StoreError> {
    Ok(tx.open(METRICS_STATE_BY_NAME)?.get("rolled_through")?.map(|v| v.value()))
}

/// The days the next roll-up covers: from the day before the last one
/// rolled (records of a day keep arriving until it is over, and a little
/// after from paper forms) to today; everything the first time.
pub fn next_days(tx: &impl Tx, now: i64) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(rolled_through(tx)?.map(|last| (last.saturating_sub(1).min(day_of(now)), day_of(now))))
}

/// Collects and applies in one write transaction: for the command line and
/// the tests. The worker uses the two steps apart.
pub fn roll_up(tx: &WriteTransaction, config: &Config, days: Option<(i64, i64)>, now: i64) -> Result<(), StoreError> {
    let c = collect(tx, config, days, now)?;
    apply(tx, &c).map(|_| ())
}
