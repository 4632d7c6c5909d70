//! Reporting periods: an ISO week (Monday to Sunday), a calendar month, a quarter, a year or
//! any range of days. Pure date arithmetic with the `time` crate; words for people come from
//! the catalogs (the report module names a period with [`Period::label`] and its dates).
//!
//! ISO weeks belong to the year that holds their Thursday: 2026 has 53 weeks (2026-W53 runs
//! from 28-12-2026 to 03-01-2027), 2027-W01 starts on 04-01-2027, and 2025 has only 52.

use super::dates::format_date;
use time::{Date, Duration, Month, Weekday};

/// How long a period is: what "the next one" and "the previous one" mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
    Year,
    Range,
}

impl PeriodKind {
    /// Stable name (`week`, `month`, `quarter`, `year`, `range`): the JSON report's
    /// `period.kind` and the catalog keys `report.kind.<name>`.
    pub fn key(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
            PeriodKind::Range => "range",
        }
    }

    /// The next of week → month → quarter → year → week (the screen's switch key).
    pub fn cycle(self) -> PeriodKind {
        match self {
            PeriodKind::Week => PeriodKind::Month,
            PeriodKind::Month => PeriodKind::Quarter,
            PeriodKind::Quarter => PeriodKind::Year,
            PeriodKind::Year | PeriodKind::Range => PeriodKind::Week,
        }
    }
}

/// A reporting period. Both ends are included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// ISO week `week` of ISO year `year` (exists: see [`Period::week`]).
    Week {
        year: i32,
        week: u8,
    },
    Month {
        year: i32,
        month: Month,
    },
    /// Quarter 1–4.
    Quarter {
        year: i32,
        quarter: u8,
    },
    Year(i32),
    /// Any days, `from` ≤ `to`.
    Range {
        from: Date,
        to: Date,
    },
}

/// Why a period cannot be made from what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// Not written as the kind expects (`2026-W48`, `2026-11`, `2026-Q4`, `2026`, a date).
    Format { kind: PeriodKind, input: String },
    /// The year has no such week (2026 has 53, 2025 has 52).
    NoSuchWeek { year: i32, week: u8, weeks: u8 },
    /// The range ends before it begins.
    FromAfterTo { from: Date, to: Date },
}

/// Earliest and latest year koppel reports on: far enough for any real centre, and every date
/// arithmetic around them stays inside `time`'s range.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9998;

impl Period {
    /// ISO week `week` of `year`, if the year has it.
    pub fn week(year: i32, week: u8) -> Result<Period, PeriodError> {
        let weeks = weeks_in_year(year);
        if !YEARS.contains(&year) || week == 0 || week > weeks {
            return Err(PeriodError::NoSuchWeek { year, week, weeks });
        }
        Ok(Period::Week { year, week })
    }

    /// The period of `kind` that holds `day` (a range becomes that day's week).
    pub fn containing(kind: PeriodKind, day: Date) -> Period {
        let year = day.year();
        match kind {
            PeriodKind::Week | PeriodKind::Range => {
                let (year, week, _) = day.to_iso_week_date();
                Period::Week { year, week }
            }
            PeriodKind::Month => Period::Month {
                year,
                month: day.month(),
            },
            PeriodKind::Quarter => Period::Quarter {
                year,
                quarter: (u8::from(day.month()) - 1) / 3 + 1,
            },
            PeriodKind::Year => Period::Year(year),
        }
    }

    /// The last week that ended before `today`: on a Monday, the week before (what a report
    /// run from cron on Monday morning covers).
    pub fn last_completed_week(today: Date) -> Period {
        Period::containing(PeriodKind::Week, today).previous()
    }

    pub fn kind(self) -> PeriodKind {
        match self {
            Period::Week { .. } => PeriodKind::Week,
            Period::Month { .. } => PeriodKind::Month,
            Period::Quarter { .. } => PeriodKind::Quarter,
            Period::Year(_) => PeriodKind::Year,
            Period::Range { .. } => PeriodKind::Range,
        }
    }

    /// First day.
    pub fn from(self) -> Date {
        match self {
            Period::Week { year, week } => {
                Date::from_iso_week_date(year, week, Weekday::Monday).unwrap_or(Date::MIN)
            }
            Period::Month { year, month } => first(year, month),
            Period::Quarter { year, quarter } => first(year, quarter_month(quarter)),
            Period::Year(year) => first(year, Month::January),
            Period::Range { from, .. } => from,
        }
    }

    /// Last day (included).
    pub fn to(self) -> Date {
        match self {
            Period::Range { to, .. } => to,
            Period::Week { .. } => self.from() + Duration::days(6),
            _ => self.next().from().previous_day().unwrap_or(Date::MAX),
        }
    }

    /// Whether `day` lies in the period.
    pub fn contains(self, day: Date) -> bool {
        self.from() <= day && day <= self.to()
    }

    /// Number of days.
    pub fn days(self) -> i64 {
        (self.to() - self.from()).whole_days() + 1
    }

    /// The period of the same kind just after this one (a range: as many days).
    pub fn next(self) -> Period {
        match self {
            Period::Week { .. } => {
                let after = self.from() + Duration::days(7);
                Period::containing(PeriodKind::Week, after)
            }
            Period::Month { year, month } => match month {
                Month::December => Period::Month {
                    year: year + 1,
                    month: Month::January,
                },
                m => Period::Month {
                    year,
                    month: m.next(),
                },
            },
            Period::Quarter { year, quarter } if quarter >= 4 => Period::Quarter {
                year: year + 1,
                quarter: 1,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter + 1,
            },
            Period::Year(y) => Period::Year(y + 1),
            Period::Range { from, to } => {
                let len = Duration::days(self.days());
                Period::Range {
                    from: from.saturating_add(len),
                    to: to.saturating_add(len),
                }
            }
        }
    }

    /// The period of the same kind just before this one (a range: as many days).
    pub fn previous(self) -> Period {
        match self {
            Period::Week { .. } => {
                let before = self.from() - Duration::days(7);
                Period::containing(PeriodKind::Week, before)
            }
            Period::Month { year, month } => match month {
                Month::January => Period::Month {
                    year: year - 1,
                    month: Month::December,
                },
                m => Period::Month {
                    year,
                    month: m.previous(),
                },
            },
            Period::Quarter { year, quarter } if quarter <= 1 => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Year(y) => Period::Year(y - 1),
            Period::Range { from, to } => {
                let len = Duration::days(self.days());
                Period::Range {
                    from: from.saturating_sub(len),
                    to: to.saturating_sub(len),
                }
            }
        }
    }

    /// The start of the year this period's "year to date" counts from: the Monday of week 1
    /// for a week (a week report counts weeks 1 up to this one of its ISO year), else 1 January
    /// of the year the period ends in (a range that crosses a new year: its first day).
    pub fn year_start(self) -> Date {
        match self {
            Period::Week { year, .. } => {
                Date::from_iso_week_date(year, 1, Weekday::Monday).unwrap_or(Date::MIN)
            }
            Period::Range { from, to } => first(to.year(), Month::January).min(from),
            _ => first(self.to().year(), Month::January),
        }
    }

    /// A short, stable name that sorts well: `2026-W48`, `2026-11`, `2026-Q4`, `2026`,
    /// `2026-11-01..2026-11-15`. Used in file names and as the JSON report's `period.label`.
    pub fn label(self) -> String {
        match self {
            Period::Week { year, week } => format!("{year:04}-W{week:02}"),
            Period::Month { year, month } => format!("{year:04}-{:02}", u8::from(month)),
            Period::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
            Period::Year(y) => format!("{y:04}"),
            Period::Range { from, to } => format!("{}..{}", iso(from), iso(to)),
        }
    }

    /// `23-11-2026 – 29-11-2026`.
    pub fn dates(self) -> String {
        format!("{} – {}", format_date(self.from()), format_date(self.to()))
    }

    /// Parses `2026-W48` (also `2026w48`).
    pub fn parse_week(input: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::Format {
            kind: PeriodKind::Week,
            input: input.to_string(),
        };
        let s = input.trim().to_ascii_uppercase();
        let (y, w) = s.split_once('W').ok_or_else(bad)?;
        let y = y.strip_suffix('-').unwrap_or(y);
        let year = year_digits(y).ok_or_else(bad)?;
        if w.is_empty() || w.len() > 2 || !w.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let week: u8 = w.parse().map_err(|_| bad())?;
        Period::week(year, week)
    }

    /// Parses `2026-11`.
    pub fn parse_month(input: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::Format {
            kind: PeriodKind::Month,
            input: input.to_string(),
        };
        let (y, m) = input.trim().split_once('-').ok_or_else(bad)?;
        let year = year_digits(y).ok_or_else(bad)?;
        if m.is_empty() || m.len() > 2 || !m.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: u8 = m.parse().map_err(|_| bad())?;
        let month = Month::try_from(n).map_err(|_| bad())?;
        Ok(Period::Month { year, month })
    }

    /// Parses `2026-Q4` (also `2026q4`).
    pub fn parse_quarter(input: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::Format {
            kind: PeriodKind::Quarter,
            input: input.to_string(),
        };
        let s = input.trim().to_ascii_uppercase();
        let (y, q) = s.split_once('Q').ok_or_else(bad)?;
        let y = y.strip_suffix('-').unwrap_or(y);
        let year = year_digits(y).ok_or_else(bad)?;
        let quarter = match q {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            "4" => 4,
            _ => return Err(bad()),
        };
        Ok(Period::Quarter { year, quarter })
    }

    /// Parses `2026`.
    pub fn parse_year(input: &str) -> Result<Period, PeriodError> {
        year_digits(input.trim())
            .map(Period::Year)
            .ok_or_else(|| PeriodError::Format {
                kind: PeriodKind::Year,
                input: input.to_string(),
            })
    }

    /// A range of days from `from` to `to` (both included), each written `27-11-2026` or
    /// `2026-11-27`.
    pub fn parse_range(from: &str, to: &str) -> Result<Period, PeriodError> {
        let from = parse_day(from)?;
        let to = parse_day(to)?;
        if from > to {
            return Err(PeriodError::FromAfterTo { from, to });
        }
        Ok(Period::Range { from, to })
    }
}

/// A day as `27-11-2026` (how staff write it) or `2026-11-27` (how scripts do).
pub fn parse_day(input: &str) -> Result<Date, PeriodError> {
    let bad = || PeriodError::Format {
        kind: PeriodKind::Range,
        input: input.to_string(),
    };
    let s = input.trim();
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() == 3 && parts[0].len() == 4 {
        let year = year_digits(parts[0]).ok_or_else(bad)?;
        let month: u8 = parts[1].parse().map_err(|_| bad())?;
        let day: u8 = parts[2].parse().map_err(|_| bad())?;
        let month = Month::try_from(month).map_err(|_| bad())?;
        return Date::from_calendar_date(year, month, day).map_err(|_| bad());
    }
    super::dates::parse_date(s)
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
        .ok_or_else(bad)
}

/// Weeks in ISO year `year` (52 or 53).
pub fn weeks_in_year(year: i32) -> u8 {
    if YEARS.contains(&year) {
        time::util::weeks_in_year(year)
    } else {
        52
    }
}

fn year_digits(s: &str) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|y| YEARS.contains(y))
}

fn first(year: i32, month: Month) -> Date {
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN)
}

fn quarter_month(quarter: u8) -> Month {
    Month::try_from((quarter.clamp(1, 4) - 1) * 3 + 1).unwrap_or(Month::January)
}

/// `2026-11-27`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weeks_across_year_ends() {
        let w53 = Period::parse_week("2026-W53").unwrap();
        assert_eq!(w53.from(), date!(2026 - 12 - 28));
        assert_eq!(w53.to(), date!(2027 - 01 - 03));
        let w01 = w53.next();
        assert_eq!(w01.label(), "2027-W01");
        assert_eq!(w01.from(), date!(2027 - 01 - 04));
        assert_eq!(w01.previous(), w53);
        assert_eq!(
            Period::parse_week("2025-W53"),
            Err(PeriodError::NoSuchWeek {
                year: 2025,
                week: 53,
                weeks: 52
            })
        );
        assert_eq!(
            Period::parse_week("2026-W54"),
            Err(PeriodError::NoSuchWeek {
                year: 2026,
                week: 54,
                weeks: 53
            })
        );
        assert!(Period::parse_week("2026-W00").is_err());
        assert_eq!(
            Period::parse_week("2025-W52").unwrap().next().label(),
            "2026-W01"
        );
        assert_eq!(
            Period::parse_week("2026-W01").unwrap().previous().label(),
            "2025-W52"
        );
        // 1 January 2027 is in week 53 of 2026.
        assert_eq!(
            Period::containing(PeriodKind::Week, date!(2027 - 01 - 01)),
            w53
        );
    }

    #[test]
    fn the_last_completed_week_is_the_one_before_this_one() {
        // Monday 30 November 2026: week 48 has just ended.
        let p = Period::last_completed_week(date!(2026 - 11 - 30));
        assert_eq!(p.label(), "2026-W48");
        assert_eq!(p.from(), date!(2026 - 11 - 23));
        assert_eq!(p.to(), date!(2026 - 11 - 29));
        // Sunday 29 November 2026: week 48 is not over yet.
        assert_eq!(
            Period::last_completed_week(date!(2026 - 11 - 29)).label(),
            "2026-W47"
        );
        assert_eq!(
            Period::last_completed_week(date!(2027 - 01 - 04)).label(),
            "2026-W53"
        );
    }

    #[test]
    fn months_quarters_and_years() {
        let feb = Period::parse_month("2028-02").unwrap();
        assert_eq!(feb.to(), date!(2028 - 02 - 29));
        assert_eq!(
            Period::parse_month("2026-12").unwrap().next().label(),
            "2027-01"
        );
        assert_eq!(
            Period::parse_month("2026-01").unwrap().previous().label(),
            "2025-12"
        );
        let q4 = Period::parse_quarter("2026-Q4").unwrap();
        assert_eq!(
            (q4.from(), q4.to()),
            (date!(2026 - 10 - 01), date!(2026 - 12 - 31))
        );
        assert_eq!(q4.next().label(), "2027-Q1");
        assert_eq!(q4.next().previous(), q4);
        let y = Period::parse_year("2026").unwrap();
        assert_eq!(
            (y.from(), y.to()),
            (date!(2026 - 01 - 01), date!(2026 - 12 - 31))
        );
        assert_eq!(y.year_start(), date!(2026 - 01 - 01));
        for bad in ["2026-13", "2026-0", "26-11", "2026/11", "2026-1x"] {
            assert!(Period::parse_month(bad).is_err(), "{bad}");
        }
        for bad in ["2026-Q5", "2026-Q0", "2026", "Q4"] {
            assert!(Period::parse_quarter(bad).is_err(), "{bad}");
        }
        assert!(Period::parse_year("twenty").is_err());
    }

    #[test]
    fn ranges_step_by_their_length_and_refuse_to_run_backwards() {
        let r = Period::parse_range("2026-11-01", "15-11-2026").unwrap();
        assert_eq!(r.days(), 15);
        assert_eq!(r.label(), "2026-11-01..2026-11-15");
        assert_eq!(r.previous().from(), date!(2026 - 10 - 17));
        assert_eq!(r.next().from(), date!(2026 - 11 - 16));
        assert_eq!(
            Period::parse_range("2026-11-15", "2026-11-01"),
            Err(PeriodError::FromAfterTo {
                from: date!(2026 - 11 - 15),
                to: date!(2026 - 11 - 01)
            })
        );
        assert!(Period::parse_range("2026-02-30", "2026-03-01").is_err());
    }

    #[test]
    fn year_to_date_of_a_week_starts_at_week_one() {
        let w53 = Period::parse_week("2026-W53").unwrap();
        assert_eq!(w53.year_start(), date!(2025 - 12 - 29));
        let jan = Period::parse_month("2027-01").unwrap();
        assert_eq!(jan.year_start(), date!(2027 - 01 - 01));
    }

    proptest::proptest! {
        /// Periods of every kind tile the calendar: the next one starts the day after this one
        /// ends, stepping back returns to the same period, and the period holds its own days.
        #[test]
        fn periods_tile_the_calendar(day in 0i64..40_000, k in 0usize..4, len in 0i64..400) {
            let d = date!(1950 - 01 - 01) + time::Duration::days(day);
            let kind = [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year][k];
            let to = d + time::Duration::days(len);
            for p in [Period::containing(kind, d), Period::Range { from: d, to }] {
                proptest::prop_assert!(p.contains(d) || p.kind() == PeriodKind::Range);
                proptest::prop_assert_eq!(p.next().from(), p.to().next_day().unwrap());
                proptest::prop_assert_eq!(p.next().previous(), p);
                proptest::prop_assert_eq!(p.previous().next(), p);
                proptest::prop_assert!(p.year_start() <= p.from());
                if p.kind() == PeriodKind::Week {
                    proptest::prop_assert_eq!(p.from().weekday(), Weekday::Monday);
                    proptest::prop_assert_eq!(p.days(), 7);
                    proptest::prop_assert_eq!(Period::parse_week(&p.label()), Ok(p));
                }
            }
        }
    }

    #[test]
    fn the_switch_cycles_through_the_four_lengths() {
        let mut k = PeriodKind::Week;
        let mut seen = vec![];
        for _ in 0..4 {
            seen.push(k.key());
            k = k.cycle();
        }
        assert_eq!(seen, ["week", "month", "quarter", "year"]);
        assert_eq!(k, PeriodKind::Week);
    }
}
