//! Many simulated clients driven together: each tick reads what the bot sent since the last one,
//! hands it to the clients, and pushes whatever they answer.

use std::time::Duration;

use tokio::time::Instant;

use super::client::SimClient;
use super::rng::Rng;
use crate::support::bot_api::FakeBotApi;

/// The first client's chat; the others follow.
const FIRST_CHAT: i64 = 800_001;
const TICK: Duration = Duration::from_millis(4);

pub struct Crowd {
    pub clients: Vec<SimClient>,
    cursor: usize,
}

impl Crowd {
    pub fn new(count: usize, rng: &Rng) -> Self {
        let clients = (0..count)
            .map(|i| SimClient::new(FIRST_CHAT + i as i64, rng.fork(1000 + i as u64)))
            .collect();
        Crowd { clients, cursor: 0 }
    }

    pub fn chats(&self) -> Vec<i64> {
        self.clients.iter().map(|c| c.chat).collect()
    }

    /// Lets the clients talk to the bot for `span`.
    pub async fn talk_for(&mut self, api: &FakeBotApi, span: Duration) {
        let until = Instant::now() + span;
        while Instant::now() < until {
            self.tick(api);
            tokio::time::sleep(TICK.min(until - Instant::now())).await;
        }
    }

    /// The final round: every client sends /start and goes on until it books or sees its
    /// bookings; describes the clients that did not get there within `limit`.
    pub async fn finish(&mut self, api: &FakeBotApi, limit: Duration) -> Vec<String> {
        self.tick(api);
        for client in &mut self.clients {
            api.push_update(client.begin_final());
        }
        let until = Instant::now() + limit;
        while Instant::now() < until && self.clients.iter().any(|c| !c.finished) {
            self.tick(api);
            tokio::time::sleep(TICK).await;
        }
        let stuck = self.clients.iter().filter(|c| !c.finished || !c.greeted);
        stuck.map(|c| c.describe()).collect()
    }

    fn tick(&mut self, api: &FakeBotApi) {
        let (sent, cursor) = api.sent_since(self.cursor);
        self.cursor = cursor;
        for message in sent {
            let index = message.chat_id - FIRST_CHAT;
            if let Some(client) = usize::try_from(index).ok().and_then(|i| self.clients.get_mut(i))
            {
                client.hear(message);
            }
        }
        // People do not type much faster than a bot answers: past a backlog, they wait.
        if api.queued_updates() > self.clients.len() {
            return;
        }
        let now = std::time::Instant::now();
        for client in &mut self.clients {
            if let Some(update) = client.step(now) {
                api.push_update(update);
            }
        }
    }
}
