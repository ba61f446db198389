//! Long texts split on line boundaries, so nothing a person should read is cut mid-word.

/// Telegram's limit for one message, in UTF-16 code units... counted here in chars, which is
/// never more than the UTF-16 count, so keep a margin: Cyrillic is one unit per char.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// Splits `text` into pieces of at most `limit` chars, breaking after a newline where it can
/// and inside a line only when that one line is longer than the limit.
pub fn split_message(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;

    for line in text.split_inclusive('\n') {
        let line_len = line.chars().count();
        if current_len + line_len > limit && current_len > 0 {
            pieces.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if line_len > limit {
            let chars: Vec<char> = line.chars().collect();
            for chunk in chars.chunks(limit) {
                pieces.push(chunk.iter().collect());
            }
            continue;
        }
        current.push_str(line);
        current_len += line_len;
    }
    if current_len > 0 || pieces.is_empty() {
        pieces.push(current);
    }
    pieces.into_iter().map(|p| p.trim_end_matches('\n').to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays_whole() {
        assert_eq!(split_message("привет\nмир", 100), vec!["привет\nмир"]);
    }

    #[test]
    fn long_text_breaks_on_lines_and_each_piece_fits() {
        let line = "строка номер такая-то\n";
        let text = line.repeat(500);

        let pieces = split_message(&text, MAX_MESSAGE_CHARS);

        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| p.chars().count() <= MAX_MESSAGE_CHARS));
        assert!(pieces.iter().all(|p| p.ends_with("такая-то")), "no line is cut");
        assert_eq!(pieces.join("\n"), text.trim_end());
    }

    #[test]
    fn one_huge_line_is_cut_by_chars() {
        let text = "я".repeat(10_000);
        let pieces = split_message(&text, MAX_MESSAGE_CHARS);
        assert_eq!(
            pieces.iter().map(|p| p.chars().count()).collect::<Vec<_>>(),
            [4096, 4096, 1808]
        );
    }
}
