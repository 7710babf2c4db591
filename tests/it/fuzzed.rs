//! The fuzzers' corpora (`fuzz/corpus/TARGET/`, the inputs cargo-fuzz kept because they reach
//! new code, and the seeds) replayed through the same harness on every test run: an input that
//! once crashed a parser and was fixed stays fixed, on stable Rust and without libFuzzer.

#[test]
fn every_committed_fuzz_input_is_handled() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (name, target) in diming::fuzzing::TARGETS {
        let dir = root.join(name);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        inputs.sort();
        assert!(inputs.len() >= 5, "{name}: {} inputs", inputs.len());
        for path in inputs {
            let data = std::fs::read(&path).unwrap();
            // A panic names the input that caused it.
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{} crashed the parser", path.display());
        }
    }
}
