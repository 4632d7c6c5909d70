//! Several sessions over one store and one shared read model, as `koppel serve` will run them:
//! what one person saves shows in the other's list, without moving their cursor or closing
//! the form they are typing in.

use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::domain::Field;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use koppel::ui::app::AppEvent;
use koppel::ui::keymap::Keymap;
use koppel::ui::keys::parse_keys;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::volunteers::VolunteerList;
use koppel::ui::screens::volunteers::form::FormView;
use koppel::ui::session::{Session, SessionConfig};
use koppel::ui::theme::Theme;
use koppel::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::datetime;

struct Desk {
    session: Session,
    terminal: Terminal<TestBackend>,
}

impl Desk {
    fn new(service: &Service, name: &str, model: &SharedModel) -> Desk {
        let who = Account {
            name: name.into(),
            role: Role::Intake,
        };
        let config = SessionConfig {
            keymap: Arc::new(Keymap::shipped("default").unwrap()),
            lang: Lang::En,
            theme: Theme::mono(),
        };
        let mut session = Session::new(service.clone(), who, model.clone(), config, || {});
        session.handle(AppEvent::Resize(100, 30));
        Desk {
            session,
            terminal: Terminal::new(TestBackend::new(100, 30)).unwrap(),
        }
    }

    fn keys(&mut self, keys: &str) -> &mut Self {
        for k in parse_keys(keys).unwrap() {
            self.session.handle(AppEvent::Key(k));
        }
        self
    }

    fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.session
                .handle(AppEvent::Key(crossterm::event::KeyEvent::from(
                    crossterm::event::KeyCode::Char(c),
                )));
        }
        self
    }

    fn screen(&mut self) -> String {
        let app = self.session.app();
        self.terminal.draw(|f| view::draw(f, app)).unwrap();
        let buf = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn list(&self) -> &VolunteerList {
        self.session
            .app()
            .screen_component(ScreenId::Volunteers)
            .as_any()
            .downcast_ref()
            .unwrap()
    }

    /// (selected row, its id, rows shown).
    fn cursor(&self) -> (usize, Option<u64>, usize) {
        let model = self.session.app().model.read();
        let list = self.list();
        (
            list.table.selected,
            list.table.selected_id(&model),
            list.table.len(),
        )
    }
}

/// A demo store of `people` people with one shared model, kept current from the store's
/// change feed by its own thread (loaded when this returns), and its administrator.
fn office(people: usize) -> (tempfile::TempDir, Service, SharedModel, Account) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let service = Service::new(store.clone(), clock, Config::default());
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    koppel::demo::fill(&service, &admin, people, 7).unwrap();
    let model = SharedModel::spawn(store);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !model.read().loaded() {
        assert!(Instant::now() < deadline, "the model never loaded");
        std::thread::yield_now();
    }
    (dir, service, model, admin)
}

#[test]
fn a_save_in_one_session_shows_in_the_other_without_losing_its_place() {
    let (_dir, service, model, _admin) = office(30);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut anouk = Desk::new(&service, "anouk", &model);
    let mut bram = Desk::new(&service, "bram", &model);

    // Bram stands on the fifth person and starts typing a new intake.
    bram.keys("<down><down><down><down>");
    let (row, person, shown) = bram.cursor();
    assert_eq!((row, shown), (4, 30));
    let person = person.expect("a selected person");
    bram.keys("i").text("Piet");

    // Anouk registers someone who sorts before everybody else.
    anouk
        .keys("i")
        .text("Aafke")
        .keys("<tab><tab>")
        .text("Aalders");
    anouk
        .keys("<tab>")
        .text("05-04-1999")
        .keys("<tab>")
        .text("Voorstraat 12");
    anouk
        .keys("<tab>")
        .text("3311ab")
        .keys("<tab>")
        .text("Dordrecht");
    anouk.keys("<tab>").text("078 - 770 85 00");
    for _ in 0..40 {
        let on_consent = anouk
            .session
            .app()
            .view::<FormView>()
            .is_some_and(|f| f.form.focused() == Field::Consent);
        if on_consent {
            break;
        }
        anouk.keys("<tab>");
    }
    anouk.keys("<space><c-s>");
    assert!(
        anouk.screen().contains("Saved: Aafke Aalders"),
        "{}",
        anouk.screen()
    );

    // Bram's session picks the change up (the event loop would be woken for it).
    while bram.cursor().2 != 31 {
        assert!(Instant::now() < deadline, "the save never reached Bram");
        bram.session.handle(AppEvent::Wake);
        std::thread::yield_now();
    }
    // His form is still open with what he typed …
    let form = bram
        .session
        .app()
        .view::<FormView>()
        .expect("the form stays");
    assert_eq!(form.form.draft().given_name, "Piet");
    // … and behind it his cursor is on the same person, one row further down.
    assert_eq!(bram.cursor(), (5, Some(person), 31));
    bram.keys("<esc>y");
    assert!(bram.session.app().view::<FormView>().is_none());
    let s = bram.screen();
    assert!(s.contains("Aalders, Aafke"), "{s}");
    assert_eq!(bram.cursor(), (5, Some(person), 31));
}

impl Desk {
    /// Moves the focus of the open form to `field`.
    fn focus(&mut self, field: Field) -> &mut Self {
        for _ in 0..60 {
            let on = self
                .session
                .app()
                .view::<FormView>()
                .is_some_and(|f| f.form.focused() == field);
            if on {
                return self;
            }
            self.keys("<tab>");
        }
        panic!("never reached {field:?}");
    }
}

#[test]
fn the_second_of_two_sessions_saving_one_person_is_told_who_saved_when_and_compares() {
    let (_dir, service, model, admin) = office(10);
    let mut anouk = Desk::new(&service, "anouk", &model);
    let mut bram = Desk::new(&service, "bram", &model);
    // Both open the first person's form.
    let person = anouk.cursor().1.expect("a first person");
    anouk.keys("<enter>e");
    bram.keys("<enter>e");
    let before = anouk
        .session
        .app()
        .view::<FormView>()
        .expect("anouk's form")
        .form
        .draft();
    assert!(bram.session.app().view::<FormView>().is_some());

    // Bram saves first: a note.
    bram.focus(Field::Notes)
        .text(" Belt maandag.")
        .keys("<c-s>");
    assert!(bram.screen().contains("Saved"), "{}", bram.screen());

    // Anouk saves her change to the skills: refused, told who saved and when, input kept.
    anouk.focus(Field::Skills).text(" Portugees").keys("<c-s>");
    let s = anouk.screen();
    assert!(
        s.contains("bram saved this person at 27-11-2026 10:30"),
        "{s}"
    );
    let form = &anouk
        .session
        .app()
        .view::<FormView>()
        .expect("the form stays open")
        .form;
    assert!(
        form.draft().skills.ends_with(" Portugees"),
        "her input kept"
    );
    assert!(
        form.draft().notes.ends_with(" Belt maandag."),
        "his change in"
    );
    // She compares: her skills differ from the stored version, shown beside the field.
    assert_eq!(form.differences(), [Field::Skills]);
    let stored_skills = if before.skills.is_empty() {
        "(empty)".to_string()
    } else {
        before
            .skills
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let shown = format!("≠ saved: {stored_skills}");
    let prefix: String = shown.chars().take(30).collect();
    assert!(s.contains(&prefix), "{prefix:?} not in\n{s}");

    // And saves again: both changes are stored.
    anouk.keys("<c-s>");
    assert!(anouk.screen().contains("Saved"), "{}", anouk.screen());
    let stored = service.volunteer(&admin, person).unwrap().unwrap();
    assert!(stored.data.skills.ends_with(" Portugees"));
    assert!(stored.data.notes.ends_with(" Belt maandag."));
    assert_eq!(stored.meta.updated.by, "anouk");
}
