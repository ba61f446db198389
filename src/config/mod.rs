//! Configuration: the business file and the environment, validated at start.

pub mod business;
pub mod load;
pub mod validate;
