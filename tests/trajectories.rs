//! 3 Versterken › Trajecten and Caseloads driven by keys, on deterministic demo data (one
//! person in five has a trajectory): the caseloads put the most overdue consultant on top and
//! Enter drills into their trajectories, overdue first; the timeline shows phases, meetings,
//! ladder steps and handovers; a meeting logged with keys takes a trajectory off the overdue
//! list; a handover moves it to the other caseload; bad input is refused beside its field;
//! a second person logging on the same trajectory is told and keeps their input.

mod common;

use common::{Harness, harness_as};
use koppel::domain::trajectory::Meeting;
use koppel::i18n::Lang;
use koppel::service::Role;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::trajectories::TrajectoryList;
use koppel::ui::screens::trajectories::caseloads::Caseloads;
use koppel::ui::screens::trajectories::detail::DetailView;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 27);

fn selected(h: &Harness) -> u64 {
    let list: &TrajectoryList = h.screen_as(ScreenId::Trajectories);
    list.table
        .selected_id(&h.model())
        .expect("a selected trajectory")
}

fn overdue_count(h: &Harness) -> usize {
    h.model()
        .trajectories()
        .iter()
        .filter(|r| r.is_overdue(TODAY))
        .count()
}

#[test]
fn the_caseloads_put_the_most_overdue_on_top_and_enter_drills_in_overdue_first() {
    for (lang, name, heading) in [
        (Lang::Nl, "caseloads_nl_80x24", "Te laat"),
        (Lang::En, "caseloads_en_80x24", "Overdue"),
    ] {
        let mut h = harness_as(Role::Coordinator, 400, lang, 80, 24);
        h.go(ScreenId::Caseloads);
        let s = h.screen();
        assert!(s.contains(heading), "{s}");
        let c: &Caseloads = h.screen_as(ScreenId::Caseloads);
        let lines = c.lines.clone();
        assert!(lines.len() > 3, "{lines:?}");
        assert!(lines.windows(2).all(|w| w[0].overdue >= w[1].overdue));
        // The figures agree with the rows.
        let top = &lines[0];
        let counted = h
            .model()
            .trajectories()
            .iter()
            .filter(|r| r.consultant == top.consultant && r.is_overdue(TODAY))
            .count();
        assert_eq!(top.overdue as usize, counted);
        assert!(top.overdue > 0);
        // Overdue is said in words and with a marker, not by colour.
        assert!(s.contains('⚠'), "{s}");
        insta::assert_snapshot!(name, s);
        h.keys("<enter>");
        let s = h.screen();
        let marker = if lang == Lang::Nl {
            "⚠ te laat"
        } else {
            "⚠ overdue"
        };
        // The first rows are the overdue ones.
        let rows: Vec<&str> = s
            .lines()
            .skip(4)
            .take(top.overdue.min(3) as usize)
            .collect();
        assert!(rows.iter().all(|l| l.contains(marker)), "{s}");
        h.keys("<esc>");
        assert!(h.screen().contains(heading));
    }
}

#[test]
fn the_timeline_shows_phases_meetings_ladder_and_handovers_in_both_languages() {
    for (lang, name, words) in [
        (
            Lang::Nl,
            "timeline_nl_80x24",
            ["Tijdlijn", "Gesprek", "Participatieladder"],
        ),
        (
            Lang::En,
            "timeline_en_80x24",
            ["Timeline", "Meeting", "Participatieladder"],
        ),
    ] {
        let mut h = harness_as(Role::Consultant, 400, lang, 80, 24);
        // A trajectory that was handed over and has a few meetings.
        let (id, person) = {
            let m = h.model();
            let r = m
                .trajectories()
                .iter()
                .find(|r| !r.previous.is_empty() && r.is_open())
                .expect("a handed-over trajectory");
            (r.id, r.person_name.clone())
        };
        h.go(ScreenId::Trajectories);
        h.keys("x/");
        h.text(&person);
        h.keys("<enter>");
        // The search may find a namesake: walk to the one wanted.
        for _ in 0..5 {
            if selected(&h) == id {
                break;
            }
            h.keys("<down>");
        }
        assert_eq!(selected(&h), id);
        h.keys("<enter>");
        // Another consultant's trajectory: a reason first, which is logged.
        let asked = if lang == Lang::Nl {
            "Reden om dit traject te openen"
        } else {
            "Reason for opening this trajectory"
        };
        assert!(h.screen().contains(asked), "{}", h.screen());
        assert!(h.session.app().view::<DetailView>().is_none());
        h.text("Collega ziek");
        h.keys("<c-s>");
        let view = h.session.app().view::<DetailView>().expect("the timeline");
        assert_eq!(view.record.meta.id, id);
        let s = h.screen();
        for w in words {
            assert!(s.contains(w), "{w} in\n{s}");
        }
        let before = if lang == Lang::Nl { "eerder" } else { "before" };
        assert!(s.contains(before), "{s}");
        insta::assert_snapshot!(name, s);
    }
}

#[test]
fn a_meeting_logged_with_keys_takes_the_trajectory_off_the_overdue_list() {
    // A coordinator: every trajectory on the overdue list is theirs to work on.
    let mut h = harness_as(Role::Coordinator, 400, Lang::Nl, 80, 24);
    h.go(ScreenId::Trajectories);
    h.keys("O");
    let before = overdue_count(&h);
    assert!(before > 0);
    assert!(
        h.screen().contains(&format!("{before} van ")),
        "{}",
        h.screen()
    );
    let id = selected(&h);
    // o opens the meeting form on the selected row: today, next in six weeks.
    h.keys("o");
    let s = h.screen();
    assert!(s.contains("Voortgangsgesprek"), "{s}");
    assert!(s.contains("27-11-2026") && s.contains("08-01-2027"), "{s}");
    // A date in the future is refused beside the field, and nothing is saved.
    h.keys("<c-u>");
    h.text("01-06-2030");
    h.keys("<c-s>");
    let s = h.screen();
    assert!(s.contains("de datum kan niet in de toekomst liggen"), "{s}");
    assert_eq!(overdue_count(&h), before);
    h.keys("<c-u>");
    h.text("27-11-2026");
    h.keys("<tab><tab>");
    h.text("Goed gesprek, gaat naar de moestuin.");
    h.keys("<c-s>");
    h.until(|m| !m.trajectories().get(id).unwrap().is_overdue(TODAY));
    assert_eq!(overdue_count(&h), before - 1);
    let s = h.screen();
    assert!(s.contains("Gesprek vastgelegd"), "{s}");
    assert!(s.contains(&format!("{} van ", before - 1)), "{s}");
}

#[test]
fn a_handover_moves_the_trajectory_to_the_other_caseload() {
    let mut h = harness_as(Role::Coordinator, 400, Lang::En, 120, 35);
    h.go(ScreenId::Trajectories);
    let id = selected(&h);
    let from = h.model().trajectories().get(id).unwrap().consultant.clone();
    let to = if from == "bram" { "anouk" } else { "bram" };
    let count = |h: &Harness, who: &str| {
        h.model()
            .caseloads()
            .lines(TODAY, &Default::default())
            .iter()
            .find(|l| l.consultant == who)
            .map_or(0, |l| l.active)
    };
    let (from_before, to_before) = (count(&h, &from), count(&h, to));
    h.keys("r");
    // An unknown consultant is refused beside the field.
    h.text("Nobody Known");
    h.keys("<tab>");
    h.text("Leave");
    h.keys("<c-s>");
    assert!(
        h.screen()
            .contains("koppel knows no consultant by this name"),
        "{}",
        h.screen()
    );
    // The refused field has the focus.
    h.keys("<c-u>");
    h.text(to);
    h.keys("<c-s>");
    h.until(|m| m.trajectories().get(id).unwrap().consultant == to);
    assert_eq!(count(&h, &from), from_before - 1);
    assert_eq!(count(&h, to), to_before + 1);
    // In the caseloads, under the other consultant.
    h.go(ScreenId::Caseloads);
    let c: &Caseloads = h.screen_as(ScreenId::Caseloads);
    let at = c
        .lines
        .iter()
        .position(|l| l.consultant == to)
        .expect("the other caseload");
    h.keys("<home>");
    for _ in 0..at {
        h.keys("<down>");
    }
    h.keys("<enter>");
    let list = h
        .session
        .app()
        .view::<TrajectoryList>()
        .expect("the caseload's trajectories");
    assert_eq!(list.consultant.as_deref(), Some(to));
    let shown: Vec<u64> = {
        let m = h.model();
        list.table
            .view()
            .iter()
            .filter_map(|&i| m.trajectories().all().get(i as usize).map(|r| r.id))
            .collect()
    };
    assert!(shown.contains(&id));
}

#[test]
fn a_second_person_logging_at_once_is_told_keeps_the_input_and_overwrites_nothing() {
    let mut h = harness_as(Role::Coordinator, 400, Lang::En, 80, 24);
    h.go(ScreenId::Trajectories);
    let id = selected(&h);
    h.keys("o<tab><tab>");
    h.text("My summary");
    // Meanwhile a colleague logs a meeting on the same trajectory.
    let service = h.session.service().clone();
    let who = h.session.who().clone();
    let t = service.trajectory(&who, id).unwrap().unwrap();
    service
        .log_meeting(
            &who,
            id,
            t.meta.revision,
            Meeting {
                date: TODAY,
                by: "bram".into(),
                summary: "Their summary".into(),
                actions: String::new(),
                next_due: None,
            },
        )
        .unwrap();
    h.keys("<c-s>");
    let s = h.screen();
    assert!(s.contains("Nothing was overwritten"), "{s}");
    assert!(s.contains("My summary"), "{s}");
    // Saving again adds it beside theirs.
    h.keys("<c-s>");
    h.until(|m| m.trajectories().get(id).unwrap().revision == t.meta.revision + 2);
    let now = service.trajectory(&who, id).unwrap().unwrap();
    let summaries: Vec<&str> = now
        .data
        .meetings
        .iter()
        .rev()
        .take(2)
        .map(|m| m.summary.as_str())
        .collect();
    assert!(summaries.contains(&"My summary") && summaries.contains(&"Their summary"));
}
