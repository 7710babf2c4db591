//! Approval documents (批复文件): the authority a change cites.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The document that authorises a change (批复文件): who issued it, its number and its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Document)]
pub struct ApprovalDocument {
    /// 发文机关, e.g. 二连浩特市人民政府.
    pub issuer: String,
    /// 文号, e.g. 二政发〔2021〕12号.
    pub number: String,
    pub date: NaiveDate,
}

impl ApprovalDocument {
    /// Whether it names its issuer and its number: a document without them authorises
    /// nothing.
    pub fn is_complete(&self) -> bool {
        !self.issuer.trim().is_empty() && !self.number.trim().is_empty()
    }
}
