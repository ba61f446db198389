//! A per-chat rate limit: past a sane pace, the bot says so once and then stays quiet.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::ids::ChatKey;

/// How many inputs one chat may send in one window.
const MAX_PER_WINDOW: u32 = 30;
const WINDOW_SECONDS: i64 = 60;
/// Past this many tracked chats, windows that ended are dropped, so memory stays bounded.
const PRUNE_ABOVE: usize = 10_000;

/// What to do with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// The first input over the limit: tell the person once.
    WarnOnce,
    Ignore,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: DateTime<Utc>,
    count: u32,
}

/// Counts inputs per chat in fixed windows.
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<ChatKey, Window>>,
    /// The terminal's one person is the operator at the keyboard (or a script in a pipe), not a
    /// flood from the internet: there every input is allowed.
    off: bool,
}

impl RateLimiter {
    /// A limiter that allows everything.
    pub fn off() -> Self {
        RateLimiter { off: true, ..RateLimiter::default() }
    }

    pub fn check(&self, chat: ChatKey, now: DateTime<Utc>) -> Verdict {
        if self.off {
            return Verdict::Allow;
        }

        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, w| now - w.started < Duration::seconds(WINDOW_SECONDS));
        }

        let window = windows.entry(chat).or_insert(Window { started: now, count: 0 });
        if now - window.started >= Duration::seconds(WINDOW_SECONDS) {
            *window = Window { started: now, count: 0 };
        }
        window.count += 1;

        match window.count {
            n if n <= MAX_PER_WINDOW => Verdict::Allow,
            n if n == MAX_PER_WINDOW + 1 => Verdict::WarnOnce,
            _ => Verdict::Ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_answered_once_then_ignored_until_the_window_ends() {
        let limiter = RateLimiter::default();
        let chat = ChatKey(7);
        let t0 = Utc::now();

        let verdicts: Vec<_> = (0..MAX_PER_WINDOW + 3).map(|_| limiter.check(chat, t0)).collect();

        assert!(verdicts[..MAX_PER_WINDOW as usize].iter().all(|v| *v == Verdict::Allow));
        assert_eq!(verdicts[MAX_PER_WINDOW as usize], Verdict::WarnOnce);
        assert_eq!(verdicts[MAX_PER_WINDOW as usize + 1], Verdict::Ignore);
        assert_eq!(limiter.check(chat, t0 + Duration::seconds(61)), Verdict::Allow);
        assert_eq!(limiter.check(ChatKey(8), t0), Verdict::Allow, "other chats are not affected");
    }

    #[test]
    fn a_limiter_that_is_off_allows_a_flood() {
        let limiter = RateLimiter::off();
        let t0 = Utc::now();

        let allowed =
            (0..MAX_PER_WINDOW * 3).filter(|_| limiter.check(ChatKey(7), t0) == Verdict::Allow);

        assert_eq!(allowed.count(), MAX_PER_WINDOW as usize * 3);
    }
}
