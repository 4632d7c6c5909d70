//! The application state and `update`: every input becomes an [`Action`] (through the keymap)
//! or goes to the focused component first; `update` changes the state and calls the service.
//! Drawing lives in `view`; nothing here touches the terminal.
//!
//! Input flows through a modal stack, innermost first: an overlay (help, palette, dialog,
//! find), then an open form, then the detail view, then the current screen.

use super::action::Action;
use super::keymap::{Context, Feed, KeySequencer, Keymap};
use super::list::{ListState, Preset};
use super::screens::overview::OverviewStats;
use super::screens::{Screen, group_screens};
use super::theme::Theme;
use super::widgets::form::{FormMode, IntakeForm, StatusChangeForm};
use super::widgets::help::HelpState;
use super::widgets::palette::PaletteState;
use crate::domain::volunteer::{Status, Volunteer, VolunteerDraft};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::search::Search;
use crate::readmodel::{ModelEvent, SharedModel};
use crate::service::{Account, Duplicate, Service, ServiceError};
use crate::store::{StoreError, Stored};
use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent};
use ratatui::layout::Rect;
use std::sync::Arc;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

/// Everything that can happen to a session.
#[derive(Debug, Clone)]
pub enum AppEvent {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    Model(ModelEvent),
}

/// A short message in the line above the bottom bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub kind: FlashKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Info,
    Ok,
    Error,
}

/// What a yes/no question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Close the form and lose the changes?
    DiscardForm,
    /// Quit and lose the changes in the form?
    QuitWithChanges,
}

/// The "find anyone" popup (Ctrl+F).
pub struct FindState {
    pub input: Input,
    pub search: Search,
    pub selected: usize,
    /// Ids of the current hits, best first (at most a screenful is kept).
    pub hits: Vec<u64>,
}

/// Likely duplicates found when saving an intake.
pub struct DuplicateDialog {
    pub duplicates: Vec<Duplicate>,
    pub selected: usize,
}

/// Popups over everything else.
pub enum Overlay {
    Help(HelpState),
    Palette(PaletteState),
    Ask(Question),
    Find(FindState),
    /// Choosing the next status: a one-field form.
    Status(StatusChangeForm),
    Duplicates(DuplicateDialog),
}

/// An open person.
pub struct Detail {
    pub record: Stored<Volunteer>,
    pub scroll: u16,
    /// The largest useful scroll at the last draw (the view sets it).
    pub max_scroll: std::cell::Cell<u16>,
}

impl Detail {
    pub fn new(record: Stored<Volunteer>) -> Detail {
        Detail {
            record,
            scroll: 0,
            max_scroll: std::cell::Cell::new(u16::MAX),
        }
    }
}

/// One user's session: the whole state the view draws.
pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Arc<Keymap>,
    seq: KeySequencer,
    pub service: Service,
    pub who: Account,
    pub model: SharedModel,
    /// Current basic-function group (0–4) and the screen within each group.
    pub group: usize,
    pub screen_in_group: [usize; 5],
    pub volunteers: ListState,
    pub intakes: ListState,
    pub detail: Option<Detail>,
    pub form: Option<IntakeForm>,
    /// The stored version an edit form started from (for merging after a conflict).
    form_base: Option<Stored<Volunteer>>,
    pub overlay: Option<Overlay>,
    pub flash: Option<Flash>,
    pub overview: OverviewStats,
    pub quit: bool,
    /// Terminal size as last reported.
    pub size: (u16, u16),
    /// The next frame must repaint the whole screen.
    redraw: bool,
    /// Whether the user was told about records that cannot be read.
    warned_damage: bool,
}

impl App {
    pub fn new(
        service: Service,
        who: Account,
        model: SharedModel,
        keymap: Arc<Keymap>,
        lang: Lang,
        theme: Theme,
    ) -> App {
        let mut app = App {
            lang,
            theme,
            keymap,
            seq: KeySequencer::new(),
            service,
            who,
            model,
            group: 1,
            screen_in_group: [0, 1, 0, 0, 0],
            volunteers: ListState::new(Preset::All),
            intakes: ListState::new(Preset::IntakeQueue),
            detail: None,
            form: None,
            form_base: None,
            overlay: None,
            flash: None,
            overview: OverviewStats::default(),
            quit: false,
            size: (80, 24),
            redraw: false,
            warned_damage: false,
        };
        app.on_model_change();
        app
    }

    /// The screen on display.
    pub fn screen(&self) -> Screen {
        let screens = group_screens(self.group);
        screens[self.screen_in_group[self.group].min(screens.len() - 1)]
    }

    /// The keymap contexts of the current state, innermost first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.overlay {
            Some(Overlay::Help(_)) => return vec![Context::Help, Context::Global],
            Some(Overlay::Palette(_)) => return vec![Context::Palette, Context::Global],
            Some(Overlay::Find(_)) => return vec![Context::Filter, Context::Global],
            Some(Overlay::Ask(_) | Overlay::Status(_) | Overlay::Duplicates(_)) => {
                return vec![Context::Dialog, Context::Global];
            }
            None => {}
        }
        if self.form.is_some() {
            return vec![Context::Form, Context::Global];
        }
        if self.detail.is_some() {
            return vec![Context::View, Context::Navigation, Context::Global];
        }
        match self.current_list() {
            Some(l) if l.filtering => vec![Context::Filter, Context::Global],
            Some(_) => vec![Context::List, Context::Navigation, Context::Global],
            None => vec![Context::Navigation, Context::Global],
        }
    }

    fn current_list(&self) -> Option<&ListState> {
        match self.screen() {
            Screen::Volunteers => Some(&self.volunteers),
            Screen::Intakes => Some(&self.intakes),
            _ => None,
        }
    }

    fn current_list_mut(&mut self) -> Option<&mut ListState> {
        match self.screen() {
            Screen::Volunteers => Some(&mut self.volunteers),
            Screen::Intakes => Some(&mut self.intakes),
            _ => None,
        }
    }

    /// Brings cached views up to date with the read model.
    fn refresh(&mut self) {
        let model = self.model.read();
        self.volunteers.refresh(&model);
        self.intakes.refresh(&model);
        if self.overview.version != Some(model.version()) && model.loaded() {
            self.overview = OverviewStats::compute(&model, self.service.clock().today());
        }
    }

    /// Handles one event.
    pub fn handle(&mut self, event: AppEvent) {
        match event {
            AppEvent::Key(key) => {
                if key.kind == KeyEventKind::Release {
                    return;
                }
                self.on_key(key);
            }
            AppEvent::Paste(text) => self.on_paste(&text),
            AppEvent::Mouse(m) => self.on_mouse(m),
            AppEvent::Resize(w, h) => self.size = (w, h),
            AppEvent::Model(_) => self.on_model_change(),
        }
        self.refresh();
    }

    fn on_model_change(&mut self) {
        self.refresh();
        // Records that cannot be read are missing from every list: say so, once.
        let damaged = self.model.read().load_problems.len();
        if damaged > 0 && !self.warned_damage {
            self.warned_damage = true;
            let text = tf(self.lang, "ui.damaged", &[("count", damaged.to_string())]);
            self.flash(FlashKind::Error, text);
        }
        // Keep an open person current when someone else saved them (unless we edit).
        if let Some(d) = &self.detail {
            let id = d.record.meta.id;
            let rev = d.record.meta.revision;
            if let Ok(Some(fresh)) = self.service.volunteer(id)
                && fresh.meta.revision != rev
                && let Some(d) = &mut self.detail
            {
                d.record = fresh;
            }
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(Overlay::Find(f)) = &mut self.overlay {
            for c in text.chars().filter(|c| !c.is_control()) {
                f.input.handle(tui_input::InputRequest::InsertChar(c));
            }
            self.update_find();
            return;
        }
        if self.overlay.is_none()
            && let Some(form) = &mut self.form
        {
            form.handle_paste(text);
            return;
        }
        if let Some(list) = self.current_list_mut()
            && list.filtering
        {
            for c in text.chars().filter(|c| !c.is_control()) {
                list.filter.handle(tui_input::InputRequest::InsertChar(c));
            }
        }
    }

    fn on_mouse(&mut self, m: MouseEvent) {
        use crossterm::event::MouseEventKind;
        if self.overlay.is_some() {
            return;
        }
        if self.form.is_some() {
            // Clicks and the wheel inside the form belong to the form.
            let body = super::view::body_area(self, Rect::new(0, 0, self.size.0, self.size.1));
            if let Some(form) = &mut self.form {
                form.handle_mouse(body, m);
            }
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.dispatch(Action::Down),
            MouseEventKind::ScrollUp => self.dispatch(Action::Up),
            MouseEventKind::Down(_) => {
                if m.row == 0 && self.form.is_none() {
                    // Top bar: five equal-ish group tabs.
                    if let Some(g) = super::view::group_at(self.size.0, m.column) {
                        self.go_group(g);
                    }
                } else if m.row == 1 && self.form.is_none() && self.detail.is_none() {
                    if let Some(s) = super::view::screen_at(self, m.column) {
                        self.screen_in_group[self.group] = s;
                    }
                } else if self.form.is_none() && self.detail.is_none() {
                    let first = super::view::LIST_FIRST_ROW;
                    if let Some(list) = self.current_list_mut()
                        && m.row >= first
                    {
                        let idx = list.offset.get() + usize::from(m.row - first);
                        if idx < list.len() {
                            if list.selected == idx {
                                self.dispatch(Action::Open);
                            } else {
                                list.selected = idx;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn on_key(&mut self, key: KeyEvent) {
        // 1. Text input of the innermost component comes first.
        if self.pending_is_empty() && self.give_key_to_component(key) {
            return;
        }
        // 2. Then the keymap of the current contexts.
        let contexts = self.contexts();
        match self.seq.feed(&self.keymap, &contexts, key) {
            Feed::Action(action) => self.dispatch(action),
            Feed::Pending | Feed::Unbound | Feed::Ignored => {}
        }
    }

    fn pending_is_empty(&self) -> bool {
        self.seq.pending().is_empty()
    }

    /// Offers a key to the focused text or choice component; true when it was consumed.
    fn give_key_to_component(&mut self, key: KeyEvent) -> bool {
        match &mut self.overlay {
            Some(Overlay::Help(h)) => return h.handle_key(key),
            Some(Overlay::Palette(p)) => return p.handle_key(key),
            Some(Overlay::Find(f)) => {
                if is_text_key(&key) {
                    f.input.handle_event(&crossterm::event::Event::Key(key));
                    self.update_find();
                    return true;
                }
                return false;
            }
            Some(Overlay::Status(s)) => return s.handle_key(key),
            Some(_) => return false,
            None => {}
        }
        if let Some(form) = &mut self.form {
            return form.handle_key(key);
        }
        if self.detail.is_none()
            && let Some(list) = self.current_list_mut()
            && list.filtering
            && is_text_key(&key)
        {
            list.filter.handle_event(&crossterm::event::Event::Key(key));
            return true;
        }
        false
    }

    /// Carries out an action in the current state.
    pub fn dispatch(&mut self, action: Action) {
        self.flash = None;
        // Actions that work the same everywhere.
        match action {
            Action::Help => {
                if matches!(self.overlay, Some(Overlay::Help(_))) {
                    self.overlay = None;
                } else {
                    let contexts = self.contexts_below_overlay();
                    self.overlay = Some(Overlay::Help(HelpState::new(
                        &self.keymap,
                        &contexts,
                        self.lang,
                    )));
                }
                return;
            }
            Action::Palette => {
                let contexts = self.contexts_below_overlay();
                self.overlay = Some(Overlay::Palette(PaletteState::new(
                    &self.keymap,
                    &contexts,
                    self.lang,
                )));
                return;
            }
            Action::FindAnywhere => {
                self.overlay = Some(Overlay::Find(FindState {
                    input: Input::default(),
                    search: Search::default(),
                    selected: 0,
                    hits: Vec::new(),
                }));
                return;
            }
            Action::Redraw => {
                self.redraw = true;
                return;
            }
            Action::Quit => {
                if self.form.as_ref().is_some_and(|f| f.is_dirty()) {
                    self.overlay = Some(Overlay::Ask(Question::QuitWithChanges));
                } else {
                    self.quit = true;
                }
                return;
            }
            _ => {}
        }
        if self.overlay.is_some() {
            self.dispatch_overlay(action);
        } else if self.form.is_some() {
            self.dispatch_form(action);
        } else if self.detail.is_some() {
            self.dispatch_detail(action);
        } else {
            self.dispatch_screen(action);
        }
    }

    /// Contexts of what lies under the overlay (for help and palette).
    fn contexts_below_overlay(&self) -> Vec<Context> {
        if self.overlay.is_none() {
            return self.contexts();
        }
        if self.form.is_some() {
            vec![Context::Form, Context::Global]
        } else if self.detail.is_some() {
            vec![Context::View, Context::Navigation, Context::Global]
        } else if self.current_list().is_some() {
            vec![Context::List, Context::Navigation, Context::Global]
        } else {
            vec![Context::Navigation, Context::Global]
        }
    }

    fn dispatch_overlay(&mut self, action: Action) {
        let Some(overlay) = self.overlay.take() else {
            return;
        };
        match overlay {
            Overlay::Help(mut h) => match action {
                Action::Back => {}
                // Enter runs the selected binding, like choosing it from the palette.
                Action::Open => {
                    if let Some(chosen) = h.selected_action()
                        && chosen != Action::Help
                    {
                        self.dispatch(chosen);
                    }
                }
                a => {
                    h.handle_action(a);
                    self.overlay = Some(Overlay::Help(h));
                }
            },
            Overlay::Palette(mut p) => match action {
                Action::Back => {}
                Action::Open => {
                    if let Some(chosen) = p.selected() {
                        self.dispatch(chosen);
                    }
                }
                a => {
                    p.handle_action(a);
                    self.overlay = Some(Overlay::Palette(p));
                }
            },
            // Only an explicit yes loses input: Enter, the habitual key, keeps it.
            Overlay::Ask(q) => match action {
                Action::Yes => match q {
                    Question::DiscardForm => self.form = None,
                    Question::QuitWithChanges => self.quit = true,
                },
                Action::No | Action::Back | Action::Open => {}
                _ => self.overlay = Some(Overlay::Ask(q)),
            },
            Overlay::Find(mut f) => match action {
                Action::Back => {}
                Action::Up => {
                    f.selected = f.selected.saturating_sub(1);
                    self.overlay = Some(Overlay::Find(f));
                }
                Action::Down => {
                    if f.selected + 1 < f.hits.len() {
                        f.selected += 1;
                    }
                    self.overlay = Some(Overlay::Find(f));
                }
                Action::Open => {
                    if self.form.as_ref().is_some_and(|form| form.is_dirty()) {
                        // Never drop typed input on the way to someone else.
                        self.flash(FlashKind::Error, t(self.lang, "ui.form_open").to_string());
                    } else if let Some(&id) = f.hits.get(f.selected) {
                        self.form = None;
                        self.open_detail(id);
                    } else {
                        self.overlay = Some(Overlay::Find(f));
                    }
                }
                Action::PageUp | Action::PageDown => {
                    let page = usize::from(self.size.1.saturating_sub(8)).max(1);
                    f.selected = if action == Action::PageUp {
                        f.selected.saturating_sub(page)
                    } else {
                        (f.selected + page).min(f.hits.len().saturating_sub(1))
                    };
                    self.overlay = Some(Overlay::Find(f));
                }
                _ => self.overlay = Some(Overlay::Find(f)),
            },
            Overlay::Status(mut s) => match action {
                Action::Up | Action::Down => {
                    s.step_choice(action == Action::Down);
                    self.overlay = Some(Overlay::Status(s));
                }
                Action::Open | Action::Yes => match (s.validate_all(), s.mode()) {
                    (Ok(to), FormMode::Edit { id, revision }) => {
                        self.apply_status(id, revision, to)
                    }
                    _ => self.overlay = Some(Overlay::Status(s)),
                },
                Action::Back | Action::No => {}
                _ => self.overlay = Some(Overlay::Status(s)),
            },
            Overlay::Duplicates(mut d) => match action {
                Action::Up => {
                    d.selected = d.selected.saturating_sub(1);
                    self.overlay = Some(Overlay::Duplicates(d));
                }
                Action::Down => {
                    if d.selected + 1 < d.duplicates.len() {
                        d.selected += 1;
                    }
                    self.overlay = Some(Overlay::Duplicates(d));
                }
                // Open the existing person: the new intake is not saved.
                Action::Open => {
                    if let Some(dup) = d.duplicates.get(d.selected) {
                        let id = dup.existing.meta.id;
                        self.form = None;
                        self.open_detail(id);
                    }
                }
                // Save anyway.
                Action::Yes | Action::Save => self.save_form(true),
                Action::Back | Action::No => {}
                _ => self.overlay = Some(Overlay::Duplicates(d)),
            },
        }
    }

    fn update_find(&mut self) {
        let model = self.model.read();
        if let Some(Overlay::Find(f)) = &mut self.overlay {
            let rows = model.volunteers();
            f.hits = match f
                .search
                .run(model.haystacks(), model.version(), f.input.value())
            {
                Some(hits) => hits
                    .iter()
                    .take(200)
                    .filter_map(|&i| rows.get(i as usize).map(|r| r.id))
                    .collect(),
                None => Vec::new(),
            };
            f.selected = 0;
        }
    }

    fn dispatch_form(&mut self, action: Action) {
        let Some(form) = &mut self.form else {
            return;
        };
        match action {
            Action::NextField | Action::Down => form.next_field(),
            Action::PrevField | Action::Up => form.prev_field(),
            Action::Save => self.save_form(false),
            Action::Back => {
                if form.is_dirty() {
                    self.overlay = Some(Overlay::Ask(Question::DiscardForm));
                } else {
                    self.form = None;
                }
            }
            _ => {}
        }
    }

    /// Validates and saves the open form; `save_anyway` skips the duplicate check.
    fn save_form(&mut self, save_anyway: bool) {
        let Some(form) = &mut self.form else {
            return;
        };
        let Ok(volunteer) = form.validate_all() else {
            let mut fields: Vec<&str> = Vec::new();
            for e in form.errors() {
                let label = crate::i18n::field_label(self.lang, e.field);
                if !fields.contains(&label) {
                    fields.push(label);
                }
            }
            let text = tf(
                self.lang,
                "ui.form_has_errors",
                &[
                    ("count", fields.len().to_string()),
                    ("fields", fields.join(", ")),
                ],
            );
            self.flash(FlashKind::Error, text);
            return;
        };
        let result = match form.mode() {
            FormMode::New => self
                .service
                .register_intake(&self.who, volunteer, save_anyway),
            FormMode::Edit { id, revision } => self
                .service
                .update_volunteer(&self.who, id, revision, volunteer),
        };
        match result {
            Ok(saved) => {
                self.form = None;
                self.model.put_volunteer(&saved);
                let name = saved.data.name.full();
                let id = saved.meta.id;
                self.detail = Some(Detail::new(saved));
                {
                    let model = self.model.read();
                    self.volunteers.select_id(&model, id);
                }
                self.flash(FlashKind::Ok, tf(self.lang, "ui.saved", &[("name", name)]));
            }
            Err(ServiceError::Duplicates(duplicates)) => {
                self.overlay = Some(Overlay::Duplicates(DuplicateDialog {
                    duplicates,
                    selected: 0,
                }));
            }
            Err(ServiceError::Invalid(errors)) => {
                let text = service_error(self.lang, &ServiceError::Invalid(errors.clone()));
                if let Some(form) = &mut self.form {
                    form.set_errors(errors);
                }
                self.flash(FlashKind::Error, text);
            }
            Err(e @ ServiceError::Store(StoreError::Conflict { .. })) => {
                // The form stays open with the user's input, moved onto the new version.
                let mut text = service_error(self.lang, &e);
                if let Some(note) = self.rebase_form() {
                    text = note;
                }
                self.flash(FlashKind::Error, text);
            }
            Err(e) => self.flash(FlashKind::Error, service_error(self.lang, &e)),
        }
    }

    fn dispatch_detail(&mut self, action: Action) {
        let Some(detail) = &mut self.detail else {
            return;
        };
        match action {
            Action::Back => self.detail = None,
            Action::Up => detail.scroll = detail.scroll.saturating_sub(1),
            Action::Down => detail.scroll = (detail.scroll + 1).min(detail.max_scroll.get()),
            Action::PageUp => detail.scroll = detail.scroll.saturating_sub(10),
            Action::PageDown => {
                detail.scroll = detail
                    .scroll
                    .saturating_add(10)
                    .min(detail.max_scroll.get())
            }
            Action::Home => detail.scroll = 0,
            Action::End => detail.scroll = detail.max_scroll.get(),
            Action::Edit => {
                let record = detail.record.clone();
                self.open_edit(record);
            }
            Action::ChangeStatus => {
                let (id, revision, status) = (
                    detail.record.meta.id,
                    detail.record.meta.revision,
                    detail.record.data.status,
                );
                self.open_status_picker(id, revision, status);
            }
            Action::NewIntake | Action::New => self.open_new_intake(),
            a if a.group().is_some() || matches!(a, Action::NextScreen | Action::PrevScreen) => {
                self.detail = None;
                self.dispatch_screen(a);
            }
            _ => {}
        }
    }

    fn dispatch_screen(&mut self, action: Action) {
        if let Some(g) = action.group() {
            self.go_group(g);
            return;
        }
        let n = group_screens(self.group).len();
        match action {
            Action::NextScreen => {
                self.screen_in_group[self.group] = (self.screen_in_group[self.group] + 1) % n;
                return;
            }
            Action::PrevScreen => {
                self.screen_in_group[self.group] = (self.screen_in_group[self.group] + n - 1) % n;
                return;
            }
            Action::NewIntake => {
                self.open_new_intake();
                return;
            }
            Action::New
                if self.screen() == Screen::Intakes || self.screen() == Screen::Volunteers =>
            {
                self.open_new_intake();
                return;
            }
            _ => {}
        }
        let municipalities = self.service.config().municipalities.clone();
        let lang = self.lang;
        let Some(list) = self.current_list_mut() else {
            return;
        };
        let page = list.page_size();
        match action {
            Action::Up => list.move_by(-1),
            Action::Down => list.move_by(1),
            Action::PageUp => list.move_by(-page),
            Action::PageDown => list.move_by(page),
            Action::Home => list.home(),
            Action::End => list.end(),
            Action::Search => list.filtering = true,
            // The intake queue is the people with status New: no other status to choose.
            Action::FilterStatus if list.preset == Preset::IntakeQueue => {}
            Action::FilterStatus => list.cycle_status(),
            Action::FilterMunicipality => list.cycle_municipality(&municipalities),
            Action::ClearFilters => list.clear_filters(),
            Action::Back => {
                if list.filtering {
                    // Esc while typing a search: stop and clear it.
                    list.filtering = false;
                    list.filter.reset();
                } else if !list.filter.value().is_empty()
                    || list.status.is_some()
                    || list.municipality.is_some()
                {
                    list.clear_filters();
                }
            }
            Action::Open | Action::Edit | Action::ChangeStatus => {
                list.filtering = false;
                let id = self.selected_id();
                if let Some(id) = id {
                    match action {
                        Action::Open => self.open_detail(id),
                        Action::Edit => match self.service.volunteer(id) {
                            Ok(Some(r)) => self.open_edit(r),
                            Ok(None) => {
                                self.flash(FlashKind::Error, t(lang, "error.not_found").to_string())
                            }
                            Err(e) => self.flash(FlashKind::Error, service_error(lang, &e)),
                        },
                        _ => match self.service.volunteer(id) {
                            Ok(Some(r)) => {
                                self.open_status_picker(id, r.meta.revision, r.data.status)
                            }
                            Ok(None) => {
                                self.flash(FlashKind::Error, t(lang, "error.not_found").to_string())
                            }
                            Err(e) => self.flash(FlashKind::Error, service_error(lang, &e)),
                        },
                    }
                }
            }
            _ => {}
        }
    }

    /// The id of the selected row of the current list.
    fn selected_id(&mut self) -> Option<u64> {
        let model = self.model.clone();
        let model = model.read();
        let list = self.current_list_mut()?;
        list.refresh(&model);
        list.selected_row(&model).map(|r| r.id)
    }

    fn go_group(&mut self, g: usize) {
        if g < 5 {
            self.group = g;
            self.detail = None;
        }
    }

    fn open_new_intake(&mut self) {
        self.form = Some(IntakeForm::new_intake(self.service.rules()));
    }

    fn open_edit(&mut self, record: Stored<Volunteer>) {
        self.form = Some(IntakeForm::edit(
            record.meta.id,
            record.meta.revision,
            &record.data,
            self.service.rules(),
        ));
        self.form_base = Some(record);
    }

    /// After a conflict: puts the user's changes on top of what is stored now, so they can
    /// check and save again. Returns the message to show, or `None` when the stored version
    /// cannot be read (the form then stays as it was).
    fn rebase_form(&mut self) -> Option<String> {
        let form = self.form.as_ref()?;
        let FormMode::Edit { id, .. } = form.mode() else {
            return None;
        };
        let base = self.form_base.as_ref().filter(|b| b.meta.id == id)?;
        let current = self.service.volunteer(id).ok()??;
        let (merged, both) = crate::domain::volunteer::rebase(
            &VolunteerDraft::from_volunteer(&base.data),
            &form.draft(),
            &VolunteerDraft::from_volunteer(&current.data),
        );
        let theirs = VolunteerDraft::from_volunteer(&current.data);
        let mode = FormMode::Edit {
            id,
            revision: current.meta.revision,
        };
        self.form =
            Some(IntakeForm::with_draft(mode, merged, self.service.rules()).with_original(theirs));
        let by = current.meta.updated.by.clone();
        self.form_base = Some(current);
        let text = if both.is_empty() {
            tf(self.lang, "ui.rebased", &[("by", by)])
        } else {
            let fields: Vec<&str> = both
                .iter()
                .map(|f| crate::i18n::field_label(self.lang, *f))
                .collect();
            tf(
                self.lang,
                "ui.rebased_both",
                &[("by", by), ("fields", fields.join(", "))],
            )
        };
        Some(text)
    }

    fn open_detail(&mut self, id: u64) {
        match self.service.volunteer(id) {
            Ok(Some(record)) => {
                self.detail = Some(Detail::new(record));
                let model = self.model.read();
                self.volunteers.select_id(&model, id);
            }
            Ok(None) => self.flash(
                FlashKind::Error,
                t(self.lang, "error.not_found").to_string(),
            ),
            Err(e) => self.flash(FlashKind::Error, service_error(self.lang, &e)),
        }
    }

    fn open_status_picker(&mut self, id: u64, revision: u64, from: Status) {
        self.overlay = Some(Overlay::Status(StatusChangeForm::status_change(
            id, revision, from,
        )));
    }

    fn apply_status(&mut self, id: u64, revision: u64, to: Status) {
        match self.service.change_status(&self.who, id, revision, to) {
            Ok(saved) => {
                self.model.put_volunteer(&saved);
                let text = tf(
                    self.lang,
                    "ui.status_changed",
                    &[
                        ("name", saved.data.name.full()),
                        (
                            "status",
                            t(self.lang, &format!("status.{}", to.key())).to_string(),
                        ),
                    ],
                );
                if let Some(d) = &mut self.detail
                    && d.record.meta.id == id
                {
                    d.record = saved;
                }
                self.flash(FlashKind::Ok, text);
            }
            Err(e) => self.flash(FlashKind::Error, service_error(self.lang, &e)),
        }
    }

    fn flash(&mut self, kind: FlashKind, text: String) {
        self.flash = Some(Flash { text, kind });
    }

    /// Whether the user asked for a full repaint (and forget the request).
    pub fn take_redraw(&mut self) -> bool {
        std::mem::take(&mut self.redraw)
    }
}

/// Keys that edit a one-line text input: printable characters (with or without Shift),
/// Backspace, Delete, Left, Right, Home, End and the usual Ctrl editing keys.
pub fn is_text_key(key: &KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(_) => !ctrl && !alt,
        KeyCode::Backspace
        | KeyCode::Delete
        | KeyCode::Left
        | KeyCode::Right
        | KeyCode::Home
        | KeyCode::End => true,
        _ => false,
    }
}
