//! The crash loop: writers commit through a real server that is killed with SIGKILL at random
//! moments, again and again (200 times per store by default; `DIMING_CRASH_LOOPS` changes it),
//! and restarted each time with no repair. Afterwards every acknowledged changeset is there,
//! none is half there (each writes two records: both or neither), every record has one
//! version, and the store's integrity check (`verify`: history against current state, the
//! layer tables, SQLite's `PRAGMA integrity_check`) finds nothing.

use crate::browser::serve_free;
use crate::support::{TestDb, both_stores, http, officer};
use diming::model::{Body, Layer};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// A name made of Chinese numerals (no digits in place names).
fn numeral_name(n: usize, half: &str) -> String {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digits: String = n
        .to_string()
        .chars()
        .map(|c| D[c.to_digit(10).unwrap() as usize])
        .collect();
    format!("测试{digits}{half}楼")
}

both_stores!(
    a_server_killed_two_hundred_times_loses_no_acknowledged_changeset,
    |db: TestDb| async move {
        let loops: usize = std::env::var("DIMING_CRASH_LOOPS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200);
        let token = {
            let registry = db.registry().await;
            officer(&registry, "写入员", diming::accounts::Role::NamesOfficer).await
        };
        let url = db.url().to_string();
        let acked: Arc<Mutex<Vec<usize>>> = Arc::default();
        let mut rng = StdRng::seed_from_u64(42);
        let mut next = 0usize;
        for _ in 0..loops {
            let (mut server, port) = serve_free(&url);
            let start = next;
            let (acked_w, token_w) = (Arc::clone(&acked), token.clone());
            let writer = std::thread::spawn(move || {
                let mut k = start;
                loop {
                    let feature = |half: &str, dx: f64| {
                        serde_json::json!({ "op": "create", "layer": "places", "feature": {
                            "type": "Feature",
                            "geometry": { "type": "Point", "coordinates": [111.95 + dx + (k % 100) as f64 * 1e-4, 43.64] },
                            "properties": { "name": numeral_name(k, half), "category": "building" }
                        }})
                    };
                    let body = serde_json::json!({
                        "reason": "崩溃测试",
                        "document": { "issuer": "二连浩特市人民政府", "number": "二政发〔2026〕1号", "date": "2026-11-01" },
                        "writes": [feature("甲", 0.0), feature("乙", 0.001)]
                    })
                    .to_string();
                    match http(port, "POST", "/api/changesets", Some(&token_w), &body) {
                        Some((201, _)) => acked_w.lock().unwrap().push(k),
                        Some((status, answer)) => panic!(
                            "changeset {k} answered {status}: {}",
                            String::from_utf8_lossy(&answer)
                        ),
                        None => return k + 1,
                    }
                    k += 1;
                }
            });
            std::thread::sleep(std::time::Duration::from_millis(rng.random_range(5..150)));
            // SIGKILL: no chance to finish anything.
            server.0.kill().unwrap();
            server.0.wait().unwrap();
            next = writer.join().unwrap();
        }
        // The server starts again by itself on what the crashes left.
        let (server, _) = serve_free(&url);
        drop(server);
        let registry = db.registry().await;
        let names: BTreeMap<String, u32> = registry
            .current()
            .layer(Layer::Place)
            .filter_map(|v| match &v.body {
                Body::Place(p) => Some((p.name.clone(), v.version)),
                _ => None,
            })
            .collect();
        let acked = acked.lock().unwrap().clone();
        assert!(
            acked.len() >= loops / 2,
            "writes went through ({} acknowledged)",
            acked.len()
        );
        for k in &acked {
            for half in ["甲", "乙"] {
                assert!(
                    names.contains_key(&numeral_name(*k, half)),
                    "acknowledged changeset {k} lost"
                );
            }
        }
        let mut seen = BTreeSet::new();
        for k in 0..next {
            let (a, b) = (
                names.contains_key(&numeral_name(k, "甲")),
                names.contains_key(&numeral_name(k, "乙")),
            );
            assert_eq!(a, b, "changeset {k} is half there");
            if a {
                seen.insert(k);
            }
        }
        assert!(names.values().all(|v| *v == 1));
        let problems = registry
            .store()
            .verify(&registry.config().jurisdiction.extent)
            .await
            .unwrap()
            .problems;
        assert!(problems.is_empty(), "{problems:?}");
        println!(
            "{} loops, {} changesets acknowledged, {} present",
            loops,
            acked.len(),
            seen.len()
        );
    }
);
