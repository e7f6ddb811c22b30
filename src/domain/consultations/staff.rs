//! The staff's operations: write a consultation and its questionnaire,
//! publish it with its dates, close it. Each is audited.

use redb::WriteTransaction;

use super::validate::keeps_meaning;
use super::*;
use crate::domain::audit::{Action, Actor};

/// What staff write about a consultation.
#[derive(Clone, Debug, PartialEq)]
pub struct Details {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub neighbourhood: Option<String>,
    pub audience: Audience,
}

fn checked(details: &Details, neighbourhoods: &[String]) -> Result<Details, ConsultationError> {
    let title = details.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(ConsultationError::BadTitle);
    }
    if details.summary.chars().count() > MAX_TEXT || details.body.chars().count() > MAX_TEXT {
        return Err(ConsultationError::TooLong);
    }
    if details.neighbourhood.as_ref().is_some_and(|n| !neighbourhoods.contains(n)) {
        return Err(ConsultationError::UnknownNeighbourhood);
    }
    Ok(Details {
        title: title.to_string(),
        summary: details.summary.trim().to_string(),
        body: details.body.trim().to_string(),
        neighbourhood: details.neighbourhood.clone(),
        audience: details.audience,
    })
}

fn audit(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    what: &str,
    now: i64,
) -> Result<(), ConsultationError> {
    actor.record(tx, Action::ConsultationChanged, None, format!("consultation {id}: {what}"), now)?;
    Ok(())
}

fn load(tx: &WriteTransaction, id: ConsultationId) -> Result<Consultation, ConsultationError> {
    get(tx, id)?.ok_or(ConsultationError::NotFound)
}

/// Staff start a consultation: a draft without questions, seen by staff only.
pub fn create(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    details: &Details,
    now: i64,
) -> Result<ConsultationId, ConsultationError> {
    let d = checked(details, neighbourhoods)?;
    let created_by = actor.account.unwrap_or_default();
    let id = next_id(tx)?;
    let c = Consultation {
        id,
        title: d.title,
        summary: d.summary,
        body: d.body,
        neighbourhood: d.neighbourhood,
        audience: d.audience,
        published: None,
        closed_early_at: None,
        questions: Vec::new(),
        next_question: 1,
        created_by,
        created_at: now,
        updated_at: now,
        editable: false,
    };
    write(tx, &c)?;
    audit(tx, actor, id, "created", now)?;
    Ok(id)
}

/// Staff change the title, texts, neighbourhood or audience.
pub fn update(
    tx: &WriteTransaction,
    neighbourhoods: &[String],
    actor: &Actor,
    id: ConsultationId,
    details: &Details,
    now: i64,
) -> Result<(), ConsultationError> {
    let d = checked(details, neighbourhoods)?;
    let mut c = load(tx, id)?;
    c.title = d.title;
    c.summary = d.summary;
    c.body = d.body;
    c.neighbourhood = d.neighbourhood;
    c.audience = d.audience;
    c.updated_at = now;
    write(tx, &c)?;
    audit(tx, actor, id, "details changed", now)
}

/// Adds a question at the end of its page (questions may be added even
/// once answers exist: earlier respondents simply did not see it).
pub fn add_question(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    question: &Question,
    now: i64,
) -> Result<u32, ConsultationError> {
    check_question(question).map_err(ConsultationError::BadQuestion)?;
    let mut c = load(tx, id)?;
    if c.questions.len() >= MAX_QUESTIONS {
        return Err(ConsultationError::BadQuestion(QuestionProblem::TooLong));
    }
    let mut q = question.clone();
    conditions::normalise(&mut q);
    q.id = c.next_question;
    q.hidden = false;
    c.next_question += 1;
    // After the last question of its page, so that the list reads in order.
    let at = c.questions.iter().rposition(|other| other.page <= q.page).map(|i| i + 1).unwrap_or(0);
    let qid = q.id;
    c.questions.insert(at, q.clone());
    conditions::check_condition(&c, &q).map_err(ConsultationError::BadQuestion)?;
    c.updated_at = now;
    write(tx, &c)?;
    audit(tx, actor, id, &format!("question {qid} added"), now)?;
    Ok(qid)
}

/// Changes a question. Once the consultation has answers, only what keeps
/// its meaning is accepted (its words corrected, its page moved); the
/// audit log then says it was a correction.
pub fn edit_question(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    qid: u32,
    question: &Question,
    now: i64,
) -> Result<(), ConsultationError> {
    check_question(question).map_err(ConsultationError::BadQuestion)?;
    let mut c = load(tx, id)?;
    let (answers, _) = answer_count(tx, id)?;
    let at = c.questions.iter().position(|q| q.id == qid).ok_or(ConsultationError::NoSuchQuestion)?;
    let old = &c.questions[at];
    let mut new = question.clone();
    conditions::normalise(&mut new);
    new.id = qid;
    new.hidden = old.hidden;
    if answers > 0 && !keeps_meaning(old, &new) {
        return Err(ConsultationError::MeaningLocked);
    }
    let what = if answers > 0 { format!("question {qid} corrected") } else { format!("question {qid} changed") };
    c.questions[at] = new.clone();
    conditions::check_condition(&c, &new).map_err(ConsultationError::BadQuestion)?;
    unbroken(&c)?;
    c.updated_at = now;
    write(tx, &c)?;
    audit(tx, actor, id, &what, now)
}

/// Hides a question from now on (its answers stay in the results), or
/// shows it again.
pub fn hide_question(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    qid: u32,
    hidden: bool,
    now: i64,
) -> Result<(), ConsultationError> {
    let mut c = load(tx, id)?;
    // A condition on a hidden question could never be met: hide the
    // questions that depend on it first (or change their condition).
    if let Some(dependent) = conditions::dependents(&c, qid).first().filter(|_| hidden) {
        return Err(ConsultationError::HasDependents(dependent.id));
    }
    let q = c.questions.iter_mut().find(|q| q.id == qid).ok_or(ConsultationError::NoSuchQuestion)?;
    q.hidden = hidden;
    unbroken(&c)?;
    c.updated_at = now;
    write(tx, &c)?;
    audit(tx, actor, id, &format!("question {qid} {}", if hidden { "hidden" } else { "shown" }), now)
}

/// Which way a question moves in its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// Swaps a question with its neighbour on the same page; at the edge of
/// its page, nothing moves.
pub fn move_question(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    qid: u32,
    way: Move,
    now: i64,
) -> Result<(), ConsultationError> {
    let mut c = load(tx, id)?;
    let at = c.questions.iter().position(|q| q.id == qid).ok_or(ConsultationError::NoSuchQuestion)?;
    let page = c.questions[at].page;
    let other = match way {
        Move::Up => c.questions[..at].iter().rposition(|q| q.page == page),
        Move::Down => c.questions[at + 1..].iter().position(|q| q.page == page).map(|i| at + 1 + i),
    };
    let Some(other) = other else { return Ok(()) };
    c.questions.swap(at, other);
    unbroken(&c)?;
    c.updated_at = now;
    write(tx, &c)?;
    audit(tx, actor, id, &format!("question {qid} moved"), now)
}

/// Refuses a change after which a question's condition would no longer
/// hold (named after an edit, a move or a question shown again).
fn unbroken(c: &Consultation) -> Result<(), ConsultationError> {
    match conditions::first_broken(c) {
        Some((qid, _)) => Err(ConsultationError::BreaksCondition(qid)),
        None => Ok(()),
    }
}

/// Publishes a draft with its dates: forthcoming until it opens, open
/// until it closes.
pub fn publish(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    dates: Dates,
    now: i64,
) -> Result<(), ConsultationError> {
    let mut c = load(tx, id)?;
    if c.published.is_some() {
        return Err(ConsultationError::AlreadyPublished);
    }
    if dates.closes_at <= dates.opens_at || dates.closes_at <= now {
        return Err(ConsultationError::BadDates);
    }
    if c.questions.iter().all(|q| q.hidden || matches!(q.kind, Kind::Info)) {
        return Err(ConsultationError::NoQuestions);
    }
    c.published = Some(dates);
    c.updated_at = now;
    write(tx, &c)?;
    audit(tx, actor, id, "published", now)
}

/// Closes an open (or forthcoming) consultation now.
pub fn close(tx: &WriteTransaction, actor: &Actor, id: ConsultationId, now: i64) -> Result<(), ConsultationError> {
    let mut c = load(tx, id)?;
    if !matches!(c.phase(now), Phase::Open | Phase::Forthcoming) {
        return Err(ConsultationError::NotOpen);
    }
    c.closed_early_at = Some(now);
    c.updated_at = now;
    write(tx, &c)?;
    audit(tx, actor, id, "closed", now)
}
