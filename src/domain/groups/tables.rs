//! Tables of the groups concept: the pilot groups, their members, their
//! invitations, and the processes private to one of them (issue 16).

use std::collections::BTreeSet;

use redb::{ReadTransaction, ReadableTable, TableDefinition};

use super::{Group, Invitation, Opening};
use crate::store::schema::{table_info, TableInfo};
use crate::store::{decode, StoreError};

/// GroupId → Group.
pub const GROUP_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("group_by_id");
/// (GroupId, AccountId) → joined at (Unix seconds): a group's members.
pub const GROUP_MEMBER_BY_GROUP_ACCOUNT: TableDefinition<(u64, u64), i64> =
    TableDefinition::new("group_member_by_group_account");
/// SHA-256 of the token → Invitation: an emailed invitation or a shared link.
pub const GROUP_INVITATION_BY_HASH: TableDefinition<&[u8; 32], &[u8]> =
    TableDefinition::new("group_invitation_by_hash");
/// (GroupId, SHA-256 of the token) → (): a group's invitations, for its staff page.
pub const GROUP_INVITATION_HASH_BY_GROUP: TableDefinition<(u64, &[u8; 32]), ()> =
    TableDefinition::new("group_invitation_hash_by_group");
/// (process kind code, process id) → GroupId: the processes private to a
/// group; a process absent from this table is public.
pub const GROUP_ID_BY_PROCESS: TableDefinition<(&str, u64), u64> = TableDefinition::new("group_id_by_process");
/// (process kind code, process id) → Opening: a private process whose
/// opening to everyone was announced to its contributors.
pub const GROUP_OPENING_BY_PROCESS: TableDefinition<(&str, u64), &[u8]> =
    TableDefinition::new("group_opening_by_process");
/// Counter name → value: `next_group`.
pub const GROUP_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("group_counter_by_name");

pub(crate) fn all() -> Vec<TableInfo> {
    vec![
        table_info!(GROUP_BY_ID),
        table_info!(GROUP_MEMBER_BY_GROUP_ACCOUNT),
        table_info!(GROUP_INVITATION_BY_HASH),
        table_info!(GROUP_INVITATION_HASH_BY_GROUP),
        table_info!(GROUP_ID_BY_PROCESS),
        table_info!(GROUP_OPENING_BY_PROCESS),
        table_info!(GROUP_COUNTER_BY_NAME),
    ]
}

/// Every member, invitation and private process names a group that
/// exists; the per-group invitation index holds exactly the invitations;
/// an announced opening is of a private process; ids are below the counter.
pub(crate) fn verify(tx: &ReadTransaction) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let next = tx.open_table(GROUP_COUNTER_BY_NAME)?.get("next_group")?.map(|v| v.value()).unwrap_or(1);
    let mut groups = BTreeSet::new();
    for row in tx.open_table(GROUP_BY_ID)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        match decode::<Group>(bytes.value()) {
            Ok(g) if g.id.get() != id => problems.push(format!("group under key {id} says it is {}", g.id)),
            Ok(_) => {}
            Err(e) => problems.push(format!("group {id}: {e}")),
        }
        if id >= next {
            problems.push(format!("group {id} is not below the next group id {next}"));
        }
        groups.insert(id);
    }
    for row in tx.open_table(GROUP_MEMBER_BY_GROUP_ACCOUNT)?.iter()? {
        let (group, account) = row?.0.value();
        if !groups.contains(&group) {
            problems.push(format!("account {account} is a member of group {group}, which does not exist"));
        }
    }
    let mut invitations = BTreeSet::new();
    for row in tx.open_table(GROUP_INVITATION_BY_HASH)?.iter()? {
        let (hash, bytes) = row?;
        let hash = *hash.value();
        match decode::<Invitation>(bytes.value()) {
            Ok(i) => {
                if !groups.contains(&i.group.get()) {
                    problems.push(format!("an invitation names group {}, which does not exist", i.group));
                }
                invitations.insert((i.group.get(), hash));
            }
            Err(e) => problems.push(format!("invitation: {e}")),
        }
    }
    let mut indexed = BTreeSet::new();
    for row in tx.open_table(GROUP_INVITATION_HASH_BY_GROUP)?.iter()? {
        let row = row?;
        let (group, hash) = row.0.value();
        indexed.insert((group, *hash));
    }
    if indexed != invitations {
        problems.push(format!(
            "{} invitations, {} in the per-group index, not the same ones",
            invitations.len(),
            indexed.len()
        ));
    }
    let private = tx.open_table(GROUP_ID_BY_PROCESS)?;
    for row in private.iter()? {
        let (key, group) = row?;
        let (kind, id) = key.value();
        if !groups.contains(&group.value()) {
            problems.push(format!("{kind} {id} is private to group {}, which does not exist", group.value()));
        }
    }
    for row in tx.open_table(GROUP_OPENING_BY_PROCESS)?.iter()? {
        let (key, bytes) = row?;
        let (kind, id) = key.value();
        if let Err(e) = decode::<Opening>(bytes.value()) {
            problems.push(format!("opening of {kind} {id}: {e}"));
        }
        if private.get((kind, id))?.is_none() {
            problems.push(format!("the opening of {kind} {id} is announced, but it is not private"));
        }
    }
    Ok(problems)
}
