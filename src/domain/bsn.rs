//! The burgerservicenummer (BSN): the citizen service number koppel must never store. Import
//! uses [`looks_like_bsn`] to refuse a column of them.

/// Whether `value` is nine digits (spaces, dots and dashes ignored) that pass the eleven-test
/// of the BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not 0).
pub fn looks_like_bsn(value: &str) -> bool {
    let digits: Vec<u32> = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .map(|c| c.to_digit(10))
        .collect::<Option<Vec<u32>>>()
        .unwrap_or_default();
    if digits.len() != 9 {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let weight = if i == 8 { -1 } else { 9 - i as i64 };
            weight * i64::from(*d)
        })
        .sum();
    sum != 0 && sum % 11 == 0
}

/// The first number in free `text` that passes the eleven-test of the BSN, as written: nine
/// digits in a row, or nine digits in groups split by single spaces, dots or dashes
/// ("111 222 333", "1112.22.333"). A longer number (a phone number, an IBAN) is not one.
pub fn find_bsn(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // A run of digit groups joined by single separators, from `i`.
        let start = i;
        let mut end;
        let mut j = i;
        // Where each plain run of digits starts and ends, to test a nine-digit run alone.
        let mut runs = Vec::new();
        loop {
            let run_start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            runs.push((run_start, j));
            end = j;
            let joined = j + 1 < bytes.len()
                && matches!(bytes[j], b' ' | b'.' | b'-')
                && bytes[j + 1].is_ascii_digit();
            if !joined {
                break;
            }
            j += 1;
        }
        // ASCII only so far: the byte positions are character boundaries.
        let whole = &text[start..end];
        if looks_like_bsn(whole) {
            return Some(whole);
        }
        for (a, b) in runs {
            if b - a == 9 && looks_like_bsn(&text[a..b]) {
                return Some(&text[a..b]);
            }
        }
        i = end.max(i + 1);
    }
    None
}

/// Whether a column header names a BSN ("BSN", "burgerservicenummer", "sofinummer").
pub fn is_bsn_header(header: &str) -> bool {
    let h: String = header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    matches!(
        h.as_str(),
        "bsn" | "burgerservicenummer" | "sofinummer" | "sofinr" | "citizenservicenumber"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleven_test() {
        // 111222333: 9+8+7+12+10+8+9+6-3 = 66, a multiple of 11.
        assert!(looks_like_bsn("111222333"));
        assert!(looks_like_bsn("1112.22.333"));
        assert!(!looks_like_bsn("111222334"));
        assert!(!looks_like_bsn("000000000"));
        assert!(!looks_like_bsn("12345678"));
        assert!(!looks_like_bsn("0612345678"));
        assert!(!looks_like_bsn("abcdefghi"));
    }

    #[test]
    fn known_numbers() {
        // 123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14 x 11.
        assert!(looks_like_bsn("123456782"));
        // 123456789: 9+16+21+24+25+24+21+16-9 = 147, not a multiple of 11.
        assert!(!looks_like_bsn("123456789"));
        // 111222333 passes (see above); 999999990: 9*44 - 0 = 396 = 36 x 11.
        assert!(looks_like_bsn("999999990"));
        assert!(!looks_like_bsn("999999999"));
    }

    #[test]
    fn a_bsn_is_found_in_free_text_and_other_numbers_are_not() {
        assert_eq!(find_bsn("BSN 111222333, graag bellen"), Some("111222333"));
        assert_eq!(find_bsn("nummer: 111 222 333."), Some("111 222 333"));
        assert_eq!(find_bsn("1112.22.333"), Some("1112.22.333"));
        assert_eq!(find_bsn("x123456782y"), Some("123456782"));
        assert_eq!(find_bsn("bel 123456789"), None);
        // Phone numbers, dates, postcodes and amounts are not BSNs.
        assert_eq!(find_bsn("06-12345678 of 078 770 8500"), None);
        assert_eq!(find_bsn("geboren 05-04-1999, 3311 AB Dordrecht"), None);
        assert_eq!(find_bsn("NL91ABNA0417164300"), None);
        assert_eq!(find_bsn("1111222333"), None);
        assert_eq!(find_bsn("één twee drie"), None);
        assert_eq!(find_bsn(""), None);
    }

    #[test]
    fn bsn_headers() {
        assert!(is_bsn_header("BSN"));
        assert!(is_bsn_header(" Burgerservicenummer "));
        assert!(is_bsn_header("sofi-nummer"));
        assert!(!is_bsn_header("Naam"));
    }
}
