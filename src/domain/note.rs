//! Knowledge notes (5 Verankeren › Kennisnotities): what the centre learned and wants to keep —
//! a title, a text of several lines, tags and the basic function it belongs to. Who wrote it
//! and when are the record's own stamps. Its fields are listed once, in the draft's table.

use super::contact::BasicFunction;
use super::draft::{self, Draft, DraftField, choice_row, text_row};
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

/// Most tags on one note.
pub const MAX_TAGS: usize = 20;
/// Most characters of one tag.
pub const MAX_TAG_CHARS: usize = 40;

/// One knowledge note. Always valid: built through [`NoteDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub title: String,
    /// The text, several lines.
    pub body: String,
    /// Short words to find it by, as typed (trimmed, without duplicates), in the order given.
    pub tags: Vec<String>,
    pub basic_function: BasicFunction,
}

impl Note {
    /// Re-checks a stored or imported note.
    pub fn problems(&self) -> Vec<FieldError> {
        match NoteDraft::from_note(self).validate() {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }
}

/// A note as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteDraft {
    pub title: String,
    pub body: String,
    /// Tags separated by commas.
    pub tags: String,
    pub basic_function: BasicFunction,
}

const NOTE_FIELDS: &[DraftField<NoteDraft>] = &[
    text_row!(NoteTitle, title, Line, required: true, max: 200),
    text_row!(Tags, tags, Line, required: false, max: 1_000),
    choice_row!(
        BasicFunction,
        basic_function,
        BasicFunction,
        "basic_function"
    ),
    text_row!(NoteText, body, Multi, required: false, max: 20_000),
];

impl Draft for NoteDraft {
    fn fields() -> &'static [DraftField<Self>] {
        NOTE_FIELDS
    }
}

/// The tags of a comma-separated text: trimmed, empty ones left out, a second spelling of the
/// same tag (in any case) left out.
pub fn split_tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let folded = tag.to_lowercase();
        if !out.iter().any(|t| t.to_lowercase() == folded) {
            out.push(tag.to_string());
        }
    }
    out
}

impl NoteDraft {
    /// The draft that edits a stored note.
    pub fn from_note(n: &Note) -> Self {
        NoteDraft {
            title: n.title.clone(),
            body: n.body.clone(),
            tags: n.tags.join(", "),
            basic_function: n.basic_function,
        }
    }

    /// Checks every field and returns the note, or every problem at once (in form order).
    pub fn validate(&self) -> Result<Note, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, problem: Problem| errors.push(FieldError::new(field, problem));
        let title = draft::line_text::<Self>(&self.title, Field::NoteTitle, &mut err);
        let tags_text = draft::line_text::<Self>(&self.tags, Field::Tags, &mut err);
        let body = draft::multi_text::<Self>(&self.body, Field::NoteText, &mut err);
        let tags = tags_text.map(|t| split_tags(&t));
        if let Some(tags) = &tags {
            if tags.len() > MAX_TAGS {
                err(
                    Field::Tags,
                    Problem::Range {
                        min: 0,
                        max: MAX_TAGS as u32,
                    },
                );
            } else if tags.iter().any(|t| t.chars().count() > MAX_TAG_CHARS) {
                err(Field::Tags, Problem::TooLong { max: MAX_TAG_CHARS });
            }
        }
        match (title, body, tags) {
            (Some(title), Some(body), Some(tags)) if errors.is_empty() => Ok(Note {
                title,
                body,
                tags,
                basic_function: self.basic_function,
            }),
            _ => {
                errors.sort_by_key(|e| Self::position(e.field));
                Err(errors)
            }
        }
    }
}

/// A note for tests.
#[cfg(test)]
pub(crate) fn sample_note() -> NoteDraft {
    NoteDraft {
        title: "Wat werkt bij het werven van jongeren".into(),
        body: "Via de sportclubs lukt het beter dan via school.\nNLdoet trekt gezinnen.".into(),
        tags: "jongeren, werving".into(),
        basic_function: BasicFunction::Verbreiden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(d: &NoteDraft) -> Vec<(Field, Problem)> {
        match d.validate() {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_note_round_trips_with_its_tags() {
        let n = sample_note().validate().unwrap();
        assert_eq!(n.tags, vec!["jongeren", "werving"]);
        assert!(n.body.contains('\n'));
        assert_eq!(NoteDraft::from_note(&n).validate().unwrap(), n);
        assert!(n.problems().is_empty());
    }

    #[test]
    fn tags_are_trimmed_and_a_second_spelling_is_left_out() {
        assert_eq!(
            split_tags(" Jongeren ,werving,, jongeren , MaS "),
            vec!["Jongeren", "werving", "MaS"]
        );
        assert!(split_tags(" , ,").is_empty());
    }

    #[test]
    fn a_note_without_a_title_and_too_many_or_too_long_tags_are_refused() {
        let d = NoteDraft {
            title: "  ".into(),
            ..sample_note()
        };
        assert_eq!(problems(&d), vec![(Field::NoteTitle, Problem::Required)]);
        let many: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect();
        let d = NoteDraft {
            tags: many.join(","),
            ..sample_note()
        };
        assert_eq!(
            problems(&d),
            vec![(Field::Tags, Problem::Range { min: 0, max: 20 })]
        );
        let d = NoteDraft {
            tags: "x".repeat(41),
            ..sample_note()
        };
        assert_eq!(
            problems(&d),
            vec![(Field::Tags, Problem::TooLong { max: 40 })]
        );
    }
}
