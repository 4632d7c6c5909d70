//! Key notation (`<c-s>`, `gg`, `<lt>`) as keymap files write it. What parses is printed back
//! in notation, and that parses again to the same keys.
#![no_main]

use koppel::ui::keys::{format_notation_seq, parse_keys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(keys) = parse_keys(text) {
        let printed = format_notation_seq(&keys);
        let again = parse_keys(&printed).expect("printed notation parses");
        assert_eq!(again, keys, "{text:?} printed as {printed:?}");
    }
});
