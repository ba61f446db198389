//! Configuration: the business file and the environment, validated at start.

pub mod business;
