//! Tables of the addresses concept: the commune's address list, its streets,
//! and the two indexes that answer a resident without a scan (the words of
//! the street names, and a grid of the positions).
//!
//! The whole list is written by [`super::import`] at once, ids in the order
//! of street then number, and replaced whole by the next import.

use std::collections::BTreeSet;

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::{cell_of, house_key, street_words, Address, ListInfo, Street, LIST_KEY};
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// AddressId (u64, from 1, in the order of street then house number) → Address.
pub const ADDRESS_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("address_by_id");
/// (StreetId, house number, AddressId) → (): a street's addresses in number
/// order; a place without number ("lieu-dit") has number `u32::MAX`.
pub const ADDRESS_ID_BY_STREET_NUMBER: TableDefinition<(u64, u32, u64), ()> =
    TableDefinition::new("address_id_by_street_number");
/// (cell row, cell column, AddressId) → (latitude, longitude): the grid of
/// 0.001° cells (about 111 m north–south, 80 m east–west in France), so
/// that "the nearest address" reads a few cells, not the list.
pub const ADDRESS_ID_BY_CELL: TableDefinition<(i32, i32, u64), (f64, f64)> = TableDefinition::new("address_id_by_cell");
/// StreetId (u64, from 1, in the order of the normalised name) → Street.
pub const STREET_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("street_by_id");
/// (normalised word of a street name, StreetId) → (the street's normalised
/// words, space-separated; its postcode): what a resident types is matched
/// on the value without reading the street itself.
pub const STREET_ID_BY_WORD: TableDefinition<(&str, u64), (&str, &str)> = TableDefinition::new("street_id_by_word");
/// "current" → ListInfo: the size of the list, when it was imported, and the
/// words of the communes' names (optional in what a resident types).
pub const ADDRESS_LIST_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("address_list_by_name");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(ADDRESS_BY_ID),
        table_info!(ADDRESS_ID_BY_STREET_NUMBER),
        table_info!(ADDRESS_ID_BY_CELL),
        table_info!(STREET_BY_ID),
        table_info!(STREET_ID_BY_WORD),
        table_info!(ADDRESS_LIST_BY_NAME),
    ]
}

/// Every address is in the grid at its own position and in its street's
/// numbers; every number points to an address of an existing street; every
/// word of every street is indexed and nothing else; the list's counts match.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let addresses = tx.open_table(ADDRESS_BY_ID)?;
    let by_number = tx.open_table(ADDRESS_ID_BY_STREET_NUMBER)?;
    let cells = tx.open_table(ADDRESS_ID_BY_CELL)?;
    let streets = tx.open_table(STREET_BY_ID)?;
    let words = tx.open_table(STREET_ID_BY_WORD)?;
    let list = tx.open_table(ADDRESS_LIST_BY_NAME)?;

    for row in addresses.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        let a: Address = match decode(bytes.value()) {
            Ok(a) => a,
            Err(e) => {
                problems.push(format!("address {id}: {e}"));
                continue;
            }
        };
        let (row, column) = cell_of(a.lat, a.lon);
        match cells.get((row, column, id))? {
            Some(at) if at.value() == (a.lat, a.lon) => {}
            Some(at) => problems.push(format!(
                "address {id} is at {:?} in the grid, {:?} in the list",
                at.value(),
                (a.lat, a.lon)
            )),
            None => problems.push(format!("address {id} ({}) is missing from the grid", a.label())),
        }
    }
    let n = addresses.len()?;
    if cells.len()? != n {
        problems.push(format!("the grid has {} entries for {n} addresses", cells.len()?));
    }
    if by_number.len()? != n {
        problems.push(format!("the street numbers have {} entries for {n} addresses", by_number.len()?));
    }
    let mut streets_with_addresses = BTreeSet::new();
    for row in by_number.iter()? {
        let (key, _) = row?;
        let (street, number, id) = key.value();
        streets_with_addresses.insert(street);
        match addresses.get(id)? {
            Some(bytes) => {
                let a: Address = decode(bytes.value())?;
                if house_key(&a.number).0 != number {
                    problems.push(format!("address {id} ({}) is filed under number {number}", a.label()));
                }
            }
            None => problems.push(format!("street {street} lists missing address {id}")),
        }
        if streets.get(street)?.is_none() {
            problems.push(format!("address {id} belongs to missing street {street}"));
        }
    }
    let mut expected_words = 0u64;
    for row in streets.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        let s: Street = decode(bytes.value())?;
        if !streets_with_addresses.contains(&id) {
            problems.push(format!("street {id} ({}) has no address", s.name));
        }
        let joined = street_words(&s.name).join(" ");
        for word in street_words(&s.name) {
            expected_words += 1;
            match words.get((word.as_str(), id))? {
                Some(v) if v.value() == (joined.as_str(), s.postcode.as_str()) => {}
                _ => {
                    problems.push(format!("the word {word:?} of street {id} ({}) is not indexed as it should", s.name))
                }
            }
        }
    }
    if words.len()? != expected_words {
        problems.push(format!("the street words have {} entries, the streets give {expected_words}", words.len()?));
    }
    match list.get(LIST_KEY)? {
        Some(bytes) => {
            let info: ListInfo = decode(bytes.value())?;
            if info.addresses != n || info.streets != streets.len()? {
                problems.push(format!(
                    "the list says {} addresses and {} streets, the tables hold {n} and {}",
                    info.addresses,
                    info.streets,
                    streets.len()?
                ));
            }
        }
        None if n > 0 => problems.push(format!("{n} addresses but no record of their import")),
        None => {}
    }
    Ok(problems)
}
