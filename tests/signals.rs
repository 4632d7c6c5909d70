//! 1 Vertalen › Signalen driven by keys on deterministic demo data: newest first with the
//! counts per theme under the list; a signal without a theme, or acted on without saying what
//! was done, is refused beside the field and nothing is saved; `f` shows one status.

mod common;

use common::harness;
use koppel::domain::signal::SignalStatus;
use koppel::i18n::Lang;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::signals::{DetailView, FormView};

#[test]
fn the_signals_list_with_its_counts_per_theme_in_both_languages() {
    for (lang, name, below) in [
        (
            Lang::Nl,
            "signals_nl_80x24",
            "Signalen per thema, per maand van 06-2026 tot en met 11-2026",
        ),
        (
            Lang::En,
            "signals_en_80x24",
            "Signals per theme, per month from 06-2026 to 11-2026",
        ),
    ] {
        let mut h = harness(1200, lang, 80, 24);
        h.go(ScreenId::Signals);
        let s = h.screen();
        assert!(s.contains(below), "{s}");
        insta::assert_snapshot!(name, s);
        // f: only the new ones.
        h.keys("f");
        let total = h.model().signals().len();
        let new = h
            .model()
            .signals()
            .iter()
            .filter(|r| r.status == SignalStatus::New)
            .count();
        assert!(new > 0 && new < total);
        let of = if lang == Lang::Nl { "van" } else { "of" };
        assert!(
            h.screen().contains(&format!("{new} {of} {total}")),
            "{}",
            h.screen()
        );
    }
}

#[test]
fn a_signal_is_recorded_with_keys_and_bad_input_is_refused_beside_the_field() {
    let mut h = harness(60, Lang::En, 100, 30);
    h.go(ScreenId::Signals);
    let before = h.model().signals().len();
    h.keys("n");
    assert!(h.session.app().view::<FormView>().is_some());
    // Date is today; no theme, no municipality: both refused, nothing saved.
    h.keys("<c-s>");
    let s = h.screen();
    assert_eq!(s.matches("this field is required").count(), 2, "{s}");
    // The message line names the first field to put right, with no placeholder left over.
    assert!(
        s.contains("Not saved yet: 2 fields need putting right, starting with Theme"),
        "{s}"
    );
    assert!(!s.contains("{first}") && !s.contains("{fields}"), "{s}");
    assert_eq!(h.model().signals().len(), before);
    // Theme (focused first), municipality completed with Tab, then "acted on" without saying
    // what was done: refused beside that field.
    h.text("Vervoer")
        .keys("<tab>")
        .text("gorin")
        .keys("<tab><tab>") // complete, then on to the source
        .keys("<tab><tab><tab>") // description, basic function, status
        .keys("<right><right>") // new → discussed → acted on
        .keys("<c-s>");
    let s = h.screen();
    assert!(s.contains("this field is required"), "{s}");
    assert!(h.session.app().view::<FormView>().is_some(), "{s}");
    assert_eq!(h.model().signals().len(), before);
    h.text("Chauffeurs geworven via de seniorenvereniging.")
        .keys("<c-s>");
    let detail = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("{}", h.screen()));
    assert_eq!(detail.record.data.theme, "Vervoer");
    assert_eq!(detail.record.data.municipality, "Gorinchem");
    assert_eq!(detail.record.data.status, SignalStatus::ActedOn);
    assert_eq!(h.model().signals().len(), before + 1);
}
