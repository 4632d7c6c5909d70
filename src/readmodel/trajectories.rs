//! Trajectories as lists show them, and the caseloads: per consultant the active
//! trajectories, the next meetings and last contacts by date and the ladder movement, kept
//! current with every change (a put subtracts the old row and adds the new one), so the
//! caseload view is computed from a few counters per consultant, never by a rescan.

use super::rows::{Aggregate, RowKind, Rows};
use super::search::{Role, Search, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::name::fold;
use crate::domain::trajectory::{
    History, Movement, Outcome, Phase, Trajectory, TrajectoryKind, TrajectorySettings,
    TrajectorySummary, due_within, no_contact, overdue,
};
use crate::store::Stored;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::{Date, Duration};

/// The trajectories as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Trajectories;

impl RowKind for Trajectories {
    type Record = Trajectory;
    type Row = TrajectoryRow;
    type Stats = Caseloads;

    fn row(id: u64, revision: u64, s: TrajectorySummary) -> TrajectoryRow {
        TrajectoryRow::from_parts(id, revision, s)
    }
    fn id(row: &TrajectoryRow) -> u64 {
        row.id
    }
    fn revision(row: &TrajectoryRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &TrajectoryRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &TrajectoryRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every trajectory, by the person's name.
    pub fn trajectories(&self) -> &Rows<Trajectories> {
        self.rows::<Trajectories>()
    }

    /// The caseloads, kept current with every change.
    pub fn caseloads(&self) -> &Caseloads {
        self.trajectories().stats()
    }

    /// The trajectories a search finds, best first, at most `most`: those whose own search
    /// text matches (the person, the consultants' login names, the referrer and client
    /// manager), then those of the staff members whose display name or login matches ("de
    /// Vries" finds Anouk de Vries's caseload), open ones before closed ones. `searches`
    /// keeps the two searches between keystrokes.
    pub fn find_trajectories(
        &self,
        searches: &mut (Search, Search),
        query: &str,
        most: usize,
    ) -> Vec<u64> {
        let version = self.version();
        let rows = self.trajectories();
        let mut out: Vec<u64> = Vec::new();
        if let Some(hits) = searches.0.run(rows.haystacks(), version, query) {
            out.extend(
                hits.iter()
                    .take(most)
                    .filter_map(|&i| rows.all().get(i as usize))
                    .map(|r| r.id),
            );
        }
        let staff = self.staff();
        let Some(hits) = searches.1.run(staff.haystacks(), version, query) else {
            return out;
        };
        let logins: Vec<&str> = hits
            .iter()
            .filter_map(|&i| staff.all().get(i as usize))
            .map(|r| r.login.as_str())
            .collect();
        if logins.is_empty() || out.len() >= most {
            return out;
        }
        let theirs = |r: &&TrajectoryRow| {
            logins.contains(&r.consultant.as_str())
                || r.previous.iter().any(|p| logins.contains(&p.as_str()))
        };
        for open in [true, false] {
            for r in rows
                .all()
                .iter()
                .filter(|r| r.is_open() == open)
                .filter(theirs)
            {
                if out.len() >= most {
                    return out;
                }
                if !out.contains(&r.id) {
                    out.push(r.id);
                }
            }
        }
        out
    }
}

impl SharedModel {
    /// Puts a trajectory this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_trajectory(&self, s: &Stored<Trajectory>) {
        self.put_saved::<Trajectories>(s.clone());
    }
}

/// One trajectory as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrajectoryRow {
    pub id: u64,
    pub revision: u64,
    pub kind: TrajectoryKind,
    pub person: u64,
    pub person_name: String,
    pub municipality: String,
    pub referrer: String,
    pub client_manager: String,
    pub consultant: String,
    pub previous: Vec<String>,
    pub phase: Phase,
    pub started: Date,
    pub next_meeting: Option<Date>,
    pub last_contact: Date,
    pub start_step: Option<u8>,
    pub current_step: Option<u8>,
    pub outcome: Option<Outcome>,
    pub mas_minutes: u32,
    pub mas_required: u32,
    /// The dated events the periodic summary counts.
    pub history: History,
    /// The person's folded name.
    pub sort_key: Arc<str>,
    /// The person, the consultants and the referrer, folded.
    pub haystack: String,
}

impl TrajectoryRow {
    pub fn from_parts(id: u64, revision: u64, s: TrajectorySummary) -> TrajectoryRow {
        // The filed name "Brink, Leendert van den": the family name is what it is filed
        // under, the rest the other name, as a person's own search text has them.
        let (family, given) = s
            .person_name
            .split_once(", ")
            .unwrap_or((s.person_name.as_str(), ""));
        let mut text = SearchText::new()
            .words(Role::Main, family)
            .words(Role::Second, given)
            .words(Role::Second, &s.consultant)
            .words(Role::Second, &s.referrer)
            .words(Role::Second, &s.client_manager);
        for p in &s.previous {
            text = text.words(Role::Second, p);
        }
        TrajectoryRow {
            id,
            revision,
            sort_key: fold(&s.person_name).into(),
            haystack: text.build(),
            kind: s.kind,
            person: s.person,
            person_name: s.person_name,
            municipality: s.municipality,
            referrer: s.referrer,
            client_manager: s.client_manager,
            consultant: s.consultant,
            previous: s.previous,
            phase: s.phase,
            started: s.started,
            next_meeting: s.next_meeting,
            last_contact: s.last_contact,
            start_step: s.start_step,
            current_step: s.current_step,
            outcome: s.outcome,
            mas_minutes: s.mas_minutes,
            mas_required: s.mas_required,
            history: s.history,
        }
    }

    pub fn is_open(&self) -> bool {
        self.phase != Phase::Afgesloten
    }

    /// Whether its next meeting is overdue on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && overdue(self.next_meeting, today)
    }

    pub fn movement(&self) -> Option<Movement> {
        Some(crate::domain::trajectory::movement(
            self.start_step?,
            self.current_step?,
        ))
    }
}

/// One consultant's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Load {
    pub active: u32,
    /// Open trajectories by their next meeting's date.
    next: BTreeMap<Date, u32>,
    /// Open trajectories by the date of their last contact.
    last: BTreeMap<Date, u32>,
    pub up: u32,
    pub same: u32,
    pub down: u32,
}

fn bump(map: &mut BTreeMap<Date, u32>, date: Date, up: bool) {
    if up {
        *map.entry(date).or_default() += 1;
    } else if let Some(n) = map.get_mut(&date) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(&date);
        }
    }
}

impl Load {
    fn count(&mut self, row: &TrajectoryRow, up: bool) {
        let step = |n: &mut u32| {
            *n = if up {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
        };
        step(&mut self.active);
        if let Some(d) = row.next_meeting {
            bump(&mut self.next, d, up);
        }
        bump(&mut self.last, row.last_contact, up);
        match row.movement() {
            Some(Movement::Up) => step(&mut self.up),
            Some(Movement::Same) => step(&mut self.same),
            Some(Movement::Down) => step(&mut self.down),
            None => {}
        }
    }

    fn is_empty(&self) -> bool {
        self.active == 0
    }

    fn merge(&mut self, other: Load) {
        self.active += other.active;
        self.up += other.up;
        self.same += other.same;
        self.down += other.down;
        for (d, n) in other.next {
            *self.next.entry(d).or_default() += n;
        }
        for (d, n) in other.last {
            *self.last.entry(d).or_default() += n;
        }
    }
}

/// Every consultant's counters of open trajectories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caseloads {
    by: BTreeMap<String, Load>,
}

impl Aggregate<TrajectoryRow> for Caseloads {
    fn add(&mut self, row: &TrajectoryRow) {
        if row.is_open() {
            self.by
                .entry(row.consultant.clone())
                .or_default()
                .count(row, true);
        }
    }

    fn subtract(&mut self, row: &TrajectoryRow) {
        if row.is_open()
            && let Some(load) = self.by.get_mut(&row.consultant)
        {
            load.count(row, false);
            if load.is_empty() {
                self.by.remove(&row.consultant);
            }
        }
    }

    fn merge(&mut self, other: Self) {
        for (name, load) in other.by {
            self.by.entry(name).or_default().merge(load);
        }
    }
}

/// One line of the caseloads view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadLine {
    pub consultant: String,
    pub active: u32,
    pub overdue: u32,
    pub due_soon: u32,
    pub no_contact: u32,
    pub up: u32,
    pub same: u32,
    pub down: u32,
}

impl Caseloads {
    /// The trajectories not closed, and those of them with a meeting overdue on `today`,
    /// over all consultants (from the counters, no rows read).
    pub fn open_and_overdue(&self, today: Date) -> (u64, u64) {
        self.by.values().fold((0, 0), |(open, late), l| {
            let overdue: u32 = l.next.range(..today).map(|(_, n)| n).sum();
            (open + u64::from(l.active), late + u64::from(overdue))
        })
    }

    /// The caseloads on `today`, the most urgent first: the most overdue meetings, then the
    /// most people without contact, then the most meetings due soon, then by name.
    pub fn lines(&self, today: Date, settings: &TrajectorySettings) -> Vec<CaseloadLine> {
        let soon = today.saturating_add(Duration::days(i64::from(settings.due_within_days)));
        let quiet = today.saturating_sub(Duration::days(i64::from(settings.no_contact_days)));
        let mut out: Vec<CaseloadLine> = self
            .by
            .iter()
            .map(|(name, l)| CaseloadLine {
                consultant: name.clone(),
                active: l.active,
                overdue: l.next.range(..today).map(|(_, n)| n).sum(),
                due_soon: l.next.range(today..=soon).map(|(_, n)| n).sum(),
                no_contact: l.last.range(..quiet).map(|(_, n)| n).sum(),
                up: l.up,
                same: l.same,
                down: l.down,
            })
            .collect();
        out.sort_by(|a, b| {
            (b.overdue, b.no_contact, b.due_soon)
                .cmp(&(a.overdue, a.no_contact, a.due_soon))
                .then_with(|| a.consultant.cmp(&b.consultant))
        });
        out
    }
}

/// Whether a row is due soon or out of contact, the rules the caseloads count by.
pub fn row_flags(row: &TrajectoryRow, today: Date, s: &TrajectorySettings) -> (bool, bool, bool) {
    let open = row.is_open();
    (
        open && overdue(row.next_meeting, today),
        open && due_within(row.next_meeting, today, s.due_within_days),
        open && no_contact(row.last_contact, today, s.no_contact_days),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::trajectory::{Meeting, sample_rules, sample_start};
    use crate::readmodel::rows::Rows;
    use time::macros::date;

    fn row(id: u64, consultant: &str, f: impl Fn(&mut Trajectory)) -> TrajectoryRow {
        let rules = sample_rules();
        let mut t = Trajectory::start(
            sample_start().validate(&rules).unwrap(),
            date!(2026 - 09 - 01),
            consultant,
            &rules.settings,
        );
        t.consultant = consultant.into();
        f(&mut t);
        TrajectoryRow::from_parts(id, 1, TrajectorySummary::of(&t))
    }

    #[test]
    fn caseloads_follow_every_put_and_agree_with_a_recount() {
        let today = date!(2026 - 11 - 27);
        let s = TrajectorySettings::default();
        let mut rows = Rows::<Trajectories>::default();
        // Anouk: one overdue (due 13-10), one seen last week (due in 10 days), one moved up.
        rows.put(row(1, "anouk", |_| {}));
        rows.put(row(2, "anouk", |t| {
            t.log_meeting(Meeting {
                date: date!(2026 - 11 - 20),
                by: "anouk".into(),
                summary: "x".into(),
                actions: String::new(),
                next_due: Some(date!(2026 - 12 - 07)),
            })
            .unwrap();
            t.ladder[0].step = 1;
            t.ladder.push(crate::domain::trajectory::LadderStep {
                date: date!(2026 - 11 - 20),
                step: 3,
                note: String::new(),
            });
        }));
        rows.put(row(3, "bram", |t| {
            t.next_meeting = Some(date!(2026 - 12 - 30));
            t.meetings.push(Meeting {
                date: date!(2026 - 11 - 01),
                by: "bram".into(),
                summary: "x".into(),
                actions: String::new(),
                next_due: Some(date!(2026 - 12 - 30)),
            });
        }));
        let lines = rows.stats().lines(today, &s);
        assert_eq!(lines[0].consultant, "anouk");
        assert_eq!(
            (
                lines[0].active,
                lines[0].overdue,
                lines[0].due_soon,
                lines[0].no_contact
            ),
            (2, 1, 1, 1)
        );
        assert_eq!((lines[0].up, lines[0].same), (1, 1));
        assert_eq!(
            (
                lines[1].consultant.as_str(),
                lines[1].overdue,
                lines[1].no_contact
            ),
            ("bram", 0, 0)
        );
        // A meeting logged on the overdue one: Anouk has none overdue, and the counters are
        // what a recount from the rows gives.
        let mut newer = row(1, "anouk", |t| {
            t.log_meeting(Meeting {
                date: date!(2026 - 11 - 27),
                by: "anouk".into(),
                summary: "x".into(),
                actions: String::new(),
                next_due: Some(date!(2027 - 01 - 08)),
            })
            .unwrap();
        });
        newer.revision = 2;
        rows.put(newer);
        let lines = rows.stats().lines(today, &s);
        let anouk = lines.iter().find(|l| l.consultant == "anouk").unwrap();
        assert_eq!((anouk.overdue, anouk.no_contact), (0, 0));
        let mut recount = Caseloads::default();
        for r in rows.all() {
            recount.add(r);
        }
        assert_eq!(&recount, rows.stats());
        // Reassigned: it leaves Anouk and joins Bram.
        let mut moved = rows.get(2).unwrap().clone();
        moved.revision = 3;
        moved.consultant = "bram".into();
        rows.put(moved);
        let lines = rows.stats().lines(today, &s);
        let bram = lines.iter().find(|l| l.consultant == "bram").unwrap();
        assert_eq!(bram.active, 2);
        assert_eq!(
            lines
                .iter()
                .find(|l| l.consultant == "anouk")
                .unwrap()
                .active,
            1
        );
    }

    #[test]
    fn find_brings_trajectories_by_person_referrer_and_consultant_display_name() {
        use crate::domain::staff::{Role, StaffAccount};
        use crate::readmodel::staff::{Staff, StaffRow};
        let mut m = ReadModel::default();
        for (id, login, display) in [(1, "anouk", "Anouk de Vries"), (2, "bram", "Bram Visser")] {
            m.put::<Staff>(StaffRow::from_parts(
                id,
                1,
                StaffAccount {
                    login: login.into(),
                    display_name: display.into(),
                    role: Role::Consultant,
                    active: true,
                    keys: Vec::new(),
                },
            ));
        }
        m.put::<Trajectories>(row(1, "anouk", |_| {}));
        m.put::<Trajectories>(row(2, "bram", |t| {
            t.referrer.organisation = "Stichting MEE Drechtsteden".into();
        }));
        // Handed from Anouk to Bram: found under both.
        m.put::<Trajectories>(row(3, "bram", |t| {
            t.reassignments
                .push(crate::domain::trajectory::Reassignment {
                    date: date!(2026 - 10 - 01),
                    from: "anouk".into(),
                    to: "bram".into(),
                    reason: "x".into(),
                });
        }));
        let mut searches = Default::default();
        let mut find = |q: &str| {
            let mut ids = m.find_trajectories(&mut searches, q, 50);
            ids.sort_unstable();
            ids
        };
        assert_eq!(find("de Vries"), [1, 3]);
        assert_eq!(find("Visser"), [2, 3]);
        assert_eq!(find("anouk"), [1, 3]);
        assert_eq!(find("drechtsteden"), [2]);
        assert_eq!(find("Petra Jansen"), [1, 2, 3]);
        assert!(find("Zwijndrecht Noord").is_empty());
        // At most as many as asked.
        assert_eq!(
            m.find_trajectories(&mut Default::default(), "de Vries", 1)
                .len(),
            1
        );
    }
}
