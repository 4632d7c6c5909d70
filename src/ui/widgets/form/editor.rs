//! Text editing inside the focused field of the intake form: a value with a cursor, built on
//! `tui_input::Input` (grapheme-aware motions and deletions). One-line fields scroll
//! horizontally around the cursor; multi-line fields wrap softly and move by visual row.
//!
//! Owns only the key → edit mapping and the cursor arithmetic; the soft-wrap and widths are
//! the shared ones of `ui::text`. It knows nothing of fields, drafts or drawing. Which keys it
//! consumes is part of the form's input contract: anything the keymap needs (Tab, Esc, Ctrl+S, Ctrl+F, Ctrl+P, F-keys, Alt+letters)
//! is never consumed here.

use crate::ui::text::{Row, char_slice, char_width, str_width, wrap};
use crate::ui::textedit::{self, Edit};
use crossterm::event::KeyEvent;
use tui_input::{Input, InputRequest};

/// The visual row and column of the cursor (a codepoint index) in wrapped rows.
pub(super) fn cursor_in(text: &str, lines: &[Row], cursor: usize) -> (usize, usize) {
    let row = lines
        .iter()
        .position(|l| (l.start <= cursor && cursor < l.end) || (cursor == l.end && l.hard))
        .unwrap_or(lines.len().saturating_sub(1));
    let start = lines.get(row).map_or(0, |l| l.start);
    let col = str_width(char_slice(text, start, cursor.saturating_sub(start)));
    (row, col)
}

/// How far a one-line field of `width` columns scrolls so that the cursor (a codepoint
/// index) stays visible: `(characters skipped, columns skipped)`.
pub(super) fn hscroll(text: &str, cursor: usize, width: usize) -> (usize, usize) {
    let cursor_col = str_width(char_slice(text, 0, cursor));
    let need = cursor_col.saturating_sub(width.saturating_sub(1));
    let mut chars = 0;
    let mut cols = 0;
    for c in text.chars() {
        if cols >= need {
            break;
        }
        cols += char_width(c);
        chars += 1;
    }
    (chars, cols)
}

/// The value of the focused text field and its cursor.
#[derive(Debug, Clone)]
pub(super) struct Editor {
    input: Input,
    multiline: bool,
}

impl Editor {
    /// An editor on `value` with the cursor at the end.
    pub fn new(value: &str, multiline: bool) -> Self {
        Editor {
            input: Input::new(value.to_string()),
            multiline,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The cursor as a codepoint index.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    fn set(&mut self, value: String, cursor: usize) {
        self.input = Input::new(value).with_cursor(cursor);
    }

    fn request(&mut self, req: InputRequest) -> bool {
        self.input.handle(req).is_some_and(|changed| changed.value)
    }

    /// Replaces the value, keeping the cursor at the end.
    pub fn replace(&mut self, value: &str) {
        self.input = Input::new(value.to_string());
    }

    /// Inserts text at the cursor. The caller has already cleaned it.
    pub fn insert_str(&mut self, s: &str) -> bool {
        let mut changed = false;
        for c in s.chars() {
            changed |= self.request(InputRequest::InsertChar(c));
        }
        changed
    }

    /// Applies a key. `None` when the key is not an editing key (the keymap gets it);
    /// `Some(changed)` when it was consumed, `changed` telling whether the value changed.
    /// `wrap_width` is the width of the field as last drawn, for Up/Down in multi-line text.
    /// Which key edits how is the table of `ui::textedit`, shared with every text input.
    pub fn handle_key(&mut self, key: KeyEvent, wrap_width: usize) -> Option<bool> {
        let changed = match textedit::edit_for(key, self.multiline)? {
            Edit::Input(req) => self.request(req),
            Edit::LineStart => {
                let to = self.line_start();
                self.request(InputRequest::SetCursor(to))
            }
            Edit::LineEnd => {
                let to = self.line_end();
                self.request(InputRequest::SetCursor(to))
            }
            Edit::DeleteToLineStart => self.delete_to_line_start(),
            Edit::Newline => self.request(InputRequest::InsertChar('\n')),
            Edit::Up => return self.vertical(-1, wrap_width),
            Edit::Down => return self.vertical(1, wrap_width),
        };
        Some(changed)
    }

    /// Start of the current line (the whole value for one-line fields).
    fn line_start(&self) -> usize {
        let before: Vec<char> = self.value().chars().take(self.cursor()).collect();
        match before.iter().rposition(|c| *c == '\n') {
            Some(i) if self.multiline => i + 1,
            _ => 0,
        }
    }

    /// End of the current line (the whole value for one-line fields).
    fn line_end(&self) -> usize {
        let total = self.value().chars().count();
        if !self.multiline {
            return total;
        }
        self.value()
            .chars()
            .enumerate()
            .skip(self.cursor())
            .find(|(_, c)| *c == '\n')
            .map_or(total, |(i, _)| i)
    }

    /// Ctrl+U: deletes from the start of the line up to the cursor.
    fn delete_to_line_start(&mut self) -> bool {
        let start = self.line_start();
        let cursor = self.cursor();
        if start == cursor {
            return false;
        }
        let value: String = self
            .value()
            .chars()
            .take(start)
            .chain(self.value().chars().skip(cursor))
            .collect();
        self.set(value, start);
        true
    }

    /// Up/Down in multi-line text: one visual row, keeping the column. `None` at the top or
    /// bottom row, so the form moves to the previous or next field.
    fn vertical(&mut self, delta: isize, wrap_width: usize) -> Option<bool> {
        let text = self.value().to_string();
        let lines = wrap(&text, wrap_width);
        let (row, col) = cursor_in(&text, &lines, self.cursor());
        let target = row.checked_add_signed(delta)?;
        let line = *lines.get(target)?;
        let mut used = 0;
        let mut at = line.end;
        for (i, c) in text
            .chars()
            .enumerate()
            .skip(line.start)
            .take(line.end - line.start)
        {
            let w = char_width(c);
            if used + w > col {
                at = i;
                break;
            }
            used += w;
        }
        if !line.hard && at == line.end {
            // The end of a soft-wrapped row is the start of the next one: stay on this row.
            at = line.end.saturating_sub(1).max(line.start);
        }
        self.request(InputRequest::SetCursor(at));
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn cursor_rows_follow_the_wrapping() {
        let text = "abcdef\ngh";
        let lines = wrap(text, 4);
        assert_eq!(cursor_in(text, &lines, 0), (0, 0));
        assert_eq!(cursor_in(text, &lines, 4), (1, 0));
        assert_eq!(cursor_in(text, &lines, 6), (1, 2));
        assert_eq!(cursor_in(text, &lines, 9), (2, 2));
    }

    #[test]
    fn up_and_down_move_by_row_and_stop_at_the_edges() {
        let mut e = Editor::new("abcdef\ngh", true);
        assert_eq!(e.handle_key(key(KeyCode::Down), 4), None);
        assert_eq!(e.handle_key(key(KeyCode::Up), 4), Some(false));
        assert_eq!(e.cursor(), 6);
        assert_eq!(e.handle_key(key(KeyCode::Up), 4), Some(false));
        assert_eq!(e.cursor(), 2);
        assert_eq!(e.handle_key(key(KeyCode::Up), 4), None);
    }

    #[test]
    fn one_line_fields_scroll_to_keep_the_cursor_in_view() {
        assert_eq!(hscroll("abc", 3, 10), (0, 0));
        assert_eq!(hscroll("abcdefghij", 10, 5), (6, 6));
        assert_eq!(hscroll("abcdefghij", 0, 5), (0, 0));
    }

    #[test]
    fn ctrl_u_deletes_to_the_start_of_the_line() {
        let mut e = Editor::new("one\ntwo", true);
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(e.handle_key(ctrl_u, 10), Some(true));
        assert_eq!(e.value(), "one\n");
        let mut single = Editor::new("Dordrecht", false);
        assert_eq!(single.handle_key(ctrl_u, 10), Some(true));
        assert_eq!(single.value(), "");
    }

    /// The same key does the same in a form field as in a one-line input (search box, find
    /// box, help filter, palette): both go through `ui::textedit`.
    #[test]
    fn editing_keys_match_the_one_line_inputs() {
        for (text, typed) in [
            ("Jan de Vries", "<c-w>"),
            ("Jan de Vries", "<left><left><c-u>"),
            ("Jan de Vries", "<c-left><c-w>x"),
            ("Jan de Vries", "<home><del><c-right><a-bs>"),
            ("Dordrecht", "<bs><c-h><end>!"),
        ] {
            let mut field = Editor::new(text, false);
            let mut line = Input::new(text.to_string());
            for k in crate::ui::keys::parse_keys(typed).unwrap() {
                let a = field.handle_key(k, 40);
                let b = textedit::edit_line(&mut line, k);
                assert_eq!(a, b, "{text:?} {typed}: {k:?}");
            }
            assert_eq!(field.value(), line.value(), "{text:?} {typed}");
            assert_eq!(field.cursor(), line.cursor(), "{text:?} {typed}");
        }
    }

    #[test]
    fn keys_for_the_keymap_are_not_consumed() {
        let mut e = Editor::new("x", false);
        for k in [
            key(KeyCode::Tab),
            key(KeyCode::Esc),
            key(KeyCode::Enter),
            key(KeyCode::Up),
            key(KeyCode::F(1)),
            KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
            KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL),
            KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL),
        ] {
            assert_eq!(e.handle_key(k, 10), None, "{k:?}");
        }
        assert_eq!(e.value(), "x");
    }
}
