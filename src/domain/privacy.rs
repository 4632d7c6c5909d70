//! Privacy by design (AVG): what anonymising keeps of each kind of record, and how a
//! person's name and contact details are taken out of the free text of records that are not
//! linked to them.
//!
//! Every record kind says explicitly what anonymising does to it ([`Personal`], one impl
//! per kind below, no default): it keeps what the periodic report (`report`) and the read
//! model's counts use — dates, municipality, status, target group, the trajectory's kind,
//! phases, ladder steps, outcome and MaS hours, a placement's dates and end reason — and
//! blanks or replaces everything that says who the person is: names, the real birth date,
//! address, postcode, phone, e-mail and every free text (notes, motivation, skills, meeting
//! notes, goals, reasons, the names copied into other records). `docs/privacy.md` lists it per
//! kind for people.

use super::activity::Activity;
use super::audit::AuditEvent;
use super::contact::Contact;
use super::dates::{age_on, years_ahead};
use super::note::Note;
use super::organisation::Organisation;
use super::placement::Placement;
use super::signal::Signal;
use super::staff::StaffAccount;
use super::target::Target;
use super::trajectory::Trajectory;
use super::vacancy::Vacancy;
use super::volunteer::{Volunteer, YOUTH_MAX_AGE, target_groups};
use super::{PersonName, phone::format_phone};
use time::Date;

/// What stands in for a text that may not be empty (a title, a subject) once its content is
/// gone, and for a mention of an erased person in someone else's text.
pub const REMOVED: &str = "—";

/// What anonymising and erasing do to one kind of record.
pub trait Personal: Sized + PartialEq {
    /// The record with everything that identifies a person replaced, keeping what the reports
    /// and counts use; anonymised on `on`. `None` when the kind holds nothing about the
    /// people the centre serves (a vacancy, a staff account, a target): nothing to do.
    /// Anonymising an anonymised record changes nothing.
    fn anonymised(&self, on: Date) -> Option<Self>;

    /// The record with every literal mention of an erased person (their name, e-mail
    /// address, phone number as `mentions` has them) replaced by [`REMOVED`] in its free
    /// text; `None` when it mentions none of them.
    fn scrubbed(&self, mentions: &Mentions) -> Option<Self>;
}

/// How a person is written in other people's text: their full name ("Anouk van den Berg"),
/// their filed name ("Berg, Anouk van den"), e-mail address and phone number (digits and as
/// written, "078-770 85 00"). Matching is exact (also in case), as the person's record
/// spells them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    needles: Vec<String>,
}

impl Mentions {
    /// The mentions of `v`.
    pub fn of(v: &Volunteer) -> Mentions {
        let mut needles = Vec::new();
        let full = v.name.full();
        // A lone given name ("Jan") is too common to take out of other people's text.
        if full.contains(' ') {
            needles.push(full);
            needles.push(v.name.filed());
        }
        if !v.email.is_empty() {
            needles.push(v.email.clone());
        }
        if v.phone.len() >= 6 {
            needles.push(v.phone.clone());
            let shown = format_phone(&v.phone);
            if shown != v.phone {
                needles.push(shown);
            }
        }
        // Longest first, so "Berg, Anouk van den" goes whole before any shorter needle
        // inside it.
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        needles.dedup();
        Mentions { needles }
    }

    /// The strings looked for, longest first.
    pub fn needles(&self) -> &[String] {
        &self.needles
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `text` with every mention replaced by [`REMOVED`]; `None` when there is none.
    pub fn scrub(&self, text: &str) -> Option<String> {
        let mut out = None::<String>;
        for n in &self.needles {
            let current = out.as_deref().unwrap_or(text);
            if current.contains(n.as_str()) {
                out = Some(current.replace(n.as_str(), REMOVED));
            }
        }
        out
    }

    /// Scrubs every text in `fields`; whether any changed.
    fn scrub_all(&self, fields: &mut [&mut String]) -> bool {
        let mut changed = false;
        for f in fields.iter_mut() {
            if let Some(s) = self.scrub(f) {
                **f = s;
                changed = true;
            }
        }
        changed
    }
}

/// [`REMOVED`], for a text that may not be empty.
fn removed() -> String {
    REMOVED.to_string()
}

/// The age in five-year bands that keeps the person's target group at intake: 27 becomes 25
/// (still young), 28 becomes 30 (not young), 58 becomes 55 (still senior).
fn age_band(age: i32) -> i32 {
    let band = age.max(0) / 5 * 5;
    if age > YOUTH_MAX_AGE && band <= YOUTH_MAX_AGE {
        band + 5
    } else {
        band
    }
}

/// A birth date that keeps what the reports count — the target groups at the intake date,
/// from the age in a five-year band — and never the real date.
pub fn anonymous_birth_date(birth: Date, intake: Date) -> Date {
    let band = age_band(age_on(birth, intake));
    let date = years_ahead(intake, -band);
    if date == birth {
        date.previous_day().unwrap_or(date)
    } else {
        date
    }
}

impl Personal for Volunteer {
    /// Keeps: municipality, status, intake date, kwetsbaar, how they found the centre,
    /// consent (date and scope), interests, availability, hours, VOG; the birth date becomes
    /// one with the same target groups at intake ([`anonymous_birth_date`]). Blanks: name,
    /// address, postcode, phone, e-mail, skills, motivation, notes.
    fn anonymised(&self, on: Date) -> Option<Self> {
        if self.anonymised.is_some() {
            return Some(self.clone());
        }
        Some(Volunteer {
            name: PersonName::default(),
            birth_date: anonymous_birth_date(self.birth_date, self.intake_date),
            address: String::new(),
            postcode: String::new(),
            phone: String::new(),
            email: String::new(),
            skills: String::new(),
            motivation: String::new(),
            notes: String::new(),
            anonymised: Some(on),
            ..self.clone()
        })
    }

    /// A person's own record is anonymised, not scrubbed; another person's notes may name
    /// them.
    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut v = self.clone();
        let changed = mentions.scrub_all(&mut [
            &mut v.skills,
            &mut v.motivation,
            &mut v.notes,
            &mut v.address,
        ]);
        changed.then_some(v)
    }
}

impl Personal for Trajectory {
    /// Keeps: kind, person id, municipality, consultant, start, phases (date, phase, by),
    /// goals (status and dates), ladder steps and dates, meetings (date, by, next due),
    /// handovers (date, from, to), next meeting, outcome, end step, closing date, MaS hours
    /// required and logged. Blanks: the person's name, the referrer, every reason, goal text,
    /// ladder note, meeting summary and actions, the MaS school and its contact.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        let mut t = self.clone();
        t.person_name = String::new();
        t.referrer = Default::default();
        for p in &mut t.phases {
            p.reason = String::new();
        }
        for g in &mut t.goals {
            g.text = removed();
        }
        for l in &mut t.ladder {
            l.note = String::new();
        }
        for m in &mut t.meetings {
            m.summary = String::new();
            m.actions = String::new();
        }
        for r in &mut t.reassignments {
            r.reason = String::new();
        }
        if let Some(m) = &mut t.mas {
            m.school = String::new();
            m.school_contact = String::new();
        }
        Some(t)
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut t = self.clone();
        let mut changed = mentions.scrub_all(&mut [
            &mut t.referrer.organisation,
            &mut t.referrer.client_manager,
            &mut t.referrer.contact,
        ]);
        for p in &mut t.phases {
            changed |= mentions.scrub_all(&mut [&mut p.reason]);
        }
        for g in &mut t.goals {
            changed |= mentions.scrub_all(&mut [&mut g.text]);
        }
        for l in &mut t.ladder {
            changed |= mentions.scrub_all(&mut [&mut l.note]);
        }
        for m in &mut t.meetings {
            changed |= mentions.scrub_all(&mut [&mut m.summary, &mut m.actions]);
        }
        for r in &mut t.reassignments {
            changed |= mentions.scrub_all(&mut [&mut r.reason]);
        }
        changed.then_some(t)
    }
}

impl Personal for Placement {
    /// Keeps: volunteer and vacancy ids, the vacancy's title and organisation, status, the
    /// proposed, placed and ended dates, end reason. Blanks: the volunteer's name and the
    /// reason given for placing without a VOG.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        Some(Placement {
            volunteer_name: String::new(),
            vog_override: String::new(),
            ..self.clone()
        })
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut p = self.clone();
        mentions
            .scrub_all(&mut [&mut p.volunteer_name, &mut p.vog_override])
            .then_some(p)
    }
}

impl Personal for Activity {
    /// Keeps: date, kind, basic function, organisations, participants, held, who was thanked
    /// (by id) and why. Replaces the title (a thank-you names the person) and blanks the
    /// notes.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        Some(Activity {
            title: removed(),
            notes: String::new(),
            ..self.clone()
        })
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut a = self.clone();
        let changed = mentions.scrub_all(&mut [&mut a.title, &mut a.notes]);
        (changed && !a.title.trim().is_empty()).then_some(a)
    }
}

impl Personal for Contact {
    /// Keeps: organisation, date, channel, basic function, follow-up and done. Blanks the
    /// person spoken to and the notes, replaces the subject.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        Some(Contact {
            contact_person: String::new(),
            subject: removed(),
            notes: String::new(),
            ..self.clone()
        })
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut c = self.clone();
        mentions
            .scrub_all(&mut [&mut c.contact_person, &mut c.subject, &mut c.notes])
            .then_some(c)
    }
}

impl Personal for Note {
    /// A knowledge note has no report value: anonymised, only its tags and basic function
    /// stay; the title is replaced, the body blanked.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        Some(Note {
            title: removed(),
            body: String::new(),
            ..self.clone()
        })
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut n = self.clone();
        mentions
            .scrub_all(&mut [&mut n.title, &mut n.body])
            .then_some(n)
    }
}

impl Personal for Signal {
    /// Keeps: date, theme (counted), municipality, source, basic function, status. Blanks the
    /// description, replaces what was done.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        Some(Signal {
            description: String::new(),
            action_taken: if self.action_taken.is_empty() {
                String::new()
            } else {
                removed()
            },
            ..self.clone()
        })
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut s = self.clone();
        mentions
            .scrub_all(&mut [&mut s.description, &mut s.action_taken])
            .then_some(s)
    }
}

impl Personal for Organisation {
    /// An organisation is not a person the centre serves: not anonymised (its contact
    /// persons are its own staff).
    fn anonymised(&self, _on: Date) -> Option<Self> {
        None
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut o = self.clone();
        mentions.scrub_all(&mut [&mut o.notes]).then_some(o)
    }
}

impl Personal for Vacancy {
    /// A vacancy holds nothing about the people the centre serves.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        None
    }

    fn scrubbed(&self, mentions: &Mentions) -> Option<Self> {
        let mut v = self.clone();
        mentions.scrub_all(&mut [&mut v.description]).then_some(v)
    }
}

impl Personal for StaffAccount {
    /// A staff account is a colleague's, kept for the history it made.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        None
    }

    fn scrubbed(&self, _mentions: &Mentions) -> Option<Self> {
        None
    }
}

impl Personal for Target {
    /// Targets are numbers per municipality and year.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        None
    }

    fn scrubbed(&self, _mentions: &Mentions) -> Option<Self> {
        None
    }
}

impl Personal for AuditEvent {
    /// Redacted as `docs/audit.md` describes: the personal payload (subject, detail,
    /// person, fields) emptied, `chain.redacted` set, `chain.payload` kept, so every hash in
    /// the chain stays valid. Keeps: id, time, actor, action.
    fn anonymised(&self, _on: Date) -> Option<Self> {
        let mut e = self.clone();
        if !e.is_chained() {
            // Never chained (a store not yet migrated): there is no payload hash to keep.
            return None;
        }
        e.subject = String::new();
        e.detail = String::new();
        e.person = None;
        e.fields = Vec::new();
        e.chain.redacted = true;
        Some(e)
    }

    /// An audit entry's detail is English bookkeeping, never free text about a person;
    /// entries about the person are redacted whole instead.
    fn scrubbed(&self, _mentions: &Mentions) -> Option<Self> {
        None
    }
}

/// Whether anonymising `v` keeps its target groups at intake (what the report counts by).
pub fn keeps_target_groups(before: &Volunteer, after: &Volunteer) -> bool {
    target_groups(before.birth_date, before.intake_date, before.vulnerable)
        == target_groups(after.birth_date, after.intake_date, after.vulnerable)
}

/// What is done to a person who withdrew their consent or asked to be forgotten.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Remedy {
    /// Erased (the right to erasure): anonymised, and their mentions taken out elsewhere.
    #[default]
    Erase,
    /// Anonymised: kept for the counts, nothing that says who they are.
    Anonymise,
}

impl super::draft::Keyed for Remedy {
    const ALL: &'static [Remedy] = &[Remedy::Erase, Remedy::Anonymise];
    fn key(self) -> &'static str {
        match self {
            Remedy::Erase => "erase",
            Remedy::Anonymise => "anonymise",
        }
    }
}

/// The confirmation of an erasure or anonymisation as typed: which, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivacyDraft {
    pub remedy: Remedy,
    pub reason: String,
}

const PRIVACY_FIELDS: &[super::draft::DraftField<PrivacyDraft>] = &[
    super::draft::choice_row!(Remedy, remedy, Remedy, "remedy"),
    super::draft::text_row!(Reason, reason, Multi, required: true, max: 2_000),
];

impl super::draft::Draft for PrivacyDraft {
    fn fields() -> &'static [super::draft::DraftField<Self>] {
        PRIVACY_FIELDS
    }
}

impl PrivacyDraft {
    /// What to do and why, or the problem beside the reason.
    pub fn validate(&self) -> Result<(Remedy, String), Vec<super::FieldError>> {
        let reason = super::audit::ReasonDraft {
            reason: self.reason.clone(),
        }
        .validate()?;
        Ok((self.remedy, reason))
    }
}

#[cfg(test)]
mod tests;
