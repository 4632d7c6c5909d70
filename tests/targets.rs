//! 1 Vertalen › Doelen driven by keys on deterministic demo data: the year's targets per
//! municipality with the whole centre's progress as gauges under the list; a municipality's
//! year opens on its gauges, counted from the records; a coordinator sets next year's targets
//! with keys, bad numbers are refused beside their field, a second set for the same
//! municipality and year is refused; the front desk may not set targets.

mod common;

use common::{harness, harness_as};
use koppel::domain::target::Measure;
use koppel::i18n::Lang;
use koppel::service::Role;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::targets::{DetailView, FormView};
use time::macros::date;

#[test]
fn the_targets_list_with_this_years_gauges_in_both_languages() {
    for (lang, name, heading, words) in [
        (
            Lang::Nl,
            "targets_nl_80x24",
            "2026, alle gemeenten met een doel, tot en met 27-11-2026:",
            ["op schema", "achter"],
        ),
        (
            Lang::En,
            "targets_en_80x24",
            "2026, all municipalities with a target, up to 27-11-2026:",
            ["on track", "behind by"],
        ),
    ] {
        let mut h = harness(1200, lang, 80, 24);
        h.go(ScreenId::Targets);
        let s = h.screen();
        assert!(s.contains(heading), "{s}");
        assert!(words.iter().any(|w| s.contains(w)), "{s}");
        insta::assert_snapshot!(name, s);
    }
}

#[test]
fn a_municipalitys_year_opens_on_gauges_counted_from_the_records() {
    let mut h = harness(1200, Lang::En, 100, 40);
    h.go(ScreenId::Targets);
    // The list is newest year first, by municipality: find Dordrecht 2026 with `/`.
    h.keys("/").text("dordrecht 2026").keys("<enter>");
    h.keys("<enter>");
    let s = h.screen();
    let detail = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("{s}"));
    assert_eq!(detail.record.data.municipality, "Dordrecht");
    assert_eq!(detail.record.data.year, 2026);
    let goal = detail.record.data.goal(Measure::Intakes).unwrap();
    // Counted independently: the people of Dordrecht registered in 2026 up to today.
    let today = date!(2026 - 11 - 27);
    let intakes = h
        .model()
        .volunteers()
        .iter()
        .filter(|v| v.municipality == "Dordrecht")
        .filter(|v| v.intake_date.year() == 2026 && v.intake_date <= today)
        .count();
    assert!(intakes > 0);
    assert!(s.contains("Progress up to 27-11-2026"), "{s}");
    assert!(
        s.contains(&format!("{intakes} of {goal} (")),
        "intakes {intakes} of {goal} in\n{s}"
    );
    // Placements started by people of Dordrecht, through the person's municipality.
    let placed = {
        let m = h.model();
        m.placements()
            .iter()
            .filter(|p| p.placed_on.is_some_and(|d| d.year() == 2026 && d <= today))
            .filter(|p| {
                m.volunteers()
                    .get(p.volunteer)
                    .is_some_and(|v| v.municipality == "Dordrecht")
            })
            .count()
    };
    let line = s
        .lines()
        .find(|l| l.starts_with("Placements"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(line.contains(&format!(" {placed} of ")), "{line}");
    assert!(line.contains('│') || line.contains("expected"), "{line}");
}

#[test]
fn a_coordinator_sets_next_years_targets_with_keys_and_bad_numbers_are_refused_beside_them() {
    let mut h = harness_as(Role::Coordinator, 300, Lang::Nl, 100, 30);
    h.go(ScreenId::Targets);
    let before = h.model().targets().len();
    h.keys("n");
    assert!(h.session.app().view::<FormView>().is_some());
    // Year (this year filled in) → next year; municipality; intakes below zero, placements
    // absurdly high, trajectories not a number.
    h.keys("<c-u>")
        .text("2027")
        .keys("<tab>")
        .text("gorin")
        .keys("<tab><tab>")
        .text("-5")
        .keys("<tab>")
        .text("5000000")
        .keys("<tab>")
        .text("veel")
        .keys("<c-s>");
    let s = h.screen();
    assert_eq!(
        s.matches("een getal van 0 tot en met 100000 zijn").count(),
        2,
        "{s}"
    );
    assert!(s.contains("moet een heel getal zijn"), "{s}");
    assert!(h.session.app().view::<FormView>().is_some(), "{s}");
    assert_eq!(h.model().targets().len(), before);
    // Put right (the failed save put the cursor on the first field in error, the intakes):
    // intakes 120, placements 1.000 (Dutch thousands), trajectories blank.
    h.keys("<c-u>")
        .text("120")
        .keys("<tab><c-u>")
        .text("1.000")
        .keys("<tab><c-u>")
        .keys("<c-s>");
    let detail = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("{}", h.screen()));
    let t = detail.record.data.clone();
    assert_eq!((t.year, t.municipality.as_str()), (2027, "Gorinchem"));
    assert_eq!(t.intakes, Some(120));
    assert_eq!(t.placements, Some(1000));
    assert_eq!(t.trajectories, None);
    assert!(
        h.screen().contains("Doelen Gorinchem 2027"),
        "{}",
        h.screen()
    );
    assert_eq!(h.model().targets().len(), before + 1);
    // The same municipality and year again: refused beside the municipality.
    h.keys("<esc><esc>");
    h.keys("n<c-u>")
        .text("2027")
        .keys("<tab>")
        .text("Gorinchem")
        .keys("<tab><tab>")
        .text("10")
        .keys("<c-s>");
    let s = h.screen();
    assert!(
        s.contains("deze gemeente heeft voor dat jaar al doelen"),
        "{s}"
    );
    assert_eq!(h.model().targets().len(), before + 1);
}

#[test]
fn the_front_desk_sees_the_targets_but_may_not_set_them() {
    let mut h = harness(300, Lang::En, 100, 30);
    h.go(ScreenId::Targets);
    let before = h.model().targets().len();
    assert!(before > 0);
    h.keys("n<c-u>")
        .text("2027")
        .keys("<tab>")
        .text("Dordrecht")
        .keys("<tab><tab>")
        .text("100")
        .keys("<c-s>");
    let s = h.screen();
    assert!(s.contains("set targets"), "{s}");
    assert_eq!(h.model().targets().len(), before);
}
