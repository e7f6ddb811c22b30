//! One trait over redb's two transaction kinds.

use redb::{Key, ReadTransaction, ReadableTable, TableDefinition, Value, WriteTransaction};

use super::{decode, Record, StoreError};

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
