//! One short form on one record, pushed over the view it was opened from and saved through
//! a job: the generic piece behind every "log this on that record" dialog (a progress
//! meeting, a ladder step, a goal, a phase change, a handover, a closing, MaS hours, a new
//! trajectory). A kind implements [`StepForm`] for a form kind (what the dialog is called,
//! how its output is saved, what to say after); the dialog, the save job, errors beside the
//! fields and the conflict handling are here, once.
//!
//! A save that meets someone else's change is refused by the service (nothing overwritten);
//! the dialog stays open with the input as typed, now based on the newer revision, so
//! Ctrl+S adds it to the newer version (the operation checks itself against it again).

use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::ServiceError;
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Done, FlashKind, Handled, Job, JobCx, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::widgets::form::{Form, FormKind, FormMode};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// A form kind whose output is applied to one record (or creates one) through the service.
pub trait StepForm: FormKind<Output: Send> {
    /// What a save brings back.
    type Saved: Send + 'static;
    /// Stable name of the save job, for tests and logs.
    const JOB: &'static str;
    /// Catalog key of the dialog's title.
    const TITLE: &'static str;

    /// Saves `output` on record `id` opened at `revision` (`FormMode::Edit`), or as a new
    /// record (`FormMode::New`), and puts the result into the read model.
    fn save(jx: &JobCx, mode: FormMode, output: Self::Output) -> Result<Self::Saved, ServiceError>;

    /// The revision of a saved record.
    fn revision(saved: &Self::Saved) -> u64;

    /// What happens after a save: by default the dialog closes with `message`.
    fn after(saved: Self::Saved, cx: &mut Cx) {
        let text = Self::message(cx.lang(), &saved);
        cx.close();
        cx.flash(FlashKind::Ok, text);
    }

    /// The sentence after a save.
    fn message(lang: Lang, saved: &Self::Saved) -> String;
}

/// Saves a step form's output.
struct SaveStep<K: StepForm> {
    mode: FormMode,
    output: K::Output,
}

impl<K: StepForm> Job for SaveStep<K> {
    fn name(&self) -> &'static str {
        K::JOB
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let r: Result<K::Saved, ServiceError> = K::save(jx, self.mode, self.output);
        Box::new(r)
    }
}

/// The view of a step form (Esc asks before dropping typed input).
pub struct StepModal<K: StepForm> {
    pub form: Form<K>,
}

impl<K: StepForm> StepModal<K> {
    pub fn new(form: Form<K>) -> StepModal<K> {
        StepModal { form }
    }

    fn save(&mut self, cx: &mut Cx) {
        let Ok(output) = self.form.validate_all() else {
            let text = crate::ui::screens::form_view::not_saved(cx.lang(), &self.form.errors());
            cx.flash(FlashKind::Error, text);
            return;
        };
        cx.run(SaveStep::<K> {
            mode: self.form.mode(),
            output,
        });
    }
}

impl<K: StepForm> Component for StepModal<K> {
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
        let Some(result) = done.take::<Result<K::Saved, ServiceError>>() else {
            return;
        };
        let lang = cx.lang();
        match result {
            Ok(saved) => K::after(saved, cx),
            Err(ServiceError::Invalid(errors)) => {
                let text = service_error(lang, &ServiceError::Invalid(errors.clone()));
                self.form.set_errors(errors);
                cx.flash(FlashKind::Error, text);
            }
            // Someone saved the record since it was opened: nothing was overwritten; the
            // input stays, based on their version now, for the user to save again.
            Err(ServiceError::Conflict { found, by, .. }) => {
                if let FormMode::Edit { id, .. } = self.form.mode() {
                    self.form.set_mode(FormMode::Edit {
                        id,
                        revision: found,
                    });
                }
                cx.flash(
                    FlashKind::Error,
                    tf(lang, "ui.step_conflict", &[("by", by)]),
                );
            }
            Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.form.render(area, buf, &cx.env.theme, cx.env.lang);
        self.form.cursor_position(area)
    }

    fn crumb(&self, lang: Lang) -> Option<String> {
        Some(t(lang, K::TITLE).to_string())
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
