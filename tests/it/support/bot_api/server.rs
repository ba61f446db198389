//! The HTTP side: one route `/bot<token>/<method>`, JSON or query parameters in, Telegram's
//! `{"ok": ...}` envelope out, and `getUpdates` held as a long poll.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::Fault;
use super::methods::{self, Answer, ApiError, int_param};
use super::state::{Shared, update_id};

/// How long a poll is held at most. Telegram holds it for the requested timeout (teloxide asks
/// for 10 s), but teloxide's shutdown waits for the poll in flight: a short hold keeps a test's
/// stop quick, and an empty answer after it is what Telegram sends too.
const MAX_POLL_HOLD: Duration = Duration::from_secs(1);
const MAX_UPDATES_PER_POLL: usize = 100;

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new().route("/{bot}/{method}", any(handle)).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(bot_id) = bot_id(&bot) else {
        return reply(Err(ApiError::new(401, "Unauthorized")));
    };
    let method = methods::canonical_name(&method);
    let params = match parse_params(&headers, &query, &body) {
        Ok(params) => params,
        Err(unsupported) => {
            shared.record(&method, &json!({ "unsupported": unsupported }));
            return reply(Err(ApiError::bad_request(&unsupported)));
        }
    };
    shared.record(&method, &params);

    if method == "getUpdates" {
        if shared.lock().webhook.is_some() {
            return reply(Err(ApiError::new(409, WEBHOOK_CONFLICT)));
        }
        return reply(Ok(get_updates(&shared, &params).await));
    }
    if method == "sendMessage" && shared.lock().over_send_limit() {
        return reply(Err(ApiError::from_fault(&Fault::RetryAfter(1))));
    }
    let fault = methods::chat_id(&params).and_then(|chat_id| shared.lock().take_fault(chat_id));
    match fault {
        None => {}
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::Dropped) => return dropped_connection(),
        Some(fault) => return reply(Err(ApiError::from_fault(&fault))),
    }
    let answer = methods::answer(&shared, bot_id, &method, &params);
    // The answer may have stored a sent message: wake the waiters again, or a test that woke
    // on the request (before the message was stored) would sleep through it.
    shared.notify();
    reply(answer)
}

/// Telegram's answer to `getUpdates` while a webhook is set.
const WEBHOOK_CONFLICT: &str = "Conflict: can't use getUpdates method while webhook is active; \
                                use deleteWebhook to delete the webhook first";

/// The path segment is `bot<id>:<secret>`; Telegram answers 401 to anything else.
fn bot_id(segment: &str) -> Option<u64> {
    let token = segment.strip_prefix("bot")?;
    let (id, secret) = token.split_once(':')?;
    if secret.is_empty() {
        return None;
    }
    id.parse().ok()
}

/// JSON bodies and query strings are understood; uploads (multipart) are recorded as such.
fn parse_params(
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    body: &Bytes,
) -> Result<Value, String> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    let content_type = content_type.unwrap_or_default();
    if content_type.starts_with("multipart/") {
        return Err("multipart uploads are not supported by the fake Bot API".to_owned());
    }
    if body.is_empty() {
        return Ok(json!(query));
    }
    serde_json::from_slice(body).map_err(|error| format!("can't parse JSON body: {error}"))
}

/// Holds the request until an update at or above `offset` is queued, the timeout passes or the
/// server closes; confirmed updates (below `offset`) are forgotten first.
async fn get_updates(shared: &Shared, params: &Value) -> Value {
    let offset = int_param(params, "offset").unwrap_or(0);
    let limit = int_param(params, "limit").and_then(|limit| usize::try_from(limit).ok());
    let limit = limit.unwrap_or(MAX_UPDATES_PER_POLL).clamp(1, MAX_UPDATES_PER_POLL);
    let seconds = int_param(params, "timeout").and_then(|t| u64::try_from(t).ok()).unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(seconds).min(MAX_POLL_HOLD);
    let mut events = shared.subscribe();

    {
        let mut inner = shared.lock();
        inner.confirm(offset);
        if seconds == 0 {
            inner.confirmations.push(offset);
        }
    }
    loop {
        events.borrow_and_update();
        {
            let inner = shared.lock();
            let batch: Vec<Value> = inner
                .updates
                .iter()
                .filter(|update| update_id(update) >= offset)
                .take(limit)
                .cloned()
                .collect();
            if !batch.is_empty() || inner.closed || Instant::now() >= deadline {
                return json!(batch);
            }
        }
        // A timeout here ends the hold on the next pass through the loop.
        let _ = tokio::time::timeout_at(deadline, events.changed()).await;
    }
}

/// A 200 whose body fails: hyper aborts the connection, and the client reads a network error.
fn dropped_connection() -> Response {
    let cut = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "fault: connection dropped");
    let body = futures_util::stream::once(async move { Err::<Bytes, _>(cut) });
    (StatusCode::OK, axum::body::Body::from_stream(body)).into_response()
}

fn reply(answer: Answer) -> Response {
    match answer {
        Ok(result) => (StatusCode::OK, axum::Json(json!({"ok": true, "result": result}))),
        Err(error) => {
            let status = StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST);
            let mut body = json!({
                "ok": false,
                "error_code": error.code,
                "description": error.description,
            });
            if let Some(seconds) = error.retry_after {
                body["parameters"] = json!({ "retry_after": seconds });
            }
            if let Some(chat_id) = error.migrate_to {
                body["parameters"] = json!({ "migrate_to_chat_id": chat_id });
            }
            (status, axum::Json(body))
        }
    }
    .into_response()
}
