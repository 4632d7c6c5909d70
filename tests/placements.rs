//! Matching and placements driven by keys, on deterministic demo data: `m` on a person ranks
//! the open vacancies with the reasons per row; Enter proposes; `s` moves the placement along;
//! placing without a valid VOG needs a reason; the person's detail shows the placement.

mod common;

use common::harness;
use koppel::domain::matching::vog_valid;
use koppel::domain::placement::PlacementStatus;
use koppel::domain::volunteer::Status;
use koppel::i18n::Lang;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::placements::detail::DetailView as PlacementDetail;
use koppel::ui::screens::placements::matching::MatchView;
use koppel::ui::screens::volunteers::detail::DetailView as PersonDetail;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 27);

#[test]
fn matching_from_a_person_ranks_open_vacancies_with_reasons_in_both_languages() {
    for (lang, name, fits) in [
        (Lang::Nl, "matching_nl_80x24", "sector"),
        (Lang::En, "matching_en_80x24", "sector"),
    ] {
        let mut h = harness(250, lang, 80, 24);
        h.go(ScreenId::Volunteers).keys("<enter>");
        assert!(h.session.app().view::<PersonDetail>().is_some());
        h.keys("m");
        let view = h.session.app().view::<MatchView>().expect("matching view");
        let open = h
            .model()
            .vacancies()
            .iter()
            .filter(|v| v.status == koppel::domain::vacancy::VacancyStatus::Open)
            .count();
        assert_eq!(view.items.len(), open);
        // Best first.
        let scores: Vec<u32> = view.items.iter().map(|i| i.result.score).collect();
        assert!(
            scores
                .windows(2)
                .all(|w| w[0] >= w[1] || view.items.iter().any(|i| i.result.excluded))
        );
        let s = h.screen();
        assert!(
            s.contains(&format!("✓ {fits}")) || s.contains(&format!("✗ {fits}")),
            "{s}"
        );
        insta::assert_snapshot!(name, s);
    }
}

#[test]
fn a_person_is_matched_proposed_and_placed_with_keys_only() {
    let mut h = harness(250, Lang::En, 100, 30);
    h.go(ScreenId::Volunteers).keys("<enter>");
    let person = h
        .session
        .app()
        .view::<PersonDetail>()
        .unwrap()
        .record
        .clone();
    h.keys("m");
    let (vacancy, needs_vog) = {
        let view = h.session.app().view::<MatchView>().unwrap();
        let id = view.items[0].id;
        (id, h.model().vacancies().get(id).unwrap().vog_required)
    };
    h.keys("<enter>");
    let placement = h
        .session
        .app()
        .view::<PlacementDetail>()
        .unwrap_or_else(|| panic!("proposed\n{}", h.screen()))
        .record
        .clone();
    assert_eq!(placement.data.volunteer, person.meta.id);
    assert_eq!(placement.data.vacancy, vacancy);
    assert_eq!(placement.data.status, PlacementStatus::Proposed);
    assert!(h.screen().contains("Proposed:"), "{}", h.screen());
    // s, one step on to placed, Ctrl+S.
    h.keys("s<right><c-s>");
    let valid = vog_valid(person.data.vog, TODAY);
    if needs_vog && !valid {
        assert!(h.screen().contains("fill in the reason"), "{}", h.screen());
        h.text("VOG aangevraagd").keys("<c-s>");
    }
    let placed = h
        .session
        .app()
        .view::<PlacementDetail>()
        .unwrap()
        .record
        .clone();
    assert_eq!(
        placed.data.status,
        PlacementStatus::Placed,
        "{}",
        h.screen()
    );
    // The person is placed, and their detail lists the placement.
    let row = h.model().volunteers().get(person.meta.id).cloned().unwrap();
    assert_eq!(row.status, Status::Placed);
    h.keys("<esc>").go(ScreenId::Volunteers);
    let s = h.screen();
    assert!(s.contains("Placements"), "{s}");
}

#[test]
fn placing_without_a_valid_vog_asks_for_the_reason() {
    let mut h = harness(400, Lang::Nl, 100, 30);
    // A VOG vacancy that is open, and the best-ranked person for it without a valid VOG.
    let vacancy = h
        .model()
        .vacancies()
        .iter()
        .find(|v| v.vog_required && v.status == koppel::domain::vacancy::VacancyStatus::Open)
        .map(|v| (v.id, v.title.clone()))
        .expect("a demo vacancy needs a VOG");
    h.go(ScreenId::Vacancies)
        .keys("/")
        .text(&vacancy.1)
        .keys("<enter>");
    while h
        .session
        .app()
        .view::<koppel::ui::screens::vacancies::detail::DetailView>()
        .is_some_and(|d| d.record.meta.id != vacancy.0)
    {
        h.keys("<esc><down><enter>");
    }
    h.keys("m");
    let pick = {
        let view = h.session.app().view::<MatchView>().unwrap();
        let m = h.model();
        view.items
            .iter()
            .position(|i| {
                !vog_valid(m.volunteers().get(i.id).unwrap().vog, TODAY) && !i.result.excluded
            })
            .expect("someone without a valid VOG")
    };
    for _ in 0..pick {
        h.keys("<down>");
    }
    h.keys("<enter>s<right><c-s>");
    assert!(h.screen().contains("vul de reden in"), "{}", h.screen());
    let still = h
        .session
        .app()
        .view::<PlacementDetail>()
        .unwrap()
        .record
        .data
        .status;
    assert_eq!(still, PlacementStatus::Proposed);
    h.text("Nieuwe VOG aangevraagd").keys("<c-s>");
    let placed = h
        .session
        .app()
        .view::<PlacementDetail>()
        .unwrap()
        .record
        .clone();
    assert_eq!(placed.data.status, PlacementStatus::Placed);
    assert_eq!(placed.data.vog_override, "Nieuwe VOG aangevraagd");
}
