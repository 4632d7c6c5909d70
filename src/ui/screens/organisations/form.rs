//! The organisation form as a pushed view, and its save through the service. After a
//! conflicting save the user's input is moved onto the stored version, field by field.

use super::KIND;
use super::detail::DetailView;
use crate::domain::draft;
use crate::domain::organisation::{Organisation, OrganisationDraft};
use crate::domain::volunteer::Rules;
use crate::domain::{Field, FieldError};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::{ServiceError, Stored};
use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Done, FlashKind, Handled, Job, JobCx, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::widgets::form::{
    FieldUi, Form, FormKind, FormMode, known_municipality, municipality_completion,
};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// The organisation form: new and edit.
#[derive(Debug, Clone, Copy)]
pub struct OrganisationForm;

/// The form's state.
pub type OrganisationFormState = Form<OrganisationForm>;

impl FormKind for OrganisationForm {
    type Draft = OrganisationDraft;
    type Output = Organisation;
    type Ctx = Rules;

    fn validate(draft: &OrganisationDraft, rules: &Rules) -> Result<Organisation, Vec<FieldError>> {
        draft.validate(rules)
    }

    fn title(lang: Lang, mode: FormMode, original: &OrganisationDraft) -> String {
        match mode {
            FormMode::New => t(lang, "form.title_new_organisation").to_string(),
            FormMode::Edit { .. } => {
                tf(lang, "form.title_edit", &[("name", original.name.clone())])
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
            FieldUi {
                help: Some("form.hint.contact_persons"),
                ..FieldUi::plain(Field::ContactPersons)
            },
        ];
        EXTRAS
    }
}

/// Saves a new or edited organisation.
pub struct Save {
    pub mode: FormMode,
    pub organisation: Organisation,
}

/// What [`Save`] brings back.
pub struct Saved {
    pub result: Result<Stored<Organisation>, ServiceError>,
    /// After a conflict: the version that is stored now, to merge the input onto.
    pub current: Option<Stored<Organisation>>,
}

impl Job for Save {
    fn name(&self) -> &'static str {
        "save_organisation"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let result = match self.mode {
            FormMode::New => jx.service.register_organisation(jx.who, self.organisation),
            FormMode::Edit { id, revision } => {
                jx.service
                    .update_organisation(jx.who, id, revision, self.organisation)
            }
        };
        if let Ok(saved) = &result {
            jx.model.put_organisation(saved);
        }
        let current = match (&result, self.mode) {
            (Err(e), FormMode::Edit { id, .. }) if e.is_conflict() => {
                jx.service.organisation(jx.who, id).ok().flatten()
            }
            _ => None,
        };
        Box::new(Saved { result, current })
    }
}

/// The organisation form as a view.
pub struct FormView {
    pub form: OrganisationFormState,
    /// The stored version an edit started from (for merging after a conflict).
    base: Option<Stored<Organisation>>,
}

impl FormView {
    /// A blank new organisation.
    pub fn new(rules: Rules) -> FormView {
        FormView {
            form: Form::with_draft(FormMode::New, OrganisationDraft::default(), rules),
            base: None,
        }
    }

    /// Edits a stored organisation.
    pub fn edit(record: Stored<Organisation>, rules: Rules) -> FormView {
        let mode = FormMode::Edit {
            id: record.meta.id,
            revision: record.meta.revision,
        };
        FormView {
            form: Form::with_draft(
                mode,
                OrganisationDraft::from_organisation(&record.data),
                rules,
            ),
            base: Some(record),
        }
    }

    fn save(&mut self, cx: &mut Cx) {
        let Ok(organisation) = self.form.validate_all() else {
            let text = crate::ui::screens::form_view::not_saved(cx.lang(), &self.form.errors());
            cx.flash(FlashKind::Error, text);
            return;
        };
        cx.run(Save {
            mode: self.form.mode(),
            organisation,
        });
    }

    /// After a conflict: puts the user's changes on top of `current`. The message to show.
    fn rebase(
        &mut self,
        current: Stored<Organisation>,
        lang: Lang,
        rules: &Rules,
    ) -> Option<String> {
        let base = self
            .base
            .as_ref()
            .filter(|b| b.meta.id == current.meta.id)?;
        let theirs = OrganisationDraft::from_organisation(&current.data);
        let (merged, both) = draft::rebase(
            &OrganisationDraft::from_organisation(&base.data),
            &self.form.draft(),
            &theirs,
        );
        let mode = FormMode::Edit {
            id: current.meta.id,
            revision: current.meta.revision,
        };
        self.form = Form::with_draft(mode, merged, rules.clone()).comparing(theirs);
        let by = current.meta.updated.clone();
        self.base = Some(current);
        Some(crate::ui::screens::form_view::rebased_message(
            lang, by, &both,
        ))
    }
}

impl Component for FormView {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Form]
    }

    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.form.handle_key(key)
    }

    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        self.form.handle_paste(text)
    }

    fn on_mouse(&mut self, m: MouseEvent, area: Rect, _cx: &mut Cx) -> bool {
        self.form.handle_mouse(area, m)
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::NextField | Action::Down => self.form.next_field(),
            Action::PrevField | Action::Up => self.form.prev_field(),
            Action::Save => self.save(cx),
            Action::Back => crate::ui::screens::form_view::leave(self.form.is_dirty(), cx),
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        let Some(Saved { result, current }) = done.take::<Saved>() else {
            return;
        };
        let lang = cx.lang();
        match result {
            Ok(saved) => {
                let name = saved.data.name.clone();
                let id = saved.meta.id;
                cx.cmd(Cmd::CloseViews);
                cx.push(DetailView::new(saved));
                cx.cmd(Cmd::Reveal(KIND, id));
                cx.flash(FlashKind::Ok, tf(lang, "ui.saved", &[("name", name)]));
            }
            Err(ServiceError::Invalid(errors)) => {
                let text = service_error(lang, &ServiceError::Invalid(errors.clone()));
                self.form.set_errors(errors);
                cx.flash(FlashKind::Error, text);
            }
            Err(e) if e.is_conflict() => {
                let rules = cx.env.rules.clone();
                let text = current
                    .and_then(|c| self.rebase(c, lang, &rules))
                    .unwrap_or_else(|| service_error(lang, &e));
                cx.flash(FlashKind::Error, text);
            }
            Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.form.render(area, buf, &cx.env.theme, cx.env.lang);
        self.form.cursor_position(area)
    }

    fn crumb(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "ui.crumb_organisation_form").to_string())
    }

    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
