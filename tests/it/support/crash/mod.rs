//! The crash run's parts: the okno child process, simulated clients, a seeded generator for
//! the kill schedule, and the checks made on the data dir afterwards.

pub mod checks;
pub mod child;
pub mod client;
pub mod crowd;
pub mod rng;
