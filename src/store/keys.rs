//! How keys and values are laid out in bytes. Keys are big-endian so sled's byte order is the
//! order we scan in (by time, by master then start); values are JSON so a backup can show them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{Result, StoreError};
use crate::domain::ids::{ChatKey, MasterId};

/// A u64 id as 8 big-endian bytes.
pub(crate) fn id(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

/// A signed number whose bytes sort like the number: flip the sign bit, then big-endian.
pub(crate) fn signed(n: i64) -> [u8; 8] {
    ((n as u64) ^ (1 << 63)).to_be_bytes()
}

pub(crate) fn chat(chat: ChatKey) -> [u8; 8] {
    signed(chat.0)
}

/// A moment as milliseconds since 1970, sortable.
pub(crate) fn time(at: DateTime<Utc>) -> [u8; 8] {
    signed(at.timestamp_millis())
}

/// Two 8-byte parts joined: (chat, lead), (client, booking), (time, sequence).
pub(crate) fn pair(a: [u8; 8], b: [u8; 8]) -> [u8; 16] {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&a);
    key[8..].copy_from_slice(&b);
    key
}

/// The prefix of every slot of one master: the id's length, then its bytes, so "an" is not a
/// prefix of "anna".
pub(crate) fn master_prefix(master: &MasterId) -> Vec<u8> {
    let bytes = master.0.as_bytes();
    let len = u16::try_from(bytes.len()).unwrap_or(u16::MAX);
    let mut key = Vec::with_capacity(2 + bytes.len() + 16);
    key.extend_from_slice(&len.to_be_bytes());
    key.extend_from_slice(&bytes[..usize::from(len)]);
    key
}

/// A master's slot: master, start, booking id.
pub(crate) fn master_slot(master: &MasterId, start: DateTime<Utc>, booking: u64) -> Vec<u8> {
    let mut key = master_prefix(master);
    key.extend_from_slice(&time(start));
    key.extend_from_slice(&id(booking));
    key
}

/// The last 8 bytes of a key, read as a u64 id.
pub(crate) fn trailing_id(key: &[u8]) -> Option<u64> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(u64::from_be_bytes(tail))
}

pub(crate) fn encode<T: Serialize + ?Sized>(what: &'static str, value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|source| StoreError::Encode { what, source })
}

pub(crate) fn decode<T: DeserializeOwned>(what: &'static str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(StoreError::corrupt(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_keys_sort_like_numbers() {
        let numbers = [i64::MIN, -5, -1, 0, 1, 7, i64::MAX];
        for pair in numbers.windows(2) {
            assert!(signed(pair[0]) < signed(pair[1]), "case {} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn a_short_master_id_is_not_a_prefix_of_a_longer_one() {
        let an = master_prefix(&MasterId("an".into()));
        let anna = master_prefix(&MasterId("anna".into()));
        assert!(!anna.starts_with(&an));
    }

    #[test]
    fn trailing_id_reads_the_last_eight_bytes() {
        let key = master_slot(&MasterId("anna".into()), Utc::now(), 42);
        assert_eq!(trailing_id(&key), Some(42));
        assert_eq!(trailing_id(&[1, 2]), None);
    }

    #[test]
    fn a_value_that_does_not_decode_is_reported_without_quoting_it() {
        let err = decode::<u64>("client id", "\"Мария\"".as_bytes()).unwrap_err();

        let text = err.to_string();
        assert!(text.contains("client id"), "{text}");
        assert!(!text.contains("Мария"), "{text}");
    }
}
