//! Tests of the use cases: what front-desk staff, consultants, coordinators and the
//! administrator can rely on, whichever front end they use.

use super::*;
use crate::clock::FixedClock;
use crate::domain::VolunteerDraft;
use crate::domain::volunteer::{Interest, Status};
use std::sync::Arc;
use tempfile::TempDir;
use time::macros::datetime;

fn service() -> (TempDir, Service) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("store")).expect("store opens");
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
    (dir, Service::new(store, clock, Config::default()))
}

fn account(name: &str, role: Role) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

fn balie() -> Account {
    account("balie1", Role::Intake)
}

fn draft() -> VolunteerDraft {
    VolunteerDraft {
        given_name: "Anouk".into(),
        prefix: "van den".into(),
        family_name: "Berg".into(),
        birth_date: "05-04-1999".into(),
        address: "Voorstraat 12".into(),
        postcode: "3311 AB".into(),
        municipality: "Dordrecht".into(),
        phone: "078 - 770 85 00".into(),
        email: "anouk@example.nl".into(),
        interests: vec![Interest::Care],
        hours_per_week: "4".into(),
        consent: true,
        consent_date: "27-11-2026".into(),
        intake_date: "27-11-2026".into(),
        ..VolunteerDraft::default()
    }
}

fn valid(d: VolunteerDraft) -> Volunteer {
    let rules = Config::default().rules(time::macros::date!(2026 - 11 - 27));
    d.validate(&rules).expect("a valid sample")
}

fn anouk() -> Volunteer {
    valid(draft())
}

fn audit_events(service: &Service) -> Vec<AuditEvent> {
    service
        .store()
        .scan::<AuditEvent>()
        .map(|e| e.expect("audit decodes").data)
        .collect()
}

#[test]
fn an_intake_is_saved_with_its_audit_event() {
    let (_dir, service) = service();
    let feed = service.store().subscribe();
    let saved = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    assert_eq!((saved.meta.id, saved.meta.revision), (1, 1));
    assert_eq!(saved.data, anouk());
    assert_eq!(saved.meta.created.by, "balie1");
    assert_eq!(saved.meta.created.at, datetime!(2026-11-27 10:00 +1));
    assert_eq!(
        service
            .store()
            .find::<Volunteer>(volunteer_index::EMAIL, "anouk@example.nl")
            .expect("index"),
        vec![1]
    );
    assert_eq!(
        audit_events(&service),
        vec![AuditEvent {
            at: datetime!(2026-11-27 10:00 +1),
            actor: "balie1".into(),
            action: "register_intake".into(),
            subject: "volunteer/1".into(),
            detail: String::new(),
        }]
    );
    // Both were written by the one transaction: the feed reports them together.
    let changes: Vec<(&str, u64)> = feed.try_iter().map(|c| (c.kind, c.id)).collect();
    assert_eq!(changes, vec![("volunteer", 1), ("audit", 1)]);
}

#[test]
fn invalid_input_is_refused_naming_every_field() {
    let (_dir, service) = service();
    let mut v = anouk();
    v.name.given = String::new();
    v.postcode = "33 AB".into();
    v.municipality = "Amsterdam".into();
    v.email = "anouk@".into();
    v.hours_per_week = 61;
    match service.register_intake(&balie(), v.clone(), true) {
        Err(ServiceError::Invalid(problems)) => {
            let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
            assert_eq!(
                fields,
                vec![
                    Field::GivenName,
                    Field::Postcode,
                    Field::Municipality,
                    Field::Email,
                    Field::HoursPerWeek
                ]
            );
            assert!(problems.contains(&FieldError::new(
                Field::Municipality,
                Problem::UnknownMunicipality
            )));
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(service.store().count::<Volunteer>(), 0);
    assert_eq!(service.store().count::<AuditEvent>(), 0);

    // An edit is checked the same way before anything is read or written.
    let saved = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    assert!(matches!(
        service.update_volunteer(&balie(), saved.meta.id, 1, v),
        Err(ServiceError::Invalid(p)) if p.len() == 5
    ));
    assert_eq!(service.store().count::<AuditEvent>(), 1);
}

#[test]
fn a_missing_volunteer_is_not_found() {
    let (_dir, service) = service();
    assert!(service.volunteer(9).expect("read").is_none());
    assert!(matches!(
        service.change_status(&balie(), 9, 1, Status::IntakeHeld),
        Err(ServiceError::Store(StoreError::NotFound { id: 9, .. }))
    ));
    assert!(matches!(
        service.update_volunteer(&balie(), 9, 1, anouk()),
        Err(ServiceError::Store(StoreError::NotFound { id: 9, .. }))
    ));
    assert_eq!(service.store().count::<AuditEvent>(), 0);
}

#[test]
fn front_desk_and_consultants_cannot_export_or_import_everything() {
    let (_dir, service) = service();
    service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    for role in [Role::Intake, Role::Consultant] {
        let who = account("iemand", role);
        let mut sink = Vec::new();
        match service.export_all(&who, &mut sink) {
            Err(ServiceError::Forbidden { role: r, what }) => {
                assert_eq!((r, what), (role, Permission::ExportAll))
            }
            other => panic!("{role:?} exported: {other:?}"),
        }
        assert!(sink.is_empty(), "{role:?} got data");
        assert!(matches!(
            service.require_import(&who),
            Err(ServiceError::Forbidden {
                what: Permission::ImportAll,
                ..
            })
        ));
    }
    assert!(matches!(
        service.require_import(&account("coordinator", Role::Coordinator)),
        Err(ServiceError::Forbidden { .. })
    ));
    assert!(
        service
            .require_import(&account("beheer", Role::Admin))
            .is_ok()
    );
    // Everyone registers and edits volunteers.
    for role in [
        Role::Intake,
        Role::Consultant,
        Role::Coordinator,
        Role::Admin,
    ] {
        assert!(allowed(role, Permission::RegisterVolunteer));
        assert!(allowed(role, Permission::EditVolunteer));
    }
}
