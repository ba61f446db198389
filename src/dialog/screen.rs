//! What the engine asks a transport to show: plain data, no Telegram types.

/// One inline button: a label for the person and short ASCII data for the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// One message: text, inline buttons in rows, and optionally a "share my phone" request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Screen {
    pub text: String,
    pub buttons: Vec<Vec<Button>>,
    /// When set, the transport offers a button that sends the person's contact, with this label.
    pub request_contact: Option<String>,
}

/// Lowercase, with no-break spaces as plain ones: what a typed text and a label are compared by.
pub fn label_key(text: &str) -> String {
    text.trim().replace('\u{a0}', " ").to_lowercase()
}

impl Screen {
    pub fn text(text: impl Into<String>) -> Self {
        Screen { text: text.into(), ..Screen::default() }
    }
}

/// Everything one input produced for the sender. Staff notices do not go here: they are
/// queued in the store with the booking and sent by `jobs::notify`, so a crash loses none.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Replies to the chat the input came from, in order.
    pub replies: Vec<Screen>,
    /// A short note for the button press itself (Telegram shows it as a toast).
    pub button_note: Option<String>,
    /// Leave the pressed message as it is and send replies anew: a stale press must not
    /// overwrite, say, a booking confirmation.
    pub keep_origin: bool,
    /// The turn made a durable write: nothing here may be delivered before a flush.
    pub must_flush: bool,
}
