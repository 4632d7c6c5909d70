//! 3 Versterken › Contacts: the contact log with organisations. It opens on the follow-ups
//! that are due today or overdue (the most overdue first); `f` switches to the whole log,
//! newest first.

pub mod detail;
pub mod form;

use crate::domain::contact::{Channel, Contact};
use crate::domain::draft::Keyed;
use crate::domain::format_date;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{ContactRow, Haystacks, ReadModel};
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
pub const KIND: Kind = Kind::Contact;

/// The name of a channel.
pub fn channel_name(lang: Lang, c: Channel) -> String {
    t(lang, &format!("channel.{}", c.key())).to_string()
}

/// A follow-up as a cell: its date, with ✓ when done.
pub fn follow_up_text(follow_up: Option<Date>, done: bool) -> String {
    match (follow_up, done) {
        (Some(d), true) => format!("{} ✓", format_date(d)),
        (Some(d), false) => format_date(d),
        (None, _) => String::new(),
    }
}

/// Contacts as a list.
pub struct ContactRows;

static COLUMNS: [Column<ContactRow>; 5] = [
    Column {
        title: "field.contact_date",
        min: 10,
        preferred: 10,
        max: 10,
        drop: 0,
        cell: |r, _| format_date(r.date),
    },
    Column {
        title: "field.organisation",
        min: 10,
        preferred: 24,
        max: 34,
        drop: 0,
        cell: |r, _| r.organisation_name.clone(),
    },
    Column {
        title: "field.subject",
        min: 12,
        preferred: 30,
        max: 50,
        drop: 1,
        cell: |r, _| r.subject.clone(),
    },
    Column {
        title: "field.channel",
        min: 7,
        preferred: 10,
        max: 12,
        drop: 3,
        cell: |r, lang| channel_name(lang, r.channel),
    },
    Column {
        title: "ui.col_follow_up",
        min: 10,
        preferred: 12,
        max: 12,
        drop: 2,
        cell: |r, _| follow_up_text(r.follow_up, r.done),
    },
];

impl Projection for ContactRows {
    type Row = ContactRow;
    const EMPTY: &'static str = "ui.contact_empty";
    const NO_MATCHES: &'static str = "ui.contact_no_matches";
    fn rows(model: &ReadModel) -> &[ContactRow] {
        model.contacts().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.contacts().haystacks()
    }
    fn id(row: &ContactRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<ContactRow>] {
        &COLUMNS
    }
}

/// The Contacts screen: the follow-ups due (the default) or the whole log.
pub struct ContactList {
    pub table: Table<ContactRows>,
    /// Only the follow-ups due today or before, most overdue first.
    pub due_only: bool,
    /// Today, as the session last said (state: never read from a clock here).
    today: Option<Date>,
    generation: u64,
    filters: String,
}

impl Default for ContactList {
    fn default() -> Self {
        ContactList {
            table: Table::default(),
            due_only: true,
            today: None,
            generation: 0,
            filters: String::new(),
        }
    }
}

impl ContactList {
    fn refresh(&mut self, model: &ReadModel, today: Date) {
        if self.today != Some(today) {
            self.today = Some(today);
            self.generation += 1;
        }
        let keep = move |r: &ContactRow| r.is_due(today);
        let order = |a: &ContactRow, b: &ContactRow| a.follow_up.cmp(&b.follow_up);
        let shape = Shape {
            keep: self
                .due_only
                .then_some(&keep as &dyn Fn(&ContactRow) -> bool),
            order: self
                .due_only
                .then_some(&order as &dyn Fn(&ContactRow, &ContactRow) -> _),
            generation: self.generation,
        };
        self.table.refresh(model, &shape);
    }

    fn open_selected(&mut self, then: Then, cx: &mut Cx) {
        self.table.filtering = false;
        let id = {
            let model = cx.model.read();
            self.refresh(&model, cx.env.today);
            self.table.selected_id(&model)
        };
        if let Some(id) = id {
            cx.run(Load { id, then });
        }
    }
}

impl Component for ContactList {
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

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if self.table.on_move(action) {
            return Handled::Yes;
        }
        match action {
            Action::New | Action::LogContact => {
                let view = form::FormView::new(cx.env, &cx.model.read(), "", "");
                cx.push(view);
            }
            Action::Search => self.table.filtering = true,
            Action::ExportCsv => {
                let rows = {
                    let model = cx.model.read();
                    self.refresh(&model, cx.env.today);
                    self.table.export(&model, cx.lang())
                };
                let name = crate::ui::modal::export::default_name(
                    cx.lang(),
                    "screen.contacts",
                    cx.env.today,
                );
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            Action::FilterStatus => {
                self.due_only = !self.due_only;
                self.generation += 1;
            }
            Action::Back if self.table.filtering => {
                self.table.stop_search();
            }
            Action::Back | Action::ClearFilters => {
                if !self.table.stop_search() {
                    return Handled::No;
                }
            }
            Action::Open => self.open_selected(Then::Detail, cx),
            Action::Edit => self.open_selected(Then::Edit, cx),
            _ => return Handled::No,
        }
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
        self.refresh(model, env.today);
        self.table.prepare(model, area, env.lang);
        let lang = env.lang;
        let shown = if self.due_only {
            t(lang, "ui.contact_due")
        } else {
            t(lang, "ui.contact_all")
        };
        self.filters = tf(lang, "ui.contact_filters", &[("shown", shown.to_string())]);
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

/// What to do with a contact once it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Detail,
    Edit,
}

/// Reads one contact for a detail view or a form.
pub struct Load {
    pub id: u64,
    pub then: Then,
}

/// What [`Load`] brings back.
pub struct Loaded {
    pub then: Then,
    pub result: Result<Option<Stored<Contact>>, ServiceError>,
}

impl Job for Load {
    fn name(&self) -> &'static str {
        "load_contact"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(Loaded {
            then: self.then,
            result: jx.service.contact(jx.who, self.id),
        })
    }
}

/// Opens what a [`Load`] was for; false when the contact could not be read.
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
