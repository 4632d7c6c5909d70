//! The screens, grouped by the five basic functions of local volunteer policy, and the one
//! registry ([`SCREENS`]) that says which screen belongs to which group and how it is built.
//!
//! Adding a screen: write its module (a [`Component`]), add a [`ScreenId`] variant and one
//! row in [`SCREENS`]. Nothing else routes screens: the shell asks this registry. Screens whose
//! features arrive later are [`placeholder`]s that say what their basic function covers, never
//! invented data.

pub mod activities;
pub mod administration;
pub mod appreciation;
pub mod audit;
pub mod contacts;
pub mod form_view;
pub mod notes;
pub mod organisations;
pub mod overview;
pub mod placeholder;
pub mod placements;
pub mod record;
pub mod reports;
pub mod signals;
pub mod step_form;
pub mod targets;
pub mod trajectories;
pub mod vacancies;
pub mod volunteers;

use super::component::{Component, Cx, Done};
use crate::service::Kind;

/// Asks for record `id` of `kind` to be read and shown in its detail view (the answer comes
/// back to the asking component, which hands it to [`after_open`]). False for a kind without
/// a detail view of its own.
pub fn open_record(kind: Kind, id: u64, cx: &mut Cx) -> bool {
    match kind {
        Kind::Volunteer => cx.run(volunteers::Load {
            id,
            then: volunteers::Then::Detail,
        }),
        Kind::Organisation => cx.run(organisations::Load {
            id,
            then: organisations::Then::Detail,
        }),
        Kind::Vacancy => cx.run(vacancies::Load {
            id,
            then: vacancies::Then::Detail,
        }),
        Kind::Contact => cx.run(contacts::Load {
            id,
            then: contacts::Then::Detail,
        }),
        Kind::Placement => cx.run(placements::Load { id }),
        Kind::Trajectory => cx.run(trajectories::Load {
            id,
            then: trajectories::Then::Detail,
        }),
        Kind::Note => cx.run(record::Load::<notes::Notes>::new(id, record::Then::Detail)),
        Kind::Signal => cx.run(record::Load::<signals::Signals>::new(
            id,
            record::Then::Detail,
        )),
        Kind::Activity => cx.run(record::Load::<activities::Activities>::new(
            id,
            record::Then::Detail,
        )),
        Kind::Target => cx.run(record::Load::<targets::Targets>::new(
            id,
            record::Then::Detail,
        )),
        Kind::Audit | Kind::Staff => return false,
    }
    true
}

/// Opens the detail view an [`open_record`] read. False when `done` is not such an answer or
/// the record could not be read (a message says why).
pub fn after_open(done: Done, cx: &mut Cx) -> bool {
    match done.name {
        "load_volunteer" => volunteers::after_load(done, cx),
        "load_organisation" => organisations::after_load(done, cx),
        "load_vacancy" => vacancies::after_load(done, cx),
        "load_contact" => contacts::after_load(done, cx),
        "load_placement" => placements::after_load(done, cx),
        "load_trajectory" => trajectories::after_load(done, cx),
        "load_note" => record::after_load::<notes::Notes>(done, cx),
        "load_signal" => record::after_load::<signals::Signals>(done, cx),
        "load_activity" => record::after_load::<activities::Activities>(done, cx),
        "load_targets" => record::after_load::<targets::Targets>(done, cx),
        _ => false,
    }
}

/// The five basic functions of local volunteer policy: the top bar's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Vertalen,
    Verbinden,
    Versterken,
    Verbreiden,
    Verankeren,
}

impl Group {
    /// In top-bar order (`1`–`5`).
    pub const ALL: [Group; 5] = [
        Group::Vertalen,
        Group::Verbinden,
        Group::Versterken,
        Group::Verbreiden,
        Group::Verankeren,
    ];

    /// 0–4, the position in the top bar.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The group at position `i` of the top bar.
    pub fn at(i: usize) -> Option<Group> {
        Group::ALL.get(i).copied()
    }

    /// Catalog key of the group's name (`group.vertalen` …).
    pub fn key(self) -> &'static str {
        match self {
            Group::Vertalen => "group.vertalen",
            Group::Verbinden => "group.verbinden",
            Group::Versterken => "group.versterken",
            Group::Verbreiden => "group.verbreiden",
            Group::Verankeren => "group.verankeren",
        }
    }

    /// Catalog key of what the basic function covers.
    pub fn covers_key(self) -> &'static str {
        match self {
            Group::Vertalen => "covers.vertalen",
            Group::Verbinden => "covers.verbinden",
            Group::Versterken => "covers.versterken",
            Group::Verbreiden => "covers.verbreiden",
            Group::Verankeren => "covers.verankeren",
        }
    }

    /// The screens of this group, in sub-tab order.
    pub fn screens(self) -> impl Iterator<Item = ScreenId> {
        SCREENS
            .iter()
            .filter(move |s| s.group == self)
            .map(|s| s.id)
    }
}

/// Every screen of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Overview,
    Signals,
    Targets,
    Intakes,
    Volunteers,
    Vacancies,
    Placements,
    Trajectories,
    Caseloads,
    Organisations,
    Contacts,
    Activities,
    Appreciation,
    Reports,
    KnowledgeNotes,
    AuditLog,
    Administration,
}

/// One row of the registry.
pub struct ScreenSpec {
    pub id: ScreenId,
    pub group: Group,
    /// Catalog key of the screen's name.
    pub key: &'static str,
    /// Builds the screen's component.
    pub build: fn() -> Box<dyn Component>,
}

/// The registry: every screen, its group and how it is built, in top-bar order.
pub const SCREENS: &[ScreenSpec] = &[
    ScreenSpec {
        id: ScreenId::Overview,
        group: Group::Vertalen,
        key: "screen.overview",
        build: || Box::new(overview::Overview::default()),
    },
    ScreenSpec {
        id: ScreenId::Signals,
        group: Group::Vertalen,
        key: "screen.signals",
        build: || Box::new(signals::SignalList::default()),
    },
    ScreenSpec {
        id: ScreenId::Targets,
        group: Group::Vertalen,
        key: "screen.targets",
        build: || Box::new(targets::TargetList::default()),
    },
    ScreenSpec {
        id: ScreenId::Intakes,
        group: Group::Verbinden,
        key: "screen.intakes",
        build: || Box::new(volunteers::VolunteerList::intake_queue()),
    },
    ScreenSpec {
        id: ScreenId::Volunteers,
        group: Group::Verbinden,
        key: "screen.volunteers",
        build: || Box::new(volunteers::VolunteerList::all()),
    },
    ScreenSpec {
        id: ScreenId::Vacancies,
        group: Group::Verbinden,
        key: "screen.vacancies",
        build: || Box::new(vacancies::VacancyList::default()),
    },
    ScreenSpec {
        id: ScreenId::Placements,
        group: Group::Verbinden,
        key: "screen.placements",
        build: || Box::new(placements::PlacementList::default()),
    },
    ScreenSpec {
        id: ScreenId::Trajectories,
        group: Group::Versterken,
        key: "screen.trajectories",
        build: || Box::new(trajectories::TrajectoryList::default()),
    },
    ScreenSpec {
        id: ScreenId::Caseloads,
        group: Group::Versterken,
        key: "screen.caseloads",
        build: || Box::new(trajectories::caseloads::Caseloads::default()),
    },
    ScreenSpec {
        id: ScreenId::Organisations,
        group: Group::Versterken,
        key: "screen.organisations",
        build: || Box::new(organisations::OrganisationList::default()),
    },
    ScreenSpec {
        id: ScreenId::Contacts,
        group: Group::Versterken,
        key: "screen.contacts",
        build: || Box::new(contacts::ContactList::default()),
    },
    ScreenSpec {
        id: ScreenId::Activities,
        group: Group::Verbreiden,
        key: "screen.activities",
        build: || Box::new(activities::ActivityList::default()),
    },
    ScreenSpec {
        id: ScreenId::Appreciation,
        group: Group::Verbreiden,
        key: "screen.appreciation",
        build: || Box::new(appreciation::Appreciation::default()),
    },
    ScreenSpec {
        id: ScreenId::Reports,
        group: Group::Verankeren,
        key: "screen.reports",
        build: || Box::new(reports::Reports::default()),
    },
    ScreenSpec {
        id: ScreenId::KnowledgeNotes,
        group: Group::Verankeren,
        key: "screen.knowledge_notes",
        build: || Box::new(notes::NoteList::default()),
    },
    ScreenSpec {
        id: ScreenId::AuditLog,
        group: Group::Verankeren,
        key: "screen.audit_log",
        build: || Box::new(audit::AuditLog::default()),
    },
    ScreenSpec {
        id: ScreenId::Administration,
        group: Group::Verankeren,
        key: "screen.administration",
        build: || Box::new(administration::Administration::default()),
    },
];

impl ScreenId {
    fn spec(self) -> &'static ScreenSpec {
        // Every variant has a row: `every_screen_is_registered_once` checks it.
        SCREENS.iter().find(|s| s.id == self).unwrap_or(&SCREENS[0])
    }

    /// Catalog key of the screen's name.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The group the screen belongs to.
    pub fn group(self) -> Group {
        self.spec().group
    }

    /// Position in the registry (the index of its component in the shell).
    pub fn index(self) -> usize {
        SCREENS.iter().position(|s| s.id == self).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_is_registered_once_and_every_group_has_screens() {
        for (i, s) in SCREENS.iter().enumerate() {
            assert_eq!(s.id.index(), i, "{:?} registered twice", s.id);
            assert_eq!(s.id.key(), s.key);
        }
        for g in Group::ALL {
            assert!(g.screens().count() >= 2, "{g:?}");
        }
        // Screens of a group stand together, in top-bar order.
        let groups: Vec<usize> = SCREENS.iter().map(|s| s.group.index()).collect();
        assert!(groups.windows(2).all(|w| w[0] <= w[1]));
    }
}
