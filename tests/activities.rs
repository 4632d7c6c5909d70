//! 4 Verbreiden › Activiteiten driven by keys on deterministic demo data: newest first with
//! this year's held activities per basic function under the list; an activity still to come
//! cannot be marked held (refused beside the field, nothing saved); `f` shows one kind.

mod common;

use common::harness;
use koppel::domain::activity::ActivityKind;
use koppel::i18n::Lang;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::activities::{DetailView, FormView};

#[test]
fn the_activities_list_in_both_languages() {
    for (lang, name, below) in [
        (
            Lang::Nl,
            "activities_nl_80x24",
            "Gehouden in 2026, per basisfunctie",
        ),
        (
            Lang::En,
            "activities_en_80x24",
            "Held in 2026, per basic function",
        ),
    ] {
        let mut h = harness(600, lang, 80, 24);
        h.go(ScreenId::Activities);
        let s = h.screen();
        assert!(s.contains(below), "{s}");
        insta::assert_snapshot!(name, s);
        h.keys("f");
        let total = h.model().activities().len();
        let campaigns = h
            .model()
            .activities()
            .iter()
            .filter(|r| r.kind == ActivityKind::Campaign)
            .count();
        let of = if lang == Lang::Nl { "van" } else { "of" };
        assert!(
            h.screen().contains(&format!("{campaigns} {of} {total}")),
            "{}",
            h.screen()
        );
    }
}

#[test]
fn an_activity_to_come_cannot_be_held_and_is_saved_as_planned() {
    let mut h = harness(60, Lang::En, 100, 30);
    h.go(ScreenId::Activities);
    let before = h.model().activities().len();
    h.keys("n");
    assert!(h.session.app().view::<FormView>().is_some());
    // Dag van de Vrijwilliger, next month, ticked as held: refused beside "Held".
    for _ in 0..10 {
        h.keys("<backspace>");
    }
    h.text("07-12-2026")
        .keys("<tab>")
        .text("Dag van de Vrijwilliger")
        .keys("<tab><right><right><right>") // event → appreciation
        .keys("<tab><tab><tab>") // basic function, organisations, participants
        .keys("<tab><space>") // held
        .keys("<c-s>");
    let s = h.screen();
    assert!(
        s.contains("can only have been held once its date has passed"),
        "{s}"
    );
    assert_eq!(h.model().activities().len(), before);
    // Untick it: saved as planned.
    h.keys("<space><c-s>");
    let detail = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("{}", h.screen()));
    assert_eq!(detail.record.data.kind, ActivityKind::Appreciation);
    assert!(!detail.record.data.held);
    assert!(h.screen().contains("planned"), "{}", h.screen());
    assert_eq!(h.model().activities().len(), before + 1);
}
