//! Bytes from an SSH client's terminal turned into key, mouse and paste events, by terminput's
//! parser (crossterm's own escape-sequence parser, usable on bytes from anywhere): arrows,
//! function keys, Alt combinations, the mouse, bracketed paste, and several keys in one
//! packet. A sequence cut between two packets is kept until the rest arrives.

use crossterm::event::Event;

/// The longest paste kept: a longer one is dropped (a flood, or more than any field holds).
pub const MAX_PENDING: usize = 256 * 1024;
/// The longest other escape sequence: real ones are a few dozen bytes.
const MAX_SEQUENCE: usize = 64;
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// One channel's input parser.
#[derive(Debug, Default)]
pub struct Parser {
    pending: Vec<u8>,
}

impl Parser {
    /// The events in `bytes` (with what was left over from before), in order. Bytes that are
    /// no event are skipped.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            self.pending.push(b);
            // A lone Esc with more bytes behind it starts a sequence (an arrow, Alt+key);
            // at the end of a packet it is the Esc key.
            let more = i + 1 < bytes.len();
            if self.pending == [0x1b] && more {
                continue;
            }
            // Inside a paste only its end is looked for, so a long one costs one pass.
            if self.pending.len() > PASTE_START.len() && self.pending.starts_with(PASTE_START) {
                if !self.pending.ends_with(PASTE_END) {
                    if self.pending.len() > MAX_PENDING {
                        self.pending.clear();
                    }
                    continue;
                }
            } else if self.pending.len() > MAX_SEQUENCE {
                self.pending.clear();
                continue;
            }
            match terminput::Event::parse_from(&self.pending) {
                Ok(Some(event)) => {
                    self.pending.clear();
                    if let Ok(event) = terminput_crossterm::to_crossterm(event) {
                        out.push(event);
                    }
                }
                Ok(None) => {}
                Err(_) => self.pending.clear(),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn keys(events: Vec<Event>) -> Vec<(KeyCode, KeyModifiers)> {
        events
            .into_iter()
            .filter_map(|e| match e {
                Event::Key(KeyEvent {
                    code, modifiers, ..
                }) => Some((code, modifiers)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn several_keys_in_one_packet_and_a_sequence_cut_in_two() {
        let mut p = Parser::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            keys(p.feed(b"ab\x1b[A\x1bOP\x1b[15~\r")),
            [
                (KeyCode::Char('a'), none),
                (KeyCode::Char('b'), none),
                (KeyCode::Up, none),
                (KeyCode::F(1), none),
                (KeyCode::F(5), none),
                (KeyCode::Enter, none),
            ]
        );
        assert!(p.feed(b"\x1b[").is_empty(), "half an arrow waits");
        assert_eq!(keys(p.feed(b"B")), [(KeyCode::Down, none)]);
        // Alt+x is Esc and x in one packet; Esc alone is the Esc key.
        assert_eq!(
            keys(p.feed(b"\x1bx")),
            [(KeyCode::Char('x'), KeyModifiers::ALT)]
        );
        assert_eq!(keys(p.feed(b"\x1b")), [(KeyCode::Esc, none)]);
        assert_eq!(
            keys(p.feed("é\x03".as_bytes())),
            [
                (KeyCode::Char('é'), none),
                (KeyCode::Char('c'), KeyModifiers::CONTROL)
            ]
        );
    }

    #[test]
    fn a_paste_arrives_whole_and_a_flood_is_bounded() {
        let mut p = Parser::default();
        let events = p.feed(b"\x1b[200~Jan\x1b[201~");
        assert_eq!(events, [Event::Paste("Jan".into())]);
        let mut p = Parser::default();
        let mut flood = b"\x1b[200~".to_vec();
        flood.extend(std::iter::repeat_n(b'x', MAX_PENDING + 10));
        // Too long to be a paste: dropped, and what came after it is typed text.
        let events = p.feed(&flood);
        assert!(events.iter().all(|e| !matches!(e, Event::Paste(_))));
        assert!(events.len() < 100, "{}", events.len());
        assert!(p.pending.len() <= MAX_PENDING);
        // An endless escape sequence is dropped too.
        let mut endless = b"\x1b[".to_vec();
        endless.extend(std::iter::repeat_n(b'1', 10_000));
        p.feed(&endless);
        assert!(p.pending.len() <= MAX_SEQUENCE);
        // After the flood, keys work again.
        assert_eq!(keys(p.feed(b"\x1bq")).len(), 1);
    }
}
