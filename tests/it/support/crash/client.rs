//! A simulated client who reads the last screen the bot showed and answers it like a person
//! would: presses the buttons it offers, types a name and a phone, confirms. A dead bot or a
//! confusing answer sends it back to /start; sometimes it repeats what it did instead.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::rng::Rng;
use crate::support::bot_api::{SentMessage, user_callback, user_contact, user_text};

/// How every greeting ends; a returning client is greeted by name before it.
pub const GREETING_END: &str = "Это Салон красоты «Ель». Запишу вас за минуту.";

/// The anonymous greeting and «Здравствуйте, Ирина! …» alike.
pub fn is_greeting(text: &str) -> bool {
    text.starts_with("Здравствуйте") && text.ends_with(GREETING_END)
}
pub const BOOKED: &str = "Готово, вы записаны!";

/// How long a client waits for any answer before it tries again; each silent retry doubles
/// it up to the cap, so a dead or busy bot is not buried under retries.
const REPLY_WAIT: Duration = Duration::from_millis(400);
const MAX_REPLY_WAIT: Duration = Duration::from_millis(3200);
/// How long it waits after a screen that announces another one (a greeting, «номер сохранён»).
const SETTLE: Duration = Duration::from_millis(300);
/// The pause between reading a screen and answering it, in ms. okno answers a chat that writes
/// more than 30 times a minute with «too fast» and then ignores it for the minute, so no
/// client outpaces that within one life of the bot.
const THINK_MS: (u64, u64) = (20, 60);

/// What the client does next.
#[derive(Clone, Debug)]
enum Action {
    Press { message_id: i64, data: String },
    Type(String),
    Contact(String),
    Start,
}

/// How the client reads the last screen.
enum Reaction {
    Act(Action),
    /// Another message is on its way.
    Wait,
    /// It got where it wanted; only in the final round.
    Finished,
}

/// The crash phase books and browses on; the final round stops at the first outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    Crash,
    Final,
}

pub struct SimClient {
    pub chat: i64,
    rng: Rng,
    /// Bookings it tries to make before it only browses.
    target: usize,
    /// «Готово, вы записаны!» messages it has read.
    pub booked: usize,
    round: Round,
    booked_before_final: usize,
    latest: Option<SentMessage>,
    fresh: bool,
    last_action: Option<Action>,
    acted_at: Instant,
    reply_wait: Duration,
    heard_at: Instant,
    act_after: Instant,
    /// The final round: the greeting came after its /start, and it reached an outcome.
    pub greeted: bool,
    pub finished: bool,
    pub actions: usize,
}

impl SimClient {
    pub fn new(chat: i64, rng: Rng) -> Self {
        let mut rng = rng;
        let target = rng.between(1, 3) as usize;
        let now = Instant::now();
        SimClient {
            chat,
            rng,
            target,
            booked: 0,
            round: Round::Crash,
            booked_before_final: 0,
            latest: None,
            fresh: false,
            last_action: None,
            acted_at: now,
            reply_wait: REPLY_WAIT,
            heard_at: now,
            act_after: now,
            greeted: false,
            finished: false,
            actions: 0,
        }
    }

    /// Starts the final round: /start at once, then one more booking or the list of bookings.
    pub fn begin_final(&mut self) -> Value {
        self.round = Round::Final;
        self.booked_before_final = self.booked;
        self.greeted = false;
        self.finished = false;
        self.latest = None;
        self.act(Action::Start, Instant::now())
    }

    /// Where the client is, for a failure message: no personal data here, only test data.
    pub fn describe(&self) -> String {
        let screen = self.latest.as_ref().map(|m| (m.method.as_str(), m.text.lines().next()));
        format!(
            "chat {}: last screen {screen:?}, unread {}, last action {:?}, booked {}, greeted {}",
            self.chat, self.fresh, self.last_action, self.booked, self.greeted
        )
    }

    /// A message or edit the bot sent to this chat.
    pub fn hear(&mut self, message: SentMessage) {
        if is_greeting(&message.text) {
            self.greeted = true;
        }
        if message.text.starts_with(BOOKED) {
            self.booked += 1;
        }
        self.latest = Some(message);
        self.fresh = true;
        self.heard_at = Instant::now();
        self.reply_wait = REPLY_WAIT;
    }

    /// The update to push now, if the client has something to do.
    pub fn step(&mut self, now: Instant) -> Option<Value> {
        if self.finished || now < self.act_after {
            return None;
        }
        if !self.fresh {
            return (now - self.acted_at > self.reply_wait).then(|| self.retry(now));
        }
        match self.react() {
            Reaction::Act(action) => Some(self.act(action, now)),
            Reaction::Wait if now - self.heard_at > SETTLE => Some(self.act(Action::Start, now)),
            Reaction::Wait => None,
            Reaction::Finished => {
                self.finished = true;
                None
            }
        }
    }

    /// No answer came: do the same again (the dialog may continue) or start over.
    fn retry(&mut self, now: Instant) -> Value {
        self.reply_wait = (self.reply_wait * 2).min(MAX_REPLY_WAIT);
        let again = self.last_action.clone().filter(|_| self.rng.chance(50));
        self.act(again.unwrap_or(Action::Start), now)
    }

    fn act(&mut self, action: Action, now: Instant) -> Value {
        if matches!(action, Action::Start) && self.round == Round::Final {
            self.greeted = false;
        }
        let user = self.chat as u64;
        let update = match &action {
            Action::Press { message_id, data } => user_callback(self.chat, user, *message_id, data),
            Action::Type(text) => user_text(self.chat, user, text),
            Action::Contact(phone) => user_contact(self.chat, user, phone, "Ирина"),
            Action::Start => user_text(self.chat, user, "/start crash"),
        };
        self.last_action = Some(action);
        self.fresh = false;
        self.acted_at = now;
        self.act_after = now + Duration::from_millis(self.rng.between(THINK_MS.0, THINK_MS.1));
        self.actions += 1;
        update
    }

    fn wants_to_book(&self) -> bool {
        match self.round {
            Round::Crash => self.booked < self.target,
            Round::Final => true,
        }
    }

    fn final_outcome(&self) -> bool {
        self.round == Round::Final && self.booked > self.booked_before_final
    }

    fn react(&mut self) -> Reaction {
        let Some(screen) = self.latest.clone() else { return Reaction::Act(Action::Start) };
        if self.final_outcome() {
            return Reaction::Finished;
        }
        let text = screen.text.as_str();
        let act = |action| Reaction::Act(action);
        match () {
            _ if is_greeting(text) || text == "Спасибо, номер сохранён." => {
                Reaction::Wait
            }
            _ if text.starts_with("Увы, это время только что заняли") => {
                Reaction::Wait
            }
            _ if text.starts_with("У вас уже") => Reaction::Wait,
            _ if text.starts_with("Ваши записи:") || text.starts_with("Свободного времени") => {
                self.outcome_or_start()
            }
            _ if screen.request_contact => act(self.phone()),
            _ if text == "Как к вам обращаться?" => {
                act(Action::Type("Ирина".into()))
            }
            _ if text.starts_with("Есть пожелания") && self.rng.chance(30) => {
                act(Action::Type("Покороче, пожалуйста".into()))
            }
            _ if text.starts_with("Проверьте запись") && !self.wants_to_book() => {
                self.press(&screen, |label| label == "Изменить")
            }
            _ if text.starts_with(BOOKED) && !self.wants_to_book() => act(Action::Start),
            _ if text.contains("свободного времени уже нет") => {
                self.press(&screen, |label| label.starts_with('←'))
            }
            _ if text.contains("Выберите время:") => {
                self.press(&screen, |label| !label.starts_with('←'))
            }
            _ if !screen.buttons.is_empty() => self.press_expected(&screen),
            _ => act(Action::Start),
        }
    }

    /// A list of bookings or «no free time» ends the final round; in the crash phase, /start.
    fn outcome_or_start(&mut self) -> Reaction {
        match self.round {
            Round::Final => Reaction::Finished,
            Round::Crash => Reaction::Act(Action::Start),
        }
    }

    /// The buttons a person following the booking would press; any of them for a choice.
    fn press_expected(&mut self, screen: &SentMessage) -> Reaction {
        const FORWARD: [&str; 4] =
            ["Пожеланий нет", "Даю согласие", "Записаться", "Записаться ещё"];
        let forward = screen.buttons.iter().flatten().any(|l| FORWARD.contains(&l.as_str()));
        if forward {
            return self.press(screen, |label| FORWARD.contains(&label));
        }
        self.press(screen, |label| !label.starts_with('←') && label != "Другая услуга")
    }

    /// Presses a random button among those whose label passes `wanted`.
    fn press(&mut self, screen: &SentMessage, wanted: impl Fn(&str) -> bool) -> Reaction {
        let labels = screen.buttons.iter().flatten();
        let choices: Vec<_> = labels
            .zip(screen.callback_data.iter().flatten())
            .filter(|(label, data)| wanted(label) && !data.is_empty())
            .map(|(_, data)| data.clone())
            .collect();
        if choices.is_empty() {
            return Reaction::Act(Action::Start);
        }
        let data = choices[self.rng.index(choices.len())].clone();
        Reaction::Act(Action::Press { message_id: screen.message_id, data })
    }

    /// The phone, shared with the button or typed, unique to the chat.
    fn phone(&mut self) -> Action {
        let digits = format!("7913{:07}", self.chat % 10_000_000);
        if self.rng.chance(50) {
            return Action::Contact(digits);
        }
        Action::Type(format!(
            "+{} {} {}-{}-{}",
            &digits[..1],
            &digits[1..4],
            &digits[4..7],
            &digits[7..9],
            &digits[9..]
        ))
    }
}
