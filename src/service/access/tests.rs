//! Every use case of the service × every role: refused with `Forbidden` exactly where the
//! permission table says so. The table below has one row per use case; a `pub fn` of the
//! service that takes the acting account and has no row fails
//! `every_use_case_has_a_row_in_the_matrix`, so a new use case cannot skip its check.

use super::*;
use crate::clock::FixedClock;
use crate::config::Config;
use crate::domain::activity::Activity;
use crate::domain::contact::Contact;
use crate::domain::note::Note;
use crate::domain::organisation::Organisation;
use crate::domain::placement::{Placement, PlacementStatus, StatusStep};
use crate::domain::signal::Signal;
use crate::domain::staff::StaffAccount;
use crate::domain::trajectory::{
    Closing, GoalDone, GoalStatus, Handover, HoursLogged, LadderStep, Meeting, Outcome, Phase,
    PhaseMove,
};
use crate::domain::vacancy::Vacancy;
use crate::domain::volunteer::{Status, Volunteer};
use crate::store::{Record, Store};
use std::sync::Arc;
use time::macros::{date, datetime};

use Role::{Admin, Consultant, Coordinator, Intake};

/// The demo store and one record of every kind to act on.
struct Fx {
    s: Service,
    /// The consultant acting in the matrix: the one of the first demo trajectory.
    consultant: String,
    /// A trajectory of the consultant who acts in the matrix.
    trajectory: Stored<Trajectory>,
    _dir: tempfile::TempDir,
}

impl Fx {
    fn first<T: Record>(&self) -> Stored<T> {
        self.s
            .store
            .scan::<T>()
            .next()
            .expect("demo record")
            .unwrap()
    }
}

const ALL: &[Role] = &[Intake, Consultant, Coordinator, Admin];
const CASE: &[Role] = &[Consultant, Coordinator, Admin];
const LEAD: &[Role] = &[Coordinator, Admin];
const ADMIN: &[Role] = &[Admin];

fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let s = Service::new(store, clock, Config::default());
    let admin = acting(Admin);
    crate::demo::fill(&s, &admin, 40, 42).unwrap();
    let trajectory = s
        .store
        .scan::<Trajectory>()
        .filter_map(Result::ok)
        .next()
        .expect("a demo trajectory");
    Fx {
        s,
        consultant: trajectory.data.consultant.clone(),
        trajectory,
        _dir: dir,
    }
}

/// The demo account acting in each role (the consultant: see [`Fx::account`]).
fn acting(role: Role) -> Account {
    let name = match role {
        Intake => "fatima",
        Consultant => "marloes",
        Coordinator => "ingrid",
        Admin => "beheer",
    };
    Account {
        name: name.into(),
        role,
    }
}

impl Fx {
    /// The account acting in `role`: the consultant is the one of the fixture's trajectory.
    fn account(&self, role: Role) -> Account {
        match role {
            Consultant => Account {
                name: self.consultant.clone(),
                role,
            },
            _ => acting(role),
        }
    }

    /// Another demo consultant than the trajectory's.
    fn colleague(&self, skip: &[&str]) -> Account {
        let name = ["marloes", "sander", "ayse"]
            .into_iter()
            .find(|n| *n != self.consultant && !skip.contains(n))
            .unwrap();
        Account {
            name: name.into(),
            role: Consultant,
        }
    }
}

type Run = fn(&Fx, &Account) -> Result<(), ServiceError>;

fn ok<T>(r: Result<T, ServiceError>) -> Result<(), ServiceError> {
    r.map(|_| ())
}

/// One row per use case: its name (the method), the roles that may, and a run of it.
const MATRIX: &[(&str, &[Role], Run)] = &[
    // People and intakes.
    ("volunteer", ALL, |f, w| ok(f.s.volunteer(w, 1))),
    ("volunteer_count", ALL, |f, w| ok(f.s.volunteer_count(w))),
    ("find_duplicates", ALL, |f, w| {
        ok(f.s.find_duplicates(w, &f.first::<Volunteer>().data, None))
    }),
    ("register_intake", ALL, |f, w| {
        ok(f.s.register_intake(w, f.first::<Volunteer>().data, true))
    }),
    ("update_volunteer", ALL, |f, w| {
        let v = f.first::<Volunteer>();
        ok(f.s.update_volunteer(w, v.meta.id, 0, v.data))
    }),
    ("change_status", ALL, |f, w| {
        ok(f.s.change_status(w, 1, 0, Status::Inactive))
    }),
    ("about_person", ALL, |f, w| ok(f.s.about_person(w, 1))),
    ("audit_of_person", LEAD, |f, w| {
        ok(f.s.audit_of_person(w, 1))
    }),
    // Organisations, vacancies, contacts.
    ("organisation", ALL, |f, w| ok(f.s.organisation(w, 1))),
    ("organisations_named", ALL, |f, w| {
        ok(f.s.organisations_named(w, "x"))
    }),
    ("register_organisation", ALL, |f, w| {
        let mut o = f.first::<Organisation>().data;
        o.name = format!("{} ({})", o.name, w.name);
        ok(f.s.register_organisation(w, o))
    }),
    ("update_organisation", ALL, |f, w| {
        let o = f.first::<Organisation>();
        ok(f.s.update_organisation(w, o.meta.id, 0, o.data))
    }),
    ("vacancy", ALL, |f, w| ok(f.s.vacancy(w, 1))),
    ("vacancies_of", ALL, |f, w| ok(f.s.vacancies_of(w, 1))),
    ("register_vacancy", ALL, |f, w| {
        ok(f.s.register_vacancy(w, f.first::<Vacancy>().data))
    }),
    ("update_vacancy", ALL, |f, w| {
        let v = f.first::<Vacancy>();
        ok(f.s.update_vacancy(w, v.meta.id, 0, v.data))
    }),
    ("contact", ALL, |f, w| ok(f.s.contact(w, 1))),
    ("contacts_of", ALL, |f, w| ok(f.s.contacts_of(w, 1))),
    ("due_follow_ups", ALL, |f, w| {
        ok(f.s.due_follow_ups(w, date!(2026 - 11 - 27)))
    }),
    ("log_contact", ALL, |f, w| {
        ok(f.s.log_contact(w, f.first::<Contact>().data))
    }),
    ("update_contact", ALL, |f, w| {
        let c = f.first::<Contact>();
        ok(f.s.update_contact(w, c.meta.id, 0, c.data))
    }),
    // Placements, notes, signals, activities.
    ("placement", ALL, |f, w| ok(f.s.placement(w, 1))),
    ("placements_of_person", ALL, |f, w| {
        ok(f.s.placements_of_person(w, 1))
    }),
    ("propose_placement", ALL, |f, w| {
        ok(f.s.propose_placement(w, 1, 1))
    }),
    ("change_placement", ALL, |f, w| {
        let step = StatusStep {
            to: PlacementStatus::Introduction,
            end_reason: None,
            vog_override: String::new(),
        };
        ok(f.s.change_placement(w, f.first::<Placement>().meta.id, 0, step))
    }),
    ("note", ALL, |f, w| ok(f.s.note(w, 1))),
    ("write_note", ALL, |f, w| {
        ok(f.s.write_note(w, f.first::<Note>().data))
    }),
    ("update_note", ALL, |f, w| {
        let n = f.first::<Note>();
        ok(f.s.update_note(w, n.meta.id, 0, n.data))
    }),
    ("signal", ALL, |f, w| ok(f.s.signal(w, 1))),
    ("record_signal", ALL, |f, w| {
        ok(f.s.record_signal(w, f.first::<Signal>().data))
    }),
    ("update_signal", ALL, |f, w| {
        let x = f.first::<Signal>();
        ok(f.s.update_signal(w, x.meta.id, 0, x.data))
    }),
    ("activity", ALL, |f, w| ok(f.s.activity(w, 1))),
    ("record_activity", ALL, |f, w| {
        ok(f.s.record_activity(w, f.first::<Activity>().data))
    }),
    ("update_activity", ALL, |f, w| {
        let a = f.first::<Activity>();
        ok(f.s.update_activity(w, a.meta.id, 0, a.data))
    }),
    ("log_thanks", ALL, |f, w| {
        let thanks = crate::domain::activity::Thanks::MasHours {
            person: 1,
            trajectory: f.trajectory.meta.id,
        };
        ok(f.s.log_thanks(w, thanks, format!("Bedankt ({})", w.name), None))
    }),
    // The year's targets.
    ("targets", ALL, |f, w| ok(f.s.targets(w, 1))),
    ("set_targets", LEAD, |f, w| {
        ok(f.s.set_targets(w, f.first::<crate::domain::target::Target>().data))
    }),
    ("update_targets", LEAD, |f, w| {
        let t = f.first::<crate::domain::target::Target>();
        ok(f.s.update_targets(w, t.meta.id, 0, t.data))
    }),
    // Trajectories and their case notes.
    ("trajectory", CASE, |f, w| {
        ok(f.s.trajectory(w, f.trajectory.meta.id))
    }),
    ("trajectories_of_person", CASE, |f, w| {
        ok(f.s.trajectories_of_person(w, f.trajectory.data.person))
    }),
    ("open_trajectory_with_reason", CASE, |f, w| {
        ok(f.s.open_trajectory_with_reason(w, f.trajectory.meta.id, "matrix"))
    }),
    ("start_trajectory", CASE, |f, w| {
        let rules = f.s.trajectory_rules(&acting(Coordinator), None);
        let start = crate::domain::trajectory::StartDraft {
            consultant: "marloes".into(),
            start_step: "2".into(),
            ..crate::domain::trajectory::StartDraft::new(1, "", "", "")
        }
        .validate(&rules)
        .unwrap();
        ok(f.s.start_trajectory(w, start))
    }),
    ("log_meeting", CASE, |f, w| {
        let m = Meeting {
            date: date!(2026 - 11 - 27),
            by: String::new(),
            summary: "matrix".into(),
            actions: String::new(),
            next_due: None,
        };
        ok(f.s.log_meeting(w, f.trajectory.meta.id, 0, m))
    }),
    ("record_ladder_step", CASE, |f, w| {
        let step = LadderStep {
            date: date!(2026 - 11 - 27),
            step: 3,
            note: String::new(),
        };
        ok(f.s.record_ladder_step(w, f.trajectory.meta.id, 0, step))
    }),
    ("add_goal", CASE, |f, w| {
        ok(f.s.add_goal(w, f.trajectory.meta.id, 0, "matrix".into()))
    }),
    ("finish_goal", CASE, |f, w| {
        let done = GoalDone {
            goal: "matrix".into(),
            status: GoalStatus::Achieved,
        };
        ok(f.s.finish_goal(w, f.trajectory.meta.id, 0, done))
    }),
    ("change_phase", CASE, |f, w| {
        let step = PhaseMove {
            to: Phase::Plan,
            date: date!(2026 - 11 - 27),
            reason: String::new(),
        };
        ok(f.s.change_phase(w, f.trajectory.meta.id, 0, step))
    }),
    ("close_trajectory", CASE, |f, w| {
        let closing = Closing {
            outcome: Outcome::PaidWork,
            end_step: 4,
            date: date!(2026 - 11 - 27),
            note: String::new(),
        };
        ok(f.s.close_trajectory(w, f.trajectory.meta.id, 0, closing))
    }),
    ("log_mas_hours", CASE, |f, w| {
        let hours = HoursLogged {
            date: date!(2026 - 11 - 27),
            minutes: 60,
        };
        ok(f.s.log_mas_hours(w, f.trajectory.meta.id, 0, hours))
    }),
    ("reassign_trajectory", LEAD, |f, w| {
        let handover = Handover {
            to: "sander".into(),
            reason: "matrix".into(),
        };
        ok(f.s.reassign_trajectory(w, f.trajectory.meta.id, 0, handover))
    }),
    // Staff lookups every form needs.
    ("staff_accounts", ALL, |f, w| ok(f.s.staff_accounts(w))),
    ("active_consultants", ALL, |f, w| {
        ok(f.s.active_consultants(w))
    }),
    ("consultants", ALL, |f, w| {
        if f.s.consultants(w).is_empty() {
            Err(ServiceError::Forbidden {
                role: w.role,
                what: Permission::ReadRecords,
            })
        } else {
            Ok(())
        }
    }),
    ("trajectory_rules", ALL, |f, w| {
        if f.s.trajectory_rules(w, None).consultants.is_empty() {
            Err(ServiceError::Forbidden {
                role: w.role,
                what: Permission::ReadRecords,
            })
        } else {
            Ok(())
        }
    }),
    // Reports, export, check, backups.
    ("report_source", LEAD, |f, w| ok(f.s.report_source(w))),
    ("retention_source", LEAD, |f, w| ok(f.s.retention_source(w))),
    ("export_all", LEAD, |f, w| {
        ok(f.s.export_all(w, &mut std::io::sink()))
    }),
    ("export_readable", LEAD, |f, w| {
        ok(f.s.export_readable(w, &mut std::io::sink()))
    }),
    ("check", LEAD, |f, w| ok(f.s.check(w))),
    ("verify_audit", LEAD, |f, w| ok(f.s.verify_audit(w))),
    ("backup_now", LEAD, |f, w| ok(f.s.backup_now(w))),
    ("backup_if_due", LEAD, |f, w| {
        // None written yet, so one is due for whoever may write it.
        let _ = std::fs::remove_dir_all(f.s.backup_dir());
        backup_due(f, w)
    }),
    // Administration: accounts, import, demo data.
    ("add_staff", ADMIN, |f, w| {
        ok(f.s.add_staff(w, "nieuw", "Nieuw", Intake, &[]))
    }),
    ("set_staff_role", ADMIN, |f, w| {
        ok(f.s.set_staff_role(w, "kees", Intake))
    }),
    ("deactivate_staff", ADMIN, |f, w| {
        ok(f.s.deactivate_staff(w, "kees"))
    }),
    ("add_staff_key", ADMIN, |f, w| {
        ok(f.s.add_staff_key(w, "kees", crate::domain::staff::SAMPLE_KEY))
    }),
    ("remove_staff_key", ADMIN, |f, w| {
        ok(f.s.remove_staff_key(w, "kees", "none"))
    }),
    ("ensure_local_account", ADMIN, |f, w| {
        ok(f.s.ensure_local_account(w))
    }),
    ("import", ADMIN, |f, w| {
        ok(f.s.import(w, &mut std::io::empty(), true))
    }),
    ("import_organisations_csv", ADMIN, |f, w| {
        ok(f.s.import_organisations_csv(w, &mut std::io::empty(), true, &|_, _, _| {}))
    }),
    ("import_volunteers_csv", ADMIN, |f, w| {
        ok(f.s.import_volunteers_csv(w, &mut std::io::empty(), true, &|_, _, _| {}))
    }),
    // The privacy tools (coordinators only when configured: `service::privacy_access`).
    ("access_export", ADMIN, |f, w| {
        ok(f.s.access_export(w, 1, "verzoek"))
    }),
    ("fill_demo", ADMIN, |f, w| ok(f.s.fill_demo(w, &[]))),
    ("fill_demo_organisations", ADMIN, |f, w| {
        ok(f.s.fill_demo_organisations(w, &[]))
    }),
    ("fill_demo_vacancies", ADMIN, |f, w| {
        ok(f.s.fill_demo_vacancies(w, &[]))
    }),
    ("fill_demo_contacts", ADMIN, |f, w| {
        ok(f.s.fill_demo_contacts(w, &[]))
    }),
    ("fill_demo_placements", ADMIN, |f, w| {
        ok(f.s.fill_demo_placements(w, &[]))
    }),
    ("fill_demo_notes", ADMIN, |f, w| {
        ok(f.s.fill_demo_notes(w, &[]))
    }),
    ("fill_demo_signals", ADMIN, |f, w| {
        ok(f.s.fill_demo_signals(w, &[]))
    }),
    ("fill_demo_activities", ADMIN, |f, w| {
        ok(f.s.fill_demo_activities(w, &[]))
    }),
    ("fill_demo_staff", ADMIN, |f, w| {
        let none: &[StaffAccount] = &[];
        ok(f.s.fill_demo_staff(w, none))
    }),
    ("fill_demo_targets", ADMIN, |f, w| {
        ok(f.s.fill_demo_targets(w, &[]))
    }),
    ("fill_demo_trajectories", ADMIN, |f, w| {
        ok(f.s.fill_demo_trajectories(w, &[]))
    }),
    // The privacy tools (right to erasure, retention).
    ("anonymise_person", ADMIN, |f, w| {
        ok(f.s.anonymise_person(w, 2, "matrix"))
    }),
    ("erase_person", ADMIN, |f, w| {
        ok(f.s.erase_person(w, 3, "matrix"))
    }),
    ("anonymise_record", ADMIN, |f, w| {
        ok(f.s.anonymise_record(w, Kind::Contact, 1, "matrix"))
    }),
    ("erasure_plan", ADMIN, |f, w| ok(f.s.erasure_plan(w, 4))),
    // Last: it closes the fixture's store (the administrator is the last role tried).
    ("compact", ADMIN, |f, w| ok(f.s.compact(w))),
    // Any account finishes an administrator's erasure (the server's owner when it stops).
    // The store is closed by now, so every role gets past the permission check to it.
    ("compact_if_due", ALL, |f, w| ok(f.s.compact_if_due(w))),
];

fn backup_due(f: &Fx, w: &Account) -> Result<(), ServiceError> {
    match f.s.backup_if_due(w) {
        Ok(None) => Err(ServiceError::Forbidden {
            role: w.role,
            what: Permission::ExportAll,
        }),
        other => ok(other),
    }
}

/// Use cases that take the acting account but are not use cases of their own.
const NOT_USE_CASES: &[&str] = &[
    // The permission question itself.
    "may",
    // Finishes an administrator's erasure or anonymisation (the compaction it left due), as
    // whoever closes the store: every role may (its row above says so).
    "compact_if_due",
];

#[test]
fn every_use_case_is_refused_exactly_to_the_roles_the_table_leaves_out() {
    let f = fixture();
    let mut wrong = Vec::new();
    for (name, roles, run) in MATRIX {
        for role in Role::ALL {
            let who = f.account(role);
            let result = run(&f, &who);
            let refused = matches!(
                result,
                Err(ServiceError::Forbidden { .. } | ServiceError::ReasonNeeded { .. })
            );
            if refused == roles.contains(&role) {
                wrong.push(format!("{name} as {role:?}: {result:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_use_case_has_a_row_in_the_matrix() {
    let mut sources = Vec::new();
    for dir in [
        "src/service",
        "src/service/trajectory",
        "src/service/access",
    ] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.extension().is_some_and(|e| e == "rs") && !name.contains("tests") {
                sources.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut missing = Vec::new();
    let mut unchecked = Vec::new();
    for src in &sources {
        for (i, _) in src.match_indices("pub fn ") {
            let rest = &src[i + "pub fn ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let Some(open) = rest.find('{') else { continue };
            let signature = &rest[..open];
            if !signature.contains("who: &Account") || NOT_USE_CASES.contains(&name.as_str()) {
                continue;
            }
            if !MATRIX.iter().any(|(n, _, _)| *n == name) {
                missing.push(name.clone());
            }
            // The first lines of the body name the check.
            let body: String = rest[open..].chars().take(600).collect();
            let checks = [
                "self.require(",
                "self.reading(",
                "self.read::<",
                "self.read_case(",
                "self.may(",
                "self.about_person(",
                "self.change_trajectory(",
                "self.change_staff(",
                "self.consultants(",
                "self.backup_now(",
                // Requires FillDemo itself before writing.
                "self.fill_demo_kind(",
            ];
            if !checks.iter().any(|c| body.contains(c)) {
                unchecked.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "use cases without a row: {missing:?}");
    assert!(
        unchecked.is_empty(),
        "use cases that check no permission: {unchecked:?}"
    );
}

#[test]
fn a_consultant_opens_a_colleagues_trajectory_only_after_a_logged_reason() {
    let f = fixture();
    let other = f.colleague(&[]);
    let id = f.trajectory.meta.id;
    let r = f.s.trajectory(&other, id);
    let Err(ServiceError::ReasonNeeded { consultant, .. }) = r else {
        panic!("{r:?}")
    };
    assert_eq!(consultant, f.consultant);
    // Nor can they work on it.
    let r =
        f.s.add_goal(&other, id, f.trajectory.meta.revision, "x".into());
    assert!(matches!(r, Err(ServiceError::ReasonNeeded { .. })), "{r:?}");
    // An empty reason is no reason.
    let r = f.s.open_trajectory_with_reason(&other, id, "  ");
    assert!(matches!(r, Err(ServiceError::Invalid(_))), "{r:?}");
    let opened =
        f.s.open_trajectory_with_reason(&other, id, "Marloes is ziek; cliënt belt")
            .unwrap();
    assert_eq!(opened.meta.id, id);
    // Logged with the reason, and from now on (today) it opens.
    let logged =
        f.s.audit_of_person(&acting(Coordinator), opened.data.person)
            .unwrap();
    assert!(logged.iter().any(|e| e.data.action == REASON_ACTION
        && e.data.actor == other.name
        && e.data.detail == "Marloes is ziek; cliënt belt"));
    assert!(f.s.trajectory(&other, id).unwrap().is_some());
    assert!(
        f.s.add_goal(&other, id, f.trajectory.meta.revision, "x".into())
            .is_ok()
    );
    // Another consultant's reason is not theirs.
    let third = f.colleague(&[other.name.as_str()]);
    assert!(matches!(
        f.s.trajectory(&third, id),
        Err(ServiceError::ReasonNeeded { .. })
    ));
}

#[test]
fn every_read_of_case_notes_is_in_the_audit_trail() {
    let f = fixture();
    let (id, person) = (f.trajectory.meta.id, f.trajectory.data.person);
    let reads = |f: &Fx| {
        f.s.audit_of_person(&acting(Coordinator), person)
            .unwrap()
            .into_iter()
            .filter(|e| e.data.action == READ_ACTION)
            .map(|e| (e.data.actor, e.data.subject))
            .collect::<Vec<_>>()
    };
    assert!(reads(&f).is_empty());
    f.s.trajectory(&f.account(Consultant), id).unwrap();
    f.s.trajectory(&acting(Coordinator), id).unwrap();
    assert_eq!(
        reads(&f),
        [
            (f.consultant.clone(), format!("trajectory/{id}")),
            ("ingrid".to_string(), format!("trajectory/{id}")),
        ]
    );
    // The front desk reads none, so nothing is logged for them.
    assert!(f.s.trajectory(&acting(Intake), id).is_err());
    assert_eq!(reads(&f).len(), 2);
}
