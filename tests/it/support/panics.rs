//! Counts panics raised outside the test code (in okno, teloxide, tokio, axum), for the runs
//! that must end with none even where a task or a catch would swallow them. One hook for the
//! whole test binary, chained to the one before it so messages still print.

use std::panic;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

static OUTSIDE_TESTS: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// How many panics outside `tests/` happened since the hook went in; installs it on first use.
pub fn outside_tests() -> usize {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let in_tests = info.location().is_some_and(|at| at.file().starts_with("tests/"));
            if !in_tests {
                OUTSIDE_TESTS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
    OUTSIDE_TESTS.load(Ordering::SeqCst)
}
