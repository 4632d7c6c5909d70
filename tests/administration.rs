//! 5 Verankeren › Beheer driven by keys on deterministic demo data: what is past its
//! retention period, with the reason, for the roles that may see it; a sentence why not for
//! the others.

mod common;

use common::harness_with;
use koppel::config::{Config, RetentionTable};
use koppel::i18n::Lang;
use koppel::service::Role;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::administration::Administration;

/// A year for people, so the demo's older intakes are past it on its fixed day (27-11-2026).
fn one_year() -> Config {
    Config {
        retention: RetentionTable {
            people_years: Some(1),
            ..RetentionTable::default()
        },
        ..Config::default()
    }
}

#[test]
fn beheer_lists_what_is_past_its_period_with_the_reason_in_both_languages() {
    for (lang, name, intro, reason) in [
        (
            Lang::Nl,
            "administration_nl_80x24",
            "over de termijn (personen 1 jaar, trajecten 2 jaar, contacten 5 jaar):",
            "inactief sinds",
        ),
        (
            Lang::En,
            "administration_en_80x24",
            "past retention (people 1 year, trajectories 2 years, contacts 5 years):",
            "inactive since",
        ),
    ] {
        let mut h = harness_with(Role::Coordinator, 300, lang, (80, 24), one_year());
        h.go(ScreenId::Administration);
        let s = h.screen();
        let listed = h
            .screen_as::<Administration>(ScreenId::Administration)
            .rows
            .len();
        assert!(listed > 0, "{s}");
        let count = koppel::i18n::fmt_count(lang, listed as u64);
        assert!(s.contains(&format!("{count} {intro}")), "{s}");
        assert!(s.contains(reason), "{s}");
        insta::assert_snapshot!(name, s);
        // Every row's reason lies more than a year back.
        let rows = h
            .screen_as::<Administration>(ScreenId::Administration)
            .rows
            .clone();
        for r in &rows {
            assert!(
                r.reason.ended() <= time::macros::date!(2026 - 11 - 27),
                "{r:?}"
            );
        }
        // Down and Enter open the second person's detail.
        h.keys("<down><enter>");
        assert!(
            h.screen()
                .contains(&rows[1].name.split(", ").next().unwrap().to_string())
        );
    }
}

#[test]
fn the_front_desk_is_told_why_it_sees_no_list() {
    let mut h = harness_with(Role::Intake, 50, Lang::Nl, (80, 24), one_year());
    h.go(ScreenId::Administration);
    let s = h.screen();
    assert!(
        s.contains("Alleen coördinatoren en beheerders zien welke gegevens"),
        "{s}"
    );
    assert!(!s.contains("inactief sinds"), "{s}");
}

#[test]
fn an_administrator_anonymises_the_selected_record_after_the_question_and_the_reason() {
    let mut h = harness_with(Role::Admin, 200, Lang::En, (100, 30), one_year());
    h.go(ScreenId::Administration);
    let rows = h
        .screen_as::<Administration>(ScreenId::Administration)
        .rows
        .clone();
    assert!(!rows.is_empty());
    let first = rows[0].clone();
    h.keys("a");
    let s = h.screen();
    assert!(s.contains("Anonymise person"), "{s}");
    assert!(s.contains("outcomes stay for the"), "{s}");
    // Yes: the reason, filled in and kept in the audit log.
    h.keys("y");
    assert!(h.screen().contains("Anonymise: why?"), "{}", h.screen());
    h.keys("<c-s>");
    h.until(|m| m.volunteers().get(first.id).is_none_or(|v| v.anonymised));
    // The model may have the change a moment before its version says so: poll the screen
    // until it has followed (or ten seconds have gone).
    let start = std::time::Instant::now();
    while h
        .screen_as::<Administration>(ScreenId::Administration)
        .rows
        .len()
        == rows.len()
        && start.elapsed() < std::time::Duration::from_secs(10)
    {
        std::thread::yield_now();
        h.session.handle(koppel::ui::app::AppEvent::Wake);
        h.draw();
    }
    let after = h
        .screen_as::<Administration>(ScreenId::Administration)
        .rows
        .clone();
    assert_eq!(after.len(), rows.len() - 1, "{}", h.screen());
    assert!(
        after
            .iter()
            .all(|r| r.id != first.id || r.kind != first.kind)
    );
    assert!(h.screen().contains("1 record anonymised"), "{}", h.screen());
}

#[test]
fn a_coordinator_sees_the_list_and_is_told_only_an_administrator_anonymises() {
    let mut h = harness_with(Role::Coordinator, 100, Lang::Nl, (80, 24), one_year());
    h.go(ScreenId::Administration);
    let before = h
        .screen_as::<Administration>(ScreenId::Administration)
        .rows
        .len();
    h.keys("a");
    let s = h.screen();
    assert!(
        s.contains("Alleen een beheerder kan gegevens anonimiseren."),
        "{s}"
    );
    assert_eq!(
        h.screen_as::<Administration>(ScreenId::Administration)
            .rows
            .len(),
        before
    );
}
