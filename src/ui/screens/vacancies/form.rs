//! The vacancy form as a pushed view, and its save through the service. The organisation is
//! typed by name (completed from the organisations koppel knows); an unknown one is refused
//! beside the field.

use super::KIND;
use super::detail::DetailView;
use crate::domain::draft;
use crate::domain::vacancy::{Vacancy, VacancyDraft, VacancyRules};
use crate::domain::{Field, FieldError};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::ReadModel;
use crate::service::{ServiceError, Stored};
use crate::ui::action::Action;
use crate::ui::component::{
    Cmd, Component, Cx, Done, Env, FlashKind, Handled, Job, JobCx, RenderCx,
};
use crate::ui::keymap::Context;
use crate::ui::widgets::form::{
    FieldUi, Form, FormKind, FormMode, known_municipality, municipality_completion,
};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// The vacancy form: new and edit.
#[derive(Debug, Clone, Copy)]
pub struct VacancyForm;

/// The form's state.
pub type VacancyFormState = Form<VacancyForm>;

fn complete_organisation<'a>(ctx: &'a VacancyRules, typed: &str) -> Option<&'a str> {
    ctx.organisation_completion(typed)
}

fn known_organisation<'a>(ctx: &'a VacancyRules, typed: &str) -> Option<&'a str> {
    ctx.organisation(typed).map(|(_, name)| name)
}

fn complete_municipality<'a>(ctx: &'a VacancyRules, typed: &str) -> Option<&'a str> {
    municipality_completion(&ctx.rules, typed)
}

fn fix_municipality<'a>(ctx: &'a VacancyRules, typed: &str) -> Option<&'a str> {
    known_municipality(&ctx.rules, typed)
}

impl FormKind for VacancyForm {
    type Draft = VacancyDraft;
    type Output = Vacancy;
    type Ctx = VacancyRules;

    fn validate(draft: &VacancyDraft, ctx: &VacancyRules) -> Result<Vacancy, Vec<FieldError>> {
        draft.validate(ctx)
    }

    fn title(lang: Lang, mode: FormMode, original: &VacancyDraft) -> String {
        match mode {
            FormMode::New => t(lang, "form.title_new_vacancy").to_string(),
            FormMode::Edit { .. } => {
                tf(lang, "form.title_edit", &[("name", original.title.clone())])
            }
        }
    }

    fn extras() -> &'static [FieldUi<VacancyRules>] {
        const EXTRAS: &[FieldUi<VacancyRules>] = &[
            FieldUi {
                complete: Some(complete_organisation),
                normalise: Some(known_organisation),
                ..FieldUi::plain(Field::Organisation)
            },
            FieldUi {
                complete: Some(complete_municipality),
                normalise: Some(fix_municipality),
                ..FieldUi::plain(Field::Municipality)
            },
        ];
        EXTRAS
    }
}

/// What validating a vacancy needs, from the session's rules and the organisations in the
/// read model.
pub fn vacancy_rules(env: &Env, model: &ReadModel) -> VacancyRules {
    VacancyRules {
        rules: env.rules.clone(),
        organisations: model
            .organisations()
            .iter()
            .map(|r| (r.id, r.name.clone()))
            .collect(),
    }
}

/// Saves a new or edited vacancy.
pub struct Save {
    pub mode: FormMode,
    pub vacancy: Vacancy,
}

/// What [`Save`] brings back.
pub struct Saved {
    pub result: Result<Stored<Vacancy>, ServiceError>,
    pub current: Option<Stored<Vacancy>>,
}

impl Job for Save {
    fn name(&self) -> &'static str {
        "save_vacancy"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let result = match self.mode {
            FormMode::New => jx.service.register_vacancy(jx.who, self.vacancy),
            FormMode::Edit { id, revision } => {
                jx.service
                    .update_vacancy(jx.who, id, revision, self.vacancy)
            }
        };
        if let Ok(saved) = &result {
            jx.model.put_vacancy(saved);
        }
        let current = match (&result, self.mode) {
            (Err(e), FormMode::Edit { id, .. }) if e.is_conflict() => {
                jx.service.vacancy(jx.who, id).ok().flatten()
            }
            _ => None,
        };
        Box::new(Saved { result, current })
    }
}

/// The vacancy form as a view.
pub struct FormView {
    pub form: VacancyFormState,
    base: Option<Stored<Vacancy>>,
}

impl FormView {
    /// A blank vacancy, for the organisation called `organisation` in `municipality` (either
    /// may be empty).
    pub fn new(env: &Env, model: &ReadModel, organisation: &str, municipality: &str) -> FormView {
        let draft = VacancyDraft::new(env.today, organisation, municipality);
        let mut form = Form::with_draft(FormMode::New, draft, vacancy_rules(env, model));
        if !organisation.is_empty() {
            form.focus(Field::Title);
        }
        FormView { form, base: None }
    }

    /// Edits a stored vacancy.
    pub fn edit(env: &Env, model: &ReadModel, record: Stored<Vacancy>) -> FormView {
        let mode = FormMode::Edit {
            id: record.meta.id,
            revision: record.meta.revision,
        };
        FormView {
            form: Form::with_draft(
                mode,
                VacancyDraft::from_vacancy(&record.data),
                vacancy_rules(env, model),
            ),
            base: Some(record),
        }
    }

    fn save(&mut self, cx: &mut Cx) {
        let Ok(vacancy) = self.form.validate_all() else {
            let text = crate::ui::screens::form_view::not_saved(cx.lang(), &self.form.errors());
            cx.flash(FlashKind::Error, text);
            return;
        };
        cx.run(Save {
            mode: self.form.mode(),
            vacancy,
        });
    }

    fn rebase(
        &mut self,
        current: Stored<Vacancy>,
        lang: Lang,
        env: &Env,
        model: &ReadModel,
    ) -> Option<String> {
        let base = self
            .base
            .as_ref()
            .filter(|b| b.meta.id == current.meta.id)?;
        let theirs = VacancyDraft::from_vacancy(&current.data);
        let (merged, both) = draft::rebase(
            &VacancyDraft::from_vacancy(&base.data),
            &self.form.draft(),
            &theirs,
        );
        let mode = FormMode::Edit {
            id: current.meta.id,
            revision: current.meta.revision,
        };
        self.form = Form::with_draft(mode, merged, vacancy_rules(env, model)).comparing(theirs);
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
                let name = saved.data.title.clone();
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
                let env = cx.env.clone();
                let model = cx.model.clone();
                let text = current
                    .and_then(|c| self.rebase(c, lang, &env, &model.read()))
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
        Some(t(lang, "ui.crumb_vacancy_form").to_string())
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
