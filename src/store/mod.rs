//! The store: sled behind one plain interface, so nothing else in okno knows the engine.
//!
//! Client history is keyed by an opaque `ClientId`; the person (name, phone) and the consent
//! live in their own trees so `forget_client` can erase them and leave counts behind. Writes a
//! client is told about (a booking, a consent) are flushed before returning; dialog state and
//! leads are not, and may lose the last half second in a crash.
//!
//! Events are keyed by time (milliseconds, then a sequence number), and that key is the day
//! index: a day's or a year's events are one range scan, so no separate rollup counters exist.
//!
//! The API is blocking. Calls take microseconds, except flushing ones (milliseconds); async
//! callers may call them directly or through `spawn_blocking` when that matters.

mod backup;
mod bookings;
mod clients;
mod dialogs;
mod error;
mod events;
mod forget;
mod keys;
mod leads;
mod restore;
mod schema;
mod status;

#[cfg(test)]
mod testing;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

pub use backup::BackupReport;
pub use bookings::SlotTaken;
pub use clients::{Consent, Person};
pub use error::{Result, StoreError};
pub use events::{Event, EventKind};
pub use leads::{Lead, LeadStatus};
pub use restore::RestoreReport;

use schema::Trees;

/// sled's page cache. The default (1 GiB) is far more than a small business's data needs.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// A handle to the store. Clones share one database; only one process may open a data dir.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    db: sled::Db,
    trees: Trees,
    /// Held by every booking write, so a collision check and its insert cannot interleave.
    bookings_lock: Mutex<()>,
}

impl Store {
    /// Opens (or creates) the store in `dir` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store> {
        let db = open_db(dir)?;
        let trees = Trees::open(&db)?;
        schema::migrate(dir, &trees.meta)?;

        tracing::info!(recovered = db.was_recovered(), "store opened");
        let inner = Inner { dir: dir.to_path_buf(), db, trees, bookings_lock: Mutex::new(()) };
        Ok(Store { inner: Arc::new(inner) })
    }

    /// Writes everything to disk; returns once it is there.
    pub fn flush(&self) -> Result<()> {
        self.inner.db.flush().map_err(StoreError::db("flushing to disk"))?;
        Ok(())
    }

    /// Like `flush`, without blocking an async runtime's thread.
    pub async fn flush_async(&self) -> Result<()> {
        self.inner.db.flush_async().await.map_err(StoreError::db("flushing to disk"))?;
        Ok(())
    }

    /// The data dir this store was opened in.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    fn trees(&self) -> &Trees {
        &self.inner.trees
    }

    fn next_id(&self) -> Result<u64> {
        schema::next_id(&self.inner.trees.meta)
    }

    /// A poisoned lock only means another booking write panicked; the trees are still whole,
    /// because each write is one transaction.
    fn lock_bookings(&self) -> MutexGuard<'_, ()> {
        self.inner.bookings_lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Opens sled in `dir`, creating the folder, and tells a held lock apart from other failures.
fn open_db(dir: &Path) -> Result<sled::Db> {
    std::fs::create_dir_all(dir)
        .map_err(|source| StoreError::CreateDir { dir: dir.to_path_buf(), source })?;

    let config = sled::Config::new().path(dir).cache_capacity(CACHE_BYTES);
    config.open().map_err(|source| {
        if is_lock_error(&source) {
            StoreError::Locked { dir: dir.to_path_buf() }
        } else {
            StoreError::Open { dir: dir.to_path_buf(), source }
        }
    })
}

/// sled 0.34 reports a held lock only as an I/O error with this text.
fn is_lock_error(err: &sled::Error) -> bool {
    match err {
        sled::Error::Io(io) => io.to_string().contains("could not acquire lock"),
        _ => false,
    }
}
