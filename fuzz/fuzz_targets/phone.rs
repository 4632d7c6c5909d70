//! Phone numbers as people type them; what is accepted is in its standard form, which is
//! accepted again as itself.
#![no_main]

use koppel::domain::phone::parse_phone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(number) = parse_phone(text) {
        assert_eq!(
            parse_phone(&number).as_deref(),
            Ok(number.as_str()),
            "{text:?}"
        );
    }
});
