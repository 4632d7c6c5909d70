//! What every screen, pushed view (detail, form) and overlay is: a [`Component`] that owns its
//! state, names its keymap contexts, handles its keys and actions, and draws itself.
//!
//! Components never do I/O. When one needs the service (read a record, save a form) it asks
//! for a [`Job`] through [`Cx::run`]; the session's runtime carries the job out and hands the
//! result back to the same component ([`Component::on_done`]). Anything else a component wants
//! of the shell (open a view or an overlay, close itself, show a message, quit) is a [`Cmd`].
//!
//! Why jobs are trait objects and not one `Effect` enum (the Elm recipe's usual choice): a
//! shared enum would gain variants for every record kind, so adding a kind would edit the
//! shell. A job is a small typed struct in the module of the screen that needs it, with a
//! stable [`Job::name`] that tests can assert on; its result is typed too and is downcast only
//! by the component that asked. `update` stays testable without a store: feed it a [`Done`]
//! built by hand.
//!
//! Drawing is split in two: [`Component::prepare`] runs after every event with `&mut self` and
//! copies what the next frame needs out of the read model (under a short read lock);
//! [`Component::render`] then draws from that copy alone, holds no lock, reads no clock (today
//! is `Env::today`, set by the session) and changes nothing but stateful-widget state: the
//! scroll offset of a popup or form and the input width and language it was last drawn with
//! (in `Cell`s, as ratatui's own `ListState` keeps the offset its render chose), which depend on
//! the area only render knows and which key handling reads to move the cursor the way the
//! screen shows it.

use super::action::Action;
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use crate::domain::volunteer::Rules;
use crate::i18n::Lang;
use crate::readmodel::{ReadModel, SharedModel};
use crate::service::{Account, Kind, Service};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;
use std::sync::Arc;
use time::Date;

/// What a component did with an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Handled {
    /// Done; nobody else sees it.
    Yes,
    /// Not for this component: the layer below may take it.
    #[default]
    No,
}

/// A message kind, for the line above the bottom bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Info,
    Ok,
    Error,
}

/// A short message in the line above the bottom bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub kind: FlashKind,
}

/// Work that needs the service: run by the session's runtime outside `update`, its result
/// handed back to the component that asked ([`Component::on_done`]).
pub trait Job: Send + 'static {
    /// A stable name, for tests and logs ("save_volunteer").
    fn name(&self) -> &'static str;
    /// Does the work. The result is downcast by the component that asked.
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send>;
}

/// What a job may use: the service as the acting account, and the shared read model (to
/// show a saved record at once, before the change feed brings it).
pub struct JobCx<'a> {
    pub service: &'a Service,
    pub who: &'a Account,
    pub model: &'a SharedModel,
}

/// The result of a [`Job`].
pub struct Done {
    pub name: &'static str,
    pub value: Box<dyn Any + Send>,
}

impl Done {
    /// The value as `T`, if it is one.
    pub fn take<T: 'static>(self) -> Option<T> {
        self.value.downcast::<T>().ok().map(|b| *b)
    }
}

/// What a component asks of the shell.
pub enum Cmd {
    /// Put a view (detail, form) over the current screen's body.
    Push(Box<dyn Component>),
    /// Open an overlay on top of everything.
    Modal(Box<dyn Component>),
    /// Close the component that sent this.
    Close,
    /// Close the top pushed view (a form, from the question whether to discard it).
    PopView,
    /// Close every pushed view (back to the screen).
    CloseViews,
    /// Select record `id` of kind `kind` in the lists that show it.
    Reveal(Kind, u64),
    /// Show a message.
    Flash(FlashKind, String),
    /// Run a job; the result comes back to the sender.
    Run(Box<dyn Job>),
    /// Carry out an action as if its key had been pressed (the palette, help's Enter).
    Dispatch(Action),
    /// Show a screen (from lists and views, as a group key would).
    GoScreen(super::screens::ScreenId),
    /// Leave koppel.
    Quit,
}

/// What components may read while they handle something: the session's settings, today's
/// date (time is state: the session sets it, nobody reads the clock) and the read model.
#[derive(Clone)]
pub struct Env {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Arc<Keymap>,
    pub today: Date,
    pub rules: Rules,
    pub municipalities: Vec<String>,
    /// How much each criterion of matching counts (configuration).
    pub weights: crate::domain::matching::Weights,
    /// Meeting interval and no-contact days of trajectories (configuration).
    pub trajectories: crate::domain::trajectory::TrajectorySettings,
    /// How long records that identify people are kept (configuration).
    pub retention: crate::domain::retention::Periods,
    /// The consultants trajectories can be given to (from the service at session start).
    pub consultants: Vec<crate::domain::trajectory::Consultant>,
    /// Name of the account, shown in the bottom bar.
    pub who: String,
    /// The account's role: screens show only what it may do (the service enforces it).
    pub role: crate::service::Role,
    /// Name of the store, shown in the bottom bar.
    pub store_name: String,
}

/// The context of one call into a component.
pub struct Cx<'a> {
    pub env: &'a Env,
    pub model: &'a SharedModel,
    pub(crate) out: &'a mut Vec<Cmd>,
    /// Terminal size as last reported.
    pub size: (u16, u16),
    /// Whether a pushed view holds unsaved input.
    pub dirty: bool,
}

impl Cx<'_> {
    pub fn cmd(&mut self, cmd: Cmd) {
        self.out.push(cmd);
    }
    pub fn run(&mut self, job: impl Job) {
        self.out.push(Cmd::Run(Box::new(job)));
    }
    pub fn flash(&mut self, kind: FlashKind, text: impl Into<String>) {
        self.out.push(Cmd::Flash(kind, text.into()));
    }
    pub fn push(&mut self, view: impl Component + 'static) {
        self.out.push(Cmd::Push(Box::new(view)));
    }
    pub fn modal(&mut self, modal: impl Component + 'static) {
        self.out.push(Cmd::Modal(Box::new(modal)));
    }
    pub fn close(&mut self) {
        self.out.push(Cmd::Close);
    }
    pub fn lang(&self) -> Lang {
        self.env.lang
    }
}

/// What drawing may read.
pub struct RenderCx<'a> {
    pub env: &'a Env,
}

/// A screen, a pushed view or an overlay.
pub trait Component: Any {
    /// The keymap contexts of this component, innermost first (the shell adds `Global`).
    fn contexts(&self) -> Vec<Context>;

    /// A key before the keymap sees it (text typed into a field); true when consumed.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx) -> bool {
        let _ = (key, cx);
        false
    }

    /// Pasted text; true when consumed.
    fn on_paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        let _ = (text, cx);
        false
    }

    /// A mouse event inside `area` (the body for screens and views, the whole screen for
    /// overlays); true when consumed.
    fn on_mouse(&mut self, m: MouseEvent, area: Rect, cx: &mut Cx) -> bool {
        let _ = (m, area, cx);
        false
    }

    /// An action from the keymap.
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled;

    /// Whether this component takes `action` where its contexts bind it: the bottom bar
    /// leaves out the hints of actions a component does not offer (the detail view of a
    /// record without a status has no "s status"). Every action by default.
    fn offers(&self, action: Action) -> bool {
        let _ = action;
        true
    }

    /// The result of a job this component asked for.
    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        let _ = (done, cx);
    }

    /// The read model changed (or finished loading).
    fn on_model(&mut self, cx: &mut Cx) {
        let _ = cx;
    }

    /// Selects record `id` of `kind` if this component lists it.
    fn reveal(&mut self, kind: Kind, id: u64, model: &ReadModel) {
        let _ = (kind, id, model);
    }

    /// Copies what the next frame needs, for a body of `area`.
    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        let _ = (model, area, env);
    }

    /// Draws into `area`; returns where the text cursor goes, if anywhere.
    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position>;

    /// What the top bar shows after the screen names while this view is open.
    fn crumb(&self, lang: Lang) -> Option<String> {
        let _ = lang;
        None
    }

    /// A note the help overlay shows above the keys while this is under it: what the
    /// component's own abbreviations mean (a list's column letters).
    fn help_note(&self, lang: Lang) -> Option<String> {
        let _ = lang;
        None
    }

    /// Actions of its keymap contexts that do nothing here (the Intakes queue has no status
    /// filter): help, the palette and the bottom bar leave them out.
    fn unavailable(&self) -> Vec<Action> {
        Vec::new()
    }

    /// Whether closing this would lose typed input.
    fn is_dirty(&self) -> bool {
        false
    }

    /// For tests and the shell: the component as `Any`, to look at its concrete state.
    fn as_any(&self) -> &dyn Any;

    /// The same, to change it (tests).
    fn as_any_mut(&mut self) -> &mut dyn Any;
}
