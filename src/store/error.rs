//! What can go wrong in the store, each case saying what failed and what the operator does next.

use std::path::PathBuf;

use crate::domain::ids::BookingId;

/// An error from the store. Its text is for the log and the operator, never for a client.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "another okno is already running on the data dir {dir}: stop it first, \
         or start this one with another --data-dir"
    )]
    Locked { dir: PathBuf },

    #[error("{dir} is a file, not a folder: give --data-dir (or OKNO_DATA_DIR) a folder")]
    NotADir { dir: PathBuf },

    #[error("could not create the data dir {dir}: check the path and that okno may write there")]
    CreateDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "could not open the store in {dir}: check that the folder is readable and writable; \
         if its files are damaged, restore the latest backup into an empty folder"
    )]
    Open {
        dir: PathBuf,
        #[source]
        source: sled::Error,
    },

    #[error(
        "the store in {dir} has schema version {found}, but this okno understands only up to \
         {supported}: run the newer okno that wrote it, or restore a backup made by this version"
    )]
    NewerSchema { dir: PathBuf, found: u32, supported: u32 },

    #[error(
        "the store failed while {action}: the disk may be full or failing; \
         check free space and the log, then restart okno"
    )]
    Db {
        action: &'static str,
        #[source]
        source: sled::Error,
    },

    /// `detail` is where decoding failed, never serde's message: that may quote stored data.
    #[error(
        "a stored {what} could not be read ({detail}): the store may be damaged or written by \
         another version; restore the latest backup into an empty folder"
    )]
    Corrupt { what: &'static str, detail: String },

    #[error(
        "a {what} index points at a record that is missing: the store is damaged; \
         restore the latest backup into an empty folder"
    )]
    BrokenIndex { what: &'static str },

    #[error("could not encode a {what} for storage: this is a bug in okno, please report it")]
    Encode {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },

    #[error(
        "could not start the thread that flushes the store: the system is short of threads \
         or memory; stop other programs or raise the limits, then restart okno"
    )]
    FlushThread {
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the flush to disk stopped before it finished (okno is shutting down or a thread \
         panicked): see the log; the client was not told, and may simply try again"
    )]
    FlushTask,

    #[error(
        "booking {booking:?} is no longer active and cannot be made active again: \
         make a new booking for that time instead"
    )]
    Reactivate { booking: BookingId },

    #[error("could not write the backup {path}: check that the folder exists and has free space")]
    BackupWrite {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not read the backup {path}: check the path and the file's permissions")]
    BackupRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "{path} line {line} is not something this okno can restore ({reason}): \
         check that it is an okno backup and not cut short"
    )]
    BackupFormat { path: PathBuf, line: usize, reason: String },

    #[error(
        "will not restore into {dir}: it is not empty; restore into a new or empty folder \
         and point --data-dir at it"
    )]
    RestoreNotEmpty { dir: PathBuf },
}

impl StoreError {
    /// A value that does not decode, described without quoting any of it.
    pub(crate) fn corrupt(what: &'static str) -> impl FnOnce(serde_json::Error) -> StoreError {
        move |err| StoreError::Corrupt { what, detail: json_failure(&err) }
    }

    /// Wraps a sled error with what the store was doing at the time.
    pub(crate) fn db(action: &'static str) -> impl FnOnce(sled::Error) -> StoreError {
        move |source| StoreError::Db { action, source }
    }

    /// Wraps a transaction failure; our transactions never abort on purpose.
    pub(crate) fn tx(
        action: &'static str,
    ) -> impl FnOnce(sled::transaction::TransactionError<std::convert::Infallible>) -> StoreError
    {
        move |err| match err {
            sled::transaction::TransactionError::Storage(source) => {
                StoreError::Db { action, source }
            }
            sled::transaction::TransactionError::Abort(never) => match never {},
        }
    }
}

/// Where and what kind of JSON failure, without serde's message, which may quote the data.
pub(crate) fn json_failure(err: &serde_json::Error) -> String {
    format!("{:?} error at line {}, column {}", err.classify(), err.line(), err.column())
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
