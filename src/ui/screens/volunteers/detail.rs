//! A person's detail view: every intake field, target groups, status and bookkeeping, with
//! the actions (edit, change status) in the bottom bar. Scrolls when it does not fit.

use super::form::FormView;
use super::status::StatusModal;
use super::{Load, Loaded, Then};
use crate::domain::volunteer::{Daypart, Vog, Volunteer};
use crate::domain::{Field, format_date};
use crate::i18n::{Lang, field_label, t};
use crate::readmodel::ReadModel;
use crate::service::Stored;
use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Done, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::text::{str_width, wrap_words};
use crate::ui::theme::Theme;
use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::any::Any;

const DAYS: [&str; 7] = [
    "day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun",
];

/// The lines of the detail view.
/// The lines of the detail view for an area `width` columns wide: a value too long for its
/// row continues under itself, not under its label.
pub fn lines(
    r: &Stored<Volunteer>,
    today: time::Date,
    theme: &Theme,
    lang: Lang,
    width: u16,
) -> Vec<Line<'static>> {
    let v = &r.data;
    let mut out = Vec::new();
    let label_w: usize = 24;
    let value_w = usize::from(width).saturating_sub(label_w).max(12);
    let row = |label: String, value: String| -> Vec<Line<'static>> {
        let pad = label_w.saturating_sub(str_width(&label));
        let mut parts = wrap_words(&value, value_w, 0).into_iter();
        let first = parts.next().unwrap_or_default();
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{label}{}", " ".repeat(pad)), theme.dim),
            Span::raw(first),
        ])];
        lines.extend(parts.map(|p| Line::from(format!("{}{p}", " ".repeat(label_w)))));
        lines
    };
    let f = |field: Field| field_label(lang, field).to_string();
    if let Some(on) = v.anonymised {
        // Nothing left that says who it was: the day it was anonymised stands for the name.
        out.push(Line::from(Span::styled(
            crate::i18n::tf(lang, "ui.anonymised_person", &[("date", format_date(on))]),
            theme.title,
        )));
    }
    if v.anonymised.is_none() {
        out.push(Line::from(Span::styled(v.name.full(), theme.title)));
    }
    out.push(Line::default());
    // An anonymised person's birth date is not theirs (it only keeps the target groups).
    if v.anonymised.is_none() {
        let age = crate::domain::dates::age_on(v.birth_date, today);
        out.extend(row(
            f(Field::BirthDate),
            format!(
                "{} ({} {})",
                format_date(v.birth_date),
                age,
                t(lang, "ui.years")
            ),
        ));
        out.extend(row(f(Field::Address), v.address.clone()));
    }
    // An anonymised person keeps the municipality but no postcode.
    if v.postcode.is_empty() {
        out.extend(row(f(Field::Municipality), v.municipality.clone()));
    } else {
        out.extend(row(
            f(Field::Postcode),
            format!("{}  {}", v.postcode, v.municipality),
        ));
    }
    if !v.phone.is_empty() {
        out.extend(row(f(Field::Phone), v.phone_display()));
    }
    if !v.email.is_empty() {
        out.extend(row(f(Field::Email), v.email.clone()));
    }
    out.extend(row(
        f(Field::Status),
        t(lang, &format!("status.{}", v.status.key())).to_string(),
    ));
    let groups: Vec<String> = v
        .target_groups()
        .iter()
        .map(|g| t(lang, &format!("target_group.{}", g.key())).to_string())
        .collect();
    out.extend(row(
        t(lang, "ui.target_groups").to_string(),
        if groups.is_empty() {
            "—".into()
        } else {
            groups.join(", ")
        },
    ));
    out.extend(row(f(Field::IntakeDate), format_date(v.intake_date)));
    let interests: Vec<String> = v
        .interests
        .iter()
        .map(|i| t(lang, &format!("interest.{}", i.key())).to_string())
        .collect();
    out.extend(row(
        f(Field::Interests),
        if interests.is_empty() {
            "—".into()
        } else {
            interests.join(", ")
        },
    ));
    if !v.skills.is_empty() {
        out.extend(row(f(Field::Skills), v.skills.clone()));
    }
    // No hours filled in is not "0".
    out.extend(row(
        f(Field::HoursPerWeek),
        if v.hours_per_week == 0 {
            "—".into()
        } else {
            v.hours_per_week.to_string()
        },
    ));
    // Availability grid.
    let mut header = " ".repeat(label_w);
    for d in DAYS {
        header.push_str(&format!("{:<4}", t(lang, d)));
    }
    out.push(Line::from(Span::styled(
        format!(
            "{}{}",
            f(Field::Availability),
            &header[f(Field::Availability).chars().count().min(label_w)..]
        ),
        theme.dim,
    )));
    for part in Daypart::ALL {
        let label = t(lang, &format!("daypart.{}", part.key())).to_string();
        let mut s = String::new();
        for day in 0..7 {
            s.push_str(if v.availability.get(day, part) {
                "■   "
            } else {
                "·   "
            });
        }
        out.extend(row(format!("  {label}"), s));
    }
    out.extend(row(
        f(Field::FoundVia),
        t(lang, &format!("found_via.{}", v.found_via.key())).to_string(),
    ));
    let vog = match v.vog {
        Vog::NotNeeded | Vog::Needed => {
            t(lang, &format!("vog.{}", v.vog.state().key())).to_string()
        }
        Vog::Requested { requested } => {
            format!("{} {}", t(lang, "vog.requested"), format_date(requested))
        }
        Vog::Received { received, .. } => {
            format!("{} {}", t(lang, "vog.received"), format_date(received))
        }
    };
    out.extend(row(f(Field::Vog), vog));
    out.extend(row(
        f(Field::Consent),
        format!(
            "{} ({})",
            format_date(v.consent.given_on),
            t(lang, &format!("consent_scope.{}", v.consent.scope.key()))
        ),
    ));
    if !v.motivation.is_empty() {
        out.push(Line::default());
        out.push(Line::from(Span::styled(f(Field::Motivation), theme.dim)));
        for l in v.motivation.lines() {
            out.push(Line::from(l.to_string()));
        }
    }
    if !v.notes.is_empty() {
        out.push(Line::default());
        out.push(Line::from(Span::styled(f(Field::Notes), theme.dim)));
        for l in v.notes.lines() {
            out.push(Line::from(l.to_string()));
        }
    }
    out.push(Line::default());
    let stamp = |s: &crate::service::Stamp| {
        format!(
            "{} {:02}:{:02} — {}",
            format_date(s.at.date()),
            s.at.hour(),
            s.at.minute(),
            s.by
        )
    };
    out.push(Line::from(Span::styled(
        format!(
            "{} {}   {} {} ({} {})",
            t(lang, "ui.created"),
            stamp(&r.meta.created),
            t(lang, "ui.updated"),
            stamp(&r.meta.updated),
            t(lang, "ui.revision"),
            r.meta.revision
        ),
        theme.dim,
    )));
    out
}

/// Rows the lines take in an area `width` wide, after wrapping.
fn wrapped_rows(lines: &[Line<'_>], width: u16) -> usize {
    let width = usize::from(width.max(1));
    lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum()
}

/// One volunteer, opened from a list, a search or after saving.
pub struct DetailView {
    pub record: Stored<Volunteer>,
    /// The person's placements as the read model has them: (vacancy, organisation, stage).
    pub placements: Vec<(String, String, crate::domain::placement::PlacementStatus)>,
    /// The person's trajectories as the read model has them, as lines (overdue in words).
    pub trajectories: Vec<String>,
    pub scroll: u16,
    /// The largest useful scroll for the area of the last prepared frame.
    max_scroll: u16,
    /// The session's role, from the first prepared frame (what the privacy keys need).
    role: Option<crate::service::Role>,
}

impl DetailView {
    pub fn new(record: Stored<Volunteer>) -> DetailView {
        DetailView {
            record,
            placements: Vec::new(),
            trajectories: Vec::new(),
            scroll: 0,
            max_scroll: u16::MAX,
            role: None,
        }
    }
}

impl DetailView {
    /// The detail's lines with the person's placements before the bookkeeping line.
    fn all_lines(&self, env: &Env, width: u16) -> Vec<Line<'static>> {
        let mut out = lines(&self.record, env.today, &env.theme, env.lang, width);
        let lang = env.lang;
        // A heading names the key that adds to it only while that key works here.
        let unavailable = self.unavailable();
        let heading = |key: &str, action: Action| {
            if unavailable.contains(&action) {
                format!("{key}_only")
            } else {
                key.to_string()
            }
        };
        let mut more = vec![Line::from(Span::styled(
            crate::i18n::tf(
                lang,
                &heading("ui.person_placements", Action::Match),
                &[("count", self.placements.len().to_string())],
            ),
            env.theme.dim,
        ))];
        for (title, org, status) in &self.placements {
            more.push(Line::from(format!(
                "  {title} · {org} · {}",
                crate::ui::screens::placements::status_name(lang, *status)
            )));
        }
        more.push(Line::default());
        more.push(Line::from(Span::styled(
            crate::i18n::tf(
                lang,
                &heading("ui.person_trajectories", Action::StartTrajectory),
                &[("count", self.trajectories.len().to_string())],
            ),
            env.theme.dim,
        )));
        for line in &self.trajectories {
            more.push(Line::from(format!("  {line}")));
        }
        more.push(Line::default());
        let at = out.len().saturating_sub(1);
        out.splice(at..at, more);
        out
    }
}

impl Component for DetailView {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Person, Context::View, Context::Navigation]
    }

    /// Erasing and anonymising are for administrators, and for someone not yet anonymised:
    /// the bottom bar, help and the palette leave them out otherwise (the key explains).
    fn unavailable(&self) -> Vec<Action> {
        let may = self
            .role
            .is_some_and(|r| crate::service::allowed(r, crate::service::Permission::Erase));
        if self.record.data.anonymised.is_some() {
            // Nothing is done with an anonymised person any more.
            vec![
                Action::ErasePerson,
                Action::WithdrawConsent,
                Action::Edit,
                Action::ChangeStatus,
                Action::Match,
                Action::StartTrajectory,
            ]
        } else if may {
            Vec::new()
        } else {
            vec![Action::ErasePerson, Action::WithdrawConsent]
        }
    }

    fn on_mouse(&mut self, m: MouseEvent, _area: Rect, cx: &mut Cx) -> bool {
        let action = match m.kind {
            MouseEventKind::ScrollDown => Action::Down,
            MouseEventKind::ScrollUp => Action::Up,
            _ => return false,
        };
        self.on_action(action, cx);
        true
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        let max = self.max_scroll;
        match action {
            Action::Back => cx.close(),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10).min(max),
            Action::Home => self.scroll = 0,
            Action::End => self.scroll = max,
            Action::Edit | Action::ChangeStatus | Action::Match | Action::StartTrajectory
                if self.record.data.anonymised.is_some() =>
            {
                cx.flash(
                    crate::ui::component::FlashKind::Error,
                    t(cx.lang(), "error.anonymised"),
                )
            }
            Action::Edit => cx.push(FormView::edit(self.record.clone(), cx.env.rules.clone())),
            Action::ChangeStatus => cx.modal(StatusModal::new(&self.record)),
            Action::New => cx.cmd(Cmd::Push(super::new_intake(cx.env))),
            Action::StartTrajectory => {
                let p = &self.record.data;
                crate::ui::screens::trajectories::forms::open_start(
                    self.record.meta.id,
                    &p.name.filed(),
                    &p.municipality,
                    cx,
                );
            }
            Action::Match => {
                use crate::ui::screens::placements::matching::{MatchView, Subject};
                cx.push(MatchView::new(Subject::Person(self.record.clone())));
            }
            Action::AccessExport => super::access_export::start(self.record.meta.id, cx),
            Action::ErasePerson => super::privacy::ask(&self.record, false, cx),
            Action::WithdrawConsent => super::privacy::ask(&self.record, true, cx),
            _ => return Handled::No,
        }
        Handled::Yes
    }

    /// Someone saved this person: read them again (the list row only has a summary).
    fn on_model(&mut self, cx: &mut Cx) {
        let id = self.record.meta.id;
        let newer = cx
            .model
            .read()
            .volunteers()
            .get(id)
            .is_some_and(|r| r.revision != self.record.meta.revision);
        if newer {
            cx.run(Load {
                id,
                then: Then::Detail,
            });
        }
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        if done.name == super::access_export::MAY_JOB {
            return super::access_export::on_done(done, cx);
        }
        if let Some(Loaded {
            result: Ok(Some(fresh)),
            ..
        }) = done.take::<Loaded>()
            && fresh.meta.id == self.record.meta.id
        {
            self.record = fresh;
        }
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.role = Some(env.role);
        let id = self.record.meta.id;
        self.placements = model
            .placements()
            .iter()
            .filter(|p| p.volunteer == id)
            .map(|p| {
                (
                    p.vacancy_title.clone(),
                    p.organisation_name.clone(),
                    p.status,
                )
            })
            .collect();
        let lang = env.lang;
        self.trajectories = model
            .trajectories()
            .iter()
            .filter(|r| r.person == id)
            .map(|r| {
                use crate::ui::screens::trajectories::{consultant_name, kind_name, phase_name};
                let mut line = format!(
                    "{} · {} · {}",
                    kind_name(lang, r.kind),
                    phase_name(lang, r.phase),
                    consultant_name(&env.consultants, &r.consultant)
                );
                if r.is_overdue(env.today) {
                    line.push_str(&format!(
                        " · ⚠ {}",
                        crate::i18n::t(lang, "ui.overdue_meeting")
                    ));
                }
                line
            })
            .collect();
        let lines = self.all_lines(env, area.width);
        let rows = wrapped_rows(&lines, area.width);
        self.max_scroll = u16::try_from(rows)
            .unwrap_or(u16::MAX)
            .saturating_sub(area.height);
        self.scroll = self.scroll.min(self.max_scroll);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let env = cx.env;
        Paragraph::new(self.all_lines(env, area.width))
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(area, buf);
        None
    }

    fn crumb(&self, lang: Lang) -> Option<String> {
        if self.record.data.anonymised.is_some() {
            return Some(t(lang, "ui.anonymised_crumb").to_string());
        }
        Some(self.record.data.name.filed())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
