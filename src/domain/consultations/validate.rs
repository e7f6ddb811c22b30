//! The rules of an answer to each kind of question, and of a question as
//! staff write it.

use serde::{Deserialize, Serialize};

use super::{Kind, Question, Value, MAX_ANSWER, MAX_OPTIONS, MAX_TEXT};

/// What the form sent for one question, before any check: its values (one
/// for most kinds, one per ticked box for a multiple choice) and the text
/// of "other, please say".
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Raw {
    pub values: Vec<String>,
    pub other: String,
}

impl Raw {
    fn first(&self) -> &str {
        self.values.iter().map(|v| v.trim()).find(|v| !v.is_empty()).unwrap_or("")
    }

    fn is_empty(&self) -> bool {
        self.first().is_empty() && self.other.trim().is_empty()
    }
}

/// Why an answer to one question is refused; the page says it in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooLong,
    /// Not one of the options (a tampered form).
    NotAnOption,
    /// "Other" chosen without saying what.
    OtherEmpty,
    TooFew(u32),
    TooMany(u32),
    NotANumber,
    /// Out of the bounds (or of the scale): the lowest and highest allowed.
    OutOfRange(Option<i64>, Option<i64>),
    NotADate,
    /// A ranking's, a matrix's or a place's own refusal (`validate_kinds.rs`).
    Kinds(super::KindsError),
}

/// The value of an answer to `q`, `None` when it was left empty (allowed
/// unless the question is required).
pub fn validate(q: &Question, raw: &Raw) -> Result<Option<Value>, FieldError> {
    if matches!(q.kind, Kind::Info) {
        return Ok(None);
    }
    if raw.is_empty() {
        return if q.required { Err(FieldError::Required) } else { Ok(None) };
    }
    if let Some(checked) = super::validate_kinds::validate(q, raw) {
        return checked;
    }
    let other_text = || {
        let t = raw.other.trim();
        if t.is_empty() {
            Err(FieldError::OtherEmpty)
        } else if t.chars().count() > MAX_ANSWER {
            Err(FieldError::TooLong)
        } else {
            Ok(t.to_string())
        }
    };
    let value = match &q.kind {
        Kind::Info => return Ok(None),
        Kind::ShortText | Kind::LongText => {
            let text = raw.first();
            let max = if matches!(q.kind, Kind::ShortText) { 300 } else { MAX_ANSWER };
            if text.chars().count() > max {
                return Err(FieldError::TooLong);
            }
            Value::Text(text.to_string())
        }
        Kind::Single { options, other, .. } => {
            let last = options.len() as u32;
            // Only "other" typed in, nothing ticked: the person meant it.
            let option: u32 = match raw.first() {
                "" if *other => last,
                typed => typed.parse().map_err(|_| FieldError::NotAnOption)?,
            };
            match option {
                o if o < last => Value::Choice { option: o, other: None },
                o if o == last && *other => Value::Choice { option: o, other: Some(other_text()?) },
                _ => return Err(FieldError::NotAnOption),
            }
        }
        Kind::Multiple { options, min, max, other } => {
            let last = options.len() as u32;
            let mut chosen = Vec::new();
            for v in raw.values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
                let o: u32 = v.parse().map_err(|_| FieldError::NotAnOption)?;
                if o > last || (o == last && !*other) {
                    return Err(FieldError::NotAnOption);
                }
                if !chosen.contains(&o) {
                    chosen.push(o);
                }
            }
            chosen.sort_unstable();
            let other = if chosen.contains(&last) { Some(other_text()?) } else { None };
            let n = chosen.len() as u32;
            if n == 0 {
                return if q.required { Err(FieldError::Required) } else { Ok(None) };
            }
            if n < *min {
                return Err(FieldError::TooFew(*min));
            }
            if *max > 0 && n > *max {
                return Err(FieldError::TooMany(*max));
            }
            Value::Choices { options: chosen, other }
        }
        Kind::Scale { from, to, .. } => {
            let v: i64 = raw.first().parse().map_err(|_| FieldError::NotANumber)?;
            if v < i64::from(*from) || v > i64::from(*to) {
                return Err(FieldError::OutOfRange(Some(i64::from(*from)), Some(i64::from(*to))));
            }
            Value::Scale(v as u8)
        }
        Kind::Number { min, max } => {
            // People type spaces between thousands ("1 500").
            let typed: String = raw.first().chars().filter(|c| !c.is_whitespace()).collect();
            let v: i64 = typed.parse().map_err(|_| FieldError::NotANumber)?;
            if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
                return Err(FieldError::OutOfRange(*min, *max));
            }
            Value::Number(v)
        }
        Kind::Date => Value::Date(parse_date(raw.first()).ok_or(FieldError::NotADate)?.to_string()),
        // Checked above, by `validate_kinds::validate`.
        Kind::Ranking { .. } | Kind::Matrix { .. } | Kind::Point => return Ok(None),
    };
    Ok(Some(value))
}

/// A date as a date field sends it (`2026-07-14`) or as people write it
/// where the browser shows no date picker (`14/07/2026`).
fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    if let Ok(d) = text.parse() {
        return Some(d);
    }
    let mut parts = text.split('/').map(|p| p.trim().parse::<i16>().ok());
    let (Some(Some(day)), Some(Some(month)), Some(Some(year)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    jiff::civil::Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// What is wrong with a question staff wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionProblem {
    EmptyLabel,
    TooLong,
    /// A choice question needs two options at least (and at most
    /// [`MAX_OPTIONS`]), none of them empty.
    Options,
    /// The minimum is above the maximum (or above the number of options).
    Bounds,
    /// A scale goes from 1 to 5 or from 0 to 10.
    Scale,
    /// An information block is never required.
    RequiredInfo,
    /// A ranking's items, a matrix's rows or columns (`validate_kinds.rs`).
    Kinds(super::KindProblem),
    /// A condition names a question that is not a choice question shown.
    ConditionQuestion,
    /// A condition names a question that is not earlier in the order.
    ConditionOrder,
    /// A condition names no option, or one the question does not offer.
    ConditionOptions,
}

pub fn check_question(q: &Question) -> Result<(), QuestionProblem> {
    if q.label.trim().is_empty() {
        return Err(QuestionProblem::EmptyLabel);
    }
    if q.label.chars().count() > 1_000 || q.hint.chars().count() > MAX_TEXT {
        return Err(QuestionProblem::TooLong);
    }
    let options_ok =
        |o: &[String]| (2..=MAX_OPTIONS).contains(&o.len()) && o.iter().all(|o| !o.trim().is_empty() && o.len() <= 300);
    match &q.kind {
        Kind::Info if q.required => Err(QuestionProblem::RequiredInfo),
        Kind::Info | Kind::ShortText | Kind::LongText | Kind::Date => Ok(()),
        Kind::Single { options, .. } if !options_ok(options) => Err(QuestionProblem::Options),
        Kind::Single { .. } => Ok(()),
        Kind::Multiple { options, .. } if !options_ok(options) => Err(QuestionProblem::Options),
        Kind::Multiple { options, min, max, other } => {
            let available = options.len() as u32 + u32::from(*other);
            if (*max > 0 && min > max) || *min > available || *max > available {
                return Err(QuestionProblem::Bounds);
            }
            Ok(())
        }
        Kind::Scale { from, to, low, high } => {
            if !matches!((from, to), (1, 5) | (0, 10)) {
                return Err(QuestionProblem::Scale);
            }
            if low.chars().count() > 100 || high.chars().count() > 100 {
                return Err(QuestionProblem::TooLong);
            }
            Ok(())
        }
        Kind::Number { min: Some(a), max: Some(b) } if a > b => Err(QuestionProblem::Bounds),
        Kind::Number { .. } => Ok(()),
        Kind::Ranking { .. } | Kind::Matrix { .. } | Kind::Point => {
            super::validate_kinds::check(&q.kind).map_err(QuestionProblem::Kinds)
        }
    }
}

/// Whether `new` only corrects `old` (a typo, an accent): at most a fifth of
/// its characters changed, and never more than 10. Anything more could
/// change what people who already answered were asked.
pub fn is_small_correction(old: &str, new: &str) -> bool {
    let changed = strsim::levenshtein(old, new);
    let allowed = (old.chars().count() / 5).clamp(2, 10);
    changed <= allowed
}

/// Whether `new` keeps the meaning of `old`, which has answers: the same
/// kind, options, bounds and page rules, and its words only corrected.
pub(super) fn keeps_meaning(old: &Question, new: &Question) -> bool {
    let words = |a: &str, b: &str| a == b || is_small_correction(a, b);
    let all_words = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().zip(b).all(|(a, b)| words(a, b));
    let kind = match (&old.kind, &new.kind) {
        (Kind::Info, Kind::Info)
        | (Kind::ShortText, Kind::ShortText)
        | (Kind::LongText, Kind::LongText)
        | (Kind::Date, Kind::Date) => true,
        (Kind::Single { options: a, dropdown: _, other: oa }, Kind::Single { options: b, dropdown: _, other: ob }) => {
            oa == ob && all_words(a, b)
        }
        (
            Kind::Multiple { options: a, min: mina, max: maxa, other: oa },
            Kind::Multiple { options: b, min: minb, max: maxb, other: ob },
        ) => oa == ob && mina == minb && maxa == maxb && all_words(a, b),
        (Kind::Scale { from: fa, to: ta, low: la, high: ha }, Kind::Scale { from: fb, to: tb, low: lb, high: hb }) => {
            fa == fb && ta == tb && words(la, lb) && words(ha, hb)
        }
        (Kind::Number { min: a, max: b }, Kind::Number { min: c, max: d }) => a == c && b == d,
        (a, b) => super::validate_kinds::keeps_meaning(a, b),
    };
    // The page and the look of a list may move; whether it must be
    // answered may not (earlier respondents could skip it).
    // A condition decides who is asked: adding or changing one changes
    // what earlier respondents were asked.
    kind && old.required == new.required
        && old.show_if == new.show_if
        && words(&old.label, &new.label)
        && words(&old.hint, &new.hint)
}
