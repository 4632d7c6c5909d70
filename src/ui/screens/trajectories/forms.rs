//! The short forms on a trajectory, each a form kind on the form engine shown in the one
//! step dialog ([`crate::ui::screens::step_form`]): start a trajectory (from a person), log
//! a progress meeting, record a ladder step, add or finish a goal, change the phase,
//! reassign, close, log MaS hours.

use super::{KIND, detail::DetailView, phase_name};
use crate::domain::FieldError;
use crate::domain::trajectory::{
    CloseDraft, Closing, GoalDone, GoalDoneDraft, GoalDraft, GoalStatus, Handover, HoursDraft,
    HoursLogged, LadderStep, Meeting, MeetingDraft, PhaseDraft, PhaseMove, ReassignDraft, Start,
    StartDraft, StepDraft, Trajectory, TrajectoryKind, TrajectoryRules,
};
use crate::domain::{Field, format_date};
use crate::i18n::{Lang, t, tf};
use crate::service::{Permission, Role, ServiceError, Stored, allowed};
use crate::ui::action::Action;
use crate::ui::component::{Cmd, Cx, Env, FlashKind, JobCx};
use crate::ui::screens::step_form::{StepForm, StepModal};
use crate::ui::widgets::form::{FieldUi, Form, FormKind, FormMode};

/// Whether `action` opens one of the short forms on a trajectory.
pub fn is_step(action: Action) -> bool {
    matches!(
        action,
        Action::LogMeeting
            | Action::LadderStep
            | Action::AddGoal
            | Action::FinishGoal
            | Action::ChangePhase
            | Action::Reassign
            | Action::CloseTrajectory
            | Action::LogHours
    )
}

/// The permission opening a trajectory (`Action::Open`) or one of its short forms needs.
pub fn needs(action: Action) -> Permission {
    match action {
        Action::Open => Permission::ReadCaseNotes,
        Action::Reassign => Permission::ReassignTrajectory,
        _ => Permission::WorkTrajectory,
    }
}

/// Whether `role` (when known) may use `action` on a trajectory: what the screens offer.
pub fn allows(role: Option<Role>, action: Action) -> bool {
    role.is_none_or(|r| allowed(r, needs(action)))
}

/// When the acting role may not use `action` on a trajectory: says why and returns true.
pub fn refused(action: Action, cx: &mut Cx) -> bool {
    let role = cx.env.role;
    let what = needs(action);
    if allowed(role, what) {
        return false;
    }
    let text =
        crate::i18n::errors::service_error(cx.lang(), &ServiceError::Forbidden { role, what });
    cx.flash(FlashKind::Error, text);
    true
}

/// What the forms on trajectory `t` check against.
pub fn rules_for(env: &Env, t: Option<&Trajectory>) -> TrajectoryRules {
    let mut rules = TrajectoryRules::new(env.today, env.trajectories, env.consultants.clone());
    if let Some(t) = t {
        rules.started = t.started;
        rules.phase = t.phase;
        rules.open_goals = t
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Open)
            .map(|g| g.text.clone())
            .collect();
    }
    rules
}

fn edit(r: &Stored<Trajectory>) -> FormMode {
    FormMode::Edit {
        id: r.meta.id,
        revision: r.meta.revision,
    }
}

/// Opens the short form of `action` on trajectory `r`; a closed trajectory (or hours on
/// another kind than a MaS, a goal to finish where none is open) says why not instead.
pub fn open(action: Action, r: &Stored<Trajectory>, cx: &mut Cx) {
    if refused(action, cx) {
        return;
    }
    let lang = cx.lang();
    let ctx = rules_for(cx.env, Some(&r.data));
    let today = cx.env.today;
    if !r.data.is_open() {
        cx.flash(FlashKind::Error, t(lang, "problem.trajectory_closed"));
        return;
    }
    let m = edit(r);
    match action {
        Action::LogMeeting => cx.push(StepModal::new(Form::<MeetingForm>::with_draft(
            m,
            MeetingDraft::new(today, &cx.env.trajectories),
            ctx,
        ))),
        Action::LadderStep => cx.push(StepModal::new(Form::<LadderForm>::with_draft(
            m,
            crate::domain::trajectory::StepDraft::new(today),
            ctx,
        ))),
        Action::AddGoal => cx.push(StepModal::new(Form::<GoalForm>::with_draft(
            m,
            GoalDraft::default(),
            ctx,
        ))),
        Action::FinishGoal if ctx.open_goals.is_empty() => {
            cx.flash(FlashKind::Error, t(lang, "ui.no_open_goals"));
        }
        Action::FinishGoal => {
            let draft = GoalDoneDraft::new(&ctx.open_goals);
            cx.push(StepModal::new(Form::<GoalDoneForm>::with_draft(
                m, draft, ctx,
            )));
        }
        Action::ChangePhase => cx.push(StepModal::new(Form::<PhaseForm>::with_draft(
            m,
            PhaseDraft::new(r.data.phase, today),
            ctx,
        ))),
        Action::Reassign => cx.push(StepModal::new(Form::<ReassignForm>::with_draft(
            m,
            ReassignDraft::default(),
            ctx,
        ))),
        Action::CloseTrajectory => cx.push(StepModal::new(Form::<CloseForm>::with_draft(
            m,
            CloseDraft::new(today, r.data.current_step()),
            ctx,
        ))),
        Action::LogHours if r.data.kind != TrajectoryKind::Mas => {
            cx.flash(FlashKind::Error, t(lang, "problem.not_mas"));
        }
        Action::LogHours => cx.push(StepModal::new(Form::<HoursForm>::with_draft(
            m,
            HoursDraft::new(today),
            ctx,
        ))),
        _ => {}
    }
}

/// The start form for a person: their id, filed name and municipality; the acting account
/// is the consultant when it is one.
pub fn open_start(person: u64, name: &str, municipality: &str, cx: &mut Cx) {
    // Starting is case work, as every short form but the handover is.
    if refused(Action::LogMeeting, cx) {
        return;
    }
    let ctx = rules_for(cx.env, None);
    let me = ctx
        .consultant(&cx.env.who)
        .filter(|c| c.active)
        .map(|c| c.display.clone())
        .unwrap_or_default();
    let draft = StartDraft::new(person, name, municipality, &me);
    cx.push(StepModal::new(Form::<StartForm>::with_draft(
        FormMode::New,
        draft,
        ctx,
    )));
}

/// Closes the dialog and opens the timeline of `saved` in its place, saying `text`.
pub fn open_timeline(saved: Stored<Trajectory>, text: String, cx: &mut Cx) {
    let id = saved.meta.id;
    cx.close();
    cx.push(DetailView::new(saved));
    cx.cmd(Cmd::Reveal(KIND, id));
    cx.flash(FlashKind::Ok, text);
}

fn put(
    jx: &JobCx,
    r: Result<Stored<Trajectory>, ServiceError>,
) -> Result<Stored<Trajectory>, ServiceError> {
    if let Ok(saved) = &r {
        jx.model.put_trajectory(saved);
    }
    r
}

fn edit_of(mode: FormMode) -> (u64, u64) {
    match mode {
        FormMode::Edit { id, revision } => (id, revision),
        FormMode::New => (0, 0),
    }
}

fn complete_consultant<'a>(ctx: &'a TrajectoryRules, typed: &str) -> Option<&'a str> {
    ctx.consultant_completion(typed)
}

fn known_consultant<'a>(ctx: &'a TrajectoryRules, typed: &str) -> Option<&'a str> {
    ctx.consultant(typed).map(|c| c.display.as_str())
}

fn complete_goal<'a>(ctx: &'a TrajectoryRules, typed: &str) -> Option<&'a str> {
    ctx.goal_completion(typed)
}

const CONSULTANT_UI: &[FieldUi<TrajectoryRules>] = &[FieldUi {
    complete: Some(complete_consultant),
    normalise: Some(known_consultant),
    ..FieldUi::plain(Field::Consultant)
}];

/// Declares a step form kind: its draft, output, validation, title key and save.
macro_rules! step_form {
    ($name:ident, $draft:ty, $out:ty, $title:literal, $job:literal, $saved_key:literal,
     |$d:ident, $c:ident| $validate:expr,
     |$jx:ident, $id:ident, $rev:ident, $o:ident| $save:expr) => {
        #[doc = concat!("The form behind `", $title, "`.")]
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl FormKind for $name {
            type Draft = $draft;
            type Output = $out;
            type Ctx = TrajectoryRules;
            fn validate($d: &$draft, $c: &TrajectoryRules) -> Result<$out, Vec<FieldError>> {
                $validate
            }
            fn title(lang: Lang, _: FormMode, _: &$draft) -> String {
                t(lang, $title).to_string()
            }
        }

        impl StepForm for $name {
            type Saved = Stored<Trajectory>;
            const JOB: &'static str = $job;
            const TITLE: &'static str = $title;
            fn save(
                $jx: &JobCx,
                mode: FormMode,
                $o: $out,
            ) -> Result<Stored<Trajectory>, ServiceError> {
                let ($id, $rev) = edit_of(mode);
                put($jx, $save)
            }
            fn revision(saved: &Stored<Trajectory>) -> u64 {
                saved.meta.revision
            }
            fn message(lang: Lang, saved: &Stored<Trajectory>) -> String {
                tf(
                    lang,
                    $saved_key,
                    &[("name", saved.data.person_name.clone())],
                )
            }
        }
    };
}

step_form!(
    MeetingForm,
    MeetingDraft,
    Meeting,
    "ui.title_meeting",
    "log_meeting",
    "ui.saved_meeting",
    |d, c| d.validate(c, ""),
    |jx, id, rev, o| jx.service.log_meeting(jx.who, id, rev, o)
);
step_form!(
    LadderForm,
    StepDraft,
    LadderStep,
    "ui.title_ladder_step",
    "ladder_step",
    "ui.saved_step",
    |d, c| d.validate(c),
    |jx, id, rev, o| jx.service.record_ladder_step(jx.who, id, rev, o)
);
step_form!(
    GoalForm,
    GoalDraft,
    String,
    "ui.title_goal",
    "add_goal",
    "ui.saved_goal",
    |d, c| d.validate(c),
    |jx, id, rev, o| jx.service.add_goal(jx.who, id, rev, o)
);
step_form!(
    PhaseForm,
    PhaseDraft,
    PhaseMove,
    "ui.title_phase",
    "change_phase",
    "ui.saved_phase",
    |d, c| d.validate(c),
    |jx, id, rev, o| jx.service.change_phase(jx.who, id, rev, o)
);
step_form!(
    CloseForm,
    CloseDraft,
    Closing,
    "ui.title_close",
    "close_trajectory",
    "ui.saved_close",
    |d, c| d.validate(c),
    |jx, id, rev, o| jx.service.close_trajectory(jx.who, id, rev, o)
);
step_form!(
    HoursForm,
    HoursDraft,
    HoursLogged,
    "ui.title_hours",
    "log_mas_hours",
    "ui.saved_hours",
    |d, c| d.validate(c),
    |jx, id, rev, o| jx.service.log_mas_hours(jx.who, id, rev, o)
);

/// Finishing a goal: the goal typed is completed from the open ones.
#[derive(Debug, Clone, Copy)]
pub struct GoalDoneForm;

impl FormKind for GoalDoneForm {
    type Draft = GoalDoneDraft;
    type Output = GoalDone;
    type Ctx = TrajectoryRules;
    fn validate(d: &GoalDoneDraft, c: &TrajectoryRules) -> Result<GoalDone, Vec<FieldError>> {
        d.validate(c)
    }
    fn title(lang: Lang, _: FormMode, _: &GoalDoneDraft) -> String {
        t(lang, "ui.title_goal_done").to_string()
    }
    fn extras() -> &'static [FieldUi<TrajectoryRules>] {
        const EXTRAS: &[FieldUi<TrajectoryRules>] = &[FieldUi {
            complete: Some(complete_goal),
            ..FieldUi::plain(Field::Goal)
        }];
        EXTRAS
    }
}

impl StepForm for GoalDoneForm {
    type Saved = Stored<Trajectory>;
    const JOB: &'static str = "finish_goal";
    const TITLE: &'static str = "ui.title_goal_done";
    fn save(jx: &JobCx, mode: FormMode, o: GoalDone) -> Result<Stored<Trajectory>, ServiceError> {
        let (id, rev) = edit_of(mode);
        put(jx, jx.service.finish_goal(jx.who, id, rev, o))
    }
    fn revision(saved: &Stored<Trajectory>) -> u64 {
        saved.meta.revision
    }
    fn message(lang: Lang, saved: &Stored<Trajectory>) -> String {
        tf(
            lang,
            "ui.saved_goal",
            &[("name", saved.data.person_name.clone())],
        )
    }
}

/// Reassigning: the consultant is completed from the active ones.
#[derive(Debug, Clone, Copy)]
pub struct ReassignForm;

impl FormKind for ReassignForm {
    type Draft = ReassignDraft;
    type Output = Handover;
    type Ctx = TrajectoryRules;
    fn validate(d: &ReassignDraft, c: &TrajectoryRules) -> Result<Handover, Vec<FieldError>> {
        d.validate(c)
    }
    fn title(lang: Lang, _: FormMode, _: &ReassignDraft) -> String {
        t(lang, "ui.title_reassign").to_string()
    }
    fn extras() -> &'static [FieldUi<TrajectoryRules>] {
        CONSULTANT_UI
    }
}

impl StepForm for ReassignForm {
    type Saved = Stored<Trajectory>;
    const JOB: &'static str = "reassign_trajectory";
    const TITLE: &'static str = "ui.title_reassign";
    fn save(jx: &JobCx, mode: FormMode, o: Handover) -> Result<Stored<Trajectory>, ServiceError> {
        let (id, rev) = edit_of(mode);
        put(jx, jx.service.reassign_trajectory(jx.who, id, rev, o))
    }
    fn revision(saved: &Stored<Trajectory>) -> u64 {
        saved.meta.revision
    }
    fn message(lang: Lang, saved: &Stored<Trajectory>) -> String {
        tf(
            lang,
            "ui.saved_reassign",
            &[
                ("name", saved.data.person_name.clone()),
                ("to", saved.data.consultant.clone()),
            ],
        )
    }
}

/// Starting a trajectory for a person.
#[derive(Debug, Clone, Copy)]
pub struct StartForm;

impl FormKind for StartForm {
    type Draft = StartDraft;
    type Output = Start;
    type Ctx = TrajectoryRules;
    fn validate(d: &StartDraft, c: &TrajectoryRules) -> Result<Start, Vec<FieldError>> {
        d.validate(c)
    }
    fn title(lang: Lang, _: FormMode, d: &StartDraft) -> String {
        tf(lang, "ui.title_start", &[("name", d.person_name.clone())])
    }
    fn extras() -> &'static [FieldUi<TrajectoryRules>] {
        CONSULTANT_UI
    }
}

impl StepForm for StartForm {
    type Saved = Stored<Trajectory>;
    const JOB: &'static str = "start_trajectory";
    const TITLE: &'static str = "ui.title_start_short";
    fn save(jx: &JobCx, _: FormMode, o: Start) -> Result<Stored<Trajectory>, ServiceError> {
        put(jx, jx.service.start_trajectory(jx.who, o))
    }
    fn revision(saved: &Stored<Trajectory>) -> u64 {
        saved.meta.revision
    }
    /// The new trajectory's timeline opens.
    fn after(saved: Stored<Trajectory>, cx: &mut Cx) {
        let text = Self::message(cx.lang(), &saved);
        open_timeline(saved, text, cx);
    }
    fn message(lang: Lang, saved: &Stored<Trajectory>) -> String {
        tf(
            lang,
            "ui.saved_start",
            &[
                ("name", saved.data.person_name.clone()),
                ("phase", phase_name(lang, saved.data.phase)),
                (
                    "next",
                    saved.data.next_meeting.map(format_date).unwrap_or_default(),
                ),
            ],
        )
    }
}
