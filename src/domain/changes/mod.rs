//! The change log: every write that changes searchable or followable content
//! appends `(kind, id)` here, in the same transaction. The search index
//! follows this log (it never hears from handlers), remembers the last
//! sequence number it applied, and after a restart replays only what it
//! missed.

pub mod tables;

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::store::{decode, encode, Record, StoreError};
use tables::CHANGE_BY_SEQ;

/// The kinds of content residents and staff publish.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContentKind {
    Proposal,
    Comment,
    Consultation,
    Report,
    Meeting,
    Page,
}

impl ContentKind {
    pub const ALL: [ContentKind; 6] = [
        ContentKind::Proposal,
        ContentKind::Comment,
        ContentKind::Consultation,
        ContentKind::Report,
        ContentKind::Meeting,
        ContentKind::Page,
    ];

    /// A stable code, for URLs, filters and translation keys (`kind-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            ContentKind::Proposal => "proposal",
            ContentKind::Comment => "comment",
            ContentKind::Consultation => "consultation",
            ContentKind::Report => "report",
            ContentKind::Meeting => "meeting",
            ContentKind::Page => "page",
        }
    }

    pub fn from_code(code: &str) -> Option<ContentKind> {
        ContentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The number used in table keys.
    pub fn tag(self) -> u8 {
        match self {
            ContentKind::Proposal => 1,
            ContentKind::Comment => 2,
            ContentKind::Consultation => 3,
            ContentKind::Report => 4,
            ContentKind::Meeting => 5,
            ContentKind::Page => 6,
        }
    }

    pub fn from_tag(tag: u8) -> Option<ContentKind> {
        ContentKind::ALL.into_iter().find(|k| k.tag() == tag)
    }
}

/// One piece of content: its kind and id.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: ContentKind,
    pub id: u64,
}

impl Target {
    pub fn new(kind: ContentKind, id: u64) -> Self {
        Target { kind, id }
    }
}

impl Record for Target {
    const NAME: &'static str = "change";
    const VERSION: u8 = 1;
}

/// Records that `target` changed (created, edited, hidden, restored, deleted).
pub fn record(tx: &WriteTransaction, target: Target) -> Result<u64, StoreError> {
    let mut table = tx.open_table(CHANGE_BY_SEQ)?;
    let next = table.last()?.map(|(k, _)| k.value() + 1).unwrap_or(1);
    table.insert(next, encode(&target)?.as_slice())?;
    Ok(next)
}

/// The changes after `after`, oldest first, at most `limit`.
pub fn since(tx: &ReadTransaction, after: u64, limit: usize) -> Result<Vec<(u64, Target)>, StoreError> {
    let table = tx.open_table(CHANGE_BY_SEQ)?;
    let mut out = Vec::new();
    for row in table.range(after.saturating_add(1)..)? {
        let (seq, bytes) = row?;
        out.push((seq.value(), decode::<Target>(bytes.value())?));
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// The sequence number of the newest change (0 when none).
pub fn last_seq(tx: &ReadTransaction) -> Result<u64, StoreError> {
    Ok(tx.open_table(CHANGE_BY_SEQ)?.last()?.map(|(k, _)| k.value()).unwrap_or(0))
}

/// Forgets changes up to `upto` (the index has applied them); keeps the log short.
pub fn trim(tx: &WriteTransaction, upto: u64, max: usize) -> Result<usize, StoreError> {
    let mut table = tx.open_table(CHANGE_BY_SEQ)?;
    let old: Vec<u64> = table.range(..=upto)?.take(max).map(|r| r.map(|(k, _)| k.value())).collect::<Result<_, _>>()?;
    for seq in &old {
        table.remove(seq)?;
    }
    Ok(old.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[tokio::test]
    async fn changes_are_read_in_order_after_a_sequence_number_and_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with_test_key(&dir.path().join("p.redb"), 8).unwrap();
        store
            .write(|tx| {
                record(tx, Target::new(ContentKind::Proposal, 1))?;
                record(tx, Target::new(ContentKind::Comment, 9))?;
                record(tx, Target::new(ContentKind::Proposal, 1))
            })
            .await
            .unwrap();
        let tx = store.read().unwrap();
        assert_eq!(last_seq(&tx).unwrap(), 3);
        let after_one = since(&tx, 1, 10).unwrap();
        assert_eq!(after_one.iter().map(|(s, _)| *s).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(after_one[0].1, Target::new(ContentKind::Comment, 9));
        drop(tx);
        assert_eq!(store.write(|tx| trim(tx, 2, 100)).await.unwrap(), 2);
        assert_eq!(since(&store.read().unwrap(), 0, 10).unwrap().len(), 1);
        // Numbers keep growing after a trim.
        assert_eq!(store.write(|tx| record(tx, Target::new(ContentKind::Page, 2))).await.unwrap(), 4);
        assert_eq!(ContentKind::from_code("proposal"), Some(ContentKind::Proposal));
        assert!(ContentKind::ALL.iter().all(|k| ContentKind::from_tag(k.tag()) == Some(*k)));
    }
}
