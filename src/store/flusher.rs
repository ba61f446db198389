//! Group commit: one thread puts the store on disk for everyone who asked since its last round.
//!
//! A caller takes a ticket after its writes and waits until a round that began after the ticket
//! was taken has finished. Under a burst of bookings one fsync then serves every client waiting
//! for it, and nobody holds a thread of their own while they wait: async callers await a watch
//! channel, blocking callers a condition variable. Before this, each waiting turn held a
//! blocking thread, and the wake-ups cost more CPU than the bookings did (see BENCHMARKS.md).

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::error::{Result, StoreError};

/// The least time from one round's start to the next one's. A fast disk finishes a flush in
/// well under a millisecond, and then every booking of a burst got a round of its own: each
/// round wakes sled's seven writer threads, and those wake-ups were a fifth of the bot's CPU
/// under load. A round after a quiet spell still starts at once.
const MIN_ROUND_GAP: Duration = Duration::from_millis(2);

/// What the last finished round covered, and how it ended.
#[derive(Debug, Clone)]
struct Round {
    /// Every ticket up to this one was asked before the round began.
    covered: u64,
    /// `None` when the round reached the disk.
    failed: Option<sled::Error>,
}

#[derive(Debug)]
struct State {
    asked: u64,
    last: Round,
    closing: bool,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Wakes the flushing thread when a ticket is asked or the store closes.
    asked: Condvar,
    /// Wakes blocking callers when a round ends.
    done: Condvar,
    /// The same news for async callers.
    rounds: watch::Sender<Round>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is three plain fields, whole after any panic.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The flushing thread and the way to ask it for a round.
#[derive(Debug)]
pub(super) struct Flusher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Flusher {
    /// Starts the thread; it holds a handle to `db` until the flusher is dropped.
    pub(super) fn start(db: sled::Db) -> std::io::Result<Flusher> {
        let first = Round { covered: 0, failed: None };
        let shared = Arc::new(Shared {
            state: Mutex::new(State { asked: 0, last: first.clone(), closing: false }),
            asked: Condvar::new(),
            done: Condvar::new(),
            rounds: watch::Sender::new(first),
        });

        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("okno-flush".into())
            .spawn(move || run_rounds(&worker, &db))?;
        Ok(Flusher { shared, thread: Some(thread) })
    }

    /// Returns once everything written before this call is on disk.
    pub(super) fn flush(&self) -> Result<()> {
        let ticket = self.ask();

        let mut state = self.shared.lock();
        while state.last.covered < ticket {
            state = self.shared.done.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        outcome(&state.last)
    }

    /// Like [`Flusher::flush`], awaiting instead of blocking.
    pub(super) async fn flush_async(&self) -> Result<()> {
        let mut rounds = self.shared.rounds.subscribe();
        let ticket = self.ask();

        match rounds.wait_for(|round| round.covered >= ticket).await {
            Ok(round) => outcome(&round),
            Err(_) => Err(StoreError::FlushTask),
        }
    }

    fn ask(&self) -> u64 {
        let mut state = self.shared.lock();
        state.asked += 1;
        let ticket = state.asked;
        drop(state);
        self.shared.asked.notify_one();
        ticket
    }
}

impl Drop for Flusher {
    /// Finishes the rounds asked for, then lets go of the database handle.
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.asked.notify_one();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the flushing thread panicked");
        }
    }
}

fn outcome(round: &Round) -> Result<()> {
    match &round.failed {
        None => Ok(()),
        Some(err) => Err(StoreError::Db { action: "flushing to disk", source: err.clone() }),
    }
}

/// The thread: waits for tickets, flushes once for all of them, tells the waiters.
fn run_rounds(shared: &Shared, db: &sled::Db) {
    let mut last_start: Option<Instant> = None;
    loop {
        if let Some(wait) = last_start.and_then(|at| MIN_ROUND_GAP.checked_sub(at.elapsed())) {
            std::thread::sleep(wait);
        }

        let mut state = shared.lock();
        while state.asked == state.last.covered && !state.closing {
            state = shared.asked.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        if state.asked == state.last.covered {
            return;
        }
        let covered = state.asked;
        drop(state);

        last_start = Some(Instant::now());
        let failed = db.flush().err();
        if let Some(err) = &failed {
            tracing::error!(cause = %err, "flushing the store to disk failed");
        }

        let round = Round { covered, failed };
        shared.lock().last = round.clone();
        shared.done.notify_all();
        shared.rounds.send_replace(round);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db() -> (tempfile::TempDir, sled::Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).flush_every_ms(None).open().unwrap();
        (dir, db)
    }

    #[test]
    fn a_flush_returns_after_a_round_that_covers_it() {
        let (_dir, db) = temp_db();
        let flusher = Flusher::start(db.clone()).unwrap();
        db.insert("k", "v").unwrap();

        flusher.flush().unwrap();
        flusher.flush().unwrap();

        let state = flusher.shared.lock();
        assert_eq!((state.asked, state.last.covered), (2, 2));
        assert!(state.last.failed.is_none());
    }

    #[test]
    fn many_waiters_share_rounds() {
        let (_dir, db) = temp_db();
        let flusher = Arc::new(Flusher::start(db.clone()).unwrap());

        let waiters: Vec<_> = (0..32)
            .map(|i| {
                let (flusher, db) = (Arc::clone(&flusher), db.clone());
                std::thread::spawn(move || {
                    db.insert(format!("k{i}"), "v").unwrap();
                    flusher.flush()
                })
            })
            .collect();
        for waiter in waiters {
            waiter.join().unwrap().unwrap();
        }

        let state = flusher.shared.lock();
        assert_eq!(state.last.covered, state.asked, "every ticket was covered");
        assert_eq!(state.asked, 32);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_async_flush_waits_without_a_thread_of_its_own() {
        let (_dir, db) = temp_db();
        let flusher = Flusher::start(db.clone()).unwrap();
        db.insert("k", "v").unwrap();

        let both = tokio::join!(flusher.flush_async(), flusher.flush_async());

        assert!(both.0.is_ok() && both.1.is_ok());
        assert_eq!(flusher.shared.lock().last.covered, 2);
    }

    #[test]
    fn dropping_the_flusher_lets_go_of_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        let flusher = Flusher::start(db.clone()).unwrap();
        flusher.flush().unwrap();

        drop(flusher);
        drop(db);

        let reopened = crate::store::Store::open(dir.path());
        assert!(reopened.is_ok(), "{reopened:?}");
    }
}
