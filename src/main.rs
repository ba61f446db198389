//! okno's binary: reads the options, starts logging, runs the chosen mode.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use okno::cli::{Cli, Command, SpeakAs};
use okno::store::{Store, StoreError};
use okno::terminal::Speaker;
use okno::{app, jobs, telegram, terminal};
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's malloc: about a fifth less CPU per update under a burst in the
/// load run (BENCHMARKS.md). Built without transparent huge pages, with which an idle okno
/// held 70 MB instead of 21.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let telegram_mode = token().is_some() && !cli.run.terminal;
    init_logging(telegram_mode);

    match run(cli, telegram_mode) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("okno: {err:#}");
            exit_code(&err)
        }
    }
}

/// Exit code for a data dir held by another okno: `deploy/okno.service` does not restart on
/// it, so a second copy stops instead of looping.
const EXIT_LOCKED: u8 = 3;

fn exit_code(err: &anyhow::Error) -> ExitCode {
    match err.downcast_ref::<StoreError>() {
        Some(StoreError::Locked { .. }) => ExitCode::from(EXIT_LOCKED),
        _ => ExitCode::FAILURE,
    }
}

fn token() -> Option<String> {
    std::env::var("TELOXIDE_TOKEN").ok().filter(|t| !t.trim().is_empty())
}

/// Logs go to stderr; in the terminal chat only warnings, so they do not drown the dialog.
fn init_logging(telegram_mode: bool) {
    let default = if telegram_mode { "info" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let colours = std::io::stderr().is_terminal();
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(colours);
    logs.with_writer(std::io::stderr).init();
}

fn run(mut cli: Cli, telegram_mode: bool) -> anyhow::Result<()> {
    let command = cli.command.take().unwrap_or(Command::Run);
    let common = &cli.common;
    match command {
        Command::Check => app::check(&common.business, cli.run.texts_dir.as_deref()),
        Command::Backup { out } => {
            let store = Store::open(&common.data_dir)?;
            let report = store.backup_to(&out)?;
            println!(
                "wrote {} records ({} bytes) to {}",
                report.records,
                report.bytes,
                out.display()
            );
            Ok(())
        }
        Command::Restore { from } => {
            let report = Store::restore(&common.data_dir, &from)?;
            println!("restored {} records into {}", report.records, report.dir.display());
            Ok(())
        }
        Command::Run if telegram_mode => run_telegram(&cli),
        Command::Run => run_terminal(&cli),
    }
}

fn run_terminal(cli: &Cli) -> anyhow::Result<()> {
    let engine = app::build_engine(&cli.common.business, &cli.common.data_dir, &cli.run)?
        .without_rate_limit();
    let speaker = match cli.run.speak_as {
        SpeakAs::Client => Speaker::Client,
        SpeakAs::Staff => Speaker::Staff,
    };
    terminal::run(&engine, speaker, std::io::stdin().lock(), std::io::stdout().lock())?;
    engine.store().flush()?;
    Ok(())
}

/// How often (in scheduler turns) the Telegram runtime takes tasks woken from other threads.
const REMOTE_WAKES_EVERY: u32 = 4;

fn run_telegram(cli: &Cli) -> anyhow::Result<()> {
    let engine = Arc::new(app::build_engine(&cli.common.business, &cli.common.data_dir, &cli.run)?);
    // One thread for polling, handlers and sends: an engine step takes microseconds and the
    // store waits for the disk on its own thread, so more threads only added hand-offs of
    // every update between them (BENCHMARKS.md). Handlers waiting for a flush are woken from
    // the flushing thread, onto the queue this runtime serves only every 31st turn by default:
    // under a burst they waited behind everyone else (p99 140 ms, 50 ms with every 4th turn).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .global_queue_interval(REMOTE_WAKES_EVERY)
        .build()
        .context("starting the async runtime")?;
    let bot = telegram::bot_from_env()?;
    runtime.block_on(async {
        let store = engine.store().clone();
        let biz = engine.biz_arc();
        let data_dir = cli.common.data_dir.clone();
        tokio::spawn(async move {
            if let Err(err) = jobs::backup::run_backups(store, &biz, data_dir).await {
                tracing::error!(cause = format!("{err:#}"), "backup job stopped");
            }
        });
        telegram::run(bot, engine, cli.run.sends_per_second).await
    })
}
