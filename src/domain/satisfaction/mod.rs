//! The quarterly satisfaction survey (issue 15, satisfaction): each quarter
//! staff start a consultation from a ready questionnaire — overall
//! satisfaction on a 1–5 scale, whether the person saw what became of their
//! contribution, a free comment — marked as that quarter's survey. Residents
//! who took part during the quarter are offered it (a banner they can put
//! away); the dashboard reads its score quarter after quarter.
//!
//! « Active in the quarter » is what the metrics roll-up counts as taking
//! part (a proposal, support, comment, report, answer, budget vote or
//! meeting registration): one definition of participation for the figures
//! and for who is asked about it.

pub mod invitations;
pub mod tables;

use redb::{ReadableTable, WriteTransaction};

use crate::domain::accounts::AccountId;
use crate::domain::audit::Actor;
use crate::domain::consultations::coding::{self, CodeCount};
use crate::domain::consultations::{self, Audience, ConsultationError, ConsultationId, Details, Kind, Phase, Question};
use crate::domain::metrics;
use crate::domain::publication::{consultation_results_visible, group_count};
use crate::store::{StoreError, Tx};
use tables::*;

/// `year × 4 + quarter − 1` of an instant, in the commune's time.
pub fn quarter_of(unix: i64) -> u32 {
    metrics::month_of_day(metrics::day_of(unix)) / 3
}

/// « 2026 T1 ».
pub fn quarter_label(quarter: u32) -> String {
    format!("{} T{}", quarter / 4, quarter % 4 + 1)
}

/// The month numbers of a quarter (as the metrics tables key months).
pub fn months_of(quarter: u32) -> std::ops::RangeInclusive<u32> {
    quarter * 3..=quarter * 3 + 2
}

#[derive(Debug, thiserror::Error)]
pub enum SatisfactionError {
    /// The quarter already has its survey.
    #[error("this quarter already has its satisfaction survey")]
    AlreadyDone,
    #[error("no satisfaction survey for this quarter")]
    NotFound,
    #[error(transparent)]
    Consultation(#[from] ConsultationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<redb::TableError> for SatisfactionError {
    fn from(e: redb::TableError) -> Self {
        SatisfactionError::Store(e.into())
    }
}

impl From<redb::StorageError> for SatisfactionError {
    fn from(e: redb::StorageError) -> Self {
        SatisfactionError::Store(e.into())
    }
}

/// The first question: the score. Its range is fixed so that quarters
/// compare; staff may reword it, never change its scale once answered
/// (the consultations' own rule).
pub const SCORE_FROM: u8 = 1;
pub const SCORE_TO: u8 = 5;

fn questions() -> Vec<Question> {
    let q = |label: &str, required: bool, kind: Kind| Question {
        id: 0,
        page: 1,
        label: label.into(),
        hint: String::new(),
        required,
        hidden: false,
        kind,
        show_if: None,
    };
    vec![
        q(
            "Dans l'ensemble, êtes-vous satisfait(e) de la participation dans notre commune ?",
            true,
            Kind::Scale {
                from: SCORE_FROM,
                to: SCORE_TO,
                low: "Pas du tout satisfait(e)".into(),
                high: "Tout à fait satisfait(e)".into(),
            },
        ),
        q(
            "Avez-vous vu ce qu'est devenue votre contribution ?",
            false,
            Kind::Single {
                options: vec!["Oui".into(), "En partie".into(), "Non".into(), "Pas encore de réponse".into()],
                dropdown: false,
                other: false,
            },
        ),
        q("Un commentaire, une suggestion ?", false, Kind::LongText),
    ]
}

/// Staff start the survey of `quarter`: a draft consultation with the
/// ready questions (in French, the commune's language, editable as any
/// draft), marked as that quarter's. One per quarter.
pub fn create_survey(
    tx: &WriteTransaction,
    actor: &Actor,
    quarter: u32,
    now: i64,
) -> Result<ConsultationId, SatisfactionError> {
    if tx.open_table(SATISFACTION_SURVEY_BY_QUARTER)?.get(quarter)?.is_some() {
        return Err(SatisfactionError::AlreadyDone);
    }
    let label = quarter_label(quarter);
    let details = Details {
        title: format!("Votre avis sur la participation ({label})"),
        summary: "Trois questions pour nous dire si la commune vous associe bien à ses décisions.".into(),
        body: "Vous avez participé ce trimestre : proposition, soutien, commentaire, signalement, réponse, vote ou \
               inscription. Chaque trimestre nous posons les mêmes questions pour savoir si la participation \
               progresse. Le questionnaire prend une minute."
            .into(),
        neighbourhood: None,
        audience: Audience::SignedIn,
    };
    let id = consultations::create(tx, &[], actor, &details, now)?;
    for q in questions() {
        consultations::add_question(tx, actor, id, &q, now)?;
    }
    tx.open_table(SATISFACTION_SURVEY_BY_QUARTER)?.insert(quarter, id.get())?;
    tx.open_table(SATISFACTION_QUARTER_BY_SURVEY)?.insert(id.get(), quarter)?;
    Ok(id)
}

/// The survey of `quarter`, if it was made.
pub fn survey_of(tx: &impl Tx, quarter: u32) -> Result<Option<ConsultationId>, StoreError> {
    Ok(tx.open(SATISFACTION_SURVEY_BY_QUARTER)?.get(quarter)?.map(|v| ConsultationId(v.value())))
}

/// The quarter whose survey consultation `id` is, if it is one.
pub fn quarter_of_survey(tx: &impl Tx, id: ConsultationId) -> Result<Option<u32>, StoreError> {
    Ok(tx.open(SATISFACTION_QUARTER_BY_SURVEY)?.get(id.get())?.map(|v| v.value()))
}

/// What the banner offers one person.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub quarter: u32,
    pub consultation: ConsultationId,
    pub title: String,
}

/// The survey to offer `account` now: the newest quarter's survey that is
/// open, about a quarter in which they took part, that they have neither
/// answered nor put away.
pub fn offer(tx: &impl Tx, account: AccountId, now: i64) -> Result<Option<Offer>, StoreError> {
    let dismissed = tx.open(SATISFACTION_DISMISSED_BY_ACCOUNT_QUARTER)?;
    for row in tx.open(SATISFACTION_SURVEY_BY_QUARTER)?.iter()?.rev() {
        let (quarter, id) = row?;
        let (quarter, id) = (quarter.value(), ConsultationId(id.value()));
        let Some(c) = consultations::get(tx, id)? else { continue };
        if c.phase(now) != Phase::Open || dismissed.get((account.get(), quarter))?.is_some() {
            continue;
        }
        if !metrics::active::was_active(tx, account, months_of(quarter))? {
            continue;
        }
        if consultations::has_answered(tx, id, account)? {
            continue;
        }
        return Ok(Some(Offer { quarter, consultation: id, title: c.title }));
    }
    Ok(None)
}

/// `account` puts away the banner of `quarter`'s survey: it is not shown
/// to them again (the survey itself stays open to them).
pub fn dismiss(tx: &WriteTransaction, account: AccountId, quarter: u32, now: i64) -> Result<(), SatisfactionError> {
    if tx.open_table(SATISFACTION_SURVEY_BY_QUARTER)?.get(quarter)?.is_none() {
        return Err(SatisfactionError::NotFound);
    }
    tx.open_table(SATISFACTION_DISMISSED_BY_ACCOUNT_QUARTER)?.insert((account.get(), quarter), now)?;
    Ok(())
}

/// One quarter's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub quarter: u32,
    pub consultation: ConsultationId,
    /// Who gave a score.
    pub answered: u64,
    /// The mean from 1 to 5, and how many gave each value from 1 to 5;
    /// `None` under [`crate::domain::publication::MIN_GROUP`] answers, which
    /// could name the few who answered.
    pub mean: Option<f64>,
    pub distribution: Option<[u64; 5]>,
}

/// Every quarter's score, oldest first (the trend), read from the
/// consultations' counts.
pub fn scores(tx: &impl Tx) -> Result<Vec<Score>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(SATISFACTION_SURVEY_BY_QUARTER)?.iter()? {
        let (quarter, id) = row?;
        let (quarter, id) = (quarter.value(), ConsultationId(id.value()));
        let Some(c) = consultations::get(tx, id)? else { continue };
        let scale = c.questions.iter().find(|q| matches!(q.kind, Kind::Scale { from: SCORE_FROM, to: SCORE_TO, .. }));
        let results = consultations::results(tx, &c)?;
        let r = scale.and_then(|q| results.questions.iter().find(|r| r.question == q.id));
        let answered = r.map_or(0, |r| r.answered);
        let (mean, distribution) = match (r, group_count(answered)) {
            (Some(r), Some(_)) => {
                let mut d = [0u64; 5];
                for n in &r.counts {
                    if let Some(slot) = usize::try_from(n.option)
                        .ok()
                        .and_then(|v| v.checked_sub(usize::from(SCORE_FROM)))
                        .and_then(|i| d.get_mut(i))
                    {
                        *slot += n.count;
                    }
                }
                let sum: u64 = d.iter().enumerate().map(|(i, n)| (i as u64 + u64::from(SCORE_FROM)) * n).sum();
                (Some(sum as f64 / answered as f64), Some(d))
            }
            _ => (None, None),
        };
        out.push(Score { quarter, consultation: id, answered, mean, distribution });
    }
    Ok(out)
}

/// The scores the public may read: those of the surveys whose results are
/// published (at the close, as every consultation's: `publication`), with
/// no mean nor distribution under 5 answers ([`scores`]).
pub fn public_scores(tx: &impl Tx, now: i64) -> Result<Vec<Score>, StoreError> {
    let mut out = Vec::new();
    for s in scores(tx)? {
        if consultations::get(tx, s.consultation)?.is_some_and(|c| consultation_results_visible(&c, now)) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The survey's free comment: its long-text question, asked (not hidden).
pub fn comment_question(c: &consultations::Consultation) -> Option<u32> {
    c.questions.iter().find(|q| !q.hidden && matches!(q.kind, Kind::LongText)).map(|q| q.id)
}

/// One quarter's free comments, for staff only (never published: a
/// sentence can name its writer): how many wrote one, where staff read and
/// tag them (the consultations' coding, `consultations::coding`: staff type
/// their own tags, « accessibilité », « lenteur »…, and tick the comments
/// each fits), and each tag's count.
#[derive(Clone, Debug, PartialEq)]
pub struct Comments {
    pub quarter: u32,
    pub consultation: ConsultationId,
    pub question: u32,
    /// Who wrote a comment.
    pub written: u64,
    /// The tags staff made, in the order they made them, with their counts.
    pub tags: Vec<CodeCount>,
}

/// Every quarter's free comments and tag counts, oldest first.
pub fn comments(tx: &impl Tx) -> Result<Vec<Comments>, StoreError> {
    let mut out = Vec::new();
    for row in tx.open(SATISFACTION_SURVEY_BY_QUARTER)?.iter()? {
        let (quarter, id) = row?;
        let (quarter, id) = (quarter.value(), ConsultationId(id.value()));
        let Some(c) = consultations::get(tx, id)? else { continue };
        let Some(question) = comment_question(&c) else { continue };
        let results = consultations::results(tx, &c)?;
        let written = results.questions.iter().find(|r| r.question == question).map_or(0, |r| r.answered);
        let tags = coding::codes(tx, id, question)?;
        out.push(Comments { quarter, consultation: id, question, written, tags });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_are_the_communes_and_follow_each_other() {
        // 2026-03-31 22:30 UTC is 2026-04-01 00:30 in Paris (summer time):
        // the second quarter.
        let t = 1_774_996_200;
        assert_eq!(quarter_label(quarter_of(t)), "2026 T2");
        assert_eq!(quarter_label(quarter_of(t - 3600)), "2026 T1");
        assert_eq!(quarter_label(8104), "2026 T1");
        assert_eq!(months_of(8104), 24_312..=24_314, "January to March 2026");
        assert_eq!(metrics::month_label(*months_of(8104).start()), "2026-01");
        assert_eq!(metrics::month_label(*months_of(8104).end()), "2026-03");
    }
}
