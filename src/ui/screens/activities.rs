//! 4 Verbreiden › Activiteiten: campaigns, events, trainings, advice sessions and appreciation
//! moments, newest first, with how many took part per basic function this year under the list.
//! `/` searches names, organisations and notes; `f` shows one kind at a time; `n` records an
//! activity, Enter reads one, `e` edits it (mark it held, count the participants). Built from
//! the generic record screens.

use super::record::{self, Keep, RecordScreens};
use crate::domain::activity::{Activity, ActivityDraft, ActivityKind};
use crate::domain::contact::BasicFunction;
use crate::domain::draft::Keyed;
use crate::domain::format_date;
use crate::domain::volunteer::Rules;
use crate::domain::{Field, FieldError};
use crate::i18n::{Lang, field_label, t, tf};
use crate::readmodel::{ActivityRow, Haystacks, ReadModel};
use crate::service::{Kind, ServiceError, Stored};
use crate::ui::component::{Env, JobCx};
use crate::ui::screens::organisations::detail::bookkeeping;
use crate::ui::table::{Column, Projection};
use crate::ui::widgets::form::{FormKind, FormMode};
use crate::ui::widgets::scroll::{heading, labelled};
use ratatui::text::{Line, Span};
use time::Date;

fn kind_name(lang: Lang, k: ActivityKind) -> String {
    t(lang, &format!("activity_kind.{}", k.key())).to_string()
}

/// Activities as a list.
pub struct ActivityRows;

static COLUMNS: [Column<ActivityRow>; 5] = [
    Column {
        title: "field.activity_date",
        min: 10,
        preferred: 10,
        max: 10,
        drop: 0,
        cell: |r, _| format_date(r.date),
    },
    Column {
        title: "field.activity_title",
        min: 14,
        preferred: 30,
        max: 50,
        drop: 0,
        cell: |r, _| r.title.clone(),
    },
    Column {
        title: "field.activity_kind",
        min: 10,
        preferred: 14,
        max: 16,
        drop: 2,
        cell: |r, lang| kind_name(lang, r.kind),
    },
    Column {
        title: "field.participants",
        min: 6,
        preferred: 12,
        max: 12,
        drop: 3,
        cell: |r, _| {
            if r.participants == 0 {
                String::new()
            } else {
                r.participants.to_string()
            }
        },
    },
    Column {
        title: "field.held",
        min: 8,
        preferred: 12,
        max: 14,
        drop: 1,
        cell: |r, lang| {
            if r.held {
                t(lang, "ui.activity_held").to_string()
            } else {
                t(lang, "ui.activity_planned").to_string()
            }
        },
    },
];

impl Projection for ActivityRows {
    type Row = ActivityRow;
    const EMPTY: &'static str = "ui.activity_empty";
    const NO_MATCHES: &'static str = "ui.activity_no_matches";
    fn rows(model: &ReadModel) -> &[ActivityRow] {
        model.activities().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.activities().haystacks()
    }
    fn id(row: &ActivityRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<ActivityRow>] {
        &COLUMNS
    }
}

/// The activity form.
#[derive(Debug, Clone, Copy)]
pub struct ActivityForm;

impl FormKind for ActivityForm {
    type Draft = ActivityDraft;
    type Output = Activity;
    type Ctx = Rules;

    fn validate(draft: &ActivityDraft, rules: &Rules) -> Result<Activity, Vec<FieldError>> {
        draft.validate(rules)
    }

    fn title(lang: Lang, mode: FormMode, original: &ActivityDraft) -> String {
        match mode {
            FormMode::New => t(lang, "form.title_new_activity").to_string(),
            FormMode::Edit { .. } => {
                tf(lang, "form.title_edit", &[("name", original.title.clone())])
            }
        }
    }
}

/// Activities on the generic record screens.
pub struct Activities;

/// The list screen.
pub type ActivityList = record::ListScreen<Activities>;
/// The detail view.
pub type DetailView = record::DetailView<Activities>;
/// The form view.
pub type FormView = record::FormView<Activities>;

impl RecordScreens for Activities {
    type Record = Activity;
    type Rows = ActivityRows;
    type Form = ActivityForm;
    /// One kind, or all.
    type Filter = Option<ActivityKind>;

    const KIND: Kind = Kind::Activity;
    const SCREEN: &'static str = "screen.activities";
    const LOAD_JOB: &'static str = "load_activity";
    const SAVE_JOB: &'static str = "save_activity";
    const FORM_CRUMB: &'static str = "ui.crumb_activity_form";

    fn read(jx: &JobCx, id: u64) -> Result<Option<Stored<Activity>>, ServiceError> {
        jx.service.activity(jx.who, id)
    }

    fn save(jx: &JobCx, mode: FormMode, a: Activity) -> Result<Stored<Activity>, ServiceError> {
        let saved = match mode {
            FormMode::New => jx.service.record_activity(jx.who, a),
            FormMode::Edit { id, revision } => jx.service.update_activity(jx.who, id, revision, a),
        }?;
        jx.model.put_activity(&saved);
        Ok(saved)
    }

    fn listed_revision(model: &ReadModel, id: u64) -> Option<u64> {
        model.activities().get(id).map(|r| r.revision)
    }

    fn new_draft(env: &Env) -> ActivityDraft {
        ActivityDraft::new(env.today)
    }

    fn draft_of(a: &Activity) -> ActivityDraft {
        ActivityDraft::from_activity(a)
    }

    fn form_ctx(env: &Env, _model: &ReadModel) -> Rules {
        env.rules.clone()
    }

    fn name(a: &Activity) -> String {
        a.title.clone()
    }

    fn lines(r: &Stored<Activity>, env: &Env) -> Vec<Line<'static>> {
        let (theme, lang) = (&env.theme, env.lang);
        let a = &r.data;
        let f = |field: Field| field_label(lang, field);
        let held = if a.held {
            t(lang, "ui.activity_held")
        } else {
            t(lang, "ui.activity_planned")
        };
        let mut out = vec![
            Line::from(Span::styled(a.title.clone(), theme.title)),
            Line::default(),
            labelled(theme, f(Field::ActivityDate), format_date(a.date)),
            labelled(theme, f(Field::ActivityKind), kind_name(lang, a.kind)),
            labelled(
                theme,
                f(Field::BasicFunction),
                t(lang, &format!("basic_function.{}", a.basic_function.key())).to_string(),
            ),
            labelled(
                theme,
                f(Field::Participants),
                if a.participants == 0 {
                    "—".to_string()
                } else {
                    a.participants.to_string()
                },
            ),
            labelled(theme, f(Field::Held), held.to_string()),
        ];
        if !a.organisations.is_empty() {
            out.push(Line::default());
            out.push(heading(theme, f(Field::Organisations)));
            out.extend(a.organisations.iter().map(|o| Line::from(o.clone())));
        }
        if !a.notes.is_empty() {
            out.push(Line::default());
            out.push(heading(theme, f(Field::Notes)));
            out.extend(a.notes.lines().map(|l| Line::from(l.to_string())));
        }
        out.push(Line::default());
        out.push(bookkeeping(&r.meta, theme, lang));
        out
    }

    fn next_filter(filter: Option<ActivityKind>) -> Option<ActivityKind> {
        let all = ActivityKind::ALL;
        match filter {
            None => all.first().copied(),
            Some(k) => all
                .iter()
                .position(|x| *x == k)
                .and_then(|i| all.get(i + 1))
                .copied(),
        }
    }

    fn keeps(filter: Option<ActivityKind>, _today: Date) -> Option<Keep<ActivityRows>> {
        filter.map(|k| Box::new(move |r: &ActivityRow| r.kind == k) as Keep<ActivityRows>)
    }

    fn filter_text(filter: Option<ActivityKind>, lang: Lang) -> Option<String> {
        let shown = match filter {
            None => t(lang, "ui.activity_all").to_string(),
            Some(k) => kind_name(lang, k),
        };
        Some(tf(lang, "ui.activity_filters", &[("kind", shown)]))
    }

    fn below(model: &ReadModel, env: &Env) -> Vec<Line<'static>> {
        let (theme, lang) = (&env.theme, env.lang);
        let year = env.today.year();
        let mut held = [(0u32, 0u32); 5];
        for r in model.activities().iter() {
            if r.held && r.date.year() == year {
                let i = BasicFunction::ALL
                    .iter()
                    .position(|f| *f == r.basic_function)
                    .unwrap_or(0);
                held[i].0 += 1;
                held[i].1 += r.participants;
            }
        }
        let mut out = vec![Line::from(Span::styled(
            tf(lang, "ui.activity_this_year", &[("year", year.to_string())]),
            theme.dim,
        ))];
        let parts: Vec<String> = BasicFunction::ALL
            .iter()
            .zip(held)
            .map(|(f, (n, people))| {
                let name = t(lang, &format!("group.{}", f.key())).to_string();
                tf(
                    lang,
                    "ui.activity_function_count",
                    &[
                        ("function", name),
                        ("count", n.to_string()),
                        ("people", people.to_string()),
                    ],
                )
            })
            .collect();
        for pair in parts.chunks(2) {
            out.push(Line::from(pair.join("    ")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_steps_through_the_kinds_and_back_to_all() {
        let mut f = None;
        for k in ActivityKind::ALL {
            f = Activities::next_filter(f);
            assert_eq!(f, Some(*k));
        }
        assert_eq!(Activities::next_filter(f), None);
    }
}
