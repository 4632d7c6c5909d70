//! The editing keys of one-line text inputs (search boxes, the find and palette inputs).
//! Placeholder until the shared key-editing table lands.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::{Input, InputRequest};

/// Applies an editing key to a one-line input: `None` when the key is not an editing key,
/// otherwise whether the text changed.
pub fn edit_line(input: &mut Input, key: KeyEvent) -> Option<bool> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let m = key.modifiers;
    let plain = m.difference(KeyModifiers::SHIFT).is_empty();
    let ctrl = m == KeyModifiers::CONTROL;
    let req = match key.code {
        KeyCode::Char(c)
            if !c.is_control() && (plain || m == KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            InputRequest::InsertChar(c)
        }
        KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('h') if ctrl => InputRequest::DeletePrevChar,
        KeyCode::Backspace if plain => InputRequest::DeletePrevChar,
        KeyCode::Delete if plain => InputRequest::DeleteNextChar,
        KeyCode::Left if plain => InputRequest::GoToPrevChar,
        KeyCode::Right if plain => InputRequest::GoToNextChar,
        KeyCode::Home if plain => InputRequest::GoToStart,
        KeyCode::End if plain => InputRequest::GoToEnd,
        _ => return None,
    };
    Some(input.handle(req).is_some_and(|c| c.value))
}
