//! Table-driven tests on hand-made streets. Positions are written in metres east and north
//! of a point in Erenhot; each expected number is written out.

use super::{Conventions, StreetOverrides, plan};
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

mod properties {
    //! Property tests: random east–west streets with random entrances on both sides.
    use super::*;
    use proptest::prelude::*;

    fn entrances() -> impl Strategy<Value = (f64, Vec<(f64, f64)>)> {
        (200.0f64..2000.0).prop_flat_map(|len| {
            let one = (0.0..len, prop_oneof![2.0f64..30.0, -30.0f64..-2.0]);
            (Just(len), proptest::collection::vec(one, 1..40))
        })
    }

    proptest! {
        #[test]
        fn every_entrance_gets_one_number_on_its_side_in_order(
            (len, entrances) in entrances(),
            skip_beijing in any::<bool>(),
        ) {
            let line = street(&[(0.0, 0.0), (len, 0.0)]);
            let mut c = Conventions::default();
            if skip_beijing {
                c.skip = vec![4, 13, 14];
            }
            let e: Vec<Coord<f64>> = entrances.iter().map(|&(x, y)| at(x, y)).collect();
            let p = plan(&line, &e, &[], &c, &StreetOverrides::default()).unwrap();
            // Every entrance numbered once, no number twice, none of the skipped ones.
            prop_assert!(p.refused.is_empty());
            prop_assert_eq!(p.numbered.len(), entrances.len());
            let mut seen = std::collections::HashSet::new();
            for n in &p.numbered {
                prop_assert!(seen.insert(n.number), "{} twice", n.number);
                prop_assert!(!c.skip.contains(&n.number));
            }
            // Entrances on one side only: numbered 1, 2, 3… from the east (一侧编号).
            if p.one_sided {
                let mut by_x: Vec<(f64, u32)> =
                    p.numbered.iter().map(|n| (entrances[n.index].0, n.number)).collect();
                by_x.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                let numbers: Vec<u32> = by_x.iter().map(|(_, n)| *n).collect();
                if !skip_beijing {
                    prop_assert_eq!(numbers, (1..=entrances.len() as u32).collect::<Vec<_>>());
                }
                prop_assert!(entrances.iter().all(|e| e.1 > 0.0) || entrances.iter().all(|e| e.1 < 0.0));
                return Ok(());
            }
            // On both sides: numbered from east to west, odd numbers on the left of that
            // direction (the south side), and numbers grow along it on each side.
            for side_odd in [true, false] {
                let mut on_side: Vec<(f64, u32)> = p
                    .numbered
                    .iter()
                    .filter(|n| (n.number % 2 == 1) == side_odd)
                    .map(|n| {
                        let (x, y) = entrances[n.index];
                        // Left of westward travel is south: y < 0.
                        prop_assert_eq!(y < 0.0, side_odd, "entrance at {:?} got {}", (x, y), n.number);
                        Ok((x, n.number))
                    })
                    .collect::<Result<_, TestCaseError>>()?;
                on_side.sort_by(|a, b| b.0.total_cmp(&a.0));
                prop_assert!(
                    on_side.windows(2).all(|w| w[0].1 < w[1].1 || (w[0].0 - w[1].0).abs() < 1e-6),
                    "not increasing westwards: {on_side:?}"
                );
                // With no frontage reserve, a side's numbers are the first ones of its parity.
                if !skip_beijing {
                    let mut numbers: Vec<u32> = on_side.iter().map(|(_, n)| *n).collect();
                    numbers.sort();
                    let first = if side_odd { 1 } else { 2 };
                    let expected: Vec<u32> = (0..numbers.len() as u32).map(|k| first + 2 * k).collect();
                    prop_assert_eq!(numbers, expected);
                }
            }
        }
    }
}
