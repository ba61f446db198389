//! One phase of the load run: a crowd of simulated clients arriving open loop (on a schedule
//! that does not wait for the bot), and what the server, the bot and this driver measured.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::client::{Client, Outcome, Step};
use crate::process::{Bot, own_cpu};
use crate::server::{PhaseStats, Shared};

/// What the clients do.
#[derive(Clone)]
pub enum Work {
    /// A whole booking each.
    Book,
    /// Client `k` replays the steps recorded for booking client `k`.
    Replay(Arc<Vec<Vec<Step>>>),
    /// /start and one answer, then silence.
    OpenDialog,
}

/// Who arrives when: `clients` chats from `first_chat`, `rate` per second (`None`: all at once).
pub struct Crowd {
    pub clients: usize,
    pub first_chat: i64,
    /// Added to each client's index, so two crowds choose different slots and phones.
    pub first_k: usize,
    pub rate: Option<f64>,
}

pub struct PhaseResult {
    pub outcomes: BTreeMap<Outcome, usize>,
    pub streams: Vec<Vec<Step>>,
    pub stats: PhaseStats,
    pub bot_cpu: Duration,
    /// The kernel's part of `bot_cpu`.
    pub bot_system_cpu: Duration,
    pub driver_cpu: Duration,
    pub wall: Duration,
}

impl PhaseResult {
    /// From the first update handed out to the last reply: the time the bot was at work.
    /// The wall time is longer when clients who gave up waited out their patience.
    pub fn busy(&self) -> Duration {
        match (self.stats.first_handed, self.stats.last_reply) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => Duration::ZERO,
        }
    }

    /// Updates per second over [`PhaseResult::busy`].
    pub fn updates_per_sec(&self) -> f64 {
        match self.busy() {
            Duration::ZERO => 0.0,
            busy => self.stats.handed as f64 / busy.as_secs_f64(),
        }
    }

    pub fn percentile_ms(&self, p: f64) -> f64 {
        let mut all = self.stats.latencies.clone();
        all.sort();
        let Some(last) = all.len().checked_sub(1) else { return f64::NAN };
        let i = ((last as f64) * p).round() as usize;
        all[i].as_secs_f64() * 1000.0
    }

    pub fn cpu_per_update_us(&self) -> f64 {
        self.bot_cpu.as_secs_f64() * 1e6 / self.stats.handed.max(1) as f64
    }
}

pub async fn run(shared: &Arc<Shared>, bot: &Bot, crowd: &Crowd, work: &Work) -> PhaseResult {
    shared.take_stats();
    let (bot_cpu, driver_cpu, started) = (bot.cpu_split(), own_cpu(), Instant::now());

    let tasks: Vec<_> = (0..crowd.clients)
        .map(|i| {
            let at = crowd.rate.map_or(Duration::ZERO, |r| Duration::from_secs_f64(i as f64 / r));
            let client =
                Client::new(Arc::clone(shared), crowd.first_chat + i as i64, crowd.first_k + i);
            let work = work.clone();
            tokio::spawn(async move {
                tokio::time::sleep_until(tokio::time::Instant::from_std(started + at)).await;
                visit(client, i, &work).await
            })
        })
        .collect();

    let mut outcomes = BTreeMap::new();
    let mut streams = Vec::with_capacity(tasks.len());
    for task in tasks {
        let (outcome, steps) = task.await.unwrap_or((Outcome::NoReply, Vec::new()));
        *outcomes.entry(outcome).or_insert(0) += 1;
        streams.push(steps);
    }

    PhaseResult {
        outcomes,
        streams,
        stats: shared.take_stats(),
        bot_cpu: bot.cpu().saturating_sub(bot_cpu.0 + bot_cpu.1),
        bot_system_cpu: bot.cpu_split().1.saturating_sub(bot_cpu.1),
        driver_cpu: own_cpu().saturating_sub(driver_cpu),
        wall: started.elapsed(),
    }
}

async fn visit(mut client: Client, i: usize, work: &Work) -> (Outcome, Vec<Step>) {
    let outcome = match work {
        Work::Book => client.book().await,
        Work::Replay(streams) => client.replay(&streams[i]).await,
        Work::OpenDialog => client.open_dialog().await,
    };
    (outcome, std::mem::take(&mut client.sent))
}
