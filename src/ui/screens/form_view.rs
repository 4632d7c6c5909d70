//! What every kind's form view does the same way: leaving a form (asking first when it holds
//! changes) and telling the user how a save that met someone else's was merged.

use crate::domain::Field;
use crate::i18n::{Lang, field_label, t, tf};
use crate::ui::component::{Cmd, Cx};
use crate::ui::modal::Confirm;

/// Leaves a form: at once when nothing was typed, else after asking whether to discard.
pub fn leave(dirty: bool, cx: &mut Cx) {
    if dirty {
        cx.modal(Confirm::new(
            t(cx.lang(), "ui.ask_discard"),
            vec![Cmd::PopView],
        ));
    } else {
        cx.close();
    }
}

/// The sentence after a conflicting save was rebased on the version `by` saved (who, and
/// when): which fields both changed (the user's value kept), or that nothing clashed. The
/// form then shows the stored value beside every field whose input differs from it.
pub fn rebased_message(lang: Lang, by: crate::service::Stamp, both: &[Field]) -> String {
    let at = format!(
        "{} {:02}:{:02}",
        crate::domain::format_date(by.at.date()),
        by.at.hour(),
        by.at.minute()
    );
    let by = by.by;
    if both.is_empty() {
        tf(lang, "ui.rebased", &[("by", by), ("at", at)])
    } else {
        let fields: Vec<&str> = both.iter().map(|f| field_label(lang, *f)).collect();
        tf(
            lang,
            "ui.rebased_both",
            &[("by", by), ("at", at), ("fields", fields.join(", "))],
        )
    }
}

/// The sentence after a save refused for `errors`: how many fields need putting right, the
/// first of them by name (short enough for the message line at 80 columns; the form marks
/// every field).
pub fn not_saved(lang: Lang, errors: &[crate::domain::FieldError]) -> String {
    let mut fields: Vec<&str> = Vec::new();
    for e in errors {
        let label = field_label(lang, e.field);
        if !fields.contains(&label) {
            fields.push(label);
        }
    }
    let first = fields.first().copied().unwrap_or_default().to_string();
    if fields.len() == 1 {
        tf(lang, "ui.form_has_error", &[("field", first)])
    } else {
        tf(
            lang,
            "ui.form_has_errors",
            &[("count", fields.len().to_string()), ("first", first)],
        )
    }
}
