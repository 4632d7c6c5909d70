//! 2 Verbinden › Vacancies, and what opens from it: a vacancy's detail view and its form.

pub mod detail;
pub mod form;

use crate::domain::draft::Keyed;
use crate::domain::vacancy::{Vacancy, VacancyStatus};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{Haystacks, ReadModel, VacancyRow};
use crate::service::{Kind, ServiceError, Stored};
use crate::ui::action::Action;
use crate::ui::component::{
    Cmd, Component, Cx, Done, Env, FlashKind, Handled, Job, JobCx, RenderCx,
};
use crate::ui::keymap::Context;
use crate::ui::table::{Column, Projection, Shape, Table};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// The record kind these screens show.
pub const KIND: Kind = Kind::Vacancy;

/// The name of a vacancy status.
pub fn status_name(lang: Lang, s: VacancyStatus) -> String {
    t(lang, &format!("vacancy_status.{}", s.key())).to_string()
}

/// Vacancies as a list.
pub struct VacancyRows;

static COLUMNS: [Column<VacancyRow>; 5] = [
    Column {
        title: "field.title",
        min: 14,
        preferred: 30,
        max: 44,
        drop: 0,
        cell: |r, _| r.title.clone(),
    },
    Column {
        title: "field.organisation",
        min: 10,
        preferred: 26,
        max: 36,
        drop: 1,
        cell: |r, _| r.organisation_name.clone(),
    },
    Column {
        title: "field.sector",
        min: 8,
        preferred: 12,
        max: 16,
        drop: 3,
        cell: |r, lang| t(lang, &format!("interest.{}", r.sector.key())).to_string(),
    },
    Column {
        title: "field.municipality",
        min: 10,
        preferred: 14,
        max: 20,
        drop: 4,
        cell: |r, _| r.municipality.clone(),
    },
    Column {
        title: "field.status",
        min: 8,
        preferred: 9,
        max: 10,
        drop: 2,
        cell: |r, lang| status_name(lang, r.status),
    },
];

impl Projection for VacancyRows {
    type Row = VacancyRow;
    const EMPTY: &'static str = "ui.vacancy_empty";
    const NO_MATCHES: &'static str = "ui.vacancy_no_matches";
    fn rows(model: &ReadModel) -> &[VacancyRow] {
        model.vacancies().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.vacancies().haystacks()
    }
    fn id(row: &VacancyRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<VacancyRow>] {
        &COLUMNS
    }
}

/// The Vacancies screen, with quick filters on status (`f`) and municipality (`m`).
#[derive(Default)]
pub struct VacancyList {
    pub table: Table<VacancyRows>,
    pub status: Option<VacancyStatus>,
    pub municipality: Option<String>,
    generation: u64,
    filters: String,
}

impl VacancyList {
    fn refresh(&mut self, model: &ReadModel) {
        let status = self.status;
        let muni = self.municipality.clone();
        let keep = move |r: &VacancyRow| {
            status.is_none_or(|s| r.status == s)
                && muni.as_deref().is_none_or(|m| r.municipality == m)
        };
        let filtered = self.status.is_some() || self.municipality.is_some();
        let shape = Shape {
            keep: filtered.then_some(&keep as &dyn Fn(&VacancyRow) -> bool),
            order: None,
            generation: self.generation,
        };
        self.table.refresh(model, &shape);
    }

    fn cycle_status(&mut self) {
        let all = VacancyStatus::ALL;
        self.status = match self.status {
            None => all.first().copied(),
            Some(k) => all
                .iter()
                .position(|x| *x == k)
                .and_then(|i| all.get(i + 1))
                .copied(),
        };
        self.generation += 1;
    }

    fn cycle_municipality(&mut self, list: &[String]) {
        self.municipality = match &self.municipality {
            None => list.first().cloned(),
            Some(m) => list
                .iter()
                .position(|x| x == m)
                .and_then(|i| list.get(i + 1))
                .cloned(),
        };
        self.generation += 1;
    }

    fn clear_filters(&mut self) -> bool {
        let had = self.status.is_some() || self.municipality.is_some();
        self.status = None;
        self.municipality = None;
        self.generation += 1;
        self.table.stop_search() || had
    }

    fn open_selected(&mut self, then: Then, cx: &mut Cx) {
        self.table.filtering = false;
        let id = {
            let model = cx.model.read();
            self.refresh(&model);
            self.table.selected_id(&model)
        };
        if let Some(id) = id {
            cx.run(Load { id, then });
        }
    }
}

impl Component for VacancyList {
    fn contexts(&self) -> Vec<Context> {
        if self.table.filtering {
            vec![Context::Filter]
        } else {
            vec![Context::List, Context::Navigation]
        }
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx) -> bool {
        if self.table.on_key(key) {
            let model = cx.model.read();
            self.refresh(&model);
            return true;
        }
        false
    }

    fn on_paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        let used = self.table.on_paste(text);
        let model = cx.model.read();
        self.refresh(&model);
        used
    }

    fn on_mouse(&mut self, m: MouseEvent, area: Rect, cx: &mut Cx) -> bool {
        match self.table.on_mouse(m, area) {
            Some(true) => self.open_selected(Then::Detail, cx),
            Some(false) => {}
            None => return false,
        }
        true
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if self.table.on_move(action) {
            return Handled::Yes;
        }
        match action {
            Action::New => {
                let view = form::FormView::new(cx.env, &cx.model.read(), "", "");
                cx.push(view);
            }
            Action::Search => self.table.filtering = true,
            Action::ExportCsv => {
                let rows = {
                    let model = cx.model.read();
                    self.refresh(&model);
                    self.table.export(&model, cx.lang())
                };
                let name = crate::ui::modal::export::default_name(
                    cx.lang(),
                    "screen.vacancies",
                    cx.env.today,
                );
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            Action::FilterStatus => self.cycle_status(),
            Action::FilterMunicipality => {
                let list = cx.env.municipalities.clone();
                self.cycle_municipality(&list);
            }
            Action::ClearFilters => {
                self.clear_filters();
            }
            Action::Back => {
                if self.table.filtering {
                    self.table.stop_search();
                } else if !self.clear_filters() {
                    return Handled::No;
                }
            }
            Action::Open => self.open_selected(Then::Detail, cx),
            Action::Edit => self.open_selected(Then::Edit, cx),
            _ => return Handled::No,
        }
        let model = cx.model.read();
        self.refresh(&model);
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        after_load(done, cx);
    }

    fn on_model(&mut self, cx: &mut Cx) {
        let model = cx.model.read();
        self.refresh(&model);
    }

    fn reveal(&mut self, kind: Kind, id: u64, model: &ReadModel) {
        if kind == KIND {
            self.refresh(model);
            self.table.select_id(model, id);
        }
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.refresh(model);
        self.table.prepare(model, area, env.lang);
        let lang = env.lang;
        let all = || t(lang, "ui.all").to_string();
        let muni = self.municipality.clone().unwrap_or_else(all);
        let status = self
            .status
            .map(|s| status_name(lang, s))
            .unwrap_or_else(all);
        self.filters = tf(
            lang,
            "ui.list_filters",
            &[("status", status), ("municipality", muni)],
        );
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.table
            .render(area, buf, &cx.env.theme, cx.env.lang, &self.filters)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// What to do with a vacancy once it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Detail,
    Edit,
}

/// Reads one vacancy for a detail view or a form.
pub struct Load {
    pub id: u64,
    pub then: Then,
}

/// What [`Load`] brings back.
pub struct Loaded {
    pub then: Then,
    pub result: Result<Option<Stored<Vacancy>>, ServiceError>,
}

impl Job for Load {
    fn name(&self) -> &'static str {
        "load_vacancy"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(Loaded {
            then: self.then,
            result: jx.service.vacancy(jx.who, self.id),
        })
    }
}

/// Opens what a [`Load`] was for; false when the vacancy could not be read.
pub fn after_load(done: Done, cx: &mut Cx) -> bool {
    let Some(loaded) = done.take::<Loaded>() else {
        return false;
    };
    let lang = cx.lang();
    match loaded.result {
        Ok(Some(record)) => {
            let id = record.meta.id;
            match loaded.then {
                Then::Detail => {
                    cx.push(detail::DetailView::new(record));
                    cx.cmd(Cmd::Reveal(KIND, id));
                }
                Then::Edit => {
                    let view = form::FormView::edit(cx.env, &cx.model.read(), record);
                    cx.push(view);
                }
            }
            true
        }
        Ok(None) => {
            cx.flash(FlashKind::Error, t(lang, "error.not_found"));
            false
        }
        Err(e) => {
            cx.flash(
                FlashKind::Error,
                crate::i18n::errors::service_error(lang, &e),
            );
            false
        }
    }
}
