//! The screens, grouped by the five basic functions of local volunteer policy. Screens whose
//! features arrive later show what their basic function covers, never invented data.

pub mod detail;
pub mod overview;
pub mod placeholder;
pub mod volunteers;

/// Every screen of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    // 1 Vertalen
    Overview,
    Signals,
    Targets,
    // 2 Verbinden
    Intakes,
    Volunteers,
    Vacancies,
    Placements,
    // 3 Versterken
    Trajectories,
    Caseloads,
    Organisations,
    Contacts,
    // 4 Verbreiden
    Activities,
    Appreciation,
    // 5 Verankeren
    Reports,
    KnowledgeNotes,
    AuditLog,
    Administration,
}

const GROUPS: [&[Screen]; 5] = [
    &[Screen::Overview, Screen::Signals, Screen::Targets],
    &[
        Screen::Intakes,
        Screen::Volunteers,
        Screen::Vacancies,
        Screen::Placements,
    ],
    &[
        Screen::Trajectories,
        Screen::Caseloads,
        Screen::Organisations,
        Screen::Contacts,
    ],
    &[Screen::Activities, Screen::Appreciation],
    &[
        Screen::Reports,
        Screen::KnowledgeNotes,
        Screen::AuditLog,
        Screen::Administration,
    ],
];

/// The screens of group `g` (0–4); an out-of-range group gives the first.
pub fn group_screens(g: usize) -> &'static [Screen] {
    GROUPS.get(g).copied().unwrap_or(GROUPS[0])
}

/// Catalog key of a group's name (`group.vertalen` …).
pub fn group_key(g: usize) -> &'static str {
    [
        "group.vertalen",
        "group.verbinden",
        "group.versterken",
        "group.verbreiden",
        "group.verankeren",
    ]
    .get(g)
    .copied()
    .unwrap_or("group.vertalen")
}

impl Screen {
    /// Catalog key of the screen's name.
    pub fn key(self) -> &'static str {
        match self {
            Screen::Overview => "screen.overview",
            Screen::Signals => "screen.signals",
            Screen::Targets => "screen.targets",
            Screen::Intakes => "screen.intakes",
            Screen::Volunteers => "screen.volunteers",
            Screen::Vacancies => "screen.vacancies",
            Screen::Placements => "screen.placements",
            Screen::Trajectories => "screen.trajectories",
            Screen::Caseloads => "screen.caseloads",
            Screen::Organisations => "screen.organisations",
            Screen::Contacts => "screen.contacts",
            Screen::Activities => "screen.activities",
            Screen::Appreciation => "screen.appreciation",
            Screen::Reports => "screen.reports",
            Screen::KnowledgeNotes => "screen.knowledge_notes",
            Screen::AuditLog => "screen.audit_log",
            Screen::Administration => "screen.administration",
        }
    }

    /// Whether the screen is built (the others are placeholders).
    pub fn is_built(self) -> bool {
        matches!(
            self,
            Screen::Overview | Screen::Intakes | Screen::Volunteers
        )
    }

    /// The group (0–4) a screen belongs to.
    pub fn group(self) -> usize {
        GROUPS.iter().position(|g| g.contains(&self)).unwrap_or(0)
    }
}
