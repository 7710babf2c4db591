//! One configuration struct: the jurisdiction (codes, extent, CRSs, coverage thresholds) and
//! the server (its address, the proxy it trusts, the limits on one request's work). Everything city-specific lives here; the default is 二连浩特市.

use crate::names::WordLists;
use crate::names::rules::{self, Severity};
use crate::spatial::Extent;
use crate::spatial::coverage::Thresholds;
use serde::{Deserialize, Serialize};

/// The default configuration, 二连浩特市, compiled in from `data/erenhot.toml`.
pub const ERENHOT_TOML: &str = include_str!("../data/erenhot.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("配置文件 {path} 有误：{message}")]
    Parse { path: String, message: String },
}

/// Reads a TOML file of any configurable type (numbering conventions, …).
pub fn load_toml<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_string(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_string(),
        message: e.to_string(),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub jurisdiction: Jurisdiction,
    #[serde(default)]
    pub names: Names,
    /// Door-plate numbering conventions (Inner Mongolia 1998 by default).
    #[serde(default)]
    pub numbering: crate::addresses::numbering::Conventions,
    pub server: Server,
    /// Plot size limits and funeral subsidy rules.
    #[serde(default)]
    pub cemetery: CemeterySettings,
    /// The gazetteer's editorial board and preface.
    #[serde(default)]
    pub gazetteer: GazetteerSettings,
}

/// What the bureau writes in the gazetteer's front matter.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GazetteerSettings {
    /// 编纂委员会: one line per member or role.
    #[serde(default)]
    pub board: Vec<String>,
    /// 前言: paragraphs separated by blank lines or newlines.
    #[serde(default)]
    pub preface: String,
    /// Where the city lies, as the 概述 opens after its name ("位于…"); none when empty.
    #[serde(default)]
    pub situation: String,
    /// Approved names the naming rules object to: `appendix` (listed as 待规范地名) or
    /// `omit`.
    #[serde(default)]
    pub nonstandard: crate::gazetteer::NonStandard,
}

/// Settings of the cemetery module: dated, per jurisdiction.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CemeterySettings {
    #[serde(default)]
    pub plot_limits: Vec<crate::cemetery::check::Limit>,
    #[serde(default)]
    pub subsidies: Vec<crate::cemetery::subsidy::Rule>,
    /// How long personal data is kept (`[cemetery.retention]`, years).
    #[serde(default)]
    pub retention: crate::cemetery::retention::Retention,
}

/// Settings of the naming rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// Whether two names that sound the same in one scope are a warning or an error.
    pub homophone: Severity,
    /// A folder of word lists (generics.txt, grandiose.txt, …) that add to the built-in ones.
    pub word_lists: Option<String>,
    /// For how many years a name given up by a rename is not given again in its scope
    /// (a warning; 0: not checked).
    #[serde(default = "former_name_years")]
    pub former_name_years: u32,
}

fn former_name_years() -> u32 {
    5
}

impl Default for Names {
    fn default() -> Self {
        Names {
            homophone: Severity::Warning,
            word_lists: None,
            former_name_years: former_name_years(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// 二连浩特市
    pub name: String,
    /// The county-level code (GB/T 2260), 6 digits.
    pub county_code: String,
    /// Coordinates outside this box are refused.
    pub extent: Extent,
    /// Where the map opens.
    pub centre: (f64, f64),
    /// Storage CRS (CGCS2000 geographic).
    pub storage_crs: String,
    /// CRS lengths and areas are measured in.
    pub measure_crs: String,
    pub coverage: Thresholds,
    /// A boundary marker found farther than this from its registered position (metres) is
    /// reported as possibly moved.
    #[serde(default = "default_marker_tolerance")]
    pub marker_tolerance_m: f64,
}

fn default_marker_tolerance() -> f64 {
    0.5
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub addr: String,
    /// Whether browsers reach the server over HTTPS (at a TLS reverse proxy): cookies are
    /// then `Secure` and answers carry HSTS. A request a trusted proxy marks
    /// `X-Forwarded-Proto: https` is treated so too.
    #[serde(default)]
    pub https: bool,
    /// The addresses of reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are
    /// believed (the client's address in the refusals log and the login limits). Headers from
    /// anyone else are ignored: a client could write them.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Bounds on the work one request may ask for.
    #[serde(default)]
    pub limits: Limits,
}

/// Bounds on the work one request may ask for, refused early with what was too large.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Vertices of one geometry (the real outline of the city has 74; a surveyed boundary a
    /// few thousand).
    pub vertices: usize,
    /// Vertices of all the geometries of one file or changeset.
    pub file_vertices: usize,
    /// Features of one import.
    pub import_features: usize,
    /// Characters of a search query or a name to check.
    pub query_chars: usize,
}

impl Limits {
    /// Refuses `n` vertices in the one geometry of `what` ("记录 …", "第 3 个要素").
    pub fn geometry(&self, what: &str, n: usize) -> Result<(), String> {
        if n > self.vertices {
            return Err(format!(
                "{what}的几何有 {n} 个节点，超过上限 {}（server.limits.vertices）",
                self.vertices
            ));
        }
        Ok(())
    }

    /// Refuses `total` vertices in all the geometries of `what` ("文件", "变更集").
    pub fn all(&self, what: &str, total: usize) -> Result<(), String> {
        if total > self.file_vertices {
            return Err(format!(
                "{what}的几何节点总数超过上限 {}（server.limits.file_vertices）",
                self.file_vertices
            ));
        }
        Ok(())
    }

    /// Refuses `n` features in one import.
    pub fn features(&self, n: u64) -> Result<(), String> {
        if n > self.import_features as u64 {
            return Err(format!(
                "文件有 {n} 个以上的要素，超过一次导入的上限 {}（server.limits.import_features）",
                self.import_features
            ));
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            vertices: 20_000,
            file_vertices: 5_000_000,
            import_features: 1_000_000,
            query_chars: 200,
        }
    }
}

impl Config {
    /// Parses a configuration; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_string(),
            message: e.to_string(),
        })
    }

    /// Reads a configuration file.
    pub fn load(path: &str) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_string(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// The word lists: the built-in ones, plus the files of the configured folder.
    pub fn word_lists(&self) -> Result<WordLists, ConfigError> {
        let mut lists = WordLists::builtin();
        let Some(folder) = &self.names.word_lists else {
            return Ok(lists);
        };
        for file in crate::names::WORD_LIST_FILES {
            let path = std::path::Path::new(folder).join(file);
            let shown = path.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(text) => lists
                    .extend(file, &text)
                    .map_err(|message| ConfigError::Parse {
                        path: shown,
                        message,
                    })?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(ConfigError::Read {
                        path: shown,
                        source,
                    });
                }
            }
        }
        Ok(lists)
    }

    /// The checker's settings for this jurisdiction.
    pub fn rule_settings(&self) -> rules::Settings {
        let years = self.names.former_name_years;
        rules::Settings {
            city: self.jurisdiction.name.clone(),
            homophone: self.names.homophone,
            former_since: (years > 0)
                .then(|| chrono::Local::now().date_naive() - chrono::Months::new(12 * years)),
        }
    }

    /// The configuration of 二连浩特市 (`data/erenhot.toml`).
    pub fn erenhot() -> Self {
        // The file is compiled in and parsed by a test; it cannot fail here.
        Config::parse(ERENHOT_TOML, "data/erenhot.toml").expect("data/erenhot.toml is valid")
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::erenhot()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_erenhot_configuration_parses_and_contains_the_city() {
        let c = Config::erenhot();
        assert_eq!(c.jurisdiction.county_code, "152501");
        let (x, y) = c.jurisdiction.centre;
        assert!(c.jurisdiction.extent.contains(geo::coord! {x: x, y: y}));
    }

    #[test]
    fn a_wrong_key_is_named_in_the_error() {
        let text = ERENHOT_TOML.replace("county_code", "county_cod");
        let e = Config::parse(&text, "city.toml").unwrap_err().to_string();
        assert!(e.contains("city.toml") && e.contains("county_cod"), "{e}");
    }
}
