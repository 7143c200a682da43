//! Fuzz target `markdown`: the body is `quartier::pruefstand::markdown`, which
//! tests/fuzz_replay.rs runs on the corpus and the regressions.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    quartier::pruefstand::markdown(data);
});
