//! Dutch phone numbers: stored as digits (`0787708500`), shown as staff write them
//! (`078 - 770 85 00`, `06 - 1234 5678`).

use crate::domain::Problem;

/// Two-digit area codes (after the 0); all other fixed-line area codes have three digits.
const SHORT_AREA: [&str; 30] = [
    "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45", "46",
    "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
];

/// Parses a phone number and returns its digits. Dutch numbers have ten digits starting with 0;
/// `+31` and `0031` are turned into a leading 0; other international numbers (`+32 …`) are kept
/// with their `+`.
pub fn parse_phone(input: &str) -> Result<String, Problem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Problem::Required);
    }
    if !trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+' | '.'))
    {
        return Err(Problem::Phone);
    }
    let plus = trimmed.starts_with('+');
    if trimmed[1..].contains('+') {
        return Err(Problem::Phone);
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        Some(digits.clone())
    } else {
        digits.strip_prefix("00").map(str::to_string)
    };
    match international {
        Some(rest) if rest.starts_with("31") => {
            let national = format!("0{}", rest[2..].trim_start_matches('0'));
            check_national(&national)
        }
        Some(rest) => {
            if (8..=15).contains(&rest.len()) {
                Ok(format!("+{rest}"))
            } else {
                Err(Problem::Phone)
            }
        }
        None => check_national(&digits),
    }
}

fn check_national(digits: &str) -> Result<String, Problem> {
    if digits.len() == 10 && digits.starts_with('0') && !digits.starts_with("00") {
        Ok(digits.to_string())
    } else {
        Err(Problem::Phone)
    }
}

/// Shows stored digits the way staff write them: `078 - 770 85 00`, `0184 - 41 23 45`,
/// `06 - 1234 5678`. International numbers are shown as stored.
pub fn format_phone(digits: &str) -> String {
    if digits.len() != 10 || !digits.starts_with('0') {
        return digits.to_string();
    }
    let area_len = if digits.starts_with("06") {
        2
    } else if SHORT_AREA.contains(&&digits[1..3]) {
        3
    } else {
        4
    };
    let (area, rest) = digits.split_at(area_len);
    let grouped = match rest.len() {
        8 => format!("{} {}", &rest[..4], &rest[4..]),
        7 => format!("{} {} {}", &rest[..3], &rest[3..5], &rest[5..]),
        6 => format!("{} {} {}", &rest[..2], &rest[2..4], &rest[4..]),
        _ => rest.to_string(),
    };
    format!("{area} - {grouped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_dutch_numbers() {
        let d = parse_phone("078 - 770 85 00").unwrap();
        assert_eq!(d, "0787708500");
        assert_eq!(format_phone(&d), "078 - 770 85 00");
        assert_eq!(parse_phone("+31 6 12345678").unwrap(), "0612345678");
        assert_eq!(parse_phone("0031 (0)78 7708500").unwrap(), "0787708500");
        assert_eq!(format_phone("0612345678"), "06 - 1234 5678");
        assert_eq!(format_phone("0184412345"), "0184 - 41 23 45");
        assert_eq!(parse_phone("+32 2 123 45 67").unwrap(), "+3221234567");
    }

    #[test]
    fn rejects_what_cannot_be_dialled() {
        assert_eq!(parse_phone("  "), Err(Problem::Required));
        for bad in [
            "12345",
            "078-770850",
            "078 770 85 00 1",
            "bel me",
            "06-1234567a",
            "0+6123456789",
        ] {
            assert_eq!(parse_phone(bad), Err(Problem::Phone), "{bad}");
        }
    }
}
