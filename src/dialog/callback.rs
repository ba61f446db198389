//! Button data: `<seq>|<action>`, short ASCII with ids only, well under Telegram's 64 bytes.
//! The sequence number ties a button to the screen it was shown on.

use chrono::NaiveDate;

use crate::domain::ids::BookingId;

/// What a button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Option `n` of the current qualifying question.
    Answer(usize),
    /// Service number `n` in the business file.
    Service(usize),
    /// Master number `n` in the business file.
    Master(usize),
    AnyMaster,
    Day(NaiveDate),
    /// A start time as Unix minutes.
    Time(i64),
    Consent(bool),
    Book,
    Change,
    Menu,
    NewBooking,
    MyBookings,
    /// «Отменить» on a booking: asks to confirm.
    CancelAsk(BookingId),
    /// «Да, отменить».
    Cancel(BookingId),
    Forget(bool),
}

/// A button press, read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pressed {
    pub seq: u32,
    pub action: Action,
}

pub fn encode(seq: u32, action: Action) -> String {
    let code = match action {
        Action::Answer(n) => format!("a{n}"),
        Action::Service(n) => format!("s{n}"),
        Action::Master(n) => format!("m{n}"),
        Action::AnyMaster => "ma".to_string(),
        Action::Day(d) => format!("d{}", d.format("%Y%m%d")),
        Action::Time(t) => format!("t{t}"),
        Action::Consent(yes) => format!("c{}", u8::from(yes)),
        Action::Book => "b".to_string(),
        Action::Change => "e".to_string(),
        Action::Menu => "h".to_string(),
        Action::NewBooking => "n".to_string(),
        Action::MyBookings => "l".to_string(),
        Action::CancelAsk(id) => format!("q{}", id.0),
        Action::Cancel(id) => format!("x{}", id.0),
        Action::Forget(yes) => format!("f{}", u8::from(yes)),
    };
    format!("{seq}|{code}")
}

/// Reads button data; anything malformed (an old format, a forged press) is `None`.
pub fn decode(data: &str) -> Option<Pressed> {
    let (seq, code) = data.split_once('|')?;
    let seq = seq.parse().ok()?;
    let (tag, rest) = code.split_at_checked(1)?;
    let action = match (tag, rest) {
        ("a", n) => Action::Answer(n.parse().ok()?),
        ("s", n) => Action::Service(n.parse().ok()?),
        ("m", "a") => Action::AnyMaster,
        ("m", n) => Action::Master(n.parse().ok()?),
        ("d", d) => Action::Day(NaiveDate::parse_from_str(d, "%Y%m%d").ok()?),
        ("t", t) => Action::Time(t.parse().ok()?),
        ("c", b) => Action::Consent(parse_flag(b)?),
        ("b", "") => Action::Book,
        ("e", "") => Action::Change,
        ("h", "") => Action::Menu,
        ("n", "") => Action::NewBooking,
        ("l", "") => Action::MyBookings,
        ("q", id) => Action::CancelAsk(BookingId(id.parse().ok()?)),
        ("x", id) => Action::Cancel(BookingId(id.parse().ok()?)),
        ("f", b) => Action::Forget(parse_flag(b)?),
        _ => return None,
    };
    Some(Pressed { seq, action })
}

fn parse_flag(s: &str) -> Option<bool> {
    match s {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_survives_a_round_trip_within_64_bytes() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let actions = [
            Action::Answer(3),
            Action::Service(11),
            Action::Master(2),
            Action::AnyMaster,
            Action::Day(day),
            Action::Time(29_478_120),
            Action::Consent(true),
            Action::Consent(false),
            Action::Book,
            Action::Change,
            Action::Menu,
            Action::NewBooking,
            Action::MyBookings,
            Action::CancelAsk(BookingId(7)),
            Action::Cancel(BookingId(u64::MAX)),
            Action::Forget(true),
        ];
        for action in actions {
            let data = encode(u32::MAX, action);
            assert!(data.len() <= 64, "{action:?} is {} bytes", data.len());
            assert!(data.is_ascii(), "{action:?} is not ASCII");
            assert_eq!(decode(&data), Some(Pressed { seq: u32::MAX, action }), "{action:?}");
        }
    }

    #[test]
    fn foreign_data_is_rejected() {
        for data in ["", "x", "1|", "1|zz", "abc|b", "1|d2026", "1|c7", "game_short_name"] {
            assert_eq!(decode(data), None, "case {data:?}");
        }
    }
}
