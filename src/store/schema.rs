//! The schema: every table, the ordered list of migrations, and the checks
//! `parvis verify` runs.
//!
//! Migration `i` (0-based) brings the database from version `i` to `i + 1`;
//! each runs in one transaction with the version bump. The version of this
//! binary is the length of [`MIGRATIONS`].

use redb::{ReadTransaction, ReadableDatabase, TableDefinition, WriteTransaction};

use super::StoreError;
use crate::domain::{
    accounts, addresses, audit, changes, comments, consultations, meetings, moderation, notifications, proposals,
    reports, sessions, two_factor,
};

/// Key: setting name → value. Holds `schema_version`.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

pub type Migration = fn(&WriteTransaction) -> Result<(), StoreError>;

/// The ordered migrations. Append only: never edit one that has shipped.
///
/// Each step names the tables it creates in its own module below, with the
/// definitions as they were at that version, rather than calling a concept's
/// `create()`: a concept that grows a table later must not change what an
/// old step does, or a database upgraded step by step would differ from one
/// created at once. A new table comes with a new step.
pub const MIGRATIONS: &[Migration] = &[
    v1::run,
    v2::run,
    v3::run,
    v4::run,
    v5::run,
    v6::run,
    v7::run,
    v8::run,
    v9::run,
    v10::run,
    v11::run,
    v12::run,
    v13::run,
    v14::run,
    v15::run,
    v16::run,
    v17::run,
    v18::run,
    v19::run,
    v20::run,
    v21::run,
    v22::run,
    v23::run,
    v24::run,
    v25::run,
    v26::run,
    v27::run,
    v28::run,
    v29::run,
    v30::run,
    v31::run,
    v32::run,
    v33::run,
    v34::run,
    v35::run,
    v36::run,
    v37::run,
    v38::run,
    v39::run,
    v40::run,
    v41::run,
    v42::run,
    v43::run,
    v44::run,
    v45::run,
    v46::run,
];

/// 1: the appliance — meta and accounts.
mod v1 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
    const ACCOUNT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("account_by_id");
    const ACCOUNT_ID_BY_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("account_id_by_email");
    const ACCOUNT_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("account_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(META)?;
        tx.open_table(ACCOUNT_BY_ID)?;
        tx.open_table(ACCOUNT_ID_BY_EMAIL)?;
        tx.open_table(ACCOUNT_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 2: accounts and security — email tokens, sessions, two-factor
/// authentication, the audit log, the mail outbox.
mod v2 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const EMAIL_TOKEN_BY_HASH: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("email_token_by_hash");
    const SESSION_BY_TOKEN_HASH: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("session_by_token_hash");
    const SESSION_HASH_BY_ACCOUNT: TableDefinition<(u64, &[u8; 32]), ()> =
        TableDefinition::new("session_hash_by_account");
    const TOTP_BY_ACCOUNT: TableDefinition<u64, &[u8]> = TableDefinition::new("totp_by_account");
    const TOTP_PENDING_BY_ACCOUNT: TableDefinition<u64, &[u8]> = TableDefinition::new("totp_pending_by_account");
    const RECOVERY_CODE_BY_ACCOUNT_HASH: TableDefinition<(u64, &[u8; 32]), ()> =
        TableDefinition::new("recovery_code_by_account_hash");
    const AUDIT_EVENT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("audit_event_by_id");
    const MAIL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("mail_by_id");
    const MAIL_ID_BY_DUE: TableDefinition<(i64, u64), ()> = TableDefinition::new("mail_id_by_due");
    const MAIL_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("mail_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(EMAIL_TOKEN_BY_HASH)?;
        tx.open_table(SESSION_BY_TOKEN_HASH)?;
        tx.open_table(SESSION_HASH_BY_ACCOUNT)?;
        tx.open_table(TOTP_BY_ACCOUNT)?;
        tx.open_table(TOTP_PENDING_BY_ACCOUNT)?;
        tx.open_table(RECOVERY_CODE_BY_ACCOUNT_HASH)?;
        tx.open_table(AUDIT_EVENT_BY_ID)?;
        tx.open_table(MAIL_BY_ID)?;
        tx.open_table(MAIL_ID_BY_DUE)?;
        tx.open_table(MAIL_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 3: ideas and proposals — change log, comments, moderation, proposals,
/// notifications.
mod v3 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const CHANGE_BY_SEQ: TableDefinition<u64, &[u8]> = TableDefinition::new("change_by_seq");
    const COMMENT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("comment_by_id");
    const COMMENT_TOP_BY_TARGET: TableDefinition<(u8, u64, u64), ()> = TableDefinition::new("comment_top_by_target");
    const COMMENT_TOP_BY_TARGET_USEFUL: TableDefinition<(u8, u64, u64, u64), ()> =
        TableDefinition::new("comment_top_by_target_useful");
    const COMMENT_REPLY_BY_PARENT: TableDefinition<(u64, u64), ()> = TableDefinition::new("comment_reply_by_parent");
    const COMMENT_ID_BY_AUTHOR: TableDefinition<(u64, u64), ()> = TableDefinition::new("comment_id_by_author");
    const USEFUL_BY_COMMENT_ACCOUNT: TableDefinition<(u64, u64), i64> =
        TableDefinition::new("useful_by_comment_account");
    const COMMENT_TOTALS_BY_TARGET: TableDefinition<(u8, u64), (u64, u64)> =
        TableDefinition::new("comment_totals_by_target");
    const MODERATION_BY_TARGET: TableDefinition<(u8, u64), &[u8]> = TableDefinition::new("moderation_by_target");
    const MODERATION_QUEUE_BY_TIME: TableDefinition<(i64, u8, u64), ()> =
        TableDefinition::new("moderation_queue_by_time");
    const REPORT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("report_by_id");
    const REPORT_ID_BY_TARGET: TableDefinition<(u8, u64, u64), ()> = TableDefinition::new("report_id_by_target");
    const REPORT_ID_BY_TARGET_ACCOUNT: TableDefinition<(u8, u64, u64), u64> =
        TableDefinition::new("report_id_by_target_account");
    const IDEA_BOX_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("idea_box_by_id");
    const PROPOSAL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_by_id");
    const PROPOSAL_ID_BY_BOX_CREATED: TableDefinition<(u64, i64, u64), ()> =
        TableDefinition::new("proposal_id_by_box_created");
    const PROPOSAL_ID_BY_BOX_SUPPORTS: TableDefinition<(u64, u64, u64), ()> =
        TableDefinition::new("proposal_id_by_box_supports");
    const SUPPORT_BY_PROPOSAL_ACCOUNT: TableDefinition<(u64, u64), i64> =
        TableDefinition::new("support_by_proposal_account");
    const SUPPORT_BY_ACCOUNT_PROPOSAL: TableDefinition<(u64, u64), ()> =
        TableDefinition::new("support_by_account_proposal");
    const FOLLOW_BY_PROPOSAL_ACCOUNT: TableDefinition<(u64, u64), ()> =
        TableDefinition::new("follow_by_proposal_account");
    const PROPOSAL_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("proposal_counter_by_name");
    const NOTIFICATION_BY_ACCOUNT_SEQ: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("notification_by_account_seq");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(CHANGE_BY_SEQ)?;
        tx.open_table(COMMENT_BY_ID)?;
        tx.open_table(COMMENT_TOP_BY_TARGET)?;
        tx.open_table(COMMENT_TOP_BY_TARGET_USEFUL)?;
        tx.open_table(COMMENT_REPLY_BY_PARENT)?;
        tx.open_table(COMMENT_ID_BY_AUTHOR)?;
        tx.open_table(USEFUL_BY_COMMENT_ACCOUNT)?;
        tx.open_table(COMMENT_TOTALS_BY_TARGET)?;
        tx.open_table(MODERATION_BY_TARGET)?;
        tx.open_table(MODERATION_QUEUE_BY_TIME)?;
        tx.open_table(REPORT_BY_ID)?;
        tx.open_table(REPORT_ID_BY_TARGET)?;
        tx.open_table(REPORT_ID_BY_TARGET_ACCOUNT)?;
        tx.open_table(IDEA_BOX_BY_ID)?;
        tx.open_table(PROPOSAL_BY_ID)?;
        tx.open_table(PROPOSAL_ID_BY_BOX_CREATED)?;
        tx.open_table(PROPOSAL_ID_BY_BOX_SUPPORTS)?;
        tx.open_table(SUPPORT_BY_PROPOSAL_ACCOUNT)?;
        tx.open_table(SUPPORT_BY_ACCOUNT_PROPOSAL)?;
        tx.open_table(FOLLOW_BY_PROPOSAL_ACCOUNT)?;
        tx.open_table(PROPOSAL_COUNTER_BY_NAME)?;
        tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?;
        Ok(())
    }
}

/// 4: retention — the warning sent before an unused account is deleted.
mod v4 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const INACTIVITY_WARNING_BY_ACCOUNT: TableDefinition<u64, i64> =
        TableDefinition::new("inactivity_warning_by_account");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(INACTIVITY_WARNING_BY_ACCOUNT)?;
        Ok(())
    }
}

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u64 = MIGRATIONS.len() as u64;

/// A table known to this binary, with what backups need to copy it.
pub struct TableInfo {
    pub name: String,
    pub copy: fn(&ReadTransaction, &WriteTransaction) -> Result<u64, StoreError>,
    pub count: fn(&ReadTransaction) -> Result<u64, StoreError>,
}

macro_rules! table_info {
    ($def:expr) => {
        TableInfo {
            name: redb::TableHandle::name(&$def).to_string(),
            copy: |src, dst| crate::store::db::copy_table($def, src, dst),
            count: |src| crate::store::db::count_rows($def, src),
        }
    };
}
pub(crate) use table_info;

/// Every table, for backups and verification.
pub fn tables() -> Vec<TableInfo> {
    let mut all = vec![table_info!(META)];
    all.extend(accounts::tables::all());
    all.extend(sessions::tables::all());
    all.extend(two_factor::tables::all());
    all.extend(audit::tables::all());
    all.extend(changes::tables::all());
    all.extend(comments::tables::all());
    all.extend(moderation::tables::all());
    all.extend(proposals::tables::all());
    all.extend(reports::tables::all());
    all.extend(notifications::tables::all());
    all.extend(addresses::tables::all());
    all.extend(consultations::tables::all());
    all.extend(meetings::tables::all());
    all.extend(crate::domain::news::tables::all());
    all.extend(crate::domain::pages::tables::all());
    all.extend(crate::domain::newsletters::tables::all());
    all.extend(crate::domain::verification::tables::all());
    all.extend(crate::domain::budgets::tables::all());
    all.extend(crate::domain::metrics::tables::all());
    all.extend(crate::domain::satisfaction::tables::all());
    all.extend(crate::domain::promotion::tables::all());
    all.extend(crate::domain::improve::tables::all());
    all.extend(crate::domain::launch::tables::all());
    all.extend(crate::domain::groups::tables::all());
    all.extend(crate::domain::opendata::tables::all());
    all.extend(crate::mail::outbox::all());
    all.extend(super::encryption::all());
    all
}

/// A consistency check of one concept: returns the problems it found.
pub type Check = fn(&ReadTransaction) -> Result<Vec<String>, StoreError>;

/// The checks `parvis verify` runs, one per concept.
pub const CHECKS: &[(&str, Check)] = &[
    ("accounts", accounts::tables::verify),
    ("sessions", sessions::tables::verify),
    ("two-factor", two_factor::tables::verify),
    ("audit", audit::tables::verify),
    ("comments", comments::tables::verify),
    ("moderation", moderation::tables::verify),
    ("proposals", proposals::tables::verify),
    ("reports", reports::tables::verify),
    ("mail", crate::mail::outbox::verify),
    ("addresses", addresses::tables::verify),
    ("consultations", consultations::tables::verify),
    ("meetings", meetings::tables::verify),
    ("notifications", notifications::tables::verify),
    ("news", crate::domain::news::tables::verify),
    ("newsletters", crate::domain::newsletters::tables::verify),
    ("verification", crate::domain::verification::tables::verify),
    ("budgets", crate::domain::budgets::tables::verify),
    ("metrics", crate::domain::metrics::tables::verify),
    ("satisfaction", crate::domain::satisfaction::tables::verify),
    ("promotion", crate::domain::promotion::tables::verify),
    ("improve", crate::domain::improve::tables::verify),
    ("launch", crate::domain::launch::tables::verify),
    ("groups", crate::domain::groups::tables::verify),
];

/// The schema version stored in a database (0 for a new file).
pub fn stored_version<D: ReadableDatabase>(db: &D) -> Result<u64, StoreError> {
    let tx = db.begin_read()?;
    let table = match tx.open_table(META) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    Ok(table.get("schema_version")?.map(|v| v.value()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::AccountId;

    /// The migrations create every table this binary knows, with the types
    /// it uses: a table added to a concept without a migration step, or a
    /// step that declares a table with other types than its concept, fails
    /// here rather than on a resident's first click.
    #[test]
    fn the_migrations_create_every_table_with_the_types_the_concepts_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parvis.redb");
        let db = crate::store::db::open_database(&path, 8).unwrap();
        crate::store::db::migrate(&db).unwrap();
        let tx = db.begin_read().unwrap();
        let mut created: Vec<String> =
            tx.list_tables().unwrap().map(|t| redb::TableHandle::name(&t).to_string()).collect();
        let mut known: Vec<String> = tables().into_iter().map(|t| t.name).collect();
        created.sort();
        known.sort();
        assert_eq!(created, known);
        // Counting rows opens each table with its concept's definition: a
        // type that differs from the migration's is an error here.
        for table in tables() {
            (table.count)(&tx).unwrap_or_else(|e| panic!("{}: {e}", table.name));
        }
        assert_eq!(SCHEMA_VERSION, MIGRATIONS.len() as u64);
    }

    /// Step 6 indexes the photos of proposals posted before it, so that
    /// their files are still served once the index decides who sees them.
    #[test]
    fn step_6_indexes_the_photos_of_existing_proposals() {
        use super::v27::ProposalV1 as Proposal;
        use crate::domain::proposals::{self, tables::PROPOSAL_ID_BY_PHOTO, Photo, Status};
        use redb::ReadableTable;
        let dir = tempfile::tempdir().unwrap();
        let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
        crate::store::db::migrate_with(&db, &MIGRATIONS[..5]).unwrap();
        let tx = db.begin_write().unwrap();
        let photo = Photo { file: format!("{}.jpg", "c".repeat(32)), alt: String::new() };
        for (id, photo) in [(1, Some(photo.clone())), (2, None)] {
            let p = Proposal {
                id: proposals::ProposalId(id),
                box_id: proposals::BoxId(1),
                author: AccountId(3),
                title: "Bancs".into(),
                body: String::new(),
                category: None,
                neighbourhood: None,
                location: None,
                status: Status::Submitted,
                answer: None,
                supports: 0,
                threshold_reached_at: None,
                milestones: Vec::new(),
                created_at: 1,
                updated_at: 1,
                held: false,
                photo,
            };
            tx.open_table(proposals::tables::PROPOSAL_BY_ID)
                .unwrap()
                .insert(id, crate::store::encode(&p).unwrap().as_slice())
                .unwrap();
        }
        tx.commit().unwrap();
        crate::store::db::migrate(&db).unwrap();
        let tx = db.begin_read().unwrap();
        let rows: Vec<(String, u64)> = tx
            .open_table(PROPOSAL_ID_BY_PHOTO)
            .unwrap()
            .iter()
            .unwrap()
            .map(|r| {
                let row = r.unwrap();
                let (file, id) = row.0.value();
                (file.to_string(), id)
            })
            .collect();
        assert_eq!(rows, vec![(photo.file, 1)]);
        // Step 10 gives each of them its summary, for the lists.
        use redb::ReadableTableMetadata;
        let summaries = tx.open_table(proposals::tables::PROPOSAL_SUMMARY_BY_ID).unwrap();
        let first: proposals::Summary = crate::store::decode(summaries.get(1).unwrap().unwrap().value()).unwrap();
        assert_eq!((first.title.as_str(), first.author, summaries.len().unwrap()), ("Bancs", AccountId(3), 2));
    }

    #[test]
    fn table_names_are_unique() {
        let mut names: Vec<_> = tables().into_iter().map(|t| t.name).collect();
        let before = names.len();
        names.sort();
        names.dedup();
        assert_eq!(before, names.len());
    }
}

/// 5: secrets encrypted at rest — the key's fingerprint and the outbox's
/// public key. The secrets themselves are sealed right after, with the key,
/// by `store::encryption::check_or_seal` (a migration has no key).
mod v5 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const ENCRYPTION_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("encryption_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(ENCRYPTION_BY_NAME)?;
        Ok(())
    }
}

/// 6: photos tied to people — the proposals that show each stored photo
/// (filled from the proposals already posted), so that a photo is served
/// only while one of them may be seen, and the uploads not yet posted, so
/// that a form names only its author's own photo.
mod v6 {
    use redb::{ReadableTable, TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROPOSAL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_by_id");
    const PROPOSAL_ID_BY_PHOTO: TableDefinition<(&str, u64), ()> = TableDefinition::new("proposal_id_by_photo");
    const PHOTO_UPLOAD_BY_FILE_ACCOUNT: TableDefinition<(&str, u64), i64> =
        TableDefinition::new("photo_upload_by_file_account");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PHOTO_UPLOAD_BY_FILE_ACCOUNT)?;
        let mut by_photo = tx.open_table(PROPOSAL_ID_BY_PHOTO)?;
        // The proposal record is still at its version 1 (step 27 writes
        // version 2): decoding it here is reading the shape this step knew.
        for row in tx.open_table(PROPOSAL_BY_ID)?.iter()? {
            let (id, bytes) = row?;
            let p: super::v27::ProposalV1 = crate::store::decode(bytes.value())?;
            if let Some(photo) = &p.photo {
                by_photo.insert((photo.file.as_str(), id.value()), ())?;
            }
        }
        Ok(())
    }
}

/// 7: residents' addresses sealed — the index that finds an account by the
/// keyed hash of its address. A migration has no key: the addresses already
/// stored are sealed, the index filled and the clear index deleted right
/// after, with the key, by `store::encryption::check_or_seal` (which runs
/// while the clear index exists). A database without accounts (a new one)
/// has nothing to seal: its clear index goes here.
mod v7 {
    use redb::{ReadableTableMetadata, TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const ACCOUNT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("account_by_id");
    const ACCOUNT_ID_BY_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("account_id_by_email");
    const ACCOUNT_ID_BY_EMAIL_LOOKUP: TableDefinition<&[u8; 32], u64> =
        TableDefinition::new("account_id_by_email_lookup");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(ACCOUNT_ID_BY_EMAIL_LOOKUP)?;
        if tx.open_table(ACCOUNT_BY_ID)?.is_empty()? {
            tx.delete_table(ACCOUNT_ID_BY_EMAIL)?;
        }
        Ok(())
    }
}

/// 8: the commune's address list (Base Adresse Nationale) — the addresses,
/// their streets, the index of the streets' words and the grid of positions.
mod v8 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const ADDRESS_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("address_by_id");
    const ADDRESS_ID_BY_STREET_NUMBER: TableDefinition<(u64, u32, u64), ()> =
        TableDefinition::new("address_id_by_street_number");
    const ADDRESS_ID_BY_CELL: TableDefinition<(i32, i32, u64), (f64, f64)> = TableDefinition::new("address_id_by_cell");
    const STREET_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("street_by_id");
    const STREET_ID_BY_WORD: TableDefinition<(&str, u64), (&str, &str)> = TableDefinition::new("street_id_by_word");
    const ADDRESS_LIST_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("address_list_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(ADDRESS_BY_ID)?;
        tx.open_table(ADDRESS_ID_BY_STREET_NUMBER)?;
        tx.open_table(ADDRESS_ID_BY_CELL)?;
        tx.open_table(STREET_BY_ID)?;
        tx.open_table(STREET_ID_BY_WORD)?;
        tx.open_table(ADDRESS_LIST_BY_NAME)?;
        Ok(())
    }
}

/// 9: problem reports (« signalements ») — the reports, their indexes by
/// status, category, grid cell, author and photo, follows, "me too" and
/// timelines.
mod v9 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("problem_report_by_id");
    const PROBLEM_REPORT_ID_BY_STATUS_CREATED: TableDefinition<(&str, i64, u64), ()> =
        TableDefinition::new("problem_report_id_by_status_created");
    const PROBLEM_REPORT_ID_BY_CATEGORY_CREATED: TableDefinition<(&str, i64, u64), ()> =
        TableDefinition::new("problem_report_id_by_category_created");
    const PROBLEM_REPORT_ID_BY_CELL: TableDefinition<(i32, i32, u64), ()> =
        TableDefinition::new("problem_report_id_by_cell");
    const PROBLEM_REPORT_ID_BY_AUTHOR: TableDefinition<(u64, u64), ()> =
        TableDefinition::new("problem_report_id_by_author");
    const PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT: TableDefinition<(u64, u64), ()> =
        TableDefinition::new("problem_report_follow_by_report_account");
    const PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT: TableDefinition<(u64, u64), i64> =
        TableDefinition::new("problem_report_support_by_report_account");
    const PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("problem_report_update_by_report_seq");
    const PROBLEM_REPORT_ID_BY_PHOTO: TableDefinition<(&str, u64), ()> =
        TableDefinition::new("problem_report_id_by_photo");
    const PROBLEM_REPORT_COUNTER_BY_NAME: TableDefinition<&str, u64> =
        TableDefinition::new("problem_report_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_BY_ID)?;
        tx.open_table(PROBLEM_REPORT_ID_BY_STATUS_CREATED)?;
        tx.open_table(PROBLEM_REPORT_ID_BY_CATEGORY_CREATED)?;
        tx.open_table(PROBLEM_REPORT_ID_BY_CELL)?;
        tx.open_table(PROBLEM_REPORT_ID_BY_AUTHOR)?;
        tx.open_table(PROBLEM_REPORT_FOLLOW_BY_REPORT_ACCOUNT)?;
        tx.open_table(PROBLEM_REPORT_SUPPORT_BY_REPORT_ACCOUNT)?;
        tx.open_table(PROBLEM_REPORT_UPDATE_BY_REPORT_SEQ)?;
        tx.open_table(PROBLEM_REPORT_ID_BY_PHOTO)?;
        tx.open_table(PROBLEM_REPORT_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 10: fast lists — each proposal's summary (what a list shows and filters
/// by) beside its record, filled from the proposals already posted.
mod v10 {
    use redb::{ReadableTable, TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROPOSAL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_by_id");
    const PROPOSAL_SUMMARY_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_summary_by_id");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        use crate::domain::proposals::Summary;
        let mut summaries = tx.open_table(PROPOSAL_SUMMARY_BY_ID)?;
        // Proposal records are at their version 1 (step 27 writes version
        // 2) and summaries at their version 1, which this binary writes:
        // this is the shape this step knew.
        for row in tx.open_table(PROPOSAL_BY_ID)?.iter()? {
            let (id, bytes) = row?;
            let p: super::v27::ProposalV1 = crate::store::decode(bytes.value())?;
            let summary = Summary {
                id: p.id,
                box_id: p.box_id,
                author: p.author,
                title: p.title,
                status: p.status,
                supports: p.supports,
                category: p.category,
                neighbourhood: p.neighbourhood,
                location: p.location,
                held: p.held,
                created_at: p.created_at,
            };
            summaries.insert(id.value(), crate::store::encode(&summary)?.as_slice())?;
        }
        Ok(())
    }
}

/// 11: problem reports filed without an account — the list of those whose
/// emailed link was not followed yet, and the links' hashes.
mod v11 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED: TableDefinition<(i64, u64), ()> =
        TableDefinition::new("problem_report_id_by_unconfirmed_created");
    const PROBLEM_REPORT_CONFIRMATION_BY_HASH: TableDefinition<&[u8; 32], (u64, i64)> =
        TableDefinition::new("problem_report_confirmation_by_hash");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_ID_BY_UNCONFIRMED_CREATED)?;
        tx.open_table(PROBLEM_REPORT_CONFIRMATION_BY_HASH)?;
        Ok(())
    }
}

/// 12: problem reports' alerts — each report's "is it really fixed?"
/// round, the reports fixed whose author is not asked yet, and who follows
/// a neighbourhood or a category.
mod v12 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_FOLLOWUP_BY_REPORT: TableDefinition<u64, &[u8]> =
        TableDefinition::new("problem_report_followup_by_report");
    const PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED: TableDefinition<(i64, u64), ()> =
        TableDefinition::new("problem_report_followup_pending_by_fixed");
    const PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT: TableDefinition<(&str, &str, u64), i64> =
        TableDefinition::new("problem_report_area_follow_by_area_account");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_FOLLOWUP_BY_REPORT)?;
        tx.open_table(PROBLEM_REPORT_FOLLOWUP_PENDING_BY_FIXED)?;
        tx.open_table(PROBLEM_REPORT_AREA_FOLLOW_BY_AREA_ACCOUNT)?;
        Ok(())
    }
}

/// 13: problem reports, the staff's side — who a report is assigned to
/// (both ways), the staff's internal notes, the hidden reports and the
/// originals of redacted texts.
mod v13 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_ASSIGNEE_BY_REPORT: TableDefinition<u64, u64> =
        TableDefinition::new("problem_report_assignee_by_report");
    const PROBLEM_REPORT_ID_BY_ASSIGNEE: TableDefinition<(u64, u64), ()> =
        TableDefinition::new("problem_report_id_by_assignee");
    const PROBLEM_REPORT_NOTE_BY_REPORT_SEQ: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("problem_report_note_by_report_seq");
    const PROBLEM_REPORT_HIDDEN_BY_REPORT: TableDefinition<u64, i64> =
        TableDefinition::new("problem_report_hidden_by_report");
    const PROBLEM_REPORT_REDACTION_BY_REPORT_ITEM: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("problem_report_redaction_by_report_item");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_ASSIGNEE_BY_REPORT)?;
        tx.open_table(PROBLEM_REPORT_ID_BY_ASSIGNEE)?;
        tx.open_table(PROBLEM_REPORT_NOTE_BY_REPORT_SEQ)?;
        tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
        tx.open_table(PROBLEM_REPORT_REDACTION_BY_REPORT_ITEM)?;
        Ok(())
    }
}

/// 14: consultations — the consultations with their questionnaires, the
/// answers, the one-answer-per-account index, the result counts moved by
/// each answer, the drafts of signed-in residents, the id counter.
mod v14 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const CONSULTATION_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("consultation_by_id");
    const CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("consultation_answer_by_consultation_number");
    const CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT: TableDefinition<(u64, u64), u64> =
        TableDefinition::new("consultation_answer_by_consultation_account");
    const CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION: TableDefinition<(u64, u32, u32), u64> =
        TableDefinition::new("consultation_count_by_consultation_question_option");
    const CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("consultation_draft_by_consultation_account");
    const CONSULTATION_COUNTER_BY_NAME: TableDefinition<&str, u64> =
        TableDefinition::new("consultation_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(CONSULTATION_BY_ID)?;
        tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
        tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_ACCOUNT)?;
        tx.open_table(CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION)?;
        tx.open_table(CONSULTATION_DRAFT_BY_CONSULTATION_ACCOUNT)?;
        tx.open_table(CONSULTATION_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 15: problem reports — the answers to a category's extra questions.
mod v15 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_ANSWERS_BY_REPORT: TableDefinition<u64, &[u8]> =
        TableDefinition::new("problem_report_answers_by_report");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_ANSWERS_BY_REPORT)?;
        Ok(())
    }
}

/// 16: problem reports — the photos of a refused filing form, kept.
mod v16 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE: TableDefinition<&str, i64> =
        TableDefinition::new("problem_report_kept_upload_by_file");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_KEPT_UPLOAD_BY_FILE)?;
        Ok(())
    }
}

/// 17: problem reports — the reports sent to another system by Open311.
mod v17 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_SENDING_BY_REPORT: TableDefinition<u64, &[u8]> =
        TableDefinition::new("problem_report_sending_by_report");
    const PROBLEM_REPORT_SENDING_DUE_BY_AT: TableDefinition<(i64, u64), ()> =
        TableDefinition::new("problem_report_sending_due_by_at");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_SENDING_BY_REPORT)?;
        tx.open_table(PROBLEM_REPORT_SENDING_DUE_BY_AT)?;
        Ok(())
    }
}

/// 18: problem reports — the photos staff hid one by one, and the
/// "is it really fixed?" links of reports filed without an account.
mod v18 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE: TableDefinition<(u64, &str), &[u8]> =
        TableDefinition::new("problem_report_hidden_photo_by_report_file");
    const PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT: TableDefinition<u64, (&[u8; 32], u64)> =
        TableDefinition::new("problem_report_followup_link_by_report");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(PROBLEM_REPORT_HIDDEN_PHOTO_BY_REPORT_FILE)?;
        tx.open_table(PROBLEM_REPORT_FOLLOWUP_LINK_BY_REPORT)?;
        Ok(())
    }
}

/// 19: consultations' outcomes (« nous avons fait ») and who is told of
/// them (followers, and respondents who asked).
mod v19 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const CONSULTATION_OUTCOME_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("consultation_outcome_by_id");
    const CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT: TableDefinition<(u64, u64), u8> =
        TableDefinition::new("consultation_follow_by_consultation_account");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(CONSULTATION_OUTCOME_BY_ID)?;
        tx.open_table(CONSULTATION_FOLLOW_BY_CONSULTATION_ACCOUNT)?;
        Ok(())
    }
}

/// 20: problem reports at a large town's size — the nearby offer's index
/// (each public report not hidden, by category and small cell, with its
/// place and status) and the neighbourhood's list index, both filled from
/// the reports already filed.
mod v20 {
    use redb::{ReadableTable, TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const PROBLEM_REPORT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("problem_report_by_id");
    const PROBLEM_REPORT_HIDDEN_BY_REPORT: TableDefinition<u64, i64> =
        TableDefinition::new("problem_report_hidden_by_report");
    /// (category code, cell row, cell column, ReportId) → (latitude, longitude, status code).
    type Place = TableDefinition<'static, (&'static str, i32, i32, u64), (i32, i32, &'static str)>;
    const PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL: Place = TableDefinition::new("problem_report_place_by_category_cell");
    const PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED: TableDefinition<(&str, i64, u64), ()> =
        TableDefinition::new("problem_report_id_by_neighbourhood_created");
    /// The cell of this step's index: 0.001° (`reports::PLACE_CELL_MICRODEGREES`).
    const CELL: i32 = 1_000;

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        let mut places = tx.open_table(PROBLEM_REPORT_PLACE_BY_CATEGORY_CELL)?;
        let mut by_neighbourhood = tx.open_table(PROBLEM_REPORT_ID_BY_NEIGHBOURHOOD_CREATED)?;
        let hidden = tx.open_table(PROBLEM_REPORT_HIDDEN_BY_REPORT)?;
        // The report record is still at its version 1, which this binary
        // reads: decoding it here is reading the shape this step knew.
        for row in tx.open_table(PROBLEM_REPORT_BY_ID)?.iter()? {
            let (id, bytes) = row?;
            let (id, r) = (id.value(), crate::store::decode::<crate::domain::reports::ProblemReport>(bytes.value())?);
            // Waiting for its author's confirmation: in neither.
            if !r.confirmed {
                continue;
            }
            if let Some(n) = r.neighbourhood.as_deref() {
                by_neighbourhood.insert((n, r.created_at, id), ())?;
            }
            if hidden.get(id)?.is_none() {
                let cell = (r.lat.div_euclid(CELL), r.lon.div_euclid(CELL));
                places.insert((r.category.as_str(), cell.0, cell.1, id), (r.lat, r.lon, r.status.as_str()))?;
            }
        }
        Ok(())
    }
}

/// 21: news — the town hall's posts and their date index — and the
/// commune's own pages.
mod v21 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const NEWS_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("news_by_id");
    const NEWS_ID_BY_PUBLISHED: TableDefinition<(i64, u64), ()> = TableDefinition::new("news_id_by_published");
    const NEWS_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("news_counter_by_name");
    const PAGE_BY_SLUG: TableDefinition<&str, &[u8]> = TableDefinition::new("page_by_slug");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(NEWS_BY_ID)?;
        tx.open_table(NEWS_ID_BY_PUBLISHED)?;
        tx.open_table(NEWS_COUNTER_BY_NAME)?;
        // The commune's pages (`domain::pages`), in the same step: both
        // came in one version.
        tx.open_table(PAGE_BY_SLUG)?;
        Ok(())
    }
}

/// 22: consultations' documents and images, and the template a
/// consultation was made from.
mod v22 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER: TableDefinition<(u64, u32), &[u8]> =
        TableDefinition::new("consultation_document_by_consultation_number");
    const CONSULTATION_TEMPLATE_BY_ID: TableDefinition<u64, &str> = TableDefinition::new("consultation_template_by_id");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(CONSULTATION_DOCUMENT_BY_CONSULTATION_NUMBER)?;
        tx.open_table(CONSULTATION_TEMPLATE_BY_ID)?;
        Ok(())
    }
}

/// 23: consultations' conditions (« affichée seulement si ») — each
/// question gains `show_if` (none yet), each answer the list of questions
/// with a condition it was asked (none yet): the consultation and answer
/// records are written again at their version 2. With them, editable
/// answers: each consultation gains `editable` (off), each answer
/// `edited_at` (never).
mod v23 {
    use std::collections::BTreeMap;

    use redb::{ReadableTable, TableDefinition, WriteTransaction};
    use serde::{Deserialize, Serialize};

    use crate::domain::accounts::AccountId;
    use crate::domain::consultations::{
        Answer, Audience, Consultation, ConsultationId, Dates, Kind, Question, Respondent, Value,
    };
    use crate::store::{decode, encode, Record, StoreError};

    const CONSULTATION_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("consultation_by_id");
    const CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("consultation_answer_by_consultation_number");

    /// A question as version 1 stored it.
    #[derive(Serialize, Deserialize)]
    pub(crate) struct QuestionV1 {
        pub id: u32,
        pub page: u32,
        pub label: String,
        pub hint: String,
        pub required: bool,
        pub hidden: bool,
        pub kind: Kind,
    }

    /// A consultation as version 1 stored it.
    #[derive(Serialize, Deserialize)]
    pub(crate) struct ConsultationV1 {
        pub id: ConsultationId,
        pub title: String,
        pub summary: String,
        pub body: String,
        pub neighbourhood: Option<String>,
        pub audience: Audience,
        pub published: Option<Dates>,
        pub closed_early_at: Option<i64>,
        pub questions: Vec<QuestionV1>,
        pub next_question: u32,
        pub created_by: AccountId,
        pub created_at: i64,
        pub updated_at: i64,
    }

    impl Record for ConsultationV1 {
        const NAME: &'static str = "consultation (version 1)";
        const VERSION: u8 = 1;
    }

    /// An answer as version 1 stored it.
    #[derive(Serialize, Deserialize)]
    pub(crate) struct AnswerV1 {
        pub consultation: ConsultationId,
        pub number: u64,
        pub respondent: Respondent,
        pub at: i64,
        pub receipt: String,
        pub values: BTreeMap<u32, Value>,
    }

    impl Record for AnswerV1 {
        const NAME: &'static str = "consultation answer (version 1)";
        const VERSION: u8 = 1;
    }

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        let mut consultations = tx.open_table(CONSULTATION_BY_ID)?;
        let mut rewritten = Vec::new();
        for row in consultations.iter()? {
            let (id, bytes) = row?;
            let old: ConsultationV1 = decode(bytes.value())?;
            let questions = old
                .questions
                .into_iter()
                .map(|q| Question {
                    id: q.id,
                    page: q.page,
                    label: q.label,
                    hint: q.hint,
                    required: q.required,
                    hidden: q.hidden,
                    kind: q.kind,
                    show_if: None,
                })
                .collect();
            let new = Consultation {
                id: old.id,
                title: old.title,
                summary: old.summary,
                body: old.body,
                neighbourhood: old.neighbourhood,
                audience: old.audience,
                published: old.published,
                closed_early_at: old.closed_early_at,
                questions,
                next_question: old.next_question,
                created_by: old.created_by,
                created_at: old.created_at,
                updated_at: old.updated_at,
                editable: false,
            };
            rewritten.push((id.value(), encode(&new)?));
        }
        for (id, bytes) in rewritten {
            consultations.insert(id, bytes.as_slice())?;
        }
        let mut answers = tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)?;
        let mut rewritten = Vec::new();
        for row in answers.iter()? {
            let (key, bytes) = row?;
            let old: AnswerV1 = decode(bytes.value())?;
            let new = Answer {
                consultation: old.consultation,
                number: old.number,
                respondent: old.respondent,
                at: old.at,
                receipt: old.receipt,
                values: old.values,
                shown: Vec::new(),
                edited_at: None,
            };
            rewritten.push((key.value(), encode(&new)?));
        }
        for (key, bytes) in rewritten {
            answers.insert(key, bytes.as_slice())?;
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::consultations::tables as t;
        use redb::ReadableDatabase;

        /// A consultation and an answer written at version 1 (before
        /// conditions) read after the step: the same, with no condition and
        /// no question asked under one, and `verify` finds the counts right.
        #[test]
        fn step_23_reads_the_consultations_and_answers_written_before_conditions() {
            let dir = tempfile::tempdir().unwrap();
            let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
            crate::store::db::migrate_with(&db, &super::super::MIGRATIONS[..22]).unwrap();
            let kind = Kind::Single { options: vec!["Oui".into(), "Non".into()], dropdown: false, other: false };
            let old = ConsultationV1 {
                id: ConsultationId(1),
                title: "Parc".into(),
                summary: String::new(),
                body: String::new(),
                neighbourhood: None,
                audience: Audience::Anyone,
                published: Some(Dates { opens_at: 1, closes_at: 2 }),
                closed_early_at: None,
                questions: vec![QuestionV1 {
                    id: 1,
                    page: 1,
                    label: "Un parc ?".into(),
                    hint: String::new(),
                    required: true,
                    hidden: false,
                    kind: kind.clone(),
                }],
                next_question: 2,
                created_by: AccountId(3),
                created_at: 1,
                updated_at: 1,
            };
            let answer = AnswerV1 {
                consultation: ConsultationId(1),
                number: 1,
                respondent: Respondent::Visitor,
                at: 1,
                receipt: "1-1-ABCDEF".into(),
                values: BTreeMap::from([(1, Value::Choice { option: 0, other: None })]),
            };
            let tx = db.begin_write().unwrap();
            tx.open_table(CONSULTATION_BY_ID).unwrap().insert(1, encode(&old).unwrap().as_slice()).unwrap();
            tx.open_table(CONSULTATION_ANSWER_BY_CONSULTATION_NUMBER)
                .unwrap()
                .insert((1, 1), encode(&answer).unwrap().as_slice())
                .unwrap();
            tx.open_table(t::CONSULTATION_COUNTER_BY_NAME).unwrap().insert("next_consultation", 2).unwrap();
            let mut counts = tx.open_table(t::CONSULTATION_COUNT_BY_CONSULTATION_QUESTION_OPTION).unwrap();
            for key in
                [(1, t::TOTALS, t::ALL_ANSWERS), (1, t::TOTALS, t::VISITOR_ANSWERS), (1, 1, t::ANSWERED), (1, 1, 0)]
            {
                counts.insert(key, 1).unwrap();
            }
            drop(counts);
            tx.commit().unwrap();
            crate::store::db::migrate(&db).unwrap();
            let tx = db.begin_read().unwrap();
            let c = crate::domain::consultations::get(&tx, ConsultationId(1)).unwrap().unwrap();
            assert_eq!((c.title.as_str(), c.questions.len()), ("Parc", 1));
            assert_eq!((c.questions[0].kind.clone(), c.questions[0].show_if.clone()), (kind, None));
            let answers = crate::domain::consultations::answers(&tx, ConsultationId(1)).unwrap();
            assert_eq!(answers.len(), 1);
            assert_eq!((answers[0].receipt.as_str(), answers[0].shown.clone()), ("1-1-ABCDEF", vec![]));
            assert_eq!((c.editable, answers[0].edited_at), (false, None));
            assert_eq!(t::verify(&tx).unwrap(), Vec::<String>::new());
        }
    }
}

/// 24: who answered consultations — each answer's group (neighbourhood and
/// age bracket on the day) and the counts per group, filled in for the
/// answers already kept (`consultations::groups::backfill`).
mod v24 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const CONSULTATION_GROUP_BY_CONSULTATION_NUMBER: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("consultation_group_by_consultation_number");
    /// (ConsultationId, neighbourhood, age bracket, question id, option) → count.
    type GroupCounts = TableDefinition<'static, (u64, &'static str, &'static str, u32, u32), u64>;
    const CONSULTATION_GROUP_COUNT_BY_CONSULTATION_CELL_QUESTION_OPTION: GroupCounts =
        TableDefinition::new("consultation_group_count_by_consultation_cell_question_option");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(CONSULTATION_GROUP_BY_CONSULTATION_NUMBER)?;
        tx.open_table(CONSULTATION_GROUP_COUNT_BY_CONSULTATION_CELL_QUESTION_OPTION)?;
        // Step 23 wrote the answers at their version 2, which this binary
        // reads: the backfill decodes the shape this step knew.
        crate::domain::consultations::backfill_groups(tx)
    }
}

/// 25: consultations — the codes staff define for a question's written
/// answers, the answers they tag (by answer and by code) and each code's count.
mod v25 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE: TableDefinition<(u64, u32, u32), &[u8]> =
        TableDefinition::new("consultation_code_by_consultation_question_code");
    const CONSULTATION_TAG_BY_CONSULTATION_QUESTION_ANSWER_CODE: TableDefinition<(u64, u32, u64, u32), ()> =
        TableDefinition::new("consultation_tag_by_consultation_question_answer_code");
    const CONSULTATION_TAG_BY_CONSULTATION_QUESTION_CODE_ANSWER: TableDefinition<(u64, u32, u32, u64), ()> =
        TableDefinition::new("consultation_tag_by_consultation_question_code_answer");
    const CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE: TableDefinition<(u64, u32, u32), u64> =
        TableDefinition::new("consultation_code_count_by_consultation_question_code");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(CONSULTATION_CODE_BY_CONSULTATION_QUESTION_CODE)?;
        tx.open_table(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_ANSWER_CODE)?;
        tx.open_table(CONSULTATION_TAG_BY_CONSULTATION_QUESTION_CODE_ANSWER)?;
        tx.open_table(CONSULTATION_CODE_COUNT_BY_CONSULTATION_QUESTION_CODE)?;
        Ok(())
    }
}

/// 26: meetings and workshops — the meetings in the order they take place,
/// their registrations (visitors' addresses sealed) and the one-per-person
/// index.
mod v26 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const MEETING_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("meeting_by_id");
    const MEETING_ID_BY_START: TableDefinition<(i64, u64), ()> = TableDefinition::new("meeting_id_by_start");
    const MEETING_REGISTRATION_BY_MEETING_NUMBER: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("meeting_registration_by_meeting_number");
    const MEETING_REGISTRATION_BY_MEETING_WHO: TableDefinition<(u64, &[u8; 32]), u64> =
        TableDefinition::new("meeting_registration_by_meeting_who");
    const MEETING_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("meeting_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(MEETING_BY_ID)?;
        tx.open_table(MEETING_ID_BY_START)?;
        tx.open_table(MEETING_REGISTRATION_BY_MEETING_NUMBER)?;
        tx.open_table(MEETING_REGISTRATION_BY_MEETING_WHO)?;
        tx.open_table(MEETING_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 27: after the meeting — each meeting's minutes (« compte rendu »), what
/// it discussed (with the index from a proposal, consultation or report to
/// the meetings that discussed it) and the proposals a workshop produced;
/// proposals gain their origin (a workshop), written again at version 2.
mod v27 {
    use redb::{ReadableTable, TableDefinition, WriteTransaction};
    use serde::{Deserialize, Serialize};

    use crate::domain::accounts::AccountId;
    use crate::domain::proposals::{Answer, BoxId, Milestone, Photo, Proposal, ProposalId, Status};
    use crate::store::{decode, encode, Record, StoreError};

    const PROPOSAL_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("proposal_by_id");
    const MEETING_MINUTES_BY_MEETING: TableDefinition<u64, &[u8]> = TableDefinition::new("meeting_minutes_by_meeting");
    const MEETING_ID_BY_DISCUSSED: TableDefinition<(u8, u64, u64), ()> =
        TableDefinition::new("meeting_id_by_discussed");
    const MEETING_IDEA_BY_MEETING_PROPOSAL: TableDefinition<(u64, u64), ()> =
        TableDefinition::new("meeting_idea_by_meeting_proposal");

    /// A proposal as version 1 stored it (steps 3 to 26).
    #[derive(Serialize, Deserialize)]
    pub(crate) struct ProposalV1 {
        pub id: ProposalId,
        pub box_id: BoxId,
        pub author: AccountId,
        pub title: String,
        pub body: String,
        pub category: Option<String>,
        pub neighbourhood: Option<String>,
        pub location: Option<(f64, f64)>,
        pub status: Status,
        pub answer: Option<Answer>,
        pub supports: u64,
        pub threshold_reached_at: Option<i64>,
        pub milestones: Vec<Milestone>,
        pub created_at: i64,
        pub updated_at: i64,
        pub held: bool,
        pub photo: Option<Photo>,
    }

    impl Record for ProposalV1 {
        const NAME: &'static str = "proposal (version 1)";
        const VERSION: u8 = 1;
    }

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(MEETING_MINUTES_BY_MEETING)?;
        tx.open_table(MEETING_ID_BY_DISCUSSED)?;
        tx.open_table(MEETING_IDEA_BY_MEETING_PROPOSAL)?;
        let mut proposals = tx.open_table(PROPOSAL_BY_ID)?;
        let mut rewritten = Vec::new();
        for row in proposals.iter()? {
            let (id, bytes) = row?;
            let old: ProposalV1 = decode(bytes.value())?;
            // Every proposal before this step was posted online.
            let new = Proposal {
                id: old.id,
                box_id: old.box_id,
                author: old.author,
                title: old.title,
                body: old.body,
                category: old.category,
                neighbourhood: old.neighbourhood,
                location: old.location,
                status: old.status,
                answer: old.answer,
                supports: old.supports,
                threshold_reached_at: old.threshold_reached_at,
                milestones: old.milestones,
                created_at: old.created_at,
                updated_at: old.updated_at,
                held: old.held,
                photo: old.photo,
                origin: None,
            };
            rewritten.push((id.value(), encode(&new)?));
        }
        for (id, bytes) in rewritten {
            proposals.insert(id, bytes.as_slice())?;
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use redb::ReadableDatabase;

        /// A proposal written at version 1 reads after the step as it was,
        /// posted online (no origin).
        #[test]
        fn proposals_written_at_version_1_read_after_the_step_with_no_origin() {
            let dir = tempfile::tempdir().unwrap();
            let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
            crate::store::db::migrate_with(&db, &super::super::MIGRATIONS[..26]).unwrap();
            let old = ProposalV1 {
                id: ProposalId(4),
                box_id: BoxId(1),
                author: AccountId(3),
                title: "Un banc".into(),
                body: "Place du marché".into(),
                category: None,
                neighbourhood: Some("Centre".into()),
                location: None,
                status: Status::Accepted,
                answer: None,
                supports: 7,
                threshold_reached_at: Some(5),
                milestones: Vec::new(),
                created_at: 1,
                updated_at: 2,
                held: false,
                photo: None,
            };
            let tx = db.begin_write().unwrap();
            tx.open_table(PROPOSAL_BY_ID).unwrap().insert(4, encode(&old).unwrap().as_slice()).unwrap();
            tx.commit().unwrap();
            crate::store::db::migrate(&db).unwrap();
            let tx = db.begin_read().unwrap();
            let p = crate::domain::proposals::get(&tx, ProposalId(4)).unwrap().unwrap();
            assert_eq!((p.title.as_str(), p.supports, p.status, p.origin), ("Un banc", 7, Status::Accepted, None));
        }
    }
}

/// 28: news posts may carry an image — each post is written again at its
/// version 2, without one.
mod v28 {
    use redb::{ReadableTable, TableDefinition, WriteTransaction};
    use serde::{Deserialize, Serialize};

    use crate::domain::accounts::AccountId;
    use crate::domain::news::{NewsId, Post};
    use crate::store::{decode, encode, Record, StoreError};

    const NEWS_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("news_by_id");

    /// A news post as version 1 stored it.
    #[derive(Serialize, Deserialize)]
    pub(crate) struct PostV1 {
        pub id: NewsId,
        pub title: String,
        pub summary: String,
        pub body: String,
        pub published_at: Option<i64>,
        pub created_by: AccountId,
        pub created_at: i64,
        pub updated_at: i64,
    }

    impl Record for PostV1 {
        const NAME: &'static str = "news post (version 1)";
        const VERSION: u8 = 1;
    }

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        let mut posts = tx.open_table(NEWS_BY_ID)?;
        let mut rewritten = Vec::new();
        for row in posts.iter()? {
            let (id, bytes) = row?;
            let old: PostV1 = decode(bytes.value())?;
            let new = Post {
                id: old.id,
                title: old.title,
                summary: old.summary,
                body: old.body,
                published_at: old.published_at,
                created_by: old.created_by,
                created_at: old.created_at,
                updated_at: old.updated_at,
                image: None,
            };
            rewritten.push((id.value(), encode(&new)?));
        }
        for (id, bytes) in rewritten {
            posts.insert(id, bytes.as_slice())?;
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::news::tables as t;
        use redb::ReadableDatabase;

        /// A post written at version 1 reads after the step: the same
        /// words and dates, no image, and `verify` finds the date index right.
        #[test]
        fn step_27_reads_the_news_posts_written_before_images() {
            let dir = tempfile::tempdir().unwrap();
            let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
            crate::store::db::migrate_with(&db, &super::super::MIGRATIONS[..26]).unwrap();
            let old = PostV1 {
                id: NewsId(1),
                title: "Travaux".into(),
                summary: "En bref.".into(),
                body: "Le texte.".into(),
                published_at: Some(200),
                created_by: AccountId(3),
                created_at: 100,
                updated_at: 300,
            };
            let tx = db.begin_write().unwrap();
            tx.open_table(NEWS_BY_ID).unwrap().insert(1, encode(&old).unwrap().as_slice()).unwrap();
            tx.open_table(t::NEWS_ID_BY_PUBLISHED).unwrap().insert((200, 1), ()).unwrap();
            tx.commit().unwrap();
            crate::store::db::migrate(&db).unwrap();
            let tx = db.begin_read().unwrap();
            let p = crate::domain::news::get(&tx, NewsId(1)).unwrap().unwrap();
            assert_eq!((p.title.as_str(), p.published_at, p.updated_at, p.image), ("Travaux", Some(200), 300, None));
            assert_eq!(t::verify(&tx).unwrap(), Vec::<String>::new());
        }
    }
}

/// 29: notification settings, digests, fan-out after the commit — each
/// person's settings, the items waiting for a digest and their due index,
/// the fan-out jobs, and an unread counter per person, counted here once
/// from the notifications already kept.
mod v29 {
    use redb::{ReadableTable, TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const NOTIFICATION_BY_ACCOUNT_SEQ: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("notification_by_account_seq");
    const NOTIFICATION_UNREAD_BY_ACCOUNT: TableDefinition<u64, u64> =
        TableDefinition::new("notification_unread_by_account");
    const NOTIFICATION_SETTINGS_BY_ACCOUNT: TableDefinition<u64, &[u8]> =
        TableDefinition::new("notification_settings_by_account");
    const NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("notification_digest_item_by_account_seq");
    const NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ: TableDefinition<(u8, i64, u64, u64), ()> =
        TableDefinition::new("notification_digest_due_by_cadence_at_account_seq");
    const NOTIFICATION_FANOUT_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("notification_fanout_by_id");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(NOTIFICATION_SETTINGS_BY_ACCOUNT)?;
        tx.open_table(NOTIFICATION_DIGEST_ITEM_BY_ACCOUNT_SEQ)?;
        tx.open_table(NOTIFICATION_DIGEST_DUE_BY_CADENCE_AT_ACCOUNT_SEQ)?;
        tx.open_table(NOTIFICATION_FANOUT_BY_ID)?;
        let mut counts = std::collections::BTreeMap::<u64, u64>::new();
        for row in tx.open_table(NOTIFICATION_BY_ACCOUNT_SEQ)?.iter()? {
            let (k, v) = row?;
            // Version 1 of a notification, as it is at this step.
            if !crate::store::decode::<crate::domain::notifications::Notification>(v.value())?.read {
                *counts.entry(k.value().0).or_default() += 1;
            }
        }
        let mut unread = tx.open_table(NOTIFICATION_UNREAD_BY_ACCOUNT)?;
        for (account, n) in counts {
            unread.insert(account, n)?;
        }
        Ok(())
    }
}

/// 30: newsletters, and the consent to receive them (with its log).
mod v30 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const NEWSLETTER_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("newsletter_by_id");
    const NEWSLETTER_ID_BY_SENT: TableDefinition<(i64, u64), ()> = TableDefinition::new("newsletter_id_by_sent");
    const NEWSLETTER_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("newsletter_counter_by_name");
    const NEWSLETTER_CONSENT_BY_ACCOUNT: TableDefinition<u64, &[u8]> =
        TableDefinition::new("newsletter_consent_by_account");
    const NEWSLETTER_SUBSCRIBER_BY_ACCOUNT: TableDefinition<u64, ()> =
        TableDefinition::new("newsletter_subscriber_by_account");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(NEWSLETTER_BY_ID)?;
        tx.open_table(NEWSLETTER_ID_BY_SENT)?;
        tx.open_table(NEWSLETTER_COUNTER_BY_NAME)?;
        tx.open_table(NEWSLETTER_CONSENT_BY_ACCOUNT)?;
        tx.open_table(NEWSLETTER_SUBSCRIBER_BY_ACCOUNT)?;
        Ok(())
    }
}

/// 31: verification of residents — verified accounts and the one-person
/// index, letters and their codes, the imported list's hashes, wrong tries.
mod v31 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const VERIFICATION_BY_ACCOUNT: TableDefinition<u64, &[u8]> = TableDefinition::new("verification_by_account");
    const VERIFICATION_ACCOUNT_BY_PERSON: TableDefinition<&[u8; 32], u64> =
        TableDefinition::new("verification_account_by_person");
    const VERIFICATION_LETTER_BY_ACCOUNT: TableDefinition<u64, &[u8]> =
        TableDefinition::new("verification_letter_by_account");
    const VERIFICATION_ACCOUNT_BY_CODE: TableDefinition<&[u8; 32], u64> =
        TableDefinition::new("verification_account_by_code");
    const VERIFICATION_PERSON_BY_LIST_HASH: TableDefinition<&[u8; 32], &[u8; 32]> =
        TableDefinition::new("verification_person_by_list_hash");
    const VERIFICATION_LIST_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("verification_list_by_name");
    const VERIFICATION_TRIES_BY_ACCOUNT: TableDefinition<u64, (i64, u32)> =
        TableDefinition::new("verification_tries_by_account");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(VERIFICATION_BY_ACCOUNT)?;
        tx.open_table(VERIFICATION_ACCOUNT_BY_PERSON)?;
        tx.open_table(VERIFICATION_LETTER_BY_ACCOUNT)?;
        tx.open_table(VERIFICATION_ACCOUNT_BY_CODE)?;
        tx.open_table(VERIFICATION_PERSON_BY_LIST_HASH)?;
        tx.open_table(VERIFICATION_LIST_BY_NAME)?;
        tx.open_table(VERIFICATION_TRIES_BY_ACCOUNT)?;
        Ok(())
    }
}

/// 32: participatory budgets — processes, projects, the voter roll and the
/// ballot box (random 128-bit keys).
mod v32 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const BUDGET_PROCESS_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("budget_process_by_id");
    const BUDGET_PROJECT_BY_PROCESS_NUMBER: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("budget_project_by_process_number");
    const BUDGET_ROLL_BY_PROCESS_ACCOUNT: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("budget_roll_by_process_account");
    const BUDGET_BALLOT_BY_PROCESS_ID: TableDefinition<(u64, u128), &[u8]> =
        TableDefinition::new("budget_ballot_by_process_id");
    const BUDGET_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("budget_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(BUDGET_PROCESS_BY_ID)?;
        tx.open_table(BUDGET_PROJECT_BY_PROCESS_NUMBER)?;
        tx.open_table(BUDGET_ROLL_BY_PROCESS_ACCOUNT)?;
        tx.open_table(BUDGET_BALLOT_BY_PROCESS_ID)?;
        tx.open_table(BUDGET_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 33: meetings — visitors' requests to register, kept until they follow
/// the mailed link; the documents attached to a meeting's minutes.
mod v33 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const MEETING_PENDING_BY_MEETING_WHO: TableDefinition<(u64, &[u8; 32]), &[u8]> =
        TableDefinition::new("meeting_pending_by_meeting_who");
    const MEETING_DOCUMENT_BY_MEETING_NUMBER: TableDefinition<(u64, u32), &[u8]> =
        TableDefinition::new("meeting_document_by_meeting_number");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(MEETING_PENDING_BY_MEETING_WHO)?;
        tx.open_table(MEETING_DOCUMENT_BY_MEETING_NUMBER)?;
        Ok(())
    }
}

/// 34: measuring success — the daily roll-up of contributions and
/// participants, and the impact figures (empty: the first roll-up back-fills).
mod v34 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const METRICS_COUNT_BY_DAY_KIND_GROUP: TableDefinition<(i64, &str, &str, &str), u64> =
        TableDefinition::new("metrics_count_by_day_kind_group");
    const METRICS_COUNT_BY_DAY_KIND: TableDefinition<(i64, &str), u64> =
        TableDefinition::new("metrics_count_by_day_kind");
    const METRICS_ACTIVE_BY_MONTH_ACCOUNT: TableDefinition<(u32, u64), ()> =
        TableDefinition::new("metrics_active_by_month_account");
    const METRICS_FIRST_MONTH_BY_ACCOUNT: TableDefinition<u64, u32> =
        TableDefinition::new("metrics_first_month_by_account");
    const METRICS_PARTICIPANTS_BY_MONTH_GROUP: TableDefinition<(u32, &str, &str), (u64, u64)> =
        TableDefinition::new("metrics_participants_by_month_group");
    const METRICS_IMPACT_BY_MEASURE_MONTH_CATEGORY_OUTCOME: TableDefinition<(&str, u32, &str, &str), u64> =
        TableDefinition::new("metrics_impact_by_measure_month_category_outcome");
    const METRICS_DELAY_BY_MEASURE_MONTH_CATEGORY_DAYS: TableDefinition<(&str, u32, &str, u32), u64> =
        TableDefinition::new("metrics_delay_by_measure_month_category_days");
    const METRICS_STATE_BY_NAME: TableDefinition<&str, i64> = TableDefinition::new("metrics_state_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(METRICS_COUNT_BY_DAY_KIND_GROUP)?;
        tx.open_table(METRICS_COUNT_BY_DAY_KIND)?;
        tx.open_table(METRICS_ACTIVE_BY_MONTH_ACCOUNT)?;
        tx.open_table(METRICS_FIRST_MONTH_BY_ACCOUNT)?;
        tx.open_table(METRICS_PARTICIPANTS_BY_MONTH_GROUP)?;
        tx.open_table(METRICS_IMPACT_BY_MEASURE_MONTH_CATEGORY_OUTCOME)?;
        tx.open_table(METRICS_DELAY_BY_MEASURE_MONTH_CATEGORY_DAYS)?;
        tx.open_table(METRICS_STATE_BY_NAME)?;
        Ok(())
    }
}

/// 35: budgets — each project's photo has its text alternative; projects
/// are written again at version 2.
mod v35 {
    use redb::{ReadableTable, TableDefinition, WriteTransaction};
    use serde::{Deserialize, Serialize};

    use crate::domain::budgets::{ProcessId, Project, ProjectPhoto, Study};
    use crate::domain::ids::ProposalId;
    use crate::store::{decode, encode, Record, StoreError};

    const BUDGET_PROJECT_BY_PROCESS_NUMBER: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("budget_project_by_process_number");

    /// A project as version 1 stored it (steps 32 to 34).
    #[derive(Serialize, Deserialize)]
    pub(crate) struct ProjectV1 {
        pub process: ProcessId,
        pub number: u64,
        pub title: String,
        pub description: String,
        pub proposed_cost_cents: u64,
        pub pot: usize,
        pub neighbourhood: Option<String>,
        pub category: String,
        pub coords: Option<(f64, f64)>,
        pub photos: Vec<String>,
        pub study: Study,
        pub from_proposal: Option<ProposalId>,
        pub created_at: i64,
        pub updated_at: i64,
    }

    impl Record for ProjectV1 {
        const NAME: &'static str = "budget project (version 1)";
        const VERSION: u8 = 1;
    }

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        let mut projects = tx.open_table(BUDGET_PROJECT_BY_PROCESS_NUMBER)?;
        let mut rewritten = Vec::new();
        for row in projects.iter()? {
            let (key, bytes) = row?;
            let old: ProjectV1 = decode(bytes.value())?;
            let title = old.title.clone();
            let new = Project {
                process: old.process,
                number: old.number,
                title: old.title,
                description: old.description,
                proposed_cost_cents: old.proposed_cost_cents,
                pot: old.pot,
                neighbourhood: old.neighbourhood,
                category: old.category,
                coords: old.coords,
                // A file named without its text: described by its project's
                // title, the best text known, rather than lost.
                photos: old.photos.into_iter().map(|file| ProjectPhoto { file, alt: title.clone() }).collect(),
                study: old.study,
                from_proposal: old.from_proposal,
                created_at: old.created_at,
                updated_at: old.updated_at,
            };
            rewritten.push((key.value(), encode(&new)?));
        }
        for (key, bytes) in rewritten {
            projects.insert(key, bytes.as_slice())?;
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use redb::ReadableDatabase;

        /// A project written at version 1 reads after the step as it was.
        #[test]
        fn step_35_reads_the_budget_projects_written_at_version_1() {
            let dir = tempfile::tempdir().unwrap();
            let db = crate::store::db::open_database(&dir.path().join("parvis.redb"), 8).unwrap();
            crate::store::db::migrate_with(&db, &super::super::MIGRATIONS[..34]).unwrap();
            let old = ProjectV1 {
                process: ProcessId(2),
                number: 3,
                title: "Des bancs au parc".into(),
                description: "À l'ombre.".into(),
                proposed_cost_cents: 1_200_000,
                pot: 1,
                neighbourhood: Some("Centre".into()),
                category: "Nature".into(),
                coords: Some((45.76, 4.83)),
                photos: vec!["abc.jpg".into()],
                study: Study::Feasible { cost_cents: 1_500_000 },
                from_proposal: Some(ProposalId(9)),
                created_at: 1,
                updated_at: 2,
            };
            let tx = db.begin_write().unwrap();
            tx.open_table(BUDGET_PROJECT_BY_PROCESS_NUMBER)
                .unwrap()
                .insert((2, 3), encode(&old).unwrap().as_slice())
                .unwrap();
            tx.commit().unwrap();
            crate::store::db::migrate(&db).unwrap();
            let tx = db.begin_read().unwrap();
            let table = tx.open_table(BUDGET_PROJECT_BY_PROCESS_NUMBER).unwrap();
            let new: Project = decode(table.get((2, 3)).unwrap().unwrap().value()).unwrap();
            assert_eq!(new.title, "Des bancs au parc");
            assert_eq!(new.study, Study::Feasible { cost_cents: 1_500_000 });
            assert_eq!((new.pot, new.coords, new.from_proposal), (1, Some((45.76, 4.83)), Some(ProposalId(9))));
            assert_eq!(new.photos, vec![ProjectPhoto { file: "abc.jpg".into(), alt: "Des bancs au parc".into() }]);
        }
    }
}

/// 36: budgets — the winners' follow-up: each winning project's status,
/// progress and milestones.
mod v36 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const BUDGET_FOLLOW_UP_BY_PROCESS_NUMBER: TableDefinition<(u64, u64), &[u8]> =
        TableDefinition::new("budget_follow_up_by_process_number");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(BUDGET_FOLLOW_UP_BY_PROCESS_NUMBER)?;
        Ok(())
    }
}

/// 37: budgets — participation counts per process, neighbourhood and age
/// bracket, kept with the roll; back-filled from the roll and each voter's
/// account as it is now (what the results page computed until then).
mod v37 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const BUDGET_VOTERS_BY_PROCESS_GROUP: TableDefinition<(u64, &str, &str), u64> =
        TableDefinition::new("budget_voters_by_process_group");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(BUDGET_VOTERS_BY_PROCESS_GROUP)?;
        crate::domain::budgets::backfill_turnout(tx)
    }
}

/// 38: budgets — the voter roll of people on the commune's list who have no
/// account and voted at a polling table, keyed by their person key.
mod v38 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const BUDGET_ROLL_BY_PROCESS_PERSON: TableDefinition<(u64, &[u8; 32]), &[u8]> =
        TableDefinition::new("budget_roll_by_process_person");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(BUDGET_ROLL_BY_PROCESS_PERSON)?;
        Ok(())
    }
}

/// 39: budgets — each process's title and dates for the home page, written
/// for the processes kept before.
mod v39 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const BUDGET_SUMMARY_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("budget_summary_by_id");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(BUDGET_SUMMARY_BY_ID)?;
        crate::domain::budgets::backfill_summaries(tx)
    }
}

/// 40: the quarterly satisfaction survey — which consultation is which
/// quarter's survey, and who put its banner away.
mod v40 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const SATISFACTION_SURVEY_BY_QUARTER: TableDefinition<u32, u64> =
        TableDefinition::new("satisfaction_survey_by_quarter");
    const SATISFACTION_QUARTER_BY_SURVEY: TableDefinition<u64, u32> =
        TableDefinition::new("satisfaction_quarter_by_survey");
    const SATISFACTION_DISMISSED_BY_ACCOUNT_QUARTER: TableDefinition<(u64, u32), i64> =
        TableDefinition::new("satisfaction_dismissed_by_account_quarter");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(SATISFACTION_SURVEY_BY_QUARTER)?;
        tx.open_table(SATISFACTION_QUARTER_BY_SURVEY)?;
        tx.open_table(SATISFACTION_DISMISSED_BY_ACCOUNT_QUARTER)?;
        Ok(())
    }
}

/// 41: the promotion kit's short addresses (`/p/<name>`) and their index
/// by process.
mod v41 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const SHORT_LINK_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("short_link_by_name");
    const SHORT_LINK_NAME_BY_TARGET: TableDefinition<(&str, u64), &str> =
        TableDefinition::new("short_link_name_by_target");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(SHORT_LINK_BY_NAME)?;
        tx.open_table(SHORT_LINK_NAME_BY_TARGET)?;
        Ok(())
    }
}

/// 42: the satisfaction survey's one email — who was invited to which
/// quarter's survey.
mod v42 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const SATISFACTION_INVITED_BY_QUARTER_ACCOUNT: TableDefinition<(u32, u64), i64> =
        TableDefinition::new("satisfaction_invited_by_quarter_account");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(SATISFACTION_INVITED_BY_QUARTER_ACCOUNT)?;
        Ok(())
    }
}

/// 43: the open-data export's counter of withdrawals — an archive made
/// before something was hidden is made again before it is served.
mod v43 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const OPENDATA_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("opendata_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(OPENDATA_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 44: residents shaping the platform — the « Améliorer ce site » box's
/// mark, the workshops that were co-design sessions, the answers to « cette
/// page vous a-t-elle été utile ? ».
mod v44 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const IMPROVE_BOX_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("improve_box_by_name");
    const CODESIGN_BY_MEETING: TableDefinition<u64, i64> = TableDefinition::new("codesign_by_meeting");
    const PAGE_FEEDBACK_TOTALS_BY_PATH: TableDefinition<&str, (u64, u64)> =
        TableDefinition::new("page_feedback_totals_by_path");
    const PAGE_FEEDBACK_REMARK_BY_PATH_ID: TableDefinition<(&str, u64), &[u8]> =
        TableDefinition::new("page_feedback_remark_by_path_id");
    const PAGE_FEEDBACK_COUNTER_BY_NAME: TableDefinition<&str, u64> =
        TableDefinition::new("page_feedback_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(IMPROVE_BOX_BY_NAME)?;
        tx.open_table(CODESIGN_BY_MEETING)?;
        tx.open_table(PAGE_FEEDBACK_TOTALS_BY_PATH)?;
        tx.open_table(PAGE_FEEDBACK_REMARK_BY_PATH_ID)?;
        tx.open_table(PAGE_FEEDBACK_COUNTER_BY_NAME)?;
        Ok(())
    }
}

/// 45: the launch campaign (issue 16): its record and the contest's ideas
/// marked « primée »; and the metrics roll-up made again from the first
/// day, so that it counts the sign-ups of the days rolled before.
mod v45 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const LAUNCH_CAMPAIGN_BY_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("launch_campaign_by_name");
    const LAUNCH_AWARD_BY_BOX_PROPOSAL: TableDefinition<(u64, u64), i64> =
        TableDefinition::new("launch_award_by_box_proposal");
    const METRICS_STATE_BY_NAME: TableDefinition<&str, i64> = TableDefinition::new("metrics_state_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(LAUNCH_CAMPAIGN_BY_NAME)?;
        tx.open_table(LAUNCH_AWARD_BY_BOX_PROPOSAL)?;
        // No day rolled up: the next roll-up back-fills every day.
        tx.open_table(METRICS_STATE_BY_NAME)?.remove("rolled_through")?;
        Ok(())
    }
}

/// 46: pilot groups, their members and invitations, and the processes
/// private to one of them.
mod v46 {
    use redb::{TableDefinition, WriteTransaction};

    use crate::store::StoreError;

    const GROUP_BY_ID: TableDefinition<u64, &[u8]> = TableDefinition::new("group_by_id");
    const GROUP_MEMBER_BY_GROUP_ACCOUNT: TableDefinition<(u64, u64), i64> =
        TableDefinition::new("group_member_by_group_account");
    const GROUP_INVITATION_BY_HASH: TableDefinition<&[u8; 32], &[u8]> =
        TableDefinition::new("group_invitation_by_hash");
    const GROUP_INVITATION_HASH_BY_GROUP: TableDefinition<(u64, &[u8; 32]), ()> =
        TableDefinition::new("group_invitation_hash_by_group");
    const GROUP_ID_BY_PROCESS: TableDefinition<(&str, u64), u64> = TableDefinition::new("group_id_by_process");
    const GROUP_OPENING_BY_PROCESS: TableDefinition<(&str, u64), &[u8]> =
        TableDefinition::new("group_opening_by_process");
    const GROUP_COUNTER_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("group_counter_by_name");

    pub(super) fn run(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(GROUP_BY_ID)?;
        tx.open_table(GROUP_MEMBER_BY_GROUP_ACCOUNT)?;
        tx.open_table(GROUP_INVITATION_BY_HASH)?;
        tx.open_table(GROUP_INVITATION_HASH_BY_GROUP)?;
        tx.open_table(GROUP_ID_BY_PROCESS)?;
        tx.open_table(GROUP_OPENING_BY_PROCESS)?;
        tx.open_table(GROUP_COUNTER_BY_NAME)?;
        Ok(())
    }
}
