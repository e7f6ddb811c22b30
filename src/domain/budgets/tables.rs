//! Tables of the budgets concept.
//!
//! The roll and the box are two tables on purpose: the roll says who voted,
//! the box what was chosen, and nothing in the box's keys or values leads to
//! the roll (see `ballot.rs`).

use std::collections::BTreeMap;

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::{Ballot, FollowUp, Process, Project};
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// ProcessId → Process.
pub const BUDGET_PROCESS_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("budget_process_by_id");
/// (ProcessId, project number from 1) → Project.
pub const BUDGET_PROJECT_BY_PROCESS_NUMBER: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("budget_project_by_process_number");
/// (ProcessId, AccountId) → RollEntry: the voter roll, one row per person
/// and process, checked and written in the vote's transaction.
pub const BUDGET_ROLL_BY_PROCESS_ACCOUNT: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("budget_roll_by_process_account");
/// (ProcessId, random 128-bit ballot id) → Ballot: the ballot box. The id is
/// drawn from the system's randomness, so the keys' order says nothing of
/// the order people voted in.
pub const BUDGET_BALLOT_BY_PROCESS_ID: TableDefinition<(u64, u128), &[u8]> =
    TableDefinition::new("budget_ballot_by_process_id");
/// Counter name → value: `next_process`; `sealed:<ProcessId>` → the Unix
/// time its roll was sealed (`seal.rs`).
pub const BUDGET_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("budget_counter_by_name");
/// (ProcessId, project number) → FollowUp: a winner's status, progress and
/// milestones, once staff wrote them (`follow_up.rs`).
pub const BUDGET_FOLLOW_UP_BY_PROCESS_NUMBER: TableDefinition<(u64, u64), &[u8]> =
    TableDefinition::new("budget_follow_up_by_process_number");
/// (ProcessId, neighbourhood or "", age bracket or "") → how many people of
/// the roll were in that group on the day they voted (`turnout.rs`): per
/// roll, never per choice, and with no time.
pub const BUDGET_VOTERS_BY_PROCESS_GROUP: TableDefinition<(u64, &str, &str), u64> =
    TableDefinition::new("budget_voters_by_process_group");
/// (ProcessId, person key) → RollEntry: the rest of the voter roll, people
/// on the commune's list with no account who voted at a polling table
/// (`ballot::Voter::Listed`).
pub const BUDGET_ROLL_BY_PROCESS_PERSON: TableDefinition<(u64, &[u8; 32]), &[u8]> =
    TableDefinition::new("budget_roll_by_process_person");
/// ProcessId → Summary: its title and dates, for the home page
/// (`summary.rs`), written with the process.
pub const BUDGET_SUMMARY_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("budget_summary_by_id");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(BUDGET_PROCESS_BY_ID),
        table_info!(BUDGET_PROJECT_BY_PROCESS_NUMBER),
        table_info!(BUDGET_ROLL_BY_PROCESS_ACCOUNT),
        table_info!(BUDGET_BALLOT_BY_PROCESS_ID),
        table_info!(BUDGET_COUNTER_BY_NAME),
        table_info!(BUDGET_FOLLOW_UP_BY_PROCESS_NUMBER),
        table_info!(BUDGET_VOTERS_BY_PROCESS_GROUP),
        table_info!(BUDGET_ROLL_BY_PROCESS_PERSON),
        table_info!(BUDGET_SUMMARY_BY_ID),
    ]
}

/// Every process is under its own id; every project belongs to a process
/// and is below its next number; every ballot names only projects of its
/// process; each process's roll holds as many people as its box holds
/// ballots, and its participation counts add up to its roll; and every
/// follow-up is under its own key, of a project that exists.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mut processes: BTreeMap<u64, Process> = BTreeMap::new();
    for row in tx.open_table(BUDGET_PROCESS_BY_ID)?.iter()? {
        let (id, bytes) = row?;
        match decode::<Process>(bytes.value()) {
            Ok(p) if p.id.get() != id.value() => {
                problems.push(format!("budget process under key {} says it is {}", id.value(), p.id))
            }
            Ok(p) => {
                processes.insert(id.value(), p);
            }
            Err(e) => problems.push(format!("budget process {}: {e}", id.value())),
        }
    }
    problems.extend(super::summary::verify(tx, &processes)?);
    let mut numbers: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for row in tx.open_table(BUDGET_PROJECT_BY_PROCESS_NUMBER)?.iter()? {
        let (key, bytes) = row?;
        let (p, n) = key.value();
        if let Err(e) = decode::<Project>(bytes.value()) {
            problems.push(format!("project {n} of budget {p}: {e}"));
        }
        match processes.get(&p) {
            None => problems.push(format!("project {n} belongs to budget {p}, which does not exist")),
            Some(process) if n >= process.next_project => {
                problems.push(format!("project {n} of budget {p} is not below the next number"))
            }
            Some(_) => numbers.entry(p).or_default().push(n),
        }
    }
    let mut roll: BTreeMap<u64, u64> = BTreeMap::new();
    for row in tx.open_table(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?.iter()? {
        *roll.entry(row?.0.value().0).or_default() += 1;
    }
    for row in tx.open_table(BUDGET_ROLL_BY_PROCESS_PERSON)?.iter()? {
        *roll.entry(row?.0.value().0).or_default() += 1;
    }
    let mut ballots: BTreeMap<u64, u64> = BTreeMap::new();
    for row in tx.open_table(BUDGET_BALLOT_BY_PROCESS_ID)?.iter()? {
        let (key, bytes) = row?;
        let (p, _) = key.value();
        *ballots.entry(p).or_default() += 1;
        match decode::<Ballot>(bytes.value()) {
            Ok(b) => {
                let known = numbers.get(&p).map(Vec::as_slice).unwrap_or(&[]);
                if b.choices.iter().any(|c| known.binary_search(c).is_err()) {
                    problems.push(format!("a ballot of budget {p} names a project that does not exist"));
                }
            }
            Err(e) => problems.push(format!("a ballot of budget {p}: {e}")),
        }
    }
    if roll != ballots {
        problems.push("the voter roll and the ballot box do not hold the same count for every budget".to_string());
    }
    for row in tx.open_table(BUDGET_FOLLOW_UP_BY_PROCESS_NUMBER)?.iter()? {
        let (key, bytes) = row?;
        let (p, n) = key.value();
        match decode::<FollowUp>(bytes.value()) {
            Ok(f) if (f.process.get(), f.number) != (p, n) => {
                problems.push(format!("the follow-up under project {n} of budget {p} says it is another's"))
            }
            Ok(_) if numbers.get(&p).is_none_or(|known| known.binary_search(&n).is_err()) => {
                problems.push(format!("a follow-up names project {n} of budget {p}, which does not exist"))
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("the follow-up of project {n} of budget {p}: {e}")),
        }
    }
    let mut grouped: BTreeMap<u64, u64> = BTreeMap::new();
    for row in tx.open_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?.iter()? {
        let (key, n) = row?;
        let (p, _, _) = key.value();
        *grouped.entry(p).or_default() += n.value();
    }
    grouped.retain(|_, n| *n > 0);
    if roll != grouped {
        problems.push("the participation counts do not add up to the voter roll for every budget".to_string());
    }
    Ok(problems)
}
