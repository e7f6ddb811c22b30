//! Storage: redb opened with its migrations, the codec, the group-commit
//! writer, verification and backups. Only this module and the `tables.rs` of
//! each concept know redb; the web layer never does.

pub mod backup;
pub mod codec;
pub mod db;
pub mod encryption;
pub mod schema;
pub mod tx;
pub mod writer;

pub use codec::{decode, encode, Record};
pub use db::{Store, VerifyReport};
pub use tx::{keys_after, record, Keyed, ReadTx, Tx, WriteTx};
pub use writer::Writer;

use std::path::PathBuf;

/// Everything that can go wrong in storage. Messages say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {path} is in use by another Parvis process: stop that process first (`parvis backup` works while it runs)")]
    Locked { path: PathBuf },
    #[error("the database was written by a newer Parvis (schema version {found}, this binary knows up to {supported}): install the newer version of Parvis, or restore a backup made by this one")]
    NewerSchema { found: u64, supported: u64 },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("database error: {0}")]
    Database(String),
    #[error("the stored {record} cannot be read: {detail}")]
    Codec { record: &'static str, detail: String },
    #[error(
        "the stored {record} has format version {found}, this binary reads version {expected}: a migration is missing"
    )]
    FormatVersion { record: &'static str, found: u8, expected: u8 },
    #[error("the table {0} is not known to this version of Parvis")]
    UnknownTable(String),
    #[error("the file failed verification: {0}")]
    Invalid(String),
    #[error("the database is closed")]
    Closed,
    #[error("the disk is full: nothing can be saved until space is freed on the server (pages can still be read)")]
    DiskFull,
    #[error("the database is being reopened after an I/O error; try again in a moment")]
    Unavailable,
    #[error("internal error in a write operation: {0}")]
    Internal(String),
    /// The database was sealed with another key than the one given.
    #[error("this database was encrypted with the key whose fingerprint is {stored}; the key file {key_file} has fingerprint {given}: put back the key file that goes with this database or backup (see the admin guide, \"The encryption key\"); nothing was changed")]
    WrongKey { stored: String, given: String, key_file: String },
    #[error(transparent)]
    Key(#[from] crate::crypto::KeyError),
    /// A sealed value does not open with the right key: damaged data.
    #[error("an encrypted {what} cannot be read: {source}")]
    Sealed { what: &'static str, source: crate::crypto::CryptoError },
}

impl StoreError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io { path: path.into(), source }
    }
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Database(e.to_string())
            }
        }
    )*};
}
from_redb!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// Lets a domain error type that wraps `StoreError` take redb's errors with
/// `?` directly, so domain code reads without `map_err` noise.
#[macro_export]
macro_rules! redb_errors_into {
    ($target:ty) => {
        $crate::redb_errors_into!(
            $target;
            redb::TableError,
            redb::StorageError,
            redb::TransactionError,
            redb::CommitError
        );
    };
    ($target:ty; $($t:ty),*) => {$(
        impl From<$t> for $target {
            fn from(e: $t) -> Self {
                <$target>::from($crate::store::StoreError::from(e))
            }
        }
    )*};
}
