//! The bot under test as a separate process, pinned to its own core where the machine has
//! two, with its CPU time and memory read from /proc.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The okno binary next to this example: `target/release/examples/load` → `target/release/okno`.
pub fn okno_binary() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe()?;
    let dir = me.parent().and_then(Path::parent).ok_or_else(|| anyhow::anyhow!("no target dir"))?;
    Ok(dir.join("okno"))
}

/// Builds the okno binary with the same profile, so one command runs the whole load.
pub fn build_okno() -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo).args(["build", "--release", "--bin", "okno"]).status()?;
    anyhow::ensure!(status.success(), "cargo build --release --bin okno failed");
    Ok(())
}

/// Whether the machine has a second core for the bot: then the driver keeps core 0.
pub fn can_pin() -> bool {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores >= 2 && Command::new("taskset").arg("-V").output().is_ok_and(|o| o.status.success())
}

/// Moves this process (all its threads) to core 0; children are pinned on their own.
pub fn pin_self() {
    let pid = std::process::id().to_string();
    let _ = Command::new("taskset").args(["-a", "-p", "-c", "0", &pid]).output();
}

pub struct Bot {
    child: Child,
    clock_ticks: f64,
}

impl Bot {
    /// Starts `program args` against the Bot API at `api_url`, on core 1 when `pin`.
    pub fn spawn(
        program: &Path,
        args: &[String],
        api_url: &str,
        log: &Path,
        pin: bool,
    ) -> anyhow::Result<Self> {
        let mut command = if pin {
            let mut c = Command::new("taskset");
            c.args(["-c", "1"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let child = command
            .args(args)
            .env("TELOXIDE_TOKEN", "1:LOAD")
            .env("TELOXIDE_API_URL", api_url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?)
            .spawn()?;
        Ok(Self { child, clock_ticks: clock_ticks() })
    }

    /// User plus system CPU time so far.
    pub fn cpu(&self) -> Duration {
        let (user, system) = self.cpu_split();
        user + system
    }

    /// User and system CPU time so far, apart: the system part is the kernel's work for the
    /// bot (sockets, the disk, waking threads).
    pub fn cpu_split(&self) -> (Duration, Duration) {
        cpu_of(&format!("/proc/{}/stat", self.child.id()), self.clock_ticks)
    }

    /// `VmRSS` (now) and `VmHWM` (peak) in MiB.
    pub fn rss_mib(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        (status_kib(&status, "VmRSS:") / 1024.0, status_kib(&status, "VmHWM:") / 1024.0)
    }

    pub fn still_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGTERM, as systemd stops okno (it flushes and exits), then SIGKILL after 15 s. It
    /// waits without blocking: the Bot API server the bot's last calls go to runs on this
    /// driver's one thread.
    pub async fn stop(mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..300 {
            if !self.still_running() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// This process's own CPU time: the driver must not be the bottleneck.
pub fn own_cpu() -> Duration {
    let (user, system) = cpu_of("/proc/self/stat", clock_ticks());
    user + system
}

/// Fields 14 and 15 of /proc/PID/stat (utime, stime), in clock ticks; the name may hold spaces,
/// so fields are counted after its closing parenthesis.
fn cpu_of(path: &str, ticks: f64) -> (Duration, Duration) {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // After the name: state is field 3, so utime (14) and stime (15) sit at 11 and 12.
    (Duration::from_secs_f64(field(11) / ticks), Duration::from_secs_f64(field(12) / ticks))
}

fn status_kib(status: &str, key: &str) -> f64 {
    let line = status.lines().find(|l| l.starts_with(key)).unwrap_or_default();
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

fn clock_ticks() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output();
    let text = out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    text.ok().and_then(|t| t.parse().ok()).unwrap_or(100.0)
}
