//! 3 Versterken › Organisations, and what opens from it: the organisation's detail view and
//! its form. A [`Projection`] and a column table for the list, the jobs that read through the
//! service.

pub mod detail;
pub mod form;

use crate::domain::draft::Keyed;
use crate::domain::organisation::{Organisation, OrganisationKind};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{Haystacks, OrganisationRow, ReadModel};
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
pub const KIND: Kind = Kind::Organisation;

/// The name of an organisation kind.
pub fn kind_name(lang: Lang, k: OrganisationKind) -> String {
    t(lang, &format!("organisation_kind.{}", k.key())).to_string()
}

/// Organisations as a list: rows, search texts and columns.
pub struct OrganisationRows;

static COLUMNS: [Column<OrganisationRow>; 4] = [
    Column {
        title: "ui.col_name",
        min: 14,
        preferred: 34,
        max: 50,
        drop: 0,
        cell: |r, _| r.name.clone(),
    },
    Column {
        title: "field.organisation_kind",
        min: 8,
        preferred: 16,
        max: 20,
        drop: 1,
        cell: |r, lang| kind_name(lang, r.kind),
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
        title: "ui.col_contact_person",
        min: 10,
        preferred: 20,
        max: 28,
        drop: 3,
        cell: |r, _| r.contact.clone(),
    },
];

impl Projection for OrganisationRows {
    type Row = OrganisationRow;
    const EMPTY: &'static str = "ui.org_empty";
    const NO_MATCHES: &'static str = "ui.org_no_matches";
    fn rows(model: &ReadModel) -> &[OrganisationRow] {
        model.organisations().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.organisations().haystacks()
    }
    fn id(row: &OrganisationRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<OrganisationRow>] {
        &COLUMNS
    }
}

/// The Organisations screen, with quick filters on kind (`f`) and municipality (`m`).
#[derive(Default)]
pub struct OrganisationList {
    pub table: Table<OrganisationRows>,
    pub kind: Option<OrganisationKind>,
    pub municipality: Option<String>,
    /// Bumped whenever a quick filter changes.
    generation: u64,
    /// The quick filters as the search line says them.
    filters: String,
}

impl OrganisationList {
    fn refresh(&mut self, model: &ReadModel) {
        let kind = self.kind;
        let muni = self.municipality.clone();
        let keep = move |r: &OrganisationRow| {
            kind.is_none_or(|k| r.kind == k) && muni.as_deref().is_none_or(|m| r.municipality == m)
        };
        let filtered = self.kind.is_some() || self.municipality.is_some();
        let shape = Shape {
            keep: filtered.then_some(&keep as &dyn Fn(&OrganisationRow) -> bool),
            order: None,
            generation: self.generation,
        };
        self.table.refresh(model, &shape);
    }

    fn cycle_kind(&mut self) {
        let all = OrganisationKind::ALL;
        self.kind = match self.kind {
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
        let had = self.kind.is_some() || self.municipality.is_some();
        self.kind = None;
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

impl Component for OrganisationList {
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
            Action::New => cx.cmd(Cmd::Push(new_organisation(cx.env))),
            Action::Search => self.table.filtering = true,
            Action::ExportCsv => {
                let rows = {
                    let model = cx.model.read();
                    self.refresh(&model);
                    self.table.export(&model, cx.lang())
                };
                let name = crate::ui::modal::export::default_name(
                    cx.lang(),
                    "screen.organisations",
                    cx.env.today,
                );
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            Action::FilterStatus => self.cycle_kind(),
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
        let kind = self.kind.map(|k| kind_name(lang, k)).unwrap_or_else(all);
        self.filters = tf(
            lang,
            "ui.org_filters",
            &[("kind", kind), ("municipality", muni)],
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

/// A new, blank organisation form.
pub fn new_organisation(env: &Env) -> Box<dyn Component> {
    Box::new(form::FormView::new(env.rules.clone()))
}

/// What to do with an organisation once it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Detail,
    Edit,
}

/// Reads one organisation for a detail view or a form.
pub struct Load {
    pub id: u64,
    pub then: Then,
}

/// What [`Load`] brings back.
pub struct Loaded {
    pub then: Then,
    pub result: Result<Option<Stored<Organisation>>, ServiceError>,
}

impl Job for Load {
    fn name(&self) -> &'static str {
        "load_organisation"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(Loaded {
            then: self.then,
            result: jx.service.organisation(jx.who, self.id),
        })
    }
}

/// Opens what a [`Load`] was for; false when the organisation could not be read (the user is
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
