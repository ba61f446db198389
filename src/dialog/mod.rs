//! Client and staff conversations: one engine that both transports drive.
//! A step takes an input and the chat's state and returns screens as plain data.

pub mod callback;
mod client;
pub mod engine;
pub mod input;
pub mod limiter;
mod open;
pub mod screen;
pub mod staff;
pub mod state;
pub mod texts_used;

pub use engine::Engine;
pub use input::{Incoming, Input};
pub use screen::{Button, Outbox, Screen};
