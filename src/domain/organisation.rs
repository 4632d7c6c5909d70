//! The organisations a volunteer centre serves: associations, foundations, care homes and the
//! like, with their contact persons. An organisation offers vacancies and is who the centre's
//! contact log is about. Its fields are listed once, in the draft's table (see
//! [`super::draft`]); validation, merge and the form read it.

use super::draft::{self, Draft, DraftField, Keyed, choice_row, choices_row, flag_row, text_row};
use super::email::parse_email;
use super::name::{collapse_spaces, fold};
use super::phone::{format_phone, parse_phone};
use super::volunteer::{Interest, Rules};
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

/// What kind of body an organisation is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// Vereniging.
    #[default]
    Association,
    /// Stichting.
    Foundation,
    /// Zorginstelling, verpleeghuis.
    CareHome,
    School,
    /// Kerk or other religious community.
    Church,
    SportsClub,
    Municipality,
    Other,
}

impl Keyed for OrganisationKind {
    const ALL: &'static [Self] = &[
        OrganisationKind::Association,
        OrganisationKind::Foundation,
        OrganisationKind::CareHome,
        OrganisationKind::School,
        OrganisationKind::Church,
        OrganisationKind::SportsClub,
        OrganisationKind::Municipality,
        OrganisationKind::Other,
    ];

    fn key(self) -> &'static str {
        match self {
            OrganisationKind::Association => "association",
            OrganisationKind::Foundation => "foundation",
            OrganisationKind::CareHome => "care_home",
            OrganisationKind::School => "school",
            OrganisationKind::Church => "church",
            OrganisationKind::SportsClub => "sports_club",
            OrganisationKind::Municipality => "municipality",
            OrganisationKind::Other => "other",
        }
    }
}

/// Someone the centre deals with at an organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPerson {
    pub name: String,
    /// Their role at the organisation ("coördinator vrijwilligers"); may be empty.
    pub role: String,
    /// Digits only (as the volunteer's phone); empty when unknown.
    pub phone: String,
    /// Lower-case; empty when unknown.
    pub email: String,
}

impl ContactPerson {
    /// `Marieke de Boer; coördinator; 078 - 123 45 67; marieke@example.nl`, as typed in the
    /// form (empty parts at the end left out).
    pub fn line(&self) -> String {
        let mut parts = vec![
            self.name.clone(),
            self.role.clone(),
            format_phone(&self.phone),
            self.email.clone(),
        ];
        while parts.last().is_some_and(String::is_empty) {
            parts.pop();
        }
        parts.join("; ")
    }
}

/// Most contact persons an organisation can have.
pub const MAX_CONTACT_PERSONS: usize = 20;

/// An organisation. Always valid: built through [`OrganisationDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub kind: OrganisationKind,
    /// The sectors it works in (the same list as volunteers' interests).
    pub sectors: Vec<Interest>,
    /// One of the configured municipalities.
    pub municipality: String,
    /// Street, number and place; may be empty.
    pub address: String,
    /// Digits only; empty when unknown.
    pub phone: String,
    /// Lower-case; empty when unknown.
    pub email: String,
    /// As typed, without spaces; empty when unknown.
    pub website: String,
    pub contact_persons: Vec<ContactPerson>,
    /// May request VOGs for its volunteers through the Gratis VOG scheme.
    pub free_vog: bool,
    pub notes: String,
}

impl Organisation {
    /// Phone number as staff write it.
    pub fn phone_display(&self) -> String {
        format_phone(&self.phone)
    }

    /// Re-checks a stored or imported organisation against the rules.
    pub fn problems(&self, rules: &Rules) -> Vec<FieldError> {
        match OrganisationDraft::from_organisation(self).validate(rules) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    /// The name folded for comparison and sorting.
    pub fn folded_name(&self) -> String {
        fold(&self.name)
    }
}

/// An organisation as typed into a form or read from a CSV line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationDraft {
    pub name: String,
    pub kind: OrganisationKind,
    pub sectors: Vec<Interest>,
    pub municipality: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    /// One contact person a line: `name; role; phone; e-mail`.
    pub contact_persons: String,
    pub free_vog: bool,
    pub notes: String,
}

/// Most characters of a short code typed into a text field.
const SHORT: usize = 40;

const ORGANISATION_FIELDS: &[DraftField<OrganisationDraft>] = &[
    text_row!(OrganisationName, name, Line, required: true, max: 150),
    choice_row!(
        OrganisationKind,
        kind,
        OrganisationKind,
        "organisation_kind"
    ),
    choices_row!(Sectors, sectors, Interest, "interest"),
    text_row!(Municipality, municipality, Line, required: true, max: SHORT),
    text_row!(Address, address, Line, required: false, max: 200),
    text_row!(Phone, phone, Line, required: false, max: SHORT),
    text_row!(Email, email, Line, required: false, max: 254),
    text_row!(Website, website, Line, required: false, max: 200),
    text_row!(ContactPersons, contact_persons, Multi, required: false, max: 5_000),
    flag_row!(FreeVog, free_vog),
    text_row!(Notes, notes, Multi, required: false, max: 10_000),
];

impl Draft for OrganisationDraft {
    fn fields() -> &'static [DraftField<Self>] {
        ORGANISATION_FIELDS
    }
}

/// Reads the contact persons typed one a line (`name; role; phone; e-mail`); blank lines are
/// skipped. A problem names the line (counting from 1).
pub fn parse_contact_persons(text: &str) -> Result<Vec<ContactPerson>, Problem> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let parts: Vec<String> = raw.split(';').map(collapse_spaces).collect();
        if parts.len() > 4 {
            return Err(Problem::ContactPersonParts { line });
        }
        let part = |n: usize| parts.get(n).cloned().unwrap_or_default();
        let name = part(0);
        if name.is_empty() {
            return Err(Problem::ContactPersonName { line });
        }
        let phone = match part(2) {
            p if p.is_empty() => String::new(),
            p => parse_phone(&p).map_err(|_| Problem::ContactPersonPhone { line })?,
        };
        let email = match part(3) {
            e if e.is_empty() => String::new(),
            e => parse_email(&e).map_err(|_| Problem::ContactPersonEmail { line })?,
        };
        out.push(ContactPerson {
            name,
            role: part(1),
            phone,
            email,
        });
    }
    if out.len() > MAX_CONTACT_PERSONS {
        return Err(Problem::Range {
            min: 0,
            max: MAX_CONTACT_PERSONS as u32,
        });
    }
    Ok(out)
}

/// A website as typed: no spaces, at least one dot, no scheme other than http(s).
fn parse_website(raw: &str) -> Result<String, Problem> {
    let w = raw.trim();
    let rest = w
        .strip_prefix("https://")
        .or_else(|| w.strip_prefix("http://"))
        .unwrap_or(w);
    if rest.is_empty()
        || rest.contains(char::is_whitespace)
        || !rest.contains('.')
        || rest.contains("://")
        || rest.starts_with('.')
    {
        return Err(Problem::Website);
    }
    Ok(w.to_string())
}

impl OrganisationDraft {
    /// The draft that edits a stored organisation.
    pub fn from_organisation(o: &Organisation) -> Self {
        OrganisationDraft {
            name: o.name.clone(),
            kind: o.kind,
            sectors: o.sectors.clone(),
            municipality: o.municipality.clone(),
            address: o.address.clone(),
            phone: o.phone_display(),
            email: o.email.clone(),
            website: o.website.clone(),
            contact_persons: o
                .contact_persons
                .iter()
                .map(ContactPerson::line)
                .collect::<Vec<_>>()
                .join("\n"),
            free_vog: o.free_vog,
            notes: o.notes.clone(),
        }
    }

    /// Checks every field and returns the organisation, or every problem at once (in form
    /// order).
    pub fn validate(&self, rules: &Rules) -> Result<Organisation, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, problem: Problem| errors.push(FieldError::new(field, problem));
        let name = draft::line_text::<Self>(&self.name, Field::OrganisationName, &mut err);
        let address = draft::line_text::<Self>(&self.address, Field::Address, &mut err);
        let notes = draft::multi_text::<Self>(&self.notes, Field::Notes, &mut err);
        let contacts_text =
            draft::multi_text::<Self>(&self.contact_persons, Field::ContactPersons, &mut err);
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
        let phone = if self.phone.trim().is_empty() {
            Some(String::new())
        } else {
            parse_phone(&self.phone)
                .map_err(|p| err(Field::Phone, p))
                .ok()
        };
        let email = if self.email.trim().is_empty() {
            Some(String::new())
        } else {
            parse_email(&self.email)
                .map_err(|p| err(Field::Email, p))
                .ok()
        };
        let website = if self.website.trim().is_empty() {
            Some(String::new())
        } else {
            draft::line_text::<Self>(&self.website, Field::Website, &mut err)
                .and_then(|w| parse_website(&w).map_err(|p| err(Field::Website, p)).ok())
        };
        let contact_persons = contacts_text.and_then(|t| {
            parse_contact_persons(&t)
                .map_err(|p| err(Field::ContactPersons, p))
                .ok()
        });
        let mut sectors = self.sectors.clone();
        sectors.sort();
        sectors.dedup();
        match (
            name,
            address,
            notes,
            municipality,
            phone,
            email,
            website,
            contact_persons,
        ) {
            (
                Some(name),
                Some(address),
                Some(notes),
                Some(municipality),
                Some(phone),
                Some(email),
                Some(website),
                Some(contact_persons),
            ) if errors.is_empty() => Ok(Organisation {
                name,
                kind: self.kind,
                sectors,
                municipality,
                address,
                phone,
                email,
                website,
                contact_persons,
                free_vog: self.free_vog,
                notes,
            }),
            _ => {
                errors.sort_by_key(|e| Self::position(e.field));
                Err(errors)
            }
        }
    }
}

/// An organisation for tests: "Stichting De Linde", a care home in Dordrecht.
#[cfg(test)]
pub(crate) fn sample_organisation() -> OrganisationDraft {
    OrganisationDraft {
        name: "Stichting De Linde".into(),
        kind: OrganisationKind::CareHome,
        sectors: vec![Interest::Care],
        municipality: "dordrecht".into(),
        address: "Lindelaan 4, Dordrecht".into(),
        phone: "078 - 612 34 56".into(),
        email: "Info@DeLinde.nl".into(),
        website: "www.delinde.nl".into(),
        contact_persons: "Marieke de Boer; coördinator vrijwilligers; 06 12345678; m.deboer@delinde.nl\n\nJan Smit".into(),
        free_vog: true,
        notes: String::new(),
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

    fn problems(d: &OrganisationDraft) -> Vec<(Field, Problem)> {
        match d.validate(&rules()) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_organisation_is_stored_in_standard_form() {
        let o = sample_organisation().validate(&rules()).unwrap();
        assert_eq!(o.municipality, "Dordrecht");
        assert_eq!(o.email, "info@delinde.nl");
        assert_eq!(o.phone, "0786123456");
        assert_eq!(o.contact_persons.len(), 2);
        assert_eq!(o.contact_persons[0].phone, "0612345678");
        assert_eq!(o.contact_persons[0].role, "coördinator vrijwilligers");
        assert_eq!(o.contact_persons[1].name, "Jan Smit");
        assert!(o.problems(&rules()).is_empty());
    }

    #[test]
    fn every_field_is_checked_at_once_in_form_order() {
        let d = OrganisationDraft {
            name: "  ".into(),
            municipality: "Utrecht".into(),
            phone: "12".into(),
            email: "no at sign".into(),
            website: "not a site".into(),
            contact_persons: "Ann; boss; ; ann@example.nl\n; no name".into(),
            ..OrganisationDraft::default()
        };
        let got = problems(&d);
        let fields: Vec<Field> = got.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                Field::OrganisationName,
                Field::Municipality,
                Field::Phone,
                Field::Email,
                Field::Website,
                Field::ContactPersons
            ]
        );
        assert_eq!(got[0].1, Problem::Required);
        assert_eq!(got[1].1, Problem::UnknownMunicipality);
        assert_eq!(got[5].1, Problem::ContactPersonName { line: 2 });
    }

    #[test]
    fn contact_person_lines_name_the_line_that_is_wrong() {
        assert_eq!(
            parse_contact_persons("A; b; 12"),
            Err(Problem::ContactPersonPhone { line: 1 })
        );
        assert_eq!(
            parse_contact_persons("A\n\nB; r; ; nope"),
            Err(Problem::ContactPersonEmail { line: 3 })
        );
        assert_eq!(
            parse_contact_persons("A; b; c; d; e"),
            Err(Problem::ContactPersonParts { line: 1 })
        );
        let many = "Someone\n".repeat(MAX_CONTACT_PERSONS + 1);
        assert!(parse_contact_persons(&many).is_err());
        // A stored list reads back the same.
        let list = parse_contact_persons("Ann de Wit; chair; 078 - 612 34 56").unwrap();
        let again = parse_contact_persons(&list[0].line()).unwrap();
        assert_eq!(list, again);
    }

    #[test]
    fn websites_need_a_dot_and_no_spaces() {
        assert!(parse_website("www.delinde.nl").is_ok());
        assert!(parse_website("https://delinde.nl/vrijwilligers").is_ok());
        assert_eq!(parse_website("delinde"), Err(Problem::Website));
        assert_eq!(parse_website("ftp://x.nl"), Err(Problem::Website));
        assert_eq!(parse_website("de linde.nl"), Err(Problem::Website));
    }

    #[test]
    fn the_draft_round_trips_and_rebase_names_a_field_both_changed() {
        let o = sample_organisation().validate(&rules()).unwrap();
        let d = OrganisationDraft::from_organisation(&o);
        assert_eq!(d.validate(&rules()).unwrap(), o);
        let mut mine = d.clone();
        mine.name = "De Linde".into();
        mine.free_vog = false;
        let mut theirs = d.clone();
        theirs.name = "Zorgcentrum De Linde".into();
        theirs.notes = "new".into();
        let (merged, both) = draft::rebase(&d, &mine, &theirs);
        assert_eq!(both, vec![Field::OrganisationName]);
        assert_eq!(merged.name, "De Linde");
        assert!(!merged.free_vog);
        assert_eq!(merged.notes, "new");
    }

    #[test]
    fn kinds_have_unique_keys() {
        let keys = OrganisationKind::keys();
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(keys.len(), unique.len());
        assert_eq!(
            OrganisationKind::from_key("care_home"),
            Some(OrganisationKind::CareHome)
        );
    }
}
