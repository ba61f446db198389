//! A client's conversation as persisted data: the step the bot waits on and what it collected.
//!
//! A booking conversation looks like:
//! `/start` → qualifying questions → service → master (or any) → day → time
//! → name → consent → phone → summary → booked.
//! A returning client who already gave name, consent and phone goes from time to summary.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::ids::{MasterId, ServiceId};

/// What the bot waits for now. Each variant has one handler in `client/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Step {
    /// Nothing in progress; the menu was shown.
    #[default]
    Idle,
    /// The business's qualifying question number `index`.
    Question {
        index: usize,
    },
    Service,
    Master,
    Day,
    Time {
        day: NaiveDate,
    },
    Name,
    Consent,
    Phone,
    Summary,
    /// «Удалить мои данные?» waits for yes or no.
    ForgetConfirm,
}

/// What the client chose so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Draft {
    /// Question id and the answer, in order.
    pub answers: Vec<(String, String)>,
    pub service: Option<ServiceId>,
    /// `None` with `any_master` set means «любой мастер».
    pub master: Option<MasterId>,
    pub any_master: bool,
    pub start: Option<DateTime<Utc>>,
    /// Kept here only until consent; then it moves to the person record.
    pub name: Option<String>,
}

/// The persisted conversation of one chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ClientDialog {
    /// Bumped whenever new buttons are shown; buttons carry it, so an old one is recognised.
    pub seq: u32,
    pub step: Step,
    pub draft: Draft,
    /// The deep-link source of the current episode.
    pub source: Option<String>,
}

impl ClientDialog {
    /// A sequence number for new buttons that this chat never saw before, even when a crash
    /// rolled the saved state back (dialog state may lag the disk): it follows the clock in
    /// milliseconds as well as counting up, so a button from before the crash stays stale.
    pub fn next_seq(&mut self, now: DateTime<Utc>) -> u32 {
        let clock = (now.timestamp_millis() & 0x7fff_ffff) as u32;
        self.seq = self.seq.wrapping_add(1).max(clock);
        self.seq
    }

    /// Leaves any booking in progress, keeping the source of the episode.
    pub fn reset(&mut self) {
        self.step = Step::Idle;
        self.draft = Draft::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn sequence_numbers_never_repeat_even_after_the_state_rolled_back() {
        let t0: DateTime<Utc> = "2026-12-03T02:00:00Z".parse().unwrap();
        let mut live = ClientDialog::default();
        let saved = live.clone();
        let before_crash: Vec<u32> = (0..5).map(|_| live.next_seq(t0)).collect();

        let mut restored = saved;
        let after_crash: Vec<u32> =
            (0..5).map(|_| restored.next_seq(t0 + Duration::milliseconds(800))).collect();

        assert!(before_crash.windows(2).all(|w| w[0] < w[1]), "{before_crash:?}");
        assert!(after_crash.iter().all(|s| !before_crash.contains(s)), "{after_crash:?}");
    }
}
