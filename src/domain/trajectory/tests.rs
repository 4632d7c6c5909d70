use super::*;
use time::macros::date;

fn started() -> Trajectory {
    let rules = sample_rules();
    let s = sample_start().validate(&rules).unwrap();
    Trajectory::start(s, date!(2026 - 09 - 01), "anouk", &rules.settings)
}

fn problems<T: std::fmt::Debug>(r: Result<T, Vec<FieldError>>) -> Vec<(Field, Problem)> {
    r.unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect()
}

fn rules_for(t: &Trajectory) -> TrajectoryRules {
    TrajectoryRules {
        started: t.started,
        phase: t.phase,
        open_goals: t
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Open)
            .map(|g| g.text.clone())
            .collect(),
        ..sample_rules()
    }
}

#[test]
fn a_start_has_its_step_its_phase_and_a_first_meeting_due() {
    let t = started();
    assert_eq!(t.consultant, "anouk");
    assert_eq!(t.phase, Phase::Aanmelding);
    assert_eq!(t.start_step(), Some(2));
    assert_eq!(t.next_meeting, Some(date!(2026 - 10 - 13)));
    assert_eq!(t.referrer.client_manager, "Petra Jansen");
    assert!(t.mas.is_none());
    assert!(t.problems().is_empty());
}

#[test]
fn phases_go_one_step_forward_or_one_back_with_a_reason() {
    let mut t = started();
    let d = date!(2026 - 09 - 10);
    t.change_phase(Phase::Intake, String::new(), d, "anouk")
        .unwrap();
    t.change_phase(Phase::Plan, String::new(), d, "anouk")
        .unwrap();
    // A jump is refused, and nothing changes.
    assert_eq!(
        problems(t.change_phase(Phase::Evaluatie, String::new(), d, "anouk")),
        vec![(
            Field::Phase,
            Problem::PhaseJump {
                from: "plan".into(),
                to: "evaluatie".into()
            }
        )]
    );
    assert_eq!(t.phase, Phase::Plan);
    // Back needs a reason.
    assert_eq!(
        problems(t.change_phase(Phase::Intake, " ".into(), d, "anouk")),
        vec![(Field::Reason, Problem::Required)]
    );
    t.change_phase(Phase::Intake, "Plan past niet".into(), d, "anouk")
        .unwrap();
    assert_eq!(t.phase, Phase::Intake);
    assert_eq!(t.phases.len(), 4);
    assert_eq!(t.phases[3].reason, "Plan past niet");
    // Closing is not a phase change: it needs an outcome.
    for p in [Phase::Plan, Phase::Uitvoering, Phase::Evaluatie] {
        if t.phase.next() == Some(p) {
            t.change_phase(p, String::new(), d, "anouk").unwrap();
        }
    }
    assert_eq!(t.phase, Phase::Evaluatie);
    assert_eq!(
        problems(t.change_phase(Phase::Afgesloten, String::new(), d, "anouk")),
        vec![(Field::Phase, Problem::CloseWithOutcome)]
    );
    assert!(Phase::Afgesloten.moves().is_empty());
    assert_eq!(Phase::Aanmelding.moves(), vec![Phase::Intake]);
    assert_eq!(Phase::Plan.moves(), vec![Phase::Uitvoering, Phase::Intake]);
}

#[test]
fn the_phase_form_refuses_a_jump_and_going_back_without_a_reason() {
    let rules = sample_rules();
    let mut d = PhaseDraft::new(Phase::Plan, rules.today);
    assert_eq!(d.to, Phase::Uitvoering);
    assert!(d.validate(&rules).is_ok());
    d.to = Phase::Evaluatie;
    assert_eq!(
        problems(d.validate(&rules)),
        vec![(
            Field::Phase,
            Problem::PhaseJump {
                from: "plan".into(),
                to: "evaluatie".into()
            }
        )]
    );
    d.to = Phase::Intake;
    assert_eq!(
        problems(d.validate(&rules)),
        vec![(Field::Reason, Problem::ReasonGoingBack)]
    );
    d.to = Phase::Afgesloten;
    assert_eq!(
        problems(d.validate(&rules)),
        vec![(Field::Phase, Problem::CloseWithOutcome)]
    );
}

#[test]
fn overdue_and_no_contact_follow_the_injected_date() {
    let mut t = started();
    // First meeting due 13-10-2026.
    assert!(!t.is_overdue(date!(2026 - 10 - 13)));
    assert!(t.is_overdue(date!(2026 - 10 - 14)));
    assert!(due_within(t.next_meeting, date!(2026 - 10 - 01), 14));
    assert!(!due_within(t.next_meeting, date!(2026 - 09 - 28), 14));
    // No meeting yet: the start counts as the last contact.
    assert_eq!(t.last_contact(), date!(2026 - 09 - 01));
    assert!(!no_contact(t.last_contact(), date!(2026 - 10 - 01), 30));
    assert!(no_contact(t.last_contact(), date!(2026 - 10 - 02), 30));
    let rules = TrajectoryRules {
        today: date!(2026 - 10 - 20),
        ..rules_for(&t)
    };
    let m = MeetingDraft {
        summary: "Gaat goed".into(),
        ..MeetingDraft::new(date!(2026 - 10 - 20), &rules.settings)
    }
    .validate(&rules, "anouk")
    .unwrap();
    assert_eq!(m.next_due, Some(date!(2026 - 12 - 01)));
    t.log_meeting(m).unwrap();
    assert!(!t.is_overdue(date!(2026 - 10 - 21)));
    assert!(t.is_overdue(date!(2026 - 12 - 02)));
    assert_eq!(t.last_contact(), date!(2026 - 10 - 20));
    // A meeting logged late does not move the next date back.
    let late = Meeting {
        date: date!(2026 - 10 - 01),
        by: "anouk".into(),
        summary: "Vergeten".into(),
        actions: String::new(),
        next_due: Some(date!(2026 - 10 - 05)),
    };
    t.log_meeting(late).unwrap();
    assert_eq!(t.next_meeting, Some(date!(2026 - 12 - 01)));
    assert_eq!(t.meetings[0].summary, "Vergeten");
    // A closed trajectory is never overdue.
    t.close(
        Closing {
            outcome: Outcome::PaidWork,
            end_step: 5,
            date: date!(2026 - 11 - 01),
            note: String::new(),
        },
        "anouk",
    )
    .unwrap();
    assert!(!t.is_overdue(date!(2027 - 06 - 01)));
    assert_eq!(t.next_meeting, None);
}

#[test]
fn a_meeting_in_the_future_or_with_the_next_one_before_it_is_refused() {
    let rules = sample_rules();
    let d = MeetingDraft {
        date: "01-06-2030".into(),
        next_due: "01-01-2026".into(),
        summary: "x".into(),
        actions: String::new(),
    };
    assert_eq!(
        problems(d.validate(&rules, "anouk")),
        vec![(Field::OnDate, Problem::DateInFuture)]
    );
    let d = MeetingDraft {
        date: "20-11-2026".into(),
        next_due: "19-11-2026".into(),
        summary: String::new(),
        actions: String::new(),
    };
    assert_eq!(
        problems(d.validate(&rules, "anouk")),
        vec![
            (Field::NextMeeting, Problem::NextBeforeMeeting),
            (Field::Summary, Problem::Required)
        ]
    );
    let d = MeetingDraft {
        next_due: "01-01-2031".into(),
        summary: "x".into(),
        ..MeetingDraft::new(rules.today, &rules.settings)
    };
    assert_eq!(
        problems(d.validate(&rules, "anouk")),
        vec![(Field::NextMeeting, Problem::DateTooFar)]
    );
    // Before the trajectory started.
    let r = TrajectoryRules {
        started: date!(2026 - 11 - 01),
        ..sample_rules()
    };
    let d = MeetingDraft {
        date: "31-10-2026".into(),
        summary: "x".into(),
        ..MeetingDraft::new(rules.today, &rules.settings)
    };
    assert_eq!(
        problems(d.validate(&r, "anouk")),
        vec![(Field::OnDate, Problem::BeforeStart)]
    );
}

#[test]
fn ladder_steps_outside_one_to_six_are_refused_and_movement_is_measured() {
    let rules = sample_rules();
    for (typed, problem) in [
        ("0", Problem::Range { min: 1, max: 6 }),
        ("7", Problem::Range { min: 1, max: 6 }),
        ("-1", Problem::Range { min: 1, max: 6 }),
        ("drie", Problem::Number),
        ("", Problem::Required),
    ] {
        let d = StepDraft {
            step: typed.into(),
            ..StepDraft::new(rules.today)
        };
        assert_eq!(
            problems(d.validate(&rules)),
            vec![(Field::LadderStep, problem)],
            "{typed}"
        );
    }
    let mut t = started();
    assert_eq!(t.movement(), Some(Movement::Same));
    let s = StepDraft {
        step: "4".into(),
        ..StepDraft::new(date!(2026 - 10 - 01))
    }
    .validate(&rules_for(&t))
    .unwrap();
    t.record_step(s).unwrap();
    assert_eq!(t.current_step(), Some(4));
    assert_eq!(t.movement(), Some(Movement::Up));
    t.record_step(LadderStep {
        date: date!(2026 - 10 - 15),
        step: 1,
        note: String::new(),
    })
    .unwrap();
    assert_eq!(t.movement(), Some(Movement::Down));
    assert_eq!(movement(3, 3), Movement::Same);
    // The end step is the current step once closed.
    t.close(
        Closing {
            outcome: Outcome::Other,
            end_step: 3,
            date: date!(2026 - 11 - 01),
            note: String::new(),
        },
        "anouk",
    )
    .unwrap();
    assert_eq!(t.current_step(), Some(3));
    assert_eq!(t.movement(), Some(Movement::Up));
    assert_eq!(t.ladder.len(), 4);
}

#[test]
fn closing_requires_an_outcome_and_then_nothing_more_is_logged() {
    let rules = sample_rules();
    let d = CloseDraft::new(rules.today, Some(3));
    assert_eq!(d.end_step, "3");
    assert_eq!(
        problems(d.validate(&rules)),
        vec![(Field::Outcome, Problem::CloseWithOutcome)]
    );
    let d = CloseDraft {
        outcome: Some(Outcome::DroppedOut),
        end_step: "9".into(),
        ..d
    };
    assert_eq!(
        problems(d.validate(&rules)),
        vec![(Field::EndStep, Problem::Range { min: 1, max: 6 })]
    );
    let c = CloseDraft {
        end_step: "2".into(),
        ..d
    }
    .validate(&rules)
    .unwrap();
    let mut t = started();
    t.close(c.clone(), "anouk").unwrap();
    assert_eq!(t.phase, Phase::Afgesloten);
    assert_eq!(t.outcome, Some(Outcome::DroppedOut));
    assert!(t.problems().is_empty());
    assert_eq!(
        problems(t.close(c, "anouk")),
        vec![(Field::Outcome, Problem::TrajectoryClosed)]
    );
    assert_eq!(
        problems(t.add_goal("x".into(), rules.today)),
        vec![(Field::Goal, Problem::TrajectoryClosed)]
    );
    // The stored-record check knows a closed trajectory needs its outcome.
    let broken = Trajectory { outcome: None, ..t };
    assert!(
        broken
            .problems()
            .iter()
            .any(|e| e.problem == Problem::CloseWithOutcome)
    );
}

#[test]
fn goals_are_added_and_finished_by_their_text() {
    let mut t = started();
    let today = date!(2026 - 09 - 15);
    let text = GoalDraft {
        text: "  Twee keer per week   naar de moestuin ".into(),
    }
    .validate(&sample_rules())
    .unwrap();
    assert_eq!(text, "Twee keer per week naar de moestuin");
    t.add_goal(text, today).unwrap();
    t.add_goal("Zelf met de bus reizen".into(), today).unwrap();
    let rules = rules_for(&t);
    assert_eq!(
        rules.goal_completion("zelf"),
        Some("Zelf met de bus reizen")
    );
    let d = GoalDoneDraft {
        goal: "zelf met de BUS reizen".into(),
        status: GoalStatus::Achieved,
    };
    let done = d.validate(&rules).unwrap();
    let i = t.open_goal(&done.goal).unwrap();
    t.finish_goal(i, done.status, today).unwrap();
    assert_eq!(t.goals[1].status, GoalStatus::Achieved);
    assert_eq!(t.goals[1].done_on, Some(today));
    // A finished goal cannot be finished again.
    let rules = rules_for(&t);
    assert_eq!(
        problems(d.validate(&rules)),
        vec![(Field::Goal, Problem::UnknownGoal)]
    );
    assert_eq!(
        problems(t.finish_goal(1, GoalStatus::Dropped, today)),
        vec![(Field::Goal, Problem::UnknownGoal)]
    );
}

#[test]
fn reassigning_needs_an_active_known_consultant_and_a_reason() {
    let rules = sample_rules();
    let refuse = |to: &str, reason: &str| {
        problems(
            ReassignDraft {
                to: to.into(),
                reason: reason.into(),
            }
            .validate(&rules),
        )
    };
    assert_eq!(
        refuse("Cor Smit", "Verlof"),
        vec![(Field::Consultant, Problem::InactiveConsultant)]
    );
    assert_eq!(
        refuse("Onbekend", "Verlof"),
        vec![(Field::Consultant, Problem::UnknownConsultant)]
    );
    assert_eq!(refuse("bram", ""), vec![(Field::Reason, Problem::Required)]);
    let h = ReassignDraft {
        to: "bram visser".into(),
        reason: "Anouk met verlof".into(),
    }
    .validate(&rules)
    .unwrap();
    assert_eq!(h.to, "bram");
    let mut t = started();
    t.reassign(h.to, h.reason, rules.today).unwrap();
    assert_eq!(t.consultant, "bram");
    assert_eq!(t.previous_consultants(), vec!["anouk"]);
    assert_eq!(
        problems(t.reassign("bram".into(), "x".into(), rules.today)),
        vec![(Field::Consultant, Problem::SameConsultant)]
    );
    // Back to Anouk: Bram is now the previous one, Anouk not listed as previous.
    t.reassign("anouk".into(), "Terug".into(), rules.today)
        .unwrap();
    assert_eq!(t.previous_consultants(), vec!["bram"]);
    assert_eq!(rules.consultant_completion("bra"), Some("Bram Visser"));
    assert_eq!(rules.consultant_completion("cor"), None);
}

#[test]
fn mas_hours_are_counted_and_a_day_holds_at_most_24() {
    let rules = sample_rules();
    let s = StartDraft {
        kind: TrajectoryKind::Mas,
        school: "Johan de Witt-gymnasium".into(),
        hours_required: "30".into(),
        ..sample_start()
    };
    let mut t = Trajectory::start(
        s.validate(&rules).unwrap(),
        date!(2026 - 09 - 01),
        "anouk",
        &rules.settings,
    );
    let r = rules_for(&t);
    for (typed, problem) in [
        ("-2", Problem::Hours),
        ("0", Problem::Hours),
        ("25", Problem::Hours),
        ("veel", Problem::Hours),
        ("1:75", Problem::Hours),
        ("", Problem::Required),
    ] {
        let d = HoursDraft {
            hours: typed.into(),
            ..HoursDraft::new(rules.today)
        };
        assert_eq!(
            problems(d.validate(&r)),
            vec![(Field::Hours, problem)],
            "{typed}"
        );
    }
    assert_eq!(parse_hours("2,5"), Ok(150));
    assert_eq!(parse_hours("1:30"), Ok(90));
    assert_eq!(parse_hours("24"), Ok(1440));
    let day = date!(2026 - 10 - 03);
    t.log_hours(HoursLogged {
        date: day,
        minutes: 20 * 60,
    })
    .unwrap();
    assert_eq!(
        problems(t.log_hours(HoursLogged {
            date: day,
            minutes: 5 * 60,
        })),
        vec![(
            Field::Hours,
            Problem::HoursOverDay {
                already: "20".into()
            }
        )]
    );
    t.log_hours(HoursLogged {
        date: date!(2026 - 10 - 04),
        minutes: 90,
    })
    .unwrap();
    let mas = t.mas.as_ref().unwrap();
    assert_eq!(mas.total_minutes(), 21 * 60 + 30);
    assert_eq!(format_hours(mas.total_minutes()), "21,5");
    assert_eq!(format_hours(105), "1,75");
    assert!(!mas.complete());
    t.log_hours(HoursLogged {
        date: date!(2026 - 10 - 05),
        minutes: 9 * 60,
    })
    .unwrap();
    assert!(t.mas.as_ref().unwrap().complete());
    // Not on another kind.
    let mut other = started();
    assert_eq!(
        problems(other.log_hours(HoursLogged {
            date: day,
            minutes: 60
        })),
        vec![(Field::Hours, Problem::NotMas)]
    );
}

#[test]
fn a_start_reports_every_problem_beside_its_field() {
    let rules = sample_rules();
    let d = StartDraft {
        kind: TrajectoryKind::Mas,
        consultant: "Cor Smit".into(),
        start_step: "8".into(),
        school: String::new(),
        hours_required: "-3".into(),
        ..sample_start()
    };
    assert_eq!(
        problems(d.validate(&rules)),
        vec![
            (Field::Consultant, Problem::InactiveConsultant),
            (Field::StartStep, Problem::Range { min: 1, max: 6 }),
            (Field::School, Problem::Required),
            (Field::HoursRequired, Problem::Number),
        ]
    );
    let d = StartDraft {
        consultant: String::new(),
        ..sample_start()
    };
    assert_eq!(
        problems(d.validate(&rules)),
        vec![(Field::Consultant, Problem::Required)]
    );
}

#[test]
fn a_conflicting_change_merges_field_by_field() {
    let base = MeetingDraft::new(date!(2026 - 11 - 27), &TrajectorySettings::default());
    let mine = MeetingDraft {
        summary: "Mijn verslag".into(),
        ..base.clone()
    };
    let theirs = MeetingDraft {
        summary: "Hun verslag".into(),
        ..base.clone()
    };
    let (merged, both) = draft::rebase(&base, &mine, &theirs);
    assert_eq!(merged.summary, "Mijn verslag");
    assert_eq!(both, vec![Field::Summary]);
}

#[test]
fn the_history_says_what_stood_at_the_end_of_any_day() {
    let mut t = started();
    // Started 01-09, first meeting due 13-10; held on 20-10 (late), next due 01-12.
    let h = History::of(&t);
    assert_eq!(h.due_on(date!(2026 - 10 - 01)), Some(date!(2026 - 10 - 13)));
    assert!(!h.open_on(t.started, date!(2026 - 08 - 31)));
    assert!(!h.overdue_on(t.started, date!(2026 - 10 - 13)));
    assert!(h.overdue_on(t.started, date!(2026 - 10 - 14)));
    t.log_meeting(Meeting {
        date: date!(2026 - 10 - 20),
        by: "anouk".into(),
        summary: "x".into(),
        actions: String::new(),
        next_due: Some(date!(2026 - 12 - 01)),
    })
    .unwrap();
    t.reassign("bram".into(), "holiday".into(), date!(2026 - 11 - 02))
        .unwrap();
    let h = History::of(&t);
    assert!(h.hours.is_empty());
    // Before the meeting the first due date still stands (overdue from 14-10 to 19-10).
    assert!(h.overdue_on(t.started, date!(2026 - 10 - 19)));
    assert!(!h.overdue_on(t.started, date!(2026 - 10 - 20)));
    assert!(h.overdue_on(t.started, date!(2026 - 12 - 02)));
    assert_eq!(
        h.meetings,
        vec![(date!(2026 - 10 - 20), Some(date!(2026 - 12 - 01)))]
    );
    // Anouk had it until the handover, Bram since.
    assert_eq!(h.consultant_on("bram", date!(2026 - 11 - 01)), "anouk");
    assert_eq!(h.consultant_on("bram", date!(2026 - 11 - 02)), "bram");
    // Closed on 10-12: running up to the day before, not overdue after.
    t.close(
        Closing {
            date: date!(2026 - 12 - 10),
            outcome: Outcome::PaidWork,
            end_step: 4,
            note: String::new(),
        },
        "bram",
    )
    .unwrap();
    let h = History::of(&t);
    assert!(h.open_on(t.started, date!(2026 - 12 - 09)));
    assert!(h.overdue_on(t.started, date!(2026 - 12 - 09)));
    assert!(!h.open_on(t.started, date!(2026 - 12 - 10)));
    assert!(!h.overdue_on(t.started, date!(2026 - 12 - 31)));
    assert_eq!(h.closed_on, Some(date!(2026 - 12 - 10)));
}

#[test]
fn the_history_keeps_mas_hours_per_date() {
    let mut t = started();
    t.kind = TrajectoryKind::Mas;
    t.mas = Some(Mas::default());
    for (day, minutes) in [(date!(2026 - 09 - 20), 90), (date!(2026 - 09 - 10), 45)] {
        t.log_hours(HoursLogged { date: day, minutes }).unwrap();
    }
    assert_eq!(
        History::of(&t).hours,
        vec![(date!(2026 - 09 - 10), 45), (date!(2026 - 09 - 20), 90)]
    );
}
