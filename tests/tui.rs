//! The screens driven by keys on ratatui's `TestBackend`, with a fixed clock and deterministic
//! demo data, so what the user sees can be asserted and snapshotted.

use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use koppel::ui::app::AppEvent;
use koppel::ui::keymap::Keymap;
use koppel::ui::keys::parse_keys;
use koppel::ui::screens::volunteers::detail::DetailView;
use koppel::ui::screens::volunteers::form::FormView;
use koppel::ui::session::{Session, SessionConfig};
use koppel::ui::theme::Theme;
use koppel::ui::view;
use koppel::ui::widgets::form::IntakeForm;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use time::macros::datetime;

struct Harness {
    session: Session,
    terminal: Terminal<TestBackend>,
    _dir: tempfile::TempDir,
}

fn harness(volunteers: usize, lang: Lang, w: u16, h: u16) -> Harness {
    harness_with(volunteers, lang, w, h, |_| {})
}

/// [`harness`], with `prepare` done to the store after the demo data and before the screens
/// load it.
fn harness_with(
    volunteers: usize,
    lang: Lang,
    w: u16,
    h: u16,
    prepare: impl FnOnce(&Store),
) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("demo-store")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let service = Service::new(store.clone(), clock, Config::default());
    let who = Account {
        name: "anouk".into(),
        role: Role::Intake,
    };
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    koppel::demo::fill(&service, &admin, volunteers, 42).unwrap();
    prepare(&store);
    let model = SharedModel::load_now(&store);
    let keymap = Arc::new(Keymap::shipped("default").unwrap());
    let config = SessionConfig {
        keymap,
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
    fn draw(&mut self) {
        let app = self.session.app();
        self.terminal.draw(|f| view::draw(f, app)).unwrap();
    }

    /// The open form, if the top view is one.
    fn form(&self) -> Option<&IntakeForm> {
        self.session.app().view::<FormView>().map(|v| &v.form)
    }

    fn form_mut(&mut self) -> &mut IntakeForm {
        &mut self
            .session
            .app_mut()
            .view_mut::<FormView>()
            .expect("a form is open")
            .form
    }

    /// The id of the person whose detail view is on top.
    fn detail_id(&self) -> Option<u64> {
        self.session
            .app()
            .view::<DetailView>()
            .map(|d| d.record.meta.id)
    }

    fn model(&self) -> std::sync::RwLockReadGuard<'_, koppel::readmodel::ReadModel> {
        self.session.app().model.read()
    }

    /// Feeds keys in notation (`"i<tab>Jansen<c-s>"`) and draws.
    fn keys(&mut self, keys: &str) -> &mut Self {
        for k in parse_keys(keys).unwrap() {
            self.session.handle(AppEvent::Key(k));
        }
        self.draw();
        self
    }

    /// Types literal text (every character a key).
    fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.session
                .handle(AppEvent::Key(crossterm::event::KeyEvent::from(
                    crossterm::event::KeyCode::Char(c),
                )));
        }
        self.draw();
        self
    }

    fn screen(&self) -> String {
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

    fn resize(&mut self, w: u16, h: u16) {
        self.terminal.backend_mut().resize(w, h);
        self.session.handle(AppEvent::Resize(w, h));
        self.draw();
    }
}

#[test]
fn starts_on_volunteers_with_the_five_groups() {
    let h = harness(30, Lang::Nl, 80, 24);
    let s = h.screen();
    for g in [
        "1 Vertalen",
        "2 Verbinden",
        "3 Versterken",
        "4 Verbreiden",
        "5 Verankeren",
    ] {
        assert!(s.contains(g), "{g} missing in\n{s}");
    }
    assert!(s.contains("Vrijwilligers"), "{s}");
    assert!(s.contains("30 van 30"), "{s}");
    insta::assert_snapshot!("volunteers_nl_80x24", s);
}

#[test]
fn groups_switch_with_digits_and_placeholders_say_what_the_function_covers() {
    let mut h = harness(5, Lang::En, 80, 24);
    // 5 Verankeren › Administration: the front desk is told why it sees no list.
    h.keys("5<tab><tab><tab>");
    let s = h.screen();
    assert!(s.contains("Administration"), "{s}");
    assert!(
        s.contains("Only coordinators and administrators see which records"),
        "{s}"
    );
    h.keys("3");
    assert!(h.screen().contains("Trajectories"), "{}", h.screen());
    h.keys("1");
    let s = h.screen();
    assert!(s.contains("By status"), "{s}");
    assert!(s.contains("Intakes per week"), "{s}");
    // 1 Vertalen › Targets is no placeholder any more: the list with its year filter.
    h.keys("<tab><tab>");
    let s = h.screen();
    assert!(s.contains("f years: all years"), "{s}");
    assert!(!s.contains("in a later version"), "{s}");
}

#[test]
fn register_an_intake_with_the_keyboard_alone() {
    let mut h = harness(10, Lang::En, 100, 30);
    h.keys("i");
    assert!(h.screen().contains("New intake"), "{}", h.screen());
    // Given name, prefix, family name, birth date, address, postcode, municipality, phone.
    h.text("Anouk")
        .keys("<tab>")
        .text("van den")
        .keys("<tab>")
        .text("Berg")
        .keys("<tab>");
    h.text("05-04-1999")
        .keys("<tab>")
        .text("Voorstraat 12")
        .keys("<tab>")
        .text("3311ab")
        .keys("<tab>");
    h.text("Dordrecht")
        .keys("<tab>")
        .text("078 - 770 85 00")
        .keys("<tab>");
    h.keys("<c-s>");
    // Consent is missing: the form says so and nothing is saved.
    let s = h.screen();
    assert!(s.contains("must consent"), "{s}");
    let before = h.model().volunteers().len();
    assert_eq!(before, 10);
    // Find the consent field and tick it.
    for _ in 0..40 {
        if h.form().map(|f| f.focused()) == Some(koppel::domain::Field::Consent) {
            break;
        }
        h.keys("<tab>");
    }
    h.keys("<space><c-s>");
    let s = h.screen();
    assert!(s.contains("Saved: Anouk van den Berg"), "{s}");
    assert!(s.contains("3311 AB"), "{s}");
    assert_eq!(h.model().volunteers().len(), 11);
}

#[test]
fn a_bad_postcode_is_reported_when_the_field_is_left() {
    let mut h = harness(3, Lang::Nl, 100, 30);
    h.keys("i");
    for _ in 0..5 {
        h.keys("<tab>");
    }
    h.text("33 AB").keys("<tab>");
    let s = h.screen();
    assert!(s.contains("schrijf de postcode als 1234 AB"), "{s}");
}

#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    let mut h = harness(3, Lang::En, 80, 24);
    h.keys("i").text("Piet").keys("<esc>");
    assert!(h.screen().contains("lose your changes"), "{}", h.screen());
    h.keys("n");
    assert!(h.form().is_some());
    h.keys("<esc>y");
    assert!(h.form().is_none());
    // q types into a form and never quits it.
    h.keys("i").text("q");
    assert!(!h.session.quit());
}

#[test]
fn search_filters_as_you_type_and_opens_the_person() {
    let mut h = harness(200, Lang::En, 100, 30);
    let (family, id) = {
        let m = h.model();
        let r = &m.volunteers()[57];
        (r.filed.split(',').next().unwrap().to_string(), r.id)
    };
    let fragment: String = family.chars().take(5).collect();
    h.keys("/").text(&fragment);
    let s = h.screen();
    assert!(s.contains(&family), "{fragment}: {s}");
    h.keys("<enter>");
    let opened = h
        .session
        .app()
        .view::<DetailView>()
        .map(|d| d.record.data.name.family.clone());
    assert!(
        opened.is_some_and(|f| f.to_lowercase().contains(&fragment.to_lowercase())),
        "{id}"
    );
}

#[test]
fn ctrl_f_finds_anyone_from_anywhere() {
    let mut h = harness(50, Lang::Nl, 80, 24);
    let (filed, id) = {
        let m = h.model();
        let r = &m.volunteers()[20];
        (r.filed.clone(), r.id)
    };
    let family = filed.split(',').next().unwrap().to_string();
    h.keys("5<c-f>").text(&filed.replace(',', ""));
    assert!(h.screen().contains(&family), "{}", h.screen());
    h.keys("<enter>");
    assert_eq!(h.detail_id(), Some(id));
}

#[test]
fn help_and_palette_come_from_the_keymap() {
    let mut h = harness(3, Lang::En, 100, 30);
    h.keys("?");
    let s = h.screen();
    // Only the overlay says what the group column's letters mean, and what Ctrl+F does.
    assert!(
        s.contains("Y = Young people (up to 27) · S = Seniors (55+)"),
        "{s}"
    );
    h.text("anywhere");
    let s = h.screen();
    assert!(s.contains("Find a person, from anywhere"), "{s}");
    h.keys("<esc>:").text("new intake").keys("<enter>");
    assert!(h.form().is_some(), "{}", h.screen());
}

#[test]
fn status_changes_follow_the_pipeline() {
    let mut h = harness(20, Lang::En, 100, 30);
    // Volunteers is the screen koppel starts on.
    h.keys("<home><enter>s");
    let s = h.screen();
    assert!(s.contains("Change status"), "{s}");
    h.keys("<enter>");
    let s = h.screen();
    assert!(s.contains(" is now: "), "{s}");
}

#[test]
fn tiny_terminals_get_a_message_and_resizing_works() {
    let mut h = harness(3, Lang::En, 80, 24);
    h.resize(40, 10);
    assert!(h.screen().contains("Enlarge the window"), "{}", h.screen());
    h.resize(1, 1);
    h.resize(0, 0);
    h.resize(80, 24);
    assert!(h.screen().contains("2 Verbinden"), "{}", h.screen());
}

#[test]
fn the_overview_counts_from_the_read_model() {
    let mut h = harness(100, Lang::En, 120, 40);
    h.keys("1");
    let s = h.screen();
    assert!(s.contains("Total"), "{s}");
    assert!(s.contains("100"), "{s}");
    insta::assert_snapshot!("overview_en_120x40", s);
}

/// A registered person from the demo data, as the form would be filled for them.
fn fill_form_like(h: &mut Harness, id: u64) {
    let v = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap()
        .data;
    h.keys("i");
    h.text(&v.name.given)
        .keys("<tab>")
        .text(&v.name.prefix)
        .keys("<tab>");
    h.text(&v.name.family).keys("<tab>");
    h.text(&koppel::domain::format_date(v.birth_date))
        .keys("<tab>");
    h.text("Nieuwe straat 1")
        .keys("<tab>")
        .text("3311 AB")
        .keys("<tab>");
    h.text("Dordrecht")
        .keys("<tab>")
        .text("0612340000")
        .keys("<tab>");
    h.form_mut().focus(koppel::domain::Field::Consent);
    h.keys("<space>");
}

#[test]
fn a_likely_duplicate_is_shown_before_saving() {
    let mut h = harness(40, Lang::En, 100, 30);
    let id = h.model().volunteers()[3].id;
    let before = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap()
        .data;
    fill_form_like(&mut h, id);
    h.keys("<c-s>");
    let s = h.screen();
    assert!(s.contains("Possibly already registered"), "{s}");
    assert!(s.contains("same name and date of birth"), "{s}");
    assert_eq!(h.model().volunteers().len(), 40, "nothing saved yet");
    // Open the existing person instead: their edit form, with what was typed for the new
    // intake (a new address and phone) carried into it; nothing is saved yet.
    h.keys("<enter>");
    let form = h.form().expect("the existing person's form");
    assert!(
        matches!(form.mode(), koppel::ui::widgets::form::FormMode::Edit { id: i, .. } if i == id)
    );
    assert_eq!(form.draft().address, "Nieuwe straat 1");
    assert!(form.is_dirty());
    let s = h.screen();
    assert!(s.contains("form now holds the new details: "), "{s}");
    assert!(s.contains("saves."), "the whole message shows: {s}");
    // Left empty in the intake: not carried over.
    assert!(
        !s.contains("Hours per week, ") && !s.contains("Hours per week."),
        "{s}"
    );
    assert_eq!(h.model().volunteers().len(), 40);
    // Saving puts them on the existing person, without a second registration.
    h.keys("<c-s>");
    let stored = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.data.address, "Nieuwe straat 1");
    assert_eq!(stored.data.phone, "0612340000");
    assert_eq!(stored.data.hours_per_week, before.hours_per_week);
    assert_eq!(stored.data.email, before.email);
    assert_eq!(h.model().volunteers().len(), 40);
    // Same again, but save anyway.
    fill_form_like(&mut h, id);
    h.keys("<c-s>y");
    assert!(h.screen().contains("Saved:"), "{}", h.screen());
    assert_eq!(h.model().volunteers().len(), 41);
}

#[test]
fn a_conflicting_save_keeps_the_input_and_says_what_happened() {
    let mut h = harness(10, Lang::En, 100, 30);
    let id = h.model().volunteers()[0].id;
    h.keys("<enter>e");
    assert!(h.form().is_some());
    // Someone else saves the same person meanwhile.
    let other = Account {
        name: "bram".into(),
        role: Role::Coordinator,
    };
    let current = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap();
    let mut changed = current.data.clone();
    changed.notes = "Belt terug op maandag.".into();
    h.session
        .service()
        .update_volunteer(&other, id, current.meta.revision, changed)
        .unwrap();
    // Our edit: the given name.
    h.form_mut().focus(koppel::domain::Field::Skills);
    h.text(" Portugees");
    h.keys("<c-s>");
    let s = h.screen();
    assert!(
        s.contains("bram saved this person at 27-11-2026 10:30"),
        "{s}"
    );
    let form = h.form().expect("the form stays open");
    assert!(form.draft().skills.ends_with("Portugees"), "input kept");
    assert_eq!(
        form.draft().notes,
        "Belt terug op maandag.",
        "their change is in"
    );
    // Nothing of ours was written over theirs.
    let stored = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.data.notes, "Belt terug op maandag.");
    assert!(!stored.data.skills.contains("Portugees"));
    // Esc would now lose input: it asks.
    h.keys("<esc>");
    assert!(h.screen().contains("lose your changes"), "{}", h.screen());
    h.keys("<enter>");
    assert!(h.form().is_some(), "Enter keeps the form");
    // Saving again keeps both changes.
    h.keys("<c-s>");
    assert!(h.screen().contains("Saved:"), "{}", h.screen());
    let stored = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.data.notes, "Belt terug op maandag.");
    assert!(stored.data.skills.ends_with("Portugees"));
}

#[test]
fn errors_are_red_in_colour_and_marked_without_colour() {
    let mut h = harness(3, Lang::En, 100, 30);
    h.session.app_mut().env.theme = Theme::color();
    h.keys("i<c-s>");
    let buf = h.terminal.backend().buffer().clone();
    let (mut marked, mut red) = (false, false);
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if cell.symbol() == "✗" {
                marked = true;
                red |= cell.fg == ratatui::style::Color::Red;
            }
        }
    }
    assert!(marked && red, "errors carry both a marker and colour");
    h.session.app_mut().env.theme = Theme::mono();
    h.draw();
    let buf = h.terminal.backend().buffer();
    let any_colour = (0..buf.area.height)
        .any(|y| (0..buf.area.width).any(|x| buf[(x, y)].fg != ratatui::style::Color::Reset));
    assert!(!any_colour, "NO_COLOR theme uses no colours");
    assert!(h.screen().contains('✗'));
}

#[test]
fn quick_filters_narrow_the_list() {
    let mut h = harness(120, Lang::En, 100, 30);
    let placed = h
        .model()
        .volunteers()
        .iter()
        .filter(|r| r.status == koppel::domain::Status::Placed)
        .count();
    // f cycles: all → New → Intake held → Being matched → Placed.
    h.keys("ffff");
    let s = h.screen();
    assert!(s.contains("status: Placed"), "{s}");
    assert!(s.contains(&format!("{placed} of 120")), "{s}");
    h.keys("x");
    assert!(h.screen().contains("120 of 120"));
}

#[test]
fn arrow_keys_move_in_the_status_picker() {
    let mut h = harness(30, Lang::En, 100, 30);
    // Find someone being matched: three choices (placed, intake held, inactive).
    let pos = h
        .model()
        .volunteers()
        .iter()
        .position(|r| r.status == koppel::domain::Status::BeingMatched)
        .expect("someone being matched in the demo data");
    h.keys("<home>");
    for _ in 0..pos {
        h.keys("<down>");
    }
    h.keys("s<down><down><enter>");
    assert!(h.screen().contains("is now: Inactive"), "{}", h.screen());
}

/// The search box and the find box edit like every other text input (`ui::textedit`):
/// Ctrl+W deletes a word, Ctrl+U the text before the cursor.
#[test]
fn ctrl_w_and_ctrl_u_edit_the_search_and_find_boxes() {
    let mut h = harness(20, Lang::En, 100, 30);
    let family = {
        let m = h.model();
        m.volunteers()[0]
            .filed
            .split(',')
            .next()
            .unwrap()
            .to_string()
    };
    h.keys("/").text("qqqqzzzz");
    assert!(!h.screen().contains(&family), "{}", h.screen());
    h.keys("<c-u>");
    assert!(h.screen().contains(&family), "{}", h.screen());

    h.keys("<esc><c-f>").text("jan de vries");
    h.keys("<c-w>");
    let typed = |h: &Harness| match h.session.app().modal::<koppel::ui::modal::FindModal>() {
        Some(f) => f.input.value().to_string(),
        None => panic!("the find box is open"),
    };
    assert_eq!(typed(&h), "jan de ");
    h.keys("<c-u>");
    assert_eq!(typed(&h), "");
}

/// A left click at `column`, `row`.
fn click(h: &mut Harness, column: u16, row: u16) {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    h.session.handle(AppEvent::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
    h.draw();
}

/// The id selected in the Volunteers list.
fn volunteers_selected(h: &Harness) -> Option<u64> {
    use koppel::ui::screens::ScreenId;
    use koppel::ui::screens::volunteers::VolunteerList;
    let list = h
        .session
        .app()
        .screen_component(ScreenId::Volunteers)
        .as_any()
        .downcast_ref::<VolunteerList>()
        .expect("the Volunteers screen is a volunteer list");
    list.table.selected_id(&h.model())
}

/// Esc while typing a search stops the search only; the status filter chosen before stays.
/// A second Esc clears the quick filters.
#[test]
fn esc_while_typing_a_search_keeps_the_quick_filters() {
    let mut h = harness(120, Lang::En, 100, 30);
    h.keys("ffff/").text("a").keys("<esc>");
    let s = h.screen();
    assert!(s.contains("status: Placed"), "{s}");
    assert!(!s.contains("120 of 120"), "{s}");
    h.keys("<esc>");
    assert!(h.screen().contains("120 of 120"), "{}", h.screen());
}

/// The group tabs answer a click also while the list's search is being typed into.
#[test]
fn a_click_on_a_group_tab_works_while_typing_a_search() {
    let mut h = harness(20, Lang::En, 100, 30);
    h.keys("/").text("a");
    click(&mut h, 2, 0);
    assert_eq!(
        h.session.app().group,
        koppel::ui::screens::Group::Vertalen,
        "{}",
        h.screen()
    );
    assert!(h.screen().contains("By status"), "{}", h.screen());
    // Over a form the tabs do not take clicks: the form stays.
    h.keys("i").text("Piet");
    click(&mut h, 30, 0);
    assert!(h.form().is_some(), "{}", h.screen());
    assert_eq!(h.session.app().group, koppel::ui::screens::Group::Vertalen);
}

/// One find box, palette or help at a time: Ctrl+F twice needs one Esc, and F1 in the
/// palette swaps it for help (one Esc closes everything).
#[test]
fn ctrl_f_twice_or_f1_in_the_palette_leave_one_overlay() {
    let mut h = harness(20, Lang::En, 100, 30);
    h.keys("<c-f><c-f><esc>");
    assert!(!h.session.app().has_modal(), "{}", h.screen());
    h.keys(":<c-p><esc>");
    assert!(!h.session.app().has_modal(), "{}", h.screen());
    h.keys(":<f1>");
    assert!(
        h.session
            .app()
            .modal::<koppel::ui::modal::HelpModal>()
            .is_some()
    );
    h.keys("<esc>");
    assert!(!h.session.app().has_modal(), "{}", h.screen());
    // A question below them stays: F1 over "discard changes?" and Esc returns to it.
    h.keys("i").text("Piet").keys("<esc><f1><esc>");
    assert!(h.screen().contains("lose your changes"), "{}", h.screen());
}

/// A status change made in the detail view shows in that view (it is read again).
#[test]
fn a_status_change_shows_in_the_open_detail() {
    let mut h = harness(20, Lang::En, 100, 30);
    h.keys("<home><enter>");
    let before = h.session.app().view::<DetailView>().unwrap().record.clone();
    h.keys("s<enter>");
    let after = &h.session.app().view::<DetailView>().unwrap().record;
    assert_eq!(after.meta.id, before.meta.id);
    assert_ne!(after.data.status, before.data.status, "{}", h.screen());
}

/// After saving, Esc from the saved person's detail lands on them in the list.
#[test]
fn after_saving_the_list_selects_the_saved_person() {
    let mut h = harness(20, Lang::En, 100, 30);
    let id = h.model().volunteers()[3].id;
    h.keys("<end>");
    fill_form_like(&mut h, id);
    h.keys("<c-s>y");
    let saved = h.detail_id().expect("the saved person is shown");
    assert_ne!(saved, id);
    h.keys("<esc>");
    assert_eq!(volunteers_selected(&h), Some(saved), "{}", h.screen());
}

/// The palette and help run what they show, from a detail view too; Esc from the form they
/// opened returns to the detail.
#[test]
fn palette_and_help_run_actions_from_a_detail() {
    let mut h = harness(20, Lang::En, 100, 30);
    h.keys("<enter>");
    let id = h.detail_id().unwrap();
    h.keys(":").text("new intake").keys("<enter>");
    assert!(h.form().is_some(), "{}", h.screen());
    h.keys("<esc>");
    assert_eq!(h.detail_id(), Some(id), "{}", h.screen());
    h.keys("<f1>").text("edit").keys("<enter>");
    assert!(h.form().is_some(), "{}", h.screen());
    h.keys("<esc>:").text("quit").keys("<enter>");
    assert!(h.session.quit());
}

/// Ctrl+C twice with a changed form asks once: one "no" goes back to the form.
#[test]
fn ctrl_c_twice_with_changes_asks_once() {
    let mut h = harness(3, Lang::En, 80, 24);
    h.keys("i").text("Piet").keys("<c-c><c-c>");
    assert!(h.screen().contains("lose the changes"), "{}", h.screen());
    h.keys("n");
    assert!(!h.session.app().has_modal(), "{}", h.screen());
    assert!(h.form().is_some_and(|f| f.draft().given_name == "Piet"));
    assert!(!h.session.quit());
}

/// The list's own format ("Jansen, Jan"), the spoken order ("Jan Jansen") and prefixes of both
/// put the person first; a phone number typed with spaces and dashes and a birth date as
/// dd-mm-jjjj find the person too.
#[test]
fn search_finds_a_person_as_staff_type_them() {
    let mut h = harness(300, Lang::En, 100, 30);
    let (id, filed, full, family, given) = {
        let m = h.model();
        let r = m
            .volunteers()
            .iter()
            .find(|r| r.filed.matches(' ').count() == 1)
            .expect("someone without a tussenvoegsel")
            .clone();
        let (family, given) = r.filed.split_once(", ").unwrap();
        (
            r.id,
            r.filed.clone(),
            format!("{given} {family}"),
            family.to_string(),
            given.to_string(),
        )
    };
    let selected = |h: &Harness| {
        h.screen()
            .lines()
            .find(|l| l.starts_with("▶ "))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let short = format!(
        "{}, {}",
        family.chars().take(4).collect::<String>(),
        given.chars().take(1).collect::<String>()
    );
    for q in [filed.clone(), full, short] {
        h.keys("<esc>/").text(&q);
        assert!(selected(&h).contains(&filed), "{q}: {}", h.screen());
    }
    let v = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap()
        .data;
    let digits = v.phone.clone();
    let spaced = format!("{}-{} {}", &digits[..2], &digits[2..6], &digits[6..]);
    let born = koppel::domain::format_date(v.birth_date);
    for q in [spaced, born] {
        h.keys("<esc>/").text(&q);
        assert!(selected(&h).contains(&filed), "{q}: {}", h.screen());
    }
}

/// The list tells people with the same name apart by their birth date, and help explains the
/// group letters, in Dutch too.
#[test]
fn the_list_shows_birth_dates_and_help_explains_the_group_letters_in_dutch() {
    let mut h = harness(30, Lang::Nl, 80, 24);
    let born = {
        let m = h.model();
        koppel::domain::format_date(m.volunteers()[0].birth_date)
    };
    let s = h.screen();
    assert!(s.contains("Geboren"), "{s}");
    let first = s.lines().find(|l| l.starts_with("▶ ")).unwrap_or_default();
    assert!(first.contains(&born), "{s}");
    h.keys("?");
    let s = h.screen();
    assert!(s.contains("J = Jongeren (t/m 27)"), "{s}");
    assert!(s.contains("K = Kwetsbare inwoners"), "{s}");
}

/// The find box says what Esc does there, and Esc does it.
#[test]
fn the_find_box_hint_and_esc_agree() {
    for (lang, says) in [(Lang::En, "Esc closes"), (Lang::Nl, "Esc sluit")] {
        let mut h = harness(5, lang, 80, 24);
        h.keys("<c-f>").text("zzzzqq");
        let s = h.screen();
        assert!(s.contains(says), "{s}");
        h.keys("<esc>");
        assert!(!h.session.app().has_modal(), "{}", h.screen());
    }
}

/// The Dutch duplicates dialog at 80×24 shows its whole hint, wrapped, and `j` saves anyway.
#[test]
fn the_dutch_duplicates_dialog_fits_80x24() {
    let mut h = harness(40, Lang::Nl, 80, 24);
    let id = h.model().volunteers()[3].id;
    fill_form_like(&mut h, id);
    h.keys("<c-s>");
    let s = h.screen();
    assert!(s.contains("Mogelijk al ingeschreven"), "{s}");
    assert!(s.contains("Esc terug"), "{s}");
    assert!(s.contains("j toch als nieuw opslaan"), "{s}");
    // The bottom bar shows the Dutch key for yes (y works too).
    assert!(s.contains("j ja") && !s.contains("y ja"), "{s}");
    h.keys("j");
    assert_eq!(h.model().volunteers().len(), 41, "{}", h.screen());
}

/// Ctrl+F from a form with typed input, then Enter on a person: the person opens on top, the
/// message says the form is kept, and Esc goes back to it with the input.
#[test]
fn finding_someone_from_an_open_form_keeps_the_form() {
    for (lang, kept) in [
        (Lang::En, "Your form is kept"),
        (Lang::Nl, "Je formulier blijft"),
    ] {
        let mut h = harness(20, lang, 80, 24);
        let (filed, id) = {
            let m = h.model();
            (m.volunteers()[5].filed.clone(), m.volunteers()[5].id)
        };
        h.keys("i").text("Fatima");
        h.keys("<c-f>")
            .text(&filed.replace(',', ""))
            .keys("<enter>");
        assert_eq!(h.detail_id(), Some(id), "{}", h.screen());
        assert!(h.screen().contains(kept), "{}", h.screen());
        h.keys("<esc>");
        let form = h.form().expect("the form is back");
        assert_eq!(form.draft().given_name, "Fatima");
    }
}

/// Every municipality's count is on the overview at 120×40, or the last line says how many
/// more there are with their count: the column always adds up to the total.
#[test]
fn the_municipality_counts_add_up_to_the_total() {
    for (w, hgt, lang) in [(120, 40, Lang::En), (80, 24, Lang::Nl), (60, 16, Lang::En)] {
        let mut h = harness(150, lang, w, hgt);
        h.keys("1");
        let s = h.screen();
        let stats = koppel::readmodel::stats::OverviewStats::compute(
            &h.model(),
            time::macros::date!(2026 - 11 - 27),
        );
        let munis = &stats.by_municipality;
        // Long names may be cut with "…" (never their numbers): look for their start.
        let shown: Vec<&(String, usize)> = munis
            .iter()
            .filter(|(m, _)| s.contains(&m.chars().take(8).collect::<String>()))
            .collect();
        if w == 120 {
            assert_eq!(shown.len(), munis.len(), "{s}");
        }
        if shown.len() < munis.len() {
            let rest: usize = munis.iter().skip(shown.len()).map(|(_, n)| n).sum();
            let more = format!("+{} ", munis.len() - shown.len());
            let line = s
                .lines()
                .find(|l| l.contains(&more))
                .unwrap_or_else(|| panic!("{s}"));
            assert!(line.contains(&rest.to_string()), "{line}");
        }
    }
}

/// Numbers on the overview are never cut, even at 60×16: the total keeps every digit.
#[test]
fn overview_numbers_are_never_cut_on_a_small_terminal() {
    let mut h = harness(150, Lang::Nl, 60, 16);
    h.keys("1");
    let s = h.screen();
    let total = s
        .lines()
        .find(|l| l.contains("Totaal"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(total.contains(" 150"), "{s}");
    let stats = koppel::readmodel::stats::OverviewStats::compute(
        &h.model(),
        time::macros::date!(2026 - 11 - 27),
    );
    for (status, n) in &stats.by_status {
        let key = format!("status.{}", status.key());
        let name = koppel::i18n::t(Lang::Nl, &key);
        if let Some(line) = s.lines().find(|l| l.contains(name)) {
            assert!(line.contains(&format!(" {n}")), "{name}: {s}");
        }
    }
}

/// The detail view: hours left empty show as a dash, not 0, and a long value (the consent)
/// continues under itself, not at the screen's edge.
#[test]
fn detail_view_shows_empty_hours_as_a_dash_and_indents_long_values() {
    let mut h = harness(10, Lang::Nl, 70, 24);
    let id = h.model().volunteers()[0].id;
    let stored = h
        .session
        .service()
        .volunteer(h.session.who(), id)
        .unwrap()
        .unwrap();
    let mut v = stored.data.clone();
    v.hours_per_week = 0;
    v.consent.scope = koppel::domain::volunteer::ConsentScope::MatchingAndSharing;
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    h.session
        .service()
        .update_volunteer(&admin, id, stored.meta.revision, v)
        .unwrap();
    h.keys("<home><enter>");
    let s = h.screen();
    let hours = s
        .lines()
        .find(|l| l.starts_with("Uren per week"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(hours.trim_end().ends_with('—'), "{s}");
    let lines: Vec<&str> = s.lines().collect();
    let consent = lines
        .iter()
        .position(|l| l.starts_with("Toestemming"))
        .unwrap_or_else(|| panic!("{s}"));
    let next = lines[consent + 1];
    assert!(
        next.starts_with(&" ".repeat(24)) && next.contains("organisaties"),
        "{s}"
    );
}

/// Saving an empty intake says so in one sentence that fits at 80×24, with a real plural.
#[test]
fn the_save_error_summary_fits_80x24_in_both_languages() {
    for (lang, says) in [
        (Lang::En, "fields need putting right, starting with "),
        (Lang::Nl, "velden kloppen nog niet, te beginnen met "),
    ] {
        let mut h = harness(3, lang, 80, 24);
        h.keys("i<c-s>");
        let s = h.screen();
        let line = s
            .lines()
            .find(|l| l.contains(says))
            .unwrap_or_else(|| panic!("{s}"));
        assert!(line.trim_end().ends_with('.'), "{s}");
    }
}

/// Help and the palette offer only what works: on the Intakes queue no status filter; in a list
/// no form actions; a palette entry naming a screen goes to that screen.
#[test]
fn help_and_palette_offer_only_what_works_here() {
    let mut h = harness(20, Lang::En, 100, 30);
    h.keys("?").text("filter by status");
    assert!(h.screen().contains("Filter by status"), "{}", h.screen());
    h.keys("<esc>:").text("save the form");
    assert!(!h.screen().contains("Save the form"), "{}", h.screen());
    // The palette names screens and goes to them.
    h.keys("<esc>:").text("intakes").keys("<enter>");
    assert_eq!(
        h.session.app().screen(),
        koppel::ui::screens::ScreenId::Intakes
    );
    h.keys("?").text("filter by status");
    assert!(!h.screen().contains("Filter by status"), "{}", h.screen());
    h.keys("<esc>:").text("caseload").keys("<enter>");
    assert_eq!(
        h.session.app().screen(),
        koppel::ui::screens::ScreenId::Caseloads
    );
}

/// The form's help names the keys the fields take themselves, in both languages.
#[test]
fn form_help_names_the_keys_of_the_fields() {
    for (lang, says) in [
        (Lang::En, "Space ticks a box"),
        (Lang::Nl, "spatie zet een vinkje"),
    ] {
        let mut h = harness(3, lang, 80, 24);
        h.keys("i<f1>");
        let s = h.screen();
        assert!(s.contains(says), "{s}");
        assert!(s.contains("Ctrl+U"), "{s}");
    }
}

/// A stored record that no longer decodes is left out of the lists, the rest stay listed, and
/// the screens say so once, pointing at `koppel check`. (Placements are listed from their
/// records; volunteers from their summaries, so a damaged volunteer stays listed and says
/// so when opened.)
#[test]
fn a_record_that_cannot_be_read_is_left_out_and_the_screens_say_so() {
    let whole = harness(20, Lang::En, 120, 30).model().placements().len();
    assert!(whole > 1);
    for (lang, warning) in [
        (Lang::En, "1 stored record cannot be read"),
        (Lang::Nl, "1 opgeslagen record is niet te lezen"),
    ] {
        let h = harness_with(20, lang, 120, 30, |store| {
            store
                .put_raw_for_tests(koppel::store::Kind::Placement, 1, b"no longer a record")
                .unwrap();
        });
        let screen = h.screen();
        assert!(screen.contains(warning), "{screen}");
        assert!(screen.contains("koppel check"), "{screen}");
        assert_eq!(h.model().placements().len(), whole - 1);
    }
}
