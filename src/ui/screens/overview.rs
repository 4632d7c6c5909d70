//! 1 Vertalen › Overview: counts by status, municipality and target group, and intakes per
//! week over the last 26 weeks. Computed from the read model once per model version (in
//! `update`, not while drawing).

use crate::domain::dates::iso_week;
use crate::domain::volunteer::{Status, TargetGroup};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::ReadModel;
use crate::ui::theme::Theme;
use crate::ui::view::fmt_count;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget};
use time::{Date, Duration};

/// Weeks in the intake chart.
pub const WEEKS: usize = 26;

/// The figures of the overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewStats {
    /// Model version these were computed from.
    pub version: Option<u64>,
    pub total: usize,
    pub by_status: Vec<(Status, usize)>,
    /// Sorted by count, largest first.
    pub by_municipality: Vec<(String, usize)>,
    pub by_group: Vec<(TargetGroup, usize)>,
    /// (ISO year, week, intakes), oldest first, ending with the current week.
    pub per_week: Vec<(i32, u8, u64)>,
}

impl OverviewStats {
    pub fn compute(model: &ReadModel, today: Date) -> OverviewStats {
        let rows = model.volunteers();
        let mut by_status: Vec<(Status, usize)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
        let mut by_group: Vec<(TargetGroup, usize)> =
            TargetGroup::ALL.iter().map(|g| (*g, 0)).collect();
        let mut munis: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        // Monday of the current week, and of the first week in the chart.
        let this_monday =
            today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
        let first_monday = this_monday - Duration::weeks(WEEKS as i64 - 1);
        let mut per_week = vec![0u64; WEEKS];
        for r in rows {
            if let Some(e) = by_status.iter_mut().find(|(s, _)| *s == r.status) {
                e.1 += 1;
            }
            for e in by_group.iter_mut() {
                if r.has_group(e.0) {
                    e.1 += 1;
                }
            }
            *munis.entry(r.municipality.as_str()).or_default() += 1;
            if r.intake_date >= first_monday && r.intake_date <= today {
                let w = ((r.intake_date - first_monday).whole_days() / 7) as usize;
                if let Some(c) = per_week.get_mut(w) {
                    *c += 1;
                }
            }
        }
        let mut by_municipality: Vec<(String, usize)> =
            munis.into_iter().map(|(m, n)| (m.to_string(), n)).collect();
        by_municipality.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let per_week = per_week
            .into_iter()
            .enumerate()
            .map(|(i, n)| {
                let (y, w) = iso_week(first_monday + Duration::weeks(i as i64));
                (y, w, n)
            })
            .collect();
        OverviewStats {
            version: Some(model.version()),
            total: rows.len(),
            by_status,
            by_municipality,
            by_group,
            per_week,
        }
    }
}

pub fn render(
    stats: &OverviewStats,
    loaded: bool,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
) {
    if !loaded {
        Paragraph::new(t(lang, "ui.loading")).render(area, buf);
        return;
    }
    let [top, chart] = Layout::vertical([Constraint::Length(9), Constraint::Min(0)]).areas(area);
    let [left, mid, right] = Layout::horizontal([
        Constraint::Percentage(34),
        Constraint::Percentage(36),
        Constraint::Percentage(30),
    ])
    .areas(top);
    let block = |title: String| {
        Block::default()
            .borders(Borders::TOP)
            .border_style(theme.border)
            .title(Span::styled(title, theme.title))
    };
    let count_line = |label: String, n: usize, width: u16| {
        let num = fmt_count(lang, n as u64);
        let pad = (width as usize).saturating_sub(label.chars().count() + num.chars().count() + 1);
        Line::from(vec![
            Span::raw(label),
            Span::raw(" ".repeat(pad.max(1))),
            Span::raw(num),
        ])
    };
    let w = left.width.saturating_sub(2);
    let mut lines: Vec<Line> = stats
        .by_status
        .iter()
        .map(|(s, n)| count_line(t(lang, &format!("status.{}", s.key())).to_string(), *n, w))
        .collect();
    lines.push(Line::from(Span::styled(
        count_line(t(lang, "ui.total").to_string(), stats.total, w).to_string(),
        theme.title,
    )));
    Paragraph::new(lines)
        .block(block(t(lang, "ui.by_status").to_string()))
        .render(left, buf);

    let w = mid.width.saturating_sub(2);
    let rows = usize::from(mid.height.saturating_sub(1));
    let lines: Vec<Line> = stats
        .by_municipality
        .iter()
        .take(rows)
        .map(|(m, n)| count_line(m.clone(), *n, w))
        .collect();
    Paragraph::new(lines)
        .block(block(t(lang, "ui.by_municipality").to_string()))
        .render(mid, buf);

    let w = right.width.saturating_sub(1);
    let lines: Vec<Line> = stats
        .by_group
        .iter()
        .map(|(g, n)| {
            count_line(
                t(lang, &format!("target_group.{}", g.key())).to_string(),
                *n,
                w,
            )
        })
        .collect();
    Paragraph::new(lines)
        .block(block(t(lang, "ui.by_group").to_string()))
        .render(right, buf);

    if chart.height < 4 {
        return;
    }
    let total: u64 = stats.per_week.iter().map(|w| w.2).sum();
    let title = tf(
        lang,
        "ui.intakes_per_week",
        &[
            ("weeks", WEEKS.to_string()),
            ("total", fmt_count(lang, total)),
        ],
    );
    let inner_w = chart.width.saturating_sub(2);
    let bar_width = ((inner_w / WEEKS as u16).saturating_sub(1)).clamp(1, 4);
    let bars: Vec<Bar> = stats
        .per_week
        .iter()
        .map(|(_, w, n)| {
            Bar::default()
                .value(*n)
                .label(Line::from(format!("{w}")))
                .text_value(if bar_width >= 2 {
                    n.to_string()
                } else {
                    String::new()
                })
        })
        .collect();
    BarChart::default()
        .block(block(title))
        .bar_width(bar_width)
        .bar_gap(1)
        .bar_style(theme.key)
        .value_style(theme.tab_active)
        .data(BarGroup::default().bars(&bars))
        .render(chart, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Status;
    use crate::readmodel::{VolunteerRow, test_row};
    use time::macros::date;

    fn row(id: u64, status: Status, muni: &str, intake: Date, groups: u8) -> VolunteerRow {
        VolunteerRow {
            status,
            municipality: muni.into(),
            intake_date: intake,
            groups,
            ..test_row(id, &format!("N{id:05}"))
        }
    }

    #[test]
    fn counts_and_weeks() {
        let mut m = ReadModel::default();
        let today = date!(2026 - 11 - 27); // Friday of week 48
        m.replace_all(vec![
            row(1, Status::New, "Dordrecht", date!(2026 - 11 - 23), 1),
            row(2, Status::Placed, "Dordrecht", date!(2026 - 11 - 22), 2 | 4),
            row(3, Status::New, "Gorinchem", date!(2024 - 01 - 01), 0),
        ]);
        let s = OverviewStats::compute(&m, today);
        assert_eq!(s.total, 3);
        assert_eq!(s.by_status[0], (Status::New, 2));
        assert_eq!(s.by_municipality[0], ("Dordrecht".to_string(), 2));
        assert_eq!(
            s.by_group,
            vec![
                (TargetGroup::Jongere, 1),
                (TargetGroup::Senior, 1),
                (TargetGroup::Kwetsbaar, 1)
            ]
        );
        assert_eq!(s.per_week.len(), WEEKS);
        assert_eq!(*s.per_week.last().unwrap(), (2026, 48, 1));
        assert_eq!(s.per_week[WEEKS - 2], (2026, 47, 1));
        assert_eq!(s.per_week.iter().map(|w| w.2).sum::<u64>(), 2);
    }
}

/// The Overview screen.
#[derive(Default)]
pub struct Overview {
    pub stats: OverviewStats,
    loaded: bool,
}

impl crate::ui::component::Component for Overview {
    fn contexts(&self) -> Vec<crate::ui::keymap::Context> {
        vec![crate::ui::keymap::Context::Navigation]
    }

    fn on_action(
        &mut self,
        _action: crate::ui::action::Action,
        _cx: &mut crate::ui::component::Cx,
    ) -> crate::ui::component::Handled {
        crate::ui::component::Handled::No
    }

    fn prepare(&mut self, model: &ReadModel, _area: Rect, env: &crate::ui::component::Env) {
        self.loaded = model.loaded();
        if self.loaded && self.stats.version != Some(model.version()) {
            self.stats = OverviewStats::compute(model, env.today);
        }
    }

    fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        cx: &crate::ui::component::RenderCx,
    ) -> Option<ratatui::layout::Position> {
        render(
            &self.stats,
            self.loaded,
            area,
            buf,
            &cx.env.theme,
            cx.env.lang,
        );
        None
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
