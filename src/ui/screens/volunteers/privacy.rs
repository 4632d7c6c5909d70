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
        let key = match (saved.scrubbed.is_empty(), saved.records.len() == 1) {
            (true, false) => "ui.privacy_done",
            (true, true) => "ui.privacy_done_one",
            (false, false) => "ui.privacy_done_mentions",
            (false, true) => "ui.privacy_done_mentions_one",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::Kind;

    fn done(records: usize, mentions: usize) -> Anonymised {
        Anonymised {
            records: (1..=records as u64)
                .map(|id| (Kind::Volunteer, id))
                .collect(),
            redacted: 0,
            scrubbed: (1..=mentions as u64).map(|id| (Kind::Note, id)).collect(),
        }
    }

    #[test]
    fn the_message_after_an_erasure_counts_one_record_as_one() {
        let said = |lang, r, m| <PrivacyForm as StepForm>::message(lang, &done(r, m));
        assert!(said(Lang::En, 1, 0).starts_with("Done: 1 record no longer says"));
        assert!(said(Lang::En, 3, 0).starts_with("Done: 3 records no longer say"));
        assert!(said(Lang::En, 1, 2).contains("1 record no longer says who it was, and 2 others"));
        assert!(said(Lang::Nl, 1, 0).starts_with("Gedaan: 1 gegeven zegt"));
        assert!(said(Lang::Nl, 4, 1).starts_with("Gedaan: 4 gegevens zeggen"));
    }
}
