//! Activities (4 Verbreiden › Activiteiten): what the centre organises to spread and value
//! volunteering — campaigns, events, trainings, advice sessions and appreciation moments (Dag
//! van de Vrijwilliger on 7 December, NLdoet in March, awards) — with the basic function it
//! served, the organisations involved, how many took part, and whether it was held. Its fields
//! are listed once, in the draft's table.

use super::contact::BasicFunction;
use super::dates::{format_date, parse_date};
use super::draft::{self, Draft, DraftField, Keyed, choice_row, flag_row, text_row};
use super::volunteer::Rules;
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

/// Most participants one activity can have: far above any real one, so a typing slip
/// (an extra zero or two) is caught.
pub const MAX_PARTICIPANTS: u32 = 100_000;

/// What kind of activity.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Campaign,
    #[default]
    Event,
    Training,
    Advice,
    Appreciation,
}

impl Keyed for ActivityKind {
    const ALL: &'static [Self] = &[
        ActivityKind::Campaign,
        ActivityKind::Event,
        ActivityKind::Training,
        ActivityKind::Advice,
        ActivityKind::Appreciation,
    ];

    fn key(self) -> &'static str {
        match self {
            ActivityKind::Campaign => "campaign",
            ActivityKind::Event => "event",
            ActivityKind::Training => "training",
            ActivityKind::Advice => "advice",
            ActivityKind::Appreciation => "appreciation",
        }
    }
}

/// One activity. Always valid: built through [`ActivityDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub date: Date,
    pub title: String,
    pub kind: ActivityKind,
    pub basic_function: BasicFunction,
    /// The organisations involved, by name, one a line.
    pub organisations: Vec<String>,
    /// How many took part (0 until known).
    pub participants: u32,
    /// Whether it took place; never for a date still to come.
    pub held: bool,
    pub notes: String,
    /// Who was thanked and why, when the activity was logged from 4 Verbreiden › Waardering;
    /// kept as it was when the activity is edited through its form.
    pub thanks: Option<Thanks>,
}

/// Why someone was thanked: a placement anniversary, or a maatschappelijke stage whose hours
/// are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Thanks {
    /// `years` years in placement `placement`.
    PlacementYears {
        person: u64,
        placement: u64,
        years: u8,
    },
    /// The hours of MaS trajectory `trajectory` are done.
    MasHours { person: u64, trajectory: u64 },
}

impl Thanks {
    /// The person thanked.
    pub fn person(self) -> u64 {
        match self {
            Thanks::PlacementYears { person, .. } | Thanks::MasHours { person, .. } => person,
        }
    }
}

/// The placement anniversaries worth a thank-you.
pub const ANNIVERSARIES: [u8; 3] = [1, 5, 10];

/// The `years`th anniversary of `start` (28 February for a start on 29 February in a year
/// that has none).
pub fn anniversary(start: Date, years: u8) -> Date {
    let year = start.year() + i32::from(years);
    Date::from_calendar_date(year, start.month(), start.day())
        .or_else(|_| Date::from_calendar_date(year, start.month(), start.day() - 1))
        .unwrap_or(start)
}

impl Activity {
    /// Re-checks a stored or imported activity.
    pub fn problems(&self, rules: &Rules) -> Vec<FieldError> {
        match ActivityDraft::from_activity(self).validate(rules) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }
}

/// An activity as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityDraft {
    pub date: String,
    pub title: String,
    pub kind: ActivityKind,
    pub basic_function: BasicFunction,
    /// One organisation a line.
    pub organisations: String,
    pub participants: String,
    pub held: bool,
    pub notes: String,
}

const SHORT: usize = 40;

const ACTIVITY_FIELDS: &[DraftField<ActivityDraft>] = &[
    text_row!(ActivityDate, date, Date, required: true, max: SHORT),
    text_row!(ActivityTitle, title, Line, required: true, max: 200),
    choice_row!(ActivityKind, kind, ActivityKind, "activity_kind"),
    choice_row!(
        BasicFunction,
        basic_function,
        BasicFunction,
        "basic_function"
    ),
    text_row!(Organisations, organisations, Multi, required: false, max: 5_000),
    text_row!(Participants, participants, Line, required: false, max: SHORT),
    flag_row!(Held, held),
    text_row!(Notes, notes, Multi, required: false, max: 10_000),
];

impl Draft for ActivityDraft {
    fn fields() -> &'static [DraftField<Self>] {
        ACTIVITY_FIELDS
    }
}

impl ActivityDraft {
    /// A new activity on `today`, an event of Verbreiden until said otherwise.
    pub fn new(today: Date) -> Self {
        ActivityDraft {
            date: format_date(today),
            basic_function: BasicFunction::Verbreiden,
            ..ActivityDraft::default()
        }
    }

    /// The draft that edits a stored activity.
    pub fn from_activity(a: &Activity) -> Self {
        ActivityDraft {
            date: format_date(a.date),
            title: a.title.clone(),
            kind: a.kind,
            basic_function: a.basic_function,
            organisations: a.organisations.join("\n"),
            participants: if a.participants == 0 {
                String::new()
            } else {
                a.participants.to_string()
            },
            held: a.held,
            notes: a.notes.clone(),
        }
    }

    /// Checks every field and returns the activity, or every problem at once (in form order).
    pub fn validate(&self, rules: &Rules) -> Result<Activity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, problem: Problem| errors.push(FieldError::new(field, problem));
        let date = match parse_date(&self.date) {
            Ok(d) if d.year() < 2000 => {
                err(Field::ActivityDate, Problem::DateTooOld);
                None
            }
            Ok(d) if d > super::dates::years_ahead(rules.today, 2) => {
                err(Field::ActivityDate, Problem::DateTooFar);
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                err(Field::ActivityDate, p);
                None
            }
        };
        let title = draft::line_text::<Self>(&self.title, Field::ActivityTitle, &mut err);
        let organisations =
            draft::multi_text::<Self>(&self.organisations, Field::Organisations, &mut err);
        let participants = {
            let t = self.participants.trim();
            if t.is_empty() {
                Some(0)
            } else {
                match t.parse::<u32>() {
                    Ok(n) if n <= MAX_PARTICIPANTS => Some(n),
                    Ok(_) => {
                        err(
                            Field::Participants,
                            Problem::Range {
                                min: 0,
                                max: MAX_PARTICIPANTS,
                            },
                        );
                        None
                    }
                    Err(_) => {
                        err(Field::Participants, Problem::Number);
                        None
                    }
                }
            }
        };
        if self.held && date.is_some_and(|d| d > rules.today) {
            err(Field::Held, Problem::HeldInFuture);
        }
        let notes = draft::multi_text::<Self>(&self.notes, Field::Notes, &mut err);
        match (date, title, organisations, participants, notes) {
            (Some(date), Some(title), Some(organisations), Some(participants), Some(notes))
                if errors.is_empty() =>
            {
                Ok(Activity {
                    date,
                    title,
                    kind: self.kind,
                    basic_function: self.basic_function,
                    organisations: organisations
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect(),
                    participants,
                    held: self.held,
                    notes,
                    thanks: None,
                })
            }
            _ => {
                errors.sort_by_key(|e| Self::position(e.field));
                Err(errors)
            }
        }
    }
}

/// An activity for tests: the Dag van de Vrijwilliger breakfast.
#[cfg(test)]
pub(crate) fn sample_activity() -> ActivityDraft {
    ActivityDraft {
        date: "07-12-2025".into(),
        title: "Ontbijt Dag van de Vrijwilliger".into(),
        kind: ActivityKind::Appreciation,
        basic_function: BasicFunction::Verbreiden,
        organisations: "Stichting De Linde\n\nVV Gorinchem ".into(),
        participants: "85".into(),
        held: true,
        notes: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rules() -> Rules {
        Rules {
            municipalities: vec!["Dordrecht".into()],
            today: date!(2026 - 11 - 27),
        }
    }

    fn problems(d: &ActivityDraft) -> Vec<(Field, Problem)> {
        match d.validate(&rules()) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_activity_round_trips_with_its_organisations() {
        let a = sample_activity().validate(&rules()).unwrap();
        assert_eq!(a.organisations, vec!["Stichting De Linde", "VV Gorinchem"]);
        assert_eq!(a.participants, 85);
        assert_eq!(
            ActivityDraft::from_activity(&a).validate(&rules()).unwrap(),
            a
        );
    }

    #[test]
    fn a_future_activity_marked_held_no_title_and_absurd_numbers_are_refused() {
        let d = ActivityDraft {
            date: "07-12-2026".into(),
            title: String::new(),
            participants: "1000000".into(),
            ..sample_activity()
        };
        assert_eq!(
            problems(&d),
            vec![
                (Field::ActivityTitle, Problem::Required),
                (
                    Field::Participants,
                    Problem::Range {
                        min: 0,
                        max: 100_000
                    }
                ),
                (Field::Held, Problem::HeldInFuture),
            ]
        );
        // Planned for next month and not yet held: fine.
        let d = ActivityDraft {
            date: "07-12-2026".into(),
            held: false,
            ..sample_activity()
        };
        assert!(problems(&d).is_empty());
        let d = ActivityDraft {
            participants: "veel".into(),
            date: "01-01-2040".into(),
            held: false,
            ..sample_activity()
        };
        assert_eq!(
            problems(&d),
            vec![
                (Field::ActivityDate, Problem::DateTooFar),
                (Field::Participants, Problem::Number),
            ]
        );
    }

    #[test]
    fn anniversaries_fall_on_the_same_day_or_the_28th_for_a_leap_day() {
        assert_eq!(anniversary(date!(2021 - 12 - 03), 5), date!(2026 - 12 - 03));
        assert_eq!(anniversary(date!(2024 - 02 - 29), 1), date!(2025 - 02 - 28));
        assert_eq!(
            anniversary(date!(2016 - 02 - 29), 10),
            date!(2026 - 02 - 28)
        );
    }
}
