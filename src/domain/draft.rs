//! Drafts as data: a record kind's draft (what a form or an import line holds before it is
//! validated) describes its fields once, in a table of [`DraftField`]s. Everything that goes
//! field by field — the three-way merge after a conflict ([`rebase`]), length limits, which
//! fields are required, the order of fields and errors, and the forms of the ui — reads that
//! table, so a field is added in one place.
//!
//! Owns the table types, [`rebase`] and the [`Keyed`] helper for choice values. Does not own
//! validation (each kind validates its own draft) or anything of drawing: no ui types here.

use super::volunteer::Availability;
use super::{Field, Problem};
use std::fmt::Debug;

/// A draft of one record kind, described field by field.
pub trait Draft: Clone + PartialEq + Debug + 'static {
    /// Every field of the draft, in form order (also the order errors are listed in).
    fn fields() -> &'static [DraftField<Self>];

    /// The table row of `field`, when the draft has that field.
    fn field(field: Field) -> Option<&'static DraftField<Self>> {
        Self::fields().iter().find(|f| f.field == field)
    }

    /// Where `field` stands in form order (fields of other kinds sort last).
    fn position(field: Field) -> usize {
        Self::fields()
            .iter()
            .position(|f| f.field == field)
            .unwrap_or(usize::MAX)
    }
}

/// What kind of text a text field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line.
    Line,
    /// One line holding a date (`dd-mm-jjjj`).
    Date,
    /// Several lines.
    Multi,
}

/// How a field's value is read from and written into the draft `D`. The variant says what
/// kind of value it is (and so how a form edits it).
pub enum Value<D: 'static> {
    /// Text.
    Text {
        kind: TextKind,
        get: fn(&D) -> &String,
        get_mut: fn(&mut D) -> &mut String,
    },
    /// One of a few values, by key. `options` gets the draft the edit started from (the
    /// status offered depends on the stored status). Option `k` is called `<catalog>.<k>`.
    Choice {
        get: fn(&D) -> &'static str,
        set: fn(&mut D, &str),
        options: fn(&D) -> Vec<&'static str>,
        catalog: &'static str,
    },
    /// Any number of values, by key, kept in option order. Option `k` is called
    /// `<catalog>.<k>`.
    Choices {
        get: fn(&D) -> Vec<&'static str>,
        set: fn(&mut D, &[&str]),
        options: fn() -> Vec<&'static str>,
        catalog: &'static str,
    },
    /// Yes or no.
    Flag {
        get: fn(&D) -> bool,
        set: fn(&mut D, bool),
    },
    /// Slots of a week: 7 days × 3 dayparts.
    Week {
        get: fn(&D) -> Availability,
        set: fn(&mut D, Availability),
    },
}

/// When a field is part of the form.
pub enum Shown<D: 'static> {
    /// Always.
    Always,
    /// Only when a stored record is edited (not in a new one).
    Editing,
    /// Only while `when` holds for the draft; `by` is the field whose value decides, which
    /// takes the focus when the hidden field is asked for. A hidden text field is left out
    /// (emptied) of the draft a form hands over.
    When { by: Field, when: fn(&D) -> bool },
}

/// One field of a draft: its id, how to reach its value, and its limits.
pub struct DraftField<D: 'static> {
    pub field: Field,
    pub value: Value<D>,
    /// Must not be left empty.
    pub required: bool,
    /// Most characters of a text field (0 for other values).
    pub max_len: usize,
    pub shown: Shown<D>,
}

impl<D> DraftField<D> {
    /// Whether `a` and `b` hold the same value in this field.
    pub fn same(&self, a: &D, b: &D) -> bool {
        match &self.value {
            Value::Text { get, .. } => get(a) == get(b),
            Value::Choice { get, .. } => get(a) == get(b),
            Value::Choices { get, .. } => get(a) == get(b),
            Value::Flag { get, .. } => get(a) == get(b),
            Value::Week { get, .. } => get(a) == get(b),
        }
    }

    /// Copies this field's value from `from` into `to`.
    pub fn copy(&self, to: &mut D, from: &D) {
        match &self.value {
            Value::Text { get, get_mut, .. } => get(from).clone_into(get_mut(to)),
            Value::Choice { get, set, .. } => set(to, get(from)),
            Value::Choices { get, set, .. } => set(to, &get(from)),
            Value::Flag { get, set } => set(to, get(from)),
            Value::Week { get, set } => set(to, get(from)),
        }
    }

    /// The text of a text field (`None` for other values).
    pub fn text<'a>(&self, d: &'a D) -> Option<&'a String> {
        match &self.value {
            Value::Text { get, .. } => Some(get(d)),
            _ => None,
        }
    }

    /// The text of a text field, to change (`None` for other values).
    pub fn text_mut<'a>(&self, d: &'a mut D) -> Option<&'a mut String> {
        match &self.value {
            Value::Text { get_mut, .. } => Some(get_mut(d)),
            _ => None,
        }
    }
}

/// Three-way merge after a conflict, field by field over the draft's table: starting from
/// `theirs` (what is stored now), every field the user changed (`mine` differs from `base`,
/// the version they opened) takes the user's value. Returns the merged draft and the fields
/// both sides changed differently (the user's value wins there; the caller should point them
/// out), in form order.
pub fn rebase<D: Draft>(base: &D, mine: &D, theirs: &D) -> (D, Vec<Field>) {
    let mut merged = theirs.clone();
    let mut both = Vec::new();
    for f in D::fields() {
        if !f.same(mine, base) {
            if !f.same(theirs, base) && !f.same(theirs, mine) {
                both.push(f.field);
            }
            f.copy(&mut merged, mine);
        }
    }
    (merged, both)
}

/// A new draft's details carried onto a record that turned out to exist already (a duplicate
/// intake): every text the new draft holds that differs (a new address, phone number), every
/// list of choices and week it filled in that differ. Single choices and yes/no values, which
/// a new draft holds by default, stay as stored, as do the fields in `keep` (bookkeeping such
/// as the intake date). Returns the carried draft and the fields taken from `new`.
pub fn carry<D: Draft>(existing: &D, new: &D, keep: &[Field]) -> (D, Vec<Field>) {
    let mut carried = existing.clone();
    let mut taken = Vec::new();
    for f in D::fields() {
        if keep.contains(&f.field) || f.same(existing, new) {
            continue;
        }
        let filled = match &f.value {
            Value::Text { get, .. } => !get(new).trim().is_empty(),
            Value::Choices { get, .. } => !get(new).is_empty(),
            Value::Week { get, .. } => get(new).count() > 0,
            Value::Choice { .. } | Value::Flag { .. } => false,
        };
        if filled {
            f.copy(&mut carried, new);
            taken.push(f.field);
        }
    }
    (carried, taken)
}

/// A value chosen from a fixed list, named by a key (the catalog key after its prefix).
pub trait Keyed: Copy + PartialEq + 'static {
    /// Every value, in the order they are offered.
    const ALL: &'static [Self];

    /// The key of this value.
    fn key(self) -> &'static str;

    /// The value with `key`.
    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.key() == key)
    }

    /// The keys of every value.
    fn keys() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.key()).collect()
    }
}

/// Sets `slot` to the value with `key`; an unknown key leaves it as it is.
pub fn set_key<K: Keyed>(slot: &mut K, key: &str) {
    if let Some(v) = K::from_key(key) {
        *slot = v;
    }
}

/// The values with `keys`, in the order of [`Keyed::ALL`], without repeats.
pub fn from_keys<K: Keyed>(keys: &[&str]) -> Vec<K> {
    K::ALL
        .iter()
        .copied()
        .filter(|v| keys.contains(&v.key()))
        .collect()
}

/// A text field of a draft, for a kind's table: `text_row!(Field, member, Line, required:
/// true, max: 100)` (optionally followed by a [`Shown`]).
macro_rules! text_row {
    ($field:ident, $name:ident, $kind:ident, required: $required:expr, max: $max:expr) => {
        $crate::domain::draft::text_row!(
            $field, $name, $kind, required: $required, max: $max,
            $crate::domain::draft::Shown::Always
        )
    };
    ($field:ident, $name:ident, $kind:ident, required: $required:expr, max: $max:expr, $shown:expr) => {
        $crate::domain::draft::DraftField {
            field: $crate::domain::Field::$field,
            value: $crate::domain::draft::Value::Text {
                kind: $crate::domain::draft::TextKind::$kind,
                get: |d| &d.$name,
                get_mut: |d| &mut d.$name,
            },
            required: $required,
            max_len: $max,
            shown: $shown,
        }
    };
}

/// A choice of a draft among every value of a [`Keyed`] type: `choice_row!(Field, member,
/// Type, "catalog")`.
macro_rules! choice_row {
    ($field:ident, $name:ident, $ty:ty, $catalog:literal) => {
        $crate::domain::draft::DraftField {
            field: $crate::domain::Field::$field,
            value: $crate::domain::draft::Value::Choice {
                get: |d| $crate::domain::draft::Keyed::key(d.$name),
                set: |d, k| $crate::domain::draft::set_key(&mut d.$name, k),
                options: |_| <$ty as $crate::domain::draft::Keyed>::keys(),
                catalog: $catalog,
            },
            required: true,
            max_len: 0,
            shown: $crate::domain::draft::Shown::Always,
        }
    };
}

/// Any number of values of a [`Keyed`] type, kept as a `Vec`: `choices_row!(Field, member,
/// Type, "catalog")`.
macro_rules! choices_row {
    ($field:ident, $name:ident, $ty:ty, $catalog:literal) => {
        $crate::domain::draft::DraftField {
            field: $crate::domain::Field::$field,
            value: $crate::domain::draft::Value::Choices {
                get: |d| {
                    d.$name
                        .iter()
                        .map(|v| $crate::domain::draft::Keyed::key(*v))
                        .collect()
                },
                set: |d, keys| d.$name = $crate::domain::draft::from_keys(keys),
                options: <$ty as $crate::domain::draft::Keyed>::keys,
                catalog: $catalog,
            },
            required: false,
            max_len: 0,
            shown: $crate::domain::draft::Shown::Always,
        }
    };
}

/// A yes/no field of a draft: `flag_row!(Field, member)`.
macro_rules! flag_row {
    ($field:ident, $name:ident) => {
        $crate::domain::draft::DraftField {
            field: $crate::domain::Field::$field,
            value: $crate::domain::draft::Value::Flag {
                get: |d| d.$name,
                set: |d, v| d.$name = v,
            },
            required: false,
            max_len: 0,
            shown: $crate::domain::draft::Shown::Always,
        }
    };
}

pub(crate) use {choice_row, choices_row, flag_row, text_row};

/// A one-line text field of draft `D`: trimmed, spaces collapsed, no control characters,
/// within the table's length limit; required when the table says so. `None` when a problem
/// was reported through `err`.
pub fn line_text<D: Draft>(
    raw: &str,
    field: Field,
    err: &mut impl FnMut(Field, Problem),
) -> Option<String> {
    let value = super::name::collapse_spaces(raw);
    let row = D::field(field);
    if row.is_some_and(|f| f.required) && value.is_empty() {
        err(field, Problem::Required);
        return None;
    }
    if raw.chars().any(|c| c.is_control() && c != '\t') {
        err(field, Problem::ControlCharacter);
        return None;
    }
    let max = row.map_or(0, |f| f.max_len);
    if value.chars().count() > max {
        err(field, Problem::TooLong { max });
        return None;
    }
    Some(value)
}

/// A free-text field of draft `D`: may hold line breaks, trimmed, within the table's length
/// limit; required when the table says so.
pub fn multi_text<D: Draft>(
    raw: &str,
    field: Field,
    err: &mut impl FnMut(Field, Problem),
) -> Option<String> {
    let value = raw.trim().to_string();
    let row = D::field(field);
    if row.is_some_and(|f| f.required) && value.is_empty() {
        err(field, Problem::Required);
        return None;
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        err(field, Problem::ControlCharacter);
        return None;
    }
    let max = row.map_or(0, |f| f.max_len);
    if value.chars().count() > max {
        err(field, Problem::TooLong { max });
        return None;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny draft kind: proves the table machinery does not depend on the volunteer.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Note {
        title: String,
        urgent: bool,
    }

    impl Draft for Note {
        fn fields() -> &'static [DraftField<Self>] {
            const FIELDS: &[DraftField<Note>] = &[
                DraftField {
                    field: Field::Notes,
                    value: Value::Text {
                        kind: TextKind::Line,
                        get: |d| &d.title,
                        get_mut: |d| &mut d.title,
                    },
                    required: true,
                    max_len: 10,
                    shown: Shown::Always,
                },
                DraftField {
                    field: Field::Vulnerable,
                    value: Value::Flag {
                        get: |d| d.urgent,
                        set: |d, v| d.urgent = v,
                    },
                    required: false,
                    max_len: 0,
                    shown: Shown::Always,
                },
            ];
            FIELDS
        }
    }

    #[test]
    fn rebase_goes_over_the_table_of_any_kind() {
        let base = Note::default();
        let mine = Note {
            title: "mine".into(),
            urgent: false,
        };
        let theirs = Note {
            title: "theirs".into(),
            urgent: true,
        };
        let (merged, both) = rebase(&base, &mine, &theirs);
        assert_eq!(
            merged,
            Note {
                title: "mine".into(),
                urgent: true
            }
        );
        assert_eq!(both, vec![Field::Notes]);
        assert_eq!(Note::position(Field::Vulnerable), 1);
        assert_eq!(Note::field(Field::Notes).map(|f| f.max_len), Some(10));
    }
}
