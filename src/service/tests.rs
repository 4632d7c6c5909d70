//! Tests of the use cases: what front-desk staff, consultants, coordinators and the
//! administrator can rely on, whichever front end they use.

use super::*;
use crate::clock::FixedClock;
use crate::domain::volunteer::{DuplicateReason, Status};
use crate::domain::{Field, Problem, VolunteerDraft};
use crate::store::ChangeOp;
use crate::store::kinds::volunteer_index;
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
    crate::domain::volunteer::sample_intake()
}

fn valid(d: VolunteerDraft) -> Volunteer {
    let rules = Config::default().rules(time::macros::date!(2026 - 11 - 27));
    d.validate(&rules).expect("a valid sample")
}

fn anouk() -> Volunteer {
    valid(draft())
}

/// Someone else entirely: other name, birth date, e-mail and phone.
fn bram() -> Volunteer {
    valid(VolunteerDraft {
        given_name: "Bram".into(),
        prefix: String::new(),
        family_name: "Yılmaz".into(),
        birth_date: "12-08-1961".into(),
        phone: "06 - 1234 5678".into(),
        email: "bram@example.nl".into(),
        ..draft()
    })
}

fn audit_events(service: &Service) -> Vec<AuditEvent> {
    service
        .store
        .scan::<AuditEvent>()
        .map(|e| e.expect("audit decodes").data)
        .collect()
}

#[test]
fn an_intake_is_saved_with_its_audit_event() {
    let (_dir, service) = service();
    let feed = service.store.subscribe();
    let saved = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    assert_eq!((saved.meta.id, saved.meta.revision), (1, 1));
    assert_eq!(saved.data, anouk());
    assert_eq!(saved.meta.created.by, "balie1");
    assert_eq!(saved.meta.created.at, datetime!(2026-11-27 10:00 +1));
    assert_eq!(
        service
            .store
            .find::<Volunteer>(&volunteer_index::EMAIL, "anouk@example.nl")
            .expect("index"),
        vec![1]
    );
    let mut expected = AuditEvent {
        at: datetime!(2026-11-27 10:00 +1),
        actor: "balie1".into(),
        action: "register_intake".into(),
        subject: "volunteer/1".into(),
        detail: String::new(),
        person: Some(1),
        fields: Vec::new(),
        chain: Default::default(),
    };
    // The first entry of the trail, linked to the start of the chain.
    expected.link(1, crate::domain::audit::GENESIS);
    assert_eq!(audit_events(&service), vec![expected]);
    // Both were written by the one transaction: the feed reports them together.
    let changes: Vec<(Kind, u64)> = feed.try_iter().map(|c| (c.kind, c.id)).collect();
    assert_eq!(changes, vec![(Kind::Volunteer, 1), (Kind::Audit, 1)]);
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
    assert_eq!(service.store.count::<Volunteer>(), 0);
    assert_eq!(service.store.count::<AuditEvent>(), 0);

    // An edit is checked the same way before anything is read or written.
    let saved = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    assert!(matches!(
        service.update_volunteer(&balie(), saved.meta.id, 1, v),
        Err(ServiceError::Invalid(p)) if p.len() == 5
    ));
    assert_eq!(service.store.count::<AuditEvent>(), 1);
}

#[test]
fn a_likely_duplicate_stops_the_save_unless_saved_anyway() {
    let (_dir, service) = service();
    let first = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    let same_person = |v: Volunteer| service.register_intake(&balie(), v, false);
    let by_name_and_birth = Volunteer {
        email: "a.vdberg@example.nl".into(),
        phone: "0611111111".into(),
        ..anouk()
    };
    let by_email = Volunteer {
        email: "anouk@example.nl".into(),
        ..bram()
    };
    let by_phone = Volunteer {
        phone: "0787708500".into(),
        ..bram()
    };
    for (v, reason) in [
        (by_name_and_birth, DuplicateReason::NameAndBirthDate),
        (by_email, DuplicateReason::Email),
        (by_phone.clone(), DuplicateReason::Phone),
    ] {
        match same_person(v) {
            Err(ServiceError::Duplicates(dups)) => {
                assert_eq!(dups.len(), 1);
                assert_eq!(dups[0].existing, first);
                assert_eq!(dups[0].reasons, vec![reason]);
            }
            other => panic!("expected a duplicate by {reason:?}, got {other:?}"),
        }
    }
    assert_eq!(service.store.count::<Volunteer>(), 1);
    assert_eq!(service.store.count::<AuditEvent>(), 1);

    // Someone else altogether is no duplicate.
    assert!(
        service
            .find_duplicates(&balie(), &bram(), None)
            .expect("search")
            .is_empty()
    );
    // The person being edited is not their own duplicate.
    assert!(
        service
            .find_duplicates(&balie(), &anouk(), Some(1))
            .expect("search")
            .is_empty()
    );

    // The user looked and decided it is someone else: saved, and the audit trail says so.
    let saved = service
        .register_intake(&balie(), by_phone, true)
        .expect("saved anyway");
    assert_eq!(saved.meta.id, 2);
    let audit = audit_events(&service);
    assert_eq!(audit[1].subject, "volunteer/2");
    assert_eq!(audit[1].detail, "saved despite a likely duplicate");
}

#[test]
fn a_stale_edit_is_a_conflict_and_keeps_the_other_save() {
    let (_dir, service) = service();
    let opened = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    let consultant = account("consulent2", Role::Consultant);

    // Two people opened revision 1; the consultant saves first.
    let theirs = Volunteer {
        hours_per_week: 8,
        ..opened.data.clone()
    };
    let saved = service
        .update_volunteer(&consultant, 1, opened.meta.revision, theirs.clone())
        .expect("first save");
    assert_eq!(saved.meta.revision, 2);

    let mine = Volunteer {
        address: "Wijnstraat 1".into(),
        ..opened.data.clone()
    };
    match service.update_volunteer(&balie(), 1, opened.meta.revision, mine) {
        Err(ServiceError::Conflict {
            expected,
            found,
            by,
            ..
        }) => {
            assert_eq!((expected, found), (1, 2));
            assert_eq!(by, "consulent2");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = service
        .volunteer(&balie(), 1)
        .expect("read")
        .expect("present");
    assert_eq!(stored, saved);
    assert_eq!(stored.data, theirs);
    let actions: Vec<String> = audit_events(&service)
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["register_intake", "update_volunteer"]);
}

#[test]
fn status_changes_follow_the_pipeline() {
    let (_dir, service) = service();
    service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    match service.change_status(&balie(), 1, 1, Status::Placed) {
        Err(ServiceError::Invalid(problems)) => assert_eq!(
            problems,
            vec![FieldError::new(
                Field::Status,
                Problem::Transition {
                    from: "new".into(),
                    to: "placed".into()
                }
            )]
        ),
        other => panic!("expected a refused transition, got {other:?}"),
    }
    let unchanged = service
        .volunteer(&balie(), 1)
        .expect("read")
        .expect("present");
    assert_eq!(
        (unchanged.meta.revision, unchanged.data.status),
        (1, Status::New)
    );
    assert_eq!(service.store.count::<AuditEvent>(), 1);

    let mut revision = 1;
    for to in [
        Status::IntakeHeld,
        Status::BeingMatched,
        Status::Placed,
        Status::Inactive,
    ] {
        let saved = service
            .change_status(&balie(), 1, revision, to)
            .unwrap_or_else(|e| panic!("to {to:?}: {e}"));
        assert_eq!(saved.data.status, to);
        revision = saved.meta.revision;
    }
    assert_eq!(revision, 5);
    let changes: Vec<(String, String)> = audit_events(&service)
        .into_iter()
        .skip(1)
        .map(|a| (a.action, a.detail))
        .collect();
    assert_eq!(
        changes,
        [
            "status: new -> intake_held",
            "status: intake_held -> being_matched",
            "status: being_matched -> placed",
            "status: placed -> inactive",
        ]
        .map(|d| ("change_status".to_string(), d.to_string()))
    );
    assert!(matches!(
        service.change_status(&balie(), 1, revision, Status::Placed),
        Err(ServiceError::Invalid(_))
    ));
    assert_eq!(
        service
            .store
            .scan::<Volunteer>()
            .filter(|v| v.as_ref().expect("read").data.status == Status::Inactive)
            .count(),
        1
    );
    assert_eq!(service.store.count::<AuditEvent>(), 5);
}

#[test]
fn a_missing_volunteer_is_not_found() {
    let (_dir, service) = service();
    assert!(service.volunteer(&balie(), 9).expect("read").is_none());
    assert!(matches!(
        service.change_status(&balie(), 9, 1, Status::IntakeHeld),
        Err(ServiceError::NotFound { id: 9, .. })
    ));
    assert!(matches!(
        service.update_volunteer(&balie(), 9, 1, anouk()),
        Err(ServiceError::NotFound { id: 9, .. })
    ));
    assert_eq!(service.store.count::<AuditEvent>(), 0);
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
            service.import(&who, &mut "".as_bytes(), true),
            Err(ServiceError::Forbidden {
                what: Permission::ImportAll,
                ..
            })
        ));
    }
    assert!(matches!(
        service.import(
            &account("coordinator", Role::Coordinator),
            &mut "".as_bytes(),
            true
        ),
        Err(ServiceError::Forbidden { .. })
    ));
    assert!(
        service
            .import(&account("beheer", Role::Admin), &mut "".as_bytes(), true)
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

#[test]
fn coordinators_and_administrators_export_everything() {
    let (_dir, service) = service();
    service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    service
        .register_intake(&balie(), bram(), false)
        .expect("saved");
    for role in [Role::Coordinator, Role::Admin] {
        let mut sink = Vec::new();
        let counts = service
            .export_all(&account("iemand", role), &mut sink)
            .expect("export");
        // Every kind is counted, in export order; kinds without records count 0.
        assert_eq!(counts.len(), Kind::ALL.len());
        assert_eq!(counts[..2], [(Kind::Volunteer, 2), (Kind::Audit, 2)]);
        assert!(counts[2..].iter().all(|(_, n)| *n == 0));
        let text = String::from_utf8(sink).expect("UTF-8");
        assert_eq!(text.lines().count(), 4);
        assert!(text.contains("anouk@example.nl"));
    }
}

#[test]
fn a_stale_status_change_is_a_conflict_not_a_transition_error() {
    let (_dir, service) = service();
    let opened = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    let consultant = account("consulent2", Role::Consultant);
    // Someone moves the person on to intake held, then being matched.
    let r2 = service
        .change_status(&consultant, 1, opened.meta.revision, Status::IntakeHeld)
        .expect("intake held");
    service
        .change_status(&consultant, 1, r2.meta.revision, Status::BeingMatched)
        .expect("being matched");
    // A stale edit from revision 1 that would also be a bad transition from today's status
    // (being matched → new is not allowed): the user is told about the conflict.
    let mine = Volunteer {
        address: "Wijnstraat 1".into(),
        ..opened.data.clone()
    };
    match service.update_volunteer(&balie(), 1, opened.meta.revision, mine) {
        Err(ServiceError::Conflict { found, .. }) => assert_eq!(found, 3),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn check_fill_and_import_need_their_permissions() {
    let (_dir, service) = service();
    for role in [Role::Intake, Role::Consultant] {
        assert!(matches!(
            service.check(&account("iemand", role)),
            Err(ServiceError::Forbidden {
                what: Permission::CheckStore,
                ..
            })
        ));
    }
    for role in [Role::Coordinator, Role::Admin] {
        let report = service.check(&account("iemand", role)).expect("check");
        assert!(report.problems.is_empty());
    }
    for role in [Role::Intake, Role::Consultant, Role::Coordinator] {
        assert!(matches!(
            service.fill_demo(&account("iemand", role), &[anouk()]),
            Err(ServiceError::Forbidden {
                what: Permission::FillDemo,
                ..
            })
        ));
    }
    assert_eq!(service.store.count::<Volunteer>(), 0);
    let admin = account("beheer", Role::Admin);
    assert_eq!(
        service.fill_demo(&admin, &[anouk(), bram()]).expect("fill"),
        Some((1, 2))
    );
    let audit = audit_events(&service);
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].action.as_str(), audit[0].detail.as_str()),
        ("demo_fill", "2 demo volunteers, ids 1 to 2")
    );
}

#[test]
fn audit_events_about_a_volunteer_are_found_through_the_person() {
    let (_dir, service) = service();
    let who = balie();
    let anouk = service
        .register_intake(&who, anouk(), false)
        .expect("saved");
    let bram = service.register_intake(&who, bram(), false).expect("saved");
    service
        .change_status(&who, anouk.meta.id, 1, Status::IntakeHeld)
        .expect("status");
    assert_eq!(
        service.about_person(&who, anouk.meta.id).expect("refs"),
        vec![(Kind::Audit, 1), (Kind::Audit, 3)]
    );
    // The front desk does not read the audit trail; a coordinator does.
    assert!(matches!(
        service.audit_of_person(&who, anouk.meta.id),
        Err(ServiceError::Forbidden { .. })
    ));
    let lead = Account {
        name: "ingrid".into(),
        role: Role::Coordinator,
    };
    let trail = service
        .audit_of_person(&lead, anouk.meta.id)
        .expect("trail");
    let actions: Vec<&str> = trail.iter().map(|e| e.data.action.as_str()).collect();
    assert_eq!(actions, ["register_intake", "change_status"]);
    // A change records which fields it touched.
    assert_eq!(trail[1].data.fields, ["status"]);
    assert!(trail.iter().all(|e| e.data.person == Some(anouk.meta.id)));
    assert_eq!(
        service.about_person(&who, bram.meta.id).expect("refs"),
        vec![(Kind::Audit, 2)]
    );
    // Store-wide events are about nobody.
    service
        .import(&account("beheer", Role::Admin), &mut "".as_bytes(), false)
        .expect("import");
    assert_eq!(service.about_person(&who, 0).expect("refs"), vec![]);
}

#[test]
fn reads_take_the_account_and_errors_are_typed() {
    let (_dir, service) = service();
    let saved = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    let read = service
        .volunteer(&account("consulent2", Role::Consultant), saved.meta.id)
        .expect("read");
    assert_eq!(read, Some(saved));
    assert_eq!(service.volunteer_count(&balie()).expect("count"), 1);
    let bad = "{\"kind\":\"volunteer\"}\n";
    match service.import(&account("beheer", Role::Admin), &mut bad.as_bytes(), true) {
        Err(ServiceError::ImportLines(lines)) => assert_eq!(lines[0].line, 1),
        other => panic!("expected wrong lines, got {other:?}"),
    }
}

#[test]
fn after_a_failed_sync_every_save_is_refused_and_nothing_is_published() {
    let (_dir, service) = service();
    let saved = service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    let feed = service.store.subscribe();
    service.store.fail_next_sync_for_tests();
    let failing = service.register_intake(&balie(), bram(), false);
    assert!(
        matches!(failing, Err(ServiceError::Stopped { .. })),
        "{failing:?}"
    );
    assert!(service.stopped().is_some());
    // The next save is refused before anything is written.
    let next = service.change_status(&balie(), saved.meta.id, 1, Status::IntakeHeld);
    assert!(
        matches!(next, Err(ServiceError::Stopped { .. })),
        "{next:?}"
    );
    assert!(
        feed.try_recv().is_err(),
        "a failed or refused save was published"
    );
    // Reads keep working.
    assert_eq!(
        service
            .volunteer(&balie(), saved.meta.id)
            .expect("read")
            .map(|s| s.meta.revision),
        Some(1)
    );
    let text = |lang| crate::i18n::errors::service_error(lang, next.as_ref().unwrap_err());
    assert!(text(crate::i18n::Lang::En).contains("stopped saving to protect your data"));
    assert!(text(crate::i18n::Lang::Nl).contains("Start koppel opnieuw"));
}

#[test]
fn closing_ends_the_feed_and_refuses_later_saves() {
    let (_dir, service) = service();
    let feed = service.store.subscribe();
    service
        .register_intake(&balie(), anouk(), false)
        .expect("saved");
    let seqs: Vec<(u64, ChangeOp)> = feed.try_iter().map(|c| (c.seq, c.op)).collect();
    assert_eq!(seqs, vec![(1, ChangeOp::Put), (2, ChangeOp::Put)]);
    service.close().expect("close");
    assert!(feed.recv().is_err(), "the feed did not end on close");
    assert!(matches!(
        service.register_intake(&balie(), bram(), false),
        Err(ServiceError::Closed)
    ));
    assert_eq!(service.volunteer_count(&balie()).expect("count"), 1);
}

/// A clock a test moves on.
struct MovingClock(std::sync::Mutex<time::OffsetDateTime>);

impl crate::clock::Clock for MovingClock {
    fn now(&self) -> time::OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

#[test]
fn backups_are_written_daily_privately_and_only_the_newest_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("store")).expect("store opens");
    let clock = Arc::new(MovingClock(std::sync::Mutex::new(datetime!(
        2026-11-27 10:00 UTC
    ))));
    let config = Config {
        backups_kept: 3,
        ..Config::default()
    };
    let service = Service::new(store, clock.clone(), config);
    let admin = account("beheer", Role::Admin);
    service.register_intake(&balie(), anouk(), false).unwrap();

    let first = service
        .backup_if_due(&admin)
        .unwrap()
        .expect("the first is due");
    assert!(first.ends_with("backups/koppel-2026-11-27T100000Z.jsonl"));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&first), 0o600);
    assert_eq!(mode(&service.backup_dir()), 0o700);
    // Later that day: none is due.
    *clock.0.lock().unwrap() = datetime!(2026-11-27 17:00 UTC);
    assert_eq!(service.backup_if_due(&admin).unwrap(), None);
    // Three more days: one a day, the newest three kept.
    for day in 28..=30 {
        *clock.0.lock().unwrap() = datetime!(2026-11-01 09:00 UTC).replace_day(day).unwrap();
        assert!(service.backup_if_due(&admin).unwrap().is_some());
    }
    let mut names: Vec<String> = std::fs::read_dir(service.backup_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "koppel-2026-11-28T090000Z.jsonl",
            "koppel-2026-11-29T090000Z.jsonl",
            "koppel-2026-11-30T090000Z.jsonl"
        ]
    );
    // A backup is a complete export: it restores into a new store.
    let text = std::fs::read_to_string(service.backup_dir().join(&names[2])).unwrap();
    let (_dir2, copy) = self::service();
    copy.import(&admin, &mut text.as_bytes(), false).unwrap();
    assert_eq!(copy.volunteer_count(&admin).unwrap(), 1);
    // A temporary file of a backup killed half-way is cleared, and the folder made private.
    let stale = service.backup_dir().join(".koppel-abc123.tmp");
    std::fs::write(&stale, "half").unwrap();
    std::fs::set_permissions(service.backup_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    service.backup_now(&admin).unwrap();
    assert!(!stale.exists());
    assert_eq!(mode(&service.backup_dir()), 0o700);
    // A file of the user's own in the folder is never taken for a backup, nor deleted.
    let own = service.backup_dir().join("koppel-voor-upgrade.jsonl");
    std::fs::write(&own, "mine").unwrap();
    *clock.0.lock().unwrap() = datetime!(2026-12-01 09:00 UTC);
    assert!(service.backup_if_due(&admin).unwrap().is_some());
    assert!(own.exists());
    assert_eq!(service.backup_if_due(&admin).unwrap(), None);
    // The front desk may not write one.
    assert!(matches!(
        service.backup_now(&balie()),
        Err(ServiceError::Forbidden { .. })
    ));
}

/// A store in `path` holding one person, as an older koppel (store version 3) left it; the
/// clock to open it with.
fn older_store(path: &std::path::Path) -> Arc<FixedClock> {
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 UTC)));
    let service = Service::new(
        Store::open(path).expect("store opens"),
        clock.clone(),
        Config::default(),
    );
    service.register_intake(&balie(), anouk(), false).unwrap();
    service
        .store
        .set_version_for_tests(3)
        .expect("an older layout");
    service.close().expect("closes");
    clock
}

/// A store in an older layout is backed up before the layout is updated, once: the backup
/// holds its people, and opening the updated store again writes no second one.
#[test]
fn a_store_in_an_older_layout_is_backed_up_before_it_is_updated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let clock = older_store(&path);
    let open = || {
        Service::open_with(
            &path,
            clock.clone(),
            Config::default(),
            crate::store::Access::Read,
        )
        .expect("opens")
    };
    let backups = |service: &Service| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(service.backup_dir())
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default()
    };
    let service = open();
    assert_eq!(
        service.store.version().unwrap(),
        crate::store::KNOWN_VERSION
    );
    let written = backups(&service);
    assert_eq!(written.len(), 1, "{written:?}");
    let text = std::fs::read_to_string(&written[0]).unwrap();
    assert!(text.contains("\"kind\":\"volunteer\""), "{text}");
    assert!(text.contains(&anouk().name.family), "{text}");
    service.close().unwrap();
    drop(service);
    let service = open();
    assert_eq!(backups(&service), written);
}

/// When that backup cannot be written, the store is not opened (nor updated), and the sentence
/// says why.
#[test]
fn a_store_whose_backup_before_an_update_fails_is_not_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let clock = older_store(&path);
    // A file where the backups folder goes.
    std::fs::write(path.join("backups"), b"not a folder").unwrap();
    let refused = Service::open_with(
        &path,
        clock.clone(),
        Config::default(),
        crate::store::Access::Read,
    );
    let Err(e) = refused else {
        panic!("opened without a backup")
    };
    assert!(matches!(e, ServiceError::MigrationBackup { .. }), "{e:?}");
    let text = crate::i18n::errors::service_error(crate::i18n::Lang::Nl, &e);
    assert!(text.contains("reservekopie"), "{text}");
    assert!(text.contains("niets veranderd"), "{text}");
    assert_eq!(
        std::fs::read(path.join("backups")).unwrap(),
        b"not a folder"
    );
}
