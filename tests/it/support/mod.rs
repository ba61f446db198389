//! Shared helpers for the integration tests: fake servers and fixtures.

pub mod bot_api;
pub mod crash;
pub mod fixtures;
pub mod okno;
