//! Every text a person reads, kept in Fluent files under `dialogs/ru/` and referred to by key.
//!
//! The files are compiled in; an override folder can replace any of them. `check` runs at start
//! so a misspelt placeholder stops the bot with a clear message instead of reaching a client.

mod args;
mod check;
pub mod dates;
mod error;
mod load;

pub use args::Arg;
pub use error::TextsError;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::collections::HashMap;

/// The loaded texts; shared between all conversations (it is `Send + Sync`).
pub struct Texts {
    bundle: FluentBundle<FluentResource>,
    /// Which file each message came from, for errors that tell the editor where to look.
    origin: HashMap<String, String>,
}

impl Texts {
    /// The text under `key`, for messages without placeholders.
    pub fn get(&self, key: &str) -> String {
        self.render(key, None)
    }

    /// The text under `key` with its `{ $name }` placeholders filled in.
    pub fn fmt(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.render(key, Some(&args::fluent_args(args)))
    }

    /// Never fails: a broken text shows its key (which a person can report) and is logged.
    /// `check` at start makes this a rare path.
    fn render(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, "text is missing from dialogs/");
            return key.to_string();
        };

        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::error!(key, errors = errors.len(), "text could not be filled in");
            return key.to_string();
        }
        text.into_owned()
    }
}

#[cfg(test)]
mod tests;
