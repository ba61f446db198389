//! Values passed into a text: strings as they are, numbers so that Fluent picks the plural form.

use fluent_bundle::{FluentArgs, FluentValue};

/// One value for a `{ $name }` in a text.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    /// A whole number; Russian plural forms follow it
    /// (1 напоминание, 2 напоминания, 5 напоминаний).
    Int(i64),
    /// A fraction such as 1.5 hours; printed with a decimal comma, plural category "other".
    /// A whole value prints without ".0" (1.0 → «1») and takes the integer's form, so the word
    /// always agrees with the number a person sees.
    Decimal(f64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Str(value.to_string())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Str(value)
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Int(value)
    }
}

impl From<i32> for Arg {
    fn from(value: i32) -> Self {
        Arg::Int(value.into())
    }
}

impl From<u32> for Arg {
    fn from(value: u32) -> Self {
        Arg::Int(value.into())
    }
}

impl From<f64> for Arg {
    fn from(value: f64) -> Self {
        Arg::Decimal(value)
    }
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Str(s) => FluentValue::from(s.as_str()),
            Arg::Int(n) => FluentValue::from(*n),
            Arg::Decimal(x) => FluentValue::from(*x),
        }
    }
}

/// Builds Fluent's argument map; it borrows the strings instead of copying them.
pub(super) fn fluent_args<'a>(args: &'a [(&'a str, Arg)]) -> FluentArgs<'a> {
    let mut out = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        out.set(*name, value.to_fluent());
    }
    out
}

/// Numbers as Russians write them: a decimal comma (1,5), no grouping (money has its own type).
pub(super) fn russian_number<M>(value: &FluentValue, _memoizer: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(n.as_string().replace('.', ",")),
        _ => None,
    }
}
