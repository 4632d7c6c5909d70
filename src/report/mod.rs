//! The periodic summary a volunteer centre sends its municipality: what happened in a period
//! (a week by default), beside the period before it and the year so far.
//!
//! [`Report::compute`] counts from the read model's rows (the same rows the screens show; it
//! never scans the store), so it is as current as the screens and costs one pass over each
//! kind's rows. The renderers in [`render`] turn a report into Markdown, CSV or JSON in the
//! chosen language; the Reports screen draws the same value.
//!
//! A report is a list of [`Section`]s, one per [`SectionId`], in a fixed order. A section is
//! either [`Body::Absent`] (the kind of record it counts does not exist in koppel yet: the
//! output says so in words, never as zeros) or [`Body::Present`] with its [`Figures`]. Adding
//! a kind's figures is one function here that returns `Body::Present` instead of
//! `Body::Absent` (see `docs/reports.md`).

pub mod access;
pub mod render;

use crate::domain::contact::{BasicFunction, Channel};
use crate::domain::draft::Keyed;
use crate::domain::period::Period;
use crate::domain::placement::EndReason;
use crate::domain::trajectory::{Movement, Outcome, TrajectoryKind};
use crate::domain::vacancy::VacancyStatus;
use crate::domain::volunteer::{FoundVia, Status, TargetGroup};
use crate::readmodel::ReadModel;
use std::collections::BTreeMap;
use time::Date;

/// The sections of a report, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionId {
    Intakes,
    Volunteers,
    Vacancies,
    Placements,
    Trajectories,
    Mas,
    Contacts,
    Activities,
    Signals,
}

impl SectionId {
    pub const ALL: [SectionId; 9] = [
        SectionId::Intakes,
        SectionId::Volunteers,
        SectionId::Vacancies,
        SectionId::Placements,
        SectionId::Trajectories,
        SectionId::Mas,
        SectionId::Contacts,
        SectionId::Activities,
        SectionId::Signals,
    ];

    /// Stable name: the JSON key of the section and its catalog keys (`report.section.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            SectionId::Intakes => "intakes",
            SectionId::Volunteers => "volunteers",
            SectionId::Vacancies => "vacancies",
            SectionId::Placements => "placements",
            SectionId::Trajectories => "trajectories",
            SectionId::Mas => "mas",
            SectionId::Contacts => "contacts",
            SectionId::Activities => "activities",
            SectionId::Signals => "signals",
        }
    }

    /// The counts this section reports, by JSON key. An absent section still names them (as
    /// `null`), so a reader of the JSON finds the same keys before and after the kind lands.
    pub fn count_keys(self) -> &'static [&'static str] {
        match self {
            SectionId::Intakes => &["new"],
            SectionId::Volunteers => &["registered", "active"],
            SectionId::Vacancies => &["new", "filled", "open"],
            SectionId::Placements => &["proposed", "started", "ended", "active"],
            SectionId::Trajectories => &["started", "closed", "active", "meetings", "overdue"],
            SectionId::Mas => &["hours"],
            SectionId::Contacts => &["logged", "follow_ups_overdue"],
            SectionId::Activities => &["held"],
            SectionId::Signals => &["noted"],
        }
    }
}

/// Why a section has no figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absence {
    /// koppel does not record this kind yet (JSON reason `not_recorded_yet`).
    NotRecordedYet,
}

impl Absence {
    pub fn key(self) -> &'static str {
        match self {
            Absence::NotRecordedYet => "not_recorded_yet",
        }
    }
}

/// What a section holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Absent(Absence),
    Present(Figures),
}

/// One section of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: SectionId,
    pub body: Body,
}

/// The figures of a present section: its counts, then its breakdowns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub counts: Vec<Count>,
    pub breakdowns: Vec<Breakdown>,
}

/// Whether a count is of things that happened in the period or of what stood at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Happened in the period (new intakes): also counted for the year to date.
    Flow,
    /// Stood at the end of the period (active placements): no year to date.
    AtEnd,
}

/// The year's target for a count: the sum of the targets the municipalities have for that
/// year (1 Vertalen › Doelen), for the counts a target measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    NotSet,
    Set(u64),
}

/// Which count of the report each kind of target measures.
const TARGETED: &[(SectionId, &str, crate::domain::target::Measure)] = {
    use crate::domain::target::Measure;
    &[
        (SectionId::Intakes, "new", Measure::Intakes),
        (SectionId::Placements, "started", Measure::Placements),
        (SectionId::Trajectories, "started", Measure::Trajectories),
        (SectionId::Contacts, "logged", Measure::Contacts),
    ]
};

/// Puts the year's targets beside the counts they measure: for each, the sum over the
/// municipalities that set one for `year`; not set when none did.
fn with_targets(sections: &mut [Section], model: &ReadModel, year: i32) {
    for (id, key, measure) in TARGETED {
        let goals: Vec<u32> = model
            .targets()
            .iter()
            .filter(|t| t.year == year)
            .filter_map(|t| t.goal(*measure))
            .collect();
        if goals.is_empty() {
            continue;
        }
        let sum = goals.iter().map(|g| u64::from(*g)).sum();
        for s in sections.iter_mut().filter(|s| s.id == *id) {
            if let Body::Present(f) = &mut s.body {
                for c in f.counts.iter_mut().filter(|c| c.key == *key) {
                    c.target = Target::Set(sum);
                }
            }
        }
    }
}

/// One count with its comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// JSON key, and the catalog key `report.count.<section>.<key>`.
    pub key: &'static str,
    pub measure: Measure,
    pub now: u64,
    pub previous: u64,
    /// From the start of the year to the end of the period (flows only).
    pub year_to_date: Option<u64>,
    pub target: Target,
}

/// How a breakdown's row names are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// Catalog keys `<prefix>.<row key>` (`status.new`).
    Catalog(&'static str),
    /// The row key itself (a municipality's name).
    Verbatim,
}

/// A count split by something (intakes by municipality), this period and the previous one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// JSON key, and the catalog key `report.breakdown.<key>`.
    pub key: &'static str,
    pub labels: Labels,
    /// In a fixed order: an enum's order, or sorted by name.
    pub rows: Vec<BreakdownRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakdownRow {
    pub key: String,
    pub now: u64,
    pub previous: u64,
}

/// The summary of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub period: Period,
    /// The period before, of the same length.
    pub previous: Period,
    /// The year to date: from [`Period::year_start`] to the end of the period.
    pub year_from: Date,
    pub sections: Vec<Section>,
}

impl Report {
    /// Counts the report of `period` from the rows of `model`.
    pub fn compute(model: &ReadModel, period: Period) -> Report {
        let windows = Windows::of(period);
        let mut sections: Vec<Section> = SectionId::ALL
            .iter()
            .map(|&id| Section {
                id,
                body: match id {
                    SectionId::Intakes => Body::Present(intakes(model, &windows)),
                    SectionId::Volunteers => Body::Present(volunteers(model, &windows)),
                    SectionId::Vacancies => Body::Present(vacancies(model, &windows)),
                    SectionId::Placements => Body::Present(placements(model, &windows)),
                    SectionId::Contacts => Body::Present(contacts(model, &windows)),
                    SectionId::Signals => Body::Present(signals(model, &windows)),
                    SectionId::Activities => Body::Present(activities(model, &windows)),
                    SectionId::Trajectories => Body::Present(trajectories(model, &windows)),
                    SectionId::Mas => Body::Present(mas(model, &windows)),
                },
            })
            .collect();
        // The year the targets are of: a week's ISO year (2026-W01 starts in December 2025),
        // otherwise the year the period ends in, as the year to date counts it.
        let year = match period {
            Period::Week { year, .. } => year,
            _ => period.to().year(),
        };
        with_targets(&mut sections, model, year);
        Report {
            period,
            previous: windows.previous,
            year_from: windows.year_from,
            sections,
        }
    }

    /// The section `id`.
    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The count `key` of section `id`, if that section is present.
    pub fn count(&self, id: SectionId, key: &str) -> Option<&Count> {
        match &self.section(id)?.body {
            Body::Present(f) => f.counts.iter().find(|c| c.key == key),
            Body::Absent(_) => None,
        }
    }

    /// The suggested file name of this report: `koppel-2026-W48.md`.
    pub fn file_name(&self, extension: &str) -> String {
        format!(
            "koppel-{}.{extension}",
            self.period.label().replace("..", "_")
        )
    }
}

/// The three windows every count looks at, with their first and last days worked out once
/// (a period computes its days on every call; the counts ask for every row).
struct Windows {
    previous: Period,
    year_from: Date,
    /// First and last day of `now` and of `previous`.
    now_days: (Date, Date),
    previous_days: (Date, Date),
}

impl Windows {
    fn of(period: Period) -> Windows {
        let previous = period.previous();
        Windows {
            previous,
            year_from: period.year_start(),
            now_days: (period.from(), period.to()),
            previous_days: (previous.from(), previous.to()),
        }
    }

    fn in_now(&self, d: Date) -> bool {
        self.now_days.0 <= d && d <= self.now_days.1
    }
    fn in_previous(&self, d: Date) -> bool {
        self.previous_days.0 <= d && d <= self.previous_days.1
    }
    fn in_year(&self, d: Date) -> bool {
        self.year_from <= d && d <= self.now_days.1
    }
    /// Last day of this period and of the previous one.
    fn ends(&self) -> (Date, Date) {
        (self.now_days.1, self.previous_days.1)
    }
}

/// Counts of one thing over the three windows.
#[derive(Default, Clone, Copy)]
struct Tally {
    now: u64,
    previous: u64,
    year: u64,
}

impl Tally {
    /// Counts an event on `day` (a flow).
    fn event(&mut self, w: &Windows, day: Date) {
        self.now += u64::from(w.in_now(day));
        self.previous += u64::from(w.in_previous(day));
        self.year += u64::from(w.in_year(day));
    }

    fn flow(self, key: &'static str) -> Count {
        Count {
            key,
            measure: Measure::Flow,
            now: self.now,
            previous: self.previous,
            year_to_date: Some(self.year),
            target: Target::NotSet,
        }
    }

    fn at_end(self, key: &'static str) -> Count {
        Count {
            key,
            measure: Measure::AtEnd,
            now: self.now,
            previous: self.previous,
            year_to_date: None,
            target: Target::NotSet,
        }
    }
}

/// A breakdown over a fixed list of keys (an enum's, in its order), every key shown, from
/// counts indexed like the keys.
fn listed(
    key: &'static str,
    prefix: &'static str,
    keys: impl Iterator<Item = &'static str>,
    counts: &[(u64, u64)],
) -> Breakdown {
    Breakdown {
        key,
        labels: Labels::Catalog(prefix),
        rows: keys
            .zip(counts)
            .map(|(k, (now, previous))| BreakdownRow {
                key: k.to_string(),
                now: *now,
                previous: *previous,
            })
            .collect(),
    }
}

/// A breakdown by name (a municipality, a theme), sorted by name, rows as named.
fn named(key: &'static str, rows: BTreeMap<&str, (u64, u64)>) -> Breakdown {
    Breakdown {
        key,
        labels: Labels::Verbatim,
        rows: rows
            .into_iter()
            .map(|(k, (now, previous))| BreakdownRow {
                key: k.to_string(),
                now,
                previous,
            })
            .collect(),
    }
}

/// Adds one to `slot` for each window the event falls in.
fn bump(slot: &mut (u64, u64), now: bool, previous: bool) {
    slot.0 += u64::from(now);
    slot.1 += u64::from(previous);
}

fn intakes(model: &ReadModel, w: &Windows) -> Figures {
    let mut new = Tally::default();
    let mut by_municipality: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut by_group = [(0u64, 0u64); TargetGroup::ALL.len()];
    let mut by_found = [(0u64, 0u64); FoundVia::ALL.len()];
    for r in model.volunteers().all() {
        let day = r.intake_date;
        new.event(w, day);
        let (now, previous) = (w.in_now(day), w.in_previous(day));
        if !(now || previous) {
            continue;
        }
        bump(
            by_municipality.entry(r.municipality.as_str()).or_default(),
            now,
            previous,
        );
        for (i, g) in TargetGroup::ALL.iter().enumerate() {
            if r.has_group(*g) {
                bump(&mut by_group[i], now, previous);
            }
        }
        if let Some(i) = FoundVia::ALL.iter().position(|f| *f == r.found_via) {
            bump(&mut by_found[i], now, previous);
        }
    }
    Figures {
        counts: vec![new.flow("new")],
        breakdowns: vec![
            named("by_municipality", by_municipality),
            listed(
                "by_target_group",
                "target_group",
                TargetGroup::ALL.iter().map(|g| g.key()),
                &by_group,
            ),
            listed(
                "by_found_via",
                "found_via",
                FoundVia::ALL.iter().map(|f| f.key()),
                &by_found,
            ),
        ],
    }
}

/// Volunteers registered by the end of the period, and those of them active (not inactive).
/// koppel keeps a volunteer's status, not its history: the status counted is today's.
fn volunteers(model: &ReadModel, w: &Windows) -> Figures {
    let (end, previous_end) = w.ends();
    let mut registered = Tally::default();
    let mut active = Tally::default();
    let mut by_status = [(0u64, 0u64); Status::ALL.len()];
    for r in model.volunteers().all() {
        let now = r.intake_date <= end;
        let before = r.intake_date <= previous_end;
        registered.now += u64::from(now);
        registered.previous += u64::from(before);
        if r.status != Status::Inactive {
            active.now += u64::from(now);
            active.previous += u64::from(before);
        }
        if let Some(i) = Status::ALL.iter().position(|s| *s == r.status) {
            by_status[i].0 += u64::from(now);
            by_status[i].1 += u64::from(before);
        }
    }
    Figures {
        counts: vec![registered.at_end("registered"), active.at_end("active")],
        breakdowns: vec![listed(
            "by_status",
            "status",
            Status::ALL.iter().map(|s| s.key()),
            &by_status,
        )],
    }
}

/// New vacancies (by start date), vacancies filled (a placement started on them in the
/// period) and vacancies open at the end (status open, started by then).
fn vacancies(model: &ReadModel, w: &Windows) -> Figures {
    let mut new = Tally::default();
    let mut open = Tally::default();
    for r in model.vacancies().all() {
        new.event(w, r.start_date);
        if r.status == VacancyStatus::Open {
            let (end, previous_end) = w.ends();
            open.now += u64::from(r.start_date <= end);
            open.previous += u64::from(r.start_date <= previous_end);
        }
    }
    // A vacancy counts as filled once per window, however many people started on it.
    let mut filled_now = std::collections::BTreeSet::new();
    let mut filled_previous = std::collections::BTreeSet::new();
    let mut filled_year = std::collections::BTreeSet::new();
    for p in model.placements().all() {
        if let Some(day) = p.placed_on {
            if w.in_now(day) {
                filled_now.insert(p.vacancy);
            }
            if w.in_previous(day) {
                filled_previous.insert(p.vacancy);
            }
            if w.in_year(day) {
                filled_year.insert(p.vacancy);
            }
        }
    }
    let filled = Tally {
        now: filled_now.len() as u64,
        previous: filled_previous.len() as u64,
        year: filled_year.len() as u64,
    };
    Figures {
        counts: vec![new.flow("new"), filled.flow("filled"), open.at_end("open")],
        breakdowns: Vec::new(),
    }
}

/// Placements proposed, started and ended in the period (ended by reason), and active at its
/// end (started by then and not ended by then).
fn placements(model: &ReadModel, w: &Windows) -> Figures {
    let mut proposed = Tally::default();
    let mut started = Tally::default();
    let mut ended = Tally::default();
    let mut active = Tally::default();
    let mut reasons = [(0u64, 0u64); EndReason::ALL.len()];
    for p in model.placements().all() {
        proposed.event(w, p.proposed_on);
        if let Some(day) = p.placed_on {
            started.event(w, day);
            let running = |end: Date| day <= end && p.ended_on.is_none_or(|e| e > end);
            let (end, previous_end) = w.ends();
            active.now += u64::from(running(end));
            active.previous += u64::from(running(previous_end));
        }
        if let Some(day) = p.ended_on {
            ended.event(w, day);
            let reason = p.end_reason.unwrap_or_default();
            if let Some(i) = EndReason::ALL.iter().position(|r| *r == reason) {
                reasons[i].0 += u64::from(w.in_now(day));
                reasons[i].1 += u64::from(w.in_previous(day));
            }
        }
    }
    Figures {
        counts: vec![
            proposed.flow("proposed"),
            started.flow("started"),
            ended.flow("ended"),
            active.at_end("active"),
        ],
        breakdowns: vec![listed(
            "ended_by_reason",
            "end_reason",
            EndReason::ALL.iter().map(|r| r.key()),
            &reasons,
        )],
    }
}

/// Contacts with organisations logged in the period, by channel and basic function, and the
/// follow-ups overdue at its end (a follow-up date before the last day, not done).
fn contacts(model: &ReadModel, w: &Windows) -> Figures {
    let mut logged = Tally::default();
    let mut overdue = Tally::default();
    let mut channels = [(0u64, 0u64); Channel::ALL.len()];
    let mut functions = [(0u64, 0u64); BasicFunction::ALL.len()];
    for c in model.contacts().all() {
        logged.event(w, c.date);
        let (now, previous) = (w.in_now(c.date), w.in_previous(c.date));
        if let Some(i) = Channel::ALL.iter().position(|x| *x == c.channel) {
            channels[i].0 += u64::from(now);
            channels[i].1 += u64::from(previous);
        }
        if let Some(i) = BasicFunction::ALL
            .iter()
            .position(|x| *x == c.basic_function)
        {
            functions[i].0 += u64::from(now);
            functions[i].1 += u64::from(previous);
        }
        if let Some(due) = c.follow_up.filter(|_| !c.done) {
            // Logged by then, due before the last day.
            let (end, previous_end) = w.ends();
            overdue.now += u64::from(c.date <= end && due < end);
            overdue.previous += u64::from(c.date <= previous_end && due < previous_end);
        }
    }
    Figures {
        counts: vec![logged.flow("logged"), overdue.at_end("follow_ups_overdue")],
        breakdowns: vec![
            listed(
                "by_channel",
                "channel",
                Channel::ALL.iter().map(|c| c.key()),
                &channels,
            ),
            listed(
                "by_basic_function",
                "basic_function",
                BasicFunction::ALL.iter().map(|f| f.key()),
                &functions,
            ),
        ],
    }
}

/// Signals from the field noted in the period, by theme and by basic function.
fn signals(model: &ReadModel, w: &Windows) -> Figures {
    let mut noted = Tally::default();
    let mut by_theme: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut functions = [(0u64, 0u64); BasicFunction::ALL.len()];
    for r in model.signals().all() {
        noted.event(w, r.date);
        let (now, previous) = (w.in_now(r.date), w.in_previous(r.date));
        if !(now || previous) {
            continue;
        }
        bump(by_theme.entry(r.theme.as_str()).or_default(), now, previous);
        if let Some(i) = BasicFunction::ALL
            .iter()
            .position(|x| *x == r.basic_function)
        {
            bump(&mut functions[i], now, previous);
        }
    }
    Figures {
        counts: vec![noted.flow("noted")],
        breakdowns: vec![
            named("by_theme", by_theme),
            listed(
                "by_basic_function",
                "basic_function",
                BasicFunction::ALL.iter().map(|f| f.key()),
                &functions,
            ),
        ],
    }
}

/// Activities held in the period (by their date), by basic function.
fn activities(model: &ReadModel, w: &Windows) -> Figures {
    let mut held = Tally::default();
    let mut functions = [(0u64, 0u64); BasicFunction::ALL.len()];
    for r in model.activities().all().iter().filter(|r| r.held) {
        held.event(w, r.date);
        let (now, previous) = (w.in_now(r.date), w.in_previous(r.date));
        if !(now || previous) {
            continue;
        }
        if let Some(i) = BasicFunction::ALL
            .iter()
            .position(|x| *x == r.basic_function)
        {
            bump(&mut functions[i], now, previous);
        }
    }
    Figures {
        counts: vec![held.flow("held")],
        breakdowns: vec![listed(
            "by_basic_function",
            "basic_function",
            BasicFunction::ALL.iter().map(|f| f.key()),
            &functions,
        )],
    }
}

/// Trajectories started, closed (by kind, by outcome, by ladder movement from the start step
/// to the end step), running at the end (by kind and per consultant: the caseloads as they
/// stood then), progress meetings held, and those running with their next meeting overdue at
/// the end.
fn trajectories(model: &ReadModel, w: &Windows) -> Figures {
    let (end, previous_end) = w.ends();
    let kinds = TrajectoryKind::ALL;
    let mut started = Tally::default();
    let mut closed = Tally::default();
    let mut active = Tally::default();
    let mut meetings = Tally::default();
    let mut overdue = Tally::default();
    let mut started_by_kind = vec![(0u64, 0u64); kinds.len()];
    let mut closed_by_kind = vec![(0u64, 0u64); kinds.len()];
    let mut active_by_kind = vec![(0u64, 0u64); kinds.len()];
    let mut outcomes = [(0u64, 0u64); Outcome::ALL.len()];
    let mut movements = [(0u64, 0u64); MOVEMENTS.len()];
    let mut caseloads: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for r in model.trajectories().all() {
        let h = &r.history;
        let kind = kinds.iter().position(|k| *k == r.kind);
        started.event(w, r.started);
        if let Some(i) = kind {
            bump(
                &mut started_by_kind[i],
                w.in_now(r.started),
                w.in_previous(r.started),
            );
        }
        for (day, _) in &h.meetings {
            meetings.event(w, *day);
        }
        if let Some(day) = h.closed_on {
            closed.event(w, day);
            let (now, previous) = (w.in_now(day), w.in_previous(day));
            if now || previous {
                if let Some(i) = kind {
                    bump(&mut closed_by_kind[i], now, previous);
                }
                if let Some(i) = r
                    .outcome
                    .and_then(|o| Outcome::ALL.iter().position(|x| *x == o))
                {
                    bump(&mut outcomes[i], now, previous);
                }
                if let Some(i) = r
                    .movement()
                    .and_then(|m| MOVEMENTS.iter().position(|x| *x == m))
                {
                    bump(&mut movements[i], now, previous);
                }
            }
        }
        let (open_now, open_before) = (
            h.open_on(r.started, end),
            h.open_on(r.started, previous_end),
        );
        if !(open_now || open_before) {
            continue;
        }
        active.now += u64::from(open_now);
        active.previous += u64::from(open_before);
        overdue.now += u64::from(h.overdue_on(r.started, end));
        overdue.previous += u64::from(h.overdue_on(r.started, previous_end));
        if let Some(i) = kind {
            bump(&mut active_by_kind[i], open_now, open_before);
        }
        if open_now {
            caseloads
                .entry(h.consultant_on(&r.consultant, end))
                .or_default()
                .0 += 1;
        }
        if open_before {
            caseloads
                .entry(h.consultant_on(&r.consultant, previous_end))
                .or_default()
                .1 += 1;
        }
    }
    let kind_keys = || kinds.iter().map(|k| k.key());
    Figures {
        counts: vec![
            started.flow("started"),
            closed.flow("closed"),
            active.at_end("active"),
            meetings.flow("meetings"),
            overdue.at_end("overdue"),
        ],
        breakdowns: vec![
            listed(
                "started_by_kind",
                "trajectory_kind",
                kind_keys(),
                &started_by_kind,
            ),
            listed(
                "closed_by_kind",
                "trajectory_kind",
                kind_keys(),
                &closed_by_kind,
            ),
            listed(
                "closed_by_outcome",
                "outcome",
                Outcome::ALL.iter().map(|o| o.key()),
                &outcomes,
            ),
            listed(
                "closed_by_movement",
                "report.movement",
                MOVEMENTS.iter().map(|m| m.key()),
                &movements,
            ),
            listed(
                "active_by_kind",
                "trajectory_kind",
                kind_keys(),
                &active_by_kind,
            ),
            // By display name (a login once per consultant, not per trajectory).
            named(
                "active_by_consultant",
                caseloads
                    .into_iter()
                    .fold(BTreeMap::new(), |mut by, (login, (now, previous))| {
                        let slot: &mut (u64, u64) =
                            by.entry(model.display_name(login)).or_default();
                        slot.0 += now;
                        slot.1 += previous;
                        by
                    }),
            ),
        ],
    }
}

/// Ladder movement, in the order the report lists it.
const MOVEMENTS: [Movement; 3] = [Movement::Up, Movement::Same, Movement::Down];

/// MaS hours logged in the period (by the dates they were logged for), in whole hours: the
/// minutes of each window added up, then rounded to the nearest hour.
fn mas(model: &ReadModel, w: &Windows) -> Figures {
    let mut minutes = Tally::default();
    for r in model.trajectories().all() {
        for (day, m) in &r.history.hours {
            let m = u64::from(*m);
            minutes.now += m * u64::from(w.in_now(*day));
            minutes.previous += m * u64::from(w.in_previous(*day));
            minutes.year += m * u64::from(w.in_year(*day));
        }
    }
    let hours = |m: u64| (m + 30) / 60;
    let hours = Tally {
        now: hours(minutes.now),
        previous: hours(minutes.previous),
        year: hours(minutes.year),
    };
    Figures {
        counts: vec![hours.flow("hours")],
        breakdowns: Vec::new(),
    }
}

/// Counts per period for the Reports screen's charts: the `n` periods of `period`'s kind up to
/// and including it, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trend {
    pub periods: Vec<Period>,
    /// New registrations (intakes) per period.
    pub intakes: Vec<u64>,
    /// Placements started per period.
    pub placements: Vec<u64>,
}

impl Trend {
    /// Counts the trend ending with `period` from the rows of `model`, in one pass per kind.
    pub fn compute(model: &ReadModel, period: Period, n: usize) -> Trend {
        let mut periods = Vec::with_capacity(n);
        let mut p = period;
        for _ in 0..n.max(1) {
            periods.push(p);
            p = p.previous();
        }
        periods.reverse();
        let starts: Vec<Date> = periods.iter().map(|p| p.from()).collect();
        let ends: Vec<Date> = periods.iter().map(|p| p.to()).collect();
        let slot = |d: Date| -> Option<usize> {
            let i = starts.partition_point(|s| *s <= d).checked_sub(1)?;
            (d <= ends[i]).then_some(i)
        };
        let mut intakes = vec![0; periods.len()];
        for r in model.volunteers().all() {
            if let Some(i) = slot(r.intake_date) {
                intakes[i] += 1;
            }
        }
        let mut placements = vec![0; periods.len()];
        for r in model.placements().all() {
            if let Some(i) = r.placed_on.and_then(slot) {
                placements[i] += 1;
            }
        }
        Trend {
            periods,
            intakes,
            placements,
        }
    }
}
