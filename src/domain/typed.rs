//! What a client typed, made safe to keep and to show staff: control characters and the
//! invisible marks that reorder text (a right-to-left override can make «10:00» read as «00:01»
//! in a staff notice) or hide inside it are dropped; line breaks in a longer answer stay, and a
//! tab or another control that separated words becomes a space.

/// The text without control characters (line breaks kept, tabs and other breaks as spaces),
/// bidirectional formatting marks and invisible zero-width characters.
pub fn plain(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' => Some(' '),
            c if c.is_control() || is_bidi_mark(c) || is_invisible(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Zero-width characters that show nothing outside emoji sequences and would make two equal
/// names differ (the joiner U+200D stays: emoji are built with it).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}')
}

/// The marks that change the direction text is shown in, with no glyph of their own.
fn is_bidi_mark(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
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
    fn a_tab_between_words_becomes_a_space_and_zero_width_spaces_go() {
        assert_eq!(plain("Аня\tБ"), "Аня Б");
        assert_eq!(plain("Ан\u{200B}на\u{FEFF}"), "Анна");
        assert_eq!(plain("👩\u{200D}🦰"), "👩\u{200D}🦰", "an emoji keeps its joiner");
    }

    #[test]
    fn ordinary_text_is_kept_as_it_is() {
        let text = "Хочу короче, «как в прошлый раз» — 5 см 🙂";
        assert_eq!(plain(text), text);
    }
}
