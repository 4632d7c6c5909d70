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
    fn bsn_headers() {
        assert!(is_bsn_header("BSN"));
        assert!(is_bsn_header(" Burgerservicenummer "));
        assert!(is_bsn_header("sofi-nummer"));
        assert!(!is_bsn_header("Naam"));
    }
}
