//! Dutch postcodes: four digits (not starting with 0) and two letters, shown as `3311 AB`.

use crate::domain::Problem;

/// Parses a postcode typed in any common way (`3311ab`, `3311 AB`, ` 3311  ab`) and returns it
/// in the standard form `3311 AB`.
pub fn parse_postcode(input: &str) -> Result<String, Problem> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(Problem::Required);
    }
    let bytes = compact.as_bytes();
    if bytes.len() != 6
        || !bytes[..4].iter().all(u8::is_ascii_digit)
        || bytes[0] == b'0'
        || !bytes[4..].iter().all(u8::is_ascii_alphabetic)
    {
        return Err(Problem::Postcode);
    }
    let letters = compact[4..].to_ascii_uppercase();
    // PostNL never issues SA, SD and SS.
    if matches!(letters.as_str(), "SA" | "SD" | "SS") {
        return Err(Problem::Postcode);
    }
    Ok(format!("{} {}", &compact[..4], letters))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        assert_eq!(parse_postcode("3311AB").as_deref(), Ok("3311 AB"));
        assert_eq!(parse_postcode(" 3311 ab ").as_deref(), Ok("3311 AB"));
        assert_eq!(parse_postcode("4201  hk").as_deref(), Ok("4201 HK"));
    }

    #[test]
    fn rejects_what_is_not_a_postcode() {
        assert_eq!(parse_postcode(""), Err(Problem::Required));
        for bad in [
            "0311 AB", "331 AB", "3311 A", "3311 A1", "ABCD EF", "3311 SS", "33111 AB", "3311 ÄB",
        ] {
            assert_eq!(parse_postcode(bad), Err(Problem::Postcode), "{bad}");
        }
    }
}
