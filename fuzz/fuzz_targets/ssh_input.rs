//! Bytes from an SSH client's terminal (keys, escape sequences, mouse reports, bracketed
//! paste), cut into packets at arbitrary points, as a hostile or broken client may send them:
//! the parser never panics, and a packet never yields more events than it has bytes.
#![no_main]

use koppel::server::input::Parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    // Packet lengths from the first byte: 1..=16 bytes, or the whole input at once.
    let size = if cut == 0 { bytes.len().max(1) } else { usize::from(cut % 16) + 1 };
    let mut parser = Parser::default();
    for packet in bytes.chunks(size) {
        let events = parser.feed(packet);
        assert!(events.len() <= packet.len(), "{} events from {packet:?}", events.len());
    }
});
