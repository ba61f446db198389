//! The command menus registered with Telegram at start: one for clients, one per staff member.
//! Descriptions come from `dialogs/` like every other text, so the menu matches `/help`.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

use crate::config::business::Business;
use crate::dialog::staff::staff_command_names;
use crate::texts::Texts;

const CLIENT_COMMANDS: [&str; 6] = ["start", "book", "my", "cancel", "forget", "help"];

fn command(texts: &Texts, name: &str) -> BotCommand {
    BotCommand::new(name, texts.get(&format!("cmd-{name}")))
}

pub fn client_commands(texts: &Texts) -> Vec<BotCommand> {
    CLIENT_COMMANDS.iter().map(|name| command(texts, name)).collect()
}

pub fn staff_commands(texts: &Texts) -> Vec<BotCommand> {
    let mut list = client_commands(texts);
    list.extend(staff_command_names().iter().map(|name| command(texts, name)));
    list
}

/// Sets the client menu for everyone and the staff menu in each staff member's private chat.
pub async fn register(
    bot: &Bot,
    biz: &Business,
    texts: &Texts,
) -> Result<(), teloxide::RequestError> {
    bot.set_my_commands(client_commands(texts)).await?;

    let staff = biz.staff.owners.iter().chain(&biz.staff.managers);
    for user in staff {
        let scope = BotCommandScope::Chat { chat_id: Recipient::Id(ChatId(user.0 as i64)) };
        bot.set_my_commands(staff_commands(texts)).scope(scope).await?;
    }
    Ok(())
}
