//! What the home page needs of each process: its title and dates, kept
//! beside the record by the one function that writes a process, so that
//! the home page, on every visit, reads a few small rows instead of
//! decoding every process with its description and pots.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::*;
use crate::store::decode;

/// A process as the home page lists it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: ProcessId,
    pub title: String,
    pub starts: [i64; 5],
    pub closed_early_at: Option<i64>,
    pub published_at: Option<i64>,
}

impl Record for Summary {
    const NAME: &'static str = "budget process summary";
    const VERSION: u8 = 1;
}

impl Summary {
    pub fn of(p: &Process) -> Summary {
        Summary {
            id: p.id,
            title: p.title.clone(),
            starts: p.starts,
            closed_early_at: p.closed_early_at,
            published_at: p.published_at,
        }
    }

    /// The phase at `now`, as [`Process::phase`] says it.
    pub fn phase(&self, now: i64) -> Phase {
        phase_at(self.published_at, &self.starts, self.closed_early_at, now)
    }
}

/// Keeps `p`'s summary (called by the one function that writes a process).
pub(super) fn keep(tx: &WriteTransaction, p: &Process) -> Result<(), StoreError> {
    tx.open_table(BUDGET_SUMMARY_BY_ID)?.insert(p.id.get(), encode(&Summary::of(p))?.as_slice())?;
    Ok(())
}

/// The processes whose vote is open at `now`, the latest first: what the
/// home page shows first.
pub fn voting(tx: &impl Tx, now: i64) -> Result<Vec<Summary>, StoreError> {
    let mut open = Vec::new();
    for row in tx.open(BUDGET_SUMMARY_BY_ID)?.iter()?.rev() {
        let s: Summary = decode(row?.1.value())?;
        if s.phase(now) == Phase::Vote {
            open.push(s);
        }
    }
    Ok(open)
}

/// Migration 38: the summaries of the processes written before them.
pub fn backfill(tx: &WriteTransaction) -> Result<(), StoreError> {
    let mut all: Vec<Process> = Vec::new();
    for row in tx.open_table(BUDGET_PROCESS_BY_ID)?.iter()? {
        all.push(decode(row?.1.value())?);
    }
    for p in &all {
        keep(tx, p)?;
    }
    Ok(())
}

/// Every process has its summary, equal to what its record gives, and
/// every summary its process.
pub(super) fn verify(
    tx: &redb::ReadTransaction,
    processes: &std::collections::BTreeMap<u64, Process>,
) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mut seen = 0usize;
    for row in tx.open_table(BUDGET_SUMMARY_BY_ID)?.iter()? {
        let (id, bytes) = row?;
        seen += 1;
        match (processes.get(&id.value()), decode::<Summary>(bytes.value())) {
            (None, _) => problems.push(format!("the summary of budget {} names no process", id.value())),
            (Some(_), Err(e)) => problems.push(format!("the summary of budget {}: {e}", id.value())),
            (Some(p), Ok(s)) if s != Summary::of(p) => {
                problems.push(format!("the summary of budget {} differs from its record", id.value()))
            }
            (Some(_), Ok(_)) => {}
        }
    }
    if seen < processes.len() {
        problems.push(format!("{} budget process(es) have no summary", processes.len() - seen));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{process, settings, setup, DAY, VOTING};
    use super::*;
    use crate::domain::audit::Actor;

    #[tokio::test]
    async fn the_home_page_summary_follows_the_process_and_the_migration_fills_it() {
        let (_dir, store) = setup();
        let id = process(&store, settings(Style::Basket, Rule::Greedy, false)).await;
        let tx = store.read().unwrap();
        let open = voting(&tx, VOTING).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0], Summary::of(&get(&tx, id).unwrap().unwrap()));
        assert!(voting(&tx, 5 * DAY).unwrap().is_empty(), "not during submission");
        drop(tx);
        // Staff close the vote early: the summary says so at once.
        store.write(move |tx| close_vote(tx, &Actor::command_line(), id, VOTING)).await.unwrap();
        assert!(voting(&store.read().unwrap(), VOTING + 1).unwrap().is_empty());
        assert!(store.verify().unwrap().is_ok());
        // A database before step 39: no summaries; verify says so, the step
        // writes them.
        store
            .write(|tx| {
                tx.delete_table(BUDGET_SUMMARY_BY_ID)?;
                tx.open_table(BUDGET_SUMMARY_BY_ID)?;
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        let report = store.verify().unwrap();
        assert!(report.problems.iter().any(|p| p.contains("have no summary")), "{:?}", report.problems);
        store.write(|tx| (crate::store::schema::MIGRATIONS[38])(tx)).await.unwrap();
        let tx = store.read().unwrap();
        let kept: Summary = crate::store::record(&tx, BUDGET_SUMMARY_BY_ID, id.get()).unwrap().unwrap();
        assert_eq!(kept, Summary::of(&get(&tx, id).unwrap().unwrap()));
        drop(tx);
        assert!(store.verify().unwrap().is_ok());
    }
}
