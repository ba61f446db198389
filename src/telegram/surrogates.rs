//! JSON with a lone UTF-16 surrogate escape (`"\ud83d"` without its pair) is not valid, and
//! serde refuses the whole text: one such update in a batch would stop polling for every chat.
//! Here each unpaired surrogate escape becomes U+FFFD, the replacement character.

/// `json` with its unpaired `\uD800`–`\uDFFF` escapes replaced, or `None` when it has none.
pub fn replace_lone_surrogates(json: &[u8]) -> Option<Vec<u8>> {
    let mut out = json.to_vec();
    let mut replaced = false;
    let mut i = 0;
    while i < json.len() {
        if json[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escaped_unit(json, i) else {
            // `\\`, `\"`, `\n`…: the escaped character is skipped with its backslash.
            i += 2;
            continue;
        };
        let paired = (0xD800..0xDC00).contains(&unit)
            && escaped_unit(json, i + 6).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        if paired {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out[i..i + 6].copy_from_slice(br"\uFFFD");
            replaced = true;
            i += 6;
        } else {
            i += 6;
        }
    }
    replaced.then_some(out)
}

/// The UTF-16 unit of a `\u` escape (four hex digits) starting at `at`.
fn escaped_unit(json: &[u8], at: usize) -> Option<u32> {
    let escape = json.get(at..at + 6)?;
    if &escape[..2] != br"\u" {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaired_surrogates_become_replacement_characters_and_the_rest_stays() {
        let cases: [(&str, Option<&str>); 5] = [
            (r#"{"t":"a\ud83db"}"#, Some(r#"{"t":"a\uFFFDb"}"#)),
            (r#"{"t":"\ude00 \ud83d\ude00"}"#, Some(r#"{"t":"\uFFFD \ud83d\ude00"}"#)),
            (r#"{"t":"\ud83d\ude00 ok"}"#, None),
            (r#"{"t":"\\ud83d is text"}"#, None),
            (r#"{"t":"\u0041\n\ud83d"}"#, Some(r#"{"t":"\u0041\n\uFFFD"}"#)),
        ];
        for (json, want) in cases {
            let got = replace_lone_surrogates(json.as_bytes());
            assert_eq!(got.as_deref(), want.map(str::as_bytes), "case {json}");
            if let Some(fixed) = got {
                serde_json::from_slice::<serde_json::Value>(&fixed).expect("valid JSON now");
            }
        }
    }
}
