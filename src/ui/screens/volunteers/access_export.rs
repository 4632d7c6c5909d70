//! The access export from a person's detail (the right of access, `A`): asks why it is made
//! (a one-field step form; the reason goes into the audit trail), then writes the letter
//! (Markdown, in the screen's language) and the JSON into the store's `access-exports`
//! folder (mode 0700, files 0600, written whole or not at all) and says where they went.
//! Only administrators, and coordinators when configured: asked of the service before the
//! question is shown.

use crate::domain::FieldError;
use crate::domain::audit::ReasonDraft;
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, t, tf};
use crate::service::{Kind, Permission, ServiceError};
use crate::ui::component::{Cx, Done, FlashKind, Job, JobCx};
use crate::ui::screens::step_form::{StepForm, StepModal};
use crate::ui::widgets::form::{Form, FormKind, FormMode};
use std::any::Any;
use std::path::{Path, PathBuf};

/// The reason form of an access export; validates into the reason and the letter's language.
#[derive(Debug, Clone, Copy)]
pub struct AccessExportForm;

impl FormKind for AccessExportForm {
    type Draft = ReasonDraft;
    type Output = (String, Lang);
    /// The language the letter is written in.
    type Ctx = Lang;
    fn validate(d: &ReasonDraft, lang: &Lang) -> Result<(String, Lang), Vec<FieldError>> {
        d.validate().map(|r| (r, *lang))
    }
    fn title(lang: Lang, _: FormMode, _: &ReasonDraft) -> String {
        t(lang, "access_export.reason_title").to_string()
    }
}

/// The files an access export wrote.
pub struct Written {
    pub name: String,
    pub letter: PathBuf,
    pub json: PathBuf,
}

/// Writes `text` to `path` safely (exclusive temporary file, 0600, renamed into place).
fn write(path: &Path, text: &str) -> Result<(), ServiceError> {
    crate::safe_file::write_replacing(path, |w| w.write_all(text.as_bytes())).map_err(|e| {
        let e = match e {
            crate::safe_file::Failed::Io(e) | crate::safe_file::Failed::Writer(e) => e,
        };
        ServiceError::Io {
            reason: format!("{}: {e}", path.display()),
        }
    })
}

impl StepForm for AccessExportForm {
    type Saved = Written;
    const JOB: &'static str = "access_export";
    const TITLE: &'static str = "access_export.reason_title";
    fn save(
        jx: &JobCx,
        mode: FormMode,
        (reason, lang): (String, Lang),
    ) -> Result<Written, ServiceError> {
        let FormMode::Edit { id, .. } = mode else {
            return Err(ServiceError::NotFound {
                kind: Kind::Volunteer,
                id: 0,
            });
        };
        let file = jx.service.access_export(jx.who, id, &reason)?;
        let dir = jx.service.access_export_dir()?;
        let at = file.made_at;
        let stem = format!(
            "access-{id}-{:04}-{:02}-{:02}-{:02}{:02}{:02}",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second()
        );
        let (letter, json) = (
            dir.join(format!("{stem}.md")),
            dir.join(format!("{stem}.json")),
        );
        write(&json, &crate::report::access::json(&file))?;
        write(&letter, &crate::report::access::letter(&file, lang))?;
        Ok(Written {
            name: file.person.data.name.full(),
            letter,
            json,
        })
    }
    fn revision(_: &Written) -> u64 {
        0
    }
    fn message(lang: Lang, saved: &Written) -> String {
        // The data has the letter's name with .json: said short, for 80 columns.
        tf(
            lang,
            "access_export.written_here",
            &[
                ("name", saved.name.clone()),
                ("path", saved.letter.display().to_string()),
            ],
        )
    }
}

/// Asks the service whether the acting account may write access exports (its role, and the
/// configuration for coordinators).
pub struct MayExport {
    pub person: u64,
}

/// The answer to [`MayExport`].
pub struct MayExportAnswer {
    pub person: u64,
    pub may: bool,
    pub role: crate::service::Role,
}

impl Job for MayExport {
    fn name(&self) -> &'static str {
        MAY_JOB
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        Box::new(MayExportAnswer {
            person: self.person,
            may: jx.service.may(jx.who, Permission::ExportPerson),
            role: jx.who.role,
        })
    }
}

/// Starts an access export of `person`: asks the service first.
pub fn start(person: u64, cx: &mut Cx) {
    cx.run(MayExport { person });
}

/// The name of the [`MayExport`] job.
pub const MAY_JOB: &str = "may_export_person";

/// Handles the answer of [`MayExport`]: the question, or why not.
pub fn on_done(done: Done, cx: &mut Cx) {
    let Some(answer) = done.take::<MayExportAnswer>() else {
        return;
    };
    let lang = cx.lang();
    if answer.may {
        cx.push(StepModal::new(Form::<AccessExportForm>::with_draft(
            FormMode::Edit {
                id: answer.person,
                revision: 0,
            },
            ReasonDraft::default(),
            lang,
        )));
    } else {
        let refused = ServiceError::Forbidden {
            role: answer.role,
            what: Permission::ExportPerson,
        };
        cx.flash(FlashKind::Error, service_error(lang, &refused));
    }
}
