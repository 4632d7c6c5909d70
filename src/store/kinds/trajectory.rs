//! The trajectory kind: its indexes, its list summary, the person it is about.

use super::Of;
use crate::domain::FieldError;
use crate::domain::draft::Keyed;
use crate::domain::trajectory::{Trajectory, TrajectorySummary};
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record, date_value};

/// The type-erased operations of trajectories.
pub(super) static OPS: Of<Trajectory> = Of::editable();

/// The trajectory indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The owning consultant's login name: a caseload.
    pub const CONSULTANT: IndexDef = IndexDef::new("consultant");
    /// `aanmelding` … `afgesloten`.
    pub const PHASE: IndexDef = IndexDef::new("phase");
    /// `social_activation`, `reintegration`, `mas`.
    pub const KIND: IndexDef = IndexDef::new("kind");
    /// The next progress meeting of a trajectory that is not closed, as `YYYY-MM-DD`: a range
    /// scan up to yesterday finds what is overdue.
    pub const NEXT_MEETING: IndexDef = IndexDef::new("next_meeting");
}

impl Record for Trajectory {
    /// A trajectory carries its whole history; lists need a few fields of it.
    type Summary = TrajectorySummary;
    /// 1: the first summary; 2: with its dated history for the periodic summary.
    const SUMMARY_VERSION: u16 = 2;

    fn summary(&self) -> TrajectorySummary {
        TrajectorySummary::of(self)
    }

    const KIND: Kind = Kind::Trajectory;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[
        &index::CONSULTANT,
        &index::PHASE,
        &index::KIND,
        &index::NEXT_MEETING,
    ];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        let mut out = vec![
            (&index::CONSULTANT, self.consultant.clone()),
            (&index::PHASE, self.phase.key().to_string()),
            (&index::KIND, self.kind.key().to_string()),
        ];
        if let Some(next) = self.next_meeting
            && self.is_open()
        {
            out.push((&index::NEXT_MEETING, date_value(next)));
        }
        out
    }

    /// A trajectory is about its person: it is found with everything else about them.
    fn about(&self) -> Vec<u64> {
        vec![self.person]
    }

    fn links(&self) -> Vec<(Kind, u64)> {
        vec![(Kind::Volunteer, self.person)]
    }

    fn normalised(self, _rules: &Rules) -> Result<Self, Vec<FieldError>> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

impl Editable for Trajectory {}

#[cfg(test)]
mod tests {
    use super::index;
    use crate::domain::trajectory::{
        Closing, Meeting, Outcome, Trajectory, sample_rules, sample_start,
    };
    use crate::store::{Stamp, Store};
    use time::macros::{date, datetime};

    #[test]
    fn caseload_phase_kind_and_open_meeting_indexes_follow_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let rules = sample_rules();
        let t = Trajectory::start(
            sample_start().validate(&rules).unwrap(),
            date!(2026 - 09 - 01),
            "anouk",
            &rules.settings,
        );
        let id = store.insert(t.clone(), &stamp).unwrap().meta.id;
        let find = |i, v: &str| store.find::<Trajectory>(i, v).unwrap();
        let overdue = |to: &str| {
            store
                .range::<Trajectory, &str>(&index::NEXT_MEETING, "0000"..=to)
                .unwrap()
        };
        assert_eq!(find(&index::CONSULTANT, "anouk"), [id]);
        assert_eq!(find(&index::PHASE, "aanmelding"), [id]);
        assert_eq!(find(&index::KIND, "social_activation"), [id]);
        assert_eq!(overdue("2026-10-13"), [id]);
        assert!(overdue("2026-10-12").is_empty());
        // A meeting moves the next date; a reassignment moves the caseload.
        let mut t2 = t.clone();
        t2.log_meeting(Meeting {
            date: date!(2026 - 10 - 10),
            by: "anouk".into(),
            summary: "Goed gesprek".into(),
            actions: String::new(),
            next_due: Some(date!(2026 - 11 - 20)),
        })
        .unwrap();
        t2.reassign("bram".into(), "Verlof".into(), date!(2026 - 10 - 11))
            .unwrap();
        store.update(id, 1, t2.clone(), &stamp).unwrap();
        assert!(overdue("2026-10-13").is_empty());
        assert_eq!(overdue("2026-11-20"), [id]);
        assert!(find(&index::CONSULTANT, "anouk").is_empty());
        assert_eq!(find(&index::CONSULTANT, "bram"), [id]);
        // Closed: no meeting is due any more.
        t2.close(
            Closing {
                outcome: Outcome::PaidWork,
                end_step: 5,
                date: date!(2026 - 11 - 01),
                note: String::new(),
            },
            "bram",
        )
        .unwrap();
        store.update(id, 2, t2, &stamp).unwrap();
        assert!(overdue("2099-01-01").is_empty());
        assert_eq!(find(&index::PHASE, "afgesloten"), [id]);
        assert!(find(&index::PHASE, "aanmelding").is_empty());
        // Everything about the person finds it.
        assert_eq!(
            store.about_person(1).unwrap(),
            [(crate::store::Kind::Trajectory, id)]
        );
        store.delete::<Trajectory>(id, 3, &stamp).unwrap();
        assert!(find(&index::CONSULTANT, "bram").is_empty());
    }
}
