//! Dutch postcodes as people type them; what is accepted is in the standard form `1234 AB`,
//! which is accepted again as itself.
#![no_main]

use koppel::domain::postcode::parse_postcode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = parse_postcode(text) {
        assert_eq!(
            parse_postcode(&code).as_deref(),
            Ok(code.as_str()),
            "{text:?}"
        );
    }
});
