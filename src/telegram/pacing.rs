//! Spacing of new messages: Telegram answers 429 when a bot sends more than about 30 messages
//! a second in all, so a crowd arriving at once (an ad, a mailing) got its replies refused,
//! retried together and dropped. Each `sendMessage` waits for its turn, at most `per_second`
//! turns a second, in the order asked. Edits and button answers are not paced, as teloxide's
//! own `Throttle` leaves them.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Turns for new messages, shared by every sender of one bot.
#[derive(Debug)]
pub struct Pacer {
    /// `None`: no pacing (a server that is not Telegram, as in the load run).
    slots: Option<Mutex<Slots>>,
}

#[derive(Debug)]
struct Slots {
    gap: Duration,
    /// When the next turn is free.
    next: Instant,
}

impl Pacer {
    /// At most `per_second` turns a second, one every `1/per_second`; 0 turns pacing off.
    pub fn new(per_second: u32) -> Self {
        let slots = (per_second > 0).then(|| {
            let gap = Duration::from_secs(1) / per_second;
            Mutex::new(Slots { gap, next: Instant::now() })
        });
        Pacer { slots }
    }

    /// Waits until this message may go.
    pub async fn turn(&self) {
        let Some(slots) = &self.slots else { return };
        let at = {
            let mut slots = slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let at = slots.next.max(Instant::now());
            slots.next = at + slots.gap;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn thirty_a_second_go_one_every_33_ms_in_the_order_asked() {
        let pacer = std::sync::Arc::new(Pacer::new(30));
        let started = Instant::now();

        let turns: Vec<_> = (0..31)
            .map(|_| {
                let pacer = std::sync::Arc::clone(&pacer);
                tokio::spawn(async move {
                    pacer.turn().await;
                    Instant::now()
                })
            })
            .collect();
        let mut at = Vec::new();
        for turn in turns {
            at.push(turn.await.unwrap() - started);
        }

        assert_eq!(at[0], Duration::ZERO, "the first goes at once");
        assert!(at.windows(2).all(|w| w[1] - w[0] >= Duration::from_millis(33)), "{at:?}");
        assert!(at[30] >= Duration::from_secs(1) - Duration::from_millis(1), "{:?}", at[30]);
    }

    #[tokio::test(start_paused = true)]
    async fn no_pacing_waits_for_nothing() {
        let pacer = Pacer::new(0);
        let started = Instant::now();
        for _ in 0..1000 {
            pacer.turn().await;
        }
        assert_eq!(Instant::now(), started);
    }
}
