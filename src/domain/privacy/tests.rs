use super::*;
use crate::domain::audit::{AuditEvent, Follower};
use crate::domain::volunteer::sample_intake;
use crate::domain::volunteer::target_groups;
use time::macros::{date, datetime};

fn anouk() -> Volunteer {
    let rules = crate::config::Config::default().rules(date!(2026 - 11 - 27));
    sample_intake().validate(&rules).unwrap()
}

#[test]
fn the_anonymous_birth_date_keeps_the_target_groups_at_intake_and_is_never_the_real_one() {
    let intake = date!(2026 - 03 - 05);
    let mut day = date!(1920 - 01 - 01);
    while day < intake {
        let fake = anonymous_birth_date(day, intake);
        assert_ne!(fake, day);
        assert_eq!(
            target_groups(fake, intake, false),
            target_groups(day, intake, false),
            "born {day}"
        );
        // Known to five years at most.
        assert!(
            (age_on(fake, intake) - age_on(day, intake)).abs() <= 4,
            "born {day}"
        );
        day = day.next_day().unwrap();
    }
}

#[test]
fn an_anonymised_person_keeps_what_is_counted_and_nothing_that_says_who_they_are() {
    let v = anouk();
    let a = v.anonymised(date!(2026 - 11 - 27)).unwrap();
    assert_eq!(a.anonymised, Some(date!(2026 - 11 - 27)));
    assert_eq!(a.name.full(), "");
    assert!(a.address.is_empty() && a.postcode.is_empty());
    assert!(a.phone.is_empty() && a.email.is_empty());
    assert!(a.skills.is_empty() && a.motivation.is_empty() && a.notes.is_empty());
    assert_ne!(a.birth_date, v.birth_date);
    assert_eq!(
        (
            a.municipality.as_str(),
            a.status,
            a.intake_date,
            a.found_via,
            a.vulnerable
        ),
        (
            v.municipality.as_str(),
            v.status,
            v.intake_date,
            v.found_via,
            v.vulnerable
        )
    );
    assert!(keeps_target_groups(&v, &a));
    // Again: the same.
    assert_eq!(a.anonymised(date!(2027 - 01 - 01)).unwrap(), a);
}

#[test]
fn mentions_are_taken_out_of_text_whole_and_nothing_else() {
    let v = anouk();
    let m = Mentions::of(&v);
    let text = format!(
        "{} belde; mail {} of bel {}. Anouk komt dinsdag.",
        v.name.full(),
        v.email,
        v.phone_display()
    );
    let out = m.scrub(&text).unwrap();
    assert!(!out.contains(&v.name.full()) && !out.contains(&v.email));
    assert!(!out.contains(&v.phone_display()));
    // A lone given name is not taken out: too many people share it.
    assert!(out.ends_with("Anouk komt dinsdag."));
    assert_eq!(m.scrub("Niets over haar."), None);
}

#[test]
fn a_redacted_audit_entry_still_verifies_in_its_chain() {
    let mut e = AuditEvent {
        at: datetime!(2026-11-27 10:00 UTC),
        actor: "beheer".into(),
        action: "update_volunteer".into(),
        subject: "volunteer/12".into(),
        detail: "status: new -> intake_held".into(),
        person: Some(12),
        fields: vec!["status".into()],
        chain: Default::default(),
    };
    e.link(1, crate::domain::audit::GENESIS);
    let r = e.anonymised(date!(2026 - 11 - 27)).unwrap();
    assert!(r.chain.redacted);
    assert!(r.subject.is_empty() && r.detail.is_empty() && r.person.is_none());
    assert!(r.fields.is_empty());
    let mut f = Follower::default();
    f.next(1, &r);
    assert!(f.finish(1).is_empty());
    // Emptying the payload without saying so is a change the chain finds.
    let mut forged = r.clone();
    forged.chain.redacted = false;
    let mut f = Follower::default();
    f.next(1, &forged);
    assert!(!f.finish(1).is_empty());
}
