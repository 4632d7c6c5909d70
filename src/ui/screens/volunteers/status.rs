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
use crate::ui::text::{put, put_padded};
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

/// The status dialog.
pub struct StatusModal {
    pub id: u64,
    pub revision: u64,
    pub from: Status,
    pub options: Vec<Status>,
    pub selected: usize,
}

impl StatusModal {
    pub fn new(record: &Stored<Volunteer>) -> StatusModal {
        let from = record.data.status;
        StatusModal {
            id: record.meta.id,
            revision: record.meta.revision,
            from,
            options: from.next().to_vec(),
            selected: 0,
        }
    }
}

impl Component for StatusModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(self.options.len().saturating_sub(1))
            }
            Action::Open | Action::Yes => {
                if let Some(&to) = self.options.get(self.selected) {
                    cx.run(ChangeStatus {
                        id: self.id,
                        revision: self.revision,
                        to,
                    });
                } else {
                    cx.close();
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
        let h = self.options.len() as u16 + 4;
        let inner = popup(buf, area, 44, h, t(lang, "ui.status_title"), theme);
        let from = tf(
            lang,
            "ui.status_from",
            &[(
                "status",
                t(lang, &format!("status.{}", self.from.key())).to_string(),
            )],
        );
        put(buf, inner.x, inner.y, inner.right(), &from, theme.dim);
        for (i, st) in self.options.iter().enumerate() {
            let sel = i == self.selected;
            let style = if sel { theme.selected } else { theme.base };
            let text = format!(
                "{}{}",
                if sel { "▶ " } else { "  " },
                t(lang, &format!("status.{}", st.key()))
            );
            put_padded(
                buf,
                inner.x,
                inner.y + 2 + i as u16,
                inner.width,
                &text,
                style,
            );
        }
        None
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
