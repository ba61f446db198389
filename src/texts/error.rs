//! What can be wrong with the texts, said so that whoever edits `dialogs/` knows the fix.

use std::path::PathBuf;

/// A problem found while loading or checking texts; every one stops the bot at start.
#[derive(Debug, thiserror::Error)]
pub enum TextsError {
    /// The cause is in the message and deliberately not the error's source, which a caller's
    /// `{:#}` would print a second time.
    #[error("cannot read {path}: {cause}; check that the folder exists and is readable")]
    Read { path: PathBuf, cause: std::io::Error },

    #[error(
        "{path}: no built-in texts file has this name, so it would be ignored; \
         rename it to one of: {known}"
    )]
    UnknownFile { path: PathBuf, known: String },

    #[error(
        "{file}, line {line}: {problem}; fix the Fluent syntax there \
         (see https://projectfluent.org/fluent/guide/)"
    )]
    Syntax { file: String, line: usize, problem: String },

    #[error("{file}: text `{key}` is already defined in {first}; keep only one of them")]
    Duplicate { file: String, key: String, first: String },

    #[error(
        "text `{key}` is missing: add a line `{key} = ...` to a file in dialogs/ru/ \
         or in the override folder"
    )]
    Missing { key: String },

    #[error(
        "{file}: text `{key}` uses {{ ${variable} }}, which the bot does not pass to it; \
         use only {allowed} (check the spelling)"
    )]
    UnknownVariable { file: String, key: String, variable: String, allowed: String },

    #[error("{file}: text `{key}` cannot be filled in: {problem}; fix the reference it names")]
    Broken { file: String, key: String, problem: String },
}
