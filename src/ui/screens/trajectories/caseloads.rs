//! 3 Versterken › Caseloads, for coordinators: per consultant the active trajectories, the
//! overdue meetings, the meetings due soon, the people not seen for too long and the ladder
//! movement, the most urgent on top. The figures come from the read model's caseload
//! aggregate (kept current with every change), never from a rescan. Enter opens that
//! consultant's trajectories, overdue first.

use super::{TrajectoryList, consultant_name};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{CaseloadLine, ReadModel};
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::text::put;
use crate::ui::widgets::pick;
use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// The caseloads screen.
#[derive(Default)]
pub struct Caseloads {
    /// The lines of the last prepared frame, most urgent first.
    pub lines: Vec<CaseloadLine>,
    /// Display names of the lines' consultants.
    names: Vec<String>,
    pub selected: usize,
    offset: usize,
    loaded: bool,
}

/// Column widths: name, active, overdue, due soon, no contact, ladder.
const WIDTHS: [u16; 6] = [20, 7, 11, 8, 12, 12];

/// A small bar: `n` of `total` in `width` cells.
fn bar(n: u32, total: u32, width: usize) -> String {
    if total == 0 || width == 0 {
        return String::new();
    }
    let full = (n as usize * width).div_ceil(total as usize).min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

impl Component for Caseloads {
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
                if m.row >= area.y + 2 && row < self.lines.len() {
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
        if pick::step(&mut self.selected, self.lines.len(), action) {
            return Handled::Yes;
        }
        match action {
            Action::Open => {
                if let Some(l) = self.lines.get(self.selected) {
                    cx.push(TrajectoryList::pushed(&l.consultant));
                }
            }
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.loaded = model.loaded();
        let chosen = self.lines.get(self.selected).map(|l| l.consultant.clone());
        self.lines = model.caseloads().lines(env.today, &env.trajectories);
        self.names = self
            .lines
            .iter()
            .map(|l| consultant_name(&env.consultants, &l.consultant))
            .collect();
        // The selection stays on the same consultant when the order changes.
        if let Some(c) = chosen
            && let Some(i) = self.lines.iter().position(|l| l.consultant == c)
        {
            self.selected = i;
        }
        let height = usize::from(area.height.saturating_sub(3));
        pick::follow(
            &mut self.selected,
            &mut self.offset,
            self.lines.len(),
            height,
        );
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        if area.height < 3 || area.width == 0 {
            return None;
        }
        let s = &cx.env.trajectories;
        put(
            buf,
            area.x,
            area.y,
            area.right(),
            &tf(
                lang,
                "ui.caseload_intro",
                &[
                    ("soon", s.due_within_days.to_string()),
                    ("days", s.no_contact_days.to_string()),
                ],
            ),
            theme.dim,
        );
        let titles = [
            t(lang, "field.consultant"),
            t(lang, "ui.col_active"),
            t(lang, "ui.col_overdue"),
            &tf(
                lang,
                "ui.col_due_soon",
                &[("n", s.due_within_days.to_string())],
            ),
            t(lang, "ui.col_no_contact"),
            t(lang, "ui.col_movement"),
        ];
        pick::headings(buf, area, &titles, &WIDTHS, theme.title);
        if pick::instead_of_rows(
            buf,
            area,
            (self.loaded, self.lines.is_empty()),
            (t(lang, "ui.loading"), t(lang, "ui.caseload_empty")),
            theme.dim,
        ) {
            return None;
        }
        let rows = usize::from(area.height - 2);
        for (i, l) in self.lines.iter().enumerate().skip(self.offset).take(rows) {
            let y = area.y + 2 + (i - self.offset) as u16;
            let selected = i == self.selected;
            let style = if selected { theme.selected } else { theme.base };
            let overdue = if l.overdue > 0 {
                format!("⚠ {} {}", l.overdue, t(lang, "ui.late"))
            } else {
                "0".to_string()
            };
            let cells = [
                self.names.get(i).cloned().unwrap_or_default(),
                l.active.to_string(),
                overdue,
                l.due_soon.to_string(),
                l.no_contact.to_string(),
                format!("↑{} ={} ↓{}", l.up, l.same, l.down),
            ];
            pick::row(
                buf,
                area,
                y,
                (selected, theme.selected),
                &cells,
                &WIDTHS,
                style,
            );
            // Where there is room: the share of the caseload that is overdue, as a bar, after
            // the last column.
            let x = area.x + 2 + WIDTHS.iter().map(|w| w + 1).sum::<u16>();
            if x + 6 < area.right() {
                let w = usize::from((area.right() - x).min(16));
                put(
                    buf,
                    x,
                    y,
                    area.right(),
                    &bar(l.overdue, l.active, w),
                    theme.dim,
                );
            }
        }
        None
    }

    fn help_note(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "ui.caseload_help").to_string())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
