//! Tests of the intake form, driven by keys and read from the drawn buffer.

use super::*;
use crate::domain::volunteer::{Availability, Rules, Vog, VogState, ZUID_HOLLAND_ZUID};
use crate::domain::{
    Consent, ConsentScope, FoundVia, Interest, PersonName, Status, VolunteerDraft,
};
use crate::i18n::field_label;
use crate::ui::theme::Theme;
use crossterm::event::{KeyEventState, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use time::macros::date;

fn rules() -> Rules {
    Rules {
        municipalities: ZUID_HOLLAND_ZUID.iter().map(|s| s.to_string()).collect(),
        today: date!(2026 - 11 - 27),
    }
}

/// Turns `"Jansen<tab><c-s>"` into key events. Tokens: `<tab>`, `<s-tab>`, `<enter>`, `<bs>`,
/// `<del>`, `<esc>`, `<left>`, `<right>`, `<up>`, `<down>`, `<home>`, `<end>`, `<lt>` (a `<`),
/// `<c-x>` (Ctrl+x), `<c-left>`, `<c-right>`. Anything else is a typed character.
fn keys(s: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let token = &rest[1..end];
            rest = &rest[end + 1..];
            let none = KeyModifiers::NONE;
            let ctrl = KeyModifiers::CONTROL;
            let (code, mods) = match token {
                "tab" => (KeyCode::Tab, none),
                "s-tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "enter" => (KeyCode::Enter, none),
                "bs" => (KeyCode::Backspace, none),
                "del" => (KeyCode::Delete, none),
                "esc" => (KeyCode::Esc, none),
                "left" => (KeyCode::Left, none),
                "right" => (KeyCode::Right, none),
                "up" => (KeyCode::Up, none),
                "down" => (KeyCode::Down, none),
                "home" => (KeyCode::Home, none),
                "end" => (KeyCode::End, none),
                "lt" => (KeyCode::Char('<'), none),
                "c-left" => (KeyCode::Left, ctrl),
                "c-right" => (KeyCode::Right, ctrl),
                t if t.starts_with("c-") && t.chars().count() == 3 => {
                    (KeyCode::Char(t.chars().nth(2).unwrap()), ctrl)
                }
                t => panic!("unknown key token <{t}>"),
            };
            out.push(KeyEvent::new(code, mods));
        } else {
            let mods = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            out.push(KeyEvent::new(KeyCode::Char(c), mods));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Feeds keys the way the app does: first to the form, then what it leaves to a minimal
/// keymap (Tab/Down: next field, Shift+Tab/Up: previous field, Ctrl+S: save). Returns the
/// result of the last save, if any.
fn drive<K: FormKind>(form: &mut Form<K>, s: &str) -> Option<Result<K::Output, ()>> {
    let mut saved = None;
    for key in keys(s) {
        if form.handle_key(key) {
            continue;
        }
        match (key.code, key.modifiers) {
            (KeyCode::Tab | KeyCode::Down, _) => form.next_field(),
            (KeyCode::BackTab | KeyCode::Up, _) => form.prev_field(),
            (KeyCode::Char('s'), KeyModifiers::CONTROL) => saved = Some(form.validate_all()),
            _ => {}
        }
    }
    saved
}

fn render<K: FormKind>(form: &Form<K>, w: u16, h: u16, lang: Lang) -> Buffer {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    form.render(area, &mut buf, &Theme::color(), lang);
    buf
}

fn lines(buf: &Buffer) -> Vec<String> {
    let a = buf.area;
    (a.top()..a.bottom())
        .map(|y| {
            (a.left()..a.right())
                .map(|x| buf.cell((x, y)).map_or(" ", |c| c.symbol()))
                .collect()
        })
        .collect()
}

fn screen<K: FormKind>(form: &Form<K>, w: u16, h: u16, lang: Lang) -> String {
    lines(&render(form, w, h, lang)).join("\n")
}

/// Tabs from the first field to `field`.
fn tab_to(form: &mut IntakeForm, field: Field) {
    for _ in 0..Field::ALL.len() {
        if form.focused() == field {
            return;
        }
        form.next_field();
    }
    panic!("{field:?} is not reachable with Tab");
}

/// Fills everything a valid intake needs except what `skip` names, by keys.
fn fill_valid(form: &mut IntakeForm) {
    drive(
        form,
        "Anouk<tab>van den<tab>Berg<tab>05-04-1999<tab>Voorstraat 12<tab>3311ab<tab>\
         Dordrecht<tab>078 - 770 85 00<tab>anouk@example.nl",
    );
}

#[test]
fn a_whole_intake_is_filled_with_keys_alone() {
    let mut form = IntakeForm::new_intake(rules());
    let saved = drive(
        &mut form,
        "Anouk<tab>van den<tab>Berg<tab>05-04-1999<tab>Voorstraat 12<tab>3311ab<tab>\
         dor<tab><tab>078 - 770 85 00<tab>anouk@example.nl<tab> \
         <right> <tab>koken, rijbewijs<tab> \
         <right><right> <down><down> <tab>4<tab>\
         Ik wil iets doen<enter>voor een ander.<tab>\
         <right><tab><right><right><tab>01-11-2026<tab> \
         <tab><tab><right><tab><tab> <tab>Belt liever na 17 uur.<c-s>",
    );
    let v = saved
        .expect("saved")
        .unwrap_or_else(|()| panic!("{:?}", form.errors()));
    assert_eq!(v.name, PersonName::new("Anouk", "van den", "Berg"));
    assert_eq!(v.birth_date, date!(1999 - 04 - 05));
    assert_eq!(v.address, "Voorstraat 12");
    assert_eq!(v.postcode, "3311 AB");
    assert_eq!(v.municipality, "Dordrecht");
    assert_eq!(v.phone, "0787708500");
    assert_eq!(v.email, "anouk@example.nl");
    assert_eq!(v.interests, vec![Interest::Care, Interest::Sport]);
    assert_eq!(v.skills, "koken, rijbewijs");
    let mut want = Availability::default();
    want.set(0, Daypart::Morning, true);
    want.set(2, Daypart::Morning, true);
    want.set(2, Daypart::Evening, true);
    assert_eq!(v.availability, want);
    assert_eq!(v.hours_per_week, 4);
    assert_eq!(v.motivation, "Ik wil iets doen\nvoor een ander.");
    assert_eq!(v.found_via, FoundVia::Website);
    assert_eq!(
        v.vog,
        Vog::Requested {
            requested: date!(2026 - 11 - 01)
        }
    );
    assert_eq!(
        v.consent,
        Consent {
            given_on: date!(2026 - 11 - 27),
            scope: ConsentScope::MatchingAndSharing
        }
    );
    assert_eq!(v.status, Status::New);
    assert_eq!(v.intake_date, date!(2026 - 11 - 27));
    assert!(v.vulnerable);
    assert_eq!(v.notes, "Belt liever na 17 uur.");
    assert!(form.errors().is_empty());
    assert!(form.is_dirty());
}

#[test]
fn printable_keys_are_text_in_text_fields() {
    let mut form = IntakeForm::new_intake(rules());
    for key in keys("q1i?/:n") {
        assert!(form.handle_key(key), "{key:?} must be typed text");
    }
    assert_eq!(form.draft().given_name, "q1i?/:n");
    // Editing keys are used too, the keymap's keys are not.
    for key in keys("<left><c-left><home><end><bs><del><c-w><c-u>") {
        assert!(form.handle_key(key), "{key:?}");
    }
    assert_eq!(form.draft().given_name, "");
    for key in keys("<tab><esc><c-s><enter><up><down>") {
        assert!(!form.handle_key(key), "{key:?} belongs to the keymap");
    }
}

#[test]
fn word_keys_edit_by_word() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Address);
    drive(&mut form, "Lange Voorstraat 12<c-w>");
    assert_eq!(form.draft().address, "Lange Voorstraat ");
    drive(&mut form, "<c-left><c-left>Grote <end>3");
    assert_eq!(form.draft().address, "Grote Lange Voorstraat 3");
}

#[test]
fn only_presses_and_repeats_count() {
    let mut form = IntakeForm::new_intake(rules());
    let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert!(!form.handle_key(release));
    let repeat = KeyEvent::new_with_kind_and_state(
        KeyCode::Char('y'),
        KeyModifiers::NONE,
        KeyEventKind::Repeat,
        KeyEventState::NONE,
    );
    assert!(form.handle_key(repeat));
    assert_eq!(form.draft().given_name, "y");
}

#[test]
fn leaving_a_bad_postcode_shows_the_problem_in_dutch_and_english() {
    let mut form = IntakeForm::new_intake(rules());
    drive(&mut form, "Anouk");
    form.focus(Field::Postcode);
    drive(&mut form, "33 AB");
    assert!(
        !screen(&form, 80, 24, Lang::En).contains("postcode as"),
        "no error while typing"
    );
    drive(&mut form, "<tab>");
    assert_eq!(form.error_of(Field::Postcode), Some(&Problem::Postcode));

    let nl = screen(&form, 80, 24, Lang::Nl);
    assert!(nl.contains("✗ schrijf de postcode als 1234 AB."), "{nl}");
    assert!(nl.contains("✗ 1 fout"), "{nl}");
    let en = screen(&form, 80, 24, Lang::En);
    assert!(en.contains("✗ write the postcode as 1234 AB."), "{en}");
    assert!(en.contains("1 error"), "{en}");

    // The problem sits below the postcode field.
    let rows = lines(&render(&form, 80, 24, Lang::En));
    let label = rows
        .iter()
        .position(|l| l.contains("Postcode"))
        .expect("label");
    assert!(rows[label + 1].contains("✗ write the postcode"), "{rows:?}");

    // Fixing it and leaving again clears it.
    drive(&mut form, "<s-tab><c-u>3311 AB<tab>");
    assert_eq!(form.error_of(Field::Postcode), None);
    assert!(!screen(&form, 80, 24, Lang::En).contains("postcode as"));
}

#[test]
fn saving_without_consent_shows_every_error_and_focuses_consent() {
    let mut form = IntakeForm::new_intake(rules());
    fill_valid(&mut form);
    assert_eq!(drive(&mut form, "<c-s>"), Some(Err(())));
    assert_eq!(form.focused(), Field::Consent);
    assert_eq!(
        form.errors(),
        vec![FieldError::new(Field::Consent, Problem::ConsentMissing)]
    );
    let en = screen(&form, 80, 24, Lang::En);
    assert!(en.contains("✗ the person must consent"), "{en}");
    assert!(en.contains("▶ Consent (AVG)"), "{en}");
    let nl = screen(&form, 80, 24, Lang::Nl);
    assert!(nl.contains("✗ de persoon moet toestemming geven"), "{nl}");

    // Tick it and save again.
    assert!(form.handle_key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE)));
    assert!(form.validate_all().is_ok());
    assert!(form.errors().is_empty());
}

#[test]
fn saving_an_empty_form_reports_every_problem_at_once() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Notes);
    assert_eq!(form.validate_all(), Err(()));
    assert_eq!(form.focused(), Field::GivenName);
    let fields: Vec<Field> = form.errors().iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec![
            Field::GivenName,
            Field::FamilyName,
            Field::BirthDate,
            Field::Address,
            Field::Postcode,
            Field::Municipality,
            Field::Phone,
            Field::Consent
        ]
    );
    let nl = screen(&form, 80, 24, Lang::Nl);
    assert!(nl.contains("✗ 8 fouten"), "{nl}");
}

#[test]
fn the_availability_grid_toggles_the_slot_under_the_cursor() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Availability);
    drive(&mut form, "<right><right><down> ");
    let a = form.draft().availability;
    assert!(a.get(2, Daypart::Afternoon), "Wednesday afternoon");
    assert_eq!(a.count(), 1);
    // The grid reads without colour.
    let nl = screen(&form, 80, 24, Lang::Nl);
    let row = nl
        .lines()
        .find(|l| l.contains("Middag"))
        .expect("afternoon row");
    assert!(row.contains("·  ·  ■  ·  ·  ·  ·"), "{row}");
    assert!(nl.contains("ma di wo do vr za zo"), "{nl}");
    // Right stops at Sunday, Up leaves the grid only from the top row.
    drive(&mut form, "<right><right><right><right><right><right> ");
    assert!(form.draft().availability.get(6, Daypart::Afternoon));
    assert!(form.handle_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)));
    assert!(!form.handle_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)));
    drive(&mut form, "<down><down>");
    assert!(!form.handle_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)));
    assert_eq!(form.focused(), Field::Availability);
}

#[test]
fn interests_are_a_multi_select() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Interests);
    drive(
        &mut form,
        "<right><right> <left> <right><right><right><right><right><right><right> ",
    );
    assert_eq!(
        form.draft().interests,
        vec![Interest::Sport, Interest::Culture, Interest::Administration]
    );
    drive(&mut form, " ");
    assert_eq!(
        form.draft().interests,
        vec![Interest::Sport, Interest::Culture]
    );
    let nl = screen(&form, 80, 24, Lang::Nl);
    assert!(nl.contains("[ ] Zorg  [x] Sport  [x] Cultuur"), "{nl}");
    // All eight show, wrapping in a narrow area.
    let narrow = screen(&form, 40, 20, Lang::Nl);
    for word in [
        "Zorg",
        "Sport",
        "Cultuur",
        "Natuur",
        "Onderwijs",
        "Taalmaatje",
        "Vervoer",
        "Administratie",
    ] {
        assert!(narrow.contains(word), "{word} in\n{narrow}");
    }
}

#[test]
fn choices_cycle_with_left_right_and_space() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::FoundVia);
    assert_eq!(form.draft().found_via, FoundVia::Other);
    drive(&mut form, "<right>");
    assert_eq!(
        form.draft().found_via,
        FoundVia::Website,
        "wraps after the last"
    );
    drive(&mut form, "<left><left>");
    assert_eq!(form.draft().found_via, FoundVia::Organisation);
    drive(&mut form, " ");
    assert_eq!(form.draft().found_via, FoundVia::Other);
    assert!(screen(&form, 80, 24, Lang::En).contains("< Other >"));

    drive(&mut form, "<tab><left>");
    assert_eq!(form.draft().vog, VogState::Received);
    drive(&mut form, "<tab>");
    assert_eq!(form.focused(), Field::VogRequested);
    drive(&mut form, "<tab>");
    assert_eq!(form.focused(), Field::VogReceived);
}

#[test]
fn vog_dates_show_only_for_their_state_and_tab_follows() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Vog);
    assert!(!form.visible_fields().contains(&Field::VogRequested));
    drive(&mut form, "<tab>");
    assert_eq!(form.focused(), Field::Consent);
    drive(&mut form, "<s-tab><right><right>");
    assert_eq!(form.draft().vog, VogState::Requested);
    assert!(form.visible_fields().contains(&Field::VogRequested));
    assert!(!form.visible_fields().contains(&Field::VogReceived));
    drive(&mut form, "<tab>");
    assert!(screen(&form, 80, 24, Lang::En).contains("▶ VOG requested on"));
    drive(&mut form, "01-11-2026<tab>");
    assert_eq!(form.focused(), Field::Consent);
    // A date kept for a hidden field is not part of the draft.
    drive(&mut form, "<s-tab><s-tab><left><left>");
    assert_eq!(form.draft().vog, VogState::NotNeeded);
    assert_eq!(form.draft().vog_requested, "");
    drive(&mut form, "<right><right>");
    assert_eq!(
        form.draft().vog_requested,
        "01-11-2026",
        "kept while hidden"
    );
}

#[test]
fn checkboxes_toggle_with_space() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Vulnerable);
    assert!(!form.draft().vulnerable);
    drive(&mut form, " ");
    assert!(form.draft().vulnerable);
    assert!(screen(&form, 80, 24, Lang::Nl).contains("[x] kwetsbare inwoner"));
    assert!(!form.handle_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)));
    drive(&mut form, " ");
    assert!(!form.draft().vulnerable);
}

#[test]
fn dirty_compares_with_the_starting_draft() {
    let mut form = IntakeForm::new_intake(rules());
    assert!(!form.is_dirty());
    drive(&mut form, "A");
    assert!(form.is_dirty());
    drive(&mut form, "<bs>");
    assert!(!form.is_dirty(), "back to the starting draft");
    tab_to(&mut form, Field::Consent);
    drive(&mut form, " ");
    assert!(form.is_dirty());
    drive(&mut form, " ");
    assert!(!form.is_dirty());
}

#[test]
fn municipality_completes_with_tab_and_tab_moves_on_otherwise() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Municipality);
    drive(&mut form, "hend");
    assert_eq!(form.municipality_suggestion(), Some("Hendrik-Ido-Ambacht"));
    let en = screen(&form, 80, 24, Lang::En);
    assert!(
        en.contains("hendrik-Ido-Ambacht"),
        "suggestion shown inline:\n{en}"
    );
    assert!(en.contains("Tab: complete"));
    let tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE);
    assert!(form.handle_key(tab), "Tab completes");
    assert_eq!(form.draft().municipality, "Hendrik-Ido-Ambacht");
    assert!(
        !form.handle_key(tab),
        "nothing more to complete: Tab moves on"
    );

    // Unknown text: Tab is not consumed; a known name in other case is corrected on leaving.
    let mut other = IntakeForm::new_intake(rules());
    tab_to(&mut other, Field::Municipality);
    drive(&mut other, "Amsterdam");
    assert!(!other.handle_key(tab));
    other.next_field();
    assert_eq!(
        other.error_of(Field::Municipality),
        Some(&Problem::UnknownMunicipality)
    );
    drive(&mut other, "<s-tab><c-u>DORDRECHT<tab>");
    assert_eq!(other.draft().municipality, "Dordrecht");
    assert_eq!(other.error_of(Field::Municipality), None);
}

#[test]
fn multi_line_fields_take_enter_and_move_by_row() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Motivation);
    drive(&mut form, "een<enter>twee<enter>drie");
    assert_eq!(form.draft().motivation, "een\ntwee\ndrie");
    let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
    let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    assert!(!form.handle_key(down), "bottom row: Down leaves");
    assert!(form.handle_key(up));
    assert!(form.handle_key(up));
    assert!(!form.handle_key(up), "top row: Up leaves");
    drive(&mut form, "<end>!");
    assert_eq!(form.draft().motivation, "een!\ntwee\ndrie");
    let en = screen(&form, 80, 24, Lang::En);
    for line in ["een!", "twee", "drie"] {
        assert!(en.contains(line), "{line} in\n{en}");
    }
    // A single-line field leaves Enter to the keymap.
    tab_to(&mut form, Field::HoursPerWeek);
    assert!(!form.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
}

#[test]
fn a_number_that_looks_like_a_bsn_is_warned_about_beside_its_field_and_may_be_saved() {
    let mut form = IntakeForm::new_intake(rules());
    fill_valid(&mut form);
    tab_to(&mut form, Field::Notes);
    drive(&mut form, "Belde op 27-11, nummer 123456789");
    let warning = "looks like a citizen service number";
    assert!(!screen(&form, 80, 40, Lang::En).contains(warning));
    drive(&mut form, "<bs>2");
    let en = screen(&form, 80, 40, Lang::En);
    assert!(en.contains(&format!("⚠ This {warning}")), "{en}");
    let nl = screen(&form, 80, 40, Lang::Nl);
    assert!(nl.contains("lijkt een burgerservicenummer"), "{nl}");
    // Every text field of the form, not only notes.
    drive(&mut form, &"<bs>".repeat(40));
    tab_to(&mut form, Field::Skills);
    drive(&mut form, "111 222 333");
    assert!(screen(&form, 80, 40, Lang::En).contains(warning));
    // A warning, not an error: the intake can be saved.
    tab_to(&mut form, Field::Consent);
    drive(&mut form, " ");
    assert!(form.validate_all().is_ok());
}

#[test]
fn long_text_wraps_in_multi_line_fields_and_scrolls_in_one_line_fields() {
    let mut form = IntakeForm::new_intake(rules());
    let area = Rect::new(0, 0, 80, 24);
    tab_to(&mut form, Field::Address);
    let long = "Burgemeester de Raadtsingel 123 achter de kerk bij het plein aan de haven";
    drive(&mut form, long);
    let en = screen(&form, 80, 24, Lang::En);
    assert!(
        en.contains("aan de haven"),
        "the end shows while typing at the end:\n{en}"
    );
    assert!(
        !en.contains("Burgemeester"),
        "the start scrolled out:\n{en}"
    );
    let pos = form.cursor_position(area).expect("cursor");
    assert!(pos.x < 79, "{pos:?}");
    drive(&mut form, "<home>");
    assert!(screen(&form, 80, 24, Lang::En).contains("Burgemeester"));
    assert_eq!(form.cursor_position(area).map(|p| p.x), Some(20));

    tab_to(&mut form, Field::Motivation);
    let words = "woord ".repeat(20);
    drive(&mut form, &words);
    let en = screen(&form, 80, 24, Lang::En);
    let rows = en.lines().filter(|l| l.contains("woord")).count();
    assert_eq!(rows, 3, "wrapped over the field's rows:\n{en}");
    // Up moves within the wrapped paragraph instead of leaving the field.
    assert!(form.handle_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)));
    assert_eq!(form.focused(), Field::Motivation);
}

#[test]
fn paste_cleans_control_characters_and_line_breaks() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Address);
    assert!(form.handle_paste("Voorstraat\r\n12\u{7}"));
    assert_eq!(form.draft().address, "Voorstraat 12");
    tab_to(&mut form, Field::Notes);
    assert!(form.handle_paste("regel 1\r\nregel\t2\u{1b}"));
    assert_eq!(form.draft().notes, "regel 1\nregel 2");
    tab_to(&mut form, Field::Consent);
    assert!(!form.handle_paste("x"));
}

#[test]
fn renders_at_any_size_without_panic() {
    let mut form = IntakeForm::new_intake(rules());
    drive(&mut form, "Anouk<tab><tab><tab>99<tab>");
    form.set_errors(vec![FieldError::new(
        Field::Notes,
        Problem::TooLong { max: 3 },
    )]);
    let sizes = [0u16, 1, 2, 3, 4, 5, 7, 10, 13, 21, 40, 55, 80, 200];
    for field in form.visible_fields() {
        form.focus(field);
        for &w in &sizes {
            for h in [0u16, 1, 2, 3, 4, 6, 10, 24, 60] {
                for lang in [Lang::Nl, Lang::En] {
                    let area = Rect::new(0, 0, w, h);
                    let mut buf = Buffer::empty(area);
                    form.render(area, &mut buf, &Theme::mono(), lang);
                    if let Some(p) = form.cursor_position(area) {
                        assert!(area.contains(p), "{p:?} outside {area:?}");
                    }
                }
            }
        }
    }
    // An area that is not at the origin, partly outside the buffer.
    let mut buf = Buffer::empty(Rect::new(0, 0, 30, 10));
    form.render(
        Rect::new(20, 5, 40, 20),
        &mut buf,
        &Theme::color(),
        Lang::Nl,
    );
    // The common sizes show the header.
    assert!(screen(&form, 80, 24, Lang::Nl).starts_with("Nieuwe intake"));
    assert!(screen(&form, 40, 10, Lang::En).starts_with("New intake"));
    assert_eq!(screen(&form, 1, 1, Lang::En), "…");
}

#[test]
fn tabbing_to_the_last_field_scrolls_it_into_view() {
    let mut form = IntakeForm::new_intake(rules());
    let area = Rect::new(0, 0, 80, 24);
    let top = screen(&form, 80, 24, Lang::En);
    assert!(top.contains("▶ Given name"));
    assert!(!top.contains("Notes"), "the last field starts out of view");
    assert!(
        top.lines().any(|l| l.ends_with('▼')),
        "scroll indicator:\n{top}"
    );
    let count = form.visible_fields().len();
    for _ in 1..count {
        drive(&mut form, "<tab>");
        let shown = screen(&form, 80, 24, Lang::En);
        let label: String = field_label(Lang::En, form.focused())
            .chars()
            .take(12)
            .collect();
        assert!(
            shown.contains(&format!("▶ {label}")),
            "{label} in view:\n{shown}"
        );
    }
    assert_eq!(form.focused(), Field::Notes);
    let end = screen(&form, 80, 24, Lang::En);
    assert!(!end.contains("Given name"), "scrolled:\n{end}");
    assert!(
        end.lines().nth(1).is_some_and(|l| l.ends_with('▲')),
        "{end}"
    );
    let pos = form.cursor_position(area).expect("cursor in notes");
    assert!(area.contains(pos));
    // Wraps around to the first field, which scrolls back.
    drive(&mut form, "<tab>");
    assert_eq!(form.focused(), Field::GivenName);
    assert!(screen(&form, 80, 24, Lang::En).contains("▶ Given name"));
    // Also in a small area.
    tab_to(&mut form, Field::Notes);
    assert!(screen(&form, 40, 10, Lang::En).contains("▶ Notes"));
}

#[test]
fn the_cursor_sits_in_the_focused_text_field() {
    let mut form = IntakeForm::new_intake(rules());
    let area = Rect::new(0, 0, 80, 24);
    render(&form, 80, 24, Lang::En);
    // After the label column.
    assert_eq!(form.cursor_position(area), Some(Position { x: 20, y: 1 }));
    drive(&mut form, "Anouk");
    assert_eq!(form.cursor_position(area), Some(Position { x: 25, y: 1 }));
    tab_to(&mut form, Field::Interests);
    assert_eq!(
        form.cursor_position(area),
        None,
        "no text cursor on a multi-select"
    );
}

#[test]
fn phone_or_email_is_asked_for_once_both_were_left_empty() {
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Phone);
    drive(&mut form, "<tab>");
    assert_eq!(
        form.error_of(Field::Phone),
        None,
        "the e-mail may still follow"
    );
    drive(&mut form, "<tab>");
    assert_eq!(form.error_of(Field::Phone), Some(&Problem::ContactRequired));
    drive(&mut form, "<s-tab>a@example.nl<tab>");
    assert_eq!(
        form.error_of(Field::Phone),
        None,
        "cleared by the e-mail address"
    );
}

#[test]
fn editing_shows_the_name_and_only_allowed_statuses() {
    let mut draft = VolunteerDraft::new(rules().today);
    draft.given_name = "Anouk".into();
    draft.prefix = "van den".into();
    draft.family_name = "Berg".into();
    draft.birth_date = "05-04-1999".into();
    draft.address = "Voorstraat 12".into();
    draft.postcode = "3311 AB".into();
    draft.municipality = "Dordrecht".into();
    draft.email = "anouk@example.nl".into();
    draft.consent = true;
    let v = draft.validate(&rules()).expect("valid");
    let mut form = IntakeForm::edit(7, 3, &v, rules());
    assert_eq!(form.mode(), FormMode::Edit { id: 7, revision: 3 });
    assert!(!form.is_dirty());
    assert!(screen(&form, 80, 24, Lang::Nl).starts_with("Anouk van den Berg bewerken"));
    assert!(screen(&form, 80, 24, Lang::En).starts_with("Edit Anouk van den Berg"));
    tab_to(&mut form, Field::Status);
    let mut seen = Vec::new();
    for _ in 0..4 {
        drive(&mut form, "<right>");
        seen.push(form.draft().status);
    }
    assert_eq!(
        seen,
        vec![
            Status::IntakeHeld,
            Status::Inactive,
            Status::New,
            Status::IntakeHeld
        ]
    );
    assert!(form.is_dirty());
    assert!(
        !IntakeForm::new_intake(rules())
            .visible_fields()
            .contains(&Field::Status)
    );
}

#[test]
fn errors_from_the_service_show_and_take_the_focus() {
    let mut form = IntakeForm::new_intake(rules());
    fill_valid(&mut form);
    form.set_errors(vec![
        FieldError::new(Field::Email, Problem::Email),
        FieldError::new(Field::Postcode, Problem::Postcode),
    ]);
    assert_eq!(form.focused(), Field::Postcode, "the first in form order");
    let en = screen(&form, 80, 24, Lang::En);
    assert!(en.contains("✗ not an e-mail address"), "{en}");
    assert!(en.contains("✗ 2 errors"), "{en}");
    // Leaving another field keeps it; leaving its own field re-checks it.
    drive(&mut form, "<tab>");
    assert_eq!(
        form.error_of(Field::Postcode),
        None,
        "re-checked: the postcode is fine"
    );
    assert_eq!(form.error_of(Field::Email), Some(&Problem::Email));
    tab_to(&mut form, Field::Email);
    drive(&mut form, "<tab>");
    assert_eq!(form.error_of(Field::Email), None);
}

#[test]
fn a_click_focuses_the_field_under_the_mouse() {
    let mut form = IntakeForm::new_intake(rules());
    let area = Rect::new(0, 0, 80, 24);
    render(&form, 80, 24, Lang::En);
    let rows = lines(&render(&form, 80, 24, Lang::En));
    let y = rows
        .iter()
        .position(|l| l.contains("Postcode"))
        .expect("postcode row");
    let click = |column: u16, row: u16| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    assert!(form.handle_mouse(area, click(5, y as u16)));
    assert_eq!(form.focused(), Field::Postcode);
    // The given name, left empty, was checked on leaving.
    assert_eq!(form.error_of(Field::GivenName), Some(&Problem::Required));
    assert!(
        !form.handle_mouse(area, click(5, 0)),
        "the header is no field"
    );
}

#[test]
fn every_form_string_has_text_in_both_languages() {
    let keys = [
        "form.title_new",
        "form.title_edit",
        "form.errors_one",
        "form.errors_many",
        "form.date_placeholder",
        "form.consent_box",
        "form.vulnerable_box",
        "form.hint.complete",
        "form.hint.date",
        "form.hint.multiline",
        "form.hint.multi_select",
        "form.hint.grid",
        "form.hint.choice",
        "form.hint.check",
        "form.hint.list",
        "form.consent_box",
    ];
    for lang in [Lang::Nl, Lang::En] {
        for key in keys {
            assert_ne!(crate::i18n::t(lang, key), key, "{lang:?} {key}");
        }
    }
}

#[test]
fn tab_order_follows_the_draft_table() {
    use crate::domain::draft::{Draft, Shown};
    let mut form = IntakeForm::new_intake(rules());
    let want: Vec<Field> = VolunteerDraft::fields()
        .iter()
        .filter(|f| matches!(f.shown, Shown::Always))
        .map(|f| f.field)
        .collect();
    let mut seen = vec![form.focused()];
    for _ in 1..want.len() {
        form.next_field();
        seen.push(form.focused());
    }
    assert_eq!(seen, want);
    form.next_field();
    assert_eq!(form.focused(), want[0], "wraps to the first field");
    form.prev_field();
    assert_eq!(form.focused(), want[want.len() - 1], "and back to the last");
}

#[test]
fn the_length_limit_comes_from_the_draft_table() {
    use crate::domain::draft::Draft;
    let max = VolunteerDraft::field(Field::Prefix).map_or(0, |f| f.max_len);
    assert_eq!(max, 20);
    let mut form = IntakeForm::new_intake(rules());
    tab_to(&mut form, Field::Prefix);
    drive(&mut form, &"v".repeat(max));
    form.next_field();
    assert_eq!(
        form.error_of(Field::Prefix),
        None,
        "exactly the limit is fine"
    );
    drive(&mut form, "<s-tab>v<tab>");
    assert_eq!(
        form.error_of(Field::Prefix),
        Some(&Problem::TooLong { max })
    );
    assert!(
        screen(&form, 80, 24, Lang::En).contains("✗"),
        "shown beside the field"
    );
}

#[test]
fn after_a_conflict_the_merged_draft_opens_with_the_clash_named() {
    use crate::domain::volunteer::{rebase, sample_intake};
    let base = sample_intake();
    let mut mine = base.clone();
    mine.skills = "koken".into();
    mine.address = "Wijnstraat 1".into();
    let mut theirs = base.clone();
    theirs.notes = "Belt maandag".into();
    theirs.address = "Voorstraat 99".into();
    let (merged, both) = rebase(&base, &mine, &theirs);
    assert_eq!(both, vec![Field::Address]);
    let form = IntakeForm::with_draft(FormMode::Edit { id: 1, revision: 2 }, merged, rules())
        .with_original(theirs);
    let d = form.draft();
    assert_eq!(
        (d.skills.as_str(), d.notes.as_str(), d.address.as_str()),
        ("koken", "Belt maandag", "Wijnstraat 1")
    );
    assert!(form.is_dirty(), "differs from the stored version");
}

/// A made-up record kind with a three-field table: proves the engine needs nothing of the
/// volunteer.
mod tiny {
    use super::super::{FieldUi, Form, FormKind, FormMode};
    use crate::domain::draft::{self, Draft, DraftField, Keyed, Shown, TextKind, Value};
    use crate::domain::{ConsentScope, Field, FieldError, Problem};
    use crate::i18n::Lang;

    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Org {
        pub name: String,
        pub scope: ConsentScope,
        pub active: bool,
    }

    pub struct OrgForm;

    impl Draft for Org {
        fn fields() -> &'static [DraftField<Self>] {
            const FIELDS: &[DraftField<Org>] = &[
                DraftField {
                    field: Field::GivenName,
                    value: Value::Text {
                        kind: TextKind::Line,
                        get: |d| &d.name,
                        get_mut: |d| &mut d.name,
                    },
                    required: true,
                    max_len: 8,
                    shown: Shown::Always,
                },
                DraftField {
                    field: Field::Vulnerable,
                    value: Value::Flag {
                        get: |d| d.active,
                        set: |d, v| d.active = v,
                    },
                    required: false,
                    max_len: 0,
                    shown: Shown::Always,
                },
                DraftField {
                    field: Field::ConsentScope,
                    value: Value::Choice {
                        get: |d| d.scope.key(),
                        set: |d, k| draft::set_key(&mut d.scope, k),
                        options: |_| <ConsentScope as Keyed>::keys(),
                        catalog: "consent_scope",
                    },
                    required: true,
                    max_len: 0,
                    // Only for active organisations.
                    shown: Shown::When {
                        by: Field::Vulnerable,
                        when: |d| d.active,
                    },
                },
            ];
            FIELDS
        }
    }

    impl FormKind for OrgForm {
        type Draft = Org;
        type Output = String;
        type Ctx = ();

        fn validate(d: &Org, _: &()) -> Result<String, Vec<FieldError>> {
            let spec = Org::field(Field::GivenName).map_or(0, |f| f.max_len);
            let name = d.name.trim();
            let problem = if name.is_empty() {
                Problem::Required
            } else if name.chars().count() > spec {
                Problem::TooLong { max: spec }
            } else {
                return Ok(name.to_string());
            };
            Err(vec![FieldError::new(Field::GivenName, problem)])
        }

        fn title(_: Lang, _: FormMode, _: &Org) -> String {
            "Organisation".into()
        }

        fn extras() -> &'static [FieldUi<()>] {
            &[]
        }
    }

    pub fn form() -> Form<OrgForm> {
        Form::with_draft(FormMode::New, Org::default(), ())
    }
}

#[test]
fn a_tiny_spec_gets_a_whole_form() {
    let mut form = tiny::form();
    assert_eq!(
        form.visible_fields(),
        vec![Field::GivenName, Field::Vulnerable]
    );
    assert!(form.is_editing_text());
    // Saving empty names the bad field and keeps the focus on it.
    assert_eq!(drive(&mut form, "<c-s>"), Some(Err(())));
    assert_eq!(
        form.errors(),
        vec![FieldError::new(Field::GivenName, Problem::Required)]
    );
    // The limit of its table.
    drive(&mut form, "Stichting Zorg<tab>");
    assert_eq!(
        form.error_of(Field::GivenName),
        Some(&Problem::TooLong { max: 8 })
    );
    drive(&mut form, "<s-tab><c-u>Zorgnet<tab>");
    assert_eq!(form.error_of(Field::GivenName), None);
    // A checkbox that shows the choice it governs; Tab follows.
    assert_eq!(form.focused(), Field::Vulnerable);
    drive(&mut form, " <tab>");
    assert_eq!(form.focused(), Field::ConsentScope);
    drive(&mut form, "<right>");
    assert_eq!(form.draft().scope, ConsentScope::MatchingAndSharing);
    let en = screen(&form, 80, 12, Lang::En);
    assert!(en.starts_with("Organisation"), "{en}");
    assert!(en.contains("▶ Consent covers"), "{en}");
    assert!(en.contains("Zorgnet"), "{en}");
    // Hiding it again moves a focus asked for it to the field that governs it.
    drive(&mut form, "<s-tab> ");
    form.focus(Field::ConsentScope);
    assert_eq!(form.focused(), Field::Vulnerable);
    assert_eq!(form.validate_all(), Ok("Zorgnet".to_string()));
    assert!(form.is_dirty());
}

#[test]
fn the_status_change_is_a_one_field_form() {
    let mut form = StatusChangeForm::status_change(7, 3, Status::BeingMatched);
    assert_eq!(form.mode(), FormMode::Edit { id: 7, revision: 3 });
    assert_eq!(form.focused(), Field::Status);
    let en = screen(&form, 42, 6, Lang::En);
    assert!(en.starts_with("Now: Being matched"), "{en}");
    assert!(
        en.contains("▶ Placed"),
        "the first allowed status is chosen:\n{en}"
    );
    assert!(
        en.contains("Intake held") && en.contains("Inactive"),
        "{en}"
    );
    assert!(!en.contains("New"), "only what the pipeline allows:\n{en}");
    let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
    assert!(!form.handle_key(up), "Up at the top is for the keymap");
    assert!(form.handle_key(down));
    assert!(form.handle_key(down));
    assert!(
        !form.handle_key(down),
        "Down at the bottom is for the keymap"
    );
    assert!(
        !form.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        "Enter confirms through the keymap"
    );
    assert_eq!(form.validate_all(), Ok(Status::Inactive));
    assert!(form.step_choice(false));
    assert_eq!(form.validate_all(), Ok(Status::IntakeHeld));
    let nl = screen(&form, 42, 6, Lang::Nl);
    assert!(nl.contains("▶ Intakegesprek gehad"), "{nl}");
    // A click picks the row under it.
    let area = Rect::new(0, 0, 42, 6);
    let rows = lines(&render(&form, 42, 6, Lang::En));
    let y = rows.iter().position(|l| l.contains("Placed")).expect("row");
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 6,
        row: y as u16,
        modifiers: KeyModifiers::NONE,
    };
    assert!(form.handle_mouse(area, click));
    assert_eq!(form.validate_all(), Ok(Status::Placed));
    // A refused change from the service shows beside the field.
    form.set_errors(vec![FieldError::new(
        Field::Status,
        Problem::Transition {
            from: "being_matched".into(),
            to: "placed".into(),
        },
    )]);
    assert_eq!(form.errors().len(), 1);
}

#[test]
fn a_modal_form_knows_its_height() {
    let form = StatusChangeForm::status_change(1, 1, Status::BeingMatched);
    // Header, the stacked label and the three allowed statuses.
    assert_eq!(form.content_height(42, Lang::En), 5);
    let intake = IntakeForm::new_intake(rules());
    assert!(intake.content_height(80, Lang::En) > 24);
}

/// Every catalog key the engine derives from a table: labels, option names, captions.
fn derived_keys<D: crate::domain::Draft>() -> Vec<String> {
    use crate::domain::draft::Value;
    let mut keys = Vec::new();
    for f in D::fields() {
        keys.push(format!("field.{}", f.field.key()));
        match &f.value {
            Value::Choices {
                options, catalog, ..
            } => keys.extend(options().into_iter().map(|k| format!("{catalog}.{k}"))),
            Value::Flag { .. } => keys.push(format!("form.{}_box", f.field.key())),
            _ => {}
        }
    }
    keys
}

#[test]
fn every_string_a_form_table_needs_is_in_both_catalogs() {
    use crate::domain::StatusChange;
    use crate::domain::draft::{Draft, Keyed, Value};
    let mut keys = derived_keys::<VolunteerDraft>();
    assert!(keys.contains(&"form.consent_box".to_string()));
    keys.extend(derived_keys::<StatusChange>());
    // Choice options depend on the original draft: ask with every status (the status change
    // offers a subset of the same `status.*` names).
    for f in VolunteerDraft::fields() {
        if let Value::Choice {
            options, catalog, ..
        } = &f.value
        {
            for status in <Status as Keyed>::ALL {
                let original = VolunteerDraft {
                    status: *status,
                    ..VolunteerDraft::default()
                };
                keys.extend(
                    options(&original)
                        .into_iter()
                        .map(|k| format!("{catalog}.{k}")),
                );
            }
        }
    }
    for lang in [Lang::Nl, Lang::En] {
        for key in &keys {
            assert_ne!(crate::i18n::t(lang, key), key, "{lang:?} {key}");
        }
    }
}

#[test]
fn error_text_and_options_keep_clear_of_the_scrollbar() {
    for lang in [Lang::En, Lang::Nl] {
        let mut form = IntakeForm::new_intake(rules());
        tab_to(&mut form, Field::ConsentScope);
        let buf = render(&form, 80, 24, lang);
        let rows = lines(&buf);
        assert!(
            rows.iter().any(|r| r.contains("✗ ")),
            "errors are shown: {rows:#?}"
        );
        for r in &rows[1..] {
            // Column 79 is the scrollbar; the one before it stays empty.
            let before_bar = r.chars().nth(78);
            assert_eq!(before_bar, Some(' '), "{lang:?}: {r:?}");
        }
    }
}
