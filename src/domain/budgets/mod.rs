//! Participatory budgets (« budget participatif »): the town hall sets
//! aside money, residents propose projects, the services study them,
//! residents vote, the winners are built and followed.
//!
//! A process has five dated phases (submission, study, vote, results,
//! follow-up); the phase of the moment follows from the dates, and staff may
//! close the vote early (`staff.rs`). Its money is split into pots
//! ([`Pot`]): one for the whole commune and/or one per neighbourhood; each
//! project draws on one pot. Staff write the projects and their feasibility
//! study (`projects.rs`).
//!
//! The vote (`ballot.rs`) writes the voter roll (who voted) and the ballot
//! box (what was chosen) in one transaction; a ballot carries no account, no
//! time finer than the day and a random key. The results (`results.rs`) are
//! pure functions of the box: greedy by votes, greedy with one project per
//! neighbourhood, and the Method of Equal Shares.

mod ballot;
mod export;
pub mod follow_up;
mod polling;
mod projects;
pub mod results;
mod seal;
mod staff;
mod summary;
pub mod tables;
mod turnout;

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

pub use self::ballot::{
    ballots, check_choices, count_roll, has_voted, roll_entry, tally, totals, verification_age, vote, vote_on_paper,
    Ballot, BallotId, Channel, Link, RollEntry, Voted, Voter,
};
pub use self::export::{ballots_csv, projects_csv};
pub use self::follow_up::{FollowUp, FollowUpError, Milestone, MilestoneInput, Status};
pub use self::polling::{at_table, vote_on_paper_by_person, AtTable};
pub use self::projects::{
    add_project, change_photos, import_proposal, names_photo, project, projects, set_photos, set_study, unnamed_files,
    update_project, PhotoChange, PhotoClash, Project, ProjectDetails, ProjectPhoto, Study, MAX_PHOTOS,
};
pub use self::results::{outcome, Outcome, PotOutcome, Rule};
pub use self::seal::{links_left, seal, seal_closed, sealed_at};
pub use self::staff::{close_vote, create, publish, update, Settings};
pub use self::summary::{backfill as backfill_summaries, voting, Summary};
pub use self::turnout::{backfill as backfill_turnout, participation, recount as recount_turnout};
use super::accounts::{AccountId, Role};
use crate::store::{encode, Record, StoreError, Tx};
use tables::*;

/// The longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest description accepted, in characters.
pub const MAX_TEXT: usize = 20_000;
/// The most pots a process splits its money into (a commune's
/// neighbourhoods and the whole commune).
pub const MAX_POTS: usize = 50;
/// The most projects a process takes: a ballot lists them all on one page.
pub const MAX_PROJECTS: u64 = 500;
/// The largest amount a pot or a project holds, in cents (1 billion euros):
/// sums of amounts then never overflow.
pub const MAX_CENTS: u64 = 100_000_000_000;

/// A participatory budget process.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(transparent)]
pub struct ProcessId(pub u64);

impl ProcessId {
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for ProcessId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The phases, in the order they follow each other.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Written by staff, not published.
    Draft,
    /// Published, before the submission of projects opens.
    Forthcoming,
    /// Residents propose projects (« dépôt des projets »).
    Submission,
    /// The services study each project (« analyse »).
    Study,
    /// Residents vote.
    Vote,
    /// The vote is closed; the winners are known.
    Results,
    /// The winners are being built (« suivi »).
    FollowUp,
}

impl Phase {
    /// The dated phases, in order: `Process::starts` holds their starts.
    pub const DATED: [Phase; 5] = [Phase::Submission, Phase::Study, Phase::Vote, Phase::Results, Phase::FollowUp];

    pub fn code(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Forthcoming => "forthcoming",
            Phase::Submission => "submission",
            Phase::Study => "study",
            Phase::Vote => "vote",
            Phase::Results => "results",
            Phase::FollowUp => "follow-up",
        }
    }
}

/// Who may vote on the web. Nobody votes as a visitor: one person, one vote
/// needs an account at least.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    SignedIn,
    /// Residents whose account the town hall verified (and staff).
    Verified,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::SignedIn => "signed-in",
            Audience::Verified => "verified",
        }
    }

    pub fn from_code(code: &str) -> Option<Audience> {
        [Audience::SignedIn, Audience::Verified].into_iter().find(|a| a.code() == code)
    }

    pub fn admits(self, role: Option<Role>) -> bool {
        match self {
            Audience::SignedIn => role.is_some(),
            Audience::Verified => role.is_some_and(|r| r >= Role::VerifiedResident),
        }
    }
}

/// How a ballot is filled in.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// « Panier »: projects whose costs add up to the pot at most.
    Basket,
    /// Up to `max` projects in each pot, whatever they cost.
    Approval { max: u32 },
}

/// A share of the money: the whole commune's (`neighbourhood: None`) or a
/// neighbourhood's.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Pot {
    pub neighbourhood: Option<String>,
    /// In euro cents.
    pub amount_cents: u64,
}

/// The phase at `now` of a process published at `published_at`, with its
/// dated phases' `starts`, closed early at `closed_early_at`: the last dated
/// phase started, the vote ending when staff closed it early.
fn phase_at(published_at: Option<i64>, starts: &[i64; 5], closed_early_at: Option<i64>, now: i64) -> Phase {
    if published_at.is_none() {
        return Phase::Draft;
    }
    let mut phase = Phase::Forthcoming;
    for (p, start) in Phase::DATED.iter().zip(starts) {
        if now >= *start {
            phase = *p;
        }
    }
    if phase == Phase::Vote && closed_early_at.is_some_and(|t| now >= t) {
        phase = Phase::Results;
    }
    phase
}

/// A process.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Process {
    pub id: ProcessId,
    pub title: String,
    /// Markdown, written by staff.
    pub description: String,
    /// Unix seconds at which each of [`Phase::DATED`] starts, in order.
    pub starts: [i64; 5],
    /// When staff closed the vote before its date.
    pub closed_early_at: Option<i64>,
    pub pots: Vec<Pot>,
    pub audience: Audience,
    /// The youngest age allowed to vote, when the process sets one.
    pub min_age: Option<u32>,
    pub style: Style,
    /// Whether a person may change their vote until the close.
    pub changeable: bool,
    pub rule: Rule,
    /// A project with fewer votes does not win, whatever the rule.
    pub min_votes: u64,
    /// Whether the ballot is secret (see `ballot.rs`).
    pub secret: bool,
    /// Whether counts are shown while the vote is open. Off by default: nobody,
    /// staff included, sees partial results.
    pub results_during_vote: bool,
    pub published_at: Option<i64>,
    /// The number the next project gets (from 1, never reused: the tie rule
    /// names the lower number).
    pub next_project: u64,
    pub created_by: AccountId,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Record for Process {
    const NAME: &'static str = "budget process";
    const VERSION: u8 = 1;
}

impl Process {
    /// The phase at `now`: the last dated phase started, the vote ending
    /// when staff closed it early.
    pub fn phase(&self, now: i64) -> Phase {
        phase_at(self.published_at, &self.starts, self.closed_early_at, now)
    }

    /// Whether the vote is over (results may be counted and shown).
    pub fn vote_closed(&self, now: i64) -> bool {
        self.phase(now) >= Phase::Results
    }

    /// Whether counts may be shown now, to anyone: after the close, or during
    /// the vote when the process says so. Staff see no more than residents.
    pub fn results_visible(&self, now: i64) -> bool {
        self.vote_closed(now) || (self.results_during_vote && self.phase(now) == Phase::Vote)
    }

    /// The start of a dated phase.
    pub fn start_of(&self, phase: Phase) -> Option<i64> {
        Phase::DATED.iter().position(|p| *p == phase).map(|i| self.starts[i])
    }

    pub fn is_public(&self) -> bool {
        self.published_at.is_some()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
    #[error("no such budget process")]
    NotFound,
    #[error("no such project")]
    ProjectNotFound,
    #[error("the title is empty or too long")]
    BadTitle,
    #[error("a text is too long")]
    TooLong,
    #[error("the phases' dates are not in order")]
    BadDates,
    #[error("a pot is not one of the commune's neighbourhoods, is there twice, or its amount is not valid")]
    BadPots,
    #[error("an amount is zero or too large")]
    BadAmount,
    #[error("the approval vote's number of projects is zero")]
    BadMax,
    #[error("the neighbourhood is not one of the commune's")]
    UnknownNeighbourhood,
    #[error("already published")]
    AlreadyPublished,
    /// Staff changing the rules once the vote opened would change what
    /// people voted under.
    #[error("the vote has begun: the rules cannot change")]
    Frozen,
    #[error("the process takes no more projects")]
    TooManyProjects,
    /// The vote is not open (not yet, or over).
    #[error("the vote is not open")]
    Closed,
    /// The person's account is not in the process's audience.
    #[error("only verified residents may vote in this process")]
    NotAllowed,
    /// A minimum age is set and the person's age is not known to be enough.
    #[error("the person's age is not verified")]
    AgeNotVerified,
    #[error("already voted")]
    AlreadyVoted,
    #[error("a vote cannot be changed in this process")]
    NotChangeable,
    #[error("a chosen project is not on the ballot")]
    NotOnBallot,
    #[error("the chosen projects cost more than the pot")]
    OverBudget,
    #[error("more projects chosen than allowed")]
    TooManyChoices,
    #[error("projects chosen in more than one neighbourhood")]
    SeveralNeighbourhoods,
    #[error("no project chosen")]
    Empty,
    #[error("the proposal to import does not exist")]
    NoSuchProposal,
    #[error("a photo has no text alternative")]
    NoAlt,
    #[error("too many photos")]
    TooManyPhotos,
    /// At a polling table: nobody on the commune's list nor verified has
    /// these names and birth date.
    #[error("nobody found with these names and birth date")]
    UnknownPerson,
    #[error("no randomness for a ballot id")]
    Random,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(BudgetError);

pub fn get(tx: &impl Tx, id: ProcessId) -> Result<Option<Process>, StoreError> {
    crate::store::record(tx, BUDGET_PROCESS_BY_ID, id.get())
}

/// Every process, the latest first (a commune runs one a year).
pub fn list(tx: &impl Tx) -> Result<Vec<Process>, StoreError> {
    let mut all = Vec::new();
    for row in tx.open(BUDGET_PROCESS_BY_ID)?.iter()?.rev() {
        let (_, bytes) = row?;
        all.push(crate::store::decode(bytes.value())?);
    }
    Ok(all)
}

fn next_id(tx: &WriteTransaction) -> Result<ProcessId, StoreError> {
    let mut counters = tx.open_table(BUDGET_COUNTER_BY_NAME)?;
    let id = counters.get("next_process")?.map(|v| v.value()).unwrap_or(1);
    counters.insert("next_process", id + 1)?;
    Ok(ProcessId(id))
}

/// The one function that writes a process record, and its summary.
fn write(tx: &WriteTransaction, p: &Process) -> Result<(), StoreError> {
    tx.open_table(BUDGET_PROCESS_BY_ID)?.insert(p.id.get(), encode(p)?.as_slice())?;
    summary::keep(tx, p)?;
    Ok(())
}

fn load(tx: &impl Tx, id: ProcessId) -> Result<Process, BudgetError> {
    get(tx, id)?.ok_or(BudgetError::NotFound)
}

/// The commune's date of an instant, `YYYY-MM-DD` in Paris: the only time a
/// ballot and the roll keep.
pub fn day_of(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|ts| ts.to_zoned(super::meetings::paris()).date().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;

/// The accounts that voted in budget `id` online (told before a private
/// budget is opened to everyone).
pub fn contributor_accounts(tx: &impl Tx, id: ProcessId) -> Result<Vec<AccountId>, StoreError> {
    let table = tx.open(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
    let mut out = Vec::new();
    for row in table.range((id.0, 0)..=(id.0, u64::MAX))? {
        out.push(AccountId(row?.0.value().1));
    }
    Ok(out)
}
