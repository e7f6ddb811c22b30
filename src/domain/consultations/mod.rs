//! Consultations: the town hall asks residents before deciding (an urban
//! renovation plan, a new school timetable) with a questionnaire of pages
//! of questions, then shows what they said (the model is Citizen Space).
//!
//! Each operation is one function run in the caller's write transaction:
//! the staff's (`create`, `update`, `add_question`, `edit_question`,
//! `hide_question`, `move_question`, `publish`, `close`, in `staff.rs`) and
//! the residents' (`save_draft`, `submit`, in `answer.rs`, where staff also
//! type in paper and interview answers: `submit_offline`; and `edit.rs`:
//! `set_editable`, `edit_answer`), and the outcome staff publish after the
//! close (`outcome.rs`). Which questions are asked, given the answers so
//! far, is `conditions.rs` (« affichée seulement si »). Every
//! consultation record goes through [`write`], and an answer moves the
//! result counts in its own transaction (`answer.rs`), so that the results
//! page reads counts and never the answers; `tables::verify` recounts them.

mod answer;
pub mod coding;
pub mod conditions;
mod documents;
mod edit;
mod follow;
mod groups;
mod outcome;
mod personal;
mod purge;
pub mod representation;
mod results;
mod results_kinds;
mod search;
mod staff;
pub mod tables;
mod templates;
mod unsubscribe;
mod validate;
mod validate_kinds;

use std::collections::BTreeMap;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

pub use self::answer::{
    answer_of, draft, has_answered, save_draft, submit, submit_offline, submit_offline_grouped, takes_offline, Channel,
    Respondent, Submitted, DEFAULT_PAPER_GRACE_DAYS,
};
pub use self::coding::{CodeCount, CodingError};
pub use self::conditions::ShowIf;
pub use self::documents::{
    add_document, check_pdf, document, documents, remove_document, remove_file, valid_file_name, Document,
    DocumentKind, NewDocument, PdfProblem, MAX_DOCUMENT_TITLE, MAX_PDF,
};
pub use self::edit::{edit_answer, raw_of, set_editable};
pub use self::follow::{follow, followers_after, submit_signed_in, told, ASKED, FOLLOWS};
pub use self::groups::{backfill as backfill_groups, group_counts, group_of, CellCounts, Group, UNKNOWN};
pub use self::outcome::{add_outcome_update, closed_with_outcomes, outcome, publish_outcome, Outcome, OutcomeUpdate};
pub use self::personal::{answer_words, draft_words, forget_account, of_account, Theirs};
pub use self::purge::{purge_drafts, DRAFT_KEPT_AFTER_CLOSE_SECS};
pub use self::results::{answers, open_answers, results, Count, QuestionResult, Results};
pub use self::results_kinds::{
    column_label, kind_words, matrix_rows, point_cells, point_text, ranking_items, ItemRank, MatrixRow, PointCell,
    MAX_ITEMS,
};
pub use self::search::{all_ids, search_document};
pub use self::staff::{
    add_question, close, create, edit_question, hide_question, move_question, publish, update, Details, Move,
};
pub use self::templates::{
    create_from_template, made_from, template, template_of, Template, FIRST_SURVEY, QUARTERLY_SATISFACTION, TEMPLATES,
};
pub use self::unsubscribe::{unsubscribe, unsubscribe_path, unsubscribe_valid};
pub use self::validate::{check_question, is_small_correction, validate, FieldError, QuestionProblem, Raw};
pub use self::validate_kinds::{refused_answers, validate_in, KindProblem, KindsError, GEO_PREFIX};
use super::accounts::{AccountId, Role};
use super::changes::{self, ContentKind, Target};
use crate::store::{decode, encode, Record, StoreError, Tx};
use tables::*;

/// A consultation's id.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(transparent)]
pub struct ConsultationId(pub u64);

impl ConsultationId {
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for ConsultationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest summary, body or question text accepted, in characters.
pub const MAX_TEXT: usize = 20_000;
/// The longest answer to a text question, in characters.
pub const MAX_ANSWER: usize = 5_000;
/// The most questions a questionnaire holds.
pub const MAX_QUESTIONS: usize = 200;
/// The most options a choice question offers.
pub const MAX_OPTIONS: usize = 50;

/// A consultation and its questionnaire.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Consultation {
    pub id: ConsultationId,
    pub title: String,
    /// One or two sentences, for the list.
    pub summary: String,
    /// Markdown, written by staff.
    pub body: String,
    /// One of `commune.neighbourhoods`, or `None` for the whole commune.
    pub neighbourhood: Option<String>,
    pub audience: Audience,
    /// Set when staff publish it; until then it is a draft only staff see.
    pub published: Option<Dates>,
    /// When staff closed it before its closing date.
    pub closed_early_at: Option<i64>,
    /// In the order residents see them; each names its page.
    pub questions: Vec<Question>,
    /// The id the next question gets (ids are never reused, so that an
    /// answer's value always names the question it answered).
    pub next_question: u32,
    pub created_by: AccountId,
    pub created_at: i64,
    pub updated_at: i64,
    /// Whether a signed-in person may change their answer until the close
    /// (`edit.rs`); off unless staff say so.
    pub editable: bool,
}

impl Record for Consultation {
    const NAME: &'static str = "consultation";
    /// 2: questions carry `show_if`, and `editable` (migration 21).
    const VERSION: u8 = 2;
}

/// When a published consultation opens and closes (Unix seconds).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dates {
    pub opens_at: i64,
    pub closes_at: i64,
}

/// Who may answer.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: visitors' answers are taken too (one per browser, and a rate
    /// per address), and flagged in the results.
    Anyone,
    /// Only signed-in residents, one answer per account.
    SignedIn,
    /// Only residents whose account the town hall verified (and staff),
    /// one answer per account; paper answers are taken at the counter, where
    /// staff check who answers. Last, so that stored variants keep their
    /// numbers.
    Verified,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Anyone => "anyone",
            Audience::SignedIn => "signed-in",
            Audience::Verified => "verified",
        }
    }

    pub fn from_code(code: &str) -> Option<Audience> {
        [Audience::Anyone, Audience::SignedIn, Audience::Verified].into_iter().find(|a| a.code() == code)
    }

    /// Whether someone with this role (`None`: a visitor) may answer.
    pub fn admits(self, role: Option<Role>) -> bool {
        match self {
            Audience::Anyone => true,
            Audience::SignedIn => role.is_some(),
            Audience::Verified => role.is_some_and(|r| r >= Role::VerifiedResident),
        }
    }
}

/// Where a consultation stands; the dated phases follow from the dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Draft,
    Forthcoming,
    Open,
    Closed,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Forthcoming => "forthcoming",
            Phase::Open => "open",
            Phase::Closed => "closed",
        }
    }
}

impl Consultation {
    pub fn phase(&self, now: i64) -> Phase {
        match self.published {
            None => Phase::Draft,
            Some(_) if self.closed_early_at.is_some() => Phase::Closed,
            Some(d) if now < d.opens_at => Phase::Forthcoming,
            Some(d) if now < d.closes_at => Phase::Open,
            Some(_) => Phase::Closed,
        }
    }

    /// When it closed or closes, once published.
    pub fn closes_at(&self) -> Option<i64> {
        match (self.published, self.closed_early_at) {
            (Some(_), Some(at)) => Some(at),
            (Some(d), None) => Some(d.closes_at),
            (None, _) => None,
        }
    }

    pub fn target(&self) -> Target {
        Target::new(ContentKind::Consultation, self.id.get())
    }

    pub fn question(&self, id: u32) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The page numbers residents see, in order: the stored page numbers of
    /// the shown questions, without gaps (a page whose questions are all
    /// hidden is not shown).
    pub fn pages(&self) -> Vec<u32> {
        let mut pages: Vec<u32> = self.questions.iter().filter(|q| !q.hidden).map(|q| q.page).collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    }

    /// The shown questions of the `n`th page residents see (from 1).
    pub fn page(&self, n: usize) -> Vec<&Question> {
        match self.pages().get(n.wrapping_sub(1)) {
            Some(&page) => self.questions.iter().filter(|q| !q.hidden && q.page == page).collect(),
            None => Vec::new(),
        }
    }
}

/// One question (or information block) of a questionnaire.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Question {
    pub id: u32,
    /// The page it is on (pages are shown in the order of their numbers).
    pub page: u32,
    /// The question; the heading of an information block.
    pub label: String,
    /// Help under the question; the text (Markdown) of an information block.
    pub hint: String,
    pub required: bool,
    /// Hidden questions are no longer asked; their answers are kept.
    pub hidden: bool,
    pub kind: Kind,
    /// Asked only of those who chose one of some options of an earlier
    /// choice question (`conditions.rs`).
    pub show_if: Option<ShowIf>,
}

/// The kinds of question of this version.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Kind {
    /// Text to read, nothing to answer.
    Info,
    ShortText,
    LongText,
    /// One option; `dropdown` shows a list instead of radio buttons; with
    /// `other`, a last option "Other, please say" takes a text.
    Single {
        options: Vec<String>,
        dropdown: bool,
        other: bool,
    },
    /// Between `min` and `max` options (`max` 0: no upper limit).
    Multiple {
        options: Vec<String>,
        min: u32,
        max: u32,
        other: bool,
    },
    /// A whole number from `from` (0 or 1) to `to` (5 or 10), with the
    /// words at each end.
    Scale {
        from: u8,
        to: u8,
        low: String,
        high: String,
    },
    /// A whole number, within the bounds given.
    Number {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A calendar date.
    Date,
    /// The resident puts `items` (2 to [`MAX_ITEMS`]) in order, from 1.
    /// This and the next two are last so that stored questionnaires keep
    /// their variant numbers (postcard writes an enum as its index).
    Ranking {
        items: Vec<String>,
    },
    /// `rows` (2 to [`MAX_ITEMS`]), each answered on one scale: the named
    /// `columns` when there are some (stored as their index), else the
    /// whole numbers `from`..=`to` with the words at each end (as a scale).
    Matrix {
        rows: Vec<String>,
        columns: Vec<String>,
        from: u8,
        to: u8,
        low: String,
        high: String,
    },
    /// A place: a pin on the map, or an address of the commune's list.
    Point,
}

impl Kind {
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Info => "info",
            Kind::ShortText => "short-text",
            Kind::LongText => "long-text",
            Kind::Single { .. } => "single",
            Kind::Multiple { .. } => "multiple",
            Kind::Scale { .. } => "scale",
            Kind::Number { .. } => "number",
            Kind::Date => "date",
            Kind::Ranking { .. } => "ranking",
            Kind::Matrix { .. } => "matrix",
            Kind::Point => "point",
        }
    }

    pub const CODES: [&'static str; 11] = [
        "info",
        "short-text",
        "long-text",
        "single",
        "multiple",
        "scale",
        "number",
        "date",
        "ranking",
        "matrix",
        "point",
    ];

    /// Whether its results are counts (choices, scales, ranks, a matrix's
    /// cells, places by grid cell), else answers to list.
    pub fn is_counted(&self) -> bool {
        matches!(
            self,
            Kind::Single { .. }
                | Kind::Multiple { .. }
                | Kind::Scale { .. }
                | Kind::Ranking { .. }
                | Kind::Matrix { .. }
                | Kind::Point
        )
    }
}

/// An answer to one question, as stored.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    /// The index of the option; `options.len()` is "other", with its text.
    Choice {
        option: u32,
        other: Option<String>,
    },
    Choices {
        options: Vec<u32>,
        other: Option<String>,
    },
    Scale(u8),
    Number(i64),
    /// `YYYY-MM-DD`.
    Date(String),
    /// The position (from 1) given to each item, in the items' order. The
    /// next two are last so that stored answers keep their variant numbers.
    Ranking(Vec<u8>),
    /// Each row's column index (named columns) or scale value; `None` for
    /// a row left empty in a matrix that is not required.
    Matrix(Vec<Option<u8>>),
    /// Where, in degrees, and the address: the list's label of a typed
    /// address, or what was typed beside a pin (else its nearest address).
    Point {
        lat: f64,
        lon: f64,
        address: String,
    },
}

/// One person's answer to a consultation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Answer {
    pub consultation: ConsultationId,
    /// From 1, in the order received.
    pub number: u64,
    pub respondent: Respondent,
    pub at: i64,
    /// The reference shown on the confirmation page.
    pub receipt: String,
    /// Question id → value; a question left unanswered is absent.
    pub values: BTreeMap<u32, Value>,
    /// The questions with a condition that this person was asked (their
    /// condition met), answered or not: the base of those questions'
    /// percentages, which the values alone cannot give (an optional
    /// question left empty).
    pub shown: Vec<u32>,
    /// When its author last changed it (`edit.rs`), if ever.
    pub edited_at: Option<i64>,
}

impl Record for Answer {
    const NAME: &'static str = "consultation answer";
    /// 2: `shown` and `edited_at` (migration 21).
    const VERSION: u8 = 2;
}

/// What a signed-in person typed so far, kept between pages: the raw
/// fields, so that even what did not pass the checks comes back as typed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Draft {
    pub fields: BTreeMap<u32, Raw>,
    pub at: i64,
}

impl Record for Draft {
    const NAME: &'static str = "consultation draft";
    const VERSION: u8 = 1;
}

#[derive(Debug, thiserror::Error)]
pub enum ConsultationError {
    #[error("no such consultation")]
    NotFound,
    #[error("no such question")]
    NoSuchQuestion,
    #[error("the title is empty or too long")]
    BadTitle,
    #[error("a text is too long")]
    TooLong,
    #[error("the neighbourhood is not one of the commune's")]
    UnknownNeighbourhood,
    /// Not one of `accounts::AGE_BRACKETS`.
    #[error("the age bracket is not one of the brackets")]
    UnknownAgeBracket,
    #[error("the closing date is not after the opening date")]
    BadDates,
    #[error("the question is not valid: {0:?}")]
    BadQuestion(QuestionProblem),
    /// Answers exist: the question may only be hidden or its words
    /// corrected, never changed in meaning.
    #[error("answers exist: the question can only be corrected, added or hidden")]
    MeaningLocked,
    #[error("a consultation without questions cannot be published")]
    NoQuestions,
    /// Published already: it keeps its dates (close it early instead).
    #[error("already published")]
    AlreadyPublished,
    /// Answering outside the open dates, or closing what is not open.
    #[error("the consultation is not open")]
    NotOpen,
    /// Only signed-in residents may answer this one.
    #[error("sign in to answer")]
    SignInRequired,
    /// Only verified residents may answer this one.
    #[error("only residents whose account the town hall verified may answer this consultation")]
    NotVerified,
    /// One answer per account (or per browser for a visitor).
    #[error("already answered")]
    AlreadyAnswered,
    /// The answers do not pass the questions' rules: each field and why.
    #[error("{} answers are not valid", .0.len())]
    Invalid(Vec<(u32, FieldError)>),
    /// An outcome is published once the consultation has closed.
    #[error("the consultation is not closed yet")]
    NotClosed,
    /// An update needs an outcome published first.
    #[error("no outcome published yet")]
    NoOutcome,
    #[error("a required text is empty")]
    EmptyText,
    /// A signed link (to stop the outcome mails) whose signature does not
    /// match: forged, altered, or someone else's.
    #[error("the link is not valid")]
    LinkInvalid,
    /// Moving or changing a question would break another's condition
    /// (put it above the question it names, or take away the options it
    /// names): the question whose condition would break.
    #[error("question {0}'s condition would no longer hold")]
    BreaksCondition(u32),
    /// Changing an answer where the consultation does not allow it.
    #[error("answers to this consultation cannot be changed")]
    NotEditable,
    /// Changing an answer that was never sent.
    #[error("no answer to change")]
    NoAnswer,
    /// Hiding a question that others' conditions name (the first of them):
    /// refused rather than leaving conditions that can never be met.
    #[error("question {0}'s condition names this question")]
    HasDependents(u32),
    #[error("no randomness for a receipt: {0}")]
    Random(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(ConsultationError);

pub fn get(tx: &impl Tx, id: ConsultationId) -> Result<Option<Consultation>, StoreError> {
    crate::store::record(tx, CONSULTATION_BY_ID, id.get())
}

/// Every consultation, newest first (a commune holds a few dozen).
pub fn list(tx: &impl Tx) -> Result<Vec<Consultation>, StoreError> {
    let mut all = Vec::new();
    for row in tx.open(CONSULTATION_BY_ID)?.iter()?.rev() {
        all.push(decode::<Consultation>(row?.1.value())?);
    }
    Ok(all)
}

fn next_id(tx: &WriteTransaction) -> Result<ConsultationId, StoreError> {
    let mut counters = tx.open_table(CONSULTATION_COUNTER_BY_NAME)?;
    let id = counters.get("next_consultation")?.map(|v| v.value()).unwrap_or(1);
    counters.insert("next_consultation", id + 1)?;
    Ok(ConsultationId(id))
}

/// The one function that writes a consultation record, with its change-log
/// entry (search will index consultations from the log).
fn write(tx: &WriteTransaction, post: &Consultation) -> Result<(), StoreError> {
    tx.open_table(CONSULTATION_BY_ID)?.insert(post.id.get(), encode(post)?.as_slice())?;
    changes::record(tx, post.target())?;
    Ok(())
}

/// How many answers a consultation received (all, and those of visitors).
pub fn answer_count(tx: &impl Tx, id: ConsultationId) -> Result<(u64, u64), StoreError> {
    let counts = tx.open(CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?;
    let get = |option: u32| -> Result<u64, StoreError> {
        Ok(counts.get((id.get(), TOTALS, option))?.map(|v| v.value()).unwrap_or(0))
    };
    Ok((get(ALL_ANSWERS)?, get(VISITOR_ANSWERS)?))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kinds;

/// The accounts that answered consultation `id` (told before a private
/// consultation is opened to everyone).
pub fn respondent_accounts(tx: &impl Tx, id: ConsultationId) -> Result<Vec<AccountId>, StoreError> {
    let table = tx.open(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT)?;
    let mut out = Vec::new();
    for row in table.range((id.0, 0)..=(id.0, u64::MAX))? {
        out.push(AccountId(row?.0.value().1));
    }
    Ok(out)
}
