//! Tables of the consultations concept.

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::{Answer, Channel, Consultation, Respondent};
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// ConsultationId → Consultation (with its questionnaire).
pub const CONSULTATION_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("consultation_by_id");
/// (ConsultationId, answer number from 1) → Answer.
pub const CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("consultation_answer_by_consultation_number");
/// (ConsultationId, AccountId) → answer number: one answer per account,
/// checked in the answer's own transaction.
pub const CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT: TableDefinition<(u64, u64), u64> =
    TableDefinition::new("consultation_answer_by_consultation_account");
/// (ConsultationId, question id, option) → count: the results, moved by
/// each answer in its transaction. The option is a choice's index (the
/// "other" option is `options.len()`) or a scale's value; [`ANSWERED`] counts
/// who answered the question. Question [`TOTALS`] holds the answers
/// ([`ALL_ANSWERS`]) and those of visitors ([`VISITOR_ANSWERS`]), on paper
/// ([`PAPER_ANSWERS`]) and in interviews ([`INTERVIEW_ANSWERS`]). The counts
/// of the answers typed in from one channel are kept again under the
/// question [`channel_question`] (online ones are the rest: nothing more is
/// written for them, so the answers from before channels count as they did).
pub const CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION: TableDefinition<(u64, u32, u32), u64> =
    TableDefinition::new("consultation_count_by_consultation_question_option");
/// (ConsultationId, AccountId) → Draft: what a signed-in person typed on
/// the pages they went through, until they send it.
pub const CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("consultation_draft_by_consultation_account");
/// ConsultationId → Outcome: what residents said and what the commune
/// decided, with its later updates (migration 15).
pub const CONSULTATION_OUTCOME_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("consultation_outcome_by_id");
/// (ConsultationId, AccountId) → why they are told of the outcome (1: they
/// follow it, 2: they asked when answering, 3: both): who is emailed when
/// the outcome is published and updated (migration 15).
pub const CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT: TableDefinition<(u64, u64), u8> =
    TableDefinition::new("consultation_follow_by_consultation_account");
/// (ConsultationId, document number from 1) → Document: a PDF or an
/// image staff attached, its file under `<data>/files/` (migration 21).
pub const CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER: TableDefinition<(u64, u32), &[u8]> =
    TableDefinition::new("consultation_document_by_consultation_number");
/// ConsultationId → template id (`templates::FIRST_SURVEY` …): the shipped
/// template a consultation was made from, so that every quarter's
/// satisfaction survey can be found again (migration 21).
pub const CONSULTATION_TEMPLATE_BY_ID: TableDefinition<u64, &str> = TableDefinition::new("consultation_template_by_id");
/// (ConsultationId, answer number) → Group: the respondent's neighbourhood
/// and age bracket on the day they answered (`groups.rs`); absent when
/// neither was known (migration 21).
pub const CONSULTATION_GROUP_BY_CONSULTATION_NUMBER: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("consultation_group_by_consultation_number");
/// (ConsultationId, neighbourhood, age bracket, question id, option) →
/// count: the counts of [`CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION`]
/// again for each group of respondents, "" standing for a neighbourhood or
/// an age not known; only the counted questions, and the answers under
/// ([`TOTALS`], [`ALL_ANSWERS`]). Moved by each answer in its transaction
/// (migration 21).
pub const CONSULTATION_GROUP_COUNT_BY_CONSULTATION_CELL_QUESTION_OPTION: GroupCounts =
    TableDefinition::new("consultation_group_count_by_consultation_cell_question_option");
pub type GroupCounts = TableDefinition<'static, (u64, &'static str, &'static str, u32, u32), u64>;
/// Counter name → value: `next_consultation`, and `next_document:<id>`
/// for each consultation with documents.
pub const CONSULTATION_COUNTER_BY_NAME: TableDefinition<&str, u64> =
    TableDefinition::new("consultation_counter_by_name");

/// The question id under which the totals are counted (questions start at 1).
pub const TOTALS: u32 = 0;
pub const ALL_ANSWERS: u32 = 0;
pub const VISITOR_ANSWERS: u32 = 1;
pub const PAPER_ANSWERS: u32 = 2;
pub const INTERVIEW_ANSWERS: u32 = 3;

/// The question id under which question `q`'s counts of the answers from
/// `channel` are kept: in the two top bits, which question ids (counted
/// from 1, at most a few hundred per consultation) never reach.
pub fn channel_question(q: u32, channel: Channel) -> u32 {
    let bit = match channel {
        Channel::Paper => 1,
        Channel::Interview => 2,
    };
    q | (bit << 30)
}
/// The option under which a question's respondents are counted.
pub const ANSWERED: u32 = u32::MAX;
/// The option under which a question with a condition counts those who
/// were asked it (their condition met): its percentages' base.
pub const SHOWN: u32 = u32::MAX - 1;

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(CONSULTATION_BY_ID),
        table_info!(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER),
        table_info!(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT),
        table_info!(CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION),
        table_info!(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT),
        table_info!(CONSULTATION_COUNTER_BY_NAME),
        table_info!(CONSULTATION_OUTCOME_BY_ID),
        table_info!(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT),
        table_info!(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER),
        table_info!(CONSULTATION_TEMPLATE_BY_ID),
        table_info!(CONSULTATION_GROUP_BY_CONSULTATION_NUMBER),
        table_info!(CONSULTATION_GROUP_COUNT_BY_CONSULTATION_CELL_QUESTION_OPTION),
        table_info!(super::coding::CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE),
        table_info!(super::coding::CONSULTATION_TAG_BY_CONSULTATION_QUESTION_ANSWER_CODE),
        table_info!(super::coding::CONSULTATION_TAG_BY_CONSULTATION_QUESTION_CODE_ANSWER),
        table_info!(super::coding::CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE),
    ]
}

/// The counts of a consultation's answers, as [`super::submit`] moves them.
pub(super) fn counts_of(answer: &Answer) -> Vec<(u32, u32)> {
    use super::Value;
    let mut keys = vec![(TOTALS, ALL_ANSWERS)];
    if answer.respondent == Respondent::Visitor {
        keys.push((TOTALS, VISITOR_ANSWERS));
    }
    let channel = answer.respondent.channel();
    match channel {
        Some(Channel::Paper) => keys.push((TOTALS, PAPER_ANSWERS)),
        Some(Channel::Interview) => keys.push((TOTALS, INTERVIEW_ANSWERS)),
        None => {}
    }
    for (&q, value) in &answer.values {
        let mut of_question = vec![(q, ANSWERED)];
        match value {
            Value::Choice { option, .. } => of_question.push((q, *option)),
            Value::Choices { options, .. } => of_question.extend(options.iter().map(|o| (q, *o))),
            Value::Scale(v) => of_question.push((q, u32::from(*v))),
            Value::Text(_) | Value::Number(_) | Value::Date(_) => {}
            v @ (Value::Ranking(_) | Value::Matrix(_) | Value::Point { .. }) => {
                of_question.extend(super::results_kinds::options_of(v).into_iter().map(|o| (q, o)))
            }
        }
        if let Some(channel) = channel {
            let again: Vec<(u32, u32)> = of_question.iter().map(|&(q, o)| (channel_question(q, channel), o)).collect();
            of_question.extend(again);
        }
        keys.extend(of_question);
    }
    for &q in &answer.shown {
        keys.push((q, SHOWN));
        if let Some(channel) = channel {
            keys.push((channel_question(q, channel), SHOWN));
        }
    }
    keys
}

/// The counts an answer moves for its respondent's group: the answer
/// itself, and the counted questions' (the channels' copies aside, which
/// [`channel_question`] sets in the top bits).
pub(crate) fn group_counts_of(answer: &Answer) -> Vec<(u32, u32)> {
    use super::Value;
    let counted = |q: u32| {
        answer
            .values
            .get(&q)
            .is_some_and(|v| matches!(v, Value::Choice { .. } | Value::Choices { .. } | Value::Scale(_)))
    };
    counts_of(answer)
        .into_iter()
        .filter(|&(q, option)| (q == TOTALS && option == ALL_ANSWERS) || (q != TOTALS && q < 1 << 30 && counted(q)))
        .collect()
}

/// Every consultation is under its own id and below the id counter; every
/// account's answer is in the one-answer index and every index entry names
/// its answer; the counts equal the answers counted again.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let consultations = tx.open_table(CONSULTATION_BY_ID)?;
    let next = tx.open_table(CONSULTATION_COUNTER_BY_NAME)?.get("next_consultation")?.map(|v| v.value()).unwrap_or(1);
    for row in consultations.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        match decode::<Consultation>(bytes.value()) {
            Ok(c) if c.id.get() != id => problems.push(format!("consultation under key {id} says it is {}", c.id)),
            Ok(_) if id >= next => problems.push(format!("consultation {id} is not below the next id {next}")),
            Ok(_) => {}
            Err(e) => problems.push(format!("consultation {id}: {e}")),
        }
    }
    let answers = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    let by_account = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT)?;
    let mut expected: BTreeMap<(u64, u32, u32), u64> = BTreeMap::new();
    for row in answers.iter()? {
        let (key, bytes) = row?;
        let (c, number) = key.value();
        let answer: Answer = match decode(bytes.value()) {
            Ok(a) => a,
            Err(e) => {
                problems.push(format!("answer {number} of consultation {c}: {e}"));
                continue;
            }
        };
        if consultations.get(c)?.is_none() {
            problems.push(format!("answer {number} belongs to consultation {c}, which does not exist"));
        }
        if let Respondent::Account(account) = answer.respondent {
            if by_account.get((c, account.get()))?.map(|v| v.value()) != Some(number) {
                problems.push(format!("answer {number} of consultation {c} is missing from the one-answer index"));
            }
        }
        for (q, option) in counts_of(&answer) {
            *expected.entry((c, q, option)).or_default() += 1;
        }
    }
    for row in by_account.iter()? {
        let (key, number) = row?;
        let (c, account) = key.value();
        if answers.get((c, number.value()))?.is_none() {
            problems.push(format!("account {account}'s answer to consultation {c} names a missing answer"));
        }
    }
    for row in tx.open_table(CONSULTATION_OUTCOME_BY_ID)?.iter()? {
        let c = row?.0.value();
        if consultations.get(c)?.is_none() {
            problems.push(format!("the outcome of consultation {c}, which does not exist"));
        }
    }
    for row in tx.open_table(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?.iter()? {
        let (c, account) = row?.0.value();
        if consultations.get(c)?.is_none() {
            problems.push(format!("account {account} follows consultation {c}, which does not exist"));
        }
    }
    problems.extend(super::documents::verify(tx, &consultations)?);
    problems.extend(super::groups::verify(tx)?);
    let mut stored: BTreeMap<(u64, u32, u32), u64> = BTreeMap::new();
    for row in tx.open_table(CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?.iter()? {
        let (key, n) = row?;
        if n.value() > 0 {
            stored.insert(key.value(), n.value());
        }
    }
    if stored != expected {
        let wrong = expected.iter().filter(|(k, n)| stored.get(k) != Some(n)).count()
            + stored.keys().filter(|k| !expected.contains_key(k)).count();
        problems.push(format!("{wrong} result count(s) differ from the answers counted again"));
    }
    problems.extend(super::coding::verify(tx)?);
    Ok(problems)
}
