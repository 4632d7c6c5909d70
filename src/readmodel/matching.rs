//! Matching over the read model: the open vacancies ranked for a person, and the people ranked
//! for a vacancy, with the reasons per row (see [`crate::domain::matching`]). Runs on the
//! in-memory rows under the caller's read lock; nothing is read from the store. Every
//! candidate is weighed without its reasons; only the best `limit` get them.

use super::{ReadModel, VacancyRow, VolunteerRow};
use crate::domain::matching::{Interests, Match, Offer, Person, Weights, points, rank_top, score};
use crate::domain::vacancy::VacancyStatus;
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

/// What matching reads of a volunteer row.
pub fn person_of(r: &VolunteerRow) -> Person<'_> {
    Person {
        interests: Interests(r.interests),
        availability: r.availability,
        municipality: &r.municipality,
        vog: r.vog,
        birth_date: r.birth_date,
        hours_per_week: r.hours_per_week,
    }
}

impl ReadModel {
    /// The best `limit` open vacancies for `person`, best first, with their match (by
    /// vacancy id).
    pub fn rank_vacancies(
        &self,
        person: &Person<'_>,
        w: &Weights,
        today: Date,
        limit: usize,
    ) -> Vec<(u64, Match)> {
        let rows = self.vacancies();
        let scored = rows
            .iter()
            .enumerate()
            .filter(|(_, v)| v.status == VacancyStatus::Open)
            .map(|(i, v)| {
                let (s, x) = points(person, &offer(v), w, today);
                ((v.id, i), s, x)
            })
            .collect();
        rank_top(scored, limit, |(id, _)| *id)
            .into_iter()
            .map(|((id, i), _, _)| (id, score(person, &offer(&rows[i]), w, today)))
            .collect()
    }

    /// The best `limit` people who can be matched (every status but inactive, never an
    /// anonymised person) for `offer`,
    /// best first, with their match (by volunteer id).
    pub fn rank_people(
        &self,
        offer: &Offer<'_>,
        w: &Weights,
        today: Date,
        limit: usize,
    ) -> Vec<(u64, Match)> {
        let rows = self.volunteers();
        let scored = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status != Status::Inactive && !r.anonymised)
            .map(|(i, r)| {
                let (s, x) = points(&person_of(r), offer, w, today);
                ((r.id, i), s, x)
            })
            .collect();
        rank_top(scored, limit, |(id, _)| *id)
            .into_iter()
            .map(|((id, i), _, _)| (id, score(&person_of(&rows[i]), offer, w, today)))
            .collect()
    }
}
