//! Dates as people type them in a form or a CSV file (`27-11-2026`, `27/11/26` …); a date that
//! parses is printed as koppel shows dates and parses again to the same day.
#![no_main]

use koppel::domain::dates::parse_date;
use koppel::domain::format_date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = parse_date(text) {
        let shown = format_date(date);
        assert_eq!(parse_date(&shown), Ok(date), "{text:?} shown as {shown:?}");
    }
});
