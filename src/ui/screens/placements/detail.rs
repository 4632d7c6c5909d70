//! A placement's detail view: the person, the vacancy, the stage and its dates; `s` moves it
//! along.

use super::status::StatusModal;
use super::{Load, Loaded, status_name};
use crate::domain::draft::Keyed;
use crate::domain::placement::Placement;
use crate::domain::{Field, format_date};
use crate::i18n::{Lang, field_label, t};
use crate::readmodel::ReadModel;
use crate::service::Stored;
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Done, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::screens::organisations::detail::bookkeeping;
use crate::ui::theme::Theme;
use crate::ui::widgets::scroll::{Scroll, labelled};
use crossterm::event::MouseEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use std::any::Any;

/// The lines of the detail view.
pub fn lines(r: &Stored<Placement>, theme: &Theme, lang: Lang) -> Vec<Line<'static>> {
    let p = &r.data;
    let f = |field: Field| field_label(lang, field);
    let mut out = vec![
        Line::from(Span::styled(
            format!("{} — {}", p.volunteer_name, p.vacancy_title),
            theme.title,
        )),
        Line::default(),
        labelled(theme, t(lang, "ui.col_name"), p.volunteer_name.clone()),
        labelled(theme, f(Field::Vacancy), p.vacancy_title.clone()),
        labelled(theme, f(Field::Organisation), p.organisation_name.clone()),
        labelled(
            theme,
            f(Field::PlacementStatus),
            status_name(lang, p.status),
        ),
        labelled(
            theme,
            t(lang, "ui.col_proposed"),
            format_date(p.proposed_on),
        ),
    ];
    if let Some(d) = p.placed_on {
        out.push(labelled(theme, t(lang, "ui.placed_on"), format_date(d)));
    }
    if let Some(d) = p.ended_on {
        out.push(labelled(theme, t(lang, "ui.ended_on"), format_date(d)));
    }
    if let Some(reason) = p.end_reason {
        out.push(labelled(
            theme,
            f(Field::EndReason),
            t(lang, &format!("end_reason.{}", reason.key())).to_string(),
        ));
    }
    if !p.vog_override.is_empty() {
        out.push(labelled(
            theme,
            f(Field::VogOverride),
            p.vog_override.clone(),
        ));
    }
    out.push(Line::default());
    out.push(bookkeeping(&r.meta, theme, lang));
    out
}

/// One placement.
pub struct DetailView {
    pub record: Stored<Placement>,
    pub scroll: Scroll,
}

impl DetailView {
    pub fn new(record: Stored<Placement>) -> DetailView {
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
            Action::Edit | Action::Match | Action::StartTrajectory
        )
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if self.scroll.on_action(action) {
            return Handled::Yes;
        }
        match action {
            Action::Back => cx.close(),
            Action::ChangeStatus if !self.record.data.status.next().is_empty() => {
                cx.modal(StatusModal::new(&self.record));
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
            .placements()
            .get(id)
            .is_some_and(|r| r.revision != self.record.meta.revision);
        if newer {
            cx.run(Load { id });
        }
    }

    fn on_done(&mut self, done: Done, _cx: &mut Cx) {
        if let Some(Loaded {
            result: Ok(Some(fresh)),
        }) = done.take::<Loaded>()
            && fresh.meta.id == self.record.meta.id
        {
            self.record = fresh;
        }
    }

    fn prepare(&mut self, _model: &ReadModel, area: Rect, env: &Env) {
        self.scroll
            .prepare(&lines(&self.record, &env.theme, env.lang), area);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let env = cx.env;
        self.scroll
            .render(lines(&self.record, &env.theme, env.lang), area, buf);
        None
    }

    fn crumb(&self, _lang: Lang) -> Option<String> {
        Some(self.record.data.volunteer_name.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
