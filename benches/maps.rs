//! The printed street map (run with `cargo bench --bench maps`): the demo city's 街区图 at A1
//! gathered from a SQLite registry, drawn and set as PDF, and the same as a 150 dpi PNG; then
//! a dense sheet (A1 at 1:5 000 with every door-plate number). Target: the A1 PDF in under 5 s.
//! Prints each time and its ratio to the target. `BENCH_RUNS` sets how many runs (median).

use diming::publish::atlas::{Atlas, MapExtent};
use diming::publish::map::{self, Layout, Style, labels::Measure};
use std::time::Instant;

#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;
use support::{demo_sqlite, env_usize};

const TARGET_S: f64 = 5.0;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let runs = env_usize("BENCH_RUNS", 5);
    let (_dir, registry) = demo_sqlite().await;
    let style = Style::street_map();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let sheets: [(&str, &str, Option<f64>, &str); 3] = [
        ("A1 街区图 PDF", "A1-landscape", None, "pdf"),
        ("A1 街区图 PNG 150 dpi", "A1-landscape", None, "png"),
        (
            "A1 1:5 000 含门牌号 PDF",
            "A1-landscape",
            Some(5000.0),
            "pdf",
        ),
    ];
    println!(
        "{:<28} {:>9} {:>8} {:>10} {:>12}",
        "图", "秒(中位)", "注记", "字节", "目标5秒之比"
    );
    for (name, layout, scale, format) in sheets {
        let mut times = Vec::new();
        let mut labels = 0;
        let mut bytes = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let (plan, data) =
                Atlas::new(&registry.current(), &registry.config().jurisdiction.name)
                    .street_map(
                        Layout::named(layout).unwrap(),
                        &MapExtent::Streets,
                        scale,
                        today,
                    )
                    .unwrap();
            // At 1:5 000 the sheet holds the middle of the town, centred as the CLI centres it.
            let measure = Measure::load().unwrap();
            let drawn = map::render(&plan, &style, &data, &measure);
            let out = match format {
                "pdf" => map::pdf(&drawn).unwrap(),
                _ => map::png(&drawn, 150.0).unwrap(),
            };
            times.push(t.elapsed().as_secs_f64());
            labels = drawn.labels.len();
            bytes = out.len();
        }
        let m = median(times);
        println!(
            "{name:<28} {m:>9.2} {labels:>8} {bytes:>10} {:>11.2}×",
            m / TARGET_S
        );
    }
}
