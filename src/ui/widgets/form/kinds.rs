//! The record kinds that have a form: per kind, the [`FormKind`] that ties its draft (whose
//! table in the domain lists the fields) to validation, a title and its ui extras, plus the
//! constructors the app calls.
//!
//! Owns nothing else: the engine is in the parent module, the field lists in the domain.

use super::{FieldUi, Form, FormKind, FormMode, Wait};
use crate::domain::name::fold;
use crate::domain::volunteer::{Rules, StatusChange};
use crate::domain::{Field, FieldError, PersonName, Problem, Status, Volunteer, VolunteerDraft};
use crate::i18n::{Lang, t, tf};

/// The volunteer intake: new and edit.
#[derive(Debug, Clone, Copy)]
pub struct VolunteerForm;

/// The intake form (new intake or edit of a volunteer).
pub type IntakeForm = Form<VolunteerForm>;

/// The first configured municipality that starts with what is typed (ignoring case and
/// accents) and is longer. Any kind's form with a municipality field completes with it.
pub fn municipality_completion<'a>(rules: &'a Rules, typed: &str) -> Option<&'a str> {
    let typed = fold(typed);
    if typed.is_empty() {
        return None;
    }
    rules
        .municipalities
        .iter()
        .find(|m| {
            let f = fold(m);
            f.starts_with(&typed) && f.len() > typed.len()
        })
        .map(String::as_str)
}

/// The configured spelling of a municipality typed in any case (applied when the field is
/// left).
pub fn known_municipality<'a>(rules: &'a Rules, typed: &str) -> Option<&'a str> {
    rules.municipality(typed)
}

impl FormKind for VolunteerForm {
    type Draft = VolunteerDraft;
    type Output = Volunteer;
    type Ctx = Rules;

    fn validate(draft: &VolunteerDraft, rules: &Rules) -> Result<Volunteer, Vec<FieldError>> {
        draft.validate(rules)
    }

    fn title(lang: Lang, mode: FormMode, original: &VolunteerDraft) -> String {
        match mode {
            FormMode::New => t(lang, "form.title_new").to_string(),
            FormMode::Edit { .. } => {
                let name = PersonName::new(
                    &original.given_name,
                    &original.prefix,
                    &original.family_name,
                );
                tf(lang, "form.title_edit", &[("name", name.full())])
            }
        }
    }

    fn extras() -> &'static [FieldUi<Rules>] {
        const EXTRAS: &[FieldUi<Rules>] = &[
            FieldUi {
                complete: Some(municipality_completion),
                normalise: Some(known_municipality),
                ..FieldUi::plain(Field::Municipality)
            },
            // Leaving the phone field empty is fine until the e-mail field is left too.
            FieldUi {
                wait: Some(Wait {
                    until: Field::Email,
                    problem: |p| *p == Problem::ContactRequired,
                }),
                ..FieldUi::plain(Field::Phone)
            },
        ];
        EXTRAS
    }
}

impl Form<VolunteerForm> {
    /// A blank new intake for `rules.today`.
    pub fn new_intake(rules: Rules) -> Self {
        let draft = VolunteerDraft::new(rules.today);
        Self::with_draft(FormMode::New, draft, rules)
    }

    /// Edits the stored volunteer `id` at `revision`.
    pub fn edit(id: u64, revision: u64, volunteer: &Volunteer, rules: Rules) -> Self {
        Self::with_draft(
            FormMode::Edit { id, revision },
            VolunteerDraft::from_volunteer(volunteer),
            rules,
        )
    }

    /// The configured municipality that completes what is typed in the municipality field.
    pub fn municipality_suggestion(&self) -> Option<&str> {
        self.suggestion_for(Field::Municipality)
    }
}

/// Changing a volunteer's status: one choice among the statuses the pipeline allows next.
#[derive(Debug, Clone, Copy)]
pub struct StatusForm;

/// The status change as a small form (for a modal).
pub type StatusChangeForm = Form<StatusForm>;

impl FormKind for StatusForm {
    type Draft = StatusChange;
    type Output = Status;
    type Ctx = ();

    fn validate(draft: &StatusChange, _: &()) -> Result<Status, Vec<FieldError>> {
        draft.validate()
    }

    fn title(lang: Lang, _: FormMode, original: &StatusChange) -> String {
        let from = t(lang, &format!("status.{}", original.from.key())).to_string();
        tf(lang, "ui.status_from", &[("status", from)])
    }

    fn extras() -> &'static [FieldUi<()>] {
        const EXTRAS: &[FieldUi<()>] = &[FieldUi {
            list: true,
            ..FieldUi::plain(Field::Status)
        }];
        EXTRAS
    }
}

impl Form<StatusForm> {
    /// Changing the status of the stored volunteer `id` at `revision` away from `from`.
    /// `validate_all` gives the chosen status; `mode` gives the id and revision back.
    pub fn status_change(id: u64, revision: u64, from: Status) -> Self {
        Self::with_draft(FormMode::Edit { id, revision }, StatusChange::new(from), ())
    }
}
