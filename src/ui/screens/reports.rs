//! 5 Verankeren › Reports: the summary of a period previewed on screen, with the intakes and
//! placements of the last periods as small charts; ←/→ step through periods, `t` jumps to the
//! current week, `p` switches week / month / quarter / year, `x` exports the summary as
//! Markdown, CSV or JSON through the export dialog.
//!
//! The figures are the report the command line writes (`report::Report`), counted in
//! `prepare` from the read model when the period or the model changes; drawing only lays them
//! out.

use crate::domain::period::{Period, PeriodKind};
use crate::i18n::{Lang, fmt_count, t, tf};
use crate::readmodel::ReadModel;
use crate::report::render::{self, CsvOptions, Format};
use crate::report::{Body, Measure, Report, Target, Trend};
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::modal::export::{ExportModal, ExportOption};
use crate::ui::text::{fit, put, str_width, wrap_words};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Widget};
use std::any::Any;
use std::sync::Arc;

/// Periods in the charts.
const TREND: usize = 12;
/// Rows of the charts' band.
const CHART_ROWS: u16 = 7;

/// The Reports screen.
#[derive(Default)]
pub struct Reports {
    /// The period shown; `None` until the first `prepare` picks the last completed week.
    pub period: Option<Period>,
    /// The report of `period` (and the model version it was counted at).
    pub report: Option<Report>,
    trend: Trend,
    counted: Option<(Period, u64)>,
    loaded: bool,
    /// First line of the figures shown.
    scroll: usize,
    /// Lines of figures, and how many fit (from the last prepare).
    lines: usize,
    visible: usize,
    /// Whether the session's role may read reports (the service's permission table).
    allowed: bool,
}

impl Reports {
    fn step(&mut self, to: Period) {
        self.period = Some(to);
        self.scroll = 0;
    }

    /// The figures as lines of a body `width` columns wide (a section's note wraps).
    fn rows(&self, lang: Lang, width: u16) -> Vec<Row> {
        let Some(r) = &self.report else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        for s in &r.sections {
            rows.push(Row::heading(render::section_title(lang, s.id)));
            match &s.body {
                Body::Absent(_) => {
                    let text = render::absent_text(lang, s.id);
                    for line in wrap_words(&text, usize::from(width.saturating_sub(2)), 0) {
                        rows.push(Row::note(line));
                    }
                }
                Body::Present(f) => {
                    for c in &f.counts {
                        rows.push(Row {
                            label: format!("  {}", render::count_label(lang, s.id, c)),
                            cells: [
                                fmt_count(lang, c.now),
                                fmt_count(lang, c.previous),
                                match (c.measure, c.year_to_date) {
                                    (Measure::Flow, Some(n)) => fmt_count(lang, n),
                                    _ => t(lang, "report.not_applicable").to_string(),
                                },
                                match c.target {
                                    Target::Set(_) => render::target_text(lang, c),
                                    Target::NotSet => String::new(),
                                },
                            ],
                            kind: RowKind::Count,
                        });
                    }
                    for b in &f.breakdowns {
                        // On screen only the rows with something to say.
                        let rows_shown: Vec<_> =
                            b.rows.iter().filter(|r| r.now + r.previous > 0).collect();
                        if rows_shown.is_empty() {
                            continue;
                        }
                        rows.push(Row::sub(format!("  {}", render::breakdown_title(lang, b))));
                        for row in rows_shown {
                            rows.push(Row {
                                label: format!("    {}", render::row_label(lang, b, &row.key)),
                                cells: [
                                    fmt_count(lang, row.now),
                                    fmt_count(lang, row.previous),
                                    String::new(),
                                    String::new(),
                                ],
                                kind: RowKind::Breakdown,
                            });
                        }
                    }
                }
            }
        }
        rows
    }

    fn export(&self, cx: &mut Cx) {
        let Some(report) = &self.report else {
            return;
        };
        let lang = cx.lang();
        let options = Format::ALL
            .iter()
            .map(|&f| ExportOption {
                label: t(lang, &format!("report_screen.format_{}", f.key())).to_string(),
                extension: f.key(),
                bytes: Arc::new(render::render(
                    report,
                    f,
                    lang,
                    CsvOptions {
                        separator: if lang == Lang::Nl { b';' } else { b',' },
                        bom: f == Format::Csv,
                    },
                )),
            })
            .collect();
        let stem = report.file_name("x");
        let stem = stem.strip_suffix(".x").unwrap_or(&stem);
        cx.modal(ExportModal::choose(options, stem));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Heading,
    Note,
    Sub,
    Count,
    Breakdown,
}

struct Row {
    label: String,
    cells: [String; 4],
    kind: RowKind,
}

impl Row {
    fn heading(label: String) -> Row {
        Row {
            label,
            cells: Default::default(),
            kind: RowKind::Heading,
        }
    }
    fn note(label: String) -> Row {
        Row {
            label: format!("  {label}"),
            cells: Default::default(),
            kind: RowKind::Note,
        }
    }
    fn sub(label: String) -> Row {
        Row {
            label,
            cells: Default::default(),
            kind: RowKind::Sub,
        }
    }
}

impl Component for Reports {
    fn contexts(&self) -> Vec<Context> {
        if self.allowed {
            vec![Context::Report, Context::Navigation]
        } else {
            vec![Context::Navigation]
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if !self.allowed {
            return Handled::No;
        }
        let today = cx.env.today;
        let current = self
            .period
            .unwrap_or_else(|| Period::last_completed_week(today));
        let page = self.visible.max(1);
        let last = self.lines.saturating_sub(self.visible);
        match action {
            Action::PrevPeriod => self.step(current.previous()),
            Action::NextPeriod => self.step(current.next()),
            Action::ThisWeek => self.step(Period::containing(PeriodKind::Week, today)),
            Action::PeriodLength => {
                let kind = current.kind().cycle();
                // The new length holds the same last day (a week in November → November).
                self.step(Period::containing(kind, current.to().min(today)));
            }
            Action::ExportReport => self.export(cx),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(last),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll = (self.scroll + page).min(last),
            Action::Home => self.scroll = 0,
            Action::End => self.scroll = last,
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.allowed = crate::service::allowed(env.role, crate::service::Permission::ReadReports);
        if !self.allowed {
            return;
        }
        self.loaded = model.loaded();
        let period = *self
            .period
            .get_or_insert_with(|| Period::last_completed_week(env.today));
        if self.loaded && self.counted != Some((period, model.version())) {
            self.report = Some(Report::compute(model, period));
            self.trend = Trend::compute(model, period, TREND);
            self.counted = Some((period, model.version()));
        }
        self.lines = self.rows(env.lang, area.width).len();
        self.visible = usize::from(figures_area(area).height.saturating_sub(1));
        self.scroll = self.scroll.min(self.lines.saturating_sub(self.visible));
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        if !self.allowed {
            crate::ui::text::put_wrapped(
                buf,
                area,
                t(lang, "report_screen.not_allowed"),
                theme.base,
            );
            return None;
        }
        let (Some(report), true) = (&self.report, self.loaded) else {
            put(
                buf,
                area.x,
                area.y,
                area.right(),
                t(lang, "report_screen.loading"),
                theme.dim,
            );
            return None;
        };
        // The title and the dates.
        let head = format!(
            "{} · {}",
            render::title(lang, report),
            render::dates(lang, report.period.from(), report.period.to())
        );
        put(
            buf,
            area.x,
            area.y,
            area.right(),
            &fit(&head, usize::from(area.width)),
            theme.title,
        );
        put(
            buf,
            area.x,
            area.y + 1,
            area.right(),
            &fit(t(lang, "report_screen.keys"), usize::from(area.width)),
            theme.dim,
        );
        if area.height > CHART_ROWS + 6 {
            self.render_charts(charts_area(area), buf, lang, theme);
        }
        self.render_figures(figures_area(area), buf, lang, theme, report);
        None
    }

    fn help_note(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "report_screen.help").to_string())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Where the charts go: below the two heading lines, when the body is tall enough.
fn charts_area(area: Rect) -> Rect {
    Rect::new(
        area.x,
        area.y + 2,
        area.width,
        CHART_ROWS.min(area.height.saturating_sub(2)),
    )
}

/// Where the figures go: below the charts (or the heading, in a short body).
fn figures_area(area: Rect) -> Rect {
    let top = if area.height > CHART_ROWS + 6 {
        2 + CHART_ROWS
    } else {
        2
    };
    Rect::new(
        area.x,
        area.y + top.min(area.height),
        area.width,
        area.height.saturating_sub(top),
    )
}

impl Reports {
    fn render_charts(&self, area: Rect, buf: &mut Buffer, lang: Lang, theme: &Theme) {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        let kind = self
            .period
            .map(|p| render::kind_name(lang, p.kind()))
            .unwrap_or_default();
        for (rect, key, values) in [
            (left, "report_screen.chart_intakes", &self.trend.intakes),
            (
                right,
                "report_screen.chart_placements",
                &self.trend.placements,
            ),
        ] {
            let title = tf(lang, key, &[("kind", kind.clone())]);
            let inner_w = rect.width.saturating_sub(1);
            // Every bar wide enough for its number and label (the tallest bar's number is
            // the widest): when twelve such bars do not fit, the most recent ones that do
            // are shown, rather than bars whose numbers are left out.
            let widest = self
                .trend
                .periods
                .iter()
                .zip(values.iter())
                .map(|(p, v)| str_width(&v.to_string()).max(str_width(&short_label(*p))))
                .max()
                .unwrap_or(1) as u16;
            let room = usize::from(inner_w / (widest + 1)).max(1);
            let skip = if room >= 4 {
                values.len().saturating_sub(room)
            } else {
                0
            };
            let n = (values.len() - skip).max(1) as u16;
            let bar_width = (inner_w / n).saturating_sub(1).clamp(1, 5);
            let fits = |s: &str| str_width(s) <= usize::from(bar_width);
            let bars: Vec<Bar> = self
                .trend
                .periods
                .iter()
                .zip(values.iter())
                .skip(skip)
                .map(|(p, v)| {
                    let label = short_label(*p);
                    // Padded to the bar, so a short number does not sit beside a piece of bar.
                    let value = format!("{v:^w$}", w = usize::from(bar_width));
                    Bar::default()
                        .value(*v)
                        .label(Line::from(if fits(&label) { label } else { String::new() }))
                        .text_value(if fits(&value) { value } else { String::new() })
                })
                .collect();
            BarChart::default()
                .block(
                    Block::default()
                        .borders(Borders::TOP)
                        .border_style(theme.border)
                        .title(Span::styled(
                            fit(&title, usize::from(rect.width.saturating_sub(2))).into_owned(),
                            theme.title,
                        )),
                )
                .bar_width(bar_width)
                .bar_gap(1)
                .bar_style(theme.key)
                .value_style(theme.tab_active)
                .data(BarGroup::default().bars(&bars))
                .render(rect, buf);
        }
    }

    fn render_figures(
        &self,
        area: Rect,
        buf: &mut Buffer,
        lang: Lang,
        theme: &Theme,
        report: &Report,
    ) {
        if area.height == 0 {
            return;
        }
        let num_w: u16 = 13;
        // The year's target (with how far the year has come) as a fourth column where there
        // is room for it beside labels of a readable width.
        let cols: u16 = if area.width >= 38 + num_w * 4 { 4 } else { 3 };
        // Labels up to 50 columns: on a wide terminal the numbers stay near their names.
        let label_w = area.width.saturating_sub(num_w * cols).min(50);
        let heads = [
            render::period_short(lang, report.period, false),
            render::period_short(lang, report.previous, true),
            t(lang, "report.column.year_to_date").to_string(),
            t(lang, "report.column.target").to_string(),
        ];
        let heads = &heads[..usize::from(cols)];
        let y = area.y;
        for (i, h) in heads.iter().enumerate() {
            let h = fit(h, usize::from(num_w - 1));
            let x = area.x + label_w + num_w * i as u16 + num_w - str_width(&h) as u16;
            put(buf, x, y, area.right(), &h, theme.label);
        }
        let rows = self.rows(lang, area.width);
        for (row, y) in rows.iter().skip(self.scroll).zip(area.y + 1..area.bottom()) {
            let style: Style = match row.kind {
                RowKind::Heading => theme.title,
                RowKind::Note => theme.dim,
                RowKind::Sub => theme.label,
                RowKind::Count | RowKind::Breakdown => theme.base,
            };
            let width = if matches!(row.kind, RowKind::Heading | RowKind::Note) {
                area.width
            } else {
                label_w.saturating_sub(1)
            };
            put(
                buf,
                area.x,
                y,
                area.right(),
                &fit(&row.label, usize::from(width)),
                style,
            );
            for (i, c) in row.cells.iter().take(usize::from(cols)).enumerate() {
                if c.is_empty() {
                    continue;
                }
                let x = area.x + label_w + num_w * i as u16 + num_w - str_width(c) as u16;
                put(buf, x, y, area.right(), c, style);
            }
        }
    }
}

/// A chart bar's label: the week number, the month number, Q4, the year's last two digits.
fn short_label(p: Period) -> String {
    match p {
        Period::Week { week, .. } => week.to_string(),
        Period::Month { month, .. } => u8::from(month).to_string(),
        Period::Quarter { quarter, .. } => format!("Q{quarter}"),
        Period::Year(y) => format!("{:02}", y.rem_euclid(100)),
        Period::Range { from, .. } => from.day().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chart band of a Reports screen showing `intakes` per week, drawn `width` wide.
    fn drawn(intakes: &[u64], width: u16) -> String {
        let last = Period::parse_week("2026-W48").unwrap();
        let mut periods = vec![last];
        for _ in 1..intakes.len() {
            let p = periods[0].previous();
            periods.insert(0, p);
        }
        let screen = Reports {
            period: Some(last),
            trend: Trend {
                periods,
                intakes: intakes.to_vec(),
                placements: intakes.to_vec(),
            },
            ..Reports::default()
        };
        let area = Rect::new(0, 0, width, CHART_ROWS);
        let mut buf = Buffer::empty(area);
        screen.render_charts(area, &mut buf, Lang::En, &Theme::default());
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    }

    #[test]
    fn the_tallest_bar_shows_its_number_at_100_columns() {
        // Four-digit counts do not fit twelve bars in half of 100 columns: the latest weeks
        // that fit are shown, each with its number, the tallest one's too.
        let values = [963, 992, 948, 888, 971, 994, 920, 961, 925, 964, 966, 1023];
        let s = drawn(&values, 100);
        assert_eq!(s.matches("1023").count(), 2, "{s}");
        assert!(s.contains(" 966 ") && s.contains(" 48 "), "{s}");
        // Three-digit counts: all twelve weeks.
        let s = drawn(&values.map(|v| v / 10), 100);
        assert!(s.contains(" 37 ") && s.contains(" 102 "), "{s}");
    }
}
