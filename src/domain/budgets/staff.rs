//! The staff's operations on a process: write it, publish it, close its
//! vote early. Each is audited. The rules of the vote (pots, audience,
//! style, rule, secrecy) are frozen once the vote opens.

use redb::WriteTransaction;

use crate::store::WriteTx;

use super::*;
use crate::domain::audit::{Action, Actor};

/// What staff set for a process.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub title: String,
    pub description: String,
    pub starts: [i64; 5],
    pub pots: Vec<Pot>,
    pub audience: Audience,
    pub min_age: Option<u32>,
    pub style: Style,
    pub changeable: bool,
    pub rule: Rule,
    pub min_votes: u64,
    pub secret: bool,
    pub results_during_vote: bool,
}

fn checked(s: &Settings, neighbourhoods: &[String]) -> Result<Settings, BudgetError> {
    let title = s.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(BudgetError::BadTitle);
    }
    if s.description.chars().count() > MAX_TEXT {
        return Err(BudgetError::TooLong);
    }
    if s.starts.windows(2).any(|w| w[0] >= w[1]) {
        return Err(BudgetError::BadDates);
    }
    if s.pots.is_empty() || s.pots.len() > MAX_POTS {
        return Err(BudgetError::BadPots);
    }
    for (i, pot) in s.pots.iter().enumerate() {
        if pot.amount_cents == 0 || pot.amount_cents > MAX_CENTS {
            return Err(BudgetError::BadAmount);
        }
        if pot.neighbourhood.as_ref().is_some_and(|n| !neighbourhoods.contains(n)) {
            return Err(BudgetError::UnknownNeighbourhood);
        }
        if s.pots[..i].iter().any(|other| other.neighbourhood == pot.neighbourhood) {
            return Err(BudgetError::BadPots);
        }
    }
    if s.style == (Style::Approval { max: 0 }) {
        return Err(BudgetError::BadMax);
    }
    Ok(Settings { title: title.to_string(), description: s.description.trim().to_string(), ..s.clone() })
}

fn apply(p: &mut Process, s: Settings) {
    p.title = s.title;
    p.description = s.description;
    p.starts = s.starts;
    p.pots = s.pots;
    p.audience = s.audience;
    p.min_age = s.min_age;
    p.style = s.style;
    p.changeable = s.changeable;
    p.rule = s.rule;
    p.min_votes = s.min_votes;
    p.secret = s.secret;
    p.results_during_vote = s.results_during_vote;
}

fn audit(tx: &WriteTransaction, actor: &Actor, id: ProcessId, what: &str, now: i64) -> Result<(), BudgetError> {
    actor.record(tx, Action::BudgetChanged, None, format!("budget {id}: {what}"), now)?;
    Ok(())
}

/// Staff write a new process: a draft only staff see.
pub fn create(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    settings: &Settings,
    now: i64,
) -> Result<ProcessId, BudgetError> {
    let s = checked(settings, neighbourhoods)?;
    let id = next_id(tx)?;
    let mut p = Process {
        id,
        title: String::new(),
        description: String::new(),
        starts: s.starts,
        closed_early_at: None,
        pots: Vec::new(),
        audience: s.audience,
        min_age: None,
        style: s.style,
        changeable: false,
        rule: s.rule,
        min_votes: 0,
        secret: true,
        results_during_vote: false,
        published_at: None,
        next_project: 1,
        created_by: actor.account.unwrap_or_default(),
        created_at: now,
        updated_at: now,
    };
    apply(&mut p, s);
    write(tx, &p)?;
    audit(tx, actor, id, "created", now)?;
    Ok(id)
}

/// Staff change a process's settings; refused once the vote opened, and a
/// pot is never removed from under a project.
pub fn update(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    id: ProcessId,
    settings: &Settings,
    now: i64,
) -> Result<(), BudgetError> {
    let s = checked(settings, neighbourhoods)?;
    let mut p = load(tx, id)?;
    if p.phase(now) >= Phase::Vote {
        return Err(BudgetError::Frozen);
    }
    let used = projects(tx, id)?.iter().map(|pr| pr.pot + 1).max().unwrap_or(0);
    if s.pots.len() < used {
        return Err(BudgetError::BadPots);
    }
    apply(&mut p, s);
    p.updated_at = now;
    write(tx, &p)?;
    audit(tx, actor, id, "settings changed", now)
}

/// Publishes a draft: residents see it and its phases.
pub fn publish(tx: &WriteTransaction, actor: &Actor, id: ProcessId, now: i64) -> Result<(), BudgetError> {
    let mut p = load(tx, id)?;
    if p.published_at.is_some() {
        return Err(BudgetError::AlreadyPublished);
    }
    p.published_at = Some(now);
    p.updated_at = now;
    write(tx, &p)?;
    audit(tx, actor, id, "published", now)
}

/// Closes an open vote now, before its date (the results phase begins).
///
/// The roll is sealed in the same transaction (`seal::seal`): from the
/// commit on, nothing links a ballot to a person and no vote is taken.
pub fn close_vote(tx: &WriteTx, actor: &Actor, id: ProcessId, now: i64) -> Result<(), BudgetError> {
    let mut p = load(tx, id)?;
    if p.phase(now) != Phase::Vote {
        return Err(BudgetError::Closed);
    }
    p.closed_early_at = Some(now);
    p.updated_at = now;
    write(tx, &p)?;
    super::seal::seal(tx, id, now)?;
    audit(tx, actor, id, "vote closed early", now)
}
