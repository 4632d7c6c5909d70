//! The contact log: the centre's contacts with organisations (a call, an e-mail, a visit, a
//! meeting), each with the basic function it served and, when something must happen next, a
//! follow-up date and whether that is done. Its fields are listed once, in the draft's table.

use super::dates::{format_date, parse_date};
use super::draft::{self, Draft, DraftField, Keyed, Shown, choice_row, flag_row, text_row};
use super::vacancy::VacancyRules;
use super::volunteer::Rules;
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

/// What validating a contact needs: the rules and the organisations it may be with (the same
/// as a vacancy's).
pub type ContactRules = VacancyRules;

/// How the contact took place.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Phone,
    Email,
    Visit,
    Meeting,
}

impl Keyed for Channel {
    const ALL: &'static [Self] = &[
        Channel::Phone,
        Channel::Email,
        Channel::Visit,
        Channel::Meeting,
    ];

    fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Visit => "visit",
            Channel::Meeting => "meeting",
        }
    }
}

/// The five basic functions of local volunteer policy (basisfuncties), which a contact
/// served.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BasicFunction {
    Vertalen,
    Verbinden,
    #[default]
    Versterken,
    Verbreiden,
    Verankeren,
}

impl Keyed for BasicFunction {
    const ALL: &'static [Self] = &[
        BasicFunction::Vertalen,
        BasicFunction::Verbinden,
        BasicFunction::Versterken,
        BasicFunction::Verbreiden,
        BasicFunction::Verankeren,
    ];

    fn key(self) -> &'static str {
        match self {
            BasicFunction::Vertalen => "vertalen",
            BasicFunction::Verbinden => "verbinden",
            BasicFunction::Versterken => "versterken",
            BasicFunction::Verbreiden => "verbreiden",
            BasicFunction::Verankeren => "verankeren",
        }
    }
}

/// One contact with an organisation. Always valid: built through [`ContactDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The organisation's id.
    pub organisation: u64,
    /// Its name when the contact was last saved (kept current when it is renamed).
    pub organisation_name: String,
    pub date: Date,
    pub channel: Channel,
    /// Who the centre spoke to; may be empty.
    pub contact_person: String,
    pub subject: String,
    pub basic_function: BasicFunction,
    pub notes: String,
    /// When something must happen next; never before `date`.
    pub follow_up: Option<Date>,
    /// Whether the follow-up is done (false without a follow-up).
    pub done: bool,
}

impl Contact {
    /// Re-checks a stored or imported contact (its organisation taken as known).
    pub fn problems(&self, rules: &Rules) -> Vec<FieldError> {
        let ctx = VacancyRules {
            rules: rules.clone(),
            organisations: vec![(self.organisation, self.organisation_name.clone())],
        };
        match ContactDraft::from_contact(self).validate(&ctx) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    /// Whether an open follow-up is due on `today` or before.
    pub fn is_due(&self, today: Date) -> bool {
        follow_up_due(self.follow_up, self.done, today)
    }
}

/// Whether a follow-up on `date` that is not `done` is due on `today` (or overdue).
pub fn follow_up_due(date: Option<Date>, done: bool, today: Date) -> bool {
    !done && date.is_some_and(|d| d <= today)
}

/// A contact as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDraft {
    /// The organisation's name.
    pub organisation: String,
    pub date: String,
    pub channel: Channel,
    pub contact_person: String,
    pub subject: String,
    pub basic_function: BasicFunction,
    pub notes: String,
    pub follow_up: String,
    pub done: bool,
}

/// Most characters of a date typed into a text field.
const SHORT: usize = 40;

const CONTACT_FIELDS: &[DraftField<ContactDraft>] = &[
    text_row!(Organisation, organisation, Line, required: true, max: 150),
    text_row!(ContactDate, date, Date, required: true, max: SHORT),
    choice_row!(Channel, channel, Channel, "channel"),
    text_row!(ContactPerson, contact_person, Line, required: false, max: 150),
    text_row!(Subject, subject, Line, required: true, max: 200),
    choice_row!(
        BasicFunction,
        basic_function,
        BasicFunction,
        "basic_function"
    ),
    text_row!(Notes, notes, Multi, required: false, max: 10_000),
    text_row!(FollowUp, follow_up, Date, required: false, max: SHORT),
    DraftField {
        shown: Shown::When {
            by: Field::FollowUp,
            when: |d| !d.follow_up.trim().is_empty(),
        },
        ..flag_row!(FollowUpDone, done)
    },
];

impl Draft for ContactDraft {
    fn fields() -> &'static [DraftField<Self>] {
        CONTACT_FIELDS
    }
}

impl ContactDraft {
    /// A new contact of today with the organisation called `organisation` (may be empty)
    /// about `subject` (may be empty).
    pub fn new(today: Date, organisation: &str, subject: &str) -> Self {
        ContactDraft {
            organisation: organisation.to_string(),
            date: format_date(today),
            subject: subject.to_string(),
            ..ContactDraft::default()
        }
    }

    /// The draft that edits a stored contact.
    pub fn from_contact(c: &Contact) -> Self {
        ContactDraft {
            organisation: c.organisation_name.clone(),
            date: format_date(c.date),
            channel: c.channel,
            contact_person: c.contact_person.clone(),
            subject: c.subject.clone(),
            basic_function: c.basic_function,
            notes: c.notes.clone(),
            follow_up: c.follow_up.map(format_date).unwrap_or_default(),
            done: c.done,
        }
    }

    /// Checks every field and returns the contact, or every problem at once (in form order).
    pub fn validate(&self, ctx: &VacancyRules) -> Result<Contact, Vec<FieldError>> {
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
        let date = match parse_date(&self.date) {
            Ok(d) if d > ctx.rules.today => {
                err(Field::ContactDate, Problem::DateInFuture);
                None
            }
            Ok(d) if d.year() < 2000 => {
                err(Field::ContactDate, Problem::DateTooOld);
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                err(Field::ContactDate, p);
                None
            }
        };
        let contact_person =
            draft::line_text::<Self>(&self.contact_person, Field::ContactPerson, &mut err);
        let subject = draft::line_text::<Self>(&self.subject, Field::Subject, &mut err);
        let notes = draft::multi_text::<Self>(&self.notes, Field::Notes, &mut err);
        let follow_up = if self.follow_up.trim().is_empty() {
            Some(None)
        } else {
            match parse_date(&self.follow_up) {
                Ok(f) if date.is_some_and(|d| f < d) => {
                    err(Field::FollowUp, Problem::FollowUpBeforeContact);
                    None
                }
                Ok(f) => Some(Some(f)),
                Err(p) => {
                    err(Field::FollowUp, p);
                    None
                }
            }
        };
        match (
            organisation,
            date,
            contact_person,
            subject,
            notes,
            follow_up,
        ) {
            (
                Some((organisation, organisation_name)),
                Some(date),
                Some(contact_person),
                Some(subject),
                Some(notes),
                Some(follow_up),
            ) if errors.is_empty() => Ok(Contact {
                organisation,
                organisation_name,
                date,
                channel: self.channel,
                contact_person,
                subject,
                basic_function: self.basic_function,
                notes,
                done: follow_up.is_some() && self.done,
                follow_up,
            }),
            _ => {
                errors.sort_by_key(|e| Self::position(e.field));
                Err(errors)
            }
        }
    }
}

/// A contact for tests: a call to De Linde with a follow-up a week later.
#[cfg(test)]
pub(crate) fn sample_contact() -> ContactDraft {
    ContactDraft {
        organisation: "Stichting De Linde".into(),
        date: "20-11-2026".into(),
        channel: Channel::Phone,
        contact_person: "Marieke de Boer".into(),
        subject: "Nieuwe vacature voor de zomer".into(),
        basic_function: BasicFunction::Verbinden,
        notes: String::new(),
        follow_up: "27-11-2026".into(),
        done: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vacancy::sample_rules;
    use time::macros::date;

    fn problems(d: &ContactDraft) -> Vec<(Field, Problem)> {
        match d.validate(&sample_rules()) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_contact_round_trips_and_is_due_on_its_follow_up() {
        let c = sample_contact().validate(&sample_rules()).unwrap();
        assert_eq!(c.organisation, 1);
        assert_eq!(c.follow_up, Some(date!(2026 - 11 - 27)));
        assert!(c.is_due(date!(2026 - 11 - 27)));
        assert!(c.is_due(date!(2026 - 12 - 01)));
        assert!(!c.is_due(date!(2026 - 11 - 26)));
        let done = Contact {
            done: true,
            ..c.clone()
        };
        assert!(!done.is_due(date!(2026 - 12 - 01)));
        assert_eq!(
            ContactDraft::from_contact(&c)
                .validate(&sample_rules())
                .unwrap(),
            c
        );
        assert!(c.problems(&sample_rules().rules).is_empty());
    }

    #[test]
    fn a_follow_up_before_the_contact_and_other_bad_input_are_refused() {
        let d = ContactDraft {
            organisation: "Onbekend".into(),
            date: "28-11-2026".into(),
            subject: " ".into(),
            follow_up: "01-01-2026".into(),
            ..sample_contact()
        };
        assert_eq!(
            problems(&d),
            vec![
                (Field::Organisation, Problem::UnknownOrganisation),
                (Field::ContactDate, Problem::DateInFuture),
                (Field::Subject, Problem::Required),
            ]
        );
        let d = ContactDraft {
            follow_up: "19-11-2026".into(),
            ..sample_contact()
        };
        assert_eq!(
            problems(&d),
            vec![(Field::FollowUp, Problem::FollowUpBeforeContact)]
        );
    }

    #[test]
    fn done_without_a_follow_up_is_not_kept() {
        let d = ContactDraft {
            follow_up: String::new(),
            done: true,
            ..sample_contact()
        };
        let c = d.validate(&sample_rules()).unwrap();
        assert!(!c.done);
        assert!(!c.is_due(date!(2030 - 01 - 01)));
    }
}
