//! 4 Verbreiden › Waardering: who to thank — people whose placement reaches 1, 5 or 10 years
//! within a month before or after today (still placed), and pupils whose maatschappelijke
//! stage has all its hours. Enter asks, then logs the thank-you as an appreciation activity
//! held today (who, why, the organisation); the line then says when they were thanked, and
//! Enter on it opens that activity. Worked out from the read model when it changes, never by
//! scanning the store.
//!
//! koppel records no hours of volunteers outside a maatschappelijke stage, so "a number of
//! hours this month" can only be the MaS pupils' hours.

use super::open_record;
use crate::domain::activity::Thanks;
use crate::domain::format_date;
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{ReadModel, ThankRow};
use crate::service::{Kind, ServiceError, Stored};
use crate::ui::action::Action;
use crate::ui::component::{
    Cmd, Component, Cx, Done, Env, FlashKind, Handled, Job, JobCx, RenderCx,
};
use crate::ui::keymap::Context;
use crate::ui::modal::Confirm;
use crate::ui::text::put;
use crate::ui::widgets::pick;
use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;
use time::Date;

/// Column widths of name, why, where, date and whether thanked in `width` columns: where
/// takes what the others leave (at least 8), the rest have fixed widths.
fn widths(width: u16) -> [u16; 5] {
    let fixed = [20u16, 18, 0, 10, 16];
    let used: u16 = 2 + fixed.iter().sum::<u16>() + 4;
    let place = width.saturating_sub(used).clamp(8, 30);
    [fixed[0], fixed[1], place, fixed[3], fixed[4]]
}

/// The appreciation screen.
#[derive(Default)]
pub struct Appreciation {
    /// The rows of the last prepared frame: not yet thanked first.
    pub rows: Vec<ThankRow>,
    pub selected: usize,
    offset: usize,
    loaded: bool,
    /// The model version and day the rows were worked out for.
    counted: Option<(u64, Date)>,
    /// The thank-you asked about, logged when the question is answered yes.
    asked: Option<ThankRow>,
}

/// Why someone is on the list, in words.
pub fn why(lang: Lang, t_: Thanks) -> String {
    match t_ {
        Thanks::PlacementYears { years: 1, .. } => t(lang, "ui.thanks_one_year").to_string(),
        Thanks::PlacementYears { years, .. } => {
            tf(lang, "ui.thanks_years", &[("years", years.to_string())])
        }
        Thanks::MasHours { .. } => t(lang, "ui.thanks_mas").to_string(),
    }
}

/// The activity's title: "Bedankt: Jansen, Piet (5 jaar bij Humanitas)".
fn title(lang: Lang, row: &ThankRow) -> String {
    tf(
        lang,
        "ui.thanks_title",
        &[
            ("name", row.name.clone()),
            ("why", why(lang, row.thanks)),
            ("place", row.place.clone()),
        ],
    )
}

/// Logs a thank-you through the service.
struct LogThanks {
    row: ThankRow,
    title: String,
}

struct Logged {
    row: ThankRow,
    result: Result<Stored<crate::domain::activity::Activity>, ServiceError>,
}

impl Job for LogThanks {
    fn name(&self) -> &'static str {
        "log_thanks"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let place = Some(self.row.place.clone()).filter(|p| !p.trim().is_empty());
        let result = jx
            .service
            .log_thanks(jx.who, self.row.thanks, self.title, place);
        if let Ok(saved) = &result {
            jx.model.put_activity(saved);
        }
        Box::new(Logged {
            row: self.row,
            result,
        })
    }
}

impl Appreciation {
    fn open(&mut self, cx: &mut Cx) {
        let Some(row) = self.rows.get(self.selected).cloned() else {
            return;
        };
        let lang = cx.lang();
        match row.thanked {
            Some((_, activity)) => {
                open_record(Kind::Activity, activity, cx);
            }
            None => {
                let question = tf(
                    lang,
                    "ui.thanks_confirm",
                    &[("name", row.name.clone()), ("why", why(lang, row.thanks))],
                );
                self.asked = Some(row);
                cx.modal(Confirm::new(&question, vec![Cmd::Dispatch(Action::Yes)]));
            }
        }
    }
}

impl Component for Appreciation {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::List, Context::Navigation]
    }

    fn offers(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::Search
                | Action::New
                | Action::Edit
                | Action::ChangeStatus
                | Action::FilterStatus
                | Action::FilterMunicipality
                | Action::ClearFilters
                | Action::ExportCsv
                | Action::Back
        )
    }

    fn on_mouse(&mut self, m: MouseEvent, area: Rect, cx: &mut Cx) -> bool {
        match m.kind {
            MouseEventKind::ScrollDown => self.on_action(Action::Down, cx),
            MouseEventKind::ScrollUp => self.on_action(Action::Up, cx),
            MouseEventKind::Down(_) => {
                let row = m.row.saturating_sub(area.y + 2) as usize + self.offset;
                if m.row >= area.y + 2 && row < self.rows.len() {
                    self.selected = row;
                    self.on_action(Action::Open, cx);
                }
                Handled::Yes
            }
            _ => return false,
        };
        true
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if pick::step(&mut self.selected, self.rows.len(), action) {
            return Handled::Yes;
        }
        match action {
            Action::Open => self.open(cx),
            // The question's yes (dispatched back here when the question closes).
            Action::Yes => {
                if let Some(row) = self.asked.take() {
                    let title = title(cx.lang(), &row);
                    cx.run(LogThanks { row, title });
                }
            }
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        if done.name != "log_thanks" {
            // The activity of a thank-you opened with Enter.
            super::after_open(done, cx);
            return;
        }
        let Some(Logged { row, result }) = done.take::<Logged>() else {
            return;
        };
        let lang = cx.lang();
        match result {
            Ok(_) => cx.flash(
                FlashKind::Ok,
                tf(lang, "ui.thanks_logged", &[("name", row.name)]),
            ),
            Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
        }
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.loaded = model.loaded();
        let now = (model.version(), env.today);
        if self.counted != Some(now) {
            let chosen = self.rows.get(self.selected).map(|r| r.thanks);
            self.rows = model.to_thank(env.today);
            self.counted = Some(now);
            // The selection stays on the same person when the order changes.
            if let Some(c) = chosen
                && let Some(i) = self.rows.iter().position(|r| r.thanks == c)
            {
                self.selected = i;
            }
        }
        let height = usize::from(area.height.saturating_sub(3));
        pick::follow(
            &mut self.selected,
            &mut self.offset,
            self.rows.len(),
            height,
        );
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        if area.height < 3 || area.width == 0 {
            return None;
        }
        put(
            buf,
            area.x,
            area.y,
            area.right(),
            t(lang, "ui.thanks_intro"),
            theme.dim,
        );
        let titles = [
            t(lang, "ui.col_name"),
            t(lang, "ui.col_why"),
            t(lang, "ui.col_where"),
            t(lang, "ui.col_when"),
            t(lang, "ui.col_thanked"),
        ];
        let widths = widths(area.width);
        pick::headings(buf, area, &titles, &widths, theme.title);
        if pick::instead_of_rows(
            buf,
            area,
            (self.loaded, self.rows.is_empty()),
            (t(lang, "ui.loading"), t(lang, "ui.thanks_empty")),
            theme.dim,
        ) {
            return None;
        }
        let rows = usize::from(area.height - 2);
        for (i, r) in self.rows.iter().enumerate().skip(self.offset).take(rows) {
            let y = area.y + 2 + (i - self.offset) as u16;
            let selected = i == self.selected;
            let style = if selected {
                theme.selected
            } else if r.thanked.is_some() {
                theme.dim
            } else {
                theme.base
            };
            let cells = [
                r.name.clone(),
                why(lang, r.thanks),
                r.place.clone(),
                format_date(r.due),
                match r.thanked {
                    Some((day, _)) => tf(lang, "ui.thanks_done", &[("date", format_date(day))]),
                    None => t(lang, "ui.thanks_open").to_string(),
                },
            ];
            pick::row(
                buf,
                area,
                y,
                (selected, theme.selected),
                &cells,
                &widths,
                style,
            );
        }
        None
    }

    fn help_note(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "ui.thanks_help").to_string())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
