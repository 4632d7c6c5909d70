//! Matching over the read model: the open vacancies ranked for a person, and the people ranked
//! for a vacancy, with the reasons per row (see [`crate::domain::matching`]). Runs on the
//! in-memory rows under the caller's read lock; nothing is read from the store.

use super::{ReadModel, VacancyRow, VolunteerRow};
use crate::domain::matching::{Match, Offer, Person, Weights, rank, score};
use crate::domain::volunteer::Status;
use time::Date;

/// What matching reads of a vacancy row.
pub fn offer(v: &VacancyRow) -> Offer<'_> {
    Offer {
        sector: v.sector,
        dayparts: v.dayparts,
        municipality: &v.municipality,
        vog_required: v.vog_required,
        min_age: v.min_age,
        hours_per_week: v.hours_per_week,
    }
}

impl ReadModel {
    /// The open vacancies for `person`, best first, with their match (ids of vacancies).
    pub fn rank_vacancies(
        &self,
        person: &Person<'_>,
        w: &Weights,
        today: Date,
    ) -> Vec<(u64, Match)> {
        let scored = self
            .vacancies()
            .iter()
            .filter(|v| v.status == crate::domain::vacancy::VacancyStatus::Open)
            .map(|v| (v.id, score(person, &offer(v), w, today)))
            .collect();
        rank(scored, |id| *id)
    }

    /// The people who can be matched (every status but inactive) for `offer`, best first,
    /// with their match (ids of volunteers).
    pub fn rank_people(&self, offer: &Offer<'_>, w: &Weights, today: Date) -> Vec<(u64, Match)> {
        let scored = self
            .volunteers()
            .iter()
            .filter(|r| r.status != Status::Inactive)
            .map(|r| {
                let interests = r.interest_list();
                (r.id, score(&person_of(r, &interests), offer, w, today))
            })
            .collect();
        rank(scored, |id| *id)
    }
}

/// What matching reads of a volunteer row (`interests` from [`VolunteerRow::interest_list`]).
pub fn person_of<'a>(
    r: &'a VolunteerRow,
    interests: &'a [crate::domain::volunteer::Interest],
) -> Person<'a> {
    Person {
        interests,
        availability: r.availability,
        municipality: &r.municipality,
        vog: r.vog,
        birth_date: r.birth_date,
        hours_per_week: r.hours_per_week,
    }
}
