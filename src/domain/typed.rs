//! What a client typed, made safe to keep and to show staff: control characters and the
//! invisible marks that reorder text (a right-to-left override can make «10:00» read as «00:01»
//! in a staff notice) are dropped; line breaks in a longer answer stay.

/// The text without control characters (line breaks kept) and bidirectional formatting marks.
pub fn plain(text: &str) -> String {
    text.chars().filter(|&c| c == '\n' || !(c.is_control() || is_bidi_mark(c))).collect()
}

/// The marks that change the direction text is shown in, with no glyph of their own.
fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn direction_marks_and_controls_are_dropped_and_line_breaks_kept() {
        assert_eq!(plain("Ира\u{202E}00:01\u{202C}"), "Ира00:01");
        assert_eq!(plain("без\u{0007} звонка\nпосле 18"), "без звонка\nпосле 18");
        assert_eq!(plain("\u{2067}שלום\u{2069} Анна"), "שלום Анна");
    }

    #[test]
    fn ordinary_text_is_kept_as_it_is() {
        let text = "Хочу короче, «как в прошлый раз» — 5 см 🙂";
        assert_eq!(plain(text), text);
    }
}
