//! `diming verify`: the integrity of a store, as an operator checks it after a crash, a
//! restore or an upgrade. The history is consistent (versions numbered 1, 2, 3… with one
//! current at most, lifespans and recording times in order, each version's changeset present),
//! the per-layer tables hold exactly the current versions, references point at current
//! records, every current geometry is valid, every approved name carries its document; and
//! SQLite's own `PRAGMA integrity_check` passes and each GeoPackage R-tree agrees with its
//! table.

use super::sql;
use super::{Backup, Result, Store, StoreError};
use crate::model::{Layer, RecordVersion};
use crate::record::RecordId;
use crate::spatial::Extent;
use serde::Serialize;
use std::collections::BTreeMap;

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub check: &'static str,
    pub record: Option<RecordId>,
    pub message: String,
}

/// What was checked and what was found.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub changesets: usize,
    pub versions: usize,
    pub current: usize,
    pub problems: Vec<Problem>,
}

fn problem(check: &'static str, record: Option<RecordId>, message: String) -> Problem {
    Problem {
        check,
        record,
        message,
    }
}

/// Checks a dump of a store (with its per-layer table counts).
pub fn check(dump: &Backup, tables: &BTreeMap<Layer, i64>, extent: &Extent) -> Verification {
    let mut problems = Vec::new();
    let changesets: std::collections::HashSet<_> = dump.changesets.iter().map(|c| c.id).collect();
    let mut by_record: BTreeMap<RecordId, Vec<&RecordVersion>> = BTreeMap::new();
    for v in &dump.versions {
        by_record.entry(v.id).or_default().push(v);
        if !changesets.contains(&v.changeset) {
            problems.push(problem(
                "history.changeset",
                Some(v.id),
                format!("第 {} 版所属的变更集 {} 不存在", v.version, v.changeset),
            ));
        }
    }
    let mut current: BTreeMap<RecordId, &RecordVersion> = BTreeMap::new();
    for (id, versions) in &mut by_record {
        versions.sort_by_key(|v| v.version);
        for (i, v) in versions.iter().enumerate() {
            if v.version as usize != i + 1 {
                problems.push(problem(
                    "history.numbering",
                    Some(*id),
                    format!("版本号不连续：第 {} 个版本编号为 {}", i + 1, v.version),
                ));
                break;
            }
        }
        let open: Vec<_> = versions
            .iter()
            .filter(|v| v.superseded_at.is_none())
            .collect();
        if open.len() > 1 {
            problems.push(problem(
                "history.current",
                Some(*id),
                format!("有 {} 个版本同时为现行", open.len()),
            ));
        }
        if let Some(last) = versions.last() {
            if last.superseded_at.is_some() {
                problems.push(problem(
                    "history.current",
                    Some(*id),
                    "最新版本已被取代，却没有后续版本".into(),
                ));
            }
            for pair in versions.windows(2) {
                if pair[1].valid_from < pair[0].valid_from
                    || pair[1].recorded_at < pair[0].recorded_at
                {
                    problems.push(problem(
                        "history.order",
                        Some(*id),
                        format!(
                            "第 {} 版的时间早于第 {} 版",
                            pair[1].version, pair[0].version
                        ),
                    ));
                }
            }
            if !last.retired {
                current.insert(*id, last);
            }
        }
    }
    // The per-layer tables hold the current versions, no more and no fewer.
    let mut per_layer: BTreeMap<Layer, i64> = BTreeMap::new();
    for v in current.values() {
        *per_layer.entry(v.layer()).or_default() += 1;
    }
    for layer in Layer::ALL {
        let want = per_layer.get(&layer).copied().unwrap_or(0);
        let got = tables.get(&layer).copied().unwrap_or(0);
        if want != got {
            problems.push(problem(
                "tables.count",
                None,
                format!("图层表 {} 有 {got} 行，现行记录为 {want} 条", layer.table()),
            ));
        }
    }
    for v in current.values() {
        for (field, target) in v.body.references() {
            if !current.contains_key(&target) {
                problems.push(problem(
                    "references",
                    Some(v.id),
                    format!(
                        "{}（{}）所指的记录 {target} 不存在或已注销",
                        v.body.title(),
                        field
                    ),
                ));
            }
        }
        if let Err(invalid) = crate::spatial::validate(&v.geometry, extent) {
            problems.push(problem(
                "geometry",
                Some(v.id),
                format!("{}：{invalid}", v.body.title()),
            ));
        }
        if let Some(naming) = v.body.naming()
            && naming.status == crate::names::naming::NameStatus::Approved
            && naming.approval.is_none()
        {
            problems.push(problem(
                "names.document",
                Some(v.id),
                format!("“{}”状态为已批准，但没有批准文件", v.body.title()),
            ));
        }
    }
    Verification {
        changesets: dump.changesets.len(),
        versions: dump.versions.len(),
        current: current.len(),
        problems,
    }
}

impl Store {
    /// Rows in each layer's table.
    pub async fn layer_counts(&self) -> Result<BTreeMap<Layer, i64>> {
        let mut out = BTreeMap::new();
        for layer in Layer::ALL {
            let sql = format!("SELECT COUNT(*) FROM {}", layer.table());
            let (n,): (i64,) = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await)
            .map_err(|source| StoreError::Database {
                context: "统计图层表",
                source,
            })?;
            out.insert(layer, n);
        }
        Ok(out)
    }

    /// The store's own integrity check: SQLite's `PRAGMA integrity_check` and the GeoPackage
    /// R-trees against their tables (PostgreSQL keeps its own, with checksums and WAL; nothing
    /// to ask it here). `Ok(None)` when it passes.
    pub async fn engine_check(&self) -> Result<Option<String>> {
        match self {
            Store::Sqlite(s) => {
                let rows: Vec<(String,)> = sqlx::query_as(sql::sqlite("integrity_check"))
                    .fetch_all(s.pool())
                    .await
                    .map_err(|source| StoreError::Database {
                        context: "SQLite 完整性检查",
                        source,
                    })?;
                let mut text: Vec<String> = rows.into_iter().map(|r| r.0).collect();
                if text == ["ok"] {
                    text.clear();
                }
                let mut conn = s
                    .pool()
                    .acquire()
                    .await
                    .map_err(|source| StoreError::Database {
                        context: "SQLite 完整性检查",
                        source,
                    })?;
                text.extend(super::rtree::check(&mut conn).await.map_err(|source| {
                    StoreError::Database {
                        context: "检查空间索引",
                        source,
                    }
                })?);
                Ok((!text.is_empty()).then(|| text.join("; ")))
            }
            Store::Postgres(_) => Ok(None),
        }
    }

    /// Verifies the whole store.
    pub async fn verify(&self, extent: &Extent) -> Result<Verification> {
        let dump = self.dump().await?;
        let tables = self.layer_counts().await?;
        let mut v = check(&dump, &tables, extent);
        if let Some(text) = self.engine_check().await? {
            v.problems
                .push(problem("engine", None, format!("数据库自检未通过：{text}")));
        }
        Ok(v)
    }
}
