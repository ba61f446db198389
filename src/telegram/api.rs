//! The Bot API calls made on every update, through teloxide's HTTP client and with its error
//! types, but with URLs built once and answers read in one pass: teloxide's requests rebuilt
//! the URL per call and read each answer twice, about a tenth of the bot's CPU under a burst.
//! Rare calls (`getMe`, the command menus) still go through teloxide.

use std::sync::Arc;

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use teloxide::types::ResponseParameters;
use teloxide::{ApiError, Bot, RequestError};

use super::pacing::Pacer;
use super::surrogates::replace_lone_surrogates;
use super::updates::Update;
use crate::store::json_failure;

/// The methods okno calls on its hot path; each has its URL built once.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    GetUpdates,
    SendMessage,
    EditMessageText,
    AnswerCallbackQuery,
}

impl Method {
    const ALL: [Method; 4] = [
        Method::GetUpdates,
        Method::SendMessage,
        Method::EditMessageText,
        Method::AnswerCallbackQuery,
    ];

    fn name(self) -> &'static str {
        match self {
            Method::GetUpdates => "getUpdates",
            Method::SendMessage => "sendMessage",
            Method::EditMessageText => "editMessageText",
            Method::AnswerCallbackQuery => "answerCallbackQuery",
        }
    }
}

/// A cheap handle (clones share the HTTP client, the URLs and the pacing of new messages).
#[derive(Clone)]
pub struct BotApi {
    client: reqwest::Client,
    urls: Arc<[Url; 4]>,
    pacer: Arc<Pacer>,
}

/// Telegram's envelope around every answer, read in one pass whatever the order of its fields.
#[derive(Deserialize)]
struct Answer<R> {
    ok: bool,
    result: Option<R>,
    description: Option<String>,
    parameters: Option<ResponseParameters>,
}

impl BotApi {
    /// The same endpoint, token and HTTP client (timeouts, proxy) as `bot`, with at most
    /// `sends_per_second` new messages a second (0: not paced; see [`Pacer`]).
    pub fn new(bot: &Bot, sends_per_second: u32) -> Self {
        let urls = Arc::new(Method::ALL.map(|method| method_url(bot, method)));
        let pacer = Arc::new(Pacer::new(sends_per_second));
        BotApi { client: bot.client().clone(), urls, pacer }
    }

    /// Calls `method` with `payload` as JSON and reads the result as `R`.
    pub async fn call<P, R>(&self, method: Method, payload: &P) -> Result<R, RequestError>
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        if let Method::SendMessage = method {
            self.pacer.turn().await;
        }
        let bytes = self.post(method, payload).await?.bytes().await?;
        read_answer(&bytes)
    }

    /// `getUpdates`. A batch that does not read as a whole is read update by update, an
    /// unreadable one kept as an update with nothing to handle but its id, so the offset moves
    /// past it instead of asking for the same batch forever.
    pub async fn get_updates<P: Serialize>(
        &self,
        payload: &P,
    ) -> Result<Vec<Update>, RequestError> {
        let bytes = self.post(Method::GetUpdates, payload).await?.bytes().await?;
        match read_answer::<Vec<Update>>(&bytes) {
            Err(RequestError::InvalidJson { .. }) => read_updates_one_by_one(&bytes),
            read => read,
        }
    }

    async fn post<P: Serialize + ?Sized>(
        &self,
        method: Method,
        payload: &P,
    ) -> Result<reqwest::Response, RequestError> {
        let body = serde_json::to_vec(payload).map_err(|source| invalid_json(source, b""))?;
        let url = self.urls[method as usize].clone();
        let request = self
            .client
            .post(url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body);

        Ok(request.send().await?)
    }
}

/// `<api url>/bot<token>/<method>`, built the way teloxide builds the URLs of the calls it
/// still makes (`getMe`, the menus), so every call goes to the same place.
fn method_url(bot: &Bot, method: Method) -> Url {
    let mut url = bot.api_url();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.push(&format!("bot{}", bot.token())).push(method.name());
    }
    url
}

/// An answer's result, or the error it carries as teloxide would report it.
fn read_answer<R: DeserializeOwned>(bytes: &[u8]) -> Result<R, RequestError> {
    let answer: Answer<R> = serde_json::from_slice(bytes).map_err(|e| invalid_json(e, bytes))?;
    if answer.ok {
        let missing = || invalid_json(serde::de::Error::missing_field("result"), bytes);
        return answer.result.ok_or_else(missing);
    }

    match answer.parameters {
        Some(ResponseParameters::RetryAfter(after)) => Err(RequestError::RetryAfter(after)),
        Some(ResponseParameters::MigrateToChatId(to)) => Err(RequestError::MigrateToChatId(to)),
        None => Err(RequestError::Api(api_error(answer.description.unwrap_or_default()))),
    }
}

/// The slow way through a batch, for when one of its updates does not parse.
fn read_updates_one_by_one(bytes: &[u8]) -> Result<Vec<Update>, RequestError> {
    let values: Vec<serde_json::Value> = match read_answer(bytes) {
        Err(RequestError::InvalidJson { source, raw }) => {
            let Some(repaired) = replace_lone_surrogates(bytes) else {
                return Err(RequestError::InvalidJson { source, raw });
            };
            tracing::warn!("a batch of updates had unpaired surrogates; replaced with U+FFFD");
            read_answer(&repaired)?
        }
        read => read?,
    };
    let updates = values.into_iter().filter_map(|value| {
        let id = value.get("update_id").and_then(serde_json::Value::as_u64);
        let Some(update_id) = id.and_then(|id| u32::try_from(id).ok()) else {
            tracing::warn!("an update without a usable id was skipped");
            return None;
        };
        match serde_json::from_value(value) {
            Ok(update) => Some(update),
            Err(err) => {
                let failure = json_failure(&err);
                tracing::warn!(update = update_id, %failure, "an unreadable update was skipped");
                Some(Update { update_id, message: None, callback_query: None })
            }
        }
    });
    Ok(updates.collect())
}

/// teloxide's reading of Telegram's error description (known texts, or `Unknown`).
fn api_error(description: String) -> ApiError {
    let value = serde_json::Value::String(description);
    serde_json::from_value(value.clone())
        .unwrap_or_else(|_| ApiError::Unknown(value.as_str().unwrap_or_default().to_owned()))
}

/// The start of an answer that did not read, enough to tell a proxy's error page: an answer
/// may carry a person's message, and this text can reach the log.
const RAW_KEPT: usize = 80;

fn invalid_json(source: serde_json::Error, bytes: &[u8]) -> RequestError {
    let raw = String::from_utf8_lossy(&bytes[..bytes.len().min(RAW_KEPT)]);
    RequestError::InvalidJson { source: Arc::new(source), raw: raw.into() }
}

#[cfg(test)]
mod tests {
    use serde::de::IgnoredAny;
    use teloxide::types::Seconds;

    use super::*;

    fn urls_for(api_url: &str) -> Vec<String> {
        let bot = Bot::new("1:T").set_api_url(Url::parse(api_url).unwrap());
        BotApi::new(&bot, 0).urls.iter().map(Url::to_string).collect()
    }

    /// The same URLs as teloxide's own `method_url` (teloxide-core 0.13, `net.rs`) gives.
    #[test]
    fn method_urls_are_built_as_teloxide_builds_them() {
        let plain = BotApi::new(&Bot::new("1:T"), 0);
        assert_eq!(plain.urls[1].as_str(), "https://api.telegram.org/bot1:T/sendMessage");

        let cases = [
            ("http://127.0.0.1:9", "http://127.0.0.1:9/bot1:T/getUpdates"),
            ("http://127.0.0.1:9/tg", "http://127.0.0.1:9/tg/bot1:T/getUpdates"),
            ("http://127.0.0.1:9/tg/", "http://127.0.0.1:9/tg//bot1:T/getUpdates"),
        ];
        for (api_url, want) in cases {
            assert_eq!(urls_for(api_url)[0], want, "case {api_url}");
        }
    }

    #[test]
    fn answers_read_as_results_or_as_teloxide_errors() {
        let ok: Vec<i32> = read_answer(br#"{"result":[1,2],"ok":true}"#).unwrap();
        assert_eq!(ok, [1, 2]);

        let skipped: Result<IgnoredAny, _> = read_answer(br#"{"ok":true,"result":{"a":[1]}}"#);
        assert!(skipped.is_ok());

        let wait = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3",
            "parameters":{"retry_after":3}}"#;
        let err = read_answer::<IgnoredAny>(wait.as_bytes()).unwrap_err();
        assert!(matches!(err, RequestError::RetryAfter(s) if s == Seconds::from_seconds(3)));

        let blocked = r#"{"ok":false,"error_code":403,
            "description":"Forbidden: bot was blocked by the user"}"#;
        let err = read_answer::<IgnoredAny>(blocked.as_bytes()).unwrap_err();
        assert!(matches!(err, RequestError::Api(ApiError::BotBlocked)), "{err:?}");

        let odd = r#"{"ok":false,"description":"Something new"}"#;
        let err = read_answer::<IgnoredAny>(odd.as_bytes()).unwrap_err();
        assert!(matches!(err, RequestError::Api(ApiError::Unknown(d)) if d == "Something new"));
    }

    #[test]
    fn a_batch_with_an_unpaired_surrogate_is_read_with_a_replacement_character() {
        let batch = br#"{"ok":true,"result":[
            {"update_id":5,"message":{"chat":{"id":1},"text":"hi \ud83d"}},
            {"update_id":6,"message":{"chat":{"id":2},"text":"/start"}}]}"#;
        assert!(read_answer::<Vec<Update>>(batch).is_err(), "serde refuses it whole");

        let updates = read_updates_one_by_one(batch).unwrap();

        let text = |u: &Update| u.message.as_ref().and_then(|m| m.text.clone());
        let texts: Vec<_> = updates.iter().map(text).collect();
        assert_eq!(texts, [Some("hi \u{fffd}".to_owned()), Some("/start".to_owned())]);
    }

    #[test]
    fn an_answer_that_is_not_telegrams_json_is_invalid_json_with_the_raw_text() {
        for raw in ["<html>Bad Gateway</html>", r#"{"ok":true}"#, ""] {
            let err = read_answer::<IgnoredAny>(raw.as_bytes()).unwrap_err();
            let RequestError::InvalidJson { raw: kept, .. } = err else {
                panic!("case {raw:?}: {err:?}");
            };
            assert_eq!(&*kept, raw);
        }
    }
}
