//! Who is booking: name, consent to personal-data processing, phone.
//! Nothing personal is stored before consent; a returning client is not asked again.

use anyhow::Context;

use super::render::ask;
use crate::dialog::engine::{Engine, Turn};
use crate::dialog::screen::Screen;
use crate::dialog::state::{ClientDialog, Step};
use crate::domain::phone::Phone;
use crate::domain::typed;
use crate::store::{Consent, Person};

const MAX_NAME_CHARS: usize = 60;

/// What the store already knows about this chat's person.
struct Known {
    name: bool,
    consent: bool,
    phone: bool,
}

fn known(engine: &Engine, turn: &Turn) -> anyhow::Result<Known> {
    let Some(client) = engine.store.client_for_chat(turn.chat)? else {
        return Ok(Known { name: false, consent: false, phone: false });
    };
    let person = engine.store.person(client)?.unwrap_or_default();
    let version = &engine.biz.business.consent_version;
    let consent = engine.store.consent(client)?.is_some_and(|c| &c.version == version);
    Ok(Known { name: person.name.is_some(), consent, phone: person.phone.is_some() })
}

/// Moves to the first thing still missing, or to the summary.
pub(crate) fn advance(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    let mut known = known(engine, turn).context("reading what is known about the client")?;
    if known.consent && dialog.draft.name.is_some() {
        save_name(engine, turn, dialog)?;
        known.name = true;
    }
    dialog.step = if !known.name && dialog.draft.name.is_none() {
        Step::Name
    } else if !known.consent {
        Step::Consent
    } else if !known.phone {
        Step::Phone
    } else {
        Step::Summary
    };
    ask(engine, turn, dialog)
}

pub(crate) fn on_name(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    text: &str,
) -> anyhow::Result<()> {
    let name = typed::plain(text).split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.as_str();
    let sane = name.chars().any(char::is_alphabetic) && name.chars().count() <= MAX_NAME_CHARS;
    if !sane {
        turn.reply(Screen::text(engine.t("bad-name")));
        return ask(engine, turn, dialog);
    }
    dialog.draft.name = Some(name.to_string());
    advance(engine, turn, dialog)
}

pub(crate) fn on_consent(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    yes: bool,
) -> anyhow::Result<()> {
    if !yes {
        dialog.reset();
        let phone = engine.biz.business.phone.clone();
        turn.reply(Screen::text(engine.tf("consent-declined", &[("phone", phone.into())])));
        return ask(engine, turn, dialog);
    }

    let client = engine.store.get_or_create_client(turn.chat, turn.now)?;
    let version = engine.biz.business.consent_version.clone();
    engine.store.save_consent(client, &Consent { version, at: turn.now })?;

    tracing::info!(chat = turn.chat.0, client = client.0, "consent recorded");
    advance(engine, turn, dialog)
}

/// Moves the name from the draft into the person record; only ever called after consent.
fn save_name(engine: &Engine, turn: &Turn, dialog: &mut ClientDialog) -> anyhow::Result<()> {
    let Some(name) = dialog.draft.name.take() else { return Ok(()) };
    let client = engine.store.get_or_create_client(turn.chat, turn.now)?;
    let mut person = engine.store.person(client)?.unwrap_or_default();
    person.name = Some(name);
    person.telegram_user = turn.user.map(|u| u.0);
    engine.store.save_person(client, &person)?;
    Ok(())
}

/// A typed number. Only a valid Russian mobile or landline is kept.
pub(crate) fn on_phone(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    raw: &str,
) -> anyhow::Result<()> {
    save_phone(engine, turn, dialog, Phone::parse(raw).ok())
}

/// A shared contact: Telegram gives the number in international form, sometimes without '+'.
pub(crate) fn on_contact(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    raw: &str,
) -> anyhow::Result<()> {
    save_phone(engine, turn, dialog, Phone::from_contact(raw).ok())
}

fn save_phone(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    phone: Option<Phone>,
) -> anyhow::Result<()> {
    if dialog.step != Step::Phone {
        turn.reply(Screen::text(engine.t("use-buttons")));
        return ask(engine, turn, dialog);
    }
    let Some(phone) = phone else {
        let business_phone = engine.biz.business.phone.clone();
        turn.reply(Screen::text(engine.tf("bad-phone", &[("phone", business_phone.into())])));
        return ask(engine, turn, dialog);
    };

    let client = engine.store.get_or_create_client(turn.chat, turn.now)?;
    let mut person: Person = engine.store.person(client)?.unwrap_or_default();
    person.phone = Some(phone.as_str().to_string());
    engine.store.save_person(client, &person)?;
    turn.reply(Screen::text(engine.t("phone-saved")));
    advance(engine, turn, dialog)
}
