//! An organisation's detail view: every field, its contact persons and bookkeeping, with the
//! edit action in the bottom bar. Scrolls when it does not fit.

use super::form::FormView;
use super::{Load, Loaded, Then, kind_name};
use crate::domain::contact::Channel;
use crate::domain::organisation::Organisation;
use crate::domain::vacancy::VacancyStatus;
use crate::domain::{Field, format_date};
use crate::i18n::{Lang, field_label, t, tf};
use crate::readmodel::ReadModel;
use crate::service::{Stamp, Stored};
use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Done, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::theme::Theme;
use crate::ui::widgets::scroll::{Scroll, heading, labelled};
use crossterm::event::MouseEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use std::any::Any;
use time::Date;

/// `27-11-2026 10:30 — anouk`.
pub fn stamp_text(s: &Stamp) -> String {
    format!(
        "{} {:02}:{:02} — {}",
        format_date(s.at.date()),
        s.at.hour(),
        s.at.minute(),
        s.by
    )
}

/// The bookkeeping line at the bottom of a detail view.
pub fn bookkeeping(meta: &crate::service::Meta, theme: &Theme, lang: Lang) -> Line<'static> {
    Line::from(Span::styled(
        format!(
            "{} {}   {} {} ({} {})",
            t(lang, "ui.created"),
            stamp_text(&meta.created),
            t(lang, "ui.updated"),
            stamp_text(&meta.updated),
            t(lang, "ui.revision"),
            meta.revision
        ),
        theme.dim,
    ))
}

/// What the detail view shows of the organisation's other records, copied from the read
/// model when a frame is prepared.
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// (title, status) of its vacancies, in list order.
    pub vacancies: Vec<(String, VacancyStatus)>,
    /// (follow-up date, subject) of its contacts whose follow-up is not done, soonest first.
    pub open_follow_ups: Vec<(Date, String)>,
    /// (date, channel, subject) of its last contacts, newest first.
    pub contacts: Vec<(Date, Channel, String)>,
    /// How many contacts it has in all.
    pub contact_count: usize,
}

/// How many of an organisation's contacts its detail view lists.
const RECENT_CONTACTS: usize = 10;

impl Related {
    fn of(id: u64, model: &ReadModel) -> Related {
        let mut related = Related {
            vacancies: model
                .vacancies()
                .iter()
                .filter(|v| v.organisation == id)
                .map(|v| (v.title.clone(), v.status))
                .collect(),
            ..Related::default()
        };
        for c in model.contacts().iter().filter(|c| c.organisation == id) {
            related.contact_count += 1;
            if let Some(f) = c.follow_up
                && !c.done
            {
                related.open_follow_ups.push((f, c.subject.clone()));
            }
            if related.contacts.len() < RECENT_CONTACTS {
                related
                    .contacts
                    .push((c.date, c.channel, c.subject.clone()));
            }
        }
        related.open_follow_ups.sort();
        related
    }
}

/// The lines of the detail view.
pub fn lines(
    r: &Stored<Organisation>,
    related: &Related,
    today: Date,
    theme: &Theme,
    lang: Lang,
) -> Vec<Line<'static>> {
    let o = &r.data;
    let f = |field: Field| field_label(lang, field);
    let dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = vec![
        Line::from(Span::styled(o.name.clone(), theme.title)),
        Line::default(),
        labelled(theme, f(Field::OrganisationKind), kind_name(lang, o.kind)),
    ];
    let sectors: Vec<String> = o
        .sectors
        .iter()
        .map(|s| t(lang, &format!("interest.{}", s.key())).to_string())
        .collect();
    out.push(labelled(
        theme,
        f(Field::Sectors),
        dash(&sectors.join(", ")),
    ));
    out.push(labelled(
        theme,
        f(Field::Municipality),
        o.municipality.clone(),
    ));
    out.push(labelled(theme, f(Field::Address), dash(&o.address)));
    out.push(labelled(theme, f(Field::Phone), dash(&o.phone_display())));
    out.push(labelled(theme, f(Field::Email), dash(&o.email)));
    out.push(labelled(theme, f(Field::Website), dash(&o.website)));
    out.push(labelled(
        theme,
        f(Field::FreeVog),
        t(lang, if o.free_vog { "ui.yes" } else { "ui.no" }).to_string(),
    ));
    out.push(Line::default());
    out.push(heading(theme, f(Field::ContactPersons)));
    if o.contact_persons.is_empty() {
        out.push(Line::from(format!(
            "  {}",
            t(lang, "ui.org_no_contact_persons")
        )));
    }
    for p in &o.contact_persons {
        let mut parts = vec![p.name.clone()];
        for extra in [
            p.role.clone(),
            crate::domain::phone::format_phone(&p.phone),
            p.email.clone(),
        ] {
            if !extra.is_empty() {
                parts.push(extra);
            }
        }
        out.push(Line::from(format!("  {}", parts.join(" · "))));
    }
    out.push(Line::default());
    out.push(heading(
        theme,
        &tf(
            lang,
            "ui.org_vacancies",
            &[("count", related.vacancies.len().to_string())],
        ),
    ));
    for (title, status) in &related.vacancies {
        out.push(Line::from(format!(
            "  {title} · {}",
            crate::ui::screens::vacancies::status_name(lang, *status)
        )));
    }
    out.push(Line::default());
    out.push(heading(
        theme,
        &tf(
            lang,
            "ui.org_follow_ups",
            &[("count", related.open_follow_ups.len().to_string())],
        ),
    ));
    for (date, subject) in &related.open_follow_ups {
        let mark = if *date <= today {
            format!("  ({})", t(lang, "ui.due"))
        } else {
            String::new()
        };
        out.push(Line::from(format!(
            "  {} · {subject}{mark}",
            format_date(*date)
        )));
    }
    out.push(Line::default());
    out.push(heading(
        theme,
        &tf(
            lang,
            "ui.org_contacts",
            &[("count", related.contact_count.to_string())],
        ),
    ));
    for (date, channel, subject) in &related.contacts {
        out.push(Line::from(format!(
            "  {} · {} · {subject}",
            format_date(*date),
            crate::ui::screens::contacts::channel_name(lang, *channel)
        )));
    }
    if !o.notes.is_empty() {
        out.push(Line::default());
        out.push(heading(theme, f(Field::Notes)));
        for l in o.notes.lines() {
            out.push(Line::from(l.to_string()));
        }
    }
    out.push(Line::default());
    out.push(bookkeeping(&r.meta, theme, lang));
    out
}

/// One organisation, opened from the list or after saving.
pub struct DetailView {
    pub record: Stored<Organisation>,
    pub scroll: Scroll,
    pub related: Related,
}

impl DetailView {
    pub fn new(record: Stored<Organisation>) -> DetailView {
        DetailView {
            record,
            scroll: Scroll::default(),
            related: Related::default(),
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
            Action::ChangeStatus | Action::Match | Action::StartTrajectory
        )
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if self.scroll.on_action(action) {
            return Handled::Yes;
        }
        match action {
            Action::Back => cx.close(),
            Action::Edit => cx.push(FormView::edit(self.record.clone(), cx.env.rules.clone())),
            Action::New => cx.cmd(Cmd::Push(super::new_organisation(cx.env))),
            Action::LogContact => {
                let view = crate::ui::screens::contacts::form::FormView::new(
                    cx.env,
                    &cx.model.read(),
                    &self.record.data.name,
                    "",
                );
                cx.push(view);
            }
            Action::NewVacancy => {
                let o = &self.record.data;
                let view = crate::ui::screens::vacancies::form::FormView::new(
                    cx.env,
                    &cx.model.read(),
                    &o.name,
                    &o.municipality,
                );
                cx.push(view);
            }
            _ => return Handled::No,
        }
        Handled::Yes
    }

    /// Someone saved this organisation: read it again (the list row only has a summary).
    fn on_model(&mut self, cx: &mut Cx) {
        let id = self.record.meta.id;
        let newer = cx
            .model
            .read()
            .organisations()
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

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.related = Related::of(self.record.meta.id, model);
        self.scroll.prepare(
            &lines(&self.record, &self.related, env.today, &env.theme, env.lang),
            area,
        );
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let env = cx.env;
        self.scroll.render(
            lines(&self.record, &self.related, env.today, &env.theme, env.lang),
            area,
            buf,
        );
        None
    }

    fn crumb(&self, _lang: Lang) -> Option<String> {
        Some(self.record.data.name.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
