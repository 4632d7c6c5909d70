//! 1 Vertalen › Doelen: the year's targets per municipality (intakes, placements,
//! trajectories started, MaS pupils, contacts with organisations), newest year first. Under
//! the list, this year's progress of the whole centre against the sum of its targets; the
//! detail of one municipality's year shows each target as a gauge with what is expected by
//! today and whether the centre is ahead or behind — in words and a marker, not colour alone.
//! `n` sets a year's targets (coordinators and administrators), `e` changes them, `f` shows
//! this year only. Built from the generic record screens.

use super::record::{self, Keep, RecordScreens};
use crate::domain::draft::Keyed;
use crate::domain::target::{Measure, Standing, Target, TargetDraft, expected, standing};
use crate::domain::volunteer::Rules;
use crate::domain::{Field, FieldError};
use crate::i18n::{Lang, fmt_count, t, tf};
use crate::readmodel::{Haystacks, ReadModel, TargetRow, YearProgress};
use crate::service::{Kind, ServiceError, Stored};
use crate::ui::component::{Env, JobCx};
use crate::ui::screens::organisations::detail::bookkeeping;
use crate::ui::table::{Column, Projection};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{
    FieldUi, FormKind, FormMode, known_municipality, municipality_completion,
};
use crate::ui::widgets::scroll::heading;
use ratatui::text::{Line, Span};
use time::Date;

/// Cells of a gauge's bar.
pub const BAR: usize = 14;

/// The short name of a measure (a column title, a gauge's label).
fn measure_name(lang: Lang, m: Measure) -> String {
    t(lang, &format!("measure.{}", m.key())).to_string()
}

/// A target as a cell: the number, or a dash when not set.
fn goal_cell(lang: Lang, goal: Option<u32>) -> String {
    goal.map_or_else(|| "–".to_string(), |n| fmt_count(lang, u64::from(n)))
}

/// Targets as a list.
pub struct TargetRows;

macro_rules! goal_column {
    ($i:expr, $title:expr, $drop:expr) => {
        Column {
            title: $title,
            min: 6,
            preferred: 13,
            max: 14,
            drop: $drop,
            cell: |r, lang| goal_cell(lang, r.goals[$i]),
        }
    };
}

static COLUMNS: [Column<TargetRow>; 7] = [
    Column {
        title: "field.target_year",
        min: 4,
        preferred: 5,
        max: 5,
        drop: 0,
        cell: |r, _| r.year.to_string(),
    },
    Column {
        title: "field.municipality",
        min: 10,
        preferred: 16,
        max: 24,
        drop: 0,
        cell: |r, _| r.municipality.clone(),
    },
    goal_column!(0, "measure.intakes", 0),
    goal_column!(1, "measure.placements", 0),
    goal_column!(2, "measure.trajectories", 0),
    goal_column!(3, "measure.mas_pupils", 0),
    goal_column!(4, "measure.contacts", 0),
];

impl Projection for TargetRows {
    type Row = TargetRow;
    const EMPTY: &'static str = "ui.target_empty";
    const NO_MATCHES: &'static str = "ui.target_no_matches";
    fn rows(model: &ReadModel) -> &[TargetRow] {
        model.targets().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.targets().haystacks()
    }
    fn id(row: &TargetRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<TargetRow>] {
        &COLUMNS
    }
}

/// The targets form.
#[derive(Debug, Clone, Copy)]
pub struct TargetForm;

fn complete_municipality<'a>(rules: &'a Rules, typed: &str) -> Option<&'a str> {
    municipality_completion(rules, typed)
}

fn fix_municipality<'a>(rules: &'a Rules, typed: &str) -> Option<&'a str> {
    known_municipality(rules, typed)
}

impl FormKind for TargetForm {
    type Draft = TargetDraft;
    type Output = Target;
    type Ctx = Rules;

    fn validate(draft: &TargetDraft, rules: &Rules) -> Result<Target, Vec<FieldError>> {
        draft.validate(rules)
    }

    fn title(lang: Lang, mode: FormMode, original: &TargetDraft) -> String {
        match mode {
            FormMode::New => t(lang, "form.title_new_targets").to_string(),
            FormMode::Edit { .. } => tf(
                lang,
                "form.title_edit",
                &[(
                    "name",
                    format!("{} {}", original.municipality, original.year),
                )],
            ),
        }
    }

    fn extras() -> &'static [FieldUi<Rules>] {
        const EXTRAS: &[FieldUi<Rules>] = &[FieldUi {
            complete: Some(complete_municipality),
            normalise: Some(fix_municipality),
            ..FieldUi::plain(Field::Municipality)
        }];
        EXTRAS
    }
}

/// Targets on the generic record screens.
pub struct Targets;

/// The list screen.
pub type TargetList = record::ListScreen<Targets>;
/// The detail view.
pub type DetailView = record::DetailView<Targets>;
/// The form view.
pub type FormView = record::FormView<Targets>;

/// The list's quick filter: every year, or this year only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Years {
    #[default]
    All,
    ThisYear,
}

impl RecordScreens for Targets {
    type Record = Target;
    type Rows = TargetRows;
    type Form = TargetForm;
    type Filter = Years;

    const KIND: Kind = Kind::Target;
    const SCREEN: &'static str = "screen.targets";
    const LOAD_JOB: &'static str = "load_targets";
    const SAVE_JOB: &'static str = "save_targets";
    const FORM_CRUMB: &'static str = "ui.crumb_target_form";

    fn read(jx: &JobCx, id: u64) -> Result<Option<Stored<Target>>, ServiceError> {
        jx.service.targets(jx.who, id)
    }

    fn save(jx: &JobCx, mode: FormMode, target: Target) -> Result<Stored<Target>, ServiceError> {
        let saved = match mode {
            FormMode::New => jx.service.set_targets(jx.who, target),
            FormMode::Edit { id, revision } => {
                jx.service.update_targets(jx.who, id, revision, target)
            }
        }?;
        jx.model.put_targets(&saved);
        Ok(saved)
    }

    fn listed_revision(model: &ReadModel, id: u64) -> Option<u64> {
        model.targets().get(id).map(|r| r.revision)
    }

    fn new_draft(env: &Env) -> TargetDraft {
        TargetDraft::new(env.today, &env.rules)
    }

    fn draft_of(target: &Target) -> TargetDraft {
        TargetDraft::from_target(target)
    }

    fn form_ctx(env: &Env, _model: &ReadModel) -> Rules {
        env.rules.clone()
    }

    fn name(target: &Target) -> String {
        format!("{} {}", target.municipality, target.year)
    }

    fn lines(r: &Stored<Target>, env: &Env) -> Vec<Line<'static>> {
        vec![
            Line::from(Span::styled(
                tf(
                    env.lang,
                    "ui.target_heading",
                    &[
                        ("municipality", r.data.municipality.clone()),
                        ("year", r.data.year.to_string()),
                    ],
                ),
                env.theme.title,
            )),
            Line::default(),
        ]
    }

    fn counted(r: &Stored<Target>, model: &ReadModel, env: &Env) -> Vec<Line<'static>> {
        let target = &r.data;
        let progress = model.year_progress(target.year, env.today);
        let mut out = vec![heading(&env.theme, &as_of(env, target.year))];
        for m in Measure::ALL {
            let done = progress.of(&target.municipality, *m);
            out.push(gauge(
                &env.theme,
                env.lang,
                *m,
                done,
                target.goal(*m),
                target.year,
                env.today,
            ));
        }
        out.push(Line::default());
        out.push(Line::from(Span::styled(
            t(env.lang, "ui.target_how").to_string(),
            env.theme.dim,
        )));
        out.push(Line::default());
        out.push(bookkeeping(&r.meta, &env.theme, env.lang));
        out
    }

    fn next_filter(filter: Years) -> Years {
        match filter {
            Years::All => Years::ThisYear,
            Years::ThisYear => Years::All,
        }
    }

    fn keeps(filter: Years, today: Date) -> Option<Keep<TargetRows>> {
        match filter {
            Years::All => None,
            Years::ThisYear => {
                let year = today.year();
                Some(Box::new(move |r: &TargetRow| r.year == year))
            }
        }
    }

    fn filter_text(filter: Years, lang: Lang) -> Option<String> {
        let shown = match filter {
            Years::All => t(lang, "ui.target_all_years"),
            Years::ThisYear => t(lang, "ui.target_this_year"),
        };
        Some(tf(
            lang,
            "ui.target_filters",
            &[("years", shown.to_string())],
        ))
    }

    fn below(model: &ReadModel, env: &Env) -> Vec<Line<'static>> {
        let year = env.today.year();
        let rows: Vec<&TargetRow> = model.targets().iter().filter(|r| r.year == year).collect();
        if rows.is_empty() {
            return vec![Line::from(Span::styled(
                tf(
                    env.lang,
                    "ui.target_none_this_year",
                    &[("year", year.to_string())],
                ),
                env.theme.dim,
            ))];
        }
        let progress = model.year_progress(year, env.today);
        centre_lines(&rows, &progress, env)
    }
}

/// "Progress up to 27-11-2026" (or "2025, the whole year").
fn as_of(env: &Env, year: i32) -> String {
    if year < env.today.year() {
        tf(
            env.lang,
            "ui.target_whole_year",
            &[("year", year.to_string())],
        )
    } else {
        tf(
            env.lang,
            "ui.target_as_of",
            &[("date", crate::domain::format_date(env.today))],
        )
    }
}

/// The whole centre this year: per measure, the sum of the municipalities' targets that are
/// set against what those municipalities reached.
fn centre_lines(rows: &[&TargetRow], progress: &YearProgress, env: &Env) -> Vec<Line<'static>> {
    let year = env.today.year();
    let mut out = vec![Line::from(Span::styled(
        tf(
            env.lang,
            "ui.target_centre",
            &[
                ("year", year.to_string()),
                ("date", crate::domain::format_date(env.today)),
            ],
        ),
        env.theme.dim,
    ))];
    for m in Measure::ALL {
        let with_goal: Vec<(&TargetRow, u32)> = rows
            .iter()
            .filter_map(|r| r.goal(*m).map(|g| (*r, g)))
            .collect();
        let goal = (!with_goal.is_empty()).then(|| with_goal.iter().map(|(_, g)| *g).sum());
        let done = with_goal
            .iter()
            .map(|(r, _)| progress.of(&r.municipality, *m))
            .sum();
        out.push(gauge(&env.theme, env.lang, *m, done, goal, year, env.today));
    }
    out
}

/// One measure as a gauge: its name, a bar filled as far as `done` is of `goal` with a `│`
/// where today's expected figure lies, the numbers, and ahead or behind in words (with a ⚠
/// when behind). Without a target: the count and "no target".
pub fn gauge(
    theme: &Theme,
    lang: Lang,
    m: Measure,
    done: u32,
    goal: Option<u32>,
    year: i32,
    today: Date,
) -> Line<'static> {
    let name = measure_name(lang, m);
    let pad = 15usize.saturating_sub(name.chars().count());
    let label = format!("{name}{} ", " ".repeat(pad));
    let count = |n: u32| fmt_count(lang, u64::from(n));
    let Some(goal) = goal else {
        return Line::from(vec![
            Span::raw(label),
            Span::styled(format!("{}  ", "·".repeat(BAR)), theme.dim),
            Span::raw(tf(lang, "ui.target_no_goal", &[("done", count(done))])),
        ]);
    };
    let want = expected(goal, year, today);
    let cells = |n: u32| -> usize {
        if goal == 0 {
            BAR
        } else {
            ((u64::from(n) * BAR as u64) / u64::from(goal)).min(BAR as u64) as usize
        }
    };
    let filled = cells(done);
    let marker = (year == today.year() && goal > 0).then(|| cells(want).min(BAR - 1));
    let bar: String = (0..BAR)
        .map(|i| {
            if Some(i) == marker {
                '│'
            } else if i < filled {
                '█'
            } else {
                '░'
            }
        })
        .collect();
    let percent = if goal == 0 {
        100
    } else {
        u64::from(done) * 100 / u64::from(goal)
    };
    let (words, style) = match standing(done, goal, year, today) {
        Standing::Ahead => (t(lang, "ui.target_ahead").to_string(), theme.ok),
        Standing::Behind => (
            tf(lang, "ui.target_behind", &[("short", count(want - done))]),
            theme.warning,
        ),
    };
    Line::from(vec![
        Span::raw(label),
        Span::raw(bar),
        Span::raw(format!(
            "  {}",
            tf(
                lang,
                "ui.target_of",
                &[
                    ("done", count(done)),
                    ("goal", count(goal)),
                    ("percent", percent.to_string()),
                    ("expected", count(want)),
                ],
            )
        )),
        Span::styled(format!("  {words}"), style),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_gauge_fills_as_far_as_done_marks_the_expected_figure_and_says_behind_in_words() {
        let theme = Theme::mono();
        // Day 331 of 365: 300 expects 272; 150 done is half the bar, the marker at 12.
        let line = gauge(
            &theme,
            Lang::En,
            Measure::Intakes,
            150,
            Some(300),
            2026,
            date!(2026 - 11 - 27),
        );
        let shown = text(&line);
        assert!(shown.contains("███████░░░░░│░"), "bar in {shown:?}");
        assert!(shown.contains("150 of 300 (50 %)"), "{shown:?}");
        assert!(shown.contains("expected 272"), "{shown:?}");
        assert!(shown.contains("⚠ behind by 122"), "{shown:?}");
        let ahead = text(&gauge(
            &theme,
            Lang::Nl,
            Measure::Intakes,
            1_200,
            Some(1_000),
            2025,
            date!(2026 - 11 - 27),
        ));
        // A past year: no marker, the whole bar, Dutch thousands.
        assert!(ahead.contains(&"█".repeat(BAR)), "{ahead:?}");
        assert!(ahead.contains("1.200 van 1.000"), "{ahead:?}");
        assert!(ahead.contains("op schema"), "{ahead:?}");
        let none = text(&gauge(
            &theme,
            Lang::En,
            Measure::MasPupils,
            7,
            None,
            2026,
            date!(2026 - 11 - 27),
        ));
        assert!(none.contains("7 so far, no target set"), "{none:?}");
    }
}
