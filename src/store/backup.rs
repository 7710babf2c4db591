//! Backups that restore into either store: the whole history (every changeset and every
//! version, with both of their times) as JSON Lines. A backup of a SQLite registry restores
//! into PostgreSQL and back, which is also how a bureau moves between the two.

use super::StoreError;
use crate::model::{Body, ChangesetSummary, RecordVersion};
use crate::record::{ChangesetId, RecordId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

/// The format's name and version, in the first line.
pub const FORMAT: &str = "diming-backup";
pub const FORMAT_VERSION: u32 = 1;

/// Everything a store holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backup {
    pub changesets: Vec<ChangesetSummary>,
    pub versions: Vec<RecordVersion>,
    /// Photos and other uploads the records refer to.
    pub attachments: Vec<Attachment>,
}

/// A stored upload, as a backup carries it (the bytes in base64 on its line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub sha256: String,
    pub media_type: String,
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: String,
}

mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[derive(Serialize, Deserialize)]
struct VersionLine {
    id: RecordId,
    version: u32,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    recorded_at: DateTime<Utc>,
    superseded_at: Option<DateTime<Utc>>,
    changeset: ChangesetId,
    retired: bool,
    body: Body,
    geometry: geojson::Geometry,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Line {
    Header {
        format: String,
        version: u32,
        store: String,
        created_at: DateTime<Utc>,
    },
    Changeset(ChangesetSummary),
    Version(Box<VersionLine>),
    Attachment(Attachment),
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("备份文件第 {line} 行无法读取：{reason}")]
    Line { line: usize, reason: String },
    #[error("不是 diming 备份文件（缺少文件头）")]
    NoHeader,
    #[error("备份格式版本 {0} 高于本程序支持的版本 {FORMAT_VERSION}，请升级 diming")]
    TooNew(u32),
    #[error("读写备份失败：{0}")]
    Io(#[from] std::io::Error),
    #[error("恢复的目标登记簿不是空的（已有 {0} 个变更集）：请恢复到新的数据库")]
    NotEmpty(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Backup {
    pub fn write(&self, store: &str, out: &mut impl Write) -> Result<(), BackupError> {
        let header = Line::Header {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            store: store.into(),
            created_at: Utc::now(),
        };
        let line = |l: &Line| {
            crate::cemetery::personal::reveal(|| serde_json::to_string(l))
                .map_err(|e| std::io::Error::other(e.to_string()))
        };
        writeln!(out, "{}", line(&header)?)?;
        for c in &self.changesets {
            writeln!(out, "{}", line(&Line::Changeset(c.clone()))?)?;
        }
        for v in &self.versions {
            let l = Line::Version(Box::new(VersionLine {
                id: v.id,
                version: v.version,
                valid_from: v.valid_from,
                valid_to: v.valid_to,
                recorded_at: v.recorded_at,
                superseded_at: v.superseded_at,
                changeset: v.changeset,
                retired: v.retired,
                body: v.body.clone(),
                geometry: crate::spatial::geojson::from_geo(&v.geometry),
            }));
            writeln!(out, "{}", line(&l)?)?;
        }
        for a in &self.attachments {
            writeln!(out, "{}", line(&Line::Attachment(a.clone()))?)?;
        }
        out.flush()?;
        Ok(())
    }

    pub fn read(input: impl BufRead) -> Result<Backup, BackupError> {
        let mut backup = Backup::default();
        let mut header = false;
        for (i, text) in input.lines().enumerate() {
            let text = text?;
            if text.trim().is_empty() {
                continue;
            }
            let err = |reason: String| BackupError::Line {
                line: i + 1,
                reason,
            };
            let line: Line = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
            match line {
                Line::Header {
                    format, version, ..
                } => {
                    if format != FORMAT {
                        return Err(BackupError::NoHeader);
                    }
                    if version > FORMAT_VERSION {
                        return Err(BackupError::TooNew(version));
                    }
                    header = true;
                }
                _ if !header => return Err(BackupError::NoHeader),
                Line::Changeset(c) => backup.changesets.push(c),
                Line::Attachment(a) => {
                    if super::attachments::digest(&a.bytes) != a.sha256 {
                        return Err(err(format!("附件 {} 的内容与其校验值不符", a.sha256)));
                    }
                    backup.attachments.push(a);
                }
                Line::Version(v) => {
                    let geometry = geo::Geometry::<f64>::try_from(v.geometry.value.clone())
                        .map_err(|e| err(e.to_string()))?;
                    backup.versions.push(RecordVersion {
                        id: v.id,
                        version: v.version,
                        valid_from: v.valid_from,
                        valid_to: v.valid_to,
                        recorded_at: v.recorded_at,
                        superseded_at: v.superseded_at,
                        changeset: v.changeset,
                        retired: v.retired,
                        body: v.body,
                        geometry,
                    });
                }
            }
        }
        if !header {
            return Err(BackupError::NoHeader);
        }
        Ok(backup)
    }
}
