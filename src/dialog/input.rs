//! What a person sent, as the engine understands it, whatever the transport.

use crate::domain::ids::{ChatKey, UserKey};

/// One thing a person did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// `/start` with the deep-link payload, if any: the lead's source.
    Start { payload: Option<String> },
    /// Any other `/command`, lowercase, without the bot's name.
    Command { name: String, args: String },
    /// Plain text.
    Text(String),
    /// An inline button's data.
    Button(String),
    /// A shared contact (the phone as Telegram gives it).
    Contact { phone: String },
    /// A sticker, photo, voice, location or anything else that is not text.
    Unsupported,
    /// The terminal came back after a restart: show the step in progress, or greet.
    Resume,
}

/// An input with who sent it and where.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub chat: ChatKey,
    /// The sender's Telegram id: staff rights are checked against it, never against the chat.
    pub user: Option<UserKey>,
    pub input: Input,
}

impl Input {
    /// Reads a text message: commands become `Start` or `Command`, the rest stays text.
    pub fn from_text(text: &str) -> Input {
        let trimmed = text.trim();
        let Some(rest) = trimmed.strip_prefix('/') else {
            return Input::Text(trimmed.to_string());
        };

        let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let name = word.split('@').next().unwrap_or(word).to_lowercase();
        let args = args.trim().to_string();

        match name.as_str() {
            "start" => Input::Start { payload: (!args.is_empty()).then_some(args) },
            _ => Input::Command { name, args },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_with_payload_and_bot_name() {
        let cases = [
            ("/start", Input::Start { payload: None }),
            ("/start vk_ads", Input::Start { payload: Some("vk_ads".into()) }),
            ("/Help@okno_bot", Input::Command { name: "help".into(), args: String::new() }),
            ("  привет ", Input::Text("привет".into())),
        ];
        for (text, want) in cases {
            assert_eq!(Input::from_text(text), want, "case {text:?}");
        }
    }
}
