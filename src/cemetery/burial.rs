//! Deaths and their disposition (殡葬登记), and funeral subsidy claims.

use super::{
    Deserialize, FromStr, IdNumber, NaiveDate, Phone, RecordId, Serialize, Source, subsidy,
};
use chrono::Datelike;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

impl FromStr for Sex {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "男" | "male" | "M" | "m" => Ok(Sex::Male),
            "女" | "female" | "F" | "f" => Ok(Sex::Female),
            _ => Err(format!("性别“{s}”无效：应为 男 或 女")),
        }
    }
}

/// The deceased (逝者).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deceased {
    pub name: String,
    pub sex: Sex,
    /// 民族
    pub ethnicity: String,
    /// Stored whole, shown masked outside the burial office.
    #[serde(default)]
    pub id_number: Option<IdNumber>,
    #[serde(default)]
    pub born: Option<NaiveDate>,
    pub died: NaiveDate,
    /// Division code of the unit where the deceased lived (户籍或居住地).
    pub residence: String,
    #[serde(default)]
    pub place_of_death: String,
}

/// What happened to the remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// 火化
    Cremation,
    /// 土葬 (a body burial)
    Burial,
    /// 其他 (body donated, repatriated…)
    Other,
}

/// Why remains moved from a scattered grave may lie in a body plot inside the cremation zone.
pub const RELOCATION_EXEMPTION: &str = "迁坟安置：原土葬遗骸整体迁入公墓";

impl Disposition {
    pub const ALL: [Disposition; 3] = [
        Disposition::Cremation,
        Disposition::Burial,
        Disposition::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Disposition::Cremation => "火化",
            Disposition::Burial => "土葬",
            Disposition::Other => "其他",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Cremation => "cremation",
            Disposition::Burial => "burial",
            Disposition::Other => "other",
        }
    }
}

impl FromStr for Disposition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "cremation" | "火化" => Ok(Disposition::Cremation),
            "burial" | "土葬" | "安葬" => Ok(Disposition::Burial),
            "other" | "其他" => Ok(Disposition::Other),
            _ => Err(format!("处理方式“{s}”无效：应为 火化、土葬 或 其他")),
        }
    }
}

/// A death and the disposition of the remains (殡葬登记; layer `burials`). The geometry is
/// where the remains went: the plot, the burial site, or the funeral home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Burial {
    pub deceased: Deceased,
    pub disposition: Disposition,
    /// 火化证明编号
    #[serde(default)]
    pub cremation_certificate: Option<String>,
    /// The plot the remains rest in, if in a cemetery.
    #[serde(default)]
    pub plot: Option<RecordId>,
    /// Whether the deceased lived inside a cremation zone (set by the registry from the zones
    /// in force when the record was registered).
    #[serde(default)]
    pub in_zone: bool,
    /// Why a body was buried inside the cremation zone (民族习俗…); required there.
    #[serde(default)]
    pub exemption: Option<String>,
    /// The grave it was moved from, for remains relocated into a cemetery.
    #[serde(default)]
    pub relocated_from: Option<RecordId>,
    pub registered_by: String,
    pub registered_on: NaiveDate,
    #[serde(default)]
    pub documents: Vec<String>,
    pub source: Source,
}

impl Burial {
    /// The burial of remains moved from a scattered grave into `plot` under a relocation
    /// notice (its number the burial's document); `relocate_grave` links the grave.
    pub fn relocated(
        deceased: Deceased,
        plot: RecordId,
        exemption: String,
        notice_number: &str,
        author: &str,
        on: NaiveDate,
    ) -> Burial {
        Burial {
            deceased,
            disposition: Disposition::Burial,
            cremation_certificate: None,
            plot: Some(plot),
            in_zone: false,
            exemption: Some(exemption),
            relocated_from: None,
            registered_by: author.into(),
            registered_on: on,
            documents: vec![notice_number.to_string()],
            source: Source::Survey,
        }
    }

    /// The title the public may see: name and years only.
    pub fn public_title(&self) -> String {
        let born = self
            .deceased
            .born
            .map_or_else(|| "?".to_string(), |b| b.year().to_string());
        format!(
            "{}（{}—{}）",
            self.deceased.name,
            born,
            self.deceased.died.year()
        )
    }
}

/// A subsidy claim (惠民殡葬补贴; layer `subsidy_claims`, at the burial's place).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyClaim {
    pub burial: RecordId,
    /// The rule (configuration) the claim was assessed under.
    pub rule: String,
    pub items: Vec<subsidy::Item>,
    /// The amount granted, fen.
    pub total_fen: i64,
    pub claimed_on: NaiveDate,
    pub claimant: String,
    #[serde(default)]
    pub claimant_phone: Option<Phone>,
    #[serde(default)]
    pub paid_on: Option<NaiveDate>,
    pub source: Source,
}
