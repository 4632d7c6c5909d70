//! The screens every plain record kind has, written once: a list screen (search, a quick
//! filter, CSV export, Enter opens), a detail view (scrolls, follows saves by others, `e`
//! edits) and a form view (new and edit, errors beside the fields, a save that met someone
//! else's is merged and said so). A kind implements [`RecordScreens`] — its projection, form
//! kind, service calls and detail lines — and gets all three; nothing here names a kind.

use super::form_view::{leave, rebased_message};
use crate::domain::draft;
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, tf};
use crate::readmodel::ReadModel;
use crate::service::{Kind, ServiceError, Stored};
use crate::ui::action::Action;
use crate::ui::component::{
    Cmd, Component, Cx, Done, Env, FlashKind, Handled, Job, JobCx, RenderCx,
};
use crate::ui::keymap::Context;
use crate::ui::table::{Projection, Shape, Table};
use crate::ui::widgets::form::{Form, FormKind, FormMode};
use crate::ui::widgets::scroll::Scroll;
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use std::any::Any;
use std::marker::PhantomData;
use time::Date;

/// A quick filter over the rows of `P`.
pub type Keep<P> = Box<dyn Fn(&<P as Projection>::Row) -> bool>;

/// What the generic list, detail and form need to know of a record kind.
pub trait RecordScreens: Sized + 'static {
    /// The stored record.
    type Record: Clone + Send + 'static;
    /// The list's rows and columns.
    type Rows: Projection;
    /// The form that writes a record.
    type Form: FormKind<Output = Self::Record>;
    /// The list's quick filter (`f` steps through them), `()` for none.
    type Filter: Copy + Default + PartialEq + 'static;

    const KIND: Kind;
    /// Catalog key of the list screen's name (also the default name of its CSV export).
    const SCREEN: &'static str;
    /// Stable names of the read and save jobs ("load_note", "save_note").
    const LOAD_JOB: &'static str;
    const SAVE_JOB: &'static str;
    /// Catalog key of the form's crumb in the top bar.
    const FORM_CRUMB: &'static str;

    /// Reads record `id` as the acting account.
    fn read(jx: &JobCx, id: u64) -> Result<Option<Stored<Self::Record>>, ServiceError>;
    /// Saves a new record or an edit of one, and puts it into the read model.
    fn save(
        jx: &JobCx,
        mode: FormMode,
        record: Self::Record,
    ) -> Result<Stored<Self::Record>, ServiceError>;
    /// The revision the read model holds of record `id`, if it lists it.
    fn listed_revision(model: &ReadModel, id: u64) -> Option<u64>;

    /// The draft of a new record.
    fn new_draft(env: &Env) -> <Self::Form as FormKind>::Draft;
    /// The draft that edits `record`.
    fn draft_of(record: &Self::Record) -> <Self::Form as FormKind>::Draft;
    /// What validating the form needs.
    fn form_ctx(env: &Env, model: &ReadModel) -> <Self::Form as FormKind>::Ctx;
    /// The record's name: the detail's crumb and the message after a save.
    fn name(record: &Self::Record) -> String;
    /// The detail view's lines.
    fn lines(record: &Stored<Self::Record>, env: &Env) -> Vec<Line<'static>>;
    /// Lines of the detail view counted from the read model (progress against a target),
    /// shown after [`RecordScreens::lines`] and copied out when a frame is prepared; none by
    /// default.
    fn counted(record: &Stored<Self::Record>, model: &ReadModel, env: &Env) -> Vec<Line<'static>> {
        let _ = (record, model, env);
        Vec::new()
    }

    /// The next quick filter after `f`.
    fn next_filter(filter: Self::Filter) -> Self::Filter {
        filter
    }
    /// Whether `row` passes `filter` on `today`; `None` when the filter keeps every row.
    fn keeps(filter: Self::Filter, today: Date) -> Option<Keep<Self::Rows>> {
        let _ = (filter, today);
        None
    }
    /// What the list's header says of the filter (with its key), if there is one.
    fn filter_text(filter: Self::Filter, lang: Lang) -> Option<String> {
        let _ = (filter, lang);
        None
    }

    /// Lines shown under the list (counts, a small chart), copied out of the read model when
    /// a frame is prepared; none by default.
    fn below(model: &ReadModel, env: &Env) -> Vec<Line<'static>> {
        let _ = (model, env);
        Vec::new()
    }
}

/// What to do with a record once it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Detail,
    Edit,
}

/// Reads one record for a detail view or a form.
pub struct Load<S: RecordScreens> {
    pub id: u64,
    pub then: Then,
    kind: PhantomData<fn() -> S>,
}

impl<S: RecordScreens> Load<S> {
    pub fn new(id: u64, then: Then) -> Self {
        Load {
            id,
            then,
            kind: PhantomData,
        }
    }
}

/// What [`Load`] brings back.
pub struct Loaded<S: RecordScreens> {
    pub then: Then,
    pub result: Result<Option<Stored<S::Record>>, ServiceError>,
}

impl<S: RecordScreens> Job for Load<S> {
    fn name(&self) -> &'static str {
        S::LOAD_JOB
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(Loaded::<S> {
            then: self.then,
            result: S::read(jx, self.id),
        })
    }
}

/// Opens what a [`Load`] was for; false when it is not one of `S`'s or the record could not
/// be read (a message says why).
pub fn after_load<S: RecordScreens>(done: Done, cx: &mut Cx) -> bool {
    if done.name != S::LOAD_JOB {
        return false;
    }
    let Some(loaded) = done.take::<Loaded<S>>() else {
        return false;
    };
    let lang = cx.lang();
    match loaded.result {
        Ok(Some(record)) => {
            let id = record.meta.id;
            match loaded.then {
                Then::Detail => {
                    cx.push(DetailView::<S>::new(record));
                    cx.cmd(Cmd::Reveal(S::KIND, id));
                }
                Then::Edit => {
                    let view = FormView::<S>::edit(cx.env, &cx.model.read(), record);
                    cx.push(view);
                }
            }
            true
        }
        Ok(None) => {
            cx.flash(FlashKind::Error, crate::i18n::t(lang, "error.not_found"));
            false
        }
        Err(e) => {
            cx.flash(FlashKind::Error, service_error(lang, &e));
            false
        }
    }
}

/// The list screen of a kind.
pub struct ListScreen<S: RecordScreens> {
    pub table: Table<S::Rows>,
    pub filter: S::Filter,
    today: Option<Date>,
    generation: u64,
    header: String,
    /// What [`RecordScreens::below`] gave for this frame.
    below: Vec<Line<'static>>,
    /// The model version, day and language `below` was worked out for: it is counted again
    /// only when one of them changes, not on every frame.
    below_for: Option<(u64, Date, Lang)>,
}

impl<S: RecordScreens> Default for ListScreen<S> {
    fn default() -> Self {
        ListScreen {
            table: Table::default(),
            filter: S::Filter::default(),
            today: None,
            generation: 0,
            header: String::new(),
            below: Vec::new(),
            below_for: None,
        }
    }
}

/// The list's area and the area under it for `below` lines: those get what they need (and a
/// blank line above) up to a third of the body, and nothing when the body is too low.
fn split_below(area: Rect, lines: usize) -> (Rect, Rect) {
    let want = if lines == 0 { 0 } else { lines as u16 + 1 };
    let room = if area.height >= 12 {
        area.height / 3
    } else {
        0
    };
    let h = want.min(room);
    (
        Rect {
            height: area.height - h,
            ..area
        },
        Rect {
            y: area.y + area.height - h,
            height: h,
            ..area
        },
    )
}

impl<S: RecordScreens> ListScreen<S> {
    fn refresh(&mut self, model: &ReadModel, today: Date) {
        if self.today != Some(today) {
            self.today = Some(today);
            self.generation += 1;
        }
        let keep = S::keeps(self.filter, today);
        let shape = Shape {
            keep: keep.as_deref(),
            order: None,
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
            cx.run(Load::<S>::new(id, then));
        }
    }
}

impl<S: RecordScreens> Component for ListScreen<S> {
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
        let (list, _) = split_below(area, self.below.len());
        match self.table.on_mouse(m, list) {
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
                let view = FormView::<S>::new(cx.env, &cx.model.read());
                cx.push(view);
            }
            Action::Search => self.table.filtering = true,
            Action::ExportCsv => {
                let rows = {
                    let model = cx.model.read();
                    self.refresh(&model, cx.env.today);
                    self.table.export(&model, cx.lang())
                };
                let name =
                    crate::ui::modal::export::default_name(cx.lang(), S::SCREEN, cx.env.today);
                cx.modal(crate::ui::modal::ExportModal::new(rows, &name));
            }
            Action::FilterStatus if S::filter_text(self.filter, cx.lang()).is_some() => {
                self.filter = S::next_filter(self.filter);
                self.generation += 1;
            }
            Action::Back if self.table.filtering => {
                self.table.stop_search();
            }
            Action::Back | Action::ClearFilters => {
                let filtered = self.filter != S::Filter::default();
                self.filter = S::Filter::default();
                self.generation += 1;
                if !self.table.stop_search() && !filtered {
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

    fn unavailable(&self) -> Vec<Action> {
        if S::filter_text(S::Filter::default(), Lang::En).is_none() {
            vec![Action::FilterStatus]
        } else {
            Vec::new()
        }
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        after_load::<S>(done, cx);
    }

    fn on_model(&mut self, cx: &mut Cx) {
        let model = cx.model.read();
        self.refresh(&model, cx.env.today);
    }

    fn reveal(&mut self, kind: Kind, id: u64, model: &ReadModel) {
        if kind == S::KIND
            && let Some(today) = self.today
        {
            self.refresh(model, today);
            self.table.select_id(model, id);
        }
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.refresh(model, env.today);
        let now = (model.version(), env.today, env.lang);
        if self.below_for != Some(now) {
            self.below = S::below(model, env);
            self.below_for = Some(now);
        }
        let (list, _) = split_below(area, self.below.len());
        self.table.prepare(model, list, env.lang);
        self.header = S::filter_text(self.filter, env.lang).unwrap_or_default();
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (list, under) = split_below(area, self.below.len());
        if under.height > 1 {
            let text = Rect {
                y: under.y + 1,
                height: under.height - 1,
                ..under
            };
            ratatui::widgets::Widget::render(
                ratatui::widgets::Paragraph::new(self.below.clone()),
                text,
                buf,
            );
        }
        self.table
            .render(list, buf, &cx.env.theme, cx.env.lang, &self.header)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// One record, scrolled; `e` edits it.
pub struct DetailView<S: RecordScreens> {
    pub record: Stored<S::Record>,
    pub scroll: Scroll,
    /// The record's lines and [`RecordScreens::counted`], as of the last prepared frame.
    lines: Vec<Line<'static>>,
    /// The revision, model version, day and language `lines` were made for.
    lines_for: Option<(u64, u64, Date, Lang)>,
}

impl<S: RecordScreens> DetailView<S> {
    pub fn new(record: Stored<S::Record>) -> Self {
        DetailView {
            record,
            scroll: Scroll::default(),
            lines: Vec::new(),
            lines_for: None,
        }
    }
}

impl<S: RecordScreens> Component for DetailView<S> {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::View, Context::Navigation]
    }

    fn on_mouse(&mut self, m: MouseEvent, _area: Rect, _cx: &mut Cx) -> bool {
        self.scroll.on_mouse(m)
    }

    fn offers(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::ChangeStatus | Action::Match | Action::LogContact
        )
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if self.scroll.on_action(action) {
            return Handled::Yes;
        }
        match action {
            Action::Back => cx.close(),
            Action::Edit => {
                let view = FormView::<S>::edit(cx.env, &cx.model.read(), self.record.clone());
                cx.push(view);
            }
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_model(&mut self, cx: &mut Cx) {
        let id = self.record.meta.id;
        let newer = S::listed_revision(&cx.model.read(), id)
            .is_some_and(|r| r != self.record.meta.revision);
        if newer {
            cx.run(Load::<S>::new(id, Then::Detail));
        }
    }

    fn on_done(&mut self, done: Done, _cx: &mut Cx) {
        if let Some(Loaded::<S> {
            result: Ok(Some(fresh)),
            ..
        }) = done.take::<Loaded<S>>()
            && fresh.meta.id == self.record.meta.id
        {
            self.record = fresh;
        }
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        let now = (
            self.record.meta.revision,
            model.version(),
            env.today,
            env.lang,
        );
        if self.lines_for != Some(now) {
            let mut lines = S::lines(&self.record, env);
            lines.extend(S::counted(&self.record, model, env));
            self.lines = lines;
            self.lines_for = Some(now);
        }
        self.scroll.prepare(&self.lines, area);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _cx: &RenderCx) -> Option<Position> {
        self.scroll.render(self.lines.clone(), area, buf);
        None
    }

    fn crumb(&self, _lang: Lang) -> Option<String> {
        Some(S::name(&self.record.data))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Saves a new or edited record.
struct Save<S: RecordScreens> {
    mode: FormMode,
    record: S::Record,
}

/// What [`Save`] brings back: the result, and on a conflict the record as it is now.
struct Saved<S: RecordScreens> {
    result: Result<Stored<S::Record>, ServiceError>,
    current: Option<Stored<S::Record>>,
}

impl<S: RecordScreens> Job for Save<S> {
    fn name(&self) -> &'static str {
        S::SAVE_JOB
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let result = S::save(jx, self.mode, self.record);
        let current = match (&result, self.mode) {
            (Err(e), FormMode::Edit { id, .. }) if e.is_conflict() => {
                S::read(jx, id).ok().flatten()
            }
            _ => None,
        };
        Box::new(Saved::<S> { result, current })
    }
}

/// The form of a kind as a pushed view: new or edit.
pub struct FormView<S: RecordScreens> {
    pub form: Form<S::Form>,
    base: Option<Stored<S::Record>>,
}

impl<S: RecordScreens> FormView<S> {
    /// A new record.
    pub fn new(env: &Env, model: &ReadModel) -> Self {
        FormView {
            form: Form::with_draft(FormMode::New, S::new_draft(env), S::form_ctx(env, model)),
            base: None,
        }
    }

    /// Edits a stored record.
    pub fn edit(env: &Env, model: &ReadModel, record: Stored<S::Record>) -> Self {
        let mode = FormMode::Edit {
            id: record.meta.id,
            revision: record.meta.revision,
        };
        FormView {
            form: Form::with_draft(mode, S::draft_of(&record.data), S::form_ctx(env, model)),
            base: Some(record),
        }
    }

    fn save(&mut self, cx: &mut Cx) {
        let Ok(record) = self.form.validate_all() else {
            let text = crate::ui::screens::form_view::not_saved(cx.lang(), &self.form.errors());
            cx.flash(FlashKind::Error, text);
            return;
        };
        cx.run(Save::<S> {
            mode: self.form.mode(),
            record,
        });
    }

    /// Puts the typed changes on top of `current` (saved by someone else meanwhile) and says
    /// what happened; `None` when there is nothing to merge with.
    fn rebase(
        &mut self,
        current: Stored<S::Record>,
        env: &Env,
        model: &ReadModel,
    ) -> Option<String> {
        let base = self
            .base
            .as_ref()
            .filter(|b| b.meta.id == current.meta.id)?;
        let theirs = S::draft_of(&current.data);
        let (merged, both) = draft::rebase(&S::draft_of(&base.data), &self.form.draft(), &theirs);
        let mode = FormMode::Edit {
            id: current.meta.id,
            revision: current.meta.revision,
        };
        self.form = Form::with_draft(mode, merged, S::form_ctx(env, model)).comparing(theirs);
        let by = current.meta.updated.clone();
        self.base = Some(current);
        Some(rebased_message(env.lang, by, &both))
    }
}

impl<S: RecordScreens> Component for FormView<S> {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Form]
    }

    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.form.handle_key(key)
    }

    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        self.form.handle_paste(text)
    }

    fn on_mouse(&mut self, m: MouseEvent, area: Rect, _cx: &mut Cx) -> bool {
        self.form.handle_mouse(area, m)
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::NextField | Action::Down => self.form.next_field(),
            Action::PrevField | Action::Up => self.form.prev_field(),
            Action::Save => self.save(cx),
            Action::Back => leave(self.form.is_dirty(), cx),
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        if done.name != S::SAVE_JOB {
            return;
        }
        let Some(Saved::<S> { result, current }) = done.take::<Saved<S>>() else {
            return;
        };
        let lang = cx.lang();
        match result {
            Ok(saved) => {
                let name = S::name(&saved.data);
                let id = saved.meta.id;
                cx.cmd(Cmd::CloseViews);
                cx.push(DetailView::<S>::new(saved));
                cx.cmd(Cmd::Reveal(S::KIND, id));
                cx.flash(FlashKind::Ok, tf(lang, "ui.saved", &[("name", name)]));
            }
            Err(ServiceError::Invalid(errors)) => {
                let text = service_error(lang, &ServiceError::Invalid(errors.clone()));
                self.form.set_errors(errors);
                cx.flash(FlashKind::Error, text);
            }
            Err(e) if e.is_conflict() => {
                let env = cx.env.clone();
                let model = cx.model.clone();
                let text = current
                    .and_then(|c| self.rebase(c, &env, &model.read()))
                    .unwrap_or_else(|| service_error(lang, &e));
                cx.flash(FlashKind::Error, text);
            }
            Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.form.render(area, buf, &cx.env.theme, cx.env.lang);
        self.form.cursor_position(area)
    }

    fn crumb(&self, lang: Lang) -> Option<String> {
        Some(crate::i18n::t(lang, S::FORM_CRUMB).to_string())
    }

    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
