//! The paper polling table finds a voter by who they are: staff type the
//! names and birth date the person gives (or that staff read on their
//! document), hashed as verification hashes them (`verification::lookup`),
//! never kept. Staff see only what they need at the table: whether this
//! person already voted in this process (the day and how, nothing of the
//! ballot) and their neighbourhood; then they type the paper ballot for the
//! account verified as that person, or, for someone on the commune's list
//! who has no account, mark the person on the roll by their person key
//! (`ballot.rs` says why that way).

use super::*;
use crate::domain::accounts;
use crate::domain::audit::Actor;
use crate::domain::verification::lookup::{find_person, Found};
use crate::store::{Keyed, WriteTx};

/// What staff see of the person they typed.
#[derive(Clone, Debug, PartialEq)]
pub enum AtTable {
    /// The account verified as this person.
    Account {
        /// As the account gives it (with consent), if it does.
        neighbourhood: Option<String>,
        /// The person's row of the roll, if they voted.
        voted: Option<RollEntry>,
    },
    /// On the commune's list, with no verified account.
    Listed { voted: Option<RollEntry> },
    /// Neither on the list nor verified (by these names and date).
    Nobody,
}

/// Who the person with these names and birth date is, for process `id`.
pub fn at_table(
    tx: &impl Keyed,
    id: ProcessId,
    last_name: &str,
    first_names: &str,
    birth_date: jiff::civil::Date,
) -> Result<AtTable, StoreError> {
    Ok(match find_person(tx, last_name, first_names, birth_date)? {
        Found::Account { account, .. } => {
            let neighbourhood = accounts::get_without_address(tx, account)
                .map_err(|e| StoreError::Internal(e.to_string()))?
                .and_then(|a| a.neighbourhood);
            AtTable::Account { neighbourhood, voted: roll_entry(tx, id, Voter::Account(account))? }
        }
        Found::Listed(key) => AtTable::Listed { voted: roll_entry(tx, id, Voter::Listed(key))? },
        Found::Nobody => AtTable::Nobody,
    })
}

/// Staff type the paper ballot of the person with these names and birth
/// date: for the account verified as them, or for them as a person of the
/// list when they have none. The person is found again in the vote's
/// transaction, so an account verified meanwhile is the one marked.
/// Refused with [`BudgetError::UnknownPerson`] when nobody is found, and
/// as any paper ballot otherwise (closed, already voted, not valid).
#[allow(clippy::too_many_arguments)]
pub fn vote_on_paper_by_person(
    tx: &WriteTx,
    actor: &Actor,
    id: ProcessId,
    last_name: &str,
    first_names: &str,
    birth_date: jiff::civil::Date,
    choices: &[u64],
    now: i64,
) -> Result<Voted, BudgetError> {
    let p = load(tx, id)?;
    if p.phase(now) != Phase::Vote {
        return Err(BudgetError::Closed);
    }
    let voter = match find_person(tx, last_name, first_names, birth_date)? {
        Found::Account { account, .. } => {
            if accounts::role_of(tx, account)?.is_none() {
                return Err(BudgetError::NotAllowed);
            }
            Voter::Account(account)
        }
        Found::Listed(key) => Voter::Listed(key),
        Found::Nobody => return Err(BudgetError::UnknownPerson),
    };
    let voted = ballot::cast(tx, &p, voter, choices, Channel::Paper, now)?;
    ballot::audit_paper(tx, actor, id, now)?;
    Ok(voted)
}

#[cfg(test)]
#[path = "polling_tests.rs"]
mod tests;
