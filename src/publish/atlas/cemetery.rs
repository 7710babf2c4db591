//! Documents and maps of the cemeteries: relocation notices as PDF, the cemetery map and a
//! plot's plan.

use super::{Atlas, MapError, around, measured};
use crate::cemetery::Cemetery;
use crate::cemetery::Grave;
use crate::cemetery::Notice;
use crate::cemetery::Plot;
use crate::cemetery::Section;
use crate::cemetery::Zone;
use crate::cemetery::{PlotStatus, ZoneKind};
use crate::model::Body;
use crate::model::Variant;
use crate::record::RecordId;
use chrono::NaiveDate;
use geo::Geometry;

impl Atlas<'_> {
    /// The PDFs of a batch of relocation notices: one notice per grave (named by its number),
    /// each with a figure of the grave among the streets and zones, and the public notice for
    /// the area with every grave to move; as (file name, bytes).
    pub fn notice_pdfs(
        &self,
        notices: &[RecordId],
        area: Option<&Geometry<f64>>,
        title: &str,
        fonts: &crate::publish::pdf::Fonts,
    ) -> Result<Vec<(String, Vec<u8>)>, MapError> {
        use crate::publish::map::{Overlay, OverlayStyle, Symbol};
        use crate::publish::relocation::{notice_source, public_source};
        use geo::BoundingRect;
        let pdf = |source: &str| {
            crate::publish::pdf::render(source, fonts).map_err(|e| MapError(e.to_string()))
        };
        let state = self.state;
        // The zones the graves lie in (the cremation zone covers the town: not drawn).
        let colours = ["#e8c07d", "#9cc3e6", "#b6d7a8", "#d5a6bd"];
        let mut zones = Vec::new();
        for (i, v) in state
            .layer(Zone::LAYER)
            .filter(|v| {
                v.of::<Zone>()
                    .is_some_and(|z| z.kind != ZoneKind::Cremation)
            })
            .enumerate()
        {
            let Some(z) = v.of::<Zone>() else { continue };
            let mut style = OverlayStyle::area(colours[i % colours.len()]);
            style.fill_opacity = 0.45;
            style.width = 0.2;
            style.label_size = 2.4;
            style.label_colour = Some("#5b4636".into());
            zones.push(Overlay {
                id: format!("zone-{}", i + 1),
                legend: z.name.clone(),
                style,
                features: vec![(Some(z.name.clone()), measured(&v.geometry)?)],
            });
        }
        let area_m = area.map(measured).transpose()?;
        let mut base = zones;
        if let Some(a) = &area_m {
            let mut style = OverlayStyle::area("#c0392b");
            style.fill_opacity = 0.0;
            style.width = 0.6;
            style.dash = Some("2,1".into());
            base.push(Overlay {
                id: "area".into(),
                legend: "迁移范围".into(),
                style,
                features: vec![(None, a.clone())],
            });
        }
        let mut out = Vec::new();
        let (mut numbers, mut points) = (Vec::new(), Vec::new());
        let mut terms = None;
        for id in notices {
            let Some(v) = state.get(id) else { continue };
            let Some(n) = v.of::<Notice>() else { continue };
            let Some(g) = state.get(&n.grave) else {
                continue;
            };
            let (Some(grave), Geometry::Point(p)) = (g.of::<Grave>(), &g.geometry) else {
                continue;
            };
            let at = measured(&g.geometry)?;
            numbers.push(grave.number.clone());
            points.push((None, at.clone()));
            let mut focus = OverlayStyle::points("#c0392b", Symbol::Circle);
            focus.symbol_size = 3.0;
            focus.label_size = 3.0;
            let mut overlays = base.clone();
            overlays.push(Overlay {
                id: "grave".into(),
                legend: "本坟墓".into(),
                style: focus,
                features: vec![(Some(grave.number.clone()), at.clone())],
            });
            let r = at.bounding_rect().expect("a point has a box");
            let svg = self.figure(
                around(r, 0.0, 1600.0, 930.0),
                overlays,
                (120.0, 70.0),
                "figure-map",
            )?;
            out.push((
                format!("迁坟告知书-{}.pdf", n.number),
                pdf(&notice_source(n, grave, *p, Some(&svg)))?,
            ));
            terms.get_or_insert_with(|| n.terms.clone());
        }
        if let Some(terms) = terms {
            let mut dots = OverlayStyle::points("#333333", Symbol::Circle);
            dots.symbol_size = if points.len() > 40 { 1.0 } else { 1.6 };
            let r = match &area_m {
                Some(a) => a.bounding_rect(),
                None => geo::GeometryCollection(points.iter().map(|(_, g)| g.clone()).collect())
                    .bounding_rect(),
            };
            let mut overlays = base;
            overlays.push(Overlay {
                id: "graves".into(),
                legend: "须迁移的坟墓".into(),
                style: dots,
                features: points,
            });
            let svg = match r {
                Some(r) => {
                    let pad = (r.width().max(r.height()) * 0.08).max(100.0);
                    Some(self.figure(
                        around(r, pad, 400.0, 275.0),
                        overlays,
                        (160.0, 110.0),
                        "figure-map",
                    )?)
                }
                None => None,
            };
            out.push((
                "迁坟公告.pdf".into(),
                pdf(&public_source(title, &terms, &numbers, svg.as_deref()))?,
            ));
        }
        Ok(out)
    }
}

/// Plot colours on the cemetery map, by status.
const PLOT_COLOURS: [(PlotStatus, &str); 5] = [
    (PlotStatus::Available, "#ffffff"),
    (PlotStatus::Reserved, "#f3d98b"),
    (PlotStatus::Occupied, "#9aa5b1"),
    (PlotStatus::RelocatedIn, "#a9c6a0"),
    (PlotStatus::Expired, "#d9a0a0"),
];

impl Atlas<'_> {
    /// The plot overlays of one cemetery (or one section): a layer per status, each plot
    /// labelled with its number where it fits, and the sections with their codes.
    fn plot_overlays(
        &self,
        cemetery: RecordId,
        section: Option<RecordId>,
        numbers: bool,
    ) -> Result<Vec<crate::publish::map::Overlay>, MapError> {
        use crate::publish::map::{Overlay, OverlayStyle};
        let state = self.state;
        let mut sections = OverlayStyle::area("#8a7f6a");
        sections.fill_opacity = 0.12;
        sections.width = 0.4;
        sections.label_size = 4.0;
        let mut out = vec![Overlay {
            id: "sections".into(),
            legend: "墓区".into(),
            style: sections,
            features: Vec::new(),
        }];
        for v in state.layer(Section::LAYER) {
            if let Body::CemeterySection(s) = &v.body
                && s.cemetery == cemetery
                && section.is_none_or(|id| id == v.id)
            {
                let label = if s.name.is_empty() {
                    format!("{}区", s.code)
                } else {
                    format!("{}区 {}", s.code, s.name)
                };
                out[0].features.push((Some(label), measured(&v.geometry)?));
            }
        }
        out[0].features.sort_by(|a, b| a.0.cmp(&b.0));
        for (status, colour) in PLOT_COLOURS {
            let mut style = OverlayStyle::area(colour);
            style.fill_opacity = 1.0;
            style.width = 0.15;
            style.label_size = 1.2;
            style.label_colour = Some("#333333".into());
            style.outline = Some("#8c8c8c".into());
            style.label_inside = true;
            let mut features = Vec::new();
            for (v, p) in state.versions::<Plot>() {
                if p.cemetery == cemetery
                    && section.is_none_or(|id| id == p.section)
                    && p.status == status
                {
                    // 排-号: the section is named on the map.
                    let label = numbers.then(|| {
                        let n = p.number.to_string();
                        n.split_once('-')
                            .map_or(n.clone(), |(_, rest)| rest.to_string())
                    });
                    features.push((label, measured(&v.geometry)?));
                }
            }
            features.sort_by(|a, b| a.0.cmp(&b.0));
            if !features.is_empty() {
                out.push(Overlay {
                    id: format!("plots-{}", status.as_str()),
                    legend: format!("墓位：{}", status.label()),
                    style,
                    features,
                });
            }
        }
        Ok(out)
    }

    /// The map of a cemetery on a page: its sections and plots coloured by status, with the
    /// plot numbers where the scale leaves room for them.
    pub fn cemetery_map(
        &self,
        name: &str,
        layout: crate::publish::map::Layout,
        made: NaiveDate,
    ) -> Result<(crate::publish::map::Plan, crate::publish::map::MapData), MapError> {
        use geo::BoundingRect;
        let state = self.state;
        let v = state
            .layer(Cemetery::LAYER)
            .find(|v| {
                v.of::<Cemetery>().is_some_and(|c| c.name == name) || v.id.to_string() == name
            })
            .ok_or_else(|| MapError(format!("没有公墓“{name}”")))?;
        let r = super::measured(&v.geometry)?
            .bounding_rect()
            .ok_or_else(|| MapError(format!("公墓“{name}”没有范围")))?;
        let extent = super::around(r, r.width().max(r.height()) * 0.05, 60.0, 40.0);
        let (plan, mut data) =
            self.street_map(layout, &super::MapExtent::Ground(extent), None, made)?;
        data.overlays = self.plot_overlays(v.id, None, true)?;
        if let Body::Cemetery(c) = &v.body {
            data.title = Some(format!("{}墓位图", c.name));
            data.notes = PLOT_COLOURS
                .iter()
                .map(|(s, _)| {
                    let n = state
                        .layer(Plot::LAYER)
                        .filter(|p| {
                            p.of::<Plot>()
                                .is_some_and(|x| x.cemetery == v.id && x.status == *s)
                        })
                        .count();
                    format!("{}：{n} 个", s.label())
                })
                .collect();
        }
        Ok((plan, data))
    }

    /// A plan of a plot's section with the plot in red and numbered, for the grave finder.
    pub fn plot_plan(&self, plot: RecordId) -> Option<String> {
        let state = self.state;
        use crate::publish::map::{Overlay, OverlayStyle};
        use geo::BoundingRect;
        let v = state.get(&plot)?;
        let p = v.of::<Plot>()?;
        let section = state.get(&p.section)?;
        let r = super::measured(&section.geometry).ok()?.bounding_rect()?;
        let mut overlays = self
            .plot_overlays(p.cemetery, Some(p.section), false)
            .ok()?;
        let mut found = OverlayStyle::area("#c0392b");
        found.fill_opacity = 1.0;
        found.label_size = 2.6;
        found.label_colour = Some("#8b1a10".into());
        overlays.push(Overlay {
            id: "found".into(),
            legend: "所查墓位".into(),
            style: found,
            features: vec![(
                Some(p.number.to_string()),
                super::measured(&v.geometry).ok()?,
            )],
        });
        let extent = super::around(r, 4.0, 30.0, 20.0);
        self.figure(extent, overlays, (120.0, 80.0), "figure-map")
            .ok()
    }
}
