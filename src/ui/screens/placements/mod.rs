//! 2 Verbinden › Placements: every placement, the newest proposal first, with a quick filter
//! on the stage; what opens from it (a placement's detail and its status change), and the
//! matching view (`m` on a person or a vacancy).

pub mod detail;
pub mod matching;
pub mod status;

use crate::domain::draft::Keyed;
use crate::domain::format_date;
use crate::domain::placement::{Placement, PlacementStatus};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{Haystacks, PlacementRow, ReadModel};
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
pub const KIND: Kind = Kind::Placement;

/// The name of a placement's stage.
pub fn status_name(lang: Lang, s: PlacementStatus) -> String {
    t(lang, &format!("placement_status.{}", s.key())).to_string()
}

/// Placements as a list.
pub struct PlacementRows;

static COLUMNS: [Column<PlacementRow>; 5] = [
    Column {
        title: "ui.col_name",
        min: 12,
        preferred: 24,
        max: 34,
        drop: 0,
        cell: |r, _| r.volunteer_name.clone(),
    },
    Column {
        title: "field.vacancy",
        min: 12,
        preferred: 24,
        max: 34,
        drop: 1,
        cell: |r, _| r.vacancy_title.clone(),
    },
    Column {
        title: "field.organisation",
        min: 10,
        preferred: 22,
        max: 30,
        drop: 3,
        cell: |r, _| r.organisation_name.clone(),
    },
    Column {
        title: "field.placement_status",
        min: 12,
        preferred: 12,
        max: 13,
        drop: 0,
        cell: |r, lang| status_name(lang, r.status),
    },
    Column {
        title: "ui.col_proposed",
        min: 10,
        preferred: 10,
        max: 10,
        drop: 2,
        cell: |r, _| format_date(r.proposed_on),
    },
];

impl Projection for PlacementRows {
    type Row = PlacementRow;
    const EMPTY: &'static str = "ui.placement_empty";
    const NO_MATCHES: &'static str = "ui.placement_no_matches";
    fn rows(model: &ReadModel) -> &[PlacementRow] {
        model.placements().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.placements().haystacks()
    }
    fn id(row: &PlacementRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<PlacementRow>] {
        &COLUMNS
    }
}

/// The Placements screen, with a quick filter on the stage (`f`).
#[derive(Default)]
pub struct PlacementList {
    pub table: Table<PlacementRows>,
    pub status: Option<PlacementStatus>,
    generation: u64,
    filters: String,
}

impl PlacementList {
    fn refresh(&mut self, model: &ReadModel) {
        let status = self.status;
        let keep = move |r: &PlacementRow| status.is_none_or(|s| r.status == s);
        let shape = Shape {
            keep: status
                .is_some()
                .then_some(&keep as &dyn Fn(&PlacementRow) -> bool),
            order: None,
            generation: self.generation,
        };
        self.table.refresh(model, &shape);
    }

    fn open_selected(&mut self, cx: &mut Cx) {
        self.table.filtering = false;
        let id = {
            let model = cx.model.read();
            self.refresh(&model);
            self.table.selected_id(&model)
        };
        if let Some(id) = id {
            cx.run(Load { id });
        }
    }
}

impl Component for PlacementList {
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
            Some(true) => self.open_selected(cx),
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
            Action::Search => self.table.filtering = true,
            Action::ExportCsv => {
                let rows = {
                    let model = cx.model.read();
                    self.refresh(&model);
                    self.table.export(&model, cx.lang())
                };
                let name = crate::ui::modal::export::default_name(
                    cx.lang(),
                    "screen.placements",
                    cx.env.today,
                );
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            Action::FilterStatus => {
                let all = PlacementStatus::ALL;
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
            Action::Back if self.table.filtering => {
                self.table.stop_search();
            }
            Action::Back | Action::ClearFilters => {
                let had = self.status.take().is_some();
                self.generation += 1;
                if !self.table.stop_search() && !had {
                    return Handled::No;
                }
            }
            Action::Open | Action::ChangeStatus => self.open_selected(cx),
            _ => return Handled::No,
        }
        let model = cx.model.read();
        self.refresh(&model);
        Handled::Yes
    }

    fn offers(&self, action: Action) -> bool {
        action != Action::New
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
        let status = self
            .status
            .map(|s| status_name(lang, s))
            .unwrap_or_else(|| t(lang, "ui.all").to_string());
        self.filters = tf(lang, "ui.placement_filters", &[("status", status)]);
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

/// Reads one placement for its detail view.
pub struct Load {
    pub id: u64,
}

/// What [`Load`] brings back.
pub struct Loaded {
    pub result: Result<Option<Stored<Placement>>, ServiceError>,
}

impl Job for Load {
    fn name(&self) -> &'static str {
        "load_placement"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(Loaded {
            result: jx.service.placement(jx.who, self.id),
        })
    }
}

/// Opens the detail a [`Load`] was for; false when the placement could not be read.
pub fn after_load(done: Done, cx: &mut Cx) -> bool {
    let Some(loaded) = done.take::<Loaded>() else {
        return false;
    };
    let lang = cx.lang();
    match loaded.result {
        Ok(Some(record)) => {
            let id = record.meta.id;
            cx.push(detail::DetailView::new(record));
            cx.cmd(Cmd::Reveal(KIND, id));
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
