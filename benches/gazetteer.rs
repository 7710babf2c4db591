//! The gazetteer of a large registry (run with `cargo bench --bench gazetteer`): the demo
//! city plus 10,000 synthetic approved names (streets with locator maps, points, a third
//! with a Mongolian form, each with meaning, history and description), gathered from a
//! SQLite registry and typeset to PDF. Target: under 30 s and under 2 GB on this machine.
//! `BENCH_ENTRIES` changes the size.

use diming::model::{Body, Changeset, Write};
use diming::names::naming::{NameStatus, Naming};
use diming::names::{Place, PlaceCategory};
use diming::record::{RecordId, Source};
use diming::registry::gazetteer::{Editorial, Selection};
use geo::{Geometry, LineString, MultiLineString, Point};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::time::Instant;

#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;
use support::{demo_sqlite, env_usize, memory_mb};

const CHARS: &str = "前进友谊团结和平胜利新华建设文化幸福光明育才朝阳永安兴业安康富民长青振兴康宁民族车站迎宾商贸物流工业园林草原东西南北中金银宝泰恒达顺昌盛隆丰源海天山水河湖泉石松柏桃李杏梅兰竹菊春夏秋冬星月";

#[tokio::main]
async fn main() {
    let n = env_usize("BENCH_ENTRIES", 10_000);
    let (dir, registry) = demo_sqlite().await;
    let chars: Vec<char> = CHARS.chars().collect();
    let mut rng = StdRng::seed_from_u64(3);
    let categories = [
        PlaceCategory::Settlement,
        PlaceCategory::Building,
        PlaceCategory::Transport,
        PlaceCategory::Organisation,
        PlaceCategory::MemorialOrScenic,
    ];
    let mut writes = Vec::new();
    for i in 0..n {
        let specific: String = (0..3)
            .map(|_| chars[rng.random_range(0..chars.len())])
            .collect();
        let (lon, lat) = (
            rng.random_range(111.40..112.40),
            rng.random_range(43.00..43.80),
        );
        let street = i % 3 == 0;
        let geometry = if street {
            Geometry::MultiLineString(MultiLineString(vec![LineString::from(vec![
                (lon, lat),
                (lon + 0.01, lat + 0.002),
                (lon + 0.02, lat),
            ])]))
        } else {
            Geometry::Point(Point::new(lon, lat))
        };
        let naming = Naming {
            status: NameStatus::Published,
            meaning: Some(format!("以“{specific}”寓意美好命名（示例）。")),
            history: Some("2010 年建成并命名，2020 年地名普查时核实（示例）。".into()),
            description: Some("位于城区，周边有居民区、学校和商店，交通便利（示例）。".repeat(2)),
            ..Default::default()
        };
        let place = Place {
            name: format!("{specific}{}{}", i, if street { "路" } else { "小区" }),
            name_mn: (i % 3 == 1).then(|| "ᠡᠷᠢᠶᠡᠨ ᠬᠣᠲᠠ".to_string()),
            category: if street {
                PlaceCategory::Transport
            } else {
                categories[i % categories.len()]
            },
            source: Source::Sample,
            naming,
        };
        writes.push(Write::Create {
            id: RecordId::new(),
            valid_from: "2020-01-01".parse().unwrap(),
            body: Body::from(place),
            geometry,
        });
    }
    for chunk in writes.chunks(1000) {
        let mut cs = Changeset::new("bench", "示例地名");
        cs.writes = chunk.to_vec();
        registry.commit(cs).await.unwrap();
    }
    let start = Instant::now();
    let editorial = Editorial {
        board: vec!["编委会（示例）".into()],
        preface: "前言（示例）".into(),
        situation: "位于内蒙古自治区中北部。".into(),
        nonstandard: Default::default(),
        printed: "2026-11-29".parse().unwrap(),
    };
    let mut book = registry
        .gazetteer(&Selection::default(), &editorial)
        .await
        .unwrap();
    // Diagnostics: `BENCH_NO_MAPS=1` leaves the locator maps out.
    if std::env::var("BENCH_NO_MAPS").is_ok_and(|v| v == "1") {
        for s in &mut book.sections {
            for (_, entries) in &mut s.groups {
                for e in entries {
                    e.map = None;
                }
            }
        }
    }
    let gathered = start.elapsed().as_secs_f64();
    let entries = book.entries().count();
    let pdf = diming::publish::gazetteer::pdf(&book, diming::gazetteer::Paper::K16).unwrap();
    let total = start.elapsed().as_secs_f64();
    let path = dir.path().join("gazetteer.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let pages = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find(|l| l.starts_with("Pages:"))
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    println!(
        "gazetteer: {entries} entries gathered in {gathered:.2} s, typeset in {:.2} s, total {total:.2} s (target < 30 s); {} MB PDF, {pages}; peak memory {:.0} MB (target < 2048 MB)",
        total - gathered,
        pdf.len() / 1_000_000,
        memory_mb(std::process::id(), "VmHWM")
    );
}
