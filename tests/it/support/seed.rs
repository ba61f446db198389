//! Seeds for the randomised runs: taken from an environment variable to replay a run, or drawn
//! fresh, and printed either way so a failure can be replayed.

/// The seed in `var`, or a fresh one; printed as `run: var=seed`, so two runs that share a
/// variable tell their seeds apart.
pub fn seed(run: &str, var: &str) -> u64 {
    let seed = match std::env::var(var) {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("{var} must be a u64: {text:?}")),
        Err(_) => fastrand::u64(..),
    };
    println!("{run}: {var}={seed} (set it to replay this run)");
    seed
}

/// A count from `var`, or `default`.
pub fn count(var: &str, default: usize) -> usize {
    match std::env::var(var) {
        Ok(text) => {
            text.trim().parse().unwrap_or_else(|_| panic!("{var} must be a count: {text:?}"))
        }
        Err(_) => default,
    }
}
