//! CSV import, the way centres move from spreadsheets: organisations from a file saved by
//! Excel or LibreOffice. Headers are matched in Dutch or English, the delimiter is a comma or
//! a semicolon, a UTF-8 byte order mark is skipped, dates are `dd-mm-jjjj`. Every row is
//! checked before anything is written; problems come back per row and column; the import is
//! all or nothing, in one transaction with one audit event. A column that holds citizen
//! service numbers (by its header, or because its values pass the eleven-test) is refused:
//! the centre must never store a BSN.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::bsn::{is_bsn_header, looks_like_bsn};
use crate::domain::draft::Keyed;
use crate::domain::name::fold;
use crate::domain::organisation::{Organisation, OrganisationDraft, OrganisationKind};
use crate::domain::volunteer::Interest;
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

/// The organisation field a header names (Dutch or English, case, accents and punctuation
/// ignored).
fn organisation_column(header: &str) -> Option<Field> {
    let h: String = fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Some(match h.as_str() {
        "naam" | "name" | "organisatie" | "organisation" | "organization" => {
            Field::OrganisationName
        }
        "soort" | "kind" | "type" | "soortorganisatie" => Field::OrganisationKind,
        "sectoren" | "sector" | "sectors" => Field::Sectors,
        "gemeente" | "municipality" | "plaats" => Field::Municipality,
        "adres" | "address" | "straatenhuisnummer" => Field::Address,
        "telefoon" | "telefoonnummer" | "phone" | "tel" => Field::Phone,
        "email" | "emailadres" | "mail" => Field::Email,
        "website" | "site" | "web" => Field::Website,
        "contactpersonen" | "contactpersoon" | "contactpersons" | "contacts" => {
            Field::ContactPersons
        }
        "gratisvog" | "freevog" => Field::FreeVog,
        "notities" | "opmerkingen" | "notes" => Field::Notes,
        _ => return None,
    })
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

/// The organisations of a CSV file, or every problem found (at most [`MAX_CSV_PROBLEMS`]).
pub fn parse_organisations(
    input: &mut dyn Read,
    rules: &crate::domain::volunteer::Rules,
) -> Result<Vec<Organisation>, Vec<CsvProblem>> {
    let text = read_text(input).map_err(|p| vec![p])?;
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
    let mut columns: Vec<(usize, Field, String)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if is_bsn_header(h) {
            problems.push(CsvProblem {
                line: 1,
                column: Some(h.to_string()),
                issue: CsvIssue::Bsn,
            });
        } else if let Some(f) = organisation_column(h) {
            columns.push((i, f, h.to_string()));
        }
    }
    for required in [Field::OrganisationName, Field::Municipality] {
        if !columns.iter().any(|(_, f, _)| *f == required) {
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
    for record in reader.records() {
        if problems.len() >= MAX_CSV_PROBLEMS {
            break;
        }
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
        let mut d = OrganisationDraft::default();
        let mut row_problems = Vec::new();
        for (i, field, header) in &columns {
            let value = record.get(*i).unwrap_or_default();
            let mut unknown = || {
                row_problems.push(CsvProblem {
                    line,
                    column: Some(header.clone()),
                    issue: CsvIssue::UnknownChoice(value.to_string()),
                })
            };
            match field {
                Field::OrganisationName => d.name = value.into(),
                Field::OrganisationKind if value.is_empty() => {}
                Field::OrganisationKind => match organisation_kind(value) {
                    Some(k) => d.kind = k,
                    None => unknown(),
                },
                Field::Sectors => {
                    for part in value
                        .split([',', '|', '/'])
                        .filter(|p| !p.trim().is_empty())
                    {
                        match sector(part) {
                            Some(s) => d.sectors.push(s),
                            None => unknown(),
                        }
                    }
                }
                Field::Municipality => d.municipality = value.into(),
                Field::Address => d.address = value.into(),
                Field::Phone => d.phone = value.into(),
                Field::Email => d.email = value.into(),
                Field::Website => d.website = value.into(),
                // Several contact persons in one cell are separated by line breaks or " | ".
                Field::ContactPersons => d.contact_persons = value.replace(" | ", "\n"),
                Field::FreeVog => match yes_no(value) {
                    Some(b) => d.free_vog = b,
                    None => unknown(),
                },
                Field::Notes => d.notes = value.into(),
                _ => {}
            }
        }
        match d.validate(rules) {
            Ok(o) if row_problems.is_empty() => out.push(o),
            Ok(_) => {}
            Err(errors) => row_problems.extend(errors.into_iter().map(|e| {
                CsvProblem {
                    line,
                    column: columns
                        .iter()
                        .find(|(_, f, _)| *f == e.field)
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

impl Service {
    /// Imports organisations from a CSV file: every row checked first, then all written in
    /// one transaction with one audit event `import_csv`, or nothing. Administrators only.
    pub fn import_organisations_csv(
        &self,
        who: &Account,
        input: &mut dyn Read,
        dry_run: bool,
    ) -> Result<CsvSummary, ServiceError> {
        self.require(who, Permission::ImportAll)?;
        let orgs = parse_organisations(input, &self.rules()).map_err(ServiceError::CsvRows)?;
        if !dry_run && !orgs.is_empty() {
            let stamp = self.stamp(who);
            self.store.transact(&stamp, |tx| {
                for o in &orgs {
                    tx.insert(o.clone())?;
                }
                self.audit(
                    tx,
                    who,
                    "import_csv",
                    None,
                    format!("{} organisations from CSV", orgs.len()),
                )?;
                Ok(())
            })?;
        }
        Ok(CsvSummary {
            rows: orgs.len(),
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
        parse_organisations(&mut &text[..], &rules())
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
