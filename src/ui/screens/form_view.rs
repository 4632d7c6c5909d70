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

/// The sentence after a conflicting save was rebased on `by`'s version: which fields both
/// changed (the user's value kept), or that nothing clashed.
pub fn rebased_message(lang: Lang, by: String, both: &[Field]) -> String {
    if both.is_empty() {
        tf(lang, "ui.rebased", &[("by", by)])
    } else {
        let fields: Vec<&str> = both.iter().map(|f| field_label(lang, *f)).collect();
        tf(
            lang,
            "ui.rebased_both",
            &[("by", by), ("fields", fields.join(", "))],
        )
    }
}
