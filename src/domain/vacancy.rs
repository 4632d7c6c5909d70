//! Vacancies: volunteer work an organisation offers. A vacancy belongs to one organisation
//! (by id; its name is kept beside it, so lists and search show it); its fields are listed once,
//! in the draft's table (see [`super::draft`]).

use super::dates::{format_date, parse_date};
use super::draft::{
    self, Draft, DraftField, Keyed, Shown, Value, choice_row, choices_row, text_row,
};
use super::name::fold;
use super::volunteer::{Availability, Interest, MAX_HOURS, Rules};
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

/// For whom a vacancy is suitable (besides anyone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Suitability {
    /// Pupils doing a maatschappelijke stage.
    Mas,
    /// People in social activation or re-integration.
    SocialActivation,
    /// Young people (up to 27).
    YoungPeople,
    /// Seniors (55 and over).
    Seniors,
}

impl Keyed for Suitability {
    const ALL: &'static [Self] = &[
        Suitability::Mas,
        Suitability::SocialActivation,
        Suitability::YoungPeople,
        Suitability::Seniors,
    ];

    fn key(self) -> &'static str {
        match self {
            Suitability::Mas => "mas",
            Suitability::SocialActivation => "social_activation",
            Suitability::YoungPeople => "young_people",
            Suitability::Seniors => "seniors",
        }
    }
}

/// Where a vacancy stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum VacancyStatus {
    #[default]
    Open,
    Filled,
    Closed,
}

impl Keyed for VacancyStatus {
    const ALL: &'static [Self] = &[
        VacancyStatus::Open,
        VacancyStatus::Filled,
        VacancyStatus::Closed,
    ];

    fn key(self) -> &'static str {
        match self {
            VacancyStatus::Open => "open",
            VacancyStatus::Filled => "filled",
            VacancyStatus::Closed => "closed",
        }
    }
}

/// Highest minimum age a vacancy can ask.
pub const MAX_MIN_AGE: u32 = 99;

/// A vacancy. Always valid: built through [`VacancyDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vacancy {
    /// The organisation's id.
    pub organisation: u64,
    /// The organisation's name when the vacancy was last saved (kept current when the
    /// organisation is renamed).
    pub organisation_name: String,
    pub title: String,
    pub description: String,
    pub sector: Interest,
    /// One of the configured municipalities: where the work is.
    pub municipality: String,
    /// When the work is done; empty means "to be agreed".
    pub dayparts: Availability,
    /// 0 when not said.
    pub hours_per_week: u8,
    pub vog_required: bool,
    /// 0 when there is none.
    pub min_age: u8,
    pub suitable: Vec<Suitability>,
    pub status: VacancyStatus,
    pub start_date: Date,
    pub end_date: Option<Date>,
}

impl Vacancy {
    /// Re-checks a stored or imported vacancy against the rules (its organisation is taken as
    /// known: whether it exists is for the service to check).
    pub fn problems(&self, rules: &Rules) -> Vec<FieldError> {
        let ctx = VacancyRules {
            rules: rules.clone(),
            organisations: vec![(self.organisation, self.organisation_name.clone())],
        };
        match VacancyDraft::from_vacancy(self).validate(&ctx) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == VacancyStatus::Open
    }
}

/// What validating a vacancy needs: the rules and the organisations it may belong to.
#[derive(Debug, Clone)]
pub struct VacancyRules {
    pub rules: Rules,
    /// (id, name) of every organisation.
    pub organisations: Vec<(u64, String)>,
}

impl VacancyRules {
    /// The organisation with the name typed (case and accents ignored).
    pub fn organisation(&self, typed: &str) -> Option<(u64, &str)> {
        let want = fold(typed);
        if want.is_empty() {
            return None;
        }
        self.organisations
            .iter()
            .find(|(_, n)| fold(n) == want)
            .map(|(id, n)| (*id, n.as_str()))
    }

    /// The first organisation whose name starts with what is typed and is longer.
    pub fn organisation_completion(&self, typed: &str) -> Option<&str> {
        let want = fold(typed);
        if want.is_empty() {
            return None;
        }
        self.organisations
            .iter()
            .map(|(_, n)| n.as_str())
            .find(|n| {
                let f = fold(n);
                f.starts_with(&want) && f.len() > want.len()
            })
    }
}

/// A vacancy as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VacancyDraft {
    /// The organisation's name.
    pub organisation: String,
    pub title: String,
    pub description: String,
    pub sector: Interest,
    pub municipality: String,
    pub dayparts: Availability,
    pub hours_per_week: String,
    pub vog_required: bool,
    pub min_age: String,
    pub suitable: Vec<Suitability>,
    pub status: VacancyStatus,
    pub start_date: String,
    pub end_date: String,
}

/// Most characters of a date or a number typed into a text field.
const SHORT: usize = 40;

const VACANCY_FIELDS: &[DraftField<VacancyDraft>] = &[
    text_row!(Organisation, organisation, Line, required: true, max: 150),
    text_row!(Title, title, Line, required: true, max: 120),
    text_row!(Description, description, Multi, required: false, max: 4_000),
    choice_row!(Sector, sector, Interest, "interest"),
    text_row!(Municipality, municipality, Line, required: true, max: SHORT),
    DraftField {
        field: Field::Dayparts,
        value: Value::Week {
            get: |d| d.dayparts,
            set: |d, a| d.dayparts = a,
        },
        required: false,
        max_len: 0,
        shown: Shown::Always,
    },
    text_row!(HoursPerWeek, hours_per_week, Line, required: false, max: SHORT),
    draft::flag_row!(VogRequired, vog_required),
    text_row!(MinimumAge, min_age, Line, required: false, max: SHORT),
    choices_row!(Suitable, suitable, Suitability, "suitability"),
    DraftField {
        shown: Shown::Editing,
        ..choice_row!(Status, status, VacancyStatus, "vacancy_status")
    },
    text_row!(StartDate, start_date, Date, required: true, max: SHORT),
    text_row!(EndDate, end_date, Date, required: false, max: SHORT),
];

impl Draft for VacancyDraft {
    fn fields() -> &'static [DraftField<Self>] {
        VACANCY_FIELDS
    }
}

/// A whole number from 0 to `max` typed into `field`; empty is 0.
fn number(raw: &str, field: Field, max: u32, err: &mut impl FnMut(Field, Problem)) -> Option<u8> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(0);
    }
    match t.parse::<u32>() {
        Ok(n) if n <= max => Some(n as u8),
        Ok(_) => {
            err(field, Problem::Range { min: 0, max });
            None
        }
        Err(_) => {
            err(field, Problem::Number);
            None
        }
    }
}

impl VacancyDraft {
    /// A blank vacancy starting `today`, for the organisation called `organisation` (may be
    /// empty) in `municipality` (may be empty).
    pub fn new(today: Date, organisation: &str, municipality: &str) -> Self {
        VacancyDraft {
            organisation: organisation.to_string(),
            municipality: municipality.to_string(),
            start_date: format_date(today),
            ..VacancyDraft::default()
        }
    }

    /// The draft that edits a stored vacancy.
    pub fn from_vacancy(v: &Vacancy) -> Self {
        VacancyDraft {
            organisation: v.organisation_name.clone(),
            title: v.title.clone(),
            description: v.description.clone(),
            sector: v.sector,
            municipality: v.municipality.clone(),
            dayparts: v.dayparts,
            hours_per_week: if v.hours_per_week == 0 {
                String::new()
            } else {
                v.hours_per_week.to_string()
            },
            vog_required: v.vog_required,
            min_age: if v.min_age == 0 {
                String::new()
            } else {
                v.min_age.to_string()
            },
            suitable: v.suitable.clone(),
            status: v.status,
            start_date: format_date(v.start_date),
            end_date: v.end_date.map(format_date).unwrap_or_default(),
        }
    }

    /// Checks every field and returns the vacancy, or every problem at once (in form order).
    pub fn validate(&self, ctx: &VacancyRules) -> Result<Vacancy, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, problem: Problem| errors.push(FieldError::new(field, problem));
        let organisation =
            match draft::line_text::<Self>(&self.organisation, Field::Organisation, &mut err) {
                Some(typed) => match ctx.organisation(&typed) {
                    Some((id, name)) => Some((id, name.to_string())),
                    None => {
                        err(Field::Organisation, Problem::UnknownOrganisation);
                        None
                    }
                },
                None => None,
            };
        let title = draft::line_text::<Self>(&self.title, Field::Title, &mut err);
        let description =
            draft::multi_text::<Self>(&self.description, Field::Description, &mut err);
        let municipality = if self.municipality.trim().is_empty() {
            err(Field::Municipality, Problem::Required);
            None
        } else {
            match ctx.rules.municipality(&self.municipality) {
                Some(m) => Some(m.to_string()),
                None => {
                    err(Field::Municipality, Problem::UnknownMunicipality);
                    None
                }
            }
        };
        let hours = number(
            &self.hours_per_week,
            Field::HoursPerWeek,
            MAX_HOURS,
            &mut err,
        );
        let min_age = number(&self.min_age, Field::MinimumAge, MAX_MIN_AGE, &mut err);
        let start = match parse_date(&self.start_date) {
            Ok(d) if d.year() < 2000 => {
                err(Field::StartDate, Problem::DateTooOld);
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                err(Field::StartDate, p);
                None
            }
        };
        let end = if self.end_date.trim().is_empty() {
            Some(None)
        } else {
            match parse_date(&self.end_date) {
                Ok(d) if start.is_some_and(|s| d < s) => {
                    err(Field::EndDate, Problem::EndBeforeStart);
                    None
                }
                Ok(d) => Some(Some(d)),
                Err(p) => {
                    err(Field::EndDate, p);
                    None
                }
            }
        };
        let mut suitable = self.suitable.clone();
        suitable.sort();
        suitable.dedup();
        match (
            organisation,
            title,
            description,
            municipality,
            hours,
            min_age,
            start,
            end,
        ) {
            (
                Some((organisation, organisation_name)),
                Some(title),
                Some(description),
                Some(municipality),
                Some(hours_per_week),
                Some(min_age),
                Some(start_date),
                Some(end_date),
            ) if errors.is_empty() => Ok(Vacancy {
                organisation,
                organisation_name,
                title,
                description,
                sector: self.sector,
                municipality,
                dayparts: Availability(self.dayparts.0 & Availability::FULL),
                hours_per_week,
                vog_required: self.vog_required,
                min_age,
                suitable,
                status: self.status,
                start_date,
                end_date,
            }),
            _ => {
                errors.sort_by_key(|e| Self::position(e.field));
                Err(errors)
            }
        }
    }
}

/// Validation context for tests: Dordrecht and Gorinchem, two organisations.
#[cfg(test)]
pub(crate) fn sample_rules() -> VacancyRules {
    use time::macros::date;
    VacancyRules {
        rules: Rules {
            municipalities: vec!["Dordrecht".into(), "Gorinchem".into()],
            today: date!(2026 - 11 - 27),
        },
        organisations: vec![
            (1, "Stichting De Linde".into()),
            (2, "Voetbalvereniging Gorinchem".into()),
        ],
    }
}

/// A vacancy for tests: a buddy for residents of De Linde.
#[cfg(test)]
pub(crate) fn sample_vacancy() -> VacancyDraft {
    let mut dayparts = Availability::default();
    dayparts.set(2, super::volunteer::Daypart::Afternoon, true);
    VacancyDraft {
        organisation: "stichting de linde".into(),
        title: "Maatje voor bewoners".into(),
        description: "Wandelen en een kop koffie met bewoners.".into(),
        sector: Interest::Care,
        municipality: "Dordrecht".into(),
        dayparts,
        hours_per_week: "3".into(),
        vog_required: true,
        min_age: "18".into(),
        suitable: vec![Suitability::Seniors, Suitability::SocialActivation],
        status: VacancyStatus::Open,
        start_date: "01-12-2026".into(),
        end_date: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(d: &VacancyDraft) -> Vec<(Field, Problem)> {
        match d.validate(&sample_rules()) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_vacancy_names_its_organisation_by_id() {
        let v = sample_vacancy().validate(&sample_rules()).unwrap();
        assert_eq!(v.organisation, 1);
        assert_eq!(v.organisation_name, "Stichting De Linde");
        assert_eq!(v.hours_per_week, 3);
        assert_eq!(v.min_age, 18);
        assert_eq!(
            v.suitable,
            vec![Suitability::SocialActivation, Suitability::Seniors]
        );
        assert!(v.problems(&sample_rules().rules).is_empty());
        assert_eq!(
            VacancyDraft::from_vacancy(&v)
                .validate(&sample_rules())
                .unwrap(),
            v
        );
    }

    #[test]
    fn an_unknown_organisation_is_refused_with_its_own_problem() {
        let d = VacancyDraft {
            organisation: "Stichting Nergens".into(),
            ..sample_vacancy()
        };
        assert_eq!(
            problems(&d),
            vec![(Field::Organisation, Problem::UnknownOrganisation)]
        );
        let d = VacancyDraft {
            organisation: " ".into(),
            ..sample_vacancy()
        };
        assert_eq!(problems(&d), vec![(Field::Organisation, Problem::Required)]);
    }

    #[test]
    fn every_field_is_checked_in_form_order() {
        let d = VacancyDraft {
            title: String::new(),
            municipality: "Utrecht".into(),
            hours_per_week: "61".into(),
            min_age: "x".into(),
            start_date: "01-12-2026".into(),
            end_date: "30-11-2026".into(),
            ..sample_vacancy()
        };
        assert_eq!(
            problems(&d),
            vec![
                (Field::Title, Problem::Required),
                (Field::Municipality, Problem::UnknownMunicipality),
                (Field::HoursPerWeek, Problem::Range { min: 0, max: 60 }),
                (Field::MinimumAge, Problem::Number),
                (Field::EndDate, Problem::EndBeforeStart),
            ]
        );
    }

    #[test]
    fn organisation_names_complete_and_resolve_ignoring_case() {
        let ctx = sample_rules();
        assert_eq!(
            ctx.organisation_completion("voetbal"),
            Some("Voetbalvereniging Gorinchem")
        );
        assert_eq!(ctx.organisation_completion("Stichting De Linde"), None);
        assert_eq!(ctx.organisation("STICHTING DE LINDE").map(|o| o.0), Some(1));
    }
}
