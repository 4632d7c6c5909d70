//! Keymap files (`--keymap FILE`, the user's keymap.toml): read alone and merged on the
//! shipped keymap; every mistake is an error naming its line, never a panic.
#![no_main]

use koppel::ui::keymap::Keymap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Keymap::from_toml("fuzz", "fuzz.toml", src);
    let mut keymap = Keymap::default();
    let _ = keymap.merge_toml("fuzz.toml", src);
});
