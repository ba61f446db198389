//! Background jobs of the running bot: small loops on a schedule.

pub mod backup;
