//! The `Bot` built from the environment, as teloxide's `Bot::from_env` builds it, but with an
//! error that names the variable and the fix where teloxide panics on a malformed value.

use anyhow::Context;
use teloxide::Bot;

/// `TELOXIDE_TOKEN` (required), `TELOXIDE_API_URL` and `TELOXIDE_PROXY` (optional; empty is
/// the same as unset).
pub fn bot_from_env() -> anyhow::Result<Bot> {
    let token = var("TELOXIDE_TOKEN")
        .context("TELOXIDE_TOKEN is not set; put the token from @BotFather there")?;
    let client = http_client(var("TELOXIDE_PROXY"))?;
    let bot = Bot::with_client(token, client);

    let Some(url) = var("TELOXIDE_API_URL") else { return Ok(bot) };
    // teloxide drops a trailing slash too, so both spellings reach the same paths.
    let parsed = reqwest::Url::parse(url.trim_end_matches('/')).with_context(|| {
        format!(
            "TELOXIDE_API_URL={url:?} is not a URL; write it like http://127.0.0.1:8081, \
             or remove it to use Telegram's own server"
        )
    })?;
    Ok(bot.set_api_url(parsed))
}

/// teloxide's client settings (timeouts for long polling), with the proxy if one is set.
fn http_client(proxy: Option<String>) -> anyhow::Result<reqwest::Client> {
    let mut builder = teloxide::net::default_reqwest_settings();
    if let Some(proxy) = proxy {
        let parsed = reqwest::Proxy::all(&proxy).with_context(|| {
            format!(
                "TELOXIDE_PROXY={proxy:?} is not a proxy URL; write it like \
                 http://proxy.example:3128"
            )
        })?;
        builder = builder.proxy(parsed);
    }
    builder.build().context("could not set up the HTTP client")
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_proxy_is_an_error_naming_the_variable() {
        let err = http_client(Some("not a url".into())).unwrap_err();
        assert!(format!("{err:#}").starts_with("TELOXIDE_PROXY=\"not a url\" is not a proxy URL"));
    }
}
