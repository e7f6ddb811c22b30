//! « Nous avons demandé, vous avez dit, nous avons fait »: once a
//! consultation has closed, staff publish its outcome — what residents said
//! (the highlights they choose or write, beside the results) and what the
//! commune decided — then dated updates as the decision is carried out.
//! What was asked is the consultation's own summary. Each operation is
//! audited, noted in the change log, and mails those told of it (`follow.rs`).

use redb::{ReadableTable, WriteTransaction};

use super::*;
use crate::domain::audit::{Action, Actor};
use crate::store::WriteTx;

/// The outcome of a closed consultation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Outcome {
    pub consultation: ConsultationId,
    /// What residents said: the highlights staff chose or wrote (Markdown).
    pub said: String,
    /// What the commune decided (Markdown).
    pub decided: String,
    pub published_at: i64,
    pub published_by: AccountId,
    /// Later news of the decision, oldest first.
    pub updates: Vec<OutcomeUpdate>,
}

impl Record for Outcome {
    const NAME: &'static str = "consultation outcome";
    const VERSION: u8 = 1;
}

/// A dated update of an outcome (Markdown).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OutcomeUpdate {
    pub text: String,
    pub at: i64,
    pub by: AccountId,
}

/// The outcome of consultation `id`, once published.
pub fn outcome(tx: &impl Tx, id: ConsultationId) -> Result<Option<Outcome>, StoreError> {
    let table = tx.open(CONSULTATION_OUTCOME_BY_ID)?;
    let found = table.get(id.get())?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// Every closed consultation, most recently closed first, with its outcome
/// when published (the public page of outcomes lists them all: a closed
/// consultation without one says that it is awaited).
pub fn closed_with_outcomes(tx: &impl Tx, now: i64) -> Result<Vec<(Consultation, Option<Outcome>)>, StoreError> {
    let mut out = Vec::new();
    for c in list(tx)? {
        if c.phase(now) == Phase::Closed {
            let o = outcome(tx, c.id)?;
            out.push((c, o));
        }
    }
    out.sort_by_key(|(c, _)| std::cmp::Reverse(c.closes_at()));
    Ok(out)
}

fn check_text(text: &str) -> Result<String, ConsultationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ConsultationError::EmptyText);
    }
    if text.chars().count() > MAX_TEXT {
        return Err(ConsultationError::TooLong);
    }
    Ok(text.to_string())
}

fn write_outcome(tx: &WriteTransaction, c: &Consultation, o: &Outcome) -> Result<(), StoreError> {
    tx.open_table(CONSULTATION_OUTCOME_BY_ID)?.insert(c.id.get(), encode(o)?.as_slice())?;
    // The consultation's page and the list of outcomes change with it.
    changes::record(tx, c.target())?;
    Ok(())
}

/// Staff publish the outcome of a closed consultation: what residents said
/// and what the commune decided, both required. Once only: later news goes
/// in [`add_outcome_update`], so that what was published stays as it was.
pub fn publish_outcome(
    tx: &WriteTx,
    actor: &Actor,
    id: ConsultationId,
    said: &str,
    decided: &str,
    now: i64,
) -> Result<Outcome, ConsultationError> {
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    if c.phase(now) != Phase::Closed {
        return Err(ConsultationError::NotClosed);
    }
    if outcome(tx, id)?.is_some() {
        return Err(ConsultationError::AlreadyPublished);
    }
    let (said, decided) = (check_text(said)?, check_text(decided)?);
    let by = actor.account.ok_or(ConsultationError::NotFound)?;
    let o = Outcome { consultation: id, said, decided, published_at: now, published_by: by, updates: Vec::new() };
    write_outcome(tx, &c, &o)?;
    actor.record(tx, Action::ConsultationOutcomePublished, None, format!("consultation {id}"), now)?;
    super::follow::tell(tx, &c, false, now)?;
    Ok(o)
}

/// Staff add a dated update to a published outcome.
pub fn add_outcome_update(
    tx: &WriteTx,
    actor: &Actor,
    id: ConsultationId,
    text: &str,
    now: i64,
) -> Result<Outcome, ConsultationError> {
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    let mut o = outcome(tx, id)?.ok_or(ConsultationError::NoOutcome)?;
    let text = check_text(text)?;
    let by = actor.account.ok_or(ConsultationError::NotFound)?;
    o.updates.push(OutcomeUpdate { text, at: now, by });
    write_outcome(tx, &c, &o)?;
    let n = o.updates.len();
    actor.record(tx, Action::ConsultationOutcomeUpdated, None, format!("consultation {id}: update {n}"), now)?;
    super::follow::tell(tx, &c, true, now)?;
    Ok(o)
}
