//! The vote: the voter roll and the ballot box.
//!
//! A vote writes one row in the roll — (process, account) → the day and how
//! the person voted — and one ballot in the box — (process, random 128-bit
//! id) → the day and the chosen projects — in the same transaction: the roll
//! and the box always hold the same count, and the roll's key makes a second
//! vote by the same person impossible, on the web, on paper, or both at
//! once (the writer runs operations one after another).
//!
//! A ballot holds no account id and no time finer than the day, and its id
//! is random, so neither its key nor the table's order tells who cast it or
//! when within the day.
//!
//! Changing a vote, when the process allows it, needs to find the person's
//! ballot again. In a secret process the roll keeps the ballot's id sealed
//! with the database's key (`Keys::seal`, bound to the process and the
//! account): the database alone does not link a person to a ballot, but
//! whoever holds both the database and its key file could, until the close.
//! At the close these links are removed (`seal.rs`); until then only this
//! module reads them (`RollEntry::link` is private to the concept), so no
//! page, export or staff screen can show one.
//! A town hall that wants no such link at all leaves "changeable" off: then
//! the roll keeps nothing of the ballot, and a vote is final, as at a polling
//! station (Decidim and CONSUL keep the voter on the vote itself; neither is
//! a secret ballot). A paper ballot is always final: it is in the physical
//! box too. A process that is not secret keeps the ballot's id in clear.
//!
//! The roll has a second table for people on the commune's list who have
//! no account and vote at a polling table ([`Voter::Listed`], found by
//! their names and birth date, `polling.rs`). Their row is keyed by their
//! person key — the keyed hash of birth name, first names and birth date
//! that a verification of an account as this person keeps too (at the
//! counter or against the list) — so that if they create an account and
//! have it verified later, its web vote finds them on the roll and is
//! refused, as a vote by an account already on the roll is. The other ways
//! were worse: an account made for them needs an email they did not give,
//! and a mark on the list's row would go with the list, deleted at its
//! date, or replaced by a new import, while the vote is still open. The key
//! is a hash under the database's key, not a name, and says no more than
//! the roll's account ids: who voted, never how.

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::*;
use crate::crypto::Sealed;
use crate::domain::accounts;
use crate::domain::audit::{Action, Actor};
use crate::domain::verification::{self, lookup::PersonKey};
use crate::store::{decode, Keyed, WriteTx};

/// A ballot's random id, shown as 32 hexadecimal digits.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BallotId(pub u128);

impl std::fmt::Display for BallotId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl BallotId {
    fn random() -> Result<BallotId, BudgetError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| BudgetError::Random)?;
        Ok(BallotId(u128::from_le_bytes(bytes)))
    }
}

/// How a person voted.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Web,
    /// At a polling table, typed by staff.
    Paper,
}

/// What the roll keeps of a person's ballot (see the module's comment).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// Nothing: the vote is final.
    None,
    /// The ballot's id sealed for this process and account.
    Sealed(Sealed),
    /// The ballot's id in clear (a process that is not secret).
    Plain(u128),
}

/// A row of the voter roll.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RollEntry {
    /// `YYYY-MM-DD`, the commune's date.
    pub day: String,
    pub channel: Channel,
    /// Read only by this concept, to replace the ballot: no page, export or
    /// staff screen can show it, even sealed (see the module's comment),
    /// and it is removed at the close (`seal.rs`).
    pub(super) link: Link,
}

impl RollEntry {
    /// Whether this person's ballot can still be found to be replaced (the
    /// process must also allow changes, and the vote be open).
    pub fn replaceable(&self) -> bool {
        self.link != Link::None
    }
}

impl Record for RollEntry {
    const NAME: &'static str = "voter roll entry";
    const VERSION: u8 = 1;
}

/// A ballot in the box.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    /// `YYYY-MM-DD`, the commune's date: never a finer time.
    pub day: String,
    /// Project numbers, ascending.
    pub choices: Vec<u64>,
}

impl Record for Ballot {
    const NAME: &'static str = "ballot";
    const VERSION: u8 = 1;
}

/// What a vote did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voted {
    /// The person's earlier ballot was replaced.
    pub changed: bool,
}

/// The person's age as the town hall verified it, on `today`: `None` when
/// the account is not verified or was verified without a birth date (by
/// post), so a process with a minimum age refuses it with « votre âge n'est
/// pas vérifié » rather than letting anyone through.
pub fn verification_age(
    tx: &impl crate::store::Keyed,
    account: AccountId,
    today: jiff::civil::Date,
) -> Result<Option<u32>, StoreError> {
    crate::domain::verification::age_on(tx, account, today)
}

/// Who is on the roll: an account, or a person on the commune's list who
/// has none (see the module's comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Voter {
    Account(AccountId),
    Listed(PersonKey),
}

/// A voter's row of the roll, when they voted: an account's own, or the
/// one of the person it is verified as, when that person voted on paper
/// before they had an account.
pub fn roll_entry(tx: &impl Tx, id: ProcessId, voter: Voter) -> Result<Option<RollEntry>, StoreError> {
    let key = match voter {
        Voter::Account(account) => {
            if let Some(entry) = has_voted(tx, id, account)? {
                return Ok(Some(entry));
            }
            match verification::lookup::person_of(tx, account)? {
                Some(key) => key,
                None => return Ok(None),
            }
        }
        Voter::Listed(key) => key,
    };
    let table = tx.open(BUDGET_ROLL_BY_PROCESS_PERSON)?;
    let found = table.get((id.get(), &key))?;
    found.map(|b| decode(b.value())).transpose()
}

/// An account's own row of the roll, when it voted.
pub fn has_voted(tx: &impl Tx, id: ProcessId, account: AccountId) -> Result<Option<RollEntry>, StoreError> {
    let table = tx.open(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
    let found = table.get((id.get(), account.get()))?;
    found.map(|b| decode(b.value())).transpose()
}

/// How many people the roll holds for a process.
pub fn count_roll(tx: &impl Tx, id: ProcessId) -> Result<u64, StoreError> {
    let table = tx.open(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
    let mut n = 0;
    for row in table.range((id.get(), 0)..=(id.get(), u64::MAX))? {
        row?;
        n += 1;
    }
    let listed = tx.open(BUDGET_ROLL_BY_PROCESS_PERSON)?;
    for row in listed.range((id.get(), &[0u8; 32])..=(id.get(), &[u8::MAX; 32]))? {
        row?;
        n += 1;
    }
    Ok(n)
}

/// Every ballot of a process, in the order of their random ids.
pub fn ballots(tx: &impl Tx, id: ProcessId) -> Result<Vec<(BallotId, Ballot)>, StoreError> {
    let table = tx.open(BUDGET_BALLOT_BY_PROCESS_ID)?;
    let mut all = Vec::new();
    for row in table.range((id.get(), 0)..=(id.get(), u128::MAX))? {
        let (k, v) = row?;
        all.push((BallotId(k.value().1), decode(v.value())?));
    }
    Ok(all)
}

/// The choices of every ballot, for counting.
pub fn tally(tx: &impl Tx, id: ProcessId) -> Result<Vec<Vec<u64>>, StoreError> {
    Ok(ballots(tx, id)?.into_iter().map(|(_, b)| b.choices).collect())
}

/// The choices as kept (ascending, each once), or why the ballot is not
/// valid: a project not on the ballot, more than a pot holds, more than the
/// approval vote allows, or projects of two neighbourhoods' pots (a person
/// votes in their own neighbourhood and for the whole commune).
pub fn check_choices(p: &Process, projects: &[Project], choices: &[u64]) -> Result<Vec<u64>, BudgetError> {
    let mut kept: Vec<u64> = choices.to_vec();
    kept.sort_unstable();
    kept.dedup();
    if kept.is_empty() {
        return Err(BudgetError::Empty);
    }
    let mut spent = vec![0u64; p.pots.len()];
    let mut count = vec![0u32; p.pots.len()];
    let mut hood_pot: Option<usize> = None;
    for n in &kept {
        let project = projects.iter().find(|pr| pr.number == *n).ok_or(BudgetError::NotOnBallot)?;
        let cost = project.ballot_cost().ok_or(BudgetError::NotOnBallot)?;
        let pot = p.pots.get(project.pot).ok_or(BudgetError::NotOnBallot)?;
        if pot.neighbourhood.is_some() {
            if hood_pot.is_some_and(|h| h != project.pot) {
                return Err(BudgetError::SeveralNeighbourhoods);
            }
            hood_pot = Some(project.pot);
        }
        spent[project.pot] += cost;
        count[project.pot] += 1;
    }
    for (i, pot) in p.pots.iter().enumerate() {
        match p.style {
            Style::Basket if spent[i] > pot.amount_cents => return Err(BudgetError::OverBudget),
            Style::Approval { max } if count[i] > max => return Err(BudgetError::TooManyChoices),
            Style::Basket | Style::Approval { .. } => {}
        }
    }
    Ok(kept)
}

/// The total of the chosen projects in each pot (euro cents), for the
/// running total of a basket; unknown numbers count for nothing.
pub fn totals(p: &Process, projects: &[Project], choices: &[u64]) -> Vec<u64> {
    let mut spent = vec![0u64; p.pots.len()];
    for project in projects.iter().filter(|pr| choices.contains(&pr.number)) {
        if let (Some(cost), Some(slot)) = (project.ballot_cost(), spent.get_mut(project.pot)) {
            *slot += cost;
        }
    }
    spent
}

/// A person votes on the web (or changes their vote, when the process
/// allows it and they voted on the web).
pub fn vote(tx: &WriteTx, id: ProcessId, account: AccountId, choices: &[u64], now: i64) -> Result<Voted, BudgetError> {
    let p = load(tx, id)?;
    if p.phase(now) != Phase::Vote {
        return Err(BudgetError::Closed);
    }
    if !p.audience.admits(accounts::role_of(tx, account)?) {
        return Err(BudgetError::NotAllowed);
    }
    if let Some(min) = p.min_age {
        let today = jiff::Timestamp::from_second(now)
            .map(|ts| ts.to_zoned(crate::domain::meetings::paris()).date())
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        if verification_age(tx, account, today)?.is_none_or(|age| age < min) {
            return Err(BudgetError::AgeNotVerified);
        }
    }
    cast(tx, &p, Voter::Account(account), choices, Channel::Web, now)
}

/// Staff at a polling table type a person's paper ballot: the person is
/// marked on the roll as having voted, so that they cannot vote on the web
/// too, nor on paper twice. Staff check who the person is at the table, so
/// the web's audience check does not apply.
pub fn vote_on_paper(
    tx: &WriteTx,
    actor: &Actor,
    id: ProcessId,
    voter: AccountId,
    choices: &[u64],
    now: i64,
) -> Result<Voted, BudgetError> {
    let p = load(tx, id)?;
    if p.phase(now) != Phase::Vote {
        return Err(BudgetError::Closed);
    }
    if accounts::role_of(tx, voter)?.is_none() {
        return Err(BudgetError::NotAllowed);
    }
    let voted = cast(tx, &p, Voter::Account(voter), choices, Channel::Paper, now)?;
    audit_paper(tx, actor, id, now)?;
    Ok(voted)
}

/// The audit of a paper ballot. It names the staff member, not the voter:
/// the roll says who voted; the ballot keeps no time, so the event's time
/// leads to none.
pub(super) fn audit_paper(tx: &WriteTx, actor: &Actor, id: ProcessId, now: i64) -> Result<(), StoreError> {
    actor.record(tx, Action::BudgetChanged, None, format!("budget {id}: a paper ballot typed"), now)?;
    Ok(())
}

/// The projects a ballot names, read one by one: a vote decodes the few it
/// chose, not every project of the process with its description. A number
/// not on the ballot is left out (`check_choices` then refuses it).
fn chosen_projects(tx: &impl Tx, id: ProcessId, choices: &[u64]) -> Result<Vec<Project>, BudgetError> {
    let mut numbers: Vec<u64> = choices.to_vec();
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.len() as u64 > MAX_PROJECTS {
        return Err(BudgetError::NotOnBallot);
    }
    let table = tx.open(BUDGET_PROJECT_BY_PROCESS_NUMBER)?;
    let mut found = Vec::with_capacity(numbers.len());
    for n in numbers {
        if let Some(bytes) = table.get((id.get(), n))? {
            found.push(decode(bytes.value())?);
        }
    }
    Ok(found)
}

fn seal_context(id: ProcessId, account: AccountId) -> String {
    format!("budget-ballot:{id}:{account}")
}

pub(super) fn cast(
    tx: &WriteTx,
    p: &Process,
    voter: Voter,
    choices: &[u64],
    channel: Channel,
    now: i64,
) -> Result<Voted, BudgetError> {
    // A vote whose time was read just before the close, and that reaches
    // the writer after the seal, would put a link back: refused.
    if super::seal::sealed_at(tx, p.id)?.is_some() {
        return Err(BudgetError::Closed);
    }
    let kept = check_choices(p, &chosen_projects(tx, p.id, choices)?, choices)?;
    let day = day_of(now);
    // Only an account voting on the web may replace its ballot or keep a
    // sealed link to it (a paper ballot is final).
    let web_account = match (voter, channel) {
        (Voter::Account(account), Channel::Web) if p.changeable => Some(account),
        (Voter::Account(_) | Voter::Listed(_), Channel::Web | Channel::Paper) => None,
    };
    let earlier: Option<RollEntry> = roll_entry(tx, p.id, voter)?;
    let mut box_table = tx.open_table(BUDGET_BALLOT_BY_PROCESS_ID)?;
    let changed = match earlier {
        None => false,
        Some(entry) => {
            let replaceable = entry.channel == Channel::Web;
            let old = match (&entry.link, web_account.filter(|_| replaceable)) {
                (Link::Sealed(sealed), Some(account)) => {
                    let bytes = tx
                        .keys()
                        .open(&seal_context(p.id, account), sealed)
                        .map_err(|source| StoreError::Sealed { what: "ballot link", source })?;
                    let raw: [u8; 16] = bytes
                        .as_slice()
                        .try_into()
                        .map_err(|_| StoreError::Internal("a ballot link is not 16 bytes".into()))?;
                    u128::from_le_bytes(raw)
                }
                (Link::Plain(old), Some(_)) => *old,
                (Link::None, _) | (_, None) => return Err(BudgetError::AlreadyVoted),
            };
            box_table.remove((p.id.get(), old))?;
            true
        }
    };
    // A collision of two random 128-bit ids does not happen in practice;
    // drawing again costs nothing and keeps one ballot per row whatever.
    let mut ballot_id = BallotId::random()?;
    while box_table.get((p.id.get(), ballot_id.0))?.is_some() {
        ballot_id = BallotId::random()?;
    }
    let ballot = Ballot { day: day.clone(), choices: kept };
    box_table.insert((p.id.get(), ballot_id.0), encode(&ballot)?.as_slice())?;
    let link = match (p.secret, web_account) {
        (false, _) => Link::Plain(ballot_id.0),
        (true, Some(account)) => Link::Sealed(
            tx.keys()
                .seal(&seal_context(p.id, account), &ballot_id.0.to_le_bytes())
                .map_err(|source| StoreError::Sealed { what: "ballot link", source })?,
        ),
        (true, None) => Link::None,
    };
    let entry = RollEntry { day, channel, link };
    let group = match voter {
        Voter::Account(account) => {
            tx.open_table(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?
                .insert((p.id.get(), account.get()), encode(&entry)?.as_slice())?;
            super::turnout::group_of(tx, account)?
        }
        Voter::Listed(key) => {
            tx.open_table(BUDGET_ROLL_BY_PROCESS_PERSON)?.insert((p.id.get(), &key), encode(&entry)?.as_slice())?;
            // The list holds no neighbourhood nor age.
            crate::domain::consultations::Group::default()
        }
    };
    // A new person on the roll counts in their group; a changed vote is the
    // same person, counted already.
    if !changed {
        super::turnout::count_voter(tx, p.id, &group)?;
    }
    Ok(Voted { changed })
}
