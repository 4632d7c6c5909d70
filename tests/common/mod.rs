//! A session on deterministic demo data, driven by keys on ratatui's `TestBackend` with a fixed
//! clock: shared by the test files of organisations, vacancies and contacts.

#![allow(dead_code)]

use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use koppel::ui::app::AppEvent;
use koppel::ui::keymap::Keymap;
use koppel::ui::keys::parse_keys;
use koppel::ui::screens::ScreenId;
use koppel::ui::session::{Session, SessionConfig};
use koppel::ui::theme::Theme;
use koppel::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use time::macros::datetime;

pub struct Harness {
    pub session: Session,
    terminal: Terminal<TestBackend>,
    _dir: tempfile::TempDir,
}

pub fn harness(volunteers: usize, lang: Lang, w: u16, h: u16) -> Harness {
    harness_as(Role::Intake, volunteers, lang, w, h)
}

/// A harness whose session acts in `role`.
pub fn harness_as(role: Role, volunteers: usize, lang: Lang, w: u16, h: u16) -> Harness {
    build(role, volunteers, lang, w, h, false)
}

/// A harness whose read model follows the store's change feed, as the app's does: saves made
/// through the service reach it (wait for them with [`Harness::until`]).
pub fn harness_following(role: Role, volunteers: usize, lang: Lang, w: u16, h: u16) -> Harness {
    let mut harness = build(role, volunteers, lang, w, h, true);
    harness.until(|m| m.loaded());
    harness
}

/// A harness whose session acts in `role` over a service with `config`, its read model
/// following the store's change feed (see [`harness_following`]).
pub fn harness_with(
    role: Role,
    volunteers: usize,
    lang: Lang,
    (w, h): (u16, u16),
    config: Config,
) -> Harness {
    let mut harness = build_with(role, volunteers, lang, w, h, true, config);
    harness.until(|m| m.loaded());
    harness
}

fn build(role: Role, volunteers: usize, lang: Lang, w: u16, h: u16, follow: bool) -> Harness {
    build_with(role, volunteers, lang, w, h, follow, Config::default())
}

fn build_with(
    role: Role,
    volunteers: usize,
    lang: Lang,
    w: u16,
    h: u16,
    follow: bool,
    config: Config,
) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("demo-store")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let service = Service::new(store.clone(), clock, config);
    let who = Account {
        name: "anouk".into(),
        role,
    };
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    koppel::demo::fill(&service, &admin, volunteers, 42).unwrap();
    let model = if follow {
        SharedModel::spawn(store.clone())
    } else {
        SharedModel::load_now(&store)
    };
    let config = SessionConfig {
        keymap: Arc::new(Keymap::shipped("default").unwrap()),
        lang,
        theme: Theme::mono(),
    };
    let session = Session::new(service, who, model, config, || {});
    let terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut h = Harness {
        session,
        terminal,
        _dir: dir,
    };
    h.session
        .handle(AppEvent::Resize(w, h.terminal.size().unwrap().height));
    h.draw();
    h
}

impl Harness {
    pub fn draw(&mut self) {
        let app = self.session.app();
        self.terminal.draw(|f| view::draw(f, app)).unwrap();
    }

    pub fn keys(&mut self, keys: &str) -> &mut Self {
        for k in parse_keys(keys).unwrap() {
            self.session.handle(AppEvent::Key(k));
        }
        self.draw();
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.session
                .handle(AppEvent::Key(crossterm::event::KeyEvent::from(
                    crossterm::event::KeyCode::Char(c),
                )));
        }
        self.draw();
        self
    }

    pub fn screen(&self) -> String {
        let buf = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Goes to screen `id` with the group's digit and `]`.
    pub fn go(&mut self, id: ScreenId) -> &mut Self {
        let digit = (id.group().index() + 1).to_string();
        self.keys(&digit);
        for _ in 0..6 {
            if self.session.app().screen() == id {
                break;
            }
            self.keys("]");
        }
        assert_eq!(self.session.app().screen(), id);
        self
    }

    /// The component of screen `id` as a `T`.
    pub fn screen_as<T: 'static>(&self, id: ScreenId) -> &T {
        self.session
            .app()
            .screen_component(id)
            .as_any()
            .downcast_ref()
            .expect("the screen's component")
    }

    pub fn model(&self) -> std::sync::RwLockReadGuard<'_, koppel::readmodel::ReadModel> {
        self.session.app().model.read()
    }

    /// Hands the session what the read model's thread has applied, until `done` holds (a
    /// save made through the service reaches the model through the change feed). Panics
    /// after ten seconds.
    pub fn until(&mut self, done: impl Fn(&koppel::readmodel::ReadModel) -> bool) -> &mut Self {
        let start = std::time::Instant::now();
        while !done(&self.model()) {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "the read model never got there"
            );
            std::thread::yield_now();
        }
        self.session.handle(AppEvent::Wake);
        self.draw();
        self
    }

    /// Wakes the session and draws until the screen shows what `shown` wants: the read model
    /// can hold a change a moment before its version says so, and the screens follow the
    /// version. Panics after ten seconds, showing the screen.
    pub fn until_screen(&mut self, shown: impl Fn(&str) -> bool) -> &mut Self {
        let start = std::time::Instant::now();
        loop {
            let screen = self.screen();
            if shown(&screen) {
                return self;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "the screen never got there:\n{screen}"
            );
            std::thread::yield_now();
            self.session.handle(AppEvent::Wake);
            self.draw();
        }
    }
}
