//! 1 Vertalen › Signalen: needs noticed in the field, newest first, with how many came in per
//! theme over the last six months under the list. `/` searches theme, municipality and text;
//! `f` shows one status at a time (new, discussed, acted on); `n` records a signal, Enter
//! reads one, `e` edits it (to mark it discussed or say what was done). Built from the
//! generic record screens.

use super::record::{self, Keep, RecordScreens};
use crate::domain::draft::Keyed;
use crate::domain::format_date;
use crate::domain::signal::{Signal, SignalDraft, SignalStatus, per_theme_per_month};
use crate::domain::volunteer::Rules;
use crate::domain::{Field, FieldError};
use crate::i18n::{Lang, field_label, t, tf};
use crate::readmodel::{Haystacks, ReadModel, SignalRow};
use crate::service::{Kind, ServiceError, Stored};
use crate::ui::component::{Env, JobCx};
use crate::ui::screens::organisations::detail::bookkeeping;
use crate::ui::table::{Column, Projection};
use crate::ui::widgets::form::{
    FieldUi, FormKind, FormMode, known_municipality, municipality_completion,
};
use crate::ui::widgets::scroll::{heading, labelled};
use ratatui::text::{Line, Span};
use time::Date;

/// Months of the per-theme counts under the list.
pub const THEME_MONTHS: usize = 6;
/// Themes shown there (the most frequent).
pub const THEMES_SHOWN: usize = 5;

fn status_name(lang: Lang, s: SignalStatus) -> String {
    t(lang, &format!("signal_status.{}", s.key())).to_string()
}

/// Signals as a list.
pub struct SignalRows;

static COLUMNS: [Column<SignalRow>; 5] = [
    Column {
        title: "field.signal_date",
        min: 10,
        preferred: 10,
        max: 10,
        drop: 0,
        cell: |r, _| format_date(r.date),
    },
    Column {
        title: "field.theme",
        min: 12,
        preferred: 24,
        max: 40,
        drop: 0,
        cell: |r, _| r.theme.clone(),
    },
    Column {
        title: "field.municipality",
        min: 10,
        preferred: 16,
        max: 22,
        drop: 2,
        cell: |r, _| r.municipality.clone(),
    },
    Column {
        title: "field.signal_source",
        min: 12,
        preferred: 12,
        max: 14,
        drop: 3,
        cell: |r, lang| t(lang, &format!("signal_source.{}", r.source.key())).to_string(),
    },
    Column {
        title: "field.signal_status",
        min: 9,
        preferred: 16,
        max: 18,
        drop: 1,
        cell: |r, lang| status_name(lang, r.status),
    },
];

impl Projection for SignalRows {
    type Row = SignalRow;
    const EMPTY: &'static str = "ui.signal_empty";
    const NO_MATCHES: &'static str = "ui.signal_no_matches";
    fn rows(model: &ReadModel) -> &[SignalRow] {
        model.signals().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.signals().haystacks()
    }
    fn id(row: &SignalRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<SignalRow>] {
        &COLUMNS
    }
}

/// The signal form.
#[derive(Debug, Clone, Copy)]
pub struct SignalForm;

fn complete_municipality<'a>(rules: &'a Rules, typed: &str) -> Option<&'a str> {
    municipality_completion(rules, typed)
}

fn fix_municipality<'a>(rules: &'a Rules, typed: &str) -> Option<&'a str> {
    known_municipality(rules, typed)
}

impl FormKind for SignalForm {
    type Draft = SignalDraft;
    type Output = Signal;
    type Ctx = Rules;

    fn validate(draft: &SignalDraft, rules: &Rules) -> Result<Signal, Vec<FieldError>> {
        draft.validate(rules)
    }

    fn title(lang: Lang, mode: FormMode, original: &SignalDraft) -> String {
        match mode {
            FormMode::New => t(lang, "form.title_new_signal").to_string(),
            FormMode::Edit { .. } => {
                tf(lang, "form.title_edit", &[("name", original.theme.clone())])
            }
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

/// Signals on the generic record screens.
pub struct Signals;

/// The list screen.
pub type SignalList = record::ListScreen<Signals>;
/// The detail view.
pub type DetailView = record::DetailView<Signals>;
/// The form view.
pub type FormView = record::FormView<Signals>;

impl RecordScreens for Signals {
    type Record = Signal;
    type Rows = SignalRows;
    type Form = SignalForm;
    /// One status, or all.
    type Filter = Option<SignalStatus>;

    const KIND: Kind = Kind::Signal;
    const SCREEN: &'static str = "screen.signals";
    const LOAD_JOB: &'static str = "load_signal";
    const SAVE_JOB: &'static str = "save_signal";
    const FORM_CRUMB: &'static str = "ui.crumb_signal_form";

    fn read(jx: &JobCx, id: u64) -> Result<Option<Stored<Signal>>, ServiceError> {
        jx.service.signal(jx.who, id)
    }

    fn save(jx: &JobCx, mode: FormMode, signal: Signal) -> Result<Stored<Signal>, ServiceError> {
        let saved = match mode {
            FormMode::New => jx.service.record_signal(jx.who, signal),
            FormMode::Edit { id, revision } => {
                jx.service.update_signal(jx.who, id, revision, signal)
            }
        }?;
        jx.model.put_signal(&saved);
        Ok(saved)
    }

    fn listed_revision(model: &ReadModel, id: u64) -> Option<u64> {
        model.signals().get(id).map(|r| r.revision)
    }

    fn new_draft(env: &Env) -> SignalDraft {
        SignalDraft::new(env.today)
    }

    fn draft_of(signal: &Signal) -> SignalDraft {
        SignalDraft::from_signal(signal)
    }

    fn form_ctx(env: &Env, _model: &ReadModel) -> Rules {
        env.rules.clone()
    }

    fn name(signal: &Signal) -> String {
        signal.theme.clone()
    }

    fn lines(r: &Stored<Signal>, env: &Env) -> Vec<Line<'static>> {
        let (theme, lang) = (&env.theme, env.lang);
        let s = &r.data;
        let f = |field: Field| field_label(lang, field);
        let mut out = vec![
            Line::from(Span::styled(s.theme.clone(), theme.title)),
            Line::default(),
            labelled(theme, f(Field::SignalDate), format_date(s.date)),
            labelled(theme, f(Field::Municipality), s.municipality.clone()),
            labelled(
                theme,
                f(Field::SignalSource),
                t(lang, &format!("signal_source.{}", s.source.key())).to_string(),
            ),
            labelled(
                theme,
                f(Field::BasicFunction),
                t(lang, &format!("basic_function.{}", s.basic_function.key())).to_string(),
            ),
            labelled(theme, f(Field::SignalStatus), status_name(lang, s.status)),
        ];
        for (field, text) in [
            (Field::Description, &s.description),
            (Field::ActionTaken, &s.action_taken),
        ] {
            if !text.is_empty() {
                out.push(Line::default());
                out.push(heading(theme, f(field)));
                out.extend(text.lines().map(|l| Line::from(l.to_string())));
            }
        }
        out.push(Line::default());
        out.push(bookkeeping(&r.meta, theme, lang));
        out
    }

    fn next_filter(filter: Option<SignalStatus>) -> Option<SignalStatus> {
        let all = SignalStatus::ALL;
        match filter {
            None => all.first().copied(),
            Some(s) => all
                .iter()
                .position(|x| *x == s)
                .and_then(|i| all.get(i + 1))
                .copied(),
        }
    }

    fn keeps(filter: Option<SignalStatus>, _today: Date) -> Option<Keep<SignalRows>> {
        filter.map(|s| Box::new(move |r: &SignalRow| r.status == s) as Keep<SignalRows>)
    }

    fn filter_text(filter: Option<SignalStatus>, lang: Lang) -> Option<String> {
        let shown = match filter {
            None => t(lang, "ui.signal_all").to_string(),
            Some(s) => status_name(lang, s),
        };
        Some(tf(lang, "ui.signal_filters", &[("status", shown)]))
    }

    fn below(model: &ReadModel, env: &Env) -> Vec<Line<'static>> {
        let (theme, lang) = (&env.theme, env.lang);
        let rows = model.signals();
        if rows.is_empty() {
            return Vec::new();
        }
        let counts = per_theme_per_month(
            rows.iter().map(|r| (r.date, r.theme.as_str())),
            env.today,
            THEME_MONTHS,
        );
        let first = month_back(env.today, THEME_MONTHS - 1);
        let mut out = vec![Line::from(Span::styled(
            tf(
                lang,
                "ui.signal_per_theme",
                &[
                    (
                        "from",
                        format!("{:02}-{}", u8::from(first.month()), first.year()),
                    ),
                    (
                        "to",
                        format!("{:02}-{}", u8::from(env.today.month()), env.today.year()),
                    ),
                ],
            ),
            theme.dim,
        ))];
        if counts.is_empty() {
            out.push(Line::from(t(lang, "ui.signal_none_recent").to_string()));
        }
        let most = counts
            .iter()
            .flat_map(|(_, c)| c.iter().copied())
            .max()
            .unwrap_or(0);
        for (name, per_month) in counts.iter().take(THEMES_SHOWN) {
            let name: String = name.chars().take(24).collect();
            let pad = 26usize.saturating_sub(name.chars().count());
            let total: u32 = per_month.iter().sum();
            out.push(Line::from(format!(
                "{name}{}{}  {total}",
                " ".repeat(pad),
                bars(per_month, most)
            )));
        }
        out
    }
}

/// The first day of the month `back` months before `today`'s.
fn month_back(today: Date, back: usize) -> Date {
    let index = today.year() * 12 + i32::from(u8::from(today.month())) - 1 - back as i32;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u8 + 1);
    time::Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, 1).ok())
        .unwrap_or(today)
}

/// One block per month, as high as its count against `most` (a space for none).
fn bars(counts: &[u32], most: u32) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    counts
        .iter()
        .map(|&c| {
            if c == 0 || most == 0 {
                '·'
            } else {
                BLOCKS[((c * 8).div_ceil(most) as usize).clamp(1, 8) - 1]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_back_cross_the_year_and_bars_scale_to_the_busiest_month() {
        assert_eq!(month_back(date!(2026 - 03 - 15), 5), date!(2025 - 10 - 01));
        assert_eq!(month_back(date!(2026 - 11 - 27), 0), date!(2026 - 11 - 01));
        assert_eq!(bars(&[0, 1, 4, 8], 8), "·▁▄█");
    }

    #[test]
    fn f_steps_through_the_statuses_and_back_to_all() {
        let mut f = None;
        let mut seen = Vec::new();
        for _ in 0..4 {
            f = Signals::next_filter(f);
            seen.push(f);
        }
        assert_eq!(
            seen,
            vec![
                Some(SignalStatus::New),
                Some(SignalStatus::Discussed),
                Some(SignalStatus::ActedOn),
                None
            ]
        );
    }
}
