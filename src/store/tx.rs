//! One trait over redb's two transaction kinds, and the transactions that
//! carry the database's keys.

use std::sync::Arc;

use redb::{Key, ReadTransaction, ReadableTable, TableDefinition, Value, WriteTransaction};

use super::{decode, Record, StoreError};
use crate::crypto::Keys;

/// Reading a table from a read or a write transaction with the same code.
///
/// redb gives the two transaction types no common trait; without this, every
/// lookup that both pages (read) and business operations (write) need would
/// be written twice, like `accounts::get` and `accounts::get_in`.
pub trait Tx {
    fn open<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_, StoreError>;
}

impl Tx for ReadTransaction {
    fn open<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_, StoreError> {
        Ok(self.open_table(def)?)
    }
}

impl Tx for WriteTransaction {
    fn open<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_, StoreError> {
        Ok(self.open_table(def)?)
    }
}

/// The second halves of the keys `(subject, n)` of a set table (who follows
/// what) after `after` (from the first when `None`), in increasing order, at
/// most `limit`: the notifications' fan-out reads a subject's followers a
/// batch at a time, whatever the subject.
pub fn keys_after(
    tx: &impl Tx,
    table: TableDefinition<(u64, u64), ()>,
    subject: u64,
    after: Option<u64>,
    limit: usize,
) -> Result<Vec<u64>, StoreError> {
    let from = match after {
        Some(u64::MAX) => return Ok(Vec::new()),
        Some(a) => a + 1,
        None => 0,
    };
    let table = tx.open(table)?;
    let mut out = Vec::new();
    for row in table.range((subject, from)..=(subject, u64::MAX))?.take(limit) {
        out.push(row?.0.value().1);
    }
    Ok(out)
}

/// The record stored under `id` in `table` (a table of encoded records), from
/// either kind of transaction.
pub fn record<R: Record>(
    tx: &impl Tx,
    table: TableDefinition<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<R>, StoreError> {
    let table = tx.open(table)?;
    let found = table.get(id)?;
    match found {
        Some(bytes) => Ok(Some(decode(bytes.value())?)),
        None => Ok(None),
    }
}

/// A read transaction that carries the keys opening the database's sealed
/// values (residents' addresses), so that reading an account needs nothing
/// more than the transaction it is read in. [`super::Store::read`] gives one;
/// it reads like a `redb::ReadTransaction` (it derefs to one).
pub struct ReadTx {
    tx: ReadTransaction,
    keys: Arc<Keys>,
}

impl ReadTx {
    pub fn new(tx: ReadTransaction, keys: Arc<Keys>) -> ReadTx {
        ReadTx { tx, keys }
    }
}

impl std::ops::Deref for ReadTx {
    type Target = ReadTransaction;
    fn deref(&self) -> &ReadTransaction {
        &self.tx
    }
}

/// A write transaction with the keys that seal and open the database's
/// values: what every write operation receives from the writer. Operations
/// that never touch a sealed value keep taking a `&redb::WriteTransaction`
/// (this derefs to one); those that read or write an account's address take
/// this, and the keys come with it instead of as one more parameter through
/// every caller.
pub struct WriteTx {
    tx: WriteTransaction,
    keys: Arc<Keys>,
}

impl WriteTx {
    pub fn new(tx: WriteTransaction, keys: Arc<Keys>) -> WriteTx {
        WriteTx { tx, keys }
    }

    pub fn commit(self) -> Result<(), redb::CommitError> {
        self.tx.commit()
    }

    pub fn abort(self) -> Result<(), redb::StorageError> {
        self.tx.abort()
    }
}

impl std::ops::Deref for WriteTx {
    type Target = WriteTransaction;
    fn deref(&self) -> &WriteTransaction {
        &self.tx
    }
}

/// A transaction of either kind that carries the database's keys.
pub trait Keyed: Tx {
    fn keys(&self) -> &Keys;
}

impl Keyed for ReadTx {
    fn keys(&self) -> &Keys {
        &self.keys
    }
}

impl Keyed for WriteTx {
    fn keys(&self) -> &Keys {
        &self.keys
    }
}

impl Tx for ReadTx {
    fn open<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_, StoreError> {
        Ok(self.tx.open_table(def)?)
    }
}

impl Tx for WriteTx {
    fn open<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<impl ReadableTable<K, V> + '_, StoreError> {
        Ok(self.tx.open_table(def)?)
    }
}
