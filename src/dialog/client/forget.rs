//! `/forget`: after a confirmation, the person is erased, their future bookings are cancelled
//! (staff are told) and only anonymous history stays.

use super::render::ask;
use crate::dialog::engine::{Engine, Turn};
use crate::dialog::screen::Screen;
use crate::dialog::state::{ClientDialog, Step};

pub(crate) fn ask_confirmation(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    dialog.reset();
    dialog.step = Step::ForgetConfirm;
    ask(engine, turn, dialog)
}

pub(crate) fn on_answer(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    yes: bool,
) -> anyhow::Result<()> {
    dialog.reset();
    if !yes {
        turn.reply(Screen::text(engine.t("forget-kept")));
        return ask(engine, turn, dialog);
    }

    if let Some(client) = engine.store.client_for_chat(turn.chat)? {
        let cancelled = engine.store.forget_client(client, turn.now)?;
        tracing::info!(client = client.0, cancelled = cancelled.len(), "client forgotten");
        engine.signal_notices();
    }
    engine.store.clear_dialog(turn.chat)?;
    turn.erased = true;
    turn.reply(Screen::text(engine.t("forgotten")));
    Ok(())
}
