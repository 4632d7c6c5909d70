//! Key notation: the one place that turns text like `"i<tab>Jansen<c-s>"` into crossterm key
//! events and key events back into text, and that decides when two key presses are "the same
//! key".
//!
//! Owns: the notation grammar used by keymap files and by tests that feed keys, the display
//! form shown in the help overlay and the bottom bar (`Ctrl+S`, `Shift+Tab`, `↑`), and
//! [`normalize`], which every key goes through before it is matched against a keymap. It knows
//! nothing about actions or contexts (that is `keymap`) and never touches the terminal.
//!
//! # Notation
//! - A plain character is that key: `q`, `G`, `?`, `1`, `é`. A space is the space bar.
//! - Named keys go between angle brackets, case-insensitive: `<esc>`, `<enter>` (`<cr>`),
//!   `<tab>`, `<space>`, `<backspace>` (`<bs>`), `<delete>` (`<del>`), `<insert>`, `<up>`,
//!   `<down>`, `<left>`, `<right>`, `<home>`, `<end>`, `<pageup>` (`<pgup>`), `<pagedown>`
//!   (`<pgdn>`), `<f1>`…`<f24>`, `<lt>` (the `<` key), `<gt>`.
//! - Modifiers prefix the key inside the brackets: `c-` Ctrl, `a-` (or `m-`) Alt, `s-` Shift,
//!   `d-` Super: `<c-s>`, `<a-x>`, `<c-s-tab>`. A single character may also stand between
//!   brackets: `<x>`, `<c-->`, `<c->>`.
//! - `<s-tab>` is crossterm's `BackTab`. Shift with a letter is the capital letter: `<s-g>` is
//!   `G`. Shift with any other character is refused (`<s-1>`), since which character Shift+1
//!   gives depends on the keyboard layout: write the character itself (`!`).
//!
//! # Normalisation
//! Terminals disagree about Shift: one reports `G` with SHIFT, another without, the kitty
//! protocol reports `?` with SHIFT. [`normalize`] brings every press to one canonical form
//! (characters never carry SHIFT; a shifted lowercase letter becomes the capital; Shift+Tab is
//! `BackTab`; Meta counts as Alt, Hyper as Super; kind `Press`, no keypad/lock state) so that a
//! keymap's `"G"` matches a real `G` however it was reported. Releases, lone modifier keys,
//! lock keys and media keys are not key presses for koppel: `normalize` returns `None`.

use crate::i18n::{Lang, tf};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use std::fmt::Write as _;

/// Why a key notation could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    /// A `<` without its closing `>`.
    #[error("{}", self.to_text(Lang::En))]
    Unclosed {
        /// Character position of the `<`, counting from 1.
        at: usize,
    },
    /// `<>` or a bracket with only modifiers.
    #[error("{}", self.to_text(Lang::En))]
    EmptyBracket {
        /// Character position of the `<`, counting from 1.
        at: usize,
    },
    /// A name between brackets that is not a key.
    #[error("{}", self.to_text(Lang::En))]
    UnknownKey {
        /// The text between the brackets.
        name: String,
    },
    /// Shift with a character that has no capital.
    #[error("{}", self.to_text(Lang::En))]
    ShiftedSymbol {
        /// The character after `s-`.
        ch: char,
    },
    /// A control character (tab, newline…) written as a plain character.
    #[error("{}", self.to_text(Lang::En))]
    ControlChar {
        /// The code point.
        code: u32,
    },
}

impl KeyParseError {
    /// The reason in `lang` (catalog `keymap.key.*`).
    pub fn to_text(&self, lang: Lang) -> String {
        match self {
            KeyParseError::Unclosed { at } => {
                tf(lang, "keymap.key.unclosed", &[("at", at.to_string())])
            }
            KeyParseError::EmptyBracket { at } => {
                tf(lang, "keymap.key.empty_bracket", &[("at", at.to_string())])
            }
            KeyParseError::UnknownKey { name } => {
                tf(lang, "keymap.key.unknown_key", &[("name", name.clone())])
            }
            KeyParseError::ShiftedSymbol { ch } => {
                tf(lang, "keymap.key.shifted_symbol", &[("ch", ch.to_string())])
            }
            KeyParseError::ControlChar { code } => tf(
                lang,
                "keymap.key.control_char",
                &[("code", format!("{code:04X}"))],
            ),
        }
    }
}

/// Named keys accepted between brackets, with the code they stand for. The first name of each
/// code is the one [`format_notation`] writes.
const NAMES: &[(&str, KeyCode)] = &[
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("enter", KeyCode::Enter),
    ("cr", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("ret", KeyCode::Enter),
    ("tab", KeyCode::Tab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("bs", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("lt", KeyCode::Char('<')),
    ("gt", KeyCode::Char('>')),
    ("printscreen", KeyCode::PrintScreen),
    ("pause", KeyCode::Pause),
    ("menu", KeyCode::Menu),
    ("begin", KeyCode::KeypadBegin),
];

/// Highest function key the notation knows (`<f24>`).
const MAX_F: u8 = 24;

/// Parses a sequence of keys (`"gg"`, `"<c-x><c-s>"`, `"i<tab>Jansen<c-s>"`). The events are
/// normalised (see [`normalize`]); an empty string is an empty sequence.
pub fn parse_keys(s: &str) -> Result<Vec<KeyEvent>, KeyParseError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' {
            let (k, next) = parse_bracket(&chars, i)?;
            out.push(k);
            i = next;
        } else {
            if c.is_control() {
                return Err(KeyParseError::ControlChar { code: c as u32 });
            }
            out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            i += 1;
        }
    }
    Ok(out)
}

/// Parses exactly one key; `None` when the text is empty or holds more than one key.
pub fn parse_key(s: &str) -> Option<KeyEvent> {
    match parse_keys(s) {
        Ok(keys) if keys.len() == 1 => keys.first().copied(),
        _ => None,
    }
}

/// Parses one `<…>` group starting at `chars[start] == '<'`; returns the key and the index
/// after the closing `>`.
fn parse_bracket(chars: &[char], start: usize) -> Result<(KeyEvent, usize), KeyParseError> {
    let mut i = start + 1;
    let mut mods = KeyModifiers::NONE;
    // Modifiers: a letter followed by '-', with something after the '-'.
    while i + 2 < chars.len() && chars[i + 1] == '-' {
        let m = match chars[i].to_ascii_lowercase() {
            'c' => KeyModifiers::CONTROL,
            'a' | 'm' => KeyModifiers::ALT,
            's' => KeyModifiers::SHIFT,
            'd' => KeyModifiers::SUPER,
            _ => break,
        };
        mods |= m;
        i += 2;
    }
    let Some(&first) = chars.get(i) else {
        return Err(KeyParseError::Unclosed { at: start + 1 });
    };
    // A single character between the brackets (`<x>`, `<c-->`, `<>>`).
    if chars.get(i + 1) == Some(&'>') {
        if first.is_control() {
            return Err(KeyParseError::ControlChar { code: first as u32 });
        }
        let k = with_shift(KeyCode::Char(first), mods)?;
        return Ok((k, i + 2));
    }
    if first == '>' {
        return Err(KeyParseError::EmptyBracket { at: start + 1 });
    }
    // A name up to the closing '>'.
    let Some(len) = chars[i..].iter().position(|&c| c == '>') else {
        return Err(KeyParseError::Unclosed { at: start + 1 });
    };
    let name: String = chars[i..i + len].iter().collect();
    let lower = name.to_lowercase();
    let code = if let Some((_, code)) = NAMES.iter().find(|(n, _)| *n == lower) {
        *code
    } else if let Some(n) = lower
        .strip_prefix('f')
        .filter(|d| {
            !d.is_empty()
                && d.len() <= 2
                && d.bytes().all(|b| b.is_ascii_digit())
                && !d.starts_with('0')
        })
        .and_then(|d| d.parse::<u8>().ok())
        .filter(|n| (1..=MAX_F).contains(n))
    {
        KeyCode::F(n)
    } else {
        return Err(KeyParseError::UnknownKey {
            name: chars[start + 1..i + len].iter().collect(),
        });
    };
    Ok((with_shift(code, mods)?, i + len + 1))
}

/// Applies the Shift rules of the notation, then normalises.
fn with_shift(code: KeyCode, mods: KeyModifiers) -> Result<KeyEvent, KeyParseError> {
    if let KeyCode::Char(c) = code
        && mods.contains(KeyModifiers::SHIFT)
        && !has_case(c)
    {
        return Err(KeyParseError::ShiftedSymbol { ch: c });
    }
    // Every code a parser produces is one `normalize` keeps.
    Ok(normalize(KeyEvent::new(code, mods)).unwrap_or_else(|| KeyEvent::new(code, mods)))
}

/// Whether the character has a distinct single-character capital or small form.
fn has_case(c: char) -> bool {
    single_upper(c).is_some_and(|u| u != c) || single_lower(c).is_some_and(|l| l != c)
}

fn single_upper(c: char) -> Option<char> {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    }
}

fn single_lower(c: char) -> Option<char> {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => Some(l),
        _ => None,
    }
}

/// The canonical form of a key event for matching, or `None` when the event is not a key press
/// koppel reacts to (a release, a lone modifier, a lock or media key, `Null`).
///
/// Canonical: kind `Press`, empty state; Meta folded into Alt and Hyper into Super; a character
/// never carries SHIFT (a shifted lowercase letter becomes its capital); Shift+Tab is
/// `BackTab` without SHIFT. Normalising twice gives the same event.
pub fn normalize(key: KeyEvent) -> Option<KeyEvent> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let mut mods = key.modifiers;
    if mods.contains(KeyModifiers::META) {
        mods.remove(KeyModifiers::META);
        mods.insert(KeyModifiers::ALT);
    }
    if mods.contains(KeyModifiers::HYPER) {
        mods.remove(KeyModifiers::HYPER);
        mods.insert(KeyModifiers::SUPER);
    }
    let code = match key.code {
        KeyCode::Char(c) => {
            if c.is_control() {
                return None;
            }
            if mods.contains(KeyModifiers::SHIFT) {
                mods.remove(KeyModifiers::SHIFT);
                match single_upper(c) {
                    Some(u) => KeyCode::Char(u),
                    None => KeyCode::Char(c),
                }
            } else {
                KeyCode::Char(c)
            }
        }
        KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        KeyCode::BackTab => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        KeyCode::F(0) => return None,
        KeyCode::F(n) if n > MAX_F => return None,
        c @ (KeyCode::Backspace
        | KeyCode::Enter
        | KeyCode::Left
        | KeyCode::Right
        | KeyCode::Up
        | KeyCode::Down
        | KeyCode::Home
        | KeyCode::End
        | KeyCode::PageUp
        | KeyCode::PageDown
        | KeyCode::Tab
        | KeyCode::Delete
        | KeyCode::Insert
        | KeyCode::F(_)
        | KeyCode::Esc
        | KeyCode::PrintScreen
        | KeyCode::Pause
        | KeyCode::Menu
        | KeyCode::KeypadBegin) => c,
        KeyCode::Null
        | KeyCode::CapsLock
        | KeyCode::ScrollLock
        | KeyCode::NumLock
        | KeyCode::Media(_)
        | KeyCode::Modifier(_) => return None,
    };
    Some(KeyEvent::new_with_kind_and_state(
        code,
        mods,
        KeyEventKind::Press,
        KeyEventState::NONE,
    ))
}

/// Whether two events are the same key press for a keymap (both normalised; releases never
/// match anything).
pub fn same_key(a: &KeyEvent, b: &KeyEvent) -> bool {
    match (normalize(*a), normalize(*b)) {
        (Some(a), Some(b)) => a.code == b.code && a.modifiers == b.modifiers,
        _ => false,
    }
}

/// Whether the key would type a character into a text field: a character with no modifier
/// other than Shift. Bindings of the `global` context may not be printable.
pub fn is_printable(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_)) && (key.modifiers - KeyModifiers::SHIFT).is_empty()
}

/// The key in notation, such that `parse_keys(&format_notation(k))` gives `k` back for every
/// normalised `k`.
pub fn format_notation(key: &KeyEvent) -> String {
    let key = normalize(*key).unwrap_or(*key);
    let mut mods = key.modifiers;
    let name: String = match key.code {
        KeyCode::Char(c) if mods.is_empty() && c != '<' && c != ' ' => return c.to_string(),
        KeyCode::Char('<') => "lt".into(),
        KeyCode::Char(' ') => "space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::BackTab => {
            mods.insert(KeyModifiers::SHIFT);
            "tab".into()
        }
        KeyCode::F(n) => format!("f{n}"),
        other => match NAMES.iter().find(|(_, c)| *c == other) {
            Some((n, _)) => (*n).into(),
            None => format!("{other:?}").to_lowercase(),
        },
    };
    let mut s = String::from("<");
    for (m, p) in [
        (KeyModifiers::CONTROL, "c-"),
        (KeyModifiers::ALT, "a-"),
        (KeyModifiers::SUPER, "d-"),
        (KeyModifiers::SHIFT, "s-"),
    ] {
        if mods.contains(m) {
            s.push_str(p);
        }
    }
    s.push_str(&name);
    s.push('>');
    s
}

/// A sequence in notation (`"gg"`, `"<c-x><c-s>"`).
pub fn format_notation_seq(keys: &[KeyEvent]) -> String {
    keys.iter().map(format_notation).collect()
}

/// The key as people read it: `Ctrl+S`, `Shift+Tab`, `F1`, `Tab`, `↑`, `PgDn`, `q`, `Space`.
pub fn format_key(key: &KeyEvent) -> String {
    let key = normalize(*key).unwrap_or(*key);
    let mut mods = key.modifiers;
    let name: String = match key.code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) if mods.is_empty() => c.to_string(),
        KeyCode::Char(c) => {
            // With a modifier, letters show as capitals; a capital means Shift was held.
            if single_lower(c).is_some_and(|l| l != c) {
                mods.insert(KeyModifiers::SHIFT);
            }
            single_upper(c).unwrap_or(c).to_string()
        }
        KeyCode::BackTab => {
            mods.insert(KeyModifiers::SHIFT);
            "Tab".into()
        }
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    };
    let mut s = String::new();
    for (m, p) in [
        (KeyModifiers::CONTROL, "Ctrl+"),
        (KeyModifiers::ALT, "Alt+"),
        (KeyModifiers::SUPER, "Super+"),
        (KeyModifiers::SHIFT, "Shift+"),
    ] {
        if mods.contains(m) {
            s.push_str(p);
        }
    }
    s.push_str(&name);
    s
}

/// A sequence as people read it: `gg` when every key is a plain character, otherwise the keys
/// separated by spaces (`Ctrl+X Ctrl+S`).
pub fn format_keys(keys: &[KeyEvent]) -> String {
    let plain = keys.iter().all(|k| {
        let k = normalize(*k).unwrap_or(*k);
        matches!(k.code, KeyCode::Char(c) if c != ' ') && k.modifiers.is_empty()
    });
    let mut s = String::new();
    for (i, k) in keys.iter().enumerate() {
        if i > 0 && !plain {
            s.push(' ');
        }
        let _ = write!(s, "{}", format_key(k));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    /// Strict comparison (crossterm's own `==` already folds case).
    fn fields(k: &KeyEvent) -> (KeyCode, KeyModifiers, KeyEventKind, KeyEventState) {
        (k.code, k.modifiers, k.kind, k.state)
    }

    #[test]
    fn parses_the_notation_of_the_brief() {
        let keys = parse_keys("i<tab>Jansen<c-s>").unwrap();
        assert_eq!(keys.len(), 9);
        assert_eq!(
            fields(&keys[0]),
            fields(&k(KeyCode::Char('i'), KeyModifiers::NONE))
        );
        assert_eq!(keys[1].code, KeyCode::Tab);
        assert_eq!(keys[2].code, KeyCode::Char('J'));
        assert_eq!(keys[2].modifiers, KeyModifiers::NONE);
        assert_eq!(
            fields(&keys[8]),
            fields(&k(KeyCode::Char('s'), KeyModifiers::CONTROL))
        );

        let one = |s: &str| parse_key(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(one("<s-tab>").code, KeyCode::BackTab);
        assert_eq!(one("<s-tab>").modifiers, KeyModifiers::NONE);
        assert_eq!(
            fields(&one("<a-x>")),
            fields(&k(KeyCode::Char('x'), KeyModifiers::ALT))
        );
        assert_eq!(one("<f1>").code, KeyCode::F(1));
        assert_eq!(one("<F12>").code, KeyCode::F(12));
        assert_eq!(one("<lt>").code, KeyCode::Char('<'));
        assert_eq!(one("<space>").code, KeyCode::Char(' '));
        assert_eq!(one(" ").code, KeyCode::Char(' '));
        assert_eq!(one("<Esc>").code, KeyCode::Esc);
        assert_eq!(one("<CR>").code, KeyCode::Enter);
        assert_eq!(one("<pagedown>").code, KeyCode::PageDown);
        assert_eq!(one("<pgup>").code, KeyCode::PageUp);
        assert_eq!(one("<C-S>").code, KeyCode::Char('S'));
        assert_eq!(
            fields(&one("<c-->")),
            fields(&k(KeyCode::Char('-'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            fields(&one("<c->>")),
            fields(&k(KeyCode::Char('>'), KeyModifiers::CONTROL))
        );
        assert_eq!(one("<>>").code, KeyCode::Char('>'));
        assert_eq!(one("<s-g>").code, KeyCode::Char('G'));
        assert_eq!(one("<c-s-tab>").code, KeyCode::BackTab);
        assert_eq!(one("<c-s-tab>").modifiers, KeyModifiers::CONTROL);
        assert_eq!(one("<s-up>").modifiers, KeyModifiers::SHIFT);
        assert_eq!(parse_keys("<c-x><c-s>").unwrap().len(), 2);
        assert_eq!(parse_keys("gg").unwrap().len(), 2);
        assert!(parse_keys("").unwrap().is_empty());
    }

    #[test]
    fn refuses_bad_notation_with_a_reason() {
        assert_eq!(parse_keys("a<tab"), Err(KeyParseError::Unclosed { at: 2 }));
        assert_eq!(parse_keys("<"), Err(KeyParseError::Unclosed { at: 1 }));
        assert_eq!(parse_keys("<c-"), Err(KeyParseError::Unclosed { at: 1 }));
        assert_eq!(parse_keys("<>"), Err(KeyParseError::EmptyBracket { at: 1 }));
        assert_eq!(
            parse_keys("<ctrl-s>"),
            Err(KeyParseError::UnknownKey {
                name: "ctrl-s".into()
            })
        );
        assert_eq!(
            parse_keys("<f0>"),
            Err(KeyParseError::UnknownKey { name: "f0".into() })
        );
        assert_eq!(
            parse_keys("<f25>"),
            Err(KeyParseError::UnknownKey { name: "f25".into() })
        );
        assert_eq!(
            parse_keys("<s-1>"),
            Err(KeyParseError::ShiftedSymbol { ch: '1' })
        );
        assert_eq!(
            parse_keys("a\tb"),
            Err(KeyParseError::ControlChar { code: 9 })
        );
        for e in [
            parse_keys("<x").unwrap_err(),
            parse_keys("<nope>").unwrap_err(),
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn a_capital_matches_however_the_terminal_reports_shift() {
        let keymap_g = parse_key("G").unwrap();
        for real in [
            k(KeyCode::Char('G'), KeyModifiers::SHIFT),
            k(KeyCode::Char('G'), KeyModifiers::NONE),
            k(KeyCode::Char('g'), KeyModifiers::SHIFT),
        ] {
            assert!(same_key(&keymap_g, &real), "{real:?}");
            assert_eq!(fields(&normalize(real).unwrap()), fields(&keymap_g));
        }
        assert!(!same_key(
            &keymap_g,
            &k(KeyCode::Char('g'), KeyModifiers::NONE)
        ));
        // Kitty reports `?` with SHIFT.
        assert!(same_key(
            &parse_key("?").unwrap(),
            &k(KeyCode::Char('?'), KeyModifiers::SHIFT)
        ));
        // Shift+Tab as BackTab with SHIFT, BackTab alone, or Tab with SHIFT.
        let backtab = parse_key("<s-tab>").unwrap();
        for real in [
            k(KeyCode::BackTab, KeyModifiers::SHIFT),
            k(KeyCode::BackTab, KeyModifiers::NONE),
            k(KeyCode::Tab, KeyModifiers::SHIFT),
        ] {
            assert!(same_key(&backtab, &real), "{real:?}");
        }
        // Meta is Alt.
        assert!(same_key(
            &parse_key("<a-x>").unwrap(),
            &k(KeyCode::Char('x'), KeyModifiers::META)
        ));
    }

    #[test]
    fn releases_and_lone_modifiers_are_not_presses() {
        let release = KeyEvent::new_with_kind(
            KeyCode::Char('q'),
            KeyModifiers::NONE,
            KeyEventKind::Release,
        );
        assert_eq!(normalize(release), None);
        assert!(!same_key(&release, &parse_key("q").unwrap()));
        let repeat =
            KeyEvent::new_with_kind(KeyCode::Down, KeyModifiers::NONE, KeyEventKind::Repeat);
        assert_eq!(normalize(repeat).map(|k| k.kind), Some(KeyEventKind::Press));
        assert_eq!(normalize(k(KeyCode::CapsLock, KeyModifiers::NONE)), None);
        assert_eq!(normalize(k(KeyCode::Null, KeyModifiers::NONE)), None);
        let keypad = KeyEvent::new_with_kind_and_state(
            KeyCode::Enter,
            KeyModifiers::NONE,
            KeyEventKind::Press,
            KeyEventState::KEYPAD,
        );
        assert!(same_key(&keypad, &parse_key("<enter>").unwrap()));
    }

    #[test]
    fn displays_keys_as_people_read_them() {
        let show = |s: &str| format_keys(&parse_keys(s).unwrap());
        assert_eq!(show("<c-s>"), "Ctrl+S");
        assert_eq!(show("<c-S>"), "Ctrl+Shift+S");
        assert_eq!(show("<s-tab>"), "Shift+Tab");
        assert_eq!(show("<tab>"), "Tab");
        assert_eq!(show("<f1>"), "F1");
        assert_eq!(show("<up>"), "↑");
        assert_eq!(show("<pagedown>"), "PgDn");
        assert_eq!(show("q"), "q");
        assert_eq!(show("G"), "G");
        assert_eq!(show("<a-x>"), "Alt+X");
        assert_eq!(show("<space>"), "Space");
        assert_eq!(show("gg"), "gg");
        assert_eq!(show("<c-x><c-s>"), "Ctrl+X Ctrl+S");
        assert_eq!(show("g<tab>"), "g Tab");
    }

    #[test]
    fn notation_is_written_back() {
        for s in [
            "q",
            "G",
            "<c-s>",
            "<s-tab>",
            "<c-s-tab>",
            "<lt>",
            "<space>",
            "<f12>",
            "<c-->",
            "<a-X>",
            "<pagedown>",
            ">",
        ] {
            let keys = parse_keys(s).unwrap();
            assert_eq!(format_notation_seq(&keys), s, "{s}");
        }
    }

    #[test]
    fn printable_keys_are_those_that_type_text() {
        assert!(is_printable(&parse_key("q").unwrap()));
        assert!(is_printable(&parse_key("G").unwrap()));
        assert!(is_printable(&parse_key("<space>").unwrap()));
        assert!(!is_printable(&parse_key("<c-s>").unwrap()));
        assert!(!is_printable(&parse_key("<a-x>").unwrap()));
        assert!(!is_printable(&parse_key("<f1>").unwrap()));
    }

    fn any_code() -> impl Strategy<Value = KeyCode> {
        prop_oneof![
            any::<char>().prop_map(KeyCode::Char),
            (0u8..30).prop_map(KeyCode::F),
            prop::sample::select(vec![
                KeyCode::Backspace,
                KeyCode::Enter,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Delete,
                KeyCode::Insert,
                KeyCode::Esc,
                KeyCode::Null,
                KeyCode::CapsLock,
                KeyCode::Menu,
                KeyCode::Pause,
                KeyCode::PrintScreen,
                KeyCode::KeypadBegin,
            ]),
        ]
    }

    fn any_key() -> impl Strategy<Value = KeyEvent> {
        (any_code(), 0u8..64, 0u8..3).prop_map(|(code, bits, kind)| {
            let kind = [
                KeyEventKind::Press,
                KeyEventKind::Repeat,
                KeyEventKind::Release,
            ][kind as usize];
            KeyEvent::new_with_kind(code, KeyModifiers::from_bits_truncate(bits), kind)
        })
    }

    proptest! {
        #[test]
        fn notation_round_trips(key in any_key()) {
            if let Some(n) = normalize(key) {
                let text = format_notation(&n);
                let back = parse_keys(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
                prop_assert_eq!(back.len(), 1, "{}", text);
                prop_assert_eq!(fields(&back[0]), fields(&n), "{}", text);
                prop_assert_eq!(normalize(n).map(|k| fields(&k)), Some(fields(&n)));
                prop_assert!(!format_key(&n).is_empty());
            }
        }

        #[test]
        fn parsing_never_panics_and_gives_normal_keys(s in ".{0,40}") {
            if let Ok(keys) = parse_keys(&s) {
                for k in keys {
                    prop_assert_eq!(normalize(k).map(|n| fields(&n)), Some(fields(&k)));
                    let text = format_notation(&k);
                    prop_assert_eq!(parse_keys(&text).map(|v| v.iter().map(fields).collect::<Vec<_>>()), Ok(vec![fields(&k)]));
                }
            }
        }

        #[test]
        fn bracketed_garbage_never_panics(s in "(<[a-z0-9<>-]{0,6}>?){0,4}") {
            let _ = parse_keys(&s);
        }
    }
}
