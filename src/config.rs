//! Configuration: `~/.config/koppel/config.toml` (or `$KOPPEL_CONFIG`), with defaults for
//! everything. The municipality list is configuration, not code: other regions use koppel too.

use crate::domain::matching::Weights;
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
    /// Years after the last change that a record of an inactive volunteer may be kept.
    pub retention_years: u8,
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
}

/// The `[privacy]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// Coordinators may write a person's access export (`koppel privacy export`), not only
    /// administrators.
    pub coordinators_may_export: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            language: None,
            keymap: None,
            municipalities: ZUID_HOLLAND_ZUID.iter().map(|s| s.to_string()).collect(),
            retention_years: 2,
            backup_every_days: 1,
            backups_kept: 14,
            matching: Weights::default(),
            trajectories: TrajectorySettings::default(),
            privacy: PrivacySettings::default(),
        }
    }
}

/// The configuration file cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub reason: String,
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
            reason: e.to_string(),
        })?;
        Self::parse(&text).map_err(|reason| ConfigError {
            path: path.to_path_buf(),
            reason,
        })
    }

    /// Parses configuration text.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config =
            toml::from_str(text).map_err(|e| match crate::toml_lines::error_line(text, &e) {
                Some(l) => format!("line {l}: {}", e.message()),
                None => e.message().to_string(),
            })?;
        if let Some(lang) = &config.language
            && !["nl", "en"].contains(&lang.as_str())
        {
            return Err(format!(
                "language \"{lang}\" is not one koppel speaks; use \"nl\" or \"en\""
            ));
        }
        if config.municipalities.is_empty() {
            return Err("the list of municipalities is empty".into());
        }
        if config.municipalities.iter().any(|m| m.trim().is_empty()) {
            return Err("a municipality has an empty name".into());
        }
        Ok(config)
    }

    /// Validation rules for today.
    pub fn rules(&self, today: Date) -> Rules {
        Rules {
            municipalities: self.municipalities.clone(),
            today,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_koppel_does_not_speak_is_refused_naming_the_choices() {
        let e = Config::parse("language = \"fr\"\n").unwrap_err();
        assert!(
            e.contains("\"fr\"") && e.contains("\"nl\" or \"en\""),
            "{e}"
        );
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
    fn bad_files_name_the_line() {
        let err = Config::parse("language = \"nl\"\nmunicipalitys = []").unwrap_err();
        assert!(err.starts_with("line 2"), "{err}");
        assert!(Config::parse("municipalities = []").is_err());
    }
}
