//! Coding the written answers: staff define their own codes for a question
//! (« Stationnement », « Sécurité »…) and tag what residents wrote with
//! them, so that a thousand sentences become a table of counts the
//! municipal council can read (the "codebook" of a qualitative analysis).
//!
//! A tag names an answer by its number, which never changes: an answer
//! anonymised when its author's account is erased keeps its tags and
//! stays counted, as it stays counted in the results (`personal.rs`).
//! Each code's count moves in the transaction that tags or untags, so the
//! results page reads counts, never the tags; [`verify`] recounts them.

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable, TableDefinition, WriteTransaction};

use super::*;
use crate::domain::audit::{Action, Actor};

/// (ConsultationId, question id, code id from 1) → Code.
pub const CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE: TableDefinition<(u64, u32, u32), &[u8]> =
    TableDefinition::new("consultation_code_by_consultation_question_code");
/// (ConsultationId, question id, answer number, code id) → (): the codes of
/// an answer, read for each answer listed.
pub const CONSULTATION_TAG_BY_CONSULTATION_QUESTION_ANSWER_CODE: TableDefinition<(u64, u32, u64, u32), ()> =
    TableDefinition::new("consultation_tag_by_consultation_question_answer_code");
/// (ConsultationId, question id, code id, answer number) → (): the same
/// tags by code, for the list filtered by one code.
pub const CONSULTATION_TAG_BY_CONSULTATION_QUESTION_CODE_ANSWER: TableDefinition<(u64, u32, u32, u64), ()> =
    TableDefinition::new("consultation_tag_by_consultation_question_code_answer");
/// (ConsultationId, question id, code id) → how many answers carry it.
pub const CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE: TableDefinition<(u64, u32, u32), u64> =
    TableDefinition::new("consultation_code_count_by_consultation_question_code");

/// The longest code, in characters: a heading in a table, not a sentence.
pub const MAX_CODE: usize = 80;
/// The most codes of one question: past that, a codebook stops summarising.
pub const MAX_CODES: usize = 100;
/// The most answers one tagging form applies a code to (a page of answers
/// is 20; a tampered form cannot make a transaction of millions).
pub const MAX_TAGGED_AT_ONCE: usize = 500;

/// A code staff defined for one question.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Code {
    pub id: u32,
    pub label: String,
    pub created_at: i64,
    pub created_by: Option<AccountId>,
}

impl Record for Code {
    const NAME: &'static str = "consultation code";
    const VERSION: u8 = 1;
}

/// A code and how many answers carry it.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeCount {
    pub code: Code,
    pub count: u64,
}

/// Why coding was refused.
#[derive(Debug, thiserror::Error)]
pub enum CodingError {
    #[error("no such consultation")]
    NotFound,
    /// No such question, or one whose answers have no words to code.
    #[error("no such question to code")]
    NoSuchQuestion,
    #[error("no such code")]
    NoSuchCode,
    #[error("the code is empty")]
    EmptyLabel,
    #[error("the code is too long")]
    TooLong,
    #[error("the question already has this code")]
    Duplicate,
    #[error("the question has as many codes as it may")]
    TooManyCodes,
    /// Nothing ticked, or more than [`MAX_TAGGED_AT_ONCE`].
    #[error("no answers, or too many at once")]
    BadSelection,
    /// The answer does not exist or wrote nothing for this question.
    #[error("answer {0} has no words for this question")]
    NoSuchAnswer(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(CodingError);

/// Whether the answers to a question of this kind hold words to code:
/// texts, and the words of « Other » of a choice.
pub fn is_codable(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::ShortText | Kind::LongText | Kind::Single { other: true, .. } | Kind::Multiple { other: true, .. }
    )
}

/// The words an answer wrote for a coded question (a text, the words of
/// « Other »), if any.
fn words(value: Option<&Value>) -> Option<&str> {
    match value? {
        Value::Text(t) => Some(t),
        Value::Choice { other: Some(t), .. } | Value::Choices { other: Some(t), .. } => Some(t),
        Value::Choice { other: None, .. }
        | Value::Choices { other: None, .. }
        | Value::Scale(_)
        | Value::Number(_)
        | Value::Date(_)
        | Value::Ranking(_)
        | Value::Matrix(_)
        | Value::Point { .. } => None,
    }
}

fn codable_question(tx: &impl Tx, id: ConsultationId, qid: u32) -> Result<Consultation, CodingError> {
    let c = get(tx, id)?.ok_or(CodingError::NotFound)?;
    match c.question(qid) {
        Some(q) if is_codable(&q.kind) => Ok(c),
        Some(_) | None => Err(CodingError::NoSuchQuestion),
    }
}

/// Staff add a code to a question whose answers hold words. The label is
/// trimmed; the same label twice (whatever its case and accents) is refused,
/// so that counts are not split between two spellings of one code.
pub fn add_code(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    qid: u32,
    label: &str,
    now: i64,
) -> Result<Code, CodingError> {
    codable_question(tx, id, qid)?;
    let label = clean_label(label)?;
    let existing = codes(tx, id, qid)?;
    if taken(&existing, &label, None) {
        return Err(CodingError::Duplicate);
    }
    if existing.len() >= MAX_CODES {
        return Err(CodingError::TooManyCodes);
    }
    // Codes are never deleted, so the next id is one past the last.
    let next = existing.iter().map(|c| c.code.id).max().unwrap_or(0) + 1;
    let code = Code { id: next, label, created_at: now, created_by: actor.account };
    tx.open_table(CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE)?
        .insert((id.get(), qid, next), encode(&code)?.as_slice())?;
    actor.record(
        tx,
        Action::ConsultationAnswersCoded,
        None,
        format!("consultation {id}: question {qid}: code {next} added"),
        now,
    )?;
    Ok(code)
}

/// A code's label with its spaces tidied, when it is one.
fn clean_label(label: &str) -> Result<String, CodingError> {
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        return Err(CodingError::EmptyLabel);
    }
    if label.chars().count() > MAX_CODE {
        return Err(CodingError::TooLong);
    }
    Ok(label)
}

/// Whether another code than `except` has this label, whatever its case
/// and accents.
fn taken(existing: &[CodeCount], label: &str, except: Option<u32>) -> bool {
    let folded = crate::domain::addresses::normalise(label);
    existing.iter().any(|c| Some(c.code.id) != except && crate::domain::addresses::normalise(&c.code.label) == folded)
}

/// Staff correct a code's label (a typo, a clearer word): the answers it
/// tags keep it, and its count does not move.
pub fn rename_code(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    qid: u32,
    code: u32,
    label: &str,
    now: i64,
) -> Result<Code, CodingError> {
    codable_question(tx, id, qid)?;
    let label = clean_label(label)?;
    let existing = codes(tx, id, qid)?;
    let mut renamed = existing.iter().find(|c| c.code.id == code).ok_or(CodingError::NoSuchCode)?.code.clone();
    if taken(&existing, &label, Some(code)) {
        return Err(CodingError::Duplicate);
    }
    renamed.label = label;
    tx.open_table(CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE)?
        .insert((id.get(), qid, code), encode(&renamed)?.as_slice())?;
    actor.record(
        tx,
        Action::ConsultationAnswersCoded,
        None,
        format!("consultation {id}: question {qid}: code {code} renamed"),
        now,
    )?;
    Ok(renamed)
}

/// Staff apply a code to the answers ticked (`apply`), or take it off them.
/// Each answer must have written something for the question; tagging twice
/// or untagging an untagged answer changes nothing. The tags, both indexes
/// and the code's count move together. Returns how many answers changed.
#[allow(clippy::too_many_arguments)]
pub fn tag(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ConsultationId,
    qid: u32,
    code: u32,
    answers: &[u64],
    apply: bool,
    now: i64,
) -> Result<usize, CodingError> {
    codable_question(tx, id, qid)?;
    if tx.open_table(CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE)?.get((id.get(), qid, code))?.is_none() {
        return Err(CodingError::NoSuchCode);
    }
    if answers.is_empty() || answers.len() > MAX_TAGGED_AT_ONCE {
        return Err(CodingError::BadSelection);
    }
    let mut numbers = answers.to_vec();
    numbers.sort_unstable();
    numbers.dedup();
    // Every answer is checked before anything is written: a form that names
    // one answer without words changes nothing.
    let stored = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    for &number in &numbers {
        let answer = stored.get((id.get(), number))?.map(|b| decode::<Answer>(b.value())).transpose()?;
        if answer.as_ref().and_then(|a| words(a.values.get(&qid))).is_none() {
            return Err(CodingError::NoSuchAnswer(number));
        }
    }
    let mut by_answer = tx.open_table(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_ANSWER_CODE)?;
    let mut by_code = tx.open_table(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_CODE_ANSWER)?;
    let mut changed = 0u64;
    for &number in &numbers {
        let key = (id.get(), qid, number, code);
        let had = by_answer.get(key)?.is_some();
        match (apply, had) {
            (true, false) => {
                by_answer.insert(key, ())?;
                by_code.insert((id.get(), qid, code, number), ())?;
                changed += 1;
            }
            (false, true) => {
                by_answer.remove(key)?;
                by_code.remove((id.get(), qid, code, number))?;
                changed += 1;
            }
            (true, true) | (false, false) => {}
        }
    }
    if changed > 0 {
        let mut counts = tx.open_table(CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE)?;
        let n = counts.get((id.get(), qid, code))?.map(|v| v.value()).unwrap_or(0);
        let n = if apply { n + changed } else { n.saturating_sub(changed) };
        counts.insert((id.get(), qid, code), n)?;
        let what = if apply { "applied to" } else { "taken off" };
        actor.record(
            tx,
            Action::ConsultationAnswersCoded,
            None,
            format!("consultation {id}: question {qid}: code {code} {what} {changed} answer(s)"),
            now,
        )?;
    }
    Ok(changed as usize)
}

/// The codes of question `qid`, in the order they were made, with their counts.
pub fn codes(tx: &impl Tx, id: ConsultationId, qid: u32) -> Result<Vec<CodeCount>, StoreError> {
    let table = tx.open(CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE)?;
    let counts = tx.open(CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), qid, 0)..=(id.get(), qid, u32::MAX))? {
        let (key, bytes) = row?;
        let code: Code = decode(bytes.value())?;
        let count = counts.get(key.value())?.map(|v| v.value()).unwrap_or(0);
        out.push(CodeCount { code, count });
    }
    Ok(out)
}

/// The codes of every question of a consultation that has some (for the
/// exports), by question id.
pub fn all_codes(tx: &impl Tx, id: ConsultationId) -> Result<BTreeMap<u32, Vec<CodeCount>>, StoreError> {
    let table = tx.open(CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE)?;
    let counts = tx.open(CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE)?;
    let mut out: BTreeMap<u32, Vec<CodeCount>> = BTreeMap::new();
    for row in table.range((id.get(), 0, 0)..=(id.get(), u32::MAX, u32::MAX))? {
        let (key, bytes) = row?;
        let code: Code = decode(bytes.value())?;
        let count = counts.get(key.value())?.map(|v| v.value()).unwrap_or(0);
        out.entry(key.value().1).or_default().push(CodeCount { code, count });
    }
    Ok(out)
}

/// The codes of each of `answers` for question `qid`.
pub fn codes_of_answers(
    tx: &impl Tx,
    id: ConsultationId,
    qid: u32,
    answers: &[u64],
) -> Result<BTreeMap<u64, Vec<u32>>, StoreError> {
    let table = tx.open(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_ANSWER_CODE)?;
    let mut out = BTreeMap::new();
    for &number in answers {
        let mut of_answer = Vec::new();
        for row in table.range((id.get(), qid, number, 0)..=(id.get(), qid, number, u32::MAX))? {
            of_answer.push(row?.0.value().3);
        }
        out.insert(number, of_answer);
    }
    Ok(out)
}

/// The numbers of the answers carrying `code`, in the order received.
pub fn tagged(tx: &impl Tx, id: ConsultationId, qid: u32, code: u32) -> Result<Vec<u64>, StoreError> {
    let table = tx.open(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_CODE_ANSWER)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), qid, code, 0)..=(id.get(), qid, code, u64::MAX))? {
        out.push(row?.0.value().3);
    }
    Ok(out)
}

/// What to look for among the written answers of a question.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    /// Words to find in the answer, whatever their case and accents.
    pub words: String,
    /// Only the answers carrying this code.
    pub code: Option<u32>,
}

/// A page of written answers found, and how many there are in all.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// Each answer's number and its words, in the order received.
    pub items: Vec<(u64, String)>,
    pub total: usize,
}

/// The written answers to `qid` (texts, numbers, dates, the words of
/// « Other ») that match `search`, from the `skip`th, at most `limit`.
/// Without words nor code, the total is the question's count and the scan
/// stops at the page, as the results page's list always did; words are
/// found by a scan of the consultation's answers (a consultation holds
/// thousands, and searching is the staff's occasional work); a code
/// narrows the scan to the answers it tags.
pub fn search_open_answers(
    tx: &impl Tx,
    id: ConsultationId,
    qid: u32,
    search: &Search,
    skip: usize,
    limit: usize,
) -> Result<Found, StoreError> {
    let table = tx.open(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    let needle = crate::domain::addresses::normalise(&search.words);
    let mut items = Vec::new();
    let mut total = 0usize;
    // Whether the page is full and nothing more needs counting.
    let everything = needle.is_empty() && search.code.is_none();
    let mut consider = |answer: Answer| -> bool {
        let Some(text) = answer.values.get(&qid).and_then(super::results::written) else { return false };
        if !needle.is_empty() && !crate::domain::addresses::normalise(&text).contains(&needle) {
            return false;
        }
        total += 1;
        if total > skip && items.len() < limit {
            items.push((answer.number, text));
        }
        everything && items.len() == limit
    };
    match search.code {
        Some(code) => {
            for number in tagged(tx, id, qid, code)? {
                let found = table.get((id.get(), number))?;
                if let Some(bytes) = found {
                    consider(decode(bytes.value())?);
                }
            }
        }
        None => {
            for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
                if consider(decode(row?.1.value())?) {
                    break;
                }
            }
        }
    }
    if everything {
        total = written_count(tx, id, qid)?.max(total as u64) as usize;
    }
    Ok(Found { items, total })
}

/// How many answers wrote something for `qid`, from the counts each answer
/// moved: those who answered a text, number or date question, those who
/// chose « Other » in a choice.
fn written_count(tx: &impl Tx, id: ConsultationId, qid: u32) -> Result<u64, StoreError> {
    let Some(c) = get(tx, id)? else { return Ok(0) };
    let option = match c.question(qid).map(|q| &q.kind) {
        Some(Kind::ShortText | Kind::LongText | Kind::Number { .. } | Kind::Date | Kind::Point) => tables::ANSWERED,
        Some(Kind::Single { options, other: true, .. } | Kind::Multiple { options, other: true, .. }) => {
            options.len() as u32
        }
        Some(
            Kind::Info
            | Kind::Scale { .. }
            | Kind::Single { .. }
            | Kind::Multiple { .. }
            | Kind::Ranking { .. }
            | Kind::Matrix { .. },
        )
        | None => return Ok(0),
    };
    let counts = tx.open(CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?;
    let n = counts.get((id.get(), qid, option))?.map(|v| v.value()).unwrap_or(0);
    Ok(n)
}

/// Every tag is in both indexes, names a code that exists and an answer
/// that wrote something for its question; each count equals its tags.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let codes = tx.open_table(CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE)?;
    let answers = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    let by_code = tx.open_table(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_CODE_ANSWER)?;
    let by_answer = tx.open_table(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_ANSWER_CODE)?;
    let mut expected: BTreeMap<(u64, u32, u32), u64> = BTreeMap::new();
    for row in by_answer.iter()? {
        let (c, q, number, code) = row?.0.value();
        if by_code.get((c, q, code, number))?.is_none() {
            problems.push(format!("the tag of answer {number} (consultation {c}, code {code}) is missing by code"));
        }
        if codes.get((c, q, code))?.is_none() {
            problems.push(format!("answer {number} of consultation {c} carries code {code}, which does not exist"));
        }
        let answer = answers.get((c, number))?.map(|b| decode::<Answer>(b.value())).transpose()?;
        if answer.as_ref().and_then(|a| words(a.values.get(&q))).is_none() {
            problems.push(format!("code {code} tags answer {number} of consultation {c}, which wrote nothing there"));
        }
        *expected.entry((c, q, code)).or_default() += 1;
    }
    for row in by_code.iter()? {
        let (c, q, code, number) = row?.0.value();
        if by_answer.get((c, q, number, code))?.is_none() {
            problems.push(format!("the tag of answer {number} (consultation {c}, code {code}) is missing by answer"));
        }
    }
    let mut stored = BTreeMap::new();
    for row in tx.open_table(CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE)?.iter()? {
        let (key, n) = row?;
        if n.value() > 0 {
            stored.insert(key.value(), n.value());
        }
    }
    if stored != expected {
        problems.push("the counts of the codes differ from their tags counted again".to_string());
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::consultations::{add_question, create, publish, submit, Audience, Details, Respondent};
    use crate::store::Store;

    /// An open consultation with a short text (1) and a choice without
    /// « Other » (2), and three answers: two with words, one without.
    async fn answered() -> (tempfile::TempDir, Store, ConsultationId) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("c.redb"), 8).unwrap();
        let id = store
            .write(|tx| {
                let actor = Actor::command_line();
                let details = Details {
                    title: "Le parking".into(),
                    summary: String::new(),
                    body: String::new(),
                    neighbourhood: None,
                    audience: Audience::Anyone,
                };
                let id = create(tx, &[], &actor, &details, 0)?;
                let q = |label: &str, kind| Question {
                    id: 0,
                    page: 1,
                    label: label.into(),
                    hint: String::new(),
                    required: false,
                    hidden: false,
                    kind,
                    show_if: None,
                };
                add_question(tx, &actor, id, &q("Un mot", Kind::ShortText), 0)?;
                let choice = Kind::Single { options: vec!["Oui".into(), "Non".into()], dropdown: false, other: false };
                add_question(tx, &actor, id, &q("D'accord", choice), 0)?;
                publish(tx, &actor, id, Dates { opens_at: 0, closes_at: 1_000 }, 0)?;
                for text in ["Trop de voitures", "La sécurité des enfants", ""] {
                    let raw = |v: &str| Raw { values: vec![v.into()], other: String::new() };
                    let fields = BTreeMap::from([(1, raw(text)), (2, raw("0"))]);
                    submit(tx, id, Respondent::Visitor, &fields, 10)?;
                }
                Ok::<_, ConsultationError>(id)
            })
            .await
            .unwrap();
        (dir, store, id)
    }

    async fn add(store: &Store, id: ConsultationId, q: u32, label: &str) -> Result<Code, CodingError> {
        let label = label.to_string();
        store.write(move |tx| add_code(tx, &Actor::command_line(), id, q, &label, 20)).await
    }

    async fn tag_as(
        store: &Store,
        id: ConsultationId,
        code: u32,
        answers: &[u64],
        apply: bool,
    ) -> Result<usize, CodingError> {
        let answers = answers.to_vec();
        store.write(move |tx| tag(tx, &Actor::command_line(), id, 1, code, &answers, apply, 30)).await
    }

    fn counts(store: &Store, id: ConsultationId) -> Vec<u64> {
        codes(&store.read().unwrap(), id, 1).unwrap().iter().map(|c| c.count).collect()
    }

    #[tokio::test]
    async fn tagging_moves_the_count_once_and_untagging_moves_it_back() {
        let (_dir, store, id) = answered().await;
        let parking = add(&store, id, 1, "  Stationnement ").await.unwrap();
        assert_eq!(parking.label, "Stationnement");
        assert!(matches!(add(&store, id, 1, "STATIONNEMENT").await, Err(CodingError::Duplicate)));
        assert!(matches!(add(&store, id, 1, "   ").await, Err(CodingError::EmptyLabel)));
        assert!(matches!(add(&store, id, 2, "Oui").await, Err(CodingError::NoSuchQuestion)));
        let safety = add(&store, id, 1, "Sécurité").await.unwrap();
        assert_eq!((parking.id, safety.id), (1, 2));

        assert_eq!(tag_as(&store, id, parking.id, &[1, 2], true).await.unwrap(), 2);
        // Applying again changes nothing: the count is not moved twice.
        assert_eq!(tag_as(&store, id, parking.id, &[2, 2], true).await.unwrap(), 0);
        assert_eq!(tag_as(&store, id, safety.id, &[2], true).await.unwrap(), 1);
        // The third answer wrote nothing: refused, and nothing of the form applied.
        assert!(matches!(tag_as(&store, id, safety.id, &[1, 3], true).await, Err(CodingError::NoSuchAnswer(3))));
        assert!(matches!(tag_as(&store, id, 9, &[1], true).await, Err(CodingError::NoSuchCode)));
        assert_eq!(counts(&store, id), vec![2, 1]);
        let tx = store.read().unwrap();
        assert_eq!(codes_of_answers(&tx, id, 1, &[1, 2]).unwrap()[&2], vec![1, 2]);
        assert_eq!(tagged(&tx, id, 1, parking.id).unwrap(), vec![1, 2]);
        drop(tx);

        // A typo corrected: the code keeps its answers and its count.
        let rename = |code: u32, label: &'static str| {
            store.write(move |tx| rename_code(tx, &Actor::command_line(), id, 1, code, label, 35))
        };
        assert!(matches!(rename(parking.id, "sécurité").await, Err(CodingError::Duplicate)));
        assert!(matches!(rename(7, "Bruit").await, Err(CodingError::NoSuchCode)));
        assert_eq!(rename(parking.id, "Parking").await.unwrap().label, "Parking");
        assert_eq!(rename(parking.id, "PARKING").await.unwrap().label, "PARKING", "its own label, in capitals");
        assert_eq!(counts(&store, id), vec![2, 1]);
        assert_eq!(tagged(&store.read().unwrap(), id, 1, parking.id).unwrap(), vec![1, 2]);

        assert_eq!(tag_as(&store, id, parking.id, &[1], false).await.unwrap(), 1);
        assert_eq!(tag_as(&store, id, parking.id, &[1], false).await.unwrap(), 0, "untagged already");
        assert_eq!(counts(&store, id), vec![1, 1]);
        assert_eq!(store.verify().unwrap().problems, Vec::<String>::new());
    }

    #[tokio::test]
    async fn search_folds_case_and_accents_and_narrows_to_a_code() {
        let (_dir, store, id) = answered().await;
        let code = add(&store, id, 1, "Sécurité").await.unwrap();
        tag_as(&store, id, code.id, &[2], true).await.unwrap();
        let tx = store.read().unwrap();
        let find = |words: &str, code: Option<u32>| {
            let s = Search { words: words.into(), code };
            search_open_answers(&tx, id, 1, &s, 0, 10).unwrap()
        };
        assert_eq!(find("", None).total, 2, "the answer without words is not listed");
        assert_eq!(find("SECURITE", None).items, vec![(2, "La sécurité des enfants".to_string())]);
        assert_eq!(find("voiture", None).items[0].0, 1);
        assert_eq!(find("voiture", Some(code.id)).total, 0);
        assert_eq!(find("", Some(code.id)).total, 1);
        let second = search_open_answers(&tx, id, 1, &Search::default(), 1, 10).unwrap();
        assert_eq!((second.items.len(), second.total), (1, 2));
        let first = search_open_answers(&tx, id, 1, &Search::default(), 0, 1).unwrap();
        assert_eq!((first.items, first.total), (vec![(1, "Trop de voitures".to_string())], 2), "a page of one, of two");
    }
}
