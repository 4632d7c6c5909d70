//! The access export (the right of access) as the files a person receives: the versioned
//! JSON ([`json`], layout in `docs/access-export.md`) and a letter in Markdown ([`letter`]),
//! in Dutch or English, that says what is stored, why, how long and what their rights are,
//! and then lists every record of the [`PersonFile`].

use crate::domain::access::{AuditLine, Entry, PersonFile};
use crate::domain::draft::Keyed;
use crate::domain::trajectory::Trajectory;
use crate::domain::volunteer::{Daypart, Vog};
use crate::domain::{Field, format_date};
use crate::i18n::{Lang, field_label, t, tf};
use std::fmt::Write;
use time::OffsetDateTime;

/// The export as pretty-printed JSON, ending in a line break.
pub fn json(file: &PersonFile) -> String {
    let mut s = serde_json::to_string_pretty(file).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// Text typed by people, made safe to put into Markdown: characters that would start
/// markup are escaped, and line breaks stay line breaks.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("  \n  "),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escaped text, or a dash when there is none.
fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".into()
    } else {
        esc(text)
    }
}

fn date_opt(d: Option<time::Date>) -> String {
    d.map_or_else(|| "—".into(), format_date)
}

fn time_text(at: OffsetDateTime) -> String {
    format!(
        "{} {:02}:{:02}",
        format_date(at.date()),
        at.hour(),
        at.minute()
    )
}

fn name_of<K: Keyed>(lang: Lang, catalog: &str, k: K) -> String {
    t(lang, &format!("{catalog}.{}", k.key())).to_string()
}

/// The letter in `lang`.
pub fn letter(file: &PersonFile, lang: Lang) -> String {
    let mut out = String::new();
    let v = &file.person.data;
    let l = |key: &str| t(lang, key).to_string();
    let f = |field: Field| field_label(lang, field).to_string();
    let _ = writeln!(out, "# {}\n", l("access_letter.title"));
    let _ = writeln!(out, "{}\n", format_date(file.made_at.date()));
    let _ = writeln!(
        out,
        "{}\n",
        tf(lang, "access_letter.dear", &[("name", esc(&v.name.full()))])
    );
    let _ = writeln!(
        out,
        "{}\n",
        tf(
            lang,
            "access_letter.intro",
            &[("date", format_date(file.made_at.date()))]
        )
    );

    let _ = writeln!(out, "## {}\n", l("access_letter.why_title"));
    let _ = writeln!(
        out,
        "{}\n",
        tf(
            lang,
            "access_letter.why",
            &[
                ("date", format_date(v.consent.given_on)),
                (
                    "scope",
                    name_of(lang, "consent_scope", v.consent.scope).to_lowercase()
                ),
            ]
        )
    );
    let _ = writeln!(out, "## {}\n", l("access_letter.how_long_title"));
    let _ = writeln!(
        out,
        "{}\n",
        tf(
            lang,
            "access_letter.how_long",
            &[("years", file.retention_years.to_string())]
        )
    );
    let _ = writeln!(out, "## {}\n", l("access_letter.rights_title"));
    for key in [
        "access_letter.right_rectify",
        "access_letter.right_erase",
        "access_letter.right_object",
        "access_letter.right_complain",
    ] {
        let _ = writeln!(out, "- {}", l(key));
    }
    out.push('\n');

    // Their own record.
    let _ = writeln!(out, "## {}\n", l("access_letter.details_title"));
    let _ = writeln!(
        out,
        "| {} | {} |\n|---|---|",
        l("access_letter.column_field"),
        l("access_letter.column_value")
    );
    let mut row = |label: String, value: String| {
        let _ = writeln!(out, "| {} | {} |", esc(&label), value.replace('\n', "<br>"));
    };
    row(f(Field::GivenName), or_dash(&v.name.given));
    row(f(Field::Prefix), or_dash(&v.name.prefix));
    row(f(Field::FamilyName), or_dash(&v.name.family));
    row(f(Field::BirthDate), format_date(v.birth_date));
    row(f(Field::Address), or_dash(&v.address));
    row(f(Field::Postcode), or_dash(&v.postcode));
    row(f(Field::Municipality), or_dash(&v.municipality));
    row(f(Field::Phone), or_dash(&v.phone_display()));
    row(f(Field::Email), or_dash(&v.email));
    let interests: Vec<String> = v
        .interests
        .iter()
        .map(|i| name_of(lang, "interest", *i))
        .collect();
    row(f(Field::Interests), or_dash(&interests.join(", ")));
    row(f(Field::Skills), or_dash(&v.skills));
    let mut week = Vec::new();
    for (day, day_key) in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .enumerate()
    {
        let parts: Vec<String> = Daypart::ALL
            .iter()
            .filter(|p| v.availability.get(day, **p))
            .map(|p| t(lang, &format!("daypart.{}", p.key())).to_lowercase())
            .collect();
        if !parts.is_empty() {
            week.push(format!(
                "{} {}",
                t(lang, &format!("day.{day_key}")),
                parts.join(", ")
            ));
        }
    }
    row(f(Field::Availability), or_dash(&week.join("; ")));
    row(
        f(Field::HoursPerWeek),
        if v.hours_per_week == 0 {
            "—".into()
        } else {
            v.hours_per_week.to_string()
        },
    );
    row(f(Field::Motivation), or_dash(&v.motivation));
    row(f(Field::FoundVia), name_of(lang, "found_via", v.found_via));
    let vog = match v.vog {
        Vog::NotNeeded | Vog::Needed => name_of(lang, "vog", v.vog.state()),
        Vog::Requested { requested } => {
            format!("{} {}", l("vog.requested"), format_date(requested))
        }
        Vog::Received { received, .. } => {
            format!("{} {}", l("vog.received"), format_date(received))
        }
    };
    row(f(Field::Vog), vog);
    row(
        f(Field::Consent),
        format!(
            "{} ({})",
            format_date(v.consent.given_on),
            name_of(lang, "consent_scope", v.consent.scope)
        ),
    );
    row(f(Field::Status), name_of(lang, "status", v.status));
    row(f(Field::IntakeDate), format_date(v.intake_date));
    row(
        f(Field::Vulnerable),
        l(if v.vulnerable {
            "access_letter.yes"
        } else {
            "access_letter.no"
        }),
    );
    row(f(Field::Notes), or_dash(&v.notes));
    out.push('\n');
    written_line(&mut out, lang, &file.person);

    // Placements.
    let _ = writeln!(
        out,
        "## {}\n",
        tf(
            lang,
            "access_letter.placements_title",
            &[("count", file.placements.len().to_string())]
        )
    );
    if file.placements.is_empty() {
        let _ = writeln!(out, "{}\n", l("access_letter.none"));
    }
    for p in &file.placements {
        let d = &p.data;
        let _ = writeln!(
            out,
            "### {} — {}\n",
            esc(&d.vacancy_title),
            esc(&d.organisation_name)
        );
        let _ = writeln!(
            out,
            "- {}: {}",
            l("access_letter.stage"),
            name_of(lang, "placement_status", d.status)
        );
        let _ = writeln!(
            out,
            "- {}: {}",
            l("access_letter.proposed_on"),
            format_date(d.proposed_on)
        );
        let _ = writeln!(
            out,
            "- {}: {}",
            l("access_letter.placed_on"),
            date_opt(d.placed_on)
        );
        let _ = writeln!(
            out,
            "- {}: {}",
            l("access_letter.ended_on"),
            date_opt(d.ended_on)
        );
        if let Some(r) = d.end_reason {
            let _ = writeln!(
                out,
                "- {}: {}",
                l("access_letter.end_reason"),
                name_of(lang, "end_reason", r)
            );
        }
        if !d.vog_override.trim().is_empty() {
            let _ = writeln!(
                out,
                "- {}: {}",
                l("access_letter.vog_override"),
                esc(&d.vog_override)
            );
        }
        out.push('\n');
        written_line(&mut out, lang, p);
    }

    // Trajectories.
    let _ = writeln!(
        out,
        "## {}\n",
        tf(
            lang,
            "access_letter.trajectories_title",
            &[("count", file.trajectories.len().to_string())]
        )
    );
    if file.trajectories.is_empty() {
        let _ = writeln!(out, "{}\n", l("access_letter.none"));
    }
    for tr in &file.trajectories {
        trajectory(&mut out, lang, tr);
    }

    // Thank-yous and other activities about them.
    let _ = writeln!(
        out,
        "## {}\n",
        tf(
            lang,
            "access_letter.activities_title",
            &[("count", file.activities.len().to_string())]
        )
    );
    if file.activities.is_empty() {
        let _ = writeln!(out, "{}\n", l("access_letter.none"));
    } else {
        for a in &file.activities {
            let d = &a.data;
            let _ = writeln!(
                out,
                "- {}: {} ({}){}",
                format_date(d.date),
                esc(&d.title),
                name_of(lang, "activity_kind", d.kind),
                if d.notes.trim().is_empty() {
                    String::new()
                } else {
                    format!(" — {}", esc(&d.notes))
                }
            );
        }
        out.push('\n');
    }

    if !file.other.is_empty() {
        let _ = writeln!(out, "## {}\n", l("access_letter.other_title"));
        for o in &file.other {
            let json = serde_json::to_string_pretty(&o.data).unwrap_or_default();
            let _ = writeln!(
                out,
                "### {} {}\n\n```json\n{}\n```\n",
                t(lang, &format!("kind.{}.one", o.kind)),
                o.id,
                json.replace("```", "'''")
            );
        }
    }

    // The audit trail.
    let _ = writeln!(
        out,
        "## {}\n",
        tf(
            lang,
            "access_letter.audit_title",
            &[("count", file.audit.len().to_string())]
        )
    );
    let _ = writeln!(out, "{}\n", l("access_letter.audit_intro"));
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        l("access_letter.column_when"),
        l("access_letter.column_who"),
        l("access_letter.column_what"),
        l("access_letter.column_record")
    );
    for a in &file.audit {
        audit_row(&mut out, lang, a);
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        tf(
            lang,
            "access_letter.made",
            &[
                ("at", time_text(file.made_at)),
                ("by", esc(&file.made_by)),
                ("format", file.format.to_string()),
            ]
        )
    );
    out
}

/// "Recorded on … by …; last changed on … by …" under a record.
fn written_line<T>(out: &mut String, lang: Lang, e: &Entry<T>) {
    let _ = writeln!(
        out,
        "_{}_\n",
        tf(
            lang,
            "access_letter.written",
            &[
                ("created", time_text(e.created.at)),
                ("created_by", esc(&e.created.by)),
                ("updated", time_text(e.updated.at)),
                ("updated_by", esc(&e.updated.by)),
            ]
        )
    );
}

fn trajectory(out: &mut String, lang: Lang, e: &Entry<Trajectory>) {
    let l = |key: &str| t(lang, key).to_string();
    let d = &e.data;
    let _ = writeln!(
        out,
        "### {}\n",
        tf(
            lang,
            "access_letter.trajectory_heading",
            &[
                ("kind", name_of(lang, "trajectory_kind", d.kind)),
                ("date", format_date(d.started)),
            ]
        )
    );
    let item = |out: &mut String, key: &str, value: String| {
        let _ = writeln!(out, "- {}: {}", t(lang, key), value);
    };
    item(out, "access_letter.phase", name_of(lang, "phase", d.phase));
    item(out, "access_letter.consultant", esc(&d.consultant));
    let referrer: Vec<&str> = [
        d.referrer.organisation.as_str(),
        d.referrer.client_manager.as_str(),
        d.referrer.contact.as_str(),
    ]
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .collect();
    item(out, "access_letter.referrer", or_dash(&referrer.join(", ")));
    item(out, "access_letter.next_meeting", date_opt(d.next_meeting));
    if let Some(o) = d.outcome {
        item(out, "access_letter.outcome", name_of(lang, "outcome", o));
    }
    if let Some(c) = d.closed_on {
        item(out, "access_letter.closed_on", format_date(c));
    }
    out.push('\n');
    if !d.goals.is_empty() {
        let _ = writeln!(out, "#### {}\n", l("access_letter.goals"));
        for g in &d.goals {
            let _ = writeln!(
                out,
                "- {} ({}, {} {})",
                esc(&g.text),
                name_of(lang, "goal_status", g.status),
                l("access_letter.set_on"),
                format_date(g.set_on)
            );
        }
        out.push('\n');
    }
    if !d.ladder.is_empty() {
        let _ = writeln!(out, "#### {}\n", l("access_letter.ladder"));
        for s in &d.ladder {
            let _ = writeln!(
                out,
                "- {}: {} {} ({}){}",
                format_date(s.date),
                l("access_letter.step"),
                s.step,
                t(lang, &format!("ladder.s{}", s.step)),
                if s.note.trim().is_empty() {
                    String::new()
                } else {
                    format!(" — {}", esc(&s.note))
                }
            );
        }
        out.push('\n');
    }
    if !d.meetings.is_empty() {
        let _ = writeln!(out, "#### {}\n", l("access_letter.meetings"));
        for m in &d.meetings {
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                format_date(m.date),
                esc(&m.by),
                or_dash(&m.summary)
            );
            if !m.actions.trim().is_empty() {
                let _ = writeln!(
                    out,
                    "  - {}: {}",
                    l("access_letter.actions"),
                    esc(&m.actions)
                );
            }
        }
        out.push('\n');
    }
    if !d.phases.is_empty() {
        let _ = writeln!(out, "#### {}\n", l("access_letter.phases"));
        for p in &d.phases {
            let _ = writeln!(
                out,
                "- {}: {} ({}){}",
                format_date(p.date),
                name_of(lang, "phase", p.phase),
                esc(&p.by),
                if p.reason.trim().is_empty() {
                    String::new()
                } else {
                    format!(" — {}", esc(&p.reason))
                }
            );
        }
        out.push('\n');
    }
    if !d.reassignments.is_empty() {
        let _ = writeln!(out, "#### {}\n", l("access_letter.handovers"));
        for r in &d.reassignments {
            let _ = writeln!(
                out,
                "- {}: {} → {} — {}",
                format_date(r.date),
                esc(&r.from),
                esc(&r.to),
                or_dash(&r.reason)
            );
        }
        out.push('\n');
    }
    if let Some(mas) = &d.mas {
        let _ = writeln!(out, "#### {}\n", l("access_letter.mas"));
        let _ = writeln!(
            out,
            "- {}: {}",
            l("access_letter.school"),
            or_dash(&mas.school)
        );
        let _ = writeln!(
            out,
            "- {}",
            tf(
                lang,
                "access_letter.mas_hours",
                &[
                    (
                        "done",
                        format!("{:.1}", f64::from(mas.total_minutes()) / 60.0)
                    ),
                    ("required", mas.hours_required.to_string()),
                ]
            )
        );
        out.push('\n');
    }
    written_line(out, lang, e);
}

fn audit_row(out: &mut String, lang: Lang, a: &AuditLine) {
    let key = format!("audit_action.{}", a.action);
    let what = match t(lang, &key) {
        text if text == key => a.action.replace('_', " "),
        text => text.to_string(),
    };
    let record = match a.subject.split_once('/') {
        Some((kind, id)) => {
            let key = format!("kind.{kind}.one");
            match t(lang, &key) {
                text if text == key => a.subject.clone(),
                text => format!("{text} {id}"),
            }
        }
        None => a.subject.clone(),
    };
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |",
        time_text(a.at),
        esc(&a.actor),
        esc(&what),
        esc(&record)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::{ACCESS_FORMAT, Written};
    use crate::domain::activity::{Activity, ActivityKind, Thanks};
    use crate::domain::audit::AuditEvent;
    use crate::domain::contact::BasicFunction;
    use crate::domain::placement::{Placement, PlacementStatus};
    use crate::domain::trajectory::{
        LadderStep, Meeting, Referrer, Start, TrajectoryKind, TrajectorySettings,
    };
    use crate::domain::volunteer::sample_intake;
    use time::macros::{date, datetime};

    fn written(by: &str) -> Written {
        Written {
            by: by.into(),
            at: datetime!(2026-11-20 09:15 +1),
        }
    }

    fn entry<T>(id: u64, data: T) -> Entry<T> {
        Entry {
            id,
            revision: 2,
            created: written("fatima"),
            updated: written("marloes"),
            data,
        }
    }

    /// Anouk with a placement, a trajectory (a goal, two ladder steps, a meeting), a
    /// thank-you and three audit entries.
    pub(crate) fn anouks_file() -> PersonFile {
        let rules = crate::config::Config::default().rules(date!(2026 - 11 - 27));
        let person = sample_intake().validate(&rules).unwrap();
        let mut t = Trajectory::start(
            Start {
                kind: TrajectoryKind::SocialActivation,
                person: 7,
                person_name: person.name.filed(),
                municipality: person.municipality.clone(),
                referrer: Referrer {
                    organisation: "Sociaal Wijkteam Dordrecht".into(),
                    client_manager: "P. de Wit".into(),
                    contact: String::new(),
                },
                consultant: "marloes".into(),
                start_step: 2,
                school: String::new(),
                school_contact: String::new(),
                hours_required: 0,
            },
            date!(2026 - 09 - 01),
            "marloes",
            &TrajectorySettings::default(),
        );
        t.add_goal(
            "Twee ochtenden per week | buiten de deur".into(),
            date!(2026 - 09 - 08),
        )
        .unwrap();
        t.record_step(LadderStep {
            date: date!(2026 - 11 - 03),
            step: 3,
            note: "Gaat *zelf* naar de inloop".into(),
        })
        .unwrap();
        t.log_meeting(Meeting {
            date: date!(2026 - 11 - 03),
            by: "marloes".into(),
            summary: "Gaat goed.\nWil meer uren.".into(),
            actions: "Vacature bij De Linde bekijken".into(),
            next_due: Some(date!(2026 - 12 - 15)),
        })
        .unwrap();
        let placement = Placement {
            volunteer: 7,
            volunteer_name: person.name.filed(),
            vacancy: 3,
            vacancy_title: "Gastvrouw koffieochtend".into(),
            organisation: 2,
            organisation_name: "Stichting De Linde".into(),
            status: PlacementStatus::Placed,
            proposed_on: date!(2021 - 10 - 01),
            placed_on: Some(date!(2021 - 10 - 15)),
            ended_on: None,
            end_reason: None,
            vog_override: String::new(),
        };
        let thanks = Activity {
            date: date!(2026 - 11 - 26),
            title: "Vijf jaar gastvrouw".into(),
            kind: ActivityKind::Appreciation,
            basic_function: BasicFunction::Verbreiden,
            organisations: vec!["Stichting De Linde".into()],
            participants: 1,
            held: true,
            notes: String::new(),
            thanks: Some(Thanks::PlacementYears {
                person: 7,
                placement: 4,
                years: 5,
            }),
        };
        let audit = |id: u64, action: &str, subject: &str, actor: &str| {
            AuditLine::new(
                id,
                &AuditEvent {
                    at: datetime!(2026-11-27 10:30 +1),
                    actor: actor.into(),
                    action: action.into(),
                    subject: subject.into(),
                    detail: String::new(),
                    person: Some(7),
                    fields: Vec::new(),
                    chain: Default::default(),
                },
            )
        };
        PersonFile {
            format: ACCESS_FORMAT,
            made_at: datetime!(2026-11-27 10:30 +1),
            made_by: "beheer".into(),
            retention_years: 2,
            person: entry(7, person),
            placements: vec![entry(4, placement)],
            trajectories: vec![entry(5, t)],
            activities: vec![entry(9, thanks)],
            other: Vec::new(),
            audit: vec![
                audit(11, "register_intake", "volunteer/7", "fatima"),
                audit(40, "read_case_notes", "trajectory/5", "ingrid"),
                audit(52, "privacy_export", "volunteer/7", "beheer"),
            ],
        }
    }

    #[test]
    fn the_letter_in_dutch_and_english() {
        let file = anouks_file();
        insta::assert_snapshot!("access_letter_nl", letter(&file, Lang::Nl));
        insta::assert_snapshot!("access_letter_en", letter(&file, Lang::En));
    }

    #[test]
    fn the_json_has_its_layout_version_and_every_section() {
        let v: serde_json::Value = serde_json::from_str(&json(&anouks_file())).unwrap();
        assert_eq!(v["format"], 1);
        assert_eq!(v["person"]["id"], 7);
        assert_eq!(v["person"]["data"]["name"]["given"], "Anouk");
        assert_eq!(
            v["placements"][0]["data"]["vacancy_title"],
            "Gastvrouw koffieochtend"
        );
        assert_eq!(v["trajectories"][0]["data"]["meetings"][0]["by"], "marloes");
        assert_eq!(v["activities"][0]["id"], 9);
        assert_eq!(v["audit"][2]["action"], "privacy_export");
        assert!(v["audit"][0].get("chain").is_none(), "no hash-chain links");
    }

    #[test]
    fn typed_text_cannot_make_markup() {
        assert_eq!(esc("a|b *c* [x](y)"), "a\\|b \\*c\\* \\[x\\](y)");
        assert_eq!(esc("één\ntwee"), "één  \n  twee");
        assert_eq!(or_dash("  "), "—");
    }
}
