//! Trajectories: the centre's case work with one person — social activation, re-integration
//! and maatschappelijke stages (MaS). A trajectory moves through its phases (aanmelding →
//! intake → plan → uitvoering → evaluatie → afgesloten), one step forward at a time or one
//! step back with a reason; it holds the goals agreed, the participatieladder measurements
//! (1–6, the first is the start step), the progress meetings with the next one due, the
//! reassignments between consultants and, when it is closed, the outcome and the end step. A
//! MaS trajectory adds the school, its contact, the hours required and the hours logged per
//! date.
//!
//! Every change is an operation on [`Trajectory`] that checks its input first and changes
//! nothing when any of it is wrong (every problem at once, beside its field). The short forms
//! that feed these operations are drafts with their field tables, as every form of koppel.
//! Dates that depend on "today" (overdue, no contact) take it as a parameter.

use super::dates::{format_date, parse_date};
use super::draft::{self, Draft, DraftField, Keyed, Shown, Value, choice_row, text_row};
use super::name::fold;
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// The kind of trajectory.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TrajectoryKind {
    #[default]
    SocialActivation,
    Reintegration,
    /// Maatschappelijke stage: a pupil's community placement, counted in hours.
    Mas,
}

impl Keyed for TrajectoryKind {
    const ALL: &'static [Self] = &[
        TrajectoryKind::SocialActivation,
        TrajectoryKind::Reintegration,
        TrajectoryKind::Mas,
    ];
    fn key(self) -> &'static str {
        match self {
            TrajectoryKind::SocialActivation => "social_activation",
            TrajectoryKind::Reintegration => "reintegration",
            TrajectoryKind::Mas => "mas",
        }
    }
}

/// The phases of a trajectory, in order.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    Aanmelding,
    Intake,
    Plan,
    Uitvoering,
    Evaluatie,
    Afgesloten,
}

impl Keyed for Phase {
    const ALL: &'static [Self] = &[
        Phase::Aanmelding,
        Phase::Intake,
        Phase::Plan,
        Phase::Uitvoering,
        Phase::Evaluatie,
        Phase::Afgesloten,
    ];
    fn key(self) -> &'static str {
        match self {
            Phase::Aanmelding => "aanmelding",
            Phase::Intake => "intake",
            Phase::Plan => "plan",
            Phase::Uitvoering => "uitvoering",
            Phase::Evaluatie => "evaluatie",
            Phase::Afgesloten => "afgesloten",
        }
    }
}

impl Phase {
    /// The next phase by an ordinary step forward. Afgesloten is reached only by closing
    /// (which needs an outcome), so evaluatie has no next phase here.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Aanmelding => Some(Phase::Intake),
            Phase::Intake => Some(Phase::Plan),
            Phase::Plan => Some(Phase::Uitvoering),
            Phase::Uitvoering => Some(Phase::Evaluatie),
            Phase::Evaluatie | Phase::Afgesloten => None,
        }
    }

    /// The phase one step back (with a reason); none from aanmelding or a closed trajectory.
    pub fn previous(self) -> Option<Phase> {
        match self {
            Phase::Aanmelding | Phase::Afgesloten => None,
            Phase::Intake => Some(Phase::Aanmelding),
            Phase::Plan => Some(Phase::Intake),
            Phase::Uitvoering => Some(Phase::Plan),
            Phase::Evaluatie => Some(Phase::Uitvoering),
        }
    }

    /// Where an ordinary phase change may go from here: forward, then back.
    pub fn moves(self) -> Vec<Phase> {
        self.next().into_iter().chain(self.previous()).collect()
    }
}

/// How a trajectory ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    PaidWork,
    Education,
    IndependentVolunteering,
    ReferredElsewhere,
    DroppedOut,
    MovedAway,
    Other,
}

impl Keyed for Outcome {
    const ALL: &'static [Self] = &[
        Outcome::PaidWork,
        Outcome::Education,
        Outcome::IndependentVolunteering,
        Outcome::ReferredElsewhere,
        Outcome::DroppedOut,
        Outcome::MovedAway,
        Outcome::Other,
    ];
    fn key(self) -> &'static str {
        match self {
            Outcome::PaidWork => "paid_work",
            Outcome::Education => "education",
            Outcome::IndependentVolunteering => "independent_volunteering",
            Outcome::ReferredElsewhere => "referred_elsewhere",
            Outcome::DroppedOut => "dropped_out",
            Outcome::MovedAway => "moved_away",
            Outcome::Other => "other",
        }
    }
}

/// Where a goal stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    #[default]
    Open,
    Achieved,
    Dropped,
}

impl Keyed for GoalStatus {
    const ALL: &'static [Self] = &[GoalStatus::Open, GoalStatus::Achieved, GoalStatus::Dropped];
    fn key(self) -> &'static str {
        match self {
            GoalStatus::Open => "open",
            GoalStatus::Achieved => "achieved",
            GoalStatus::Dropped => "dropped",
        }
    }
}

/// Movement on the participatieladder since the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Up,
    Same,
    Down,
}

impl Movement {
    pub fn key(self) -> &'static str {
        match self {
            Movement::Up => "up",
            Movement::Same => "same",
            Movement::Down => "down",
        }
    }
}

/// The lowest and highest step of the participatieladder.
pub const LADDER: std::ops::RangeInclusive<u8> = 1..=6;
/// Most minutes that can be logged for one day.
pub const DAY_MINUTES: u32 = 24 * 60;
/// Most hours a MaS may require.
pub const MAX_REQUIRED_HOURS: u32 = 500;

/// Who referred the person: the organisation (by name until organisations are linked), the
/// client manager and how to reach them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referrer {
    pub organisation: String,
    pub client_manager: String,
    pub contact: String,
}

/// One phase change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseChange {
    pub date: Date,
    pub phase: Phase,
    /// Why, when it went back (or a note); may be empty.
    pub reason: String,
    /// The account that made the change.
    pub by: String,
}

/// One goal agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub text: String,
    pub status: GoalStatus,
    pub set_on: Date,
    /// When it was achieved or dropped.
    pub done_on: Option<Date>,
}

/// One participatieladder measurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderStep {
    pub date: Date,
    /// 1–6.
    pub step: u8,
    pub note: String,
}

/// One progress meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub date: Date,
    /// The account that held it.
    pub by: String,
    pub summary: String,
    pub actions: String,
    /// When the next one is due; never before `date`.
    pub next_due: Option<Date>,
}

/// One handover from one consultant to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassignment {
    pub date: Date,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// Hours logged on one date of a MaS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursLogged {
    pub date: Date,
    pub minutes: u32,
}

/// What a maatschappelijke stage adds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mas {
    pub school: String,
    pub school_contact: String,
    pub hours_required: u32,
    pub hours: Vec<HoursLogged>,
}

impl Mas {
    /// Minutes logged in all.
    pub fn total_minutes(&self) -> u32 {
        self.hours.iter().map(|h| h.minutes).sum()
    }

    /// Minutes logged on `date`.
    pub fn minutes_on(&self, date: Date) -> u32 {
        self.hours
            .iter()
            .filter(|h| h.date == date)
            .map(|h| h.minutes)
            .sum()
    }

    /// Whether the hours required are all logged.
    pub fn complete(&self) -> bool {
        self.total_minutes() >= self.hours_required * 60
    }
}

/// One trajectory. Built by [`Trajectory::start`] and changed only by its operations, which
/// keep it consistent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trajectory {
    pub kind: TrajectoryKind,
    /// The person's (volunteer's) id.
    pub person: u64,
    /// Their filed name when last saved, for lists and search.
    pub person_name: String,
    /// Their municipality when last saved, for the list's filter.
    pub municipality: String,
    pub referrer: Referrer,
    /// The owning consultant's login name.
    pub consultant: String,
    pub started: Date,
    /// The current phase (the last of `phases`).
    pub phase: Phase,
    /// Every phase change, oldest first; the first is the start (aanmelding).
    pub phases: Vec<PhaseChange>,
    pub goals: Vec<Goal>,
    /// Oldest first; the first is the start step.
    pub ladder: Vec<LadderStep>,
    /// Oldest first.
    pub meetings: Vec<Meeting>,
    pub reassignments: Vec<Reassignment>,
    /// When the next progress meeting is due (none once closed).
    pub next_meeting: Option<Date>,
    pub outcome: Option<Outcome>,
    pub end_step: Option<u8>,
    pub closed_on: Option<Date>,
    /// Only for a MaS.
    pub mas: Option<Mas>,
}

/// What lists, the caseloads and search need of a trajectory, kept by the store beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrajectorySummary {
    pub kind: TrajectoryKind,
    pub person: u64,
    pub person_name: String,
    pub municipality: String,
    /// The referring organisation and client manager.
    pub referrer: String,
    pub client_manager: String,
    pub consultant: String,
    /// The consultants who had it before, oldest first.
    pub previous: Vec<String>,
    pub phase: Phase,
    pub started: Date,
    pub next_meeting: Option<Date>,
    pub last_contact: Date,
    pub start_step: Option<u8>,
    pub current_step: Option<u8>,
    pub outcome: Option<Outcome>,
    /// MaS: minutes logged and hours required (0 for other kinds).
    pub mas_minutes: u32,
    pub mas_required: u32,
    /// What the periodic summary counts by date (see [`History`]).
    pub history: History,
}

/// The dated events of a trajectory the periodic summary counts: when it closed, its
/// meetings with the next one each agreed, its handovers and its MaS hours per date. Kept in
/// the list summary so a report is counted from the read model, never from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub closed_on: Option<Date>,
    /// The first meeting due: the start plus the meeting interval. The record keeps only the
    /// meeting due now, so once a meeting is held this is the start plus the default
    /// interval (six weeks).
    pub first_due: Option<Date>,
    /// Oldest first: (meeting date, next meeting due as agreed then).
    pub meetings: Vec<(Date, Option<Date>)>,
    /// Oldest first: (date, the consultant who had it until then).
    pub handovers: Vec<(Date, String)>,
    /// MaS minutes logged per date, oldest first.
    pub hours: Vec<(Date, u32)>,
}

impl History {
    pub fn of(t: &Trajectory) -> History {
        let first_due = if t.meetings.is_empty() && t.is_open() {
            t.next_meeting
        } else {
            Some(TrajectorySettings::default().next_after(t.started))
        };
        let mut meetings: Vec<(Date, Option<Date>)> =
            t.meetings.iter().map(|m| (m.date, m.next_due)).collect();
        // Kept in date order by `log_meeting`; an imported record is sorted here to be sure.
        meetings.sort_by_key(|(d, _)| *d);
        let mut handovers: Vec<(Date, String)> = t
            .reassignments
            .iter()
            .map(|r| (r.date, r.from.clone()))
            .collect();
        handovers.sort_by_key(|(d, _)| *d);
        History {
            closed_on: t.closed_on,
            first_due,
            meetings,
            handovers,
            hours: t
                .mas
                .as_ref()
                .map(|m| m.hours.iter().map(|h| (h.date, h.minutes)).collect())
                .unwrap_or_default(),
        }
    }

    /// Whether it was running at the end of `day`: started by then, not closed by then.
    pub fn open_on(&self, started: Date, day: Date) -> bool {
        started <= day && self.closed_on.is_none_or(|c| c > day)
    }

    /// The next meeting due as it stood at the end of `day`: the one agreed at the last
    /// meeting held by then, else the first one due.
    pub fn due_on(&self, day: Date) -> Option<Date> {
        let held = self.meetings.partition_point(|(d, _)| *d <= day);
        match held.checked_sub(1) {
            Some(i) => self.meetings[i].1,
            None => self.first_due,
        }
    }

    /// Whether it was running with its next meeting overdue at the end of `day`.
    pub fn overdue_on(&self, started: Date, day: Date) -> bool {
        self.open_on(started, day) && overdue(self.due_on(day), day)
    }

    /// Who had it at the end of `day`, given who has it now.
    pub fn consultant_on<'a>(&'a self, now: &'a str, day: Date) -> &'a str {
        self.handovers
            .iter()
            .find(|(d, _)| *d > day)
            .map_or(now, |(_, from)| from.as_str())
    }
}

impl TrajectorySummary {
    pub fn of(t: &Trajectory) -> TrajectorySummary {
        TrajectorySummary {
            kind: t.kind,
            person: t.person,
            person_name: t.person_name.clone(),
            municipality: t.municipality.clone(),
            referrer: t.referrer.organisation.clone(),
            client_manager: t.referrer.client_manager.clone(),
            consultant: t.consultant.clone(),
            previous: t
                .previous_consultants()
                .into_iter()
                .map(str::to_string)
                .collect(),
            phase: t.phase,
            started: t.started,
            next_meeting: t.next_meeting.filter(|_| t.is_open()),
            last_contact: t.last_contact(),
            start_step: t.start_step(),
            current_step: t.current_step(),
            outcome: t.outcome,
            mas_minutes: t.mas.as_ref().map_or(0, Mas::total_minutes),
            mas_required: t.mas.as_ref().map_or(0, |m| m.hours_required),
            history: History::of(t),
        }
    }

    pub fn is_open(&self) -> bool {
        self.phase != Phase::Afgesloten
    }

    pub fn movement(&self) -> Option<Movement> {
        Some(movement(self.start_step?, self.current_step?))
    }
}

/// Settings of trajectories (the `[trajectories]` table of the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrajectorySettings {
    /// Days from one progress meeting to the next, unless another date is agreed.
    pub meeting_every_days: u16,
    /// A person not seen for more days than this counts as "no contact".
    pub no_contact_days: u16,
    /// "Due soon" on the caseloads: meetings due within this many days.
    pub due_within_days: u16,
}

impl Default for TrajectorySettings {
    fn default() -> Self {
        TrajectorySettings {
            meeting_every_days: 42,
            no_contact_days: 30,
            due_within_days: 14,
        }
    }
}

impl TrajectorySettings {
    /// The next meeting after one on `date`.
    pub fn next_after(&self, date: Date) -> Date {
        date.saturating_add(Duration::days(i64::from(self.meeting_every_days.max(1))))
    }
}

/// Whether a next meeting on `next` is overdue on `today` (a trajectory that is not closed).
pub fn overdue(next: Option<Date>, today: Date) -> bool {
    next.is_some_and(|n| n < today)
}

/// Whether a next meeting on `next` is due from `today` up to `days` later.
pub fn due_within(next: Option<Date>, today: Date, days: u16) -> bool {
    next.is_some_and(|n| n >= today && n <= today.saturating_add(Duration::days(i64::from(days))))
}

/// Whether the last contact on `last` is more than `days` before `today`.
pub fn no_contact(last: Date, today: Date, days: u16) -> bool {
    (today - last).whole_days() > i64::from(days)
}

/// Movement between the start step and the current one.
pub fn movement(start: u8, now: u8) -> Movement {
    match now.cmp(&start) {
        std::cmp::Ordering::Greater => Movement::Up,
        std::cmp::Ordering::Equal => Movement::Same,
        std::cmp::Ordering::Less => Movement::Down,
    }
}

fn refuse<T>(errors: Vec<FieldError>) -> Result<T, Vec<FieldError>> {
    Err(errors)
}

fn one(field: Field, problem: Problem) -> Vec<FieldError> {
    vec![FieldError::new(field, problem)]
}

impl Trajectory {
    /// A new trajectory in phase aanmelding, started on `today` by `by`, with its start step
    /// as the first ladder measurement and the first meeting due one interval later.
    pub fn start(s: Start, today: Date, by: &str, settings: &TrajectorySettings) -> Trajectory {
        Trajectory {
            kind: s.kind,
            person: s.person,
            person_name: s.person_name,
            municipality: s.municipality,
            referrer: s.referrer,
            consultant: s.consultant,
            started: today,
            phase: Phase::Aanmelding,
            phases: vec![PhaseChange {
                date: today,
                phase: Phase::Aanmelding,
                reason: String::new(),
                by: by.to_string(),
            }],
            goals: Vec::new(),
            ladder: vec![LadderStep {
                date: today,
                step: s.start_step,
                note: String::new(),
            }],
            meetings: Vec::new(),
            reassignments: Vec::new(),
            next_meeting: Some(settings.next_after(today)),
            outcome: None,
            end_step: None,
            closed_on: None,
            mas: (s.kind == TrajectoryKind::Mas).then(|| Mas {
                school: s.school,
                school_contact: s.school_contact,
                hours_required: s.hours_required,
                hours: Vec::new(),
            }),
        }
    }

    pub fn is_open(&self) -> bool {
        self.phase != Phase::Afgesloten
    }

    fn open_or_refuse(&self, field: Field) -> Result<(), Vec<FieldError>> {
        if self.is_open() {
            Ok(())
        } else {
            refuse(one(field, Problem::TrajectoryClosed))
        }
    }

    /// Whether the next progress meeting is overdue on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && overdue(self.next_meeting, today)
    }

    /// The last time the person was seen: the last meeting, else the start.
    pub fn last_contact(&self) -> Date {
        self.meetings
            .iter()
            .map(|m| m.date)
            .max()
            .unwrap_or(self.started)
            .max(self.started)
    }

    /// The start step (the first measurement).
    pub fn start_step(&self) -> Option<u8> {
        self.ladder.first().map(|l| l.step)
    }

    /// The current step: the end step once closed, else the latest measurement.
    pub fn current_step(&self) -> Option<u8> {
        self.end_step
            .or_else(|| self.ladder.iter().max_by_key(|l| l.date).map(|l| l.step))
    }

    /// Movement on the ladder since the start.
    pub fn movement(&self) -> Option<Movement> {
        Some(movement(self.start_step()?, self.current_step()?))
    }

    /// The consultants who had it before the current one, oldest first, each once.
    pub fn previous_consultants(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.reassignments {
            if r.from != self.consultant && !out.contains(&r.from.as_str()) {
                out.push(&r.from);
            }
        }
        out
    }

    /// Logs a progress meeting; the next one is due as the meeting agreed.
    pub fn log_meeting(&mut self, m: Meeting) -> Result<(), Vec<FieldError>> {
        self.open_or_refuse(Field::OnDate)?;
        if m.date < self.started {
            return refuse(one(Field::OnDate, Problem::BeforeStart));
        }
        self.next_meeting = m.next_due;
        let at = self.meetings.partition_point(|x| x.date <= m.date);
        self.meetings.insert(at, m);
        // A meeting logged late (older than the latest) does not move the next date back.
        if let Some(last) = self.meetings.last() {
            self.next_meeting = last.next_due;
        }
        Ok(())
    }

    /// Records a participatieladder step.
    pub fn record_step(&mut self, s: LadderStep) -> Result<(), Vec<FieldError>> {
        self.open_or_refuse(Field::LadderStep)?;
        if s.date < self.started {
            return refuse(one(Field::OnDate, Problem::BeforeStart));
        }
        let at = self.ladder.partition_point(|x| x.date <= s.date);
        self.ladder.insert(at, s);
        Ok(())
    }

    /// Adds a goal.
    pub fn add_goal(&mut self, text: String, today: Date) -> Result<(), Vec<FieldError>> {
        self.open_or_refuse(Field::Goal)?;
        self.goals.push(Goal {
            text,
            status: GoalStatus::Open,
            set_on: today,
            done_on: None,
        });
        Ok(())
    }

    /// The open goal whose text is `typed` (case and accents ignored).
    pub fn open_goal(&self, typed: &str) -> Option<usize> {
        let want = fold(typed);
        self.goals
            .iter()
            .position(|g| g.status == GoalStatus::Open && fold(&g.text) == want)
    }

    /// Marks open goal `index` achieved or dropped.
    pub fn finish_goal(
        &mut self,
        index: usize,
        status: GoalStatus,
        today: Date,
    ) -> Result<(), Vec<FieldError>> {
        self.open_or_refuse(Field::Goal)?;
        if status == GoalStatus::Open {
            return refuse(one(Field::GoalStatus, Problem::Required));
        }
        match self.goals.get_mut(index) {
            Some(g) if g.status == GoalStatus::Open => {
                g.status = status;
                g.done_on = Some(today);
                Ok(())
            }
            _ => refuse(one(Field::Goal, Problem::UnknownGoal)),
        }
    }

    /// Moves to `to`: one step forward, or one step back with a reason.
    pub fn change_phase(
        &mut self,
        to: Phase,
        reason: String,
        date: Date,
        by: &str,
    ) -> Result<(), Vec<FieldError>> {
        let from = self.phase;
        let transition = || {
            one(
                Field::Phase,
                Problem::PhaseJump {
                    from: from.key().into(),
                    to: to.key().into(),
                },
            )
        };
        if self.phase.next() == Some(to) {
            // forward
        } else if self.phase.previous() == Some(to) {
            if reason.trim().is_empty() {
                return refuse(one(Field::Reason, Problem::Required));
            }
        } else if to == Phase::Afgesloten && self.is_open() {
            return refuse(one(Field::Phase, Problem::CloseWithOutcome));
        } else {
            return refuse(transition());
        }
        if date < self.phases.last().map_or(self.started, |p| p.date) {
            return refuse(one(Field::OnDate, Problem::BeforeStart));
        }
        self.phase = to;
        self.phases.push(PhaseChange {
            date,
            phase: to,
            reason,
            by: by.to_string(),
        });
        Ok(())
    }

    /// Hands the trajectory to consultant `to` (already checked to be an active
    /// consultant).
    pub fn reassign(
        &mut self,
        to: String,
        reason: String,
        date: Date,
    ) -> Result<(), Vec<FieldError>> {
        self.open_or_refuse(Field::Consultant)?;
        if fold(&to) == fold(&self.consultant) {
            return refuse(one(Field::Consultant, Problem::SameConsultant));
        }
        if reason.trim().is_empty() {
            return refuse(one(Field::Reason, Problem::Required));
        }
        let from = std::mem::replace(&mut self.consultant, to.clone());
        self.reassignments.push(Reassignment {
            date,
            from,
            to,
            reason,
        });
        Ok(())
    }

    /// Closes the trajectory with its outcome and end step (also recorded on the ladder).
    pub fn close(&mut self, c: Closing, by: &str) -> Result<(), Vec<FieldError>> {
        self.open_or_refuse(Field::Outcome)?;
        if c.date < self.started {
            return refuse(one(Field::OnDate, Problem::BeforeStart));
        }
        self.phase = Phase::Afgesloten;
        self.phases.push(PhaseChange {
            date: c.date,
            phase: Phase::Afgesloten,
            reason: c.note,
            by: by.to_string(),
        });
        let at = self.ladder.partition_point(|x| x.date <= c.date);
        self.ladder.insert(
            at,
            LadderStep {
                date: c.date,
                step: c.end_step,
                note: String::new(),
            },
        );
        self.outcome = Some(c.outcome);
        self.end_step = Some(c.end_step);
        self.closed_on = Some(c.date);
        self.next_meeting = None;
        Ok(())
    }

    /// Logs MaS hours on a date; a day holds at most 24 hours in all.
    pub fn log_hours(&mut self, h: HoursLogged) -> Result<(), Vec<FieldError>> {
        self.open_or_refuse(Field::Hours)?;
        let started = self.started;
        let Some(mas) = self.mas.as_mut() else {
            return refuse(one(Field::Hours, Problem::NotMas));
        };
        if h.date < started {
            return refuse(one(Field::OnDate, Problem::BeforeStart));
        }
        let already = mas.minutes_on(h.date);
        if already + h.minutes > DAY_MINUTES {
            return refuse(one(
                Field::Hours,
                Problem::HoursOverDay {
                    already: format_hours(already),
                },
            ));
        }
        let at = mas.hours.partition_point(|x| x.date <= h.date);
        mas.hours.insert(at, h);
        Ok(())
    }

    /// Re-checks a stored or imported trajectory: the ladder steps and the dates' order.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let steps = self.ladder.iter().map(|l| l.step).chain(self.end_step);
        if steps.into_iter().any(|s| !LADDER.contains(&s)) {
            out.push(FieldError::new(
                Field::LadderStep,
                Problem::Range { min: 1, max: 6 },
            ));
        }
        if self.phases.is_empty() || self.phases.last().map(|p| p.phase) != Some(self.phase) {
            out.push(FieldError::new(
                Field::Phase,
                Problem::UnknownChoice {
                    value: self.phase.key().into(),
                },
            ));
        }
        if self
            .meetings
            .iter()
            .any(|m| m.next_due.is_some_and(|n| n < m.date))
        {
            out.push(FieldError::new(
                Field::NextMeeting,
                Problem::NextBeforeMeeting,
            ));
        }
        if (self.phase == Phase::Afgesloten) != self.outcome.is_some() {
            out.push(FieldError::new(Field::Outcome, Problem::CloseWithOutcome));
        }
        if let Some(m) = &self.mas
            && m.hours
                .iter()
                .any(|h| h.minutes == 0 || m.minutes_on(h.date) > DAY_MINUTES)
        {
            out.push(FieldError::new(Field::Hours, Problem::Hours));
        }
        if self.consultant.trim().is_empty() {
            out.push(FieldError::new(Field::Consultant, Problem::Required));
        }
        out
    }
}

/// Hours as people write them: `2`, `2,5`, `1,75`.
pub fn format_hours(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        h.to_string()
    } else {
        let frac = format!("{:.2}", f64::from(m) / 60.0);
        let frac = frac.trim_start_matches('0').trim_end_matches('0');
        format!("{h}{}", frac.replace('.', ","))
    }
}

/// Reads hours as typed (`2`, `2,5`, `2.5`, `1:30`) into minutes, rounded to the minute;
/// refuses anything that is not more than 0 and at most 24 hours.
pub fn parse_hours(typed: &str) -> Result<u32, Problem> {
    let t = typed.trim();
    let minutes = if let Some((h, m)) = t.split_once(':') {
        let h: u32 = h.trim().parse().map_err(|_| Problem::Hours)?;
        let m: u32 = m.trim().parse().map_err(|_| Problem::Hours)?;
        if m >= 60 {
            return Err(Problem::Hours);
        }
        h.checked_mul(60).and_then(|x| x.checked_add(m))
    } else {
        let v: f64 = t.replace(',', ".").parse().map_err(|_| Problem::Hours)?;
        if !v.is_finite() || v <= 0.0 || v > 24.0 {
            return Err(Problem::Hours);
        }
        // Bounded above: the cast cannot overflow.
        Some((v * 60.0).round() as u32)
    };
    match minutes {
        Some(m) if m > 0 && m <= DAY_MINUTES => Ok(m),
        _ => Err(Problem::Hours),
    }
}

/// A ladder step as typed.
fn parse_step(typed: &str, field: Field) -> Result<u8, FieldError> {
    let t = typed.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    match t.parse::<i64>() {
        Ok(n) if (1..=6).contains(&n) => Ok(n as u8),
        Ok(_) => Err(FieldError::new(field, Problem::Range { min: 1, max: 6 })),
        Err(_) => Err(FieldError::new(field, Problem::Number)),
    }
}

/// A date typed into a form that may not lie after today nor before 2000.
fn past_date(typed: &str, field: Field, today: Date) -> Result<Date, FieldError> {
    match parse_date(typed) {
        Ok(d) if d > today => Err(FieldError::new(field, Problem::DateInFuture)),
        Ok(d) if d.year() < 2000 => Err(FieldError::new(field, Problem::DateTooOld)),
        Ok(d) => Ok(d),
        Err(p) => Err(FieldError::new(field, p)),
    }
}

fn sorted<D: Draft, T>(mut errors: Vec<FieldError>) -> Result<T, Vec<FieldError>> {
    errors.sort_by_key(|e| D::position(e.field));
    Err(errors)
}

// ---------------------------------------------------------------------------------------------
// Consultants, as the forms know them.

/// A consultant a trajectory can be given to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultant {
    /// The login name, stored on the trajectory.
    pub login: String,
    /// The name people read.
    pub display: String,
    pub active: bool,
}

/// What the trajectory forms check against: today, the settings, the consultants and (for
/// completing a goal) the trajectory's open goals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrajectoryRules {
    pub today: Date,
    pub settings: TrajectorySettings,
    pub consultants: Vec<Consultant>,
    /// The open goals of the trajectory the form is about.
    pub open_goals: Vec<String>,
    /// The phase the trajectory is in (for a phase change).
    pub phase: Phase,
    /// The date the trajectory started (dates before it are refused).
    pub started: Date,
}

impl TrajectoryRules {
    pub fn new(today: Date, settings: TrajectorySettings, consultants: Vec<Consultant>) -> Self {
        TrajectoryRules {
            today,
            settings,
            consultants,
            open_goals: Vec::new(),
            phase: Phase::Aanmelding,
            started: today,
        }
    }

    /// The consultant typed by login or display name (case and accents ignored).
    pub fn consultant(&self, typed: &str) -> Option<&Consultant> {
        let want = fold(typed);
        if want.is_empty() {
            return None;
        }
        self.consultants
            .iter()
            .find(|c| fold(&c.login) == want || fold(&c.display) == want)
    }

    /// The login of an active consultant typed, or the problem with it.
    pub fn active_consultant(&self, typed: &str) -> Result<String, Problem> {
        match self.consultant(typed) {
            Some(c) if c.active => Ok(c.login.clone()),
            Some(_) => Err(Problem::InactiveConsultant),
            None if typed.trim().is_empty() => Err(Problem::Required),
            None => Err(Problem::UnknownConsultant),
        }
    }

    /// The first active consultant whose display name starts with what is typed.
    pub fn consultant_completion(&self, typed: &str) -> Option<&str> {
        let want = fold(typed);
        if want.is_empty() {
            return None;
        }
        self.consultants
            .iter()
            .filter(|c| c.active)
            .map(|c| c.display.as_str())
            .find(|n| {
                let f = fold(n);
                f.starts_with(&want) && f.len() > want.len()
            })
    }

    /// The first open goal that starts with what is typed.
    pub fn goal_completion(&self, typed: &str) -> Option<&str> {
        let want = fold(typed);
        self.open_goals.iter().map(String::as_str).find(|g| {
            let f = fold(g);
            f.starts_with(&want) && f.len() > want.len()
        })
    }

    /// A date on a trajectory: not after today, not before the start.
    fn on_date(&self, typed: &str, field: Field) -> Result<Date, FieldError> {
        let d = past_date(typed, field, self.today)?;
        if d < self.started {
            return Err(FieldError::new(field, Problem::BeforeStart));
        }
        Ok(d)
    }
}

// ---------------------------------------------------------------------------------------------
// Starting a trajectory.

/// A validated start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub kind: TrajectoryKind,
    pub person: u64,
    pub person_name: String,
    pub municipality: String,
    pub referrer: Referrer,
    pub consultant: String,
    pub start_step: u8,
    pub school: String,
    pub school_contact: String,
    pub hours_required: u32,
}

/// Starting a trajectory, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartDraft {
    pub kind: TrajectoryKind,
    pub consultant: String,
    pub referrer: String,
    pub client_manager: String,
    pub client_manager_contact: String,
    pub start_step: String,
    pub school: String,
    pub school_contact: String,
    pub hours_required: String,
    /// The person (not a field: the form is opened from them).
    pub person: u64,
    pub person_name: String,
    pub municipality: String,
}

const SHORT: usize = 40;

fn is_mas(d: &StartDraft) -> bool {
    d.kind == TrajectoryKind::Mas
}

const START_FIELDS: &[DraftField<StartDraft>] = &[
    choice_row!(TrajectoryKind, kind, TrajectoryKind, "trajectory_kind"),
    text_row!(Consultant, consultant, Line, required: true, max: 100),
    text_row!(Referrer, referrer, Line, required: false, max: 150),
    text_row!(ClientManager, client_manager, Line, required: false, max: 150),
    text_row!(ClientManagerContact, client_manager_contact, Line, required: false, max: 150),
    text_row!(StartStep, start_step, Line, required: true, max: 2),
    text_row!(School, school, Line, required: true, max: 150,
        Shown::When { by: Field::TrajectoryKind, when: is_mas }),
    text_row!(SchoolContact, school_contact, Line, required: false, max: 150,
        Shown::When { by: Field::TrajectoryKind, when: is_mas }),
    text_row!(HoursRequired, hours_required, Line, required: true, max: 4,
        Shown::When { by: Field::TrajectoryKind, when: is_mas }),
];

impl Draft for StartDraft {
    fn fields() -> &'static [DraftField<Self>] {
        START_FIELDS
    }
}

impl StartDraft {
    /// A start for person `person` (filed name, municipality), owned by `consultant`.
    pub fn new(person: u64, person_name: &str, municipality: &str, consultant: &str) -> Self {
        StartDraft {
            consultant: consultant.to_string(),
            person,
            person_name: person_name.to_string(),
            municipality: municipality.to_string(),
            ..StartDraft::default()
        }
    }

    pub fn validate(&self, ctx: &TrajectoryRules) -> Result<Start, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |f: Field, p: Problem| errors.push(FieldError::new(f, p));
        let consultant = match ctx.active_consultant(&self.consultant) {
            Ok(c) => Some(c),
            Err(p) => {
                err(Field::Consultant, p);
                None
            }
        };
        let referrer = draft::line_text::<Self>(&self.referrer, Field::Referrer, &mut err);
        let client_manager =
            draft::line_text::<Self>(&self.client_manager, Field::ClientManager, &mut err);
        let contact = draft::line_text::<Self>(
            &self.client_manager_contact,
            Field::ClientManagerContact,
            &mut err,
        );
        let step = match parse_step(&self.start_step, Field::StartStep) {
            Ok(s) => Some(s),
            Err(e) => {
                err(e.field, e.problem);
                None
            }
        };
        let mas = self.kind == TrajectoryKind::Mas;
        let (school, school_contact, hours) = if mas {
            let school = draft::line_text::<Self>(&self.school, Field::School, &mut err);
            let sc = draft::line_text::<Self>(&self.school_contact, Field::SchoolContact, &mut err);
            let hours = match self.hours_required.trim().parse::<u32>() {
                Ok(h) if (1..=MAX_REQUIRED_HOURS).contains(&h) => Some(h),
                Ok(_) => {
                    err(
                        Field::HoursRequired,
                        Problem::Range {
                            min: 1,
                            max: MAX_REQUIRED_HOURS,
                        },
                    );
                    None
                }
                Err(_) if self.hours_required.trim().is_empty() => {
                    err(Field::HoursRequired, Problem::Required);
                    None
                }
                Err(_) => {
                    err(Field::HoursRequired, Problem::Number);
                    None
                }
            };
            (school, sc, hours)
        } else {
            (Some(String::new()), Some(String::new()), Some(0))
        };
        match (
            consultant,
            referrer,
            client_manager,
            contact,
            step,
            school,
            school_contact,
            hours,
        ) {
            (
                Some(consultant),
                Some(organisation),
                Some(client_manager),
                Some(contact),
                Some(start_step),
                Some(school),
                Some(school_contact),
                Some(hours_required),
            ) if errors.is_empty() => Ok(Start {
                kind: self.kind,
                person: self.person,
                person_name: self.person_name.clone(),
                municipality: self.municipality.clone(),
                referrer: Referrer {
                    organisation,
                    client_manager,
                    contact,
                },
                consultant,
                start_step,
                school,
                school_contact,
                hours_required,
            }),
            _ => sorted::<Self, _>(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A progress meeting.

/// A progress meeting, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingDraft {
    pub date: String,
    pub next_due: String,
    pub summary: String,
    pub actions: String,
}

const MEETING_FIELDS: &[DraftField<MeetingDraft>] = &[
    text_row!(OnDate, date, Date, required: true, max: SHORT),
    text_row!(NextMeeting, next_due, Date, required: false, max: SHORT),
    text_row!(Summary, summary, Multi, required: true, max: 5_000),
    text_row!(AgreedActions, actions, Multi, required: false, max: 5_000),
];

impl Draft for MeetingDraft {
    fn fields() -> &'static [DraftField<Self>] {
        MEETING_FIELDS
    }
}

impl MeetingDraft {
    /// A meeting today, the next one due one interval later.
    pub fn new(today: Date, settings: &TrajectorySettings) -> Self {
        MeetingDraft {
            date: format_date(today),
            next_due: format_date(settings.next_after(today)),
            ..MeetingDraft::default()
        }
    }

    /// The meeting held by `by`.
    pub fn validate(&self, ctx: &TrajectoryRules, by: &str) -> Result<Meeting, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date = ctx
            .on_date(&self.date, Field::OnDate)
            .map_err(|e| errors.push(e))
            .ok();
        let next_due = if self.next_due.trim().is_empty() {
            Some(None)
        } else {
            match parse_date(&self.next_due) {
                Ok(n) if date.is_some_and(|d| n < d) => {
                    errors.push(FieldError::new(
                        Field::NextMeeting,
                        Problem::NextBeforeMeeting,
                    ));
                    None
                }
                Ok(n) if n.year() > ctx.today.year() + 2 => {
                    errors.push(FieldError::new(Field::NextMeeting, Problem::DateTooFar));
                    None
                }
                Ok(n) => Some(Some(n)),
                Err(p) => {
                    errors.push(FieldError::new(Field::NextMeeting, p));
                    None
                }
            }
        };
        let mut err = |f: Field, p: Problem| errors.push(FieldError::new(f, p));
        let summary = draft::multi_text::<Self>(&self.summary, Field::Summary, &mut err);
        let actions = draft::multi_text::<Self>(&self.actions, Field::AgreedActions, &mut err);
        match (date, next_due, summary, actions) {
            (Some(date), Some(next_due), Some(summary), Some(actions)) if errors.is_empty() => {
                Ok(Meeting {
                    date,
                    by: by.to_string(),
                    summary,
                    actions,
                    next_due,
                })
            }
            _ => sorted::<Self, _>(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A ladder step.

/// A participatieladder measurement, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepDraft {
    pub date: String,
    pub step: String,
    pub note: String,
}

const STEP_FIELDS: &[DraftField<StepDraft>] = &[
    text_row!(OnDate, date, Date, required: true, max: SHORT),
    text_row!(LadderStep, step, Line, required: true, max: 2),
    text_row!(Notes, note, Multi, required: false, max: 2_000),
];

impl Draft for StepDraft {
    fn fields() -> &'static [DraftField<Self>] {
        STEP_FIELDS
    }
}

impl StepDraft {
    pub fn new(today: Date) -> Self {
        StepDraft {
            date: format_date(today),
            ..StepDraft::default()
        }
    }

    pub fn validate(&self, ctx: &TrajectoryRules) -> Result<LadderStep, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date = ctx
            .on_date(&self.date, Field::OnDate)
            .map_err(|e| errors.push(e))
            .ok();
        let step = parse_step(&self.step, Field::LadderStep)
            .map_err(|e| errors.push(e))
            .ok();
        let note = draft::multi_text::<Self>(&self.note, Field::Notes, &mut |f, p| {
            errors.push(FieldError::new(f, p))
        });
        match (date, step, note) {
            (Some(date), Some(step), Some(note)) if errors.is_empty() => {
                Ok(LadderStep { date, step, note })
            }
            _ => sorted::<Self, _>(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Goals.

/// A new goal, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalDraft {
    pub text: String,
}

const GOAL_FIELDS: &[DraftField<GoalDraft>] =
    &[text_row!(Goal, text, Line, required: true, max: 300)];

impl Draft for GoalDraft {
    fn fields() -> &'static [DraftField<Self>] {
        GOAL_FIELDS
    }
}

impl GoalDraft {
    pub fn validate(&self, _: &TrajectoryRules) -> Result<String, Vec<FieldError>> {
        let mut errors = Vec::new();
        match draft::line_text::<Self>(&self.text, Field::Goal, &mut |f, p| {
            errors.push(FieldError::new(f, p))
        }) {
            Some(t) if errors.is_empty() => Ok(t),
            _ => Err(errors),
        }
    }
}

/// Finishing a goal, as typed: which open goal (by its text), achieved or dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalDoneDraft {
    pub goal: String,
    pub status: GoalStatus,
}

impl Default for GoalDoneDraft {
    fn default() -> Self {
        GoalDoneDraft {
            goal: String::new(),
            status: GoalStatus::Achieved,
        }
    }
}

const GOAL_DONE_FIELDS: &[DraftField<GoalDoneDraft>] = &[
    text_row!(Goal, goal, Line, required: true, max: 300),
    DraftField {
        field: Field::GoalStatus,
        value: Value::Choice {
            get: |d| d.status.key(),
            set: |d, k| draft::set_key(&mut d.status, k),
            options: |_| vec![GoalStatus::Achieved.key(), GoalStatus::Dropped.key()],
            catalog: "goal_status",
        },
        required: true,
        max_len: 0,
        shown: Shown::Always,
    },
];

impl Draft for GoalDoneDraft {
    fn fields() -> &'static [DraftField<Self>] {
        GOAL_DONE_FIELDS
    }
}

/// A goal to finish: its text (as stored) and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalDone {
    pub goal: String,
    pub status: GoalStatus,
}

impl GoalDoneDraft {
    /// The first open goal preselected.
    pub fn new(open_goals: &[String]) -> Self {
        GoalDoneDraft {
            goal: open_goals.first().cloned().unwrap_or_default(),
            ..GoalDoneDraft::default()
        }
    }

    pub fn validate(&self, ctx: &TrajectoryRules) -> Result<GoalDone, Vec<FieldError>> {
        let want = fold(&self.goal);
        if want.is_empty() {
            return Err(one(Field::Goal, Problem::Required));
        }
        match ctx.open_goals.iter().find(|g| fold(g) == want) {
            Some(g) => Ok(GoalDone {
                goal: g.clone(),
                status: self.status,
            }),
            None => Err(one(Field::Goal, Problem::UnknownGoal)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Phase changes.

/// A phase change, as typed: the new phase (one forward or one back), the date and, going
/// back, the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseDraft {
    /// The phase it is in now (not a field).
    pub from: Phase,
    pub to: Phase,
    pub date: String,
    pub reason: String,
}

fn phase_options(d: &PhaseDraft) -> Vec<&'static str> {
    d.from.moves().into_iter().map(Phase::key).collect()
}

const PHASE_FIELDS: &[DraftField<PhaseDraft>] = &[
    DraftField {
        field: Field::Phase,
        value: Value::Choice {
            get: |d| d.to.key(),
            set: |d, k| draft::set_key(&mut d.to, k),
            options: phase_options,
            catalog: "phase",
        },
        required: true,
        max_len: 0,
        shown: Shown::Always,
    },
    text_row!(OnDate, date, Date, required: true, max: SHORT),
    text_row!(Reason, reason, Multi, required: false, max: 2_000),
];

impl Draft for PhaseDraft {
    fn fields() -> &'static [DraftField<Self>] {
        PHASE_FIELDS
    }
}

/// A validated phase change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseMove {
    pub to: Phase,
    pub date: Date,
    pub reason: String,
}

impl PhaseDraft {
    /// A step forward from `from` today (or back, when there is no forward).
    pub fn new(from: Phase, today: Date) -> Self {
        PhaseDraft {
            from,
            to: from.moves().first().copied().unwrap_or(from),
            date: format_date(today),
            reason: String::new(),
        }
    }

    pub fn validate(&self, ctx: &TrajectoryRules) -> Result<PhaseMove, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !self.from.moves().contains(&self.to) {
            errors.push(FieldError::new(
                Field::Phase,
                if self.to == Phase::Afgesloten {
                    Problem::CloseWithOutcome
                } else {
                    Problem::PhaseJump {
                        from: self.from.key().into(),
                        to: self.to.key().into(),
                    }
                },
            ));
        }
        let date = ctx
            .on_date(&self.date, Field::OnDate)
            .map_err(|e| errors.push(e))
            .ok();
        let reason = draft::multi_text::<Self>(&self.reason, Field::Reason, &mut |f, p| {
            errors.push(FieldError::new(f, p))
        });
        if self.from.previous() == Some(self.to) && reason.as_deref().is_some_and(str::is_empty) {
            errors.push(FieldError::new(Field::Reason, Problem::ReasonGoingBack));
        }
        match (date, reason) {
            (Some(date), Some(reason)) if errors.is_empty() => Ok(PhaseMove {
                to: self.to,
                date,
                reason,
            }),
            _ => sorted::<Self, _>(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reassigning.

/// A reassignment, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReassignDraft {
    pub to: String,
    pub reason: String,
}

const REASSIGN_FIELDS: &[DraftField<ReassignDraft>] = &[
    text_row!(Consultant, to, Line, required: true, max: 100),
    text_row!(Reason, reason, Multi, required: true, max: 2_000),
];

impl Draft for ReassignDraft {
    fn fields() -> &'static [DraftField<Self>] {
        REASSIGN_FIELDS
    }
}

/// A validated reassignment: the new consultant's login and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub to: String,
    pub reason: String,
}

impl ReassignDraft {
    pub fn validate(&self, ctx: &TrajectoryRules) -> Result<Handover, Vec<FieldError>> {
        let mut errors = Vec::new();
        let to = ctx
            .active_consultant(&self.to)
            .map_err(|p| errors.push(FieldError::new(Field::Consultant, p)))
            .ok();
        let reason = draft::multi_text::<Self>(&self.reason, Field::Reason, &mut |f, p| {
            errors.push(FieldError::new(f, p))
        });
        match (to, reason) {
            (Some(to), Some(reason)) if errors.is_empty() => Ok(Handover { to, reason }),
            _ => sorted::<Self, _>(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Closing.

/// Closing, as typed. The outcome starts unchosen: closing requires one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloseDraft {
    pub outcome: Option<Outcome>,
    pub end_step: String,
    pub date: String,
    pub note: String,
}

/// The key of "no outcome chosen yet".
pub const NO_OUTCOME: &str = "none";

const CLOSE_FIELDS: &[DraftField<CloseDraft>] = &[
    DraftField {
        field: Field::Outcome,
        value: Value::Choice {
            get: |d| d.outcome.map_or(NO_OUTCOME, Outcome::key),
            set: |d, k| d.outcome = Outcome::from_key(k),
            options: |_| std::iter::once(NO_OUTCOME).chain(Outcome::keys()).collect(),
            catalog: "outcome",
        },
        required: true,
        max_len: 0,
        shown: Shown::Always,
    },
    text_row!(EndStep, end_step, Line, required: true, max: 2),
    text_row!(OnDate, date, Date, required: true, max: SHORT),
    text_row!(Notes, note, Multi, required: false, max: 2_000),
];

impl Draft for CloseDraft {
    fn fields() -> &'static [DraftField<Self>] {
        CLOSE_FIELDS
    }
}

/// A validated closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub outcome: Outcome,
    pub end_step: u8,
    pub date: Date,
    pub note: String,
}

impl CloseDraft {
    /// Closing today; the end step starts at the current step.
    pub fn new(today: Date, current_step: Option<u8>) -> Self {
        CloseDraft {
            outcome: None,
            end_step: current_step.map(|s| s.to_string()).unwrap_or_default(),
            date: format_date(today),
            note: String::new(),
        }
    }

    pub fn validate(&self, ctx: &TrajectoryRules) -> Result<Closing, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.outcome.is_none() {
            errors.push(FieldError::new(Field::Outcome, Problem::CloseWithOutcome));
        }
        let end_step = parse_step(&self.end_step, Field::EndStep)
            .map_err(|e| errors.push(e))
            .ok();
        let date = ctx
            .on_date(&self.date, Field::OnDate)
            .map_err(|e| errors.push(e))
            .ok();
        let note = draft::multi_text::<Self>(&self.note, Field::Notes, &mut |f, p| {
            errors.push(FieldError::new(f, p))
        });
        match (self.outcome, end_step, date, note) {
            (Some(outcome), Some(end_step), Some(date), Some(note)) if errors.is_empty() => {
                Ok(Closing {
                    outcome,
                    end_step,
                    date,
                    note,
                })
            }
            _ => sorted::<Self, _>(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// MaS hours.

/// MaS hours, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HoursDraft {
    pub date: String,
    pub hours: String,
}

const HOURS_FIELDS: &[DraftField<HoursDraft>] = &[
    text_row!(OnDate, date, Date, required: true, max: SHORT),
    text_row!(Hours, hours, Line, required: true, max: 10),
];

impl Draft for HoursDraft {
    fn fields() -> &'static [DraftField<Self>] {
        HOURS_FIELDS
    }
}

impl HoursDraft {
    pub fn new(today: Date) -> Self {
        HoursDraft {
            date: format_date(today),
            hours: String::new(),
        }
    }

    pub fn validate(&self, ctx: &TrajectoryRules) -> Result<HoursLogged, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date = ctx
            .on_date(&self.date, Field::OnDate)
            .map_err(|e| errors.push(e))
            .ok();
        let minutes = if self.hours.trim().is_empty() {
            errors.push(FieldError::new(Field::Hours, Problem::Required));
            None
        } else {
            parse_hours(&self.hours)
                .map_err(|p| errors.push(FieldError::new(Field::Hours, p)))
                .ok()
        };
        match (date, minutes) {
            (Some(date), Some(minutes)) if errors.is_empty() => Ok(HoursLogged { date, minutes }),
            _ => sorted::<Self, _>(errors),
        }
    }
}

/// Test data: three consultants, one of them inactive, on 27-11-2026.
#[cfg(test)]
pub(crate) fn sample_rules() -> TrajectoryRules {
    let mut rules = TrajectoryRules::new(
        time::macros::date!(2026 - 11 - 27),
        TrajectorySettings::default(),
        vec![
            Consultant {
                login: "anouk".into(),
                display: "Anouk de Vries".into(),
                active: true,
            },
            Consultant {
                login: "bram".into(),
                display: "Bram Visser".into(),
                active: true,
            },
            Consultant {
                login: "cor".into(),
                display: "Cor Smit".into(),
                active: false,
            },
        ],
    );
    rules.started = time::macros::date!(2026 - 01 - 01);
    rules
}

/// A start for tests: social activation of person 1 with Anouk, start step 2.
#[cfg(test)]
pub(crate) fn sample_start() -> StartDraft {
    StartDraft {
        kind: TrajectoryKind::SocialActivation,
        consultant: "Anouk de Vries".into(),
        referrer: "Sociaal Wijkteam Dordrecht".into(),
        client_manager: "Petra Jansen".into(),
        client_manager_contact: "078 123 4567".into(),
        start_step: "2".into(),
        ..StartDraft::new(1, "Bakker, Sanne", "Dordrecht", "")
    }
}

#[cfg(test)]
mod tests;
