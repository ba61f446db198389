//! okno: a booking-and-KPI bot for small service businesses, where the bot is the whole UI.
//!
//! The parts:
//! - `config`: the business file, validated at start; `cli`: options and environment;
//! - `domain`: pure rules (ids, money, bookings, slots, phones);
//! - `store`: sled behind one plain interface;
//! - `texts`: every Russian text people read, loaded from `dialogs/`;
//! - `dialog`: client and staff conversations, one engine for both transports;
//! - `telegram` and `terminal`: the two transports; `jobs`: scheduled work (backups);
//! - `app`: assembles the parts; `clock`: the "now" tests can set.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod dialog;
pub mod domain;
pub mod jobs;
pub mod store;
pub mod telegram;
pub mod terminal;
pub mod texts;
