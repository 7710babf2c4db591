//! The retention of personal data on the registry: what is past its retention, erased from
//! the current versions by one changeset and from every earlier version after it.

use crate::model::{Changeset, CurrentState, Layer, RecordVersion, Write};
use crate::record::{ChangesetId, RecordId, View};
use crate::registry::{Registry, RegistryError};
use chrono::NaiveDate;

/// One record whose personal data is past its retention.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Expired {
    pub id: RecordId,
    pub layer: Layer,
    #[serde(flatten)]
    pub expiry: crate::cemetery::retention::Expiry,
}

/// Whether `v`'s personal data is past its retention on `on`, judged on its current version
/// and the burial it links to in `state`.
fn expired_on(
    rule: &crate::cemetery::retention::Retention,
    v: &RecordVersion,
    state: &CurrentState,
    on: NaiveDate,
) -> Option<Expired> {
    let registered_on = |b: RecordId| {
        state
            .one::<crate::cemetery::Burial>(&b)
            .map(|b| b.body.registered_on)
    };
    let expiry = rule.expired(v.body.personal()?, &registered_on, on)?;
    Some(Expired {
        id: v.id,
        layer: v.layer(),
        expiry,
    })
}

/// What a retention run found or did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RetentionRun {
    /// Records whose current version still held expired personal data.
    pub expired: Vec<Expired>,
    /// The changeset that erased it from the current versions (when applied).
    pub changeset: Option<ChangesetId>,
    /// Earlier versions rewritten without it (when applied).
    pub versions_rewritten: usize,
}

impl Registry {
    /// Personal data past its retention on `on` (`[cemetery.retention]`). With `apply`, one
    /// changeset erases it from the current versions, then every earlier version of every
    /// expired record is rewritten without it. Run again, it finds nothing new and finishes a
    /// rewrite an interrupted run left (the rewrite follows the records' dates, not the
    /// changeset).
    pub async fn retention(
        &self,
        on: NaiveDate,
        apply: bool,
        author: &str,
    ) -> Result<RetentionRun, RegistryError> {
        let rule = &self.config.cemetery.retention;
        let (expired, writes): (Vec<_>, Vec<_>) = {
            let state = self.current();
            Layer::with_personal_data()
                .flat_map(|l| state.layer(l))
                .filter_map(|v| expired_on(rule, v, &state, on).map(|e| (e, v)))
                .filter(|(e, _)| e.expiry.held)
                .map(|(e, v)| {
                    let mut body = v.body.clone();
                    body.personal_mut().map(|p| p.erase());
                    let write = Write::Update {
                        id: v.id,
                        base_version: v.version,
                        valid_from: on.max(v.valid_from),
                        body,
                        geometry: v.geometry.clone(),
                    };
                    (e, write)
                })
                .unzip()
        };
        let mut run = RetentionRun {
            expired,
            ..RetentionRun::default()
        };
        if !apply {
            return Ok(run);
        }
        if !writes.is_empty() {
            let mut cs = Changeset::new(
                author,
                format!(
                    "个人信息保存期满删除：{} 条（按 [cemetery.retention] 保存期限）",
                    writes.len()
                ),
            );
            cs.writes = writes;
            run.changeset = Some(self.commit(cs).await?);
        }
        // Every expired record's earlier versions, whatever run erased its current one.
        let expired: std::collections::HashSet<RecordId> = {
            let state = self.current();
            Layer::with_personal_data()
                .flat_map(|l| state.layer(l))
                .filter(|v| expired_on(rule, v, &state, on).is_some())
                .map(|v| v.id)
                .collect()
        };
        let mut rewrite = Vec::new();
        for layer in Layer::with_personal_data() {
            for mut v in self.store.layer_versions(layer).await? {
                if expired.contains(&v.id) && v.body.personal_mut().is_some_and(|p| p.erase()) {
                    rewrite.push(v);
                }
            }
        }
        self.store.rewrite_bodies(&rewrite).await?;
        run.versions_rewritten = rewrite.len();
        Ok(run)
    }
}
