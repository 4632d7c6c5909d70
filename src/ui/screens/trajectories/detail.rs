//! A trajectory's detail: who, what and where it stands (with the next meeting flagged when
//! overdue, in words), the participatieladder as a small step chart over time, the open
//! goals, and then the timeline — phases, meetings, ladder steps, goals, reassignments and
//! MaS hours in one list, newest first.

use super::forms;
use super::{Load, Loaded, Then, consultant_name, kind_name, phase_name};
use crate::domain::draft::Keyed;
use crate::domain::trajectory::{GoalStatus, Trajectory, TrajectoryKind, format_hours};
use crate::domain::{Field, format_date};
use crate::i18n::{Lang, field_label, t, tf};
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

/// The name of a ladder step (`3 · Deelname georganiseerde activiteiten`).
pub fn step_name(lang: Lang, step: u8) -> String {
    format!("{step} · {}", t(lang, &format!("ladder.s{step}")))
}

/// The ladder as a small step chart over time: three rows of two steps each (a full block
/// reaches the upper step of its row, a half block the lower), one column per measurement,
/// oldest left; as many of the latest as fit `width`.
pub fn ladder_chart(steps: &[(Date, u8)], width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let fit = usize::from(width.saturating_sub(8) / 2).max(1);
    let shown = &steps[steps.len().saturating_sub(fit)..];
    [(5u8, 6u8), (3, 4), (1, 2)]
        .into_iter()
        .map(|(low, high)| {
            let mut spans = vec![Span::styled(format!("  {low}–{high} │"), theme.dim)];
            let cells: String = shown
                .iter()
                .map(|(_, s)| {
                    if *s >= high {
                        "█ "
                    } else if *s == low {
                        "▄ "
                    } else {
                        "  "
                    }
                })
                .collect();
            spans.push(Span::raw(cells));
            Line::from(spans)
        })
        .collect()
}

/// One entry of the timeline: its date, an order within the day, its kind and its text.
struct Entry {
    date: Date,
    order: u8,
    what: String,
    text: String,
}

fn timeline(t_: &Trajectory, env: &Env) -> Vec<Entry> {
    let lang = env.lang;
    let who = |login: &str| consultant_name(&env.consultants, login);
    let mut out = Vec::new();
    for (i, p) in t_.phases.iter().enumerate() {
        let mut text = if i == 0 {
            tf(
                lang,
                "ui.tl_started",
                &[("phase", phase_name(lang, p.phase))],
            )
        } else {
            format!("→ {}", phase_name(lang, p.phase))
        };
        if !p.reason.is_empty() {
            text.push_str(&format!(" · {}", p.reason));
        }
        out.push(Entry {
            date: p.date,
            order: 0,
            what: t(lang, "ui.tl_phase").to_string(),
            text,
        });
    }
    for m in &t_.meetings {
        let mut text = format!("{} · {}", who(&m.by), m.summary.replace('\n', " "));
        if !m.actions.is_empty() {
            text.push_str(&format!(
                " · {}: {}",
                field_label(lang, Field::AgreedActions),
                m.actions.replace('\n', " ")
            ));
        }
        if let Some(n) = m.next_due {
            text.push_str(&format!(
                " · {}: {}",
                field_label(lang, Field::NextMeeting),
                format_date(n)
            ));
        }
        out.push(Entry {
            date: m.date,
            order: 2,
            what: t(lang, "ui.tl_meeting").to_string(),
            text,
        });
    }
    for s in &t_.ladder {
        let mut text = step_name(lang, s.step);
        if !s.note.is_empty() {
            text.push_str(&format!(" · {}", s.note));
        }
        out.push(Entry {
            date: s.date,
            order: 1,
            what: t(lang, "ui.tl_step").to_string(),
            text,
        });
    }
    for g in &t_.goals {
        out.push(Entry {
            date: g.set_on,
            order: 3,
            what: t(lang, "ui.tl_goal").to_string(),
            text: format!("+ {}", g.text),
        });
        if let Some(d) = g.done_on {
            let mark = if g.status == GoalStatus::Achieved {
                "✓"
            } else {
                "✗"
            };
            out.push(Entry {
                date: d,
                order: 3,
                what: t(lang, "ui.tl_goal").to_string(),
                text: format!(
                    "{mark} {} ({})",
                    g.text,
                    t(lang, &format!("goal_status.{}", g.status.key()))
                ),
            });
        }
    }
    for r in &t_.reassignments {
        out.push(Entry {
            date: r.date,
            order: 4,
            what: t(lang, "ui.tl_reassign").to_string(),
            text: tf(
                lang,
                "ui.tl_reassigned",
                &[
                    ("from", who(&r.from)),
                    ("to", who(&r.to)),
                    ("reason", r.reason.replace('\n', " ")),
                ],
            ),
        });
    }
    if let Some(mas) = &t_.mas {
        for h in &mas.hours {
            out.push(Entry {
                date: h.date,
                order: 5,
                what: t(lang, "ui.tl_hours").to_string(),
                text: tf(lang, "ui.hours_n", &[("n", format_hours(h.minutes))]),
            });
        }
    }
    // Newest first; within a day in the order things happen.
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.order.cmp(&a.order)));
    out
}

/// The lines of the detail view.
pub fn lines(r: &Stored<Trajectory>, env: &Env, width: u16) -> Vec<Line<'static>> {
    let (lang, theme, today) = (env.lang, &env.theme, env.today);
    let d = &r.data;
    let f = |field: Field| field_label(lang, field);
    let who = |login: &str| consultant_name(&env.consultants, login);
    let mut out = vec![
        Line::from(Span::styled(
            format!("{} — {}", d.person_name, kind_name(lang, d.kind)),
            theme.title,
        )),
        Line::default(),
        labelled(theme, f(Field::Phase), phase_name(lang, d.phase)),
    ];
    let mut consultant = who(&d.consultant);
    let previous: Vec<String> = d.previous_consultants().into_iter().map(who).collect();
    if !previous.is_empty() {
        consultant.push_str(&format!(
            " ({}: {})",
            t(lang, "ui.previously"),
            previous.join(", ")
        ));
    }
    out.push(labelled(theme, f(Field::Consultant), consultant));
    let referrer = [
        d.referrer.organisation.as_str(),
        d.referrer.client_manager.as_str(),
        d.referrer.contact.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" · ");
    if !referrer.is_empty() {
        out.push(labelled(theme, f(Field::Referrer), referrer));
    }
    out.push(labelled(
        theme,
        t(lang, "ui.started_on"),
        format_date(d.started),
    ));
    if d.is_open() {
        let next = match d.next_meeting {
            Some(n) if d.is_overdue(today) => format!(
                "⚠ {} · {}",
                format_date(n),
                tf(
                    lang,
                    "ui.overdue_days",
                    &[("n", (today - n).whole_days().to_string())]
                )
            ),
            Some(n) => format_date(n),
            None => "—".into(),
        };
        out.push(labelled(theme, f(Field::NextMeeting), next));
        out.push(labelled(
            theme,
            t(lang, "ui.last_contact"),
            format_date(d.last_contact()),
        ));
    } else {
        let outcome = d
            .outcome
            .map(|o| t(lang, &format!("outcome.{}", o.key())).to_string())
            .unwrap_or_default();
        out.push(labelled(
            theme,
            f(Field::Outcome),
            format!(
                "{outcome} · {}",
                d.closed_on.map(format_date).unwrap_or_default()
            ),
        ));
    }
    if let Some(mas) = &d.mas {
        out.push(labelled(theme, f(Field::School), {
            let mut s = mas.school.clone();
            if !mas.school_contact.is_empty() {
                s.push_str(&format!(" · {}", mas.school_contact));
            }
            s
        }));
        out.push(labelled(
            theme,
            f(Field::Hours),
            tf(
                lang,
                "ui.hours_of",
                &[
                    ("done", format_hours(mas.total_minutes())),
                    ("required", mas.hours_required.to_string()),
                ],
            ),
        ));
    }
    // The ladder.
    let steps: Vec<(Date, u8)> = d.ladder.iter().map(|l| (l.date, l.step)).collect();
    if let (Some(a), Some(b), Some(m)) = (d.start_step(), d.current_step(), d.movement()) {
        out.push(heading(
            theme,
            &tf(
                lang,
                "ui.ladder_heading",
                &[
                    ("start", a.to_string()),
                    ("now", step_name(lang, b)),
                    (
                        "movement",
                        t(lang, &format!("movement.{}", m.key())).to_string(),
                    ),
                ],
            ),
        ));
        out.extend(ladder_chart(&steps, width, theme));
    }
    // Open goals, on one wrapped line.
    let open: Vec<&str> = d
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Open)
        .map(|g| g.text.as_str())
        .collect();
    if !open.is_empty() {
        out.push(labelled(theme, t(lang, "ui.open_goals"), open.join(" · ")));
    }
    out.push(Line::default());
    out.push(heading(theme, t(lang, "ui.timeline")));
    for e in timeline(d, env) {
        out.push(Line::from(vec![
            Span::styled(format!("{}  ", format_date(e.date)), theme.dim),
            Span::styled(format!("{:<10} ", e.what), theme.label),
            Span::raw(e.text),
        ]));
    }
    out.push(Line::default());
    out.push(bookkeeping(&r.meta, theme, lang));
    out
}

/// One trajectory.
pub struct DetailView {
    pub record: Stored<Trajectory>,
    pub scroll: Scroll,
    /// The acting role, once known: which short forms it offers.
    role: Option<crate::service::Role>,
}

impl DetailView {
    pub fn new(record: Stored<Trajectory>) -> DetailView {
        DetailView {
            record,
            scroll: Scroll::default(),
            role: None,
        }
    }
}

impl Component for DetailView {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Trajectory, Context::View, Context::Navigation]
    }

    fn on_mouse(&mut self, m: MouseEvent, _area: Rect, _cx: &mut Cx) -> bool {
        self.scroll.on_mouse(m)
    }

    fn offers(&self, action: Action) -> bool {
        match action {
            Action::FilterKind | Action::FilterConsultant | Action::FilterOverdue => false,
            Action::Edit
            | Action::ChangeStatus
            | Action::Match
            | Action::NewVacancy
            | Action::LogContact
            | Action::StartTrajectory => false,
            Action::LogHours => self.record.data.kind == TrajectoryKind::Mas,
            a if forms::is_step(a) => self.record.data.is_open() && forms::allows(self.role, a),
            _ => true,
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if self.scroll.on_action(action) {
            return Handled::Yes;
        }
        match action {
            Action::Back => cx.close(),
            a if forms::is_step(a) => forms::open(a, &self.record, cx),
            _ => return Handled::No,
        }
        Handled::Yes
    }

    /// Someone saved this trajectory (a form here, or another session): read it again.
    fn on_model(&mut self, cx: &mut Cx) {
        let id = self.record.meta.id;
        let newer = cx
            .model
            .read()
            .trajectories()
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
            && fresh.meta.revision >= self.record.meta.revision
        {
            self.record = fresh;
        }
    }

    fn prepare(&mut self, _model: &ReadModel, area: Rect, env: &Env) {
        self.role = Some(env.role);
        self.scroll
            .prepare(&lines(&self.record, env, area.width), area);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.scroll
            .render(lines(&self.record, cx.env, area.width), area, buf);
        None
    }

    fn crumb(&self, _lang: Lang) -> Option<String> {
        Some(self.record.data.person_name.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
