//! 2 Verbinden › Volunteers and › Intakes, and everything that opens from them: the
//! volunteer detail view, the intake and edit form, the status change and the duplicates
//! dialog. This module is what one record kind's screens look like: a [`Projection`] and a
//! column table for the list, a detail view, a form, and the [`Job`]s that reach the service.

pub mod access_export;
pub mod detail;
pub mod form;
pub mod privacy;
pub mod status;

use crate::domain::format_date;
use crate::domain::volunteer::{Status, TargetGroup, Volunteer};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{Haystacks, ReadModel, VolunteerRow};
use crate::service::Stored;
use crate::service::{Kind, ServiceError};
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
pub const KIND: Kind = Kind::Volunteer;

/// The target groups' letters in the list, in the language's words (J/S/K in Dutch, Y/S/V in
/// English): catalog `target_group_letter.<key>`.
pub fn group_letters(r: &VolunteerRow, lang: Lang) -> String {
    TargetGroup::ALL
        .into_iter()
        .filter(|g| r.has_group(*g))
        .map(|g| t(lang, &format!("target_group_letter.{}", g.key())).to_string())
        .collect()
}

/// What the letters of the group column mean ("J = jongeren (t/m 27) · …"), for help.
pub fn group_legend(lang: Lang) -> String {
    TargetGroup::ALL
        .into_iter()
        .map(|g| {
            format!(
                "{} = {}",
                t(lang, &format!("target_group_letter.{}", g.key())),
                t(lang, &format!("target_group.{}", g.key()))
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn status_name(lang: Lang, s: Status) -> String {
    t(lang, &format!("status.{}", s.key())).to_string()
}

/// Volunteers as a list: rows, search texts and columns.
pub struct VolunteerRows;

static COLUMNS: [Column<VolunteerRow>; 6] = [
    Column {
        // Wide enough for most names whole; at 80 columns the group letters give way.
        title: "ui.col_name",
        min: 24,
        preferred: 30,
        max: 44,
        drop: 0,
        cell: |r, _| r.filed.clone(),
    },
    // Names repeat (16 people share one full name at 100,000): the birth date tells them
    // apart.
    Column {
        title: "ui.col_born",
        min: 10,
        preferred: 10,
        max: 10,
        drop: 0,
        cell: |r, _| format_date(r.birth_date),
    },
    Column {
        title: "field.municipality",
        min: 10,
        preferred: 14,
        max: 22,
        drop: 2,
        cell: |r, _| r.municipality.clone(),
    },
    Column {
        // Wide enough for every status name at 80 columns ("Intakegesprek gehad").
        title: "field.status",
        min: 19,
        preferred: 16,
        max: 16,
        drop: 1,
        cell: |r, lang| status_name(lang, r.status),
    },
    Column {
        title: "ui.col_groups",
        min: 5,
        preferred: 5,
        max: 5,
        drop: 3,
        cell: group_letters,
    },
    Column {
        title: "ui.col_intake",
        min: 10,
        preferred: 10,
        max: 10,
        drop: 0,
        cell: |r, _| format_date(r.intake_date),
    },
];

impl Projection for VolunteerRows {
    type Row = VolunteerRow;
    fn rows(model: &ReadModel) -> &[VolunteerRow] {
        model.volunteers().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.volunteers().haystacks()
    }
    fn id(row: &VolunteerRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<VolunteerRow>] {
        &COLUMNS
    }
    /// Anonymised people are counted, never listed (see [`VolunteerList`]).
    fn hidden(model: &ReadModel) -> usize {
        model.volunteers().stats().anonymised() as usize
    }
}

/// The Volunteers screen (everyone) or the Intakes screen (the queue of status New, who has
/// waited longest first), with quick filters on status and municipality.
pub struct VolunteerList {
    pub table: Table<VolunteerRows>,
    queue: bool,
    pub status: Option<Status>,
    pub municipality: Option<String>,
    /// Bumped whenever a quick filter changes.
    generation: u64,
    /// The quick filters as the search line says them.
    filters: String,
}

impl VolunteerList {
    /// Everyone, in name order.
    pub fn all() -> VolunteerList {
        VolunteerList {
            table: Table::default(),
            queue: false,
            status: None,
            municipality: None,
            generation: 0,
            filters: String::new(),
        }
    }

    /// The intake queue.
    pub fn intake_queue() -> VolunteerList {
        VolunteerList {
            queue: true,
            ..VolunteerList::all()
        }
    }

    fn refresh(&mut self, model: &ReadModel) {
        let status = if self.queue {
            Some(Status::New)
        } else {
            self.status
        };
        let muni = self.municipality.clone();
        // An anonymised person is counted, never listed; search never finds one (their search
        // text is empty), so only a list without a query needs to leave them out.
        let keep = move |r: &VolunteerRow| {
            !r.anonymised
                && status.is_none_or(|s| r.status == s)
                && muni.as_deref().is_none_or(|m| r.municipality == m)
        };
        let order = |a: &VolunteerRow, b: &VolunteerRow| a.intake_date.cmp(&b.intake_date);
        let filtered = status.is_some()
            || self.municipality.is_some()
            || self.table.filter.value().trim().is_empty();
        let shape = Shape {
            keep: filtered.then_some(&keep as &dyn Fn(&VolunteerRow) -> bool),
            order: self
                .queue
                .then_some(&order as &dyn Fn(&VolunteerRow, &VolunteerRow) -> _),
            generation: self.generation,
        };
        self.table.refresh(model, &shape);
    }

    fn cycle_status(&mut self) {
        self.status = match self.status {
            None => Some(Status::ALL[0]),
            Some(s) => Status::ALL
                .iter()
                .position(|x| *x == s)
                .and_then(|i| Status::ALL.get(i + 1))
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

impl Component for VolunteerList {
    fn unavailable(&self) -> Vec<Action> {
        // The intake queue is the people with status New: there is no status to filter on.
        if self.queue {
            vec![Action::FilterStatus]
        } else {
            Vec::new()
        }
    }
    fn help_note(&self, lang: Lang) -> Option<String> {
        Some(tf(
            lang,
            "ui.groups_legend",
            &[("letters", group_legend(lang))],
        ))
    }
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
            Action::New => cx.cmd(Cmd::Push(new_intake(cx.env))),
            Action::Search => self.table.filtering = true,
            Action::ExportCsv => {
                let rows = {
                    let model = cx.model.read();
                    self.refresh(&model);
                    self.table.export(&model, cx.lang())
                };
                let key = if self.queue {
                    "screen.intakes"
                } else {
                    "screen.volunteers"
                };
                let name = crate::ui::modal::export::default_name(cx.lang(), key, cx.env.today);
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            // The intake queue is the people with status New: no other status to choose.
            Action::FilterStatus if self.queue => {}
            Action::FilterStatus => self.cycle_status(),
            Action::FilterMunicipality => {
                let list = cx.env.municipalities.clone();
                self.cycle_municipality(&list);
            }
            Action::ClearFilters => {
                self.clear_filters();
            }
            // Esc while typing a search stops and clears only the search: the quick filters
            // stay. Esc after that clears the quick filters (and a search left standing).
            Action::Back => {
                if self.table.filtering {
                    self.table.stop_search();
                } else if !self.clear_filters() {
                    return Handled::No;
                }
            }
            Action::Open => self.open_selected(Then::Detail, cx),
            Action::Edit => self.open_selected(Then::Edit, cx),
            Action::ChangeStatus => self.open_selected(Then::Status, cx),
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
        let muni = self
            .municipality
            .clone()
            .unwrap_or_else(|| t(lang, "ui.all").to_string());
        self.filters = if self.queue {
            tf(lang, "ui.queue_filters", &[("municipality", muni)])
        } else {
            let status = self
                .status
                .map(|s| status_name(lang, s))
                .unwrap_or_else(|| t(lang, "ui.all").to_string());
            tf(
                lang,
                "ui.list_filters",
                &[("status", status), ("municipality", muni)],
            )
        };
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

/// A new, blank intake form.
pub fn new_intake(env: &Env) -> Box<dyn Component> {
    Box::new(form::FormView::new_intake(env.rules.clone()))
}

/// What to do with a volunteer once it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Detail,
    Edit,
    Status,
}

/// Reads one volunteer for a detail view, a form or a status change.
pub struct Load {
    pub id: u64,
    pub then: Then,
}

/// What [`Load`] brings back.
pub struct Loaded {
    pub then: Then,
    pub result: Result<Option<Stored<Volunteer>>, ServiceError>,
}

impl Job for Load {
    fn name(&self) -> &'static str {
        "load_volunteer"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(Loaded {
            then: self.then,
            result: jx.service.volunteer(jx.who, self.id),
        })
    }
}

/// Opens what a [`Load`] was for; false when the volunteer could not be read (the user is
/// told why).
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
                Then::Edit => cx.push(form::FormView::edit(record, cx.env.rules.clone())),
                Then::Status => cx.modal(status::StatusModal::new(&record)),
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
