//! Erasing a person from their detail, driven by keys: the question says what is erased and
//! what is kept, the form asks the choice and the reason, and afterwards neither the list
//! nor the search finds them; roles that may not are told so and nothing changes.

mod common;

use common::harness_following;
use koppel::i18n::Lang;
use koppel::service::Role;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::volunteers::detail::DetailView as PersonDetail;

#[test]
fn an_administrator_erases_a_person_and_nobody_finds_them_any_more() {
    for (lang, kept, done, heading, adds) in [
        (
            Lang::Nl,
            "Voor de rapportages blijven",
            "Gedaan",
            "Plaatsingen (",
            ["· m koppelen", "· t nieuw traject"],
        ),
        (
            Lang::En,
            "Kept for the reports",
            "Done",
            "Placements (",
            ["· m match", "· t new trajectory"],
        ),
    ] {
        let mut h = harness_following(Role::Admin, 120, lang, 100, 30);
        let count = |n: u32| match lang {
            Lang::Nl => format!("{n} van {n}"),
            Lang::En => format!("{n} of {n}"),
        };
        h.go(ScreenId::Volunteers);
        let s = h.screen();
        assert!(s.contains(&count(120)), "{s}");
        h.keys("<enter>");
        let person = h
            .session
            .app()
            .view::<PersonDetail>()
            .expect("the person's detail")
            .record
            .clone();
        let family = person.data.name.family.clone();
        h.keys("X");
        let s = h.screen();
        assert!(s.contains(kept), "{s}");
        h.keys("y<tab>")
            .text("Verzoek van betrokkene")
            .keys("<c-s>");
        let id = person.meta.id;
        h.until(|m| m.volunteers().get(id).is_some_and(|r| r.anonymised))
            .until_screen(|s| s.contains(done) && !s.contains(&family));
        let s = h.screen();
        assert!(!s.contains(&family), "{s}");
        // No postcode is kept: the municipality stands under its own label.
        assert!(!s.contains("Postcode"), "{s}");
        assert!(s.contains(&person.data.municipality), "{s}");
        // The headings no longer offer to match them or start a trajectory.
        assert!(s.contains(heading), "{s}");
        for add in adds {
            assert!(!s.contains(add), "{add}: {s}");
        }
        // For an administrator the keys were on offer; on an anonymised person nothing is.
        use koppel::ui::action::Action;
        let hidden = h.session.app().unavailable();
        assert!(hidden.contains(&Action::Edit) && hidden.contains(&Action::ErasePerson));
        // The list leaves them out, and so does its count: all it can show.
        h.keys("<esc>");
        let s = h.screen();
        assert!(s.contains(&count(119)), "{s}");
        // Its search leaves them out; a search anywhere finds nothing of them.
        h.keys("/").text(&family);
        let shown: Vec<u64> = {
            let list =
                h.screen_as::<koppel::ui::screens::volunteers::VolunteerList>(ScreenId::Volunteers);
            let model = h.model();
            list.table
                .view()
                .iter()
                .map(|&i| model.volunteers().all()[i as usize].id)
                .collect()
        };
        assert!(!shown.contains(&id), "{shown:?}");
        h.keys("<esc><esc>")
            .keys("<c-f>")
            .text(&person.data.name.full());
        assert!(!h.screen().contains(&person.data.name.filed()));
    }
}

#[test]
fn the_front_desk_is_told_only_administrators_may_and_nothing_changes() {
    let mut h = harness_following(Role::Intake, 60, Lang::En, 100, 30);
    h.go(ScreenId::Volunteers).keys("<enter>");
    let person = h
        .session
        .app()
        .view::<PersonDetail>()
        .unwrap()
        .record
        .clone();
    // Left out of help and the palette, and the key says why.
    use koppel::ui::action::Action;
    let hidden = h.session.app().unavailable();
    assert!(hidden.contains(&Action::ErasePerson) && hidden.contains(&Action::WithdrawConsent));
    h.keys("X");
    assert!(h.screen().contains("Only administrators"), "{}", h.screen());
    h.keys("W");
    assert!(h.screen().contains("Only administrators"));
    assert!(
        !h.model()
            .volunteers()
            .get(person.meta.id)
            .unwrap()
            .anonymised
    );
}

#[test]
fn only_a_persons_detail_offers_the_privacy_keys() {
    let mut h = harness_following(Role::Admin, 60, Lang::En, 120, 40);
    h.go(ScreenId::Volunteers).keys("<enter>").keys("?");
    let person = h.screen();
    assert!(
        person.contains("Erase or anonymise this person"),
        "{person}"
    );
    assert!(person.contains("access export"), "{person}");
    // A vacancy's detail neither lists them nor takes the keys.
    h.keys("<esc><esc>");
    h.go(ScreenId::Vacancies).keys("<enter>");
    assert!(
        h.session.app().view::<PersonDetail>().is_none(),
        "a vacancy is open, not a person"
    );
    h.keys("?");
    let vacancy = h.screen();
    assert!(!vacancy.contains("Erase or anonymise"), "{vacancy}");
    assert!(!vacancy.contains("access export"), "{vacancy}");
    h.keys("<esc>X");
    assert!(!h.screen().contains("Kept for the reports"));
}
