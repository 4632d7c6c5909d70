//! Retention: how long koppel keeps what identifies a person, per record kind, and when a
//! record's period has run out. The periods are configuration (`[retention]`, see
//! `config.rs`); which records are past them is worked out by `readmodel::retention`.
//!
//! - **people**: a person is kept while active and for `people_years` after the last thing
//!   the records show them doing (see `readmodel::retention` for what counts). Their
//!   placements, trajectories and thank-you activities go with them.
//! - **trajectories**: `trajectories_years` after closing, also while the person is still
//!   active (a new placement keeps the person, not an old case file).
//! - **contacts** (the contact log with organisations, which names the contact person):
//!   `contacts_years` after the contact's date.
//!
//! Knowledge notes, signals and targets are not about a person and have no period.

use super::activity::anniversary;
use time::Date;

/// The fewest and the most years a period may be.
pub const YEARS: std::ops::RangeInclusive<u8> = 1..=99;

/// The retention periods, in years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// After a person's last activity.
    pub people_years: u8,
    /// After a trajectory was closed.
    pub trajectories_years: u8,
    /// After a contact with an organisation.
    pub contacts_years: u8,
}

impl Default for Periods {
    /// Two years for people and closed trajectories, five for contacts.
    fn default() -> Self {
        Periods {
            people_years: 2,
            trajectories_years: 2,
            contacts_years: 5,
        }
    }
}

/// The day a period of `years` that started on `from` has run out: the record may be kept
/// until the day before. (28 February for a start on 29 February in a year that has none.)
pub fn ends(from: Date, years: u8) -> Date {
    anniversary(from, years)
}

/// Whether a period of `years` that started on `from` has run out on `today`.
pub fn past(from: Date, years: u8, today: Date) -> bool {
    today >= ends(from, years)
}

/// What the last activity of a person was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LastActivity {
    Intake,
    Change,
    Placement,
    Trajectory,
    Thanks,
}

impl LastActivity {
    /// The catalog key's last part (`retention.last_<key>`) and the JSON name.
    pub fn key(self) -> &'static str {
        match self {
            LastActivity::Intake => "intake",
            LastActivity::Change => "change",
            LastActivity::Placement => "placement",
            LastActivity::Trajectory => "trajectory",
            LastActivity::Thanks => "thanks",
        }
    }
}

/// Why a record is past its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A person inactive since `since` (their last activity was `last`).
    Inactive {
        since: Date,
        last: LastActivity,
        years: u8,
    },
    /// A trajectory closed on `on`.
    Closed { on: Date, years: u8 },
    /// A contact dated `on`.
    Dated { on: Date, years: u8 },
}

impl Reason {
    /// The day the period started.
    pub fn from(self) -> Date {
        match self {
            Reason::Inactive { since, .. } => since,
            Reason::Closed { on, .. } | Reason::Dated { on, .. } => on,
        }
    }

    /// The period in years.
    pub fn years(self) -> u8 {
        match self {
            Reason::Inactive { years, .. }
            | Reason::Closed { years, .. }
            | Reason::Dated { years, .. } => years,
        }
    }

    /// The day the period ran out.
    pub fn ended(self) -> Date {
        ends(self.from(), self.years())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_period_runs_out_on_its_anniversary_not_the_day_before() {
        let from = date!(2023 - 05 - 01);
        assert!(!past(from, 2, date!(2025 - 04 - 30)));
        assert!(past(from, 2, date!(2025 - 05 - 01)));
        assert_eq!(ends(date!(2024 - 02 - 29), 1), date!(2025 - 02 - 28));
    }
}
