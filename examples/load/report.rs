//! Printing the figures: each phase as it ends, then a summary against the goals of issue 3.

use crate::phase::PhaseResult;

pub struct OpenDialogs {
    pub idle: f64,
    pub rss: f64,
    pub peak: f64,
    pub result: PhaseResult,
}

/// A burst of okno and the echo bot's burst of the same shape, run one after the other.
pub struct Round {
    pub okno: PhaseResult,
    pub echo: PhaseResult,
}

impl Round {
    fn ratio(&self) -> f64 {
        self.okno.updates_per_sec() / self.echo.updates_per_sec()
    }

    fn cpu_ratio(&self) -> f64 {
        self.okno.cpu_per_update_us() / self.echo.cpu_per_update_us()
    }
}

pub struct Summary<'a> {
    /// The first round's okno burst is the one the paced phase follows.
    pub rounds: &'a [Round],
    pub okno_paced: &'a PhaseResult,
    pub echo_paced: &'a PhaseResult,
    pub okno_idle: f64,
    pub okno_peak: f64,
    pub echo_idle: f64,
    pub echo_peak: f64,
    pub open_dialogs: usize,
    pub open: OpenDialogs,
}

/// `cores` is read before this driver pins itself, which narrows what the process sees.
pub fn machine(cores: usize, clients: usize, masters: usize, pinned: bool) {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo.lines().find(|l| l.starts_with("model name")).unwrap_or("model name: ?");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("machine: {cores} cores, {}; load average {}", model.trim(), load.trim());
    println!("run: {clients} clients per phase, {masters} masters; bot pinned to core 1: {pinned}");
}

pub fn phase(name: &str, r: &PhaseResult) {
    println!("\n== {name}");
    println!(
        "updates {} in {:.2} s from the first handed to the last reply: {:.0} updates/s; \
         latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        r.stats.handed,
        r.busy().as_secs_f64(),
        r.updates_per_sec(),
        r.percentile_ms(0.5),
        r.percentile_ms(0.99),
        r.percentile_ms(1.0),
    );
    println!(
        "bot CPU {:.2} s ({:.0} µs per update, {:.0} % in the kernel); driver CPU {:.2} s of \
         {:.2} s wall",
        r.bot_cpu.as_secs_f64(),
        r.cpu_per_update_us(),
        100.0 * r.bot_system_cpu.as_secs_f64() / r.bot_cpu.as_secs_f64().max(1e-9),
        r.driver_cpu.as_secs_f64(),
        r.wall.as_secs_f64(),
    );
    let per_update = |n: u64| n as f64 / r.stats.handed.max(1) as f64;
    let calls: Vec<String> =
        r.stats.calls.iter().map(|(m, n)| format!("{m} {:.2}", per_update(*n))).collect();
    println!("Bot API calls per update: {}", calls.join(", "));
    println!(
        "bytes per update: {:.0} sent by the bot, {:.0} answered",
        per_update(r.stats.bytes_in),
        per_update(r.stats.bytes_out)
    );
    let outcomes: Vec<String> = r.outcomes.iter().map(|(o, n)| format!("{o:?}: {n}")).collect();
    println!("outcomes: {}", outcomes.join(", "));
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

/// The middle value; the mean of the two middle ones for an even count.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The throughput goal: the median over rounds of okno's burst against the echo bot's.
pub fn rounds(rounds: &[Round]) {
    println!("\n== bursts, round by round (okno, echo, ratio)");
    for (i, r) in rounds.iter().enumerate() {
        println!(
            "round {}: okno {:.0} updates/s ({:.0} µs per update), echo {:.0} updates/s \
             ({:.0} µs), ratio {:.2}",
            i + 1,
            r.okno.updates_per_sec(),
            r.okno.cpu_per_update_us(),
            r.echo.updates_per_sec(),
            r.echo.cpu_per_update_us(),
            r.ratio()
        );
    }

    let ratios: Vec<f64> = rounds.iter().map(Round::ratio).collect();
    let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let high = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ratio = median(ratios);
    let okno = median(rounds.iter().map(|r| r.okno.updates_per_sec()).collect());
    let echo = median(rounds.iter().map(|r| r.echo.updates_per_sec()).collect());
    println!("\n== summary (goal, figure, verdict)");
    println!(
        "throughput okno/echo ≥ 0.8: {ratio:.2}, the median of {} rounds \
         (range {low:.2}–{high:.2}; medians {okno:.0} vs {echo:.0} updates/s) {}",
        rounds.len(),
        verdict(ratio >= 0.8)
    );
    let okno_cpu = median(rounds.iter().map(|r| r.okno.cpu_per_update_us()).collect());
    let echo_cpu = median(rounds.iter().map(|r| r.echo.cpu_per_update_us()).collect());
    println!(
        "CPU per update okno/echo: {:.2}, the median of the rounds' ratios (medians {okno_cpu:.0} \
         vs {echo_cpu:.0} µs)",
        median(rounds.iter().map(Round::cpu_ratio).collect())
    );
}

pub fn summary(s: &Summary) {
    rounds(s.rounds);
    let p99 = s.okno_paced.percentile_ms(0.99);
    println!(
        "p99 paced ≤ 20 ms: {p99:.2} ms (p50 {:.2}; echo p99 {:.2}) {}",
        s.okno_paced.percentile_ms(0.5),
        s.echo_paced.percentile_ms(0.99),
        verdict(p99 <= 20.0)
    );
    println!(
        "p99 in the first burst (queueing included): okno {:.1} ms, echo {:.1} ms",
        s.rounds[0].okno.percentile_ms(0.99),
        s.rounds[0].echo.percentile_ms(0.99)
    );
    println!(
        "idle RSS ≤ 30 MB: {:.1} MiB (echo {:.1}) {}",
        s.okno_idle,
        s.echo_idle,
        verdict(s.okno_idle <= 30.0)
    );
    println!("peak RSS under load: okno {:.1} MiB, echo {:.1} MiB", s.okno_peak, s.echo_peak);
    let open = &s.open;
    println!(
        "{} dialogs open ≤ 150 MB: RSS {:.1} MiB, peak {:.1} MiB (from {:.1} idle) {}",
        s.open_dialogs,
        open.rss,
        open.peak,
        open.idle,
        verdict(open.peak <= 150.0)
    );
    phase("okno, dialogs left open", &open.result);
}
