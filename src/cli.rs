//! Command-line options. Every option also reads an environment variable, listed in
//! `.env.example`, so a systemd unit and a developer's shell configure okno the same way.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "okno",
    version,
    about = "Booking bot for small service businesses",
    after_help = "With TELOXIDE_TOKEN set (a token from @BotFather), okno runs as a Telegram bot; \
                  otherwise it chats in the terminal. TELOXIDE_API_URL and TELOXIDE_PROXY are \
                  optional; .env.example lists every variable."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub common: Common,

    #[command(flatten)]
    pub run: RunOptions,
}

#[derive(Debug, Args)]
pub struct Common {
    /// The business file.
    #[arg(long, global = true, env = "OKNO_BUSINESS", default_value = "data/salon.toml")]
    pub business: PathBuf,

    /// Where the store and backups live.
    #[arg(long, global = true, env = "OKNO_DATA_DIR", default_value = "okno-data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct RunOptions {
    /// In the terminal, speak as a client or as staff (the first owner).
    #[arg(long = "as", global = true, value_enum, default_value_t = SpeakAs::Client)]
    pub speak_as: SpeakAs,

    /// Chat in the terminal even when TELOXIDE_TOKEN is set.
    #[arg(long, global = true)]
    pub terminal: bool,

    /// A folder whose .ftl files replace the built-in texts of the same name.
    #[arg(long, global = true, env = "OKNO_TEXTS_DIR")]
    pub texts_dir: Option<PathBuf>,

    /// Pretend the clock starts at this moment (RFC 3339), for demos and tests.
    #[arg(long, global = true, env = "OKNO_NOW")]
    pub now: Option<DateTime<Utc>>,

    /// New Telegram messages sent a second at most, all chats together (Telegram refuses more
    /// than about 30, so the default keeps a margin); 0 sends without pacing, for a Bot API
    /// server that is not Telegram's.
    #[arg(long, global = true, env = "OKNO_SENDS_PER_SECOND", default_value_t = 25)]
    pub sends_per_second: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpeakAs {
    Client,
    Staff,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot: Telegram when TELOXIDE_TOKEN is set, the terminal chat otherwise (default).
    Run,
    /// Check the business file and the texts, then exit.
    Check,
    /// Write a portable dump (JSON lines) of the store. Stop the bot first.
    Backup {
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Fill an empty data dir from a dump.
    Restore {
        /// The dump to read.
        #[arg(long)]
        from: PathBuf,
    },
}
