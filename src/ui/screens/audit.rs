//! 5 Verankeren › Auditlog: the audit trail, newest first. Read-only. `/` searches who, what,
//! which record and the detail; `f` narrows it to a period (the last 7 or 30 days, this
//! year); Enter opens the record an entry is about. Only the roles that may read the trail
//! (coordinators and administrators, `Permission::ReadAuditLog`) see it; others are told why.

use crate::domain::format_date;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{AuditRow, Haystacks, ReadModel};
use crate::service::{Kind, Permission, allowed};
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Done, Env, FlashKind, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::table::{Column, Projection, Shape, Table};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::any::Any;
use time::{Date, Duration, Month};

/// What an audit verb means, in `lang`; an unknown verb (from a newer koppel) as written.
pub fn action_name(lang: Lang, action: &str) -> String {
    let key = format!("audit_action.{action}");
    let text = t(lang, &key);
    if text == key {
        action.replace('_', " ")
    } else {
        text.to_string()
    }
}

/// The record an entry is about: "volunteer 12", in `lang`.
pub fn subject_name(lang: Lang, row: &AuditRow) -> String {
    match row.subject {
        Some((kind, id)) => format!("{} {id}", t(lang, &format!("kind.{}.one", kind.as_str()))),
        None => row.subject_text.clone(),
    }
}

/// Audit events as a list.
pub struct AuditRows;

static COLUMNS: [Column<AuditRow>; 5] = [
    Column {
        title: "ui.col_when",
        min: 16,
        preferred: 16,
        max: 16,
        drop: 0,
        cell: |r, _| {
            format!(
                "{} {:02}:{:02}",
                format_date(r.at.date()),
                r.at.hour(),
                r.at.minute()
            )
        },
    },
    Column {
        title: "ui.col_who",
        min: 6,
        preferred: 10,
        max: 16,
        drop: 0,
        cell: |r, _| r.actor.clone(),
    },
    Column {
        title: "ui.col_what",
        min: 22,
        preferred: 26,
        max: 30,
        drop: 0,
        cell: |r, lang| action_name(lang, &r.action),
    },
    Column {
        title: "ui.col_about",
        min: 16,
        preferred: 18,
        max: 22,
        drop: 1,
        cell: |r, lang| subject_name(lang, r),
    },
    Column {
        title: "ui.col_detail",
        min: 12,
        preferred: 30,
        max: 80,
        drop: 3,
        cell: |r, _| r.detail.clone(),
    },
];

impl Projection for AuditRows {
    type Row = AuditRow;
    const EMPTY: &'static str = "ui.audit_empty";
    const NO_MATCHES: &'static str = "ui.audit_no_matches";
    fn rows(model: &ReadModel) -> &[AuditRow] {
        model.audit_trail().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.audit_trail().haystacks()
    }
    fn id(row: &AuditRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<AuditRow>] {
        &COLUMNS
    }
}

/// The periods `f` steps through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    All,
    LastWeek,
    LastMonth,
    ThisYear,
}

impl Period {
    fn next(self) -> Period {
        match self {
            Period::All => Period::LastWeek,
            Period::LastWeek => Period::LastMonth,
            Period::LastMonth => Period::ThisYear,
            Period::ThisYear => Period::All,
        }
    }

    /// The first day the period shows, on `today`; `None` for everything.
    pub fn from(self, today: Date) -> Option<Date> {
        match self {
            Period::All => None,
            Period::LastWeek => Some(today - Duration::days(6)),
            Period::LastMonth => Some(today - Duration::days(29)),
            Period::ThisYear => Date::from_calendar_date(today.year(), Month::January, 1).ok(),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Period::All => "ui.audit_period_all",
            Period::LastWeek => "ui.audit_period_week",
            Period::LastMonth => "ui.audit_period_month",
            Period::ThisYear => "ui.audit_period_year",
        }
    }
}

/// The Auditlog screen.
#[derive(Default)]
pub struct AuditLog {
    pub table: Table<AuditRows>,
    pub period: Period,
    today: Option<Date>,
    generation: u64,
    filters: String,
    /// Whether the session's role may read the trail (from the service's permission table).
    allowed: bool,
}

impl AuditLog {
    fn refresh(&mut self, model: &ReadModel, today: Date) {
        if self.today != Some(today) {
            self.today = Some(today);
            self.generation += 1;
        }
        let from = self.period.from(today);
        let keep = move |r: &AuditRow| from.is_none_or(|from| r.at.date() >= from);
        let shape = Shape {
            keep: from
                .is_some()
                .then_some(&keep as &dyn Fn(&AuditRow) -> bool),
            order: None,
            generation: self.generation,
        };
        self.table.refresh(model, &shape);
    }

    fn open_selected(&mut self, cx: &mut Cx) {
        self.table.filtering = false;
        let row = {
            let model = cx.model.read();
            self.refresh(&model, cx.env.today);
            self.table.selected_row(&model).cloned()
        };
        let Some(row) = row else { return };
        let opened = match row.subject {
            Some((kind, id)) if kind != Kind::Audit => {
                crate::ui::screens::open_record(kind, id, cx)
            }
            _ => false,
        };
        if !opened {
            cx.flash(FlashKind::Info, t(cx.lang(), "ui.audit_no_record"));
        }
    }
}

impl Component for AuditLog {
    fn contexts(&self) -> Vec<Context> {
        if !self.allowed {
            vec![Context::Navigation]
        } else if self.table.filtering {
            vec![Context::Filter]
        } else {
            vec![Context::List, Context::Navigation]
        }
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx) -> bool {
        if self.allowed && self.table.on_key(key) {
            let model = cx.model.read();
            self.refresh(&model, cx.env.today);
            return true;
        }
        false
    }

    fn on_paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        if !self.allowed {
            return false;
        }
        let used = self.table.on_paste(text);
        let model = cx.model.read();
        self.refresh(&model, cx.env.today);
        used
    }

    fn on_mouse(&mut self, m: MouseEvent, area: Rect, cx: &mut Cx) -> bool {
        if !self.allowed {
            return false;
        }
        match self.table.on_mouse(m, area) {
            Some(true) => self.open_selected(cx),
            Some(false) => {}
            None => return false,
        }
        true
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if !self.allowed {
            return Handled::No;
        }
        if self.table.on_move(action) {
            return Handled::Yes;
        }
        match action {
            Action::Search => self.table.filtering = true,
            Action::ExportCsv => {
                let rows = {
                    let model = cx.model.read();
                    self.refresh(&model, cx.env.today);
                    self.table.export(&model, cx.lang())
                };
                let name = crate::ui::modal::export::default_name(
                    cx.lang(),
                    "screen.audit_log",
                    cx.env.today,
                );
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            Action::FilterStatus => {
                self.period = self.period.next();
                self.generation += 1;
            }
            Action::Back if self.table.filtering => {
                self.table.stop_search();
            }
            Action::Back | Action::ClearFilters => {
                let had_period = self.period != Period::All;
                self.period = Period::All;
                self.generation += 1;
                if !self.table.stop_search() && !had_period {
                    return Handled::No;
                }
            }
            Action::Open => self.open_selected(cx),
            _ => return Handled::No,
        }
        let model = cx.model.read();
        self.refresh(&model, cx.env.today);
        Handled::Yes
    }

    fn offers(&self, action: Action) -> bool {
        !matches!(action, Action::New | Action::Edit)
    }

    fn unavailable(&self) -> Vec<Action> {
        let mut out = vec![Action::New, Action::Edit];
        if !self.allowed {
            out.extend([
                Action::Search,
                Action::ExportCsv,
                Action::FilterStatus,
                Action::Open,
            ]);
        }
        out
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        crate::ui::screens::after_open(done, cx);
    }

    fn on_model(&mut self, cx: &mut Cx) {
        let model = cx.model.read();
        self.refresh(&model, cx.env.today);
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.allowed = allowed(env.role, Permission::ReadAuditLog);
        if !self.allowed {
            return;
        }
        self.refresh(model, env.today);
        self.table.prepare(model, area, env.lang);
        let lang = env.lang;
        self.filters = tf(
            lang,
            "ui.audit_filters",
            &[("period", t(lang, self.period.key()).to_string())],
        );
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        if !self.allowed {
            let lines = vec![
                Line::from(Span::styled(t(lang, "screen.audit_log"), theme.title)),
                Line::default(),
                Line::from(t(lang, "ui.audit_not_allowed")),
            ];
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(area, buf);
            return None;
        }
        self.table.render(area, buf, theme, lang, &self.filters)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_start_where_staff_expect_and_step_round() {
        let today = date!(2026 - 11 - 29);
        assert_eq!(Period::All.from(today), None);
        assert_eq!(Period::LastWeek.from(today), Some(date!(2026 - 11 - 23)));
        assert_eq!(Period::LastMonth.from(today), Some(date!(2026 - 10 - 31)));
        assert_eq!(Period::ThisYear.from(today), Some(date!(2026 - 01 - 01)));
        let mut p = Period::All;
        for _ in 0..4 {
            p = p.next();
        }
        assert_eq!(p, Period::All);
    }
}
