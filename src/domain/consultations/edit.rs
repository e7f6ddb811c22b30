//! Editable answers: where staff allow it (`editable`, off by default), a
//! signed-in person may change their answer until the close. The new
//! answer replaces the old one in one transaction, its counts moved (the
//! old answer's down, the new one's up, through the one list of an
//! answer's counts), under the same number and receipt.

use redb::WriteTransaction;

use super::answer::{checked, move_counts, Direction};
use super::*;
use crate::domain::audit::{Action, Actor};

/// Staff allow (or no longer allow) residents to change their answer until
/// the close. Audited.
pub fn set_editable(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    editable: bool,
    now: i64,
) -> Result<(), ConsultationError> {
    let mut c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    c.editable = editable;
    c.updated_at = now;
    write(tx, &c)?;
    let what = if editable { "answers editable" } else { "answers no longer editable" };
    actor.record(tx, Action::ConsultationChanged, None, format!("consultation {id}: {what}"), now)?;
    Ok(())
}

/// `account` replaces their answer: the consultation must be open and
/// editable, the new answers pass the same checks as a first answer. The
/// number, receipt, respondent and first date stay; `edited_at` says when.
pub fn edit_answer(
    tx: &WriteTransaction,
    id: ConsultationId,
    account: AccountId,
    fields: &BTreeMap<u32, Raw>,
    now: i64,
) -> Result<Submitted, ConsultationError> {
    let c = get(tx, id)?.ok_or(ConsultationError::NotFound)?;
    if c.phase(now) != Phase::Open {
        return Err(ConsultationError::NotOpen);
    }
    if !c.editable {
        return Err(ConsultationError::NotEditable);
    }
    let old = answer_of(tx, id, account)?.ok_or(ConsultationError::NoAnswer)?;
    let (values, shown) = checked(tx, &c, fields)?;
    let new = Answer { values, shown, edited_at: Some(now), ..old.clone() };
    move_counts(tx, &old, Direction::Down)?;
    move_counts(tx, &new, Direction::Up)?;
    tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?
        .insert((id.get(), new.number), encode(&new)?.as_slice())?;
    tx.open_table(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT)?.remove((id.get(), account.get()))?;
    Ok(Submitted { number: new.number, receipt: new.receipt })
}

/// An answer as the form's fields, to change it: each value as the form
/// sends it back.
pub fn raw_of(answer: &Answer) -> BTreeMap<u32, Raw> {
    let raw = |values: Vec<String>, other: &Option<String>| Raw { values, other: other.clone().unwrap_or_default() };
    answer
        .values
        .iter()
        .map(|(&q, v)| {
            let r = match v {
                Value::Text(t) | Value::Date(t) => raw(vec![t.clone()], &None),
                Value::Number(n) => raw(vec![n.to_string()], &None),
                Value::Scale(s) => raw(vec![s.to_string()], &None),
                Value::Choice { option, other } => raw(vec![option.to_string()], other),
                Value::Choices { options, other } => raw(options.iter().map(u32::to_string).collect(), other),
                // As the form sends them (`validate_kinds.rs`): `item:position`,
                // `row:column`, the address then the pin.
                Value::Ranking(positions) => {
                    raw(positions.iter().enumerate().map(|(i, p)| format!("{i}:{p}")).collect(), &None)
                }
                Value::Matrix(columns) => {
                    raw(columns.iter().enumerate().filter_map(|(r, c)| c.map(|c| format!("{r}:{c}"))).collect(), &None)
                }
                Value::Point { lat, lon, address } => {
                    raw(vec![address.clone(), format!("{}{lat},{lon}", super::GEO_PREFIX)], &None)
                }
            };
            (q, r)
        })
        .collect()
}
