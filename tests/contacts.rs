//! 3 Versterken › Contacts driven by keys, on deterministic demo data: the follow-ups due
//! today or earlier open first; `c` on an organisation logs a contact; a follow-up before the
//! contact is refused beside its field; a follow-up marked done leaves the view.

mod common;

use common::harness;
use koppel::i18n::Lang;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::contacts::ContactList;
use koppel::ui::screens::contacts::detail::DetailView;
use koppel::ui::screens::contacts::form::FormView;
use koppel::ui::screens::organisations::detail::DetailView as OrganisationDetail;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 27);

#[test]
fn the_follow_ups_due_open_first_most_overdue_first_in_both_languages() {
    for (lang, name, shown) in [
        (
            Lang::Nl,
            "contacts_due_nl_80x24",
            "vervolgacties voor vandaag en eerder",
        ),
        (
            Lang::En,
            "contacts_due_en_80x24",
            "follow-ups due today or earlier",
        ),
    ] {
        let mut h = harness(250, lang, 80, 24);
        h.go(ScreenId::Contacts);
        let due: Vec<_> = h
            .model()
            .contacts()
            .iter()
            .filter(|c| c.is_due(TODAY))
            .cloned()
            .collect();
        assert!(!due.is_empty());
        let total = h.model().contacts().len();
        let s = h.screen();
        assert!(s.contains(shown), "{s}");
        let of = if lang == Lang::Nl { "van" } else { "of" };
        assert!(s.contains(&format!("{} {of} {total}", due.len())), "{s}");
        // The most overdue is selected first.
        let list: &ContactList = h.screen_as(ScreenId::Contacts);
        let first = list.table.selected_id(&h.model()).unwrap();
        let oldest = due.iter().min_by_key(|c| (c.follow_up, c.id)).unwrap();
        assert_eq!(
            h.model().contacts().get(first).unwrap().follow_up,
            oldest.follow_up
        );
        insta::assert_snapshot!(name, s);
        // f shows the whole log.
        h.keys("f");
        assert!(
            h.screen().contains(&format!("{total} {of} {total}")),
            "{}",
            h.screen()
        );
    }
}

#[test]
fn a_contact_is_logged_from_an_organisation_and_a_follow_up_before_it_is_refused() {
    let mut h = harness(250, Lang::En, 100, 40);
    h.go(ScreenId::Organisations).keys("<enter>");
    let org = h
        .session
        .app()
        .view::<OrganisationDetail>()
        .expect("detail")
        .record
        .clone();
    h.keys("c");
    assert!(
        h.session.app().view::<FormView>().is_some(),
        "{}",
        h.screen()
    );
    // Channel has the focus: visit; then contact person, subject, basic function, notes, follow-up.
    h.keys("<right><right><tab>")
        .text("Marieke")
        .keys("<tab>")
        .text("Open dag in maart")
        .keys("<tab><tab><tab>")
        .text("01-11-2026")
        .keys("<tab>");
    assert!(
        h.screen()
            .contains("the follow-up cannot lie before the contact itself"),
        "{}",
        h.screen()
    );
    h.keys("<s-tab><c-u>").text("27-11-2026").keys("<c-s>");
    let d = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("saved\n{}", h.screen()));
    let c = d.record.data.clone();
    assert_eq!(c.organisation, org.meta.id);
    assert_eq!(c.subject, "Open dag in maart");
    assert_eq!(c.follow_up, Some(TODAY));
    assert_eq!(c.channel, koppel::domain::contact::Channel::Visit);
    assert!(h.screen().contains("(today)"), "{}", h.screen());
    // It is due today: the contacts screen lists it; marked done, it leaves the list.
    let id = d.record.meta.id;
    h.keys("<esc>").go(ScreenId::Contacts);
    let in_view = |h: &common::Harness| {
        let list: &ContactList = h.screen_as(ScreenId::Contacts);
        let m = h.model();
        list.table
            .view()
            .iter()
            .any(|&i| m.contacts()[i as usize].id == id)
    };
    assert!(in_view(&h));
    h.keys("/").text("open dag in maart").keys("<enter>");
    assert_eq!(
        h.session
            .app()
            .view::<DetailView>()
            .map(|d| d.record.meta.id),
        Some(id)
    );
    // Edit: tab to the follow-up's done box and tick it.
    h.keys("e");
    for _ in 0..8 {
        h.keys("<tab>");
    }
    h.keys(" <c-s>");
    let done = h
        .session
        .app()
        .view::<DetailView>()
        .map(|d| d.record.data.done);
    assert_eq!(done, Some(true), "{}", h.screen());
    h.keys("<esc>");
    assert!(!in_view(&h), "{}", h.screen());
}
