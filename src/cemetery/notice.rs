//! Relocation notices (迁坟告知书): their terms, steps and statuses.

use super::{Deserialize, FromStr, NaiveDate, RecordId, Serialize, Source};

/// Where a relocation notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// 已发出
    Issued,
    /// 已送达（签收）
    Delivered,
    /// 已登记
    Registered,
    /// 已迁入公墓
    Relocated,
    /// 已补偿
    Compensated,
    /// 逾期无主
    Unclaimed,
}

impl NoticeStatus {
    pub const ALL: [NoticeStatus; 6] = [
        NoticeStatus::Issued,
        NoticeStatus::Delivered,
        NoticeStatus::Registered,
        NoticeStatus::Relocated,
        NoticeStatus::Compensated,
        NoticeStatus::Unclaimed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStatus::Issued => "issued",
            NoticeStatus::Delivered => "delivered",
            NoticeStatus::Registered => "registered",
            NoticeStatus::Relocated => "relocated",
            NoticeStatus::Compensated => "compensated",
            NoticeStatus::Unclaimed => "unclaimed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NoticeStatus::Issued => "已发出",
            NoticeStatus::Delivered => "已送达",
            NoticeStatus::Registered => "已登记",
            NoticeStatus::Relocated => "已迁入公墓",
            NoticeStatus::Compensated => "已补偿",
            NoticeStatus::Unclaimed => "逾期无主",
        }
    }

    /// The steps in order: issued → delivered → registered → relocated → compensated; a
    /// notice not registered or not moved by the deadline becomes unclaimed.
    pub fn may_become(self, next: NoticeStatus) -> bool {
        use NoticeStatus::*;
        matches!(
            (self, next),
            (Issued, Delivered | Unclaimed)
                | (Delivered, Registered | Unclaimed)
                | (Registered, Relocated | Unclaimed)
                | (Relocated, Compensated)
        )
    }
}

impl FromStr for NoticeStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        NoticeStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label() == s)
            .ok_or_else(|| format!("告知书状态“{s}”无效"))
    }
}

/// What every notice of a batch says besides the grave (from the officer's command).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeTerms {
    /// 依据
    pub basis: String,
    /// 事由 (the project)
    pub reason: String,
    /// 范围 in words
    pub scope: String,
    pub registration_from: NaiveDate,
    pub registration_until: NaiveDate,
    pub deadline: NaiveDate,
    /// The destination cemetery (its record) and its name as printed.
    pub destination: RecordId,
    pub destination_name: String,
    /// 补偿标准, fen per grave.
    pub compensation_single_fen: i64,
    pub compensation_double_fen: i64,
    /// 按期迁移奖励, fen.
    pub bonus_fen: i64,
    /// 需携带材料
    pub documents: String,
    /// 联系单位、地址、联系人、电话
    pub contact: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
}

/// What a batch says unless the officer writes otherwise.
pub mod defaults {
    pub const REASON: &str = "散埋乱葬集中整治";
    pub const BASIS: &str = "《殡葬管理条例》第十条、第二十条；《内蒙古自治区殡葬管理办法》";
    pub const DOCUMENTS: &str = "坟主居民身份证、户口簿，与逝者关系证明";
    /// Compensation per single and double grave and the bonus for moving on time, in yuan.
    pub const COMPENSATION_SINGLE: f64 = 2000.0;
    pub const COMPENSATION_DOUBLE: f64 = 3500.0;
    pub const BONUS: f64 = 500.0;
    /// Registration opens this many days after the notice and closes this many days before
    /// the deadline.
    pub const OPENS_AFTER_DAYS: i64 = 3;
    pub const CLOSES_BEFORE_DAYS: i64 = 6;
}

impl NoticeTerms {
    /// The registration window a notice issued on `issued` with `deadline` has by default.
    pub fn default_window(issued: NaiveDate, deadline: NaiveDate) -> (NaiveDate, NaiveDate) {
        (
            issued + chrono::Duration::days(defaults::OPENS_AFTER_DAYS),
            deadline - chrono::Duration::days(defaults::CLOSES_BEFORE_DAYS),
        )
    }

    /// What is wrong with the terms (windows and deadline in order).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.registration_until < self.registration_from {
            out.push("登记截止日期早于登记开始日期".to_string());
        }
        if self.registration_from < self.issued_on {
            out.push("登记开始日期早于告知日期".to_string());
        }
        if self.deadline < self.registration_until {
            out.push("迁移期限早于登记截止日期".to_string());
        }
        for (what, value) in [
            ("依据", &self.basis),
            ("事由", &self.reason),
            ("范围", &self.scope),
            ("联系方式", &self.contact),
            ("发布单位", &self.issuer),
        ] {
            if value.trim().is_empty() {
                out.push(format!("缺少{what}"));
            }
        }
        out
    }
}

/// A step in a notice's life, dated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeStep {
    pub status: NoticeStatus,
    pub on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// A relocation notice for one grave (迁坟告知书; layer `relocation_notices`, at the grave).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// 告知书编号
    pub number: String,
    /// The batch it was issued in.
    pub batch: String,
    pub grave: RecordId,
    pub terms: NoticeTerms,
    pub status: NoticeStatus,
    #[serde(default)]
    pub steps: Vec<NoticeStep>,
    /// Who signed for it on delivery.
    #[serde(default)]
    pub signed_by: Option<String>,
    /// The plot the remains moved into.
    #[serde(default)]
    pub plot: Option<RecordId>,
    #[serde(default)]
    pub compensation_fen: Option<i64>,
    pub source: Source,
}

impl Notice {
    /// The notice after a step, or why the step is not allowed.
    pub fn step(&self, status: NoticeStatus, on: NaiveDate, note: &str) -> Result<Notice, String> {
        if !self.status.may_become(status) {
            return Err(format!(
                "告知书 {} 状态为“{}”，不能改为“{}”",
                self.number,
                self.status.label(),
                status.label()
            ));
        }
        if status == NoticeStatus::Unclaimed && on <= self.terms.deadline {
            return Err(format!(
                "告知书 {} 的迁移期限为 {}，期满前不能按无主坟处理",
                self.number, self.terms.deadline
            ));
        }
        let mut next = self.clone();
        next.status = status;
        next.steps.push(NoticeStep {
            status,
            on,
            note: note.into(),
        });
        Ok(next)
    }
}
