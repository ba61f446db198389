//! Background jobs of the running bot: small loops on a schedule or a signal.

pub mod backup;
pub mod notify;
