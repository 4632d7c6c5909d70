//! 5 Verankeren › Auditlog driven by keys on deterministic demo data: who did what, newest
//! first; Enter opens the record an entry is about; `f` narrows the period; a role that may
//! not read the trail is told so and sees none of it.

mod common;

use common::{harness_as, harness_following};
use koppel::domain::organisation::{OrganisationDraft, OrganisationKind};
use koppel::i18n::Lang;
use koppel::service::Role;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::audit::AuditLog;
use koppel::ui::screens::organisations::detail::DetailView as OrganisationDetail;

fn add_organisation(h: &mut common::Harness, name: &str) -> u64 {
    let service = h.session.service();
    let draft = OrganisationDraft {
        name: name.into(),
        kind: OrganisationKind::Foundation,
        municipality: "Dordrecht".into(),
        ..OrganisationDraft::default()
    };
    let org = draft
        .validate(&service.rules())
        .expect("a valid organisation");
    let who = h.session.who().clone();
    let id = service.register_organisation(&who, org).unwrap().meta.id;
    h.until(|m| {
        m.audit_trail()
            .iter()
            .any(|r| r.subject_text == format!("organisation/{id}"))
    });
    id
}

#[test]
fn the_audit_log_shows_who_did_what_newest_first_and_opens_the_record_it_is_about() {
    for (lang, name, added, about) in [
        (
            Lang::En,
            "audit_log_en_80x24",
            "organisation added",
            "organisation",
        ),
        (
            Lang::Nl,
            "audit_log_nl_80x24",
            "organisatie toegevoegd",
            "organisatie",
        ),
    ] {
        let mut h = harness_following(Role::Coordinator, 60, lang, 80, 24);
        let id = add_organisation(&mut h, "Stichting Het Anker");
        h.go(ScreenId::AuditLog);
        let s = h.screen();
        // The newest entry is on top and selected, in words: what, about which record, by whom.
        let first = s
            .lines()
            .find(|l| l.contains("anouk") || l.contains("beheer"))
            .unwrap_or_else(|| panic!("{s}"));
        assert!(first.contains(added), "{s}");
        assert!(first.contains(&format!("{about} {id}")), "{s}");
        assert!(first.contains("anouk"), "{s}");
        // Enter on the top entry opens the organisation itself.
        h.keys("<home>");
        insta::assert_snapshot!(name, h.screen());
        let log: &AuditLog = h.screen_as(ScreenId::AuditLog);
        let newest = h.model().audit_trail().iter().map(|r| r.id).max();
        assert_eq!(log.table.selected_id(&h.model()), newest);
        h.keys("<enter>");
        let detail = h
            .session
            .app()
            .view::<OrganisationDetail>()
            .unwrap_or_else(|| panic!("{}", h.screen()));
        assert_eq!(detail.record.meta.id, id);
    }
}

#[test]
fn f_steps_through_periods_and_an_entry_about_the_whole_store_says_so() {
    let mut h = harness_as(Role::Admin, 30, Lang::En, 100, 30);
    h.go(ScreenId::AuditLog);
    assert!(
        h.screen().contains("f period: everything"),
        "{}",
        h.screen()
    );
    h.keys("f");
    assert!(
        h.screen().contains("f period: last 7 days"),
        "{}",
        h.screen()
    );
    // Every demo entry was written today (the fixed clock), so the week still shows them all.
    let total = h.model().audit_trail().len();
    assert!(
        h.screen().contains(&format!("{total} of {total}")),
        "{}",
        h.screen()
    );
    h.keys("fff");
    assert!(
        h.screen().contains("f period: everything"),
        "{}",
        h.screen()
    );
    // The demo's entries are about the whole store: Enter says so and opens nothing.
    h.keys("<enter>");
    assert!(
        h.screen()
            .contains("not about one record but about the whole store"),
        "{}",
        h.screen()
    );
    assert!(h.session.app().view::<OrganisationDetail>().is_none());
}

#[test]
fn the_front_desk_is_told_the_audit_log_is_for_coordinators_and_sees_none_of_it() {
    for (lang, text) in [
        (Lang::En, "Only coordinators and administrators"),
        (Lang::Nl, "alleen te zien voor coördinatoren en beheerders"),
    ] {
        let mut h = harness_as(Role::Intake, 30, lang, 80, 24);
        h.go(ScreenId::AuditLog);
        let s = h.screen();
        assert!(s.contains(text), "{s}");
        // No entry of the trail (all written at the fixed clock's 10:30) shows.
        assert!(!s.contains("10:30"), "the trail leaked: {s}");
        // Search and export do nothing here.
        h.keys("/");
        assert!(!h.screen().contains("Search:"), "{}", h.screen());
    }
}
