//! The activity kind: its indexes.

use super::Of;
use crate::codec::{self, CodecError};
use crate::domain::FieldError;
use crate::domain::activity::Activity;
use crate::domain::draft::Keyed;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record, date_value};

/// The type-erased operations of activities.
pub(super) static OPS: Of<Activity> = Of::editable();

/// The activity indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The date, as `YYYY-MM-DD`: the activities of a period.
    pub const DATE: IndexDef = IndexDef::new("date");
    /// The kind (`campaign`, `event`, …).
    pub const KIND: IndexDef = IndexDef::new("kind");
    /// What a thank-you was for (`placement/12/5`, `mas/7`): one each.
    pub const THANKS: IndexDef = IndexDef::unique("thanks");
}

/// The index value of a thank-you.
pub fn thanks_value(t: crate::domain::activity::Thanks) -> String {
    use crate::domain::activity::Thanks;
    match t {
        Thanks::PlacementYears {
            placement, years, ..
        } => format!("placement/{placement}/{years}"),
        Thanks::MasHours { trajectory, .. } => format!("mas/{trajectory}"),
    }
}

impl Record for Activity {
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = Activity;

    fn summary(&self) -> Activity {
        self.clone()
    }

    const KIND: Kind = Kind::Activity;
    /// 2: who was thanked (`thanks`); 1 had no such field.
    const FORMAT_VERSION: u16 = 2;
    const INDEXES: &'static [&'static IndexDef] = &[&index::DATE, &index::KIND, &index::THANKS];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        let mut out = vec![
            (&index::DATE, date_value(self.date)),
            (&index::KIND, self.kind.key().to_string()),
        ];
        if let Some(t) = self.thanks {
            out.push((&index::THANKS, thanks_value(t)));
        }
        out
    }

    fn about(&self) -> Vec<u64> {
        self.thanks.map(|t| vec![t.person()]).unwrap_or_default()
    }

    fn links(&self) -> Vec<(Kind, u64)> {
        use crate::domain::activity::Thanks;
        match self.thanks {
            Some(Thanks::PlacementYears { placement, .. }) => vec![(Kind::Placement, placement)],
            Some(Thanks::MasHours { trajectory, .. }) => vec![(Kind::Trajectory, trajectory)],
            None => Vec::new(),
        }
    }

    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        match version {
            1 => Ok(codec::decode::<v1::ActivityV1>(payload)?.into()),
            v => Err(CodecError(format!(
                "format version {v} of activity is unknown to this koppel"
            ))),
        }
    }

    fn upgrade_json(version: u16, data: serde_json::Value) -> Result<Self, String> {
        match version {
            1 => serde_json::from_value::<v1::ActivityV1>(data)
                .map(Into::into)
                .map_err(|e| format!("data: {e}")),
            v => Err(format!(
                "format version {v} of activity is unknown to this koppel"
            )),
        }
    }

    fn normalised(self, rules: &Rules) -> Result<Self, Vec<FieldError>> {
        let problems = self.problems(rules);
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

impl Editable for Activity {}

/// The first layout, before thank-yous were linked to who was thanked.
pub mod v1 {
    use crate::domain::activity::{Activity, ActivityKind};
    use crate::domain::contact::BasicFunction;
    use serde::{Deserialize, Serialize};
    use time::Date;

    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ActivityV1 {
        pub date: Date,
        pub title: String,
        pub kind: ActivityKind,
        pub basic_function: BasicFunction,
        pub organisations: Vec<String>,
        pub participants: u32,
        pub held: bool,
        pub notes: String,
    }

    impl From<ActivityV1> for Activity {
        fn from(a: ActivityV1) -> Activity {
            Activity {
                date: a.date,
                title: a.title,
                kind: a.kind,
                basic_function: a.basic_function,
                organisations: a.organisations,
                participants: a.participants,
                held: a.held,
                notes: a.notes,
                thanks: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::v1::ActivityV1;
    use crate::codec;
    use crate::domain::activity::{Activity, ActivityKind, Thanks};
    use crate::domain::contact::BasicFunction;
    use crate::store::record::Record;
    use time::macros::date;

    #[test]
    fn an_activity_of_the_first_layout_reads_as_one_without_thanks() {
        let old = ActivityV1 {
            date: date!(2025 - 12 - 07),
            title: "Ontbijt".into(),
            kind: ActivityKind::Appreciation,
            basic_function: BasicFunction::Verbreiden,
            organisations: vec!["Humanitas".into()],
            participants: 80,
            held: true,
            notes: String::new(),
        };
        let read = Activity::upgrade(1, &codec::encode(&old).unwrap()).unwrap();
        assert_eq!(read.title, "Ontbijt");
        assert_eq!(read.participants, 80);
        assert_eq!(read.thanks, None);
        let json = serde_json::to_value(&old).unwrap();
        assert_eq!(Activity::upgrade_json(1, json).unwrap(), read);
        assert!(Activity::upgrade(3, b"").is_err());
    }

    #[test]
    fn a_thank_you_is_about_the_person_and_points_at_its_placement() {
        let old = ActivityV1 {
            date: date!(2026 - 11 - 27),
            title: "Bedankt".into(),
            kind: ActivityKind::Appreciation,
            basic_function: BasicFunction::Verbreiden,
            organisations: Vec::new(),
            participants: 1,
            held: true,
            notes: String::new(),
        };
        let a = Activity {
            thanks: Some(Thanks::PlacementYears {
                person: 7,
                placement: 12,
                years: 5,
            }),
            ..Activity::from(old)
        };
        assert_eq!(a.about(), vec![7]);
        assert_eq!(a.links(), vec![(crate::store::Kind::Placement, 12)]);
        assert!(
            a.index_entries()
                .iter()
                .any(|(i, v)| i.name == "thanks" && v == "placement/12/5")
        );
    }
}
