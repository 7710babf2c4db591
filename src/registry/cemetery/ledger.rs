//! The import of a burial ledger (a spreadsheet of past burials) into the registry.

use super::find_plot;
use crate::cemetery::Burial;
use crate::cemetery::rules::Zones;
use crate::cemetery::{Disposition, Plot, PlotStatus, Remains, USE_YEARS, UsePeriod, add_years};
use crate::model::Variant;
use crate::model::{Body, Changeset, Write};
use crate::record::{ChangesetId, RecordId};
use crate::registry::{Registry, RegistryError};
use geo::{Centroid, Geometry, Point};
use std::collections::HashMap;

/// What an import did, or would have done.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LedgerImport {
    pub rows: usize,
    pub refused: Vec<crate::cemetery::ledger::Refusal>,
    /// The changeset written (none when a row was refused or on a dry run).
    pub changeset: Option<ChangesetId>,
}

impl Registry {
    /// Reads a ledger file (CSV or XLSX, by its extension) and imports it all or nothing:
    /// unknown columns refuse the file; every row's refusals, from reading or from the
    /// registry's checks, are reported together; nothing is written on a dry run or when
    /// any row is refused.
    pub async fn import_ledger_file(
        &self,
        author: &str,
        path: &std::path::Path,
        dry_run: bool,
    ) -> Result<LedgerImport, RegistryError> {
        use crate::cemetery::ledger::{Refusal, header_map, read_row};
        let rows = crate::io::ledger::read(path).map_err(RegistryError::Invalid)?;
        let headers: Vec<String> = rows
            .first()
            .map(|r| r.cells.keys().cloned().collect())
            .unwrap_or_default();
        let map = header_map(&headers).map_err(|unknown| {
            RegistryError::Invalid(format!(
                "无法识别的列 {}（可用列见台账说明）",
                unknown.join("、")
            ))
        })?;
        let mut refused: Vec<Refusal> = Vec::new();
        let mut read = Vec::new();
        for row in &rows {
            let cells: HashMap<&str, &str> = row
                .cells
                .iter()
                .filter_map(|(h, v)| map.get(h).map(|f| (*f, v.as_str())))
                .collect();
            match read_row(row.line, &cells, author) {
                Ok(b) => read.push(b),
                Err(r) => refused.extend(r),
            }
        }
        // Rows that read well are still checked against the registry (plots, capacity, the
        // cremation zone) so that one run reports every refusal; nothing is written if any.
        let mut report = self
            .import_burials(author, read, dry_run || !refused.is_empty())
            .await?;
        report.rows = rows.len();
        report.refused.extend(refused);
        report.refused.sort_by_key(|r| r.line);
        Ok(report)
    }

    /// Imports a burial ledger all or nothing: every row is checked (plot, capacity counting
    /// the rows before it, ashes or body, expired plots, the cremation zone); if any row is
    /// refused nothing is written and every refusal is reported.
    pub async fn import_burials(
        &self,
        author: &str,
        rows: Vec<crate::cemetery::ledger::LedgerBurial>,
        dry_run: bool,
    ) -> Result<LedgerImport, RegistryError> {
        use crate::cemetery::ledger::Refusal;
        let n = rows.len();
        let mut refused = Vec::new();
        let mut cs = Changeset::new(author, format!("导入殡葬登记台账（{n} 条）"));
        {
            let state = self.current();
            let zones = Zones::of(&*state);
            let mut occupancy: HashMap<RecordId, usize> = HashMap::new();
            for v in state.layer(Burial::LAYER) {
                if let Body::Burial(b) = &v.body
                    && let Some(p) = b.plot
                {
                    *occupancy.entry(p).or_default() += 1;
                }
            }
            let mut plot_updates: Vec<(RecordId, Plot, u32, Geometry<f64>)> = Vec::new();
            let extent = &self.config.jurisdiction.extent;
            for row in rows {
                let mut refuse = |column: &str, message: String| {
                    refused.push(Refusal {
                        line: row.line,
                        column: column.into(),
                        message,
                    });
                };
                let mut burial = row.burial;
                let geometry = match &row.plot {
                    Some(number) => {
                        let id = match find_plot(&state, row.cemetery.as_deref(), number) {
                            Ok(id) => id,
                            Err(e) => {
                                refuse("墓位号", e);
                                continue;
                            }
                        };
                        let v = state.get(&id).expect("a found plot");
                        let Some(plot) = v.of::<Plot>() else { continue };
                        let pending = plot_updates.iter().position(|(p, ..)| *p == id);
                        let current = pending.map_or(plot, |i| &plot_updates[i].1);
                        let count = occupancy.entry(id).or_default();
                        if *count >= plot.kind.capacity() {
                            refuse(
                                "墓位号",
                                format!(
                                    "墓位 {number}（{}）已满：容量 {}，已安葬 {} 人",
                                    plot.kind.label(),
                                    plot.kind.capacity(),
                                    *count
                                ),
                            );
                            continue;
                        }
                        if burial.disposition == Disposition::Burial
                            && plot.kind.remains == Remains::Ashes
                        {
                            refuse("墓位号", format!("遗体土葬不能安排在骨灰墓位 {number}"));
                            continue;
                        }
                        if current.status == PlotStatus::Expired {
                            refuse("墓位号", format!("墓位 {number} 使用期满：须先续期"));
                            continue;
                        }
                        *count += 1;
                        let mut next = current.clone();
                        next.status = PlotStatus::Occupied;
                        if next.period.is_none() {
                            next.period = Some(UsePeriod {
                                from: burial.registered_on,
                                until: add_years(burial.registered_on, USE_YEARS),
                            });
                        }
                        match pending {
                            Some(i) => plot_updates[i].1 = next,
                            None => plot_updates.push((id, next, v.version, v.geometry.clone())),
                        }
                        burial.plot = Some(id);
                        match v.geometry.centroid() {
                            Some(c) => Geometry::Point(c),
                            None => continue,
                        }
                    }
                    None => {
                        let Some((x, y)) = row.site else { continue };
                        if !(extent.west..=extent.east).contains(&x)
                            || !(extent.south..=extent.north).contains(&y)
                        {
                            refuse(
                                "安葬地点经度",
                                format!("({x}, {y}) 在本市范围之外（或经纬度填反）"),
                            );
                            continue;
                        }
                        Geometry::Point(Point::new(x, y))
                    }
                };
                let in_zone = zones.residence_in_cremation(&*state, &burial.deceased.residence)
                    || zones.site_in_cremation(&geometry);
                if burial.disposition == Disposition::Burial
                    && in_zone
                    && burial
                        .exemption
                        .as_deref()
                        .is_none_or(|e| e.trim().is_empty())
                {
                    refuse("豁免理由", "火葬区内的遗体土葬须填写豁免理由".into());
                    continue;
                }
                cs.push(Write::Create {
                    id: RecordId::new(),
                    valid_from: burial.deceased.died,
                    body: burial.into(),
                    geometry,
                });
            }
            for (id, plot, version, geometry) in plot_updates {
                let on = plot
                    .period
                    .as_ref()
                    .map_or_else(|| chrono::Local::now().date_naive(), |p| p.from);
                cs.push(Write::Update {
                    id,
                    base_version: version,
                    valid_from: on,
                    body: plot.into(),
                    geometry,
                });
            }
        }
        // Plot updates must come before the burials that need the plot in use.
        cs.writes
            .sort_by_key(|w| !matches!(w, Write::Update { .. }));
        if !refused.is_empty() || dry_run || cs.writes.is_empty() {
            return Ok(LedgerImport {
                rows: n,
                refused,
                changeset: None,
            });
        }
        let id = self.commit(cs).await?;
        Ok(LedgerImport {
            rows: n,
            refused,
            changeset: Some(id),
        })
    }
}
