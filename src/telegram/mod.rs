//! Telegram mode: long polling with teloxide's client and types, the same engine as the
//! terminal. Only messages and button presses are asked for; anything else that arrives is
//! dropped quietly, and no update is ever logged whole (it carries personal data).

mod api;
mod chats;
mod commands;
mod connect;
mod handlers;
mod notices;
mod pacing;
mod polling;
mod requests;
mod send;
pub mod split;
mod surrogates;
mod updates;

use std::sync::Arc;

use teloxide::prelude::*;

pub use api::BotApi;
pub use commands::{client_commands, register as register_commands, staff_commands};
pub use connect::bot_from_env;
use handlers::Context;
pub use notices::send_staff_notices;
pub use polling::{Polling, Stop};
pub use updates::Update;

use crate::dialog::Engine;

/// The polling loop with okno's handlers, and the handle that stops it. `api` is shared with
/// the staff notices, so both keep to one pace.
pub fn polling(bot: Bot, api: BotApi, engine: Arc<Engine>) -> (Polling, Stop) {
    let ctx = Context::new(api, engine);
    Polling::new(bot, ctx)
}

/// Runs the bot until Ctrl-C or SIGTERM, then flushes the store. At most `sends_per_second`
/// new messages go out a second (0: no pacing).
pub async fn run(bot: Bot, engine: Arc<Engine>, sends_per_second: u32) -> anyhow::Result<()> {
    let me = bot.get_me().await.map_err(|err| match err {
        teloxide::RequestError::Api(teloxide::ApiError::InvalidToken) => {
            anyhow::anyhow!("Telegram did not accept the bot token; check TELOXIDE_TOKEN")
        }
        other => anyhow::anyhow!(
            "could not reach the Bot API ({other}); check the network and TELOXIDE_API_URL"
        ),
    })?;
    tracing::info!(bot_id = me.id.0, "connected to the Bot API");
    if let Err(err) = register_commands(&bot, engine.business(), engine.texts()).await {
        tracing::warn!(cause = %err, "could not register the command menus");
    }

    let api = BotApi::new(&bot, sends_per_second);
    let notices = tokio::spawn(send_staff_notices(api.clone(), Arc::clone(&engine)));
    let (polling, stop) = polling(bot, api, Arc::clone(&engine));
    stop_on_signals(stop);
    polling.run().await;
    // Notices still queued stay in the store and go out after the next start.
    notices.abort();

    engine.store().flush()?;
    tracing::info!("stopped; store flushed");
    Ok(())
}

/// Ctrl-C and SIGTERM (systemd's stop) both end polling gracefully.
fn stop_on_signals(stop: Stop) {
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down");
        stop.stop();
    });
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
