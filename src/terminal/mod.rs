//! Terminal chat: the same engine as Telegram, line by line over stdin/stdout.
//! Buttons print as numbered options; the person types a number or text. Staff notices print
//! inline with a `[staff]` prefix. It works from a pipe too, so tests drive it end to end.

use std::io::{BufRead, Write};

use crate::dialog::screen::label_key;
use crate::dialog::{Engine, Incoming, Input, Outbox};
use crate::domain::ids::{ChatKey, UserKey};
use crate::jobs::notify;
use crate::texts::Arg;

/// Who the terminal speaks as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    Client,
    /// The first owner from the business file, in their private chat with the bot.
    Staff,
}

/// The terminal client's chat and user ids: far from any real Telegram id.
const CLIENT_CHAT: i64 = 1;

/// The options of the last screen: what a typed number, or a typed label, means.
#[derive(Default)]
struct Options {
    data: Vec<String>,
    /// Each option's label as [`label_key`] compares it, in the order of `data`.
    labels: Vec<String>,
    contact: bool,
}

/// Runs a chat until the input ends.
pub fn run(
    engine: &Engine,
    speaker: Speaker,
    input: impl BufRead,
    mut out: impl Write,
) -> std::io::Result<()> {
    let (chat, user) = identity(engine, speaker);
    let business = engine.business().business.name.clone();
    writeln!(
        out,
        "{}",
        engine.texts().fmt("terminal-intro", &[("business", Arg::from(business))])
    )?;

    let mut options = Options::default();
    let opening = match speaker {
        Speaker::Client => Input::Resume,
        Speaker::Staff => Input::Command { name: "help".to_string(), args: String::new() },
    };
    let first = engine.handle(Incoming { chat, user, input: opening });
    print_outbox(engine, &first, &mut options, &mut out)?;

    for line in input.lines() {
        let line = line?;
        let Some(input) = read_line(&line, &options) else { continue };
        let outbox = engine.handle(Incoming { chat, user, input });
        print_outbox(engine, &outbox, &mut options, &mut out)?;
    }
    Ok(())
}

fn identity(engine: &Engine, speaker: Speaker) -> (ChatKey, Option<UserKey>) {
    let owner = engine.business().staff.owners.first().copied();
    match (speaker, owner) {
        (Speaker::Staff, Some(owner)) => (ChatKey(owner.0 as i64), Some(owner)),
        _ => (ChatKey(CLIENT_CHAT), Some(UserKey(CLIENT_CHAT as u64))),
    }
}

/// A typed line as input: a number or a whole label picks an option, `0 <phone>` shares a
/// contact. Labels are matched here against the screen on show, which the engine cannot
/// always rebuild (a booking's cancel buttons, «Записаться ещё»).
fn read_line(line: &str, options: &Options) -> Option<Input> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    if options.contact
        && let Some(phone) = line.strip_prefix("0 ")
    {
        return Some(Input::Contact { phone: phone.trim().to_string() });
    }
    if let Ok(n) = line.parse::<usize>()
        && let Some(data) = n.checked_sub(1).and_then(|i| options.data.get(i))
    {
        return Some(Input::Button(data.clone()));
    }
    let typed = label_key(line);
    if let Some(i) = options.labels.iter().position(|label| *label == typed) {
        return Some(Input::Button(options.data[i].clone()));
    }
    Some(Input::from_text(line))
}

fn print_outbox(
    engine: &Engine,
    outbox: &Outbox,
    options: &mut Options,
    out: &mut impl Write,
) -> std::io::Result<()> {
    if !outbox.replies.is_empty() {
        *options = Options::default();
    }
    for screen in &outbox.replies {
        writeln!(out, "{}", screen.text)?;
        for button in screen.buttons.iter().flatten() {
            options.data.push(button.data.clone());
            options.labels.push(label_key(&button.label));
            writeln!(out, "  {}. {}", options.data.len(), button.label)?;
        }
        if let Some(label) = &screen.request_contact {
            options.contact = true;
            let hint = engine
                .texts()
                .fmt("terminal-share-contact", &[("label", Arg::from(label.clone()))]);
            writeln!(out, "  {hint}")?;
        }
    }
    print_staff_notices(engine, out)?;
    writeln!(out)?;
    out.flush()
}

/// Staff notices queued by this input, printed inline; in the terminal they are "sent" here.
fn print_staff_notices(engine: &Engine, out: &mut impl Write) -> std::io::Result<()> {
    let mut lines = Vec::new();
    let drained = notify::drain(engine, |notice| {
        lines.extend(notice.screen.text.lines().map(|line| format!("[staff] {line}")));
    });
    if let Err(err) = drained {
        tracing::error!(cause = format!("{err:#}"), "staff notices failed");
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
