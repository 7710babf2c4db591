//! A renumbering campaign (门牌整编): a street, a unit or the whole city taken from the
//! engine's proposal (draft), through an officer's review (pinned numbers, the rest re-flowing),
//! approval by document, application as one changeset, installation plate by plate, to its
//! close. The campaign is a record of its own, so every stage is in its history.

use super::renumber::Change;
use crate::addresses::DoorNumber;
use crate::record::{ApprovalDocument, RecordId};
use crate::record::{Attributes, Describe};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// 方案草拟（the engine's proposal）
    Draft,
    /// 已审核（pins set, the rest re-flowed）
    Reviewed,
    /// 已批准
    Approved,
    /// 已写入登记簿，正在安装
    Applied,
    /// 已完成
    Closed,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Reviewed => "reviewed",
            CampaignStatus::Approved => "approved",
            CampaignStatus::Applied => "applied",
            CampaignStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "方案草拟",
            CampaignStatus::Reviewed => "已审核",
            CampaignStatus::Approved => "已批准",
            CampaignStatus::Applied => "已写入，安装中",
            CampaignStatus::Closed => "已完成",
        }
    }
}

/// One plate of the campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignLine {
    pub plate: RecordId,
    pub street: RecordId,
    pub old: DoorNumber,
    pub new: DoorNumber,
    #[serde(default)]
    pub pinned: bool,
    /// When the new plate went up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub name: String,
    pub streets: Vec<RecordId>,
    pub status: CampaignStatus,
    pub lines: Vec<CampaignLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<ApprovalDocument>,
    pub source: crate::record::Source,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CampaignError {
    #[error("整编当前为“{}”，不能{action}", .status.label())]
    WrongStatus {
        status: CampaignStatus,
        action: &'static str,
    },
    #[error("门牌 {0} 不在本次整编范围内")]
    NotInCampaign(RecordId),
    #[error("尚有 {0} 块门牌未安装，不能结束整编")]
    NotInstalled(usize),
}

impl Campaign {
    fn lines_of(changes: &[Change]) -> Vec<CampaignLine> {
        changes
            .iter()
            .map(|c| CampaignLine {
                plate: c.plate,
                street: c.street,
                old: c.old.clone(),
                new: c.new.clone(),
                pinned: c.pinned,
                installed_on: None,
            })
            .collect()
    }

    /// The engine's proposal for `streets`.
    pub fn draft(name: &str, streets: Vec<RecordId>, changes: &[Change]) -> Campaign {
        Campaign {
            name: name.to_string(),
            streets,
            status: CampaignStatus::Draft,
            lines: Campaign::lines_of(changes),
            document: None,
            source: crate::record::Source::Survey,
        }
    }

    fn expect(
        &self,
        allowed: &[CampaignStatus],
        action: &'static str,
    ) -> Result<(), CampaignError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(CampaignError::WrongStatus {
                status: self.status,
                action,
            })
        }
    }

    /// The pins so far, for re-flowing.
    pub fn pins(&self) -> Vec<(RecordId, DoorNumber)> {
        self.lines
            .iter()
            .filter(|l| l.pinned)
            .map(|l| (l.plate, l.new.clone()))
            .collect()
    }

    /// The reviewed proposal (re-flowed around the pins by the engine).
    pub fn reviewed(&self, changes: &[Change]) -> Result<Campaign, CampaignError> {
        self.expect(
            &[CampaignStatus::Draft, CampaignStatus::Reviewed],
            "审核调整",
        )?;
        Ok(Campaign {
            status: CampaignStatus::Reviewed,
            lines: Campaign::lines_of(changes),
            ..self.clone()
        })
    }

    pub fn approved(&self, document: ApprovalDocument) -> Result<Campaign, CampaignError> {
        self.expect(&[CampaignStatus::Draft, CampaignStatus::Reviewed], "批准")?;
        Ok(Campaign {
            status: CampaignStatus::Approved,
            document: Some(document),
            ..self.clone()
        })
    }

    pub fn applied(&self) -> Result<Campaign, CampaignError> {
        self.expect(&[CampaignStatus::Approved], "写入登记簿")?;
        Ok(Campaign {
            status: CampaignStatus::Applied,
            ..self.clone()
        })
    }

    /// Records the new plates put up on `on`.
    pub fn installed(&self, plates: &[RecordId], on: NaiveDate) -> Result<Campaign, CampaignError> {
        self.expect(&[CampaignStatus::Applied], "登记安装")?;
        let mut next = self.clone();
        for p in plates {
            let line = next
                .lines
                .iter_mut()
                .find(|l| l.plate == *p)
                .ok_or(CampaignError::NotInCampaign(*p))?;
            line.installed_on = Some(on);
        }
        Ok(next)
    }

    pub fn closed(&self) -> Result<Campaign, CampaignError> {
        self.expect(&[CampaignStatus::Applied], "结束")?;
        let missing = self
            .lines
            .iter()
            .filter(|l| l.installed_on.is_none())
            .count();
        if missing > 0 {
            return Err(CampaignError::NotInstalled(missing));
        }
        Ok(Campaign {
            status: CampaignStatus::Closed,
            ..self.clone()
        })
    }

    pub fn changed(&self) -> usize {
        self.lines.iter().filter(|l| l.old != l.new).count()
    }

    pub fn installed_count(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.installed_on.is_some())
            .count()
    }
}

impl Describe for Campaign {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        let installed = self
            .lines
            .iter()
            .filter(|l| l.installed_on.is_some())
            .count();
        Attributes::new()
            .row("整编名称", &self.name)
            .row("状态", self.status.label())
            .row("门牌数", self.lines.len())
            .row("已安装", installed)
            .some(
                "批准文件",
                self.document
                    .as_ref()
                    .map(|d| format!("{} {}", d.issuer, d.number)),
            )
    }
}
