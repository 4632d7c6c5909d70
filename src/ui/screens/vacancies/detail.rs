//! A vacancy's detail view: every field and bookkeeping, with the edit action.

use super::form::FormView;
use super::{Load, Loaded, Then, status_name};
use crate::domain::draft::Keyed;
use crate::domain::vacancy::Vacancy;
use crate::domain::volunteer::{Availability, Daypart};
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

const DAYS: [&str; 7] = [
    "day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun",
];

/// "ma middag, wo avond", or "—" for none.
pub fn dayparts_text(a: Availability, lang: Lang) -> String {
    let mut out = Vec::new();
    for (day, key) in DAYS.iter().enumerate() {
        for part in Daypart::ALL {
            if a.get(day, part) {
                out.push(format!(
                    "{} {}",
                    t(lang, key),
                    t(lang, &format!("daypart.{}", part.key())).to_lowercase()
                ));
            }
        }
    }
    if out.is_empty() {
        t(lang, "ui.to_be_agreed").to_string()
    } else {
        out.join(", ")
    }
}

/// The lines of the detail view.
pub fn lines(r: &Stored<Vacancy>, theme: &Theme, lang: Lang) -> Vec<Line<'static>> {
    let v = &r.data;
    let f = |field: Field| field_label(lang, field);
    let number = |n: u8| {
        if n == 0 {
            "—".to_string()
        } else {
            n.to_string()
        }
    };
    let mut out = vec![
        Line::from(Span::styled(v.title.clone(), theme.title)),
        Line::default(),
        labelled(theme, f(Field::Organisation), v.organisation_name.clone()),
        labelled(theme, f(Field::Status), status_name(lang, v.status)),
        labelled(
            theme,
            f(Field::Sector),
            t(lang, &format!("interest.{}", v.sector.key())).to_string(),
        ),
        labelled(theme, f(Field::Municipality), v.municipality.clone()),
        labelled(theme, f(Field::Dayparts), dayparts_text(v.dayparts, lang)),
        labelled(theme, f(Field::HoursPerWeek), number(v.hours_per_week)),
        labelled(
            theme,
            f(Field::VogRequired),
            t(lang, if v.vog_required { "ui.yes" } else { "ui.no" }).to_string(),
        ),
        labelled(theme, f(Field::MinimumAge), number(v.min_age)),
    ];
    let suitable: Vec<String> = v
        .suitable
        .iter()
        .map(|s| t(lang, &format!("suitability.{}", s.key())).to_string())
        .collect();
    out.push(labelled(
        theme,
        f(Field::Suitable),
        if suitable.is_empty() {
            "—".into()
        } else {
            suitable.join(", ")
        },
    ));
    out.push(labelled(
        theme,
        f(Field::StartDate),
        format_date(v.start_date),
    ));
    if let Some(end) = v.end_date {
        out.push(labelled(theme, f(Field::EndDate), format_date(end)));
    }
    if !v.description.is_empty() {
        out.push(Line::default());
        out.push(heading(theme, f(Field::Description)));
        for l in v.description.lines() {
            out.push(Line::from(l.to_string()));
        }
    }
    out.push(Line::default());
    out.push(bookkeeping(&r.meta, theme, lang));
    out
}

/// One vacancy.
pub struct DetailView {
    pub record: Stored<Vacancy>,
    pub scroll: Scroll,
}

impl DetailView {
    pub fn new(record: Stored<Vacancy>) -> DetailView {
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
        !matches!(action, Action::ChangeStatus | Action::StartTrajectory)
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
            Action::Match => {
                use crate::ui::screens::placements::matching::{MatchView, Subject};
                cx.push(MatchView::new(Subject::Vacancy(self.record.clone())));
            }
            Action::LogContact => {
                let v = &self.record.data;
                let view = crate::ui::screens::contacts::form::FormView::new(
                    cx.env,
                    &cx.model.read(),
                    &v.organisation_name,
                    &v.title,
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
            .vacancies()
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
            .prepare(&lines(&self.record, &env.theme, env.lang), area);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let env = cx.env;
        self.scroll
            .render(lines(&self.record, &env.theme, env.lang), area, buf);
        None
    }

    fn crumb(&self, _lang: Lang) -> Option<String> {
        Some(self.record.data.title.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
