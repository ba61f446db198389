//! Money in kopecks, printed the Russian way: «2 500 ₽» with no-break spaces.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in kopecks. Prices come only from the business file, never from a client.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

const NBSP: char = '\u{a0}';

impl Money {
    pub fn from_rubles(rubles: i64) -> Self {
        Money(rubles * 100)
    }

    pub fn kopecks(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let rubles = group_thousands(abs / 100);
        match abs % 100 {
            0 => write!(f, "{sign}{rubles}{NBSP}₽"),
            kop => write!(f, "{sign}{rubles},{kop:02}{NBSP}₽"),
        }
    }
}

/// `1234567` → «1 234 567» with no-break spaces between groups of three.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prints_with_no_break_spaces() {
        let cases = [
            (0, "0\u{a0}₽"),
            (150_000, "1\u{a0}500\u{a0}₽"),
            (250_000, "2\u{a0}500\u{a0}₽"),
            (99_900, "999\u{a0}₽"),
            (123_456_700, "1\u{a0}234\u{a0}567\u{a0}₽"),
            (150_050, "1\u{a0}500,50\u{a0}₽"),
            (-30_000, "-300\u{a0}₽"),
        ];
        for (kopecks, want) in cases {
            assert_eq!(Money(kopecks).to_string(), want, "case {kopecks} kopecks");
        }
    }
}
