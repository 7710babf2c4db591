//! Files in and out of the registry, one use case each for every face: `diming import` and
//! `diming export` on the command line and the web's upload page with
//! `/api/layers/{table}/import|export` call these, so that a file is read, checked, committed
//! and written the same way whichever door it came through. The faces keep only what is
//! theirs: where the file comes from (a path, an upload), progress, and how the answer is shown.

use super::{Registry, RegistryError};
use crate::io::{self, Format, OutFeature, RawLayer, import::Report};
use crate::model::{Layer, RecordVersion};
use crate::record::{ApprovalDocument, ChangesetId};
use chrono::NaiveDate;
use serde::Serialize;

/// What an officer asks of an import, beside the file itself.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub layer: Layer,
    /// Source column → registry column.
    pub map: Vec<(String, String)>,
    /// The approval the import cites: under it the file's names may be registered as
    /// approved or published (without one they may only be proposed).
    pub document: Option<ApprovalDocument>,
    pub author: String,
    /// The changeset's reason ([`ImportRequest::reason_for`] a file by default).
    pub reason: String,
    /// Check only, against every rule of a commit: nothing is written.
    pub dry_run: bool,
    /// The records' `valid_from` where the file gives none.
    pub today: NaiveDate,
}

impl ImportRequest {
    /// The reason of an import that gives none: the file's name.
    pub fn reason_for(file_name: &str) -> String {
        format!("从文件导入：{file_name}")
    }
}

/// What an import found and did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ImportReport)]
pub struct Imported {
    #[serde(flatten)]
    pub report: Report,
    /// The file's format and the coordinate system it was read in.
    pub format: String,
    pub crs: String,
    pub dry_run: bool,
    /// The changeset written (none for a dry run, a refused file or a file with no change).
    #[schema(value_type = Option<String>)]
    pub changeset: Option<ChangesetId>,
    /// A dry run's verdict of the registry's rules over the whole changeset (numbering,
    /// markers, cemeteries…), in words: none when a commit would be accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    /// The same verdict, for the face to answer with.
    #[serde(skip)]
    pub refusal: Option<RegistryError>,
}

/// The layers that take files, for a message.
fn importable_layers() -> String {
    Layer::ALL
        .iter()
        .filter(|l| !io::import::columns(**l).is_empty())
        .map(|l| l.table())
        .collect::<Vec<_>>()
        .join("、")
}

/// Parses `file=registry` column pairs.
pub fn column_map<'a>(
    pairs: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<(String, String)>, String> {
    pairs
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.split_once('=')
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .ok_or_else(|| format!("字段对应“{p}”应写作 文件字段=登记簿字段"))
        })
        .collect()
}

impl Registry {
    /// Whether files may be imported into `layer`; the error names the layers that take them.
    pub fn importable(layer: Layer) -> Result<(), RegistryError> {
        if io::import::columns(layer).is_empty() {
            return Err(RegistryError::Invalid(format!(
                "“{}”不能从文件导入（由其模块的命令和表单登记）；可导入的图层：{}",
                layer.label(),
                importable_layers()
            )));
        }
        Ok(())
    }

    /// Checks each feature of `file` against the registry as it is and the file's other
    /// features. Seconds of work on every core for a large file: faces run it off their async
    /// threads.
    pub fn check_import(&self, request: &ImportRequest, file: &RawLayer) -> Report {
        io::import::plan(
            &self.current(),
            request.layer,
            &file.features,
            &request.map,
            &self.config,
            request.today,
            request.document.as_ref(),
        )
    }

    /// Finishes a checked import all or nothing: commits its changeset (every rule of a
    /// commit applies), or for a dry run asks the same rules and writes nothing. A file with a
    /// refused feature writes nothing.
    pub async fn finish_import(
        &self,
        request: &ImportRequest,
        file: &RawLayer,
        mut report: Report,
    ) -> Result<Imported, RegistryError> {
        let (changeset, refusal) = match report.take_changeset(&request.author, &request.reason) {
            Some(cs) if request.dry_run => (None, self.preview(cs).err()),
            Some(cs) => (Some(self.commit(cs).await?), None),
            None => (None, None),
        };
        Ok(Imported {
            report,
            format: file.format.clone(),
            crs: file.crs.clone(),
            dry_run: request.dry_run,
            changeset,
            rules: refusal.as_ref().map(ToString::to_string),
            refusal,
        })
    }

    /// The records given as features to export, each with what a file shows of it (the
    /// street name of a door plate, say).
    pub fn export_features(&self, versions: &[RecordVersion]) -> Vec<OutFeature> {
        io::export_features(&versions.iter().collect::<Vec<_>>(), &self.current())
    }
}

/// Writes `features` of `layer` to `path` in `format` and `crs` (blocking: file work).
pub fn write_file(
    path: &std::path::Path,
    layer: Layer,
    format: Format,
    crs: u32,
    features: &[OutFeature],
) -> Result<(), io::IoError> {
    io::export(
        path,
        format,
        layer.geometry_kind(),
        layer.table(),
        &io::export_fields(layer),
        features,
        crs,
    )
}
