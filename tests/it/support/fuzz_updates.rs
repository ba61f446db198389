//! Random and mutated Telegram updates for the fuzz run, built from the fixture update kinds and
//! the builders: other chats, missing fields, wrong types, huge texts, odd Unicode, stale or
//! forged button data and kinds nobody knows. Deterministic for a seed.

use serde_json::{Map, Value, json};

use super::bot_api::{user_callback, user_contact, user_sticker, user_text};
use super::fixtures::fixture_updates;
use super::okno::OWNER;

/// Texts that have broken bots: direction marks, zero-width and combining characters, emoji
/// sequences, NUL, commands with odd tails, and the bot's own words.
const ODD_TEXTS: &[&str] = &[
    "\u{202e}Анна\u{202c}",
    "\u{200b}/start",
    "/start\u{0}",
    "/start \u{200f}\u{200e}",
    "/start@okno_test_bot ig_stories",
    "/START",
    "/",
    "/ ",
    "/@",
    "/cancel",
    "/my",
    "/book",
    "/forget",
    "/help",
    "/today",
    "e\u{301}\u{301}\u{301}\u{301}",
    "\u{301}",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦🇷🇺",
    "\u{feff}",
    "\u{0}\u{1}\u{7f}",
    "𝓐𝓷𝓷𝓪",
    "",
    "   ",
    "\n\n",
    "Записаться",
    "Да, впервые",
    "+7 913 123-45-67",
    "8 (913) 123 45 67",
    "+0000000000000000000000",
];

/// A stream of fuzzed updates over a fixed pool of chats.
pub struct UpdateFuzzer {
    rng: fastrand::Rng,
    bases: Vec<Value>,
    /// Private chats (positive) and a few groups (negative) the updates are sent from.
    pub chats: Vec<i64>,
    /// Button data the bot really sent, to press again later or in another chat.
    seen_data: Vec<String>,
}

impl UpdateFuzzer {
    pub fn new(seed: u64, chats: Vec<i64>) -> Self {
        let mut bases: Vec<Value> =
            fixture_updates().into_iter().map(|(_, update)| update).collect();
        bases.extend([
            user_text(1, 1, "привет"),
            user_text(1, 1, "/start"),
            user_callback(1, 1, 1, "1|x"),
            user_contact(1, 1, "+79131234567", "Ирина"),
            user_sticker(1, 1),
        ]);
        UpdateFuzzer { rng: fastrand::Rng::with_seed(seed), bases, chats, seen_data: Vec::new() }
    }

    /// Remembers button data from the bot's replies (a bounded sample).
    pub fn saw_button(&mut self, data: &str) {
        if self.seen_data.len() < 1000 {
            self.seen_data.push(data.to_owned());
        } else {
            let i = self.rng.usize(..self.seen_data.len());
            self.seen_data[i] = data.to_owned();
        }
    }

    /// The next update, without `update_id`.
    pub fn next_update(&mut self) -> Value {
        let mut update = self.bases[self.rng.usize(..self.bases.len())].clone();
        let chat = self.chats[self.rng.usize(..self.chats.len())];
        let user = if self.rng.u8(..20) == 0 { OWNER } else { chat.unsigned_abs() };
        retarget(&mut update, chat, user);
        for _ in 0..self.rng.usize(0..4) {
            self.mutate(&mut update);
        }
        if let Some(fields) = update.as_object_mut() {
            fields.remove("update_id");
        }
        update
    }

    fn mutate(&mut self, update: &mut Value) {
        match self.rng.u8(..7) {
            0 => set_in_kind(update, "text", json!(self.odd_text())),
            1 => set_in_kind(update, "data", json!(self.callback_data())),
            2 => remove_random_field(&mut self.rng, update),
            3 => retype_random_field(&mut self.rng, update),
            4 => rename_kind(update, "some_kind_from_2031"),
            5 => set_in_kind(update, "caption", json!(self.odd_text())),
            _ => set_in_kind(
                update,
                "contact",
                json!({"phone_number": self.odd_text(), "first_name": ""}),
            ),
        }
    }

    fn odd_text(&mut self) -> String {
        match self.rng.u8(..4) {
            0 => ODD_TEXTS[self.rng.usize(..ODD_TEXTS.len())].to_owned(),
            1 => huge_text(&mut self.rng),
            2 => random_chars(&mut self.rng, 1..40),
            _ => format!("/start {}", random_chars(&mut self.rng, 0..80)),
        }
    }

    /// Stale, forged or foreign button data.
    fn callback_data(&mut self) -> String {
        match self.rng.u8(..5) {
            0 | 1 if !self.seen_data.is_empty() => {
                self.seen_data[self.rng.usize(..self.seen_data.len())].clone()
            }
            0 => format!("{}|d20261204", self.rng.u32(..20)),
            1 => format!("{}|t{}", self.rng.u32(..20), self.rng.u32(..)),
            2 => random_chars(&mut self.rng, 0..64),
            3 => "9".repeat(self.rng.usize(65..5000)),
            _ => format!("{}|{}", self.rng.i64(..), random_chars(&mut self.rng, 0..10)),
        }
    }
}

/// Points every `chat` and `from` in the update at the chosen chat and user.
fn retarget(value: &mut Value, chat: i64, user: u64) {
    let Some(fields) = value.as_object_mut() else { return };
    for (key, inner) in fields.iter_mut() {
        match key.as_str() {
            "chat" if inner.get("id").is_some() => {
                inner["id"] = json!(chat);
                inner["type"] = json!(if chat > 0 { "private" } else { "supergroup" });
            }
            "from" if inner.get("id").is_some() => inner["id"] = json!(user),
            _ => retarget(inner, chat, user),
        }
    }
}

/// Sets `key` in the update's payload (the message, callback query, ...).
fn set_in_kind(update: &mut Value, key: &str, to: Value) {
    let kind = update.as_object_mut().and_then(|f| f.values_mut().find(|v| v.is_object()));
    if let Some(Value::Object(payload)) = kind {
        payload.insert(key.to_owned(), to);
    }
}

fn rename_kind(update: &mut Value, to: &str) {
    let Some(fields) = update.as_object_mut() else { return };
    let Some(kind) = fields.keys().find(|k| *k != "update_id").cloned() else { return };
    if let Some(payload) = fields.remove(&kind) {
        fields.insert(to.to_owned(), payload);
    }
}

fn count_objects(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(count_objects).sum::<usize>(),
        Value::Array(items) => items.iter().map(count_objects).sum(),
        _ => 0,
    }
}

/// The `n`-th object of the update, depth first (`n` counts down as objects are passed).
fn nth_object<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Map<String, Value>> {
    if value.is_object() && *n == 0 {
        return value.as_object_mut();
    }
    let inner: Vec<&mut Value> = match value {
        Value::Object(map) => {
            *n -= 1;
            map.values_mut().collect()
        }
        Value::Array(items) => items.iter_mut().collect(),
        _ => return None,
    };
    inner.into_iter().find_map(|item| nth_object(item, n))
}

fn random_object<'a>(
    rng: &mut fastrand::Rng,
    update: &'a mut Value,
) -> Option<&'a mut Map<String, Value>> {
    let count = count_objects(update);
    if count == 0 {
        return None;
    }
    nth_object(update, &mut rng.usize(..count))
}

fn remove_random_field(rng: &mut fastrand::Rng, update: &mut Value) {
    let Some(map) = random_object(rng, update) else { return };
    let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() else { return };
    map.remove(&key);
}

fn retype_random_field(rng: &mut fastrand::Rng, update: &mut Value) {
    let Some(map) = random_object(rng, update) else { return };
    let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() else { return };
    let wrong = match rng.u8(..6) {
        0 => json!(null),
        1 => json!(rng.i64(..)),
        2 => json!("x"),
        3 => json!([]),
        4 => json!({}),
        _ => json!(u64::MAX),
    };
    map.insert(key, wrong);
}

/// Over Telegram's 4096 characters, in several scripts.
fn huge_text(rng: &mut fastrand::Rng) -> String {
    let unit = ["а", "a", "😀", "\u{301}", "\n", "word "][rng.usize(..6)];
    unit.repeat(rng.usize(4097..12_000))
}

fn random_chars(rng: &mut fastrand::Rng, len: std::ops::Range<usize>) -> String {
    (0..rng.usize(len)).map(|_| rng.char(..)).collect()
}
