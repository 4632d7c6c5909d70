//! Erasing or anonymising a person from their detail (the right to erasure, consent
//! withdrawn): a question that says what will happen — what is erased, what is kept for the
//! reports — then a short form with the choice and the reason, saved through the service
//! (administrators only; other roles are told so). See `docs/privacy.md`.

use crate::domain::FieldError;
use crate::domain::privacy::{PrivacyDraft, Remedy};
use crate::domain::volunteer::Volunteer;
use crate::i18n::{Lang, t, tf};
use crate::service::privacy::Anonymised;
use crate::service::{Permission, ServiceError, Stored, allowed};
use crate::ui::component::{Cmd, Cx, FlashKind, JobCx};
use crate::ui::modal::Confirm;
use crate::ui::screens::step_form::{StepForm, StepModal};
use crate::ui::widgets::form::{Form, FormKind, FormMode};

/// The form: erase or anonymise, and why.
#[derive(Debug, Clone, Copy)]
pub struct PrivacyForm;

impl FormKind for PrivacyForm {
    type Draft = PrivacyDraft;
    type Output = (Remedy, String);
    type Ctx = ();
    fn validate(d: &PrivacyDraft, _: &()) -> Result<(Remedy, String), Vec<FieldError>> {
        d.validate()
    }
    fn title(lang: Lang, _: FormMode, _: &PrivacyDraft) -> String {
        t(lang, "ui.title_privacy").to_string()
    }
}

impl StepForm for PrivacyForm {
    type Saved = Anonymised;
    const JOB: &'static str = "erase_or_anonymise_person";
    const TITLE: &'static str = "ui.title_privacy";
    fn save(
        jx: &JobCx,
        mode: FormMode,
        (remedy, reason): (Remedy, String),
    ) -> Result<Anonymised, ServiceError> {
        let FormMode::Edit { id, .. } = mode else {
            return Err(ServiceError::NoPerson { id: 0 });
        };
        match remedy {
            Remedy::Erase => jx.service.erase_person(jx.who, id, &reason),
            Remedy::Anonymise => jx.service.anonymise_person(jx.who, id, &reason),
        }
    }
    fn revision(_: &Anonymised) -> u64 {
        0
    }
    fn message(lang: Lang, saved: &Anonymised) -> String {
        let key = if saved.scrubbed.is_empty() {
            "ui.privacy_done"
        } else {
            "ui.privacy_done_mentions"
        };
        tf(
            lang,
            key,
            &[
                ("records", saved.records.len().to_string()),
                ("mentions", saved.scrubbed.len().to_string()),
            ],
        )
    }
}

/// Whether the role of this session may erase or anonymise people.
pub fn may(cx: &Cx) -> bool {
    allowed(cx.env.role, Permission::Erase) && allowed(cx.env.role, Permission::Anonymise)
}

/// Asks whether to erase or anonymise `person` (after their consent was withdrawn when
/// `consent`), saying what happens, then asks for the reason.
pub fn ask(person: &Stored<Volunteer>, consent: bool, cx: &mut Cx) {
    let lang = cx.lang();
    if !may(cx) {
        cx.flash(FlashKind::Error, t(lang, "ui.privacy_not_allowed"));
        return;
    }
    if person.data.anonymised.is_some() {
        cx.flash(FlashKind::Error, t(lang, "error.anonymised"));
        return;
    }
    let name = person.data.name.full();
    let question = if consent {
        tf(lang, "ui.consent_question", &[("name", name)])
    } else {
        tf(lang, "ui.erase_question", &[("name", name)])
    };
    let draft = PrivacyDraft {
        remedy: Remedy::Erase,
        reason: if consent {
            t(lang, "ui.consent_reason").to_string()
        } else {
            String::new()
        },
    };
    let form = StepModal::new(Form::<PrivacyForm>::with_draft(
        FormMode::Edit {
            id: person.meta.id,
            revision: person.meta.revision,
        },
        draft,
        (),
    ));
    cx.modal(Confirm::new(&question, vec![Cmd::Push(Box::new(form))]));
}
