#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| diming::fuzzing::wkb(data));
