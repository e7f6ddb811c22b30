//! The results, read from the counts each answer moved (never from the
//! answers themselves), and the answers to list or export.

use super::*;

/// How many chose one option (or one value of a scale).
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    pub option: u32,
    pub count: u64,
}

/// The results of one question.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionResult {
    pub question: u32,
    /// How many answered it (the base of its percentages).
    pub answered: u64,
    /// For a question with a condition, how many were asked it (their
    /// condition met): then the base of its percentages instead.
    pub shown: Option<u64>,
    /// Per option in order ("other" last), or per scale value from the
    /// lowest; empty for questions whose answers are listed.
    pub counts: Vec<Count>,
    /// A scale's mean, once someone answered it.
    pub average: Option<f64>,
    /// Of `answered`, how many on paper and in interviews.
    pub answered_paper: u64,
    pub answered_interview: u64,
    /// Of each of `counts` (in the same order), how many on paper and in
    /// interviews; the rest came online.
    pub paper: Vec<u64>,
    pub interview: Vec<u64>,
}

impl QuestionResult {
    /// `count` as a percentage of those who answered (of those who were
    /// asked, for a question with a condition), rounded to a tenth.
    pub fn percent(&self, count: u64) -> f64 {
        let base = self.shown.unwrap_or(self.answered);
        if base == 0 {
            return 0.0;
        }
        (count as f64 * 1000.0 / base as f64).round() / 10.0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub answers: u64,
    /// Answers of visitors (not signed in), flagged on the page.
    pub visitors: u64,
    /// Answers staff typed in from paper forms and from interviews.
    pub paper: u64,
    pub interview: u64,
    /// One per question asked (shown or hidden), information blocks aside.
    pub questions: Vec<QuestionResult>,
}

/// A consultation's results: one range read of its counts.
pub fn results(tx: &impl Tx, c: &Consultation) -> Result<Results, StoreError> {
    let table = tx.open(CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?;
    let mut stored: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    for row in table.range((c.id.get(), 0, 0)..=(c.id.get(), u32::MAX, u32::MAX))? {
        let (key, n) = row?;
        let (_, q, option) = key.value();
        stored.insert((q, option), n.value());
    }
    let at = |q: u32, option: u32| stored.get(&(q, option)).copied().unwrap_or(0);
    let mut questions = Vec::new();
    for q in c.questions.iter().filter(|q| !matches!(q.kind, Kind::Info)) {
        let options: Vec<u32> = match &q.kind {
            Kind::Single { options, other, .. } | Kind::Multiple { options, other, .. } => {
                (0..options.len() as u32 + u32::from(*other)).collect()
            }
            Kind::Scale { from, to, .. } => (u32::from(*from)..=u32::from(*to)).collect(),
            Kind::Info | Kind::ShortText | Kind::LongText | Kind::Number { .. } | Kind::Date => Vec::new(),
            Kind::Ranking { .. } | Kind::Matrix { .. } | Kind::Point => super::results_kinds::options(q, &stored),
        };
        let counts: Vec<Count> = options.iter().map(|&o| Count { option: o, count: at(q.id, o) }).collect();
        let answered = at(q.id, tables::ANSWERED);
        let average = match q.kind {
            Kind::Scale { .. } if answered > 0 => {
                let sum: u64 = counts.iter().map(|c| u64::from(c.option) * c.count).sum();
                Some(sum as f64 / answered as f64)
            }
            _ => None,
        };
        let of = |channel: Channel| -> Vec<u64> {
            options.iter().map(|&o| at(tables::channel_question(q.id, channel), o)).collect()
        };
        questions.push(QuestionResult {
            question: q.id,
            answered,
            shown: q.show_if.is_some().then(|| at(q.id, tables::SHOWN)),
            counts,
            average,
            answered_paper: at(tables::channel_question(q.id, Channel::Paper), tables::ANSWERED),
            answered_interview: at(tables::channel_question(q.id, Channel::Interview), tables::ANSWERED),
            paper: of(Channel::Paper),
            interview: of(Channel::Interview),
        });
    }
    let (answers, visitors) = (at(TOTALS, ALL_ANSWERS), at(TOTALS, VISITOR_ANSWERS));
    let (paper, interview) = (at(TOTALS, PAPER_ANSWERS), at(TOTALS, INTERVIEW_ANSWERS));
    Ok(Results { answers, visitors, paper, interview, questions })
}

/// The written answers to question `qid` (texts, numbers, dates, and the
/// words of "other"), in the order received, from the `skip`th, at most
/// `limit`; and whether more follow. Each is the answer's number and text.
pub fn open_answers(
    tx: &impl Tx,
    id: ConsultationId,
    qid: u32,
    skip: usize,
    limit: usize,
) -> Result<(Vec<(u64, String)>, bool), StoreError> {
    let table = tx.open(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    let mut out = Vec::new();
    let mut seen = 0usize;
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        let answer: Answer = decode(row?.1.value())?;
        let Some(text) = answer.values.get(&qid).and_then(written) else { continue };
        seen += 1;
        if seen <= skip {
            continue;
        }
        if out.len() == limit {
            return Ok((out, true));
        }
        out.push((answer.number, text));
    }
    Ok((out, false))
}

/// An answer's words, as listed under its question: a text, a number, a
/// date, the words of "other"; `None` for a choice or a scale.
pub(super) fn written(value: &Value) -> Option<String> {
    match value {
        Value::Text(t) => Some(t.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Date(d) => Some(d.clone()),
        Value::Choice { other: Some(t), .. } | Value::Choices { other: Some(t), .. } => Some(t.clone()),
        Value::Point { lat, lon, address } => Some(super::point_text(*lat, *lon, address)),
        Value::Choice { other: None, .. }
        | Value::Choices { other: None, .. }
        | Value::Scale(_)
        | Value::Ranking(_)
        | Value::Matrix(_) => None,
    }
}

/// Every answer, in the order received (for the export).
pub fn answers(tx: &impl Tx, id: ConsultationId) -> Result<Vec<Answer>, StoreError> {
    let table = tx.open(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
    let mut out = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}
