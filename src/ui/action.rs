//! The one typed list of everything a user can ask for. Keymap files name these actions by
//! their snake_case names; the help overlay, the bottom bar and the command palette describe
//! them from the catalogs (`action.<name>`).

use serde::{Deserialize, Serialize};

/// A user intention, independent of the key that triggered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave koppel (asks first when input would be lost).
    Quit,
    /// Show every binding of the current context.
    Help,
    /// Command palette: run any action by name.
    Palette,
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
    /// Open the selected item / confirm.
    Open,
    /// Back / cancel / close.
    Back,
    /// New item of the current screen.
    New,
    /// New intake, from any list or view.
    NewIntake,
    /// Edit the open item.
    Edit,
    /// Filter the current list as you type.
    Search,
    /// Find any person from anywhere.
    FindAnywhere,
    /// Save the form.
    Save,
    /// Next field of a form.
    NextField,
    /// Previous field of a form.
    PrevField,
    /// Change the status of the selected or open volunteer.
    ChangeStatus,
    /// Cycle the status filter of the list.
    FilterStatus,
    /// Cycle the municipality filter of the list.
    FilterMunicipality,
    /// Clear all filters of the list.
    ClearFilters,
    /// Answer yes in a question.
    Yes,
    /// Answer no in a question.
    No,
    /// Redraw the whole screen.
    Redraw,
}

impl Action {
    /// Every action a keymap may name, in palette order.
    pub const ALL: [Action; 33] = [
        Action::NewIntake,
        Action::FindAnywhere,
        Action::Search,
        Action::Save,
        Action::Open,
        Action::Back,
        Action::New,
        Action::Edit,
        Action::ChangeStatus,
        Action::FilterStatus,
        Action::FilterMunicipality,
        Action::ClearFilters,
        Action::GoVertalen,
        Action::GoVerbinden,
        Action::GoVersterken,
        Action::GoVerbreiden,
        Action::GoVerankeren,
        Action::NextScreen,
        Action::PrevScreen,
        Action::NextField,
        Action::PrevField,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Home,
        Action::End,
        Action::Yes,
        Action::No,
        Action::Help,
        Action::Palette,
        Action::Redraw,
        Action::Quit,
    ];

    /// The snake_case name used in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Palette => "palette",
            Action::GoVertalen => "go_vertalen",
            Action::GoVerbinden => "go_verbinden",
            Action::GoVersterken => "go_versterken",
            Action::GoVerbreiden => "go_verbreiden",
            Action::GoVerankeren => "go_verankeren",
            Action::NextScreen => "next_screen",
            Action::PrevScreen => "prev_screen",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Home => "home",
            Action::End => "end",
            Action::Open => "open",
            Action::Back => "back",
            Action::New => "new",
            Action::NewIntake => "new_intake",
            Action::Edit => "edit",
            Action::Search => "search",
            Action::FindAnywhere => "find_anywhere",
            Action::Save => "save",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::ChangeStatus => "change_status",
            Action::FilterStatus => "filter_status",
            Action::FilterMunicipality => "filter_municipality",
            Action::ClearFilters => "clear_filters",
            Action::Yes => "yes",
            Action::No => "no",
            Action::Redraw => "redraw",
        }
    }

    /// The action with this snake_case name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
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
        for a in Action::ALL {
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
