//! The reason a consultant gives before opening a colleague's trajectory: a one-field step
//! form. The service writes the reason into the audit trail and then opens the trajectory
//! (for the rest of the day); the timeline opens after it.

use super::KIND;
use crate::domain::FieldError;
use crate::domain::audit::ReasonDraft;
use crate::domain::trajectory::Trajectory;
use crate::i18n::{Lang, t, tf};
use crate::service::{ServiceError, Stored};
use crate::ui::component::{Cx, FlashKind, JobCx};
use crate::ui::screens::step_form::{StepForm, StepModal};
use crate::ui::widgets::form::{Form, FormKind, FormMode};

/// The reason form.
#[derive(Debug, Clone, Copy)]
pub struct ReasonForm;

impl FormKind for ReasonForm {
    type Draft = ReasonDraft;
    type Output = String;
    type Ctx = ();
    fn validate(d: &ReasonDraft, _: &()) -> Result<String, Vec<FieldError>> {
        d.validate()
    }
    fn title(lang: Lang, _: FormMode, _: &ReasonDraft) -> String {
        t(lang, "ui.title_reason").to_string()
    }
}

impl StepForm for ReasonForm {
    type Saved = Stored<Trajectory>;
    const JOB: &'static str = "open_trajectory_with_reason";
    const TITLE: &'static str = "ui.title_reason";
    fn save(
        jx: &JobCx,
        mode: FormMode,
        reason: String,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        let FormMode::Edit { id, .. } = mode else {
            return Err(ServiceError::NotFound { kind: KIND, id: 0 });
        };
        jx.service.open_trajectory_with_reason(jx.who, id, &reason)
    }
    fn revision(saved: &Stored<Trajectory>) -> u64 {
        saved.meta.revision
    }
    /// The timeline opens in place of the question.
    fn after(saved: Stored<Trajectory>, cx: &mut Cx) {
        let text = Self::message(cx.lang(), &saved);
        super::forms::open_timeline(saved, text, cx);
    }
    fn message(lang: Lang, saved: &Stored<Trajectory>) -> String {
        tf(
            lang,
            "ui.reason_logged",
            &[("name", saved.data.person_name.clone())],
        )
    }
}

/// Asks for the reason to open trajectory `id` of `consultant`, saying why.
pub fn ask(id: u64, why: String, cx: &mut Cx) {
    cx.push(StepModal::new(Form::<ReasonForm>::with_draft(
        FormMode::Edit { id, revision: 0 },
        ReasonDraft::default(),
        (),
    )));
    cx.flash(FlashKind::Error, why);
}
