//! Dates as staff write them (`27-11-2026`) and ISO weeks (`2026-W48`, weeks start on Monday).

use crate::domain::Problem;
use time::{Date, Month, Weekday};

/// Parses `dd-mm-jjjj` (also `d-m-jjjj`, with `-`, `/` or `.` between the parts).
pub fn parse_date(input: &str) -> Result<Date, Problem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Problem::Required);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        || parts[0].len() > 2
        || parts[1].len() > 2
        || parts[2].len() != 4
    {
        return Err(Problem::DateFormat);
    }
    let day: u8 = parts[0].parse().map_err(|_| Problem::DateFormat)?;
    let month: u8 = parts[1].parse().map_err(|_| Problem::DateFormat)?;
    let year: i32 = parts[2].parse().map_err(|_| Problem::DateFormat)?;
    let month = Month::try_from(month).map_err(|_| Problem::DateInvalid)?;
    Date::from_calendar_date(year, month, day).map_err(|_| Problem::DateInvalid)
}

/// Formats a date as `dd-mm-jjjj`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:02}-{:02}-{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// The ISO year and week of a date.
pub fn iso_week(date: Date) -> (i32, u8) {
    let (year, week, _) = date.to_iso_week_date();
    (year, week)
}

/// The Monday that starts the given ISO week, if that week exists.
pub fn week_start(year: i32, week: u8) -> Option<Date> {
    Date::from_iso_week_date(year, week, Weekday::Monday).ok()
}

/// Parses `2026-W48` (also `2026W48` and `2026-w48`).
pub fn parse_iso_week(input: &str) -> Option<(i32, u8)> {
    let s = input.trim().to_ascii_uppercase();
    let (y, w) = s.split_once('W')?;
    let y = y.trim_end_matches('-');
    if y.len() != 4 || w.is_empty() || w.len() > 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let week: u8 = w.parse().ok()?;
    week_start(year, week).map(|_| (year, week))
}

/// Whole years between `birth` and `on` (the age on that day).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day()) {
        age -= 1;
    }
    age
}

/// The day `years` years after `today` (the 28th of February for a 29th of February that
/// year lacks).
pub fn years_ahead(today: Date, years: i32) -> Date {
    let year = today.year() + years;
    today
        .replace_year(year)
        .or_else(|_| today.replace_day(28).and_then(|d| d.replace_year(year)))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_dutch_dates() {
        assert_eq!(parse_date("27-11-2026"), Ok(date!(2026 - 11 - 27)));
        assert_eq!(parse_date(" 7-3-2026 "), Ok(date!(2026 - 03 - 07)));
        assert_eq!(parse_date("07/03/2026"), Ok(date!(2026 - 03 - 07)));
        assert_eq!(parse_date("29-02-2024"), Ok(date!(2024 - 02 - 29)));
    }

    #[test]
    fn rejects_bad_dates_with_the_right_problem() {
        assert_eq!(parse_date(""), Err(Problem::Required));
        assert_eq!(parse_date("2026-11-27"), Err(Problem::DateFormat));
        assert_eq!(parse_date("27-11-26"), Err(Problem::DateFormat));
        assert_eq!(parse_date("aa-bb-cccc"), Err(Problem::DateFormat));
        assert_eq!(parse_date("31-02-2026"), Err(Problem::DateInvalid));
        assert_eq!(parse_date("29-02-2026"), Err(Problem::DateInvalid));
        assert_eq!(parse_date("01-13-2026"), Err(Problem::DateInvalid));
        assert_eq!(parse_date("1-1-2026-"), Err(Problem::DateFormat));
    }

    #[test]
    fn formats_with_leading_zeros() {
        assert_eq!(format_date(date!(2026 - 03 - 07)), "07-03-2026");
    }

    #[test]
    fn iso_weeks_start_on_monday() {
        assert_eq!(iso_week(date!(2026 - 11 - 27)), (2026, 48));
        assert_eq!(iso_week(date!(2026 - 11 - 23)), (2026, 48));
        assert_eq!(iso_week(date!(2026 - 11 - 22)), (2026, 47));
        // 1 January 2027 is a Friday: it belongs to week 53 of 2026.
        assert_eq!(iso_week(date!(2027 - 01 - 01)), (2026, 53));
        assert_eq!(week_start(2026, 48), Some(date!(2026 - 11 - 23)));
        assert_eq!(parse_iso_week("2026-W48"), Some((2026, 48)));
        assert_eq!(parse_iso_week("2025-W53"), None);
        assert_eq!(parse_iso_week("2026-48"), None);
    }

    #[test]
    fn age_counts_birthdays() {
        let birth = date!(2000 - 06 - 15);
        assert_eq!(age_on(birth, date!(2027 - 06 - 14)), 26);
        assert_eq!(age_on(birth, date!(2027 - 06 - 15)), 27);
    }
}
