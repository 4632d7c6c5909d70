//! The placement use cases: propose a volunteer for an open vacancy, move the placement along
//! (introduction, placed, ended) and read placements. Placing applies the VOG rule and marks
//! the person placed, in the same transaction. Each use case checks its permission and writes
//! its audit event through the one appender.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::draft::Keyed;
use crate::domain::placement::{Placement, PlacementStatus, StatusStep, vog_rule};
use crate::domain::vacancy::Vacancy;
use crate::domain::volunteer::{Status, Volunteer};
use crate::domain::{Field, FieldError, Problem};
use crate::store::{Kind, Stored};

fn refused(field: Field, problem: Problem) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, problem)])
}

impl Service {
    /// Proposes volunteer `volunteer` for vacancy `vacancy`, which must be open.
    pub fn propose_placement(
        &self,
        who: &Account,
        volunteer: u64,
        vacancy: u64,
    ) -> Result<Stored<Placement>, ServiceError> {
        self.require(who, Permission::MatchPlacement)?;
        let today = self.clock.today();
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            let Some(v) = tx.get::<Vacancy>(vacancy)? else {
                return Ok(Err(ServiceError::NotFound {
                    kind: Kind::Vacancy,
                    id: vacancy,
                }));
            };
            if !v.data.is_open() {
                return Ok(Err(refused(Field::Vacancy, Problem::VacancyNotOpen)));
            }
            let Some(p) = tx.get::<Volunteer>(volunteer)? else {
                return Ok(Err(ServiceError::NotFound {
                    kind: Kind::Volunteer,
                    id: volunteer,
                }));
            };
            let stored = tx.insert(Placement {
                volunteer,
                volunteer_name: p.data.name.filed(),
                vacancy,
                vacancy_title: v.data.title.clone(),
                organisation: v.data.organisation,
                organisation_name: v.data.organisation_name.clone(),
                status: PlacementStatus::Proposed,
                proposed_on: today,
                placed_on: None,
                ended_on: None,
                end_reason: None,
                vog_override: String::new(),
            })?;
            self.audit(
                tx,
                who,
                "propose_placement",
                Some((Kind::Volunteer, volunteer)),
                format!("placement/{} on vacancy/{vacancy}", stored.meta.id),
            )?;
            Ok(Ok(stored))
        })?
    }

    /// Moves placement `id` (opened at revision `based_on`) to `step.to`. Placing applies the
    /// VOG rule (refused without a valid VOG unless `step.vog_override` says why) and marks
    /// the person placed; ending records the reason.
    pub fn change_placement(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        step: StatusStep,
    ) -> Result<Stored<Placement>, ServiceError> {
        self.require(who, Permission::MatchPlacement)?;
        let today = self.clock.today();
        let stamp = self.stamp(who);
        // The person's other placements, for ending: transactions cannot scan the reference
        // index, so the candidates are listed first and each is read again inside.
        let others: Vec<u64> = match (step.to, self.store.get::<Placement>(id)?) {
            (PlacementStatus::Ended, Some(p)) => self
                .store
                .about_person(p.data.volunteer)?
                .into_iter()
                .filter(|&(kind, other)| kind == Kind::Placement && other != id)
                .map(|(_, other)| other)
                .collect(),
            _ => Vec::new(),
        };
        self.store.transact(&stamp, |tx| {
            let current = tx.current::<Placement>(id, based_on)?;
            let mut p = current.data;
            let from = p.status;
            if !from.next().contains(&step.to) {
                return Ok(Err(refused(
                    Field::PlacementStatus,
                    Problem::Transition {
                        from: from.key().into(),
                        to: step.to.key().into(),
                    },
                )));
            }
            let mut detail = format!("{} to {}", from.key(), step.to.key());
            match step.to {
                PlacementStatus::Placed => {
                    let vacancy = tx.get::<Vacancy>(p.vacancy)?;
                    let Some(person) = tx.get::<Volunteer>(p.volunteer)? else {
                        return Ok(Err(ServiceError::NotFound {
                            kind: Kind::Volunteer,
                            id: p.volunteer,
                        }));
                    };
                    let required = vacancy.as_ref().is_some_and(|v| v.data.vog_required);
                    if let Err(problem) =
                        vog_rule(required, person.data.vog, today, &step.vog_override)
                    {
                        return Ok(Err(refused(Field::VogOverride, problem)));
                    }
                    p.placed_on = Some(today);
                    p.vog_override = step.vog_override.trim().to_string();
                    if !p.vog_override.is_empty() {
                        detail.push_str(&format!("; VOG rule overridden: {}", p.vog_override));
                    }
                    // The person is placed now, whatever step of the pipeline they were at.
                    if person.data.status != Status::Placed {
                        let mut v = person.data;
                        v.status = Status::Placed;
                        tx.update(p.volunteer, person.meta.revision, v)?;
                    }
                }
                PlacementStatus::Ended => {
                    p.ended_on = Some(today);
                    p.end_reason = step.end_reason;
                    // Ending the last running placement puts a placed person back among
                    // those being matched: nothing says any more where they work.
                    let mut still_placed = false;
                    for other in &others {
                        if let Some(o) = tx.get::<Placement>(*other)?
                            && o.data.volunteer == p.volunteer
                            && o.data.status == PlacementStatus::Placed
                        {
                            still_placed = true;
                        }
                    }
                    if !still_placed
                        && let Some(person) = tx.get::<Volunteer>(p.volunteer)?
                        && person.data.status == Status::Placed
                    {
                        let mut v = person.data;
                        v.status = Status::BeingMatched;
                        tx.update(p.volunteer, person.meta.revision, v)?;
                        detail.push_str("; person back to being matched");
                    }
                }
                _ => {}
            }
            p.status = step.to;
            let saved = tx.update(id, based_on, p)?;
            self.audit(
                tx,
                who,
                "change_placement",
                Some((Kind::Volunteer, saved.data.volunteer)),
                format!("placement/{id}: {detail}"),
            )?;
            Ok(Ok(saved))
        })?
    }

    /// Writes demo placements in one durable transaction with one audit event `demo_fill`.
    /// Administrators only; each must point at an existing volunteer and vacancy.
    pub fn fill_demo_placements(
        &self,
        who: &Account,
        batch: &[Placement],
    ) -> Result<usize, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        if batch.is_empty() {
            return Ok(0);
        }
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            for p in batch {
                if tx.get::<Volunteer>(p.volunteer)?.is_none() {
                    return Ok(Err(ServiceError::NotFound {
                        kind: Kind::Volunteer,
                        id: p.volunteer,
                    }));
                }
                if tx.get::<Vacancy>(p.vacancy)?.is_none() {
                    return Ok(Err(ServiceError::NotFound {
                        kind: Kind::Vacancy,
                        id: p.vacancy,
                    }));
                }
                tx.insert(p.clone())?;
            }
            self.audit(
                tx,
                who,
                "demo_fill",
                None,
                format!("{} demo placements", batch.len()),
            )?;
            Ok(Ok(batch.len()))
        })?
    }

    /// Reads one placement.
    pub fn placement(
        &self,
        who: &Account,
        id: u64,
    ) -> Result<Option<Stored<Placement>>, ServiceError> {
        self.read::<Placement>(who, id)
    }

    /// The placements of volunteer `person`, oldest first.
    pub fn placements_of_person(
        &self,
        who: &Account,
        person: u64,
    ) -> Result<Vec<Stored<Placement>>, ServiceError> {
        let mut out = Vec::new();
        for (kind, id) in self.about_person(who, person)? {
            if kind == Kind::Placement
                && let Some(p) = self.read::<Placement>(who, id)?
            {
                out.push(p);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::organisation::sample_organisation;
    use crate::domain::placement::{EndReason, PlacementStatus, StatusStep};
    use crate::domain::vacancy::{Vacancy, VacancyStatus, sample_rules, sample_vacancy};
    use crate::domain::volunteer::{Status, Vog, Volunteer, sample_intake};
    use crate::domain::{Field, FieldError, Problem};
    use crate::service::{Account, Kind, Role, Service, ServiceError};
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::{date, datetime};

    struct World {
        s: Service,
        who: Account,
        person: u64,
        vacancy: u64,
        _dir: tempfile::TempDir,
    }

    fn world(vog: Vog, vacancy_status: VacancyStatus) -> World {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        let s = Service::new(store, clock, Config::default());
        let who = Account {
            name: "consulent".into(),
            role: Role::Consultant,
        };
        let org = s
            .register_organisation(&who, sample_organisation().validate(&s.rules()).unwrap())
            .unwrap();
        let v = Vacancy {
            organisation: org.meta.id,
            status: vacancy_status,
            ..sample_vacancy().validate(&sample_rules()).unwrap()
        };
        let vacancy = s.register_vacancy(&who, v).unwrap().meta.id;
        let mut p: Volunteer = sample_intake().validate(&s.rules()).unwrap();
        p.vog = vog;
        let person = s.register_intake(&who, p, true).unwrap().meta.id;
        World {
            s,
            who,
            person,
            vacancy,
            _dir: dir,
        }
    }

    fn step(to: PlacementStatus, vog_override: &str) -> StatusStep {
        StatusStep {
            to,
            end_reason: (to == PlacementStatus::Ended).then_some(EndReason::NoFit),
            vog_override: vog_override.into(),
        }
    }

    #[test]
    fn propose_introduce_place_marks_the_person_placed_and_is_found_through_them() {
        let fresh = Vog::Received {
            requested: None,
            received: date!(2026 - 01 - 10),
        };
        let w = world(fresh, VacancyStatus::Open);
        let p = w.s.propose_placement(&w.who, w.person, w.vacancy).unwrap();
        assert_eq!(p.data.status, PlacementStatus::Proposed);
        assert_eq!(p.data.vacancy_title, "Maatje voor bewoners");
        let p =
            w.s.change_placement(
                &w.who,
                p.meta.id,
                1,
                step(PlacementStatus::Introduction, ""),
            )
            .unwrap();
        let p =
            w.s.change_placement(&w.who, p.meta.id, 2, step(PlacementStatus::Placed, ""))
                .unwrap();
        assert_eq!(p.data.placed_on, Some(date!(2026 - 11 - 27)));
        let person = w.s.volunteer(&w.who, w.person).unwrap().unwrap();
        assert_eq!(person.data.status, Status::Placed);
        let found = w.s.placements_of_person(&w.who, w.person).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].data.status, PlacementStatus::Placed);
        // Placed cannot go back to proposed.
        let back =
            w.s.change_placement(&w.who, p.meta.id, 3, step(PlacementStatus::Proposed, ""));
        assert!(matches!(back, Err(ServiceError::Invalid(_))));
    }

    #[test]
    fn ending_the_last_running_placement_puts_the_person_back_to_being_matched() {
        let fresh = Vog::Received {
            requested: None,
            received: date!(2026 - 01 - 10),
        };
        let w = world(fresh, VacancyStatus::Open);
        let place = |w: &World| {
            let p = w.s.propose_placement(&w.who, w.person, w.vacancy).unwrap();
            w.s.change_placement(&w.who, p.meta.id, 1, step(PlacementStatus::Placed, ""))
                .unwrap()
        };
        let first = place(&w);
        let second = place(&w);
        let status = |w: &World| {
            w.s.volunteer(&w.who, w.person)
                .unwrap()
                .unwrap()
                .data
                .status
        };
        // One of two running placements ends: the person still works somewhere.
        w.s.change_placement(&w.who, first.meta.id, 2, step(PlacementStatus::Ended, ""))
            .unwrap();
        assert_eq!(status(&w), Status::Placed);
        // The last one ends: they are looking again.
        w.s.change_placement(&w.who, second.meta.id, 2, step(PlacementStatus::Ended, ""))
            .unwrap();
        assert_eq!(status(&w), Status::BeingMatched);
        // Ending a proposal of someone who is not placed leaves their status alone.
        let p = w.s.propose_placement(&w.who, w.person, w.vacancy).unwrap();
        w.s.change_placement(&w.who, p.meta.id, 1, step(PlacementStatus::Ended, ""))
            .unwrap();
        assert_eq!(status(&w), Status::BeingMatched);
    }

    #[test]
    fn placing_without_a_valid_vog_is_refused_unless_overridden_with_a_reason() {
        let old = Vog::Received {
            requested: None,
            received: date!(2021 - 01 - 10),
        };
        let w = world(old, VacancyStatus::Open);
        let p = w.s.propose_placement(&w.who, w.person, w.vacancy).unwrap();
        let refused =
            w.s.change_placement(&w.who, p.meta.id, 1, step(PlacementStatus::Placed, ""));
        let Err(ServiceError::Invalid(errors)) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(
            errors,
            vec![FieldError::new(Field::VogOverride, Problem::VogMissing)]
        );
        // Nothing changed: neither the placement nor the person.
        assert_eq!(
            w.s.placement(&w.who, p.meta.id)
                .unwrap()
                .unwrap()
                .meta
                .revision,
            1
        );
        assert_ne!(
            w.s.volunteer(&w.who, w.person)
                .unwrap()
                .unwrap()
                .data
                .status,
            Status::Placed
        );
        let placed =
            w.s.change_placement(
                &w.who,
                p.meta.id,
                1,
                step(
                    PlacementStatus::Placed,
                    "nieuwe VOG aangevraagd; werkt onder begeleiding",
                ),
            )
            .unwrap();
        assert_eq!(
            placed.data.vog_override,
            "nieuwe VOG aangevraagd; werkt onder begeleiding"
        );
        // The audit trail is for coordinators to read.
        let lead = Account {
            name: "ingrid".into(),
            role: Role::Coordinator,
        };
        let events = w.s.audit_of_person(&lead, w.person).unwrap();
        assert!(
            events
                .iter()
                .any(|e| e.data.detail.contains("VOG rule overridden"))
        );
    }

    #[test]
    fn nobody_is_proposed_for_a_closed_vacancy() {
        let w = world(Vog::NotNeeded, VacancyStatus::Closed);
        let err =
            w.s.propose_placement(&w.who, w.person, w.vacancy)
                .unwrap_err();
        let ServiceError::Invalid(errors) = err else {
            panic!("{err:?}")
        };
        assert_eq!(errors[0].problem, Problem::VacancyNotOpen);
        assert!(matches!(
            w.s.propose_placement(&w.who, w.person, 999),
            Err(ServiceError::NotFound {
                kind: Kind::Vacancy,
                ..
            })
        ));
    }

    #[test]
    fn ending_records_the_reason() {
        let w = world(Vog::NotNeeded, VacancyStatus::Open);
        let p = w.s.propose_placement(&w.who, w.person, w.vacancy).unwrap();
        let ended =
            w.s.change_placement(&w.who, p.meta.id, 1, step(PlacementStatus::Ended, ""))
                .unwrap();
        assert_eq!(ended.data.end_reason, Some(EndReason::NoFit));
        assert_eq!(ended.data.ended_on, Some(date!(2026 - 11 - 27)));
    }
}
