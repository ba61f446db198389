//! The pure core: ids, money, bookings, slots, phones and time in the business's zone.
//! Nothing here does I/O; functions take data and a clock and return data.

pub mod booking;
pub mod calendar;
pub mod ids;
pub mod local_time;
pub mod money;
pub mod phone;
pub mod slots;
pub mod typed;
