//! The load run: okno against a crowd of simulated Telegram clients, then a bare teloxide echo
//! bot against a stream of the same shape, side by side.
//!
//! Run: `cargo run --release --example load -- --clients 500` (it builds `okno` in release
//! first). A Bot API server on 127.0.0.1 feeds the bot; each client books a visit by reading
//! the bot's screens and pressing the buttons it sent. The bot runs as its own process, pinned
//! to core 1 where there are two cores (this driver keeps core 0). Phases: a burst (every
//! client at once: the most updates per second the bot sustains), then the same crowd paced
//! at half that rate (latency under a load the bot keeps up with), then more burst rounds, each
//! a fresh okno and a fresh echo bot (the throughput ratio is their median), then 10k dialogs
//! left open in a fresh okno (memory). Figures are printed; BENCHMARKS.md records them.

#[path = "../../benches/support/business.rs"]
#[expect(dead_code, reason = "the load run writes the file; only the benches parse it here")]
mod business;
mod client;
mod echo;
mod phase;
mod process;
mod report;
mod server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

use phase::{Crowd, PhaseResult, Work};
use process::Bot;
use server::Shared;

#[derive(Debug, Parser)]
#[command(about = "Load run: okno against simulated clients, then a bare teloxide echo bot")]
struct Args {
    /// Simulated clients per phase, each doing a whole booking.
    #[arg(long, default_value_t = 500)]
    clients: usize,
    /// Masters in the generated business (each does every service, every day).
    #[arg(long, default_value_t = 20)]
    masters: usize,
    /// Clients arriving per second in the paced phase; by default half the burst's pace.
    #[arg(long)]
    rate: Option<f64>,
    /// Dialogs left open at once for the memory figure.
    #[arg(long, default_value_t = 10_000)]
    open_dialogs: usize,
    /// Use `target/release/okno` as it is, without `cargo build`.
    #[arg(long)]
    no_build: bool,
    /// Only the bursts (okno, then the echo bot, in each round), to compare builds quickly.
    #[arg(long)]
    bursts_only: bool,
    /// Burst rounds, each a fresh okno then a fresh echo bot: a burst lasts about a second, and
    /// one pair alone moved by a third from run to run on a quiet machine; the median of five
    /// still moved between 0.71 and 0.89 within an hour, of fifteen between 0.81 and 0.85.
    #[arg(long, default_value_t = 15)]
    rounds: usize,
    /// Internal: run as the echo bot.
    #[arg(long, hide = true)]
    echo_bot: bool,
    /// Seconds a bot is left idle after its first poll, before a phase starts (its start-up
    /// work, such as okno's phone library warm-up, then stays out of the figures).
    #[arg(long, default_value_t = 1.0)]
    settle: f64,
    /// Start the echo bot through this program (given `--echo-bot`), e.g. a profiler's wrapper.
    #[arg(long)]
    echo_program: Option<PathBuf>,
    /// Run this okno binary (or a profiler's wrapper of it) instead of `target/release/okno`,
    /// e.g. to compare two builds; implies `--no-build`.
    #[arg(long)]
    okno_program: Option<PathBuf>,
}

/// The moment the bot's clock starts at: Thursday 3 December 2026, 09:00 in Krasnoyarsk.
const NOW: &str = "2026-12-03T09:00:00+07:00";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.echo_bot {
        return echo::run();
    }
    if !args.no_build && args.okno_program.is_none() {
        process::build_okno()?;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pin = process::can_pin();
    if pin {
        process::pin_self();
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run(&args, cores, pin))
}

/// Where the bots run from and write to.
struct Setup {
    dir: tempfile::TempDir,
    business: PathBuf,
    okno: PathBuf,
    echo_program: Option<PathBuf>,
    settle: Duration,
    pin: bool,
}

impl Setup {
    fn okno_args(&self, data: &str) -> Vec<String> {
        let data_dir = self.dir.path().join(data).display().to_string();
        let business = self.business.display().to_string();
        // Unpaced: the server is not Telegram, and the echo bot paces nothing either.
        let pacing = ["--sends-per-second", "0"];
        let args = ["--data-dir", &data_dir, "--business", &business, "--now", NOW];
        args.into_iter().chain(pacing).map(String::from).collect()
    }

    async fn start(&self, program: &Path, args: &[String], log: &str) -> anyhow::Result<Running> {
        let shared = Arc::new(Shared::default());
        let url = server::start(Arc::clone(&shared)).await?;
        let log = self.dir.path().join(log);
        let mut bot = Bot::spawn(program, args, &url, &log, self.pin)?;
        for _ in 0..200 {
            if shared.polls() > 0 {
                break;
            }
            anyhow::ensure!(bot.still_running(), "the bot exited at start; see {}", log.display());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::ensure!(shared.polls() > 0, "the bot did not poll within 10 s");
        tokio::time::sleep(self.settle).await;
        let idle_rss = bot.rss_mib().0;
        Ok(Running { shared, bot, idle_rss })
    }
}

struct Running {
    shared: Arc<Shared>,
    bot: Bot,
    idle_rss: f64,
}

impl Running {
    async fn stop(self) {
        self.bot.stop().await;
    }
}

async fn run(args: &Args, cores: usize, pin: bool) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let business = dir.path().join("business.toml");
    std::fs::write(&business, business::business_toml(args.masters, 30))?;
    let okno = match &args.okno_program {
        Some(program) => program.clone(),
        None => process::okno_binary()?,
    };
    let echo_program = args.echo_program.clone();
    let settle = Duration::from_secs_f64(args.settle);
    let setup = Setup { dir, business, okno, echo_program, settle, pin };
    report::machine(cores, args.clients, args.masters, pin);

    let burst = Crowd { clients: args.clients, first_chat: 1_000_000, first_k: 0, rate: None };
    if args.bursts_only {
        let mut rounds = Vec::new();
        for round in 1..=args.rounds.max(1) {
            rounds.push(burst_round(&setup, round, &burst).await?);
        }
        report::rounds(&rounds);
        return Ok(());
    }

    let okno = setup.start(&setup.okno, &setup.okno_args("okno"), "okno.log").await?;
    let okno_burst = phase::run(&okno.shared, &okno.bot, &burst, &Work::Book).await;
    report::phase("okno, burst", &okno_burst);
    let rate = args.rate.unwrap_or_else(|| half_pace(&okno_burst));
    let paced = Crowd { first_chat: 2_000_000, first_k: args.clients, rate: Some(rate), ..burst };
    let okno_paced = phase::run(&okno.shared, &okno.bot, &paced, &Work::Book).await;
    report::phase(&format!("okno, paced at {rate:.1} clients/s"), &okno_paced);
    let okno_peak = okno.bot.rss_mib().1;
    let okno_idle = okno.idle_rss;
    okno.stop().await;

    let echo = echo_bot(&setup).await?;
    let replay = Work::Replay(Arc::new(okno_burst.streams.clone()));
    let echo_burst = phase::run(&echo.shared, &echo.bot, &burst, &replay).await;
    report::phase("echo, burst", &echo_burst);
    let replay = Work::Replay(Arc::new(okno_paced.streams.clone()));
    let echo_paced = phase::run(&echo.shared, &echo.bot, &paced, &replay).await;
    report::phase(&format!("echo, paced at {rate:.1} clients/s"), &echo_paced);
    let echo_peak = echo.bot.rss_mib().1;
    let echo_idle = echo.idle_rss;
    echo.stop().await;

    let mut rounds = vec![report::Round { okno: okno_burst, echo: echo_burst }];
    for round in 2..=args.rounds {
        rounds.push(burst_round(&setup, round, &burst).await?);
    }

    // Two updates a client, arriving at a quarter of the first burst's updates per second.
    let open_rate = (rounds[0].okno.updates_per_sec() / 8.0).max(1.0);
    let open = open_dialogs(&setup, args.open_dialogs, open_rate).await?;
    report::summary(&report::Summary {
        rounds: &rounds,
        okno_paced: &okno_paced,
        echo_paced: &echo_paced,
        okno_idle,
        okno_peak,
        echo_idle,
        echo_peak,
        open_dialogs: args.open_dialogs,
        open,
    });
    Ok(())
}

/// One more burst for each: a fresh okno on its own data, then a fresh echo bot replaying
/// the kinds of updates that okno was sent.
async fn burst_round(setup: &Setup, round: usize, burst: &Crowd) -> anyhow::Result<report::Round> {
    let data = format!("okno-burst-{round}");
    let okno = setup.start(&setup.okno, &setup.okno_args(&data), &format!("{data}.log")).await?;
    let okno_burst = phase::run(&okno.shared, &okno.bot, burst, &Work::Book).await;
    report::phase(&format!("okno, burst, round {round}"), &okno_burst);
    okno.stop().await;

    let echo = echo_bot(setup).await?;
    let replay = Work::Replay(Arc::new(okno_burst.streams.clone()));
    let echo_burst = phase::run(&echo.shared, &echo.bot, burst, &replay).await;
    report::phase(&format!("echo, burst, round {round}"), &echo_burst);
    echo.stop().await;
    Ok(report::Round { okno: okno_burst, echo: echo_burst })
}

/// Half the burst's pace, in clients per second.
fn half_pace(burst: &PhaseResult) -> f64 {
    let clients: usize = burst.outcomes.values().sum();
    (clients as f64 / burst.busy().as_secs_f64() / 2.0).max(1.0)
}

async fn echo_bot(setup: &Setup) -> anyhow::Result<Running> {
    let program = match &setup.echo_program {
        Some(program) => program.clone(),
        None => std::env::current_exe()?,
    };
    setup.start(&program, &["--echo-bot".to_owned()], "echo.log").await
}

/// A fresh okno; `n` chats each send /start and answer once, then stay silent.
async fn open_dialogs(setup: &Setup, n: usize, rate: f64) -> anyhow::Result<report::OpenDialogs> {
    let okno = setup.start(&setup.okno, &setup.okno_args("open"), "open.log").await?;
    let crowd = Crowd { clients: n, first_chat: 3_000_000, first_k: 0, rate: Some(rate) };
    let result = phase::run(&okno.shared, &okno.bot, &crowd, &Work::OpenDialog).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (rss, peak) = okno.bot.rss_mib();
    let idle = okno.idle_rss;
    okno.stop().await;
    Ok(report::OpenDialogs { idle, rss, peak, result })
}
