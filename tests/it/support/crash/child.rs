//! The real okno binary as a child process in Telegram mode, polling the fake Bot API.
//! The guard kills it when dropped, so a failing test never leaves a bot running.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::support::bot_api::TEST_TOKEN;
use crate::support::okno::SALON;

/// The moment every start pretends it is: Thursday 3 December 2026, 09:00 in Krasnoyarsk.
pub const START_NOW: &str = "2026-12-03T09:00:00+07:00";

/// Where to start okno from: the fake's URL, the data dir, the file its stderr goes to.
pub struct Launch {
    pub api_url: String,
    pub data_dir: PathBuf,
    pub stderr_log: PathBuf,
}

/// A running okno; killed with SIGKILL on `kill` or on drop.
pub struct OknoProcess {
    child: Child,
}

impl OknoProcess {
    pub fn spawn(launch: &Launch) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_okno"))
            .arg("--business")
            .arg(SALON)
            .arg("--data-dir")
            .arg(&launch.data_dir)
            .args(["--now", START_NOW, "run"])
            .env_clear()
            .env("TELOXIDE_TOKEN", TEST_TOKEN)
            .env("TELOXIDE_API_URL", &launch.api_url)
            // The fake is not Telegram: unpaced, each life gets through as much as it can.
            .env("OKNO_SENDS_PER_SECOND", "0")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(append_to(&launch.stderr_log))
            .spawn()
            .expect("the okno binary starts");
        OknoProcess { child }
    }

    /// SIGKILL, then reap; sled's lock goes with the process.
    pub fn kill(mut self) {
        self.kill_and_reap();
    }

    /// SIGTERM, as systemd stops it; waits up to `patience` for it to exit by itself and
    /// returns how it exited, or `None` when it was still running (it is then killed).
    pub fn terminate(mut self, patience: std::time::Duration) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid} failed");
        let deadline = std::time::Instant::now() + patience;
        while std::time::Instant::now() < deadline {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    }

    /// Whether it already ended by itself (a crash okno did not need help with).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().expect("the child's status can be read")
    }

    fn kill_and_reap(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OknoProcess {
    fn drop(&mut self) {
        self.kill_and_reap();
    }
}

fn append_to(path: &Path) -> File {
    OpenOptions::new().create(true).append(true).open(path).expect("the child's stderr log opens")
}
