//! Shared helpers for the integration tests: fake servers and fixtures.

pub mod bot_api;
pub mod client_flow;
pub mod crash;
pub mod fixtures;
pub mod fuzz_updates;
pub mod okno;
pub mod panics;
pub mod seed;
