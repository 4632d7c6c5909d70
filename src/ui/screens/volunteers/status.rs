//! Changing a volunteer's status along the pipeline: a small dialog with the allowed next
//! statuses, saved through the service.

use crate::domain::volunteer::{Status, Volunteer};
use crate::i18n::errors::service_error;
use crate::i18n::{t, tf};
use crate::service::ServiceError;
use crate::store::Stored;
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Done, FlashKind, Handled, Job, JobCx, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::modal::popup;
use crate::ui::widgets::form::{FormMode, StatusChangeForm};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// Moves a volunteer to another status.
pub struct ChangeStatus {
    pub id: u64,
    pub revision: u64,
    pub to: Status,
}

impl Job for ChangeStatus {
    fn name(&self) -> &'static str {
        "change_status"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let result = jx
            .service
            .change_status(jx.who, self.id, self.revision, self.to);
        if let Ok(saved) = &result {
            jx.model.put_volunteer(saved);
        }
        Box::new(result)
    }
}

/// The status dialog: a small form on the form engine, with one choice of the statuses the
/// pipeline allows next.
pub struct StatusModal {
    pub form: StatusChangeForm,
}

impl StatusModal {
    pub fn new(record: &Stored<Volunteer>) -> StatusModal {
        StatusModal {
            form: StatusChangeForm::status_change(
                record.meta.id,
                record.meta.revision,
                record.data.status,
            ),
        }
    }
}

impl Component for StatusModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }

    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.form.handle_key(key)
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::Up | Action::Down => {
                self.form.step_choice(action == Action::Down);
            }
            Action::Open | Action::Yes => {
                if let (Ok(to), FormMode::Edit { id, revision }) =
                    (self.form.validate_all(), self.form.mode())
                {
                    cx.run(ChangeStatus { id, revision, to });
                }
            }
            Action::Back | Action::No => cx.close(),
            _ => {}
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        let Some(result) = done.take::<Result<Stored<Volunteer>, ServiceError>>() else {
            return;
        };
        cx.close();
        let lang = cx.lang();
        match result {
            Ok(saved) => {
                let status = t(lang, &format!("status.{}", saved.data.status.key())).to_string();
                let text = tf(
                    lang,
                    "ui.status_changed",
                    &[("name", saved.data.name.full()), ("status", status)],
                );
                cx.flash(FlashKind::Ok, text);
            }
            Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        let h = self.form.content_height(42, lang).saturating_add(2);
        let inner = popup(buf, area, 44, h, t(lang, "ui.status_title"), theme);
        self.form.render(inner, buf, theme, lang);
        None
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
