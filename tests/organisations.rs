//! 3 Versterken › Organisations driven by keys, on deterministic demo data.

mod common;

use common::harness;
use koppel::i18n::Lang;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::organisations::OrganisationList;
use koppel::ui::screens::organisations::detail::DetailView;
use koppel::ui::screens::organisations::form::FormView;

#[test]
fn the_list_shows_the_demo_organisations_in_both_languages() {
    let mut h = harness(250, Lang::Nl, 80, 24);
    h.go(ScreenId::Organisations);
    let s = h.screen();
    let total = h.model().organisations().len();
    assert_eq!(total, 10);
    assert!(s.contains(&format!("{total} van {total}")), "{s}");
    assert!(s.contains("f soort: alle"), "{s}");
    let first = h.model().organisations()[0].name.clone();
    assert!(s.contains(&first[..first.len().min(30)]), "{s}");
    insta::assert_snapshot!("organisations_nl_80x24", s);

    let mut h = harness(250, Lang::En, 100, 30);
    h.go(ScreenId::Organisations);
    let s = h.screen();
    assert!(s.contains("Contact person"), "{s}");
    assert!(s.contains("f kind: all"), "{s}");
}

#[test]
fn search_finds_an_organisation_by_contact_person_and_enter_opens_it() {
    let mut h = harness(250, Lang::En, 100, 30);
    h.go(ScreenId::Organisations);
    let (id, person) = {
        let m = h.model();
        let r = &m.organisations()[3];
        (r.id, r.contact.clone())
    };
    let family = person.split(' ').next_back().unwrap().to_string();
    h.keys("/").text(&family).keys("<enter>");
    let detail = h.session.app().view::<DetailView>().expect("detail open");
    let opened = detail.record.clone();
    assert!(
        opened
            .data
            .contact_persons
            .iter()
            .any(|p| p.name.contains(&family)),
        "{id}: {family}"
    );
    let s = h.screen();
    // Only the detail shows the contact persons' section and the website.
    assert!(s.contains("Contact persons"), "{s}");
    assert!(s.contains(&opened.data.website), "{s}");
    // The bottom bar offers what an organisation's detail takes: edit, but no status.
    let bottom = s.lines().last().unwrap();
    assert!(bottom.contains("e edit"), "{bottom}");
    assert!(!bottom.contains("status"), "{bottom}");
    h.keys("<esc>");
    assert!(h.session.app().view::<DetailView>().is_none());
}

#[test]
fn ctrl_f_finds_organisations_and_vacancies_too() {
    let mut h = harness(250, Lang::En, 100, 30);
    let (org, vacancy) = {
        let m = h.model();
        (m.organisations()[2].name.clone(), m.vacancies()[0].clone())
    };
    h.keys("<c-f>").text(&org).keys("<enter>");
    let d = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("{}", h.screen()));
    assert_eq!(d.record.data.name, org);
    h.keys("<c-f>")
        .text(&vacancy.title)
        .text(" ")
        .text(&vacancy.organisation_name);
    let s = h.screen();
    assert!(s.contains("▶ vacancy: "), "{s}");
    h.keys("<enter>");
    let v = h
        .session
        .app()
        .view::<koppel::ui::screens::vacancies::detail::DetailView>()
        .unwrap_or_else(|| panic!("{}", h.screen()));
    assert_eq!(v.record.meta.id, vacancy.id);
}

#[test]
fn quick_filter_on_kind_narrows_the_list() {
    let mut h = harness(250, Lang::En, 100, 30);
    h.go(ScreenId::Organisations);
    h.keys("f");
    let list: &OrganisationList = h.screen_as(ScreenId::Organisations);
    assert!(list.kind.is_some());
    let kind = list.kind.unwrap();
    let expected = h
        .model()
        .organisations()
        .iter()
        .filter(|r| r.kind == kind)
        .count();
    let s = h.screen();
    assert!(s.contains(&format!("{expected} of 10")), "{s}");
    h.keys("<esc>");
    assert!(h.screen().contains("10 of 10"));
}

#[test]
fn a_new_organisation_is_saved_with_the_keyboard_and_a_bad_field_is_reported() {
    for lang in [Lang::Nl, Lang::En] {
        let mut h = harness(0, lang, 100, 40);
        h.go(ScreenId::Organisations);
        let empty = if lang == Lang::Nl {
            "Nog geen organisaties"
        } else {
            "No organisations yet"
        };
        assert!(h.screen().contains(empty), "{}", h.screen());
        h.keys("n");
        assert!(h.session.app().view::<FormView>().is_some());
        // Name, kind (one step on: foundation), sectors (skip), municipality.
        h.text("Stichting Het Anker")
            .keys("<tab><right><tab><tab>")
            .text("Utrecht")
            .keys("<tab>");
        let bad = if lang == Lang::Nl {
            "geen van de gemeenten"
        } else {
            "not one of the municipalities"
        };
        assert!(h.screen().contains(bad), "{}", h.screen());
        h.keys("<s-tab><c-u>")
            .text("gorin")
            .keys("<tab><tab><tab><tab><tab><tab>");
        h.text("Els de Vries; secretaris; ; els@hetanker.nl");
        h.keys("<c-s>");
        let detail = h
            .session
            .app()
            .view::<DetailView>()
            .unwrap_or_else(|| panic!("saved\n{}", h.screen()));
        let o = &detail.record.data;
        assert_eq!(o.name, "Stichting Het Anker");
        assert_eq!(o.municipality, "Gorinchem");
        assert_eq!(o.contact_persons[0].email, "els@hetanker.nl");
        assert_eq!(
            o.kind,
            koppel::domain::organisation::OrganisationKind::Foundation
        );
        assert!(h.screen().contains("Els de Vries"), "{}", h.screen());
        assert_eq!(h.model().organisations().len(), 1);
    }
}

#[test]
fn ctrl_e_exports_what_the_list_shows_as_csv() {
    let mut h = harness(250, Lang::Nl, 100, 30);
    h.go(ScreenId::Organisations).keys("f");
    let kind = h
        .screen_as::<OrganisationList>(ScreenId::Organisations)
        .kind
        .unwrap();
    let shown: Vec<String> = h
        .model()
        .organisations()
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.name.clone())
        .collect();
    h.keys("<c-e>");
    // A sensible default name is offered.
    assert!(
        h.screen().contains("organisaties-27-11-2026.csv"),
        "{}",
        h.screen()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lijst.csv");
    h.keys("<c-u>").text(path.to_str().unwrap()).keys("<enter>");
    assert!(h.screen().contains("geschreven naar"), "{}", h.screen());
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "\u{feff}Naam,Soort,Gemeente,Contactpersoon");
    assert_eq!(lines.len(), shown.len() + 1);
    for name in &shown {
        assert!(text.contains(name.as_str()), "{name} in {text}");
    }
    // The same name again: nothing is overwritten and the dialog says so.
    h.keys("<c-e><c-u>")
        .text(path.to_str().unwrap())
        .keys("<enter>");
    assert!(h.screen().contains("bestaat al"), "{}", h.screen());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}
