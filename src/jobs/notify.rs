//! Staff notices from the store's outbox: rendered from current data when sent, marked sent
//! after. The transports decide how to send; this module decides what and in which order.

use anyhow::Context;

use crate::dialog::Engine;
use crate::dialog::Screen;
use crate::dialog::staff::render_notice;
use crate::domain::ids::ChatKey;

/// A notice ready to send: its place in the queue, where it goes and what it says.
#[derive(Debug, Clone)]
pub struct ReadyNotice {
    pub seq: u64,
    pub chat: ChatKey,
    pub screen: Screen,
}

/// The oldest queued notices, rendered. Ones that owe nothing (a vanished booking) are
/// marked sent on the way.
pub fn ready_notices(engine: &Engine, limit: usize) -> anyhow::Result<Vec<ReadyNotice>> {
    let store = engine.store();
    let mut ready = Vec::new();
    for pending in store.pending_notices(limit).context("reading the staff outbox")? {
        match render_notice(engine, &pending.event)? {
            Some(screen) => {
                let chat = engine.business().staff.chat_id;
                ready.push(ReadyNotice { seq: pending.seq, chat, screen });
            }
            None => store.mark_notice_sent(pending.seq)?,
        }
    }
    Ok(ready)
}

/// Sends every queued notice through `send` (the terminal prints them), marking each after.
pub fn drain(engine: &Engine, mut send: impl FnMut(&ReadyNotice)) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let batch = ready_notices(engine, 50)?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for notice in &batch {
            send(notice);
            engine.store().mark_notice_sent(notice.seq)?;
            sent += 1;
        }
    }
}
