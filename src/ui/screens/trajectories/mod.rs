//! 3 Versterken › Trajecten: every trajectory, filtered by kind, phase, consultant,
//! municipality and "overdue"; an overdue meeting is flagged with a marker and words. Enter
//! opens the timeline; the trajectory keys (a meeting, a ladder step …) work on the selected
//! row as in the detail.

pub mod caseloads;
pub mod detail;
pub mod forms;
pub mod reason;

use crate::domain::draft::Keyed;
use crate::domain::format_date;
use crate::domain::trajectory::{Phase, Trajectory, TrajectoryKind};
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{Haystacks, ReadModel, TrajectoryRow};
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
use time::Date;

/// The record kind these screens show.
pub const KIND: Kind = Kind::Trajectory;

/// The name of a kind of trajectory.
pub fn kind_name(lang: Lang, k: TrajectoryKind) -> String {
    t(lang, &format!("trajectory_kind.{}", k.key())).to_string()
}

/// The name of a phase.
pub fn phase_name(lang: Lang, p: Phase) -> String {
    t(lang, &format!("phase.{}", p.key())).to_string()
}

/// A consultant's display name (their login when koppel does not know them).
pub fn consultant_name(
    consultants: &[crate::domain::trajectory::Consultant],
    login: &str,
) -> String {
    consultants
        .iter()
        .find(|c| c.login == login)
        .map_or_else(|| login.to_string(), |c| c.display.clone())
}

/// Start and current step as `2 → 4`.
fn steps_text(start: Option<u8>, now: Option<u8>) -> String {
    match (start, now) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} → {b}"),
        _ => String::new(),
    }
}

/// Trajectories as a list.
pub struct TrajectoryRows;

static COLUMNS: [Column<TrajectoryRow>; 7] = [
    Column {
        title: "ui.col_person",
        min: 14,
        preferred: 26,
        max: 40,
        drop: 0,
        cell: |r, _| r.person_name.clone(),
    },
    Column {
        title: "field.trajectory_kind",
        min: 8,
        preferred: 18,
        max: 24,
        drop: 3,
        cell: |r, lang| kind_name(lang, r.kind),
    },
    Column {
        title: "field.phase",
        min: 9,
        preferred: 10,
        max: 12,
        drop: 0,
        cell: |r, lang| phase_name(lang, r.phase),
    },
    Column {
        title: "field.consultant",
        min: 6,
        preferred: 10,
        max: 18,
        drop: 1,
        cell: |r, _| r.consultant.clone(),
    },
    Column {
        title: "field.next_meeting",
        min: 10,
        preferred: 20,
        max: 20,
        drop: 0,
        cell: |r, _| r.next_meeting.map(format_date).unwrap_or_default(),
    },
    Column {
        title: "ui.col_ladder",
        min: 5,
        preferred: 6,
        max: 6,
        drop: 2,
        cell: |r, _| steps_text(r.start_step, r.current_step),
    },
    Column {
        title: "field.municipality",
        min: 8,
        preferred: 14,
        max: 22,
        drop: 4,
        cell: |r, _| r.municipality.clone(),
    },
];

impl Projection for TrajectoryRows {
    type Row = TrajectoryRow;
    const EMPTY: &'static str = "ui.trajectory_empty";
    const NO_MATCHES: &'static str = "ui.trajectory_no_matches";
    fn rows(model: &ReadModel) -> &[TrajectoryRow] {
        model.trajectories().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.trajectories().haystacks()
    }
    fn id(row: &TrajectoryRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<TrajectoryRow>] {
        &COLUMNS
    }
    fn flag(row: &TrajectoryRow, today: Date) -> Option<&'static str> {
        row.is_overdue(today).then_some("ui.overdue_short")
    }
    /// Beside the next meeting's date.
    const FLAG_COLUMN: usize = 4;
}

/// Which phases the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseFilter {
    /// Every trajectory not closed.
    Open,
    One(Phase),
    All,
}

impl PhaseFilter {
    fn next(self) -> PhaseFilter {
        match self {
            PhaseFilter::Open => PhaseFilter::One(Phase::Aanmelding),
            PhaseFilter::One(p) => match Phase::ALL.iter().position(|x| *x == p) {
                Some(i) if i + 1 < Phase::ALL.len() => PhaseFilter::One(Phase::ALL[i + 1]),
                _ => PhaseFilter::All,
            },
            PhaseFilter::All => PhaseFilter::Open,
        }
    }

    fn keeps(self, p: Phase) -> bool {
        match self {
            PhaseFilter::Open => p != Phase::Afgesloten,
            PhaseFilter::One(x) => x == p,
            PhaseFilter::All => true,
        }
    }
}

/// The Trajectories screen.
pub struct TrajectoryList {
    pub table: Table<TrajectoryRows>,
    pub kind: Option<TrajectoryKind>,
    pub phase: PhaseFilter,
    /// A consultant's login.
    pub consultant: Option<String>,
    pub municipality: Option<String>,
    pub overdue_only: bool,
    /// Opened over another screen (the caseloads): Esc closes it.
    pub pushed: bool,
    today: Option<Date>,
    generation: u64,
    filters: String,
    /// The acting role, once known: what the list offers.
    role: Option<crate::service::Role>,
}

impl Default for TrajectoryList {
    fn default() -> Self {
        TrajectoryList {
            table: Table::default(),
            kind: None,
            phase: PhaseFilter::Open,
            consultant: None,
            municipality: None,
            overdue_only: false,
            pushed: false,
            today: None,
            generation: 0,
            filters: String::new(),
            role: None,
        }
    }
}

impl TrajectoryList {
    /// One consultant's open trajectories, overdue first, opened over the caseloads.
    pub fn pushed(login: &str) -> TrajectoryList {
        TrajectoryList {
            consultant: Some(login.to_string()),
            pushed: true,
            ..TrajectoryList::default()
        }
    }

    fn refresh(&mut self, model: &ReadModel, today: Date) {
        if self.today != Some(today) {
            self.today = Some(today);
            self.generation += 1;
        }
        self.table.today = Some(today);
        let (kind, phase, overdue_only) = (self.kind, self.phase, self.overdue_only);
        let consultant = self.consultant.clone();
        let municipality = self.municipality.clone();
        let keep = move |r: &TrajectoryRow| {
            phase.keeps(r.phase)
                && kind.is_none_or(|k| k == r.kind)
                && consultant.as_ref().is_none_or(|c| *c == r.consultant)
                && municipality.as_ref().is_none_or(|m| *m == r.municipality)
                && (!overdue_only || r.is_overdue(today))
        };
        // Overdue first, the most overdue on top, when one caseload or the overdue are shown.
        let urgent = self.overdue_only || self.consultant.is_some();
        let order = |a: &TrajectoryRow, b: &TrajectoryRow| {
            let key = |r: &TrajectoryRow| (r.next_meeting.is_none(), r.next_meeting);
            key(a).cmp(&key(b))
        };
        let shape = Shape {
            keep: Some(&keep),
            order: urgent.then_some(&order as &dyn Fn(&TrajectoryRow, &TrajectoryRow) -> _),
            generation: self.generation,
        };
        self.table.refresh(model, &shape);
    }

    fn open_selected(&mut self, then: Then, cx: &mut Cx) {
        self.table.filtering = false;
        let action = match then {
            Then::Detail => Action::Open,
            Then::Step(a) => a,
        };
        if forms::refused(Action::Open, cx) || forms::refused(action, cx) {
            return;
        }
        let id = {
            let model = cx.model.read();
            self.refresh(&model, cx.env.today);
            self.table.selected_id(&model)
        };
        if let Some(id) = id {
            cx.run(Load { id, then });
        }
    }

    fn cycle_consultant(&mut self, model: &ReadModel, env: &Env) {
        let mut all: Vec<String> = env.consultants.iter().map(|c| c.login.clone()).collect();
        for l in model.caseloads().lines(env.today, &env.trajectories) {
            if !all.contains(&l.consultant) {
                all.push(l.consultant);
            }
        }
        all.sort();
        self.consultant = match &self.consultant {
            None => all.first().cloned(),
            Some(c) => all
                .iter()
                .position(|x| x == c)
                .and_then(|i| all.get(i + 1))
                .cloned(),
        };
    }
}

impl Component for TrajectoryList {
    fn contexts(&self) -> Vec<Context> {
        if self.table.filtering {
            vec![Context::Filter]
        } else {
            vec![Context::List, Context::Trajectory, Context::Navigation]
        }
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx) -> bool {
        if self.table.on_key(key) {
            let model = cx.model.read();
            self.refresh(&model, cx.env.today);
            return true;
        }
        false
    }

    fn on_paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        let used = self.table.on_paste(text);
        let model = cx.model.read();
        self.refresh(&model, cx.env.today);
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

    fn offers(&self, action: Action) -> bool {
        match action {
            Action::New | Action::Edit | Action::ChangeStatus => false,
            a if a == Action::Open || forms::is_step(a) => {
                forms::allows(self.role, Action::Open) && forms::allows(self.role, a)
            }
            _ => true,
        }
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
                    self.refresh(&model, cx.env.today);
                    self.table.export(&model, cx.lang())
                };
                let name = crate::ui::modal::export::default_name(
                    cx.lang(),
                    "screen.trajectories",
                    cx.env.today,
                );
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            Action::FilterStatus => self.phase = self.phase.next(),
            Action::FilterKind => {
                self.kind = match self.kind {
                    None => Some(TrajectoryKind::ALL[0]),
                    Some(k) => TrajectoryKind::ALL
                        .iter()
                        .position(|x| *x == k)
                        .and_then(|i| TrajectoryKind::ALL.get(i + 1))
                        .copied(),
                }
            }
            Action::FilterConsultant => {
                let env = cx.env.clone();
                self.cycle_consultant(&cx.model.read(), &env);
            }
            Action::FilterMunicipality => {
                let all = &cx.env.municipalities;
                self.municipality = match &self.municipality {
                    None => all.first().cloned(),
                    Some(m) => all
                        .iter()
                        .position(|x| x == m)
                        .and_then(|i| all.get(i + 1))
                        .cloned(),
                };
            }
            Action::FilterOverdue => self.overdue_only = !self.overdue_only,
            Action::Back if self.table.filtering => {
                self.table.stop_search();
            }
            Action::ClearFilters => {
                self.table.stop_search();
                self.kind = None;
                self.phase = PhaseFilter::Open;
                self.consultant = None;
                self.municipality = None;
                self.overdue_only = false;
            }
            Action::Back => {
                if !self.table.stop_search() {
                    if self.pushed {
                        cx.close();
                        return Handled::Yes;
                    }
                    return Handled::No;
                }
            }
            Action::Open => self.open_selected(Then::Detail, cx),
            a if forms::is_step(a) => self.open_selected(Then::Step(a), cx),
            _ => return Handled::No,
        }
        self.generation += 1;
        let model = cx.model.read();
        self.refresh(&model, cx.env.today);
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        after_load(done, cx);
    }

    fn on_model(&mut self, cx: &mut Cx) {
        let model = cx.model.read();
        self.refresh(&model, cx.env.today);
    }

    fn reveal(&mut self, kind: Kind, id: u64, model: &ReadModel) {
        if kind == KIND
            && let Some(today) = self.today
        {
            self.refresh(model, today);
            self.table.select_id(model, id);
        }
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.role = Some(env.role);
        self.refresh(model, env.today);
        self.table.prepare(model, area, env.lang);
        let lang = env.lang;
        let mut parts = vec![match self.phase {
            PhaseFilter::Open => t(lang, "ui.trajectory_open").to_string(),
            PhaseFilter::One(p) => phase_name(lang, p),
            PhaseFilter::All => t(lang, "ui.trajectory_all").to_string(),
        }];
        if let Some(k) = self.kind {
            parts.push(kind_name(lang, k));
        }
        if let Some(c) = &self.consultant {
            parts.push(consultant_name(&env.consultants, c));
        }
        if let Some(m) = &self.municipality {
            parts.push(m.clone());
        }
        if self.overdue_only {
            parts.push(format!("⚠ {}", t(lang, "ui.overdue_only")));
        }
        self.filters = tf(
            lang,
            "ui.trajectory_filters",
            &[("shown", parts.join(" · "))],
        );
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.table
            .render(area, buf, &cx.env.theme, cx.env.lang, &self.filters)
    }

    fn crumb(&self, lang: Lang) -> Option<String> {
        self.consultant
            .as_ref()
            .map(|c| tf(lang, "ui.crumb_caseload", &[("name", c.clone())]))
    }

    fn help_note(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "ui.trajectory_help").to_string())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// What to do with a trajectory once it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Detail,
    /// Open the short form of this action on it.
    Step(Action),
}

/// Reads one trajectory for its timeline or a short form.
pub struct Load {
    pub id: u64,
    pub then: Then,
}

/// What [`Load`] brings back.
pub struct Loaded {
    pub then: Then,
    pub result: Result<Option<Stored<Trajectory>>, ServiceError>,
}

impl Job for Load {
    fn name(&self) -> &'static str {
        "load_trajectory"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(Loaded {
            then: self.then,
            result: jx.service.trajectory(jx.who, self.id),
        })
    }
}

/// Opens what a [`Load`] was for; false when the trajectory could not be read.
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
                Then::Step(action) => forms::open(action, &record, cx),
            }
            true
        }
        Ok(None) => {
            cx.flash(FlashKind::Error, t(lang, "error.not_found"));
            false
        }
        // A colleague's trajectory: the reason is asked for, then it opens.
        Err(e @ ServiceError::ReasonNeeded { id, .. }) => {
            reason::ask(id, crate::i18n::errors::service_error(lang, &e), cx);
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
