//! The one typed list of everything a user can ask for. Keymap files name these actions by
//! their snake_case names; the help overlay, the bottom bar and the command palette describe
//! them from the catalogs (`action.<name>`).

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

/// A user intention, independent of the key that triggered it.
///
/// The declaration order is the palette's order. Names come from strum and serde, both
/// snake_case, so `GoVertalen` is `go_vertalen` in a keymap file and in the catalogs.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    IntoStaticStr,
    EnumString,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    /// New intake, from any list or view.
    NewIntake,
    /// Find any person from anywhere.
    FindAnywhere,
    /// Filter the current list as you type.
    Search,
    /// Save the form.
    Save,
    /// Open the selected item / confirm.
    Open,
    /// Back / cancel / close.
    Back,
    /// New item of the current screen.
    New,
    /// Edit the open item.
    Edit,
    /// Change the status of the selected or open volunteer.
    ChangeStatus,
    /// New vacancy of the open organisation.
    NewVacancy,
    /// Log a contact with the open organisation (or the open vacancy's).
    LogContact,
    /// Match: the open vacancies for the open person, or the people for the open vacancy.
    Match,
    /// Start a trajectory for the open person.
    StartTrajectory,
    /// Write the open person's access export (the right of access).
    AccessExport,
    /// Erase or anonymise the open person (the right to erasure; administrators).
    ErasePerson,
    /// The open person withdrew their consent: erase or anonymise what may not be kept.
    WithdrawConsent,
    /// Anonymise the selected record past its retention period (5 Verankeren › Beheer).
    AnonymiseSelected,
    /// Anonymise every record past its retention period (5 Verankeren › Beheer).
    AnonymiseListed,
    /// Log a progress meeting on the trajectory.
    LogMeeting,
    /// Record a participatieladder step.
    LadderStep,
    /// Add a goal to the trajectory.
    AddGoal,
    /// Mark a goal of the trajectory achieved or dropped.
    FinishGoal,
    /// Move the trajectory's phase forward, or back with a reason.
    ChangePhase,
    /// Hand the trajectory to another consultant.
    Reassign,
    /// Close the trajectory with an outcome.
    CloseTrajectory,
    /// Log MaS hours.
    LogHours,
    /// Cycle the kind filter of the trajectories.
    FilterKind,
    /// Cycle the consultant filter of the trajectories.
    FilterConsultant,
    /// Show only overdue trajectories, or all.
    FilterOverdue,
    /// Export what the list shows as CSV.
    ExportCsv,
    /// Cycle the status filter of the list.
    FilterStatus,
    /// Cycle the municipality filter of the list.
    FilterMunicipality,
    /// Clear all filters of the list.
    ClearFilters,
    /// Go to basic-function group 1, Vertalen.
    GoVertalen,
    /// Go to group 2, Verbinden.
    GoVerbinden,
    /// Go to group 3, Versterken.
    GoVersterken,
    /// Go to group 4, Verbreiden.
    GoVerbreiden,
    /// Go to group 5, Verankeren.
    GoVerankeren,
    /// Next screen within the group.
    NextScreen,
    /// Previous screen within the group.
    PrevScreen,
    /// Next field of a form.
    NextField,
    /// Previous field of a form.
    PrevField,
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// Move one page up.
    PageUp,
    /// Move one page down.
    PageDown,
    /// Go to the first row.
    Home,
    /// Go to the last row.
    End,
    /// Answer yes in a question.
    Yes,
    /// Answer no in a question.
    No,
    /// Show every binding of the current context.
    Help,
    /// Command palette: run any action by name.
    Palette,
    /// Redraw the whole screen.
    Redraw,
    /// Leave koppel (asks first when input would be lost).
    Quit,
    /// The Reports screen: the period before the one shown.
    PrevPeriod,
    /// The Reports screen: the period after the one shown.
    NextPeriod,
    /// The Reports screen: the current week.
    ThisWeek,
    /// The Reports screen: week → month → quarter → year.
    PeriodLength,
    /// The Reports screen: export the summary (asks for the format and the file).
    ExportReport,
}

impl Action {
    /// Every action a keymap may name, in palette order (the order of the declaration).
    pub const ALL: &'static [Action] = <Action as VariantArray>::VARIANTS;

    /// The snake_case name used in keymap files (the same as serde's).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The action with this snake_case name.
    pub fn from_name(name: &str) -> Option<Action> {
        name.parse().ok()
    }

    /// Catalog key of the description (`action.<name>`).
    pub fn description_key(self) -> String {
        format!("action.{}", self.name())
    }

    /// Description in the given language.
    pub fn description(self, lang: crate::i18n::Lang) -> String {
        crate::i18n::t(lang, &self.description_key()).to_string()
    }

    /// The group an action jumps to, if it is a group action (1–5).
    pub fn group(self) -> Option<usize> {
        match self {
            Action::GoVertalen => Some(0),
            Action::GoVerbinden => Some(1),
            Action::GoVersterken => Some(2),
            Action::GoVerbreiden => Some(3),
            Action::GoVerankeren => Some(4),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        for &a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
            // serde uses the same names as the keymap files.
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::json!(a.name())
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
