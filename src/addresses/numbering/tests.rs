//! Table-driven tests on hand-made streets. Positions are written in metres east and north
//! of a point in Erenhot; each expected number is written out.

use super::*;
use geo::{Coord, LineString, MultiLineString};

const LAT0: f64 = 43.65;
const LON0: f64 = 111.97;

fn at(x: f64, y: f64) -> Coord<f64> {
    Coord {
        x: LON0 + x / (111_320.0 * LAT0.to_radians().cos()),
        y: LAT0 + y / 111_320.0,
    }
}

fn street(points: &[(f64, f64)]) -> MultiLineString<f64> {
    MultiLineString(vec![LineString(
        points.iter().map(|&(x, y)| at(x, y)).collect(),
    )])
}

/// Numbers in input order for `entrances`.
fn numbers(
    line: &MultiLineString<f64>,
    entrances: &[(f64, f64)],
    c: &Conventions,
    o: &StreetOverrides,
) -> Vec<u32> {
    let e: Vec<Coord<f64>> = entrances.iter().map(|&(x, y)| at(x, y)).collect();
    let p = plan(line, &e, &[], c, o).unwrap();
    assert!(p.refused.is_empty(), "{:?}", p.refused);
    p.numbered.iter().map(|n| n.number).collect()
}

fn check(
    name: &str,
    line: &[(f64, f64)],
    entrances: &[(f64, f64)],
    c: &Conventions,
    o: &StreetOverrides,
    expected: &[u32],
) {
    assert_eq!(numbers(&street(line), entrances, c, o), expected, "{name}");
}

#[test]
fn hand_made_streets_are_numbered_by_the_rules() {
    let im = Conventions::default();
    let none = StreetOverrides::default();
    // An east–west street drawn west to east: numbered from the east end; going west the
    // left is the south side, so the south side is odd.
    let ew = [(0.0, 0.0), (300.0, 0.0)];
    let ew_entrances = [
        (250.0, -15.0),
        (150.0, -15.0),
        (50.0, -15.0),
        (250.0, 15.0),
        (150.0, 15.0),
        (50.0, 15.0),
    ];
    check(
        "east–west",
        &ew,
        &ew_entrances,
        &im,
        &none,
        &[1, 3, 5, 2, 4, 6],
    );
    // The same street drawn east to west gives the same numbers.
    check(
        "east–west drawn the other way",
        &[(300.0, 0.0), (0.0, 0.0)],
        &ew_entrances,
        &im,
        &none,
        &[1, 3, 5, 2, 4, 6],
    );
    // North–south: numbered northward, the west side (left) odd.
    let ns = [(0.0, 300.0), (0.0, 0.0)];
    check(
        "north–south",
        &ns,
        &[
            (-15.0, 20.0),
            (-15.0, 120.0),
            (15.0, 20.0),
            (15.0, 120.0),
            (15.0, 250.0),
        ],
        &im,
        &none,
        &[1, 3, 2, 4, 6],
    );
    // Oblique, 30° north of east: nearer east–west, so numbered westward.
    let (c30, s30) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
    let ob = [(0.0, 0.0), (300.0 * c30, 300.0 * s30)];
    let along = |d: f64, off: f64| (d * c30 - off * s30, d * s30 + off * c30);
    check(
        "oblique",
        &ob,
        &[
            along(250.0, 15.0),
            along(100.0, 15.0),
            along(250.0, -15.0),
            along(100.0, -15.0),
        ],
        &im,
        &none,
        &[2, 4, 1, 3],
    );
    // Curved (an L bending north): numbered along the curve from the east end.
    let curve = [(0.0, 200.0), (0.0, 0.0), (200.0, 0.0)];
    // Along the northward leg the left is the west side.
    check(
        "curved",
        &curve,
        &[(150.0, -15.0), (50.0, -15.0), (15.0, 100.0), (-15.0, 100.0)],
        &im,
        &none,
        &[1, 3, 2, 5],
    );
    // Built on one side only: consecutive numbers.
    check(
        "one-sided",
        &ew,
        &[(250.0, 15.0), (150.0, 15.0), (50.0, 15.0)],
        &im,
        &none,
        &[1, 2, 3],
    );
    // A dead-end lane whose entrance is at its west end, drawn from its closed east end:
    // numbered from the entrance eastward, so the north side (left) is odd.
    let lane = StreetOverrides {
        from_end: Some(true),
        ..Default::default()
    };
    check(
        "dead-end from its entrance",
        &[(300.0, 0.0), (0.0, 0.0)],
        &[(250.0, -10.0), (50.0, -10.0), (250.0, 10.0)],
        &im,
        &lane,
        &[4, 2, 1],
    );
}

#[test]
fn skipped_numbers_reserved_gaps_and_the_beijing_convention() {
    let ew = [(0.0, 0.0), (1000.0, 0.0)];
    // Beijing: numbered westward with the north side (right) odd; 4, 13 and 14 never used.
    let bj = Conventions::beijing();
    let north: Vec<(f64, f64)> = (0..8)
        .map(|i| (950.0 - 100.0 * f64::from(i), 15.0))
        .collect();
    let south: Vec<(f64, f64)> = (0..3)
        .map(|i| (950.0 - 100.0 * f64::from(i), -15.0))
        .collect();
    let all: Vec<(f64, f64)> = north.iter().chain(&south).copied().collect();
    check(
        "beijing",
        &ew,
        &all,
        &bj,
        &StreetOverrides::default(),
        &[1, 3, 5, 7, 9, 11, 15, 17, 2, 6, 8],
    );
    // A gap of 70 m with a 20 m standard frontage keeps two numbers free.
    let c = Conventions {
        spacing_m: 20.0,
        ..Conventions::default()
    };
    let e: Vec<Coord<f64>> = [
        (900.0, -10.0),
        (880.0, -10.0),
        (810.0, -10.0),
        (900.0, 10.0),
    ]
    .iter()
    .map(|&(x, y)| at(x, y))
    .collect();
    let p = plan(&street(&ew), &e, &[], &c, &StreetOverrides::default()).unwrap();
    let got: Vec<u32> = p.numbered.iter().map(|n| n.number).collect();
    assert_eq!(got, [1, 3, 9, 2]);
    assert_eq!(p.reserved, [5, 7]);
}

#[test]
fn an_entrance_on_the_centre_line_is_refused_and_one_nearer_another_street_is_flagged() {
    let line = street(&[(0.0, 0.0), (300.0, 0.0)]);
    let other = street(&[(0.0, 40.0), (300.0, 40.0)]);
    let e = [at(100.0, 0.1), at(150.0, 30.0), at(200.0, -10.0)];
    let p = plan(
        &line,
        &e,
        &[other],
        &Conventions::default(),
        &StreetOverrides::default(),
    )
    .unwrap();
    assert_eq!(p.refused.len(), 1);
    assert_eq!(p.refused[0].index, 0);
    assert!(p.refused[0].reason.to_string().contains("无法判断"));
    let flagged: Vec<usize> = p
        .numbered
        .iter()
        .filter(|n| n.closer_to_other)
        .map(|n| n.index)
        .collect();
    assert_eq!(flagged, [1]);
    let along = p.numbered.iter().find(|n| n.index == 2).unwrap().along_m;
    assert!((along - 100.0).abs() < 0.5, "{along} m from the east end");
}

#[test]
fn a_street_in_two_parts_is_chained() {
    // Two parts given out of order, one drawn backwards.
    let parts = MultiLineString(vec![
        LineString(vec![at(400.0, 0.0), at(200.0, 0.0)]),
        LineString(vec![at(0.0, 0.0), at(150.0, 0.0)]),
    ]);
    let e = [
        at(50.0, -10.0),
        at(300.0, -10.0),
        at(50.0, 10.0),
        at(300.0, 10.0),
    ];
    let p = plan(
        &parts,
        &e,
        &[],
        &Conventions::default(),
        &StreetOverrides::default(),
    )
    .unwrap();
    let got: Vec<u32> = p.numbered.iter().map(|n| n.number).collect();
    assert_eq!(got, [3, 1, 4, 2]);
    // The gap between the parts is bridged, so numbers run on across it.
    assert!((p.length_m - 400.0).abs() < 0.5, "{}", p.length_m);
}

#[test]
fn the_rule_is_described_in_words_for_notices() {
    assert_eq!(
        Conventions::default().describe(),
        "东西向道路自东向西、南北向道路自南向北，左单右双"
    );
    assert_eq!(
        Conventions::beijing().describe(),
        "东西向道路自东向西、南北向道路自北向南，左双右单"
    );
}
