//! Persistence of records and changesets: one small API, two backends.
//!
//! - SQLite ([`SqliteStore`]): one file, the embedded default; the file is a GeoPackage whose
//!   feature tables are the current state of each layer, so QGIS and `ogrinfo` open it.
//! - PostgreSQL with PostGIS ([`PgStore`]): each layer is a table with a `geometry(…, 4490)`
//!   column and a GiST index.
//!
//! Both keep every version in `versions` and every changeset in `changesets`, and behave the
//! same: a commit is one transaction that refuses a stale version (another process wrote
//! first) and leaves nothing behind when any write fails. The steps of a commit and a restore,
//! and which versions a read selects, are written once (`shape.rs`); each backend implements
//! the steps in its own SQL. Migrations run on open. A
//! [`Backup`] (JSON Lines of every changeset and version) restores into either backend. The
//! stores also keep the accounts (users, sessions, API tokens, refused attempts and sights of
//! personal data), the attachments (photos and gazetteer PDFs, by SHA-256) and the
//! gazetteer editions, with SQL that is the same for both (`accounts.rs`, `attachments.rs`,
//! `editions.rs`, through `on_pool!`); [`verify`] checks a store's integrity. A full disk is
//! its own error ([`StoreError::DiskFull`]). This module knows SQL and nothing of HTTP.

/// Runs `$body` with `$pool` bound to the backend's pool: the SQL is the same for both.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite(s) => {
                let $pool = s.pool();
                $body
            }
            Store::Postgres(s) => {
                let $pool = s.pool();
                $body
            }
        }
    };
}

mod accounts;
pub mod attachments;
mod backup;
mod batch;
mod copy;
pub mod editions;
mod error;
pub(crate) mod geometry;
mod migrate;
mod postgres;
mod rows;
mod rtree;
mod shape;
mod sql;
mod sqlite;
pub mod verify;

pub use accounts::{Refusal, Session, User};
pub use backup::{Attachment, Backup, BackupError};
pub use error::StoreError;
pub use postgres::PgStore;
pub use rows::truncate as truncate_time;
pub use shape::Versions;
pub use sqlite::SqliteStore;

use crate::model::{ChangesetSummary, CommitPlan, Layer, RecordVersion};
use crate::record::{ChangesetId, RecordId};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The default store: a GeoPackage in the working directory.
pub const DEFAULT_URL: &str = "sqlite://diming.gpkg";

/// A store, chosen by URL: `sqlite://FILE` or `postgres://…`.
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates the store at `url`.
    pub async fn open(url: &str) -> Result<Store> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(Store::Sqlite(SqliteStore::open(path).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PgStore::open(url).await?))
        } else {
            Err(StoreError::BadUrl(url.to_string()))
        }
    }

    /// Removes everything diming keeps at `url` (the SQLite file, or diming's PostgreSQL
    /// tables), for `diming demo --force`.
    pub async fn destroy(url: &str) -> Result<()> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            for suffix in ["", "-wal", "-shm"] {
                let file = format!("{path}{suffix}");
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(StoreError::Remove {
                            path: file,
                            source: e,
                        });
                    }
                }
            }
            Ok(())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            PgStore::destroy(url).await
        } else {
            Err(StoreError::BadUrl(url.to_string()))
        }
    }

    /// Every changeset and every version, for a backup, as one consistent snapshot.
    pub async fn dump(&self) -> Result<Backup> {
        // One snapshot of both, so that a commit meanwhile cannot leave a version without its
        // changeset; attachments are never changed, and those the versions name came first.
        let (changesets, versions) = match self {
            Store::Sqlite(s) => s.snapshot().await?,
            Store::Postgres(s) => s.snapshot().await?,
        };
        let mut changesets = changesets;
        changesets.reverse(); // oldest first
        let attachments = self.all_attachments().await?;
        Ok(Backup {
            changesets,
            versions,
            attachments,
        })
    }

    /// Fills an empty store from a backup, in one transaction.
    pub async fn restore(&self, backup: &Backup) -> Result<(), BackupError> {
        let existing = self.changesets(1).await?.len();
        if existing > 0 {
            return Err(BackupError::NotEmpty(existing));
        }
        match self {
            Store::Sqlite(s) => s.restore(backup).await?,
            Store::Postgres(s) => s.restore(backup).await?,
        }
        for a in &backup.attachments {
            self.restore_attachment(a).await?;
        }
        Ok(())
    }

    /// `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// The stored versions `which` selects.
    pub async fn versions(&self, which: Versions) -> Result<Vec<RecordVersion>> {
        match self {
            Store::Sqlite(s) => s.versions(which).await,
            Store::Postgres(s) => s.versions(which).await,
        }
    }

    /// Every current (not superseded, not retired) version.
    pub async fn load_current(&self) -> Result<Vec<RecordVersion>> {
        self.versions(Versions::Current).await
    }

    /// The registry as it stands: the current versions, and the retiring versions of
    /// retired records.
    pub async fn load_state(&self) -> Result<crate::model::CurrentState> {
        let current = self.load_current().await?;
        let retired = self.versions(Versions::Retired).await?;
        Ok(crate::model::CurrentState::from_versions(current).with_retired(retired))
    }

    /// Writes a planned changeset in one transaction, or nothing.
    pub async fn commit(&self, plan: &CommitPlan) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.commit(plan).await,
            Store::Postgres(s) => s.commit(plan).await,
        }
    }

    /// Writes planned changesets in one transaction, in order: all of them or none.
    pub async fn commit_all(&self, plans: &[&CommitPlan]) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.commit_all(plans).await,
            Store::Postgres(s) => s.commit_all(plans).await,
        }
    }

    /// Every version of one record, oldest first.
    pub async fn history(&self, id: RecordId) -> Result<Vec<RecordVersion>> {
        self.versions(Versions::Record(id)).await
    }

    /// Rewrites the bodies of stored versions (nothing else of them), all in one transaction:
    /// how personal data past its retention leaves the history.
    pub async fn rewrite_bodies(&self, versions: &[RecordVersion]) -> Result<()> {
        match self {
            Store::Sqlite(s) => s.rewrite_bodies(versions).await,
            Store::Postgres(s) => s.rewrite_bodies(versions).await,
        }
    }

    /// Every version of every record of a layer (for "as of" queries).
    pub async fn layer_versions(&self, layer: Layer) -> Result<Vec<RecordVersion>> {
        self.versions(Versions::Layer(layer)).await
    }

    /// The versions a committed changeset wrote (to catch up with another process's commit).
    pub async fn changeset_versions(&self, id: ChangesetId) -> Result<Vec<RecordVersion>> {
        self.versions(Versions::Changeset(id)).await
    }

    pub async fn changeset(&self, id: ChangesetId) -> Result<Option<ChangesetSummary>> {
        match self {
            Store::Sqlite(s) => s.changeset(id).await,
            Store::Postgres(s) => s.changeset(id).await,
        }
    }

    /// The newest changesets, newest first.
    pub async fn changesets(&self, limit: u32) -> Result<Vec<ChangesetSummary>> {
        match self {
            Store::Sqlite(s) => s.changesets(limit).await,
            Store::Postgres(s) => s.changesets(limit).await,
        }
    }
}

impl Store {
    /// The layers each changeset wrote, for filtering the changeset list.
    pub async fn changeset_layers(
        &self,
    ) -> Result<std::collections::HashMap<ChangesetId, Vec<Layer>>> {
        let rows: Vec<(String, String)> =
            on_pool!(self, pool => sqlx::query_as(sql::common("changeset_layers"))
        .fetch_all(pool)
        .await)
            .map_err(|source| StoreError::Database {
                context: "读取变更集的图层",
                source,
            })?;
        let mut out: std::collections::HashMap<ChangesetId, Vec<Layer>> = Default::default();
        for (cs, layer) in rows {
            if let (Ok(id), Some(layer)) = (cs.parse(), Layer::from_table(&layer)) {
                out.entry(ChangesetId(id)).or_default().push(layer);
            }
        }
        Ok(out)
    }
}
