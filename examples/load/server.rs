//! A small Bot API server on 127.0.0.1 for the load run. It queues the clients' updates for the
//! bot's long poll, answers the bot's calls like Telegram, and passes every message the bot
//! sends or edits to the client of that chat. It times each update from the moment it is handed
//! to `getUpdates` to the first message the bot sends or edits in that chat.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

/// A message the bot sent or edited, as the client sees it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub message_id: i64,
    pub text: String,
    /// Inline buttons, row after row: (label, callback data).
    pub buttons: Vec<(String, String)>,
    pub request_contact: bool,
}

/// What one phase of the run measured on the server's side.
#[derive(Debug, Default)]
pub struct PhaseStats {
    pub handed: u64,
    pub latencies: Vec<Duration>,
    pub first_handed: Option<Instant>,
    pub last_reply: Option<Instant>,
    /// Bot API calls by method, long polls included: what the bot asked of Telegram.
    pub calls: BTreeMap<String, u64>,
    /// Bytes of the bot's requests and of the server's answers.
    pub bytes_in: u64,
    pub bytes_out: u64,
}

#[derive(Default)]
struct Inner {
    queue: VecDeque<(i64, i64, Value)>,
    last_update_id: i64,
    handed_up_to: i64,
    /// Chats whose update was handed out and not answered yet, with the hand-out instant.
    waiting: HashMap<i64, Instant>,
    clients: HashMap<i64, mpsc::UnboundedSender<Reply>>,
    stats: PhaseStats,
}

#[derive(Default)]
pub struct Shared {
    inner: Mutex<Inner>,
    arrived: Notify,
    next_message_id: AtomicI64,
    polls: AtomicI64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a client: everything the bot sends to `chat` goes to the returned receiver.
    pub fn client(&self, chat: i64) -> mpsc::UnboundedReceiver<Reply> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.lock().clients.insert(chat, tx);
        rx
    }

    pub fn forget_client(&self, chat: i64) {
        self.lock().clients.remove(&chat);
    }

    pub fn push(&self, chat: i64, mut update: Value) {
        let mut inner = self.lock();
        inner.last_update_id += 1;
        let id = inner.last_update_id;
        update["update_id"] = json!(id);
        inner.queue.push_back((id, chat, update));
        drop(inner);
        self.arrived.notify_waiters();
    }

    /// Starts a phase: the figures gathered so far are returned and reset.
    pub fn take_stats(&self) -> PhaseStats {
        std::mem::take(&mut self.lock().stats)
    }

    /// How many `getUpdates` calls arrived: above zero once the bot is up.
    pub fn polls(&self) -> i64 {
        self.polls.load(Ordering::Relaxed)
    }

    fn count_call(&self, method: &str, bytes: usize) {
        let stats = &mut self.lock().stats;
        *stats.calls.entry(method.to_owned()).or_insert(0) += 1;
        stats.bytes_in += bytes as u64;
    }

    fn next_message_id(&self) -> i64 {
        self.next_message_id.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Serves the Bot API on a free port of 127.0.0.1 until the process ends.
pub async fn start(shared: Arc<Shared>) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    let app = Router::new().route("/{bot}/{method}", post(call)).with_state(shared);
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("load: the Bot API server stopped: {err}");
        }
    });
    Ok(url)
}

async fn call(
    State(shared): State<Arc<Shared>>,
    Path((_bot, method)): Path<(String, String)>,
    body: Bytes,
) -> axum::Json<Value> {
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let method = method.to_ascii_lowercase();
    shared.count_call(&method, body.len());
    let result = match method.as_str() {
        "getupdates" => get_updates(&shared, &params).await,
        "getme" => json!({
            "id": 1, "is_bot": true, "first_name": "Load", "username": "load_bot",
            "can_join_groups": false, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "has_main_web_app": false,
        }),
        "getwebhookinfo" => json!({"url": "", "has_custom_certificate": false,
            "pending_update_count": 0}),
        "sendmessage" | "editmessagetext" | "editmessagereplymarkup" => sent(&shared, &params),
        _ => json!(true),
    };
    let answer = json!({"ok": true, "result": result});
    shared.lock().stats.bytes_out += answer.to_string().len() as u64;
    axum::Json(answer)
}

/// Long poll: drops confirmed updates, hands out up to `limit`, or waits up to `timeout`.
async fn get_updates(shared: &Shared, params: &Value) -> Value {
    let offset = params["offset"].as_i64().unwrap_or(0);
    let limit = params["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    shared.polls.fetch_add(1, Ordering::Relaxed);
    let timeout = params["timeout"].as_u64().unwrap_or(0).min(30);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);

    loop {
        let arrived = shared.arrived.notified();
        tokio::pin!(arrived);
        arrived.as_mut().enable();

        let batch = hand_out(&mut shared.lock(), offset, limit);
        if !batch.is_empty() || timeout == 0 {
            return Value::Array(batch);
        }
        if tokio::time::timeout_at(deadline, arrived).await.is_err() {
            return json!([]);
        }
    }
}

fn hand_out(inner: &mut Inner, offset: i64, limit: usize) -> Vec<Value> {
    while inner.queue.front().is_some_and(|(id, _, _)| *id < offset) {
        inner.queue.pop_front();
    }
    let now = Instant::now();
    let mut batch = Vec::new();
    let mut handed_up_to = inner.handed_up_to;
    for (id, chat, update) in inner.queue.iter().take(limit) {
        if *id > inner.handed_up_to {
            inner.waiting.insert(*chat, now);
            inner.stats.handed += 1;
            inner.stats.first_handed.get_or_insert(now);
        }
        handed_up_to = handed_up_to.max(*id);
        batch.push(update.clone());
    }
    inner.handed_up_to = handed_up_to;
    batch
}

/// A send or an edit: timed if its chat was waiting, passed to the chat's client, echoed back.
fn sent(shared: &Shared, params: &Value) -> Value {
    let chat = params["chat_id"].as_i64().unwrap_or(0);
    let markup = &params["reply_markup"];
    let message_id = params["message_id"].as_i64().unwrap_or_else(|| shared.next_message_id());
    let reply = Reply {
        message_id,
        text: params["text"].as_str().unwrap_or_default().to_owned(),
        buttons: inline_buttons(markup),
        request_contact: markup["keyboard"].to_string().contains("\"request_contact\":true"),
    };

    let mut inner = shared.lock();
    let now = Instant::now();
    if let Some(handed) = inner.waiting.remove(&chat) {
        inner.stats.latencies.push(now - handed);
        inner.stats.last_reply = Some(now);
    }
    if let Some(client) = inner.clients.get(&chat) {
        let _ = client.send(reply.clone());
    }
    drop(inner);

    let mut message = json!({
        "message_id": message_id,
        "date": chrono::Utc::now().timestamp(),
        "chat": {"id": chat, "type": "private", "first_name": "Клиент"},
        "text": reply.text,
    });
    if markup.get("inline_keyboard").is_some() {
        message["reply_markup"] = markup.clone();
    }
    message
}

fn inline_buttons(markup: &Value) -> Vec<(String, String)> {
    let rows = markup["inline_keyboard"].as_array().into_iter().flatten();
    let buttons = rows.filter_map(Value::as_array).flatten();
    let field = |b: &Value, key: &str| b[key].as_str().unwrap_or_default().to_owned();
    buttons.map(|b| (field(b, "text"), field(b, "callback_data"))).collect()
}

/// A person's text message.
pub fn text_update(chat: i64, text: &str) -> Value {
    let mut message = user_message(chat);
    message["text"] = json!(text);
    if text.starts_with('/') {
        let length = text.split_whitespace().next().unwrap_or(text).encode_utf16().count();
        message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": length}]);
    }
    json!({ "message": message })
}

/// A shared phone number, as a request_contact button sends it.
pub fn contact_update(chat: i64, phone: &str) -> Value {
    let mut message = user_message(chat);
    message["contact"] = json!({"phone_number": phone, "first_name": "Клиент", "user_id": chat});
    json!({ "message": message })
}

/// A press on an inline button of the bot's message `message_id`.
pub fn press_update(chat: i64, message_id: i64, data: &str) -> Value {
    static NEXT: AtomicI64 = AtomicI64::new(1);
    json!({"callback_query": {
        "id": NEXT.fetch_add(1, Ordering::Relaxed).to_string(),
        "from": user(chat),
        "chat_instance": chat.to_string(),
        "message": {
            "message_id": message_id,
            "date": chrono::Utc::now().timestamp(),
            "chat": chat_json(chat),
            "from": {"id": 1, "is_bot": true, "first_name": "Load"},
            "text": "…",
        },
        "data": data,
    }})
}

fn user_message(chat: i64) -> Value {
    static NEXT: AtomicI64 = AtomicI64::new(1_000_000_000);
    json!({
        "message_id": NEXT.fetch_add(1, Ordering::Relaxed),
        "from": user(chat),
        "chat": chat_json(chat),
        "date": chrono::Utc::now().timestamp(),
    })
}

fn user(chat: i64) -> Value {
    json!({"id": chat, "is_bot": false, "first_name": "Клиент", "language_code": "ru"})
}

fn chat_json(chat: i64) -> Value {
    json!({"id": chat, "type": "private", "first_name": "Клиент"})
}
