//! The store: sled behind one plain interface, so nothing else in okno knows the engine.
//!
//! Client history is keyed by an opaque `ClientId`; the person (name, phone) and the consent
//! live in their own trees so `forget_client` can erase them and leave counts behind.
//!
//! Durability is the caller's step: writes land in memory (sled writes its log to disk every
//! half second on its own), and `flush` puts everything written so far on disk. Writes a client
//! is told about (a booking, a consent, a cancellation, an erasure) are *durable writes*: they
//! bump [`Store::durable_writes`], and whoever tells the client must flush first. The dialog
//! engine does this for every turn (`Engine::handle`), or hands the flush to the transport
//! (`Engine::handle_unflushed`), which can wait for it without blocking a thread. Dialog
//! state and leads are plain writes and may lose the last half second in a crash.
//!
//! Events are keyed by time (milliseconds, then a sequence number), and that key is the day
//! index: a day's or a year's events are one range scan, so no separate rollup counters exist.
//!
//! The API is blocking. Calls take microseconds, except `flush` (milliseconds); async callers
//! call the rest directly and `flush_async` for the flush.

mod backup;
mod bookings;
mod clients;
mod dialogs;
mod error;
mod events;
mod flusher;
mod forget;
mod keys;
mod leads;
mod outbox;
mod restore;
mod schema;
mod status;

#[cfg(test)]
mod testing;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

pub use backup::BackupReport;
pub use bookings::SlotTaken;
pub use clients::{Consent, Person};
pub(crate) use error::json_failure;
pub use error::{Result, StoreError};
pub use events::{Event, EventKind};
pub use leads::{ERASED_CHAT, Lead, LeadStatus};
pub use outbox::PendingNotice;
pub use restore::RestoreReport;

use flusher::Flusher;
use schema::Trees;

use crate::domain::calendar::Calendar;
use crate::domain::ids::ChatKey;

/// sled's page cache. The default (1 GiB) is far more than a small business's data needs.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Ids reserved at once (see [`schema::reserve_ids`]); a restart skips at most this many.
const ID_BLOCK: u64 = 64;

/// How long a held lock is retried before another okno is assumed to hold it.
const LOCK_PATIENCE: Duration = Duration::from_secs(1);

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
    /// The active bookings' times, replaced after each booking write under `bookings_lock`:
    /// slot search and the collision check read it instead of decoding stored bookings.
    calendar: RwLock<Arc<Calendar>>,
    /// Each chat's current lead as stored, for the chats seen since start (a couple of hundred
    /// bytes each): every message looks its lead up, and reading and decoding it from sled
    /// each time was the store's largest cost per message. Kept by the lead writes.
    current_leads: Mutex<HashMap<ChatKey, Lead>>,
    /// Durable writes so far: a turn that changed this must flush before its replies go out.
    durable_writes: AtomicU64,
    /// The one thread that flushes, for every caller at once: see [`Store::flush`].
    flusher: Flusher,
    /// Ids reserved in `meta` and not yet handed out: reserving one at a time was a read,
    /// a decode and a write of the counter for every event.
    ids: Mutex<Range<u64>>,
}

impl Store {
    /// Opens (or creates) the store in `dir` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store> {
        let db = open_db(dir)?;
        let trees = Trees::open(&db)?;
        schema::migrate(dir, &trees.meta)?;
        let flusher =
            Flusher::start(db.clone()).map_err(|source| StoreError::FlushThread { source })?;

        let inner = Inner {
            dir: dir.to_path_buf(),
            db,
            trees,
            bookings_lock: Mutex::new(()),
            calendar: RwLock::default(),
            current_leads: Mutex::default(),
            durable_writes: AtomicU64::new(0),
            flusher,
            ids: Mutex::new(0..0),
        };
        let store = Store { inner: Arc::new(inner) };
        let calendar = store.read_calendar()?;

        tracing::info!(
            recovered = store.inner.db.was_recovered(),
            active_bookings = calendar.len(),
            "store opened"
        );
        *store.inner.calendar.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(calendar);
        Ok(store)
    }

    /// The active bookings' times as of the last booking write.
    pub fn calendar(&self) -> Arc<Calendar> {
        Arc::clone(&self.inner.calendar.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Writes everything written so far to disk; returns once it is there.
    ///
    /// Group commit: the flushing thread runs one round for every caller that asked while the
    /// previous round ran, so under a burst of bookings one fsync serves them all.
    pub fn flush(&self) -> Result<()> {
        self.inner.flusher.flush()
    }

    /// `flush` for async callers: waits for the round without holding a thread.
    pub async fn flush_async(&self) -> Result<()> {
        self.inner.flusher.flush_async().await
    }

    /// How many durable writes this store has taken since it opened. A caller compares the
    /// count before and after its own writes; another thread's write may also move it, which
    /// costs one flush too many, never one too few.
    pub fn durable_writes(&self) -> u64 {
        self.inner.durable_writes.load(Ordering::SeqCst)
    }

    /// Counts a write someone will be told about; see the module docs.
    fn wrote_durable(&self) {
        self.inner.durable_writes.fetch_add(1, Ordering::SeqCst);
    }

    /// The data dir this store was opened in.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    fn trees(&self) -> &Trees {
        &self.inner.trees
    }

    fn next_id(&self) -> Result<u64> {
        let mut ids = self.inner.ids.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if ids.is_empty() {
            let first = schema::reserve_ids(&self.inner.trees.meta, ID_BLOCK)?;
            *ids = first..first + ID_BLOCK;
        }
        let id = ids.start;
        ids.start += 1;
        Ok(id)
    }

    /// A poisoned lock only means another booking write panicked; the trees are still whole,
    /// because each write is one transaction.
    fn lock_bookings(&self) -> MutexGuard<'_, ()> {
        self.inner.bookings_lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Opens sled in `dir`, creating the folder, and tells a held lock apart from other failures.
///
/// sled lets go of its lock from background threads shortly after the last handle drops, so a
/// reopen in the same process (a restore, a test) may find it held for a moment: a held lock
/// is retried for up to `LOCK_PATIENCE` before it is reported.
fn open_db(dir: &Path) -> Result<sled::Db> {
    if dir.is_file() {
        return Err(StoreError::NotADir { dir: dir.to_path_buf() });
    }
    std::fs::create_dir_all(dir)
        .map_err(|source| StoreError::CreateDir { dir: dir.to_path_buf(), source })?;

    let config = sled::Config::new().path(dir).cache_capacity(CACHE_BYTES);
    let started = Instant::now();
    let mut cleared = false;
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(err) if is_lock_error(&err) && started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(err) if is_lock_error(&err) => {
                return Err(StoreError::Locked { dir: dir.to_path_buf() });
            }
            Err(sled::Error::Corruption { .. }) if !cleared && remove_unfinished_snapshots(dir) => {
                cleared = true;
            }
            Err(source) => return Err(StoreError::Open { dir: dir.to_path_buf(), source }),
        }
    }
}

/// sled 0.34 writes a snapshot to `snap.<lsn>.generating`, syncs it and renames it; a process
/// killed before the rename leaves the unfinished file, which the next open reads as the
/// latest snapshot and refuses as corrupt (sled issues #1387, #1527). Such a file never holds
/// anything the log and the previous snapshot lack, so it is removed and the open tried again.
/// Returns whether one was removed.
fn remove_unfinished_snapshots(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(err) => tracing::warn!(cause = %err, "could not remove an unfinished snapshot"),
            }
        }
    }
    if removed > 0 {
        tracing::warn!(removed, "removed an unfinished sled snapshot left by a crash");
    }
    removed > 0
}

/// sled 0.34 reports a held lock only as an I/O error with this text.
fn is_lock_error(err: &sled::Error) -> bool {
    match err {
        sled::Error::Io(io) => io.to_string().contains("could not acquire lock"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    use super::testing::at;
    use super::*;

    const HOLD_DIR: &str = "OKNO_TEST_HOLD_STORE_DIR";

    #[test]
    fn a_store_can_be_shared_between_threads() {
        fn shareable<T: Clone + Send + Sync + 'static>() {}
        shareable::<Store>();
    }

    #[test]
    fn reopening_keeps_the_data() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let client = store.get_or_create_client(ChatKey(1), at(9, 0)).unwrap();
        drop(store);

        let store = Store::open(dir.path()).unwrap();

        assert_eq!(store.client_for_chat(ChatKey(1)).unwrap(), Some(client));
        let next = store.get_or_create_client(ChatKey(2), at(9, 0)).unwrap();
        assert!(next > client, "ids keep counting after a reopen");
    }

    #[test]
    fn an_unfinished_snapshot_left_by_a_kill_does_not_stop_the_store_opening() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let client = store.get_or_create_client(ChatKey(1), at(9, 0)).unwrap();
        drop(store);
        // What a SIGKILL between sled's snapshot write and its rename leaves behind.
        let unfinished = dir.path().join("snap.7FFFFFFFFFFFFFFF.generating");
        std::fs::write(&unfinished, b"").unwrap();

        let store = Store::open(dir.path()).unwrap();

        assert_eq!(store.client_for_chat(ChatKey(1)).unwrap(), Some(client));
        assert!(!unfinished.exists());
    }

    #[test]
    fn a_second_open_in_the_same_process_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Store::open(dir.path()).unwrap();

        let second = Store::open(dir.path());

        let err = second.unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "got {err:?}");
        let text = err.to_string();
        assert!(text.contains("another okno is already running"), "{text}");
        assert!(text.contains("--data-dir"), "{text}");
    }

    #[test]
    fn an_open_from_another_process_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let mut holder = Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "store::tests::hold_the_store_until_stdin_closes"])
            .args(["--nocapture", "--test-threads=1"])
            .env(HOLD_DIR, dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(holder.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("holding") && out.read_line(&mut line).unwrap() > 0 {}

        let second = Store::open(dir.path());

        drop(holder.stdin.take());
        holder.wait().unwrap();
        assert!(matches!(second, Err(StoreError::Locked { .. })), "got {second:?}");
    }

    /// Not a test on its own: the other process in `an_open_from_another_process_is_locked`.
    #[test]
    #[ignore = "run only as a helper process by another test"]
    fn hold_the_store_until_stdin_closes() {
        let Some(dir) = std::env::var_os(HOLD_DIR) else {
            return;
        };
        let _store = Store::open(Path::new(&dir)).unwrap();
        println!("holding");
        let _ = std::io::stdin().read_line(&mut String::new());
    }

    #[test]
    fn a_store_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.trees().meta.insert("schema_version", "2").unwrap();
        drop(store);

        let err = Store::open(dir.path()).unwrap_err();

        assert!(matches!(err, StoreError::NewerSchema { found: 2, supported: 1, .. }), "{err:?}");
        assert!(err.to_string().contains("run the newer okno"), "{err}");
    }

    #[test]
    fn a_fresh_store_records_its_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();

        let version = store.trees().meta.get("schema_version").unwrap().unwrap();

        assert_eq!(&*version, schema::CURRENT_VERSION.to_string().as_bytes());
    }
}
