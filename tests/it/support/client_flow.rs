//! A first-time client booking a women's haircut with Anna over the fake Bot API, one step at
//! a time, so a run can script faults before any step and count what each step took.

use super::bot_api::{FakeBotApi, SentMessage, user_callback, user_contact, user_text};

/// What the client does at one step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    Say(&'static str),
    Press(&'static str),
    /// The `n`-th offered day (counted from 0, wrapping).
    PressDay(usize),
    /// The `n`-th offered time (wrapping).
    PressTime(usize),
    SayName,
    SharePhone,
}

/// One step: the action, how many messages or edits it brings, and whether the first of them
/// edits the pressed message (a 400 on an edit is then answered by a new message).
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub action: Action,
    pub replies: usize,
    pub edits: bool,
}

/// The booking, step by step; the last step books.
pub fn booking_steps(day: usize, time: usize) -> Vec<Step> {
    let step = |action, replies, edits| Step { action, replies, edits };
    vec![
        step(Action::Say("/start"), 2, false),
        step(Action::Press("Да, впервые"), 1, true),
        step(Action::Press("Пожеланий нет"), 1, true),
        step(Action::Press("Женская стрижка · 1\u{a0}800\u{a0}₽"), 1, true),
        step(Action::Press("Анна Соколова · 1\u{a0}800\u{a0}₽"), 1, true),
        step(Action::PressDay(day), 1, true),
        step(Action::PressTime(time), 1, true),
        step(Action::SayName, 1, false),
        step(Action::Press("Даю согласие"), 1, false),
        step(Action::SharePhone, 2, false),
        step(Action::Press("Записаться"), 1, true),
    ]
}

pub const BOOKED_PREFIX: &str = "Готово, вы записаны!";

/// A client in its own private chat.
pub struct Client<'a> {
    pub api: &'a FakeBotApi,
    pub chat: i64,
    /// The last message with buttons the client saw.
    screen: Option<SentMessage>,
    /// Every message or edit the client received.
    pub received: Vec<SentMessage>,
}

impl<'a> Client<'a> {
    pub fn new(api: &'a FakeBotApi, chat: i64) -> Self {
        Client { api, chat, screen: None, received: Vec::new() }
    }

    /// Sends the step's update (nothing else) and returns its update id.
    pub fn act(&self, action: Action) -> i64 {
        let (chat, user) = (self.chat, self.chat as u64);
        let update = match action {
            Action::Say(text) => user_text(chat, user, text),
            Action::SayName => user_text(chat, user, "Ирина"),
            Action::SharePhone => user_contact(chat, user, &self.phone(), "Ирина"),
            Action::Press(label) => self.press(|labels| labels.iter().position(|l| *l == label)),
            Action::PressDay(n) => self.press(|labels| nth_matching(labels, n, is_day)),
            Action::PressTime(n) => self.press(|labels| nth_matching(labels, n, is_time)),
        };
        self.api.push_update(update)
    }

    /// Waits for the step's replies and remembers the last screen with buttons.
    pub async fn receive(&mut self, replies: usize) -> Vec<SentMessage> {
        let sent = self.api.wait_for_sent(self.chat, replies).await;
        if let Some(screen) = sent.iter().rev().find(|m| !m.buttons.is_empty()) {
            self.screen = Some(screen.clone());
        }
        self.received.extend(sent.iter().cloned());
        sent
    }

    /// One step: the update, then its replies.
    pub async fn take(&mut self, step: &Step) {
        self.act(step.action);
        self.receive(step.replies).await;
    }

    /// Whether the last thing the client received says it is booked.
    pub fn is_booked(&self) -> bool {
        self.received.last().is_some_and(|m| m.text.starts_with(BOOKED_PREFIX))
    }

    /// A distinct valid Russian mobile number per chat.
    fn phone(&self) -> String {
        format!("+7913{:07}", self.chat.unsigned_abs() % 10_000_000)
    }

    fn press(&self, pick: impl Fn(&[&str]) -> Option<usize>) -> serde_json::Value {
        let screen = self.screen.as_ref().expect("a button is pressed on a screen the bot sent");
        let labels: Vec<&str> = screen.buttons.iter().flatten().map(String::as_str).collect();
        let data: Vec<&String> = screen.callback_data.iter().flatten().collect();
        let i = pick(&labels).unwrap_or_else(|| panic!("no such button among {labels:?}"));
        user_callback(self.chat, self.chat as u64, screen.message_id, data[i])
    }
}

fn nth_matching(labels: &[&str], n: usize, matches: fn(&str) -> bool) -> Option<usize> {
    let found: Vec<usize> = (0..labels.len()).filter(|&i| matches(labels[i])).collect();
    (!found.is_empty()).then(|| found[n % found.len()])
}

/// «чт, 3 декабря»
fn is_day(label: &str) -> bool {
    label.contains(", ") && label.chars().any(|c| c.is_ascii_digit())
}

/// «11:30»
fn is_time(label: &str) -> bool {
    label.len() == 5 && label.as_bytes()[2] == b':'
}
