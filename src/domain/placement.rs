//! Placements: a volunteer matched to a vacancy, from proposed through introduction to placed
//! and finally ended (with a reason). Placing someone on a vacancy that needs a VOG without a
//! valid one (see [`super::matching::vog_valid`]) needs a recorded reason to override the rule.

use super::draft::{self, Draft, DraftField, Keyed, Shown, Value, text_row};
use super::matching::vog_valid;
use super::volunteer::Vog;
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

/// Where a placement stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PlacementStatus {
    #[default]
    Proposed,
    /// Kennismaking: the volunteer meets the organisation.
    Introduction,
    Placed,
    Ended,
}

impl Keyed for PlacementStatus {
    const ALL: &'static [Self] = &[
        PlacementStatus::Proposed,
        PlacementStatus::Introduction,
        PlacementStatus::Placed,
        PlacementStatus::Ended,
    ];

    fn key(self) -> &'static str {
        match self {
            PlacementStatus::Proposed => "proposed",
            PlacementStatus::Introduction => "introduction",
            PlacementStatus::Placed => "placed",
            PlacementStatus::Ended => "ended",
        }
    }
}

impl PlacementStatus {
    /// The statuses this one may change to.
    pub fn next(self) -> &'static [PlacementStatus] {
        use PlacementStatus::*;
        match self {
            Proposed => &[Introduction, Placed, Ended],
            Introduction => &[Placed, Ended],
            Placed => &[Ended],
            Ended => &[],
        }
    }

    /// Whether the placement is still going (not ended).
    pub fn is_active(self) -> bool {
        self != PlacementStatus::Ended
    }
}

/// Why a placement ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The work was done (a project, a stage).
    #[default]
    Completed,
    /// The introduction showed it does not fit.
    NoFit,
    VolunteerStopped,
    OrganisationStopped,
    /// Moved on to paid work or education.
    PaidWorkOrEducation,
    Moved,
    Other,
}

impl Keyed for EndReason {
    const ALL: &'static [Self] = &[
        EndReason::Completed,
        EndReason::NoFit,
        EndReason::VolunteerStopped,
        EndReason::OrganisationStopped,
        EndReason::PaidWorkOrEducation,
        EndReason::Moved,
        EndReason::Other,
    ];

    fn key(self) -> &'static str {
        match self {
            EndReason::Completed => "completed",
            EndReason::NoFit => "no_fit",
            EndReason::VolunteerStopped => "volunteer_stopped",
            EndReason::OrganisationStopped => "organisation_stopped",
            EndReason::PaidWorkOrEducation => "paid_work_or_education",
            EndReason::Moved => "moved",
            EndReason::Other => "other",
        }
    }
}

/// A volunteer matched to a vacancy. The names beside the ids are what they were when the
/// placement was last saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub volunteer: u64,
    /// "Berg, Anouk van den".
    pub volunteer_name: String,
    pub vacancy: u64,
    pub vacancy_title: String,
    pub organisation: u64,
    pub organisation_name: String,
    pub status: PlacementStatus,
    pub proposed_on: Date,
    pub placed_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub end_reason: Option<EndReason>,
    /// Why the person was placed without the valid VOG the vacancy needs (empty otherwise).
    pub vog_override: String,
}

/// The VOG rule: a vacancy that needs a VOG takes a person with a valid one, or an override
/// reason.
pub fn vog_rule(
    vog_required: bool,
    vog: Vog,
    today: Date,
    override_reason: &str,
) -> Result<(), Problem> {
    if vog_required && !vog_valid(vog, today) && override_reason.trim().is_empty() {
        Err(Problem::VogMissing)
    } else {
        Ok(())
    }
}

/// A status change of a placement, as a small draft: the new status, and the end reason or the
/// VOG override reason where they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementChange {
    pub from: PlacementStatus,
    pub to: PlacementStatus,
    pub end_reason: EndReason,
    pub vog_override: String,
}

/// What a valid [`PlacementChange`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusStep {
    pub to: PlacementStatus,
    pub end_reason: Option<EndReason>,
    pub vog_override: String,
}

impl PlacementChange {
    /// A change away from `from`, starting at the first status it may become.
    pub fn new(from: PlacementStatus) -> Self {
        PlacementChange {
            from,
            to: from.next().first().copied().unwrap_or(from),
            end_reason: EndReason::default(),
            vog_override: String::new(),
        }
    }

    /// The step, or why it is not allowed.
    pub fn validate(&self) -> Result<StatusStep, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !self.from.next().contains(&self.to) {
            errors.push(FieldError::new(
                Field::PlacementStatus,
                Problem::Transition {
                    from: self.from.key().into(),
                    to: self.to.key().into(),
                },
            ));
        }
        let vog_override = if self.to == PlacementStatus::Placed {
            let mut err = |f, p| errors.push(FieldError::new(f, p));
            draft::line_text::<Self>(&self.vog_override, Field::VogOverride, &mut err)
                .unwrap_or_default()
        } else {
            String::new()
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(StatusStep {
            to: self.to,
            end_reason: (self.to == PlacementStatus::Ended).then_some(self.end_reason),
            vog_override,
        })
    }
}

impl Draft for PlacementChange {
    fn fields() -> &'static [DraftField<Self>] {
        const FIELDS: &[DraftField<PlacementChange>] = &[
            DraftField {
                field: Field::PlacementStatus,
                value: Value::Choice {
                    get: |d| d.to.key(),
                    set: |d, k| draft::set_key(&mut d.to, k),
                    options: |d| d.from.next().iter().map(|s| s.key()).collect(),
                    catalog: "placement_status",
                },
                required: true,
                max_len: 0,
                shown: Shown::Always,
            },
            DraftField {
                field: Field::EndReason,
                value: Value::Choice {
                    get: |d| d.end_reason.key(),
                    set: |d, k| draft::set_key(&mut d.end_reason, k),
                    options: |_| EndReason::keys(),
                    catalog: "end_reason",
                },
                required: true,
                max_len: 0,
                shown: Shown::When {
                    by: Field::PlacementStatus,
                    when: |d| d.to == PlacementStatus::Ended,
                },
            },
            text_row!(VogOverride, vog_override, Line, required: false, max: 300,
            Shown::When {
                by: Field::PlacementStatus,
                when: |d| d.to == PlacementStatus::Placed,
            }),
        ];
        FIELDS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 27);

    #[test]
    fn placements_go_forward_and_end_with_a_reason() {
        use PlacementStatus::*;
        assert_eq!(Proposed.next(), [Introduction, Placed, Ended]);
        assert!(Ended.next().is_empty());
        let mut c = PlacementChange::new(Proposed);
        assert_eq!(c.to, Introduction);
        c.to = Ended;
        c.end_reason = EndReason::NoFit;
        let step = c.validate().unwrap();
        assert_eq!(step.end_reason, Some(EndReason::NoFit));
        let back = PlacementChange {
            to: Proposed,
            ..PlacementChange::new(Placed)
        };
        assert_eq!(
            back.validate().unwrap_err()[0].problem,
            Problem::Transition {
                from: "placed".into(),
                to: "proposed".into()
            }
        );
        assert!(PlacementChange::new(Ended).validate().is_err());
    }

    #[test]
    fn the_vog_rule_refuses_without_a_valid_vog_unless_overridden() {
        let old = Vog::Received {
            requested: None,
            received: date!(2022 - 06 - 01),
        };
        let fresh = Vog::Received {
            requested: None,
            received: date!(2026 - 06 - 01),
        };
        assert_eq!(
            vog_rule(true, Vog::Needed, TODAY, ""),
            Err(Problem::VogMissing)
        );
        assert_eq!(vog_rule(true, old, TODAY, " "), Err(Problem::VogMissing));
        assert_eq!(
            vog_rule(true, old, TODAY, "VOG aangevraagd, werkt onder begeleiding"),
            Ok(())
        );
        assert_eq!(vog_rule(true, fresh, TODAY, ""), Ok(()));
        assert_eq!(vog_rule(false, Vog::NotNeeded, TODAY, ""), Ok(()));
    }

    #[test]
    fn the_override_reason_is_kept_only_when_placing() {
        let c = PlacementChange {
            to: PlacementStatus::Placed,
            vog_override: "  werkt onder begeleiding  ".into(),
            ..PlacementChange::new(PlacementStatus::Introduction)
        };
        assert_eq!(
            c.validate().unwrap().vog_override,
            "werkt onder begeleiding"
        );
        let c = PlacementChange {
            to: PlacementStatus::Ended,
            vog_override: "x".into(),
            ..PlacementChange::new(PlacementStatus::Introduction)
        };
        assert_eq!(c.validate().unwrap().vog_override, "");
    }
}
