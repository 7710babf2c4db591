//! The demo's cemeteries and burials, built to reproduce the city's own figures (DOMAIN.md
//! §7): 733 deaths registered 2016–2020 (483 buried, 250 cremated), 150 in 2020 (105 buried,
//! 45 cremated), 5 funeral subsidies of 1,810 yuan of which 2 in 2020, 92 relocation notices
//! issued before Qingming 2020 and 5 graves moved into the public cemetery. Everything else
//! is synthetic (`source = sample`): the public cemetery and its sections south-east of the
//! town, plots laid out by the same grid fill officers use, the people (names and valid but
//! invented ID numbers), the zones. Two plots are planted for `diming cemetery check`: one
//! larger than the 1998 limit and one overlapping it.

mod later;

use later::*;

use super::date;
use crate::cemetery::layout::{self, Grid, Start};
use crate::cemetery::personal::{IdNumber, Phone};
use crate::cemetery::subsidy::Item;
use crate::cemetery::{
    Burial, Cemetery, CemeteryKind, Deceased, Disposition, Grave, GraveKind, Notice, NoticeStatus,
    NoticeStep, NoticeTerms, Occupancy, Plot, PlotKind, PlotNumber, PlotStatus, Remains, Section,
    Sex, SubsidyClaim, Treatment, UsePeriod, Zone, ZoneKind, add_years,
};
use crate::model::{Body, Write};
use crate::record::{RecordId, Source};
use crate::spatial::crs;
use chrono::{Datelike, Duration, NaiveDate};
use geo::{BooleanOps, Centroid, Coord, Geometry, LineString, MultiPolygon, Point, Polygon};

/// The funeral home (殡仪馆), centre of the 30 km cremation zone.
pub const FUNERAL_HOME: (f64, f64) = (111.99, 43.615);
/// The public cemetery's south-west corner.
const CEMETERY_SW: (f64, f64) = (112.03, 43.598);
/// The sections: code, name, area in metres from the cemetery's corner (x, y, width,
/// height), the grid (plot width, depth, aisle, row aisle), what the plots hold, when laid out.
type SectionPlan = (
    &'static str,
    &'static str,
    (f64, f64, f64, f64),
    (f64, f64, f64, f64),
    Remains,
    Occupancy,
    (i32, u32, u32),
);
#[rustfmt::skip]
const SECTIONS: [SectionPlan; 6] = [
    ("A", "骨灰单穴区", (10.0, 10.0, 30.0, 20.0), (0.9, 1.0, 0.5, 0.8), Remains::Ashes, Occupancy::Single, (2015, 10, 1)),
    ("B", "骨灰双穴区", (10.0, 50.0, 20.0, 15.0), (0.95, 1.0, 0.5, 0.8), Remains::Ashes, Occupancy::Double, (2015, 10, 1)),
    ("C", "遗体单穴区", (60.0, 10.0, 70.0, 50.0), (1.8, 2.2, 0.8, 1.2), Remains::Body, Occupancy::Single, (2015, 10, 1)),
    ("D", "遗体双穴区", (60.0, 70.0, 60.0, 40.0), (2.4, 2.4, 0.8, 1.2), Remains::Body, Occupancy::Double, (2015, 10, 1)),
    ("E", "老墓区（2005 年）", (140.0, 10.0, 40.0, 40.0), (1.8, 2.2, 0.8, 1.2), Remains::Body, Occupancy::Single, (2005, 5, 1)),
    ("F", "迁坟安置区", (140.0, 70.0, 30.0, 20.0), (1.8, 2.2, 0.8, 1.2), Remains::Body, Occupancy::Single, (2019, 10, 1)),
];

/// Deaths, burials (土葬) and cremations per year, 2016–2020: 733 = 483 + 250.
pub const YEARS: [(i32, usize, usize); 5] = [
    (2016, 92, 47),
    (2017, 96, 50),
    (2018, 97, 51),
    (2019, 93, 57),
    (2020, 105, 45),
];

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗",
];
const GIVEN: [&str; 24] = [
    "秀英", "桂兰", "建国", "玉兰", "志强", "淑珍", "国华", "凤英", "德明", "桂英", "振华", "秀兰",
    "永福", "玉珍", "文斌", "桂芝", "海涛", "淑华", "长青", "丽华", "宝山", "春花", "占林", "素琴",
];
const MONGOLIAN: [&str; 24] = [
    "巴特尔",
    "其其格",
    "斯琴",
    "乌云",
    "格日勒",
    "额尔敦",
    "苏和",
    "宝音",
    "那仁",
    "图雅",
    "阿拉坦",
    "朝鲁",
    "孟和",
    "萨仁",
    "敖登",
    "哈斯",
    "达来",
    "布和",
    "乌力吉",
    "额日和木",
    "满都拉",
    "其木格",
    "巴雅尔",
    "吉雅",
];
const COMMUNITIES: [&str; 8] = [
    "152501400001",
    "152501400002",
    "152501400003",
    "152501400004",
    "152501400005",
    "152501400006",
    "152501400007",
    "152501400008",
];
/// 嘎查 far enough from the funeral home to lie outside the cremation zone.
const OUTER_GACHA: [&str; 2] = ["152501200200", "152501200204"];

/// A small deterministic generator (the demo must be the same every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }
}

fn sample_cremation_zone(outline: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let (lon, lat) = FUNERAL_HOME;
    let r = 30_000.0;
    let dx = r / (111_320.0 * lat.to_radians().cos());
    let dy = r / 110_574.0;
    let ring: Vec<Coord<f64>> = (0..=96)
        .map(|i| {
            let a = f64::from(i % 96) / 96.0 * std::f64::consts::TAU;
            Coord {
                x: lon + dx * a.cos(),
                y: lat + dy * a.sin(),
            }
        })
        .collect();
    MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]).intersection(outline)
}

fn rect_deg(w: f64, s: f64, e: f64, n: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![
        geo::Rect::new(Coord { x: w, y: s }, Coord { x: e, y: n }).to_polygon(),
    ])
}

/// A rectangle in metres from the cemetery's corner, as stored coordinates.
struct Site {
    x0: f64,
    y0: f64,
}

impl Site {
    fn new() -> Result<Site, String> {
        let p = crs::to_measure(&Geometry::Point(Point::new(CEMETERY_SW.0, CEMETERY_SW.1)))
            .map_err(|e| e.to_string())?;
        let Geometry::Point(p) = p else {
            return Err("投影结果不是点".into());
        };
        Ok(Site {
            x0: p.x(),
            y0: p.y(),
        })
    }

    fn metres(&self, x: f64, y: f64, w: f64, h: f64) -> Polygon<f64> {
        let (x, y) = (self.x0 + x, self.y0 + y);
        geo::Rect::new(Coord { x, y }, Coord { x: x + w, y: y + h }).to_polygon()
    }

    fn stored(&self, p: &Polygon<f64>) -> Result<Geometry<f64>, String> {
        let g = crs::from_measure(&Geometry::Polygon(p.clone())).map_err(|e| e.to_string())?;
        Ok(match g {
            Geometry::Polygon(p) => Geometry::MultiPolygon(MultiPolygon(vec![p])),
            other => other,
        })
    }
}

pub fn cemetery_id() -> RecordId {
    RecordId::derived("cemetery/public")
}

fn section_id(code: &str) -> RecordId {
    RecordId::derived(&format!("cemetery-section/{code}"))
}

fn plot_id(number: &PlotNumber) -> RecordId {
    RecordId::derived(&format!("plot/{number}"))
}

/// The zones: the cremation zone (30 km around the funeral home, within the city) and three
/// areas of the 三沿七区 where graves are not allowed.
pub fn zones(outline: &MultiPolygon<f64>) -> Vec<Write> {
    let zone =
        |key: &str, name: &str, kind: ZoneKind, basis: &str, g: MultiPolygon<f64>| Write::Create {
            id: RecordId::derived(&format!("zone/{key}")),
            valid_from: date(2016, 1, 1),
            body: Body::from(Zone {
                name: name.into(),
                kind,
                basis: basis.into(),
                source: Source::Sample,
            }),
            geometry: Geometry::MultiPolygon(g),
        };
    vec![
        zone(
            "cremation",
            "二连浩特市火葬区（殡仪馆周边 30 公里）",
            ZoneKind::Cremation,
            "《内蒙古自治区殡葬管理办法》：殡仪馆周边不少于 30 公里划为火葬区（示例范围）",
            sample_cremation_zone(outline),
        ),
        zone(
            "g208",
            "G208 国道两侧",
            ZoneKind::RoadRailway,
            "锡林郭勒盟三沿七区散埋乱葬整治（示例范围）",
            rect_deg(111.970, 43.40, 111.982, 43.625),
        ),
        zone(
            "taoli",
            "陶力嘎查居民点周边",
            ZoneKind::Village,
            "锡林郭勒盟三沿七区散埋乱葬整治（示例范围）",
            rect_deg(111.725, 43.540, 111.755, 43.560),
        ),
        zone(
            "water",
            "市区水源地保护区",
            ZoneKind::WaterSource,
            "饮用水水源保护区划定方案（示例范围）",
            rect_deg(112.060, 43.560, 112.090, 43.590),
        ),
    ]
}

/// Laid-out plots of a section: (number, polygon in metres).
struct Laid {
    code: &'static str,
    kind: PlotKind,
    laid_out: NaiveDate,
    cells: Vec<(PlotNumber, Polygon<f64>)>,
}

fn lay(
    site: &Site,
    code: &'static str,
    (x, y, w, h): (f64, f64, f64, f64),
    (pw, pd, aisle, row_aisle): (f64, f64, f64, f64),
    kind: PlotKind,
    laid_out: NaiveDate,
) -> Result<(Polygon<f64>, Laid), String> {
    let section = site.metres(x, y, w, h);
    let grid = Grid {
        width_m: pw,
        depth_m: pd,
        aisle_m: aisle,
        row_aisle_m: row_aisle,
        angle_deg: 0.0,
        start: Start::SouthWest,
        first_row: 1,
    };
    let fill = layout::fill(&section, &[], &grid)?;
    let cells = fill
        .cells
        .into_iter()
        .map(|c| {
            (
                PlotNumber {
                    section: code.into(),
                    row: c.row,
                    number: c.number,
                },
                c.polygon,
            )
        })
        .collect();
    Ok((
        section,
        Laid {
            code,
            kind,
            laid_out,
            cells,
        },
    ))
}

/// What the burials decided about each plot.
#[derive(Default, Clone)]
struct Use {
    status: Option<PlotStatus>,
    period: Option<UsePeriod>,
    holder: Option<String>,
    phone: Option<Phone>,
}

fn person(rng: &mut Lcg, mongol: bool) -> (String, Sex) {
    let sex = if rng.below(2) == 0 {
        Sex::Male
    } else {
        Sex::Female
    };
    let name = if mongol {
        MONGOLIAN[rng.below(MONGOLIAN.len())].to_string()
    } else {
        format!(
            "{}{}",
            SURNAMES[rng.below(SURNAMES.len())],
            GIVEN[rng.below(GIVEN.len())]
        )
    };
    (name, sex)
}

fn id_number(born: NaiveDate, sex: Sex, seq: usize) -> IdNumber {
    // The sequence digit's parity is the sex: odd for men.
    let s = (seq % 499) * 2 + usize::from(sex == Sex::Male);
    IdNumber::with_check(&format!("152501{}{:03}", born.format("%Y%m%d"), s % 1000))
        .expect("a well-formed demo ID number")
}

fn phone(rng: &mut Lcg) -> Phone {
    Phone::parse(&format!("1384790{:04}", rng.below(10_000))).expect("a demo phone number")
}

/// Everything of the cemetery module, as changesets' writes in commit order: (key, reason,
/// writes).
pub fn changesets() -> Result<Vec<(String, String, Vec<Write>)>, String> {
    let site = Site::new()?;
    let mut rng = Lcg(20_200_404);
    let opened = date(2005, 5, 1);
    let mut sections = SECTIONS
        .iter()
        .map(|(code, _, area, grid, remains, occupancy, laid_out)| {
            let (y, m, d) = *laid_out;
            lay(
                &site,
                code,
                *area,
                *grid,
                PlotKind {
                    remains: *remains,
                    occupancy: *occupancy,
                },
                date(y, m, d),
            )
        })
        .collect::<Result<Vec<_>, String>>()?;
    // Section E keeps 8 rows of the 2005 layout; the free ground above holds the two plots
    // planted for the check: 5.0 m² (over the 4 m² limit) and one overlapping it by 1 m².
    let e = sections
        .iter_mut()
        .find(|(_, l)| l.code == "E")
        .expect("section E");
    e.1.cells.retain(|(n, _)| n.row <= 8);
    let planted = [
        (
            PlotNumber {
                section: "E".into(),
                row: 9,
                number: 1,
            },
            site.metres(142.0, 38.0, 2.5, 2.0),
        ),
        (
            PlotNumber {
                section: "E".into(),
                row: 9,
                number: 2,
            },
            site.metres(144.0, 38.0, 1.8, 2.2),
        ),
    ];
    e.1.cells.extend(planted);

    // Cemeteries and sections.
    let mut layout_writes = vec![
        Write::Create {
            id: cemetery_id(),
            valid_from: opened,
            body: Body::from(Cemetery {
                name: "二连浩特市公益性公墓".into(),
                kind: CemeteryKind::Public,
                operator: "二连浩特市民政局".into(),
                address: "二连浩特市区东南（示例位置）".into(),
                approval: Some("锡民发〔2005〕12号（示例）".into()),
                opened: Some(opened),
                source: Source::Sample,
            }),
            geometry: site.stored(&site.metres(0.0, 0.0, 220.0, 140.0))?,
        },
        Write::Create {
            id: RecordId::derived("cemetery/commercial"),
            valid_from: date(2012, 4, 1),
            body: Body::from(Cemetery {
                name: "福寿园经营性公墓（示例）".into(),
                kind: CemeteryKind::Commercial,
                operator: "二连浩特市福寿园陵园有限公司（示例）".into(),
                address: "二连浩特市区西南（示例位置）".into(),
                approval: Some("内民政发〔2012〕33号（示例）".into()),
                opened: Some(date(2012, 4, 1)),
                source: Source::Sample,
            }),
            geometry: Geometry::MultiPolygon(rect_deg(111.905, 43.600, 111.908, 43.602)),
        },
    ];
    for (polygon, laid) in &sections {
        let name = SECTIONS
            .iter()
            .find(|s| s.0 == laid.code)
            .map_or("", |s| s.1);
        layout_writes.push(Write::Create {
            id: section_id(laid.code),
            valid_from: laid.laid_out,
            body: Body::from(Section {
                cemetery: cemetery_id(),
                code: laid.code.into(),
                name: name.into(),
                source: Source::Sample,
            }),
            geometry: site.stored(polygon)?,
        });
    }

    // Burials, deciding the use of plots as they go.
    let mut uses: std::collections::HashMap<PlotNumber, Use> = Default::default();
    let free = |code: &str, i: usize| -> PlotNumber {
        let laid = &sections
            .iter()
            .find(|(_, l)| l.code == code)
            .expect("section")
            .1;
        laid.cells[i].0.clone()
    };
    let mut burials: Vec<(i32, Write)> = Vec::new();
    let mut seq = 0usize;
    let funeral_home = Point::new(FUNERAL_HOME.0, FUNERAL_HOME.1);
    let mut make = |rng: &mut Lcg,
                    died: NaiveDate,
                    disposition: Disposition,
                    mongol: bool,
                    residence: &str,
                    plot: Option<&PlotNumber>,
                    site_point: Point<f64>,
                    certificate: Option<String>|
     -> Write {
        seq += 1;
        let (name, sex) = person(rng, mongol);
        let age = 55 + rng.below(40) as i32;
        let born = NaiveDate::from_ymd_opt(
            died.year() - age,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .expect("a valid birth date");
        let exemption = (disposition == Disposition::Burial && mongol)
            .then(|| "少数民族土葬习俗（蒙古族），经家属申请登记".to_string());
        Write::Create {
            id: RecordId::derived(&format!("burial/{seq}")),
            valid_from: died,
            body: Body::from(Burial {
                deceased: Deceased {
                    name,
                    sex,
                    ethnicity: if mongol { "蒙古族" } else { "汉族" }.into(),
                    id_number: Some(id_number(born, sex, seq)),
                    born: Some(born),
                    died,
                    residence: residence.into(),
                    place_of_death: if rng.below(3) == 0 {
                        "二连浩特市医院"
                    } else {
                        "家中"
                    }
                    .into(),
                },
                disposition,
                cremation_certificate: certificate,
                plot: plot.map(plot_id),
                in_zone: false,
                exemption,
                relocated_from: None,
                registered_by: "殡葬管理所（示例）".into(),
                registered_on: died + Duration::days(2),
                documents: vec!["居民死亡医学证明（推断）书".into()],
                source: Source::Sample,
            }),
            geometry: Geometry::Point(site_point),
        }
    };
    let centre = |n: &PlotNumber| -> Point<f64> {
        let laid = sections
            .iter()
            .find(|(_, l)| l.code == n.section)
            .expect("section");
        let (_, poly) = laid.1.cells.iter().find(|(m, _)| m == n).expect("plot");
        let g = site.stored(poly).expect("a stored plot");
        g.centroid().expect("a plot centre")
    };
    let occupy = |uses: &mut std::collections::HashMap<PlotNumber, Use>,
                  n: &PlotNumber,
                  on: NaiveDate,
                  status: PlotStatus,
                  holder: String,
                  rng: &mut Lcg| {
        let u = uses.entry(n.clone()).or_default();
        u.status = Some(status);
        if u.period.is_none() {
            u.period = Some(UsePeriod {
                from: on,
                until: add_years(on, crate::cemetery::USE_YEARS),
            });
            u.holder = Some(holder);
            u.phone = Some(phone(rng));
        }
    };
    // The old section: one burial a month from June 2005, their 20 years ending 2025–2027.
    for i in 0..24usize {
        let died = date(2005, 6, 10) + chrono::Months::new(i as u32);
        let n = free("E", i);
        let w = make(
            &mut rng,
            died,
            Disposition::Burial,
            true,
            COMMUNITIES[i % 8],
            Some(&n),
            centre(&n),
            None,
        );
        let on = died + Duration::days(2);
        occupy(
            &mut uses,
            &n,
            on,
            PlotStatus::Occupied,
            format!("{}（家属）", SURNAMES[i % 20]),
            &mut rng,
        );
        burials.push((died.year(), w));
    }
    let (mut a, mut b, mut c, mut d) = (0usize, 0usize, 0usize, 0usize);
    for (year, buried, cremated) in YEARS {
        let total = buried + cremated;
        let (mut kc, mut kb, mut cy, mut dy) = (0usize, 0usize, 0usize, 0usize);
        for i in 0..total {
            let died = date(year, 1, 3) + Duration::days((i * 360 / total) as i64);
            let on = died + Duration::days(2);
            // Cremations spread evenly through the year (Bresenham).
            let is_cremation = (i + 1) * cremated / total > i * cremated / total;
            let w = if is_cremation {
                let k = kc;
                kc += 1;
                let cert = Some(format!("HH{year}-{:04}", k + 1));
                let residence = COMMUNITIES[(i + k) % 8];
                if k < 24 {
                    let n = free("A", a);
                    a += 1;
                    occupy(
                        &mut uses,
                        &n,
                        on,
                        PlotStatus::Occupied,
                        "家属".into(),
                        &mut rng,
                    );
                    make(
                        &mut rng,
                        died,
                        Disposition::Cremation,
                        k % 4 == 0,
                        residence,
                        Some(&n),
                        centre(&n),
                        cert,
                    )
                } else if k < 32 {
                    let n = free("B", b / 2);
                    b += 1;
                    occupy(
                        &mut uses,
                        &n,
                        on,
                        PlotStatus::Occupied,
                        "家属".into(),
                        &mut rng,
                    );
                    make(
                        &mut rng,
                        died,
                        Disposition::Cremation,
                        false,
                        residence,
                        Some(&n),
                        centre(&n),
                        cert,
                    )
                } else {
                    make(
                        &mut rng,
                        died,
                        Disposition::Cremation,
                        false,
                        residence,
                        None,
                        funeral_home,
                        cert,
                    )
                }
            } else {
                let k = kb;
                kb += 1;
                // Body burials: 24 a year into C, 12 into D (couples), the rest on the
                // grassland of the outer 嘎查.
                if k % 3 == 0 && cy < 24 {
                    cy += 1;
                    let n = free("C", c);
                    c += 1;
                    occupy(
                        &mut uses,
                        &n,
                        on,
                        PlotStatus::Occupied,
                        "家属".into(),
                        &mut rng,
                    );
                    make(
                        &mut rng,
                        died,
                        Disposition::Burial,
                        true,
                        COMMUNITIES[i % 8],
                        Some(&n),
                        centre(&n),
                        None,
                    )
                } else if k % 3 == 1 && dy < 12 {
                    dy += 1;
                    let n = free("D", d / 2);
                    d += 1;
                    occupy(
                        &mut uses,
                        &n,
                        on,
                        PlotStatus::Occupied,
                        "家属".into(),
                        &mut rng,
                    );
                    make(
                        &mut rng,
                        died,
                        Disposition::Burial,
                        true,
                        COMMUNITIES[(i + 3) % 8],
                        Some(&n),
                        centre(&n),
                        None,
                    )
                } else {
                    let mongol = rng.below(10) < 7;
                    let west = rng.below(2) == 0;
                    let residence = OUTER_GACHA[usize::from(!west)];
                    let (lon, lat) = if west {
                        (111.35 + 0.2 * rng.unit(), 43.20 + 0.4 * rng.unit())
                    } else {
                        (112.40 + 0.08 * rng.unit(), 43.10 + 0.5 * rng.unit())
                    };
                    make(
                        &mut rng,
                        died,
                        Disposition::Burial,
                        mongol,
                        residence,
                        None,
                        Point::new(lon, lat),
                        None,
                    )
                }
            };
            burials.push((year, w));
        }
    }
    // Six plots reserved by living spouses.
    for i in 0..6 {
        let n = free("C", 130 + i);
        let u = uses.entry(n).or_default();
        u.status = Some(PlotStatus::Reserved);
        u.holder = Some(format!("{}{}（预订）", SURNAMES[i + 3], GIVEN[i + 5]));
        u.phone = Some(phone(&mut rng));
    }

    // Graves outside cemeteries and the notices of spring 2020.
    let (graves, notices, relocations) = graves_and_notices(&mut rng, &site, &sections, &mut uses)?;

    // Plots with their final use.
    for (_, laid) in &sections {
        for (n, poly) in &laid.cells {
            let u = uses.get(n).cloned().unwrap_or_default();
            layout_writes.push(Write::Create {
                id: plot_id(n),
                valid_from: laid.laid_out,
                body: Body::from(Plot {
                    cemetery: cemetery_id(),
                    section: section_id(laid.code),
                    number: n.clone(),
                    kind: laid.kind,
                    status: u.status.unwrap_or(PlotStatus::Available),
                    laid_out: laid.laid_out,
                    holder: u.holder,
                    holder_phone: u.phone,
                    period: u.period,
                    renewals: Vec::new(),
                    source: Source::Sample,
                }),
                geometry: site.stored(poly)?,
            });
        }
    }

    let mut out = vec![(
        "cemetery".to_string(),
        "示例数据：公益性公墓、墓区与墓位（含两个供检查的问题墓位）".to_string(),
        layout_writes,
    )];
    let mut by_year: std::collections::BTreeMap<i32, Vec<Write>> = Default::default();
    for (y, w) in burials {
        by_year.entry(y).or_default().push(w);
    }
    for (y, ws) in by_year {
        out.push((
            format!("burials/{y}"),
            format!("示例数据：{y} 年殡葬登记"),
            ws,
        ));
    }
    out.push((
        "subsidies".into(),
        "示例数据：惠民殡葬补贴（2016—2020 年 5 人，每人 1810 元）".into(),
        subsidies(&out)?,
    ));
    out.push((
        "graves".into(),
        "示例数据：散埋坟墓台账及 2020 年清明节前发出的迁坟告知书".into(),
        graves.into_iter().chain(notices).collect(),
    ));
    out.push((
        "plot-periods".into(),
        "示例数据：老墓区使用期满未续期的墓位（一处已续期）".into(),
        expiries(&out)?,
    ));
    out.push((
        "relocations".into(),
        "示例数据：5 座坟墓迁入公益性公墓迁坟安置区".into(),
        relocations,
    ));
    Ok(out)
}
