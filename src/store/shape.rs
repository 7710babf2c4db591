//! One shape for both stores. What a commit and a restore do, step by step, and which versions
//! a read selects, are written here once; each store says only how in its dialect, by
//! implementing [`Steps`] for its transaction (`sqlite.rs`, `postgres.rs`) and binding a
//! [`Versions`] selection's value.

use super::batch::Dialect;
use super::rows::VERSION_COLUMNS;
use super::{Backup, Result};
use crate::model::{ChangesetSummary, CommitPlan, Layer, RecordVersion};
use crate::record::{ChangesetId, RecordId};

/// Which stored versions a read selects.
#[derive(Clone, Copy, Debug)]
pub enum Versions {
    /// Every current version (not superseded, not retired): the registry as it stands.
    Current,
    /// Every version of one record, oldest first.
    Record(RecordId),
    /// Every version of every record of a layer.
    Layer(Layer),
    /// The versions one changeset wrote.
    Changeset(ChangesetId),
    /// Every version of every record.
    All,
    /// The last version of every retired record (the one that retired it).
    Retired,
}

impl Versions {
    /// The `SELECT` of these versions in `dialect`, with at most one parameter (the record,
    /// layer or changeset), the geometry last as each store encodes it.
    pub fn select(self, dialect: Dialect) -> String {
        let (columns, geom, param, not_retired) = match dialect {
            Dialect::Sqlite => (VERSION_COLUMNS.to_string(), "geom", "?", "retired = 0"),
            Dialect::Postgres => (
                VERSION_COLUMNS
                    .replace("id,", "id::text AS id,")
                    .replace("changeset,", "changeset::text AS changeset,")
                    .replace("body", "body::text AS body"),
                "ST_AsBinary(geom) AS geom",
                "$1",
                "NOT retired",
            ),
        };
        let filter = match self {
            Versions::Current => format!("WHERE superseded_at IS NULL AND {not_retired}"),
            Versions::Retired => format!("WHERE superseded_at IS NULL AND NOT ({not_retired})"),
            Versions::Record(_) => format!("WHERE id = {param} ORDER BY version"),
            Versions::Layer(_) => format!("WHERE layer = {param} ORDER BY id, version"),
            Versions::Changeset(_) => format!("WHERE changeset = {param} ORDER BY id, version"),
            Versions::All => "ORDER BY id, version".to_string(),
        };
        format!("SELECT {columns}, {geom} FROM versions {filter}")
    }

    /// What the read was, for its error message.
    pub fn context(self) -> &'static str {
        match self {
            Versions::Current => "读取现行记录",
            Versions::Record(_) => "读取记录历史",
            Versions::Layer(_) => "读取图层历史",
            Versions::Changeset(_) => "读取变更集的版本",
            Versions::All => "读取全部版本",
            Versions::Retired => "读取已撤销的记录",
        }
    }
}

/// The steps of a write transaction, each in a store's own SQL.
pub trait Steps {
    /// Writes a changeset's row.
    async fn insert_changeset(&mut self, changeset: &ChangesetSummary) -> Result<()>;
    /// Closes the versions the plan supersedes; one no longer current makes the commit stale.
    async fn close_versions(&mut self, plan: &CommitPlan) -> Result<()>;
    /// Refuses the commit if one of its new records already exists.
    async fn refuse_existing(&mut self, plan: &CommitPlan) -> Result<()>;
    /// Inserts `versions` with every column, and brings the layers' tables in step with those
    /// of them that `in_tables` takes (rows of retired records removed, of the others written).
    async fn write_versions(
        &mut self,
        versions: &[RecordVersion],
        in_tables: fn(&RecordVersion) -> bool,
    ) -> Result<()>;
    /// Tells other processes of the commit, where the store can.
    async fn announce(&mut self, _plan: &CommitPlan) -> Result<()> {
        Ok(())
    }
    /// Commits the transaction.
    async fn finish(self, context: &'static str) -> Result<()>;
}

/// Writes planned changesets one after the other in the transaction `tx` (group commit):
/// all of them, or none when one step fails.
pub async fn commit_all<S: Steps>(mut tx: S, plans: &[&CommitPlan]) -> Result<()> {
    for plan in plans {
        tx.insert_changeset(&plan.summary()).await?;
        tx.close_versions(plan).await?;
        tx.refuse_existing(plan).await?;
        tx.write_versions(&plan.versions, |_| true).await?;
        tx.announce(plan).await?;
    }
    tx.finish("提交事务").await
}

/// Writes a backup's changesets and versions as they are, and the layers' rows of its current
/// versions, in the transaction `tx`.
pub async fn restore<S: Steps>(mut tx: S, backup: &Backup) -> Result<()> {
    for c in &backup.changesets {
        tx.insert_changeset(c).await?;
    }
    tx.write_versions(&backup.versions, |v| {
        v.superseded_at.is_none() && !v.retired
    })
    .await?;
    tx.finish("提交恢复").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_store_selects_the_same_versions_in_its_own_words() {
        let sqlite = Versions::Current.select(Dialect::Sqlite);
        assert!(
            sqlite.ends_with("FROM versions WHERE superseded_at IS NULL AND retired = 0"),
            "{sqlite}"
        );
        let pg = Versions::Layer(Layer::Street).select(Dialect::Postgres);
        assert!(pg.contains("ST_AsBinary(geom) AS geom"), "{pg}");
        assert!(
            pg.ends_with("WHERE layer = $1 ORDER BY id, version"),
            "{pg}"
        );
    }
}
