//! The winners' follow-up (« suivi des projets lauréats »): once the vote is
//! closed and the results known, staff say where each winning project
//! stands — a status, a progress percentage and dated milestones — so that
//! residents see what became of their vote (as Decidim's "accountability"
//! component does, without its nested results: a commune's project is one
//! piece of work).
//!
//! One record per winner, milestones inside it: a project has a handful of
//! them, always read together. A winner staff have not touched yet reads as
//! « À l'étude », 0 %, no milestone ([`FollowUp::new`]).
//!
//! Each change is one operation, audited, refused with a typed error for a
//! project that did not win or before the results are known. Winners are
//! not stored: they are counted from the sealed ballot box
//! ([`super::outcome`]), which never changes after the close, so the check
//! is the same whenever it runs.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::*;
use crate::domain::audit::{Action, Actor};
use crate::store::decode;

/// The longest milestone text accepted, in characters: a short note, the
/// project's own page holds the long description.
pub const MAX_MILESTONE_TEXT: usize = 2_000;
/// The most milestones a project keeps: its timeline stays readable.
pub const MAX_MILESTONES: usize = 100;

/// Where a winning project stands.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// « À l'étude »: the services prepare it (plans, orders, permits).
    Studying,
    /// « En travaux ».
    InProgress,
    /// « Terminé ».
    Done,
    /// « Abandonné », with the reason, published: a commune that drops a
    /// project the residents chose owes them why.
    Abandoned { reason: String },
}

impl Status {
    pub fn code(&self) -> &'static str {
        match self {
            Status::Studying => "studying",
            Status::InProgress => "in-progress",
            Status::Done => "done",
            Status::Abandoned { .. } => "abandoned",
        }
    }
}

/// A dated step of the work (« Début des travaux », « Inauguration »).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    /// From 1 within the project, never reused: a link to a removed one
    /// does not land on another.
    pub id: u32,
    pub date: jiff::civil::Date,
    pub title: String,
    /// Short Markdown, written by staff.
    pub text: String,
}

/// What staff type for a milestone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneInput {
    pub date: jiff::civil::Date,
    pub title: String,
    pub text: String,
}

/// The follow-up of one winning project.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    pub process: ProcessId,
    pub number: u64,
    pub status: Status,
    /// 0 to 100.
    pub progress: u8,
    /// By date, then by id (the order they were added on the same day).
    pub milestones: Vec<Milestone>,
    pub next_milestone: u32,
    /// When staff last changed it; `None` until they do.
    pub updated_at: Option<i64>,
}

impl Record for FollowUp {
    const NAME: &'static str = "budget follow-up";
    const VERSION: u8 = 1;
}

impl FollowUp {
    /// A winner nobody has followed up yet.
    pub fn new(process: ProcessId, number: u64) -> FollowUp {
        FollowUp {
            process,
            number,
            status: Status::Studying,
            progress: 0,
            milestones: Vec::new(),
            next_milestone: 1,
            updated_at: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FollowUpError {
    #[error("no such budget process")]
    NotFound,
    #[error("no such project")]
    ProjectNotFound,
    /// The vote is not closed: nobody knows the winners yet.
    #[error("the results are not known yet")]
    NoResults,
    /// Only a winner is built and followed.
    #[error("the project did not win")]
    NotWinner,
    #[error("the progress is not between 0 and 100")]
    BadProgress,
    #[error("an abandoned project needs its reason")]
    NoReason,
    #[error("the milestone's title is empty or too long")]
    BadTitle,
    #[error("a text is too long")]
    TooLong,
    #[error("the project has too many milestones")]
    TooManyMilestones,
    #[error("no such milestone")]
    MilestoneNotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::redb_errors_into!(FollowUpError);

/// The winning projects' numbers, every pot's, counted from the ballot box.
/// Only meaningful once the vote is closed ([`Process::vote_closed`]).
pub fn winners(tx: &impl Tx, p: &Process) -> Result<Vec<u64>, StoreError> {
    let all = projects(tx, p.id)?;
    let ballots = tally(tx, p.id)?;
    let mut won: Vec<u64> = outcome(p, &all, &ballots).pots.into_iter().flat_map(|o| o.winners).collect();
    won.sort_unstable();
    Ok(won)
}

/// A project's follow-up as stored, or `None` when staff have not written
/// one.
pub fn follow_up(tx: &impl Tx, process: ProcessId, number: u64) -> Result<Option<FollowUp>, StoreError> {
    let table = tx.open(BUDGET_FOLLOW_UP_BY_PROCESS_NUMBER)?;
    let found = table.get((process.get(), number))?;
    found.map(|b| decode(b.value())).transpose()
}

/// The winners with their follow-up (a default one where staff wrote none),
/// by project number; empty before the close.
pub fn follow_ups(tx: &impl Tx, p: &Process, now: i64) -> Result<Vec<(Project, FollowUp)>, StoreError> {
    if !p.vote_closed(now) {
        return Ok(Vec::new());
    }
    let won = winners(tx, p)?;
    let mut all = Vec::with_capacity(won.len());
    for pr in projects(tx, p.id)?.into_iter().filter(|pr| won.binary_search(&pr.number).is_ok()) {
        let f = follow_up(tx, p.id, pr.number)?.unwrap_or_else(|| FollowUp::new(p.id, pr.number));
        all.push((pr, f));
    }
    Ok(all)
}

/// The follow-up a change starts from, after the checks every change
/// shares: the process exists, its vote is closed, the project won.
fn followed(tx: &WriteTransaction, id: ProcessId, number: u64, now: i64) -> Result<FollowUp, FollowUpError> {
    let p = get(tx, id)?.ok_or(FollowUpError::NotFound)?;
    project(tx, id, number)?.ok_or(FollowUpError::ProjectNotFound)?;
    if !p.vote_closed(now) {
        return Err(FollowUpError::NoResults);
    }
    if !winners(tx, &p)?.contains(&number) {
        return Err(FollowUpError::NotWinner);
    }
    Ok(follow_up(tx, id, number)?.unwrap_or_else(|| FollowUp::new(id, number)))
}

/// The one function that writes a follow-up, with its audit event.
fn save(tx: &WriteTransaction, actor: &Actor, f: &mut FollowUp, what: &str, now: i64) -> Result<(), FollowUpError> {
    f.updated_at = Some(now);
    f.milestones.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    tx.open_table(BUDGET_FOLLOW_UP_BY_PROCESS_NUMBER)?.insert((f.process.get(), f.number), encode(f)?.as_slice())?;
    let detail = format!("budget {}: project {} follow-up: {what}", f.process, f.number);
    actor.record(tx, Action::BudgetChanged, None, detail, now)?;
    Ok(())
}

/// Staff set where a winner stands. A finished project is at 100 %
/// whatever was typed: « Terminé » beside a bar at 60 % would say two
/// things at once.
pub fn set_status(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ProcessId,
    number: u64,
    status: Status,
    progress: u8,
    now: i64,
) -> Result<(), FollowUpError> {
    if progress > 100 {
        return Err(FollowUpError::BadProgress);
    }
    let status = match status {
        Status::Abandoned { reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(FollowUpError::NoReason);
            }
            if reason.chars().count() > MAX_MILESTONE_TEXT {
                return Err(FollowUpError::TooLong);
            }
            Status::Abandoned { reason: reason.to_string() }
        }
        other => other,
    };
    let mut f = followed(tx, id, number, now)?;
    f.progress = if status == Status::Done { 100 } else { progress };
    f.status = status;
    let what = format!("status {}, {} %", f.status.code(), f.progress);
    save(tx, actor, &mut f, &what, now)
}

fn checked(m: &MilestoneInput) -> Result<MilestoneInput, FollowUpError> {
    let title = m.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(FollowUpError::BadTitle);
    }
    if m.text.chars().count() > MAX_MILESTONE_TEXT {
        return Err(FollowUpError::TooLong);
    }
    Ok(MilestoneInput { date: m.date, title: title.to_string(), text: m.text.trim().to_string() })
}

/// Staff add a milestone to a winner; returns its id.
pub fn add_milestone(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ProcessId,
    number: u64,
    input: &MilestoneInput,
    now: i64,
) -> Result<u32, FollowUpError> {
    let m = checked(input)?;
    let mut f = followed(tx, id, number, now)?;
    if f.milestones.len() >= MAX_MILESTONES {
        return Err(FollowUpError::TooManyMilestones);
    }
    let milestone = f.next_milestone;
    f.next_milestone += 1;
    f.milestones.push(Milestone { id: milestone, date: m.date, title: m.title, text: m.text });
    save(tx, actor, &mut f, &format!("milestone {milestone} added"), now)?;
    Ok(milestone)
}

/// Staff correct a milestone.
pub fn update_milestone(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ProcessId,
    number: u64,
    milestone: u32,
    input: &MilestoneInput,
    now: i64,
) -> Result<(), FollowUpError> {
    let m = checked(input)?;
    let mut f = followed(tx, id, number, now)?;
    let found = f.milestones.iter_mut().find(|x| x.id == milestone).ok_or(FollowUpError::MilestoneNotFound)?;
    found.date = m.date;
    found.title = m.title;
    found.text = m.text;
    save(tx, actor, &mut f, &format!("milestone {milestone} edited"), now)
}

/// Staff remove a milestone (written by mistake, or a date that no longer
/// holds: the journal keeps that it was there).
pub fn remove_milestone(
    tx: &WriteTransaction,
    actor: &Actor,
    id: ProcessId,
    number: u64,
    milestone: u32,
    now: i64,
) -> Result<(), FollowUpError> {
    let mut f = followed(tx, id, number, now)?;
    let before = f.milestones.len();
    f.milestones.retain(|x| x.id != milestone);
    if f.milestones.len() == before {
        return Err(FollowUpError::MilestoneNotFound);
    }
    save(tx, actor, &mut f, &format!("milestone {milestone} removed"), now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::budgets::tests::settings;
    use crate::domain::budgets::{add_project, create, publish, set_study, vote};
    use crate::store::Store;

    const DAY: i64 = 86_400;
    /// After the vote's close (day 40), before the follow-up phase.
    const RESULTS: i64 = 45 * DAY;

    fn date(s: &str) -> jiff::civil::Date {
        s.parse().unwrap()
    }

    fn milestone(d: &str, title: &str) -> MilestoneInput {
        MilestoneInput { date: date(d), title: title.into(), text: "Les **travaux** avancent.".into() }
    }

    /// A greedy process whose commune pot (100 000 €) holds « Parc »
    /// (1, 60 000 €) and « Pistes » (2, 50 000 €): three people vote for
    /// the park, one for the paths; the park wins, the paths no longer fit.
    async fn process(store: &Store) -> ProcessId {
        let mut people = Vec::new();
        for i in 0..4 {
            let new = crate::domain::accounts::tests::new(&format!("p{i}@example.test"));
            people.push(store.write(move |tx| crate::domain::accounts::create(tx, &new)).await.unwrap());
        }
        store
            .write(move |tx| {
                let actor = Actor::command_line();
                let hoods = ["Centre".to_string(), "Les Vignes".to_string()];
                let id = create(tx, &hoods, &actor, &settings(Style::Basket, Rule::Greedy, false), DAY)?;
                for (title, cost) in [("Parc", 6_000_000), ("Pistes", 5_000_000)] {
                    let d = ProjectDetails {
                        title: title.into(),
                        description: String::new(),
                        proposed_cost_cents: cost,
                        pot: 0,
                        neighbourhood: None,
                        category: String::new(),
                        coords: None,
                    };
                    let n = add_project(tx, &hoods, &actor, id, &d, 21 * DAY)?;
                    set_study(tx, &actor, id, n, Study::Feasible { cost_cents: cost }, 21 * DAY)?;
                }
                publish(tx, &actor, id, 21 * DAY)?;
                for (i, who) in people.iter().enumerate() {
                    vote(tx, id, *who, &[if i < 3 { 1 } else { 2 }], 35 * DAY)?;
                }
                Ok::<_, BudgetError>(id)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn only_a_winner_is_followed_after_the_close_and_its_milestones_stay_in_date_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("b.redb"), 8).unwrap();
        let id = process(&store).await;
        let at = |now: i64, number: u64, status: Status, progress: u8| {
            store.write(move |tx| {
                Ok::<_, StoreError>(set_status(tx, &Actor::command_line(), id, number, status.clone(), progress, now))
            })
        };
        // During the vote nobody knows the winners.
        let r = at(35 * DAY, 1, Status::InProgress, 10).await.unwrap();
        assert!(matches!(r, Err(FollowUpError::NoResults)), "{r:?}");
        // After it, the paths did not win; a project that does not exist is
        // not found.
        let r = at(RESULTS, 2, Status::InProgress, 10).await.unwrap();
        assert!(matches!(r, Err(FollowUpError::NotWinner)), "{r:?}");
        let r = at(RESULTS, 9, Status::InProgress, 10).await.unwrap();
        assert!(matches!(r, Err(FollowUpError::ProjectNotFound)), "{r:?}");
        let r = at(RESULTS, 1, Status::InProgress, 101).await.unwrap();
        assert!(matches!(r, Err(FollowUpError::BadProgress)), "{r:?}");
        let r = at(RESULTS, 1, Status::Abandoned { reason: "  ".into() }, 0).await.unwrap();
        assert!(matches!(r, Err(FollowUpError::NoReason)), "{r:?}");
        at(RESULTS, 1, Status::InProgress, 40).await.unwrap().unwrap();

        let ms = [milestone("2027-06-01", "Inauguration"), milestone("2027-03-15", "Début des travaux")];
        let added = store
            .write(move |tx| {
                let actor = Actor::command_line();
                let a = add_milestone(tx, &actor, id, 1, &ms[0], RESULTS)?;
                let b = add_milestone(tx, &actor, id, 1, &ms[1], RESULTS)?;
                Ok::<_, FollowUpError>((a, b))
            })
            .await
            .unwrap();
        assert_eq!(added, (1, 2));
        let r = store
            .write(move |tx| {
                Ok::<_, StoreError>(add_milestone(
                    tx,
                    &Actor::command_line(),
                    id,
                    1,
                    &milestone("2027-01-01", " "),
                    RESULTS,
                ))
            })
            .await
            .unwrap();
        assert!(matches!(r, Err(FollowUpError::BadTitle)), "{r:?}");

        let tx = store.read().unwrap();
        let p = get(&tx, id).unwrap().unwrap();
        assert_eq!(winners(&tx, &p).unwrap(), vec![1]);
        let all = follow_ups(&tx, &p, RESULTS).unwrap();
        assert_eq!(all.len(), 1, "only the winner");
        let f = &all[0].1;
        assert_eq!((f.status.clone(), f.progress), (Status::InProgress, 40));
        let titles: Vec<&str> = f.milestones.iter().map(|m| m.title.as_str()).collect();
        assert_eq!(titles, ["Début des travaux", "Inauguration"], "by date, not by the order typed");
        assert!(follow_ups(&tx, &p, 35 * DAY).unwrap().is_empty(), "nothing before the close");
        drop(tx);

        // Finished: 100 % whatever was typed; a milestone removed is gone
        // and its id is not given again.
        at(RESULTS, 1, Status::Done, 60).await.unwrap().unwrap();
        let next = store
            .write(move |tx| {
                let actor = Actor::command_line();
                remove_milestone(tx, &actor, id, 1, 2, RESULTS)?;
                let again = remove_milestone(tx, &actor, id, 1, 2, RESULTS);
                assert!(matches!(again, Err(FollowUpError::MilestoneNotFound)), "{again:?}");
                update_milestone(tx, &actor, id, 1, 1, &milestone("2027-06-02", "Fête du parc"), RESULTS)?;
                add_milestone(tx, &actor, id, 1, &milestone("2027-07-01", "Bilan"), RESULTS)
            })
            .await
            .unwrap();
        assert_eq!(next, 3);
        let tx = store.read().unwrap();
        let f = follow_up(&tx, id, 1).unwrap().unwrap();
        assert_eq!((f.status, f.progress), (Status::Done, 100));
        let got: Vec<(u32, &str)> = f.milestones.iter().map(|m| (m.id, m.title.as_str())).collect();
        assert_eq!(got, [(1, "Fête du parc"), (3, "Bilan")]);
        let audited: Vec<String> = crate::domain::audit::list(&tx, &Default::default(), None, 100)
            .unwrap()
            .into_iter()
            .map(|(_, e)| e.detail)
            .collect();
        assert!(audited.iter().any(|d| d.ends_with("project 1 follow-up: milestone 2 removed")), "{audited:?}");
    }
}
