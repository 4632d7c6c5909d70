//! 2 Verbinden › Vacancies driven by keys, on deterministic demo data: the list, the detail,
//! a new vacancy from an organisation, and an unknown organisation refused beside its field.

mod common;

use common::harness;
use koppel::i18n::Lang;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::organisations::detail::DetailView as OrganisationDetail;
use koppel::ui::screens::vacancies::VacancyList;
use koppel::ui::screens::vacancies::detail::DetailView;
use koppel::ui::screens::vacancies::form::FormView;

#[test]
fn the_list_shows_demo_vacancies_with_their_organisation_and_filters_on_status() {
    let mut h = harness(250, Lang::Nl, 80, 24);
    h.go(ScreenId::Vacancies);
    let total = h.model().vacancies().len();
    assert!(total > 10, "{total}");
    let s = h.screen();
    assert!(s.contains(&format!("{total} van {total}")), "{s}");
    let first = h.model().vacancies()[0].clone();
    let start: String = first.title.chars().take(20).collect();
    assert!(s.contains(&start), "{s}");
    insta::assert_snapshot!("vacancies_nl_80x24", s);
    h.keys("f");
    let list: &VacancyList = h.screen_as(ScreenId::Vacancies);
    assert_eq!(
        list.status,
        Some(koppel::domain::vacancy::VacancyStatus::Open)
    );
    let open = h
        .model()
        .vacancies()
        .iter()
        .filter(|v| v.status == koppel::domain::vacancy::VacancyStatus::Open)
        .count();
    assert!(
        h.screen().contains(&format!("{open} van {total}")),
        "{}",
        h.screen()
    );
    h.keys("<enter>");
    let d = h.session.app().view::<DetailView>().expect("detail");
    assert!(d.record.data.is_open());
    let s = h.screen();
    assert!(s.contains("Geschikt voor"), "{s}");
    assert!(s.contains(&d.record.data.organisation_name), "{s}");
}

#[test]
fn a_vacancy_is_added_from_its_organisation_and_shows_there() {
    for lang in [Lang::En, Lang::Nl] {
        let mut h = harness(250, lang, 100, 40);
        h.go(ScreenId::Organisations).keys("<enter>");
        let (org_id, org_name) = {
            let d = h
                .session
                .app()
                .view::<OrganisationDetail>()
                .expect("detail");
            (d.record.meta.id, d.record.data.name.clone())
        };
        let before = h
            .model()
            .vacancies()
            .iter()
            .filter(|v| v.organisation == org_id)
            .count();
        h.keys("v");
        assert!(
            h.session.app().view::<FormView>().is_some(),
            "{}",
            h.screen()
        );
        // The organisation is filled in and the title has the focus.
        h.text("Gastvrouw open dag").keys("<c-s>");
        let d = h
            .session
            .app()
            .view::<DetailView>()
            .unwrap_or_else(|| panic!("saved\n{}", h.screen()));
        assert_eq!(d.record.data.organisation, org_id);
        assert_eq!(d.record.data.organisation_name, org_name);
        let after = h
            .model()
            .vacancies()
            .iter()
            .filter(|v| v.organisation == org_id)
            .count();
        assert_eq!(after, before + 1);
        // Back on the organisation, its vacancies list the new one.
        h.go(ScreenId::Organisations).keys("<enter>");
        assert!(h.screen().contains("Gastvrouw open dag"), "{}", h.screen());
    }
}

#[test]
fn an_unknown_organisation_is_refused_beside_the_field() {
    let mut h = harness(50, Lang::En, 100, 40);
    h.go(ScreenId::Vacancies).keys("n");
    h.text("Stichting Bestaat Niet").keys("<tab>");
    let s = h.screen();
    assert!(
        s.contains("koppel knows no organisation by this name"),
        "{s}"
    );
    h.keys("<c-s>");
    assert!(h.session.app().view::<FormView>().is_some());
    assert!(h.screen().contains("Not saved"), "{}", h.screen());
}
