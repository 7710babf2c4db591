//! The naming rules measured on a labelled corpus of real names (`tests/data/names_corpus.csv`,
//! built by `tests/data/names_corpus.py` from the official division lists): recall per kind of
//! non-standard name at least 95%, and no error-level verdict on any clean name. The figures
//! are printed (`cargo test names_corpus -- --nocapture`) and recorded in `benches/README.md`.

use diming::names::WordLists;
use diming::names::rules::{NameKind, Rule, Settings, Severity, check};
use std::collections::BTreeMap;

const CORPUS: &str = include_str!("../data/names_corpus.csv");

fn rule_of(label: &str) -> Option<Rule> {
    match label {
        "clean" => None,
        "traditional" | "odd" => Some(Rule::Odd),
        "foreign" => Some(Rule::Foreign),
        "grandiose" => Some(Rule::Grandiose),
        "personal_or_enterprise" => Some(Rule::PersonalOrEnterprise),
        other => panic!("unknown label {other}"),
    }
}

#[test]
fn the_rules_find_the_non_standard_names_of_the_corpus_and_pass_the_clean_ones() {
    let lists = WordLists::builtin();
    let settings = Settings {
        city: "二连浩特市".into(),
        homophone: Severity::Warning,
        former_since: None,
    };
    let mut reader = csv::Reader::from_reader(CORPUS.as_bytes());
    // Per label: (names, found by its rule). Per rule: (fired, fired rightly).
    let mut recall: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut precision: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut errors_on_clean = Vec::new();
    let mut missed = Vec::new();
    let mut wrongly = Vec::new();
    let mut total = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let (name, labels) = (&row[0], &row[2]);
        assert_eq!(&row[1], "unit", "{name}");
        total += 1;
        let verdicts = check(name, NameKind::Unit, [], &lists, &settings);
        let wanted: Vec<Rule> = labels.split('+').filter_map(rule_of).collect();
        for label in labels.split('+') {
            let entry = recall.entry(label.to_string()).or_default();
            entry.0 += 1;
            match rule_of(label) {
                Some(rule) if verdicts.iter().any(|v| v.rule == rule) => entry.1 += 1,
                Some(_) => missed.push(format!("{name} ({label})")),
                None => {
                    entry.1 += usize::from(verdicts.iter().all(|v| v.severity != Severity::Error))
                }
            }
        }
        let mut fired: Vec<Rule> = verdicts.iter().map(|v| v.rule).collect();
        fired.dedup();
        for rule in fired {
            let entry = precision.entry(rule.id()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(wanted.contains(&rule));
            if !wanted.contains(&rule) {
                wrongly.push(format!("{name} ({})", rule.id()));
            }
        }
        if labels == "clean" {
            errors_on_clean.extend(
                verdicts
                    .iter()
                    .filter(|v| v.severity == Severity::Error)
                    .map(|v| format!("{name}: {}", v.explanation)),
            );
        }
    }
    println!("corpus: {total} names");
    println!("| label | names | found | recall |");
    for (label, (n, found)) in &recall {
        println!(
            "| {label} | {n} | {found} | {:.1}% |",
            100.0 * *found as f64 / *n as f64
        );
    }
    println!("| rule | fired | rightly | precision |");
    for (rule, (fired, right)) in &precision {
        println!(
            "| {rule} | {fired} | {right} | {:.1}% |",
            100.0 * *right as f64 / *fired as f64
        );
    }
    println!("missed: {missed:?}");
    println!("fired on names of another label: {wrongly:?}");
    assert!(total >= 600, "{total} names");
    assert!(errors_on_clean.is_empty(), "{errors_on_clean:#?}");
    for (label, (n, found)) in &recall {
        assert!(
            *found as f64 >= 0.95 * *n as f64,
            "{label}: {found} of {n} found; missed {missed:?}"
        );
    }
}
