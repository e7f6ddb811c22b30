//! Unsent drafts are deleted once their consultation has closed: what a
//! signed-in person typed without sending it can no longer become an
//! answer, so it is kept only for [`DRAFT_KEPT_AFTER_CLOSE_SECS`] more
//! (the privacy page says so), so that a person who comes back just after
//! the close still finds what they typed in their data.

use redb::{ReadableTable, WriteTransaction};

use super::*;

/// How long unsent drafts stay after their consultation closed: a week.
pub const DRAFT_KEPT_AFTER_CLOSE_SECS: i64 = 7 * 86_400;

/// Deletes the unsent drafts of consultations closed before
/// `now - DRAFT_KEPT_AFTER_CLOSE_SECS`, at most `limit` in one pass (the
/// periodic purge comes back for the rest); returns how many went.
pub fn purge_drafts(tx: &WriteTransaction, now: i64, limit: usize) -> Result<usize, StoreError> {
    let due: Vec<u64> = list(tx)?
        .iter()
        .filter(|c| c.closes_at().is_some_and(|at| at.saturating_add(DRAFT_KEPT_AFTER_CLOSE_SECS) <= now))
        .map(|c| c.id.get())
        .collect();
    let mut drafts = tx.open_table(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT)?;
    let mut purged = 0;
    for c in due {
        let keys: Vec<(u64, u64)> = drafts
            .range((c, 0)..=(c, u64::MAX))?
            .take(limit - purged)
            .map(|row| row.map(|(k, _)| k.value()))
            .collect::<Result<_, _>>()?;
        for key in keys {
            drafts.remove(key)?;
            purged += 1;
        }
        if purged >= limit {
            break;
        }
    }
    Ok(purged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::Actor;
    use crate::store::Store;

    /// Two published consultations from a template, each with three
    /// drafts: one still open, one closed at 1000.
    async fn two_with_drafts(store: &Store) -> (ConsultationId, ConsultationId) {
        store
            .write(|tx| {
                let actor = Actor::command_line();
                let mut ids = Vec::new();
                for closes_at in [10_000_000, 1000] {
                    let id = create_from_template(tx, &actor, QUARTERLY_SATISFACTION, 10)?;
                    publish(tx, &actor, id, Dates { opens_at: 100, closes_at }, 10)?;
                    for account in 1..=3 {
                        save_draft(tx, id, AccountId(account), &BTreeMap::new(), 500)?;
                    }
                    ids.push(id);
                }
                Ok::<_, ConsultationError>((ids[0], ids[1]))
            })
            .await
            .unwrap()
    }

    fn drafts_of(store: &Store, id: ConsultationId) -> usize {
        let tx = store.read().unwrap();
        (1..=3).filter(|&a| draft(&tx, id, AccountId(a)).unwrap().is_some()).count()
    }

    #[tokio::test]
    async fn drafts_go_a_week_after_the_close_and_not_before() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("c.redb"), 8).unwrap();
        let (open, closed) = two_with_drafts(&store).await;
        let due = 1000 + DRAFT_KEPT_AFTER_CLOSE_SECS;

        assert_eq!(store.write(move |tx| purge_drafts(tx, due - 1, 100)).await.unwrap(), 0, "within the grace");
        assert_eq!(drafts_of(&store, closed), 3);
        // Bounded per pass; the next pass takes the rest.
        assert_eq!(store.write(move |tx| purge_drafts(tx, due, 2)).await.unwrap(), 2);
        assert_eq!(store.write(move |tx| purge_drafts(tx, due, 100)).await.unwrap(), 1);
        assert_eq!(drafts_of(&store, closed), 0);
        assert_eq!(drafts_of(&store, open), 3, "the open consultation's drafts stay");
        assert!(store.verify().unwrap().is_ok());
    }
}
