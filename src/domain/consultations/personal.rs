//! A person's answers and drafts, for their copy of their data and for the
//! erasure of their account (`accounts::export`, `accounts::erase`).
//!
//! On erasure an answer stays, anonymised: its respondent becomes
//! [`Respondent::Erased`] and the one-answer index entry goes, so nothing
//! leads from the answer to the tombstone. The results do not move: they
//! may already have been read at the town council or published with an
//! outcome, and an answer given freely at the time is, like a signature on
//! a petition, the person's to withdraw only while the consultation was
//! open. Drafts, follows and the wish to be told of the results served only
//! the person: they go.

use redb::{ReadableTable, WriteTransaction};

use super::*;

/// What a person left in one consultation: their answer, their draft, or both
/// (a draft begun again is impossible after an answer, but a record of either
/// is listed as found).
#[derive(Clone, Debug, PartialEq)]
pub struct Theirs {
    pub consultation: Consultation,
    pub answer: Option<Answer>,
    pub draft: Option<Draft>,
    /// Why the person is told of the outcome ([`super::FOLLOWS`],
    /// [`super::ASKED`]), 0 when not.
    pub told: u8,
}

/// The consultations where `account` answered, keeps a draft, or is told
/// of the outcome (following it, or having asked), newest
/// consultation first. A commune holds a few dozen consultations: one look
/// up per consultation in each index, never a scan of the answers.
pub fn of_account(tx: &impl Tx, account: AccountId) -> Result<Vec<Theirs>, StoreError> {
    let mut out = Vec::new();
    for consultation in list(tx)? {
        let answer = answer_of(tx, consultation.id, account)?;
        let draft = draft(tx, consultation.id, account)?;
        let told = super::told(tx, consultation.id, account)?;
        if answer.is_some() || draft.is_some() || told != 0 {
            out.push(Theirs { consultation, answer, draft, told });
        }
    }
    Ok(out)
}

/// Anonymises `account`'s answers and deletes their drafts, in the erasure's
/// transaction (see the module comment). Returns how many answers were kept
/// anonymised. The counts are not touched: an erased answer counts as it did.
pub fn forget_account(tx: &WriteTransaction, account: AccountId) -> Result<usize, StoreError> {
    let mut kept = 0;
    for consultation in list(tx)? {
        let key = (consultation.id.get(), account.get());
        tx.open_table(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT)?.remove(key)?;
        // Following, and asking to be told of the results, served only them.
        tx.open_table(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?.remove(key)?;
        let number = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT)?.remove(key)?.map(|v| v.value());
        let Some(number) = number else { continue };
        let mut answers = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
        let found = answers.get((key.0, number))?.map(|bytes| decode::<Answer>(bytes.value())).transpose()?;
        if let Some(answer) = found {
            let anonymous = Answer { respondent: Respondent::Erased, ..answer };
            answers.insert((key.0, number), encode(&anonymous)?.as_slice())?;
            kept += 1;
        }
    }
    Ok(kept)
}

/// An answer to `q` in words, for the person's copy: the options' labels
/// (the words of « Other » for that option), a number, a date or the text.
pub fn answer_words(q: &Question, v: &Value) -> Vec<String> {
    let label = |o: u32, other: &Option<String>| match (&q.kind, other) {
        (Kind::Single { options, .. } | Kind::Multiple { options, .. }, _) if (o as usize) < options.len() => {
            options[o as usize].clone()
        }
        (_, Some(words)) => words.clone(),
        _ => o.to_string(),
    };
    match v {
        Value::Text(t) => vec![t.clone()],
        Value::Choice { option, other } => vec![label(*option, other)],
        Value::Choices { options, other } => options.iter().map(|o| label(*o, other)).collect(),
        Value::Scale(n) => vec![n.to_string()],
        Value::Number(n) => vec![n.to_string()],
        Value::Date(d) => vec![d.clone()],
        Value::Ranking(_) | Value::Matrix(_) | Value::Point { .. } => kind_words(q, v),
    }
}

/// What a draft holds for `q`, in words: the fields as typed (a draft keeps
/// even what did not pass the checks), an option's index turned into its label.
pub fn draft_words(q: &Question, raw: &Raw) -> Vec<String> {
    if let Some(words) = super::results_kinds::draft_words(q, raw) {
        return words;
    }
    let options = match &q.kind {
        Kind::Single { options, .. } | Kind::Multiple { options, .. } => Some(options),
        _ => None,
    };
    let mut words: Vec<String> = raw
        .values
        .iter()
        .filter(|v| !v.trim().is_empty())
        .map(|v| match options.and_then(|o| v.trim().parse::<usize>().ok().and_then(|i| o.get(i))) {
            Some(label) => label.clone(),
            None => v.clone(),
        })
        .collect();
    if !raw.other.trim().is_empty() {
        words.push(raw.other.clone());
    }
    words
}
