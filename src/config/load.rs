//! Reading the business file from disk: TOML into typed data, then every check at once.
//! An operator fixes the file and restarts, so each message names the file, the field and the
//! fix, and all problems are reported together rather than one per restart.

use std::fmt;
use std::path::{Path, PathBuf};

use super::business::Business;
use super::validate::{Problem, validate};

/// Why the business file could not be used. Its text is meant for the operator as is.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "{}: cannot read the business file ({cause}); check the path and that the bot may read it",
        path.display()
    )]
    /// The cause is in the message and deliberately not the error's source, which a caller's
    /// `{:#}` would print a second time.
    Read { path: PathBuf, cause: std::io::Error },

    /// Kept with toml's own message, which points at the line and column, and a fix after it.
    #[error("{}: not a valid business file: {message}\nFix: {fix}", path.display())]
    Parse { path: PathBuf, message: String, fix: &'static str },

    /// Every rule the file breaks, one per line.
    #[error("{}", Lines { path, problems })]
    Invalid { path: PathBuf, problems: Vec<Problem> },
}

/// Reads, parses and validates the business file at `path`.
pub fn load_business(path: &Path) -> Result<Business, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|cause| ConfigError::Read { path: path.to_path_buf(), cause })?;
    parse_business(path, &text)
}

/// Parses and validates business-file text; `path` is only used to label the messages.
pub fn parse_business(path: &Path, text: &str) -> Result<Business, ConfigError> {
    let business: Business = toml::from_str(text).map_err(|e| {
        let message = e.to_string().trim_end().to_string();
        let fix = fix_for(&message);
        ConfigError::Parse { path: path.to_path_buf(), message, fix }
    })?;

    let problems = validate(&business);
    if !problems.is_empty() {
        return Err(ConfigError::Invalid { path: path.to_path_buf(), problems });
    }
    Ok(business)
}

/// What to do about a parse error: toml and serde say what they met, not what to write.
fn fix_for(message: &str) -> &'static str {
    if message.contains("timezone") {
        "write the time zone as in the IANA list, e.g. \"Asia/Krasnoyarsk\" or \"Europe/Moscow\""
    } else if message.contains("invalid value: integer") {
        "write a whole number, 0 or more, without quotes"
    } else if message.contains("missing field") {
        "add what the message names (a field, or a whole [section]); okno's sample data/salon.toml \
         has every one with a comment"
    } else if message.contains("unknown field") {
        "check the field's spelling against the list in the message, or remove the line"
    } else {
        "correct the line shown; okno's sample data/salon.toml is a working example with a \
         comment on each field"
    }
}

/// Prints each problem on its own line, prefixed by the file.
struct Lines<'a> {
    path: &'a Path,
    problems: &'a [Problem],
}

impl fmt::Display for Lines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {problem}", self.path.display())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
