//! The matching view: from a person (`m`), the open vacancies ranked by fit; from a vacancy,
//! the people ranked the same way. Every row says what fits and what does not; Enter proposes
//! the selected match as a placement.

use super::detail::DetailView;
use crate::domain::matching::{Criterion, Fit, Interests, Match, Person};
use crate::domain::placement::Placement;
use crate::domain::vacancy::Vacancy;
use crate::domain::volunteer::Volunteer;
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::ReadModel;
use crate::readmodel::matching::offer;
use crate::service::{ServiceError, Stored};
use crate::ui::action::Action;
use crate::ui::component::{
    Cmd, Component, Cx, Done, Env, FlashKind, Handled, Job, JobCx, RenderCx,
};
use crate::ui::keymap::Context;
use crate::ui::text::put;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// Rows a match takes on screen.
const ROW_LINES: u16 = 2;
/// Most matches listed.
const SHOWN: usize = 200;

/// Whom the view matches.
pub enum Subject {
    /// A person: the open vacancies are ranked.
    Person(Stored<Volunteer>),
    /// A vacancy: the people are ranked.
    Vacancy(Stored<Vacancy>),
}

/// One ranked candidate as drawn.
#[derive(Debug, Clone)]
pub struct Item {
    /// The vacancy's or the person's id.
    pub id: u64,
    pub title: String,
    pub detail: String,
    pub result: Match,
}

/// The matching view.
pub struct MatchView {
    pub subject: Subject,
    pub items: Vec<Item>,
    pub selected: usize,
    offset: usize,
    /// The model version the items were ranked at.
    ranked_at: Option<u64>,
    /// Rows that fit, as of the last prepared frame.
    page: usize,
}

impl MatchView {
    pub fn new(subject: Subject) -> MatchView {
        MatchView {
            subject,
            items: Vec::new(),
            selected: 0,
            offset: 0,
            ranked_at: None,
            page: 5,
        }
    }

    fn rank(&mut self, model: &ReadModel, env: &Env) {
        if self.ranked_at == Some(model.version()) {
            return;
        }
        self.ranked_at = Some(model.version());
        let (w, today) = (&env.weights, env.today);
        self.items = match &self.subject {
            Subject::Person(p) => {
                let v = &p.data;
                let person = Person {
                    interests: Interests::of(&v.interests),
                    availability: v.availability,
                    municipality: &v.municipality,
                    vog: v.vog,
                    birth_date: v.birth_date,
                    hours_per_week: v.hours_per_week,
                };
                model
                    .rank_vacancies(&person, w, today, SHOWN)
                    .into_iter()
                    .filter_map(|(id, result)| {
                        let r = model.vacancies().get(id)?;
                        Some(Item {
                            id,
                            title: r.title.clone(),
                            detail: format!("{} · {}", r.organisation_name, r.municipality),
                            result,
                        })
                    })
                    .collect()
            }
            Subject::Vacancy(v) => {
                let row = crate::readmodel::VacancyRow::from_owned(v.clone());
                model
                    .rank_people(&offer(&row), w, today, SHOWN)
                    .into_iter()
                    .filter_map(|(id, result)| {
                        let r = model.volunteers().get(id)?;
                        Some(Item {
                            id,
                            title: r.filed.clone(),
                            detail: r.municipality.clone(),
                            result,
                        })
                    })
                    .collect()
            }
        };
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }

    fn heading(&self, lang: Lang) -> String {
        match &self.subject {
            Subject::Person(p) => tf(lang, "ui.match_for_person", &[("name", p.data.name.full())]),
            Subject::Vacancy(v) => tf(
                lang,
                "ui.match_for_vacancy",
                &[("title", v.data.title.clone())],
            ),
        }
    }
}

/// `✓ sector  ✗ gemeente  ~ VOG`.
pub fn reasons_text(m: &Match, lang: Lang) -> String {
    m.reasons
        .iter()
        .map(|(c, fit)| {
            let mark = match fit {
                Fit::Yes => "✓",
                Fit::Partly => "~",
                Fit::No => "✗",
            };
            format!("{mark} {}", t(lang, &format!("criterion.{}", c.key())))
        })
        .collect::<Vec<_>>()
        .join("  ")
}

/// Whether the match says something rules the candidate out.
fn excluded_by(m: &Match) -> Option<Criterion> {
    m.excluded.then_some(Criterion::MinimumAge)
}

/// Proposes a placement.
pub struct Propose {
    pub volunteer: u64,
    pub vacancy: u64,
}

impl Job for Propose {
    fn name(&self) -> &'static str {
        "propose_placement"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let result = jx
            .service
            .propose_placement(jx.who, self.volunteer, self.vacancy);
        if let Ok(saved) = &result {
            jx.model.put_placement(saved);
        }
        Box::new(result)
    }
}

impl Component for MatchView {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::List, Context::Navigation]
    }

    fn offers(&self, action: Action) -> bool {
        !matches!(action, Action::Search | Action::New)
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        let last = self.items.len().saturating_sub(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(self.page),
            Action::PageDown => self.selected = (self.selected + self.page).min(last),
            Action::Home => self.selected = 0,
            Action::End => self.selected = last,
            Action::Back => cx.close(),
            Action::Open => {
                if let Some(item) = self.items.get(self.selected) {
                    let (volunteer, vacancy) = match &self.subject {
                        Subject::Person(p) => (p.meta.id, item.id),
                        Subject::Vacancy(v) => (item.id, v.meta.id),
                    };
                    cx.run(Propose { volunteer, vacancy });
                }
            }
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        let Some(result) = done.take::<Result<Stored<Placement>, ServiceError>>() else {
            return;
        };
        let lang = cx.lang();
        match result {
            Ok(saved) => {
                let text = tf(
                    lang,
                    "ui.proposed",
                    &[
                        ("name", saved.data.volunteer_name.clone()),
                        ("title", saved.data.vacancy_title.clone()),
                    ],
                );
                let id = saved.meta.id;
                cx.cmd(Cmd::PopView);
                cx.push(DetailView::new(saved));
                cx.cmd(Cmd::Reveal(super::KIND, id));
                cx.flash(FlashKind::Ok, text);
            }
            Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
        }
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.rank(model, env);
        let rows = usize::from(area.height.saturating_sub(2) / ROW_LINES).max(1);
        self.page = rows;
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        if area.height == 0 {
            return None;
        }
        put(
            buf,
            area.x,
            area.y,
            area.right(),
            &self.heading(lang),
            theme.title,
        );
        if self.items.is_empty() {
            put(
                buf,
                area.x + 2,
                area.y + 2,
                area.right(),
                t(lang, "ui.match_none"),
                theme.dim,
            );
            return None;
        }
        let mut y = area.y + 2;
        for (i, item) in self.items.iter().enumerate().skip(self.offset) {
            if y + 1 >= area.bottom() {
                break;
            }
            let selected = i == self.selected;
            let style = if selected { theme.selected } else { theme.base };
            if selected {
                buf.set_style(Rect::new(area.x, y, area.width, 1), theme.selected);
            }
            let marker = if selected { "▶" } else { " " };
            let line = format!(
                "{marker} {:>3}  {} · {}",
                item.result.score, item.title, item.detail
            );
            put(buf, area.x, y, area.right(), &line, style);
            let mut reasons = reasons_text(&item.result, lang);
            if excluded_by(&item.result).is_some() {
                reasons = format!("{}  ({})", reasons, t(lang, "ui.match_excluded"));
            }
            put(buf, area.x + 7, y + 1, area.right(), &reasons, theme.dim);
            y += ROW_LINES;
        }
        None
    }

    fn crumb(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "ui.crumb_match").to_string())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
