//! Moving a placement along: a small form (the next stage; the end reason when ending; the
//! reason to place without a valid VOG when placing), saved through the service.

use super::status_name;
use crate::domain::FieldError;
use crate::domain::placement::{Placement, PlacementChange, StatusStep};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::{ServiceError, Stored};
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Done, FlashKind, Handled, Job, JobCx, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::modal::popup;
use crate::ui::widgets::form::{Form, FormKind, FormMode};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// The placement's status change as a form kind.
#[derive(Debug, Clone, Copy)]
pub struct PlacementChangeForm;

impl FormKind for PlacementChangeForm {
    type Draft = PlacementChange;
    type Output = StatusStep;
    type Ctx = ();

    fn validate(draft: &PlacementChange, _: &()) -> Result<StatusStep, Vec<FieldError>> {
        draft.validate()
    }

    fn title(lang: Lang, _: FormMode, original: &PlacementChange) -> String {
        tf(
            lang,
            "ui.status_from",
            &[("status", status_name(lang, original.from))],
        )
    }
}

/// Moves a placement to its next stage.
pub struct ChangePlacement {
    pub id: u64,
    pub revision: u64,
    pub step: StatusStep,
}

impl Job for ChangePlacement {
    fn name(&self) -> &'static str {
        "change_placement"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let result = jx
            .service
            .change_placement(jx.who, self.id, self.revision, self.step);
        if let Ok(saved) = &result {
            jx.model.put_placement(saved);
            // Placing (or ending the last placement) changed the person's status in the same
            // save: show that at once too.
            use crate::domain::placement::PlacementStatus;
            if matches!(
                saved.data.status,
                PlacementStatus::Placed | PlacementStatus::Ended
            ) && let Ok(Some(person)) = jx.service.volunteer(jx.who, saved.data.volunteer)
            {
                jx.model.put_volunteer(&person);
            }
        }
        Box::new(result)
    }
}

/// The status dialog of a placement.
pub struct StatusModal {
    pub form: Form<PlacementChangeForm>,
}

impl StatusModal {
    pub fn new(record: &Stored<Placement>) -> StatusModal {
        StatusModal {
            form: Form::with_draft(
                FormMode::Edit {
                    id: record.meta.id,
                    revision: record.meta.revision,
                },
                PlacementChange::new(record.data.status),
                (),
            ),
        }
    }
}

impl Component for StatusModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Form]
    }

    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.form.handle_key(key)
    }

    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        self.form.handle_paste(text)
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::NextField | Action::Down => self.form.next_field(),
            Action::PrevField | Action::Up => self.form.prev_field(),
            Action::Save => {
                if let (Ok(step), FormMode::Edit { id, revision }) =
                    (self.form.validate_all(), self.form.mode())
                {
                    cx.run(ChangePlacement { id, revision, step });
                }
            }
            Action::Back => cx.close(),
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        let Some(result) = done.take::<Result<Stored<Placement>, ServiceError>>() else {
            return;
        };
        let lang = cx.lang();
        match result {
            Ok(saved) => {
                cx.close();
                let text = tf(
                    lang,
                    "ui.status_changed",
                    &[
                        ("name", saved.data.volunteer_name.clone()),
                        ("status", status_name(lang, saved.data.status)),
                    ],
                );
                cx.flash(FlashKind::Ok, text);
            }
            // The VOG rule: the reason field says why, and the dialog stays open.
            Err(ServiceError::Invalid(errors)) => {
                let text = service_error(lang, &ServiceError::Invalid(errors.clone()));
                self.form.set_errors(errors);
                cx.flash(FlashKind::Error, text);
            }
            Err(e) => {
                cx.close();
                cx.flash(FlashKind::Error, service_error(lang, &e));
            }
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        let w = 70.min(area.width);
        let h = self
            .form
            .content_height(w.saturating_sub(2), lang)
            .saturating_add(2);
        let inner = popup(buf, area, w, h, t(lang, "ui.status_title"), theme);
        self.form.render(inner, buf, theme, lang);
        self.form.cursor_position(inner)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
