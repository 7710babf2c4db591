//! Bulk creation of plots: a section's polygon filled with a grid of plots of one size, with
//! aisles between columns and rows, turned to an orientation, numbered row by row. Works in
//! projected metres (EPSG:4546); a plot that would leave the section or overlap an existing
//! plot is refused and counted, never clipped.

use geo::{Area, BoundingRect, Centroid, Contains, Coord, Intersects, LineString, Polygon, Rotate};
use serde::{Deserialize, Serialize};

/// Where numbering starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// Row 1 at the south (front), numbers from the west.
    SouthWest,
    SouthEast,
    NorthWest,
    NorthEast,
}

impl std::str::FromStr for Start {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "south-west" | "sw" | "西南" => Ok(Start::SouthWest),
            "south-east" | "se" | "东南" => Ok(Start::SouthEast),
            "north-west" | "nw" | "西北" => Ok(Start::NorthWest),
            "north-east" | "ne" | "东北" => Ok(Start::NorthEast),
            _ => Err(format!("编号起点“{s}”无效：应为 sw、se、nw、ne")),
        }
    }
}

/// The grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// Plot width along a row and depth across it, metres.
    pub width_m: f64,
    pub depth_m: f64,
    /// Aisle between two plots of a row, and between two rows, metres.
    pub aisle_m: f64,
    pub row_aisle_m: f64,
    /// Rows run at this angle, degrees counter-clockwise from east.
    pub angle_deg: f64,
    pub start: Start,
    /// Number of the first row (to continue a section already partly laid out).
    pub first_row: u32,
}

/// A plot laid out: its row, its number in the row, its polygon (metres).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub number: u32,
    pub polygon: Polygon<f64>,
}

/// What a fill produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Fill {
    pub cells: Vec<Cell>,
    /// Positions refused because the plot would leave the section.
    pub outside: usize,
    /// Positions refused because the plot would overlap an existing plot.
    pub overlapping: usize,
}

/// Fills `section` with plots, skipping any that would overlap `existing`.
pub fn fill(
    section: &Polygon<f64>,
    existing: &[Polygon<f64>],
    grid: &Grid,
) -> Result<Fill, String> {
    if !(grid.width_m > 0.0 && grid.depth_m > 0.0) {
        return Err("墓位宽度和深度须大于 0".into());
    }
    if grid.aisle_m < 0.0 || grid.row_aisle_m < 0.0 {
        return Err("通道宽度不能为负".into());
    }
    let centre = section.centroid().ok_or("墓区范围为空")?;
    // Work in a frame where rows run along x.
    let upright = section.rotate_around_point(-grid.angle_deg, centre);
    let rect = upright.bounding_rect().ok_or("墓区范围为空")?;
    let (w, d) = (grid.width_m, grid.depth_m);
    let cols = ((rect.width() + grid.aisle_m) / (w + grid.aisle_m)).floor() as usize;
    let rows = ((rect.height() + grid.row_aisle_m) / (d + grid.row_aisle_m)).floor() as usize;
    if cols * rows > 200_000 {
        return Err(format!("墓位过多（{cols} × {rows}）：请检查尺寸单位（米）"));
    }
    // Centre the grid in the bounding box.
    let x0 =
        rect.min().x + (rect.width() - (cols as f64 * (w + grid.aisle_m) - grid.aisle_m)) / 2.0;
    let y0 = rect.min().y
        + (rect.height() - (rows as f64 * (d + grid.row_aisle_m) - grid.row_aisle_m)) / 2.0;
    let from_north = matches!(grid.start, Start::NorthWest | Start::NorthEast);
    let from_east = matches!(grid.start, Start::SouthEast | Start::NorthEast);
    let mut out = Fill {
        cells: Vec::new(),
        outside: 0,
        overlapping: 0,
    };
    let mut row_number = grid.first_row;
    for r in 0..rows {
        let ri = if from_north { rows - 1 - r } else { r };
        let mut number = 0;
        for c in 0..cols {
            let ci = if from_east { cols - 1 - c } else { c };
            let x = x0 + ci as f64 * (w + grid.aisle_m);
            let y = y0 + ri as f64 * (d + grid.row_aisle_m);
            let cell = Polygon::new(
                LineString::from(vec![
                    Coord { x, y },
                    Coord { x: x + w, y },
                    Coord { x: x + w, y: y + d },
                    Coord { x, y: y + d },
                    Coord { x, y },
                ]),
                vec![],
            )
            .rotate_around_point(grid.angle_deg, centre);
            if !section.contains(&cell) {
                out.outside += 1;
                continue;
            }
            if existing
                .iter()
                .any(|e| e.intersects(&cell) && overlap_area(e, &cell) > 1e-6)
            {
                out.overlapping += 1;
                continue;
            }
            number += 1;
            out.cells.push(Cell {
                row: row_number,
                number,
                polygon: cell,
            });
        }
        if number > 0 {
            row_number += 1;
        }
    }
    Ok(out)
}

/// The area two polygons share, m².
pub fn overlap_area(a: &Polygon<f64>, b: &Polygon<f64>) -> f64 {
    use geo::BooleanOps;
    a.intersection(b).unsigned_area()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, s: f64) -> Polygon<f64> {
        Polygon::new(
            LineString::from(vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)]),
            vec![],
        )
    }

    #[test]
    fn fills_a_square_section_row_by_row() {
        let section = square(0.0, 0.0, 20.0);
        let grid = Grid {
            width_m: 1.0,
            depth_m: 1.0,
            aisle_m: 0.5,
            row_aisle_m: 1.0,
            angle_deg: 0.0,
            start: Start::SouthWest,
            first_row: 1,
        };
        let f = fill(&section, &[], &grid).unwrap();
        // 13 plots of 1 m with 0.5 m aisles fit in 20 m; 10 rows of 1 m with 1 m aisles.
        assert_eq!(f.cells.len(), 13 * 10);
        let first = &f.cells[0];
        assert_eq!((first.row, first.number), (1, 1));
        let last = f.cells.last().unwrap();
        assert_eq!((last.row, last.number), (10, 13));
        // Row 1 is the southernmost; number 1 the westernmost.
        let c1 = first.polygon.centroid().unwrap();
        let c2 = f.cells[1].polygon.centroid().unwrap();
        assert!(c1.x() < c2.x());
        assert!(c1.y() < last.polygon.centroid().unwrap().y());
        // An existing plot in the middle takes its place; a turned grid stays inside.
        let g = fill(&section, &[square(9.0, 9.0, 1.0)], &grid).unwrap();
        assert_eq!(g.overlapping, 1);
        assert_eq!(g.cells.len(), 13 * 10 - 1);
        let turned = Grid {
            angle_deg: 30.0,
            ..grid
        };
        let t = fill(&section, &[], &turned).unwrap();
        assert!(t.outside > 0 && !t.cells.is_empty());
        assert!(t.cells.iter().all(|c| section.contains(&c.polygon)));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn rect(w: f64, h: f64) -> Polygon<f64> {
        Polygon::new(
            LineString::from(vec![(0.0, 0.0), (w, 0.0), (w, h), (0.0, h), (0.0, 0.0)]),
            vec![],
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the section, grid and orientation: every plot lies inside the section, no
        /// two overlap, each has the asked size, and numbers run 1, 2, 3… in every row.
        #[test]
        fn plots_stay_inside_never_overlap_and_number_in_order(
            w in 5.0f64..60.0, h in 5.0f64..60.0,
            pw in 0.5f64..3.0, pd in 0.5f64..3.0,
            aisle in 0.0f64..1.5, row_aisle in 0.0f64..1.5,
            angle in -90.0f64..90.0,
            start in 0usize..4,
        ) {
            let section = rect(w, h);
            let grid = Grid {
                width_m: pw, depth_m: pd, aisle_m: aisle, row_aisle_m: row_aisle, angle_deg: angle,
                start: [Start::SouthWest, Start::SouthEast, Start::NorthWest, Start::NorthEast][start],
                first_row: 1,
            };
            let fill = fill(&section, &[], &grid).unwrap();
            for c in &fill.cells {
                prop_assert!(section.contains(&c.polygon));
                prop_assert!((c.polygon.unsigned_area() - pw * pd).abs() < 1e-6);
            }
            for (i, a) in fill.cells.iter().enumerate() {
                for b in &fill.cells[i + 1..] {
                    prop_assert!(overlap_area(&a.polygon, &b.polygon) < 1e-6);
                }
            }
            let mut rows: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
            for c in &fill.cells {
                rows.entry(c.row).or_default().push(c.number);
            }
            for (i, (row, numbers)) in rows.iter().enumerate() {
                prop_assert_eq!(*row as usize, i + 1);
                prop_assert_eq!(numbers.clone(), (1..=numbers.len() as u32).collect::<Vec<_>>());
            }
        }
    }
}
