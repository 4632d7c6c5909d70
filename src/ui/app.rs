//! The shell of one session: which group and screen are showing, the views pushed over the
//! screen (a detail, a form), the overlays on top (help, palette, find, dialogs), the message
//! line — and [`App::update`], which turns one [`Msg`] into state changes and the [`Effect`]s
//! the runtime must carry out. `update` does no I/O: it never calls the service and never
//! reads the clock; it reads only the in-memory read model.
//!
//! Input goes through a modal stack, innermost first: the top overlay, then the top pushed
//! view, then the current screen. Each layer is a [`Component`] that owns its state and
//! handles its own keys; the shell only routes, and handles what no layer took (switching
//! groups and screens, the global keys). Screens come from the registry in
//! [`super::screens`]; nothing here names a screen's type.

use super::action::Action;
use super::component::{Cmd, Component, Cx, Done, Env, Flash, FlashKind, Handled, Job};
use super::keymap::{Context, Feed, KeySequencer};
use super::modal::{Confirm, FindModal, HelpModal, PaletteModal};
use super::screens::{Group, SCREENS, ScreenId};
use crate::i18n::{t, tf};
use crate::readmodel::{ModelEvent, SharedModel};
use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

/// Everything that can happen to a session from outside.
#[derive(Debug, Clone)]
pub enum AppEvent {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// The shared read model changed: the session picks the change up from its own
    /// subscription.
    Wake,
}

/// Who asked for a job, so its result goes back to the same component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Screen(ScreenId),
    View(u64),
    Modal(u64),
}

/// Something `update` wants done outside itself.
pub struct Effect {
    pub origin: Origin,
    pub job: Box<dyn Job>,
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Effect({:?}, {})", self.origin, self.job.name())
    }
}

/// What [`App::update`] reacts to.
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// The read model changed or finished loading.
    Model(ModelEvent),
    /// A job finished.
    Done(Origin, Done),
}

/// One user's session state: what the view draws.
pub struct App {
    pub env: Env,
    pub model: SharedModel,
    seq: KeySequencer,
    pub group: Group,
    /// The screen shown in each group (index among the group's screens).
    screen_in_group: [usize; 5],
    /// One component per registered screen, in registry order.
    screens: Vec<Box<dyn Component>>,
    /// Views over the current screen's body, innermost last.
    views: Vec<(u64, Box<dyn Component>)>,
    /// Overlays, innermost last.
    modals: Vec<(u64, Box<dyn Component>)>,
    next_id: u64,
    pub flash: Option<Flash>,
    pub quit: bool,
    /// Terminal size as last reported.
    pub size: (u16, u16),
    /// The next frame must repaint the whole screen.
    redraw: bool,
    /// Whether the user was told about records that cannot be read.
    warned_damage: bool,
    /// Screens (by index) that missed a model change while another screen was shown: they
    /// catch up when they are shown again, so a save refreshes one screen per session, not
    /// every list of 100k rows (which, over 50 sessions, is what delayed a save's arrival).
    stale: Vec<bool>,
}

impl App {
    pub fn new(env: Env, model: SharedModel) -> App {
        let mut app = App {
            env,
            model,
            seq: KeySequencer::new(),
            group: Group::Verbinden,
            screen_in_group: [0; 5],
            screens: SCREENS.iter().map(|s| (s.build)()).collect(),
            views: Vec::new(),
            modals: Vec::new(),
            next_id: 0,
            flash: None,
            quit: false,
            size: (80, 24),
            redraw: false,
            warned_damage: false,
            stale: vec![true; SCREENS.len()],
        };
        app.go_screen(ScreenId::Volunteers);
        let mut effects = Vec::new();
        app.model_changed(&mut effects);
        debug_assert!(effects.is_empty());
        app.prepare();
        app
    }

    /// The screen on display.
    pub fn screen(&self) -> ScreenId {
        let screens: Vec<ScreenId> = self.group.screens().collect();
        screens
            .get(self.screen_in_group[self.group.index()])
            .or(screens.first())
            .copied()
            .unwrap_or(ScreenId::Overview)
    }

    /// The screens of the current group, in sub-tab order.
    pub fn group_screens(&self) -> Vec<ScreenId> {
        self.group.screens().collect()
    }

    /// Shows screen `id` (and its group).
    pub fn go_screen(&mut self, id: ScreenId) {
        let g = id.group();
        self.group = g;
        if let Some(i) = g.screens().position(|s| s == id) {
            self.screen_in_group[g.index()] = i;
        }
    }

    /// The component of a screen.
    pub fn screen_component(&self, id: ScreenId) -> &dyn Component {
        self.screens[id.index()].as_ref()
    }

    /// The top pushed view as a `T`, if it is one.
    pub fn view<T: 'static>(&self) -> Option<&T> {
        self.views.last()?.1.as_any().downcast_ref()
    }

    /// The top pushed view as a `T`, to change it (tests).
    pub fn view_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.views.last_mut()?.1.as_any_mut().downcast_mut()
    }

    /// The top overlay as a `T`, if it is one.
    pub fn modal<T: 'static>(&self) -> Option<&T> {
        self.modals.last()?.1.as_any().downcast_ref()
    }

    /// Whether any overlay is open.
    pub fn has_modal(&self) -> bool {
        !self.modals.is_empty()
    }

    /// Whether any view is pushed over the screen.
    pub fn has_view(&self) -> bool {
        !self.views.is_empty()
    }

    /// The component drawn in the body: the top view, else the current screen.
    pub fn body_component(&self) -> &dyn Component {
        match self.views.last() {
            Some((_, v)) => v.as_ref(),
            None => self.screen_component(self.screen()),
        }
    }

    /// The top overlay.
    pub fn top_modal(&self) -> Option<&dyn Component> {
        self.modals.last().map(|(_, m)| m.as_ref())
    }

    /// Whether closing everything would lose typed input.
    pub fn is_dirty(&self) -> bool {
        self.views.iter().any(|(_, v)| v.is_dirty())
    }

    /// The keymap contexts of the current state, innermost first.
    pub fn contexts(&self) -> Vec<Context> {
        let mut c = match self.modals.last() {
            Some((_, m)) => m.contexts(),
            None => self.body_component().contexts(),
        };
        c.push(Context::Global);
        c
    }

    /// Whether the component that takes keys now (the top overlay, else the top view, else
    /// the screen) offers `action` (see [`Component::offers`]).
    pub fn offers(&self, action: Action) -> bool {
        match self.modals.last() {
            Some((_, m)) => m.offers(action),
            None => self.body_component().offers(action),
        }
    }

    /// Actions the component under the overlays cannot do, though its contexts bind them:
    /// those it names ([`Component::unavailable`]) and those it does not offer
    /// ([`Component::offers`]). Help, the palette and the bottom bar leave them out.
    pub fn unavailable(&self) -> Vec<Action> {
        let body = self.body_component();
        let mut out = body.unavailable();
        for a in Action::ALL {
            if !body.offers(*a) && !out.contains(a) {
                out.push(*a);
            }
        }
        out
    }

    /// The contexts of what lies under the overlays (for help and the palette).
    pub fn contexts_below_overlays(&self) -> Vec<Context> {
        let mut c = self.body_component().contexts();
        c.push(Context::Global);
        c
    }

    /// Whether the user asked for a full repaint (and forget the request).
    pub fn take_redraw(&mut self) -> bool {
        std::mem::take(&mut self.redraw)
    }

    /// The body area for the current size (between the top rows and the message line).
    pub fn body_area(&self) -> Rect {
        super::view::body_area(self, Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// Handles one message; returns what the runtime must do. No I/O happens here.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = Vec::new();
        match msg {
            Msg::Key(key) => {
                if key.kind != KeyEventKind::Release {
                    self.on_key(key, &mut effects);
                }
            }
            Msg::Paste(text) => self.on_paste(&text, &mut effects),
            Msg::Mouse(m) => self.on_mouse(m, &mut effects),
            Msg::Resize(w, h) => self.size = (w, h),
            Msg::Model(_) => self.model_changed(&mut effects),
            Msg::Done(origin, done) => {
                self.call(origin, &mut effects, |c, cx| c.on_done(done, cx));
            }
        }
        // A screen just switched to catches up with the changes it missed.
        self.freshen(&mut effects);
        self.prepare();
        effects
    }

    /// Copies what the next frame needs out of the read model, under one short read lock.
    pub fn prepare(&mut self) {
        let body = self.body_area();
        let full = Rect::new(0, 0, self.size.0, self.size.1);
        let model = self.model.read();
        let env = &self.env;
        match self.views.last_mut() {
            Some((_, v)) => v.prepare(&model, body, env),
            None => {
                let id = self.screen();
                self.screens[id.index()].prepare(&model, body, env);
            }
        }
        if let Some((_, m)) = self.modals.last_mut() {
            m.prepare(&model, full, env);
        }
    }

    fn model_changed(&mut self, effects: &mut Vec<Effect>) {
        // Only the screen shown follows the change now; the others when they are shown.
        for stale in &mut self.stale {
            *stale = true;
        }
        self.freshen(effects);
        let ids: Vec<u64> = self.views.iter().map(|(id, _)| *id).collect();
        for id in ids {
            self.call(Origin::View(id), effects, |c, cx| c.on_model(cx));
        }
        let ids: Vec<u64> = self.modals.iter().map(|(id, _)| *id).collect();
        for id in ids {
            self.call(Origin::Modal(id), effects, |c, cx| c.on_model(cx));
        }
        // Records that cannot be read are missing from every list: say so, once.
        let damaged = self.model.read().load_problems.len();
        if damaged > 0 && !self.warned_damage {
            self.warned_damage = true;
            let key = if damaged == 1 {
                "ui.damaged_one"
            } else {
                "ui.damaged"
            };
            let text = tf(self.env.lang, key, &[("count", damaged.to_string())]);
            self.flash = Some(Flash {
                text,
                kind: FlashKind::Error,
            });
        }
    }

    /// Lets the screen shown catch up with the model changes it missed while hidden.
    fn freshen(&mut self, effects: &mut Vec<Effect>) {
        let id = self.screen();
        if let Some(stale) = self.stale.get_mut(id.index())
            && *stale
        {
            *stale = false;
            self.call(Origin::Screen(id), effects, |c, cx| c.on_model(cx));
        }
    }

    /// Calls `f` on the component at `origin` (if it still exists) and carries out the
    /// commands it gave. Returns what `f` returned.
    fn call<R: Default>(
        &mut self,
        origin: Origin,
        effects: &mut Vec<Effect>,
        f: impl FnOnce(&mut dyn Component, &mut Cx) -> R,
    ) -> R {
        let mut out = Vec::new();
        let dirty = self.is_dirty();
        let result = {
            let component: &mut dyn Component = match origin {
                Origin::Screen(id) => self.screens[id.index()].as_mut(),
                Origin::View(vid) => match self.views.iter_mut().find(|(i, _)| *i == vid) {
                    Some((_, v)) => v.as_mut(),
                    None => return R::default(),
                },
                Origin::Modal(mid) => match self.modals.iter_mut().find(|(i, _)| *i == mid) {
                    Some((_, m)) => m.as_mut(),
                    None => return R::default(),
                },
            };
            let mut cx = Cx {
                env: &self.env,
                model: &self.model,
                out: &mut out,
                size: self.size,
                dirty,
            };
            f(component, &mut cx)
        };
        self.apply(origin, out, effects);
        result
    }

    fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn apply(&mut self, origin: Origin, cmds: Vec<Cmd>, effects: &mut Vec<Effect>) {
        for cmd in cmds {
            match cmd {
                Cmd::Push(view) => {
                    let id = self.new_id();
                    self.views.push((id, view));
                }
                Cmd::Modal(modal) => {
                    let id = self.new_id();
                    self.modals.push((id, modal));
                }
                Cmd::Close => match origin {
                    Origin::View(id) => self.views.retain(|(i, _)| *i != id),
                    Origin::Modal(id) => self.modals.retain(|(i, _)| *i != id),
                    Origin::Screen(_) => {}
                },
                Cmd::PopView => {
                    self.views.pop();
                }
                Cmd::CloseViews => self.views.clear(),
                Cmd::Flash(kind, text) => self.flash = Some(Flash { text, kind }),
                Cmd::Run(job) => effects.push(Effect { origin, job }),
                Cmd::Dispatch(action) => self.dispatch(action, effects),
                Cmd::Reveal(kind, id) => {
                    let model = self.model.clone();
                    let model = model.read();
                    for s in &mut self.screens {
                        s.reveal(kind, id, &model);
                    }
                }
                Cmd::GoScreen(id) => {
                    if self
                        .body_component()
                        .contexts()
                        .contains(&Context::Navigation)
                    {
                        self.views.clear();
                        self.go_screen(id);
                    }
                }
                Cmd::Quit => self.quit = true,
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) {
        // 1. Text input of the innermost component comes first.
        if self.seq.pending().is_empty() {
            let origin = self.focus();
            if self.call(origin, effects, |c, cx| c.on_key(key, cx)) {
                return;
            }
        }
        // 2. Then the keymap of the current contexts.
        let contexts = self.contexts();
        match self.seq.feed(&self.env.keymap, &contexts, key) {
            Feed::Action(action) => self.dispatch(action, effects),
            Feed::Pending | Feed::Unbound | Feed::Ignored => {}
        }
    }

    /// The innermost layer: the top overlay, else the top view, else the screen.
    fn focus(&self) -> Origin {
        if let Some((id, _)) = self.modals.last() {
            Origin::Modal(*id)
        } else if let Some((id, _)) = self.views.last() {
            Origin::View(*id)
        } else {
            Origin::Screen(self.screen())
        }
    }

    fn on_paste(&mut self, text: &str, effects: &mut Vec<Effect>) {
        let origin = self.focus();
        self.call(origin, effects, |c, cx| c.on_paste(text, cx));
    }

    fn on_mouse(&mut self, m: MouseEvent, effects: &mut Vec<Effect>) {
        if !self.modals.is_empty() {
            return;
        }
        let body = self.body_area();
        // The tabs answer clicks over every screen (also while its search is typed into) and
        // over views that navigate (a detail), never over a form.
        let navigable = self.views.is_empty()
            || self
                .body_component()
                .contexts()
                .contains(&Context::Navigation);
        if let MouseEventKind::Down(MouseButton::Left) = m.kind
            && navigable
        {
            if m.row == 0 {
                if let Some(g) = super::view::group_at(self.size.0, m.column) {
                    self.views.clear();
                    self.group = g;
                }
                return;
            }
            if m.row == 1 && self.views.is_empty() {
                if let Some(s) = super::view::screen_at(self, m.column) {
                    self.go_screen(s);
                }
                return;
            }
        }
        let origin = self.focus();
        self.call(origin, effects, |c, cx| c.on_mouse(m, body, cx));
    }

    /// Carries out an action in the current state.
    pub fn dispatch(&mut self, action: Action, effects: &mut Vec<Effect>) {
        self.flash = None;
        // Actions that work the same everywhere.
        match action {
            Action::Help => {
                if self.modal::<HelpModal>().is_some() {
                    self.modals.pop();
                } else {
                    self.close_lookup_overlay();
                    let contexts = self.contexts_below_overlays();
                    let id = self.new_id();
                    let note = self.body_component().help_note(self.env.lang);
                    let unavailable = self.body_component().unavailable();
                    let help = HelpModal::new(&self.env, &contexts, note, &unavailable);
                    self.modals.push((id, Box::new(help)));
                }
                return;
            }
            Action::Palette => {
                self.close_lookup_overlay();
                let contexts = self.contexts_below_overlays();
                let unavailable = self.body_component().unavailable();
                let id = self.new_id();
                self.modals.push((
                    id,
                    Box::new(PaletteModal::new(&self.env, &contexts, &unavailable)),
                ));
                return;
            }
            Action::FindAnywhere => {
                self.close_lookup_overlay();
                let id = self.new_id();
                self.modals.push((id, Box::new(FindModal::default())));
                return;
            }
            Action::Redraw => {
                self.redraw = true;
                return;
            }
            Action::Quit => {
                let question = t(self.env.lang, "ui.ask_quit");
                let asking = self
                    .modal::<Confirm>()
                    .is_some_and(|c| c.question() == question);
                if self.is_dirty() {
                    // Asked already: a second Ctrl+C does not stack a second question.
                    if !asking {
                        let id = self.new_id();
                        let ask = Confirm::new(question, vec![Cmd::Quit]);
                        self.modals.push((id, Box::new(ask)));
                    }
                } else {
                    self.quit = true;
                }
                return;
            }
            _ => {}
        }
        // Overlays take every other action: what they do not use, nothing below sees.
        if let Some((id, _)) = self.modals.last() {
            let origin = Origin::Modal(*id);
            self.call(origin, effects, |c, cx| c.on_action(action, cx));
            return;
        }
        let origin = self.focus();
        if self.call(origin, effects, |c, cx| c.on_action(action, cx)) == Handled::Yes {
            return;
        }
        self.navigate(action, effects);
    }

    /// Closes a help, palette or find overlay on top: one of them is open at a time, so
    /// Ctrl+F twice gives one fresh find box (one Esc closes it) and F1 in the palette swaps
    /// the palette for help. A question below them (discard? status?) stays.
    fn close_lookup_overlay(&mut self) {
        while self.modal::<HelpModal>().is_some()
            || self.modal::<PaletteModal>().is_some()
            || self.modal::<FindModal>().is_some()
        {
            self.modals.pop();
        }
    }

    /// What no component took: groups, screens and the new intake, from lists and views.
    fn navigate(&mut self, action: Action, _effects: &mut Vec<Effect>) {
        if !self
            .body_component()
            .contexts()
            .contains(&Context::Navigation)
        {
            return;
        }
        if let Some(g) = action.group().and_then(Group::at) {
            self.views.clear();
            self.group = g;
            return;
        }
        let n = self.group.screens().count().max(1);
        let i = &mut self.screen_in_group[self.group.index()];
        match action {
            Action::NextScreen => {
                *i = (*i + 1) % n;
                self.views.clear();
            }
            Action::PrevScreen => {
                *i = (*i + n - 1) % n;
                self.views.clear();
            }
            Action::NewIntake => {
                let form = super::screens::volunteers::new_intake(&self.env);
                let id = self.new_id();
                self.views.push((id, form));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    //! `update` without a service: keys go in, effects come out, and results are fed back by
    //! hand, as the session's runtime would.

    use super::*;
    use crate::config::Config;
    use crate::domain::volunteer::{Volunteer, sample_intake};
    use crate::service::{Meta, ServiceError, Stamp, Stored};
    use crate::ui::keymap::Keymap;
    use crate::ui::keys::parse_keys;
    use crate::ui::screens::volunteers::detail::DetailView;
    use crate::ui::screens::volunteers::form::{FormView, Saved};
    use crate::ui::screens::volunteers::{Loaded, Then};
    use crate::ui::theme::Theme;
    use std::sync::Arc;
    use time::macros::{date, datetime};

    fn env() -> Env {
        let today = date!(2026 - 11 - 27);
        let config = Config::default();
        Env {
            lang: crate::i18n::Lang::En,
            theme: Theme::mono(),
            keymap: Arc::new(Keymap::shipped("default").unwrap()),
            today,
            rules: config.rules(today),
            municipalities: config.municipalities.clone(),
            weights: config.matching,
            trajectories: config.trajectories,
            retention: config.retention(),
            consultants: Vec::new(),
            who: "anouk".into(),
            role: crate::service::Role::Admin,
            store_name: "test".into(),
        }
    }

    fn stored(id: u64, v: Volunteer) -> Stored<Volunteer> {
        let stamp = Stamp {
            by: "anouk".into(),
            at: datetime!(2026-11-27 10:00 +01:00),
        };
        Stored {
            meta: Meta {
                id,
                revision: 1,
                created: stamp.clone(),
                updated: stamp,
            },
            data: v,
        }
    }

    /// An app over a model of `n` people (an empty store is opened only to make the model;
    /// the app never sees it).
    fn app(n: u64) -> (App, Vec<Stored<Volunteer>>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("s")).unwrap();
        let model = SharedModel::load_now(&store);
        let env = env();
        let mut records = Vec::new();
        for id in 1..=n {
            let mut draft = sample_intake();
            draft.family_name = format!("Person{id:03}");
            let v = draft.validate(&env.rules).unwrap();
            let s = stored(id, v);
            model.put_volunteer(&s);
            records.push(s);
        }
        let mut app = App::new(env, model);
        app.update(Msg::Resize(100, 30));
        (app, records, dir)
    }

    fn keys(app: &mut App, keys: &str) -> Vec<Effect> {
        let mut out = Vec::new();
        for k in parse_keys(keys).unwrap() {
            out.extend(app.update(Msg::Key(k)));
        }
        out
    }

    #[test]
    fn opening_a_person_is_a_job_and_its_result_opens_the_detail() {
        let (mut app, records, _dir) = app(3);
        let effects = keys(&mut app, "<down><enter>");
        assert_eq!(effects.len(), 1, "{effects:?}");
        assert_eq!(effects[0].job.name(), "load_volunteer");
        assert!(
            app.view::<DetailView>().is_none(),
            "nothing opens before the read"
        );
        let origin = effects[0].origin;
        let done = Done {
            name: "load_volunteer",
            value: Box::new(Loaded {
                then: Then::Detail,
                result: Ok(Some(records[1].clone())),
            }),
        };
        assert!(app.update(Msg::Done(origin, done)).is_empty());
        let detail = app.view::<DetailView>().expect("the detail opens");
        assert_eq!(detail.record.meta.id, 2);
    }

    #[test]
    fn a_failed_read_says_so_and_opens_nothing() {
        let (mut app, _records, _dir) = app(2);
        let effects = keys(&mut app, "<enter>");
        let done = Done {
            name: "load_volunteer",
            value: Box::new(Loaded {
                then: Then::Detail,
                result: Err(ServiceError::Closed),
            }),
        };
        app.update(Msg::Done(effects[0].origin, done));
        assert!(app.view::<DetailView>().is_none());
        let flash = app.flash.as_ref().expect("a message");
        assert_eq!(flash.kind, FlashKind::Error);
    }

    #[test]
    fn saving_a_form_is_a_job_and_invalid_input_stays_in_the_form() {
        let (mut app, _records, _dir) = app(1);
        keys(&mut app, "i");
        assert!(app.view::<FormView>().is_some());
        // An empty intake does not even reach the service.
        assert!(keys(&mut app, "<c-s>").is_empty());
        assert_eq!(app.flash.as_ref().map(|f| f.kind), Some(FlashKind::Error));
        // The service's own verdict comes back into the same form.
        let origin = Origin::View(app.views.last().unwrap().0);
        let done = Done {
            name: "save_volunteer",
            value: Box::new(Saved {
                result: Err(ServiceError::Invalid(vec![crate::domain::FieldError::new(
                    crate::domain::Field::Postcode,
                    crate::domain::Problem::Required,
                )])),
                current: None,
            }),
        };
        assert!(app.update(Msg::Done(origin, done)).is_empty());
        let form = app.view::<FormView>().expect("the form stays open");
        assert!(
            form.form
                .errors()
                .iter()
                .any(|e| e.field == crate::domain::Field::Postcode)
        );
    }

    #[test]
    fn a_result_for_a_closed_view_is_dropped() {
        let (mut app, records, _dir) = app(1);
        keys(&mut app, "i");
        let origin = Origin::View(app.views.last().unwrap().0);
        keys(&mut app, "<esc>");
        assert!(app.view::<FormView>().is_none());
        let done = Done {
            name: "save_volunteer",
            value: Box::new(Saved {
                result: Ok(records[0].clone()),
                current: None,
            }),
        };
        assert!(app.update(Msg::Done(origin, done)).is_empty());
        assert!(app.view::<DetailView>().is_none());
    }
}
