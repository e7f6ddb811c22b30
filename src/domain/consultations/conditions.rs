//! Conditions: "show this question only if…". A question (or information
//! block) may name an earlier single- or multiple-choice question and some
//! of its options; it is asked only of those who chose one of them.
//!
//! "Earlier" is the questionnaire's order: by page, then in the page as
//! listed. Everything here is a pure function of the questionnaire and of
//! what was typed (the raw fields), so that the web pages, the answer's
//! checks and the paper entry decide alike.
//!
//! A question whose condition is not met is not asked: not shown, not
//! required, its answer neither stored nor counted. What was typed into
//! it is kept all the same (draft, carried fields) until the answer is
//! sent, so that changing an earlier choice back brings it back.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Consultation, Kind, Question, QuestionProblem, Raw};

/// Shown only to those who chose one of `options` at `question`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ShowIf {
    /// The id of an earlier single- or multiple-choice question.
    pub question: u32,
    /// Indexes of its options ("other" is `options.len()`), sorted, at
    /// least one.
    pub options: Vec<u32>,
}

/// The questions in the questionnaire's order: by page, then as listed.
pub fn in_order(c: &Consultation) -> Vec<&Question> {
    let mut all: Vec<&Question> = c.questions.iter().collect();
    // A stable sort: within a page, the order staff set.
    all.sort_by_key(|q| q.page);
    all
}

/// The options `raw` chose (indexes as the form sends them; "other" typed
/// without a tick counts as "other", as `validate` reads it).
fn chosen(q: &Question, raw: Option<&Raw>) -> Vec<u32> {
    let Some(raw) = raw else { return Vec::new() };
    let mut out: Vec<u32> = raw.values.iter().filter_map(|v| v.trim().parse().ok()).collect();
    if let Kind::Single { options, other: true, .. } = &q.kind {
        if out.is_empty() && !raw.other.trim().is_empty() {
            out.push(options.len() as u32);
        }
    }
    out
}

/// The ids of the questions asked, given what was typed: not hidden, and
/// either without a condition or with one met by a question itself asked.
pub fn asked(c: &Consultation, answers: &BTreeMap<u32, Raw>) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    // In order: a condition names an earlier question, decided already.
    for q in in_order(c) {
        if q.hidden {
            continue;
        }
        let met = match &q.show_if {
            None => true,
            Some(cond) => {
                out.contains(&cond.question)
                    && c.question(cond.question).is_some_and(|target| {
                        chosen(target, answers.get(&cond.question)).iter().any(|o| cond.options.contains(o))
                    })
            }
        };
        if met {
            out.insert(q.id);
        }
    }
    out
}

/// The questions of `page` the form shows: those asked, and those whose
/// condition names a question shown on the same page (without JavaScript
/// the page cannot follow a choice made on it, so they show with a hint,
/// and the server ignores them unless the condition is met).
pub fn on_page<'a>(c: &'a Consultation, answers: &BTreeMap<u32, Raw>, page: u32) -> Vec<&'a Question> {
    let asked = asked(c, answers);
    let mut shown: Vec<&Question> = Vec::new();
    for q in in_order(c).into_iter().filter(|q| q.page == page && !q.hidden) {
        let show =
            asked.contains(&q.id) || q.show_if.as_ref().is_some_and(|cond| shown.iter().any(|s| s.id == cond.question));
        if show {
            shown.push(q);
        }
    }
    shown
}

/// The page numbers shown, in order: those with a question on them shown.
/// A page all of whose questions are hidden by conditions is skipped.
pub fn pages(c: &Consultation, answers: &BTreeMap<u32, Raw>) -> Vec<u32> {
    c.pages().into_iter().filter(|p| !on_page(c, answers, *p).is_empty()).collect()
}

/// The questions of the `n`th page shown (from 1).
pub fn page<'a>(c: &'a Consultation, answers: &BTreeMap<u32, Raw>, n: usize) -> Vec<&'a Question> {
    match pages(c, answers).get(n.wrapping_sub(1)) {
        Some(&p) => on_page(c, answers, p),
        None => Vec::new(),
    }
}

/// Only the fields of the questions asked: what is sent as the answer.
pub fn only_asked(c: &Consultation, answers: &BTreeMap<u32, Raw>) -> BTreeMap<u32, Raw> {
    let asked = asked(c, answers);
    answers.iter().filter(|(q, _)| asked.contains(q)).map(|(q, r)| (*q, r.clone())).collect()
}

/// A condition's options sorted, each once: the same condition always
/// reads the same (the meaning lock compares them).
pub fn normalise(q: &mut Question) {
    if let Some(cond) = &mut q.show_if {
        cond.options.sort_unstable();
        cond.options.dedup();
    }
}

/// Whether `q`'s condition holds in `c` as it would stand: it names an
/// earlier choice question (not hidden) and some of its options.
pub fn check_condition(c: &Consultation, q: &Question) -> Result<(), QuestionProblem> {
    let Some(cond) = &q.show_if else { return Ok(()) };
    let order = in_order(c);
    let at = |id: u32| order.iter().position(|o| o.id == id);
    let target = c.question(cond.question).ok_or(QuestionProblem::ConditionQuestion)?;
    let available = match &target.kind {
        Kind::Single { options, other, .. } | Kind::Multiple { options, other, .. } => {
            options.len() as u32 + u32::from(*other)
        }
        Kind::Info
        | Kind::ShortText
        | Kind::LongText
        | Kind::Scale { .. }
        | Kind::Number { .. }
        | Kind::Date
        | Kind::Ranking { .. }
        | Kind::Matrix { .. }
        | Kind::Point => return Err(QuestionProblem::ConditionQuestion),
    };
    if target.hidden || target.id == q.id {
        return Err(QuestionProblem::ConditionQuestion);
    }
    match (at(target.id), at(q.id)) {
        (Some(t), Some(me)) if t < me => {}
        (Some(_), Some(_)) | (None, _) | (_, None) => return Err(QuestionProblem::ConditionOrder),
    }
    if cond.options.is_empty() || cond.options.iter().any(|o| *o >= available) {
        return Err(QuestionProblem::ConditionOptions);
    }
    Ok(())
}

/// The first question of `c` whose condition no longer holds, with why:
/// checked after every change of the questionnaire's order.
pub fn first_broken(c: &Consultation) -> Option<(u32, QuestionProblem)> {
    c.questions.iter().filter(|q| !q.hidden).find_map(|q| check_condition(c, q).err().map(|p| (q.id, p)))
}

/// The questions shown whose condition names `qid`.
pub fn dependents(c: &Consultation, qid: u32) -> Vec<&Question> {
    c.questions.iter().filter(|q| !q.hidden && q.show_if.as_ref().is_some_and(|s| s.question == qid)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::{AccountId, Audience, ConsultationId};
    use super::*;

    fn q(id: u32, page: u32, kind: Kind, show_if: Option<ShowIf>) -> Question {
        Question {
            id,
            page,
            label: format!("Q{id}"),
            hint: String::new(),
            required: false,
            hidden: false,
            kind,
            show_if,
        }
    }

    fn yes_no() -> Kind {
        Kind::Single { options: vec!["Oui".into(), "Non".into()], dropdown: false, other: false }
    }

    fn when(question: u32, options: &[u32]) -> Option<ShowIf> {
        Some(ShowIf { question, options: options.to_vec() })
    }

    fn consultation(questions: Vec<Question>) -> Consultation {
        Consultation {
            id: ConsultationId(1),
            title: "Parc".into(),
            summary: String::new(),
            body: String::new(),
            neighbourhood: None,
            audience: Audience::Anyone,
            published: None,
            closed_early_at: None,
            next_question: questions.len() as u32 + 1,
            questions,
            created_by: AccountId::default(),
            created_at: 0,
            updated_at: 0,
            editable: false,
        }
    }

    fn typed(pairs: &[(u32, &str)]) -> BTreeMap<u32, Raw> {
        pairs.iter().map(|(q, v)| (*q, Raw { values: vec![v.to_string()], other: String::new() })).collect()
    }

    /// Q1 (page 1) yes/no; Q2 (page 2) only if yes; Q3 (page 2) only if
    /// Q2 is "yes" too; Q4 (page 3) always.
    fn chain() -> Consultation {
        consultation(vec![
            q(1, 1, yes_no(), None),
            q(2, 2, yes_no(), when(1, &[0])),
            q(3, 2, Kind::ShortText, when(2, &[0])),
            q(4, 3, Kind::ShortText, None),
        ])
    }

    #[test]
    fn a_question_is_asked_only_when_its_condition_and_the_one_before_it_are_met() {
        let c = chain();
        assert_eq!(asked(&c, &typed(&[])), BTreeSet::from([1, 4]));
        assert_eq!(asked(&c, &typed(&[(1, "0")])), BTreeSet::from([1, 2, 4]));
        assert_eq!(asked(&c, &typed(&[(1, "0"), (2, "0")])), BTreeSet::from([1, 2, 3, 4]));
        // Q2 answered "yes" but Q1 changed to "no": Q3 goes with Q2.
        assert_eq!(asked(&c, &typed(&[(1, "1"), (2, "0"), (3, "x")])), BTreeSet::from([1, 4]));
        let only = only_asked(&c, &typed(&[(1, "1"), (2, "0"), (3, "x"), (4, "y")]));
        assert_eq!(only.keys().copied().collect::<Vec<_>>(), vec![1, 4]);
    }

    #[test]
    fn a_page_whose_questions_are_all_hidden_by_conditions_is_skipped() {
        let c = chain();
        assert_eq!(pages(&c, &typed(&[(1, "1")])), vec![1, 3]);
        assert_eq!(page(&c, &typed(&[(1, "1")]), 2).iter().map(|q| q.id).collect::<Vec<_>>(), vec![4]);
        // Page 2 shown: Q3's condition is on the same page, so it shows
        // (with its hint) until the server can tell.
        assert_eq!(pages(&c, &typed(&[(1, "0")])), vec![1, 2, 3]);
        assert_eq!(page(&c, &typed(&[(1, "0")]), 2).iter().map(|q| q.id).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn other_typed_without_a_tick_meets_a_condition_on_other() {
        let single = Kind::Single { options: vec!["A".into(), "B".into()], dropdown: false, other: true };
        let c = consultation(vec![q(1, 1, single, None), q(2, 1, Kind::ShortText, when(1, &[2]))]);
        let other = BTreeMap::from([(1, Raw { values: vec![], other: "C".into() })]);
        assert!(asked(&c, &other).contains(&2));
        let multiple = Kind::Multiple { options: vec!["A".into(), "B".into()], min: 0, max: 0, other: false };
        let c = consultation(vec![q(1, 1, multiple, None), q(2, 1, Kind::ShortText, when(1, &[1]))]);
        let ticked = BTreeMap::from([(1, Raw { values: vec!["0".into(), "1".into()], other: String::new() })]);
        assert!(asked(&c, &ticked).contains(&2));
    }

    #[test]
    fn a_condition_names_an_earlier_choice_question_and_its_options() {
        let c = chain();
        assert_eq!(first_broken(&c), None);
        let later = q(9, 1, Kind::ShortText, when(4, &[0]));
        let mut with = c.clone();
        with.questions.push(later.clone());
        assert_eq!(check_condition(&with, &later), Err(QuestionProblem::ConditionQuestion), "Q4 is a text");
        let before = q(9, 1, Kind::ShortText, when(2, &[0]));
        let mut with = c.clone();
        with.questions.push(before.clone());
        assert_eq!(check_condition(&with, &before), Err(QuestionProblem::ConditionOrder), "Q2 is on page 2");
        let bad = q(9, 3, Kind::ShortText, when(1, &[2]));
        let mut with = c.clone();
        with.questions.push(bad.clone());
        assert_eq!(check_condition(&with, &bad), Err(QuestionProblem::ConditionOptions), "no third option");
        let none = q(9, 3, Kind::ShortText, when(1, &[]));
        assert_eq!(check_condition(&with, &none), Err(QuestionProblem::ConditionOptions));
        // Q2 moved to page 1 above Q1: its condition is broken.
        let mut moved = c.clone();
        moved.questions.swap(0, 1);
        moved.questions[0].page = 1;
        assert_eq!(first_broken(&moved), Some((2, QuestionProblem::ConditionOrder)));
        assert_eq!(dependents(&c, 1).iter().map(|q| q.id).collect::<Vec<_>>(), vec![2]);
        let mut twice = q(9, 3, Kind::ShortText, when(1, &[1, 0, 1]));
        normalise(&mut twice);
        assert_eq!(twice.show_if, when(1, &[0, 1]));
    }
}
