//! A contact's detail view: every field and bookkeeping, with the edit action.

use super::form::FormView;
use super::{Load, Loaded, Then, channel_name, follow_up_text};
use crate::domain::contact::Contact;
use crate::domain::draft::Keyed;
use crate::domain::{Field, format_date};
use crate::i18n::{Lang, field_label, t};
use crate::readmodel::ReadModel;
use crate::service::Stored;
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Done, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::screens::organisations::detail::bookkeeping;
use crate::ui::theme::Theme;
use crate::ui::widgets::scroll::{Scroll, heading, labelled};
use crossterm::event::MouseEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use std::any::Any;
use time::Date;

/// The lines of the detail view.
pub fn lines(r: &Stored<Contact>, today: Date, theme: &Theme, lang: Lang) -> Vec<Line<'static>> {
    let c = &r.data;
    let f = |field: Field| field_label(lang, field);
    let dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    let mut follow_up = follow_up_text(c.follow_up, c.done);
    if c.is_due(today) {
        let key = if c.follow_up == Some(today) {
            "ui.due_today"
        } else {
            "ui.overdue"
        };
        follow_up = format!("{follow_up}  ({})", t(lang, key));
    }
    let mut out = vec![
        Line::from(Span::styled(c.subject.clone(), theme.title)),
        Line::default(),
        labelled(theme, f(Field::Organisation), c.organisation_name.clone()),
        labelled(theme, f(Field::ContactDate), format_date(c.date)),
        labelled(theme, f(Field::Channel), channel_name(lang, c.channel)),
        labelled(theme, f(Field::ContactPerson), dash(&c.contact_person)),
        labelled(
            theme,
            f(Field::BasicFunction),
            t(lang, &format!("basic_function.{}", c.basic_function.key())).to_string(),
        ),
        labelled(theme, f(Field::FollowUp), dash(&follow_up)),
    ];
    if !c.notes.is_empty() {
        out.push(Line::default());
        out.push(heading(theme, f(Field::Notes)));
        for l in c.notes.lines() {
            out.push(Line::from(l.to_string()));
        }
    }
    out.push(Line::default());
    out.push(bookkeeping(&r.meta, theme, lang));
    out
}

/// One contact.
pub struct DetailView {
    pub record: Stored<Contact>,
    pub scroll: Scroll,
}

impl DetailView {
    pub fn new(record: Stored<Contact>) -> DetailView {
        DetailView {
            record,
            scroll: Scroll::default(),
        }
    }
}

impl Component for DetailView {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::View, Context::Navigation]
    }

    fn on_mouse(&mut self, m: MouseEvent, _area: Rect, _cx: &mut Cx) -> bool {
        self.scroll.on_mouse(m)
    }

    fn offers(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::ChangeStatus | Action::Match | Action::StartTrajectory
        )
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if self.scroll.on_action(action) {
            return Handled::Yes;
        }
        match action {
            Action::Back => cx.close(),
            Action::Edit => {
                let view = FormView::edit(cx.env, &cx.model.read(), self.record.clone());
                cx.push(view);
            }
            Action::LogContact => {
                let view = FormView::new(
                    cx.env,
                    &cx.model.read(),
                    &self.record.data.organisation_name,
                    "",
                );
                cx.push(view);
            }
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_model(&mut self, cx: &mut Cx) {
        let id = self.record.meta.id;
        let newer = cx
            .model
            .read()
            .contacts()
            .get(id)
            .is_some_and(|r| r.revision != self.record.meta.revision);
        if newer {
            cx.run(Load {
                id,
                then: Then::Detail,
            });
        }
    }

    fn on_done(&mut self, done: Done, _cx: &mut Cx) {
        if let Some(Loaded {
            result: Ok(Some(fresh)),
            ..
        }) = done.take::<Loaded>()
            && fresh.meta.id == self.record.meta.id
        {
            self.record = fresh;
        }
    }

    fn prepare(&mut self, _model: &ReadModel, area: Rect, env: &Env) {
        self.scroll
            .prepare(&lines(&self.record, env.today, &env.theme, env.lang), area);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let env = cx.env;
        self.scroll.render(
            lines(&self.record, env.today, &env.theme, env.lang),
            area,
            buf,
        );
        None
    }

    fn crumb(&self, _lang: Lang) -> Option<String> {
        Some(self.record.data.subject.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
