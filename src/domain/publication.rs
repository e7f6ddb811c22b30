//! What may be published of each process, given its phase and state: the
//! one place that says it, for the public API, the pages that call it and
//! the open-data export (`domain::opendata`, issue 15).
//!
//! The rules, each enforced by one function here:
//! - no vote count while a budget vote is open, unless the process itself
//!   says counts are shown during the vote ([`budget_counts_visible`], which
//!   is `budgets::Process::results_visible`); the anonymous ballots only
//!   after the close, once a secret vote's roll is sealed ([`budget_ballots`]);
//! - no consultation results before they are published, which is at the
//!   close ([`consultation_results_visible`]); its outcome once written;
//! - nothing of a process private to a pilot group ([`audience_public`]);
//! - nothing hidden, held for review or moderated ([`proposal`], [`report`]);
//!   no draft (consultations, budgets, meetings, news);
//! - no group under [`MIN_GROUP`] people in any breakdown ([`group_count`]):
//!   a count of five or fewer in a neighbourhood or a channel could name them;
//! - a name only when its owner chose to show it: a report's author who
//!   ticked « show my name », a proposal's author under the display name
//!   they chose for their contributions; never an email, an IP, an account
//!   id, nor staff's accounts (the town hall answers as the town hall).
//!
//! Each public view below is what a visitor may read of one record; the
//! API serialises them as they are, so a field added here is published.

use serde::Serialize;

use crate::domain::accounts::{self, AccountId};
use crate::domain::budgets::{self, Study};
use crate::domain::consultations::{self, Consultation, Kind as QuestionKind, Phase as ConsultationPhase};
use crate::domain::groups;
use crate::domain::ids::ReportId;
use crate::domain::meetings::{self, Meeting};
use crate::domain::news;
use crate::domain::proposals::{self, IdeaBox, Origin, Proposal, Supporters};
use crate::domain::reports::{self, Author, ProblemReport};
use crate::store::{StoreError, Tx};

/// Whether a process is everyone's, not private to a pilot group
/// (`domain::groups`): nothing of a private process is published, in any
/// view below, the API or the open-data export.
pub fn audience_public(tx: &impl Tx, process: groups::Process) -> Result<bool, StoreError> {
    groups::may_see(tx, groups::Viewer::PUBLIC, process)
}

/// The smallest group a breakdown shows: fewer people than this in a
/// neighbourhood, an age group or a channel could be recognised, so their
/// count is left out (the total still counts them).
pub const MIN_GROUP: u64 = 5;

/// A group's count in a breakdown, or `None` when it is too small to show.
pub fn group_count(n: u64) -> Option<u64> {
    (n >= MIN_GROUP).then_some(n)
}

/// An instant as RFC 3339 in UTC (`2026-11-30T13:05:00Z`): what the API
/// writes for every date.
pub fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix).map(|t| t.to_string()).unwrap_or_default()
}

/// A latitude and longitude.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    fn of((lat, lon): (f64, f64)) -> Point {
        Point { lat, lon }
    }
}

// ---------------------------------------------------------------- boxes

/// An idea box, as anyone reads it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicBox {
    pub id: u64,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub categories: Vec<String>,
    pub opens_at: String,
    pub closes_at: String,
    pub open: bool,
    /// `residents` or `verified-residents`.
    pub supporters: &'static str,
    /// Supports that put a proposal on the town hall's agenda (0: none).
    pub threshold: u64,
    pub created_at: String,
}

/// A box is public once created (a box has no draft), unless it is
/// private to a pilot group ([`audience_public`]); who created it (a staff
/// account) is not said.
pub fn idea_box(tx: &impl Tx, b: &IdeaBox, now: i64) -> Result<Option<PublicBox>, StoreError> {
    if !audience_public(tx, groups::Process::IdeaBox(b.id))? {
        return Ok(None);
    }
    Ok(Some(PublicBox {
        id: b.id.get(),
        title: b.title.clone(),
        description: b.description.clone(),
        categories: b.categories.clone(),
        opens_at: rfc3339(b.opens_at),
        closes_at: rfc3339(b.closes_at),
        open: b.is_open(now),
        supporters: match b.supporters {
            Supporters::Residents => "residents",
            Supporters::VerifiedResidents => "verified-residents",
        },
        threshold: b.threshold,
        created_at: rfc3339(b.created_at),
    }))
}

// ---------------------------------------------------------------- proposals

/// The town hall's answer to a proposal: who wrote it is the town hall.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicAnswer {
    pub text: String,
    pub at: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicMilestone {
    pub at: String,
    pub title: String,
    pub text: String,
    pub progress: u8,
}

/// A proposal, as anyone reads it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicProposal {
    pub id: u64,
    pub box_id: u64,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The name its author shows on their contributions; `None` once the
    /// account is erased, or for a workshop's idea (see `workshop`).
    pub author: Option<String>,
    /// The meeting whose workshop the idea came from.
    pub workshop: Option<u64>,
    pub category: Option<String>,
    pub neighbourhood: Option<String>,
    pub location: Option<Point>,
    /// `submitted`, `under-study`, `accepted`, `rejected`, `in-progress`, `done`.
    pub status: &'static str,
    pub answer: Option<PublicAnswer>,
    pub supports: u64,
    pub threshold_reached_at: Option<String>,
    pub milestones: Vec<PublicMilestone>,
    pub progress: u8,
    pub created_at: String,
    pub updated_at: String,
}

/// `p` as the public reads it, or `None` when it may not be published:
/// held for review, held or hidden by the moderators.
pub fn proposal(tx: &impl Tx, p: &Proposal) -> Result<Option<PublicProposal>, StoreError> {
    if !proposals::is_public(tx, p)? || !audience_public(tx, groups::Process::IdeaBox(p.box_id))? {
        return Ok(None);
    }
    let (author, workshop) = match p.origin {
        Some(Origin::Workshop(meeting)) => (None, Some(meeting.get())),
        None => (shown_name(tx, p.author)?, None),
    };
    Ok(Some(PublicProposal {
        id: p.id.get(),
        box_id: p.box_id.get(),
        title: p.title.clone(),
        body: p.body.clone(),
        author,
        workshop,
        category: p.category.clone(),
        neighbourhood: p.neighbourhood.clone(),
        location: p.location.map(Point::of),
        status: p.status.code(),
        answer: p.answer.as_ref().map(|a| PublicAnswer { text: a.text.clone(), at: rfc3339(a.at) }),
        supports: p.supports,
        threshold_reached_at: p.threshold_reached_at.map(rfc3339),
        milestones: p
            .milestones
            .iter()
            .map(|m| PublicMilestone {
                at: rfc3339(m.at),
                title: m.title.clone(),
                text: m.text.clone(),
                progress: m.progress,
            })
            .collect(),
        progress: p.progress(),
        created_at: rfc3339(p.created_at),
        updated_at: rfc3339(p.updated_at),
    }))
}

/// The display name of an account, as the pages show it beside its
/// contributions; `None` for an erased account or an empty name. Read
/// without the address, which is never needed here.
fn shown_name(tx: &impl Tx, id: AccountId) -> Result<Option<String>, StoreError> {
    match accounts::get_without_address(tx, id) {
        Ok(Some(a)) if !a.is_erased() && !a.display_name.is_empty() => Ok(Some(a.display_name)),
        Ok(_) | Err(accounts::AccountError::NotFound | accounts::AccountError::Erased) => Ok(None),
        Err(accounts::AccountError::Store(e)) => Err(e),
        Err(
            e @ (accounts::AccountError::EmailTaken
            | accounts::AccountError::InvalidEmail
            | accounts::AccountError::TokenInvalid
            | accounts::AccountError::OwnAccount
            | accounts::AccountError::NotAllowed
            | accounts::AccountError::Hash(_)),
        ) => Err(StoreError::Invalid(e.to_string())),
    }
}

// ---------------------------------------------------------------- reports

/// One entry of a report's public timeline, without names: staff speak
/// for the town hall, anyone else is « a resident ».
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicUpdate {
    pub at: String,
    pub town_hall: bool,
    pub status: Option<String>,
    pub category: Option<String>,
    pub text: String,
}

/// A problem report, as anyone reads it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicReport {
    pub id: u64,
    /// The code of its category in the configuration.
    pub category: String,
    /// The code of its status in the configuration.
    pub status: String,
    pub open: bool,
    pub location: Point,
    pub address: Option<String>,
    pub neighbourhood: Option<String>,
    pub description: String,
    /// The photos shown to the public, as paths on this site.
    pub photos: Vec<String>,
    /// The author's name, only when they chose to show it; another
    /// system's name (Open311 client) when it filed the report.
    pub author: Option<String>,
    /// Residents who said « me too ».
    pub supports: u64,
    pub created_at: String,
    pub updated_at: String,
    /// The public timeline, oldest first; only in the answer about one report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updates: Option<Vec<PublicUpdate>>,
}

/// Report `id` as the public reads it, `None` when it may not be
/// published (unconfirmed by its author, or hidden by staff) or when
/// `keep` leaves it out (a list's filters). With its timeline when
/// `timeline` is set.
pub fn report(
    tx: &impl Tx,
    settings: &crate::config::ReportSettings,
    id: ReportId,
    timeline: bool,
    keep: impl FnOnce(&ProblemReport) -> bool,
) -> Result<Option<PublicReport>, StoreError> {
    let Some(r) = reports::get_public(tx, id)?.filter(keep) else { return Ok(None) };
    let author = report_author(tx, &r)?;
    let photos = reports::shown_photos(tx, &r)?.into_iter().map(|f| format!("/signalements/photos/{f}")).collect();
    let updates = if timeline {
        Some(
            reports::timeline(tx, id)?
                .into_iter()
                .map(|u| PublicUpdate {
                    at: rfc3339(u.at),
                    town_hall: u.staff,
                    status: u.status,
                    category: u.category,
                    text: u.text,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(Some(public_report(settings, &r, author, photos, updates)))
}

/// The name a report's author is shown under, for its page, the API and
/// the export alike: the resident's display name or the name a visitor
/// gave, only when they ticked « show my name » (and the account is not
/// erased); another system's name (Open311 client) when it filed it.
pub fn report_author(tx: &impl Tx, r: &ProblemReport) -> Result<Option<String>, StoreError> {
    Ok(match &r.author {
        Author::Account(account) if r.show_name => shown_name(tx, *account)?,
        Author::Visitor { name, .. } if r.show_name => Some(name.clone()),
        Author::Open311 { client } => Some(client.clone()),
        Author::Account(_) | Author::Visitor { .. } => None,
    })
}

fn public_report(
    settings: &crate::config::ReportSettings,
    r: &ProblemReport,
    author: Option<String>,
    photos: Vec<String>,
    updates: Option<Vec<PublicUpdate>>,
) -> PublicReport {
    let (lat, lon) = r.position();
    PublicReport {
        id: r.id.get(),
        category: r.category.clone(),
        status: r.status.clone(),
        open: r.is_open(settings),
        location: Point { lat, lon },
        address: r.address.clone(),
        neighbourhood: r.neighbourhood.clone(),
        description: r.description.clone(),
        photos,
        author,
        supports: r.supports,
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        updates,
    }
}

// ---------------------------------------------------------------- consultations

/// Whether anyone may read that consultation `c` exists: once published.
pub fn consultation_listed(c: &Consultation) -> bool {
    c.published.is_some()
}

/// Whether `c`'s results may be shown to the public: they are published
/// when it closes (the results page says the same), never while it is open,
/// when partial counts would sway those who have not answered yet.
pub fn consultation_results_visible(c: &Consultation, now: i64) -> bool {
    c.phase(now) == ConsultationPhase::Closed
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicQuestion {
    pub id: u32,
    pub label: String,
    /// `info`, `short-text`, `long-text`, `single`, `multiple`, `scale`,
    /// `number`, `date`, `ranking`, `matrix`, `point`.
    pub kind: &'static str,
    /// The options of a choice, the items of a ranking, the rows of a matrix.
    pub options: Vec<String>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicCount {
    pub option: u32,
    pub count: u64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicQuestionResult {
    pub question: u32,
    pub answered: u64,
    pub counts: Vec<PublicCount>,
    pub average: Option<f64>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicResults {
    pub answers: u64,
    /// Answers typed in from paper forms and from interviews: a breakdown
    /// by channel, so left out under [`MIN_GROUP`].
    pub paper: Option<u64>,
    pub interview: Option<u64>,
    pub questions: Vec<PublicQuestionResult>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicOutcomeUpdate {
    pub text: String,
    pub at: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicOutcome {
    pub said: String,
    pub decided: String,
    pub published_at: String,
    pub updates: Vec<PublicOutcomeUpdate>,
}

/// A consultation, as anyone reads it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicConsultation {
    pub id: u64,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub neighbourhood: Option<String>,
    /// `anyone`, `signed-in` or `verified`.
    pub audience: &'static str,
    /// `forthcoming`, `open` or `closed`.
    pub phase: &'static str,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    pub questions: Vec<PublicQuestion>,
    /// Only once published (at the close).
    pub results: Option<PublicResults>,
    /// Only once the town hall wrote it, after the close.
    pub outcome: Option<PublicOutcome>,
    pub updated_at: String,
}

fn question_kind(k: &QuestionKind) -> (&'static str, Vec<String>) {
    match k {
        QuestionKind::Info => ("info", Vec::new()),
        QuestionKind::ShortText => ("short-text", Vec::new()),
        QuestionKind::LongText => ("long-text", Vec::new()),
        QuestionKind::Single { options, .. } => ("single", options.clone()),
        QuestionKind::Multiple { options, .. } => ("multiple", options.clone()),
        QuestionKind::Scale { .. } => ("scale", Vec::new()),
        QuestionKind::Number { .. } => ("number", Vec::new()),
        QuestionKind::Date => ("date", Vec::new()),
        QuestionKind::Ranking { items } => ("ranking", items.clone()),
        QuestionKind::Matrix { rows, .. } => ("matrix", rows.clone()),
        QuestionKind::Point => ("point", Vec::new()),
    }
}

/// `c` as the public reads it, `None` for a draft.
pub fn consultation(tx: &impl Tx, c: &Consultation, now: i64) -> Result<Option<PublicConsultation>, StoreError> {
    if !consultation_listed(c) || !audience_public(tx, groups::Process::Consultation(c.id))? {
        return Ok(None);
    }
    let visible = consultation_results_visible(c, now);
    let results = if visible {
        let r = consultations::results(tx, c)?;
        Some(PublicResults {
            answers: r.answers,
            paper: group_count(r.paper),
            interview: group_count(r.interview),
            questions: r
                .questions
                .iter()
                .map(|q| PublicQuestionResult {
                    question: q.question,
                    answered: q.answered,
                    counts: q.counts.iter().map(|n| PublicCount { option: n.option, count: n.count }).collect(),
                    average: q.average,
                })
                .collect(),
        })
    } else {
        None
    };
    let outcome = if visible {
        consultations::outcome(tx, c.id)?.map(|o| PublicOutcome {
            said: o.said,
            decided: o.decided,
            published_at: rfc3339(o.published_at),
            updates: o.updates.into_iter().map(|u| PublicOutcomeUpdate { text: u.text, at: rfc3339(u.at) }).collect(),
        })
    } else {
        None
    };
    Ok(Some(PublicConsultation {
        id: c.id.get(),
        title: c.title.clone(),
        summary: c.summary.clone(),
        body: c.body.clone(),
        neighbourhood: c.neighbourhood.clone(),
        audience: c.audience.code(),
        phase: c.phase(now).code(),
        opens_at: c.published.map(|d| rfc3339(d.opens_at)),
        closes_at: c.closes_at().map(rfc3339),
        questions: c
            .questions
            .iter()
            .filter(|q| !q.hidden)
            .map(|q| {
                let (kind, options) = question_kind(&q.kind);
                PublicQuestion { id: q.id, label: q.label.clone(), kind, options }
            })
            .collect(),
        results,
        outcome,
        updated_at: rfc3339(c.updated_at),
    }))
}

// ---------------------------------------------------------------- budgets

/// Whether vote counts of `p` may be shown now: after the close, or during
/// the vote only when the process says so (`results_during_vote`).
pub fn budget_counts_visible(p: &budgets::Process, now: i64) -> bool {
    p.results_visible(now)
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicPot {
    pub neighbourhood: Option<String>,
    pub amount_cents: u64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicProject {
    pub number: u64,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub proposed_cost_cents: u64,
    /// The cost on the ballot, once found feasible.
    pub cost_cents: Option<u64>,
    /// The index of its pot in `pots`.
    pub pot: usize,
    pub neighbourhood: Option<String>,
    pub category: String,
    pub location: Option<Point>,
    /// `pending`, `feasible` or `not-feasible`.
    pub study: &'static str,
    pub not_feasible_reason: Option<String>,
    /// The proposal it came from.
    pub from_proposal: Option<u64>,
    pub updated_at: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicLine {
    pub number: u64,
    pub votes: u64,
    pub cost_cents: u64,
    pub won: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicPotResult {
    pub pot: usize,
    /// Ballots that chose a project of this pot: a breakdown by pot (often a
    /// neighbourhood), left out under [`MIN_GROUP`].
    pub voters: Option<u64>,
    /// Best first; each project's votes are left out too when the pot's
    /// voters are (a handful of ballots could be told apart).
    pub lines: Vec<PublicLine>,
    pub winners: Vec<u64>,
    pub spent_cents: u64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicBudgetResults {
    pub ballots: u64,
    pub pots: Vec<PublicPotResult>,
}

/// A participatory budget process, as anyone reads it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicBudget {
    pub id: u64,
    pub title: String,
    /// Markdown.
    pub description: String,
    /// `forthcoming`, `submission`, `study`, `vote`, `results`, `follow-up`.
    pub phase: &'static str,
    pub submission_starts_at: String,
    pub study_starts_at: String,
    pub vote_starts_at: String,
    pub results_start_at: String,
    pub follow_up_starts_at: String,
    pub vote_closed_early_at: Option<String>,
    pub pots: Vec<PublicPot>,
    /// `signed-in` or `verified`.
    pub audience: &'static str,
    pub min_age: Option<u32>,
    /// `greedy`, `greedy-per-neighbourhood`, `equal-shares`.
    pub rule: &'static str,
    pub secret: bool,
    /// Only in the answer about one process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projects: Option<Vec<PublicProject>>,
    /// Only when counts may be shown ([`budget_counts_visible`]), and only
    /// in the answer about one process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<PublicBudgetResults>,
    pub updated_at: String,
}

/// `p` as the public reads it, `None` for a draft; with its projects and
/// (when visible) its results when `whole` is set.
pub fn budget(tx: &impl Tx, p: &budgets::Process, now: i64, whole: bool) -> Result<Option<PublicBudget>, StoreError> {
    if !p.is_public() || !audience_public(tx, groups::Process::Budget(p.id))? {
        return Ok(None);
    }
    let (projects, results) = if whole {
        let all = budgets::projects(tx, p.id)?;
        let results = if budget_counts_visible(p, now) {
            let o = budgets::outcome(p, &all, &budgets::tally(tx, p.id)?);
            Some(PublicBudgetResults {
                ballots: o.ballots,
                pots: o
                    .pots
                    .into_iter()
                    .map(|pot| {
                        let voters = group_count(pot.voters);
                        PublicPotResult {
                            pot: pot.pot,
                            voters,
                            lines: pot
                                .lines
                                .iter()
                                .map(|l| PublicLine {
                                    number: l.number,
                                    votes: if voters.is_some() { l.votes } else { 0 },
                                    cost_cents: l.cost,
                                    won: l.won,
                                })
                                .collect(),
                            winners: pot.winners,
                            spent_cents: pot.spent,
                        }
                    })
                    .collect(),
            })
        } else {
            None
        };
        let projects = all
            .iter()
            .map(|pr| {
                let (study, reason) = match &pr.study {
                    Study::Pending => ("pending", None),
                    Study::Feasible { .. } => ("feasible", None),
                    Study::NotFeasible { reason } => ("not-feasible", Some(reason.clone())),
                };
                PublicProject {
                    number: pr.number,
                    title: pr.title.clone(),
                    description: pr.description.clone(),
                    proposed_cost_cents: pr.proposed_cost_cents,
                    cost_cents: pr.ballot_cost(),
                    pot: pr.pot,
                    neighbourhood: pr.neighbourhood.clone(),
                    category: pr.category.clone(),
                    location: pr.coords.map(Point::of),
                    study,
                    not_feasible_reason: reason,
                    from_proposal: pr.from_proposal.map(|id| id.get()),
                    updated_at: rfc3339(pr.updated_at),
                }
            })
            .collect();
        (Some(projects), results)
    } else {
        (None, None)
    };
    Ok(Some(PublicBudget {
        id: p.id.get(),
        title: p.title.clone(),
        description: p.description.clone(),
        phase: p.phase(now).code(),
        submission_starts_at: rfc3339(p.starts[0]),
        study_starts_at: rfc3339(p.starts[1]),
        vote_starts_at: rfc3339(p.starts[2]),
        results_start_at: rfc3339(p.starts[3]),
        follow_up_starts_at: rfc3339(p.starts[4]),
        vote_closed_early_at: p.closed_early_at.map(rfc3339),
        pots: p
            .pots
            .iter()
            .map(|pot| PublicPot { neighbourhood: pot.neighbourhood.clone(), amount_cents: pot.amount_cents })
            .collect(),
        audience: p.audience.code(),
        min_age: p.min_age,
        rule: p.rule.code(),
        secret: p.secret,
        projects,
        results,
        updated_at: rfc3339(p.updated_at),
    }))
}

/// An anonymous ballot of a budget vote: what anyone may recount.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicBallot {
    /// The ballot's random id (32 hexadecimal digits), as the recount's CSV
    /// names it; it says nothing of who cast it.
    pub ballot: String,
    /// The commune's date it was cast, never a finer time.
    pub day: String,
    /// Project numbers, ascending.
    pub choices: Vec<u64>,
}

/// The anonymous ballots of `p`, or `None` while they may not be published:
/// before the close (they would be partial results) and, for a secret
/// vote, until its roll is sealed: until then the roll still links some
/// people to their ballots (sealed with the database's key), and nothing
/// of a secret ballot leaves the town hall while a link exists.
pub fn budget_ballots(tx: &impl Tx, p: &budgets::Process, now: i64) -> Result<Option<Vec<PublicBallot>>, StoreError> {
    if !p.is_public()
        || !audience_public(tx, groups::Process::Budget(p.id))?
        || !p.vote_closed(now)
        || (p.secret && budgets::sealed_at(tx, p.id)?.is_none())
    {
        return Ok(None);
    }
    Ok(Some(
        budgets::ballots(tx, p.id)?
            .into_iter()
            .map(|(id, b)| PublicBallot { ballot: id.to_string(), day: b.day, choices: b.choices })
            .collect(),
    ))
}

// ---------------------------------------------------------------- meetings

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicAccessibility {
    pub step_free: bool,
    pub hearing_loop: bool,
    pub sign_language: bool,
    pub note: String,
}

/// A meeting, as anyone reads it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicMeeting {
    pub id: u64,
    pub title: String,
    /// `public-meeting`, `workshop`, `council-session`, `neighbourhood-walk`.
    pub kind: &'static str,
    /// `published` or `cancelled`.
    pub status: &'static str,
    pub starts_at: String,
    pub ends_at: String,
    pub address: String,
    pub location: Option<Point>,
    pub online_url: Option<String>,
    pub neighbourhood: Option<String>,
    /// Markdown.
    pub agenda: String,
    pub accessibility: PublicAccessibility,
    pub organiser: String,
    pub registration: bool,
    pub seats: Option<u32>,
    /// The minutes (Markdown), once written.
    pub minutes: Option<String>,
    pub updated_at: String,
}

/// Meeting `m` as the public reads it, `None` for a draft.
pub fn meeting(tx: &impl Tx, m: &Meeting) -> Result<Option<PublicMeeting>, StoreError> {
    if !m.is_public() || !audience_public(tx, groups::Process::Meeting(m.id))? {
        return Ok(None);
    }
    let minutes = meetings::minutes(tx, m.id)?.map(|n| n.text);
    Ok(Some(PublicMeeting {
        id: m.id.get(),
        title: m.title.clone(),
        kind: m.kind.code(),
        status: m.status.code(),
        starts_at: rfc3339(m.starts_at),
        ends_at: rfc3339(m.ends_at),
        address: m.address.clone(),
        location: m.coords.map(Point::of),
        online_url: m.online_url.clone(),
        neighbourhood: m.neighbourhood.clone(),
        agenda: m.agenda.clone(),
        accessibility: PublicAccessibility {
            step_free: m.accessibility.step_free,
            hearing_loop: m.accessibility.hearing_loop,
            sign_language: m.accessibility.sign_language,
            note: m.accessibility.note.clone(),
        },
        organiser: m.organiser.clone(),
        registration: m.registration,
        seats: m.seats,
        minutes,
        updated_at: rfc3339(m.updated_at),
    }))
}

// ---------------------------------------------------------------- news

/// A news post, as anyone reads it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicNews {
    pub id: u64,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub published_at: String,
    pub updated_at: String,
    /// The illustration, as a path on this site, and its description.
    pub image: Option<String>,
    pub image_alt: Option<String>,
}

/// Post `p` as the public reads it, `None` while it is a draft (or withdrawn).
pub fn news_post(p: &news::Post) -> Option<PublicNews> {
    let published_at = p.published_at?;
    Some(PublicNews {
        id: p.id.get(),
        title: p.title.clone(),
        summary: p.summary.clone(),
        body: p.body.clone(),
        published_at: rfc3339(published_at),
        updated_at: rfc3339(p.updated_at),
        image: p.image.as_ref().map(|i| format!("/actualites/{}/images/{}", p.id.get(), i.file)),
        image_alt: p.image.as_ref().map(|i| i.alt.clone()),
    })
}

// ---------------------------------------------------------------- launch campaign

/// A neighbourhood's launch objective as anyone reads it: its sign-ups
/// (`None`: fewer than [`MIN_GROUP`], « moins de 5 ») against its target.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PublicObjective {
    pub neighbourhood: String,
    pub signed_up: Option<u64>,
    pub target: u64,
}

/// An objective as the public reads it: a count under five could name the
/// few people of a neighbourhood who signed up, so it is not given.
pub fn objective(o: &crate::domain::launch::Objective) -> PublicObjective {
    PublicObjective { neighbourhood: o.neighbourhood.clone(), signed_up: group_count(o.signed_up), target: o.target }
}

/// Whether the ideas a launch contest's jury chose may be published at
/// `now`: from the announcement day on (00:00 in the commune), never before,
/// so that the announcement stays the town hall's to make.
pub fn contest_awards_visible(contest: &crate::domain::launch::Contest, now: i64) -> bool {
    crate::domain::metrics::day_of(now) >= contest.announce_day
}

/// The launch contest's ideas marked « primée », as anyone reads them, and
/// the contest: `None` when there is no contest or before its announcement
/// day, or while its box is private to a pilot group. An idea hidden or
/// held since it was marked is left out.
pub fn contest_awards(
    tx: &impl Tx,
    now: i64,
) -> Result<Option<(crate::domain::launch::Contest, Vec<PublicProposal>)>, StoreError> {
    let Some(contest) = crate::domain::launch::campaign(tx)?.contest else { return Ok(None) };
    if !contest_awards_visible(&contest, now)
        || !crate::domain::groups::is_public(tx, crate::domain::groups::Process::IdeaBox(contest.box_id))?
    {
        return Ok(None);
    }
    let mut out = Vec::new();
    for id in crate::domain::launch::awarded(tx, contest.box_id)? {
        if let Some(p) = proposals::get(tx, id)? {
            if let Some(public) = proposal(tx, &p)? {
                out.push(public);
            }
        }
    }
    Ok(Some((contest, out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_under_five_is_left_out_of_a_breakdown() {
        assert_eq!(group_count(0), None);
        assert_eq!(group_count(4), None);
        assert_eq!(group_count(5), Some(5));
        assert_eq!(group_count(120), Some(120));
    }

    #[test]
    fn a_launch_objective_under_five_sign_ups_is_not_counted() {
        let o = |n| crate::domain::launch::Objective { neighbourhood: "La Gare".into(), target: 100, signed_up: n };
        assert_eq!(objective(&o(4)).signed_up, None);
        assert_eq!(objective(&o(64)).signed_up, Some(64));
        assert_eq!(objective(&o(64)).target, 100);
    }

    #[test]
    fn the_contests_ideas_are_published_from_the_announcement_day_on() {
        use crate::domain::metrics::{day_of, day_of_date};
        // 2026-06-15 00:30 in Paris is 2026-06-14 22:30 UTC.
        let announce_day = day_of_date(jiff::civil::date(2026, 6, 15));
        let contest = crate::domain::launch::Contest { box_id: crate::domain::ids::BoxId(1), announce_day };
        let just_after_midnight = 1_781_476_200;
        assert_eq!(day_of(just_after_midnight), announce_day);
        assert!(contest_awards_visible(&contest, just_after_midnight));
        assert!(!contest_awards_visible(&contest, just_after_midnight - 3600), "23:30 the day before");
        assert!(contest_awards_visible(&contest, just_after_midnight + 40 * 86_400));
    }

    #[test]
    fn dates_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_764_511_500), "2025-11-30T14:05:00Z");
    }
}
