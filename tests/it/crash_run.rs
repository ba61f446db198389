//! The crash run: the real okno binary serves many simulated clients through the fake Bot API
//! and is killed with SIGKILL at moments drawn from a seeded schedule, then restarted on the
//! same data dir. Afterwards every booking a client was told about must be in the store, no
//! slot may be taken twice, every client must still get through a dialog, and every booking
//! must have reached the staff chat (duplicates are counted, not failed).
//!
//! `OKNO_CRASH_SEED` replays a run; `OKNO_CRASH_KILLS` sizes it (default 200). A failure
//! prints the seed and keeps the data dir, with okno's stderr in `okno-stderr.log` beside it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use okno::config::load::load_business;
use tempfile::TempDir;

use crate::support::bot_api::FakeBotApi;
use crate::support::crash::checks::check_run;
use crate::support::crash::child::{Launch, OknoProcess};
use crate::support::crash::crowd::Crowd;
use crate::support::crash::rng::Rng;
use crate::support::okno::SALON;

const DEFAULT_KILLS: usize = 200;
/// Most lives end soon (a debug okno needs about 150 ms to poll, so many kills land in start-up);
/// the rest last long enough for bookings to finish and for sled's own flush (every 500 ms).
const SHORT_LIFE_MS: (u64, u64) = (5, 300);
const LONG_LIFE_MS: (u64, u64) = (300, 1500);
const LONG_LIVES_PERCENT: u64 = 30;
/// Clients per kill, so a longer run has more people, within a floor and a ceiling that
/// keeps the sample salon's 14 days from filling up.
const CLIENTS: (usize, usize) = (12, 40);
const FINAL_ROUND: Duration = Duration::from_secs(30);

/// The seed and size of a run, from the environment or fresh.
struct Plan {
    seed: u64,
    kills: usize,
}

impl Plan {
    fn from_env() -> Self {
        let seed = std::env::var("OKNO_CRASH_SEED").ok().map(|s| {
            s.trim().parse().unwrap_or_else(|_| panic!("OKNO_CRASH_SEED={s:?} is not a number"))
        });
        let seed = seed.unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.expect("the clock is after 1970").as_nanos() as u64
        });
        let kills = std::env::var("OKNO_CRASH_KILLS").ok().map(|s| {
            s.trim().parse().unwrap_or_else(|_| panic!("OKNO_CRASH_KILLS={s:?} is not a number"))
        });
        Plan { seed, kills: kills.unwrap_or(DEFAULT_KILLS) }
    }

    fn clients(&self) -> usize {
        (self.kills / 10).clamp(CLIENTS.0, CLIENTS.1)
    }
}

/// The data dir; kept, with its path and the seed printed, when the test panics.
struct KeptOnFailure {
    dir: Option<TempDir>,
    seed: u64,
}

impl KeptOnFailure {
    fn path(&self) -> &Path {
        self.dir.as_ref().expect("the dir lives until drop").path()
    }
}

impl Drop for KeptOnFailure {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        if let Some(dir) = self.dir.take() {
            let kept: PathBuf = dir.keep();
            eprintln!(
                "crash run FAILED: seed {} (replay with OKNO_CRASH_SEED={}); data dir kept at {}",
                self.seed,
                self.seed,
                kept.display()
            );
        }
    }
}

fn lifetime(schedule: &mut Rng) -> Duration {
    let (low, high) =
        if schedule.chance(LONG_LIVES_PERCENT) { LONG_LIFE_MS } else { SHORT_LIFE_MS };
    Duration::from_millis(schedule.between(low, high))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_survive_a_bot_killed_at_random_moments() {
    let plan = Plan::from_env();
    eprintln!("crash run: seed {} ({} kills, {} clients)", plan.seed, plan.kills, plan.clients());
    let tmp = KeptOnFailure { dir: Some(tempfile::tempdir().unwrap()), seed: plan.seed };
    let api = FakeBotApi::start().await;
    let launch = Launch {
        api_url: api.url(),
        data_dir: tmp.path().join("data"),
        stderr_log: tmp.path().join("okno-stderr.log"),
    };
    let rng = Rng::new(plan.seed);
    let mut schedule = rng.fork(1);
    let mut crowd = Crowd::new(plan.clients(), &rng);

    for kill in 0..plan.kills {
        let mut bot = OknoProcess::spawn(&launch);
        crowd.talk_for(&api, lifetime(&mut schedule)).await;
        if let Some(status) = bot.exited() {
            panic!(
                "okno ended by itself ({status}) before kill {kill}; see {:?}",
                launch.stderr_log
            );
        }
        bot.kill();
    }

    // The last life answers what is still queued before the final round, so that round's
    // clients start with a fresh rate limit and a quiet bot.
    let bot = OknoProcess::spawn(&launch);
    api.wait_idle(500).await;
    let stuck = crowd.finish(&api, FINAL_ROUND).await;
    api.wait_idle(300).await;
    bot.kill();
    assert!(
        stuck.is_empty(),
        "these chats could not start over and book or see their bookings: {stuck:?}"
    );

    let biz = load_business(Path::new(SALON)).expect("the sample salon loads");
    let texts = okno::app::load_texts(None).expect("built-in texts pass the check");
    let (sent, _) = api.sent_since(0);
    let tally = check_run(&launch.data_dir, &biz, &texts, &crowd.chats(), &sent);
    let actions: usize = crowd.clients.iter().map(|c| c.actions).sum();
    eprintln!(
        "crash run: seed {}, kills {}, client actions {actions}, bookings {}, told {}, untold {}, \
         staff notices {}, duplicate notices {}, queued notices {}, lost notices {}",
        plan.seed,
        plan.kills,
        tally.bookings,
        tally.told,
        tally.untold,
        tally.notices,
        tally.duplicates,
        tally.queued_notices,
        tally.lost_notices.len()
    );
    assert!(tally.told > 0, "no client was ever told of a booking: the run proved nothing");
    // Needs the durable staff outbox (`okno::jobs::notify`): without it a kill between the
    // booking's flush and the notice's send loses the notice.
    assert!(tally.lost_notices.is_empty(), "staff never heard of: {:?}", tally.lost_notices);
    api.shutdown().await;
}
