//! Targets (1 Vertalen › Doelen): what the centre agreed with a municipality to reach in a
//! year — intakes, placements, trajectories started, MaS pupils, contacts with organisations
//! — set by a coordinator, one record per municipality and year. A target left blank is not
//! set. How far the year has come is counted from the read model (`readmodel::targets`);
//! what is expected by a given day is worked out here.

use super::draft::{Draft, DraftField, Keyed, text_row};
use super::volunteer::Rules;
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

/// The highest target koppel accepts for one count: far above a real centre's year, so a
/// typing slip (an extra zero or three) is caught.
pub const MAX_TARGET: u32 = 100_000;

/// What a target counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// People registered (their intake date) in the municipality.
    Intakes,
    /// Placements started by people of the municipality.
    Placements,
    /// Trajectories started for people of the municipality (every kind).
    Trajectories,
    /// Maatschappelijke stages started (pupils).
    MasPupils,
    /// Contacts logged with organisations in the municipality.
    Contacts,
}

impl Keyed for Measure {
    const ALL: &'static [Self] = &[
        Measure::Intakes,
        Measure::Placements,
        Measure::Trajectories,
        Measure::MasPupils,
        Measure::Contacts,
    ];

    fn key(self) -> &'static str {
        match self {
            Measure::Intakes => "intakes",
            Measure::Placements => "placements",
            Measure::Trajectories => "trajectories",
            Measure::MasPupils => "mas_pupils",
            Measure::Contacts => "contacts",
        }
    }
}

impl Measure {
    /// The form field that holds this measure's target.
    pub fn field(self) -> Field {
        match self {
            Measure::Intakes => Field::TargetIntakes,
            Measure::Placements => Field::TargetPlacements,
            Measure::Trajectories => Field::TargetTrajectories,
            Measure::MasPupils => Field::TargetMasPupils,
            Measure::Contacts => Field::TargetContacts,
        }
    }
}

/// One municipality's targets for one year. Always valid: built through
/// [`TargetDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub year: i32,
    /// One of the centre's municipalities, spelled as configured.
    pub municipality: String,
    pub intakes: Option<u32>,
    pub placements: Option<u32>,
    pub trajectories: Option<u32>,
    pub mas_pupils: Option<u32>,
    pub contacts: Option<u32>,
}

impl Target {
    /// The target for `m`, if set.
    pub fn goal(&self, m: Measure) -> Option<u32> {
        match m {
            Measure::Intakes => self.intakes,
            Measure::Placements => self.placements,
            Measure::Trajectories => self.trajectories,
            Measure::MasPupils => self.mas_pupils,
            Measure::Contacts => self.contacts,
        }
    }

    /// Re-checks a stored or imported target.
    pub fn problems(&self, rules: &Rules) -> Vec<FieldError> {
        match TargetDraft::from_target(self).validate(rules) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    /// The key that makes a target unique: its year and municipality (folded).
    pub fn claim(&self) -> String {
        claim(self.year, &self.municipality)
    }
}

/// The unique key of a municipality's targets for a year: `2026/dordrecht`.
pub fn claim(year: i32, municipality: &str) -> String {
    format!("{year}/{}", municipality.trim().to_lowercase())
}

/// Targets as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetDraft {
    pub year: String,
    pub municipality: String,
    pub intakes: String,
    pub placements: String,
    pub trajectories: String,
    pub mas_pupils: String,
    pub contacts: String,
}

const NUMBER: usize = 12;

const TARGET_FIELDS: &[DraftField<TargetDraft>] = &[
    text_row!(TargetYear, year, Line, required: true, max: NUMBER),
    text_row!(Municipality, municipality, Line, required: true, max: 40),
    text_row!(TargetIntakes, intakes, Line, required: false, max: NUMBER),
    text_row!(TargetPlacements, placements, Line, required: false, max: NUMBER),
    text_row!(
        TargetTrajectories,
        trajectories,
        Line,
        required: false,
        max: NUMBER
    ),
    text_row!(TargetMasPupils, mas_pupils, Line, required: false, max: NUMBER),
    text_row!(TargetContacts, contacts, Line, required: false, max: NUMBER),
];

impl Draft for TargetDraft {
    fn fields() -> &'static [DraftField<Self>] {
        TARGET_FIELDS
    }
}

/// `1.200` as `1200` when the dots group thousands (the Dutch way of writing them); anything
/// else as typed, so `1.5` stays a problem rather than becoming 15.
fn thousands(t: &str) -> String {
    let mut groups = t.split('.');
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    if !rest.is_empty()
        && first.trim_start_matches('-').len() <= 3
        && rest.iter().all(|g| g.len() == 3 && digits(g))
    {
        t.replace('.', "")
    } else {
        t.to_string()
    }
}

/// A whole number between `min` and `max` typed in `raw`; a clear problem otherwise (a minus
/// sign or a number out of range gives the range, anything else "a number").
fn whole(raw: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let t = thousands(raw.trim());
    match t.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(Problem::Range {
            min: u32::try_from(min).unwrap_or(0),
            max: u32::try_from(max).unwrap_or(u32::MAX),
        }),
        Err(_) if t.starts_with('-') && t[1..].chars().all(|c| c.is_ascii_digit()) => {
            Err(Problem::Range {
                min: u32::try_from(min).unwrap_or(0),
                max: u32::try_from(max).unwrap_or(u32::MAX),
            })
        }
        Err(_) => Err(Problem::Number),
    }
}

impl TargetDraft {
    /// New targets for this year; the municipality when the centre has only one.
    pub fn new(today: Date, rules: &Rules) -> Self {
        TargetDraft {
            year: today.year().to_string(),
            municipality: match rules.municipalities.as_slice() {
                [only] => only.clone(),
                _ => String::new(),
            },
            ..TargetDraft::default()
        }
    }

    /// The draft that edits stored targets.
    pub fn from_target(t: &Target) -> Self {
        let shown = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        TargetDraft {
            year: t.year.to_string(),
            municipality: t.municipality.clone(),
            intakes: shown(t.intakes),
            placements: shown(t.placements),
            trajectories: shown(t.trajectories),
            mas_pupils: shown(t.mas_pupils),
            contacts: shown(t.contacts),
        }
    }

    fn raw(&self, m: Measure) -> &str {
        match m {
            Measure::Intakes => &self.intakes,
            Measure::Placements => &self.placements,
            Measure::Trajectories => &self.trajectories,
            Measure::MasPupils => &self.mas_pupils,
            Measure::Contacts => &self.contacts,
        }
    }

    /// Checks every field and returns the targets, or every problem at once (in form order).
    /// Years from 2000 to next year; each target from 0 to [`MAX_TARGET`], blank for none.
    pub fn validate(&self, rules: &Rules) -> Result<Target, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, problem: Problem| errors.push(FieldError::new(field, problem));
        let year = if self.year.trim().is_empty() {
            err(Field::TargetYear, Problem::Required);
            None
        } else {
            match whole(&self.year, 2000, i64::from(rules.today.year()) + 1) {
                Ok(y) => i32::try_from(y).ok(),
                Err(p) => {
                    err(Field::TargetYear, p);
                    None
                }
            }
        };
        let municipality = if self.municipality.trim().is_empty() {
            err(Field::Municipality, Problem::Required);
            None
        } else {
            match rules.municipality(&self.municipality) {
                Some(m) => Some(m.to_string()),
                None => {
                    err(Field::Municipality, Problem::UnknownMunicipality);
                    None
                }
            }
        };
        let mut goals = [None; 5];
        for (slot, m) in goals.iter_mut().zip(Measure::ALL) {
            let raw = self.raw(*m);
            if raw.trim().is_empty() {
                continue;
            }
            match whole(raw, 0, i64::from(MAX_TARGET)) {
                Ok(n) => *slot = u32::try_from(n).ok(),
                Err(p) => err(m.field(), p),
            }
        }
        match (year, municipality) {
            (Some(year), Some(municipality)) if errors.is_empty() => {
                let [intakes, placements, trajectories, mas_pupils, contacts] = goals;
                Ok(Target {
                    year,
                    municipality,
                    intakes,
                    placements,
                    trajectories,
                    mas_pupils,
                    contacts,
                })
            }
            _ => {
                errors.sort_by_key(|e| Self::position(e.field));
                Err(errors)
            }
        }
    }
}

/// How a count stands against what its target expects by a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// At or above the expected figure.
    Ahead,
    /// Below it.
    Behind,
}

/// The share of `target` expected by the end of `today` in `year`: all of it for a year that
/// has ended, none for one still to come, and in between as much as the days gone (today
/// included) are of the year — rounded down, so a target is never expected early.
pub fn expected(target: u32, year: i32, today: Date) -> u32 {
    if year < today.year() {
        return target;
    }
    if year > today.year() {
        return 0;
    }
    let days_in_year = u64::from(time::util::days_in_year(year));
    let gone = u64::from(today.ordinal());
    u32::try_from(u64::from(target) * gone / days_in_year).unwrap_or(target)
}

/// How `done` stands against what `target` expects by `today`.
pub fn standing(done: u32, target: u32, year: i32, today: Date) -> Standing {
    if done >= expected(target, year, today) {
        Standing::Ahead
    } else {
        Standing::Behind
    }
}

/// Targets for tests.
#[cfg(test)]
pub(crate) fn sample_target() -> TargetDraft {
    TargetDraft {
        year: "2026".into(),
        municipality: "dordrecht".into(),
        intakes: "300".into(),
        placements: "200".into(),
        trajectories: String::new(),
        mas_pupils: "60".into(),
        contacts: "1.200".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rules() -> Rules {
        Rules {
            municipalities: vec!["Dordrecht".into(), "Gorinchem".into()],
            today: date!(2026 - 11 - 27),
        }
    }

    fn problems(d: &TargetDraft) -> Vec<(Field, Problem)> {
        match d.validate(&rules()) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn good_targets_round_trip_with_blanks_unset_and_thousands_dots_read() {
        let t = sample_target().validate(&rules()).unwrap();
        assert_eq!(t.municipality, "Dordrecht");
        assert_eq!(t.goal(Measure::Intakes), Some(300));
        assert_eq!(t.goal(Measure::Trajectories), None);
        assert_eq!(t.goal(Measure::Contacts), Some(1200));
        assert_eq!(t.claim(), "2026/dordrecht");
        assert_eq!(TargetDraft::from_target(&t).validate(&rules()).unwrap(), t);
        assert!(t.problems(&rules()).is_empty());
    }

    #[test]
    fn below_zero_absurdly_high_not_a_number_and_a_far_year_are_refused_beside_their_fields() {
        let d = TargetDraft {
            year: "2031".into(),
            municipality: "Utrecht".into(),
            intakes: "-5".into(),
            placements: "1000000".into(),
            trajectories: "veel".into(),
            mas_pupils: "1.5".into(),
            ..sample_target()
        };
        assert_eq!(
            problems(&d),
            vec![
                (
                    Field::TargetYear,
                    Problem::Range {
                        min: 2000,
                        max: 2027
                    }
                ),
                (Field::Municipality, Problem::UnknownMunicipality),
                (
                    Field::TargetIntakes,
                    Problem::Range {
                        min: 0,
                        max: MAX_TARGET
                    }
                ),
                (
                    Field::TargetPlacements,
                    Problem::Range {
                        min: 0,
                        max: MAX_TARGET
                    }
                ),
                (Field::TargetTrajectories, Problem::Number),
                (Field::TargetMasPupils, Problem::Number),
            ]
        );
        let blank = TargetDraft {
            year: " ".into(),
            municipality: String::new(),
            ..TargetDraft::default()
        };
        assert_eq!(
            problems(&blank),
            vec![
                (Field::TargetYear, Problem::Required),
                (Field::Municipality, Problem::Required),
            ]
        );
    }

    #[test]
    fn the_expected_figure_grows_with_the_days_of_the_year() {
        // 27 November 2026 is day 331 of 365.
        let today = date!(2026 - 11 - 27);
        assert_eq!(expected(365, 2026, today), 331);
        assert_eq!(expected(300, 2026, today), 272);
        assert_eq!(expected(300, 2025, today), 300);
        assert_eq!(expected(300, 2027, today), 0);
        // The first of January expects a day's share; a leap year has 366 days.
        assert_eq!(expected(366, 2028, date!(2028 - 01 - 01)), 1);
        assert_eq!(expected(366, 2028, date!(2028 - 12 - 31)), 366);
        assert_eq!(standing(272, 300, 2026, today), Standing::Ahead);
        assert_eq!(standing(271, 300, 2026, today), Standing::Behind);
    }
}
