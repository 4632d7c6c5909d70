//! The access export holds every record about the person and nothing about anyone else.

use super::*;
use crate::clock::FixedClock;
use crate::config::{Config, PrivacySettings};
use crate::domain::activity::Thanks;
use crate::domain::vacancy::VacancyStatus;
use crate::domain::volunteer::Volunteer;
use crate::service::Role;
use crate::store::Store;
use std::sync::Arc;
use time::macros::datetime;

fn acting(name: &str, role: Role) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

fn admin() -> Account {
    acting("beheer", Role::Admin)
}

fn service(config: Config) -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let s = Service::new(store, clock, config);
    crate::demo::fill(&s, &admin(), 60, 42).unwrap();
    (dir, s)
}

/// The demo store, with the person of the first trajectory given a placement, a goal and a
/// thank-you as well; returns the service, that person and someone else with a trajectory
/// and a placement of their own (and a phone number and an e-mail address).
fn fixture() -> (tempfile::TempDir, Service, u64, Stored<Volunteer>) {
    let (dir, s) = service(Config::default());
    let trajectories: Vec<Stored<Trajectory>> =
        s.store.scan::<Trajectory>().map(Result::unwrap).collect();
    let first = &trajectories[0];
    let person = first.data.person;
    let vacancy = s
        .store
        .scan::<Vacancy>()
        .map(Result::unwrap)
        .find(|v| v.data.status == VacancyStatus::Open)
        .expect("an open demo vacancy");
    let placement = s
        .propose_placement(&admin(), person, vacancy.meta.id)
        .unwrap();
    s.add_goal(
        &admin(),
        first.meta.id,
        first.meta.revision,
        "Elke week naar de inloop".into(),
    )
    .unwrap();
    s.log_thanks(
        &admin(),
        Thanks::PlacementYears {
            person,
            placement: placement.meta.id,
            years: 5,
        },
        "Vijf jaar".into(),
        None,
    )
    .unwrap();
    let own = s.store.get::<Volunteer>(person).unwrap().unwrap();
    let other = trajectories
        .iter()
        .filter(|t| t.data.person != person)
        .filter_map(|t| s.store.get::<Volunteer>(t.data.person).unwrap())
        .find(|v| {
            !v.data.phone.is_empty()
                && !v.data.email.is_empty()
                && v.data.name.full() != own.data.name.full()
                && v.data.phone != own.data.phone
                && v.data.email != own.data.email
        })
        .expect("someone else with a trajectory, a phone and an e-mail");
    s.propose_placement(&admin(), other.meta.id, vacancy.meta.id)
        .unwrap();
    (dir, s, person, other)
}

#[test]
fn an_access_export_holds_every_record_about_the_person_and_nothing_about_anyone_else() {
    let (_dir, s, person, other) = fixture();
    let file = s
        .access_export(&admin(), person, "Verzoek per brief van 20-11-2026")
        .unwrap();
    assert_eq!(file.person.id, person);
    // Every record the reference index knows about the person is in it, in its section.
    let about = s.store.about_person(person).unwrap();
    for kind in [
        Kind::Placement,
        Kind::Trajectory,
        Kind::Activity,
        Kind::Audit,
    ] {
        assert!(
            about.iter().any(|(k, _)| *k == kind),
            "the fixture has a {kind} about the person"
        );
    }
    for (kind, id) in &about {
        let found = match kind {
            Kind::Placement => file.placements.iter().any(|e| e.id == *id),
            Kind::Trajectory => file.trajectories.iter().any(|e| e.id == *id),
            Kind::Activity => file.activities.iter().any(|e| e.id == *id),
            Kind::Audit => file.audit.iter().any(|e| e.id == *id),
            k => file
                .other
                .iter()
                .any(|o| o.kind == k.as_str() && o.id == *id),
        };
        assert!(
            found,
            "{kind} {id} is about the person but not in the export"
        );
    }
    let t = &file.trajectories[0].data;
    assert!(t.goals.iter().any(|g| g.text == "Elke week naar de inloop"));
    assert!(!t.ladder.is_empty() && !t.phases.is_empty());
    // The export itself is logged, with its reason, and listed.
    let logged = file.audit.last().unwrap();
    assert_eq!(logged.action, EXPORT_ACTION);
    assert_eq!(logged.detail, "Verzoek per brief van 20-11-2026");
    assert_eq!(logged.actor, "beheer");
    // Nothing about the other person: not in the data, nor in either letter.
    let o = &other.data;
    let texts = [
        crate::report::access::json(&file),
        crate::report::access::letter(&file, crate::i18n::Lang::Nl),
        crate::report::access::letter(&file, crate::i18n::Lang::En),
    ];
    for text in &texts {
        for needle in [
            o.name.full(),
            o.name.filed(),
            o.phone.clone(),
            o.phone_display(),
            o.email.clone(),
        ] {
            assert!(
                !text.contains(&needle),
                "{needle:?} of someone else is in it"
            );
        }
        assert!(text.contains(&file.person.data.name.given));
    }
    assert!(
        file.audit
            .iter()
            .all(|a| !a.subject.ends_with(&format!("volunteer/{}", other.meta.id)))
    );
}

#[test]
fn an_unknown_person_or_no_reason_is_refused_and_logs_nothing() {
    let (_dir, s) = service(Config::default());
    let before = s.store.count::<AuditEvent>();
    let r = s.access_export(&admin(), 999_999, "verzoek");
    assert!(
        matches!(
            r,
            Err(ServiceError::NotFound {
                kind: Kind::Volunteer,
                id: 999_999
            })
        ),
        "{r:?}"
    );
    let r = s.access_export(&admin(), 1, "   ");
    assert!(matches!(r, Err(ServiceError::Invalid(_))), "{r:?}");
    assert_eq!(s.store.count::<AuditEvent>(), before);
}

#[test]
fn coordinators_export_only_when_the_configuration_says_so() {
    let (_dir, s) = service(Config::default());
    for role in [Role::Intake, Role::Consultant, Role::Coordinator] {
        let r = s.access_export(&acting("x", role), 1, "verzoek");
        assert!(
            matches!(r, Err(ServiceError::Forbidden { .. })),
            "{role:?}: {r:?}"
        );
    }
    let (_dir, s) = service(Config {
        privacy: PrivacySettings {
            coordinators_may_export: true,
        },
        ..Config::default()
    });
    assert!(
        s.access_export(&acting("ingrid", Role::Coordinator), 1, "verzoek")
            .is_ok()
    );
    assert!(s.may(
        &acting("ingrid", Role::Coordinator),
        Permission::ExportPerson
    ));
    for role in [Role::Intake, Role::Consultant] {
        let r = s.access_export(&acting("x", role), 1, "verzoek");
        assert!(
            matches!(r, Err(ServiceError::Forbidden { .. })),
            "{role:?}: {r:?}"
        );
    }
}
