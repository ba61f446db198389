//! okno: a booking-and-KPI bot for small service businesses, where the bot is the whole UI.
//!
//! The parts:
//! - `config`: the business file and the environment, validated at start;
//! - `domain`: pure rules (ids, money, bookings, slots, phones, local time);
//! - `store`: sled behind one plain interface;
//! - `texts`: every Russian text people read, loaded from `dialogs/`;
//! - `dialog`: client and staff conversations, one engine for both transports;
//! - `telegram` and `terminal`: the two transports.

pub mod config;
pub mod domain;
pub mod store;
