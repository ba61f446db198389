//! Phone numbers, parsed at the edge into E.164 (`+79131234567`).
//!
//! The bot calls and texts people, so only numbers a person answers are kept: Russian mobile and
//! fixed-line numbers. Toll-free, premium and foreign numbers are refused with a reason the dialog
//! can turn into a kind message.

use phonenumber::metadata::{DATABASE, Descriptors};
use phonenumber::{Mode, PhoneNumber, Type, country};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Russian mobile or fixed-line number in E.164, without any extension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

/// Why a written number was refused; the dialog shows each one as its own Russian text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("no phone number found in the text; ask the person to write it as +7 913 123-45-67")]
    NotANumber,
    #[error("the digits do not form a valid number; ask the person to check them")]
    Invalid,
    #[error("a number outside Russia; ask for a Russian mobile or landline number")]
    NotRussian,
    #[error("a {0} number cannot reach a person; ask for a mobile or landline number")]
    NotAccepted(String),
}

impl Phone {
    /// Reads a number as a person or Telegram writes it, assuming Russia when no country is given.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        parse_in(input, Some(country::Id::RU))
    }

    /// Reads the number of a contact shared in Telegram. Telegram sends it in international form
    /// but often without the '+' (`79131234567`, `375291234567`), so a foreign contact must not
    /// be read as a Russian national number.
    pub fn from_contact(raw: &str) -> Result<Phone, PhoneError> {
        let raw = raw.trim();
        if raw.starts_with('+') {
            return parse_in(raw, None);
        }
        parse_in(&format!("+{raw}"), None)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The phone library compiles its patterns on first use (seconds in a debug build, well
    /// under one in release); doing it once at start spares the first client and the first
    /// staff notice that wait.
    pub fn warm_up() {
        if let Ok(phone) = Phone::parse("+7 913 123-45-67") {
            let _ = phone.international();
        }
    }

    /// The number as people write it to dial, «+7 913 123-45-67»; E.164 where the library
    /// cannot group it (the area codes starting with 8 it misreads).
    pub fn international(&self) -> String {
        match phonenumber::parse(None, &self.0) {
            Ok(number) if number.is_valid() => {
                number.format().mode(Mode::International).to_string()
            }
            _ => self.0.clone(),
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The whole policy, with the default region open so the fixture rows can state their own.
fn parse_in(input: &str, region: Option<country::Id>) -> Result<Phone, PhoneError> {
    let text = normalize(input);
    let number = phonenumber::parse(region, &text).map_err(|_| PhoneError::NotANumber)?;

    if number.is_valid() {
        return accept(&number);
    }
    match lost_leading_eight(&text, &number) {
        Some(nsn) => accept_russian(&nsn),
        None => Err(PhoneError::Invalid),
    }
}

/// A number the crate calls valid: Russian, and of a type that rings a person's phone.
fn accept(number: &PhoneNumber) -> Result<Phone, PhoneError> {
    if number.country().id() != Some(country::Id::RU) {
        return Err(PhoneError::NotRussian);
    }
    accept_type(number.number_type(&DATABASE))?;

    Ok(Phone(number.format().mode(Mode::E164).to_string()))
}

/// A Russian national significant number (10 digits) checked against the RU metadata directly.
fn accept_russian(nsn: &str) -> Result<Phone, PhoneError> {
    let ru = DATABASE.by_id("RU").ok_or(PhoneError::Invalid)?;
    if !ru.descriptors().general().is_match(nsn) {
        return Err(PhoneError::Invalid);
    }
    accept_type(russian_type(ru.descriptors(), nsn))?;

    Ok(Phone(format!("+7{nsn}")))
}

/// Only numbers that ring a person's phone are accepted.
fn accept_type(kind: Type) -> Result<(), PhoneError> {
    match kind {
        Type::Mobile | Type::FixedLine | Type::FixedLineOrMobile => Ok(()),
        other => Err(PhoneError::NotAccepted(format!("{other:?}"))),
    }
}

/// The most specific type whose pattern matches, in libphonenumber's order (services first).
fn russian_type(descriptors: &Descriptors, nsn: &str) -> Type {
    const ORDER: [Type; 10] = [
        Type::PremiumRate,
        Type::TollFree,
        Type::SharedCost,
        Type::Voip,
        Type::PersonalNumber,
        Type::Pager,
        Type::Uan,
        Type::Voicemail,
        Type::FixedLine,
        Type::Mobile,
    ];
    let matches = |kind: &Type| descriptors.get(*kind).is_some_and(|d| d.is_match(nsn));
    ORDER.into_iter().find(matches).unwrap_or(Type::Unknown)
}

/// phonenumber 0.3.10 strips the trunk prefix '8' even from a national number that starts with
/// 8 (St Petersburg 812, Kazan 843, toll-free 800, ...), so every such +7 number comes back
/// 9 digits long and invalid (whisperfish/rust-phonenumber#76, open). When the written digits
/// end with '8' followed by those 9 digits, the '8' was part of the number: give it back.
/// Remove this once the crate keeps the digit.
fn lost_leading_eight(text: &str, number: &PhoneNumber) -> Option<String> {
    let national = number.national();
    let nsn = format!("{}{}", "0".repeat(national.zeros().into()), national.value());
    if number.code().value() != 7 || nsn.len() != 9 {
        return None;
    }

    let mut digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if let Some(ext) = number.extension() {
        digits = digits.strip_suffix(ext.as_ref()).unwrap_or(&digits).to_string();
    }

    let restored = format!("8{nsn}");
    digits.ends_with(&restored).then_some(restored)
}

/// Prepares text the parser would misread: full-width digits and a Russian extension.
fn normalize(input: &str) -> String {
    let text: String = input.trim().chars().map(ascii_digit).collect();
    strip_russian_extension(&text).to_string()
}

/// Cuts a trailing «доб. 100» (any case, with or without the dot, comma or spaces). The crate
/// knows "ext" and "x" but not the Russian word, and we drop extensions anyway: the bot cannot
/// dial one.
fn strip_russian_extension(text: &str) -> &str {
    let lower = text.to_lowercase();
    // Cyrillic and ASCII keep their byte length when lowercased; anything else is left alone.
    if lower.len() != text.len() {
        return text;
    }
    let Some(at) = lower.rfind("доб") else {
        return text;
    };
    let digits = lower[at + "доб".len()..].trim_start_matches(['.', ':', ' ']).trim_end();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    text[..at].trim_end_matches([' ', ',', '\u{a0}'])
}

/// Maps full-width digits (U+FF10..U+FF19) to ASCII; other characters pass through.
fn ascii_digit(ch: char) -> char {
    match ch {
        '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (ch as u32 - 0xff10) as u8),
        _ => ch,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod display_tests {
    use super::Phone;

    #[test]
    fn staff_read_numbers_grouped_for_dialling() {
        let cases = [
            ("89131234567", "+7 913 123-45-67"),
            ("+7 (391) 212-34-56", "+7 391 212-34-56"),
            // The crate misreads area codes starting with 8 (rust-phonenumber#76): E.164 then.
            ("8 812 123-45-67", "+78121234567"),
        ];
        for (typed, want) in cases {
            let phone = Phone::parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(phone.international(), want, "case {typed}");
        }
    }
}
