//! The client's conversation: routes each input to the handler of the step it belongs to.
//! Commands and stale buttons are handled here; steps live in the files beside.

mod book;
mod bookings;
mod choose;
mod forget;
mod labels;
mod person;
mod render;

use anyhow::Context;

use super::callback::{self, Action};
use super::engine::{Engine, Turn};
use super::input::Input;
use super::screen::Screen;
use super::state::{ClientDialog, Step};

pub(crate) use labels::Labels;
use render::Typed;
pub(crate) use render::ask;

/// Handles one input of a private chat.
pub(crate) fn handle(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    input: Input,
) -> anyhow::Result<()> {
    let source = match &input {
        Input::Start { payload } => payload.clone(),
        _ => None,
    };
    record_lead(engine, turn, source).context("recording the lead")?;

    match input {
        Input::Start { payload } => on_start(engine, turn, dialog, payload),
        Input::Command { name, .. } => on_command(engine, turn, dialog, &name),
        Input::Button(data) => on_button(engine, turn, dialog, &data),
        Input::Text(text) => on_text(engine, turn, dialog, &text),
        Input::Contact { phone } => person::on_contact(engine, turn, dialog, &phone),
        Input::Unsupported => {
            turn.reply(Screen::text(engine.t("only-text")));
            ask(engine, turn, dialog)
        }
        Input::Resume if dialog.step == Step::Idle => on_start(engine, turn, dialog, None),
        Input::Resume => ask(engine, turn, dialog),
    }
}

/// A lead starts with a chat's first message (with its deep-link source) and the bot answers
/// it in this same turn, so the first reply is now.
fn record_lead(engine: &Engine, turn: &Turn, source: Option<String>) -> anyhow::Result<()> {
    let idle_days = engine.biz.booking.lead_idle_days;
    let mut lead = engine.store.open_lead(turn.chat, source, turn.now, idle_days)?;
    if lead.first_reply.is_none() {
        lead.first_reply = Some(turn.now);
        engine.store.save_lead(&lead)?;
    }
    Ok(())
}

fn on_start(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    payload: Option<String>,
) -> anyhow::Result<()> {
    if payload.is_some() {
        dialog.source = payload;
    }
    dialog.reset();

    turn.reply(Screen::text(greeting(engine, turn)?));
    choose::begin(engine, turn, dialog)
}

/// «Здравствуйте!», with the client's name when the bot knows it.
fn greeting(engine: &Engine, turn: &Turn) -> anyhow::Result<String> {
    let business = engine.biz.business.name.clone();
    let client = engine.store.client_for_chat(turn.chat)?;
    let name = match client {
        Some(client) => engine.store.person(client)?.and_then(|p| p.name),
        None => None,
    };
    Ok(match name {
        Some(name) => {
            engine.tf("greeting-known", &[("name", name.into()), ("business", business.into())])
        }
        None => engine.tf("greeting", &[("business", business.into())]),
    })
}

fn on_command(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    name: &str,
) -> anyhow::Result<()> {
    match name {
        "help" => {
            turn.reply(Screen::text(help_text(engine, turn)));
            match dialog.step {
                Step::Idle => Ok(()),
                _ => ask(engine, turn, dialog),
            }
        }
        "cancel" => {
            // With nothing in progress there is nothing to call off: the menu is enough.
            let said = match dialog.step {
                Step::Idle => None,
                Step::ForgetConfirm => Some("forget-kept"),
                _ => Some("cancelled-dialog"),
            };
            if let Some(key) = said {
                dialog.reset();
                turn.reply(Screen::text(engine.t(key)));
            }
            ask(engine, turn, dialog)
        }
        "book" => choose::begin(engine, turn, dialog),
        "my" => bookings::show(engine, turn, dialog),
        "forget" => forget::ask_confirmation(engine, turn, dialog),
        _ => {
            turn.reply(Screen::text(engine.t("unknown-command")));
            Ok(())
        }
    }
}

/// Client help, plus the staff commands for staff.
fn help_text(engine: &Engine, turn: &Turn) -> String {
    let mut text = engine.t("help");
    if turn.user.is_some_and(|u| engine.biz.is_staff(u)) {
        text.push_str("\n\n");
        text.push_str(&engine.t("staff-help"));
    }
    text
}

fn on_button(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    data: &str,
) -> anyhow::Result<()> {
    let decoded = callback::decode(data);
    let Some(pressed) = decoded.filter(|p| p.seq == dialog.seq) else {
        tracing::debug!(chat = turn.chat.0, "stale or foreign button");
        if decoded.is_some_and(|p| p.action == Action::Book) {
            return book::pressed_again(engine, turn, dialog);
        }
        return stale(engine, turn);
    };

    match (&dialog.step, pressed.action) {
        (_, Action::Menu) => {
            dialog.reset();
            ask(engine, turn, dialog)
        }
        (_, Action::NewBooking) => choose::begin(engine, turn, dialog),
        (_, Action::MyBookings) => bookings::show(engine, turn, dialog),
        (_, Action::CancelAsk(id)) => bookings::ask_cancel(engine, turn, dialog, id),
        (_, Action::Cancel(id)) => bookings::cancel(engine, turn, dialog, id),
        (Step::Question { index }, Action::Answer(n)) => {
            choose::answer(engine, turn, dialog, *index, n)
        }
        (Step::Service, Action::Service(n)) => choose::service(engine, turn, dialog, n),
        (Step::Master, Action::Master(n)) => choose::master(engine, turn, dialog, Some(n)),
        (Step::Master, Action::AnyMaster) => choose::master(engine, turn, dialog, None),
        (Step::Day, Action::Day(day)) => choose::day(engine, turn, dialog, day),
        (Step::Time { .. }, Action::Time(minutes)) => choose::time(engine, turn, dialog, minutes),
        (Step::Time { .. }, Action::Change) => choose::back_to_days(engine, turn, dialog),
        (Step::Consent, Action::Consent(yes)) => person::on_consent(engine, turn, dialog, yes),
        (Step::Summary, Action::Book) => book::confirm(engine, turn, dialog),
        (Step::Summary, Action::Change) => choose::begin_services(engine, turn, dialog),
        (Step::ForgetConfirm, Action::Forget(yes)) => forget::on_answer(engine, turn, dialog, yes),
        (_, Action::Book) => book::pressed_again(engine, turn, dialog),
        _ => stale(engine, turn),
    }
}

/// A button from an older message: a short note, and a new message saying to start again
/// (the pressed message keeps what it said).
pub(super) fn stale(engine: &Engine, turn: &mut Turn) -> anyhow::Result<()> {
    turn.out.button_note = Some(engine.t("stale-button-note"));
    turn.out.keep_origin = true;
    turn.reply(Screen::text(engine.t("stale-button")));
    Ok(())
}

fn on_text(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    text: &str,
) -> anyhow::Result<()> {
    match dialog.step {
        Step::Question { index } => {
            // Where a free answer is welcome, only a whole option label counts as pressing it.
            let free = engine.biz.questions.get(index).is_some_and(|q| q.free_answer);
            let how = if free { Typed::WholeLabel } else { Typed::LabelOrStart };
            match render::typed_choice(engine, turn, dialog, text, how)? {
                Some(data) => on_button(engine, turn, dialog, &data),
                None => choose::free_answer(engine, turn, dialog, index, text),
            }
        }
        Step::Name => person::on_name(engine, turn, dialog, text),
        Step::Phone => person::on_phone(engine, turn, dialog, text),
        Step::Idle => match render::typed_choice(engine, turn, dialog, text, Typed::WholeLabel)? {
            Some(data) => on_button(engine, turn, dialog, &data),
            None => {
                turn.reply(Screen::text(greeting(engine, turn)?));
                ask(engine, turn, dialog)
            }
        },
        _ => match render::typed_choice(engine, turn, dialog, text, Typed::LabelOrStart)? {
            Some(data) => on_button(engine, turn, dialog, &data),
            None => {
                turn.reply(Screen::text(engine.t("use-buttons")));
                ask(engine, turn, dialog)
            }
        },
    }
}
