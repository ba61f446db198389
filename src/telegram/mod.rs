//! Telegram mode: long polling through teloxide, the same engine as the terminal.
//! Updates of kinds the bot does not use are dropped quietly (teloxide's default handler would
//! log whole updates, personal data included).

mod commands;
mod handlers;
mod notices;
mod requests;
mod send;
pub mod split;

use std::sync::Arc;

use teloxide::dispatching::{DefaultKey, ShutdownToken};
use teloxide::prelude::*;

pub use commands::{client_commands, register as register_commands, staff_commands};
use handlers::Context;
pub use handlers::input_from_message;
pub use notices::send_staff_notices;

use crate::dialog::Engine;

/// The dispatcher with okno's handlers; the caller decides how it is stopped.
pub fn dispatcher(
    bot: Bot,
    engine: Arc<Engine>,
) -> Dispatcher<Bot, teloxide::RequestError, DefaultKey> {
    let ctx = Arc::new(Context { engine, keyboards: Default::default() });
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(handlers::on_message))
        .branch(Update::filter_callback_query().endpoint(handlers::on_callback));

    Dispatcher::builder(bot, handler)
        .dependencies(dptree::deps![ctx])
        .default_handler(|_update| async {})
        .error_handler(Arc::new(|err: teloxide::RequestError| async move {
            tracing::warn!(cause = %err, "update handler failed");
        }))
        .build()
}

/// Runs the bot until Ctrl-C or SIGTERM, then flushes the store.
pub async fn run(bot: Bot, engine: Arc<Engine>) -> anyhow::Result<()> {
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

    let notices = tokio::spawn(send_staff_notices(bot.clone(), Arc::clone(&engine)));
    let mut dispatcher = dispatcher(bot, Arc::clone(&engine));
    stop_on_signals(dispatcher.shutdown_token());
    dispatcher.dispatch().await;
    // Notices still queued stay in the store and go out after the next start.
    notices.abort();

    engine.store().flush()?;
    tracing::info!("stopped; store flushed");
    Ok(())
}

/// Ctrl-C and SIGTERM (systemd's stop) both end polling gracefully.
fn stop_on_signals(token: ShutdownToken) {
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down");
        // The returned future can miss teloxide's wake-up; `dispatch()` returning is the signal.
        if token.shutdown().is_err() {
            tracing::info!("the dispatcher was not running");
        }
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
