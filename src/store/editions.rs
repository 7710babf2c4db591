//! Editions of the gazetteer: a row per build (who, when, from which changeset, with which
//! options), the PDF kept as an attachment. The same SQL runs on both backends.

use super::sql;
use super::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::from_sqlx(context, source)
}

/// One edition.
#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    pub id: String,
    pub built_at: DateTime<Utc>,
    pub built_by: String,
    pub changeset: Option<String>,
    pub entries: i64,
    /// What was asked for (unit, categories, date, paper), as JSON.
    pub options: String,
    pub sha256: String,
}

impl Store {
    /// Keeps an edition: its PDF as an attachment and its row.
    pub async fn add_edition(
        &self,
        id: &str,
        built_by: &str,
        changeset: Option<&str>,
        entries: usize,
        options: &str,
        pdf: &[u8],
    ) -> Result<Edition> {
        let sha256 = self
            .put_attachment("application/pdf", pdf, built_by)
            .await?;
        let built_at = super::truncate_time(Utc::now());
        on_pool!(self, pool => sqlx::query(sql::common("add_edition"))
        .bind(id)
        .bind(built_at)
        .bind(built_by)
        .bind(changeset)
        .bind(entries as i64)
        .bind(options)
        .bind(&sha256)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db("保存地名志版本"))?;
        Ok(Edition {
            id: id.into(),
            built_at,
            built_by: built_by.into(),
            changeset: changeset.map(Into::into),
            entries: entries as i64,
            options: options.into(),
            sha256,
        })
    }

    /// Every edition, newest first.
    pub async fn editions(&self) -> Result<Vec<Edition>> {
        self.editions_where(None).await
    }

    /// One edition.
    pub async fn edition(&self, id: &str) -> Result<Option<Edition>> {
        Ok(self.editions_where(Some(id)).await?.pop())
    }

    async fn editions_where(&self, id: Option<&str>) -> Result<Vec<Edition>> {
        type Row = (
            String,
            DateTime<Utc>,
            String,
            Option<String>,
            i64,
            String,
            String,
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(sql::common("editions"))
        .bind(id)
        .fetch_all(pool)
        .await)
        .map_err(db("读取地名志版本"))?;
        Ok(rows
            .into_iter()
            .map(
                |(id, built_at, built_by, changeset, entries, options, sha256)| Edition {
                    id,
                    built_at,
                    built_by,
                    changeset,
                    entries,
                    options,
                    sha256,
                },
            )
            .collect())
    }
}
