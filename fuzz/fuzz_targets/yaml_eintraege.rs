//! Fuzz target `yaml_eintraege`: the body is `quartier::pruefstand::yaml_eintraege`, which
//! tests/fuzz_replay.rs runs on the corpus and the regressions.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    quartier::pruefstand::yaml_eintraege(data);
});
