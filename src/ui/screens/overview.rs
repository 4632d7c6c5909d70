//! 1 Vertalen › Overview: counts by status, municipality and target group, and intakes per
//! week over the last 26 weeks. The figures ([`OverviewStats`]) come from the aggregates the
//! shared read model keeps (see `readmodel::stats`), picked for today's date outside the draw;
//! this module only draws them.

use crate::domain::draft::Keyed;
use crate::domain::target::{Standing, standing};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::ReadModel;
pub use crate::readmodel::stats::{OverviewStats, WEEKS};
use crate::ui::text::{fit, str_width};
use crate::ui::theme::Theme;
use crate::ui::view::fmt_count;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget};

/// Rows the weekly chart keeps (under the trend band) before the lists above it grow.
const CHART_MIN: u16 = 6;
/// Rows of the band with the trends and the targets: a title and five lines.
const TREND_ROWS: u16 = 6;

/// One block per week, as high as its count against the busiest week (`·` for none).
fn sparkline(counts: &[u64]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let most = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|&c| {
            if c == 0 || most == 0 {
                '·'
            } else {
                BLOCKS[((c * 8).div_ceil(most) as usize).clamp(1, 8) - 1]
            }
        })
        .collect()
}

/// The band under the lists: left, intakes, placements and trajectories started per week
/// over the chart's weeks; right, this year so far against the centre's targets, each with a
/// short bar and ahead or behind in words.
fn render_trends(
    stats: &OverviewStats,
    today: time::Date,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
) {
    if area.height < 2 {
        return;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(52), Constraint::Percentage(48)]).areas(area);
    let block = |title: String| {
        Block::default()
            .borders(Borders::TOP)
            .border_style(theme.border)
            .title(Span::styled(title, theme.title))
    };
    let label_w = 14usize;
    let label = |key: &str| {
        let text = fit(t(lang, key), label_w - 1).into_owned();
        let pad = label_w.saturating_sub(str_width(&text));
        format!("{text}{}", " ".repeat(pad))
    };
    let intakes: Vec<u64> = stats.per_week.iter().map(|w| w.2).collect();
    // The newest weeks, as many as the band has room for (all of them on a wide terminal).
    let weeks = usize::from(left.width)
        .saturating_sub(label_w + 8)
        .clamp(1, WEEKS);
    let lines: Vec<Line> = [
        ("ui.trend_intakes", &intakes),
        ("ui.trend_placements", &stats.placements_per_week),
        ("ui.trend_trajectories", &stats.trajectories_per_week),
    ]
    .into_iter()
    .map(|(key, counts)| {
        let shown = &counts[counts.len().saturating_sub(weeks)..];
        let total: u64 = shown.iter().sum();
        Line::from(vec![
            Span::raw(label(key)),
            Span::styled(sparkline(shown), theme.key),
            Span::raw(format!(" {}", fmt_count(lang, total))),
        ])
    })
    .collect();
    Paragraph::new(lines)
        .block(block(tf(
            lang,
            "ui.trend_title",
            &[("weeks", weeks.to_string())],
        )))
        .render(left, buf);

    let year = today.year();
    let set = stats.targets.iter().any(|c| c.goal.is_some());
    let lines: Vec<Line> = if set {
        stats
            .targets
            .iter()
            .map(|c| {
                let name = label(&format!("measure.{}", c.measure.key()));
                let Some(goal) = c.goal else {
                    return Line::from(vec![
                        Span::raw(name),
                        Span::styled(t(lang, "ui.overview_no_goal").to_string(), theme.dim),
                    ]);
                };
                let percent = if goal == 0 {
                    100
                } else {
                    u64::from(c.done) * 100 / u64::from(goal)
                };
                let cells = 6u64;
                let filled = (percent * cells / 100).min(cells) as usize;
                let bar = format!(
                    "{}{}",
                    "█".repeat(filled),
                    "░".repeat(cells as usize - filled)
                );
                let (words, style) = match standing(c.done, goal, year, today) {
                    Standing::Ahead => (t(lang, "ui.target_ahead").to_string(), theme.ok),
                    Standing::Behind => (t(lang, "ui.overview_behind").to_string(), theme.warning),
                };
                Line::from(vec![
                    Span::raw(name),
                    Span::raw(format!("{bar} {percent:>3} % ")),
                    Span::styled(words, style),
                ])
            })
            .collect()
    } else {
        vec![Line::from(Span::styled(
            tf(
                lang,
                "ui.target_none_this_year",
                &[("year", year.to_string())],
            ),
            theme.dim,
        ))]
    };
    Paragraph::new(lines)
        .block(block(tf(
            lang,
            "ui.overview_targets",
            &[("year", year.to_string())],
        )))
        .render(right, buf);
}

pub fn render(
    stats: &OverviewStats,
    loaded: bool,
    today: Option<time::Date>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    lang: Lang,
) {
    if !loaded {
        Paragraph::new(t(lang, "ui.loading")).render(area, buf);
        return;
    }
    // Tall enough for every municipality (and the status list with its total) when the chart
    // keeps room; else the municipality list ends in "+N more".
    let wanted = (stats.by_municipality.len().max(stats.by_status.len() + 2) + 1) as u16;
    let top_h = wanted.min(area.height.saturating_sub(CHART_MIN + TREND_ROWS).max(9));
    let [top, chart] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(0)]).areas(area);
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
    // A number is never cut: the label gives way (cut with "…") first.
    let count_line = |label: String, n: usize, width: u16| {
        let num = fmt_count(lang, n as u64);
        let num_w = str_width(&num);
        let label = fit(&label, usize::from(width).saturating_sub(num_w + 1)).into_owned();
        let pad = usize::from(width).saturating_sub(str_width(&label) + num_w);
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
    // Trajectories with a progress meeting overdue, with a marker and in words (not colour
    // alone); shown while any trajectory is open.
    if stats.trajectories_open > 0 {
        let n = stats.trajectories_overdue;
        let (key, style) = if n > 0 {
            ("ui.overview_overdue", theme.warning)
        } else {
            ("ui.overview_none_overdue", theme.dim)
        };
        let line = count_line(t(lang, key).to_string(), n as usize, w);
        lines.push(Line::from(Span::styled(line.to_string(), style)));
    }
    Paragraph::new(lines)
        .block(block(t(lang, "ui.by_status").to_string()))
        .render(left, buf);

    let w = mid.width.saturating_sub(2);
    let rows = usize::from(mid.height.saturating_sub(1));
    let all = &stats.by_municipality;
    let shown = if all.len() > rows {
        rows.saturating_sub(1)
    } else {
        all.len()
    };
    let mut lines: Vec<Line> = all
        .iter()
        .take(shown)
        .map(|(m, n)| count_line(m.clone(), *n, w))
        .collect();
    if shown < all.len() && rows > 0 {
        let rest = &all[shown..];
        let more = tf(lang, "ui.more", &[("n", rest.len().to_string())]);
        let line = count_line(more, rest.iter().map(|(_, n)| n).sum(), w);
        lines.push(Line::from(Span::styled(line.to_string(), theme.dim)));
    }
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

    // The trends and the year against its targets in a band of their own under the lists;
    // the intakes chart above it where there is room for both.
    let band_h = TREND_ROWS.min(chart.height);
    let [band, chart] =
        Layout::vertical([Constraint::Length(band_h), Constraint::Min(0)]).areas(chart);
    if let Some(today) = today {
        render_trends(stats, today, band, buf, theme, lang);
    }
    if chart.height < CHART_MIN {
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
    // A week number or a count that does not fit its bar is left out rather than cut.
    let fits = |text: &str| str_width(text) <= usize::from(bar_width);
    let bars: Vec<Bar> = stats
        .per_week
        .iter()
        .map(|(_, w, n)| {
            let week = w.to_string();
            let count = n.to_string();
            Bar::default()
                .value(*n)
                .label(Line::from(if fits(&week) { week } else { String::new() }))
                .text_value(if fits(&count) { count } else { String::new() })
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
/// The Overview screen.
#[derive(Default)]
pub struct Overview {
    pub stats: OverviewStats,
    loaded: bool,
    /// The day the figures were picked for (the chart ends in this week).
    day: Option<time::Date>,
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
        let stale = self.stats.version != Some(model.version()) || self.day != Some(env.today);
        if self.loaded && stale {
            self.stats = OverviewStats::compute(model, env.today);
            self.day = Some(env.today);
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
            self.day,
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
