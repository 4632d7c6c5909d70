//! Demo placements, consistent with the demo volunteers and vacancies: every placed person has
//! a placement (status placed), every filled vacancy has one, and some people being matched
//! have a proposal or an introduction on an open vacancy.

use crate::domain::matching::vog_valid;
use crate::domain::placement::{Placement, PlacementStatus};
use crate::domain::vacancy::{Vacancy, VacancyStatus};
use crate::domain::volunteer::{Status, Volunteer};
use time::{Date, Duration};

/// The placements of `people` (with their ids) on `vacancies` (with theirs), as of `today`.
pub fn placements(
    people: &[(u64, Volunteer)],
    vacancies: &[(u64, Vacancy)],
    today: Date,
) -> Vec<Placement> {
    let mut out = Vec::new();
    if vacancies.is_empty() {
        return out;
    }
    let placed: Vec<&(u64, Volunteer)> = people
        .iter()
        .filter(|(_, v)| v.status == Status::Placed)
        .collect();
    let matching: Vec<&(u64, Volunteer)> = people
        .iter()
        .filter(|(_, v)| v.status == Status::BeingMatched)
        .collect();
    let filled: Vec<&(u64, Vacancy)> = vacancies
        .iter()
        .filter(|(_, v)| v.status == VacancyStatus::Filled)
        .collect();
    let open: Vec<&(u64, Vacancy)> = vacancies
        .iter()
        .filter(|(_, v)| v.status == VacancyStatus::Open)
        .collect();
    let make = |(pid, p): &(u64, Volunteer), (vid, v): &(u64, Vacancy), status| {
        let proposed_on = (v.start_date.max(p.intake_date) + Duration::days(7)).min(today);
        let placed = status == PlacementStatus::Placed;
        Placement {
            volunteer: *pid,
            volunteer_name: p.name.filed(),
            vacancy: *vid,
            vacancy_title: v.title.clone(),
            organisation: v.organisation,
            organisation_name: v.organisation_name.clone(),
            status,
            proposed_on,
            placed_on: placed.then_some((proposed_on + Duration::days(14)).min(today)),
            ended_on: None,
            end_reason: None,
            vog_override: if placed && v.vog_required && !vog_valid(p.vog, today) {
                "VOG aangevraagd; tot die binnen is werkt de vrijwilliger onder begeleiding.".into()
            } else {
                String::new()
            },
        }
    };
    // Every placed person gets a placement: first on the filled vacancies, then spread over
    // the open ones (a vacancy may take several people) or, without those, any.
    let targets: Vec<&(u64, Vacancy)> = if open.is_empty() {
        vacancies.iter().collect()
    } else {
        open.clone()
    };
    for (i, p) in placed.iter().enumerate() {
        let v = if i < filled.len() {
            filled[i]
        } else {
            targets[i % targets.len()]
        };
        out.push(make(p, v, PlacementStatus::Placed));
    }
    // Filled vacancies left over (more than placed people) take placed people again.
    if !placed.is_empty() {
        for (i, v) in filled.iter().enumerate().skip(placed.len()) {
            out.push(make(placed[i % placed.len()], v, PlacementStatus::Placed));
        }
    }
    // Every fourth person being matched has a proposal or an introduction.
    if !open.is_empty() {
        for (i, p) in matching.iter().enumerate().filter(|(i, _)| i % 4 == 0) {
            let status = if i % 8 == 0 {
                PlacementStatus::Proposed
            } else {
                PlacementStatus::Introduction
            };
            out.push(make(p, open[i % open.len()], status));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::placement::{Placement, PlacementStatus};
    use crate::domain::vacancy::{Vacancy, VacancyStatus};
    use crate::domain::volunteer::{Status, Volunteer};
    use crate::service::{Account, Role, Service};
    use crate::store::Store;
    use std::collections::BTreeSet;
    use std::sync::Arc;
    use time::macros::datetime;

    #[test]
    fn placed_people_and_filled_vacancies_have_a_placement_and_check_is_clean() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
        let service = Service::new(store.clone(), clock, Config::default());
        let admin = Account {
            name: "beheer".into(),
            role: Role::Admin,
        };
        super::super::fill(&service, &admin, 600, 11).unwrap();
        let placements: Vec<Placement> =
            store.scan::<Placement>().map(|p| p.unwrap().data).collect();
        let placed_people: BTreeSet<u64> = placements
            .iter()
            .filter(|p| p.status == PlacementStatus::Placed)
            .map(|p| p.volunteer)
            .collect();
        let placed_vacancies: BTreeSet<u64> = placements
            .iter()
            .filter(|p| p.status == PlacementStatus::Placed)
            .map(|p| p.vacancy)
            .collect();
        let mut people = 0;
        for v in store.scan::<Volunteer>() {
            let v = v.unwrap();
            if v.data.status == Status::Placed {
                people += 1;
                assert!(
                    placed_people.contains(&v.meta.id),
                    "{} has no placement",
                    v.meta.id
                );
            }
        }
        assert!(people > 0);
        for v in store.scan::<Vacancy>() {
            let v = v.unwrap();
            if v.data.status == VacancyStatus::Filled {
                assert!(
                    placed_vacancies.contains(&v.meta.id),
                    "vacancy {} has no placement",
                    v.meta.id
                );
            }
        }
        assert!(
            placements
                .iter()
                .any(|p| p.status == PlacementStatus::Proposed)
        );
        let report = service.check(&admin).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}
