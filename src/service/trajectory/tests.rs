use crate::clock::FixedClock;
use crate::config::Config;
use crate::domain::staff::StaffAccount;
use crate::domain::trajectory::{
    Closing, Handover, HoursLogged, Meeting, Outcome, Phase, PhaseMove, StartDraft, TrajectoryKind,
};
use crate::domain::volunteer::sample_intake;
use crate::domain::{Field, FieldError, Problem};
use crate::service::{Account, Kind, Role, Service, ServiceError};
use crate::store::Store;
use std::sync::Arc;
use time::macros::{date, datetime};

struct World {
    s: Service,
    who: Account,
    /// A coordinator: hands trajectories over and reads the audit trail.
    lead: Account,
    person: u64,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let s = Service::new(store, clock, Config::default());
    let who = Account {
        name: "anouk".into(),
        role: Role::Consultant,
    };
    let admin = Account {
        name: "beheer".into(),
        role: Role::Admin,
    };
    let staff: Vec<StaffAccount> = [("anouk", "Anouk de Vries"), ("bram", "Bram Visser")]
        .iter()
        .map(|(l, n)| StaffAccount::new(l, n, Role::Consultant, &[]).unwrap())
        .collect();
    s.fill_demo_staff(&admin, &staff).unwrap();
    let p = sample_intake().validate(&s.rules()).unwrap();
    let person = s.register_intake(&who, p, true).unwrap().meta.id;
    World {
        s,
        who,
        lead: Account {
            name: "ingrid".into(),
            role: Role::Coordinator,
        },
        person,
        _dir: dir,
    }
}

fn start(
    w: &World,
    kind: TrajectoryKind,
) -> crate::store::Stored<crate::domain::trajectory::Trajectory> {
    let rules = w.s.trajectory_rules(&w.who, None);
    let d = StartDraft {
        kind,
        consultant: "Anouk de Vries".into(),
        start_step: "2".into(),
        school: "Da Vinci College".into(),
        hours_required: "30".into(),
        ..StartDraft::new(w.person, "", "", "")
    };
    w.s.start_trajectory(&w.who, d.validate(&rules).unwrap())
        .unwrap()
}

fn meeting(summary: &str) -> Meeting {
    Meeting {
        date: date!(2026 - 11 - 27),
        by: String::new(),
        summary: summary.into(),
        actions: String::new(),
        next_due: Some(date!(2027 - 01 - 08)),
    }
}

#[test]
fn a_trajectory_is_started_for_a_person_and_found_through_them() {
    let w = world();
    let t = start(&w, TrajectoryKind::SocialActivation);
    assert_eq!(t.data.person, w.person);
    // The person's name and municipality come from their record, not the form.
    assert_eq!(t.data.person_name, "Berg, Anouk van den");
    assert_eq!(t.data.started, date!(2026 - 11 - 27));
    assert_eq!(t.data.next_meeting, Some(date!(2027 - 01 - 08)));
    let found = w.s.trajectories_of_person(&w.who, w.person).unwrap();
    assert_eq!(found.len(), 1);
    let audit = w.s.audit_of_person(&w.lead, w.person).unwrap();
    assert!(audit.iter().any(|e| e.data.action == "start_trajectory"));
    // Someone unknown gets nothing.
    let mut s = w.s.trajectory_rules(&w.who, None);
    s.consultants.clear();
    let d = StartDraft {
        consultant: "anouk".into(),
        start_step: "2".into(),
        ..StartDraft::new(w.person + 100, "", "", "")
    };
    let start = d.validate(&w.s.trajectory_rules(&w.who, None)).unwrap();
    assert!(matches!(
        w.s.start_trajectory(&w.who, start),
        Err(ServiceError::NotFound {
            kind: Kind::Volunteer,
            ..
        })
    ));
}

#[test]
fn the_second_of_two_people_logging_at_once_gets_a_conflict_and_nothing_is_overwritten() {
    let w = world();
    let t = start(&w, TrajectoryKind::SocialActivation);
    let id = t.meta.id;
    let first = w.s.log_meeting(&w.who, id, 1, meeting("Eerste")).unwrap();
    assert_eq!(first.meta.revision, 2);
    // The second opened it at revision 1 too.
    let second = w.s.log_meeting(&w.who, id, 1, meeting("Tweede"));
    assert!(matches!(
        second,
        Err(ServiceError::Conflict {
            expected: 1,
            found: 2,
            ..
        })
    ));
    let now = w.s.trajectory(&w.who, id).unwrap().unwrap();
    assert_eq!(now.data.meetings.len(), 1);
    assert_eq!(now.data.meetings[0].summary, "Eerste");
    // Based on the current revision, the second meeting goes in beside the first.
    w.s.log_meeting(&w.who, id, 2, meeting("Tweede")).unwrap();
    let now = w.s.trajectory(&w.who, id).unwrap().unwrap();
    assert_eq!(now.data.meetings.len(), 2);
    // Held by whoever logged it.
    assert!(now.data.meetings.iter().all(|m| m.by == "anouk"));
}

#[test]
fn each_step_of_a_trajectory_is_audited_and_refusals_save_nothing() {
    let w = world();
    let t = start(&w, TrajectoryKind::Mas);
    let id = t.meta.id;
    let t =
        w.s.add_goal(&w.who, id, 1, "Zelf naar de stage fietsen".into())
            .unwrap();
    let t =
        w.s.change_phase(
            &w.who,
            id,
            t.meta.revision,
            PhaseMove {
                to: Phase::Intake,
                date: date!(2026 - 11 - 27),
                reason: String::new(),
            },
        )
        .unwrap();
    let jump = w.s.change_phase(
        &w.who,
        id,
        t.meta.revision,
        PhaseMove {
            to: Phase::Evaluatie,
            date: date!(2026 - 11 - 27),
            reason: String::new(),
        },
    );
    assert!(matches!(jump, Err(ServiceError::Invalid(_))));
    let over = w.s.log_mas_hours(
        &w.who,
        id,
        t.meta.revision,
        HoursLogged {
            date: date!(2026 - 11 - 27),
            minutes: 25 * 60,
        },
    );
    assert!(matches!(over, Err(ServiceError::Invalid(_))));
    let t =
        w.s.log_mas_hours(
            &w.who,
            id,
            t.meta.revision,
            HoursLogged {
                date: date!(2026 - 11 - 27),
                minutes: 180,
            },
        )
        .unwrap();
    assert_eq!(t.meta.revision, 4);
    // Reassigning to someone unknown is refused beside the field.
    let r = w.s.reassign_trajectory(
        &w.lead,
        id,
        t.meta.revision,
        Handover {
            to: "nobody".into(),
            reason: "x".into(),
        },
    );
    let Err(ServiceError::Invalid(errors)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(
        errors,
        vec![FieldError::new(
            Field::Consultant,
            Problem::UnknownConsultant
        )]
    );
    let t =
        w.s.reassign_trajectory(
            &w.lead,
            id,
            t.meta.revision,
            Handover {
                to: "bram".into(),
                reason: "Verlof".into(),
            },
        )
        .unwrap();
    assert_eq!(t.data.consultant, "bram");
    // Handed over, it is no longer Anouk's to work on without a reason; Bram closes it.
    let r = w.s.add_goal(&w.who, id, t.meta.revision, "x".into());
    assert!(matches!(r, Err(ServiceError::ReasonNeeded { .. })), "{r:?}");
    let bram = Account {
        name: "bram".into(),
        role: Role::Consultant,
    };
    let t =
        w.s.close_trajectory(
            &bram,
            id,
            t.meta.revision,
            Closing {
                outcome: Outcome::Education,
                end_step: 3,
                date: date!(2026 - 11 - 27),
                note: String::new(),
            },
        )
        .unwrap();
    assert_eq!(t.data.phase, Phase::Afgesloten);
    let actions: Vec<String> =
        w.s.audit_of_person(&w.lead, w.person)
            .unwrap()
            .into_iter()
            .map(|e| e.data.action)
            .filter(|a| a != "register_intake")
            .collect();
    assert_eq!(
        actions,
        [
            "start_trajectory",
            "add_goal",
            "change_phase",
            "log_mas_hours",
            "reassign_trajectory",
            "close_trajectory"
        ]
    );
}

#[test]
fn the_front_desk_does_not_work_on_trajectories() {
    let w = world();
    let t = start(&w, TrajectoryKind::SocialActivation);
    let desk = Account {
        name: "balie".into(),
        role: Role::Intake,
    };
    assert!(matches!(
        w.s.log_meeting(&desk, t.meta.id, 1, meeting("x")),
        Err(ServiceError::Forbidden { .. })
    ));
}
