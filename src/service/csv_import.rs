//! CSV import, the way centres move from spreadsheets: organisations from a file saved by
//! Excel or LibreOffice. Headers are matched in Dutch or English, the delimiter is a comma or
//! a semicolon, a UTF-8 byte order mark is skipped, dates are `dd-mm-jjjj`. Every row is
//! checked before anything is written; problems come back per row and column; the import is
//! all or nothing, in one transaction with one audit event. A column that holds citizen
//! service numbers (by its header, or because its values pass the eleven-test) is refused:
//! the centre must never store a BSN.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::bsn::{find_bsn, is_bsn_header, looks_like_bsn};
use crate::domain::draft::Keyed;
use crate::domain::name::fold;
use crate::domain::organisation::{Organisation, OrganisationDraft, OrganisationKind};
use crate::domain::volunteer::{Interest, Volunteer, VolunteerDraft};
use crate::domain::{Field, FieldError};
use std::io::Read;

/// The largest CSV file read, in bytes.
pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;
/// Most row problems reported at once.
pub const MAX_CSV_PROBLEMS: usize = 50;

/// What is wrong with a CSV file, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvIssue {
    /// The file is not UTF-8 (Excel's "CSV" is Windows-1252; "CSV UTF-8" is what to choose).
    NotUtf8,
    /// Larger than [`MAX_CSV_BYTES`].
    TooLarge,
    /// The file cannot be read: the reader's words.
    Unreadable(String),
    /// A column that must be there is not.
    MissingColumn(Field),
    /// A column holds citizen service numbers.
    Bsn,
    /// A value holds a number that passes the BSN's eleven-test.
    BsnValue,
    /// The row cannot be read as CSV (a broken quote, too many or too few fields).
    Malformed(String),
    /// A value that is not one of the choices of its column.
    UnknownChoice(String),
    /// A value breaks the rules of its field.
    Field(FieldError),
}

/// One problem of a CSV file: the line (1 is the header) and the column, where they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    pub line: usize,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub issue: CsvIssue,
}

/// What a CSV import did (or, on a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvSummary {
    pub rows: usize,
    pub dry_run: bool,
}

/// Sets a draft's field from a cell; `Err(())` when the value is not one of the choices.
type Setter<D> = fn(&mut D, &str) -> Result<(), ()>;

/// One column a CSV file of a kind may have: the field, the headers that name it (folded,
/// letters and digits only, Dutch and English) and how a cell fills the draft.
pub struct CsvColumn<D: 'static> {
    pub field: Field,
    pub headers: &'static [&'static str],
    pub set: Setter<D>,
}

/// A header folded for matching: lower case, no accents, letters and digits only.
fn header_key(header: &str) -> String {
    fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The columns of an organisations file.
const ORGANISATION_COLUMNS: &[CsvColumn<OrganisationDraft>] = &[
    CsvColumn {
        field: Field::OrganisationName,
        headers: &[
            "naam",
            "name",
            "organisatie",
            "organisation",
            "organization",
        ],
        set: |d, v| {
            d.name = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::OrganisationKind,
        headers: &["soort", "kind", "type", "soortorganisatie"],
        set: |d, v| {
            if !v.is_empty() {
                d.kind = organisation_kind(v).ok_or(())?;
            }
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Sectors,
        headers: &["sectoren", "sector", "sectors"],
        set: |d, v| {
            d.sectors = interests(v)?;
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Municipality,
        headers: &["gemeente", "municipality", "plaats"],
        set: |d, v| {
            d.municipality = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Address,
        headers: &["adres", "address", "straatenhuisnummer"],
        set: |d, v| {
            d.address = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Phone,
        headers: &["telefoon", "telefoonnummer", "phone", "tel"],
        set: |d, v| {
            d.phone = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Email,
        headers: &["email", "emailadres", "mail"],
        set: |d, v| {
            d.email = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Website,
        headers: &["website", "site", "web"],
        set: |d, v| {
            d.website = v.into();
            Ok(())
        },
    },
    // Several contact persons in one cell are separated by line breaks or " | ".
    CsvColumn {
        field: Field::ContactPersons,
        headers: &[
            "contactpersonen",
            "contactpersoon",
            "contactpersons",
            "contacts",
        ],
        set: |d, v| {
            d.contact_persons = v.replace(" | ", "\n");
            Ok(())
        },
    },
    CsvColumn {
        field: Field::FreeVog,
        headers: &["gratisvog", "freevog"],
        set: |d, v| {
            d.free_vog = yes_no(v).ok_or(())?;
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Notes,
        headers: &["notities", "opmerkingen", "notes"],
        set: |d, v| {
            d.notes = v.into();
            Ok(())
        },
    },
];

/// The columns of a volunteers file (availability is not read from CSV: it is set at the
/// intake).
const VOLUNTEER_COLUMNS: &[CsvColumn<VolunteerDraft>] = &[
    CsvColumn {
        field: Field::GivenName,
        headers: &["voornaam", "roepnaam", "givenname", "firstname"],
        set: |d, v| {
            d.given_name = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Prefix,
        headers: &["tussenvoegsel", "voorvoegsel", "prefix"],
        set: |d, v| {
            d.prefix = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::FamilyName,
        headers: &[
            "achternaam",
            "familienaam",
            "familyname",
            "lastname",
            "surname",
        ],
        set: |d, v| {
            d.family_name = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::BirthDate,
        headers: &["geboortedatum", "birthdate", "dateofbirth"],
        set: |d, v| {
            d.birth_date = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Address,
        headers: &["adres", "address", "straatenhuisnummer"],
        set: |d, v| {
            d.address = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Postcode,
        headers: &["postcode", "postalcode", "zipcode"],
        set: |d, v| {
            d.postcode = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Municipality,
        headers: &["gemeente", "municipality", "woonplaats"],
        set: |d, v| {
            d.municipality = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Phone,
        headers: &["telefoon", "telefoonnummer", "mobiel", "phone"],
        set: |d, v| {
            d.phone = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Email,
        headers: &["email", "emailadres", "mail"],
        set: |d, v| {
            d.email = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Interests,
        headers: &["interesses", "interesse", "interests", "sectoren"],
        set: |d, v| {
            d.interests = interests(v)?;
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Skills,
        headers: &["vaardigheden", "skills"],
        set: |d, v| {
            d.skills = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::HoursPerWeek,
        headers: &["urenperweek", "uren", "hoursperweek", "hours"],
        set: |d, v| {
            d.hours_per_week = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Motivation,
        headers: &["motivatie", "motivation"],
        set: |d, v| {
            d.motivation = v.into();
            Ok(())
        },
    },
    // The date of consent; a row without it has no consent and is refused.
    CsvColumn {
        field: Field::ConsentDate,
        headers: &["toestemming", "toestemmingsdatum", "consent", "consentdate"],
        set: |d, v| {
            d.consent = !v.is_empty();
            d.consent_date = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::IntakeDate,
        headers: &["intakedatum", "intake", "inschrijfdatum", "intakedate"],
        set: |d, v| {
            d.intake_date = v.into();
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Vulnerable,
        headers: &["kwetsbaar", "vulnerable"],
        set: |d, v| {
            d.vulnerable = yes_no(v).ok_or(())?;
            Ok(())
        },
    },
    CsvColumn {
        field: Field::Notes,
        headers: &["notities", "opmerkingen", "notes"],
        set: |d, v| {
            d.notes = v.into();
            Ok(())
        },
    },
];

/// Sectors separated by commas, bars or slashes, by key or name.
fn interests(value: &str) -> Result<Vec<Interest>, ()> {
    value
        .split([',', '|', '/'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| sector(p).ok_or(()))
        .collect()
}

/// An organisation kind by key or by its Dutch or English name.
fn organisation_kind(value: &str) -> Option<OrganisationKind> {
    let v = fold(value);
    OrganisationKind::ALL.iter().copied().find(|k| {
        let names: &[&str] = match k {
            OrganisationKind::Association => &["vereniging", "association"],
            OrganisationKind::Foundation => &["stichting", "foundation"],
            OrganisationKind::CareHome => &["zorginstelling", "verpleeghuis", "care home"],
            OrganisationKind::School => &["school"],
            OrganisationKind::Church => &["kerk", "church", "geloofsgemeenschap"],
            OrganisationKind::SportsClub => &["sportclub", "sportvereniging", "sports club"],
            OrganisationKind::Municipality => &["gemeente", "municipality"],
            OrganisationKind::Other => &["anders", "overig", "other"],
        };
        v == k.key() || names.contains(&v.as_str())
    })
}

/// A sector by key or by its Dutch or English name.
fn sector(value: &str) -> Option<Interest> {
    let v = fold(value);
    Interest::ALL.iter().copied().find(|i| {
        let names: &[&str] = match i {
            Interest::Care => &["zorg", "care"],
            Interest::Sport => &["sport"],
            Interest::Culture => &["cultuur", "culture"],
            Interest::Nature => &["natuur", "nature"],
            Interest::Education => &["onderwijs", "education"],
            Interest::LanguageBuddy => &["taalmaatje", "language buddy"],
            Interest::Transport => &["vervoer", "transport"],
            Interest::Administration => &["administratie", "administration"],
        };
        v == i.key() || names.contains(&v.as_str())
    })
}

/// Yes or no in the ways spreadsheets write it; `None` when it is neither.
fn yes_no(value: &str) -> Option<bool> {
    match fold(value).as_str() {
        "" | "nee" | "no" | "n" | "0" | "false" | "onwaar" => Some(false),
        "ja" | "yes" | "j" | "y" | "1" | "x" | "true" | "waar" => Some(true),
        _ => None,
    }
}

/// Reads the whole input (bounded), without a byte order mark, as UTF-8.
fn read_text(input: &mut dyn Read) -> Result<String, CsvProblem> {
    let problem = |issue| CsvProblem {
        line: 0,
        column: None,
        issue,
    };
    let mut bytes = Vec::new();
    input
        .take(MAX_CSV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| problem(CsvIssue::Unreadable(e.to_string())))?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(problem(CsvIssue::TooLarge));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| problem(CsvIssue::NotUtf8))
}

/// `;` when the header line has more semicolons than commas (Dutch Excel), else `,`.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// What an import is busy with, for a progress bar: checking the rows (counted in bytes of
/// the file) and then writing them (counted in rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvStage {
    Checking,
    Writing,
}

/// Called now and then with the stage, how far it is and how far it goes.
pub type CsvProgress<'a> = &'a dyn Fn(CsvStage, u64, u64);

/// How many rows between two progress reports.
const PROGRESS_EVERY: usize = 256;

/// The rows of a CSV file read with `columns` into drafts and validated, or every problem
/// found (at most [`MAX_CSV_PROBLEMS`]). `required` columns must be there.
pub fn parse_rows<D: Default, T>(
    input: &mut dyn Read,
    columns: &[CsvColumn<D>],
    required: &[Field],
    validate: impl Fn(&D) -> Result<T, Vec<FieldError>>,
    progress: CsvProgress,
) -> Result<Vec<T>, Vec<CsvProblem>> {
    let text = read_text(input).map_err(|p| vec![p])?;
    let size = text.len() as u64;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            vec![CsvProblem {
                line: 1,
                column: None,
                issue: CsvIssue::Malformed(e.to_string()),
            }]
        })?
        .clone();
    let mut problems = Vec::new();
    // (position in the row, the column, its header as written)
    let mut found: Vec<(usize, &CsvColumn<D>, String)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let key = header_key(h);
        if is_bsn_header(h) {
            problems.push(CsvProblem {
                line: 1,
                column: Some(h.to_string()),
                issue: CsvIssue::Bsn,
            });
        } else if let Some(c) = columns.iter().find(|c| c.headers.contains(&key.as_str()))
            && !found.iter().any(|(_, f, _)| f.field == c.field)
        {
            found.push((i, c, h.to_string()));
        }
    }
    for &required in required {
        if !found.iter().any(|(_, c, _)| c.field == required) {
            problems.push(CsvProblem {
                line: 1,
                column: None,
                issue: CsvIssue::MissingColumn(required),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Vec::new();
    // Per column: values seen, and how many pass the eleven-test.
    let mut bsn_like = vec![(0usize, 0usize); headers.len()];
    let mut rows = 0usize;
    let mut buf = csv::StringRecord::new();
    loop {
        if problems.len() >= MAX_CSV_PROBLEMS {
            break;
        }
        rows += 1;
        if rows.is_multiple_of(PROGRESS_EVERY) {
            progress(CsvStage::Checking, reader.position().byte(), size);
        }
        let record = match reader.read_record(&mut buf) {
            Ok(true) => Ok(&buf),
            Ok(false) => break,
            Err(e) => Err(e),
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(CsvProblem {
                    line,
                    column: None,
                    issue: CsvIssue::Malformed(e.to_string()),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        for (i, value) in record.iter().enumerate() {
            if !value.is_empty()
                && let Some(c) = bsn_like.get_mut(i)
            {
                c.0 += 1;
                if looks_like_bsn(value) {
                    c.1 += 1;
                }
            }
        }
        let mut d = D::default();
        let mut row_problems = Vec::new();
        for (i, column, header) in &found {
            let value = record.get(*i).unwrap_or_default();
            if find_bsn(value).is_some() {
                row_problems.push(CsvProblem {
                    line,
                    column: Some(header.clone()),
                    issue: CsvIssue::BsnValue,
                });
                continue;
            }
            if (column.set)(&mut d, value).is_err() {
                row_problems.push(CsvProblem {
                    line,
                    column: Some(header.clone()),
                    issue: CsvIssue::UnknownChoice(value.to_string()),
                });
            }
        }
        match validate(&d) {
            Ok(o) if row_problems.is_empty() => out.push(o),
            Ok(_) => {}
            Err(errors) => row_problems.extend(errors.into_iter().map(|e| {
                CsvProblem {
                    line,
                    column: found
                        .iter()
                        .find(|(_, c, _)| c.field == e.field)
                        .map(|(_, _, h)| h.clone()),
                    issue: CsvIssue::Field(e),
                }
            })),
        }
        problems.extend(row_problems);
    }
    for (i, (seen, bsn)) in bsn_like.iter().enumerate() {
        if *seen > 0 && bsn == seen {
            problems.insert(
                0,
                CsvProblem {
                    line: 1,
                    column: headers.get(i).map(str::to_string),
                    issue: CsvIssue::Bsn,
                },
            );
        }
    }
    problems.truncate(MAX_CSV_PROBLEMS);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The organisations of a CSV file, or every problem found.
pub fn parse_organisations(
    input: &mut dyn Read,
    rules: &crate::domain::volunteer::Rules,
    progress: CsvProgress,
) -> Result<Vec<Organisation>, Vec<CsvProblem>> {
    parse_rows(
        input,
        ORGANISATION_COLUMNS,
        &[Field::OrganisationName, Field::Municipality],
        |d: &OrganisationDraft| d.validate(rules),
        progress,
    )
}

/// The volunteers of a CSV file, or every problem found. A row without an intake date is
/// taken in today.
pub fn parse_volunteers(
    input: &mut dyn Read,
    rules: &crate::domain::volunteer::Rules,
    progress: CsvProgress,
) -> Result<Vec<Volunteer>, Vec<CsvProblem>> {
    let today = crate::domain::format_date(rules.today);
    parse_rows(
        input,
        VOLUNTEER_COLUMNS,
        // Every field a volunteer cannot be saved without: a file that lacks one of these
        // columns is told so once, not on every row.
        &[
            Field::GivenName,
            Field::FamilyName,
            Field::BirthDate,
            Field::Address,
            Field::Postcode,
            Field::Municipality,
            Field::ConsentDate,
        ],
        |d: &VolunteerDraft| {
            let mut d = d.clone();
            if d.intake_date.trim().is_empty() {
                d.intake_date = today.clone();
            }
            d.validate(rules)
        },
        progress,
    )
}

impl Service {
    /// Imports organisations from a CSV file: every row checked first, then all written in
    /// one transaction with one audit event `import_csv`, or nothing. Administrators only.
    pub fn import_organisations_csv(
        &self,
        who: &Account,
        input: &mut dyn Read,
        dry_run: bool,
        progress: CsvProgress,
    ) -> Result<CsvSummary, ServiceError> {
        self.require(who, Permission::ImportAll)?;
        let orgs =
            parse_organisations(input, &self.rules(), progress).map_err(ServiceError::CsvRows)?;
        self.write_csv_rows(who, &orgs, "organisations", dry_run, progress)
    }

    /// Imports volunteers from a CSV file, as [`Service::import_organisations_csv`] does.
    /// Likely duplicates are not looked for (the file is the centre's old list).
    pub fn import_volunteers_csv(
        &self,
        who: &Account,
        input: &mut dyn Read,
        dry_run: bool,
        progress: CsvProgress,
    ) -> Result<CsvSummary, ServiceError> {
        self.require(who, Permission::ImportAll)?;
        let people =
            parse_volunteers(input, &self.rules(), progress).map_err(ServiceError::CsvRows)?;
        self.write_csv_rows(who, &people, "volunteers", dry_run, progress)
    }

    /// Writes checked rows in one transaction with one audit event (unless `dry_run`).
    fn write_csv_rows<T: crate::store::Editable>(
        &self,
        who: &Account,
        rows: &[T],
        what: &str,
        dry_run: bool,
        progress: CsvProgress,
    ) -> Result<CsvSummary, ServiceError> {
        if !dry_run && !rows.is_empty() {
            let stamp = self.stamp(who);
            let total = rows.len() as u64;
            self.store.transact(&stamp, |tx| {
                for (i, row) in rows.iter().enumerate() {
                    tx.insert(row.clone())?;
                    if i.is_multiple_of(PROGRESS_EVERY) {
                        progress(CsvStage::Writing, i as u64, total);
                    }
                }
                progress(CsvStage::Writing, total, total);
                self.audit(
                    tx,
                    who,
                    "import_csv",
                    None,
                    format!("{} {what} from CSV", rows.len()),
                )?;
                Ok(())
            })?;
        }
        Ok(CsvSummary {
            rows: rows.len(),
            dry_run,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rules() -> crate::domain::volunteer::Rules {
        crate::domain::volunteer::Rules {
            municipalities: vec!["Dordrecht".into(), "Gorinchem".into()],
            today: date!(2026 - 11 - 27),
        }
    }

    fn parse(text: &[u8]) -> Result<Vec<Organisation>, Vec<CsvProblem>> {
        parse_organisations(&mut &text[..], &rules(), &|_, _, _| {})
    }

    #[test]
    fn dutch_excel_semicolons_bom_and_dutch_headers() {
        let file = "\u{feff}Naam;Soort;Sectoren;Gemeente;Telefoon;E-mail;Contactpersonen;Gratis VOG\r\n\
            Stichting De Linde;Zorginstelling;zorg, cultuur;dordrecht;078 - 612 34 56;info@delinde.nl;\"Marieke de Boer; coördinator\";ja\r\n\
            VV Gorinchem;sportclub;Sport;Gorinchem;;;;nee\r\n";
        let orgs = parse(file.as_bytes()).unwrap();
        assert_eq!(orgs.len(), 2);
        assert_eq!(orgs[0].kind, OrganisationKind::CareHome);
        assert_eq!(orgs[0].sectors, vec![Interest::Care, Interest::Culture]);
        assert_eq!(orgs[0].municipality, "Dordrecht");
        assert_eq!(orgs[0].contact_persons[0].role, "coördinator");
        assert!(orgs[0].free_vog);
        assert_eq!(orgs[1].kind, OrganisationKind::SportsClub);
    }

    #[test]
    fn checking_a_long_file_reports_its_progress_through_the_file() {
        let mut file = String::from("Naam;Gemeente\n");
        for i in 0..2000 {
            file.push_str(&format!("Vereniging {i};Dordrecht\n"));
        }
        let seen = std::cell::RefCell::new(Vec::new());
        let orgs = parse_organisations(&mut file.as_bytes(), &rules(), &|stage, done, total| {
            seen.borrow_mut().push((stage, done, total))
        })
        .unwrap();
        assert_eq!(orgs.len(), 2000);
        let seen = seen.into_inner();
        assert!(seen.len() >= 5, "{seen:?}");
        assert!(
            seen.iter()
                .all(|&(stage, done, total)| stage == CsvStage::Checking
                    && total == file.len() as u64
                    && done <= total)
        );
        assert!(seen.windows(2).all(|w| w[0].1 < w[1].1), "{seen:?}");
    }

    #[test]
    fn a_volunteer_list_without_a_required_column_is_told_once_not_per_row() {
        let file = "Voornaam;Achternaam;Geboortedatum;Gemeente;Telefoon\n\
            Anouk;Berg;05-04-2001;Dordrecht;0612345678\n\
            Piet;Jansen;05-04-1960;Dordrecht;0612345678\n";
        let problems = parse_volunteers(&mut file.as_bytes(), &rules(), &|_, _, _| {}).unwrap_err();
        let issues: Vec<&CsvIssue> = problems.iter().map(|p| &p.issue).collect();
        assert_eq!(
            issues,
            vec![
                &CsvIssue::MissingColumn(Field::Address),
                &CsvIssue::MissingColumn(Field::Postcode),
                &CsvIssue::MissingColumn(Field::ConsentDate),
            ]
        );
    }

    #[test]
    fn english_headers_with_commas_work_too() {
        let file = "name,municipality,kind\nThe Lime Tree,Gorinchem,foundation\n";
        let orgs = parse(file.as_bytes()).unwrap();
        assert_eq!(orgs[0].kind, OrganisationKind::Foundation);
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column_and_nothing_is_kept() {
        let file =
            "Naam;Gemeente;Soort;Telefoon\nGoed;Dordrecht;stichting;\nFout;Utrecht;kroeg;12\n";
        let problems = parse(file.as_bytes()).unwrap_err();
        let at: Vec<(usize, Option<&str>)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_deref()))
            .collect();
        assert_eq!(
            at,
            vec![
                (3, Some("Soort")),
                (3, Some("Gemeente")),
                (3, Some("Telefoon"))
            ]
        );
        assert_eq!(problems[0].issue, CsvIssue::UnknownChoice("kroeg".into()));
    }

    #[test]
    fn a_missing_required_column_a_broken_quote_and_another_encoding_are_refused() {
        let problems = parse(b"Naam;Telefoon\nX;0612345678\n").unwrap_err();
        assert_eq!(
            problems[0].issue,
            CsvIssue::MissingColumn(Field::Municipality)
        );
        let problems =
            parse(b"Naam;Gemeente\nGoed;Dordrecht\n\"Kapot;Dordrecht\nNog;een;veld\n").unwrap_err();
        assert!(
            matches!(problems[0].issue, CsvIssue::Malformed(_)),
            "{problems:?}"
        );
        // "Caf\xe9" is Windows-1252.
        let problems = parse(b"Naam;Gemeente\nCaf\xe9 De Linde;Dordrecht\n").unwrap_err();
        assert_eq!(problems[0].issue, CsvIssue::NotUtf8);
    }

    #[test]
    fn volunteers_from_a_dutch_list_with_a_wrong_date_named_by_line() {
        let file = "Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Adres;Postcode;Gemeente;Telefoon;Toestemming;Interesses\n\
            Anouk;van den;Berg;05-04-2001;Voorstraat 1;3311ab;Dordrecht;06 1234 5678;01-11-2026;zorg, cultuur\n\
            Piet;;Jansen;31-02-1960;Kerkstraat 3;4201 AA;Gorinchem;078 - 612 34 56;01-11-2026;\n";
        let problems = parse_volunteers(&mut file.as_bytes(), &rules(), &|_, _, _| {}).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            (problems[0].line, problems[0].column.as_deref()),
            (3, Some("Geboortedatum"))
        );
        let ok = file.replace("31-02-1960", "28-02-1960");
        let people = parse_volunteers(&mut ok.as_bytes(), &rules(), &|_, _, _| {}).unwrap();
        assert_eq!(people[0].postcode, "3311 AB");
        assert_eq!(people[0].interests, vec![Interest::Care, Interest::Culture]);
        assert_eq!(people[1].intake_date, date!(2026 - 11 - 27));
    }

    #[test]
    fn a_value_holding_a_bsn_is_refused_naming_its_line_and_column() {
        let problems =
            parse(b"Naam;Gemeente;Notities\nX;Dordrecht;belt terug\nY;Dordrecht;bsn 111 222 333\n")
                .unwrap_err();
        let bsn: Vec<_> = problems
            .iter()
            .filter(|p| p.issue == CsvIssue::BsnValue)
            .collect();
        assert_eq!(bsn.len(), 1, "{problems:?}");
        assert_eq!(bsn[0].line, 3);
        assert_eq!(bsn[0].column.as_deref(), Some("Notities"));
        // 123456789 fails the eleven-test: not refused.
        assert!(parse(b"Naam;Gemeente;Notities\nY;Dordrecht;bsn 123456789\n").is_ok());
    }

    #[test]
    fn a_bsn_column_is_refused_by_its_header_or_by_its_values() {
        let problems = parse(b"Naam;Gemeente;BSN\nX;Dordrecht;\n").unwrap_err();
        assert_eq!(problems[0].issue, CsvIssue::Bsn);
        assert_eq!(problems[0].column.as_deref(), Some("BSN"));
        let problems =
            parse(b"Naam;Gemeente;Nummer\nX;Dordrecht;111222333\nY;Dordrecht;123456782\n")
                .unwrap_err();
        assert_eq!(problems[0].issue, CsvIssue::Bsn);
        assert_eq!(problems[0].column.as_deref(), Some("Nummer"));
    }
}
