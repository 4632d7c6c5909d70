//! Configuration: `~/.config/koppel/config.toml` (or `$KOPPEL_CONFIG`), with defaults for
//! everything. The municipality list is configuration, not code: other regions use koppel too.

use crate::domain::matching::Weights;
use crate::domain::retention::{Periods, YEARS};
use crate::domain::trajectory::TrajectorySettings;
use crate::domain::volunteer::{Rules, ZUID_HOLLAND_ZUID};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use time::Date;

/// Settings read from the configuration file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `nl` or `en`; when absent the language comes from `LANG`.
    pub language: Option<String>,
    /// Name of a shipped keymap or path to a keymap file.
    pub keymap: Option<String>,
    /// The municipalities this centre serves.
    pub municipalities: Vec<String>,
    /// The old name of `[retention] people_years`, still read from older files (both at once
    /// are refused). Use [`Config::retention`].
    pub retention_years: Option<i64>,
    /// Days between automatic backups (written when the screens open); 0 turns them off.
    pub backup_every_days: u16,
    /// How many automatic backups are kept (the oldest go first).
    pub backups_kept: u16,
    /// How much each criterion of matching counts (the `[matching]` table).
    pub matching: Weights,
    /// Meeting interval and no-contact days of trajectories (the `[trajectories]` table).
    pub trajectories: TrajectorySettings,
    /// Who may use the privacy tools beside administrators (the `[privacy]` table).
    pub privacy: PrivacySettings,
    /// How long records that identify people are kept (the `[retention]` table).
    pub retention: RetentionTable,
}

/// The `[privacy]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// Coordinators may write a person's access export (`koppel privacy export`), not only
    /// administrators.
    pub coordinators_may_export: bool,
}

/// The `[retention]` table as written: years per record kind, each optional (the defaults
/// of [`Periods`] fill in). Checked by [`Config::parse`]; read through [`Config::retention`].
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionTable {
    /// Years after a person's last activity.
    pub people_years: Option<i64>,
    /// Years after a trajectory was closed.
    pub trajectories_years: Option<i64>,
    /// Years after a contact with an organisation.
    pub contacts_years: Option<i64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            language: None,
            keymap: None,
            municipalities: ZUID_HOLLAND_ZUID.iter().map(|s| s.to_string()).collect(),
            retention_years: None,
            backup_every_days: 1,
            backups_kept: 14,
            matching: Weights::default(),
            trajectories: TrajectorySettings::default(),
            privacy: PrivacySettings::default(),
            retention: RetentionTable::default(),
        }
    }
}

/// The configuration file cannot be used.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub problem: ConfigProblem,
}

/// What is wrong with a configuration file, for a sentence in the reader's language (the
/// command line turns it into one from the catalogs, `config_problem.*`). Keys are named as
/// they are written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The file cannot be read (the system's reason).
    Unreadable { reason: String },
    /// Not TOML at `line`: a missing `=`, quote or bracket.
    Syntax { line: Option<usize> },
    /// A key koppel does not know, with the keys that table has.
    UnknownKey {
        line: Option<usize>,
        key: String,
        known: Vec<String>,
    },
    /// The same key twice.
    Duplicate { line: Option<usize> },
    /// A value of the wrong kind (or a number out of range) for `key`.
    WrongValue {
        line: Option<usize>,
        key: Option<String>,
        expected: Expected,
    },
    /// `language` is neither `nl` nor `en`.
    Language { given: String },
    /// `municipalities = []`.
    NoMunicipalities,
    /// A municipality of only spaces.
    EmptyMunicipality,
    /// Both `retention_years` and `[retention] people_years`.
    RetentionBoth,
    /// A retention period outside 1 to 99 years.
    RetentionPeriod { key: &'static str, value: i64 },
}

/// The kind of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A whole number, at most `max` when the key has a limit.
    WholeNumber {
        max: Option<u64>,
    },
    Text,
    /// `true` or `false`.
    YesNo,
    List,
    Table,
    /// Something else serde names; said without detail.
    Other,
}

impl ConfigProblem {
    /// Reads toml's and serde's (English) message into a problem at `line`, with the key
    /// set on that line.
    fn from_toml(text: &str, e: &toml::de::Error) -> ConfigProblem {
        let message = e.message();
        let line = crate::toml_lines::error_line(text, e);
        let key = line.and_then(|l| key_on_line(text, l)).map(str::to_string);
        let quoted = |s: &str| -> Vec<String> {
            s.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        };
        if let Some(rest) = message.strip_prefix("unknown field ") {
            let mut names = quoted(rest);
            if names.is_empty() {
                return ConfigProblem::Syntax { line };
            }
            let key = names.remove(0);
            return ConfigProblem::UnknownKey {
                line,
                key,
                known: names,
            };
        }
        if message.starts_with("duplicate key") {
            return ConfigProblem::Duplicate { line };
        }
        if message.starts_with("invalid type") || message.starts_with("invalid value") {
            let wanted = message.rsplit(", expected ").next().unwrap_or("").trim();
            let expected = match wanted {
                "i64" | "i32" | "a whole number" => Expected::WholeNumber { max: None },
                "u8" => Expected::WholeNumber {
                    max: Some(u8::MAX.into()),
                },
                "u16" => Expected::WholeNumber {
                    max: Some(u16::MAX.into()),
                },
                "u32" => Expected::WholeNumber {
                    max: Some(u32::MAX.into()),
                },
                "a string" => Expected::Text,
                "a boolean" => Expected::YesNo,
                "a sequence" => Expected::List,
                w if w.starts_with("struct") || w == "a map" => Expected::Table,
                _ => Expected::Other,
            };
            return ConfigProblem::WrongValue {
                line,
                key,
                expected,
            };
        }
        ConfigProblem::Syntax { line }
    }
}

impl Config {
    /// Where the configuration file is looked for.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("KOPPEL_CONFIG") {
            return Some(PathBuf::from(p));
        }
        directories::ProjectDirs::from("", "", "koppel").map(|d| d.config_dir().join("config.toml"))
    }

    /// Reads the configuration file; a missing file gives the defaults.
    pub fn load() -> Result<Config, ConfigError> {
        match Self::default_path() {
            Some(p) if p.exists() => Self::load_from(&p),
            _ => Ok(Config::default()),
        }
    }

    /// Reads a configuration file.
    pub fn load_from(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::toml_lines::read_text_file(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            problem: ConfigProblem::Unreadable {
                reason: e.to_string(),
            },
        })?;
        Self::parse(&text).map_err(|problem| ConfigError {
            path: path.to_path_buf(),
            problem,
        })
    }

    /// Parses configuration text.
    pub fn parse(text: &str) -> Result<Config, ConfigProblem> {
        let config: Config =
            toml::from_str(text).map_err(|e| ConfigProblem::from_toml(text, &e))?;
        if let Some(lang) = &config.language
            && !["nl", "en"].contains(&lang.as_str())
        {
            return Err(ConfigProblem::Language {
                given: lang.clone(),
            });
        }
        if config.municipalities.is_empty() {
            return Err(ConfigProblem::NoMunicipalities);
        }
        if config.municipalities.iter().any(|m| m.trim().is_empty()) {
            return Err(ConfigProblem::EmptyMunicipality);
        }
        config.check_retention()?;
        Ok(config)
    }

    /// Refuses a retention period outside 1 to 99 years, and the old `retention_years`
    /// beside the new `people_years`, naming the key.
    fn check_retention(&self) -> Result<(), ConfigProblem> {
        let r = &self.retention;
        if self.retention_years.is_some() && r.people_years.is_some() {
            return Err(ConfigProblem::RetentionBoth);
        }
        for (key, value) in [
            ("retention_years", self.retention_years),
            ("[retention] people_years", r.people_years),
            ("[retention] trajectories_years", r.trajectories_years),
            ("[retention] contacts_years", r.contacts_years),
        ] {
            if let Some(v) = value
                && !(i64::from(*YEARS.start())..=i64::from(*YEARS.end())).contains(&v)
            {
                return Err(ConfigProblem::RetentionPeriod { key, value: v });
            }
        }
        Ok(())
    }

    /// The retention periods: the `[retention]` table, the old `retention_years` for people
    /// when the table does not say, and the defaults for the rest.
    pub fn retention(&self) -> Periods {
        let d = Periods::default();
        // Checked by `parse`; a value built in code outside the range is clamped.
        let years = |v: Option<i64>, default: u8| {
            v.map_or(default, |v| {
                v.clamp(i64::from(*YEARS.start()), i64::from(*YEARS.end())) as u8
            })
        };
        Periods {
            people_years: years(
                self.retention.people_years.or(self.retention_years),
                d.people_years,
            ),
            trajectories_years: years(self.retention.trajectories_years, d.trajectories_years),
            contacts_years: years(self.retention.contacts_years, d.contacts_years),
        }
    }

    /// Validation rules for today.
    pub fn rules(&self, today: Date) -> Rules {
        Rules {
            municipalities: self.municipalities.clone(),
            today,
        }
    }
}

/// The key set on line `line` (1-based) of `text`, when that line is `key = value`.
fn key_on_line(text: &str, line: usize) -> Option<&str> {
    let (key, _) = text.lines().nth(line.checked_sub(1)?)?.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_koppel_does_not_speak_is_refused_naming_the_choices() {
        let e = Config::parse("language = \"fr\"\n").unwrap_err();
        assert_eq!(e, ConfigProblem::Language { given: "fr".into() });
        assert_eq!(
            Config::parse("language = \"en\"\n")
                .unwrap()
                .language
                .as_deref(),
            Some("en")
        );
    }

    #[test]
    fn defaults_to_zuid_holland_zuid() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.municipalities.len(), 10);
        assert!(c.municipalities.contains(&"Dordrecht".to_string()));
    }

    #[test]
    fn another_region_is_configuration() {
        let c =
            Config::parse("municipalities = [\"Utrecht\", \"Zeist\"]\nlanguage = \"nl\"").unwrap();
        assert_eq!(c.municipalities, ["Utrecht", "Zeist"]);
    }

    #[test]
    fn matching_weights_are_configuration_with_defaults() {
        let c = Config::parse("[matching]\nsector = 100\n").unwrap();
        assert_eq!(c.matching.sector, 100);
        assert_eq!(c.matching.municipality, Weights::default().municipality);
        assert!(Config::parse("[matching]\nsectr = 1\n").is_err());
    }

    #[test]
    fn the_meeting_interval_is_configuration_six_weeks_by_default() {
        assert_eq!(Config::default().trajectories.meeting_every_days, 42);
        let c = Config::parse("[trajectories]\nmeeting_every_days = 28\n").unwrap();
        assert_eq!(c.trajectories.meeting_every_days, 28);
        assert_eq!(c.trajectories.no_contact_days, 30);
        assert!(Config::parse("[trajectories]\nevery = 1\n").is_err());
    }

    #[test]
    fn coordinators_may_export_a_person_only_when_configured() {
        assert!(!Config::default().privacy.coordinators_may_export);
        let c = Config::parse("[privacy]\ncoordinators_may_export = true\n").unwrap();
        assert!(c.privacy.coordinators_may_export);
        assert!(Config::parse("[privacy]\ncoordinators_may = true\n").is_err());
    }

    #[test]
    fn retention_periods_default_to_two_two_and_five_years_and_are_configuration() {
        let d = Config::parse("").unwrap().retention();
        assert_eq!(
            (d.people_years, d.trajectories_years, d.contacts_years),
            (2, 2, 5)
        );
        let c = Config::parse("[retention]\npeople_years = 3\ncontacts_years = 7\n")
            .unwrap()
            .retention();
        assert_eq!(
            (c.people_years, c.trajectories_years, c.contacts_years),
            (3, 2, 7)
        );
    }

    #[test]
    fn the_old_retention_years_still_sets_the_peoples_period_but_not_beside_the_new_key() {
        let c = Config::parse("retention_years = 4\n").unwrap().retention();
        assert_eq!((c.people_years, c.trajectories_years), (4, 2));
        let e = Config::parse("retention_years = 4\n[retention]\npeople_years = 3\n").unwrap_err();
        assert_eq!(e, ConfigProblem::RetentionBoth);
    }

    #[test]
    fn bad_retention_periods_are_refused_naming_the_key() {
        for (text, key, value) in [
            (
                "[retention]\npeople_years = 0\n",
                "[retention] people_years",
                0,
            ),
            (
                "[retention]\ncontacts_years = -5\n",
                "[retention] contacts_years",
                -5,
            ),
            (
                "[retention]\ntrajectories_years = 100\n",
                "[retention] trajectories_years",
                100,
            ),
            ("retention_years = 0\n", "retention_years", 0),
        ] {
            let e = Config::parse(text).unwrap_err();
            assert_eq!(e, ConfigProblem::RetentionPeriod { key, value }, "{text}");
        }
        // An unknown key in the table, and a period that is not a number.
        let e = Config::parse("[retention]\npeople = 2\n").unwrap_err();
        assert_eq!(
            e,
            ConfigProblem::UnknownKey {
                line: Some(2),
                key: "people".into(),
                known: vec![
                    "people_years".into(),
                    "trajectories_years".into(),
                    "contacts_years".into()
                ],
            }
        );
        let e = Config::parse("[retention]\n\ncontacts_years = \"5\"\n").unwrap_err();
        assert_eq!(
            e,
            ConfigProblem::WrongValue {
                line: Some(3),
                key: Some("contacts_years".into()),
                expected: Expected::WholeNumber { max: None },
            }
        );
    }

    #[test]
    fn bad_files_name_the_line() {
        let err = Config::parse("language = \"nl\"\nmunicipalitys = []").unwrap_err();
        assert!(
            matches!(&err, ConfigProblem::UnknownKey { line: Some(2), key, .. } if key == "municipalitys"),
            "{err:?}"
        );
        assert_eq!(
            Config::parse("municipalities = []").unwrap_err(),
            ConfigProblem::NoMunicipalities
        );
        assert_eq!(
            Config::parse("language = \"nl\"\n\nbackups_kept = 70000\n").unwrap_err(),
            ConfigProblem::WrongValue {
                line: Some(3),
                key: Some("backups_kept".into()),
                expected: Expected::WholeNumber { max: Some(65535) },
            }
        );
        assert_eq!(
            Config::parse("[privacy]\ncoordinators_may_export = \"ja\"\n").unwrap_err(),
            ConfigProblem::WrongValue {
                line: Some(2),
                key: Some("coordinators_may_export".into()),
                expected: Expected::YesNo,
            }
        );
        assert!(matches!(
            Config::parse("language = \"nl\"\nkeymap \"vim\"\n").unwrap_err(),
            ConfigProblem::Syntax { line: Some(2) }
        ));
        assert_eq!(
            Config::parse("keymap = \"vim\"\nkeymap = \"vim\"\n").unwrap_err(),
            ConfigProblem::Duplicate { line: Some(2) }
        );
    }
}
