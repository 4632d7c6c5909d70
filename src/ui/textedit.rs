//! The one table of text-editing keys, for every text input: the list search box, the find
//! box, the help filter, the command palette and the fields of a form.
//!
//! Owns which key asks for which edit ([`edit_for`]) and carrying that out on a one-line
//! `tui_input::Input` ([`edit_line`]). A multi-line editor (the form's) asks [`edit_for`] and
//! carries out the line-aware edits itself. It draws nothing and knows no keymap; it must never
//! take a key a keymap needs while typing: Tab, Esc, Enter and Up/Down in one-line inputs,
//! F-keys, Alt+letter and Ctrl+letters other than the editing ones below.
//!
//! | Key                                    | Edit                                   |
//! |----------------------------------------|----------------------------------------|
//! | a character (also Shift, AltGr)        | insert it                              |
//! | Backspace, Ctrl+H / Delete             | delete the character before / after    |
//! | Ctrl+W, Ctrl/Alt+Backspace             | delete the word before the cursor      |
//! | Ctrl/Alt+Delete                        | delete the word after the cursor       |
//! | Ctrl+U                                 | delete from the start of the line      |
//! | ← → / Ctrl or Alt with ← →             | move a character / a word              |
//! | Home / End                             | go to the start / end of the line      |
//! | Enter, ↑ ↓ (multi-line only)           | new line, move a row                   |

use super::keys;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

/// What an editing key asks of a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Done the same way on one line and in multi-line text (insert, delete a character or a
    /// word, move by character or word).
    Input(InputRequest),
    /// Cursor to the start of the current line.
    LineStart,
    /// Cursor to the end of the current line.
    LineEnd,
    /// Delete from the start of the current line up to the cursor.
    DeleteToLineStart,
    /// Multi-line only: break the line at the cursor.
    Newline,
    /// Multi-line only: one row up.
    Up,
    /// Multi-line only: one row down.
    Down,
}

/// The edit `key` asks for, or `None` when it is not an editing key (the keymap gets it).
/// Enter and Up/Down are editing keys only in `multiline` text. Releases are no edit.
pub fn edit_for(key: KeyEvent, multiline: bool) -> Option<Edit> {
    use InputRequest as R;
    let key = keys::normalize(key)?;
    let m = key.modifiers;
    let plain = m.difference(KeyModifiers::SHIFT).is_empty();
    let ctrl = m == KeyModifiers::CONTROL;
    let word = ctrl || m == KeyModifiers::ALT;
    // AltGr arrives as Ctrl+Alt on some systems: still a typed character.
    let altgr = m == KeyModifiers::CONTROL | KeyModifiers::ALT;
    let edit = match key.code {
        KeyCode::Char(c) if plain || altgr => Edit::Input(R::InsertChar(c)),
        KeyCode::Char('h') if ctrl => Edit::Input(R::DeletePrevChar),
        KeyCode::Char('w') if ctrl => Edit::Input(R::DeletePrevWord),
        KeyCode::Char('u') if ctrl => Edit::DeleteToLineStart,
        KeyCode::Backspace if plain => Edit::Input(R::DeletePrevChar),
        KeyCode::Backspace if word => Edit::Input(R::DeletePrevWord),
        KeyCode::Delete if plain => Edit::Input(R::DeleteNextChar),
        KeyCode::Delete if word => Edit::Input(R::DeleteNextWord),
        KeyCode::Left if plain => Edit::Input(R::GoToPrevChar),
        KeyCode::Right if plain => Edit::Input(R::GoToNextChar),
        KeyCode::Left if word => Edit::Input(R::GoToPrevWord),
        KeyCode::Right if word => Edit::Input(R::GoToNextWord),
        KeyCode::Home if plain => Edit::LineStart,
        KeyCode::End if plain => Edit::LineEnd,
        KeyCode::Enter if plain && multiline => Edit::Newline,
        KeyCode::Up if plain && multiline => Edit::Up,
        KeyCode::Down if plain && multiline => Edit::Down,
        _ => return None,
    };
    Some(edit)
}

/// Applies an editing key to a one-line input: `None` when the key is not an editing key,
/// otherwise `Some(changed)`, whether the text changed (a cursor move changes nothing).
pub fn edit_line(input: &mut Input, key: KeyEvent) -> Option<bool> {
    let req = match edit_for(key, false)? {
        Edit::Input(req) => req,
        Edit::LineStart => InputRequest::GoToStart,
        Edit::LineEnd => InputRequest::GoToEnd,
        Edit::DeleteToLineStart => InputRequest::DeleteFromStart,
        // Only asked for in multi-line text.
        Edit::Newline | Edit::Up | Edit::Down => return None,
    };
    Some(input.handle(req).is_some_and(|c| c.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keys::parse_keys;

    /// `text` with the cursor at `cursor` (characters), after the keys `typed`.
    fn after(text: &str, cursor: usize, typed: &str) -> (String, usize) {
        let mut input = Input::new(text.to_string()).with_cursor(cursor);
        for k in parse_keys(typed).unwrap() {
            assert!(
                edit_line(&mut input, k).is_some(),
                "{k:?} is an editing key"
            );
        }
        (input.value().to_string(), input.cursor())
    }

    #[test]
    fn ctrl_u_and_ctrl_w_work_in_a_one_line_input() {
        assert_eq!(after("Jan de Vries", 12, "<c-w>"), ("Jan de ".into(), 7));
        assert_eq!(after("Jan de Vries", 6, "<c-u>"), (" Vries".into(), 0));
        assert_eq!(after("Jan de Vries", 12, "<c-u>x"), ("x".into(), 1));
        assert_eq!(after("abc", 3, "<c-h><left><left>X"), ("Xab".into(), 1));
        assert_eq!(after("een twee", 8, "<a-bs>"), ("een ".into(), 4));
        assert_eq!(after("een twee", 0, "<c-right><c-del>"), ("een ".into(), 4));
        assert_eq!(after("ab", 1, "<home>1<end>2"), ("1ab2".into(), 4));
    }

    #[test]
    fn altgr_types_and_keymap_keys_are_left_alone() {
        // AltGr+e on some keyboards: Ctrl+Alt+€.
        let altgr = KeyEvent::new(
            KeyCode::Char('€'),
            KeyModifiers::CONTROL | KeyModifiers::ALT,
        );
        let mut input = Input::default();
        assert_eq!(edit_line(&mut input, altgr), Some(true));
        assert_eq!(input.value(), "€");
        for k in [
            "<tab>", "<s-tab>", "<esc>", "<enter>", "<up>", "<down>", "<f1>", "<c-s>", "<c-f>",
            "<c-p>", "<c-k>", "<c-n>", "<a-x>", "<pageup>",
        ] {
            let key = parse_keys(k).unwrap()[0];
            assert_eq!(edit_line(&mut input, key), None, "{k}");
            assert_eq!(
                edit_for(key, true).is_some(),
                matches!(k, "<enter>" | "<up>" | "<down>")
            );
        }
        assert_eq!(input.value(), "€");
        let release = KeyEvent::new_with_kind(
            KeyCode::Char('x'),
            KeyModifiers::NONE,
            crossterm::event::KeyEventKind::Release,
        );
        assert_eq!(edit_line(&mut input, release), None);
    }

    #[test]
    fn a_cursor_move_is_used_but_changes_nothing() {
        let mut input = Input::new("ab".into());
        let left = parse_keys("<left>").unwrap()[0];
        assert_eq!(edit_line(&mut input, left), Some(false));
        assert_eq!(input.cursor(), 1);
    }
}
