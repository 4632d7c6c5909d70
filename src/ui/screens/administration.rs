//! 5 Verankeren › Beheer: what is past its retention period, with the reason — people
//! inactive longer than their period, trajectories closed longer ago, old contacts (see
//! `readmodel::retention`). Worked out from the read model for today whenever it changes,
//! never by scanning the store. Enter opens the selected record. Only the roles that may
//! review retention (coordinators and administrators, `Permission::ReviewRetention`) see the
//! list; others are told why.
//!
//! An administrator anonymises the selected record (`a`) or everything listed (`A`): a
//! question says what will happen (what goes, what stays for the reports), then a form asks
//! for the reason, which the audit trail keeps; each record goes through
//! `Service::anonymise_record`. Others are told that only an administrator may.

use super::open_record;
use super::step_form::{StepForm, StepModal};
use crate::domain::FieldError;
use crate::domain::audit::ReasonDraft;
use crate::i18n::retention as words;
use crate::i18n::{Lang, t, tf};
use crate::readmodel::{ReadModel, RetentionRow};
use crate::service::{Kind, Permission, ServiceError, allowed};
use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Done, Env, FlashKind, Handled, JobCx, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::modal::Confirm;
use crate::ui::text::put;
use crate::ui::widgets::form::{Form, FormKind, FormMode};
use crate::ui::widgets::pick;
use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::any::Any;
use time::Date;

/// Column widths of kind, number, name and reason in `width` columns: the reason takes what
/// the others leave, the name gives way first on a narrow terminal.
fn widths(width: u16) -> [u16; 4] {
    let (kind, id) = (8u16, 6u16);
    let rest = width.saturating_sub(2 + kind + id + 3);
    let name = (rest / 2).clamp(10, 26);
    [kind, id, name, rest.saturating_sub(name)]
}

/// The reason asked before anonymising what is past its period; the records to anonymise
/// are the form's context, and come out with the reason.
#[derive(Debug, Clone, Copy)]
pub struct RetentionForm;

impl FormKind for RetentionForm {
    type Draft = ReasonDraft;
    type Output = (Vec<(Kind, u64)>, String);
    type Ctx = Vec<(Kind, u64)>;
    fn validate(
        d: &ReasonDraft,
        items: &Vec<(Kind, u64)>,
    ) -> Result<(Vec<(Kind, u64)>, String), Vec<FieldError>> {
        Ok((items.clone(), d.validate()?))
    }
    fn title(lang: Lang, _: FormMode, _: &ReasonDraft) -> String {
        t(lang, "retention.title_apply").to_string()
    }
}

impl StepForm for RetentionForm {
    /// How many records were anonymised.
    type Saved = usize;
    const JOB: &'static str = "anonymise_past_retention";
    const TITLE: &'static str = "retention.title_apply";
    fn save(
        jx: &JobCx,
        _mode: FormMode,
        (items, reason): (Vec<(Kind, u64)>, String),
    ) -> Result<usize, ServiceError> {
        for (kind, id) in &items {
            jx.service.anonymise_record(jx.who, *kind, *id, &reason)?;
        }
        Ok(items.len())
    }
    fn revision(_: &usize) -> u64 {
        0
    }
    fn message(lang: Lang, done: &usize) -> String {
        let key = if *done == 1 {
            "retention.applied_one"
        } else {
            "retention.applied"
        };
        tf(
            lang,
            key,
            &[("count", crate::i18n::fmt_count(lang, *done as u64))],
        )
    }
}

/// The Beheer screen.
#[derive(Default)]
pub struct Administration {
    /// The rows of the last prepared frame: the longest overdue first.
    pub rows: Vec<RetentionRow>,
    pub selected: usize,
    offset: usize,
    loaded: bool,
    /// Whether the session's role may see the list (from the service's permission table).
    allowed: bool,
    /// The model version and day the rows were worked out for.
    counted: Option<(u64, Date)>,
    /// The sentence above the list (the periods), made in `prepare`.
    intro: String,
    /// Whether the session's role may anonymise (administrators).
    may_apply: bool,
}

impl Administration {
    /// Asks what `a` (the selected record) or `A` (everything listed) will do, then the
    /// reason; only an administrator gets that far.
    fn ask(&mut self, all: bool, cx: &mut Cx) {
        let lang = cx.lang();
        if !allowed(cx.env.role, Permission::Anonymise) {
            cx.flash(FlashKind::Error, t(lang, "retention.apply_not_allowed"));
            return;
        }
        let items: Vec<(Kind, u64)> = if all {
            self.rows.iter().map(|r| (r.kind, r.id)).collect()
        } else {
            self.rows
                .get(self.selected)
                .map(|r| vec![(r.kind, r.id)])
                .unwrap_or_default()
        };
        let Some(first) = self.rows.get(self.selected) else {
            return;
        };
        let what = if all {
            tf(
                lang,
                "retention.what_all",
                &[("count", crate::i18n::fmt_count(lang, items.len() as u64))],
            )
        } else {
            format!(
                "{} {} ({})",
                words::kind(lang, first.kind),
                first.id,
                first.name
            )
        };
        let question = tf(lang, "retention.apply_question", &[("what", what)]);
        let form = StepModal::new(Form::<RetentionForm>::with_draft(
            FormMode::New,
            ReasonDraft {
                reason: t(lang, "retention.default_reason").to_string(),
            },
            items,
        ));
        cx.modal(Confirm::new(&question, vec![Cmd::Push(Box::new(form))]));
    }
}

impl Component for Administration {
    fn contexts(&self) -> Vec<Context> {
        if self.allowed {
            vec![Context::Retention, Context::List, Context::Navigation]
        } else {
            vec![Context::Navigation]
        }
    }

    fn offers(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::Search
                | Action::New
                | Action::Edit
                | Action::ChangeStatus
                | Action::FilterStatus
                | Action::FilterMunicipality
                | Action::ClearFilters
                | Action::ExportCsv
                | Action::Back
        )
    }

    fn unavailable(&self) -> Vec<Action> {
        let mut out = vec![
            Action::Search,
            Action::New,
            Action::Edit,
            Action::ChangeStatus,
            Action::FilterStatus,
            Action::FilterMunicipality,
            Action::ClearFilters,
            Action::ExportCsv,
        ];
        if !self.allowed {
            out.push(Action::Open);
        }
        if !self.may_apply || self.rows.is_empty() {
            out.extend([Action::AnonymiseSelected, Action::AnonymiseListed]);
        }
        out
    }

    fn on_mouse(&mut self, m: MouseEvent, area: Rect, cx: &mut Cx) -> bool {
        if !self.allowed {
            return false;
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.on_action(Action::Down, cx),
            MouseEventKind::ScrollUp => self.on_action(Action::Up, cx),
            MouseEventKind::Down(_) => {
                let row = m.row.saturating_sub(area.y + 2) as usize + self.offset;
                if m.row >= area.y + 2 && row < self.rows.len() {
                    self.selected = row;
                    self.on_action(Action::Open, cx);
                }
                Handled::Yes
            }
            _ => return false,
        };
        true
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        if !self.allowed {
            return Handled::No;
        }
        if pick::step(&mut self.selected, self.rows.len(), action) {
            return Handled::Yes;
        }
        match action {
            Action::Open => {
                if let Some(r) = self.rows.get(self.selected)
                    && !open_record(r.kind, r.id, cx)
                {
                    cx.flash(FlashKind::Info, t(cx.lang(), "ui.audit_no_record"));
                }
            }
            Action::AnonymiseSelected => self.ask(false, cx),
            Action::AnonymiseListed => self.ask(true, cx),
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        super::after_open(done, cx);
    }

    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        self.allowed = allowed(env.role, Permission::ReviewRetention);
        self.may_apply = allowed(env.role, Permission::Anonymise);
        self.loaded = model.loaded();
        if !self.allowed {
            return;
        }
        let now = (model.version(), env.today);
        if self.counted != Some(now) {
            let chosen = self.rows.get(self.selected).map(|r| (r.kind, r.id));
            self.rows = model.past_retention(env.today, env.retention);
            self.counted = Some(now);
            // The selection stays on the same record when the list changes.
            if let Some(c) = chosen
                && let Some(i) = self.rows.iter().position(|r| (r.kind, r.id) == c)
            {
                self.selected = i;
            }
        }
        let mut params = words::period_params(env.lang, env.retention);
        params.push((
            "count",
            crate::i18n::fmt_count(env.lang, self.rows.len() as u64),
        ));
        self.intro = tf(env.lang, "retention.intro", &params);
        let height = usize::from(area.height.saturating_sub(2));
        pick::follow(
            &mut self.selected,
            &mut self.offset,
            self.rows.len(),
            height,
        );
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        if !self.allowed {
            let lines = vec![
                Line::styled(t(lang, "screen.administration"), theme.title),
                Line::default(),
                Line::from(t(lang, "retention.not_allowed")),
            ];
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(area, buf);
            return None;
        }
        if area.height < 3 || area.width == 0 {
            return None;
        }
        put(buf, area.x, area.y, area.right(), &self.intro, theme.dim);
        let titles = [
            t(lang, "retention.col_kind"),
            t(lang, "retention.col_id"),
            t(lang, "retention.col_name"),
            t(lang, "retention.col_reason"),
        ];
        let widths = widths(area.width);
        pick::headings(buf, area, &titles, &widths, theme.title);
        if pick::instead_of_rows(
            buf,
            area,
            (self.loaded, self.rows.is_empty()),
            (t(lang, "ui.loading"), t(lang, "retention.empty")),
            theme.dim,
        ) {
            return None;
        }
        let shown = usize::from(area.height - 2);
        for (i, r) in self.rows.iter().enumerate().skip(self.offset).take(shown) {
            let y = area.y + 2 + (i - self.offset) as u16;
            let selected = i == self.selected;
            let style = if selected { theme.selected } else { theme.base };
            let cells = [
                words::kind(lang, r.kind),
                r.id.to_string(),
                r.name.clone(),
                words::reason_short(lang, r.reason),
            ];
            pick::row(
                buf,
                area,
                y,
                (selected, theme.selected),
                &cells,
                &widths,
                style,
            );
        }
        None
    }

    fn help_note(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "retention.help").to_string())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_gets_what_the_other_columns_leave() {
        for width in [40u16, 80, 120, 200] {
            let w = widths(width);
            assert_eq!(2 + w.iter().sum::<u16>() + 3, width);
            assert!(w[3] >= w[2], "{width}: {w:?}");
        }
    }
}
