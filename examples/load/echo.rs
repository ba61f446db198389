//! The yardstick: a bare teloxide bot with the same features as okno, that answers every
//! message with one message and every button press the way okno does (answer the query, then
//! edit the pressed message). It runs as `load --echo-bot` in its own process.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Reads `TELOXIDE_TOKEN` and `TELOXIDE_API_URL` like okno and polls until killed.
pub fn run() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let bot = Bot::from_env();
        let handler = dptree::entry()
            .branch(Update::filter_message().endpoint(on_message))
            .branch(Update::filter_callback_query().endpoint(on_press));
        Dispatcher::builder(bot, handler).default_handler(|_| async {}).build().dispatch().await;
    });
    Ok(())
}

fn keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Дальше", "next")]])
}

async fn on_message(bot: Bot, msg: Message) -> ResponseResult<()> {
    let text = msg.text().unwrap_or("контакт").to_owned();
    bot.send_message(msg.chat.id, text).reply_markup(keyboard()).await?;
    Ok(())
}

async fn on_press(bot: Bot, query: CallbackQuery) -> ResponseResult<()> {
    bot.answer_callback_query(query.id.clone()).await?;
    if let Some(message) = &query.message {
        let text = format!("Нажато: {}", query.data.unwrap_or_default());
        bot.edit_message_text(message.chat().id, message.id(), text)
            .reply_markup(keyboard())
            .await?;
    }
    Ok(())
}
