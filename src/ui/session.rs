//! One user's session: the app, the account it acts as, its subscription to the shared read
//! model, and the runtime that carries out what `update` asks for. The local terminal uses one
//! today; the SSH server will make one per channel, all over one shared model and one service.
//!
//! The runtime is the only place where the UI reaches the service: [`App::update`] returns
//! [`Effect`]s, the session runs their jobs with the service and the account and feeds the
//! results back as messages. It also sets the time: `today` is state, put into the app before
//! every message, so neither `update` nor drawing ever reads the clock.

use super::app::{App, AppEvent, Effect, Msg};
use super::component::{Env, JobCx};
use super::keymap::Keymap;
use super::theme::Theme;
use crate::i18n::Lang;
use crate::readmodel::{ModelEvent, SharedModel, Subscription};
use crate::service::{Account, Service};
use ratatui::Frame;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

/// Jobs that start more jobs stop after this many rounds (a bug, not a user's doing).
const MAX_ROUNDS: usize = 64;

/// A session's settings.
pub struct SessionConfig {
    pub keymap: Arc<Keymap>,
    pub lang: Lang,
    pub theme: Theme,
}

/// One user's session.
pub struct Session {
    app: App,
    service: Service,
    who: Account,
    /// Model events for this session, from its listener on the shared model.
    events: Receiver<ModelEvent>,
    /// Ends the calls from the shared model when the session is dropped.
    _subscription: Subscription,
}

impl Session {
    /// A session for `who` over `service` and the shared `model`. `wake` is called (from
    /// the read model's thread) whenever the model changed, so the event loop can pick the
    /// change up; it must return at once.
    pub fn new(
        service: Service,
        who: Account,
        model: SharedModel,
        config: SessionConfig,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Session {
        let today = service.clock().today();
        let store_name = service.store_name().unwrap_or_default();
        let env = Env {
            lang: config.lang,
            theme: config.theme,
            keymap: config.keymap,
            today,
            rules: service.rules(),
            municipalities: service.config().municipalities.clone(),
            weights: service.config().matching,
            trajectories: service.trajectory_settings(),
            retention: service.retention_periods(),
            consultants: service.consultants(&who),
            who: who.name.clone(),
            role: who.role,
            store_name,
        };
        let (tx, events) = channel();
        let listener = model.listen(move |e| {
            if tx.send(e).is_ok() {
                wake();
            }
        });
        let app = App::new(env, model);
        Session {
            app,
            service,
            who,
            events,
            _subscription: listener,
        }
    }

    /// The app, for drawing and for tests to look at.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The app, for tests that change a setting (the theme).
    pub fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    /// The service this session acts through (for tests).
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// The account this session acts as.
    pub fn who(&self) -> &Account {
        &self.who
    }

    /// Whether the user asked to leave.
    pub fn quit(&self) -> bool {
        self.app.quit
    }

    /// Draws the app.
    pub fn draw(&self, frame: &mut Frame<'_>) {
        super::view::draw(frame, &self.app);
    }

    /// Handles one event, everything it leads to, and any model changes that arrived.
    pub fn handle(&mut self, event: AppEvent) {
        self.tick();
        let msg = match event {
            AppEvent::Key(k) => Some(Msg::Key(k)),
            AppEvent::Mouse(m) => Some(Msg::Mouse(m)),
            AppEvent::Paste(p) => Some(Msg::Paste(p)),
            AppEvent::Resize(w, h) => Some(Msg::Resize(w, h)),
            // The change itself comes through this session's own subscription.
            AppEvent::Wake => None,
        };
        if let Some(msg) = msg {
            let effects = self.app.update(msg);
            self.run(effects);
        }
        self.drain_model();
    }

    /// Puts the time (and what depends on it) into the app.
    fn tick(&mut self) {
        let today = self.service.clock().today();
        if today != self.app.env.today {
            self.app.env.today = today;
            self.app.env.rules = self.service.rules();
        }
    }

    /// Applies the model events that arrived, coalesced into one.
    fn drain_model(&mut self) {
        for _ in 0..MAX_ROUNDS {
            let mut last = None;
            while let Ok(e) = self.events.try_recv() {
                // A load counts for more than a change.
                if !matches!(last, Some(ModelEvent::Loaded)) {
                    last = Some(e);
                }
            }
            let Some(e) = last else {
                return;
            };
            let effects = self.app.update(Msg::Model(e));
            self.run(effects);
        }
    }

    /// Carries out effects, feeding each result back; results may ask for more.
    fn run(&mut self, mut effects: Vec<Effect>) {
        for _ in 0..MAX_ROUNDS {
            if effects.is_empty() {
                return;
            }
            let mut next = Vec::new();
            for Effect { origin, job } in effects {
                let name = job.name();
                let jx = JobCx {
                    service: &self.service,
                    who: &self.who,
                    model: &self.app.model,
                };
                let value = job.run(&jx);
                let done = super::component::Done { name, value };
                next.extend(self.app.update(Msg::Done(origin, done)));
            }
            effects = next;
        }
    }
}
