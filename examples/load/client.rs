//! Simulated clients. A booking client reads each screen the bot shows and answers it like a
//! person would, pressing the buttons the bot actually sent; client `k` picks the k-th service,
//! master, day and time, so a crowd spreads over the calendar. What each client sent is recorded,
//! so the echo bot can be fed a stream of the same shape.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;

use crate::server::{Reply, Shared, contact_update, press_update, text_update};

/// How long a client waits for the bot's next message before it gives up.
const REPLY_WAIT: Duration = Duration::from_secs(10);
/// A booking takes about a dozen updates; past this many the client gives up.
const MAX_UPDATES: usize = 40;

/// One update a client sent, enough to replay its shape.
#[derive(Debug, Clone)]
pub enum Step {
    Text(String),
    Press,
    Contact,
}

/// How a client's visit ended.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Booked,
    /// Booked after the bot said a chosen time was gone and offered others.
    BookedAfterRetry,
    /// The bot went quiet on a screen the client could not act on (its first words).
    StoppedAt(String),
    NoReply,
    TooManySteps,
    /// The 10k-dialogs phase: the client stopped mid-dialog on purpose.
    LeftMidDialog,
}

/// What the client does next after reading one message.
enum Next {
    Act(Step, Option<String>),
    Wait,
    Done(Outcome),
}

pub struct Client {
    shared: Arc<Shared>,
    chat: i64,
    k: usize,
    replies: UnboundedReceiver<Reply>,
    last: Option<Reply>,
    day_picks: usize,
    time_picks: usize,
    pub sent: Vec<Step>,
}

impl Client {
    pub fn new(shared: Arc<Shared>, chat: i64, k: usize) -> Self {
        let replies = shared.client(chat);
        Self { shared, chat, k, replies, last: None, day_picks: 0, time_picks: 0, sent: Vec::new() }
    }

    /// A whole booking, from /start to «Готово».
    pub async fn book(&mut self) -> Outcome {
        let mut step = Step::Text("/start".into());
        let mut data = None;
        while self.sent.len() < MAX_UPDATES {
            self.send(&step, data.as_deref());
            loop {
                let Some(reply) = self.next_reply().await else {
                    return self.stopped();
                };
                match self.read(&reply) {
                    Next::Act(s, d) => {
                        (step, data) = (s, d);
                        break;
                    }
                    Next::Wait => {}
                    Next::Done(outcome) => return outcome,
                }
            }
        }
        Outcome::TooManySteps
    }

    /// /start and one answer, then silence: a dialog left open.
    pub async fn open_dialog(&mut self) -> Outcome {
        self.send(&Step::Text("/start".into()), None);
        while let Some(reply) = self.next_reply().await {
            if let Some((_, data)) = reply.buttons.first() {
                let data = data.clone();
                self.send(&Step::Press, Some(&data));
                return match self.next_reply().await {
                    Some(_) => Outcome::LeftMidDialog,
                    None => Outcome::NoReply,
                };
            }
        }
        Outcome::NoReply
    }

    /// Replays another client's steps against the echo bot, pressing its one button.
    pub async fn replay(&mut self, steps: &[Step]) -> Outcome {
        for step in steps {
            let data = self.last.as_ref().and_then(|r| r.buttons.first()).map(|b| b.1.clone());
            self.send(step, data.as_deref());
            if self.next_reply().await.is_none() {
                return Outcome::NoReply;
            }
        }
        Outcome::Booked
    }

    fn send(&mut self, step: &Step, data: Option<&str>) {
        let update = match (step, &self.last) {
            (Step::Text(text), _) => text_update(self.chat, text),
            (Step::Contact, _) => contact_update(self.chat, &format!("7913{:07}", self.k)),
            (Step::Press, Some(on)) => press_update(self.chat, on.message_id, data.unwrap_or("")),
            (Step::Press, None) => text_update(self.chat, "/start"),
        };
        self.sent.push(step.clone());
        self.shared.push(self.chat, update);
    }

    async fn next_reply(&mut self) -> Option<Reply> {
        let reply = tokio::time::timeout(REPLY_WAIT, self.replies.recv()).await.ok()??;
        self.last = Some(reply.clone());
        Some(reply)
    }

    fn stopped(&self) -> Outcome {
        match &self.last {
            Some(last) => Outcome::StoppedAt(last.text.chars().take(40).collect()),
            None => Outcome::NoReply,
        }
    }

    /// Reads a screen by its words, as a person would.
    fn read(&mut self, reply: &Reply) -> Next {
        let text = reply.text.as_str();
        let press = |i: usize, choices: &[&(String, String)]| match choices.get(i) {
            Some((_, data)) => Next::Act(Step::Press, Some(data.clone())),
            None => Next::Wait,
        };
        let all: Vec<_> = reply.buttons.iter().collect();
        let labelled =
            |label: &str| all.iter().copied().filter(|b| b.0 == label).collect::<Vec<_>>();
        let picks: Vec<_> = all.iter().copied().filter(|b| !b.0.contains('←')).collect();

        if reply.request_contact {
            return Next::Act(Step::Contact, None);
        }
        if text.starts_with("Готово, вы записаны") {
            let retried = self.time_picks + self.day_picks > 2;
            return Next::Done(if retried { Outcome::BookedAfterRetry } else { Outcome::Booked });
        }
        match () {
            _ if text.starts_with("Вы у нас впервые?") => press(self.k % 2, &picks),
            _ if text.starts_with("Есть пожелания") => {
                press(0, &labelled("Пожеланий нет"))
            }
            _ if text.starts_with("Выберите услугу") => {
                press(self.k % picks.len().max(1), &picks)
            }
            _ if text.ends_with("К кому записать?") => {
                press((self.k / 3) % picks.len().max(1), &picks)
            }
            _ if text.starts_with("Выберите день") => {
                self.day_picks += 1;
                press((self.k + self.day_picks - 1) % picks.len().max(1), &picks)
            }
            _ if text.contains("свободного времени уже нет") => {
                let back: Vec<_> = all.iter().copied().filter(|b| b.0.contains('←')).collect();
                press(0, &back)
            }
            _ if text.ends_with("Выберите время:") => {
                self.time_picks += 1;
                let i = self.k / 7 + self.time_picks - 1;
                press(i % picks.len().max(1), &picks)
            }
            _ if text.starts_with("Как к вам обращаться") => {
                Next::Act(Step::Text(format!("Клиент {}", self.k)), None)
            }
            _ if text.ends_with("Согласны?") => press(0, &labelled("Даю согласие")),
            _ if text.starts_with("Проверьте запись") => {
                press(0, &labelled("Записаться"))
            }
            _ => Next::Wait,
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.shared.forget_client(self.chat);
    }
}
