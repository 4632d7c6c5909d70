//! The configuration file (config.toml / KOPPEL_CONFIG).
#![no_main]

use koppel::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Config::parse(text);
    }
});
